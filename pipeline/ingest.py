"""Batch ingest: find the files, decide what is new, process them in parallel, write them one by one.

Identity is the sha256 of a file's bytes:
- bytes already in the warehouse at the same path: unchanged, nothing is read;
- bytes already in the warehouse at another path: moved, only the path is updated;
- new bytes at a path the warehouse knows: changed, the old version's rows are replaced;
- new bytes at a new path: new.

Workers (`--jobs`) only extract and mine; the parent process is the single writer and commits
finished documents in small batches, each batch one transaction, so an interrupted ingest leaves
whole documents only.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from extractors import EXPECTED, SUPPORTED_SUFFIXES, sha256_of
from patterns.gazetteer import strategies
from pipeline.process import ProcessedFile, process_file
from warehouse.db import connect
from warehouse.store import (
    DocumentRows,
    document_rows,
    known_documents,
    move_document,
    write_documents,
)

ErrorSink = Callable[[str], None]

# Finished documents are written together, one transaction per batch: fewer, larger INSERTs. A batch
# is closed after this many documents or this many seconds, whichever comes first.
BATCH_DOCUMENTS = 16
BATCH_SECONDS = 1.0
# DuckDB's buffer pool for the writer; it spills to disk beyond this.
WRITER_MEMORY_LIMIT = "256MB"


@dataclass
class PlannedFile:
    path: Path
    sha256: str
    status: str  # new | changed | moved | unchanged
    replaces: list[str] = field(default_factory=list)


@dataclass
class IngestSummary:
    files_seen: int = 0
    new: int = 0
    changed: int = 0
    moved: int = 0
    unchanged: int = 0
    failed: int = 0
    metrics_added: int = 0
    pages: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    @property
    def loaded(self) -> int:
        return self.new + self.changed + self.moved + self.unchanged

    def line(self) -> str:
        rate = self.pages / self.seconds if self.seconds else 0.0
        return (
            f"{self.files_seen} files: {self.new} new, {self.changed} changed, {self.moved} moved, "
            f"{self.unchanged} unchanged, {self.failed} failed; {self.metrics_added} metrics added; "
            f"{self.pages} pages in {self.seconds:.1f}s ({rate:.1f} pages/s)"
        )


def discover(paths: Iterable[str | Path], on_error: ErrorSink) -> list[Path]:
    """Expand folders (recursively) into files of SUPPORTED_SUFFIXES. A file named explicitly with
    another extension, or a path that does not exist, is reported through `on_error`."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file()
                    and p.suffix.lower() in SUPPORTED_SUFFIXES
                    and not p.name.startswith(("~$", "."))
                )
            )
        elif path.is_file():
            if path.suffix.lower() in SUPPORTED_SUFFIXES:
                found.append(path)
            else:
                on_error(f"{path}: unsupported file type '{path.suffix or path.name}' (expected {EXPECTED})")
        else:
            on_error(f"{path}: no such file or folder")
    unique: dict[Path, Path] = {}
    for path in found:
        unique.setdefault(path.resolve(), path)
    return list(unique.values())


def plan(files: list[Path], known: dict[str, str], force: bool, on_error: ErrorSink) -> list[PlannedFile]:
    """Decide per file whether it is new, changed, moved or unchanged."""
    by_path: dict[str, list[str]] = {}
    for document_id, stored_path in known.items():
        by_path.setdefault(stored_path, []).append(document_id)
    planned: list[PlannedFile] = []
    for path in files:
        try:
            digest = sha256_of(path)
        except FileNotFoundError:
            on_error(f"{path}: file not found (it may have been moved or deleted)")
            continue
        except OSError as exc:
            on_error(f"{path}: cannot read file ({exc.strerror or exc})")
            continue
        resolved = str(path.resolve())
        previous = [d for d in by_path.get(resolved, []) if d != digest]
        if digest in known and not force:
            status = "unchanged" if known[digest] == resolved else "moved"
        else:
            status = "changed" if previous or (force and digest in known) else "new"
        planned.append(PlannedFile(path, digest, status, replaces=previous))
    return planned


def default_jobs() -> int:
    return max(1, os.cpu_count() or 1)


def _run_pool(paths: list[Path], jobs: int) -> Iterator[ProcessedFile]:
    """Yield processed files as workers finish them, keeping only a few in flight so memory stays
    flat whatever the batch size."""
    if jobs <= 1 or len(paths) <= 1:
        for path in paths:
            yield process_file(path)
        return
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["pipeline.process"])
    pending = iter(paths)
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        in_flight: set[Future[ProcessedFile]] = set()
        for path in pending:
            in_flight.add(pool.submit(process_file, path))
            if len(in_flight) >= jobs * 2:
                break
        while in_flight:
            done, in_flight = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in done:
                next_path = next(pending, None)
                if next_path is not None:
                    in_flight.add(pool.submit(process_file, next_path))
                yield future.result()


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
) -> IngestSummary:
    """Load files and folders into the warehouse. Bad files are reported and skipped."""
    started = time.perf_counter()
    summary = IngestSummary()
    progress = progress or Progress()

    def report(line: str) -> None:
        summary.errors.append(line)
        if on_error:
            on_error(line)

    files = discover(paths, report)
    summary.failed = len(summary.errors)
    con = connect(db_path, memory_limit=WRITER_MEMORY_LIMIT)
    try:
        _refresh_strategies(con)
        run_id = _start_run(con, command)
        planned = plan(files, known_documents(con), force, report)
        summary.failed = len(summary.errors)
        summary.files_seen = len(planned) + summary.failed
        to_process: dict[Path, PlannedFile] = {}
        for item in planned:
            if item.status == "unchanged":
                summary.unchanged += 1
            elif item.status == "moved":
                move_document(con, item.sha256, item.path)
                summary.moved += 1
            else:
                to_process[item.path] = item
        progress.start(len(to_process))
        batch: list[DocumentRows] = []
        batch_started = time.perf_counter()

        def flush() -> None:
            summary.metrics_added += write_documents(con, batch)
            batch.clear()

        try:
            for result in _run_pool(list(to_process), jobs or default_jobs()):
                item = to_process[result.path]
                progress.advance(result)
                if result.error or result.document is None:
                    summary.failed += 1
                    report(f"{result.path}: {result.error}")
                    continue
                if result.document.sha256 != item.sha256:
                    item.replaces.append(item.sha256)  # the file changed while we worked
                if not batch:
                    batch_started = time.perf_counter()
                batch.append(
                    document_rows(
                        result.document,
                        deck=result.deck,
                        metrics=result.metrics,
                        findings=result.findings,
                        replaces=item.replaces,
                        run_id=run_id,
                        size_bytes=result.size_bytes,
                    )
                )
                summary.pages += result.page_count
                if item.status == "changed":
                    summary.changed += 1
                else:
                    summary.new += 1
                if len(batch) >= BATCH_DOCUMENTS or time.perf_counter() - batch_started >= BATCH_SECONDS:
                    flush()
            flush()
        finally:
            progress.stop()
        summary.seconds = time.perf_counter() - started
        _finish_run(con, run_id, summary)
    finally:
        con.close()
    return summary
