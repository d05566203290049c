"""The calculations a table's structure declares, added to an `InterpretedTable`.

Each relation says how it was declared (`Relation.declared_by`); what no reading explains goes to
`InterpretedTable.undecided` with the reason, never to a guess:
- a total and its parts: a `合計` row over its group's rows (`小計` over the rows since the last total;
  a grand total over the subtotals; `全國` only over a table of every county), a total column over
  the columns under its spanning header, else over the one set of columns that adds up on all
  other rows but a quarter; subsets, rates and shares are never parts;
- a rate and the count columns (rows) its head names (`rate_formulas.tsv`, or a formula written in
  the header), row by row, total row included;
- `count share%` cells: shares of their row or of their column, whichever the table's lines add up
  in, each over its base (two readings where a printed total differs from the parts' sum), and
  the shares of a line against 100; a `count(rate%)` column's rates over the columns its formula
  names;
- a difference or growth row against the two data rows above it.
"""

from __future__ import annotations

import itertools
import re
from fractions import Fraction

from deckmine.patterns.gazetteer import counties, cue_words, rate_formulas
from deckmine.patterns.table_model import (
    CellRef,
    InterpretedTable,
    Line,
    Relation,
    TableSettings,
    Undecided,
)

_DIGIT = re.compile(r"\d")
_EXPLICIT_FRACTION = re.compile(r"[(（]?\s*([\u4e00-\u9fffA-Za-z]{1,8})\s*[/／÷]\s*([\u4e00-\u9fffA-Za-z]{1,8})\s*[)）]?")


def declare_relations(table: InterpretedTable, settings: TableSettings | None = None) -> InterpretedTable:
    """Add the relations `table`'s structure declares (see the module docstring); returns it."""
    _declare_relations(table, settings or TableSettings())
    return table


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
    numbers = {(r, c): _numeric(table, (r, c)) for r in rows for c in (*candidates, total.index)}
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



__all__ = ["declare_relations"]
