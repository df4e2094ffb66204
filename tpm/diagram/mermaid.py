"""Mermaid text of the journey map and the org map: flowcharts, and Mermaid's `journey` diagram.

The same `JourneyMap` / `OrgMap` values as the Graphviz renderer, written as Mermaid. Every
user text goes through `mermaid_text` (entity codes such as `#58;` for what Mermaid cannot hold)
or `mermaid_title`; node ids are derived from slugs and made unique, so the same input always
gives the same text.
"""

from __future__ import annotations

import re

from tpm.diagram.model import ALL_UNITS, JourneyMap, OrgMap, Step
from tpm.diagram.silos import TOP_ID, Overview
from tpm.diagram.style import (
    ALERT,
    FILL,
    INK,
    MUTED,
    STAR,
    TOP_FILL,
    WARN,
    LegendEntry,
    mermaid_text,
    mermaid_title,
    shorten,
)
from tpm.words import plural

_ROLE_TEXT = {"with": "also initiates", "receives": "receives", "two-way": "two-way dialogue"}


class _Ids:
    """Mermaid node ids from slugs: letters, digits and `_` only, unique, never a keyword."""

    def __init__(self) -> None:
        self.ids: dict[str, str] = {}
        self.used: set[str] = set()

    def __call__(self, prefix: str, key: str) -> str:
        full = f"{prefix}:{key}"
        if full not in self.ids:
            base = f"{prefix}_{re.sub(r'[^A-Za-z0-9]', '_', key)}"
            candidate, n = base, 1
            while candidate in self.used:
                n += 1
                candidate = f"{base}_{n}"
            self.used.add(candidate)
            self.ids[full] = candidate
        return self.ids[full]


def _front_matter(title: str) -> list[str]:
    return ["---", f'title: "{mermaid_title(title)}"', "---"]


def _class_defs() -> list[str]:
    lines = []
    for kind in ("good", "fair", "poor", "unrated", "hidden"):
        style = f"fill:{FILL[kind]},stroke:{INK[kind]},stroke-width:2px,color:#1f2328"
        lines.append(f"    classDef {kind} {style}")
    lines.append(f"    classDef critical stroke-width:5px,stroke:{ALERT}")
    lines.append(f"    classDef findings stroke:{ALERT},stroke-width:3px")
    lines.append(f"    classDef top fill:{TOP_FILL},stroke:{MUTED}")
    lines.append(
        f"    classDef marker fill:#ffffff,stroke:{MUTED},stroke-dasharray:4 3,color:{MUTED}"
    )
    return lines


def _legend(ids: _Ids, entries: tuple[LegendEntry, ...]) -> tuple[list[str], str, list[str]]:
    """The legend as a subgraph of sample nodes styled like what they explain: the nodes, the
    invisible links that keep them in one row (emitted after every other link, so that the
    `linkStyle` numbers of the real links do not move), and their class lines."""
    out = ['    subgraph legend["Legend"]', "        direction LR"]
    nodes: list[str] = []
    classes: list[str] = []
    for n, e in enumerate(entries):
        node = ids("legend", str(n))
        nodes.append(node)
        sample = f"{e.sample}: " if e.sample and e.swatch != "badge" else ""
        out.append(f'        {node}["{mermaid_text(sample + e.label)}"]')
        kind = next((k for k, ink in INK.items() if ink == e.colour), "")
        if e.swatch == "badge" and kind:
            classes.append(f"    class {node} {kind}")
        elif e.colour == ALERT:
            classes.append(f"    class {node} findings")
        else:
            classes.append(f"    class {node} marker")
    out.append("    end")
    chain = f"    {' ~~~ '.join(nodes)}" if len(nodes) > 1 else ""
    return out, chain, classes


# -- journey: flowchart --------------------------------------------------------------------


def _step_text(step: Step) -> str:
    head = f"STEP {step.number}"
    if step.critical:
        head += f" · {STAR} CRITICAL"
    facts = " · ".join(x for x in (step.channel, step.cadence) if x)
    if step.broadcast:
        facts = f"{facts} · to all units" if facts else "to all units"
    parts = [f"<small>{mermaid_text(head)}</small>"]
    if step.stage:
        parts.append(f"<i>{mermaid_text(step.stage)}</i>")
    parts.append(f"<b>{mermaid_text(shorten(step.name, 90))}</b>")
    if facts:
        parts.append(mermaid_text(facts))
    badge = step.badge.text + (f" · {step.badge.detail}" if step.badge.detail else "")
    parts.append(mermaid_text(badge))
    return "<br>".join(parts)


def journey_flowchart(jm: JourneyMap) -> str:
    """The journey map as a flowchart: one subgraph (lane) per unit, steps left to right."""
    ids = _Ids()
    out = [*_front_matter(f"Journey: {jm.name} — {jm.owner_line}"), "flowchart LR"]
    for lane in jm.lanes:
        lane_id = ids("lane", lane.unit)
        out.append(
            f'    subgraph {lane_id}["{mermaid_text(lane.title)} · {mermaid_text(lane.subtitle)}"]'
        )
        out.append("        direction LR")
        for step in jm.steps:
            if step.lane == lane.unit:
                out.append(f'        {ids("step", step.key)}["{_step_text(step)}"]')
            role = dict(step.others).get(lane.unit)
            if role is not None:
                text = f"step {step.number}: {_ROLE_TEXT[role]}"
                out.append(
                    f'        {ids("mark", f"{step.key}-{lane.unit}")}(["{mermaid_text(text)}"])'
                )
        out.append("    end")
    legend, legend_chain, legend_classes = _legend(ids, jm.legend)
    out.extend(legend)
    link_styles: list[str] = []
    links = 0
    for flow in jm.flows:
        a, b = ids("step", flow.tail), ids("step", flow.head)
        if flow.handoff:
            out.append(f'    {a} ==>|"{mermaid_text(flow.label)}"| {b}')
            link_styles.append(f"    linkStyle {links} stroke:{flow.colour},stroke-width:4px")
        else:
            out.append(f"    {a} --> {b}")
            link_styles.append(f"    linkStyle {links} stroke:{flow.colour},stroke-width:2px")
        links += 1
    for step in jm.steps:
        for unit, _role in step.others:
            out.append(f"    {ids('step', step.key)} -.- {ids('mark', f'{step.key}-{unit}')}")
            links += 1
    if legend_chain:
        out.append(legend_chain)
    out.extend(link_styles)
    out.extend(_class_defs())
    for step in jm.steps:
        classes = step.badge.kind + (",critical" if step.critical else "")
        out.append(f"    class {ids('step', step.key)} {classes}")
    marks = [ids("mark", f"{step.key}-{unit}") for step in jm.steps for unit, _ in step.others]
    if marks:
        out.append(f"    class {','.join(marks)} marker")
    out.extend(legend_classes)
    return "\n".join(out) + "\n"


# -- journey: Mermaid's journey diagram ----------------------------------------------------


def journey_diagram(jm: JourneyMap, unit_names: dict[str, str]) -> str:
    """Mermaid's `journey` diagram: sections are the stages, tasks the steps, actors the units
    taking part, and each step's score on Mermaid's 1-5 scale (20 points a step). A step
    without a score shown (unrated, or fewer respondents than the anonymity threshold) gets
    the neutral 3 and says why in its name."""
    out = ["journey", f"    title {mermaid_title(f'{jm.name} — {jm.owner_line}')}"]
    section: str | None = None
    for step in jm.steps:
        name = step.stage or "Steps"
        if name != section:
            out.append(f"    section {mermaid_text(name)}")
            section = name
        task = shorten(step.name, 80)
        if step.critical:
            task = f"{STAR} {task}"
        score = step.badge.score5
        if score is None:
            task += f" ({step.badge.text})"
            score = 3
        actors = [step.lane, *(u for u, _ in step.others)]
        names = ", ".join(mermaid_text(unit_names.get(u, u), list_item=True) for u in actors)
        out.append(f"      {mermaid_text(task)}: {score}: {names}")
    return "\n".join(out) + "\n"


# -- org map -------------------------------------------------------------------------------


def org_flowchart(om: OrgMap) -> str:
    ids = _Ids()
    title = om.title + (f" ({om.subtitle})" if om.subtitle else "")
    out = [*_front_matter(title), "flowchart TB"]
    for cluster in om.clusters:
        key = cluster.key or "top"
        out.append(f'    subgraph {ids("silo", key)}["{mermaid_text(cluster.title)}"]')
        for unit in cluster.units:
            node = om.nodes[unit]
            text = f"<b>{mermaid_text(node.title)}</b>"
            if node.customer_facing:
                text += "<br>customer-facing"
            if node.findings:
                text += f"<br>{mermaid_text(node.findings_text)}"
            out.append(f'        {ids("unit", unit)}["{text}"]')
        out.append("    end")
    if om.has_broadcasts:
        out.append(f'    {ids("unit", ALL_UNITS)}(["all units: broadcasts reach everyone"])')
    for hub in om.hubs:
        text = mermaid_text(shorten(hub.name, 60))
        if hub.badge.kind != "unrated":
            text += f"<br>{mermaid_text(hub.badge.text)}"
        out.append(f'    {ids("hub", hub.touchpoint)}(["{text}"])')
    legend, legend_chain, legend_classes = _legend(ids, om.legend)
    out.extend(legend)
    links: list[str] = []
    styles: list[str] = []
    for edge in om.edges:
        names = [
            shorten(i.name, 40) + ("" if i.badge.kind == "unrated" else f" ({i.badge.text})")
            for i in edge.items
        ]
        label = names[0] if len(names) == 1 else f"{len(names)} touchpoints: " + "; ".join(names)
        if edge.broadcast:
            arrow = "<-.->" if edge.two_way else "-.->"
        else:
            arrow = "<-->" if edge.two_way else "-->"
        text = mermaid_text(shorten(label, 120))
        links.append(f'    {ids("unit", edge.tail)} {arrow}|"{text}"| {ids("unit", edge.head)}')
        styles.append(f"stroke:{edge.colour},stroke-width:2px")
    for hub in om.hubs:
        hub_id = ids("hub", hub.touchpoint)
        for unit in hub.tails:
            links.append(f"    {ids('unit', unit)} {'<-->' if hub.two_way else '---'} {hub_id}")
            styles.append(f"stroke:{hub.colour},stroke-width:2px")
        for unit in hub.heads:
            links.append(f"    {hub_id} {'<-->' if hub.two_way else '-->'} {ids('unit', unit)}")
            styles.append(f"stroke:{hub.colour},stroke-width:2px")
    out.extend(links)
    if legend_chain:
        out.append(legend_chain)
    out.extend(f"    linkStyle {i} {style}" for i, style in enumerate(styles))
    out.extend(_class_defs())
    top = [ids("unit", u) for u, n in om.nodes.items() if n.top]
    if top:
        out.append(f"    class {','.join(top)} top")
    marked = [ids("unit", u) for u, n in om.nodes.items() if n.findings]
    if marked:
        out.append(f"    class {','.join(marked)} findings")
    for hub in om.hubs:
        out.append(f"    class {ids('hub', hub.touchpoint)} {hub.badge.kind}")
    out.extend(legend_classes)
    return "\n".join(out) + "\n"


# -- org overview ----------------------------------------------------------------------------


def overview_flowchart(ov: Overview) -> str:
    """The org overview: a node per silo (top management first), an arrow per pair of silos
    and direction labelled with its count, coloured by band."""
    ids = _Ids()
    title = ov.title + (f" ({' '.join(ov.notes)})" if ov.notes else "")
    out = [*_front_matter(title), "flowchart TB"]
    m = ov.matrix
    for head in m.heads:
        text = f"<b>{mermaid_text(head.title)}</b><br>{mermaid_text(plural(head.units, 'unit'))}"
        inner = ov.inner(head.id)
        if inner is not None:
            inside = f"{plural(inner.count, 'touchpoint')} inside · {m.score_text(inner)}"
            text += f"<br>{mermaid_text(inside)}"
        if head.findings:
            text += f"<br>{mermaid_text(f'{WARN} ' + plural(head.findings, 'finding'))}"
        out.append(f'    {ids("silo", head.id)}["{text}"]')
    legend, legend_chain, legend_classes = _legend(ids, ov.legend)
    out.extend(legend)
    styles: list[str] = []
    for edge in ov.edges:
        label = str(edge.count) + (f" ⇄{edge.two_way}" if edge.two_way else "")
        out.append(
            f'    {ids("silo", edge.tail)} -->|"{mermaid_text(label)}"| {ids("silo", edge.head)}'
        )
        styles.append(f"stroke:{edge.colour},stroke-width:2px")
    if legend_chain:
        out.append(legend_chain)
    out.extend(f"    linkStyle {i} {style}" for i, style in enumerate(styles))
    out.extend(_class_defs())
    top = [ids("silo", h.id) for h in m.heads if h.id == TOP_ID]
    if top:
        out.append(f"    class {','.join(top)} top")
    marked = [ids("silo", h.id) for h in m.heads if h.findings]
    if marked:
        out.append(f"    class {','.join(marked)} findings")
    out.extend(legend_classes)
    return "\n".join(out) + "\n"
