"""The text miner's entry point: mine figures from running text (text boxes, notes, prose table cells) with the spaCy pipeline.

Each block's text is normalised and run through `patterns.text_pipeline.get_nlp()` in one `nlp.pipe`. The
pipeline's `deckmine_metrics` component calls `text_candidates(doc)` (`patterns.text_candidates`), which for every quantity
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
  the sentence (`實際進用27名/中央核定30名，進用率90%`) or a staff pair in brackets after it
  (`(核定2督11員，實際進用2督9員)`);
- totals with parts in brackets (`155人(完成處遇82人、…)`) share a `group_id` (`group_role`
  total or part);
- its period: nearest date expression before it in the clause, then in the clause after it, then
  earlier on its line, then earlier in the block, then the context's (a table header's).
`mine_text_blocks` turns candidates into `Metric`s and carries a label-only block into the next
block (`ICF社工人力` / `聘用率100%` split across shapes). For a percentage without counts, two
counts of its block or slide that reproduce it are noted (`attributes.counts_nearby`), never taken
as its numerator and denominator.
One module per job: `text_spans` (clauses, lines, the candidate record), `text_units`,
`text_heads`, `text_labels`, `text_periods`, `text_fractions`, `text_changes`, `text_kinds`,
`text_groups`, `text_candidates` (one Doc), `text_pipeline` (spaCy), `text_job`, `text_metrics`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from deckmine.patterns.metric import Metric
from deckmine.patterns.normalize import normalize_text
from deckmine.patterns.numbers import QUANTITY_START
from deckmine.patterns.text_job import TextJob, in_pieces
from deckmine.patterns.text_kinds import spread_plan_targets
from deckmine.patterns.text_labels import label_from_neighbours, label_only_block
from deckmine.patterns.text_metrics import pair_counts_to_rates, split_range, to_metric
from deckmine.patterns.text_periods import periods_from_header_boxes
from deckmine.patterns.text_pipeline import get_nlp
from deckmine.patterns.text_spans import TextCandidate


def mine_text_blocks(jobs: list[TextJob], report_date: date | None = None) -> list[Metric]:
    """Mine every job in one `nlp.pipe`; returns metrics in job order."""
    if not jobs:
        return []
    nlp = get_nlp()
    jobs = [piece for job in jobs for piece in in_pieces(job)]
    texts = [normalize_text(job.raw_text) for job in jobs]
    metrics: list[Metric] = []
    pending_label: tuple[int, str, Any] | None = None
    periods_from_header_boxes(jobs, texts)
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
                label_from_neighbours(candidate, text, doc, pending_label)
            metric = to_metric(job, text, candidate, order, report_date)
            metrics.extend(split_range(metric, candidate.quantity))
        spread_plan_targets(metrics[len(metrics) - len(candidates) :])
        if job.source == "text":
            pending_label = label_only_block(job, text, doc) if not candidates else None
    pair_counts_to_rates(metrics)
    return metrics


__all__ = ["TextJob", "mine_text_blocks"]
