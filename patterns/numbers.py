"""Numbers in briefing text: parse them and find every quantity with its unit.

- `parse_number(text)`: `55,269`, `９１.８０`, `62. 5`, `3萬3,108` (33108), `百分之九十八` (98),
  `八成` (80), `七成五` (75), `兩百` (200), `一萬零二十` (10020), `十二`, `三`; None if not a number.
  `find_quantities` also reads `9成` (a digit and 成) as 90%.
- `find_quantities(text)`: every number in `text` with its unit (`%`, `pp` for `個百分點`, unit
  words from `data/units.tsv`), comparator (`至少`/`以上` '>=', `以下` '<=', `低於`/`未滿` '<',
  `逾`/`超過` '>', `近`/`約` '~', from `data/qualifiers.tsv`), ranges (`3-6個月`, `2~4名`) and
  staff counts (`3督14員`), paired counts (`(核定/實際)：38/35人`: 38 人 named 核定, 35 人 named 實際).
  Dates and years (`112年`, `4月19日`, `第1季`), ordinals (`第1處`,
  list numbers `1.`, `(1)`, `01`), numbers inside names (`3+1`, `SNQ24`) and the base of a rate
  (`每十萬人口`, cues.tsv role `rate_base`) are not quantities.
- `find_fractions(text)`: re-exported from `patterns/fractions.py`.

Offsets (`start`/`end`) index the caller's string; matching runs on `normalize_text` output.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import regex
from deckmine.patterns.data_tables import column, table_cache
from deckmine.patterns.dates import find_periods
from deckmine.patterns.fractions import Fraction, FractionSide, find_fractions
from deckmine.patterns.gazetteer import cue_words, qualifiers, unit_alternation, unit_words
from deckmine.patterns.normalize import normalize_text, normalize_with_offsets, original_span
from deckmine.patterns.numerals import (
    ARABIC,
    cn_chars,
    cn_number_pattern,
    cn_numerals,
    multiplier_class,
    multipliers,
    parse_arabic_with_multipliers,
    parse_cheng,
    parse_cn_number,
)
from deckmine.patterns.table_words import staff_marks

_ARABIC = ARABIC
# 3萬3,108 and 3萬 are one number; 30萬元 is 30 of the unit 萬元.
_NUMBER = rf"{_ARABIC}(?:{multiplier_class()}(?![元])(?:{_ARABIC})?){{0,2}}"
_CN_CHARS = cn_chars()
PER_MILLE = "‰"
_CN_NUMBER = cn_number_pattern()
_LEADING_ZERO = regex.compile(r"0\d")
_LIST_MARKER_BEFORE = regex.compile(r"(?:^|\n)[ \t\-•●◆❖▪■□◎○*>]*\Z")
_SPACES = regex.compile(r"\s+")


@table_cache
def _word_class(role: str) -> str:
    """The one-character words of `number_words.tsv` with this role, escaped for `[...]`."""
    return regex.escape("".join(column("number_words.tsv", "word", role=role)))


@table_cache
def _ordinal_before() -> regex.Pattern[str]:
    """`第`, `策略`, `編號`, `No.` right before a number: an ordinal (`number_words.tsv`)."""
    words = sorted(column("number_words.tsv", "word", role="ordinal_lead"), key=len, reverse=True)
    return regex.compile(rf"(?:{'|'.join(regex.escape(word) for word in words)})\s*\Z")


@dataclass(frozen=True)
class Quantity:
    """A number found in text.

    `value` is the number (for a range: `range_high`; for staff `3督14員`: supervisors + workers);
    `value_text` is the number as written with ASCII digits (`91.80`, `55,269`, `3萬3,108`, `3-6`,
    `3督14員`, `百分之九十八`, `八成`). `unit` is the normalised unit (`%`, `pp`, `人次`, `員` for
    staff…) or None for a bare number; `unit_text` is the unit as written; `category` is the
    unit's category from `units.tsv` (percent|pp|count|money|time|staff|age|ratio) or None.
    `start`/`end` span the number, its unit and a following comparator (`以上`) in the original
    string; `text` is that slice. A comparator written before the number (`至少`) is in
    `comparator` but not in the span."""

    value: float
    value_text: str
    unit: str | None
    unit_text: str | None
    category: str | None
    comparator: str | None
    start: int
    end: int
    text: str
    range_low: float | None = None
    range_high: float | None = None
    supervisors: int | None = None
    workers: int | None = None
    name: str | None = None  # from a paired form: `(核定/實際)：38/35人` -> 核定 for 38, 實際 for 35


# --- parsing ---------------------------------------------------------------------------------


@table_cache
def _cheng_pattern() -> regex.Pattern[str]:
    tens, ones = _cheng_digits()
    return regex.compile(rf"(?P<tens>[{tens}])成(?P<ones>[{ones}])?")


@table_cache
def _cheng_digits() -> tuple[str, str]:
    """(tens, ones) characters of `八成`, `七成五`: the digits 1-9, and 十 for tens."""
    ones = "".join(char for char, (value, role) in cn_numerals().items() if role == "digit" and value)
    return regex.escape(ones + "".join(c for c, (v, _) in cn_numerals().items() if v == 10)), regex.escape(ones)


_FULL_NUMBER = regex.compile(rf"{_NUMBER}")


def parse_number(text: str) -> float | None:
    """The value of a number written alone (see module doc); a trailing `%` is allowed.
    None if `text` is not exactly one number."""
    compact = _SPACES.sub("", normalize_text(text)).removesuffix("%")
    if not compact:
        return None
    if compact.startswith("百分之"):
        return parse_number(compact[3:])
    if _FULL_NUMBER.fullmatch(compact):
        return parse_arabic_with_multipliers(compact)
    cheng = _cheng_pattern().fullmatch(compact)
    if cheng:
        return parse_cheng(cheng["tens"], cheng["ones"])
    return parse_cn_number(compact)


# --- finding quantities ----------------------------------------------------------------------


@table_cache
def _comparators() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(before, between, after) comparator words -> comparator."""
    by_position: dict[str, dict[str, str]] = {"before": {}, "between": {}, "after": {}}
    for qualifier in qualifiers():
        if qualifier.comparator and qualifier.position in by_position:
            by_position[qualifier.position][qualifier.word] = qualifier.comparator
    return by_position["before"], by_position["between"], by_position["after"]


@table_cache
def _prefix_pattern() -> regex.Pattern[str]:
    """Matches a `before` comparator at the end of the text preceding a number."""
    alternatives = []
    for qualifier in qualifiers():
        if qualifier.position != "before" or not qualifier.comparator:
            continue
        guard = f"(?<![{regex.escape(qualifier.not_after)}])" if qualifier.not_after else ""
        gap = rf"\p{{Han}}{{0,{qualifier.window}}}?" if qualifier.window else ""
        alternatives.append(rf"{guard}(?P<w{len(alternatives)}>{regex.escape(qualifier.word)}){gap}")
    return regex.compile(rf"(?:{'|'.join(alternatives)})[ ]?\Z")


@table_cache
def _quantity_pattern() -> regex.Pattern[str]:
    before, between, after = _comparators()
    units = unit_alternation()
    between_words = "|".join(regex.escape(word) for word in sorted(between, key=len, reverse=True))
    after_words = "|".join(regex.escape(word) for word in sorted(after, key=len, reverse=True))
    number_start = r"(?<![0-9A-Za-z.+])(?<!\d,)"
    number_end = r"(?![0-9A-Za-z+])"
    tens, ones = _cheng_digits()
    not_cheng = _word_class("not_after_cheng")
    wrap = r"(?:[ \t]*\n[ \t]*)?"  # a slide line may break between a number and its unit
    supervisor, worker = (regex.escape(mark) for mark in staff_marks())
    return regex.compile(
        rf"(?=[\d{_CN_CHARS}])(?:"  # every form starts with a digit: lets the engine skip ahead
        + "|".join(
            [
                rf"{number_start}(?P<sup>\d+){supervisor}(?P<wrk>\d+){worker}",
                rf"{number_start}(?P<lo>{_NUMBER})\s*[-~至到]\s*(?P<hi>{_NUMBER})\s*(?P<runit>{units})",
                rf"百分之(?P<pct>{_CN_NUMBER}|{_ARABIC})",
                rf"千分之(?P<pml>{_CN_NUMBER}|{_ARABIC})",
                rf"(?<![{_CN_CHARS}])(?P<tens>[{tens}])成"
                rf"(?:(?P<ones>[{ones}])|(?![{not_cheng}]))",
                # 逾9成, 近7成; `近3成為…` is a share too (成為 "become" needs no digit before it)
                rf"{number_start}(?P<atens>[1-9])成(?:(?![{not_cheng}])|(?<=[{regex.escape(_cheng_leads())}]\d成)(?=為))",
                rf"{number_start}(?P<num>{_NUMBER}){number_end}"
                rf"(?:(?P<between>{between_words})(?=(?:{units})))?(?:{wrap}(?P<unit>{units}))?",
                rf"(?<![{_CN_CHARS}{_word_class('not_before_cn_count')}])(?P<cn>{_CN_NUMBER})"
                rf"(?P<cnbetween>{between_words})?(?P<cnunit>{units})",
            ]
        )
        + rf")(?P<after>{after_words})?"
    )


@table_cache
def _cheng_leads() -> str:
    """Characters after which `3成為…` is 30% (cues.tsv role cheng_lead: 近, 約, 占…)."""
    return "".join(word for word in cue_words("cheng_lead") if len(word) == 1) or "\0"


def _accept_cn_count(numeral: str) -> bool:
    """Chinese numerals with a unit count only when unambiguous: `兩百人`, `十二場`, `兩場`, not
    the single digits of fixed phrases (`一案到底`, `三級`)."""
    return len(numeral) >= 2 or numeral in cn_chars("power", "spoken_two")


def _is_unit_multiplier(normalized: str, start: int) -> bool:
    """`(千元)`, `單位：萬元`: a lone power word opening a bracketed or labelled unit scales the
    figures of a header; it is not a figure itself."""
    return start > 0 and normalized[start - 1] in "(（:：/" and normalized[start] in cn_chars("power", "myriad") \
        and normalized[start + 1 : start + 2] not in _CN_CHARS


def _is_ordinal_or_list_number(normalized: str, start: int, end: int) -> bool:
    window = normalized[max(0, start - 40) : start]
    if _ordinal_before().search(window):
        return True
    following = normalized[end : end + 2]
    if start > 0 and normalized[start - 1] == "(" and following[:1] == ")":
        return True
    return bool(
        following[:1] in (".", "、", ")")
        and not following[1:2].isdigit()
        and _LIST_MARKER_BEFORE.search(window)
    )


_Form = tuple[float, str, str | None, dict[str, float | int]]  # value, value_text, unit_text, extras


def _staff_form(match: regex.Match[str], normalized: str) -> _Form | None:
    """`3督14員`: supervisors and workers, counted together."""
    supervisors, workers = int(match["sup"]), int(match["wrk"])
    value_text = match.group(0)
    if match["after"]:
        value_text = value_text[: -len(match["after"])]
    return float(supervisors + workers), value_text, staff_marks()[1], {"supervisors": supervisors, "workers": workers}


def _range_form(match: regex.Match[str], normalized: str) -> _Form | None:
    """`3-6個月`, `2~4名`: the value is the upper end."""
    low = parse_arabic_with_multipliers(match["lo"])
    high = parse_arabic_with_multipliers(match["hi"])
    if low > high:
        return None
    value_text = normalized[match.start("lo") : match.end("hi")]
    return high, value_text, match["runit"], {"range_low": low, "range_high": high}


def _percent_form(match: regex.Match[str], normalized: str) -> _Form | None:
    """`百分之九十八` (a rule: 百分之 opens a percentage)."""
    parsed = parse_number(match["pct"])
    if parsed is None:
        return None
    return parsed, normalized[match.start() : match.end("pct")], "%", {}


def _per_mille_form(match: regex.Match[str], normalized: str) -> _Form | None:
    parsed = parse_number(match["pml"])
    return None if parsed is None else (parsed, match["pml"], PER_MILLE, {})


def _cheng_form(match: regex.Match[str], normalized: str) -> _Form | None:
    """`八成`, `七成五` (a rule: 成 is a tenth)."""
    value = parse_cheng(match["tens"], match["ones"])
    value_text = normalized[match.start() : match.end("ones") if match["ones"] else match.start() + 2]
    return value, value_text, "%", {}


def _digit_cheng_form(match: regex.Match[str], normalized: str) -> _Form | None:
    """`逾9成`: a digit and 成."""
    return float(int(match["atens"]) * 10), match["atens"] + "成", "%", {}


def _arabic_form(match: regex.Match[str], normalized: str) -> _Form | None:
    """`55,269人次`, `3萬3,108`; `1億4,652萬元` is 14,652 of the unit 萬元 (and 1億 of them)."""
    if _is_ordinal_or_list_number(normalized, match.start("num"), match.end("num")):
        return None
    value_text, unit_text = match["num"], match["unit"]
    if unit_text is None and _LEADING_ZERO.match(value_text):
        return None
    value = parse_arabic_with_multipliers(value_text)
    myriad, hundred_million = _myriad_words()
    if unit_text and unit_text.startswith(myriad) and hundred_million in value_text:
        high, _, low = value_text.partition(hundred_million)
        value = parse_arabic_with_multipliers(high) * multipliers()[myriad] + \
            (parse_arabic_with_multipliers(low) if low else 0.0)
    return value, value_text, unit_text, {}


@table_cache
def _myriad_words() -> tuple[str, str]:
    """(萬, 億): the `myriad` numerals of `cn_numerals.tsv`, smaller first."""
    small, large = sorted(cn_chars("myriad"), key=lambda char: multipliers()[char])
    return small, large


def _chinese_form(match: regex.Match[str], normalized: str) -> _Form | None:
    """`兩百人`, `十二場` (see `_accept_cn_count`)."""
    if not _accept_cn_count(match["cn"]) or _is_unit_multiplier(normalized, match.start()):
        return None
    parsed = parse_cn_number(match["cn"])
    return None if parsed is None else (parsed, match["cn"], match["cnunit"], {})


# The group that marks each alternative of `_quantity_pattern`, in the pattern's order.
_FORMS = (("sup", _staff_form), ("lo", _range_form), ("pct", _percent_form), ("pml", _per_mille_form),
          ("tens", _cheng_form), ("atens", _digit_cheng_form), ("num", _arabic_form), ("cn", _chinese_form))


def _comparator_of(match: regex.Match[str], normalized: str) -> str | None:
    """A `before` word (`至少`), else an `after` word (`以上`), else a `between` word (`200餘人`)."""
    before, between, after = _comparators()
    prefix = _prefix_pattern().search(normalized, max(0, match.start() - 12), match.start())
    if prefix is not None:
        return before[next(value for value in prefix.groupdict().values() if value)]
    if match["after"]:
        return after[match["after"]]
    if match["between"] or match["cnbetween"]:
        return between[match["between"] or match["cnbetween"]]
    return None


def _build_quantity(
    match: regex.Match[str], normalized: str, offsets: list[int], text: str
) -> Quantity | None:
    form = next(builder for group, builder in _FORMS if match[group] is not None)
    built = form(match, normalized)
    if built is None:
        return None
    value, value_text, unit_text, extras = built
    unit_info = unit_words().get(unit_text) if unit_text else None
    start, end = original_span(offsets, match.start(), match.end())
    return Quantity(value=value, value_text=value_text, unit=unit_info.normalized if unit_info else unit_text,
                    unit_text=unit_text, category=unit_info.category if unit_info else None,
                    comparator=_comparator_of(match, normalized), start=start, end=end,
                    text=text[start:end], **extras)  # type: ignore[arg-type]


# Any valid year works here: it only makes yearless dates (1月4日, 第1季) count as dates.
_PLACEHOLDER_ROC_YEAR = 112


QUANTITY_START = regex.compile(rf"[\d{_CN_CHARS}]")  # every quantity opens with one of these


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity in `text`, in order (see module doc and `Quantity`). Memoised: a table
    cell is read several times while its table is interpreted."""
    return list(_quantities(text))


@table_cache(maxsize=8192)
def _quantities(text: str) -> tuple[Quantity, ...]:
    normalized, offsets = normalize_with_offsets(text)
    date_spans = [(p.char_start, p.char_end) for p in find_periods(text, _PLACEHOLDER_ROC_YEAR)]
    quantities: list[Quantity] = []
    span_index = 0
    for match in _quantity_pattern().finditer(normalized):
        start, end = original_span(offsets, match.start(), match.end())
        while span_index < len(date_spans) and date_spans[span_index][1] <= start:
            span_index += 1
        if span_index < len(date_spans) and date_spans[span_index][0] < end:
            continue
        if normalized.endswith(cue_words("rate_base"), 0, match.start()):
            continue  # 每十萬人口: the base of a rate, not a count
        quantity = _build_quantity(match, normalized, offsets, text)
        if quantity is not None:
            quantities.append(quantity)
    return tuple(_name_paired_counts(quantities, normalized, offsets))


@table_cache
def _paired_counts_pattern() -> regex.Pattern[str]:
    name = r"[\p{Han}A-Za-z]{1,8}"
    return regex.compile(
        rf"(?P<first_name>{name})[ ]?/[ ]?(?P<second_name>{name})\)?[ ]?:?[ ]?"
        rf"(?<![\d.,])(?P<first>{_ARABIC})[ ]?/[ ]?(?P<second>{_ARABIC})[ ]?(?P<unit>{unit_alternation()})"
    )


def _name_paired_counts(quantities: list[Quantity], normalized: str, offsets: list[int]) -> list[Quantity]:
    """`社工(核定/實際)：38/35人`, `男/女：12/15人`: two names, then two numbers sharing the unit after
    the second. Each number is a count of that unit, named by its name."""
    if "/" not in normalized:
        return quantities
    by_start = {quantity.start: index for index, quantity in enumerate(quantities)}
    for match in _paired_counts_pattern().finditer(normalized):
        first_start = original_span(offsets, match.start("first"), match.end("first"))[0]
        second_start = original_span(offsets, match.start("second"), match.end("second"))[0]
        first, second = by_start.get(first_start), by_start.get(second_start)
        if first is None or second is None or quantities[first].unit is not None:
            continue
        unit = quantities[second]
        quantities[first] = replace(quantities[first], unit=unit.unit, unit_text=unit.unit_text,
                                    category=unit.category, name=match["first_name"])
        quantities[second] = replace(unit, name=match["second_name"])
    return quantities


__all__ = ["PER_MILLE", "QUANTITY_START", "Fraction", "FractionSide", "Quantity", "find_fractions",
           "find_quantities", "parse_number"]
