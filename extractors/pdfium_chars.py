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

`NeedsPdfminer` is raised when a glyph's font is not one pdfium's boxes can be made pdfminer's for
(vertical writing, Type 3, an ambiguous or unknown name): the reader then lets pdfminer read it.
"""

from __future__ import annotations

import ctypes
from collections.abc import Mapping
from typing import Any

import pypdfium2.raw as pdfium_c

from extractors.pdfium_fonts import FontFacts, font_key

FONT_NAME_BYTES = 256
SAME_ORIGIN = 1e-3  # points: pieces of one glyph share its origin


class NeedsPdfminer(Exception):
    """This page cannot be read identically from pdfium; the reason says why."""


class _Buffers:
    """ctypes out-parameters, allocated once per page."""

    def __init__(self) -> None:
        self.rect = pdfium_c.FS_RECTF()
        self.matrix = pdfium_c.FS_MATRIX()
        self.x = ctypes.c_double()
        self.y = ctypes.c_double()
        self.width = ctypes.c_float()
        self.name = ctypes.create_string_buffer(FONT_NAME_BYTES)


def page_chars(
    textpage: Any, page_height: float, fonts: Mapping[str, FontFacts | None],
    seen_objects: set[int] | None = None,
) -> list[dict[str, Any]]:
    """The drawn glyphs of a loaded pdfium text page, in content order, as pdfplumber chars;
    the addresses of the text objects they come from are added to `seen_objects`."""
    buffers = _Buffers()
    font_cache: dict[int, tuple[str, FontFacts]] = {}
    chars: list[dict[str, Any]] = []
    previous_object: Any = None
    count = pdfium_c.FPDFText_CountChars(textpage)
    for index in range(count):
        if pdfium_c.FPDFText_IsGenerated(textpage, index):
            continue
        code = pdfium_c.FPDFText_GetUnicode(textpage, index)
        unmapped = bool(pdfium_c.FPDFText_HasUnicodeMapError(textpage, index))
        text = "(cid:0)" if unmapped or code == 0 else chr(code)
        pdfium_c.FPDFText_GetCharOrigin(textpage, index, buffers.x, buffers.y)
        ox, oy = buffers.x.value, buffers.y.value
        text_object = pdfium_c.FPDFText_GetTextObject(textpage, index)
        object_id = ctypes.cast(text_object, ctypes.c_void_p).value or 0
        if (
            chars
            and object_id == previous_object
            and abs(chars[-1]["_ox"] - ox) < SAME_ORIGIN
            and abs(chars[-1]["_oy"] - oy) < SAME_ORIGIN
            and not unmapped
        ):
            chars[-1]["text"] += text  # another piece of a multi-character glyph
            continue
        previous_object = object_id
        if seen_objects is not None:
            seen_objects.add(object_id)
        font_handle = pdfium_c.FPDFTextObj_GetFont(text_object)
        font_id = ctypes.cast(font_handle, ctypes.c_void_p).value or 0
        known = font_cache.get(font_id)
        if known is None:
            known = _font(font_handle, fonts, buffers)
            font_cache[font_id] = known
        fontname, facts = known
        chars.append(_char(textpage, index, text, ox, oy, fontname, facts, font_handle,
                           code, page_height, buffers))
    for char in chars:
        del char["_ox"], char["_oy"]
    return chars


def _font(
    handle: Any, fonts: Mapping[str, FontFacts | None], buffers: _Buffers
) -> tuple[str, FontFacts]:
    length = pdfium_c.FPDFFont_GetBaseFontName(handle, buffers.name, FONT_NAME_BYTES)
    name = buffers.name.value.decode("utf-8", "replace") if length else ""
    key = font_key(name)
    if key not in fonts:
        raise NeedsPdfminer(f"font {name!r} is not among the page's font dictionaries")
    facts = fonts[key]
    if facts is None:
        raise NeedsPdfminer(f"font name {key!r} stands for fonts with different metrics")
    if not facts.supported:
        raise NeedsPdfminer(f"font {key!r} is {'vertical' if facts.vertical else 'Type 3'}")
    return facts.fontname, facts


def _char(
    textpage: Any, index: int, text: str, ox: float, oy: float, fontname: str,
    facts: FontFacts, font_handle: Any, code: int, page_height: float, buffers: _Buffers,
) -> dict[str, Any]:
    pdfium_c.FPDFText_GetMatrix(textpage, index, buffers.matrix)
    m = buffers.matrix
    a, b, c, d = m.a, m.b, m.c, m.d
    size = pdfium_c.FPDFText_GetFontSize(textpage, index)
    upright = a * d > 0 and b * c <= 0
    width = buffers.width
    ok = pdfium_c.FPDFFont_GetGlyphWidth(font_handle, code, ctypes.c_float(size), width)
    adv = width.value if ok else size
    low = facts.descent * size
    high = low + size
    xs, ys = [], []
    for u, v in ((0.0, low), (adv, low), (adv, high), (0.0, high)):
        xs.append(a * u + c * v + ox)
        ys.append(b * u + d * v + oy)
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    return {
        "text": text,
        "fontname": fontname,
        "size": y1 - y0,
        "adv": adv,
        "upright": upright,
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
        "_ox": ox,
        "_oy": oy,
    }


def object_id(handle: Any) -> int:
    """The address of a pdfium object handle (to compare handles)."""
    return ctypes.cast(handle, ctypes.c_void_p).value or 0


__all__ = ["NeedsPdfminer", "object_id", "page_chars"]
