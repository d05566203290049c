"""The document model every later stage reads.

A `Document` is one briefing file (PDF or PPTX); it owns its `Page`s, and each page owns its
blocks in reading order. There are four kinds of block: `TextBlock` (a paragraph or text box),
`TableBlock` (a grid of cells, merged cells explicit), `ChartBlock` (categories and series from a
chart) and `NotesBlock` (speaker notes). Every block knows where it came from: page number, bounding
box in points (origin top-left, like pdfplumber's `top`/`bottom`), and for PPTX the shape id and name.

The model is plain dataclasses so it can be pickled across processes and dumped to JSON with
`Document.to_dict()`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

BlockKind = Literal["text", "table", "chart", "notes"]
FileType = Literal["pdf", "pptx", "odp", "ppt"]


@dataclass(frozen=True)
class BBox:
    """A rectangle in points: x0/x1 from the left edge, top/bottom from the top edge."""

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.bottom - self.top

    def as_list(self) -> list[float]:
        return [round(self.x0, 2), round(self.top, 2), round(self.x1, 2), round(self.bottom, 2)]

    def union(self, other: BBox) -> BBox:
        return BBox(
            min(self.x0, other.x0),
            min(self.top, other.top),
            max(self.x1, other.x1),
            max(self.bottom, other.bottom),
        )


@dataclass
class Block:
    """Fields every block has. `flags` records what the extractor noticed or repaired
    (e.g. `vertical`, `reversed_repaired`, `rotated`, `in_group`)."""

    page: int
    bbox: BBox | None
    shape_id: int | None = None
    shape_name: str | None = None
    flags: list[str] = field(default_factory=list)

    kind: BlockKind = field(init=False, default="text")

    @property
    def text(self) -> str:  # pragma: no cover - overridden
        raise NotImplementedError


@dataclass
class TextLine:
    """One visual line of a text block, with its own box and font size when known. `continues`:
    the line runs on into the next (a PDF line wrapped at its box's right edge), so the two are
    one line of the text the author wrote."""

    text: str
    bbox: BBox | None = None
    font_size: float | None = None
    bold: bool | None = None
    continues: bool = False


@dataclass
class TextBlock(Block):
    """A paragraph or a whole text box. `lines` keep their order; `text` joins them with newlines."""

    lines: list[TextLine] = field(default_factory=list)
    font_size: float | None = None
    bold: bool | None = None
    is_title: bool = False

    def __post_init__(self) -> None:
        self.kind = "text"

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


@dataclass
class TableCell:
    """One cell of a table. A merged cell appears once, at its top-left position, with its span."""

    row: int
    col: int
    text: str
    row_span: int = 1
    col_span: int = 1
    bbox: BBox | None = None
    flags: list[str] = field(default_factory=list)


@dataclass
class TableBlock(Block):
    """A table as a list of cells over an `n_rows` x `n_cols` grid."""

    n_rows: int = 0
    n_cols: int = 0
    cells: list[TableCell] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.kind = "table"

    def grid(self, fill_merged: bool = False) -> list[list[str | None]]:
        """Rows of cell text. Positions covered by a merged cell are None, or repeat the merged
        cell's text when `fill_merged` is True (what header lookup wants)."""
        rows: list[list[str | None]] = [[None] * self.n_cols for _ in range(self.n_rows)]
        for cell in self.cells:
            for r in range(cell.row, min(cell.row + cell.row_span, self.n_rows)):
                for c in range(cell.col, min(cell.col + cell.col_span, self.n_cols)):
                    if (r, c) == (cell.row, cell.col) or fill_merged:
                        rows[r][c] = cell.text
        return rows

    @property
    def text(self) -> str:
        return "\n".join(
            "\t".join(value or "" for value in row) for row in self.grid(fill_merged=False)
        )


@dataclass
class ChartSeries:
    name: str
    values: list[float | None]
    number_format: str | None = None


@dataclass
class ChartBlock(Block):
    """A chart's cached data: title, categories and one or more series."""

    title: str | None = None
    chart_type: str | None = None
    categories: list[str] = field(default_factory=list)
    series: list[ChartSeries] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.kind = "chart"

    @property
    def text(self) -> str:
        lines = [self.title or ""]
        lines.append("\t" + "\t".join(self.categories))
        for s in self.series:
            values = ["" if v is None else f"{v:g}" for v in s.values]
            lines.append(s.name + "\t" + "\t".join(values))
        return "\n".join(line for line in lines if line.strip())


@dataclass
class NotesBlock(Block):
    """Speaker notes of a slide."""

    body: str = ""

    def __post_init__(self) -> None:
        self.kind = "notes"

    @property
    def text(self) -> str:
        return self.body


AnyBlock = TextBlock | TableBlock | ChartBlock | NotesBlock


@dataclass
class Page:
    """One PDF page or PPTX slide. `number` is 1-based; `warnings` lists what could not be read."""

    number: int
    width: float
    height: float
    title: str | None = None
    blocks: list[AnyBlock] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The page's full text in reading order, blocks separated by blank lines."""
        return "\n\n".join(b.text for b in self.blocks if b.text.strip())


@dataclass
class Document:
    """One briefing file and everything extracted from it."""

    path: str
    sha256: str
    file_type: FileType
    pages: list[Page] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def page_count(self) -> int:
        return len(self.pages)

    def blocks(self) -> list[AnyBlock]:
        return [block for page in self.pages for block in page.blocks]

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["page_count"] = self.page_count
        for page_dict, page in zip(out["pages"], self.pages, strict=True):
            for block_dict, block in zip(page_dict["blocks"], page.blocks, strict=True):
                block_dict["kind"] = block.kind
                block_dict["text"] = block.text
        return out


class ExtractionError(Exception):
    """A file that cannot be extracted. The message is one line naming the reason
    (the caller prefixes the file name)."""
