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
- `find_fractions(text)`: `(74/68)`, `（１２５／２００）`, `(訪視戶數524/推估戶數178)`,
  `實際進用41名/中央核定58名`, with each side's label and unit.

Offsets (`start`/`end`) always index the caller's original string; matching runs on
`normalize_text` output.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import regex
from deckmine.patterns.data_tables import table_cache
from deckmine.patterns.dates import find_periods
from deckmine.patterns.gazetteer import cue_words, qualifiers, unit_words
from deckmine.patterns.normalize import normalize_text, normalize_with_offsets, original_span

_ARABIC = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_MULTIPLIERS = {"千": 1_000, "萬": 10_000, "億": 100_000_000}
# 3萬3,108 and 3萬 are one number; 30萬元 is 30 of the unit 萬元.
_NUMBER = rf"{_ARABIC}(?:[萬億千](?![元])(?:{_ARABIC})?){{0,2}}"
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1_000}
_CN_BIG = {"萬": 10_000, "億": 100_000_000}
_CN_CHARS = "零〇一二兩三四五六七八九十百千萬億"
PER_MILLE = "‰"
_CN_NUMBER = rf"[{_CN_CHARS}]+(?:點[零〇一二三四五六七八九]+)?"
# Words that follow 成 without it being a tenth: 完成 is not a number, and neither is 一成不變.
_NOT_CHENG = "功長果立效員人為本不就熟年"
_LEADING_ZERO = regex.compile(r"0\d")
_LIST_MARKER_BEFORE = regex.compile(r"(?:^|\n)[ \t\-•●◆❖▪■□◎○*>]*\Z")
_ORDINAL_BEFORE = regex.compile(r"(?:第|策略|編號|No\.?|NO\.?)\s*\Z")
_NUMBER_TOKEN = regex.compile(rf"{_ARABIC}|[萬億千]")
_SPACES = regex.compile(r"\s+")


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


@dataclass(frozen=True)
class FractionSide:
    """One side of a fraction: `524` labelled `訪視戶數`, or `41` with unit `名`."""

    value: float
    value_text: str
    label: str | None
    unit: str | None


@dataclass(frozen=True)
class Fraction:
    """`numerator`/`denominator` as printed (the first number is the numerator even when the deck
    prints it reversed). `start`/`end` span the whole fraction incl. brackets in the original."""

    numerator: FractionSide
    denominator: FractionSide
    start: int
    end: int
    text: str
    in_brackets: bool


# --- parsing ---------------------------------------------------------------------------------


def _parse_arabic_with_multipliers(text: str) -> float | None:
    total = 0.0
    pending: float | None = None
    for token in _NUMBER_TOKEN.findall(text):
        if token in _MULTIPLIERS:
            total += (pending if pending is not None else 1) * _MULTIPLIERS[token]
            pending = None
        else:
            pending = float(token.replace(",", ""))
    return total + (pending or 0.0)


def _parse_cn_integer(text: str) -> int | None:
    if not text or any(char not in _CN_CHARS for char in text):
        return None
    if all(char in _CN_DIGITS for char in text):  # 一一二 written digit by digit
        return int("".join(str(_CN_DIGITS[char]) for char in text))
    total = section = 0
    digit: int | None = None
    for char in text:
        if char in _CN_DIGITS:
            digit = _CN_DIGITS[char]
        elif char in _CN_UNITS:
            section += (digit if digit is not None else 1) * _CN_UNITS[char]
            digit = None
        else:
            section += digit or 0
            total += (section or 1) * _CN_BIG[char]
            section, digit = 0, None
    return total + section + (digit or 0)


def _parse_cn_number(text: str) -> float | None:
    whole, _, decimals = text.partition("點")
    integer = _parse_cn_integer(whole)
    if integer is None:
        return None
    if not decimals:
        return float(integer)
    return float(f"{integer}." + "".join(str(_CN_DIGITS[char]) for char in decimals))


def _parse_cheng(tens: str, ones: str | None) -> float:
    value = 100 if tens == "十" else _CN_DIGITS[tens] * 10
    return float(value + (_CN_DIGITS[ones] if ones else 0))


_FULL_NUMBER = regex.compile(rf"{_NUMBER}")
_CHENG = regex.compile(r"(?P<tens>[一二三四五六七八九十])成(?P<ones>[一二三四五六七八九])?")


def parse_number(text: str) -> float | None:
    """The value of a number written alone (see module doc); a trailing `%` is allowed.
    None if `text` is not exactly one number."""
    compact = _SPACES.sub("", normalize_text(text)).removesuffix("%")
    if not compact:
        return None
    if compact.startswith("百分之"):
        return parse_number(compact[3:])
    if _FULL_NUMBER.fullmatch(compact):
        return _parse_arabic_with_multipliers(compact)
    cheng = _CHENG.fullmatch(compact)
    if cheng:
        return _parse_cheng(cheng["tens"], cheng["ones"])
    return _parse_cn_number(compact)


# --- finding quantities ----------------------------------------------------------------------


@table_cache
def _unit_alternation() -> str:
    words = sorted(unit_words(), key=len, reverse=True)
    return "|".join(regex.escape(word) for word in words)


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
    units = _unit_alternation()
    between_words = "|".join(regex.escape(word) for word in sorted(between, key=len, reverse=True))
    after_words = "|".join(regex.escape(word) for word in sorted(after, key=len, reverse=True))
    number_start = r"(?<![0-9A-Za-z.+])(?<!\d,)"
    number_end = r"(?![0-9A-Za-z+])"
    wrap = r"(?:[ \t]*\n[ \t]*)?"  # a slide line may break between a number and its unit
    return regex.compile(
        rf"(?=[\d{_CN_CHARS}])(?:"  # every form starts with a digit: lets the engine skip ahead
        + "|".join(
            [
                rf"{number_start}(?P<sup>\d+)督(?P<wrk>\d+)員",
                rf"{number_start}(?P<lo>{_NUMBER})\s*[-~至到]\s*(?P<hi>{_NUMBER})\s*(?P<runit>{units})",
                rf"百分之(?P<pct>{_CN_NUMBER}|{_ARABIC})",
                rf"千分之(?P<pml>{_CN_NUMBER}|{_ARABIC})",
                rf"(?<![{_CN_CHARS}])(?P<tens>[一二三四五六七八九十])成"
                rf"(?:(?P<ones>[一二三四五六七八九])|(?![{_NOT_CHENG}]))",
                # 逾9成, 近7成; `近3成為…` is a share too (成為 "become" needs no digit before it)
                rf"{number_start}(?P<atens>[1-9])成(?:(?![{_NOT_CHENG}])|(?<=[{regex.escape(_cheng_leads())}]\d成)(?=為))",
                rf"{number_start}(?P<num>{_NUMBER}){number_end}"
                rf"(?:(?P<between>{between_words})(?=(?:{units})))?(?:{wrap}(?P<unit>{units}))?",
                rf"(?<![{_CN_CHARS}第週星])(?P<cn>{_CN_NUMBER})"
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
    return len(numeral) >= 2 or numeral in "十百千兩"


def _is_unit_multiplier(normalized: str, start: int) -> bool:
    """`(千元)`, `單位：萬元`: a lone power word opening a bracketed or labelled unit scales the
    figures of a header; it is not a figure itself."""
    return start > 0 and normalized[start - 1] in "(（:：/" and normalized[start] in "十百千萬億" \
        and normalized[start + 1 : start + 2] not in _CN_CHARS


def _is_ordinal_or_list_number(normalized: str, start: int, end: int) -> bool:
    window = normalized[max(0, start - 40) : start]
    if _ORDINAL_BEFORE.search(window):
        return True
    following = normalized[end : end + 2]
    if start > 0 and normalized[start - 1] == "(" and following[:1] == ")":
        return True
    return bool(
        following[:1] in (".", "、", ")")
        and not following[1:2].isdigit()
        and _LIST_MARKER_BEFORE.search(window)
    )


def _build_quantity(
    match: regex.Match[str], normalized: str, offsets: list[int], text: str
) -> Quantity | None:
    units = unit_words()
    before, between, after = _comparators()
    unit_text: str | None = None
    range_low = range_high = None
    supervisors = workers = None

    if match["sup"] is not None:
        supervisors, workers = int(match["sup"]), int(match["wrk"])
        value, value_text, unit_text = float(supervisors + workers), match.group(0), "員"
        if match["after"]:
            value_text = value_text[: -len(match["after"])]
    elif match["lo"] is not None:
        range_low = _parse_arabic_with_multipliers(match["lo"])
        range_high = _parse_arabic_with_multipliers(match["hi"])
        if range_low > range_high:
            return None
        value, value_text, unit_text = range_high, normalized[match.start("lo") : match.end("hi")], match["runit"]
    elif match["pct"] is not None:
        parsed = parse_number(match["pct"])
        if parsed is None:
            return None
        value, value_text, unit_text = parsed, normalized[match.start() : match.end("pct")], "%"
    elif match["pml"] is not None:
        parsed = parse_number(match["pml"])
        if parsed is None:
            return None
        value, value_text, unit_text = parsed, match["pml"], PER_MILLE
    elif match["tens"] is not None:
        value = _parse_cheng(match["tens"], match["ones"])
        value_text = normalized[match.start() : match.end("ones") if match["ones"] else match.start() + 2]
        unit_text = "%"
    elif match["atens"] is not None:
        value, value_text, unit_text = float(int(match["atens"]) * 10), match["atens"] + "成", "%"
    elif match["num"] is not None:
        if _is_ordinal_or_list_number(normalized, match.start("num"), match.end("num")):
            return None
        value_text = match["num"]
        unit_text = match["unit"]
        if unit_text is None and _LEADING_ZERO.match(value_text):
            return None
        value = _parse_arabic_with_multipliers(value_text)
        if value is not None and unit_text and unit_text.startswith("萬") and "億" in value_text:
            high, _, low = value_text.partition("億")  # `1億4,652萬元` is 14,652 of the unit 萬元
            value = (_parse_arabic_with_multipliers(high) or 0.0) * _MULTIPLIERS["萬"] + \
                (_parse_arabic_with_multipliers(low) or 0.0 if low else 0.0)
    else:
        if not _accept_cn_count(match["cn"]) or _is_unit_multiplier(normalized, match.start()):
            return None
        parsed = _parse_cn_number(match["cn"])
        if parsed is None:
            return None
        value, value_text, unit_text = parsed, match["cn"], match["cnunit"]

    comparator = None
    prefix = _prefix_pattern().search(normalized, max(0, match.start() - 12), match.start())
    if prefix is not None:
        word = next(value for name, value in prefix.groupdict().items() if value)
        comparator = before[word]
    elif match["after"]:
        comparator = after[match["after"]]
    elif match["between"] or match["cnbetween"]:
        comparator = between[match["between"] or match["cnbetween"]]

    unit_info = units.get(unit_text) if unit_text else None
    unit = unit_info.normalized if unit_info else unit_text
    start, end = original_span(offsets, match.start(), match.end())
    return Quantity(value=value, value_text=value_text, unit=unit, unit_text=unit_text,
                    category=unit_info.category if unit_info else None, comparator=comparator,
                    start=start, end=end, text=text[start:end], range_low=range_low,
                    range_high=range_high, supervisors=supervisors, workers=workers)


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
        rf"(?<![\d.,])(?P<first>{_ARABIC})[ ]?/[ ]?(?P<second>{_ARABIC})[ ]?(?P<unit>{_unit_alternation()})"
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


# --- fractions -------------------------------------------------------------------------------


@table_cache
def _fraction_pattern() -> regex.Pattern[str]:
    units = _unit_alternation()
    label = r"\p{Han}(?:[\p{Han}\s]{0,10}\p{Han})?"
    side = rf"(?P<{{name}}_label>{label})?\s*(?P<{{name}}>{_ARABIC})\s*(?P<{{name}}_unit>{units})?"
    numerator = side.replace("{name}", "n")
    denominator = side.replace("{name}", "d")
    bare_label = r"\p{Han}{1,10}"
    return regex.compile(
        rf"(?P<open>\()\s*{numerator}\s*/\s*{denominator}\s*\)"
        rf"|(?<![\d/])(?P<bn_label>{bare_label})?(?<![\d.,])(?P<bn>{_ARABIC})(?P<bn_unit>{units})?"
        rf"/(?P<bd_label>{bare_label})?(?P<bd>{_ARABIC})(?P<bd_unit>{units})?(?![\d/.])"
    )


def _side(match: regex.Match[str], name: str) -> FractionSide:
    label = match[f"{name}_label"]
    return FractionSide(
        value=float(match[name].replace(",", "")),
        value_text=match[name],
        label=_SPACES.sub("", label) if label else None,
        unit=match[f"{name}_unit"],
    )


def find_fractions(text: str) -> list[Fraction]:
    """Every `a/b` pair in `text` (see module doc). Slash dates (`112/4/19`) are not fractions."""
    normalized, offsets = normalize_with_offsets(text)
    fractions: list[Fraction] = []
    if "/" not in normalized:  # both forms have one
        return fractions
    for match in _fraction_pattern().finditer(normalized):
        bracketed = match["open"] is not None
        numerator = _side(match, "n" if bracketed else "bn")
        denominator = _side(match, "d" if bracketed else "bd")
        start, end = original_span(offsets, match.start(), match.end())
        fractions.append(Fraction(numerator, denominator, start, end, text[start:end], bracketed))
    return fractions
