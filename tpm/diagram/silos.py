"""What to draw at silo level: the silo matrix and the org overview, as plain values.

Both answer "who talks to whom" at a size where the unit map no longer reads (docs/diagrams.md,
"The silo matrix" and "The org overview"). Rows and columns are top management and the silos;
a touchpoint counts once in each (initiating silo, audience silo) pair it links, in the way it
is written (`from` → `to`), so a two-way touchpoint sits in its `from` row and is counted as
two-way there. Broadcasts (`to: all`) reach everyone and connect no one: they are counted per
initiating silo beside the matrix, never in a cell.

A cell's score is the n-weighted mean of the scores of its touchpoints that are shown on their
own; a hidden touchpoint score never feeds it (docs/scoring.md, "Privacy").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tpm.diagram.style import INK, LegendEntry, band_legend, clean, score_text
from tpm.scoring import band_of, hidden_label

if TYPE_CHECKING:
    from tpm.findings import Finding
    from tpm.project import Project
    from tpm.scoring import Scores

TOP_ID = "top-management"  # the id of level 0 in the matrix and its json


@dataclass(frozen=True)
class SiloHead:
    """A row and column of the matrix, a node of the overview."""

    id: str  # the silo's unit id, or TOP_ID
    title: str
    units: int  # units in it
    findings: int  # audit findings on its units


@dataclass(frozen=True)
class SiloCell:
    tail: str  # the row: where the touchpoints start
    head: str  # the column: their audience
    touchpoints: tuple[str, ...]  # touchpoint ids, in file order
    names: tuple[str, ...]  # their names (cleaned), for tooltips
    two_way: int
    scored: int  # touchpoints whose score is shown (the ones the score is pooled from)
    hidden: int  # touchpoints with answers whose score is hidden for anonymity
    score: float | None
    band: str | None

    @property
    def count(self) -> int:
        return len(self.touchpoints)

    @property
    def kind(self) -> str:
        """good | fair | poor, or hidden (answers, none shown) or unrated (no answers)."""
        if self.band is not None:
            return self.band
        return "hidden" if self.hidden else "unrated"

    @property
    def colour(self) -> str:
        return INK[self.kind]

    @property
    def inner(self) -> bool:
        return self.tail == self.head


@dataclass(frozen=True)
class SiloMatrix:
    title: str
    heads: tuple[SiloHead, ...]  # top management first (when it has units), then the silos
    cells: dict[tuple[str, str], SiloCell]  # only the cells with touchpoints
    broadcasts: dict[str, int]  # touchpoints to all units, per initiating silo
    thresholds: tuple[float, float]
    min_responses: int
    legend: tuple[LegendEntry, ...]

    def cell(self, tail: str, head: str) -> SiloCell | None:
        return self.cells.get((tail, head))

    def out_to_others(self, silo: str) -> int:
        return sum(c.count for (a, b), c in self.cells.items() if a == silo and b != silo)

    def in_from_others(self, silo: str) -> int:
        return sum(c.count for (a, b), c in self.cells.items() if b == silo and a != silo)

    def score_text(self, cell: SiloCell) -> str:
        """The cell's score as the badges show it ("72 · good"), or why there is none."""
        if cell.score is not None:
            return f"{score_text(cell.score, self.thresholds)} · {cell.band}"
        return hidden_label(self.min_responses) if cell.hidden else "no score"

    def describe(self, cell: SiloCell) -> str:
        """One line for tooltips and screen readers."""
        two = f", {cell.two_way} two-way" if cell.two_way else ""
        title = {h.id: h.title for h in self.heads}
        where = (
            f"inside {title[cell.tail]}"
            if cell.inner
            else f"{title[cell.tail]} → {title[cell.head]}"
        )
        return f"{where}: {cell.count} touchpoint{'s' if cell.count != 1 else ''}{two}; " + (
            f"score {self.score_text(cell)} (mean of {cell.scored} scored)"
            if cell.score is not None
            else self.score_text(cell)
        )


def _head_of(project: Project, unit: str) -> str:
    silo = project.silo.get(unit)
    return TOP_ID if silo is None else silo


def silo_matrix(
    project: Project, scores: Scores | None, findings: Iterable[Finding] = ()
) -> SiloMatrix:
    units = project.units
    good, poor = project.scoring.thresholds.good, project.scoring.thresholds.poor
    m = scores.min_responses if scores is not None else project.scoring.min_responses
    size: dict[str, int] = {}
    for u in units:
        key = _head_of(project, u)
        size[key] = size.get(key, 0) + 1
    found: dict[str, int] = {}
    for f in findings:
        if f.subject in units and not f.suppressed:
            key = _head_of(project, f.subject)
            found[key] = found.get(key, 0) + 1
    order = ([TOP_ID] if TOP_ID in size else []) + project.silos()
    heads = tuple(
        SiloHead(
            key,
            "Top management" if key == TOP_ID else clean(units[key].name),
            size.get(key, 0),
            found.get(key, 0),
        )
        for key in order
    )

    members: dict[tuple[str, str], list[str]] = {}
    broadcasts: dict[str, int] = {}
    for tid, tp in project.touchpoints.items():
        tails = dict.fromkeys(_head_of(project, u) for u in tp.from_ if u in units)
        if tp.broadcast:
            for a in tails:
                broadcasts[a] = broadcasts.get(a, 0) + 1
            continue
        heads_of = dict.fromkeys(_head_of(project, u) for u in tp.to if u in units)
        for a in tails:
            for b in heads_of:
                members.setdefault((a, b), []).append(tid)

    cells: dict[tuple[str, str], SiloCell] = {}
    for pair, tids in members.items():
        total = weight = 0.0
        scored = hidden_count = 0
        for tid in tids:
            ts = scores.touchpoints.get(tid) if scores is not None else None
            if ts is None or ts.source == "none":
                continue  # no answers: nothing to pool, nothing hidden
            if ts.hidden is not None or ts.score is None or not ts.n:
                hidden_count += 1 if ts.hidden is not None else 0
                continue  # a hidden score never feeds a shown number
            scored += 1
            total += ts.score * ts.n
            weight += ts.n
        value = total / weight if weight else None
        cells[pair] = SiloCell(
            tail=pair[0],
            head=pair[1],
            touchpoints=tuple(tids),
            names=tuple(clean(project.touchpoints[t].name) for t in tids),
            two_way=sum(1 for t in tids if project.touchpoints[t].two_way),
            scored=scored,
            hidden=hidden_count,
            score=value,
            band=band_of(value, good, poor),
        )
    position = {key: i for i, key in enumerate(order)}
    ordered = dict(
        sorted(cells.items(), key=lambda item: (position[item[0][0]], position[item[0][1]]))
    )
    return SiloMatrix(
        title=f"Who talks to whom in {clean(project.organisation) or 'the organisation'}",
        heads=heads,
        cells=ordered,
        broadcasts={k: broadcasts[k] for k in order if k in broadcasts},
        thresholds=(good, poor),
        min_responses=m,
        legend=tuple(band_legend(m, (good, poor))),
    )


def matrix_json(matrix: SiloMatrix) -> dict[str, object]:
    """The documented json: `silos` (ids, top management first), `cells` (the non-empty ones,
    row by row), `names` and `broadcasts` beside them."""
    return {
        "version": 1,
        "silos": [h.id for h in matrix.heads],
        "names": {h.id: h.title for h in matrix.heads},
        "cells": [
            {
                "from": c.tail,
                "to": c.head,
                "touchpoints": c.count,
                "two_way": c.two_way,
                "scored": c.scored,
                "score": c.score,
                "band": c.band,
            }
            for c in matrix.cells.values()
        ],
        "broadcasts": [{"from": k, "touchpoints": v} for k, v in matrix.broadcasts.items()],
    }


def matrix_csv(matrix: SiloMatrix) -> str:
    """One row per non-empty cell (ids and bands: no cell can start like a formula, and the
    writer would quote one)."""
    import io

    from tpm.safetext import csv_writer

    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(["from", "to", "touchpoints", "two_way", "scored", "score", "band"])
    for c in matrix.cells.values():
        score = "" if c.score is None else repr(float(c.score))
        writer.writerow([c.tail, c.head, c.count, c.two_way, c.scored, score, c.band or ""])
    return buffer.getvalue()


# -- the org overview: one node per silo -----------------------------------------------------

OVERVIEW_EDGES = 3  # links drawn per silo at most: beyond that the picture is a tangle


@dataclass(frozen=True)
class Overview:
    """The org map at silo level: the matrix's heads as nodes (with their inner touchpoints),
    its off-diagonal cells as edges, one per pair and direction. A large organisation keeps
    its strongest links (most touchpoints, then the poorest band) and says so in `notes`;
    the matrix always has every one."""

    matrix: SiloMatrix
    edges: tuple[SiloCell, ...]
    notes: tuple[str, ...]
    legend: tuple[LegendEntry, ...]

    @property
    def title(self) -> str:
        return self.matrix.title

    def inner(self, silo: str) -> SiloCell | None:
        return self.matrix.cell(silo, silo)


_BAND_RANK = {"poor": 0, "fair": 1, "good": 2, "hidden": 3, "unrated": 4}


def overview(matrix: SiloMatrix) -> Overview:
    links = [c for c in matrix.cells.values() if not c.inner]
    budget = max(40, OVERVIEW_EDGES * len(matrix.heads))
    notes: list[str] = []
    if len(links) > budget:
        position = {c: i for i, c in enumerate(links)}
        strongest = sorted(links, key=lambda c: (-c.count, _BAND_RANK[c.kind], position[c]))
        keep = set(strongest[:budget])
        links = [c for c in links if c in keep]
        least = min(c.count for c in keep)
        notes.append(
            f"The {budget} strongest of {len(position)} links between silos (each with at least "
            f"{least} touchpoint{'s' if least != 1 else ''}); the silo matrix has every one."
        )
    legend = [
        *matrix.legend,
        LegendEntry("edge", INK["unrated"], "touchpoints from one silo to another: how many"),
        LegendEntry("text", INK["unrated"], "of them two-way", "⇄ 2"),
    ]
    return Overview(matrix, tuple(links), tuple(notes), tuple(legend))
