"""Read a PPTX chart's cached data (title, type, categories, series) into a `ChartBlock`'s fields.

The data comes from the chart part's XML cache (`c:numCache`/`c:strCache`), which is what
PowerPoint shows, so the embedded workbook is never opened. Reading the XML directly (rather than
through python-pptx's plot objects) also covers plot types python-pptx does not model (3-D bars,
stock, surface) and never adds elements to the tree as python-pptx's getters sometimes do.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from deckmine.extractors.model import ChartSeries
from lxml import etree
from pptx.chart.chart import Chart
from pptx.chart.plot import PlotFactory, PlotTypeInspector

C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
NSMAP = {"c": C_NS, "a": A_NS}
GENERAL_FORMAT = "General"
# A series or category axis is as long as its points reach (`ptCount` may claim any number), and
# never longer than this: slide charts have tens of points.
MAX_POINTS = 10_000

_xpath = {
    "title_paragraphs": etree.XPath("c:chart/c:title/c:tx/c:rich/a:p", namespaces=NSMAP),
    "title_present": etree.XPath("c:chart/c:title", namespaces=NSMAP),
    "auto_title_deleted": etree.XPath("c:chart/c:autoTitleDeleted/@val", namespaces=NSMAP),
    "plot_area": etree.XPath("c:chart/c:plotArea", namespaces=NSMAP),
    "series": etree.XPath("c:ser", namespaces=NSMAP),
    "series_order": etree.XPath("c:order/@val", namespaces=NSMAP),
    "series_name": etree.XPath("c:tx//c:v/text()", namespaces=NSMAP),
    "values_points": etree.XPath("(c:val|c:yVal)//c:pt", namespaces=NSMAP),
    "values_count": etree.XPath("(c:val|c:yVal)//c:ptCount/@val", namespaces=NSMAP),
    "values_format": etree.XPath("(c:val|c:yVal)//c:formatCode/text()", namespaces=NSMAP),
    "series_label_format": etree.XPath("c:dLbls/c:numFmt", namespaces=NSMAP),
    "plot_label_format": etree.XPath("c:dLbls/c:numFmt", namespaces=NSMAP),
    "value_axis_format": etree.XPath(
        "c:chart/c:plotArea/c:valAx/c:numFmt/@formatCode", namespaces=NSMAP
    ),
    "leaf_categories": etree.XPath("(c:cat|c:xVal)//c:lvl[1]/c:pt", namespaces=NSMAP),
    "flat_categories": etree.XPath("(c:cat|c:xVal)//c:pt", namespaces=NSMAP),
    "categories_count": etree.XPath("(c:cat|c:xVal)//c:ptCount/@val", namespaces=NSMAP),
    "point_value": etree.XPath("c:v/text()", namespaces=NSMAP),
    "run_text": etree.XPath(".//a:t/text()", namespaces=NSMAP),
}


@dataclass
class ChartData:
    """What a chart shows: its title, plot type(s), categories and series."""

    title: str | None = None
    chart_type: str | None = None
    categories: list[str] = field(default_factory=list)
    series: list[ChartSeries] = field(default_factory=list)
    plot_count: int = 0


def read_chart(chart: Chart) -> ChartData:
    """Return the cached data of a python-pptx `Chart`. Series of every plot are included, in plot
    order; categories come from the first plot that has any."""
    chart_space = chart._chartSpace
    data = ChartData()
    plot_elements = _plot_elements(chart_space)
    data.plot_count = len(plot_elements)
    axis_formats = _xpath["value_axis_format"](chart_space)
    axis_format = axis_formats[0] if axis_formats else None

    chart_types: list[str] = []
    for plot_element in plot_elements:
        plot_type = _plot_type_name(plot_element, chart)
        if plot_type not in chart_types:
            chart_types.append(plot_type)
        series_elements = sorted(_xpath["series"](plot_element), key=_series_order)
        if not data.categories and series_elements:
            data.categories = _categories(series_elements[0])
        plot_label_formats = _xpath["plot_label_format"](plot_element)
        plot_label_format = _explicit_format(plot_label_formats[0]) if plot_label_formats else None
        for series_element in series_elements:
            data.series.append(_series(series_element, plot_label_format, axis_format))
    data.chart_type = "+".join(chart_types) if chart_types else None
    data.title = _title(chart_space, data.series)
    return data


def _plot_elements(chart_space: etree._Element) -> list[etree._Element]:
    """The plot-area children that are plots (`c:barChart`, `c:lineChart`, ...), in order."""
    plot_areas = _xpath["plot_area"](chart_space)
    if not plot_areas:
        return []
    return [
        child
        for child in plot_areas[0]
        if isinstance(child.tag, str) and etree.QName(child).localname.endswith("Chart")
    ]


def _plot_type_name(plot_element: etree._Element, chart: Chart) -> str:
    try:
        return PlotTypeInspector.chart_type(PlotFactory(plot_element, chart)).name
    except (ValueError, KeyError, NotImplementedError, AttributeError):
        # a plot type python-pptx does not model: name it after its XML tag, e.g. BAR3DCHART
        return etree.QName(plot_element).localname.upper()


def _series_order(series_element: etree._Element) -> int:
    order = _xpath["series_order"](series_element)
    return int(order[0]) if order else 0


def _series(
    series_element: etree._Element, plot_label_format: str | None, axis_format: str | None
) -> ChartSeries:
    names = _xpath["series_name"](series_element)
    points = _xpath["values_points"](series_element)
    count = _point_count(_xpath["values_count"](series_element), points)
    values: list[float | None] = [None] * count
    for point in points:
        index = _index(point)
        text = _xpath["point_value"](point)
        if 0 <= index < count and text:
            values[index] = _to_float(text[0])
    label_formats = _xpath["series_label_format"](series_element)
    number_format = _choose_format(
        [
            *_xpath["values_format"](series_element)[:1],
            _explicit_format(label_formats[0]) if label_formats else None,
            plot_label_format,
            axis_format,
        ]
    )
    name = names[0].strip() if names else ""
    return ChartSeries(name=name, values=values, number_format=number_format)


def _categories(series_element: etree._Element) -> list[str]:
    points = _xpath["leaf_categories"](series_element) or _xpath["flat_categories"](series_element)
    count = _point_count(_xpath["categories_count"](series_element), points)
    labels = [""] * count
    for point in points:
        index = _index(point)
        text = _xpath["point_value"](point)
        if 0 <= index < count and text:
            labels[index] = text[0].strip()
    return labels


def _title(chart_space: etree._Element, series: list[ChartSeries]) -> str | None:
    paragraphs = _xpath["title_paragraphs"](chart_space)
    if paragraphs:
        lines = ["".join(_xpath["run_text"](p)).strip() for p in paragraphs]
        text = "\n".join(line for line in lines if line)
        return text or None
    # A title element without text shows the only series' name (PowerPoint's automatic title).
    deleted = _xpath["auto_title_deleted"](chart_space)
    if _xpath["title_present"](chart_space) and len(series) == 1 and deleted[:1] != ["1"]:
        return series[0].name or None
    return None


def _explicit_format(num_fmt: etree._Element) -> str | None:
    """A data-label `c:numFmt` counts only when it is not just 'linked to source'."""
    if num_fmt.get("sourceLinked") in ("1", "true"):
        return None
    return num_fmt.get("formatCode")


def _choose_format(candidates: list[str | None]) -> str | None:
    """The first specific format; 'General' only when nothing more specific is given."""
    seen_general = False
    for candidate in candidates:
        if not candidate:
            continue
        if candidate == GENERAL_FORMAT:
            seen_general = True
            continue
        return candidate
    return GENERAL_FORMAT if seen_general else None


def _index(point: etree._Element) -> int:
    try:
        return int(point.get("idx", "0"))
    except ValueError:
        return -1


def _point_count(declared: list[str], points: list[etree._Element]) -> int:
    """How many slots a series or axis has: what `ptCount` declares, but no more than its points
    reach (the highest `idx` present + 1) nor MAX_POINTS; a bogus count costs nothing."""
    reach = max((_index(point) + 1 for point in points), default=0)
    try:
        count = int(declared[0]) if declared else reach
    except ValueError:
        count = reach
    return max(0, min(count, reach, MAX_POINTS))


def _to_float(text: str) -> float | None:
    """A point's value; None for text that is no number and for inf/nan (`1e309` overflows to
    inf), which are no figures."""
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None
