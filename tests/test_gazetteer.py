"""Gazetteers: counties (台/臺, short forms, townships), strategy references, word lists."""

from __future__ import annotations

import pytest
from deckmine.patterns.gazetteer import (
    canonical_county,
    counties,
    dominant_county,
    find_counties,
    find_county_mentions,
    find_indicator_heads,
    find_strategy_refs,
    indicator_heads,
    qualifiers,
    strategies,
    unit_words,
)


def test_counties_table_has_the_22_counties() -> None:
    names = [county.canonical for county in counties()]
    assert len(names) == len(set(names)) == 22
    assert {"臺東縣", "臺中市", "澎湖縣", "新竹縣", "新竹市", "連江縣"} <= set(names)
    assert all("台" not in name for name in names)
    assert {county.kind for county in counties()} == {"縣", "市"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("報告人：臺東縣政府社會處", ["臺東縣"]),
        ("台東縣政府", ["臺東縣"]),
        ("結合台東縣電氣裝修職業工會", ["臺東縣"]),
        ("臺中市政府 強化社會安全網", ["臺中市"]),
        ("台中市", ["臺中市"]),
        ("報告單位：澎湖縣政府社會處", ["澎湖縣"]),
        ("建構完善社福系統\n\nTAITUNG", ["臺東縣"]),
        ("Taitung County", ["臺東縣"]),
        ("NEW TAIPEI CITY", ["新北市"]),
        ("臺北榮民總醫院臺東分院", []),
        ("海端鄉-臺東縣海端鄉崁頂社區發展協會", ["臺東縣"]),
        ("新北市與臺北市", ["新北市", "臺北市"]),
        ("新竹縣竹北市", ["新竹縣"]),
        ("新竹市東區", ["新竹市"]),
        ("深入海端鄉位於南橫海拔最高的布農族部落", []),
        ("成功鎮、關山鎮、太麻里鄉", []),
        ("台東市-社團法人外籍配偶協會", []),
        ("112年增加布建3鄉鎮市-台東市、海端鄉", []),
        ("台灣新興原住民文化發展協會", []),
        ("TAITUNGS", []),
    ],
)
def test_find_counties(text: str, expected: list[str]) -> None:
    assert find_counties(text) == expected


def test_short_forms_on_request() -> None:
    assert find_counties("臺東地區", min_confidence=0.5) == ["臺東縣"]
    assert find_counties("臺北榮民總醫院臺東分院", min_confidence=0.5) == ["臺北市", "臺東縣"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("臺東縣政府社會處\n臺北榮民總醫院臺東分院\n台東市-協會\nTAITUNG", "臺東縣"),
        ("臺北榮民總醫院臺東分院 臺東", "臺東縣"),
        ("澎湖縣政府 報告；參考臺中市、臺中市做法；澎湖縣", "澎湖縣"),
        ("臺中市與澎湖縣", "臺中市"),
        ("成功鎮", None),
    ],
)
def test_dominant_county(text: str, expected: str | None) -> None:
    assert dominant_county(text) == expected


def test_township_level_city_maps_to_its_county_with_low_confidence() -> None:
    (mention,) = find_county_mentions("台東市-臺東縣新住民娘家關懷協會")[:1]
    assert (mention.canonical, mention.text, mention.is_township_city) == ("臺東縣", "台東市", True)
    assert mention.confidence < 0.5
    assert find_counties("台東市-社團法人", min_confidence=0.3) == ["臺東縣"]
    assert find_counties("馬公市", min_confidence=0.3) == ["澎湖縣"]


def test_county_mentions_have_offsets_and_confidence() -> None:
    text = "結合 臺東縣 與 TAITUNG"
    full, english = find_county_mentions(text)
    assert text[full.start : full.end] == "臺東縣" and full.confidence == 1.0
    assert text[english.start : english.end] == "TAITUNG" and 0.5 < english.confidence < 1.0


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("台東縣", "臺東縣"),
        ("臺東", "臺東縣"),
        ("台東", "臺東縣"),
        ("TAITUNG", "臺東縣"),
        ("taichung", "臺中市"),
        (" 澎湖縣 ", "澎湖縣"),
        ("馬祖", "連江縣"),
        ("台東市", None),
        ("海端鄉", None),
        ("新竹", None),
    ],
)
def test_canonical_county(name: str, expected: str | None) -> None:
    assert canonical_county(name) == expected


@pytest.mark.parametrize(
    ("text", "numbers", "ref_text"),
    [
        ("策略一：擴增家庭服務資源，提供可近性服務", (1,), "策略一"),
        ("壹、112年推動策略 **策略1** 擴增家庭服務資源", (1,), "策略1"),
        ("- 策略二、優化保護服務輸送、提升風險控管", (2,), "策略二"),
        ("策略 3 強化精神疾病", (3,), "策略 3"),
        ("策略３", (3,), "策略３"),
        ("策略四-強化部會網絡資源布建 拓展公私協力服務", (4,), "策略四"),
        ("策略四、整合跨部會服務體系", (4,), "策略四"),
        ("策略一二執行成果", (1, 2), "策略一二"),
        ("策略一、二", (1, 2), "策略一、二"),
        ("策略一、四大面向", (1,), "策略一"),
        ("貳、112年亮點措施 策略4 單位服務再深化", (4,), "策略4"),
    ],
)
def test_numbered_strategy_refs(text: str, numbers: tuple[int, ...], ref_text: str) -> None:
    numbered = [ref for ref in find_strategy_refs(text) if ref.how == "number"]
    assert [(ref.numbers, ref.text, ref.score) for ref in numbered] == [(numbers, ref_text, 1.0)]
    assert text[numbered[0].start : numbered[0].end] == ref_text


@pytest.mark.parametrize(
    ("text", "number", "min_score"),
    [
        ("優化保護服務輸送，提升風險控管", 2, 1.0),
        ("策略二：\n優化保護服務輸送\n提升風險控管", 2, 1.0),
        ("擴增家庭服務資源 提供可近性服務", 1, 1.0),
        ("強化精神疾病及自殺防治服務，精進前端預防危機處理", 3, 1.0),
        ("強化精神疾病及自殺防治服務，進前端預危機處理", 3, 1.0),
        ("精進前端預防及危機處理機制", 3, 1.0),
        ("強化部會網絡資源布建、拓展公私協力服務", 4, 1.0),
        ("提升風險控管", 2, 0.8),
    ],
)
def test_title_only_strategy_refs(text: str, number: int, min_score: float) -> None:
    titles = [ref for ref in find_strategy_refs(text) if ref.how == "title"]
    assert [ref.numbers for ref in titles] == [(number,)]
    assert titles[0].score >= min_score


def test_generic_phrases_score_low() -> None:
    (ref,) = find_strategy_refs("家庭福利服務中心與民間團體資源公私協力")
    assert ref.numbers == (4,) and ref.how == "title" and ref.score < 0.5
    assert find_strategy_refs("發展在地化社區心理衛生中心三級預防策略") == []
    assert find_strategy_refs("辦理各區策略聯盟") == []


def test_strategies_table() -> None:
    assert [strategy.number for strategy in strategies()] == [1, 2, 3, 4]
    assert strategies()[1].title == "優化保護服務輸送，提升風險控管"


def test_unit_words() -> None:
    units = unit_words()
    assert units["人次"].category == "count"
    assert units["萬元"].category == "money"
    assert units["個百分點"].normalized == "pp"
    assert units["%"].category == "percent"
    assert units["員"].category == "staff"
    assert units["家戶"].normalized == "戶"


def test_indicator_heads_longest_first() -> None:
    words = [head.word for head in indicator_heads()]
    assert {"進用率", "聘用率", "涵蓋率", "恢復繳存率", "再通報率", "佈建率", "受益人次", "總受益"} <= set(words)
    assert words.index("恢復繳存率") < words.index("繳存率")
    found = find_indicator_heads("兒少帳戶恢復繳存率84.85%，服務人次總計3,135人次")
    assert [(head.word, head.category) for head, _, _ in found] == [("恢復繳存率", "rate"), ("服務人次", "count")]


def test_qualifiers() -> None:
    by_word = {qualifier.word: qualifier for qualifier in qualifiers()}
    assert by_word["至少"].comparator == ">=" and by_word["至少"].position == "before"
    assert by_word["(含)以上"].comparator == ">="
    assert by_word["以下"].comparator == "<="
    assert by_word["未滿"].comparator == "<"
    assert by_word["逾"].comparator == ">"
    assert by_word["約"].comparator == "~" and "簽" in by_word["約"].not_after
    assert by_word["目標"].kind == "target" and by_word["預計"].kind == "forecast"


# --- strategy numbers come from strategies.tsv only ----------------------------------------------


@pytest.fixture
def fifth_strategy(tmp_path, monkeypatch):  # noqa: ANN001, ANN201
    """A copy of patterns/data with a fifth strategy row, in force for one test."""
    import shutil

    from deckmine.patterns import data_tables

    data = tmp_path / "data"
    shutil.copytree(data_tables.DATA_DIR, data)
    with (data / "strategies.tsv").open("a", encoding="utf-8") as handle:
        handle.write("5\ttitle\t推動第五項測試策略\t1.0\n")
    monkeypatch.setattr(data_tables, "DATA_DIR", data)
    data_tables.reload_tables()
    yield
    monkeypatch.undo()
    data_tables.reload_tables()


def test_a_fifth_strategy_row_makes_strategy_five_match(fifth_strategy) -> None:  # noqa: ANN001
    from deckmine.patterns.gazetteer import find_strategy_refs, strategies
    from deckmine.patterns.linking import heading_strategies

    assert [s.number for s in strategies()] == [1, 2, 3, 4, 5]
    refs = find_strategy_refs("策略五：推動第五項測試策略")
    assert [(ref.numbers, ref.how) for ref in refs] == [((5,), "number"), ((5,), "title")]
    assert heading_strategies("策略五") == (5,)
    assert [ref.numbers for ref in find_strategy_refs("策略四、五")] == [(4, 5)]


def test_without_the_fifth_row_strategy_five_is_no_reference() -> None:
    from deckmine.patterns.gazetteer import find_strategy_refs

    assert find_strategy_refs("策略五") == []


def test_a_missing_or_malformed_table_names_the_file(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    from deckmine.patterns import data_tables

    (tmp_path / "bad.tsv").write_text("word\trole\n成長\tchange_up\textra\n", encoding="utf-8")
    monkeypatch.setattr(data_tables, "DATA_DIR", tmp_path)
    with pytest.raises(data_tables.DataTableError, match=r"nope\.tsv"):
        data_tables.read_table("nope.tsv")
    with pytest.raises(data_tables.DataTableError, match=r"bad\.tsv:2: 3 cells, the header has 2"):
        data_tables.read_table("bad.tsv")
