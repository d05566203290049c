"""Is a file what its name says: the supported suffixes, the content check and the file's hash.

`check_file(path)` returns the file type ('pdf', 'pptx', 'odp' or 'ppt') from the suffix once the
first bytes (and, for a zip package, its members and zip-bomb caps, `extractors.zipguard`) agree,
and raises `ExtractionError` with a one-line reason otherwise. `sha256_of(path)` hashes the bytes.
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

from deckmine.extractors.model import ExtractionError
from deckmine.extractors.zipguard import check_package

SUPPORTED_SUFFIXES = (".pdf", ".pptx", ".odp", ".ppt")
EXPECTED = ".pdf, .pptx, .odp or .ppt"
ODP_MIMETYPE = b"application/vnd.oasis.opendocument.presentation"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sha256_of(path: Path) -> str:
    """The SHA-256 of the file's bytes, in hex."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


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


__all__ = ["EXPECTED", "SUPPORTED_SUFFIXES", "check_file", "sha256_of"]
