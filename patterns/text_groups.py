"""Figures that belong together: a total with its parts in brackets, shares listed of one whole."""

from __future__ import annotations

import itertools
from functools import cache

import regex
from deckmine.patterns.nlp import read_tsv
from deckmine.patterns.text_fractions import CLOSING_BRACKET
from deckmine.patterns.text_spans import CLAUSE_BREAKS, TextCandidate, line_start_at

_SLASH = regex.compile(r"[/／]")


_group_counter = itertools.count(1)


def group_totals(candidates: list[TextCandidate], text: str) -> None:
    """`應執行處遇人數155人(完成處遇82人、尚在執行處遇人數50人、暫停處遇23人)`: a total and its parts."""
    for index, total in enumerate(candidates):
        if total.quantity.unit in (None, "%") or text[total.end : total.end + 1] not in "(（":
            continue
        close = CLOSING_BRACKET.search(text[total.end :])
        if not close or _SLASH.search(text[total.end : total.end + close.start()]):
            continue  # a rate with its counts in brackets is a fraction, not a total's parts
        limit = total.end + close.start()
        parts = [c for c in candidates[index + 1 :] if c.end <= limit]
        if len(parts) >= 2 and all(c.quantity.unit == total.quantity.unit for c in parts):
            group = f"g{next(_group_counter)}"
            total.group = (group, "total")
            for part in parts:
                part.group = (group, "part")


LISTED_SHARES_MIN = 3


@cache
def _catch_all_words() -> tuple[str, ...]:
    return tuple(row["word"] for row in read_tsv("table_words.tsv") if row.get("role") == "catch_all")


def group_shares(candidates: list[TextCandidate], text: str) -> None:
    """`通報來源：教育單位34.5%、警政單位27.8%、…、其他22.6%`: three or more unnamed percentages
    listed with `、` after a colon are shares of one whole. With a catch-all last item (`其他`) the
    list is complete (`group_role` share); without one it may leave a category out
    (`share_listed`: the audit checks it only when it adds to 100)."""
    index = 0
    while index < len(candidates):
        first = candidates[index]
        colon = max(text.rfind("：", 0, first.start), text.rfind(":", 0, first.start))
        if first.quantity.unit != "%" or colon < line_start_at(text, first.start) or first.group is not None:
            index += 1
            continue
        run = [first]
        for following in candidates[index + 1 :]:
            between = text[run[-1].end : following.start]
            if following.quantity.unit != "%" or "、" not in between or any(ch in between for ch in CLAUSE_BREAKS):
                break
            run.append(following)
        if len(run) >= LISTED_SHARES_MIN and all(c.indicator is None and c.group is None for c in run):
            last_label = text[text.rfind("、", 0, run[-1].start) + 1 : run[-1].start]
            role = "share" if any(word in last_label for word in _catch_all_words()) else "share_listed"
            group = f"g{next(_group_counter)}"
            for member in run:
                member.group = (group, role)
        index += len(run)
