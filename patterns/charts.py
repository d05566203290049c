r"""Mine chart data points (PPTX charts carry their numbers; a PDF export does not).

Every non-empty point of every series is a `Metric`: the label is the series name plus the chart
title, the period comes from the category when it is a date (`107年`, `112年1-3月`), the kind
from the series name (`目標值`) or cue words in the category (`112年(預估)` is a forecast).

Number formats are read by the OOXML grammar (`NumberFormat.parse`): the first section only,
`"…"` literals and `\` escapes are text, `[…]` conditions and colours, `_x` and `*x` are skipped,
and only a `%` outside quotes scales the value (0.875 with `0.0%` shows 87.5). A literal percent
sign (`0"%"`, `0\%`) shows the value as it is (45 is 45%). Otherwise the unit is a unit word in
the format's literal suffix, the title or the series name (`人力進用（名）`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from deckmine.extractors.model import ChartBlock, ChartSeries
from deckmine.patterns.kind import kind_of_label
from deckmine.patterns.metric import Metric
from deckmine.patterns.table_model import table_words
from deckmine.patterns.text_spans import periods_in
from deckmine.patterns.text_units import unit_in_label

_PLACEHOLDERS = "0#?"


@dataclass(frozen=True)
class NumberFormat:
    """What an Excel/OOXML number format code shows: decimals, `%` scaling, thousands separator
    and the literal text after the number."""

    decimals: int | None = None
    scales_percent: bool = False
    thousands: bool = False
    suffix: str = ""

    @property
    def literal_percent(self) -> bool:
        return not self.scales_percent and self.suffix.strip().startswith(("%", "％"))

    @classmethod
    def parse(cls, code: str | None) -> NumberFormat:
        if not code or code == "General":
            return cls()
        reading = _Reading()
        for kind, text in _format_tokens(code):
            if kind == "literal":
                if reading.seen_digit:
                    reading.suffix.append(text)
            else:
                reading.read(text)
        decimals = reading.decimals if reading.decimals is not None else (0 if reading.seen_digit else None)
        return cls(decimals, reading.scales, reading.thousands, "".join(reading.suffix))

    def show(self, value: float) -> str:
        """The value as the format displays it (after `%` scaling), without the literal text."""
        if self.decimals is None and not float(value).is_integer():
            return f"{value:.10g}"
        quantum = Decimal(1).scaleb(-(self.decimals or 0))
        shown = Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP)
        return f"{shown:,f}" if self.thousands else f"{shown:f}"


@dataclass
class _Reading:
    """What `NumberFormat.parse` has read so far of a format's first section."""

    decimals: int | None = None
    scales: bool = False
    thousands: bool = False
    seen_digit: bool = False
    in_fraction: bool = False
    suffix: list[str] = field(default_factory=list)

    def read(self, char: str) -> None:
        """One character outside quotes, escapes, brackets and `_x`/`*x`."""
        if char in _PLACEHOLDERS:
            self.seen_digit = True
            if self.in_fraction:
                self.decimals = (self.decimals or 0) + 1
        elif char == "." and self.seen_digit:
            self.in_fraction, self.decimals = True, self.decimals or 0
        elif char == "," and self.seen_digit and not self.in_fraction:
            self.thousands = True
        elif char == "%":
            self.scales = True
        elif self.seen_digit and char not in "Ee+-":
            self.suffix.append(char)


def _format_tokens(code: str) -> Iterator[tuple[str, str]]:
    """The first section of a format code as (`literal`, text) for `"…"` and `\\x`, and
    (`char`, c) for the rest; `[…]` conditions and colours, `_x` and `*x` are skipped."""
    i = 0
    while i < len(code) and code[i] != ";":
        char = code[i]
        if char == '"':
            end = code.find('"', i + 1)
            end = len(code) if end < 0 else end
            yield "literal", code[i + 1 : end]
            i = end + 1
        elif char == "\\" and i + 1 < len(code):
            yield "literal", code[i + 1]
            i += 2
        elif char == "[":
            end = code.find("]", i)
            i = len(code) if end < 0 else end + 1
        elif char in "_*":
            i += 2
        else:
            yield "char", char
            i += 1


def mine_chart(block: ChartBlock, page: int, block_index: int) -> list[Metric]:
    metrics: list[Metric] = []
    title = (block.title or "").strip()
    kind_labels = table_words().get("kind_label", ())
    # a chart with a `目標值` series measures one indicator, the title's, in every series
    one_indicator = any(series.name.strip() in kind_labels for series in block.series)
    for series_index, series in enumerate(block.series):
        number_format = NumberFormat.parse(series.number_format)
        chart_series = _Series(series_index, series, number_format, _series_unit(number_format, title, series),
                               _title_head(title) if one_indicator else series.name.strip())
        for point_index, raw in enumerate(series.values):
            if raw is not None and math.isfinite(raw):
                metrics.append(_point_metric(block, page, block_index, chart_series, point_index, raw))
    return metrics


@dataclass(frozen=True)
class _Series:
    index: int
    series: ChartSeries
    number_format: NumberFormat
    unit: str | None
    indicator: str


def _series_unit(number_format: NumberFormat, title: str, series: ChartSeries) -> str | None:
    """`%` for a percent format, else a unit word of the format's suffix, the title or the name."""
    if number_format.scales_percent or number_format.literal_percent:
        return "%"
    return unit_in_label(number_format.suffix.strip()) or unit_in_label(title) or unit_in_label(series.name)


def _point_metric(block: ChartBlock, page: int, block_index: int, chart: _Series, point_index: int,
                  raw: float) -> Metric:
    title = (block.title or "").strip()
    series, number_format = chart.series, chart.number_format
    percent = number_format.scales_percent or number_format.literal_percent
    category = block.categories[point_index] if point_index < len(block.categories) else ""
    value_text = number_format.show(raw * 100 if number_format.scales_percent else raw)
    category_kind = kind_of_label(category)
    metric = Metric(
        page=page,
        block_index=block_index,
        source="chart",
        indicator=chart.indicator or None,
        label=" ".join(part for part in (series.name.strip(), title) if part) or None,
        value=float(value_text.replace(",", "")),
        value_text=value_text,
        unit=chart.unit,
        kind=category_kind if category_kind != "actual" else kind_of_label(series.name),
        snippet=f"{title} {category} {series.name}: {value_text}{'%' if percent else ''}".strip(),
        bbox=block.bbox.as_list() if block.bbox else None,
        attributes={"category": category, "series": series.name, "order": chart.index * 1000 + point_index},
    )
    periods = periods_in(category) or periods_in(title)
    if periods:
        from deckmine.patterns.linking import apply_period

        apply_period(metric, periods[-1], "category" if periods_in(category) else "chart title")
    return metric


def _title_head(title: str) -> str:
    """The indicator a chart title names, without its unit bracket and dates."""
    text = re.sub(r"[(（][^()（）]*[)）]\s*$", "", title)
    for period in reversed(periods_in(text)):
        text = text[: period.char_start] + text[period.char_end :]
    return text.strip()
