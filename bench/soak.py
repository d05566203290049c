"""`make soak`: hostile files under /usr/bin/time -v and a kill -9 loop, with the figures README's
"Limits and safety" section quotes.

1. Bombs: each file is ingested on its own (`--jobs 1`) under `/usr/bin/time -v`; the process tree
   is also sampled every 20 ms from /proc, because time -v sees only the processes the ingest
   waits for (the workers are the forkserver's children). Reported: wall time, exit status, the
   line the file got, time -v's maximum RSS and the largest peak RSS (VmHWM) of any process of
   the tree.
2. kill -9 at N random moments of an ingest of the sample corpus (`--jobs 2`): after each kill,
   no process of that ingest may be alive 10 s later, and every document in the warehouse must
   have all its pages and metrics (compared with a reference ingest).

Usage: python bench/soak.py [--kills 20] [--seed 12]
"""

from __future__ import annotations

import argparse
import io
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
import zlib
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DECKMINE = [sys.executable, "-m", "deckmine.pipeline.cli"]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
MB = 1 << 20


# --------------------------------------------------------------------------- hostile files


def pdf_bytes(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def deflated(size: int) -> bytes:
    compressor = zlib.compressobj(9)
    piece = b" " * MB
    parts = [compressor.compress(piece) for _ in range(size // MB)]
    parts.append(compressor.flush())
    return b"".join(parts)


def stream_pdf(size: int) -> bytes:
    data = deflated(size)
    return pdf_bytes(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            f"<< /Length {len(data)} /Filter /FlateDecode >>\nstream\n".encode() + data + b"\nendstream",
        ]
    )


def base_deck(path: Path, chart: bool = False) -> None:
    from pptx import Presentation
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.util import Pt

    presentation = Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[6])
    slide.shapes.add_textbox(Pt(40), Pt(20), Pt(600), Pt(60)).text_frame.text = "心衛社工進用率71%"
    if chart:
        data = CategoryChartData()
        data.categories = ["111年", "112年", "113年"]
        data.add_series("訪視率(%)", (1.0, 2.0, 3.0))
        slide.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, Pt(40), Pt(100), Pt(500), Pt(300), data)
    presentation.save(str(path))


def with_member(path: Path, name: str, data: bytes, padding: int = 0) -> None:
    original = io.BytesIO(path.read_bytes())
    with zipfile.ZipFile(original) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            if info.filename != name:
                out.writestr(info, source.read(info.filename))
        with out.open(name, "w", force_zip64=True) as member:
            member.write(data)
            for _ in range(padding // MB):
                member.write(b" " * MB)


def declare_size(path: Path, name: str, size: int) -> None:
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at != -1:
        length = int.from_bytes(data[at + 28 : at + 30], "little")
        if data[at + 46 : at + 46 + length] == name.encode():
            data[at + 24 : at + 28] = min(size, 0xFFFFFFFE).to_bytes(4, "little")
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))


def make_bombs(folder: Path) -> dict[str, Path]:
    bombs: dict[str, Path] = {}
    loop = folder / "loop-root.pdf"
    loop.write_bytes(
        pdf_bytes([b"6 0 R", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                   b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>", b"null", b"null", b"1 0 R"])
    )
    bombs["PDF, catalog reference loop (422 bytes)"] = loop
    length = folder / "loop-length.pdf"
    length.write_bytes(
        pdf_bytes([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                   b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
                   b"<< /Length 7 0 R >>\nstream\nBT ET\nendstream", b"null", b"null", b"7 0 R"])
    )
    bombs["PDF, /Length 7 0 R with 7 0 obj 7 0 R (544 bytes)"] = length
    stream = folder / "stream-1g.pdf"
    stream.write_bytes(stream_pdf(1 << 30))
    bombs[f"PDF, content stream inflating to 1 GiB ({stream.stat().st_size >> 10} KB)"] = stream
    xml = folder / "slide-xml-bomb.pptx"
    base_deck(xml)
    with_member(xml, "ppt/slides/slide1.xml", zipfile.ZipFile(xml).read("ppt/slides/slide1.xml"), padding=400 * MB)
    declare_size(xml, "ppt/slides/slide1.xml", 4 << 30)
    bombs[f"PPTX, slide XML declaring 4 GiB, 400 MB real ({xml.stat().st_size >> 10} KB)"] = xml
    media = folder / "media-4g.pptx"
    base_deck(media)
    with_member(media, "ppt/media/video.mp4", b"\0" * 1000)
    declare_size(media, "ppt/media/video.mp4", 4 << 30)
    bombs[f"PPTX, media member declaring 4 GiB ({media.stat().st_size >> 10} KB)"] = media
    chart = folder / "chart-ptcount.pptx"
    base_deck(chart, chart=True)
    with zipfile.ZipFile(chart) as archive:
        name = next(n for n in archive.namelist() if n.startswith("ppt/charts/chart") and n.endswith(".xml"))
        text = archive.read(name).decode()
    text = re.sub(r'<c:ptCount val="3"/>', '<c:ptCount val="100000000"/>', text)
    text = text.replace("<c:v>2.0</c:v>", "<c:v>1e309</c:v>").replace("<c:v>3.0</c:v>", "<c:v>NaN</c:v>")
    with_member(chart, name, text.encode())
    bombs["PPTX, chart ptCount 1e8, points 1e309 and NaN"] = chart
    return bombs


# --------------------------------------------------------------------------- measuring


def tree(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    parent = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def peak_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_measured(argv: list[str], timeout: float = 600) -> tuple[int, float, str, int, int]:
    """(exit status, seconds, stderr, time -v max RSS KB, largest VmHWM KB in the tree)."""
    proc = subprocess.Popen(["/usr/bin/time", "-v", *argv], cwd=ROOT, env=ENV,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    seen: set[int] = set()
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            seen.update(tree(proc.pid))
            for pid in list(seen):
                peak = max(peak, peak_kb(pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    started = time.monotonic()
    sampler.start()
    _out, err = proc.communicate(timeout=timeout)
    elapsed = time.monotonic() - started
    stop.set()
    sampler.join()
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", err)
    time_rss = int(match.group(1)) if match else 0
    lines = [line for line in err.splitlines() if line and not line.startswith("\t") and "Command being timed" not in line]
    return proc.returncode, elapsed, "\n".join(lines), time_rss, peak


def soak_bombs(work: Path) -> None:
    print("## bombs (each alone, --jobs 1, default bounds)\n")
    print("| file | exit | seconds | what the user sees | time -v max RSS | peak RSS of any process |")
    print("|---|---|---|---|---|---|")
    for label, path in make_bombs(work / "bombs").items():
        db = work / f"{path.stem}.duckdb"
        argv = [*DECKMINE, "ingest", str(path), "--db", str(db), "--jobs", "1"]
        if "loop" in path.name:
            argv += ["--timeout", "10"]
        status, seconds, err, time_rss, peak = run_measured(argv)
        line = err.splitlines()[0].replace(str(path), path.name) if err else "(loaded)"
        print(f"| {label} | {status} | {seconds:.1f} | `{line}` | {time_rss // 1024} MB | {peak // 1024} MB |")
    db = work / "jobs1000.duckdb"
    status, seconds, err, time_rss, peak = run_measured(
        [*DECKMINE, "ingest", str(ROOT / "corpus" / "decks"), "--db", str(db), "--jobs", "1000"]
    )
    first = err.splitlines()[0] if err else ""
    print(f"| `--jobs 1000` on the sample corpus | {status} | {seconds:.1f} | `{first}` | {time_rss // 1024} MB | {peak // 1024} MB |")
    print()


def soak_kills(work: Path, kills: int, seed: int) -> None:
    decks = ROOT / "corpus" / "decks"
    reference_db = work / "reference.duckdb"
    subprocess.run([*DECKMINE, "ingest", str(decks), "--db", str(reference_db), "--jobs", "2", "--quiet"],
                   cwd=ROOT, env=ENV, check=True)
    reference = duckdb.connect(str(reference_db), read_only=True)
    expected = {
        row[0]: (row[1], row[2])
        for row in reference.execute(
            "SELECT d.document_id, d.page_count, (SELECT count(*) FROM metrics m WHERE m.document_id = d.document_id) "
            "FROM documents d"
        ).fetchall()
    }
    reference.close()
    rng = random.Random(seed)
    db = work / "killed.duckdb"
    print(f"## kill -9 at {kills} random moments (seed {seed}), --jobs 2, one warehouse across the runs\n")
    print("| kill | after s | documents | whole | processes alive 10 s later |")
    print("|---|---|---|---|---|")
    failures = 0
    for trial in range(1, kills + 1):
        if trial % 5 == 1 and db.exists():  # start afresh now and then, so early moments recur
            for leftover in work.glob("killed.duckdb*"):
                leftover.unlink()
        delay = rng.uniform(0.3, 10.0)
        proc = subprocess.Popen([*DECKMINE, "ingest", str(decks), "--db", str(db), "--jobs", "2", "--quiet", "--force"],
                                cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        below: set[int] = set()
        deadline = time.monotonic() + delay
        while time.monotonic() < deadline:
            below |= tree(proc.pid)
            time.sleep(0.05)
        below |= tree(proc.pid)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        time.sleep(10)
        alive = [pid for pid in below if os.path.exists(f"/proc/{pid}") and _state(pid) != "Z"]
        for pid in alive:
            os.kill(pid, signal.SIGKILL)
        documents, whole = 0, True
        if db.exists():
            con = duckdb.connect(str(db), read_only=True)
            try:
                for document_id, page_count in con.execute("SELECT document_id, page_count FROM documents").fetchall():
                    documents += 1
                    pages = con.execute("SELECT count(*) FROM pages WHERE document_id = ?", [document_id]).fetchone()[0]
                    metrics = con.execute("SELECT count(*) FROM metrics WHERE document_id = ?", [document_id]).fetchone()[0]
                    whole &= (page_count, metrics) == expected.get(document_id) and pages == page_count
                orphans = con.execute(
                    "SELECT count(*) FROM pages WHERE document_id NOT IN (SELECT document_id FROM documents)"
                ).fetchone()[0]
                whole &= orphans == 0
            finally:
                con.close()
        failures += (not whole) + bool(alive)
        print(f"| {trial} | {delay:.1f} | {documents} | {'yes' if whole else 'NO'} | {len(alive)} |")
    print(f"\n{failures} failures\n")
    if failures:
        sys.exit(1)


def _state(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--skip-bombs", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="deckmine-soak-"))
    try:
        (work / "bombs").mkdir()
        if not args.skip_bombs:
            soak_bombs(work)
        soak_kills(work, args.kills, args.seed)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
