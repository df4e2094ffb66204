"""Quality rules (TPM030 to TPM034): touchpoints score well, their measurement is fresh, and
journeys and touchpoints are reviewed before their map goes stale.

TPM030 to TPM033 read the scores of docs/scoring.md (`tpm.scoring`): a touchpoint without a score is
unrated, never poor, and no score computed from fewer than `min_responses` respondents exists
there, so these messages can never reveal one.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from pydantic import Field

from tpm.catalogue import Rule, Severity
from tpm.findings import Finding
from tpm.model import Journey, RuleOptions, Touchpoint
from tpm.rules.context import Context, days_ago
from tpm.scoring import Scores, TouchpointScore
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
    n = f", n={ts.n}" if ts.n is not None else ""  # a hidden group's n is never shown
    if ts.source == "ratings":
        return f"the rating of {ts.newest.isoformat()}{n}"
    return f"responses up to {ts.newest.isoformat()}{n}"


def _below_poor(ctx: Context, ts: TouchpointScore | None) -> float | None:
    """The touchpoint's score when it is below thresholds.poor, else None (unrated or not
    poor): the one definition of "poor" that TPM030 and TPM033 share."""
    if ts is None or ts.score is None:
        return None
    return ts.score if ts.score < ctx.project.scoring.thresholds.poor else None


POOR_QUALITY = Rule(
    "TPM030",
    "poor-quality",
    Severity.WARNING,
    "a touchpoint's score is below thresholds.poor",
    what="Every scored touchpoint scores at least scoring.thresholds.poor (default 50 on "
    "the 0-100 score of tpm score). A touchpoint without a score is unrated (TPM032), "
    "never poor. The message names the source and the weakest dimensions.",
    why="What gets measured gets managed: a poor score is the employees' verdict on an "
    "interaction, and each poor internal touchpoint sooner or later reaches the customer.",
    fix="Look at the weakest dimensions with tpm score --explain ID, agree an improvement "
    "with the owner and the units it serves, and measure again.",
    example="touchpoints:\n  - id: claims-handover\n    name: Claims handover\n"
    "    from: service-hotline\n    to: claims\n    ratings:\n      - date: 2026-10-28\n"
    "        n: 14\n        scores: {clarity: 2.1, appreciation: 1.8, dialogue: 1.9}\n",
    family="quality",
    needs_scores=True,
)


@POOR_QUALITY.checks
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
            POOR_QUALITY,
            f"touchpoint {tid!r} scores {_number(value, poor)} ({_source(ts)}), below "
            f"scoring.thresholds.poor ({poor:g})"
            + (f"; weakest: {weakest}" if weakest else "")
            + ": agree an improvement with its owner and the units it serves",
            tid,
        )


STALE_RATING = Rule(
    "TPM031",
    "stale-rating",
    Severity.WARNING,
    "a touchpoint's newest rating or response is older than its freshness limit",
    what="Every touchpoint with a rating or survey response was measured recently: its "
    "newest one is at most its freshness limit old, the longer of scoring.max_age_days "
    "(default 56) and its cadence (a yearly kick-off rated ten months ago is fresh).",
    why="A pulse survey every eight weeks keeps the measurement alive; a score from half "
    "a year ago describes an organisation that no longer exists, and decisions made on "
    "it miss what has changed since.",
    fix="Ask the people the touchpoint serves again: add it to the next pulse survey, or "
    "add a new rating.",
    example="touchpoints:\n  - id: customer-hero\n    name: Customer hero of the month\n"
    "    from: board\n    to: service-hotline\n    cadence: monthly\n    ratings:\n"
    "      - date: 2026-04-28     # audited in November\n        n: 38\n"
    "        scores: {clarity: 4.0, appreciation: 4.4}\n",
    family="quality",
    needs_scores=True,
)


@STALE_RATING.checks
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
            STALE_RATING,
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


UNRATED = Rule(
    "TPM032",
    "unrated",
    Severity.INFO,
    "a touchpoint has no score",
    what="Every touchpoint has a score (docs/scoring.md): from an inline rating or survey "
    "responses with at least scoring.min_responses respondents. The message says why "
    "there is none: no data yet, or too few respondents to show one.",
    why="What gets measured gets managed. A touchpoint that nobody rates cannot be "
    "improved on purpose, and its problems show up only when customers feel them.",
    fix="Add the touchpoint to the next pulse survey (responses/*.csv) or record a "
    "rating; when it has too few respondents, pool several waves or a larger audience.",
    example="touchpoints:\n  - id: preboarding\n    name: Pre-boarding pack\n"
    "    from: people\n    to: service-hotline\n    # no ratings, and no responses "
    "name it\n",
    family="quality",
    needs_scores=True,
)


@UNRATED.checks
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
        elif ts.hidden is not None:
            why = (  # the privacy engine's reason: too few people, or a smaller group shielded
                f"its newest source ({_source(ts)}) is {ts.hidden} "
                f"(scoring.min_responses: {minimum}), and anonymity comes first"
            )
        else:
            why = (
                f"no dimension in its newest source ({_source(ts)}) has "
                f"scoring.min_responses ({minimum}) answers"
            )
        yield ctx.finding(
            UNRATED,
            f"touchpoint {tid!r} has no score: {why}",
            tid,
        )


WEAK_CRITICAL_STEP = Rule(
    "TPM033",
    "weak-critical-step",
    Severity.WARNING,
    "a critical journey step's touchpoint scores below thresholds.poor (reported on the journey)",
    what="The touchpoint of every critical step (critical: true, a moment of truth) "
    "scores at least scoring.thresholds.poor. The finding is about the journey, at the "
    "step.",
    why="A moment of truth decides how the whole journey is remembered; a poor one breaks "
    "the experience however good the other steps are, which is why critical steps weigh "
    "double in the journey's score.",
    fix="Improve the touchpoint (see TPM030 on it), or redesign the step, for example "
    "with a different touchpoint or an extra handoff check.",
    example="journeys:\n  - id: complaint-escalation\n    name: A complaint across "
    "departments\n    owner: anna\n    steps:\n      - touchpoint: claims-handover   "
    "# scores 23\n        critical: true\n",
    family="quality",
    needs_scores=True,
)


@WEAK_CRITICAL_STEP.checks
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
                WEAK_CRITICAL_STEP,
                f"critical step {index + 1} of journey {jid!r}, touchpoint "
                f"{step.touchpoint!r}, scores {_number(value, poor)}, below "
                f"scoring.thresholds.poor ({poor:g}): a moment of truth of this journey "
                "fails; improve the touchpoint or redesign the step",
                jid,
                "steps",
                index,
                "touchpoint",
            )


class StaleReviewOptions(RuleOptions):
    position = 2  # as tpm.yaml has always listed the settings
    max_review_age_days: Annotated[
        int,
        Field(ge=1, description="Reviews older than this are stale (TPM034, default 365)."),
    ] = 365


STALE_REVIEW = Rule(
    "TPM034",
    "stale-review",
    Severity.INFO,
    "a journey or touchpoint has no last_reviewed, or it is older than "
    "max_review_age_days (default 365)",
    what="Every journey and touchpoint records when it was last reviewed "
    "(last_reviewed:), and that day is at most audit.max_review_age_days ago (default "
    "365), judged against --as-of.",
    why="Maps go stale because nobody keeps them: teams are reorganised, people leave, "
    "meetings stop, and a map that no longer matches the organisation leads every "
    "decision made with it astray.",
    fix="Walk through the item with its owner, correct what has changed, and set "
    "last_reviewed to the day of the review.",
    example="touchpoints:\n  - id: strategy-offsite\n    name: Yearly strategy off-site\n"
    "    from: board\n    to: service\n    last_reviewed: 2025-03-10   # audited in "
    "November 2026\n",
    family="quality",
    options=StaleReviewOptions,
)


@STALE_REVIEW.checks
def stale_review(ctx: Context) -> Iterator[Finding]:
    """TPM034: a journey or touchpoint has no last_reviewed, or it is older than
    audit.max_review_age_days."""
    limit = StaleReviewOptions.of(ctx.settings).max_review_age_days
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
                    continue  # written but not a date: a schema finding says so already
                yield ctx.finding(
                    STALE_REVIEW,
                    f"{kind} {ident!r} has no last_reviewed date: review it with its owner "
                    f"and record the day (last_reviewed: {today})",
                    ident,
                )
                continue
            age = days_ago(reviewed, ctx.as_of)
            if age > limit:
                yield ctx.finding(
                    STALE_REVIEW,
                    f"{kind} {ident!r} was last reviewed on {reviewed.isoformat()}, "
                    f"{plural(age, 'day')} ago, more than audit.max_review_age_days "
                    f"({limit}): review it with its owner and update last_reviewed",
                    ident,
                    "last_reviewed",
                )
