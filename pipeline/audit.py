"""The audit: recompute every figure that can be recomputed and record where a deck disagrees.

Per document (run at ingest by `pipeline.process`): `check_document(metrics, document_id)` checks
- rates against their counts (`check_rate`: ok / ok_truncated / reversed / mismatch /
  not_computable),
- totals against their parts, in text and tables (`pipeline.audit_totals`: ok / sum_mismatch),
- figures against their stated targets (target_met / target_missed).
Across documents and in the warehouse: `pipeline.audit_store` (`run_audit`, `list_findings`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from deckmine.patterns.gazetteer import cue_words
from deckmine.patterns.table_words import has_word
from deckmine.pipeline.audit_findings import (
    SEVERITY,
    STATUS_ORDER,
    Metric,
    attributes_of,
    make_finding,
    name_of,
    with_unit,
)
from deckmine.pipeline.audit_numbers import (
    RateCheck,
    Reported,
    change_verdict,
    check_rate,
    exact,
    format_number,
    parse_reported,
    shown_decimals,
)
from deckmine.pipeline.audit_totals import check_tables, check_text_totals

__all__ = [
    "SEVERITY", "STATUS_ORDER", "RateCheck", "check_document", "check_rate", "check_rates",
    "check_targets",
]

BOUND_COMPARATORS = (">=", ">", "<=", "<")


def check_document(metrics: Sequence[Metric], document_id: str) -> list[dict[str, Any]]:
    """Every per-document check over one document's metric rows. Metrics without the counts,
    parts or target a check needs give no finding."""
    findings = [
        *check_rates(metrics, document_id),
        *check_text_totals(metrics, document_id),
        *check_tables(metrics, document_id),
        *check_targets(metrics, document_id),
    ]
    unique: dict[str, dict[str, Any]] = {}
    for finding in findings:
        unique.setdefault(finding["finding_id"], finding)
    return _misreads(list(unique.values()), metrics)


OCR_LOW_CONFIDENCE = 0.8  # below this a disagreement may be the OCR's, not the deck's
DISAGREEMENTS = ("mismatch", "sum_mismatch", "reversed")


def _misreads(findings: list[dict[str, Any]], metrics: Sequence[Metric]) -> list[dict[str, Any]]:
    """A disagreement that involves a figure read by low-confidence OCR is a `possible_misread`
    (look at the page), not a claim that the deck is wrong."""
    confidence = {m.get("metric_id"): _number(m.get("ocr_confidence")) for m in metrics}
    for finding in findings:
        if finding["status"] not in DISAGREEMENTS:
            continue
        low = [c for c in (confidence.get(i) for i in finding["metric_ids"]) if c is not None and c < OCR_LOW_CONFIDENCE]
        if low:
            finding["status"] = "possible_misread"
            finding["severity"] = SEVERITY["possible_misread"]
            finding["message"] = (f"possible OCR misread (confidence {min(low):.2f}), not checked as printed: "
                                  f"{finding['message']}")
    return findings


# --- rates against counts ---------------------------------------------------------------------


def check_rates(metrics: Sequence[Metric], document_id: str) -> list[dict[str, Any]]:
    """A finding for every percentage printed with its numerator and denominator."""
    findings = []
    for metric in metrics:
        numerator, denominator = _number(metric.get("numerator")), _number(metric.get("denominator"))
        if numerator is None and denominator is None and _is_percent(metric):
            nearby = attributes_of(metric).get("counts_nearby")
            if nearby:
                findings.append(_unchecked_rate(metric, nearby, document_id))
            continue
        rate_base = _number(metric.get("rate_base"))
        if numerator is None or denominator is None or not (_is_percent(metric) or rate_base):
            continue
        reported = parse_reported(metric.get("value_text"), _number(metric.get("value")))
        if reported is None:
            continue
        if metric.get("counts_from") in ("growth", "decline"):
            findings.append(_change_finding(metric, reported, numerator, denominator, document_id))
            continue
        result = check_rate(reported.text, numerator, denominator, scale=int(rate_base or 100))
        status, bound_note = _apply_bound(result, metric.get("comparator"))
        findings.append(make_finding(
            "rate", status, document_id, [metric],
            reported=result.reported, computed=result.computed, difference=result.difference,
            expression=result.expression, message=rate_message(metric, result, status, bound_note),
        ))
    return findings


def _change_finding(metric: Metric, reported: Reported, later: float, earlier: float,
                    document_id: str) -> dict[str, Any]:
    """`較112年成長8.4%` with both years' counts: (later − earlier) / earlier × 100, a decline
    (`減少`) printed as a positive number."""
    sign = -1 if metric.get("counts_from") == "decline" else 1
    expression = f"({format_number(later)}-{format_number(earlier)})/{format_number(earlier)}×100"
    if earlier == 0:
        return make_finding("growth", "not_computable", document_id, [metric], reported=reported.value,
                            expression=expression, message=f"{name_of(metric)} {reported.text}%: the earlier count is 0")
    computed = (exact(later) - exact(earlier)) / exact(earlier) * 100 * sign
    status, verdict = change_verdict(reported, computed)
    places = shown_decimals(reported.decimals)
    word = "decline" if sign < 0 else "growth"
    return make_finding(
        "growth", status, document_id, [metric],
        reported=reported.value, computed=computed, difference=computed - reported.value, expression=expression,
        message=f"{name_of(metric)} {word} {reported.text}% vs {expression} = {format_number(computed, places)}%: {verdict}",
    )


def _unchecked_rate(metric: Metric, nearby: Sequence[str], document_id: str) -> dict[str, Any]:
    """A rate printed without its counts: two numbers elsewhere on the slide reproduce it, but a
    pairing found by searching for the answer is no evidence, so the rate stays unchecked."""
    pair = "/".join(str(number) for number in nearby)
    return make_finding(
        "rate", "not_computable", document_id, [metric], reported=_number(metric.get("value")),
        expression=None,
        message=(f"{name_of(metric)} {with_unit(metric, _reported_text(metric))}: not checked, its counts are "
                 f"not printed with it ({pair} on the slide reproduce it, which is no evidence)"),
    )


def _apply_bound(result: RateCheck, comparator: str | None) -> tuple[str, str | None]:
    """`至少85%` / `低於10%` state a bound, not a value: a computed rate inside the bound is ok."""
    if result.status != "mismatch" or comparator not in BOUND_COMPARATORS or result.computed is None:
        return result.status, None
    if result.reported is not None and _compare(result.computed, comparator, result.reported):
        return "ok", f"within the stated bound {comparator} {format_number(result.reported)}%"
    return result.status, None


def rate_message(metric: Metric, result: RateCheck, status: str, bound_note: str | None = None) -> str:
    """One sentence: `進用率 71% vs 41/58 = 70.69%: consistent when rounded`."""
    places = shown_decimals(result.decimals)
    head = f"{name_of(metric)} {with_unit(metric, _reported_text(metric))} vs {result.expression}{_counts_note(metric)}"
    if result.computed is None:
        return f"{head}: the denominator is 0, the rate cannot be recomputed"
    computed = f"{format_number(result.computed, places)}%"
    reversed_expression = "/".join(reversed(result.expression.split("/")))
    if bound_note:
        return f"{head} = {computed}: {bound_note}"
    if status == "ok":
        return f"{head} = {computed}: consistent when rounded"
    if status == "ok_truncated":
        rounded = format_number(result.computed, result.decimals)
        return f"{head} = {computed}: consistent only when truncated (rounding gives {rounded}%); not an error"
    reversed_value = (
        f"{format_number(result.reversed_value, places)}%" if result.reversed_value is not None else "?"
    )
    if status == "reversed":
        return f"{head} = {computed}: the fraction is printed reversed ({reversed_expression} = {reversed_value})"
    gap = format_number(result.difference, 2) if result.difference is not None else "?"
    return (
        f"{head} = {computed}: inconsistent, off by {gap} percentage points "
        f"(reversed, {reversed_expression} = {reversed_value}, does not match either)"
    )


def _counts_note(metric: Metric) -> str:
    """`(3督14員/3督17員)` when the counts were written as staff pairs rather than plain numbers."""
    texts = [str(metric.get("numerator_text") or ""), str(metric.get("denominator_text") or "")]
    if any(has_word(text, "staff_pair") for text in texts):  # table_words.tsv role `staff_pair`
        return f" ({texts[0]}/{texts[1]})"
    return ""


def _reported_text(metric: Metric) -> str:
    return str(metric.get("value_text") or format_number(_number(metric.get("value"))))


# --- targets ----------------------------------------------------------------------------------


def check_targets(metrics: Sequence[Metric], document_id: str) -> list[dict[str, Any]]:
    """A figure beside its stated target (`進用率71%(目標85%)`), or a `達標` claim with a target to
    check it against: target_met / target_missed."""
    findings = []
    targets = _targets_by_block(metrics)
    actuals: dict[tuple[Any, ...], int] = {}
    for metric in metrics:
        if (metric.get("kind") or "actual") == "actual":
            key = _block_key(metric, indicator=False)
            actuals[key] = actuals.get(key, 0) + 1
    for metric in metrics:
        if (metric.get("kind") or "actual") != "actual":
            continue
        actual = parse_reported(metric.get("value_text"), _number(metric.get("value")))
        target = _target_of(metric, targets, actuals)
        if actual is None or target is None:
            continue
        target_value, comparator, target_metric = target
        met = _compare(actual.value, comparator, target_value)
        status = "target_met" if met else "target_missed"
        claim = metric.get("target_met")
        target_text = f"{comparator} {format_number(target_value)}{metric.get('unit') or ''}"
        if claim is True and not met:
            verdict = f"claimed {_claim_word('met')} but misses its target {target_text}"
        elif claim is False and met:
            verdict = f"meets its target {target_text} although the deck says {_claim_word('missed')}"
        else:
            verdict = f"{'meets' if met else 'misses'} its target {target_text}"
        related = [metric] + ([target_metric] if target_metric is not None else [])
        findings.append(make_finding(
            "target", status, document_id, related,
            reported=actual.value, computed=target_value, difference=actual.value - target_value,
            expression=f"{actual.text} {comparator} {format_number(target_value)}",
            message=f"{name_of(metric)} {with_unit(metric, actual.text)} {verdict}",
        ))
    return findings


def _claim_word(role: str) -> str:
    """The plain word of a claim the messages quote: the shortest of its cues.tsv role (`met`:
    達標, `missed`: 未達標), the same words the miner reads the claim from."""
    return min(cue_words(role), key=lambda word: (len(word), word), default=role)


TargetIndex = dict[tuple[Any, ...], list[Metric]]


def _block_key(metric: Metric, indicator: bool = True) -> tuple[Any, ...]:
    """Where an actual looks for its target: the same block, indicator, unit and year (a target
    applies to its own period: `114年(目標)` is not the target of 112年)."""
    return (metric.get("page"), metric.get("block_index"), metric.get("indicator") if indicator else None,
            metric.get("unit"), metric.get("year"))


def _targets_by_block(metrics: Sequence[Metric]) -> TargetIndex:
    index: TargetIndex = {}
    for metric in metrics:
        if metric.get("kind") == "target":
            if metric.get("indicator"):
                index.setdefault(_block_key(metric), []).append(metric)
            index.setdefault(_block_key(metric, indicator=False), []).append(metric)
    return index


def _target_of(metric: Metric, targets: TargetIndex,
               actuals: dict[tuple[Any, ...], int] | None = None) -> tuple[Fraction, str, Metric | None] | None:
    """The target paired with an actual: from its attributes, else the one target metric of the
    same indicator, unit and year in the same block (for a figure without a name that claims
    達標 or 未達標, the one target of its unit and year there)."""
    attributes = attributes_of(metric)
    if attributes.get("target_value") is not None:
        target = _number(attributes["target_value"])
        if target is None:
            return None
        return exact(target), attributes.get("target_comparator") or ">=", None
    unnamed_key = _block_key(metric, indicator=False)
    if metric.get("indicator"):
        candidates = targets.get(_block_key(metric), [])
        if not candidates and (actuals or {}).get(unnamed_key) == 1:
            # `進用率85%` / `未達標（目標值90%）`: a target without a name in a block with one
            # figure of its unit and year is that figure's
            candidates = [t for t in targets.get(unnamed_key, []) if not t.get("indicator")]
    elif metric.get("target_met") is not None:
        # `KPI：涵蓋率≧95%。…僅91.3%，未達標`: an unnamed figure that claims 達標/未達標 is compared
        # with the block's one target of its unit and year
        candidates = targets.get(_block_key(metric, indicator=False), [])
    else:
        return None
    if len(candidates) != 1:
        return None
    target_metric = candidates[0]
    reported = parse_reported(target_metric.get("value_text"), _number(target_metric.get("value")))
    if reported is None:
        return None
    return reported.value, target_metric.get("comparator") or ">=", target_metric


def _compare(value: Fraction, comparator: str, bound: Fraction) -> bool:
    if comparator == ">":
        return value > bound
    if comparator == "<":
        return value < bound
    if comparator == "<=":
        return value <= bound
    return value >= bound  # '>=', '~' and unstated: a target is a floor


# --- warehouse --------------------------------------------------------------------------------


# --- helpers ----------------------------------------------------------------------------------


def _number(value: Any) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _is_percent(metric: Metric) -> bool:
    unit = metric.get("unit") or ""
    return unit in ("%", "％") or str(metric.get("value_text") or "").endswith(("%", "％"))
