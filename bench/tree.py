"""Run a command and measure its whole process tree: wall time, CPU and peak RSS of every process
it starts (the forkserver and the workers included, which `RUSAGE_CHILDREN` misses: the forkserver
reaps its workers and is itself never waited for), and the machine's CPU pressure meanwhile.

The tree is sampled from /proc every `interval` seconds; a process's CPU is its last sample, so a
short-lived process can be under-counted by up to one interval. Linux only.
"""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class TreeRun:
    wall: float  # seconds on the clock
    cpu: float  # user + system seconds of every process of the tree
    peak_rss_mb: float  # the largest sum of the tree's resident memory at one moment
    peak_pss_mb: float  # the same in proportional set size (pages shared by workers counted once)
    pressure: str  # the machine's CPU pressure (PSI `some avg10`) or load when PSI is missing
    stdout: str = ""


def cpu_pressure() -> str:
    """`psi 3.1%` (share of time some task waited for a CPU, last 10 s) or `load 1.20`."""
    try:
        line = Path("/proc/pressure/cpu").read_text().splitlines()[0]
        return "psi " + line.split("avg10=")[1].split()[0] + "%"
    except (OSError, IndexError):
        return f"load {os.getloadavg()[0]:.2f}"


def _stat(pid: int) -> tuple[int, float, int] | None:
    """(parent pid, cpu seconds, rss bytes) of a live process."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2 :].split()
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / TICKS, int(fields[21]) * PAGE


def _pss(pid: int) -> int:
    """Proportional set size in bytes (0 when the process has gone)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _tree(root: int) -> dict[int, tuple[float, int]]:
    """pid -> (cpu seconds, rss bytes) for root and all its descendants now."""
    stats = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            found = _stat(int(entry.name))
            if found:
                stats[int(entry.name)] = found
    members, frontier = {root}, [root]
    children: dict[int, list[int]] = {}
    for pid, (ppid, _, _) in stats.items():
        children.setdefault(ppid, []).append(pid)
    while frontier:
        for child in children.get(frontier.pop(), []):
            if child not in members:
                members.add(child)
                frontier.append(child)
    return {pid: stats[pid][1:] for pid in members if pid in stats}


def run_tree(command: list[str], *, cwd: Path | None = None, interval: float = 0.01) -> TreeRun:
    """Run `command` to its end (raising on a non-zero exit) and measure its process tree."""
    pressure = cpu_pressure()
    cpu: dict[int, float] = {}
    peak = peak_pss = 0
    samples = 0
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    while process.poll() is None:
        tree = _tree(process.pid)
        for pid, (seconds, _rss) in tree.items():
            cpu[pid] = max(cpu.get(pid, 0.0), seconds)
        peak = max(peak, sum(rss for _cpu, rss in tree.values()))
        if samples % 5 == 0:  # smaps_rollup walks the page tables: read it less often
            peak_pss = max(peak_pss, sum(_pss(pid) for pid in tree))
        samples += 1
        time.sleep(interval)
    wall = time.perf_counter() - started
    out, err = process.communicate()
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, command, out, err)
    return TreeRun(wall, sum(cpu.values()), peak / 2**20, peak_pss / 2**20, pressure, out)
