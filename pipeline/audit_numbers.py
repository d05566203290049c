"""Exact arithmetic for the audit: what a printed number stands for, and a rate against its counts.

A reported value stands for the interval its decimals allow (statcheck): `71%` is anything that
rounds half-up to 71, i.e. [70.5, 71.5]; `12.24%` is [12.235, 12.245]. Government decks also
truncate, so a value that only truncation explains (`81%` for 81.8%) is told apart from a real
error. All comparisons use `fractions.Fraction`; floats are only produced for storage.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

HUNDRED = Fraction(100)
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Reported:
    """A number as printed: its exact value and how many decimals were written."""

    value: Fraction
    decimals: int
    text: str

    @property
    def unit(self) -> Fraction:
        """One unit in the last written decimal (1 for `71`, 1/100 for `12.24`)."""
        return Fraction(1, 10**self.decimals)

    @property
    def half_unit(self) -> Fraction:
        return self.unit / 2

    def rounds_from(self, exact: Fraction) -> bool:
        """True if `exact` rounded half-up to these decimals gives this value (boundary inclusive)."""
        return abs(exact - self.value) <= self.half_unit

    def truncates_from(self, exact: Fraction) -> bool:
        """True if `exact` cut (towards zero) to these decimals gives this value."""
        scale = 10**self.decimals
        cut = Fraction(math.trunc(exact * scale), scale)
        return cut == self.value


def parse_reported(text: str | None, fallback: float | None = None) -> Reported | None:
    """Read `91.80`, `5,156`, `８５％` as written; fall back to the float when the text has no digits
    (`八成`), taking only the decimals the float really has."""
    if text:
        normal = unicodedata.normalize("NFKC", str(text)).replace(",", "")
        match = _NUMBER.search(normal)
        if match:
            digits = match.group(0)
            decimals = len(digits.split(".")[1]) if "." in digits else 0
            return Reported(Fraction(Decimal(digits)), decimals, str(text))
    if fallback is None or (isinstance(fallback, float) and math.isnan(fallback)):
        return None
    return reported_from_float(fallback)


def reported_from_float(number: float) -> Reported:
    value = exact(number)
    written = format(Decimal(repr(float(number))).normalize(), "f")
    decimals = len(written.split(".")[1]) if "." in written else 0
    return Reported(value, decimals, written)


def exact(number: float | int | str) -> Fraction:
    """The decimal a float was printed from (`0.1` -> 1/10, not the binary approximation)."""
    try:
        return Fraction(Decimal(repr(number) if isinstance(number, float) else str(number)))
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"not a number: {number!r}") from exc


def compare_reported(reported: Reported, computed: Fraction) -> str:
    """`ok` when rounding explains the reported value, `ok_truncated` when only truncation does,
    `mismatch` otherwise."""
    if reported.rounds_from(computed):
        return "ok"
    if reported.truncates_from(computed):
        return "ok_truncated"
    return "mismatch"


def change_verdict(reported: Reported, computed: Fraction) -> tuple[str, str]:
    """(status, words) for a printed change against its recomputation: rounding and truncation
    are never errors; anything else is a `sum_mismatch` with its gap in percentage points."""
    status = compare_reported(reported, computed)
    words = {
        "ok": "consistent when rounded",
        "ok_truncated": "consistent only when truncated (not an error)",
        "mismatch": f"off by {format_number(computed - reported.value, 2)} percentage points",
    }[status]
    return ("sum_mismatch" if status == "mismatch" else status), words


@dataclass(frozen=True)
class RateCheck:
    """A reported percentage against numerator/denominator.

    status: `ok`, `ok_truncated`, `reversed` (denominator/numerator gives the value),
    `mismatch`, or `not_computable` (a zero or missing count). `computed` is numerator/denominator
    in percent as printed; `difference` is computed - reported in percentage points."""

    status: str
    reported: Fraction | None
    computed: Fraction | None
    reversed_value: Fraction | None
    decimals: int
    expression: str

    @property
    def difference(self) -> Fraction | None:
        if self.computed is None or self.reported is None:
            return None
        return self.computed - self.reported

    @property
    def explained_by(self) -> Fraction | None:
        """The recomputed value that explains the report (the reversed one for `reversed`)."""
        return self.reversed_value if self.status == "reversed" else self.computed


def check_rate(
    value_text: str, numerator: float, denominator: float, *, scale: int = 100
) -> RateCheck:
    """Recompute `numerator / denominator * scale` and compare with the printed `value_text`.

    Exact: the counts are taken as the decimals they print as, never compared as floats. Rates
    above 100% are legal. A zero denominator gives `not_computable`, never an exception."""
    expression = f"{format_number(numerator)}/{format_number(denominator)}"
    reported = parse_reported(value_text)
    if reported is None:
        return RateCheck("not_computable", None, None, None, 0, expression)
    top, bottom = exact(numerator), exact(denominator)
    if bottom == 0:
        return RateCheck("not_computable", reported.value, None, None, reported.decimals, expression)
    computed = top / bottom * scale
    reversed_value = bottom / top * scale if top != 0 else None
    status = compare_reported(reported, computed)
    reversed_explains = reversed_value is not None and compare_reported(reported, reversed_value) != "mismatch"
    if status == "mismatch" and reversed_explains:
        status = "reversed"
    return RateCheck(status, reported.value, computed, reversed_value, reported.decimals, expression)


def sum_tolerance(parts: list[Reported], total: Reported) -> Fraction:
    """How far a sum may drift from its total by rounding alone: nothing for whole counts, half a
    unit per rounded figure otherwise."""
    figures = [*parts, total]
    if all(figure.decimals == 0 for figure in figures):
        return Fraction(0)
    return sum((figure.half_unit for figure in figures if figure.decimals > 0), Fraction(0))


def format_number(number: Fraction | float | int | None, decimals: int | None = None) -> str:
    """`5156` not `5156.0`; `decimals` fixes the places (rounded half-up)."""
    if number is None:
        return "?"
    value = number if isinstance(number, Fraction) else exact(number)
    if decimals is not None:
        quantum = Decimal(1).scaleb(-decimals)
        rounded = (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
            quantum, rounding=ROUND_HALF_UP
        )
        return f"{rounded:f}"
    if value.denominator == 1:
        return str(value.numerator)
    return format(Decimal(value.numerator) / Decimal(value.denominator), "f").rstrip("0")


def shown_decimals(reported_decimals: int) -> int:
    """Places to show a recomputed value with: always more than the report, at least two."""
    return max(2, reported_decimals + 1)


def to_float(value: Fraction | None) -> float | None:
    return float(value) if value is not None else None
