"""Evaluation: one-to-one matching, scope, PDF exclusions, and the sample decks' targets."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from deckmine.patterns.evaluate import GoldRow, evaluate, load_gold
from deckmine.patterns.mine import Metric, mine_document

ROOT = Path(__file__).resolve().parent.parent


def gold(page: int, value: float, unit: str, source: str = "text", **extra: object) -> GoldRow:
    fields = dict(indicator=None, label=None, value_text=f"{value:g}", kind="actual", comparator=None,
                  county="臺東縣", strategy=1, year=2023, snippet="", line=0)
    fields.update(extra)
    return GoldRow(page=page, source=source, value=value, unit=unit, **fields)  # type: ignore[arg-type]


def metric(page: int, value: float, unit: str | None, **extra: object) -> Metric:
    found = Metric(page=page, block_index=0, source="text", indicator=None, label=None, value=value,
                   value_text=f"{value:g}", unit=unit, county="臺東縣", strategy=1, year=2023)
    for name, field_value in extra.items():
        setattr(found, name, field_value)
    return found


def test_one_to_one_matching_scope_and_linkage() -> None:
    rows = [gold(3, 71, "%"), gold(3, 71, "%"), gold(3, 41, "名"), gold(4, 5, "場", source="chart")]
    mined = [metric(3, 71, "%"), metric(3, 41, "名", strategy=2), metric(3, 3, "歲"), metric(5, 71, "%")]
    report = evaluate(rows, mined, "pptx")
    assert (report.groups["percent"].matched, report.groups["percent"].gold, report.groups["percent"].mined) == (1, 2, 2)
    assert (report.groups["count"].recall, report.groups["count"].precision) == (0.5, 1.0)
    assert report.link_accuracy("strategy") == 0.5
    assert "precision" in report.format() and report.as_dict()["linkage"]["county"] == 1.0


def test_chart_and_notes_gold_only_count_for_pptx() -> None:
    rows = [gold(2, 5, "場", source="chart"), gold(2, 7, "人", source="notes"), gold(2, 9, "人")]
    report = evaluate(rows, [metric(2, 9, "人")], "pdf")
    assert (report.groups["count"].gold, report.groups["count"].recall) == (1, 1.0)


SAMPLES = ["taitung-112", "taichung-112", "penghu-111", "hualien-113", "pingtung-113", "yilan-112",
           "kaohsiung-113", "changhua-114", "mohw-113", "taoyuan-114", "nantou-113"]


@cache
def mined_deck(name: str, suffix: str) -> list[Metric]:
    from deckmine.extractors import extract

    path = ROOT / "corpus" / "decks" / f"{name}.{suffix}"
    if not path.exists():
        pytest.skip(f"{path.name} is not in the corpus")
    return mine_document(extract(path)).metrics


@pytest.mark.parametrize("suffix", ["pptx", "pdf"])
@pytest.mark.parametrize("name", SAMPLES)
def test_sample_decks_meet_the_issue_targets(name: str, suffix: str) -> None:
    gold_path = ROOT / "tests" / "gold" / f"{name}.csv"
    report = evaluate(load_gold(gold_path), mined_deck(name, suffix), suffix)
    percent, count = report.groups["percent"], report.groups["count"]
    assert percent.precision >= 0.98 and percent.recall >= 0.98, report.format()
    assert count.precision >= 0.97 and count.recall >= 0.97, report.format()
    for name_ in ("county", "strategy", "year", "kind"):
        assert report.link_accuracy(name_) >= 0.97, report.format()


@pytest.mark.parametrize("suffix", ["pptx", "pdf"])
@pytest.mark.parametrize("name", SAMPLES)
def test_audit_finds_every_listed_inconsistency_and_cries_no_wolf(name: str, suffix: str) -> None:
    from deckmine.patterns.metric import DeckInfo
    from deckmine.patterns.mine import MinedDeck
    from deckmine.pipeline.audit import check_document
    from deckmine.pipeline.audit_eval import load_audit_gold, score_audit

    gold_path = ROOT / "tests" / "gold" / "audit" / f"{name}.csv"
    document_id = "a" * 64
    rows = MinedDeck(DeckInfo(), mined_deck(name, suffix)).metric_rows(document_id)
    score = score_audit(load_audit_gold(gold_path), check_document(rows, document_id), suffix)
    allowed_misses = KNOWN_AUDIT_MISSES.get(name, 0)
    assert len(score.missed) + len(score.other_status) <= allowed_misses, score.format()
    assert not score.false_alarms, score.format()


# A result written in a prose cell among several rates of its row (penghu-111 p8: 99.68% beside
# 0.32% and 100%) is not paired with the row's target: which of the three the target is for is not
# decidable from the structure. Documented in README (Audit, what is not checked).
KNOWN_AUDIT_MISSES = {"penghu-111": 1}


def test_look_alike_figures_pair_in_document_order() -> None:
    rows = [gold(4, 2, "名", label="110年新增社工", snippet="110年新增社工2名", kind="actual"),
            gold(4, 2, "名", label="115年再新增", snippet="預計115年再新增2名", kind="forecast")]
    same_text = "110年新增社工2名，預計115年再新增2名"
    mined = [metric(4, 2, "名", label="新增", snippet=same_text, kind="actual"),
             metric(4, 2, "名", label="新增", snippet=same_text, kind="forecast")]
    assert evaluate(rows, mined, "pptx").link_accuracy("kind") == 1.0
