"""Per-file bounds: a hostile file costs its own line, never the batch, the machine's memory or a
process left behind. Every hostile file is generated here, in a few lines."""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import duckdb
import pytest
from deckmine.pipeline.cli import main

from tests.conftest import ROOT, deck

DECKMINE = [sys.executable, "-m", "deckmine.pipeline.cli"]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


# --------------------------------------------------------------------------- hostile files


def pdf_bytes(objects: list[bytes], root: int = 1) -> bytes:
    """A PDF with these objects (numbered from 1), a correct xref table and a trailer."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root {root} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def looping_pdfs(folder: Path) -> list[Path]:
    """Two PDFs under 600 bytes that hang pdfminer: the catalog is a reference loop, and a stream
    whose /Length refers to an object that refers to itself."""
    loop_root = pdf_bytes(
        [
            b"6 0 R",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
            b"null",
            b"null",
            b"1 0 R",
        ]
    )
    loop_length = pdf_bytes(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            b"<< /Length 7 0 R >>\nstream\nBT ET\nendstream",
            b"null",
            b"null",
            b"7 0 R",
        ]
    )
    paths = [folder / "loop-root.pdf", folder / "loop-length.pdf"]
    for path, data in zip(paths, (loop_root, loop_length), strict=True):
        assert len(data) < 600
        path.write_bytes(data)
    return paths


def deflated(size: int, chunk: bytes = b" ") -> bytes:
    """`size` bytes of `chunk` repeated, deflated (zlib format), made in pieces."""
    compressor = zlib.compressobj(9)
    piece = chunk * ((1 << 20) // len(chunk))
    parts = [compressor.compress(piece) for _ in range(size // len(piece))]
    parts.append(compressor.compress(chunk * ((size % len(piece)) // len(chunk))))
    parts.append(compressor.flush())
    return b"".join(parts)


def pdf_with_stream(size: int) -> bytes:
    """A one-page PDF whose content stream inflates to `size` bytes of blanks."""
    data = deflated(size)
    return pdf_bytes(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            f"<< /Length {len(data)} /Filter /FlateDecode >>\nstream\n".encode() + data + b"\nendstream",
        ]
    )


def descendants(pid: int) -> set[int]:
    """Every live process below `pid` (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            children.setdefault(int(fields[1]), []).append(int(entry))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def documents(db: Path) -> list[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return sorted(row[0] for row in con.execute("SELECT file_name FROM documents").fetchall())
    finally:
        con.close()


# --------------------------------------------------------------------------- (a) time and memory


def test_a_looping_pdf_is_stopped_at_the_timeout_and_the_batch_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    loops = looping_pdfs(folder)
    shutil.copy(deck("penghu-111.pptx"), folder / "good.pptx")
    db = tmp_path / "w.duckdb"
    started = time.monotonic()
    status = main(["ingest", str(folder), "--db", str(db), "--jobs", "2", "--timeout", "3"])
    elapsed = time.monotonic() - started
    err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert status == 0
    for loop in loops:
        assert f"{loop}: took longer than 3 s (stopped; --timeout allows more)" in err, err
    assert len(err) == 2, err
    assert documents(db) == ["good.pptx"]
    assert elapsed < 30, elapsed  # each loop held its worker 3 s, not forever


def test_a_file_over_the_memory_bound_gets_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "big-stream.pdf").write_bytes(pdf_with_stream(100 << 20))  # under the stream cap
    shutil.copy(deck("penghu-111.pdf"), folder / "good.pdf")
    db = tmp_path / "w.duckdb"
    status = main(["ingest", str(folder), "--db", str(db), "--jobs", "1", "--max-memory", "40MB"])
    err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert status == 0
    bound = "would need more than 40 MB of memory (stopped; --max-memory allows more)"
    # Python's MemoryError (pdfminer), or pdfium's C++ allocation failure aborting the worker
    assert err in (
        [f"{folder / 'big-stream.pdf'}: {bound}"],
        [f"{folder / 'big-stream.pdf'}: the worker reading it was killed (SIGABRT); out of memory? ({bound})"],
    )
    assert documents(db) == ["good.pdf"]


def test_a_jobs_are_capped_by_cores_and_memory(capsys: pytest.CaptureFixture[str]) -> None:
    from deckmine.pipeline.limits import Limits, cap_jobs, parse_size

    cores = os.cpu_count() or 1
    assert cap_jobs(1000, Limits()) <= cores
    assert cap_jobs(1000, Limits(max_memory=1 << 50)) == 1  # a petabyte each: one worker
    assert cap_jobs(None, Limits()) >= 1
    assert parse_size("512MB") == 512 << 20 and parse_size("2g") == 2 << 30
    with pytest.raises(SystemExit):
        main(["ingest", ".", "--max-memory", "lots"])
    assert "not a size" in capsys.readouterr().err


def test_a_kill_9_leaves_no_process_behind(tmp_path: Path) -> None:
    """The parent is killed while its workers are busy (one of them on a looping PDF): the
    forkserver, the resource tracker and every worker are gone within seconds."""
    folder = tmp_path / "batch"
    folder.mkdir()
    looping_pdfs(folder)
    shutil.copy(deck("taitung-112.pdf"), folder / "a-good.pdf")
    proc = subprocess.Popen(
        [*DECKMINE, "ingest", str(folder), "--db", str(tmp_path / "w.duckdb"), "--jobs", "2", "--quiet"],
        cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    below: set[int] = set()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(below) < 3:  # forkserver + workers
        time.sleep(0.2)
        below |= descendants(proc.pid)
    time.sleep(1.0)
    below |= descendants(proc.pid)
    assert len(below) >= 3, below
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(alive(pid) for pid in below):
        time.sleep(0.2)
    left = [pid for pid in below if alive(pid)]
    for pid in left:  # don't leave them to the next test
        os.kill(pid, signal.SIGKILL)
    assert not left, "processes left behind after kill -9"


def test_a_ctrl_c_commits_finished_documents_and_exits_130(tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    shutil.copy(deck("penghu-111.pptx"), folder / "a-good.pptx")
    looping_pdfs(folder)  # z… after a-good: the worker hangs on it until Ctrl-C
    db = tmp_path / "w.duckdb"
    proc = subprocess.Popen(
        [*DECKMINE, "ingest", str(folder), "--db", str(db), "--jobs", "1", "--timeout", "300"],
        cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    time.sleep(10)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, (out, err)
    assert "Traceback" not in err
    assert "interrupted" in out
    assert documents(db) == ["a-good.pptx"]
    assert not descendants(proc.pid)


def test_a_escape_keeps_lines_whole() -> None:
    from deckmine.pipeline.limits import escape

    assert escape("a\nb\x1b[31m\udcff\u202e") == "a\\nb\\x1b[31m\\xff\\u202e"
    assert escape("臺東縣 deck.pdf") == "臺東縣 deck.pdf"


# --------------------------------------------------------------------------- (b) bombs and values


def small_deck(path: Path, text: str = "心衛社工進用率71%，核定58名") -> Path:
    """A one-slide deck with one text box."""
    from pptx import Presentation
    from pptx.util import Pt

    presentation = Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[5])
    slide.shapes.title.text = "策略一 社會安全網"
    box = slide.shapes.add_textbox(Pt(40), Pt(120), Pt(600), Pt(80))
    box.text_frame.text = text
    presentation.save(str(path))
    return path


def rewrite_member(path: Path, name: str, data: bytes | None = None, *, padding: int = 0) -> None:
    """Replace (or add) one member of a zip; `padding` bytes of blanks after the XML, streamed."""
    original = io.BytesIO(path.read_bytes())
    with zipfile.ZipFile(original) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            if info.filename != name:
                out.writestr(info, source.read(info.filename))
        body = data if data is not None else source.read(name)
        with out.open(name, "w", force_zip64=True) as member:
            member.write(body)
            blank = b" " * (1 << 20)
            for _ in range(padding // len(blank)):
                member.write(blank)


def lie_about_size(path: Path, name: str, size: int) -> None:
    """Make the central directory declare `size` bytes for member `name` (the data stays small)."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(name)
    encoded = name.encode()
    at = data.find(b"PK\x01\x02")  # central directory headers, searched by name
    while at != -1:
        name_length = int.from_bytes(data[at + 28 : at + 30], "little")
        if data[at + 46 : at + 46 + name_length] == encoded:
            data[at + 24 : at + 28] = min(size, 0xFFFFFFFE).to_bytes(4, "little")
            break
        at = data.find(b"PK\x01\x02", at + 4)
    assert at != -1 and info.file_size < size
    path.write_bytes(bytes(data))


def test_b_zip_bombs_are_refused_before_python_pptx_opens_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    xml_bomb = small_deck(folder / "xml-bomb.pptx")
    rewrite_member(xml_bomb, "ppt/slides/slide1.xml", padding=80 << 20)  # 80 MB slide, ~80 KB zipped
    media_lie = small_deck(folder / "media-lie.pptx")
    rewrite_member(media_lie, "ppt/media/video.mp4", b"\x00" * 1000)
    lie_about_size(media_lie, "ppt/media/video.mp4", 4 << 30)  # declares 4 GB
    assert xml_bomb.stat().st_size < 1 << 20 and media_lie.stat().st_size < 64 << 10
    small_deck(folder / "good.pptx")
    db = tmp_path / "w.duckdb"
    assert main(["ingest", str(folder), "--db", str(db), "--jobs", "1"]) == 0
    err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(err) == 2, err
    assert err[0].startswith(f"{media_lie}: not read: zip member ppt/media/video.mp4 would inflate to 4,")
    assert err[1].startswith(f"{xml_bomb}: not read: zip member ppt/slides/slide1.xml would inflate to 80 MB")
    assert all("zip bomb" in line for line in err)
    assert documents(db) == ["good.pptx"]


def chart_deck(path: Path, values: list[str], point_count: int) -> Path:
    """A deck with a text figure and a column chart whose cached values are `values` (as written
    in the XML) and whose ptCount claims `point_count`."""
    from pptx import Presentation
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.util import Pt

    presentation = Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[6])
    box = slide.shapes.add_textbox(Pt(40), Pt(20), Pt(600), Pt(60))
    box.text_frame.text = "心衛社工進用率71%"
    data = CategoryChartData()
    data.categories = [f"{111 + i}年" for i in range(len(values))]
    data.add_series("訪視率(%)", [float(i + 1) for i in range(len(values))])
    slide.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, Pt(40), Pt(100), Pt(500), Pt(300), data)
    presentation.save(str(path))
    with zipfile.ZipFile(path) as archive:
        name = next(n for n in archive.namelist() if n.startswith("ppt/charts/chart") and n.endswith(".xml"))
        xml = archive.read(name).decode()
    for i, value in enumerate(values):
        xml = xml.replace(f"<c:v>{float(i + 1)}</c:v>", f"<c:v>{value}</c:v>", 1)
    xml = xml.replace(f'<c:ptCount val="{len(values)}"/>', f'<c:ptCount val="{point_count}"/>')
    rewrite_member(path, name, xml.encode())
    return path


def test_b_chart_point_counts_are_capped_by_the_points_present(tmp_path: Path) -> None:
    from deckmine.extractors import extract
    from deckmine.extractors.model import ChartBlock

    path = chart_deck(tmp_path / "huge-count.pptx", ["62.5", "70", "81.2"], 20_000_000)
    started = time.monotonic()
    document = extract(path)
    charts = [b for page in document.pages for b in page.blocks if isinstance(b, ChartBlock)]
    assert len(charts) == 1
    assert charts[0].categories == ["111年", "112年", "113年"]
    assert [s.values for s in charts[0].series] == [[62.5, 70.0, 81.2]]
    assert time.monotonic() - started < 10


def test_b_non_finite_chart_points_are_no_metrics_and_the_deck_survives(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = chart_deck(tmp_path / "odd-values.pptx", ["1e309", "NaN", "81.2", "-INF"], 4)
    db = tmp_path / "w.duckdb"
    assert main(["ingest", str(path), "--db", str(db), "--jobs", "1", "--quiet"]) == 0
    assert capsys.readouterr().err == ""
    con = duckdb.connect(str(db), read_only=True)
    values = [row[0] for row in con.execute("SELECT value FROM metrics").fetchall()]
    con.close()
    assert values, "the deck's figures were lost"
    assert all(value is not None and abs(value) < 1e300 and value == value for value in values), values
    assert 71.0 in values  # the text figure survives the chart's bad points


def test_b_pdf_stream_bomb_is_refused_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    bomb = folder / "stream-bomb.pdf"
    bomb.write_bytes(pdf_with_stream(200 << 20))  # 200 MB of content from ~200 KB
    assert bomb.stat().st_size < 400 << 10
    shutil.copy(deck("penghu-111.pdf"), folder / "good.pdf")
    db = tmp_path / "w.duckdb"
    assert main(["ingest", str(folder), "--db", str(db), "--jobs", "1"]) == 0
    err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert err == [f"{bomb}: a compressed stream inflates to more than 128 MB (a decompression bomb?); not read"]
    assert documents(db) == ["good.pdf"]


def test_a_show_gives_up_on_a_looping_pdf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    loops = looping_pdfs(tmp_path)
    good = deck("penghu-111.pdf")
    started = time.monotonic()
    assert main(["show", *map(str, loops), str(good), "--timeout", "2", "--page", "1"]) == 1
    assert time.monotonic() - started < 30
    captured = capsys.readouterr()
    assert lines_of(captured.err) == [f"{loop}: took longer than 2 s (stopped; --timeout allows more)" for loop in loops]
    assert "penghu-111.pdf" in captured.out


def lines_of(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]
