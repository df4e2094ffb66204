"""The YAML parser's syntax errors said as what to do (docs/file-formats.md, "YAML").

libyaml says *what* it did not find ("mapping values are not allowed in this context"); a
person editing a touchpoint file needs to know *what to change*: an indentation, a missing
`- `, a `:` inside an unquoted value, a quote left open. `explain` turns the common errors into
that, at the place to edit, and keeps the parser's own words at the end for a search.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_KEY_COLON = re.compile(r":(?=\s|$)")


@dataclass(frozen=True)
class Explained:
    message: str
    line: int
    column: int


def _line(text: str, line: int) -> str:
    lines = text.splitlines()
    return lines[line - 1] if 0 < line <= len(lines) else ""


def explain(
    problem: str,
    context: str | None,
    text: str,
    at: tuple[int, int],
    context_at: tuple[int, int] | None,
) -> Explained:
    """What to do about a syntax error `problem` (with the parser's `context`) found at `at`
    (1-based line, column); `context_at` is where the construct it was reading started."""
    line, column = at
    if context and "while" in context:
        raw = f"{problem} ({context})"
    elif context and problem.startswith("but "):  # "expected X, but found Y"
        raw = f"{context}, {problem}"
    else:
        raw = problem
    context = context or ""
    here = _line(text, line)
    before = here[: column - 1]
    # libyaml and PyYAML's pure-Python parser word the same error apart: both are matched
    ended_early = "did not find expected" in problem or "expected <block end>" in problem
    advice: str | None = None
    if problem.startswith("mapping values are not allowed"):
        if _KEY_COLON.search(before):  # a second ': ' on a line that has a key already
            key, _, value = here.partition(":")
            advice = (
                "a ': ' inside an unquoted value: put the value in quotes, such as "
                f'{key.strip()}: "{value.strip()}"'
            )
        else:
            advice = (
                "this key is indented further than the keys above it (so it reads as the "
                "continuation of the value above): line it up with the keys of its mapping"
            )
    elif ended_early and "block collection" in context:
        advice = (
            "this line is neither a new list item nor part of the item above: start a new "
            "item with '- ', or indent it like the keys of the item above"
        )
    elif ended_early and "block mapping" in context:
        if before.rstrip().endswith(('"', "'")):
            advice = "text after the closing quote: put the whole value inside the quotes"
        elif here[column - 1 : column] == "-":
            advice = (
                "this '- ' list item is indented differently from the lines around it: line "
                "it up with the '- ' of the other items (or put it under a key)"
            )
        else:
            advice = (
                "this line is not lined up with the keys of its mapping: indent it exactly "
                "like the keys above it (spaces only)"
            )
    elif problem.startswith("could not find expected ':'") and context_at is not None:
        line, column = context_at
        advice = (
            "a line with no 'key: value': write the ': ' after the key, or, if the text "
            "continues the value of the line above, put that value in quotes"
        )
    elif (
        problem.startswith("found unexpected end of stream")
        and "quoted scalar" in context
        and context_at is not None
    ):
        line, column = context_at
        advice = "the quote opened here is never closed: close it at the end of the value"
    elif "that cannot start any token" in problem:
        char = here[column - 1 : column]
        if char == "\t":
            advice = "a tab cannot indent YAML, use spaces"
        elif char in ("@", "`", "%"):
            advice = f"a value cannot start with {char!r} unquoted: put the value in quotes"
    elif "flow node" in context and "node content" in problem and here[column - 1 : column] == "-":
        advice = (
            "a '- ' inside [ ]: items of a [ ] list are separated by ',' (write [a, b]), "
            "or put each item on its own line starting with '- '"
        )
    elif "flow sequence" in context and "']'" in problem and context_at is not None:
        advice = (
            f"the '[' list opened at line {context_at[0]}, column {context_at[1]} is not closed "
            "before this: end it with ']' (items separated by ',')"
        )
    elif "flow mapping" in context and "'}'" in problem and context_at is not None:
        advice = (
            f"the '{{' mapping opened at line {context_at[0]}, column {context_at[1]} is not "
            "closed before this: end it with '}'"
        )
    if advice is None:
        return Explained(f"invalid YAML: {raw}", line, column)
    return Explained(f"invalid YAML: {advice} (the parser: {raw})", line, column)
