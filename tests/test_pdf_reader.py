"""PDF reader: reading order, joining, tables with spans, vertical text, bad files.

Fixtures under tests/fixtures/pdf/ are built by make_fixtures.py (a python-pptx deck exported by
LibreOffice, plus hand-written PDFs); the corpus decks are the project's sample decks.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from deckmine.extractors import extract
from deckmine.extractors.model import Document, ExtractionError, Page, TableBlock, TextBlock
from deckmine.extractors.pdf_reader import drop_duplicate_glyphs, pdf_date_to_iso, read_pdf

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "pdf"
DECKS = ROOT / "corpus" / "decks"


def _read(path: Path) -> Document:
    return read_pdf(path, sha256="0" * 64)


@pytest.fixture(scope="module")
def slides() -> Document:
    return _read(FIXTURES / "slides.pdf")


@pytest.fixture(scope="module")
def taitung() -> Document:
    return _read(DECKS / "taitung-112.pdf")


@pytest.fixture(scope="module")
def penghu() -> Document:
    return _read(DECKS / "penghu-111.pdf")


def _text_blocks(page: Page) -> list[TextBlock]:
    return [block for block in page.blocks if isinstance(block, TextBlock)]


def _tables(page: Page) -> list[TableBlock]:
    return [block for block in page.blocks if isinstance(block, TableBlock)]


def _all_lines(page: Page) -> list[str]:
    return [line.text for block in _text_blocks(page) for line in block.lines]


# --------------------------------------------------------------------------- fixture deck


def test_metadata_and_page_size(slides: Document) -> None:
    assert slides.file_type == "pdf"
    assert slides.page_count == 3
    assert slides.metadata["title"] == "測試簡報"
    assert slides.metadata["author"] == "deckmine tests"
    assert slides.metadata["created"].endswith("+00:00")
    assert slides.metadata["created"][:2] == "20"
    first = slides.pages[0]
    assert (round(first.width), round(first.height)) == (960, 540)


def test_side_by_side_boxes_are_separate_blocks_in_order(slides: Document) -> None:
    page = slides.pages[0]
    texts = [block.text for block in page.blocks]
    assert texts[0] == "臺東縣社會安全網人力進用概況"
    assert texts[1] == "111年\n核定105名\n進用103名"
    assert texts[2] == "112年1-3月\n核定128名\n進用101名"


def test_title_is_largest_font_near_top(slides: Document) -> None:
    page = slides.pages[0]
    title = page.blocks[0]
    assert isinstance(title, TextBlock) and title.is_title
    assert page.title == "臺東縣社會安全網人力進用概況"
    assert title.font_size == 28.0
    assert sum(1 for block in _text_blocks(page) if block.is_title) == 1


def test_export_spaces_are_removed_but_word_spaces_kept(slides: Document) -> None:
    lines = _all_lines(slides.pages[0])
    assert "總受益55,269人次，110年1督4員" in lines
    assert "TU MANANU部落" in lines
    assert "粗體重點：達成率62.５％" in lines


def test_bold_comes_from_font_name(slides: Document) -> None:
    blocks = {block.text: block for block in _text_blocks(slides.pages[0])}
    assert blocks["粗體重點：達成率62.５％"].bold is True
    assert blocks["粗體重點：達成率62.５％"].lines[0].bold is True
    assert blocks["111年\n核定105名\n進用103名"].bold is False
    assert blocks["111年\n核定105名\n進用103名"].lines[1].font_size == 20.0


def test_table_with_merged_and_vertical_cells(slides: Document) -> None:
    page = slides.pages[1]
    (table,) = _tables(page)
    assert (table.n_rows, table.n_cols) == (4, 5)
    cells = {(cell.row, cell.col): cell for cell in table.cells}
    header = cells[(0, 0)]
    assert (header.text, header.row_span, header.col_span) == ("績效指標", 3, 1)
    assert "vertical" in header.flags
    note = cells[(3, 0)]
    assert note.text == "說明"
    assert {"vertical", "rotated"} <= set(note.flags)
    assert cells[(3, 1)].col_span == 4
    assert table.grid(fill_merged=True)[2] == ["績效指標", "111年", "346.6", "28.4", "8.92%"]
    assert table.grid()[0] == ["績效指標", "年度", "平均接案服務人次", "增加人數", "增加率"]


def test_table_text_is_not_repeated_as_loose_text(slides: Document) -> None:
    page = slides.pages[1]
    loose = "\n".join(block.text for block in _text_blocks(page))
    assert "346.6" not in loose
    assert "年度" not in loose
    assert loose.endswith("資料來源：社會處112年統計")
    assert [block.kind for block in page.blocks] == ["text", "table", "text"]


def test_rotated_text_reads_in_its_own_direction(slides: Document) -> None:
    page = slides.pages[2]
    blocks = {block.text: block for block in _text_blocks(page)}
    assert set(blocks) == {"旋轉文字測試", "社會安全網", "策略一成果", "策略二成果"}
    assert {"vertical", "rotated", "reversed_repaired"} <= set(blocks["策略一成果"].flags)
    assert "reversed_repaired" not in blocks["策略二成果"].flags
    assert "vertical" in blocks["社會安全網"].flags
    assert blocks["旋轉文字測試"].flags == []


# --------------------------------------------------------------------------- glyph problems


def test_fake_bold_duplicates_are_dropped() -> None:
    document = _read(FIXTURES / "fake_bold.pdf")
    assert document.pages[0].text == "TOTAL 55"


def test_drop_duplicate_glyphs_keeps_real_repeats() -> None:
    def char(text: str, x0: float) -> dict[str, object]:
        return {"text": text, "x0": x0, "x1": x0 + 6, "top": 10.0, "bottom": 20.0}

    chars = [char("1", 0), char("1", 0.5), char("1", 6), char("1", 6.3)]
    kept = drop_duplicate_glyphs(chars)
    assert [c["x0"] for c in kept] == [0, 6]


def test_unreadable_page_is_reported_not_passed_on() -> None:
    document = _read(FIXTURES / "cid_mixed.pdf")
    first, second = document.pages
    assert first.text == "Readable page 1"
    assert second.blocks == []
    assert second.warnings == ["page 2: 6 unreadable glyphs ((cid:NNN)); text dropped"]
    assert document.warnings == second.warnings
    assert "(cid:" not in first.text + second.text


def test_all_pages_unreadable_raises() -> None:
    with pytest.raises(ExtractionError) as error:
        _read(FIXTURES / "cid_only.pdf")
    assert str(error.value) == "no readable text: all 1 pages are unreadable glyphs ((cid:…))"


# --------------------------------------------------------------------------- bad files


def test_encrypted_pdf_raises_one_line_reason() -> None:
    with pytest.raises(ExtractionError) as error:
        _read(FIXTURES / "encrypted.pdf")
    assert str(error.value) == "encrypted PDF (password required)"
    assert error.value.__cause__ is None


def test_truncated_pdf_raises_damaged() -> None:
    with pytest.raises(ExtractionError) as error:
        extract(FIXTURES / "truncated.pdf")
    message = str(error.value)
    assert message.startswith("damaged PDF: ")
    assert "\n" not in message


def test_garbage_after_pdf_header_raises_damaged(tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n" + b"\x00garbage" * 50)
    with pytest.raises(ExtractionError) as error:
        _read(broken)
    assert str(error.value).startswith("damaged PDF: ")


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("D:20230419093000+08'00'", "2023-04-19T09:30:00+08:00"),
        ("D:20261123112822Z'", "2026-11-23T11:28:22+00:00"),
        ("D:20230419", "2023-04-19T00:00:00"),
        ("yesterday", "yesterday"),
    ],
)
def test_pdf_date_to_iso(raw: str, iso: str) -> None:
    assert pdf_date_to_iso(raw) == iso


# --------------------------------------------------------------------------- sample corpus


def test_taitung_staff_boxes_are_whole_lines(taitung: Document) -> None:
    page = taitung.pages[3]
    assert page.title == "臺東縣社會安全網人力進用概況"
    line_groups = [[line.text for line in block.lines] for block in _text_blocks(page)]
    assert ["核定105名", "進用103名"] in line_groups
    assert ["核定128名", "進用101名"] in line_groups
    texts = [block.text for block in page.blocks]
    assert texts.index("111年") < texts.index("核定105名\n進用103名")


def test_taitung_service_counts_are_joined(taitung: Document) -> None:
    lines = _all_lines(taitung.pages[5])
    assert "總受益55,269人次" in lines
    assert "總受益4,508人次" in lines
    assert "脆弱家庭個案管理服務：" in lines


def test_taitung_counselling_table(taitung: Document) -> None:
    page = taitung.pages[24]
    (table,) = _tables(page)
    grid = table.grid(fill_merged=True)
    header = grid[0]
    row = next(r for r in grid if r[0] == "111年")
    assert row[header.index("平均接案服務人次")] == "346.6"
    assert row[header.index("專輔人員人數")] == "16"
    growth = grid[-1]
    assert growth[0] is not None and growth[0].startswith("增加率")
    assert growth[-1] == "8.92%"
    (merged,) = [cell for cell in table.cells if cell.col_span > 1]
    assert (merged.row, merged.col, merged.col_span) == (4, 0, 5)
    assert "346.6" not in "\n".join(block.text for block in _text_blocks(page))


def test_taitung_psychiatric_table_has_merged_headers(taitung: Document) -> None:
    tables = _tables(taitung.pages[23])
    assert [(t.n_rows, t.n_cols) for t in tables] == [(2, 6), (5, 8)]
    psychiatric = tables[1]
    spans = {cell.text: (cell.row_span, cell.col_span) for cell in psychiatric.cells}
    assert spans["疑似或社區精神病人照護優化計畫"] == (2, 1)
    assert spans["衛生局"] == (1, 3)
    assert spans["臺北榮民總醫院臺東分院"] == (1, 4)
    assert psychiatric.grid()[4] == ["合計", "16", "11", "5", "6", "4", "1", "0"]


def test_taitung_chart_gridlines_are_not_tables(taitung: Document) -> None:
    assert _tables(taitung.pages[3]) == []
    table_pages = [page.number for page in taitung.pages if _tables(page)]
    assert table_pages == [24, 25]


def test_penghu_vertical_headers_read_in_order(penghu: Document) -> None:
    (table,) = _tables(penghu.pages[7])
    first_column = [cell for cell in table.cells if cell.col == 0]
    assert [cell.text for cell in first_column] == [
        "績效指標",
        "24小時內處理比率",
        "保護性案件結案後再通報率",
        "降低兒虐致死人數",
    ]
    assert all("vertical" in cell.flags for cell in first_column)
    assert first_column[0].row_span == 2
    assert table.grid(fill_merged=True)[2][:4] == ["24小時內處理比率", "80%", "90%", "100%"]


def test_every_corpus_page_has_a_title(taitung: Document, penghu: Document) -> None:
    for document in (taitung, penghu):
        untitled = [page.number for page in document.pages if not page.title]
        assert untitled == []


def test_slanted_chart_labels_read_whole() -> None:
    page = _read(DECKS / "hualien-113.pdf").pages[4]
    slanted = [block for block in _text_blocks(page) if "rotated" in block.flags]
    assert [block.text for block in slanted] == [
        "112年第1季",
        "112年第2季",
        "112年第3季",
        "112年第4季",
        "113年第1季",
    ]
    assert all("vertical" not in block.flags for block in slanted)


# --------------------------------------------------------------------------- geometry as data


def _box(x0: float, top: float, x1: float, bottom: float):  # noqa: ANN202
    from deckmine.extractors.model import BBox

    return BBox(x0, top, x1, bottom)


def _wrapped_block(*lines: tuple[str, float]) -> TextBlock:
    """A 300-point-wide box whose lines (text, right edge) sit 14 points apart, font size 12."""
    from deckmine.extractors.model import TextLine

    built = [TextLine(text, _box(0, 14 * i, x1, 14 * i + 12), 12.0) for i, (text, x1) in enumerate(lines)]
    return TextBlock(page=1, bbox=_box(0, 0, 300, 14 * len(lines)), lines=built, font_size=12.0)


def test_line_running_to_the_right_edge_continues_on_the_next() -> None:
    from deckmine.extractors.pdf_wraps import mark_soft_wraps

    block = _wrapped_block(("113年通報案件6,020件，較112年", 298), ("成長8.4%。", 80), ("下一段", 40))
    mark_soft_wraps(block)
    assert [line.continues for line in block.lines] == [True, False, False]
    assert block.text == "113年通報案件6,020件，較112年\n成長8.4%。\n下一段"  # the text keeps its breaks


def test_line_ending_a_sentence_or_before_a_bullet_does_not_continue() -> None:
    from deckmine.extractors.pdf_wraps import mark_soft_wraps

    block = _wrapped_block(("已完成訪視。", 298), ("第一項說明", 298), ("● 第二項", 100), ("第三項", 100))
    mark_soft_wraps(block)
    assert [line.continues for line in block.lines] == [False, False, False, False]


def test_line_with_an_open_bracket_continues_short_of_the_edge() -> None:
    from deckmine.extractors.pdf_wraps import mark_soft_wraps

    block = _wrapped_block(("較去年同期（231", 120), ("件）減少9.2%", 100))
    mark_soft_wraps(block)
    assert block.lines[0].continues


def test_evenly_spaced_axis_of_lone_numbers_is_flagged_chart_label() -> None:
    from deckmine.extractors.model import TextLine
    from deckmine.extractors.pdf_charts import flag_chart_axes

    def box(text: str) -> TextBlock:
        return TextBlock(page=1, bbox=_box(0, 0, 30, 10), lines=[TextLine(text)])

    ticks = [box(text) for text in ("０%", "20%", "40%", "60%", "95%94%")]
    prose = box("訪視率95%")
    flag_chart_axes([*ticks, prose])
    assert all("chart_label" in block.flags for block in ticks)
    assert prose.flags == []


def test_lone_numbers_without_an_axis_are_not_flagged() -> None:
    from deckmine.extractors.model import TextLine
    from deckmine.extractors.pdf_charts import flag_chart_axes

    blocks = [TextBlock(page=1, bbox=_box(0, 0, 30, 10), lines=[TextLine(text)]) for text in ("12", "57", "1,024", "3.5%")]
    flag_chart_axes(blocks)
    assert all(block.flags == [] for block in blocks)


def test_chart_axis_drawn_as_text_is_flagged_in_a_corpus_deck() -> None:
    page = _read(DECKS / "hualien-113.pdf").pages[2]
    ticks = {block.text: block.flags for block in _text_blocks(page) if block.text in ("20%", "40%", "60%", "80%")}
    assert len(ticks) == 4 and all("chart_label" in flags for flags in ticks.values())
