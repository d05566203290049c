"""Writing one processed document into the warehouse, all or nothing.

`write_documents` deletes whatever rows a batch of documents (and, for a changed file, its previous
version) had and inserts the new ones inside one transaction, so a killed process leaves every
document fully in or fully out. Rows go in column by column, one INSERT per table per batch: each
column is one list parameter and DuckDB's `unnest` zips them back into rows (no DataFrame library
on the ingest path).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
from deckmine.extractors.model import Document, TableBlock, TextBlock

DOCUMENT_TABLES = ("metrics", "findings", "table_cells", "blocks", "pages", "document_locations", "documents")

DOCUMENT_COLUMNS = [
    "document_id", "path", "file_name", "file_type", "size_bytes", "page_count", "title", "author",
    "created", "county", "report_date", "report_roc_year", "metadata", "warnings", "ingested_at",
    "run_id",
]
PAGE_COLUMNS = ["document_id", "page", "width", "height", "title", "text", "warnings"]
BLOCK_COLUMNS = [
    "document_id", "page", "block_index", "kind", "text", "bbox", "font_size", "bold",
    "is_title", "shape_id", "shape_name", "flags",
]
CELL_COLUMNS = [
    "document_id", "page", "block_index", "row_index", "col_index", "row_span", "col_span",
    "text", "flags",
]
METRIC_COLUMNS = [
    "metric_id", "document_id", "page", "block_index", "county", "strategy", "year", "roc_year",
    "period_start", "period_end", "period_text", "indicator", "label", "value", "value_text",
    "unit", "kind", "comparator", "numerator", "denominator", "numerator_text",
    "denominator_text", "target_met", "source", "snippet", "bbox", "attributes",
    "table_id", "row_index", "col_index", "cell_part", "row_path", "col_path", "row_role", "col_role",
    "counts_from", "rate_base", "group_id", "group_role", "calculations", "ocr_confidence",
]
FINDING_COLUMNS = [
    "finding_id", "check", "status", "severity", "document_id", "page", "metric_ids",
    "reported", "computed", "difference", "expression", "message", "snippet", "bbox",
]


def path_text(path: str | Path) -> str:
    """A path as warehouse text. A name that is not UTF-8 (its bytes surrogate-escaped by
    `os.fsdecode`) keeps those bytes as `\\xNN` escapes; `path_bytes` has them exactly."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def path_bytes(path: str | Path) -> str | None:
    """The path's bytes in hex when `path_text` could not keep them as they are, else None."""
    raw = os.fsencode(path)
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.hex()
    return None


def document_row(
    document: Document, deck: Mapping[str, Any], run_id: int | None, size_bytes: int | None
) -> dict[str, Any]:
    meta = document.metadata
    resolved = Path(document.path).resolve()
    raw = path_bytes(resolved)
    if raw is not None:
        meta = {**meta, "path_bytes": raw}
    return {
        "document_id": document.sha256,
        "path": path_text(resolved),
        "file_name": path_text(Path(document.path).name),
        "file_type": document.file_type,
        "size_bytes": size_bytes,
        "page_count": document.page_count,
        "title": deck.get("title") or meta.get("title"),
        "author": meta.get("author"),
        "created": meta.get("created"),
        "county": deck.get("county"),
        "report_date": deck.get("report_date"),
        "report_roc_year": deck.get("report_roc_year"),
        "metadata": json.dumps(meta, ensure_ascii=False, default=str),
        "warnings": list(document.warnings),
        "ingested_at": datetime.now(),
        "run_id": run_id,
    }


def page_rows(document: Document) -> list[dict[str, Any]]:
    return [
        {
            "document_id": document.sha256,
            "page": page.number,
            "width": page.width,
            "height": page.height,
            "title": page.title,
            "text": page.text,
            "warnings": list(page.warnings),
        }
        for page in document.pages
    ]


def block_and_cell_rows(document: Document) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    blocks: list[dict[str, Any]] = []
    cells: list[dict[str, Any]] = []
    for page in document.pages:
        for index, block in enumerate(page.blocks):
            is_text = isinstance(block, TextBlock)
            blocks.append(
                {
                    "document_id": document.sha256,
                    "page": page.number,
                    "block_index": index,
                    "kind": block.kind,
                    "text": block.text,
                    "bbox": block.bbox.as_list() if block.bbox else None,
                    "font_size": block.font_size if is_text else None,
                    "bold": block.bold if is_text else None,
                    "is_title": block.is_title if is_text else False,
                    "shape_id": block.shape_id,
                    "shape_name": block.shape_name,
                    "flags": list(block.flags),
                }
            )
            if isinstance(block, TableBlock):
                cells.extend(
                    {
                        "document_id": document.sha256,
                        "page": page.number,
                        "block_index": index,
                        "row_index": cell.row,
                        "col_index": cell.col,
                        "row_span": cell.row_span,
                        "col_span": cell.col_span,
                        "text": cell.text,
                        "flags": list(cell.flags),
                    }
                    for cell in block.cells
                )
    return blocks, cells


def insert_rows(
    con: duckdb.DuckDBPyConnection, table: str, columns: Sequence[str], rows: Iterable[Mapping[str, Any]]
) -> int:
    """Insert rows (dicts; missing keys are NULL) into `table` with one statement."""
    rows = list(rows)
    if not rows:
        return 0
    column_list = ", ".join(f'"{c}"' for c in columns)
    unnested = ", ".join(f'unnest(${i}) AS "{c}"' for i, c in enumerate(columns, start=1))
    values = [
        [_cell(row.get(c)) for row in rows] if c in JSON_COLUMNS else [row.get(c) for row in rows]
        for c in columns
    ]
    con.execute(f"INSERT INTO {table} ({column_list}) SELECT {column_list} FROM (SELECT {unnested})", values)
    return len(rows)


# Columns whose values are dicts or lists of dicts, stored as JSON text (the others go in as they are).
JSON_COLUMNS = frozenset({"attributes", "calculations", "metadata"})


def _cell(value: Any) -> Any:
    """Dicts and lists of dicts (the JSON columns) go in as JSON text."""
    if isinstance(value, dict) or (isinstance(value, list) and value and isinstance(value[0], dict)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value


def delete_documents(con: duckdb.DuckDBPyConnection, document_ids: Sequence[str]) -> None:
    """Delete every row of these documents (no transaction of its own)."""
    for table in DOCUMENT_TABLES:
        con.execute(f"DELETE FROM {table} WHERE document_id IN (SELECT unnest(?::VARCHAR[]))", [list(document_ids)])


@dataclass
class DocumentRows:
    """Every row one document puts in the warehouse, by table, and the documents it replaces."""

    document_id: str
    replaces: list[str]
    rows: dict[str, list[dict[str, Any]]]

    @property
    def metric_count(self) -> int:
        return len(self.rows["metrics"])


TABLE_COLUMNS: dict[str, list[str]] = {
    "documents": DOCUMENT_COLUMNS,
    "pages": PAGE_COLUMNS,
    "blocks": BLOCK_COLUMNS,
    "table_cells": CELL_COLUMNS,
    "metrics": METRIC_COLUMNS,
    "findings": FINDING_COLUMNS,
}


def document_rows(
    document: Document,
    *,
    deck: Mapping[str, Any],
    metrics: Sequence[Mapping[str, Any]] = (),
    findings: Sequence[Mapping[str, Any]] = (),
    replaces: Sequence[str] = (),
    run_id: int | None = None,
    size_bytes: int | None = None,
) -> DocumentRows:
    blocks, cells = block_and_cell_rows(document)
    return DocumentRows(
        document_id=document.sha256,
        replaces=list(replaces),
        rows={
            "documents": [document_row(document, deck, run_id, size_bytes)],
            "pages": page_rows(document),
            "blocks": blocks,
            "table_cells": cells,
            "metrics": [dict(m) for m in metrics],
            "findings": [dict(f) for f in findings],
        },
    )


def write_documents(con: duckdb.DuckDBPyConnection, batch: Sequence[DocumentRows]) -> int:
    """Write whole documents in one transaction: each one's old rows (and those of the versions it
    replaces) go, its new rows come in. A crash leaves every document of the batch in or out.
    Returns the metrics written."""
    if not batch:
        return 0
    stale = [i for item in batch for i in (item.document_id, *item.replaces)]
    con.execute("BEGIN TRANSACTION")
    try:
        delete_documents(con, stale)
        for table, columns in TABLE_COLUMNS.items():
            insert_rows(con, table, columns, (row for item in batch for row in item.rows[table]))
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return sum(item.metric_count for item in batch)


def replace_document(con: duckdb.DuckDBPyConnection, document: Document, **fields: Any) -> int:
    """Write one document in its own transaction (see `document_rows` for the fields)."""
    return write_documents(con, [document_rows(document, **fields)])


def add_locations(con: duckdb.DuckDBPyConnection, locations: Sequence[tuple[str, Path]], run_id: int | None) -> None:
    """Record other paths of loaded documents (duplicates of a batch); paths of documents that did
    not load, and paths already known, are left out."""
    for document_id, path in locations:
        con.execute(
            "INSERT OR IGNORE INTO document_locations (document_id, path, file_name, run_id) "
            "SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM documents WHERE document_id = ? AND path <> ?)",
            [document_id, path_text(path.resolve()), path_text(path.name), run_id, document_id,
             path_text(path.resolve())],
        )


def move_document(con: duckdb.DuckDBPyConnection, document_id: str, new_path: Path) -> None:
    """A known file seen at a new path: keep its rows, update where it lives."""
    con.execute(
        "UPDATE documents SET path = ?, file_name = ? WHERE document_id = ?",
        [path_text(new_path.resolve()), path_text(new_path.name), document_id],
    )


def known_documents(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """document_id -> path of everything in the warehouse."""
    return dict(con.execute("SELECT document_id, path FROM documents").fetchall())
