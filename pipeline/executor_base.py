"""What `pipeline.ingest` runs files on: the `Executor` protocol and its one error.

The executors themselves: `pipeline.workers.WorkerPool` (local processes) and
`pipeline.executor_dask.DaskExecutor`; `pipeline.executors.make_executor` picks one from a spec.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol

from deckmine.pipeline.process import ProcessedFile

CLUSTER_EXTRA = "the dask executor needs the `cluster` extra: pip install 'deckmine[cluster]'"


class Executor(Protocol):
    """What `pipeline.ingest` runs files on. `run` may be called once; it closes the executor."""

    def run(self, paths: Iterable[Path]) -> Iterator[ProcessedFile | None]: ...

    def warm_up(self, count: int) -> None: ...

    def close(self) -> None: ...


class ExecutorError(RuntimeError):
    """The executor cannot run at all (no `distributed`, no scheduler, no worker): one line."""



def require_distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise ExecutorError(CLUSTER_EXTRA) from None
    return distributed



__all__ = ["CLUSTER_EXTRA", "Executor", "ExecutorError", "require_distributed"]
