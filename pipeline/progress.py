"""Ingest progress: a rich progress bar on a terminal (files, pages/s, ETA), nothing otherwise."""

from __future__ import annotations

import sys
import time

from deckmine.pipeline.ingest import Progress
from deckmine.pipeline.process import ProcessedFile
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
from rich.progress import Progress as RichProgress


class BarProgress(Progress):
    def __init__(self) -> None:
        self._bar = RichProgress(
            TextColumn("[bold]ingest"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("files · {task.fields[rate]:.1f} pages/s"),
            TimeRemainingColumn(),
            transient=True,
            console=Console(stderr=True),
        )
        self._task = None
        self._pages = 0
        self._started = time.perf_counter()

    def start(self, total_files: int) -> None:
        self._started = time.perf_counter()
        self._bar.start()
        self._task = self._bar.add_task("ingest", total=total_files, rate=0.0)

    def advance(self, result: ProcessedFile) -> None:
        self._pages += result.page_count
        elapsed = max(time.perf_counter() - self._started, 1e-9)
        self._bar.update(self._task, advance=1, rate=self._pages / elapsed)

    def stop(self) -> None:
        self._bar.stop()


def make_progress(quiet: bool) -> Progress:
    """A bar when stderr is a terminal and not quiet; a silent reporter otherwise."""
    if quiet or not sys.stderr.isatty():
        return Progress()
    return BarProgress()
