"""`tpm diff`: what a change does to the organisation (docs/ci.md, "tpm diff").

Both revisions go through the one pipeline of every command (load → graph → scores →
audit); the base, and `--head REV`, are copied out of git into a temporary directory first
(tpm.gitrepo), the working tree is the project directory itself. Each side is reduced to a
`Snapshot` of what the comparison needs, then the two are compared:

- items (units, people, touchpoints, journeys, and the settings of tpm.yaml) added, removed
  and changed, with the fields that changed, compared as written. Ratings are named but never
  shown: an inline rating may hold the answers of fewer people than the anonymity threshold;
- findings new and fixed, matched like the audit's baseline (tpm.audit.Baseline: same code,
  subject and path); a file renamed without changing what it defines keeps its findings;
- the TPM index and its components before → after, journeys whose owner coverage changed,
  units that gained or lost a feedback path or became or stopped being islands or
  bottlenecks, and the scores that moved: all read from the published outputs (the score json
  of `tpm score`), so nothing appears that `tpm score` would not show on either revision.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tpm.catalogue import reaches
from tpm.errors import UsageError
from tpm.findings import Finding
from tpm.gitrepo import GitError, Repository, Revision

if TYPE_CHECKING:
    from tpm.audit import AuditResult
    from tpm.graph import OrgGraph
    from tpm.model import Journey
    from tpm.project import Project
    from tpm.scoring import Scores

DIFF_VERSION = 1
WORKING_TREE = "working tree"
# fields whose values a diff names but never shows (inline ratings: answers of small groups)
WITHHELD_FIELDS = frozenset({"ratings"})
SETTINGS_KEYS = ("organisation", "scoring", "audit")

# what a unit's change is called in the json, and said in text and markdown
UNIT_CHANGES = {
    "lost-feedback-path": "lost its feedback path to top management",
    "gained-feedback-path": "gained a feedback path to top management",
    "became-island": "became a CX island (no path at all to top management)",
    "no-longer-island": "is no longer an island",
    "became-bottleneck": "became a bottleneck",
    "no-longer-bottleneck": "is no longer a bottleneck",
}
COVERAGE_STATUSES = ("unowned", "partial", "covered")  # worst first


class DiffError(UsageError):
    """A usage error of `tpm diff` (exit 2): one line for the user."""


# -- one side ----------------------------------------------------------------------------------


@dataclass
class ItemView:
    kind: str
    id: str
    name: str
    path: str  # display path of the file that defines it
    raw: Any  # the mapping as written


@dataclass
class UnitState:
    feedback: bool  # a directed path to level 0
    island: bool
    bottleneck: bool


@dataclass
class Snapshot:
    """What the comparison needs of one revision (the project itself is let go)."""

    organisation: str
    config_path: str  # display path of tpm.yaml
    items: dict[str, ItemView]
    settings: dict[str, Any]
    findings: list[Finding]
    files: dict[str, frozenset[str]]  # display path -> ids defined in it
    coverage: dict[str, dict[str, Any]]  # journey id -> {"status", "owner", "uncovered"}
    units: dict[str, UnitState]  # units below level 0 (empty without top management)
    scores: dict[str, Any]  # the published json of `tpm score`


def coverage(graph: OrgGraph, journey: Journey) -> dict[str, Any]:
    """A journey's owner coverage as the TPM index's ownership component counts it: covered
    (an active owner, and every silo covered when it crosses two or more), partial, unowned."""
    silos = graph.journey_silos(journey)
    if not graph.has_active_owner(journey):
        status, uncovered = "unowned", silos
    else:
        uncovered = graph.uncovered_silos(journey) if len(silos) >= 2 else []
        status = "partial" if uncovered else "covered"
    return {"status": status, "owner": journey.owner, "uncovered": uncovered}


def snapshot(project: Project, graph: OrgGraph, scores: Scores, audit: AuditResult) -> Snapshot:
    from tpm.rules.paths import BottleneckUnitOptions
    from tpm.scoreview import to_json

    items: dict[str, ItemView] = {}
    files: dict[str, set[str]] = {}
    for ident, item in project.items.items():
        model_name = getattr(item.model, "name", None)
        raw_name = item.raw.get("name")
        name = model_name or (raw_name if isinstance(raw_name, str) else ident)
        items[ident] = ItemView(item.kind, ident, name, item.source.display, item.raw)
        files.setdefault(item.source.display, set()).add(ident)
    config = project.sources[0].data if project.sources else None
    settings = {k: config.get(k) for k in SETTINGS_KEYS} if isinstance(config, dict) else {}
    units: dict[str, UnitState] = {}
    if graph.top:
        dist, islands, cut_off = graph.distance_to_top, set(graph.islands), graph.cut_off
        minimum = BottleneckUnitOptions.of(project.audit).bottleneck_min_cut
        for unit in graph.below_top:
            units[unit] = UnitState(
                feedback=unit in dist,
                island=unit in islands,
                bottleneck=len(cut_off.get(unit, ())) >= minimum,
            )
    return Snapshot(
        organisation=project.organisation,
        config_path=project.sources[0].display if project.sources else "tpm.yaml",
        items=items,
        settings=settings,
        findings=list(audit.findings),
        files={path: frozenset(ids) for path, ids in files.items()},
        coverage={jid: coverage(graph, j) for jid, j in project.journeys.items()},
        units=units,
        scores=to_json(scores),
    )


def evaluate(root: Path, as_of: dt.date, cwd: Path | None = None) -> Snapshot:
    """The project at `root` through the pipeline of every command, as a snapshot."""
    from tpm.session import Session

    session = Session(root, as_of, cwd=cwd)
    return snapshot(session.project, session.graph, session.scores, session.audit())


def _at_revision(
    repo: Repository, revision: Revision, prefix: str, as_of: dt.date
) -> Snapshot | None:
    """The project at a commit, copied into a temporary directory laid out so that its
    paths print as the working tree's do (`prefix`); None when the commit has no project."""
    entries = repo.entries(revision.commit)
    if not repo.has_project(entries):
        return None
    with tempfile.TemporaryDirectory(prefix="tpm-diff-") as tmp:
        here = Path(tmp).resolve()
        root = here.joinpath(*prefix.split("/")) if prefix else here / "project"
        root.mkdir(parents=True)
        repo.extract(entries, root)
        return evaluate(root, as_of, cwd=here if prefix else root)


# -- the comparison ----------------------------------------------------------------------------


@dataclass
class Side:
    name: str  # what the user named ("main", "merge base of HEAD and origin/main", ...)
    commit: str | None  # None: the working tree
    project: bool = True  # the project exists there

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "commit": self.commit, "project": self.project}


@dataclass
class Diff:
    base: Side
    head: Side
    organisation: str
    added: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    changed: list[dict[str, Any]] = field(default_factory=list)
    new: list[Finding] = field(default_factory=list)
    fixed: list[Finding] = field(default_factory=list)
    index_before: dict[str, Any] | None = None
    index_after: dict[str, Any] | None = None
    journeys: list[dict[str, Any]] = field(default_factory=list)
    units: list[dict[str, Any]] = field(default_factory=list)
    scores: list[dict[str, Any]] = field(default_factory=list)

    def failing(self, level: str) -> list[Finding]:
        """The new findings at or above `level` (error, warning, info; never: none)."""
        return [f for f in self.new if reaches(f.severity, level)]

    def exit_code(self, level: str) -> int:
        return 1 if self.failing(level) else 0

    @property
    def empty(self) -> bool:
        return not any(
            (self.added, self.removed, self.changed, self.new, self.fixed, self.journeys)
        ) and not (self.units or self.scores or self.index_before != self.index_after)

    def summary(self) -> dict[str, Any]:
        return {
            "items": {
                "added": len(self.added),
                "removed": len(self.removed),
                "changed": len(self.changed),
            },
            "findings": {
                "new": _counts(self.new),
                "fixed": _counts(self.fixed),
            },
            "journeys": len(self.journeys),
            "units": len(self.units),
            "scores": len(self.scores),
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "version": DIFF_VERSION,
            "base": self.base.to_json(),
            "head": self.head.to_json(),
            "organisation": self.organisation,
            "summary": self.summary(),
            "items": {"added": self.added, "removed": self.removed, "changed": self.changed},
            "findings": {
                "new": [f.to_json() for f in self.new],
                "fixed": [f.to_json() for f in self.fixed],
            },
            "index": {"before": self.index_before, "after": self.index_after},
            "journeys": self.journeys,
            "units": self.units,
            "scores": self.scores,
        }


def _counts(findings: Iterable[Finding]) -> dict[str, int]:
    counts = {"error": 0, "warning": 0, "info": 0}
    for f in findings:
        counts[f.severity.value] += 1
    return counts


def compare(before: Snapshot | None, after: Snapshot, base: Side, head: Side) -> Diff:
    """Compare two snapshots; `before` None: the project did not exist (everything added)."""
    old = before or _nothing()
    diff = Diff(base=base, head=head, organisation=after.organisation or old.organisation)
    _items(diff, old, after)
    _findings(diff, old, after)
    diff.index_before = old.scores.get("index") if before is not None else None
    diff.index_after = after.scores.get("index")
    for jid, now in after.coverage.items():
        was = old.coverage.get(jid)
        if was is not None and was != now:
            name = after.items[jid].name if jid in after.items else jid
            diff.journeys.append({"id": jid, "name": name, "before": was, "after": now})
    for unit, now_state in after.units.items():
        was_state = old.units.get(unit)
        if was_state is None:
            continue
        name = after.items[unit].name if unit in after.items else unit
        for change in _unit_changes(was_state, now_state):
            diff.units.append({"id": unit, "name": name, "change": change})
    if before is not None:
        names = {ident: item.name for ident, item in after.items.items()}
        diff.scores = _moved(old.scores, after.scores, names)
    return diff


def _nothing() -> Snapshot:
    return Snapshot("", "tpm.yaml", {}, {}, [], {}, {}, {}, {})


def _kind_rank() -> dict[str, int]:
    from tpm.model import KINDS

    return {**{kind: i for i, kind in enumerate(KINDS)}, "settings": len(KINDS)}


def _item_json(item: ItemView) -> dict[str, Any]:
    return {"kind": item.kind, "id": item.id, "name": item.name, "path": item.path}


def _items(diff: Diff, old: Snapshot, new: Snapshot) -> None:
    rank = _kind_rank()
    order = {ident: i for i, ident in enumerate(new.items)}

    def by_kind(entry: dict[str, Any]) -> tuple[int, int]:
        return rank.get(entry["kind"], len(rank)), order.get(entry["id"], -1)

    for ident, item in new.items.items():
        was = old.items.get(ident)
        if was is None or was.kind != item.kind:
            diff.added.append(_item_json(item))
            continue
        if was.raw != item.raw:
            diff.changed.append({**_item_json(item), "fields": _fields(was.raw, item.raw)})
    for ident, item in old.items.items():
        now = new.items.get(ident)
        if now is None or now.kind != item.kind:
            diff.removed.append(_item_json(item))
    if old.settings:  # a project that did not exist has no settings to change
        for key in SETTINGS_KEYS:
            was_value, now_value = old.settings.get(key), new.settings.get(key)
            if was_value == now_value:
                continue
            if isinstance(was_value, dict | None) and isinstance(now_value, dict | None):
                fields = _fields(was_value or {}, now_value or {})
            else:
                fields = [_field(key, was_value, now_value)]
            entry = {"kind": "settings", "id": key, "name": key, "path": new.config_path}
            diff.changed.append({**entry, "fields": fields})
    diff.added.sort(key=by_kind)
    diff.changed.sort(key=by_kind)
    old_order = {ident: i for i, ident in enumerate(old.items)}
    diff.removed.sort(key=lambda e: (rank.get(e["kind"], len(rank)), old_order[e["id"]]))


def _fields(was: Any, now: Any) -> list[dict[str, Any]]:
    """The top-level fields of two mappings as written that differ (the id never does)."""
    if not isinstance(was, dict) or not isinstance(now, dict):
        return [] if was == now else [_field("(item)", was, now)]
    keys = [*now, *(k for k in was if k not in now)]
    return [_field(str(k), was.get(k), now.get(k)) for k in keys if was.get(k) != now.get(k)]


def _field(name: str, was: Any, now: Any) -> dict[str, Any]:
    if name in WITHHELD_FIELDS:
        return {"field": name}
    return {"field": name, "before": _plain(was), "after": _plain(now)}


def _plain(value: Any) -> Any:
    """A value as written, as JSON can hold it (no NaN, no infinity, text keys)."""
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _renames(old: Snapshot, new: Snapshot) -> dict[str, str]:
    """Files renamed without a change of what they define: old display path -> new."""
    gone = {ids: path for path, ids in old.files.items() if path not in new.files and ids}
    return {
        gone[ids]: path for path, ids in new.files.items() if path not in old.files and ids in gone
    }


def _findings(diff: Diff, old: Snapshot, new: Snapshot) -> None:
    from tpm.audit import Baseline

    renamed = _renames(old, new)
    moved = [
        dataclasses.replace(f, path=renamed[f.path]) if f.path in renamed else f
        for f in old.findings
    ]
    before = Baseline(frozenset((f.code, f.subject, f.path) for f in moved))
    after = Baseline(frozenset((f.code, f.subject, f.path) for f in new.findings))
    diff.new = [f for f in new.findings if f not in before]
    diff.fixed = [f for f, m in zip(old.findings, moved, strict=True) if m not in after]


def _unit_changes(was: UnitState, now: UnitState) -> list[str]:
    changes = []
    if was.feedback != now.feedback:
        changes.append("gained-feedback-path" if now.feedback else "lost-feedback-path")
    if was.island != now.island:
        changes.append("became-island" if now.island else "no-longer-island")
    if was.bottleneck != now.bottleneck:
        changes.append("became-bottleneck" if now.bottleneck else "no-longer-bottleneck")
    return changes


def _differs(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return (a is None) != (b is None)
    return bool(abs(a - b) > 1e-9)


def _moved(old: dict[str, Any], new: dict[str, Any], names: dict[str, str]) -> list[dict[str, Any]]:
    """Published scores that moved, of what exists on both sides (`names`: of the items)."""
    moved: list[dict[str, Any]] = []

    def compare_rows(kind: str, measures: tuple[str, ...]) -> None:
        was_rows = {row["id"]: row for row in old.get(kind + "s", [])}
        for row in new.get(kind + "s", []):
            was = was_rows.get(row["id"])
            if was is None:
                continue
            for measure in measures:
                if _differs(was.get(measure), row.get(measure)):
                    moved.append(
                        {
                            "kind": kind,
                            "id": row["id"],
                            "name": row["name"],
                            "measure": measure,
                            "before": was.get(measure),
                            "after": row.get(measure),
                        }
                    )

    compare_rows("touchpoint", ("score",))
    compare_rows("journey", ("score",))
    compare_rows("unit", ("score", "own_score"))
    compare_rows("silo", ("own_score",))
    was_enps, now_enps = old.get("enps", {}), new.get("enps", {})
    a = was_enps.get("organisation", {}).get("value")
    b = now_enps.get("organisation", {}).get("value")
    if _differs(a, b):
        moved.append(
            {"kind": "organisation", "id": None, "name": None, "measure": "enps", "before": a,
             "after": b}
        )  # fmt: skip
    for kind, group in (("silo", "silos"), ("unit", "units")):
        was_groups = was_enps.get(group, {})
        for ident, now in now_enps.get(group, {}).items():
            was = was_groups.get(ident)
            if was is not None and _differs(was.get("value"), now.get("value")):
                moved.append(
                    {
                        "kind": kind,
                        "id": ident,
                        "name": names.get(ident, ident),
                        "measure": "enps",
                        "before": was.get("value"),
                        "after": now.get("value"),
                    }
                )
    return moved


# -- the command ------------------------------------------------------------------------------


def run_diff(
    root: Path,
    base: str | None = None,
    head: str | None = None,
    as_of: dt.date | None = None,
    allow_new: bool = False,
    cwd: Path | None = None,
) -> Diff:
    """Compare the project at `root` between BASE (default: the merge base of HEAD with the
    default branch) and `head` (default: the working tree). DiffError for usage errors."""
    from tpm.project import Paths

    day = as_of or dt.date.today()
    try:
        repo = Repository.of(root)
        base_rev = repo.revision(base, "BASE") if base is not None else repo.default_base()
        head_rev = repo.revision(head, "--head") if head is not None else None
        prefix = Paths(root.resolve(), cwd).prefix
        before = _at_revision(repo, base_rev, prefix, day)
        if before is None and not allow_new:
            raise DiffError(
                f"there is no project at {_called(base_rev)}: it has no {repo.prefix}tpm.yaml "
                "(give --allow-new to compare with an empty project)"
            )
        if head_rev is None:
            after = evaluate(root, day, cwd)
        else:
            found = _at_revision(repo, head_rev, prefix, day)
            if found is None:
                raise DiffError(
                    f"there is no project at --head {_called(head_rev)}: "
                    f"it has no {repo.prefix}tpm.yaml"
                )
            after = found
    except GitError as exc:
        raise DiffError(str(exc)) from None
    base_side = Side(base_rev.name, base_rev.commit, before is not None)
    head_side = Side(head_rev.name, head_rev.commit) if head_rev else Side(WORKING_TREE, None)
    return compare(before, after, base_side, head_side)


def _called(rev: Revision) -> str:
    short = rev.commit[:12]
    return f"{rev.name} ({short})" if rev.name != rev.commit else short
