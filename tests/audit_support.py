"""Helpers of the audit tests: run the audit on a fixture project as of a fixed day, and find
the line a finding should point at from the fixture's own text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from tpm.audit import AuditResult, Baseline
from tpm.findings import Finding
from tpm.project import Project, load
from tpm.rules.registry import RULES
from tpm.session import Session

AUDIT_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "audit"
AS_OF = dt.date(2026, 11, 25)  # every audit test judges dates as of this day


def load_fixture(family: str | Path) -> Project:
    root = AUDIT_FIXTURES / family if isinstance(family, str) else family
    return load(root, cwd=root, rules=RULES)


def audit(
    family: str | Path,
    as_of: dt.date = AS_OF,
    scores: bool = True,
    select: str | None = None,
    ignore: str | None = None,
    baseline: Path | Baseline | None = None,
    fail_on: str | None = None,
) -> AuditResult:
    """Audit a fixture project (or any project root) as `tpm audit` does; `scores=False`
    leaves the score rules out."""
    root = AUDIT_FIXTURES / family if isinstance(family, str) else family
    session = Session(root, as_of, cwd=root)
    return session.audit(select, ignore, baseline, fail_on, with_scores=scores)


def line_of(family: str, relpath: str, needle: str, nth: int = 1) -> int:
    """The 1-based line of the `nth` line of a fixture file that contains `needle`."""
    lines = (AUDIT_FIXTURES / family / relpath).read_text(encoding="utf-8").splitlines()
    hits = [i + 1 for i, line in enumerate(lines) if needle in line]
    assert len(hits) >= nth, f"{needle!r} is not in {family}/{relpath} {nth} times"
    return hits[nth - 1]


def seen(findings: Iterable[Finding], *codes: str) -> set[tuple[str, str | None, int]]:
    """(code, subject, line) of the findings, only of `codes` when given."""
    return {(f.code, f.subject, f.line) for f in findings if not codes or f.code in codes}


def by(findings: Iterable[Finding], code: str, subject: str | None) -> Finding:
    matches = [f for f in findings if f.code == code and f.subject == subject]
    assert len(matches) == 1, f"{code} on {subject}: {matches}"
    return matches[0]
