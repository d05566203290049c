"""Write a `DeckSpec` as a 16:9 PPTX: titles, text boxes, groups, tables and speaker notes (charts:
`corpus_charts`). Deterministic: fixed timestamps, so a rebuild gives the same slide XML.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from corpus_charts import add_chart
from corpus_parse import parse_runs
from corpus_spec import (
    DeckSpec,
    GroupSpec,
    Paragraph,
    ShapeSpec,
    SlideSpec,
    TableSpec,
    TextBoxSpec,
)
from corpus_style import rgb, style_run
from lxml import etree
from pptx import Presentation
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Cm, Emu, Pt

SLIDE_WIDTH_EMU = 12192000  # 33.867 cm: PowerPoint's 16:9
SLIDE_HEIGHT_EMU = 6858000  # 19.05 cm
TITLE_ONLY_LAYOUT = 5
FIXED_TIMESTAMP = dt.datetime(2024, 1, 1, 0, 0, 0)


def _set_bullet(paragraph) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    ppr.set("marL", str(Pt(14)))
    ppr.set("indent", str(-Pt(14)))
    bu_font = etree.SubElement(ppr, qn("a:buFont"))
    bu_font.set("typeface", "Arial")
    bu_char = etree.SubElement(ppr, qn("a:buChar"))
    bu_char.set("char", "•")


ALIGNMENTS = {"left": PP_ALIGN.LEFT, "center": PP_ALIGN.CENTER, "right": PP_ALIGN.RIGHT}
ANCHORS = {"top": MSO_ANCHOR.TOP, "middle": MSO_ANCHOR.MIDDLE, "bottom": MSO_ANCHOR.BOTTOM}


def _fill_text_frame(
    frame, paragraphs: list[Paragraph], size: float, bold: bool, color: str | None, align: str
) -> None:
    frame.word_wrap = True
    for index, spec in enumerate(paragraphs):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.alignment = ALIGNMENTS[align]
        if spec.bullet:
            _set_bullet(paragraph)
        for run_spec in spec.runs:
            run = paragraph.add_run()
            run.text = run_spec.text
            style_run(run, size, bold or run_spec.bold, color)


def _add_text_box(shapes, spec: TextBoxSpec) -> None:
    x, y, w, h = spec.geometry
    box = shapes.add_textbox(Cm(x), Cm(y), Cm(w), Cm(h))
    if spec.name:
        box.name = spec.name
    frame = box.text_frame
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = ANCHORS[spec.valign]
    _fill_text_frame(frame, spec.paragraphs, spec.size, spec.bold, spec.color, spec.align)
    if spec.fill:
        box.fill.solid()
        box.fill.fore_color.rgb = rgb(spec.fill)
    if spec.border:
        box.line.color.rgb = rgb(spec.border)
        box.line.width = Pt(1.25)


def _set_cell_text(cell, text: str, size: float, bold: bool) -> None:
    frame = cell.text_frame
    lines = text.split("\n")
    for index, line_text in enumerate(lines):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        for run_spec in parse_runs(line_text):
            run = paragraph.add_run()
            run.text = run_spec.text
            style_run(run, size, bold or run_spec.bold, None)
    cell.margin_left = cell.margin_right = Cm(0.12)
    cell.margin_top = cell.margin_bottom = Cm(0.06)
    cell.vertical_anchor = MSO_ANCHOR.MIDDLE


def _add_table(shapes, spec: TableSpec) -> None:
    x, y, w, h = spec.geometry
    n_rows, n_cols = len(spec.rows), spec.n_cols
    frame = shapes.add_table(n_rows, n_cols, Cm(x), Cm(y), Cm(w), Cm(h))
    if spec.name:
        frame.name = spec.name
    table = frame.table
    weights = spec.widths or [1.0] * n_cols
    total = sum(weights)
    for column, weight in zip(table.columns, weights, strict=True):
        column.width = Cm(w * weight / total)
    row_weights = spec.heights or [1.0] * n_rows
    row_total = sum(row_weights)
    for row, weight in zip(table.rows, row_weights, strict=True):
        row.height = Cm(h * weight / row_total)
    for r, row in enumerate(spec.rows):
        for c, cell_spec in enumerate(row):
            if cell_spec.covered:
                continue
            cell = table.cell(r, c)
            _set_cell_text(cell, cell_spec.text, spec.size, bold=r < spec.header_rows)
            if cell_spec.vertical:
                cell._tc.get_or_add_tcPr().set("vert", "vert270")
    for r, row in enumerate(spec.rows):
        for c, cell_spec in enumerate(row):
            if cell_spec.col_span > 1 or cell_spec.row_span > 1:
                table.cell(r, c).merge(
                    table.cell(r + cell_spec.row_span - 1, c + cell_spec.col_span - 1)
                )


def _add_shapes(shapes, specs: list[ShapeSpec]) -> None:
    for spec in specs:
        if isinstance(spec, TextBoxSpec):
            _add_text_box(shapes, spec)
        elif isinstance(spec, GroupSpec):
            group = shapes.add_group_shape()
            if spec.name:
                group.name = spec.name
            _add_shapes(group.shapes, spec.children)
        elif isinstance(spec, TableSpec):
            _add_table(shapes, spec)
        else:
            add_chart(shapes, spec)


def _set_title(slide, spec: SlideSpec) -> None:
    title_shape = slide.shapes.title
    if spec.title is None:
        title_shape._element.getparent().remove(title_shape._element)
        return
    x, y, w, h = spec.title_geometry
    title_shape.left, title_shape.top, title_shape.width, title_shape.height = (
        Cm(x),
        Cm(y),
        Cm(w),
        Cm(h),
    )
    frame = title_shape.text_frame
    frame.word_wrap = True
    for index, line_text in enumerate(spec.title.split("\n")):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        for run_spec in parse_runs(line_text):
            run = paragraph.add_run()
            run.text = run_spec.text
            style_run(run, spec.title_size, True, "1F3864")


def _set_notes(slide, notes: list[str]) -> None:
    frame = slide.notes_slide.notes_text_frame
    for index, line_text in enumerate(notes):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = line_text
        style_run(run, 12, False, None)


def build_pptx(spec: DeckSpec, out_path: Path) -> None:
    """Write `spec` as a 16:9 PPTX at `out_path`."""
    presentation = Presentation()
    presentation.slide_width = Emu(SLIDE_WIDTH_EMU)
    presentation.slide_height = Emu(SLIDE_HEIGHT_EMU)
    core = presentation.core_properties
    core.title = spec.meta.get("title", spec.name)
    core.author = spec.meta.get("author", "deckmine corpus")
    core.last_modified_by = "deckmine corpus"
    core.created = core.modified = FIXED_TIMESTAMP
    core.revision = 1
    layout = presentation.slide_layouts[TITLE_ONLY_LAYOUT]
    for slide_spec in spec.slides:
        slide = presentation.slides.add_slide(layout)
        _set_title(slide, slide_spec)
        _add_shapes(slide.shapes, slide_spec.shapes)
        if slide_spec.notes:
            _set_notes(slide, slide_spec.notes)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    presentation.save(str(out_path))
