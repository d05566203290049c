"""What runs on a Dask worker: one file per task, its library log lines captured per thread.

`process_on_worker` tells the client when it starts (the file's timeout counts from then), then
runs `pipeline.process.process_file`; `import_worker_modules` imports what a file needs once per
worker, before its first file, as the local forkserver does.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from pathlib import Path

from deckmine.pipeline.limits import Limits
from deckmine.pipeline.process import WORKER_MODULES, ProcessedFile, process_file
from deckmine.pipeline.workers import MAX_LIBRARY_LOG_LINES, route_library_logs

START_TOPIC = "deckmine-started"  # a task tells the client when it starts (its timeout counts from then)


class _LibraryLog(logging.Handler):
    """pdfminer's log lines about the file in hand, per thread (a worker may run several files at
    once), to go back with its result as the local workers' do."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: dict[int, list[str]] = {}

    def emit(self, record: logging.LogRecord) -> None:
        lines = self.lines.get(threading.get_ident())
        if lines is None:
            return
        try:
            message = " ".join(record.getMessage().split())[:200]
        except Exception:  # a library's badly formatted log call
            return
        line = f"{record.name.split('.')[0]}: {message}"
        if line not in lines and len(lines) < MAX_LIBRARY_LOG_LINES:
            lines.append(line)


_library_log: _LibraryLog | None = None
_library_log_lock = threading.Lock()


def _capture_library_log() -> _LibraryLog:
    global _library_log
    with _library_log_lock:
        if _library_log is None:
            _library_log = _LibraryLog()
            route_library_logs(_library_log)
        return _library_log


def import_worker_modules() -> None:
    """Import what a file needs once per worker, before the first file (as the forkserver does)."""
    import importlib

    for name in WORKER_MODULES:
        importlib.import_module(name)
    _capture_library_log()


def process_on_worker(
    path: Path, limits: Limits, token: str, pdf_backend: str | None = None
) -> ProcessedFile:
    """One Dask task: say that it starts (its timeout counts from then), then `process_file`."""
    with contextlib.suppress(Exception):  # outside a worker (tests), or an old scheduler
        from distributed import get_worker

        worker = get_worker()
        worker.log_event(START_TOPIC, {"token": token, "worker": worker.address})
    log = _capture_library_log()
    log.lines[threading.get_ident()] = []
    try:
        result = process_file(path, limits, pdf_backend)
    finally:
        notes = log.lines.pop(threading.get_ident(), [])
    result.notes = notes
    return result


# --------------------------------------------------------------------------- in the batch


__all__ = ["START_TOPIC", "import_worker_modules", "process_on_worker"]
