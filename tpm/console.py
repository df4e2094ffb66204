"""The two consoles: human output on stdout, messages on stderr (rich; NO_COLOR honoured)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


@cache
def out() -> Console:
    import os
    import sys

    from rich.console import Console

    # Piped output (CI logs, files) is not cut to 80 columns.
    width = None if sys.stdout.isatty() or os.environ.get("COLUMNS") else 160
    return Console(soft_wrap=True, highlight=False, width=width)


@cache
def err() -> Console:
    from rich.console import Console

    return Console(stderr=True, soft_wrap=True, highlight=False)
