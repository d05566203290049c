"""CJK-aware spacing: the spaces PDF export inserts go, real word spaces stay."""

from __future__ import annotations

import pytest
from deckmine.extractors.textjoin import join_chars, normalize_spacing


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("110 年", "110年"),
        ("62. ５％", "62.５％"),
        ("1 督 4 員", "1督4員"),
        ("總受益55,269 人次", "總受益55,269人次"),
        ("再開案率下降5 %", "再開案率下降5%"),
        ("SNQ 國家品質標章", "SNQ國家品質標章"),
        ("核定\u3000105 名", "核定105名"),
        ("TU  MANANU", "TU MANANU"),
        ("110 1月-9月", "110 1月-9月"),
        ("  前後空白  ", "前後空白"),
        ("第一行 年\n 第二 行", "第一行年\n第二行"),
        ("111年\t346.6", "111年\t346.6"),
    ],
)
def test_normalize_spacing(raw: str, expected: str) -> None:
    assert normalize_spacing(raw) == expected


def _char(text: str, x0: float, width: float = 10.0, size: float = 10.0, top: float = 0.0) -> dict:
    return {
        "text": text,
        "x0": x0,
        "x1": x0 + width,
        "top": top,
        "bottom": top + size,
        "size": size,
    }


def _line(spec: list[tuple[str, float]], width: float = 6.0) -> list[dict]:
    return [_char(text, x0, width) for text, x0 in spec]


def test_join_chars_drops_gap_between_number_and_han() -> None:
    chars = _line([("1", 0), ("1", 6), ("0", 12)]) + [_char("年", 24)]
    assert join_chars(chars) == "110年"


def test_join_chars_keeps_gap_between_latin_words() -> None:
    chars = _line([("T", 0), ("U", 6), ("M", 17), ("A", 23)])
    assert join_chars(chars) == "TU MA"


def test_join_chars_treats_space_glyph_as_separator() -> None:
    chars = _line([("5", 0), ("5", 6), (",", 12), ("2", 15), (" ", 21)]) + [_char("人", 24)]
    assert join_chars(chars) == "55,2人"
    latin = _line([("A", 0), (" ", 6), ("B", 9)])
    assert join_chars(latin) == "A B"


def test_join_chars_tight_glyphs_stay_together() -> None:
    chars = _line([("A", 0), ("B", 6.5), ("C", 13)])
    assert join_chars(chars) == "ABC"


def test_join_chars_vertical_measures_along_y() -> None:
    column = [
        _char("績", 0, top=0),
        _char("效", 0, top=10),
        _char("A", 0, top=20),
        _char("B", 0, top=35),
    ]
    assert join_chars(column, vertical=True) == "績效A B"
