"""PPTX pictures that may hold text (a table pasted as a screenshot) handed to OCR.

A picture shape covering at least `extractors.ocr.PICTURE_MIN_SHARE` of the slide, not rotated, not
blank, with no more than PICTURE_MAX_GLYPHS characters of the slide's own text over it, is cropped
as the shape crops it, put on white and sized to its box at MIN..MAX_PIXELS_PER_POINT; `PageOcr`
reads it with the deck's other pictures (one helper run), and what is read is placed where the
picture is on the slide, carrying its shape id and name.
"""

from __future__ import annotations

from typing import Any

from deckmine.extractors.model import AnyBlock, BBox, NotesBlock, Page, TableBlock, TextBlock
from deckmine.extractors.ocr import DPI, PICTURE_MAX_GLYPHS, PICTURE_MIN_SHARE, PageOcr, Placer
from deckmine.extractors.ocr_tables import TONE_STEP
from deckmine.extractors.pptx_geometry import (
    Transform,
    reading_order,
    rotation_of,
    shape_bbox,
    shape_placement,
)
from deckmine.extractors.pptx_xml import DAMAGE_ERRORS
from pptx.shapes.base import BaseShape

# A picture is read at its own resolution, but at least DPI and at most twice DPI on the slide
MIN_PIXELS_PER_POINT = DPI / 72
MAX_PIXELS_PER_POINT = 2 * DPI / 72
MAX_PICTURE_PIXELS = 40_000_000  # a picture larger than this (decoded) is not read


def keep_pictures_with_text(
    page: Page, pictures: list[tuple[BaseShape, Transform, bool]], ocr_state: PageOcr
) -> None:
    """Give OCR the pictures of a slide that may hold text: at least PICTURE_MIN_SHARE of the
    slide, not rotated, not blank, with no more than PICTURE_MAX_GLYPHS characters of the slide's
    own text over them. Without an engine the slide gets one warning."""
    from PIL import Image

    slide_area = page.width * page.height
    unread = 0
    for shape, transform, in_group in pictures:
        try:
            box = shape_bbox(shape, transform)
            if (
                box is None
                or box.width <= 0
                or box.height <= 0
                or box.width * box.height < PICTURE_MIN_SHARE * slide_area
                or rotation_of(shape._element) % 360
                or _characters_over(page.blocks, box) > PICTURE_MAX_GLYPHS
            ):
                continue
            image = _picture_image(shape, box)
        except (*DAMAGE_ERRORS, OSError, Image.DecompressionBombError):
            continue  # an image PIL cannot read (a vector EMF/WMF, a broken part): nothing to read
        if image is None:
            continue
        scale = box.width / image.width  # points per pixel
        place = _placer(shape_placement(shape, transform, page.number), in_group)
        if not ocr_state.visit_picture(page, image, (box.x0, box.top), scale, place):
            unread += 1
    if unread:
        page.warnings.append(f"pictures not read by OCR{ocr_state.unavailable}")


def _characters_over(blocks: list[AnyBlock], box: BBox) -> int:
    """Characters of the slide's text and table blocks whose centre lies inside `box`."""
    count = 0
    for block in blocks:
        if not isinstance(block, TextBlock | TableBlock) or block.bbox is None or "alt_text" in block.flags:
            continue
        centre_x = (block.bbox.x0 + block.bbox.x1) / 2
        centre_y = (block.bbox.top + block.bbox.bottom) / 2
        if box.x0 <= centre_x <= box.x1 and box.top <= centre_y <= box.bottom:
            count += sum(1 for char in block.text if not char.isspace())
    return count


def _picture_image(shape: Any, box: BBox) -> Any:
    """The picture as shown on the slide (cropped as the shape crops it, on white), sized to its
    box at MIN..MAX_PIXELS_PER_POINT; None when it is blank or too large to decode."""
    import io

    from PIL import Image

    with Image.open(io.BytesIO(shape.image.blob)) as opened:
        if opened.width * opened.height > MAX_PICTURE_PIXELS:
            return None
        image = opened.convert("RGBA")
    crop = [shape.crop_left, shape.crop_top, shape.crop_right, shape.crop_bottom]
    if any(crop):
        left, top, right, bottom = (max(0.0, min(1.0, float(value or 0))) for value in crop)
        x0, y0 = round(left * image.width), round(top * image.height)
        x1, y1 = round((1 - right) * image.width), round((1 - bottom) * image.height)
        if x1 - x0 < 2 or y1 - y0 < 2:
            return None
        image = image.crop((x0, y0, x1, y1))
    white = Image.new("RGBA", image.size, (255, 255, 255, 255))
    image = Image.alpha_composite(white, image).convert("RGB")
    low, high = image.convert("L").getextrema()
    if high - low <= TONE_STEP:
        return None  # one tone: nothing drawn in it
    per_point = min(max(image.width / box.width, MIN_PIXELS_PER_POINT), MAX_PIXELS_PER_POINT)
    size = (max(1, round(box.width * per_point)), max(1, round(box.height * per_point)))
    return image if image.size == size else image.resize(size, Image.Resampling.LANCZOS)


def _placer(placement: dict[str, Any], in_group: bool) -> Placer:
    """Put the blocks read in a picture on its slide: they carry the picture's shape id and
    name; the title stays first, the notes last, the rest in reading order."""

    def place(page: Page, added: list[AnyBlock]) -> None:
        if not added:
            return
        for block in added:
            block.shape_id = placement["shape_id"]
            block.shape_name = placement["shape_name"]
            if in_group:
                block.flags.append("in_group")
        title = page.blocks[0] if page.blocks and getattr(page.blocks[0], "is_title", False) else None
        rest = [block for block in page.blocks if block is not title]
        notes = [block for block in rest if isinstance(block, NotesBlock)]
        others = [block for block in rest if not isinstance(block, NotesBlock)]
        page.blocks = ([title] if title else []) + reading_order(others + added) + notes

    return place


__all__ = ["MAX_PICTURE_PIXELS", "MAX_PIXELS_PER_POINT", "MIN_PIXELS_PER_POINT", "keep_pictures_with_text"]
