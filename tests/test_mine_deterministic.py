"""The same file mined twice gives the same rows: re-ingesting with --force changes nothing."""

from __future__ import annotations

from deckmine.extractors import extract
from deckmine.patterns.mine import mine_document

from tests.conftest import deck


def test_mining_twice_gives_identical_rows() -> None:
    document = extract(deck("taitung-112.pdf"))
    first = mine_document(document).metric_rows(document.sha256)
    second = mine_document(document).metric_rows(document.sha256)
    assert first == second
    groups = sorted({row["group_id"] for row in first if row["group_id"]})
    assert groups[:2] == ["g1", "g2"]
