"""Dates and periods in briefing text: ROC years (民國, +1911) and Gregorian years.

`find_periods(text, default_roc_year=None)` returns every date expression as a `Period` with its
Gregorian bounds and its offsets in `text`:

| written | granularity | bounds |
|---|---|---|
| `112年`, `112年度`, `2023年`, `本(112)年` (去(111)年: 2022) | year | 2023-01-01..2023-12-31 |
| `110年10月` | month | 2021-10-01..2021-10-31 |
| `112年4月19日(三)`, `112/4/19` | day | that day |
| `112年底`, `112年3月底` | day | the last day of the year or month |
| `112年第1季`, `112年Q1` | quarter | 2023-01-01..2023-03-31 |
| `112年1-3月`, `112年(1-3月)`, `111年7月-112年3月` | range | 2023-01-01..2023-03-31 |
| `107-109年`, `110年至112年` | range | 2018-01-01..2020-12-31 |
| `111年-112年3月`, `111年至112年3月底`, `110-112年3月` | range | 2022-01-01..2023-03-31 |
| `112年上半年` / `下半年` | range | 2023-01-01..06-30 / 07-01..12-31 |
| `110 1月-9月` (table header: year, space, months) | range | 2021-01-01..2021-09-30 |

Expressions without a year (`1月4日`, `7月`, `1-3月`, `第1季`, `下半年`) take the year of the
last explicit year earlier on the same line, else `default_roc_year`; with neither they are
skipped. Counts and durations are not dates: `3萬`, `24小時`, `10萬元`, `6個月`, `超過20年`.
ROC years are accepted from 80 to 150 (1991-2061), Gregorian years from 1990 to 2100.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import regex
from deckmine.patterns.normalize import normalize_with_offsets, original_span

ROC_OFFSET = 1911
ROC_YEAR_RANGE = (80, 150)
GREGORIAN_YEAR_RANGE = (1990, 2100)
_DIGIT_RUN = regex.compile(r"\d+")


@dataclass(frozen=True)
class Period:
    """A date expression. `year` is the Gregorian year of `end` (for a range, its last year);
    `roc_year` is `year - 1911`. `granularity` is year|quarter|month|range|day.
    `char_start`/`char_end` are offsets of `text` in the string searched."""

    roc_year: int
    year: int
    start: date
    end: date
    text: str
    granularity: str
    char_start: int
    char_end: int


def roc_to_gregorian(roc_year: int) -> int:
    """民國 year -> Gregorian year: 112 -> 2023."""
    return roc_year + ROC_OFFSET


def _to_gregorian(year_text: str) -> int | None:
    """A written year (ROC `112`, `去(111)` or Gregorian `2023`) -> Gregorian, None if implausible."""
    year_text = _DIGIT_RUN.search(year_text).group()  # type: ignore[union-attr]
    value = int(year_text)
    if len(year_text) == 4:
        return value if GREGORIAN_YEAR_RANGE[0] <= value <= GREGORIAN_YEAR_RANGE[1] else None
    if ROC_YEAR_RANGE[0] <= value <= ROC_YEAR_RANGE[1]:
        return roc_to_gregorian(value)
    return None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


# `去(111)年`, `本(112)年`, `前(110)年`: a relative year with its ROC year in brackets.
_RELATIVE_YEAR = r"[去本前今明]\s*\(\s*\d{2,3}\s*\)"
_Y = rf"(?:{_RELATIVE_YEAR}|(?<![\d/])(?<!\d[.,])(?<!超過|逾|滿|近|約|第)(?:\d{{4}}|\d{{2,3}}))"
_YEAR = rf"{_Y}\s*年(?:度)?(?![級紀齡])"
_M = r"(?:1[0-2]|0?[1-9])"
_D = r"(?:3[01]|[12]\d|0?[1-9])"
_SEP = r"\s*[-~至到]\s*"
_WEEKDAY = r"(?:\s*\([一二三四五六日天]\))?"
_QUARTER_DIGITS = {"1": 1, "2": 2, "3": 3, "4": 4, "一": 1, "二": 2, "三": 3, "四": 4}


def _g(name: str, pattern: str) -> str:
    return f"(?P<{name}>{pattern})"


# Alternatives are tried in order at each position: longer and more specific forms first.
_PERIOD_PATTERN = regex.compile(
    r"(?=[\d第上下去本前今明])(?:"  # every form starts with one of these: lets the engine skip ahead
    + "|".join(
        [
            # 112年4月19日(三)
            _g("day", rf"(?P<day_y>{_Y})\s*年\s*(?P<day_m>{_M})\s*月\s*(?P<day_d>{_D})\s*[日號]{_WEEKDAY}"),
            # 112/4/19, 112.04.19
            _g("slash", rf"(?P<sl_y>{_Y})(?P<sl_sep>[/.])(?P<sl_m>{_M})(?P=sl_sep)(?P<sl_d>{_D})(?![\d.])"),
            # 111年-112年3月(底), 110-112年3月
            _g(
                "yr_to_month",
                rf"(?P<ytm_y1>{_Y})(?:\s*年(?:度)?)?{_SEP}(?P<ytm_y2>\d{{2,4}})\s*年\s*"
                rf"(?P<ytm_m>{_M})\s*月(?:份)?(?P<ytm_end>底)?",
            ),
            # 112年1-3月, 112年(1-3月), 112年1月-3月, 111年7月-112年3月
            _g(
                "month_range",
                rf"(?P<mr_y1>{_Y})\s*年(?:度)?\s*\(?\s*(?P<mr_m1>{_M})\s*(?:月(?:份)?)?{_SEP}"
                rf"(?:(?P<mr_y2>\d{{2,4}})\s*年\s*)?(?P<mr_m2>{_M})\s*月(?:份)?(?P<mr_end>底)?\s*\)?",
            ),
            # 107-109年, 110年至112年
            _g("yr_range", rf"(?P<yr_y1>{_Y})(?:\s*年(?:度)?)?{_SEP}(?P<yr_y2>\d{{2,4}})\s*年(?:度)?(?![級紀齡])"),
            # 112年上半年
            _g("half", rf"(?P<h_y>{_Y})\s*年(?:度)?\s*(?P<h_which>[上下])半年(?:度)?"),
            # 112年第1季, 112年Q1
            _g("quarter", rf"(?P<q_y>{_Y})\s*年(?:度)?\s*(?:第\s*(?P<q_n>[1-4一二三四])\s*季|[Qq](?P<q_n2>[1-4]))"),
            # 112年3月(底)
            _g("month", rf"(?P<m_y>{_Y})\s*年\s*(?P<m_m>{_M})\s*月(?:份)?(?P<m_end>底)?"),
            # 112年底
            _g("year_end", rf"(?P<ye_y>{_Y})\s*年(?:度)?底"),
            # 111全年度, 111年全年: a whole year written without 年 before 全年
            _g("full_year", rf"(?P<fy_y>{_Y})\s*年?\s*全年(?:度)?"),
            # 112年, 112年度
            _g("year", rf"(?P<y_y>{_YEAR})"),
            # 110 1月-9月, 113(1-9月) (table headers)
            _g(
                "header_range",
                rf"(?<!\d)(?<!\d[.,])(?P<hr_y>\d{{3}})(?:[ \t]+|\s*[(（]\s*)(?P<hr_m1>{_M})\s*月?{_SEP}(?P<hr_m2>{_M})\s*月[)）]?",
            ),
            # without a year: 1月4日, 1-3月, 1月-9月, 第1季, 下半年, 7月
            _g("md", rf"(?<![\d/])(?<!\d[.,])(?P<md_m>{_M})\s*月\s*(?P<md_d>{_D})\s*[日號]{_WEEKDAY}"),
            _g(
                "m_range",
                rf"(?<![\d/])(?<!\d[.,])(?P<mrn_m1>{_M})\s*(?:月)?{_SEP}(?P<mrn_m2>{_M})\s*月(?:份)?(?P<mrn_end>底)?",
            ),
            _g("q", r"第\s*(?P<qn_n>[1-4一二三四])\s*季"),
            _g("h", r"(?<![年度])(?P<hn_which>[上下])半年(?:度)?"),
            _g("m", rf"(?<![\d/個])(?<!\d[.,])(?P<mn_m>{_M})\s*月(?:份)?(?P<mn_end>底)?(?![\d])"),
        ]
    )
    + ")"
)


def _bounds(match: regex.Match[str], context_year: int | None) -> tuple[date, date, str, bool] | None:
    """(start, end, granularity, has_explicit_year) for a match, None if not a valid date."""
    kind = match.lastgroup
    group = match.group

    def year_of(name: str) -> int | None:
        return _to_gregorian(group(name))

    try:
        if kind == "day" or kind == "slash":
            prefix = "day_" if kind == "day" else "sl_"
            year = year_of(prefix + "y")
            if year is None:
                return None
            day = date(year, int(group(prefix + "m")), int(group(prefix + "d")))
            return day, day, "day", True
        if kind == "yr_to_month":
            first, last = year_of("ytm_y1"), year_of("ytm_y2")
            if first is None or last is None or first > last:
                return None
            month_end = _month_end(last, int(group("ytm_m")))
            return date(first, 1, 1), month_end, "range", True
        if kind == "month_range":
            first = year_of("mr_y1")
            last = year_of("mr_y2") if group("mr_y2") else first
            if first is None or last is None:
                return None
            start = date(first, int(group("mr_m1")), 1)
            end = _month_end(last, int(group("mr_m2")))
            return (start, end, "range", True) if start <= end else None
        if kind == "yr_range":
            first, last = year_of("yr_y1"), year_of("yr_y2")
            if first is None or last is None or first >= last:
                return None
            return date(first, 1, 1), date(last, 12, 31), "range", True
        if kind in ("half", "h"):
            year = year_of("h_y") if kind == "half" else context_year
            if year is None:
                return None
            upper = group("h_which" if kind == "half" else "hn_which") == "上"
            if upper:
                return date(year, 1, 1), date(year, 6, 30), "range", kind == "half"
            return date(year, 7, 1), date(year, 12, 31), "range", kind == "half"
        if kind in ("quarter", "q"):
            year = year_of("q_y") if kind == "quarter" else context_year
            if year is None:
                return None
            digit = group("q_n") or group("q_n2") if kind == "quarter" else group("qn_n")
            quarter = _QUARTER_DIGITS[digit]
            start = date(year, quarter * 3 - 2, 1)
            return start, _month_end(year, quarter * 3), "quarter", kind == "quarter"
        if kind in ("month", "m"):
            year = year_of("m_y") if kind == "month" else context_year
            if year is None:
                return None
            month = int(group("m_m" if kind == "month" else "mn_m"))
            if group("m_end" if kind == "month" else "mn_end"):
                end = _month_end(year, month)
                return end, end, "day", kind == "month"
            return date(year, month, 1), _month_end(year, month), "month", kind == "month"
        if kind == "year_end":
            year = year_of("ye_y")
            if year is None:
                return None
            return date(year, 12, 31), date(year, 12, 31), "day", True
        if kind in ("year", "full_year"):
            year = _to_gregorian(group("y_y") if kind == "year" else group("fy_y"))
            if year is None:
                return None
            return date(year, 1, 1), date(year, 12, 31), "year", True
        if kind == "header_range":
            year = year_of("hr_y")
            if year is None:
                return None
            start = date(year, int(group("hr_m1")), 1)
            end = _month_end(year, int(group("hr_m2")))
            return (start, end, "range", True) if start <= end else None
        if kind == "md":
            if context_year is None:
                return None
            day = date(context_year, int(group("md_m")), int(group("md_d")))
            return day, day, "day", False
        if kind == "m_range":
            if context_year is None:
                return None
            start = date(context_year, int(group("mrn_m1")), 1)
            end = _month_end(context_year, int(group("mrn_m2")))
            return (start, end, "range", False) if start <= end else None
    except ValueError:  # 2月30日 and the like
        return None
    return None


def find_periods(text: str, default_roc_year: int | None = None) -> list[Period]:
    """Every date or period in `text`, in order, with offsets into `text` (see module doc)."""
    normalized, offsets = normalize_with_offsets(text)
    default_year = roc_to_gregorian(default_roc_year) if default_roc_year is not None else None
    periods: list[Period] = []
    line_year: int | None = None
    line_start = 0
    for match in _matches(normalized):
        newline = normalized.rfind("\n", 0, match.start())
        if newline >= line_start:
            line_start, line_year = newline + 1, None
        bounds = _bounds(match, line_year if line_year is not None else default_year)
        if bounds is None:
            continue
        start, end, granularity, explicit = bounds
        if explicit:
            line_year = end.year
        char_start, char_end = original_span(offsets, match.start(), match.end())
        periods.append(Period(roc_year=end.year - ROC_OFFSET, year=end.year, start=start, end=end,
                              text=text[char_start:char_end], granularity=granularity,
                              char_start=char_start, char_end=char_end))
    return periods


@lru_cache(maxsize=4096)
def _matches(normalized: str) -> tuple[regex.Match[str], ...]:
    """The date expressions' matches, shared by calls with and without a default year."""
    return tuple(_PERIOD_PATTERN.finditer(normalized))


_REPORT_DATE_LABEL = regex.compile(r"(?:報告|簡報|會議)?(?:日期|時間)\s*[:：]?\s*")


def parse_report_date(text: str) -> date | None:
    """The briefing date of a deck: the day after `報告日期：` (or `日期`, `時間`) if present, else
    the first full date with an explicit year (`112年4月19日(三)`), else None."""
    days = [period for period in find_periods(text) if period.granularity == "day"]
    full_dates = [period for period in days if not _is_month_or_year_end(period)]
    for label in _REPORT_DATE_LABEL.finditer(text):
        for period in full_dates:
            if 0 <= period.char_start - label.end() <= 2:
                return period.start
    return full_dates[0].start if full_dates else None


def _is_month_or_year_end(period: Period) -> bool:
    return "底" in period.text
