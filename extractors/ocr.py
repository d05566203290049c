"""OCR for PDF pages without a text layer (scanned or image-only decks), offline.

Modes (`--ocr`, or `DECKMINE_OCR`): `auto` (default) reads the pages that have no text layer,
`always` reads every page from its picture instead of its text layer, `never` reads none. With OCR
off or not installed, a PDF none of whose pages has a text layer is refused with one line:
`no text layer on 18 of 18 pages (scanned?); OCR is off`; when only some pages lack it (and show a
picture), the document says so in a warning.

Engines, both with their models on disk (nothing is downloaded at run time):
- `rapidocr`: `rapidocr-onnxruntime` (PP-OCRv4 detection and recognition models inside the wheel,
  `pip install 'deckmine[ocr]'`);
- `tesseract`: Debian's `tesseract-ocr` with `tesseract-ocr-chi-tra`, through `pytesseract`.
`DECKMINE_OCR_ENGINE` picks one; otherwise the first installed of ENGINES is used (the order is
the measured one, see README "Formats").

A page is rendered at `DPI` (pypdfium2, which pdfplumber ships), every detected line becomes a
`TextLine` with its box in points, lines are grouped into blocks as PDF text is
(`extractors.pdf_layout`), and every block is flagged `ocr` and `ocr_confidence=0.93` (the lowest
line confidence in it), plus `ocr_low_confidence` under LOW_CONFIDENCE. Simplified forms the
recognizer prefers (`户`, `连`) are mapped to the traditional ones (`data/ocr_simplified.tsv`), and
radicals as for PDF text (`extractors.glyphs`).
"""

from __future__ import annotations

import functools
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from extractors.glyphs import normalise_text
from extractors.model import BBox, Document, ExtractionError, Page, TextBlock, TextLine
from extractors.pdf_layout import Line, _group_into_blocks, reading_order, union_box

MODES = ("auto", "always", "never")
ENGINES = ("rapidocr", "tesseract")
DPI = 150
LOW_CONFIDENCE = 0.8
DATA = Path(__file__).resolve().parent / "data"
INSTALL_HINT = "pip install 'deckmine[ocr]'"


class OcrLine(NamedTuple):
    """One recognised line: box in pixels of the rendered page, text, confidence 0..1."""

    box: tuple[float, float, float, float]
    text: str
    confidence: float


def ocr_mode(mode: str | None = None) -> str:
    value = (mode or os.environ.get("DECKMINE_OCR") or "auto").strip().lower()
    if value not in MODES:
        raise ValueError(f"OCR mode must be one of {', '.join(MODES)}, not {value!r}")
    return value


# --------------------------------------------------------------------------- engines


class Engine:
    name = ""

    def read(self, image: Any) -> list[OcrLine]:  # pragma: no cover - interface
        raise NotImplementedError


class RapidOcrEngine(Engine):
    name = "rapidocr"

    def __init__(self) -> None:
        import numpy
        from rapidocr_onnxruntime import RapidOCR

        self._numpy = numpy
        self._engine = RapidOCR()

    def read(self, image: Any) -> list[OcrLine]:
        result, _elapsed = self._engine(self._numpy.asarray(image.convert("RGB")))
        lines = []
        for box, text, score in result or []:
            xs = [float(point[0]) for point in box]
            ys = [float(point[1]) for point in box]
            lines.append(OcrLine((min(xs), min(ys), max(xs), max(ys)), str(text), float(score)))
        return lines


class TesseractEngine(Engine):
    name = "tesseract"
    language = "chi_tra"

    def __init__(self) -> None:
        import pytesseract

        if shutil.which("tesseract") is None:
            raise ImportError("the tesseract program is not installed")
        if self.language not in pytesseract.get_languages(config=""):
            raise ImportError(f"tesseract has no {self.language} data (apt-get install tesseract-ocr-chi-tra)")
        self._tesseract = pytesseract

    def read(self, image: Any) -> list[OcrLine]:
        data = self._tesseract.image_to_data(
            image, lang=self.language, output_type=self._tesseract.Output.DICT
        )
        groups: dict[tuple[int, int, int], list[Any]] = {}
        for index, word in enumerate(data["text"]):
            if not str(word).strip():
                continue
            key = (data["block_num"][index], data["par_num"][index], data["line_num"][index])
            x, y = float(data["left"][index]), float(data["top"][index])
            box = (x, y, x + float(data["width"][index]), y + float(data["height"][index]))
            group = groups.setdefault(key, [box, [], []])
            group[0] = (
                min(group[0][0], box[0]), min(group[0][1], box[1]),
                max(group[0][2], box[2]), max(group[0][3], box[3]),
            )
            group[1].append(str(word))
            group[2].append(max(0.0, float(data["conf"][index])) / 100)
        return [
            OcrLine(box, " ".join(words), sum(scores) / len(scores))
            for box, words, scores in groups.values()
        ]


_ENGINE_CLASSES: dict[str, Callable[[], Engine]] = {
    "rapidocr": RapidOcrEngine,
    "tesseract": TesseractEngine,
}


@functools.cache
def _load(name: str) -> Engine | str:
    try:
        return _ENGINE_CLASSES[name]()
    except (ImportError, OSError, RuntimeError) as exc:
        return f"{name}: {' '.join(str(exc).split())[:120]}"


def engine(name: str | None = None) -> Engine | None:
    """The OCR engine to use (loaded once per process), or None when none is installed."""
    wanted = name or os.environ.get("DECKMINE_OCR_ENGINE") or ""
    for candidate in [wanted] if wanted else list(ENGINES):
        loaded = _load(candidate)
        if isinstance(loaded, Engine):
            return loaded
    return None


# --------------------------------------------------------------------------- text


@functools.cache
def simplified_map() -> dict[int, str]:
    mapping: dict[str, str] = {}
    for line in (DATA / "ocr_simplified.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            simplified, traditional = line.split("\t")[:2]
            mapping[simplified] = traditional
    return str.maketrans(mapping)


def normalise_ocr_text(text: str) -> str:
    """OCR text with simplified forms read as traditional ones and radicals as ideographs."""
    return normalise_text(text.translate(simplified_map())).strip()


def blocks_from_lines(lines: list[OcrLine], number: int, scale: float) -> list[TextBlock]:
    """TextBlocks (flag `ocr`) from recognised lines; `scale` turns pixels into points."""
    layout_lines: list[Line] = []
    confidence: dict[int, float] = {}
    for ocr_line in lines:
        text = normalise_ocr_text(ocr_line.text)
        if not text:
            continue
        x0, top, x1, bottom = (value * scale for value in ocr_line.box)
        glyph = {
            "text": text, "x0": x0, "top": top, "x1": x1, "bottom": bottom,
            "size": round((bottom - top) * 0.8, 1), "bold": False, "page_box": (x0, top, x1, bottom),
        }
        line = Line(glyph)
        confidence[id(line)] = ocr_line.confidence
        layout_lines.append(line)
    blocks: list[TextBlock] = []
    for group in _group_into_blocks(layout_lines):
        lowest = min(confidence[id(line)] for line in group)
        flags = ["ocr", f"ocr_confidence={lowest:.2f}"]
        if lowest < LOW_CONFIDENCE:
            flags.append("ocr_low_confidence")
        text_lines = [TextLine(line.glyphs[0]["text"], line.page_bbox, line.size) for line in group]
        size = max(line.size for line in group)
        blocks.append(
            TextBlock(
                page=number,
                bbox=union_box(line.page_bbox for line in group),
                flags=flags,
                lines=text_lines,
                font_size=size,
                bold=False,
            )
        )
    return reading_order(blocks, lambda block: block.bbox or BBox(0, 0, 0, 0))


def read_page_image(pdf_page: Any, number: int, ocr_engine: Engine) -> list[TextBlock]:
    """Render a pdfplumber page and read it."""
    image = pdf_page.to_image(resolution=DPI).original
    return blocks_from_lines(ocr_engine.read(image), number, 72.0 / DPI)


# --------------------------------------------------------------------------- per document


@dataclass
class PageOcr:
    """What the PDF reader asks per page, and what it says about the document at the end."""

    mode: str = "auto"
    ocr_engine: Engine | None = None
    without_text: int = 0  # pages with no text layer
    without_text_pictured: int = 0  # of those, pages that show a picture
    read: int = 0  # pages read by OCR
    unavailable: str = ""
    _checked: bool = field(default=False, repr=False)

    @classmethod
    def for_mode(cls, mode: str | None = None) -> PageOcr:
        return cls(mode=ocr_mode(mode))

    def _engine(self) -> Engine | None:
        if not self._checked:
            self._checked = True
            self.ocr_engine = engine()
            if self.ocr_engine is None:
                self.unavailable = f" (no OCR engine installed: {INSTALL_HINT})"
        return self.ocr_engine

    def visit(self, page: Page, pdf_page: Any, unreadable_only: bool, finish: Callable[[Page], None]) -> None:
        """Called with each page once the text layer is read: OCR it when the mode says so."""
        no_text = not page.blocks and not unreadable_only
        if no_text:
            self.without_text += 1
            self.without_text_pictured += bool(pdf_page.images)
        if self.mode == "never" or not (no_text or self.mode == "always"):
            return
        ocr_engine = self._engine()
        if ocr_engine is None:
            return
        try:
            blocks = read_page_image(pdf_page, page.number, ocr_engine)
        except MemoryError:
            raise
        except Exception as exc:  # an engine's own failure costs this page's OCR only
            text = " ".join(str(exc).split())[:120] or type(exc).__name__
            page.warnings.append(f"page {page.number}: OCR ({ocr_engine.name}) failed: {text}")
            return
        page.blocks = list(blocks)
        page.title = None
        finish(page)
        self.read += 1

    def conclude(self, document: Document) -> None:
        """Refuse a PDF with no text layer at all when OCR did not read it; warn for some pages."""
        count = len(document.pages)
        off = f"OCR is off{self.unavailable}" if self.read == 0 else ""
        if not count or self.read:
            if self.read:
                document.metadata["ocr_pages"] = self.read
                document.metadata["ocr_engine"] = self.ocr_engine.name if self.ocr_engine else None
            return
        if self.without_text == count:
            raise ExtractionError(f"no text layer on {count} of {count} pages (scanned?); {off}")
        if self.without_text_pictured:
            document.warnings.append(
                f"no text layer on {self.without_text_pictured} of {count} pages (scanned?); {off}"
            )


__all__ = [
    "DPI",
    "ENGINES",
    "MODES",
    "OcrLine",
    "PageOcr",
    "blocks_from_lines",
    "engine",
    "normalise_ocr_text",
    "ocr_mode",
    "read_page_image",
]
