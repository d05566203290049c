"""Every figure of a spaCy Doc with its head, label, kind cues, period, counts and group."""

from __future__ import annotations

from typing import Any

from deckmine.patterns.kind import Cue, KindContext, cue_roles
from deckmine.patterns.nlp import doc_text
from deckmine.patterns.numbers import (
    find_fractions,
    find_quantities,
)
from deckmine.patterns.text_changes import attach_changes
from deckmine.patterns.text_fractions import attach_fractions, counts_by_formula
from deckmine.patterns.text_groups import group_shares, group_totals
from deckmine.patterns.text_heads import attach_head, keeps_figure
from deckmine.patterns.text_kinds import kind_clause_start, pair_targets
from deckmine.patterns.text_periods import attach_period
from deckmine.patterns.text_spans import (
    CLAUSE_BREAKS,
    SENTENCE_BREAKS,
    TextCandidate,
    break_before,
    doc_heads,
    line_end_at,
    periods_in,
)


def text_candidates(doc: Any) -> list[TextCandidate]:
    """Every figure in a spaCy Doc with its head, label, kind, period and counts."""
    text = doc_text(doc)
    roles = cue_roles()
    heads = doc_heads(doc)
    cues = [Cue(match.start, match.end, match.text, roles[match.text]) for match in doc._.gazetteer
            if match.label == "CUE" and match.text in roles]
    fractions = find_fractions(text)
    quantities = [q for q in find_quantities(text) if keeps_figure(q, text, heads, fractions)]
    periods = periods_in(text)
    candidates: list[TextCandidate] = []
    figure_starts = tuple(q.start for q in quantities)
    clause_ends = tuple(i for i, ch in enumerate(text) if ch in CLAUSE_BREAKS) + (len(text),)
    for index, quantity in enumerate(quantities):
        candidate = TextCandidate(quantity.start, quantity.end, quantity, comparator=quantity.comparator)
        next_start = quantities[index + 1].start if index + 1 < len(quantities) else len(text)
        previous_end = quantities[index - 1].end if index else 0
        attach_head(candidate, text, heads, previous_end)
        attach_period(candidate, text, periods, figure_starts)
        where = KindContext(
            start=quantity.start, end=quantity.end,
            clause_start=kind_clause_start(text, quantity.start),
            sentence_start=break_before(text, quantity.start, SENTENCE_BREAKS),
            line_end=line_end_at(text, quantity.end), next_figure_start=next_start,
            figure_starts=figure_starts, clause_ends=clause_ends,
        )
        candidate.attributes["kind_where"] = where
        candidate.attributes["cues"] = cues
        if quantity.supervisors is not None:
            candidate.attributes["supervisors"] = quantity.supervisors
            candidate.attributes["workers"] = quantity.workers
        if quantity.range_low is not None:
            candidate.attributes["range_low"] = quantity.range_low
        candidates.append(candidate)
    pair_targets(candidates, text)
    attach_fractions(candidates, text, fractions)
    counts_by_formula(candidates, text)
    attach_changes(candidates, text, periods)
    group_totals(candidates, text)
    group_shares(candidates, text)
    return candidates
