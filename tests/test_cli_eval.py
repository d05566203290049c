"""`deckmine eval` through the CLI: figure gold, audit gold, both, and neither."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from deckmine.pipeline.cli import main

from tests.conftest import deck

GOLD = Path(__file__).resolve().parent / "gold"


def test_eval_scores_figures_and_audit_in_one_run(capsys: pytest.CaptureFixture[str]) -> None:
    path = deck("mohw-113.pdf")
    args = ["eval", str(path), "--gold", str(GOLD / "mohw-113.csv"), "--audit", str(GOLD / "audit" / "mohw-113.csv")]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "percent  precision 1.000  recall 1.000  (gold 112" in out
    assert "audit: inconsistencies found 14 of 14" in out and "false alarms 0" in out
    assert main([*args, "--json"]) == 0
    scores = json.loads(capsys.readouterr().out)
    assert (scores["audit"]["found"], scores["audit"]["false_alarms"]) == (14, 0)


def test_eval_lists_what_the_audit_missed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", str(deck("penghu-111.pptx")), "--audit", str(GOLD / "audit" / "penghu-111.csv"),
                 "--details"]) == 0
    out = capsys.readouterr().out
    assert "found 3 of 4" in out and "missed       p8 target_missed 99.68" in out


def test_eval_needs_a_gold(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", str(deck("penghu-111.pdf"))]) == 2
    assert capsys.readouterr().err.strip() == "eval: give --gold GOLD.csv, --audit AUDIT.csv or both"
