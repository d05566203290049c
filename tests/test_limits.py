"""Per-file bounds: a hostile file costs its own line, never the batch, the machine's memory or a
process left behind. Every hostile file is generated here, in a few lines."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import zlib
from pathlib import Path

import duckdb
import pytest

from pipeline.cli import main
from pipeline.limits import Limits, cap_jobs, escape, parse_size
from tests.conftest import ROOT, deck

DECKMINE = [sys.executable, "-m", "pipeline.cli"]
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
    assert err == [
        f"{folder / 'big-stream.pdf'}: would need more than 40 MB of memory (stopped; --max-memory allows more)"
    ]
    assert documents(db) == ["good.pdf"]


def test_a_jobs_are_capped_by_cores_and_memory(capsys: pytest.CaptureFixture[str]) -> None:
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
    assert escape("a\nb\x1b[31m\udcff\u202e") == "a\\nb\\x1b[31m\\xff\\u202e"
    assert escape("臺東縣 deck.pdf") == "臺東縣 deck.pdf"
