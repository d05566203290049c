"""Shared by the notebooks: where the warehouse and the chart folder are, the CJK font, year labels,
and the one-file-per-deck rule that keeps a deck's PDF and PPTX from being counted twice.

Not a notebook itself: `notebooks/run.py` executes only the notebooks it lists.
"""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # charts are written as PNG files; no display needed

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
CJK_FONTS = ("Noto Sans CJK TC", "Noto Sans CJK JP", "Noto Sans CJK SC", "Noto Sans CJK HK")
ROC_OFFSET = 1911

# Each deck is published as a PDF exported from PowerPoint and as the PPTX itself, and both carry
# the same figures. The notebooks name a deck by its file name without the extension
# (`hualien-113.pdf` and `hualien-113.pptx` are deck `hualien-113`) and count a figure once per
# deck and slide: SELECT DISTINCT over the deck, not the file, so a figure read from only one of
# the two exports is kept.
DECK_SQL = "regexp_replace(lower(d.file_name), '\\.(pdf|pptx?)$', '')"


def warehouse_path() -> Path:
    """`$DECKMINE_DB`, else `deckmine.duckdb` at the repository root (where `make demo` puts it)."""
    configured = os.environ.get("DECKMINE_DB")
    return Path(configured) if configured else REPO_ROOT / "deckmine.duckdb"


def chart_dir() -> Path:
    """`$DECKMINE_NOTEBOOK_OUT`, else `notebooks/out/`; created if missing."""
    configured = os.environ.get("DECKMINE_NOTEBOOK_OUT")
    folder = Path(configured) if configured else REPO_ROOT / "notebooks" / "out"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def use_cjk_font() -> str:
    """Make matplotlib draw Chinese with Noto Sans CJK. Returns the family used.

    Raises RuntimeError when no CJK font is installed: a chart of empty boxes is worse than none."""
    installed = {font.name for font in font_manager.fontManager.ttflist}
    for family in CJK_FONTS:
        if family in installed:
            plt.rcParams["font.family"] = "sans-serif"
            plt.rcParams["font.sans-serif"] = [family, "DejaVu Sans"]
            plt.rcParams["axes.unicode_minus"] = False
            return family
    raise RuntimeError(
        "no CJK font found for the chart labels (looked for "
        + ", ".join(CJK_FONTS)
        + "); install it, e.g. `apt-get install fonts-noto-cjk`, then clear matplotlib's font "
        "cache (rm -rf ~/.cache/matplotlib)"
    )


def year_label(year: int) -> str:
    """Gregorian year with the ROC year beside it: 2023 -> '2023 (112)'."""
    return f"{int(year)} ({int(year) - ROC_OFFSET})"


def save_chart(figure: plt.Figure, name: str) -> Path:
    """Write the figure as `<chart_dir>/<name>.png` and return the path."""
    path = chart_dir() / f"{name}.png"
    figure.savefig(path, dpi=130, bbox_inches="tight", facecolor="white")
    return path
