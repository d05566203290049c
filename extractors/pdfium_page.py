"""A PDF page read by pdfium that the reader, the table and chart finders and OCR take in place of
a pdfplumber page: the same attributes (`chars`, `rects`, `lines`, `curves`, `images`, `edges`,
`width`, `height`, `find_tables`, `to_image`, `crop`), none of which makes pdfminer parse the page.

The pdfplumber page it wraps gives the page's size, its font dictionaries and rendering (pdfplumber
renders with pdfium too); pdfminer reads only the document's cross-reference table and page tree.
Chars come from `extractors.pdfium_chars`, drawings from `extractors.pdfium_paths`; ruled tables
are found by pdfplumber's own `TableFinder` run on these edges.

`PdfiumPage.open` raises `NeedsPdfminer` for a page pdfium cannot give identically: a rotated
page or one whose MediaBox does not start at (0, 0) (pdfplumber shifts and turns its boxes), a
font `extractors.pdfium_fonts` cannot match, or a text object pdfium's text page leaves out (a
text object of spaces only has an empty box and pdfium skips it; a copy of the previous text
object is skipped too, which is harmless only when it lies within the fake-bold tolerance).
"""

from __future__ import annotations

import ctypes
from itertools import chain
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfplumber import utils as plumber_utils
from pdfplumber.table import Table, TableFinder, TableSettings

from extractors.pdfium_chars import NeedsPdfminer, object_id, page_chars
from extractors.pdfium_fonts import page_fonts
from extractors.pdfium_paths import Graphics, page_graphics

DUPLICATE_TOLERANCE = 1.0  # points; as extractors.pdf_reader: a copy this close is fake bold


class PdfiumPage:
    """One page: pdfplumber's page for its size and rendering, pdfium for its objects."""

    def __init__(self, plumber_page: Any, chars: list[dict[str, Any]], graphics: Graphics,
                 textpage: Any, pdfium_page: Any) -> None:
        self._plumber = plumber_page
        self.chars = chars
        self.rects = graphics.rects
        self.lines = graphics.lines
        self.curves = graphics.curves
        self.images = graphics.images
        self._textpage = textpage
        self._pdfium_page = pdfium_page
        self.page_number = plumber_page.page_number
        self.width = plumber_page.width
        self.height = plumber_page.height
        self.bbox = plumber_page.bbox
        self.initial_doctop = plumber_page.initial_doctop
        self._edges: list[dict[str, Any]] | None = None

    @classmethod
    def open(cls, plumber_page: Any, document: pdfium.PdfDocument) -> PdfiumPage:
        """The pdfium reading of `plumber_page` (same index in `document`), or NeedsPdfminer."""
        if plumber_page.rotation:
            raise NeedsPdfminer(f"page rotated by {plumber_page.rotation}°")
        mediabox = plumber_page.page_obj.mediabox
        if mediabox and (float(mediabox[0]) or float(mediabox[1])):
            raise NeedsPdfminer("MediaBox does not start at (0, 0)")
        pdfium_page = document[plumber_page.page_number - 1]
        textpage = pdfium_c.FPDFText_LoadPage(pdfium_page.raw)
        try:
            height = float(plumber_page.height)
            fonts = page_fonts(plumber_page.page_obj.resources)
            seen: set[int] = set()
            chars = page_chars(textpage, height, fonts, seen)
            graphics = page_graphics(pdfium_page.raw, height, float(plumber_page.initial_doctop))
            _check_text_objects(graphics.text_objects, seen)
        except BaseException:
            pdfium_c.FPDFText_ClosePage(textpage)
            pdfium_page.close()
            raise
        return cls(plumber_page, chars, graphics, textpage, pdfium_page)

    @property
    def edges(self) -> list[dict[str, Any]]:
        """pdfplumber's `Page.edges`: line edges, then rectangle edges, then curve edges."""
        if self._edges is None:
            self._edges = [
                *map(plumber_utils.line_to_edge, self.lines),
                *chain.from_iterable(map(plumber_utils.rect_to_edges, self.rects)),
                *chain.from_iterable(map(plumber_utils.curve_to_edges, self.curves)),
            ]
        return self._edges

    def find_tables(self, table_settings: Any = None) -> list[Table]:
        return TableFinder(self, TableSettings.resolve(table_settings)).tables  # type: ignore[arg-type]

    def to_image(self, **kwargs: Any) -> Any:
        return self._plumber.to_image(**kwargs)

    def crop(self, bbox: Any, **kwargs: Any) -> Any:
        return self._plumber.crop(bbox, **kwargs)

    def close(self) -> None:
        if self._textpage is not None:
            pdfium_c.FPDFText_ClosePage(self._textpage)
            self._textpage = None
            self._pdfium_page.close()
        self._plumber.close()


def _check_text_objects(text_objects: list[Any], seen: set[int]) -> None:
    """Raise NeedsPdfminer unless every text object pdfium's text page skipped is a copy (same
    font and size, box within DUPLICATE_TOLERANCE) of one it kept: the reader drops such copies
    as fake bold anyway."""
    kept: list[tuple[Any, float, tuple[float, float, float, float]]] = []
    for handle in text_objects:
        facts = (_font(handle), _size(handle), _bounds(handle))
        if object_id(handle) in seen:
            kept.append(facts)
            continue
        font, size, box = facts
        if not any(
            other_font == font and other_size == size
            and all(abs(p - q) <= DUPLICATE_TOLERANCE for p, q in zip(box, other_box, strict=True))
            for other_font, other_size, other_box in kept
        ):
            raise NeedsPdfminer("pdfium's text page leaves out a text object (spaces only?)")


def _font(handle: Any) -> int:
    return ctypes.cast(pdfium_c.FPDFTextObj_GetFont(handle), ctypes.c_void_p).value or 0


def _size(handle: Any) -> float:
    size = ctypes.c_float()
    return float(size.value) if pdfium_c.FPDFTextObj_GetFontSize(handle, size) else 0.0


def _bounds(handle: Any) -> tuple[float, float, float, float]:
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if not pdfium_c.FPDFPageObj_GetBounds(handle, left, bottom, right, top):
        return (0.0, 0.0, 0.0, 0.0)
    return (left.value, bottom.value, right.value, top.value)


__all__ = ["NeedsPdfminer", "PdfiumPage"]
