"""Opening the DuckDB warehouse: where it lives, schema migrations, and clear lock errors.

The schema is a numbered series of SQL files in `warehouse/sql/` (`001_core.sql`, `002_views.sql`, …).
`schema_version` records which have run; opening a database for writing applies the missing ones in
order, each in its own transaction. Read-only connections never migrate.
"""

from __future__ import annotations

import os
import re
from importlib import resources
from pathlib import Path

import duckdb

DEFAULT_DB_NAME = "deckmine.duckdb"
DB_ENV_VAR = "DECKMINE_DB"


class WarehouseError(Exception):
    """A warehouse problem to show the user as one line (locked, missing, not a DuckDB file)."""


def default_db_path() -> Path:
    """`$DECKMINE_DB` if set, else `deckmine.duckdb` in the working directory."""
    return Path(os.environ.get(DB_ENV_VAR) or DEFAULT_DB_NAME)


def migration_files() -> list[tuple[int, str, str]]:
    """(version, name, sql) for every file in warehouse/sql, in version order."""
    found = []
    for entry in resources.files("warehouse").joinpath("sql").iterdir():
        match = re.match(r"(\d+)_.*\.sql$", entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply the migrations this database has not seen. Returns the names applied."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        "version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP DEFAULT now())"
    )
    done = {row[0] for row in con.execute("SELECT version FROM schema_version").fetchall()}
    applied = []
    for version, name, sql in migration_files():
        if version in done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(sql)
            con.execute("INSERT INTO schema_version (version, name) VALUES (?, ?)", [version, name])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied


def connect(
    path: str | Path | None = None, *, read_only: bool = False, memory_limit: str | None = None
) -> duckdb.DuckDBPyConnection:
    """Open the warehouse. Writers migrate it; readers need it to exist.

    `memory_limit` (e.g. "256MB") caps DuckDB's buffer pool; it spills to disk beyond it. Raises
    WarehouseError with one readable line when another process holds the write lock or the file is
    not a DuckDB database."""
    db_path = Path(path) if path else default_db_path()
    if read_only and not db_path.exists():
        raise WarehouseError(f"{db_path}: no warehouse here yet (run `deckmine ingest` first)")
    try:
        config = {"memory_limit": memory_limit} if memory_limit else {}
        con = duckdb.connect(str(db_path), read_only=read_only, config=config)
    except duckdb.IOException as exc:
        raise WarehouseError(f"{db_path}: {describe_io_error(exc)}") from None
    except duckdb.Error as exc:
        raise WarehouseError(f"{db_path}: cannot open ({first_line(exc)})") from None
    if not read_only:
        migrate(con)
    return con


def describe_io_error(exc: Exception) -> str:
    message = str(exc)
    if "lock" in message.lower():
        holder = re.search(r"PID (\d+)", message)
        who = f" by process {holder.group(1)}" if holder else ""
        return f"the warehouse is locked{who}: another deckmine is writing to it; try again when it finishes"
    return first_line(exc)


def first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
