"""`count share%` cells and share columns: the shares a table's structure declares.

A column whose header names a rate (`開案件數(開案率)`) holds rates of its row, checked like a rate
column. The other count-share columns hold shares; whether of their row or of their column is read
from the table: the orientation in which more lines add to 100 (a total line printed as 100%
declares it). Each share is then its count over its line's base: the sum of the line's counts, or
its printed total (two readings); the shares of a line split one whole only when no printed total
disagrees with the sum of its parts. Share columns (`占比`) of one row add up to 100.
"""

from __future__ import annotations

from fractions import Fraction

from deckmine.patterns.table_formulas import formula_lines, formula_of, names_a_rate, numeric
from deckmine.patterns.table_model import CellRef, InterpretedTable, Relation

_NOT_SHARED = ("total", "subtotal", "subset")


def share_relations(table: InterpretedTable) -> None:
    """Add the share, share_sum and rate relations of `table`'s `count share%` cells and share
    columns (see the module docstring)."""
    shared = sorted({c for (r, c), cell in table.cells.items() if cell.cell_type == "count_share"
                     and table.cols[c].role not in _NOT_SHARED})
    rate_cols = [c for c in shared if names_a_rate(table.cols[c])]
    for c in rate_cols:
        _count_share_rates(table, c)
    share_cols = [c for c in shared if c not in rate_cols]
    if share_cols:
        _shares_of_lines(table, share_cols)
    _share_columns(table)


def _shares_of_lines(table: InterpretedTable, share_cols: list[int]) -> None:
    """Shares of their row or of their column, whichever more lines of the table add up in."""
    by_row, by_col = _share_lines(table, share_cols)
    rows_add_up = sum(_shares_add_to_100(table, refs) for refs in by_row)
    cols_add_up = sum(_shares_add_to_100(table, refs) for refs in by_col)
    total_rows = [r for r, line in table.rows.items() if line.role == "total"]
    hundred_below = any(_share_value(table, (r, c)) == 100 for r in total_rows for c in share_cols)
    if cols_add_up > rows_add_up or (hundred_below and cols_add_up >= rows_add_up):
        _column_shares(table, by_col, total_rows)
    elif rows_add_up:
        _row_shares(table, by_row)


def _share_lines(table: InterpretedTable, share_cols: list[int]) -> tuple[list[tuple[CellRef, ...]], list[tuple[CellRef, ...]]]:
    """The `count share%` cells of each row, and of each column's data rows (two or more each)."""
    data_rows = [r for r, line in table.rows.items() if line.role == "data"]
    by_row = [tuple((r, c) for c in share_cols if _is_count_share(table, (r, c))) for r in table.rows]
    by_col = [tuple((r, c) for r in data_rows if _is_count_share(table, (r, c))) for c in share_cols]
    return [refs for refs in by_row if len(refs) >= 2], [refs for refs in by_col if len(refs) >= 2]


def _column_shares(table: InterpretedTable, by_col: list[tuple[CellRef, ...]], total_rows: list[int]) -> None:
    for refs in by_col:
        c = refs[0][1]
        bases = [(r, c) for r in total_rows if table.value((r, c)) is not None]
        _declare_shares(table, refs, bases, "count share% cells of one column")


def _row_shares(table: InterpretedTable, by_row: list[tuple[CellRef, ...]]) -> None:
    totals = [c for c, col in table.cols.items() if col.role == "total"]
    for refs in by_row:
        r = refs[0][0]
        bases = [(r, c) for c in totals if _is_count(table, (r, c))]
        _declare_shares(table, refs, bases, "count share% cells of one row")


def _is_count(table: InterpretedTable, ref: CellRef) -> bool:
    value = table.value(ref)
    return value is not None and value.unit != "%"


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
    parts_sum = sum((numeric(table, ref) or Fraction(0) for ref in refs), Fraction(0))
    other_bases = [ref for ref in bases if numeric(table, ref) != parts_sum]
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
    formula = formula_of(line.inner)
    if formula is None:
        return
    value_cols = [c for c in table.cols.values() if c.role not in ("stub", "not_indicator")]
    sides = formula_lines(value_cols, formula, allow_rates=True)
    if sides is None:
        return
    top, bottom = sides
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


__all__ = ["share_relations"]
