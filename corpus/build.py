"""Build the sample corpus: parse `.deck` spec files, write PPTX decks, export them to PDF.

The spec language is described in `corpus/README.md`. This module is both a library (the
benchmark generator reuses `parse_spec`, `build_pptx` and `convert_to_pdf`) and a script:
`python corpus/build.py` rebuilds every `corpus/specs/*.deck` into `corpus/decks/`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Cm, Emu, Pt

CORPUS_DIR = Path(__file__).resolve().parent
SPEC_DIR = CORPUS_DIR / "specs"
DECK_DIR = CORPUS_DIR / "decks"

FONT_NAME = "Noto Sans CJK TC"
SLIDE_WIDTH_EMU = 12192000  # 33.867 cm: PowerPoint's 16:9
SLIDE_HEIGHT_EMU = 6858000  # 19.05 cm
TITLE_ONLY_LAYOUT = 5
DEFAULT_TITLE_GEOMETRY = (1.2, 0.5, 31.4, 2.2)
DEFAULT_TITLE_SIZE = 28.0
DEFAULT_TEXT_SIZE = 16.0
FIXED_TIMESTAMP = dt.datetime(2024, 1, 1, 0, 0, 0)

CHART_TYPES = {
    "bar": XL_CHART_TYPE.COLUMN_CLUSTERED,
    "hbar": XL_CHART_TYPE.BAR_CLUSTERED,
    "line": XL_CHART_TYPE.LINE_MARKERS,
    "pie": XL_CHART_TYPE.PIE,
}


class SpecError(ValueError):
    """A spec file that cannot be parsed; the message names the line."""


# --------------------------------------------------------------------------- spec model


Geometry = tuple[float, float, float, float]


@dataclass
class Run:
    text: str
    bold: bool = False


@dataclass
class Paragraph:
    runs: list[Run]
    bullet: bool = False

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass
class TextBoxSpec:
    geometry: Geometry
    paragraphs: list[Paragraph]
    size: float = DEFAULT_TEXT_SIZE
    bold: bool = False
    color: str | None = None
    fill: str | None = None
    border: str | None = None
    align: str = "left"
    valign: str = "top"
    name: str | None = None


@dataclass
class GroupSpec:
    children: list[ShapeSpec]
    name: str | None = None


@dataclass
class CellSpec:
    text: str
    col_span: int = 1
    row_span: int = 1
    vertical: bool = False
    covered: bool = False


@dataclass
class TableSpec:
    geometry: Geometry
    rows: list[list[CellSpec]]
    widths: list[float] | None = None
    heights: list[float] | None = None
    size: float = 12.0
    header_rows: int = 1
    name: str | None = None

    @property
    def n_cols(self) -> int:
        return len(self.rows[0]) if self.rows else 0


@dataclass
class SeriesSpec:
    name: str
    values: list[float]


@dataclass
class ChartSpec:
    kind: str
    geometry: Geometry
    title: str
    categories: list[str]
    series: list[SeriesSpec]
    number_format: str = "General"
    legend: bool = True
    labels: bool = True
    name: str | None = None


ShapeSpec = TextBoxSpec | GroupSpec | TableSpec | ChartSpec


@dataclass
class SlideSpec:
    title: str | None = None
    title_geometry: Geometry = DEFAULT_TITLE_GEOMETRY
    title_size: float = DEFAULT_TITLE_SIZE
    shapes: list[ShapeSpec] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class DeckSpec:
    meta: dict[str, str]
    slides: list[SlideSpec]

    @property
    def name(self) -> str:
        return self.meta.get("deck", "deck")


# --------------------------------------------------------------------------- parsing


@dataclass
class _Line:
    number: int
    indent: int
    text: str


def _split_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        content = raw.lstrip(" ")
        lines.append(_Line(number, len(raw) - len(content), content.rstrip(" \r")))
    return lines


def _body(lines: list[_Line], start: int, parent_indent: int) -> tuple[list[_Line], int]:
    """Lines indented deeper than `parent_indent` following `start`; returns them and the next
    index."""
    index = start
    while index < len(lines) and lines[index].indent > parent_indent:
        index += 1
    return lines[start:index], index


def _parse_geometry(token: str, line: _Line) -> Geometry:
    try:
        x, y, w, h = (float(part) for part in token.lstrip("@").split(","))
    except ValueError as exc:
        raise SpecError(
            f"line {line.number}: geometry must be @x,y,w,h in cm, got {token!r}"
        ) from exc
    return (x, y, w, h)


def _parse_header(line: _Line) -> tuple[str, Geometry | None, dict[str, str], list[str]]:
    """Split `keyword [kind] @x,y,w,h key=value flag ...` into its parts."""
    tokens = shlex.split(line.text)
    keyword, rest = tokens[0], tokens[1:]
    geometry: Geometry | None = None
    options: dict[str, str] = {}
    words: list[str] = []
    for token in rest:
        if token.startswith("@"):
            geometry = _parse_geometry(token, line)
        elif "=" in token:
            key, value = token.split("=", 1)
            options[key] = value
        else:
            words.append(token)
    return keyword, geometry, options, words


BOLD_MARK = re.compile(r"\*\*(.+?)\*\*")


def parse_runs(text: str) -> list[Run]:
    """`a **b** c` -> runs a / b (bold) / c."""
    runs: list[Run] = []
    position = 0
    for match in BOLD_MARK.finditer(text):
        if match.start() > position:
            runs.append(Run(text[position : match.start()]))
        runs.append(Run(match.group(1), bold=True))
        position = match.end()
    if position < len(text):
        runs.append(Run(text[position:]))
    return runs or [Run("")]


def _parse_paragraph(text: str) -> Paragraph:
    bullet = text.startswith("- ")
    body = text[2:] if bullet else text
    return Paragraph(parse_runs(body.replace("\\n", "\n")), bullet=bullet)


CELL_ATTRS = re.compile(r"^\{([^}]*)\}\s*")


def _parse_cell(raw: str, line: _Line) -> CellSpec:
    text = raw.strip()
    if text == "~":
        return CellSpec("", covered=True)
    cell = CellSpec("")
    match = CELL_ATTRS.match(text)
    if match:
        for attr in match.group(1).split():
            if attr == "vert":
                cell.vertical = True
            elif attr.startswith("cs="):
                cell.col_span = int(attr[3:])
            elif attr.startswith("rs="):
                cell.row_span = int(attr[3:])
            else:
                raise SpecError(f"line {line.number}: unknown cell attribute {attr!r}")
        text = text[match.end() :]
    cell.text = text.replace("\\n", "\n")
    return cell


def _split_row(text: str) -> list[str]:
    if "|" in text:
        return text.split("|")
    return text.split("\t")


def _parse_table(
    line: _Line, geometry: Geometry, options: dict[str, str], body: list[_Line]
) -> TableSpec:
    rows = [[_parse_cell(raw, row_line) for raw in _split_row(row_line.text)] for row_line in body]
    if not rows:
        raise SpecError(f"line {line.number}: table has no rows")
    width = len(rows[0])
    for row_line, row in zip(body, rows, strict=True):
        if len(row) != width:
            raise SpecError(f"line {row_line.number}: row has {len(row)} cells, expected {width}")
    widths = [float(part) for part in options["widths"].split(",")] if "widths" in options else None
    if widths is not None and len(widths) != width:
        raise SpecError(
            f"line {line.number}: widths has {len(widths)} entries, table has {width} columns"
        )
    heights = (
        [float(part) for part in options["heights"].split(",")] if "heights" in options else None
    )
    if heights is not None and len(heights) != len(rows):
        raise SpecError(
            f"line {line.number}: heights has {len(heights)} entries, table has {len(rows)} rows"
        )
    return TableSpec(
        geometry=geometry,
        rows=rows,
        widths=widths,
        heights=heights,
        size=float(options.get("size", 12)),
        header_rows=int(options.get("header", 1)),
        name=options.get("name"),
    )


def _parse_number(text: str, line: _Line) -> float:
    try:
        return float(text.strip().replace(",", ""))
    except ValueError as exc:
        raise SpecError(f"line {line.number}: not a number: {text!r}") from exc


def _parse_chart(
    line: _Line, words: list[str], geometry: Geometry, options: dict[str, str], body: list[_Line]
) -> ChartSpec:
    if not words or words[0] not in CHART_TYPES:
        raise SpecError(f"line {line.number}: chart kind must be one of {sorted(CHART_TYPES)}")
    categories: list[str] = []
    series: list[SeriesSpec] = []
    for body_line in body:
        head, _, values = body_line.text.partition(":")
        if head.strip() == "categories":
            categories = [part.strip() for part in values.split("|")]
        elif head.startswith("series"):
            name = head[len("series") :].strip()
            series.append(
                SeriesSpec(name, [_parse_number(v, body_line) for v in values.split("|")])
            )
        else:
            raise SpecError(f"line {body_line.number}: expected 'categories:' or 'series NAME:'")
    for item in series:
        if len(item.values) != len(categories):
            raise SpecError(
                f"line {line.number}: series {item.name!r} length differs from categories"
            )
    return ChartSpec(
        kind=words[0],
        geometry=geometry,
        title=options.get("title", ""),
        categories=categories,
        series=series,
        number_format=options.get("format", "General"),
        legend=options.get("legend", "yes") != "no",
        labels=options.get("labels", "yes") != "no",
        name=options.get("name"),
    )


def _parse_text(
    geometry: Geometry, options: dict[str, str], words: list[str], body: list[_Line]
) -> TextBoxSpec:
    return TextBoxSpec(
        geometry=geometry,
        paragraphs=[_parse_paragraph(body_line.text) for body_line in body],
        size=float(options.get("size", DEFAULT_TEXT_SIZE)),
        bold="bold" in words,
        color=options.get("color"),
        fill=options.get("fill"),
        border=options.get("border"),
        align=options.get("align", "left"),
        valign=options.get("valign", "top"),
        name=options.get("name"),
    )


def _parse_shapes(lines: list[_Line]) -> list[ShapeSpec]:
    shapes: list[ShapeSpec] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        body, index = _body(lines, index + 1, line.indent)
        keyword, geometry, options, words = _parse_header(line)
        if keyword == "group":
            shapes.append(GroupSpec(_parse_shapes(body), name=options.get("name")))
            continue
        if geometry is None:
            raise SpecError(f"line {line.number}: {keyword} needs @x,y,w,h")
        if keyword == "text":
            shapes.append(_parse_text(geometry, options, words, body))
        elif keyword == "table":
            shapes.append(_parse_table(line, geometry, options, body))
        elif keyword == "chart":
            shapes.append(_parse_chart(line, words, geometry, options, body))
        else:
            raise SpecError(f"line {line.number}: unknown element {keyword!r}")
    return shapes


def _parse_slide(lines: list[_Line]) -> SlideSpec:
    slide = SlideSpec()
    shape_lines: list[_Line] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.indent == 0 and line.text.startswith(("title", "notes")) and ":" in line.text:
            head, _, value = line.text.partition(":")
            keyword, geometry, options, _words = _parse_header(_Line(line.number, 0, head))
            if keyword == "title":
                slide.title = value.strip().replace("\\n", "\n") or None
                slide.title_geometry = geometry or DEFAULT_TITLE_GEOMETRY
                slide.title_size = float(options.get("size", DEFAULT_TITLE_SIZE))
                index += 1
                continue
            if keyword == "notes":
                slide.notes.append(value.strip())
                index += 1
                continue
        body, next_index = _body(lines, index + 1, line.indent)
        shape_lines.extend([line, *body])
        index = next_index
    slide.shapes = _parse_shapes(shape_lines)
    return slide


def parse_spec(text: str) -> DeckSpec:
    """Parse a `.deck` spec (see corpus/README.md) into a DeckSpec."""
    lines = _split_lines(text)
    meta: dict[str, str] = {}
    slide_chunks: list[list[_Line]] = []
    for line in lines:
        if line.indent == 0 and line.text.startswith("---"):
            slide_chunks.append([])
        elif not slide_chunks:
            key, sep, value = line.text.partition(":")
            if not sep:
                raise SpecError(f"line {line.number}: expected 'key: value' before the first slide")
            meta[key.strip()] = value.strip()
        else:
            slide_chunks[-1].append(line)
    return DeckSpec(meta=meta, slides=[_parse_slide(chunk) for chunk in slide_chunks])


# --------------------------------------------------------------------------- PPTX writing


def _rgb(hex_color: str) -> RGBColor:
    return RGBColor.from_string(hex_color.lstrip("#").upper())


def _set_east_asian_fonts(rpr: etree._Element) -> None:
    """Give a run-properties element latin, ea and cs typefaces in schema order."""
    for tag in ("a:latin", "a:ea", "a:cs"):
        for existing in rpr.findall(qn(tag)):
            rpr.remove(existing)
    anchor = None
    for successor in ("a:sym", "a:hlinkClick", "a:hlinkMouseOver", "a:rtl", "a:extLst"):
        anchor = rpr.find(qn(successor))
        if anchor is not None:
            break
    for tag in ("a:latin", "a:ea", "a:cs"):
        font = etree.SubElement(rpr, qn(tag))
        font.set("typeface", FONT_NAME)
        if anchor is not None:
            anchor.addprevious(font)


def _style_run(run, size: float, bold: bool, color: str | None) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    if color:
        run.font.color.rgb = _rgb(color)
    _set_east_asian_fonts(run._r.get_or_add_rPr())


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
            _style_run(run, size, bold or run_spec.bold, color)


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
        box.fill.fore_color.rgb = _rgb(spec.fill)
    if spec.border:
        box.line.color.rgb = _rgb(spec.border)
        box.line.width = Pt(1.25)


def _set_cell_text(cell, text: str, size: float, bold: bool) -> None:
    frame = cell.text_frame
    lines = text.split("\n")
    for index, line_text in enumerate(lines):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        for run_spec in parse_runs(line_text):
            run = paragraph.add_run()
            run.text = run_spec.text
            _style_run(run, size, bold or run_spec.bold, None)
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


def _style_chart_text(chart, size: float) -> None:
    chart.font.size = Pt(size)
    chart.font.name = FONT_NAME
    for rpr in chart._chartSpace.iter(qn("a:defRPr")):
        _set_east_asian_fonts(rpr)


def _add_chart(shapes, spec: ChartSpec) -> None:
    data = CategoryChartData(number_format=spec.number_format)
    data.categories = spec.categories
    for series in spec.series:
        data.add_series(series.name, series.values)
    x, y, w, h = spec.geometry
    frame = shapes.add_chart(CHART_TYPES[spec.kind], Cm(x), Cm(y), Cm(w), Cm(h), data)
    if spec.name:
        frame.name = spec.name
    chart = frame.chart
    if spec.title:
        chart.has_title = True
        title_frame = chart.chart_title.text_frame
        title_frame.text = spec.title
        for run in title_frame.paragraphs[0].runs:
            _style_run(run, 16, True, None)
    else:
        chart.has_title = False
    chart.has_legend = spec.legend
    if spec.legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
    if spec.labels:
        plot = chart.plots[0]
        plot.has_data_labels = True
        labels = plot.data_labels
        labels.number_format = spec.number_format
        labels.number_format_is_linked = False
        labels.show_value = True
    if spec.kind != "pie":
        chart.value_axis.tick_labels.number_format = spec.number_format
        chart.value_axis.tick_labels.number_format_is_linked = False
        chart.value_axis.has_major_gridlines = True
        chart.value_axis.minimum_scale = 0
    _style_chart_text(chart, 14)


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
            _add_chart(shapes, spec)


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
            _style_run(run, spec.title_size, True, "1F3864")


def _set_notes(slide, notes: list[str]) -> None:
    frame = slide.notes_slide.notes_text_frame
    for index, line_text in enumerate(notes):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = line_text
        _style_run(run, 12, False, None)


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


# --------------------------------------------------------------------------- PDF export


def convert_to_pdf(pptx_paths: list[Path], out_dir: Path, timeout: float = 600) -> list[Path]:
    """Export PPTX files to PDF with one headless LibreOffice call and a throwaway profile."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="deckmine-lo-") as profile:
        command = [
            soffice,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            *[str(path) for path in pptx_paths],
        ]
        subprocess.run(command, check=True, capture_output=True, timeout=timeout)
    pdf_paths = [out_dir / (path.stem + ".pdf") for path in pptx_paths]
    missing = [path.name for path in pdf_paths if not path.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice did not write: {', '.join(missing)}")
    return pdf_paths


# --------------------------------------------------------------------------- script


def build_all(spec_dir: Path = SPEC_DIR, deck_dir: Path = DECK_DIR, pdf: bool = True) -> list[Path]:
    """Build every `*.deck` in `spec_dir` to PPTX (and PDF) in `deck_dir`; return the PPTX paths."""
    pptx_paths: list[Path] = []
    for spec_path in sorted(spec_dir.glob("*.deck")):
        spec = parse_spec(spec_path.read_text(encoding="utf-8"))
        out_path = deck_dir / f"{spec_path.stem}.pptx"
        build_pptx(spec, out_path)
        pptx_paths.append(out_path)
    if pdf and pptx_paths:
        convert_to_pdf(pptx_paths, deck_dir)
    return pptx_paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-pdf", action="store_true", help="write PPTX only")
    parser.add_argument("--only", help="build only this deck (spec file stem)")
    args = parser.parse_args(argv)
    if args.only:
        spec_path = SPEC_DIR / f"{args.only}.deck"
        out_path = DECK_DIR / f"{args.only}.pptx"
        build_pptx(parse_spec(spec_path.read_text(encoding="utf-8")), out_path)
        if not args.no_pdf:
            convert_to_pdf([out_path], DECK_DIR)
        built = [out_path]
    else:
        built = build_all(pdf=not args.no_pdf)
    for path in built:
        print(path.relative_to(CORPUS_DIR.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
