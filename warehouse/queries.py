"""Reading the warehouse: ad-hoc SQL, one statement at a time, and summary counts.

All of these take a read-only connection, so they work while no writer holds the file and can
never change it. SQL a user types runs one statement at a time, only if it is a reading statement,
on a sandboxed connection (`warehouse.db.connect(..., sandbox=True)`: no file or network access
but the warehouse). Results are `warehouse.results.Result` rows as DuckDB fetches them (no pandas
on this path: `deckmine query` starts as fast as a bare DuckDB script).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
from deckmine.warehouse.db import connect, first_line
from deckmine.warehouse.results import Result


class QueryError(Exception):
    """SQL the warehouse refused (a syntax error, a write on a read-only connection, …)."""


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
        raise QueryError(first_line(exc)) from None
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
            f"refused: {first_line(exc).removeprefix('Permission Error: ')} "
            "(`query` reads nothing outside the warehouse)"
        ) from None
    except duckdb.Error as exc:
        message = first_line(exc)
        if "read-only" in message.lower() or "read only" in message.lower():
            message = f"refused: {READ_ONLY_REFUSAL}"
        raise QueryError(message) from None


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

def relations(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(name, 'table'|'view') of everything a user can query, tables first."""
    rows = con.execute(
        "SELECT table_name, table_type FROM information_schema.tables "
        "WHERE table_schema = 'main' ORDER BY table_type, table_name"
    ).fetchall()
    return [(name, "view" if kind == "VIEW" else "table") for name, kind in rows]


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


def stats_of(db_path: str | Path | None) -> dict[str, Result]:
    """`deckmine stats`: `stats` on a read-only connection to the warehouse at `db_path`."""
    con = connect(db_path, read_only=True)
    try:
        return stats(con)
    finally:
        con.close()
