"""Which lines of a PDF text box continue on the next line (a visual wrap, not a line break).

A PDF keeps no paragraphs: a sentence that wraps in its box is cut into lines like any other.
`mark_soft_wraps(block)` sets `TextLine.continues` on each line but the last that runs on into
the next: one reaching the right edge of the box (or pushed off it by an unbreakable run that
opens the next line: a bracket, a number with its unit), not ending a sentence, or one with a
bracket still open, unless the next line opens a bullet. The miner joins such lines
(`deckmine.patterns.text_miner`); the block's `text` keeps every line break.
"""

from __future__ import annotations

import itertools

import regex
from deckmine.extractors.model import TextBlock, TextLine

EDGE_SIZES = 1.5  # a line ending within this many font sizes of the box's right edge reaches it
NARROW_WIDTH = 0.55  # width of a Latin glyph or digit, in font sizes (a CJK glyph is 1)
# Full-width punctuation is written as escapes: 。：；！？） end a sentence; ● ◆ ■ … and `1、`,
# `（1）` open a bullet; （…） is a bracket.
_SENTENCE_END = "\u3002\uff1a:\uff1b;\uff01\uff1f!?\uff09)"  # a string: an empty line ends nothing
_BULLET_START = regex.compile(r"^\s*(?:[\u2022\u25cf\u25c6\u2756\u25aa\u25a0\u25a1\u25ce\u25cb*\-]"
                              r"|\d+[.\u3001)]|[(\uff08]\d+[)\uff09])")
_UNBREAKABLE = regex.compile(r"^\s*(?:[(\uff08][^()\uff08\uff09]{1,12}[)\uff09]|[\d,.]+\s*\p{Han}?)")
_OPENING = ("(", "\uff08")
_CLOSING = (")", "\uff09")


def mark_soft_wraps(block: TextBlock) -> None:
    """Set `continues` on the lines of `block` that run on into the next (module docstring)."""
    if block.bbox is None or len(block.lines) < 2:
        return
    for line, following in itertools.pairwise(block.lines):
        line.continues = _runs_on(block, line, following)


def _runs_on(block: TextBlock, line: TextLine, following: TextLine) -> bool:
    size = line.font_size or block.font_size or 12.0
    assert block.bbox is not None
    reaches_edge = line.bbox is not None and line.bbox.x1 >= block.bbox.x1 - EDGE_SIZES * size
    pushed = _pushed_down(block, line, following, size)  # the next line starts lower than a line break would put it
    runs_on = (reaches_edge or pushed) and line.text.rstrip()[-1:] not in _SENTENCE_END
    open_bracket = _unclosed_bracket(line.text)  # a bracket opened on this line closes on the next
    return (runs_on or open_bracket) and not _BULLET_START.match(following.text)


def _pushed_down(block: TextBlock, line: TextLine, following: TextLine, size: float) -> bool:
    """A line ending short of the box's right edge because the next line opens with a run that
    does not break wider than the space left: a wrap."""
    if block.bbox is None or line.bbox is None:
        return False
    run = _UNBREAKABLE.match(following.text)
    if run is None:
        return False
    width = sum(NARROW_WIDTH * size if ord(char) < 0x2E80 else size for char in run.group().strip())
    return block.bbox.x1 - line.bbox.x1 < width


def _unclosed_bracket(text: str) -> bool:
    return sum(text.count(c) for c in _OPENING) > sum(text.count(c) for c in _CLOSING)


__all__ = ["mark_soft_wraps"]
