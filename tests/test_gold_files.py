"""Validate the hand-checked gold sets in `tests/gold/*.csv` against their annotation guide.

Every row must parse (value, dates, numerator/denominator), use only the allowed units, kinds,
comparators and sources, name a canonical county (the deck's own, unless the row names another or
the deck has none; empty for a national figure), a strategy 1-4 or none, a
plausible year that agrees with its period, a `value_text` that reads as `value`, and a snippet
that really occurs on the row's slide in the deck spec under `corpus/specs/` (speaker-notes rows in
the slide's notes, other rows in the slide body).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOLD_DIR = ROOT / "tests" / "gold"
SPEC_DIR = ROOT / "corpus" / "specs"

COLUMNS = [
    "page", "source", "indicator", "label", "value", "value_text", "unit", "kind", "comparator",
    "numerator", "denominator", "county", "strategy", "year", "period_start", "period_end",
    "snippet",
]
SOURCES = {"text", "table", "chart", "notes"}
UNITS = set(["%", "‰", "人次", "人", "名", "案", "件", "案次", "場", "場次", "處", "戶", "所", "班", "小時", "萬元", "員"])
KINDS = {"actual", "target", "forecast"}
COMPARATORS = {"", ">=", "<=", "<", ">", "~"}
COUNTIES = set(
    ["臺北市", "新北市", "桃園市", "臺中市", "臺南市", "高雄市", "基隆市", "新竹市", "嘉義市", "新竹縣", "苗栗縣", "彰化縣", "南投縣", "雲林縣", "嘉義縣", "屏東縣", "宜蘭縣", "花蓮縣", "臺東縣", "澎湖縣", "金門縣", "連江縣"]
)

GOLD_FILES = sorted(GOLD_DIR.glob("*.csv"))
SLIDE_HEADER = re.compile(r"^---\s*slide\b")
NOTES_LINE = re.compile(r"^notes\b[^:]*:(.*)$")
META_LINE = re.compile(r"^(\w+):\s*(.*)$")
STAFF = re.compile(r"^(\d+)督(\d+)員$")
CHINESE_DIGITS = dict(zip("零〇一二兩三四五六七八九", [0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9], strict=True))
CHINESE_POWERS = {"十": 10, "百": 100, "千": 1000}


def squeeze(text: str) -> str:
    """Text with whitespace, bold marks and literal `\\n` escapes removed, for snippet lookups."""
    return re.sub(r"\s+", "", text.replace("\\n", "").replace("**", ""))


def chinese_number(text: str) -> float:
    """`九十八` -> 98, `八` -> 8 (small integers only, as written on slides)."""
    total, digit = 0, 0
    for char in text:
        if char in CHINESE_DIGITS:
            digit = CHINESE_DIGITS[char]
        elif char in CHINESE_POWERS:
            total += (digit or 1) * CHINESE_POWERS[char]
            digit = 0
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return float(total + digit)


def read_small_number(text: str) -> float:
    """`9` or `九` -> 9."""
    return float(text) if text.isascii() else chinese_number(text)


def read_value_text(text: str, unit: str = "") -> float:
    """The number a `value_text` spells: `55,269`, `91.80`, `3萬3,108`, `6督32員`, `８５`,
    `百分之九十八`, `八成`, `七成五`, `9成` (the last four in percent)."""
    text = text.strip().translate(str.maketrans("０１２３４５６７８９．，", "0123456789.,"))
    if match := STAFF.match(text):
        return float(int(match.group(1)) + int(match.group(2)))
    if text.startswith(("百分之", "千分之")):
        rest = text[3:]
        return float(rest) if re.fullmatch(r"[\d.]+", rest) else chinese_number(rest)
    if "成" in text:
        tens, _, units = text.partition("成")
        return read_small_number(tens) * 10 + (read_small_number(units) if units else 0)
    if "億" in text:  # `1億4,652` of 萬元 is 14,652
        high, _, low = text.partition("億")
        scale = 10000 if unit.startswith("萬") else 100_000_000
        return float(high.replace(",", "")) * scale + (read_value_text(low) if low else 0)
    if "萬" in text:
        high, _, low = text.partition("萬")
        return float(high.replace(",", "")) * 10000 + (float(low.replace(",", "")) if low else 0)
    return float(text.replace(",", ""))


def parse_spec(path: Path) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Deck metadata and, per slide, (squeezed body text, squeezed notes text)."""
    meta: dict[str, str] = {}
    slides: list[tuple[list[str], list[str]]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if SLIDE_HEADER.match(line):
            slides.append(([], []))
        elif not slides:
            if match := META_LINE.match(stripped):
                meta[match.group(1)] = match.group(2)
        elif not line.startswith(" ") and (match := NOTES_LINE.match(line)):
            slides[-1][1].append(match.group(1))
        else:
            slides[-1][0].append(line)
    return meta, [(squeeze("\n".join(body)), squeeze("\n".join(notes))) for body, notes in slides]


def load_gold(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def iso_date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


@pytest.fixture(params=GOLD_FILES, ids=[path.stem for path in GOLD_FILES])
def gold(request: pytest.FixtureRequest) -> tuple[Path, list[dict[str, str]]]:
    path: Path = request.param
    columns, rows = load_gold(path)
    assert columns == COLUMNS, f"{path.name}: columns {columns}"
    assert rows, f"{path.name} has no rows"
    return path, rows


def test_gold_sets_exist() -> None:
    names = {path.stem for path in GOLD_FILES}
    assert {"taitung-112", "taichung-112", "penghu-111", "hualien-113", "pingtung-113", "yilan-112"} <= names


def test_rows_parse_and_use_allowed_values(gold: tuple[Path, list[dict[str, str]]]) -> None:
    path, rows = gold
    problems: list[str] = []
    for line, row in enumerate(rows, start=2):
        where = f"{path.name}:{line}"
        try:
            value = float(row["value"])
            if abs(read_value_text(row["value_text"], row["unit"]) - value) > 1e-9:
                problems.append(f"{where}: value_text {row['value_text']!r} != value {value}")
            for name in ("numerator", "denominator"):
                if row[name]:
                    read_value_text(row[name])  # counts as printed: `18,426`, `1億4,652`
            start, end = iso_date(row["period_start"]), iso_date(row["period_end"])
        except ValueError as error:
            problems.append(f"{where}: {error}")
            continue
        if int(row["page"]) < 1:
            problems.append(f"{where}: page {row['page']}")
        if row["source"] not in SOURCES:
            problems.append(f"{where}: source {row['source']!r}")
        if row["unit"] not in UNITS:
            problems.append(f"{where}: unit {row['unit']!r}")
        if row["kind"] not in KINDS:
            problems.append(f"{where}: kind {row['kind']!r}")
        if row["comparator"] not in COMPARATORS:
            problems.append(f"{where}: comparator {row['comparator']!r}")
        if row["county"] not in COUNTIES and row["county"] != "":  # '' for national figures
            problems.append(f"{where}: county {row['county']!r} is not canonical")
        if row["strategy"] not in {"", "1", "2", "3", "4"}:
            problems.append(f"{where}: strategy {row['strategy']!r}")
        if not row["year"].isdigit() or not 2015 <= int(row["year"]) <= 2030:
            problems.append(f"{where}: year {row['year']!r}")
        elif end is not None and end.year != int(row["year"]):
            problems.append(f"{where}: year {row['year']} but period ends {end}")
        if start is not None and (end is None or start > end):
            problems.append(f"{where}: period {start}..{end}")
        if row["source"] != "chart" and squeeze(row["value_text"]) not in squeeze(row["snippet"]):
            problems.append(f"{where}: value_text {row['value_text']!r} not in snippet")
    assert not problems, "\n".join(problems)


def test_rows_match_their_deck_spec(gold: tuple[Path, list[dict[str, str]]]) -> None:
    path, rows = gold
    spec = SPEC_DIR / f"{path.stem}.deck"
    if not spec.exists():
        pytest.skip(f"{spec.name} not written yet")
    meta, slides = parse_spec(spec)
    problems: list[str] = []
    for line, row in enumerate(rows, start=2):
        where = f"{path.name}:{line}"
        deck_county = meta.get("county")
        named_here = row["county"] and row["county"][:2] in squeeze(row["snippet"]).replace("台", "臺")
        if deck_county and row["county"] not in (deck_county, "") and not named_here:  # '' for the nation
            problems.append(f"{where}: county {row['county']} but the deck is {deck_county}")
        page = int(row["page"])
        if not 1 <= page <= len(slides):
            problems.append(f"{where}: page {page} outside 1..{len(slides)}")
            continue
        body, notes = slides[page - 1]
        haystack = notes if row["source"] == "notes" else body
        if squeeze(row["snippet"]) not in haystack:
            problems.append(f"{where}: snippet {row['snippet']!r} not on slide {page} ({row['source']})")
    assert not problems, "\n".join(problems)


def test_value_text_reader() -> None:
    assert read_value_text("55,269") == 55269
    assert read_value_text("3萬3,108") == 33108
    assert read_value_text("6督32員") == 38
    assert read_value_text("８５") == 85
    assert read_value_text("百分之九十八") == 98
    assert read_value_text("八成") == 80
    assert read_value_text("七成五") == 75
    assert read_value_text("9成") == 90
    assert read_value_text("６２．５") == 62.5
