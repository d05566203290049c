"""The strategy in force on each slide and box: a state machine over pages and blocks in reading
order (see `patterns/linking.py`). A heading (`策略一`, `策略1`, `策略一二`, or a strategy title
without its number) in a title or a heading-like text line sets the state; it is carried across
slides until the next heading. A page naming three or more strategies is an outline (no strategy,
and the state is cleared); a section page whose title is a reset cue (`cues.tsv` role
`section_reset`) clears it too; `…（續）` (role `continued`) goes on under the slide it continues.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from deckmine.extractors.model import Document, Page, TextBlock
from deckmine.patterns.data_tables import column, read_table, table_cache
from deckmine.patterns.gazetteer import find_strategy_refs
from deckmine.patterns.gazetteer import strategies as strategy_list
from deckmine.patterns.normalize import fold_tai

HEADING_LINE_MAX_CHARS = 40
TITLE_REF_MIN_SCORE = 0.6
OUTLINE_MIN_STRATEGIES = 3


@table_cache
def section_reset_words() -> tuple[str, ...]:
    return tuple(row["word"] for row in read_table("cues.tsv") if row.get("role") == "section_reset")


@table_cache
def topic_words() -> tuple[tuple[str, int], ...]:
    rows = [(row["word"], int(row["number"])) for row in read_table("strategy_topics.tsv")]
    return tuple(sorted(rows, key=lambda item: len(item[0]), reverse=True))


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
        block_refs = _block_headings(page)
        title_refs = heading_strategies(title)
        named = {n for _, refs in block_refs for n in refs} | set(title_refs or ())
        if len(named) >= OUTLINE_MIN_STRATEGIES:
            state.numbers = ()
            boxes = _boxes_under_headings(page, block_refs)  # one box of figures per strategy
            for index in range(-1, len(page.blocks)):
                in_force[(page.number, index)] = boxes.get(index, ())
            continue
        block_refs = _page_state(state, title, title_refs, block_refs, sections, page_titles)
        in_force[(page.number, -1)] = state.numbers
        page_titles.append((_without_continuation(title), state.numbers))
        if title_refs and len(title_refs) > 1:
            block_refs = _topic_headings(page, title_refs, block_refs)
        _blocks_in_force(page, block_refs, state, in_force)
    return in_force


def _block_headings(page: Page) -> list[tuple[int, tuple[int, ...]]]:
    """(block index, strategies) of the page's heading-like text blocks."""
    found: list[tuple[int, tuple[int, ...]]] = []
    for index, block in enumerate(page.blocks):
        if isinstance(block, TextBlock):
            refs = heading_strategies(block.text)
            if refs:
                found.append((index, refs))
    return found


def _page_state(state: StrategyState, title: str, title_refs: tuple[int, ...] | None,
                block_refs: list[tuple[int, tuple[int, ...]]], sections: list[str],
                page_titles: list[tuple[str, tuple[int, ...]]]) -> list[tuple[int, tuple[int, ...]]]:
    """Set the state for a slide that is no outline; the block headings still to apply."""
    continued = _continued_page(title, page_titles)
    if title_refs:
        state.numbers = title_refs
    elif continued is not None and not block_refs:
        state.numbers = continued  # a continued slide goes on under the strategy of the slide it continues
    elif any(word in title for word in section_reset_words()) and not block_refs:
        state.numbers = ()
    elif _is_section_title(title, sections):
        state.numbers = ()  # a non-strategy section of the outline
    elif block_refs and len({refs for _, refs in block_refs}) == 1:
        state.numbers = block_refs[0][1]  # one heading on the page governs all of it
        return []
    return block_refs


def _blocks_in_force(page: Page, block_refs: list[tuple[int, tuple[int, ...]]], state: StrategyState,
                     in_force: dict[tuple[int, int], tuple[int, ...]]) -> None:
    """Each block's strategies: the latest heading before it, or with boxes side by side the
    heading above a box, else the page's own."""
    boxed = len({refs for _, refs in block_refs}) > 1
    page_numbers = state.numbers
    headings = dict(block_refs)
    for index, block in enumerate(page.blocks):
        if index in headings:
            state.numbers = headings[index]
        if boxed:
            above = _heading_above(page, block, block_refs)
            in_force[(page.number, index)] = above if above is not None else page_numbers
        else:
            in_force[(page.number, index)] = state.numbers


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
        hits = {number for word, number in topic_words() if word in text and number in numbers}
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


@table_cache
def _outline_numbering() -> re.Pattern[str]:
    """`壹、`, `三.`, `2.`, `(1)` before an outline item: the numerals of `numerals.tsv` other than digits."""
    letters = re.escape("".join(n for n in column("numerals.tsv", "numeral") if not n.isdigit()))
    return re.compile(rf"^[\s\-•●◆❖|*]*(?:[{letters}]+[、.．]|\d+[.、．]?|[(（]\d+[)）])?[\s|]*")


@table_cache
def _strategy_words() -> tuple[str, ...]:
    """`策略`: an outline item holding it is a strategy (`table_words.tsv` role strategy_header)."""
    return column("table_words.tsv", "word", role="strategy_header")
SECTION_MIN_CHARS = 4


def outline_sections(page: Page) -> list[str]:
    """The items of an outline page that name no strategy (`人力進用概況`, `亮點分享`)."""
    items: list[str] = []
    for block in page.blocks:
        if not isinstance(block, TextBlock) or block.is_title:
            continue
        for line in block.text.splitlines():
            item = re.sub(r"\s+", "", _outline_numbering().sub("", line))
            if len(item) >= SECTION_MIN_CHARS and not find_strategy_refs(item) \
                    and not any(word in item for word in _strategy_words()):
                items.append(item)
    return items


def _is_section_title(title: str, sections: list[str]) -> bool:
    compact = re.sub(r"\s+", "", title)
    if len(compact) < SECTION_MIN_CHARS or find_strategy_refs(compact):
        return False
    return any(item in compact or compact in item for item in sections)


__all__ = ["HEADING_LINE_MAX_CHARS", "heading_strategies", "outline_sections", "page_strategies",
           "section_reset_words", "topic_words"]
