"""Table cells: what one cell's text is, before its row and column give it a meaning.

- `read_cell`: a body cell's type (count, rate, `count share%`, fraction, not reported, code,
  prose, label, empty) and the quantities it holds; a signed cell (`+122`) keeps its sign;
- `is_label` / `is_figure` / `strong_figure`: the tests the header and stub detection of
  `patterns.table_model` use (a bare number may be a year; a number with a unit is a figure);
- `is_code`: phone numbers, addresses and leading-zero serials, numbers that are not figures;
- `TableSettings`: how tables are read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache

from deckmine.patterns.dates import ROC_YEAR_RANGE, Period, find_periods
from deckmine.patterns.normalize import normalize_text
from deckmine.patterns.numbers import Quantity, find_quantities
from deckmine.patterns.table_words import table_words

HAN = re.compile(r"[\u4e00-\u9fff]")
_DIGIT = re.compile(r"\d")
_SPACES = re.compile(r"\s+")
BARE_INTEGER = re.compile(r"^\d{2,4}$")


@dataclass(frozen=True)
class TableSettings:
    """How tables are read. Defaults suit the briefing decks seen so far.

    - `prose_min_han`: a cell with at least this many Han characters and a digit is prose, mined
      as a sentence with its headers as context.
    - `max_header_rows`: never take more leading rows than this as headers.
    - `sum_max_candidates`: the most candidate columns searched for the set that adds up to a
      total column (2**n subsets are tried).
    - `sum_min_rows`: rows a set of columns must explain before it is taken as the total's parts.
    """

    prose_min_han: int = 6
    max_header_rows: int = 4
    sum_max_candidates: int = 10
    sum_min_rows: int = 2


DEFAULT_SETTINGS = TableSettings()


@dataclass
class CellReading:
    """One body cell: its text, type and the quantities it holds."""

    row: int
    col: int
    text: str
    raw_text: str
    cell_type: str  # count | rate | count_share | fraction | not_reported | code | prose | label | empty
    quantities: list[Quantity] = field(default_factory=list)

    @property
    def count(self) -> Quantity | None:
        return next((q for q in self.quantities if q.unit != "%"), None)

    @property
    def share(self) -> Quantity | None:
        return next((q for q in self.quantities if q.unit == "%"), None)



def clean_cell(text: str | None) -> str:
    return _SPACES.sub("", normalize_text(text or ""))


@lru_cache(maxsize=8192)
def periods_in(text: str) -> tuple[Period, ...]:
    return tuple(find_periods(text))


def strong_figure(text: str, settings: TableSettings) -> bool:
    """A cell that can only be a value: a number with a unit, decimals, separators or a percent."""
    if not text or (len(HAN.findall(text)) >= settings.prose_min_han):
        return False
    return any(q.unit is not None or "." in q.value_text or "," in q.value_text for q in find_quantities(text))


@lru_cache(maxsize=8192)
def is_label(text: str, settings: TableSettings) -> bool:
    """A header-like cell: words (a period, a name), or a bare number that may be a year or a
    hotline; never a figure with a unit, decimals or a percent."""
    if not text:
        return False
    if strong_figure(text, settings):
        return False
    return bool(HAN.search(text) or re.search(r"[A-Za-z]", text) or BARE_INTEGER.match(text))


@lru_cache(maxsize=8192)
def is_figure(text: str, settings: TableSettings) -> bool:
    if not text or len(HAN.findall(text)) >= settings.prose_min_han:
        return False
    if is_not_reported(text):
        return True
    return bool(find_quantities(text)) and not periods_in(text)


@cache
def _phone_pattern() -> re.Pattern[str]:
    """A telephone number, or an extension (table_words.tsv role `phone_extension`) and digits."""
    extension = "|".join(re.escape(word) for word in table_words().get("phone_extension", ()))
    return re.compile(r"(?:^|[^\d])(?:\(0\d{1,3}\)|0\d{1,3}-)\d{3,4}-?\d{3,4}|^0800-?\d{3}-?\d{3}"
                      + (rf"|(?:{extension})\d+" if extension else ""))


@cache
def _address_pattern() -> re.Pattern[str]:
    units = "|".join(re.escape(word) for word in table_words().get("address", ()))
    return re.compile(rf"\d+\s*(?:{units})(?:\d|$|[之\-])") if units else re.compile(r"(?!)")


def is_code(text: str) -> bool:
    """A phone number (`(07)741-3026`, `0800-000-123`), an address (`18巷3號`) or a leading-zero
    serial (`01`): numbers that are not figures."""
    return bool(_phone_pattern().search(text) or _address_pattern().search(text) or re.fullmatch(r"0\d+", text))


_SIGNED = re.compile(r"^([+\-−－＋])\s*\d")


def _signed(compact: str, quantities: list[Quantity]) -> list[Quantity]:
    """`+122`, `-19` in a difference row: the sign is part of the figure."""
    sign = _SIGNED.match(compact)
    if sign is None:
        return quantities
    quantities = quantities or find_quantities(compact[1:])
    if not quantities:
        return quantities
    first = quantities[0]
    negative = sign.group(1) in "-−－"
    signed = replace(first, value=-first.value if negative else first.value,
                     value_text=("-" if negative else "+") + first.value_text.lstrip("+-"))
    return [signed, *quantities[1:]]


@lru_cache(maxsize=8192)
def is_not_reported(text: str) -> bool:
    return text in table_words().get("not_reported", ())



def year_like(cells: list[str]) -> bool:
    """Bare numbers that read as years (`110 | 111 | 112`): at least two, rising, all ROC years."""
    years = [int(cell) for cell in cells if BARE_INTEGER.match(cell or "")]
    return len(years) >= 2 and all(ROC_YEAR_RANGE[0] <= y <= ROC_YEAR_RANGE[1] for y in years) \
        and years == sorted(years) and len(set(years)) == len(years)



def read_cell(row: int, col: int, raw: str, settings: TableSettings) -> CellReading:
    text = normalize_text(raw).strip()
    compact = _SPACES.sub("", text)
    if not compact:
        return CellReading(row, col, text, raw, "empty")
    if is_not_reported(compact):
        return CellReading(row, col, text, raw, "not_reported")
    if len(HAN.findall(text)) >= settings.prose_min_han and _DIGIT.search(text):
        return CellReading(row, col, text, raw, "prose")
    if is_code(compact):
        return CellReading(row, col, text, raw, "code")
    quantities = _signed(compact, find_quantities(text))
    if not quantities:
        return CellReading(row, col, text, raw, "label")
    if len(quantities) == 2 and re.fullmatch(r"[\d,.]+\s*[/／]\s*[\d,.]+", compact):
        return CellReading(row, col, text, raw, "fraction", quantities)
    units = [q.unit == "%" for q in quantities]
    if len(quantities) == 2 and units == [False, True]:
        return CellReading(row, col, text, raw, "count_share", quantities)
    if len(quantities) == 1:
        return CellReading(row, col, text, raw, "rate" if units[0] else "count", quantities)
    return CellReading(row, col, text, raw, "label" if periods_in(text) else "count", quantities)


__all__ = [
    "BARE_INTEGER", "DEFAULT_SETTINGS", "HAN", "CellReading", "TableSettings", "clean_cell", "is_code",
    "is_figure", "is_label", "is_not_reported", "periods_in", "read_cell", "strong_figure", "year_like",
]
