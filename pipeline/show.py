"""`deckmine show`: print what deckmine extracts from files, page by page, or as JSON.

Each file is read in this process under the time and memory bounds of `limits`; a file that cannot
be read, or a page it does not have, is one `FILE: reason` line through `on_error`, and the next
file is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from deckmine.extractors import ExtractionError, extract
from deckmine.pipeline.limits import (
    FileTimeout,
    Limits,
    bounded,
    file_line,
    memory_reason,
    timeout_reason,
)
from deckmine.pipeline.render import document_json, print_document
from rich.console import Console


def show(
    files: Sequence[Path],
    console: Console,
    on_error: Callable[[str], None],
    *,
    pages: Sequence[int] | None = None,
    as_json: bool = False,
    limits: Limits | None = None,
    pdf_backend: str | None = None,
) -> int:
    """Print each file (all pages, or `pages`); returns 0, or 1 if any file or page was missing."""
    limits = limits or Limits()
    status = 0
    for file in files:
        try:
            with bounded(limits):
                document = extract(file, pdf_backend=pdf_backend)
        except ExtractionError as exc:
            reason = str(exc)
        except FileTimeout:
            reason = timeout_reason(limits)
        except MemoryError:
            reason = memory_reason(limits)
        else:
            reason = None
        if reason is not None:
            on_error(file_line(file, reason))
            status = 1
            continue
        wanted = set(pages) if pages else None
        missing = sorted(wanted - set(range(1, document.page_count + 1))) if wanted else []
        if missing:
            shown = ", ".join(str(n) for n in missing[:5]) + ("…" if len(missing) > 5 else "")
            on_error(file_line(file, f"no page {shown}: the file has pages 1-{document.page_count}"))
            status = 1
            wanted = (wanted or set()) - set(missing)
            if not wanted:
                continue
        if as_json:
            print(document_json(document))
        else:
            print_document(document, console, wanted)
    return status
