"""The CI output formats (docs/ci.md): sarif, github, gitlab, junit, markdown, and the CI recipes.

Golden files live in tests/golden/formats/; regenerate them with
`TPM_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_formats.py` and read the diff before committing.
The golden files are rendered against a fixed rule registry and version (see `frozen`), so that
editing a rule's text or releasing does not change them; the tests against the real registry
are below them.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml

import tpm
from tpm.findings import Finding, Severity
from tpm.formats import FORMATS, Report, renderer
from tpm.formats import junit as junit_format
from tpm.formats import markdown as markdown_format
from tpm.formats import sarif as sarif_format
from tpm.formats.fingerprint import fingerprint, fingerprints
from tpm.rules.registry import RULES, Rule

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden" / "formats"
SARIF_SCHEMA = Path("/work/shared/schemas/sarif-schema-2.1.0.json")
CI_FORMATS = ["sarif", "github", "gitlab", "junit", "markdown"]
EXTENSIONS = {"sarif": "sarif", "github": "txt", "gitlab": "json", "junit": "xml", "markdown": "md"}

ERR, WARN, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

# A message that needs every kind of escaping: %, :, ",", a newline, HTML, a pipe, an umlaut.
NASTY = (
    "touchpoint 'Übergabe: Vertrieb, Service' scores 42.5% (poor < 50%)\n"
    "note: <script>alert('x')</script> | see `tpm score` & *more*"
)


def make(
    code: str,
    severity: Severity,
    message: str,
    path: str,
    line: int,
    column: int,
    subject: str | None,
    **kw: Any,
) -> Finding:
    return Finding(code, RULES[code].name, severity, message, path, line, column, subject, **kw)


# The rules the golden files were written with (a rule added later leaves them as they are).
GOLDEN_RULES = (
    *("TPM001", "TPM002", "TPM003", "TPM004", "TPM005", "TPM006", "TPM009"),
    *("TPM010", "TPM011", "TPM012", "TPM013"),
    *("TPM020", "TPM021", "TPM022", "TPM023", "TPM024", "TPM025", "TPM026"),
    *("TPM030", "TPM031", "TPM032", "TPM033", "TPM034"),
)


def sample_report() -> Report:
    findings = [
        make("TPM010", ERR, "journey 'onboarding' has no owner", "journeys/onboarding.yaml", 3, 5,
             "onboarding"),
        make("TPM034", INFO, 'journey "offboarding" has no last_reviewed (Q1 & Q2)',
             "journeys/onboarding.yaml", 14, 5, "offboarding"),
        make("TPM030", WARN, NASTY, "touchpoints/vertrieb/übergabe.yaml", 7, 9, "handover-call"),
        make("TPM013", WARN, "touchpoint 'weekly-sync' has no owner",
             "touchpoints/vertrieb/übergabe.yaml", 20, 9, "weekly-sync", known=True),
    ]  # fmt: skip
    suppressed = [
        make("TPM020", INFO, "touchpoint 'weekly-sync' is in no journey",
             "touchpoints/vertrieb/übergabe.yaml", 20, 9, "weekly-sync",
             suppressed="kept as a reference, for new teams: 100%"),
    ]  # fmt: skip
    rules_run = [c for c in GOLDEN_RULES if c[:5] in ("TPM00", "TPM01")]
    rules_run += ["TPM020", "TPM030", "TPM034"]
    return Report(
        findings=findings,
        suppressed=suppressed,
        files=7,
        rules_run=rules_run,
        baseline=True,
        fail_on="error",
    )


def render(name: str, report: Report) -> str:
    return renderer(name)(report)


# -- golden files --------------------------------------------------------------------------


def _frozen_rule(rule: Rule) -> Rule:
    return dataclasses.replace(
        rule,
        summary=f"summary of {rule.name}",
        what=f"What {rule.code} checks.",
        why="Why it matters: silos *break* journeys.",
        fix="How to fix it: name an `owner`.",
        example=f"# {rule.code}\nexample: ```fenced```\n",
    )


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fixed registry and version, so the golden files only change when a format does."""
    fixed = {code: _frozen_rule(RULES[code]) for code in GOLDEN_RULES}
    monkeypatch.setattr(sarif_format, "RULES", fixed)
    monkeypatch.setattr(junit_format, "RULES", fixed)
    monkeypatch.setattr(tpm, "__version__", "9.9.9")


@pytest.mark.parametrize("name", CI_FORMATS)
def test_golden(name: str, frozen: None) -> None:
    text = render(name, sample_report())
    golden = GOLDEN / f"report.{EXTENSIONS[name]}"
    if os.environ.get("TPM_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8", newline="\n")
    assert golden.exists(), f"{golden} is missing: run with TPM_UPDATE_GOLDEN=1"
    assert text == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", CI_FORMATS)
def test_output_is_deterministic(name: str) -> None:
    assert render(name, sample_report()) == render(name, sample_report())


@pytest.mark.parametrize("name", CI_FORMATS)
def test_formats_are_registered_and_render_an_empty_report(name: str) -> None:
    assert name in FORMATS
    text = render(name, Report(findings=[]))
    assert text.endswith("\n") or (name == "github" and text == "")  # no finding, no command


# -- sarif ---------------------------------------------------------------------------------


def sarif(report: Report) -> dict[str, Any]:
    return json.loads(render("sarif", report))  # type: ignore[no-any-return]


def assert_valid_sarif(document: dict[str, Any]) -> None:
    import jsonschema

    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


@pytest.mark.skipif(not SARIF_SCHEMA.exists(), reason="the OASIS SARIF schema is not available")
@pytest.mark.parametrize("report", [sample_report(), Report(findings=[])], ids=["sample", "empty"])
def test_sarif_validates_against_the_oasis_schema(report: Report) -> None:
    assert_valid_sarif(sarif(report))


def test_sarif_run_and_driver() -> None:
    document = sarif(sample_report())
    assert document["version"] == "2.1.0"
    assert document["$schema"].endswith("sarif-schema-2.1.0.json")
    (run,) = document["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "tpm"
    assert driver["version"] == tpm.__version__
    assert driver["informationUri"].startswith("https://")
    assert run["columnKind"] == "unicodeCodePoints"
    assert "%SRCROOT%" in run["originalUriBaseIds"]


def test_sarif_lists_every_registered_rule_from_its_record() -> None:
    rules = sarif(Report(findings=[]))["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(RULES)
    levels = {"error": "error", "warning": "warning", "info": "note"}
    for descriptor, rule in zip(rules, RULES.values(), strict=True):
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] == rule.summary
        assert descriptor["fullDescription"]["text"] == (rule.what.strip() or rule.summary)
        assert descriptor["defaultConfiguration"]["level"] == levels[rule.severity.value]
        assert descriptor["properties"]["tags"]
        for part in (rule.what, rule.why, rule.fix, rule.example.strip()):
            assert part.strip() in descriptor["help"]["text"]
            assert part.strip() in descriptor["help"]["markdown"]


def test_sarif_help_is_built_from_what_why_fix_and_example(frozen: None) -> None:
    (descriptor,) = [
        r for r in sarif(Report(findings=[]))["runs"][0]["tool"]["driver"]["rules"]
        if r["id"] == "TPM010"
    ]  # fmt: skip
    markdown = descriptor["help"]["markdown"]
    assert "**What it checks.** What TPM010 checks." in markdown
    assert "**Why it matters.** Why it matters: silos *break* journeys." in markdown
    assert "**How to fix.** How to fix it: name an `owner`." in markdown
    # The example holds ``` itself, so its fence is longer.
    assert "````yaml\n# TPM010\nexample: ```fenced```\n````" in markdown
    assert descriptor["fullDescription"]["text"] == "What TPM010 checks."


def test_sarif_results_levels_locations_and_rule_index() -> None:
    document = sarif(sample_report())
    run = document["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    assert len(results) == 5  # four reported, one suppressed
    by_rule = {r["ruleId"]: r for r in results}
    assert by_rule["TPM010"]["level"] == "error"
    assert by_rule["TPM030"]["level"] == "warning"
    assert by_rule["TPM034"]["level"] == "note"
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    location = by_rule["TPM030"]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {
        "uri": "touchpoints/vertrieb/%C3%BCbergabe.yaml",
        "uriBaseId": "%SRCROOT%",
    }
    assert location["region"] == {"startLine": 7, "startColumn": 9}
    assert by_rule["TPM030"]["message"]["text"] == NASTY


def test_sarif_level_follows_a_changed_severity() -> None:
    finding = make("TPM034", WARN, "stale", "journeys/a.yaml", 1, 1, "a")  # audit.severity: warning
    (result,) = sarif(Report(findings=[finding]))["runs"][0]["results"]
    assert result["level"] == "warning"


def test_sarif_suppressions_and_baseline_state() -> None:
    results = sarif(sample_report())["runs"][0]["results"]
    by_rule = {r["ruleId"]: r for r in results}
    assert by_rule["TPM020"]["suppressions"] == [
        {"kind": "inSource", "justification": "kept as a reference, for new teams: 100%"}
    ]
    assert all("suppressions" not in r for code, r in by_rule.items() if code != "TPM020")
    assert by_rule["TPM013"]["baselineState"] == "unchanged"
    assert by_rule["TPM010"]["baselineState"] == "new"
    # A known finding implies a baseline even when the report does not say it used one.
    report = sample_report()
    report.baseline = False
    assert all("baselineState" in r for r in sarif(report)["runs"][0]["results"])
    # Without a baseline there is no baseline state at all.
    for f in report.findings:
        f.known = False
    assert all("baselineState" not in r for r in sarif(report)["runs"][0]["results"])


@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("journeys/a b.yaml", {"uri": "journeys/a%20b.yaml", "uriBaseId": "%SRCROOT%"}),
        ("c:d/x.yaml", {"uri": "c%3Ad/x.yaml", "uriBaseId": "%SRCROOT%"}),  # never a scheme
        ("sub/tpm.yaml", {"uri": "sub/tpm.yaml", "uriBaseId": "%SRCROOT%"}),
        ("/srv/data/r 1.csv", {"uri": "file:///srv/data/r%201.csv"}),
        ("C:/data/r.csv", {"uri": "file:///C:/data/r.csv"}),
    ],
)
def test_sarif_artifact_uris(path: str, location: dict[str, str]) -> None:
    assert sarif_format.artifact_location(path) == location


def _fingerprint_of(report: Report, code: str) -> str:
    (result,) = [r for r in sarif(report)["runs"][0]["results"] if r["ruleId"] == code]
    return result["partialFingerprints"]["tpm/v1"]  # type: ignore[no-any-return]


def test_sarif_fingerprints_are_stable_and_ignore_the_line() -> None:
    first = _fingerprint_of(sample_report(), "TPM030")
    assert first == _fingerprint_of(sample_report(), "TPM030")
    moved = sample_report()
    moved.findings[2].line += 40  # a unit added above it
    moved.findings[2].column = 3
    assert _fingerprint_of(moved, "TPM030") == first
    changed = sample_report()
    changed.findings[2].message += " (changed)"
    assert _fingerprint_of(changed, "TPM030") != first
    fps = [r["partialFingerprints"]["tpm/v1"] for r in sarif(sample_report())["runs"][0]["results"]]
    assert len(set(fps)) == len(fps)


def test_fingerprints_ignore_the_numbers_in_a_message() -> None:
    today = make("TPM034", INFO, "last reviewed 620 days ago (line 12)", "j/a.yaml", 3, 5, "a")
    tomorrow = dataclasses.replace(today, message="last reviewed 621 days ago (line 14)")
    other = dataclasses.replace(today, message="has no last_reviewed date")
    assert fingerprint(today) == fingerprint(tomorrow)
    assert fingerprint(today) != fingerprint(other)
    # Both in one report: still two distinct fingerprints.
    assert len(set(fingerprints([today, tomorrow]))) == 2


def test_fingerprints_do_not_depend_on_the_directory_tpm_ran_in() -> None:
    here = make("TPM010", ERR, "journey 'x' has no owner", "journeys/x.yaml", 3, 5, "x")
    above = dataclasses.replace(here, path="org/journeys/x.yaml")
    assert fingerprint(here) == fingerprint(above, root_prefix="org")
    assert fingerprint(here) != fingerprint(above)


def test_fingerprints_of_identical_findings_differ() -> None:
    row = make("TPM002", ERR, "score '9' is off the scale 1-5", "responses/a.csv", 4, 1, None)
    rows = [row, dataclasses.replace(row, line=9), dataclasses.replace(row, line=12)]
    fps = fingerprints(rows)
    assert len(set(fps)) == 3
    assert fps[0] == fingerprint(row)  # the first occurrence keeps the plain hash


# -- github --------------------------------------------------------------------------------

COMMAND = re.compile(r"^::(error|warning|notice) ([^:]*)::(.*)$")


def unescape_data(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def unescape_property(text: str) -> str:
    return unescape_data(text.replace("%3A", ":").replace("%2C", ","))


def parse_commands(text: str) -> list[tuple[str, dict[str, str], str]]:
    parsed = []
    for line in text.splitlines():
        match = COMMAND.match(line)
        assert match, line
        properties = dict(item.split("=", 1) for item in match.group(2).split(","))
        properties = {k: unescape_property(v) for k, v in properties.items()}
        parsed.append((match.group(1), properties, unescape_data(match.group(3))))
    return parsed


def test_github_commands_parse_back_to_the_findings() -> None:
    report = sample_report()
    text = render("github", report)
    assert text.count("\n") == len(report.findings)  # one line a finding, no raw newline
    assert "\r" not in text
    commands = parse_commands(text)
    new = [f for f in report.findings if not f.known]
    known = [f for f in report.findings if f.known]
    assert len(commands) == len(new) + len(known)
    for (kind, properties, message), f in zip(commands, [*new, *known], strict=True):
        assert message == f.message
        assert properties["file"] == f.path
        assert properties["line"] == str(f.line)
        assert properties["col"] == str(f.column)
        suffix = " (known)" if f.known else ""
        assert properties["title"] == f"{f.code} {f.name}{suffix}"
        expected = {"error": "error", "warning": "warning", "info": "notice"}[f.severity.value]
        assert kind == ("notice" if f.known else expected)


def test_github_escapes_like_the_actions_toolkit() -> None:
    finding = make("TPM010", ERR, "100% a:b,c\r\nd", "j/a,b:c%.yaml", 3, 5, "x")
    line = render("github", Report(findings=[finding]))
    assert line == (
        "::error file=j/a%2Cb%3Ac%25.yaml,line=3,col=5,title=TPM010 unowned-journey"
        "::100%25 a:b,c%0D%0Ad\n"
    )


def test_github_leaves_out_suppressed_findings() -> None:
    text = render("github", sample_report())
    assert "TPM020" not in text


# -- gitlab --------------------------------------------------------------------------------


def test_gitlab_code_quality_fields() -> None:
    report = sample_report()
    issues = json.loads(render("gitlab", report))
    assert isinstance(issues, list)
    assert len(issues) == len(report.findings)  # suppressed left out, known kept
    severities = {"error": "major", "warning": "minor", "info": "info"}
    sarif_fps = {
        (r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]): r[
            "partialFingerprints"
        ]["tpm/v1"]
        for r in sarif(report)["runs"][0]["results"]
    }
    for issue, f in zip(issues, report.findings, strict=True):
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["check_name"] == f.code
        assert f.message in issue["description"]
        assert issue["severity"] == severities[f.severity.value]
        assert issue["location"] == {"path": f.path, "lines": {"begin": f.line}}
        assert issue["fingerprint"] == sarif_fps[(f.code, f.line)]  # one fingerprint function
    assert len({i["fingerprint"] for i in issues}) == len(issues)


# -- junit ---------------------------------------------------------------------------------


def test_junit_parses_and_counts_match() -> None:
    report = sample_report()
    root = ET.fromstring(render("junit", report).encode("utf-8"))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [
        f"{code} {RULES[code].name}" for code in RULES if code in report.rules_run
    ]
    for suite in suites:
        cases = suite.findall("testcase")
        assert suite.get("tests") == str(len(cases))
        assert suite.get("failures") == str(len(suite.findall("testcase/failure")))
        assert suite.get("skipped") == str(len(suite.findall("testcase/skipped")))
        assert suite.get("errors") == "0"
    assert root.get("tests") == str(len(root.findall("testsuite/testcase")))
    # the new error and warning fail; the info finding passes, with its line as output
    assert root.get("failures") == str(len(root.findall(".//failure"))) == "2"
    assert root.get("skipped") == "2"  # the known and the suppressed finding
    (out,) = root.findall(".//system-out")
    assert (out.text or "").startswith("journeys/onboarding.yaml:14:5: info TPM034 ")
    report.fail_on = "info"  # unless info fails the run
    root = ET.fromstring(render("junit", report).encode("utf-8"))
    assert root.get("failures") == "3" and not root.findall(".//system-out")


def test_junit_one_failing_case_per_finding_and_one_passing_case_per_clean_rule() -> None:
    report = sample_report()
    root = ET.fromstring(render("junit", report))
    suites = {s.get("name", "").split()[0]: s for s in root.findall("testsuite")}
    failure = suites["TPM030"].find("testcase/failure")
    assert failure is not None
    assert failure.get("message") == NASTY  # <, &, quotes and the newline survive
    assert failure.get("type") == "warning"
    assert "touchpoints/vertrieb/übergabe.yaml:7:9" in (failure.text or "")
    case = suites["TPM030"].find("testcase")
    assert case is not None
    assert case.get("name") == "touchpoints/vertrieb/übergabe.yaml:7:9 handover-call"
    clean = suites["TPM011"].findall("testcase")
    assert len(clean) == 1
    assert clean[0].get("name") == "TPM011 inactive-owner"
    assert not list(clean[0])  # passing: no failure, no skipped
    suppressed = suites["TPM020"].find("testcase/skipped")
    assert suppressed is not None
    assert suppressed.get("message") == "suppressed: kept as a reference, for new teams: 100%"


def test_junit_strips_characters_xml_cannot_hold() -> None:
    message = "bad\x00byte\x07 \x1b[31mred\ufffe & <tag> \"q\" 'a'\ttab"
    finding = make("TPM002", ERR, message, "responses/a.csv", 2, 1, None)
    root = ET.fromstring(render("junit", Report(findings=[finding])))
    failure = root.find(".//failure")
    assert failure is not None
    assert failure.get("message") == "badbyte [31mred & <tag> \"q\" 'a'\ttab"
    case = root.find(".//testcase")
    assert case is not None
    assert case.get("name") == "responses/a.csv:2:1"  # no subject


def test_junit_lists_rules_of_findings_even_without_rules_run() -> None:
    finding = make("TPM010", ERR, "journey 'x' has no owner", "journeys/x.yaml", 3, 5, "x")
    root = ET.fromstring(render("junit", Report(findings=[finding])))
    assert [s.get("name") for s in root.findall("testsuite")] == ["TPM010 unowned-journey"]


# -- markdown ------------------------------------------------------------------------------


def test_markdown_escapes_user_text() -> None:
    text = render("markdown", sample_report())
    assert "<script>" not in text
    assert "&lt;script&gt;" in text
    assert "\\| see" in text
    assert "\\`tpm score\\`" in text and "\\*more\\*" in text
    assert "(poor &lt; 50%)<br>note:" in text
    row = next(line for line in text.splitlines() if "TPM030" in line)
    assert len(re.findall(r"(?<!\\)\|", row)) == 5  # four cells, the pipe in the text escaped


def test_markdown_escape_function() -> None:
    assert markdown_format.escape("a|b") == "a\\|b"
    assert markdown_format.escape("<b>&</b>") == "&lt;b&gt;&amp;&lt;/b&gt;"
    assert markdown_format.escape("[x](http://e) _y_ $z$") == "\\[x\\](http://e) \\_y\\_ \\$z\\$"
    assert markdown_format.escape("a\r\nb\nc") == "a<br>b<br>c"


def test_markdown_verdict_and_counts() -> None:
    report = sample_report()
    text = render("markdown", report)
    assert text.startswith("## ❌ tpm audit: failed, 1 error\n")  # the new one: TPM010
    assert "| 🔴 error | 1 | 0 |" in text
    assert "| 🟡 warning | 1 | 1 |" in text
    assert "1 known from the baseline. 1 suppressed." in text
    report.fail_on = "never"  # the exit code's business: the error is still there
    assert render("markdown", report).startswith("## ❌ tpm audit: failed, 1 error\n")
    report.exit_code = 0
    assert render("markdown", report).startswith("## ❌ tpm audit: failed, 1 error\n")
    report.verdict_on = "warning"  # audit.fail_on: warning (the known one not counted)
    assert render("markdown", report).startswith(
        "## ❌ tpm audit: failed, 1 error and 1 warning (the fail-on level is warning)\n"
    )
    only_known = Report(findings=[dataclasses.replace(report.findings[0], known=True)])
    assert render("markdown", only_known).startswith("## ✅ tpm audit: passed\n")
    below = Report(findings=[report.findings[1]])  # one info finding
    assert render("markdown", below).startswith("## ✅ tpm audit: passed, no error\n")
    below.verdict_on = "warning"
    assert render("markdown", below).startswith(
        "## ✅ tpm audit: passed, nothing at or above warning\n"
    )
    assert "No problems found in 3 files." in render("markdown", Report(findings=[], files=3))


def test_markdown_lists_new_findings_first_by_severity() -> None:
    rows = [line for line in render("markdown", sample_report()).splitlines() if "| TPM" in line]
    assert [row.split("|")[2].split()[0] for row in rows] == [
        "TPM010",
        "TPM030",
        "TPM034",
        "TPM013",
    ]


def test_markdown_caps_the_table() -> None:
    findings = [
        make("TPM013", WARN, f"touchpoint 't{i}' has no owner", "touchpoints/t.yaml", i, 5, f"t{i}")
        for i in range(1, 151)
    ]
    text = render("markdown", Report(findings=findings))
    rows = [line for line in text.splitlines() if "| TPM013" in line]
    assert len(rows) == markdown_format.MAX_ROWS == 100
    assert "… and 50 more" in text


# -- CI recipes ----------------------------------------------------------------------------


def test_pre_commit_hooks() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"tpm-audit", "tpm-validate"}
    audit = hooks["tpm-audit"]
    assert audit["entry"] == "tpm audit"
    assert audit["language"] == "python"
    assert audit["pass_filenames"] is False
    assert re.match(audit["files"], "touchpoints/a.yaml")
    assert re.match(audit["files"], "tpm.yaml")
    assert not re.match(audit["files"], "README.md")
    assert hooks["tpm-validate"]["entry"] == "tpm validate"


def test_starter_project_ships_the_ci_files(tmp_path: Path) -> None:
    from tpm.starter import create, starter_files

    paths = {"/".join(parts) for parts, _ in starter_files()}
    assert {".github/workflows/tpm.yml", ".pre-commit-config.yaml"} <= paths
    create(tmp_path)
    workflow = yaml.safe_load((tmp_path / ".github/workflows/tpm.yml").read_text())
    steps = workflow["jobs"]["audit"]["steps"]
    runs = " ".join(step.get("run", "") for step in steps)
    assert "--format github" in runs and "--format sarif" in runs
    assert "$GITHUB_STEP_SUMMARY" in runs
    assert any(
        str(step.get("uses", "")).startswith("github/codeql-action/upload-sarif") for step in steps
    )
    assert workflow["jobs"]["audit"]["permissions"]["security-events"] == "write"
    config = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text())
    assert config["repos"][0]["hooks"][0]["id"] == "tpm-audit"


def test_ci_docs_show_the_starter_files_and_valid_yaml() -> None:
    doc = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    starter = ROOT / "tpm" / "templates" / "starter"
    for name in (".github/workflows/tpm.yml", ".pre-commit-config.yaml"):
        assert f"```yaml\n{(starter / name).read_text(encoding='utf-8')}```" in doc, name
    blocks = re.findall(r"```yaml\n(.*?)```", doc, flags=re.DOTALL)
    assert len(blocks) >= 5
    for block in blocks:
        assert yaml.safe_load(block) is not None
    for command in ("--format github", "upload-sarif", "security-events: write", "if: always()"):
        assert command in doc
    assert "tpm audit --format json --fail-on never --output tpm-baseline.json" in doc
    assert "tpm audit --baseline tpm-baseline.json" in doc


def test_text_summary_counts_with_the_one_plural() -> None:
    """The summary line words its counts with tpm.words.plural: "info" has no plural."""
    report = sample_report()
    two_info = dataclasses.replace(report, files=1, findings=[*report.findings, report.findings[1]])
    assert "Found 1 error, 2 warnings and 2 info in 1 file." in render("text", two_info)
    assert render("text", Report(findings=[], files=1)) == "No problems found in 1 file.\n"
