"""Mine chart data points (PPTX charts carry their numbers; a PDF export does not).

Every non-empty point of every series is a `Metric`: the label is the series name plus the chart
title, the period comes from the category when it is a date (`107年`, `112年1-3月`), the kind
from cue words in the category (`112年(預估)` is a forecast). The unit is `%` when the number
format contains `%` (values are stored as shown: 0.875 with `0.0%` becomes 87.5), else a unit
word written in the title or series name (`人力進用（名）`).
"""

from __future__ import annotations

import re

from extractors.model import ChartBlock
from patterns.indicators import periods_in, unit_in_label
from patterns.kind import kind_of_label
from patterns.metric import Metric

_DECIMALS = re.compile(r"0\.(0+)")


def mine_chart(block: ChartBlock, page: int, block_index: int) -> list[Metric]:
    metrics: list[Metric] = []
    title = (block.title or "").strip()
    for series_index, series in enumerate(block.series):
        percent = "%" in (series.number_format or "")
        unit = "%" if percent else unit_in_label(title) or unit_in_label(series.name)
        for point_index, raw in enumerate(series.values):
            if raw is None:
                continue
            category = block.categories[point_index] if point_index < len(block.categories) else ""
            value = raw * 100 if percent else raw
            value_text = _as_shown(value, series.number_format, percent)
            value = float(value_text.replace(",", ""))
            label = " ".join(part for part in (series.name.strip(), title) if part) or None
            metric = Metric(
                page=page,
                block_index=block_index,
                source="chart",
                indicator=series.name.strip() or None,
                label=label,
                value=value,
                value_text=value_text,
                unit=unit,
                kind=kind_of_label(category),
                snippet=f"{title} {category} {series.name}: {value_text}{'%' if percent else ''}".strip(),
                bbox=block.bbox.as_list() if block.bbox else None,
                attributes={"category": category, "series": series.name, "order": series_index * 1000 + point_index},
            )
            periods = periods_in(category)
            if periods:
                from patterns.linking import apply_period

                apply_period(metric, periods[-1], "category")
            metrics.append(metric)
    return metrics


def _as_shown(value: float, number_format: str | None, percent: bool) -> str:
    match = _DECIMALS.search(number_format or "")
    if match:
        decimals = len(match.group(1))
    elif percent or float(value).is_integer():
        decimals = 0
    else:
        return f"{value:.10g}"
    return f"{value:,.{decimals}f}" if "," in (number_format or "") else f"{value:.{decimals}f}"

