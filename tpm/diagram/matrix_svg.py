"""The silo matrix drawn directly as SVG (no Graphviz): a grid is arithmetic, not layout.

Rows are where touchpoints start, columns their audience; a cell shows the count (two-way ones
after ⇄) on the colour of its band, with everything in its tooltip. A silo that no other silo
talks to (an empty column) or that talks to no other silo (an empty row) has its name in red
with ⚠, and its column or row is tinted. Every text is escaped for XML (`html_text`).
"""

from __future__ import annotations

from tpm.diagram.silos import SiloCell, SiloMatrix
from tpm.diagram.style import (
    ALERT,
    FILL,
    FONT,
    INK,
    MUTED,
    TEXT,
    TOP_FILL,
    WARN,
    html_text,
    shorten,
)

LARGE = 14  # from this many rows on, cells are small and show only the count
SILENT_FILL = "#fff5f5"


def _text(
    x: float,
    y: float,
    text: str,
    *,
    size: int = 12,
    colour: str = TEXT,
    anchor: str = "start",
    bold: bool = False,
    extra: str = "",
) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{colour}" '
        f'text-anchor="{anchor}"{weight}{extra}>{html_text(text)}</text>'
    )


def _cell_lines(matrix: SiloMatrix, cell: SiloCell, large: bool) -> list[tuple[str, int, bool]]:
    two = f"⇄{cell.two_way}" if cell.two_way else ""
    if large:
        return [(f"{cell.count}", 11, True)]
    lines = [(f"{cell.count}" + (f"  {two}" if two else ""), 15, True)]
    lines.append((matrix.score_text(cell), 10, False))
    return lines


def matrix_svg(matrix: SiloMatrix) -> str:
    heads = matrix.heads
    n = len(heads)
    large = n >= LARGE
    size = 30 if large else 76  # a cell's side in pixels
    label_w = 230 if large else 250
    top_h = 200 if large else 190  # room for the slanted column names
    legend_h = 50
    x0, y0 = label_w + 10, legend_h + top_h
    extra_cols = 2  # "to other silos" and "to all units"
    width = x0 + (n + extra_cols) * size + 40
    height = y0 + (n + 1) * size + 60
    silent_in = {h.id for h in heads if matrix.in_from_others(h.id) == 0}
    silent_out = {h.id for h in heads if matrix.out_to_others(h.id) == 0}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT}" class="silo-matrix" role="img">',
        f"<title>{html_text(matrix.title)}</title>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        _text(16, 28, matrix.title, size=20, bold=True),
    ]
    # the legend: bands, then how to read a cell
    lx = 16.0
    for entry in matrix.legend:
        kind = next((k for k, ink in INK.items() if ink == entry.colour), "unrated")
        w = 10 + 7 * len(entry.sample)
        out.append(
            f'<rect x="{lx:.1f}" y="40" width="{w}" height="16" rx="3" fill="{FILL[kind]}" '
            f'stroke="{entry.colour}"/>'
        )
        out.append(_text(lx + 4, 52, entry.sample, size=10, colour=entry.colour, bold=True))
        lx += w + 6
        out.append(_text(lx, 52, entry.label, size=10, colour=MUTED))
        lx += 6 * len(entry.label) + 16
    explain = _text(
        16,
        height - 24,
        "Row: where the touchpoints start. Column: their audience. Number: touchpoints; "
        "⇄: of them two-way; the diagonal is life inside a silo. "
        f"{WARN} red: a silo no other silo talks to, or one that talks to none.",
        size=10,
        colour=MUTED,
    )
    # tinted rows and columns of silent silos, the diagonal, the grid
    for i, h in enumerate(heads):
        if h.id in silent_in:
            out.append(
                f'<rect x="{x0 + i * size}" y="{y0}" width="{size}" height="{n * size}" '
                f'fill="{SILENT_FILL}"/>'
            )
        if h.id in silent_out:
            out.append(
                f'<rect x="{x0}" y="{y0 + i * size}" width="{n * size}" height="{size}" '
                f'fill="{SILENT_FILL}"/>'
            )
        if h.id == "top-management":
            out.append(
                f'<rect x="{x0 - label_w}" y="{y0}" width="{label_w - 4}" height="{size}" '
                f'fill="{TOP_FILL}"/>'
            )
    for i in range(n):  # the diagonal, also where it is empty
        out.append(
            f'<rect x="{x0 + i * size + 2}" y="{y0 + i * size + 2}" width="{size - 4}" '
            f'height="{size - 4}" rx="3" fill="none" stroke="#8c959f" stroke-dasharray="3 3"/>'
        )
    for i in range(n + 1):
        out.append(
            f'<line x1="{x0}" y1="{y0 + i * size}" x2="{x0 + n * size}" y2="{y0 + i * size}" '
            'stroke="#d0d7de" stroke-width="1"/>'
        )
        out.append(
            f'<line x1="{x0 + i * size}" y1="{y0}" x2="{x0 + i * size}" y2="{y0 + n * size}" '
            'stroke="#d0d7de" stroke-width="1"/>'
        )
    # names: rows on the left, columns slanted along the top
    for i, h in enumerate(heads):
        colour = ALERT if h.id in silent_out else TEXT
        name = shorten(h.title, 34 if large else 36)
        mark = f"{WARN} " if h.id in silent_out else ""
        out.append(
            f'<g class="head" data-silo="{html_text(h.id)}"><title>'
            f"{html_text(h.title)}: {h.units} unit{'s' if h.units != 1 else ''}</title>"
            + _text(
                x0 - 8,
                y0 + i * size + size / 2 + 4,
                mark + name,
                size=11 if large else 12,
                colour=colour,
                anchor="end",
                bold=h.id == "top-management",
            )
            + "</g>"
        )
        cx = x0 + i * size + size / 2
        colour = ALERT if h.id in silent_in else TEXT
        mark = f"{WARN} " if h.id in silent_in else ""
        out.append(
            f'<g class="head" data-silo="{html_text(h.id)}"><title>{html_text(h.title)}</title>'
            + _text(
                cx + 4,
                y0 - 8,
                mark + shorten(h.title, 26),
                size=11 if large else 12,
                colour=colour,
                bold=h.id == "top-management",
                extra=f' transform="rotate(-55 {cx + 4:.1f} {y0 - 8:.1f})"',
            )
            + "</g>"
        )
    # the cells
    index = {h.id: i for i, h in enumerate(heads)}
    for cell in matrix.cells.values():
        r, c = index[cell.tail], index[cell.head]
        x, y = x0 + c * size, y0 + r * size
        stroke = TEXT if cell.inner else cell.colour
        out.append(
            f'<g class="cell" data-from="{html_text(cell.tail)}" data-to="{html_text(cell.head)}">'
            f"<title>{html_text(matrix.describe(cell))}: {html_text('; '.join(cell.names))}"
            "</title>"
            f'<rect x="{x + 2}" y="{y + 2}" width="{size - 4}" height="{size - 4}" rx="3" '
            f'fill="{FILL[cell.kind]}" stroke="{stroke}" '
            f'stroke-width="{2 if cell.inner else 1}"/>'
        )
        lines = _cell_lines(matrix, cell, large)
        top = y + size / 2 - (len(lines) - 1) * 8 + 4
        for k, (text, font, bold) in enumerate(lines):
            out.append(
                _text(
                    x + size / 2,
                    top + k * 17,
                    text,
                    size=font,
                    colour=INK[cell.kind] if not bold else TEXT,
                    anchor="middle",
                    bold=bold,
                )
            )
        out.append("</g>")
    # the totals: to other silos and to all units per row, from other silos per column
    tx = x0 + n * size
    for k, head_text in enumerate(("to other silos", "to all units")):
        cx = tx + k * size + size / 2
        out.append(
            _text(
                cx + 4,
                y0 - 8,
                head_text,
                size=11,
                colour=MUTED,
                extra=f' transform="rotate(-55 {cx + 4:.1f} {y0 - 8:.1f})"',
            )
        )
    for i, h in enumerate(heads):
        row_y = y0 + i * size + size / 2 + 4
        total = matrix.out_to_others(h.id)
        out.append(
            _text(
                tx + size / 2,
                row_y,
                str(total),
                size=11,
                colour=ALERT if total == 0 else MUTED,
                anchor="middle",
                bold=total == 0,
            )
        )
        out.append(
            _text(
                tx + size + size / 2,
                row_y,
                str(matrix.broadcasts.get(h.id, 0)),
                size=11,
                colour=MUTED,
                anchor="middle",
            )
        )
    ty = y0 + n * size + size / 2 + 4
    out.append(_text(x0 - 8, ty, "from other silos", size=11, colour=MUTED, anchor="end"))
    for i, h in enumerate(heads):
        total = matrix.in_from_others(h.id)
        out.append(
            _text(
                x0 + i * size + size / 2,
                ty,
                str(total),
                size=11,
                colour=ALERT if total == 0 else MUTED,
                anchor="middle",
                bold=total == 0,
            )
        )
    out.append(explain)
    out.append("</svg>")
    return "\n".join(out) + "\n"
