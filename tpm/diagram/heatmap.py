"""The heatmap (`tpm diagram heatmap`): units, grouped by silo, × touchpoints or dimensions;
each cell the unit's own score in the newest wave, coloured by band (docs/diagrams.md).

A cell is one of three things, and each looks different and says which: a score (its band's
colour), hidden by the privacy engine (hatched grey, `n < 5` or `protected`, with the reason
in its tooltip), or no data (blank, a dot). Values come from `Scores.heat` and
`Scores.heat_units`, where the privacy engine has already decided; nothing here pools or
reveals anything more.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tpm.diagram.style import FILL, FONT, INK, MUTED, TEXT, html_text, score_text, shorten
from tpm.scoring import band_of, reason_label

if TYPE_CHECKING:
    from tpm.project import Project
    from tpm.scoring import Scores

HATCH = "#8c959f"


@dataclass(frozen=True)
class HeatValue:
    kind: str  # good | fair | poor | hidden | empty
    text: str  # "72", "n < 5", "protected", ""
    why: str  # the tooltip: the score with its band, the reason it is hidden, or "no data"
    score: float | None = None
    band: str | None = None
    hidden: str | None = None


@dataclass(frozen=True)
class Heatmap:
    title: str
    by: str  # touchpoint | dimension
    rows: tuple[tuple[str, str, str], ...]  # (unit id, unit name, silo name)
    columns: tuple[tuple[str, str], ...]  # (id, name)
    cells: dict[tuple[str, str], HeatValue]  # (unit, column); missing: no data

    def value(self, unit: str, column: str) -> HeatValue:
        return self.cells.get((unit, column), EMPTY)


EMPTY = HeatValue("empty", "", "no data: no answers from this unit")


def heatmap(project: Project, scores: Scores, by: str = "touchpoint") -> Heatmap:
    t = project.scoring.thresholds
    m = scores.min_responses

    def value(score: float | None, hidden: str | None) -> HeatValue:
        if hidden is not None:
            label = reason_label(hidden, m) or ""
            return HeatValue("hidden", label, f"hidden: {hidden}", hidden=hidden)
        if score is None:
            return EMPTY
        band = band_of(score, t.good, t.poor) or "fair"
        text = score_text(score, (t.good, t.poor))
        return HeatValue(band, text, f"{text} · {band}", score, band)

    cells: dict[tuple[str, str], HeatValue] = {}
    if by == "dimension":
        columns = tuple((d, dim.label or d) for d, dim in project.scoring.dimensions.items())
        for unit, cell in scores.heat_units.items():
            for d, _ in columns:
                if cell.hidden is not None:
                    cells[(unit, d)] = value(None, cell.hidden)
                elif cell.dimensions.get(d) is not None:
                    cells[(unit, d)] = value(cell.dimensions[d], None)
        used_units = set(scores.heat_units)
    else:
        used = dict.fromkeys(tid for tid, _ in scores.heat)
        columns = tuple((tid, tp.name) for tid, tp in project.touchpoints.items() if tid in used)
        for (tid, unit), cell in scores.heat.items():
            cells[(unit, tid)] = value(cell.score, cell.hidden)
        used_units = {unit for _, unit in scores.heat}
    order = {s: i for i, s in enumerate(project.silos())}

    def silo_key(u: str) -> tuple[int, int]:
        silo = project.silo.get(u)
        return (-1 if silo is None else order.get(silo, len(order))), project.level.get(u, 1)

    def silo_name(u: str) -> str:
        silo = project.silo.get(u)
        return "top management" if silo is None else project.units[silo].name

    rows = tuple(
        (u, project.units[u].name, silo_name(u))
        for u in sorted((u for u in project.units if u in used_units), key=silo_key)
    )
    title = f"Own scores by unit and {by} in {project.organisation or 'the organisation'}"
    return Heatmap(title, by, rows, columns, cells)


def heatmap_json(hm: Heatmap) -> dict[str, Any]:
    return {
        "version": 1,
        "by": hm.by,
        "units": [{"id": u, "name": name, "silo": silo} for u, name, silo in hm.rows],
        "columns": [{"id": c, "name": name} for c, name in hm.columns],
        "cells": [
            {"unit": u, "column": c, "score": v.score, "band": v.band, "hidden": v.hidden}
            for (u, c), v in hm.cells.items()
        ],
    }


def heatmap_csv(hm: Heatmap) -> str:
    import io

    from tpm.safetext import csv_writer

    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(["unit", hm.by, "score", "band", "hidden"])
    for (u, c), v in hm.cells.items():
        score = "" if v.score is None else repr(float(v.score))
        writer.writerow([u, c, score, v.band or "", v.hidden or ""])
    return buffer.getvalue()


def heatmap_svg(hm: Heatmap) -> str:
    size = 44
    label_w, top_h = 300, 200
    x0, y0 = label_w, 70 + top_h
    width = max(x0 + len(hm.columns) * size + 40, 1000)  # room for the title and the key
    height = y0 + len(hm.rows) * size + 70

    def text(x: float, y: float, body: str, extra: str = "") -> str:
        return f'<text x="{x:.1f}" y="{y:.1f}"{extra}>{html_text(body)}</text>'

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="11" class="heatmap">',
        f"<title>{html_text(hm.title)}</title>",
        '<defs><pattern id="hm-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{FILL["hidden"]}"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{HATCH}" stroke-width="2"/></pattern></defs>',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        text(16, 28, hm.title, ' font-size="18" font-weight="bold"'),
        text(
            16,
            50,
            "Colour: the unit's own score, by band. Hatched: hidden to protect anonymity "
            "(n < k, or protected: hidden so that a smaller group cannot be worked out). "
            "Blank with a dot: no answers from that unit.",
            f' fill="{MUTED}"',
        ),
    ]
    for j, (_, name) in enumerate(hm.columns):
        cx = x0 + j * size + size / 2
        out.append(
            text(
                cx,
                y0 - 8,
                shorten(name, 32),
                f' fill="{TEXT}" transform="rotate(-55 {cx:.1f} {y0 - 8:.1f})"',
            )
        )
    for i, (unit, name, silo) in enumerate(hm.rows):
        y = y0 + i * size
        out.append(
            text(x0 - 8, y + size / 2, shorten(name, 30), f' text-anchor="end" fill="{TEXT}"')
        )
        out.append(
            text(
                x0 - 8,
                y + size / 2 + 13,
                shorten(silo, 36),
                f' text-anchor="end" fill="{MUTED}" font-size="9"',
            )
        )
        for j, (column, _) in enumerate(hm.columns):
            v = hm.value(unit, column)
            x = x0 + j * size
            if v.kind == "empty":
                body = (
                    f'<rect x="{x + 2}" y="{y + 2}" width="{size - 4}" height="{size - 4}" '
                    f'fill="#ffffff" stroke="#d0d7de" stroke-dasharray="2 2"/>'
                    + text(
                        x + size / 2, y + size / 2 + 4, "·", f' text-anchor="middle" fill="{MUTED}"'
                    )
                )
            elif v.kind == "hidden":
                body = (
                    f'<rect x="{x + 2}" y="{y + 2}" width="{size - 4}" height="{size - 4}" '
                    f'fill="url(#hm-hatch)" stroke="{HATCH}"/>'
                    + text(
                        x + size / 2,
                        y + size / 2 + 4,
                        v.text,
                        f' text-anchor="middle" fill="{TEXT}" font-size="9" font-weight="bold"',
                    )
                )
            else:
                body = (
                    f'<rect x="{x + 2}" y="{y + 2}" width="{size - 4}" height="{size - 4}" '
                    f'rx="3" fill="{FILL[v.kind]}" stroke="{INK[v.kind]}"/>'
                    + text(
                        x + size / 2,
                        y + size / 2 + 4,
                        v.text,
                        f' text-anchor="middle" fill="{INK[v.kind]}" font-weight="bold"',
                    )
                )
            out.append(
                f'<g class="heat {v.kind}" data-unit="{html_text(unit)}" '
                f'data-column="{html_text(column)}"><title>{html_text(name)} · '
                f"{html_text(dict(hm.columns)[column])}: {html_text(v.why)}</title>{body}</g>"
            )
    out.append("</svg>")
    return "\n".join(out) + "\n"


STYLE = {"good": "green", "fair": "yellow", "poor": "red", "hidden": "reverse", "empty": "dim"}


def heatmap_tables(hm: Heatmap) -> list[Any]:
    """The terminal table: columns numbered (keyed below), hidden cells in reverse video with
    their reason's label, empty ones a dim dot."""
    from rich.table import Table
    from rich.text import Text

    t = Table(title=hm.title, title_justify="left")
    t.add_column("unit")
    t.add_column("silo", style="dim")
    for j, _ in enumerate(hm.columns, start=1):
        t.add_column(str(j), justify="center")
    for unit, name, silo in hm.rows:
        row: list[Any] = [Text(shorten(name, 30)), Text(shorten(silo, 24))]
        for column, _ in hm.columns:
            v = hm.value(unit, column)
            row.append(Text(v.text or "·", style=STYLE[v.kind]))
        t.add_row(*row)
    key = Text(
        "Columns: "
        + "; ".join(f"{j} {shorten(name, 40)}" for j, (_, name) in enumerate(hm.columns, start=1))
        + "\n· no data (no answers from that unit); n < k: hidden, too few people; "
        "protected: hidden so that a smaller group cannot be worked out"
    )
    return [t, key]


def heatmap_view(
    project: Project, scores: Scores, by: str, fmt: str, emit: Callable[[str], None]
) -> None:
    hm = heatmap(project, scores, by)
    if fmt == "json":
        import json

        emit(json.dumps(heatmap_json(hm), indent=2, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        emit(heatmap_csv(hm))
    elif fmt == "svg":
        emit(heatmap_svg(hm))
    else:
        from tpm.console import out

        console = out()
        for renderable in heatmap_tables(hm):
            console.print(renderable)
