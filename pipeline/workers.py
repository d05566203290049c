"""Worker processes the batch can kill: one file at a time each, under a time and a memory bound.

Each worker is forked from a forkserver that has already imported the extractors and miners. It
asks Linux to kill it when the forkserver exits (which the forkserver does as soon as the batch's
process is gone, even after `kill -9`), ignores Ctrl-C (the batch handles it), and caps its own
address space. The parent hands a worker one path, waits on its pipe and its exit at once, and
kills it when the file takes longer than the timeout; a new worker takes its place and the batch
goes on.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import multiprocessing
import signal
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from deckmine.pipeline.limits import (
    Limits,
    die_with_parent,
    limit_memory,
    memory_reason,
    timeout_reason,
)
from deckmine.pipeline.process import WORKER_MODULES, ProcessedFile, process_file

# How often the batch wakes up while every worker is busy (to flush finished documents).
TICK_S = 0.5
MAX_LIBRARY_LOG_LINES = 3  # pdfminer's own warnings printed per file, each naming the file


class _LibraryLog(logging.Handler):
    """pdfminer's log lines about the file in hand, a few distinct ones, to go back with its
    result: the batch prints them as `FILE: pdfminer: message`."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def start(self) -> None:
        self.lines = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = " ".join(record.getMessage().split())[:200]
        except Exception:  # a library's badly formatted log call
            return
        line = f"{record.name.split('.')[0]}: {message}"
        if line not in self.lines and len(self.lines) < MAX_LIBRARY_LOG_LINES:
            self.lines.append(line)


def route_library_logs(handler: logging.Handler) -> None:
    """Send the PDF libraries' warnings to `handler` only (not to stderr): they go back with the
    file's result, each line naming the file."""
    for name in ("pdfminer", "pdfplumber"):
        library = logging.getLogger(name)
        library.handlers[:] = [handler]
        library.propagate = False
        library.setLevel(logging.WARNING)


def _worker_main(conn: Connection, limits: Limits, pdf_backend: str | None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent()
    limit_memory(limits.max_memory)
    log = _LibraryLog()
    route_library_logs(log)
    while True:
        try:
            path = conn.recv()
        except (EOFError, OSError):
            return
        if path is None:
            return
        log.start()
        result = process_file(path, limits, pdf_backend)
        result.notes = log.lines
        try:
            conn.send(result)
        except MemoryError:
            conn.send(ProcessedFile(path=path, error=memory_reason(limits), fatal=True))
        if result.fatal:  # after a MemoryError the interpreter's state is suspect: start afresh
            return
        del result
        release_memory()


def start_forkserver() -> None:
    """Start the forkserver now: it imports WORKER_MODULES (and warms up) in the background while
    the caller goes on importing and planning, so the first worker is forked warm. Starting it for
    a batch that needs no worker costs only its imports, on another core; it exits by itself."""
    from multiprocessing import forkserver

    multiprocessing.get_context("forkserver").set_forkserver_preload(WORKER_MODULES)
    forkserver.ensure_running()


def release_memory() -> None:
    """Give the heap a file left behind back to the system: a worker that read a large deck would
    otherwise keep its peak size for the rest of the batch (glibc keeps freed arenas)."""
    with contextlib.suppress(OSError, AttributeError):  # glibc only
        ctypes.CDLL("libc.so.6").malloc_trim(0)


@dataclass
class _Worker:
    process: Any
    conn: Connection
    path: Path | None = None
    started: float = 0.0


class WorkerPool:
    """`run(paths)` yields a `ProcessedFile` per path as workers finish them (or `None` every
    TICK_S while they are all busy), in completion order. With several workers the next paths are
    handed out before a result is yielded (the workers keep busy while the batch writes); with one,
    only after the result was consumed, so what the consumer does between results happens first."""

    def __init__(self, jobs: int, limits: Limits, pdf_backend: str | None = None) -> None:
        self.jobs = max(1, jobs)
        self.limits = limits
        self.pdf_backend = pdf_backend
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(WORKER_MODULES)
        self._workers: list[_Worker] = []
        self._warming: threading.Thread | None = None

    def warm_up(self, count: int) -> None:
        """Start `count` workers (at most `jobs`) in the background, so that their start-up (the
        forkserver imports the miners) overlaps what the caller does meanwhile."""

        def start() -> None:
            try:
                while len(self._workers) < min(count, self.jobs):
                    self._spawn()
            except Exception as exc:  # noqa: BLE001 - run() starts them again and reports
                self._warm_up_error = exc

        self._warm_up_error: Exception | None = None
        self._warming = threading.Thread(target=start, name="deckmine-warm-up", daemon=True)
        self._warming.start()

    def _join_warm_up(self) -> None:
        if self._warming is not None:
            self._warming.join()
            self._warming = None

    def _spawn(self) -> _Worker:
        parent_end, child_end = self._context.Pipe(duplex=True)
        process = self._context.Process(target=_worker_main, args=(child_end, self.limits, self.pdf_backend), daemon=True)
        process.start()
        child_end.close()
        worker = _Worker(process, parent_end)
        self._workers.append(worker)
        return worker

    def _retire(self, worker: _Worker, kill: bool) -> None:
        if kill and worker.process.is_alive():
            worker.process.kill()
        worker.process.join(5)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()
        worker.conn.close()
        worker.process.close()
        self._workers.remove(worker)

    def run(self, paths: Iterable[Path]) -> Iterator[ProcessedFile | None]:
        self._join_warm_up()
        queue = deque(paths)
        try:
            while queue or any(w.path is not None for w in self._workers):
                self._hand_out(queue)
                busy = [w for w in self._workers if w.path is not None]
                now = time.monotonic()
                deadline = min(w.started + self.limits.timeout for w in busy)
                waited = wait(
                    [w.conn for w in busy] + [w.process.sentinel for w in busy],
                    timeout=max(0.0, min(TICK_S, deadline - now)),
                )
                finished: list[ProcessedFile] = []
                for worker in busy:
                    if worker.conn in waited or worker.process.sentinel in waited:
                        finished.append(self._collect(worker))
                    elif time.monotonic() - worker.started > self.limits.timeout:
                        path = worker.path
                        self._retire(worker, kill=True)
                        finished.append(ProcessedFile(path=path, error=timeout_reason(self.limits)))
                if not finished:
                    yield None
                    continue
                if self.jobs > 1:  # keep the workers busy while the batch writes
                    self._hand_out(queue)
                yield from finished
        finally:
            self.close()

    def _hand_out(self, queue: deque[Path]) -> None:
        idle = [w for w in self._workers if w.path is None]
        while queue and (idle or len(self._workers) < self.jobs):
            worker = idle.pop() if idle else self._spawn()
            worker.path = queue.popleft()
            worker.started = time.monotonic()
            worker.conn.send(worker.path)

    def _collect(self, worker: _Worker) -> ProcessedFile:
        path = worker.path
        assert path is not None
        try:
            result: ProcessedFile = worker.conn.recv()
        except (EOFError, OSError):
            worker.process.join(1)
            code = worker.process.exitcode
            self._retire(worker, kill=True)
            if code is not None and code < 0:
                name = signal.Signals(-code).name if -code in signal.valid_signals() else str(-code)
                reason = f"the worker reading it was killed ({name})"
                if -code in (signal.SIGKILL, signal.SIGABRT):  # the OOM killer; C++ bad_alloc
                    reason += f"; out of memory? ({memory_reason(self.limits)})"
            else:
                reason = f"the worker reading it exited unexpectedly (status {code})"
            return ProcessedFile(path=path, error=reason)
        except MemoryError:
            self._retire(worker, kill=True)
            return ProcessedFile(path=path, error="the result is too large to load")
        worker.path = None
        if result.fatal:
            self._retire(worker, kill=False)
        return result

    def close(self) -> None:
        self._join_warm_up()
        for worker in list(self._workers):
            if worker.path is None:
                with contextlib.suppress(OSError):
                    worker.conn.send(None)
            self._retire(worker, kill=worker.path is not None)
