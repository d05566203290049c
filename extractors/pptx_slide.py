"""One PPTX slide to a `Page`: every shape with content becomes a block, in reading order.

Text shapes (also inside nested groups, `extractors.pptx_geometry`), tables
(`extractors.pptx_tables`), charts (cached data, `extractors.pptx_charts`), SmartArt (texts of the
diagram's data part, `extractors.smartart`), pictures with alt text, and the speaker notes. The title comes first, then
the blocks top to bottom and left to right, the notes last; a shape that cannot be read becomes a
warning on the page. Pictures that may hold text go to OCR (`extractors.pptx_pictures`).
"""

from __future__ import annotations

from typing import Any

from deckmine.extractors.model import AnyBlock, ChartBlock, Page, TextBlock, TextLine
from deckmine.extractors.ocr import PageOcr
from deckmine.extractors.pptx_charts import read_chart
from deckmine.extractors.pptx_geometry import (
    IDENTITY,
    Transform,
    reading_order,
    rotation_of,
    shape_placement,
    walk_shapes,
)
from deckmine.extractors.pptx_pictures import keep_pictures_with_text
from deckmine.extractors.pptx_tables import table_block
from deckmine.extractors.pptx_text import (
    all_or_none,
    alt_text,
    is_vertical,
    notes_block,
    text_lines,
    title_text,
)
from deckmine.extractors.pptx_xml import DAMAGE_ERRORS, TAG_PICTURE, XPATH, one_line
from deckmine.extractors.smartart import is_smartart, smartart_paragraphs
from deckmine.extractors.textjoin import normalize_spacing
from pptx.shapes.base import BaseShape
from pptx.shapes.graphfrm import GraphicFrame
from pptx.slide import Slide


def read_slide(
    slide: Slide, number: int, width: float, height: float, ocr_state: PageOcr | None = None
) -> Page:
    """The page of one slide; its pictures that may hold text are handed to `ocr_state`."""
    page = Page(number=number, width=width, height=height)
    title_shape = slide.shapes.title
    title_id = title_shape.shape_id if title_shape is not None else None
    blocks: list[AnyBlock] = []
    title_block: TextBlock | None = None
    pictures: list[tuple[BaseShape, Transform, bool]] = []
    for shape, transform, in_group in walk_shapes(slide.shapes, IDENTITY, in_group=False):
        if shape._element.tag == TAG_PICTURE:
            pictures.append((shape, transform, in_group))
        try:
            new_blocks = _shape_blocks(shape, transform, number, slide)
        except DAMAGE_ERRORS as exc:
            page.warnings.append(f"shape {shape.shape_id} '{shape.name}': {one_line(exc)}")
            continue
        for block in new_blocks:
            if in_group:
                block.flags.append("in_group")
            is_title = (
                not in_group
                and title_block is None
                and shape.shape_id == title_id
                and isinstance(block, TextBlock)
            )
            if is_title:
                block.is_title = True
                title_block = block
            else:
                blocks.append(block)
    ordered = reading_order(blocks)
    if title_block is not None:
        page.title = title_text(title_block)
        ordered.insert(0, title_block)
    try:
        notes = notes_block(slide, number)
    except DAMAGE_ERRORS as exc:
        page.warnings.append(f"speaker notes: {one_line(exc)}")
        notes = None
    if notes is not None:
        ordered.append(notes)
    page.blocks = ordered
    if ocr_state is not None and ocr_state.mode != "never" and pictures:
        keep_pictures_with_text(page, pictures, ocr_state)
    return page


def _shape_blocks(
    shape: BaseShape, transform: Transform, number: int, slide: Slide
) -> list[AnyBlock]:
    """The blocks of one leaf shape: its table, chart, SmartArt texts, alt text or text body."""
    element = shape._element
    if isinstance(shape, GraphicFrame):
        return _frame_blocks(shape, transform, number, slide)
    if element.tag == TAG_PICTURE:
        description = alt_text(element)
        if not description:
            return []
        line = TextLine(text=normalize_spacing(description))
        return [TextBlock(lines=[line], flags=["alt_text"], **shape_placement(shape, transform, number))]
    return _body_blocks(shape, transform, number)


def _frame_blocks(
    shape: GraphicFrame, transform: Transform, number: int, slide: Slide
) -> list[AnyBlock]:
    """A graphic frame's table, chart or SmartArt texts (nothing for other frames)."""
    element = shape._element
    if shape.has_table:
        return [table_block(shape, shape_placement(shape, transform, number))]
    if shape.has_chart:
        return [_chart_block(shape, shape_placement(shape, transform, number))]
    if is_smartart(element):
        texts = smartart_paragraphs(element, slide.part)
        lines = [TextLine(text=normalize_spacing(text)) for text in texts]
        if not lines:
            return []
        placement = shape_placement(shape, transform, number)
        return [TextBlock(lines=lines, flags=["smartart"], **placement)]
    return []


def _body_blocks(shape: BaseShape, transform: Transform, number: int) -> list[AnyBlock]:
    """The text block of a shape's text body (flagged `vertical`, `rotated`), if it has text."""
    element = shape._element
    bodies = XPATH["shape_body"](element)
    if not bodies:
        return []
    body = bodies[0]
    lines = text_lines(body)
    if not lines:
        return []
    flags = []
    if is_vertical(body):
        flags.append("vertical")
    if rotation_of(element) % 360:
        flags.append("rotated")
    sizes = [line.font_size for line in lines if line.font_size is not None]
    bolds = [line.bold for line in lines]
    return [
        TextBlock(
            lines=lines,
            font_size=max(sizes) if sizes else None,
            bold=all_or_none(bolds),
            flags=flags,
            **shape_placement(shape, transform, number),
        )
    ]

def _chart_block(shape: GraphicFrame, placement: dict[str, Any]) -> ChartBlock:
    data = read_chart(shape.chart)
    for series in data.series:
        series.name = normalize_spacing(series.name)
    flags = ["multi_plot"] if data.plot_count > 1 else []
    return ChartBlock(
        title=normalize_spacing(data.title) if data.title else None,
        chart_type=data.chart_type,
        categories=[normalize_spacing(category) for category in data.categories],
        series=data.series,
        flags=flags,
        **placement,
    )


__all__ = ["read_slide"]
