"""Run the notebooks top to bottom, the way CI and `make notebooks` do.

Builds a fresh warehouse from the sample corpus in the output folder (or uses `--db`), runs the
cross-deck audit on it, converts each jupytext notebook (`notebooks/<name>.py`) to a notebook and
executes it with nbclient on a kernel that runs this same Python (the project's venv). The executed
notebooks (`<name>.ipynb`) and the charts they draw (`*.png`) land in the output folder.

Exit status 1 when any cell fails; the failing cell's error is printed and the notebook is still
written up to that cell, so the broken query can be read in context.

    .venv/bin/python notebooks/run.py                      # all notebooks, fresh warehouse
    .venv/bin/python notebooks/run.py audit_review --db deckmine.duckdb
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

NOTEBOOK_DIR = Path(__file__).resolve().parent
REPO_ROOT = NOTEBOOK_DIR.parent
NOTEBOOKS = ("cross_county", "audit_review", "new_batch")
DEFAULT_OUT = NOTEBOOK_DIR / "out"
DEFAULT_CORPUS = REPO_ROOT / "corpus" / "decks"
KERNEL_NAME = "deckmine-venv"
CELL_TIMEOUT_SECONDS = 300


class NotebookFailed(Exception):
    """A cell raised; the message names the notebook and carries the cell's error."""


def build_warehouse(db_path: Path, corpus: Path) -> None:
    """A fresh warehouse from `corpus` at `db_path`, with the cross-deck audit findings."""
    from deckmine.pipeline.audit_store import run_audit
    from deckmine.pipeline.ingest import ingest
    from deckmine.warehouse.db import connect

    for stale in (db_path, db_path.with_name(db_path.name + ".wal")):
        stale.unlink(missing_ok=True)
    summary = ingest([corpus], db_path)
    if summary.failed:
        raise RuntimeError(f"building the warehouse failed for: {summary.errors}")
    con = connect(db_path)
    try:
        run_audit(con)
    finally:
        con.close()
    print(f"warehouse {db_path}: {summary.new} files, {summary.metrics_added} metrics "
          f"in {summary.seconds:.1f}s")


def install_kernel(out_dir: Path) -> Path:
    """A kernelspec that starts this interpreter, found first through JUPYTER_PATH.

    Named apart from `python3` so a user-wide python3 kernel cannot be picked instead."""
    spec_dir = out_dir / "jupyter" / "kernels" / KERNEL_NAME
    spec_dir.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (deckmine venv)",
        "language": "python",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec, indent=1), encoding="utf-8")
    jupyter_path = [str(out_dir / "jupyter"), *filter(None, [os.environ.get("JUPYTER_PATH")])]
    os.environ["JUPYTER_PATH"] = os.pathsep.join(jupyter_path)
    return spec_dir / "kernel.json"


def notebook_path(name: str) -> Path:
    """A notebook by name (`cross_county`) or by path to a jupytext .py file."""
    path = Path(name)
    if path.suffix == ".py":
        return path.resolve()
    return NOTEBOOK_DIR / f"{name}.py"


def execute(source: Path, out_dir: Path, timeout: int = CELL_TIMEOUT_SECONDS) -> Path:
    """Execute one jupytext notebook; write `<out_dir>/<stem>.ipynb` even when a cell fails."""
    import jupytext
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    notebook = jupytext.read(source)
    client = NotebookClient(
        notebook,
        kernel_name=KERNEL_NAME,
        timeout=timeout,
        resources={"metadata": {"path": str(NOTEBOOK_DIR)}},  # cwd: nbsupport is importable
    )
    executed = out_dir / f"{source.stem}.ipynb"
    try:
        client.execute()
    except CellExecutionError as error:
        raise NotebookFailed(f"{source.name}: a cell failed:\n{error}") from None
    finally:
        nbformat.write(notebook, executed)
    return executed


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", default=list(NOTEBOOKS),
                        help=f"names or .py paths (default: {' '.join(NOTEBOOKS)})")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="folder for the warehouse, executed notebooks and charts")
    parser.add_argument("--db", type=Path,
                        help="use this warehouse instead of building one from the corpus")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                        help="decks to build the warehouse from")
    parser.add_argument("--timeout", type=int, default=CELL_TIMEOUT_SECONDS,
                        help="seconds one cell may take")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    out_dir = args.out.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    db_path = args.db.resolve() if args.db else out_dir / "warehouse.duckdb"
    if not args.db:
        build_warehouse(db_path, args.corpus)
    os.environ["DECKMINE_DB"] = str(db_path)
    os.environ["DECKMINE_NOTEBOOK_OUT"] = str(out_dir)
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # quiets a debugger warning
    install_kernel(out_dir)
    print(f"kernel: {sys.executable}")
    failures = []
    for name in args.notebooks:
        source = notebook_path(name)
        began = time.perf_counter()
        try:
            executed = execute(source, out_dir, args.timeout)
        except NotebookFailed as failure:
            failures.append(str(failure))
            print(f"FAILED {source.name} ({time.perf_counter() - began:.1f}s)", file=sys.stderr)
            continue
        print(f"ok {source.name} -> {executed} ({time.perf_counter() - began:.1f}s)")
    charts = sorted(path.name for path in out_dir.glob("*.png"))
    print(f"charts in {out_dir}: {', '.join(charts) or 'none'}; "
          f"total {time.perf_counter() - started:.1f}s")
    for failure in failures:
        print(failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
