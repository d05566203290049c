"""The forkserver's warm-up: mining its small document reaches the miners' tables and finds the
figures it holds, so workers start with the spaCy pipeline and rule tables built."""

from __future__ import annotations

from deckmine.pipeline.preload import WARM_METRICS, warm_up_document
from deckmine.pipeline.process import WORKER_MODULES


def test_warm_up_document_mines_its_rate_and_count() -> None:
    from deckmine.patterns.mine import mine_document

    document = warm_up_document()
    rows = mine_document(document).metric_rows(document.sha256)
    assert {(row["value"], row["unit"]) for row in rows} >= {(71.0, "%")}
    assert len(rows) == WARM_METRICS


def test_forkserver_preloads_the_warm_up() -> None:
    assert "deckmine.pipeline.preload" in WORKER_MODULES
