"""What pdfminer would read from a page's fonts, taken from the font dictionaries alone.

pdfium and pdfminer agree on a glyph's origin and advance, but not on its height: pdfminer puts
a glyph's box from `Descent` (the font descriptor's, as written, forced negative) to `Descent` +
the font size, while pdfium replaces a missing or zero `Descent` with the font program's. To give
pdfplumber's boxes from pdfium's glyphs, this module reads, per page, each font's descriptor the
way `pdfminer.pdffont` does (only the dictionaries: no content stream is parsed, no font program
or ToUnicode map is loaded) and keys it by the font's name without its subset prefix, which is
what pdfium reports (`ABCDEF+Name` -> `Name`).

A name that stands for two fonts with different facts on one page is ambiguous (`None`): the
page is then read by pdfminer. So is a page with vertical-writing (`-V`) or Type 3 fonts, whose
boxes pdfminer computes differently (`FontFacts.supported`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import regex
from pdfminer.fontmetrics import FONT_METRICS
from pdfminer.pdftypes import PDFStream, resolve1
from pdfminer.psparser import PSLiteral

SUBSET_PREFIX = regex.compile(r"^[A-Z]{6}\+")
MAX_FORM_DEPTH = 8  # form XObjects nest this deep at most before their fonts are ignored


@dataclass(frozen=True)
class FontFacts:
    """pdfminer's view of one font: `fontname` as pdfplumber reports it, `descent` per unit of
    font size (pdfminer's `get_descent()`), and whether pdfminer lays it out differently."""

    fontname: str
    descent: float
    vertical: bool = False
    type3: bool = False

    @property
    def supported(self) -> bool:
        return not (self.vertical or self.type3)


def font_key(name: str) -> str:
    """A font's name without its subset prefix: `BAAAAA+NotoSansCJKjp-Bold` -> `NotoSansCJKjp-Bold`."""
    return SUBSET_PREFIX.sub("", name.strip())


FontCache = dict[int, tuple[FontFacts, set[str]]]  # a font dictionary's object id -> its reading


def page_fonts(
    resources: Mapping[str, Any] | None, cache: FontCache | None = None
) -> dict[str, FontFacts | None]:
    """Font key -> facts for every font of a page's resources and of the form XObjects it draws;
    None for a key that names fonts with different facts. `cache` (one per document) keeps the
    reading of each indirect font dictionary for the next pages."""
    found: dict[str, set[FontFacts]] = {}
    _collect(resources, found, set(), 0, {} if cache is None else cache)
    return {key: _one(facts) for key, facts in found.items()}


def _font_reading(ref: Any, cache: FontCache) -> tuple[FontFacts, set[str]] | None:
    objid = getattr(ref, "objid", None)
    if objid is not None and objid in cache:
        return cache[objid]
    spec = resolve1(ref)
    if not isinstance(spec, Mapping):
        return None
    reading = (font_facts(spec), _names(spec))
    if objid is not None:
        cache[objid] = reading
    return reading


def _collect(
    resources: Any, found: dict[str, set[FontFacts]], seen: set[int], depth: int,
    cache: FontCache,
) -> None:
    resources = resolve1(resources)
    if not isinstance(resources, Mapping) or depth > MAX_FORM_DEPTH:
        return
    fonts = resolve1(resources.get("Font"))
    if isinstance(fonts, Mapping):
        for ref in fonts.values():
            reading = _font_reading(ref, cache)
            if reading is None:
                continue
            facts, names = reading
            for name in names:
                found.setdefault(font_key(name), set()).add(facts)
    xobjects = resolve1(resources.get("XObject"))
    if isinstance(xobjects, Mapping):
        for ref in xobjects.values():
            objid = getattr(ref, "objid", None)
            if objid is not None:
                if objid in seen:
                    continue
                seen.add(objid)
            stream = resolve1(ref)
            if isinstance(stream, PDFStream) and _literal(stream.attrs.get("Subtype")) == "Form":
                _collect(stream.attrs.get("Resources"), found, seen, depth + 1, cache)


def _names(spec: Mapping[str, Any]) -> set[str]:
    """The names pdfium may report for a font: its BaseFont, its descendant's, its FontName."""
    names = {_literal(spec.get("BaseFont"))}
    descendant = _descendant(spec)
    if descendant is not None:
        names.add(_literal(descendant.get("BaseFont")))
        spec = descendant
    descriptor = resolve1(spec.get("FontDescriptor"))
    if isinstance(descriptor, Mapping):
        names.add(_literal(descriptor.get("FontName")))
    return {name for name in names if name}


def _descendant(spec: Mapping[str, Any]) -> Mapping[str, Any] | None:
    if _literal(spec.get("Subtype")) != "Type0":
        return None
    descendants = resolve1(spec.get("DescendantFonts"))
    if isinstance(descendants, list) and descendants:
        first = resolve1(descendants[0])
        if isinstance(first, Mapping):
            return first
    return None


def font_facts(spec: Mapping[str, Any]) -> FontFacts:
    """The facts pdfminer's `PDFResourceManager.get_font` would give this font dictionary."""
    subtype = _literal(spec.get("Subtype")) or "Type1"
    if subtype == "Type3":
        return FontFacts(fontname="unknown", descent=0.0, type3=True)
    vertical = False
    if subtype == "Type0":
        vertical = _vertical_cmap(spec.get("Encoding"))
        spec = _descendant(spec) or {}
    descriptor: Any = None
    if subtype in ("Type1", "MMType1"):
        metrics = FONT_METRICS.get(_literal(spec.get("BaseFont")) or "unknown")
        if metrics is not None:
            descriptor = metrics[0]
    if descriptor is None:
        descriptor = resolve1(spec.get("FontDescriptor"))
    if not isinstance(descriptor, Mapping):
        descriptor = {}
    fontname = _literal(descriptor.get("FontName")) or "unknown"
    descent = _number(descriptor.get("Descent"))
    if descent > 0:
        descent = -descent
    return FontFacts(fontname=fontname, descent=descent * 0.001, vertical=vertical)


def _vertical_cmap(encoding: Any) -> bool:
    encoding = resolve1(encoding)
    if isinstance(encoding, PDFStream):
        return _number(encoding.attrs.get("WMode")) == 1
    name = _literal(encoding)
    return bool(name) and name.endswith("-V")


def _literal(value: Any) -> str:
    value = resolve1(value)
    if isinstance(value, PSLiteral):
        value = value.name
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    return value if isinstance(value, str) else ""


def _number(value: Any) -> float:
    value = resolve1(value)
    return float(value) if isinstance(value, int | float) else 0.0


__all__ = ["FontCache", "FontFacts", "font_facts", "font_key", "page_fonts"]


def _one(facts: set[FontFacts]) -> FontFacts | None:
    """The facts of a name, or None when its fonts differ in more than their subset prefix (two
    subsets of one font are one font to the layout: it reads the name without the prefix)."""
    if len({(font_key(f.fontname), f.descent, f.vertical, f.type3) for f in facts}) > 1:
        return None
    names = {f.fontname for f in facts}
    first = next(iter(facts))
    if len(names) == 1:
        return first
    return FontFacts(font_key(first.fontname), first.descent, first.vertical, first.type3)
