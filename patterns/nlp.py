"""The spaCy pipeline the text miner runs: tokenizer, gazetteer entities, metric spans.

`get_nlp()` builds (once per process) a `spacy.blank("zh")` whose tokenizer is
`deckmine.zh_tokenizer.v1`: numbers stay whole (`55,269`, `91.80`, `12.24%`, `112`), Latin words
stay whole (`ICF`, `TAITUNG`), every other character (Han, punctuation) is its own token and
spaces are token whitespace. That needs no model download and keeps gazetteer matches exact.

An `entity_ruler` loaded from the editable TSV files in `patterns/data/` marks
- COUNTY (counties.tsv: names and 台/臺 aliases), TOWNSHIP (its county-level cities such as
  臺東市, so they are never taken for the county),
- STRATEGY (strategies.tsv titles and aliases, plus `策略一`, `策略1`, `策略一二`),
- INDICATOR (indicators.tsv heads), UNIT (units.tsv words), CUE (qualifiers.tsv and cues.tsv words).
The registered component `deckmine_metrics` then finds every quantity in the text and stores on
each span `Span._.metric` (a `TextCandidate`, see `patterns.indicators`); `Doc._.metrics` lists
the spans in text order.

Texts are fed normalised (`patterns.normalize.normalize_text`), so full-width digits are ASCII.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

import regex
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

DATA_DIR = Path(__file__).resolve().parent / "data"
TOKENIZER_NAME = "deckmine.zh_tokenizer.v1"
METRICS_COMPONENT = "deckmine_metrics"
# cues.tsv roles read by other rules, never as CUE entities: an entity `每` or `未來規劃` would
# hide the words inside or next to it (`規劃` is a forecast cue).
NOT_CUE_ENTITIES = frozenset({"rate_base", "plan_section", "purpose", "label_tail", "label_lead", "label_keep",
                              "reporter", "central_agency", "continued",
                              "previous_year", "change_up", "change_down", "government",
                              "same_period", "current_period", "cheng_lead"})

# A number keeps its separators, decimals and a trailing percent sign; a Latin word stays whole.
_TOKEN = regex.compile(
    r"(?P<number>\d+(?:,\d{3})*(?:\.\d+)?%?)"
    r"|(?P<latin>[A-Za-z]+(?:[-'][A-Za-z]+)*)"
    r"|(?P<space>[ \t]+)"
    r"|(?P<char>\S|\n)"
)
_CHINESE_DIGITS = "一二三四五六七八九十"


class DeckTokenizer:
    """Numbers and Latin words whole, every other non-space character a token of its own."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        spaces: list[bool] = []
        for match in _TOKEN.finditer(text):
            piece = match.group()
            if match.lastgroup == "space":
                if words and not spaces[-1] and piece == " ":
                    spaces[-1] = True
                else:
                    words.append(piece)
                    spaces.append(False)
                continue
            words.append(piece)
            spaces.append(False)
        return Doc(self.vocab, words=words, spaces=spaces)

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


@spacy.registry.tokenizers(TOKENIZER_NAME)
def create_deck_tokenizer() -> object:
    def make(nlp: Language) -> DeckTokenizer:
        return DeckTokenizer(nlp.vocab)

    return make


def read_tsv(name: str) -> list[dict[str, str]]:
    """Rows of `patterns/data/<name>` as dicts (header row gives the keys)."""
    path = DATA_DIR / name
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            {key: (value or "").strip() for key, value in row.items() if key}
            for row in csv.DictReader(handle, delimiter="\t")
            if any((value or "").strip() for value in row.values() if isinstance(value, str))
        ]


def gazetteer_patterns() -> list[dict[str, object]]:
    """EntityRuler patterns built from the TSV gazetteers (phrase patterns, plus token patterns
    for numbered strategy headings)."""
    patterns: list[dict[str, object]] = []

    def add(label: str, phrase: str, entity_id: str | None = None) -> None:
        if phrase:
            pattern: dict[str, object] = {"label": label, "pattern": phrase}
            if entity_id:
                pattern["id"] = entity_id
            patterns.append(pattern)

    for row in read_tsv("counties.tsv"):
        canonical = row["canonical"]
        names = {canonical, canonical.replace("臺", "台"), row.get("short", "")}
        names |= set(filter(None, row.get("aliases", "").split("|")))
        names |= {name.replace("臺", "台") for name in list(names)}
        for name in names:
            add("COUNTY", name, canonical)
        for township in filter(None, row.get("township_cities", "").split("|")):
            add("TOWNSHIP", township, canonical)
            add("TOWNSHIP", township.replace("臺", "台"), canonical)
    for row in read_tsv("strategies.tsv"):
        add("STRATEGY", row["phrase"], row["number"])
        add("STRATEGY", row["phrase"].replace("，", ""), row["number"])
    number_token = {"TEXT": {"REGEX": r"^(?:[1-4]|[一二三四])$"}}
    patterns.append({"label": "STRATEGY", "pattern": [{"TEXT": "策"}, {"TEXT": "略"}, number_token,
                                                      {**number_token, "OP": "*"}]})
    for row in read_tsv("indicators.tsv"):
        add("INDICATOR", row["head"], row.get("category") or None)
    for row in read_tsv("units.tsv"):
        add("UNIT", row["word"], row.get("normalized") or row["word"])
    for row in read_tsv("qualifiers.tsv") + read_tsv("cues.tsv"):
        if row.get("role") not in NOT_CUE_ENTITIES:
            add("CUE", row["word"])
    return patterns


@cache
def get_nlp() -> Language:
    """The pipeline, built once per process."""
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME}}})
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "TEXT"})
    ruler.add_patterns(gazetteer_patterns())  # type: ignore[attr-defined]
    nlp.add_pipe(METRICS_COMPONENT)
    return nlp


if not Span.has_extension("metric"):
    Span.set_extension("metric", default=None)
if not Doc.has_extension("metrics"):
    Doc.set_extension("metrics", default=None)


@Language.factory(METRICS_COMPONENT)
def create_metrics_component(nlp: Language, name: str) -> MetricsComponent:
    return MetricsComponent()


class MetricsComponent:
    """Find the quantities of a Doc and attach their indicator head, cues and label."""

    def __call__(self, doc: Doc) -> Doc:
        from patterns.indicators import text_candidates

        spans: list[Span] = []
        for candidate in text_candidates(doc):
            span = doc.char_span(candidate.start, candidate.end, alignment_mode="expand")
            if span is None:
                continue
            span._.metric = candidate
            spans.append(span)
        doc._.metrics = spans
        return doc


def strategy_number(text: str) -> int | None:
    """1-4 for `一`..`四` or `1`..`4`, else None."""
    if text.isdigit():
        number = int(text)
    elif len(text) == 1 and text in _CHINESE_DIGITS:
        number = _CHINESE_DIGITS.index(text) + 1
    else:
        return None
    return number if 1 <= number <= 4 else None


__all__ = ["DeckTokenizer", "MetricsComponent", "get_nlp", "gazetteer_patterns", "read_tsv",
           "strategy_number"]
