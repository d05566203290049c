"""Ruled tables cut from a picture: cell rectangles from the boundaries between two tones.

A rule against the paper, or a cell's fill against the white gap between cells, is a boundary;
boundaries at least RULE_MIN_SHARE of the picture long are cell edges, cut into cells as pdfplumber
cuts drawn lines (`pdfplumber.table`).
"""

from __future__ import annotations

from typing import Any

MARGIN = 2  # pixels of white around a picture before its cell boundaries are looked for
TONE_STEP = 6  # grey levels between neighbouring pixels that make a boundary
RULE_MIN_SHARE = 0.04  # a cell boundary runs at least this share of the picture's width or height
RULE_MIN_PIXELS = 80  # (longer than any glyph stroke at DPI)


def ruled_tables(image: Any, scale: float) -> list[list[tuple[float, float, float, float]]]:
    """Cell rectangles (points) of the tables in a page picture: boundaries between two tones (a
    rule against the paper, a cell's fill against the white gap between cells) at least
    RULE_MIN_SHARE of the picture long are cell edges, cut into cells as pdfplumber cuts lines."""
    import numpy
    from pdfplumber.table import (
        cells_to_tables,
        edges_to_intersections,
        intersections_to_cells,
        merge_edges,
    )

    # a white margin: a cell filled to the picture's edge still has a boundary there
    grey = numpy.pad(numpy.asarray(image.convert("L"), dtype=numpy.int16), MARGIN, constant_values=255)
    edges: list[dict[str, Any]] = []
    for vertical in (False, True):
        grid = grey.T if vertical else grey
        # a boundary between two tones (a rule, a cell fill against the white gap between cells)
        step = numpy.abs(grid[1:, :] - grid[:-1, :]) > TONE_STEP
        padded = numpy.zeros((step.shape[0], step.shape[1] + 2), dtype=numpy.int8)
        padded[:, 1:-1] = step
        steps = numpy.diff(padded, axis=1)
        rows, starts = numpy.nonzero(steps == 1)
        _, ends = numpy.nonzero(steps == -1)
        long_enough = (ends - starts) >= max(RULE_MIN_PIXELS, RULE_MIN_SHARE * grid.shape[1])
        for row, start, end in zip(rows[long_enough], starts[long_enough], ends[long_enough], strict=True):
            at = (float(row) + 0.5 - MARGIN) * scale
            low, high = float(start - MARGIN) * scale, float(end - MARGIN) * scale
            if vertical:
                edges.append({"x0": at, "x1": at, "top": low, "bottom": high, "orientation": "v",
                              "width": 0.0, "height": high - low})
            else:
                edges.append({"x0": low, "x1": high, "top": at, "bottom": at, "orientation": "h",
                              "width": high - low, "height": 0.0})
    if not edges:
        return []
    edges = merge_edges(edges, 3, 3, 3, 3)
    cells = intersections_to_cells(edges_to_intersections(edges, 3, 3))
    return [list(table) for table in cells_to_tables(cells)]


__all__ = ["MARGIN", "RULE_MIN_PIXELS", "RULE_MIN_SHARE", "TONE_STEP", "ruled_tables"]
