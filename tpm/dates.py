"""Dates as tpm reads them, in every file and option: YYYY-MM-DD, a real calendar day.

One parser for tpm.yaml and the item files (`last_reviewed`, rating dates, `until`), the
response files and `--as-of`. It is strict where `datetime.date.fromisoformat` is not: no
`2026-W47-1` or `20261120` (which Python 3.11 accepts), no other digits than 0-9.
"""

from __future__ import annotations

import datetime as dt
import re

_SHAPE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

NOT_A_DATE = "is not a date: write YYYY-MM-DD"
NO_SUCH_DAY = "is not a real date: no such day in the calendar"


def parse_date(text: str) -> dt.date | None:
    """The day `text` names, or None unless it is exactly YYYY-MM-DD and a real day."""
    if not _SHAPE.fullmatch(text):
        return None
    try:
        return dt.date(int(text[:4]), int(text[5:7]), int(text[8:]))
    except ValueError:  # month 13, February 30, year 0
        return None


def as_of_day(text: str | None) -> dt.date:
    """The day of `--as-of DATE` (default: today); a bad date is a usage error."""
    from tpm.errors import UsageError

    if text is None:
        return dt.date.today()
    day = parse_date(text)
    if day is None:
        raise UsageError(f"--as-of {text!r} {date_problem(text)}")
    return day


def date_problem(text: str) -> str:
    """Why `text` is no date (when parse_date gave None), to follow it in a message."""
    return NO_SUCH_DAY if _SHAPE.fullmatch(text) else NOT_A_DATE
