"""A percentage that is a change between two periods (`較113年（4,000件）成長10%`), its span of
periods and its operands."""

from __future__ import annotations

from dataclasses import replace
from functools import cache

from deckmine.patterns.data_tables import column, read_table
from deckmine.patterns.dates import Period
from deckmine.patterns.gazetteer import cue_words
from deckmine.patterns.text_periods import is_baseline
from deckmine.patterns.text_spans import (
    SENTENCE_BREAKS,
    TextCandidate,
    break_before,
    phrase_start_at,
)


@cache
def _change_words() -> dict[str, str]:
    return {row["word"]: row["role"] for row in read_table("cues.tsv") if row.get("role") in ("change_up", "change_down")}


@cache
def _change_gap() -> str:
    """What may stand between a change word and its figure (`成長約8.4%`: text_words.tsv change_gap)."""
    return "".join(column("text_words.tsv", "word", role="change_gap")) + " "


def attach_changes(candidates: list[TextCandidate], text: str, periods: tuple[Period, ...]) -> None:
    """`114年…4,400件，較113年（4,000件）成長10%`: a percentage right after a change word
    (`成長`, `減少`: cues.tsv roles change_up/down) in a clause that names its baseline (`較112年`)
    is a change between two periods. Its period spans the baseline and the sentence's own period
    (its year is the later one), and when the sentence prints one count of each period in the same
    unit, they are its operands (`counts_from` growth or decline: later, earlier)."""
    for index, change in enumerate(candidates):
        if change.quantity.unit != "%" or change.numerator is not None:
            continue
        clause_start = phrase_start_at(text, change.start)
        direction = _change_direction(text[clause_start : change.start])
        if direction is None:
            continue
        baselines = [p for p in periods if clause_start <= p.char_start and p.char_end <= change.start and is_baseline(text, p)]
        if baselines:
            _change_between(change, candidates[:index], text, clause_start, baselines[-1], periods, direction)
        else:
            _change_from_last_year(change, candidates[:index], text, clause_start, direction)


def _change_direction(before: str) -> str | None:
    """change_up or change_down when `before` (the clause up to the figure) ends with a change word."""
    words = _change_words()
    before = before.rstrip(_change_gap())
    word = next((w for w in sorted(words, key=len, reverse=True) if before.endswith(w)), None)
    return None if word is None else words[word]


def _change_between(change: TextCandidate, earlier_candidates: list[TextCandidate], text: str, clause_start: int,
                    baseline: Period, periods: tuple[Period, ...], direction: str) -> None:
    """The change from `baseline` to the sentence's own period, and its counts when printed."""
    sentence_start = break_before(text, change.start, SENTENCE_BREAKS)
    own = [p for p in periods if sentence_start <= p.char_start < clause_start and not is_baseline(text, p)
           and p.roc_year != baseline.roc_year]
    current = own[-1] if own else None
    if current is not None:
        change.period = replace(current, start=min(baseline.start, current.start),
                                text=f"{baseline.text}–{current.text}", granularity="range")
        change.period_origin = "change"
    counts = [c for c in earlier_candidates if c.start >= sentence_start and c.quantity.unit not in (None, "%", "pp")]
    # the later count: dated by the sentence's own period, or undated (the slide's period)
    later = [c for c in counts if (c.period is current if current else c.period is None)]
    earlier = [c for c in counts if c.period is not None and c.period.roc_year == baseline.roc_year]
    _set_operands(change, later, earlier, direction)


def _set_operands(change: TextCandidate, later: list[TextCandidate], earlier: list[TextCandidate],
                  direction: str) -> None:
    """The one later and one earlier count of the same unit as the change's operands."""
    if len(later) == 1 and len(earlier) == 1 and later[0].quantity.unit == earlier[0].quantity.unit:
        change.numerator = (later[0].quantity.value, later[0].quantity.value_text)
        change.denominator = (earlier[0].quantity.value, earlier[0].quantity.value_text)
        change.attributes["counts_from"] = "growth" if direction == "change_up" else "decline"


def _change_from_last_year(change: TextCandidate, earlier_candidates: list[TextCandidate], text: str,
                           clause_start: int, direction: str) -> None:
    """`再通報180件，較去年同期（200件）減少10%`: a baseline named without a year (`去年`, cues.tsv
    role previous_year) still gives the change its operands: the count after the baseline word in
    the clause, and the one count of the same unit before it in the sentence."""
    clause = text[clause_start : change.start]
    if not any(base + word in clause for base in cue_words("baseline") for word in cue_words("previous_year")):
        return
    sentence_start = break_before(text, change.start, SENTENCE_BREAKS)
    base = [c for c in earlier_candidates if c.start >= clause_start and c.quantity.unit not in (None, "%", "pp")]
    later = [c for c in earlier_candidates if sentence_start <= c.start < clause_start
             and c.quantity.unit not in (None, "%", "pp")]
    _set_operands(change, later, base, direction)
