"""Checks that figures add up: totals against their parts, in text and in tables.

- text: a total with its parts in brackets (`應執行處遇人數155人(完成處遇82人、…)`), which the miner
  marks with `group_id` and `group_role` ('total' | 'part'), and shares listed after a colon
  (`group_role` 'share' when the list ends with a catch-all, else 'share_listed');
- tables: only the calculations the table's structure declares (`patterns.table_model`, carried
  on each result metric as `calculations`): a total and its declared parts, a difference or
  growth row and the two rows above it, a `count share%` cell against its base, the shares of one
  whole against 100. A calculation the structure leaves open (`undecided`) gives
  `not_computable` with its reason, never `sum_mismatch`.

Whole counts must add up exactly; rounded figures may drift by half a unit each. Every check gives
`ok` (or `ok_truncated` where only truncation explains a rate) or `sum_mismatch` (`mismatch` for
a share against its count and base).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Any

from deckmine.patterns.metric import cell_key
from deckmine.pipeline.audit_findings import Metric, make_finding, name_of, with_unit
from deckmine.pipeline.audit_numbers import (
    HUNDRED,
    RateCheck,
    Reported,
    change_verdict,
    check_rate,
    format_number,
    parse_reported,
    shown_decimals,
    sum_tolerance,
)

PERCENT_UNITS = ("%", "％")


def check_text_totals(metrics: Sequence[Metric], document_id: str) -> list[dict[str, Any]]:
    """Totals written with their parts in text: the parts must add up to the total."""
    groups: dict[tuple[Any, str], list[Metric]] = defaultdict(list)
    for metric in metrics:
        group = metric.get("group_id")
        if group is not None and metric.get("source") != "table":
            groups[(metric.get("page"), str(group))].append(metric)
    findings = []
    for members in groups.values():
        shares = [m for m in members if m.get("group_role") in ("share", "share_listed")]
        if shares:
            findings.append(_listed_shares_finding(document_id, shares))
            continue
        totals = [m for m in members if m.get("group_role") == "total"]
        parts = [m for m in members if m.get("group_role") == "part"]
        if len(totals) != 1 or not parts:
            continue
        total = totals[0]
        parts = [p for p in parts if _is_percent(p) == _is_percent(total)]
        finding = _sum_finding("text_total", document_id, total, parts, name_of(total), "its bracketed parts")
        if finding:
            findings.append(finding)
    return findings


def _listed_shares_finding(document_id: str, shares: list[Metric]) -> dict[str, Any]:
    """Shares listed in text: they must add to 100 within rounding when the list is complete
    (it ends with a catch-all such as `其他`); a list without one may leave a category out, so a
    sum off 100 is `not_computable`, not an error."""
    reported = [r for r in (_reported(m) for m in shares) if r is not None]
    computed = sum((r.value for r in reported), Fraction(0))
    tolerance = sum((r.half_unit for r in reported), Fraction(0))
    gap = computed - HUNDRED
    expression = "+".join(r.text for r in reported)
    shown = format_number(computed)
    if abs(gap) <= tolerance:
        status, verdict = "ok", "100% within rounding"
    elif shares[0].get("group_role") == "share":
        status, verdict = "sum_mismatch", f"not 100% (off by {format_number(gap)} points)"
    else:
        status, verdict = "not_computable", "not 100%, but the list names no catch-all and may leave a category out"
    return make_finding(
        "percent_split", status, document_id, shares, reported=HUNDRED, computed=computed, difference=gap,
        expression=f"{expression} = {shown}", message=f"listed shares {expression} = {shown}%: {verdict}",
    )


def calculations_of(metric: Metric) -> list[Mapping[str, Any]]:
    """A metric's declared calculations whether they come from the miner or the warehouse (JSON)."""
    raw = metric.get("calculations")
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError:
            return []
    return [item for item in raw or [] if isinstance(item, Mapping)]


def metric_key(metric: Metric) -> str | None:
    if metric.get("table_id") is None or metric.get("row_index") is None or metric.get("col_index") is None:
        return None
    return cell_key(str(metric["table_id"]), int(metric["row_index"]), int(metric["col_index"]),
                    str(metric.get("cell_part") or "value"))


def check_tables(metrics: Sequence[Metric], document_id: str) -> list[dict[str, Any]]:
    """Every calculation a table declares, checked (see the module docstring)."""
    by_key: dict[tuple[Any, str], Metric] = {}
    for metric in metrics:
        key = metric_key(metric)
        if key is not None:
            by_key.setdefault((metric.get("page"), key), metric)
    findings: list[dict[str, Any]] = []
    for metric in metrics:
        calculations = calculations_of(metric)
        shares = [c for c in calculations if c.get("kind") == "share"]
        if shares:
            finding = _share_finding(document_id, metric, shares, by_key)
            if finding:
                findings.append(finding)
        for calculation in calculations:
            check = _CHECKS.get(str(calculation.get("kind")))
            if check is None:
                continue
            operands = [by_key.get((metric.get("page"), str(key))) for key in calculation.get("operands") or []]
            if any(operand is None for operand in operands):
                continue
            finding = check(document_id, metric, [o for o in operands if o is not None], calculation)
            if finding:
                findings.append(finding)
    return findings


def _label(metric: Metric) -> str:
    parts = [str(metric.get("row_path") or ""), str(metric.get("col_path") or "")]
    return " ".join(part for part in parts if part) or name_of(metric)


def _check_sum(document_id: str, total: Metric, parts: list[Metric], calculation: Mapping[str, Any]) -> dict[str, Any] | None:
    return _sum_finding("table_total", document_id, total, parts, _label(total), str(calculation.get("declared_by")))


def _change_operands(stated: Metric, operands: list[Metric]) -> tuple[Reported, Reported, Reported] | None:
    """(stated, later, earlier) as printed, or None when one of them does not read as a number."""
    later, earlier = (_reported(m) for m in operands)
    shown_stated = _reported(stated)
    if later is None or earlier is None or shown_stated is None:
        return None
    return shown_stated, later, earlier


def _check_difference(document_id: str, stated: Metric, operands: list[Metric],
                      calculation: Mapping[str, Any]) -> dict[str, Any] | None:
    read = _change_operands(stated, operands)
    if read is None:
        return None
    shown_stated, later, earlier = read
    computed = later.value - earlier.value
    gap = computed - shown_stated.value
    ok = abs(gap) <= sum_tolerance([earlier, later], shown_stated)
    expression = f"{later.text}-{earlier.text}"
    shown = format_number(computed)
    message = f"{_label(stated)} {with_unit(stated)}: {expression} = {shown}" + (
        ", as reported" if ok else f", not {shown_stated.text}")
    return make_finding(
        "table_difference", "ok" if ok else "sum_mismatch", document_id, [stated, *operands],
        reported=shown_stated.value, computed=computed, difference=gap,
        expression=f"{expression} = {shown}", message=message,
    )


def _check_growth(document_id: str, stated: Metric, operands: list[Metric],
                  calculation: Mapping[str, Any]) -> dict[str, Any] | None:
    read = _change_operands(stated, operands)
    if read is None:
        return None
    shown_stated, later, earlier = read
    base = later if calculation.get("kind") == "growth_current" else earlier
    if base.value == 0:
        return None
    computed = (later.value - earlier.value) / base.value * HUNDRED
    status, verdict = change_verdict(shown_stated, computed)
    expression = f"({later.text}-{earlier.text})/{base.text}×100"
    shown = format_number(computed, shown_decimals(shown_stated.decimals))
    return make_finding(
        "table_growth_rate", status, document_id,
        [stated, *operands], reported=shown_stated.value, computed=computed,
        difference=computed - shown_stated.value, expression=expression,
        message=f"{_short(_label(stated))} {with_unit(stated)} vs {expression} = {shown}%: {verdict}",
    )


def _check_share_sum(document_id: str, target: Metric, shares: list[Metric],
                     calculation: Mapping[str, Any]) -> dict[str, Any] | None:
    reported = [_reported(m) for m in shares]
    if any(r is None for r in reported):
        return None
    known = [r for r in reported if r is not None]
    computed = sum((r.value for r in known), Fraction(0))
    tolerance = sum((r.half_unit for r in known), Fraction(0))
    gap = computed - HUNDRED
    ok = abs(gap) <= tolerance
    expression = "+".join(r.text for r in known)
    shown = format_number(computed)
    label = str(target.get("row_path") or "") or "row"
    message = f"{label}: shares {expression} = {shown}%" + (
        ", 100% within rounding" if ok else f", not 100% (off by {format_number(gap)} points)")
    related = [target] if target not in shares else []
    return make_finding(
        "percent_split", "ok" if ok else "sum_mismatch", document_id, related + shares,
        reported=HUNDRED, computed=computed, difference=gap,
        expression=f"{expression} = {shown}", message=message,
    )


def _check_undecided(document_id: str, metric: Metric, _operands: list[Metric],
                     calculation: Mapping[str, Any]) -> dict[str, Any] | None:
    return make_finding(
        "table_total", "not_computable", document_id, [metric],
        reported=None, computed=None, difference=None, expression=None,
        message=f"{_label(metric)} {with_unit(metric)}: not checked, {calculation.get('declared_by')}",
    )


ShareReading = tuple[RateCheck, Metric, list[Metric], Mapping[str, Any]]


def _share_finding(document_id: str, share: Metric, readings: list[Mapping[str, Any]],
                   by_key: dict[tuple[Any, str], Metric]) -> dict[str, Any] | None:
    """A `count share%` cell against its base: ok when one declared reading of the base (the sum
    of the row's counts, or its total column) reproduces it; mismatch only when none does."""
    results = [checked for reading in readings if (checked := _share_reading(share, reading, by_key)) is not None]
    if not results:
        return None
    good = [item for item in results if item[0].status in ("ok", "ok_truncated")]
    result, count, base, reading = (good or results)[0]
    status = result.status if good else ("mismatch" if result.status in ("mismatch", "reversed") else result.status)
    base_text = "+".join(str(m.get("value_text")) for m in base) if len(base) > 1 else str(base[0].get("value_text"))
    places = shown_decimals(result.decimals)
    computed = f"{format_number(result.computed, places)}%" if result.computed is not None else "?"
    verdict = {"ok": "consistent when rounded", "ok_truncated": "consistent only when truncated; not an error"}.get(
        status, f"inconsistent with every declared base, off by {format_number(result.difference, 2)} percentage points")
    message = (f"{_label(share)} share {share.get('value_text')}% vs {count.get('value_text')}/({base_text}) = "
               f"{computed} ({reading.get('declared_by')}): {verdict}")
    return make_finding(
        "share", status, document_id, [share, count, *base],
        reported=result.reported, computed=result.computed, difference=result.difference,
        expression=f"{count.get('value_text')}/({base_text})", message=message,
    )


def _share_reading(share: Metric, reading: Mapping[str, Any],
                   by_key: dict[tuple[Any, str], Metric]) -> ShareReading | None:
    """The share checked against one declared base: (check, count, base metrics, reading), or None
    when an operand is missing or does not read as a number."""
    operands = [by_key.get((share.get("page"), str(key))) for key in reading.get("operands") or []]
    if len(operands) < 2 or any(o is None for o in operands):
        return None
    found = [o for o in operands if o is not None]
    count, base = found[0], found[1:]
    count_value, base_values = _reported(count), [_reported(m) for m in base]
    if count_value is None or any(value is None for value in base_values):
        return None
    base_value = sum((value.value for value in base_values if value is not None), Fraction(0))
    result = check_rate(str(share.get("value_text")), float(count_value.value), float(base_value))
    return result, count, base, reading


_CHECKS: dict[str, Callable[[str, Metric, list[Metric], Mapping[str, Any]], dict[str, Any] | None]] = {
    "sum": _check_sum,
    "difference": _check_difference,
    "growth": _check_growth,
    "growth_current": _check_growth,
    "share_sum": _check_share_sum,
    "undecided": _check_undecided,
}


def _reported(metric: Metric) -> Reported | None:
    return parse_reported(metric.get("value_text"), metric.get("value"))


def _is_percent(metric: Metric) -> bool:
    return (metric.get("unit") or "") in PERCENT_UNITS or str(metric.get("value_text") or "").endswith(PERCENT_UNITS)


def _sum_finding(
    check: str, document_id: str, total: Metric, parts: Sequence[Metric], label: str, declared_by: str
) -> dict[str, Any] | None:
    total_reported = _reported(total)
    parts_reported = [_reported(p) for p in parts]
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
    ) + f" [parts: {declared_by}]"
    return make_finding(
        check, "ok" if ok else "sum_mismatch", document_id, [total, *parts],
        reported=total_reported.value, computed=computed, difference=gap,
        expression=f"{expression} = {shown}", message=message,
    )


def _short(text: str, limit: int = 24) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
