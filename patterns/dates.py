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
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import regex
from deckmine.patterns.data_tables import column, table_cache
from deckmine.patterns.normalize import normalize_with_offsets, original_span
from deckmine.patterns.numerals import cn_numerals

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


_M = r"(?:1[0-2]|0?[1-9])"
_D = r"(?:3[01]|[12]\d|0?[1-9])"
_SEP = r"\s*[-~至到]\s*"


@table_cache
def _words(role: str) -> tuple[str, ...]:
    """Words of `date_words.tsv` with this role, longest first."""
    return tuple(sorted(column("date_words.tsv", "word", role=role), key=len, reverse=True))


def _any_of(role: str) -> str:
    return "|".join(regex.escape(word) for word in _words(role))


def _chars(role: str) -> str:
    return regex.escape("".join(_words(role)))


@table_cache
def _quarter_digits() -> dict[str, int]:
    """`1`-`4` and the Chinese digits of the same values (`第一季`)."""
    digits = {str(n): n for n in range(1, 5)}
    return digits | {char: value for char, (value, role) in cn_numerals().items()
                     if role == "digit" and value in digits.values()}


def _g(name: str, pattern: str) -> str:
    return f"(?P<{name}>{pattern})"


@table_cache
def _period_pattern() -> regex.Pattern[str]:
    """Every date form of the module doc; words from `date_words.tsv`. Alternatives are tried in
    order at each position: longer and more specific forms first."""
    # `去(111)年`, `本(112)年`, `前(110)年`: a relative year with its ROC year in brackets.
    relative = rf"[{_chars('relative_year')}]\s*\(\s*\d{{2,3}}\s*\)"
    y = rf"(?:{relative}|(?<![\d/])(?<!\d[.,])(?<!{_any_of('not_year_after')})(?:\d{{4}}|\d{{2,3}}))"
    not_year = rf"(?![{_chars('not_year_before')}])"
    weekday = rf"(?:\s*\([{_chars('weekday')}]\))?"
    quarter = f"[{regex.escape(''.join(_quarter_digits()))}]"
    forms = [
        # 112年4月19日(三)
        _g("day", rf"(?P<day_y>{y})\s*年\s*(?P<day_m>{_M})\s*月\s*(?P<day_d>{_D})\s*[日號]{weekday}"),
        # 112/4/19, 112.04.19
        _g("slash", rf"(?P<sl_y>{y})(?P<sl_sep>[/.])(?P<sl_m>{_M})(?P=sl_sep)(?P<sl_d>{_D})(?![\d.])"),
        # 111年-112年3月(底), 110-112年3月
        _g("yr_to_month", rf"(?P<ytm_y1>{y})(?:\s*年(?:度)?)?{_SEP}(?P<ytm_y2>\d{{2,4}})\s*年\s*"
                          rf"(?P<ytm_m>{_M})\s*月(?:份)?(?P<ytm_end>底)?"),
        # 112年1-3月, 112年(1-3月), 112年1月-3月, 111年7月-112年3月
        _g("month_range", rf"(?P<mr_y1>{y})\s*年(?:度)?\s*\(?\s*(?P<mr_m1>{_M})\s*(?:月(?:份)?)?{_SEP}"
                          rf"(?:(?P<mr_y2>\d{{2,4}})\s*年\s*)?(?P<mr_m2>{_M})\s*月(?:份)?(?P<mr_end>底)?\s*\)?"),
        # 107-109年, 110年至112年
        _g("yr_range", rf"(?P<yr_y1>{y})(?:\s*年(?:度)?)?{_SEP}(?P<yr_y2>\d{{2,4}})\s*年(?:度)?{not_year}"),
        # 112年上半年
        _g("half", rf"(?P<h_y>{y})\s*年(?:度)?\s*(?P<h_which>[上下])半年(?:度)?"),
        # 112年第1季, 112年Q1
        _g("quarter", rf"(?P<q_y>{y})\s*年(?:度)?\s*(?:第\s*(?P<q_n>{quarter})\s*季|[Qq](?P<q_n2>[1-4]))"),
        # 112年3月(底)
        _g("month", rf"(?P<m_y>{y})\s*年\s*(?P<m_m>{_M})\s*月(?:份)?(?P<m_end>底)?"),
        # 112年底
        _g("year_end", rf"(?P<ye_y>{y})\s*年(?:度)?底"),
        # 111全年度, 111年全年: a whole year written without 年 before 全年
        _g("full_year", rf"(?P<fy_y>{y})\s*年?\s*全年(?:度)?"),
        # 112年, 112年度
        _g("year", rf"(?P<y_y>{y}\s*年(?:度)?{not_year})"),
        # 110 1月-9月, 113(1-9月) (table headers)
        _g("header_range", rf"(?<!\d)(?<!\d[.,])(?P<hr_y>\d{{3}})(?:[ \t]+|\s*[(（]\s*)(?P<hr_m1>{_M})\s*月?{_SEP}"
                           rf"(?P<hr_m2>{_M})\s*月[)）]?"),
        # without a year: 1月4日, 1-3月, 1月-9月, 第1季, 下半年, 7月
        _g("md", rf"(?<![\d/])(?<!\d[.,])(?P<md_m>{_M})\s*月\s*(?P<md_d>{_D})\s*[日號]{weekday}"),
        _g("m_range", rf"(?<![\d/])(?<!\d[.,])(?P<mrn_m1>{_M})\s*(?:月)?{_SEP}(?P<mrn_m2>{_M})\s*月(?:份)?(?P<mrn_end>底)?"),
        _g("q", rf"第\s*(?P<qn_n>{quarter})\s*季"),
        _g("h", r"(?<![年度])(?P<hn_which>[上下])半年(?:度)?"),
        _g("m", rf"(?<![\d/個])(?<!\d[.,])(?P<mn_m>{_M})\s*月(?:份)?(?P<mn_end>底)?(?![\d])"),
    ]
    # every form starts with a digit, 第, 上/下 or a relative-year word: lets the engine skip ahead
    return regex.compile(rf"(?=[\d第上下{_chars('relative_year')}])(?:" + "|".join(forms) + ")")


_Bounds = tuple[date, date, str, bool]  # start, end, granularity, has_explicit_year
_Group = Callable[[str], str | None]


def _year(group: _Group, name: str) -> int | None:
    return _to_gregorian(group(name) or "")


def _day(group: _Group, prefix: str) -> _Bounds | None:
    year = _year(group, prefix + "y")
    if year is None:
        return None
    day = date(year, int(group(prefix + "m") or 0), int(group(prefix + "d") or 0))
    return day, day, "day", True


def _year_to_month(group: _Group, context_year: int | None) -> _Bounds | None:
    first, last = _year(group, "ytm_y1"), _year(group, "ytm_y2")
    if first is None or last is None or first > last:
        return None
    return date(first, 1, 1), _month_end(last, int(group("ytm_m") or 0)), "range", True


def _month_range(group: _Group, context_year: int | None) -> _Bounds | None:
    first = _year(group, "mr_y1")
    last = _year(group, "mr_y2") if group("mr_y2") else first
    if first is None or last is None:
        return None
    start, end = date(first, int(group("mr_m1") or 0), 1), _month_end(last, int(group("mr_m2") or 0))
    return (start, end, "range", True) if start <= end else None


def _year_range(group: _Group, context_year: int | None) -> _Bounds | None:
    first, last = _year(group, "yr_y1"), _year(group, "yr_y2")
    if first is None or last is None or first >= last:
        return None
    return date(first, 1, 1), date(last, 12, 31), "range", True


def _half(year: int | None, which: str | None, explicit: bool) -> _Bounds | None:
    if year is None:
        return None
    if which == "上":
        return date(year, 1, 1), date(year, 6, 30), "range", explicit
    return date(year, 7, 1), date(year, 12, 31), "range", explicit


def _quarter(year: int | None, digit: str | None, explicit: bool) -> _Bounds | None:
    if year is None:
        return None
    quarter = _quarter_digits()[digit or ""]
    return date(year, quarter * 3 - 2, 1), _month_end(year, quarter * 3), "quarter", explicit


def _month(year: int | None, month: str | None, month_end: str | None, explicit: bool) -> _Bounds | None:
    if year is None:
        return None
    month_number = int(month or 0)
    if month_end:
        end = _month_end(year, month_number)
        return end, end, "day", explicit
    return date(year, month_number, 1), _month_end(year, month_number), "month", explicit


def _whole_year(group: _Group, name: str, last_day: bool) -> _Bounds | None:
    year = _year(group, name)
    if year is None:
        return None
    if last_day:
        return date(year, 12, 31), date(year, 12, 31), "day", True
    return date(year, 1, 1), date(year, 12, 31), "year", True


def _months(year: int | None, first: str | None, last: str | None, explicit: bool) -> _Bounds | None:
    if year is None:
        return None
    start, end = date(year, int(first or 0), 1), _month_end(year, int(last or 0))
    return (start, end, "range", explicit) if start <= end else None


def _month_day(group: _Group, context_year: int | None) -> _Bounds | None:
    if context_year is None:
        return None
    day = date(context_year, int(group("md_m") or 0), int(group("md_d") or 0))
    return day, day, "day", False


# What each form of `_period_pattern` spans, by the form's group name (the table of the module doc).
_FORMS: dict[str, Callable[[_Group, int | None], _Bounds | None]] = {
    "day": lambda g, _: _day(g, "day_"),
    "slash": lambda g, _: _day(g, "sl_"),
    "yr_to_month": _year_to_month,
    "month_range": _month_range,
    "yr_range": _year_range,
    "half": lambda g, _: _half(_year(g, "h_y"), g("h_which"), True),
    "h": lambda g, year: _half(year, g("hn_which"), False),
    "quarter": lambda g, _: _quarter(_year(g, "q_y"), g("q_n") or g("q_n2"), True),
    "q": lambda g, year: _quarter(year, g("qn_n"), False),
    "month": lambda g, _: _month(_year(g, "m_y"), g("m_m"), g("m_end"), True),
    "m": lambda g, year: _month(year, g("mn_m"), g("mn_end"), False),
    "year_end": lambda g, _: _whole_year(g, "ye_y", True),
    "year": lambda g, _: _whole_year(g, "y_y", False),
    "full_year": lambda g, _: _whole_year(g, "fy_y", False),
    "header_range": lambda g, _: _months(_year(g, "hr_y"), g("hr_m1"), g("hr_m2"), True),
    "m_range": lambda g, year: _months(year, g("mrn_m1"), g("mrn_m2"), False),
    "md": _month_day,
}


def _bounds(match: regex.Match[str], context_year: int | None) -> _Bounds | None:
    """(start, end, granularity, has_explicit_year) for a match, None if not a valid date."""
    form = _FORMS.get(match.lastgroup or "")
    try:
        return form(match.group, context_year) if form else None
    except ValueError:  # 2月30日 and the like
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


@table_cache(maxsize=4096)
def _matches(normalized: str) -> tuple[regex.Match[str], ...]:
    """The date expressions' matches, shared by calls with and without a default year."""
    return tuple(_period_pattern().finditer(normalized))


@table_cache
def _report_date_label() -> regex.Pattern[str]:
    """`報告日期：`, `日期`, `時間` (`date_words.tsv` roles report_label_lead, report_label)."""
    return regex.compile(rf"(?:{_any_of('report_label_lead')})?(?:{_any_of('report_label')})\s*[:：]?\s*")


def parse_report_date(text: str) -> date | None:
    """The briefing date of a deck: the day after `報告日期：` (or `日期`, `時間`) if present, else
    the first full date with an explicit year (`112年4月19日(三)`), else None."""
    days = [period for period in find_periods(text) if period.granularity == "day"]
    full_dates = [period for period in days if not _is_month_or_year_end(period)]
    for label in _report_date_label().finditer(text):
        for period in full_dates:
            if 0 <= period.char_start - label.end() <= 2:
                return period.start
    return full_dates[0].start if full_dates else None


def _is_month_or_year_end(period: Period) -> bool:
    return "底" in period.text
