"""Mine figures from running text (text boxes, notes, prose table cells) with the spaCy pipeline.

Each block's text is normalised and run through `patterns.nlp.get_nlp()` in one `nlp.pipe`. The
pipeline's `deckmine_metrics` component calls `text_candidates(doc)`, which for every quantity
(`patterns.numbers.find_quantities`) decides:
- its indicator head: the nearest INDICATOR match (`Doc._.gazetteer`) before it in its clause
  whose category fits (a rate head for a percentage, any other head for a count); else a generic `…率`/`…比率` word
  right before a percentage; else, when the figure opens its line, a head on the previous line
  (`訪視率` / `12.24%達標`) or, for a value standing alone, on the lines after it (`100%` /
  `人員` / `進用率`);
- its label: the fuller noun phrase ending with the head (`心衛社工進用率`), or the noun right
  before a count (`受理案件`);
- its kind and target_met (`patterns.kind`, from CUE matches), comparator, and the target paired
  with it (`進用率71%(目標85%)`, `4.78%低於10%`);
- numerator and denominator from a fraction right after it (`(74/68)`), a fraction before it in
  the sentence (`實際進用41名/中央核定58名，進用率71%`) or a staff pair in brackets after it
  (`(核定3督17員，實際進用3督14員)`);
- totals with parts in brackets (`155人(完成處遇82人、…)`) share a `group_id` (`group_role`
  total or part);
- its period: nearest date expression before it in the clause, then in the clause after it, then
  earlier on its line, then earlier in the block, then the context's (a table header's).
`mine_text_blocks` turns candidates into `Metric`s and carries a label-only block into the next
block (`ICF社工人力` / `聘用率100%` split across shapes). For a percentage without counts, two
counts of its block or slide that reproduce it are noted (`attributes.counts_nearby`), never taken
as its numerator and denominator.
"""

from __future__ import annotations

import itertools
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache, cached_property, lru_cache
from typing import Any

import regex
from deckmine.extractors.model import BBox, NotesBlock, TextBlock, TextLine
from deckmine.patterns.dates import Period, find_periods
from deckmine.patterns.gazetteer import cue_words, formula_of, qualifiers
from deckmine.patterns.kind import Cue, KindContext, classify, cue_roles
from deckmine.patterns.labels import clean_label, label_start
from deckmine.patterns.metric import Metric
from deckmine.patterns.nlp import doc_text, get_nlp, read_tsv
from deckmine.patterns.normalize import normalize_text
from deckmine.patterns.numbers import (
    QUANTITY_START,
    Fraction,
    Quantity,
    find_fractions,
    find_quantities,
)

CLAUSE_BREAKS = "，,；;。！!？?\n"
SENTENCE_BREAKS = "；;。！!？?\n"
PART_BREAKS = "、(（"
LABEL_MAX_CHARS = 20
LABEL_BLOCK_MAX_CHARS = 24
SNIPPET_RADIUS = 30
_RATE_SUFFIX = regex.compile(r"(\p{Han}{1,8}?(?:比率|比例|率))\s*(?:[:：]|達|為|約|至少|已達|達到)?\s*$")
_NOUN_BEFORE = regex.compile(r"([\p{Han}A-Za-z]{1,16}?)\s*(?:[:：]|共計|總計|合計|累計|計|共|達|為|約|有)?\s*$")
_DIGITS = regex.compile(r"\d[\d,.]*")
_DIGIT = regex.compile(r"\d")
_SPACES = regex.compile(r"\s+")
_BRACKETED_UNIT = regex.compile(r"[(（]\s*([^()（）]{1,4})\s*[)）]\s*$")
_RATE_WORD_AT_END = regex.compile(r"(?:率|比例)\s*$")
_CLAUSE_BREAK = regex.compile(f"[{regex.escape(CLAUSE_BREAKS)}]")
_COUNTED_NOUN = regex.compile(r"\p{Han}{1,6}\d")
_ONLY_CUES = regex.compile(r"^[\s\-•●◆❖▪■□◎○*>·:：]*(?:已達|達到|達|為|約|共計|計|共)?\s*$")
_OWNER_AT_END = regex.compile(r"[\p{Han}A-Za-z]{0,12}$")
_AT_MOST = regex.compile("以下|低於|不超過")
_CLOSING_BRACKET = regex.compile(r"[)）]")
_SLASH = regex.compile(r"[/／]")
_RANGE_DASH = regex.compile(r"\s*[-~至到]\s*")
_PERIOD_WORDS = regex.compile(r"[\s年度()（）]")


@dataclass
class TextJob:
    """One piece of text to mine: a text block, notes, or a prose table cell (`text` given)."""

    page: int
    block_index: int
    block: TextBlock | NotesBlock | None
    source: str
    text: str | None = None
    context_period: Period | None = None
    context_kind: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    plan_section: bool = False  # the slide is a plan (`未來規劃`, `預期效益`): see `is_plan_page`
    # A prose table cell: (table_id, row, col, row path, column path).
    table_cell: tuple[str, int, int, str | None, str | None] | None = None

    @cached_property
    def wrapped(self) -> bool:
        """The job is a text block some of whose lines run on into the next (`TextLine.continues`)."""
        return self.text is None and isinstance(self.block, TextBlock) and any(line.continues for line in self.block.lines)

    @cached_property
    def raw_text(self) -> str:
        if self.text is not None:
            return self.text
        if self.wrapped:
            return join_wrapped_lines(self.block)  # type: ignore[arg-type]
        return self.block.text if self.block is not None else ""

    @cached_property
    def line_ends(self) -> list[int]:
        """Where each line of a wrapped block ends in its normalised text (see `_line_at`)."""
        lines = self.block.lines  # type: ignore[union-attr]
        return list(itertools.accumulate(len(normalize_text(line.text)) + len(separator)
                                         for line, separator in zip(lines, _separators(lines), strict=True)))


def _separators(lines: list[TextLine]) -> list[str]:
    """What follows each line in the text the author wrote: nothing after a line that continues
    on the next (`TextLine.continues`) or after the last, a newline elsewhere."""
    return ["" if line.continues or index == len(lines) - 1 else "\n" for index, line in enumerate(lines)]


def join_wrapped_lines(block: TextBlock) -> str:
    """The block's text with each line that continues on the next joined to it."""
    return "".join(line.text + separator for line, separator in zip(block.lines, _separators(block.lines), strict=True))


def _line_at(job: TextJob, text: str, position: int) -> int:
    """Which line of the job's block holds `position` of its (normalised) text."""
    block = job.block
    if not job.wrapped:
        return text.count("\n", 0, position)
    return min(bisect_right(job.line_ends, position), len(block.lines) - 1)


@dataclass
class TextCandidate:
    """A quantity in a Doc and what it was attached to (set on `Span._.metric`)."""

    start: int
    end: int
    quantity: Quantity
    indicator: str | None = None
    label: str | None = None
    kind: str = "actual"
    comparator: str | None = None
    target_met: bool | None = None
    period: Period | None = None
    period_origin: str | None = None
    numerator: tuple[float, str] | None = None
    denominator: tuple[float, str] | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    needs_label: bool = False
    group: tuple[str, str] | None = None  # (group id, 'total' | 'part') of a total with its parts


@lru_cache(maxsize=8192)
def periods_in(text: str) -> tuple[Period, ...]:
    """`find_periods`, memoised: headers, labels and titles repeat within and across decks."""
    return tuple(find_periods(text))


# --- gazetteer-driven helpers ----------------------------------------------------------------


@cache
def _unit_words() -> dict[str, str]:
    return {row["word"]: row.get("normalized") or row["word"] for row in read_tsv("units.tsv")}


@cache
def _fraction_roles() -> dict[str, str]:
    return {row["word"]: row["role"] for row in read_tsv("fraction_roles.tsv")}


@lru_cache(maxsize=4096)
def unit_in_label(label: str | None) -> str | None:
    """A unit word a header or chart title announces: `人力進用（名）` -> 名, `晤談人次` -> 人次,
    `受理案件` -> 件, `…人數` -> 人, `…率` -> %."""
    if not label:
        return None
    text = normalize_text(label).strip()
    bracketed = _BRACKETED_UNIT.search(text)
    units = _unit_words()
    if bracketed and bracketed.group(1) in units:
        return units[bracketed.group(1)]
    if bracketed:
        text = text[: bracketed.start()].rstrip()  # `通報件數(占比)`: the count's unit is the name's
    if "%" in text or _RATE_WORD_AT_END.search(text):
        return "%"
    for suffix, unit in _header_unit_suffixes():
        if text.endswith(suffix):
            return unit
    return None


@cache
def _header_unit_suffixes() -> tuple[tuple[str, str], ...]:
    rows = [(row["suffix"], row["unit"]) for row in read_tsv("header_units.tsv")]
    return tuple(sorted(rows, key=lambda item: len(item[0]), reverse=True))


# --- candidates from one Doc -----------------------------------------------------------------


def text_candidates(doc: Any) -> list[TextCandidate]:
    """Every figure in a spaCy Doc with its head, label, kind, period and counts."""
    text = doc_text(doc)
    roles = cue_roles()
    heads = _indicator_heads(doc)
    cues = [Cue(match.start, match.end, match.text, roles[match.text]) for match in doc._.gazetteer
            if match.label == "CUE" and match.text in roles]
    fractions = find_fractions(text)
    quantities = [q for q in find_quantities(text) if _keep(q, text, heads, fractions)]
    periods = periods_in(text)
    candidates: list[TextCandidate] = []
    figure_starts = tuple(q.start for q in quantities)
    clause_ends = tuple(i for i, ch in enumerate(text) if ch in CLAUSE_BREAKS) + (len(text),)
    for index, quantity in enumerate(quantities):
        candidate = TextCandidate(quantity.start, quantity.end, quantity, comparator=quantity.comparator)
        next_start = quantities[index + 1].start if index + 1 < len(quantities) else len(text)
        previous_end = quantities[index - 1].end if index else 0
        _attach_head(candidate, text, heads, previous_end)
        _attach_period(candidate, text, periods, figure_starts)
        where = KindContext(
            start=quantity.start, end=quantity.end,
            clause_start=_kind_clause_start(text, quantity.start),
            sentence_start=_break_before(text, quantity.start, SENTENCE_BREAKS),
            line_end=_line_end(text, quantity.end), next_figure_start=next_start,
            figure_starts=figure_starts, clause_ends=clause_ends,
        )
        candidate.attributes["kind_where"] = where
        candidate.attributes["cues"] = cues
        if quantity.supervisors is not None:
            candidate.attributes["supervisors"] = quantity.supervisors
            candidate.attributes["workers"] = quantity.workers
        if quantity.range_low is not None:
            candidate.attributes["range_low"] = quantity.range_low
        candidates.append(candidate)
    _pair_targets(candidates, text)
    _attach_fractions(candidates, text, fractions)
    _counts_by_formula(candidates, text)
    _attach_changes(candidates, text, periods)
    _group_totals(candidates, text)
    _group_shares(candidates, text)
    return candidates


def _indicator_heads(doc: Any) -> list[tuple[int, int, str, str]]:
    """(start, end, head, category) of the Doc's INDICATOR matches, computed once per Doc."""
    heads = doc.user_data.get("deckmine_heads")
    if heads is None:
        heads = [(match.start, match.end, match.text, match.entity_id)
                 for match in doc._.gazetteer if match.label == "INDICATOR"]
        doc.user_data["deckmine_heads"] = heads
    return heads


def _keep(quantity: Quantity, text: str, heads: list[tuple[int, int, str, str]],
          fractions: list[Fraction]) -> bool:
    after = text[quantity.end : quantity.end + 2]
    windows = cue_words("time_window")
    if quantity.category == "time" and any(after.startswith(w) or quantity.text.endswith(w) for w in windows):
        return False  # 24小時內 is a time window, not a count
    if quantity.unit is not None:
        return not _qualifies_next_count(quantity, text)
    if any(f.start <= quantity.start and quantity.end <= f.end for f in fractions):
        return False
    # A bare number counts only right after a count head: `換證數\n5,156`, `委託團體數：2`.
    gap_before = text[: quantity.start].rstrip(" \n:：為達")
    return any(end == len(gap_before) and category != "rate" for _, end, _, category in heads)


def _qualifies_next_count(quantity: Quantity, text: str) -> bool:
    """`辦理3場次宣導之學校73所`: a count followed, in the same clause, by `之` and a noun that is
    counted next describes that noun; it is not a figure of its own."""
    rest = text[quantity.end : quantity.end + 12]
    clause = _CLAUSE_BREAK.split(rest, maxsplit=1)[0]
    for word in cue_words("modifier_after"):
        position = clause.find(word)
        if position >= 0 and _COUNTED_NOUN.match(clause, position + len(word)):
            return True
    return False


def _break_before(text: str, position: int, breaks: str) -> int:
    index = position
    while index > 0 and text[index - 1] not in breaks:
        index -= 1
    return index


def _clause_start(text: str, position: int) -> int:
    return _break_before(text, position, CLAUSE_BREAKS)


def _phrase_start(text: str, position: int) -> int:
    """Like `_clause_start`, but a comma between digits (`5,553`) is a thousands separator."""
    index = position
    while index > 0:
        char = text[index - 1]
        if char in CLAUSE_BREAKS and not (char == "," and text[index - 2 : index - 1].isdigit()
                                          and text[index : index + 1].isdigit()):
            break
        index -= 1
    return index


def _kind_clause_start(text: str, position: int) -> int:
    """The clause whose cues decide a figure's kind: its own, joined to the one before when it
    opens with a purpose word (`規劃增聘2名，期使涵蓋率至少維持92%`: cues.tsv role `purpose`)."""
    start = _clause_start(text, position)
    while start > 0 and text[start - 1] not in SENTENCE_BREAKS and text.startswith(cue_words("purpose"), start):
        start = _clause_start(text, start - 1)
    return start


def _line_start(text: str, position: int) -> int:
    return text.rfind("\n", 0, position) + 1


def _line_end(text: str, position: int) -> int:
    end = text.find("\n", position)
    return len(text) if end < 0 else end


def _attach_head(candidate: TextCandidate, text: str, heads: list[tuple[int, int, str, str]],
                 previous_end: int) -> None:
    quantity = candidate.quantity
    is_rate = quantity.unit == "%"
    clause_start = _clause_start(text, quantity.start)
    if quantity.name:  # `社工(核定/實際)：38/35人`: the pair's own names, after what they count
        before = text[clause_start : quantity.start]
        bracket = max(before.rfind("("), before.rfind("（"))
        owner = _OWNER_AT_END.search(before[:bracket]).group() if bracket >= 0 else ""
        candidate.indicator = quantity.name
        candidate.label = clean_label(owner + quantity.name)
        return
    fitting = [
        head for head in heads
        if clause_start <= head[0] and head[1] <= quantity.start and (head[3] == "rate") == is_rate
    ]
    if is_rate:  # a rate head is not shared with an earlier figure: `進用率71%(目標85%)`
        fitting = [head for head in fitting if head[0] >= previous_end]
    if fitting:
        start, end, word, _ = max(fitting, key=lambda head: head[1])
        candidate.indicator = word
        candidate.label = _label_before(text, start, end, clause_start)
        return
    before = text[clause_start : quantity.start]
    if is_rate:
        match = _RATE_SUFFIX.search(before)
        if match:
            phrase = match.group(1)
            candidate.indicator = phrase[-3:] if not phrase.endswith(("比率", "比例")) else phrase[-2:]
            candidate.label = clean_label(phrase) or None
            return
    line_before = text[_line_start(text, quantity.start) : quantity.start]
    if _ONLY_CUES.match(line_before):
        candidate.needs_label = True
        return
    if not is_rate:
        part_start = max(clause_start, *(text.rfind(ch, 0, quantity.start) + 1 for ch in PART_BREAKS),
                         *(p.char_end for p in periods_in(text) if p.char_end <= quantity.start))
        match = _NOUN_BEFORE.search(text[part_start : quantity.start])
        if match and match.group(1):
            start = part_start + match.start(1)
            if start > 0 and text[start - 1].isdigit():
                start = _after_unit(text, start) if label_start(text, start) == start else label_start(text, start)
            candidate.label = clean_label(text[start : part_start + match.end(1)]) or None


def _label_before(text: str, head_start: int, head_end: int, clause_start: int) -> str:
    start = max(clause_start, head_end - LABEL_MAX_CHARS)
    while start > clause_start and (text[start - 1].isdigit() or text[start - 1] in ",."):
        start -= 1  # never start inside a number: `112年` stays whole and is cut below
    chunk = text[start:head_end]
    # Cut at the last date expression, bracket or list separator before the head.
    for period in periods_in(chunk):
        if period.char_end <= head_start - start:
            chunk = chunk[period.char_end :]
            start = 0
    cut = max(chunk.rfind(ch) for ch in "、(（)）:：")
    if cut >= 0 and cut < len(chunk) - (head_end - head_start):
        chunk = chunk[cut + 1 :]
    return clean_label(_after_last_number(chunk))


def _after_last_number(chunk: str) -> str:
    """The part of a label after its last number and that number's unit (`辦理3場次宣導` ->
    `宣導`), unless the number is part of the name (`3歲以下兒少`, `24小時內派案率`)."""
    for number in reversed(list(_DIGITS.finditer(chunk))):
        if label_start(chunk, number.end()) == number.end():
            return chunk[_after_unit(chunk, number.end()) :]
    return chunk


def _after_unit(text: str, position: int) -> int:
    """Past the unit word at `position`, if one is there (`3場次宣導` -> `宣導`)."""
    unit = _unit_prefix().match(text, position)
    return unit.end() if unit else position


@cache
def _unit_prefix() -> regex.Pattern[str]:
    words = sorted(_unit_words(), key=len, reverse=True)
    return regex.compile("|".join(regex.escape(word) for word in words))


def _attach_period(candidate: TextCandidate, text: str, periods: list[Period],
                   figure_starts: tuple[int, ...] = ()) -> None:
    start, end = candidate.quantity.start, candidate.quantity.end
    clause_start = _clause_start(text, start)
    clause_end = len(text)
    for index in range(end, len(text)):
        if text[index] in CLAUSE_BREAKS:
            clause_end = index
            break
    line_start = _line_start(text, start)
    if line_start > 0 and _ONLY_CUES.match(text[line_start:start]):
        line_start = _line_start(text, line_start - 1)  # `布建涵蓋率：` / `87.5%`: one statement
    # `較110年78.7%`: a comparison baseline is the period only of the figure right after it.
    periods = [p for p in periods if not _is_baseline(text, p) or _dates_the_base(text, p, start)]
    before = [p for p in periods if p.char_end <= start]
    in_clause = [p for p in before if p.char_start >= clause_start]
    after_in_clause = [p for p in periods if p.char_start >= end and p.char_end <= clause_end]
    on_line = [p for p in before if p.char_start >= line_start]
    # An earlier line dates this one only when it is a heading: a line with figures of its own
    # is a statement, and its date stays with it (`去年同期…85.7%` / `平均負荷約28案`).
    in_block = [p for p in before if p.char_start < line_start
                and not any(p.char_end <= f < _line_end(text, p.char_end) for f in figure_starts)]
    for found, origin in ((in_clause, "clause"), (after_in_clause[:1], "clause"), (on_line, "line"),
                          (in_block, "block")):
        if found:
            candidate.period = found[-1] if origin != "clause" or found is in_clause else found[0]
            candidate.period_origin = origin
            return


@cache
def _base_figure_gap() -> regex.Pattern[str]:
    words = "|".join(regex.escape(word) for word in cue_words("same_period")) or "(?!)"
    return regex.compile(rf"\s*(?:{words})?\s*[(（]?\s*")


def _dates_the_base(text: str, period: Period, start: int) -> bool:
    """`較112年78.7%`, `較112年同期（2,296件）`: the baseline dates the figure right after it."""
    return start >= period.char_end and _base_figure_gap().fullmatch(text, period.char_end, start) is not None


def _is_baseline(text: str, period: Period) -> bool:
    return text.endswith(cue_words("baseline"), 0, period.char_start)


def _pair_targets(candidates: list[TextCandidate], text: str) -> None:
    """`進用率71%(目標85%)`, `4.78%低於10%`: the target figure's value goes on the actual's
    attributes so the audit can check target_met."""
    target_words = [word for word, role in cue_roles().items() if role == "target"]
    for actual, target in itertools.pairwise(candidates):
        if actual.quantity.unit != target.quantity.unit:
            continue
        between = text[actual.end : target.start]
        adjacent = len(between) <= 8 and not any(ch in between for ch in "，,；;。\n")
        if not adjacent and not _names_its_target(between, actual, target, target_words):
            continue
        named_target = any(word in between for word in target_words)
        if not named_target and target.comparator not in ("<", ">", "<=", ">="):
            continue
        target.kind = "target"
        if target.comparator is None:
            target.comparator = "<=" if _AT_MOST.search(between) else ">="
        actual.attributes["target_value"] = target.quantity.value
        actual.attributes["target_comparator"] = target.comparator
        if target.indicator is None:
            target.indicator, target.label = actual.indicator, actual.label


TARGET_CLAUSE_MAX_CHARS = 16


def _names_its_target(between: str, actual: TextCandidate, target: TextCandidate, target_words: list[str]) -> bool:
    """`進用率87.4%，未達113年目標值90%`: an unnamed figure that a target word introduces in the
    next clause of the same sentence is the target of the figure before it, unless the words
    between date it to another year than the figure (`已布建58處，114年底目標71處`)."""
    if target.indicator is not None or len(between) > TARGET_CLAUSE_MAX_CHARS:
        return False
    if any(ch in between for ch in SENTENCE_BREAKS):
        return False
    dated = periods_in(between)
    if dated and (actual.period is None or dated[-1].year != actual.period.year):
        return False
    tail = between.rstrip(" :：為")
    for period in reversed(dated):
        if period.char_end == len(tail):
            tail = tail[: period.char_start].rstrip(" (（")
    return any(tail.endswith(word) for word in target_words)


def _attach_fractions(candidates: list[TextCandidate], text: str, fractions: list[Fraction]) -> None:
    roles = _fraction_roles()
    for index, candidate in enumerate(candidates):
        if candidate.quantity.unit != "%":
            base = _rate_base_before(text, candidate.start)
            after = [f for f in fractions if 0 <= f.start - candidate.end <= 2 and f.in_brackets]
            if base is not None and after:  # 每萬人口通報67.4件（18,426件／2,735,418人）
                _set_fraction(candidate, after[0])
                candidate.attributes["rate_base"] = base
            continue
        after = [f for f in fractions if 0 <= f.start - candidate.end <= 2 and f.in_brackets]
        if after:
            _set_fraction(candidate, after[0])
            continue
        sentence_start = _break_before(text, candidate.start, SENTENCE_BREAKS)
        earlier_rates = [c.end for c in candidates[:index] if c.quantity.unit == "%"]
        floor = max([sentence_start, *earlier_rates])
        before = [f for f in fractions if f.start >= floor and f.end <= candidate.start and not f.in_brackets]
        if before:
            fraction = before[-1]
            names = [c.quantity.name for c in candidates if fraction.start <= c.start < fraction.end and c.quantity.name]
            _set_fraction(candidate, fraction, names if len(names) == 2 else None)
            continue
        # (核定3督17員，實際進用3督14員): two counts in brackets right after the rate.
        if text[candidate.end : candidate.end + 1] in "(（":
            close = _CLOSING_BRACKET.search(text[candidate.end :])
            inside = [c for c in candidates[index + 1 :]
                      if close and c.end <= candidate.end + close.start() and c.quantity.unit is not None]
            if len(inside) == 2:
                named = {_role_of(c, text, roles): c for c in inside}
                if "numerator" in named and "denominator" in named:
                    top, bottom = named["numerator"], named["denominator"]
                    candidate.numerator = (top.quantity.value, top.quantity.value_text)
                    candidate.denominator = (bottom.quantity.value, bottom.quantity.value_text)


@cache
def _change_words() -> dict[str, str]:
    return {row["word"]: row["role"] for row in read_tsv("cues.tsv") if row.get("role") in ("change_up", "change_down")}


@cache
def _rate_bases() -> tuple[tuple[str, float], ...]:
    rows = [(row["word"], float(row["base"])) for row in read_tsv("rate_bases.tsv")]
    return tuple(sorted(rows, key=lambda item: len(item[0]), reverse=True))


def _attach_changes(candidates: list[TextCandidate], text: str, periods: tuple[Period, ...]) -> None:
    """`113年…6,020件，較112年（5,553件）成長8.4%`: a percentage right after a change word
    (`成長`, `減少`: cues.tsv roles change_up/down) in a clause that names its baseline (`較112年`)
    is a change between two periods. Its period spans the baseline and the sentence's own period
    (its year is the later one), and when the sentence prints one count of each period in the same
    unit, they are its operands (`counts_from` growth or decline: later, earlier)."""
    words = _change_words()
    for index, change in enumerate(candidates):
        if change.quantity.unit != "%" or change.numerator is not None:
            continue
        clause_start = _phrase_start(text, change.start)
        before = text[clause_start : change.start].rstrip("約達了 ")
        word = next((w for w in sorted(words, key=len, reverse=True) if before.endswith(w)), None)
        baselines = [p for p in periods if clause_start <= p.char_start and p.char_end <= change.start and _is_baseline(text, p)]
        if word is None:
            continue
        if not baselines:
            _change_from_last_year(change, candidates[:index], text, clause_start, words[word])
            continue
        baseline = baselines[-1]
        sentence_start = _break_before(text, change.start, SENTENCE_BREAKS)
        own = [p for p in periods if sentence_start <= p.char_start < clause_start and not _is_baseline(text, p)
               and p.roc_year != baseline.roc_year]
        current = own[-1] if own else None
        if current is not None:
            change.period = replace(current, start=min(baseline.start, current.start),
                                    text=f"{baseline.text}–{current.text}", granularity="range")
            change.period_origin = "change"
        counts = [c for c in candidates[:index] if c.start >= sentence_start and c.quantity.unit not in (None, "%", "pp")]
        # the later count: dated by the sentence's own period, or undated (the slide's period)
        later = [c for c in counts if (c.period is current if current else c.period is None)]
        earlier = [c for c in counts if c.period is not None and c.period.roc_year == baseline.roc_year]
        if len(later) == 1 and len(earlier) == 1 and later[0].quantity.unit == earlier[0].quantity.unit:
            change.numerator = (later[0].quantity.value, later[0].quantity.value_text)
            change.denominator = (earlier[0].quantity.value, earlier[0].quantity.value_text)
            change.attributes["counts_from"] = "growth" if words[word] == "change_up" else "decline"


def _change_from_last_year(change: TextCandidate, earlier_candidates: list[TextCandidate], text: str,
                           clause_start: int, direction: str) -> None:
    """`再通報212件，較去年同期（231件）減少9.2%`: a baseline named without a year (`去年`, cues.tsv
    role previous_year) still gives the change its operands: the count after the baseline word in
    the clause, and the one count of the same unit before it in the sentence."""
    clause = text[clause_start : change.start]
    if not any(base + word in clause for base in cue_words("baseline") for word in cue_words("previous_year")):
        return
    sentence_start = _break_before(text, change.start, SENTENCE_BREAKS)
    base = [c for c in earlier_candidates if c.start >= clause_start and c.quantity.unit not in (None, "%", "pp")]
    later = [c for c in earlier_candidates if sentence_start <= c.start < clause_start
             and c.quantity.unit not in (None, "%", "pp")]
    if len(base) == 1 and len(later) == 1 and base[0].quantity.unit == later[0].quantity.unit:
        change.numerator = (later[0].quantity.value, later[0].quantity.value_text)
        change.denominator = (base[0].quantity.value, base[0].quantity.value_text)
        change.attributes["counts_from"] = "growth" if direction == "change_up" else "decline"


def _rate_base_before(text: str, position: int) -> float | None:
    """`每萬人口` right before a figure's name: the figure is a count per that many people."""
    window = text[max(0, position - 12) : position]
    return next((base for word, base in _rate_bases() if word in window), None)


def _counts_by_formula(candidates: list[TextCandidate], text: str) -> None:
    """`核定9督52員，實際進用8督47員，進用率91.2%`: a rate whose head has a formula
    (`rate_formulas.tsv`: 進用率 = 進用/核定) takes the one count named for each side earlier in
    its sentence, else on the line before when its own line holds no other figure. The counts are
    printed with the rate and named for what it divides, so this is reading, not searching."""
    for index, rate in enumerate(candidates):
        if rate.quantity.unit != "%" or rate.numerator is not None:
            continue
        formula = formula_of(rate.label) or formula_of(rate.indicator)
        if formula is None or _goal_before(text, rate.start):
            continue  # a target or forecast rate is no result of the counts before it
        sentence_start = _break_before(text, rate.start, SENTENCE_BREAKS)
        line_start = _line_start(text, rate.start)
        earlier_rates = [c.end for c in candidates[:index] if c.quantity.unit == "%"]
        scopes = [max([sentence_start, *earlier_rates])]
        if line_start > 0 and _ONLY_CUES.match(_NOT_FIGURE.sub("", text[line_start : rate.start])):
            scopes.append(max([_line_start(text, line_start - 1), *earlier_rates]))
        for floor in scopes:
            counts = [c for c in candidates[:index] if c.start >= floor and c.quantity.unit not in (None, "%", "pp")]
            tops = [c for c in counts if _named_as(c, text, formula.numerator)]
            bottoms = [c for c in counts if _named_as(c, text, formula.denominator) and c not in tops]
            if len(tops) == 1 and len(bottoms) == 1 and _same_kind_of_count(tops[0], bottoms[0]):
                rate.numerator = (tops[0].quantity.value, tops[0].quantity.value_text)
                rate.denominator = (bottoms[0].quantity.value, bottoms[0].quantity.value_text)
                break


_NOT_FIGURE = regex.compile(r"[\p{Han}A-Za-z]+")


def _goal_before(text: str, position: int) -> bool:
    clause = text[_phrase_start(text, position) : position]
    return any(word in clause for word, role in cue_roles().items() if role in ("target", "forecast"))


def _named_as(candidate: TextCandidate, text: str, words: tuple[str, ...]) -> bool:
    """The count's own name (the words right before it, in its clause part) holds one of `words`."""
    start = max(_phrase_start(text, candidate.start), *(text.rfind(ch, 0, candidate.start) + 1 for ch in PART_BREAKS))
    name = text[max(start, candidate.start - 10) : candidate.start]
    return any(word in name for word in words)


def _same_kind_of_count(first: TextCandidate, second: TextCandidate) -> bool:
    return (first.quantity.category == "staff") == (second.quantity.category == "staff")


def _name_role(name: str | None) -> str | None:
    """The fraction role (numerator/denominator) of a count's name, by the longest role word in it."""
    if not name:
        return None
    found = [(len(word), role) for word, role in _fraction_roles().items() if word in name]
    return max(found)[1] if found else None


def _role_of(candidate: TextCandidate, text: str, roles: dict[str, str]) -> str | None:
    before = text[max(0, candidate.start - 8) : candidate.start]
    found = [(before.rfind(word), role) for word, role in roles.items() if word in before]
    return max(found)[1] if found else None


def _set_fraction(candidate: TextCandidate, fraction: Fraction, names: list[str] | None = None) -> None:
    """Numerator and denominator in printed order, unless the sides are named and their names
    say the first is the base: `(核定/實際)：38/35人` is 35 of 38, labelled, not printed reversed."""
    first, second = fraction.numerator, fraction.denominator
    first_name, second_name = names or (first.label, second.label)
    if _name_role(first_name) == "denominator" and _name_role(second_name) == "numerator":
        first, second = second, first
    candidate.numerator = (first.value, first.value_text)
    candidate.denominator = (second.value, second.value_text)
    if fraction.numerator.label or fraction.denominator.label:
        candidate.attributes["numerator_label"] = fraction.numerator.label
        candidate.attributes["denominator_label"] = fraction.denominator.label


_group_counter = itertools.count(1)


def _group_totals(candidates: list[TextCandidate], text: str) -> None:
    """`應執行處遇人數155人(完成處遇82人、尚在執行處遇人數50人、暫停處遇23人)`: a total and its parts."""
    for index, total in enumerate(candidates):
        if total.quantity.unit in (None, "%") or text[total.end : total.end + 1] not in "(（":
            continue
        close = _CLOSING_BRACKET.search(text[total.end :])
        if not close or _SLASH.search(text[total.end : total.end + close.start()]):
            continue  # `18.6人（90人／482,130人）` is a fraction, not a total's parts
        limit = total.end + close.start()
        parts = [c for c in candidates[index + 1 :] if c.end <= limit]
        if len(parts) >= 2 and all(c.quantity.unit == total.quantity.unit for c in parts):
            group = f"g{next(_group_counter)}"
            total.group = (group, "total")
            for part in parts:
                part.group = (group, "part")


LISTED_SHARES_MIN = 3


@cache
def _catch_all_words() -> tuple[str, ...]:
    return tuple(row["word"] for row in read_tsv("table_words.tsv") if row.get("role") == "catch_all")


def _group_shares(candidates: list[TextCandidate], text: str) -> None:
    """`通報來源：教育單位34.5%、警政單位27.8%、…、其他22.6%`: three or more unnamed percentages
    listed with `、` after a colon are shares of one whole. With a catch-all last item (`其他`) the
    list is complete (`group_role` share); without one it may leave a category out
    (`share_listed`: the audit checks it only when it adds to 100)."""
    index = 0
    while index < len(candidates):
        first = candidates[index]
        colon = max(text.rfind("：", 0, first.start), text.rfind(":", 0, first.start))
        if first.quantity.unit != "%" or colon < _line_start(text, first.start) or first.group is not None:
            index += 1
            continue
        run = [first]
        for following in candidates[index + 1 :]:
            between = text[run[-1].end : following.start]
            if following.quantity.unit != "%" or "、" not in between or any(ch in between for ch in CLAUSE_BREAKS):
                break
            run.append(following)
        if len(run) >= LISTED_SHARES_MIN and all(c.indicator is None and c.group is None for c in run):
            last_label = text[text.rfind("、", 0, run[-1].start) + 1 : run[-1].start]
            role = "share" if any(word in last_label for word in _catch_all_words()) else "share_listed"
            group = f"g{next(_group_counter)}"
            for member in run:
                member.group = (group, role)
        index += len(run)


# --- from jobs to metrics --------------------------------------------------------------------


def mine_text_blocks(jobs: list[TextJob], report_date: date | None = None) -> list[Metric]:
    """Mine every job in one `nlp.pipe`; returns metrics in job order."""
    if not jobs:
        return []
    nlp = get_nlp()
    jobs = [piece for job in jobs for piece in _in_pieces(job)]
    texts = [normalize_text(job.raw_text) for job in jobs]
    metrics: list[Metric] = []
    pending_label: tuple[int, str, Any] | None = None
    _periods_from_header_boxes(jobs, texts)
    # Only a text with a digit or a Chinese numeral can hold a figure: the others get no Doc.
    mined = [QUANTITY_START.search(text) is not None for text in texts]
    docs = nlp.pipe([text for text, has_figures in zip(texts, mined, strict=True) if has_figures])
    for job, text, has_figures in zip(jobs, texts, mined, strict=True):
        doc = next(docs) if has_figures else None
        candidates: list[TextCandidate] = [span._.metric for span in doc._.metrics] if doc is not None else []
        if job.source == "text" and pending_label and pending_label[0] != job.page:
            pending_label = None
        for order, candidate in enumerate(candidates):
            if candidate.needs_label:
                _label_from_neighbours(candidate, text, doc, pending_label)
            metric = _to_metric(job, text, candidate, order, report_date)
            metrics.extend(_split_range(metric, candidate.quantity))
        _spread_plan_targets(metrics[len(metrics) - len(candidates) :])
        if job.source == "text":
            pending_label = _label_only_block(job, text, doc) if not candidates else None
    _pair_counts_to_rates(metrics)
    return metrics


TEXT_PIECE_CHARS = 100_000  # a text box longer than this is mined in pieces (spaCy caps one Doc)


def _in_pieces(job: TextJob) -> list[TextJob]:
    """A huge text box as several jobs cut at line ends (each under TEXT_PIECE_CHARS), so one
    runaway box neither fails its deck nor holds a giant Doc; figures keep the box's bbox."""
    text = job.raw_text
    if len(text) <= TEXT_PIECE_CHARS:
        return [job]
    pieces, start = [], 0
    while start < len(text):
        end = min(len(text), start + TEXT_PIECE_CHARS)
        cut = text.rfind("\n", start, end) if end < len(text) else end
        end = cut + 1 if cut > start else end
        pieces.append(replace(job, text=text[start:end]))
        start = end
    return pieces


def _split_range(metric: Metric, quantity: Quantity) -> list[Metric]:
    """`2~4名` is two figures: at least 2 and at most 4."""
    if quantity.range_low is None or quantity.range_high is None:
        return [metric]
    texts = _RANGE_DASH.split(metric.value_text.replace(quantity.unit_text or "\0", ""), maxsplit=1)
    low_text, high_text = (texts + [metric.value_text])[:2] if len(texts) == 2 else (metric.value_text,) * 2
    low = replace(metric, value=quantity.range_low, value_text=low_text, comparator=">=",
                  attributes={**metric.attributes, "range": "low"})
    high = replace(metric, value=quantity.range_high, value_text=high_text, comparator="<=",
                   attributes={**metric.attributes, "range": "high"})
    return [low, high]


def _spread_plan_targets(block_metrics: list[Metric]) -> None:
    """`112年到宅服務至少150案，共計300案次`: after a `至少` target of a plan, the figures later in
    the same sentence are targets too."""
    planned_sentence: int | None = None
    for metric in block_metrics:
        sentence = metric.attributes.get("sentence")
        if metric.attributes.get("kind_rule") == "at least in plan":
            planned_sentence = sentence
        elif sentence == planned_sentence and metric.kind == "actual":
            metric.kind = "target"
            metric.attributes["kind_rule"] = "plan sentence"


def _period_only(text: str) -> Period | None:
    """The period of a box that holds nothing else (`111年`, `107年度`, `（113年）`)."""
    periods = periods_in(text)
    if len(periods) == 1 and len(_PERIOD_WORDS.sub("", text)) <= len(periods[0].text) + 1:
        return periods[0]
    return None


def _heads_box(above: BBox, box: BBox) -> float | None:
    """The gap when `above` sits right over `box` (overlapping half the narrower), else None."""
    overlap = min(above.x1, box.x1) - max(above.x0, box.x0)
    gap = box.top - above.bottom
    if overlap >= 0.5 * min(above.width, box.width) and -2 <= gap <= max(above.height, 1) * 1.5:
        return gap
    return None


def period_heading_above(blocks: list[Any], block: Any) -> Period | None:
    """The period of a period-only text box right above `block` (a table's `（113年）` heading)."""
    if block.bbox is None:
        return None
    best: tuple[float, Period] | None = None
    for other in blocks:
        if other is block or not isinstance(other, TextBlock) or other.bbox is None:
            continue
        period = _period_only(normalize_text(other.text))
        gap = _heads_box(other.bbox, block.bbox) if period is not None else None
        if gap is not None and period is not None and (best is None or gap < best[0]):
            best = (gap, period)
    return best[1] if best else None


def _periods_from_header_boxes(jobs: list[TextJob], texts: list[str]) -> None:
    """A box holding only a period (`111年`, `107年度`) heads the box right below it: that box's
    figures without a date of their own get its period."""
    headers: list[tuple[TextJob, Period]] = []
    for job, text in zip(jobs, texts, strict=True):
        if job.source != "text" or job.block is None or job.block.bbox is None:
            continue
        period = _period_only(text)
        if period is not None:
            headers.append((job, period))
    for job in jobs:
        if job.source != "text" or job.block is None or job.block.bbox is None or job.context_period:
            continue
        best: tuple[float, Period] | None = None
        for header, period in headers:
            if header.page != job.page or header is job:
                continue
            gap = _heads_box(header.block.bbox, job.block.bbox)  # type: ignore[union-attr]
            if gap is not None and (best is None or gap < best[0]):
                best = (gap, period)
        if best is not None:
            job.context_period = best[1]


def is_plan_page(title: str | None, blocks: list[Any]) -> bool:
    """A slide that presents a plan: its title or a heading box (a short text box) names one
    (`未來規劃`, `預期效益`: cues.tsv role `plan_section`). There, `至少`/`以上` figures without a
    date of their own are targets."""
    headings = [title or ""] + [block.text for block in blocks
                                if isinstance(block, TextBlock) and len(block.text.strip()) <= LABEL_BLOCK_MAX_CHARS]
    words = cue_words("plan_section")
    return any(word in _SPACES.sub("", heading) for heading in headings for word in words)


def _label_only_block(job: TextJob, text: str, doc: Any) -> tuple[int, str, Any] | None:
    """(page, label, Doc or text): a Doc is made for a text without figures only if a figure
    of the next block takes its label (`_label_from_neighbours`)."""
    stripped = text.strip()
    if not stripped or len(stripped) > LABEL_BLOCK_MAX_CHARS or _DIGIT.search(stripped):
        return None
    if stripped in cue_roles():  # `達標` alone names nothing
        return None
    return job.page, stripped, text if doc is None else doc


def _label_from_neighbours(candidate: TextCandidate, text: str, doc: Any,
                           pending: tuple[int, str, Any] | None) -> None:
    """A figure opening its line takes its name from the end of the line before (`布建涵蓋率：` /
    `87.5%達標`), else from the lines after it (`100%` / `人員` / `進用率`), else from a label-only
    box just before its own box."""
    is_rate = candidate.quantity.unit == "%"
    heads = _indicator_heads(doc)
    line_start = _line_start(text, candidate.start)
    if line_start > 0:
        tail_start = _clause_start(text, line_start - 1)
        tail = text[tail_start : line_start - 1]
        if tail.strip() and not _DIGIT.search(tail):
            fitting = [h for h in heads if tail_start <= h[0] and h[1] <= line_start - 1 and (h[3] == "rate") == is_rate]
            _set_label(candidate, tail, fitting)
            return
    rest = text[candidate.end :]
    following = rest.strip()
    alone = _ONLY_CUES.match(text[candidate.end : _line_end(text, candidate.end)])
    if alone and following and "\n" in rest and not _DIGIT.search(rest) and len(following) <= LABEL_BLOCK_MAX_CHARS:
        fitting = [h for h in heads if h[0] >= candidate.end and (h[3] == "rate") == is_rate]
        _set_label(candidate, following, fitting)
        return
    if line_start == 0 and pending is not None:
        _, label_text, label_doc = pending
        label_heads = _indicator_heads(get_nlp()(label_doc) if isinstance(label_doc, str) else label_doc)
        fitting = [h for h in label_heads if (h[3] == "rate") == is_rate]
        _set_label(candidate, label_text, fitting)


def _set_label(candidate: TextCandidate, label_text: str, heads: list[tuple[int, int, str, str]]) -> None:
    label = clean_label(label_text.replace("\n", ""))
    if heads:
        head = max(heads, key=lambda h: h[1])
        candidate.indicator = head[2]
        candidate.label = label or head[2]
        return
    if candidate.quantity.unit == "%":
        match = _RATE_SUFFIX.search(label)
        if match:
            candidate.indicator = match.group(1)[-3:]
    candidate.label = label or None


def _to_metric(job: TextJob, text: str, candidate: TextCandidate, order: int,
               report_date: date | None) -> Metric:
    quantity = candidate.quantity
    period = candidate.period
    if job.context_period is not None and candidate.period_origin in (None, "block"):
        period = job.context_period
    where: KindContext = candidate.attributes["kind_where"]
    in_plan_period = bool(period is not None and report_date is not None and period.end > report_date)
    in_plan_period = in_plan_period or (period is None and job.plan_section)
    kind, target_met, why = classify(candidate.attributes["cues"], where, candidate.comparator, in_plan_period)
    if candidate.kind == "target" and kind == "actual":
        kind, why = "target", "paired target"
    if job.context_kind and kind == "actual":
        kind = job.context_kind
    if kind == "target" and candidate.comparator is None:
        candidate.comparator = _comparator_before_target_word(text, quantity.start)
    attributes = {key: value for key, value in candidate.attributes.items() if key not in ("kind_where", "cues")}
    attributes["kind_rule"] = why
    attributes["sentence"] = where.sentence_start
    attributes["lead"] = text[where.sentence_start : quantity.start][-LABEL_MAX_CHARS:]
    attributes.update(job.attributes)
    strategy = attributes.pop("strategy", None)
    attributes.pop("cell_bbox", None)
    attributes["order"] = order
    if quantity.unit_text and quantity.unit_text != quantity.unit:
        attributes["unit_text"] = quantity.unit_text
    metric = Metric(
        page=job.page,
        block_index=job.block_index,
        source=job.source,
        indicator=candidate.indicator,
        label=candidate.label,
        value=quantity.value,
        value_text=quantity.value_text,
        unit=quantity.unit,
        kind=kind,
        comparator=candidate.comparator,
        numerator=candidate.numerator[0] if candidate.numerator else None,
        denominator=candidate.denominator[0] if candidate.denominator else None,
        numerator_text=candidate.numerator[1] if candidate.numerator else None,
        denominator_text=candidate.denominator[1] if candidate.denominator else None,
        target_met=target_met,
        snippet=_snippet(text, quantity.start, quantity.end),
        bbox=_bbox(job, text, quantity.start),
        attributes=attributes,
    )
    metric.strategy = strategy
    if candidate.numerator is not None:
        metric.counts_from = attributes.pop("counts_from", "printed")
    metric.rate_base = attributes.pop("rate_base", None)
    if candidate.group is not None:
        metric.group_id, metric.group_role = candidate.group
    if job.table_cell is not None:
        metric.table_id, metric.row_index, metric.col_index, metric.row_path, metric.col_path = job.table_cell
    if period is not None:
        metric.year, metric.roc_year = period.year, period.roc_year
        metric.period_start, metric.period_end, metric.period_text = period.start, period.end, period.text
        attributes["year_from"] = candidate.period_origin if period is candidate.period else "context"
    return metric


def _comparator_before_target_word(text: str, position: int) -> str | None:
    """`低於目標值5%`, `(<110年目標值7.5%)`: a comparator written before the target word (and its
    year) bounds the target figure after it."""
    before = text[_phrase_start(text, position) : position].rstrip(" :：為")
    target_words = sorted((w for w, role in cue_roles().items() if role == "target"), key=len, reverse=True)
    word = next((w for w in target_words if before.endswith(w)), None)
    if word is None:
        return None
    before = before[: -len(word)]
    for period in reversed(periods_in(before)):
        if period.char_end == len(before):
            before = before[: period.char_start]
    before = before.rstrip(" (（")
    claims = [w for w, role in cue_roles().items() if role in ("met", "missed")]
    words = sorted(((q.word, q.comparator) for q in qualifiers() if q.position == "before" and q.comparator
                    and not any(claim.startswith(q.word) for claim in claims)),  # 未達(標) is a claim, no bound
                   key=lambda item: len(item[0]), reverse=True)
    return next((comparator for w, comparator in words if before.endswith(w)), None)


def _snippet(text: str, start: int, end: int) -> str:
    line_start = max(_line_start(text, start), start - SNIPPET_RADIUS)
    line_end = min(_line_end(text, end), end + SNIPPET_RADIUS)
    return text[line_start:line_end].strip()


def _bbox(job: TextJob, text: str, position: int) -> list[float] | None:
    block = job.block
    if isinstance(block, TextBlock) and job.text is None:
        line_index = _line_at(job, text, position)
        if line_index < len(block.lines) and block.lines[line_index].bbox is not None:
            box: BBox = block.lines[line_index].bbox  # type: ignore[assignment]
            return box.as_list()
    if block is not None and block.bbox is not None:
        return block.bbox.as_list()
    cell_bbox = job.attributes.get("cell_bbox")
    return list(cell_bbox) if cell_bbox else None


def _pair_counts_to_rates(metrics: list[Metric]) -> None:
    """A rate printed without its counts (`訪視率12.24%` beside `換證數5,156`, `訪視數631`):
    two counts of the same block, else of the same page, that reproduce the rate are noted in
    `attributes.counts_nearby`. They are not its numerator and denominator: a pair found by
    searching for the answer is no evidence, and the audit never calls such a rate checked."""
    by_page: dict[tuple[int, str], list[Metric]] = {}
    for metric in metrics:
        by_page.setdefault((metric.page, metric.source), []).append(metric)
    for page_metrics in by_page.values():
        counts = [m for m in page_metrics if m.unit != "%" and m.unit not in ("pp",) and m.value > 0]
        for rate in page_metrics:
            if rate.unit != "%" or rate.numerator is not None or rate.value in (0, 100):
                continue
            same_block = [m for m in counts if m.block_index == rate.block_index]
            for pool in (same_block, counts):
                pair = _reproducing_pair(rate, pool)
                if pair:
                    top, bottom = pair
                    rate.attributes["counts_nearby"] = [top.value_text, bottom.value_text]
                    break


def _reproducing_pair(rate: Metric, pool: list[Metric]) -> tuple[Metric, Metric] | None:
    decimals = len(rate.value_text.split(".")[1]) if "." in rate.value_text else 0
    step = 10 ** -decimals
    for top, bottom in itertools.permutations(pool, 2):
        if top.value == bottom.value or min(top.value, bottom.value) < 10:
            continue
        exact = top.value / bottom.value * 100
        if abs(round(exact, decimals) - rate.value) < step / 10 or 0 <= exact - rate.value < step:
            return top, bottom
    return None


__all__ = ["TextCandidate", "TextJob", "is_plan_page", "mine_text_blocks", "period_heading_above",
           "text_candidates", "unit_in_label"]
