"""Measure what README "Formats" reports (run by hand; minutes, not part of the tests).

1. ODP and PPT renditions (this folder) against their PPTX: share of the PPTX's mined figures,
   as (page, value, unit), that the rendition gives, and with the same county/strategy/year/kind.
2. OCR engines on the six original sample PDFs rendered at 150 dpi (`pdftoppm -gray`): character
   error rate against the text layer (whitespace removed) and the figures the whole miner finds
   from the OCR'd pages (tables cut from the pictures as at run time), recall and precision
   against the text layer's, for rates (% and pp) and counts; seconds per page in the helper.

Usage: `.venv/bin/python corpus/renditions/measure.py [--formats] [--ocr rapidocr tesseract]`
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from deckmine.extractors import extract  # noqa: E402
from deckmine.extractors.model import Document, Page  # noqa: E402
from deckmine.extractors.ocr import DPI, page_blocks, ruled_tables, run_engine  # noqa: E402
from deckmine.extractors.pdf_reader import _mark_title  # noqa: E402
from deckmine.patterns.mine import mine_document  # noqa: E402

DECKS = ("taitung-112", "taichung-112", "penghu-111", "hualien-113", "pingtung-113", "yilan-112")
DECK_DIR = ROOT / "corpus" / "decks"


def _key(metric: object, linked: bool = False) -> tuple[object, ...]:
    key = (metric.page, round(metric.value, 6), metric.unit)  # type: ignore[attr-defined]
    if linked:
        key += (metric.county, metric.strategy, metric.year, metric.kind)  # type: ignore[attr-defined]
    return key


def _agreement(expected: Counter, got: Counter) -> float:
    return sum((expected & got).values()) / max(1, sum(expected.values()))


def formats() -> None:
    print("| deck | PPTX figures | .odp | .odp linked | .ppt | .ppt linked |")
    print("|---|---|---|---|---|---|")
    for name in DECKS:
        base = mine_document(extract(DECK_DIR / f"{name}.pptx")).metrics
        row = [name, str(len(base))]
        for kind in ("odp", "ppt"):
            metrics = mine_document(extract(HERE / f"{name}.{kind}")).metrics
            for linked in (False, True):
                expected = Counter(_key(m, linked) for m in base)
                row.append(f"{_agreement(expected, Counter(_key(m, linked) for m in metrics)):.3f}")
        print("| " + " | ".join(row) + " |", flush=True)


def _levenshtein(a: str, b: str) -> int:
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def ocr(engines: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        images: dict[str, list[Path]] = {}
        for name in DECKS:
            prefix = Path(tmp) / name
            subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-png", str(DECK_DIR / f"{name}.pdf"), str(prefix)], check=True)
            images[name] = sorted(Path(tmp).glob(f"{name}-*.png"))
        print("| engine | CER | rates R / P | counts R / P | s / page |")
        print("|---|---|---|---|---|")
        for engine in engines:
            errors = reference = pages = 0
            seconds = 0.0
            hits: Counter[str] = Counter()
            refs: Counter[str] = Counter()
            hyps: Counter[str] = Counter()
            for name in DECKS:
                original = extract(DECK_DIR / f"{name}.pdf")
                started = time.perf_counter()
                results = run_engine(images[name], engine, timeout=60.0 * len(images[name]) + 30)
                seconds += time.perf_counter() - started
                document = Document(path=original.path, sha256=original.sha256, file_type="pdf")
                for page, path, lines in zip(original.pages, images[name], results, strict=True):
                    from PIL import Image

                    with Image.open(path) as image:
                        tables = ruled_tables(image, 72.0 / DPI)
                    read = Page(number=page.number, width=page.width, height=page.height)
                    read.blocks = page_blocks(lines, tables, page.number, 72.0 / DPI)
                    _mark_title(read)
                    document.pages.append(read)
                    truth, text = "".join(page.text.split()), "".join(read.text.split())
                    errors += _levenshtein(truth, text)
                    reference += len(truth)
                    pages += 1
                expected = Counter(_key(m) for m in mine_document(original).metrics)
                got = Counter(_key(m) for m in mine_document(document).metrics)
                for counter, source in ((refs, expected), (hyps, got), (hits, expected & got)):
                    for key, count in source.items():
                        counter["rate" if key[2] in ("%", "pp") else "count"] += count
            cells = [f"{hits[g] / max(1, refs[g]):.3f} / {hits[g] / max(1, hyps[g]):.3f}" for g in ("rate", "count")]
            print(f"| {engine} | {errors / reference:.3f} | {cells[0]} | {cells[1]} | {seconds / pages:.1f} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--formats", action="store_true")
    parser.add_argument("--ocr", nargs="*", default=None)
    args = parser.parse_args()
    if args.formats or args.ocr is None:
        formats()
    if args.ocr is not None or not args.formats:
        ocr(args.ocr or ["rapidocr", "tesseract"])


if __name__ == "__main__":
    main()
