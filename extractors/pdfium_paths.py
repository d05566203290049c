"""A page's drawn lines, rectangles, curves and pictures from pdfium, as pdfplumber's objects.

pdfium keeps each painted path as a page object (in form XObjects too) with its segments in the
object's own space and a matrix to its parent's; a picture is an image object whose matrix maps
the unit square onto the page. This walks them in content order and sorts every subpath the way
pdfminer's `PDFLayoutAnalyzer.paint_path` does: a path with several subpaths is painted as
several; a closing line back to the start before `h` is dropped; `ml`/`mlh` is a line, an
axis-aligned closed `mlllh`/`mllll` a rectangle, anything else a curve whose points are the
segments' end points (Bézier control points are left out, as pdfminer does). Boxes and points
come out in pdfplumber's top-left coordinates; a path neither filled nor stroked is not painted
(pdfium keeps no object for a clipping path).

Colours are pdfium's RGB (alpha dropped): the chart finder only compares them for equality.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pypdfium2.raw as pdfium_c

Matrix = tuple[float, float, float, float, float, float]
Point = tuple[float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
MAX_FORM_DEPTH = 16


@dataclass
class Graphics:
    """pdfplumber's `rects`, `lines`, `curves` and `images` of one page, and its text objects
    (pdfium handles, content order; `page_text_objects` those outside form XObjects) for the
    text reader's checks."""

    rects: list[dict[str, Any]] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)
    curves: list[dict[str, Any]] = field(default_factory=list)
    images: list[dict[str, Any]] = field(default_factory=list)
    text_objects: list[Any] = field(default_factory=list)
    page_text_objects: list[Any] = field(default_factory=list)


def page_graphics(page: Any, height: float, doctop: float = 0.0) -> Graphics:
    """The graphics of a pypdfium2 page handle (`PdfPage.raw`) whose height is `height` points."""
    graphics = Graphics()
    objects = _children(lambda: pdfium_c.FPDFPage_CountObjects(page),
                        lambda i: pdfium_c.FPDFPage_GetObject(page, i))
    _walk(objects, IDENTITY, graphics, height, doctop, 0)
    return graphics


def _children(count: Callable[[], int], get: Callable[[int], Any]) -> Iterator[Any]:
    for index in range(count()):
        yield get(index)


def _walk(objects: Iterator[Any], parent: Matrix, graphics: Graphics, height: float,
          doctop: float, depth: int) -> None:
    fs_matrix = pdfium_c.FS_MATRIX()
    for obj in objects:
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
            graphics.text_objects.append(obj)
            if not depth:
                graphics.page_text_objects.append(obj)
            continue
        if kind not in (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_IMAGE,
                        pdfium_c.FPDF_PAGEOBJ_FORM):
            continue
        pdfium_c.FPDFPageObj_GetMatrix(obj, fs_matrix)
        own = (fs_matrix.a, fs_matrix.b, fs_matrix.c, fs_matrix.d, fs_matrix.e, fs_matrix.f)
        matrix = _concat(own, parent)
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            if depth < MAX_FORM_DEPTH:
                form = obj
                _walk(_children(lambda form=form: pdfium_c.FPDFFormObj_CountObjects(form),
                                lambda i, form=form: pdfium_c.FPDFFormObj_GetObject(form, i)),
                      matrix, graphics, height, doctop, depth + 1)
        elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            corners = [_apply(matrix, point) for point in ((0, 0), (1, 0), (0, 1), (1, 1))]
            graphics.images.append(_boxed({"object_type": "image"}, corners, height, doctop))
        else:
            _paint_path(obj, matrix, graphics, height, doctop)


def _concat(child: Matrix, parent: Matrix) -> Matrix:
    """The matrix applying `child` first, then `parent`."""
    a, b, c, d, e, f = child
    pa, pb, pc, pd, pe, pf = parent
    return (a * pa + b * pc, a * pb + b * pd, c * pa + d * pc, c * pb + d * pd,
            e * pa + f * pc + pe, e * pb + f * pd + pf)


def _apply(m: Matrix, point: tuple[float, float]) -> Point:
    x, y = point
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def _segments(obj: Any, matrix: Matrix) -> list[tuple[str, Point]]:
    """pdfminer's path operators with their end points in user space: m, l, c, h."""
    ops: list[tuple[str, Point]] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    pending_bezier = 0
    start: Point | None = None
    for index in range(pdfium_c.FPDFPath_CountSegments(obj)):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, index)
        pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
        point = _apply(matrix, (x.value, y.value))
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            ops.append(("m", point))
            start = point
            pending_bezier = 0
        elif kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
            pending_bezier += 1
            if pending_bezier == 3:
                ops.append(("c", point))
                pending_bezier = 0
        else:
            ops.append(("l", point))
        if pdfium_c.FPDFPathSegment_GetClose(segment) and start is not None:
            ops.append(("h", start))
    return ops


def _paint_path(obj: Any, matrix: Matrix, graphics: Graphics, height: float,
                doctop: float) -> None:
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj, fill_mode, stroke):
        return
    filled, stroked = fill_mode.value != 0, bool(stroke.value)
    if not (filled or stroked):
        return
    style = {
        "fill": filled,
        "stroke": stroked,
        "non_stroking_color": _colour(pdfium_c.FPDFPageObj_GetFillColor, obj),
        "stroking_color": _colour(pdfium_c.FPDFPageObj_GetStrokeColor, obj),
        "linewidth": _stroke_width(obj),
    }
    ops = _segments(obj, matrix)
    starts = [i for i, (op, _) in enumerate(ops) if op == "m"]
    if not ops or ops[0][0] != "m":
        return
    for number, first in enumerate(starts):
        end = starts[number + 1] if number + 1 < len(starts) else len(ops)
        subpath = ops[first:end]
        if len(subpath) > 1:
            _classify(subpath, style, graphics, height, doctop)


def _classify(subpath: list[tuple[str, Point]], style: dict[str, Any], graphics: Graphics,
              height: float, doctop: float) -> None:
    shape = "".join(op for op, _ in subpath)
    pts = [point for _, point in subpath]
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        pts.pop()
    flipped = [(x, height - y) for x, y in pts]
    if shape in ("ml", "mlh"):
        graphics.lines.append(_boxed({"object_type": "line", **style, "pts": flipped[:2]},
                                     pts[:2], height, doctop))
        return
    if shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        closed = pts[0] == pts[4]
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (
            y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0
        )
        if closed and square:
            graphics.rects.append(_boxed({"object_type": "rect", **style, "pts": flipped},
                                         [pts[0], pts[2]], height, doctop))
            return
    graphics.curves.append(_boxed({"object_type": "curve", **style, "pts": flipped},
                                  pts, height, doctop))


def _boxed(obj: dict[str, Any], points: list[Point], height: float,
           doctop: float) -> dict[str, Any]:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    obj.update(x0=x0, x1=x1, y0=y0, y1=y1, width=x1 - x0, height=y1 - y0,
               top=height - y1, bottom=height - y0, doctop=doctop + height - y1)
    return obj


def _colour(getter: Callable[..., int], obj: Any) -> tuple[float, ...]:
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not getter(obj, r, g, b, a):
        return ()
    return (r.value / 255, g.value / 255, b.value / 255)


def _stroke_width(obj: Any) -> float:
    width = ctypes.c_float()
    return float(width.value) if pdfium_c.FPDFPageObj_GetStrokeWidth(obj, width) else 0.0


__all__ = ["Graphics", "page_graphics"]
