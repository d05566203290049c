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
- **roles** of rows and columns (`table_words.tsv`): part (data), total, subtotal, subset (`其中`),
  rate, share, difference, growth, national (`全國`), not an indicator (`序號`, `電話`).
- **relations** the structure declares, each with how it was declared: a total and its parts
  (a `合計` row over its group's rows; a `合計` column over the columns under the same spanning
  header, or over the one set of columns that adds up on the other rows), a rate and the count
  columns or rows its head names (`rate_formulas.tsv`), a `count share%` cell and its base, the
  shares of one row, a difference or growth row and the two rows above it. What no reading
  explains is listed in `undecided` with the reason.

The table miner (`patterns.tables`) and, through the metrics, the audit read this record, not the
grid. Settings are in `TableSettings`.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field, replace
from fractions import Fraction
from functools import cache, lru_cache

from extractors.model import TableBlock
from patterns.dates import ROC_YEAR_RANGE, Period, find_periods
from patterns.gazetteer import (
    counties,
    find_county_mentions,
    find_strategy_refs,
    numerals,
    rate_formulas,
    strategies,
)
from patterns.nlp import read_tsv
from patterns.normalize import normalize_text
from patterns.numbers import Quantity, find_quantities

CellRef = tuple[int, int]
_HAN = re.compile(r"[\u4e00-\u9fff]")
_DIGIT = re.compile(r"\d")
_SPACES = re.compile(r"\s+")
_BARE_INTEGER = re.compile(r"^\d{2,4}$")
_EXPLICIT_FRACTION = re.compile(r"[(（]?\s*([\u4e00-\u9fffA-Za-z]{1,8})\s*[/／÷]\s*([\u4e00-\u9fffA-Za-z]{1,8})\s*[)）]?")


@dataclass(frozen=True)
class TableSettings:
    """How tables are read. Defaults suit the briefing decks seen so far.

    - `prose_min_han`: a cell with at least this many Han characters and a digit is prose, mined
      as a sentence with its headers as context.
    - `max_header_rows`: never take more leading rows than this as headers.
    - `sum_max_candidates`: the most candidate columns searched for the set that adds up to a
      total column (2**n subsets are tried).
    - `sum_min_rows`: rows a set of columns must explain before it is taken as the total's parts.
    """

    prose_min_han: int = 6
    max_header_rows: int = 4
    sum_max_candidates: int = 10
    sum_min_rows: int = 2


DEFAULT_SETTINGS = TableSettings()


@cache
def table_words() -> dict[str, tuple[str, ...]]:
    """role -> words, from `patterns/data/table_words.tsv`."""
    roles: dict[str, list[str]] = {}
    for row in read_tsv("table_words.tsv"):
        roles.setdefault(row["role"], []).append(row["word"])
    return {role: tuple(sorted(words, key=len, reverse=True)) for role, words in roles.items()}


def has_word(text: str, role: str) -> bool:
    return any(word in text for word in table_words().get(role, ()))


def starts_with_word(text: str, role: str) -> bool:
    return text.startswith(table_words().get(role, ()))


@dataclass
class CellReading:
    """One body cell: its text, type and the quantities it holds."""

    row: int
    col: int
    text: str
    raw_text: str
    cell_type: str  # count | rate | count_share | fraction | not_reported | code | prose | label | empty
    quantities: list[Quantity] = field(default_factory=list)

    @property
    def count(self) -> Quantity | None:
        return next((q for q in self.quantities if q.unit != "%"), None)

    @property
    def share(self) -> Quantity | None:
        return next((q for q in self.quantities if q.unit == "%"), None)


@dataclass
class Line:
    """A body row or a column: its header path (outer to inner) and its role."""

    index: int
    path: tuple[str, ...]
    role: str = "data"  # data | total | subtotal | subset | rate | share | difference | growth | national | not_indicator | stub
    county: str | None = None
    period: Period | None = None
    strategy: int | None = None  # a row named by a `策略` stub column (`一`, `策略二`)

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
    grid = [[_clean(cell) for cell in row] for row in block.grid(fill_merged=True)]
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
            cells[(r, c)] = _read_cell(r, c, cell.text or "", settings)
    _year_columns(grid, top, header_rows, stub_cols, cols)
    _year_rows(rows, corner)
    _strategy_rows(grid, top, header_rows, stub_cols, rows)
    table = InterpretedTable(block, grid, header_rows, stub_cols, corner,
                             corner_periods[-1] if corner_periods else None, rows, cols, cells, caption=caption)
    _declare_relations(table, settings)
    return table


def _clean(text: str | None) -> str:
    return _SPACES.sub("", normalize_text(text or ""))


@lru_cache(maxsize=8192)
def periods_in(text: str) -> tuple[Period, ...]:
    return tuple(find_periods(text))


def _strong_figure(text: str, settings: TableSettings) -> bool:
    """A cell that can only be a value: a number with a unit, decimals, separators or a percent."""
    if not text or (len(_HAN.findall(text)) >= settings.prose_min_han):
        return False
    for quantity in find_quantities(text):
        if quantity.unit is not None or "." in quantity.value_text or "," in quantity.value_text:
            return True
    return False


def _is_label(text: str, settings: TableSettings) -> bool:
    """A header-like cell: words (a period, a name), or a bare number that may be a year or a
    hotline; never a figure with a unit, decimals or a percent."""
    if not text:
        return False
    if _strong_figure(text, settings):
        return False
    return bool(_HAN.search(text) or re.search(r"[A-Za-z]", text) or _BARE_INTEGER.match(text))


def _is_figure(text: str, settings: TableSettings) -> bool:
    if not text or len(_HAN.findall(text)) >= settings.prose_min_han:
        return False
    if is_not_reported(text):
        return True
    return bool(find_quantities(text)) and not periods_in(text)


_PHONE = re.compile(r"(?:^|[^\d])(?:\(0\d{1,3}\)|0\d{1,3}-)\d{3,4}-?\d{3,4}|^0800-?\d{3}-?\d{3}|分機\d+")


@cache
def _address_pattern() -> re.Pattern[str]:
    units = "|".join(re.escape(word) for word in table_words().get("address", ()))
    return re.compile(rf"\d+\s*(?:{units})(?:\d|$|[之\-])") if units else re.compile(r"(?!)")


def is_code(text: str) -> bool:
    """A phone number (`(07)741-3026`, `0800-000-123`), an address (`18巷3號`) or a leading-zero
    serial (`01`): numbers that are not figures."""
    return bool(_PHONE.search(text) or _address_pattern().search(text) or re.fullmatch(r"0\d+", text))


_SIGNED = re.compile(r"^([+\-−－＋])\s*\d")


def _signed(compact: str, quantities: list[Quantity]) -> list[Quantity]:
    """`+122`, `-19` in a difference row: the sign is part of the figure."""
    sign = _SIGNED.match(compact)
    if sign is None:
        return quantities
    quantities = quantities or find_quantities(compact[1:])
    if not quantities:
        return quantities
    first = quantities[0]
    negative = sign.group(1) in "-−－"
    signed = replace(first, value=-first.value if negative else first.value,
                     value_text=("-" if negative else "+") + first.value_text.lstrip("+-"))
    return [signed, *quantities[1:]]


def is_not_reported(text: str) -> bool:
    return text in table_words().get("not_reported", ())


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
    if len(grid) - top < 2:
        return top
    first = grid[top]
    has_label = any(_is_label(cell, settings) and not _is_figure(cell, settings) for cell in first[1:])
    if not (has_label or _year_like(first[1:])) or any(_strong_figure(cell, settings) for cell in first[1:]):
        return top
    count = top + 1
    covered = {(r, c) for cell in block.cells for r in range(cell.row + 1, cell.row + cell.row_span)
               for c in range(cell.col, cell.col + cell.col_span)}
    while count < min(top + settings.max_header_rows, len(grid) - 1):
        row = grid[count]
        # A header row's first cell is the corner reaching down, or empty under a spanning header
        # (`擴編` over `115 | 116`); a row that names itself in its first cell is a body row.
        opens_with_label = (count, 0) not in covered and bool(row[0])
        under_group = any(cell.col_span > 1 and cell.col > 0 and cell.row + cell.row_span == count
                          for cell in block.cells)
        reached = (count, 0) in covered or (under_group and not row[0])
        all_labels = all(not cell or _is_label(cell, settings) for cell in row[1:])
        if opens_with_label or not (reached and all_labels) or any(_strong_figure(cell, settings) for cell in row):
            break
        count += 1
    return count


def _year_like(cells: list[str]) -> bool:
    """Bare numbers that read as years (`110 | 111 | 112`): at least two, rising, all ROC years."""
    years = [int(cell) for cell in cells if _BARE_INTEGER.match(cell or "")]
    return len(years) >= 2 and all(ROC_YEAR_RANGE[0] <= y <= ROC_YEAR_RANGE[1] for y in years) \
        and years == sorted(years) and len(set(years)) == len(years)


def _stub_cols(grid: list[list[str]], header_rows: int, settings: TableSettings) -> int:
    """Leading columns whose body cells are all labels (at least one, unless col 0 holds figures)."""
    body = grid[header_rows:]
    if not body:
        return 0
    count = 0
    for c in range(len(grid[0]) - 1):
        column = [row[c] for row in body if c < len(row)]
        numbers = [text for text in column if text and _BARE_INTEGER.match(text)]
        years = c == 0 and _year_like(numbers) and all(
            _BARE_INTEGER.match(text) or not _is_figure(text, settings) for text in column if text)
        if not years and any(_is_figure(text, settings) for text in column if text):
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
        if not _year_like(grid[r][stub_cols:]):
            continue
        for c in range(stub_cols, len(grid[r])):
            if _BARE_INTEGER.match(grid[r][c] or "") and cols[c].period is None:
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


_MONTH_RANGE = re.compile(r"(\d{1,2})\s*(?:月)?\s*[-~～至]\s*(\d{1,2})\s*月")


def _year_rows(rows: dict[int, Line], corner: str) -> None:
    """A stub of bare years (`111 | 112 | 113`) dates its rows, with the months the corner names
    (`年度(1-10月)`: each row is that year's January to October)."""
    years = [line for line in rows.values() if len(line.path) == 1 and _BARE_INTEGER.match(line.path[0])]
    if not _year_like([line.path[0] for line in years]):
        return
    months = _MONTH_RANGE.search(corner)
    suffix = f"{months.group(1)}-{months.group(2)}月" if months else ""
    for line in years:
        found = periods_in(f"{line.path[0]}年{suffix}")
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
        line.role = "subtotal"  # `小計`, and a group's own total (`北區合計`)
    elif starts_with_word(inner, "total"):
        line.role = "total"
    elif starts_with_word(inner, "subset"):
        line.role = "subset"
    elif has_word(inner, "share"):
        line.role = "share"
    elif inner.endswith(("率", "比例")):
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
        if mentions and mentions[0].start == 0 and not _HAN.match(label[mentions[0].end : mentions[0].end + 1]):
            return mentions[0].canonical
    return None


def _read_cell(row: int, col: int, raw: str, settings: TableSettings) -> CellReading:
    text = normalize_text(raw).strip()
    compact = _SPACES.sub("", text)
    if not compact:
        return CellReading(row, col, text, raw, "empty")
    if is_not_reported(compact):
        return CellReading(row, col, text, raw, "not_reported")
    if len(_HAN.findall(text)) >= settings.prose_min_han and _DIGIT.search(text):
        return CellReading(row, col, text, raw, "prose")
    if is_code(compact):
        return CellReading(row, col, text, raw, "code")
    quantities = _signed(compact, find_quantities(text))
    if not quantities:
        return CellReading(row, col, text, raw, "label")
    if len(quantities) == 2 and re.fullmatch(r"[\d,.]+\s*[/／]\s*[\d,.]+", compact):
        return CellReading(row, col, text, raw, "fraction", quantities)
    units = [q.unit == "%" for q in quantities]
    if len(quantities) == 2 and units == [False, True]:
        return CellReading(row, col, text, raw, "count_share", quantities)
    if len(quantities) == 1:
        return CellReading(row, col, text, raw, "rate" if units[0] else "count", quantities)
    return CellReading(row, col, text, raw, "label" if periods_in(text) else "count", quantities)


# --- relations --------------------------------------------------------------------------------


def _declare_relations(table: InterpretedTable, settings: TableSettings) -> None:
    _rate_relations(table)
    _row_total_relations(table)
    _column_total_relations(table, settings)
    _change_relations(table)
    _share_relations(table)


def _numeric(table: InterpretedTable, ref: CellRef) -> Fraction | None:
    quantity = table.value(ref)
    if quantity is None:
        return None
    return Fraction(str(quantity.value))


def _formula_of(label: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The count names a rate's header gives: written out (`進用率(進用/核定)`, `實際/目標`), else
    those of its head in `rate_formulas.tsv`."""
    explicit = _EXPLICIT_FRACTION.search(label)
    if explicit and not _DIGIT.search(explicit.group(0)):
        return (explicit.group(1),), (explicit.group(2),)
    for formula in rate_formulas():
        if formula.head in label:
            return formula.numerator, formula.denominator
    return None


def _rate_word_at_end(label: str) -> bool:
    return bool(re.search(r"率(?:\(.*\)|（.*）)?$", label)) or bool(_EXPLICIT_FRACTION.search(label) and "率" in label)


def _matching_line(lines: list[Line], words: tuple[str, ...], exclude: set[int],
                   allow_rates: bool = False) -> Line | None:
    """The one line (row or column) whose inner label names one of `words`; None if not exactly one.
    A rate line never counts, unless `allow_rates` (a `count(rate%)` column holds its count too)."""
    for word in words:
        found = [line for line in lines if line.index not in exclude
                 and word in re.sub(r"[(（][^()（）]*[)）]\s*$", "", line.inner)
                 and (allow_rates or not _rate_word_at_end(line.inner))]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            return None
    return None


def _rate_relations(table: InterpretedTable) -> None:
    value_cols = [line for line in table.cols.values() if line.role not in ("stub", "not_indicator")]
    for col in value_cols:
        if not _rate_word_at_end(col.inner) and not _rate_word_at_end(col.label):
            continue
        formula = _formula_of(col.label)
        if formula is None:
            continue
        siblings = [line for line in value_cols if line.path[:-1] == col.path[:-1] and line.index != col.index]
        siblings = siblings or [line for line in value_cols if line.index != col.index]
        top = _matching_line(siblings, formula[0], set())
        bottom = _matching_line(siblings, formula[1], {top.index} if top else set())
        if top is None or bottom is None:
            continue
        for r in table.rows:
            _add_rate(table, (r, col.index), (r, top.index), (r, bottom.index), f"column header {col.inner}")
    rows = list(table.rows.values())
    for row in rows:
        if row.role != "rate":
            continue
        formula = _formula_of(row.label)
        if formula is None:
            continue
        group = [line for line in rows if line.path[:-1] == row.path[:-1] and line.index != row.index]
        top = _matching_line(group, formula[0], set())
        bottom = _matching_line(group, formula[1], {top.index} if top else set())
        if top is None or bottom is None:
            continue
        for c in table.cols:
            _add_rate(table, (row.index, c), (top.index, c), (bottom.index, c), f"row header {row.inner}")


def _add_rate(table: InterpretedTable, rate: CellRef, top: CellRef, bottom: CellRef, how: str) -> None:
    cell = table.cells.get(rate)
    if cell is None or cell.cell_type != "rate":
        return
    if table.value(top) is None or table.value(bottom) is None:
        return
    if (table.value(top).unit == "%") != (table.value(bottom).unit == "%"):  # type: ignore[union-attr]
        return  # a count over a rate is no rate; a rate over a rate is (an achievement of 93.1/95)
    table.relations.append(Relation("rate", rate, (top, bottom), how))


def _part_rows(table: InterpretedTable, total: Line) -> list[int]:
    rows = sorted(table.rows)
    above = [r for r in rows if r < total.index]
    if total.role == "subtotal":
        start = max((r for r in above if table.rows[r].role in ("total", "subtotal")), default=-1)
        above = [r for r in above if r > start]
    elif any(table.rows[r].role == "subtotal" for r in above):
        return [r for r in above if table.rows[r].role == "subtotal"]
    group = total.path[:-1]
    return [r for r in above if table.rows[r].role == "data" and table.rows[r].path[:len(group)] == group]


def _all_county_rows(table: InterpretedTable) -> list[int]:
    rows = [r for r, line in table.rows.items() if line.county and line.role == "data"]
    listed = {table.rows[r].county for r in rows}
    return rows if len(listed) == len(rows) == len(counties()) else []


def _row_total_relations(table: InterpretedTable) -> None:
    for total in table.rows.values():
        if total.role == "national":
            part_rows = _all_county_rows(table)  # 全國 adds up only when every county is listed
        elif total.role in ("total", "subtotal"):
            part_rows = _part_rows(table, total)
        else:
            continue
        if len(part_rows) < 2:
            continue
        for col in table.cols.values():
            if col.role in ("stub", "not_indicator", "rate", "share"):
                continue
            target = (total.index, col.index)
            cell = table.cells.get(target)
            if cell is None or cell.cell_type not in ("count", "count_share", "rate"):
                continue
            if cell.cell_type == "rate":
                if table.value(target).value == 100:  # type: ignore[union-attr]
                    parts = tuple((r, col.index) for r in part_rows)
                    if all(table.cells.get(p) is not None and table.cells[p].cell_type == "rate" for p in parts):
                        table.relations.append(Relation("share_sum", target, parts, f"{total.inner} row of 100%"))
                continue
            parts = tuple((r, col.index) for r in part_rows)
            missing = [p for p in parts if table.value(p) is None]
            if missing:
                table.undecided.append(Undecided("sum", target, "a part of the total is not reported"))
                continue
            how = f"{total.inner} row" + (" over every county" if total.role == "national" else "")
            table.relations.append(Relation("sum", target, parts, how))


def _column_total_relations(table: InterpretedTable, settings: TableSettings) -> None:
    for total in table.cols.values():
        if total.role != "total":
            continue
        rows = [r for r, line in table.rows.items() if line.role not in ("growth", "difference")]
        rows = [r for r in rows if table.value((r, total.index)) is not None
                and table.value((r, total.index)).unit != "%"]  # type: ignore[union-attr]
        if not rows:
            continue
        declared = _parts_under_same_header(table, total)
        if declared:
            parts, how = declared, "spanning header"
        else:
            chosen = _columns_that_add_up(table, total, rows, settings)
            if isinstance(chosen, str):
                for r in rows:
                    table.undecided.append(Undecided("sum", (r, total.index), chosen))
                continue
            parts, how = chosen, "columns that add up on the other rows"
        for r in rows:
            refs = tuple((r, c) for c in parts)
            if any(table.value(ref) is None for ref in refs):
                table.undecided.append(Undecided("sum", (r, total.index), "a part of the total is not reported"))
                continue
            table.relations.append(Relation("sum", (r, total.index), refs, how))


def _candidate_parts(table: InterpretedTable, total: Line) -> list[int]:
    return [line.index for line in table.cols.values()
            if line.index != total.index and line.role == "data"
            and any(table.value((r, line.index)) is not None and table.value((r, line.index)).unit != "%"  # type: ignore[union-attr]
                    for r in table.rows)]


def _parts_under_same_header(table: InterpretedTable, total: Line) -> list[int] | None:
    """Columns under the same spanning header as the total (`人數` over `男 | 女 | 合計`)."""
    if len(total.path) < 2:
        return None
    parent = total.path[:-1]
    parts = [c for c in _candidate_parts(table, total) if table.cols[c].path[:-1] == parent]
    return parts if len(parts) >= 2 else None


def _columns_that_add_up(table: InterpretedTable, total: Line, rows: list[int],
                         settings: TableSettings) -> list[int] | str:
    """The one set of candidate columns whose sum is the total on all rows but at most a few; a
    reason string when there is none, or several."""
    candidates = _candidate_parts(table, total)
    if len(candidates) < 2:
        return f"{total.inner}: fewer than two columns could be its parts"
    if len(candidates) > settings.sum_max_candidates:
        return f"{total.inner}: too many columns to tell which are its parts"
    explained: dict[tuple[int, ...], int] = {}
    for size in range(2, len(candidates) + 1):
        for subset in itertools.combinations(candidates, size):
            hits = 0
            for r in rows:
                values = [_numeric(table, (r, c)) for c in subset]
                total_value = _numeric(table, (r, total.index))
                if total_value is not None and all(v is not None for v in values) and sum(values) == total_value:  # type: ignore[arg-type]
                    hits += 1
            if hits:
                explained[subset] = hits
    if not explained:
        return f"no set of columns adds up to {total.inner} on any row"
    best = max(explained.values())
    winners = [subset for subset, hits in explained.items() if hits == best]
    allowed_misses = max(1, len(rows) // 4)
    if best < min(settings.sum_min_rows, len(rows)) or len(rows) - best > allowed_misses:
        return f"no set of columns adds up to {total.inner} on most rows"
    if len(winners) > 1:
        return f"several sets of columns add up to {total.inner}"
    return list(winners[0])


def _change_relations(table: InterpretedTable) -> None:
    """`增加人數` and `增加率` rows against the two data rows above them."""
    for line in table.rows.values():
        if line.role not in ("difference", "growth"):
            continue
        data_rows = [r for r in sorted(table.rows) if r < line.index and table.rows[r].role == "data"]
        if len(data_rows) < 2:
            continue
        earlier, later = data_rows[-2], data_rows[-1]
        base = "later" if re.search(r"/\s*[(（]?\s*(當年|今年|本年|本期)", line.label) else "earlier"
        for c, cell in table.cells.items():
            if c[0] != line.index or cell.cell_type not in ("count", "rate"):
                continue
            col = _column_named_in(table, line.label) or c[1]
            if table.value((earlier, col)) is None or table.value((later, col)) is None:
                continue
            kind = "growth" if line.role == "growth" else "difference"
            table.relations.append(Relation(kind, c, ((later, col), (earlier, col)), f"{line.inner} row", base))


def _column_named_in(table: InterpretedTable, text: str) -> int | None:
    named = [(len(line.label), line.index) for line in table.cols.values()
             if line.role != "stub" and line.label and line.label in text]
    return max(named)[1] if named else None


def _share_relations(table: InterpretedTable) -> None:
    """`count share%` cells. A column whose header names a rate (`開案件數(開案率)`) holds rates of
    its row (checked like a rate column). The other count-share columns hold shares; whether of
    their row or of their column is read from the table: the orientation in which more lines add
    to 100 (a total line printed as 100% declares it). Each share is then its count over its line's
    base: the sum of the line's counts, or its printed total (two readings); the shares of a line
    split one whole only when no printed total disagrees with the sum of its parts."""
    shared = sorted({c for (r, c), cell in table.cells.items() if cell.cell_type == "count_share"
                     and table.cols[c].role not in ("total", "subtotal", "subset")})
    rate_cols = [c for c in shared if _names_a_rate(table.cols[c])]
    for c in rate_cols:
        _count_share_rates(table, c)
    share_cols = [c for c in shared if c not in rate_cols]
    if not share_cols:
        _share_columns(table)
        return
    data_rows = [r for r, line in table.rows.items() if line.role == "data"]
    by_row = [tuple((r, c) for c in share_cols if _is_count_share(table, (r, c))) for r in table.rows]
    by_col = [tuple((r, c) for r in data_rows if _is_count_share(table, (r, c))) for c in share_cols]
    by_row = [refs for refs in by_row if len(refs) >= 2]
    by_col = [refs for refs in by_col if len(refs) >= 2]
    rows_add_up = sum(_shares_add_to_100(table, refs) for refs in by_row)
    cols_add_up = sum(_shares_add_to_100(table, refs) for refs in by_col)
    total_rows = [r for r, line in table.rows.items() if line.role == "total"]
    hundred_below = any(_share_value(table, (r, c)) == 100 for r in total_rows for c in share_cols)
    if cols_add_up > rows_add_up or (hundred_below and cols_add_up >= rows_add_up):
        for c, refs in zip([c for c in share_cols if len([r for r in data_rows if _is_count_share(table, (r, c))]) >= 2],
                           by_col, strict=False):
            bases = [(r, c) for r in total_rows if table.value((r, c)) is not None]
            _declare_shares(table, refs, bases, "count share% cells of one column")
    elif rows_add_up:
        totals = [c for c, col in table.cols.items() if col.role == "total"]
        for refs in by_row:
            r = refs[0][0]
            bases = [(r, c) for c in totals if table.value((r, c)) is not None and table.value((r, c)).unit != "%"]  # type: ignore[union-attr]
            _declare_shares(table, refs, bases, "count share% cells of one row")
    _share_columns(table)


def _names_a_rate(line: Line) -> bool:
    bracket = re.search(r"[(（]([^()（）]+)[)）]\s*$", line.inner)
    return bool(bracket and bracket.group(1).endswith("率"))


def _is_count_share(table: InterpretedTable, ref: CellRef) -> bool:
    cell = table.cells.get(ref)
    return cell is not None and cell.cell_type == "count_share"


def _share_value(table: InterpretedTable, ref: CellRef) -> Fraction | None:
    quantity = table.value(ref, "share")
    return Fraction(str(quantity.value)) if quantity is not None else None


def _shares_add_to_100(table: InterpretedTable, refs: tuple[CellRef, ...]) -> bool:
    shares = [table.value(ref, "share") for ref in refs]
    if any(share is None for share in shares):
        return False
    total = sum((Fraction(str(q.value)) for q in shares if q is not None), Fraction(0))
    half_units = sum((Fraction(1, 2 * 10 ** _decimals(q.value_text)) for q in shares if q is not None), Fraction(0))
    return abs(total - 100) <= half_units


def _decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def _declare_shares(table: InterpretedTable, refs: tuple[CellRef, ...], bases: list[CellRef], how: str) -> None:
    parts_sum = sum((_numeric(table, ref) or Fraction(0) for ref in refs), Fraction(0))
    other_bases = [ref for ref in bases if _numeric(table, ref) != parts_sum]
    for ref in refs:
        table.relations.append(Relation("share", ref, (ref, *refs), how))
        for base in other_bases:
            table.relations.append(Relation("share", ref, (ref, base), "the line's printed total"))
    if not other_bases:
        table.relations.append(Relation("share_sum", refs[0], refs, how))


def _count_share_rates(table: InterpretedTable, col: int) -> None:
    """`開案件數(開案率)`: each cell's percentage is a rate of its row, over the columns its
    formula names (the cell's own count is usually the numerator)."""
    line = table.cols[col]
    formula = _formula_of(line.inner)
    if formula is None:
        return
    value_cols = [c for c in table.cols.values() if c.role not in ("stub", "not_indicator")]
    top = _matching_line(value_cols, formula[0], set(), allow_rates=True)
    bottom = _matching_line(value_cols, formula[1], {top.index} if top else set(), allow_rates=True)
    if top is None or bottom is None:
        return
    for r in table.rows:
        if _is_count_share(table, (r, col)) and table.value((r, top.index)) is not None \
                and table.value((r, bottom.index)) is not None:
            table.relations.append(Relation("rate", (r, col), ((r, top.index), (r, bottom.index)),
                                            f"column header {line.inner}"))


def _share_columns(table: InterpretedTable) -> None:
    for r, line in table.rows.items():
        if line.role in ("growth", "difference"):
            continue
        shares = [c for c, col in table.cols.items() if col.role == "share"
                  and table.value((r, c)) is not None and table.value((r, c)).unit == "%"]  # type: ignore[union-attr]
        if len(shares) >= 2:
            refs = tuple((r, c) for c in shares)
            table.relations.append(Relation("share_sum", refs[0], refs, "share columns of one row"))


__all__ = [
    "CellReading", "InterpretedTable", "Line", "Relation", "TableSettings", "Undecided",
    "interpret_table", "is_not_reported", "periods_in", "table_words",
]
