"""The corpus spec model: the decks, slides and shapes a `.deck` file describes (`corpus/README.md`).

Loaded by path beside `corpus/build.py` (corpus/ is not a package): `build.py` puts this folder on
`sys.path` before importing its siblings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pptx.enum.chart import XL_CHART_TYPE

DEFAULT_TITLE_GEOMETRY = (1.2, 0.5, 31.4, 2.2)
DEFAULT_TITLE_SIZE = 28.0
DEFAULT_TEXT_SIZE = 16.0

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
