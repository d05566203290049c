"""Mine the figures of a table, named from its row and column headers.

Header rows are the leading rows with no figure outside the first column (`107年` is a date, not
a figure); the first column holds row headers unless it is all figures. Merged header cells are
repeated across their span (`TableBlock.grid(fill_merged=True)`).

For each body cell:
- short cells (`33`, `46(100%)`, `134 5%`, `8.92%`) give one metric per number; a bare number takes
  its unit from the column header, else the row header (`晤談人次` -> 人次, `受理案件` -> 件,
  `…率` -> %; see `indicators.unit_in_label` and `header_units.tsv`);
- prose cells (a sentence with figures) go through the text miner with the headers as context;
- the period comes from the column header, else the row header (`107年`, `110 1月-9月`); the kind
  from the headers (`目標值` -> target); a strategy title in a header (`優化保護服務輸送 提升風險
  控管`) sets the strategy;
- attributes carry `table_id`, `row`, `col`, `row_header`, `col_header` and `role` (`total` for
  `合計`/`小計`/`總計` rows) so the audit can add columns up; `row_strategy` when a cell of the
  row is part of a strategy title (`網絡資源布建`), for linking to use on slides without a heading.
"""

from __future__ import annotations

from functools import cache

import regex

from extractors.model import TableBlock
from patterns.dates import Period
from patterns.gazetteer import find_strategy_refs, strategy_of_title_part
from patterns.indicators import TextJob, periods_in, unit_in_label
from patterns.kind import kind_of_label
from patterns.metric import Metric
from patterns.nlp import read_tsv
from patterns.normalize import normalize_text
from patterns.numbers import Quantity, find_quantities

PROSE_MIN_HAN = 6
_HAN = regex.compile(r"\p{Han}")
_DIGIT = regex.compile(r"\d")
_SPACES = regex.compile(r"\s+")


@cache
def _total_words() -> tuple[str, ...]:
    return tuple(row["word"] for row in read_tsv("cues.tsv") if row.get("role") == "table_total")


def mine_table(block: TableBlock, page: int, block_index: int) -> tuple[list[Metric], list[TextJob]]:
    """Metrics of the short cells, and text jobs for the prose cells."""
    filled = [[_clean(cell) for cell in row] for row in block.grid(fill_merged=True)]
    own = {(cell.row, cell.col): cell for cell in block.cells}
    if not filled:
        return [], []
    header_rows = _header_rows(filled)
    header_col = _has_row_headers(filled, header_rows)
    table_id = f"p{page}b{block_index}"
    table_unit = _only_header_unit(filled, header_rows, header_col)
    default_period = _latest_header_period(filled, header_rows, header_col)
    totals = _total_words()
    metrics: list[Metric] = []
    jobs: list[TextJob] = []
    order = 0
    for r in range(header_rows, len(filled)):
        row_header = filled[r][0] if header_col else ""
        row_strategy = _row_strategy(filled[r])
        for c in range(1 if header_col else 0, len(filled[r])):
            cell = own.get((r, c))
            if cell is None or not cell.text.strip():
                continue
            col_header = " ".join(dict.fromkeys(filled[h][c] for h in range(header_rows) if filled[h][c]))
            context = _Context(row_header, col_header, table_unit, default_period)
            attributes = {
                "table_id": table_id, "row": r, "col": c,
                "row_header": row_header or None, "col_header": col_header or None,
            }
            if row_header and any(row_header.startswith(word) for word in totals):
                attributes["role"] = "total"
            if row_strategy is not None:
                attributes["row_strategy"] = row_strategy
            text = normalize_text(cell.text)
            if len(_HAN.findall(text)) >= PROSE_MIN_HAN and _DIGIT.search(text):
                jobs.append(
                    TextJob(page, block_index, None, "table", text=cell.text,
                            context_period=context.period,
                            context_kind=context.kind if context.kind != "actual" else None,
                            attributes={**attributes, "cell_bbox": cell.bbox.as_list() if cell.bbox else None})
                )
                if context.strategy:
                    jobs[-1].attributes["strategy"] = context.strategy
                continue
            for quantity in _cell_quantities(text):
                metrics.append(_metric(block, page, block_index, quantity, context, attributes, order, cell.bbox))
                order += 1
    return metrics, jobs


class _Context:
    """What a cell's headers say: period, kind, unit, strategy, indicator."""

    def __init__(self, row_header: str, col_header: str, table_unit: str | None,
                 default_period: Period | None) -> None:
        self.row_header = row_header
        self.col_header = col_header
        col_periods = periods_in(col_header)
        row_periods = periods_in(row_header)
        self.period: Period | None = (col_periods or row_periods or [default_period])[-1]
        self.kind = kind_of_label(f"{row_header} {col_header}")
        self.unit = (unit_in_label(_without_periods(col_header))
                     or unit_in_label(_without_periods(row_header)) or table_unit)
        self.strategy = _strategy_of(col_header) or _strategy_of(row_header)

    def indicator(self) -> tuple[str | None, str | None]:
        """(head, label): the header that names the figure (the column's, unless it is a year)."""
        col = _without_periods(self.col_header).strip()
        row = _without_periods(self.row_header).strip()
        head = col if col and unit_in_label(col) else (row or col)
        label = " ".join(part for part in (row, col) if part) or None
        return (head or None), label


def _only_header_unit(grid: list[list[str]], header_rows: int, header_col: bool) -> str | None:
    """The one count unit the headers name (`受理案件` -> 件), for columns without their own
    (`收案`, `退回` in the same case table); None when headers name none or several."""
    headers = [cell for row in grid[:header_rows] for cell in row]
    if header_col:
        headers += [row[0] for row in grid[header_rows:] if row]
    units = {unit_in_label(_without_periods(cell)) for cell in headers if cell}
    units.discard(None)
    units.discard("%")
    return units.pop() if len(units) == 1 else None


def _latest_header_period(grid: list[list[str]], header_rows: int, header_col: bool) -> Period | None:
    """The latest period among row headers (else column headers): the period of a row such as
    `增加人數` in a table of years."""
    rows = [p for row in grid[header_rows:] if header_col and row for p in periods_in(row[0])]
    cols = [p for row in grid[:header_rows] for cell in row[1:] for p in periods_in(cell)]
    found = rows or cols
    return max(found, key=lambda period: period.end) if found else None


def _strategy_of(header: str) -> int | None:
    for ref in find_strategy_refs(header):
        if ref.how == "number" or ref.score >= 0.6:
            return ref.numbers[0]
    return None


def _row_strategy(row: list[str]) -> int | None:
    """A strategy a row names by part of its title in a cell of its own (`家庭服務資源 | 脆弱家庭
    開案率 | 60% | 65.7%`); linking uses it where no strategy heading is in force."""
    for cell in row:
        if cell and not _is_figure_cell(cell):
            number = strategy_of_title_part(cell)
            if number is not None:
                return number
    return None


def _without_periods(text: str) -> str:
    for period in reversed(periods_in(text)):
        text = text[: period.char_start] + text[period.char_end :]
    return text


def _clean(text: str | None) -> str:
    return _SPACES.sub("", normalize_text(text or ""))


def _cell_quantities(text: str) -> list[Quantity]:
    return find_quantities(text)


def _is_figure_cell(text: str) -> bool:
    stripped = text.strip()
    if not stripped:
        return False
    return bool(find_quantities(stripped)) and len(_HAN.findall(stripped)) < PROSE_MIN_HAN


def _header_rows(grid: list[list[str]]) -> int:
    count = 0
    for row in grid:
        if any(_is_figure_cell(cell) for cell in row[1:]):
            break
        count += 1
    return min(count, max(len(grid) - 1, 0))


def _has_row_headers(grid: list[list[str]], header_rows: int) -> bool:
    body = [row[0] for row in grid[header_rows:] if row]
    return not body or not all(_is_figure_cell(cell) for cell in body)


def _metric(block: TableBlock, page: int, block_index: int, quantity: Quantity, context: _Context,
            attributes: dict[str, object], order: int, bbox: object) -> Metric:
    head, label = context.indicator()
    unit = quantity.unit or context.unit
    metric = Metric(
        page=page,
        block_index=block_index,
        source="table",
        indicator=head,
        label=label,
        value=quantity.value,
        value_text=quantity.value_text,
        unit=unit,
        kind=context.kind,
        comparator=quantity.comparator,
        snippet=" ".join(part for part in (context.row_header, context.col_header, quantity.text) if part),
        bbox=bbox.as_list() if bbox is not None else (block.bbox.as_list() if block.bbox else None),  # type: ignore[attr-defined]
        attributes={**attributes, "order": order},
    )
    if quantity.supervisors is not None:
        metric.attributes.update(supervisors=quantity.supervisors, workers=quantity.workers)
    if context.strategy:
        metric.strategy = context.strategy
    if context.period is not None:
        from patterns.linking import apply_period

        apply_period(metric, context.period, "header")
    return metric


__all__ = ["mine_table"]
