"""Read the text of a SmartArt diagram in a PPTX slide (python-pptx has no API for it).

A SmartArt shape is a `p:graphicFrame` whose `a:graphicData` has the diagram URI. Its
`dgm:relIds/@r:dm` names the slide relationship to the diagram *data* part, whose `dgm:pt` points
hold the texts the user typed. Points of type `node` (the default when no type is given) and `asst`
carry content; the others (`doc`, `pres`, `parTrans`, `sibTrans`) are structure.
"""

from __future__ import annotations

from lxml import etree
from pptx.opc.package import Part

DIAGRAM_URI = "http://schemas.openxmlformats.org/drawingml/2006/diagram"
DGM_NS = DIAGRAM_URI
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NSMAP = {"dgm": DGM_NS, "a": A_NS}
CONTENT_POINT_TYPES = frozenset({"node", "asst"})

_graphic_data = etree.XPath("a:graphic/a:graphicData", namespaces=NSMAP)
_rel_ids = etree.XPath("a:graphic/a:graphicData/dgm:relIds", namespaces=NSMAP)
_points = etree.XPath("dgm:ptLst/dgm:pt", namespaces=NSMAP)
_point_paragraphs = etree.XPath("dgm:t/a:p", namespaces=NSMAP)
_paragraph_texts = etree.XPath("a:r/a:t/text()|a:fld/a:t/text()", namespaces=NSMAP)

# The data part comes from the file being read: never resolve entities or reach the network.
_SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def is_smartart(graphic_frame: etree._Element) -> bool:
    """True when this `p:graphicFrame` element holds a SmartArt diagram."""
    data = _graphic_data(graphic_frame)
    return bool(data) and data[0].get("uri") == DIAGRAM_URI


def smartart_paragraphs(graphic_frame: etree._Element, slide_part: Part) -> list[str]:
    """The non-empty paragraphs of the diagram's content points, in document order.

    Raises KeyError when the data relationship or part is missing and lxml's XMLSyntaxError when
    the part is not well-formed; the caller turns those into a page warning."""
    rel_ids = _rel_ids(graphic_frame)
    if not rel_ids:
        return []
    data_rel_id = rel_ids[0].get(f"{{{R_NS}}}dm")
    if not data_rel_id:
        return []
    data_part = slide_part.related_part(data_rel_id)
    root = etree.fromstring(data_part.blob, _SAFE_PARSER)
    paragraphs: list[str] = []
    for point in _points(root):
        if point.get("type", "node") not in CONTENT_POINT_TYPES:
            continue
        for paragraph in _point_paragraphs(point):
            text = "".join(_paragraph_texts(paragraph)).strip()
            if text:
                paragraphs.append(text)
    return paragraphs
