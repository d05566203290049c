"""Turn a PPTX deck into a `Document` with python-pptx: one `Page` per slide.

Every shape with content becomes a block: text shapes (also inside nested groups, with their
coordinates mapped to the slide through each group's transform), tables (merged cells explicit),
charts (cached data), SmartArt (texts of the diagram's data part), pictures with alt text, and the
speaker notes. Blocks are put in reading order: the title first, then top to bottom and left to
right, the notes last. Text goes through the same spacing normalisation as PDF text, so a deck and
its PDF export read the same.

Pictures that may hold text (a table pasted as a screenshot: a picture shape covering at least
`extractors.ocr.PICTURE_MIN_SHARE` of the slide with no text over it) are read by OCR with
`--ocr auto` or `always` (`extractors.ocr`: the same engine and helper process as PDF pages, one run
per deck); what is read becomes blocks flagged `ocr`, placed where the picture is on the slide.

This module reads the package and its metadata; one slide's blocks: `extractors.pptx_slide`, with
`pptx_geometry` (groups, boxes, reading order), `pptx_text`, `pptx_tables`, `pptx_charts`,
`smartart`, `pptx_pictures` (OCR), and `pptx_xml` (tags, XPaths, damage errors).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from deckmine.extractors.model import Document, ExtractionError, Page
from deckmine.extractors.ocr import PageOcr
from deckmine.extractors.pptx_slide import read_slide
from deckmine.extractors.pptx_xml import (
    DAMAGE_ERRORS,
    EMU_PER_POINT,
    first_malformed_part,
    one_line,
)
from lxml import etree
from pptx import Presentation


def read_pptx(path: Path, sha256: str, ocr: str | None = None) -> Document:
    """Extract a PPTX deck. Raises ExtractionError for a damaged package or a deck with no slides;
    a shape that cannot be read becomes a warning on its page.
    `ocr`: auto | always | never (default: $DECKMINE_OCR, else auto) for pictures that hold text."""
    ocr_state = PageOcr.for_mode(ocr)
    try:
        presentation = Presentation(str(path))
        slides = list(presentation.slides)
    except etree.XMLSyntaxError as exc:
        part = first_malformed_part(path)
        where = f"{part} is not well-formed XML" if part else "malformed XML"
        raise ExtractionError(
            f"damaged PPTX: {where} ({one_line(exc, with_type=False)})"
        ) from None
    except DAMAGE_ERRORS as exc:
        raise ExtractionError(f"damaged PPTX: {one_line(exc)}") from None
    if not slides:
        raise ExtractionError("deck has no slides")

    width = (presentation.slide_width or 0) / EMU_PER_POINT
    height = (presentation.slide_height or 0) / EMU_PER_POINT
    document = Document(
        path=str(path),
        sha256=sha256,
        file_type="pptx",
        metadata=_metadata(presentation, width, height, len(slides)),
    )
    hidden = [
        number
        for number, slide in enumerate(slides, 1)
        if slide._element.get("show") in ("0", "false")
    ]
    if hidden:
        # PowerPoint leaves hidden slides out of a PDF export: the PDF's pages are the others
        document.metadata["hidden_slides"] = hidden
    for number, slide in enumerate(slides, start=1):
        try:
            page = read_slide(slide, number, width, height, ocr_state)
        except DAMAGE_ERRORS as exc:
            page = Page(number=number, width=width, height=height)
            page.warnings.append(f"slide {number} could not be read: {one_line(exc)}")
        document.pages.append(page)
        document.warnings.extend(f"slide {number}: {warning}" for warning in page.warnings)
    ocr_state.conclude(document)  # reads the kept pictures in one helper run
    if ocr_state.failed:
        document.warnings.append(f"pictures not read by OCR: {ocr_state.failed}")
    return document


def _metadata(presentation: Any, width: float, height: float, slide_count: int) -> dict[str, Any]:
    metadata: dict[str, Any] = {
        "slide_width": round(width, 2),
        "slide_height": round(height, 2),
        "slide_count": slide_count,
    }
    try:
        core = presentation.core_properties
        values = {
            "title": core.title,
            "author": core.author,
            "subject": core.subject,
            "created": core.created.isoformat() if core.created else None,
            "modified": core.modified.isoformat() if core.modified else None,
        }
    except DAMAGE_ERRORS:
        return metadata  # core properties are optional; a broken one costs nothing else
    metadata.update({key: value for key, value in values.items() if value})
    return metadata


__all__ = ["read_pptx"]
