"""`--format junit`: JUnit XML for CI test reports (GitLab, Jenkins, Azure DevOps; docs/ci.md).

    <testsuites name="tpm" tests=… failures=… errors="0" skipped=…>
      <testsuite name="CODE unowned-journey" tests=… failures=… errors="0" skipped=…>
        <testcase classname="tpm.CODE" name="journeys/onboarding.yaml:3:5 onboarding">
          <failure message="journey 'onboarding' has no owner" type="error">…</failure>

- One testsuite per rule that ran (`Report.rules_run`, plus the rule of any finding, so a
  report without `rules_run` still lists every failure), in the order of the rule registry.
- One testcase per reported finding, named `path:line:column subject`. An error or a warning
  fails it (the failure's `type` is the severity, its text the compiler-style line of the
  finding); an info finding is a passing testcase with that line as its `system-out` (info is
  advice, not a failed check), unless the fail-on level is info.
- Decisions: a finding known from the `--baseline` does not fail the run, so it is a *skipped*
  testcase ("known (in the baseline): message"), as is a suppressed finding ("suppressed: reason").
- A rule with no reported finding (suppressed ones are not reported) gets one passing testcase,
  named after the rule, so the report shows what was checked.
- Built with xml.etree (which escapes `<`, `&` and quotes); characters that XML 1.0 cannot hold
  at all (most control characters) are removed from every text first.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict

from tpm.findings import Finding, Severity
from tpm.formats import Report
from tpm.formats.context import verdict_level
from tpm.rules.registry import RULES

# Everything outside XML 1.0's Char production (tab, LF and CR are allowed).
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """`text` without the characters XML 1.0 forbids."""
    return _NOT_XML.sub("", text)


def _element(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: xml_text(v) for k, v in attrs.items()})
    if text is not None:
        element.text = xml_text(text)
    return element


def _case_name(f: Finding) -> str:
    where = f"{f.path}:{f.line}:{f.column}"
    return f"{where} {f.subject}" if f.subject else where


def _location_line(f: Finding) -> str:
    return f"{f.path}:{f.line}:{f.column}: {f.severity.value} {f.code} {f.message} [{f.name}]"


def _order(code: str) -> tuple[int, str]:
    codes = list(RULES)
    return (codes.index(code) if code in RULES else len(codes), code)


def render(report: Report) -> str:
    reported: dict[str, list[Finding]] = defaultdict(list)
    for f in report.findings:
        reported[f.code].append(f)
    suppressed: dict[str, list[Finding]] = defaultdict(list)
    for f in report.suppressed:
        suppressed[f.code].append(f)
    codes = sorted({*report.rules_run, *reported, *suppressed}, key=_order)

    # warnings and errors fail a test case; info only when the fail-on level is info
    failing = min(Severity.WARNING.rank, Severity(verdict_level(report)).rank)
    root = ET.Element("testsuites", {"name": "tpm"})
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for code in codes:
        rule = RULES.get(code)
        name = f"{code} {rule.name}" if rule else code
        suite = _element(root, "testsuite", name=name)
        counts = {"tests": 0, "failures": 0, "skipped": 0}
        for f in reported[code]:
            case = _element(suite, "testcase", classname=f"tpm.{code}", name=_case_name(f))
            counts["tests"] += 1
            if f.known:
                _element(case, "skipped", message=f"known (in the baseline): {f.message}")
                counts["skipped"] += 1
            elif f.severity.rank < failing:  # info: reported, not a failed test
                _element(case, "system-out", _location_line(f))
            else:
                _element(
                    case, "failure", _location_line(f), message=f.message, type=f.severity.value
                )
                counts["failures"] += 1
        for f in suppressed[code]:
            case = _element(suite, "testcase", classname=f"tpm.{code}", name=_case_name(f))
            _element(case, "skipped", message=f"suppressed: {f.suppressed or ''}")
            counts["tests"] += 1
            counts["skipped"] += 1
        if not reported[code]:
            _element(suite, "testcase", classname=f"tpm.{code}", name=name)
            counts["tests"] += 1
        suite.attrib.update(
            tests=str(counts["tests"]),
            failures=str(counts["failures"]),
            errors="0",
            skipped=str(counts["skipped"]),
        )
        for key in totals:
            totals[key] += counts[key]
    root.attrib.update(
        tests=str(totals["tests"]),
        failures=str(totals["failures"]),
        errors="0",
        skipped=str(totals["skipped"]),
    )
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
