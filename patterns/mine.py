"""Mine every figure of a deck into `Metric` rows linked to county, strategy and period.

`mine_document(document)` is the one entry point the pipeline calls. It walks the pages in reading
order, hands each block to the miner for its kind (`text_miner` for text and notes, `tables`,
`charts`), then lets `linking` fill in what the figure belongs to: the deck's county, the strategy
heading in force, and the year and period of the nearest date expression. The result is a
`MinedDeck` whose `metric_rows(document_id)` match the warehouse's `metrics` table.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from deckmine.extractors.model import ChartBlock, Document, NotesBlock, TableBlock, TextBlock
from deckmine.patterns import charts, linking, tables
from deckmine.patterns.metric import Calculation, DeckInfo, Metric
from deckmine.patterns.text_job import TextJob
from deckmine.patterns.text_kinds import is_plan_page
from deckmine.patterns.text_miner import mine_text_blocks
from deckmine.patterns.text_periods import period_heading_above


@dataclass
class MineOptions:
    """Switches for `mine_document`; the defaults are what ingest wants."""

    include_notes: bool = True
    include_charts: bool = True
    include_tables: bool = True


CHART_LABEL_FLAG = "chart_label"  # the extractor's: a data label or tick of a chart drawn as text
_METRIC_FIELDS = tuple(f.name for f in fields(Metric))
_DECK_FIELDS = tuple(f.name for f in fields(DeckInfo))
_CALCULATION_FIELDS = tuple(f.name for f in fields(Calculation))  # operands: a tuple of str keys


@dataclass
class MinedDeck:
    deck: DeckInfo
    metrics: list[Metric]

    def deck_info(self) -> dict[str, Any]:
        values = vars(self.deck)
        return {name: values[name] for name in _DECK_FIELDS}

    def metric_rows(self, document_id: str) -> list[dict[str, Any]]:
        """One dict per metric, keyed by the `Metric` fields in order plus `document_id` and
        `metric_id`. A shallow copy: containers of their own (`attributes`, `bbox`,
        `calculations`) are fresh, the values in them are the metric's."""
        rows: list[dict[str, Any]] = []
        prefix = document_id[:16]
        for number, metric in enumerate(self.metrics, start=1):
            values = vars(metric)
            row = {name: values[name] for name in _METRIC_FIELDS}
            row["attributes"] = dict(metric.attributes)
            row["bbox"] = list(metric.bbox) if metric.bbox is not None else None
            row["document_id"] = document_id
            row["metric_id"] = f"{prefix}-{number:04d}"
            row["calculations"] = [{name: getattr(calculation, name) for name in _CALCULATION_FIELDS}
                                   for calculation in metric.calculations] or None
            rows.append(row)
        return rows


def mine_document(document: Document, options: MineOptions | None = None) -> MinedDeck:
    """Mine one extracted document. Never raises for odd text: a figure it cannot read is skipped."""
    options = options or MineOptions()
    deck = linking.deck_info(document)
    metrics: list[Metric] = []
    text_jobs: list[TextJob] = []
    for page in document.pages:
        plan_section = is_plan_page(page.title, page.blocks)
        for index, block in enumerate(page.blocks):
            if CHART_LABEL_FLAG in block.flags:  # a chart's data label or axis tick (the extractor's)
                continue
            if isinstance(block, TextBlock):
                text_jobs.append(TextJob(page.number, index, block, "text", plan_section=plan_section))
            elif isinstance(block, NotesBlock) and options.include_notes:
                text_jobs.append(TextJob(page.number, index, block, "notes"))
            elif isinstance(block, TableBlock) and options.include_tables:
                heading = period_heading_above(page.blocks, block)
                cell_metrics, cell_jobs = tables.mine_table(block, page.number, index, heading)
                metrics.extend(cell_metrics)
                text_jobs.extend(cell_jobs)
            elif isinstance(block, ChartBlock) and options.include_charts:
                metrics.extend(charts.mine_chart(block, page.number, index))
    metrics.extend(mine_text_blocks(text_jobs, deck.report_date))
    metrics.sort(key=_document_order)
    _number_groups(metrics)
    _mark_ocr(document, metrics)
    linking.link_metrics(document, deck, metrics)
    return MinedDeck(deck=deck, metrics=metrics)


def _number_groups(metrics: list[Metric]) -> None:
    """Total/part group ids as g1, g2, … in document order, so the same file always gives the
    same rows."""
    renamed: dict[str, str] = {}
    for metric in metrics:
        if metric.group_id is not None:
            metric.group_id = renamed.setdefault(metric.group_id, f"g{len(renamed) + 1}")


OCR_CONFIDENCE_FLAG = "ocr_confidence="


def _mark_ocr(document: Document, metrics: list[Metric]) -> None:
    """A figure read by OCR carries its block's confidence (the `ocr_confidence=…` flag)."""
    confidence: dict[tuple[int, int], float] = {}
    for page in document.pages:
        for index, block in enumerate(page.blocks):
            for flag in block.flags:
                if flag.startswith(OCR_CONFIDENCE_FLAG):
                    confidence[(page.number, index)] = float(flag[len(OCR_CONFIDENCE_FLAG):])
    for metric in metrics:
        if metric.block_index is not None:
            metric.ocr_confidence = confidence.get((metric.page, metric.block_index))


def _document_order(metric: Metric) -> tuple[int, int, int, int]:
    source_rank = 1 if metric.source == "notes" else 0
    block = metric.block_index if metric.block_index is not None else 10_000
    return (metric.page, source_rank, block, int(metric.attributes.get("order", 0)))


__all__ = ["DeckInfo", "Metric", "MineOptions", "MinedDeck", "mine_document"]
