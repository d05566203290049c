"""Where a PDF page draws a chart, from its vector graphics alone.

A PowerPoint or LibreOffice chart exported to PDF keeps no data, only drawings and loose labels:
- a bar chart is three or more filled rectangles of one colour standing on one baseline (same
  bottom, or same left edge for horizontal bars), with gaps between them and lengths that differ
  (boxes of a slide layout have equal sizes; table cell fills touch each other);
- a pie chart is three or more filled curves of different colours that touch each other.
`chart_regions(page)` returns their boxes, grown by a margin where data labels sit. The reader
flags the text blocks inside a region that hold only numbers (`chart_label`): they are data labels
and axis ticks, not figures of the slide text.

A chart drawn as text (a PDF export whose bars the region test misses) shows by its axis:
`flag_chart_axes(blocks)` flags `chart_label` every box of numbers only on a page (one number, or
the labels of neighbouring bars run together: `95%94%`) when the numbers of those boxes include
an evenly spaced run of AXIS_MIN_TICKS (`0%`, `20%`, `40%`, `60%`…).
"""

from __future__ import annotations

import itertools
import unicodedata
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

import regex
from deckmine.extractors.model import AnyBlock, BBox, TextBlock

MIN_BARS = 3
MIN_WEDGES = 3
EDGE_TOLERANCE = 2.0  # points: bars on one baseline
MIN_BAR_GAP = 1.5  # points between bars (table cell fills touch)
LABEL_MARGIN = 36.0  # points around the drawing where data labels and ticks sit
PAGE_SHARE = 0.9  # a drawing this large is a page background
AXIS_MIN_TICKS = 4
CHART_LABEL = "chart_label"
_LONE_NUMBER = regex.compile(r"^(?:\s*-?\d[\d,]*(?:\.\d+)?\s*%?)+\s*$")
_NUMBER = regex.compile(r"-?\d[\d,]*(?:\.\d+)?")
# What the miner's normalisation does to a box of numbers: full width folded (NFKC), dashes to
# `-`, wide spaces to spaces, spaces inside a number or before `%` removed (`62. 5 %`).
_DASHES = {ord(c): "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"}
_SPACES = {ord(c): " " for c in "\u3000\u00a0"}
_SPACE_IN_NUMBER = regex.compile(r"(?<=\d)[ ]+(?=%)|(?<=\d[.,])[ ]+(?=\d)|(?<=\d)[ ]+(?=[.,]\d)")


def chart_regions(page: Any) -> list[BBox]:
    """Boxes of the bar and pie charts drawn on a pdfplumber page."""
    width, height = float(page.width), float(page.height)
    rects = [r for r in page.rects if r.get("fill") and r["width"] < PAGE_SHARE * width and r["height"] < PAGE_SHARE * height]
    curves = [c for c in page.curves if c.get("fill") and (c["x1"] - c["x0"]) < PAGE_SHARE * width
              and (c["bottom"] - c["top"]) < PAGE_SHARE * height]
    regions = [*_bar_regions(rects), *_pie_regions(curves)]
    return [_grow(region, width, height) for region in regions]


def _colour(shape: Mapping[str, Any]) -> str:
    return repr(shape.get("non_stroking_color"))


def _bar_regions(rects: Sequence[Mapping[str, Any]]) -> list[BBox]:
    by_colour: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for rect in rects:
        by_colour[_colour(rect)].append(rect)
    regions = []
    for group in by_colour.values():
        for baseline, length, across in (("bottom", "height", "x0"), ("x0", "width", "top")):
            bars = _on_one_baseline(group, baseline)
            if len(bars) < MIN_BARS or len({round(float(bar[length])) for bar in bars}) < 2:
                continue
            ordered = sorted(bars, key=lambda bar: float(bar[across]))
            far = "x1" if across == "x0" else "bottom"
            gaps = [float(b[across]) - float(a[far]) for a, b in zip(ordered, ordered[1:], strict=False)]
            if all(gap >= MIN_BAR_GAP for gap in gaps):
                regions.append(_union(bars))
                break
    return regions


def _on_one_baseline(group: Sequence[Mapping[str, Any]], edge: str) -> list[Mapping[str, Any]]:
    best: list[Mapping[str, Any]] = []
    for rect in group:
        same = [other for other in group if abs(float(other[edge]) - float(rect[edge])) <= EDGE_TOLERANCE]
        if len(same) > len(best):
            best = same
    return best


def _pie_regions(curves: Sequence[Mapping[str, Any]]) -> list[BBox]:
    clusters: list[list[Mapping[str, Any]]] = []
    for curve in curves:
        touching = [cluster for cluster in clusters if any(_touch(curve, other) for other in cluster)]
        merged = [curve]
        for cluster in touching:
            merged += cluster
            clusters.remove(cluster)
        clusters.append(merged)
    return [_union(cluster) for cluster in clusters
            if len(cluster) >= MIN_WEDGES and len({_colour(c) for c in cluster}) >= MIN_WEDGES]


def _touch(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    return (float(a["x0"]) <= float(b["x1"]) + EDGE_TOLERANCE and float(b["x0"]) <= float(a["x1"]) + EDGE_TOLERANCE
            and float(a["top"]) <= float(b["bottom"]) + EDGE_TOLERANCE
            and float(b["top"]) <= float(a["bottom"]) + EDGE_TOLERANCE)


def _union(shapes: Sequence[Mapping[str, Any]]) -> BBox:
    return BBox(min(float(s["x0"]) for s in shapes), min(float(s["top"]) for s in shapes),
                max(float(s["x1"]) for s in shapes), max(float(s["bottom"]) for s in shapes))


def _grow(box: BBox, width: float, height: float) -> BBox:
    return BBox(max(0.0, box.x0 - LABEL_MARGIN), max(0.0, box.top - LABEL_MARGIN),
                min(width, box.x1 + LABEL_MARGIN), min(height, box.bottom + LABEL_MARGIN))


def flag_chart_axes(blocks: Sequence[AnyBlock]) -> None:
    """Flag `chart_label` the boxes of numbers only of a page holding an evenly spaced axis."""
    lone: list[tuple[TextBlock, list[float]]] = []
    for block in blocks:
        text = _folded(block.text) if isinstance(block, TextBlock) else ""
        if text and _LONE_NUMBER.match(text):
            lone.append((block, [float(number.replace(",", "")) for number in _NUMBER.findall(text)]))
    values = sorted({value for _, numbers in lone for value in numbers})
    if len(values) < AXIS_MIN_TICKS or _longest_even_run(values) < AXIS_MIN_TICKS:
        return
    for block, _ in lone:
        if CHART_LABEL not in block.flags:
            block.flags.append(CHART_LABEL)


def _longest_even_run(values: list[float]) -> int:
    """How many of the sorted `values` in a row are evenly spaced, at most."""
    steps = [round(b - a, 6) for a, b in itertools.pairwise(values)]
    longest = run = 1
    for previous, step in itertools.pairwise(steps):
        run = run + 1 if step == previous else 1
        longest = max(longest, run)
    return longest + 1


def _folded(text: str) -> str:
    folded = "".join(unicodedata.normalize("NFKC", char.translate(_DASHES).translate(_SPACES))
                     for char in text).translate(_DASHES).translate(_SPACES)
    return _SPACE_IN_NUMBER.sub("", folded)


__all__ = ["chart_regions", "flag_chart_axes"]
