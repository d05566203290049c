"""OCR for PDF pages without a text layer (scanned or image-only decks), offline.

Modes (`--ocr`, or `DECKMINE_OCR`): `auto` (default) reads the pages that have no text layer and
the pictures on other pages that cover a few percent of the page with no text over them (a table
pasted as a screenshot),
`always` reads every page from its picture instead of its text layer, `never` reads none. With OCR
off or not installed, a PDF none of whose pages has a text layer is refused with one line:
`no text layer on 18 of 18 pages (scanned?); OCR is off`; when only some pages lack it (and show a
picture), the document says so in a warning.

Engines, both with their models on disk (nothing is downloaded at run time):
- `rapidocr`: `rapidocr-onnxruntime` (PP-OCRv4 detection and recognition models inside the wheel,
  `pip install 'deckmine[ocr]'`);
- `tesseract`: Debian's `tesseract-ocr` with `tesseract-ocr-chi-tra`, through `pytesseract`.
`DECKMINE_OCR_ENGINE` picks one; otherwise the first installed of ENGINES is used (the order is
the measured one, see README "Formats"). Finding, loading and running them (in a helper process,
`python -m extractors.ocr`): `extractors.ocr_engines`.

A page is rendered at `DPI` (pypdfium2, which pdfplumber ships), every detected line becomes a
`TextLine` with its box in points, lines are grouped into blocks as PDF text is
(`extractors.pdf_layout`; here `extractors.ocr_layout`, ruled tables `extractors.ocr_tables`), and
every block is flagged `ocr` and `ocr_confidence=0.93` (the lowest line confidence in it), plus
`ocr_low_confidence` under LOW_CONFIDENCE. Simplified forms the recognizer prefers (`户`, `连`) are
mapped to the traditional ones (`data/ocr_simplified.tsv`), and radicals as for PDF text
(`extractors.glyphs`): `extractors.ocr_text`.

This module holds the modes and `PageOcr`, what a reader asks per page and per document; the names
of the modules above are re-exported here.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deckmine.extractors.model import AnyBlock, Document, ExtractionError, Page
from deckmine.extractors.ocr_engines import (
    ENGINES,
    INSTALL_HINT,
    Engine,
    OcrLine,
    available_engine,
    engine,
    main,
    run_engine,
)
from deckmine.extractors.ocr_layout import (
    LOW_CONFIDENCE,
    PICTURE_MIN_CONFIDENCE,
    add_picture_blocks,
    blocks_from_lines,
    page_blocks,
    picture_blocks,
)
from deckmine.extractors.ocr_tables import TONE_STEP, ruled_tables
from deckmine.extractors.ocr_text import normalise_ocr_text, simplified_map

MODES = ("auto", "always", "never")
DPI = 150
PICTURE_MIN_SHARE = 0.05  # a picture covering this share of a page with text may hold text too
PICTURE_MAX_GLYPHS = 3  # ... when the text layer has no more glyphs than this over it
SECONDS_PER_PAGE = 60.0  # the helper's time limit: this per page, plus STARTUP_SECONDS
STARTUP_SECONDS = 30.0


Placer = Callable[[Page, list[AnyBlock]], None]


def ocr_mode(mode: str | None = None) -> str:
    value = (mode or os.environ.get("DECKMINE_OCR") or "auto").strip().lower()
    if value not in MODES:
        raise ValueError(f"OCR mode must be one of {', '.join(MODES)}, not {value!r}")
    return value


def read_page_image(pdf_page: Any, number: int, ocr_engine: Engine) -> list[AnyBlock]:
    """Render a pdfplumber page and read it: its ruled tables and its text."""
    image = pdf_page.to_image(resolution=DPI).original
    scale = 72.0 / DPI
    return page_blocks(ocr_engine.read(image), ruled_tables(image, scale), number, scale)


def _pictures_with_text(pdf_page: Any) -> list[tuple[float, float, float, float]]:
    """Boxes of the pictures on a page with a text layer that may hold text of their own (a table
    pasted as a screenshot): at least PICTURE_MIN_SHARE of the page, no text drawn over them."""
    width, height = float(pdf_page.width), float(pdf_page.height)
    boxes = []
    for image in pdf_page.images:
        x0, top = max(0.0, float(image["x0"])), max(0.0, float(image["top"]))
        x1, bottom = min(width, float(image["x1"])), min(height, float(image["bottom"]))
        if x1 <= x0 or bottom <= top or (x1 - x0) * (bottom - top) < PICTURE_MIN_SHARE * width * height:
            continue
        over = sum(
            1 for char in pdf_page.chars
            if x0 <= (char["x0"] + char["x1"]) / 2 <= x1 and top <= (char["top"] + char["bottom"]) / 2 <= bottom
            and char["text"].strip()
        )
        if over <= PICTURE_MAX_GLYPHS:
            boxes.append((x0, top, x1, bottom))
    return boxes


@dataclass
class PageOcr:
    """What the PDF reader asks per page, and what it says about the document at the end: pages to
    read are rendered as they pass (`visit`), then read in one helper run (`conclude`)."""

    mode: str = "auto"
    engine_name: str | None = None
    without_text: int = 0  # pages with no text layer
    without_text_pictured: int = 0  # of those, pages that show a picture
    read: int = 0  # pages read by OCR
    pictures: int = 0  # pictures on pages with text read by OCR
    unavailable: str = ""
    failed: str = ""
    seconds_per_page: float = SECONDS_PER_PAGE
    _checked: bool = field(default=False, repr=False)
    # (page, picture file, its origin on the page in points or None for a whole page, points per
    # pixel, where to put the blocks read in a picture (None: `add_picture_blocks`))
    _pending: list[tuple[Page, Path, tuple[float, float] | None, float, Placer | None]] = field(
        default_factory=list, repr=False
    )
    _folder: tempfile.TemporaryDirectory[str] | None = field(default=None, repr=False)
    _finish: Callable[[Page], None] | None = field(default=None, repr=False)

    @classmethod
    def for_mode(cls, mode: str | None = None) -> PageOcr:
        return cls(mode=ocr_mode(mode))

    def _engine(self) -> str | None:
        if not self._checked:
            self._checked = True
            self.engine_name = available_engine()
            if self.engine_name is None:
                self.unavailable = f" (no OCR engine installed: {INSTALL_HINT})"
        return self.engine_name

    def visit(self, page: Page, pdf_page: Any, unreadable_only: bool, finish: Callable[[Page], None]) -> None:
        """Called with each page once its text layer is read: keep its picture when the mode
        says it is to be read."""
        no_text = not page.blocks and not unreadable_only
        if no_text:
            self.without_text += 1
            self.without_text_pictured += bool(pdf_page.images)
        if self.mode == "never":
            return
        whole_page = no_text or self.mode == "always"
        pictures = [] if whole_page or unreadable_only else _pictures_with_text(pdf_page)
        if not (whole_page or pictures) or self._engine() is None:
            return
        if self._folder is None:
            self._folder = tempfile.TemporaryDirectory(prefix="deckmine-ocr-")
        if whole_page:
            path = Path(self._folder.name) / f"page-{page.number:04d}.png"
            pdf_page.to_image(resolution=DPI).original.save(path)
            self._pending.append((page, path, None, 72.0 / DPI, None))
        for box in pictures:
            self._keep(page, pdf_page.crop(box).to_image(resolution=DPI).original, (box[0], box[1]), 72.0 / DPI)
        self._finish = finish

    def _keep(self, page: Page, image: Any, origin: tuple[float, float], scale: float,
              place: Placer | None = None) -> None:
        if self._folder is None:
            self._folder = tempfile.TemporaryDirectory(prefix="deckmine-ocr-")
        path = Path(self._folder.name) / f"picture-{len(self._pending):05d}.png"
        image.save(path)
        self._pending.append((page, path, origin, scale, place))

    def visit_picture(self, page: Page, image: Any, origin: tuple[float, float], scale: float,
                      place: Placer) -> bool:
        """Keep a picture of another reader (a PPTX picture shape, already judged to be large and
        free of text over it) to be read with the rest at `conclude`: `origin` is its top-left
        corner on the page in points, `scale` points per pixel; `place(page, blocks)` puts what
        was read. False when OCR is off or no engine is installed (`unavailable` says why)."""
        if self.mode == "never" or self._engine() is None:
            return False
        self._keep(page, image, origin, scale, place)
        return True

    def _read_pending(self) -> None:
        if not self._pending or self.engine_name is None:
            return
        from PIL import Image

        try:
            results = run_engine([path for _, path, _, _, _ in self._pending], self.engine_name,
                                 timeout=self.seconds_per_page * len(self._pending) + STARTUP_SECONDS)
            for (page, path, origin, scale, place), lines in zip(self._pending, results, strict=True):
                with Image.open(path) as image:
                    tables = ruled_tables(image, scale)
                if origin is None:
                    page.blocks = page_blocks(lines, tables, page.number, scale)
                    page.title = None
                    if self._finish is not None:
                        self._finish(page)
                    self.read += 1
                    continue
                (place or add_picture_blocks)(page, picture_blocks(page.number, lines, tables, origin, scale))
                self.pictures += 1
        except ExtractionError as exc:
            self.failed = str(exc)
        finally:
            self._pending.clear()
            if self._folder is not None:
                self._folder.cleanup()
                self._folder = None

    def conclude(self, document: Document) -> None:
        """Read the kept pictures; refuse a PDF with no text layer at all that OCR did not read,
        and warn when some pages were left without text."""
        self._read_pending()
        count = len(document.pages)
        if self.pictures:
            document.metadata["ocr_pictures"] = self.pictures
            document.metadata["ocr_engine"] = self.engine_name
        if self.read:
            document.metadata["ocr_pages"] = self.read
            document.metadata["ocr_engine"] = self.engine_name
            return
        if not count:
            return
        off = f"{self.failed}" if self.failed else f"OCR is off{self.unavailable}"
        if self.without_text == count:
            raise ExtractionError(f"no text layer on {count} of {count} pages (scanned?); {off}")
        if self.without_text_pictured:
            document.warnings.append(
                f"no text layer on {self.without_text_pictured} of {count} pages (scanned?); {off}"
            )


if __name__ == "__main__":
    sys.exit(main())


__all__ = [
    "DPI",
    "ENGINES",
    "INSTALL_HINT",
    "LOW_CONFIDENCE",
    "MODES",
    "PICTURE_MAX_GLYPHS",
    "PICTURE_MIN_CONFIDENCE",
    "PICTURE_MIN_SHARE",
    "SECONDS_PER_PAGE",
    "STARTUP_SECONDS",
    "TONE_STEP",
    "Engine",
    "OcrLine",
    "PageOcr",
    "Placer",
    "available_engine",
    "run_engine",
    "blocks_from_lines",
    "engine",
    "main",
    "normalise_ocr_text",
    "ocr_mode",
    "page_blocks",
    "picture_blocks",
    "read_page_image",
    "ruled_tables",
    "simplified_map",
]
