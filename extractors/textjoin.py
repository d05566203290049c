"""Join characters into text without the spaces that PDF export puts between CJK and numbers.

PowerPoint and LibreOffice exports place digits and Han characters in separate runs, so text
extraction yields `110 年`, `1 督 4 員`, `55,269 人次`, `62. ５％`. Chinese typography has no
spaces there, and the number patterns downstream expect `110年`. Two functions:

- `normalize_spacing(text)` works on any string (PDF lines, PPTX runs): a space touching a CJK
  character (Han, kana, CJK punctuation, fullwidth forms) is dropped, a space between a number and
  `%` is dropped (`5 %`), and other runs of spaces collapse to one. Spaces between Latin words or between
  two numbers stay (`TU MANANU`, `110 1月`). Decision: a space between a Latin word and a Han
  character is dropped too (`SNQ 國家` -> `SNQ國家`), as Chinese typesetting writes it.
- `join_chars(chars)` turns pdfplumber char dicts of one line (already in reading order) into a
  string: a space character or a gap wider than a fraction of the font size becomes a space, then
  `normalize_spacing` decides which spaces survive.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import regex

CJK_CLASS = r"\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}\p{Bopomofo}\u3000-\u303f\uff00-\uffef"
SPACE_CLASS = r" \u00a0\u2000-\u200a\u202f\u205f\u3000"

_SPACE_RUN = regex.compile(f"[{SPACE_CLASS}]+")
_SPACE_NEXT_TO_CJK = regex.compile(
    f"(?<=[{CJK_CLASS}])[{SPACE_CLASS}]+|[{SPACE_CLASS}]+(?=[{CJK_CLASS}])"
)
_SPACE_BEFORE_PERCENT = regex.compile(f"(?<=[0-9.０-９])[{SPACE_CLASS}]+(?=[%％‰])")

# A gap between two glyphs wider than this share of the font size reads as a word space.
WORD_GAP_RATIO = 0.22


def normalize_spacing(text: str) -> str:
    """Drop the spaces CJK typography does not have; keep one space between Latin words.

    Newlines and tabs are left alone, so this can run on multi-line text and table rows."""
    text = _SPACE_NEXT_TO_CJK.sub("", text)
    text = _SPACE_BEFORE_PERCENT.sub("", text)
    return "\n".join(_SPACE_RUN.sub(" ", line).strip(" ") for line in text.split("\n"))


def join_chars(chars: Iterable[Mapping[str, Any]], *, vertical: bool = False) -> str:
    """Text of one line of pdfplumber chars given in reading order.

    `vertical=True` measures gaps along the page's y axis (a column of upright CJK glyphs)."""
    pieces: list[str] = []
    previous: Mapping[str, Any] | None = None
    for char in chars:
        glyph = str(char.get("text", ""))
        if previous is not None and glyph.strip() and _gap_is_word_space(previous, char, vertical):
            pieces.append(" ")
        pieces.append(" " if not glyph.strip() else glyph)
        if glyph.strip():
            previous = char
    return normalize_spacing("".join(pieces))


def _gap_is_word_space(
    previous: Mapping[str, Any], char: Mapping[str, Any], vertical: bool
) -> bool:
    if vertical:
        gap = float(char["top"]) - float(previous["bottom"])
    else:
        gap = float(char["x0"]) - float(previous["x1"])
    size = max(float(previous.get("size") or 0), float(char.get("size") or 0), 1.0)
    return gap > WORD_GAP_RATIO * size


__all__ = ["WORD_GAP_RATIO", "join_chars", "normalize_spacing"]
