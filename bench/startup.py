"""Whole-process timings a user feels, each paired with the bare script it is compared to.

- one deck: `deckmine ingest` of one PDF into a new warehouse (each PDF backend) vs a bare
  pdfplumber `extract_text` script over the same file. Target: <= 1.5x.
- `deckmine --help` vs a bare `python -c "import duckdb"`, and `deckmine query` vs a bare DuckDB
  script running the same SQL. Target: as quick as the bare script.
- the sample corpus: `ingest --jobs 2` vs `--jobs 1`, CPU of the whole process tree (workers
  included) and the machine's CPU pressure beside it. Target: never slower.

Each pair is run alternately `repeat` times and the medians are compared, so a load that comes and
goes disturbs both sides alike.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from bench.tree import TreeRun, cpu_pressure, run_tree

ROOT = Path(__file__).resolve().parent.parent
DECKS = ROOT / "corpus" / "decks"
ONE_DECK = DECKS / "taitung-112.pdf"
DECKMINE = [sys.executable, "-m", "deckmine.pipeline.cli"]
BARE_PDFPLUMBER = (
    "import sys, pdfplumber\n"
    "with pdfplumber.open(sys.argv[1]) as pdf:\n"
    "    text = [page.extract_text() for page in pdf.pages]\n"
)
BARE_QUERY = "import duckdb, sys; print(duckdb.connect(sys.argv[1], read_only=True).execute(sys.argv[2]).fetchall())"
QUERY = "SELECT count(*) FROM metrics"


def paired(repeat: int, ours: Callable[[], TreeRun], bare: Callable[[], TreeRun]) -> tuple[TreeRun, TreeRun]:
    """Median runs (by wall time) of both, run alternately."""
    mine, theirs = [], []
    for _ in range(repeat):
        mine.append(ours())
        theirs.append(bare())

    def median(runs: list[TreeRun]) -> TreeRun:
        wall = statistics.median(r.wall for r in runs)
        return min(runs, key=lambda r: abs(r.wall - wall))

    return median(mine), median(theirs)


def _ingest(paths: list[Path], db: Path, *options: str) -> TreeRun:
    db.unlink(missing_ok=True)
    return run_tree([*DECKMINE, "ingest", *map(str, paths), "--db", str(db), "--quiet", *options], cwd=ROOT)


def bench_startup(repeat: int, backends: tuple[str, ...]) -> dict[str, float]:
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="deckmine-bench-") as folder:
        work = Path(folder)
        db = work / "one.duckdb"
        print(f"start-up: whole processes, medians of {repeat} paired runs")
        for backend in backends:
            ours, bare = paired(
                repeat,
                lambda b=backend: _ingest([ONE_DECK], db, "--jobs", "1", "--pdf-backend", b),
                lambda: run_tree([sys.executable, "-c", BARE_PDFPLUMBER, str(ONE_DECK)]),
            )
            ratio = ours.wall / bare.wall
            figures[f"one_deck_{backend}_ratio"] = ratio
            print(f"  ingest {ONE_DECK.name} ({backend:10}): {ours.wall:.2f}s vs bare pdfplumber "
                  f"extract_text {bare.wall:.2f}s = {ratio:.2f}x (target <= 1.5x) [{ours.pressure}]")
        ours, bare = paired(
            repeat,
            lambda: run_tree([*DECKMINE, "--help"]),
            lambda: run_tree([sys.executable, "-c", "import duckdb"]),
        )
        figures["help_ratio"] = ours.wall / bare.wall
        print(f"  deckmine --help: {ours.wall:.2f}s vs python -c 'import duckdb' {bare.wall:.2f}s "
              f"= {ours.wall / bare.wall:.2f}x")
        _ingest(sorted(DECKS.glob("*.pptx")), work / "q.duckdb")
        ours, bare = paired(
            repeat,
            lambda: run_tree([*DECKMINE, "query", QUERY, "--db", str(work / "q.duckdb")]),
            lambda: run_tree([sys.executable, "-c", BARE_QUERY, str(work / "q.duckdb"), QUERY]),
        )
        figures["query_ratio"] = ours.wall / bare.wall
        print(f"  deckmine query: {ours.wall:.2f}s vs a bare DuckDB script {bare.wall:.2f}s "
              f"= {ours.wall / bare.wall:.2f}x")
        files = sorted(DECKS.iterdir())
        two, one = paired(
            repeat,
            lambda: _ingest(files, work / "j2.duckdb", "--jobs", "2"),
            lambda: _ingest(files, work / "j1.duckdb", "--jobs", "1"),
        )
        figures["sample_jobs2_speedup"] = one.wall / two.wall
        print(f"  sample corpus ({len(files)} files): --jobs 1 {one.wall:.2f}s [cpu {one.cpu:.1f}s, "
              f"{one.pressure}], --jobs 2 {two.wall:.2f}s [cpu {two.cpu:.1f}s, {two.pressure}] = "
              f"{one.wall / two.wall:.2f}x (target >= 1.0x)")
        print(f"  peak memory of the process tree: RSS {max(one.peak_rss_mb, two.peak_rss_mb):.0f} MB, "
              f"PSS {max(one.peak_pss_mb, two.peak_pss_mb):.0f} MB (target <= 500 MB) [now {cpu_pressure()}]")
    return figures
