"""Measure the PDF reader against bare pdfplumber `extract_text` (not a test; run by hand).

Usage: `.venv/bin/python tests/bench_pdf_reader.py [PDF ...]` (default: corpus/decks/*.pdf).
Prints pages/s for both and the ratio; the target is a ratio of at most 2.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pdfplumber
from deckmine.extractors.pdf_reader import read_pdf

ROOT = Path(__file__).resolve().parent.parent


def bare_extract_text(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.close()
        return len(pdf.pages)


def best_of(runs: int, action: object, path: Path) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        action(path)  # type: ignore[operator]
        timings.append(time.perf_counter() - start)
    return min(timings)


def main(paths: list[Path]) -> None:
    total_pages = 0
    total_bare = total_reader = 0.0
    for path in paths:
        pages = bare_extract_text(path)
        bare = best_of(3, bare_extract_text, path)
        reader = best_of(3, lambda p: read_pdf(p, sha256=""), path)
        total_pages += pages
        total_bare += bare
        total_reader += reader
        print(
            f"{path.name}: {pages} pages  extract_text {pages / bare:6.1f} pages/s  "
            f"read_pdf {pages / reader:6.1f} pages/s  ratio {reader / bare:.2f}"
        )
    print(
        f"all: {total_pages} pages  extract_text {total_pages / total_bare:.1f} pages/s  "
        f"read_pdf {total_pages / total_reader:.1f} pages/s  ratio {total_reader / total_bare:.2f}"
    )


if __name__ == "__main__":
    arguments = [Path(arg) for arg in sys.argv[1:]]
    main(arguments or sorted((ROOT / "corpus" / "decks").glob("*.pdf")))
