"""`--format gitlab`: a GitLab Code Quality report (docs/ci.md).

A JSON array with one issue per reported finding, holding the fields GitLab documents:

    {"description": "CODE unowned-journey: journey 'onboarding' has no owner",
     "check_name": "CODE", "fingerprint": "…", "severity": "major",
     "location": {"path": "journeys/onboarding.yaml", "lines": {"begin": 3}}}

- severity (GitLab's scale is info, minor, major, critical, blocker): error -> major,
  warning -> minor, info -> info. This is the mapping of eslint-formatter-gitlab; critical and
  blocker are left for security problems, which tpm does not report.
- fingerprint: tpm.formats.fingerprint (the one SARIF uses), never the line: GitLab compares the
  reports of a merge request and its target branch by fingerprint, so a finding that merely
  moved is not reported as new. Findings known from a `--baseline` are included unchanged for
  the same reason (GitLab does its own diffing); suppressed findings are left out.
- location.path: the path as printed, relative to the repository root when tpm runs there (as
  it does in GitLab CI).
"""

from __future__ import annotations

import json
from typing import Any

from tpm.findings import Finding, Severity
from tpm.formats import Report
from tpm.formats.fingerprint import fingerprints

SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def _issue(f: Finding, fingerprint: str) -> dict[str, Any]:
    return {
        "description": f"{f.code} {f.name}: {f.message}",
        "check_name": f.code,
        "fingerprint": fingerprint,
        "severity": SEVERITIES[f.severity],
        "location": {"path": f.path, "lines": {"begin": max(1, f.line)}},
    }


def render(report: Report) -> str:
    issues = [
        _issue(f, fp)
        for f, fp in zip(
            report.findings, fingerprints(report.findings, report.root_prefix), strict=True
        )
    ]
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
