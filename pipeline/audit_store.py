"""The audit in the warehouse: the cross-document check, rechecks, and reading findings back.

`run_audit(con)` replaces the `cross_document` findings: the same county, indicator, period and
kind reported with different values in two decks (`pipeline.audit_cross`); with `recheck` it also
recomputes every document's findings from its stored metrics. `finding_table` reads findings back
as rows for printing (`deckmine audit`), `list_findings` as a pandas DataFrame for notebooks.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
from deckmine.patterns.data_tables import read_table
from deckmine.patterns.normalize import fold_tai
from deckmine.pipeline.audit import check_document
from deckmine.pipeline.audit_cross import check_cross_document
from deckmine.pipeline.audit_findings import STATUS_ORDER
from deckmine.warehouse.db import connect
from deckmine.warehouse.results import Result
from deckmine.warehouse.store import FINDING_COLUMNS, insert_rows

if TYPE_CHECKING:
    import pandas as pd

TABLE_COLUMNS = ("status", "check", "county", "file_name", "page", "message")


def audit(
    db_path: str | Path | None,
    *,
    county: str | None = None,
    status: Sequence[str] | None = None,
    document: str | None = None,
    every_rendition: bool = False,
    brief: bool = False,
) -> Result:
    """`deckmine audit`: run the cross-document check on the warehouse, then list its findings
    (`brief`: the columns a table shows; otherwise every column but the box)."""
    con = connect(db_path)
    try:
        run_audit(con)
        columns = TABLE_COLUMNS if brief else None
        result = finding_table(con, county, status, document, every_rendition, columns)
    finally:
        con.close()
    if brief:
        return result
    keep = [i for i, name in enumerate(result.columns) if name != "bbox"]
    return Result([result.columns[i] for i in keep], [tuple(row[i] for i in keep) for row in result.rows])


def run_audit(con: duckdb.DuckDBPyConnection, *, recheck: bool = False) -> int:
    """Replace the cross-document findings in the warehouse (one transaction). Returns their count.

    With `recheck`, the per-document findings are also recomputed from the stored metrics (after
    the audit rules changed, without re-ingesting)."""
    findings = check_cross_document(con)
    rechecked = _recheck_documents(con) if recheck else None
    con.execute("BEGIN TRANSACTION")
    try:
        if rechecked is None:
            con.execute("DELETE FROM findings WHERE \"check\" = 'cross_document'")
        else:
            con.execute("DELETE FROM findings")
            findings = rechecked + findings
        insert_rows(con, "findings", FINDING_COLUMNS, findings)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return len(findings) - (len(rechecked) if rechecked else 0)


def _recheck_documents(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    frame = con.execute("SELECT * FROM metrics ORDER BY document_id, page, metric_id").df()
    frame = frame.astype(object).where(frame.notna(), None)
    findings: list[dict[str, Any]] = []
    for document_id, rows in frame.groupby("document_id", sort=True):
        findings += check_document(rows.to_dict("records"), str(document_id))
    return findings


def list_findings(
    con: duckdb.DuckDBPyConnection,
    county: str | None = None,
    status: str | Sequence[str] | None = None,
    document: str | None = None,
    every_rendition: bool = False,
) -> pd.DataFrame:
    """`finding_table`'s findings as a pandas DataFrame, for notebooks."""
    sql, params = _findings_sql(county, status, document, every_rendition)
    return con.execute(sql, params).df()


def finding_table(
    con: duckdb.DuckDBPyConnection,
    county: str | None = None,
    status: str | Sequence[str] | None = None,
    document: str | None = None,
    every_rendition: bool = False,
    columns: Sequence[str] | None = None,
) -> Result:
    """Findings with their deck's file name and county, worst first then by deck and page (see
    `_findings_sql` for the filters); `columns` picks some."""
    sql, params = _findings_sql(county, status, document, every_rendition)
    if columns:
        sql = f"SELECT {', '.join(f'{chr(34)}{c}{chr(34)}' for c in columns)} FROM ({sql})"
    return Result.fetch(con.execute(sql, params))


def _findings_sql(
    county: str | None, status: str | Sequence[str] | None, document: str | None, every_rendition: bool
) -> tuple[str, list[Any]]:
    """The findings query, worst first then by deck and page.

    `county` accepts 台 for 臺; `status` one status or several; `document` a document id prefix or
    a file name (or part of it). Findings of one rendition per briefing (`v_findings`) unless
    `every_rendition` or a `document` is named."""
    where, params = [], []
    if county:
        folded, fold_params = "coalesce(d.county, '')", []
        for row in read_table("variants.tsv"):  # variant spellings, as `fold_tai` folds
            folded = f"replace({folded}, ?, ?)"
            fold_params += [row["variant"], row["canonical"]]
        where.append(f"{folded} = ?")
        params += [*fold_params, fold_tai(county)]
    if status:
        statuses = [status] if isinstance(status, str) else list(status)
        where.append("f.status IN (SELECT unnest(?::VARCHAR[]))")
        params.append(statuses)
    if document:
        where.append("(f.document_id LIKE ? || '%' OR d.file_name LIKE '%' || ? || '%' OR d.path = ?)")
        params += [document, document, document]
    order = ", ".join(f"'{s}'" for s in STATUS_ORDER)
    sql = f"""
        SELECT f.finding_id, f."check", f.status, f.severity, d.county, d.file_name,
               f.document_id, f.page, f.message, f.expression, f.reported, f.computed,
               f.difference, f.metric_ids, f.snippet, f.bbox
        FROM {"findings" if every_rendition or document else "v_findings"} f
        LEFT JOIN documents d USING (document_id)
        {"WHERE " + " AND ".join(where) if where else ""}
        ORDER BY list_position([{order}], f.status), d.file_name, f.page, f.finding_id
    """
    return sql, params
