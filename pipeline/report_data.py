"""What the HTML audit report reads from the warehouse, as typed rows (no pandas).

Findings of one rendition per briefing (`v_findings`, as `pipeline.audit_store.list_findings` lists them
by default), the decks they are in, the metrics they are about, a slide's text, and where to find
the PDF a deck's pages can be pictured from (the PDF rendition of its briefing).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, TypeVar

import duckdb

PdfLookup = Callable[[str], Path | None]
Row = TypeVar("Row")


@dataclass(frozen=True)
class DeckRow:
    """One ingested file."""

    document_id: str
    path: str
    file_name: str
    file_type: str
    county: str | None
    report_date: Any
    title: str | None
    page_count: int | None


@dataclass(frozen=True)
class FindingRow:
    """One audit finding, with its deck's file name."""

    finding_id: str
    check: str
    status: str
    severity: str
    document_id: str | None
    file_name: str | None
    page: int | None
    message: str | None
    expression: str | None
    snippet: str | None
    metric_ids: tuple[str, ...]
    bbox: tuple[float, ...]


@dataclass(frozen=True)
class MetricRow:
    """The part of a metric the report shows: where it is and how it was printed."""

    metric_id: str
    document_id: str
    page: int
    bbox: tuple[float, ...]
    value_text: str | None


@dataclass(frozen=True)
class SlideRow:
    """A page's title and text (what a PPTX finding shows when there is no PDF to picture)."""

    title: str | None
    text: str | None


def fetch_rows(
    con: duckdb.DuckDBPyConnection, kind: type[Row], sql: str, params: Sequence[Any] = ()
) -> list[Row]:
    """Run `sql` and build one `kind` per row, matching the result's column names to its fields;
    list columns become tuples (None: empty)."""
    cursor = con.execute(sql, list(params))
    names = [column[0] for column in cursor.description]
    wanted = {field.name for field in fields(kind)}  # type: ignore[arg-type]
    rows = []
    for values in cursor.fetchall():
        record = {name: _tuple(value) for name, value in zip(names, values, strict=True) if name in wanted}
        rows.append(kind(**record))
    return rows


def _tuple(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


FINDINGS_SQL = """
    SELECT f.finding_id, f."check", f.status, f.severity, f.document_id, d.file_name, f.page,
           f.message, f.expression, f.snippet, coalesce(f.metric_ids, []) AS metric_ids,
           coalesce(f.bbox, []) AS bbox
    FROM v_findings f
    LEFT JOIN documents d USING (document_id)
    ORDER BY d.file_name, f.page, f.finding_id
"""


def finding_rows(con: duckdb.DuckDBPyConnection) -> list[FindingRow]:
    """Every finding of one rendition per briefing: the findings `list_findings(con)` lists, as rows."""
    return fetch_rows(con, FindingRow, FINDINGS_SQL)


def deck_rows(con: duckdb.DuckDBPyConnection) -> dict[str, DeckRow]:
    sql = (
        "SELECT document_id, path, file_name, file_type, county, report_date, title, page_count "
        "FROM documents"
    )
    return {row.document_id: row for row in fetch_rows(con, DeckRow, sql)}


def metric_rows(con: duckdb.DuckDBPyConnection, findings: Sequence[FindingRow]) -> dict[str, MetricRow]:
    """The metrics the findings are about, by id."""
    ids = sorted({metric_id for finding in findings for metric_id in finding.metric_ids})
    if not ids:
        return {}
    sql = (
        "SELECT metric_id, document_id, page, coalesce(bbox, []) AS bbox, value_text FROM metrics "
        "WHERE metric_id IN (SELECT unnest(?::VARCHAR[]))"
    )
    return {row.metric_id: row for row in fetch_rows(con, MetricRow, sql, [ids])}


def slide_row(con: duckdb.DuckDBPyConnection, document_id: str, page: int) -> SlideRow | None:
    sql = "SELECT title, text FROM pages WHERE document_id = ? AND page = ?"
    rows = fetch_rows(con, SlideRow, sql, [document_id, page])
    return rows[0] if rows else None


def default_lookup(con: duckdb.DuckDBPyConnection, decks: dict[str, DeckRow]) -> PdfLookup:
    """A PDF deck's own file; for a PPTX, ODP or PPT, the PDF rendition of its briefing when it has
    as many pages (a PDF exported from the deck: page N is slide N)."""
    pdf_of = dict(
        con.execute(
            "SELECT r.document_id, b.pdf_document_id FROM v_renditions r "
            "JOIN v_briefings b USING (briefing_id) WHERE b.pdf_document_id IS NOT NULL"
        ).fetchall()
    )

    def lookup(document_id: str) -> Path | None:
        deck = decks.get(document_id)
        pdf = decks.get(pdf_of.get(document_id, ""))
        if not deck or not pdf or pdf.page_count != deck.page_count:
            return None
        path = Path(str(pdf.path))
        return path if path.exists() else None

    return lookup
