"""Where extraction and mining run: this machine's worker processes, or a Dask distributed cluster.

`ingest` needs an `Executor`: `run(paths)` yields a `ProcessedFile` per path as files finish (or
`None` about every half second while it waits), in completion order; the caller, the single writer,
loads DuckDB as results arrive. Two exist:

- `WorkerPool` (`pipeline.workers`, `--executor local`, the default): killable processes on this
  machine, one file each at a time, under the time and memory bounds of `Limits`.
- `DaskExecutor` (`--executor dask` or `--executor tcp://HOST:8786`): each file is one Dask task,
  `pipeline.process.process_file`, on a local cluster this starts or on an existing scheduler's
  workers. Dask places the tasks; this module only keeps a window of about two tasks per worker
  thread in flight (memory stays bounded however large the archive), turns every failure into a
  `ProcessedFile(error=...)` and stops a file that runs past `limits.timeout`: its task is
  cancelled and its worker restarted by its nanny, and the batch goes on.

The workers open the files themselves: every path must be readable at the same absolute path on
every worker (one machine, or a shared filesystem such as NFS). Results come back through the
scheduler; only the parent writes the warehouse. Dask is optional: `pip install 'deckmine[cluster]'`.
"""

from __future__ import annotations

from deckmine.pipeline.executor_base import CLUSTER_EXTRA, Executor, ExecutorError
from deckmine.pipeline.executor_dask import DaskExecutor
from deckmine.pipeline.limits import Limits, cap_jobs
from deckmine.pipeline.workers import WorkerPool

SPEC_FORMS = "local, dask, dask://HOST:PORT or tcp://HOST:PORT"


def parse_executor_spec(spec: str) -> tuple[str, str | None]:
    """(`local` | `dask`, the scheduler's `tcp://HOST:PORT` or None) for a spec; ValueError
    naming the accepted forms for anything else."""
    text = spec.strip()
    if text in ("local", "dask"):
        return text, None
    for scheme in ("dask://", "tcp://"):
        if text.startswith(scheme):
            host, _, port = text[len(scheme):].rpartition(":")
            if host and port.isdigit():
                return "dask", f"tcp://{host}:{port}"
            raise ValueError(f"not a scheduler address: {spec!r} (expected {scheme}HOST:PORT)")
    raise ValueError(f"unknown executor {spec!r} (expected {SPEC_FORMS})")


def make_executor(
    spec: str, jobs: int | None, limits: Limits, pdf_backend: str | None = None
) -> Executor:
    """`local`: this machine's worker processes (`jobs` of them, capped by the cores and memory);
    `dask`: a Dask cluster of `jobs` worker processes started on this machine;
    `dask://HOST:PORT` or `tcp://HOST:PORT`: the workers of an existing Dask scheduler (`jobs` is
    not used: the cluster's size decides). Raises ValueError for anything else, ExecutorError when
    `distributed` is not installed."""
    kind, address = parse_executor_spec(spec)
    if kind == "local":
        return WorkerPool(cap_jobs(jobs, limits), limits, pdf_backend)
    if address is None:
        return DaskExecutor(None, limits, workers=cap_jobs(jobs, limits), pdf_backend=pdf_backend)
    return DaskExecutor(address, limits, pdf_backend=pdf_backend)


__all__ = [
    "CLUSTER_EXTRA", "SPEC_FORMS", "DaskExecutor", "Executor", "ExecutorError", "make_executor",
    "parse_executor_spec",
]
