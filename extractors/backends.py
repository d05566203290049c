"""The PDF backends: where the PDF reader takes a page's glyphs and drawings from.

`pdfium` (pypdfium2, several times faster) or `pdfplumber` (pdfminer); both give the same
`Document` (tests/test_pdf_backends.py). `PDF_BACKENDS` lists them, `DEFAULT_PDF_BACKEND` is the
default, `check_pdf_backend` checks a caller's choice.
"""

from __future__ import annotations

PDF_BACKENDS = ("pdfium", "pdfplumber")
DEFAULT_PDF_BACKEND = "pdfium"


def check_pdf_backend(name: str | None) -> str:
    """`name` if it is one of PDF_BACKENDS, DEFAULT_PDF_BACKEND for None; ValueError otherwise."""
    if name is None:
        return DEFAULT_PDF_BACKEND
    if name not in PDF_BACKENDS:
        raise ValueError(
            f"unknown pdf_backend {name!r}: expected one of {', '.join(map(repr, PDF_BACKENDS))}"
        )
    return name


__all__ = ["DEFAULT_PDF_BACKEND", "PDF_BACKENDS", "check_pdf_backend"]
