"""Reading the warehouse: ad-hoc SQL, export of every table and view, and summary counts.

All of these take a read-only connection, so they work while no writer holds the file and can
never change it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

import duckdb
import pandas as pd

OutputFormat = Literal["table", "csv", "json", "md"]
ExportFormat = Literal["parquet", "csv"]


class QueryError(Exception):
    """SQL the warehouse refused (a syntax error, a write on a read-only connection, …)."""


def run_query(con: duckdb.DuckDBPyConnection, sql: str) -> pd.DataFrame:
    try:
        return con.execute(sql).df()
    except duckdb.Error as exc:
        message = str(exc).strip().splitlines()[0]
        if "read-only" in message.lower() or "read only" in message.lower():
            message = "the warehouse is opened read-only by `query`: only reading statements are allowed"
        raise QueryError(message) from None


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


def export_all(con: duckdb.DuckDBPyConnection, out_dir: Path, fmt: ExportFormat) -> list[Path]:
    """Write every table and view to OUT_DIR/<name>.<fmt>. Returns the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    options = "FORMAT parquet" if fmt == "parquet" else "FORMAT csv, HEADER true"
    for name, _kind in relations(con):
        target = out_dir / f"{name}.{fmt}"
        escaped = str(target).replace("'", "''")
        con.execute(f"COPY (SELECT * FROM \"{name}\") TO '{escaped}' ({options})")
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
