"""Quality rules (TPM030 to TPM034): touchpoints score well, their measurement is fresh, and
journeys and touchpoints are reviewed before their map goes stale.

TPM030 to TPM033 read the scores of docs/scoring.md (`tpm.scoring`): a touchpoint without a score is
unrated, never poor, and no score computed from fewer than `min_responses` respondents exists
there, so these messages can never reveal one.
"""

from __future__ import annotations

from collections.abc import Iterator

from tpm.findings import Finding
from tpm.model import Journey, Touchpoint
from tpm.rules.context import Context, days_ago
from tpm.scoring import Scores, TouchpointScore, enough
from tpm.words import plural


def _scores(ctx: Context) -> Scores:
    # the engine runs TPM030 to TPM033 only with scores
    assert ctx.scores is not None
    return ctx.scores


def _number(value: float, threshold: float) -> str:
    """A score with one decimal, or more when one would round it onto the threshold it is
    compared with (49.96 is shown as 49.96, not as 50.0, beside 'below 50')."""
    for digits in (1, 2, 3, 4):
        text = f"{value:.{digits}f}"
        if float(text) != threshold:
            return text
    return f"{value!r}"


def _source(ts: TouchpointScore) -> str:
    """Where a touchpoint's score comes from: `the rating of 2026-10-28, n=14`."""
    if ts.newest is None:
        return "no source"
    if ts.source == "ratings":
        return f"the rating of {ts.newest.isoformat()}, n={ts.n}"
    return f"responses up to {ts.newest.isoformat()}, n={ts.n}"


def _below_poor(ctx: Context, ts: TouchpointScore | None) -> float | None:
    """The touchpoint's score when it is below thresholds.poor, else None (unrated or not
    poor): the one definition of "poor" that TPM030 and TPM033 share."""
    if ts is None or ts.score is None:
        return None
    return ts.score if ts.score < ctx.project.scoring.thresholds.poor else None


def poor_quality(ctx: Context) -> Iterator[Finding]:
    """TPM030: a touchpoint's score is below thresholds.poor."""
    scores = _scores(ctx)
    poor = ctx.project.scoring.thresholds.poor
    for tid in ctx.project.touchpoints:
        ts = scores.touchpoints.get(tid)
        value = _below_poor(ctx, ts)
        if ts is None or value is None:
            continue
        dims = sorted(
            ((d, s) for d, s in ts.dimensions.items() if s is not None), key=lambda x: x[1]
        )
        weakest = ", ".join(f"{d} {s:.1f}" for d, s in dims[:2])
        yield ctx.finding(
            "TPM030",
            f"touchpoint {tid!r} scores {_number(value, poor)} ({_source(ts)}), below "
            f"scoring.thresholds.poor ({poor:g})"
            + (f"; weakest: {weakest}" if weakest else "")
            + ": agree an improvement with its owner and the units it serves",
            tid,
        )


def stale_rating(ctx: Context) -> Iterator[Finding]:
    """TPM031: the newest rating or response is older than the freshness limit, the longer of
    scoring.max_age_days and the touchpoint's cadence (computed once, in `tpm.scoring`)."""
    scores = _scores(ctx)
    for tid, tp in ctx.project.touchpoints.items():
        ts = scores.touchpoints.get(tid)
        if ts is None or ts.newest is None or ts.fresh is not False:
            continue
        kind = "rating" if ts.source == "ratings" else "survey response"
        yield ctx.finding(
            "TPM031",
            f"touchpoint {tid!r} was last measured on {ts.newest.isoformat()} (its newest "
            f"{kind}), {days_ago(ts.newest, ctx.as_of)} days ago, more than its freshness "
            f"limit of {ts.freshness_days} days ({_limit_reason(ctx, tp, ts)}): ask the people "
            "it serves again, for example in the next pulse survey",
            tid,
        )


def _limit_reason(ctx: Context, tp: Touchpoint, ts: TouchpointScore) -> str:
    if ts.freshness_days > ctx.project.scoring.max_age_days:
        return f"its cadence, {tp.cadence}"
    return "scoring.max_age_days"


def unrated(ctx: Context) -> Iterator[Finding]:
    """TPM032: a touchpoint has no score."""
    scores = _scores(ctx)
    minimum = scores.min_responses
    for tid in ctx.project.touchpoints:
        ts = scores.touchpoints.get(tid)
        if ts is not None and ts.score is not None:
            continue
        if ts is None or ts.newest is None:
            why = "no ratings and no survey responses yet"
        elif not enough(ts.n, minimum):
            why = (
                f"its newest source ({_source(ts)}) has fewer respondents than "
                f"scoring.min_responses ({minimum}), and anonymity comes first"
            )
        else:
            why = (
                f"no dimension in its newest source ({_source(ts)}) has "
                f"scoring.min_responses ({minimum}) answers"
            )
        yield ctx.finding(
            "TPM032",
            f"touchpoint {tid!r} has no score: {why}",
            tid,
        )


def weak_critical_step(ctx: Context) -> Iterator[Finding]:
    """TPM033: a critical step's touchpoint scores below thresholds.poor; reported on the
    journey, at the step."""
    scores = _scores(ctx)
    poor = ctx.project.scoring.thresholds.poor
    for jid, journey in ctx.project.journeys.items():
        for index, step in enumerate(journey.steps):
            if not step.critical:
                continue
            value = _below_poor(ctx, scores.touchpoints.get(step.touchpoint))
            if value is None:
                continue
            yield ctx.finding(
                "TPM033",
                f"critical step {index + 1} of journey {jid!r}, touchpoint "
                f"{step.touchpoint!r}, scores {_number(value, poor)}, below "
                f"scoring.thresholds.poor ({poor:g}): a moment of truth of this journey "
                "fails; improve the touchpoint or redesign the step",
                jid,
                "steps",
                index,
                "touchpoint",
            )


def stale_review(ctx: Context) -> Iterator[Finding]:
    """TPM034: a journey or touchpoint has no last_reviewed, or it is older than
    audit.max_review_age_days."""
    limit = ctx.settings.max_review_age_days
    kinds: tuple[tuple[str, dict[str, Journey] | dict[str, Touchpoint]], ...] = (
        ("touchpoint", ctx.project.touchpoints),
        ("journey", ctx.project.journeys),
    )
    today = ctx.as_of.isoformat()
    for kind, items in kinds:
        for ident, model in items.items():
            reviewed = model.last_reviewed
            if reviewed is None:
                if "last_reviewed" in ctx.project.items[ident].raw:
                    continue  # written but not a date: TPM002 says so already
                yield ctx.finding(
                    "TPM034",
                    f"{kind} {ident!r} has no last_reviewed date: review it with its owner "
                    f"and record the day (last_reviewed: {today})",
                    ident,
                )
                continue
            age = days_ago(reviewed, ctx.as_of)
            if age > limit:
                yield ctx.finding(
                    "TPM034",
                    f"{kind} {ident!r} was last reviewed on {reviewed.isoformat()}, "
                    f"{plural(age, 'day')} ago, more than audit.max_review_age_days "
                    f"({limit}): review it with its owner and update last_reviewed",
                    ident,
                    "last_reviewed",
                )
