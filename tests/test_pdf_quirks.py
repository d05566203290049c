"""Quirks of real PDFs from Word, Excel and other exporters than LibreOffice, on fixtures named after
them (built by tests/fixtures/pdf/make_quirk_fixtures.py): radicals and strokes read as ideographs,
symbol-font bullets dropped without an `unreadable glyphs` warning, garbled metadata dropped with one
warning, letter-spaced titles joined."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from deckmine.extractors import extract
from deckmine.extractors.glyphs import (
    glyph_map,
    is_garbled,
    normalise_chars,
    normalise_text,
    symbol_family,
)
from deckmine.extractors.model import Document
from deckmine.patterns.mine import mine_document

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "pdf"


def _texts(document: Document) -> list[str]:
    return [block.text for block in document.pages[0].blocks]


@pytest.fixture(scope="module")
def kangxi() -> Document:
    return extract(FIXTURES / "kangxi-radicals.pdf")


@pytest.fixture(scope="module")
def bullets() -> Document:
    return extract(FIXTURES / "wingdings-bullets.pdf")


def test_kangxi_radicals_and_strokes_read_as_ideographs(kangxi: Document) -> None:
    assert _texts(kangxi) == ["臺東縣社會局局長報告", "統一發票金額113年", "青年就業人數70人", "豈然成立"]
    assert kangxi.pages[0].title == "臺東縣社會局局長報告"
    assert kangxi.warnings == []
    figures = [(m.label, m.value, m.unit) for m in mine_document(kangxi).metrics]
    assert ("青年就業人數", 70.0, "人") in figures


def test_symbol_font_bullets_are_dropped_without_a_warning(bullets: Document) -> None:
    assert bullets.warnings == [] and bullets.pages[0].warnings == []
    assert _texts(bullets) == [
        "策略一成果",
        "社會福利服務中心5處",
        "進用率達85%",
        "開案率72.4%",
        "訪視率96.4%",
        "家訪人次1,012人次",  # the Wingdings bullet without ToUnicode (`n`) is gone too
        "KPI ≥95%",  # Symbol's ≥ (U+F0B3) is text
        "達標✔",  # Wingdings' check mark (U+F0FC)
    ]


def test_figures_after_symbol_bullets(bullets: Document) -> None:
    figures = {(m.indicator or m.label, m.value, m.unit, m.comparator, m.kind) for m in mine_document(bullets).metrics}
    assert ("進用率", 85.0, "%", None, "actual") in figures
    assert ("家訪人次", 1012.0, "人次", None, "actual") in figures
    assert any(value == 95.0 and comparator == ">=" for _, value, _, comparator, _ in figures)


def test_lossy_metadata_is_dropped_with_one_warning() -> None:
    document = extract(FIXTURES / "lossy-metadata.pdf")
    assert "title" not in document.metadata and "author" not in document.metadata
    assert document.metadata["creator"] == "Microsoft Print To PDF"
    assert document.metadata["created"] == "2024-09-30T10:15:00+08:00"
    assert len(document.warnings) == 1
    assert document.warnings[0].startswith("metadata title, author dropped: garbled")
    assert document.pages[0].title == "公務人員訓練成果報告"


def test_character_spaced_titles_and_dates_are_joined() -> None:
    document = extract(FIXTURES / "spaced-title.pdf")
    assert _texts(document) == [
        "公務人員訓練成果",  # space glyphs between the characters
        "中華民國113年9月30日",
        "執行成果摘要",  # spread by character spacing, no space glyphs: one line, not six
        "參訓人數120人，結訓率98.5%",
    ]
    assert document.pages[0].title == "公務人員訓練成果"
    assert document.warnings == []


# --------------------------------------------------------------------------- the tables and rules


def test_glyph_map_covers_every_kangxi_radical_and_the_strokes() -> None:
    mapping = glyph_map()
    radicals = [chr(code) for code in range(0x2F00, 0x2FD6)]
    assert all(mapping[char] == unicodedata.normalize("NFKC", char) for char in radicals)
    assert mapping["\u2fa7"] == "長" and mapping["\u31d0"] == "一" and mapping["\u31d2"] == "丿"
    assert mapping["\uf900"] == "\u8c48"  # a compatibility ideograph
    assert all(unicodedata.category(target) in ("Lo", "Nl") for target in mapping.values())  # 〇 is Nl


def test_normalise_text_leaves_full_width_forms_alone() -> None:
    assert normalise_text("進用率８５％（１７／２０）局⾧") == "進用率８５％（１７／２０）局長"


@pytest.mark.parametrize(
    ("fontname", "family"),
    [
        ("Wingdings-Regular", "wingdings"),
        ("ABCDEF+Wingdings-Regular", "wingdings"),
        ("Wingdings2", "dingbats"),
        ("Wingdings 3", "dingbats"),
        ("Webdings", "dingbats"),
        ("ZapfDingbats", "dingbats"),
        ("SymbolMT", "symbol"),
        ("Symbol", "symbol"),
        ("BCDEEE+Symbol,Bold", "symbol"),
        ("Symbola", None),
        ("NotoSansCJKtc-Regular", None),
        ("ArialMT", None),
    ],
)
def test_symbol_fonts_are_recognised_by_name(fontname: str, family: str | None) -> None:
    assert symbol_family(fontname) == family


def test_private_use_text_in_an_ordinary_font_is_still_unreadable() -> None:
    chars = [{"text": "\uf06e", "fontname": "ArialMT"}, {"text": "\uf0b7", "fontname": "SymbolMT"}]
    kept, dropped = normalise_chars(chars)
    assert kept == [chars[0]] and dropped == 1


@pytest.mark.parametrize(
    ("value", "garbled"),
    [
        ("lÙºá\x13ô\x10œ1J", True),
        ("º‰U", True),
        ("ÄÖÜßàé", True),
        ("公務人員訓練成果報告", False),
        ("Microsoft Word - 公務人員.docx", False),
        ("Présentation générale du programme", False),
        ("PowerPoint 簡報", False),
        ("deckmine tests", False),
    ],
)
def test_garbled_metadata_is_told_from_text(value: str, garbled: bool) -> None:
    assert is_garbled(value) is garbled
