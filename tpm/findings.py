"""Findings: what tpm reports about a project, with a precise location."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tpm.catalogue import Rule, Severity

__all__ = ["Finding", "Location", "Severity", "make_finding", "sort_findings", "summary"]


ROOT_CAUSE = "yaml-syntax"  # the rule (by name) of a file that could not be read


@dataclass(frozen=True, slots=True)
class Location:
    """A place in a file: a display path (forward slashes) and a 1-based line and column."""

    path: str
    line: int = 1
    column: int = 1


@dataclass(slots=True)
class Finding:
    code: str
    name: str
    severity: Severity
    message: str
    path: str
    line: int
    column: int
    subject: str | None = None
    # Set by the audit engine: a suppression reason (SARIF carries it) or a baseline match.
    suppressed: str | None = field(default=None, compare=False)
    known: bool = field(default=False, compare=False)

    def sort_key(self) -> tuple[bool, str, int, int, str, str]:
        """Root causes first: a file that could not be read (yaml-syntax) comes before the
        findings it explains (the references into it that then name nothing), then by place."""
        return (self.name != ROOT_CAUSE, self.path, self.line, self.column, self.code, self.message)

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "message": self.message,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "subject": self.subject,
        }


def make_finding(rule: Rule, message: str, where: Location, subject: str | None = None) -> Finding:
    """A finding of `rule` with the rule's name and default severity."""
    return Finding(
        code=rule.code,
        name=rule.name,
        severity=rule.severity,
        message=message,
        path=where.path,
        line=where.line,
        column=where.column,
        subject=subject,
    )


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=Finding.sort_key)


def summary(findings: list[Finding]) -> dict[str, int]:
    counts = {"error": 0, "warning": 0, "info": 0}
    for f in findings:
        counts[f.severity.value] += 1
    return counts
