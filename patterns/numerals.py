"""Numerals: Chinese numerals by `cn2an`, Arabic numbers with 千/萬/億, tenths written with 成.

The characters and their values are `patterns/data/cn_numerals.tsv` (roles `digit`, `spoken_two`
for 兩, `power` 十百千, `myriad` 萬億, `point` 點).

- `parse_cn_number(text)`: `九十八`, `兩百`, `一萬零二十`, `一一二` (digit by digit), `七點五` by
  `cn2an` (mode `normal`); None for anything else. Rule kept where `cn2an` differs: a power word
  alone (`百`, `千`, `萬`, `億`) is its value (`cn2an` refuses it; `百人`, `千元`). Malformed runs
  (`百一`, `十十`) are not numbers (the former hand-rolled parser gave them a value; no deck nor
  test writes one).
- `parse_arabic_with_multipliers(text)`: `3萬3,108` -> 33108, `1億4,652萬` -> 146520000.
- `parse_cheng(tens, ones)`: `八成` 80, `七成五` 75, `十成` 100 (a rule: `cn2an` has no 成).
"""

from __future__ import annotations

import cn2an
import regex
from deckmine.patterns.data_tables import read_table, table_cache

ARABIC = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_CN2AN_REFUSES = (ValueError, KeyError, IndexError)  # cn2an's ways of saying "not a numeral"


@table_cache
def cn_numerals() -> dict[str, tuple[int | None, str]]:
    """Numeral character -> (value, role), from `cn_numerals.tsv`."""
    return {row["numeral"]: (int(row["value"]) if row["value"] else None, row["role"])
            for row in read_table("cn_numerals.tsv")}


@table_cache
def cn_chars(*roles: str) -> str:
    """The numeral characters of the given roles (all but `point` when none), in file order."""
    return "".join(char for char, (_, role) in cn_numerals().items()
                   if (role in roles if roles else role != "point"))


@table_cache
def multipliers() -> dict[str, int]:
    """Power words also written after digits (`3千`, `3萬`, `1億`): 千, 萬, 億."""
    return {char: value for char, (value, role) in cn_numerals().items()
            if role in ("power", "myriad") and value is not None and value >= 1000}


@table_cache
def multiplier_class() -> str:
    """`[萬億千]`-style character class of `multipliers()`."""
    return f"[{regex.escape(''.join(multipliers()))}]"


@table_cache
def cn_number_pattern() -> str:
    """A run of Chinese numerals with an optional decimal part (`九十八`, `七點五`)."""
    point = regex.escape(cn_chars("point"))
    return rf"[{regex.escape(cn_chars())}]+(?:{point}[{regex.escape(cn_chars('digit'))}]+)?"


@table_cache
def _number_token() -> regex.Pattern[str]:
    return regex.compile(rf"{ARABIC}|{multiplier_class()}")


def parse_arabic_with_multipliers(text: str) -> float:
    """`3萬3,108` -> 33108.0; `55,269` -> 55269.0 (see module doc)."""
    total = 0.0
    pending: float | None = None
    scale = multipliers()
    for token in _number_token().findall(text):
        if token in scale:
            total += (pending if pending is not None else 1) * scale[token]
            pending = None
        else:
            pending = float(token.replace(",", ""))
    return total + (pending or 0.0)


def parse_cn_number(text: str) -> float | None:
    """A Chinese numeral's value (see module doc), None if `text` is not one."""
    values = cn_numerals()
    if not text or any(char not in values for char in text):
        return None
    if len(text) == 1 and values[text][1] in ("power", "myriad"):
        return float(values[text][0] or 0)  # a power word alone: the rule cn2an lacks
    try:
        return float(cn2an.cn2an(text, "normal"))
    except _CN2AN_REFUSES:
        return None


def parse_cheng(tens: str, ones: str | None) -> float:
    """`八成` -> 80, `七成五` -> 75, `十成` -> 100: tens digit (or 十) and an optional ones digit."""
    values = cn_numerals()
    tens_value = values[tens][0] or 0
    value = 100 if values[tens][1] == "power" else tens_value * 10
    return float(value + ((values[ones][0] or 0) if ones else 0))


__all__ = ["ARABIC", "cn_chars", "cn_number_pattern", "cn_numerals", "multiplier_class", "multipliers",
           "parse_arabic_with_multipliers", "parse_cheng", "parse_cn_number"]
