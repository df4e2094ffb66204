"""Ownership rules (TPM010 to TPM013): every journey and touchpoint has an accountable, active
owner, and a journey across silos has owners who cover every silo it crosses."""

from __future__ import annotations

from collections.abc import Iterator

from tpm.findings import Finding
from tpm.model import Journey, Touchpoint
from tpm.rules.context import Context, some


def unowned_journey(ctx: Context) -> Iterator[Finding]:
    """TPM010: a journey has no owner."""
    for jid, journey in ctx.project.journeys.items():
        if journey.owner is not None:
            continue
        silos = ctx.graph.journey_silos(journey)
        if len(silos) >= 2:
            hint = (
                f"it crosses {len(silos)} silos ({some(silos, quote=False)}) and nobody is "
                "accountable for the whole: name an owner who covers them all, such as a "
                "CX manager at level 0 (owner: PERSON-ID)"
            )
        else:
            hint = "name the person accountable for it from end to end (owner: PERSON-ID)"
        yield ctx.finding("TPM010", f"journey {jid!r} has no owner: {hint}", jid)


def _owner_fields(model: Journey | Touchpoint) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """(path inside the item, person id) of the owner and every co-owner."""
    if model.owner is not None:
        yield ("owner",), model.owner
    for i, pid in enumerate(getattr(model, "co_owners", ())):
        yield ("co_owners", i), pid


def inactive_owner(ctx: Context) -> Iterator[Finding]:
    """TPM011: an owner or co-owner of a journey or touchpoint has `active: false`."""
    people = ctx.project.people
    kinds: tuple[tuple[str, dict[str, Journey] | dict[str, Touchpoint]], ...] = (
        ("touchpoint", ctx.project.touchpoints),
        ("journey", ctx.project.journeys),
    )
    for kind, items in kinds:
        for ident, model in items.items():
            for path, pid in _owner_fields(model):
                person = people.get(pid)
                if person is None or person.active:
                    continue  # unknown people are TPM005
                role = "owner" if path == ("owner",) else "co-owner"
                yield ctx.finding(
                    "TPM011",
                    f"{role} {pid!r} ({person.name}) of {kind} {ident!r} is inactive "
                    f"(active: false): hand the {kind} to an active person",
                    ident,
                    *path,
                )


def silo_owned_journey(ctx: Context) -> Iterator[Finding]:
    """TPM012: a cross-silo journey whose active owners cover only some of its silos."""
    graph = ctx.graph
    for jid, journey in ctx.project.journeys.items():
        # only journeys with an active owner are judged: TPM010 and TPM011 cover the rest
        if not graph.has_active_owner(journey):
            continue
        silos = graph.journey_silos(journey)
        if len(silos) < 2:
            continue
        uncovered = graph.uncovered_silos(journey)
        if not uncovered:
            continue
        covered = [s for s in silos if s not in uncovered]
        cover = f"cover only {some(covered, quote=False)}" if covered else "cover none of them"
        reach = _steps_reaching(ctx, journey, uncovered)
        missing = some([f"{s} ({reach[s]})" for s in uncovered], quote=False, conj="or")
        yield ctx.finding(
            "TPM012",
            f"journey {jid!r} crosses {len(silos)} silos ({some(silos, quote=False)}) but its "
            f"owner and co-owners {cover}: nobody covers {missing}; add a co-owner from each "
            "uncovered silo, or an owner at level 0",
            jid,
            "owner",
            key=True,
        )


def _steps_reaching(ctx: Context, journey: Journey, silos: list[str]) -> dict[str, str]:
    """For each silo, the steps whose touchpoint involves one of its units: `steps 2
    'claims-handover', 3 'field-debrief'` (1-based step numbers)."""
    wanted = set(silos)
    steps: dict[str, list[str]] = {s: [] for s in silos}
    silo = ctx.project.silo
    for index, tp in ctx.graph.step_touchpoints(journey):
        for s in dict.fromkeys(silo[u] for u in ctx.graph.touchpoint_units(tp)):
            if s in wanted:
                steps[s].append(f"{index + 1} {tp.id!r}")
    return {
        s: f"{'step' if len(names) == 1 else 'steps'} {some(names, quote=False)}"
        for s, names in steps.items()
    }


def unowned_touchpoint(ctx: Context) -> Iterator[Finding]:
    """TPM013: a touchpoint has no owner."""
    for tid, tp in ctx.project.touchpoints.items():
        if tp.owner is None:
            yield ctx.finding(
                "TPM013",
                f"touchpoint {tid!r} has no owner: name the person who keeps it running and "
                "improves it (owner: PERSON-ID)",
                tid,
            )
