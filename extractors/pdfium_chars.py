"""A page's glyphs read by pdfium, as the char dicts pdfplumber gives (the keys the layout reads).

Per glyph pdfium gives its text, origin, text matrix (text space to user space, without the font
size), font size and font; from them this builds pdfminer's box: `(0, descent·size)` to
`(advance, descent·size + size)` in text space, through the matrix (all four corners), then turned
to pdfplumber's top-left coordinates. The advance is the loose box's width for an upright glyph
(pdfium's loose box runs from the origin by the font's width), the font's width otherwise. The
descent is pdfminer's (`extractors.pdfium_fonts`). `size` is the box's height, as pdfminer's.

Quirks handled:
- characters pdfium generates (the spaces and line breaks it infers, `FPDFText_IsGenerated`) are
  skipped: pdfminer reports only drawn glyphs;
- a glyph whose ToUnicode entry holds several characters (a ligature `ﬁ` -> `fi`) is one char
  with that text in pdfminer, several chars at one origin in pdfium: they are joined back;
- a glyph without a Unicode mapping (`FPDFText_HasUnicodeMapError`) becomes `(cid:0)`, as
  pdfminer's `(cid:N)` (the reader only counts such glyphs);
- pdfium reports a font's name without its subset prefix; pdfminer's name (from the descriptor)
  is put back when the page's fonts say which it is.

pdfium is asked per glyph only for what changes per glyph (origin, text object, unmapped flag);
the page's text comes in one call, and a text object's matrix, size and font, a font's name and a
glyph's width are asked once (`extractors.pdfium_raw` declares the calls on plain addresses).

`NeedsPdfminer` is raised when a glyph's font is not one pdfium's boxes can be made pdfminer's for
(vertical writing, Type 3, an ambiguous or unknown name): the reader then lets pdfminer read it.
"""

from __future__ import annotations

import ctypes
from collections.abc import Mapping
from typing import Any

import deckmine.extractors.pdfium_raw as raw
import pypdfium2.raw as pdfium_c
from deckmine.extractors.pdfium_fonts import FontFacts, font_key

FONT_NAME_BYTES = 256
SAME_ORIGIN = 1e-3  # points: pieces of one glyph share its origin
WHITESPACE_CODES = 0x20  # pdfium generates only spaces and line breaks: codes up to this one


class NeedsPdfminer(Exception):
    """This page cannot be read identically from pdfium; the reason says why."""


class _PageReader:
    """One text page's reading: out-parameters made once, facts cached per object and font."""

    def __init__(self, textpage: int, fonts: Mapping[str, FontFacts | None]) -> None:
        self.textpage = textpage
        self.fonts = fonts
        self.x, self.y = ctypes.c_double(), ctypes.c_double()
        self.x_ptr, self.y_ptr = ctypes.pointer(self.x), ctypes.pointer(self.y)
        self.matrix = pdfium_c.FS_MATRIX()
        self.matrix_ptr = ctypes.pointer(self.matrix)
        self.width = ctypes.c_float()
        self.width_ptr = ctypes.pointer(self.width)
        self.name = ctypes.create_string_buffer(FONT_NAME_BYTES)
        self.objects: dict[int, tuple[int, str, FontFacts, tuple[float, ...], float]] = {}
        self.font_names: dict[int, tuple[str, FontFacts]] = {}
        self.widths: dict[tuple[int, int, float], float] = {}

    def text_object(self, object_id: int, index: int) -> tuple[int, str, FontFacts,
                                                               tuple[float, ...], float]:
        """(font handle, fontname, facts, matrix a b c d, font size) of a char's text object."""
        known = self.objects.get(object_id)
        if known is None:
            font = raw.object_font(object_id) or 0
            named = self.font_names.get(font)
            if named is None:
                named = self.font_names[font] = font_facts(font, self.fonts, self.name)
            raw.char_matrix(self.textpage, index, self.matrix_ptr)
            m = self.matrix
            size = raw.font_size(self.textpage, index)
            known = self.objects[object_id] = (font, *named, (m.a, m.b, m.c, m.d), size)
        return known

    def advance(self, font: int, code: int, size: float) -> float:
        key = (font, code, size)
        width = self.widths.get(key)
        if width is None:
            ok = raw.glyph_width(font, code, size, self.width_ptr)
            width = self.widths[key] = self.width.value if ok else size
        return width


def page_chars(
    textpage: Any, page_height: float, fonts: Mapping[str, FontFacts | None],
    seen_objects: set[int] | None = None, char_objects: list[int] | None = None,
) -> list[dict[str, Any]]:
    """The drawn glyphs of a loaded pdfium text page, in content order, as pdfplumber chars;
    the addresses of the text objects they come from are added to `seen_objects`, and appended
    to `char_objects` one per char."""
    handle = raw.address(textpage)
    reader = _PageReader(handle, fonts)
    count = raw.count_chars(handle)
    text = raw.page_text(handle, count)
    chars: list[dict[str, Any]] = []
    objects: list[int] = [] if char_objects is None else char_objects
    previous = (0, 0.0, 0.0)
    for index in range(count):
        code = ord(text[index]) if text is not None else raw.get_unicode(handle, index)
        if code <= WHITESPACE_CODES and raw.is_generated(handle, index):
            continue
        unmapped = bool(raw.unicode_map_error(handle, index))
        glyph = "(cid:0)" if unmapped or code == 0 else chr(code)
        raw.char_origin(handle, index, reader.x_ptr, reader.y_ptr)
        ox, oy = reader.x.value, reader.y.value
        object_id = raw.text_object(handle, index) or 0
        if (
            chars and not unmapped and object_id == previous[0]
            and abs(previous[1] - ox) < SAME_ORIGIN and abs(previous[2] - oy) < SAME_ORIGIN
        ):
            chars[-1]["text"] += glyph  # another piece of a multi-character glyph
            continue
        previous = (object_id, ox, oy)
        font, fontname, facts, matrix, size = reader.text_object(object_id, index)
        adv = reader.advance(font, code, size)
        chars.append(char_dict(glyph, fontname, facts.descent, matrix, size, adv, ox, oy,
                               page_height))
        objects.append(object_id)
    if seen_objects is not None:
        seen_objects.update(objects)
    return chars


def font_facts(
    handle: int, fonts: Mapping[str, FontFacts | None], buffer: Any
) -> tuple[str, FontFacts]:
    """pdfminer's fontname and facts of the pdfium font at `handle`, or NeedsPdfminer."""
    length = raw.base_font_name(handle, buffer, FONT_NAME_BYTES) if handle else 0
    name = buffer.value.decode("utf-8", "replace") if length else ""
    key = font_key(name)
    if key not in fonts:
        raise NeedsPdfminer(f"font {name!r} is not among the page's font dictionaries")
    facts = fonts[key]
    if facts is None:
        raise NeedsPdfminer(f"font name {key!r} stands for fonts with different metrics")
    if not facts.supported:
        raise NeedsPdfminer(f"font {key!r} is {'vertical' if facts.vertical else 'Type 3'}")
    return facts.fontname, facts


def char_dict(
    text: str, fontname: str, descent: float, matrix: tuple[float, ...], size: float,
    adv: float, ox: float, oy: float, page_height: float,
) -> dict[str, Any]:
    """pdfplumber's char: pdfminer's box `(0, descent·size)`-`(adv, descent·size + size)` in text
    space, through the matrix `a b c d` at the origin `ox, oy` (all four corners)."""
    a, b, c, d = matrix
    low = descent * size
    high = low + size
    xs = (c * low + ox, a * adv + c * low + ox, a * adv + c * high + ox, c * high + ox)
    ys = (d * low + oy, b * adv + d * low + oy, b * adv + d * high + oy, d * high + oy)
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    return {
        "text": text,
        "fontname": fontname,
        "size": y1 - y0,
        "adv": adv,
        "upright": a * d > 0 and b * c <= 0,
        "x0": x0,
        "x1": x1,
        "y0": y0,
        "y1": y1,
        "top": page_height - y1,
        "bottom": page_height - y0,
        "width": x1 - x0,
        "height": y1 - y0,
        "matrix": (a, b, c, d, ox, oy),
        "object_type": "char",
    }


def object_id(handle: Any) -> int:
    """The address of a pdfium object handle (to compare handles)."""
    return raw.address(handle)


__all__ = ["NeedsPdfminer", "char_dict", "font_facts", "object_id", "page_chars"]
