"""Fonts and run styling shared by the corpus's text, tables and charts: Noto Sans CJK TC for the
Latin and the East Asian script alike, so LibreOffice's PDF export needs no font substitution."""

from __future__ import annotations

from lxml import etree
from pptx.dml.color import RGBColor
from pptx.oxml.ns import qn
from pptx.util import Pt

FONT_NAME = "Noto Sans CJK TC"


def rgb(hex_color: str) -> RGBColor:
    return RGBColor.from_string(hex_color.lstrip("#").upper())


def set_east_asian_fonts(rpr: etree._Element) -> None:
    """Give a run-properties element latin, ea and cs typefaces in schema order."""
    for tag in ("a:latin", "a:ea", "a:cs"):
        for existing in rpr.findall(qn(tag)):
            rpr.remove(existing)
    anchor = None
    for successor in ("a:sym", "a:hlinkClick", "a:hlinkMouseOver", "a:rtl", "a:extLst"):
        anchor = rpr.find(qn(successor))
        if anchor is not None:
            break
    for tag in ("a:latin", "a:ea", "a:cs"):
        font = etree.SubElement(rpr, qn(tag))
        font.set("typeface", FONT_NAME)
        if anchor is not None:
            anchor.addprevious(font)


def style_run(run, size: float, bold: bool, color: str | None) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    if color:
        run.font.color.rgb = rgb(color)
    set_east_asian_fonts(run._r.get_or_add_rPr())
