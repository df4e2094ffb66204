"""Wording that every output shares: the findings' messages, the text formats, the report."""

from __future__ import annotations


def plural(n: int, word: str, words: str | None = None) -> str:
    """`1 journey`, `2 journeys`; `words` when the plural is not `word` + s (`3 people`,
    `2 info`)."""
    return f"{n} {word if n == 1 else (words or word + 's')}"
