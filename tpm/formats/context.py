"""What the CI formats read from `Report.extra`, in one place.

The keys (all optional; the audit engine sets them, other callers may leave them out):

- `failed` (bool) or `exit_code` (int): the verdict of the run (exit 1 when a finding reached
  the fail-on level and is not known from the baseline). The markdown heading shows it.
- `fail_on` (str: error, warning, info or never; default error): the effective fail-on level,
  used for the verdict when neither `failed` nor `exit_code` is given.
- `baseline` (bool): a `--baseline` file was used. SARIF then gives every result a
  `baselineState` and markdown shows new and known findings apart. A report in which some
  finding is `known` counts as using a baseline even without the key.
"""

from __future__ import annotations

from tpm.findings import Severity
from tpm.formats import Report


def baseline_used(report: Report) -> bool:
    return bool(report.extra.get("baseline")) or any(f.known for f in report.findings)


def failed(report: Report) -> bool:
    """The verdict of the run: as given by the caller, else the `--fail-on` rule (README.md)."""
    given = report.extra.get("failed")
    if isinstance(given, bool):
        return given
    exit_code = report.extra.get("exit_code")
    if isinstance(exit_code, int):
        return exit_code != 0
    fail_on = str(report.extra.get("fail_on", "error"))
    if fail_on == "never":
        return False
    level = Severity(fail_on).rank
    return any(not f.known and f.severity.rank >= level for f in report.findings)
