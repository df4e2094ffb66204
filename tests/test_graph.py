"""The graph (README.md): edges, distances to top management, islands, cut-off sets, journeys.

Every test draws its organisation in a comment: `A ──► B` is a one-way touchpoint from A to B,
`A ◄─► B` a two-way one, `A ··► all` a broadcast, `A ⊂ B` that A's parent is B.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import GOOD, load_files
from hypothesis import given, settings
from hypothesis import strategies as st

from tpm.graph import Handoff, OrgGraph
from tpm.model import Touchpoint, Unit
from tpm.project import Paths, Project


def org(
    tmp_path: Path,
    units: list[str],
    touchpoints: list[str],
    journeys: list[tuple[str, list[str]]] = (),  # type: ignore[assignment]
) -> OrgGraph:
    """An organisation from compact lines.

    units:       "id", "id<parent", "id=level", "id<parent=level", "id*" (customer-facing)
    touchpoints: "id: a,b -> c", "id: a <-> b" (two-way), "id: a -> all"
    journeys:    (id, [touchpoint ids])
    """
    lines = ["organisation: T", "units:"]
    for spec in units:
        facing = spec.endswith("*")
        spec = spec.rstrip("*")
        level = None
        if "=" in spec:
            spec, level = spec.split("=")
        ident, _, parent = spec.partition("<")
        lines.append(f"  - id: {ident}\n    name: {ident}")
        if parent:
            lines.append(f"    parent: {parent}")
        if level is not None:
            lines.append(f"    level: {level}")
        if facing:
            lines.append("    customer_facing: true")
    tps = ["touchpoints:"]
    for spec in touchpoints:
        ident, _, rest = spec.partition(": ")
        two_way = "<->" in rest
        source, target = (part.strip() for part in rest.replace("<->", "->").split("->"))
        tps.append(f"  - id: {ident}\n    name: {ident}\n    from: [{source}]")
        tps.append(f"    to: {target}" if target == "all" else f"    to: [{target}]")
        if two_way:
            tps.append("    direction: two-way")
    js = ["journeys:"]
    for ident, steps in journeys:
        js.append(f"  - id: {ident}\n    name: {ident}\n    owner: p\n    steps:")
        js.extend(f"      - touchpoint: {s}" for s in steps)
    lines += [
        "people:",
        "  - id: p\n    name: P\n    unit: " + units[0].split("<")[0].split("=")[0],
    ]
    files = {
        "tpm.yaml": "\n".join(lines) + "\n",
        "touchpoints/t.yaml": "\n".join(tps) + "\n",
    }
    if journeys:
        files["journeys/j.yaml"] = "\n".join(js) + "\n"
    project = load_files(tmp_path, files)
    return OrgGraph(project)


def edges(graph: OrgGraph) -> set[tuple[str, str, str]]:
    return set(graph.edges())


# -- edges ---------------------------------------------------------------------------------


def test_one_edge_per_from_and_to_keyed_by_the_touchpoint(tmp_path: Path) -> None:
    #   a ──┬──► c
    #   b ──┴──► d      (one touchpoint "m": from [a, b] to [c, d])
    graph = org(tmp_path, ["top=0", "a", "b", "c", "d"], ["m: a,b -> c,d"])
    assert edges(graph) == {
        ("a", "c", "m"),
        ("a", "d", "m"),
        ("b", "c", "m"),
        ("b", "d", "m"),
    }


def test_two_way_adds_each_reverse_edge(tmp_path: Path) -> None:
    #   a ◄─► c, d      (two-way "m": from a to [c, d])
    graph = org(tmp_path, ["top=0", "a", "c", "d"], ["m: a <-> c,d"])
    assert edges(graph) == {("a", "c", "m"), ("c", "a", "m"), ("a", "d", "m"), ("d", "a", "m")}


def test_parallel_touchpoints_are_parallel_edges(tmp_path: Path) -> None:
    #   a ══► b         (two touchpoints between the same units)
    graph = org(tmp_path, ["top=0", "a", "b"], ["m1: a -> b", "m2: a -> b"])
    assert graph.out_edges("a") == [("a", "b", "m1"), ("a", "b", "m2")]
    assert graph.in_edges("b") == [("a", "b", "m1"), ("a", "b", "m2")]
    assert graph.successors("a") == ["b"] and graph.successors("b") == []


def test_broadcasts_and_parents_add_no_edge(tmp_path: Path) -> None:
    #   top ··► all     team ⊂ dept
    graph = org(tmp_path, ["top=0", "dept", "team<dept"], ["bc: top -> all"])
    assert edges(graph) == set()
    assert graph.units == ["top", "dept", "team"]
    assert graph.out_edges("top") == [] and graph.in_edges("team") == []


def test_a_broadcast_reaches_every_unit_but_its_senders(tmp_path: Path) -> None:
    #   a ··► all     a, b ··► all     c ──► a
    graph = org(tmp_path, ["top=0", "a", "b", "c"], ["m: a -> all", "n: a,b -> all", "x: c -> a"])
    assert graph.broadcasts == ["m", "n"]
    received = {u: graph.broadcasts_received(u) for u in graph.units}
    assert received == {"top": ["m", "n"], "a": [], "b": ["m"], "c": ["m", "n"]}
    assert {u: graph.broadcasts_received_count(u) for u in graph.units} == {
        "top": 2,
        "a": 0,
        "b": 1,
        "c": 2,
    }


def test_units_have_a_level_and_a_silo(tmp_path: Path) -> None:
    graph = org(tmp_path, ["top=0", "dept", "team<dept*"], [])
    assert [(u, graph.level(u), graph.silo(u)) for u in graph.units] == [
        ("top", 0, None),
        ("dept", 1, "dept"),
        ("team", 2, "dept"),
    ]
    assert graph.top == ["top"] and graph.below_top == ["dept", "team"]


def test_unknown_units_and_invalid_touchpoints_add_no_edge(tmp_path: Path) -> None:
    project = load_files(
        tmp_path,
        {
            **GOOD,
            "touchpoints/extra.yaml": "touchpoints:\n"
            "  - id: ghost\n    name: G\n    from: [it, nowhere]\n    to: board\n"
            "  - id: broken\n    name: B\n    from: it\n    to: sales\n    cadence: often\n",
        },
    )
    assert {f.code for f in project.findings} == {"TPM002", "TPM005"}
    graph = OrgGraph(project)
    assert ("it", "board", "ghost") in edges(graph)
    assert "nowhere" not in graph.units and graph.out_edges("nowhere") == []
    # a touchpoint with a bad cadence keeps its place in the graph (the cadence is reported
    # as TPM002 and left out), so it does not turn its units into islands
    assert ("it", "sales", "broken") in edges(graph)
    assert project.touchpoints["broken"].cadence is None


# -- distance_to_top (directed) ------------------------------------------------------------


def test_distance_to_top_follows_direction(tmp_path: Path) -> None:
    #   top ◄── a ◄── b ◄─► d
    #   top ──► c                 (c is only told: no directed path up)
    #   e                          (an island)
    graph = org(
        tmp_path,
        ["top=0", "a", "b", "c", "d", "e"],
        ["up1: a -> top", "up2: b -> a", "down: top -> c", "talk: d <-> b"],
    )
    assert graph.distance_to_top == {"top": 0, "a": 1, "b": 2, "d": 3}


def test_distance_to_top_takes_the_shortest_path_to_any_top_unit(tmp_path: Path) -> None:
    #   top1 ◄── a ◄── b ◄── c
    #   top2 ◄────────────── c
    graph = org(
        tmp_path,
        ["top1=0", "top2=0", "a", "b", "c"],
        ["p1: a -> top1", "p2: b -> a", "p3: c -> b", "p4: c -> top2"],
    )
    assert graph.distance_to_top == {"top1": 0, "top2": 0, "a": 1, "b": 2, "c": 1}


def test_a_broadcast_is_no_path(tmp_path: Path) -> None:
    #   a ··► all
    graph = org(tmp_path, ["top=0", "a"], ["bc: a -> all"])
    assert graph.distance_to_top == {"top": 0}


def test_no_top_management(tmp_path: Path) -> None:
    graph = org(tmp_path, ["a", "b"], ["m: a -> b"])
    assert graph.top == []
    assert graph.distance_to_top == {}
    assert graph.islands == ["a", "b"]
    assert graph.cut_off == {}


# -- islands (undirected) ------------------------------------------------------------------


def test_islands_ignore_direction_and_broadcasts(tmp_path: Path) -> None:
    #   top ──► a ◄── b            (b reaches top through a, ignoring direction)
    #   top ··► all  c ··► all      (c's only links are broadcasts: an island)
    #   d ──► e                     (linked to each other only: both islands)
    #   f ⊂ a                       (a parent is no link: an island)
    graph = org(
        tmp_path,
        ["top=0", "a", "b", "c", "d", "e", "f<a"],
        ["m1: top -> a", "m2: b -> a", "bc1: top -> all", "bc2: c -> all", "m3: d -> e"],
    )
    assert graph.islands == ["c", "d", "e", "f"]
    assert graph.connected_to_top == {"top", "a", "b"}


def test_a_self_loop_connects_no_one(tmp_path: Path) -> None:
    graph = org(tmp_path, ["top=0", "a"], ["self: a -> a"])
    assert graph.islands == ["a"]


# -- cut_off (undirected articulation points) ----------------------------------------------


def test_cut_off_in_a_chain(tmp_path: Path) -> None:
    #   top ──► a ◄── b ◄── c
    graph = org(tmp_path, ["top=0", "a", "b", "c"], ["m1: top -> a", "m2: b -> a", "m3: c -> b"])
    assert graph.cut_off == {"top": ["a", "b", "c"], "a": ["b", "c"], "b": ["c"]}


def test_direction_does_not_matter_for_cut_off(tmp_path: Path) -> None:
    #   top ◄── a ──► b ◄── c
    graph = org(tmp_path, ["top=0", "a", "b", "c"], ["m1: a -> top", "m2: a -> b", "m3: c -> b"])
    assert graph.cut_off["a"] == ["b", "c"]
    assert graph.cut_off["b"] == ["c"]


def test_a_diamond_has_no_cut_point_below_top(tmp_path: Path) -> None:
    #        ┌── a ──┐
    #   top ─┤       ├─ d
    #        └── b ──┘
    graph = org(
        tmp_path,
        ["top=0", "a", "b", "d"],
        ["m1: top -> a", "m2: top -> b", "m3: a -> d", "m4: b -> d"],
    )
    assert graph.cut_off == {"top": ["a", "b", "d"]}


def test_two_top_units_share_the_load(tmp_path: Path) -> None:
    #   top1 ── a ── b ── top2       (removing a or b cuts off no one)
    #   top1 ── c ── d               (removing c cuts off d)
    graph = org(
        tmp_path,
        ["top1=0", "top2=0", "a", "b", "c", "d"],
        ["m1: a -> top1", "m2: a -> b", "m3: b -> top2", "m4: c -> top1", "m5: d -> c"],
    )
    assert graph.cut_off == {"top1": ["c", "d"], "c": ["d"]}


def test_a_unit_linked_to_both_tops_through_one_unit(tmp_path: Path) -> None:
    #   top1 ── a ── top2
    #           a ── b ── c
    graph = org(
        tmp_path,
        ["top1=0", "top2=0", "a", "b", "c"],
        ["m1: a -> top1", "m2: a -> top2", "m3: b -> a", "m4: c -> b"],
    )
    assert graph.cut_off == {"a": ["b", "c"], "b": ["c"]}


def test_islands_are_not_counted_as_cut_off(tmp_path: Path) -> None:
    #   top ── a ── b      x ── y (an island pair)     z (alone)
    graph = org(
        tmp_path,
        ["top=0", "a", "b", "x", "y", "z"],
        ["m1: a -> top", "m2: b -> a", "m3: x -> y"],
    )
    assert graph.islands == ["x", "y", "z"]
    assert graph.cut_off == {"top": ["a", "b"], "a": ["b"]}


def test_cut_off_lists_units_in_file_order(tmp_path: Path) -> None:
    #   top ── hub ──┬── z1
    #                ├── a2 ── m3
    #                └── b4
    graph = org(
        tmp_path,
        ["top=0", "hub", "b4", "m3", "a2", "z1"],
        ["m1: hub -> top", "m2: z1 -> hub", "m3t: a2 -> hub", "m4: m3 -> a2", "m5: b4 -> hub"],
    )
    assert graph.cut_off["hub"] == ["b4", "m3", "a2", "z1"]
    assert graph.cut_off["a2"] == ["m3"]


def test_cut_off_on_a_long_chain_is_not_recursive(tmp_path: Path) -> None:
    # more units in a row than Python's recursion limit: an iterative search
    n = 1500
    units = ["top=0"] + [f"u{i}" for i in range(n)]
    tps = ["m0: u0 -> top"] + [f"m{i}: u{i} -> u{i - 1}" for i in range(1, n)]
    graph = org(tmp_path, units, tps)
    assert graph.cut_off["u0"] == [f"u{i}" for i in range(1, n)]
    assert graph.distance_to_top[f"u{n - 1}"] == n


# -- journeys ------------------------------------------------------------------------------


JOURNEY_UNITS = ["board=0", "service", "agents<service", "sales", "it", "marketing"]
JOURNEY_TPS = [
    "huddle: agents -> service",  # acting silo: service
    "pitch: sales -> board",  # sales
    "visit: board -> agents",  # none: top management
    "fix: it -> service",  # it
    "news: marketing -> all",  # a broadcast: only its from unit takes part
]


def journey_graph(tmp_path: Path, steps: list[str]) -> tuple[OrgGraph, Project]:
    graph = org(tmp_path, JOURNEY_UNITS, JOURNEY_TPS, [("j", steps)])
    return graph, graph.project


def test_journey_units_and_silos(tmp_path: Path) -> None:
    graph, project = journey_graph(tmp_path, ["huddle", "pitch", "visit", "news"])
    journey = project.journeys["j"]
    assert graph.journey_units(journey) == ["agents", "service", "sales", "board", "marketing"]
    assert graph.journey_silos(journey) == ["service", "sales", "marketing"]


def test_top_management_has_no_silo(tmp_path: Path) -> None:
    graph, project = journey_graph(tmp_path, ["visit"])
    journey = project.journeys["j"]
    assert graph.journey_units(journey) == ["board", "agents"]
    assert graph.journey_silos(journey) == ["service"]
    assert graph.acting_silo(project.touchpoints["visit"]) is None
    assert graph.handoffs(journey) == []


def test_handoffs_between_acting_silos(tmp_path: Path) -> None:
    #   step 0 huddle (service) → 1 pitch (sales) → 2 visit (none) → 3 fix (it)
    #   → 4 huddle (service) → 5 huddle (service)
    graph, project = journey_graph(
        tmp_path, ["huddle", "pitch", "visit", "fix", "huddle", "huddle"]
    )
    assert graph.handoffs(project.journeys["j"]) == [
        Handoff(1, "service", "sales"),
        Handoff(4, "it", "service"),
    ]


def test_unknown_touchpoints_are_skipped(tmp_path: Path) -> None:
    #   step 0 huddle (service) → 1 missing → 2 pitch (sales)
    graph, project = journey_graph(tmp_path, ["huddle", "missing", "pitch", "ghost"])
    assert [f.code for f in project.findings] == ["TPM005", "TPM005"]
    journey = project.journeys["j"]
    assert [i for i, _ in graph.step_touchpoints(journey)] == [0, 2]
    assert graph.handoffs(journey) == [Handoff(2, "service", "sales")]
    assert graph.journey_units(journey) == ["agents", "service", "sales", "board"]


def test_a_broadcast_step_acts_in_its_from_silo(tmp_path: Path) -> None:
    graph, project = journey_graph(tmp_path, ["fix", "news"])
    assert graph.handoffs(project.journeys["j"]) == [Handoff(1, "it", "marketing")]
    assert graph.touchpoint_units(project.touchpoints["news"]) == ["marketing"]


def test_the_example_organisation(tmp_path: Path) -> None:
    from tpm.project import load

    root = Path(__file__).resolve().parents[1]
    graph = OrgGraph(load(root, cwd=root))
    assert graph.islands == ["marketing"]  # linked to the board only by a broadcast
    assert graph.distance_to_top["service-hotline"] == 1
    assert "marketing" not in graph.distance_to_top


# -- cross-checked against brute force -----------------------------------------------------


def direct_graph(n: int, tops: set[int], links: list[tuple[int, int, bool]]) -> OrgGraph:
    """An OrgGraph built without files: units u0..u{n-1}, touchpoints from `links`."""
    root = Path(".").resolve()
    project = Project(root=root, paths=Paths(root, root))
    for i in range(n):
        uid = f"u{i}"
        project.units[uid] = Unit(id=uid, name=uid, level=0 if i in tops else None)
        project.level[uid] = 0 if i in tops else 1
        project.silo[uid] = None if i in tops else uid
    for k, (a, b, two_way) in enumerate(links):
        project.touchpoints[f"t{k}"] = Touchpoint.model_validate(
            {
                "id": f"t{k}",
                "name": "t",
                "from": f"u{a}",
                "to": f"u{b}",
                "direction": "two-way" if two_way else "one-way",
            }
        )
    return OrgGraph(project)


def as_networkx(graph: OrgGraph) -> Any:
    """The same units and edges as a networkx graph, whose own algorithms are the oracle."""
    import networkx as nx

    g = nx.MultiDiGraph()
    g.add_nodes_from(graph.units)
    g.add_edges_from(graph.edges())
    return g


def reachable_to_top(graph: OrgGraph, removed: str | None) -> set[str]:
    """Brute force with networkx: units with an undirected path to a top unit."""
    import networkx as nx

    g = as_networkx(graph).to_undirected()
    if removed is not None:
        g.remove_node(removed)
    found: set[str] = set()
    for top in graph.top:
        if top in g:
            found |= nx.node_connected_component(g, top)
    return found


GRAPHS = st.integers(2, 9).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.sets(st.integers(0, n - 1), max_size=2),
        st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), st.booleans()), max_size=14
        ),
    )
)


@settings(max_examples=200, deadline=None)
@given(GRAPHS)
def test_islands_cut_off_and_distances_agree_with_brute_force(
    case: tuple[int, set[int], list[tuple[int, int, bool]]],
) -> None:
    import networkx as nx

    graph = direct_graph(*case)
    connected = reachable_to_top(graph, None)
    assert set(graph.islands) == set(graph.below_top) - connected
    expected: dict[str, list[str]] = {}
    for unit in graph.units:
        lost = connected - reachable_to_top(graph, unit) - {unit}
        if lost:
            expected[unit] = sorted(lost, key=graph.units.index)
    assert graph.cut_off == expected
    distances = {}
    g = as_networkx(graph)
    for unit in graph.units:
        lengths = [
            nx.shortest_path_length(g, unit, top) for top in graph.top if nx.has_path(g, unit, top)
        ]
        if lengths:
            distances[unit] = min(lengths)
    assert graph.distance_to_top == distances
