"""Clean the label of a mined figure: the name an analyst reads (`心衛社工進用率`, `到宅服務`).

Labels are cut from the text before a figure, so they pick up residue the name does not hold:
- bullets, brackets and spaces at the edges (`• 服務人次：`);
- words that lead up to the number at the end (`宣傳至少` -> `宣傳`, `執行率達` -> `執行率`, `共`
  alone names nothing): cues.tsv role `label_tail` plus every `before` comparator of
  qualifiers.tsv (`逾`, `近`, `不得低於`…);
- the tail of a date or an adverb at the start (`年宣傳` -> `宣傳`, `再增聘` -> `增聘`): cues.tsv
  role `label_lead`, except where the name itself starts that way (role `label_keep`:
  `再開案率`, `年長者`) or with an indicator head.
`label_start(text, start)` moves the start of a label cut from `text` back over a number that is
part of the name: an age or a time span followed by more words (`3歲以下兒少…`, `24小時內派案率`).
"""

from __future__ import annotations

from functools import cache

import regex
from deckmine.patterns.data_tables import column
from deckmine.patterns.gazetteer import cue_words, indicator_heads, qualifiers, unit_words

_EDGE_JUNK = regex.compile(r"^[\s\-•●◆❖▪■□◎○*>·、,，:：;；/)）\]】]+|[\s\-•●◆❖▪■□◎○*>·、,，:：;；(（\[【]+$")
_MODIFIER_CATEGORIES = ("age", "time")
_SPACES = regex.compile(r"\s+")
_DATE_WORDS = column("date_words.tsv", "word", role="date_unit")  # a year right before a name dates it, it is not part of it


@cache
def _tail_words() -> tuple[str, ...]:
    words = set(cue_words("label_tail"))
    words |= {q.word for q in qualifiers() if q.position == "before" and not q.word.isascii()}
    return tuple(sorted(words, key=len, reverse=True))


@cache
def _protected_starts() -> tuple[str, ...]:
    return tuple(cue_words("label_keep")) + tuple(head.word for head in indicator_heads())


def clean_label(text: str) -> str:
    """The label without edge junk, spaces, trailing lead-up words and leading residue ('' when
    nothing is left)."""
    label = _SPACES.sub("", text)
    previous = None
    while label != previous:
        previous = label
        label = _EDGE_JUNK.sub("", label)
        for word in _tail_words():
            if label.endswith(word):
                label = label[: -len(word)]
                break
        if not label.startswith(_protected_starts()):
            for word in cue_words("label_lead"):
                if label.startswith(word) and len(label) > len(word):
                    label = label[len(word) :]
                    break
    return label


_NUMBER_AT_END = regex.compile(r"\d+(?:\.\d+)?\s*$")


@cache
def _modifier_pattern() -> regex.Pattern[str]:
    words = [w for w, unit in unit_words().items()
             if unit.category in _MODIFIER_CATEGORIES and w not in _DATE_WORDS]
    alternation = "|".join(regex.escape(word) for word in sorted(words, key=len, reverse=True))
    return regex.compile(rf"(?:{alternation})\p{{Han}}")


def label_start(text: str, start: int) -> int:
    """`start`, or earlier when a number right before it belongs to the name: `3歲以下兒少`,
    `24小時內派案率`, `6個月內結案`."""
    match = _NUMBER_AT_END.search(text, 0, start)
    if match and _modifier_pattern().match(text, start):
        return match.start()
    return start


__all__ = ["clean_label", "label_start"]
