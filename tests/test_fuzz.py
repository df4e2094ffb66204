"""Fuzzing, in-process: whatever the files hold, tpm reports findings and never raises.

test_yamlsource.py already fuzzes the YAML reader alone (random text and bytes through
load_string and load_yaml, mutated touchpoint files through load). This module goes further
down the flow:

- random bytes and YAML-ish text built from tpm's own keys, anchors, tags and strange scalars,
  as any of the three kinds of file, through `tpm.project.load`;
- valid YAML in the shape of tpm files with random values in every field, and mutations of a
  valid project (each of tpm.yaml, touchpoints and journeys: lines deleted, duplicated, swapped,
  re-indented, characters inserted, values replaced by random YAML scalars), through the whole
  pipeline: load, OrgGraph, scoring.compute, audit.run_audit and the output formats;
- random CSV rows, good and bad, through `ResponseReader`: good rows come out with exactly their
  values, bad rows become findings at their line; and random broken CSV text never raises.

Every finding must have a path of the project, a line and a column of at least 1.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import (
    GOOD,
    GOOD_CONFIG,
    GOOD_JOURNEYS,
    GOOD_TOUCHPOINTS,
    MUTATIONS,
    make_project,
    mutate,
    write_files,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tpm.audit import run_audit
from tpm.findings import Finding
from tpm.formats import renderer
from tpm.graph import OrgGraph
from tpm.project import Project, load
from tpm.responses import ENPS, Response, ResponseReader
from tpm.rules.registry import RULES
from tpm.scoreview import render_csv, render_json
from tpm.scoring import compute

pytestmark = pytest.mark.slow  # fuzzing: `make check` leaves it out, `make test` runs it

AS_OF = dt.date(2026, 11, 20)
FILES = ("tpm.yaml", "touchpoints/main.yaml", "journeys/main.yaml")
FAST = settings(
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    """One project directory for all examples of a test (hypothesis runs many per test)."""
    with tempfile.TemporaryDirectory() as directory:
        root = make_project(Path(directory), GOOD, dedent=False)
        (root / "responses").mkdir()
        yield root


def write(root: Path, files: dict[str, str | bytes]) -> None:
    """The GOOD project with `files` in place of its own."""
    write_files(root, {name: files.get(name, GOOD[name]) for name in FILES}, dedent=False)


def sane(findings: list[Finding], files: tuple[str, ...] = FILES) -> None:
    for f in findings:
        assert f.path in files, (f, files)
        assert f.line >= 1 and f.column >= 1, f
        assert f.code.startswith("TPM") and f.message, f


def pipeline(root: Path, responses: tuple[str, ...] = ()) -> Project:
    """Everything a command does with a project; nothing may raise."""
    project = load(root, cwd=root, rules=RULES)
    sane(project.findings)
    graph = OrgGraph(project)
    scores = compute(project, graph, AS_OF)
    sane(scores.findings, responses)
    result = run_audit(project, graph, scores, AS_OF)
    sane(result.findings, FILES + responses)
    report = result.report("")
    for name in ("json", "sarif", "text", "github", "junit"):
        assert renderer(name)(report)
    json.loads(render_json(scores, None), parse_constant=_no_constant)  # never NaN or Infinity
    render_csv(scores, None)
    for ts in scores.touchpoints.values():
        assert ts.score is None or 0 <= ts.score <= 100, ts
    return project


def _no_constant(name: str) -> Any:
    raise AssertionError(f"the json holds {name}")


# -- random text and bytes as any file ---------------------------------------------------------

KEYS = [
    "organisation", "units", "people", "touchpoints", "journeys", "id", "name", "from", "to",
    "direction", "cadence", "owner", "co_owners", "steps", "touchpoint", "critical", "ratings",
    "date", "n", "scores", "clarity", "audit", "ignore", "TPM020", "reason", "until", "level",
    "parent", "unit", "active", "scoring", "scale", "dimensions", "weight", "x-own", "<<", "1",
    "null", "true", "? [a]", "~",
]  # fmt: skip
SCALARS = [
    "board", "service", "sales", "it", "anna", "sam", "kim", "huddle", "all-hands", "all",
    "monthly", "P2W", "P0D", "two-way", "2026-10-01", "2026-02-30", "0001-01-01", "yes", "no",
    "~", "null", "true", "1e309", "-.inf", ".nan", "99999999999999999999999999", "0x1F", "0o7",
    "'quoted'", '"dq\\t"', "[]", "{}", "[a, [b]]", "{a: {b: c}}", "&a x", "*a", "!!str 1",
    "!!int x", "!custom y", "!!python/name:os.system", "|", ">-", "", "-", "#", "é", "\ufeff",
]  # fmt: skip
PIECES = st.one_of(
    st.sampled_from(KEYS).map(lambda k: k + ":"),
    st.sampled_from(SCALARS),
    st.sampled_from(["\n", "\n  ", "\n    ", "\n  - ", "\n    - ", "\t", " ", "\r\n", "\r"]),
    st.sampled_from(["- ", ": ", ", ", "[", "]", "{", "}", "&b ", "*b", "---\n", "...\n"]),
)
YAMLISH = st.lists(PIECES, max_size=60).map("".join)


@settings(FAST, max_examples=400)
@given(name=st.sampled_from(FILES), text=YAMLISH)
def test_yamlish_text_as_any_file(scratch: Path, name: str, text: str) -> None:
    write(scratch, {name: text})
    project = load(scratch, cwd=scratch, rules=RULES)
    sane(project.findings)


@settings(FAST, max_examples=200)
@given(name=st.sampled_from(FILES), data=st.binary(max_size=400))
def test_random_bytes_as_any_file(scratch: Path, name: str, data: bytes) -> None:
    write(scratch, {name: data})
    project = load(scratch, cwd=scratch, rules=RULES)
    sane(project.findings)
    if name == "tpm.yaml" and not project.config_source.ok:
        # an unreadable tpm.yaml is one finding, not one for every reference to its units
        assert not [f for f in project.findings if f.code == "TPM005" and "unit" in f.message]


# -- valid YAML, random values: the whole pipeline -----------------------------------------------

LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
    st.sampled_from([s for s in SCALARS if s and s[0].isalnum()]),
)
VALUES = st.recursive(
    LEAVES,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=6,
)
UNIT_IDS = ["board", "service", "service-agents", "sales", "it"]
PERSON_IDS = ["anna", "sam", "kim"]
TOUCHPOINT_IDS = ["all-hands", "huddle", "board-slot", "it-standard", "f-1", "f-2"]


DATES = st.one_of(
    st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2026, 12, 31)),
    st.sampled_from([dt.date(1, 1, 1), dt.date(1, 1, 2), dt.date(9999, 12, 31)]),
    st.dates(),
).map(str)
WEIGHTS = st.sampled_from([0, 0.5, 1, 3, 10**6, 1e308, 1.7e308]) | st.floats(0, 1e308)


def shapes(junk: bool) -> dict[str, st.SearchStrategy[Any]]:
    """Strategies for the items and sections of tpm files. With `junk`, any field may hold
    anything at all (one time in four): schema errors everywhere. Without, the values are
    plausible but reach the edges (year 1, huge counts and weights, a 999,999-year cadence),
    so that valid items go deep into scoring and the audit."""

    def either(plausible: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        return st.one_of(plausible, plausible, plausible, VALUES) if junk else plausible

    rating = st.fixed_dictionaries(
        {
            "date": either(DATES),
            "n": either(st.integers(0, 20) | st.integers(0, 10**400)),
            "scores": either(
                st.dictionaries(
                    st.sampled_from(["clarity", "dialogue", "empowerment", "nosuch"]),
                    st.floats(-1, 7, allow_nan=False) | st.integers(-1, 7),
                    max_size=3,
                )
            ),
        }
    )
    suppression = st.dictionaries(
        st.sampled_from(["TPM010", "TPM013", "TPM020", "TPM001", "TPM999"]),
        either(st.text(min_size=1, max_size=5) | st.fixed_dictionaries({"reason": st.just("r")})),
        max_size=2,
    )
    units = st.sampled_from(UNIT_IDS)
    touchpoint = st.fixed_dictionaries(
        {
            "id": either(st.sampled_from(TOUCHPOINT_IDS)),
            "name": either(st.text(min_size=1, max_size=10)),
            "from": either(units | st.lists(units, max_size=3)),
            "to": either(st.sampled_from([*UNIT_IDS, "all"]) | st.lists(units)),
        },
        optional={
            "direction": either(st.sampled_from(["one-way", "two-way"])),
            "cadence": either(st.sampled_from(["daily", "monthly", "yearly", "P2W", "P999999Y"])),
            "owner": either(st.sampled_from(PERSON_IDS)),
            "tags": either(st.lists(st.text(max_size=4), max_size=2)),
            "last_reviewed": either(DATES),
            "ratings": either(st.lists(rating, max_size=3)),
            "audit": either(st.fixed_dictionaries({"ignore": suppression})),
        },
    )
    step = st.fixed_dictionaries(
        {"touchpoint": either(st.sampled_from(TOUCHPOINT_IDS))},
        optional={"stage": either(st.text(max_size=5)), "critical": either(st.booleans())},
    )
    journey = st.fixed_dictionaries(
        {
            "id": either(st.sampled_from(["idea", "outage", "j-1"])),
            "name": either(st.text(min_size=1, max_size=10)),
            "steps": either(st.lists(step, max_size=4)),
        },
        optional={
            "owner": either(st.sampled_from(PERSON_IDS)),
            "co_owners": either(st.lists(st.sampled_from(PERSON_IDS), max_size=2)),
            "last_reviewed": either(DATES),
            "audit": either(st.fixed_dictionaries({"ignore": suppression})),
        },
    )
    dimensions = st.sampled_from(["clarity", "dialogue", "empowerment"])
    scoring = st.fixed_dictionaries(
        {},
        optional={
            "scale": either(
                st.tuples(st.integers(-5, 5), st.integers(1, 10)).map(lambda t: [t[0], sum(t)])
            ),
            "min_responses": either(st.integers(1, 3)),
            "max_age_days": either(st.integers(1, 100) | st.integers(1, 10**12)),
            "thresholds": either(
                st.tuples(st.integers(0, 100), st.integers(0, 100))
                .map(sorted)
                .map(lambda t: {"poor": t[0], "good": t[1]})
            ),
            "dimensions": either(
                st.dictionaries(dimensions, st.fixed_dictionaries({"weight": WEIGHTS}), min_size=1)
            ),
            "index_weights": either(
                st.dictionaries(
                    st.sampled_from(["quality", "ownership", "dialogue"]), WEIGHTS, max_size=3
                )
            ),
        },
    )
    audit = st.fixed_dictionaries(
        {},
        optional={
            "max_feedback_hops": either(st.integers(1, 10**20)),
            "max_review_age_days": either(st.integers(1, 10**20)),
            "bottleneck_min_cut": either(st.integers(1, 10**20)),
            "severity": either(st.dictionaries(st.sampled_from(["TPM034", "TPM021"]), VALUES)),
        },
    )
    return {
        "touchpoints": st.lists(touchpoint, max_size=5),
        "journeys": st.lists(journey, max_size=3),
        "scoring": either(scoring),
        "audit": either(audit),
    }


SHAPES = {"plausible": shapes(junk=False), "junk": shapes(junk=True)}


def dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@settings(FAST, max_examples=300)
@given(
    shape=st.sampled_from(sorted(SHAPES)),
    data=st.data(),
    rows=st.lists(st.deferred(lambda: response_rows()), max_size=12),
)
def test_random_values_in_every_field_through_the_whole_pipeline(
    scratch: Path, shape: str, data: st.DataObject, rows: list[tuple[list[str], Any]]
) -> None:
    drawn = {key: data.draw(strategy, label=key) for key, strategy in SHAPES[shape].items()}
    config = GOOD_CONFIG + dump({"scoring": drawn["scoring"], "audit": drawn["audit"]})
    write(
        scratch,
        {
            "tpm.yaml": config,
            "touchpoints/main.yaml": dump({"touchpoints": drawn["touchpoints"]}),
            "journeys/main.yaml": dump({"journeys": drawn["journeys"]}),
        },
    )
    write_rows(scratch / "responses" / "fuzz.csv", [row for row, _ in rows])
    try:
        project = pipeline(scratch, ("responses/fuzz.csv",))
    finally:
        (scratch / "responses" / "fuzz.csv").unlink()
    assert not [f for f in project.findings if f.code == "TPM001"]  # safe_dump's YAML reads


# -- mutations of a valid project ---------------------------------------------------------------

STRANGE_SCALARS = st.one_of(
    st.sampled_from(SCALARS),
    st.integers(-(10**25), 10**25).map(str),
    st.floats(allow_nan=False).map(repr),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=6),
)
# (op, line index, amount, replacement): re-indent a line, or replace the value after its ':'
OWN_OPS = st.tuples(
    st.sampled_from(["indent", "value"]),
    st.integers(0, 10_000),
    st.sampled_from([-4, -2, -1, 1, 2, 4, 0]),
    STRANGE_SCALARS,
)


def mutate_more(text: str, ops: list[tuple[str, int, int, str]]) -> str:
    lines = text.split("\n")
    for op, i, amount, scalar in ops:
        k = i % len(lines)
        line = lines[k]
        if op == "indent":
            bare = line.lstrip(" ")
            if amount == 0:
                lines[k] = "\t" + bare  # a tab instead of the indentation
            else:
                lines[k] = " " * max(0, len(line) - len(bare) + amount) + bare
        elif ": " in line:
            lines[k] = line[: line.index(": ") + 2] + scalar
        elif line.rstrip().endswith(":"):
            lines[k] = line.rstrip() + " " + scalar
    return "\n".join(lines)


@settings(FAST, max_examples=600)
@given(
    name=st.sampled_from(FILES),
    ops=MUTATIONS,
    more=st.lists(OWN_OPS, min_size=1, max_size=4),
    order=st.booleans(),
)
def test_mutated_projects_through_the_whole_pipeline(
    scratch: Path,
    name: str,
    ops: list[tuple[str, int, int, str]],
    more: list[tuple[str, int, int, str]],
    order: bool,
) -> None:
    text = {"tpm.yaml": GOOD_CONFIG, "touchpoints/main.yaml": GOOD_TOUCHPOINTS}.get(
        name, GOOD_JOURNEYS
    )
    text = mutate_more(mutate(text, ops), more) if order else mutate(mutate_more(text, more), ops)
    write(scratch, {name: text})
    project = pipeline(scratch)
    lines = text.count("\n") + text.count("\r") + 2
    for f in project.findings:
        if f.path == name:
            assert f.line <= lines, f
        else:  # an untouched file is only affected through ids: a reference into the
            # mutated file that fails, or an id the mutated file now defines too
            assert f.code in ("TPM004", "TPM005"), f


# -- responses ------------------------------------------------------------------------------------

# Each field: (text as written, its meaning, or BAD). None means "empty".
BAD = object()
TOUCHPOINTS = [("huddle", "huddle"), (" all-hands ", "all-hands"), ("board-slot", "board-slot")]
NOT_TOUCHPOINTS = [("hudle", BAD), ("board", BAD), ("HUDDLE", BAD)]
DIMENSIONS = [("clarity", "clarity"), ("dialogue ", "dialogue"), ("empowerment", "empowerment")]
ENPS_NAMES = [("enps", ENPS), ("eNPS", ENPS), (" ENPS", ENPS)]
NOT_DIMENSIONS = [("clarty", BAD), ("Clarity", BAD), ("nps", BAD), ("", BAD)]
SCORES = [("1", 1.0), ("4", 4.0), ("4.5", 4.5), ("4,5", 4.5), (" 3 ", 3.0), ("5", 5.0), (".5", BAD)]
NOT_SCORES = [("0", BAD), ("5.01", BAD), ("four", BAD), ("", BAD), ("1e3", BAD), ("nan", BAD)]
ENPS_SCORES = [("0", 0.0), ("6", 6.0), ("9", 9.0), ("10", 10.0), ("9,0", 9.0)]
NOT_ENPS_SCORES = [("11", BAD), ("9.5", BAD), ("-1", BAD), ("", BAD), ("ten", BAD)]
DATES_OK = [
    ("2026-10-02", dt.date(2026, 10, 2)),
    ("2026-11-19", dt.date(2026, 11, 19)),
    ("0001-01-01", dt.date(1, 1, 1)),
    ("9999-12-31", dt.date(9999, 12, 31)),
]
NOT_DATES = [("2026-02-30", BAD), ("2026-1-2", BAD), ("", BAD), ("tomorrow", BAD)]
UNITS = [("", None), ("service", "service"), (" sales", "sales"), ("nowhere", BAD), ("anna", BAD)]


def _field(good: list[Any], bad: list[Any]) -> st.SearchStrategy[tuple[str, Any]]:
    return st.one_of(st.sampled_from(good), st.sampled_from(good), st.sampled_from(bad))


@st.composite
def response_rows(draw: st.DrawFn) -> tuple[list[str], Any]:
    """A row and what it means: a Response, BAD, or None (a blank row, skipped)."""
    if draw(st.integers(0, 20)) == 0:
        return ["", "", "", "", "", ""], None
    enps = draw(st.booleans())
    if enps:
        tp = draw(st.sampled_from([("", None), ("", None), ("huddle", BAD)]))
        dim = draw(_field(ENPS_NAMES, NOT_DIMENSIONS))
        score = draw(_field(ENPS_SCORES, NOT_ENPS_SCORES))
    else:
        tp = draw(_field(TOUCHPOINTS, [*NOT_TOUCHPOINTS, ("", BAD)]))
        dim = draw(_field(DIMENSIONS, NOT_DIMENSIONS))
        score = draw(_field(SCORES, NOT_SCORES))
    date = draw(_field(DATES_OK, NOT_DATES))
    unit = draw(st.sampled_from(UNITS))
    respondent = draw(st.sampled_from(["", "r-1", " r-2 ", "r,3", 'r"4']))
    fields = [tp, dim, score, date, unit]
    row = [text for text, _ in fields] + [respondent]
    if draw(st.integers(0, 10)) == 0:  # a row cut short (blank when nothing is left)
        cut = row[: draw(st.integers(1, 3))]
        return cut, (BAD if any(text.strip() for text in cut) else None)
    # a row without a respondent id in a file with the column is bad (docs/privacy.md, rule 1)
    if any(meaning is BAD for _, meaning in fields) or not respondent.strip():
        return row, BAD
    return row, Response(tp[1], dim[1], score[1], date[1], unit[1], respondent.strip())


def write_rows(
    path: Path, rows: list[list[str]], delimiter: str = ",", newline: str = "\n", bom: bool = False
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    writer.writerow(["touchpoint", "dimension", "score", "date", "unit", "respondent"])
    writer.writerows(rows)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode("utf-8"))


@settings(FAST, max_examples=400)
@given(
    rows=st.lists(response_rows(), max_size=70),
    delimiter=st.sampled_from([",", ";"]),
    newline=st.sampled_from(["\n", "\r\n"]),
    bom=st.booleans(),
)
def test_response_rows_good_and_bad(
    scratch: Path, rows: list[tuple[list[str], Any]], delimiter: str, newline: str, bom: bool
) -> None:
    path = scratch / "responses" / "fuzz.csv"
    write_rows(path, [row for row, _ in rows], delimiter, newline, bom)
    write(scratch, {})
    project = load(scratch, cwd=scratch, rules=RULES)
    reader = ResponseReader(project, [path])
    got = list(reader.rows())
    assert got == [meaning for _, meaning in rows if isinstance(meaning, Response)]
    bad_lines = [line for line, (_, meaning) in enumerate(rows, 2) if meaning is BAD]
    found = [(f.line, f.column, f.path) for f in reader.findings]
    expected = [(line, 1, "responses/fuzz.csv") for line in bad_lines[:50]]
    if len(bad_lines) > 50:
        expected.append((bad_lines[50], 1, "responses/fuzz.csv"))
        assert reader.findings[-1].message.startswith(f"... and {len(bad_lines) - 50} further")
    assert found == expected
    assert {f.code for f in reader.findings} <= {"TPM002", "TPM005"}


CSV_TEXT = st.text(
    alphabet=st.sampled_from(list("huddle,clarity;4.5,\"'\n\r\x00é 2026-10-02enps\t")),
    max_size=300,
)
HEADERS = st.sampled_from(
    [
        "touchpoint,dimension,score,date,unit,respondent\n",
        "touchpoint;dimension;score;date\n",
        "sep=;\ntouchpoint;dimension;score;date;unit\n",
        "",
    ]
)


@settings(FAST, max_examples=500)
@given(header=HEADERS, body=CSV_TEXT | st.binary(max_size=300))
def test_broken_csv_never_raises_and_good_rows_are_valid(
    scratch: Path, header: str, body: str | bytes
) -> None:
    data = header.encode() + (body.encode("utf-8") if isinstance(body, str) else body)
    path = scratch / "responses" / "broken.csv"
    path.write_bytes(data)
    write(scratch, {})
    project = load(scratch, cwd=scratch, rules=RULES)
    reader = ResponseReader(project, [path])
    rows = list(reader.rows())
    again = list(reader.rows())  # scoring reads twice: the same rows, no finding twice
    assert rows == again
    lines = data.count(b"\n") + data.count(b"\r") + 2
    keys = [(f.line, f.code, f.message) for f in reader.findings]
    assert len(keys) == len(set(keys))
    for f in reader.findings:
        assert f.path == "responses/broken.csv"
        assert 1 <= f.line <= lines and f.column == 1, f
    for r in rows:
        if r.dimension == ENPS:
            assert r.touchpoint is None and r.score in {float(n) for n in range(11)}
        else:
            assert r.touchpoint in project.touchpoints and r.dimension in project.scoring.dimensions
            assert 1.0 <= r.score <= 5.0
        assert isinstance(r.date, dt.date)
        assert r.unit is None or r.unit in project.units
        assert not math.isnan(r.score)


def test_the_fuzzers_can_tell_good_from_bad() -> None:
    """The generators make what their names say (a fuzzer that only ever made good or only
    bad input would prove little)."""
    seen = {"good": 0, "bad": 0, "blank": 0}

    @settings(max_examples=200, database=None)
    @given(response_rows())
    def count(row: tuple[list[str], Any]) -> None:
        meaning = row[1]
        seen["blank" if meaning is None else "bad" if meaning is BAD else "good"] += 1

    count()
    assert all(seen.values()), seen
