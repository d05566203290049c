"""Building finding rows (the columns of the `findings` table) the same way for every check.

A finding's id is a hash of its check, document and metric ids, so re-running the audit on the
same metrics gives the same ids. Severity follows from the status alone.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

SEVERITY = {
    "ok": "info",
    "ok_truncated": "info",
    "target_met": "info",
    "not_computable": "info",
    "possible_misread": "warning",
    "reversed": "warning",
    "target_missed": "warning",
    "cross_document": "warning",
    "mismatch": "error",
    "sum_mismatch": "error",
}

STATUS_ORDER = (
    "mismatch", "sum_mismatch", "reversed", "possible_misread", "target_missed", "cross_document",
    "ok_truncated", "not_computable", "target_met", "ok",
)

Metric = Mapping[str, Any]


def finding_id(check: str, document_id: str | None, metric_ids: Sequence[str]) -> str:
    key = "|".join([check, document_id or "", *metric_ids])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def attributes_of(metric: Metric) -> dict[str, Any]:
    """A metric's attributes whether they come from the miner (dict) or the warehouse (JSON)."""
    raw = metric.get("attributes")
    if isinstance(raw, Mapping):
        return dict(raw)
    if isinstance(raw, str) and raw.strip():
        try:
            parsed = json.loads(raw)
        except json.JSONDecodeError:
            return {}
        return parsed if isinstance(parsed, dict) else {}
    return {}


def name_of(metric: Metric) -> str:
    """What to call a figure in a message: its label as written, else its indicator."""
    fallback = "rate" if (metric.get("unit") or "") in ("%", "％") else "figure"
    return str(metric.get("label") or metric.get("indicator") or fallback).strip()


def with_unit(metric: Metric, text: str | None = None) -> str:
    """The figure as printed with its unit: `71%`, `155人`."""
    shown = text if text is not None else str(metric.get("value_text") or metric.get("value"))
    return f"{shown}{metric.get('unit') or ''}"


def union_bbox(metrics: Sequence[Metric]) -> list[float] | None:
    """The box around the figures on the first figure's page."""
    if not metrics:
        return None
    where = (metrics[0].get("document_id"), metrics[0].get("page"))
    boxes = [
        list(metric["bbox"]) for metric in metrics
        if (metric.get("document_id"), metric.get("page")) == where
        and metric.get("bbox") is not None and len(metric["bbox"]) == 4
    ]
    if not boxes:
        return None
    return [
        min(box[0] for box in boxes), min(box[1] for box in boxes),
        max(box[2] for box in boxes), max(box[3] for box in boxes),
    ]


def make_finding(
    check: str,
    status: str,
    document_id: str | None,
    metrics: Sequence[Metric],
    *,
    reported: Any = None,
    computed: Any = None,
    difference: Any = None,
    expression: str | None = None,
    message: str,
) -> dict[str, Any]:
    """One `findings` row. `metrics[0]` is the figure the finding is about (its page and snippet)."""
    metric_ids = [str(metric.get("metric_id")) for metric in metrics if metric.get("metric_id")]
    primary = metrics[0] if metrics else {}
    return {
        "finding_id": finding_id(check, document_id, metric_ids),
        "check": check,
        "status": status,
        "severity": SEVERITY[status],
        "document_id": document_id,
        "page": primary.get("page"),
        "metric_ids": metric_ids,
        "reported": _as_float(reported),
        "computed": _as_float(computed),
        "difference": _as_float(difference),
        "expression": expression,
        "message": message,
        "snippet": primary.get("snippet"),
        "bbox": union_bbox(metrics),
    }


def _as_float(value: Any) -> float | None:
    if value is None:
        return None
    try:
        return round(float(value), 6)
    except (TypeError, ValueError):
        return None
