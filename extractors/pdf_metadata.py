"""A PDF's document information dictionary as `Document.metadata`: page count and first page
size, title, author, subject, creator, producer, and the dates in ISO 8601."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

PDF_DATE = re.compile(
    r"^D?:?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?\s*(Z|[+-]\d{2}'?\d{2}'?|[+-]\d{2})?"
)


def document_metadata(raw: Mapping[str, Any], pages: Sequence[Any]) -> dict[str, Any]:
    metadata: dict[str, Any] = {"page_count": len(pages)}
    if pages:
        metadata["page_width"] = round(float(pages[0].width), 2)
        metadata["page_height"] = round(float(pages[0].height), 2)
    for key, name in (
        ("Title", "title"),
        ("Author", "author"),
        ("Subject", "subject"),
        ("Creator", "creator"),
        ("Producer", "producer"),
    ):
        value = _metadata_text(raw.get(key))
        if value:
            metadata[name] = value
    for key, name in (("CreationDate", "created"), ("ModDate", "modified")):
        value = _metadata_text(raw.get(key))
        if value:
            metadata[name] = pdf_date_to_iso(value)
    return metadata


def _metadata_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    text = str(value).strip().strip("\x00")
    return text or None


def pdf_date_to_iso(value: str) -> str:
    """`D:20230419093000+08'00'` -> `2023-04-19T09:30:00+08:00`; unparseable values unchanged."""
    match = PDF_DATE.match(value.strip())
    if not match:
        return value
    year, month, day, hour, minute, second, zone = match.groups()
    iso = f"{year}-{month or '01'}-{day or '01'}T{hour or '00'}:{minute or '00'}:{second or '00'}"
    if zone == "Z":
        return iso + "+00:00"
    if zone:
        digits = zone[1:].replace("'", "")
        return f"{iso}{zone[0]}{digits[:2]}:{(digits[2:4] or '00')}"
    return iso


__all__ = ["document_metadata", "pdf_date_to_iso"]
