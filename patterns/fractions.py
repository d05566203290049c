"""Fractions in briefing text: `(74/68)`, `（１２５／２００）`, `(訪視戶數36/推估戶數40)`,
`實際進用27名/中央核定30名`, with each side's label and unit (`find_fractions`).

Offsets (`start`/`end`) index the caller's original string; matching runs on `normalize_text`
output. Slash dates (`112/4/19`) are not fractions.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex
from deckmine.patterns.data_tables import table_cache
from deckmine.patterns.gazetteer import unit_alternation
from deckmine.patterns.normalize import normalize_with_offsets, original_span
from deckmine.patterns.numerals import ARABIC as _ARABIC

_SPACES = regex.compile(r"\s+")


@dataclass(frozen=True)
class FractionSide:
    """One side of a fraction: `36` labelled `訪視戶數`, or `27` with unit `名`."""

    value: float
    value_text: str
    label: str | None
    unit: str | None


@dataclass(frozen=True)
class Fraction:
    """`numerator`/`denominator` as printed (the first number is the numerator even when the deck
    prints it reversed). `start`/`end` span the whole fraction incl. brackets in the original."""

    numerator: FractionSide
    denominator: FractionSide
    start: int
    end: int
    text: str
    in_brackets: bool


@table_cache
def _fraction_pattern() -> regex.Pattern[str]:
    units = unit_alternation()
    label = r"\p{Han}(?:[\p{Han}\s]{0,10}\p{Han})?"
    side = rf"(?P<{{name}}_label>{label})?\s*(?P<{{name}}>{_ARABIC})\s*(?P<{{name}}_unit>{units})?"
    numerator = side.replace("{name}", "n")
    denominator = side.replace("{name}", "d")
    bare_label = r"\p{Han}{1,10}"
    return regex.compile(
        rf"(?P<open>\()\s*{numerator}\s*/\s*{denominator}\s*\)"
        rf"|(?<![\d/])(?P<bn_label>{bare_label})?(?<![\d.,])(?P<bn>{_ARABIC})(?P<bn_unit>{units})?"
        rf"/(?P<bd_label>{bare_label})?(?P<bd>{_ARABIC})(?P<bd_unit>{units})?(?![\d/.])"
    )


def _side(match: regex.Match[str], name: str) -> FractionSide:
    label = match[f"{name}_label"]
    return FractionSide(
        value=float(match[name].replace(",", "")),
        value_text=match[name],
        label=_SPACES.sub("", label) if label else None,
        unit=match[f"{name}_unit"],
    )


def find_fractions(text: str) -> list[Fraction]:
    """Every `a/b` pair in `text` (see module doc). Slash dates (`112/4/19`) are not fractions."""
    normalized, offsets = normalize_with_offsets(text)
    fractions: list[Fraction] = []
    if "/" not in normalized:  # both forms have one
        return fractions
    for match in _fraction_pattern().finditer(normalized):
        bracketed = match["open"] is not None
        numerator = _side(match, "n" if bracketed else "bn")
        denominator = _side(match, "d" if bracketed else "bd")
        start, end = original_span(offsets, match.start(), match.end())
        fractions.append(Fraction(numerator, denominator, start, end, text[start:end], bracketed))
    return fractions


__all__ = ["Fraction", "FractionSide", "find_fractions"]
