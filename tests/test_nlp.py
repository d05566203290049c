"""The spaCy pipeline: whole numbers, gazetteer entities, metric spans."""

from __future__ import annotations

from patterns.nlp import get_nlp


def test_tokenizer_keeps_numbers_and_latin_words_whole() -> None:
    doc = get_nlp().make_doc("112年訪視率12.24%，總受益55,269人次 ICF")
    words = [token.text for token in doc]
    assert "112" in words and "12.24%" in words and "55,269" in words and "ICF" in words
    assert doc.text == "112年訪視率12.24%，總受益55,269人次 ICF"


def test_ruler_entities_from_gazetteers() -> None:
    doc = get_nlp()("臺東縣政府與台東市公所，策略一二，心衛社工進用率71%，目標85%")
    entities = {(ent.text, ent.label_) for ent in doc.ents}
    assert ("臺東縣", "COUNTY") in entities
    assert ("台東市", "TOWNSHIP") in entities
    assert ("策略一二", "STRATEGY") in entities
    assert ("進用率", "INDICATOR") in entities
    assert ("目標", "CUE") in entities


def test_metrics_component_sets_span_extensions() -> None:
    doc = get_nlp()("開戶率91.80%(74/68)，服務1,000人")
    spans = doc._.metrics
    assert [span.text for span in spans] == ["91.80%", "1,000人"]
    first = spans[0]._.metric
    assert (first.indicator, first.numerator, first.denominator) == ("開戶率", (74.0, "74"), (68.0, "68"))


def test_pipeline_is_built_once_per_process() -> None:
    assert get_nlp() is get_nlp()
