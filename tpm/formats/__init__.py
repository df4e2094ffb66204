"""Output formats of findings: a name -> renderer registry (one module per format)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tpm.findings import Finding


@dataclass
class Report:
    """What every findings format renders: the findings and a little context."""

    findings: list[Finding]  # what is reported (baseline matches included, flagged `known`)
    suppressed: list[Finding] = field(default_factory=list)  # suppressed (with `suppressed` reason)
    files: int = 0  # how many files were checked
    root_prefix: str = ""  # display prefix of the project root ("" when it is the cwd)
    rules_run: list[str] = field(default_factory=list)  # codes of the rules that ran
    extra: dict[str, Any] = field(default_factory=dict)


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
