"""Build the sample corpus: parse `.deck` spec files, write PPTX decks, export them to PDF.

The spec language is described in `corpus/README.md`. This module is both a library (the
benchmark generator reuses `parse_spec`, `build_pptx` and `convert_to_pdf`) and a script:
`python corpus/build.py` rebuilds every `corpus/specs/*.deck` into `corpus/decks/`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

CORPUS_DIR = Path(__file__).resolve().parent
SPEC_DIR = CORPUS_DIR / "specs"
DECK_DIR = CORPUS_DIR / "decks"

# corpus/ is not a package: this file is loaded by path (`make corpus`, tests, bench/scale.py), and
# its siblings are imported as top-level modules from this folder.
if str(CORPUS_DIR) not in sys.path:
    sys.path.insert(0, str(CORPUS_DIR))

from corpus_parse import parse_runs, parse_spec  # noqa: E402 - after the path above
from corpus_pdf import convert_to_pdf  # noqa: E402
from corpus_pptx import build_pptx  # noqa: E402
from corpus_spec import (  # noqa: E402
    CHART_TYPES,
    CellSpec,
    ChartSpec,
    DeckSpec,
    GroupSpec,
    Paragraph,
    Run,
    SeriesSpec,
    SlideSpec,
    SpecError,
    TableSpec,
    TextBoxSpec,
)
from corpus_style import FONT_NAME  # noqa: E402

__all__ = [
    "CHART_TYPES", "FONT_NAME", "CellSpec", "ChartSpec", "DeckSpec", "GroupSpec", "Paragraph", "Run",
    "SeriesSpec", "SlideSpec", "SpecError", "TableSpec", "TextBoxSpec", "build_all", "build_pptx",
    "convert_to_pdf", "main", "parse_runs", "parse_spec",
]




def build_all(spec_dir: Path = SPEC_DIR, deck_dir: Path = DECK_DIR, pdf: bool = True) -> list[Path]:
    """Build every `*.deck` in `spec_dir` to PPTX (and PDF) in `deck_dir`; return the PPTX paths."""
    pptx_paths: list[Path] = []
    for spec_path in sorted(spec_dir.glob("*.deck")):
        spec = parse_spec(spec_path.read_text(encoding="utf-8"))
        out_path = deck_dir / f"{spec_path.stem}.pptx"
        build_pptx(spec, out_path)
        pptx_paths.append(out_path)
    if pdf and pptx_paths:
        convert_to_pdf(pptx_paths, deck_dir)
    return pptx_paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-pdf", action="store_true", help="write PPTX only")
    parser.add_argument("--only", help="build only this deck (spec file stem)")
    args = parser.parse_args(argv)
    if args.only:
        spec_path = SPEC_DIR / f"{args.only}.deck"
        out_path = DECK_DIR / f"{args.only}.pptx"
        build_pptx(parse_spec(spec_path.read_text(encoding="utf-8")), out_path)
        if not args.no_pdf:
            convert_to_pdf([out_path], DECK_DIR)
        built = [out_path]
    else:
        built = build_all(pdf=not args.no_pdf)
    for path in built:
        print(path.relative_to(CORPUS_DIR.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
