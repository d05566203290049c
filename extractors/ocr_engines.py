"""OCR engines: which one is installed, loading it, and running it in a helper process.

Both engines keep their models on disk (nothing is downloaded at run time):
- `rapidocr`: `rapidocr-onnxruntime` (PP-OCRv4 detection and recognition models inside the wheel,
  `pip install 'deckmine[ocr]'`);
- `tesseract`: Debian's `tesseract-ocr` with `tesseract-ocr-chi-tra`, through `pytesseract`.
`DECKMINE_OCR_ENGINE` picks one; otherwise the first installed of ENGINES is used.

`available_engine` names the engine without loading it; `run_engine` reads page pictures in a
helper process (`python -m extractors.ocr`, whose `main` is here), so the engine's memory is not the
worker's; `engine` loads one in this process (what the helper does).
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from deckmine.extractors.children import child_setup, kill_group
from deckmine.extractors.model import ExtractionError

ENGINES = ("rapidocr", "tesseract")
INSTALL_HINT = "pip install 'deckmine[ocr]'"


class OcrLine(NamedTuple):
    """One recognised line: box in pixels of the rendered page, text, confidence 0..1."""

    box: tuple[float, float, float, float]
    text: str
    confidence: float


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
    command = [sys.executable, "-m", "deckmine.extractors.ocr", "--engine", name, *map(str, images)]
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


__all__ = [
    "ENGINES",
    "INSTALL_HINT",
    "Engine",
    "OcrLine",
    "RapidOcrEngine",
    "TesseractEngine",
    "available_engine",
    "engine",
    "main",
    "run_engine",
]
