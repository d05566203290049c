"""The single writer: finished documents go into the warehouse in small batches, each one
transaction, so an interrupted ingest leaves whole documents only.

A batch is closed after `BATCH_DOCUMENTS` documents or `BATCH_SECONDS`, whichever comes first; the
run's first document is committed at once (a user sees rows while the batch goes on). If a document
of a batch cannot be stored, the others are written one by one and that one is reported: a bad
value costs its own document only. A disk or I/O failure stops the batch with one line
(`WarehouseError`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import duckdb
from deckmine.warehouse.db import WarehouseError, describe_write_error
from deckmine.warehouse.store import DocumentRows, write_documents

BATCH_DOCUMENTS = 16
BATCH_SECONDS = 1.0
_ROW_ERRORS = (duckdb.Error, ValueError, TypeError, UnicodeError, OverflowError)

# (path, status, reason) of a document that could not be stored
UnstoredSink = Callable[[Path, str, str], None]


class BatchWriter:
    """Collects finished documents and writes them in batches; `flush()` writes what is left."""

    def __init__(self, con: duckdb.DuckDBPyConnection, on_unstored: UnstoredSink) -> None:
        self.con = con
        self.on_unstored = on_unstored
        self.metrics_written = 0
        self._batch: list[DocumentRows] = []
        self._paths: list[tuple[Path, str]] = []
        self._started = time.perf_counter()
        self._committed = False

    def add(self, rows: DocumentRows, path: Path, status: str) -> None:
        if not self._batch:
            self._started = time.perf_counter()
        self._batch.append(rows)
        self._paths.append((path, status))
        if len(self._batch) >= BATCH_DOCUMENTS or self._due() or not self._committed:
            self.flush()

    def tick(self) -> None:
        """Called while every worker is busy: finished documents do not wait for the next one."""
        if self._batch and self._due():
            self.flush()

    def _due(self) -> bool:
        return time.perf_counter() - self._started >= BATCH_SECONDS

    def flush(self) -> None:
        self._committed = True
        if self._batch:
            self.metrics_written += self._write()
        self._batch.clear()
        self._paths.clear()

    def _write(self) -> int:
        try:
            return write_documents(self.con, self._batch)
        except _ROW_ERRORS as exc:
            if _storage_failure(exc):
                raise WarehouseError(describe_write_error(self.con, _storage_cause(exc))) from None
        written = 0  # find the document that cannot be stored; write the others
        for rows, (path, status) in zip(self._batch, self._paths, strict=True):
            try:
                written += write_documents(self.con, [rows])
            except _ROW_ERRORS as exc:
                if _storage_failure(exc):
                    raise WarehouseError(describe_write_error(self.con, _storage_cause(exc))) from None
                text = " ".join(str(exc).split())[:160] or type(exc).__name__
                self.on_unstored(path, status, f"cannot be stored: {type(exc).__name__}: {text}")
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
