"""Extractors: turn a briefing file into a `Document` (see `extractors.model`).

`extract(path)` checks the file is what its extension says and hashes its bytes
(`extractors.files`), then hands it to the PDF reader or the PPTX reader (python-pptx); an `.odp`
or `.ppt` is converted to PPTX by headless LibreOffice first (`extractors.convert`) and keeps its
own path, hash and type. Anything wrong with the file raises `ExtractionError` with a one-line
reason; callers print it as `FILE: reason`.

`pdf_backend` chooses where the PDF reader takes glyphs and drawings from: `pdfium` (pypdfium2,
several times faster) or `pdfplumber` (pdfminer); both give the same `Document`
(tests/test_pdf_backends.py). `PDF_BACKENDS` lists them, `DEFAULT_PDF_BACKEND` is the default
(`extractors.backends`).
"""

from __future__ import annotations

from pathlib import Path

from deckmine.extractors.backends import DEFAULT_PDF_BACKEND, PDF_BACKENDS, check_pdf_backend
from deckmine.extractors.files import EXPECTED, SUPPORTED_SUFFIXES, check_file, sha256_of
from deckmine.extractors.model import Document, ExtractionError


def extract(path: str | Path, *, pdf_backend: str | None = None) -> Document:
    """Extract one file. Raises ExtractionError for anything that is not a readable PDF, PPTX, ODP
    or PPT. `pdf_backend`: one of PDF_BACKENDS (default DEFAULT_PDF_BACKEND); ValueError for
    anything else, whatever the file type."""
    pdf_backend = check_pdf_backend(pdf_backend)
    path = Path(path)
    file_type = check_file(path)
    try:
        sha256 = sha256_of(path)
    except FileNotFoundError:
        raise ExtractionError("file not found (it may have been moved or deleted)") from None
    if file_type == "pdf":
        from deckmine.extractors.pdf_reader import read_pdf

        return read_pdf(path, sha256=sha256, pdf_backend=pdf_backend)
    if file_type in ("odp", "ppt"):
        from deckmine.extractors.convert import read_converted

        return read_converted(path, sha256, file_type)
    from deckmine.extractors.pptx_reader import read_pptx

    return read_pptx(path, sha256=sha256)


__all__ = [
    "DEFAULT_PDF_BACKEND",
    "EXPECTED",
    "Document",
    "ExtractionError",
    "PDF_BACKENDS",
    "SUPPORTED_SUFFIXES",
    "check_file",
    "check_pdf_backend",
    "extract",
    "sha256_of",
]
