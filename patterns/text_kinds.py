"""Kind rules of running text beyond `patterns.kind`: the clause whose cues decide a figure's kind,
targets paired with actuals (`進用率71%(目標85%)`), comparators written before a target word, plan
slides and the targets spread over a plan sentence."""

from __future__ import annotations

import itertools
from typing import Any

import regex
from deckmine.extractors.model import TextBlock
from deckmine.patterns.data_tables import alternation, column
from deckmine.patterns.gazetteer import cue_words, qualifiers
from deckmine.patterns.kind import cue_roles
from deckmine.patterns.metric import Metric
from deckmine.patterns.text_spans import (
    LABEL_BLOCK_MAX_CHARS,
    SENTENCE_BREAKS,
    TextCandidate,
    clause_start_at,
    periods_in,
    phrase_start_at,
)

_AT_MOST = regex.compile(alternation(column("text_words.tsv", "word", role="at_most")))  # text_words.tsv role `at_most`
_TARGET_GAP = " :：" + "".join(column("text_words.tsv", "word", role="target_link"))  # between a target word and its figure


_SPACES = regex.compile(r"\s+")


def kind_clause_start(text: str, position: int) -> int:
    """The clause whose cues decide a figure's kind: its own, joined to the one before when it
    opens with a purpose word (`規劃增聘3名，期使涵蓋率至少維持95%`: cues.tsv role `purpose`)."""
    start = clause_start_at(text, position)
    while start > 0 and text[start - 1] not in SENTENCE_BREAKS and text.startswith(cue_words("purpose"), start):
        start = clause_start_at(text, start - 1)
    return start


def pair_targets(candidates: list[TextCandidate], text: str) -> None:
    """`進用率71%(目標85%)`, `4.78%低於10%`: the target figure's value goes on the actual's
    attributes so the audit can check target_met."""
    target_words = [word for word, role in cue_roles().items() if role == "target"]
    for actual, target in itertools.pairwise(candidates):
        if actual.quantity.unit != target.quantity.unit:
            continue
        between = text[actual.end : target.start]
        adjacent = len(between) <= 8 and not any(ch in between for ch in "，,；;。\n")
        if not adjacent and not _names_its_target(between, actual, target, target_words):
            continue
        named_target = any(word in between for word in target_words)
        if not named_target and target.comparator not in ("<", ">", "<=", ">="):
            continue
        target.kind = "target"
        if target.comparator is None:
            target.comparator = "<=" if _AT_MOST.search(between) else ">="
        actual.attributes["target_value"] = target.quantity.value
        actual.attributes["target_comparator"] = target.comparator
        if target.indicator is None:
            target.indicator, target.label = actual.indicator, actual.label


TARGET_CLAUSE_MAX_CHARS = 16


def _names_its_target(between: str, actual: TextCandidate, target: TextCandidate, target_words: list[str]) -> bool:
    """`進用率84%，未達115年目標值88%`: an unnamed figure that a target word introduces in the
    next clause of the same sentence is the target of the figure before it, unless the words
    between date it to another year than the figure (`已布建20處，116年底目標25處`)."""
    if target.indicator is not None or len(between) > TARGET_CLAUSE_MAX_CHARS:
        return False
    if any(ch in between for ch in SENTENCE_BREAKS):
        return False
    dated = periods_in(between)
    if dated and (actual.period is None or dated[-1].year != actual.period.year):
        return False
    tail = between.rstrip(_TARGET_GAP)
    for period in reversed(dated):
        if period.char_end == len(tail):
            tail = tail[: period.char_start].rstrip(" (（")
    return any(tail.endswith(word) for word in target_words)


def comparator_before_target_word(text: str, position: int) -> str | None:
    """`低於目標值5%`, `(<110年目標值7.5%)`: a comparator written before the target word (and its
    year) bounds the target figure after it."""
    before = text[phrase_start_at(text, position) : position].rstrip(_TARGET_GAP)
    target_words = sorted((w for w, role in cue_roles().items() if role == "target"), key=len, reverse=True)
    word = next((w for w in target_words if before.endswith(w)), None)
    if word is None:
        return None
    before = before[: -len(word)]
    for period in reversed(periods_in(before)):
        if period.char_end == len(before):
            before = before[: period.char_start]
    before = before.rstrip(" (（")
    claims = [w for w, role in cue_roles().items() if role in ("met", "missed")]
    words = sorted(((q.word, q.comparator) for q in qualifiers() if q.position == "before" and q.comparator
                    and not any(claim.startswith(q.word) for claim in claims)),  # a 'not met' claim is no bound
                   key=lambda item: len(item[0]), reverse=True)
    return next((comparator for w, comparator in words if before.endswith(w)), None)


def spread_plan_targets(block_metrics: list[Metric]) -> None:
    """`112年到宅服務至少40案，共計90案次`: after a `至少` target of a plan, the figures later in
    the same sentence are targets too."""
    planned_sentence: int | None = None
    for metric in block_metrics:
        sentence = metric.attributes.get("sentence")
        if metric.attributes.get("kind_rule") == "at least in plan":
            planned_sentence = sentence
        elif sentence == planned_sentence and metric.kind == "actual":
            metric.kind = "target"
            metric.attributes["kind_rule"] = "plan sentence"


def is_plan_page(title: str | None, blocks: list[Any]) -> bool:
    """A slide that presents a plan: its title or a heading box (a short text box) names one
    (`未來規劃`, `預期效益`: cues.tsv role `plan_section`). There, `至少`/`以上` figures without a
    date of their own are targets."""
    headings = [title or ""] + [block.text for block in blocks
                                if isinstance(block, TextBlock) and len(block.text.strip()) <= LABEL_BLOCK_MAX_CHARS]
    words = cue_words("plan_section")
    return any(word in _SPACES.sub("", heading) for heading in headings for word in words)
