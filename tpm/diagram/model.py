"""What to draw: the journey map and the org map as plain values, computed once.

The Graphviz and Mermaid renderers only lay these out; every decision about content (which
lanes, which steps, which handoffs are red, which edges merge, what a badge says, what stays
hidden for anonymity) is taken here, from the `Project`, its `OrgGraph` and the `Scores`.
Everything is ordered by file order or sorted, so the same input always draws the same picture.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import TYPE_CHECKING, Literal

from tpm.diagram.style import (
    ALERT,
    FLOW,
    HANDOFF,
    INK,
    SEVERITY_ORDER,
    STAR,
    WARN,
    Badge,
    LegendEntry,
    badge,
    band_legend,
    cadence_text,
    clean,
    worst,
)
from tpm.words import plural

if TYPE_CHECKING:
    from tpm.findings import Finding
    from tpm.graph import OrgGraph
    from tpm.model import Journey, Touchpoint
    from tpm.project import Project
    from tpm.scoring import Scores

ALL_UNITS = "all"  # the key of the "all units" node of broadcasts ("all" is never an id)
TOP_TITLE = "Top management"


def silo_title(project: Project, silo: str | None) -> str:
    if silo is None:
        return TOP_TITLE.lower()
    unit = project.units.get(silo)
    return unit.name if unit is not None else silo


def _person(project: Project, pid: str) -> str:
    person = project.people.get(pid)
    return clean(person.name) if person is not None else pid


def _badge(project: Project, scores: Scores | None, tid: str) -> Badge:
    if scores is None:
        return badge(None, project.scoring.min_responses)
    return badge(scores.touchpoints.get(tid), scores.min_responses, _thresholds(project))


def _thresholds(project: Project) -> tuple[float, float]:
    t = project.scoring.thresholds
    return t.good, t.poor


# -- journey map ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Lane:
    unit: str  # the unit id
    title: str  # the unit's name
    subtitle: str  # "top management" or "silo: Customer service"
    silo: str | None


Role = Literal["with", "receives", "two-way"]


@dataclass(frozen=True)
class Step:
    key: str  # "s1", "s2", …: "s" and the number
    number: int  # the step's place in the journey's steps, from 1 (as `tpm show` and the
    # findings count them: a step that cannot be drawn keeps its number)
    lane: str  # the initiating unit (the first known `from` unit)
    touchpoint: str
    name: str
    channel: str
    cadence: str
    stage: str  # "" when the step names none
    critical: bool
    badge: Badge
    broadcast: bool
    # the other units taking part, in lane order: (unit, role)
    others: tuple[tuple[str, Role], ...] = ()


@dataclass(frozen=True)
class Flow:
    """The walk from one step to the next."""

    tail: str  # step key
    head: str
    handoff: bool  # the acting silo changes
    uncovered: bool  # a handoff into a silo that no active owner or co-owner covers
    label: str  # "" for a plain flow
    to_silo: str = ""  # the receiving silo's name (handoffs)

    @property
    def colour(self) -> str:
        if self.uncovered:
            return ALERT
        return HANDOFF if self.handoff else FLOW


@dataclass(frozen=True)
class StageRun:
    name: str  # "" for steps without a stage
    steps: tuple[str, ...]  # the step keys of one run of consecutive steps


@dataclass(frozen=True)
class JourneyMap:
    id: str
    name: str
    owner_line: str  # "Owner: … · co-owners: …" or "NO OWNER …"
    owned: bool  # False: the owner line is shown in red
    audience: str
    lanes: tuple[Lane, ...]
    steps: tuple[Step, ...]
    flows: tuple[Flow, ...]
    stages: tuple[StageRun, ...]
    legend: tuple[LegendEntry, ...]

    @property
    def has_stages(self) -> bool:
        return any(run.name for run in self.stages)


def _owner_line(project: Project, journey: Journey) -> tuple[str, bool]:
    people = project.people
    owner = journey.owner
    co = [
        _person(project, p) + ("" if p in people and people[p].active else " (inactive)")
        for p in journey.co_owners
    ]
    co_text = f" · co-owners: {', '.join(co)}" if co else ""
    if owner is None:
        return f"NO OWNER{co_text}", False
    if owner not in people:
        return f"NO OWNER (unknown person '{owner}'){co_text}", False
    person = people[owner]
    if not person.active:
        return f"NO OWNER: {clean(person.name)} is inactive{co_text}", False
    role = f", {clean(person.role)}" if person.role else ""
    return f"Owner: {clean(person.name)}{role}{co_text}", True


def _lane_order(project: Project, units: list[str]) -> list[str]:
    """Top management first, then silo by silo (in order of appearance), so that every
    handoff between silos crosses a visible boundary; within a silo, the department above its
    teams."""
    silo_rank: dict[str | None, int] = {}
    for u in units:
        silo_rank.setdefault(project.silo.get(u), len(silo_rank))
    first = {u: i for i, u in enumerate(units)}

    def key(u: str) -> tuple[int, int, int, int]:
        level = project.level.get(u, 1)
        return (0 if level == 0 else 1), silo_rank[project.silo.get(u)], level, first[u]

    return sorted(units, key=key)


def journey_map(
    project: Project, graph: OrgGraph, scores: Scores | None, journey: Journey
) -> JourneyMap:
    """The journey map. Steps naming an unknown touchpoint, or one whose `from` units are all
    unknown, have no lane and are not drawn (their findings say why); the handoffs, and which
    of them no owner covers, are the graph's (docs/diagrams.md), as `tpm show` and the audit see."""
    units = project.units
    steps: list[Step] = []
    lanes_used: dict[str, None] = {}
    tps: list[Touchpoint] = []
    for index, step in enumerate(journey.steps):
        tp = project.touchpoints.get(step.touchpoint)
        initiators = [u for u in tp.from_ if u in units] if tp is not None else []
        if tp is None or not initiators:
            continue
        for u in graph.touchpoint_units(tp):
            lanes_used.setdefault(u, None)
        tps.append(tp)
        steps.append(
            Step(
                key=f"s{index + 1}",
                number=index + 1,
                lane=initiators[0],
                touchpoint=tp.id,
                name=clean(tp.name),
                channel=clean(tp.channel),
                cadence=cadence_text(tp.cadence),
                stage=clean(step.stage),
                critical=step.critical,
                badge=_badge(project, scores, tp.id),
                broadcast=tp.broadcast,
            )
        )
    order = _lane_order(project, list(lanes_used))
    position = {u: i for i, u in enumerate(order)}
    lanes = tuple(
        Lane(
            unit=u,
            title=clean(units[u].name),
            subtitle=(
                TOP_TITLE.lower()
                if project.silo.get(u) is None
                else f"silo: {clean(silo_title(project, project.silo.get(u)))}"
            ),
            silo=project.silo.get(u),
        )
        for u in order
    )
    # the other units taking part in each step, as markers in their lanes
    finished: list[Step] = []
    for st, tp in zip(steps, tps, strict=True):
        roles: dict[str, Role] = {}
        for u in tp.from_:
            if u in units and u != st.lane:
                roles.setdefault(u, "with")
        if not tp.broadcast:
            for u in tp.to:
                if u in units and u != st.lane:
                    roles.setdefault(u, "two-way" if tp.two_way else "receives")
        others = tuple(sorted(roles.items(), key=lambda item: position[item[0]]))
        finished.append(replace(st, others=others))

    # A handoff's two steps are both drawn (each has an acting silo, so a known first `from`
    # unit), and only steps naming unknown touchpoints lie between them: it is the flow into
    # its receiving step.
    handoffs = {h.index + 1: h for h in graph.handoffs(journey)}
    uncovered = set(graph.uncovered_silos(journey))
    flows: list[Flow] = []
    for before, now in pairwise(finished):
        handoff = handoffs.get(now.number)
        if handoff is None:
            flows.append(Flow(before.key, now.key, False, False, ""))
            continue
        red = handoff.to_silo in uncovered
        to_name = clean(silo_title(project, handoff.to_silo))
        label = f"handoff: no owner covers {to_name}" if red else "handoff"
        flows.append(Flow(before.key, now.key, True, red, label, to_name))

    runs: list[StageRun] = []
    for st in finished:
        if runs and runs[-1].name == st.stage:
            runs[-1] = StageRun(st.stage, (*runs[-1].steps, st.key))
        else:
            runs.append(StageRun(st.stage, (st.key,)))

    owner_line, owned = _owner_line(project, journey)
    legend = [
        *band_legend(project.scoring.min_responses, _thresholds(project)),
        LegendEntry("edge", FLOW, "next step"),
        LegendEntry("thick", HANDOFF, "handoff between silos, covered by an owner"),
        LegendEntry("thick", ALERT, "handoff into a silo that no owner covers"),
        LegendEntry("text", INK["poor"], "critical step (a moment of truth)", f"{STAR} critical"),
        LegendEntry("node", FLOW, "another unit taking part", "receives"),
    ]
    return JourneyMap(
        id=journey.id,
        name=clean(journey.name),
        owner_line=owner_line,
        owned=owned,
        audience=clean(journey.audience),
        lanes=lanes,
        steps=tuple(finished),
        flows=tuple(flows),
        stages=tuple(runs),
        legend=tuple(legend),
    )


# -- org map -------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitNode:
    unit: str
    title: str
    level: int
    silo: str | None
    customer_facing: bool
    findings: int  # findings whose subject is this unit

    @property
    def top(self) -> bool:
        return self.level == 0

    @property
    def findings_text(self) -> str:
        """The mark of a unit with findings: "⚠ 2 findings"."""
        return f"{WARN} {plural(self.findings, 'finding')}"


@dataclass(frozen=True)
class Cluster:
    key: str  # the silo id, or "" for top management
    title: str
    units: tuple[str, ...]


@dataclass(frozen=True)
class EdgeItem:
    touchpoint: str
    name: str
    badge: Badge
    number: int = 0  # its number on the map, keyed in the map's key (0: not drawn)


@dataclass(frozen=True)
class OrgEdge:
    """The touchpoints between one pair of units that run the same way (one-way a→b, or
    two-way) and share a band, merged into one edge: its colour and arrowheads are true for
    every touchpoint on it."""

    tail: str
    head: str  # a unit id, or ALL_UNITS for broadcasts
    two_way: bool
    items: tuple[EdgeItem, ...]

    @property
    def broadcast(self) -> bool:
        return self.head == ALL_UNITS

    @property
    def kind(self) -> str:
        return worst([i.badge.kind for i in self.items])  # one kind: edges merge by band

    @property
    def colour(self) -> str:
        return INK[self.kind]


@dataclass(frozen=True)
class Hub:
    """A touchpoint between several units: drawn once, as a small node, with edges from each
    initiating unit and to each audience unit, so that its name appears once."""

    touchpoint: str
    name: str
    badge: Badge
    two_way: bool
    tails: tuple[str, ...]
    heads: tuple[str, ...]
    number: int = 0  # its number on the map, as in the key

    @property
    def colour(self) -> str:
        return self.badge.ink


@dataclass(frozen=True)
class OrgMap:
    title: str
    subtitle: str
    clusters: tuple[Cluster, ...]  # top management first, then silos in file order
    nodes: dict[str, UnitNode]
    edges: tuple[OrgEdge, ...]
    hubs: tuple[Hub, ...]
    parents: tuple[tuple[str, str], ...]  # (unit, parent) where both are drawn
    legend: tuple[LegendEntry, ...]
    compact: bool  # a large map: edge labels name one touchpoint or give a count
    key: tuple[EdgeItem, ...] = ()  # every touchpoint drawn, by its number

    @property
    def has_broadcasts(self) -> bool:
        return any(e.broadcast for e in self.edges)


COMPACT_UNITS = 40  # from this many units on, edge labels are shortened


def unit_findings(findings: Iterable[Finding], project: Project) -> dict[str, int]:
    counts: dict[str, int] = {}
    for f in findings:
        if f.subject in project.units and not f.suppressed:
            counts[f.subject] = counts.get(f.subject, 0) + 1
    return counts


def org_map(
    project: Project,
    graph: OrgGraph,
    scores: Scores | None,
    findings: Iterable[Finding] = (),
    *,
    silo: str | None = None,
    level: int | None = None,
) -> OrgMap:
    """The org map, focused on one silo (plus top management) and/or down to one level."""
    counts = unit_findings(findings, project)
    keep = [
        u
        for u in project.units
        if (silo is None or project.silo.get(u) in (None, silo))
        and (level is None or project.level[u] <= level)
    ]
    kept = set(keep)
    compact = len(keep) >= COMPACT_UNITS
    order = {u: i for i, u in enumerate(project.units)}
    nodes = {
        u: UnitNode(
            unit=u,
            title=clean(project.units[u].name),
            level=project.level[u],
            silo=project.silo.get(u),
            customer_facing=project.units[u].customer_facing,
            findings=counts.get(u, 0),
        )
        for u in keep
    }
    clusters: list[Cluster] = []
    top = tuple(u for u in keep if project.silo.get(u) is None)
    if top:
        clusters.append(Cluster("", TOP_TITLE, top))
    for s in project.silos():
        members = tuple(u for u in keep if project.silo.get(u) == s)
        if members:
            clusters.append(Cluster(s, clean(silo_title(project, s)), members))

    # an edge merges the touchpoints of one pair of units, one direction and one band: what it
    # draws (colour, arrowheads, dashes) is then true for each of them
    merged: dict[tuple[str, str, bool, str], list[EdgeItem]] = {}
    hubs: list[Hub] = []
    key: list[EdgeItem] = []
    for tid, tp in project.touchpoints.items():
        tails = [u for u in dict.fromkeys(tp.from_) if u in kept]
        heads = [u for u in dict.fromkeys(tp.to) if u in kept]
        if not tails or not (tp.broadcast or any(a != b for a in tails for b in heads)):
            continue  # not drawn: no number
        item = EdgeItem(tid, clean(tp.name), _badge(project, scores, tid), len(key) + 1)
        key.append(item)
        kind = item.badge.kind
        if tp.broadcast:
            for a in tails:
                merged.setdefault((a, ALL_UNITS, tp.two_way, kind), []).append(item)
            continue
        pairs = [(a, b) for a in tails for b in heads if a != b]
        if len(pairs) > 1 and not compact:  # a large map merges everything into unit pairs
            hubs.append(
                Hub(tid, item.name, item.badge, tp.two_way, tuple(tails), tuple(heads), item.number)
            )
            continue
        for a, b in pairs:
            # one key for a two-way pair, whichever way round it was written
            tail, head = (b, a) if tp.two_way and order[b] < order[a] else (a, b)
            merged.setdefault((tail, head, tp.two_way, kind), []).append(item)

    def edge_key(key: tuple[str, str, bool, str]) -> tuple[int, int, bool, int]:
        a, b, two, kind = key
        return order[a], order.get(b, len(order)), two, SEVERITY_ORDER.index(kind)

    edges = tuple(OrgEdge(*key[:3], tuple(merged[key])) for key in sorted(merged, key=edge_key))
    focus = []
    if silo is not None:
        focus.append(f"silo {clean(silo_title(project, silo))} and top management")
    if level is not None:
        focus.append(f"levels 0 to {level}")
    subtitle = "Focus: " + ", ".join(focus) if focus else ""
    legend = [
        *band_legend(project.scoring.min_responses, _thresholds(project)),
        LegendEntry("edge", INK["unrated"], "touchpoint: from the initiating unit"),
        LegendEntry("edge", INK["unrated"], "two-way touchpoint (dialogue)", "both"),
        LegendEntry("node", ALERT, "unit with audit findings", f"{WARN} findings"),
    ]
    if any(e.broadcast for e in edges):
        legend.append(LegendEntry("node", INK["unrated"], "broadcast to every unit", "all units"))
    return OrgMap(
        title=f"Touchpoints of {clean(project.organisation) or 'the organisation'}",
        subtitle=subtitle,
        clusters=tuple(clusters),
        nodes=nodes,
        edges=edges,
        hubs=tuple(hubs),
        parents=tuple(
            (u, p) for u in keep if (p := project.effective_parent.get(u)) is not None and p in kept
        ),
        legend=tuple(legend),
        compact=compact,
        key=tuple(key),
    )
