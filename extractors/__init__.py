"""Extractors: turn a briefing file into a `Document` (see `extractors.model`).

`extract(path)` checks the file is what its extension says, hashes its bytes and hands it to the
PDF reader or the PPTX reader (python-pptx); an `.odp` or `.ppt` is converted to PPTX
by headless LibreOffice first (`extractors.convert`) and keeps its own path, hash and type. Anything
wrong with the file raises `ExtractionError` with a one-line reason; callers print it as
`FILE: reason`.

`pdf_backend` chooses where the PDF reader takes glyphs and drawings from: `pdfium` (pypdfium2,
several times faster) or `pdfplumber` (pdfminer); both give the same `Document`
(tests/test_pdf_backends.py). `PDF_BACKENDS` lists them, `DEFAULT_PDF_BACKEND` is the default.
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

from extractors.model import Document, ExtractionError
from extractors.zipguard import check_package

SUPPORTED_SUFFIXES = (".pdf", ".pptx", ".odp", ".ppt")
EXPECTED = ".pdf, .pptx, .odp or .ppt"
ODP_MIMETYPE = b"application/vnd.oasis.opendocument.presentation"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
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


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def check_file(path: Path) -> str:
    """Return the file type ('pdf', 'pptx', 'odp' or 'ppt') or raise ExtractionError saying why it
    is not usable."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ExtractionError(f"unsupported file type '{suffix or path.name}' (expected {EXPECTED})")
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(1024)
    except FileNotFoundError:
        raise ExtractionError("file not found (it may have been moved or deleted)") from None
    except OSError as exc:
        raise ExtractionError(f"cannot read file ({exc.strerror or exc})") from None
    if size == 0:
        raise ExtractionError("empty file (0 bytes)")
    if suffix == ".pdf":
        if b"%PDF-" not in head:
            kind = _sniff(head)
            raise ExtractionError(f"not a PDF: the file is {kind}")
        return "pdf"
    if suffix == ".ppt":
        if not head.startswith(OLE_MAGIC):
            raise ExtractionError(f"not a PPT: the file is {_sniff(head)}, not an Office 97-2003 file")
        return "ppt"
    if suffix == ".odp":
        return _check_odp(path, head)
    if not head.startswith(b"PK"):
        raise ExtractionError(f"not a PPTX: the file is {_sniff(head)}, not a zip archive")
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile as exc:
        raise ExtractionError(f"not a PPTX: broken zip archive ({exc})") from None
    if "ppt/presentation.xml" not in names:
        raise ExtractionError("not a PPTX: the zip archive has no ppt/presentation.xml")
    check_package(path)  # zip-bomb caps, before python-pptx reads every member into memory
    return "pptx"


def _check_odp(path: Path, head: bytes) -> str:
    if not head.startswith(b"PK"):
        raise ExtractionError(f"not an ODP: the file is {_sniff(head)}, not a zip archive")
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype").strip() if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError) as exc:
        raise ExtractionError(f"not an ODP: broken zip archive ({exc})") from None
    if "ppt/presentation.xml" in names:
        raise ExtractionError("not an ODP: the file is a PPTX with the wrong extension (rename it .pptx)")
    if mimetype != ODP_MIMETYPE or "content.xml" not in names:
        kind = mimetype.decode("ascii", "replace") or "no mimetype"
        raise ExtractionError(f"not an ODP presentation (the zip archive holds {kind})")
    check_package(path)  # zip-bomb caps, before LibreOffice inflates it
    return "odp"


def _sniff(head: bytes) -> str:
    lowered = head.lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html")):
        return "HTML"
    if head.startswith(b"PK"):
        return "a zip archive"
    if lowered.startswith(b"<?xml") or lowered.startswith(b"<"):
        return "XML or markup"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "an old Office (OLE) file"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "binary data of an unknown kind"
    return "plain text"


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
        from extractors.pdf_reader import read_pdf

        return read_pdf(path, sha256=sha256, pdf_backend=pdf_backend)
    if file_type in ("odp", "ppt"):
        from extractors.convert import read_converted

        return read_converted(path, sha256, file_type)
    from extractors.pptx_reader import read_pptx

    return read_pptx(path, sha256=sha256)


__all__ = [
    "DEFAULT_PDF_BACKEND",
    "Document",
    "ExtractionError",
    "PDF_BACKENDS",
    "SUPPORTED_SUFFIXES",
    "check_file",
    "check_pdf_backend",
    "extract",
    "sha256_of",
]
