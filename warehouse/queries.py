"""Reading the warehouse: ad-hoc SQL, export of every table and view, and summary counts.

All of these take a read-only connection, so they work while no writer holds the file and can
never change it. SQL a user types runs one statement at a time, only if it is a reading statement,
on a sandboxed connection (`warehouse.db.connect(..., sandbox=True)`: no file or network access
but the warehouse). `export` writes only the warehouse's own tables and views, named by the
migrations, into files inside the folder it was given.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Literal

import duckdb
import pandas as pd

from warehouse.db import migration_files

OutputFormat = Literal["table", "csv", "json", "md"]
ExportFormat = Literal["parquet", "csv"]


class QueryError(Exception):
    """SQL the warehouse refused (a syntax error, a write on a read-only connection, …)."""


# Statement types a reading query may be (DESCRIBE, SHOW, SUMMARIZE, FROM … parse as SELECT; PIVOT
# as MULTI).
READING_STATEMENTS = frozenset({"SELECT", "EXPLAIN", "PRAGMA", "CALL", "MULTI"})
READ_ONLY_REFUSAL = (
    "`query` opens the warehouse read-only and runs only reading statements "
    "(SELECT, WITH, DESCRIBE, SHOW, EXPLAIN, PRAGMA)"
)


def statements(sql: str) -> list[tuple[str, str]]:
    """(type, text) of each statement in `sql`, as DuckDB's parser splits them."""
    try:
        parsed = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryError(_first_line(exc)) from None
    return [(statement.type.name, statement.query.strip()) for statement in parsed]


def run_query(con: duckdb.DuckDBPyConnection, sql: str) -> pd.DataFrame:
    """Run ONE reading statement and return its result. Anything else (several statements, a
    write, a file or network access) raises QueryError with one line naming what was refused."""
    parsed = statements(sql)
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
        return con.execute(text).df()
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


def split_statements(script: str) -> list[tuple[str, str]]:
    """(heading, statement) pairs of a SQL script: statements end with `;` at the end of a line;
    the `--` comment lines before a statement become its heading."""
    pairs: list[tuple[str, str]] = []
    comments: list[str] = []
    body: list[str] = []
    for line in script.splitlines():
        stripped = line.strip()
        if not body and stripped.startswith("--"):
            comments.append(stripped.lstrip("-").strip())
            continue
        if stripped:
            body.append(line)
        if stripped.endswith(";"):
            pairs.append((" ".join(comments), "\n".join(body)))
            comments, body = [], []
    if body:
        pairs.append((" ".join(comments), "\n".join(body)))
    return pairs


def format_frame(frame: pd.DataFrame, fmt: OutputFormat) -> str:
    """Render a result as csv, json (records), markdown, or a plain aligned table."""
    if fmt == "csv":
        return frame.to_csv(index=False)
    if fmt == "json":
        return json.dumps(
            json.loads(frame.to_json(orient="records", date_format="iso", force_ascii=False)),
            ensure_ascii=False,
            indent=2,
        )
    if fmt == "md":
        header = "| " + " | ".join(map(str, frame.columns)) + " |"
        rule = "|" + "|".join("---" for _ in frame.columns) + "|"
        rows = [
            "| " + " | ".join(_md_cell(value) for value in row) + " |"
            for row in frame.itertuples(index=False)
        ]
        return "\n".join([header, rule, *rows])
    return frame.to_string(index=False)


def _md_cell(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value).replace("|", "\\|").replace("\n", " ")


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


def stats(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """Counts a user wants after a load: totals, metrics by county, strategy and year, findings."""
    return {
        "totals": con.execute(
            "SELECT (SELECT count(*) FROM documents) AS documents, "
            "(SELECT count(*) FROM pages) AS pages, (SELECT count(*) FROM metrics) AS metrics, "
            "(SELECT count(*) FROM findings) AS findings"
        ).df(),
        "by county": con.execute(
            "SELECT coalesce(county, '(unknown)') AS county, count(DISTINCT document_id) AS documents, "
            "count(*) AS metrics, count(*) FILTER (WHERE unit = '%') AS percentages, "
            "count(*) FILTER (WHERE kind = 'target') AS targets "
            "FROM v_metrics GROUP BY ALL ORDER BY county"
        ).df(),
        "by strategy": con.execute(
            "SELECT strategy, any_value(strategy_title) AS title, count(*) AS metrics "
            "FROM v_metrics GROUP BY strategy ORDER BY strategy NULLS LAST"
        ).df(),
        "by year": con.execute(
            "SELECT year, year - 1911 AS roc_year, count(*) AS metrics "
            "FROM v_metrics GROUP BY year ORDER BY year NULLS LAST"
        ).df(),
        "findings": con.execute(
            "SELECT \"check\", status, count(*) AS findings FROM findings GROUP BY ALL ORDER BY ALL"
        ).df(),
    }
