"""`deckmine audit` and `deckmine report` through the command line, on the sample warehouse."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from deckmine.pipeline.cli import main


@pytest.fixture
def warehouse(sample_db: Path, tmp_path: Path) -> Path:
    """A copy: the audit writes its cross-document findings."""
    copy = tmp_path / "w.duckdb"
    shutil.copy(sample_db, copy)
    return copy


def audit_rows(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, str]]:
    assert main(["audit", *args, "--format", "csv"]) == 0
    return list(csv.DictReader(io.StringIO(capsys.readouterr().out)))


def test_audit_lists_one_rendition_per_briefing(warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    brief = audit_rows(capsys, "--db", str(warehouse), "--status", "mismatch")
    every = audit_rows(capsys, "--db", str(warehouse), "--status", "mismatch", "--every-rendition")
    assert brief and {row["status"] for row in brief} == {"mismatch"}
    assert {Path(row["file_name"]).suffix for row in brief} == {".pptx"}
    assert {Path(row["file_name"]).suffix for row in every} == {".pdf", ".pptx"}
    assert len(every) > len(brief)
    assert "bbox" not in brief[0] and {"message", "page", "expression"} <= set(brief[0])


def test_audit_filters_by_county_and_document(warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    taitung = audit_rows(capsys, "--db", str(warehouse), "--county", "台東縣")
    assert taitung and {row["county"] for row in taitung} == {"臺東縣"}
    named = audit_rows(capsys, "--db", str(warehouse), "--document", "penghu-111.pdf")
    assert named and {row["file_name"] for row in named} == {"penghu-111.pdf"}


def test_audit_table_shows_the_page_to_look_at(warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "--db", str(warehouse), "--status", "reversed"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["status", "check", "county", "file_name", "page", "message"]
    assert any("reversed" in line and ".pptx" in line for line in lines[2:])


def test_report_writes_the_page_and_prints_its_address(warehouse: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "audit.html"
    assert main(["report", "--html", str(out), "--db", str(warehouse)]) == 0
    assert capsys.readouterr().out.strip() == f"wrote {out.resolve().as_uri()}"
    page = out.read_text(encoding="utf-8")
    assert "<html" in page and "taitung-112.pptx" in page
