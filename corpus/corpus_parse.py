"""Parse a `.deck` spec file into a `DeckSpec` (the language is described in `corpus/README.md`)."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

from corpus_spec import (
    CHART_TYPES,
    DEFAULT_TEXT_SIZE,
    DEFAULT_TITLE_GEOMETRY,
    DEFAULT_TITLE_SIZE,
    CellSpec,
    ChartSpec,
    DeckSpec,
    Geometry,
    GroupSpec,
    Paragraph,
    Run,
    SeriesSpec,
    ShapeSpec,
    SlideSpec,
    SpecError,
    TableSpec,
    TextBoxSpec,
)


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
