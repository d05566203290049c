"""Opening the DuckDB warehouse: where it lives, schema migrations, and clear lock errors.

The schema is a numbered series of SQL files in `warehouse/sql/` (`001_core.sql`, `002_views.sql`, …).
`schema_version` records which have run; opening a database for writing applies the missing ones in
order, each in its own transaction. Read-only connections never migrate.

A warehouse is recognised by its `schema_version` table (naming deckmine's own migration files) and
a marker, the comment on that table. Any other DuckDB file is refused before anything is written
to it. Read-only connections for `query` also have external access disabled and their
configuration locked, so SQL typed by a user can read and write nothing but the warehouse.
"""

from __future__ import annotations

import contextlib
import os
import re
from importlib import resources
from pathlib import Path

import duckdb

DEFAULT_DB_NAME = "deckmine.duckdb"
DB_ENV_VAR = "DECKMINE_DB"
MARKER = "deckmine warehouse"


class WarehouseError(Exception):
    """A warehouse problem to show the user as one line (locked, missing, not a DuckDB file)."""


def default_db_path() -> Path:
    """`$DECKMINE_DB` if set, else `deckmine.duckdb` in the working directory."""
    return Path(os.environ.get(DB_ENV_VAR) or DEFAULT_DB_NAME)


def migration_files() -> list[tuple[int, str, str]]:
    """(version, name, sql) for every file in warehouse/sql, in version order."""
    found = []
    for entry in resources.files("deckmine.warehouse").joinpath("sql").iterdir():
        match = re.match(r"(\d+)_.*\.sql$", entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


def check_identity(con: duckdb.DuckDBPyConnection, db_path: Path) -> None:
    """Raise WarehouseError unless the database is empty or a deckmine warehouse: its
    `schema_version` carries the marker or names only deckmine's migrations."""
    relations = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_catalog = current_database()"
    ).fetchall()
    if not relations:
        return
    refusal = (
        f"{db_path}: not a deckmine warehouse (a DuckDB file of another program); nothing was "
        "changed. Use --db to choose another file"
    )
    marker = con.execute(
        "SELECT comment FROM duckdb_tables() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND table_name = 'schema_version'"
    ).fetchall()
    if not marker:
        raise WarehouseError(refusal)
    if marker[0][0] == MARKER:
        return
    ours = {name for _version, name, _sql in migration_files()}
    try:
        names = {row[0] for row in con.execute("SELECT name FROM main.schema_version").fetchall()}
    except duckdb.Error:
        raise WarehouseError(refusal) from None
    if not names or not names <= ours or "001_core.sql" not in names:
        raise WarehouseError(refusal)


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
    marker = con.execute(
        "SELECT comment FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = 'schema_version'"
    ).fetchone()
    if not marker or marker[0] != MARKER:
        con.execute(f"COMMENT ON TABLE schema_version IS '{MARKER}'")
    return applied


def connect(
    path: str | Path | None = None,
    *,
    read_only: bool = False,
    memory_limit: str | None = None,
    sandbox: bool = False,
) -> duckdb.DuckDBPyConnection:
    """Open the warehouse. Writers migrate it; readers need it to exist.

    `memory_limit` (e.g. "256MB") caps DuckDB's buffer pool; it spills to disk beyond it.
    `sandbox` (read-only only) disables every file and network access but the warehouse itself and
    locks the configuration, for SQL a user types. Raises WarehouseError with one readable line
    when another process holds the lock, the file is not a DuckDB database or not deckmine's."""
    db_path = Path(path) if path else default_db_path()
    if read_only and not db_path.exists():
        raise WarehouseError(f"{db_path}: no warehouse here yet (run `deckmine ingest` first)")
    if db_path.exists() and not db_path.is_file():
        raise WarehouseError(f"{db_path}: not a warehouse file (it is a folder or a device)")
    if not read_only and not db_path.exists():
        _create(db_path)
    config: dict[str, str | bool] = {"memory_limit": memory_limit} if memory_limit else {}
    if sandbox:
        assert read_only, "only a read-only connection can be sandboxed"
        config.update(
            enable_external_access=False, autoload_known_extensions=False,
            autoinstall_known_extensions=False, allow_community_extensions=False,
        )
    try:
        con = duckdb.connect(str(db_path), read_only=read_only, config=config)
    except duckdb.IOException as exc:
        raise WarehouseError(f"{db_path}: {describe_io_error(exc)}") from None
    except duckdb.Error as exc:
        raise WarehouseError(f"{db_path}: cannot open ({first_line(exc)})") from None
    try:
        check_identity(con, db_path)
        if sandbox:
            con.execute("SET lock_configuration = true")
        if not read_only:
            migrate(con)
    except WarehouseError:
        con.close()
        raise
    except duckdb.Error as exc:
        con.close()
        raise WarehouseError(f"{db_path}: {describe_write_error(None, exc)}") from None
    return con


def _create(db_path: Path) -> None:
    """Build a new warehouse under a temporary name and link it into place once its schema is
    complete: a process killed meanwhile never leaves a half-made warehouse at `db_path`."""
    temporary = db_path.with_name(f".{db_path.name}.creating-{os.getpid()}")
    try:
        for leftover in (temporary, temporary.with_name(temporary.name + ".wal")):
            leftover.unlink(missing_ok=True)
        con = duckdb.connect(str(temporary))
        try:
            migrate(con)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        try:
            os.link(temporary, db_path)  # never replaces one another process just made
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links
            if not db_path.exists():
                os.replace(temporary, db_path)
    except OSError as exc:
        raise WarehouseError(f"{db_path}: {describe_write_error(None, exc)}") from None
    except duckdb.Error as exc:
        raise WarehouseError(f"{db_path}: {describe_write_error(None, exc)}") from None
    finally:
        for leftover in (temporary, temporary.with_name(temporary.name + ".wal")):
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)


def checkpoint(con: duckdb.DuckDBPyConnection) -> None:
    """Move what the WAL holds into the database file; one line if the disk refuses."""
    try:
        con.execute("CHECKPOINT")
    except duckdb.Error as exc:
        raise WarehouseError(describe_write_error(con, exc)) from None


def describe_write_error(con: duckdb.DuckDBPyConnection | None, exc: Exception) -> str:
    """One line for a failed write: full disk, read-only file system, file too large, or DuckDB's
    own first line. The transaction is rolled back when a connection is given."""
    if con is not None:
        with contextlib.suppress(duckdb.Error):
            con.execute("ROLLBACK")
    message = str(exc)
    lowered = message.lower()
    for needle, what in (
        ("no space left", "the disk is full (no space left on device)"),
        ("read-only file system", "the file system is read-only"),
        ("file too large", "the file system refused to let the warehouse grow (file too large)"),
        ("permission denied", "permission denied"),
        ("disk quota", "the disk quota is exceeded"),
    ):
        if needle in lowered:
            return f"cannot write the warehouse: {what}; documents committed before are intact"
    return f"cannot write the warehouse: {first_line(exc)}"


def describe_io_error(exc: Exception) -> str:
    message = str(exc)
    if "lock" in message.lower():
        holder = re.search(r"PID (\d+)", message)
        who = f" by process {holder.group(1)}" if holder else ""
        return (
            f"the warehouse is locked{who}: another deckmine is writing to it or a `deckmine query` "
            "has it open; try again when it finishes"
        )
    return describe_write_error(None, exc).replace("cannot write the warehouse: ", "cannot open: ")


def first_line(exc: BaseException) -> str:
    """The first line of an error's message, white space collapsed (its type's name if empty)."""
    text = str(exc).strip()
    return " ".join(text.splitlines()[0].split()) if text else type(exc).__name__
