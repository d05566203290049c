"""Zip-bomb caps for a PPTX, checked before python-pptx opens it.

python-pptx reads every member of the package into memory when it opens a deck, so a member
that inflates to gigabytes would cost gigabytes. `check_package` refuses such a file first: the
declared size of each member and of all of them, the compression ratio of large members, the
number of members, and then the actual inflated sizes, counted while inflating in 1 MB chunks
(a member whose data inflates beyond what it declares is refused too).
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from deckmine.extractors.model import ExtractionError

MB = 1 << 20
MAX_MEMBERS = 10_000
MAX_XML_MEMBER = 64 * MB  # one slide, chart or diagram part; real ones are well under 5 MB
MAX_MEMBER = 256 * MB  # one media member (python-pptx holds it in memory)
MAX_TOTAL = 400 * MB  # the whole package inflated
MAX_RATIO = 200  # inflated / compressed, for members over RATIO_FLOOR
RATIO_FLOOR = 4 * MB
CHUNK = MB


def _mb(size: int) -> str:
    return f"{size / MB:,.0f} MB" if size >= MB else f"{size:,} bytes"


def _is_xml(name: str) -> bool:
    return name.endswith((".xml", ".rels"))


def check_package(path: Path) -> None:
    """Raise ExtractionError (one line naming the member) if the package is a zip bomb."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise ExtractionError(
                    f"not read: the zip archive has {len(members):,} members (more than {MAX_MEMBERS:,})"
                )
            declared_total = 0
            for info in members:
                cap = MAX_XML_MEMBER if _is_xml(info.filename) else MAX_MEMBER
                if info.file_size > cap:
                    raise ExtractionError(
                        f"not read: zip member {info.filename} would inflate to {_mb(info.file_size)} "
                        f"(more than {_mb(cap)}; a zip bomb?)"
                    )
                if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                    raise ExtractionError(
                        f"not read: zip member {info.filename} inflates {info.file_size // max(info.compress_size, 1):,} "
                        f"times (more than {MAX_RATIO}; a zip bomb?)"
                    )
                declared_total += info.file_size
            if declared_total > MAX_TOTAL:
                raise ExtractionError(
                    f"not read: the package would inflate to {_mb(declared_total)} (more than {_mb(MAX_TOTAL)})"
                )
            actual_total = 0
            for info in members:
                if info.is_dir():
                    continue
                actual_total += _inflated_size(archive, info)
                if actual_total > MAX_TOTAL:
                    raise ExtractionError(
                        f"not read: the package inflates to more than {_mb(MAX_TOTAL)}"
                    )
    except ExtractionError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError) as exc:
        raise ExtractionError(f"damaged PPTX: broken zip archive ({' '.join(str(exc).split())[:160]})") from None
    except OSError as exc:
        raise ExtractionError(f"cannot read file ({exc.strerror or exc})") from None


def _inflated_size(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    """Inflate one member in chunks, never holding more than CHUNK, and count its bytes. Python's
    zipfile stops at the declared size and then checks the CRC, so data that inflates further
    fails here as a broken member."""
    cap = MAX_XML_MEMBER if _is_xml(info.filename) else MAX_MEMBER
    size = 0
    with archive.open(info) as member:
        while chunk := member.read(CHUNK):
            size += len(chunk)
            if size > cap:
                raise ExtractionError(
                    f"not read: zip member {info.filename} inflates to more than {_mb(cap)} (a zip bomb?)"
                )
    return size
