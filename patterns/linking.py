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
  that strategy (`row_strategy`, from `patterns.tables`).
- Year: a miner sets the period it found near the figure; otherwise the slide title's period,
  else the deck's report year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from deckmine.extractors.model import Document, Page, TextBlock
from deckmine.patterns.data_tables import read_table, table_cache
from deckmine.patterns.dates import Period, find_periods, parse_report_date
from deckmine.patterns.gazetteer import cue_words, find_county_mentions, find_strategy_refs
from deckmine.patterns.gazetteer import strategies as strategy_list
from deckmine.patterns.metric import DeckInfo, Metric
from deckmine.patterns.normalize import fold_tai

COVER_PAGES = 3
PAGE_WEIGHTS = (4.0, 2.0, 1.0)
HEADING_LINE_MAX_CHARS = 40
TITLE_REF_MIN_SCORE = 0.6
OUTLINE_MIN_STRATEGIES = 3
MULTI_COUNTY_MENTIONS = 3  # a cover naming this many counties and no county government is no county's
ROC_OFFSET = 1911


@table_cache
def section_reset_words() -> tuple[str, ...]:
    return tuple(row["word"] for row in read_table("cues.tsv") if row.get("role") == "section_reset")


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
    if governed:
        return max(governed, key=lambda county: weights[county])
    if _central_reporter(document) or len(weights) >= MULTI_COUNTY_MENTIONS:
        return None
    if weights:
        return max(weights.items(), key=lambda item: item[1])[0]
    for page in document.pages:  # a deck whose cover does not name it: page titles, then file name
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


# --- strategy --------------------------------------------------------------------------------


@dataclass
class StrategyState:
    numbers: tuple[int, ...] = ()


@table_cache(maxsize=4096)
def heading_strategies(text: str) -> tuple[int, ...] | None:
    """The strategies a heading-like text names, or None when it names none. A numbered ref
    counts anywhere on a short line; a title ref only when it is most of a short line."""
    found: list[int] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        for ref in find_strategy_refs(stripped):
            at_start = ref.start <= 8
            short = len(stripped) <= HEADING_LINE_MAX_CHARS
            numbered = ref.how == "number" and (at_start or short)
            if numbered or (ref.how == "title" and short and ref.score >= TITLE_REF_MIN_SCORE):
                found.extend(ref.numbers)
        if not found and len(stripped) <= HEADING_LINE_MAX_CHARS:
            number = _title_by_likeness(stripped)
            if number:
                found.append(number)
    return tuple(dict.fromkeys(found)) or None


TITLE_LIKENESS_MIN = 0.5
_NOT_HAN = re.compile(r"[^\u4e00-\u9fff]")
TITLE_LIKENESS_MARGIN = 0.2


@lru_cache(maxsize=8192)
def _bigrams(text: str) -> frozenset[str]:
    han = _NOT_HAN.sub("", fold_tai(text))
    return frozenset(han[i : i + 2] for i in range(len(han) - 1))


def _title_by_likeness(line: str) -> int | None:
    """A strategy title with words dropped or changed (`強化網絡資源布建 拓展公私協力`): the
    strategy whose title shares most character pairs with the line (Dice >= 0.5, clear winner)."""
    grams = _bigrams(line)
    if len(grams) < 4:
        return None
    scores = sorted(
        ((2 * len(grams & _bigrams(item.title)) / (len(grams) + len(_bigrams(item.title))), item.number)
         for item in strategy_list() if item.title),
        reverse=True,
    )
    if not scores or scores[0][0] < TITLE_LIKENESS_MIN:
        return None
    if len(scores) > 1 and scores[0][0] - scores[1][0] < TITLE_LIKENESS_MARGIN:
        return None
    return scores[0][1]


def page_strategies(document: Document) -> dict[tuple[int, int], tuple[int, ...]]:
    """(page, block_index) -> strategies in force there (empty tuple: none). Block index -1 is
    the page itself (used for figures without a block)."""
    reset_words = section_reset_words()
    state = StrategyState()
    in_force: dict[tuple[int, int], tuple[int, ...]] = {}
    sections: list[str] = []
    page_titles: list[tuple[str, tuple[int, ...]]] = []
    for page in document.pages:
        title = page.title or ""
        if any(word in title for word in reset_words):
            sections += outline_sections(page)
        block_refs: list[tuple[int, tuple[int, ...]]] = []
        for index, block in enumerate(page.blocks):
            if isinstance(block, TextBlock):
                refs = heading_strategies(block.text)
                if refs:
                    block_refs.append((index, refs))
        title_refs = heading_strategies(title)
        named = {n for _, refs in block_refs for n in refs} | set(title_refs or ())
        if len(named) >= OUTLINE_MIN_STRATEGIES:
            state.numbers = ()
            boxes = _boxes_under_headings(page, block_refs)  # one box of figures per strategy
            for index in range(-1, len(page.blocks)):
                in_force[(page.number, index)] = boxes.get(index, ())
            continue
        continued = _continued_page(title, page_titles)
        if title_refs:
            state.numbers = title_refs
        elif continued is not None and not block_refs:
            state.numbers = continued  # `…（續）` goes on under the strategy of the slide it continues
        elif any(word in title for word in reset_words) and not block_refs:
            state.numbers = ()
        elif _is_section_title(title, sections):
            state.numbers = ()  # a non-strategy section of the outline (`壹、人力進用概況`)
        elif block_refs and len({refs for _, refs in block_refs}) == 1:
            state.numbers = block_refs[0][1]  # one heading on the page governs all of it
            block_refs = []
        in_force[(page.number, -1)] = state.numbers
        page_titles.append((_without_continuation(title), state.numbers))
        if title_refs and len(title_refs) > 1:
            block_refs = _topic_headings(page, title_refs, block_refs)
        boxed = len({refs for _, refs in block_refs}) > 1
        page_numbers = state.numbers
        for index, block in enumerate(page.blocks):
            for ref_index, refs in block_refs:
                if ref_index == index:
                    state.numbers = refs
            if boxed:  # boxes side by side: the heading above a box, else the page's own
                above = _heading_above(page, block, block_refs)
                in_force[(page.number, index)] = above if above is not None else page_numbers
            else:
                in_force[(page.number, index)] = state.numbers
    return in_force


@table_cache
def _continuation_pattern() -> re.Pattern[str]:
    words = "|".join(re.escape(row["word"]) for row in read_table("cues.tsv") if row.get("role") == "continued")
    return re.compile(rf"\s*[(（]?\s*(?:{words})\s*[)）]?\s*[:：]?\s*$|\s*[(（]\s*(?:{words})\s*[)）]\s*")


def _without_continuation(title: str) -> str:
    return re.sub(r"\s+", "", _continuation_pattern().sub("", title))


def _continued_page(title: str, earlier: list[tuple[str, tuple[int, ...]]]) -> tuple[int, ...] | None:
    """The strategies of the slide a `…（續）` title continues: the latest earlier slide whose title
    is the same without the mark (or starts the same way)."""
    if not title or not _continuation_pattern().search(title):
        return None
    base = _without_continuation(title)
    if len(base) < SECTION_MIN_CHARS:
        return None
    for earlier_title, numbers in reversed(earlier):
        if earlier_title and (earlier_title.startswith(base) or base.startswith(earlier_title)):
            return numbers
    return None


def _topic_headings(page: Page, numbers: tuple[int, ...],
                    block_refs: list[tuple[int, tuple[int, ...]]]) -> list[tuple[int, tuple[int, ...]]]:
    """Under a title naming several strategies, a short heading box naming one of them by a topic
    word (`保護服務｜兒少家外安置`) heads the boxes below it; a box whose first line is such a heading
    (a PDF may read heading and body as one block) is headed by it."""
    found = dict(block_refs)
    for index, block in enumerate(page.blocks):
        if index in found or not isinstance(block, TextBlock):
            continue
        text = block.text.strip().split("\n", 1)[0].strip()
        if not text or len(text) > HEADING_LINE_MAX_CHARS or re.search(r"\d", text):
            continue
        hits = {number for word, number in _topic_words() if word in text and number in numbers}
        if len(hits) == 1:
            found[index] = (hits.pop(),)
    return sorted(found.items())


def _boxes_under_headings(page: Page, headings: list[tuple[int, tuple[int, ...]]]) -> dict[int, tuple[int, ...]]:
    """On a slide naming three or more strategies, the boxes of figures that stand under a heading
    box of one strategy each (a plan slide of four boxes) take that strategy; an outline has none."""
    single = dict((index, refs) for index, refs in headings if len(refs) == 1)
    found: dict[int, tuple[int, ...]] = {}
    for index, block in enumerate(page.blocks):
        if not isinstance(block, TextBlock) or not re.search(r"\d", block.text):
            continue
        if index in single:  # a heading line with its figures below it in the same box
            if re.search(r"\d", "\n".join(block.text.splitlines()[1:])):
                found[index] = single[index]
            continue
        above = _heading_above(page, block, list(single.items()))
        if above is not None:
            found[index] = above
    return found


HEADING_OVERLAP = 0.5  # a heading heads a box when it overlaps this share of the narrower's width


def _heading_above(page: Page, block: object, headings: list[tuple[int, tuple[int, ...]]]) -> tuple[int, ...] | None:
    """Where a slide has one heading box per strategy side by side, a box takes the strategy of
    the nearest heading above it that shares its column (reading order alone would interleave)."""
    box = getattr(block, "bbox", None)
    if box is None:
        return None
    best: tuple[float, tuple[int, ...]] | None = None
    for index, refs in headings:
        heading = page.blocks[index]
        if heading is block:
            return refs
        above = heading.bbox
        if above is None or above.top > box.top + 1:
            continue
        overlap = min(above.x1, box.x1) - max(above.x0, box.x0)
        if overlap < HEADING_OVERLAP * min(above.width, box.width):
            continue
        gap = box.top - above.bottom
        if best is None or gap < best[0]:
            best = (gap, refs)
    return best[1] if best else None


_OUTLINE_NUMBERING = re.compile(r"^[\s\-•●◆❖|*]*(?:[壹貳參肆伍陸柒捌玖拾一二三四五六七八九十]+[、.．]|\d+[.、．]?|[(（]\d+[)）])?[\s|]*")
SECTION_MIN_CHARS = 4


def outline_sections(page: Page) -> list[str]:
    """The items of an outline page that name no strategy (`人力進用概況`, `亮點分享`)."""
    items: list[str] = []
    for block in page.blocks:
        if not isinstance(block, TextBlock) or block.is_title:
            continue
        for line in block.text.splitlines():
            item = re.sub(r"\s+", "", _OUTLINE_NUMBERING.sub("", line))
            if len(item) >= SECTION_MIN_CHARS and not find_strategy_refs(item) and "策略" not in item:
                items.append(item)
    return items


def _is_section_title(title: str, sections: list[str]) -> bool:
    compact = re.sub(r"\s+", "", title)
    if len(compact) < SECTION_MIN_CHARS or find_strategy_refs(compact):
        return False
    return any(item in compact or compact in item for item in sections)


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


NATIONAL_LEAD_CHARS = 6  # `高於全國611.9件`: the nation named this close before a figure owns it


@table_cache
def _national_words() -> tuple[str, ...]:
    return tuple(row["word"] for row in read_table("table_words.tsv") if row.get("role") == "national")


def _national_figure(metric: Metric) -> bool:
    """`本縣…，高於全國611.9件`: a figure right after the nation's name (`table_words.tsv` role
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


@table_cache
def _topic_words() -> tuple[tuple[str, int], ...]:
    rows = [(row["word"], int(row["number"])) for row in read_table("strategy_topics.tsv")]
    return tuple(sorted(rows, key=lambda item: len(item[0]), reverse=True))


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
        for word, number in _topic_words():
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
