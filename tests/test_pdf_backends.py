"""The pdfium and pdfplumber backends of the PDF reader give the same Document, tables and metrics.

Every PDF of the sample corpus and of tests/fixtures is read once per backend (OCR off, so a
scanned fixture is refused the same way by both); the comparison is exact except for coordinates,
which are rounded to 0.5 pt (pdfium keeps coordinates as 32-bit floats, pdfminer as 64-bit ones:
they differ by a few ten-thousandths of a point). Then unit tests for the pdfium quirks the
backend handles, named after them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from deckmine.extractors import (
    DEFAULT_PDF_BACKEND,
    PDF_BACKENDS,
    ExtractionError,
    extract,
    pdf_reader,
)
from deckmine.extractors.pdf_content import TextState, show_operators
from deckmine.extractors.pdf_layout import is_bold_font
from deckmine.extractors.pdfium_chars import page_chars
from deckmine.extractors.pdfium_fonts import FontFacts, _one, font_key, page_fonts
from deckmine.extractors.pdfium_page import PdfiumPage
from deckmine.patterns.mine import mine_document

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted((ROOT / "corpus" / "decks").glob("*.pdf"))
FIXTURES = sorted((ROOT / "tests" / "fixtures" / "pdf").glob("*.pdf"))
PDFS = CORPUS + FIXTURES
_CACHE: dict[tuple[Path, str], Any] = {}


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value * 2) / 2
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_rounded(item) for item in value]
    return value


def _read(path: Path, backend: str) -> Any:
    """(document dict, metric rows, tables) or the ExtractionError message; read once."""
    key = (path, backend)
    if key not in _CACHE:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("DECKMINE_OCR", "never")
            try:
                document = extract(path, pdf_backend=backend)
            except ExtractionError as exc:
                _CACHE[key] = str(exc)
                return _CACHE[key]
        rows = mine_document(document).metric_rows(document.sha256)
        _CACHE[key] = (_rounded(document.to_dict()), _rounded(rows))
    return _CACHE[key]


@pytest.mark.parametrize("path", PDFS, ids=[path.name for path in PDFS])
def test_both_backends_give_the_same_document(path: Path) -> None:
    plumber, pdfium_read = _read(path, "pdfplumber"), _read(path, "pdfium")
    if isinstance(plumber, str) or isinstance(pdfium_read, str):
        assert pdfium_read == plumber  # the same refusal, word for word
        return
    plumber_doc, pdfium_doc = plumber[0], pdfium_read[0]
    assert pdfium_doc["metadata"] == plumber_doc["metadata"]
    assert pdfium_doc["warnings"] == plumber_doc["warnings"]
    assert len(pdfium_doc["pages"]) == len(plumber_doc["pages"])
    for mine, theirs in zip(pdfium_doc["pages"], plumber_doc["pages"], strict=True):
        assert mine["title"] == theirs["title"], f"page {theirs['number']}"
        assert len(mine["blocks"]) == len(theirs["blocks"]), f"page {theirs['number']}"
        for block, other in zip(mine["blocks"], theirs["blocks"], strict=True):
            assert block == other, f"page {theirs['number']}"  # text, flags, cells, boxes
        assert mine == theirs


@pytest.mark.parametrize("path", PDFS, ids=[path.name for path in PDFS])
def test_both_backends_mine_the_same_metrics(path: Path) -> None:
    plumber, pdfium_read = _read(path, "pdfplumber"), _read(path, "pdfium")
    if isinstance(plumber, str):
        return
    plumber_rows, pdfium_rows = plumber[1], pdfium_read[1]
    assert len(pdfium_rows) == len(plumber_rows)
    for mine, theirs in zip(pdfium_rows, plumber_rows, strict=True):
        for name in theirs:
            assert mine[name] == theirs[name], (name, theirs.get("label"), theirs.get("page"))


def test_backends_are_named_and_checked() -> None:
    assert PDF_BACKENDS == ("pdfium", "pdfplumber")
    assert DEFAULT_PDF_BACKEND in PDF_BACKENDS
    with pytest.raises(ValueError, match="'pdfium', 'pdfplumber'"):
        extract(FIXTURES[0], pdf_backend="pdfminer")


# --------------------------------------------------------------------------- quirks


def _pdfium_and_plumber_chars(path: Path, number: int) -> tuple[list[dict[str, Any]], list[Any], int]:
    """pdfium's chars of page `number`, pdfplumber's, and how many chars pdfium's text page has."""
    document = pdfium.PdfDocument(path)
    with pdfplumber.open(path) as pdf:
        plumber_page = pdf.pages[number - 1]
        page = document[number - 1]
        textpage = pdfium_c.FPDFText_LoadPage(page.raw)
        try:
            chars = page_chars(textpage, float(plumber_page.height),
                               page_fonts(plumber_page.page_obj.resources))
            total = pdfium_c.FPDFText_CountChars(textpage)
        finally:
            pdfium_c.FPDFText_ClosePage(textpage)
            page.close()
            document.close()
        return chars, list(plumber_page.chars), total


def test_generated_space():
    """pdfium inserts spaces and line breaks it infers (`FPDFText_IsGenerated`); they are not
    glyphs and are skipped: what is left is pdfminer's chars, box for box."""
    chars, plumber, total = _pdfium_and_plumber_chars(CORPUS[0], 2)
    assert total > len(chars)
    assert [c["text"] for c in chars] == [c["text"] for c in plumber]
    for mine, theirs in zip(chars, plumber, strict=True):
        for key in ("x0", "x1", "top", "bottom", "size"):
            assert mine[key] == pytest.approx(theirs[key], abs=0.01)


def test_rotated_char():
    """Glyphs drawn upside down (matrix -1 0 0 -1) get pdfminer's box: the advance runs left."""
    chars, plumber, _ = _pdfium_and_plumber_chars(ROOT / "tests/fixtures/pdf/slides.pdf", 2)
    turned = [i for i, char in enumerate(plumber) if char["matrix"][0] < 0]
    assert turned
    for i in turned:
        assert chars[i]["text"] == plumber[i]["text"]
        assert tuple(round(v) for v in chars[i]["matrix"][:4]) == tuple(plumber[i]["matrix"][:4])
        for key in ("x0", "x1", "top", "bottom", "size"):
            assert chars[i][key] == pytest.approx(plumber[i][key], abs=0.01)


def test_subset_font_prefix():
    """pdfium names a font without its subset prefix; fonts are matched on that key, two subsets
    of one font are one font (named without the prefix), and boldness reads the same."""
    assert font_key("BAAAAA+NotoSansCJKjp-Bold") == "NotoSansCJKjp-Bold"
    assert font_key("NotoSansCJKjp-Bold") == "NotoSansCJKjp-Bold"
    two_subsets = {FontFacts("CAAAAA+Noto-Regular", 0.0), FontFacts("EAAAAA+Noto-Regular", 0.0)}
    assert _one(two_subsets) == FontFacts("Noto-Regular", 0.0)
    assert _one({FontFacts("A", 0.0), FontFacts("A", -0.2)}) is None  # different metrics
    assert is_bold_font("BAAAAA+NotoSansCJKjp-Bold") == is_bold_font("NotoSansCJKjp-Bold")
    chars, plumber, _ = _pdfium_and_plumber_chars(CORPUS[0], 2)
    assert {font_key(c["fontname"]) for c in chars} == {font_key(c["fontname"]) for c in plumber}


def test_zero_descent_font_descriptor():
    """LibreOffice writes `/Descent 0`: pdfminer's box then sits on the baseline, while pdfium's
    own descent comes from the font program. The box uses the descriptor's, as pdfminer does."""
    chars, plumber, _ = _pdfium_and_plumber_chars(CORPUS[0], 2)
    for mine, theirs in zip(chars, plumber, strict=True):
        assert mine["bottom"] == pytest.approx(theirs["bottom"], abs=0.01)


def test_unmapped_glyph_is_cid():
    """A glyph without a Unicode mapping reads `(cid:…)` with both backends (and is dropped)."""
    chars, plumber, _ = _pdfium_and_plumber_chars(ROOT / "tests/fixtures/pdf/cid_only.pdf", 1)
    assert [c["text"].startswith("(cid:") for c in chars] == [
        c["text"].startswith("(cid:") for c in plumber
    ]


def test_fake_bold_copy_skipped_by_pdfium():
    """pdfium's text page leaves out a text object that repeats the previous one a hair away;
    the reader drops such copies anyway, so the page needs no pdfminer."""
    path = ROOT / "tests/fixtures/pdf/fake_bold.pdf"
    with pdfplumber.open(path) as pdf:
        document = pdfium.PdfDocument(path)
        page = PdfiumPage.open(pdf.pages[0], document)
        try:
            assert len(page.chars) < len(pdf.pages[0].chars)
        finally:
            page.close()
            document.close()


def test_space_only_text_object_rebuilt_from_content_stream():
    """A text object holding only spaces has an empty box and pdfium's text page skips it; its
    spaces are rebuilt from the content stream with pdfminer's font, so the page needs no
    pdfminer and its chars are pdfplumber's, space for space, in the same order."""
    path = next(path for path in CORPUS if path.name == "taichung-112.pdf")
    extract(path, pdf_backend="pdfium")
    assert pdf_reader.PDFIUM_FALLBACKS == []
    document = pdfium.PdfDocument(path)
    with pdfplumber.open(path) as pdf:
        page = PdfiumPage.open(pdf.pages[1], document)
        try:
            theirs = pdf.pages[1].chars
            assert [c["text"] for c in page.chars] == [c["text"] for c in theirs]
            assert " " in [c["text"] for c in theirs]
            for mine, other in zip(page.chars, theirs, strict=True):
                for key in ("x0", "x1", "top", "bottom", "size", "adv"):
                    assert mine[key] == pytest.approx(other[key], abs=0.01)
        finally:
            page.close()
            document.close()


def test_no_corpus_page_falls_back_to_pdfminer():
    """Every page of the sample corpus is read by pdfium (none is left to pdfminer)."""
    for path in CORPUS:
        extract(path, pdf_backend="pdfium")
        assert pdf_reader.PDFIUM_FALLBACKS == [], path.name


def test_content_stream_show_operators():
    """The scanner pairs text operators with pdfium's text objects: literal strings with escapes
    and nesting, hex strings, TJ kerning, `"` spacing, q/Q, and inline images skipped over."""
    data = (
        rb"q BT /F1 12 Tf 2 Tc (a\(b\)\\c\101) Tj [(x) -20 <7A>] TJ" b' 1 3 (z) " ET Q'
        rb" BI /W 2 ID " + bytes(range(256)) + rb" EI () Tj (w) Tj"
    )
    shows = show_operators(data)
    assert [show.seq for show in shows] == [(b"a(b)\\cA",), (b"x", -20.0, b"z"), (b"z",), (b"w",)]
    assert shows[0].state == TextState(font="F1", size=12.0, charspace=2.0)
    assert (shows[2].state.wordspace, shows[2].state.charspace) == (1.0, 3.0)
    assert shows[3].state == TextState()  # after Q, and the empty Tj makes no object


def test_pdfium_reads_drawings_as_pdfminer():
    """Rectangles, lines, curves and pictures from pdfium path and image objects equal pdfminer's."""
    path = next(path for path in CORPUS if path.name == "changhua-114.pdf")
    document = pdfium.PdfDocument(path)
    with pdfplumber.open(path) as pdf:
        for plumber_page in pdf.pages[:6]:
            page = PdfiumPage.open(plumber_page, document)
            try:
                for kind in ("rects", "lines", "curves", "images"):
                    mine, theirs = getattr(page, kind), getattr(plumber_page, kind)
                    assert len(mine) == len(theirs)
                    for a, b in zip(mine, theirs, strict=True):
                        for key in ("x0", "x1", "top", "bottom"):
                            assert a[key] == pytest.approx(b[key], abs=0.01)
            finally:
                page.close()
    document.close()
