"""Usage rules (TPM020): every touchpoint serves a journey somebody lives through."""

from __future__ import annotations

from collections.abc import Iterator

from tpm.catalogue import Rule, Severity
from tpm.findings import Finding
from tpm.rules.context import Context

UNUSED_TOUCHPOINT = Rule(
    "TPM020",
    "unused-touchpoint",
    Severity.INFO,
    "a touchpoint is in no journey",
    what="Every touchpoint is a step of at least one journey (of any journey file, even "
    "one with schema errors).",
    why="Journeys are how people live through the organisation. A touchpoint outside "
    "every journey is either missing from a journey map, so its handoffs are never "
    "judged, or it serves nobody any more and costs time for nothing.",
    fix="Add it as a step of the journey it serves, retire it, or suppress the rule on "
    "it with a reason when it is deliberately outside every journey.",
    example="touchpoints:\n  - id: budget-letter\n    name: Quarterly budget guidelines\n"
    "    from: board\n    to: finance\n# ...and no journey has a step 'budget-letter'\n",
    family="structure",
)


@UNUSED_TOUCHPOINT.checks
def unused_touchpoint(ctx: Context) -> Iterator[Finding]:
    """TPM020: a touchpoint is in no journey."""
    used = ctx.used_touchpoints
    for tid in ctx.project.touchpoints:
        if tid not in used:
            yield ctx.finding(
                UNUSED_TOUCHPOINT,
                f"touchpoint {tid!r} is in no journey: add it as a step of the journey it "
                "serves, or retire it if nobody needs it any more",
                tid,
            )
