"""The stat cache: a path's size, modification time and inode when its bytes were last hashed.

An unchanged re-ingest of a large archive would otherwise read every byte again to learn that
nothing changed. Like git's index, a path whose `(size, mtime_ns, inode)` are those recorded keeps
its recorded sha256. A file modified within `RACY_SECONDS` of being recorded is not trusted (a
second write in the same timestamp tick would leave the stat unchanged), and neither is an entry
whose document is no longer in the warehouse: both are hashed again.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import dataclass

import duckdb

RACY_SECONDS = 2.0


@dataclass(frozen=True)
class FileStat:
    size_bytes: int
    mtime_ns: int
    inode: int

    @classmethod
    def of(cls, stat: os.stat_result) -> FileStat:
        return cls(stat.st_size, stat.st_mtime_ns, stat.st_ino)


@dataclass(frozen=True)
class CachedDigest:
    stat: FileStat
    document_id: str
    recorded_at_ns: int

    def trusted_for(self, stat: FileStat) -> bool:
        """The recorded digest holds for a file that looks like this now."""
        settled = self.stat.mtime_ns + RACY_SECONDS * 1e9 < self.recorded_at_ns
        return settled and stat == self.stat


def load_file_stats(con: duckdb.DuckDBPyConnection) -> dict[str, CachedDigest]:
    """path -> what was recorded, for the documents still in the warehouse."""
    rows = con.execute(
        "SELECT path, size_bytes, mtime_ns, inode, document_id, recorded_at_ns FROM file_stats "
        "WHERE document_id IN (SELECT document_id FROM documents)"
    ).fetchall()
    return {
        path: CachedDigest(FileStat(size, mtime, inode), document_id, recorded)
        for path, size, mtime, inode, document_id, recorded in rows
    }


def record_file_stats(con: duckdb.DuckDBPyConnection, entries: Iterable[tuple[str, FileStat, str]]) -> None:
    """Remember (path, stat, document_id) for the files of this run that are in the warehouse now,
    and forget entries whose document has gone."""
    entries = list(entries)
    now = time.time_ns()
    if entries:
        con.execute(
            "INSERT OR REPLACE INTO file_stats "
            "SELECT unnest($1), unnest($2), unnest($3), unnest($4), unnest($5), $6",
            [[p for p, _, _ in entries], [s.size_bytes for _, s, _ in entries],
             [s.mtime_ns for _, s, _ in entries], [s.inode for _, s, _ in entries],
             [d for _, _, d in entries], now],
        )
    con.execute("DELETE FROM file_stats WHERE document_id NOT IN (SELECT document_id FROM documents)")
