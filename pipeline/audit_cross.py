"""The cross-document check: one figure, two decks, two values.

Figures are compared when they share county, indicator, period (start and end), kind and unit,
and their labels do not name different things (one label contains the other).
Two printed values agree when the intervals their decimals allow overlap (`70.7` and `71` can be the
same 70.69%), rounding or truncation. A deck that prints several different values under one key
(a table with a row per group) is compared by label instead; if that is still ambiguous the key is
skipped rather than guessed. The PDF and PPTX of one deck agree with each other and give nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from fractions import Fraction
from itertools import combinations
from pathlib import Path
from typing import Any

import duckdb
from deckmine.patterns.normalize import fold_tai
from deckmine.pipeline.audit_findings import Metric, make_finding, with_unit
from deckmine.pipeline.audit_numbers import Reported, format_number, parse_reported

CANDIDATES_SQL = """
    SELECT m.metric_id, m.document_id, m.page, m.indicator, m.label, coalesce(m.kind, 'actual') AS kind,
           coalesce(m.unit, '') AS unit, m.value, m.value_text, m.period_start, m.period_end,
           m.period_text, coalesce(m.county, d.county) AS county, m.snippet,
           m.bbox, m.source, d.file_name, d.title, d.report_date
    FROM metrics m JOIN documents d USING (document_id)
    WHERE m.indicator IS NOT NULL AND m.period_start IS NOT NULL AND m.period_end IS NOT NULL
      AND coalesce(m.county, d.county) IS NOT NULL AND m.value IS NOT NULL
    ORDER BY m.document_id, m.page, m.metric_id
"""


def check_cross_document(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """`cross_document` findings over the whole warehouse, one per disagreeing pair of decks."""
    rows = con.execute(CANDIDATES_SQL).df().to_dict("records")
    by_key: dict[tuple[Any, ...], dict[str, list[Metric]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        row["county"] = fold_tai(row["county"])  # variant spellings folded, as the gazetteer matches
        key = (row["county"], row["indicator"], str(row["period_start"]), str(row["period_end"]), row["kind"], row["unit"])
        by_key[key][row["document_id"]].append(row)
    findings = []
    for key, per_document in by_key.items():
        for label_key, chosen in _comparable(per_document).items():
            for first, second in combinations(sorted(chosen.values(), key=_deck_order), 2):
                if (
                    first["document_id"] != second["document_id"]
                    and _same_figure(first, second)
                    and not _agree(first, second)
                ):
                    findings.append(_finding(key, label_key, second, first))
    return findings


def _comparable(per_document: dict[str, list[Metric]]) -> dict[str | None, dict[str, Metric]]:
    """For each comparison key (None = the whole key, else a label), one figure per document."""
    chosen: dict[str | None, dict[str, Metric]] = defaultdict(dict)
    for document_id, metrics in per_document.items():
        if _single_valued(metrics):
            chosen[None][document_id] = _representative(metrics)
            continue
        by_label: dict[str, list[Metric]] = defaultdict(list)
        for metric in metrics:
            if metric.get("label"):
                by_label[str(metric["label"])].append(metric)
        for label, labelled in by_label.items():
            if _single_valued(labelled):
                chosen[label][document_id] = _representative(labelled)
    return chosen


def _same_figure(first: Metric, second: Metric) -> bool:
    """Two figures under one head are the same indicator only if their labels agree: one label
    contains the other (`進用率` and `心衛社工進用率`); `平均接案服務人次` and `持續服務人次` are not."""
    a, b = str(first.get("label") or ""), str(second.get("label") or "")
    return not a or not b or a in b or b in a


def _single_valued(metrics: Sequence[Metric]) -> bool:
    return all(_agree(metrics[0], other) for other in metrics[1:])


def _representative(metrics: Sequence[Metric]) -> Metric:
    """Prefer a figure on a slide over one in the speaker notes."""
    return min(metrics, key=lambda m: (m.get("source") == "notes", m.get("page") or 0))


def _interval(metric: Metric) -> tuple[Fraction, Fraction] | None:
    """What a printed value may stand for: a whole count only itself; a percentage or a figure with
    decimals anything that rounds or truncates to it, [v - u/2, v + u]."""
    reported = _reported(metric)
    if reported is None:
        return None
    if reported.decimals == 0 and metric.get("unit") not in ("%", "％"):
        return reported.value, reported.value
    return reported.value - reported.half_unit, reported.value + reported.unit


def _reported(metric: Metric) -> Reported | None:
    return parse_reported(metric.get("value_text"), metric.get("value"))


def _agree(first: Metric, second: Metric) -> bool:
    a, b = _interval(first), _interval(second)
    if a is None or b is None:
        return True
    return a[0] <= b[1] and b[0] <= a[1]


def _deck_order(metric: Metric) -> tuple[str, str]:
    return (str(metric.get("report_date") or ""), str(metric.get("file_name") or ""))


def _same_deck(first: Metric, second: Metric) -> bool:
    """The PDF and PPTX of one deck: same file stem, or same title and report date."""
    if Path(str(first.get("file_name"))).stem == Path(str(second.get("file_name"))).stem:
        return True
    return bool(first.get("title")) and first.get("title") == second.get("title") and (
        first.get("report_date") == second.get("report_date")
    )


def _finding(key: tuple[Any, ...], label: str | None, later: Metric, earlier: Metric) -> dict[str, Any]:
    county, indicator, start, end, kind, unit = key
    period = later.get("period_text") or f"{start}..{end}"
    what = f"{county} {label or indicator} ({period}, {kind})"
    twin = "; the two files are the same deck in two formats" if _same_deck(later, earlier) else ""
    message = (
        f"{what}: {with_unit(later)} in {later.get('file_name')} p.{later.get('page')} but "
        f"{with_unit(earlier)} in {earlier.get('file_name')} p.{earlier.get('page')}{twin}"
    )
    later_value, earlier_value = _reported(later), _reported(earlier)
    reported = later_value.value if later_value else None
    computed = earlier_value.value if earlier_value else None
    return make_finding(
        "cross_document", "cross_document", later.get("document_id"), [later, earlier],
        reported=reported, computed=computed,
        difference=(reported - computed) if reported is not None and computed is not None else None,
        expression=f"{format_number(reported)} vs {format_number(computed)}",
        message=message,
    )
