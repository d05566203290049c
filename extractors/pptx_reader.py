"""Turn a PPTX deck into a `Document` with python-pptx: one `Page` per slide.

Every shape with content becomes a block: text shapes (also inside nested groups, with their
coordinates mapped to the slide through each group's transform), tables (merged cells explicit),
charts (cached data), SmartArt (texts of the diagram's data part), pictures with alt text, and the
speaker notes. Blocks are put in reading order: the title first, then top to bottom and left to
right, the notes last. Text goes through the same spacing normalisation as PDF text, so a deck and
its PDF export read the same.

Pictures that may hold text (a table pasted as a screenshot: a picture shape covering at least
`extractors.ocr.PICTURE_MIN_SHARE` of the slide with no text over it) are read by OCR with
`--ocr auto` or `always` (`extractors.ocr`: the same engine and helper process as PDF pages, one run
per deck); what is read becomes blocks flagged `ocr`, placed where the picture is on the slide.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree
from pptx import Presentation
from pptx.exc import PackageNotFoundError
from pptx.shapes.base import BaseShape
from pptx.shapes.graphfrm import GraphicFrame
from pptx.shapes.group import GroupShape
from pptx.slide import Slide

from extractors import ocr as ocr_module
from extractors.model import (
    AnyBlock,
    BBox,
    ChartBlock,
    Document,
    ExtractionError,
    NotesBlock,
    Page,
    TableBlock,
    TableCell,
    TextBlock,
    TextLine,
)
from extractors.ocr import DPI, PICTURE_MAX_GLYPHS, PICTURE_MIN_SHARE, TONE_STEP, PageOcr
from extractors.pptx_charts import read_chart
from extractors.smartart import is_smartart, smartart_paragraphs
from extractors.textjoin import normalize_spacing

EMU_PER_POINT = 12700
ROW_TOLERANCE_PT = 6.0
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
P_NS = "http://schemas.openxmlformats.org/presentationml/2006/main"
NSMAP = {"a": A_NS, "p": P_NS}
VERTICAL_TEXT_VALUES = frozenset(
    {"vert", "vert270", "eaVert", "wordArtVert", "wordArtVertRtl", "mongolianVert"}
)
# What a damaged package or part makes python-pptx and lxml raise.
DAMAGE_ERRORS: tuple[type[BaseException], ...] = (
    PackageNotFoundError,
    KeyError,
    ValueError,
    AttributeError,
    TypeError,
    IndexError,
    etree.LxmlError,
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
)

IMAGE_FILE_NAME = re.compile(
    r"[^\\/:*?\"<>|\n]+\.(?:png|jpe?g|gif|bmp|tiff?|emf|wmf|svg|webp)", re.I
)

# lxml ends its messages with where the parsed string came from, which names nothing useful here
XML_ERROR_SOURCE = re.compile(r" \(<string>, line \d+\)$")

MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_TAG_GROUP = f"{{{P_NS}}}grpSp"
_SHAPE_TAGS = frozenset(
    f"{{{P_NS}}}{name}" for name in ("sp", "grpSp", "graphicFrame", "cxnSp", "pic", "contentPart")
)
_TAG_ALTERNATE_CONTENT = f"{{{MC_NS}}}AlternateContent"
_TAG_CHOICE = f"{{{MC_NS}}}Choice"
_TAG_FALLBACK = f"{{{MC_NS}}}Fallback"
_TAG_PICTURE = f"{{{P_NS}}}pic"
_TAG_RUN = f"{{{A_NS}}}r"
_TAG_FIELD = f"{{{A_NS}}}fld"
_TAG_BREAK = f"{{{A_NS}}}br"
_TAG_OFF = f"{{{A_NS}}}off"
_TAG_EXT = f"{{{A_NS}}}ext"
_xpath = {
    "paragraphs": etree.XPath("a:p", namespaces=NSMAP),
    "run_props": etree.XPath("a:rPr", namespaces=NSMAP),
    "run_text": etree.XPath("a:t/text()", namespaces=NSMAP),
    "body_props": etree.XPath("a:bodyPr", namespaces=NSMAP),
    "group_xfrm": etree.XPath("p:grpSpPr/a:xfrm", namespaces=NSMAP),
    "cell_props": etree.XPath("a:tcPr", namespaces=NSMAP),
    "cell_body": etree.XPath("a:txBody", namespaces=NSMAP),
    "non_visual_props": etree.XPath("*[1]/p:cNvPr", namespaces=NSMAP),
    "own_xfrm": etree.XPath("p:spPr/a:xfrm|p:xfrm|p:grpSpPr/a:xfrm", namespaces=NSMAP),
    "shape_body": etree.XPath("p:txBody", namespaces=NSMAP),
}


@dataclass(frozen=True)
class Transform:
    """Maps a group's child coordinates (EMU) to slide coordinates: slide = child * scale + offset."""

    scale_x: float = 1.0
    scale_y: float = 1.0
    offset_x: float = 0.0
    offset_y: float = 0.0

    def then(self, outer: Transform) -> Transform:
        """This transform followed by `outer` (the enclosing group's)."""
        return Transform(
            scale_x=self.scale_x * outer.scale_x,
            scale_y=self.scale_y * outer.scale_y,
            offset_x=self.offset_x * outer.scale_x + outer.offset_x,
            offset_y=self.offset_y * outer.scale_y + outer.offset_y,
        )

    def bbox(self, left: int, top: int, width: int, height: int) -> BBox:
        x0 = left * self.scale_x + self.offset_x
        y0 = top * self.scale_y + self.offset_y
        return BBox(
            x0 / EMU_PER_POINT,
            y0 / EMU_PER_POINT,
            (x0 + width * self.scale_x) / EMU_PER_POINT,
            (y0 + height * self.scale_y) / EMU_PER_POINT,
        )


IDENTITY = Transform()


# A picture is read at its own resolution, but at least DPI and at most twice DPI on the slide
MIN_PIXELS_PER_POINT = DPI / 72
MAX_PIXELS_PER_POINT = 2 * DPI / 72
MAX_PICTURE_PIXELS = 40_000_000  # a picture larger than this (decoded) is not read


def read_pptx(path: Path, sha256: str, ocr: str | None = None) -> Document:
    """Extract a PPTX deck. Raises ExtractionError for a damaged package or a deck with no slides;
    a shape that cannot be read becomes a warning on its page.
    `ocr`: auto | always | never (default: $DECKMINE_OCR, else auto) for pictures that hold text."""
    ocr_state = PageOcr.for_mode(ocr)
    try:
        presentation = Presentation(str(path))
        slides = list(presentation.slides)
    except etree.XMLSyntaxError as exc:
        part = _first_malformed_part(path)
        where = f"{part} is not well-formed XML" if part else "malformed XML"
        raise ExtractionError(
            f"damaged PPTX: {where} ({_one_line(exc, with_type=False)})"
        ) from None
    except DAMAGE_ERRORS as exc:
        raise ExtractionError(f"damaged PPTX: {_one_line(exc)}") from None
    if not slides:
        raise ExtractionError("deck has no slides")

    width = (presentation.slide_width or 0) / EMU_PER_POINT
    height = (presentation.slide_height or 0) / EMU_PER_POINT
    document = Document(
        path=str(path),
        sha256=sha256,
        file_type="pptx",
        metadata=_metadata(presentation, width, height, len(slides)),
    )
    hidden = [
        number
        for number, slide in enumerate(slides, 1)
        if slide._element.get("show") in ("0", "false")
    ]
    if hidden:
        # PowerPoint leaves hidden slides out of a PDF export: the PDF's pages are the others
        document.metadata["hidden_slides"] = hidden
    for number, slide in enumerate(slides, start=1):
        try:
            page = _read_slide(slide, number, width, height, ocr_state)
        except DAMAGE_ERRORS as exc:
            page = Page(number=number, width=width, height=height)
            page.warnings.append(f"slide {number} could not be read: {_one_line(exc)}")
        document.pages.append(page)
        document.warnings.extend(f"slide {number}: {warning}" for warning in page.warnings)
    ocr_state.conclude(document)  # reads the kept pictures in one helper run
    if ocr_state.failed:
        document.warnings.append(f"pictures not read by OCR: {ocr_state.failed}")
    return document


def _metadata(presentation: Any, width: float, height: float, slide_count: int) -> dict[str, Any]:
    metadata: dict[str, Any] = {
        "slide_width": round(width, 2),
        "slide_height": round(height, 2),
        "slide_count": slide_count,
    }
    try:
        core = presentation.core_properties
        values = {
            "title": core.title,
            "author": core.author,
            "subject": core.subject,
            "created": core.created.isoformat() if core.created else None,
            "modified": core.modified.isoformat() if core.modified else None,
        }
    except DAMAGE_ERRORS:
        return metadata  # core properties are optional; a broken one costs nothing else
    metadata.update({key: value for key, value in values.items() if value})
    return metadata


def _read_slide(
    slide: Slide, number: int, width: float, height: float, ocr_state: PageOcr | None = None
) -> Page:
    page = Page(number=number, width=width, height=height)
    title_shape = slide.shapes.title
    title_id = title_shape.shape_id if title_shape is not None else None
    blocks: list[AnyBlock] = []
    title_block: TextBlock | None = None
    pictures: list[tuple[BaseShape, Transform, bool]] = []
    for shape, transform, in_group in _walk(slide.shapes, IDENTITY, in_group=False):
        if shape._element.tag == _TAG_PICTURE:
            pictures.append((shape, transform, in_group))
        try:
            new_blocks = _shape_blocks(shape, transform, number, slide)
        except DAMAGE_ERRORS as exc:
            page.warnings.append(f"shape {shape.shape_id} '{shape.name}': {_one_line(exc)}")
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
    ordered = _reading_order(blocks)
    if title_block is not None:
        page.title = _title_text(title_block)
        ordered.insert(0, title_block)
    try:
        notes = _notes_block(slide, number)
    except DAMAGE_ERRORS as exc:
        page.warnings.append(f"speaker notes: {_one_line(exc)}")
        notes = None
    if notes is not None:
        ordered.append(notes)
    page.blocks = ordered
    if ocr_state is not None and ocr_state.mode != "never" and pictures:
        _keep_pictures_with_text(page, pictures, ocr_state)
    return page


def _keep_pictures_with_text(
    page: Page, pictures: list[tuple[BaseShape, Transform, bool]], ocr_state: PageOcr
) -> None:
    """Give OCR the pictures of a slide that may hold text: at least PICTURE_MIN_SHARE of the
    slide, not rotated, not blank, with no more than PICTURE_MAX_GLYPHS characters of the slide's
    own text over them. Without an engine the slide gets one warning."""
    from PIL import Image

    slide_area = page.width * page.height
    unread = 0
    for shape, transform, in_group in pictures:
        try:
            box = _shape_bbox(shape, transform)
            if (
                box is None
                or box.width <= 0
                or box.height <= 0
                or box.width * box.height < PICTURE_MIN_SHARE * slide_area
                or _rotation(shape._element) % 360
                or _characters_over(page.blocks, box) > PICTURE_MAX_GLYPHS
            ):
                continue
            image = _picture_image(shape, box)
        except (*DAMAGE_ERRORS, OSError, Image.DecompressionBombError):
            continue  # an image PIL cannot read (a vector EMF/WMF, a broken part): nothing to read
        if image is None:
            continue
        scale = box.width / image.width  # points per pixel
        place = _placer(_placement(shape, transform, page.number), in_group)
        if not ocr_state.visit_picture(page, image, (box.x0, box.top), scale, place):
            unread += 1
    if unread:
        page.warnings.append(f"pictures not read by OCR{ocr_state.unavailable}")


def _characters_over(blocks: list[AnyBlock], box: BBox) -> int:
    """Characters of the slide's text and table blocks whose centre lies inside `box`."""
    count = 0
    for block in blocks:
        if not isinstance(block, TextBlock | TableBlock) or block.bbox is None or "alt_text" in block.flags:
            continue
        centre_x = (block.bbox.x0 + block.bbox.x1) / 2
        centre_y = (block.bbox.top + block.bbox.bottom) / 2
        if box.x0 <= centre_x <= box.x1 and box.top <= centre_y <= box.bottom:
            count += sum(1 for char in block.text if not char.isspace())
    return count


def _picture_image(shape: Any, box: BBox) -> Any:
    """The picture as shown on the slide (cropped as the shape crops it, on white), sized to its
    box at MIN..MAX_PIXELS_PER_POINT; None when it is blank or too large to decode."""
    import io

    from PIL import Image

    with Image.open(io.BytesIO(shape.image.blob)) as opened:
        if opened.width * opened.height > MAX_PICTURE_PIXELS:
            return None
        image = opened.convert("RGBA")
    crop = [shape.crop_left, shape.crop_top, shape.crop_right, shape.crop_bottom]
    if any(crop):
        left, top, right, bottom = (max(0.0, min(1.0, float(value or 0))) for value in crop)
        x0, y0 = round(left * image.width), round(top * image.height)
        x1, y1 = round((1 - right) * image.width), round((1 - bottom) * image.height)
        if x1 - x0 < 2 or y1 - y0 < 2:
            return None
        image = image.crop((x0, y0, x1, y1))
    white = Image.new("RGBA", image.size, (255, 255, 255, 255))
    image = Image.alpha_composite(white, image).convert("RGB")
    low, high = image.convert("L").getextrema()
    if high - low <= TONE_STEP:
        return None  # one tone: nothing drawn in it
    per_point = min(max(image.width / box.width, MIN_PIXELS_PER_POINT), MAX_PIXELS_PER_POINT)
    size = (max(1, round(box.width * per_point)), max(1, round(box.height * per_point)))
    return image if image.size == size else image.resize(size, Image.Resampling.LANCZOS)


def _placer(placement: dict[str, Any], in_group: bool) -> ocr_module.Placer:
    """Put the blocks read in a picture on its slide: they carry the picture's shape id and
    name; the title stays first, the notes last, the rest in reading order."""

    def place(page: Page, added: list[AnyBlock]) -> None:
        if not added:
            return
        for block in added:
            block.shape_id = placement["shape_id"]
            block.shape_name = placement["shape_name"]
            if in_group:
                block.flags.append("in_group")
        title = page.blocks[0] if page.blocks and getattr(page.blocks[0], "is_title", False) else None
        rest = [block for block in page.blocks if block is not title]
        notes = [block for block in rest if isinstance(block, NotesBlock)]
        others = [block for block in rest if not isinstance(block, NotesBlock)]
        page.blocks = ([title] if title else []) + _reading_order(others + added) + notes

    return place


def _walk(
    shapes: Any, transform: Transform, in_group: bool
) -> Iterator[tuple[BaseShape, Transform, bool]]:
    """Every leaf shape with the transform from its coordinates to the slide's, groups flattened.

    Walks the shape tree's XML itself (python-pptx's iteration skips shapes wrapped in
    `mc:AlternateContent`, as PowerPoint saves equations and other newer content)."""
    for child in shapes._spTree.iterchildren():
        for element in _shape_elements(child):
            shape = shapes._shape_factory(element)
            if element.tag == _TAG_GROUP:
                group: GroupShape = shape
                inner = _group_transform(group).then(transform)
                yield from _walk(group.shapes, inner, in_group=True)
            else:
                yield shape, transform, in_group


def _shape_elements(element: etree._Element) -> list[etree._Element]:
    """The shape element itself, or the shapes of an `mc:AlternateContent`'s first choice that has
    any (else of its fallback); nothing for anything else."""
    if element.tag in _SHAPE_TAGS:
        return [element]
    if element.tag != _TAG_ALTERNATE_CONTENT:
        return []
    for option in element.iterchildren(_TAG_CHOICE, _TAG_FALLBACK):
        shapes = [child for child in option.iterchildren() if child.tag in _SHAPE_TAGS]
        if shapes:
            return shapes
    return []


def _group_transform(group: GroupShape) -> Transform:
    """A group's `a:xfrm` maps its child box (chOff/chExt) onto its own box (off/ext)."""
    xfrms = _xpath["group_xfrm"](group._element)
    if not xfrms:
        return IDENTITY
    xfrm = xfrms[0]
    off, ext, child_off, child_ext = (
        xfrm.find(f"{{{A_NS}}}{name}") for name in ("off", "ext", "chOff", "chExt")
    )
    if off is None or child_off is None:
        return IDENTITY
    scale_x = scale_y = 1.0
    if ext is not None and child_ext is not None:
        child_cx, child_cy = int(child_ext.get("cx", 0)), int(child_ext.get("cy", 0))
        if child_cx:
            scale_x = int(ext.get("cx", 0)) / child_cx
        if child_cy:
            scale_y = int(ext.get("cy", 0)) / child_cy
    return Transform(
        scale_x=scale_x,
        scale_y=scale_y,
        offset_x=int(off.get("x", 0)) - int(child_off.get("x", 0)) * scale_x,
        offset_y=int(off.get("y", 0)) - int(child_off.get("y", 0)) * scale_y,
    )


def _shape_bbox(shape: BaseShape, transform: Transform) -> BBox | None:
    """The shape's box on the slide in points."""
    geometry = _own_geometry(shape._element)
    if geometry is None:  # a placeholder that inherits its position from the layout
        left, top, width, height = shape.left, shape.top, shape.width, shape.height
        if left is None or top is None or width is None or height is None:
            return None
        geometry = (left, top, width, height, 0.0)
    left, top, width, height, rotation = geometry
    bbox = transform.bbox(left, top, width, height)
    if 45 <= rotation % 180 < 135:  # turned on its side: the visible box swaps width and height
        centre_x, centre_y = (bbox.x0 + bbox.x1) / 2, (bbox.top + bbox.bottom) / 2
        half_w, half_h = bbox.height / 2, bbox.width / 2
        bbox = BBox(centre_x - half_w, centre_y - half_h, centre_x + half_w, centre_y + half_h)
    return bbox


def _rotation(element: etree._Element) -> float:
    """Clockwise rotation in degrees (0 for shapes that do not set one)."""
    geometry = _own_geometry(element)
    return geometry[4] if geometry is not None else 0.0


def _own_geometry(element: etree._Element) -> tuple[int, int, int, int, float] | None:
    """Offset, extent (EMU) and rotation from the shape's own `a:xfrm`, read in one pass."""
    xfrms = _xpath["own_xfrm"](element)
    if not xfrms:
        return None
    xfrm = xfrms[0]
    off, ext = xfrm.find(_TAG_OFF), xfrm.find(_TAG_EXT)
    if off is None or ext is None:
        return None
    return (
        int(off.get("x", 0)),
        int(off.get("y", 0)),
        int(ext.get("cx", 0)),
        int(ext.get("cy", 0)),
        int(xfrm.get("rot", 0)) / 60000,
    )


def _shape_blocks(
    shape: BaseShape, transform: Transform, number: int, slide: Slide
) -> list[AnyBlock]:
    element = shape._element
    if isinstance(shape, GraphicFrame):
        if shape.has_table:
            return [_table_block(shape, _placement(shape, transform, number))]
        if shape.has_chart:
            return [_chart_block(shape, _placement(shape, transform, number))]
        if is_smartart(element):
            texts = smartart_paragraphs(element, slide.part)
            lines = [TextLine(text=normalize_spacing(text)) for text in texts]
            if not lines:
                return []
            placement = _placement(shape, transform, number)
            return [TextBlock(lines=lines, flags=["smartart"], **placement)]
        return []
    if element.tag == _TAG_PICTURE:
        description = _alt_text(element)
        if not description:
            return []
        line = TextLine(text=normalize_spacing(description))
        return [TextBlock(lines=[line], flags=["alt_text"], **_placement(shape, transform, number))]
    bodies = _xpath["shape_body"](element)
    if not bodies:
        return []
    body = bodies[0]
    lines = _text_lines(body)
    if not lines:
        return []
    flags = []
    if _is_vertical(body):
        flags.append("vertical")
    if _rotation(element) % 360:
        flags.append("rotated")
    sizes = [line.font_size for line in lines if line.font_size is not None]
    bolds = [line.bold for line in lines]
    return [
        TextBlock(
            lines=lines,
            font_size=max(sizes) if sizes else None,
            bold=_all_or_none(bolds),
            flags=flags,
            **_placement(shape, transform, number),
        )
    ]


def _placement(shape: BaseShape, transform: Transform, number: int) -> dict[str, Any]:
    """The fields every block of a shape has: page, box and the shape's id and name."""
    bbox = _shape_bbox(shape, transform)
    cnv_props = _xpath["non_visual_props"](shape._element)
    shape_id = cnv_props[0].get("id") if cnv_props else None
    return {
        "page": number,
        "bbox": bbox,
        "shape_id": int(shape_id) if shape_id and shape_id.isdigit() else None,
        "shape_name": cnv_props[0].get("name") if cnv_props else None,
    }


def _text_lines(body: etree._Element) -> list[TextLine]:
    """One TextLine per non-empty paragraph (a line break inside a paragraph starts a new line)."""
    lines: list[TextLine] = []
    for paragraph in _xpath["paragraphs"](body):
        pieces: list[str] = []
        sizes: list[float] = []
        bolds: list[bool | None] = []
        for child in paragraph:
            if child.tag == _TAG_BREAK:
                pieces.append("\n")
            elif child.tag in (_TAG_RUN, _TAG_FIELD):
                text = "".join(_xpath["run_text"](child))
                pieces.append(text)
                if not text.strip():
                    continue
                props = _xpath["run_props"](child)
                size = props[0].get("sz") if props else None
                if size:
                    sizes.append(int(size) / 100)
                bold = props[0].get("b") if props else None
                bolds.append(None if bold is None else bold in ("1", "true"))
        for text in "".join(pieces).split("\n"):
            text = normalize_spacing(text.replace("\v", " ").strip())
            if text:
                lines.append(
                    TextLine(
                        text=text,
                        font_size=max(sizes) if sizes else None,
                        bold=_all_or_none(bolds),
                    )
                )
    return lines


def _all_or_none(values: list[bool | None]) -> bool | None:
    """True when every value is True, None when none is known, else False."""
    if not values or all(value is None for value in values):
        return None
    return all(values)


def _is_vertical(body: etree._Element) -> bool:
    props = _xpath["body_props"](body)
    return bool(props) and props[0].get("vert") in VERTICAL_TEXT_VALUES


def _alt_text(element: etree._Element) -> str:
    """The picture's description, unless it is only the image's file name (which PowerPoint and
    python-pptx put there when the author wrote none)."""
    props = _xpath["non_visual_props"](element)
    description = (props[0].get("descr") or "").strip() if props else ""
    return "" if IMAGE_FILE_NAME.fullmatch(description) else description


def _table_block(shape: GraphicFrame, placement: dict[str, Any]) -> TableBlock:
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
            bodies = _xpath["cell_body"](tc)
            text = "\n".join(line.text for line in _text_lines(bodies[0])) if bodies else ""
            flags = []
            props = _xpath["cell_props"](tc)
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


def _notes_block(slide: Slide, number: int) -> NotesBlock | None:
    if not slide.has_notes_slide:
        return None
    text_frame = slide.notes_slide.notes_text_frame
    if text_frame is None:
        return None
    lines = _text_lines(text_frame._txBody)
    body = "\n".join(line.text for line in lines)
    return NotesBlock(page=number, bbox=None, body=body) if body else None


def _reading_order(blocks: list[AnyBlock]) -> list[AnyBlock]:
    """Top to bottom, then left to right; tops within ROW_TOLERANCE_PT of a row's first top share
    the row. Blocks without a box keep their order after the placed ones."""
    placed = sorted((b for b in blocks if b.bbox is not None), key=lambda b: b.bbox.top)
    unplaced = [b for b in blocks if b.bbox is None]
    ordered: list[AnyBlock] = []
    row: list[AnyBlock] = []
    row_top = 0.0
    for block in placed:
        if row and block.bbox.top - row_top > ROW_TOLERANCE_PT:
            ordered.extend(sorted(row, key=lambda b: b.bbox.x0))
            row = []
        if not row:
            row_top = block.bbox.top
        row.append(block)
    ordered.extend(sorted(row, key=lambda b: b.bbox.x0))
    return ordered + unplaced


def _title_text(block: TextBlock) -> str:
    """The title on one line: lines joined by a space, except next to CJK text (a CJK title broken
    over two lines is one phrase)."""
    title = ""
    for line in block.lines:
        if title and not _is_cjk(title[-1]) and not _is_cjk(line.text[0]):
            title += " "
        title += line.text
    return title


def _is_cjk(char: str) -> bool:
    return (
        "\u2e80" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" or "\uff00" <= char <= "\uffef"
    )


def _first_malformed_part(path: Path) -> str | None:
    """Name the first XML member of the package that does not parse (only called on failure)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if not name.endswith((".xml", ".rels")):
                    continue
                try:
                    etree.fromstring(archive.read(name), parser)
                except etree.XMLSyntaxError:
                    return name
    except (zipfile.BadZipFile, OSError, zlib.error):
        return None
    return None


def _one_line(exc: BaseException, with_type: bool = True) -> str:
    # KeyError's str() is the repr of its key; its first argument is the message itself
    raw = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
    message = str(raw).strip().splitlines()
    text = XML_ERROR_SOURCE.sub("", message[0]) if message else ""
    if with_type:
        text = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    return text[:200]
