"""The words of `patterns/data/table_words.tsv`, by role: what makes a table's row or column a
total, a share, a rate, a national line and so on (roles are described in `patterns/data/README.md`).
"""

from __future__ import annotations

from functools import cache, lru_cache

from deckmine.patterns.data_tables import column, read_table


@cache
def table_words() -> dict[str, tuple[str, ...]]:
    """role -> words, from `patterns/data/table_words.tsv`."""
    roles: dict[str, list[str]] = {}
    for row in read_table("table_words.tsv"):
        roles.setdefault(row["role"], []).append(row["word"])
    return {role: tuple(sorted(words, key=len, reverse=True)) for role, words in roles.items()}


@lru_cache(maxsize=8192)
def has_word(text: str, role: str) -> bool:
    return any(word in text for word in table_words().get(role, ()))


def starts_with_word(text: str, role: str) -> bool:
    return text.startswith(table_words().get(role, ()))


__all__ = ["has_word", "starts_with_word", "table_words"]


@cache
def staff_marks() -> tuple[str, str]:
    """The supervisors' and the workers' marks of a staff count (role `staff_pair`, in file
    order); the workers' mark is the count's unit."""
    supervisor, worker = column("table_words.tsv", "word", role="staff_pair")
    return supervisor, worker
