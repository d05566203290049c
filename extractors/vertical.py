"""Reading direction of PDF glyphs, so rotated and vertical text reads in the right order.

Slides put text sideways: a text box rotated 90°, or a table cell with `vert270` (LibreOffice
writes the glyphs of such a cell one by one, each with a turned text matrix, stacked bottom to
top). Sorting those glyphs by position reverses them (`標指效績` for `績效指標`).

The direction is decided from the glyphs themselves, never from a dictionary:
- an upright glyph (identity-like matrix) reads left to right;
- a turned glyph reads in the direction its run advances: consecutive glyphs of one run (content
  stream order, same size, touching) step from one to the next, and that step, snapped to an axis,
  is the direction. A glyph alone in its run takes the matrix's own x axis (`(a, -b)` in page
  coordinates) unless other runs on the page with the same matrix show a direction.

`Direction` is a unit step in page coordinates (y grows downwards): `RIGHT` is ordinary text,
`DOWN` a column read top to bottom, `UP` bottom to top, `LEFT` upside down; anything else is
slanted text (a chart's 45° axis labels), rounded to 15° steps.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

Direction = tuple[float, float]
RIGHT: Direction = (1.0, 0.0)
DOWN: Direction = (0.0, 1.0)
UP: Direction = (0.0, -1.0)
LEFT: Direction = (-1.0, 0.0)

# Glyphs further apart than this many font sizes do not belong to the same run.
RUN_REACH = 1.6
MATRIX_EPSILON = 1e-3
AXIS_SLACK_DEGREES = 10.0
DIAGONAL_STEP_DEGREES = 15.0


def is_upright(char: Mapping[str, Any]) -> bool:
    """True for a glyph drawn the ordinary way: no rotation, no mirroring."""
    a, b, c, d = (float(v) for v in char["matrix"][:4])
    return a > 0 and d > 0 and abs(b) < MATRIX_EPSILON and abs(c) < MATRIX_EPSILON


def snap(dx: float, dy: float) -> Direction:
    """The direction of the vector (dx, dy): an axis if within `AXIS_SLACK_DEGREES` of one,
    otherwise the nearest multiple of `DIAGONAL_STEP_DEGREES` (chart labels at 45°)."""
    angle = math.degrees(math.atan2(dy, dx))
    nearest_axis = round(angle / 90) * 90
    if abs(angle - nearest_axis) <= AXIS_SLACK_DEGREES:
        return {0: RIGHT, 90: DOWN, -90: UP, 180: LEFT, -180: LEFT}[nearest_axis]
    step = math.radians(round(angle / DIAGONAL_STEP_DEGREES) * DIAGONAL_STEP_DEGREES)
    return (round(math.cos(step), 4), round(math.sin(step), 4))


def is_axis(direction: Direction) -> bool:
    return direction in (RIGHT, DOWN, UP, LEFT)


def matrix_direction(char: Mapping[str, Any]) -> Direction:
    a, b = (float(v) for v in char["matrix"][:2])
    return snap(a, -b)


def _matrix_key(char: Mapping[str, Any]) -> tuple[int, int, int, int]:
    return tuple(int(round(float(v))) for v in char["matrix"][:4])  # type: ignore[return-value]


def _center(char: Mapping[str, Any]) -> tuple[float, float]:
    return (float(char["x0"]) + float(char["x1"])) / 2, (
        float(char["top"]) + float(char["bottom"])
    ) / 2


def _continues_run(previous: Mapping[str, Any], char: Mapping[str, Any]) -> bool:
    (px, py), (cx, cy) = _center(previous), _center(char)
    reach = RUN_REACH * max(float(previous["size"]), float(char["size"]), 1.0)
    return abs(cx - px) <= reach and abs(cy - py) <= reach and (cx, cy) != (px, py)


def directions(chars: Sequence[Mapping[str, Any]]) -> list[Direction]:
    """Reading direction of every char, in the order given (content stream order)."""
    result: list[Direction | None] = [RIGHT if is_upright(char) else None for char in chars]
    turned = [i for i, direction in enumerate(result) if direction is None]
    runs: list[list[int]] = []
    for i in turned:
        if runs and runs[-1][-1] == i - 1 and _continues_run(chars[i - 1], chars[i]):
            runs[-1].append(i)
        else:
            runs.append([i])
    seen_by_matrix: dict[tuple[int, int, int, int], Counter[Direction]] = {}
    for run in runs:
        if len(run) < 2:
            continue
        (x0, y0), (x1, y1) = _center(chars[run[0]]), _center(chars[run[-1]])
        direction = snap(x1 - x0, y1 - y0)
        for i in run:
            result[i] = direction
        seen_by_matrix.setdefault(_matrix_key(chars[run[0]]), Counter())[direction] += len(run)
    for run in runs:
        if len(run) == 1:
            i = run[0]
            seen = seen_by_matrix.get(_matrix_key(chars[i]))
            result[i] = seen.most_common(1)[0][0] if seen else matrix_direction(chars[i])
    return [direction or RIGHT for direction in result]


def to_reading_frame(
    box: tuple[float, float, float, float], direction: Direction
) -> tuple[float, float, float, float]:
    """A page box (x0, top, x1, bottom) in the frame where `direction` points right and the next
    line lies below: returns (x0, top, x1, bottom) in that frame."""
    dx, dy = direction
    nx, ny = -dy, dx
    x0, top, x1, bottom = box
    us = [x * dx + y * dy for x in (x0, x1) for y in (top, bottom)]
    vs = [x * nx + y * ny for x in (x0, x1) for y in (top, bottom)]
    return min(us), min(vs), max(us), max(vs)


__all__ = [
    "DOWN",
    "Direction",
    "LEFT",
    "RIGHT",
    "UP",
    "directions",
    "is_axis",
    "is_upright",
    "matrix_direction",
    "snap",
    "to_reading_frame",
]
