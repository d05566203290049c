"""Briefings: the renditions of one deck (PPTX, the PDF exported from it, ODP, PPT) under one id.

A document joins the briefing of an earlier document when both name the same county, report date
and title, and their text is near-same:
- the Jaccard similarity of their character trigrams (white space removed) is at least
  `MIN_TEXT_SIMILARITY`, and
- at least `MIN_NUMBER_CONTAINMENT` of the numbers printed in the one with fewer numbers are
  printed in the other (two decks that differ only in their figures are two briefings).
Measured on the sample corpus: renditions of one deck score 0.77-0.93 on text and 0.90-1.00 on
numbers; different decks at most 0.15 on text. A revised deck (the same cover, a few figures
changed: the bench's generated variants score 0.86-0.95 and 0.82-0.95) is the same briefing, and the
views show its latest file. A briefing's id is `b-` and the first 16 characters of the smallest
document id among its renditions, so it does not depend on the order the files were loaded in.
"""

from __future__ import annotations

import re
from functools import lru_cache

import duckdb

MIN_TEXT_SIMILARITY = 0.5
MIN_NUMBER_CONTAINMENT = 0.8
# Fingerprints kept while linking (a batch of a thousand decks would otherwise hold all of them:
# hundreds of megabytes); a document is compared with the few of its own county, date and title.
FINGERPRINT_CACHE = 64
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_SPACE = re.compile(r"\s+")


class Fingerprint:
    """What two renditions are compared by: their text's trigrams and their printed numbers."""

    def __init__(self, text: str) -> None:
        compact = _SPACE.sub("", text)
        self.trigrams = {compact[i : i + 3] for i in range(len(compact) - 2)}
        self.numbers = set(_NUMBER.findall(text))

    def same_briefing(self, other: Fingerprint) -> bool:
        union = self.trigrams | other.trigrams
        if not union or len(self.trigrams & other.trigrams) / len(union) < MIN_TEXT_SIMILARITY:
            return False
        fewer = min(len(self.numbers), len(other.numbers))
        if fewer == 0:
            return not self.numbers and not other.numbers
        return len(self.numbers & other.numbers) / fewer >= MIN_NUMBER_CONTAINMENT


def _text(con: duckdb.DuckDBPyConnection, document_id: str) -> str:
    row = con.execute(
        "SELECT string_agg(text, chr(10) ORDER BY page) FROM pages WHERE document_id = ?", [document_id]
    ).fetchone()
    return (row[0] if row else None) or ""


def link_briefings(con: duckdb.DuckDBPyConnection) -> int:
    """Give every document without a briefing one (in the order they were loaded). Returns how
    many documents joined an existing briefing."""
    pending = con.execute(
        "SELECT document_id, county, report_date, title FROM documents WHERE briefing_id IS NULL "
        "ORDER BY ingested_at, document_id"
    ).fetchall()
    joined = 0
    fingerprint = lru_cache(maxsize=FINGERPRINT_CACHE)(lambda document_id: Fingerprint(_text(con, document_id)))

    for document_id, county, report_date, title in pending:
        candidates = con.execute(
            "SELECT document_id, briefing_id FROM documents WHERE briefing_id IS NOT NULL "
            "AND county IS NOT DISTINCT FROM ? AND report_date IS NOT DISTINCT FROM ? "
            "AND title IS NOT DISTINCT FROM ? ORDER BY ingested_at, document_id",
            [county, report_date, title],
        ).fetchall()
        briefing = next(
            (b for other, b in candidates if fingerprint(document_id).same_briefing(fingerprint(other))),
            None,
        ) if candidates else None
        own = f"b-{document_id[:16]}"
        if briefing is None:
            con.execute("UPDATE documents SET briefing_id = ? WHERE document_id = ?", [own, document_id])
            continue
        joined += 1
        # A briefing is named after its smallest document id, whatever order its files came in.
        named = min(briefing, own)
        con.execute("UPDATE documents SET briefing_id = ? WHERE briefing_id = ? OR document_id = ?",
                    [named, briefing, document_id])
    return joined
