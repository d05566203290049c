"""Reading the warehouse: ad-hoc SQL, export of every table and view, and summary counts.

All of these take a read-only connection, so they work while no writer holds the file and can
never change it. SQL a user types runs one statement at a time, only if it is a reading statement,
on a sandboxed connection (`warehouse.db.connect(..., sandbox=True)`: no file or network access
but the warehouse). `export` writes only the warehouse's own tables and views, named by the
migrations, into files inside the folder it was given.

Results are plain rows as DuckDB fetches them (no pandas on this path: `deckmine query` starts as
fast as a bare DuckDB script). How a result is written, by format:

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
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TextIO

import duckdb

from warehouse.db import migration_files

if TYPE_CHECKING:
    from rich.table import Table

OutputFormat = Literal["table", "csv", "json", "md"]
ExportFormat = Literal["parquet", "csv"]

NULL_MARKER = "NULL"  # how `table` and `md` show a NULL (csv: empty field, json: null)


class QueryError(Exception):
    """SQL the warehouse refused (a syntax error, a write on a read-only connection, …)."""


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
READING_STATEMENTS = frozenset({"SELECT", "EXPLAIN", "PRAGMA", "CALL", "MULTI"})
READ_ONLY_REFUSAL = (
    "`query` opens the warehouse read-only and runs only reading statements "
    "(SELECT, WITH, DESCRIBE, SHOW, EXPLAIN, PRAGMA)"
)


def statements(sql: str, con: duckdb.DuckDBPyConnection | None = None) -> list[tuple[str, str]]:
    """(type, text) of each statement in `sql`, as DuckDB's parser splits them (with `con`'s
    parser when given: `duckdb.extract_statements` first opens DuckDB's default connection)."""
    try:
        parsed = con.extract_statements(sql) if con is not None else duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryError(_first_line(exc)) from None
    return [(statement.type.name, statement.query.strip()) for statement in parsed]


def run_query(con: duckdb.DuckDBPyConnection, sql: str) -> Result:
    """Run ONE reading statement and return its result. Anything else (several statements, a
    write, a file or network access) raises QueryError with one line naming what was refused."""
    parsed = statements(sql, con)
    if not parsed:
        raise QueryError("no SQL statement given")
    if len(parsed) > 1:
        raise QueryError(
            f"refused: {len(parsed)} statements given, `query` runs one per call (use --file for a script)"
        )
    kind, text = parsed[0]
    if kind not in READING_STATEMENTS:
        raise QueryError(f"refused {kind}: {READ_ONLY_REFUSAL}")
    try:
        return Result.fetch(con.execute(text))
    except duckdb.PermissionException as exc:
        raise QueryError(
            f"refused: {_first_line(exc).removeprefix('Permission Error: ')} "
            "(`query` reads nothing outside the warehouse)"
        ) from None
    except duckdb.Error as exc:
        message = _first_line(exc)
        if "read-only" in message.lower() or "read only" in message.lower():
            message = f"refused: {READ_ONLY_REFUSAL}"
        raise QueryError(message) from None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return " ".join(text.splitlines()[0].split()) if text else type(exc).__name__


def _tokens(text: str) -> tuple[bytes, list[tuple[int, str]]]:
    """`text` as UTF-8 and DuckDB's tokens of it: (byte offset, kind). The tokenizer tells a `;`
    that ends a statement from one inside a string, a quoted name or a comment."""
    return text.encode("utf-8"), [(position, kind.name) for position, kind in duckdb.tokenize(text)]


def split_statements(script: str) -> list[tuple[str, str]]:
    """(heading, statement) pairs of a SQL script, split where DuckDB's tokenizer sees a `;`
    (never one inside a string or comment); the `--` comment lines before a statement become its
    heading (a comment after a `;` on the same line belongs to the statement before)."""
    raw, tokens = _tokens(script)
    ends = [position for position, kind in tokens if kind == "operator" and raw.startswith(b";", position)]
    pairs: list[tuple[str, str]] = []
    start = 0
    for end in [*ends, len(raw)]:
        chunk = raw[start:end + 1].decode("utf-8")
        first = start
        start = end + 1
        chunk_raw, chunk_tokens = _tokens(chunk)
        if all(kind == "comment" or chunk_raw.startswith(b";", position) for position, kind in chunk_tokens):
            continue  # only comments, blank lines or a lone `;`
        lines = chunk.split("\n")
        if first > 0 and len(lines) > 1 and (not lines[0].strip() or lines[0].strip().startswith("--")):
            lines = lines[1:]  # the rest of the line the statement before ended on
        comments: list[str] = []
        for number, line in enumerate(lines):
            stripped = line.strip()
            if stripped.startswith("--"):
                comments.append(stripped.lstrip("-").strip())
            elif stripped:
                pairs.append((" ".join(comments), "\n".join(lines[number:]).strip()))
                break
    return pairs


def statement_complete(text: str) -> bool:
    """Whether typed SQL ends with a `;` that ends a statement (not one in an open string)."""
    raw, tokens = _tokens(text)
    tokens = [(position, kind) for position, kind in tokens if kind != "comment"]
    return bool(tokens) and tokens[-1][1] == "operator" and raw.startswith(b";", tokens[-1][0])


# --------------------------------------------------------------------------- writing results

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


def format_frame(frame: Any, fmt: OutputFormat) -> str:
    """A pandas DataFrame (e.g. `pipeline.audit.list_findings`) written like a query result;
    missing values (None, NaN, NaT, NA) are NULL. pandas is only imported by whoever made `frame`."""
    def plain(value: Any) -> Any:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return None
        if type(value).__name__ in ("NAType", "NaTType"):
            return None
        if type(value).__module__ == "numpy":  # numpy scalars and arrays (LIST columns)
            return value.tolist()
        to_pydatetime = getattr(value, "to_pydatetime", None)  # pandas Timestamp
        return to_pydatetime() if callable(to_pydatetime) else value

    rows = [tuple(plain(value) for value in row) for row in frame.itertuples(index=False, name=None)]
    return format_result(Result([str(name) for name in frame.columns], rows), fmt)


def relations(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(name, 'table'|'view') of everything a user can query, tables first."""
    rows = con.execute(
        "SELECT table_name, table_type FROM information_schema.tables "
        "WHERE table_schema = 'main' ORDER BY table_type, table_name"
    ).fetchall()
    return [(name, "view" if kind == "VIEW" else "table") for name, kind in rows]


_CREATED = re.compile(
    r"CREATE\s+(?:OR\s+REPLACE\s+)?(?:TABLE|VIEW)\s+(?:IF\s+NOT\s+EXISTS\s+)?\"?([A-Za-z_][A-Za-z0-9_]*)\"?",
    re.I,
)
PLAIN_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


class ExportError(Exception):
    """An export target that cannot be used (not a folder, not writable)."""


def own_relations() -> set[str]:
    """Every table and view deckmine's migrations create, and schema_version."""
    names = {"schema_version"}
    for _version, _name, sql in migration_files():
        names.update(match.group(1).lower() for match in _CREATED.finditer(sql))
    return names


def export_all(con: duckdb.DuckDBPyConnection, out_dir: Path, fmt: ExportFormat) -> list[Path]:
    """Write every table and view of the warehouse to OUT_DIR/<name>.<fmt>; returns the files.

    Only relations deckmine's own migrations create are exported, under their plain names, so no
    name stored in the file can steer where a file goes or what SQL runs; each file is written
    to a temporary name in OUT_DIR and renamed over the target (a symlink there is replaced, never
    followed). OUT_DIR must be a folder (created if missing)."""
    if out_dir.exists() and not out_dir.is_dir():
        raise ExportError(f"{out_dir}: not a folder (export writes one file per table into a folder)")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"{out_dir}: cannot create the folder ({exc.strerror or exc})") from None
    allowed = own_relations()
    written = []
    for name, _kind in relations(con):
        if name not in allowed or not PLAIN_NAME.match(name):
            continue
        target = out_dir / f"{name}.{fmt}"
        handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=f".{fmt}", dir=out_dir)
        os.close(handle)
        try:
            relation = con.table(name)
            if fmt == "parquet":
                relation.write_parquet(temporary)
            else:
                relation.write_csv(temporary, header=True)
            os.replace(temporary, target)
        except OSError as exc:
            raise ExportError(f"{target}: cannot write ({exc.strerror or exc})") from None
        except duckdb.Error as exc:
            raise ExportError(f"{target}: cannot write ({_first_line(exc)})") from None
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
        written.append(target)
    return written


def stats(con: duckdb.DuckDBPyConnection) -> dict[str, Result]:
    """Counts a user wants after a load: totals, metrics by county, strategy and year, findings."""
    return {
        "totals": Result.fetch(con.execute(
            "SELECT (SELECT count(*) FROM documents) AS documents, "
            "(SELECT count(*) FROM pages) AS pages, (SELECT count(*) FROM metrics) AS metrics, "
            "(SELECT count(*) FROM findings) AS findings"
        )),
        "by county": Result.fetch(con.execute(
            "SELECT coalesce(county, '(unknown)') AS county, count(DISTINCT document_id) AS documents, "
            "count(*) AS metrics, count(*) FILTER (WHERE unit = '%') AS percentages, "
            "count(*) FILTER (WHERE kind = 'target') AS targets "
            "FROM v_metrics GROUP BY ALL ORDER BY county"
        )),
        "by strategy": Result.fetch(con.execute(
            "SELECT strategy, any_value(strategy_title) AS title, count(*) AS metrics "
            "FROM v_metrics GROUP BY strategy ORDER BY strategy NULLS LAST"
        )),
        "by year": Result.fetch(con.execute(
            "SELECT year, year - 1911 AS roc_year, count(*) AS metrics "
            "FROM v_metrics GROUP BY year ORDER BY year NULLS LAST"
        )),
        "findings": Result.fetch(con.execute(
            "SELECT \"check\", status, count(*) AS findings FROM findings GROUP BY ALL ORDER BY ALL"
        )),
    }
