"""Is a figure an actual, a target or a forecast, and was its target met?

Rules (the gold guide's, `tests/gold/README.md`), applied with cue words found by the spaCy
gazetteer component (CUE matches of `patterns.nlp`; words and their roles come from `qualifiers.tsv` and `cues.tsv`):
1. `target` when a target cue (`目標`, `目標值`, `目標為`, `設定值`) stands before the figure in the same
   clause and no results cue (`已達`, `達成`, `共計`…) follows that cue;
2. `target` when the figure carries `至少`/`以上` (comparator `>=`) in a plan: its period ends after
   the report date or its clause says `全年` (cues.tsv role `plan_scope`), and no results cue in
   its clause; later figures of the same sentence follow it (`至少40案，共計90案次`);
3. `forecast` when a forecast cue (`預計`, `預估`, `規劃`, `預定`) stands before the figure in its
   clause, or earlier in its sentence in a clause that itself holds a figure (a list of planned
   figures); in that second case a figure with `至少`/`以上` is a target;
4. `actual` otherwise, figures marked `達標` included.
`target_met` is True/False when `達標`/`未達標` (cues.tsv roles `met`/`missed`) follows the figure on
its line before any other figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from deckmine.patterns.data_tables import column, read_table
from deckmine.patterns.gazetteer import qualifiers

TARGET, FORECAST, ACTUAL = "target", "forecast", "actual"


@dataclass(frozen=True)
class Cue:
    """A cue word found in text: `role` is target|forecast|actual|met|missed."""

    start: int
    end: int
    word: str
    role: str


@cache
def cue_roles() -> dict[str, str]:
    """Cue word -> role, from qualifiers.tsv (kind column) and cues.tsv."""
    roles: dict[str, str] = {}
    for qualifier in qualifiers():
        if qualifier.kind:
            roles[qualifier.word] = qualifier.kind
    for row in read_table("cues.tsv"):
        role = row.get("role", "")
        if role == "result":
            roles[row["word"]] = ACTUAL
        elif role == TARGET:
            roles[row["word"]] = TARGET
        elif role in ("met", "missed", "plan_scope"):
            roles[row["word"]] = role
    for word, role in list(roles.items()):
        if role == ACTUAL and word in column("text_words.tsv", "word", role="met_actual"):
            roles[word] = "met"
    return roles


def kind_of_label(text: str) -> str:
    """The kind a label or category announces on its own: `112年(預估)` -> forecast."""
    roles = cue_roles()
    found = [(text.rfind(word), len(word), role) for word, role in roles.items() if word in text]
    found = [item for item in found if item[2] in (TARGET, FORECAST)]
    if not found:
        return ACTUAL
    return max(found)[2]


@dataclass(frozen=True)
class KindContext:
    """Where a figure stands: offsets of its clause and sentence in the text searched, and the
    start of every figure of that text (a forecast cue governs later clauses only when its own
    clause holds a figure: `115年預計服務60案，服務300人`)."""

    start: int
    end: int
    clause_start: int
    sentence_start: int
    line_end: int
    next_figure_start: int
    figure_starts: tuple[int, ...] = ()
    clause_ends: tuple[int, ...] = ()


def classify(
    cues: list[Cue],
    where: KindContext,
    comparator: str | None,
    in_plan_period: bool,
) -> tuple[str, bool | None, str]:
    """(kind, target_met, why) of one figure (rules in the module docstring)."""
    before_sentence = [cue for cue in cues if where.sentence_start <= cue.start and cue.end <= where.start]
    before_clause = [cue for cue in before_sentence if cue.start >= where.clause_start]
    kind, why = _kind_in_clause(before_clause, cues) or _kind_in_sentence(
        before_sentence, before_clause, where, comparator, in_plan_period)
    return kind, _target_met(cues, where), why


def _kind_in_clause(before_clause: list[Cue], cues: list[Cue]) -> tuple[str, str] | None:
    """Rules 1 and 3 within the clause: a target cue not reached, a forecast cue."""
    last_in_clause = _last_with_role(before_clause, (TARGET, ACTUAL, "met"))
    if last_in_clause is not None and last_in_clause.role == TARGET and not _reached(last_in_clause, cues):
        return TARGET, "target cue"
    if any(cue.role == FORECAST for cue in before_clause):
        return FORECAST, "forecast cue"
    return None


def _kind_in_sentence(before_sentence: list[Cue], before_clause: list[Cue], where: KindContext,
                      comparator: str | None, in_plan_period: bool) -> tuple[str, str]:
    """Rules 2, 3 (a forecast over a list of figures) and 4, for a clause without a result cue."""
    clause_has_result = any(cue.role in (ACTUAL, "met") for cue in before_clause)
    spreading = [cue for cue in before_sentence if cue.role == FORECAST and _clause_has_figure(cue, where)]
    if spreading and not clause_has_result:
        return (TARGET, "at least in plan") if comparator == ">=" else (FORECAST, "forecast sentence")
    plan_scope = any(cue.role == "plan_scope" for cue in before_clause)
    if comparator == ">=" and not clause_has_result and (in_plan_period or plan_scope):
        return TARGET, "at least in plan"
    return ACTUAL, "default"


def _reached(target_cue: Cue, cues: list[Cue]) -> bool:
    """`已達目標值114%`: a target word right after a results word is part of the result."""
    return any(cue.end == target_cue.start and cue.role in (ACTUAL, "met") for cue in cues)


def _clause_has_figure(cue: Cue, where: KindContext) -> bool:
    clause_end = min((end for end in where.clause_ends if end >= cue.end), default=where.start)
    return any(cue.end <= start < clause_end for start in where.figure_starts)


def _last_with_role(cues: list[Cue], roles: tuple[str, ...]) -> Cue | None:
    chosen = [cue for cue in cues if cue.role in roles]
    return max(chosen, key=lambda cue: cue.start) if chosen else None


def _target_met(cues: list[Cue], where: KindContext) -> bool | None:
    limit = min(where.line_end, where.next_figure_start)
    for cue in sorted(cues, key=lambda c: c.start):
        if where.end <= cue.start and cue.end <= limit:
            if cue.role == "met":
                return True
            if cue.role == "missed":
                return False
    return None


__all__ = ["Cue", "KindContext", "classify", "cue_roles", "kind_of_label"]
