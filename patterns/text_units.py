"""Units a name announces (`人力進用（名）` -> 名, `…率` -> %) and unit words inside labels."""

from __future__ import annotations

from functools import cache, lru_cache

import regex
from deckmine.patterns.data_tables import alternation, column, read_table
from deckmine.patterns.normalize import normalize_text

_BRACKETED_UNIT = regex.compile(r"[(（]\s*([^()（）]{1,4})\s*[)）]\s*$")


# `…率`, `…比例`: table_words.tsv role rate_suffix
_RATE_WORD_AT_END = regex.compile(rf"(?:{alternation(column('table_words.tsv', 'word', role='rate_suffix'))})\s*$")


@cache
def unit_forms() -> dict[str, str]:
    return {row["word"]: row.get("normalized") or row["word"] for row in read_table("units.tsv")}


@lru_cache(maxsize=4096)
def unit_in_label(label: str | None) -> str | None:
    """A unit word a header or chart title announces: `人力進用（名）` -> 名, `晤談人次` -> 人次,
    `受理案件` -> 件, `…人數` -> 人, `…率` -> %."""
    if not label:
        return None
    text = normalize_text(label).strip()
    bracketed = _BRACKETED_UNIT.search(text)
    units = unit_forms()
    if bracketed and bracketed.group(1) in units:
        return units[bracketed.group(1)]
    if bracketed:
        text = text[: bracketed.start()].rstrip()  # a bracketed share after a count's name: the count's unit is the name's
    if "%" in text or _RATE_WORD_AT_END.search(text):
        return "%"
    for suffix, unit in _header_unit_suffixes():
        if text.endswith(suffix):
            return unit
    return None


@cache
def _header_unit_suffixes() -> tuple[tuple[str, str], ...]:
    rows = [(row["suffix"], row["unit"]) for row in read_table("header_units.tsv")]
    return tuple(sorted(rows, key=lambda item: len(item[0]), reverse=True))


def after_unit(text: str, position: int) -> int:
    """Past the unit word at `position`, if one is there (`3場次宣導` -> `宣導`)."""
    unit = _unit_prefix().match(text, position)
    return unit.end() if unit else position


@cache
def _unit_prefix() -> regex.Pattern[str]:
    words = sorted(unit_forms(), key=len, reverse=True)
    return regex.compile("|".join(regex.escape(word) for word in words))
