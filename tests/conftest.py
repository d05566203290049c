"""Shared fixtures: paths to the sample corpus and a warehouse built from it once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DECKS = ROOT / "corpus" / "decks"
FIXTURES = ROOT / "tests" / "fixtures"


def deck(name: str) -> Path:
    path = DECKS / name
    if not path.exists():
        pytest.fail(f"sample deck {path} is missing: run `make corpus`")
    return path


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return DECKS


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse with the whole sample corpus loaded (read it, don't write to it)."""
    from deckmine.pipeline.ingest import ingest

    db = tmp_path_factory.mktemp("warehouse") / "sample.duckdb"
    summary = ingest([DECKS], db, jobs=1)
    assert summary.failed == 0, summary.errors
    return db


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A private copy of the sample decks that a test may rename, change or delete."""
    target = tmp_path / "decks"
    shutil.copytree(DECKS, target)
    return target
