"""Warm start for worker processes: imported once by the forkserver, before it forks any worker.

Importing the miners is not all a worker pays before its first file: the spaCy pipeline is built
and the rule tables of `patterns/data` are read and compiled on first use. Mining one small
document here, made of the rule tables' own words (a county, a strategy title, an indicator head, a
two-by-two table), does all of that in the forkserver, so every worker forked from it starts warm
and shares those pages copy-on-write; `gc.freeze()` then keeps the collector off them.
"""

from __future__ import annotations

import gc

from deckmine.extractors.model import (
    BBox,
    Document,
    Page,
    TableBlock,
    TableCell,
    TextBlock,
    TextLine,
)
from deckmine.patterns.gazetteer import counties, indicator_heads, strategies
from deckmine.patterns.mine import mine_document
from deckmine.pipeline.audit import check_document


def warm_up_document() -> Document:
    county = counties()[0].canonical
    strategy = strategies()[0].title
    heads = [head.word for head in indicator_heads()[:2]]
    box = BBox(0, 0, 100, 20)
    sentence = f"{county} {strategy} 112/1-112/12 {heads[0]} 71% (74/104) {heads[-1]} 105"
    text = TextBlock(page=1, bbox=box, lines=[TextLine(sentence, box, 18.0, False)])
    cells = [TableCell(0, 0, ""), TableCell(0, 1, heads[0]), TableCell(1, 0, "112"), TableCell(1, 1, "71%")]
    table = TableBlock(page=1, bbox=box, n_rows=2, n_cols=2, cells=cells)
    page = Page(number=1, width=960, height=540, title=strategy, blocks=[text, table])
    return Document(path="warm-up.pptx", sha256="0" * 64, file_type="pptx", pages=[page])


def warm_up() -> int:
    """Mine and check the warm-up document; returns the metrics found (a worker's sanity check)."""
    document = warm_up_document()
    mined = mine_document(document)
    rows = mined.metric_rows(document.sha256)
    check_document(rows, document_id=document.sha256)
    return len(rows)


def _warm_up_safely() -> int:
    """The forkserver dies on any error raised while it preloads (and every worker with it): a
    warm-up that fails leaves the workers cold, not broken. `tests/test_preload.py` sees it."""
    try:
        return warm_up()
    except Exception:  # noqa: BLE001
        return 0


WARM_METRICS = _warm_up_safely()
# What is loaded now lives as long as the worker: keep the collector from scanning it (and from
# touching, hence copying, the pages the workers share with the forkserver).
gc.collect()
gc.freeze()
