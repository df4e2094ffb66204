"""Path rules (TPM021 to TPM026): the voice of every unit reaches top management over few
levels, no unit is only ever informed, no single unit is the bottleneck, and leadership meets
the customer-facing front line.

Every question is answered by `OrgGraph` with one traversal for all units (distances, islands,
cut-off sets); these checks only read the answers. Broadcasts connect no one, so they add no
edge to the graph and no path here. TPM021 to TPM025 judge units below level 0.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from pydantic import Field

from tpm.catalogue import Rule, Severity
from tpm.findings import Finding, make_finding
from tpm.model import RuleOptions, cadence_days
from tpm.rules.context import Context, some
from tpm.words import plural

# "Monthly or more often": daily, weekly, biweekly, monthly, or a duration of at most 31 days.
MAX_LEADERSHIP_CADENCE_DAYS = 31


ISLAND_UNIT = Rule(
    "TPM021",
    "island-unit",
    Severity.WARNING,
    "a unit has no path at all (ignoring direction) to a level-0 unit: a CX island",
    what="Every unit below level 0 is linked to top management by some chain of "
    "touchpoints, in either direction. Broadcasts (to: all) connect no one, so a unit "
    "whose only link is the all-hands is still an island. When no unit is at level 0 at "
    "all, one finding on tpm.yaml says that top management is missing and replaces "
    "TPM021, TPM022, TPM023, TPM025 and TPM026. A grouping unit, one with no touchpoint "
    "of its own whose sub-units are connected (a department that only groups its teams, "
    "which talk to the board themselves), is not an island: the rule judges its sub-units, "
    "not it. `parent` adds no edge, so a sub-unit without a touchpoint is still an island.",
    why="A unit with no touchpoint towards the rest of the organisation is a CX island: "
    "it never hears the customer story from the top, and what it learns from customers "
    "never leaves it.",
    fix="Add a touchpoint between the unit and a unit that is connected to level 0, for "
    "example a regular meeting with its department or a slot in a board meeting.",
    example="units:\n  - id: board\n    name: Executive board\n    level: 0\n"
    "  - id: marketing\n    name: Marketing\n# touchpoints: marketing only sends a "
    "newsletter to: all\n",
    family="structure",
)


@ISLAND_UNIT.checks
def island_unit(ctx: Context) -> Iterator[Finding]:
    """TPM021: a unit with no path at all (ignoring direction) to a level-0 unit; or, when no
    unit is at level 0, one finding on tpm.yaml that replaces TPM021 to TPM026."""
    graph = ctx.graph
    if not graph.top:
        if not _top_may_be_unreadable(ctx):
            yield _no_top_management(ctx)
        return
    for unit in graph.islands:
        if unit in graph.grouping_units:
            continue  # its sub-units are judged, not it
        received = graph.broadcasts_received_count(unit)
        note = ""
        if received == 1:
            note = "; the broadcast it receives connects no one"
        elif received:
            note = f"; the {received} broadcasts it receives connect no one"
        yield ctx.finding(
            ISLAND_UNIT,
            f"unit {unit!r} has no path at all to top management (level 0), in either "
            f"direction: it is a CX island{note}; add a touchpoint between it and a unit "
            "that reaches level 0",
            unit,
        )


def _top_may_be_unreadable(ctx: Context) -> bool:
    """True when the loading findings already explain a missing top management: tpm.yaml or
    its units cannot be read, or a unit that sets a level has schema errors. Saying "top
    management is missing" then would only bury the finding that matters."""
    project = ctx.project
    if "unit" in project.unreadable:
        return True
    return any(
        item.kind == "unit" and item.model is None and "level" in item.raw
        for item in project.items.values()
    )


def _no_top_management(ctx: Context) -> Finding:
    project = ctx.project
    where = project.config_location("units", key=True)
    return make_finding(
        ISLAND_UNIT,
        "no unit is at level 0: top management is missing, so islands, feedback paths, "
        "bottlenecks and leadership contact with customers cannot be judged; set level: 0 on "
        "the unit of top management (for example the executive board)",
        where,
    )


NO_FEEDBACK_PATH = Rule(
    "TPM022",
    "no-feedback-path",
    Severity.WARNING,
    "there is no directed path from the unit to any level-0 unit: its voice cannot reach "
    "top management",
    what="Every unit below level 0 that is not an island (TPM021) has a directed path of "
    "touchpoints to a level-0 unit: from the unit, along the direction of each "
    "touchpoint (both ways for two-way touchpoints), to top management.",
    why="Two-way dialogue means employees are involved, not only informed. A unit whose "
    "touchpoints all point towards it can receive every decision but has no way to send "
    "a customer problem or a good idea back up.",
    fix="Make one of its touchpoints two-way (direction: two-way), or add one that starts "
    "at the unit and leads towards level 0.",
    example="touchpoints:\n  - id: budget-letter\n    name: Budget guidelines\n"
    "    from: board\n    to: finance          # finance starts nothing, and nothing "
    "is two-way\n",
    family="structure",
)


@NO_FEEDBACK_PATH.checks
def no_feedback_path(ctx: Context) -> Iterator[Finding]:
    """TPM022: no directed path from the unit to any level-0 unit (islands excluded)."""
    graph = ctx.graph
    if not graph.top:
        return
    dist = graph.distance_to_top
    connected = graph.connected_to_top
    for unit in graph.below_top:
        if unit in dist or unit not in connected:
            continue
        ahead = [v for v in graph.successors(unit) if v != unit]
        why = (
            f"its touchpoints lead only to {some(ahead)}, which cannot reach level 0 either"
            if ahead
            else "no touchpoint leads from it to another unit (a broadcast connects no one)"
        )
        yield ctx.finding(
            NO_FEEDBACK_PATH,
            f"no directed path leads from unit {unit!r} to top management (level 0): its "
            f"voice cannot reach the top; {why}. Add a two-way touchpoint, or one from it "
            "towards a unit that reaches level 0",
            unit,
        )


class LongFeedbackPathOptions(RuleOptions):
    position = 1  # as tpm.yaml has always listed the settings
    max_feedback_hops: Annotated[
        int,
        Field(
            ge=1,
            description="Longest acceptable feedback path to top management, in edges "
            "(TPM023, default 3).",
        ),
    ] = 3


LONG_FEEDBACK_PATH = Rule(
    "TPM023",
    "long-feedback-path",
    Severity.WARNING,
    "the shortest directed path from the unit to a level-0 unit has more than "
    "max_feedback_hops edges (default 3)",
    what="The shortest directed path from each unit below level 0 to top management has "
    "at most audit.max_feedback_hops touchpoints (default 3). The message shows one "
    "shortest path. Islands and units without any path are TPM021 and TPM022.",
    why="Good practice from the front line should reach top management over no more than "
    "two or three hierarchy levels. Every extra level filters and delays the voice of "
    "the people closest to the customer until nothing of it arrives.",
    fix="Add a touchpoint that skips levels: a best-practice slot in a board meeting, "
    "leaders visiting the team, or an escalation path straight to the CX manager.",
    example="# team -> group -> department -> division -> board: 4 hops\n"
    "touchpoints:\n  - {id: t1, name: Team meeting, from: team, to: group}\n"
    "  - {id: t2, name: Group meeting, from: group, to: department}\n"
    "  - {id: t3, name: Department meeting, from: department, to: division}\n"
    "  - {id: t4, name: Division report, from: division, to: board}\n",
    family="structure",
    options=LongFeedbackPathOptions,
)


@LONG_FEEDBACK_PATH.checks
def long_feedback_path(ctx: Context) -> Iterator[Finding]:
    """TPM023: the shortest directed path to level 0 is longer than max_feedback_hops."""
    graph = ctx.graph
    if not graph.top:
        return
    limit = LongFeedbackPathOptions.of(ctx.settings).max_feedback_hops
    dist = graph.distance_to_top
    for unit in graph.below_top:
        hops = dist.get(unit)
        if hops is None or hops <= limit:
            continue
        path = " → ".join(_shortest_path_to_top(ctx, unit))
        yield ctx.finding(
            LONG_FEEDBACK_PATH,
            f"the shortest feedback path from unit {unit!r} to top management has {hops} hops "
            f"({path}), more than audit.max_feedback_hops ({limit}): good practice gets lost "
            "on the way up; add a touchpoint that skips levels, such as a slot in a meeting "
            "of a unit closer to level 0",
            unit,
        )


def _shortest_path_to_top(ctx: Context, unit: str) -> list[str]:
    """One shortest directed path, read off the distances: each step goes to a neighbour one
    hop closer (the first in edge order, so the message is stable)."""
    dist = ctx.graph.distance_to_top
    path = [unit]
    node = unit
    while dist[node] > 0:
        node = next(v for v in ctx.graph.successors(node) if dist.get(v) == dist[node] - 1)
        path.append(node)
    return path


ONE_WAY_UNIT = Rule(
    "TPM024",
    "one-way-unit",
    Severity.WARNING,
    "a unit receives touchpoints but starts none and takes part in no two-way touchpoint: "
    "it is informed, never involved",
    what="Every unit below level 0 that receives touchpoints (broadcasts count as "
    "received) also starts one or takes part in a two-way touchpoint. A two-way "
    "broadcast counts as received only. This rule also runs without a level-0 unit. A "
    "grouping unit, one with no touchpoint of its own whose sub-units are connected, "
    "receives only broadcasts as every unit does: the rule judges its sub-units, not it.",
    why="Involving employees, not only informing them, is what turns communication into "
    "dialogue. A department that is only ever told things stops listening and never "
    "contributes what it knows about customers.",
    fix="Make one of the touchpoints it receives two-way, or add a touchpoint that the "
    "unit starts (a slot in a meeting, a feedback channel).",
    example="touchpoints:\n  - id: budget-letter\n    name: Budget guidelines\n"
    "    from: board\n    to: finance\n  - id: payment-release\n"
    "    name: Payment release request\n    from: claims\n    to: finance\n",
    family="structure",
)


@ONE_WAY_UNIT.checks
def one_way_unit(ctx: Context) -> Iterator[Finding]:
    """TPM024: a unit receives touchpoints (broadcasts included) but starts none and takes part
    in no two-way touchpoint. A two-way broadcast is received like any broadcast: it reaches
    everyone but involves no one in particular."""
    roles = ctx.roles
    grouping = ctx.graph.grouping_units
    for unit in ctx.graph.below_top:
        if unit in roles.starts or unit in roles.two_way or unit in grouping:
            continue
        direct = roles.received.get(unit, [])
        broadcasts = ctx.graph.broadcasts_received_count(unit)
        if not direct and not broadcasts:
            continue  # receives nothing: an island at most (TPM021)
        parts = []
        if direct:
            parts.append(f"{plural(len(direct), 'touchpoint')} ({some(direct)})")
        if broadcasts:
            parts.append(plural(broadcasts, "broadcast"))
        yield ctx.finding(
            ONE_WAY_UNIT,
            f"unit {unit!r} receives {' and '.join(parts)} but starts none and takes part in "
            "no two-way touchpoint: it is informed, never involved; make one of its "
            "touchpoints two-way, or add one that it starts",
            unit,
        )


class BottleneckUnitOptions(RuleOptions):
    position = 3  # as tpm.yaml has always listed the settings
    bottleneck_min_cut: Annotated[
        int,
        Field(
            ge=1,
            description="A unit is a bottleneck when removing it cuts off at least this many "
            "other units (TPM025, default 2).",
        ),
    ] = 2


BOTTLENECK_UNIT = Rule(
    "TPM025",
    "bottleneck-unit",
    Severity.INFO,
    "removing the unit would leave at least bottleneck_min_cut other units (default 2) "
    "without any path to level 0: the middle-management bottleneck",
    what="No unit below level 0 is the only link (ignoring direction) between "
    "audit.bottleneck_min_cut or more other units (default 2) and top management. "
    "Islands are not counted as cut off. The message names up to ten of the units cut "
    "off and how many more there are.",
    why="When every path from a group of teams to the top runs through one middle-"
    "management unit, that unit filters everything: the middle-management bottleneck. "
    "If it is overloaded, reorganised or simply disagrees, the teams behind it fall "
    "silent.",
    fix="Give the teams behind the bottleneck a touchpoint of their own towards level 0 "
    "or towards another unit on a different path (a skip-level meeting, an escalation "
    "path, a feedback platform).",
    example="# team-a and team-b reach the board only through the department\n"
    "touchpoints:\n  - {id: a, name: Team A weekly, from: team-a, to: department}\n"
    "  - {id: b, name: Team B weekly, from: team-b, to: department}\n"
    "  - {id: c, name: Department report, from: department, to: board}\n",
    family="structure",
    options=BottleneckUnitOptions,
)


@BOTTLENECK_UNIT.checks
def bottleneck_unit(ctx: Context) -> Iterator[Finding]:
    """TPM025: removing the unit would cut at least bottleneck_min_cut other units off from
    level 0 (undirected; islands are not counted)."""
    graph = ctx.graph
    if not graph.top:
        return
    minimum = BottleneckUnitOptions.of(ctx.settings).bottleneck_min_cut
    cut_off = graph.cut_off
    for unit in graph.below_top:
        cut = cut_off.get(unit, ())
        if len(cut) < minimum:
            continue
        yield ctx.finding(
            BOTTLENECK_UNIT,
            f"removing unit {unit!r} would cut {plural(len(cut), 'other unit')} off from top "
            f"management: {some(list(cut))}; every path between them and level 0 runs "
            "through it (the middle-management bottleneck). Give them a touchpoint of their "
            "own with a unit on another path to level 0",
            unit,
        )


LEADERSHIP_FAR_FROM_CUSTOMERS = Rule(
    "TPM026",
    "leadership-far-from-customers",
    Severity.WARNING,
    "no level-0 unit has a touchpoint (either direction) with a customer-facing unit at a "
    "cadence of monthly or more often",
    what="At least one level-0 unit has a touchpoint, in either direction, with a unit "
    "marked customer_facing: true, at a cadence of daily, weekly, biweekly, monthly or a "
    "duration of at most 31 days. Broadcasts do not count. The finding is reported once, "
    "on the first level-0 unit in tpm.yaml; it also fires when no unit is customer-facing.",
    why="Customer-connected leadership: leaders who regularly meet the front line hear "
    "what customers live through first-hand, and show by example that the customer is "
    "the point of the job. A yearly visit or a town hall to all does neither.",
    fix="Add a regular touchpoint between top management and a customer-facing unit, such "
    "as board members shadowing the hotline once a month; mark the units that serve "
    "customers with customer_facing: true.",
    example="touchpoints:\n  - id: frontline-visit\n    name: Board visits the branches\n"
    "    from: board\n    to: sales-branches   # customer_facing: true\n"
    "    cadence: quarterly          # less often than monthly\n",
    family="structure",
)


@LEADERSHIP_FAR_FROM_CUSTOMERS.checks
def leadership_far_from_customers(ctx: Context) -> Iterator[Finding]:
    """TPM026: no level-0 unit has a touchpoint (either direction) with a customer-facing unit
    at a cadence of monthly or more often. Once, on the first level-0 unit in tpm.yaml."""
    graph = ctx.graph
    if not graph.top:
        return
    units = ctx.project.units
    first = graph.top[0]
    facing = [u for u, m in units.items() if m.customer_facing]
    if not facing:
        yield ctx.finding(
            LEADERSHIP_FAR_FROM_CUSTOMERS,
            "no unit is customer-facing, so nothing shows that top management meets the front "
            "line: mark the units that serve customers with customer_facing: true",
            first,
        )
        return
    touchpoints = ctx.project.touchpoints
    slower: dict[str, str] = {}  # touchpoints with the front line, too rare: id -> cadence
    for top in graph.top:
        edges = [
            *((b, key) for _, b, key in graph.out_edges(top)),
            *((a, key) for a, _, key in graph.in_edges(top)),
        ]
        for other, key in edges:
            if other == top or not units[other].customer_facing:
                continue
            cadence = touchpoints[key].cadence
            days = cadence_days(cadence)
            if days is not None and days <= MAX_LEADERSHIP_CADENCE_DAYS:
                return
            slower.setdefault(key, cadence or "no cadence")
    nearest = ""
    if slower:
        named = some([f"{t!r} ({c})" for t, c in slower.items()], quote=False)
        verb = "meets" if len(slower) == 1 else "meet"
        nearest = f"; {named} {verb} the front line less often than monthly"
    yield ctx.finding(
        LEADERSHIP_FAR_FROM_CUSTOMERS,
        f"no level-0 unit ({some(graph.top)}) has a touchpoint with a customer-facing unit "
        f"({some(facing)}) monthly or more often{nearest}. Leaders lose touch with what "
        "customers live through: add a regular touchpoint, such as leaders shadowing the "
        "front line once a month",
        first,
    )
