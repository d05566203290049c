"""Ruled tables of a PDF page as `TableBlock`s, merged cells explicit.

pdfplumber finds the cell rectangles from drawn edges. LibreOffice exports a PowerPoint table as
filled rectangles (cell backgrounds) plus border lines, so the `lines` strategy (lines and rectangle
edges) finds tables with or without borders. It also finds "tables" that are not: a filled text
box (one cell), stacked boxes, a chart's gridlines and bars. A table is kept only if at least two
rows and two columns hold text; a box drawn against a table's top or bottom edge (a `（113年）`
heading box) is cut off first (a grid row that cells cover less than half the width of is not the
table's); and a grid whose few text cells are all lone numbers (data labels between gridlines and
bars) is a chart, not a table, so its text stays loose text.

Merged cells: pdfplumber gives each merged cell as one rectangle. The grid is the set of distinct
x and y edges of all cell rectangles; a cell's spans are how many grid steps its rectangle covers.
Cell text is laid out by `extractors.pdf_layout` (so rotated header cells read right) and its lines
are joined without a space where both sides are CJK (a wrapped header), with one space otherwise.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from typing import Any

import regex
from deckmine.extractors.model import BBox, TableBlock, TableCell
from deckmine.extractors.pdf_layout import layout
from deckmine.extractors.textjoin import CJK_CLASS

TABLE_SETTINGS: dict[str, Any] = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    "snap_tolerance": 3,
    "join_tolerance": 3,
    "intersection_tolerance": 3,
    "edge_min_length": 3,
}
GRID_TOLERANCE = 2.0  # points: cell edges closer than this are the same grid line
ATTACHED_ROW_MAX_COVER = 0.5  # an edge row whose cells cover less of the width is a box against the table
CHART_MAX_FILLED = 0.3  # a grid with fewer text cells than this share, all lone numbers, is a chart
MIN_DRAWINGS = 4  # a 2x2 table needs at least four rectangles or lines
CJK_END = regex.compile(f"[{CJK_CLASS}]$")
CJK_START = regex.compile(f"^[{CJK_CLASS}]")

Box = tuple[float, float, float, float]


def may_hold_table(page: Any) -> bool:
    """Cheap test before table finding: enough drawn rectangles and lines (not page backgrounds)."""
    width, height = float(page.width), float(page.height)
    drawings = 0
    for rect in page.rects:
        if rect["width"] < 0.9 * width or rect["height"] < 0.9 * height:
            drawings += 1
    drawings += len(page.lines) + len(page.curves)
    return drawings >= MIN_DRAWINGS


def find_tables(
    page: Any, chars: Sequence[Mapping[str, Any]], page_number: int
) -> list[TableBlock]:
    """Tables of `page` whose cells hold text from `chars` (the page's cleaned chars)."""
    if not may_hold_table(page):
        return []
    blocks = []
    for table in page.find_tables(TABLE_SETTINGS):
        block = table_block(table.cells, chars, page_number)
        if block is not None:
            blocks.append(block)
    return blocks


def table_block(
    cell_boxes: Sequence[Box], chars: Sequence[Mapping[str, Any]], page_number: int
) -> TableBlock | None:
    """A TableBlock from cell rectangles, or None if fewer than 2 rows and 2 columns hold text."""
    cell_boxes = _without_attached_boxes(list(cell_boxes))
    if not cell_boxes:
        return None
    xs = _grid_lines([v for box in cell_boxes for v in (box[0], box[2])])
    ys = _grid_lines([v for box in cell_boxes for v in (box[1], box[3])])
    table_box = BBox(xs[0], ys[0], xs[-1], ys[-1])
    inside = [
        (x, y, char) for x, y, char in map(_center, chars)
        if table_box.x0 <= x <= table_box.x1 and table_box.top <= y <= table_box.bottom
    ]
    cells = [cell for box in cell_boxes if (cell := _grid_cell(box, xs, ys, inside)) is not None]
    rows_with_text = {cell.row for cell in cells if cell.text}
    cols_with_text = {cell.col for cell in cells if cell.text}
    if len(rows_with_text) < 2 or len(cols_with_text) < 2 or _is_chart(cells, len(xs) - 1, len(ys) - 1):
        return None
    cells.sort(key=lambda cell: (cell.row, cell.col))
    return TableBlock(
        page=page_number,
        bbox=table_box,
        n_rows=len(ys) - 1,
        n_cols=len(xs) - 1,
        cells=cells,
    )


def _grid_cell(
    box: Box, xs: list[float], ys: list[float], inside: list[tuple[float, float, Mapping[str, Any]]]
) -> TableCell | None:
    """The cell of one rectangle on the table's grid, with the text of the chars centred in it;
    None for a rectangle that spans no grid row or column."""
    col, col_end = _grid_index(xs, box[0]), _grid_index(xs, box[2])
    row, row_end = _grid_index(ys, box[1]), _grid_index(ys, box[3])
    if col_end <= col or row_end <= row:
        return None
    bbox = BBox(*box)
    x0, top, x1, bottom = bbox.x0, bbox.top, bbox.x1, bbox.bottom
    text, flags = cell_text([char for x, y, char in inside if x0 <= x <= x1 and top <= y <= bottom])
    return TableCell(
        row=row,
        col=col,
        text=text,
        row_span=row_end - row,
        col_span=col_end - col,
        bbox=bbox,
        flags=flags,
    )


def _without_attached_boxes(cell_boxes: list[Box]) -> list[Box]:
    """Drop the top or bottom grid rows that cells cover less than half the table's width of:
    a text box drawn against the table, not a row of it."""
    while cell_boxes:
        ys = _grid_lines([v for box in cell_boxes for v in (box[1], box[3])])
        xs = _grid_lines([v for box in cell_boxes for v in (box[0], box[2])])
        if len(ys) < 3:
            return cell_boxes
        width = xs[-1] - xs[0]
        kept = cell_boxes
        for low, high in ((ys[0], ys[1]), (ys[-2], ys[-1])):
            row = [box for box in cell_boxes if box[1] < high - GRID_TOLERANCE and box[3] > low + GRID_TOLERANCE]
            cover = sum(box[2] - box[0] for box in row)
            if width > 0 and cover < ATTACHED_ROW_MAX_COVER * width and all(box[3] <= high + GRID_TOLERANCE for box in row):
                kept = [box for box in kept if box not in row]
        if len(kept) == len(cell_boxes):
            return cell_boxes
        cell_boxes = kept
    return cell_boxes


_LONE_NUMBER = regex.compile(r"^[\d,.%\s]+$")


def _is_chart(cells: Sequence[TableCell], n_cols: int, n_rows: int) -> bool:
    """Gridlines and bars: few cells hold text and every text is a lone number (a data label)."""
    texts = [cell.text for cell in cells if cell.text.strip()]
    return len(texts) < CHART_MAX_FILLED * n_cols * n_rows and all(_LONE_NUMBER.match(text) for text in texts)


def cell_text(chars: Sequence[Mapping[str, Any]]) -> tuple[str, list[str]]:
    """Text of one cell's chars and its flags (`vertical`, `rotated`)."""
    flags: list[str] = []
    text = ""
    for block in layout(chars):
        if block.vertical and "vertical" not in flags:
            flags.append("vertical")
        if block.rotated and "rotated" not in flags:
            flags.append("rotated")
        for line in block.line_texts:
            text = join_wrapped(text, line)
    return text, flags


def join_wrapped(text: str, line: str) -> str:
    """Append a wrapped line: no space where either side of the break is CJK (as
    `textjoin.normalize_spacing` does within a line), one space otherwise."""
    if not text:
        return line
    if not line:
        return text
    if CJK_END.search(text) or CJK_START.search(line):
        return text + line
    return f"{text} {line}"


def _grid_lines(values: list[float]) -> list[float]:
    grid: list[float] = []
    for value in sorted(values):
        if not grid or value - grid[-1] > GRID_TOLERANCE:
            grid.append(value)
    return grid


def _grid_index(grid: list[float], value: float) -> int:
    index = bisect.bisect_left(grid, value - GRID_TOLERANCE)
    return min(index, len(grid) - 1)


def _center(char: Mapping[str, Any]) -> tuple[float, float, Mapping[str, Any]]:
    """A char's center (x, y) and the char."""
    x = (float(char["x0"]) + float(char["x1"])) / 2
    y = (float(char["top"]) + float(char["bottom"])) / 2
    return x, y, char


__all__ = ["TABLE_SETTINGS", "cell_text", "find_tables", "join_wrapped", "may_hold_table"]
