"""What each `deckmine` command does: parse nothing, decide nothing, call one library function
and print its result (the parser is `pipeline.cli_parser`, error handling `pipeline.cli`)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from deckmine.pipeline.limits import Limits, cap_jobs, escape, file_line, human_size

if TYPE_CHECKING:
    import duckdb
    from rich.console import Console


def stderr_line(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _console() -> Console:
    from rich.console import Console  # imported only by the commands that print with it

    if sys.stdout.isatty():
        return Console(highlight=False)
    return Console(width=160, no_color=True, highlight=False, soft_wrap=True)


def cmd_show(args: argparse.Namespace) -> int:
    from deckmine.pipeline.show import show

    return show(args.files, _console(), stderr_line, pages=args.page, as_json=args.json,
                limits=Limits(timeout=args.timeout), pdf_backend=args.pdf_backend)


def cmd_ingest(args: argparse.Namespace) -> int:
    if args.executor == "local":
        from deckmine.pipeline.workers import start_forkserver

        start_forkserver()  # before the imports below: the workers' imports overlap this process's
    from deckmine.pipeline.ingest import ingest
    from deckmine.pipeline.progress import make_progress

    limits = Limits(timeout=args.timeout, max_memory=args.max_memory)
    if args.jobs is not None and args.jobs > cap_jobs(args.jobs, limits) and not args.quiet:
        stderr_line(f"--jobs {args.jobs}: using {cap_jobs(args.jobs, limits)} workers (one per core, "
                    f"{human_size(limits.max_memory)} of memory each at most)")
    summary = ingest(
        args.paths, args.db, jobs=args.jobs, force=args.force, on_error=stderr_line,
        progress=make_progress(quiet=args.quiet), command="ingest " + " ".join(args.paths),
        limits=limits, executor=args.executor, pdf_backend=args.pdf_backend,
    )
    if not args.quiet or summary.failed or summary.interrupted:
        print(summary.line())
    if summary.interrupted:
        return 130
    return 1 if summary.failed and (args.strict or summary.loaded == 0) else 0


def cmd_query(args: argparse.Namespace) -> int:
    from deckmine.pipeline.prompt import interactive_query, print_result, run_query_file
    from deckmine.warehouse.db import connect
    from deckmine.warehouse.queries import QueryError, run_query

    def open_connection() -> duckdb.DuckDBPyConnection:
        return connect(args.db, read_only=True, sandbox=True)

    if not args.file and not args.sql:
        open_connection().close()  # say now if the warehouse is unusable
        return interactive_query(open_connection, args.format)
    con = open_connection()
    try:
        if args.file:
            return run_query_file(con, args.file, args.format, stderr_line)
        print_result(run_query(con, args.sql), args.format)
    except QueryError as exc:
        stderr_line(f"query: {exc}")
        return 1
    finally:
        con.close()
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from deckmine.warehouse.export import ExportError, export_to

    if args.outdir.exists() and not args.outdir.is_dir():
        stderr_line(file_line(args.outdir, "not a folder (export writes one file per table into a folder)"))
        return 2
    try:
        written = export_to(args.db, args.outdir, args.format)
    except ExportError as exc:
        stderr_line(escape(exc))
        return 2
    print(f"wrote {len(written)} files to {escape(args.outdir)}")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from deckmine.pipeline.prompt import print_result
    from deckmine.warehouse.queries import stats_of

    for title, result in stats_of(args.db).items():
        print(f"## {title}")
        print_result(result, args.format)
        print()
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    from deckmine.pipeline.audit_store import audit
    from deckmine.pipeline.prompt import print_result

    result = audit(args.db, county=args.county, status=args.status, document=args.document,
                   every_rendition=args.every_rendition, brief=args.format == "table")
    print_result(result, args.format)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from deckmine.pipeline.report import report

    if args.html.is_dir():
        stderr_line(file_line(args.html, "is a folder; give the HTML file to write, e.g. report.html"))
        return 2
    print(f"wrote {report(args.db, args.html).resolve().as_uri()}")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from deckmine.extractors import ExtractionError
    from deckmine.pipeline.evaluation import evaluate_file

    if args.gold is None and args.audit is None:
        stderr_line("eval: give --gold GOLD.csv, --audit AUDIT.csv or both")
        return 2
    try:
        score = evaluate_file(args.file, gold=args.gold, audit_gold=args.audit)
    except ExtractionError as exc:
        stderr_line(file_line(args.file, str(exc)))
        return 1
    if args.json:
        print(json.dumps(score.as_dict(), ensure_ascii=False, indent=2, default=str))
    else:
        print(score.format(details=args.details))
    return 0
