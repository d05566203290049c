"""The `deckmine` command's arguments: one function per command, every option with its help.

README documents each command and option (`tests/test_docs.py` checks it against this parser).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from deckmine.extractors import DEFAULT_PDF_BACKEND, PDF_BACKENDS
from deckmine.pipeline import cli_commands as run
from deckmine.pipeline.limits import DEFAULT_MAX_MEMORY, DEFAULT_TIMEOUT_S, human_size, parse_size
from deckmine.warehouse.db import default_db_path

OUTPUT_FORMATS = ("table", "csv", "json", "md")
DEBUG_HELP = "show Python tracebacks instead of one-line errors"
Commands = argparse._SubParsersAction


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="deckmine",
        description="Mine indicators from local-government briefing decks (PDF, PPTX, ODP, PPT) into DuckDB.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in (_show, _ingest, _query, _export, _stats, _audit, _report, _eval):
        add(commands)
    parser.add_argument("--debug", action="store_true", help=DEBUG_HELP)
    for sub in commands.choices.values():  # `--debug` also works after the command
        sub.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=DEBUG_HELP)
    return parser


def _db(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--db", type=Path, default=None,
                     help=f"warehouse file (default: $DECKMINE_DB or {default_db_path().name})")


def _format(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--format", "-f", choices=OUTPUT_FORMATS, default="table",
                     help="how results are printed: table (default), csv, json or md")


def _reading(sub: argparse.ArgumentParser, action: str) -> None:
    """Options of the commands that read files: the time bound, OCR and the PDF text layer."""
    sub.add_argument("--timeout", type=_seconds, default=DEFAULT_TIMEOUT_S, metavar="SECONDS",
                     help=f"{action} a file that takes longer than this (default: {DEFAULT_TIMEOUT_S:g})")
    sub.add_argument("--ocr", choices=("auto", "always", "never"), default=None,
                     help="OCR for PDF pages without a text layer: auto (those pages; default), always, never")
    sub.add_argument("--pdf-backend", choices=PDF_BACKENDS, default=None,
                     help=f"the PDF text layer: pdfium (fast) or pdfplumber (the reference); "
                     f"default: {DEFAULT_PDF_BACKEND}")


def _show(commands: Commands) -> None:
    show = commands.add_parser("show", help="print what deckmine extracts from files, page by page")
    show.add_argument("files", nargs="+", type=Path, help=".pdf, .pptx, .odp or .ppt files")
    show.add_argument("--json", action="store_true", help="print the document model as JSON")
    show.add_argument("--page", type=int, action="append", help="only this page (repeatable)")
    _reading(show, "give up on")
    show.set_defaults(func=run.cmd_show)


def _ingest(commands: Commands) -> None:
    ingest = commands.add_parser("ingest", help="load files or folders into the warehouse")
    ingest.add_argument("paths", nargs="+", help="files or folders (searched recursively)")
    _db(ingest)
    ingest.add_argument("--jobs", "-j", type=int, default=None, help="worker processes (default: CPU cores)")
    ingest.add_argument("--force", action="store_true", help="read and re-extract files already loaded")
    ingest.add_argument("--quiet", "-q", action="store_true", help="no progress bar, no summary")
    ingest.add_argument("--strict", action="store_true", help="exit 1 if any file failed")
    ingest.add_argument(
        "--max-memory", type=_size, default=DEFAULT_MAX_MEMORY, metavar="SIZE",
        help=f"stop a file that needs more memory than this, e.g. 512MB (default: {human_size(DEFAULT_MAX_MEMORY)})",
    )
    _reading(ingest, "stop")
    ingest.add_argument(
        "--executor", type=_executor, default="local", metavar="SPEC",
        help="where files are extracted and mined: local (worker processes; default), dask (a local "
        "Dask cluster of --jobs workers) or tcp://HOST:PORT (a running Dask scheduler)",
    )
    ingest.set_defaults(func=run.cmd_ingest)


def _query(commands: Commands) -> None:
    query = commands.add_parser("query", help="run SQL on a read-only connection (no SQL: a prompt)")
    query.add_argument("sql", nargs="?", help="the SQL statement; omit it for an interactive prompt")
    query.add_argument("--file", type=Path, help="run the statements of a .sql file instead")
    _db(query)
    _format(query)
    query.set_defaults(func=run.cmd_query)


def _export(commands: Commands) -> None:
    export = commands.add_parser("export", help="write every table and view to a folder")
    export.add_argument("outdir", type=Path, help="folder for the files (created if missing)")
    _db(export)
    export.add_argument("--format", "-f", choices=["parquet", "csv"], default="parquet",
                        help="one file per table or view: parquet (default) or csv")
    export.set_defaults(func=run.cmd_export)


def _stats(commands: Commands) -> None:
    stats = commands.add_parser("stats", help="counts by county, strategy and year")
    _db(stats)
    _format(stats)
    stats.set_defaults(func=run.cmd_stats)


def _audit(commands: Commands) -> None:
    audit = commands.add_parser("audit", help="recompute figures and list where reported values disagree")
    _db(audit)
    audit.add_argument("--county", help="only this county (either spelling of Tai, common or formal, works)")
    audit.add_argument("--status", action="append", help="only this status (repeatable), e.g. mismatch")
    audit.add_argument("--document", help="only this document (id prefix or part of the file name)")
    audit.add_argument("--every-rendition", action="store_true",
                       help="list the findings of every rendition of a briefing (default: one per briefing)")
    _format(audit)
    audit.set_defaults(func=run.cmd_audit)


def _report(commands: Commands) -> None:
    report = commands.add_parser("report", help="write the audit as one self-contained HTML page")
    report.add_argument("--html", type=Path, required=True, metavar="OUT.html", help="the HTML file to write")
    _db(report)
    report.set_defaults(func=run.cmd_report)


def _eval(commands: Commands) -> None:
    evaluate = commands.add_parser("eval", help="score the miner on a file against a hand-checked gold CSV")
    evaluate.add_argument("file", type=Path, help="a .pdf or .pptx")
    evaluate.add_argument("--gold", type=Path, help="figure gold CSV (see tests/gold/README.md)")
    evaluate.add_argument("--audit", type=Path, metavar="AUDIT_GOLD",
                          help="audit gold CSV: found / missed inconsistencies and false alarms")
    evaluate.add_argument("--details", action="store_true",
                          help="list missed, extra and mislinked figures, missed inconsistencies and false alarms")
    evaluate.add_argument("--json", action="store_true", help="print the scores as JSON")
    evaluate.set_defaults(func=run.cmd_eval)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds: {text!r}")
    return value


def _size(text: str) -> int:
    try:
        return parse_size(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _executor(text: str) -> str:
    from deckmine.pipeline.executors import parse_executor_spec

    try:
        parse_executor_spec(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text.strip()
