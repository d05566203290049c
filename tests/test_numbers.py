"""Numbers: parse_number, find_quantities and find_fractions on seed sentences and variants."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from deckmine.patterns.normalize import normalize_text, normalize_with_offsets
from deckmine.patterns.numbers import find_fractions, find_quantities, parse_number

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("110 年", "110年"),
        ("62. 5％", "62.5%"),
        ("55,269 人次", "55,269人次"),
        ("（１２５／２００）", "(125/200)"),
        ("比率 87.9% (73/83)", "比率87.9% (73/83)"),
        ("110 1月-9月", "110 1月-9月"),
        ("TU MANANU", "TU MANANU"),
        ("110–114年", "110-114年"),
        ("2～4名", "2~4名"),
        ("第 1 季", "第1季"),
        ("33\t55", "33\t55"),
    ],
)
def test_normalize_text(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


def test_normalize_offsets_point_back_to_the_original() -> None:
    raw = "總受益55,269 人次，達８５％"
    normalized, offsets = normalize_with_offsets(raw)
    assert len(offsets) == len(normalized)
    start = normalized.index("85%")
    assert raw[offsets[start] : offsets[start + 2] + 1] == "８５％"
    assert raw[offsets[normalized.index("人次")]] == "人"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("55,269", 55269),
        ("９１.８０", 91.8),
        ("62. 5", 62.5),
        ("3萬3,108", 33108),
        ("30萬", 300000),
        ("3萬5千", 35000),
        ("百分之九十八", 98),
        ("百分之98", 98),
        ("八成", 80),
        ("七成五", 75),
        ("十成", 100),
        ("兩百", 200),
        ("一萬零二十", 10020),
        ("三百零五", 305),
        ("十二", 12),
        ("三", 3),
        ("12.24%", 12.24),
        ("0", 0),
    ],
)
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "abc", "人次", "3/4", "1.2.3"])
def test_parse_number_rejects_non_numbers(text: str) -> None:
    assert parse_number(text) is None


def _summary(text: str) -> list[tuple[float, str, str | None, str | None]]:
    return [(q.value, q.value_text, q.unit, q.comparator) for q in find_quantities(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # seed sentences
        ("總受益55,269 人次", [(55269, "55,269", "人次", None)]),
        ("執行率達\n92.37%", [(92.37, "92.37", "%", None)]),
        ("開戶率91.80%(74/68)", [(91.8, "91.80", "%", None), (74, "74", None, None), (68, "68", None, None)]),
        ("111年持續服務人次達3萬3,108人次", [(33108, "3萬3,108", "人次", None)]),
        ("最高補助10萬元", [(10, "10", "萬元", None)]),
        ("112年編列284萬元", [(284, "284", "萬元", None)]),
        ("112年宣傳至少80,000人次", [(80000, "80,000", "人次", ">=")]),
        ("服務至少130人", [(130, "130", "人", ">=")]),
        ("規劃每年受理至少250人(含)以上應檢", [(250, "250", "人", ">=")]),
        ("80%以上脆家進案原因獲得解決", [(80, "80", "%", ">=")]),
        ("112年服務人次目標為3,200人次以上", [(3200, "3,200", "人次", ">=")]),
        ("平均每案每月至少訪視3次", [(3, "3", "次", ">=")]),
        ("保護性再通報率4.78%低於10%", [(4.78, "4.78", "%", None), (10, "10", "%", "<")]),
        ("服務近200中、高風險獨老家戶", [(200, "200", None, "~")]),
        ("活動次數與服務人次比例達成率超過30%", [(30, "30", "%", ">")]),
        ("家庭關訪員(目前簽約33人)", [(33, "33", "人", None)]),
        ("6歲以下\n兒少保護", [(6, "6", "歲", "<=")]),
        ("案件受理24小時內派案", [(24, "24", "小時", None)]),
        ("**再開案率下降5 %**", [(5, "5", "%", None)]),
        ("112年預計服務3,876案，達27,200服務人次", [(3876, "3,876", "案", None), (27200, "27,200", "人次", None)]),
        ("辦理15場網絡聯繫會議及12\n場次個案研討", [(15, "15", "場", None), (12, "12", "場次", None)]),
        ("發展遲緩兒童社區服務\n26個戶所", [(26, "26", "個", None)]),
        ("工作年資均已超過20年", [(20, "20", "年", ">")]),
        # variants
        ("涵蓋率達百分之九十八", [(98, "百分之九十八", "%", None)]),
        ("滿意度近八成", [(80, "八成", "%", "~")]),
        ("七成五以上", [(75, "七成五", "%", ">=")]),
        ("較去年增加5個百分點", [(5, "5", "pp", None)]),
        ("服務兩百人", [(200, "兩百", "人", None)]),
        ("辦理十二場", [(12, "十二", "場", None)]),
        ("受益逾1,500人次", [(1500, "1,500", "人次", ">")]),
        ("約30名志工", [(30, "30", "名", "~")]),
        ("未滿18歲", [(18, "18", "歲", "<")]),
        ("服務２００餘人", [(200, "200", "人", ">")]),
        ("服務３，５００人次", [(3500, "3,500", "人次", None)]),
        ("新增15家戶", [(15, "15", "戶", None)]),
    ],
)
def test_find_quantities(text: str, expected: list[tuple[float, str, str | None, str | None]]) -> None:
    assert _summary(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "112年4月19日(三)",
        "110-112年3月",
        "111年至112年3月底",
        "1月4日-跨部門個案研討會議",
        "第1處社區心理衛生中心",
        "兒少帳戶開戶率全國第5",
        "獲頒第24屆SNQ國家品質標章",
        "以工代賑就業輔導3+1",
        "1.強化兒少保護機制",
        "3. 強化教育體系",
        "- 01** | 臺東縣社會安全網成果",
        "(1)如地方自籌款聘用人員",
        "一案到底服務",
        "三級預防",
        "強化四大面向服務",
        "壹、112年推動策略 **策略1** 擴增",
        "策略4 單位合作更加強",
        "112年(1-3月)",
    ],
)
def test_dates_ordinals_and_names_are_not_quantities(text: str) -> None:
    assert find_quantities(text) == []


def test_staff_counts() -> None:
    approved, hired = find_quantities("進用率達85%(核定3督17員，實際進用3督14員)")[1:]
    assert (approved.supervisors, approved.workers, approved.value, approved.unit) == (3, 17, 20, "員")
    assert (hired.supervisors, hired.workers, hired.value) == (3, 14, 17)
    assert hired.category == "staff"
    assert find_quantities("112年人力\n核定\n6督32員")[0].value == 38


@pytest.mark.parametrize(
    ("text", "low", "high", "unit"),
    [
        ("針對連續3-6個月未存款家戶", 3, 6, "個月"),
        ("由2~4名不同領域專家學者組成", 2, 4, "名"),
        ("由2～4名不同領域專家學者組成", 2, 4, "名"),
        ("每場次10至20人", 10, 20, "人"),
    ],
)
def test_ranges(text: str, low: float, high: float, unit: str) -> None:
    (quantity,) = find_quantities(text)
    assert (quantity.range_low, quantity.range_high, quantity.value, quantity.unit) == (low, high, high, unit)


def test_quantity_offsets_index_the_original_text() -> None:
    text = "服務至少 １，０００ 人次，達８５％"
    first, second = find_quantities(text)
    assert text[first.start : first.end] == first.text == "１，０００ 人次"
    assert first.value == 1000 and first.comparator == ">="
    assert second.text == "８５％" and second.value == 85


@pytest.mark.parametrize(
    ("text", "numerator", "denominator", "labels", "units"),
    [
        ("開戶率91.80%(74/68)", 74, 68, (None, None), (None, None)),
        ("（１２５／２００）", 125, 200, (None, None), (None, None)),
        ("率:294.4%(訪視戶數524/推估戶\n數178)", 524, 178, ("訪視戶數", "推估戶數"), (None, None)),
        ("112年(1-3月):實際進用41名/中央核定58名，進用率71%", 41, 58, ("實際進用", "中央核定"), ("名", "名")),
        ("比率 87.9% (73/83)", 73, 83, (None, None), (None, None)),
    ],
)
def test_find_fractions(
    text: str,
    numerator: float,
    denominator: float,
    labels: tuple[str | None, str | None],
    units: tuple[str | None, str | None],
) -> None:
    (fraction,) = find_fractions(text)
    assert (fraction.numerator.value, fraction.denominator.value) == (numerator, denominator)
    assert (fraction.numerator.label, fraction.denominator.label) == labels
    assert (fraction.numerator.unit, fraction.denominator.unit) == units
    assert text[fraction.start : fraction.end] == fraction.text


def test_slash_dates_are_not_fractions() -> None:
    assert find_fractions("報告日期112/4/19") == []


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared seeds not present")
def test_find_quantities_is_fast_on_the_seeds() -> None:
    texts = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    find_quantities("暖身1人")
    started = time.perf_counter()
    found = sum(len(find_quantities(text)) for text in texts)
    elapsed = time.perf_counter() - started
    assert found > 300
    assert sum(map(len, texts)) / elapsed > 50_000  # chars/s; about 250,000 on the dev machine


def test_paired_counts_share_the_unit_after_the_second_number() -> None:
    found = find_quantities("督導（編制/到職）：6/5名，男/女：140/162人")
    assert [(q.value, q.unit, q.name) for q in found] == [
        (6, "名", "編制"), (5, "名", "到職"), (140, "人", "男"), (162, "人", "女")]
    # a bare fraction is no pair of counts: (81/90) stays numerator and denominator of the rate
    assert [(q.value, q.unit) for q in find_quantities("完成率90%(81/90)")] == [(90, "%"), (81, None), (90, None)]


@pytest.mark.parametrize("text", ["每十萬人口自殺死亡23.4人", "每萬人口通報率", "每1位社工負荷28案"])
def test_the_base_of_a_rate_is_not_a_count(text: str) -> None:
    assert all(q.value not in (100_000, 10_000, 1) for q in find_quantities(text))


# --- cn2an against the hand-rolled parser it replaced -------------------------------------------

_OLD_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_OLD_UNITS = {"十": 10, "百": 100, "千": 1_000}
_OLD_BIG = {"萬": 10_000, "億": 100_000_000}


def _old_cn_integer(text: str) -> int | None:
    """patterns/numbers.py `_parse_cn_integer` before cn2an (commit 32113d2), the reference."""
    if not text or any(char not in {**_OLD_DIGITS, **_OLD_UNITS, **_OLD_BIG} for char in text):
        return None
    if all(char in _OLD_DIGITS for char in text):
        return int("".join(str(_OLD_DIGITS[char]) for char in text))
    total = section = 0
    digit: int | None = None
    for char in text:
        if char in _OLD_DIGITS:
            digit = _OLD_DIGITS[char]
        elif char in _OLD_UNITS:
            section += (digit if digit is not None else 1) * _OLD_UNITS[char]
            digit = None
        else:
            section += digit or 0
            total += (section or 1) * _OLD_BIG[char]
            section, digit = 0, None
    return total + section + (digit or 0)


def _old_cn_number(text: str) -> float | None:
    whole, _, decimals = text.partition("點")
    integer = _old_cn_integer(whole)
    if integer is None:
        return None
    if not decimals:
        return float(integer)
    return float(f"{integer}." + "".join(str(_OLD_DIGITS[char]) for char in decimals))


# Every Chinese numeral run in the 22 corpus decks, the tests and the gold files (collected with
# the numeral pattern over their text and from the parser's calls while mining the corpus).
CORPUS_NUMERALS = ["〇", "一", "一二", "一二三四", "一萬零二十", "七", "三", "三百零五", "九", "九十二", "九十八", "二", "二三", "五", "億", "兩", "兩百", "八", "六", "十", "十二", "十萬", "千", "四", "百", "萬", "零", "零〇一二兩三四五六七八九"]


def _written(value: int) -> set[str]:
    """`value` as decks write it: 一百零五, 兩百, 十二 / 一十二, and digit by digit."""
    import cn2an

    text = cn2an.an2cn(value).translate(str.maketrans({"万": "萬", "亿": "億", "两": "兩"}))
    forms = {text, text.replace("二百", "兩百").replace("二千", "兩千").replace("二萬", "兩萬"),
             "".join("零一二三四五六七八九"[int(digit)] for digit in str(value))}
    return forms | ({"一" + text} if text.startswith("十") else set())


def test_cn2an_agrees_with_the_old_parser_on_every_corpus_numeral() -> None:
    from deckmine.patterns.numerals import parse_cn_number

    for numeral in CORPUS_NUMERALS:
        assert parse_cn_number(numeral) == _old_cn_number(numeral), numeral


def test_cn2an_agrees_with_the_old_parser_on_well_formed_numerals() -> None:
    from deckmine.patterns.numerals import parse_cn_number

    values = [*range(0, 1200), *range(1200, 120_000, 97), 100_000_000, 230_000_005]
    for numeral in {form for value in values for form in _written(value)}:
        assert parse_cn_number(numeral) == _old_cn_number(numeral), numeral
    for numeral in ("七點五", "三點零五", "九十九點九", "十二點二五"):
        assert parse_cn_number(numeral) == _old_cn_number(numeral), numeral


def test_where_cn2an_differs_the_rule_is_kept_or_the_run_is_no_number() -> None:
    from deckmine.patterns.numerals import parse_cn_number

    for alone in "十百千萬億":  # cn2an refuses a power word alone: the rule gives its value
        assert parse_cn_number(alone) == _old_cn_number(alone)
    for malformed in ("百一", "十十", "千萬萬"):  # no deck writes these; no longer numbers
        assert parse_cn_number(malformed) is None
    assert parse_number("八成") == 80 and parse_number("百分之九十八") == 98  # 成, 百分之: rules
