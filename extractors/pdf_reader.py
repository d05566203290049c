"""Read a PDF briefing deck into a `Document` with pdfplumber, or with pdfium's glyphs and drawings.

`pdf_backend` says where a page's glyphs and drawings come from: `pdfplumber` (pdfminer parses
every page) or `pdfium` (`extractors.pdfium_page`: the same chars, rectangles, lines and curves
from pypdfium2, several times faster; a page pdfium cannot give identically is read by pdfminer,
see `extractors.pdf_backend`). Both feed the same code below. Per page: take `page.chars` once; drop glyphs that carry no text (`(cid:N)` from fonts without a
Unicode map, private-use code points) and report them in `Page.warnings`; drop fake-bold duplicates
(the same glyph drawn twice a hair apart); find ruled tables (`extractors.pdf_tables`) and lay out
the remaining glyphs as text blocks (`extractors.pdf_layout`); put tables and text blocks in one
slide reading order; mark the page title (the largest font near the top). Then, on the page as read
(OCR'd text included), mark what its geometry says: each line that runs on into the next
(`TextLine.continues`, `extractors.pdf_wraps`) and the boxes of a chart drawn as text
(`chart_label`, `extractors.pdf_charts.flag_chart_axes`).

Anything wrong with the file (encrypted, truncated, damaged, no readable text at all) raises
`ExtractionError` with a one-line reason; a pdfminer traceback never escapes. A page that cannot be
parsed while others can is skipped with a warning.
"""

from __future__ import annotations

import re
import traceback
import zlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pdfminer.pdftypes
import pdfplumber
from deckmine.extractors.backends import check_pdf_backend
from deckmine.extractors.glyphs import clean_metadata, normalise_chars
from deckmine.extractors.model import (
    AnyBlock,
    BBox,
    Document,
    ExtractionError,
    Page,
    TextBlock,
    TextLine,
)
from deckmine.extractors.ocr import PageOcr
from deckmine.extractors.pdf_backend import PDFIUM_FALLBACKS, page_source, pdfium_document
from deckmine.extractors.pdf_charts import chart_regions, flag_chart_axes
from deckmine.extractors.pdf_layout import LayoutBlock, layout, reading_order
from deckmine.extractors.pdf_metadata import document_metadata, pdf_date_to_iso
from deckmine.extractors.pdf_tables import find_tables, join_wrapped, may_hold_table
from deckmine.extractors.pdf_wraps import mark_soft_wraps
from deckmine.extractors.vertical import LEFT, UP
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

CID_GLYPH = re.compile(r"^\(cid:\d+\)$")
PRIVATE_USE = re.compile("[\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd]")
DUPLICATE_TOLERANCE = 1.0  # points: a second copy of a glyph this close is fake bold
TITLE_ZONES = (0.3, 0.5)  # shares of the page height, from the top, where a title may start
TITLE_SIZE_SHARE = 0.85  # a title's font is at least this share of the largest font in its zone
LIBRARY_PATHS = ("/pdfminer/", "/pdfplumber/", "/pypdfium2/")
# A Flate stream may inflate to this much at most: slide content streams are kilobytes, a raw
# full-page image tens of megabytes; a decompression bomb is refused before it is in memory.
MAX_STREAM_BYTES = 128 << 20


class StreamTooLarge(ExtractionError):
    """A compressed stream of the PDF inflates beyond MAX_STREAM_BYTES."""

    def __init__(self) -> None:
        super().__init__(
            f"a compressed stream inflates to more than {MAX_STREAM_BYTES >> 20} MB "
            "(a decompression bomb?); not read"
        )


class _BoundedDecompressor:
    """zlib's decompressobj, refusing to produce more than MAX_STREAM_BYTES."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self._produced = 0

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        room = MAX_STREAM_BYTES + 1 - self._produced
        out = self._inner.decompress(data, min(max_length, room) if max_length else room)
        self._produced += len(out)
        if self._produced > MAX_STREAM_BYTES or (self._inner.unconsumed_tail and not max_length):
            raise StreamTooLarge()
        return out

    def flush(self, *args: int) -> bytes:
        out = self._inner.flush(*args)
        self._produced += len(out)
        if self._produced > MAX_STREAM_BYTES:
            raise StreamTooLarge()
        return out

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class _BoundedZlib:
    """What pdfminer sees as `zlib`: the same functions, but inflating is bounded."""

    error = zlib.error

    def decompress(self, data: bytes, wbits: int = zlib.MAX_WBITS, bufsize: int = 0) -> bytes:
        inner = zlib.decompressobj(wbits)
        out = _BoundedDecompressor(inner).decompress(data)
        if not inner.eof:
            raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
        return out

    def decompressobj(self, *args: Any, **kwargs: Any) -> _BoundedDecompressor:
        return _BoundedDecompressor(zlib.decompressobj(*args, **kwargs))

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)


pdfminer.pdftypes.zlib = _BoundedZlib()  # type: ignore[assignment]


def read_pdf(
    path: Path, sha256: str, ocr: str | None = None, pdf_backend: str | None = None
) -> Document:
    """Extract every page of the PDF at `path`. Raises ExtractionError for unusable files.
    `ocr`: auto | always | never (default: $DECKMINE_OCR, else auto; see extractors.ocr).
    `pdf_backend`: pdfium | pdfplumber (default: `extractors.DEFAULT_PDF_BACKEND`)."""
    backend = check_pdf_backend(pdf_backend)
    try:
        return _read(Path(path), sha256, PageOcr.for_mode(ocr), backend)
    except ExtractionError:
        raise
    except Exception as exc:
        _reraise_memory_error(exc)
        if not _raised_by_pdf_library(exc):
            raise
        raise ExtractionError(_reason(exc)) from None


def _reraise_memory_error(exc: BaseException) -> None:
    """pdfplumber wraps what pdfminer raises; running out of memory is the caller's to report
    (the worker's memory bound), never a damaged PDF or a damaged page."""
    cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    if isinstance(cause, MemoryError):
        raise MemoryError(str(cause)) from None


def _read(path: Path, sha256: str, ocr: PageOcr, backend: str = "pdfplumber") -> Document:
    with pdfplumber.open(path) as pdf, pdfium_document(path, backend) as pdfium_source:
        pages = pdf.pages
        document = Document(path=str(path), sha256=sha256, file_type="pdf")
        document.metadata, garbled = clean_metadata(document_metadata(pdf.metadata, pages))
        if garbled:
            document.warnings.append(garbled)
        unreadable_pages = 0
        failures: list[str] = []
        for number, plumber_page in enumerate(pages, start=1):
            pdf_page = page_source(plumber_page, pdfium_source)
            try:
                page, unreadable_only = _read_page(pdf_page, number)
                ocr.visit(page, pdf_page, unreadable_only, _mark_title)  # pages without text
                _mark_geometry(page)
            except Exception as exc:
                _reraise_memory_error(exc)
                if not _raised_by_pdf_library(exc):
                    raise
                failures.append(_reason(exc))
                page = Page(
                    number=number, width=float(pdf_page.width), height=float(pdf_page.height)
                )
                page.warnings.append(f"page {number} could not be read: {failures[-1]}")
                unreadable_only = False
            finally:
                pdf_page.close()
            unreadable_pages += unreadable_only
            document.pages.append(page)
            document.warnings.extend(page.warnings)
    count = len(document.pages)
    if count and len(failures) == count:
        raise ExtractionError(failures[0])
    if count and unreadable_pages == count:
        raise ExtractionError(
            f"no readable text: all {count} pages are unreadable glyphs ((cid:…))"
        )
    ocr.conclude(document)  # no text layer and no OCR: refused, or a warning
    if count and not any(page.blocks for page in document.pages):
        document.warnings.append("no text on any page (scanned or image-only PDF?)")
    return document


def _read_page(pdf_page: Any, number: int) -> tuple[Page, bool]:
    """The page and whether it held glyphs but none of them readable."""
    page = Page(number=number, width=float(pdf_page.width), height=float(pdf_page.height))
    chars, _bullets = normalise_chars(pdf_page.chars)  # symbol-font bullets, radicals, strokes
    chars, cid_count, private_count = split_unreadable(chars)
    chars = drop_duplicate_glyphs(chars)
    if cid_count or private_count:
        page.warnings.append(_unreadable_warning(number, cid_count, private_count))
    tables = find_tables(pdf_page, chars, number) if chars else []
    table_boxes = [table.bbox for table in tables if table.bbox is not None]
    loose = [char for char in chars if not any(_center_in(char, box) for box in table_boxes)]
    text_blocks = [_text_block(block, number) for block in layout(loose)]
    _flag_chart_labels(text_blocks, chart_regions(pdf_page) if may_hold_table(pdf_page) else [])
    blocks: list[AnyBlock] = [*text_blocks, *tables]
    page.blocks = reading_order(blocks, _bbox_of)
    _mark_title(page)
    has_text = any(char["text"].strip() for char in chars)
    return page, bool(cid_count or private_count) and not has_text


def split_unreadable(
    chars: Sequence[Mapping[str, Any]],
) -> tuple[list[Mapping[str, Any]], int, int]:
    """Chars that carry text, and how many were `(cid:N)` and private-use glyphs."""
    readable: list[Mapping[str, Any]] = []
    cid_count = private_count = 0
    for char in chars:
        text = char["text"]
        if CID_GLYPH.match(text):
            cid_count += 1
        elif PRIVATE_USE.search(text):
            private_count += 1
        else:
            readable.append(char)
    return readable, cid_count, private_count


def drop_duplicate_glyphs(chars: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Chars without fake-bold copies (same text within `DUPLICATE_TOLERANCE` points), in order."""
    seen: dict[tuple[str, int, int], list[tuple[float, float]]] = {}
    kept: list[Mapping[str, Any]] = []
    for char in chars:
        text = char["text"]
        if not text.strip():
            kept.append(char)
            continue
        x, y = float(char["x0"]), float(char["top"])
        cx, cy = int(x // DUPLICATE_TOLERANCE), int(y // DUPLICATE_TOLERANCE)
        if not _has_copy(seen, text, x, y, cx, cy):
            seen.setdefault((text, cx, cy), []).append((x, y))
            kept.append(char)
    return kept


def _has_copy(
    seen: Mapping[tuple[str, int, int], list[tuple[float, float]]],
    text: str, x: float, y: float, cx: int, cy: int,
) -> bool:
    """Whether a glyph `text` within DUPLICATE_TOLERANCE of (x, y) was seen (in the 3x3 cells)."""
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            for other_x, other_y in seen.get((text, cx + dx, cy + dy), ()):
                if abs(other_x - x) <= DUPLICATE_TOLERANCE and abs(other_y - y) <= DUPLICATE_TOLERANCE:
                    return True
    return False


def _unreadable_warning(number: int, cid_count: int, private_count: int) -> str:
    kinds = []
    if cid_count:
        kinds.append("(cid:NNN)")
    if private_count:
        kinds.append("private-use characters")
    total = cid_count + private_count
    return f"page {number}: {total} unreadable glyphs ({' and '.join(kinds)}); text dropped"


def _mark_geometry(page: Page) -> None:
    """What the page's geometry says about its text, as data for the miner: the lines that run
    on into the next (`TextLine.continues`) and a chart drawn as text (`chart_label` on the
    boxes of an evenly spaced axis of lone numbers)."""
    for block in page.blocks:
        if isinstance(block, TextBlock):
            mark_soft_wraps(block)
    flag_chart_axes(page.blocks)


_NUMBERS_ONLY = re.compile(r"^[\d,.%％\s+\-]+$")


def _flag_chart_labels(blocks: Sequence[TextBlock], regions: Sequence[BBox]) -> None:
    """Blocks of numbers only inside a drawn chart are its data labels and ticks (`chart_label`)."""
    for block in blocks:
        if block.bbox is None or not _NUMBERS_ONLY.match(block.text):
            continue
        x, y = (block.bbox.x0 + block.bbox.x1) / 2, (block.bbox.top + block.bbox.bottom) / 2
        if any(r.x0 <= x <= r.x1 and r.top <= y <= r.bottom for r in regions):
            block.flags.append("chart_label")


def _text_block(block: LayoutBlock, number: int) -> TextBlock:
    size = round(block.size, 1) or None
    if block.stacked:
        lines = [TextLine(block.line_texts[0], block.bbox, size, block.bold)]
    else:
        lines = [
            TextLine(line.text, line.page_bbox, round(line.size, 1) or None, line.bold)
            for line in block.lines
            if line.text
        ]
    flags = []
    if block.vertical:
        flags.append("vertical")
    if block.rotated:
        flags.append("rotated")
    if block.direction in (UP, LEFT):
        flags.append("reversed_repaired")
    return TextBlock(
        page=number, bbox=block.bbox, flags=flags, lines=lines, font_size=size, bold=block.bold
    )


def _mark_title(page: Page) -> None:
    """The top-most block near the top (the top half on a section slide whose only text sits
    mid-page) whose font is within TITLE_SIZE_SHARE of the largest there is the title: a long title
    that PowerPoint shrank to fit still beats a big label further down. It is read first if nothing
    starts above it."""
    texts = [
        block
        for block in page.blocks
        if isinstance(block, TextBlock)
        and block.bbox is not None
        and "vertical" not in block.flags
        and any(char.isalpha() for char in block.text)  # a bare section number (`02`) is no title
    ]
    for zone in TITLE_ZONES:
        candidates = [block for block in texts if _bbox_of(block).top < zone * page.height]
        if candidates:
            break
    else:
        return
    largest = max(block.font_size or 0.0 for block in candidates)
    title = min(
        (block for block in candidates if (block.font_size or 0.0) >= TITLE_SIZE_SHARE * largest),
        key=lambda block: _bbox_of(block).top,
    )
    title.is_title = True
    if all(_bbox_of(block).top >= _bbox_of(title).top for block in page.blocks):
        page.blocks.remove(title)
        page.blocks.insert(0, title)
    text = ""
    for line in title.lines:
        text = join_wrapped(text, line.text)
    page.title = text


def _bbox_of(block: AnyBlock) -> BBox:
    return block.bbox or BBox(0, 0, 0, 0)


def _center_in(char: Mapping[str, Any], box: BBox) -> bool:
    x = (float(char["x0"]) + float(char["x1"])) / 2
    y = (float(char["top"]) + float(char["bottom"])) / 2
    return box.x0 <= x <= box.x1 and box.top <= y <= box.bottom


# --------------------------------------------------------------------------- errors


def _raised_by_pdf_library(exc: BaseException) -> bool:
    if isinstance(exc, PdfminerException | PDFPasswordIncorrect | PDFEncryptionError):
        return True
    frames = traceback.extract_tb(exc.__traceback__)
    return bool(frames) and any(part in frames[-1].filename for part in LIBRARY_PATHS)


def _reason(exc: BaseException) -> str:
    cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    if isinstance(cause, ExtractionError):
        return str(cause)
    if isinstance(cause, PDFPasswordIncorrect):
        return "encrypted PDF (password required)"
    if isinstance(cause, PDFEncryptionError):
        return f"encrypted PDF (unsupported encryption: {_one_line(cause)})"
    if isinstance(cause, BaseException):
        return f"damaged PDF: {_one_line(cause)}"
    return f"damaged PDF: {_one_line(exc)}"


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "…"


__all__ = [
    "PDFIUM_FALLBACKS",
    "drop_duplicate_glyphs",
    "pdf_date_to_iso",
    "read_pdf",
    "split_unreadable",
]
