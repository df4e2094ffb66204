"""Output formats of findings: a name -> renderer registry (one module per format)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

from tpm.findings import Finding


@dataclass
class Report:
    """What every findings format renders: the findings and a little context."""

    findings: list[Finding]  # what is reported (baseline matches included, flagged `known`)
    suppressed: list[Finding] = field(default_factory=list)  # suppressed (with `suppressed` reason)
    files: int = 0  # how many files were checked
    root_prefix: str = ""  # display prefix of the project root ("" when it is the cwd)
    rules_run: list[str] = field(default_factory=list)  # codes of the rules that ran
    # the verdict of the run: the audit's exit code; None when the caller has none, and the
    # formats then judge the findings by `fail_on` (error, warning, info or never)
    exit_code: int | None = None
    fail_on: str = "error"
    # the level the verdict ("passed"/"failed") is judged at: audit.fail_on of tpm.yaml, or
    # --fail-on when that is a level (never "never"); None: `fail_on`, or error when never
    verdict_on: str | None = None
    # the display threshold (--show, audit.show): text, github and markdown list the findings
    # at or above it and only count the others; the machine formats keep every finding
    show: str = "info"
    # a `--baseline` was used: SARIF gives every result a `baselineState`, markdown shows new
    # and known findings apart (a report in which a finding is `known` counts as one too)
    baseline: bool = False


# format name -> module under tpm.formats exposing `render(report) -> str`
FORMATS: dict[str, str] = {
    "text": "text",
    "json": "json_format",
    "sarif": "sarif",
    "github": "github",
    "gitlab": "gitlab",
    "junit": "junit",
    "markdown": "markdown",
}


def renderer(name: str) -> Callable[[Report], str]:
    module = importlib.import_module(f"tpm.formats.{FORMATS[name]}")
    return module.render  # type: ignore[no-any-return]
