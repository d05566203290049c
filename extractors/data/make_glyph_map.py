"""Write `glyph_map.tsv`: code points real PDFs use in place of ordinary ideographs, and the
ideograph to read instead (run by hand when the list changes; the TSV is committed).

- Kangxi radicals (U+2F00–2FD5) and CJK compatibility ideographs (U+F900–FAFF, U+2F800–2FA1F):
  from `unicodedata` (NFKC), e.g. `⾧` U+2FA7 → `長`, `豈` U+F900 → `豈` U+8C48.
- CJK radicals supplement (U+2E80–2EF3): NFKC maps only two of them; the forms that are a whole
  character in their own right are added by hand (`glyph_by_hand.tsv` beside this script).
- CJK strokes (U+31C0–31E3): NFKC maps none; the strokes that have a one-stroke ideograph of
  the same shape are added by hand (`㇐` → `一`, `glyph_by_hand.tsv`). The others are left as they are.

Usage: `.venv/bin/python extractors/data/make_glyph_map.py`
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent


def by_hand() -> dict[str, str]:
    """Code point -> ideograph from `glyph_by_hand.tsv` (strokes drawn like a one-stroke
    ideograph, radicals supplement forms that are whole characters)."""
    mapping: dict[str, str] = {}
    with (HERE / "glyph_by_hand.tsv").open(encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            if line.strip():
                code_point, mapped, _note = line.rstrip("\n").split("\t")
                mapping[chr(int(code_point.removeprefix("U+"), 16))] = mapped
    return mapping


RANGES = [(0x2E80, 0x2EF3), (0x2F00, 0x2FD5), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F)]


def rows() -> list[tuple[str, str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for start, end in RANGES:
        for code in range(start, end + 1):
            char = chr(code)
            mapped = unicodedata.normalize("NFKC", char)
            if mapped != char and len(mapped) == 1:
                out[char] = (mapped, "nfkc")
    for char, mapped in by_hand().items():
        out.setdefault(char, (mapped, "by hand"))
    return [(char, mapped, how) for char, (mapped, how) in sorted(out.items())]


def main() -> None:
    lines = ["# from\tto\tcode point\tname\thow  (written by make_glyph_map.py)"]
    for char, mapped, how in rows():
        name = unicodedata.name(char, "")
        lines.append(f"{char}\t{mapped}\tU+{ord(char):04X}\t{name}\t{how}")
    (HERE / "glyph_map.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(len(lines) - 1, "rows")


if __name__ == "__main__":
    main()
