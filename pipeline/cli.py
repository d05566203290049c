"""The `deckmine` command line. Each command is a thin wrapper over one library call.

Errors about a file are printed as one line, `FILE: reason`, on stderr (names escaped). Exit status:
0 on success, 1 when the command could do nothing useful (e.g. no file could be loaded), 2 for usage
or warehouse errors (locked, missing, not deckmine's, disk full), 130 after Ctrl-C. No traceback
reaches the user unless `--debug` is given.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from rich.console import Console

from extractors import DEFAULT_PDF_BACKEND, PDF_BACKENDS
from pipeline.limits import (
    DEFAULT_MAX_MEMORY,
    DEFAULT_TIMEOUT_S,
    escape,
    file_line,
    human_size,
    parse_size,
)
from warehouse.db import WarehouseError, default_db_path


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _console() -> Console:
    if sys.stdout.isatty():
        return Console()
    return Console(width=160, no_color=True, highlight=False, soft_wrap=True)


def cmd_show(args: argparse.Namespace) -> int:
    from extractors import ExtractionError, extract
    from pipeline.limits import FileTimeout, Limits, bounded, memory_reason, timeout_reason
    from pipeline.render import document_json, print_document

    status = 0
    console = _console()
    limits = Limits(timeout=args.timeout)
    for file in args.files:
        try:
            with bounded(limits):
                document = extract(file)
        except ExtractionError as exc:
            _stderr(file_line(file, str(exc)))
            status = 1
            continue
        except FileTimeout:
            _stderr(file_line(file, timeout_reason(limits)))
            status = 1
            continue
        except MemoryError:
            _stderr(file_line(file, memory_reason(limits)))
            status = 1
            continue
        pages = set(args.page) if args.page else None
        missing = sorted(pages - set(range(1, document.page_count + 1))) if pages else []
        if missing:
            shown = ", ".join(str(n) for n in missing[:5]) + ("…" if len(missing) > 5 else "")
            _stderr(file_line(file, f"no page {shown}: the file has pages 1-{document.page_count}"))
            status = 1
            pages -= set(missing)
            if not pages:
                continue
        if args.json:
            print(document_json(document))
        else:
            print_document(document, console, pages)
    return status


def cmd_ingest(args: argparse.Namespace) -> int:
    from pipeline.ingest import ingest
    from pipeline.limits import Limits, cap_jobs
    from pipeline.progress import make_progress

    limits = Limits(timeout=args.timeout, max_memory=args.max_memory)
    if args.jobs is not None and args.jobs > cap_jobs(args.jobs, limits) and not args.quiet:
        _stderr(
            f"--jobs {args.jobs}: using {cap_jobs(args.jobs, limits)} workers (one per core, "
            f"{human_size(limits.max_memory)} of memory each at most)"
        )
    executor = None
    if args.executor != "local":
        from pipeline.executors import ExecutorError, make_executor

        try:
            executor = make_executor(args.executor, args.jobs, limits, args.pdf_backend)
        except (ExecutorError, ValueError) as exc:
            _stderr(f"--executor {args.executor}: {exc}")
            return 2
    progress = make_progress(quiet=args.quiet)
    summary = ingest(
        args.paths,
        args.db,
        jobs=args.jobs,
        force=args.force,
        on_error=_stderr,
        progress=progress,
        command="ingest " + " ".join(args.paths),
        limits=limits,
        executor=executor,
        pdf_backend=args.pdf_backend,
    )
    if not args.quiet or summary.failed or summary.interrupted:
        print(summary.line())
    if summary.interrupted:
        return 130
    if summary.failed and (args.strict or summary.loaded == 0):
        return 1
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    from warehouse.db import connect
    from warehouse.queries import QueryError, run_query

    if args.file:
        con = connect(args.db, read_only=True, sandbox=True)
        try:
            return run_query_file(con, args.file, args.format)
        finally:
            con.close()
    if args.sql:
        con = connect(args.db, read_only=True, sandbox=True)
        try:
            _print_result(run_query(con, args.sql), args.format)
        except QueryError as exc:
            _stderr(f"query: {exc}")
            return 1
        finally:
            con.close()
        return 0
    connect(args.db, read_only=True, sandbox=True).close()  # say now if the warehouse is unusable
    return interactive_query(lambda: connect(args.db, read_only=True, sandbox=True), args.format)


def run_query_file(con: Any, path: Path, fmt: str) -> int:
    """Run each statement of a SQL file, showing each result; `--` comment lines before a
    statement are its heading. Statements are split where DuckDB's tokenizer sees a `;`, so one
    inside a string or comment does not split; a statement that does not parse is reported on
    stderr and the others still run."""
    from warehouse.queries import QueryError, run_query, split_statements

    try:
        script = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        _stderr(file_line(path, f"cannot read the SQL file ({getattr(exc, 'strerror', None) or exc})"))
        return 2
    status = 0
    for heading, sql in split_statements(script):
        print(f"-- {heading}" if heading else "--", flush=True)
        try:
            _print_result(run_query(con, sql), fmt)
        except QueryError as exc:
            _stderr(file_line(path, str(exc)))
            status = 1
        print()
    return status


def interactive_query(open_connection: Callable[[], Any], fmt: str) -> int:
    """A small SQL prompt: statements end with `;`, `.tables` lists tables and views, `.quit` leaves.
    The warehouse is opened for each statement only, so an open prompt never blocks an ingest."""
    from warehouse.queries import QueryError, relations, run_query, statement_complete, statements

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
            try:
                con = open_connection()
            except WarehouseError as exc:
                print(f"error: {exc}")
                continue
            try:
                for name, kind in relations(con):
                    print(f"{name}\t{kind}")
            finally:
                con.close()
            continue
        buffer.append(line)
        if statement_complete("\n".join(buffer)):  # a `;` inside a string does not end it
            sql = "\n".join(buffer)
            buffer.clear()
            try:
                parts = [text for _kind, text in statements(sql)]
                con = open_connection()
            except (QueryError, WarehouseError) as exc:
                print(f"error: {exc}")
                continue
            try:
                for part in parts:
                    try:
                        _print_result(run_query(con, part), fmt)
                    except QueryError as exc:
                        print(f"error: {exc}")
            finally:
                con.close()


def _print_result(result: Any, fmt: str) -> None:
    """Write a query result to stdout (see `warehouse.queries.write_result` for the formats)."""
    from warehouse.queries import write_result

    sys.stdout.flush()
    write_result(result, fmt, sys.stdout)  # type: ignore[arg-type]
    sys.stdout.flush()


def cmd_export(args: argparse.Namespace) -> int:
    from warehouse.db import connect
    from warehouse.queries import ExportError, export_all

    if args.outdir.exists() and not args.outdir.is_dir():
        _stderr(file_line(args.outdir, "not a folder (export writes one file per table into a folder)"))
        return 2
    con = connect(args.db, read_only=True)
    try:
        written = export_all(con, args.outdir, args.format)
    except ExportError as exc:
        _stderr(escape(exc))
        return 2
    finally:
        con.close()
    print(f"wrote {len(written)} files to {escape(args.outdir)}")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from warehouse.db import connect
    from warehouse.queries import stats

    con = connect(args.db, read_only=True)
    try:
        for title, result in stats(con).items():
            print(f"## {title}")
            _print_result(result, args.format)
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
        findings = list_findings(
            con, county=args.county, status=args.status, document=args.document,
            every_rendition=args.every_rendition,
        )
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

    if args.html.is_dir():
        _stderr(file_line(args.html, "is a folder; give the HTML file to write, e.g. report.html"))
        return 2
    con = connect(args.db)
    try:
        run_audit(con)
        out = write_html_report(con, args.html)
    finally:
        con.close()
    print(f"wrote {out.resolve().as_uri()}")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from extractors import ExtractionError
    from pipeline.evaluation import evaluate_file

    if args.gold is None and args.audit is None:
        _stderr("eval: give --gold GOLD.csv, --audit AUDIT.csv or both")
        return 2
    try:
        score = evaluate_file(args.file, gold=args.gold, audit_gold=args.audit)
    except ExtractionError as exc:
        _stderr(f"{args.file}: {exc}")
        return 1
    if args.json:
        print(json.dumps(score.as_dict(), ensure_ascii=False, indent=2, default=str))
    else:
        print(score.format(details=args.details))
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

    def add_ocr(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--ocr", choices=("auto", "always", "never"), default=None,
            help="OCR for PDF pages without a text layer: auto (those pages; default), always, never",
        )

    show = commands.add_parser("show", help="print what deckmine extracts from files, page by page")
    show.add_argument("files", nargs="+", type=Path, help=".pdf or .pptx files")
    show.add_argument("--json", action="store_true", help="print the document model as JSON")
    show.add_argument("--page", type=int, action="append", help="only this page (repeatable)")
    show.add_argument(
        "--timeout", type=_seconds, default=DEFAULT_TIMEOUT_S, metavar="SECONDS",
        help=f"give up on a file that takes longer than this (default: {DEFAULT_TIMEOUT_S:g})",
    )
    add_ocr(show)
    show.set_defaults(func=cmd_show)

    ingest = commands.add_parser("ingest", help="load files or folders into the warehouse")
    ingest.add_argument("paths", nargs="+", help="files or folders (searched recursively)")
    add_db(ingest)
    ingest.add_argument("--jobs", "-j", type=int, default=None, help="worker processes (default: CPU cores)")
    ingest.add_argument("--force", action="store_true", help="re-extract files already loaded")
    ingest.add_argument("--quiet", "-q", action="store_true", help="no progress bar, no summary")
    ingest.add_argument("--strict", action="store_true", help="exit 1 if any file failed")
    ingest.add_argument(
        "--timeout", type=_seconds, default=DEFAULT_TIMEOUT_S, metavar="SECONDS",
        help=f"stop a file that takes longer than this and go on (default: {DEFAULT_TIMEOUT_S:g})",
    )
    ingest.add_argument(
        "--max-memory", type=_size, default=DEFAULT_MAX_MEMORY, metavar="SIZE",
        help=f"stop a file that needs more memory than this, e.g. 512MB (default: {human_size(DEFAULT_MAX_MEMORY)})",
    )
    add_ocr(ingest)
    ingest.add_argument(
        "--pdf-backend", choices=PDF_BACKENDS, default=None,
        help=f"the PDF text layer: pdfium (fast) or pdfplumber (the reference); default: {DEFAULT_PDF_BACKEND}",
    )
    ingest.add_argument(
        "--executor", default="local", metavar="SPEC",
        help="where files are extracted and mined: local (worker processes; default), dask (a local "
        "Dask cluster of --jobs workers) or tcp://HOST:PORT (a running Dask scheduler)",
    )
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
    audit.add_argument(
        "--every-rendition", action="store_true",
        help="list the findings of every rendition of a briefing (default: one rendition per briefing)",
    )
    audit.add_argument("--format", "-f", choices=formats, default="table")
    audit.set_defaults(func=cmd_audit)

    report = commands.add_parser("report", help="write the audit as one self-contained HTML page")
    report.add_argument("--html", type=Path, required=True, metavar="OUT.html")
    add_db(report)
    report.set_defaults(func=cmd_report)

    evaluate = commands.add_parser("eval", help="score the miner on a file against a hand-checked gold CSV")
    evaluate.add_argument("file", type=Path, help="a .pdf or .pptx")
    evaluate.add_argument("--gold", type=Path, help="figure gold CSV (see tests/gold/README.md)")
    evaluate.add_argument("--audit", type=Path, metavar="AUDIT_GOLD",
                          help="audit gold CSV: found / missed inconsistencies and false alarms")
    evaluate.add_argument("--details", action="store_true",
                          help="list missed, extra and mislinked figures, missed inconsistencies and false alarms")
    evaluate.add_argument("--json", action="store_true", help="print the scores as JSON")
    evaluate.set_defaults(func=cmd_eval)

    debug_help = "show Python tracebacks instead of one-line errors"
    parser.add_argument("--debug", action="store_true", help=debug_help)
    for sub in commands.choices.values():  # `--debug` also works after the command
        sub.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=debug_help)
    return parser


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


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "ocr", None):
        import os

        os.environ["DECKMINE_OCR"] = args.ocr  # the PDF reader reads it, in every worker
    if args.debug:
        try:
            return int(args.func(args) or 0)
        except BrokenPipeError:  # `| head` is no error, even when debugging
            _quiet_stdout()
            return 0
    try:
        return int(args.func(args) or 0)
    except WarehouseError as exc:
        _stderr(escape(exc))
        return 2
    except KeyboardInterrupt:
        _stderr("interrupted")
        return 130
    except BrokenPipeError:
        _quiet_stdout()
        return 0
    except Exception as exc:  # noqa: BLE001 - the user gets one line; --debug shows the traceback
        _stderr(f"deckmine {args.command}: {_describe(exc)}")
        return 2 if isinstance(exc, OSError) else 1


def _describe(exc: BaseException) -> str:
    """One line for an unexpected failure: the OS's words for an OSError, else the first line."""
    if isinstance(exc, OSError) and exc.strerror:
        where = f"{exc.filename}: " if exc.filename else ""
        return escape(f"{where}{exc.strerror}")
    text = " ".join(str(exc).split()) if str(exc).strip() else ""
    text = text[:300]
    return escape(f"{type(exc).__name__}: {text}" if text else type(exc).__name__) + " (--debug shows where)"


def _quiet_stdout() -> None:
    """After a closed pipe, point stdout at /dev/null so flushing at exit cannot fail again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


if __name__ == "__main__":
    sys.exit(main())
