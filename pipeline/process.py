"""Everything done to one file before it is written: extract, mine, check.

`process_file` runs in worker processes during a parallel ingest, so it takes a path and returns a
picklable `ProcessedFile`; it never touches the warehouse. A file that cannot be read comes back
with `error` set to a one-line reason instead of raising.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extractors import extract
from extractors.model import Document, ExtractionError
from patterns.mine import mine_document
from pipeline.audit import check_document


@dataclass
class ProcessedFile:
    path: Path
    document: Document | None = None
    deck: dict[str, Any] = field(default_factory=dict)
    metrics: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0
    size_bytes: int | None = None

    @property
    def page_count(self) -> int:
        return self.document.page_count if self.document else 0


def process_file(path: Path) -> ProcessedFile:
    """Extract, mine and check one file. Never raises for a bad file: see `ProcessedFile.error`."""
    started = time.perf_counter()
    result = ProcessedFile(path=path)
    try:
        result.size_bytes = path.stat().st_size
        document = extract(path)
        result.document = document
        mine_into(result, document)
    except ExtractionError as exc:
        result.error = str(exc)
    except FileNotFoundError:
        result.error = "file not found (it may have been moved or deleted)"
    except Exception as exc:  # a bug or an unforeseen file: report it, keep the batch going
        result.error = f"unexpected error while processing: {type(exc).__name__}: {exc}".splitlines()[0]
    result.seconds = time.perf_counter() - started
    return result


def mine_into(result: ProcessedFile, document: Document) -> None:
    """Mine indicators and run the per-document audit checks into `result`."""
    mined = mine_document(document)
    result.deck = mined.deck_info()
    result.metrics = mined.metric_rows(document.sha256)
    result.findings = check_document(result.metrics, document_id=document.sha256)
