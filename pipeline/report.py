"""The audit as one self-contained HTML page an auditor can open anywhere (`deckmine report --html`).

Summary counts by status at the top, then the findings grouped by deck, each with its status badge,
page, message, snippet and a picture of the page region with the figures boxed (PDF), or the slide's
text with the figures highlighted (PPTX). Status checkboxes filter the findings with plain
JavaScript; the filter lives in the URL hash (`report.html#status=mismatch,reversed`) so a link,
or a headless browser, can open the page already filtered. Everything (CSS, JS, images) is inline.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from pipeline.audit import SEVERITY, STATUS_ORDER, list_findings
from pipeline.report_images import PdfPictures

PdfLookup = Callable[[str], Path | None]

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
    findings = list_findings(con)
    documents = _documents(con)
    lookup = pdf_lookup or _default_lookup(con, documents)
    metrics = _metrics(con, findings)
    pictures = PdfPictures(resolution=resolution)
    try:
        decks = [
            _deck_section(con, documents.get(document_id, {}), document_id, group, metrics, lookup, pictures)
            for document_id, group in _by_deck(findings, documents)
        ]
    finally:
        pictures.close()
    page = PAGE_TEMPLATE.format(
        css=CSS,
        script=SCRIPT,
        generated=datetime.now().strftime("%Y-%m-%d %H:%M"),
        deck_count=len(decks),
        finding_count=len(findings),
        summary=_summary(findings),
        decks="\n".join(decks) or '<p class="empty">No findings: run <code>deckmine ingest</code> first.</p>',
    )
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(page, encoding="utf-8")
    return out_path


# --- data -------------------------------------------------------------------------------------


def _documents(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, Any]]:
    frame = con.execute(
        "SELECT document_id, path, file_name, file_type, county, report_date, title, page_count FROM documents"
    ).df()
    return {row["document_id"]: row for row in frame.to_dict("records")}


def _default_lookup(con: duckdb.DuckDBPyConnection, documents: dict[str, dict[str, Any]]) -> PdfLookup:
    """A PDF deck's own file; for a PPTX, ODP or PPT, the PDF rendition of its briefing when it has
    as many pages (a PDF exported from the deck: page N is slide N)."""
    pdf_of = dict(
        con.execute(
            "SELECT r.document_id, b.pdf_document_id FROM v_renditions r "
            "JOIN v_briefings b USING (briefing_id) WHERE b.pdf_document_id IS NOT NULL"
        ).fetchall()
    )

    def lookup(document_id: str) -> Path | None:
        document = documents.get(document_id)
        pdf = documents.get(pdf_of.get(document_id, ""))
        if not document or not pdf or pdf.get("page_count") != document.get("page_count"):
            return None
        path = Path(str(pdf["path"]))
        return path if path.exists() else None

    return lookup


def _metrics(con: duckdb.DuckDBPyConnection, findings: pd.DataFrame) -> dict[str, dict[str, Any]]:
    ids = sorted({metric_id for ids in findings["metric_ids"] for metric_id in _as_list(ids)})
    if not ids:
        return {}
    frame = con.execute(
        "SELECT metric_id, document_id, page, bbox, value_text, unit, snippet FROM metrics "
        "WHERE metric_id IN (SELECT unnest(?::VARCHAR[]))",
        [ids],
    ).df()
    return {row["metric_id"]: row for row in frame.to_dict("records")}


def _by_deck(findings: pd.DataFrame, documents: dict[str, dict[str, Any]]) -> list[tuple[str, pd.DataFrame]]:
    """Decks with the worst findings first, then by file name; findings worst first, then in page
    reading order."""
    rank = {status: index for index, status in enumerate(STATUS_ORDER)}
    findings = findings.assign(
        _rank=findings["status"].map(lambda s: rank.get(s, len(rank))),
        _page=findings["page"].fillna(0),
        _top=findings["bbox"].map(lambda box: _as_list(box)[1] if len(_as_list(box)) == 4 else 0.0),
        _left=findings["bbox"].map(lambda box: _as_list(box)[0] if len(_as_list(box)) == 4 else 0.0),
    ).sort_values(["_rank", "_page", "_top", "_left", "finding_id"])
    groups = list(findings.groupby("document_id", sort=False, dropna=False))
    groups.sort(key=lambda item: (item[1]["_rank"].min(), str(documents.get(item[0], {}).get("file_name", ""))))
    return [(str(document_id), group) for document_id, group in groups]


def _as_list(value: Any) -> list[Any]:
    """A list column's value as a list; None, NaN and pandas' NA as an empty one."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return list(value)
    return []


# --- HTML pieces ------------------------------------------------------------------------------


def _summary(findings: pd.DataFrame) -> str:
    counts = findings["status"].value_counts().to_dict()
    pills = []
    for status in STATUS_ORDER:
        number = int(counts.get(status, 0))
        pills.append(
            f'<label class="pill s-{status}{" none" if not number else ""}" title="{html.escape(STATUS_TITLES[status])}">'
            f'<input type="checkbox" name="status" value="{status}" data-severity="{SEVERITY[status]}" checked>'
            f'<span class="name">{status}</span><span class="count">{number}</span></label>'
        )
    return "\n".join(pills)


def _deck_section(
    con: duckdb.DuckDBPyConnection,
    document: dict[str, Any],
    document_id: str,
    findings: pd.DataFrame,
    metrics: dict[str, dict[str, Any]],
    lookup: PdfLookup,
    pictures: PdfPictures,
) -> str:
    file_name = document.get("file_name") or document_id[:12]
    facts = [
        str(value) for value in (
            document.get("county"), _date(document.get("report_date")),
            str(document.get("file_type") or "").upper(), document.get("title"),
        ) if value
    ]
    pdf_path = lookup(document_id) if document else None
    articles = [
        _finding_article(con, row, document_id, document, metrics, pdf_path, pictures)
        for row in findings.to_dict("records")
    ]
    return (
        f'<section class="deck" data-document="{html.escape(document_id)}">'
        f'<h2>{html.escape(str(file_name))} <span class="deck-count"></span></h2>'
        f'<p class="facts">{" · ".join(html.escape(f) for f in facts)}</p>'
        + "\n".join(articles) + "</section>"
    )


def _finding_article(
    con: duckdb.DuckDBPyConnection,
    finding: dict[str, Any],
    document_id: str,
    document: dict[str, Any],
    metrics: dict[str, dict[str, Any]],
    pdf_path: Path | None,
    pictures: PdfPictures,
) -> str:
    status = str(finding["status"])
    page = None if pd.isna(finding.get("page")) else int(finding["page"])
    own = [
        metrics[m] for m in _as_list(finding.get("metric_ids"))
        if m in metrics and metrics[m]["document_id"] == document_id and metrics[m]["page"] == page
    ]
    figure = ""
    if page is not None and pdf_path is not None:
        boxes = [list(m["bbox"]) for m in own if _as_list(m.get("bbox"))] or (
            [list(finding["bbox"])] if _as_list(finding.get("bbox")) else []
        )
        uri = pictures.picture(pdf_path, page, boxes)
        if uri:
            figure = f'<img class="region" loading="lazy" alt="page {page} of {html.escape(pdf_path.name)}" src="{uri}">'
    if not figure and page is not None:
        figure = _slide_text(con, document_id, page, own)
    snippet = str(finding.get("snippet") or "")
    values = [str(m.get("value_text")) for m in own if m.get("value_text")]
    details = " · ".join(
        part for part in (
            f"page {page}" if page is not None else "",
            str(finding["check"]).replace("_", " "),
            f"<code>{html.escape(str(finding['expression']))}</code>" if finding.get("expression") else "",
        ) if part
    )
    return (
        f'<article class="finding" data-status="{status}" data-severity="{SEVERITY.get(status, "info")}">'
        f'<div class="head"><span class="badge s-{status}">{status.replace("_", " ")}</span>'
        f'<span class="where">{details}</span></div>'
        f'<p class="message">{html.escape(str(finding.get("message") or ""))}</p>'
        + (f'<blockquote class="snippet">{_highlight(snippet, values)}</blockquote>' if snippet else "")
        + figure + "</article>"
    )


def _slide_text(con: duckdb.DuckDBPyConnection, document_id: str, page: int, own: Sequence[dict[str, Any]]) -> str:
    row = con.execute("SELECT title, text FROM pages WHERE document_id = ? AND page = ?", [document_id, page]).fetchone()
    if not row or not (row[1] or row[0]):
        return ""
    values = [str(m.get("value_text")) for m in own if m.get("value_text")]
    title = f'<div class="slide-title">{html.escape(str(row[0]))}</div>' if row[0] else ""
    return f'<div class="slide">{title}<pre>{_highlight(str(row[1] or ""), values)}</pre></div>'


def _highlight(text: str, values: Sequence[str]) -> str:
    """Escape `text` and wrap each figure's digits in <mark>, never inside a longer number."""
    wanted = sorted({v for v in values if v.strip()}, key=len, reverse=True)
    if not wanted:
        return html.escape(text)
    pattern = re.compile(
        "|".join(rf"(?<![\d.,]){re.escape(v)}(?![\d])(?!\.\d)" for v in wanted)
    )
    pieces, last = [], 0
    for match in pattern.finditer(text):
        pieces.append(html.escape(text[last:match.start()]))
        pieces.append(f"<mark>{html.escape(match.group(0))}</mark>")
        last = match.end()
    pieces.append(html.escape(text[last:]))
    return "".join(pieces)


def _date(value: Any) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)[:10]


CSS = """
:root { --ink:#1f2933; --muted:#616e7c; --line:#e4e7eb; --paper:#fff; --bg:#f5f7fa;
  --red:#c0392b; --orange:#d35400; --green:#1e8449; --teal:#117a8b; --grey:#7b8794; --olive:#5b8a1f; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--ink); line-height:1.55;
  font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans CJK TC", "Noto Sans TC", "PingFang TC",
    "Microsoft JhengHei", "Heiti TC", sans-serif; }
header { background:#243b53; color:#fff; padding:18px 28px; }
header h1 { margin:0 0 4px; font-size:22px; font-weight:600; }
header p { margin:0; color:#d9e2ec; font-size:14px; }
#filters { position:sticky; top:0; z-index:2; background:var(--paper); border-bottom:1px solid var(--line);
  padding:12px 28px; display:flex; flex-wrap:wrap; gap:8px; align-items:center; }
.pill { display:inline-flex; align-items:center; gap:6px; border-radius:999px; padding:4px 12px 4px 8px;
  color:#fff; font-size:13px; cursor:pointer; user-select:none; }
.pill input { margin:0; }
.pill .count { background:rgba(255,255,255,.25); border-radius:999px; padding:0 7px; font-weight:600; }
.pill.off { background:#d9dde3 !important; color:#52606d; }
.pill.none { opacity:.45; }
#filters button { border:1px solid var(--line); background:#fff; border-radius:6px; padding:4px 10px;
  font:inherit; font-size:13px; cursor:pointer; }
#shown { margin-left:auto; color:var(--muted); font-size:13px; }
main { max-width:1100px; margin:0 auto; padding:20px 28px 60px; }
.deck { margin:0 0 28px; }
.deck h2 { font-size:19px; margin:18px 0 2px; }
.deck .facts { margin:0 0 10px; color:var(--muted); font-size:13px; }
.deck-count { color:var(--muted); font-weight:400; font-size:14px; }
.finding { background:var(--paper); border:1px solid var(--line); border-left:5px solid var(--grey);
  border-radius:8px; padding:12px 16px; margin:10px 0; }
.finding[data-severity=error] { border-left-color:var(--red); }
.finding[data-severity=warning] { border-left-color:var(--orange); }
.finding[data-severity=info] { border-left-color:var(--green); }
.head { display:flex; gap:10px; align-items:center; flex-wrap:wrap; }
.badge { color:#fff; border-radius:4px; padding:1px 8px; font-size:12px; font-weight:600; letter-spacing:.02em; }
.where { color:var(--muted); font-size:13px; }
.where code { background:#f0f4f8; padding:1px 5px; border-radius:4px; color:var(--ink); }
.message { margin:8px 0 6px; font-size:15px; }
.snippet { margin:6px 0 10px; padding:6px 10px; background:#f8fafc; border-left:3px solid var(--line);
  color:#3e4c59; font-size:14px; white-space:pre-wrap; }
mark { background:#ffe066; padding:0 2px; border-radius:2px; }
img.region { display:block; max-width:100%; border:1px solid var(--line); border-radius:4px; }
.slide { border:1px solid var(--line); border-radius:4px; padding:8px 12px; background:#fbfbfd; }
.slide-title { font-weight:600; margin-bottom:4px; }
.slide pre { margin:0; white-space:pre-wrap; font:inherit; font-size:13px; color:#3e4c59; max-height:16em; overflow:auto; }
.s-mismatch, .s-sum_mismatch { background:var(--red); }
.s-reversed, .s-possible_misread, .s-target_missed, .s-cross_document { background:var(--orange); }
.s-ok_truncated { background:var(--teal); }
.s-not_computable { background:var(--grey); }
.s-target_met { background:var(--olive); }
.s-ok { background:var(--green); }
[hidden] { display:none !important; }
.empty { color:var(--muted); }
"""

SCRIPT = """
(function () {
  const boxes = Array.from(document.querySelectorAll('#filters input[name=status]'));
  function fromHash() {
    const match = /(?:^|[#&])status=([^&]*)/.exec(location.hash);
    if (!match) return;
    const wanted = decodeURIComponent(match[1]).split(',').filter(Boolean);
    boxes.forEach(box => { box.checked = wanted.includes(box.value); });
  }
  function apply(updateHash) {
    const on = new Set(boxes.filter(box => box.checked).map(box => box.value));
    boxes.forEach(box => box.closest('.pill').classList.toggle('off', !box.checked));
    let shown = 0, total = 0;
    document.querySelectorAll('section.deck').forEach(deck => {
      let inDeck = 0;
      deck.querySelectorAll('article.finding').forEach(article => {
        const visible = on.has(article.dataset.status);
        article.hidden = !visible;
        total += 1; if (visible) { shown += 1; inDeck += 1; }
      });
      deck.hidden = inDeck === 0;
      deck.querySelector('.deck-count').textContent = '(' + inDeck + ')';
    });
    document.getElementById('shown').textContent = 'showing ' + shown + ' of ' + total + ' findings';
    document.body.dataset.shown = String(shown);
    if (updateHash) {
      const all = on.size === boxes.length;
      history.replaceState(null, '', all ? location.pathname : '#status=' + Array.from(on).join(','));
    }
  }
  boxes.forEach(box => box.addEventListener('change', () => apply(true)));
  document.getElementById('problems').addEventListener('click', () => {
    boxes.forEach(box => { box.checked = box.dataset.severity !== 'info'; });
    apply(true);
  });
  document.getElementById('everything').addEventListener('click', () => {
    boxes.forEach(box => { box.checked = true; });
    apply(true);
  });
  window.addEventListener('hashchange', () => { fromHash(); apply(false); });
  fromHash();
  apply(false);
})();
"""

PAGE_TEMPLATE = """<!DOCTYPE html>
<html lang="zh-Hant">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>deckmine audit report</title>
<style>{css}</style>
</head>
<body>
<header>
<h1>deckmine audit report</h1>
<p>{finding_count} findings in {deck_count} decks · generated {generated}</p>
</header>
<nav id="filters">
{summary}
<button type="button" id="problems">problems only</button>
<button type="button" id="everything">all</button>
<span id="shown"></span>
</nav>
<main>
{decks}
</main>
<script>{script}</script>
</body>
</html>
"""

