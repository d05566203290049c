"""What the HTML audit report shows, as plain data for its template (pipeline/templates/).

Nothing here writes HTML: text stays text (the template escapes it), a highlighted snippet is a list
of pieces each marked or not, a page picture is a data URI. Decks come worst finding first, then by
file name; findings worst first, then in page reading order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
from deckmine.pipeline.audit import SEVERITY, STATUS_ORDER
from deckmine.pipeline.report_data import DeckRow, FindingRow, MetricRow, slide_row
from deckmine.pipeline.report_images import PdfPictures

STATUS_TITLES = {
    "mismatch": "rate does not match its counts",
    "sum_mismatch": "parts do not add up",
    "reversed": "fraction printed reversed",
    "possible_misread": "disagrees, but read by low-confidence OCR",
    "target_missed": "target missed",
    "cross_document": "decks disagree",
    "ok_truncated": "consistent when truncated",
    "not_computable": "cannot be recomputed",
    "target_met": "target met",
    "ok": "consistent",
}
RANK = {status: index for index, status in enumerate(STATUS_ORDER)}


@dataclass(frozen=True)
class Piece:
    """A run of text; `marked` runs are a figure the finding is about."""

    text: str
    marked: bool = False


@dataclass(frozen=True)
class Pill:
    """One status in the filter bar: its name, how many findings have it, what it means."""

    status: str
    severity: str
    title: str
    count: int


@dataclass(frozen=True)
class Picture:
    uri: str
    alt: str


@dataclass(frozen=True)
class Slide:
    title: str
    pieces: list[Piece]


@dataclass(frozen=True)
class FindingView:
    status: str
    severity: str
    page: int | None
    check: str
    expression: str
    message: str
    snippet: list[Piece]
    picture: Picture | None = None
    slide: Slide | None = None

    @property
    def badge(self) -> str:
        return self.status.replace("_", " ")


@dataclass(frozen=True)
class DeckView:
    document_id: str
    file_name: str
    facts: list[str]
    findings: list[FindingView] = field(default_factory=list)


@dataclass(frozen=True)
class DeckContext:
    """What every finding of one deck is drawn with."""

    con: duckdb.DuckDBPyConnection
    document_id: str
    metrics: dict[str, MetricRow]
    pdf_path: Path | None
    pictures: PdfPictures


def pills(findings: Sequence[FindingRow]) -> list[Pill]:
    counts = {status: 0 for status in STATUS_ORDER}
    for finding in findings:
        counts[finding.status] = counts.get(finding.status, 0) + 1
    return [Pill(s, SEVERITY[s], STATUS_TITLES[s], counts[s]) for s in STATUS_ORDER]


def by_deck(findings: Sequence[FindingRow], decks: dict[str, DeckRow]) -> list[tuple[str, list[FindingRow]]]:
    """Findings grouped by deck, worst deck first, then by file name; worst finding first, then
    by page, top, left."""
    groups: dict[str, list[FindingRow]] = {}
    for finding in sorted(findings, key=_finding_key):
        groups.setdefault(str(finding.document_id), []).append(finding)

    def deck_key(item: tuple[str, list[FindingRow]]) -> tuple[int, str]:
        deck = decks.get(item[0])
        return _rank(item[1][0]), deck.file_name if deck else ""

    return sorted(groups.items(), key=deck_key)


def _rank(finding: FindingRow) -> int:
    return RANK.get(finding.status, len(RANK))


def _finding_key(finding: FindingRow) -> tuple[int, int, float, float, str]:
    left, top = (finding.bbox[0], finding.bbox[1]) if len(finding.bbox) == 4 else (0.0, 0.0)
    return _rank(finding), finding.page or 0, top, left, finding.finding_id


def deck_view(deck: DeckRow | None, document_id: str, findings: Sequence[FindingRow],
              context: DeckContext) -> DeckView:
    facts = []
    if deck:
        date = "" if deck.report_date is None else str(deck.report_date)[:10]
        facts = [str(v) for v in (deck.county, date, deck.file_type.upper(), deck.title) if v]
    file_name = deck.file_name if deck and deck.file_name else document_id[:12]
    return DeckView(document_id, file_name, facts, [finding_view(f, context) for f in findings])


def finding_view(finding: FindingRow, context: DeckContext) -> FindingView:
    page = finding.page
    own = _own_metrics(finding, context)
    values = [metric.value_text for metric in own if metric.value_text]
    picture = slide = None
    if page is not None and context.pdf_path is not None:
        boxes = [m.bbox for m in own if m.bbox] or [finding.bbox]
        picture = _picture(context.pictures, context.pdf_path, page, boxes)
    if picture is None and page is not None:
        slide = _slide(context, page, values)
    return FindingView(
        status=finding.status,
        severity=SEVERITY.get(finding.status, "info"),
        page=page,
        check=finding.check.replace("_", " "),
        expression=finding.expression or "",
        message=finding.message or "",
        snippet=highlight(finding.snippet or "", values),
        picture=picture,
        slide=slide,
    )


def _own_metrics(finding: FindingRow, context: DeckContext) -> list[MetricRow]:
    """The finding's metrics that are on its own page of this deck (a cross-deck finding also
    names the other deck's)."""
    metrics = (context.metrics.get(metric_id) for metric_id in finding.metric_ids)
    return [
        metric for metric in metrics
        if metric and metric.document_id == context.document_id and metric.page == finding.page
    ]


def _picture(pictures: PdfPictures, pdf_path: Path, page: int,
             boxes: Sequence[Sequence[float]]) -> Picture | None:
    uri = pictures.picture(pdf_path, page, [list(box) for box in boxes if box])
    return Picture(uri, f"page {page} of {pdf_path.name}") if uri else None


def _slide(context: DeckContext, page: int, values: Sequence[str]) -> Slide | None:
    row = slide_row(context.con, context.document_id, page)
    if not row or not (row.text or row.title):
        return None
    return Slide(row.title or "", highlight(row.text or "", values))


def highlight(text: str, values: Sequence[str]) -> list[Piece]:
    """`text` in pieces, each figure's digits a marked piece, never inside a longer number."""
    wanted = sorted({v for v in values if v.strip()}, key=len, reverse=True)
    if not wanted:
        return [Piece(text)] if text else []
    pattern = re.compile("|".join(rf"(?<![\d.,]){re.escape(v)}(?![\d])(?!\.\d)" for v in wanted))
    pieces, last = [], 0
    for match in pattern.finditer(text):
        pieces.append(Piece(text[last:match.start()]))
        pieces.append(Piece(match.group(0), marked=True))
        last = match.end()
    pieces.append(Piece(text[last:]))
    return [piece for piece in pieces if piece.text]
