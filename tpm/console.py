"""The two consoles: human output on stdout, messages on stderr (rich; NO_COLOR honoured).

Both are safe for user text (docs/file-formats.md, "Safety limits"): whatever a table, a line
or a message holds, control characters reach the terminal or the CI log only as visible
escapes (rich's own colour and cursor codes are untouched), and no printed line begins with
`::`, which CI runners read as a workflow command.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

# how each severity is coloured at a terminal (findings, summaries, `tpm rules`)
SEVERITY_STYLES = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def _safe_console(**options: Any) -> Console:
    from rich.console import Console
    from rich.segment import Segment

    from tpm.safetext import line_safe, visible_lines

    class SafeConsole(Console):
        def _render_buffer(self, buffer: Any) -> str:
            safe = (
                segment if segment.control else Segment(visible_lines(segment.text), *segment[1:])
                for segment in buffer
            )
            return line_safe(super()._render_buffer(safe))

    return SafeConsole(**options)


@cache
def out() -> Console:
    import os
    import sys

    # Piped output (CI logs, files) is not cut to 80 columns.
    width = None if sys.stdout.isatty() or os.environ.get("COLUMNS") else 160
    # markup=False: names, ids and paths are the user's text, printed as written (a '[' in a
    # touchpoint name is not a style tag); styles are given as rich Text objects
    return _safe_console(soft_wrap=True, highlight=False, markup=False, width=width)


@cache
def err() -> Console:
    return _safe_console(stderr=True, soft_wrap=True, highlight=False, markup=False)


class ByteProgress:
    """A progress bar on stderr for reading files, shown only on an interactive terminal and
    only when there is enough to read for it to matter. Use as a context manager; the reader
    calls `.start(total)` once it knows its files, then `.advance` as it reads."""

    MIN_BYTES = 8 * 1024 * 1024

    def __init__(self, description: str, passes: int = 1) -> None:
        self.passes = passes
        self.description = description
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> ByteProgress:
        return self

    def start(self, total: int) -> None:
        import sys

        total *= self.passes
        if self._progress is None and sys.stderr.isatty() and total >= self.MIN_BYTES:
            from rich.progress import (
                BarColumn,
                DownloadColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                DownloadColumn(),
                TimeRemainingColumn(),
                console=err(),
                transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task(self.description, total=total)

    def advance(self, amount: int) -> None:
        if self._progress is not None:
            self._progress.advance(self._task, amount)

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()
