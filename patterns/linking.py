"""Link mined figures to what they belong to: the deck's county, the strategy heading in force, and
the year of the nearest date expression.

- County: one per deck, from the first pages (cover, `報告單位`, `XX縣政府`): every county mention
  is weighted by page (the cover counts most) and by context (`縣政府`/`市政府`/`報告單位`), the
  heaviest canonical county wins; township-level cities (`臺東市`) never count. The file name
  (`taitung-112.pptx`) is the last resort.
- Report date: `報告日期：…` or the first full date on the first pages; else the first explicit
  year on the cover gives the report year.
- Strategy: a state machine over pages and blocks in reading order. A heading (`策略一`, `策略1`,
  `策略一二`, or a strategy title without its number) in a title or a heading-like text line sets
  the state; it is carried across slides until the next heading. A page naming three or more
  strategies is an outline (no strategy, and the state is cleared); a section page whose title
  is a reset cue (`亮點`, `報告大綱`, `感謝`…, `cues.tsv` role `section_reset`) clears it too.
  Where no heading is in force, a table row naming part of a strategy title gives its figures
  that strategy (`row_strategy`, from `patterns.tables`). The state machine is
  `patterns/strategy_state.py` (`page_strategies`, `heading_strategies`, re-exported here).
- Year: a miner sets the period it found near the figure; otherwise the slide title's period,
  else the deck's report year.
"""

from __future__ import annotations

import re
from pathlib import Path

from deckmine.extractors.model import Document, Page, TextBlock
from deckmine.patterns.data_tables import read_table, table_cache
from deckmine.patterns.dates import Period, find_periods, parse_report_date
from deckmine.patterns.gazetteer import cue_words, find_county_mentions
from deckmine.patterns.metric import DeckInfo, Metric
from deckmine.patterns.strategy_state import (
    HEADING_LINE_MAX_CHARS,
    heading_strategies,
    page_strategies,
    topic_words,
)

COVER_PAGES = 3
PAGE_WEIGHTS = (4.0, 2.0, 1.0)
MULTI_COUNTY_MENTIONS = 3  # a cover naming this many counties and no county government is no county's
ROC_OFFSET = 1911


# --- deck ------------------------------------------------------------------------------------


def deck_info(document: Document) -> DeckInfo:
    cover_text = "\n".join(_page_text(page) for page in document.pages[:COVER_PAGES])
    report_date = parse_report_date(cover_text)
    report_roc_year = report_date.year - ROC_OFFSET if report_date else None
    if report_roc_year is None:
        first_years = [p for p in find_periods(cover_text) if p.granularity in ("year", "day", "month")]
        report_roc_year = first_years[0].roc_year if first_years else None
    return DeckInfo(
        county=deck_county(document),
        report_date=report_date,
        report_roc_year=report_roc_year,
        title=_deck_title(document),
    )


def deck_county(document: Document) -> str | None:
    """The deck's own county, or None for a deck that is not one county's (a ministry deck, or
    one whose cover pages name many counties and no county government)."""
    weights, governed = _cover_weights(document)
    if governed:
        return max(governed, key=lambda county: weights[county])
    if _central_reporter(document) or len(weights) >= MULTI_COUNTY_MENTIONS:
        return None
    if weights:
        return max(weights.items(), key=lambda item: item[1])[0]
    return _county_outside_cover(document)


def _cover_weights(document: Document) -> tuple[dict[str, float], set[str]]:
    """County -> weight of its mentions on the cover pages (by page, doubled next to a government
    or reporter word), and the counties named as the reporting government."""
    weights: dict[str, float] = {}
    governed: set[str] = set()
    for page_index, page in enumerate(document.pages[:COVER_PAGES]):
        text = _page_text(page)
        for mention in find_county_mentions(text):
            if mention.is_township_city or mention.confidence < 0.5:
                continue
            after = text[mention.end : mention.end + 4]
            before = text[max(0, mention.start - 6) : mention.start]
            government = any(word in after for word in cue_words("government")) or \
                any(word in before for word in _reporter_words())
            if government:
                governed.add(mention.canonical)
            weight = PAGE_WEIGHTS[page_index] * (2.0 if government else 1.0) * mention.confidence
            weights[mention.canonical] = weights.get(mention.canonical, 0.0) + weight
    return weights, governed


def _county_outside_cover(document: Document) -> str | None:
    """A deck whose cover does not name it: page titles, then the file name."""
    for page in document.pages:
        for mention in find_county_mentions(page.title or ""):
            if not mention.is_township_city and mention.confidence >= 0.5:
                return mention.canonical
    stem = re.sub(r"[-_.\d]+", " ", Path(document.path).stem)
    for mention in find_county_mentions(stem.upper()):
        if not mention.is_township_city:
            return mention.canonical
    return None


@table_cache
def _reporter_words() -> tuple[str, ...]:
    return tuple(row["word"] for row in read_table("cues.tsv") if row.get("role") == "reporter")


@table_cache
def _central_agencies() -> tuple[str, ...]:
    return tuple(row["word"] for row in read_table("cues.tsv") if row.get("role") == "central_agency")


def _central_reporter(document: Document) -> bool:
    """The cover names a central agency as the reporter (`報告單位：衛生福利部…`)."""
    cover = _page_text(document.pages[0]) if document.pages else ""
    for word in _reporter_words():
        at = cover.find(word)
        if at >= 0 and any(agency in cover[at : at + len(word) + 12] for agency in _central_agencies()):
            return True
    return False


def _deck_title(document: Document) -> str | None:
    if document.pages:
        cover = document.pages[0]
        if cover.title:
            return " ".join(cover.title.split())
        texts = [b for b in cover.blocks if isinstance(b, TextBlock) and b.text.strip()]
        if texts:
            biggest = max(texts, key=lambda block: block.font_size or 0.0)
            return " ".join(biggest.text.split())
    title = document.metadata.get("title") if document.metadata else None
    return str(title) if title else None


def _page_text(page: Page) -> str:
    parts = [page.title or ""]
    parts += [block.text for block in page.blocks if isinstance(block, TextBlock)]
    return "\n".join(parts)


# --- linking figures -------------------------------------------------------------------------


def link_metrics(document: Document, deck: DeckInfo, metrics: list[Metric]) -> None:
    """Fill county, strategy and year of every metric in place (see module docstring)."""
    strategies = page_strategies(document)
    title_periods = {page.number: _title_period(page) for page in document.pages}
    report_year = deck.report_roc_year + ROC_OFFSET if deck.report_roc_year else None
    for metric in metrics:
        if metric.county is None and _national_figure(metric):
            metric.attributes["scope"] = "national"
        if metric.county is None and metric.attributes.get("scope") != "national":
            metric.county = deck.county or _county_named_before(metric)
        row_strategy = metric.attributes.pop("row_strategy", None)
        if metric.strategy is None and "strategies" not in metric.attributes:
            key = (metric.page, metric.block_index if metric.block_index is not None else -1)
            numbers = strategies.get(key, strategies.get((metric.page, -1), ()))
            if not numbers and row_strategy is not None:
                numbers = (int(row_strategy),)  # a summary table's row names its strategy
            if numbers:
                metric.strategy = numbers[0]
                if len(numbers) > 1:
                    metric.attributes["strategies"] = list(numbers)
                    metric.strategy = _strategy_by_topic(document, metric, numbers) or numbers[0]
        metric.attributes.pop("lead", None)
        if metric.year is None:
            period = title_periods.get(metric.page)
            if period is not None:
                apply_period(metric, period, "title")
            elif report_year is not None:
                metric.year = report_year
                metric.roc_year = report_year - ROC_OFFSET
                metric.attributes["year_from"] = "report"


NATIONAL_LEAD_CHARS = 6  # the nation named this close before a figure owns it


@table_cache
def _national_words() -> tuple[str, ...]:
    return tuple(row["word"] for row in read_table("table_words.tsv") if row.get("role") == "national")


def _national_figure(metric: Metric) -> bool:
    """`本縣…，高於全國520.4件`: a figure right after the nation's name (`table_words.tsv` role
    national) in its sentence, with no county named after it, is the nation's."""
    if metric.source not in ("text", "notes"):
        return False
    lead = str(metric.attributes.get("lead") or "")
    position = max((lead.rfind(word) + len(word) for word in _national_words() if word in lead), default=-1)
    if position < 0 or len(lead) - position > NATIONAL_LEAD_CHARS:
        return False
    return not any(m.end > position for m in find_county_mentions(lead) if not m.is_township_city)


def _county_named_before(metric: Metric) -> str | None:
    """In a deck of no one county, a figure whose sentence names a county before it
    (`連江縣72.9%`) belongs to that county."""
    if metric.source not in ("text", "notes"):
        return None
    lead = str(metric.attributes.get("lead") or "")
    mentions = [m for m in find_county_mentions(lead) if not m.is_township_city and m.confidence >= 0.5]
    return mentions[-1].canonical if mentions else None


def _strategy_by_topic(document: Document, metric: Metric, numbers: tuple[int, ...]) -> int | None:
    """Under a heading naming two strategies (`策略一二`), the topic words nearest the figure
    (its sentence, its label, its chart category, the label box before its box) choose one."""
    texts = [str(metric.attributes.get("lead") or ""), metric.label or "",
             str(metric.attributes.get("category") or "")]
    page = document.pages[metric.page - 1] if 0 < metric.page <= len(document.pages) else None
    if page is not None and metric.block_index is not None and metric.source == "text":
        for block in reversed(page.blocks[: metric.block_index]):
            label = block.text.strip() if isinstance(block, TextBlock) else ""
            if label and len(label) <= HEADING_LINE_MAX_CHARS and re.search(r"[\u4e00-\u9fff]", label):
                texts.append(label)
                break
    for text in texts:
        best: tuple[int, int] | None = None
        for word, number in topic_words():
            position = text.rfind(word)
            if position >= 0 and number in numbers and (best is None or position > best[0]):
                best = (position, number)
        if best is not None:
            return best[1]
    return None


def apply_period(metric: Metric, period: Period, origin: str) -> None:
    metric.year = period.year
    metric.roc_year = period.roc_year
    metric.period_start = period.start
    metric.period_end = period.end
    metric.period_text = period.text
    metric.attributes["year_from"] = origin


def _title_period(page: Page) -> Period | None:
    return next(reversed(find_periods(page.title or "")), None)


__all__ = ["apply_period", "deck_county", "deck_info", "heading_strategies", "link_metrics",
           "page_strategies"]
