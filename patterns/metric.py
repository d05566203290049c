"""The records the miner produces: a `Metric` per figure and the deck-level `DeckInfo`.

Kept apart from `patterns.mine` so the miners (`indicators`, `tables`, `charts`, `linking`) can
build them without importing the module that drives them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


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
