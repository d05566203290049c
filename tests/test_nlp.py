"""The spaCy pipeline: whole numbers, gazetteer matches, metric spans."""

from __future__ import annotations

import pytest
from deckmine.patterns.nlp import (
    GAZETTEER_COMPONENT,
    GazetteerMatch,
    blank_pipeline,
    gazetteer_patterns,
)
from deckmine.patterns.text_pipeline import METRICS_COMPONENT, get_nlp

SENTENCES = [
    "臺東縣政府與台東市公所，策略一二，心衛社工進用率71%，目標85%",
    "112年總受益人次55,269人次，服務人次達1,000人次（受益人次），策略 三 四、策略12",
    "策略四-強化網絡資源布建：預計至少辦理3場次，達標率100%，未達標",
]


def test_tokenizer_keeps_numbers_and_latin_words_whole() -> None:
    doc = get_nlp().make_doc("112年訪視率12.24%，總受益55,269人次 ICF")
    words = [token.text for token in doc]
    assert "112" in words and "12.24%" in words and "55,269" in words and "ICF" in words
    assert doc.text == "112年訪視率12.24%，總受益55,269人次 ICF"


def test_gazetteer_matches_from_tsv_files() -> None:
    doc = get_nlp()(SENTENCES[0])
    found = {(match.text, match.label) for match in doc._.gazetteer}
    assert ("臺東縣", "COUNTY") in found
    assert ("台東市", "TOWNSHIP") in found
    assert ("策略一二", "STRATEGY") in found
    assert ("進用率", "INDICATOR") in found
    assert ("目標", "CUE") in found
    head = next(match for match in doc._.gazetteer if match.label == "INDICATOR")
    assert head == GazetteerMatch(21, 24, "進用率", "INDICATOR", "rate")
    assert SENTENCES[0][head.start : head.end] == head.text


def test_component_alone_with_its_own_patterns() -> None:
    nlp = blank_pipeline()
    component = nlp.add_pipe(GAZETTEER_COMPONENT, config={"gazetteers": False, "write_ents": True})
    component.add_patterns([{"label": "INDICATOR", "pattern": "進用率", "id": "rate"},
                            {"label": "INDICATOR", "pattern": "社工進用", "id": "count"},
                            {"label": "CUE", "pattern": "目標"}])
    doc = nlp("社工進用率71%，目標 85%，策略 二三")
    # longest first: 社工進用 takes 進用率's tokens; a numbered strategy heading is the component's own
    assert [(m.text, m.label, m.entity_id) for m in doc._.gazetteer] == [
        ("社工進用", "INDICATOR", "count"), ("目標", "CUE", ""), ("策略 二三", "STRATEGY", "")]
    assert [(ent.text, ent.label_, ent.ent_id_) for ent in doc.ents] == [
        (m.text, m.label, m.entity_id) for m in doc._.gazetteer]


@pytest.mark.parametrize("text", ["策略12", "策略1,234", "策略1.5", "策略1%", "策  略1", "政策略有"])
def test_numbered_strategy_needs_whole_numeral_tokens(text: str) -> None:
    assert not [m for m in get_nlp()(text)._.gazetteer if m.label == "STRATEGY"]


@pytest.mark.parametrize("text", SENTENCES)
def test_matches_are_spacys_entity_ruler_matches(text: str) -> None:
    """The component resolves overlaps as the `entity_ruler` it replaced, ties included."""
    ruler_nlp = blank_pipeline()
    ruler = ruler_nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "TEXT"})
    numeral = {"TEXT": {"REGEX": r"^(?:[1-4]|[一二三四])$"}}
    ruler.add_patterns([*gazetteer_patterns(),
                        {"label": "STRATEGY", "pattern": [{"TEXT": "策"}, {"TEXT": "略"}, numeral,
                                                          {**numeral, "OP": "*"}]}])
    expected = [(e.start_char, e.end_char, e.text, e.label_, e.ent_id_) for e in ruler_nlp(text).ents]
    assert [tuple(match) for match in get_nlp()(text)._.gazetteer] == expected


def test_metrics_component_sets_span_extensions() -> None:
    doc = get_nlp()("開戶率91.80%(74/68)，服務1,000人")
    spans = doc._.metrics
    assert [span.text for span in spans] == ["91.80%", "1,000人"]
    first = spans[0]._.metric
    assert (first.indicator, first.numerator, first.denominator) == ("開戶率", (74.0, "74"), (68.0, "68"))


def test_pipeline_is_built_once_per_process() -> None:
    assert get_nlp() is get_nlp()
    assert get_nlp().pipe_names == [GAZETTEER_COMPONENT, METRICS_COMPONENT]


def test_strategy_numerals_come_from_the_tables() -> None:
    from deckmine.patterns.nlp import strategy_number, strategy_numerals

    assert strategy_numerals()["貳"] == 2 and "五" not in strategy_numerals() and "十" not in strategy_numerals()
    assert [strategy_number(text) for text in ("一", "4", "肆", "五", "10", "策")] == [1, 4, 4, None, None, None]
    assert [m.text for m in get_nlp()("策略貳")._.gazetteer if m.label == "STRATEGY"] == ["策略貳"]


def test_a_fifth_strategy_row_makes_strategy_five_a_heading(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    import shutil

    from deckmine.patterns import data_tables
    from deckmine.patterns.nlp import strategy_number

    data = tmp_path / "data"
    shutil.copytree(data_tables.DATA_DIR, data)
    with (data / "strategies.tsv").open("a", encoding="utf-8") as handle:
        handle.write("5\ttitle\t推動第五項測試策略\t1.0\n")
    monkeypatch.setattr(data_tables, "DATA_DIR", data)
    data_tables.reload_tables()
    try:
        nlp = blank_pipeline()
        nlp.add_pipe(GAZETTEER_COMPONENT, config={"gazetteers": False})
        assert [m.text for m in nlp("策略五")._.gazetteer] == ["策略五"]
        assert strategy_number("五") == 5
    finally:
        monkeypatch.undo()
        data_tables.reload_tables()
