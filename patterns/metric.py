"""The records the miner produces: a `Metric` per figure and the deck-level `DeckInfo`.

Kept apart from `patterns.mine` so the miners (`indicators`, `tables`, `charts`, `linking`) can
build them without importing the module that drives them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Calculation:
    """A calculation a table declares with this figure as its result: `kind` is `sum` (operands
    are the parts), `difference` or `growth` (later, earlier), `growth_current` (the same, divided
    by the later figure), `share` (the count, then the cells whose sum is the base), `share_sum`
    (shares of one whole), or `undecided` (the structure leaves the check open: `declared_by`
    gives the reason). Operands are `cell_key`s of metrics of the same table."""

    kind: str
    operands: tuple[str, ...]
    declared_by: str


def cell_key(table_id: str, row: int, col: int, part: str = "value") -> str:
    """The key of a table figure: `p4b2:3:1` (part `share` for the share of a `count share%` cell)."""
    return f"{table_id}:{row}:{col}" + ("" if part == "value" else f":{part}")


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
    # Where the figure sits in a table (None outside tables): the table, cell and part of a
    # `count share%` cell, the row's stub path and the column's header path, and their roles.
    table_id: str | None = None
    row_index: int | None = None
    col_index: int | None = None
    cell_part: str | None = None
    row_path: str | None = None
    col_path: str | None = None
    row_role: str | None = None
    col_role: str | None = None
    # Where numerator and denominator came from: `printed` (beside the rate, or named for its
    # formula in its sentence), `table` (the count columns or rows the rate's header names),
    # `growth`/`decline` (a change: the later and the earlier count).
    counts_from: str | None = None
    # A count per this many people (`每萬人口17.2人`: 10000): numerator ÷ denominator × rate_base.
    rate_base: float | None = None
    # A total and its parts written in text (`155人(完成82人、…)`): the group and this figure's role.
    group_id: str | None = None
    group_role: str | None = None
    calculations: list[Calculation] = field(default_factory=list)
    # Read by OCR (a scanned page or a picture): the lowest line confidence of its block, 0-1.
    ocr_confidence: float | None = None
    attributes: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str | None:
        if self.table_id is None or self.row_index is None or self.col_index is None:
            return None
        return cell_key(self.table_id, self.row_index, self.col_index, self.cell_part or "value")


@dataclass
class DeckInfo:
    county: str | None = None
    report_date: date | None = None
    report_roc_year: int | None = None
    title: str | None = None
