"""PPTX tables to `TableBlock`s: merged cells explicit, cell boxes from the column and row sizes.

The grid is scaled so it fills the graphic frame's box on the slide (which also applies any group
scaling); a cell's text is its paragraphs (`extractors.pptx_text`) joined by newlines.
"""

from __future__ import annotations

from typing import Any

from deckmine.extractors.model import BBox, TableBlock, TableCell
from deckmine.extractors.pptx_text import VERTICAL_TEXT_VALUES, text_lines
from deckmine.extractors.pptx_xml import XPATH
from pptx.shapes.graphfrm import GraphicFrame


def table_block(shape: GraphicFrame, placement: dict[str, Any]) -> TableBlock:
    """The table of a graphic frame; `placement` gives its page, box and shape."""
    table = shape.table
    bbox: BBox | None = placement["bbox"]
    column_edges = _edges([column.width for column in table.columns], bbox, horizontal=True)
    row_edges = _edges([row.height for row in table.rows], bbox, horizontal=False)
    n_rows, n_cols = len(table.rows), len(table.columns)
    cells: list[TableCell] = []
    for row_index in range(n_rows):
        for col_index in range(n_cols):
            cell = table.cell(row_index, col_index)
            if cell.is_spanned:
                continue
            row_span = cell.span_height if cell.is_merge_origin else 1
            col_span = cell.span_width if cell.is_merge_origin else 1
            tc = cell._tc
            bodies = XPATH["cell_body"](tc)
            text = "\n".join(line.text for line in text_lines(bodies[0])) if bodies else ""
            flags = []
            props = XPATH["cell_props"](tc)
            if props and props[0].get("vert") in VERTICAL_TEXT_VALUES:
                flags.append("vertical")
            cell_bbox = None
            if column_edges and row_edges:
                last_row = min(row_index + row_span, n_rows)
                last_col = min(col_index + col_span, n_cols)
                cell_bbox = BBox(
                    column_edges[col_index],
                    row_edges[row_index],
                    column_edges[last_col],
                    row_edges[last_row],
                )
            cells.append(
                TableCell(
                    row=row_index,
                    col=col_index,
                    text=text,
                    row_span=row_span,
                    col_span=col_span,
                    bbox=cell_bbox,
                    flags=flags,
                )
            )
    return TableBlock(n_rows=n_rows, n_cols=n_cols, cells=cells, **placement)


def _edges(sizes_emu: list[int], bbox: BBox | None, horizontal: bool) -> list[float]:
    """Cumulative column or row edges in points, scaled so the grid fills the frame's box (which
    also applies any group scaling)."""
    total = sum(sizes_emu)
    if bbox is None or total <= 0:
        return []
    start, span = (bbox.x0, bbox.width) if horizontal else (bbox.top, bbox.height)
    scale = span / total
    edges = [start]
    for size in sizes_emu:
        edges.append(edges[-1] + size * scale)
    return edges


__all__ = ["table_block"]
