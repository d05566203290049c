"""The spaCy pieces of the text miner: the deck tokenizer and the gazetteer component (word lists).

`blank_pipeline()` is a `spacy.blank("zh")` whose tokenizer is
`deckmine.zh_tokenizer.v1`: numbers stay whole (`55,269`, `91.80`, `12.24%`, `112`), Latin words
stay whole (`ICF`, `TAITUNG`), every other character (Han, punctuation) is its own token and
spaces are token whitespace. That needs no model download and keeps gazetteer matches exact.

The registered component `deckmine_gazetteer` (a `PhraseMatcher` on ORTH, loaded from the
editable TSV files in `patterns/data/`) marks
- COUNTY (counties.tsv: names and 台/臺 aliases), TOWNSHIP (its county-level cities such as
  臺東市, so they are never taken for the county),
- STRATEGY (strategies.tsv titles and aliases, plus numbered headings `策略一`, `策略1`,
  `策略一二`, found by a regex over the tokens),
- INDICATOR (indicators.tsv heads), UNIT (units.tsv words), CUE (qualifiers.tsv and cues.tsv words).
Overlaps resolve as spaCy's entity ruler resolves them (longest first, then earliest; a match
touching a taken token is dropped). The matches are `Doc._.gazetteer`, a tuple of
`GazetteerMatch` (character offsets, text, label, id) in text order; with the component's
`write_ents` setting they are also written to `doc.ents`.
The text miner adds its metrics component on top (`patterns.text_pipeline.get_nlp`); this module
never imports the miner.

spaCy is imported when a pipeline is first built (`blank_pipeline()`), not when this module is:
the word lists (`read_tsv`, `gazetteer_patterns`) serve modules that never mine text.
Texts are fed normalised (`patterns.normalize.normalize_text`), so full-width digits are ASCII.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from functools import cache
from itertools import accumulate
from typing import TYPE_CHECKING, NamedTuple

import regex
from deckmine.patterns.data_tables import read_table, table_cache
from deckmine.patterns.strategy_refs import heading_alternation, numerals, strategies

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

TOKENIZER_NAME = "deckmine.zh_tokenizer.v1"
GAZETTEER_COMPONENT = "deckmine_gazetteer"
ENT_ID_SEP = "||"  # a match key is `LABEL||id` (or the bare label), as in spaCy's entity ruler
_TOKENS_KEY = "deckmine_tokens"  # Doc.user_data: (text, words, token starts) from the tokenizer
# cues.tsv roles read by other rules, never as CUE entities: an entity `每` or `未來規劃` would
# hide the words inside or next to it (`規劃` is a forecast cue).
NOT_CUE_ENTITIES = frozenset({"rate_base", "plan_section", "purpose", "label_tail", "label_lead", "label_keep",
                              "reporter", "central_agency", "continued",
                              "previous_year", "change_up", "change_down", "government",
                              "same_period", "current_period", "cheng_lead"})

# A token: a number with its separators, decimals and a trailing percent sign; a Latin word; a
# run of blanks and tabs; any other single character (a newline included).
_TOKEN = regex.compile(
    r"\d+(?:,\d{3})*(?:\.\d+)?%?"
    r"|[A-Za-z]+(?:[-'][A-Za-z]+)*"
    r"|[ \t]+"
    r"|\S|\n"
)
# A numbered strategy heading: the characters of the heading word (`strategy_refs.heading_words`;
# a space between them is token whitespace), then one or more tokens that are a strategy numeral
# (`strategy_numerals`).
@table_cache
def _strategy_head() -> regex.Pattern[str]:
    return regex.compile(heading_alternation(spaced=True))


class GazetteerMatch(NamedTuple):
    """A gazetteer word found in a Doc: character offsets into the Doc's text, the label
    (COUNTY, TOWNSHIP, STRATEGY, INDICATOR, UNIT, CUE) and the pattern's id ('' when none:
    the canonical county, the strategy number, the indicator category, the normalised unit)."""

    start: int
    end: int
    text: str
    label: str
    entity_id: str


class DeckTokenizer:
    """Numbers and Latin words whole, every other non-space character a token of its own."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        from spacy.tokens import Doc

        words: list[str] = []
        spaces: list[bool] = []
        for piece in _TOKEN.findall(text):
            if piece == " " and words:  # one space after a token is its whitespace
                spaces[-1] = True
            else:
                words.append(piece)
                spaces.append(False)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        lengths = [len(word) + space for word, space in zip(words, spaces, strict=True)]
        starts = [0, *accumulate(lengths)]
        # characters the pattern skips (a space other than blank or tab) are not in the Doc's text
        doc_text = text if starts[-1] == len(text) else "".join(
            word + (" " if space else "") for word, space in zip(words, spaces, strict=True))
        starts.pop()
        doc.user_data[_TOKENS_KEY] = (doc_text, words, starts)
        return doc

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        for text in texts:
            yield self(text)

    # spaCy serialises tokenizers with the pipeline; ours has no state to save.
    def to_bytes(self, **kwargs: object) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs: object) -> DeckTokenizer:
        return self

    def to_disk(self, path: object, **kwargs: object) -> None:
        return None

    def from_disk(self, path: object, **kwargs: object) -> DeckTokenizer:
        return self


def create_deck_tokenizer() -> object:
    def make(nlp: Language) -> DeckTokenizer:
        return DeckTokenizer(nlp.vocab)

    return make


def doc_tokens(doc: Doc) -> tuple[str, list[str], list[int]]:
    """(text, token texts, token start offsets) of a Doc, from the tokenizer's record when it
    made the Doc (reading `doc.text` or tokens would create a Python object per token)."""
    record = doc.user_data.get(_TOKENS_KEY)
    if record is None:
        record = (doc.text, [token.text for token in doc], [token.idx for token in doc])
        doc.user_data[_TOKENS_KEY] = record
    return record


def doc_text(doc: Doc) -> str:
    return doc_tokens(doc)[0]


read_tsv = read_table  # the shared loader (`patterns/data_tables.py`), under its old name here


@table_cache
def strategy_numerals() -> dict[str, int]:
    """Numeral -> strategy number for the numerals of `numerals.tsv` whose value is a strategy of
    `strategies.tsv` (a fifth row there makes `策略五` a heading)."""
    known = {strategy.number for strategy in strategies()}
    return {numeral: value for numeral, value in numerals().items() if value in known}


def _spellings(name: str) -> set[str]:
    """`name` and its spellings with each canonical character of `variants.tsv` written as its
    variant (`臺東縣` -> `台東縣`)."""
    names = {name}
    for row in read_table("variants.tsv"):
        names |= {spelling.replace(row["canonical"], row["variant"]) for spelling in names}
    return names


def gazetteer_patterns() -> list[dict[str, str]]:
    """Phrase patterns built from the TSV gazetteers (`label`, `pattern`, optional `id`), in
    the entity ruler's pattern format. Numbered strategy headings are the component's own rule."""
    patterns: list[dict[str, str]] = []

    def add(label: str, phrase: str, entity_id: str | None = None) -> None:
        if phrase:
            pattern = {"label": label, "pattern": phrase}
            if entity_id:
                pattern["id"] = entity_id
            patterns.append(pattern)

    for row in read_tsv("counties.tsv"):
        canonical = row["canonical"]
        names = {row.get("short", "")} | set(filter(None, row.get("aliases", "").split("|")))
        names = {canonical, *_spellings(canonical)}.union(*(_spellings(name) for name in names))
        for name in names:
            add("COUNTY", name, canonical)
        for township in filter(None, row.get("township_cities", "").split("|")):
            for spelling in sorted(_spellings(township), key=lambda each: each != township):
                add("TOWNSHIP", spelling, canonical)
    for row in read_tsv("strategies.tsv"):
        add("STRATEGY", row["phrase"], row["number"])
        add("STRATEGY", row["phrase"].replace("，", ""), row["number"])
    for row in read_tsv("indicators.tsv"):
        add("INDICATOR", row["head"], row.get("category") or None)
    for row in read_tsv("units.tsv"):
        add("UNIT", row["word"], row.get("normalized") or row["word"])
    for row in read_tsv("qualifiers.tsv") + read_tsv("cues.tsv"):
        if row.get("role") not in NOT_CUE_ENTITIES:
            add("CUE", row["word"])
    return patterns


class GazetteerComponent:
    """Mark the gazetteer words of a Doc (`Doc._.gazetteer`; `doc.ents` too with `write_ents`).

    Phrase patterns go to a `PhraseMatcher` on ORTH; numbered strategy headings are read off the
    tokens with a regex. Matches resolve like spaCy's `entity_ruler`: all matches, longest first
    and then earliest, each kept unless its first or last token is taken (two patterns with the
    same words, such as 受益人次 as a unit and as an indicator, keep the ruler's order)."""

    def __init__(self, nlp: Language, name: str = GAZETTEER_COMPONENT, write_ents: bool = False,
                 gazetteers: bool = True) -> None:
        from spacy.matcher import PhraseMatcher

        self.name = name
        self.nlp = nlp
        self.write_ents = write_ents
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.labels: dict[int, tuple[str, str]] = {}  # match key -> (label, id)
        self.strategy_key = self._key("STRATEGY", None)
        if gazetteers:
            self.add_patterns(gazetteer_patterns())

    def _key(self, label: str, entity_id: str | None) -> int:
        name = f"{label}{ENT_ID_SEP}{entity_id}" if entity_id else label
        key = self.nlp.vocab.strings.add(name)
        self.labels[key] = (label, entity_id or "")
        return key

    def add_patterns(self, patterns: list[dict[str, str]]) -> None:
        """Add phrase patterns (`{"label": …, "pattern": "phrase", "id": …}`), in order."""
        for pattern in patterns:
            key = self._key(pattern["label"], pattern.get("id"))
            self.matcher.add(self.nlp.vocab.strings[key], [self.nlp.make_doc(pattern["pattern"])])

    def __call__(self, doc: Doc) -> Doc:
        matches = self.match(doc)
        doc._.gazetteer = matches
        if self.write_ents:
            from spacy.tokens import Span

            starts = doc_tokens(doc)[2]
            doc.ents = [Span(doc, bisect_left(starts, match.start), bisect_right(starts, match.end - 1),
                             label=match.label, span_id=match.entity_id) for match in matches]
        return doc

    def _strategy_matches(self, text: str, words: list[str], starts: list[int]) -> list[tuple[int, int, int]]:
        """`策略` and each run of numeral tokens after it (`策略一`, `策略一二`): every length, as a
        token pattern with `OP: *` would give."""
        found: list[tuple[int, int, int]] = []
        numbers = strategy_numerals()
        for head in _strategy_head().finditer(text):
            first = bisect_left(starts, head.start())
            if first + 1 >= len(starts) or starts[first + 1] != head.end() - 1:
                continue
            end = first + 2
            while end < len(words) and words[end] in numbers:
                end += 1
                found.append((self.strategy_key, first, end))
        return found

    def match(self, doc: Doc) -> tuple[GazetteerMatch, ...]:
        text, words, starts = doc_tokens(doc)
        found = self._strategy_matches(text, words, starts) + list(self.matcher(doc))
        ordered = sorted({(key, start, end) for key, start, end in found if start != end},
                         key=lambda match: (match[2] - match[1], -match[1]), reverse=True)
        taken = bytearray(len(words))
        kept: list[tuple[int, int, int]] = []
        for key, start, end in ordered:
            if not (taken[start] or taken[end - 1]):
                kept.append((start, end, key))
                taken[start:end] = b"\x01" * (end - start)
        kept.sort()
        result = []
        for start, end, key in kept:
            char_start, char_end = starts[start], starts[end - 1] + len(words[end - 1])
            result.append(GazetteerMatch(char_start, char_end, text[char_start:char_end], *self.labels[key]))
        return tuple(result)


def create_gazetteer_component(nlp: Language, name: str, write_ents: bool, gazetteers: bool) -> GazetteerComponent:
    return GazetteerComponent(nlp, name, write_ents=write_ents, gazetteers=gazetteers)


@cache
def register() -> None:
    """Register the tokenizer, the gazetteer component and `Doc._.gazetteer` with spaCy (imports
    spaCy; `blank_pipeline` calls it)."""
    import spacy
    from spacy.language import Language
    from spacy.tokens import Doc

    spacy.registry.tokenizers.register(TOKENIZER_NAME, func=create_deck_tokenizer)
    if not Language.has_factory(GAZETTEER_COMPONENT):
        Language.factory(GAZETTEER_COMPONENT, default_config={"write_ents": False, "gazetteers": True},
                         assigns=["doc._.gazetteer"], func=create_gazetteer_component)
    if not Doc.has_extension("gazetteer"):
        Doc.set_extension("gazetteer", default=None)


def blank_pipeline() -> Language:
    """A `zh` pipeline with the deck tokenizer and no components."""
    register()
    import spacy

    return spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME}}})


def strategy_number(text: str) -> int | None:
    """The strategy a numeral names (`一`, `貳`, `3`: `strategy_numerals`), else None."""
    number = int(text) if text.isdecimal() else numerals().get(text)
    return number if number in strategy_numerals().values() else None


__all__ = ["DeckTokenizer", "GazetteerComponent", "GazetteerMatch", "blank_pipeline", "doc_text", "doc_tokens",
           "gazetteer_patterns", "read_tsv", "register", "strategy_number",
           "strategy_numerals"]
