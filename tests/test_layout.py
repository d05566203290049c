"""The codebase's shape: one installed package, imports that flow one way, small modules.

- `pip install .` gives `deckmine` and no other top-level package (the wheel is built and read);
- `extractors` imports nothing downstream; `patterns` never imports `warehouse` or `pipeline`;
  `warehouse` never imports `pipeline`; no import cycle between modules (function-level imports
  count: a cycle hidden inside a function is still a cycle);
- no module over 400 lines, no function over 60 lines or of radon complexity grade D or worse.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("extractors", "patterns", "pipeline", "warehouse")
SOURCE_FOLDERS = (*PACKAGES, "deckmine", "bench", "corpus")
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
WORST_GRADE = "C"  # radon: A-C pass, D and worse fail

# Which packages each may import (besides itself): the data flow of README's Layout section.
ALLOWED = {
    "extractors": set(),
    "patterns": {"extractors"},
    "warehouse": {"extractors", "patterns"},
    "pipeline": {"extractors", "patterns", "warehouse"},
}


def modules() -> Iterator[tuple[str, Path]]:
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(("deckmine", *parts)).removesuffix(".__init__")
            yield name, path


def imports_of(path: Path) -> set[str]:
    """deckmine modules `path` imports anywhere in it (top level or inside functions)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in found if name.startswith("deckmine.")}


def graph() -> dict[str, set[str]]:
    names = dict(modules())
    return {name: {target for target in imports_of(path) if target in names and target != name}
            for name, path in names.items()}


def test_imports_flow_one_way() -> None:
    wrong = []
    for module, targets in graph().items():
        package = module.split(".")[1]
        for target in targets:
            other = target.split(".")[1]
            if other != package and other not in ALLOWED[package]:
                wrong.append(f"{module} imports {target}")
    assert not wrong, wrong


def test_no_import_cycles() -> None:
    edges = graph()
    cycles: list[list[str]] = []
    state: dict[str, int] = {}

    def visit(module: str, stack: list[str]) -> None:
        state[module] = 1
        stack.append(module)
        for target in sorted(edges.get(module, ())):
            if state.get(target) == 1:
                cycles.append([*stack[stack.index(target):], target])
            elif target not in state:
                visit(target, stack)
        stack.pop()
        state[module] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module, [])
    assert not cycles, [" -> ".join(cycle) for cycle in cycles]


def source_files() -> list[Path]:
    return [path for folder in SOURCE_FOLDERS for path in sorted((ROOT / folder).rglob("*.py"))
            if "out" not in path.relative_to(ROOT).parts]


def test_modules_are_small() -> None:
    long = {str(p.relative_to(ROOT)): n for p in source_files()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert not long, long


def test_functions_are_short() -> None:
    long = []
    for path in source_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({length} lines)")
    assert not long, long


def test_no_function_is_grade_d_or_worse() -> None:
    radon = pytest.importorskip("radon.complexity", reason="radon is in the dev extra")
    complex_ = []
    for path in source_files():
        for block in radon.cc_visit(path.read_text(encoding="utf-8")):
            grade = radon.cc_rank(block.complexity)
            if grade > WORST_GRADE:
                complex_.append(f"{path.relative_to(ROOT)}:{block.lineno} {block.name} {grade} ({block.complexity})")
    assert not complex_, complex_


def test_the_wheel_holds_one_top_level_package(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(tmp_path), str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = tmp_path.glob("deckmine-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")} == {"deckmine"}
    for data in ("deckmine/patterns/data/counties.tsv", "deckmine/warehouse/sql/001_core.sql",
                 "deckmine/pipeline/templates/report.html.j2", "deckmine/extractors/data/glyph_map.tsv"):
        assert data in names
    assert "deckmine/pipeline/cli.py" in names and "deckmine/__init__.py" in names
