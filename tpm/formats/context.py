"""The verdict and the baseline of a report, as the CI formats read them, in one place.

`Report.exit_code` is the audit's verdict (exit 1 when a finding reached the fail-on level
and is not known from the baseline); a report built without one (e.g. in a test) is judged
by `Report.fail_on`. `Report.baseline` says a `--baseline` file was used; a report in which
some finding is `known` counts as using a baseline as well.
"""

from __future__ import annotations

from tpm.catalogue import reaches
from tpm.formats import Report


def baseline_used(report: Report) -> bool:
    return report.baseline or any(f.known for f in report.findings)


def failed(report: Report) -> bool:
    """The verdict of the run: as given by the caller, else the `--fail-on` rule (README.md)."""
    if report.exit_code is not None:
        return report.exit_code != 0
    return any(not f.known and reaches(f.severity, report.fail_on) for f in report.findings)
