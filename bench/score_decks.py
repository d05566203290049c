"""Score the miner and the audit on corpus decks against their gold sets, in one table.

`python bench/score_decks.py NAME...` prints, per deck and file type: rates and counts precision /
recall, linkage accuracy and the audit's found / missed / false alarms. With `--code DIR` the
miner and audit of another checkout are measured (the first run of a blind deck on the code as it
stood before any fix); the scoring itself always comes from this checkout.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _load(name: str, path: Path):  # noqa: ANN202
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules[name] = module
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="+")
    parser.add_argument("--code", type=Path, default=ROOT, help="checkout whose miner and audit are measured")
    parser.add_argument("--details", action="store_true")
    args = parser.parse_args(argv)
    # The measured checkout goes first on the path before anything of deckmine is imported, so
    # that every package (extractors, patterns, pipeline) comes from it; the scorers are loaded
    # from this checkout's files under names of their own.
    sys.path.insert(0, str(args.code.resolve()))
    for name in [m for m in sys.modules if m.split(".")[0] in ("deckmine", "extractors", "patterns", "pipeline", "warehouse")]:
        del sys.modules[name]
    scorer_eval = _load("_score_eval", ROOT / "patterns" / "evaluate.py")
    scorer_audit = _load("_score_audit", ROOT / "pipeline" / "audit_eval.py")
    from deckmine.extractors import extract
    from deckmine.patterns.mine import mine_document
    from deckmine.pipeline.audit import check_document

    for name in args.names:
        gold = scorer_eval.load_gold(ROOT / "tests" / "gold" / f"{name}.csv")
        audit_path = ROOT / "tests" / "gold" / "audit" / f"{name}.csv"
        audit_gold = scorer_audit.load_audit_gold(audit_path) if audit_path.exists() else []
        for suffix in ("pdf", "pptx"):
            path = ROOT / "corpus" / "decks" / f"{name}.{suffix}"
            mined = mine_document(extract(path))
            report = scorer_eval.evaluate(gold, mined.metrics, suffix)
            findings = check_document(mined.metric_rows("x" * 64), "x" * 64)
            audit = scorer_audit.score_audit(audit_gold, findings, suffix)
            p, c = report.groups["percent"], report.groups["count"]
            links = " ".join(f"{field} {report.link_accuracy(field):.2f}" for field in ("county", "strategy", "year", "kind"))
            print(f"{name}.{suffix}: rates P {p.precision:.2f} R {p.recall:.2f} ({p.gold}); "
                  f"counts P {c.precision:.2f} R {c.recall:.2f} ({c.gold}); {links}; "
                  f"audit found {len(audit.found)}/{audit.planted}, false alarms {len(audit.false_alarms)}")
            if args.details:
                print(report.format(details=True, limit=200))
                print(audit.format(details=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
