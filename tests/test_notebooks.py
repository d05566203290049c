"""The notebooks run top to bottom on the sample corpus through `notebooks/run.py`, draw charts that
are not blank, find what the demonstration batch changed, and a broken cell fails the runner."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RUNNER = ROOT / "notebooks" / "run.py"
NOTEBOOKS = ("cross_county", "audit_review", "new_batch")
CHARTS = ("cross_county", "main_rates", "actual_vs_target", "audit_by_county", "audit_by_check",
          "new_batch")
EXTRAS = ("jupytext", "nbclient", "ipykernel", "nbformat", "matplotlib", "PIL")
MISSING = [name for name in EXTRAS if importlib.util.find_spec(name) is None]

pytestmark = pytest.mark.skipif(
    bool(MISSING),
    reason=f"notebook extras not installed ({', '.join(MISSING)}): pip install -e '.[notebooks]'",
)


def run_notebooks(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(RUNNER), *args], capture_output=True, text=True,
                          timeout=240, cwd=ROOT)


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("notebooks-out")
    result = run_notebooks("--out", str(out))
    assert result.returncode == 0, result.stderr[-3000:]
    return out


def cell_text(out_dir: Path, name: str) -> str:
    """Everything the executed notebook printed or displayed as text."""
    notebook = json.loads((out_dir / f"{name}.ipynb").read_text(encoding="utf-8"))
    texts = []
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", output
            texts.append("".join(output.get("text", "")))
            texts.append("".join(output.get("data", {}).get("text/plain", "")))
    return "\n".join(texts)


def test_every_notebook_is_executed_without_errors(out_dir: Path) -> None:
    for name in NOTEBOOKS:
        assert cell_text(out_dir, name), f"{name}.ipynb has no output"


@pytest.mark.parametrize("chart", CHARTS)
def test_chart_is_drawn_and_not_blank(out_dir: Path, chart: str) -> None:
    from PIL import Image

    path = out_dir / f"{chart}.png"
    assert path.exists(), f"{chart}.png was not written"
    image = Image.open(path).convert("RGB")
    width, height = image.size
    assert width >= 600 and height >= 300, image.size
    colours = image.getcolors(maxcolors=width * height)
    assert len(colours) > 20, f"{chart}.png has hardly any colours"
    background_count = max(count for count, _colour in colours)
    drawn = 1 - background_count / (width * height)
    assert 0.02 < drawn < 0.9, f"{chart}.png: {drawn:.1%} of the pixels differ from the background"


def test_kernel_is_the_runner_python(out_dir: Path) -> None:
    spec = json.loads((out_dir / "jupyter" / "kernels" / "deckmine-venv" / "kernel.json").read_text())
    assert spec["argv"][0] == sys.executable


def test_cross_county_pairs_taitung_hiring_rate_with_its_target(out_dir: Path) -> None:
    text = cell_text(out_dir, "cross_county")
    assert "Noto Sans CJK" in text
    taitung = [line for line in text.splitlines() if "臺東縣" in line and "target_missed" in line]
    assert any("進用率" in line and "71.0" in line and "85.0" in line for line in taitung), taitung


def test_audit_review_links_the_reversed_fraction_to_its_pdf_page(out_dir: Path) -> None:
    notebook = (out_dir / "audit_review.ipynb").read_text(encoding="utf-8")
    assert "吉安鄉社區支持據點涵蓋率 62.5% vs 40/25" in notebook
    assert "corpus/decks/hualien-113.pdf#page=5" in notebook


def test_new_batch_finds_the_changed_and_the_new_figures(out_dir: Path) -> None:
    text = cell_text(out_dir, "new_batch")
    assert "changed: 花蓮縣 進用率 113年1-6月人力進用率 · 社福中心: 88 → 92%" in text
    assert "changed: 花蓮縣 整體進用率: 89 → 91%" in text
    new = [line for line in text.splitlines() if line.startswith("new: ")]
    assert any("留任率" in line and "93%" in line for line in new), new


def test_a_failing_cell_fails_the_runner_with_its_error(out_dir: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken_query.py"
    broken.write_text(
        "# %%\nimport os\n\nimport duckdb\n\n"
        "con = duckdb.connect(os.environ['DECKMINE_DB'], read_only=True)\n\n"
        "# %%\ncon.execute('SELECT no_such_column FROM metrics').df()\n",
        encoding="utf-8",
    )
    result = run_notebooks(str(broken), "--db", str(out_dir / "warehouse.duckdb"),
                           "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "broken_query.py: a cell failed" in result.stderr
    assert "no_such_column" in result.stderr
    assert (tmp_path / "out" / "broken_query.ipynb").exists()


def test_charts_refuse_to_draw_without_a_cjk_font(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(ROOT / "notebooks"))
    import nbsupport
    from matplotlib import font_manager

    monkeypatch.setattr(font_manager.fontManager, "ttflist", [])
    with pytest.raises(RuntimeError, match="no CJK font found.*fonts-noto-cjk"):
        nbsupport.use_cjk_font()


def test_years_show_the_roc_year_beside_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(ROOT / "notebooks"))
    import nbsupport

    assert nbsupport.year_label(2023) == "2023 (112)"
    assert nbsupport.year_label(2018.0) == "2018 (107)"
