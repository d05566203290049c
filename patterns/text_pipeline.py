"""The spaCy pipeline the text miner runs: `patterns.nlp`'s tokenizer and gazetteer, then the
metrics component.

The registered component `deckmine_metrics` finds every quantity of a Doc
(`patterns.text_candidates.text_candidates`) and stores on each span `Span._.metric` (a
`TextCandidate`); `Doc._.metrics` lists the spans in text order. `get_nlp()` builds the whole
pipeline once per process (spaCy is imported then, not when this module is).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from deckmine.patterns.nlp import GAZETTEER_COMPONENT, blank_pipeline
from deckmine.patterns.text_candidates import text_candidates

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

METRICS_COMPONENT = "deckmine_metrics"


class MetricsComponent:
    """Find the quantities of a Doc and attach their indicator head, cues and label."""

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for candidate in text_candidates(doc):
            span = doc.char_span(candidate.start, candidate.end, alignment_mode="expand")
            if span is None:
                continue
            span._.metric = candidate
            spans.append(span)
        doc._.metrics = spans
        return doc


def create_metrics_component(nlp: Language, name: str) -> MetricsComponent:
    return MetricsComponent()


@cache
def register_metrics() -> None:
    """Register the metrics component and the `Doc._.metrics`, `Span._.metric` extensions."""
    from spacy.language import Language
    from spacy.tokens import Doc, Span

    if not Language.has_factory(METRICS_COMPONENT):
        Language.factory(METRICS_COMPONENT, assigns=["doc._.metrics", "span._.metric"],
                         func=create_metrics_component)
    for owner, name in ((Doc, "metrics"), (Span, "metric")):
        if not owner.has_extension(name):
            owner.set_extension(name, default=None)


@cache
def get_nlp() -> Language:
    """The pipeline (tokenizer, gazetteer, metrics), built once per process."""
    nlp = blank_pipeline()
    register_metrics()
    nlp.add_pipe(GAZETTEER_COMPONENT)
    nlp.add_pipe(METRICS_COMPONENT)
    return nlp


__all__ = ["METRICS_COMPONENT", "MetricsComponent", "get_nlp", "register_metrics"]
