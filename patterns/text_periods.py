"""A figure's period: the nearest date expression before it in its clause, then after it in the
clause, then earlier on its line, then earlier in its block (a heading line); and the period
of a box holding nothing else, which heads the box or table below it."""

from __future__ import annotations

from functools import cache
from typing import Any

import regex
from deckmine.extractors.model import BBox, TextBlock
from deckmine.patterns.dates import Period
from deckmine.patterns.gazetteer import cue_words
from deckmine.patterns.normalize import normalize_text
from deckmine.patterns.text_job import TextJob
from deckmine.patterns.text_spans import (
    CLAUSE_BREAKS,
    ONLY_CUES,
    TextCandidate,
    clause_start_at,
    line_end_at,
    line_start_at,
    periods_in,
)

_PERIOD_WORDS = regex.compile(r"[\s年度()（）]")


def attach_period(candidate: TextCandidate, text: str, periods: list[Period],
                  figure_starts: tuple[int, ...] = ()) -> None:
    """The figure's period and where it was found (module docstring); none when no date fits."""
    start, end = candidate.quantity.start, candidate.quantity.end
    clause_start = clause_start_at(text, start)
    clause_end = next((index for index in range(end, len(text)) if text[index] in CLAUSE_BREAKS), len(text))
    line_start = _statement_start(text, start)
    # `較110年78.7%`: a comparison baseline is the period only of the figure right after it.
    periods = [p for p in periods if not is_baseline(text, p) or _dates_the_base(text, p, start)]
    before = [p for p in periods if p.char_end <= start]
    in_clause = [p for p in before if p.char_start >= clause_start]
    after_in_clause = [p for p in periods if p.char_start >= end and p.char_end <= clause_end]
    on_line = [p for p in before if p.char_start >= line_start]
    in_block = _heading_periods(text, before, line_start, figure_starts)
    for found, origin in ((in_clause, "clause"), (after_in_clause[:1], "clause"), (on_line, "line"),
                          (in_block, "block")):
        if found:
            candidate.period = found[-1] if origin != "clause" or found is in_clause else found[0]
            candidate.period_origin = origin
            return


def _heading_periods(text: str, before: list[Period], line_start: int, figure_starts: tuple[int, ...]) -> list[Period]:
    """Periods of earlier lines that are headings: a line with figures of its own is a statement,
    and its date stays with it (`去年同期…85.7%` / `平均負荷約28案`)."""
    return [p for p in before if p.char_start < line_start
            and not any(p.char_end <= f < line_end_at(text, p.char_end) for f in figure_starts)]


def _statement_start(text: str, position: int) -> int:
    """The start of the figure's line, or of the line before when its own line holds only cue
    words before it (`布建涵蓋率：` / `87.5%`: one statement)."""
    line_start = line_start_at(text, position)
    if line_start > 0 and ONLY_CUES.match(text[line_start:position]):
        return line_start_at(text, line_start - 1)
    return line_start


@cache
def _base_figure_gap() -> regex.Pattern[str]:
    words = "|".join(regex.escape(word) for word in cue_words("same_period")) or "(?!)"
    return regex.compile(rf"\s*(?:{words})?\s*[(（]?\s*")


def _dates_the_base(text: str, period: Period, start: int) -> bool:
    """`較112年78.7%`, `較112年同期（2,296件）`: the baseline dates the figure right after it."""
    return start >= period.char_end and _base_figure_gap().fullmatch(text, period.char_end, start) is not None


def is_baseline(text: str, period: Period) -> bool:
    return text.endswith(cue_words("baseline"), 0, period.char_start)


def _period_only(text: str) -> Period | None:
    """The period of a box that holds nothing else (`111年`, `107年度`, `（113年）`)."""
    periods = periods_in(text)
    if len(periods) == 1 and len(_PERIOD_WORDS.sub("", text)) <= len(periods[0].text) + 1:
        return periods[0]
    return None


def _heads_box(above: BBox, box: BBox) -> float | None:
    """The gap when `above` sits right over `box` (overlapping half the narrower), else None."""
    overlap = min(above.x1, box.x1) - max(above.x0, box.x0)
    gap = box.top - above.bottom
    if overlap >= 0.5 * min(above.width, box.width) and -2 <= gap <= max(above.height, 1) * 1.5:
        return gap
    return None


def period_heading_above(blocks: list[Any], block: Any) -> Period | None:
    """The period of a period-only text box right above `block` (a table's `（113年）` heading)."""
    if block.bbox is None:
        return None
    best: tuple[float, Period] | None = None
    for other in blocks:
        if other is block or not isinstance(other, TextBlock) or other.bbox is None:
            continue
        period = _period_only(normalize_text(other.text))
        gap = _heads_box(other.bbox, block.bbox) if period is not None else None
        if gap is not None and period is not None and (best is None or gap < best[0]):
            best = (gap, period)
    return best[1] if best else None


def periods_from_header_boxes(jobs: list[TextJob], texts: list[str]) -> None:
    """A box holding only a period (`111年`, `107年度`) heads the box right below it: that box's
    figures without a date of their own get its period."""
    headers: list[tuple[TextJob, Period]] = []
    for job, text in zip(jobs, texts, strict=True):
        if job.source != "text" or job.block is None or job.block.bbox is None:
            continue
        period = _period_only(text)
        if period is not None:
            headers.append((job, period))
    for job in jobs:
        if job.source != "text" or job.block is None or job.block.bbox is None or job.context_period:
            continue
        best: tuple[float, Period] | None = None
        for header, period in headers:
            if header.page != job.page or header is job:
                continue
            gap = _heads_box(header.block.bbox, job.block.bbox)  # type: ignore[union-attr]
            if gap is not None and (best is None or gap < best[0]):
                best = (gap, period)
        if best is not None:
            job.context_period = best[1]
