"""A deck's PDF and its PPTX give the same text: `deckmine show` on either reads the same slides.

Compared per page over text and table blocks, whitespace and bullet glyphs ignored (PowerPoint
bullets are paragraph properties in a PPTX but glyphs in its PDF). Boxes may be read in another
order (the PDF reader reads a column of boxes before the next, the PPTX reader goes row by row), but
every box reads whole, never interleaved with its neighbour. Charts differ by nature: a PPTX
chart is data, its PDF export draws the axis and data labels as loose text, so on chart pages the
PDF may have more characters, never fewer.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

import pytest
from deckmine.extractors import extract
from deckmine.extractors.model import ChartBlock, Document, Page, TableBlock, TextBlock

from tests.conftest import DECKS

STEMS = sorted(p.stem for p in DECKS.glob("*.pptx") if (DECKS / f"{p.stem}.pdf").exists())


@cache
def both(stem: str) -> tuple[Document, Document]:
    return extract(DECKS / f"{stem}.pptx"), extract(DECKS / f"{stem}.pdf")


def content(page: Page) -> str:
    text = "".join(b.text for b in page.blocks if isinstance(b, TextBlock | TableBlock))
    return re.sub(r"[\s•]", "", text)


def test_every_sample_deck_has_both_forms() -> None:
    assert len(STEMS) >= 6


@pytest.mark.parametrize("stem", STEMS)
def test_pdf_and_pptx_read_the_same_text(stem: str) -> None:
    pptx, pdf = both(stem)
    assert pdf.page_count == pptx.page_count
    for slide, page in zip(pptx.pages, pdf.pages, strict=True):
        in_pptx, in_pdf = Counter(content(slide)), Counter(content(page))
        assert not (in_pptx - in_pdf), f"page {slide.number}: PDF lacks {''.join((in_pptx - in_pdf).elements())}"
        if not any(isinstance(b, ChartBlock) for b in slide.blocks):
            assert in_pdf == in_pptx, f"page {slide.number}: PDF has extra {''.join((in_pdf - in_pptx).elements())}"
        # Boxes may come in another order (the PDF reader reads columns, the PPTX reader rows), but
        # no box is interleaved with another: each PPTX text box reads whole in the PDF.
        pdf_text = content(page)
        for block in slide.blocks:
            if isinstance(block, TextBlock) and not block.is_title:
                box = re.sub(r"[\s•]", "", block.text)
                assert box in pdf_text, f"page {slide.number}: box not read whole in the PDF: {box[:30]}"
        assert page.title == slide.title or slide.title is None, f"page {slide.number}"


def test_show_prints_the_same_lines_for_both_forms(capsys: pytest.CaptureFixture[str]) -> None:
    from deckmine.pipeline.cli import main

    for suffix in ("pdf", "pptx"):
        assert main(["show", str(DECKS / f"penghu-111.{suffix}"), "--page", "5"]) == 0
        out = capsys.readouterr().out
        for line in ("開戶率91.80%(74/68)", "繳存率94.44%(72/68)", "恢復繳存率84.85%(33/29)", "訪視率100%(74/74)"):
            assert line in re.sub(r"\s", "", out), (suffix, line)
