"""`make bench`: deckmine's speed and memory against bare pdfplumber, on real files.

Sections (run all, or name some: `python bench/run.py extract mine`):
- extract: our PDF extraction (reading order, joining, tables) vs bare pdfplumber `extract_text`
  on the same pages, the floor. Target: ours costs at most 2x the floor.
- mine: indicator mining vs extraction of the same decks. Target: mining costs less.
- startup: whole processes a user runs (one-deck ingest, --help, query, --jobs 2 vs 1 on the
  sample corpus) against the bare scripts they compete with: see bench/startup.py.
- backends: the PDF text layer, pdfium vs pdfplumber: see bench/pdf_backends.py.
- scale: see bench/scale.py (a generated corpus of >= 1,000 decks).
- ocr: seconds per OCR page: a few pages of a corpus PDF rendered at 150 dpi and read by the OCR
  helper process (extractors/ocr.py, as `--ocr` reads a scanned page), its start-up apart.
Each timing is the best of `--repeat` runs, so a busy machine disturbs it less.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deckmine.extractors import PDF_BACKENDS, extract  # noqa: E402
from deckmine.patterns.mine import mine_document  # noqa: E402

from bench.pdf_backends import bench_pdf_backends  # noqa: E402
from bench.scale import bench_scale, floor_timing  # noqa: E402
from bench.startup import bench_startup  # noqa: E402

DECKS = ROOT / "corpus" / "decks"


def best_of(repeat: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_extract(repeat: int) -> dict[str, float]:
    pdfs = sorted(DECKS.glob("*.pdf"))
    pages, _ = floor_timing(pdfs)
    floor = best_of(repeat, lambda: floor_timing(pdfs))
    ours = best_of(repeat, lambda: [extract(p) for p in pdfs])
    print(f"extract: {len(pdfs)} PDFs, {pages} pages")
    print(f"  bare pdfplumber extract_text : {pages / floor:7.1f} pages/s ({floor:.2f}s)")
    print(f"  deckmine extract (tables too): {pages / ours:7.1f} pages/s ({ours:.2f}s)")
    print(f"  cost vs floor: {ours / floor:.2f}x (target <= 2x)")
    return {"floor_pps": pages / floor, "ours_pps": pages / ours, "ratio": ours / floor}


def bench_mine(repeat: int) -> dict[str, float]:
    files = sorted(DECKS.glob("*.pdf")) + sorted(DECKS.glob("*.pptx"))
    documents = [extract(p) for p in files]
    extract_time = best_of(repeat, lambda: [extract(p) for p in files])
    mine_time = best_of(repeat, lambda: [mine_document(d) for d in documents])
    metrics = sum(len(mine_document(d).metrics) for d in documents)
    pages = sum(d.page_count for d in documents)
    print(f"mine: {len(files)} files, {pages} pages, {metrics} metrics")
    print(f"  extraction: {extract_time:.2f}s   mining: {mine_time:.2f}s   "
          f"mining/extraction = {mine_time / extract_time:.2f} (target < 1)")
    return {"extract_s": extract_time, "mine_s": mine_time}


OCR_DECK = DECKS / "penghu-111.pdf"
OCR_PAGES = (2, 3, 4, 5)


def bench_ocr(repeat: int) -> dict[str, float]:
    """Pages rendered at ocr.DPI, read through the helper (`run_engine`) and turned into blocks
    (tables cut from the picture, lines grouped), as a scanned page is read."""
    import tempfile

    import pdfplumber
    from deckmine.extractors import ocr
    from PIL import Image

    name = ocr.available_engine()
    if name is None:
        print(f"ocr: skipped (no OCR engine installed: {ocr.INSTALL_HINT})")
        return {}
    scale = 72.0 / ocr.DPI
    with tempfile.TemporaryDirectory(prefix="deckmine-bench-ocr-") as folder:
        images = []
        with pdfplumber.open(OCR_DECK) as pdf:
            for number in OCR_PAGES:
                path = Path(folder) / f"page-{number}.png"
                pdf.pages[number - 1].to_image(resolution=ocr.DPI).original.save(path)
                images.append(path)

        def read(paths: list[Path]) -> None:
            timeout = ocr.SECONDS_PER_PAGE * len(paths) + ocr.STARTUP_SECONDS
            for number, (path, lines) in enumerate(zip(paths, ocr.run_engine(paths, name, timeout), strict=True)):
                with Image.open(path) as image:
                    ocr.page_blocks(lines, ocr.ruled_tables(image, scale), number, scale)

        startup = best_of(repeat, lambda: read([]))
        total = best_of(repeat, lambda: read(images))
    per_page = (total - startup) / len(images)
    print(f"ocr: {OCR_DECK.name} pages {OCR_PAGES[0]}-{OCR_PAGES[-1]} at {ocr.DPI} dpi, engine {name}")
    print(f"  helper start-up: {startup:.2f}s   {len(images)} pages: {total:.2f}s")
    print(f"  {per_page:.2f} s per OCR page ({total / len(images):.2f} s with the start-up)")
    return {"startup_s": startup, "s_per_page": per_page}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sections", nargs="*", default=["startup", "extract", "mine", "backends", "scale", "ocr"])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--decks", type=int, default=1000, help="scale: decks to generate")
    args = parser.parse_args()
    if "startup" in args.sections:
        bench_startup(max(args.repeat, 5), PDF_BACKENDS)
    if "extract" in args.sections:
        bench_extract(args.repeat)
    if "mine" in args.sections:
        bench_mine(args.repeat)
    if "backends" in args.sections:
        bench_pdf_backends(args.repeat)
    if "scale" in args.sections:
        bench_scale(args.decks, backends=PDF_BACKENDS)
    if "ocr" in args.sections:
        bench_ocr(args.repeat)
    print(f"peak RSS of this process: {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
