"""Tables that fit the terminal: numbers, dates and ids are never cut, names wrap.

rich shrinks every column of a table that is too wide, so at 80 columns a date became
`2026-1…` and at 60 a score `5…`. `fit` decides the widths first: the key column (the id) and
the fixed columns (scores, n, band) keep their full width; the optional ones (dates, sources)
are left out, last first, when they do not fit with the names at a readable width, then the
names themselves, and the table says so in its caption; the text columns (names) wrap into
what is left.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from rich.table import Table

Role = Literal["key", "fixed", "optional", "text"]
MIN_TEXT = 12  # the narrowest a wrapped name column gets before optional columns go


@dataclass(frozen=True)
class Column:
    header: str
    role: Role = "fixed"
    justify: Literal["left", "right"] = "left"


def _width(cell: Any) -> int:
    from rich.cells import cell_len
    from rich.text import Text

    text = cell.plain if isinstance(cell, Text) else str(cell)
    return max((cell_len(line) for line in text.splitlines()), default=0)


def wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, max(width, 20))) or text


def fit(
    title: str,
    columns: list[Column],
    rows: list[list[Any]],
    width: int,
    caption: str | None = None,
) -> Table:
    """A rich table of `rows` no wider than `width` (see the module's docstring)."""
    from rich.table import Table

    natural = [max([len(c.header), *(_width(r[i]) for r in rows)]) for i, c in enumerate(columns)]
    keep = list(range(len(columns)))

    def needed(indexes: list[int]) -> int:  # a box with one space of padding each side
        body = sum(
            min(natural[i], MIN_TEXT) if columns[i].role == "text" else natural[i] for i in indexes
        )
        return body + 3 * len(indexes) + 1

    left_out = []
    # the optional columns, last first, then the names: never the key or a fixed column
    optional = [i for i in reversed(range(len(columns))) if columns[i].role == "optional"]
    text = [i for i in reversed(range(len(columns))) if columns[i].role == "text"]
    for i in [*optional, *text]:
        if needed(keep) <= width:
            break
        keep.remove(i)
        left_out.append(columns[i].header)
    notes = [caption] if caption else []
    if left_out:
        notes.append(
            f"not shown at this width: {', '.join(reversed(left_out))} "
            "(widen the terminal, or use --format csv)"
        )
    # the consoles do not wrap (soft_wrap): title and caption are wrapped here
    table = Table(title=wrap(title, width), title_justify="left", caption_justify="left")
    if notes:
        table.caption = wrap("; ".join(notes), width)
    for i in keep:
        column = columns[i]
        if column.role == "text":
            table.add_column(column.header, justify=column.justify, overflow="fold")
        else:
            table.add_column(
                column.header, justify=column.justify, no_wrap=True, min_width=natural[i]
            )
    for row in rows:
        table.add_row(*(row[i] for i in keep))
    return table
