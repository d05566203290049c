"""The calculations a table's structure declares, added to an `InterpretedTable`.

Each relation says how it was declared (`Relation.declared_by`); what no reading explains goes to
`InterpretedTable.undecided` with the reason, never to a guess:
- a total and its parts: a `合計` row over its group's rows (`小計` over the rows since the last total;
  a grand total over the subtotals; `全國` only over a table of every county), a total column over
  the columns under its spanning header, else over the one set of columns that adds up on all
  other rows but a quarter; subsets, rates and shares are never parts;
- a rate and the count columns (rows) its head names (`rate_formulas.tsv`, or a formula written in
  the header: `patterns.table_formulas`), row by row, total row included;
- `count share%` cells: shares of their row or of their column, whichever the table's lines add up
  in, each over its base (two readings where a printed total differs from the parts' sum), and
  the shares of a line against 100; a `count(rate%)` column's rates over the columns its formula
  names (`patterns.table_shares`);
- a difference or growth row against the two data rows above it.
"""

from __future__ import annotations

import itertools
import re

from deckmine.patterns.gazetteer import counties, cue_words
from deckmine.patterns.table_formulas import formula_lines, formula_of, numeric, rate_word_at_end
from deckmine.patterns.table_model import (
    CellRef,
    InterpretedTable,
    Line,
    Relation,
    TableSettings,
    Undecided,
)
from deckmine.patterns.table_shares import share_relations


def declare_relations(table: InterpretedTable, settings: TableSettings | None = None) -> InterpretedTable:
    """Add the relations `table`'s structure declares (see the module docstring); returns it."""
    _declare_relations(table, settings or TableSettings())
    return table


def _declare_relations(table: InterpretedTable, settings: TableSettings) -> None:
    _rate_relations(table)
    _row_total_relations(table)
    _column_total_relations(table, settings)
    _change_relations(table)
    share_relations(table)


def _rate_relations(table: InterpretedTable) -> None:
    _rate_columns(table)
    _rate_rows(table)


def _rate_columns(table: InterpretedTable) -> None:
    """A rate column against the count columns its formula names, siblings under its spanning
    header first, row by row."""
    value_cols = [line for line in table.cols.values() if line.role not in ("stub", "not_indicator")]
    for col in value_cols:
        if not rate_word_at_end(col.inner) and not rate_word_at_end(col.label):
            continue
        formula = formula_of(col.label)
        if formula is None:
            continue
        siblings = [line for line in value_cols if line.path[:-1] == col.path[:-1] and line.index != col.index]
        siblings = siblings or [line for line in value_cols if line.index != col.index]
        sides = formula_lines(siblings, formula)
        if sides is None:
            continue
        top, bottom = sides
        for r in table.rows:
            _add_rate(table, (r, col.index), (r, top.index), (r, bottom.index), f"column header {col.inner}")


def _rate_rows(table: InterpretedTable) -> None:
    """A rate row against the count rows of its group its formula names, column by column."""
    rows = list(table.rows.values())
    for row in rows:
        if row.role != "rate":
            continue
        formula = formula_of(row.label)
        if formula is None:
            continue
        group = [line for line in rows if line.path[:-1] == row.path[:-1] and line.index != row.index]
        sides = formula_lines(group, formula)
        if sides is None:
            continue
        top, bottom = sides
        for c in table.cols:
            _add_rate(table, (row.index, c), (top.index, c), (bottom.index, c), f"row header {row.inner}")


def _add_rate(table: InterpretedTable, rate: CellRef, top: CellRef, bottom: CellRef, how: str) -> None:
    cell = table.cells.get(rate)
    if cell is None or cell.cell_type != "rate":
        return
    top_value, bottom_value = table.value(top), table.value(bottom)
    if top_value is None or bottom_value is None:
        return
    if (top_value.unit == "%") != (bottom_value.unit == "%"):
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
            part_rows = _all_county_rows(table)  # a national row adds up only when every county is listed
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
    numbers = {(r, c): numeric(table, (r, c)) for r in rows for c in (*candidates, total.index)}
    explained: dict[tuple[int, ...], int] = {}
    for size in range(2, len(candidates) + 1):
        for subset in itertools.combinations(candidates, size):
            hits = 0
            for r in rows:
                values = [numbers[(r, c)] for c in subset]
                total_value = numbers[(r, total.index)]
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
        base = "later" if _divides_by_current(line.label) else "earlier"
        for c, cell in table.cells.items():
            if c[0] != line.index or cell.cell_type not in ("count", "rate"):
                continue
            col = _column_named_in(table, line.label) or c[1]
            if table.value((earlier, col)) is None or table.value((later, col)) is None:
                continue
            kind = "growth" if line.role == "growth" else "difference"
            table.relations.append(Relation(kind, c, ((later, col), (earlier, col)), f"{line.inner} row", base))


def _divides_by_current(label: str) -> bool:
    """True when the label's formula divides by this period's figure (`/ 當年…`: cues.tsv role
    current_period), not the earlier one's."""
    words = "|".join(re.escape(word) for word in cue_words("current_period"))
    return bool(words) and re.search(rf"/\s*[(（]?\s*(?:{words})", label) is not None


def _column_named_in(table: InterpretedTable, text: str) -> int | None:
    named = [(len(line.label), line.index) for line in table.cols.values()
             if line.role != "stub" and line.label and line.label in text]
    return max(named)[1] if named else None


__all__ = ["declare_relations"]
