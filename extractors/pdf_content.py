"""The text-showing operators of a page's content stream, found without pdfminer's parser.

pdfium keeps every `Tj`, `TJ`, `'` and `"` of a page (outside form XObjects) as one text object,
in content order; it exposes the object's matrix, font and size but not its character codes. For
the few text objects pdfium's text page leaves out (`extractors.pdfium_hidden`), the codes come
from here: a single regular-expression pass over the decoded content stream that tracks only what
pdfminer's `render_string` needs besides the matrix: the font resource name and size (`Tf`), the
character and word spacing (`Tc`, `Tw`, `"`), the horizontal scaling (`Tz`) and the rise (`Ts`),
saved and restored by `q` / `Q`. Inline images (`BI … ID … EI`) are skipped over.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

TOKEN = re.compile(
    rb"\s+|%[^\r\n]*|<<|>>|<[0-9A-Fa-f\s]*>|[\[\]{}]|/[^\s()<>\[\]{}/%]*|[^\s()<>\[\]{}/%]+"
)
NUMBER = re.compile(rb"^[+-]?(?:\d+\.?\d*|\.\d+)$")
INLINE_IMAGE_END = re.compile(rb"\sEI(?=\s|$)")
ESCAPES = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b", ord("f"): b"\f"}
SHOW_OPERATORS = (b"Tj", b"TJ", b"'", b'"')
OPEN = object()  # marks where an array or dictionary starts on the operand stack


@dataclass(frozen=True)
class TextState:
    """The text state parameters a show operator runs with (PDF units, `Tz` in percent)."""

    font: str | None = None
    size: float = 0.0
    charspace: float = 0.0
    wordspace: float = 0.0
    scaling: float = 100.0
    rise: float = 0.0


@dataclass(frozen=True)
class Show:
    """One text-showing operator: its strings and TJ kerning numbers, and its text state."""

    seq: tuple[bytes | float, ...]
    state: TextState


def literal_string(data: bytes, start: int) -> tuple[bytes, int]:
    """The literal string opening at `data[start] == "("` and the offset just after it."""
    out = bytearray()
    depth, i, end = 1, start + 1, len(data)
    while i < end:
        byte = data[i]
        if byte == 0x5C:  # backslash
            i += 1
            if i >= end:
                break
            byte = data[i]
            if 0x30 <= byte <= 0x37:
                digits = re.match(rb"[0-7]{1,3}", data[i : i + 3])
                assert digits is not None
                out.append(int(digits.group(), 8) & 0xFF)
                i += len(digits.group())
                continue
            if byte == 0x0D:  # a line continuation: backslash, end of line
                i += 2 if data[i + 1 : i + 2] == b"\n" else 1
                continue
            if byte != 0x0A:
                out += ESCAPES.get(byte, bytes((byte,)))
        elif byte == 0x28:
            depth += 1
            out.append(byte)
        elif byte == 0x29:
            depth -= 1
            if not depth:
                return bytes(out), i + 1
            out.append(byte)
        else:
            out.append(byte)
        i += 1
    return bytes(out), end


def show_operators(data: bytes) -> list[Show]:
    """Every text-showing operator of a content stream, in order, with its text state."""
    shows: list[Show] = []
    stack: list[Any] = []
    state, saved = TextState(), []
    pos, end = 0, len(data)
    while pos < end:
        if data[pos] == 0x28:
            string, pos = literal_string(data, pos)
            stack.append(string)
            continue
        match = TOKEN.match(data, pos)
        if match is None:  # a stray delimiter (`)`): skip it, as pdfminer does
            pos += 1
            continue
        token, pos = match.group(), match.end()
        first = token[0]
        if first in b" \t\r\n\f\x00%":
            continue
        if token in (b"[", b"<<", b"{"):
            stack.append(OPEN)
        elif token in (b"]", b">>", b"}"):
            _close(stack)
        elif first == 0x3C:  # <hex>
            hex_digits = re.sub(rb"\s", b"", token[1:-1])
            stack.append(bytes.fromhex((hex_digits + b"0" * (len(hex_digits) % 2)).decode()))
        elif first == 0x2F:
            stack.append(token[1:].decode("latin-1"))
        elif NUMBER.match(token):
            stack.append(float(token))
        else:
            if token == b"BI":
                found = INLINE_IMAGE_END.search(data, pos)
                pos = found.end() if found else end
            state = _operate(token, stack, state, saved, shows)
            stack.clear()
    return shows


def _close(stack: list[Any]) -> None:
    for index in range(len(stack) - 1, -1, -1):
        if stack[index] is OPEN:
            items = tuple(stack[index + 1 :])
            del stack[index:]
            stack.append(items)
            return


# Operators that set one number of the text state: char spacing, word spacing, scaling, rise.
_NUMBER_SETTERS = {b"Tc": "charspace", b"Tw": "wordspace", b"Tz": "scaling", b"Ts": "rise"}


def _operate(
    op: bytes, stack: list[Any], state: TextState, saved: list[TextState], shows: list[Show]
) -> TextState:
    """The text state after operator `op`; a show is appended to `shows`."""
    number = stack[-1] if stack and isinstance(stack[-1], float) else None
    if op == b"q":
        saved.append(state)
    elif op == b"Q":
        state = saved.pop() if saved else state
    elif op == b"Tf" and len(stack) >= 2 and isinstance(stack[-2], str) and number is not None:
        state = replace(state, font=stack[-2], size=number)
    elif op in _NUMBER_SETTERS and number is not None:
        state = replace(state, **{_NUMBER_SETTERS[op]: number})
    elif op in SHOW_OPERATORS and stack:
        state = _show(op, stack, state, shows)
    return state


def _show(op: bytes, stack: list[Any], state: TextState, shows: list[Show]) -> TextState:
    """A text-showing operator: `"` sets word and char spacing first; a show of its strings."""
    if op == b'"' and len(stack) >= 3 and all(isinstance(v, float) for v in stack[-3:-1]):
        state = replace(state, wordspace=float(stack[-3]), charspace=float(stack[-2]))
    operand = stack[-1]
    seq = operand if isinstance(operand, tuple) else (operand,)
    seq = tuple(item for item in seq if isinstance(item, bytes | float))
    # pdfium makes a text object of a TJ with any string, of the others with a non-empty one
    if any(isinstance(item, bytes) and (item or op == b"TJ") for item in seq):
        shows.append(Show(seq, state))
    return state


__all__ = ["Show", "TextState", "literal_string", "show_operators"]
