"""The scale benchmark: a generated corpus of >= 1,000 decks, ingested the way researchers would.

Decks are made by varying the sample specs in `corpus/specs/` (another county, the years shifted,
the counts scaled) and building them with `corpus/build.py`. All N decks are built as PPTX; the first
`pdf_decks` of them are also exported to PDF with LibreOffice (exporting all 1,000 would take most of
an hour on two cores). The generated corpus is cached in `bench/out/` and reused.

Measured in one run:
- ingest pages/s of the PDFs with `--jobs 1` and `--jobs 2`, next to bare pdfplumber `extract_text`
  on the same pages (the floor);
- peak RSS of the ingest (parent and each worker) for the whole corpus;
- an unchanged re-ingest of the whole corpus; the warehouse size; a `v_metrics` aggregate query.
"""

from __future__ import annotations

import importlib.util
import json
import random
import shutil
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import duckdb
import pdfplumber
import regex

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
SPECS = ROOT / "corpus" / "specs"
DECKMINE = [sys.executable, "-m", "pipeline.cli"]


def corpus_builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("corpus_build", ROOT / "corpus" / "build.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["corpus_build"] = module
    spec.loader.exec_module(module)
    return module


def county_names() -> list[tuple[str, str | None]]:
    from patterns.gazetteer import counties

    return [(c.canonical, c.short) for c in counties()]


YEAR = regex.compile(r"(?<![\d,.])(1[01]\d)(?=\s*年|-1[01]\d\s*年)")
COUNT = regex.compile(r"(?<![\d,.年月])(\d{1,3}(?:,\d{3})+|\d{3,5})(?=\s*(?:人次|人|案|件|場|戶))")


def vary_spec(text: str, base_county: str, base_short: str | None, target: tuple[str, str | None], seed: int) -> str:
    """Another county, years shifted by 0-2, counts scaled by 0.8-1.2: a plausible new deck."""
    rng = random.Random(seed)
    name, short = target
    for variant in {base_county, base_county.replace("臺", "台")} - {""}:  # a ministry deck has none
        text = text.replace(variant, name)
    if base_short and short:
        for variant in {base_short, base_short.replace("臺", "台")}:
            text = text.replace(variant, short)
    shift = rng.randint(0, 2)
    text = YEAR.sub(lambda m: str(int(m.group(1)) + shift), text)

    def scale(match: regex.Match[str]) -> str:
        raw = match.group(1)
        value = max(1, round(int(raw.replace(",", "")) * rng.uniform(0.8, 1.2)))
        return f"{value:,}" if "," in raw else str(value)

    return COUNT.sub(scale, text)


def _build_one(args: tuple[str, Path]) -> Path:
    spec_text, out_path = args
    builder = sys.modules.get("corpus_build") or corpus_builder()
    builder.build_pptx(builder.parse_spec(spec_text), out_path)
    return out_path


def generate(n_decks: int, pdf_decks: int) -> tuple[list[Path], list[Path]]:
    """Build (or reuse) N varied PPTX decks and PDFs of the first `pdf_decks`."""
    folder = OUT / f"corpus-{n_decks}"
    pptx_dir, pdf_dir = folder / "pptx", folder / "pdf"
    pptx_dir.mkdir(parents=True, exist_ok=True)
    pdf_dir.mkdir(parents=True, exist_ok=True)
    bases = sorted(SPECS.glob("*.deck"))
    builder = corpus_builder()
    names = county_names()
    jobs = []
    planned: list[tuple[str, Path]] = []
    for i in range(n_decks):
        base = bases[i % len(bases)]
        text = base.read_text(encoding="utf-8")
        base_county = builder.parse_spec(text).meta.get("county", "")
        base_short = next((s for c, s in names if c == base_county), None)
        target = names[(i * 7) % len(names)]
        out = pptx_dir / f"{target[0]}-{base.stem}-{i:04d}.pptx"
        planned.append((text, out))
        if not out.exists():
            jobs.append((vary_spec(text, base_county, base_short, target, seed=i), out))
    if jobs:
        print(f"  building {len(jobs)} PPTX decks …", flush=True)
        with ProcessPoolExecutor(max_workers=2) as pool:
            list(pool.map(_build_one, jobs, chunksize=8))
    pptx = sorted(out for _, out in planned)
    for stale in set(pptx_dir.glob("*.pptx")) - set(pptx):
        stale.unlink()
    wanted = pptx[:pdf_decks]
    missing = [p for p in wanted if not (pdf_dir / (p.stem + ".pdf")).exists()]
    if missing:
        print(f"  exporting {len(missing)} decks to PDF with LibreOffice …", flush=True)
        for start in range(0, len(missing), 50):
            builder.convert_to_pdf(missing[start : start + 50], pdf_dir)
    pdfs = [pdf_dir / (p.stem + ".pdf") for p in wanted]
    for stale in set(pdf_dir.glob("*.pdf")) - set(pdfs):
        stale.unlink()
    return pptx, pdfs


@dataclass
class Timing:
    wall: float  # seconds on the clock
    cpu: float  # user + system seconds of the processes doing the work (robust to a busy machine)
    peak_rss_mb: float = 0.0


def floor_timing(pdfs: list[Path]) -> tuple[int, Timing]:
    """Bare pdfplumber `extract_text` over every page, in this process."""
    started, cpu_started = time.perf_counter(), time.process_time()
    pages = 0
    for path in pdfs:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                pages += 1
    return pages, Timing(time.perf_counter() - started, time.process_time() - cpu_started)


# Runs a command and reports the resources of that command's processes only (so LibreOffice,
# which the corpus generator ran from this process, does not count).
MEASURE = (
    "import json, resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True); "
    "r = resource.getrusage(resource.RUSAGE_CHILDREN); "
    "print(json.dumps({'cpu': r.ru_utime + r.ru_stime, 'rss': r.ru_maxrss}))"
)


def run_ingest(paths: list[Path], db: Path, jobs: int) -> Timing:
    """Run `deckmine ingest` as a user would, in a child process (workers included)."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *DECKMINE, "ingest", *map(str, paths), "--db", str(db),
         "--jobs", str(jobs), "--quiet"],
        check=True, cwd=ROOT, capture_output=True, text=True,
    )
    wall = time.perf_counter() - started
    usage = json.loads(done.stdout.strip().splitlines()[-1])
    return Timing(wall, usage["cpu"], usage["rss"] / 1024)


def bench_scale(n_decks: int = 1000, pdf_decks: int = 100) -> dict[str, float]:
    print(f"scale: {n_decks} generated decks ({pdf_decks} also as PDF)")
    pptx, pdfs = generate(n_decks, pdf_decks)
    work = OUT / "work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    pdf_dir, pptx_dir = pdfs[0].parent, pptx[0].parent
    pages, floor = floor_timing(pdfs)
    one = run_ingest([pdf_dir], work / "jobs1.duckdb", jobs=1)
    two = run_ingest([pdf_dir], work / "jobs2.duckdb", jobs=2)
    print(f"  PDFs: {len(pdfs)} decks, {pages} pages (wall clock; CPU-time ratio in brackets)")
    print(f"  bare pdfplumber extract_text: {pages / floor.wall:6.1f} pages/s")
    print(f"  ingest --jobs 1             : {pages / one.wall:6.1f} pages/s = {floor.wall / one.wall:.0%} "
          f"of the floor [{floor.cpu / one.cpu:.0%}] (target >= 60%)")
    print(f"  ingest --jobs 2             : {pages / two.wall:6.1f} pages/s = {one.wall / two.wall:.2f}x "
          f"--jobs 1 (target >= 1.7x)")
    full_db = work / "full.duckdb"
    full = run_ingest([pptx_dir, pdf_dir], full_db, jobs=2)
    again = run_ingest([pptx_dir, pdf_dir], full_db, jobs=2)
    con = duckdb.connect(str(full_db), read_only=True)
    documents, metrics = con.execute("SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM metrics)").fetchone()
    query = "SELECT county, year, indicator, count(*), avg(value) FROM v_metrics WHERE unit = '%' GROUP BY ALL"
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        con.execute(query).fetchall()
        timings.append(time.perf_counter() - started)
    con.close()
    size_mb = full_db.stat().st_size / 2**20
    peak = max(one.peak_rss_mb, two.peak_rss_mb, full.peak_rss_mb)
    print(f"  full corpus: {documents} documents, {metrics} metrics, ingest --jobs 2 in {full.wall:.1f}s")
    print(f"  peak RSS of any ingest process: {peak:.0f} MB (target <= 500 MB)")
    print(f"  unchanged re-ingest: {again.wall:.2f}s (target <= 5 s)")
    print(f"  warehouse size: {size_mb:.1f} MB")
    print(f"  v_metrics aggregate: {min(timings) * 1000:.1f} ms (target <= 100 ms)")
    return {
        "floor_pps": pages / floor.wall, "jobs1_pps": pages / one.wall, "jobs2_pps": pages / two.wall,
        "jobs1_cpu_ratio": floor.cpu / one.cpu, "peak_rss_mb": peak, "reingest_s": again.wall,
        "db_mb": size_mb, "query_ms": min(timings) * 1000,
    }
