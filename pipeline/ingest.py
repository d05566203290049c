"""Batch ingest: find the files, decide what is new, process them in parallel, write them one by one.

`pipeline.planning` decides per file (new, changed, moved, unchanged, duplicate; identity is the
sha256 of its bytes). Workers (`--jobs`, or an executor such as a Dask cluster) only extract and
mine; this process is the single writer (`pipeline.batch_writer`) and commits finished documents in
small batches, each batch one transaction, so an interrupted ingest leaves whole documents only.
After the last batch it records the files' stats, links renditions into briefings and closes the
run's row in `ingest_runs`.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
from deckmine.patterns.gazetteer import strategies
from deckmine.pipeline.batch_writer import BatchWriter
from deckmine.pipeline.executors import Executor, make_executor
from deckmine.pipeline.limits import Limits, cap_jobs, escape, file_line
from deckmine.pipeline.planning import ErrorSink, PlannedFile, discover, plan, vouched_for
from deckmine.pipeline.process import ProcessedFile
from deckmine.pipeline.workers import WorkerPool
from deckmine.warehouse.briefings import link_briefings
from deckmine.warehouse.db import checkpoint, connect
from deckmine.warehouse.file_stats import FileStat, load_file_stats, record_file_stats
from deckmine.warehouse.store import add_locations, document_rows, known_documents, move_document

__all__ = ["IngestSummary", "Progress", "default_jobs", "discover", "ingest", "plan"]

# DuckDB's buffer pool for the writer; it spills to disk beyond this.
WRITER_MEMORY_LIMIT = "128MB"


@dataclass
class IngestSummary:
    files_seen: int = 0
    new: int = 0
    changed: int = 0
    moved: int = 0
    unchanged: int = 0
    failed: int = 0
    duplicates: int = 0  # the same bytes at a second path of this batch: loaded once
    interrupted: bool = False
    metrics_added: int = 0
    pages: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    @property
    def loaded(self) -> int:
        return self.new + self.changed + self.moved + self.unchanged

    def line(self) -> str:
        rate = self.pages / self.seconds if self.seconds else 0.0
        duplicates = f", {self.duplicates} duplicates" if self.duplicates else ""
        interrupted = " (interrupted: finished documents kept)" if self.interrupted else ""
        return (
            f"{self.files_seen} files: {self.new} new, {self.changed} changed, {self.moved} moved, "
            f"{self.unchanged} unchanged, {self.failed} failed{duplicates}; {self.metrics_added} metrics added; "
            f"{self.pages} pages in {self.seconds:.1f}s ({rate:.1f} pages/s){interrupted}"
        )


@dataclass
class _Work:
    """What the plan leaves to do: files to process, other paths of loaded documents, and the
    stats of the files whose digest is settled."""

    to_process: dict[Path, PlannedFile] = field(default_factory=dict)
    duplicates: list[tuple[str, Path]] = field(default_factory=list)
    hashed: list[tuple[str, FileStat, str]] = field(default_factory=list)
    taken: set[str] = field(default_factory=set)  # document ids of this run, written or in a batch


def default_jobs() -> int:
    return max(1, os.cpu_count() or 1)


def _refresh_strategies(con: duckdb.DuckDBPyConnection) -> None:
    """Keep the warehouse's strategy lookup in step with patterns/data/strategies.tsv."""
    rows = [(s.number, s.title) for s in strategies()]
    con.executemany(
        "INSERT INTO strategies VALUES (?, ?) ON CONFLICT (strategy) DO UPDATE SET title = excluded.title",
        rows,
    )


def _start_run(con: duckdb.DuckDBPyConnection, command: str) -> int:
    run_id = con.execute("SELECT coalesce(max(run_id), 0) + 1 FROM ingest_runs").fetchone()[0]
    con.execute(
        "INSERT INTO ingest_runs (run_id, started_at, command) VALUES (?, ?, ?)",
        [run_id, datetime.now(), command],
    )
    return int(run_id)


def _finish_run(con: duckdb.DuckDBPyConnection, run_id: int, summary: IngestSummary) -> None:
    con.execute(
        "UPDATE ingest_runs SET finished_at = ?, files_seen = ?, files_new = ?, files_changed = ?, "
        "files_moved = ?, files_unchanged = ?, files_failed = ?, metrics_added = ?, errors = ? "
        "WHERE run_id = ?",
        [
            datetime.now(), summary.files_seen, summary.new, summary.changed, summary.moved,
            summary.unchanged, summary.failed, summary.metrics_added, summary.errors, run_id,
        ],
    )


class Progress:
    """What ingest reports while it works; the CLI plugs in a progress bar."""

    def start(self, total_files: int) -> None: ...

    def advance(self, result: ProcessedFile) -> None: ...

    def stop(self) -> None: ...


def ingest(
    paths: Iterable[str | Path],
    db_path: str | Path | None = None,
    *,
    jobs: int | None = None,
    force: bool = False,
    on_error: ErrorSink | None = None,
    progress: Progress | None = None,
    command: str = "ingest",
    limits: Limits | None = None,
    executor: Executor | str | None = None,
    pdf_backend: str | None = None,
) -> IngestSummary:
    """Load files and folders into the warehouse. Bad files are reported and skipped; a file over
    a bound of `limits` (time, memory) is stopped and reported, and the batch goes on. Ctrl-C
    writes every finished document and returns with `interrupted` set.

    `executor` (an `Executor`, or a spec for `pipeline.executors.make_executor`: `local`, `dask`,
    `tcp://HOST:PORT`) extracts and mines the files instead of `jobs` local worker processes; this
    process still writes the warehouse.
    ingest closes it when done: an executor serves one call. `pdf_backend` picks the PDF text
    layer of the local workers (`extractors.PDF_BACKENDS`; None: the default)."""
    started = time.perf_counter()
    summary = IngestSummary()
    progress = progress or Progress()
    limits = limits or Limits()

    def report(line: str) -> None:
        summary.errors.append(line)
        if on_error:
            on_error(line)

    files = discover(paths, report)
    summary.failed = len(summary.errors)
    if isinstance(executor, str):
        executor = make_executor(executor, jobs, limits, pdf_backend)
    pool = executor if executor is not None else WorkerPool(cap_jobs(jobs, limits), limits, pdf_backend)
    try:
        return _ingest(files, db_path, pool, summary, report, progress, force, command, started)
    finally:
        pool.close()


def _ingest(
    files: list[Path],
    db_path: str | Path | None,
    pool: Executor,
    summary: IngestSummary,
    report: ErrorSink,
    progress: Progress,
    force: bool,
    command: str,
    started: float,
) -> IngestSummary:
    con = connect(db_path, memory_limit=WRITER_MEMORY_LIMIT)
    try:
        _refresh_strategies(con)
        run_id = _start_run(con, escape(command))
        work = _plan_work(con, files, pool, summary, report, force)

        def unstored(path: Path, status: str, reason: str) -> None:
            summary.failed += 1
            if status == "changed":
                summary.changed -= 1
            else:
                summary.new -= 1
            report(file_line(path, reason))

        writer = BatchWriter(con, unstored)
        progress.start(len(work.to_process))
        try:
            for result in pool.run(list(work.to_process)):
                if result is None:  # every worker busy: keep finished documents from waiting
                    writer.tick()
                else:
                    progress.advance(result)
                    _take(result, work, writer, summary, report, run_id)
        except KeyboardInterrupt:
            summary.interrupted = True
        finally:
            progress.stop()
        with _no_interrupts():
            writer.flush()
            summary.metrics_added = writer.metrics_written
            add_locations(con, work.duplicates, run_id)
            record_file_stats(con, work.hashed)
            link_briefings(con)
            summary.seconds = time.perf_counter() - started
            _finish_run(con, run_id, summary)
            checkpoint(con)
    finally:
        con.close()
    return summary


def _plan_work(
    con: duckdb.DuckDBPyConnection,
    files: list[Path],
    pool: Executor,
    summary: IngestSummary,
    report: ErrorSink,
    force: bool,
) -> _Work:
    """Plan the batch; record what needs no worker (unchanged, moved, duplicates) at once."""
    cache = load_file_stats(con)
    unvouched = len(files) if force else sum(not vouched_for(path, cache) for path in files)
    if unvouched:  # the workers start importing while the files are hashed and planned
        pool.warm_up(unvouched)
    planned = plan(files, known_documents(con), force, report, cache)
    summary.failed = len(summary.errors)
    summary.files_seen = len(planned) + summary.failed
    work = _Work()
    for item in planned:
        if item.status not in ("new", "changed") and item.stat is not None:
            work.hashed.append((item.resolved, item.stat, item.sha256))
        if item.status == "unchanged":
            summary.unchanged += 1
        elif item.status == "moved":
            move_document(con, item.sha256, item.path)
            summary.moved += 1
        elif item.status == "duplicate":
            summary.duplicates += 1
            work.duplicates.append((item.sha256, item.path))
        else:
            work.to_process[item.path] = item
    return work


def _take(
    result: ProcessedFile, work: _Work, writer: BatchWriter, summary: IngestSummary, report: ErrorSink, run_id: int
) -> None:
    """One finished file: report it, or hand its rows to the writer."""
    item = work.to_process[result.path]
    for note in result.notes:
        report(file_line(result.path, note))
    if result.error or result.document is None:
        summary.failed += 1
        report(file_line(result.path, result.error or "nothing could be read"))
        return
    digest = result.document.sha256
    if digest in work.taken:  # changed mid-batch into another file's bytes
        summary.duplicates += 1
        return
    if digest != item.sha256:
        item.replaces.append(item.sha256)  # the file changed while we worked
    elif item.stat is not None:
        work.hashed.append((item.resolved, item.stat, item.sha256))
    work.taken.add(digest)
    rows = document_rows(
        result.document, deck=result.deck, metrics=result.metrics, findings=result.findings,
        replaces=item.replaces, run_id=run_id, size_bytes=result.size_bytes,
    )
    summary.pages += result.page_count
    if item.status == "changed":
        summary.changed += 1
    else:
        summary.new += 1
    writer.add(rows, result.path, item.status)


class _no_interrupts:
    """Ctrl-C waits while the last finished documents are written (main thread only)."""

    def __enter__(self) -> None:
        import signal
        import threading

        self._previous = None
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, signal.SIG_IGN)

    def __exit__(self, *exc: object) -> None:
        import signal

        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)
