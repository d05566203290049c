"""Files as Dask tasks: `DaskExecutor`, on a local cluster it starts or an existing scheduler.

Dask places the tasks; this module only keeps a window of about two tasks per worker thread in
flight (memory stays bounded however large the archive), turns every failure into a
`ProcessedFile(error=...)` and stops a file that runs past `limits.timeout`: its task is cancelled
and its worker restarted by its nanny, and the batch goes on. The tasks themselves are in
`pipeline.executor_tasks`.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
import uuid
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from deckmine.pipeline.executor_base import ExecutorError, require_distributed
from deckmine.pipeline.executor_tasks import START_TOPIC, import_worker_modules, process_on_worker
from deckmine.pipeline.limits import Limits, memory_reason, timeout_reason
from deckmine.pipeline.process import ProcessedFile
from deckmine.pipeline.workers import TICK_S

# Tasks in flight per worker thread: one running, one ready to start as soon as it finishes.
WINDOW_PER_THREAD = 2
# What a Dask worker process costs before its first file (interpreter, Dask, spaCy, pdfminer); a
# local cluster's workers may use this plus `limits.max_memory` before their nanny restarts them.
DASK_WORKER_BASE_MEMORY = 512 << 20
CONNECT_TIMEOUT_S = 10
WORKERS_TIMEOUT_S = 60  # an existing scheduler with no worker: how long to wait for one


class DaskExecutor:
    """Files as Dask tasks. `address` (`tcp://host:8786`): an existing scheduler (connected at once,
    so a wrong address fails before the archive is hashed; the client is closed at the end, the
    cluster left running). None: a `LocalCluster` of `workers` processes with one thread each,
    started by `warm_up` (in the background) or `run`, and shut down by `close`.

    A file whose task raises comes back as `ProcessedFile(error=...)` naming the exception; one
    whose worker dies (out of memory, killed) as an error once Dask gives up on it (its
    `distributed.scheduler.allowed-failures` retries, 3 by default: tasks that were only queued on a
    dying worker are retried elsewhere); one that runs longer than `limits.timeout` from when its
    task started is cancelled, its worker restarted (workers must run under a nanny, as
    `dask worker` does by default), and reported with `timeout_reason`."""

    def __init__(
        self,
        address: str | None,
        limits: Limits,
        *,
        workers: int = 2,
        pdf_backend: str | None = None,
    ) -> None:
        self._distributed = require_distributed()
        self.address = address
        self.limits = limits
        self.workers = max(1, workers)
        self.pdf_backend = pdf_backend
        self.startup_seconds: float | None = None  # cluster start and preload, once started
        self._client: Any = None
        self._cluster: Any = None
        self._started: dict[str, tuple[float, str]] = {}  # token -> (monotonic time, worker)
        self._warming: threading.Thread | None = None
        self._warm_up_error: BaseException | None = None
        self._closed = False
        self._preloaded = False
        self._restarts: list[threading.Thread] = []
        if address is not None:
            self._start()

    # ----------------------------------------------------------------- start and stop

    def _start(self) -> None:
        if self._client is not None:
            return
        distributed = self._distributed
        began = time.perf_counter()
        if self.address is None:
            import dask

            # A runaway file's task is cancelled and its worker restarted: the workers must be
            # free to start the extractors' own helpers (LibreOffice, OCR), hence not daemonic.
            with dask.config.set({"distributed.worker.daemon": False}):
                self._cluster = distributed.LocalCluster(
                    n_workers=self.workers,
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address=None,
                    memory_limit=DASK_WORKER_BASE_MEMORY + self.limits.max_memory,
                    silence_logs=logging.ERROR,
                )
            self._client = distributed.Client(self._cluster, set_as_default=False)
        else:
            try:
                self._client = distributed.Client(
                    self.address, timeout=CONNECT_TIMEOUT_S, set_as_default=False
                )
            except (OSError, TimeoutError) as exc:
                reason = " ".join(str(exc).split())[:160] or type(exc).__name__
                raise ExecutorError(f"cannot reach the dask scheduler at {self.address}: {reason}") from None
        self._client.subscribe_topic(START_TOPIC, self._on_start)
        try:
            self._client.wait_for_workers(1, timeout=WORKERS_TIMEOUT_S)
        except TimeoutError:
            raise ExecutorError(
                f"no dask worker joined the scheduler at {self.address} within {WORKERS_TIMEOUT_S} s"
            ) from None
        self.startup_seconds = time.perf_counter() - began

    def _preload(self) -> None:
        """Import the miners on every worker now, not with its first file (a worker that joins
        later imports them with its first file)."""
        if self._preloaded:
            return
        self._preloaded = True
        began = time.perf_counter()
        with contextlib.suppress(Exception):  # a worker that cannot import fails its files instead
            self._client.run(import_worker_modules)
        self.startup_seconds = (self.startup_seconds or 0.0) + time.perf_counter() - began

    def _on_start(self, event: tuple[float, dict[str, str]]) -> None:
        """Runs on the client's event loop thread for every task that starts."""
        _timestamp, message = event
        with contextlib.suppress(KeyError, TypeError):
            self._started[message["token"]] = (time.monotonic(), message["worker"])

    def warm_up(self, count: int) -> None:
        """Start the local cluster and import the miners on the workers in the background, so
        that it overlaps what the caller does meanwhile."""
        if self._preloaded or self._warming is not None or count <= 0:
            return

        def start() -> None:
            try:
                self._start()
                self._preload()
            except BaseException as exc:  # noqa: BLE001 - run() raises it
                self._warm_up_error = exc

        self._warming = threading.Thread(target=start, name="deckmine-dask-start", daemon=True)
        self._warming.start()

    def _join_warm_up(self) -> None:
        if self._warming is not None:
            self._warming.join()
            self._warming = None
            if self._warm_up_error is not None:
                error, self._warm_up_error = self._warm_up_error, None
                raise error

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        with contextlib.suppress(Exception):
            self._join_warm_up()
        if self._cluster is None:  # an existing cluster's workers: let their restarts finish
            for restart in self._restarts:
                restart.join(30)
        if self._client is not None:
            with contextlib.suppress(Exception):
                self._client.unsubscribe_topic(START_TOPIC)
            with contextlib.suppress(Exception):
                self._client.close()
            self._client = None
        if self._cluster is not None:
            # what it says about a worker restart cut short by the shutdown is of no use to anyone
            scheduler_log = logging.getLogger("distributed.scheduler")
            level = scheduler_log.level
            scheduler_log.setLevel(logging.CRITICAL)
            try:
                with contextlib.suppress(Exception):
                    self._cluster.close()
            finally:
                scheduler_log.setLevel(level)
            self._cluster = None

    # ----------------------------------------------------------------- the batch

    def _window(self) -> int:
        try:
            threads = sum(self._client.nthreads().values())
        except Exception:  # noqa: BLE001 - keep the last known size
            threads = self.workers
        return WINDOW_PER_THREAD * max(1, threads)

    def run(self, paths: Iterable[Path]) -> Iterator[ProcessedFile | None]:
        try:
            yield from self._run(paths)
        finally:
            self.close()

    def _run(self, paths: Iterable[Path]) -> Iterator[ProcessedFile | None]:
        queue = deque(paths)
        if not queue:
            return
        self._join_warm_up()
        self._start()
        self._preload()
        distributed = self._distributed
        client = self._client
        pdf_backend = self.pdf_backend
        in_flight: dict[Any, tuple[Path, str]] = {}  # future -> (path, token)
        done = distributed.as_completed(loop=client.loop)
        window = self._window()
        window_checked = time.monotonic()
        try:
            while queue or in_flight:
                if time.monotonic() - window_checked > 10 * TICK_S:  # the cluster may scale
                    window, window_checked = self._window(), time.monotonic()
                while queue and len(in_flight) < window:
                    path = queue.popleft()
                    token = uuid.uuid4().hex
                    future = client.submit(
                        process_on_worker,
                        path.absolute(),
                        self.limits,
                        token,
                        pdf_backend,
                        key=f"deckmine-{path.name}-{token}",
                        pure=False,
                    )
                    in_flight[future] = (path, token)
                    done.add(future)
                tick = min([TICK_S] + [self._left(token) for _path, token in in_flight.values()])
                finished = [f for f in self._wait(done, tick) if f in in_flight]  # not those timed out
                expired = self._expired(in_flight)
                if not finished and not expired:
                    yield None
                for future in finished:
                    path, token = in_flight.pop(future)
                    self._started.pop(token, None)
                    yield self._result(future, path)
                for future in expired:
                    path, _token = in_flight.pop(future)
                    yield ProcessedFile(path=path, error=timeout_reason(self.limits))
        finally:
            for future in in_flight:
                with contextlib.suppress(Exception):
                    future.cancel()

    def _left(self, token: str) -> float:
        """Seconds until a task's timeout (a task that has not started yet has all of it)."""
        started = self._started.get(token)
        if started is None:
            return self.limits.timeout
        return max(0.0, started[0] + self.limits.timeout - time.monotonic())

    def _wait(self, done: Any, seconds: float) -> list[Any]:
        """The futures finished within `seconds` (woken as soon as one finishes)."""
        deadline = time.monotonic() + seconds
        while not done.has_ready():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return []
            with done.thread_condition:
                done.thread_condition.wait(timeout=min(remaining, 0.05))
        return list(done.next_batch(block=False))

    def _expired(self, in_flight: dict[Any, tuple[Path, str]]) -> list[Any]:
        """Futures running longer than the timeout: cancelled, and their workers restarted (a
        cancelled task goes on running in its worker's thread otherwise)."""
        now = time.monotonic()
        expired: list[Any] = []
        stuck_workers: set[str] = set()
        for future, (_path, token) in in_flight.items():
            if future.done():  # finished in time after all: its result is taken instead
                continue
            started = self._started.get(token)
            if started is not None and now - started[0] > self.limits.timeout:
                expired.append(future)
                stuck_workers.add(started[1])
                self._started.pop(token, None)
        for future in expired:
            with contextlib.suppress(Exception):
                future.cancel()
        if stuck_workers:  # in the background: a restart takes seconds, the batch goes on
            restart = threading.Thread(
                target=self._restart, args=(sorted(stuck_workers),), name="deckmine-dask-restart", daemon=True
            )
            restart.start()
            self._restarts.append(restart)
        return expired

    def _restart(self, workers: list[str]) -> None:
        with contextlib.suppress(Exception):  # no nanny, or the worker is gone already
            self._client.restart_workers(workers, raise_for_error=False)

    def _result(self, future: Any, path: Path) -> ProcessedFile:
        from distributed.scheduler import KilledWorker

        if future.status == "cancelled":
            return ProcessedFile(path=path, error="its dask task was cancelled (scheduler or worker lost?)")
        if future.status == "error":
            exc = future.exception()
            if isinstance(exc, KilledWorker):
                return ProcessedFile(
                    path=path,
                    error=f"the dask workers reading it died; out of memory? ({memory_reason(self.limits)})",
                )
            text = " ".join(str(exc).split())[:160]
            return ProcessedFile(
                path=path,
                error=f"unexpected error on a dask worker: {type(exc).__name__}: {text}".rstrip(": "),
            )
        try:
            result = future.result()
        except Exception as exc:  # noqa: BLE001 - lost in transit: that file only
            text = " ".join(str(exc).split())[:160]
            return ProcessedFile(path=path, error=f"its result could not be fetched: {type(exc).__name__}: {text}")
        if not isinstance(result, ProcessedFile):
            return ProcessedFile(path=path, error=f"a dask worker returned {type(result).__name__}")
        result.path = path  # as the batch named it (the worker was given the absolute path)
        return result


__all__ = ["DaskExecutor"]
