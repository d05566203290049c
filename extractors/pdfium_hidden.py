"""The glyphs of text objects pdfium's text page leaves out, rebuilt as pdfminer reads them.

pdfium's text page skips a text object whose box has no width: one that shows only spaces (a
space glyph has an empty outline). pdfminer reports those spaces, and the layout reads them. pdfium
exposes the skipped object's matrix and font but not its character codes, so the codes come from
the page's content stream (`extractors.pdf_content`: the n-th text-showing operator outside form
XObjects is pdfium's n-th page-level text object), and each code is turned into a char the way
pdfminer's `render_string_horizontal` / `render_char` do, with pdfminer's own font object for the
code's text and width (`PDFResourceManager.get_font`, cached per document).

A skipped object that repeats a kept one a hair away (fake bold) is left out: the reader drops such
copies anyway. `NeedsPdfminer` is raised where the rebuilt glyphs might differ from pdfminer's:
the operators and the objects do not pair up one to one, the skipped object sits in a form
XObject, its font resource is not found or is not the one pdfium names, or it runs with
horizontal scaling or a rise.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterable, Mapping
from typing import Any

import pypdfium2.raw as pdfium_c
from deckmine.extractors.pdf_content import Show, show_operators
from deckmine.extractors.pdfium_chars import NeedsPdfminer, char_dict, font_facts
from deckmine.extractors.pdfium_fonts import FontFacts, font_key
from deckmine.extractors.pdfium_paths import Graphics
from deckmine.extractors.pdfium_raw import address
from pdfminer.pdffont import PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFResourceManager
from pdfminer.pdftypes import PDFObjRef, PDFStream, resolve1

DUPLICATE_TOLERANCE = 1.0  # points; as extractors.pdf_reader: a copy this close is fake bold


def hidden_objects(text_objects: list[Any], seen: set[int]) -> list[int]:
    """Indexes (in `text_objects`, content order) of the objects the text page skipped that are
    not copies of a kept one (same font and size, box within DUPLICATE_TOLERANCE)."""
    if len(seen) >= len(text_objects) and all(address(h) in seen for h in text_objects):
        return []
    kept: list[tuple[int, float, tuple[float, ...]]] = []
    hidden: list[int] = []
    for index, handle in enumerate(text_objects):
        facts = (_font(handle), _size(handle), _bounds(handle))
        if address(handle) in seen:
            kept.append(facts)
            continue
        font, size, box = facts
        if not any(
            other_font == font and other_size == size
            and all(abs(p - q) <= DUPLICATE_TOLERANCE for p, q in zip(box, other_box, strict=True))
            for other_font, other_size, other_box in kept
        ):
            hidden.append(index)
    return hidden


def add_hidden_chars(
    plumber_page: Any, graphics: Graphics, hidden: list[int], chars: list[dict[str, Any]],
    char_objects: list[int], fonts: Mapping[str, FontFacts | None], height: float,
    manager: PDFResourceManager,
) -> list[dict[str, Any]]:
    """`chars` with the glyphs of the hidden text objects put in at their place in content order."""
    page_level = {address(h): i for i, h in enumerate(graphics.page_text_objects)}
    shows = show_operators(_content(plumber_page.page_obj.contents))
    if len(shows) != len(page_level):
        raise NeedsPdfminer(
            f"{len(shows)} text operators but {len(page_level)} pdfium text objects"
        )
    walk = {address(h): i for i, h in enumerate(graphics.text_objects)}
    order = [walk.get(obj, -1) for obj in char_objects]
    resources = resolve1(plumber_page.page_obj.resources)
    for index in hidden:
        handle = graphics.text_objects[index]
        show_index = page_level.get(address(handle))
        if show_index is None:
            raise NeedsPdfminer("pdfium leaves out a text object inside a form XObject")
        new = _show_chars(handle, shows[show_index], resources, fonts, height, manager)
        at = next((i for i, w in enumerate(order) if w > index), len(order))
        chars[at:at] = new
        order[at:at] = [index] * len(new)
    return chars


def _content(streams: Iterable[Any] | None) -> bytes:
    parts = []
    for ref in streams or ():
        stream = resolve1(ref)
        if isinstance(stream, PDFStream):
            parts.append(stream.get_data())
    return b"\n".join(parts)


def _pdfminer_font(resources: Any, name: str | None, manager: PDFResourceManager) -> Any:
    fonts = resolve1(resources.get("Font")) if isinstance(resources, Mapping) else None
    spec = fonts.get(name) if isinstance(fonts, Mapping) and name is not None else None
    if spec is None:
        raise NeedsPdfminer(f"font resource {name!r} of a hidden text object not found")
    objid = spec.objid if isinstance(spec, PDFObjRef) else None
    return manager.get_font(objid, resolve1(spec))


def _show_chars(
    handle: Any, show: Show, resources: Any, fonts: Mapping[str, FontFacts | None],
    height: float, manager: PDFResourceManager,
) -> list[dict[str, Any]]:
    """pdfminer's chars of one text-showing operator drawn as the pdfium object `handle`."""
    state = show.state
    if state.scaling != 100.0 or state.rise:
        raise NeedsPdfminer("a hidden text object with horizontal scaling or a rise")
    font = _pdfminer_font(resources, state.font, manager)
    fontname, facts = font_facts(
        address(pdfium_c.FPDFTextObj_GetFont(handle)), fonts, ctypes.create_string_buffer(256)
    )
    if font.is_vertical() or font_key(font.fontname) != font_key(fontname):
        raise NeedsPdfminer(f"hidden text object: font {font.fontname!r} is not {fontname!r}")
    m = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFPageObj_GetMatrix(handle, m)
    size, dxscale = state.size, 0.001 * state.size
    x, needcharspace, started, chars = 0.0, False, False, []
    lead = 0.0  # pdfium's position already holds the kerning before the first string
    for item in show.seq:
        if isinstance(item, float):
            x -= item * dxscale
            if not started:
                lead = x
            needcharspace = True
            continue
        if not started and lead and state.charspace:
            raise NeedsPdfminer("a hidden text object opening with kerning and char spacing")
        started = True
        for cid in font.decode(item):
            if needcharspace:
                x += state.charspace
            try:
                text = font.to_unichr(cid)
            except PDFUnicodeNotDefined:
                text = f"(cid:{cid})"
            adv = font.char_width(cid) * size
            ox, oy = m.a * (x - lead) + m.e, m.b * (x - lead) + m.f
            chars.append(char_dict(text, fontname, facts.descent, (m.a, m.b, m.c, m.d), size,
                                   adv, ox, oy, height))
            x += adv + (state.wordspace if cid == 32 and state.wordspace else 0.0)
            needcharspace = True
    return chars


def _font(handle: Any) -> int:
    return address(pdfium_c.FPDFTextObj_GetFont(handle))


def _size(handle: Any) -> float:
    size = ctypes.c_float()
    return float(size.value) if pdfium_c.FPDFTextObj_GetFontSize(handle, size) else 0.0


def _bounds(handle: Any) -> tuple[float, float, float, float]:
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if not pdfium_c.FPDFPageObj_GetBounds(handle, left, bottom, right, top):
        return (0.0, 0.0, 0.0, 0.0)
    return (left.value, bottom.value, right.value, top.value)


__all__ = ["add_hidden_chars", "hidden_objects"]
