"""Pages per second of the two PDF backends over the sample corpus's PDFs.

Three figures per backend, best of `repeat` runs each: bare pdfplumber `page.extract_text()`
(the floor: what reading the text costs with pdfminer and nothing else), `extractors.extract`, and
`extract` + `patterns.mine.mine_document` (the work of one ingest worker). The target is pdfium
extract+mine at 2.5× the floor or better. Pages/s are given by wall time and by this process's
CPU time (steadier on a shared machine), with the CPU pressure (`bench.tree.cpu_pressure`) before
and after.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from bench.scale import floor_timing
from bench.tree import cpu_pressure

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus" / "decks"
TARGET = 2.5


def _best(run: Callable[[], int], repeat: int) -> tuple[float, float, int]:
    """Best wall seconds, best CPU seconds and pages of `repeat` runs."""
    best, best_cpu, pages = float("inf"), float("inf"), 0
    for _ in range(max(1, repeat)):
        start, start_cpu = time.perf_counter(), time.process_time()
        pages = run()
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - start_cpu)
    return best, best_cpu, pages


def bench_pdf_backends(repeat: int = 3) -> dict[str, float]:
    """Print and return pages/s: the floor, and extract / extract+mine with each backend."""
    from deckmine.extractors import PDF_BACKENDS, extract
    from deckmine.patterns.mine import mine_document

    paths = sorted(CORPUS.glob("*.pdf"))

    def floor() -> int:
        return floor_timing(paths)[0]

    def extract_only(backend: str) -> Callable[[], int]:
        return lambda: sum(len(extract(path, pdf_backend=backend).pages) for path in paths)

    def extract_and_mine(backend: str) -> Callable[[], int]:
        def run() -> int:
            pages = 0
            for path in paths:
                document = extract(path, pdf_backend=backend)
                mine_document(document).metric_rows(document.sha256)
                pages += len(document.pages)
            return pages

        return run

    runs: dict[str, Callable[[], int]] = {"pdfplumber extract_text (floor)": floor}
    for backend in PDF_BACKENDS:
        runs[f"extract, {backend}"] = extract_only(backend)
        runs[f"extract+mine, {backend}"] = extract_and_mine(backend)
    rates: dict[str, float] = {}
    print(f"PDF backends: {len(paths)} corpus PDFs, best of {repeat}; cpu {cpu_pressure()}")
    for name, run in runs.items():
        seconds, cpu_seconds, pages = _best(run, repeat)
        rates[name], rates[f"{name} (cpu)"] = pages / seconds, pages / cpu_seconds
        print(f"  {name:<34} {pages:4d} pages {seconds:6.2f} s {rates[name]:7.1f} pages/s"
              f"  cpu {cpu_seconds:6.2f} s {pages / cpu_seconds:7.1f} pages/s")
    floor = "pdfplumber extract_text (floor)"
    ratio = rates["extract+mine, pdfium"] / rates[floor]
    cpu_ratio = rates["extract+mine, pdfium (cpu)"] / rates[f"{floor} (cpu)"]
    verdict = "meets" if ratio >= TARGET else "misses"
    print(f"  pdfium extract+mine / floor: {ratio:.2f}x wall, {cpu_ratio:.2f}x cpu "
          f"({verdict} the {TARGET}x target); cpu {cpu_pressure()}")
    rates["pdfium_ratio"], rates["pdfium_cpu_ratio"] = ratio, cpu_ratio
    return rates


if __name__ == "__main__":
    bench_pdf_backends()
