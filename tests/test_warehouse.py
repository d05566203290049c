"""The warehouse as analysts and batch users meet it: locks, read-only queries, export, crashes."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from deckmine.pipeline.cli import main

from tests.conftest import DECKS, ROOT

DECKMINE = [sys.executable, "-m", "deckmine.pipeline.cli"]


def test_schema_version_and_views_exist(sample_db: Path) -> None:
    con = duckdb.connect(str(sample_db), read_only=True)
    versions = [r[0] for r in con.execute("SELECT version FROM schema_version ORDER BY 1").fetchall()]
    assert versions[:2] == [1, 2]
    for view in ("v_metrics", "v_latest", "v_county_year"):
        con.execute(f"SELECT * FROM {view} LIMIT 1").fetchall()
    titles = dict(con.execute("SELECT strategy, title FROM strategies").fetchall())
    assert titles[2] == "優化保護服務輸送，提升風險控管"


def test_query_formats(sample_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sql = "SELECT county, count(*) AS n FROM documents GROUP BY county ORDER BY county"
    assert main(["query", sql, "--db", str(sample_db), "--format", "csv"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "county,n"
    assert "臺東縣,2" in out
    assert main(["query", sql, "--db", str(sample_db), "--format", "md"]) == 0
    assert "| 臺東縣 | 2 |" in capsys.readouterr().out


def test_query_refuses_writes(sample_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "DELETE FROM metrics", "--db", str(sample_db)]) == 1
    err = capsys.readouterr().err
    assert "read-only" in err
    assert len(err.strip().splitlines()) == 1
    con = duckdb.connect(str(sample_db), read_only=True)
    assert con.execute("SELECT count(*) FROM metrics").fetchone()[0] > 0


def test_export_parquet_round_trips(sample_db: Path, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    out = tmp_path / "export"
    assert main(["export", str(out), "--db", str(sample_db), "--format", "parquet"]) == 0
    con = duckdb.connect(str(sample_db), read_only=True)
    for name in ("documents", "pages", "metrics", "table_cells", "findings", "v_metrics", "v_county_year"):
        original = con.sql(f"SELECT * FROM {name}").to_arrow_table()
        back = pq.read_table(out / f"{name}.parquet")
        keys = [(column, "ascending") for column in original.column_names[:3]]
        assert back.num_rows == original.num_rows, name
        assert back.cast(original.schema).sort_by(keys).equals(original.sort_by(keys)), name
    assert pd.read_parquet(out / "metrics.parquet").shape[0] > 0


def test_second_writer_is_refused_with_one_line(sample_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "locked.duckdb"
    shutil.copy(sample_db, db)
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb,time; c=duckdb.connect({str(db)!r}); print('ok', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ok"
        result = subprocess.run(
            [*DECKMINE, "ingest", str(DECKS), "--db", str(db), "--quiet"],
            capture_output=True, text=True, cwd=ROOT, timeout=120,
        )
        assert result.returncode == 2
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert "locked" in lines[0] and str(db) in lines[0]
    finally:
        holder.kill()
        holder.wait()


def test_killed_ingest_leaves_only_whole_documents(sample_db: Path, tmp_path: Path) -> None:
    """Kill a real ingest part-way; every document in the warehouse must be complete."""
    reference = duckdb.connect(str(sample_db), read_only=True)
    expected = dict(
        reference.execute(
            "SELECT d.document_id, (SELECT count(*) FROM metrics m WHERE m.document_id = d.document_id) "
            "FROM documents d"
        ).fetchall()
    )
    pages_expected = dict(reference.execute("SELECT document_id, page_count FROM documents").fetchall())
    reference.close()
    total = len(expected)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for attempt, delay in enumerate((1.5, 3.0, 5.0, 8.0, 12.0, 18.0)):  # longer on a busy machine
        db = tmp_path / f"killed{attempt}.duckdb"
        proc = subprocess.Popen(
            [*DECKMINE, "ingest", str(DECKS), "--db", str(db), "--jobs", "1", "--quiet"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if not db.exists():
            continue
        con = duckdb.connect(str(db), read_only=True)
        loaded = con.execute("SELECT document_id, page_count FROM documents").fetchall()
        for document_id, page_count in loaded:
            assert page_count == pages_expected[document_id]
            pages = con.execute("SELECT count(*) FROM pages WHERE document_id = ?", [document_id]).fetchone()[0]
            metrics = con.execute("SELECT count(*) FROM metrics WHERE document_id = ?", [document_id]).fetchone()[0]
            assert (pages, metrics) == (page_count, expected[document_id])
        orphans = con.execute(
            "SELECT count(*) FROM pages WHERE document_id NOT IN (SELECT document_id FROM documents)"
        ).fetchone()[0]
        assert orphans == 0
        con.close()
        if 0 < len(loaded) < total:
            return  # killed mid-batch and the warehouse is consistent
    pytest.fail("could not kill the ingest mid-batch at any of the delays tried")


def test_run_query_and_stats_return_plain_rows(sample_db: Path) -> None:
    from deckmine.warehouse.db import connect
    from deckmine.warehouse.queries import run_query, stats
    from deckmine.warehouse.results import Result

    con = connect(sample_db, read_only=True, sandbox=True)
    try:
        result = run_query(con, "SELECT county, count(*) AS n FROM documents GROUP BY ALL ORDER BY ALL")
        assert isinstance(result, Result) and result.columns == ["county", "n"]
        assert ("臺東縣", 2) in result.rows and (None, 2) in result.rows
        totals = stats(con)["totals"]
        assert totals.columns == ["documents", "pages", "metrics", "findings"] and totals.rows[0][0] > 0
    finally:
        con.close()
