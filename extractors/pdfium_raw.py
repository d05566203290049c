"""pdfium functions the text reader calls per glyph, re-declared with plain addresses.

pypdfium2's bindings type every handle (`LP_fpdf_textpage_t` …): each call checks and converts
them, and comparing two handles needs a `ctypes.cast`. These prototypes of the same functions take
and return `c_void_p` (Python ints), so a page's tens of thousands of calls cost less and a text
object's or font's address is its handle. Out-parameters are passed as pointers made once.
"""

from __future__ import annotations

import ctypes
from typing import Any

import pypdfium2.raw as pdfium_c

VOID = ctypes.c_void_p
INT = ctypes.c_int
P_DOUBLE = ctypes.POINTER(ctypes.c_double)
P_FLOAT = ctypes.POINTER(ctypes.c_float)
P_USHORT = ctypes.POINTER(ctypes.c_ushort)


def _proto(name: str, restype: Any, *argtypes: Any) -> Any:
    """pdfium's `name` at the same address, declared with `restype` and `argtypes`."""
    address = ctypes.cast(getattr(pdfium_c, name), ctypes.c_void_p).value
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


count_chars = _proto("FPDFText_CountChars", INT, VOID)
get_text = _proto("FPDFText_GetText", INT, VOID, INT, INT, P_USHORT)
get_unicode = _proto("FPDFText_GetUnicode", ctypes.c_uint, VOID, INT)
is_generated = _proto("FPDFText_IsGenerated", INT, VOID, INT)
unicode_map_error = _proto("FPDFText_HasUnicodeMapError", INT, VOID, INT)
char_origin = _proto("FPDFText_GetCharOrigin", INT, VOID, INT, P_DOUBLE, P_DOUBLE)
text_object = _proto("FPDFText_GetTextObject", VOID, VOID, INT)
char_matrix = _proto("FPDFText_GetMatrix", INT, VOID, INT, ctypes.POINTER(pdfium_c.FS_MATRIX))
font_size = _proto("FPDFText_GetFontSize", ctypes.c_double, VOID, INT)
object_font = _proto("FPDFTextObj_GetFont", VOID, VOID)
glyph_width = _proto("FPDFFont_GetGlyphWidth", INT, VOID, ctypes.c_uint, ctypes.c_float, P_FLOAT)
base_font_name = _proto("FPDFFont_GetBaseFontName", ctypes.c_ulong, VOID, ctypes.c_char_p,
                        ctypes.c_ulong)


def address(handle: Any) -> int:
    """The address of a pypdfium2 handle (0 for NULL)."""
    return ctypes.cast(handle, ctypes.c_void_p).value or 0


def page_text(textpage: int, count: int) -> str | None:
    """The text page's characters as one string, one code point per character; None when pdfium's
    text does not give one per character (then ask per character)."""
    if count <= 0:
        return ""
    buffer = (ctypes.c_ushort * (2 * count + 1))()
    written = get_text(textpage, 0, count, buffer)
    raw = ctypes.string_at(buffer, max(0, written - 1) * 2)
    try:
        text = raw.decode("utf-16-le")
    except UnicodeDecodeError:
        return None
    return text if len(text) == count else None


__all__ = ["address", "page_text"]
