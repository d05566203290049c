"""The PPTX vocabulary the PPTX modules share, and how a damaged package is reported.

Namespaces, element tags and compiled XPaths of PresentationML and DrawingML (EMU_PER_POINT
converts their lengths); DAMAGE_ERRORS, what a damaged package or part makes python-pptx and lxml
raise; `one_line` turns one into a one-line reason and `first_malformed_part` names the member that
does not parse.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

from lxml import etree
from pptx.exc import PackageNotFoundError

EMU_PER_POINT = 12700
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
P_NS = "http://schemas.openxmlformats.org/presentationml/2006/main"
NSMAP = {"a": A_NS, "p": P_NS}
# What a damaged package or part makes python-pptx and lxml raise.
DAMAGE_ERRORS: tuple[type[BaseException], ...] = (
    PackageNotFoundError,
    KeyError,
    ValueError,
    AttributeError,
    TypeError,
    IndexError,
    etree.LxmlError,
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
)

# lxml ends its messages with where the parsed string came from, which names nothing useful here
XML_ERROR_SOURCE = re.compile(r" \(<string>, line \d+\)$")

MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
TAG_GROUP = f"{{{P_NS}}}grpSp"
SHAPE_TAGS = frozenset(
    f"{{{P_NS}}}{name}" for name in ("sp", "grpSp", "graphicFrame", "cxnSp", "pic", "contentPart")
)
TAG_ALTERNATE_CONTENT = f"{{{MC_NS}}}AlternateContent"
TAG_CHOICE = f"{{{MC_NS}}}Choice"
TAG_FALLBACK = f"{{{MC_NS}}}Fallback"
TAG_PICTURE = f"{{{P_NS}}}pic"
TAG_RUN = f"{{{A_NS}}}r"
TAG_FIELD = f"{{{A_NS}}}fld"
TAG_BREAK = f"{{{A_NS}}}br"
TAG_OFF = f"{{{A_NS}}}off"
TAG_EXT = f"{{{A_NS}}}ext"
XPATH = {
    "paragraphs": etree.XPath("a:p", namespaces=NSMAP),
    "run_props": etree.XPath("a:rPr", namespaces=NSMAP),
    "run_text": etree.XPath("a:t/text()", namespaces=NSMAP),
    "body_props": etree.XPath("a:bodyPr", namespaces=NSMAP),
    "group_xfrm": etree.XPath("p:grpSpPr/a:xfrm", namespaces=NSMAP),
    "cell_props": etree.XPath("a:tcPr", namespaces=NSMAP),
    "cell_body": etree.XPath("a:txBody", namespaces=NSMAP),
    "non_visual_props": etree.XPath("*[1]/p:cNvPr", namespaces=NSMAP),
    "own_xfrm": etree.XPath("p:spPr/a:xfrm|p:xfrm|p:grpSpPr/a:xfrm", namespaces=NSMAP),
    "shape_body": etree.XPath("p:txBody", namespaces=NSMAP),
}


def first_malformed_part(path: Path) -> str | None:
    """Name the first XML member of the package that does not parse (only called on failure)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if not name.endswith((".xml", ".rels")):
                    continue
                try:
                    etree.fromstring(archive.read(name), parser)
                except etree.XMLSyntaxError:
                    return name
    except (zipfile.BadZipFile, OSError, zlib.error):
        return None
    return None


def one_line(exc: BaseException, with_type: bool = True) -> str:
    """The exception on one line of at most 200 characters, its type first unless `with_type` is
    false."""
    # KeyError's str() is the repr of its key; its first argument is the message itself
    raw = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
    message = str(raw).strip().splitlines()
    text = XML_ERROR_SOURCE.sub("", message[0]) if message else ""
    if with_type:
        text = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    return text[:200]


__all__ = [
    "A_NS",
    "DAMAGE_ERRORS",
    "EMU_PER_POINT",
    "NSMAP",
    "P_NS",
    "XPATH",
    "first_malformed_part",
    "one_line",
]
