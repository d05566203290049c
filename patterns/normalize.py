"""Text normalisation for pattern matching.

PDF and PPTX exports write digits and punctuation in full width (`８５％`, `（１２５／２００）`) and
insert spaces between CJK characters and digits or inside decimals (`110 年`, `62. 5％`,
`55,269 人次`). The miners match on a normalised copy of the text; `normalize_with_offsets`
also returns, for each character of that copy, its index in the original string so a match can
be mapped back for snippets.

Rules:
- NFKC per character (full-width digits, `％`, `（）`, `／`, `：`, `，` become ASCII);
- dashes (`–`, `—`, `−`, `‐`) become `-`, wave dashes (`〜`, `～`) become `~`;
- runs of horizontal spaces are removed between a digit and a CJK character or `%`, between a
  CJK character and a digit, and inside a number (`62. 5`, `55, 269`);
- tabs and newlines are kept (they separate table cells and lines), and so are spaces between
  Latin words or between two numbers (`110 1月-9月` is a year and a month range).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import regex
from deckmine.patterns.data_tables import DataTableError, read_table, table_cache

_EXTRA_MAP: dict[str, str] = {
    "\u2010": "-",  # hyphen
    "\u2011": "-",  # non-breaking hyphen
    "\u2012": "-",  # figure dash
    "\u2013": "-",  # en dash
    "\u2014": "-",  # em dash
    "\u2015": "-",  # horizontal bar
    "\u2212": "-",  # minus sign
    "\u301c": "~",  # wave dash
    "\uff5e": "~",  # full-width tilde
    "\u3000": " ",  # ideographic space
    "\u00a0": " ",  # no-break space
}

_REMOVABLE_SPACE = regex.compile(
    r"(?<=\d)[ ]+(?=[\p{Han}%])"  # 110 年, 5 %
    r"|(?<=\p{Han})[ ]+(?=\d)"  # 學校 73所
    r"|(?<=\d[.,])[ ]+(?=\d)"  # 62. 5
    r"|(?<=\d)[ ]+(?=[.,]\d)"  # 62 .5
)


def _char_nfkc(char: str) -> str:
    if char < "\u0080":
        return char
    mapped = _EXTRA_MAP.get(char)
    if mapped is not None:
        return mapped
    folded = unicodedata.normalize("NFKC", char)
    return "".join(_EXTRA_MAP.get(c, c) for c in folded)


_FOLD_TABLE: dict[int, str] = {}  # every non-ASCII character seen that folds -> its folded form
_SEEN: set[str] = set()
_FOLDS_TO_SEVERAL: set[str] = set()


def _fold(text: str) -> tuple[str, list[int]]:
    """NFKC and `_EXTRA_MAP` per character, with offsets. Characters are folded once per process;
    when each folds to one character (the usual case) a `str.translate` does the whole text."""
    if text.isascii():
        return text, list(range(len(text)))
    for char in set(text).difference(_SEEN):
        folded = _char_nfkc(char)
        if folded != char:
            _FOLD_TABLE[ord(char)] = folded
            if len(folded) != 1:
                _FOLDS_TO_SEVERAL.add(char)
        _SEEN.add(char)
    if _FOLDS_TO_SEVERAL.isdisjoint(text):
        return text.translate(_FOLD_TABLE), list(range(len(text)))
    chars: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        folded = _FOLD_TABLE.get(ord(char), char)
        chars.append(folded)
        offsets.extend([index] * len(folded))
    return "".join(chars), offsets


@lru_cache(maxsize=4096)
def _normalized(text: str) -> tuple[str, tuple[int, ...]]:
    folded_text, offsets = _fold(text)
    removable = list(_REMOVABLE_SPACE.finditer(folded_text))
    if not removable:
        return folded_text, tuple(offsets)
    kept_chars: list[str] = []
    kept_offsets: list[int] = []
    position = 0
    for match in removable:
        kept_chars.append(folded_text[position : match.start()])
        kept_offsets.extend(offsets[position : match.start()])
        position = match.end()
    kept_chars.append(folded_text[position:])
    kept_offsets.extend(offsets[position:])
    return "".join(kept_chars), tuple(kept_offsets)


def normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """Normalise `text` for matching; also return `offsets` where `offsets[i]` is the index in
    `text` of the character that produced character `i` of the result.

    A match `[s, e)` in the result covers `text[offsets[s] : offsets[e - 1] + 1]`
    (see `original_span`). Memoised: the miners normalise the same text several times."""
    normalized, offsets = _normalized(text)
    return normalized, list(offsets)


def normalize_text(text: str) -> str:
    """The normalised text only (see `normalize_with_offsets`)."""
    return _normalized(text)[0]


def original_span(offsets: list[int], start: int, end: int) -> tuple[int, int]:
    """Map a non-empty span `[start, end)` of normalised text back to the original string."""
    if end <= start:
        original = offsets[start] if start < len(offsets) else (offsets[-1] + 1 if offsets else 0)
        return original, original
    return offsets[start], offsets[end - 1] + 1


def fold_tai(text: str) -> str:
    """Fold the common variants of `variants.tsv` (台 to 臺: one character each, so offsets are
    kept): `台東縣` -> `臺東縣`."""
    return text.translate(_variants())


@table_cache
def _variants() -> dict[int, str]:
    rows = read_table("variants.tsv")
    if any(len(row["variant"]) != 1 or len(row["canonical"]) != 1 for row in rows):
        raise DataTableError("variants.tsv: a variant and its canonical form are one character each")
    return {ord(row["variant"]): row["canonical"] for row in rows}
