"""Score mined metrics against a hand-checked gold set (`tests/gold/<deck>.csv`).

Scope follows `tests/gold/README.md`: every percentage (unit `%`) and every named count whose unit
is one of `COUNT_UNITS` (staff counts `3督14員` have unit `員`). Gold rows whose source is `chart`
or `notes` count for every format but a PDF (`.pptx`, `.odp`, `.ppt`: a PDF carries neither); mined rows outside the scope are
ignored, so extra out-of-scope figures cost nothing.

How a match is decided:
1. A gold row and a mined metric can match only when they are on the same page, have the same unit
   and their values differ by less than 1e-6.
2. Matching is one-to-one. All candidate pairs are scored by how alike they look (same indicator
   head, shared characters of label and snippet, same source, same value_text) and taken greedily,
   best score first, each gold row and each metric used at most once. Ties keep document order:
   the n-th of several gold rows with the same page, unit and value gets a small bonus with the
   n-th such figure, so figures that look alike are paired in order.
3. Precision = matched / mined in scope, recall = matched / gold in scope, per group (`percent`,
   `count`). Linkage accuracy (county, strategy, year, kind) is the share of matched pairs whose
   field agrees; an empty gold strategy agrees only with a metric without strategy.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deckmine.patterns.data_tables import column
from deckmine.patterns.metric import Metric

# The gold scope (`patterns/data/gold_units.tsv`): units of the percentages and of the counts.
COUNT_UNITS = frozenset(column("gold_units.tsv", "unit", group="count"))
PERCENT_UNIT = column("gold_units.tsv", "unit", group="percent")[0]
LINK_FIELDS = ("county", "strategy", "year", "kind")
VALUE_TOLERANCE = 1e-6
ORDER_BONUS = 0.01  # among look-alikes (same page, unit and value), the n-th gold row goes with the n-th figure


@dataclass
class GoldRow:
    page: int
    source: str
    indicator: str | None
    label: str | None
    value: float
    value_text: str
    unit: str
    kind: str
    comparator: str | None
    county: str | None
    strategy: int | None
    year: int | None
    snippet: str
    line: int  # line in the CSV file, for messages


@dataclass
class GroupScore:
    gold: int = 0
    mined: int = 0
    matched: int = 0

    @property
    def precision(self) -> float:
        return self.matched / self.mined if self.mined else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0


@dataclass
class EvalReport:
    file_type: str
    groups: dict[str, GroupScore]
    link_correct: dict[str, int]
    link_total: int
    missed: list[GoldRow] = field(default_factory=list)
    spurious: list[Metric] = field(default_factory=list)
    link_errors: list[tuple[str, GoldRow, Metric]] = field(default_factory=list)

    def link_accuracy(self, name: str) -> float:
        return self.link_correct.get(name, 0) / self.link_total if self.link_total else 1.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "file_type": self.file_type,
            "groups": {
                name: {
                    "gold": score.gold,
                    "mined": score.mined,
                    "matched": score.matched,
                    "precision": round(score.precision, 4),
                    "recall": round(score.recall, 4),
                }
                for name, score in self.groups.items()
            },
            "linkage": {name: round(self.link_accuracy(name), 4) for name in LINK_FIELDS},
            "matched": self.link_total,
            "missed": [_gold_brief(row) for row in self.missed],
            "spurious": [_metric_brief(metric) for metric in self.spurious],
            "link_errors": [
                {"field": name, "gold": _gold_brief(row), "mined": _metric_brief(metric)}
                for name, row, metric in self.link_errors
            ],
        }

    def format(self, details: bool = True, limit: int = 30) -> str:
        lines = [f"file type: {self.file_type}"]
        for name, score in self.groups.items():
            lines.append(
                f"{name:<8} precision {score.precision:.3f}  recall {score.recall:.3f}  "
                f"(gold {score.gold}, mined {score.mined}, matched {score.matched})"
            )
        linkage = "  ".join(f"{name} {self.link_accuracy(name):.3f}" for name in LINK_FIELDS)
        lines.append(f"linkage over {self.link_total} matched: {linkage}")
        if details:
            lines += [f"missed  p{r.page} {r.value_text}{r.unit} {r.indicator or ''} | {r.snippet}"
                      for r in self.missed[:limit]]
            lines += [f"extra   p{m.page} {m.value_text}{m.unit} {m.indicator or ''} | {m.snippet}"
                      for m in self.spurious[:limit]]
            lines += [
                f"{name:<8} p{r.page} {r.value_text}{r.unit}: gold {getattr(r, name)!r} "
                f"mined {getattr(m, name)!r} | {r.snippet}"
                for name, r, m in self.link_errors[:limit]
            ]
        return "\n".join(lines)


def load_gold(path: str | Path) -> list[GoldRow]:
    """Read a gold CSV (columns as in `tests/gold/README.md`)."""
    rows: list[GoldRow] = []
    with Path(path).open(encoding="utf-8-sig", newline="") as handle:
        for line, record in enumerate(csv.DictReader(handle), start=2):
            if not (record.get("page") or "").strip():
                continue
            rows.append(
                GoldRow(
                    page=int(record["page"]),
                    source=(record.get("source") or "text").strip(),
                    indicator=_blank_to_none(record.get("indicator")),
                    label=_blank_to_none(record.get("label")),
                    value=float(record["value"]),
                    value_text=(record.get("value_text") or record["value"]).strip(),
                    unit=(record.get("unit") or "").strip(),
                    kind=(record.get("kind") or "actual").strip(),
                    comparator=_blank_to_none(record.get("comparator")),
                    county=_blank_to_none(record.get("county")),
                    strategy=_int_or_none(record.get("strategy")),
                    year=_int_or_none(record.get("year")),
                    snippet=(record.get("snippet") or "").strip(),
                    line=line,
                )
            )
    return rows


def scope_group(unit: str | None) -> str | None:
    """'percent', 'count' or None when a figure with this unit is outside the gold scope."""
    if unit == PERCENT_UNIT:
        return "percent"
    if unit in COUNT_UNITS:
        return "count"
    return None


def evaluate(gold_rows: list[GoldRow], metrics: list[Metric], file_type: str) -> EvalReport:
    """Match `metrics` to `gold_rows` (rules in the module docstring) and score them."""
    gold = [row for row in gold_rows if _in_scope(row.unit, row.source, file_type)]
    mined = [metric for metric in metrics if _in_scope(metric.unit, metric.source, file_type)]
    pairs = _match(gold, mined)
    groups = {"percent": GroupScore(), "count": GroupScore()}
    for row in gold:
        groups[scope_group(row.unit) or "count"].gold += 1
    for metric in mined:
        groups[scope_group(metric.unit) or "count"].mined += 1
    for gold_index, _ in pairs:
        groups[scope_group(gold[gold_index].unit) or "count"].matched += 1
    link_correct, link_errors = _linkage([(gold[g], mined[m]) for g, m in pairs])
    matched_gold = {g for g, _ in pairs}
    matched_metrics = {m for _, m in pairs}
    return EvalReport(
        file_type=file_type,
        groups=groups,
        link_correct=link_correct,
        link_total=len(pairs),
        missed=[row for i, row in enumerate(gold) if i not in matched_gold],
        spurious=[metric for i, metric in enumerate(mined) if i not in matched_metrics],
        link_errors=link_errors,
    )


_PPTX_ONLY_SOURCES = frozenset({"chart", "notes"})  # a PDF carries neither


def _in_scope(unit: str | None, source: str, file_type: str) -> bool:
    return bool(scope_group(unit)) and (file_type != "pdf" or source not in _PPTX_ONLY_SOURCES)


def _linkage(pairs: list[tuple[GoldRow, Metric]]) -> tuple[dict[str, int], list[tuple[str, GoldRow, Metric]]]:
    """Per link field, how many matched pairs agree; and the pairs that do not, field by field."""
    link_correct = dict.fromkeys(LINK_FIELDS, 0)
    link_errors: list[tuple[str, GoldRow, Metric]] = []
    for row, metric in pairs:
        for name in LINK_FIELDS:
            if getattr(row, name) == getattr(metric, name):
                link_correct[name] += 1
            else:
                link_errors.append((name, row, metric))
    return link_correct, link_errors


def _match(gold: list[GoldRow], mined: list[Metric]) -> list[tuple[int, int]]:
    by_key: dict[tuple[int, str], list[int]] = {}
    for index, metric in enumerate(mined):
        by_key.setdefault((metric.page, metric.unit or ""), []).append(index)
    gold_rank = _rank_among_equals([(row.page, row.unit, row.value) for row in gold])
    mined_rank = _rank_among_equals([(m.page, m.unit or "", m.value) for m in mined])
    candidates: list[tuple[float, int, int]] = []
    for gold_index, row in enumerate(gold):
        for metric_index in by_key.get((row.page, row.unit), []):
            metric = mined[metric_index]
            if abs(metric.value - row.value) < VALUE_TOLERANCE:
                same_rank = gold_rank[gold_index] == mined_rank[metric_index]
                score = _likeness(row, metric) + (ORDER_BONUS if same_rank else 0.0)
                candidates.append((score, gold_index, metric_index))
    candidates.sort(key=lambda item: (-item[0], item[1], item[2]))
    used_gold: set[int] = set()
    used_metrics: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, gold_index, metric_index in candidates:
        if gold_index in used_gold or metric_index in used_metrics:
            continue
        used_gold.add(gold_index)
        used_metrics.add(metric_index)
        pairs.append((gold_index, metric_index))
    return sorted(pairs)


def _rank_among_equals(keys: list[tuple[int, str, float]]) -> list[int]:
    """For each item, how many earlier items share its page, unit and value (0 for the first)."""
    seen: dict[tuple[int, str, float], int] = {}
    ranks: list[int] = []
    for key in keys:
        ranks.append(seen.get(key, 0))
        seen[key] = ranks[-1] + 1
    return ranks


def _likeness(row: GoldRow, metric: Metric) -> float:
    score = 0.0
    if row.indicator and row.indicator == metric.indicator:
        score += 2.0
    if row.source == metric.source:
        score += 1.0
    if row.value_text == metric.value_text:
        score += 0.5
    score += _overlap(row.label, metric.label)
    score += _overlap(row.snippet, metric.snippet)
    return score


def _overlap(left: str | None, right: str | None) -> float:
    if not left or not right:
        return 0.0
    left_chars, right_chars = set(left), set(right)
    return len(left_chars & right_chars) / len(left_chars | right_chars)


def _gold_brief(row: GoldRow) -> dict[str, Any]:
    return {"page": row.page, "value_text": row.value_text, "unit": row.unit,
            "indicator": row.indicator, "snippet": row.snippet, "csv_line": row.line}


def _metric_brief(metric: Metric) -> dict[str, Any]:
    return {"page": metric.page, "value_text": metric.value_text, "unit": metric.unit,
            "indicator": metric.indicator, "snippet": metric.snippet, "source": metric.source}


def _blank_to_none(text: str | None) -> str | None:
    text = (text or "").strip()
    return text or None


def _int_or_none(text: str | None) -> int | None:
    text = (text or "").strip()
    return int(float(text)) if text else None


__all__ = ["COUNT_UNITS", "EvalReport", "GoldRow", "GroupScore", "evaluate", "load_gold", "scope_group"]
