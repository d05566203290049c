"""`deckmine export`: every table and view of the warehouse, one Parquet or CSV file each.

Only the warehouse's own relations (those its migrations create) are written, each into a file
inside the folder given, by DuckDB's own writers.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Literal

import duckdb
from deckmine.warehouse.db import first_line, migration_files
from deckmine.warehouse.queries import relations

ExportFormat = Literal["parquet", "csv"]


_CREATED = re.compile(
    r"CREATE\s+(?:OR\s+REPLACE\s+)?(?:TABLE|VIEW)\s+(?:IF\s+NOT\s+EXISTS\s+)?\"?([A-Za-z_][A-Za-z0-9_]*)\"?",
    re.I,
)
PLAIN_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


class ExportError(Exception):
    """An export target that cannot be used (not a folder, not writable)."""


def own_relations() -> set[str]:
    """Every table and view deckmine's migrations create, and schema_version."""
    names = {"schema_version"}
    for _version, _name, sql in migration_files():
        names.update(match.group(1).lower() for match in _CREATED.finditer(sql))
    return names


def export_all(con: duckdb.DuckDBPyConnection, out_dir: Path, fmt: ExportFormat) -> list[Path]:
    """Write every table and view of the warehouse to OUT_DIR/<name>.<fmt>; returns the files.

    Only relations deckmine's own migrations create are exported, under their plain names, so no
    name stored in the file can steer where a file goes or what SQL runs; each file is written
    to a temporary name in OUT_DIR and renamed over the target (a symlink there is replaced, never
    followed). OUT_DIR must be a folder (created if missing)."""
    if out_dir.exists() and not out_dir.is_dir():
        raise ExportError(f"{out_dir}: not a folder (export writes one file per table into a folder)")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"{out_dir}: cannot create the folder ({exc.strerror or exc})") from None
    allowed = own_relations()
    written = []
    for name, _kind in relations(con):
        if name not in allowed or not PLAIN_NAME.match(name):
            continue
        target = out_dir / f"{name}.{fmt}"
        handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=f".{fmt}", dir=out_dir)
        os.close(handle)
        try:
            relation = con.table(name)
            if fmt == "parquet":
                relation.write_parquet(temporary)
            else:
                relation.write_csv(temporary, header=True)
            os.replace(temporary, target)
        except OSError as exc:
            raise ExportError(f"{target}: cannot write ({exc.strerror or exc})") from None
        except duckdb.Error as exc:
            raise ExportError(f"{target}: cannot write ({first_line(exc)})") from None
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
        written.append(target)
    return written


def export_to(db_path: str | Path | None, out_dir: Path, fmt: ExportFormat) -> list[Path]:
    """`deckmine export`: `export_all` on a read-only connection to the warehouse at `db_path`."""
    from deckmine.warehouse.db import connect

    con = connect(db_path, read_only=True)
    try:
        return export_all(con, out_dir, fmt)
    finally:
        con.close()
