"""Batch ingest: find the files, decide what is new, process them in parallel, write them one by one.

Identity is the sha256 of a file's bytes (read again only when the file's size, modification time
or inode differ from those recorded when it was last hashed: `warehouse.file_stats`):
- bytes already in the warehouse at the same path: unchanged, nothing is read;
- bytes already in the warehouse at another path: moved, only the path is updated;
- new bytes at a path the warehouse knows: changed, the old version's rows are replaced;
- new bytes at a new path: new.

Workers (`--jobs`) only extract and mine; the parent process is the single writer and commits
finished documents in small batches, each batch one transaction, so an interrupted ingest leaves
whole documents only.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from extractors import EXPECTED, SUPPORTED_SUFFIXES, sha256_of
from patterns.gazetteer import strategies
from pipeline.executors import Executor
from pipeline.limits import Limits, cap_jobs, escape, file_line
from pipeline.process import ProcessedFile
from pipeline.workers import WorkerPool
from warehouse.briefings import link_briefings
from warehouse.db import WarehouseError, checkpoint, connect, describe_write_error
from warehouse.file_stats import CachedDigest, FileStat, load_file_stats, record_file_stats
from warehouse.store import (
    DocumentRows,
    add_locations,
    document_rows,
    known_documents,
    move_document,
    path_text,
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
    stat: FileStat | None = None  # as seen before hashing
    resolved: str = ""


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
                on_error(file_line(path, f"unsupported file type '{path.suffix or path.name}' (expected {EXPECTED})"))
        else:
            on_error(file_line(path, "no such file or folder"))
    unique: dict[Path, Path] = {}
    for path in found:
        unique.setdefault(path.resolve(), path)
    return list(unique.values())


def plan(
    files: list[Path],
    known: dict[str, str],
    force: bool,
    on_error: ErrorSink,
    cache: dict[str, CachedDigest] | None = None,
) -> list[PlannedFile]:
    """Decide per file whether it is new, changed, moved, unchanged or a duplicate (the same bytes
    as an earlier path of this batch: loaded once, under the first path). A file the stat `cache`
    vouches for is not read (unless `force`)."""
    cache = cache or {}
    by_path: dict[str, list[str]] = {}
    for document_id, stored_path in known.items():
        by_path.setdefault(stored_path, []).append(document_id)
    planned: list[PlannedFile] = []
    first_path: dict[str, PlannedFile] = {}
    for path in files:
        resolved = path_text(path.resolve())
        try:
            stat = FileStat.of(path.stat())
            cached = cache.get(resolved)
            if not force and cached is not None and cached.trusted_for(stat):
                digest = cached.document_id
            else:
                digest = sha256_of(path)
        except FileNotFoundError:
            on_error(file_line(path, "file not found (it may have been moved or deleted)"))
            continue
        except OSError as exc:
            on_error(file_line(path, f"cannot read file ({exc.strerror or exc})"))
            continue
        previous = [d for d in by_path.get(resolved, []) if d != digest]
        if digest in first_path:
            planned.append(PlannedFile(path, digest, "duplicate", stat=stat, resolved=resolved))
            continue
        if digest in known and not force:
            status = "unchanged" if known[digest] == resolved else "moved"
        else:
            status = "changed" if previous or (force and digest in known) else "new"
        item = PlannedFile(path, digest, status, replaces=previous, stat=stat, resolved=resolved)
        first_path[digest] = item
        planned.append(item)
    return planned


def _vouched_for(path: Path, cache: dict[str, CachedDigest]) -> bool:
    """The stat cache holds this file's digest (it will not be read nor, most likely, processed)."""
    cached = cache.get(path_text(path.resolve()))
    try:
        return cached is not None and cached.trusted_for(FileStat.of(path.stat()))
    except OSError:
        return False


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
    executor: Executor | None = None,
    pdf_backend: str | None = None,
) -> IngestSummary:
    """Load files and folders into the warehouse. Bad files are reported and skipped; a file over
    a bound of `limits` (time, memory) is stopped and reported, and the batch goes on. Ctrl-C
    writes every finished document and returns with `interrupted` set.

    `executor` (see `pipeline.executors.make_executor`, e.g. a Dask cluster) extracts and mines
    the files instead of `jobs` local worker processes; this process still writes the warehouse.
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
    pool = executor or WorkerPool(cap_jobs(jobs, limits), limits, pdf_backend)
    try:
        return _ingest(files, db_path, pool, summary, report, progress, force, command, started)
    finally:
        pool.close()


def _ingest(
    files: list[Path],
    db_path: str | Path | None,
    pool: WorkerPool,
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
        cache = load_file_stats(con)
        unvouched = len(files) if force else sum(not _vouched_for(path, cache) for path in files)
        if unvouched:  # the workers start importing while the files are hashed and planned
            pool.warm_up(unvouched)
        planned = plan(files, known_documents(con), force, report, cache)
        summary.failed = len(summary.errors)
        summary.files_seen = len(planned) + summary.failed
        to_process: dict[Path, PlannedFile] = {}
        duplicates: list[tuple[str, Path]] = []  # recorded as other locations once loaded
        hashed: list[tuple[str, FileStat, str]] = []  # (path, stat, sha256) of files now loaded
        for item in planned:
            if item.status != "new" and item.status != "changed" and item.stat is not None:
                hashed.append((item.resolved, item.stat, item.sha256))
            if item.status == "unchanged":
                summary.unchanged += 1
            elif item.status == "moved":
                move_document(con, item.sha256, item.path)
                summary.moved += 1
            elif item.status == "duplicate":
                summary.duplicates += 1
                duplicates.append((item.sha256, item.path))
            else:
                to_process[item.path] = item
        progress.start(len(to_process))
        batch: list[DocumentRows] = []
        batch_paths: list[tuple[Path, str]] = []
        batch_started = time.perf_counter()
        taken: set[str] = set()  # document ids of this run, written or in the batch

        committed = False

        def flush() -> None:
            nonlocal committed
            committed = True
            if batch:
                summary.metrics_added += _write(con, batch, batch_paths, summary, report)
            batch.clear()
            batch_paths.clear()

        try:
            for result in pool.run(list(to_process)):
                if result is None:  # every worker busy: keep finished documents from waiting
                    if batch and time.perf_counter() - batch_started >= BATCH_SECONDS:
                        flush()
                    continue
                item = to_process[result.path]
                progress.advance(result)
                for note in result.notes:
                    report(file_line(result.path, note))
                if result.error or result.document is None:
                    summary.failed += 1
                    report(file_line(result.path, result.error or "nothing could be read"))
                    continue
                if result.document.sha256 in taken:  # changed mid-batch into another file's bytes
                    summary.duplicates += 1
                    continue
                if result.document.sha256 != item.sha256:
                    item.replaces.append(item.sha256)  # the file changed while we worked
                elif item.stat is not None:
                    hashed.append((item.resolved, item.stat, item.sha256))
                if not batch:
                    batch_started = time.perf_counter()
                taken.add(result.document.sha256)
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
                batch_paths.append((result.path, item.status))
                summary.pages += result.page_count
                if item.status == "changed":
                    summary.changed += 1
                else:
                    summary.new += 1
                if (
                    len(batch) >= BATCH_DOCUMENTS
                    or time.perf_counter() - batch_started >= BATCH_SECONDS
                    or not committed  # the run's first document is committed at once
                ):
                    flush()
        except KeyboardInterrupt:
            summary.interrupted = True
        finally:
            progress.stop()
        with _no_interrupts():
            flush()
            add_locations(con, duplicates, run_id)
            record_file_stats(con, hashed)
            link_briefings(con)
            summary.seconds = time.perf_counter() - started
            _finish_run(con, run_id, summary)
            checkpoint(con)
    finally:
        con.close()
    return summary


def _write(
    con: duckdb.DuckDBPyConnection,
    batch: list[DocumentRows],
    paths: list[tuple[Path, str]],
    summary: IngestSummary,
    report: ErrorSink,
) -> int:
    """Write a batch in one transaction. If a document in it cannot be stored, write the others one
    by one and report that one: a bad value costs its own document only. A disk or I/O failure
    stops the batch with one line (WarehouseError)."""
    try:
        return write_documents(con, batch)
    except (duckdb.Error, ValueError, TypeError, UnicodeError, OverflowError) as exc:
        if _storage_failure(exc):
            raise WarehouseError(describe_write_error(con, _storage_cause(exc))) from None
    written = 0  # find the document that cannot be stored; write the others
    for rows, (path, status) in zip(batch, paths, strict=True):
        try:
            written += write_documents(con, [rows])
        except (duckdb.Error, ValueError, TypeError, UnicodeError, OverflowError) as exc:
            if _storage_failure(exc):
                raise WarehouseError(describe_write_error(con, _storage_cause(exc))) from None
            summary.failed += 1
            if status == "changed":
                summary.changed -= 1
            else:
                summary.new -= 1
            text = " ".join(str(exc).split())[:160] or type(exc).__name__
            report(file_line(path, f"cannot be stored: {type(exc).__name__}: {text}"))
    return written


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


_STORAGE_WORDS = ("no space left", "file too large", "read-only file system", "invalidated", "cannot rollback", "i/o error")


def _storage_failure(exc: BaseException) -> bool:
    """The disk or the database failed (not one document's values): stop the batch."""
    return any(
        isinstance(e, duckdb.IOException | duckdb.FatalException | OSError)
        or any(word in str(e).lower() for word in _STORAGE_WORDS)
        for e in _chain(exc)
    )


def _storage_cause(exc: BaseException) -> BaseException:
    """The first failure in the chain (the commit's, not the rollback's that followed)."""
    return _chain(exc)[-1]


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
