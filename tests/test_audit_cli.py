"""`tpm audit`, `tpm rules` and the findings of `tpm show`, through the command line: exit
codes 0, 1 and 2, paths relative to the current directory, the example organisation."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from audit_support import AUDIT_FIXTURES
from conftest import ROOT, Result

from tpm.formats import FORMATS
from tpm.rules.registry import RULES

Run = Callable[..., Result]
AS_OF = ["--as-of", "2026-11-25"]
SEVERITIES = ("error", "warning", "info")


# -- the example organisation ------------------------------------------------------------------


def test_example_fails_on_its_unowned_cross_silo_journey(run_cli: Run) -> None:
    result = run_cli(["audit", *AS_OF], cwd=ROOT)
    assert result.code == 1
    assert (
        "journeys/customer.yaml:6:9: error TPM010 journey 'complaint-escalation' has no owner: "
        "it crosses 4 silos (sales, service, claims and finance)" in result.out
    )
    errors = [line for line in result.out.splitlines() if ": error " in line]
    assert [line.split()[2] for line in errors] == ["TPM010", "TPM011"]
    assert result.err == ""


def test_example_passes_with_fail_on_never_and_with_its_baseline(
    run_cli: Run, tmp_path: Path
) -> None:
    assert run_cli(["audit", *AS_OF, "--fail-on", "never"], cwd=ROOT).code == 0
    baseline = tmp_path / "baseline.json"
    first = run_cli(["audit", *AS_OF, "--format", "json", "--output", baseline], cwd=ROOT)
    assert first.code == 1
    assert first.out == ""
    again = run_cli(["audit", *AS_OF, "--baseline", baseline], cwd=ROOT)
    assert again.code == 0
    assert "(known: in the baseline)" in again.out


def example_with(tmp_path: Path, audit_line: str) -> Path:
    """A copy of the example organisation whose `  fail_on: error ` line of tpm.yaml's audit
    settings is replaced by `audit_line`."""
    config = tmp_path / "org"
    config.mkdir()
    for part in ("tpm.yaml", "touchpoints", "journeys", "responses"):
        copy = shutil.copytree if (ROOT / part).is_dir() else shutil.copyfile
        copy(ROOT / part, config / part)
    tpm_yaml = config / "tpm.yaml"
    text = tpm_yaml.read_text(encoding="utf-8")
    assert "\n  fail_on: error " in text
    tpm_yaml.write_text(text.replace("\n  fail_on: error ", "\n" + audit_line), "utf-8")
    return config


def test_the_summary_step_never_says_passed_over_errors(run_cli: Run, tmp_path: Path) -> None:
    """`--format markdown --fail-on never` (the CI summary step): exit 0, but the heading says
    what was found, judged at audit.fail_on of tpm.yaml."""
    summary = run_cli(["audit", *AS_OF, "--format", "markdown", "--fail-on", "never"], cwd=ROOT)
    assert summary.code == 0
    # the example holds two errors (TPM010 and TPM011, test_example_fails_on_its_unowned_…)
    assert summary.out.splitlines()[0] == "## ❌ tpm audit: failed, 2 errors"
    # a project that fails on warnings: its warnings fail the verdict too
    config = example_with(tmp_path, "  fail_on: warning ")
    args = ["-C", config, "audit", *AS_OF, "--format", "markdown", "--fail-on", "never"]
    heading = run_cli([*args, "--select", "TPM012"]).out.splitlines()[0]
    assert heading == "## ❌ tpm audit: failed, 1 warning (the fail-on level is warning)"
    clean = run_cli([*args, "--select", "TPM020"])  # info only
    assert clean.out.splitlines()[0] == "## ✅ tpm audit: passed, nothing at or above warning"
    errors_only = run_cli([*args, "--select", "TPM020", "--fail-on", "error"])
    assert errors_only.out.splitlines()[0] == "## ✅ tpm audit: passed, no error"


def test_show_hides_info_from_people_and_leaves_the_exit_code(run_cli: Run, tmp_path: Path) -> None:
    """`--show warning` on the example: no info line in text, no ::notice in github, no info row
    in markdown; the counts (taken from the json) and the exit code stay; junit counts info as
    passing test cases; audit.show in tpm.yaml is the default."""
    doc = json.loads(run_cli(["audit", *AS_OF, "--format", "json"], cwd=ROOT).out)
    count = {s: sum(1 for f in doc["findings"] if f["severity"] == s) for s in SEVERITIES}
    assert count["info"] > 0
    plain = run_cli(["audit", *AS_OF], cwd=ROOT)
    quiet = run_cli(["audit", *AS_OF, "--show", "warning"], cwd=ROOT)
    assert quiet.code == plain.code == 1
    assert not re.search(r"^\S+: info TPM", quiet.out, flags=re.M)
    assert len(_codes(quiet.out)) == count["error"] + count["warning"]
    assert f"{count['info']} info not shown (--show info lists them)." in quiet.out
    github = run_cli(["audit", *AS_OF, "--format", "github", "--show", "warning"], cwd=ROOT)
    assert "::notice" not in github.out
    assert github.out.count("::error ") + github.out.count("::warning ") == (
        count["error"] + count["warning"]
    )
    markdown = run_cli(["audit", *AS_OF, "-f", "markdown", "--show", "error"], cwd=ROOT).out
    assert "| 🟡 warning | TPM" not in markdown and "| 🔵 info | TPM" not in markdown
    assert f"{count['warning']} warnings and {count['info']} info not shown" in markdown
    junit = run_cli(["audit", *AS_OF, "--format", "junit"], cwd=ROOT).out
    root = ET.fromstring(junit)
    assert int(root.get("failures", "-1")) == count["error"] + count["warning"]
    outputs = [case for case in root.iter("testcase") if case.find("system-out") is not None]
    assert len(outputs) == count["info"]
    # the default from tpm.yaml
    config = example_with(tmp_path, "  show: error\n  fail_on: error ")
    configured = run_cli(["-C", config, "audit", *AS_OF])
    assert configured.code == 1
    assert len(_codes(configured.out)) == count["error"]
    assert len(_codes(run_cli(["-C", config, "audit", *AS_OF, "--show", "info"]).out)) == len(
        doc["findings"]
    )


GROUPING = {
    "tpm.yaml": """\
organisation: Hospital
units:
  - {id: board, name: Board, level: 0}
  - {id: nursing, name: Nursing}
  - {id: ward-a, name: Ward A, parent: nursing}
  - {id: ward-b, name: Ward B, parent: nursing}
  - {id: admin, name: Administration}
  - {id: records, name: Medical records, parent: admin}
people:
  - {id: ana, name: Ana Lima, unit: board}
""",
    "touchpoints/t.yaml": """\
touchpoints:
  - {id: all-hands, name: All-hands, from: board, to: all, cadence: monthly, owner: ana}
  - {id: huddle, name: Ward huddle report, from: ward-a, to: board, direction: two-way,
     cadence: weekly, owner: ana}
  - {id: rounds, name: Board rounds, from: board, to: ward-b, cadence: monthly, owner: ana}
  - {id: incidents, name: Incident report, from: ward-b, to: board, cadence: weekly,
     owner: ana}
""",
}


def test_a_grouping_unit_is_judged_by_its_sub_units(run_cli: Run, tmp_path: Path) -> None:
    """Nursing only groups its wards, which talk to the board themselves: it is neither an
    island (TPM021) nor one-way (TPM024, for the all-hands it receives like everyone).
    Administration groups only Medical records, which has no touchpoint either: both are
    islands and one-way (a sub-unit is not connected through its parent)."""
    from conftest import make_project

    root = make_project(tmp_path, GROUPING)
    result = run_cli(["-C", root, "audit", *AS_OF, "--select", "TPM021,TPM024", "-f", "json"])
    found = [(f["code"], f["subject"]) for f in json.loads(result.out)["findings"]]
    # both receive the all-hands and start nothing: one-way as well
    assert sorted(found) == [
        ("TPM021", "admin"),
        ("TPM021", "records"),
        ("TPM024", "admin"),
        ("TPM024", "records"),
    ]
    page = run_cli(["rules", "TPM021"]).out
    assert "grouping unit" in page and "judges its sub-units" in " ".join(page.split())


def test_example_json(run_cli: Run) -> None:
    result = run_cli(["audit", *AS_OF, "--format", "json"], cwd=ROOT)
    document = json.loads(result.out)
    assert document["version"] == 1
    assert set(document["summary"]) == {"error", "warning", "info"}
    first = document["findings"][0]
    assert set(first) == {"code", "name", "severity", "message", "path", "line", "column",
                          "subject"}  # fmt: skip
    assert {
        "code": "TPM010",
        "subject": "complaint-escalation",
        "path": "journeys/customer.yaml",
        "line": 6,
        "column": 9,
    }.items() <= next(f for f in document["findings"] if f["code"] == "TPM010").items()


@pytest.mark.parametrize("name", sorted({"text", "json", *FORMATS}))
def test_every_registered_format_is_a_choice(run_cli: Run, name: str, tmp_path: Path) -> None:
    out = tmp_path / f"audit.{name}"
    result = run_cli(["audit", *AS_OF, "--format", name, "--output", out], cwd=ROOT)
    assert result.code == 1, result.err
    assert out.read_text(encoding="utf-8").strip()


# -- paths, project discovery ------------------------------------------------------------------


def test_project_in_a_subfolder_prints_paths_from_the_cwd(run_cli: Run, tmp_path: Path) -> None:
    shutil.copytree(AUDIT_FIXTURES / "ownership", tmp_path / "org")
    result = run_cli(["-C", "org", "audit", *AS_OF, "--select", "TPM010"], cwd=tmp_path)
    assert result.code == 1
    assert result.out.startswith(
        "org/journeys/journeys.yaml:3:9: error TPM010 journey 'nobody' has no owner"
    )
    # also found from below, like git: paths then relative to the project root
    inside = run_cli(["audit", *AS_OF, "--select", "TPM010"], cwd=tmp_path / "org" / "journeys")
    assert inside.out.startswith("journeys/journeys.yaml:3:9: error TPM010")


def test_a_baseline_written_from_the_repository_root_works_inside_the_project(
    run_cli: Run, tmp_path: Path
) -> None:
    """Printed paths depend on where tpm runs (org/journeys/... from the root, journeys/...
    inside): a baseline matches either way."""
    shutil.copytree(AUDIT_FIXTURES / "ownership", tmp_path / "org")
    baseline = tmp_path / "baseline.json"
    written = run_cli(
        ["-C", "org", "audit", *AS_OF, "--format", "json", "-o", baseline], cwd=tmp_path
    )
    assert written.code == 1
    assert '"path": "org/journeys/journeys.yaml"' in baseline.read_text(encoding="utf-8")
    inside = run_cli(["audit", *AS_OF, "--baseline", baseline], cwd=tmp_path / "org")
    assert inside.code == 0
    assert "known from the baseline" in inside.out
    fresh = run_cli(["audit", *AS_OF], cwd=tmp_path / "org")
    assert fresh.code == 1


def test_select_ignore_and_fail_on_options(run_cli: Run) -> None:
    C = ["-C", str(AUDIT_FIXTURES / "config")]
    # the config fails on warnings, and TPM013 is an error there
    assert run_cli([*C, "audit", *AS_OF]).code == 1
    assert run_cli([*C, "audit", *AS_OF, "--fail-on", "error", "--ignore", "TPM013"]).code == 0
    only = run_cli([*C, "audit", *AS_OF, "--select", "tpm013"])
    assert _codes(only.out) == ["TPM013"]
    repeated = run_cli([*C, "audit", *AS_OF, "--select", "TPM013", "--select", "TPM020"])
    assert set(_codes(repeated.out)) == {"TPM013", "TPM020"}


def _codes(text: str) -> list[str]:
    """The codes of the finding lines of text output."""
    return re.findall(r"^\S+:\d+:\d+: \w+ (TPM\d{3}) ", text, flags=re.M)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as-of", "2026-02-30"], "--as-of '2026-02-30' is not a real date: no such day"),
        (["--select", "TPM99"], "--select: 'TPM99' matches no rule"),
        (["--ignore", "TPM001"], "--ignore: TPM001 guards the input"),
        (["--baseline", "missing.json"], "--baseline missing.json: cannot read it"),
        (["--format", "yaml"], "'yaml' is not one of"),
        (["--fail-on", "sometimes"], "'sometimes' is not one of"),
    ],
)
def test_usage_errors_exit_2_with_one_line(run_cli: Run, args: list[str], message: str) -> None:
    result = run_cli(["-C", str(AUDIT_FIXTURES / "config"), "audit", *AS_OF, *args])
    assert result.code == 2
    assert result.out == ""
    assert result.err.count("\n") == 1
    assert result.err.startswith("tpm: error: ")
    assert message in result.err


def test_no_project_is_exit_2(run_cli: Run) -> None:
    result = run_cli(["audit", *AS_OF])
    assert result.code == 2
    assert "no tpm.yaml" in result.err


# -- tpm show ----------------------------------------------------------------------------------


def test_show_lists_the_items_audit_findings(run_cli: Run) -> None:
    result = run_cli(["show", "complaint-escalation", *AS_OF, "--format", "json"], cwd=ROOT)
    assert result.code == 0
    codes = [f["code"] for f in json.loads(result.out)["findings"]]
    assert codes == ["TPM010", "TPM034", "TPM033"]


# -- tpm rules ---------------------------------------------------------------------------------


def test_rules_table_lists_every_rule(run_cli: Run) -> None:
    result = run_cli(["rules"])
    assert result.code == 0
    for code, rule in RULES.items():
        assert re.search(rf"{code}\s+│?\s*{rule.name}", result.out), code


@pytest.mark.parametrize("width", [100, 80, 60])
def test_rules_never_break_a_word(width: int) -> None:
    """`tpm rules` on a terminal of `width` columns (a real process, COLUMNS): no line wider,
    and every rule's code, name and summary readable word for word (no word split across
    lines or cut with '…')."""
    import os
    import subprocess
    import sys

    env = {**{k: v for k, v in os.environ.items() if k != "TPM_DEBUG"}, "COLUMNS": str(width)}
    done = subprocess.run(
        [sys.executable, "-m", "tpm", "rules"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert max(len(line) for line in lines) <= width
    assert "…" not in done.stdout
    words = set(re.sub(r"[│┃┏┓┗┛┡┩━─└┘┳┻╇┴]", " ", done.stdout).split())
    for rule in RULES.values():
        assert {rule.code, rule.name} <= words, rule.code
        assert set(rule.summary.split()) <= words, (rule.code, set(rule.summary.split()) - words)


def test_rules_json(run_cli: Run) -> None:
    every = json.loads(run_cli(["rules", "--format", "json"]).out)
    assert [r["code"] for r in every] == list(RULES)
    one = json.loads(run_cli(["rules", "TPM012", "--format", "json"]).out)
    assert one["name"] == "silo-owned-journey"
    assert one["severity"] == "warning"
    assert set(one) == {"code", "name", "severity", "summary", "what", "why", "fix", "example",
                        "guard"}  # fmt: skip


def test_one_rule_in_full(run_cli: Run) -> None:
    result = run_cli(["rules", "tpm012"])
    assert result.code == 0
    headings = ["What it checks", "Why it matters", "How to fix", "Example"]
    positions = [result.out.index(h) for h in headings]
    assert positions == sorted(positions)
    assert result.out.startswith("TPM012 silo-owned-journey (default: warning)")
    assert run_cli(["rules", "unowned-journey"]).out.startswith("TPM010 unowned-journey")


def test_unknown_rule_is_exit_2(run_cli: Run) -> None:
    result = run_cli(["rules", "TPM0123"])
    assert result.code == 2
    assert "'TPM0123' is no tpm rule (did you mean" in result.err


# -- the rule texts ----------------------------------------------------------------------------


@pytest.mark.parametrize("code", list(RULES))
def test_every_rule_has_its_texts(code: str) -> None:
    rule = RULES[code]
    for text in (rule.summary, rule.what, rule.why, rule.fix, rule.example):
        assert text.strip(), f"{code} lacks a text"
    assert not rule.summary.endswith(".")
    # the example is YAML a user could paste (TPM001's is broken YAML on purpose)
    if code == "TPM001":
        with pytest.raises(yaml.YAMLError):
            yaml.safe_load(rule.example)
    else:
        assert yaml.safe_load(rule.example) is not None


def test_readme_holds_the_rule_table(run_cli: Run) -> None:
    """The README's rule table is exactly `tpm rules --format markdown` (regenerate it with
    that command when a rule changes)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start, end = "<!-- rules:start -->\n", "<!-- rules:end -->"
    assert text.count(start) == 1 and text.count(end) == 1
    between = text.split(start, 1)[1].split(end, 1)[0]
    result = run_cli(["rules", "--format", "markdown"])
    assert result.code == 0
    assert between == result.out, (
        "the README's rule table is out of date: paste 'tpm rules --format markdown' between "
        "the rules:start and rules:end markers"
    )


def test_rules_markdown(run_cli: Run) -> None:
    table = run_cli(["rules", "--format", "markdown"]).out.splitlines()
    assert table[:2] == ["| code | name | default | fires when |", "|---|---|---|---|"]
    assert len(table) == 2 + len(RULES)
    assert table[2].startswith("| TPM001 | yaml-syntax | error | a file is unreadable")
    assert [row.split(" | ")[0] for row in table[2:]] == [f"| {code}" for code in RULES]
    one = run_cli(["rules", "silo-owned-journey", "-f", "markdown"]).out.splitlines()
    assert one[2:] == [
        "| TPM012 | silo-owned-journey | warning | a journey crosses two or more silos and its "
        "active owner and co-owners cover only some of them |"
    ]
