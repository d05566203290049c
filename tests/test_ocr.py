"""Image-only PDFs: refused with one line when OCR is off or missing, read by OCR when it is on.

`tests/fixtures/pdf/image-only.pdf` is pages 4 and 5 of penghu-111.pdf rendered at 150 dpi and put
back as pictures without a text layer (make_quirk_fixtures.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from deckmine.extractors import ocr
from deckmine.extractors.model import Document, ExtractionError, Page, TextBlock, TextLine
from deckmine.extractors.ocr import OcrLine, PageOcr, blocks_from_lines, normalise_ocr_text
from deckmine.extractors.pdf_reader import read_pdf
from deckmine.patterns.mine import mine_document

from tests.conftest import ROOT

IMAGE_ONLY = ROOT / "tests" / "fixtures" / "pdf" / "image-only.pdf"
OFF = "no text layer on 2 of 2 pages (scanned?); OCR is off"


def test_an_image_only_pdf_with_ocr_off_is_refused_with_one_line() -> None:
    with pytest.raises(ExtractionError) as caught:
        read_pdf(IMAGE_ONLY, sha256="0" * 64, ocr="never")
    assert str(caught.value) == OFF


def test_without_an_engine_auto_says_how_to_install_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "available_engine", lambda name=None: None)
    with pytest.raises(ExtractionError) as caught:
        read_pdf(IMAGE_ONLY, sha256="0" * 64, ocr="auto")
    assert str(caught.value) == f"{OFF} (no OCR engine installed: pip install 'deckmine[ocr]')"


def test_ingest_strict_counts_it_as_a_failure(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    run = subprocess.run(
        [sys.executable, "-m", "deckmine.pipeline.cli", "ingest", str(IMAGE_ONLY), "--db", str(db),
         "--jobs", "1", "--quiet", "--strict", "--ocr", "never"],
        cwd=ROOT, env={**os.environ}, capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 1
    assert run.stderr.strip().splitlines() == [f"{IMAGE_ONLY}: {OFF}"]


def test_some_pages_without_text_are_a_warning() -> None:
    state = PageOcr(mode="never")
    texted = Page(number=1, width=960, height=540, blocks=[TextBlock(page=1, bbox=None, lines=[TextLine("進用率85%")])])
    scanned = Page(number=2, width=960, height=540)
    state.visit(texted, SimpleNamespace(images=[]), False, lambda page: None)
    state.visit(scanned, SimpleNamespace(images=[{"width": 960}]), False, lambda page: None)
    document = Document(path="x.pdf", sha256="0" * 64, file_type="pdf", pages=[texted, scanned])
    state.conclude(document)
    assert document.warnings == ["no text layer on 1 of 2 pages (scanned?); OCR is off"]


def test_ocr_lines_become_flagged_blocks_in_points() -> None:
    lines = [
        OcrLine((100, 60, 900, 120), "策略一、擴增家庭服務资源", 0.98),
        OcrLine((100, 300, 700, 340), "訪视户数524户", 0.95),
        OcrLine((100, 350, 700, 390), "开户率91.80%(74/68)", 0.62),
    ]
    blocks = blocks_from_lines(lines, 3, 72 / 150)
    assert [block.text for block in blocks] == ["策略一、擴增家庭服務資源", "訪視戶數524戶\n開戶率91.80%(74/68)"]
    first, second = blocks
    assert first.flags == ["ocr", "ocr_confidence=0.98"]
    assert second.flags == ["ocr", "ocr_confidence=0.62", "ocr_low_confidence"]
    assert first.bbox is not None and first.bbox.as_list() == [48.0, 28.8, 432.0, 57.6]
    assert all(block.page == 3 for block in blocks)


def test_simplified_forms_are_read_as_traditional() -> None:
    assert normalise_ocr_text("户数 连续 这个 县 ⾧") == "戶數連續這個縣長"  # and no spaces by CJK
    assert normalise_ocr_text("臺東縣 台東 系統") == "臺東縣台東系統"  # forms used in traditional text stay


needs_engine = pytest.mark.skipif(
    ocr.available_engine() is None, reason="no OCR engine installed (pip install 'deckmine[ocr]')"
)


@needs_engine
def test_ocr_reads_the_figures_of_a_scanned_page() -> None:
    document = read_pdf(IMAGE_ONLY, sha256="0" * 64, ocr="auto")
    assert document.metadata["ocr_pages"] == 2
    assert all("ocr" in block.flags for page in document.pages for block in page.blocks)
    text_layer = read_pdf(ROOT / "corpus" / "decks" / "penghu-111.pdf", sha256="1" * 64)
    expected = {(m.page, m.value, m.unit) for m in mine_document(text_layer).metrics if m.page in (4, 5)}
    got = {(m.page + 3, m.value, m.unit) for m in mine_document(document).metrics}
    assert len(expected & got) >= 0.9 * len(expected), sorted(expected - got)


def test_a_table_in_a_picture_becomes_a_table_block() -> None:
    """Cells are found from the picture (rules, or fills against white gaps); lines fill them."""
    from deckmine.extractors.model import TableBlock
    from deckmine.extractors.ocr import page_blocks, ruled_tables
    from PIL import Image, ImageDraw

    image = Image.new("L", (1000, 600), 255)
    draw = ImageDraw.Draw(image)
    for row in range(3):  # LibreOffice's table style: grey cells with white gaps between them
        for col in range(3):
            draw.rectangle([100 + col * 250, 100 + row * 100, 100 + col * 250 + 246, 100 + row * 100 + 96], fill=200)
    tables = ruled_tables(image, 72 / 150)
    assert len(tables) == 1 and len(tables[0]) == 9
    cells = {(0, 0): "年度", (0, 1): "通報件數", (0, 2): "開案比率(%)",
             (1, 0): "109年", (1, 1): "2,846", (1, 2): "58.0", (2, 0): "110年", (2, 1): "3,105", (2, 2): "61.0"}
    lines = [OcrLine((110 + c * 250, 130 + r * 100, 230 + c * 250, 160 + r * 100), text, 0.97) for (r, c), text in cells.items()]
    lines.append(OcrLine((100, 20, 600, 60), "近年脆弱家庭通報及開案情形", 0.99))
    blocks = page_blocks(lines, tables, 4, 72 / 150)
    table = next(block for block in blocks if isinstance(block, TableBlock))
    assert table.grid() == [["年度", "通報件數", "開案比率(%)"], ["109年", "2,846", "58.0"], ["110年", "3,105", "61.0"]]
    assert table.flags == ["ocr", "ocr_confidence=0.97"]
    assert [block.text for block in blocks if not isinstance(block, TableBlock)] == ["近年脆弱家庭通報及開案情形"]


def _fake_engine(monkeypatch: pytest.MonkeyPatch, lines: list[OcrLine] | Exception) -> list[int]:
    """Stand in for the helper process: every picture reads as `lines` (or the run fails)."""
    calls: list[int] = []

    def run(images: list[Path], name: str, timeout: float) -> list[list[OcrLine]]:
        calls.append(len(images))
        assert all(image.is_file() for image in images) and timeout > 0
        if isinstance(lines, Exception):
            raise lines
        return [list(lines) for _ in images]

    monkeypatch.setattr(ocr, "available_engine", lambda name=None: "rapidocr")
    monkeypatch.setattr(ocr, "run_engine", run)
    return calls


def test_auto_reads_only_the_pages_without_text(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _fake_engine(monkeypatch, [OcrLine((100, 50, 900, 110), "開户率91.80%(74/68)", 0.9)])
    scanned = read_pdf(IMAGE_ONLY, sha256="0" * 64, ocr="auto")
    assert calls == [2] and scanned.metadata["ocr_pages"] == 2 and scanned.metadata["ocr_engine"] == "rapidocr"
    assert [page.title for page in scanned.pages] == ["開戶率91.80%(74/68)"] * 2
    texted = read_pdf(ROOT / "tests" / "fixtures" / "pdf" / "slides.pdf", sha256="0" * 64, ocr="auto")
    assert calls == [2] and "ocr_pages" not in texted.metadata


def test_always_reads_every_page_from_its_picture(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _fake_engine(monkeypatch, [OcrLine((100, 50, 900, 110), "旋轉文字測試", 0.9)])
    document = read_pdf(ROOT / "tests" / "fixtures" / "pdf" / "slides.pdf", sha256="0" * 64, ocr="always")
    assert calls == [3]
    assert all(block.flags[0] == "ocr" for page in document.pages for block in page.blocks)


def test_an_engine_failure_is_named_in_the_line(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_engine(monkeypatch, ExtractionError("OCR (rapidocr) failed: onnxruntime could not allocate"))
    with pytest.raises(ExtractionError) as caught:
        read_pdf(IMAGE_ONLY, sha256="0" * 64, ocr="auto")
    assert str(caught.value) == "no text layer on 2 of 2 pages (scanned?); OCR (rapidocr) failed: onnxruntime could not allocate"


PICTURE_TABLE = ROOT / "tests" / "fixtures" / "pdf" / "picture-table.pdf"


def test_a_picture_on_a_page_with_text_is_read_where_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    """picture-table.pdf: a title and a source line as text, a table pasted as a picture at
    (60, 110)-(583.2, 366.8) points."""
    calls = _fake_engine(monkeypatch, [OcrLine((10, 10, 300, 50), "通報件數2,846件", 0.95),
                                       OcrLine((10, 400, 300, 440), "模糊", 0.3)])
    document = read_pdf(PICTURE_TABLE, sha256="0" * 64, ocr="auto")
    assert calls == [1] and document.metadata["ocr_pictures"] == 1 and "ocr_pages" not in document.metadata
    page = document.pages[0]
    assert page.title == "近年脆弱家庭通報及開案情形" and page.blocks[0].is_title
    read = [block for block in page.blocks if "ocr" in block.flags]
    assert [block.text for block in read] == ["通報件數2,846件"]  # the low-confidence line is left out
    box = read[0].bbox
    assert box is not None and 60 <= box.x0 < box.x1 <= 583.2 and 110 <= box.top < box.bottom <= 366.8
    assert [block.text for block in page.blocks if "ocr" not in block.flags] == ["近年脆弱家庭通報及開案情形", "資料來源：社會處"]
    assert read_pdf(PICTURE_TABLE, sha256="0" * 64, ocr="never").metadata.get("ocr_pictures") is None


@needs_engine
def test_a_table_pasted_as_a_picture_gives_its_figures() -> None:
    document = read_pdf(PICTURE_TABLE, sha256="0" * 64, ocr="auto")
    figures = {(m.label, m.value, m.unit) for m in mine_document(document).metrics}
    for year_figures in [("通報件數", 2846.0, "件"), ("開案件數", 1893.0, "件"), ("開案比率(%)", 65.7, "%")]:
        assert year_figures in figures, sorted(figures)
    assert len(figures) >= 11


def _table_picture(path: Path) -> None:
    """A 3x3 table of counts and a rate as a spreadsheet screenshot: black rules, Noto CJK text."""
    from PIL import Image, ImageDraw, ImageFont

    font_file = subprocess.run(["fc-match", "-f", "%{file}", "Noto Sans CJK TC"], capture_output=True,
                               text=True, check=False).stdout.strip()
    if not font_file or "CJK" not in font_file:
        pytest.skip("no Noto CJK font (fc-match)")
    font = ImageFont.truetype(font_file, 30)
    rows = [["年度", "通報件數", "開案比率(%)"], ["111年", "2,846", "58.0"], ["112年", "3,105", "61.4"]]
    image = Image.new("RGB", (900, 300), "white")
    draw = ImageDraw.Draw(image)
    for index in range(4):
        draw.line([(0, index * 100 - (index == 3)), (899, index * 100 - (index == 3))], fill="black", width=2)
        draw.line([(index * 300 - (index == 3), 0), (index * 300 - (index == 3), 299)], fill="black", width=2)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            draw.text((c * 300 + 150, r * 100 + 50), text, fill="black", font=font, anchor="mm")
    image.save(path)


def _deck_with_a_picture(tmp_path: Path) -> Path:
    from pptx import Presentation
    from pptx.util import Pt

    picture = tmp_path / "table.png"
    _table_picture(picture)
    deck = Presentation()
    deck.slide_width, deck.slide_height = Pt(960), Pt(540)
    slide = deck.slides.add_slide(deck.slide_layouts[5])  # title only
    slide.shapes.title.text = "近年脆弱家庭通報及開案情形"
    slide.shapes.add_picture(str(picture), Pt(120), Pt(150), Pt(600), Pt(200))
    path = tmp_path / "picture-table.pptx"
    deck.save(str(path))
    return path


@needs_engine
def test_pptx_picture_of_a_table_is_read(tmp_path: Path) -> None:
    """A table pasted on a slide as a picture (a spreadsheet screenshot) gives its figures, read by
    OCR through the helper process, flagged `ocr` and placed where the picture is on the slide."""
    from deckmine.extractors.model import TableBlock
    from deckmine.extractors.pptx_reader import read_pptx

    path = _deck_with_a_picture(tmp_path)
    document = read_pptx(path, sha256="0" * 64, ocr="auto")
    assert document.metadata["ocr_pictures"] == 1 and not document.warnings
    page = document.pages[0]
    assert page.title == "近年脆弱家庭通報及開案情形" and page.blocks[0].is_title
    read = [block for block in page.blocks if "ocr" in block.flags]
    assert read and all(any(flag.startswith("ocr_confidence=") for flag in block.flags) for block in read)
    table = next(block for block in read if isinstance(block, TableBlock))
    box = table.bbox
    assert box is not None and 118 <= box.x0 < box.x1 <= 722 and 148 <= box.top < box.bottom <= 352
    metrics = mine_document(document).metrics
    figures = {(m.label, m.value, m.unit) for m in metrics}
    for figure in [("通報件數", 2846.0, "件"), ("通報件數", 3105.0, "件"), ("開案比率(%)", 58.0, "%"), ("開案比率(%)", 61.4, "%")]:
        assert figure in figures, sorted(figures)
    read_figures = [m for m in metrics if m.value in (2846.0, 3105.0, 58.0, 61.4)]
    assert all(m.ocr_confidence is not None and m.source == "table" for m in read_figures), read_figures
    assert read_pptx(path, sha256="0" * 64, ocr="never").metadata.get("ocr_pictures") is None


def test_pptx_picture_without_an_engine_is_one_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from deckmine.extractors.pptx_reader import read_pptx

    monkeypatch.setattr(ocr, "available_engine", lambda name=None: None)
    document = read_pptx(_deck_with_a_picture(tmp_path), sha256="0" * 64, ocr="auto")
    assert document.warnings == ["slide 1: pictures not read by OCR (no OCR engine installed: pip install 'deckmine[ocr]')"]
    assert document.pages[0].title == "近年脆弱家庭通報及開案情形" and "ocr_pictures" not in document.metadata
