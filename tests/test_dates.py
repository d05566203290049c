"""Dates: ROC and Gregorian periods, yearless expressions with a context year, report dates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from deckmine.patterns.dates import find_periods, parse_report_date, roc_to_gregorian

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


@pytest.mark.parametrize(
    ("text", "start", "end", "granularity", "roc_year"),
    [
        ("112年", date(2023, 1, 1), date(2023, 12, 31), "year", 112),
        ("112年度", date(2023, 1, 1), date(2023, 12, 31), "year", 112),
        ("2023年", date(2023, 1, 1), date(2023, 12, 31), "year", 112),
        ("112年1-3月", date(2023, 1, 1), date(2023, 3, 31), "range", 112),
        ("112年(1-3月)", date(2023, 1, 1), date(2023, 3, 31), "range", 112),
        ("112年1月-3月", date(2023, 1, 1), date(2023, 3, 31), "range", 112),
        ("112年1月至6月", date(2023, 1, 1), date(2023, 6, 30), "range", 112),
        ("110年10月", date(2021, 10, 1), date(2021, 10, 31), "month", 110),
        ("111年-112年3月", date(2022, 1, 1), date(2023, 3, 31), "range", 112),
        ("111年至112年3月底", date(2022, 1, 1), date(2023, 3, 31), "range", 112),
        ("110-112年3月總服務量", date(2021, 1, 1), date(2023, 3, 31), "range", 112),
        ("111年7月-112年2月", date(2022, 7, 1), date(2023, 2, 28), "range", 112),
        ("107-109年", date(2018, 1, 1), date(2020, 12, 31), "range", 109),
        ("110年至112年", date(2021, 1, 1), date(2023, 12, 31), "range", 112),
        ("110–114年", date(2021, 1, 1), date(2025, 12, 31), "range", 114),
        ("110 1月-9月", date(2021, 1, 1), date(2021, 9, 30), "range", 110),
        ("112年上半年", date(2023, 1, 1), date(2023, 6, 30), "range", 112),
        ("112年下半年", date(2023, 7, 1), date(2023, 12, 31), "range", 112),
        ("112年第1季", date(2023, 1, 1), date(2023, 3, 31), "quarter", 112),
        ("112年第四季", date(2023, 10, 1), date(2023, 12, 31), "quarter", 112),
        ("112年Q2", date(2023, 4, 1), date(2023, 6, 30), "quarter", 112),
        ("112年底", date(2023, 12, 31), date(2023, 12, 31), "day", 112),
        ("112年10月底前完成", date(2023, 10, 31), date(2023, 10, 31), "day", 112),
        ("112年4月19日(三)", date(2023, 4, 19), date(2023, 4, 19), "day", 112),
        ("112 年 4 月 19 日", date(2023, 4, 19), date(2023, 4, 19), "day", 112),
        ("１１２年４月１９日", date(2023, 4, 19), date(2023, 4, 19), "day", 112),
        ("112/4/19", date(2023, 4, 19), date(2023, 4, 19), "day", 112),
        ("2023年4月", date(2023, 4, 1), date(2023, 4, 30), "month", 112),
    ],
)
def test_explicit_periods(text: str, start: date, end: date, granularity: str, roc_year: int) -> None:
    (period,) = find_periods(text)
    assert (period.start, period.end, period.granularity, period.roc_year) == (start, end, granularity, roc_year)
    assert period.year == roc_year + 1911
    assert text[period.char_start : period.char_end] == period.text


@pytest.mark.parametrize(
    ("text", "start", "end", "granularity"),
    [
        ("第1季", date(2023, 1, 1), date(2023, 3, 31), "quarter"),
        ("第二季", date(2023, 4, 1), date(2023, 6, 30), "quarter"),
        ("1月4日-跨部門個案研討會議", date(2023, 1, 4), date(2023, 1, 4), "day"),
        ("1-3月", date(2023, 1, 1), date(2023, 3, 31), "range"),
        ("1月-9月", date(2023, 1, 1), date(2023, 9, 30), "range"),
        ("預計下半年度於成功鎮設置", date(2023, 7, 1), date(2023, 12, 31), "range"),
        ("12月底前", date(2023, 12, 31), date(2023, 12, 31), "day"),
    ],
)
def test_yearless_periods_use_the_default_year(text: str, start: date, end: date, granularity: str) -> None:
    (period,) = find_periods(text, default_roc_year=112)
    assert (period.start, period.end, period.granularity) == (start, end, granularity)
    assert find_periods(text) == []


def test_yearless_months_take_the_year_written_earlier_on_the_line() -> None:
    periods = find_periods("112年3月、7月、11月召開府層級跨局處會議\n2月21日-聯繫會議", default_roc_year=111)
    assert [(p.text, p.start, p.end) for p in periods] == [
        ("112年3月", date(2023, 3, 1), date(2023, 3, 31)),
        ("7月", date(2023, 7, 1), date(2023, 7, 31)),
        ("11月", date(2023, 11, 1), date(2023, 11, 30)),
        ("2月21日", date(2022, 2, 21), date(2022, 2, 21)),
    ]


def test_periods_after_full_width_comma() -> None:
    periods = find_periods("總服務量12,480人次，112年16鄉鎮皆有據點")
    assert [(p.text, p.year) for p in periods] == [("112年", 2023)]


@pytest.mark.parametrize(
    "text",
    [
        "3萬3,108人次",
        "24小時內派案",
        "最高補助10萬元",
        "連續3-6個月未存款",
        "工作年資均已超過20年",
        "每年4次",
        "1年至少2次",
        "1,112年",
        "3年級學生",
        "110年2月30日",
    ],
)
def test_not_periods(text: str) -> None:
    assert find_periods(text) == []


def test_several_periods_in_one_line_keep_their_offsets() -> None:
    text = "111年服務13名兒少；112年(1-3月):實際進用41名"
    first, second = find_periods(text)
    assert (first.text, first.granularity) == ("111年", "year")
    assert (second.text, second.start, second.end) == ("112年(1-3月)", date(2023, 1, 1), date(2023, 3, 31))
    assert text[second.char_start : second.char_end] == "112年(1-3月)"


def test_roc_to_gregorian() -> None:
    assert roc_to_gregorian(112) == 2023


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("臺東縣辦理\n\n報告人：臺東縣政府社會處\n\n112年4月19日(三)\n\n報告大綱", date(2023, 4, 19)),
        ("臺中市政府 112年重點工作報告\n\n報告日期：112年3月15日\n\n111年4月12日辦理揭牌", date(2023, 3, 15)),
        ("111年底服務中\n報告日期: 111年1月17日", date(2022, 1, 17)),
        ("112年重點工作", None),
    ],
)
def test_parse_report_date(text: str, expected: date | None) -> None:
    assert parse_report_date(text) == expected


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared seeds not present")
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("000_26b399d74f1bb969.txt", date(2023, 4, 19)),
        ("001_0508c85419114fde.txt", date(2023, 3, 15)),
        ("002_fac6411963c5558e.txt", date(2022, 1, 17)),
    ],
)
def test_parse_report_date_on_seeds(name: str, expected: date) -> None:
    assert parse_report_date((SEEDS / name).read_text(encoding="utf-8")) == expected


@pytest.mark.parametrize(
    ("text", "year", "written"),
    [
        ("去(112)年同期開案率為61.3%", 2023, "去(112)年"),
        ("本（114）年度截至3月底", 2025, "本（114）年度"),
        ("前(109)年辦理4場", 2020, "前(109)年"),
        ("今( 113 )年1-6月", 2024, "今( 113 )年1-6月"),
    ],
)
def test_relative_years_with_the_roc_year_in_brackets(text: str, year: int, written: str) -> None:
    first = find_periods(text)[0]
    assert (first.year, first.text) == (year, written)


def test_a_bracketed_number_without_a_relative_word_is_no_year() -> None:
    assert find_periods("服務(113)年") == []
