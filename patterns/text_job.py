"""One piece of text to mine (`TextJob`): its raw text with wrapped lines joined, where each of its
lines lies, and a huge box cut in pieces."""

from __future__ import annotations

import itertools
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from deckmine.extractors.model import NotesBlock, TextBlock, TextLine
from deckmine.patterns.dates import Period
from deckmine.patterns.normalize import normalize_text


@dataclass
class TextJob:
    """One piece of text to mine: a text block, notes, or a prose table cell (`text` given)."""

    page: int
    block_index: int
    block: TextBlock | NotesBlock | None
    source: str
    text: str | None = None
    context_period: Period | None = None
    context_kind: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    plan_section: bool = False  # the slide is a plan (cues.tsv role `plan_section`): see `is_plan_page`
    # A prose table cell: (table_id, row, col, row path, column path).
    table_cell: tuple[str, int, int, str | None, str | None] | None = None

    @cached_property
    def wrapped(self) -> bool:
        """The job is a text block some of whose lines run on into the next (`TextLine.continues`)."""
        return self.text is None and isinstance(self.block, TextBlock) and any(line.continues for line in self.block.lines)

    @cached_property
    def raw_text(self) -> str:
        if self.text is not None:
            return self.text
        if self.wrapped:
            return join_wrapped_lines(self.block)  # type: ignore[arg-type]
        return self.block.text if self.block is not None else ""

    @cached_property
    def line_ends(self) -> list[int]:
        """Where each line of a wrapped block ends in its normalised text (see `line_at`)."""
        lines = self.block.lines  # type: ignore[union-attr]
        return list(itertools.accumulate(len(normalize_text(line.text)) + len(separator)
                                         for line, separator in zip(lines, _separators(lines), strict=True)))


def _separators(lines: list[TextLine]) -> list[str]:
    """What follows each line in the text the author wrote: nothing after a line that continues
    on the next (`TextLine.continues`) or after the last, a newline elsewhere."""
    return ["" if line.continues or index == len(lines) - 1 else "\n" for index, line in enumerate(lines)]


def join_wrapped_lines(block: TextBlock) -> str:
    """The block's text with each line that continues on the next joined to it."""
    return "".join(line.text + separator for line, separator in zip(block.lines, _separators(block.lines), strict=True))


def line_at(job: TextJob, text: str, position: int) -> int:
    """Which line of the job's block holds `position` of its (normalised) text."""
    block = job.block
    if not job.wrapped:
        return text.count("\n", 0, position)
    return min(bisect_right(job.line_ends, position), len(block.lines) - 1)


TEXT_PIECE_CHARS = 100_000  # a text box longer than this is mined in pieces (spaCy caps one Doc)


def in_pieces(job: TextJob) -> list[TextJob]:
    """A huge text box as several jobs cut at line ends (each under TEXT_PIECE_CHARS), so one
    runaway box neither fails its deck nor holds a giant Doc; figures keep the box's bbox."""
    text = job.raw_text
    if len(text) <= TEXT_PIECE_CHARS:
        return [job]
    pieces, start = [], 0
    while start < len(text):
        end = min(len(text), start + TEXT_PIECE_CHARS)
        cut = text.rfind("\n", start, end) if end < len(text) else end
        end = cut + 1 if cut > start else end
        pieces.append(replace(job, text=text[start:end]))
        start = end
    return pieces
