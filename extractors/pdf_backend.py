"""Where the PDF reader takes a page's glyphs and drawings from, per backend and page.

With `pdfplumber` every page is pdfplumber's own (pdfminer parses it). With `pdfium` the document
is opened once more by pypdfium2 and each page is an `extractors.pdfium_page.PdfiumPage`, unless
pdfium cannot open the file (pdfminer then reads every page, and says what is wrong the same way
with either backend) or `PdfiumPage.open` says a page cannot be read identically
(`NeedsPdfminer`): that page is pdfplumber's. `PDFIUM_FALLBACKS` lists why, for the last document.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from deckmine.extractors.pdfium_page import DocumentCaches, NeedsPdfminer, PdfiumPage

PDFIUM_FALLBACKS: list[str] = []  # why pages were read by pdfminer with the pdfium backend (last read)


@dataclass
class PdfiumSource:
    """pypdfium2's document and what its pages share."""

    document: pdfium.PdfDocument
    caches: DocumentCaches = field(default_factory=DocumentCaches)


@contextlib.contextmanager
def pdfium_document(path: Path, backend: str) -> Iterator[PdfiumSource | None]:
    """pypdfium2's document for the pdfium backend; None for pdfplumber, or when pdfium cannot
    open a file pdfminer can."""
    PDFIUM_FALLBACKS.clear()
    if backend != "pdfium":
        yield None
        return
    try:
        document = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        PDFIUM_FALLBACKS.append(f"document: {exc}")
        yield None
        return
    try:
        yield PdfiumSource(document)
    finally:
        document.close()


def page_source(plumber_page: Any, source: PdfiumSource | None) -> Any:
    """The page as the pdfium backend reads it, or pdfplumber's page where pdfium cannot."""
    if source is None:
        return plumber_page
    inflate_contents(plumber_page)
    try:
        return PdfiumPage.open(plumber_page, source.document, source.caches)
    except NeedsPdfminer as exc:
        PDFIUM_FALLBACKS.append(f"page {plumber_page.page_number}: {exc}")
        return plumber_page


def inflate_contents(plumber_page: Any) -> None:
    """Inflate the page's content streams through pdfminer, whose zlib the reader bounds (a
    stream past the cap raises `StreamTooLarge`), before pdfium reads them: pdfium would inflate a
    decompression bomb into memory unbounded. Content streams are kilobytes; this costs little."""
    for stream in getattr(plumber_page.page_obj, "contents", None) or ():
        get_data = getattr(stream, "get_data", None)
        if get_data is not None:
            get_data()


__all__ = ["PDFIUM_FALLBACKS", "PdfiumSource", "inflate_contents", "page_source", "pdfium_document"]
