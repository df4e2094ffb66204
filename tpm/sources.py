"""Sources of measurement: one interface for inline ratings and raw response files.

A source holds answers, grouped in **waves** (one round of a survey, docs/scoring.md). Asked
`waves()`, it names the complete waves it has for each touchpoint (and for eNPS, under the key
None) on the as-of day; asked `measure(chosen)`, it returns what the chosen waves hold, as
`Measurement`s: per touchpoint (or eNPS), per wave, per group (everyone, and each unit named in
the answers), the answers to each question with their n. Scoring picks one wave per touchpoint
over all sources (the newest; raw responses on a tie) and hands every measurement to the
privacy engine (`tpm.privacy`), which decides what may be shown. Nothing downstream reads a
response row: a new kind of source (ingested waves, for example) implements these two methods
and every score, check and view works with it.

The people behind a measurement (`people`, per question and in all) are kept only for the
privacy engine, which needs them to see what one group holds beyond another; no output ever
reads them.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from tpm.project import Project
    from tpm.responses import ResponseReader

SourceKind = Literal["responses", "waves", "ratings", "none"]
ENPS = "enps"
Topic = str | None  # a touchpoint id, or None for the eNPS question


@dataclass(frozen=True, slots=True)
class Wave:
    """One round of a survey: its answers are dated `first` to `last` (the wave's date)."""

    id: str  # its name from the `wave` column, else its date
    first: dt.date
    last: dt.date
    kind: SourceKind
    files: tuple[str, ...] = ()  # response files holding its answers (display paths)
    named: bool = False  # named in a `wave` column rather than found from the dates

    def describe(self) -> str:
        """`wave 2026-11-13 (answers dated 2026-11-09 to 2026-11-13)`, for --explain."""
        if self.kind == "ratings":
            return f"the inline rating of {self.last.isoformat()}"
        span = (
            f"dated {self.first.isoformat()}"
            if self.first == self.last
            else f"dated {self.first.isoformat()} to {self.last.isoformat()}"
        )
        return f"wave {self.id} (answers {span})"


@dataclass(slots=True)
class Answers:
    """The answers of one group to one question in one wave: each person's newest once."""

    n: int  # people who answered
    mean: float | None
    distribution: dict[float, int] | None = None  # answer -> people (raw answers only)
    people: frozenset[object] | None = None  # who (raw answers only): for the privacy engine


@dataclass(slots=True)
class Measurement:
    """What one wave of one source says about one touchpoint (or eNPS) from one group."""

    topic: Topic
    wave: Wave
    unit: str | None  # None: everyone who answered; else the people of this exact unit
    n: int  # distinct people
    questions: dict[str, Answers]  # dimension (or "enps") -> answers
    people: frozenset[object] | None = None  # who: for the privacy engine only
    anonymous: bool = False  # from a file without a respondent column: n counts answers
    hidden: str | None = None  # an ingested wave recorded the group as hidden, and why
    silo: str | None = None  # eNPS of a silo's people, as an ingested wave stores it


class Source(Protocol):
    """A source of measurement (see the module's docstring)."""

    kind: SourceKind

    def waves(self) -> dict[Topic, list[Wave]]: ...

    def measure(self, chosen: Mapping[Topic, Wave]) -> list[Measurement]: ...


# -- inline ratings ----------------------------------------------------------------------------


class RatingsSource:
    """The `ratings:` of the touchpoints: each rating is a wave of its own, with a stored n."""

    kind: SourceKind = "ratings"

    def __init__(self, project: Project, as_of: dt.date) -> None:
        self.project = project
        self.as_of = as_of
        self._newest: dict[str, Any] = {}
        for tid, tp in project.touchpoints.items():
            for r in tp.ratings:  # the newest wins; on the same day, the later entry
                seen = self._newest.get(tid)
                if r.date <= as_of and (seen is None or r.date >= seen.date):
                    self._newest[tid] = r

    def waves(self) -> dict[Topic, list[Wave]]:
        return {
            tid: [Wave(r.date.isoformat(), r.date, r.date, "ratings")]
            for tid, r in self._newest.items()
        }

    def measure(self, chosen: Mapping[Topic, Wave]) -> list[Measurement]:
        sc = self.project.scoring
        low, high = sc.scale
        result = []
        for tid, wave in chosen.items():
            rating = self._newest.get(tid) if tid is not None else None
            if rating is None or wave.kind != "ratings":
                continue
            # a value off the scale is a schema finding and, like a bad row, does not count;
            # every dimension of the rating counts as answered by its n
            questions = {
                d: Answers(rating.n, float(v))
                for d, v in rating.scores.items()
                if d in sc.dimensions and low <= v <= high
            }
            result.append(Measurement(tid, wave, None, rating.n, questions))
        return result


# -- ingested waves ------------------------------------------------------------------------


class WavesSource:
    """The wave files that `tpm ingest` wrote (waves/SURVEY/WAVE.yaml): each is one wave, read
    like an inline rating with distributions and unit breakdowns. They hold only what the
    privacy engine let through at ingest, and counts without people: the engine judges them
    again by their numbers. A group recorded as hidden comes with its reason and no numbers."""

    kind: SourceKind = "waves"

    def __init__(self, project: Project, as_of: dt.date) -> None:
        self.project = project
        self._files: list[tuple[Wave, Any]] = []
        for display, wf in project.waves:
            if wf.last <= as_of and wf.first <= wf.last:
                wave = Wave(f"{wf.survey}/{wf.wave}", wf.first, wf.last, "waves", (display,))
                self._files.append((wave, wf))

    def waves(self) -> dict[Topic, list[Wave]]:
        result: dict[Topic, list[Wave]] = {}
        for wave, wf in self._files:
            for topic in wf.topics:
                result.setdefault(topic.touchpoint, []).append(wave)
        return {t: sorted(w, key=lambda w: (w.last, w.id)) for t, w in result.items()}

    def measure(self, chosen: Mapping[Topic, Wave]) -> list[Measurement]:
        result: list[Measurement] = []
        for wave, wf in self._files:
            for topic in wf.topics:
                if chosen.get(topic.touchpoint) is not wave:
                    continue
                for group in topic.groups:
                    result.append(_wave_group(topic.touchpoint, wave, group))
        return result


def _wave_group(topic: Topic, wave: Wave, group: Any) -> Measurement:
    if group.hidden is not None or group.n is None:
        why = group.hidden or "hidden"
        return Measurement(topic, wave, group.unit, 0, {}, hidden=why, silo=group.silo)
    questions = {}
    for name, q in group.questions.items():
        distribution = {float(v): c for v, c in q.counts.items() if c > 0}
        total = sum(distribution.values())
        if not total:
            continue
        mean = sum(v * c for v, c in distribution.items()) / total
        questions[name] = Answers(q.n, mean, distribution)
    return Measurement(topic, wave, group.unit, group.n, questions, anonymous=True, silo=group.silo)


# -- raw response files --------------------------------------------------------------------


class _Pending:
    """The newest answer of each person to each question of one touchpoint in one wave."""

    __slots__ = ("anonymous", "answers")

    def __init__(self) -> None:
        # (person, question) -> (date, score, unit); a later row of the same day wins
        self.answers: dict[tuple[object, str], tuple[dt.date, float, str | None]] = {}
        self.anonymous = False


class ResponsesSource:
    """Response files (docs/file-formats.md), streamed in two passes.

    The first pass (`waves`) notes the dates each touchpoint was answered on and the named
    waves; the waves follow from them (a new wave after more than `wave_gap_days` without an
    answer, over every row of every file, whatever the as-of day). A wave with an answer dated
    after the as-of day is still open and is not offered. The second pass (`measure`) keeps only
    the rows of the chosen waves, so memory is bounded by the chosen waves, never by the rows.
    """

    kind: SourceKind = "responses"

    def __init__(
        self, project: Project, reader: ResponseReader, files: Sequence[Path], as_of: dt.date
    ) -> None:
        self.project = project
        self.reader = reader
        self.as_of = as_of
        self.files: tuple[str, ...] = tuple(project.display(Path(f)) for f in files)
        self._by_date: dict[dt.date, Wave] = {}
        self._named: dict[str, Wave] = {}

    def waves(self) -> dict[Topic, list[Wave]]:
        dates: dict[Topic, set[dt.date]] = {}
        named: dict[Topic, set[str]] = {}
        spans: dict[str, list[dt.date]] = {}
        for row in self.reader.rows():
            if row.wave is None:
                seen = dates.get(row.touchpoint)
                if seen is None:
                    seen = dates[row.touchpoint] = set()
                seen.add(row.date)
            else:
                named.setdefault(row.touchpoint, set()).add(row.wave)
                span = spans.get(row.wave)
                if span is None:
                    spans[row.wave] = [row.date, row.date]
                elif row.date < span[0]:
                    span[0] = row.date
                elif row.date > span[1]:
                    span[1] = row.date
        gap = self.project.scoring.wave_gap_days
        every = sorted(set().union(*dates.values())) if dates else []
        start = 0
        for i, day in enumerate(every):
            last = i + 1 == len(every)
            if last or (every[i + 1] - day).days > gap:
                wave = Wave(day.isoformat(), every[start], day, "responses", self.files)
                for d in every[start : i + 1]:
                    self._by_date[d] = wave
                start = i + 1
        self._named = {
            name: Wave(name, a, b, "responses", self.files, named=True)
            for name, (a, b) in spans.items()
        }
        result: dict[Topic, list[Wave]] = {}
        for topic in dict.fromkeys([*dates, *named]):
            waves = {self._by_date[d] for d in dates.get(topic, ())}
            waves |= {self._named[w] for w in named.get(topic, ())}
            complete = [w for w in waves if w.last <= self.as_of]
            if complete:
                result[topic] = sorted(complete, key=lambda w: (w.last, w.id))
        return result

    def measure(self, chosen: Mapping[Topic, Wave]) -> list[Measurement]:
        chosen = {t: w for t, w in chosen.items() if w.kind == "responses"}
        if not chosen:
            return []
        pending: dict[Topic, _Pending] = {t: _Pending() for t in chosen}
        by_date, named = self._by_date, self._named
        counter = itertools.count()
        for row in self.reader.rows():
            topic = row.touchpoint
            want = chosen.get(topic)
            if want is None:
                continue
            wave = by_date.get(row.date) if row.wave is None else named.get(row.wave)
            if wave is not want:
                continue
            tally = pending[topic]
            who: object = row.respondent
            if who is None:  # a file without a respondent column: each answer is its own
                who = next(counter)
                tally.anonymous = True
            key = (who, row.dimension)
            seen = tally.answers.get(key)
            if seen is None or row.date >= seen[0]:
                tally.answers[key] = (row.date, row.score, row.unit)
        result: list[Measurement] = []
        for topic, tally in pending.items():
            wave = chosen[topic]
            groups: dict[str | None, list[tuple[object, str, float]]] = {None: []}
            for (who, question), (_, score, unit) in tally.answers.items():
                groups[None].append((who, question, score))
                if unit is not None:
                    groups.setdefault(unit, []).append((who, question, score))
            for unit, answers in groups.items():
                if answers:
                    result.append(_measurement(topic, wave, unit, answers, tally.anonymous))
        return result


def _measurement(
    topic: Topic,
    wave: Wave,
    unit: str | None,
    answers: Sequence[tuple[object, str, float]],
    anonymous: bool,
) -> Measurement:
    by_question: dict[str, list[tuple[object, float]]] = {}
    for who, question, score in answers:
        by_question.setdefault(question, []).append((who, score))
    questions = {}
    for question, given in by_question.items():
        distribution: dict[float, int] = {}
        for _, score in given:
            distribution[score] = distribution.get(score, 0) + 1
        questions[question] = Answers(
            len(given),
            sum(s for _, s in given) / len(given),
            distribution,
            frozenset(w for w, _ in given),
        )
    people = frozenset(who for who, _, _ in answers)
    # Without respondent ids, n is the most answers to one question (docs/scoring.md)
    n = max(a.n for a in questions.values()) if anonymous else len(people)
    return Measurement(topic, wave, unit, n, questions, people, anonymous)


@dataclass
class Catalogue:
    """Every source of a project, and the wave chosen for each touchpoint and for eNPS."""

    sources: list[Any]
    chosen: dict[Topic, Wave] = field(default_factory=dict)

    def choose(self) -> dict[Topic, Wave]:
        """Per topic the newest complete wave of any source; raw responses on a tie."""
        rank = {"responses": 2, "waves": 1, "ratings": 0}
        best: dict[Topic, tuple[tuple[dt.date, int], Wave]] = {}
        for source in self.sources:
            for topic, waves in source.waves().items():
                for wave in waves:
                    key = (wave.last, rank.get(wave.kind, 0))
                    seen = best.get(topic)
                    if seen is None or key > seen[0]:
                        best[topic] = (key, wave)
        self.chosen = {t: w for t, (_, w) in best.items()}
        return self.chosen

    def measure(self) -> list[Measurement]:
        result: list[Measurement] = []
        for source in self.sources:
            result.extend(source.measure(self.chosen))
        return result
