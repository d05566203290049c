"""Tests of the PPTX reader on the fixtures in tests/fixtures/pptx/ (built by make_fixtures.py there)
and on the sample deck corpus/decks/taitung-112.pptx."""

from __future__ import annotations

from pathlib import Path

import pytest
from deckmine.extractors.model import (
    ChartBlock,
    Document,
    ExtractionError,
    NotesBlock,
    TableBlock,
    TextBlock,
)
from deckmine.extractors.pptx_reader import read_pptx

FIXTURES = Path(__file__).parent / "fixtures" / "pptx"
REPO = Path(__file__).resolve().parents[1]
TAITUNG = REPO / "corpus" / "decks" / "taitung-112.pptx"


@pytest.fixture(scope="module")
def features() -> Document:
    return read_pptx(FIXTURES / "features.pptx", sha256="f" * 64)


def _text_blocks(document: Document, page: int) -> list[TextBlock]:
    return [b for b in document.pages[page - 1].blocks if isinstance(b, TextBlock)]


def _block_with_text(document: Document, page: int, text: str) -> TextBlock:
    matches = [b for b in _text_blocks(document, page) if b.text == text]
    assert len(matches) == 1, [b.text for b in _text_blocks(document, page)]
    return matches[0]


def test_document_metadata_and_pages(features: Document) -> None:
    assert features.file_type == "pptx"
    assert features.sha256 == "f" * 64
    assert features.page_count == 5
    assert [page.number for page in features.pages] == [1, 2, 3, 4, 5]
    assert features.metadata["title"] == "臺東縣 112 年 簡報"
    assert features.metadata["author"] == "fixture author"
    assert features.metadata["subject"] == "強化社會安全網"
    assert features.metadata["created"].startswith("2013-01-27T")
    assert (features.pages[0].width, features.pages[0].height) == (720.0, 540.0)
    assert features.metadata["hidden_slides"] == [5]
    assert features.warnings == []


def test_title_comes_first_with_spacing_normalised(features: Document) -> None:
    page = features.pages[0]
    assert page.title == "人力進用概況"
    first = page.blocks[0]
    assert isinstance(first, TextBlock) and first.is_title
    assert first.text == "人力進用概況"
    assert sum(isinstance(b, TextBlock) and b.is_title for b in page.blocks) == 1


def test_paragraphs_become_lines_with_font_size_and_bold(features: Document) -> None:
    block = _block_with_text(features, 1, "核定105名\n進用103名\n進用率98%")
    assert [line.font_size for line in block.lines] == [20.0, 14.0, 14.0]
    assert [line.bold for line in block.lines] == [True, None, None]
    assert block.font_size == 20.0
    assert block.bbox is not None and block.bbox.as_list() == [36.0, 120.0, 336.0, 200.0]
    assert block.shape_name == "TextBox 2"
    assert "in_group" not in block.flags


def test_vertical_text_box_is_flagged(features: Document) -> None:
    assert _block_with_text(features, 1, "直書文字").flags == ["vertical"]


def test_nested_group_coordinates_are_mapped_to_the_slide(features: Document) -> None:
    nested = _block_with_text(features, 1, "巢狀群組")
    outer = _block_with_text(features, 1, "外層群組")
    assert nested.flags == ["in_group"] and outer.flags == ["in_group"]
    # inner: child (1020,1010)+(100x40) -> outer space (110,5)+(50x20) -> slide (520,255)+(100x20)
    assert nested.bbox is not None and nested.bbox.as_list() == [520.0, 255.0, 620.0, 275.0]
    # outer's own child (10,60)+(50x20), scaled 2x horizontally and moved to (300,250)
    assert outer.bbox is not None and outer.bbox.as_list() == [320.0, 310.0, 420.0, 330.0]


def test_picture_alt_text_only_when_written(features: Document) -> None:
    alt = [b for b in _text_blocks(features, 1) if "alt_text" in b.flags]
    assert [b.text for b in alt] == ["臺東縣16鄉鎮地圖"]  # the other picture's descr is a file name


def test_notes_are_the_last_block(features: Document) -> None:
    last = features.pages[0].blocks[-1]
    assert isinstance(last, NotesBlock) and last.bbox is None
    assert last.text == "111年核定105名。\n仍持續招募中。"
    assert not any(isinstance(b, NotesBlock) for b in features.pages[1].blocks)


def test_table_merged_cells_and_vertical_cell(features: Document) -> None:
    tables = [b for b in features.pages[1].blocks if isinstance(b, TableBlock)]
    assert len(tables) == 1
    table = tables[0]
    assert (table.n_rows, table.n_cols) == (4, 3)
    assert table.grid() == [
        ["年度", "服務量", None],
        ["110年", "1211", "318.2"],
        ["111年", "1219", "346.6"],
        ["合計", "2430", None],
    ]
    cells = {(cell.row, cell.col): cell for cell in table.cells}
    assert len(table.cells) == 10  # the two spanned positions are not emitted
    assert (cells[0, 1].row_span, cells[0, 1].col_span) == (1, 2)
    assert cells[0, 0].flags == ["vertical"]
    assert cells[2, 2].flags == []
    merged_box = cells[0, 1].bbox
    assert merged_box is not None and merged_box.as_list() == [236.0, 100.0, 636.0, 150.0]


def test_chart_categories_series_and_number_format(features: Document) -> None:
    charts = [b for b in features.pages[2].blocks if isinstance(b, ChartBlock)]
    assert len(charts) == 2
    bar, combo = charts
    assert bar.title == "人力進用（名）"
    assert bar.chart_type == "COLUMN_CLUSTERED"
    assert bar.categories == ["111年", "112年1-3月"]
    assert [(s.name, s.values, s.number_format) for s in bar.series] == [
        ("核定", [105.0, 128.0], "#,##0"),
        ("進用", [103.0, 101.0], "#,##0"),
    ]
    assert combo.chart_type == "COLUMN_CLUSTERED+LINE_MARKERS"
    assert combo.flags == ["multi_plot"]
    assert combo.categories == ["110年", "111年", "112年"]
    assert [(s.name, s.values, s.number_format) for s in combo.series] == [
        ("服務人次", [4083.0, 4476.0, 5000.0], "0"),
        ("達成率", [0.81, 0.9, 1.0], "0.0%"),
    ]


def test_smartart_texts_from_the_diagram_data_part(features: Document) -> None:
    smartart = [b for b in _text_blocks(features, 4) if "smartart" in b.flags]
    assert len(smartart) == 1
    # doc, parTrans and pres points are structure; empty nodes give nothing
    assert [line.text for line in smartart[0].lines] == ["通報110年", "派案", "評估", "結案追蹤"]
    frame_box = smartart[0].bbox
    assert frame_box is not None and frame_box.as_list() == [50.0, 150.0, 650.0, 400.0]


def test_shapes_inside_alternate_content_are_read_once(features: Document) -> None:
    texts = [b.text for b in _text_blocks(features, 4)]
    assert "公式框110年" in texts
    assert "替代圖" not in texts


def test_reading_order_top_to_bottom_then_left_to_right(features: Document) -> None:
    page = features.pages[4]
    assert page.title is None
    # the left boxes sit 2-3 pt lower than the right ones on the same row
    assert [b.text for b in page.blocks] == ["左上", "右上", "中間", "左下", "右下"]


@pytest.mark.parametrize(
    ("fixture", "message_start"),
    [
        ("not_a_deck.pptx", "damaged PPTX: KeyError: no relationship of type"),
        ("broken_slide.pptx", "damaged PPTX: ppt/slides/slide1.xml is not well-formed XML ("),
        ("missing_slide.pptx", "damaged PPTX: KeyError:"),
    ],
)
def test_damaged_decks_raise_one_line_errors(fixture: str, message_start: str) -> None:
    with pytest.raises(ExtractionError) as caught:
        read_pptx(FIXTURES / fixture, sha256="0" * 64)
    message = str(caught.value)
    assert message.startswith(message_start)
    assert "\n" not in message and len(message) < 240


def test_unreadable_shape_becomes_a_page_warning() -> None:
    document = read_pptx(FIXTURES / "dangling_smartart.pptx", sha256="0" * 64)
    page = document.pages[0]
    assert [b.text for b in page.blocks] == ["服務流程", "圖表下方說明"]
    assert page.warnings == ["shape 20 '資料庫圖表 19': KeyError: no relationship with key 'rId99'"]
    assert document.warnings == ["slide 1: " + page.warnings[0]]


def test_deck_without_slides_is_an_error() -> None:
    with pytest.raises(ExtractionError, match="^deck has no slides$"):
        read_pptx(FIXTURES / "no_slides.pptx", sha256="0" * 64)


@pytest.fixture(scope="module")
def taitung() -> Document:
    return read_pptx(TAITUNG, sha256="t" * 64)


def test_taitung_counselling_table(taitung: Document) -> None:
    tables = [b for b in taitung.blocks() if isinstance(b, TableBlock)]
    counselling = [t for t in tables if t.shape_name == "輔導中心服務人數"]
    assert len(counselling) == 1
    grid = counselling[0].grid()
    assert grid[0][5] == "平均接案服務人次"
    assert grid[2][0] == "111年" and grid[2][5] == "346.6"
    assert grid[1][5] == "318.2"


def test_taitung_staffing_chart(taitung: Document) -> None:
    chart = next(b for b in taitung.pages[3].blocks if isinstance(b, ChartBlock))
    assert chart.title == "人力進用（名）"
    assert chart.categories == ["111年", "112年1-3月"]
    assert {s.name: s.values for s in chart.series} == {
        "核定": [105.0, 128.0],
        "進用": [103.0, 101.0],
    }
    assert chart.series[0].number_format == "#,##0"


def test_taitung_group_text_and_notes(taitung: Document) -> None:
    page = taitung.pages[3]
    assert page.title == "臺東縣社會安全網人力進用概況"
    grouped = [b.text for b in page.blocks if "in_group" in b.flags]
    assert "核定105名\n進用103名" in grouped
    notes = page.blocks[-1]
    assert isinstance(notes, NotesBlock)
    assert notes.text.startswith("111年核定105名、進用103名")


def test_taitung_cover_title_joins_its_two_lines(taitung: Document) -> None:
    assert taitung.page_count == 38
    assert taitung.pages[0].title == "臺東縣辦理強化社會安全網成果暨推動策略及亮點分享"
    assert taitung.warnings == []


def test_penghu_vertical_header_cells() -> None:
    document = read_pptx(REPO / "corpus" / "decks" / "penghu-111.pptx", sha256="p" * 64)
    table = next(
        b for b in document.blocks() if isinstance(b, TableBlock) and b.shape_name == "績效指標"
    )
    cells = {(cell.row, cell.col): cell for cell in table.cells}
    header = cells[0, 0]
    assert (header.text, header.row_span, header.flags) == ("績效指標", 2, ["vertical"])
    assert (cells[0, 1].text, cells[0, 1].col_span) == ("目標值", 3)
    assert cells[2, 0].flags == ["vertical"] and cells[2, 0].text == "24小時內處理\n比率"
    assert cells[0, 4].flags == []
