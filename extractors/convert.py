"""Convert `.odp` and `.ppt` decks to PPTX with headless LibreOffice, so the PPTX reader reads them.

`converted_to_pptx(path)` is a context manager that yields the converted file in a private temp
folder and removes the folder afterwards. Each call:

- copies the input into the temp folder under a plain name (a file name with quotes, spaces or a
  leading dash never reaches LibreOffice's command line);
- runs `soffice.bin` (the real program behind the `soffice` launcher script) with its own throwaway
  user profile (`-env:UserInstallation=file://…`): two calls never share a profile, so parallel
  workers never attach to each other's instance nor lock each other out;
- starts it in a new process group and kills the whole group when it takes longer than `timeout`
  seconds, and when the call returns for any reason: no LibreOffice process outlives the call;
- asks Linux to SIGKILL it when the calling process dies (a worker killed by the batch's per-file
  time limit takes its LibreOffice with it), and caps its address space at 4 GB (the worker's own
  cap is sized for Python): `extractors.children`.

Without LibreOffice it raises `ExtractionError("reading .odp needs LibreOffice (apt-get install
libreoffice-impress)")`. `DECKMINE_SOFFICE` names the `soffice` to use (an empty value or a path
that does not exist means "not installed").
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from deckmine.extractors.children import child_setup, kill_group
from deckmine.extractors.model import Document, ExtractionError

DEFAULT_TIMEOUT_S = 120.0
RESTART_EXIT_CODE = 81  # soffice.bin asks its launcher to start it again (first run of a profile)
MAX_STARTS = 3
INSTALL_HINT = "apt-get install libreoffice-impress"
# The profile's settings: no thumbnail in the converted file (smaller, and nothing we read).
REGISTRY = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
           xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Save/Document"><prop oor:name="GenerateThumbnail" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""
# Export filters by target suffix (what `--convert-to` is given).
FILTERS = {
    ".pptx": "pptx:Impress MS PowerPoint 2007 XML",
    ".odp": "odp:impress8",
    ".ppt": "ppt:MS PowerPoint 97",
    ".pdf": "pdf:impress_pdf_Export",
}


def find_soffice() -> str | None:
    """The `soffice` to run, or None when LibreOffice is not installed."""
    configured = os.environ.get("DECKMINE_SOFFICE")
    if configured is not None:
        return configured if configured and Path(configured).is_file() else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _program(soffice: str) -> str:
    """`soffice.bin` next to the launcher when there is one: the launcher (a shell script and
    `oosplash`) forks the real program, which would not die with us; `soffice.bin` does."""
    real = Path(soffice).resolve()
    candidate = real.with_name("soffice.bin")
    return str(candidate) if candidate.is_file() else str(real)


def needs_libreoffice(suffix: str) -> ExtractionError:
    return ExtractionError(f"reading {suffix} needs LibreOffice ({INSTALL_HINT})")


@contextlib.contextmanager
def converted_to_pptx(path: str | Path, timeout: float | None = None) -> Iterator[Path]:
    """Yield `path` converted to PPTX (a temporary file, removed on exit)."""
    with converted(path, ".pptx", timeout=timeout) as out:
        yield out


@contextlib.contextmanager
def converted(path: str | Path, target: str, timeout: float | None = None) -> Iterator[Path]:
    """Yield `path` converted by LibreOffice to `target` (`.pptx`, `.odp`, `.ppt`, `.pdf`) in a
    temporary folder that is removed on exit. Raises ExtractionError with a one-line reason."""
    with converted_many([path], target, timeout=timeout) as results:
        result = results[0]
        if isinstance(result, ExtractionError):
            raise result
        yield result


@contextlib.contextmanager
def converted_many(
    paths: list[str | Path], target: str, timeout: float | None = None
) -> Iterator[list[Path | ExtractionError]]:
    """Convert several files in one LibreOffice run (one start-up instead of one per file): yields,
    per input, the converted file or the ExtractionError saying why there is none. `timeout` is
    per file. Raises ExtractionError when LibreOffice is missing or the run took too long."""
    paths = [Path(path) for path in paths]
    soffice = find_soffice()
    if soffice is None:
        raise needs_libreoffice(paths[0].suffix.lower() if paths else ".odp")
    timeout = (DEFAULT_TIMEOUT_S if timeout is None else timeout) * max(1, len(paths))
    with tempfile.TemporaryDirectory(prefix="deckmine-lo-") as tmp:
        work = Path(tmp)
        profile, inbox, outbox = work / "profile", work / "in", work / "out"
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(REGISTRY, encoding="utf-8")
        inbox.mkdir()
        outbox.mkdir()
        sources, results = _stage(paths, target, inbox, outbox)
        command = [
            _program(soffice),
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            "--convert-to",
            FILTERS[target],
            "--outdir",
            str(outbox),
            *(str(source) for source in sources if source is not None),
        ]
        environment = {**os.environ, "HOME": str(work), "TMPDIR": str(work)}
        environment.pop("DISPLAY", None)
        code, stderr = 0, ""
        if any(source is not None for source in sources):
            for _ in range(MAX_STARTS):
                code, stderr = _run(command, environment, timeout)
                if code != RESTART_EXIT_CODE:
                    break
        yield _missing_as_errors(paths, results, code, stderr)


def _stage(
    paths: list[Path], target: str, inbox: Path, outbox: Path
) -> tuple[list[Path | None], list[Path | ExtractionError]]:
    """Copy each input into `inbox` under a plain name: per input, the copy (None when it cannot
    be read) and the file LibreOffice is to write (or the ExtractionError saying why not)."""
    sources: list[Path | None] = []
    results: list[Path | ExtractionError] = []
    for index, path in enumerate(paths):
        source = inbox / f"deck{index}{path.suffix.lower()}"
        try:
            shutil.copyfile(path, source)
        except FileNotFoundError:
            results.append(ExtractionError("file not found (it may have been moved or deleted)"))
            sources.append(None)
            continue
        except OSError as exc:
            results.append(ExtractionError(f"cannot read file ({exc.strerror or exc})"))
            sources.append(None)
            continue
        sources.append(source)
        results.append(outbox / f"deck{index}{target}")
    return sources, results


def _missing_as_errors(
    paths: list[Path], results: list[Path | ExtractionError], code: int, stderr: str
) -> list[Path | ExtractionError]:
    """`results` with every expected file LibreOffice did not write (or wrote empty) replaced by
    the ExtractionError naming the run's exit status and the end of its stderr."""
    detail = " ".join(stderr.split())[-160:]
    what = f"exit status {code}" + (f": {detail}" if detail else "")
    for index, result in enumerate(results):
        if isinstance(result, Path) and (not result.is_file() or result.stat().st_size == 0):
            suffix = paths[index].suffix.lower()
            results[index] = ExtractionError(
                f"LibreOffice could not convert the {suffix} file ({what})"
            )
    return results


def read_converted(path: str | Path, sha256: str, file_type: str, timeout: float | None = None) -> Document:
    """Read an `.odp` or `.ppt` through its PPTX conversion. The document keeps the original file's
    path, hash and type; `metadata["converted_by"]` says how it was read."""
    with converted_to_pptx(path, timeout=timeout) as pptx:
        return read_as_original(pptx, path, sha256, file_type)


def read_as_original(pptx: Path, original: str | Path, sha256: str, file_type: str) -> Document:
    """Read the PPTX LibreOffice made from `original` as the document of `original`."""
    from deckmine.extractors.pptx_reader import read_pptx

    try:
        document = read_pptx(pptx, sha256=sha256)
    except ExtractionError as exc:
        reason = str(exc).replace("PPTX", f"{file_type.upper()} (converted to PPTX)")
        raise ExtractionError(reason) from None
    document.path = str(original)
    document.file_type = file_type  # type: ignore[assignment]
    document.metadata["converted_by"] = "LibreOffice"
    return document


def _run(command: list[str], environment: dict[str, str], timeout: float) -> tuple[int, str]:
    """Run LibreOffice once in its own process group; kill the group on timeout and on exit."""
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment,
        start_new_session=True,
        preexec_fn=child_setup,
    )
    try:
        _out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(process)
        process.communicate()
        raise ExtractionError(
            f"LibreOffice took longer than {timeout:g} s to convert the file (stopped)"
        ) from None
    except BaseException:
        kill_group(process)
        process.communicate()
        raise
    finally:
        kill_group(process)  # anything it left running in its group
    return process.returncode, err.decode("utf-8", "replace")


__all__ = [
    "DEFAULT_TIMEOUT_S",
    "converted",
    "converted_many",
    "converted_to_pptx",
    "find_soffice",
    "needs_libreoffice",
    "read_as_original",
    "read_converted",
]
