"""No bad file name, value or SQL costs a user their batch or their files: duplicate bytes, names
that are not UTF-8 or carry control characters, a read-only `query` that means it, an `export`
that stays in its folder, foreign DuckDB files, and failures in one line."""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from deckmine.pipeline.cli import main

from tests.conftest import ROOT, deck
from tests.test_limits import pdf_bytes

DECKMINE = [sys.executable, "-m", "deckmine.pipeline.cli"]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture
def warehouse(sample_db: Path, tmp_path: Path) -> Path:
    """A private copy of the sample warehouse that a test may attack."""
    db = tmp_path / "copy.duckdb"
    shutil.copy(sample_db, db)
    return db


# --------------------------------------------------------------------------- (c) names and duplicates


def test_c_same_bytes_at_two_paths_load_once_and_the_batch_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "batch"
    (folder / "copy").mkdir(parents=True)
    shutil.copy(deck("penghu-111.pdf"), folder / "a.pdf")
    shutil.copy(deck("penghu-111.pdf"), folder / "copy" / "b.pdf")
    shutil.copy(deck("taichung-112.pptx"), folder / "c.pptx")
    db = tmp_path / "w.duckdb"
    assert main(["ingest", str(folder), "--db", str(db), "--jobs", "2"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert "2 new" in captured.out and "1 duplicates" in captured.out
    assert sorted(r[0] for r in rows(db, "SELECT file_name FROM documents")) == ["a.pdf", "c.pptx"]
    # the second path is kept as another location of the same document
    assert rows(db, "SELECT l.file_name, d.file_name FROM document_locations l JOIN documents d USING (document_id)") == [
        ("b.pdf", "a.pdf")]
    assert main(["ingest", str(folder), "--db", str(db)]) == 0  # again: nothing new, still one location
    assert rows(db, "SELECT count(*) FROM document_locations") == [(1,)]


def test_c_a_name_that_is_not_utf8_is_stored_losslessly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    raw_name = b"\xff\xfe-penghu.pdf"  # Latin-1/UTF-16 debris from a Windows share
    odd = Path(os.fsdecode(os.fsencode(folder) + b"/" + raw_name))
    shutil.copy(deck("penghu-111.pdf"), odd)
    for name in ("taichung-112.pptx", "hualien-113.pdf"):
        shutil.copy(deck(name), folder / name)
    db = tmp_path / "w.duckdb"
    assert main(["ingest", str(folder), "--db", str(db), "--jobs", "1", "--quiet"]) == 0
    assert capsys.readouterr().err == ""
    stored = dict(rows(db, "SELECT file_name, metadata FROM documents"))
    assert set(stored) == {"\\xff\\xfe-penghu.pdf", "taichung-112.pptx", "hualien-113.pdf"}
    assert bytes.fromhex(json.loads(stored["\\xff\\xfe-penghu.pdf"])["path_bytes"]) == os.fsencode(odd.resolve())
    assert main(["ingest", str(folder), "--db", str(db), "--jobs", "1"]) == 0
    assert "3 unchanged" in capsys.readouterr().out  # the same path is recognised again


def test_c_control_characters_in_names_never_reach_the_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    evil = folder / "x.pdf\nreport.pdf: encrypted PDF\x1b[2J.pdf"
    evil.write_text("<!DOCTYPE html><html></html>")
    db = tmp_path / "w.duckdb"
    main(["ingest", str(folder), "--db", str(db), "--jobs", "1", "--quiet"])
    err = capsys.readouterr().err
    assert "\x1b" not in err
    assert lines(err) == [
        f"{folder}/x.pdf\\nreport.pdf: encrypted PDF\\x1b[2J.pdf: not a PDF: the file is HTML"
    ]


def test_c_pdfminer_log_lines_name_their_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A form XObject that draws itself: pdfminer logs that it refuses the loop (read with the
    pdfplumber backend: pdfium draws nothing of it and logs nothing)."""
    path = tmp_path / "self-drawing.pdf"
    path.write_bytes(
        pdf_bytes(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
                b"/Resources << /XObject << /X1 5 0 R >> >> >>",
                b"<< /Length 20 >>\nstream\nq /X1 Do Q BT ET   \nendstream",
                b"<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] /Length 10 "
                b"/Resources << /XObject << /X1 5 0 R >> >> >>\nstream\n/X1 Do    \nendstream",
            ]
        )
    )
    main(["ingest", str(path), "--db", str(tmp_path / "w.duckdb"), "--jobs", "1", "--quiet",
          "--pdf-backend", "pdfplumber"])
    err = lines(capsys.readouterr().err)
    assert f"{path}: pdfminer: Refusing to execute circular reference to content stream 5" in err
    assert all(line.startswith(f"{path}: ") for line in err), err


# --------------------------------------------------------------------------- (d) read-only query


@pytest.mark.parametrize(
    "sql",
    [
        "COPY metrics TO '{out}/stolen.csv'",
        "COPY (SELECT 1) TO '{out}/x.parquet' (FORMAT parquet)",
        "EXPORT DATABASE '{out}/dump'",
        "SELECT * FROM read_text('/etc/passwd')",
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM glob('/etc/*')",
        "INSTALL httpfs",
        "LOAD httpfs",
        "SET enable_external_access = true",
        "DELETE FROM metrics",
        "CREATE TABLE t AS SELECT 1",
        "SELECT 1; SELECT 2",
    ],
)
def test_d_query_writes_and_reads_nothing_outside_the_warehouse(
    warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], sql: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    before = rows(warehouse, "SELECT count(*) FROM metrics")
    assert main(["query", sql.format(out=out), "--db", str(warehouse)]) == 1
    captured = capsys.readouterr()
    err = lines(captured.err)
    assert len(err) == 1 and err[0].startswith("query: refused"), err
    assert "root:" not in captured.out
    assert list(out.iterdir()) == []
    assert rows(warehouse, "SELECT count(*) FROM metrics") == before


def test_d_attach_through_a_hard_link_cannot_write(
    warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    link = tmp_path / "link.duckdb"
    os.link(warehouse, link)
    before = rows(warehouse, "SELECT count(*) FROM metrics")
    assert main(["query", f"ATTACH '{link}' AS w2 (READ_WRITE)", "--db", str(warehouse)]) == 1
    assert lines(capsys.readouterr().err)[0].startswith("query: refused ATTACH")
    assert rows(warehouse, "SELECT count(*) FROM metrics") == before


def test_d_a_script_shows_every_result(warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    script = tmp_path / "two.sql"
    script.write_text("-- both\nSELECT 41 + 1 AS answer; SELECT 'second' AS which;\n", encoding="utf-8")
    assert main(["query", "--file", str(script), "--db", str(warehouse), "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert "answer\n42" in out and "which\nsecond" in out


def test_d_an_open_query_prompt_does_not_block_an_ingest(warehouse: Path, tmp_path: Path) -> None:
    prompt = subprocess.Popen(
        [*DECKMINE, "query", "--db", str(warehouse)],
        cwd=ROOT, env=ENV, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert prompt.stdin is not None and prompt.stdout is not None
        prompt.stdin.write("SELECT 'ready' AS state;\n")
        prompt.stdin.flush()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and "ready" not in prompt.stdout.readline():
            pass
        good = tmp_path / "new.pptx"
        shutil.copy(deck("penghu-111.pptx"), good)
        shutil.copy(good, tmp_path / "ignored.txt")
        result = subprocess.run(
            [*DECKMINE, "ingest", str(good), "--db", str(warehouse), "--jobs", "1", "--quiet"],
            cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=300,
        )
        assert result.returncode == 0, result.stderr
        assert "locked" not in result.stderr
    finally:
        prompt.kill()
        prompt.wait()


# --------------------------------------------------------------------------- (e) export


def test_e_export_writes_only_inside_outdir(warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    con = duckdb.connect(str(warehouse))
    con.execute('CREATE TABLE "../../escaped" AS SELECT 1 AS x')
    con.execute("""CREATE VIEW "v"" TO '/tmp/deckmine-pwned.csv' (FORMAT csv); --" AS SELECT 1 AS x""")
    con.close()
    out = tmp_path / "a" / "b" / "out"
    before = {p for p in tmp_path.rglob("*") if p != warehouse}
    assert main(["export", str(out), "--db", str(warehouse), "--format", "csv"]) == 0
    written = {p.name for p in out.iterdir()}
    assert "metrics.csv" in written and "v_metrics.csv" in written
    assert all(not name.startswith((".", "v\"", "..")) and "escaped" not in name for name in written), written
    after = {p for p in tmp_path.rglob("*") if p != warehouse}
    assert {p for p in after - before if out not in p.parents and p != out and p not in out.parents} == set()
    assert not Path("/tmp/deckmine-pwned.csv").exists()
    assert f"wrote {len(written)} files" in capsys.readouterr().out


def test_e_export_target_must_be_a_folder(warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "notes.txt"
    target.write_text("keep me")
    assert main(["export", str(target), "--db", str(warehouse)]) == 2
    err = lines(capsys.readouterr().err)
    assert err == [f"{target}: not a folder (export writes one file per table into a folder)"]
    assert target.read_text() == "keep me"


def test_e_a_foreign_duckdb_file_is_refused_before_anything_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    foreign = tmp_path / "notes.duckdb"
    con = duckdb.connect(str(foreign))
    con.execute("CREATE TABLE documents (id INTEGER, body VARCHAR)")
    con.execute("INSERT INTO documents VALUES (1, 'my notes')")
    con.close()
    good = tmp_path / "deck.pptx"
    shutil.copy(deck("penghu-111.pptx"), good)
    for argv in (["ingest", str(good)], ["query", "SELECT 1"], ["stats"], ["export", str(tmp_path / "out")]):
        assert main([*argv, "--db", str(foreign)]) == 2, argv
        err = lines(capsys.readouterr().err)
        assert err == [f"{foreign}: not a deckmine warehouse (a DuckDB file of another program); nothing was "
                       "changed. Use --db to choose another file"], (argv, err)
    assert rows(foreign, "SELECT table_name FROM information_schema.tables") == [("documents",)]
    assert rows(foreign, "SELECT * FROM documents") == [(1, "my notes")]


# --------------------------------------------------------------------------- (f) clean failure


def test_f_a_full_disk_is_one_line_and_a_nonzero_exit(tmp_path: Path) -> None:
    """The file system refuses to let the warehouse grow (RLIMIT_FSIZE stands in for a full disk)."""

    def small_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (400_000, 400_000))

    folder = tmp_path / "batch"
    folder.mkdir()
    for name in ("taitung-112.pdf", "taitung-112.pptx", "penghu-111.pptx"):
        shutil.copy(deck(name), folder / name)
    result = subprocess.run(
        [*DECKMINE, "ingest", str(folder), "--db", str(tmp_path / "w.duckdb"), "--jobs", "1", "--quiet"],
        cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=300, preexec_fn=small_disk,
    )
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    err = lines(result.stderr)
    assert len(err) == 1 and "cannot write the warehouse" in err[0], err


def test_f_no_traceback_without_debug(warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "report-dir"
    folder.mkdir()
    assert main(["report", "--html", str(folder), "--db", str(warehouse)]) == 2
    assert lines(capsys.readouterr().err) == [f"{folder}: is a folder; give the HTML file to write, e.g. report.html"]
    missing = tmp_path / "missing.csv"
    args = ["eval", str(deck("penghu-111.pdf")), "--gold", str(missing)]
    assert main(args) != 0
    err = lines(capsys.readouterr().err)
    assert len(err) == 1 and "No such file or directory" in err[0], err
    with pytest.raises(FileNotFoundError):
        main([*args, "--debug"])


@pytest.mark.parametrize("page", ["999999999999", "0", "-1"])
def test_f_show_says_when_a_page_does_not_exist(page: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = deck("penghu-111.pdf")
    assert main(["show", str(path), "--page", page]) == 1
    captured = capsys.readouterr()
    assert lines(captured.err) == [f"{path}: no page {page}: the file has pages 1-{len(rows_pages(path))}"]
    assert captured.out == ""


def rows_pages(path: Path) -> list[int]:
    from deckmine.extractors import extract

    return [page.number for page in extract(path).pages]


def _mount_tmpfs(target: Path, options: str) -> bool:
    target.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)], capture_output=True)
    return done.returncode == 0


@pytest.mark.parametrize(
    ("options", "says"),
    [("size=1800k", "the disk is full (no space left on device)"), ("ro,size=1m", "the file system is read-only")],
)
def test_f_a_real_full_or_read_only_file_system_is_one_line(tmp_path: Path, options: str, says: str) -> None:
    """On a small or read-only tmpfs (needs root; skipped otherwise)."""
    mount = tmp_path / "mnt"
    if not _mount_tmpfs(mount, options):
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        result = subprocess.run(
            [*DECKMINE, "ingest", str(ROOT / "corpus" / "decks"), "--db", str(mount / "w.duckdb"), "--jobs", "2", "--quiet"],
            cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=300,
        )
        assert result.returncode == 2, (result.stdout, result.stderr)
        err = lines(result.stderr)
        assert len(err) == 1 and says in err[0] and "Traceback" not in result.stderr, err
        if (mount / "w.duckdb").exists():  # what was committed before the disk filled is whole
            for document_id, page_count in rows(mount / "w.duckdb", "SELECT document_id, page_count FROM documents"):
                pages = rows(mount / "w.duckdb", f"SELECT count(*) FROM pages WHERE document_id = '{document_id}'")
                assert pages == [(page_count,)]
    finally:
        subprocess.run(["umount", str(mount)], capture_output=True)
