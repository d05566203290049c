"""Charts of a corpus slide: native PPTX charts (bar, hbar, line, pie) with their embedded data."""

from __future__ import annotations

from corpus_spec import CHART_TYPES, ChartSpec
from corpus_style import FONT_NAME, set_east_asian_fonts, style_run
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_LEGEND_POSITION
from pptx.oxml.ns import qn
from pptx.util import Cm, Pt


def _style_chart_text(chart, size: float) -> None:
    chart.font.size = Pt(size)
    chart.font.name = FONT_NAME
    for rpr in chart._chartSpace.iter(qn("a:defRPr")):
        set_east_asian_fonts(rpr)


def add_chart(shapes, spec: ChartSpec) -> None:
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
            style_run(run, 16, True, None)
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
