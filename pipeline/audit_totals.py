"""Checks that figures add up: stated totals against their parts, in text and in tables.

- text: a total with its parts in brackets (`應執行處遇人數155人(完成處遇82人、…)`), which the miner
  marks with `attributes.group` and `attributes.role` ('total' | 'part');
- tables: a `合計`/`小計`/`總計` row or column against the sum of its parts, an `增加人數` row against
  the difference of the two rows above, an `增加率` row against (this − last) / last × 100 (or the
  formula in its label), and percentages of a row that split one whole against 100.

Whole counts must add up exactly; rounded figures may drift by half a unit each. Every check gives
`ok` (or `ok_truncated` for a growth rate only truncation explains) or `sum_mismatch`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from pipeline.audit_findings import Metric, attributes_of, make_finding, name_of, with_unit
from pipeline.audit_numbers import (
    HUNDRED,
    Reported,
    compare_reported,
    format_number,
    parse_reported,
    shown_decimals,
    sum_tolerance,
)

TOTAL_WORDS = ("合計", "總計", "共計", "總和")
SUBTOTAL_WORDS = ("小計",)
GROWTH_WORDS = ("增加率", "成長率", "增減率", "增長率", "減少率")
DIFFERENCE_WORDS = ("增加人數", "增加人次", "增加數", "增減數", "增減", "差異", "減少人數", "減少數")
NON_ADDITIVE_WORDS = ("率", "平均", "比例", "比率", "百分比", "占比", "佔比")
PERCENT_UNITS = ("%", "％")
SPLIT_NEAR_100 = Fraction(3)  # a row of percentages this close to 100 is taken to split one whole


def check_text_totals(metrics: Sequence[Metric], document_id: str) -> list[dict[str, Any]]:
    """Totals written with their parts in text: the parts must add up to the total."""
    groups: dict[tuple[Any, str], list[Metric]] = defaultdict(list)
    for metric in metrics:
        group = attributes_of(metric).get("group")
        if group is not None and metric.get("source") != "table":
            groups[(metric.get("page"), str(group))].append(metric)
    findings = []
    for members in groups.values():
        totals = [m for m in members if attributes_of(m).get("role") == "total"]
        parts = [m for m in members if attributes_of(m).get("role") == "part"]
        if len(totals) != 1 or not parts:
            continue
        total = totals[0]
        parts = [p for p in parts if _is_percent(p) == _is_percent(total)]
        finding = _sum_finding("text_total", document_id, total, parts, name_of(total))
        if finding:
            findings.append(finding)
    return findings


@dataclass
class Cell:
    metric: Metric
    row: int
    col: int
    row_header: str
    col_header: str
    reported: Reported
    percent: bool


@dataclass
class Table:
    cells: dict[tuple[int, int], Cell]

    def rows(self) -> list[int]:
        return sorted({row for row, _ in self.cells})

    def cols(self) -> list[int]:
        return sorted({col for _, col in self.cells})

    def row_header(self, row: int) -> str:
        return next((c.row_header for (r, _), c in self.cells.items() if r == row and c.row_header), "")

    def col_header(self, col: int) -> str:
        return next((c.col_header for (_, k), c in self.cells.items() if k == col and c.col_header), "")


def check_tables(metrics: Sequence[Metric], document_id: str) -> list[dict[str, Any]]:
    """Totals, differences, growth rates and percentage splits of every mined table."""
    findings: list[dict[str, Any]] = []
    for table in _tables(metrics):
        findings += _row_totals(table, document_id)
        findings += _column_totals(table, document_id)
        findings += _differences(table, document_id)
        findings += _growth_rates(table, document_id)
        findings += _percent_splits(table, document_id)
    return findings


def _tables(metrics: Sequence[Metric]) -> list[Table]:
    grouped: dict[tuple[Any, ...], dict[tuple[int, int], Cell]] = defaultdict(dict)
    for metric in metrics:
        attributes = attributes_of(metric)
        if metric.get("source") != "table" or attributes.get("row") is None or attributes.get("col") is None:
            continue
        reported = parse_reported(metric.get("value_text"), metric.get("value"))
        if reported is None:
            continue
        key = (metric.get("page"), attributes.get("table_id", metric.get("block_index")))
        cell = Cell(
            metric=metric,
            row=int(attributes["row"]),
            col=int(attributes["col"]),
            row_header=str(attributes.get("row_header") or ""),
            col_header=str(attributes.get("col_header") or ""),
            reported=reported,
            percent=_is_percent(metric),
        )
        grouped[key].setdefault((cell.row, cell.col), cell)
    return [Table(cells) for cells in grouped.values()]


def _is_percent(metric: Metric) -> bool:
    return (metric.get("unit") or "") in PERCENT_UNITS or str(metric.get("value_text") or "").endswith(PERCENT_UNITS)


def _row_kind(header: str) -> str:
    if any(word in header for word in GROWTH_WORDS):
        return "growth"
    if any(word in header for word in DIFFERENCE_WORDS):
        return "difference"
    if any(word in header for word in SUBTOTAL_WORDS):
        return "subtotal"
    if any(word in header for word in TOTAL_WORDS):
        return "total"
    return "data"


def _col_kind(header: str) -> str:
    if any(word in header for word in SUBTOTAL_WORDS):
        return "subtotal"
    if any(word in header for word in TOTAL_WORDS):
        return "total"
    if any(word in header for word in NON_ADDITIVE_WORDS):
        return "non_additive"
    return "data"


def _row_totals(table: Table, document_id: str) -> list[dict[str, Any]]:
    findings = []
    rows = table.rows()
    kinds = {row: _row_kind(table.row_header(row)) for row in rows}
    for total_row in rows:
        if kinds[total_row] not in ("total", "subtotal"):
            continue
        if kinds[total_row] == "subtotal":
            above = [r for r in rows if r < total_row]
            start = max((r for r in above if kinds[r] in ("total", "subtotal")), default=-1)
            part_rows = [r for r in above if r > start and kinds[r] == "data"]
        else:
            part_rows = [r for r in rows if kinds[r] == "data"]
        for col in table.cols():
            total = table.cells.get((total_row, col))
            if total is None or _col_kind(table.col_header(col)) == "non_additive":
                continue
            parts = [table.cells.get((r, col)) for r in part_rows]
            if len(parts) < 2 or any(p is None or p.percent != total.percent for p in parts):
                continue
            if total.percent and total.reported.value != HUNDRED:
                continue  # only a 100% total says its percentages split one whole
            label = f"{table.row_header(total_row)} {table.col_header(col)}".strip()
            finding = _sum_finding(
                "table_total", document_id, total.metric, [p.metric for p in parts if p], label
            )
            if finding:
                findings.append(finding)
    return findings


def _column_totals(table: Table, document_id: str) -> list[dict[str, Any]]:
    findings = []
    cols = table.cols()
    kinds = {col: _col_kind(table.col_header(col)) for col in cols}
    part_cols = [c for c in cols if kinds[c] == "data"]
    for total_col in cols:
        if kinds[total_col] != "total":
            continue
        for row in table.rows():
            total = table.cells.get((row, total_col))
            if total is None or total.percent or _row_kind(table.row_header(row)) in ("growth", "difference"):
                continue
            parts = [table.cells.get((row, c)) for c in part_cols]
            parts = [p for p in parts if p is not None and not p.percent]
            if len(parts) < 2:
                continue
            label = f"{table.row_header(row)} {table.col_header(total_col)}".strip()
            finding = _sum_finding("table_total", document_id, total.metric, [p.metric for p in parts], label)
            if finding:
                findings.append(finding)
    return findings


def _two_rows_above(table: Table, row: int) -> tuple[int, int] | None:
    data_rows = [r for r in table.rows() if r < row and _row_kind(table.row_header(r)) == "data"]
    return (data_rows[-2], data_rows[-1]) if len(data_rows) >= 2 else None


def _differences(table: Table, document_id: str) -> list[dict[str, Any]]:
    findings = []
    for row in table.rows():
        if _row_kind(table.row_header(row)) != "difference":
            continue
        pair = _two_rows_above(table, row)
        if pair is None:
            continue
        for col in table.cols():
            stated = table.cells.get((row, col))
            earlier, later = table.cells.get((pair[0], col)), table.cells.get((pair[1], col))
            if stated is None or earlier is None or later is None:
                continue
            computed = later.reported.value - earlier.reported.value
            tolerance = sum_tolerance([earlier.reported, later.reported], stated.reported)
            gap = computed - stated.reported.value
            ok = abs(gap) <= tolerance
            expression = f"{later.reported.text}-{earlier.reported.text}"
            shown = format_number(computed)
            label = f"{table.row_header(row)} {table.col_header(col)}".strip()
            message = (
                f"{label} {with_unit(stated.metric)}: {expression} = {shown}"
                + (", as reported" if ok else f", not {stated.reported.text}")
            )
            findings.append(make_finding(
                "table_difference", "ok" if ok else "sum_mismatch", document_id,
                [stated.metric, later.metric, earlier.metric],
                reported=stated.reported.value, computed=computed, difference=gap,
                expression=f"{expression} = {shown}", message=message,
            ))
    return findings


def _growth_rates(table: Table, document_id: str) -> list[dict[str, Any]]:
    findings = []
    for row in table.rows():
        header = table.row_header(row)
        if _row_kind(header) != "growth":
            continue
        pair = _two_rows_above(table, row)
        if pair is None:
            continue
        for (cell_row, cell_col), stated in sorted(table.cells.items()):
            if cell_row != row:
                continue
            col = _column_named_in(table, header) or cell_col
            earlier, later = table.cells.get((pair[0], col)), table.cells.get((pair[1], col))
            if earlier is None or later is None:
                continue
            base = later if _divides_by_current(header) else earlier
            expression = f"({later.reported.text}-{earlier.reported.text})/{base.reported.text}×100"
            if base.reported.value == 0:
                continue
            computed = (later.reported.value - earlier.reported.value) / base.reported.value * HUNDRED
            status = compare_reported(stated.reported, computed)
            shown = format_number(computed, shown_decimals(stated.reported.decimals))
            verdict = {
                "ok": "consistent when rounded",
                "ok_truncated": "consistent only when truncated (not an error)",
                "mismatch": f"off by {format_number(computed - stated.reported.value, 2)} percentage points",
            }[status]
            findings.append(make_finding(
                "table_growth_rate", "sum_mismatch" if status == "mismatch" else status, document_id,
                [stated.metric, later.metric, earlier.metric],
                reported=stated.reported.value, computed=computed,
                difference=computed - stated.reported.value, expression=expression,
                message=f"{_short(header)} {with_unit(stated.metric)} vs {expression} = {shown}%: {verdict}",
            ))
    return findings


def _column_named_in(table: Table, text: str) -> int | None:
    """The column whose header the label's formula names (the longest such header)."""
    named = [(len(table.col_header(c)), c) for c in table.cols() if table.col_header(c) and table.col_header(c) in text]
    return max(named)[1] if named else None


def _divides_by_current(header: str) -> bool:
    """True when the label's formula divides by this year's figure (`/ 當年…`), not last year's."""
    match = re.search(r"/\s*[(（]?\s*(當年|今年|本年|本期)", header)
    return match is not None


def _percent_splits(table: Table, document_id: str) -> list[dict[str, Any]]:
    findings = []
    total_cols = {c for c in table.cols() if _col_kind(table.col_header(c)) in ("total", "subtotal")}
    for row in table.rows():
        if _row_kind(table.row_header(row)) in ("growth", "difference"):
            continue
        cells = [table.cells[(r, c)] for (r, c) in sorted(table.cells) if r == row]
        parts = [cell for cell in cells if cell.percent and cell.col not in total_cols]
        if len(parts) < 2:
            continue
        stated_total = next((cell for cell in cells if cell.percent and cell.col in total_cols), None)
        computed = sum((cell.reported.value for cell in parts), Fraction(0))
        tolerance = sum((cell.reported.half_unit for cell in parts), Fraction(0))
        gap = computed - HUNDRED
        explicit = stated_total is not None and stated_total.reported.value == HUNDRED
        if not explicit and abs(gap) > tolerance + SPLIT_NEAR_100:
            continue  # these percentages do not split one whole
        ok = abs(gap) <= tolerance
        expression = "+".join(cell.reported.text for cell in parts)
        shown = format_number(computed)
        label = table.row_header(row) or "row"
        message = (
            f"{label}: shares {expression} = {shown}%"
            + (", 100% within rounding" if ok else f", not 100% (off by {format_number(gap)} points)")
        )
        metrics = [stated_total.metric] if stated_total else []
        findings.append(make_finding(
            "percent_split", "ok" if ok else "sum_mismatch", document_id,
            metrics + [cell.metric for cell in parts],
            reported=HUNDRED, computed=computed, difference=gap,
            expression=f"{expression} = {shown}", message=message,
        ))
    return findings


def _sum_finding(
    check: str, document_id: str, total: Metric, parts: Sequence[Metric], label: str
) -> dict[str, Any] | None:
    total_reported = parse_reported(total.get("value_text"), total.get("value"))
    parts_reported = [parse_reported(p.get("value_text"), p.get("value")) for p in parts]
    if total_reported is None or not parts or any(p is None for p in parts_reported):
        return None
    known = [p for p in parts_reported if p is not None]
    computed = sum((p.value for p in known), Fraction(0))
    gap = computed - total_reported.value
    ok = abs(gap) <= sum_tolerance(known, total_reported)
    expression = "+".join(p.text for p in known)
    shown = format_number(computed)
    message = f"{label} {with_unit(total)}: {expression} = {shown}" + (
        ", the parts add up" if ok else f", not {total_reported.text} (off by {format_number(gap)})"
    )
    return make_finding(
        check, "ok" if ok else "sum_mismatch", document_id, [total, *parts],
        reported=total_reported.value, computed=computed, difference=gap,
        expression=f"{expression} = {shown}", message=message,
    )


def _short(text: str, limit: int = 24) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
