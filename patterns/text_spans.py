"""Where clauses, sentences and lines of a text begin and end, the candidate record a figure
found in a Doc becomes, and the Doc's indicator heads: what every text rule shares."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import regex
from deckmine.patterns.data_tables import alternation, column
from deckmine.patterns.dates import Period, find_periods
from deckmine.patterns.numbers import (
    Quantity,
)

CLAUSE_BREAKS = "，,；;。！!？?\n"


SENTENCE_BREAKS = "；;。！!？?\n"


PART_BREAKS = "、(（"


LABEL_MAX_CHARS = 20


LABEL_BLOCK_MAX_CHARS = 24


DIGIT = regex.compile(r"\d")


# all a text before a figure holds besides bullets: text_words.tsv role figure_link (`已達`, `共計`)
ONLY_CUES = regex.compile(
    rf"^[\s\-•●◆❖▪■□◎○*>·:：]*(?:{alternation(column('text_words.tsv', 'word', role='figure_link'))})?\s*$")


@dataclass
class TextCandidate:
    """A quantity in a Doc and what it was attached to (set on `Span._.metric`)."""

    start: int
    end: int
    quantity: Quantity
    indicator: str | None = None
    label: str | None = None
    kind: str = "actual"
    comparator: str | None = None
    target_met: bool | None = None
    period: Period | None = None
    period_origin: str | None = None
    numerator: tuple[float, str] | None = None
    denominator: tuple[float, str] | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    needs_label: bool = False
    group: tuple[str, str] | None = None  # (group id, 'total' | 'part') of a total with its parts


@lru_cache(maxsize=8192)
def periods_in(text: str) -> tuple[Period, ...]:
    """`find_periods`, memoised: headers, labels and titles repeat within and across decks."""
    return tuple(find_periods(text))


def doc_heads(doc: Any) -> list[tuple[int, int, str, str]]:
    """(start, end, head, category) of the Doc's INDICATOR matches, computed once per Doc."""
    heads = doc.user_data.get("deckmine_heads")
    if heads is None:
        heads = [(match.start, match.end, match.text, match.entity_id)
                 for match in doc._.gazetteer if match.label == "INDICATOR"]
        doc.user_data["deckmine_heads"] = heads
    return heads


def break_before(text: str, position: int, breaks: str) -> int:
    index = position
    while index > 0 and text[index - 1] not in breaks:
        index -= 1
    return index


def clause_start_at(text: str, position: int) -> int:
    return break_before(text, position, CLAUSE_BREAKS)


def phrase_start_at(text: str, position: int) -> int:
    """Like `clause_start_at`, but a comma between digits (`5,553`) is a thousands separator."""
    index = position
    while index > 0:
        char = text[index - 1]
        if char in CLAUSE_BREAKS and not (char == "," and text[index - 2 : index - 1].isdigit()
                                          and text[index : index + 1].isdigit()):
            break
        index -= 1
    return index


def line_start_at(text: str, position: int) -> int:
    return text.rfind("\n", 0, position) + 1


def line_end_at(text: str, position: int) -> int:
    end = text.find("\n", position)
    return len(text) if end < 0 else end
