"""`tpm list` and `tpm show`: the project's items as rows and as one full record."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from tpm.errors import UsageError
from tpm.findings import Finding
from tpm.graph import OrgGraph
from tpm.model import Journey, Person, Touchpoint, Unit
from tpm.privacy import PROTECT
from tpm.project import Item, Project
from tpm.safetext import visible
from tpm.scoring import Scores, enough, hidden_label, reason_label
from tpm.words import did_you_mean

if TYPE_CHECKING:
    from tpm.session import Session

COLUMNS = {
    "units": ["id", "name", "level", "silo", "parent", "customer_facing"],
    "people": ["id", "name", "unit", "role", "active"],
    "touchpoints": ["id", "name", "from", "to", "direction", "cadence", "owner"],
    "journeys": ["id", "name", "owner", "co_owners", "steps", "silos"],
}


def _unit_row(project: Project, uid: str, unit: Unit) -> dict[str, Any]:
    return {
        "id": uid,
        "name": unit.name,
        "level": project.level[uid],
        "silo": project.silo[uid],
        "parent": unit.parent,
        "customer_facing": unit.customer_facing,
    }


def _person_row(pid: str, person: Person) -> dict[str, Any]:
    return {
        "id": pid,
        "name": person.name,
        "unit": person.unit,
        "role": person.role,
        "active": person.active,
    }


def _touchpoint_row(tid: str, tp: Touchpoint) -> dict[str, Any]:
    return {
        "id": tid,
        "name": tp.name,
        "from": list(tp.from_),
        "to": "all" if tp.broadcast else list(tp.to),
        "direction": tp.direction,
        "cadence": tp.cadence,
        "owner": tp.owner,
    }


def _journey_row(graph: OrgGraph, jid: str, journey: Journey) -> dict[str, Any]:
    return {
        "id": jid,
        "name": journey.name,
        "owner": journey.owner,
        "co_owners": list(journey.co_owners),
        "steps": len(journey.steps),
        "silos": graph.journey_silos(journey),
    }


def rows(
    project: Project,
    graph: OrgGraph,
    kind: str,
    owner: str | None = None,
    silo: str | None = None,
) -> tuple[list[str], list[dict[str, Any]]]:
    """The columns and rows of `tpm list KIND`, filtered by owner and silo."""
    if owner is not None and kind in ("units", "people"):
        raise UsageError("--owner applies to touchpoints and journeys")
    if owner is not None and owner not in project.people:
        raise UsageError(f"--owner {owner!r} names no person{did_you_mean(owner, project.people)}")
    silos = project.silos()
    if silo is not None and silo not in silos:
        raise UsageError(f"--silo {silo!r} names no silo{did_you_mean(silo, silos)}")

    def in_silo(units: list[str]) -> bool:
        return silo is None or any(project.silo.get(u) == silo for u in units)

    result: list[dict[str, Any]] = []
    if kind == "units":
        result = [_unit_row(project, u, m) for u, m in project.units.items() if in_silo([u])]
    elif kind == "people":
        result = [_person_row(p, m) for p, m in project.people.items() if in_silo([m.unit])]
    elif kind == "touchpoints":
        result = [
            _touchpoint_row(t, m)
            for t, m in project.touchpoints.items()
            if (owner is None or m.owner == owner) and in_silo(graph.touchpoint_units(m))
        ]
    elif kind == "journeys":
        result = [
            _journey_row(graph, j, m)
            for j, m in project.journeys.items()
            if (owner is None or owner == m.owner or owner in m.co_owners)
            and (silo is None or silo in graph.journey_silos(m))
        ]
    return COLUMNS[kind], result


def to_json(data: object) -> str:
    """The json of `tpm list --format json` and `tpm show --format json`."""
    return json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"


def print_table(kind: str, columns: list[str], table: list[dict[str, Any]], org: str) -> None:
    """`tpm list KIND` at a terminal: one table, then how many rows it has."""
    from rich.table import Table

    from tpm.console import out

    t = Table(title=f"{kind.capitalize()} of {org or 'the project'}")
    for column in columns:
        t.add_column(column, overflow="fold", no_wrap=column == "id")
    for row in table:
        t.add_row(*(as_text(row[c]) for c in columns))
    out().print(t)
    out().print(f"{len(table)} {kind}")


def _private(fields: dict[str, Any], m: int) -> dict[str, Any]:
    """The fields with the scores of every inline rating from fewer than `m` respondents
    replaced by `n < m` (docs/scoring.md, "Privacy": no such number appears in any output)."""
    ratings = fields.get("ratings")
    if not isinstance(ratings, list):
        return fields
    shown = []
    for rating in ratings:
        n = rating.get("n") if isinstance(rating, dict) else None
        if isinstance(rating, dict) and not (isinstance(n, int) and enough(n, m)):
            rating = {**rating, "scores": None, "hidden": hidden_label(m)}
        shown.append(rating)
    return {**fields, "ratings": shown}


def describe_item(
    project: Project,
    graph: OrgGraph,
    ident: str,
    findings: list[Finding] | None = None,
    scores: Scores | None = None,
) -> dict[str, Any]:
    """Everything `tpm show ID` prints, as plain data (also its json).

    `findings` are the ones to show for the item (those whose subject it is): the audit's,
    when the caller ran it; by default the loading findings of the project.
    """
    item = _item(project, ident)
    where = item.location
    info: dict[str, Any] = {
        "id": ident,
        "kind": item.kind,
        "defined_at": f"{where.path}:{where.line}:{where.column}",
        "valid": item.clean,
        "fields": _private(
            item.model.model_dump(mode="json", by_alias=True, exclude_defaults=True)
            if item.model is not None
            else dict(item.raw),
            project.scoring.min_responses,
        ),
    }
    model = item.model
    related: dict[str, Any] = {}
    if isinstance(model, Unit):
        related["level"] = project.level[ident]
        related["silo"] = project.silo[ident]
        related["children"] = [u for u, p in project.effective_parent.items() if p == ident]
        related["people"] = [p for p, m in project.people.items() if m.unit == ident]
        # its neighbours in the graph (a two-way touchpoint is an edge both ways)
        related["edges_out"] = _edges(graph, ident, out=True)
        related["edges_in"] = _edges(graph, ident, out=False)
        related["broadcasts_received"] = graph.broadcasts_received(ident)
        dist = graph.distance_to_top.get(ident)
        related["hops_to_top_management"] = dist
        related["journeys"] = [
            j for j, m in project.journeys.items() if ident in graph.journey_units(m)
        ]
    elif isinstance(model, Person):
        related["owns_touchpoints"] = [
            t for t, m in project.touchpoints.items() if m.owner == ident
        ]
        related["owns_journeys"] = [j for j, m in project.journeys.items() if m.owner == ident]
        related["co_owns_journeys"] = [
            j for j, m in project.journeys.items() if ident in m.co_owners
        ]
        related["covers_silos"] = graph.person_covers(ident)
    elif isinstance(model, Touchpoint):
        related["units"] = graph.touchpoint_units(model)
        related["broadcast"] = model.broadcast
        related["journeys"] = [
            j for j, m in project.journeys.items() if any(s.touchpoint == ident for s in m.steps)
        ]
    elif isinstance(model, Journey):
        related["units"] = graph.journey_units(model)
        related["silos"] = graph.journey_silos(model)
        related["handoffs"] = [
            {
                "step": h.index + 1,
                "touchpoint": model.steps[h.index].touchpoint,
                "from_silo": h.from_silo,
                "to_silo": h.to_silo,
            }
            for h in graph.handoffs(model)
        ]
    info["related"] = related
    if scores is not None:
        info["score"] = score_of(scores, ident)
        info["m"] = scores.min_responses
    shown = project.findings if findings is None else findings
    info["findings"] = [f.to_json() for f in shown if f.subject == ident]
    return info


def describe(session: Session, ident: str) -> dict[str, Any]:
    """`tpm show ID`: the item with its score and audit findings. An unknown id is a usage
    error, found before anything is scored or audited."""
    _item(session.project, ident)
    findings = session.audit().findings
    return describe_item(session.project, session.graph, ident, findings, session.scores)


def _item(project: Project, ident: str) -> Item:
    item = project.item(ident)
    if item is None:
        raise UsageError(
            f"no unit, person, touchpoint or journey has the id {ident!r}"
            f"{did_you_mean(ident, project.items)}"
        )
    return item


def score_of(scores: Scores, ident: str) -> dict[str, Any] | None:
    """The item's score as `tpm score --format json` gives it (None for people)."""
    from tpm.scoreview import to_json

    for view in ("touchpoints", "journeys", "units"):
        table = getattr(scores, view)
        if ident in table:
            entries = to_json(scores, view)[view]
            return next(e for e in entries if e["id"] == ident)
    return None


def _score_line(score: dict[str, Any], m: int) -> str:
    """A score for a person at a terminal: the value and band, or why there is none."""
    parts = []
    n = score.get("n")
    if score.get("score") is not None:
        parts.append(f"{score['score']:.1f} {score['band']}")
        if n:
            parts.append(f"n={n}")
    elif score.get("hidden"):
        parts.append(f"hidden: {reason_label(score['hidden'], m)} ({score['hidden']})")
    else:
        parts.append("no score")
    if score.get("source") not in (None, "none"):
        parts.append(f"from {score['source']} of {score['newest']}")
    if "coverage" in score:
        parts.append(f"{score['coverage']:.0%} of steps scored")
        if score.get("weakest"):
            parts.append(f"weakest step {score['weakest']}")
    own_hidden = score.get("own_hidden")
    if own_hidden:
        parts.append(
            f"own {reason_label(own_hidden, m)}"
            + (" (hidden to protect a smaller group)" if own_hidden == PROTECT else "")
        )
    elif score.get("own_n"):
        own = score.get("own_score")
        if own is not None:
            parts.append(f"own {own:.1f}")
        else:  # enough respondents, but no dimension with m answers: no own score, not hidden
            parts.append("no own score")
    return ", ".join(parts)


def _edges(graph: OrgGraph, unit: str, out: bool) -> list[dict[str, str]]:
    if out:
        return [{"touchpoint": key, "unit": b} for _, b, key in graph.out_edges(unit)]
    return [{"touchpoint": key, "unit": a} for a, _, key in graph.in_edges(unit)]


def render_item(info: dict[str, Any]) -> None:
    """Print `tpm show` for a person at a terminal: the fields, the score, the neighbours and
    the findings, as `key  value` lines (no padding after the value, for pipes and diffs)."""
    from rich.text import Text

    from tpm.console import out
    from tpm.findings import Finding, Severity
    from tpm.formats.text import finding_line

    console = out()
    console.print(
        Text.assemble(
            (info["id"], "bold"),
            f"  {info['kind']}  defined at {info['defined_at']}",
            ("" if info["valid"] else ("  (has schema errors)", "red")),
        )
    )
    rows = [(as_text(k), _field_text(k, v)) for k, v in info["fields"].items() if k != "id"]
    if info.get("score") is not None:
        rows.append(("score", _score_line(info["score"], info["m"])))
    related = [(k.replace("_", " "), _field_text(k, v)) for k, v in info["related"].items()]
    for block in (rows, related):
        if not block:
            continue
        width = max(len(k) for k, _ in block)
        for key, value in block:
            console.print(Text.assemble((f"{key:<{width}}", "bold"), "  ", value))
        console.print()
    for f in info["findings"]:
        console.print(finding_line(Finding(**{**f, "severity": Severity(f["severity"])})))


def _field_text(key: str, value: Any) -> str:
    """A field as one readable line: edges as arrows, steps numbered, handoffs by step."""
    if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
        return as_text(value)
    if key in ("edges_out", "edges_in"):
        arrow = "→" if key == "edges_out" else "←"
        return ", ".join(f"{e['touchpoint']} {arrow} {e['unit']}" for e in value)
    if key == "handoffs":
        return ", ".join(
            f"step {h['step']} {h['touchpoint']}: {h['from_silo']} → {h['to_silo']}" for h in value
        )
    if key == "steps":
        parts = []
        for number, step in enumerate(value, 1):
            text = f"{number}. {step.get('touchpoint')}"
            if step.get("stage"):
                text += f" ({step['stage']})"
            if step.get("critical") is True:
                text += " critical"
            parts.append(text)
        return ", ".join(parts)
    return as_text(value)


def as_text(value: Any) -> str:
    """A value as one readable line of a table or `tpm show`."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        if not value:
            return "—"
        return ", ".join(as_text(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{as_text(k)}: {as_text(v)}" for k, v in value.items())
    return visible(str(value))  # user text: control characters shown as escapes
