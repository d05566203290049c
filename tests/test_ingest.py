"""`deckmine ingest` as a user runs it: real decks in, rows in DuckDB out, bad files reported."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import duckdb
import pytest
from deckmine.pipeline.cli import main
from deckmine.pipeline.ingest import ingest
from pptx import Presentation

from tests.conftest import DECKS, FIXTURES, deck


def table_counts(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("documents", "pages", "blocks", "table_cells", "metrics", "findings")
        }
    finally:
        con.close()


def test_ingest_stores_documents_pages_and_blocks(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    pdf, pptx = deck("taitung-112.pdf"), deck("taitung-112.pptx")
    assert main(["ingest", str(pdf), str(pptx), "--db", str(db), "--jobs", "1", "--quiet"]) == 0
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute(
        "SELECT file_name, file_type, page_count, document_id, county FROM documents ORDER BY file_name"
    ).fetchall()
    assert [(r[0], r[1]) for r in rows] == [("taitung-112.pdf", "pdf"), ("taitung-112.pptx", "pptx")]
    import hashlib

    assert rows[0][3] == hashlib.sha256(pdf.read_bytes()).hexdigest()
    assert rows[0][2] == rows[1][2] == len(Presentation(str(pptx)).slides)
    assert {r[4] for r in rows} == {"臺東縣"}
    pages = con.execute("SELECT count(*) FROM pages WHERE document_id = ?", [rows[0][3]]).fetchone()[0]
    assert pages == rows[0][2]
    cell = con.execute(
        "SELECT count(*) FROM table_cells WHERE text = '346.6' AND document_id = ?", [rows[0][3]]
    ).fetchone()[0]
    assert cell == 1
    text = con.execute(
        "SELECT count(*) FROM pages WHERE text LIKE '%總受益55,269人次%' AND document_id = ?", [rows[0][3]]
    ).fetchone()[0]
    assert text == 1


def test_reingest_changes_nothing(tmp_path: Path, sample_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "again.duckdb"
    shutil.copy(sample_db, db)
    before = table_counts(db)
    assert main(["ingest", str(DECKS), "--db", str(db), "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    n_files = len([p for p in DECKS.iterdir() if p.suffix in (".pdf", ".pptx")])
    assert f"0 new, 0 changed, 0 moved, {n_files} unchanged, 0 failed" in out
    assert table_counts(db) == before
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM ingest_runs").fetchone()[0] == 2


def test_moved_file_keeps_rows_and_updates_path(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    first = tmp_path / "a" / "penghu.pdf"
    first.parent.mkdir()
    shutil.copy(deck("penghu-111.pdf"), first)
    ingest([first], db, jobs=1)
    before = table_counts(db)
    moved = tmp_path / "b" / "renamed.pdf"
    moved.parent.mkdir()
    first.rename(moved)
    summary = ingest([moved], db, jobs=1)
    assert (summary.moved, summary.new) == (1, 0)
    assert table_counts(db) == before
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT path, file_name FROM documents").fetchall() == [(str(moved.resolve()), "renamed.pdf")]


def test_changed_file_replaces_its_old_rows(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    target = tmp_path / "deck.pptx"
    shutil.copy(deck("penghu-111.pptx"), target)
    ingest([target], db, jobs=1)
    old_id = duckdb.connect(str(db), read_only=True).execute("SELECT document_id FROM documents").fetchone()[0]
    shutil.copy(deck("taichung-112.pptx"), target)  # same path, new bytes
    summary = ingest([target], db, jobs=1)
    assert summary.changed == 1
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT county FROM documents").fetchall() == [("臺中市",)]
    for table in ("pages", "blocks", "metrics"):
        leftover = con.execute(f"SELECT count(*) FROM {table} WHERE document_id = ?", [old_id]).fetchone()[0]
        assert leftover == 0, table


# --- bad input: one line per file on stderr, the rest of the batch still loads ------------------


def make_bad_files(folder: Path) -> dict[str, str]:
    """Write one file per failure mode; return file name -> the reason the user must see."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "empty.pdf").write_bytes(b"")
    good = deck("penghu-111.pdf").read_bytes()
    (folder / "truncated.pdf").write_bytes(good[: len(good) // 3])
    (folder / "webpage.pdf").write_text("<!DOCTYPE html><html><body>Not found</body></html>")
    with zipfile.ZipFile(folder / "photos.pptx", "w") as archive:
        archive.writestr("photo.txt", "not a presentation")
    Presentation().save(str(folder / "noslides.pptx"))
    shutil.copy(FIXTURES / "pdf" / "encrypted.pdf", folder / "encrypted.pdf")
    shutil.copy(FIXTURES / "pdf" / "cid_only.pdf", folder / "glyphs.pdf")
    return {
        "empty.pdf": "empty file",
        "truncated.pdf": "PDF",
        "webpage.pdf": "not a PDF: the file is HTML",
        "photos.pptx": "not a PPTX",
        "noslides.pptx": "no slides",
        "encrypted.pdf": "encrypted",
        "glyphs.pdf": "unreadable",
    }


def test_bad_files_are_reported_one_line_each_and_good_ones_load(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "batch"
    expected = make_bad_files(folder)
    shutil.copy(deck("penghu-111.pptx"), folder / "good.pptx")
    notes = tmp_path / "notes.docx"
    notes.write_text("x")
    db = tmp_path / "w.duckdb"
    status = main(["ingest", str(folder), str(notes), "--db", str(db), "--jobs", "1"])
    err_lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert status == 0  # something loaded
    for name, reason in expected.items():
        matching = [line for line in err_lines if line.startswith(str(folder / name) + ": ")]
        assert len(matching) == 1, (name, err_lines)
        assert reason.lower() in matching[0].lower(), matching[0]
    assert any(line.startswith(f"{notes}: unsupported file type '.docx'") for line in err_lines)
    assert len(err_lines) == len(expected) + 1  # one line each, no traceback
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT file_name FROM documents").fetchall() == [("good.pptx",)]


def test_exit_status_is_nonzero_only_when_nothing_loaded_or_strict(tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    make_bad_files(folder)
    assert main(["ingest", str(folder), "--db", str(tmp_path / "a.duckdb"), "--quiet", "--jobs", "1"]) == 1
    shutil.copy(deck("penghu-111.pptx"), folder / "good.pptx")
    assert main(["ingest", str(folder), "--db", str(tmp_path / "b.duckdb"), "--quiet", "--jobs", "1"]) == 0
    args = ["ingest", str(folder), "--db", str(tmp_path / "c.duckdb"), "--quiet", "--strict", "--jobs", "1"]
    assert main(args) == 1


def test_file_that_disappears_mid_batch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The second file is deleted after the batch was planned, while the first is processed."""
    from deckmine.pipeline import ingest as ingest_module

    folder = tmp_path / "batch"
    folder.mkdir()
    first, second = folder / "a.pptx", folder / "b.pdf"
    shutil.copy(deck("penghu-111.pptx"), first)
    shutil.copy(deck("penghu-111.pdf"), second)

    class DeleteSecond(ingest_module.Progress):
        def advance(self, result: object) -> None:
            second.unlink(missing_ok=True)

    summary = ingest([folder], tmp_path / "w.duckdb", jobs=1, progress=DeleteSecond(), on_error=print)
    assert (summary.new, summary.failed) == (1, 1)
    assert f"{second}: file not found" in capsys.readouterr().out
