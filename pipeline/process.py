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

from deckmine.extractors.model import Document, ExtractionError
from deckmine.pipeline.limits import Limits, memory_reason

# What a worker needs and the batch's own process does not (it only unpickles results): the
# forkserver imports these once, before it forks any worker; `pipeline.preload` also builds the
# spaCy pipeline and reads the rule tables, by mining a small document.
WORKER_MODULES = ["deckmine.pipeline.process", "deckmine.extractors.pdf_reader", "deckmine.extractors.pptx_reader", "deckmine.pipeline.preload"]


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
    fatal: bool = False  # the worker should not be reused (it ran out of memory)
    notes: list[str] = field(default_factory=list)  # what the PDF library logged about the file

    @property
    def page_count(self) -> int:
        return self.document.page_count if self.document else 0


def process_file(path: Path, limits: Limits | None = None, pdf_backend: str | None = None) -> ProcessedFile:
    """Extract, mine and check one file. Never raises for a bad file: see `ProcessedFile.error`.
    `limits` only words the message when the file needed more memory than the worker may use;
    `pdf_backend` picks the PDF text layer (`extractors.PDF_BACKENDS`; None: the default)."""
    from deckmine.extractors import extract

    started = time.perf_counter()
    result = ProcessedFile(path=path)
    try:
        result.size_bytes = path.stat().st_size
        document = extract(path) if pdf_backend is None else extract(path, pdf_backend=pdf_backend)
        result.document = document
        mine_into(result, document)
    except ExtractionError as exc:
        result.error = str(exc)
    except FileNotFoundError:
        result.error = "file not found (it may have been moved or deleted)"
    except MemoryError:
        result.document, result.deck, result.metrics, result.findings = None, {}, [], []
        result.error = memory_reason(limits or Limits())
        result.fatal = True
    except RecursionError:
        result.document, result.metrics, result.findings = None, [], []
        result.error = "structure nested too deeply to read (recursion limit)"
    except Exception as exc:  # a bug or an unforeseen file: report it, keep the batch going
        result.error = f"unexpected error while processing: {type(exc).__name__}: {exc}".splitlines()[0]
    result.seconds = time.perf_counter() - started
    return result


def mine_into(result: ProcessedFile, document: Document) -> None:
    """Mine indicators and run the per-document audit checks into `result`."""
    from deckmine.patterns.mine import mine_document
    from deckmine.pipeline.audit import check_document

    mined = mine_document(document)
    result.deck = mined.deck_info()
    result.metrics = mined.metric_rows(document.sha256)
    result.findings = check_document(result.metrics, document_id=document.sha256)
