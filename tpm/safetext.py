"""User text made safe for where it goes (docs/file-formats.md, "Safety limits").

Every name, message and file name in a tpm project is written by someone else: it may hold
terminal escapes (ESC, C1 controls), line breaks that start a CI workflow command (`::error`
on GitHub Actions), or a spreadsheet formula.

- `visible(text)`: control characters, line and paragraph separators, bidirectional overrides
  and lone surrogates shown as escapes (`\\n`, `\\x1b`, `\\u2028`), so the text stays on its
  line and sends nothing to the terminal.
- `line_safe(text)`: human output whose line begins with `::` gets a `\\` before it; no line of
  tpm's text output can be read as a workflow command.
- `csv_cell(value)` / `csv_writer(buffer)`: a text cell that begins with `=`, `+`, `-`, `@`, tab
  or CR gets a leading `'`; numbers stay numbers.
"""

from __future__ import annotations

import csv
import re
from typing import IO, Any

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# C0 controls, DEL, C1 controls, NEL/LS/PS, bidirectional controls, lone surrogates
_INVISIBLE = r"\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_UNSAFE = re.compile(rf"[\x00-\x1f{_INVISIBLE}]")
_UNSAFE_KEEP_LINES = re.compile(rf"[\x00-\x08\x0b-\x1f{_INVISIBLE}]")


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` with every control or invisible formatting character shown as an escape."""
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_escape, text)


def visible_lines(text: str) -> str:
    """Like `visible`, but line breaks (LF) and tabs are kept: for whole rendered output."""
    if _UNSAFE_KEEP_LINES.search(text) is None:
        return text
    return _UNSAFE_KEEP_LINES.sub(_escape, text)


# a line that begins (after white space and colour codes) with `::`
_COMMAND_START = re.compile(r"^((?:\x1b\[[0-9;]*m|[ \t])*)::", re.MULTILINE)


def line_safe(text: str) -> str:
    """`text` (one or many lines) with no line beginning with `::`."""
    if "::" not in text:
        return text
    return _COMMAND_START.sub(r"\1\\::", text)


# A cell a spreadsheet would run as a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\Z")


def csv_cell(value: Any) -> Any:
    """A csv cell that no spreadsheet runs: text starting like a formula gets a leading `'`."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.match(value):
        return "'" + value
    return value


class _SafeWriter:
    def __init__(self, writer: Any) -> None:
        self._writer = writer

    def writerow(self, row: Any) -> Any:
        return self._writer.writerow([csv_cell(value) for value in row])

    def writerows(self, rows: Any) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(buffer: IO[str], **options: Any) -> Any:
    """`csv.writer(buffer)` (lines end with LF) whose cells go through `csv_cell`."""
    options.setdefault("lineterminator", "\n")
    return _SafeWriter(csv.writer(buffer, **options))
