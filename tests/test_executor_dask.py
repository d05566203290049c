"""The Dask executor: a local cluster of two worker processes loads the same rows as a local
`--jobs 1` ingest, a bad file costs one error line, a runaway file is stopped at its timeout, and
the executor specs are parsed as documented."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest
from deckmine.pipeline.executors import SPEC_FORMS, make_executor
from deckmine.pipeline.ingest import ingest
from deckmine.pipeline.limits import Limits, timeout_reason
from deckmine.pipeline.workers import WorkerPool

from tests.conftest import deck

distributed = pytest.importorskip(
    "distributed", reason="the dask executor needs the `cluster` extra: pip install 'deckmine[cluster]'"
)

from deckmine.pipeline.executors import DaskExecutor  # noqa: E402 - only with distributed

# Two PDFs and two PPTX decks: both readers, a few hundred metrics, a few seconds.
SUBSET = ["changhua-114.pdf", "changhua-114.pptx", "penghu-111.pdf", "hualien-113.pptx"]


def _copy(names: list[str], folder: Path) -> Path:
    folder.mkdir()
    for name in names:
        shutil.copy(deck(name), folder / name)
    return folder


def _rows(db: Path) -> dict[str, list[tuple[object, ...]]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            "documents": con.execute(
                "SELECT document_id, path, file_name, file_type, size_bytes, page_count, title, county, "
                "report_roc_year, warnings FROM documents ORDER BY document_id"
            ).fetchall(),
            "metrics_per_document": con.execute(
                "SELECT document_id, count(*) FROM metrics GROUP BY ALL ORDER BY ALL"
            ).fetchall(),
            "metrics": con.execute(
                "SELECT metric_id, document_id, page, county, strategy, year, indicator, label, value, "
                "value_text, unit, kind, numerator, denominator, snippet FROM metrics ORDER BY metric_id"
            ).fetchall(),
            "pages": con.execute("SELECT document_id, count(*) FROM pages GROUP BY ALL ORDER BY ALL").fetchall(),
            "findings": con.execute(
                'SELECT finding_id, "check", status, page FROM findings ORDER BY finding_id'
            ).fetchall(),
        }
    finally:
        con.close()


def test_dask_cluster_loads_the_same_rows_as_a_local_ingest(tmp_path: Path) -> None:
    folder = _copy(SUBSET, tmp_path / "decks")
    local = ingest([folder], tmp_path / "local.duckdb", jobs=1)
    executor = DaskExecutor(None, Limits(), workers=2)
    remote = ingest([folder], tmp_path / "dask.duckdb", executor=executor)
    assert executor.startup_seconds is not None  # the cluster did start, and ingest closed it
    assert executor._client is None and executor._cluster is None

    assert remote.errors == local.errors == []
    assert (remote.new, remote.failed, remote.metrics_added, remote.pages) == (
        local.new, local.failed, local.metrics_added, local.pages
    )
    assert remote.new == len(SUBSET)
    expected, got = _rows(tmp_path / "local.duckdb"), _rows(tmp_path / "dask.duckdb")
    assert len(got["metrics"]) > 200
    for table in expected:
        assert got[table] == expected[table], table


def test_a_bad_file_is_one_error_line_and_the_others_load(tmp_path: Path) -> None:
    folder = _copy(["hualien-113.pptx", "penghu-111.pdf"], tmp_path / "decks")
    (folder / "empty.pdf").write_bytes(b"")
    lines: list[str] = []
    local = ingest([folder], tmp_path / "local.duckdb", jobs=1)
    summary = ingest(
        [folder], tmp_path / "dask.duckdb", executor=DaskExecutor(None, Limits(), workers=2), on_error=lines.append
    )
    assert (summary.new, summary.failed) == (2, 1)
    assert lines == local.errors  # the same reason, word for word
    assert len(lines) == 1 and lines[0].startswith(f"{folder / 'empty.pdf'}: ")


def test_the_pdf_backend_reaches_the_workers(tmp_path: Path) -> None:
    pdf = deck("penghu-111.pdf")
    executor = make_executor("dask", 1, Limits(), pdf_backend="no-such-backend")
    [result] = [r for r in executor.run([pdf]) if r is not None]
    assert result.path == pdf and "unknown pdf_backend 'no-such-backend'" in (result.error or "")


def test_a_file_past_its_timeout_is_stopped_and_the_batch_goes_on(tmp_path: Path) -> None:
    """A FIFO named like a PDF never delivers a byte: its task is cancelled at the timeout and its
    worker restarted (the thread stuck in open() is killed with it); the other files load."""
    stuck = tmp_path / "stuck.pdf"
    os.mkfifo(stuck)
    quick = [deck("hualien-113.pptx"), deck("penghu-111.pptx")]
    limits = Limits(timeout=2.0)
    results = {r.path: r for r in DaskExecutor(None, limits, workers=2).run([stuck, *quick]) if r is not None}
    assert results[stuck].error == timeout_reason(limits)
    for path in quick:
        assert results[path].error is None and results[path].metrics


def test_executor_specs(tmp_path: Path) -> None:
    assert isinstance(make_executor("local", 1, Limits()), WorkerPool)
    local_cluster = make_executor("dask", 2, Limits())
    assert isinstance(local_cluster, DaskExecutor) and local_cluster.address is None
    local_cluster.close()  # never started: nothing to stop
    for spec in ("slurm", "dask://", "tcp://host", "tcp://host:port"):
        with pytest.raises(ValueError) as error:
            make_executor(spec, 1, Limits())
        assert spec in str(error.value)
    with pytest.raises(ValueError, match="expected local, dask"):
        make_executor("ray", 1, Limits())
    assert "dask://HOST:PORT" in SPEC_FORMS
