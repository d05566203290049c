"""Page layout from OCR lines: text blocks and filled ruled tables, in reading order.

Every recognised line becomes a `TextLine` with its box in points, lines are grouped into blocks as
PDF text is (`extractors.pdf_layout`), and every block is flagged `ocr` and `ocr_confidence=0.93`
(the lowest line confidence in it), plus `ocr_low_confidence` under LOW_CONFIDENCE. Lines inside a
ruled table (`extractors.ocr_tables`) fill its cells (`extractors.pdf_tables`). What is read in a
picture on a page is shifted to where the picture is (`picture_blocks`).
"""

from __future__ import annotations

from typing import Any

from deckmine.extractors.model import AnyBlock, BBox, Page, TextBlock, TextLine
from deckmine.extractors.ocr_engines import OcrLine
from deckmine.extractors.ocr_text import normalise_ocr_text
from deckmine.extractors.pdf_layout import Line, _group_into_blocks, reading_order, union_box

LOW_CONFIDENCE = 0.8
PICTURE_MIN_CONFIDENCE = 0.6  # lines read in a picture with less confidence are left out (photos)


def blocks_from_lines(lines: list[OcrLine], number: int, scale: float) -> list[TextBlock]:
    """TextBlocks (flag `ocr`) from recognised lines; `scale` turns pixels into points."""
    layout_lines: list[Line] = []
    confidence: dict[int, float] = {}
    for ocr_line in lines:
        text = normalise_ocr_text(ocr_line.text)
        if not text:
            continue
        x0, top, x1, bottom = (value * scale for value in ocr_line.box)
        glyph = {
            "text": text, "x0": x0, "top": top, "x1": x1, "bottom": bottom,
            "size": round((bottom - top) * 0.8, 1), "bold": False, "page_box": (x0, top, x1, bottom),
        }
        line = Line(glyph)
        confidence[id(line)] = ocr_line.confidence
        layout_lines.append(line)
    blocks: list[TextBlock] = []
    for group in _group_into_blocks(layout_lines):
        lowest = min(confidence[id(line)] for line in group)
        flags = ["ocr", f"ocr_confidence={lowest:.2f}"]
        if lowest < LOW_CONFIDENCE:
            flags.append("ocr_low_confidence")
        text_lines = [TextLine(line.glyphs[0]["text"], line.page_bbox, line.size) for line in group]
        size = max(line.size for line in group)
        blocks.append(
            TextBlock(
                page=number,
                bbox=union_box(line.page_bbox for line in group),
                flags=flags,
                lines=text_lines,
                font_size=size,
                bold=False,
            )
        )
    return reading_order(blocks, lambda block: block.bbox or BBox(0, 0, 0, 0))


def _pseudo_char(line: OcrLine, scale: float) -> dict[str, Any]:
    """A recognised line as one pdfplumber-like char (what the table reader takes)."""
    x0, top, x1, bottom = (value * scale for value in line.box)
    size = round((bottom - top) * 0.8, 1)
    return {
        "text": normalise_ocr_text(line.text), "x0": x0, "top": top, "x1": x1, "bottom": bottom,
        "size": size, "fontname": "OCR", "matrix": (1, 0, 0, 1, x0, bottom), "upright": True,
        "confidence": line.confidence,
    }


def page_blocks(lines: list[OcrLine], tables: list[list[tuple[float, float, float, float]]], number: int, scale: float) -> list[AnyBlock]:
    """Tables (cells filled with the lines inside them) and text blocks of one read page."""
    from deckmine.extractors.pdf_tables import table_block

    chars = [char for char in (_pseudo_char(line, scale) for line in lines) if char["text"]]
    blocks: list[AnyBlock] = []
    used: set[int] = set()
    for cells in tables:
        block = table_block(cells, chars, number)
        if block is None or block.bbox is None:
            continue
        box = block.bbox
        inside = [i for i, char in enumerate(chars) if _centre_in(char, box)]
        lowest = min((chars[i]["confidence"] for i in inside), default=1.0)
        block.flags = ["ocr", f"ocr_confidence={lowest:.2f}"] + (["ocr_low_confidence"] if lowest < LOW_CONFIDENCE else [])
        used.update(inside)
        blocks.append(block)
    loose = [line for i, line in enumerate(line for line in lines if normalise_ocr_text(line.text)) if i not in used]
    blocks.extend(blocks_from_lines(loose, number, scale))
    return reading_order(blocks, lambda block: block.bbox or BBox(0, 0, 0, 0))


def _centre_in(char: dict[str, Any], box: BBox) -> bool:
    x = (char["x0"] + char["x1"]) / 2
    y = (char["top"] + char["bottom"]) / 2
    return box.x0 <= x <= box.x1 and box.top <= y <= box.bottom


def picture_blocks(
    number: int, lines: list[OcrLine], tables: list[list[tuple[float, float, float, float]]],
    origin: tuple[float, float], scale: float,
) -> list[AnyBlock]:
    """The blocks read in a picture whose top-left corner is at `origin` (points) on its page;
    `scale` turns the picture's pixels into points. Lines below PICTURE_MIN_CONFIDENCE go."""
    dx, dy = origin
    shifted = [
        OcrLine((x0 + dx / scale, top + dy / scale, x1 + dx / scale, bottom + dy / scale), text, confidence)
        for (x0, top, x1, bottom), text, confidence in lines
        if confidence >= PICTURE_MIN_CONFIDENCE
    ]
    cells = [[(x0 + dx, top + dy, x1 + dx, bottom + dy) for x0, top, x1, bottom in table] for table in tables]
    return page_blocks(shifted, cells, number, scale)


def add_picture_blocks(page: Page, added: list[AnyBlock]) -> None:
    """Put what was read in a picture on its page, where the picture is; the page's title and
    the order of its other blocks stay."""
    if not added:
        return
    title = page.blocks[0] if page.blocks and getattr(page.blocks[0], "is_title", False) else None
    rest = [block for block in page.blocks if block is not title]
    page.blocks = ([title] if title else []) + reading_order(rest + added, lambda block: block.bbox or BBox(0, 0, 0, 0))


__all__ = [
    "LOW_CONFIDENCE",
    "PICTURE_MIN_CONFIDENCE",
    "add_picture_blocks",
    "blocks_from_lines",
    "page_blocks",
    "picture_blocks",
]
