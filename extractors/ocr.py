"""OCR for PDF pages without a text layer (scanned or image-only decks), offline.

Modes (`--ocr`, or `DECKMINE_OCR`): `auto` (default) reads the pages that have no text layer and
the pictures on other pages that cover a few percent of the page with no text over them (a table
pasted as a screenshot),
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
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import regex

from extractors.glyphs import normalise_text
from extractors.model import AnyBlock, BBox, Document, ExtractionError, Page, TextBlock, TextLine
from extractors.pdf_layout import Line, _group_into_blocks, reading_order, union_box
from extractors.textjoin import normalize_spacing

MODES = ("auto", "always", "never")
ENGINES = ("rapidocr", "tesseract")
DPI = 150
LOW_CONFIDENCE = 0.8
MARGIN = 2  # pixels of white around a picture before its cell boundaries are looked for
TONE_STEP = 6  # grey levels between neighbouring pixels that make a boundary
RULE_MIN_SHARE = 0.04  # a cell boundary runs at least this share of the picture's width or height
RULE_MIN_PIXELS = 80  # (longer than any glyph stroke at DPI)
PICTURE_MIN_SHARE = 0.05  # a picture covering this share of a page with text may hold text too
PICTURE_MAX_GLYPHS = 3  # ... when the text layer has no more glyphs than this over it
PICTURE_MIN_CONFIDENCE = 0.6  # lines read in a picture with less confidence are left out (photos)
SECONDS_PER_PAGE = 60.0  # the helper's time limit: this per page, plus STARTUP_SECONDS
STARTUP_SECONDS = 30.0
DATA = Path(__file__).resolve().parent / "data"
INSTALL_HINT = "pip install 'deckmine[ocr]'"


Placer = Callable[[Page, list[AnyBlock]], None]


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


# Full-width digits come out of OCR one by one with spaces between them (`８５％（１７／２０）` is
# read `8 5 % (1 7 / 2 0)`): a chain of single digits joins, and spaces around `/`, `%` and
# brackets next to a digit go. `110 1月` and `2,000 4,000` keep theirs.
_SINGLE_DIGITS = regex.compile(r"(?<![\d.,])\d(?: \d)+(?![\d.,])")
_SPACE_BY_DIGIT = regex.compile(
    r"(?<=\d) +(?=[/%％)）])|(?<=[/(（]) +(?=\d)|(?<=\d) +(?=[(（])|(?<=[%％]) +(?=[(（])|(?<=\d) *([/／]) *(?=\d)"
)


def normalise_ocr_text(text: str) -> str:
    """OCR text with simplified forms read as traditional ones, radicals as ideographs, and the
    spaces OCR puts between full-width digits dropped."""
    text = normalise_text(text.translate(simplified_map()))
    text = _SINGLE_DIGITS.sub(lambda match: match.group().replace(" ", ""), text)
    text = _SPACE_BY_DIGIT.sub(lambda match: match.group(1) or "", text)
    return normalize_spacing(text).strip()


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


def _pseudo_char(line: OcrLine, scale: float) -> dict[str, Any]:
    """A recognised line as one pdfplumber-like char (what the table reader takes)."""
    x0, top, x1, bottom = (value * scale for value in line.box)
    size = round((bottom - top) * 0.8, 1)
    return {
        "text": normalise_ocr_text(line.text), "x0": x0, "top": top, "x1": x1, "bottom": bottom,
        "size": size, "fontname": "OCR", "matrix": (1, 0, 0, 1, x0, bottom), "upright": True,
        "confidence": line.confidence,
    }


def ruled_tables(image: Any, scale: float) -> list[list[tuple[float, float, float, float]]]:
    """Cell rectangles (points) of the tables in a page picture: boundaries between two tones (a
    rule against the paper, a cell's fill against the white gap between cells) at least
    RULE_MIN_SHARE of the picture long are cell edges, cut into cells as pdfplumber cuts lines."""
    import numpy
    from pdfplumber.table import (
        cells_to_tables,
        edges_to_intersections,
        intersections_to_cells,
        merge_edges,
    )

    # a white margin: a cell filled to the picture's edge still has a boundary there
    grey = numpy.pad(numpy.asarray(image.convert("L"), dtype=numpy.int16), MARGIN, constant_values=255)
    edges: list[dict[str, Any]] = []
    for vertical in (False, True):
        grid = grey.T if vertical else grey
        # a boundary between two tones (a rule, a cell fill against the white gap between cells)
        step = numpy.abs(grid[1:, :] - grid[:-1, :]) > TONE_STEP
        padded = numpy.zeros((step.shape[0], step.shape[1] + 2), dtype=numpy.int8)
        padded[:, 1:-1] = step
        steps = numpy.diff(padded, axis=1)
        rows, starts = numpy.nonzero(steps == 1)
        _, ends = numpy.nonzero(steps == -1)
        long_enough = (ends - starts) >= max(RULE_MIN_PIXELS, RULE_MIN_SHARE * grid.shape[1])
        for row, start, end in zip(rows[long_enough], starts[long_enough], ends[long_enough], strict=True):
            at = (float(row) + 0.5 - MARGIN) * scale
            low, high = float(start - MARGIN) * scale, float(end - MARGIN) * scale
            if vertical:
                edges.append({"x0": at, "x1": at, "top": low, "bottom": high, "orientation": "v",
                              "width": 0.0, "height": high - low})
            else:
                edges.append({"x0": low, "x1": high, "top": at, "bottom": at, "orientation": "h",
                              "width": high - low, "height": 0.0})
    if not edges:
        return []
    edges = merge_edges(edges, 3, 3, 3, 3)
    cells = intersections_to_cells(edges_to_intersections(edges, 3, 3))
    return [list(table) for table in cells_to_tables(cells)]


def page_blocks(lines: list[OcrLine], tables: list[list[tuple[float, float, float, float]]], number: int, scale: float) -> list[AnyBlock]:
    """Tables (cells filled with the lines inside them) and text blocks of one read page."""
    from extractors.pdf_tables import table_block

    chars = [char for char in (_pseudo_char(line, scale) for line in lines) if char["text"]]
    blocks: list[AnyBlock] = []
    used: set[int] = set()
    for cells in tables:
        block = table_block(cells, chars, number)
        if block is None or block.bbox is None:
            continue
        box = block.bbox
        inside = [i for i, char in enumerate(chars) if _centre_in(char, box)]
        lowest = min((chars[i]["confidence"] for i in inside), default=1.0)
        block.flags = ["ocr", f"ocr_confidence={lowest:.2f}"] + (["ocr_low_confidence"] if lowest < LOW_CONFIDENCE else [])
        used.update(inside)
        blocks.append(block)
    loose = [line for i, line in enumerate(line for line in lines if normalise_ocr_text(line.text)) if i not in used]
    blocks.extend(blocks_from_lines(loose, number, scale))
    return reading_order(blocks, lambda block: block.bbox or BBox(0, 0, 0, 0))


def _centre_in(char: dict[str, Any], box: BBox) -> bool:
    x = (char["x0"] + char["x1"]) / 2
    y = (char["top"] + char["bottom"]) / 2
    return box.x0 <= x <= box.x1 and box.top <= y <= box.bottom


def read_page_image(pdf_page: Any, number: int, ocr_engine: Engine) -> list[AnyBlock]:
    """Render a pdfplumber page and read it: its ruled tables and its text."""
    image = pdf_page.to_image(resolution=DPI).original
    scale = 72.0 / DPI
    return page_blocks(ocr_engine.read(image), ruled_tables(image, scale), number, scale)


# --------------------------------------------------------------------------- the helper process


def available_engine(name: str | None = None) -> str | None:
    """The name of the engine to use, without loading it (None when none is installed)."""
    wanted = name or os.environ.get("DECKMINE_OCR_ENGINE") or ""
    for candidate in [wanted] if wanted else list(ENGINES):
        if candidate == "rapidocr" and importlib.util.find_spec("rapidocr_onnxruntime"):
            return candidate
        if candidate == "tesseract" and importlib.util.find_spec("pytesseract") and shutil.which("tesseract"):
            return candidate
    return None


def run_engine(images: list[Path], name: str, timeout: float) -> list[list[OcrLine]]:
    """Read page pictures in a helper process (`python -m extractors.ocr`): the engine's memory
    (ONNX Runtime maps over a gigabyte) is not the worker's, the helper dies with the worker and
    is killed, with anything it started, after `timeout` seconds. Raises ExtractionError."""
    from extractors.children import child_setup, kill_group

    command = [sys.executable, "-m", "extractors.ocr", "--engine", name, *map(str, images)]
    environment = {**os.environ, "OMP_NUM_THREADS": "1", "MALLOC_ARENA_MAX": "2"}
    process = subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env=environment, start_new_session=True, preexec_fn=child_setup,
        cwd=str(Path(__file__).resolve().parent.parent),
    )
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(process)
        process.communicate()
        raise ExtractionError(f"OCR took longer than {timeout:g} s (stopped)") from None
    except BaseException:
        kill_group(process)
        process.communicate()
        raise
    finally:
        kill_group(process)
    pages: list[list[OcrLine]] = []
    for raw in out.decode("utf-8", "replace").splitlines():
        if not raw.startswith("{"):
            continue  # a library's own print
        try:
            item = json.loads(raw)
        except ValueError:
            continue
        if "error" in item:
            raise ExtractionError(f"OCR ({name}) failed: {item['error']}")
        pages.append([OcrLine(tuple(box), text, confidence) for box, text, confidence in item["lines"]])
    if process.returncode != 0 or len(pages) != len(images):
        detail = " ".join(err.decode("utf-8", "replace").split())[-160:]
        raise ExtractionError(f"OCR ({name}) failed (exit status {process.returncode}: {detail})")
    return pages


def main(argv: list[str] | None = None) -> int:
    """The helper: read each picture named on the command line, one JSON line per picture."""
    import argparse

    from PIL import Image

    parser = argparse.ArgumentParser(prog="python -m extractors.ocr")
    parser.add_argument("--engine", default=None)
    parser.add_argument("images", nargs="*", type=Path)
    args = parser.parse_args(argv)
    loaded = engine(args.engine)
    if loaded is None:
        reason = _load(args.engine) if args.engine else "no OCR engine installed"
        print(json.dumps({"error": str(reason)}), flush=True)
        return 1
    for path in args.images:
        with Image.open(path) as image:
            lines = loaded.read(image)
        print(json.dumps({"lines": [[list(line.box), line.text, line.confidence] for line in lines]},
                         ensure_ascii=False), flush=True)
    return 0


# --------------------------------------------------------------------------- per document


def _pictures_with_text(pdf_page: Any) -> list[tuple[float, float, float, float]]:
    """Boxes of the pictures on a page with a text layer that may hold text of their own (a table
    pasted as a screenshot): at least PICTURE_MIN_SHARE of the page, no text drawn over them."""
    width, height = float(pdf_page.width), float(pdf_page.height)
    boxes = []
    for image in pdf_page.images:
        x0, top = max(0.0, float(image["x0"])), max(0.0, float(image["top"]))
        x1, bottom = min(width, float(image["x1"])), min(height, float(image["bottom"]))
        if x1 <= x0 or bottom <= top or (x1 - x0) * (bottom - top) < PICTURE_MIN_SHARE * width * height:
            continue
        over = sum(
            1 for char in pdf_page.chars
            if x0 <= (char["x0"] + char["x1"]) / 2 <= x1 and top <= (char["top"] + char["bottom"]) / 2 <= bottom
            and char["text"].strip()
        )
        if over <= PICTURE_MAX_GLYPHS:
            boxes.append((x0, top, x1, bottom))
    return boxes


def picture_blocks(
    number: int, lines: list[OcrLine], tables: list[list[tuple[float, float, float, float]]],
    origin: tuple[float, float], scale: float,
) -> list[AnyBlock]:
    """The blocks read in a picture whose top-left corner is at `origin` (points) on its page;
    `scale` turns the picture's pixels into points. Lines below PICTURE_MIN_CONFIDENCE go."""
    dx, dy = origin
    shifted = [
        OcrLine((x0 + dx / scale, top + dy / scale, x1 + dx / scale, bottom + dy / scale), text, confidence)
        for (x0, top, x1, bottom), text, confidence in lines
        if confidence >= PICTURE_MIN_CONFIDENCE
    ]
    cells = [[(x0 + dx, top + dy, x1 + dx, bottom + dy) for x0, top, x1, bottom in table] for table in tables]
    return page_blocks(shifted, cells, number, scale)


def _add_picture_blocks(page: Page, added: list[AnyBlock]) -> None:
    """Put what was read in a picture on its page, where the picture is; the page's title and
    the order of its other blocks stay."""
    if not added:
        return
    title = page.blocks[0] if page.blocks and getattr(page.blocks[0], "is_title", False) else None
    rest = [block for block in page.blocks if block is not title]
    page.blocks = ([title] if title else []) + reading_order(rest + added, lambda block: block.bbox or BBox(0, 0, 0, 0))



@dataclass
class PageOcr:
    """What the PDF reader asks per page, and what it says about the document at the end: pages to
    read are rendered as they pass (`visit`), then read in one helper run (`conclude`)."""

    mode: str = "auto"
    engine_name: str | None = None
    without_text: int = 0  # pages with no text layer
    without_text_pictured: int = 0  # of those, pages that show a picture
    read: int = 0  # pages read by OCR
    pictures: int = 0  # pictures on pages with text read by OCR
    unavailable: str = ""
    failed: str = ""
    seconds_per_page: float = SECONDS_PER_PAGE
    _checked: bool = field(default=False, repr=False)
    # (page, picture file, its origin on the page in points or None for a whole page, points per
    # pixel, where to put the blocks read in a picture (None: `_add_picture_blocks`))
    _pending: list[tuple[Page, Path, tuple[float, float] | None, float, Placer | None]] = field(
        default_factory=list, repr=False
    )
    _folder: tempfile.TemporaryDirectory[str] | None = field(default=None, repr=False)
    _finish: Callable[[Page], None] | None = field(default=None, repr=False)

    @classmethod
    def for_mode(cls, mode: str | None = None) -> PageOcr:
        return cls(mode=ocr_mode(mode))

    def _engine(self) -> str | None:
        if not self._checked:
            self._checked = True
            self.engine_name = available_engine()
            if self.engine_name is None:
                self.unavailable = f" (no OCR engine installed: {INSTALL_HINT})"
        return self.engine_name

    def visit(self, page: Page, pdf_page: Any, unreadable_only: bool, finish: Callable[[Page], None]) -> None:
        """Called with each page once its text layer is read: keep its picture when the mode
        says it is to be read."""
        no_text = not page.blocks and not unreadable_only
        if no_text:
            self.without_text += 1
            self.without_text_pictured += bool(pdf_page.images)
        if self.mode == "never":
            return
        whole_page = no_text or self.mode == "always"
        pictures = [] if whole_page or unreadable_only else _pictures_with_text(pdf_page)
        if not (whole_page or pictures) or self._engine() is None:
            return
        if self._folder is None:
            self._folder = tempfile.TemporaryDirectory(prefix="deckmine-ocr-")
        if whole_page:
            path = Path(self._folder.name) / f"page-{page.number:04d}.png"
            pdf_page.to_image(resolution=DPI).original.save(path)
            self._pending.append((page, path, None, 72.0 / DPI, None))
        for box in pictures:
            self._keep(page, pdf_page.crop(box).to_image(resolution=DPI).original, (box[0], box[1]), 72.0 / DPI)
        self._finish = finish

    def _keep(self, page: Page, image: Any, origin: tuple[float, float], scale: float,
              place: Placer | None = None) -> None:
        if self._folder is None:
            self._folder = tempfile.TemporaryDirectory(prefix="deckmine-ocr-")
        path = Path(self._folder.name) / f"picture-{len(self._pending):05d}.png"
        image.save(path)
        self._pending.append((page, path, origin, scale, place))

    def visit_picture(self, page: Page, image: Any, origin: tuple[float, float], scale: float,
                      place: Placer) -> bool:
        """Keep a picture of another reader (a PPTX picture shape, already judged to be large and
        free of text over it) to be read with the rest at `conclude`: `origin` is its top-left
        corner on the page in points, `scale` points per pixel; `place(page, blocks)` puts what
        was read. False when OCR is off or no engine is installed (`unavailable` says why)."""
        if self.mode == "never" or self._engine() is None:
            return False
        self._keep(page, image, origin, scale, place)
        return True

    def _read_pending(self) -> None:
        if not self._pending or self.engine_name is None:
            return
        from PIL import Image

        try:
            results = run_engine([path for _, path, _, _, _ in self._pending], self.engine_name,
                                 timeout=self.seconds_per_page * len(self._pending) + STARTUP_SECONDS)
            for (page, path, origin, scale, place), lines in zip(self._pending, results, strict=True):
                with Image.open(path) as image:
                    tables = ruled_tables(image, scale)
                if origin is None:
                    page.blocks = page_blocks(lines, tables, page.number, scale)
                    page.title = None
                    if self._finish is not None:
                        self._finish(page)
                    self.read += 1
                    continue
                (place or _add_picture_blocks)(page, picture_blocks(page.number, lines, tables, origin, scale))
                self.pictures += 1
        except ExtractionError as exc:
            self.failed = str(exc)
        finally:
            self._pending.clear()
            if self._folder is not None:
                self._folder.cleanup()
                self._folder = None

    def conclude(self, document: Document) -> None:
        """Read the kept pictures; refuse a PDF with no text layer at all that OCR did not read,
        and warn when some pages were left without text."""
        self._read_pending()
        count = len(document.pages)
        if self.pictures:
            document.metadata["ocr_pictures"] = self.pictures
            document.metadata["ocr_engine"] = self.engine_name
        if self.read:
            document.metadata["ocr_pages"] = self.read
            document.metadata["ocr_engine"] = self.engine_name
            return
        if not count:
            return
        off = f"{self.failed}" if self.failed else f"OCR is off{self.unavailable}"
        if self.without_text == count:
            raise ExtractionError(f"no text layer on {count} of {count} pages (scanned?); {off}")
        if self.without_text_pictured:
            document.warnings.append(
                f"no text layer on {self.without_text_pictured} of {count} pages (scanned?); {off}"
            )


if __name__ == "__main__":
    sys.exit(main())


__all__ = [
    "DPI",
    "ENGINES",
    "MODES",
    "OcrLine",
    "PageOcr",
    "available_engine",
    "run_engine",
    "blocks_from_lines",
    "engine",
    "normalise_ocr_text",
    "ocr_mode",
    "picture_blocks",
    "read_page_image",
]
