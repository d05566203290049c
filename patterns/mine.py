"""Mine every figure of a deck into `Metric` rows linked to county, strategy and period.

`mine_document(document)` is the one entry point the pipeline calls. It walks the pages in reading
order, hands each block to the miner for its kind (`indicators` for text and notes, `tables`,
`charts`), then lets `linking` fill in what the figure belongs to: the deck's county, the strategy
heading in force, and the year and period of the nearest date expression. The result is a
`MinedDeck` whose `metric_rows(document_id)` match the warehouse's `metrics` table.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from extractors.model import ChartBlock, Document, NotesBlock, TableBlock, TextBlock


@dataclass
class Metric:
    """One mined figure. Columns mean what `warehouse/sql/001_core.sql` table `metrics` says."""

    page: int
    block_index: int | None
    source: str  # 'text' | 'table' | 'chart' | 'notes'
    indicator: str | None
    label: str | None
    value: float
    value_text: str
    unit: str | None
    kind: str = "actual"  # 'actual' | 'target' | 'forecast'
    comparator: str | None = None
    numerator: float | None = None
    denominator: float | None = None
    numerator_text: str | None = None
    denominator_text: str | None = None
    target_met: bool | None = None
    county: str | None = None
    strategy: int | None = None
    year: int | None = None
    roc_year: int | None = None
    period_start: date | None = None
    period_end: date | None = None
    period_text: str | None = None
    snippet: str = ""
    bbox: list[float] | None = None
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass
class DeckInfo:
    county: str | None = None
    report_date: date | None = None
    report_roc_year: int | None = None
    title: str | None = None


@dataclass
class MineOptions:
    """Switches for `mine_document`; the defaults are what ingest wants."""

    include_notes: bool = True
    include_charts: bool = True
    include_tables: bool = True


@dataclass
class MinedDeck:
    deck: DeckInfo
    metrics: list[Metric]

    def deck_info(self) -> dict[str, Any]:
        return asdict(self.deck)

    def metric_rows(self, document_id: str) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for number, metric in enumerate(self.metrics, start=1):
            row = asdict(metric)
            row["document_id"] = document_id
            row["metric_id"] = f"{document_id[:16]}-{number:04d}"
            rows.append(row)
        return rows


def mine_document(document: Document, options: MineOptions | None = None) -> MinedDeck:
    """Mine one extracted document. Never raises for odd text: a figure it cannot read is skipped."""
    from patterns import charts, indicators, linking, tables

    options = options or MineOptions()
    deck = linking.deck_info(document)
    metrics: list[Metric] = []
    text_jobs: list[indicators.TextJob] = []
    for page in document.pages:
        residue = indicators.chart_residue_blocks(page.blocks) if document.file_type == "pdf" else set()
        for index, block in enumerate(page.blocks):
            if index in residue:
                continue
            if isinstance(block, TextBlock):
                text_jobs.append(indicators.TextJob(page.number, index, block, "text",
                                                    soft_wraps=document.file_type == "pdf"))
            elif isinstance(block, NotesBlock) and options.include_notes:
                text_jobs.append(indicators.TextJob(page.number, index, block, "notes"))
            elif isinstance(block, TableBlock) and options.include_tables:
                cell_metrics, cell_jobs = tables.mine_table(block, page.number, index)
                metrics.extend(cell_metrics)
                text_jobs.extend(cell_jobs)
            elif isinstance(block, ChartBlock) and options.include_charts:
                metrics.extend(charts.mine_chart(block, page.number, index))
    metrics.extend(indicators.mine_text_blocks(text_jobs, deck.report_date))
    metrics.sort(key=_document_order)
    linking.link_metrics(document, deck, metrics)
    return MinedDeck(deck=deck, metrics=metrics)


def _document_order(metric: Metric) -> tuple[int, int, int, int]:
    source_rank = 1 if metric.source == "notes" else 0
    block = metric.block_index if metric.block_index is not None else 10_000
    return (metric.page, source_rank, block, int(metric.attributes.get("order", 0)))


__all__ = ["DeckInfo", "Metric", "MineOptions", "MinedDeck", "mine_document"]
