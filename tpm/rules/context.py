"""What every rule check reads: one `Context` per audit run, with the indices rules share.

A check is a function `check(ctx) -> Iterable[Finding]`. It reads the loaded project, the one
`OrgGraph` and the scores; it never re-reads files or rebuilds the graph. Indices that more than
one item needs (which touchpoints journeys use, what each unit starts and receives) are built
here once, in one pass over the items, so no rule is quadratic in the size of the project.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from tpm.findings import Finding, Location, make_finding

if TYPE_CHECKING:
    from tpm.catalogue import Rule
    from tpm.graph import OrgGraph
    from tpm.model import AuditConfig
    from tpm.project import Project
    from tpm.scoring import Scores


@dataclass
class UnitRoles:
    """How each unit takes part in touchpoints (one-way-unit), from one pass over them (the
    broadcasts a unit receives: OrgGraph.broadcasts_received)."""

    starts: set[str] = field(default_factory=set)  # in `from` of any touchpoint
    two_way: set[str] = field(default_factory=set)  # in a two-way touchpoint (not a broadcast)
    received: dict[str, list[str]] = field(default_factory=dict)  # unit -> touchpoints (to)


@dataclass
class Context:
    project: Project
    graph: OrgGraph
    scores: Scores | None
    as_of: dt.date
    settings: AuditConfig

    # -- locations and findings ------------------------------------------------------------

    def at(self, ident: str, *path: Any, key: bool = False) -> Location:
        """Where `path` lies inside item `ident` (its `id` value when `path` is empty)."""
        item = self.project.items[ident]
        return item.at(*path, key=key) if path else item.location

    def finding(
        self, rule: Rule, message: str, ident: str, *path: Any, key: bool = False
    ) -> Finding:
        """A finding of `rule` about item `ident`, at its id or at `path` inside it."""
        return make_finding(rule, message, self.at(ident, *path, key=key), ident)

    # -- shared indices --------------------------------------------------------------------

    @cached_property
    def used_touchpoints(self) -> set[str]:
        """Touchpoint ids named by any journey step, read from the data as written, so that a
        schema error elsewhere in a journey does not make its touchpoints look unused."""
        used: set[str] = set()
        for item in self.project.items.values():
            if item.kind != "journey":
                continue
            steps = item.raw.get("steps")
            if isinstance(steps, list):
                for step in steps:
                    if isinstance(step, dict) and isinstance(step.get("touchpoint"), str):
                        used.add(step["touchpoint"])
        return used

    @cached_property
    def roles(self) -> UnitRoles:
        roles = UnitRoles()
        units = self.project.units
        for tid, tp in self.project.touchpoints.items():
            sources = [u for u in tp.from_ if u in units]
            roles.starts.update(sources)
            if tp.broadcast:
                continue
            targets = [u for u in dict.fromkeys(tp.to) if u in units]
            if tp.two_way:
                roles.two_way.update(sources)
                roles.two_way.update(targets)
            for u in targets:
                roles.received.setdefault(u, []).append(tid)
        return roles


Check = Callable[[Context], Iterable[Finding]]


# -- message helpers (one home for the wording every rule shares) ---------------------------


def some(values: Sequence[str], limit: int = 10, quote: bool = True, conj: str = "and") -> str:
    """`'a', 'b' and 'c'`, or the first `limit` values and how many more there are."""
    shown = [repr(v) if quote else v for v in values[:limit]]
    rest = len(values) - len(shown)
    if rest > 0:
        return f"{', '.join(shown)} and {rest} more"
    if len(shown) <= 1:
        return "".join(shown)
    return f"{', '.join(shown[:-1])} {conj} {shown[-1]}"


def days_ago(day: dt.date, as_of: dt.date) -> int:
    return (as_of - day).days
