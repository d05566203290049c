"""What real PDFs write in place of ordinary text, read back as text, before layout.

PDFs from Word, Excel ("Microsoft Print to PDF") and other exporters than LibreOffice carry:

- Kangxi radicals, radical-supplement forms, CJK strokes and compatibility ideographs where the
  font's ToUnicode should have said the ordinary ideograph: `局⾧` (U+2FA7) for `局長`, `統㇐`
  (U+31D0) for `統一`. `data/glyph_map.tsv` (written by `data/make_glyph_map.py` from
  `unicodedata`, strokes by hand) maps them; NFKC itself is not applied, since it would also fold
  the full-width digits and forms the miner reads as printed.
- bullets drawn with a symbol font (Wingdings, Wingdings 2/3, Webdings, Zapf Dingbats, Symbol),
  whose text is a private-use code point (U+F06E, U+F0A7, U+F0D8, U+F0B7, U+F0FC, …) or, without a
  ToUnicode map, the code's byte (`n`, `§`, `Ø`). Recognised by the font's name, they are dropped
  as bullets (not counted as unreadable glyphs), except the codes `data/symbol_fonts.tsv` reads as
  text: Symbol's `≥`, `≤`, `±`, digits and punctuation, Wingdings' `✔` and `✘`.
- metadata a printer driver wrote as the low byte of each UTF-16 unit: control characters and
  Latin-1 letters instead of Chinese. `clean_metadata` drops such values and says so once.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import regex

DATA = Path(__file__).resolve().parent / "data"
SYMBOL_FONT = regex.compile(
    r"^(?:[A-Z]{6}\+)?(?P<family>wingdings|webdings|zapf\s*dingbats|dingbats|symbol)(?P<rest>.*)$",
    regex.IGNORECASE,
)
SYMBOL_REST = regex.compile(r"^(?:mt|ps)?(?:[-,\s].*)?$", regex.IGNORECASE)
METADATA_FIELDS = ("title", "author", "subject", "creator", "producer")
CJK = regex.compile(r"[\p{Han}\p{Bopomofo}\u3000-\u303f\uff00-\uffef]")
CONTROL = regex.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]")
# What PDFDocEncoding and Latin-1 turn stray bytes into: Latin-1 letters and signs, and the
# punctuation and ligatures PDFDocEncoding puts at 0x18-0x1f and 0x80-0x9f.
LOSSY_CHARS = regex.compile(
    "[\u00a1-\u00ff\u02c6\u02c7\u02d8-\u02dd\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026"
    "\u2030\u2039\u203a\u2044\u2122\u2212\ufb01\ufb02\u0131\u0141\u0142\u0152\u0153\u0160"
    "\u0161\u0178\u017d\u017e\u0192]"
)
LOSSY_SHARE = 0.3


@functools.cache
def glyph_map() -> dict[str, str]:
    """From-character -> ideograph, from `data/glyph_map.tsv`."""
    mapping: dict[str, str] = {}
    for line in (DATA / "glyph_map.tsv").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        source, target = line.split("\t")[:2]
        mapping[source] = target
    return mapping


@functools.cache
def _translation() -> dict[int, str]:
    return str.maketrans(glyph_map())


@functools.cache
def symbol_codes() -> dict[tuple[str, int], str]:
    """(font family, code) -> text ('' for a bullet), from `data/symbol_fonts.tsv`."""
    codes: dict[tuple[str, int], str] = {}
    for line in (DATA / "symbol_fonts.tsv").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        family, code, text = (line.split("\t") + ["", ""])[:3]
        codes[(family, int(code, 16))] = text
    return codes


def normalise_text(text: str) -> str:
    """`text` with radicals, strokes and compatibility ideographs read as ideographs."""
    return text.translate(_translation())


@functools.cache
def symbol_family(fontname: str) -> str | None:
    """`wingdings` (Wingdings itself), `dingbats` (Wingdings 2/3, Webdings, Zapf Dingbats) or
    `symbol` for a symbol font's name (subset prefix and style allowed); None for other fonts."""
    match = SYMBOL_FONT.match(fontname.strip())
    if not match:
        return None
    family, rest = match["family"].lower(), match["rest"]
    if family == "symbol":
        return "symbol" if SYMBOL_REST.match(rest) else None  # not `Symbola`, a Unicode font
    if family == "wingdings":
        return "dingbats" if rest[:1] in ("2", "3") or rest[:2] in (" 2", " 3") else "wingdings"
    return "dingbats"


def _code(text: str) -> int | None:
    """The font code a symbol glyph's text stands for: U+F0xx (Microsoft's symbol-font private-use
    range) or a byte read without a ToUnicode map."""
    if len(text) != 1:
        return None
    point = ord(text)
    if 0xF000 <= point <= 0xF0FF:
        return point - 0xF000
    if point < 0x100:
        return point
    return None


def normalise_chars(chars: Sequence[Mapping[str, Any]]) -> tuple[list[Mapping[str, Any]], int]:
    """pdfplumber chars with symbol-font codes read or dropped as bullets, and radicals, strokes
    and compatibility ideographs mapped; and how many bullets were dropped. Unchanged chars are
    passed through as they are (no copy)."""
    mapping = glyph_map()
    out: list[Mapping[str, Any]] = []
    bullets = 0
    for char in chars:
        text = char["text"]
        family = symbol_family(str(char.get("fontname") or ""))
        if family is not None and text.strip():
            code = _code(text)
            if code is not None:
                replacement = symbol_codes().get((family, code), "")
                if not replacement:
                    bullets += 1
                    continue
                out.append({**char, "text": replacement})
                continue
        replacement = mapping.get(text) if len(text) == 1 else None
        if replacement is None and len(text) > 1:
            mapped = normalise_text(text)
            replacement = mapped if mapped != text else None
        out.append(char if replacement is None else {**char, "text": replacement})
    return out, bullets


def is_garbled(text: str) -> bool:
    """A metadata value that is not text: control characters, or mostly Latin-1 letters and
    PDFDocEncoding signs with no CJK (what the low bytes of UTF-16 Chinese decode to)."""
    if CONTROL.search(text):
        return True
    if CJK.search(text):
        return False
    inked = [char for char in text if not char.isspace()]
    lossy = len(LOSSY_CHARS.findall(text))
    return lossy >= 2 and lossy >= LOSSY_SHARE * len(inked)


def clean_metadata(metadata: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    """Metadata with radicals mapped and garbled values dropped, and one warning naming them."""
    cleaned = dict(metadata)
    dropped = []
    for name in METADATA_FIELDS:
        value = cleaned.get(name)
        if not isinstance(value, str):
            continue
        if is_garbled(value):
            dropped.append(name)
            del cleaned[name]
        else:
            cleaned[name] = normalise_text(value)
    if not dropped:
        return cleaned, None
    return cleaned, (
        f"metadata {', '.join(dropped)} dropped: garbled (control characters and Latin-1 letters "
        "where text should be, as a printer driver writes the low bytes of UTF-16)"
    )


__all__ = [
    "clean_metadata",
    "glyph_map",
    "is_garbled",
    "normalise_chars",
    "normalise_text",
    "symbol_family",
]
