"""Interaction quality (docs/scoring.md): touchpoints, journeys, units, eNPS and the TPM index.

`compute(project, graph, as_of, extra_responses)` returns plain results; the command, the audit
rules (TPM030 to TPM033), the diagrams and the report only read them.

Privacy: a value computed from fewer than `min_responses` respondents is never stored in these
results (it is None, with n kept), so no output can show it by mistake.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from tpm.model import cadence_days

Band = Literal["good", "fair", "poor"]
SourceKind = Literal["responses", "ratings", "none"]


@dataclass
class DimensionDetail:
    """What `--explain` shows for one dimension of one touchpoint."""

    dimension: str
    label: str
    weight: float
    n: int  # respondents of this dimension (distinct ids when every row has one, else answers)
    mean: float | None  # None when n < min_responses
    score: float | None  # the mean rescaled to 0-100; None when hidden or unanswered


@dataclass
class TouchpointScore:
    id: str
    name: str
    score: float | None  # 0-100; None: unrated or hidden by the anonymity threshold
    band: Band | None
    n: int  # respondents of the chosen source (0 without a source)
    dimensions: dict[str, float | None]  # every configured dimension -> 0-100 or None
    newest: dt.date | None  # date of the chosen source (the rating's date / newest response)
    source: SourceKind
    fresh: bool | None  # newest within the freshness limit; None without a source
    freshness_days: int  # the freshness limit: max(max_age_days, cadence in days)
    window: tuple[dt.date, dt.date] | None = None  # responses: [newest - max_age_days, newest]
    files: list[str] = field(default_factory=list)  # responses: display paths of the files used
    details: list[DimensionDetail] = field(default_factory=list)


@dataclass
class JourneyScore:
    id: str
    name: str
    score: float | None
    band: Band | None
    coverage: float  # scored steps / steps, 0-1
    weakest: str | None  # touchpoint id of the lowest-scored step


@dataclass
class UnitScore:
    id: str
    name: str
    score: float | None  # n-weighted mean of the scores of touchpoints the unit receives
    band: Band | None
    n: int
    own_score: float | None  # from responses whose `unit` is this unit
    own_n: int


@dataclass
class Enps:
    value: float | None  # -100..100; None when n < min_responses
    n: int
    promoters: float | None  # percentages
    detractors: float | None


@dataclass
class Index:
    value: float | None
    components: dict[str, float | None]  # quality, ownership, dialogue, freshness, connectedness


@dataclass
class Scores:
    as_of: dt.date
    min_responses: int
    touchpoints: dict[str, TouchpointScore]
    journeys: dict[str, JourneyScore]
    units: dict[str, UnitScore]
    enps: Enps
    enps_units: dict[str, Enps]
    index: Index
    findings: list  # type: ignore[type-arg]  # bad response rows (TPM001/TPM002/TPM005)
    response_files: list[Path] = field(default_factory=list)


# -- computation -----------------------------------------------------------------------------


def band_of(score: float | None, good: float, poor: float) -> Band | None:
    if score is None:
        return None
    # Float noise must not move a band: answers that average exactly 3.8 can sum to
    # 69.99999999999997, which is 70 (good), not fair. Real differences are far larger.
    score = round(score, 9)
    if score >= good:
        return "good"
    if score < poor:
        return "poor"
    return "fair"


# -- the anonymity threshold (docs/scoring.md): decided here, for every output --------------


def enough(n: int, m: int) -> bool:
    """Whether n respondents are enough to show a value computed from them (m: the project's
    scoring.min_responses)."""
    return n >= m


def shown(value: float | None, n: int, m: int) -> float | None:
    """A value computed from n respondents as an output may hold it: None below m."""
    return value if enough(n, m) else None


def hidden(n: int, m: int) -> bool:
    """Whether a value is missing for anonymity alone: some answered, fewer than m (with no
    answers at all there is nothing to hide: no data)."""
    return n > 0 and not enough(n, m)


def hidden_label(m: int) -> str:
    """What every table, badge and line shows in place of a hidden value."""
    return f"n < {m}"


class _Tally:
    """Answers in one window: per-dimension sums and counts, and who answered."""

    __slots__ = ("anonymous", "by_dimension", "counts", "means", "respondents", "sums")

    def __init__(self) -> None:
        self.sums: dict[str, float] = {}
        self.counts: dict[str, int] = {}
        self.respondents: set[str] = set()
        self.by_dimension: dict[str, set[str]] = {}  # who answered each dimension
        self.anonymous = False  # a row without a respondent id was seen
        self.means: dict[str, float] = {}  # an inline rating's means, taken as written

    def add(self, dimension: str, score: float, respondent: str | None) -> None:
        self.sums[dimension] = self.sums.get(dimension, 0.0) + score
        self.counts[dimension] = self.counts.get(dimension, 0) + 1
        if respondent is None:
            self.anonymous = True
        else:
            self.respondents.add(respondent)
            who = self.by_dimension.get(dimension)
            if who is None:
                who = self.by_dimension[dimension] = set()
            who.add(respondent)

    @property
    def identified(self) -> bool:
        return not self.anonymous and bool(self.respondents)

    @property
    def n(self) -> int:
        """Distinct respondents when every row names one, else the most answers to a dimension."""
        if not self.identified:
            return max(self.counts.values(), default=0)
        return len(self.respondents)

    def answered(self, dimension: str) -> int:
        """Respondents of one dimension, counted like n: distinct ids when every row names
        one, else answers. Privacy counts people: three respondents answering in two waves
        are three, not six."""
        if not self.identified:
            return self.counts.get(dimension, 0)
        return len(self.by_dimension.get(dimension, ()))

    def mean(self, dimension: str) -> float:
        if dimension in self.means:
            return self.means[dimension]
        return self.sums[dimension] / self.counts[dimension]


def days_before(day: dt.date, days: int) -> dt.date:
    """`day` minus `days` days, or the first day there is when that lies before year 1."""
    try:
        return day - dt.timedelta(days=days)
    except OverflowError:  # before year 1, or more days than a timedelta holds
        return dt.date.min


def _weighted(values: dict[str, float], weights: dict[str, float]) -> float | None:
    total = sum(weights[d] for d in values)
    if total <= 0:
        return None
    return sum(values[d] * weights[d] for d in values) / total


class _Computer:
    def __init__(self, project: Any, graph: Any, as_of: dt.date) -> None:
        self.project = project
        self.graph = graph
        self.as_of = as_of
        sc = project.scoring
        self.low, self.high = sc.scale
        self.m = sc.min_responses
        self.max_age_days = sc.max_age_days
        self.weights = {d: dim.weight for d, dim in sc.dimensions.items()}
        self.labels = {d: dim.label or d for d, dim in sc.dimensions.items()}
        self.good = sc.thresholds.good
        self.poor = sc.thresholds.poor

    def rescale(self, mean: float) -> float:
        return (mean - self.low) / (self.high - self.low) * 100.0

    def score_tally(
        self, tally: _Tally
    ) -> tuple[float | None, dict[str, float | None], list[DimensionDetail]]:
        """Touchpoint-style score of a tally, with the anonymity threshold applied."""
        whole = enough(tally.n, self.m)
        dims: dict[str, float | None] = {}
        details = []
        scored: dict[str, float] = {}
        for d in self.weights:
            count = tally.answered(d)
            mean = score = None
            if whole and enough(count, self.m):
                mean = tally.mean(d)
                score = self.rescale(mean)
                scored[d] = score
            dims[d] = score
            details.append(DimensionDetail(d, self.labels[d], self.weights[d], count, mean, score))
        return shown(_weighted(scored, self.weights), tally.n, self.m), dims, details


class Progress(Protocol):
    """Told how many bytes the response files hold, then how many were read (two passes)."""

    def start(self, total: int) -> None: ...

    def advance(self, amount: int) -> None: ...


def compute(
    project: Any,
    graph: Any,
    as_of: dt.date,
    extra_responses: Sequence[Path] = (),
    progress: Progress | None = None,
) -> Scores:
    """All scores of docs/scoring.md, from inline ratings and the response files, as of `as_of`.

    Responses are streamed twice: the first pass finds the newest date of each touchpoint and
    of the eNPS answers, the second keeps only the rows inside each window, so memory is
    bounded by what lies in the windows, never by the rows.
    """
    from tpm.responses import ResponseReader, response_files

    c = _Computer(project, graph, as_of)
    files = response_files(project, extra_responses)
    reader = ResponseReader(project, files, on_bytes=progress.advance if progress else None)
    if progress is not None:
        progress.start(reader.total_bytes())

    # pass 1: newest dates (answers dated after as_of are ignored everywhere)
    newest: dict[str, dt.date] = {}
    newest_enps: dt.date | None = None
    newest_enps_unit: dict[str, dt.date] = {}
    for row in reader.rows():
        day = row.date
        if day > as_of:
            continue
        if row.touchpoint is None:
            if newest_enps is None or day > newest_enps:
                newest_enps = day
            if row.unit is not None and day > newest_enps_unit.get(row.unit, dt.date.min):
                newest_enps_unit[row.unit] = day
        elif day > newest.get(row.touchpoint, dt.date.min):
            newest[row.touchpoint] = day

    # the source of each touchpoint: its newest inline rating, or its responses if as new
    ratings: dict[str, Any] = {}
    use_responses: dict[str, dt.date] = {}
    for tid, tp in project.touchpoints.items():
        rating = None
        for r in tp.ratings:  # the newest wins; on the same day, the later entry
            if r.date <= as_of and (rating is None or r.date >= rating.date):
                rating = r
        resp = newest.get(tid)
        if resp is not None and (rating is None or resp >= rating.date):
            use_responses[tid] = resp
        elif rating is not None:
            ratings[tid] = rating

    # pass 2: only rows inside the windows
    tallies: dict[str, _Tally] = {t: _Tally() for t in use_responses}
    own: dict[str, _Tally] = {}
    enps_org: dict[object, tuple[dt.date, float]] = {}
    enps_unit: dict[str, dict[object, tuple[dt.date, float]]] = {}
    if use_responses or newest_enps is not None:
        max_age = c.max_age_days
        starts = {tid: days_before(top, max_age) for tid, top in use_responses.items()}
        enps_start = days_before(newest_enps, max_age) if newest_enps is not None else as_of
        unit_windows = {u: (days_before(t, max_age), t) for u, t in newest_enps_unit.items()}
        for number, row in enumerate(reader.rows()):
            day = row.date
            tid = row.touchpoint
            if tid is None:  # an eNPS answer; without a respondent id each row is its own
                who: object = row.respondent if row.respondent is not None else number
                if newest_enps is not None and enps_start <= day <= newest_enps:
                    _keep_newest(enps_org, who, day, row.score)
                window = unit_windows.get(row.unit) if row.unit is not None else None
                if window is not None and window[0] <= day <= window[1]:
                    _keep_newest(enps_unit.setdefault(row.unit, {}), who, day, row.score)  # type: ignore[arg-type]
                continue
            top = use_responses.get(tid)
            if top is None or not (starts[tid] <= day <= top):
                continue
            tallies[tid].add(row.dimension, row.score, row.respondent)
            if row.unit is not None:
                tally = own.get(row.unit)
                if tally is None:
                    tally = own[row.unit] = _Tally()
                tally.add(row.dimension, row.score, row.respondent)

    # touchpoints
    touchpoints: dict[str, TouchpointScore] = {}
    for tid, tp in project.touchpoints.items():
        limit = max(project.scoring.max_age_days, cadence_days(tp.cadence) or 0)
        if tid in use_responses:
            top = use_responses[tid]
            tally = tallies[tid]
            score, dims, details = c.score_tally(tally)
            result = TouchpointScore(
                tid,
                tp.name,
                score,
                band_of(score, c.good, c.poor),
                tally.n,
                dims,
                top,
                "responses",
                top >= days_before(as_of, limit),
                limit,
                window=(days_before(top, c.max_age_days), top),
                files=[project.display(f) for f in files],
                details=details,
            )
        elif tid in ratings:
            rating = ratings[tid]
            tally = _Tally()
            for d, value in rating.scores.items():
                # a value off the scale is a TPM002 finding and, like a bad row, does not count
                if d in c.weights and c.low <= value <= c.high:
                    tally.means[d] = value  # as written: value * n / n can drift from it
                    tally.counts[d] = rating.n
            # every dimension of the rating counts as answered by its n
            score, dims, details = c.score_tally(tally)
            n = rating.n
            if not enough(n, c.m):
                score, dims = None, dict.fromkeys(c.weights)
            result = TouchpointScore(
                tid,
                tp.name,
                score,
                band_of(score, c.good, c.poor),
                n,
                dims,
                rating.date,
                "ratings",
                rating.date >= days_before(as_of, limit),
                limit,
                details=details,
            )
        else:
            result = TouchpointScore(
                tid,
                tp.name,
                None,
                None,
                0,
                dict.fromkeys(c.weights),
                None,
                "none",
                None,
                limit,
            )
        touchpoints[tid] = result

    journeys = {jid: _journey_score(jid, j, touchpoints, c) for jid, j in project.journeys.items()}
    units = _unit_scores(project, touchpoints, own, c)
    enps = _enps(enps_org, c.m)
    enps_units = {u: _enps(enps_unit[u], c.m) for u in project.units if u in enps_unit}
    index = _index(project, graph, touchpoints)
    return Scores(
        as_of=as_of,
        min_responses=c.m,
        touchpoints=touchpoints,
        journeys=journeys,
        units=units,
        enps=enps,
        enps_units=enps_units,
        index=index,
        findings=reader.findings,
        response_files=files,
    )


def _keep_newest(
    table: dict[object, tuple[dt.date, float]], who: object, day: dt.date, score: float
) -> None:
    """Each respondent's newest answer counts once (a later row of the same day wins)."""
    seen = table.get(who)
    if seen is None or day >= seen[0]:
        table[who] = (day, score)


def _enps(answers: dict[object, tuple[dt.date, float]], m: int) -> Enps:
    n = len(answers)
    if not enough(n, m):
        return Enps(None, n, None, None)
    promoters = sum(1 for _, s in answers.values() if s >= 9) / n * 100.0
    detractors = sum(1 for _, s in answers.values() if s <= 6) / n * 100.0
    return Enps(promoters - detractors, n, promoters, detractors)


def _journey_score(
    jid: str, journey: Any, tps: dict[str, TouchpointScore], c: _Computer
) -> JourneyScore:
    total = weight = 0.0
    scored = 0
    weakest: tuple[float, str] | None = None
    for step in journey.steps:
        ts = tps.get(step.touchpoint)
        if ts is None or ts.score is None:
            continue
        w = 2.0 if step.critical else 1.0
        total += ts.score * w
        weight += w
        scored += 1
        if weakest is None or ts.score < weakest[0]:
            weakest = (ts.score, step.touchpoint)
    score = total / weight if weight else None
    return JourneyScore(
        jid,
        journey.name,
        score,
        band_of(score, c.good, c.poor),
        scored / len(journey.steps) if journey.steps else 0.0,
        weakest[1] if weakest else None,
    )


def _unit_scores(
    project: Any, tps: dict[str, TouchpointScore], own: dict[str, _Tally], c: _Computer
) -> dict[str, UnitScore]:
    # (sum of score × n, sum of n) of the scored touchpoints each unit receives. Broadcasts
    # reach every unit but their own `from` units: summed once for all, then taken back from
    # their senders, so the work grows with units + touchpoints, not their product.
    direct: dict[str, list[float]] = {u: [0.0, 0.0] for u in project.units}
    everyone = [0.0, 0.0]
    for tid, tp in project.touchpoints.items():
        ts = tps[tid]
        if ts.score is None or ts.n <= 0:
            continue
        part = ts.score * ts.n
        if tp.broadcast:
            everyone[0] += part
            everyone[1] += ts.n
            targets = [u for u in dict.fromkeys(tp.from_) if u in direct]
            sign = -1.0
        else:
            targets = [u for u in dict.fromkeys(tp.to) if u in direct]
            sign = 1.0
        for u in targets:
            direct[u][0] += sign * part
            direct[u][1] += sign * ts.n
    result = {}
    for uid, unit in project.units.items():
        total = everyone[0] + direct[uid][0]
        weight = everyone[1] + direct[uid][1]
        score = total / weight if weight > 0 else None
        tally = own.get(uid)
        own_score, own_n = (c.score_tally(tally)[0], tally.n) if tally else (None, 0)
        result[uid] = UnitScore(
            uid, unit.name, score, band_of(score, c.good, c.poor), int(weight), own_score, own_n
        )
    return result


def _percent(part: int, whole: int) -> float | None:
    return part / whole * 100.0 if whole else None


def _index(project: Any, graph: Any, tps: dict[str, TouchpointScore]) -> Index:
    scored = [(t, t.score) for t in tps.values() if t.score is not None]
    weight = sum(t.n for t, _ in scored)
    quality = sum(s * t.n for t, s in scored) / weight if weight else None
    journeys = list(project.journeys.values())
    owned = sum(
        1
        for j in journeys
        if graph.has_active_owner(j)
        and (len(graph.journey_silos(j)) < 2 or not graph.uncovered_silos(j))
    )
    # Without top management, feedback paths and islands cannot be judged (the audit says
    # so once, as TPM021): those components have no data rather than 0.
    below = graph.below_top if graph.top else []
    hops = project.audit.max_feedback_hops
    dist = graph.distance_to_top
    components = {
        "quality": quality,
        "ownership": _percent(owned, len(journeys)),
        "dialogue": _percent(sum(1 for u in below if dist.get(u, hops + 1) <= hops), len(below)),
        # of all touchpoints; without any score there is nothing to be fresh: no data
        "freshness": _percent(sum(1 for t, _ in scored if t.fresh), len(tps)) if scored else None,
        "connectedness": _percent(len(below) - len(graph.islands), len(below)),
    }
    weights = project.scoring.index_weights.model_dump()
    present = {k: v for k, v in components.items() if v is not None and weights[k] > 0}
    total = sum(weights[k] for k in present)
    value = sum(v * weights[k] for k, v in present.items()) / total if total else None
    return Index(value, components)
