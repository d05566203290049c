"""The one reader of the word lists under `patterns/data/` (what each table means: its README).

`read_table(name)` returns the rows of `patterns/data/<name>` as dicts keyed by the header row,
every cell stripped, blank lines skipped. Files are tab-separated UTF-8 without quoting. A missing
file or a row whose number of cells differs from the header's raises `DataTableError` naming the
file (and the line): a typo in a table never silently yields no words.

Each file is read once per process. Lookups built on the tables are cached with `table_cache`
so that `reload_tables()` (tests that point `DATA_DIR` at an edited copy) rebuilds them too.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, TypeVar

import regex

DATA_DIR = Path(__file__).resolve().parent / "data"

_Function = TypeVar("_Function", bound=Callable[..., Any])
_CACHED: list[Any] = []


class DataTableError(ValueError):
    """A table under `patterns/data/` is missing or malformed."""


@cache
def _rows(directory: Path, name: str) -> tuple[dict[str, str], ...]:
    path = directory / name
    if not path.is_file():
        raise DataTableError(f"{path}: no such data table (see patterns/data/README.md)")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = [cell.strip() for cell in next(reader, [])]
        if not header or not all(header):
            raise DataTableError(f"{path}: the first line must name every column")
        rows: list[dict[str, str]] = []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                raise DataTableError(
                    f"{path}:{reader.line_num}: {len(cells)} cells, the header has {len(header)}"
                )
            rows.append({key: cell.strip() for key, cell in zip(header, cells, strict=True)})
    return tuple(rows)


def read_table(name: str) -> list[dict[str, str]]:
    """Rows of `patterns/data/<name>` (see module doc); the list is the caller's own."""
    return list(_rows(DATA_DIR, name))


def column(name: str, key: str, **where: str) -> tuple[str, ...]:
    """The `key` cells of the rows whose columns equal `where`, in file order, without blanks:
    `column("numerals.tsv", "numeral")`, `column("cues.tsv", "word", role="reporter")`."""
    return tuple(
        row[key] for row in read_table(name)
        if row[key] and all(row.get(field) == value for field, value in where.items())
    )


def alternation(words: list[str] | tuple[str, ...]) -> str:
    """A regex alternation of literal words, longest first so the longest one wins."""
    return "|".join(regex.escape(word) for word in sorted(set(words), key=len, reverse=True))


def table_cache(function: _Function | None = None, *, maxsize: int | None = None) -> Any:
    """`functools.lru_cache` (unbounded unless `maxsize`) for a lookup built from the tables,
    cleared by `reload_tables`: `@table_cache` or `@table_cache(maxsize=4096)`."""

    def wrap(inner: _Function) -> _Function:
        cached = lru_cache(maxsize=maxsize)(inner)
        _CACHED.append(cached)
        return cached  # type: ignore[return-value]

    return wrap(function) if function is not None else wrap


def reload_tables() -> None:
    """Forget every table read and every lookup built from them (after editing `DATA_DIR`)."""
    _rows.cache_clear()
    for cached in _CACHED:
        cached.cache_clear()


__all__ = ["DATA_DIR", "DataTableError", "alternation", "column", "read_table", "reload_tables", "table_cache"]
