"""Strategies: `strategies.tsv` and the references to them in text.

- `strategies()`: the strategies, by number; `numerals()`: numeral -> value (`numerals.tsv`).
- `find_strategy_refs(text)` for `策略一`, `策略1`, `策略一二`, `策略四-` (only the numbers
  `strategies.tsv` lists: a fifth row makes `策略五` match) and for titles written without their
  number; `strategy_of_title_part(text)` for a table cell naming part of a title.

The grammar of a numbered reference (`策略…`, `第…項策略`, the joiners `、`, `及`, `與`) is the
pattern of `_numbered_strategy_pattern`. Matching runs on `normalize_text` output with 台 folded
to 臺; offsets point into the caller's original string.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex
from deckmine.patterns.data_tables import alternation, column, read_table, table_cache
from deckmine.patterns.normalize import fold_tai, normalize_with_offsets, original_span

NUMBERED_STRATEGY_SCORE = 1.0


@dataclass(frozen=True)
class Strategy:
    """One of the four phase-2 strategies with its alias phrases and their weights."""

    number: int
    title: str
    phrases: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class StrategyRef:
    """A reference to one or more strategies. `how` is `number` (`策略一`, score 1.0) or `title`
    (alias phrases without the number; score is the summed phrase weights, at most 1.0)."""

    numbers: tuple[int, ...]
    start: int
    end: int
    text: str
    score: float
    how: str


@table_cache
def strategies() -> tuple[Strategy, ...]:
    """The strategies from `strategies.tsv`, by number."""
    titles: dict[int, str] = {}
    phrases: dict[int, list[tuple[str, float]]] = {}
    for row in read_table("strategies.tsv"):
        number = int(row["number"])
        if row["role"] == "title":
            titles[number] = row["phrase"]
        phrases.setdefault(number, []).append((row["phrase"], float(row["weight"])))
    return tuple(
        Strategy(number, titles.get(number, ""), tuple(phrases[number])) for number in sorted(phrases)
    )


@table_cache
def numerals() -> dict[str, int]:
    """Numeral -> value (`一`, `貳`, `3`), from `numerals.tsv`."""
    return {row["numeral"]: int(row["value"]) for row in read_table("numerals.tsv")}


@table_cache
def heading_words() -> tuple[str, ...]:
    """The word a numbered strategy heading starts with (table_words.tsv role `strategy_header`)."""
    return column("table_words.tsv", "word", role="strategy_header")


def heading_alternation(spaced: bool = False) -> str:
    """`heading_words` as a regex alternation; `spaced` lets a space stand between their
    characters (the deck tokenizer's token whitespace)."""
    join = " ?" if spaced else ""
    return "|".join(join.join(regex.escape(char) for char in word) for word in heading_words())


@table_cache
def _numbered_strategy_pattern() -> regex.Pattern[str]:
    """`策略一`, `策略1`, `策略貳`, `策略（一）`, `【策略二】`, `第四項策略`, `策略一二`, `策略一、二`:
    numerals of the strategies `strategies.tsv` has (a fifth row makes `策略五` match)."""
    known = {number for number in (s.number for s in strategies())}
    digits = "".join(sorted(numeral for numeral, value in numerals().items() if value in known))
    n = f"[{regex.escape(digits)}]"
    measure, stop, joiner = (regex.escape("".join(column("text_words.tsv", "word", role=role)))
                             for role in ("strategy_measure", "not_after_strategy", "strategy_joiner"))
    head = heading_alternation()
    return regex.compile(
        rf"(?:(?:{head})\s*[（(〔]?\s*(?P<first>{n})[）)〕]?|第\s*(?P<ordinal>{n})\s*[{measure}]?\s*(?:{head}))(?![\d])"
        rf"(?P<more>(?:{n}(?![{stop}])"  # one heading word, several numerals
        rf"|\s*[{joiner}]\s*{n}(?=[\s{joiner}:：)\-]|$))*)"
    )


_TITLE_MERGE_GAP = 12  # characters allowed between two phrases of the same title


@table_cache
def _strategy_phrase_pattern() -> tuple[regex.Pattern[str], dict[str, tuple[int, float]]]:
    lookup: dict[str, tuple[int, float]] = {}
    for strategy in strategies():
        for phrase, weight in strategy.phrases:
            for variant in {phrase, phrase.replace("，", ","), phrase.replace("，", "")}:
                lookup.setdefault(fold_tai(variant), (strategy.number, weight))
    return regex.compile(alternation(list(lookup))), lookup


def find_strategy_refs(text: str) -> list[StrategyRef]:
    """Strategy references in `text`, in order of position.

    Numbered forms: `策略一`, `策略1`, `策略 3`, `策略二、`, `策略四-`, `策略一二` and `策略一、二`
    (both). Title forms: alias phrases from `strategies.tsv` (`優化保護服務輸送`,
    `精進前端預防危機處理`…); phrases of the same strategy close together are merged into one
    ref. A heading `策略一：擴增家庭服務資源…` gives both a `number` ref and a `title` ref."""
    normalized, offsets = normalize_with_offsets(text)
    folded = fold_tai(normalized)
    refs: list[StrategyRef] = []
    values = numerals()
    for match in _numbered_strategy_pattern().finditer(folded):
        digits = [match.group("first") or match.group("ordinal"), *match.group("more")]
        numbers = tuple(dict.fromkeys(values[d] for d in digits if d in values))
        start, end = original_span(offsets, match.start(), match.end())
        refs.append(StrategyRef(numbers, start, end, text[start:end], NUMBERED_STRATEGY_SCORE, "number"))

    pattern, lookup = _strategy_phrase_pattern()
    pending: list[tuple[int, int, int, float]] = []  # number, start, end, score (normalised)
    for match in pattern.finditer(folded):
        number, weight = lookup[match.group()]
        if pending and pending[-1][0] == number and match.start() - pending[-1][2] <= _TITLE_MERGE_GAP:
            last = pending[-1]
            pending[-1] = (number, last[1], match.end(), min(1.0, last[3] + weight))
        else:
            pending.append((number, match.start(), match.end(), weight))
    for number, norm_start, norm_end, score in pending:
        start, end = original_span(offsets, norm_start, norm_end)
        refs.append(StrategyRef((number,), start, end, text[start:end], round(score, 3), "title"))
    return sorted(refs, key=lambda ref: (ref.start, ref.how != "number"))


TITLE_PART_MIN_CHARS = 4
_NOT_HAN = regex.compile(r"[^\p{Han}]")


@table_cache
def _compact_titles() -> tuple[tuple[int, str], ...]:
    return tuple((s.number, _NOT_HAN.sub("", fold_tai(s.title))) for s in strategies() if s.title)


def strategy_of_title_part(text: str) -> int | None:
    """The strategy whose official title contains all of `text` (at least four Han characters,
    spaces and punctuation ignored): a table cell naming its row's strategy by part of the title
    (`精神疾病及自殺防治`, `網絡資源布建`). None when no title or more than one holds it."""
    compact = _NOT_HAN.sub("", fold_tai(normalize_with_offsets(text)[0]))
    if len(compact) < TITLE_PART_MIN_CHARS:
        return None
    holders = [number for number, title in _compact_titles() if compact in title]
    return holders[0] if len(holders) == 1 else None


__all__ = ["NUMBERED_STRATEGY_SCORE", "Strategy", "StrategyRef", "find_strategy_refs", "numerals", "strategies",
           "strategy_of_title_part"]
