"""Mine the figures of a table from its interpretation (`patterns.table_model`).

For each body cell of the `InterpretedTable`:
- count, rate and `count share%` cells give one metric per number; a bare number takes its unit
  from the column's header, else the row's, else the corner cell's, else the one unit the headers
  name (`晤談人次` -> 人次, `受理案件` -> 件, `…率` -> %; `text_units.unit_in_label`);
- prose cells (a sentence with figures) go through the text miner with the headers as context;
- the indicator is named by the column's header when it names a unit, else by the row's innermost
  stub label (`執行成果 | 訪視率`: 訪視率), else by the column's;
- the period comes from the column's header, else the row's, else the corner cell (`113年1-9月`),
  else a heading box right above the table (`（113年）`); a `合計`, `增加人數` or `增加率` row in a
  table of years spans the rows' periods (its year is the last);
- the kind from the row (`目標值` row: target; `實際值`/`達成值`: actual), else the column
  (`114年(目標)`); a strategy title in a header sets the strategy; a row or column named for a
  county gives its figures that county, a `全國` row none (`attributes.scope = national`);
- columns that are not indicators (`序號`, `電話`, `地址`), code cells (phones, addresses) and
  numbers with neither a name nor a unit give no figures.
The table's declared relations become fields of the metrics: a rate gets the counts its header
names (`counts_from = table`), a share its base (`share_base`), a total, difference, growth or
share row its `calculations`; a check the structure leaves open is an `undecided` calculation.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from deckmine.extractors.model import BBox, TableBlock
from deckmine.patterns.dates import Period
from deckmine.patterns.gazetteer import find_strategy_refs, strategy_of_title_part
from deckmine.patterns.kind import cue_roles, kind_of_label
from deckmine.patterns.metric import Calculation, Metric, cell_key
from deckmine.patterns.numbers import Quantity
from deckmine.patterns.table_model import (
    CellReading,
    InterpretedTable,
    Line,
    Relation,
    TableSettings,
    interpret_table,
)
from deckmine.patterns.table_relations import declare_relations
from deckmine.patterns.table_words import has_word, table_words
from deckmine.patterns.text_job import TextJob
from deckmine.patterns.text_spans import periods_in
from deckmine.patterns.text_units import unit_in_label

MINED_CELL_TYPES = ("count", "rate", "count_share", "fraction")


def mine_table(block: TableBlock, page: int, block_index: int, context_period: Period | None = None,
               settings: TableSettings | None = None) -> tuple[list[Metric], list[TextJob]]:
    """Metrics of the figure cells, and text jobs for the prose cells. `context_period` is the
    period of a heading box right above the table."""
    settings = settings or TableSettings()
    table = declare_relations(interpret_table(block, settings), settings)
    table_id = f"p{page}b{block_index}"
    table_unit = _only_header_unit(table)
    table_period = table.corner_period or context_period
    rows_span = _rows_span(table)
    metrics: list[Metric] = []
    jobs: list[TextJob] = []
    row_strategies = _row_strategies(table)
    boxes = {(cell.row, cell.col): cell.bbox for cell in reversed(block.cells)}  # the first cell's
    for (r, c), cell in sorted(table.cells.items()):
        row, col = table.rows[r], table.cols[c]
        if col.role == "not_indicator" or cell.cell_type not in (*MINED_CELL_TYPES, "prose"):
            continue
        fallback = rows_span if row.role in ("difference", "growth", "total", "subtotal") else table_period
        context = _Context(table, row, col, table_unit, fallback or table_period, row_strategies[r])
        if cell.cell_type == "prose":
            jobs.append(_prose_job(cell, page, block_index, table_id, context))
            continue
        for quantity in cell.quantities:
            part = "share" if cell.cell_type == "count_share" and quantity.unit == "%" else "value"
            metric = _metric(boxes.get((r, c)) or block.bbox, page, block_index, quantity, context, len(metrics))
            if metric.unit is None and metric.indicator is None:
                continue  # a number with neither a name nor a unit is nothing a user would query
            metric.table_id, metric.row_index, metric.col_index, metric.cell_part = table_id, r, c, part
            metrics.append(metric)
    _apply_relations(table, table_id, metrics)
    return metrics, jobs


class _Context:
    """What a cell's row, column and table say: period, kind, unit, strategy, county, names."""

    def __init__(self, table: InterpretedTable, row: Line, col: Line, table_unit: str | None,
                 fallback_period: Period | None, row_strategy: int | None) -> None:
        self.row, self.col = row, col
        self.row_label = " ".join(row.path)
        self.col_label = " ".join(col.path)
        self.period: Period | None = col.period or row.period or fallback_period
        self.kind = _kind_of(row.path, col.path)
        labels = (col.inner, self.col_label, *reversed(row.path), table.corner)
        self.unit = next((unit for unit in (unit_in_label(_without_periods(label)) for label in labels) if unit),
                         table_unit)
        self.strategy = row.strategy or _strategy_of(self.col_label) or _strategy_of(self.row_label)
        self.row_strategy = row_strategy
        self.national = row.role == "national" or col.role == "national"
        self.county = None if self.national else (row.county or col.county)


@lru_cache(maxsize=4096)
def _indicator(row_path: tuple[str, ...], col_path: tuple[str, ...]) -> tuple[str | None, str | None]:
    """(head, label): the column's header when it names a unit, else the row's innermost
    label that is not just a kind word (`訪視率 | 目標值`: 訪視率)."""
    col = _without_periods(_named_part(col_path)).strip()
    row = _without_periods(_named_part(row_path)).strip()
    head = col if col and unit_in_label(col) else (row or col)
    parts = [_without_periods(part).strip() for part in (*row_path, *col_path)]
    label = " ".join(dict.fromkeys(part for part in parts if part)) or None
    return (head or None), label


def _named_part(path: tuple[str, ...]) -> str:
    kind_labels = table_words().get("kind_label", ())
    named = [label for label in path if _without_periods(label).strip("()（）") not in kind_labels]
    return named[-1] if named else (path[-1] if path else "")


@lru_cache(maxsize=4096)
def _kind_of(row_path: tuple[str, ...], col_path: tuple[str, ...]) -> str:
    """An achievement rate (`達成率`, row or column) is an actual; else a row's own kind word wins
    (`目標值` row under a year column); a results word in the row (`實際值`) makes it actual; else
    the column's (`114年(目標)`)."""
    if has_word(row_path[-1] if row_path else "", "achievement") or has_word(col_path[-1] if col_path else "", "achievement"):
        return "actual"
    row_kind = kind_of_label(" ".join(row_path))
    if row_kind != "actual":
        return row_kind
    if any(word in " ".join(row_path) for word, role in cue_roles().items() if role == "result"):
        return "actual"
    return kind_of_label(" ".join(col_path))


def _only_header_unit(table: InterpretedTable) -> str | None:
    """The one count unit the headers name (`受理案件` -> 件), for columns without their own
    (`收案`, `退回` in the same case table); None when headers name none or several."""
    headers = [cell for row in table.grid[: table.header_rows] for cell in row]
    headers += [label for line in table.rows.values() for label in line.path]
    units = {unit_in_label(_without_periods(cell)) for cell in headers if cell}
    units.discard(None)
    units.discard("%")
    return units.pop() if len(units) == 1 else None


def _rows_span(table: InterpretedTable) -> Period | None:
    """The span of the rows' periods: the period of a `合計`, `增加人數` or
    `增加率` row in a table of years, which covers the years it adds or compares."""
    periods = [line.period for line in table.rows.values() if line.period is not None]
    if not periods:
        return None
    first = min(periods, key=lambda period: period.start)
    last = max(periods, key=lambda period: period.end)
    if first is last:
        return last
    return replace(last, start=first.start, text=f"{first.text}–{last.text}", granularity="range")


@lru_cache(maxsize=4096)
def _strategy_of(header: str) -> int | None:
    for ref in find_strategy_refs(header):
        if ref.how == "number" or ref.score >= 0.6:
            return ref.numbers[0]
    return None


def _row_strategies(table: InterpretedTable) -> dict[int, int | None]:
    """Per row, a strategy it names by part of its title in a stub or label cell (`家庭服務資源 |
    脆弱家庭開案率 | 60% | 65.7%`); linking uses it where no strategy heading is in force."""
    label_cells: dict[int, list[str]] = {}
    for (r, _), cell in table.cells.items():
        if cell.cell_type == "label":
            label_cells.setdefault(r, []).append(cell.text)
    return {r: next((number for number in map(strategy_of_title_part, (*line.path, *label_cells.get(r, ())))
                     if number is not None), None) for r, line in table.rows.items()}


def _without_periods(text: str) -> str:
    for period in reversed(periods_in(text)):
        text = text[: period.char_start] + text[period.char_end :]
    return text


def _prose_job(cell: CellReading, page: int, block_index: int, table_id: str, context: _Context) -> TextJob:
    attributes: dict[str, object] = {"cell_bbox": None}
    job = TextJob(page, block_index, None, "table", text=cell.raw_text, context_period=context.period,
                  context_kind=context.kind if context.kind != "actual" else None, attributes=attributes,
                  table_cell=(table_id, cell.row, cell.col, context.row_label or None, context.col_label or None))
    if context.strategy:
        attributes["strategy"] = context.strategy
    return job


def _metric(box: BBox | None, page: int, block_index: int, quantity: Quantity, context: _Context,
            order: int) -> Metric:
    head, label = _indicator(context.row.path, context.col.path)
    unit = quantity.unit or context.unit
    metric = Metric(
        page=page, block_index=block_index, source="table", indicator=head, label=label,
        value=quantity.value, value_text=quantity.value_text, unit=unit, kind=context.kind,
        comparator=quantity.comparator,
        snippet=" ".join(part for part in (context.row_label, context.col_label, quantity.text) if part),
        bbox=box.as_list() if box is not None else None,
        row_path=context.row_label or None, col_path=context.col_label or None,
        row_role=context.row.role, col_role=context.col.role,
        attributes={"order": order},
    )
    if quantity.supervisors is not None:
        metric.attributes.update(supervisors=quantity.supervisors, workers=quantity.workers)
    if context.strategy:
        metric.strategy = context.strategy
    if context.row_strategy is not None:
        metric.attributes["row_strategy"] = context.row_strategy
    if context.county:
        metric.county = context.county
    if context.national:
        metric.attributes["scope"] = "national"
    if context.period is not None:
        from deckmine.patterns.linking import apply_period

        apply_period(metric, context.period, "header")
    return metric


def _apply_relations(table: InterpretedTable, table_id: str, metrics: list[Metric]) -> None:
    by_key = {metric.key: metric for metric in metrics}

    def key(ref: tuple[int, int], part: str = "value") -> str:
        return cell_key(table_id, ref[0], ref[1], part)

    for relation in table.relations:
        target_part = "share" if relation.kind == "share" or _is_share_target(table, relation) else "value"
        target = by_key.get(key(relation.target, target_part))
        if target is None:
            continue
        if relation.kind == "rate":
            _set_counts(target, by_key.get(key(relation.inputs[0])), by_key.get(key(relation.inputs[1])), "table")
            continue
        if relation.kind == "share":
            operands = (key(relation.inputs[0]), *(key(ref) for ref in relation.inputs[1:]))
        elif relation.kind == "share_sum":
            operands = tuple(key(ref, "share" if _is_count_share(table, ref) else "value") for ref in relation.inputs)
        else:
            operands = tuple(key(ref) for ref in relation.inputs)
        kind = "growth_current" if relation.kind == "growth" and relation.growth_base == "later" else relation.kind
        target.calculations.append(Calculation(kind, operands, relation.declared_by))
    for undecided in table.undecided:
        target = by_key.get(key(undecided.target))
        if target is not None:
            target.calculations.append(Calculation("undecided", (), undecided.reason))


def _is_count_share(table: InterpretedTable, ref: tuple[int, int]) -> bool:
    cell = table.cells.get(ref)
    return cell is not None and cell.cell_type == "count_share"


def _is_share_target(table: InterpretedTable, relation: Relation) -> bool:
    return relation.kind in ("share_sum", "rate") and _is_count_share(table, relation.target)


def _set_counts(rate: Metric, numerator: Metric | None, denominator: Metric | None, origin: str) -> None:
    if numerator is None or denominator is None or rate.numerator is not None:
        return
    rate.numerator, rate.numerator_text = numerator.value, numerator.value_text
    rate.denominator, rate.denominator_text = denominator.value, denominator.value_text
    rate.counts_from = origin
    rate.attributes["numerator_label"] = numerator.label
    rate.attributes["denominator_label"] = denominator.label


__all__ = ["mine_table"]
