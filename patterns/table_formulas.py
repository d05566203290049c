"""What a rate's header says it divides, and the lines (rows or columns) it names.

Shared by `patterns.table_relations` (rate columns and rows) and `patterns.table_shares`
(`count(rate%)` columns): a header that writes its formula (`進用率(進用/核定)`, `實際/目標`), else
the head's formula in `rate_formulas.tsv`; a label ending with a `rate_head` word of
`table_words.tsv` (`率`, before any bracket) names a rate.
"""

from __future__ import annotations

import re
from fractions import Fraction
from functools import cache

from deckmine.patterns.gazetteer import rate_formulas
from deckmine.patterns.table_model import CellRef, InterpretedTable, Line
from deckmine.patterns.table_words import table_words

_DIGIT = re.compile(r"\d")
_EXPLICIT_FRACTION = re.compile(r"[(（]?\s*([\u4e00-\u9fffA-Za-z]{1,8})\s*[/／÷]\s*([\u4e00-\u9fffA-Za-z]{1,8})\s*[)）]?")
_TRAILING_BRACKET = re.compile(r"[(（][^()（）]*[)）]\s*$")
_LAST_BRACKET = re.compile(r"[(（]([^()（）]+)[)）]\s*$")


def rate_heads() -> tuple[str, ...]:
    """The words that make a label a rate's (`table_words.tsv` role `rate_head`: `率`)."""
    return table_words().get("rate_head", ())


@cache
def _rate_at_end() -> re.Pattern[str]:
    words = "|".join(re.escape(word) for word in rate_heads())
    return re.compile(rf"(?:{words})(?:\(.*\)|（.*）)?$") if words else re.compile(r"(?!)")


def numeric(table: InterpretedTable, ref: CellRef) -> Fraction | None:
    quantity = table.value(ref)
    if quantity is None:
        return None
    return Fraction(str(quantity.value))


def formula_of(label: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The count names a rate's header gives: written out (`進用率(進用/核定)`, `實際/目標`), else
    those of its head in `rate_formulas.tsv`."""
    explicit = _EXPLICIT_FRACTION.search(label)
    if explicit and not _DIGIT.search(explicit.group(0)):
        return (explicit.group(1),), (explicit.group(2),)
    for formula in rate_formulas():
        if formula.head in label:
            return formula.numerator, formula.denominator
    return None


def rate_word_at_end(label: str) -> bool:
    return bool(_rate_at_end().search(label)) or bool(
        _EXPLICIT_FRACTION.search(label) and any(word in label for word in rate_heads()))


def names_a_rate(line: Line) -> bool:
    """`開案件數(開案率)`: a header whose last bracket names a rate."""
    bracket = _LAST_BRACKET.search(line.inner)
    return bool(bracket and bracket.group(1).endswith(rate_heads()))


def matching_line(lines: list[Line], words: tuple[str, ...], exclude: set[int],
                  allow_rates: bool = False) -> Line | None:
    """The one line (row or column) whose inner label names one of `words`; None if not exactly one.
    A rate line never counts, unless `allow_rates` (a `count(rate%)` column holds its count too)."""
    for word in words:
        found = [line for line in lines if line.index not in exclude
                 and word in _TRAILING_BRACKET.sub("", line.inner)
                 and (allow_rates or not rate_word_at_end(line.inner))]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            return None
    return None


def formula_lines(lines: list[Line], formula: tuple[tuple[str, ...], tuple[str, ...]],
                  allow_rates: bool = False) -> tuple[Line, Line] | None:
    """The numerator's and the denominator's line among `lines`, or None unless each is one."""
    top = matching_line(lines, formula[0], set(), allow_rates=allow_rates)
    bottom = matching_line(lines, formula[1], {top.index} if top else set(), allow_rates=allow_rates)
    if top is None or bottom is None:
        return None
    return top, bottom


__all__ = ["formula_lines", "formula_of", "matching_line", "names_a_rate", "numeric", "rate_heads",
           "rate_word_at_end"]
