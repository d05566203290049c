"""A candidate of a job as a `Metric`: kind, period, counts, snippet and box; ranges split; the counts
near a rate that reproduce it noted."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date
from typing import Any

import regex
from deckmine.extractors.model import BBox, TextBlock
from deckmine.patterns.dates import Period
from deckmine.patterns.kind import KindContext, classify
from deckmine.patterns.metric import Metric
from deckmine.patterns.numbers import (
    Quantity,
)
from deckmine.patterns.text_job import TextJob, line_at
from deckmine.patterns.text_kinds import comparator_before_target_word
from deckmine.patterns.text_spans import LABEL_MAX_CHARS, TextCandidate, line_end_at, line_start_at

SNIPPET_RADIUS = 30


_RANGE_DASH = regex.compile(r"\s*[-~至到]\s*")


def to_metric(job: TextJob, text: str, candidate: TextCandidate, order: int,
              report_date: date | None) -> Metric:
    """The candidate as a `Metric`: the job's context period where the text gives none of its own,
    its kind by `patterns.kind.classify`, its place in the job (page, block, table cell)."""
    quantity = candidate.quantity
    period = candidate.period
    if job.context_period is not None and candidate.period_origin in (None, "block"):
        period = job.context_period
    kind, target_met, why = _kind(job, text, candidate, period, report_date)
    attributes, strategy = _attributes(job, text, candidate, why, order)
    metric = Metric(
        page=job.page,
        block_index=job.block_index,
        source=job.source,
        indicator=candidate.indicator,
        label=candidate.label,
        value=quantity.value,
        value_text=quantity.value_text,
        unit=quantity.unit,
        kind=kind,
        comparator=candidate.comparator,
        numerator=candidate.numerator[0] if candidate.numerator else None,
        denominator=candidate.denominator[0] if candidate.denominator else None,
        numerator_text=candidate.numerator[1] if candidate.numerator else None,
        denominator_text=candidate.denominator[1] if candidate.denominator else None,
        target_met=target_met,
        snippet=_snippet(text, quantity.start, quantity.end),
        bbox=_bbox(job, text, quantity.start),
        attributes=attributes,
    )
    metric.strategy = strategy
    _place(metric, attributes, job, candidate, period)
    return metric


def _kind(job: TextJob, text: str, candidate: TextCandidate, period: Period | None,
          report_date: date | None) -> tuple[str, bool | None, str]:
    """(kind, target_met, why): a figure dated after the report date, or undated on a plan slide,
    is in a plan period; a paired target stays a target; a table's kind overrides `actual`."""
    where: KindContext = candidate.attributes["kind_where"]
    in_plan_period = bool(period is not None and report_date is not None and period.end > report_date)
    in_plan_period = in_plan_period or (period is None and job.plan_section)
    kind, target_met, why = classify(candidate.attributes["cues"], where, candidate.comparator, in_plan_period)
    if candidate.kind == "target" and kind == "actual":
        kind, why = "target", "paired target"
    if job.context_kind and kind == "actual":
        kind = job.context_kind
    if kind == "target" and candidate.comparator is None:
        candidate.comparator = comparator_before_target_word(text, candidate.quantity.start)
    return kind, target_met, why


def _attributes(job: TextJob, text: str, candidate: TextCandidate, why: str,
                order: int) -> tuple[dict[str, Any], Any]:
    """The metric's attributes (the candidate's and the job's, the kind rule, sentence, lead,
    order) and the strategy the job names."""
    quantity = candidate.quantity
    where: KindContext = candidate.attributes["kind_where"]
    attributes = {key: value for key, value in candidate.attributes.items() if key not in ("kind_where", "cues")}
    attributes["kind_rule"] = why
    attributes["sentence"] = where.sentence_start
    attributes["lead"] = text[where.sentence_start : quantity.start][-LABEL_MAX_CHARS:]
    attributes.update(job.attributes)
    strategy = attributes.pop("strategy", None)
    attributes.pop("cell_bbox", None)
    attributes["order"] = order
    if quantity.unit_text and quantity.unit_text != quantity.unit:
        attributes["unit_text"] = quantity.unit_text
    return attributes, strategy


def _place(metric: Metric, attributes: dict[str, Any], job: TextJob, candidate: TextCandidate,
           period: Period | None) -> None:
    """Counts' origin, rate base, group, table cell and period of the metric (`attributes`: the
    dict it was made with)."""
    if candidate.numerator is not None:
        metric.counts_from = attributes.pop("counts_from", "printed")
    metric.rate_base = attributes.pop("rate_base", None)
    if candidate.group is not None:
        metric.group_id, metric.group_role = candidate.group
    if job.table_cell is not None:
        metric.table_id, metric.row_index, metric.col_index, metric.row_path, metric.col_path = job.table_cell
    if period is not None:
        metric.year, metric.roc_year = period.year, period.roc_year
        metric.period_start, metric.period_end, metric.period_text = period.start, period.end, period.text
        attributes["year_from"] = candidate.period_origin if period is candidate.period else "context"


def _snippet(text: str, start: int, end: int) -> str:
    line_start = max(line_start_at(text, start), start - SNIPPET_RADIUS)
    line_end = min(line_end_at(text, end), end + SNIPPET_RADIUS)
    return text[line_start:line_end].strip()


def _bbox(job: TextJob, text: str, position: int) -> list[float] | None:
    block = job.block
    if isinstance(block, TextBlock) and job.text is None:
        line_index = line_at(job, text, position)
        if line_index < len(block.lines) and block.lines[line_index].bbox is not None:
            box: BBox = block.lines[line_index].bbox  # type: ignore[assignment]
            return box.as_list()
    if block is not None and block.bbox is not None:
        return block.bbox.as_list()
    cell_bbox = job.attributes.get("cell_bbox")
    return list(cell_bbox) if cell_bbox else None


def split_range(metric: Metric, quantity: Quantity) -> list[Metric]:
    """`2~4名` is two figures: at least 2 and at most 4."""
    if quantity.range_low is None or quantity.range_high is None:
        return [metric]
    texts = _RANGE_DASH.split(metric.value_text.replace(quantity.unit_text or "\0", ""), maxsplit=1)
    low_text, high_text = (texts + [metric.value_text])[:2] if len(texts) == 2 else (metric.value_text,) * 2
    low = replace(metric, value=quantity.range_low, value_text=low_text, comparator=">=",
                  attributes={**metric.attributes, "range": "low"})
    high = replace(metric, value=quantity.range_high, value_text=high_text, comparator="<=",
                   attributes={**metric.attributes, "range": "high"})
    return [low, high]


def pair_counts_to_rates(metrics: list[Metric]) -> None:
    """A rate printed without its counts (`訪視率12.24%` beside `換證數5,156`, `訪視數631`):
    two counts of the same block, else of the same page, that reproduce the rate are noted in
    `attributes.counts_nearby`. They are not its numerator and denominator: a pair found by
    searching for the answer is no evidence, and the audit never calls such a rate checked."""
    by_page: dict[tuple[int, str], list[Metric]] = {}
    for metric in metrics:
        by_page.setdefault((metric.page, metric.source), []).append(metric)
    for page_metrics in by_page.values():
        counts = [m for m in page_metrics if m.unit != "%" and m.unit not in ("pp",) and m.value > 0]
        for rate in page_metrics:
            if rate.unit != "%" or rate.numerator is not None or rate.value in (0, 100):
                continue
            same_block = [m for m in counts if m.block_index == rate.block_index]
            for pool in (same_block, counts):
                pair = _reproducing_pair(rate, pool)
                if pair:
                    top, bottom = pair
                    rate.attributes["counts_nearby"] = [top.value_text, bottom.value_text]
                    break


def _reproducing_pair(rate: Metric, pool: list[Metric]) -> tuple[Metric, Metric] | None:
    decimals = len(rate.value_text.split(".")[1]) if "." in rate.value_text else 0
    step = 10 ** -decimals
    for top, bottom in itertools.permutations(pool, 2):
        if top.value == bottom.value or min(top.value, bottom.value) < 10:
            continue
        exact = top.value / bottom.value * 100
        if abs(round(exact, decimals) - rate.value) < step / 10 or 0 <= exact - rate.value < step:
            return top, bottom
    return None
