"""Tests for the sample corpus: the spec parser, the PPTX builder and the committed decks."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.shapes.group import GroupShape

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


def _load_build_module():
    spec = importlib.util.spec_from_file_location("corpus_build", CORPUS / "build.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["corpus_build"] = module
    spec.loader.exec_module(module)
    return module


build = _load_build_module()

EXPECTED_SLIDES = {
    "taitung-112": 38,
    "taichung-112": 24,
    "penghu-111": 15,
    "hualien-113": 13,
    "pingtung-113": 14,
    "yilan-112": 14,
}

SMALL_SPEC = """
deck: tiny
county: 花蓮縣
--- slide
title: 測試 **粗體**
notes: 訪視率12.24%
text @1,3,10,2 size=18
  第一段 **粗** 字
  - 條列項目
group name=outer
  text @1,6,5,1
    外層
  group name=inner
    text @7,6,5,1
      內層
--- slide
table @1,3,20,6 widths=2,1,1 header=2
  {rs=2 vert} 指標 | {cs=2} 112年 | ~
  ~ | 核定 | 進用
  社福中心 | 24 | 20
chart pie @1,10,10,8 title="占比" format="0.0%"
  categories: 甲 | 乙
  series 比率: 0.25 | 0.75
"""


def _slide_texts(path: Path) -> list[list[str]]:
    """Every text of every slide (shapes, group members, table cells) in document order."""

    def texts_of(shapes) -> list[str]:
        found: list[str] = []
        for shape in shapes:
            if isinstance(shape, GroupShape):
                found.extend(texts_of(shape.shapes))
            elif shape.has_text_frame:
                found.append(shape.text_frame.text)
            elif getattr(shape, "has_table", False) and shape.has_table:
                found.extend(cell.text for row in shape.table.rows for cell in row.cells)
        return found

    return [texts_of(slide.shapes) for slide in Presentation(str(path)).slides]


def _tables(slide) -> list:
    return [shape.table for shape in slide.shapes if shape.has_table]


def _charts(slide) -> list:
    return [shape.chart for shape in slide.shapes if shape.has_chart]


def test_parse_runs_turns_markers_into_bold_runs() -> None:
    runs = build.parse_runs("由家庭中心轉型為『**專業脆弱家庭個案管理**』並")
    assert [(run.text, run.bold) for run in runs] == [
        ("由家庭中心轉型為『", False),
        ("專業脆弱家庭個案管理", True),
        ("』並", False),
    ]


def test_parse_small_spec() -> None:
    deck = build.parse_spec(SMALL_SPEC)
    assert deck.meta["county"] == "花蓮縣"
    first, second = deck.slides
    assert first.title == "測試 **粗體**"
    assert first.notes == ["訪視率12.24%"]
    text_box, group = first.shapes
    assert [p.text for p in text_box.paragraphs] == ["第一段 粗 字", "條列項目"]
    assert [p.bullet for p in text_box.paragraphs] == [False, True]
    assert text_box.geometry == (1.0, 3.0, 10.0, 2.0)
    assert group.name == "outer"
    assert isinstance(group.children[1], build.GroupSpec)
    table, chart = second.shapes
    assert table.rows[0][0].vertical and table.rows[0][0].row_span == 2
    assert table.rows[0][1].col_span == 2 and table.rows[0][2].covered
    assert table.widths == [2.0, 1.0, 1.0] and table.header_rows == 2
    assert chart.kind == "pie" and chart.number_format == "0.0%"
    assert chart.series[0].values == [0.25, 0.75]


def test_ragged_table_row_is_an_error_naming_the_line() -> None:
    bad = "deck: x\n--- slide\ntable @1,1,5,5\n  a | b\n  c\n"
    with pytest.raises(build.SpecError, match="line 5"):
        build.parse_spec(bad)


def test_build_small_spec(tmp_path: Path) -> None:
    out = tmp_path / "tiny.pptx"
    build.build_pptx(build.parse_spec(SMALL_SPEC), out)
    presentation = Presentation(str(out))
    assert (presentation.slide_width, presentation.slide_height) == (12192000, 6858000)
    first, second = presentation.slides
    assert first.shapes.title.text_frame.text == "測試 粗體"
    bold_runs = [r.text for r in first.shapes.title.text_frame.paragraphs[0].runs if r.font.bold]
    assert "粗體" in bold_runs
    assert first.notes_slide.notes_text_frame.text == "訪視率12.24%"
    outer = next(shape for shape in first.shapes if isinstance(shape, GroupShape))
    assert any(isinstance(child, GroupShape) for child in outer.shapes)
    table = _tables(second)[0]
    assert table.cell(0, 1).span_width == 2 and table.cell(0, 0).span_height == 2
    assert table.cell(0, 0)._tc.tcPr.get("vert") == "vert270"
    chart = _charts(second)[0]
    assert list(chart.plots[0].categories) == ["甲", "乙"]


@pytest.mark.parametrize("name", sorted(EXPECTED_SLIDES))
def test_spec_slide_counts(name: str) -> None:
    deck = build.parse_spec((CORPUS / "specs" / f"{name}.deck").read_text(encoding="utf-8"))
    assert len(deck.slides) == EXPECTED_SLIDES[name]
    assert deck.meta["deck"] == name


@pytest.mark.parametrize("name", sorted(EXPECTED_SLIDES))
def test_committed_deck_matches_a_fresh_build(name: str, tmp_path: Path) -> None:
    committed = CORPUS / "decks" / f"{name}.pptx"
    assert (CORPUS / "decks" / f"{name}.pdf").exists()
    fresh = tmp_path / f"{name}.pptx"
    build.build_pptx(
        build.parse_spec((CORPUS / "specs" / f"{name}.deck").read_text("utf-8")), fresh
    )
    assert len(Presentation(str(committed)).slides) == EXPECTED_SLIDES[name]
    assert _slide_texts(fresh) == _slide_texts(committed)


def test_every_run_uses_the_cjk_font() -> None:
    presentation = Presentation(str(CORPUS / "decks" / "taitung-112.pptx"))
    east_asian = {
        ea.get("typeface")
        for slide in presentation.slides
        for ea in slide._element.iter(qn("a:ea"))
    }
    assert east_asian == {build.FONT_NAME}


def test_taitung_tables_charts_groups_notes() -> None:
    slides = Presentation(str(CORPUS / "decks" / "taitung-112.pptx")).slides
    assert slides[0].shapes.title.text_frame.text.startswith("臺東縣辦理")
    chart = _charts(slides[3])[0]
    assert list(chart.plots[0].categories) == ["111年", "112年1-3月"]
    assert [(s.name, list(s.values)) for s in chart.series] == [
        ("核定", [105.0, 128.0]),
        ("進用", [103.0, 101.0]),
    ]
    assert "55,269 人次" in "\n".join(_slide_texts_of(slides[5]))
    psychiatric = _tables(slides[23])[1]
    assert psychiatric.cell(0, 1).text == "衛生局" and psychiatric.cell(0, 1).span_width == 3
    assert psychiatric.cell(0, 4).text == "臺北榮民總醫院臺東分院"
    assert psychiatric.cell(0, 4).span_width == 4
    totals = [int(psychiatric.cell(4, c).text) for c in range(1, 8)]
    parts = [
        int(psychiatric.cell(2, c).text) + int(psychiatric.cell(3, c).text) for c in range(1, 8)
    ]
    assert totals == parts == [16, 11, 5, 6, 4, 1, 0]
    counselling = _tables(slides[24])[0]
    assert (
        counselling.cell(4, 0).text.startswith("增加率") and counselling.cell(4, 0).span_width == 5
    )
    assert counselling.cell(4, 5).text == "8.92%"
    nested = [s for s in slides[13].shapes if isinstance(s, GroupShape)][0]
    assert any(isinstance(child, GroupShape) for child in nested.shapes)
    assert "4.74%" in slides[13].notes_slide.notes_text_frame.text


def _slide_texts_of(slide) -> list[str]:
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame] + [
        child.text_frame.text
        for shape in slide.shapes
        if isinstance(shape, GroupShape)
        for child in shape.shapes
        if child.has_text_frame
    ]


def test_penghu_vertical_headers_are_written_correctly() -> None:
    slides = Presentation(str(CORPUS / "decks" / "penghu-111.pptx")).slides
    table = _tables(slides[7])[0]
    header = table.cell(0, 0)
    assert header.text == "績效指標"
    assert header._tc.tcPr.get("vert") == "vert270"
    assert table.cell(2, 0).text == "24小時內處理\n比率"
    chart = _charts(slides[2])[0]
    assert chart.plots[0].data_labels.number_format == "0.0%"
    assert list(chart.series[0].values) == [1.0, 2.944, 1.742]
    rate_texts = "\n".join(_slide_texts(CORPUS / "decks" / "penghu-111.pptx")[4])
    assert "開戶率91.80%(74/68)" in rate_texts


def test_hualien_totals_one_adds_up_one_does_not() -> None:
    slides = Presentation(str(CORPUS / "decks" / "hualien-113.pptx")).slides
    staffing = _tables(slides[3])[0]
    assert staffing.cell(0, 1).text == "112年" and staffing.cell(0, 3).text == "113年1-6月"
    for column in range(1, 5):
        values = [int(staffing.cell(row, column).text) for row in range(2, 6)]
        assert sum(values[:-1]) == values[-1]
    reports = _tables(slides[6])[0]
    assert reports.cell(0, 0)._tc.tcPr.get("vert") == "vert270"
    column_112 = [int(reports.cell(r, 1).text.replace(",", "")) for r in range(1, 6)]
    column_113 = [int(reports.cell(r, 2).text.replace(",", "")) for r in range(1, 6)]
    assert sum(column_112[:-1]) == column_112[-1] == 2344
    assert sum(column_113[:-1]) == 1192 != column_113[-1]
    chart = _charts(slides[2])[0]
    assert chart.plots[0].data_labels.number_format == "0%"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_convert_to_pdf(tmp_path: Path) -> None:
    pdfplumber = pytest.importorskip("pdfplumber")
    pptx_path = tmp_path / "tiny.pptx"
    build.build_pptx(build.parse_spec(SMALL_SPEC), pptx_path)
    [pdf_path] = build.convert_to_pdf([pptx_path], tmp_path / "pdf")
    with pdfplumber.open(pdf_path) as pdf:
        assert len(pdf.pages) == 2
        assert "訪視率" not in pdf.pages[0].extract_text()  # notes are not printed
        assert "第一段" in pdf.pages[0].extract_text()
