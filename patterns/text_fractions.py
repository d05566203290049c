"""Numerator and denominator of a figure: a fraction right after it (`(74/68)`), one before it in
the sentence, a staff pair in brackets after it, or the counts its rate formula names
(`rate_formulas.tsv`: 進用率 = 進用/核定); a rate per population base (`每萬人口`)."""

from __future__ import annotations

from functools import cache

import regex
from deckmine.patterns.gazetteer import formula_of
from deckmine.patterns.kind import cue_roles
from deckmine.patterns.nlp import read_tsv
from deckmine.patterns.numbers import (
    Fraction,
)
from deckmine.patterns.text_spans import (
    ONLY_CUES,
    PART_BREAKS,
    SENTENCE_BREAKS,
    TextCandidate,
    break_before,
    line_start_at,
    phrase_start_at,
)

CLOSING_BRACKET = regex.compile(r"[)）]")


@cache
def _fraction_roles() -> dict[str, str]:
    return {row["word"]: row["role"] for row in read_tsv("fraction_roles.tsv")}


@cache
def _rate_bases() -> tuple[tuple[str, float], ...]:
    rows = [(row["word"], float(row["base"])) for row in read_tsv("rate_bases.tsv")]
    return tuple(sorted(rows, key=lambda item: len(item[0]), reverse=True))


def _rate_base_before(text: str, position: int) -> float | None:
    """`每萬人口` right before a figure's name: the figure is a count per that many people."""
    window = text[max(0, position - 12) : position]
    return next((base for word, base in _rate_bases() if word in window), None)


def attach_fractions(candidates: list[TextCandidate], text: str, fractions: list[Fraction]) -> None:
    """Numerator and denominator of each figure from a fraction printed with it (module docstring)."""
    for index, candidate in enumerate(candidates):
        after = [f for f in fractions if 0 <= f.start - candidate.end <= 2 and f.in_brackets]
        if candidate.quantity.unit != "%":
            base = _rate_base_before(text, candidate.start)
            if base is not None and after:  # a rate per base population, its counts in brackets after it
                _set_fraction(candidate, after[0])
                candidate.attributes["rate_base"] = base
        elif after:
            _set_fraction(candidate, after[0])
        elif not _fraction_before(candidates, index, text, fractions):
            _staff_pair_after(candidates, index, text)


def _fraction_before(candidates: list[TextCandidate], index: int, text: str, fractions: list[Fraction]) -> bool:
    """`實際進用27名/中央核定30名，進用率90%`: the last fraction before the rate in its sentence
    (after any earlier rate) gives its counts; True when there is one."""
    candidate = candidates[index]
    sentence_start = break_before(text, candidate.start, SENTENCE_BREAKS)
    earlier_rates = [c.end for c in candidates[:index] if c.quantity.unit == "%"]
    floor = max([sentence_start, *earlier_rates])
    before = [f for f in fractions if f.start >= floor and f.end <= candidate.start and not f.in_brackets]
    if not before:
        return False
    fraction = before[-1]
    names = [c.quantity.name for c in candidates if fraction.start <= c.start < fraction.end and c.quantity.name]
    _set_fraction(candidate, fraction, names if len(names) == 2 else None)
    return True


def _staff_pair_after(candidates: list[TextCandidate], index: int, text: str) -> None:
    """(核定2督11員，實際進用2督9員): two counts in brackets right after the rate, named for the
    sides of a fraction (`fraction_roles.tsv`)."""
    candidate = candidates[index]
    if text[candidate.end : candidate.end + 1] not in "(（":
        return
    close = CLOSING_BRACKET.search(text[candidate.end :])
    inside = [c for c in candidates[index + 1 :]
              if close and c.end <= candidate.end + close.start() and c.quantity.unit is not None]
    if len(inside) != 2:
        return
    roles = _fraction_roles()
    named = {_role_of(c, text, roles): c for c in inside}
    if "numerator" in named and "denominator" in named:
        top, bottom = named["numerator"], named["denominator"]
        candidate.numerator = (top.quantity.value, top.quantity.value_text)
        candidate.denominator = (bottom.quantity.value, bottom.quantity.value_text)


def counts_by_formula(candidates: list[TextCandidate], text: str) -> None:
    """`核定4督20員，實際進用4督18員，進用率91.7%`: a rate whose head has a formula
    (`rate_formulas.tsv`: 進用率 = 進用/核定) takes the one count named for each side earlier in
    its sentence, else on the line before when its own line holds no other figure. The counts are
    printed with the rate and named for what it divides, so this is reading, not searching."""
    for index, rate in enumerate(candidates):
        if rate.quantity.unit != "%" or rate.numerator is not None:
            continue
        formula = formula_of(rate.label) or formula_of(rate.indicator)
        if formula is None or _goal_before(text, rate.start):
            continue  # a target or forecast rate is no result of the counts before it
        for floor in _formula_scopes(candidates, index, text):
            counts = [c for c in candidates[:index] if c.start >= floor and c.quantity.unit not in (None, "%", "pp")]
            tops = [c for c in counts if _named_as(c, text, formula.numerator)]
            bottoms = [c for c in counts if _named_as(c, text, formula.denominator) and c not in tops]
            if len(tops) == 1 and len(bottoms) == 1 and _same_kind_of_count(tops[0], bottoms[0]):
                rate.numerator = (tops[0].quantity.value, tops[0].quantity.value_text)
                rate.denominator = (bottoms[0].quantity.value, bottoms[0].quantity.value_text)
                break


def _formula_scopes(candidates: list[TextCandidate], index: int, text: str) -> list[int]:
    """Where the counts of a rate's formula may start: its sentence (after any earlier rate), then
    the line before when the rate's own line holds nothing but cue words before it."""
    rate = candidates[index]
    sentence_start = break_before(text, rate.start, SENTENCE_BREAKS)
    line_start = line_start_at(text, rate.start)
    earlier_rates = [c.end for c in candidates[:index] if c.quantity.unit == "%"]
    scopes = [max([sentence_start, *earlier_rates])]
    if line_start > 0 and ONLY_CUES.match(_NOT_FIGURE.sub("", text[line_start : rate.start])):
        scopes.append(max([line_start_at(text, line_start - 1), *earlier_rates]))
    return scopes


_NOT_FIGURE = regex.compile(r"[\p{Han}A-Za-z]+")


def _goal_before(text: str, position: int) -> bool:
    clause = text[phrase_start_at(text, position) : position]
    return any(word in clause for word, role in cue_roles().items() if role in ("target", "forecast"))


def _named_as(candidate: TextCandidate, text: str, words: tuple[str, ...]) -> bool:
    """The count's own name (the words right before it, in its clause part) holds one of `words`."""
    start = max(phrase_start_at(text, candidate.start), *(text.rfind(ch, 0, candidate.start) + 1 for ch in PART_BREAKS))
    name = text[max(start, candidate.start - 10) : candidate.start]
    return any(word in name for word in words)


def _same_kind_of_count(first: TextCandidate, second: TextCandidate) -> bool:
    return (first.quantity.category == "staff") == (second.quantity.category == "staff")


def _name_role(name: str | None) -> str | None:
    """The fraction role (numerator/denominator) of a count's name, by the longest role word in it."""
    if not name:
        return None
    found = [(len(word), role) for word, role in _fraction_roles().items() if word in name]
    return max(found)[1] if found else None


def _role_of(candidate: TextCandidate, text: str, roles: dict[str, str]) -> str | None:
    before = text[max(0, candidate.start - 8) : candidate.start]
    found = [(before.rfind(word), role) for word, role in roles.items() if word in before]
    return max(found)[1] if found else None


def _set_fraction(candidate: TextCandidate, fraction: Fraction, names: list[str] | None = None) -> None:
    """Numerator and denominator in printed order, unless the sides are named and their names
    say the first is the base: `(核定/實際)：38/35人` is 35 of 38, labelled, not printed reversed."""
    first, second = fraction.numerator, fraction.denominator
    first_name, second_name = names or (first.label, second.label)
    if _name_role(first_name) == "denominator" and _name_role(second_name) == "numerator":
        first, second = second, first
    candidate.numerator = (first.value, first.value_text)
    candidate.denominator = (second.value, second.value_text)
    if fraction.numerator.label or fraction.denominator.label:
        candidate.attributes["numerator_label"] = fraction.numerator.label
        candidate.attributes["denominator_label"] = fraction.denominator.label
