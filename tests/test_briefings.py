"""Briefings: the renditions of one deck share a `briefing_id`, and the default views show one
rendition per briefing; two decks that differ only in their figures stay two briefings."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from deckmine.pipeline.ingest import ingest
from deckmine.warehouse.briefings import Fingerprint
from pptx import Presentation
from pptx.util import Inches, Pt

from tests.conftest import DECKS, deck

RENDITIONS = DECKS.parent / "renditions"


def make_deck(path: Path, county: str, figures: list[str], subtitle: str = "114年3月12日") -> Path:
    """A two-slide briefing: a cover (title, date) and one slide of figures."""
    presentation = Presentation()
    cover = presentation.slides.add_slide(presentation.slide_layouts[0])
    cover.shapes.title.text = f"{county}家庭支持服務推動成果"
    cover.placeholders[1].text = subtitle
    body = presentation.slides.add_slide(presentation.slide_layouts[5])
    body.shapes.title.text = "服務量能"
    box = body.shapes.add_textbox(Inches(0.5), Inches(1.5), Inches(9), Inches(4)).text_frame
    for number, line in enumerate(figures):
        paragraph = box.paragraphs[0] if number == 0 else box.add_paragraph()
        paragraph.text = line
        paragraph.font.size = Pt(20)
    presentation.save(str(path))
    return path


def briefings(db: Path) -> list[tuple[str, int, str]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "SELECT briefing_id, renditions, primary_file_type FROM v_briefings ORDER BY briefing_id"
        ).fetchall()


def test_sample_corpus_in_two_formats_is_one_briefing_per_deck(sample_db: Path) -> None:
    with duckdb.connect(str(sample_db), read_only=True) as con:
        documents = con.execute("SELECT count(*) FROM documents").fetchone()[0]
        rows = con.execute("SELECT renditions, primary_file_type, file_types FROM v_briefings").fetchall()
        shown = con.execute("SELECT DISTINCT file_type FROM v_metrics").fetchall()
        every, pptx = con.execute(
            "SELECT (SELECT count(*) FROM v_metrics_all), "
            "(SELECT count(*) FROM metrics JOIN documents USING (document_id) WHERE file_type = 'pptx')"
        ).fetchone()
        metrics = con.execute("SELECT count(*) FROM v_metrics").fetchone()[0]
        all_metrics = con.execute("SELECT count(*) FROM metrics").fetchone()[0]
    assert len(rows) == documents // 2 == len(list(DECKS.glob("*.pptx")))
    assert {row[:2] for row in rows} == {(2, "pptx")}
    assert all(row[2] == ["pdf", "pptx"] for row in rows)
    assert shown == [("pptx",)]
    assert (metrics, every) == (pptx, all_metrics)


def test_a_converted_rendition_joins_its_deck(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    summary = ingest([RENDITIONS / "penghu-111.odp", deck("penghu-111.pdf")], db, jobs=1)
    assert summary.failed == 0, summary.errors
    (briefing,) = briefings(db)
    assert briefing[1:] == (2, "odp")


def test_same_cover_different_figures_are_two_briefings(tmp_path: Path) -> None:
    folder = tmp_path / "decks"
    folder.mkdir()
    make_deck(folder / "a.pptx", "花蓮縣", ["個案管理員進用率82%(41/50)", "家庭訪視完成1,204人次"])
    make_deck(folder / "b.pptx", "花蓮縣", ["個案管理員進用率64%(32/50)", "家庭訪視完成967人次"])
    db = tmp_path / "w.duckdb"
    ingest([folder], db, jobs=1)
    assert [row[1] for row in briefings(db)] == [1, 1]


def test_a_resaved_copy_with_the_same_figures_is_the_same_briefing(tmp_path: Path) -> None:
    folder = tmp_path / "decks"
    folder.mkdir()
    figures = ["個案管理員進用率82%(41/50)", "家庭訪視完成1,204人次"]
    make_deck(folder / "a.pptx", "花蓮縣", figures)
    make_deck(folder / "b.pptx", "花蓮縣", [*figures, "另有志工協助"])  # other bytes, one line more
    db = tmp_path / "w.duckdb"
    ingest([folder], db, jobs=1)
    assert [row[1] for row in briefings(db)] == [2]


def test_another_county_or_date_is_another_briefing(tmp_path: Path) -> None:
    folder = tmp_path / "decks"
    folder.mkdir()
    figures = ["個案管理員進用率82%(41/50)", "家庭訪視完成1,204人次"]
    make_deck(folder / "a.pptx", "花蓮縣", figures)
    make_deck(folder / "b.pptx", "臺東縣", figures)
    make_deck(folder / "c.pptx", "花蓮縣", figures, subtitle="114年9月3日")
    db = tmp_path / "w.duckdb"
    ingest([folder], db, jobs=1)
    with duckdb.connect(str(db), read_only=True) as con:
        covers = con.execute("SELECT county, report_date FROM documents ORDER BY file_name").fetchall()
    assert len(set(covers)) == 3, covers  # the cover was read: county and date differ
    assert [row[1] for row in briefings(db)] == [1, 1, 1]


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("進用率82%(41/50) 訪視1,204人次", "進用率 82% (41/50)\n訪視 1,204 人次", True),  # line breaks, spaces
        ("進用率82%(41/50) 訪視1,204人次", "進用率64%(32/50) 訪視967人次", False),  # other figures
        ("進用率82%(41/50) 訪視1,204人次", "開案數量與轉介來源統計說明", False),  # other text
        ("", "", False),
    ],
)
def test_fingerprints(first: str, second: str, same: bool) -> None:
    assert Fingerprint(first).same_briefing(Fingerprint(second)) is same


def test_a_briefing_is_named_the_same_whatever_order_its_files_come_in(tmp_path: Path) -> None:
    pdf, pptx = deck("hualien-113.pdf"), deck("hualien-113.pptx")
    ingest([pdf], tmp_path / "a.duckdb", jobs=1)
    ingest([pptx], tmp_path / "a.duckdb", jobs=1)
    ingest([pptx], tmp_path / "b.duckdb", jobs=1)
    ingest([pdf], tmp_path / "b.duckdb", jobs=1)
    first, second = briefings(tmp_path / "a.duckdb"), briefings(tmp_path / "b.duckdb")
    assert first == second and len(first) == 1 and first[0][1:] == (2, "pptx")
