"""The two consoles: human output on stdout, messages on stderr (rich; NO_COLOR honoured)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


@cache
def out() -> Console:
    from rich.console import Console

    return Console(soft_wrap=True, highlight=False)


@cache
def err() -> Console:
    from rich.console import Console

    return Console(stderr=True, soft_wrap=True, highlight=False)
