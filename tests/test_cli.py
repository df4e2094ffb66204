"""The commands as a user runs them (README.md, docs/ci.md): validate, list, show, schema, init,
usage errors, --version, and the acceptance project holding every kind of broken input."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import (
    FIXTURES,
    GOOD,
    GOOD_CONFIG,
    GOOD_JOURNEYS,
    GOOD_TOUCHPOINTS,
    MUTATIONS,
    ROOT,
    Result,
    make_project,
    mutate,
    pos,
    write_files,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tpm import __version__

Run = Callable[..., Result]
ACCEPTANCE = FIXTURES / "acceptance"
FINDING_KEYS = ["code", "name", "severity", "message", "path", "line", "column", "subject"]


def no_traceback(result: Result) -> None:
    for text in (result.out, result.err):
        assert "Traceback" not in text
        assert "internal error" not in text


def one_line_error(result: Result) -> str:
    """A usage error: exit 2, nothing on stdout, one line on stderr starting 'tpm: error:'."""
    assert result.code == 2, result
    assert result.out == ""
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("tpm: error: ")
    return lines[0]


@pytest.fixture
def good(tmp_path: Path) -> Path:
    return make_project(tmp_path, GOOD)


# -- validate ------------------------------------------------------------------------------


def test_validate_a_clean_project(run_cli: Run, good: Path) -> None:
    result = run_cli(["-C", good, "validate"])
    assert result.code == 0
    assert result.out == "No problems found in 3 files.\n"
    no_traceback(result)


def test_validate_json_on_a_clean_project(run_cli: Run, good: Path) -> None:
    result = run_cli(["-C", good, "validate", "--format", "json"])
    assert result.code == 0
    assert json.loads(result.out) == {
        "version": 1,
        "findings": [],
        "summary": {"error": 0, "warning": 0, "info": 0},
    }


def test_validate_exits_1_on_an_error(run_cli: Run, tmp_path: Path) -> None:
    touchpoints = GOOD_TOUCHPOINTS.replace("    owner: sam\n", "    owner: nobody\n", 1)
    root = make_project(tmp_path, {**GOOD, "touchpoints/main.yaml": touchpoints})
    line, column = pos(touchpoints, "nobody")
    result = run_cli(["-C", root, "validate"])
    assert result.code == 1
    assert result.out.splitlines()[0] == (
        f"touchpoints/main.yaml:{line}:{column}: error TPM005 owner 'nobody' names no person "
        "[unknown-reference]"
    )
    assert "Found 1 error in 3 files." in result.out
    json_result = run_cli(["-C", root, "validate", "-f", "json"])
    assert json_result.code == 1
    document = json.loads(json_result.out)
    assert document["summary"] == {"error": 1, "warning": 0, "info": 0}
    assert document["findings"] == [
        {
            "code": "TPM005",
            "name": "unknown-reference",
            "severity": "error",
            "message": "owner 'nobody' names no person",
            "path": "touchpoints/main.yaml",
            "line": line,
            "column": column,
            "subject": "huddle",
        }
    ]


def test_validate_does_not_run_the_audit(run_cli: Run, tmp_path: Path) -> None:
    # a journey without owner is an audit error (TPM010), not a validate one
    journeys = GOOD_JOURNEYS.replace("    owner: anna\n", "")
    root = make_project(tmp_path, {**GOOD, "journeys/main.yaml": journeys})
    result = run_cli(["-C", root, "validate"])
    assert (result.code, result.out) == (0, "No problems found in 3 files.\n")


# (the edit to GOOD_TOUCHPOINTS, the text at which the parser stops, what to do)
YAML_MISTAKES = {
    "colon-in-value": (
        ("    name: Daily huddle\n", "    name: Daily huddle: 9:00\n"),
        ": 9:00",
        'put the value in quotes, such as name: "Daily huddle: 9:00"',
    ),
    "key-indented-too-far": (
        ("    from: service-agents\n", "      from: service-agents\n"),
        ": service-agents",
        "indented further than the keys above it",
    ),
    "missing-dash": (
        ("  - id: board-slot\n", "  id: board-slot\n"),
        "id: board-slot",
        "start a new item with '- '",
    ),
    "quote-left-open": (
        ("    name: IT service standard\n", '    name: "IT service standard\n'),
        '"IT service standard',
        "the quote opened here is never closed",
    ),
}


@pytest.mark.parametrize("mistake", sorted(YAML_MISTAKES))
def test_a_yaml_syntax_error_comes_first_and_says_what_to_do(
    run_cli: Run, tmp_path: Path, mistake: str
) -> None:
    """The unreadable file is the root cause of the TPM005 in journeys/ (sorted by path, they
    came first): it is printed first, in words that say what to change, at the place to edit."""
    (old, new), stop, advice = YAML_MISTAKES[mistake]
    assert old in GOOD_TOUCHPOINTS
    touchpoints = GOOD_TOUCHPOINTS.replace(old, new)
    root = make_project(tmp_path, {**GOOD, "touchpoints/main.yaml": touchpoints})
    result = run_cli(["-C", root, "validate"])
    assert result.code == 1
    lines = result.out.splitlines()
    line, column = pos(touchpoints, stop)
    assert lines[0].startswith(f"touchpoints/main.yaml:{line}:{column}: error TPM001 "), lines[0]
    assert advice in lines[0]
    assert lines[0].endswith("[yaml-syntax]")
    assert "TPM005" in lines[1]  # the journeys' references into the unreadable file follow


@pytest.mark.parametrize(
    ("name", "old", "new", "hint"),
    [
        (  # a person's name where the id belongs: the slug it would be
            "touchpoints/main.yaml",
            "    owner: sam\n",
            "    owner: Sam Patel\n",
            "owner 'Sam Patel' is not a valid id: use 1 to 64 lowercase letters, digits, '.', "
            "'_' or '-', starting with a letter or digit, such as 'sam-patel'",
        ),
        (  # steps as a [ ] list of ids: what a step looks like
            "journeys/main.yaml",
            "    steps:\n      - touchpoint: huddle\n      - touchpoint: board-slot\n",
            "    steps: [huddle, board-slot]\n",
            "steps should be a mapping, not 'huddle': a step names its touchpoint, "
            "'- touchpoint: huddle'",
        ),
        (  # a '- ' inside [ ]
            "journeys/main.yaml",
            "    steps:\n      - touchpoint: huddle\n      - touchpoint: board-slot\n",
            "    steps: [- huddle]\n",
            "invalid YAML: a '- ' inside [ ]: items of a [ ] list are separated by ','",
        ),
    ],
)
def test_schema_mistakes_say_what_to_write(
    run_cli: Run, tmp_path: Path, name: str, old: str, new: str, hint: str
) -> None:
    assert old in GOOD[name]
    root = make_project(tmp_path, {**GOOD, name: GOOD[name].replace(old, new)})
    result = run_cli(["-C", root, "validate"])
    assert result.code == 1
    assert hint in result.out.splitlines()[0]


def test_validate_output_file(run_cli: Run, good: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "findings.json"
    result = run_cli(["-C", good, "validate", "-f", "json", "--output", target])
    assert result.code == 0 and result.out == ""
    assert json.loads(target.read_text())["version"] == 1


def test_the_example_organisation_validates(run_cli: Run) -> None:
    result = run_cli(["-C", ROOT, "validate"])
    assert result.code == 0, result.out
    assert result.out.startswith("No problems found in ")
    no_traceback(result)


# -- the acceptance project ----------------------------------------------------------------

# Every kind of broken input, each at its exact place (paths relative to the project root):
# the files that could not be read first (the root causes), then by place.
ACCEPTANCE_FINDINGS = [
    ("touchpoints/d-syntax.yaml", 3, 17, "TPM001"),  # syntax error
    ("touchpoints/e-latin1.yaml", 3, 14, "TPM001"),  # not UTF-8
    ("touchpoints/f-bomb.yaml", 6, 7, "TPM001"),  # alias bomb
    ("journeys/a-steps.yaml", 7, 21, "TPM005"),  # unknown touchpoint
    ("journeys/b-list.yaml", 1, 1, "TPM002"),  # a top-level list instead of a mapping
    ("responses/x.csv", 3, 1, "TPM002"),  # score off the scale
    ("responses/x.csv", 4, 1, "TPM005"),  # unknown touchpoint
    ("responses/x.csv", 5, 1, "TPM002"),  # unknown dimension
    ("responses/x.csv", 6, 1, "TPM002"),  # impossible date
    ("responses/x.csv", 7, 1, "TPM002"),  # missing score
    ("responses/x.csv", 8, 1, "TPM005"),  # unknown unit
    ("touchpoints/a-references.yaml", 7, 9, "TPM004"),  # the same id in two files
    ("touchpoints/a-references.yaml", 10, 9, "TPM005"),  # unknown unit
    ("touchpoints/a-references.yaml", 11, 12, "TPM005"),  # unknown owner
    ("touchpoints/a-references.yaml", 12, 14, "TPM002"),  # bad cadence
    ("touchpoints/a-references.yaml", 13, 20, "TPM002"),  # impossible date
    ("touchpoints/a-references.yaml", 14, 5, "TPM002"),  # unknown key
    ("touchpoints/b-duplicate-key.yaml", 3, 5, "TPM003"),  # duplicate key, first place
    ("touchpoints/b-duplicate-key.yaml", 6, 5, "TPM003"),  # and second place
    ("touchpoints/c-duplicate-id.yaml", 2, 9, "TPM004"),  # the same id in two files
    ("touchpoints/z-last.yaml", 7, 5, "TPM002"),  # unknown key, in the file read last
    ("tpm.yaml", 10, 13, "TPM006"),  # a unit cycle
    ("tpm.yaml", 20, 17, "TPM002"),  # a suppression without a reason
]


def test_acceptance_project_json(run_cli: Run, tmp_path: Path) -> None:
    result = run_cli(["-C", ACCEPTANCE, "validate", "--format", "json"], cwd=tmp_path)
    no_traceback(result)
    assert result.code == 1
    assert result.err == ""
    document = json.loads(result.out)
    assert list(document) == ["version", "findings", "summary"]
    assert document["version"] == 1
    findings = document["findings"]
    assert [(f["path"], f["line"], f["column"], f["code"]) for f in findings] == (
        ACCEPTANCE_FINDINGS
    )
    for f in findings:
        assert list(f) == FINDING_KEYS
        assert f["severity"] == "error"
    assert document["summary"] == {"error": len(ACCEPTANCE_FINDINGS), "warning": 0, "info": 0}
    by_place = {(f["path"], f["line"]): f for f in findings}
    assert by_place[("touchpoints/a-references.yaml", 12)]["message"] == (
        "cadence 'every other week' is not a cadence: use one of once, daily, weekly, "
        "biweekly, monthly, quarterly, yearly, on-demand or an ISO duration such as P2W"
    )
    assert "save it as UTF-8" in by_place[("touchpoints/e-latin1.yaml", 3)]["message"]
    assert "100,000 nodes" in by_place[("touchpoints/f-bomb.yaml", 6)]["message"]
    assert "not a real date" in by_place[("touchpoints/a-references.yaml", 13)]["message"]
    assert by_place[("tpm.yaml", 10)]["message"] == (
        "unit 'loop-a' is its own ancestor: loop-a → loop-b → loop-a"
    )
    assert by_place[("touchpoints/a-references.yaml", 14)]["subject"] == "report"
    assert by_place[("touchpoints/f-bomb.yaml", 6)]["subject"] is None


def test_acceptance_project_text_from_its_parent_directory(run_cli: Run) -> None:
    result = run_cli(["-C", "acceptance", "validate"], cwd=FIXTURES)
    no_traceback(result)
    assert result.code == 1
    lines = result.out.splitlines()
    located = [line.split(": ", 1)[0] for line in lines[: len(ACCEPTANCE_FINDINGS)]]
    assert located == [
        f"acceptance/{path}:{line}:{column}" for path, line, column, _ in ACCEPTANCE_FINDINGS
    ]
    for line, (_, _, _, code) in zip(lines, ACCEPTANCE_FINDINGS, strict=False):
        assert f": error {code} " in line
    assert f"Found {len(ACCEPTANCE_FINDINGS)} errors in 11 files." in result.out
    assert "  TPM001 yaml-syntax" in result.out


def test_acceptance_project_from_inside(run_cli: Run) -> None:
    result = run_cli(["validate"], cwd=ACCEPTANCE / "touchpoints")
    assert result.code == 1
    assert result.out.startswith("touchpoints/d-syntax.yaml:3:17: error TPM001 ")  # root cause


def test_other_commands_carry_on_over_broken_files(run_cli: Run) -> None:
    result = run_cli(["-C", ACCEPTANCE, "list", "touchpoints", "-f", "json"])
    no_traceback(result)
    assert result.code == 0
    # every item is listed: 'report' (an impossible date) and 'last' (a bad cadence) without
    # the field that failed, which validate reports
    rows = {row["id"]: row for row in json.loads(result.out)}
    assert list(rows) == ["town-hall", "report", "huddle", "last"]
    assert rows["last"]["cadence"] is None
    assert "tpm.yaml:10:13: error TPM006" in result.err


# -- list ----------------------------------------------------------------------------------


def list_json(run_cli: Run, root: Path, *args: str) -> list[dict[str, object]]:
    result = run_cli(["-C", root, "list", *args, "--format", "json"])
    assert result.code == 0, result
    rows = json.loads(result.out)
    assert isinstance(rows, list)
    return rows


def ids(rows: list[dict[str, object]]) -> list[object]:
    return [row["id"] for row in rows]


def test_list_each_kind_as_json(run_cli: Run, good: Path) -> None:
    units = list_json(run_cli, good, "units")
    assert units[2] == {
        "id": "service-agents",
        "name": "Service agents",
        "level": 2,
        "silo": "service",
        "parent": "service",
        "customer_facing": True,
    }
    assert ids(units) == ["board", "service", "service-agents", "sales", "it"]
    people = list_json(run_cli, good, "people")
    assert people[2] == {
        "id": "kim",
        "name": "Kim Weber",
        "unit": "sales",
        "role": None,
        "active": False,
    }
    touchpoints = list_json(run_cli, good, "touchpoints")
    assert touchpoints[0]["to"] == "all"
    assert touchpoints[2] == {
        "id": "board-slot",
        "name": "Best-practice slot",
        "from": ["service", "sales"],
        "to": ["board"],
        "direction": "one-way",
        "cadence": "monthly",
        "owner": "anna",
    }
    journeys = list_json(run_cli, good, "journeys")
    assert journeys == [
        {
            "id": "idea",
            "name": "Idea to board",
            "owner": "anna",
            "co_owners": [],
            "steps": 2,
            "silos": ["service", "sales"],
        },
        {
            "id": "outage",
            "name": "Tool outage",
            "owner": "sam",
            "co_owners": ["kim"],
            "steps": 2,
            "silos": ["it", "service"],
        },
    ]


@pytest.mark.parametrize("kind", ["units", "people", "touchpoints", "journeys"])
def test_list_each_kind_as_a_table(run_cli: Run, good: Path, kind: str) -> None:
    result = run_cli(["-C", good, "list", kind])
    assert result.code == 0
    no_traceback(result)
    assert f"{kind.capitalize()} of Test AG" in result.out
    expected = {"units": 5, "people": 3, "touchpoints": 4, "journeys": 2}[kind]
    assert result.out.rstrip().endswith(f"{expected} {kind}")
    for ident in ids(list_json(run_cli, good, kind)):
        assert str(ident) in result.out
    assert "\x1b[" not in result.out  # no colour when stdout is not a terminal


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["touchpoints", "--owner", "sam"], ["huddle", "it-standard"]),
        (["touchpoints", "--owner", "kim"], []),
        (["journeys", "--owner", "anna"], ["idea"]),
        (["journeys", "--owner", "kim"], ["outage"]),  # a co-owner
        (["units", "--silo", "service"], ["service", "service-agents"]),
        (["people", "--silo", "service"], ["sam"]),
        (["people", "--silo", "sales"], ["kim"]),
        (["touchpoints", "--silo", "sales"], ["board-slot"]),
        (["touchpoints", "--silo", "service"], ["huddle", "board-slot", "it-standard"]),
        (["journeys", "--silo", "it"], ["outage"]),
        (["journeys", "--silo", "sales"], ["idea"]),
        (["touchpoints", "--owner", "sam", "--silo", "it"], ["it-standard"]),
    ],
)
def test_list_filters(run_cli: Run, good: Path, args: list[str], expected: list[str]) -> None:
    assert ids(list_json(run_cli, good, *args)) == expected


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["units", "--silo", "nowhere"], "tpm: error: --silo 'nowhere' names no silo"),
        (
            ["units", "--silo", "servce"],
            "tpm: error: --silo 'servce' names no silo (did you mean 'service'?)",
        ),
        (["units", "--silo", "board"], "tpm: error: --silo 'board' names no silo"),
        (
            ["touchpoints", "--owner", "ana"],
            "tpm: error: --owner 'ana' names no person (did you mean 'anna'?)",
        ),
        (["units", "--owner", "anna"], "tpm: error: --owner applies to touchpoints and journeys"),
    ],
)
def test_list_usage_errors(run_cli: Run, good: Path, args: list[str], message: str) -> None:
    assert one_line_error(run_cli(["-C", good, "list", *args])) == message


def test_list_an_unknown_kind(run_cli: Run, good: Path) -> None:
    line = one_line_error(run_cli(["-C", good, "list", "teams"]))
    assert "teams" in line


# -- show ----------------------------------------------------------------------------------


def show_json(run_cli: Run, root: Path, ident: str) -> dict[str, object]:
    result = run_cli(["-C", root, "show", ident, "--format", "json"])
    assert result.code == 0, result
    info = json.loads(result.out)
    assert isinstance(info, dict)
    return info


def test_show_a_unit(run_cli: Run, good: Path) -> None:
    info = show_json(run_cli, good, "service")
    line, column = pos(GOOD_CONFIG, "service\n")
    assert info["kind"] == "unit"
    assert info["defined_at"] == f"tpm.yaml:{line}:{column}"
    assert info["fields"] == {"id": "service", "name": "Service"}
    related = info["related"]
    assert isinstance(related, dict)
    assert (related["level"], related["silo"]) == (1, "service")
    assert related["children"] == ["service-agents"]
    assert related["people"] == ["sam"]
    assert sorted(map(tuple, (e.values() for e in related["edges_out"]))) == [
        ("board-slot", "board"),
        ("huddle", "service-agents"),
    ]
    assert sorted(map(tuple, (e.values() for e in related["edges_in"]))) == [
        ("huddle", "service-agents"),
        ("it-standard", "it"),
    ]
    assert related["broadcasts_received"] == ["all-hands"]
    assert related["hops_to_top_management"] == 1
    assert related["journeys"] == ["idea", "outage"]


def test_show_a_person(run_cli: Run, good: Path) -> None:
    info = show_json(run_cli, good, "sam")
    assert info["kind"] == "person"
    related = info["related"]
    assert isinstance(related, dict)
    assert related["owns_touchpoints"] == ["huddle", "it-standard"]
    assert related["owns_journeys"] == ["outage"]
    assert related["covers_silos"] == ["service"]
    # a person at level 0 covers every silo
    assert show_json(run_cli, good, "anna")["related"]["covers_silos"] == ["service", "sales", "it"]  # type: ignore[index]
    assert show_json(run_cli, good, "kim")["related"]["co_owns_journeys"] == ["outage"]  # type: ignore[index]


def test_show_a_touchpoint(run_cli: Run, good: Path) -> None:
    info = show_json(run_cli, good, "board-slot")
    line, column = pos(GOOD_TOUCHPOINTS, "board-slot")
    assert info["defined_at"] == f"touchpoints/main.yaml:{line}:{column}"
    assert info["fields"]["from"] == ["service", "sales"]  # type: ignore[index]
    assert info["related"] == {
        "units": ["service", "sales", "board"],
        "broadcast": False,
        "journeys": ["idea"],
    }
    assert show_json(run_cli, good, "all-hands")["related"] == {
        "units": ["board"],
        "broadcast": True,
        "journeys": ["outage"],
    }


def test_show_a_journey(run_cli: Run, good: Path) -> None:
    info = show_json(run_cli, good, "idea")
    assert info["defined_at"] == "journeys/main.yaml:2:9"
    assert info["related"] == {
        "units": ["service-agents", "service", "sales", "board"],
        "silos": ["service", "sales"],
        "handoffs": [],
    }
    outage = show_json(run_cli, good, "outage")
    assert outage["related"]["handoffs"] == []  # type: ignore[index]


def test_show_handoffs(run_cli: Run, tmp_path: Path) -> None:
    journeys = GOOD_JOURNEYS.replace(
        "      - touchpoint: board-slot\n",
        "      - touchpoint: board-slot\n      - touchpoint: it-standard\n",
    )
    root = make_project(tmp_path, {**GOOD, "journeys/main.yaml": journeys})
    info = show_json(run_cli, root, "idea")
    assert info["related"]["handoffs"] == [  # type: ignore[index]
        {"step": 3, "touchpoint": "it-standard", "from_silo": "service", "to_silo": "it"}
    ]


@pytest.mark.parametrize("ident", ["service", "sam", "huddle", "idea"])
def test_show_as_text(run_cli: Run, good: Path, ident: str) -> None:
    result = run_cli(["-C", good, "show", ident])
    assert result.code == 0
    no_traceback(result)
    info = show_json(run_cli, good, ident)
    first = result.out.splitlines()[0]
    assert first.split() == [ident, str(info["kind"]), "defined", "at", str(info["defined_at"])]


def test_show_an_item_with_schema_errors(run_cli: Run, tmp_path: Path) -> None:
    touchpoints = GOOD_TOUCHPOINTS.replace("    cadence: daily\n", "    cadence: sometimes\n")
    root = make_project(tmp_path, {**GOOD, "touchpoints/main.yaml": touchpoints})
    result = run_cli(["-C", root, "show", "huddle"])
    assert result.code == 0
    assert "(has schema errors)" in result.out.splitlines()[0]
    assert "TPM002" in result.out


def test_show_an_unknown_id(run_cli: Run, good: Path) -> None:
    line = one_line_error(run_cli(["-C", good, "show", "hudle"]))
    assert line == (
        "tpm: error: no unit, person, touchpoint or journey has the id 'hudle' "
        "(did you mean 'huddle'?)"
    )
    line = one_line_error(run_cli(["-C", good, "show", "zzz"]))
    assert line == "tpm: error: no unit, person, touchpoint or journey has the id 'zzz'"


# -- schema --------------------------------------------------------------------------------


def test_schema_output_writes_four_files(run_cli: Run, tmp_path: Path) -> None:
    target = tmp_path / "schemas" / "deeper"
    result = run_cli(["schema", "--output", target])
    assert result.code == 0, result
    files = sorted(p.name for p in target.iterdir())
    assert len(files) == 4
    for name in files:
        schema = json.loads((target / name).read_text())
        assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
        assert schema["$id"]
    assert len(result.err.splitlines()) == 4


def test_schema_to_stdout(run_cli: Run) -> None:
    result = run_cli(["schema"])
    assert result.code == 0
    assert len(json.loads(result.out)) == 4


def test_schema_output_that_cannot_be_written(run_cli: Run, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    line = one_line_error(run_cli(["schema", "--output", blocker / "sub"]))
    assert "cannot write" in line


# -- init ----------------------------------------------------------------------------------


def test_init_then_validate(run_cli: Run, tmp_path: Path) -> None:
    target = tmp_path / "new-org"
    result = run_cli(["init", target])
    assert result.code == 0, result
    assert (target / "tpm.yaml").is_file()
    assert list((target / "touchpoints").glob("*.yaml"))
    assert list((target / "journeys").glob("*.yaml"))
    assert "created" in result.err
    validated = run_cli(["-C", target, "validate"])
    assert validated.code == 0, validated.out
    assert validated.out.startswith("No problems found")


def test_init_never_overwrites(run_cli: Run, tmp_path: Path) -> None:
    target = tmp_path / "org"
    assert run_cli(["init", target]).code == 0
    files = sorted(p for p in target.rglob("*") if p.is_file())
    (target / "tpm.yaml").write_text("organisation: Mine\nunits: []\n")
    (target / ".pre-commit-config.yaml").unlink()
    before = {p: p.read_bytes() for p in files if p.exists()}
    again = run_cli(["init", target])
    assert again.code == 0
    for path, content in before.items():
        assert path.read_bytes() == content, path
    assert (target / ".pre-commit-config.yaml").is_file()  # a missing file is added
    assert (target / "tpm.yaml").read_text() == "organisation: Mine\nunits: []\n"
    assert "kept" in again.err and "tpm.yaml" in again.err


def test_init_on_an_existing_project_adds_no_sample_items(run_cli: Run, tmp_path: Path) -> None:
    """A project of its own (tpm.yaml, touchpoints/main.yaml): init adds the CI files it lacks
    and not the sample touchpoints and journeys, which name units the project does not have."""
    root = make_project(tmp_path, GOOD)
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    result = run_cli(["init", root])
    assert result.code == 0, result
    after = {p for p in root.rglob("*") if p.is_file()}
    assert {p.relative_to(root).as_posix() for p in after - set(before)} == {
        ".github/workflows/tpm.yml",
        ".pre-commit-config.yaml",
    }
    for path, content in before.items():
        assert path.read_bytes() == content, path
    assert "a project already" in result.err
    assert "never the sample touchpoints and journeys" in result.err
    assert f"created {root.as_posix()}/.pre-commit-config.yaml" in result.err
    validated = run_cli(["-C", root, "validate"])
    assert (validated.code, validated.out.splitlines()[0]) == (0, "No problems found in 3 files.")
    again = run_cli(["init", root])
    assert "nothing to add" in again.err


def test_init_in_the_current_directory(run_cli: Run, tmp_path: Path) -> None:
    result = run_cli(["init"], cwd=tmp_path)
    assert result.code == 0
    assert (tmp_path / "tpm.yaml").is_file()
    assert run_cli(["validate"], cwd=tmp_path).code == 0


# -- usage errors and --version -----------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--bogus"], "--bogus"),
        (["validate", "--bogus"], "--bogus"),
        (["frobnicate"], "frobnicate"),
        (["validate", "--format", "xml"], "xml"),
    ],
)
def test_usage_errors_are_one_line(run_cli: Run, good: Path, args: list[str], needle: str) -> None:
    line = one_line_error(run_cli(["-C", good, *args]))
    assert needle in line


def test_no_project_is_a_usage_error(run_cli: Run, tmp_path: Path) -> None:
    if any((d / "tpm.yaml").exists() for d in (tmp_path, *tmp_path.parents)):
        pytest.skip("a tpm.yaml above the temporary directory")
    line = one_line_error(run_cli(["validate"], cwd=tmp_path))
    assert "no tpm.yaml in" in line
    line = one_line_error(run_cli(["-C", tmp_path / "missing", "validate"]))
    assert "no such directory" in line


def test_a_subdirectory_of_a_project_names_the_project(run_cli: Run, tmp_path: Path) -> None:
    """`-C proj/touchpoints` is no project, but `tpm init proj/touchpoints` would nest a second
    one inside it: the error names the project that holds it instead."""
    make_project(tmp_path, GOOD)
    line = one_line_error(run_cli(["-C", "proj/touchpoints", "validate"], cwd=tmp_path))
    assert line == (
        "tpm: error: no tpm.yaml in proj/touchpoints: it is inside the project proj (use -C proj)"
    )
    assert "tpm init" not in line


COMMANDS = [
    ["validate"], ["audit"], ["diff"], ["rules"], ["score"], ["list"], ["show"], ["schema"],
    ["init"], ["report"], ["diagram", "org"], ["diagram", "journey"],
]  # fmt: skip


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_help_says_what_to_write_not_python_types(command: list[str]) -> None:
    """`--help` in a real process: no `<bool>` on a flag, no `<list[Path]>` or `<str>`, and an
    optional argument in one pair of brackets (`[CODE]`, not `[[CODE]]`)."""
    env = {**{k: v for k, v in os.environ.items() if k != "TPM_DEBUG"}, "COLUMNS": "100"}
    done = subprocess.run(
        [sys.executable, "-m", "tpm", *command, "--help"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert "Usage: tpm " + " ".join(command) in text
    for python_type in ("<bool>", "<str>", "<path>", "<int>", "list[", "[[", "]]"):
        assert python_type not in text, (python_type, text)


def test_version(run_cli: Run) -> None:
    result = run_cli(["--version"])
    assert (result.code, result.out, result.err) == (0, f"tpm {__version__}\n", "")


def test_no_arguments_prints_help(run_cli: Run) -> None:
    result = run_cli([])
    assert result.code in (0, 2)
    assert "validate" in result.out and "Usage" in result.out


# -- a real process ------------------------------------------------------------------------


def tpm_process(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "TPM_DEBUG"}
    script = Path(sys.executable).with_name("tpm")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "tpm"]
    return subprocess.run(
        [*command, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    "args",
    [["--bogus"], ["frobnicate"], ["validate"], ["list", "units", "--silo", "nowhere"]],
)
def test_usage_errors_in_a_real_process(tmp_path: Path, args: list[str]) -> None:
    if any((d / "tpm.yaml").exists() for d in (tmp_path, *tmp_path.parents)):
        pytest.skip("a tpm.yaml above the temporary directory")
    if args[0] == "list":
        make_project(tmp_path, GOOD)
        cwd = tmp_path / "proj"
    else:
        cwd = tmp_path
    done = tpm_process(*args, cwd=cwd)
    assert done.returncode == 2
    assert done.stdout == ""
    assert len(done.stderr.splitlines()) == 1
    assert done.stderr.startswith("tpm: error: ")
    assert "Traceback" not in done.stderr


def test_validate_in_a_real_process(tmp_path: Path) -> None:
    shutil.copytree(ACCEPTANCE, tmp_path / "acceptance")
    done = tpm_process("-C", "acceptance", "validate", "--format", "json", cwd=tmp_path)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    paths = {f["path"] for f in json.loads(done.stdout)["findings"]}
    assert "acceptance/touchpoints/f-bomb.yaml" in paths


def test_python_m_tpm_version(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tpm", "--version"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, f"tpm {__version__}\n", "")


HEAVY = ("typer", "click", "rich", "networkx", "pydantic", "graphviz", "jinja2", "yaml")


def test_version_imports_nothing_heavy(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from tpm.__main__ import main\n"
        "code = main(['--version'])\n"
        f"heavy = sorted(m for m in {HEAVY!r} if m in sys.modules)\n"
        "print(code, heavy)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "0 []"


def test_python_m_tpm_version_imports_nothing_heavy(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "tpm", "--version"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0
    imported = {
        line.split("|")[-1].strip().split(".")[0]
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    assert "tpm" in imported  # the check reads the import log it thinks it reads
    assert not imported & set(HEAVY), imported & set(HEAVY)


def test_show_text_draws_edges_steps_and_handoffs(run_cli: Run, tmp_path: Path) -> None:
    journeys = GOOD_JOURNEYS.replace(
        "      - touchpoint: board-slot\n",
        "      - touchpoint: board-slot\n        stage: Board\n        critical: true\n"
        "      - touchpoint: it-standard\n",
    )
    root = make_project(tmp_path, {**GOOD, "journeys/main.yaml": journeys})
    unit = run_cli(["-C", root, "show", "service"]).out
    assert "board-slot → board" in unit and "it-standard ← it" in unit
    journey = " ".join(run_cli(["-C", root, "show", "idea"]).out.split())
    assert "1. huddle, 2. board-slot (Board) critical, 3. it-standard" in journey
    assert "step 3 it-standard: service → it" in journey


def test_init_into_a_file_is_a_usage_error(run_cli: Run, tmp_path: Path) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    line = one_line_error(run_cli(["init", blocker]))
    assert line == f"tpm: error: cannot create the project in {blocker}: Not a directory"
    line = one_line_error(run_cli(["init", blocker / "sub"]))
    assert line.startswith(f"tpm: error: cannot create the project in {blocker / 'sub'}: ")
    assert "internal error" not in line


def test_project_option_naming_a_file(run_cli: Run, tmp_path: Path) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    line = one_line_error(run_cli(["-C", blocker, "validate"]))
    assert line == f"tpm: error: {blocker} is not a directory (-C names the project directory)"


def test_usage_error_lines_read_cleanly(run_cli: Run, good: Path) -> None:
    line = one_line_error(run_cli(["-C", good, "frobnicate"]))
    assert line == "tpm: error: No such command 'frobnicate' (see 'tpm --help')"


def test_show_an_invalid_journey_with_odd_steps(run_cli: Run, tmp_path: Path) -> None:
    journeys = GOOD_JOURNEYS.replace(
        "      - touchpoint: board-slot\n",
        "      - touchpoint: board-slot\n      - just text\n      - [a, list]\n",
    )
    root = make_project(tmp_path, {**GOOD, "journeys/main.yaml": journeys})
    result = run_cli(["-C", root, "show", "idea"])
    no_traceback(result)
    assert result.code == 0
    assert "(has schema errors)" in result.out and "just text" in result.out
    assert run_cli(["-C", root, "show", "idea", "-f", "json"]).code == 0


# -- never an internal error ---------------------------------------------------------------


@pytest.fixture(scope="module")
def fuzz_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("fuzz"), GOOD)


@pytest.mark.slow
@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=st.sampled_from(sorted(GOOD)), ops=MUTATIONS)
def test_commands_never_fail_on_mutated_projects(
    run_cli: Run, fuzz_root: Path, name: str, ops: list[tuple[str, int, int, str]]
) -> None:
    write_files(fuzz_root, {**GOOD, name: mutate(GOOD[name], ops)}, dedent=False)
    commands = [
        ["validate", "-f", "json"],
        ["list", "units", "-f", "json"],
        ["list", "touchpoints"],
        ["list", "journeys", "-f", "json"],
        ["show", "service"],
        ["show", "idea"],
    ]
    for args in commands:
        result = run_cli(["-C", fuzz_root, *args])
        no_traceback(result)
        assert result.code in (0, 1, 2), (args, result)
        if result.code == 2:  # only a usage error: the id is gone
            assert args[0] == "show" and "has the id" in result.err, (args, result)


# -- user text is text ------------------------------------------------------------------------

MARKUP_PROJECT = {
    "tpm.yaml": """\
        organisation: "R8 [/x] [red]Org"
        units:
          - {id: board, name: "Board [/b]", level: 0}
          - {id: a, name: "[bold]A", customer_facing: true}
        people:
          - {id: p, name: "P [/]", unit: board}
        """,
    "touchpoints/t.yaml": """\
        touchpoints:
          - id: t
            name: "Huddle [/b]"
            from: a
            to: board
            owner: p
            direction: two-way
            cadence: weekly
            ratings:
              - {date: 2026-11-01, n: 6, scores: {clarity: 3.0}}
        """,
    "journeys/j.yaml": """\
        journeys:
          - {id: j, name: "J [/i]", owner: p, steps: [{touchpoint: t}]}
        """,
}


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (["score", "--as-of", "2026-11-25"], ["R8 [/x] [red]Org", "Huddle [/b]", "J [/i]"]),
        (["list", "units"], ["R8 [/x] [red]Org", "Board [/b]", "[bold]A"]),
        (["list", "touchpoints"], ["Huddle [/b]"]),
        (["show", "t"], ["Huddle [/b]"]),
        (["show", "a"], ["[bold]A"]),
    ],
)
def test_square_brackets_in_names_are_printed_as_written(
    run_cli: Run, tmp_path: Path, args: list[str], shown: list[str]
) -> None:
    """rich would read '[/b]' as a closing tag (and fail) and '[red]' as a style: user text
    must reach the terminal as written."""
    root = make_project(tmp_path, MARKUP_PROJECT)
    result = run_cli(["-C", root, *args])
    no_traceback(result)
    assert result.code == 0, result.err
    for text in shown:
        assert text in result.out


def test_show_gives_the_score_and_hides_it_below_min_responses(
    run_cli: Run, tmp_path: Path
) -> None:
    root = make_project(tmp_path, MARKUP_PROJECT)
    shown = run_cli(["-C", root, "show", "t", "--as-of", "2026-11-25"])
    # the rating of 2026-11-01: clarity 3.0 on [1, 5] -> (3 - 1) / 4 * 100 = 50.0, n = 6
    assert re.search(r"^score +50.0 fair, n=6, from ratings of 2026-11-01$", shown.out, re.M)
    as_json = json.loads(run_cli(["-C", root, "show", "t", "-f", "json"]).out)
    assert (as_json["score"]["score"], as_json["score"]["n"]) == (50.0, 6)
    hidden = make_project(
        tmp_path,
        {
            **MARKUP_PROJECT,
            "tpm.yaml": MARKUP_PROJECT["tpm.yaml"] + "scoring: {min_responses: 7}\n",
        },
        "hidden",
    )
    shown = run_cli(["-C", hidden, "show", "t", "--as-of", "2026-11-25"])
    # no exact n below k either (docs/privacy.md, rule 2): the reason instead
    assert "hidden: n < 7 (fewer than 7 people)" in shown.out and "50.0" not in shown.out
    assert "n=6" not in shown.out
    as_json = json.loads(run_cli(["-C", hidden, "show", "t", "-f", "json"]).out)
    assert (as_json["score"]["score"], as_json["score"]["n"]) == (None, None)
