"""The `deckmine` command line. Each command is a thin wrapper over one library call.

Errors about a file are printed as one line, `FILE: reason`, on stderr. Exit status: 0 on success,
1 when the command could do nothing useful (e.g. no file could be loaded), 2 for usage or
warehouse errors (locked, missing).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console

from warehouse.db import WarehouseError, default_db_path


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _console() -> Console:
    if sys.stdout.isatty():
        return Console()
    return Console(width=160, no_color=True, highlight=False, soft_wrap=True)


def cmd_show(args: argparse.Namespace) -> int:
    from extractors import ExtractionError, extract
    from pipeline.render import document_json, print_document

    status = 0
    console = _console()
    for file in args.files:
        try:
            document = extract(file)
        except ExtractionError as exc:
            _stderr(f"{file}: {exc}")
            status = 1
            continue
        if args.json:
            print(document_json(document))
        else:
            pages = set(args.page) if args.page else None
            print_document(document, console, pages)
    return status


def cmd_ingest(args: argparse.Namespace) -> int:
    from pipeline.ingest import ingest
    from pipeline.progress import make_progress

    progress = make_progress(quiet=args.quiet)
    summary = ingest(
        args.paths,
        args.db,
        jobs=args.jobs,
        force=args.force,
        on_error=_stderr,
        progress=progress,
        command="ingest " + " ".join(args.paths),
    )
    if not args.quiet or summary.failed:
        print(summary.line())
    if summary.failed and (args.strict or summary.loaded == 0):
        return 1
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    from warehouse.db import connect
    from warehouse.queries import QueryError, format_frame, run_query

    con = connect(args.db, read_only=True)
    try:
        if args.file:
            return run_query_file(con, args.file, args.format)
        if args.sql:
            try:
                print(format_frame(run_query(con, args.sql), args.format))
            except QueryError as exc:
                _stderr(f"query: {exc}")
                return 1
            return 0
        return interactive_query(con, args.format)
    finally:
        con.close()


def run_query_file(con: object, path: Path, fmt: str) -> int:
    """Run each `;`-separated statement of a SQL file; `--` comment lines before it are its heading."""
    from warehouse.queries import QueryError, format_frame, run_query, split_statements

    status = 0
    for heading, sql in split_statements(path.read_text(encoding="utf-8")):
        print(f"-- {heading}" if heading else "--")
        try:
            print(format_frame(run_query(con, sql), fmt))  # type: ignore[arg-type]
        except QueryError as exc:
            _stderr(f"{path}: {exc}")
            status = 1
        print()
    return status


def interactive_query(con: object, fmt: str) -> int:
    """A small SQL prompt: statements end with `;`, `.tables` lists tables and views, `.quit` leaves."""
    from warehouse.queries import QueryError, format_frame, relations, run_query

    print("deckmine SQL prompt (read-only). End statements with ';'. .tables lists tables, .quit leaves.")
    buffer: list[str] = []
    while True:
        try:
            line = input("deckmine> " if not buffer else "     ...> ")
        except EOFError:
            print()
            return 0
        stripped = line.strip()
        if not buffer and stripped in (".quit", ".exit", "\\q"):
            return 0
        if not buffer and stripped == ".tables":
            for name, kind in relations(con):  # type: ignore[arg-type]
                print(f"{name}\t{kind}")
            continue
        buffer.append(line)
        if stripped.endswith(";"):
            sql = "\n".join(buffer)
            buffer.clear()
            try:
                print(format_frame(run_query(con, sql), fmt))  # type: ignore[arg-type]
            except QueryError as exc:
                print(f"error: {exc}")


def cmd_export(args: argparse.Namespace) -> int:
    from warehouse.db import connect
    from warehouse.queries import export_all

    con = connect(args.db, read_only=True)
    try:
        written = export_all(con, args.outdir, args.format)
    finally:
        con.close()
    print(f"wrote {len(written)} files to {args.outdir}")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from warehouse.db import connect
    from warehouse.queries import format_frame, stats

    con = connect(args.db, read_only=True)
    try:
        for title, frame in stats(con).items():
            print(f"## {title}")
            print(format_frame(frame, args.format))
            print()
    finally:
        con.close()
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    from pipeline.audit import list_findings, run_audit
    from warehouse.db import connect
    from warehouse.queries import format_frame

    con = connect(args.db)
    try:
        run_audit(con)
        findings = list_findings(con, county=args.county, status=args.status, document=args.document)
    finally:
        con.close()
    if args.format == "table":
        findings = findings[["status", "check", "county", "file_name", "page", "message"]]
    else:
        findings = findings.drop(columns=["bbox"])
    print(format_frame(findings, args.format))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from pipeline.audit import run_audit
    from pipeline.report import write_html_report
    from warehouse.db import connect

    con = connect(args.db)
    try:
        run_audit(con)
        out = write_html_report(con, args.html)
    finally:
        con.close()
    print(f"wrote {out.resolve().as_uri()}")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from extractors import ExtractionError, extract
    from patterns.evaluate import evaluate, load_gold
    from patterns.mine import mine_document

    try:
        document = extract(args.file)
    except ExtractionError as exc:
        _stderr(f"{args.file}: {exc}")
        return 1
    report = evaluate(load_gold(args.gold), mine_document(document).metrics, document.file_type)
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2, default=str))
    else:
        print(report.format(details=args.details))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="deckmine",
        description="Mine indicators from local-government briefing decks (PDF, PPTX) into DuckDB.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add_db(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--db",
            type=Path,
            default=None,
            help=f"warehouse file (default: $DECKMINE_DB or {default_db_path().name})",
        )

    show = commands.add_parser("show", help="print what deckmine extracts from files, page by page")
    show.add_argument("files", nargs="+", type=Path, help=".pdf or .pptx files")
    show.add_argument("--json", action="store_true", help="print the document model as JSON")
    show.add_argument("--page", type=int, action="append", help="only this page (repeatable)")
    show.set_defaults(func=cmd_show)

    ingest = commands.add_parser("ingest", help="load files or folders into the warehouse")
    ingest.add_argument("paths", nargs="+", help="files or folders (searched recursively)")
    add_db(ingest)
    ingest.add_argument("--jobs", "-j", type=int, default=None, help="worker processes (default: CPU cores)")
    ingest.add_argument("--force", action="store_true", help="re-extract files already loaded")
    ingest.add_argument("--quiet", "-q", action="store_true", help="no progress bar, no summary")
    ingest.add_argument("--strict", action="store_true", help="exit 1 if any file failed")
    ingest.set_defaults(func=cmd_ingest)

    formats = ["table", "csv", "json", "md"]
    query = commands.add_parser("query", help="run SQL on a read-only connection (no SQL: a prompt)")
    query.add_argument("sql", nargs="?", help="the SQL statement; omit it for an interactive prompt")
    query.add_argument("--file", type=Path, help="run the statements of a .sql file instead")
    add_db(query)
    query.add_argument("--format", "-f", choices=formats, default="table")
    query.set_defaults(func=cmd_query)

    export = commands.add_parser("export", help="write every table and view to a folder")
    export.add_argument("outdir", type=Path, help="folder for the files (created if missing)")
    add_db(export)
    export.add_argument("--format", "-f", choices=["parquet", "csv"], default="parquet")
    export.set_defaults(func=cmd_export)

    stats = commands.add_parser("stats", help="counts by county, strategy and year")
    add_db(stats)
    stats.add_argument("--format", "-f", choices=formats, default="table")
    stats.set_defaults(func=cmd_stats)

    audit = commands.add_parser("audit", help="recompute figures and list where reported values disagree")
    add_db(audit)
    audit.add_argument("--county", help="only this county (台/臺 both work)")
    audit.add_argument("--status", action="append", help="only this status (repeatable), e.g. mismatch")
    audit.add_argument("--document", help="only this document (id prefix or part of the file name)")
    audit.add_argument("--format", "-f", choices=formats, default="table")
    audit.set_defaults(func=cmd_audit)

    report = commands.add_parser("report", help="write the audit as one self-contained HTML page")
    report.add_argument("--html", type=Path, required=True, metavar="OUT.html")
    add_db(report)
    report.set_defaults(func=cmd_report)

    evaluate = commands.add_parser("eval", help="score the miner on a file against a hand-checked gold CSV")
    evaluate.add_argument("file", type=Path, help="a .pdf or .pptx")
    evaluate.add_argument("--gold", type=Path, required=True, help="gold CSV (see tests/gold/README.md)")
    evaluate.add_argument("--details", action="store_true", help="list missed, extra and mislinked figures")
    evaluate.add_argument("--json", action="store_true", help="print the scores as JSON")
    evaluate.set_defaults(func=cmd_eval)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except WarehouseError as exc:
        _stderr(str(exc))
        return 2
    except KeyboardInterrupt:
        _stderr("interrupted")
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
