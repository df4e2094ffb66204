"""`--format github`: GitHub Actions workflow commands, one line a finding (docs/ci.md).

    ::error file=journeys/onboarding.yaml,line=3,col=5,title=CODE unowned-journey::journey ...

GitHub turns these lines of a step's log into annotations on the pull request's files.
error -> `::error`, warning -> `::warning`, info -> `::notice`.

Escaping follows the actions/toolkit (`escapeData` / `escapeProperty` in
packages/core/src/command.ts): in the message `%` -> `%25`, CR -> `%0D`, LF -> `%0A`; in
property values (file, title) also `:` -> `%3A` and `,` -> `%2C`. No raw line break survives,
so one finding is always one line. Other control characters (ESC, C1, NEL, LS, PS) are shown as
escapes (tpm.safetext.visible): nothing reaches the log raw.

Decisions:
- Suppressed findings are not printed (they are accepted, with a reason, in the YAML), nor are
  those below the display threshold (`--show`, `audit.show`).
- Findings matched by the baseline (`known`) are printed as `::notice` whatever their severity,
  titled `CODE name (known)`, and after all new findings: GitHub shows at most ten annotations
  of each type per step, so the known ones never crowd out the new errors and warnings a pull
  request has to fix, yet stay visible in the log.
"""

from __future__ import annotations

from tpm.findings import Finding, Severity
from tpm.formats import Report
from tpm.formats.context import shown
from tpm.safetext import visible

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return visible(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(f: Finding) -> str:
    name = "notice" if f.known else COMMANDS[f.severity]
    title = f"{f.code} {f.name}" + (" (known)" if f.known else "")
    properties = [
        ("file", f.path),
        ("line", str(f.line)),
        ("col", str(f.column)),
        ("title", title),
    ]
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::{name} {props}::{escape_data(f.message)}"


def render(report: Report) -> str:
    listed = shown(report)  # the display threshold: --show, audit.show
    new = [f for f in listed if not f.known]
    known = [f for f in listed if f.known]
    return "".join(command(f) + "\n" for f in [*new, *known])
