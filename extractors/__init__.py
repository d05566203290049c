"""Extractors: turn a briefing file into a `Document` (see `extractors.model`).

`extract(path)` checks the file is what its extension says, hashes its bytes and hands it to the
PDF reader (pdfplumber) or the PPTX reader (python-pptx). Anything wrong with the file raises
`ExtractionError` with a one-line reason; callers print it as `FILE: reason`.
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

from extractors.model import Document, ExtractionError

SUPPORTED_SUFFIXES = (".pdf", ".pptx")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def check_file(path: Path) -> str:
    """Return the file type ('pdf' or 'pptx') or raise ExtractionError saying why it is not usable."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ExtractionError(f"unsupported file type '{suffix or path.name}' (expected .pdf or .pptx)")
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
    if not head.startswith(b"PK"):
        raise ExtractionError(f"not a PPTX: the file is {_sniff(head)}, not a zip archive")
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile as exc:
        raise ExtractionError(f"not a PPTX: broken zip archive ({exc})") from None
    if "ppt/presentation.xml" not in names:
        raise ExtractionError("not a PPTX: the zip archive has no ppt/presentation.xml")
    return "pptx"


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


def extract(path: str | Path) -> Document:
    """Extract one file. Raises ExtractionError for anything that is not a readable PDF or PPTX."""
    path = Path(path)
    file_type = check_file(path)
    try:
        sha256 = sha256_of(path)
    except FileNotFoundError:
        raise ExtractionError("file not found (it may have been moved or deleted)") from None
    if file_type == "pdf":
        from extractors.pdf_reader import read_pdf

        return read_pdf(path, sha256=sha256)
    from extractors.pptx_reader import read_pptx

    return read_pptx(path, sha256=sha256)


__all__ = ["Document", "ExtractionError", "SUPPORTED_SUFFIXES", "check_file", "extract", "sha256_of"]
