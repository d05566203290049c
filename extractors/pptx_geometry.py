"""Where a PPTX shape is on its slide: group transforms flattened, boxes, rotation, reading order.

`walk_shapes` yields every leaf shape of a slide with the `Transform` from its coordinates (EMU) to
the slide's (nested groups compose theirs); `shape_bbox` is its box in points (a shape turned on
its side swaps width and height); `shape_placement` the fields every block of a shape carries;
`reading_order` puts blocks top to bottom, then left to right.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from deckmine.extractors.model import AnyBlock, BBox
from deckmine.extractors.pptx_xml import (
    A_NS,
    EMU_PER_POINT,
    SHAPE_TAGS,
    TAG_ALTERNATE_CONTENT,
    TAG_CHOICE,
    TAG_EXT,
    TAG_FALLBACK,
    TAG_GROUP,
    TAG_OFF,
    XPATH,
)
from lxml import etree
from pptx.shapes.base import BaseShape
from pptx.shapes.group import GroupShape

ROW_TOLERANCE_PT = 6.0


@dataclass(frozen=True)
class Transform:
    """Maps a group's child coordinates (EMU) to slide coordinates: slide = child * scale + offset."""

    scale_x: float = 1.0
    scale_y: float = 1.0
    offset_x: float = 0.0
    offset_y: float = 0.0

    def then(self, outer: Transform) -> Transform:
        """This transform followed by `outer` (the enclosing group's)."""
        return Transform(
            scale_x=self.scale_x * outer.scale_x,
            scale_y=self.scale_y * outer.scale_y,
            offset_x=self.offset_x * outer.scale_x + outer.offset_x,
            offset_y=self.offset_y * outer.scale_y + outer.offset_y,
        )

    def bbox(self, left: int, top: int, width: int, height: int) -> BBox:
        x0 = left * self.scale_x + self.offset_x
        y0 = top * self.scale_y + self.offset_y
        return BBox(
            x0 / EMU_PER_POINT,
            y0 / EMU_PER_POINT,
            (x0 + width * self.scale_x) / EMU_PER_POINT,
            (y0 + height * self.scale_y) / EMU_PER_POINT,
        )


IDENTITY = Transform()


def walk_shapes(
    shapes: Any, transform: Transform, in_group: bool
) -> Iterator[tuple[BaseShape, Transform, bool]]:
    """Every leaf shape with the transform from its coordinates to the slide's, groups flattened.

    Walks the shape tree's XML itself (python-pptx's iteration skips shapes wrapped in
    `mc:AlternateContent`, as PowerPoint saves equations and other newer content)."""
    for child in shapes._spTree.iterchildren():
        for element in shape_elements(child):
            shape = shapes._shape_factory(element)
            if element.tag == TAG_GROUP:
                group: GroupShape = shape
                inner = group_transform(group).then(transform)
                yield from walk_shapes(group.shapes, inner, in_group=True)
            else:
                yield shape, transform, in_group


def shape_elements(element: etree._Element) -> list[etree._Element]:
    """The shape element itself, or the shapes of an `mc:AlternateContent`'s first choice that has
    any (else of its fallback); nothing for anything else."""
    if element.tag in SHAPE_TAGS:
        return [element]
    if element.tag != TAG_ALTERNATE_CONTENT:
        return []
    for option in element.iterchildren(TAG_CHOICE, TAG_FALLBACK):
        shapes = [child for child in option.iterchildren() if child.tag in SHAPE_TAGS]
        if shapes:
            return shapes
    return []


def group_transform(group: GroupShape) -> Transform:
    """A group's `a:xfrm` maps its child box (chOff/chExt) onto its own box (off/ext)."""
    xfrms = XPATH["group_xfrm"](group._element)
    if not xfrms:
        return IDENTITY
    xfrm = xfrms[0]
    off, ext, child_off, child_ext = (
        xfrm.find(f"{{{A_NS}}}{name}") for name in ("off", "ext", "chOff", "chExt")
    )
    if off is None or child_off is None:
        return IDENTITY
    scale_x = scale_y = 1.0
    if ext is not None and child_ext is not None:
        child_cx, child_cy = int(child_ext.get("cx", 0)), int(child_ext.get("cy", 0))
        if child_cx:
            scale_x = int(ext.get("cx", 0)) / child_cx
        if child_cy:
            scale_y = int(ext.get("cy", 0)) / child_cy
    return Transform(
        scale_x=scale_x,
        scale_y=scale_y,
        offset_x=int(off.get("x", 0)) - int(child_off.get("x", 0)) * scale_x,
        offset_y=int(off.get("y", 0)) - int(child_off.get("y", 0)) * scale_y,
    )


def shape_bbox(shape: BaseShape, transform: Transform) -> BBox | None:
    """The shape's box on the slide in points."""
    geometry = own_geometry(shape._element)
    if geometry is None:  # a placeholder that inherits its position from the layout
        left, top, width, height = shape.left, shape.top, shape.width, shape.height
        if left is None or top is None or width is None or height is None:
            return None
        geometry = (left, top, width, height, 0.0)
    left, top, width, height, rotation = geometry
    bbox = transform.bbox(left, top, width, height)
    if 45 <= rotation % 180 < 135:  # turned on its side: the visible box swaps width and height
        centre_x, centre_y = (bbox.x0 + bbox.x1) / 2, (bbox.top + bbox.bottom) / 2
        half_w, half_h = bbox.height / 2, bbox.width / 2
        bbox = BBox(centre_x - half_w, centre_y - half_h, centre_x + half_w, centre_y + half_h)
    return bbox


def rotation_of(element: etree._Element) -> float:
    """Clockwise rotation in degrees (0 for shapes that do not set one)."""
    geometry = own_geometry(element)
    return geometry[4] if geometry is not None else 0.0


def own_geometry(element: etree._Element) -> tuple[int, int, int, int, float] | None:
    """Offset, extent (EMU) and rotation from the shape's own `a:xfrm`, read in one pass."""
    xfrms = XPATH["own_xfrm"](element)
    if not xfrms:
        return None
    xfrm = xfrms[0]
    off, ext = xfrm.find(TAG_OFF), xfrm.find(TAG_EXT)
    if off is None or ext is None:
        return None
    return (
        int(off.get("x", 0)),
        int(off.get("y", 0)),
        int(ext.get("cx", 0)),
        int(ext.get("cy", 0)),
        int(xfrm.get("rot", 0)) / 60000,
    )


def shape_placement(shape: BaseShape, transform: Transform, number: int) -> dict[str, Any]:
    """The fields every block of a shape has: page, box and the shape's id and name."""
    bbox = shape_bbox(shape, transform)
    cnv_props = XPATH["non_visual_props"](shape._element)
    shape_id = cnv_props[0].get("id") if cnv_props else None
    return {
        "page": number,
        "bbox": bbox,
        "shape_id": int(shape_id) if shape_id and shape_id.isdigit() else None,
        "shape_name": cnv_props[0].get("name") if cnv_props else None,
    }


def reading_order(blocks: list[AnyBlock]) -> list[AnyBlock]:
    """Top to bottom, then left to right; tops within ROW_TOLERANCE_PT of a row's first top share
    the row. Blocks without a box keep their order after the placed ones."""
    placed = sorted((b for b in blocks if b.bbox is not None), key=lambda b: b.bbox.top)
    unplaced = [b for b in blocks if b.bbox is None]
    ordered: list[AnyBlock] = []
    row: list[AnyBlock] = []
    row_top = 0.0
    for block in placed:
        if row and block.bbox.top - row_top > ROW_TOLERANCE_PT:
            ordered.extend(sorted(row, key=lambda b: b.bbox.x0))
            row = []
        if not row:
            row_top = block.bbox.top
        row.append(block)
    ordered.extend(sorted(row, key=lambda b: b.bbox.x0))
    return ordered + unplaced


__all__ = [
    "IDENTITY",
    "ROW_TOLERANCE_PT",
    "Transform",
    "reading_order",
    "rotation_of",
    "shape_bbox",
    "shape_placement",
    "walk_shapes",
]
