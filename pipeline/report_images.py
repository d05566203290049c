"""Pictures of the page region a finding is about, with its figures boxed, as PNG data URIs.

PDF pages are rendered with pdfplumber (pypdfium2 underneath). The picture is a full-width band of
the page around the figures' boxes (bbox = [x0, top, x1, bottom] in PDF points), so the reader sees
the line and its neighbours; without boxes it is the whole page, smaller.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from pathlib import Path

import pdfplumber

BAND_MARGIN = 70.0  # points of context above and below the figures
MARK_STROKE = (214, 40, 40, 255)
MARK_FILL = (255, 230, 0, 70)


class PdfPictures:
    """Renders regions of PDF pages, keeping each PDF open until `close`."""

    def __init__(self, resolution: int = 90) -> None:
        self.resolution = resolution
        self._open: dict[Path, pdfplumber.PDF] = {}
        self._cache: dict[tuple[Path, int, tuple[tuple[float, ...], ...]], str | None] = {}

    def picture(self, pdf_path: Path, page_number: int, boxes: Sequence[Sequence[float]]) -> str | None:
        """A `data:image/png;base64,…` URI, or None when the page cannot be rendered."""
        key = (pdf_path, page_number, tuple(tuple(round(v, 1) for v in box) for box in boxes))
        if key not in self._cache:
            self._cache[key] = self._render(pdf_path, page_number, boxes)
        return self._cache[key]

    def _render(self, pdf_path: Path, page_number: int, boxes: Sequence[Sequence[float]]) -> str | None:
        try:
            pdf = self._pdf(pdf_path)
            if not 1 <= page_number <= len(pdf.pages):
                return None
            page = pdf.pages[page_number - 1]
            boxes = [_clip(box, page.width, page.height) for box in boxes if len(box) == 4]
            boxes = [box for box in boxes if box[2] > box[0] and box[3] > box[1]]
            if boxes:
                top = max(0.0, min(box[1] for box in boxes) - BAND_MARGIN)
                bottom = min(float(page.height), max(box[3] for box in boxes) + BAND_MARGIN)
                image = page.crop((0, top, page.width, bottom)).to_image(resolution=self.resolution)
                image.draw_rects([_padded(box) for box in boxes], stroke=MARK_STROKE, fill=MARK_FILL, stroke_width=3)
            else:
                image = page.to_image(resolution=self.resolution * 0.6)
            buffer = io.BytesIO()
            image.save(buffer, format="PNG")
        except Exception:  # a damaged or vanished PDF: the report still shows the text
            return None
        return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")

    def _pdf(self, path: Path) -> pdfplumber.PDF:
        if path not in self._open:
            self._open[path] = pdfplumber.open(path)
        return self._open[path]

    def close(self) -> None:
        for pdf in self._open.values():
            pdf.close()
        self._open.clear()


def _clip(box: Sequence[float], width: float, height: float) -> tuple[float, float, float, float]:
    x0, top, x1, bottom = (float(v) for v in box)
    return max(0.0, x0), max(0.0, top), min(float(width), x1), min(float(height), bottom)


def _padded(box: tuple[float, float, float, float], pad: float = 2.0) -> tuple[float, float, float, float]:
    return box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad
