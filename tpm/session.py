"""The one pipeline of every command: root -> project -> graph -> scores -> audit.

A `Session` holds what a run is about (where the project is, the day dates are judged as of,
the response files named on the command line) and computes each stage once, when first asked:
`tpm validate` never builds the graph, `tpm list` never reads a response file, and `tpm show`
scores the project once for its own line and for the audit. Commands and tests use it; the
CLI only parses options and renders what a session computed.

Every usage error (no project, a bad rule code, a response file that does not exist) is a
`tpm.errors.UsageError`, raised when the stage that needs it first runs: the order in which a
command asks for the stages is the order in which its errors are found.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from tpm.errors import UsageError

if TYPE_CHECKING:
    from tpm.audit import AuditResult, Baseline
    from tpm.findings import Finding
    from tpm.formats import Report
    from tpm.graph import OrgGraph
    from tpm.project import Project
    from tpm.scoring import Progress, Scores

# makes the progress bar of reading the response files (the CLI's shows on a terminal only)
ProgressFactory = Callable[[], AbstractContextManager["Progress | None"]]

# the key of one audit run: select, ignore, baseline, fail-on level, with scores
_AuditKey = tuple[tuple[str, ...], tuple[str, ...], "Path | Baseline | None", "str | None", bool]


@dataclass
class Validation:
    """What `tpm validate` found: loading, schema and reference findings of every file."""

    findings: list[Finding]  # sorted
    files: int  # YAML and response files checked

    @property
    def exit_code(self) -> int:
        """1 when an error was found, else 0."""
        from tpm.findings import Severity

        return 1 if any(f.severity is Severity.ERROR for f in self.findings) else 0

    def report(self) -> Report:
        from tpm.formats import Report

        return Report(findings=self.findings, files=self.files)


class Session:
    """One run of tpm on one project. Stages are computed on first use and kept.

    `directory` is the project directory (`-C`), or None for the nearest directory holding
    tpm.yaml from the current one; `as_of` the day dates are judged as of (default: today);
    `responses` response files besides the project's own (`--responses`); `cwd` the
    directory printed paths are relative to (default: the current one).
    """

    def __init__(
        self,
        directory: Path | None = None,
        as_of: dt.date | None = None,
        responses: Sequence[Path] = (),
        *,
        cwd: Path | None = None,
        progress: ProgressFactory | None = None,
    ) -> None:
        self.directory = directory
        self.as_of = as_of if as_of is not None else dt.date.today()
        self.responses = tuple(responses)
        self.cwd = cwd
        self._progress = progress

    # -- the stages ------------------------------------------------------------------------

    @cached_property
    def root(self) -> Path:
        from tpm.project import find_root

        return find_root(self.directory)

    @cached_property
    def project(self) -> Project:
        from tpm.project import load
        from tpm.rules.registry import RULES

        return load(self.root, self.cwd, rules=RULES)

    @cached_property
    def graph(self) -> OrgGraph:
        from tpm.graph import OrgGraph

        return OrgGraph(self.project)

    @cached_property
    def scores(self) -> Scores:
        """Scores from the inline ratings and every response file (the project's and
        `responses`), with the progress bar while the files are read."""
        from tpm.scoring import compute

        project, graph = self.project, self.graph
        self.check_responses()
        with self._progress() if self._progress is not None else nullcontext() as progress:
            return compute(project, graph, self.as_of, self.responses, progress=progress)

    def audit(
        self,
        select: str | Sequence[str] | None = None,
        ignore: str | Sequence[str] | None = None,
        baseline: Path | Baseline | None = None,
        fail_on: str | None = None,
        with_scores: bool = True,
    ) -> AuditResult:
        """The audit with these options (see tpm.audit.run_audit), computed once per set of
        options. Bad codes and an unreadable baseline are found before the responses are
        read; `with_scores=False` leaves the score rules out and reads no response file."""
        from tpm.audit import Baseline, check_selection, run_audit

        key: _AuditKey = (_codes(select), _codes(ignore), baseline, fail_on, with_scores)
        done = self._audits.get(key)
        if done is not None:
            return done
        project, graph = self.project, self.graph
        check_selection(select, ignore)
        if baseline is not None and not isinstance(baseline, Baseline):
            baseline = Baseline.load(Path(baseline))
        scores = self.scores if with_scores else None
        result = run_audit(project, graph, scores, self.as_of, select, ignore, baseline, fail_on)
        self._audits[key] = result
        return result

    @cached_property
    def _audits(self) -> dict[_AuditKey, AuditResult]:
        return {}

    def validate(self) -> Validation:
        """`tpm validate`: every YAML file and every response row checked (no rule runs).
        A response file that does not exist is found before the project is looked for."""
        from tpm.findings import sort_findings
        from tpm.responses import response_files, validate_responses

        self.check_responses()
        project = self.project
        findings = sort_findings(project.findings + validate_responses(project, self.responses))
        files = len(project.sources) + len(response_files(project, self.responses))
        return Validation(findings, files)

    # -- helpers ---------------------------------------------------------------------------

    @property
    def data_findings(self) -> list[Finding]:
        """The problems found in the data while loading and scoring (not the audit's)."""
        return [*self.project.findings, *self.scores.findings]

    def check_responses(self) -> None:
        """Files named with `--responses` must exist and be regular files."""
        for path in self.responses:
            if not path.is_file():
                if path.is_dir():
                    what = "is a directory"
                elif path.exists():  # a pipe or a device: reading it could block or never end
                    what = "is not a regular file"
                else:
                    what = "does not exist"
                raise UsageError(f"--responses {path}: the file {what}")


def _codes(value: str | Sequence[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)
