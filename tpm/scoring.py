"""Interaction quality scores (docs/scoring.md): touchpoints, journeys, units, silos, eNPS and
the TPM index.

`compute(project, graph, as_of, extra_responses)` returns the **published** result: every
number in it has passed the privacy engine (docs/privacy.md), so the command, the audit rules
(the quality family), `tpm show`, the diagrams and the report, which only read it, cannot show a
hidden value by mistake. A hidden value is None, and so is the n of its group (0 means nobody
answered); `hidden` says why ("fewer than 5 people" or "hidden to protect a smaller group").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from tpm.model import cadence_days
from tpm.privacy import PROTECT, Cell, Who, decide, fewer
from tpm.sources import (
    ENPS,
    Answers,
    Catalogue,
    Measurement,
    RatingsSource,
    ResponsesSource,
    SourceKind,
    Wave,
    WavesSource,
)

Band = Literal["good", "fair", "poor"]
__all__ = ["PROTECT", "SourceKind", "Wave", "compute", "fewer"]


@dataclass
class DimensionDetail:
    """What `--explain` shows for one dimension of one touchpoint."""

    dimension: str
    label: str
    weight: float
    n: int | None  # people who answered it; None when 1 to min_responses - 1 (never shown)
    mean: float | None  # None when hidden
    score: float | None  # the mean rescaled to 0-100; None when hidden or unanswered


@dataclass
class TouchpointScore:
    id: str
    name: str
    score: float | None  # 0-100; None: unrated or hidden
    band: Band | None
    n: int | None  # people of the chosen wave (0 without a source; None when hidden)
    dimensions: dict[str, float | None]  # every configured dimension -> 0-100 or None
    newest: dt.date | None  # date of the chosen wave (the rating's date / its newest answer)
    source: SourceKind
    fresh: bool | None  # newest within the freshness limit; None without a source
    freshness_days: int  # the freshness limit: max(max_age_days, cadence in days)
    wave: Wave | None = None  # the chosen wave
    files: list[str] = field(default_factory=list)  # responses: display paths of the files
    details: list[DimensionDetail] = field(default_factory=list)
    hidden: str | None = None  # why the score is hidden (docs/privacy.md)


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
    own_score: float | None  # from its own people's answers, pooled from shown cells
    own_n: int | None  # None when hidden
    own_hidden: str | None = None


@dataclass
class OwnScore:
    score: float | None
    n: int | None
    hidden: str | None


@dataclass
class SiloScore:
    id: str
    name: str
    own_score: float | None  # from its units' people's answers, pooled from shown cells
    band: Band | None
    own_n: int | None
    own_hidden: str | None = None


@dataclass
class Enps:
    value: float | None  # -100..100; None when hidden
    n: int | None  # None when hidden
    promoters: float | None  # percentages
    detractors: float | None
    hidden: str | None = None


MEASURED = ("quality", "freshness")  # the components that need ratings or survey responses


@dataclass
class HeatCell:
    """One unit's own score of one touchpoint (or, per dimension, over its shown cells), for
    the heatmap: a score, or the reason it is hidden (docs/privacy.md)."""

    score: float | None
    dimensions: dict[str, float | None]
    hidden: str | None


@dataclass
class Index:
    """The TPM index: the weighted mean of the components that have data. An index with a
    component missing is partial and is always shown as such (docs/scoring.md)."""

    value: float | None
    components: dict[str, float | None]  # quality, ownership, dialogue, freshness, connectedness
    weights: dict[str, float] = field(default_factory=dict)  # of each component (default 1)

    @property
    def used(self) -> list[str]:
        """The components the value is computed from (data, and a weight above 0)."""
        return [k for k, v in self.components.items() if v is not None and self.weights.get(k, 1)]

    @property
    def missing(self) -> list[str]:
        """The weighted components that have no data."""
        return [k for k, v in self.components.items() if v is None and self.weights.get(k, 1)]

    @property
    def partial(self) -> bool:
        return bool(self.missing)

    def partial_note(self) -> str:
        """'partial: 3 of 5 components; no measurement yet' ("" for a complete index)."""
        if not self.partial:
            return ""
        of = len(self.used) + len(self.missing)
        note = f"partial: {len(self.used)} of {of} components"
        if all(k in self.missing for k in MEASURED):
            return note + "; no measurement yet (no ratings, no survey responses)"
        return note + f"; no data for {' and '.join(self.missing)}"


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
    findings: list  # type: ignore[type-arg]  # bad response rows (the input guards)
    response_files: list[Path] = field(default_factory=list)
    silos: dict[str, SiloScore] = field(default_factory=dict)
    enps_silos: dict[str, Enps] = field(default_factory=dict)
    enps_wave: Wave | None = None
    # the heatmap: (touchpoint, unit) -> the unit's own cell; unit -> its own score by dimension
    heat: dict[tuple[str, str], HeatCell] = field(default_factory=dict)
    heat_units: dict[str, HeatCell] = field(default_factory=dict)


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


# -- the anonymity threshold (docs/privacy.md): decided here, for every output ---------------


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
    """What every table, badge and line shows in place of a value of too few people."""
    return f"n < {m}"


PROTECTED_LABEL = "protected"


def reason_label(reason: str | None, m: int) -> str | None:
    """The short text a table cell shows for a hidden value: `n < 5`, or `protected` for one
    hidden to protect a smaller group (tables explain it below them)."""
    if reason is None:
        return None
    return PROTECTED_LABEL if reason == PROTECT else hidden_label(m)


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
        self.weights = {d: dim.weight for d, dim in sc.dimensions.items()}
        self.labels = {d: dim.label or d for d, dim in sc.dimensions.items()}
        self.good = sc.thresholds.good
        self.poor = sc.thresholds.poor

    def rescale(self, mean: float) -> float:
        return (mean - self.low) / (self.high - self.low) * 100.0

    def score_of(
        self, questions: dict[str, Answers], shown: bool
    ) -> tuple[float | None, dict[str, float | None], list[DimensionDetail]]:
        """Touchpoint-style score of one group's answers: a dimension counts when at least
        min_responses people answered it; nothing at all when the group is not `shown`."""
        dims: dict[str, float | None] = {}
        details = []
        scored: dict[str, float] = {}
        for d in self.weights:
            answers = questions.get(d)
            count = answers.n if answers is not None else 0
            mean = score = None
            if shown and answers is not None and enough(count, self.m) and answers.mean is not None:
                mean = answers.mean
                score = self.rescale(mean)
                scored[d] = score
            dims[d] = score
            details.append(
                DimensionDetail(
                    d,
                    self.labels[d],
                    self.weights[d],
                    count if enough(count, self.m) or count == 0 else None,
                    mean,
                    score,
                )
            )
        return (_weighted(scored, self.weights) if shown else None), dims, details


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
    """All scores of docs/scoring.md, from every source of measurement, as of `as_of`, with
    the privacy rules of docs/privacy.md applied: what it returns is what may be published.

    The sources (`tpm.sources`) name their complete waves; each touchpoint (and eNPS) takes its
    newest; the chosen waves are measured per group; the privacy engine (`tpm.privacy`) decides
    which groups may be shown; pooled numbers are made from shown groups only.
    """
    from tpm.responses import ResponseReader, response_files

    c = _Computer(project, graph, as_of)
    files = response_files(project, extra_responses)
    reader = ResponseReader(project, files, on_bytes=progress.advance if progress else None)
    if progress is not None:
        progress.start(reader.total_bytes())
    catalogue = Catalogue(
        [
            ResponsesSource(project, reader, files, as_of),
            WavesSource(project, as_of),
            RatingsSource(project, as_of),
        ]
    )
    chosen = catalogue.choose()
    whole, parts, silo_enps, reasons = judge(project, catalogue.measure(), c.m)

    # -- touchpoints ------------------------------------------------------------------------
    touchpoints: dict[str, TouchpointScore] = {}
    for tid, tp in project.touchpoints.items():
        limit = max(project.scoring.max_age_days, cadence_days(tp.cadence) or 0)
        got = whole.get(tid)
        wave = chosen.get(tid)
        if got is None or wave is None:
            touchpoints[tid] = TouchpointScore(
                tid, tp.name, None, None, 0, dict.fromkeys(c.weights), None, "none", None, limit
            )
            continue
        reason = reasons.get(("tp", tid))
        show = reason is None and enough(got.n, c.m)
        score, dims, details = c.score_of(got.questions, show)
        touchpoints[tid] = TouchpointScore(
            tid,
            tp.name,
            score,
            band_of(score, c.good, c.poor),
            got.n if reason is None else None,
            dims,
            wave.last,
            wave.kind,
            wave.last >= days_before(as_of, limit),
            limit,
            wave=wave,
            files=list(wave.files),
            details=details,
            hidden=reason,
        )

    journeys = {jid: _journey_score(jid, j, touchpoints, c) for jid, j in project.journeys.items()}
    heat: dict[tuple[str, str], HeatCell] = {}
    heat_units: dict[str, HeatCell] = {}
    own, silos = _own_scores(project, parts, reasons, c, heat, heat_units)
    units = _unit_scores(project, touchpoints, own, c)
    enps = (
        _enps(whole[None], reasons[("enps",)], c.m) if None in whole else Enps(None, 0, None, None)
    )
    enps_parts = parts.get(None, {})
    enps_units = {
        u: _enps(enps_parts[u], reasons[("enps-unit", u)], c.m)
        for u in project.units
        if u in enps_parts
    }
    enps_silos = {
        s: _enps(silo_enps[s], reasons[("enps-silo", s)], c.m)
        for s in project.silos()
        if s in silo_enps
    }
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
        silos=silos,
        enps_silos=enps_silos,
        heat=heat,
        heat_units=heat_units,
        enps_wave=chosen.get(None),
    )


def judge(
    project: Any, measured: Sequence[Measurement], k: int
) -> tuple[
    dict[str | None, Measurement],
    dict[str | None, dict[str, Measurement]],
    dict[str, Measurement],
    dict[Any, str | None],
]:
    """The measurements as nested candidate cells (docs/privacy.md, rule 3), judged by the
    privacy engine: everyone's measurement per topic, each unit's, each silo's eNPS, and for
    every cell key None (shown) or why it is hidden. `tpm ingest` judges with it too."""
    whole: dict[str | None, Measurement] = {}
    parts: dict[str | None, dict[str, Measurement]] = {}
    given: dict[str, Measurement] = {}  # silos' eNPS as an ingested wave stores them
    for ms in measured:
        if ms.silo is not None:
            given[ms.silo] = ms
        elif ms.unit is None:
            whole[ms.topic] = ms
        else:
            parts.setdefault(ms.topic, {})[ms.unit] = ms
    cells: list[Cell] = []
    for tid, ms in whole.items():
        if tid is None:
            continue
        cells.append(Cell(("tp", tid), ms.n, _counts(ms), hidden=ms.hidden))
        for unit, part in parts.get(tid, {}).items():
            cell = Cell(("cell", tid, unit), part.n, _counts(part), ("tp", tid), part.hidden)
            cells.append(cell)
    silo_enps: dict[str, Measurement] = {}
    if None in whole:
        org = whole[None]
        cells.append(Cell(("enps",), org.n, _counts(org), hidden=org.hidden))
        for unit, part in parts.get(None, {}).items():
            silo = project.silo.get(unit)
            if silo is not None and part.hidden is None and not given:
                merged = silo_enps.get(silo)
                silo_enps[silo] = part if merged is None else _merge(merged, part, silo)
        silo_enps.update(given)
        for silo, ms in silo_enps.items():
            cells.append(Cell(("enps-silo", silo), ms.n, _counts(ms), ("enps",), ms.hidden))
        for unit, part in parts.get(None, {}).items():
            silo = project.silo.get(unit)
            parent = ("enps-silo", silo) if silo is not None else ("enps",)
            cells.append(Cell(("enps-unit", unit), part.n, _counts(part), parent, part.hidden))
    return whole, parts, silo_enps, decide(cells, k)


def _counts(ms: Measurement) -> dict[str, Who]:
    """What the privacy engine compares: who answered at all, and who answered each question
    (only how many, for a source that does not know who)."""
    counts: dict[str, Who] = {"": ms.people if ms.people is not None else ms.n}
    for q, a in ms.questions.items():
        counts[q] = a.people if a.people is not None else a.n
    return counts


def _merge(a: Measurement, b: Measurement, unit: str) -> Measurement:
    """Two groups' answers to the same questions of the same wave, as one group."""
    questions: dict[str, Answers] = {}
    for q in dict.fromkeys([*a.questions, *b.questions]):
        qa, qb = a.questions.get(q), b.questions.get(q)
        if qa is None or qb is None:
            questions[q] = qa or qb  # type: ignore[assignment]
            continue
        dist = dict(qa.distribution or {})
        for score, count in (qb.distribution or {}).items():
            dist[score] = dist.get(score, 0) + count
        people = (qa.people or frozenset()) | (qb.people or frozenset())
        total = (qa.mean or 0.0) * qa.n + (qb.mean or 0.0) * qb.n
        questions[q] = Answers(qa.n + qb.n, total / (qa.n + qb.n), dist, people)
    people = (a.people or frozenset()) | (b.people or frozenset())
    anonymous = a.anonymous or b.anonymous
    n = max(x.n for x in questions.values()) if anonymous else len(people)
    return Measurement(a.topic, a.wave, unit, n, questions, people, anonymous)


def _enps(ms: Measurement, reason: str | None, m: int) -> Enps:
    """eNPS of one group: % promoters (9-10) − % detractors (0-6) of each person's answer."""
    answers = ms.questions.get(ENPS)
    n = ms.n
    if reason is not None or answers is None or not enough(n, m):
        return Enps(None, n if reason is None else None, None, None, reason)
    dist = answers.distribution or {}
    promoters = sum(v for s, v in dist.items() if s >= 9) / n * 100.0
    detractors = sum(v for s, v in dist.items() if s <= 6) / n * 100.0
    return Enps(promoters - detractors, n, promoters, detractors)


@dataclass
class _Pool:
    """Answers pooled over shown cells: per dimension people, sum of means × n, and n."""

    people: set[object] = field(default_factory=set)
    anonymous: int = 0
    sums: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    who: dict[str, set[object]] = field(default_factory=dict)
    cells: int = 0  # cells with answers
    protected: bool = False  # a cell was hidden to protect a smaller group

    def add(self, ms: Measurement, m: int) -> None:
        if ms.anonymous:
            self.anonymous += ms.n
        else:
            self.people |= ms.people or frozenset()
        for q, a in ms.questions.items():
            if a.mean is None or not enough(a.n, m):
                continue  # hidden inside the cell: it never feeds a pooled number (rule 4)
            self.sums[q] = self.sums.get(q, 0.0) + a.mean * a.n
            self.counts[q] = self.counts.get(q, 0) + a.n
            self.who.setdefault(q, set()).update(a.people or ())

    @property
    def n(self) -> int:
        return len(self.people) + self.anonymous

    def questions(self) -> dict[str, Answers]:
        return {
            q: Answers(
                len(self.who[q]) or self.counts[q], self.sums[q] / self.counts[q], None, None
            )
            for q in self.sums
        }


def _own_scores(
    project: Any,
    parts: dict[str | None, dict[str, Measurement]],
    reasons: dict[Any, str | None],
    c: _Computer,
    heat: dict[tuple[str, str], HeatCell] | None = None,
    heat_units: dict[str, HeatCell] | None = None,
) -> tuple[dict[str, OwnScore], dict[str, SiloScore]]:
    """Each unit's own score from its people's answers, and each silo's from its units': pooled
    only from the (touchpoint, unit) cells that may be shown on their own (rule 4)."""
    units: dict[str, _Pool] = {}
    silos: dict[str, _Pool] = {}
    for tid, by_unit in parts.items():
        if tid is None:
            continue
        for unit, ms in by_unit.items():
            pool = units.setdefault(unit, _Pool())
            silo = project.silo.get(unit)
            pools = [pool]
            if silo is not None:
                pools.append(silos.setdefault(silo, _Pool()))
            reason = reasons.get(("cell", tid, unit))
            if heat is not None:
                if reason is None and enough(ms.n, c.m):
                    score, dims, _ = c.score_of(ms.questions, True)
                    heat[(tid, unit)] = HeatCell(score, dims, None)
                elif ms.n > 0:
                    heat[(tid, unit)] = HeatCell(None, {}, reason or fewer(c.m))
            for p in pools:
                p.cells += 1
                if reason is None and enough(ms.n, c.m):
                    p.add(ms, c.m)
                elif reason is not None and reason != fewer(c.m):
                    p.protected = True

    def own(pool: _Pool | None) -> OwnScore:
        if pool is None:
            return OwnScore(None, 0, None)
        if pool.n == 0:  # answers, but no cell may be shown
            return OwnScore(None, None, PROTECT if pool.protected else fewer(c.m))
        score = c.score_of(pool.questions(), True)[0]
        return OwnScore(score, pool.n, None)

    unit_own = {u: own(units.get(u)) for u in project.units}
    if heat_units is not None:
        for u, pool in units.items():
            o = unit_own[u]
            dims = c.score_of(pool.questions(), True)[1] if o.hidden is None and pool.n else {}
            heat_units[u] = HeatCell(o.score, dims, o.hidden)
    silo_scores = {}
    for s in project.silos():
        if s not in silos:
            continue
        o = own(silos[s])
        name = project.units[s].name if s in project.units else s
        band = band_of(o.score, c.good, c.poor)
        silo_scores[s] = SiloScore(s, name, o.score, band, o.n, o.hidden)
    return unit_own, silo_scores


def _unit_scores(
    project: Any, tps: dict[str, TouchpointScore], own: dict[str, OwnScore], c: _Computer
) -> dict[str, UnitScore]:
    # (sum of score × n, sum of n) of the scored touchpoints each unit receives. Broadcasts
    # reach every unit but their own `from` units: summed once for all, then taken back from
    # their senders, so the work grows with units + touchpoints, not their product.
    direct: dict[str, list[float]] = {u: [0.0, 0.0] for u in project.units}
    everyone = [0.0, 0.0]
    for tid, tp in project.touchpoints.items():
        ts = tps[tid]
        if ts.score is None or not ts.n:
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
        o = own[uid]
        result[uid] = UnitScore(
            uid,
            unit.name,
            score,
            band_of(score, c.good, c.poor),
            int(weight),
            o.score,
            o.n,
            o.hidden,
        )
    return result


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


def _percent(part: int, whole: int) -> float | None:
    return part / whole * 100.0 if whole else None


def _index(project: Any, graph: Any, tps: dict[str, TouchpointScore]) -> Index:
    from tpm.rules.paths import LongFeedbackPathOptions  # dialogue: long-feedback-path's limit

    scored = [(t, t.score, t.n or 0) for t in tps.values() if t.score is not None]
    weight = sum(n for _, _, n in scored)
    quality = sum(s * n for _, s, n in scored) / weight if weight else None
    journeys = list(project.journeys.values())
    owned = sum(
        1
        for j in journeys
        if graph.has_active_owner(j)
        and (len(graph.journey_silos(j)) < 2 or not graph.uncovered_silos(j))
    )
    # Without top management, feedback paths and islands cannot be judged (the audit says
    # so once, as island-unit): those components have no data rather than 0.
    below = graph.below_top if graph.top else []
    hops = LongFeedbackPathOptions.of(project.audit).max_feedback_hops
    dist = graph.distance_to_top
    components = {
        "quality": quality,
        "ownership": _percent(owned, len(journeys)),
        "dialogue": _percent(sum(1 for u in below if dist.get(u, hops + 1) <= hops), len(below)),
        # of all touchpoints; without any score there is nothing to be fresh: no data
        "freshness": _percent(sum(1 for t, _, _ in scored if t.fresh), len(tps))
        if scored
        else None,
        "connectedness": _percent(len(below) - len(graph.islands), len(below)),
    }
    weights = project.scoring.index_weights.model_dump()
    present = {k: v for k, v in components.items() if v is not None and weights[k] > 0}
    total = sum(weights[k] for k in present)
    value = sum(v * weights[k] for k, v in present.items()) / total if total else None
    return Index(value, components, {k: float(w) for k, w in weights.items()})
