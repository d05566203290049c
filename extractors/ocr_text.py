"""OCR text cleanup: simplified forms read as traditional ones, radicals as ideographs, digits joined.

The recognizer prefers some simplified forms; `data/ocr_simplified.tsv` maps them to the
traditional ones. Radicals are mapped as for PDF text (`extractors.glyphs`), and the spaces OCR puts
between full-width digits go; spacing then follows PDF text (`extractors.textjoin`).
"""

from __future__ import annotations

import functools
from pathlib import Path

import regex
from deckmine.extractors.glyphs import normalise_text
from deckmine.extractors.textjoin import normalize_spacing

DATA = Path(__file__).resolve().parent / "data"


@functools.cache
def simplified_map() -> dict[int, str]:
    mapping: dict[str, str] = {}
    for line in (DATA / "ocr_simplified.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            simplified, traditional = line.split("\t")[:2]
            mapping[simplified] = traditional
    return str.maketrans(mapping)


# Full-width digits come out of OCR one by one with spaces between them (`８５％（１７／２０）` is
# read `8 5 % (1 7 / 2 0)`): a chain of single digits joins, and spaces around `/`, `%` and
# brackets next to a digit go. `110 1月` and `2,000 4,000` keep theirs.
_SINGLE_DIGITS = regex.compile(r"(?<![\d.,])\d(?: \d)+(?![\d.,])")
_SPACE_BY_DIGIT = regex.compile(
    r"(?<=\d) +(?=[/%％)）])|(?<=[/(（]) +(?=\d)|(?<=\d) +(?=[(（])|(?<=[%％]) +(?=[(（])|(?<=\d) *([/／]) *(?=\d)"
)


def normalise_ocr_text(text: str) -> str:
    """OCR text with simplified forms read as traditional ones, radicals as ideographs, and the
    spaces OCR puts between full-width digits dropped."""
    text = normalise_text(text.translate(simplified_map()))
    text = _SINGLE_DIGITS.sub(lambda match: match.group().replace(" ", ""), text)
    text = _SPACE_BY_DIGIT.sub(lambda match: match.group(1) or "", text)
    return normalize_spacing(text).strip()


__all__ = ["DATA", "normalise_ocr_text", "simplified_map"]
