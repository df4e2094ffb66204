"""Graphviz sources of the journey map and the org map (laid out by `dot`).

Every label is an HTML-like label built here from escaped text (`html_text`), so that no name
can break out of its label, whatever characters it holds. Node names are `u_<id>` and `s<n>`:
ids are slugs, so they are safe, and the same input always gives the same source.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from typing import TYPE_CHECKING, Any

from tpm.diagram.model import (
    ALL_UNITS,
    EdgeItem,
    Hub,
    JourneyMap,
    OrgEdge,
    OrgMap,
    Step,
    UnitNode,
)
from tpm.diagram.silos import TOP_ID, Overview, SiloHead
from tpm.diagram.style import (
    ALERT,
    FONT,
    INK,
    LANE_FILLS,
    MUTED,
    STAGE_FILLS,
    STAR,
    TEXT,
    TOP_FILL,
    UNIT_FILL,
    WARN,
    Badge,
    LegendEntry,
    clean,
    html_text,
    shorten,
    wrap,
)
from tpm.words import plural

if TYPE_CHECKING:
    import graphviz


def _html(inner: str) -> str:
    """An HTML-like label: the graphviz package passes `<…>` through unquoted."""
    return f"<{inner}>"


def _lines(lines: list[str], *, bold: bool = False) -> str:
    parts = [html_text(line) for line in lines]
    body = '<BR ALIGN="LEFT"/>'.join(parts) + '<BR ALIGN="LEFT"/>'
    return f"<B>{body}</B>" if bold else body


def _font(text: str, *, size: int | None = None, colour: str | None = None) -> str:
    attrs = ""
    if size is not None:
        attrs += f' POINT-SIZE="{size}"'
    if colour is not None:
        attrs += f' COLOR="{colour}"'
    return f"<FONT{attrs}>{text}</FONT>"


def _badge_cell(b: Badge, *, size: int = 10) -> str:
    detail = f" {_font(html_text(b.detail), size=size - 1, colour=MUTED)}" if b.detail else ""
    return (
        f'<TD ALIGN="LEFT" BGCOLOR="{b.fill}">'
        f"{_font('<B>' + html_text(b.text) + '</B>', size=size, colour=b.ink)}{detail}</TD>"
    )


def _legend(entries: tuple[LegendEntry, ...]) -> str:
    """The legend as one row of swatches and words, below the title."""
    cells = []
    for e in entries:
        if e.swatch == "badge":
            sample = (
                f'<TD BGCOLOR="{_fill_of(e.colour)}" BORDER="0">'
                f"{_font('<B>' + html_text(e.sample) + '</B>', size=9, colour=e.colour)}</TD>"
            )
        elif e.swatch in ("edge", "thick"):
            arrow = "◀━━▶" if e.sample == "both" else ("━━━▶" if e.swatch == "thick" else "──▶")
            text = f"<B>{arrow}</B>" if e.swatch == "thick" else arrow
            sample = f'<TD BORDER="0">{_font(text, size=10, colour=e.colour)}</TD>'
        elif e.swatch == "node":
            sample = (
                f'<TD BORDER="1" COLOR="{e.colour}" STYLE="ROUNDED">'
                f"{_font(html_text(e.sample), size=9, colour=e.colour)}</TD>"
            )
        else:
            sample = (
                f'<TD BORDER="0">'
                f"{_font('<B>' + html_text(e.sample) + '</B>', size=9, colour=e.colour)}</TD>"
            )
        cells.append(
            f"{sample}"
            f'<TD ALIGN="LEFT" BORDER="0">{_font(html_text(e.label), size=9, colour=MUTED)}</TD>'
            '<TD WIDTH="10" BORDER="0"></TD>'
        )
    rows = []
    per_row = 5
    for start in range(0, len(cells), per_row):
        rows.append(
            '<TR><TD BORDER="0"><TABLE BORDER="0" CELLSPACING="2" CELLPADDING="2"><TR>'
            + "".join(cells[start : start + per_row])
            + "</TR></TABLE></TD></TR>"
        )
    return "".join(rows)


def _fill_of(ink: str) -> str:
    from tpm.diagram.style import FILL

    for kind, colour in INK.items():
        if colour == ink:
            return FILL[kind]
    return "#ffffff"


def _title(
    title: str,
    lines: list[tuple[str, str, bool]],
    legend: tuple[LegendEntry, ...],
    key: str = "",
) -> str:
    rows = [
        f'<TR><TD ALIGN="LEFT" BORDER="0">'
        f"{_font('<B>' + html_text(title) + '</B>', size=20, colour=TEXT)}</TD></TR>"
    ]
    for text, colour, bold in lines:
        inner = html_text(text)
        rows.append(
            f'<TR><TD ALIGN="LEFT" BORDER="0">'
            f"{_font('<B>' + inner + '</B>' if bold else inner, size=13, colour=colour)}</TD></TR>"
        )
    rows.append(_legend(legend))
    if key:
        rows.append(key)
    return _html(f'<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="3">{"".join(rows)}</TABLE>')


@functools.lru_cache(maxsize=1 << 16)
def _quote(text: str) -> str:
    from graphviz.quoting import quote

    return quote(text)


def _attr_list(label: str | None = None, kwargs: Any = None, attributes: Any = None) -> str:
    """graphviz's attribute list, byte for byte (sorted plain dicts, None left out), with each
    identifier quoted once: a journey map of L repeats the same colours and sizes thousands of
    times, and the package's own quoting was most of the time spent writing it."""
    parts = [f"label={_quote(label)}"] if label is not None else []
    for mapping in (kwargs, attributes):
        if mapping:
            items = mapping.items() if hasattr(mapping, "items") else mapping
            if type(mapping) is dict:
                items = sorted(items)
            parts += [f"{_quote(k)}={_quote(v)}" for k, v in items if v is not None]
    return f" [{' '.join(parts)}]" if parts else ""


@functools.lru_cache(maxsize=1 << 16)
def _quote_edge(text: str) -> str:
    from graphviz.quoting import quote_edge

    return quote_edge(text)


@functools.cache
def _digraph() -> type[graphviz.Digraph]:
    import graphviz

    class Digraph(graphviz.Digraph):
        _quote = staticmethod(_quote)
        _quote_edge = staticmethod(_quote_edge)
        _attr_list = staticmethod(_attr_list)

    return Digraph


def _new(name: str, **graph_attrs: str) -> graphviz.Digraph:
    g = _digraph()(name=name)
    g.attr(fontname=FONT, bgcolor="white", pad="0.3", **graph_attrs)
    g.attr("node", fontname=FONT, fontsize="11", color=MUTED, fontcolor=TEXT)
    g.attr("edge", fontname=FONT, fontsize="10", color=MUTED, fontcolor=MUTED)
    return g


# -- journey map ---------------------------------------------------------------------------


def _facts(step: Step) -> list[str]:
    facts = " · ".join(x for x in (step.channel, step.cadence) if x)
    if step.broadcast:
        facts = f"{facts} · to all units" if facts else "to all units"
    return wrap(facts, 34, 2) if facts else []


def _step_height(step: Step) -> float:
    """The height of a step's box in inches (so that each lane can be as tall as its tallest
    step, which keeps the lanes straight)."""
    points = 24 + 16 + 15 * len(wrap(step.name, 26, 4)) + 13 * len(_facts(step)) + 20
    return round(points / 72, 2)


def _step_label(step: Step) -> str:
    head = f"STEP {step.number}"
    if step.critical:
        head += f"  {STAR} CRITICAL"
    head_colour = ALERT if step.critical else MUTED
    name = _font(_lines(wrap(step.name, 26, 4), bold=True), size=12)
    rows = [
        f'<TR><TD ALIGN="LEFT">'
        f"{_font('<B>' + html_text(head) + '</B>', size=9, colour=head_colour)}</TD></TR>",
        f'<TR><TD ALIGN="LEFT">{name}</TD></TR>',
    ]
    facts = _facts(step)
    if facts:
        rows.append(f'<TR><TD ALIGN="LEFT">{_font(_lines(facts), size=10, colour=MUTED)}</TD></TR>')
    rows.append(f"<TR>{_badge_cell(step.badge)}</TR>")
    return _html(
        f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="3">{"".join(rows)}</TABLE>'
    )


_ROLE_TEXT = {"with": "also initiates", "receives": "receives", "two-way": "two-way dialogue"}
CELL_WIDTH = "2.7"  # inches: every column is as wide as a step
STACK = 10  # units of a silo stacked in one column of a large org map


def _lane_label(title: str, subtitle: str) -> str:
    return _html(
        '<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="2">'
        f'<TR><TD ALIGN="LEFT">{_font(_lines(wrap(title, 24, 3), bold=True), size=12)}</TD></TR>'
        f'<TR><TD ALIGN="LEFT">{_font(_lines(wrap(subtitle, 28, 2)), size=10, colour=MUTED)}'
        "</TD></TR></TABLE>"
    )


def _marker_label(step: Step, role: str) -> str:
    """A unit's part in a step drawn in another lane: a dashed tag in the step's column."""
    text = f"step {step.number}: {_ROLE_TEXT[role]}"
    return _html(
        '<TABLE BORDER="1" STYLE="ROUNDED,DASHED" COLOR="#8c959f" BGCOLOR="#ffffff" '
        'CELLBORDER="0" CELLPADDING="4" CELLSPACING="0">'
        f"<TR><TD>{_font(html_text(text), size=10, colour=MUTED)}</TD></TR></TABLE>"
    )


def journey_graph(jm: JourneyMap) -> graphviz.Digraph:
    """The journey map as a grid: one row per lane (a unit), one column per step.

    Every cell is a node of the lane's height, and the cells of a column share a rank and are
    chained top to bottom by invisible edges: that fixes the order of the lanes (dot's cluster
    ordering cannot be fixed). Each lane's background band is the chain of wide edges between
    its cells.
    """
    g = _new(
        "journey",
        newrank="true",
        rankdir="LR",
        nodesep="0.12",
        ranksep="0.55",
        labelloc="t",
        labeljust="l",
        outputorder="edgesfirst",
    )
    lines = [(jm.owner_line, TEXT if jm.owned else ALERT, not jm.owned)]
    if jm.audience:
        lines.append((f"Lived through by: {jm.audience}", MUTED, False))
    g.attr(label=_title(f"Journey: {jm.name}", lines, jm.legend))

    columns = len(jm.steps)
    grid: list[list[str]] = []  # rows of node names, the row's header first
    bands: list[list[str | None]] = []  # per row: the colour of the band after each cell
    if jm.has_stages:
        # the stage row along the top: a bar per run of steps, named on its first step
        g.node("stage_head", _html(_font("<B>STAGE</B>", size=10, colour=MUTED)), shape="plaintext")
        row: list[str] = ["stage_head"]
        band: list[str | None] = [None]
        for r, run in enumerate(jm.stages):
            fill = STAGE_FILLS[r % 2]
            for i, _ in enumerate(run.steps):
                name = f"stage{len(row)}"
                text = _lines(wrap(run.name or "(no stage)", 24, 2), bold=True) if i == 0 else ""
                g.node(
                    name,
                    _html(_font(text, size=11)) if text else "",
                    shape="box",
                    style="filled",
                    fillcolor=fill,
                    color=fill,
                    width=CELL_WIDTH,
                )
                row.append(name)
                band.append(fill if i < len(run.steps) - 1 else None)
        grid.append(row)
        bands.append(band)

    heights: list[float] = []
    # Steps are declared last: dot draws each node's edges in the order the nodes were
    # declared, so the bands (edges between the other cells) go under the walk's arrows.
    step_nodes: list[tuple[Step, float]] = []
    for li, lane in enumerate(jm.lanes):
        fill = LANE_FILLS[li % 2]
        height = f"{max([0.75, *(_step_height(s) for s in jm.steps if s.lane == lane.unit)]):.2f}"
        heights.append(float(height))
        head = f"lane{li + 1}"
        g.node(
            head,
            _lane_label(lane.title, lane.subtitle),
            shape="box",
            style="filled",
            fillcolor=TOP_FILL if lane.silo is None else fill,
            color="#afb8c1",
            width="2.3",
            height=height,
        )
        row = [head]
        for step in jm.steps:
            if step.lane == lane.unit:
                step_nodes.append((step, float(height)))
                row.append(step.key)
                continue
            name = f"{step.key}_{li + 1}"
            role = dict(step.others).get(lane.unit)
            g.node(
                name,
                _marker_label(step, role) if role is not None else "",
                shape="box",
                style="filled",
                fillcolor=fill,
                color=fill,
                width=CELL_WIDTH,
                height=height,
            )
            row.append(name)
        grid.append(row)
        bands.append([fill] * len(row))
    for step, step_height in step_nodes:
        g.node(
            step.key,
            _step_label(step),
            shape="box",
            style="rounded,filled",
            fillcolor="#ffffff",
            color=step.badge.ink,
            penwidth="3.5" if step.critical else "1.5",
            width=CELL_WIDTH,
            height=f"{step_height:.2f}",
            tooltip=_tooltip([f"Step {step.number}: {step.name}", step.badge.text]),
            URL=f"#item-{step.touchpoint}",  # the touchpoint's row in the report
        )

    # each row left to right, one rank per column; a row's band between its cells
    offset = len(grid) - len(jm.lanes)
    for r, row in enumerate(grid):
        thickness = heights[r - offset] * 72 if r >= offset else 36.0  # a stage cell: 0.5in
        for i, (a, b) in enumerate(itertools.pairwise(row)):
            colour = bands[r][i]
            if colour is None:
                g.edge(a, b, style="invis", weight="100")
            else:
                g.edge(
                    a,
                    b,
                    weight="100",
                    color=colour,
                    penwidth=f"{thickness:.0f}",
                    dir="none",
                    headclip="false",
                    tailclip="false",
                )
    # each column top to bottom, in lane order
    for col in range(columns + 1):
        with g.subgraph() as same:
            same.attr(rank="same")
            for row in grid:
                same.node(row[col])
        for upper, lower in itertools.pairwise(grid):
            g.edge(upper[col], lower[col], style="invis")

    # the walk through the steps; handoffs between silos drawn thick, red where nobody owns them
    for flow in jm.flows:
        attrs = {"color": flow.colour, "penwidth": "1.8", "constraint": "false"}
        if flow.handoff:
            attrs["penwidth"] = "4.5"
            attrs["label"] = _html(
                _font(_lines(wrap(flow.label, 24, 3), bold=True), size=10, colour=flow.colour)
            )
        g.edge(flow.tail, flow.head, **attrs)
    return g


# -- org map -------------------------------------------------------------------------------


def _unit_label(node: UnitNode) -> str:
    rows = [
        f'<TR><TD ALIGN="CENTER">{_font(_lines(wrap(node.title, 22, 3), bold=True), size=12)}'
        "</TD></TR>"
    ]
    if node.customer_facing:
        rows.append(
            f"<TR><TD>{_font(html_text('customer-facing'), size=9, colour=MUTED)}</TD></TR>"
        )
    if node.findings:
        words = html_text(node.findings_text)
        rows.append(f"<TR><TD>{_font('<B>' + words + '</B>', size=10, colour=ALERT)}</TD></TR>")
    return _html(
        f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">{"".join(rows)}</TABLE>'
    )


def _numbers(numbers: list[int], per_line: int = 4, most: int = 8) -> list[str]:
    """Touchpoint numbers as an edge shows them: four a line, at most eight and "+N"."""
    shown = [str(n) for n in numbers[:most]]
    if len(numbers) > most:
        shown[-1] = f"+{len(numbers) - most + 1}"
    return [", ".join(shown[i : i + per_line]) for i in range(0, len(shown), per_line)]


def _edge_label(edge: OrgEdge) -> str:
    """An edge's touchpoints as their numbers in the key (the names are in its tooltip)."""
    lines = _numbers([i.number for i in edge.items])
    return _html(_font("<B>" + _lines(lines) + "</B>", size=10, colour=edge.colour))


def _key(items: tuple[EdgeItem, ...]) -> str:
    """The key of the numbers on the edges: number, name and score, in columns."""
    if not items:
        return ""
    rows_per_column = max(8, -(-len(items) // 6))
    columns = [items[i : i + rows_per_column] for i in range(0, len(items), rows_per_column)]
    cells = []
    for column in columns:
        rows = []
        for item in column:
            shown = "" if item.badge.kind == "unrated" else f" ({item.badge.text})"
            rows.append(
                f'<TR><TD ALIGN="RIGHT">'
                f"{_font('<B>' + str(item.number) + '</B>', size=9, colour=item.badge.ink)}</TD>"
                f'<TD ALIGN="LEFT">{_font(html_text(shorten(item.name, 44)), size=9)}'
                f"{_font(html_text(shown), size=8, colour=item.badge.ink) if shown else ''}"
                "</TD></TR>"
            )
        cells.append(
            '<TD VALIGN="TOP"><TABLE BORDER="0" CELLSPACING="0" CELLPADDING="1">'
            + "".join(rows)
            + "</TABLE></TD>"
        )
    return (
        f'<TR><TD ALIGN="LEFT" BORDER="0">'
        f"{_font('<B>Touchpoints by number</B>', size=10, colour=MUTED)}</TD></TR>"
        '<TR><TD ALIGN="LEFT" BORDER="0"><TABLE BORDER="0" CELLSPACING="6" CELLPADDING="0"><TR>'
        + "".join(cells)
        + "</TR></TABLE></TD></TR>"
    )


def _tooltip(lines: list[str]) -> str:
    """A tooltip (shown on hover in SVG): a quoted dot string (never an HTML label). Shown
    literally: dot decodes entities in it (the `&` of `&#60;` becomes `&amp;`) and expands
    backslash escapes twice (a backslash is written four times: doubled here and by
    graphviz.escape)."""
    import graphviz

    text = _ENTITY_START.sub("&amp;", " | ".join(clean(line) for line in lines))
    return graphviz.escape(text.replace("\\", "\\\\"))


_ENTITY_START = re.compile(r"&(?=#?[0-9A-Za-z]+;)")


def _item_tip(name: str, b: Badge) -> str:
    return f"{name} ({b.text})"


def _uid(unit: str) -> str:
    return "all_units" if unit == ALL_UNITS else f"u_{unit}"


def org_graph(om: OrgMap) -> graphviz.Digraph:
    """The org map: top management on top, departments below, their teams below them.

    Every edge is written downwards (from the unit higher in the hierarchy), with its arrow
    heads set to the real direction: dot then ranks the map like an organisation chart,
    whichever way the touchpoints run. Touchpoints that link several units are drawn once, as
    a small node (a hub) between them, so that their name appears once. A large map stacks
    each silo's teams in columns and places edge names only where they fit (every name stays
    in the SVG tooltips).
    """
    large = om.compact
    g = _new(
        "org",
        newrank="true",  # without it, dot fails (init_rank) on some peer edges across clusters
        rankdir="TB",
        ranksep="0.55" if large else "0.6",
        nodesep="0.3" if large else "0.35",
        labelloc="t",
        labeljust="l",
        splines="true",
        outputorder="edgesfirst",
        forcelabels="false" if large else "true",
    )
    lines = [(om.subtitle, MUTED, False)] if om.subtitle else []
    g.attr(label=_title(om.title, lines, om.legend, _key(om.key)))
    level = {unit: node.level for unit, node in om.nodes.items()}

    for n, cluster in enumerate(om.clusters):
        top = cluster.key == ""
        with g.subgraph(name="cluster_top" if top else f"cluster_silo{n}") as c:
            c.attr(
                label=_html(_font("<B>" + html_text(cluster.title) + "</B>", size=13, colour=TEXT)),
                style="rounded,filled",
                fillcolor="#eef6fc" if top else "#f6f8fa",
                color="#8cb4d9" if top else "#d0d7de",
                labeljust="l",
                margin="10",
            )
            for unit in cluster.units:
                node = om.nodes[unit]
                tip = [node.title]
                if node.findings:
                    tip.append(f"{node.findings} audit finding(s): see tpm audit")
                c.node(
                    _uid(unit),
                    _unit_label(node),
                    shape="box",
                    style="rounded,filled",
                    fillcolor=TOP_FILL if node.top else UNIT_FILL,
                    color=ALERT if node.findings else "#57606a",
                    penwidth="2.5" if node.findings else "1.2",
                    margin="0.12,0.06",
                    tooltip=_tooltip(tip),
                )
    # the hierarchy itself, invisible: departments below top management, teams below their
    # department (no newrank and no rank=min in clusters: dot fails on those in large maps)
    parents = dict(om.parents)
    tops = [u for u, node in om.nodes.items() if node.top]
    if tops:
        for unit, node in om.nodes.items():
            if not node.top and unit not in parents:
                g.edge(_uid(tops[0]), _uid(unit), style="invis", weight="0")
    for unit, parent in om.parents:
        g.edge(_uid(parent), _uid(unit), style="invis", weight="3")
    if large:
        # a large silo would make one endless row of teams: stack them in columns of ten
        for cluster in om.clusters:
            members = sorted(cluster.units, key=lambda u: om.nodes[u].level)
            if cluster.key == "" or len(members) <= STACK:
                continue
            root, rest = members[0], members[1:]
            columns = -(-len(rest) // STACK)
            for c in range(columns):
                chain = [root, *rest[c::columns]]
                for a, b in itertools.pairwise(chain):
                    g.edge(_uid(a), _uid(b), style="invis", weight="2")

    if om.has_broadcasts:
        g.node(
            "all_units",
            _html(
                f"{_font('<B>all units</B>', size=12)}<BR/>"
                f"{_font('broadcasts reach everyone', size=9, colour=MUTED)}"
            ),
            shape="box",
            style="rounded,dashed",
            color=MUTED,
            tooltip=_tooltip(["broadcasts (to: all) reach every unit but connect no one"]),
        )
    for edge in om.edges:
        label_key = "xlabel" if large else "label"
        attrs = {
            "color": edge.colour,
            "penwidth": str(round(1.4 + 0.8 * min(len(edge.items) - 1, 4), 1)),
            label_key: _edge_label(edge),
            "arrowsize": "0.8",
            "tooltip": _tooltip([_item_tip(i.name, i.badge) for i in edge.items]),
            "URL": f"#item-{edge.items[0].touchpoint}",  # its (first) touchpoint in the report
        }
        if edge.broadcast:
            attrs["style"] = "dashed"
            if edge.two_way:  # everyone can answer
                attrs["dir"] = "both"
            g.edge(_uid(edge.tail), "all_units", **attrs)
            continue
        tail, head = edge.tail, edge.head
        direction = "both" if edge.two_way else "forward"
        if level[tail] > level[head]:  # written downwards, drawn as it runs
            tail, head = head, tail
            direction = "both" if edge.two_way else "back"
        elif level[tail] == level[head]:
            # a link between peers barely ranks them (weight 0); constraint=false would be
            # better, but dot crashes on it in large clustered maps (merge_chain, init_rank)
            attrs["weight"] = "0"
        g.edge(_uid(tail), _uid(head), dir=direction, **attrs)
    for hub in om.hubs:
        name = f"t_{hub.touchpoint}"
        g.node(
            name,
            _hub_label(hub, large),
            shape="box",
            style="rounded,filled",
            fillcolor=_fill_of(hub.colour),
            color=hub.colour,
            penwidth="1.2",
            margin="0.08,0.03",
            tooltip=_tooltip([_item_tip(hub.name, hub.badge)]),
            URL=f"#item-{hub.touchpoint}",
        )
        common = {"color": hub.colour, "penwidth": "1.4", "arrowsize": "0.8"}
        upper = min(level[u] for u in (*hub.tails, *hub.heads))
        # arrows point at the units that receive: the audience, and for a two-way touchpoint
        # the initiators too
        for unit in hub.tails:
            if level[unit] == upper:
                g.edge(_uid(unit), name, dir="back" if hub.two_way else "none", **common)
            else:
                g.edge(name, _uid(unit), dir="forward" if hub.two_way else "none", **common)
        for unit in hub.heads:
            if level[unit] == upper and unit not in hub.tails:
                g.edge(_uid(unit), name, dir="back", **common)
            else:
                g.edge(name, _uid(unit), dir="forward", **common)
    return g


def _hub_label(hub: Hub, compact: bool) -> str:
    shown = "" if hub.badge.kind == "unrated" else f" ({hub.badge.text})"
    name = wrap(hub.name, 24, 1 if compact else 2)
    number = _font(f"<B>{hub.number}</B>", size=10, colour=hub.badge.ink)
    return _html(
        f"{number} {_font(_lines(name), size=9, colour=TEXT)}"
        f"{_font(html_text(shown), size=8, colour=hub.badge.ink) if shown else ''}"
    )


# -- org overview: one node per silo ---------------------------------------------------------


def _silo_label(ov: Overview, head: SiloHead) -> str:
    rows = [
        f'<TR><TD ALIGN="CENTER">{_font(_lines(wrap(head.title, 24, 3), bold=True), size=12)}'
        "</TD></TR>",
        f"<TR><TD>{_font(html_text(plural(head.units, 'unit')), size=9, colour=MUTED)}</TD></TR>",
    ]
    inner = ov.inner(head.id)
    if inner is not None:
        text = f"{plural(inner.count, 'touchpoint')} inside · {ov.matrix.score_text(inner)}"
        rows.append(f"<TR><TD>{_font(html_text(text), size=9, colour=inner.colour)}</TD></TR>")
    if head.findings:
        words = html_text(f"{WARN} {plural(head.findings, 'finding')}")
        rows.append(f"<TR><TD>{_font('<B>' + words + '</B>', size=10, colour=ALERT)}</TD></TR>")
    return _html(
        f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">{"".join(rows)}</TABLE>'
    )


def overview_graph(ov: Overview) -> graphviz.Digraph:
    """The org overview: top management in the middle, the silos on a ring around it in file
    order, one arrow per pair of silos and direction, as thick as its touchpoints are many and
    coloured by their band. Each arrow bends at its count (two-way ones after ⇄), to its right
    as it runs, so the two directions of a pair are two arrows and no label floats away.
    Every position is fixed here (neato with pinned nodes and straight segments), so the
    layout takes no time at any size; the full numbers are in the tooltips."""
    g = _new(
        "overview",
        labelloc="t",
        labeljust="l",
        outputorder="edgesfirst",
        splines="false",
        overlap="true",
    )
    g.engine = "neato"
    lines = [(line, MUTED, False) for line in ov.notes]
    g.attr(label=_title(ov.title, lines, ov.legend))
    silos = [h for h in ov.matrix.heads if h.id != TOP_ID]
    # an oval ring wide enough for its boxes (about 2.6 inches each)
    radius = max(4.2, len(silos) * 2.2 / (2 * math.pi))
    places: dict[str, tuple[float, float]] = {TOP_ID: (0.0, 0.0)}
    for i, head in enumerate(silos):
        angle = math.pi / 2 - 2 * math.pi * i / max(len(silos), 1)
        places[head.id] = (1.7 * radius * math.cos(angle), radius * math.sin(angle))
    for head in ov.matrix.heads:
        top = head.id == TOP_ID
        x, y = places[head.id]
        g.node(
            f"s_{head.id}",
            _silo_label(ov, head),
            shape="box",
            style="rounded,filled",
            fillcolor=TOP_FILL if top else UNIT_FILL,
            color=ALERT if head.findings else "#57606a",
            penwidth="2.5" if head.findings else "1.2",
            margin="0.12,0.06",
            pos=f"{x:.2f},{y:.2f}!",
            tooltip=_tooltip([head.title, plural(head.units, "unit")]),
        )
    for n, edge in enumerate(ov.edges, start=1):
        (x1, y1), (x2, y2) = places[edge.tail], places[edge.head]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy) or 1.0
        bend = min(0.6, max(0.3, 0.08 * length))
        # the bend: half way, to the right of the way it runs
        bx, by = x1 + 0.5 * dx + bend * dy / length, y1 + 0.5 * dy - bend * dx / length
        label = str(edge.count) + (f" ⇄{edge.two_way}" if edge.two_way else "")
        tip = _tooltip([ov.matrix.describe(edge)])
        via = f"e{n}"
        g.node(
            via,
            _html(_font("<B>" + html_text(label) + "</B>", size=10, colour=edge.colour)),
            shape="box",
            style="rounded,filled",
            fillcolor="#ffffff",
            color=edge.colour,
            penwidth="0.6",
            width="0",
            height="0",
            margin="0.03,0.01",
            pos=f"{bx:.2f},{by:.2f}!",
            tooltip=tip,
        )
        common = {
            "color": edge.colour,
            "penwidth": str(round(1.0 + 1.2 * min(math.log2(edge.count), 5), 1)),
            "arrowsize": "0.7",
            "tooltip": tip,
        }
        g.edge(f"s_{edge.tail}", via, dir="none", **common)
        g.edge(via, f"s_{edge.head}", **common)
    return g
