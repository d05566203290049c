"""Query results and how they are written: plain rows as DuckDB fetches them, in four formats.

- `table`: a rich table, widths measured in terminal cells (CJK is two), numbers right-aligned,
  NULL shown as `NULL` (dim on a terminal); cell text is never read as rich markup and control
  characters are shown as backslash escapes. On a terminal it wraps to the terminal's width;
  piped, every row stays on one line (unless a cell holds a line break).
- `csv`: the csv module's quoting, a header row, NULL as an empty field, `\n` line ends, no blank
  line at the end.
- `json`: one JSON array of objects (column name -> value), NULL as `null`; DECIMAL values are
  JSON numbers with their exact digits, dates and times ISO 8601 strings, lists arrays, structs
  objects, NaN and infinities `null`.
- `md`: a Markdown table, `|` escaped, line breaks as spaces, NULL as `NULL`.

No DataFrame library is imported here.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from io import StringIO
from typing import TYPE_CHECKING, Any, Literal, TextIO

if TYPE_CHECKING:
    import duckdb
    from rich.table import Table

OutputFormat = Literal["table", "csv", "json", "md"]
OUTPUT_FORMATS: tuple[OutputFormat, ...] = ("table", "csv", "json", "md")
NULL_MARKER = "NULL"  # how `table` and `md` show a NULL (csv: empty field, json: null)


@dataclass(frozen=True)
class Result:
    """A fetched result: column names and rows of Python values, as DuckDB returns them."""

    columns: list[str]
    rows: list[tuple[Any, ...]]

    @classmethod
    def fetch(cls, cursor: duckdb.DuckDBPyConnection) -> Result:
        """Everything the last statement executed on `cursor` returned."""
        description = cursor.description or []
        columns = [str(column[0]) for column in description]
        return cls(columns, cursor.fetchall() if columns else [])


# Statement types a reading query may be (DESCRIBE, SHOW, SUMMARIZE, FROM … parse as SELECT; PIVOT
# as MULTI).
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def _show_control(match: re.Match[str]) -> str:
    char = match.group()
    named = {"\t": "\\t", "\r": "\\r"}
    return named.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def cell_text(value: Any) -> str | None:
    """A value as text for csv, md and table output; None for NULL."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).decode("utf-8", "backslashreplace")
    if isinstance(value, list | tuple | dict):
        return json_value(value)
    return str(value)


def json_value(value: Any) -> str:
    """A value as JSON text: DECIMAL as a number with its exact digits, dates ISO 8601, lists as
    arrays, structs and maps as objects, NaN and infinities as null."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else "null"
    if isinstance(value, Decimal):
        return format(value, "f") if value.is_finite() else "null"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(json_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(str(key), ensure_ascii=False)}: {json_value(item)}"
                               for key, item in value.items()) + "}"
    if isinstance(value, dt.date | dt.time):
        return json.dumps(value.isoformat())
    return json.dumps(cell_text(value), ensure_ascii=False)


def _numeric(values: Sequence[Any]) -> bool:
    present = [value for value in values if value is not None]
    return bool(present) and all(
        isinstance(value, int | float | Decimal) and not isinstance(value, bool) for value in present
    )


def result_table(result: Result) -> Table:
    """A rich Table of the result: every cell a Text (never markup), NULL a dim `NULL`."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, highlight=False)
    columns = list(zip(*result.rows, strict=True)) if result.rows else [() for _ in result.columns]
    for name, values in zip(result.columns, columns, strict=True):
        table.add_column(Text(_CONTROL.sub(_show_control, name)), overflow="fold",
                         justify="right" if _numeric(values) else "left")
    for row in result.rows:
        cells = []
        for value in row:
            text = cell_text(value)
            cells.append(Text(NULL_MARKER, style="dim") if text is None
                         else Text(_CONTROL.sub(_show_control, text)))
        table.add_row(*cells)
    return table


def write_result(result: Result, fmt: OutputFormat, out: TextIO, *, width: int | None = None) -> None:
    """Write a result to `out` in one of the formats (see the module docstring); every format
    ends with one line break. `width` caps a table's width (default: the terminal's when `out` is
    one, else none: rows are not wrapped)."""
    if fmt == "csv":
        if result.columns:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(result.columns)
            writer.writerows([("" if value is None else cell_text(value)) for value in row]
                             for row in result.rows)
        return
    if fmt == "json":
        keys = [json.dumps(name, ensure_ascii=False) for name in result.columns]
        records = [
            "  {\n" + ",\n".join(f"    {key}: {json_value(value)}" for key, value in zip(keys, row, strict=True))
            + "\n  }" if keys else "  {}"
            for row in result.rows
        ]
        out.write("[\n" + ",\n".join(records) + "\n]\n" if records else "[]\n")
        return
    if fmt == "md":
        if result.columns:
            out.write("\n".join(_md_lines(result)) + "\n")
        return
    if not result.columns:
        return
    from rich.console import Console

    isatty = getattr(out, "isatty", lambda: False)()
    console = Console(file=out, width=width or (None if isatty else 1_000_000), highlight=False,
                      emoji=False, markup=False)
    console.print(result_table(result))


def _md_lines(result: Result) -> list[str]:
    header = "| " + " | ".join(_md_cell(name) for name in result.columns) + " |"
    rule = "|" + "|".join("---" for _ in result.columns) + "|"
    rows = ["| " + " | ".join(_md_cell(value) for value in row) + " |" for row in result.rows]
    return [header, rule, *rows]


def _md_cell(value: Any) -> str:
    text = cell_text(value)
    if text is None:
        return NULL_MARKER
    text = text.replace("\r\n", " ").replace("\n", " ").replace("|", "\\|")
    return _CONTROL.sub(_show_control, text)


def format_result(result: Result, fmt: OutputFormat) -> str:
    """The result as `write_result` writes it, without the final line break."""
    out = StringIO()
    write_result(result, fmt, out)
    return out.getvalue().removesuffix("\n")
