"""`tpm ingest`: a survey tool's export in, safe aggregates out (docs/file-formats.md).

An export (csv; wide: a row per respondent and a column per question, or long: a row per
answer) is read with its survey definition (`surveys/*.yaml`, tpm/surveys.py). Every row is
checked; a bad row is a finding at FILE:LINE that names the column and what is expected, never
the answer given (docs/privacy.md), and does not count; the other rows do. The answers are
grouped in waves (a `wave` column, `--wave`, or the dates: docs/scoring.md), measured per
touchpoint and eNPS for everyone and each unit (`tpm.sources`), and judged by the privacy
engine (`tpm.scoring.judge`, the same step `tpm score` takes) BEFORE anything is written: a wave
file holds the n and the count of each answer value of the groups that may be shown, and the
groups hidden with why, never a respondent id, a single answer, free text or a group below k.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tpm import guards
from tpm.catalogue import Rule
from tpm.errors import UsageError
from tpm.findings import Finding, Location, make_finding, sort_findings
from tpm.surveys import WAVE_FORMAT, WAVE_ID_PATTERN
from tpm.words import did_you_mean

if TYPE_CHECKING:
    from tpm.project import Project
    from tpm.sources import Measurement, Topic
    from tpm.surveys import Survey

MAX_REPORTED = 50  # bad rows reported per file; one more finding counts the rest
ENPS_LOW, ENPS_HIGH = 0, 10
_WAVE_RE = re.compile(WAVE_ID_PATTERN)
_NUMBER_RE = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)")


@dataclass
class WaveOutcome:
    """One wave of the export and what became of its file."""

    id: str
    path: Path
    first: dt.date
    last: dt.date
    people: int
    topics: list[tuple[str, int | None, str | None]]  # (touchpoint or "eNPS", n, why hidden)
    hidden: list[tuple[str, str, str]]  # (topic, unit, why) of the hidden unit groups
    status: str  # "written", "kept" (exists, no --force), "dry run"


@dataclass
class IngestResult:
    survey: str
    files: list[str]
    encodings: list[str]
    rows: int = 0
    bad_rows: int = 0
    people: int = 0
    findings: list[Finding] = field(default_factory=list)
    bad_by_kind: dict[str, int] = field(default_factory=dict)
    waves: list[WaveOutcome] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        from tpm.findings import Severity

        return 1 if any(f.severity is Severity.ERROR for f in self.findings) else 0


@dataclass(slots=True)
class _Answer:
    date: dt.date
    wave: str | None
    unit: str | None
    person: object
    topic: str | None  # None: eNPS
    question: str  # dimension or "enps"
    value: float


class _Bad(Exception):
    """A row's problem: the rule, a message without the answer, and a kind for the summary."""

    def __init__(self, rule: Rule, message: str, kind: str) -> None:
        super().__init__(message)
        self.rule, self.message, self.kind = rule, message, kind


# -- reading the export --------------------------------------------------------------------


def _encoding(path: Path, wanted: str | None) -> tuple[str, str | None]:
    """The codec to read `path` with, and a note when it is not what was asked for."""
    with open(path, "rb") as f:
        head = f.read(4)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig", None
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16", None
        if wanted is not None:
            return wanted, None
        f.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            for block in iter(lambda: f.read(1 << 20), b""):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252", "not UTF-8: read as Windows-1252 (cp1252)"
    return "utf-8", None


def _delimiter(header: str) -> str:
    """`,`, `;` or tab: whichever the header line uses most outside quotes."""
    outside = re.sub(r'"[^"]*"', "", header)
    counts = {d: outside.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _column(header: list[str], name: str) -> int | None:
    """The index of column `name`: exact, then ignoring case and surrounding white space."""
    if name in header:
        return header.index(name)
    folded = [h.strip().casefold() for h in header]
    want = name.strip().casefold()
    return folded.index(want) if want in folded else None


class _Reader:
    """Reads the rows of one survey's exports into checked answers, reporting bad rows."""

    def __init__(self, project: Project, survey: Survey, wave: str | None) -> None:
        self.project = project
        self.survey = survey
        self.wave = wave
        self.low, self.high = project.scoring.scale
        self.answers_exact = dict(survey.answers)
        self.answers_folded = {k.strip().casefold(): v for k, v in survey.answers.items()}
        units: dict[str, str] = {}
        for uid, unit in project.units.items():
            units[uid.casefold()] = uid
            units[unit.name.strip().casefold()] = uid
        for name, uid in survey.units.items():
            units[name.strip().casefold()] = uid
        self.units = units
        self.people = itertools.count()
        self._file_bad = 0  # bad rows of the file being read

    def read(self, path: Path, display: str, result: IngestResult) -> Iterator[_Answer]:
        encoding, note = _encoding(path, self.survey.encoding)
        result.encodings.append(f"{display}: {encoding}" + (f" ({note})" if note else ""))
        reported = 0
        further: int | None = None
        with open(path, encoding=encoding, newline="", errors="strict") as handle:
            try:
                first = handle.readline()
                handle.seek(0)
                rows = csv.reader(handle, delimiter=_delimiter(first), strict=True)
                header = next(rows)
            except (StopIteration, csv.Error):
                self._file_problem(result, display, 1, "the export has no header line")
                return
            except UnicodeDecodeError:
                message = f"the export is not {encoding}: name its encoding in the survey"
                self._file_problem(result, display, 1, message)
                return
            header = [h.lstrip("\ufeff") for h in header]
            layout = self._layout(header, display, result)
            if layout is None:
                return
            end = rows.line_num
            while True:
                start = end + 1
                try:
                    row = next(rows)
                except StopIteration:
                    break
                except (csv.Error, UnicodeDecodeError) as exc:
                    what = "a quote is not closed" if isinstance(exc, csv.Error) else "bytes"
                    self._file_problem(
                        result, display, start, f"the file cannot be read on from here ({what})"
                    )
                    break
                end = rows.line_num
                if not any(cell.strip() for cell in row):
                    continue
                result.rows += 1
                try:
                    got = list(self._row(row, layout, start))
                except _Bad as bad:
                    result.bad_rows += 1
                    result.bad_by_kind[bad.kind] = result.bad_by_kind.get(bad.kind, 0) + 1
                    if reported < MAX_REPORTED:
                        reported += 1
                        where = Location(display, start, 1)
                        result.findings.append(make_finding(bad.rule, bad.message, where))
                    elif further is None:
                        further = start
                    continue
                yield from got
        self._further(result, display, reported, further)

    def _further(
        self, result: IngestResult, display: str, reported: int, further: int | None
    ) -> None:
        if further is None:
            return
        left = self._file_bad - reported
        result.findings.append(
            make_finding(
                guards.SCHEMA,
                f"... and {_count(left, 'further bad row')} in this file (only the "
                f"first {MAX_REPORTED} are reported)",
                Location(display, further, 1),
            )
        )

    def _file_problem(self, result: IngestResult, display: str, line: int, message: str) -> None:
        result.findings.append(make_finding(guards.SCHEMA, message, Location(display, line, 1)))

    def _layout(self, header: list[str], display: str, result: IngestResult) -> Any:
        s, cols = self.survey, self.survey.columns
        where = Location(display, 1, 1)
        found: dict[str, int | None] = {}
        required = ["date"] + (["touchpoint", "dimension", "score"] if s.layout == "long" else [])
        for role in ("date", "unit", "respondent", "wave", "touchpoint", "dimension", "score"):
            name = getattr(cols, role)
            if name is None or (
                s.layout == "wide" and role in ("touchpoint", "dimension", "score")
            ):
                found[role] = None
                continue
            found[role] = _column(header, name)
            if found[role] is None:
                result.findings.append(
                    make_finding(
                        guards.SCHEMA,
                        f"the header has no column {name!r} ({role}, from survey {s.id!r})"
                        f"{did_you_mean(name, header)}",
                        where,
                    )
                )
                if role in required:
                    return None
        questions: list[tuple[int, Any]] = []
        if s.layout == "wide":
            for q in s.questions:
                if q.ignore:
                    continue
                if not q.enps and (
                    q.touchpoint not in self.project.touchpoints
                    or q.dimension not in self.project.scoring.dimensions
                ):
                    continue  # a finding of the survey definition (tpm validate)
                index = _column(header, q.column)
                if index is None:
                    result.findings.append(
                        make_finding(
                            guards.SCHEMA,
                            f"the header has no question column {q.column!r}"
                            f"{did_you_mean(q.column, header)}; its answers are not read",
                            where,
                        )
                    )
                    continue
                questions.append((index, q))
        self._file_bad = 0
        return found, questions

    # -- one row -------------------------------------------------------------------------

    def _cell(self, row: list[str], index: int | None) -> str:
        if index is None or index >= len(row):
            return ""
        return row[index].strip()

    def _row(self, row: list[str], layout: Any, line: int) -> Iterator[_Answer]:
        try:
            yield from self._checked(row, layout, line)
        except _Bad:
            self._file_bad += 1
            raise

    def _checked(self, row: list[str], layout: Any, line: int) -> Iterator[_Answer]:
        found, questions = layout
        s = self.survey
        date = self._date(self._cell(row, found["date"]))
        unit = self._unit(self._cell(row, found["unit"]))
        wave = self.wave
        if wave is None and found["wave"] is not None:
            named = self._cell(row, found["wave"])
            if named:
                if not _WAVE_RE.fullmatch(named):
                    raise _Bad(
                        guards.SCHEMA,
                        "wave must be 1 to 64 letters, digits, '.', '_' or '-'",
                        "bad wave",
                    )
                wave = named
        person: object
        if found["respondent"] is not None:
            person = self._cell(row, found["respondent"])
            if not person:
                raise _Bad(
                    guards.SCHEMA,
                    "respondent is missing: a row without a respondent id does not count",
                    "missing respondent",
                )
        else:
            person = next(self.people)  # a row per respondent (wide), or an answer (long)
        answers = []
        if s.layout == "wide":
            for index, q in questions:
                raw = self._cell(row, index)
                if not raw:
                    continue  # not answered
                if q.enps:
                    value = self._value(raw, ENPS_LOW, ENPS_HIGH, q.column, whole=True)
                    answers.append(_Answer(date, wave, unit, person, None, "enps", value))
                    continue
                value = self._value(raw, self.low, self.high, q.column)
                if q.reverse:
                    value = self.low + self.high - value
                answers.append(_Answer(date, wave, unit, person, q.touchpoint, q.dimension, value))
        else:
            dimension = self._cell(row, found["dimension"])
            tid = self._cell(row, found["touchpoint"])
            raw = self._cell(row, found["score"])
            if not raw:
                return  # not answered
            if dimension.casefold() == "enps":
                value = self._value(raw, ENPS_LOW, ENPS_HIGH, "score", whole=True)
                answers.append(_Answer(date, wave, unit, person, None, "enps", value))
            else:
                if tid not in self.project.touchpoints:
                    raise _Bad(
                        guards.UNKNOWN_REFERENCE,
                        "touchpoint names no touchpoint of the project",
                        "unknown touchpoint",
                    )
                if dimension not in self.project.scoring.dimensions:
                    dims = ", ".join([*self.project.scoring.dimensions, "enps"])
                    raise _Bad(
                        guards.UNKNOWN_REFERENCE,
                        f"dimension is not one of {dims}",
                        "unknown dimension",
                    )
                value = self._value(raw, self.low, self.high, "score")
                answers.append(_Answer(date, wave, unit, person, tid, dimension, value))
        yield from answers

    def _date(self, raw: str) -> dt.date:
        fmt = self.survey.date_format
        if not raw:
            raise _Bad(guards.SCHEMA, "date is missing", "bad date")
        try:
            if fmt is not None:
                return dt.datetime.strptime(raw, fmt).date()
            if len(raw) == 10:
                return dt.date.fromisoformat(raw)
            return dt.datetime.fromisoformat(raw).date()
        except ValueError:
            expected = f"a date as {fmt}" if fmt else "an ISO 8601 date or date-time"
            raise _Bad(
                guards.SCHEMA, f"date is not a real date: expected {expected}", "bad date"
            ) from None

    def _unit(self, raw: str) -> str | None:
        if not raw:
            return None
        uid = self.units.get(raw.casefold())
        if uid is None or uid not in self.project.units:
            raise _Bad(
                guards.UNKNOWN_REFERENCE,
                f"unit names no unit of the organisation (map it under units: of survey "
                f"{self.survey.id!r})",
                "unknown unit",
            )
        return uid

    def _value(self, raw: str, low: float, high: float, column: str, whole: bool = False) -> float:
        value = self.answers_exact.get(raw)
        if value is None:
            value = self.answers_folded.get(raw.casefold())
        if value is None and _NUMBER_RE.fullmatch(raw):
            value = float(raw.replace(",", "."))
        scale = f"{low:g}-{high:g}"
        if value is None:
            raise _Bad(
                guards.SCHEMA,
                f"answer in column {column!r} is neither a number {scale} nor one of the "
                "survey's answers",
                "answer not on the scale",
            )
        if not low <= value <= high or (whole and value != int(value)):
            raise _Bad(
                guards.SCHEMA,
                f"answer in column {column!r} is off the scale {scale}",
                "answer not on the scale",
            )
        return value


# -- waves, the privacy engine, the wave files -----------------------------------------------


def _waves(answers: list[_Answer], gap: int) -> dict[str, list[_Answer]]:
    """The answers by wave: named ones by name, the others split where more than `gap` days
    pass without an answer; an unnamed wave's id is its newest date."""
    result: dict[str, list[_Answer]] = {}
    unnamed = sorted((a for a in answers if a.wave is None), key=lambda a: a.date)
    start = 0
    for i, a in enumerate(unnamed):
        if i + 1 == len(unnamed) or (unnamed[i + 1].date - a.date).days > gap:
            result.setdefault(a.date.isoformat(), []).extend(unnamed[start : i + 1])
            start = i + 1
    for a in answers:
        if a.wave is not None:
            result.setdefault(a.wave, []).append(a)
    return result


def _measure(project: Project, wave_id: str, answers: list[_Answer]) -> list[Measurement]:
    """Each person's newest answer per question, measured like raw responses (tpm.sources)."""
    from tpm.sources import Wave, _measurement

    first = min(a.date for a in answers)
    last = max(a.date for a in answers)
    wave = Wave(wave_id, first, last, "waves")
    newest: dict[tuple[Topic, object, str], _Answer] = {}
    for a in answers:
        key = (a.topic, a.person, a.question)
        seen = newest.get(key)
        if seen is None or a.date >= seen.date:
            newest[key] = a
    groups: dict[tuple[Topic, str | None], list[tuple[object, str, float]]] = {}
    for (topic, person, question), a in newest.items():
        groups.setdefault((topic, None), []).append((person, question, a.value))
        if a.unit is not None:
            groups.setdefault((topic, a.unit), []).append((person, question, a.value))
    return [
        _measurement(topic, wave, unit, given, False) for (topic, unit), given in groups.items()
    ]


def _count(n: int, word: str) -> str:
    return f"{n:,} {word if n == 1 else word + 's'}"


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else repr(value)


def _group(ms: Measurement, reason: str | None, k: int) -> dict[str, Any]:
    if reason is not None:
        return {"unit": ms.unit, "hidden": reason}
    questions = {}
    for q, a in sorted(ms.questions.items()):
        if a.n < k:
            continue  # a question answered by fewer than k people is not stored at all
        counts = sorted((a.distribution or {}).items())
        questions[q] = {"n": a.n, "counts": {_number(v): c for v, c in counts}}
    return {"unit": ms.unit, "n": ms.n, "questions": questions}


def wave_document(
    project: Project, survey: str, wave_id: str, answers: list[_Answer], digest: str
) -> tuple[dict[str, Any], WaveOutcome]:
    """The wave file of one wave, after the privacy engine, and what it holds in brief."""
    from tpm.scoring import judge

    k = project.scoring.min_responses
    whole, parts, silos, reasons = judge(project, _measure(project, wave_id, answers), k)
    topics = []
    summary: list[tuple[str, int | None, str | None]] = []
    hidden: list[tuple[str, str, str]] = []
    order = sorted(whole, key=lambda t: (t is None, t or ""))
    for topic in order:
        ms = whole[topic]
        key: tuple[str, ...] = ("tp", topic) if topic is not None else ("enps",)
        reason = reasons.get(key)
        name = topic if topic is not None else "eNPS"
        groups = [_group(ms, reason, k)]
        summary.append((name, ms.n if reason is None else None, reason))
        for unit in sorted(parts.get(topic, {})):
            part = parts[topic][unit]
            part_key = ("cell", topic, unit) if topic is not None else ("enps-unit", unit)
            why = reason or reasons.get(part_key)  # inside a hidden whole, nothing is shown
            groups.append(_group(part, why, k))
            if why is not None:
                hidden.append((name, unit, why))
        if topic is None:  # each silo's eNPS, as a group of its own
            for silo in sorted(silos):
                why = reason or reasons.get(("enps-silo", silo))
                group = _group(silos[silo], why, k)
                groups.append(
                    {"unit": None, "silo": silo, **{g: v for g, v in group.items() if g != "unit"}}
                )
                if why is not None:
                    hidden.append((name, f"silo {silo}", why))
        topics.append({"touchpoint": topic, "groups": groups})
    first = min(a.date for a in answers)
    last = max(a.date for a in answers)
    document = {
        "format": WAVE_FORMAT,
        "survey": survey,
        "wave": wave_id,
        "first": first.isoformat(),
        "last": last.isoformat(),
        "k": k,
        "export_sha256": digest,
        "topics": topics,
    }
    people = len({a.person for a in answers})
    outcome = WaveOutcome(wave_id, Path(), first, last, people, summary, hidden, "")
    return document, outcome


def _digest(paths: Sequence[Path]) -> str:
    h = hashlib.sha256()
    for path in paths:
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    return h.hexdigest()


def dump_wave(document: dict[str, Any]) -> str:
    import yaml

    head = "# Written by tpm ingest: aggregates only (docs/privacy.md). Do not edit by hand.\n"
    return head + yaml.safe_dump(document, sort_keys=False, allow_unicode=True)


def ingest(
    project: Project,
    survey_id: str,
    files: Sequence[Path],
    *,
    wave: str | None = None,
    output: Path | None = None,
    dry_run: bool = False,
    force: bool = False,
) -> IngestResult:
    """Read `files` (exports of survey `survey_id`) and write one wave file per wave below
    `output` (default: the project's waves/), unless `dry_run`; see the module."""
    from tpm.fsutil import write_atomic

    survey = project.surveys.get(survey_id)
    if survey is None:
        known = sorted(project.surveys)
        hint = did_you_mean(survey_id, known, f"; surveys: {', '.join(known) or 'none'}")
        raise UsageError(f"--survey {survey_id!r} names no survey in surveys/{hint}")
    if survey.encoding is not None:
        try:
            codecs.lookup(survey.encoding)
        except LookupError:
            raise UsageError(
                f"survey {survey.id!r}: encoding {survey.encoding!r} is not an encoding "
                "(tpm validate shows where)"
            ) from None
    if wave is not None and not _WAVE_RE.fullmatch(wave):
        raise UsageError("--wave must be 1 to 64 letters, digits, '.', '_' or '-'")
    for path in files:
        if not path.is_file():
            raise UsageError(f"{path}: the export does not exist or is not a regular file")
        if path.suffix.lower() != ".csv":
            raise UsageError(f"{path}: tpm ingest reads .csv exports")
    displays = [project.display(p) for p in files]
    result = IngestResult(survey.id, displays, [])
    reader = _Reader(project, survey, wave)
    answers: list[_Answer] = []
    for path, display in zip(files, displays, strict=True):
        answers.extend(reader.read(path, display, result))
    result.people = len({a.person for a in answers})
    result.findings = sort_findings(result.findings)
    digest = _digest(files)
    target = output if output is not None else project.root / "waves"
    for wave_id, given in sorted(_waves(answers, project.scoring.wave_gap_days).items()):
        document, outcome = wave_document(project, survey.id, wave_id, given, digest)
        outcome.path = target / survey.id / f"{wave_id}.yaml"
        if dry_run:
            outcome.status = "dry run: not written"
        elif outcome.path.exists() and not force:
            outcome.status = "exists: left alone (--force replaces it)"
        else:
            write_atomic(outcome.path, dump_wave(document))
            outcome.status = "written"
        result.waves.append(outcome)
    return result


def summary_lines(result: IngestResult, display: Any) -> list[str]:
    """What `tpm ingest` prints: rows, people, waves, per touchpoint the n, what was hidden
    and why, bad rows by kind. `display` turns a path into how it is printed."""
    lines = [
        f"survey {result.survey}: {_count(result.rows, 'row')} read from "
        f"{_count(len(result.files), 'file')}, {_count(result.people, 'respondent')}, "
        f"{_count(len(result.waves), 'wave')}",
    ]
    lines += [f"  encoding {e}" for e in result.encodings]
    if result.bad_rows:
        kinds = ", ".join(f"{n:,} {kind}" for kind, n in sorted(result.bad_by_kind.items()))
        lines.append(f"  {_count(result.bad_rows, 'bad row')} left out: {kinds}")
    for w in result.waves:
        span = w.first.isoformat() if w.first == w.last else f"{w.first} to {w.last}"
        lines.append(f"wave {w.id} (answers dated {span}): {display(w.path)}: {w.status}")
        for name, n, why in w.topics:
            lines.append(f"  {name}: " + (f"n = {n:,}" if why is None else f"hidden ({why})"))
        for name, unit, why in w.hidden:
            where = unit if unit.startswith("silo ") else f"unit {unit}"
            lines.append(f"  {name}, {where}: hidden ({why})")
    return lines
