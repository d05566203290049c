"""The `deckmine` command line. Each command is a thin wrapper over one library call
(`pipeline.cli_commands`); the arguments are `pipeline.cli_parser`.

Errors about a file are printed as one line, `FILE: reason`, on stderr (names escaped). Exit status:
0 on success, 1 when the command could do nothing useful (e.g. no file could be loaded), 2 for usage
or warehouse errors (locked, missing, not deckmine's, disk full), 130 after Ctrl-C. No traceback
reaches the user unless `--debug` is given.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from deckmine.pipeline.cli_commands import stderr_line
from deckmine.pipeline.cli_parser import build_parser
from deckmine.pipeline.executors import ExecutorError
from deckmine.pipeline.limits import escape
from deckmine.warehouse.db import WarehouseError

__all__ = ["build_parser", "main"]


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
        stderr_line(escape(exc))
        return 2
    except ExecutorError as exc:  # the cluster cannot run (no `distributed`, no scheduler)
        stderr_line(f"deckmine {args.command}: {escape(exc)}")
        return 2
    except KeyboardInterrupt:
        stderr_line("interrupted")
        return 130
    except BrokenPipeError:
        _quiet_stdout()
        return 0
    except Exception as exc:  # noqa: BLE001 - the user gets one line; --debug shows the traceback
        stderr_line(f"deckmine {args.command}: {_describe(exc)}")
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
