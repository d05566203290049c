"""A PDF page read by pdfium that the reader, the table and chart finders and OCR take in place of
a pdfplumber page: the same attributes (`chars`, `rects`, `lines`, `curves`, `images`, `edges`,
`width`, `height`, `find_tables`, `to_image`, `crop`), none of which makes pdfminer parse the page.

The pdfplumber page it wraps gives the page's size, its font dictionaries and rendering (pdfplumber
renders with pdfium too); pdfminer reads only the document's cross-reference table and page tree.
Chars come from `extractors.pdfium_chars`, drawings from `extractors.pdfium_paths`; ruled tables
are found by pdfplumber's own `TableFinder` run on these edges.

`PdfiumPage.open` raises `NeedsPdfminer` for a page pdfium cannot give identically: a rotated
page or one whose MediaBox does not start at (0, 0) (pdfplumber shifts and turns its boxes), a
font `extractors.pdfium_fonts` cannot match, or a text object pdfium's text page leaves out whose
glyphs `extractors.pdfium_hidden` cannot rebuild as pdfminer's (a text object of spaces only has
an empty box and pdfium skips it; its spaces are rebuilt from the content stream).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import chain
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from deckmine.extractors.pdfium_chars import NeedsPdfminer, page_chars
from deckmine.extractors.pdfium_fonts import FontCache, page_fonts
from deckmine.extractors.pdfium_hidden import add_hidden_chars, hidden_objects
from deckmine.extractors.pdfium_paths import Graphics, page_graphics
from pdfminer.pdfinterp import PDFResourceManager
from pdfplumber import utils as plumber_utils
from pdfplumber.table import Table, TableFinder, TableSettings


@dataclass
class DocumentCaches:
    """What the pages of one document share: the reading of each font dictionary, and pdfminer's
    font objects for rebuilding hidden text objects (made on first use)."""

    fonts: FontCache = field(default_factory=dict)
    _manager: PDFResourceManager | None = None

    @property
    def manager(self) -> PDFResourceManager:
        if self._manager is None:
            self._manager = PDFResourceManager(caching=True)
        return self._manager


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
    def open(cls, plumber_page: Any, document: pdfium.PdfDocument,
             caches: DocumentCaches | None = None) -> PdfiumPage:
        """The pdfium reading of `plumber_page` (same index in `document`), or NeedsPdfminer."""
        if plumber_page.rotation:
            raise NeedsPdfminer(f"page rotated by {plumber_page.rotation}°")
        mediabox = plumber_page.page_obj.mediabox
        if mediabox and (float(mediabox[0]) or float(mediabox[1])):
            raise NeedsPdfminer("MediaBox does not start at (0, 0)")
        caches = caches or DocumentCaches()
        pdfium_page = document[plumber_page.page_number - 1]
        textpage = pdfium_c.FPDFText_LoadPage(pdfium_page.raw)
        try:
            height = float(plumber_page.height)
            fonts = page_fonts(plumber_page.page_obj.resources, caches.fonts)
            char_objects: list[int] = []
            chars = page_chars(textpage, height, fonts, char_objects=char_objects)
            graphics = page_graphics(pdfium_page.raw, height, float(plumber_page.initial_doctop))
            hidden = hidden_objects(graphics.text_objects, set(char_objects))
            if hidden:
                chars = add_hidden_chars(plumber_page, graphics, hidden, chars, char_objects,
                                         fonts, height, caches.manager)
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


__all__ = ["DocumentCaches", "NeedsPdfminer", "PdfiumPage"]
