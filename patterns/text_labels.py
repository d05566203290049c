"""Names from neighbouring lines and boxes for a figure standing without one (`布建涵蓋率：` /
`87.5%達標`, `100%` / `人員` / `進用率`, a label-only box before the figure's box)."""

from __future__ import annotations

from typing import Any

from deckmine.patterns.kind import cue_roles
from deckmine.patterns.labels import clean_label
from deckmine.patterns.text_heads import RATE_SUFFIX
from deckmine.patterns.text_job import TextJob
from deckmine.patterns.text_pipeline import get_nlp
from deckmine.patterns.text_spans import (
    DIGIT,
    LABEL_BLOCK_MAX_CHARS,
    ONLY_CUES,
    TextCandidate,
    clause_start_at,
    doc_heads,
    line_end_at,
    line_start_at,
)


def label_only_block(job: TextJob, text: str, doc: Any) -> tuple[int, str, Any] | None:
    """(page, label, Doc or text): a Doc is made for a text without figures only if a figure
    of the next block takes its label (`label_from_neighbours`)."""
    stripped = text.strip()
    if not stripped or len(stripped) > LABEL_BLOCK_MAX_CHARS or DIGIT.search(stripped):
        return None
    if stripped in cue_roles():  # a cue word alone names nothing
        return None
    return job.page, stripped, text if doc is None else doc


def label_from_neighbours(candidate: TextCandidate, text: str, doc: Any,
                           pending: tuple[int, str, Any] | None) -> None:
    """A figure opening its line takes its name from the end of the line before (`布建涵蓋率：` /
    `87.5%達標`), else from the lines after it (`100%` / `人員` / `進用率`), else from a label-only
    box just before its own box."""
    if not (_label_from_line_before(candidate, text, doc) or _label_from_lines_after(candidate, text, doc)):
        _label_from_box_before(candidate, text, pending)


def _fits(head: tuple[int, int, str, str], candidate: TextCandidate) -> bool:
    return (head[3] == "rate") == (candidate.quantity.unit == "%")


def _label_from_line_before(candidate: TextCandidate, text: str, doc: Any) -> bool:
    """`布建涵蓋率：` / `87.5%達標`: the last clause of the line before, when it holds no number."""
    line_start = line_start_at(text, candidate.start)
    if line_start == 0:
        return False
    tail_start = clause_start_at(text, line_start - 1)
    tail = text[tail_start : line_start - 1]
    if not tail.strip() or DIGIT.search(tail):
        return False
    fitting = [h for h in doc_heads(doc) if tail_start <= h[0] and h[1] <= line_start - 1 and _fits(h, candidate)]
    _set_label(candidate, tail, fitting)
    return True


def _label_from_lines_after(candidate: TextCandidate, text: str, doc: Any) -> bool:
    """`100%` / `人員` / `進用率`: a figure alone on its line named by the short lines after it."""
    rest = text[candidate.end :]
    following = rest.strip()
    alone = ONLY_CUES.match(text[candidate.end : line_end_at(text, candidate.end)])
    if not (alone and following and "\n" in rest and not DIGIT.search(rest) and len(following) <= LABEL_BLOCK_MAX_CHARS):
        return False
    fitting = [h for h in doc_heads(doc) if h[0] >= candidate.end and _fits(h, candidate)]
    _set_label(candidate, following, fitting)
    return True


def _label_from_box_before(candidate: TextCandidate, text: str, pending: tuple[int, str, Any] | None) -> None:
    """A figure opening its box takes the label of a label-only box just before it."""
    if line_start_at(text, candidate.start) != 0 or pending is None:
        return
    _, label_text, label_doc = pending
    label_heads = doc_heads(get_nlp()(label_doc) if isinstance(label_doc, str) else label_doc)
    _set_label(candidate, label_text, [h for h in label_heads if _fits(h, candidate)])


def _set_label(candidate: TextCandidate, label_text: str, heads: list[tuple[int, int, str, str]]) -> None:
    label = clean_label(label_text.replace("\n", ""))
    if heads:
        head = max(heads, key=lambda h: h[1])
        candidate.indicator = head[2]
        candidate.label = label or head[2]
        return
    if candidate.quantity.unit == "%":
        match = RATE_SUFFIX.search(label)
        if match:
            candidate.indicator = match.group(1)[-3:]
    candidate.label = label or None
