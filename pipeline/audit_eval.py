"""Score the audit's findings on one deck against its hand-checked audit gold
(`tests/gold/audit/<deck>.csv`, columns `page,expect,value_text,label,note`).

- A gold row whose `expect` is an alarm (`mismatch`, `reversed`, `sum_mismatch`,
  `target_missed`) is **found** when a finding on the same page has that status and is about the
  printed figure `value_text` (its reported value, or the figure in its expression); it is
  **found with another status** when an alarm of another kind is about it, else **missed**.
- An alarm finding that is about no alarm gold row is a **false alarm** (a second alarm about a
  listed inconsistency, say its row total and its column total, is not); one about a gold row
  marked `consistent` is a false alarm on a figure the gold calls consistent.
Rows with an optional `source` of `chart` or `notes` only count for a PPTX, as in the figure gold.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

ALARMS = ("mismatch", "reversed", "sum_mismatch", "target_missed")
PPTX_ONLY = ("chart", "notes")  # a PDF export carries neither chart data nor speaker notes
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


@dataclass
class AuditGoldRow:
    page: int
    expect: str
    value_text: str
    label: str
    note: str
    line: int
    source: str = "text"  # `chart` rows only count for a deck format that carries chart data

    @property
    def value(self) -> Fraction | None:
        return _as_fraction(self.value_text)


@dataclass
class AuditScore:
    found: list[tuple[AuditGoldRow, Mapping[str, Any]]] = field(default_factory=list)
    other_status: list[tuple[AuditGoldRow, Mapping[str, Any]]] = field(default_factory=list)
    missed: list[AuditGoldRow] = field(default_factory=list)
    false_alarms: list[Mapping[str, Any]] = field(default_factory=list)
    on_consistent: list[tuple[AuditGoldRow, Mapping[str, Any]]] = field(default_factory=list)

    @property
    def planted(self) -> int:
        return len(self.found) + len(self.other_status) + len(self.missed)

    def format(self, details: bool = True) -> str:
        lines = [
            f"inconsistencies found {len(self.found)} of {self.planted}"
            f" (another alarm status: {len(self.other_status)}, missed: {len(self.missed)});"
            f" false alarms {len(self.false_alarms)} (on figures the gold calls consistent: {len(self.on_consistent)})"
        ]
        if details:
            lines += [f"missed       p{row.page} {row.expect} {row.value_text} {row.label} | {row.note}" for row in self.missed]
            lines += [f"other status p{row.page} {row.expect} {row.value_text}: {f.get('status')} {f.get('message')}"
                      for row, f in self.other_status]
            lines += [f"false alarm  p{f.get('page')} {f.get('status')}: {f.get('message')}" for f in self.false_alarms]
        return "\n".join(lines)


def load_audit_gold(path: str | Path) -> list[AuditGoldRow]:
    with Path(path).open(encoding="utf-8-sig", newline="") as handle:
        return [
            AuditGoldRow(int(record["page"]), record["expect"].strip(), (record.get("value_text") or "").strip(),
                         (record.get("label") or "").strip(), (record.get("note") or "").strip(), line,
                         (record.get("source") or "").strip() or "text")
            for line, record in enumerate(csv.DictReader(handle), start=2)
            if (record.get("page") or "").strip()
        ]


def score_audit(gold: Sequence[AuditGoldRow], findings: Sequence[Mapping[str, Any]],
                file_type: str = "pptx") -> AuditScore:
    """Match alarm findings to the gold rows they are about (rules in the module docstring)."""
    score = AuditScore()
    if file_type == "pdf":
        gold = [row for row in gold if row.source not in PPTX_ONLY]
    alarms = [f for f in findings if f.get("status") in ALARMS]
    problems = [r for r in gold if r.expect in ALARMS]
    used = _match_problems(score, problems, alarms)
    _false_alarms(score, [r for r in gold if r.expect not in ALARMS], problems, alarms, used)
    return score


def _match_problems(score: AuditScore, problems: Sequence[AuditGoldRow],
                    alarms: Sequence[Mapping[str, Any]]) -> set[int]:
    """Each alarm gold row takes the first unused alarm about it, one of its status first; the
    indexes of the alarms taken."""
    used: set[int] = set()
    for row in problems:
        about = [i for i, f in enumerate(alarms) if i not in used and _is_about(row, f)]
        same = [i for i in about if alarms[i].get("status") == row.expect]
        if same:
            used.add(same[0])
            score.found.append((row, alarms[same[0]]))
        elif about:
            used.add(about[0])
            score.other_status.append((row, alarms[about[0]]))
        else:
            score.missed.append(row)
    return used


def _false_alarms(score: AuditScore, consistent: Sequence[AuditGoldRow], problems: Sequence[AuditGoldRow],
                  alarms: Sequence[Mapping[str, Any]], used: set[int]) -> None:
    for index, finding in enumerate(alarms):
        if index in used or any(_is_about(row, finding) for row in problems):
            continue  # a second alarm about a listed inconsistency (its row and its column) is no false one
        score.false_alarms.append(finding)
        hit = next((row for row in consistent if _is_about(row, finding)), None)
        if hit is not None:
            score.on_consistent.append((hit, finding))


def _is_about(row: AuditGoldRow, finding: Mapping[str, Any]) -> bool:
    if int(finding.get("page") or 0) != row.page or row.value is None:
        return False
    reported = finding.get("reported")
    if reported is not None and abs(float(reported) - float(row.value)) < 1e-9:
        return True
    text = f"{finding.get('expression') or ''} {finding.get('message') or ''}"
    return any(_as_fraction(number) == row.value for number in _NUMBER.findall(text.split(":")[0]))


def _as_fraction(text: str) -> Fraction | None:
    import unicodedata

    compact = unicodedata.normalize("NFKC", text).replace(",", "").strip().rstrip("%")
    try:
        return Fraction(compact)
    except (ValueError, ZeroDivisionError):
        return None


__all__ = ["ALARMS", "AuditGoldRow", "AuditScore", "load_audit_gold", "score_audit"]
