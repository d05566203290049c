"""A figure's indicator head and label from the words before it in its clause, and which
quantities of a text are figures at all."""

from __future__ import annotations

import regex
from deckmine.patterns.data_tables import alternation, column
from deckmine.patterns.gazetteer import cue_words
from deckmine.patterns.labels import clean_label, label_start
from deckmine.patterns.numbers import (
    Fraction,
    Quantity,
)
from deckmine.patterns.text_spans import (
    CLAUSE_BREAKS,
    LABEL_MAX_CHARS,
    ONLY_CUES,
    PART_BREAKS,
    TextCandidate,
    clause_start_at,
    line_start_at,
    periods_in,
)
from deckmine.patterns.text_units import after_unit

# text_words.tsv: rate_word (`比率`, `率`), rate_link (`已達`), count_link (`共計`), bare_link (`為`)
_RATE_WORDS = column("text_words.tsv", "word", role="rate_word")
_WORD_RATES = tuple(word for word in _RATE_WORDS if len(word) > 1)  # a rate word of several characters names the indicator by itself
RATE_SUFFIX = regex.compile(rf"(\p{{Han}}{{1,8}}?(?:{alternation(_RATE_WORDS)}))\s*"
                            rf"(?:[:：]|{alternation(column('text_words.tsv', 'word', role='rate_link'))})?\s*$")


_NOUN_BEFORE = regex.compile(rf"([\p{{Han}}A-Za-z]{{1,16}}?)\s*"
                             rf"(?:[:：]|{alternation(column('text_words.tsv', 'word', role='count_link'))})?\s*$")
_BARE_GAP = " \n:：" + "".join(column("text_words.tsv", "word", role="bare_link"))


_DIGITS = regex.compile(r"\d[\d,.]*")


_OWNER_AT_END = regex.compile(r"[\p{Han}A-Za-z]{0,12}$")


_CLAUSE_BREAK = regex.compile(f"[{regex.escape(CLAUSE_BREAKS)}]")


_COUNTED_NOUN = regex.compile(r"\p{Han}{1,6}\d")


def keeps_figure(quantity: Quantity, text: str, heads: list[tuple[int, int, str, str]],
          fractions: list[Fraction]) -> bool:
    after = text[quantity.end : quantity.end + 2]
    windows = cue_words("time_window")
    if quantity.category == "time" and any(after.startswith(w) or quantity.text.endswith(w) for w in windows):
        return False  # a time window (hours within), not a count
    if quantity.unit is not None:
        return not _qualifies_next_count(quantity, text)
    if any(f.start <= quantity.start and quantity.end <= f.end for f in fractions):
        return False
    # A bare number counts only right after a count head: `換證數\n5,156`, `委託團體數：2`.
    gap_before = text[: quantity.start].rstrip(_BARE_GAP)
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


def attach_head(candidate: TextCandidate, text: str, heads: list[tuple[int, int, str, str]],
                previous_end: int) -> None:
    """The figure's indicator head and label from the words before it in its clause: the names of
    a printed pair, a gazetteer head, a generic rate word; a figure opening its line after cue words
    only waits for a neighbour's label (`needs_label`); a count takes the noun right before it."""
    quantity = candidate.quantity
    clause_start = clause_start_at(text, quantity.start)
    if quantity.name:
        _name_pair(candidate, text, clause_start)
    elif _gazetteer_head(candidate, text, heads, previous_end, clause_start) or quantity.unit == "%" and _rate_word_head(candidate, text[clause_start : quantity.start]):
        return
    elif ONLY_CUES.match(text[line_start_at(text, quantity.start) : quantity.start]):
        candidate.needs_label = True
    elif quantity.unit != "%":
        _noun_label(candidate, text, clause_start)


def _name_pair(candidate: TextCandidate, text: str, clause_start: int) -> None:
    """`社工(核定/實際)：38/35人`: the pair's own names, after what they count."""
    quantity = candidate.quantity
    before = text[clause_start : quantity.start]
    bracket = max(before.rfind("("), before.rfind("（"))
    owner = _OWNER_AT_END.search(before[:bracket]).group() if bracket >= 0 else ""
    candidate.indicator = quantity.name
    candidate.label = clean_label(owner + (quantity.name or ""))


def _gazetteer_head(candidate: TextCandidate, text: str, heads: list[tuple[int, int, str, str]],
                    previous_end: int, clause_start: int) -> bool:
    """The last INDICATOR head of the figure's category before it in its clause; a rate head is
    not shared with an earlier figure (`進用率71%(目標85%)`)."""
    quantity = candidate.quantity
    is_rate = quantity.unit == "%"
    fitting = [head for head in heads
               if clause_start <= head[0] and head[1] <= quantity.start and (head[3] == "rate") == is_rate
               and (not is_rate or head[0] >= previous_end)]
    if not fitting:
        return False
    start, end, word, _ = max(fitting, key=lambda head: head[1])
    candidate.indicator = word
    candidate.label = _label_before(text, start, end, clause_start)
    return True


def _rate_word_head(candidate: TextCandidate, before: str) -> bool:
    """A generic rate word (`…率`, `…比率`) right before a percentage."""
    match = RATE_SUFFIX.search(before)
    if not match:
        return False
    phrase = match.group(1)
    candidate.indicator = phrase[-3:] if not phrase.endswith(_WORD_RATES) else phrase[-2:]
    candidate.label = clean_label(phrase) or None
    return True


def _noun_label(candidate: TextCandidate, text: str, clause_start: int) -> None:
    """The noun right before a count, within its part of the clause (`受理案件`)."""
    position = candidate.quantity.start
    part_start = max(clause_start, *(text.rfind(ch, 0, position) + 1 for ch in PART_BREAKS),
                     *(p.char_end for p in periods_in(text) if p.char_end <= position))
    match = _NOUN_BEFORE.search(text[part_start:position])
    if match and match.group(1):
        start = part_start + match.start(1)
        if start > 0 and text[start - 1].isdigit():
            start = after_unit(text, start) if label_start(text, start) == start else label_start(text, start)
        candidate.label = clean_label(text[start : part_start + match.end(1)]) or None


def _label_before(text: str, head_start: int, head_end: int, clause_start: int) -> str:
    start = max(clause_start, head_end - LABEL_MAX_CHARS)
    while start > clause_start and (text[start - 1].isdigit() or text[start - 1] in ",."):
        start -= 1  # never start inside a number: a year stays whole and is cut below
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
            return chunk[after_unit(chunk, number.end()) :]
    return chunk
