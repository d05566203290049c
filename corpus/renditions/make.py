"""Make the ODP and PPT renditions of the six original corpus decks (run by hand; outputs committed).

LibreOffice converts `corpus/decks/<deck>.pptx` to `<deck>.odp` and `<deck>.ppt` here, the way a
county office re-saves a deck, through `extractors.convert.converted` (isolated profile, timeout,
no thumbnail). `tests/test_formats.py` checks they give the PPTX's figures.

Usage: `.venv/bin/python corpus/renditions/make.py`
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from deckmine.extractors.convert import converted  # noqa: E402

DECKS = ("taitung-112", "taichung-112", "penghu-111", "hualien-113", "pingtung-113", "yilan-112")
TARGETS = (".odp", ".ppt")


def main() -> None:
    for name in DECKS:
        source = ROOT / "corpus" / "decks" / f"{name}.pptx"
        for target in TARGETS:
            with converted(source, target) as out:
                shutil.copyfile(out, HERE / f"{name}{target}")
            print(f"{name}{target}: {(HERE / f'{name}{target}').stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
