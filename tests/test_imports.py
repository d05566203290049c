"""spaCy is imported when text is mined, not by the modules that only read word lists or drive
ingest (the ingest parent imports no spaCy; its workers import it when they mine)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _loads_spacy(statement: str) -> bool:
    code = f"import sys\n{statement}\nprint('spacy' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return result.stdout.strip().splitlines()[-1] == "True"


@pytest.mark.parametrize("statement", [
    "import deckmine.pipeline.ingest, deckmine.warehouse.store",
    "import deckmine.pipeline.cli",
    "import deckmine.extractors",
    "import deckmine.patterns.gazetteer, deckmine.patterns.linking",
    "import deckmine.patterns.mine",
])
def test_no_spacy_before_text_is_mined(statement: str) -> None:
    assert not _loads_spacy(statement)


def test_mining_text_imports_spacy() -> None:
    assert _loads_spacy("from deckmine.patterns.text_pipeline import get_nlp\nget_nlp()")
