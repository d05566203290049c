"""A figure's box is the line it is printed on, also where the PDF wrapped a sentence over lines
(the auditor's picture marks that box)."""

from __future__ import annotations

from deckmine.extractors import extract
from deckmine.extractors.model import TextBlock
from deckmine.patterns.mine import mine_document

from tests.conftest import deck


def test_figures_in_wrapped_sentences_point_at_their_own_line() -> None:
    document = extract(deck("penghu-111.pdf"))
    metrics = [m for m in mine_document(document).metrics if m.page == 4 and m.unit == "%"]
    lines = [
        line
        for block in document.pages[3].blocks
        if isinstance(block, TextBlock)
        for line in block.lines
    ]
    for value_text in ("100", "85", "81"):
        metric = next(m for m in metrics if m.value_text == value_text)
        line = next(line for line in lines if f"{value_text}%" in line.text)
        assert metric.bbox == line.bbox.as_list(), value_text
