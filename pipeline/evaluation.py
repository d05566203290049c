"""`deckmine eval`: one file mined and audited, scored against its figure gold and audit gold.

`evaluate_file(path, gold=…, audit_gold=…)` extracts and mines the file once, scores the figures
with `patterns.evaluate.evaluate` and the per-document audit's findings with
`pipeline.audit_eval.score_audit`, and returns both in a `FileScore`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from deckmine.pipeline.audit_eval import AuditScore, load_audit_gold, score_audit


@dataclass
class FileScore:
    figures: Any | None  # patterns.evaluate.EvalReport
    audit: AuditScore | None

    def format(self, details: bool = False) -> str:
        parts = []
        if self.figures is not None:
            parts.append(self.figures.format(details=details))
        if self.audit is not None:
            parts.append("audit: " + self.audit.format(details=details))
        return "\n".join(parts)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.figures is not None:
            out["figures"] = self.figures.as_dict()
        if self.audit is not None:
            out["audit"] = {
                "planted": self.audit.planted, "found": len(self.audit.found),
                "other_status": len(self.audit.other_status), "missed": len(self.audit.missed),
                "false_alarms": len(self.audit.false_alarms),
                "missed_rows": [{"page": r.page, "expect": r.expect, "value_text": r.value_text, "label": r.label}
                                for r in self.audit.missed],
                "false_alarm_messages": [f.get("message") for f in self.audit.false_alarms],
            }
        return out


def evaluate_file(path: Path, gold: Path | None = None, audit_gold: Path | None = None) -> FileScore:
    """Mine and audit `path` once; score against `gold` (figures) and/or `audit_gold`.
    Raises `ExtractionError` for a file that cannot be read."""
    from deckmine.extractors import extract
    from deckmine.patterns.evaluate import evaluate, load_gold
    from deckmine.patterns.mine import mine_document
    from deckmine.pipeline.audit import check_document

    document = extract(path)
    mined = mine_document(document)
    figures = evaluate(load_gold(gold), mined.metrics, document.file_type) if gold else None
    audit = None
    if audit_gold:
        findings = check_document(mined.metric_rows(document.sha256), document.sha256)
        audit = score_audit(load_audit_gold(audit_gold), findings, document.file_type)
    return FileScore(figures, audit)


__all__ = ["FileScore", "evaluate_file"]
