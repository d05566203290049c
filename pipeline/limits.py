"""Per-file bounds and what the user is told when a file breaks one.

Every file is extracted in a worker process (`pipeline.workers`) that the batch can kill: it gets
`timeout` seconds of wall-clock time and may grow its address space by `max_memory` bytes
(RLIMIT_AS, set in the worker). File names are printed through `escape`, so a newline or an ANSI
escape in a name can never forge a `FILE: reason` line or drive the terminal.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import resource
import signal
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# The slowest sample deck (taitung-112.pdf, 28 pages) takes 0.6 s warm and about 2.5 s in a
# fresh worker on a busy 2-core machine; real decks run to a few hundred pages.
DEFAULT_TIMEOUT_S = 60.0
DEFAULT_MAX_MEMORY = 1 << 30  # bytes a worker may grow its address space by, per file
# What a worker costs before it is given a file (interpreter, spaCy, pdfminer), for --jobs capping.
WORKER_BASE_MEMORY = 300 << 20

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*$", re.I)
_UNITS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}


@dataclass(frozen=True)
class Limits:
    timeout: float = DEFAULT_TIMEOUT_S
    max_memory: int = DEFAULT_MAX_MEMORY


def parse_size(text: str) -> int:
    """`512M`, `1GB`, `2g`, `1048576` -> bytes (binary units). Raises ValueError."""
    match = _SIZE.match(text)
    if not match:
        raise ValueError(f"not a size: {text!r} (e.g. 512MB, 2GB)")
    value = int(float(match.group(1)) * _UNITS[match.group(2).lower()])
    if value <= 0:
        raise ValueError(f"not a size: {text!r} (must be more than 0)")
    return value


def human_size(size: int) -> str:
    for unit, factor in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= factor:
            value = size / factor
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{size} bytes"


class FileTimeout(BaseException):
    """Raised by `bounded` when the time is up (a BaseException, so that no library's
    `except Exception` swallows it)."""


@contextlib.contextmanager
def bounded(limits: Limits) -> Iterator[None]:
    """The time and memory bounds for work done in this process (`show`, which reads one file at a
    time in the foreground): SIGALRM raises FileTimeout after `limits.timeout` seconds, and the
    address space may grow by `limits.max_memory` (MemoryError beyond). Main thread only."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def alarm(_signum: int, _frame: object) -> None:
        raise FileTimeout()

    previous_handler = signal.signal(signal.SIGALRM, alarm)
    previous_limit = resource.getrlimit(resource.RLIMIT_AS)
    # again every second after the first time: a library may catch the first and go on
    signal.setitimer(signal.ITIMER_REAL, limits.timeout, 1.0)
    try:
        limit_memory(limits.max_memory)
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        resource.setrlimit(resource.RLIMIT_AS, previous_limit)


def timeout_reason(limits: Limits) -> str:
    return f"took longer than {limits.timeout:g} s (stopped; --timeout allows more)"


def memory_reason(limits: Limits) -> str:
    return f"would need more than {human_size(limits.max_memory)} of memory (stopped; --max-memory allows more)"


# --------------------------------------------------------------------------- printing names

# C0 and C1 controls, DEL, lone surrogates (bytes of a non-UTF-8 name), line and paragraph
# separators and the bidi overrides that can reorder what a terminal shows.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that os.fsdecode could not decode
        return f"\\x{code - 0xDC00:02x}"
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char) or (
        f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"
    )


def escape(text: object) -> str:
    """Text safe to print on one terminal line: control characters, undecodable bytes and
    reordering marks shown as backslash escapes."""
    return _UNSAFE.sub(_escape_char, str(text))


def file_line(path: str | Path, reason: str) -> str:
    """The one line a failed file gets: `FILE: reason`, both escaped."""
    return f"{escape(path)}: {escape(reason)}"


# --------------------------------------------------------------------------- worker set-up

PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Make this worker die with the batch, even after `kill -9` of the batch's process.

    - Linux SIGKILLs it when the forkserver that forked it exits (PR_SET_PDEATHSIG), which works
      even while the worker is stuck in C code;
    - the forkserver exits when every holder of its "alive" pipe is gone: the batch's process and,
      unless they close their inherited copy (done here), every worker;
    - a watchdog thread exits the worker when the batch's process is gone (multiprocessing's
      parent sentinel becomes readable)."""
    import multiprocessing
    import threading
    from multiprocessing import forkserver
    from multiprocessing.connection import wait

    parent = os.getppid()
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the forkserver died before prctl took effect
        os._exit(1)
    server = getattr(forkserver, "_forkserver", None)
    alive_fd = getattr(server, "_forkserver_alive_fd", None)
    if isinstance(alive_fd, int):
        with contextlib.suppress(OSError):
            os.close(alive_fd)
        server._forkserver_alive_fd = None  # type: ignore[union-attr]
    batch = multiprocessing.parent_process()
    if batch is not None and batch.sentinel is not None:

        def watch() -> None:
            wait([batch.sentinel])
            os._exit(1)

        threading.Thread(target=watch, name="deckmine-watchdog", daemon=True).start()


def address_space() -> int:
    """This process's current virtual size in bytes (0 if unknown)."""
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


def limit_memory(extra: int) -> None:
    """Let this process grow its address space by `extra` bytes at most (RLIMIT_AS): beyond it
    allocations fail with MemoryError instead of taking the machine's memory."""
    limit = address_space() + extra
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def available_memory() -> int | None:
    try:
        with open("/proc/meminfo") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def cap_jobs(requested: int | None, limits: Limits) -> int:
    """Worker processes: what was asked (default: the cores), never more than the cores nor more
    than the available memory holds at `max_memory` each."""
    cores = max(1, os.cpu_count() or 1)
    jobs = min(max(1, requested or cores), cores)
    available = available_memory()
    if available:
        jobs = min(jobs, max(1, available // (WORKER_BASE_MEMORY + limits.max_memory)))
    return jobs
