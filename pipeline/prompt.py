"""`deckmine query`'s two ways of running many statements: a SQL file, and an interactive prompt.

Both print each result as `warehouse.results.write_result` writes it and go on after a statement
that fails. The prompt opens the warehouse for each statement only, so it never blocks an ingest.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import duckdb
from deckmine.pipeline.limits import file_line
from deckmine.warehouse.db import WarehouseError
from deckmine.warehouse.queries import (
    QueryError,
    relations,
    run_query,
    split_statements,
    statement_complete,
    statements,
)
from deckmine.warehouse.results import OutputFormat, Result, write_result

ErrorSink = Callable[[str], None]
PROMPT = "deckmine> "
CONTINUED = "     ...> "
BANNER = "deckmine SQL prompt (read-only). End statements with ';'. .tables lists tables, .quit leaves."


def print_result(result: Result, fmt: OutputFormat) -> None:
    sys.stdout.flush()
    write_result(result, fmt, sys.stdout)
    sys.stdout.flush()


def run_query_file(con: duckdb.DuckDBPyConnection, path: Path, fmt: OutputFormat, on_error: ErrorSink) -> int:
    """Run each statement of a SQL file, showing each result; `--` comment lines before a
    statement are its heading. Statements are split where DuckDB's tokenizer sees a `;`, so one
    inside a string or comment does not split; a statement that does not parse is reported and the
    others still run. Returns 0, 1 if a statement failed, 2 if the file cannot be read."""
    try:
        script = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        on_error(file_line(path, f"cannot read the SQL file ({getattr(exc, 'strerror', None) or exc})"))
        return 2
    status = 0
    for heading, sql in split_statements(script):
        print(f"-- {heading}" if heading else "--", flush=True)
        try:
            print_result(run_query(con, sql), fmt)
        except QueryError as exc:
            on_error(file_line(path, str(exc)))
            status = 1
        print()
    return status


def interactive_query(open_connection: Callable[[], duckdb.DuckDBPyConnection], fmt: OutputFormat) -> int:
    """A small SQL prompt: statements end with `;`, `.tables` lists tables and views, `.quit` leaves."""
    print(BANNER)
    buffer: list[str] = []
    while True:
        try:
            line = input(CONTINUED if buffer else PROMPT)
        except EOFError:
            print()
            return 0
        stripped = line.strip()
        if not buffer and stripped in (".quit", ".exit", "\\q"):
            return 0
        if not buffer and stripped == ".tables":
            _list_tables(open_connection)
            continue
        buffer.append(line)
        if statement_complete("\n".join(buffer)):  # a `;` inside a string does not end it
            sql = "\n".join(buffer)
            buffer.clear()
            _run_typed(sql, open_connection, fmt)


def _list_tables(open_connection: Callable[[], duckdb.DuckDBPyConnection]) -> None:
    try:
        con = open_connection()
    except WarehouseError as exc:
        print(f"error: {exc}")
        return
    try:
        for name, kind in relations(con):
            print(f"{name}\t{kind}")
    finally:
        con.close()


def _run_typed(sql: str, open_connection: Callable[[], duckdb.DuckDBPyConnection], fmt: OutputFormat) -> None:
    try:
        parts = [text for _kind, text in statements(sql)]
        con = open_connection()
    except (QueryError, WarehouseError) as exc:
        print(f"error: {exc}")
        return
    try:
        for part in parts:
            try:
                print_result(run_query(con, part), fmt)
            except QueryError as exc:
                print(f"error: {exc}")
    finally:
        con.close()
