"""The audit as one self-contained HTML page an auditor can open anywhere (`deckmine report --html`).

Summary counts by status at the top, then the findings grouped by deck, each with its status badge,
page, message, snippet and a picture of the page region with the figures boxed (PDF), or the slide's
text with the figures highlighted (PPTX). Status checkboxes filter the findings with plain
JavaScript; the filter lives in the URL hash (`report.html#status=mismatch,reversed`) so a link,
or a headless browser, can open the page already filtered. Everything (CSS, JS, images) is inline.

The page is rendered from Jinja templates (pipeline/templates/, autoescape on) fed with typed rows
(pipeline/report_data.py) turned into what is shown (pipeline/report_view.py): no HTML is built by
hand, so deck text can hold `<script>`, quotes or `{{ }}` and is shown as written.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from pathlib import Path

import duckdb
import jinja2
from deckmine.pipeline.report_data import (
    PdfLookup,
    deck_rows,
    default_lookup,
    finding_rows,
    metric_rows,
)
from deckmine.pipeline.report_images import PdfPictures
from deckmine.pipeline.report_view import (
    STATUS_TITLES,
    DeckContext,
    DeckView,
    Pill,
    by_deck,
    deck_view,
    pills,
)

__all__ = ["STATUS_TITLES", "PdfLookup", "render_page", "report", "write_html_report"]


def write_html_report(
    con: duckdb.DuckDBPyConnection,
    out_path: Path,
    pdf_lookup: PdfLookup | None = None,
    *,
    resolution: int = 90,
) -> Path:
    """Write the report of every finding in the warehouse to `out_path` and return it.

    `pdf_lookup(document_id)` gives the PDF to render a deck's pages from (None: no picture); by
    default the PDF rendition of the deck's briefing, from the path it was ingested from, when it is
    still there. One rendition per briefing is listed (`v_findings`)."""
    out_path = Path(out_path)
    findings = finding_rows(con)
    decks = deck_rows(con)
    lookup = pdf_lookup or default_lookup(con, decks)
    metrics = metric_rows(con, findings)
    pictures = PdfPictures(resolution=resolution)
    try:
        views = []
        for document_id, group in by_deck(findings, decks):
            deck = decks.get(document_id)
            pdf_path = lookup(document_id) if deck else None
            context = DeckContext(con, document_id, metrics, pdf_path, pictures)
            views.append(deck_view(deck, document_id, group, context))
    finally:
        pictures.close()
    page = render_page(views, pills(findings), finding_count=len(findings))
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(page, encoding="utf-8")
    return out_path


def render_page(decks: list[DeckView], status_pills: list[Pill], *, finding_count: int,
                generated: datetime | None = None) -> str:
    """The report page for these decks and filter pills (pipeline/templates/report.html.j2)."""
    return _environment().get_template("report.html.j2").render(
        decks=decks,
        pills=status_pills,
        finding_count=finding_count,
        generated=(generated or datetime.now()).strftime("%Y-%m-%d %H:%M"),
    )


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("deckmine.pipeline", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def report(db_path: str | Path | None, out_path: Path) -> Path:
    """`deckmine report`: run the cross-document check on the warehouse, then write the page."""
    from deckmine.pipeline.audit_store import run_audit
    from deckmine.warehouse.db import connect

    con = connect(db_path)
    try:
        run_audit(con)
        return write_html_report(con, out_path)
    finally:
        con.close()
