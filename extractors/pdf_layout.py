"""Group PDF glyphs into lines and text blocks, and put blocks in slide reading order.

Slides are text boxes placed anywhere, so this does not read a page as one stream of lines:
1. glyphs -> line fragments: a glyph joins the fragment whose last glyph sits on the same baseline
   band and ends at most `FRAGMENT_GAP` font sizes to its left; a wider gap starts a new fragment,
   so two boxes side by side never share a line (a bullet glyph may sit further away);
2. fragments -> blocks: a fragment joins the block whose last line lies just above it, overlaps it
   horizontally and has a similar font size;
3. blocks -> reading order by recursive XY cut: split the page at horizontal gaps (top to bottom),
   then each strip at vertical gaps (left to right), and so on.

Sideways text is laid out in its own reading frame (see `extractors.vertical`), and a block of
upright glyphs stacked one per line (a narrow table column) becomes one vertical line.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any, TypeVar

import regex
from deckmine.extractors.model import BBox
from deckmine.extractors.textjoin import CJK_CLASS, join_chars
from deckmine.extractors.vertical import RIGHT, Direction, directions, is_axis, to_reading_frame

FRAGMENT_GAP = 1.5  # font sizes of empty space that split a visual line into two fragments
BULLET_GAP = 4.0  # a bullet may sit this far left of its text
BULLET_AFTER_GAP = 0.3  # font sizes of space before a bullet that make it start a new fragment
LINE_GAP = 1.0  # font sizes between two lines of one block
SIZE_RATIO = 1.35  # lines whose font sizes differ more belong to different blocks
HORIZONTAL_CUT_WEIGHT = 2.0  # see reading_order
GRID_ROW_TOLERANCE = 10.0  # points: boxes whose tops differ less start the same grid row
# Letter-spaced text (Word's distributed alignment, titles spread with character spacing): single
# CJK glyphs on one baseline at an even pitch, gaps up to this many font sizes, at least SPREAD_MIN.
SPREAD_MAX_GAP = 4.0
SPREAD_MIN = 3
SPREAD_PITCH_TOLERANCE = 0.2  # share of the first gap by which the other gaps may differ
BOLD_FONT = regex.compile(r"bold|black|heavy|semibold|demi|w[6-9]\b", regex.IGNORECASE)
BULLETS = set("•●◆◇■□▪▫►▶➢➤❖✓✔○◎-–—*※‧・")
CJK_GLYPH = regex.compile(f"[{CJK_CLASS}]")

Glyph = dict[str, Any]
T = TypeVar("T")


@lru_cache(maxsize=4096)
def is_bold_font(fontname: str) -> bool:
    return bool(BOLD_FONT.search(fontname.split("+", 1)[-1]))


class Line:
    """Glyphs of one line, left to right in their reading frame. The derived properties are
    cached: read them only once the line is complete."""

    def __init__(self, glyph: Glyph) -> None:
        self.glyphs: list[Glyph] = [glyph]
        self.x0: float = glyph["x0"]
        self.top: float = glyph["top"]
        self.x1: float = glyph["x1"]
        self.bottom: float = glyph["bottom"]
        self.bullets_only = glyph["text"] in BULLETS or not glyph["text"].strip()

    def add(self, glyph: Glyph) -> None:
        self.glyphs.append(glyph)
        self.x0 = min(self.x0, glyph["x0"])
        self.x1 = max(self.x1, glyph["x1"])
        self.top = min(self.top, glyph["top"])
        self.bottom = max(self.bottom, glyph["bottom"])
        if glyph["text"].strip():
            self.bullets_only = self.bullets_only and glyph["text"] in BULLETS

    @cached_property
    def inked(self) -> list[Glyph]:
        return [g for g in self.glyphs if g["text"].strip()]

    @cached_property
    def size(self) -> float:
        return dominant(g["size"] for g in self.inked) or 0.0

    @cached_property
    def bold(self) -> bool:
        inked = self.inked
        return sum(g["bold"] for g in inked) * 2 > len(inked)

    @cached_property
    def text(self) -> str:
        return join_chars(self.glyphs)

    @cached_property
    def page_bbox(self) -> BBox:
        return union_box(g["page_box"] for g in self.inked)


@dataclass
class LayoutBlock:
    """Lines that belong together (one text box, one paragraph, one cell's content)."""

    lines: list[Line]
    direction: Direction = RIGHT
    stacked: bool = False  # upright glyphs one per line: read as one vertical line
    bbox: BBox = field(init=False)

    def __post_init__(self) -> None:
        self.bbox = union_box(line.page_bbox for line in self.lines)

    @property
    def vertical(self) -> bool:
        return self.stacked or abs(self.direction[0]) < 1e-6

    @property
    def rotated(self) -> bool:
        return self.direction != RIGHT

    @property
    def line_texts(self) -> list[str]:
        if self.stacked:
            return ["".join(line.text for line in self.lines)]
        return [text for text in (line.text for line in self.lines) if text]

    @property
    def size(self) -> float:
        return dominant(g["size"] for line in self.lines for g in line.inked) or 0.0

    @property
    def bold(self) -> bool:
        glyphs = [g for line in self.lines for g in line.inked]
        return sum(g["bold"] for g in glyphs) * 2 > len(glyphs)


def dominant(values: Iterable[float]) -> float | None:
    counts = Counter(round(v, 1) for v in values)
    return counts.most_common(1)[0][0] if counts else None


def union_box(boxes: Iterable[tuple[float, float, float, float]] | Iterable[BBox]) -> BBox:
    x0 = top = float("inf")
    x1 = bottom = float("-inf")
    for box in boxes:
        bx0, btop, bx1, bbottom = (
            (box.x0, box.top, box.x1, box.bottom) if isinstance(box, BBox) else box
        )
        x0, top, x1, bottom = min(x0, bx0), min(top, btop), max(x1, bx1), max(bottom, bbottom)
    return BBox(x0, top, x1, bottom) if x0 != float("inf") else BBox(0, 0, 0, 0)


def layout(chars: Sequence[Mapping[str, Any]]) -> list[LayoutBlock]:
    """Blocks of the given pdfplumber chars (content stream order), in reading order."""
    by_direction: dict[Direction, list[Glyph]] = {}
    for char, direction in zip(chars, directions(chars), strict=True):
        by_direction.setdefault(direction, []).append(_glyph(char, direction))
    blocks: list[LayoutBlock] = []
    for direction, glyphs in by_direction.items():
        grouped = _group_into_lines(glyphs)
        if direction == RIGHT:
            grouped = _join_spread_glyphs(grouped)
        for lines in _group_into_blocks(grouped):
            blocks.append(
                LayoutBlock(lines, direction, stacked=direction == RIGHT and _is_stacked(lines))
            )
    return reading_order(blocks, lambda block: block.bbox)


def _glyph(char: Mapping[str, Any], direction: Direction) -> Glyph:
    page_box = (float(char["x0"]), float(char["top"]), float(char["x1"]), float(char["bottom"]))
    if direction == RIGHT:
        x0, top, x1, bottom = page_box
    elif is_axis(direction):
        x0, top, x1, bottom = to_reading_frame(page_box, direction)
    else:
        # A slanted glyph's page box is much larger than the glyph: use its centre and advance.
        cx, cy, _, _ = to_reading_frame(
            ((page_box[0] + page_box[2]) / 2, (page_box[1] + page_box[3]) / 2) * 2, direction
        )
        half_width = float(char.get("adv") or char.get("size") or 1.0) / 2
        half_height = float(char.get("size") or 1.0) / 2
        x0, top, x1, bottom = cx - half_width, cy - half_height, cx + half_width, cy + half_height
    return {
        "text": char["text"],
        "x0": x0,
        "top": top,
        "x1": x1,
        "bottom": bottom,
        "size": float(char.get("size") or (bottom - top) or 1.0),
        "bold": is_bold_font(str(char.get("fontname", ""))),
        "page_box": page_box,
    }


def _group_into_lines(glyphs: list[Glyph]) -> list[Line]:
    glyphs = sorted(glyphs, key=lambda g: (g["x0"], g["top"]))
    out_of_reach = BULLET_GAP * max((g["size"] for g in glyphs), default=1.0)
    active: list[Line] = []
    finished: list[Line] = []
    for glyph in glyphs:
        g_size, g_x0, g_top, g_bottom = glyph["size"], glyph["x0"], glyph["top"], glyph["bottom"]
        g_bullet = glyph["text"] in BULLETS
        best: Line | None = None
        best_offset = float("inf")
        still_active: list[Line] = []
        for line in active:
            gap = g_x0 - line.x1
            if gap > out_of_reach:
                finished.append(line)
                continue
            still_active.append(line)
            last = line.glyphs[-1]
            last_size, last_top, last_bottom = last["size"], last["top"], last["bottom"]
            size = g_size if g_size > last_size else last_size
            if gap > (BULLET_GAP if line.bullets_only else FRAGMENT_GAP) * size or gap < -0.5 * size:
                continue
            if g_bullet and not line.bullets_only and gap > BULLET_AFTER_GAP * size:
                continue  # a bullet after a gap opens an item: the next box's line, side by side
            overlap = min(g_bottom, last_bottom) - max(g_top, last_top)
            if overlap < 0.5 * min(g_bottom - g_top, last_bottom - last_top):
                continue
            offset = abs((g_top + g_bottom) - (last_top + last_bottom))
            if offset < best_offset:
                best, best_offset = line, offset
        active = still_active
        if best is None:
            active.append(Line(glyph))
        else:
            best.add(glyph)
    return [line for line in finished + active if line.inked]


def _join_spread_glyphs(lines: list[Line]) -> list[Line]:
    """Join runs of one-glyph CJK fragments that sit on one baseline at an even pitch (a title
    spread across its box, `執　行　成　果`) into one line; everything else is left alone."""
    singles = [line for line in lines if len(line.inked) == 1 and CJK_GLYPH.match(line.inked[0]["text"])]
    if len(singles) < SPREAD_MIN:
        return lines
    singles.sort(key=lambda line: line.x0)
    used: set[int] = set()
    joined: list[Line] = []
    for start in singles:
        if id(start) in used:
            continue
        run = _spread_run(start, singles, used)
        if len(run) < SPREAD_MIN or any(_has_stack_neighbour(part, singles) for part in run):
            continue
        line = Line(run[0].glyphs[0])
        for glyph in [g for part in run for g in part.glyphs][1:]:
            line.add(glyph)
        used.update(id(part) for part in run)
        joined.append(line)
    if not joined:
        return lines
    return [line for line in lines if id(line) not in used] + joined


def _spread_run(start: Line, singles: list[Line], used: set[int]) -> list[Line]:
    """The fragments after `start` (sorted by x0) on its baseline, in its size, at one pitch."""
    run, pitch = [start], None
    for candidate in singles:
        last = run[-1]
        if id(candidate) in used or candidate is last or candidate.x0 <= last.x1:
            continue
        gap = _spread_gap(last, candidate)
        if gap is None:
            continue
        if pitch is None or abs(gap - pitch) <= SPREAD_PITCH_TOLERANCE * max(pitch, 0.1 * last.size):
            pitch = gap if pitch is None else pitch
            run.append(candidate)
    return run


def _spread_gap(last: Line, candidate: Line) -> float | None:
    """The gap from `last` to `candidate` when it may continue a spread title: same size, same
    baseline, no wider than SPREAD_MAX_GAP sizes; else None."""
    size = last.size
    if abs(candidate.size - size) > 0.05 * size or abs(candidate.top - last.top) > 0.2 * size:
        return None
    gap = candidate.x0 - last.x1
    return None if gap > SPREAD_MAX_GAP * size else gap


def _has_stack_neighbour(line: Line, singles: list[Line]) -> bool:
    """A one-glyph fragment right above or below: the glyph is part of a column stacked one glyph
    per line (a narrow header), not of a spread title."""
    size = line.size
    for other in singles:
        if other is line or min(line.x1, other.x1) - max(line.x0, other.x0) <= 0:
            continue
        if abs(other.top - line.top) < 1.6 * size:
            return True
    return False


def _group_into_blocks(lines: list[Line]) -> list[list[Line]]:
    blocks: list[list[Line]] = []
    extents: list[tuple[float, float]] = []
    for line in sorted(lines, key=lambda item: (item.top, item.x0)):
        size = line.size
        best: int | None = None
        best_overlap = 0.0
        for index, block in enumerate(blocks):
            last = block[-1]
            last_size = last.size
            ratio = max(size, last_size) / max(min(size, last_size), 0.1)
            if ratio > SIZE_RATIO or (ratio > 1.1 and line.bold != last.bold):
                continue
            gap = line.top - last.bottom
            height = min(line.bottom - line.top, last.bottom - last.top)
            if gap > LINE_GAP * max(size, last_size) or gap < -0.5 * height:
                continue
            x0, x1 = extents[index]
            overlap = min(line.x1, x1) - max(line.x0, x0)
            if overlap > best_overlap:
                best, best_overlap = index, overlap
        if best is None:
            blocks.append([line])
            extents.append((line.x0, line.x1))
        else:
            blocks[best].append(line)
            x0, x1 = extents[best]
            extents[best] = (min(x0, line.x0), max(x1, line.x1))
    return blocks


def _is_stacked(lines: list[Line]) -> bool:
    if len(lines) < 2:
        return False
    for line in lines:
        inked = line.inked
        if len(inked) != 1 or not CJK_GLYPH.match(inked[0]["text"]):
            return False
    return True


def reading_order(items: list[T], bbox_of: Callable[[T], BBox]) -> list[T]:
    """Recursive XY cut: split at the widest empty band, either a horizontal band (read top
    strip first) or a vertical one (read left part first), and recurse into both parts.

    Horizontal bands count `HORIZONTAL_CUT_WEIGHT` times their height (slides leave less
    vertical room than horizontal), and a band that starts a new row of a grid (the first boxes
    below it on both sides of the vertical band start at the same height) always wins: a grid of
    boxes reads row by row."""
    if len(items) <= 1:
        return list(items)
    row_cut = _widest_gap(items, lambda item: (bbox_of(item).top, bbox_of(item).bottom))
    col_cut = _widest_gap(items, lambda item: (bbox_of(item).x0, bbox_of(item).x1))
    cut = row_cut or col_cut
    if row_cut and col_cut and row_cut[0] * HORIZONTAL_CUT_WEIGHT < col_cut[0]:
        cut = row_cut if _starts_grid_row(row_cut[2], col_cut[1], bbox_of) else col_cut
    if cut is None:
        return sorted(items, key=lambda item: (bbox_of(item).top, bbox_of(item).x0))
    _, first, second = cut
    return reading_order(first, bbox_of) + reading_order(second, bbox_of)


def _starts_grid_row(below: list[T], left_part: list[T], bbox_of: Callable[[T], BBox]) -> bool:
    left_ids = {id(item) for item in left_part}
    left_tops = [bbox_of(item).top for item in below if id(item) in left_ids]
    right_tops = [bbox_of(item).top for item in below if id(item) not in left_ids]
    if not left_tops or not right_tops:
        return False
    return abs(min(left_tops) - min(right_tops)) <= GRID_ROW_TOLERANCE


def _widest_gap(
    items: list[T], span_of: Callable[[T], tuple[float, float]], slack: float = 1.0
) -> tuple[float, list[T], list[T]] | None:
    """The widest empty band between items along one axis: (width, items before, items after)."""
    ordered = sorted(items, key=lambda item: span_of(item)[0])
    best: tuple[float, int] | None = None
    reach = span_of(ordered[0])[1]
    for index in range(1, len(ordered)):
        start, end = span_of(ordered[index])
        gap = start - reach
        if gap > -slack and (best is None or gap > best[0]):
            best = (gap, index)
        reach = max(reach, end)
    if best is None:
        return None
    gap, index = best
    return max(gap, 0.0), ordered[:index], ordered[index:]


__all__ = ["Line", "LayoutBlock", "is_bold_font", "layout", "reading_order", "union_box"]
