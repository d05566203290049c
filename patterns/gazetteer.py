"""Gazetteers: the editable word lists under `patterns/data/` and the lookups built on them.

Each TSV is read once (cached). What the columns mean is in `patterns/data/README.md`.

- counties: `counties()`, `canonical_county(name)`, `find_county_mentions(text)`,
  `find_counties(text)`, `dominant_county(text)`; township-level cities (`臺東市`, `馬公市`) map to their county with a
  low confidence and townships (`海端鄉`) are never counties.
- strategies: `strategies()`, `find_strategy_refs(text)` for `策略一`, `策略1`, `策略一二`,
  `策略四-` and for titles written without their number.
- units, indicator head words and qualifiers: `unit_words()`, `indicator_heads()`,
  `find_indicator_heads(text)`, `qualifiers()`.

Matching runs on `normalize_text` output with 台 folded to 臺; offsets point into the caller's
original string.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex
from deckmine.patterns.data_tables import alternation, read_table, table_cache
from deckmine.patterns.normalize import fold_tai, normalize_with_offsets, original_span
from deckmine.patterns.strategy_refs import (
    NUMBERED_STRATEGY_SCORE,
    Strategy,
    StrategyRef,
    find_strategy_refs,
    numerals,
    strategies,
    strategy_of_title_part,
)

FULL_NAME_CONFIDENCE = 1.0
ENGLISH_CONFIDENCE = 0.8
SHORT_NAME_CONFIDENCE = 0.5
TOWNSHIP_CITY_CONFIDENCE = 0.3


def _split_list(cell: str) -> list[str]:
    return [item.strip() for item in cell.split("|") if item.strip()]


# --- counties -------------------------------------------------------------------------------


@dataclass(frozen=True)
class County:
    """One of Taiwan's 22 counties and cities (`kind` is 縣 or 市)."""

    canonical: str
    kind: str
    short: str | None
    aliases: tuple[str, ...]
    english: tuple[str, ...]
    township_cities: tuple[str, ...]


@dataclass(frozen=True)
class CountyMention:
    """A county named in a text. `confidence` is 1.0 for a full name (`臺東縣`, `台東縣`), 0.8 for
    an English name (`TAITUNG`), 0.5 for a short form (`臺東`) and 0.3 for a township-level city
    of the county (`台東市` is a city inside 臺東縣, not a county)."""

    canonical: str
    text: str
    start: int
    end: int
    confidence: float
    is_township_city: bool = False


@table_cache
def counties() -> tuple[County, ...]:
    """All counties from `counties.tsv`, in file order."""
    return tuple(
        County(
            canonical=row["canonical"],
            kind=row["kind"],
            short=row["short"] or None,
            aliases=tuple(_split_list(row["aliases"])),
            english=tuple(_split_list(row["english"])),
            township_cities=tuple(_split_list(row["township_cities"])),
        )
        for row in read_table("counties.tsv")
    )


@table_cache
def _county_lookup() -> dict[str, tuple[str, float, bool]]:
    """Folded (臺, upper-case) surface form -> (canonical, confidence, is_township_city)."""
    lookup: dict[str, tuple[str, float, bool]] = {}
    kinds = {county.kind for county in counties()}  # an alias ending in a county kind is a full name
    for county in counties():
        for city in county.township_cities:
            lookup[fold_tai(city)] = (county.canonical, TOWNSHIP_CITY_CONFIDENCE, True)
        if county.short:
            lookup.setdefault(fold_tai(county.short), (county.canonical, SHORT_NAME_CONFIDENCE, False))
        for alias in county.aliases:
            confidence = FULL_NAME_CONFIDENCE if alias[-1] in kinds else SHORT_NAME_CONFIDENCE
            lookup.setdefault(fold_tai(alias), (county.canonical, confidence, False))
        for english in county.english:
            lookup.setdefault(english.upper(), (county.canonical, ENGLISH_CONFIDENCE, False))
        lookup[fold_tai(county.canonical)] = (county.canonical, FULL_NAME_CONFIDENCE, False)
    return lookup


@table_cache
def _county_pattern() -> regex.Pattern[str]:
    lookup = _county_lookup()
    chinese = [form for form in lookup if not form.isascii()]
    english = [form for form in lookup if form.isascii()]
    return regex.compile(
        rf"(?:{alternation(chinese)})|(?<![A-Za-z])(?:{alternation(english)})(?![A-Za-z])",
        regex.IGNORECASE,
    )


def canonical_county(name: str) -> str | None:
    """The canonical county for a name or alias (`台東縣`, `臺東`, `Taitung` -> `臺東縣`); None for
    anything else, including townships and township-level cities (`臺東市`, `海端鄉`)."""
    key = fold_tai(name.strip())
    hit = _county_lookup().get(key) or _county_lookup().get(key.upper())
    if hit is None or hit[2]:
        return None
    return hit[0]


def find_county_mentions(text: str) -> list[CountyMention]:
    """Every county mention in `text`, in order, with offsets into `text`."""
    normalized, offsets = normalize_with_offsets(text)
    folded = fold_tai(normalized)
    lookup = _county_lookup()
    mentions: list[CountyMention] = []
    for match in _county_pattern().finditer(folded):
        key = match.group()
        canonical, confidence, is_city = lookup.get(key) or lookup[key.upper()]
        start, end = original_span(offsets, match.start(), match.end())
        mentions.append(CountyMention(canonical, text[start:end], start, end, confidence, is_city))
    return mentions


def find_counties(text: str, min_confidence: float = ENGLISH_CONFIDENCE) -> list[str]:
    """Canonical names of the counties mentioned in `text`, unique, in order of first mention.
    By default only full names (`臺東縣`, `台東縣`) and English names (`TAITUNG`) count: short
    forms also occur in institution names (`臺北榮民總醫院臺東分院`). Pass `min_confidence=0.5`
    to accept short forms, `0.3` to also map township-level cities (`台東市`) to their county."""
    found: list[str] = []
    for mention in find_county_mentions(text):
        if mention.confidence >= min_confidence and mention.canonical not in found:
            found.append(mention.canonical)
    return found


def dominant_county(text: str) -> str | None:
    """The county a whole deck is about: the largest sum of mention confidences (short forms and
    township-level cities count for less), ties broken by the earliest mention; None if no
    county is named."""
    totals: dict[str, float] = {}
    for mention in find_county_mentions(text):
        totals[mention.canonical] = totals.get(mention.canonical, 0.0) + mention.confidence
    if not totals:
        return None
    return max(totals, key=lambda canonical: totals[canonical])  # dicts keep first-mention order


@dataclass(frozen=True)
class RateFormula:
    """What a rate head divides: `進用率` is a count named `進用`/`實際`… over one named `核定`/`編制`…"""

    head: str
    numerator: tuple[str, ...]
    denominator: tuple[str, ...]


@table_cache
def rate_formulas() -> tuple[RateFormula, ...]:
    """The rate heads of `rate_formulas.tsv`, longest head first."""
    rows = [
        RateFormula(row["head"], tuple(row["numerator"].split("|")), tuple(row["denominator"].split("|")))
        for row in read_table("rate_formulas.tsv")
    ]
    return tuple(sorted(rows, key=lambda formula: len(formula.head), reverse=True))


def formula_of(head: str | None) -> RateFormula | None:
    return next((formula for formula in rate_formulas() if head and formula.head in head), None)


# --- units, indicator heads, qualifiers -------------------------------------------------------


@dataclass(frozen=True)
class UnitWord:
    """A unit word: `category` is count|money|time|staff|percent|pp|age|ratio."""

    word: str
    category: str
    normalized: str


@dataclass(frozen=True)
class IndicatorHead:
    """A head word that names an indicator (`進用率`); `category` is rate|count|staff|money."""

    word: str
    category: str
    note: str


@dataclass(frozen=True)
class Qualifier:
    """A word that qualifies a number. `position` is `before` (至少), `after` (以上), `between`
    (200餘人) or `cue` (a kind cue such as 目標/預計, not bound to one number). `window` is how
    many CJK characters may stand between a `before` word and the number; `not_after` lists
    characters that cancel the word when right before it (簽約 is not 約)."""

    word: str
    comparator: str | None
    kind: str | None
    position: str
    window: int
    not_after: str


@table_cache
def unit_words() -> dict[str, UnitWord]:
    """Unit words by word, from `units.tsv`."""
    return {
        row["word"]: UnitWord(row["word"], row["category"], row["normalized"])
        for row in read_table("units.tsv")
    }


@table_cache
def unit_alternation() -> str:
    """A regex alternation of the unit words, longest first (`人次` before `人`)."""
    return "|".join(regex.escape(word) for word in sorted(unit_words(), key=len, reverse=True))


@table_cache
def indicator_heads() -> tuple[IndicatorHead, ...]:
    """Indicator head words from `indicators.tsv`, longest first."""
    heads = [IndicatorHead(row["head"], row["category"], row["note"]) for row in read_table("indicators.tsv")]
    return tuple(sorted(heads, key=lambda head: len(head.word), reverse=True))


@table_cache
def _indicator_pattern() -> regex.Pattern[str]:
    return regex.compile(alternation([head.word for head in indicator_heads()]))


def find_indicator_heads(text: str) -> list[tuple[IndicatorHead, int, int]]:
    """Indicator head words in `text` (longest match wins) with offsets into `text`."""
    normalized, offsets = normalize_with_offsets(text)
    by_word = {head.word: head for head in indicator_heads()}
    found: list[tuple[IndicatorHead, int, int]] = []
    for match in _indicator_pattern().finditer(normalized):
        start, end = original_span(offsets, match.start(), match.end())
        found.append((by_word[match.group()], start, end))
    return found


@table_cache
def qualifiers() -> tuple[Qualifier, ...]:
    """Qualifier words from `qualifiers.tsv`, longest first."""
    rows = [
        Qualifier(
            word=row["word"],
            comparator=row["comparator"] or None,
            kind=row["kind"] or None,
            position=row["position"],
            window=int(row["window"] or 0),
            not_after=row["not_after"],
        )
        for row in read_table("qualifiers.tsv")
    ]
    return tuple(sorted(rows, key=lambda qualifier: len(qualifier.word), reverse=True))


@table_cache
def cue_words(role: str) -> tuple[str, ...]:
    """Words of `cues.tsv` with the given role, longest first (`rate_base`: `每`)."""
    words = {row["word"] for row in read_table("cues.tsv") if row["role"] == role}
    return tuple(sorted(words, key=len, reverse=True))


__all__ = ["NUMBERED_STRATEGY_SCORE", "County", "CountyMention", "IndicatorHead", "Qualifier", "RateFormula",
           "Strategy", "StrategyRef", "UnitWord", "canonical_county", "counties", "cue_words", "dominant_county",
           "find_counties", "find_county_mentions", "find_indicator_heads", "find_strategy_refs", "formula_of",
           "indicator_heads", "numerals", "qualifiers", "rate_formulas", "strategies", "strategy_of_title_part",
           "unit_alternation", "unit_words"]
