"""`tpm report`: one self-contained HTML file for a workshop (docs/diagrams.md, "The report").

The organisation and its TPM index, the audit findings, the score tables, the org map and every
journey map, inline. Built with jinja2 and `autoescape=True`: every user-supplied text is escaped
by the template engine; the only markup passed through is the SVG that `dot` wrote (where dot
escaped every text itself). No external resources: no fonts, scripts, images or style sheets
from anywhere; it prints on A4.

Privacy: the scores hold no value computed from fewer than `min_responses` respondents (they
are None); this module shows those as "n < 5", with n still given beside them, as `tpm score`
does (docs/scoring.md, "Privacy": the score is hidden, not the number of answers).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tpm import __version__
from tpm.diagram.style import score_text
from tpm.rules.paths import LongFeedbackPathOptions
from tpm.scoring import reason_label
from tpm.words import plural

if TYPE_CHECKING:
    from tpm.findings import Finding
    from tpm.graph import OrgGraph
    from tpm.project import Project
    from tpm.scoring import Enps, Scores
    from tpm.session import Session

TEMPLATE = "report.html.j2"

COMPONENTS: dict[str, tuple[str, str]] = {
    "quality": ("Quality", "mean touchpoint score, weighted by respondents"),
    "ownership": (
        "Ownership",
        "journeys with an active owner; a cross-silo journey counts when every silo is covered",
    ),
    "dialogue": (
        "Dialogue",
        "units below top management whose voice reaches it within {hops} touchpoints (hops)",
    ),
    "freshness": ("Freshness", "touchpoints with a fresh score, of all touchpoints"),
    "connectedness": ("Connectedness", "units below top management that are not CX islands"),
}
NO_MAPS = (
    "Graphviz 'dot' is not installed: the report has no maps; "
    "install it with 'sudo apt-get install graphviz'"
)
SEVERITIES = (("error", "Errors"), ("warning", "Warnings"), ("info", "Information"))


@dataclass
class Cell:
    """One value as the report shows it: text, and the band for its colour (if any)."""

    text: str
    band: str = ""  # good | fair | poor | hidden | "" (no colour)


@dataclass
class Picture:
    anchor: str
    title: str
    svg: str | None  # inline SVG markup; None when it could not be drawn
    facts: list[tuple[str, str]] = field(default_factory=list)
    owner_line: str = ""
    owned: bool = True
    score: Cell | None = None

    @property
    def screen_width(self) -> int:
        """Pixels to show the map at on screen: 70 % of its natural size, so that its text
        stays readable (the figure scrolls sideways when that is wider than the page)."""
        match = _WIDTH.search(self.svg or "")
        if match is None:
            return 0
        if match.group(2) == "pt":  # drawn by dot: points, shown smaller
            return round(float(match.group(1)) * 4 / 3 * SCREEN_SCALE)
        return round(float(match.group(1)))  # drawn by tpm: pixels, at their size


SCREEN_SCALE = 0.7
_WIDTH = re.compile(r'<svg (?:xmlns="[^"]*" )?width="([0-9.]+)(pt|)"')


class _Show:
    """Formatting with the anonymity threshold applied in one place."""

    def __init__(self, min_responses: int, thresholds: tuple[float, float]) -> None:
        self.m = min_responses
        self.good, self.poor = thresholds

    def text(self, value: float) -> str:
        return score_text(value, (self.good, self.poor))

    def score(self, value: float | None, band: str | None, reason: str | None = None) -> Cell:
        if value is None:
            label = reason_label(reason, self.m)
            return Cell(label, "hidden") if label is not None else Cell("no data")
        return Cell(self.text(value), band or "")

    def n(self, n: int | None) -> Cell:
        """n as `tpm score` gives it: none beside a hidden value (docs/privacy.md, rule 2)."""
        return Cell(str(n) if n else "—")

    def band_of(self, value: float | None) -> str:
        """The band by the thresholds, exactly as the scores are banded (tpm.scoring)."""
        from tpm.scoring import band_of

        return band_of(value, self.good, self.poor) or ""

    def enps(self, e: Enps) -> list[Cell]:
        if e.value is None:
            label = reason_label(e.hidden, self.m)
            cell = Cell(label, "hidden") if label is not None else Cell("no data")
            return [cell, self.n(e.n), Cell(""), Cell("")]
        sign = "+" if e.value > 0 else ""
        return [
            Cell(
                f"{sign}{e.value:.0f}", "good" if e.value > 0 else ("poor" if e.value < 0 else "")
            ),
            self.n(e.n),
            Cell(f"{e.promoters:.0f} %" if e.promoters is not None else ""),
            Cell(f"{e.detractors:.0f} %" if e.detractors is not None else ""),
        ]


def _date(day: dt.date | None) -> str:
    return day.isoformat() if day is not None else "—"


def build_context(
    project: Project,
    graph: OrgGraph,
    scores: Scores,
    findings: list[Finding],
    as_of: dt.date,
    pictures: Pictures,
    notes: list[str],
) -> dict[str, Any]:
    t = project.scoring.thresholds
    show = _Show(scores.min_responses, (t.good, t.poor))
    hops = LongFeedbackPathOptions.of(project.audit).max_feedback_hops
    index = scores.index
    weights = project.scoring.index_weights
    components = []
    reasons = _no_data_reasons(project, graph, scores)
    for key, (label, explanation) in COMPONENTS.items():
        value = index.components.get(key)
        why = explanation.format(hops=hops)
        if key in reasons and (value is None or value == 0):
            why += f": {reasons[key]}"  # a 0 or a "no data" that says why
        components.append(
            {
                "label": label,
                "explanation": why,
                "value": value,
                "text": show.text(value) if value is not None else "no data",
                "band": show.band_of(value),
                "weight": getattr(weights, key),
                "counted": value is not None and getattr(weights, key) > 0,
            }
        )

    groups: list[dict[str, Any]] = []
    for severity, title in SEVERITIES:
        members = [f for f in findings if f.severity.value == severity]
        by_rule: dict[str, list[Finding]] = {}
        for f in members:
            by_rule.setdefault(f.code, []).append(f)
        rules = [
            {"code": code, "name": rows[0].name, "findings": rows}
            for code, rows in sorted(by_rule.items())
        ]
        # by rule within each severity; the info rules are folded (advice, not problems)
        groups.append(
            {
                "severity": severity,
                "title": title,
                "findings": members,
                "rules": rules,
                "open": severity != "info",
            }
        )

    touchpoints: list[dict[str, Any]] = []
    for tid, ts in scores.touchpoints.items():
        tp = project.touchpoints.get(tid)
        touchpoints.append(
            {
                "name": ts.name,
                "id": tid,
                "details": _touchpoint_details(project, tid, findings),
                "channel": (tp.channel or "") if tp is not None else "",
                "score": show.score(ts.score, ts.band, ts.hidden),
                "n": show.n(ts.n),
                "newest": _date(ts.newest),
                "source": ts.source,
                "fresh": "" if ts.fresh is None else ("fresh" if ts.fresh else "stale"),
            }
        )
    # the problems first: poor touchpoints, then the rest by name
    touchpoints.sort(key=lambda row: (row["score"].band != "poor", str(row["name"]).casefold()))

    names = {tid: tp.name for tid, tp in project.touchpoints.items()}
    drawn = {p.anchor.removeprefix("journey-") for p in pictures.journeys}
    journeys = []
    for jid, js in scores.journeys.items():
        journey = project.journeys.get(jid)
        journeys.append(
            {
                "name": js.name,
                "id": jid,
                "anchor": f"journey-{jid}" if jid in drawn else "",
                "score": show.score(js.score, js.band),
                "coverage": f"{js.coverage * 100:.0f} %",
                "weakest": names.get(js.weakest, js.weakest or "—") if js.weakest else "—",
                "steps": len(journey.steps) if journey is not None else 0,
            }
        )
    units = []
    for uid, us in scores.units.items():
        units.append(
            {
                "name": us.name,
                "id": uid,
                "silo": _silo_name(project, uid),
                "score": show.score(us.score, us.band),
                "n": show.n(us.n),
                "own": show.score(us.own_score, show.band_of(us.own_score), us.own_hidden),
                "own_n": show.n(us.own_n),
            }
        )
    enps_rows = [
        {"name": project.units[u].name if u in project.units else u, "cells": show.enps(e)}
        for u, e in scores.enps_units.items()
    ]
    return {
        "organisation": project.organisation or "the organisation",
        "as_of": as_of.isoformat(),
        "version": __version__,
        "index": {
            "value": index.value,
            "text": show.text(index.value) if index.value is not None else "no data",
            # a partial index is never a coloured score: greyed, with what it lacks
            "band": "muted" if index.partial else show.band_of(index.value),
            "basis": _index_basis(components),
            "partial": index.partial_note(),
        },
        "components": components,
        "thresholds": {"good": f"{t.good:g}", "poor": f"{t.poor:g}"},
        "min_responses": scores.min_responses,
        "counts": {g["severity"]: len(g["findings"]) for g in groups},
        "finding_silo": _finding_silos(project, findings),
        "rules": sorted({f.code for f in findings}),
        "silo_names": [_silo_name(project, s) for s in project.silos()],
        "groups": groups,
        "touchpoints": touchpoints,
        "journeys": journeys,
        "units": units,
        "enps": show.enps(scores.enps),
        "enps_units": enps_rows,
        "pictures": pictures,
        "org_picture": pictures.org,
        "journey_pictures": pictures.journeys,
        "notes": notes,
        "size": [
            plural(len(project.units), "unit"),
            plural(len(project.people), "person", "people"),
            plural(len(project.touchpoints), "touchpoint"),
            plural(len(project.journeys), "journey"),
        ],
    }


def _finding_silos(project: Project, findings: list[Finding]) -> dict[str, str]:
    """The silo each finding's subject belongs to, for the report's silo filter: a unit's own,
    a touchpoint's initiating unit's; nothing for journeys and the project."""
    silos: dict[str, str] = {}
    for f in findings:
        subject = f.subject or ""
        unit = subject if subject in project.units else None
        tp = project.touchpoints.get(subject)
        if tp is not None:
            unit = next((u for u in tp.from_ if u in project.units), None)
        if unit is not None:
            silos[subject] = _silo_name(project, unit)
    return silos


def _touchpoint_details(
    project: Project, tid: str, findings: list[Finding]
) -> list[tuple[str, str]]:
    """What a touchpoint's row opens to in the report: its fields and its findings."""
    tp = project.touchpoints.get(tid)
    if tp is None:
        return []

    def names(ids: list[str]) -> str:
        if tp is not None and tp.broadcast and ids == tp.to:
            return "all units"
        return ", ".join(project.units[u].name if u in project.units else u for u in ids)

    owner = project.people.get(tp.owner) if tp.owner else None
    rows = [
        ("From", names(tp.from_)),
        ("To", names(tp.to)),
        ("Direction", tp.direction),
        ("Owner", owner.name if owner is not None else (tp.owner or "none")),
    ]
    if tp.cadence:
        rows.append(("Cadence", tp.cadence))
    if tp.description:
        rows.append(("About", " ".join(tp.description.split())))
    mine = [f"{f.code} {f.message}" for f in findings if f.subject == tid]
    rows.append(("Findings", "; ".join(mine) if mine else "none"))
    return rows


def _no_data_reasons(project: Project, graph: OrgGraph, scores: Scores) -> dict[str, str]:
    """Why a component of the index can have nothing to measure yet."""
    reasons: dict[str, str] = {}
    if scores.touchpoints and not any(t.score is not None for t in scores.touchpoints.values()):
        reasons["quality"] = reasons["freshness"] = "no touchpoint is scored yet"
    if not project.journeys:
        reasons["ownership"] = "the project has no journeys"
    if not graph.top:
        reasons["dialogue"] = reasons["connectedness"] = "no unit is top management (level 0)"
    return reasons


def _index_basis(components: list[dict[str, Any]]) -> str:
    """What the index is the mean of, so that a green index beside a red component reads
    as arithmetic, not as a contradiction."""
    counted = [str(c["label"]).lower() for c in components if c["counted"]]
    if not counted:
        return ""
    weighted = len({c["weight"] for c in components if c["counted"]}) > 1
    names = counted[0] if len(counted) == 1 else ", ".join(counted[:-1]) + " and " + counted[-1]
    return f"the {'weighted ' if weighted else ''}mean of {names}"


def _silo_name(project: Project, unit: str) -> str:
    silo = project.silo.get(unit)
    if silo is None:
        return "top management"
    return project.units[silo].name if silo in project.units else silo


UNIT_MAP_UNITS = 40  # the report draws the unit map below this many units (dot: seconds)
JOURNEY_MAPS = 50  # journey maps drawn in the report; the others are listed


@dataclass
class Pictures:
    overview: Picture
    matrix: Picture
    org: Picture | None  # None: too large to draw here (`org_note` says so)
    journeys: list[Picture]
    listed: list[dict[str, Any]]  # journeys not drawn: name, id, owner line, score
    org_note: str = ""
    heatmap: Picture | None = None  # None: no answers carry a unit


def _journey_order(project: Project, graph: OrgGraph, scores: Scores) -> list[str]:
    """The journeys the report draws first: no owner, then handoffs nobody covers, then the
    poorest score (unscored last), then file order."""
    position = {jid: i for i, jid in enumerate(project.journeys)}

    def key(jid: str) -> tuple[int, int, float, int]:
        journey = project.journeys[jid]
        owner = project.people.get(journey.owner) if journey.owner else None
        owned = owner is not None and owner.active
        js = scores.journeys.get(jid)
        score = js.score if js is not None and js.score is not None else 101.0
        return (0 if not owned else 1), -len(graph.uncovered_silos(journey)), score, position[jid]

    return sorted(project.journeys, key=key)


def _pictures(
    project: Project,
    graph: OrgGraph,
    scores: Scores,
    findings: list[Finding],
    notes: list[str],
    draw: bool,
    warnings: list[str],
) -> Pictures:
    """The overview, the silo matrix, the unit map (when small enough) and the journey maps
    (the first JOURNEY_MAPS by need), as inline SVG. The matrix is drawn by tpm; the maps by
    Graphviz, the journey maps in a few `dot` processes for all of them. Without `dot`, the
    sections stay, with a note at the top instead of pictures, and one line in `warnings`
    for stderr."""
    from markupsafe import Markup

    from tpm.diagram.graphviz_render import journey_graph, org_graph, overview_graph
    from tpm.diagram.matrix_svg import matrix_svg
    from tpm.diagram.model import journey_map, org_map
    from tpm.diagram.render import (
        DOT_MISSING,
        DiagramError,
        dot_available,
        inline_svg,
        pipe,
        pipe_many,
    )
    from tpm.diagram.render import progress as progress_bar
    from tpm.diagram.silos import overview, silo_matrix

    can_draw = draw and dot_available()
    if draw and not can_draw:
        notes.append(f"{DOT_MISSING}. The maps are left out of this report.")
        warnings.append(NO_MAPS)

    def left_out(exc: Exception | None, prefix: str) -> None:
        why = exc if exc is not None else "Graphviz 'dot' could not draw it"
        notes.append(f"{why} (map '{prefix}' left out)")
        warnings.append(f"{why}: the report leaves out map '{prefix}'")

    def svg(source: Any, prefix: str) -> str | None:
        if not can_draw:
            return None
        try:
            drawn = inline_svg(pipe(source, "svg").decode("utf-8"), prefix)
        except DiagramError as exc:
            left_out(exc, prefix)
            return None
        return Markup(drawn)  # trusted: dot escaped every text in it

    matrix = silo_matrix(project, scores, findings)
    ov = overview(matrix)
    pictures = Pictures(
        overview=Picture("overview", ov.title, svg(overview_graph(ov), "ov")),
        # drawn by tpm, every text escaped by matrix_svg; needs no Graphviz
        matrix=Picture("silo-matrix", matrix.title, Markup(matrix_svg(matrix))),
        org=None,
        journeys=[],
        listed=[],
    )
    if scores.heat:
        from tpm.diagram.heatmap import heatmap, heatmap_svg

        hm = heatmap(project, scores)
        # drawn by tpm, every text escaped; hidden and empty cells drawn apart
        pictures.heatmap = Picture("heatmap", hm.title, Markup(heatmap_svg(hm)))
    if len(project.units) < UNIT_MAP_UNITS:
        om = org_map(project, graph, scores, findings)
        pictures.org = Picture("org-map", om.title, svg(org_graph(om), "org"))
    else:
        pictures.org_note = (
            f"With {len(project.units)} units the unit map is too large to read on a page: "
            "the overview and the matrix above show the silos; draw one silo's units with "
            "'tpm diagram org --silo ID'."
        )
    t = project.scoring.thresholds
    show = _Show(scores.min_responses, (t.good, t.poor))
    order = _journey_order(project, graph, scores)
    drawn = order[:JOURNEY_MAPS]
    maps = [journey_map(project, graph, scores, project.journeys[jid]) for jid in drawn]
    svgs: list[bytes | None] = [None] * len(maps)
    if can_draw and maps:
        with progress_bar(2, "drawing journey maps") as step:
            sources = [journey_graph(jm).source for jm in maps]
            step()
            svgs = pipe_many(sources)
            step()
    number = {jid: n for n, jid in enumerate(project.journeys, start=1)}
    for jid, jm, data in zip(drawn, maps, svgs, strict=True):
        journey = project.journeys[jid]
        js = scores.journeys.get(jid)
        prefix = f"j{number[jid]}"
        if can_draw and data is None:
            left_out(None, prefix)
        facts = [("Lived through by", jm.audience)] if jm.audience else []
        if journey.goal:
            facts.append(("Goal", " ".join(journey.goal.split())))
        pictures.journeys.append(
            Picture(
                anchor=f"journey-{jid}",
                title=jm.name,
                svg=Markup(inline_svg(data.decode("utf-8"), prefix)) if data else None,
                facts=facts,
                owner_line=jm.owner_line,
                owned=jm.owned,
                score=show.score(js.score, js.band) if js is not None else None,
            )
        )
    for jid in order[JOURNEY_MAPS:]:
        js = scores.journeys.get(jid)
        pictures.listed.append(
            {
                "id": jid,
                "name": project.journeys[jid].name,
                "score": show.score(js.score, js.band) if js is not None else Cell("no data"),
            }
        )
    return pictures


def build_report(
    project: Project,
    graph: OrgGraph,
    scores: Scores,
    findings: list[Finding],
    as_of: dt.date,
    *,
    pictures: bool = True,
    warnings: list[str] | None = None,
) -> str:
    """The report as one HTML document. `pictures=False` leaves the maps out (the sections
    stay), as does a machine without Graphviz `dot`; then `warnings` gets the line to print
    on stderr, as it does for a map that `dot` could not draw."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    notes: list[str] = []
    drawn = _pictures(
        project, graph, scores, findings, notes, pictures, warnings if warnings is not None else []
    )
    env = Environment(
        loader=PackageLoader("tpm", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    context = build_context(project, graph, scores, findings, as_of, drawn, notes)
    return env.get_template(TEMPLATE).render(**context)


def session_report(session: Session, warnings: list[str] | None = None) -> str:
    """`tpm report`: the report of the session's project, scores and audit findings."""
    findings = session.audit().findings
    project, graph, scores = session.project, session.graph, session.scores
    return build_report(project, graph, scores, findings, session.as_of, warnings=warnings)
