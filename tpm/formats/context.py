"""The verdict and the baseline of a report, as the CI formats read them, in one place.

The verdict ("passed"/"failed") is judged at `Report.verdict_on` (audit.fail_on of tpm.yaml, or
`--fail-on` when that is a level), not by the exit code: `--fail-on never`, the form of the CI
summary steps, does not turn errors into "passed". A report built without one (e.g. in a test)
is judged by `Report.fail_on`, or at error when that is never. `Report.baseline` says a
`--baseline` file was used; a report in which some finding is `known` counts as using a
baseline as well.
"""

from __future__ import annotations

from tpm.catalogue import reaches
from tpm.findings import Finding
from tpm.formats import Report


def baseline_used(report: Report) -> bool:
    return report.baseline or any(f.known for f in report.findings)


def verdict_level(report: Report) -> str:
    """The level the verdict is judged at: `Report.verdict_on`, else `fail_on`, else error."""
    for level in (report.verdict_on, report.fail_on):
        if level in ("error", "warning", "info"):
            return level
    return "error"


def failed(report: Report) -> bool:
    """The verdict: a finding that is not known from the baseline is at or above the verdict
    level (README.md, "tpm audit"). The exit code is the run's business, not the verdict's:
    `--fail-on never` keeps it at 0 and errors still fail the verdict."""
    level = verdict_level(report)
    return any(not f.known and reaches(f.severity, level) for f in report.findings)


def shown(report: Report) -> list[Finding]:
    """The findings at or above the display threshold (`Report.show`), in report order."""
    level = report.show if report.show in ("error", "warning", "info") else "info"
    return [f for f in report.findings if reaches(f.severity, level)]


def not_shown(report: Report) -> str:
    """What the display threshold hides, in words ("12 info not shown (--show info lists
    them)"), or ""."""
    from tpm.words import plural

    kept = {id(f) for f in shown(report)}
    counts = {"warning": 0, "info": 0}  # an error is always shown
    for f in report.findings:
        if id(f) not in kept:
            counts[f.severity.value] += 1
    parts = [plural(n, s, "info" if s == "info" else None) for s, n in counts.items() if n]
    if not parts:
        return ""
    lowest = "info" if counts["info"] else "warning"
    return f"{' and '.join(parts)} not shown (--show {lowest} lists them)"
