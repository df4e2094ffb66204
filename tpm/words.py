"""Wording that every output shares: the findings' messages, the text formats, the report."""

from __future__ import annotations

from collections.abc import Iterable


def plural(n: int, word: str, words: str | None = None) -> str:
    """`1 journey`, `2 journeys`; `words` when the plural is not `word` + s (`3 people`,
    `2 info`)."""
    return f"{n} {word if n == 1 else (words or word + 's')}"


def did_you_mean(value: str, choices: Iterable[str], otherwise: str = "") -> str:
    """` (did you mean 'x'?)` for the choice closest to a mistyped `value` (difflib's
    similarity of at least 0.6), else `otherwise` (e.g. `; silos: a, b`)."""
    import difflib

    close = difflib.get_close_matches(value, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else otherwise
