"""What a batch has to do: find the files, and decide for each whether it is new or known.

Identity is the sha256 of a file's bytes (read again only when the file's size, modification time
or inode differ from those recorded when it was last hashed: `warehouse.file_stats`):
- bytes already in the warehouse at the same path: unchanged, nothing is read;
- bytes already in the warehouse at another path: moved, only the path is updated;
- new bytes at a path the warehouse knows: changed, the old version's rows are replaced;
- new bytes at a new path: new;
- the same bytes as an earlier path of the batch: a duplicate, loaded once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from deckmine.extractors import EXPECTED, SUPPORTED_SUFFIXES, sha256_of
from deckmine.pipeline.limits import file_line
from deckmine.warehouse.file_stats import CachedDigest, FileStat
from deckmine.warehouse.store import path_text

ErrorSink = Callable[[str], None]


@dataclass
class PlannedFile:
    path: Path
    sha256: str
    status: str  # new | changed | moved | unchanged
    replaces: list[str] = field(default_factory=list)
    stat: FileStat | None = None  # as seen before hashing
    resolved: str = ""


def discover(paths: Iterable[str | Path], on_error: ErrorSink) -> list[Path]:
    """Expand folders (recursively) into files of SUPPORTED_SUFFIXES. A file named explicitly with
    another extension, or a path that does not exist, is reported through `on_error`."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file()
                    and p.suffix.lower() in SUPPORTED_SUFFIXES
                    and not p.name.startswith(("~$", "."))
                )
            )
        elif path.is_file():
            if path.suffix.lower() in SUPPORTED_SUFFIXES:
                found.append(path)
            else:
                on_error(file_line(path, f"unsupported file type '{path.suffix or path.name}' (expected {EXPECTED})"))
        else:
            on_error(file_line(path, "no such file or folder"))
    unique: dict[Path, Path] = {}
    for path in found:
        unique.setdefault(path.resolve(), path)
    return list(unique.values())


def plan(
    files: list[Path],
    known: dict[str, str],
    force: bool,
    on_error: ErrorSink,
    cache: dict[str, CachedDigest] | None = None,
) -> list[PlannedFile]:
    """Decide per file whether it is new, changed, moved, unchanged or a duplicate (the same bytes
    as an earlier path of this batch: loaded once, under the first path). A file the stat `cache`
    vouches for is not read (unless `force`)."""
    cache = cache or {}
    by_path: dict[str, list[str]] = {}
    for document_id, stored_path in known.items():
        by_path.setdefault(stored_path, []).append(document_id)
    planned: list[PlannedFile] = []
    first_path: dict[str, PlannedFile] = {}
    for path in files:
        resolved = path_text(path.resolve())
        try:
            stat = FileStat.of(path.stat())
            cached = cache.get(resolved)
            if not force and cached is not None and cached.trusted_for(stat):
                digest = cached.document_id
            else:
                digest = sha256_of(path)
        except FileNotFoundError:
            on_error(file_line(path, "file not found (it may have been moved or deleted)"))
            continue
        except OSError as exc:
            on_error(file_line(path, f"cannot read file ({exc.strerror or exc})"))
            continue
        previous = [d for d in by_path.get(resolved, []) if d != digest]
        if digest in first_path:
            planned.append(PlannedFile(path, digest, "duplicate", stat=stat, resolved=resolved))
            continue
        if digest in known and not force:
            status = "unchanged" if known[digest] == resolved else "moved"
        else:
            status = "changed" if previous or (force and digest in known) else "new"
        item = PlannedFile(path, digest, status, replaces=previous, stat=stat, resolved=resolved)
        first_path[digest] = item
        planned.append(item)
    return planned


def vouched_for(path: Path, cache: dict[str, CachedDigest]) -> bool:
    """The stat cache holds this file's digest (it will not be read nor, most likely, processed)."""
    cached = cache.get(path_text(path.resolve()))
    try:
        return cached is not None and cached.trusted_for(FileStat.of(path.stat()))
    except OSError:
        return False
