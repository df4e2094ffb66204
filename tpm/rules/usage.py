"""Usage rules (TPM020): every touchpoint serves a journey somebody lives through."""

from __future__ import annotations

from collections.abc import Iterator

from tpm.findings import Finding
from tpm.rules.context import Context


def unused_touchpoint(ctx: Context) -> Iterator[Finding]:
    """TPM020: a touchpoint is in no journey."""
    used = ctx.used_touchpoints
    for tid in ctx.project.touchpoints:
        if tid not in used:
            yield ctx.finding(
                "TPM020",
                f"touchpoint {tid!r} is in no journey: add it as a step of the journey it "
                "serves, or retire it if nobody needs it any more",
                tid,
            )
