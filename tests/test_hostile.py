"""Hostile input, proven on the real CLI (docs/file-formats.md limits, README.md "Commands").

Every command runs as a subprocess (`python -m tpm`), with a timeout that only guards against a
hang, on a project that holds the hostile files of tests/hostile/ (and large ones generated here
into tmp_path) next to valid files and one planted finding. Each run must:

- exit 0 or 1 (problems in the data are findings, never exit 2) with no traceback,
- report each hostile file's findings at the exact line and column,
- still check every other file (the planted finding is reported, and nothing else is),
- enforce the limits by what was counted (the message names the limit; peak memory, read with
  getrusage in a fresh wrapper process, stays within a generous bound: a count, not a time),
- leave every file of the project as it was (checksums before and after each batch of runs).

The expected findings of a YAML file are written in the file itself, as comments on the line
the finding points at: `#! CODE COLUMN message` (the message, or a part of it). Files that
cannot hold such a comment (UTF-16) and the CSV files have theirs in the tables below.

The last section interrupts writes: `--output` of audit, score, schema, report, validate and
diagram leaves the previous file intact when the write fails midway, and a SIGKILL during a
write leaves the old or the complete new file, never a part of one.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from conftest import GOOD, Result, make_project, pos

from tpm import fsutil

pytestmark = pytest.mark.slow  # hostile input: `make check` leaves it out, `make test` runs it

HOSTILE = Path(__file__).resolve().parent / "hostile"
AS_OF = "2026-11-20"
TIMEOUT = 120  # seconds: a guard against a hang, never a measure of speed
MIB = 1024 * 1024
# Peak memory: what a run may use beyond the same command on a clean project. Reading a 50 MB
# file whole, or keeping a million bad rows, would go far beyond it.
MEMORY_HEADROOM_KIB = 40 * 1024
MEMORY_CEILING_KIB = 300 * 1024

# A finding planted in another file of every project: it must be reported whatever the hostile
# file does (one bad file never stops the others from being checked).
PLANTED = """\
journeys:
  - id: planted
    name: Planted next to the hostile file
    owner: anna
    steps:
      - touchpoint: no-such-touchpoint
"""
PLANTED_PATH = "journeys/planted.yaml"
PLANTED_FINDING = ("TPM005", PLANTED_PATH, *pos(PLANTED, "no-such-touchpoint"))


# -- expectations ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    code: str  # or codes separated by "|", any of which will do
    path: str
    line: int
    column: int
    text: str  # a part of the message

    @property
    def where(self) -> tuple[str, str, int, int]:
        return (self.code, self.path, self.line, self.column)

    @property
    def place(self) -> tuple[str, int, int]:
        return (self.path, self.line, self.column)

    def accepts(self, code: str) -> bool:
        return code in self.code.split("|")


_MARKER = re.compile(r"#! (TPM\d{3}) (\d+) (.*?)(?=\s+#! TPM\d{3} |\s*$)")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def markers(source: Path, path: str) -> list[Expected]:
    """The `#! CODE COLUMN message` comments of a corpus file, as expected findings at `path`."""
    text = source.read_bytes().decode("utf-8-sig", "replace")
    found = []
    for number, line in enumerate(_LINE_BREAK.split(text), 1):
        for match in _MARKER.finditer(line):
            code, column, message = match.groups()
            found.append(Expected(code, path, number, int(column), message))
    return found


# Files that cannot carry their expectations as comments.
UTF16_YAML = (
    "the file is UTF-16 (it starts with a UTF-16 byte-order mark), not UTF-8: save it as UTF-8"
)
NOT_MARKED: dict[str, list[tuple[str, int, int, str]]] = {
    "touchpoints/bom-utf16-le.yaml": [("TPM001", 1, 1, UTF16_YAML)],
    "touchpoints/bom-utf16-be.yaml": [("TPM001", 1, 1, UTF16_YAML)],
    "config/bom-utf16.yaml": [("TPM001", 1, 1, UTF16_YAML)],
}
# Response files: findings on a row are at its line, column 1.
CSV_EXPECTED: dict[str, list[tuple[str, int, str]]] = {
    "no-header.csv": [
        (
            "TPM002",
            1,
            "the header lacks the required columns 'touchpoint', 'dimension', 'score', 'date', "
            "so the file was not read",
        )
    ],
    "only-header.csv": [],
    "header-bom.csv": [
        ("TPM005", 4, "touchpoint 'hudle' names no touchpoint (did you mean 'huddle'?)")
    ],
    "latin-1.csv": [
        ("TPM005", 2, "touchpoint 'nope-bom' names no touchpoint"),
        (
            "TPM001",
            3,
            "byte 0xfc on this line is not UTF-8, so the rest of the file was not read: "
            "save the file as UTF-8",
        ),
    ],
    "semicolon-decimal-comma.csv": [
        ("TPM002", 4, "score for clarity is off the scale [1, 5]"),
        ("TPM002", 6, "score for enps is off the scale"),
    ],
    "nul-bytes.csv": [
        # Python 3.10's csv module refuses a NUL (TPM002); later ones read it as text
        ("TPM005|TPM002", 3, ""),
        ("TPM002", 4, "for clarity is not a number"),
    ],
    "unbalanced-quotes.csv": [("TPM002", 3, "check its quotes, and the row runs on to line 5")],
    "bom-utf16.csv": [
        ("TPM001", 1, "the file is UTF-16, not UTF-8, so it was not read: save the file as UTF-8")
    ],
    "crlf-and-blank-lines.csv": [
        ("TPM002", 4, "score for clarity is off the scale [1, 5]"),
        ("TPM005", 6, "unit 'nowhere-unit' names no unit"),
    ],
}
LONG_FIELD_CSV = "responses/long-field.csv"  # generated: a 1 MB value in one row


def corpus(folder: str, suffix: str = ".yaml") -> list[str]:
    return sorted(p.name for p in (HOSTILE / folder).iterdir() if p.name.endswith(suffix))


def yaml_expectations(folder: str, name: str, path: str) -> list[Expected]:
    manifest = NOT_MARKED.get(f"{folder}/{name}")
    if manifest is not None:
        return [Expected(code, path, line, col, text) for code, line, col, text in manifest]
    return markers(HOSTILE / folder / name, path)


# -- running the CLI ---------------------------------------------------------------------------

# Peak memory of a child, read by a fresh wrapper process whose only child it is
# (RUSAGE_CHILDREN of the test process would hold the largest of all its children).
_WRAPPER = """\
import resource, subprocess, sys
code = subprocess.run(sys.argv[2:]).returncode
with open(sys.argv[1], "w") as f:
    f.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(code)
"""


@dataclass
class Run:
    args: tuple[str, ...]
    code: int
    out: str
    err: str
    peak_kib: int | None = None

    def json(self) -> Any:
        return json.loads(self.out, parse_constant=_no_constant)

    def findings(self) -> list[dict[str, Any]]:
        return list(self.json()["findings"])

    def where(self) -> set[tuple[str, str, int, int]]:
        return {(f["code"], f["path"], f["line"], f["column"]) for f in self.findings()}


def _no_constant(name: str) -> Any:
    raise AssertionError(f"the json holds {name}, which JSON cannot hold")


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "TPM_DEBUG"}
    # strict UTF-8 output, as on a terminal with a UTF-8 locale: a text that cannot be
    # encoded (a lone surrogate from a file name) would be an error, not a silent escape
    env.update(NO_COLOR="1", PYTHONIOENCODING="utf-8:strict", COLUMNS="120")
    return env


def _peak_kib(raw: str) -> int:
    value = int(raw)
    return value // 1024 if sys.platform == "darwin" else value  # bytes on macOS, KiB on Linux


TPM = (sys.executable, "-m", "tpm")


def tpm(root: Path, *args: str, measure: bool = False, cwd: Path | None = None) -> Run:
    """`tpm -C ROOT ARGS` in a subprocess (cwd: the project root unless given)."""
    command = [*TPM, "-C", str(root), *args]
    peak_file = None
    if measure:
        pytest.importorskip("resource")
        peak_file = root.parent / f".peak-{os.getpid()}-{time.monotonic_ns()}"
        command = [sys.executable, "-c", _WRAPPER, str(peak_file), *command]
    child = subprocess.Popen(
        command,
        cwd=cwd or root,
        env=_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: a hang is ended with all it started
    )
    try:
        stdout, stderr = child.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:  # pragma: no cover - the bug this guards against
        os.killpg(child.pid, signal.SIGKILL)
        child.communicate()
        pytest.fail(f"tpm {' '.join(args)} did not end within {TIMEOUT} s (a hang)")
    peak = None
    if peak_file is not None:
        peak = _peak_kib(peak_file.read_text())
        peak_file.unlink()
    run = Run(tuple(args), child.returncode, stdout.decode(), stderr.decode(), peak)
    sane(run)
    return run


def sane(run: Run | Result) -> None:
    """No traceback, no internal error, and never exit 2 for a problem in the data."""
    label = getattr(run, "args", "")
    for text in (run.out, run.err):
        assert "Traceback" not in text, (label, text[-3000:])
        assert "internal error" not in text, (label, text[-3000:])
    assert run.code in (0, 1), (label, run.code, run.err[-3000:])


def checksums(root: Path) -> dict[str, str]:
    """The SHA-256 of every file below `root` (symlinks as their target path, not followed)."""
    sums = {}
    for directory, _, files in os.walk(root):
        for name in files:
            path = Path(directory, name)
            key = path.relative_to(root).as_posix()
            if path.is_symlink():
                sums[key] = "-> " + os.readlink(path)
            elif path.is_file():
                sums[key] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                sums[key] = "special"
    return sums


def run_batch(
    root: Path, commands: Sequence[Sequence[str]], measure: bool = False
) -> dict[tuple[str, ...], Run]:
    """Run the commands (two at a time: this is a 2-core machine) and check that none of them
    changed a file of the project."""
    before = checksums(root)
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = list(pool.map(lambda args: tpm(root, *args, measure=measure), commands))
    after = checksums(root)
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    assert not changed, f"{commands} changed {changed}"
    return {run.args: run for run in runs}


VALIDATE = ("validate", "--format", "json")
AUDIT = ("audit", "--fail-on", "never", "--format", "json", "--as-of", AS_OF)
SCORE = ("score", "--format", "json", "--as-of", AS_OF)


def stderr_findings(run: Run) -> set[tuple[str, str, int, int]]:
    """(code, path, line, column) of the finding lines on stderr (score, list, report)."""
    found = set()
    for line in run.err.splitlines():
        match = re.match(r"(.+?):(\d+):(\d+): \w+ (TPM\d{3}) ", line)
        if match:
            path, line_no, column, code = match.groups()
            found.add((code, path, int(line_no), int(column)))
    return found


def assert_findings(run: Run, expected: Sequence[Expected], path: str) -> None:
    """The guard findings (TPM001 to TPM006) of `run` at `path` are exactly `expected`
    (code, line, column, message)."""
    got = [f for f in run.findings() if f["path"] == path and f["code"] <= "TPM006"]
    assert sorted((f["code"], f["line"], f["column"]) for f in got) == sorted(
        (e.code, e.line, e.column) for e in expected
    ), (run.args, path, [(f["code"], f["line"], f["column"], f["message"]) for f in got])
    for e in expected:
        messages = [
            f["message"]
            for f in got
            if f["code"] == e.code and f["line"] == e.line and f["column"] == e.column
        ]
        assert any(e.text in m for m in messages), (path, e, messages)


# -- the shared project: every corpus file at once ------------------------------------------------


@dataclass
class Corpus:
    root: Path
    expected: list[Expected]
    runs: dict[tuple[str, ...], Run] = field(default_factory=dict)


def long_field_csv() -> bytes:
    header = "touchpoint,dimension,score,date,unit,respondent\n"
    return (
        header
        + "huddle,clarity,4,2026-10-04,service,r-long-1\n"
        + "huddle,clarity,4,2026-10-04,service,"
        + "r" * MIB
        + "\n"
        + "hudl,clarity,4,2026-10-04,service,r-long-2\n"
    ).encode()


SHOWN = ("crlf", "tab-in-values", "bom-utf8", "strange-journey-12", "service")


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    """GOOD + the planted finding + every hostile touchpoint, journey and response file, with
    every command run once on it."""
    root = make_project(tmp_path_factory.mktemp("corpus"), {**GOOD, PLANTED_PATH: PLANTED})
    expected = [Expected(*PLANTED_FINDING, "no-such-touchpoint")]
    for folder in ("touchpoints", "journeys"):
        for name in corpus(folder):
            shutil.copyfile(HOSTILE / folder / name, root / folder / name)
            expected += yaml_expectations(folder, name, f"{folder}/{name}")
    (root / "responses").mkdir()
    for name, rows in CSV_EXPECTED.items():
        shutil.copyfile(HOSTILE / "responses" / name, root / "responses" / name)
        for code, line, text in rows:
            expected.append(Expected(code, f"responses/{name}", line, 1, text))
    (root / LONG_FIELD_CSV).write_bytes(long_field_csv())
    expected += [
        Expected("TPM002", LONG_FIELD_CSV, 3, 1, f"the row has a value longer than {131072:,}"),
        Expected("TPM005", LONG_FIELD_CSV, 4, 1, "touchpoint 'hudl' names no touchpoint"),
    ]
    report = root.parent / "report.html"
    commands = [
        VALIDATE,
        AUDIT,
        SCORE,
        ("audit", "--fail-on", "never", "--format", "sarif", "--as-of", AS_OF),
        ("audit", "--fail-on", "never", "--format", "text", "--as-of", AS_OF),
        ("validate",),
        *(("list", kind, "--format", "json") for kind in ("units", "people", "journeys")),
        ("list", "touchpoints"),
        *(("show", ident) for ident in SHOWN),
        ("report", "--output", str(report), "--as-of", AS_OF),
        ("diagram", "org", "--format", "dot", "--as-of", AS_OF),
        ("diagram", "journey", "planted", "--format", "mermaid", "--as-of", AS_OF),
    ]
    runs = run_batch(root, commands)
    return Corpus(root, expected, runs)


def expected_at(corpus: Corpus, path: str) -> list[Expected]:
    return [e for e in corpus.expected if e.path == path]


def check_file(corpus: Corpus, path: str) -> None:
    """The findings at `path` in validate and audit: exactly the expected ones; score prints
    them on stderr and carries on."""
    expected = expected_at(corpus, path)
    for args in (VALIDATE, AUDIT):
        run = corpus.runs[args]
        got = sorted(
            (f["line"], f["column"], f["code"], f["message"])
            for f in run.findings()
            if f["path"] == path and f["code"] <= "TPM006"
        )
        assert [(line, col) for line, col, _, _ in got] == sorted(
            (e.line, e.column) for e in expected
        ), (args, path, got)
        for e in expected:
            assert any(
                (line, col) == (e.line, e.column) and e.accepts(code) and e.text in message
                for line, col, code, message in got
            ), (args, path, e, got)
    printed = {w for w in stderr_findings(corpus.runs[SCORE]) if w[1] == path}
    assert {(e.line, e.column) for e in expected} == {(w[2], w[3]) for w in printed}


@pytest.mark.parametrize("name", corpus("touchpoints"))
def test_hostile_touchpoint_file(shared: Corpus, name: str) -> None:
    check_file(shared, f"touchpoints/{name}")


@pytest.mark.parametrize("name", corpus("journeys"))
def test_hostile_journey_file(shared: Corpus, name: str) -> None:
    check_file(shared, f"journeys/{name}")


@pytest.mark.parametrize("name", sorted(CSV_EXPECTED))
def test_hostile_response_file(shared: Corpus, name: str) -> None:
    check_file(shared, f"responses/{name}")


def test_a_1_mb_csv_value_is_one_bad_row_and_the_rows_after_it_count(shared: Corpus) -> None:
    check_file(shared, LONG_FIELD_CSV)


def test_every_file_is_checked_and_nothing_else_is_reported(shared: Corpus) -> None:
    """All hostile files side by side: every expected finding and no other guard finding
    anywhere (the valid files stay clean, the planted finding is there)."""
    for args in (VALIDATE, AUDIT):
        run = shared.runs[args]
        guards = {
            (f["path"], f["line"], f["column"]) for f in run.findings() if f["code"] <= "TPM006"
        }
        assert guards == {(e.path, e.line, e.column) for e in shared.expected}
        assert PLANTED_FINDING in run.where()
    assert shared.runs[VALIDATE].code == 1
    assert shared.runs[AUDIT].code == 0  # --fail-on never
    # the valid touchpoints and journeys are all there
    listed = shared.runs[("list", "journeys", "--format", "json")].json()
    assert {"idea", "outage", "planted"} <= {row["id"] for row in listed}


def test_score_goes_on_and_the_good_rows_count(shared: Corpus) -> None:
    run = shared.runs[SCORE]
    assert run.code == 0
    doc = run.json()  # no NaN, no Infinity: strict JSON
    huddle = {t["id"]: t for t in doc["touchpoints"]}["huddle"]
    # the newest answers are those of the semicolon file (decimal commas) and the 1 MB file
    assert huddle["source"] == "responses"
    assert huddle["newest"] == "2026-10-04"
    # one good eNPS answer (9, in the semicolon file); its neighbour 7,5 is a bad row; one
    # person is below k, so n is not given (docs/privacy.md, rule 2)
    assert doc["enps"]["organisation"]["n"] is None
    assert doc["enps"]["organisation"]["hidden"] == "fewer than 5 people"
    # every finding of the project is printed, the YAML ones included (README.md, "Commands")
    assert {e.place for e in shared.expected} <= {w[1:] for w in stderr_findings(run)}


def test_other_outputs_of_the_hostile_project(shared: Corpus) -> None:
    sarif = json.loads(
        shared.runs[("audit", "--fail-on", "never", "--format", "sarif", "--as-of", AS_OF)].out
    )
    results = sarif["runs"][0]["results"]
    guards = {"TPM001", "TPM002", "TPM003", "TPM004", "TPM005"}
    assert {r["ruleId"] for r in results} >= guards
    assert len([r for r in results if r["ruleId"] in guards]) == len(shared.expected)
    text = shared.runs[("audit", "--fail-on", "never", "--format", "text", "--as-of", AS_OF)]
    assert "touchpoints/alias-bomb-lists.yaml:6:7: error TPM001" in text.out
    assert shared.runs[("validate",)].code == 1
    for kind in ("units", "people", "journeys"):
        assert isinstance(shared.runs[("list", kind, "--format", "json")].json(), list)
    listing = shared.runs[("list", "touchpoints")]
    assert "tab-in-values" in listing.out and "bom-utf8" in listing.out
    for ident in SHOWN:
        assert ident in shared.runs[("show", ident)].out
    report = (shared.root.parent / "report.html").read_text(encoding="utf-8")
    assert report.startswith("<!DOCTYPE html>") and report.rstrip().endswith("</html>")
    assert "digraph" in shared.runs[("diagram", "org", "--format", "dot", "--as-of", AS_OF)].out


def test_positions_are_counted_like_an_editor_counts_them(shared: Corpus) -> None:
    """CR LF and CR alone end a line, a BOM is no column, a tab is one column."""
    where = shared.runs[VALIDATE].where()
    assert ("TPM005", "touchpoints/crlf.yaml", 6, 17) in where
    assert ("TPM005", "touchpoints/cr-only.yaml", 6, 17) in where
    assert ("TPM002", "touchpoints/bom-utf8.yaml", 1, 1) in where
    assert ("TPM005", "touchpoints/tab-in-values.yaml", 7, 17) in where
    shown = shared.runs[("show", "crlf")].out
    assert "touchpoints/crlf.yaml:3" in shown


def test_no_tag_runs_code(shared: Corpus) -> None:
    """The Python tags of the corpus would create PWNED-BY-TPM in an unsafe loader."""
    for place in (shared.root, shared.root.parent, Path.cwd()):
        assert not list(place.rglob("PWNED-BY-TPM")), place


# -- tpm.yaml itself hostile ------------------------------------------------------------------


@pytest.mark.parametrize("name", corpus("config"))
def test_hostile_tpm_yaml(tmp_path: Path, name: str) -> None:
    """A hostile tpm.yaml: its findings, and the touchpoints and journeys still checked."""
    root = make_project(tmp_path, {**GOOD, PLANTED_PATH: PLANTED})
    shutil.copyfile(HOSTILE / "config" / name, root / "tpm.yaml")
    expected = yaml_expectations("config", name, "tpm.yaml")
    assert expected
    runs = run_batch(root, [VALIDATE, AUDIT, SCORE])
    for args in (VALIDATE, AUDIT):
        run = runs[args]
        assert_findings(run, expected, "tpm.yaml")
        assert PLANTED_FINDING in run.where()
        # nothing else: references to units and people are not judged when tpm.yaml cannot be
        # read, and are all good when it can
        others = {w for w in run.where() if w[1] != "tpm.yaml" and w[0] <= "TPM006"}
        assert others == {PLANTED_FINDING}
    assert runs[VALIDATE].code == 1 and runs[AUDIT].code == 0
    assert runs[SCORE].code == 0
    runs[SCORE].json()
    assert {e.where for e in expected} <= stderr_findings(runs[SCORE])
    assert not list(tmp_path.rglob("PWNED-BY-TPM"))


def test_numbers_and_dates_at_the_edges_of_the_calendar(tmp_path: Path) -> None:
    """Windows and freshness limits that reach before year 1 (huge max_age_days, answers dated
    0001-01-01, a cadence of 999,999 years) are cut at the first day, never an overflow."""
    touchpoints = GOOD["touchpoints/main.yaml"] + (
        "  - id: ancient\n"
        "    name: Rated in year 1\n"
        "    from: board\n"
        "    to: sales\n"
        "    cadence: P999999Y\n"
        "    last_reviewed: 0001-01-01\n"
        "    ratings: [{date: 0001-01-01, n: 1000000000, scores: {clarity: 4}}]\n"
    )
    root = make_project(
        tmp_path,
        {**GOOD, PLANTED_PATH: PLANTED, "touchpoints/main.yaml": touchpoints},
    )
    shutil.copyfile(HOSTILE / "config" / "extreme-numbers.yaml", root / "tpm.yaml")
    (root / "responses").mkdir()
    shutil.copyfile(HOSTILE / "responses" / "extreme-dates.csv", root / "responses" / "x.csv")
    runs = run_batch(root, [VALIDATE, AUDIT, SCORE, ("score", "--explain", "huddle")])
    expected = markers(HOSTILE / "config" / "extreme-numbers.yaml", "tpm.yaml")
    for args in (VALIDATE, AUDIT):
        assert_findings(runs[args], expected, "tpm.yaml")
        assert {w for w in runs[args].where() if w[0] <= "TPM006"} == {
            PLANTED_FINDING,
            *(e.where for e in expected),
        }
    doc = runs[SCORE].json()
    scores = {t["id"]: t for t in doc["touchpoints"]}
    # both year-1 answers lie in the window; the answers of 9999 are after --as-of
    assert (scores["huddle"]["n"], scores["huddle"]["newest"]) == (2, "0001-01-02")
    assert scores["board-slot"]["source"] == "none"
    assert scores["ancient"]["n"] == 1_000_000_000
    assert doc["enps"]["organisation"]["n"] == 2
    assert "0001-01-01" in runs[("score", "--explain", "huddle")].out


# -- large files: limits by what was counted ----------------------------------------------------


@pytest.fixture(scope="session")
def baseline_peaks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, int]:
    """Peak memory of the commands on a clean project: the yardstick of the others."""
    root = make_project(tmp_path_factory.mktemp("clean"), {**GOOD, PLANTED_PATH: PLANTED})
    runs = run_batch(root, [VALIDATE, AUDIT, SCORE], measure=True)
    peaks = {args[0]: run.peak_kib for args, run in runs.items()}
    assert all(peak and 10 * 1024 < peak < MEMORY_CEILING_KIB for peak in peaks.values()), peaks
    return peaks  # type: ignore[return-value]


def assert_bounded(run: Run, baseline: dict[str, int]) -> None:
    assert run.peak_kib is not None
    bound = min(baseline[run.args[0]] + MEMORY_HEADROOM_KIB, MEMORY_CEILING_KIB)
    assert run.peak_kib < bound, (run.args, run.peak_kib, baseline)


def test_alias_bombs_are_counted_not_expanded(
    tmp_path: Path, baseline_peaks: dict[str, int]
) -> None:
    root = make_project(tmp_path, {**GOOD, PLANTED_PATH: PLANTED})
    expected = []
    for name in ("alias-bomb-lists.yaml", "alias-bomb-mappings.yaml", "alias-bomb-wide.yaml"):
        shutil.copyfile(HOSTILE / "touchpoints" / name, root / "touchpoints" / name)
        expected += markers(HOSTILE / "touchpoints" / name, f"touchpoints/{name}")
    shutil.copyfile(HOSTILE / "config" / "alias-bomb.yaml", root / "tpm.yaml")
    expected += markers(HOSTILE / "config" / "alias-bomb.yaml", "tpm.yaml")
    runs = run_batch(root, [VALIDATE, AUDIT], measure=True)
    for run in runs.values():
        bombs = [f for f in run.findings() if "aliases expand" in f["message"]]
        assert len(bombs) == 4
        assert all("more than 100,000 nodes" in f["message"] for f in bombs)  # the limit
        assert {(f["path"], f["line"], f["column"]) for f in bombs} == {
            (e.path, e.line, e.column) for e in expected
        }
        assert PLANTED_FINDING in run.where()
        assert_bounded(run, baseline_peaks)


@pytest.fixture(scope="session")
def fifty_mb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A project with a 50 MB touchpoints file (valid YAML, over the 10 MiB limit), made once
    and removed after the session."""
    root = make_project(tmp_path_factory.mktemp("big"), {**GOOD, PLANTED_PATH: PLANTED})
    chunk = ("    # " + "x" * 1017 + "\n").encode() * 1024  # 1 MiB of comment lines
    with (root / "touchpoints" / "huge.yaml").open("wb") as f:
        f.write(b"touchpoints:\n  - id: huge\n    name: Huge\n    from: board\n    to: sales\n")
        for _ in range(50):
            f.write(chunk)
    yield root
    (root / "touchpoints" / "huge.yaml").unlink()


def test_a_50_mb_file_is_refused_by_its_size_with_bounded_memory(
    fifty_mb: Path, baseline_peaks: dict[str, int]
) -> None:
    runs = run_batch(fifty_mb, [VALIDATE, AUDIT], measure=True)
    for run in runs.values():
        huge = [f for f in run.findings() if f["path"] == "touchpoints/huge.yaml"]
        assert [(f["code"], f["line"], f["column"]) for f in huge] == [("TPM001", 1, 1)]
        assert huge[0]["message"] == "the file is 50.0 MiB, over the limit of 10 MiB"
        assert PLANTED_FINDING in run.where()
        assert_bounded(run, baseline_peaks)


# Every kind of line break ends a value: a file of `-` and CR (or NEL, LS, PS) is a list of
# millions of values, and must be refused by their count as a file of `-` and LF is.
LINE_BREAK_BOMBS = {"cr": b"-\r", "nel": "-\x85".encode(), "ls": "-\u2028".encode()}


@pytest.mark.parametrize("name", list(LINE_BREAK_BOMBS))
def test_a_line_break_bomb_is_refused_by_its_count_with_bounded_memory(
    tmp_path: Path, baseline_peaks: dict[str, int], name: str
) -> None:
    unit = LINE_BREAK_BOMBS[name]
    count = (10 * MIB - 1024) // len(unit)  # just under the size limit
    root = make_project(tmp_path, {**GOOD, PLANTED_PATH: PLANTED})
    (root / "touchpoints" / "bomb.yaml").write_bytes(unit * count)
    run = run_batch(root, [VALIDATE], measure=True)[VALIDATE]
    bomb = [f for f in run.findings() if f["path"] == "touchpoints/bomb.yaml"]
    assert [(f["code"], f["line"], f["column"]) for f in bomb] == [("TPM001", 1, 1)]
    assert f"about {count:,} values, more than the 1,000,000" in bomb[0]["message"]
    assert PLANTED_FINDING in run.where()
    assert_bounded(run, baseline_peaks)


def test_a_1_mb_scalar_is_within_the_limits_and_loads(tmp_path: Path) -> None:
    description = "Long " * (MIB // 5)
    text = (
        "touchpoints:\n"
        "  - id: long-scalar\n"
        "    name: A 1 MB description\n"
        f"    description: {description.strip()}\n"
        "    from: board\n"
        "    to: nowhere-long\n"
    )
    root = make_project(tmp_path, {**GOOD, PLANTED_PATH: PLANTED, "touchpoints/long.yaml": text})
    runs = run_batch(root, [VALIDATE, AUDIT, ("show", "long-scalar", "--format", "json")])
    for args in (VALIDATE, AUDIT):
        guards = {w for w in runs[args].where() if w[0] <= "TPM006"}
        assert guards == {PLANTED_FINDING, ("TPM005", "touchpoints/long.yaml", 6, 9)}
    shown = runs[("show", "long-scalar", "--format", "json")]
    assert description.strip() in shown.out


BAD_ROWS = (
    "hudle,clarity,4,2026-10-02,service,r-{i}\n",  # unknown touchpoint
    "huddle,clarity,9,2026-10-02,service,r-{i}\n",  # off the scale
    "huddle,clarity,4,2026-02-30,service,r-{i}\n",  # no such day
    "huddle,clarity,,2026-10-02,service,r-{i}\n",  # missing value
    "huddle,clarity,4,2026-10-02,nowhere,r-{i}\n",  # unknown unit
    "huddle,clarity,4\n",  # too few fields
    "huddle,clarity,four,2026-10-02,service,r-{i}\n",  # not a number
)
GOOD_ROW = "huddle,clarity,4,2026-10-05,service,g-{i}\n"
MILLION = 1_000_000
GOOD_EVERY = 1_000  # one good row in a thousand


@pytest.fixture(scope="session")
def million_bad_rows(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A project with a response file of a million rows, 999 in 1,000 of them bad, made once
    and removed after the session."""
    root = make_project(tmp_path_factory.mktemp("million"), {**GOOD, PLANTED_PATH: PLANTED})
    (root / "responses").mkdir()
    kinds = len(BAD_ROWS)
    with (root / "responses" / "million.csv").open("w", encoding="utf-8", newline="") as f:
        f.write("touchpoint,dimension,score,date,unit,respondent\n")
        block = []
        for i in range(MILLION):
            template = GOOD_ROW if i % GOOD_EVERY == GOOD_EVERY - 1 else BAD_ROWS[i % kinds]
            block.append(template.format(i=i))
            if len(block) == 10_000:
                f.write("".join(block))
                block.clear()
        f.write("".join(block))
    yield root
    (root / "responses" / "million.csv").unlink()


def test_a_million_bad_rows_are_50_findings_and_a_count(
    million_bad_rows: Path, baseline_peaks: dict[str, int]
) -> None:
    runs = run_batch(million_bad_rows, [VALIDATE, SCORE], measure=True)
    good = MILLION // GOOD_EVERY
    bad = MILLION - good
    validate = runs[VALIDATE]
    rows = [f for f in validate.findings() if f["path"] == "responses/million.csv"]
    assert len(rows) == 51
    reported = rows[:50]
    # the first 50 bad rows, at their lines (rows 1 to 50 are all bad: lines 2 to 51)
    assert [f["line"] for f in reported] == list(range(2, 52))
    assert {f["code"] for f in reported} == {"TPM002", "TPM005"}
    summary = rows[50]
    assert (summary["code"], summary["line"], summary["column"]) == ("TPM002", 52, 1)
    assert summary["message"] == (
        f"... and {bad - 50:,} further bad rows in this file (only the first 50 are reported)"
    )
    assert PLANTED_FINDING in validate.where()
    score = runs[SCORE]
    assert score.code == 0
    huddle = {t["id"]: t for t in score.json()["touchpoints"]}["huddle"]
    assert (huddle["n"], huddle["source"], huddle["newest"]) == (good, "responses", "2026-10-05")
    assert huddle["dimensions"]["clarity"] == 75.0  # the good rows, all 4 on [1, 5]
    assert len([line for line in score.err.splitlines() if "million.csv" in line]) == 51
    for run in runs.values():
        assert_bounded(run, baseline_peaks)


# -- the file system ---------------------------------------------------------------------------


def test_odd_files_under_touchpoints_and_responses(tmp_path: Path) -> None:
    """A directory named x.yaml, symlink loops, a pipe, a device and a file name that is not
    UTF-8: findings (or nothing), never a hang, never an internal error."""
    inner = "touchpoints:\n  - id: inner\n    name: Inner\n    from: board\n    to: nowhere-inner\n"
    root = make_project(
        tmp_path,
        {
            **GOOD,
            PLANTED_PATH: PLANTED,
            "touchpoints/a-directory.yaml/inner.yaml": inner,
            "responses/a-directory.csv/inner.csv": "touchpoint,dimension,score,date\n"
            "hudle,clarity,4,2026-10-02\n",
        },
    )
    expected = {
        PLANTED_FINDING,
        ("TPM005", "touchpoints/a-directory.yaml/inner.yaml", 5, 9),
        ("TPM005", "responses/a-directory.csv/inner.csv", 2, 1),
    }
    unreadable: dict[str, str] = {}  # path -> the start of its message
    tp, resp = root / "touchpoints", root / "responses"
    try:
        os.symlink("loop.yaml", tp / "loop.yaml")
        os.symlink("pong.yaml", tp / "ping.yaml")
        os.symlink("ping.yaml", tp / "pong.yaml")
        os.symlink("..", tp / "up")  # a directory loop: not followed
        os.symlink("loop.csv", resp / "loop.csv")
    except (OSError, NotImplementedError):  # pragma: no cover - e.g. Windows without rights
        pass
    else:
        for name in ("touchpoints/loop.yaml", "touchpoints/ping.yaml", "touchpoints/pong.yaml"):
            unreadable[name] = "cannot read the file: "
        unreadable["responses/loop.csv"] = "cannot read the file: "
    if hasattr(os, "mkfifo"):
        os.mkfifo(tp / "pipe.yaml")
        os.mkfifo(resp / "pipe.csv")
        not_regular = f"cannot read the file: {fsutil.NOT_REGULAR}"
        unreadable["touchpoints/pipe.yaml"] = not_regular
        unreadable["responses/pipe.csv"] = not_regular
        if Path("/dev/zero").exists():
            # a link leading outside the project is not even opened
            os.symlink("/dev/zero", tp / "zero.yaml")
            os.symlink("/dev/zero", resp / "zero.csv")
            outside = "the file links outside the project (to /dev/zero)"
            unreadable["touchpoints/zero.yaml"] = outside
            unreadable["responses/zero.csv"] = outside
    odd_name = None
    try:
        raw = os.fsencode(tp) + b"/caf\xe9.yaml"
        with open(raw, "wb") as f:
            f.write(b"touchpoints: [7]\n")
        odd_name = "touchpoints/caf\ufffd.yaml"
        expected.add(("TPM002", odd_name, 1, 15))
    except (OSError, UnicodeError):  # pragma: no cover - a file system that wants UTF-8 names
        pass
    expected |= {("TPM001", path, 1, 1) for path in unreadable}
    sarif = ("audit", "--fail-on", "never", "--format", "sarif", "--as-of", AS_OF)
    runs = run_batch(root, [VALIDATE, AUDIT, SCORE, sarif, ("list", "touchpoints")])
    for args in (VALIDATE, AUDIT):
        run = runs[args]
        assert {w for w in run.where() if w[0] <= "TPM006"} == expected, args
        for f in run.findings():
            if f["path"] in unreadable:
                assert f["message"].startswith(unreadable[f["path"]]), f
        assert not [f for f in run.findings() if "/up/" in f["path"]]  # no loop followed
    assert runs[SCORE].code == 0
    assert expected <= stderr_findings(runs[SCORE])
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in json.loads(runs[sarif].out)["runs"][0]["results"]
    }
    if odd_name is not None:
        assert any(uri.startswith("touchpoints/caf") for uri in uris)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_pipe_named_on_the_command_line_is_a_usage_error(tmp_path: Path) -> None:
    """A file named with --responses is the user's own choice: a pipe or a device there is a
    usage error (exit 2, one line), never a hang."""
    root = make_project(tmp_path, GOOD)
    os.mkfifo(tmp_path / "answers.csv")
    for command in (SCORE, AUDIT):
        done = subprocess.run(
            [*TPM, "-C", str(root), *command, "--responses", str(tmp_path / "answers.csv")],
            env=_env(),
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
        assert (done.returncode, done.stdout) == (2, "")
        assert done.stderr == (
            f"tpm: error: --responses {tmp_path / 'answers.csv'}: the file is not a regular file\n"
        )


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions")
def test_an_unreadable_file(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("running as root: file permissions are not enforced, chmod 000 reads fine")
    root = make_project(
        tmp_path,
        {
            **GOOD,
            PLANTED_PATH: PLANTED,
            "touchpoints/locked.yaml": "touchpoints: []\n",
            "responses/locked.csv": "touchpoint,dimension,score,date\n",
        },
    )
    for name in ("touchpoints/locked.yaml", "responses/locked.csv"):
        (root / name).chmod(0)
    try:
        runs = run_batch(root, [VALIDATE, AUDIT, SCORE])
    finally:
        for name in ("touchpoints/locked.yaml", "responses/locked.csv"):
            (root / name).chmod(0o644)
    for args in (VALIDATE, AUDIT):
        run = runs[args]
        assert {w for w in run.where() if w[0] <= "TPM006"} == {
            PLANTED_FINDING,
            ("TPM001", "touchpoints/locked.yaml", 1, 1),
            ("TPM001", "responses/locked.csv", 1, 1),
        }
        for f in run.findings():
            if "locked" in f["path"]:
                assert f["message"].startswith("cannot read the file: ")


# -- interrupted writes ------------------------------------------------------------------------

OLD = "the previous output, which must survive\n"


def output_commands(out: Path) -> dict[str, list[str]]:
    """Each command that writes --output, writing to `out` (schema: into out's directory)."""
    commands = {
        "audit": ["audit", "--format", "json", "--output", str(out), "--as-of", AS_OF],
        "score": ["score", "--format", "json", "--output", str(out), "--as-of", AS_OF],
        "validate": ["validate", "--format", "json", "--output", str(out)],
        "schema": ["schema", "--output", str(out.parent)],
        "report": ["report", "--output", str(out), "--as-of", AS_OF],
        "diagram": ["diagram", "org", "--format", "dot", "--output", str(out), "--as-of", AS_OF],
    }
    from tpm.cli import app

    names = {c.name or getattr(c.callback, "__name__", "") for c in app.registered_commands}
    names |= {g.name for g in app.registered_groups if g.name}
    return {k: v for k, v in commands.items() if k in names}


def targets(name: str, out: Path) -> list[Path]:
    if name == "schema":
        from tpm.jsonschema import FILE_NAMES

        return [out.parent / n for n in FILE_NAMES]
    return [out]


class _Os:
    """The os module as tpm.fsutil sees it, with one function replaced."""

    def __init__(self, **replaced: Callable[..., Any]) -> None:
        self._replaced = replaced

    def __getattr__(self, name: str) -> Any:
        return self._replaced.get(name) or getattr(os, name)


class _HalfWriter:
    """A file that writes half of what it is given, then fails like a full disk."""

    def __init__(self, handle: Any) -> None:
        self._handle = handle

    def write(self, data: bytes) -> int:
        self._handle.write(data[: len(data) // 2])
        self._handle.flush()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)

    def __enter__(self) -> _HalfWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.close()


def _fail_replace(src: Any, dst: Any) -> None:
    raise OSError(errno.EIO, os.strerror(errno.EIO))


def _half_write(fd: int, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
    return _HalfWriter(os.fdopen(fd, mode, *args, **kwargs))


def _interrupt(fd: int) -> None:
    raise KeyboardInterrupt


FAILURES: dict[str, tuple[dict[str, Callable[..., Any]], int, str]] = {
    # how the write fails: (os functions replaced in tpm.fsutil, exit code, stderr)
    "rename fails": ({"replace": _fail_replace}, 2, "tpm: error: cannot write "),
    "disk full midway": ({"fdopen": _half_write}, 2, "tpm: error: cannot write "),
    "interrupted": ({"fsync": _interrupt}, 130, ""),  # Ctrl-C: exit 130, as shells expect
}


@pytest.fixture(scope="module")
def write_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("writes"), {**GOOD, PLANTED_PATH: PLANTED})


@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_a_failed_write_leaves_the_previous_file_and_no_temporary_file(
    run_cli: Callable[..., Result],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    write_project: Path,
    failure: str,
) -> None:
    replaced, exit_code, message = FAILURES[failure]
    out = tmp_path / "out" / "result.txt"
    commands = output_commands(out)
    assert {"audit", "score", "schema", "validate"} <= set(commands)
    for name, args in commands.items():
        shutil.rmtree(out.parent, ignore_errors=True)
        out.parent.mkdir()
        files = targets(name, out)
        for path in files:
            path.write_text(OLD, encoding="utf-8")
        before = checksums(write_project)
        with monkeypatch.context() as patch:
            patch.setattr(fsutil, "os", _Os(**replaced))
            result = run_cli(["-C", write_project, *args])
        assert result.code == exit_code, (name, result)
        assert "Traceback" not in result.err
        assert message in result.err, (name, result.err)
        for path in files:
            assert path.read_text(encoding="utf-8") == OLD, (name, path)
        # tpm's own temporary file is cleaned up on an error
        assert sorted(p.name for p in out.parent.iterdir()) == sorted(p.name for p in files)
        assert checksums(write_project) == before


def test_a_successful_write_replaces_the_previous_file(
    run_cli: Callable[..., Result], tmp_path: Path, write_project: Path
) -> None:
    """The same commands without a failure: the control experiment of the test above."""
    out = tmp_path / "out" / "result.txt"
    for name, args in output_commands(out).items():
        shutil.rmtree(out.parent, ignore_errors=True)
        out.parent.mkdir()
        files = targets(name, out)
        for path in files:
            path.write_text(OLD, encoding="utf-8")
        result = run_cli(["-C", write_project, *args])
        sane(result)
        for path in files:
            assert path.read_text(encoding="utf-8") != OLD, name
        assert sorted(p.name for p in out.parent.iterdir()) == sorted(p.name for p in files)


# The child stops in the middle of the write (after the temporary file is written, before the
# rename) and says so; the test then kills it with SIGKILL.
_STOP_IN_WRITE = """\
import os, sys, time
real_fsync = os.fsync
def fsync(fd):
    real_fsync(fd)
    open(sys.argv[1], "w").close()
    time.sleep(600)
os.fsync = fsync
from tpm.__main__ import main
sys.exit(main(sys.argv[2:]))
"""


def _leftovers(directory: Path, target: Path) -> list[str]:
    """Files beside `target` other than tpm's own temporary files (.NAME.*.tmp)."""
    own = re.compile(re.escape(f".{target.name}.") + r".+\.tmp\Z")
    return sorted(p.name for p in directory.iterdir() if p != target and not own.match(p.name))


@pytest.fixture(scope="module")
def large_output_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project whose audit json is a few megabytes: 1,500 unowned, unused touchpoints."""
    lines = ["touchpoints:"]
    for i in range(1500):
        lines += [
            f"  - id: t-{i:04d}",
            f"    name: Touchpoint {i} with a name long enough to make the output large",
            "    from: sales",
            "    to: [it, service]",
        ]
    return make_project(
        tmp_path_factory.mktemp("large"), {**GOOD, "touchpoints/many.yaml": "\n".join(lines)}
    )


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX")
def test_sigkill_during_the_write_leaves_the_old_file(
    tmp_path: Path, large_output_project: Path
) -> None:
    out = tmp_path / "out" / "audit.json"
    out.parent.mkdir()
    out.write_text(OLD, encoding="utf-8")
    ready = tmp_path / "in-the-write"
    before = checksums(large_output_project)
    args = ["-C", str(large_output_project), *AUDIT[:-2], "--output", str(out), *AUDIT[-2:]]
    child = subprocess.Popen(
        [sys.executable, "-c", _STOP_IN_WRITE, str(ready), *args],
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + TIMEOUT
        while not ready.exists():
            assert child.poll() is None, "tpm ended before it wrote"
            assert time.monotonic() < deadline, "tpm never reached the write"
            time.sleep(0.01)
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.wait(TIMEOUT)
    assert out.read_text(encoding="utf-8") == OLD
    # a killed process cannot clean up: only its own temporary file may be left
    assert _leftovers(out.parent, out) == []
    tmp_files = [p for p in out.parent.iterdir() if p != out]
    assert len(tmp_files) == 1 and tmp_files[0].name.endswith(".tmp")
    # the next run writes the complete file
    sane(tpm(large_output_project, *AUDIT[:-2], "--output", str(out), *AUDIT[-2:]))
    document = json.loads(out.read_text(encoding="utf-8"))
    assert len(document["findings"]) > 1500
    assert checksums(large_output_project) == before


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX")
def test_sigkill_while_a_large_output_is_written_never_leaves_a_part(
    tmp_path: Path, large_output_project: Path
) -> None:
    """No help from inside: kill the real process as soon as its temporary file appears (the
    moment it starts writing). The target is then the old file or the whole new one."""
    out = tmp_path / "out" / "audit.json"
    out.parent.mkdir()
    complete = tmp_path / "complete.json"
    sane(tpm(large_output_project, *AUDIT[:-2], "--output", str(complete), *AUDIT[-2:]))
    new = complete.read_text(encoding="utf-8")
    assert len(new) > 1_000_000
    outcomes = set()
    for attempt in range(3):
        out.write_text(OLD, encoding="utf-8")
        for p in out.parent.iterdir():
            if p != out:
                p.unlink()
        child = subprocess.Popen(
            [*TPM, "-C", str(large_output_project), *AUDIT[:-2], "--output", str(out), *AUDIT[-2:]],
            env=_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + TIMEOUT
            while child.poll() is None and time.monotonic() < deadline:
                # the moment tpm starts writing: a file appears beside the target, or the
                # target itself changes (as it would if tpm wrote it in place)
                if len(list(out.parent.iterdir())) > 1 or out.stat().st_size != len(OLD):
                    break
                time.sleep(0.001)
            child.send_signal(signal.SIGKILL)
        finally:
            child.kill()
            child.wait(TIMEOUT)
        content = out.read_text(encoding="utf-8")
        assert content in (OLD, new), f"attempt {attempt}: a partial file of {len(content)} chars"
        outcomes.add("old" if content == OLD else "new")
        assert _leftovers(out.parent, out) == []
    assert outcomes  # which of the two is chance; a part of one is never allowed


# -- both parsers ------------------------------------------------------------------------------


YAML_CORPUS = [f"{d}/{n}" for d in ("touchpoints", "journeys", "config") for n in corpus(d)]


@pytest.mark.parametrize("name", YAML_CORPUS)
def test_both_parsers_read_the_corpus_alike(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """The pure-Python parser (PyYAML without libyaml) reads each corpus file as libyaml does:
    the same data, the same findings at the same places (tabs inside a line included)."""
    from tpm import yamlsource

    if not yamlsource.HAVE_LIBYAML:  # pragma: no cover - depends on how PyYAML was built
        pytest.skip("PyYAML without libyaml: nothing to compare with")
    read = {}
    for parser in ("libyaml", "python"):
        with monkeypatch.context() as patch:
            if parser == "python":
                patch.setattr(yamlsource, "_Loader", yamlsource._PureLoader)
            source = yamlsource.load_yaml(HOSTILE / name, name)
        findings = [(f.code, f.line, f.column, _wording(f.message)) for f in source.findings]
        read[parser] = (source.ok, repr(source.data), findings)
    assert read["python"] == read["libyaml"]


def _wording(message: str) -> str:
    """A message, but of a syntax error only what tpm adds: the parsers word theirs apart."""
    if not message.startswith("invalid YAML: "):
        return message
    return "invalid YAML" + (
        ": a tab cannot indent YAML" if "a tab cannot indent" in message else ""
    )


# -- helpers of this module ----------------------------------------------------------------


def test_markers_are_read_from_the_corpus() -> None:
    """The expectations of the corpus are what this module asserts: make sure they are read
    (a marker that does not parse would make a file's test vacuous)."""
    counted = 0
    for folder in ("touchpoints", "journeys", "config"):
        for name in corpus(folder):
            text = (HOSTILE / folder / name).read_bytes().decode("utf-8", "replace")
            written = text.count("#! TPM")
            found = markers(HOSTILE / folder / name, "x")
            assert len(found) == written, name
            counted += written
            valid = name in ("empty.yaml", "only-comment.yaml")
            if not valid and f"{folder}/{name}" not in NOT_MARKED:
                assert found, f"{folder}/{name} expects nothing"
    assert counted > 100
    assert markers(HOSTILE / "touchpoints" / "crlf.yaml", "x")[0].line == 6
    assert [e.line for e in markers(HOSTILE / "touchpoints" / "cr-only.yaml", "x")] == [6, 7]
