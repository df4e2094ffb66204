"""`--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers (docs/ci.md).

One run whose `tool.driver.rules` lists every rule of the registry (generated from the one
record per rule), and one result per finding:

- `level`: error -> error, warning -> warning, info -> note (the finding's severity, so a
  severity changed in `audit.severity` shows; the rule's default is `defaultConfiguration`).
- Location: the finding's path as printed (docs/ci.md: relative to the current directory when the
  project lies inside it, so a run from the repository root gives repository-relative paths),
  percent-encoded as a URI reference with `uriBaseId: "%SRCROOT%"`; `region` has startLine and
  startColumn, counted in Unicode code points (`columnKind`). A path outside the project (an
  absolute `--responses` file) becomes an absolute `file:` URI without a base.
- `partialFingerprints["tpm/v1"]`: see tpm.formats.fingerprint (code, subject, path and the
  message without its numbers, never the line, so a finding keeps its identity when lines above
  it change or a day passes).
- Suppressed findings (`Report.suppressed`) are results too, with
  `suppressions: [{"kind": "inSource", "justification": reason}]`: viewers show them as
  suppressed, and the reason travels with them.
- `baselineState`: only when a baseline was used (`Report.baseline`, see
  tpm.formats.context), and then on every result: "unchanged" for findings matched by the
  baseline (`known`), "new" for the others.

Output is deterministic: no timestamps, absolute paths of the machine or random ids.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

import tpm
from tpm.findings import Finding, Severity
from tpm.formats import Report
from tpm.formats.context import baseline_used
from tpm.formats.fingerprint import VERSION, fingerprints
from tpm.rules.registry import RULES, Rule

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
INFORMATION_URI = "https://pypi.org/project/tpm-toolkit/"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = f"tpm/{VERSION}"

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


_SECTIONS = (("What it checks", "what"), ("Why it matters", "why"), ("How to fix", "fix"))
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:/")


def _tags(rule: Rule) -> list[str]:
    return ["touchpoint-management", rule.family]


def _fence(code: str) -> str:
    """A Markdown code fence longer than any run of backticks in `code`."""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    return "`" * max(3, longest + 1)


def _help(rule: Rule) -> dict[str, str]:
    text: list[str] = []
    markdown: list[str] = []
    for title, attr in _SECTIONS:
        body = getattr(rule, attr).strip()
        if body:
            text.append(f"{title}: {body}")
            markdown.append(f"**{title}.** {body}")
    example = rule.example.strip("\n")
    if example.strip():
        text.append(f"Example:\n{example}")
        fence = _fence(example)
        markdown.append(f"**Example**\n\n{fence}yaml\n{example}\n{fence}")
    if not text:
        text.append(rule.summary)
        markdown.append(rule.summary)
    return {"text": "\n\n".join(text), "markdown": "\n\n".join(markdown)}


def _descriptor(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.what.strip() or rule.summary},
        "help": _help(rule),
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": _tags(rule)},
    }


def artifact_location(path: str) -> dict[str, str]:
    """A printed path as a SARIF artifactLocation: relative to %SRCROOT%, percent-encoded."""
    path = path.replace("\\", "/")
    if path.startswith("/"):
        return {"uri": "file://" + quote(path, safe="/")}
    if _WINDOWS_DRIVE.match(path):
        return {"uri": "file:///" + path[:2] + quote(path[2:], safe="/")}
    # `quote` also encodes ':' so that a first segment is never read as a URI scheme.
    return {"uri": quote(path, safe="/"), "uriBaseId": SRCROOT}


def _result(f: Finding, rule_index: dict[str, int], fp: str, baseline: bool) -> dict[str, Any]:
    result: dict[str, Any] = {"ruleId": f.code}
    if f.code in rule_index:
        result["ruleIndex"] = rule_index[f.code]
    result["level"] = LEVELS[f.severity]
    result["message"] = {"text": f.message}
    result["locations"] = [
        {
            "physicalLocation": {
                "artifactLocation": artifact_location(f.path),
                "region": {"startLine": max(1, f.line), "startColumn": max(1, f.column)},
            }
        }
    ]
    result["partialFingerprints"] = {FINGERPRINT_KEY: fp}
    if baseline:
        result["baselineState"] = "unchanged" if f.known else "new"
    if f.suppressed is not None:
        result["suppressions"] = [{"kind": "inSource", "justification": f.suppressed}]
    if f.subject is not None:
        result["properties"] = {"subject": f.subject}
    return result


def document(report: Report) -> dict[str, Any]:
    """The SARIF log as a JSON-ready dict."""
    rules = list(RULES.values())
    rule_index = {rule.code: i for i, rule in enumerate(rules)}
    findings = sorted([*report.findings, *report.suppressed], key=Finding.sort_key)
    baseline = baseline_used(report)
    results = [
        _result(f, rule_index, fp, baseline)
        for f, fp in zip(findings, fingerprints(findings, report.root_prefix), strict=True)
    ]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "tpm",
                "version": tpm.__version__,
                "informationUri": INFORMATION_URI,
                "rules": [_descriptor(rule) for rule in rules],
            }
        },
        "invocations": [{"executionSuccessful": True}],
        "originalUriBaseIds": {
            SRCROOT: {
                "description": {"text": "The directory tpm ran in: the repository checkout in CI."}
            }
        },
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(report: Report) -> str:
    return json.dumps(document(report), indent=2, ensure_ascii=False) + "\n"
