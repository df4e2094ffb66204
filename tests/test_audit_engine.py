"""The audit engine (docs/ci.md): which rules run (--select, --ignore, audit.ignore),
severity overrides, item suppressions and TPM009, the baseline, and the exit code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from audit_support import AS_OF, AUDIT_FIXTURES, audit, by, line_of, seen
from conftest import make_project

from tpm.audit import AuditError, Baseline, parse_codes, rules_to_run
from tpm.findings import Severity
from tpm.formats import renderer
from tpm.rules.registry import GUARD_CODES, RULES

T = "touchpoints/touchpoints.yaml"

# -- which rules run -------------------------------------------------------------------------


def test_select_replaces_the_rules_and_takes_prefixes() -> None:
    run = rules_to_run(select=["TPM01", "TPM020"])
    assert run == [*sorted(GUARD_CODES), "TPM010", "TPM011", "TPM012", "TPM013", "TPM020"]


def test_ignore_adds_to_the_config_ignore() -> None:
    run = rules_to_run(ignore=["TPM02"], config_ignore=["TPM03"])
    left = [c for c in run if c not in GUARD_CODES]
    assert left == [c for c in RULES if c not in GUARD_CODES and c[:5] not in ("TPM02", "TPM03")]
    assert {"TPM009", "TPM010", "TPM011", "TPM012", "TPM013"} <= set(left)
    assert not any(c.startswith(("TPM02", "TPM03")) for c in left)


def test_guards_always_run() -> None:
    assert set(GUARD_CODES) <= set(rules_to_run(select=["TPM02"], config_ignore=["TPM0"]))


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("TPM99", "--select: 'TPM99' matches no rule (see 'tpm rules')"),
        ("E501", "--select: 'E501' is not a rule code or prefix such as TPM010 or TPM02"),
        ("TPM0100", "--select: 'TPM0100' is not a rule code or prefix"),
    ],
)
def test_bad_codes_are_usage_errors(value: str, message: str) -> None:
    with pytest.raises(AuditError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        parse_codes(value, "--select")


def test_codes_are_comma_separated_and_case_insensitive() -> None:
    assert parse_codes(["tpm010, TPM02", "TPM03"], "--select") == ["TPM010", "TPM02", "TPM03"]


def test_a_guard_cannot_be_ignored() -> None:
    with pytest.raises(AuditError, match="TPM002 guards the input and cannot be switched off"):
        audit("config", ignore="TPM002")


def test_config_ignore_severity_and_fail_on() -> None:
    result = audit("config")
    assert not any(c.startswith("TPM03") for c in result.rules_run)  # audit.ignore: [TPM03]
    assert by(result.findings, "TPM013", "ownerless").severity is Severity.ERROR
    assert by(result.findings, "TPM020", "ownerless").severity is Severity.WARNING
    assert result.fail_on == "warning"
    assert result.exit_code == 1


def test_fail_on_levels() -> None:
    # TPM013 is an error here (audit.severity); ignoring it leaves the TPM020 warnings
    assert audit("config", fail_on="error").exit_code == 1
    assert audit("config", fail_on="error", ignore="TPM013").exit_code == 0
    assert audit("config", fail_on="warning", ignore="TPM013").exit_code == 1
    assert audit("config", fail_on="never").exit_code == 0
    # TPM009 and TPM034 are info: only fail_on info fails on them
    assert audit("suppressions", select="TPM009", fail_on="warning").exit_code == 0
    assert audit("suppressions", select="TPM009", fail_on="info").exit_code == 1


def test_loading_findings_always_pass_through_and_fail() -> None:
    result = audit("usage", select="TPM020", fail_on="error")
    assert "TPM002" in {f.code for f in result.findings}
    assert result.exit_code == 1


# -- suppressions and TPM009 -------------------------------------------------------------------


def test_item_suppressions() -> None:
    result = audit("suppressions", select="TPM01")
    assert {(f.code, f.subject, f.suppressed) for f in result.suppressed} == {
        ("TPM010", "orphan", "the new CX manager starts in January"),
        ("TPM013", "quiet", "owner named in Q1"),
        ("TPM013", "until-today", "owner named this week"),  # until is inclusive
    }
    expired = by(result.findings, "TPM013", "expired")  # past its until: reported
    assert expired.message.endswith("(its suppression expired on 2026-10-31)")
    assert result.exit_code == 0  # TPM013 is a warning; fail_on error


def test_suppression_expires_after_until() -> None:
    """A day after 'until', the until-today suppression no longer applies."""
    from datetime import timedelta

    result = audit("suppressions", as_of=AS_OF + timedelta(days=1), select="TPM013")
    assert {f.subject for f in result.findings} == {"expired", "until-today"}


def test_unused_suppressions() -> None:
    result = audit("suppressions", select="TPM009,TPM01,TPM021")
    line = lambda needle, nth=1, path=T: line_of("suppressions", path, needle, nth)  # noqa: E731
    assert seen(result.findings, "TPM009") == {
        # at the suppression's key
        ("TPM009", "stale", line("TPM013: nobody owns it yet", 1)),
        ("TPM009", "meta-unused", line("TPM009: just in case")),
        ("TPM009", "service", line("TPM021:", path="tpm.yaml")),
        ("TPM009", "anna", line("TPM010:", path="tpm.yaml")),
    }
    # meta's stale TPM013 suppression is silenced by its TPM009 suppression
    assert by(result.suppressed, "TPM009", "meta").suppressed == (
        "we keep the TPM013 suppression on purpose"
    )
    stale = by(result.findings, "TPM009", "stale")
    assert stale.message == (
        "audit.ignore of touchpoint 'stale' suppresses TPM013 (unowned-touchpoint), but TPM013 "
        "does not fire on it: the suppression has gone stale, remove it"
    )
    assert stale.column == 9


def test_suppressions_of_rules_that_did_not_run_are_left_alone() -> None:
    # TPM021 is not selected: the unit's suppression of it is not judged
    result = audit("suppressions", select="TPM009,TPM01")
    assert "service" not in {f.subject for f in result.findings if f.code == "TPM009"}
    # TPM013 switched off: the stale TPM013 suppressions are left alone too
    result = audit("suppressions", select="TPM009,TPM01", ignore="TPM013")
    # (meta's TPM009 suppression then silences nothing: TPM009 ran, so that one is stale)
    stale = {f.subject for f in result.findings if f.code == "TPM009"}
    assert stale == {"anna", "meta", "meta-unused"}


def test_tpm009_does_not_run_when_not_selected() -> None:
    result = audit("suppressions", select="TPM01")
    assert "TPM009" not in result.rules_run
    assert not [f for f in result.findings if f.code == "TPM009"]


def test_severity_override_applies_to_tpm009(tmp_path: Path) -> None:
    config = (AUDIT_FIXTURES / "suppressions" / "tpm.yaml").read_text(encoding="utf-8")
    root = make_project(tmp_path, {"tpm.yaml": config + "audit:\n  severity: {TPM009: warning}\n"})
    result = audit(root, select="TPM009,TPM010")
    assert {f.severity for f in result.findings if f.code == "TPM009"} == {Severity.WARNING}


# -- baseline ----------------------------------------------------------------------------------


def _json_of(result_findings: object, path: Path) -> Path:
    from tpm.formats import Report

    path.write_text(renderer("json")(Report(findings=result_findings)), encoding="utf-8")  # type: ignore[arg-type]
    return path


def test_baseline_marks_known_findings_and_they_do_not_fail(tmp_path: Path) -> None:
    first = audit("ownership")
    assert first.exit_code == 1
    base = _json_of(first.findings, tmp_path / "baseline.json")
    again = audit("ownership", baseline=base)
    assert again.exit_code == 0
    assert all(f.known for f in again.findings)
    assert again.report().baseline is True
    # a finding not in the baseline is new and fails the run
    document = json.loads(base.read_text(encoding="utf-8"))
    document["findings"] = [f for f in document["findings"] if f["code"] != "TPM010"]
    base.write_text(json.dumps(document), encoding="utf-8")
    partly = audit("ownership", baseline=Baseline.load(base))
    assert [f.subject for f in partly.findings if not f.known] == ["nobody"]
    assert [f.code for f in partly.failing] == ["TPM010"]
    assert partly.exit_code == 1


def test_baseline_matches_code_subject_and_path_not_the_line(tmp_path: Path) -> None:
    first = audit("ownership", select="TPM010")
    for f in first.findings:
        f.line += 7
        f.message = "an older wording"
    base = _json_of(first.findings, tmp_path / "b.json")
    assert audit("ownership", select="TPM010", baseline=base).exit_code == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read it"),
        ("{not json", "not json"),
        ('{"version": 2, "findings": []}', "not the json of 'tpm audit --format json'"),
        ('{"version": 1, "findings": [{"code": 1}]}', "not the json of"),
        ("[1, 2]", "not the json of"),
        (b"\xff\xfe", "not UTF-8"),
    ],
)
def test_bad_baseline_is_a_usage_error(
    tmp_path: Path, content: str | bytes | None, message: str
) -> None:
    path = tmp_path / "baseline.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(AuditError, match=message) as info:
        Baseline.load(path)
    assert "\n" not in str(info.value)
    assert str(info.value).startswith(f"--baseline {path}: ")


# -- the result --------------------------------------------------------------------------------


def test_findings_are_sorted_by_path_line_column_code() -> None:
    findings = audit("ownership").findings
    keys = [(f.path, f.line, f.column, f.code) for f in findings]
    assert keys == sorted(keys)


def test_report_carries_what_the_formats_need() -> None:
    result = audit("suppressions")
    report = result.report("sub")
    assert report.root_prefix == "sub"
    assert report.suppressed == result.suppressed
    assert report.rules_run == result.rules_run
    assert report.files == 3
    assert (report.fail_on, report.exit_code, report.baseline) == ("error", 0, False)
    assert report.verdict_on == "error"
