"""Ownership rules (TPM010 to TPM013): every journey and touchpoint has an accountable, active
owner, and a journey across silos has owners who cover every silo it crosses."""

from __future__ import annotations

from collections.abc import Iterator

from tpm.catalogue import Rule, Severity
from tpm.findings import Finding
from tpm.model import Journey, Touchpoint
from tpm.rules.context import Context, some

UNOWNED_JOURNEY = Rule(
    "TPM010",
    "unowned-journey",
    Severity.ERROR,
    "a journey has no owner",
    what="Every journey names an owner (a person id). A journey whose owner is absent or "
    "null is reported at its id; the message says how many silos it crosses.",
    why="Departments are silos with their own goals, metrics and rewards. A journey that "
    "crosses two or more of them is where the experience breaks, at the handoffs, and "
    "without one accountable owner each department optimises its own step and nobody "
    "the whole. The CX manager is the role created to own such journeys.",
    fix="Name one accountable person as owner: (for a cross-silo journey, someone who "
    "covers every silo it crosses, such as the CX manager on the board) and add "
    "co_owners: from the departments involved.",
    example="journeys:\n  - id: complaint-escalation\n    name: A complaint across "
    "four departments\n    steps:\n      - touchpoint: policy-handover\n"
    "      - touchpoint: claims-handover\n",
    family="ownership",
)


@UNOWNED_JOURNEY.checks
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
        yield ctx.finding(UNOWNED_JOURNEY, f"journey {jid!r} has no owner: {hint}", jid)


def _owner_fields(model: Journey | Touchpoint) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """(path inside the item, person id) of the owner and every co-owner."""
    if model.owner is not None:
        yield ("owner",), model.owner
    for i, pid in enumerate(getattr(model, "co_owners", ())):
        yield ("co_owners", i), pid


INACTIVE_OWNER = Rule(
    "TPM011",
    "inactive-owner",
    Severity.ERROR,
    "an owner or co-owner of a journey or touchpoint has active: false",
    what="No journey or touchpoint is owned or co-owned by a person marked active: false "
    "(someone who left, or a vacant role). Each such owner or co-owner is reported at the "
    "value that names them.",
    why="Ownership ends silently when people leave: the map still shows a name, but "
    "nobody improves the touchpoint or answers for the journey, and nobody notices "
    "until the experience has broken.",
    fix="Hand the journey or touchpoint to an active person (owner:), or remove the "
    "inactive co-owner.",
    example="people:\n  - id: thomas\n    name: Thomas Becker\n    unit: it\n"
    "    active: false\n# touchpoints/service-standards.yaml\ntouchpoints:\n"
    "  - id: it-service-sla\n    name: IT service standard\n    from: it\n"
    "    to: service\n    owner: thomas\n",
    family="ownership",
)


@INACTIVE_OWNER.checks
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
                    continue  # unknown people are unknown-reference findings
                role = "owner" if path == ("owner",) else "co-owner"
                yield ctx.finding(
                    INACTIVE_OWNER,
                    f"{role} {pid!r} ({person.name}) of {kind} {ident!r} is inactive "
                    f"(active: false): hand the {kind} to an active person",
                    ident,
                    *path,
                )


SILO_OWNED_JOURNEY = Rule(
    "TPM012",
    "silo-owned-journey",
    Severity.WARNING,
    "a journey crosses two or more silos and its active owner and co-owners cover only "
    "some of them",
    what="A journey that crosses two or more silos is owned across all of them. A person "
    "covers the silo of their unit; a person whose unit is at level 0 covers every silo; "
    "inactive people cover nothing. Only journeys with an active owner are judged "
    "(TPM010 and TPM011 cover the rest). The finding is at the journey's owner key and "
    "names the uncovered silos and the steps that reach them.",
    why="An owner from one department sees the journey through that department's goals. "
    "The handoff into a silo nobody covers is exactly where the experience breaks and "
    "where nobody has the standing to fix it.",
    fix="Add a co-owner from each uncovered silo (co_owners:), or give the journey an "
    "owner at level 0, such as the CX manager.",
    example="journeys:\n  - id: it-incident\n    name: A front-line tool is fixed\n"
    "    owner: head-of-service      # covers the service silo only\n    steps:\n"
    "      - touchpoint: hotline-huddle   # service\n"
    "      - touchpoint: it-service-sla   # it -> service\n",
    family="ownership",
)


@SILO_OWNED_JOURNEY.checks
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
            SILO_OWNED_JOURNEY,
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


UNOWNED_TOUCHPOINT = Rule(
    "TPM013",
    "unowned-touchpoint",
    Severity.WARNING,
    "a touchpoint has no owner",
    what="Every touchpoint names an owner (a person id).",
    why="A touchpoint without an owner is nobody's job: it drifts, its quality is never "
    "measured or improved, and it quietly stops happening.",
    fix="Name the person who keeps the touchpoint running and improves it (owner:).",
    example="touchpoints:\n  - id: peer-kudos\n    name: Peer kudos\n"
    "    from: service-hotline\n    to: claims-field\n",
    family="ownership",
)


@UNOWNED_TOUCHPOINT.checks
def unowned_touchpoint(ctx: Context) -> Iterator[Finding]:
    """TPM013: a touchpoint has no owner."""
    for tid, tp in ctx.project.touchpoints.items():
        if tp.owner is None:
            yield ctx.finding(
                UNOWNED_TOUCHPOINT,
                f"touchpoint {tid!r} has no owner: name the person who keeps it running and "
                "improves it (owner: PERSON-ID)",
                tid,
            )
