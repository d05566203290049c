"""The stat cache: an unchanged re-ingest trusts a file's recorded sha256 instead of reading it
again, and never trusts it when the file may have changed."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import duckdb
import pytest
from deckmine.pipeline import planning
from deckmine.pipeline.ingest import ingest

from tests.conftest import deck

DAY_NS = 86_400 * 10**9


@pytest.fixture
def hashes(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every path ingest reads to hash it."""
    seen: list[Path] = []
    real = planning.sha256_of

    def counting(path: Path) -> str:
        seen.append(path)
        return real(path)

    monkeypatch.setattr(planning, "sha256_of", counting)
    return seen


def settled_copy(source: Path, folder: Path) -> Path:
    """A copy whose modification time is a day old (well outside the racy window)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / source.name
    shutil.copy(source, target)
    old = time.time_ns() - DAY_NS
    os.utime(target, ns=(old, old))
    return target


def test_unchanged_reingest_reads_no_file(tmp_path: Path, hashes: list[Path]) -> None:
    folder = tmp_path / "decks"
    settled_copy(deck("yilan-112.pptx"), folder)
    settled_copy(deck("penghu-111.pptx"), folder)
    db = tmp_path / "w.duckdb"
    assert ingest([folder], db, jobs=1).new == 2
    assert len(hashes) == 2
    hashes.clear()
    summary = ingest([folder], db, jobs=1)
    assert (summary.unchanged, hashes) == (2, [])


def test_rewritten_file_is_hashed_and_replaced(tmp_path: Path, hashes: list[Path]) -> None:
    folder = tmp_path / "decks"
    target = settled_copy(deck("yilan-112.pptx"), folder)
    db = tmp_path / "w.duckdb"
    ingest([folder], db, jobs=1)
    shutil.copy(deck("penghu-111.pptx"), target)  # new bytes, new mtime, same path
    hashes.clear()
    summary = ingest([folder], db, jobs=1)
    assert (summary.changed, hashes) == (1, [target])
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT county FROM documents").fetchall() == [("澎湖縣",)]


def test_same_size_and_mtime_but_new_inode_is_hashed(tmp_path: Path, hashes: list[Path]) -> None:
    folder = tmp_path / "decks"
    target = settled_copy(deck("yilan-112.pptx"), folder)
    db = tmp_path / "w.duckdb"
    ingest([folder], db, jobs=1)
    stat = target.stat()
    replacement = tmp_path / "replacement.pptx"
    shutil.copy(target, replacement)
    os.replace(replacement, target)  # another file at the path: a new inode
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    hashes.clear()
    assert ingest([folder], db, jobs=1).unchanged == 1
    assert hashes == [target]


def test_file_modified_just_before_it_was_recorded_is_hashed_again(tmp_path: Path, hashes: list[Path]) -> None:
    folder = tmp_path / "decks"
    folder.mkdir()
    fresh = folder / "yilan-112.pptx"
    shutil.copy(deck("yilan-112.pptx"), fresh)  # mtime: now, inside the racy window
    db = tmp_path / "w.duckdb"
    ingest([folder], db, jobs=1)
    hashes.clear()
    assert ingest([folder], db, jobs=1).unchanged == 1
    assert hashes == [fresh]


def test_force_hashes_everything(tmp_path: Path, hashes: list[Path]) -> None:
    folder = tmp_path / "decks"
    settled_copy(deck("yilan-112.pptx"), folder)
    db = tmp_path / "w.duckdb"
    ingest([folder], db, jobs=1)
    hashes.clear()
    assert ingest([folder], db, jobs=1, force=True).changed == 1
    assert len(hashes) == 1
