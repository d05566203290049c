"""Table interpretation: read a `TableBlock` as a person does, before any figure is mined.

A grid of cell texts becomes an `InterpretedTable` (structure first, then meaning, as in Wang's
table model and TabbyXL's rule-based canonicalisation):

- **header rows**: the leading rows a reader takes as headers. Row 0 is a header when a cell past
  the stub holds a label and none holds a figure with a unit, decimals or a percent; a later row is
  one when the corner cell or a spanning header reaches down into it (`擴編` over `115 | 116`).
  Number-like header cells (`115`, `1925`) stay labels: they are never values.
- **stub columns**: the leading columns whose body cells are labels (a row-group header merged down
  several rows, then the indicator: `執行成果 | 訪視率`). A row's path is its stub labels, outer
  to inner; a column's path is its header labels, outer to inner (merged spans carried down).
- **caption rows**: leading rows holding one text and nothing else (a heading box drawn as the
  table's first row); their period, like the corner's, dates the table.
- **corner cell**: the top-left header cell over the stub; its period (`113年1-9月`) and unit
  (`(千元)`) apply to the whole table.
- **typed cells**: count, rate, `count share%` (`312 4.8%`, `46(100%)`), fraction, not reported
  (`-`), prose, label.
- **roles** of rows and columns (`table_words.tsv`): part (data), total, subtotal (`小計`, a group's
  own `北區合計`), subset (`其中`), rate, share, difference, growth, national (`全國`), not an
  indicator (`序號`, `電話`); a stub of bare years (`111 | 112`) dates its rows with the corner's
  months, a stub column headed `策略` names each row's strategy; a signed cell (`+122`) keeps its sign.

The calculations the structure declares are added by `patterns.table_relations`. The table miner
(`patterns.tables`) and, through the metrics, the audit read this record, not the grid. Settings
are in `TableSettings`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from deckmine.extractors.model import TableBlock
from deckmine.patterns.data_tables import column
from deckmine.patterns.dates import Period
from deckmine.patterns.gazetteer import (
    find_county_mentions,
    find_strategy_refs,
    numerals,
    strategies,
)
from deckmine.patterns.numbers import Quantity
from deckmine.patterns.table_cells import (
    BARE_INTEGER,
    DEFAULT_SETTINGS,
    HAN,
    CellReading,
    TableSettings,
    clean_cell,
    is_code,
    is_figure,
    is_label,
    is_not_reported,
    periods_in,
    read_cell,
    strong_figure,
    year_like,
)
from deckmine.patterns.table_words import has_word, starts_with_word, table_words

CellRef = tuple[int, int]


@dataclass
class Line:
    """A body row or a column: its header path (outer to inner) and its role."""

    index: int
    path: tuple[str, ...]
    role: str = "data"  # data | total | subtotal | subset | rate | share | difference | growth | national | not_indicator | stub
    county: str | None = None
    period: Period | None = None
    strategy: int | None = None  # a row named by a strategy stub column (role `strategy_header`)

    @property
    def label(self) -> str:
        return " ".join(self.path)

    @property
    def inner(self) -> str:
        return self.path[-1] if self.path else ""


@dataclass(frozen=True)
class Relation:
    """A calculation the table's structure declares. `inputs`: for `sum` the parts; for `rate`
    (numerator, denominator); for `difference` and `growth` (later, earlier); for `share_sum`
    the shares of one whole; for `share` (count cell, *base cells) where the base is their sum."""

    kind: str
    target: CellRef
    inputs: tuple[CellRef, ...]
    declared_by: str
    growth_base: str = "earlier"  # growth: divide by the earlier or the later figure


@dataclass(frozen=True)
class Undecided:
    """A check the structure leaves open: what, where and why."""

    kind: str
    target: CellRef
    reason: str


@dataclass
class InterpretedTable:
    block: TableBlock
    grid: list[list[str]]
    header_rows: int
    stub_cols: int
    corner: str
    corner_period: Period | None
    rows: dict[int, Line]
    cols: dict[int, Line]
    cells: dict[CellRef, CellReading]
    relations: list[Relation] = field(default_factory=list)
    undecided: list[Undecided] = field(default_factory=list)
    caption: str = ""

    def value(self, ref: CellRef, part: str = "count") -> Quantity | None:
        cell = self.cells.get(ref)
        if cell is None:
            return None
        if cell.cell_type == "count_share":
            return cell.count if part == "count" else cell.share
        if cell.cell_type in ("count", "rate") and len(cell.quantities) == 1:
            return cell.quantities[0]
        return None


# --- reading the grid -------------------------------------------------------------------------


def interpret_table(block: TableBlock, settings: TableSettings = DEFAULT_SETTINGS) -> InterpretedTable:
    """The interpreted table of one `TableBlock` (see the module docstring)."""
    grid = [[clean_cell(cell) for cell in row] for row in block.grid(fill_merged=True)]
    own = {(cell.row, cell.col): cell for cell in block.cells}
    top = _caption_rows(block, grid)
    header_rows = _header_rows(block, grid, settings, top)
    stub_cols = _stub_cols(grid, header_rows, settings)
    corner = " ".join(dict.fromkeys(grid[r][c] for r in range(top, header_rows) for c in range(stub_cols) if grid[r][c]))
    caption = " ".join(dict.fromkeys(text for row in grid[:top] for text in row if text))
    corner_periods = periods_in(corner) or periods_in(caption)
    cols = {c: _column_line(grid, top, header_rows, stub_cols, c) for c in range(block.n_cols)}
    rows = {r: _row_line(grid, stub_cols, r) for r in range(header_rows, block.n_rows)}
    cells: dict[CellRef, CellReading] = {}
    for r in rows:
        for c in range(stub_cols, block.n_cols):
            cell = own.get((r, c))
            if cell is None:
                continue
            cells[(r, c)] = read_cell(r, c, cell.text or "", settings)
    _year_columns(grid, top, header_rows, stub_cols, cols)
    _year_rows(rows, corner)
    _strategy_rows(grid, top, header_rows, stub_cols, rows)
    return InterpretedTable(block, grid, header_rows, stub_cols, corner,
                            corner_periods[-1] if corner_periods else None, rows, cols, cells, caption=caption)


def _caption_rows(block: TableBlock, grid: list[list[str]]) -> int:
    """Leading rows that hold one text and nothing else, in one cell or one cell across the whole
    width (a title or heading box drawn as the table's first row, `保護服務｜兒少家外安置`): a
    caption, not a header."""
    count = 0
    while len(grid) - count > 2 and len(grid[count]) > 1 and len({text for text in grid[count] if text}) == 1:
        across = any(cell.row == count and cell.col_span >= block.n_cols for cell in block.cells)
        if not across and all(grid[count]):
            break
        count += 1
    return count


def _header_rows(block: TableBlock, grid: list[list[str]], settings: TableSettings, top: int = 0) -> int:
    """The index of the first body row (header rows run from `top`, after any caption rows)."""
    if len(grid) - top < 2 or not _opens_header(grid[top], settings):
        return top
    count = top + 1
    covered = {(r, c) for cell in block.cells for r in range(cell.row + 1, cell.row + cell.row_span)
               for c in range(cell.col, cell.col + cell.col_span)}
    while count < min(top + settings.max_header_rows, len(grid) - 1):
        if not _continues_header(block, grid[count], count, covered, settings):
            break
        count += 1
    return count


def _opens_header(first: list[str], settings: TableSettings) -> bool:
    """The first row is a header: a label (or a run of years) past the stub, and no strong figure."""
    has_label = any(is_label(cell, settings) and not is_figure(cell, settings) for cell in first[1:])
    return (has_label or year_like(first[1:])) and not any(strong_figure(cell, settings) for cell in first[1:])


def _continues_header(block: TableBlock, row: list[str], index: int, covered: set[CellRef],
                      settings: TableSettings) -> bool:
    """A header row's first cell is the corner reaching down, or empty under a spanning header
    (`擴編` over `115 | 116`); a row that names itself in its first cell is a body row."""
    if (index, 0) not in covered and row[0]:
        return False
    under_group = any(cell.col_span > 1 and cell.col > 0 and cell.row + cell.row_span == index
                      for cell in block.cells)
    reached = (index, 0) in covered or (under_group and not row[0])
    all_labels = all(not cell or is_label(cell, settings) for cell in row[1:])
    return reached and all_labels and not any(strong_figure(cell, settings) for cell in row)


def _stub_cols(grid: list[list[str]], header_rows: int, settings: TableSettings) -> int:
    """Leading columns whose body cells are all labels (at least one, unless col 0 holds figures)."""
    body = grid[header_rows:]
    if not body:
        return 0
    count = 0
    for c in range(len(grid[0]) - 1):
        column = [row[c] for row in body if c < len(row)]
        numbers = [text for text in column if text and BARE_INTEGER.match(text)]
        years = c == 0 and year_like(numbers) and all(
            BARE_INTEGER.match(text) or not is_figure(text, settings) for text in column if text)
        if not years and any(is_figure(text, settings) for text in column if text):
            break
        if not any(column):
            break
        count += 1
    return count


def _column_line(grid: list[list[str]], top: int, header_rows: int, stub_cols: int, col: int) -> Line:
    path = tuple(dict.fromkeys(grid[r][col] for r in range(top, header_rows) if grid[r][col]))
    line = Line(col, path)
    text = line.label
    if col < stub_cols:
        line.role = "stub"
    elif line.inner in table_words().get("national", ()):
        line.role = "national"
    elif has_word(text, "not_indicator"):
        line.role = "not_indicator"
    elif has_word(text, "subtotal"):
        line.role = "subtotal"
    elif has_word(line.inner, "share"):
        line.role = "share"
    elif has_word(line.inner, "non_additive"):
        line.role = "rate"
    elif has_word(text, "total") or starts_with_word(line.inner, "total_prefix"):
        line.role = "total"
    elif starts_with_word(line.inner, "subset"):
        line.role = "subset"
    line.county = _county_of(path)
    periods = [p for label in path for p in periods_in(label)]
    line.period = periods[-1] if periods else None
    return line


def _year_columns(grid: list[list[str]], top: int, header_rows: int, stub_cols: int, cols: dict[int, Line]) -> None:
    """A header row of bare years (`115 | 116` under `擴編`) dates its columns."""
    for r in range(top, header_rows):
        if not year_like(grid[r][stub_cols:]):
            continue
        for c in range(stub_cols, len(grid[r])):
            if BARE_INTEGER.match(grid[r][c] or "") and cols[c].period is None:
                cols[c].period = periods_in(f"{grid[r][c]}年")[-1]


def _strategy_rows(grid: list[list[str]], top: int, header_rows: int, stub_cols: int, rows: dict[int, Line]) -> None:
    """A stub column headed `策略` (`策略 | 指標 | 目標 | 實績`) names each row's strategy by
    its numeral (`一`, `貳`, `3`) or heading (`策略二`)."""
    words = table_words().get("strategy_header", ())
    for c in range(stub_cols):
        header = "".join(grid[r][c] for r in range(top, header_rows))
        if not any(word in header for word in words):
            continue
        values = numerals()
        for r, line in rows.items():
            cell = grid[r][c].strip("()（）、.")
            number = values.get(cell)
            if number is None:
                refs = find_strategy_refs(cell)
                number = refs[0].numbers[0] if refs and refs[0].how == "number" else None
            if number is not None and any(s.number == number for s in strategies()):
                line.strategy = number


@cache
def _date_marks() -> tuple[str, str]:
    """The year and month marks (date_words.tsv roles `year_unit`, `month_unit`)."""
    return (column("date_words.tsv", "word", role="year_unit")[0],
            column("date_words.tsv", "word", role="month_unit")[0])


@cache
def _month_range() -> re.Pattern[str]:
    month = re.escape(_date_marks()[1])
    return re.compile(rf"(\d{{1,2}})\s*(?:{month})?\s*[-~～至]\s*(\d{{1,2}})\s*{month}")


def _year_rows(rows: dict[int, Line], corner: str) -> None:
    """A stub of bare years (`111 | 112 | 113`) dates its rows, with the months the corner names
    (`年度(1-10月)`: each row is that year's January to October)."""
    years = [line for line in rows.values() if len(line.path) == 1 and BARE_INTEGER.match(line.path[0])]
    if not year_like([line.path[0] for line in years]):
        return
    year_mark, month_mark = _date_marks()
    months = _month_range().search(corner)
    suffix = f"{months.group(1)}-{months.group(2)}{month_mark}" if months else ""
    for line in years:
        found = periods_in(f"{line.path[0]}{year_mark}{suffix}")
        if found and line.period is None:
            line.period = found[-1]


def _row_line(grid: list[list[str]], stub_cols: int, row: int) -> Line:
    path = tuple(dict.fromkeys(grid[row][c] for c in range(stub_cols) if grid[row][c]))
    line = Line(row, path)
    inner = line.inner
    if has_word(inner, "growth"):
        line.role = "growth"
    elif has_word(inner, "difference"):
        line.role = "difference"
    elif inner in table_words().get("national", ()):
        line.role = "national"
    elif has_word(inner, "subtotal") or (has_word(inner, "total") and not starts_with_word(inner, "total")):
        line.role = "subtotal"  # a subtotal, and a group's own total
    elif starts_with_word(inner, "total"):
        line.role = "total"
    elif starts_with_word(inner, "subset"):
        line.role = "subset"
    elif has_word(inner, "share"):
        line.role = "share"
    elif inner.endswith(table_words().get("rate_suffix", ())):
        line.role = "rate"
    line.county = _county_of(path)
    periods = [p for label in path for p in periods_in(label)]
    line.period = periods[-1] if periods else None
    return line


def _county_of(path: tuple[str, ...]) -> str | None:
    """The county a row or column is named for: a label that is a county's full name (`台北市`,
    `臺東縣(含離島)`), never one that only starts with one (`臺北榮民總醫院臺東分院`)."""
    for label in reversed(path):
        mentions = [m for m in find_county_mentions(label) if not m.is_township_city and m.confidence >= 1.0]
        if mentions and mentions[0].start == 0 and not HAN.match(label[mentions[0].end : mentions[0].end + 1]):
            return mentions[0].canonical
    return None




__all__ = [
    "CellReading", "InterpretedTable", "Line", "Relation", "TableSettings", "Undecided",
    "has_word", "interpret_table", "is_code", "is_not_reported", "periods_in", "starts_with_word",
    "table_words",
]
