"""Text of PPTX shapes: paragraphs to `TextLine`s, vertical text, alt text, titles, speaker notes.

A paragraph is one line (a line break inside it starts another), with the largest run font size
and bold only when every run is; text goes through the same spacing normalisation as PDF text
(`extractors.textjoin`), so a deck and its PDF export read the same.
"""

from __future__ import annotations

import re

from deckmine.extractors.model import NotesBlock, TextBlock, TextLine
from deckmine.extractors.pptx_xml import TAG_BREAK, TAG_FIELD, TAG_RUN, XPATH
from deckmine.extractors.textjoin import normalize_spacing
from lxml import etree
from pptx.slide import Slide

VERTICAL_TEXT_VALUES = frozenset(
    {"vert", "vert270", "eaVert", "wordArtVert", "wordArtVertRtl", "mongolianVert"}
)

IMAGE_FILE_NAME = re.compile(
    r"[^\\/:*?\"<>|\n]+\.(?:png|jpe?g|gif|bmp|tiff?|emf|wmf|svg|webp)", re.I
)


def text_lines(body: etree._Element) -> list[TextLine]:
    """One TextLine per non-empty paragraph (a line break inside a paragraph starts a new line)."""
    lines: list[TextLine] = []
    for paragraph in XPATH["paragraphs"](body):
        pieces: list[str] = []
        sizes: list[float] = []
        bolds: list[bool | None] = []
        for child in paragraph:
            if child.tag == TAG_BREAK:
                pieces.append("\n")
            elif child.tag in (TAG_RUN, TAG_FIELD):
                text = "".join(XPATH["run_text"](child))
                pieces.append(text)
                if not text.strip():
                    continue
                props = XPATH["run_props"](child)
                size = props[0].get("sz") if props else None
                if size:
                    sizes.append(int(size) / 100)
                bold = props[0].get("b") if props else None
                bolds.append(None if bold is None else bold in ("1", "true"))
        for text in "".join(pieces).split("\n"):
            text = normalize_spacing(text.replace("\v", " ").strip())
            if text:
                lines.append(
                    TextLine(
                        text=text,
                        font_size=max(sizes) if sizes else None,
                        bold=all_or_none(bolds),
                    )
                )
    return lines


def all_or_none(values: list[bool | None]) -> bool | None:
    """True when every value is True, None when none is known, else False."""
    if not values or all(value is None for value in values):
        return None
    return all(values)


def is_vertical(body: etree._Element) -> bool:
    props = XPATH["body_props"](body)
    return bool(props) and props[0].get("vert") in VERTICAL_TEXT_VALUES


def alt_text(element: etree._Element) -> str:
    """The picture's description, unless it is only the image's file name (which PowerPoint and
    python-pptx put there when the author wrote none)."""
    props = XPATH["non_visual_props"](element)
    description = (props[0].get("descr") or "").strip() if props else ""
    return "" if IMAGE_FILE_NAME.fullmatch(description) else description


def notes_block(slide: Slide, number: int) -> NotesBlock | None:
    if not slide.has_notes_slide:
        return None
    text_frame = slide.notes_slide.notes_text_frame
    if text_frame is None:
        return None
    lines = text_lines(text_frame._txBody)
    body = "\n".join(line.text for line in lines)
    return NotesBlock(page=number, bbox=None, body=body) if body else None


def title_text(block: TextBlock) -> str:
    """The title on one line: lines joined by a space, except next to CJK text (a CJK title broken
    over two lines is one phrase)."""
    title = ""
    for line in block.lines:
        if title and not _is_cjk(title[-1]) and not _is_cjk(line.text[0]):
            title += " "
        title += line.text
    return title


def _is_cjk(char: str) -> bool:
    return (
        0x2E80 <= ord(char) <= 0x9FFF or 0xF900 <= ord(char) <= 0xFAFF or 0xFF00 <= ord(char) <= 0xFFEF
    )


__all__ = [
    "IMAGE_FILE_NAME",
    "VERTICAL_TEXT_VALUES",
    "all_or_none",
    "alt_text",
    "is_vertical",
    "notes_block",
    "text_lines",
    "title_text",
]
