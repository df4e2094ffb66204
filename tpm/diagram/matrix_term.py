"""The silo matrix on the terminal (`tpm score silos`): a rich table.

When the matrix fits the console, rows are silos and columns are numbered (the number is the
row's); each cell gives the count, two-way ones after ⇄, and the score with its band in words
(colour is a help, never the only carrier). When it does not fit, one row per non-empty cell.
Names go into `Text` objects, never parsed as markup.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tpm.diagram.silos import SiloMatrix
from tpm.diagram.style import WARN, shorten

if TYPE_CHECKING:
    from tpm.project import Project
    from tpm.scoring import Scores

STYLE = {"good": "green", "fair": "yellow", "poor": "red", "hidden": "dim", "unrated": "dim"}
COLUMN = 9  # characters a numbered column takes, borders included


def matrix_tables(matrix: SiloMatrix, width: int) -> list[Any]:
    from rich.table import Table
    from rich.text import Text

    heads = matrix.heads
    silent_in = [h for h in heads if matrix.in_from_others(h.id) == 0]
    silent_out = [h for h in heads if matrix.out_to_others(h.id) == 0]
    out: list[Any] = []
    if 34 + COLUMN * (len(heads) + 1) <= width:
        t = Table(
            title=f"{matrix.title}: touchpoints from each row to each column (⇄ two-way)",
            title_justify="left",
            show_lines=True,
        )
        t.add_column("from \\ to", no_wrap=True)
        for i, _ in enumerate(heads, start=1):
            t.add_column(str(i), justify="center")
        t.add_column("to all", justify="center")
        for i, h in enumerate(heads, start=1):
            mark = f"{WARN} " if h in silent_out else ""
            row: list[Any] = [Text(f"{i} {mark}{shorten(h.title, 26)}")]
            for other in heads:
                cell = matrix.cell(h.id, other.id)
                if cell is None:
                    row.append(Text("·" if other is not h else "—", style="dim"))
                    continue
                count = str(cell.count) + (f" ⇄{cell.two_way}" if cell.two_way else "")
                row.append(
                    Text.assemble(
                        (count, "bold"), "\n", (matrix.score_text(cell), STYLE[cell.kind])
                    )
                )
            row.append(Text(str(matrix.broadcasts.get(h.id, 0)) or "", style="dim"))
            t.add_row(*row)
        out.append(t)
    else:
        t = Table(
            title=f"{matrix.title}: touchpoints between silos, one row per pair (⇄ two-way)",
            title_justify="left",
        )
        for col, justify in (
            ("from", "left"),
            ("to", "left"),
            ("touchpoints", "right"),
            ("two-way", "right"),
            ("score", "left"),
        ):
            t.add_column(col, justify=justify)  # type: ignore[arg-type]
        title = {h.id: shorten(h.title, 30) for h in heads}
        for cell in matrix.cells.values():
            t.add_row(
                Text(title[cell.tail]),
                Text("(inside)" if cell.inner else title[cell.head]),
                str(cell.count),
                str(cell.two_way),
                Text(matrix.score_text(cell), style=STYLE[cell.kind]),
            )
        out.append(t)
    for label, group in (
        ("No other silo talks to", silent_in),
        ("Talks to no other silo", silent_out),
    ):
        if group:
            names = ", ".join(shorten(h.title, 40) for h in group)
            out.append(Text.assemble((f"{WARN} {label}: ", "bold red"), names))
    return out


def silos_view(project: Project, scores: Scores, fmt: str, emit: Callable[[str], None]) -> None:
    """`tpm score silos`: the matrix as a table on the console, or its json or csv."""
    from tpm.diagram.silos import silo_matrix

    if fmt != "table":
        from tpm.diagram.render import silos

        emit(silos(project, scores, [], fmt))
        return
    from tpm.console import out

    console = out()
    for renderable in matrix_tables(silo_matrix(project, scores), console.width):
        console.print(renderable)
