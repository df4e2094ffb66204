"""OrgGraph: the one graph of the organisation and the questions asked of it.

Nodes are the units. Every touchpoint that is not a broadcast adds an edge from each `from`
unit to each `to` unit, keyed by the touchpoint id; a two-way touchpoint also adds each reverse
edge. The `parent` relation is structure, not a touchpoint: it adds no edge. Broadcasts
(`to: all`) connect no one; who receives them is answered here too (`broadcasts_received`).

The graph is plain adjacency (unit -> neighbour -> touchpoint ids, both ways), and the
questions (distances to top management, islands, cut-off sets) are answered once, with one
traversal each, and cached: rules, scores and diagrams all read them from here. networkx was
used for the adjacency only and cost more to import and build than the audit spends on all
of its questions (docs/performance.md).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from functools import cached_property

from tpm.model import Journey, Touchpoint
from tpm.project import Project


@dataclass(frozen=True)
class Handoff:
    """Two consecutive steps whose acting silos are both set and differ."""

    index: int  # index of the receiving step in journey.steps
    from_silo: str
    to_silo: str


# unit -> neighbour -> the ids of the touchpoints between them (an ordered set), in file order
Adjacency = dict[str, dict[str, dict[str, None]]]
Edge = tuple[str, str, str]  # from unit, to unit, touchpoint id


class OrgGraph:
    def __init__(self, project: Project) -> None:
        self.project = project
        succ: Adjacency = {u: {} for u in project.units}
        pred: Adjacency = {u: {} for u in project.units}
        units = project.units
        for tid, tp in project.touchpoints.items():
            if tp.broadcast:
                continue
            sources = [u for u in tp.from_ if u in units]
            targets = [u for u in tp.to if u in units]
            for a in sources:
                for b in targets:
                    succ[a].setdefault(b, {})[tid] = None
                    pred[b].setdefault(a, {})[tid] = None
                    if tp.two_way:
                        succ[b].setdefault(a, {})[tid] = None
                        pred[a].setdefault(b, {})[tid] = None
        self._succ = succ
        self._pred = pred

    # -- edges -----------------------------------------------------------------------------

    def edges(self) -> list[Edge]:
        """Every edge, as (from unit, to unit, touchpoint id)."""
        return [(a, b, t) for a, out in self._succ.items() for b, keys in out.items() for t in keys]

    def out_edges(self, unit: str) -> list[Edge]:
        """The edges leaving `unit` (none for a unit that is not in the project)."""
        return [(unit, b, t) for b, keys in self._succ.get(unit, {}).items() for t in keys]

    def in_edges(self, unit: str) -> list[Edge]:
        """The edges arriving at `unit` (none for a unit that is not in the project)."""
        return [(a, unit, t) for a, keys in self._pred.get(unit, {}).items() for t in keys]

    def successors(self, unit: str) -> list[str]:
        """The units an edge from `unit` leads to, in the order of their first edge."""
        return list(self._succ.get(unit, ()))

    # -- broadcasts ------------------------------------------------------------------------

    @cached_property
    def broadcasts(self) -> list[str]:
        """The ids of the broadcasts (`to: all`), in file order."""
        return [t for t, tp in self.project.touchpoints.items() if tp.broadcast]

    @cached_property
    def _broadcast_senders(self) -> dict[str, set[str]]:
        """Broadcast id -> the units that send it: its `from` units that are known."""
        tps, units = self.project.touchpoints, self.project.units
        return {t: {u for u in tps[t].from_ if u in units} for t in self.broadcasts}

    @cached_property
    def _broadcasts_sent(self) -> dict[str, int]:
        sent: dict[str, int] = {}
        for senders in self._broadcast_senders.values():
            for u in senders:
                sent[u] = sent.get(u, 0) + 1
        return sent

    def broadcasts_received(self, unit: str) -> list[str]:
        """The broadcasts `unit` receives. The one home of the rule (docs/file-formats.md): a
        broadcast reaches every unit except its own `from` units."""
        return [t for t, senders in self._broadcast_senders.items() if unit not in senders]

    def broadcasts_received_count(self, unit: str) -> int:
        """len(broadcasts_received(unit)), counted without walking every broadcast."""
        return len(self.broadcasts) - self._broadcasts_sent.get(unit, 0)

    # -- units, silos ----------------------------------------------------------------------

    @property
    def units(self) -> list[str]:
        return list(self.project.units)

    def level(self, unit: str) -> int:
        return self.project.level[unit]

    def silo(self, unit: str) -> str | None:
        return self.project.silo.get(unit)

    @cached_property
    def top(self) -> list[str]:
        """Level-0 units (top management), in file order."""
        return self.project.top_units

    @cached_property
    def below_top(self) -> list[str]:
        return [u for u in self.project.units if self.project.level[u] != 0]

    # -- journeys --------------------------------------------------------------------------

    def step_touchpoints(self, journey: Journey) -> list[tuple[int, Touchpoint]]:
        """(step index, touchpoint) for every step naming a known touchpoint."""
        tps = self.project.touchpoints
        return [(i, tps[s.touchpoint]) for i, s in enumerate(journey.steps) if s.touchpoint in tps]

    def touchpoint_units(self, tp: Touchpoint) -> list[str]:
        """The units a touchpoint involves (a broadcast: only its `from` units)."""
        units = self.project.units
        members = list(tp.from_) if tp.broadcast else [*tp.from_, *tp.to]
        return [u for u in dict.fromkeys(members) if u in units]

    def journey_units(self, journey: Journey) -> list[str]:
        """The units of the journey's steps' touchpoints, in order (asked by several rules,
        the scores and the diagrams: computed once per journey)."""
        cache = self._units_of
        hit = cache.get(id(journey))
        if hit is None or hit[0] is not journey:
            seen: dict[str, None] = {}
            for _, tp in self.step_touchpoints(journey):
                for u in self.touchpoint_units(tp):
                    seen.setdefault(u, None)
            hit = cache[id(journey)] = (journey, list(seen))
        return list(hit[1])

    @cached_property
    def _units_of(self) -> dict[int, tuple[Journey, list[str]]]:
        return {}

    def journey_silos(self, journey: Journey) -> list[str]:
        seen: dict[str, None] = {}
        for u in self.journey_units(journey):
            s = self.silo(u)
            if s is not None:
                seen.setdefault(s, None)
        return list(seen)

    def acting_silo(self, tp: Touchpoint) -> str | None:
        first = tp.from_[0] if tp.from_ else None
        return self.silo(first) if first in self.project.units else None

    def handoffs(self, journey: Journey) -> list[Handoff]:
        result = []
        previous: str | None = None
        for index, tp in self.step_touchpoints(journey):
            acting = self.acting_silo(tp)
            if previous is not None and acting is not None and acting != previous:
                result.append(Handoff(index, previous, acting))
            previous = acting
        return result

    # -- ownership -------------------------------------------------------------------------

    def active_owners(self, journey: Journey) -> list[str]:
        """The journey's owner and co-owners that are known, active people."""
        people = self.project.people
        ids = [journey.owner, *journey.co_owners] if journey.owner else list(journey.co_owners)
        return [p for p in dict.fromkeys(ids) if p in people and people[p].active]

    def has_active_owner(self, journey: Journey) -> bool:
        people = self.project.people
        return journey.owner in people and people[journey.owner].active

    def person_covers(self, person: str) -> list[str]:
        """The silos a person covers: the silo of their unit; every silo when their unit is
        at level 0; none when they are inactive or unknown."""
        people = self.project.people
        if person not in people or not people[person].active:
            return []
        unit = people[person].unit
        if unit not in self.project.units:
            return []
        if self.project.level[unit] == 0:
            return self.project.silos()
        silo = self.silo(unit)
        return [silo] if silo is not None else []

    def covered_silos(self, journey: Journey) -> set[str]:
        """Silos the journey's active owners and co-owners cover (see person_covers)."""
        covered: set[str] = set()
        for pid in self.active_owners(journey):
            covered.update(self.person_covers(pid))
        return covered

    def uncovered_silos(self, journey: Journey) -> list[str]:
        """The journey's silos that no active owner or co-owner covers, in journey order."""
        covered = self.covered_silos(journey)
        return [s for s in self.journey_silos(journey) if s not in covered]

    # -- paths to top management -----------------------------------------------------------

    @cached_property
    def distance_to_top(self) -> dict[str, int]:
        """Shortest directed path length from each unit to any level-0 unit (level-0 units: 0).

        One breadth-first search from all level-0 units at once over the reversed edges;
        units with no directed path to level 0 are absent.
        """
        pred = self._pred
        dist = {u: 0 for u in self.top}
        queue = deque(self.top)
        while queue:
            node = queue.popleft()
            d = dist[node] + 1
            for before in pred[node]:
                if before not in dist:
                    dist[before] = d
                    queue.append(before)
        return dist

    @cached_property
    def _undirected(self) -> dict[str, set[str]]:
        adj: dict[str, set[str]] = {u: set() for u in self._succ}
        for a, out in self._succ.items():
            for b in out:
                if a != b:
                    adj[a].add(b)
                    adj[b].add(a)
        return adj

    @cached_property
    def connected_to_top(self) -> set[str]:
        """Units with a path (ignoring direction) to a level-0 unit, level-0 units included."""
        adj = self._undirected
        seen = set(self.top)
        queue = deque(self.top)
        while queue:
            for nxt in adj[queue.popleft()]:
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
        return seen

    @cached_property
    def islands(self) -> list[str]:
        """Units below level 0 with no path at all to top management, in file order."""
        connected = self.connected_to_top
        return [u for u in self.below_top if u not in connected]

    @cached_property
    def grouping_units(self) -> set[str]:
        """Units below level 0 that only group teams: no touchpoint of their own (broadcasts
        aside) and at least one sub-unit (any level down) connected to top management. The
        path rules judge those sub-units, not the grouping unit (`parent` adds no edge)."""
        parent = self.project.effective_parent
        connected = self.connected_to_top
        found: set[str] = set()
        for unit in connected:  # walk up from every connected unit
            node = parent.get(unit)
            while node is not None and node not in found:
                if self.level(node) != 0 and not self._succ[node] and not self._pred[node]:
                    found.add(node)
                node = parent.get(node)
        return found

    @cached_property
    def cut_off(self) -> dict[str, list[str]]:
        """For each unit, the other units its removal cuts off from level 0 (undirected).

        One iterative depth-first search (Tarjan's articulation points) from a virtual root
        joined to every level-0 unit: removing v cuts off the subtree of each DFS child c of v
        with low[c] >= disc[v]. Islands are never counted (they were cut off already). Units
        whose removal cuts off nobody are absent.
        """
        adj = self._undirected
        root = ""  # the virtual root: never a unit id (an id has at least one character)
        rank = self._order.__getitem__
        neighbours: dict[str, list[str]] = {root: list(self.top)}
        for u in adj:
            neighbours[u] = sorted(adj[u], key=rank)
        for t in self.top:  # the root's edges go both ways, so they count as back edges
            neighbours[t].append(root)
        disc: dict[str, int] = {root: 0}
        low: dict[str, int] = {root: 0}
        parent: dict[str, str] = {}
        # subtree membership: DFS order indices; a subtree is a contiguous range of `order`
        order: list[str] = [root]
        end: dict[str, int] = {}
        cuts: dict[str, list[str]] = {}
        stack: list[tuple[str, int]] = [(root, 0)]
        while stack:
            node, i = stack[-1]
            nbrs = neighbours[node]
            if i < len(nbrs):
                stack[-1] = (node, i + 1)
                nxt = nbrs[i]
                if nxt not in disc:
                    parent[nxt] = node
                    disc[nxt] = low[nxt] = len(order)
                    order.append(nxt)
                    stack.append((nxt, 0))
                elif nxt != parent.get(node):
                    low[node] = min(low[node], disc[nxt])
                continue
            stack.pop()
            end[node] = len(order)
            up = parent.get(node)
            if up is None:
                continue
            low[up] = min(low[up], low[node])
            if up != root and low[node] >= disc[up]:
                cuts.setdefault(up, []).append(node)
        result: dict[str, list[str]] = {}
        for unit, children in cuts.items():
            members: list[str] = []
            for child in children:
                members.extend(order[disc[child] : end[child]])
            result[unit] = sorted(members, key=rank)
        return result

    @cached_property
    def _order(self) -> dict[str, int]:
        return {u: i for i, u in enumerate(self.project.units)}
