"""`tpm audit`: run the rules, then apply the configuration, suppressions and the baseline.

The order matters and is the contract of `tpm audit` (README.md, docs/ci.md):

1. Loading findings (the input guards of tpm.guards, from the files and the response rows)
   always pass through: they guard the input and can be neither switched off nor suppressed.
2. The rules that run are `--select` (or all), minus `--ignore` and `audit.ignore` (codes or
   prefixes such as `TPM02`). The score rules run only when scores were computed.
3. Each check yields its findings; `audit.severity` overrides their severity.
4. An item's `audit.ignore` suppresses the findings whose subject it is, until its `until`.
5. unused-suppression reports suppressions of rules that ran and did not fire on their item.
6. `--baseline` marks findings already known (same code, subject and path): they are shown
   but never fail the run.
7. The exit code: 1 when a finding that is not known is at or above the fail-on level.

The library returns the exit code; the command only exits with it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tpm.catalogue import FAIL_LEVELS, is_code_or_prefix, reaches
from tpm.errors import UsageError
from tpm.findings import Finding, Severity, make_finding, sort_findings
from tpm.rules.ownership import UNOWNED_JOURNEY
from tpm.rules.registry import GUARD_CODES, RULES
from tpm.rules.suppression import UNUSED_SUPPRESSION

_EXAMPLE = UNOWNED_JOURNEY.code  # in the message about a malformed code

if TYPE_CHECKING:
    from tpm.formats import Report
    from tpm.graph import OrgGraph
    from tpm.model import ItemAudit, Suppression
    from tpm.project import Project
    from tpm.scoring import Scores


BaselineKey = tuple[str, str | None, str]  # code, subject, path


class AuditError(UsageError):
    """A usage error of the audit (bad codes, an unreadable baseline): exit 2."""


# -- which rules run ---------------------------------------------------------------------------


def parse_codes(value: str | Sequence[str] | None, option: str) -> list[str]:
    """Comma-separated codes or prefixes (such as `TPM02`), checked against the rules."""
    if value is None:
        return []
    parts = [value] if isinstance(value, str) else list(value)
    tokens = [t.strip().upper() for part in parts for t in part.split(",") if t.strip()]
    for token in tokens:
        if not is_code_or_prefix(token):
            raise AuditError(
                f"{option}: {token!r} is not a rule code or prefix such as {_EXAMPLE} or TPM02"
            )
        if not any(code.startswith(token) for code in RULES):
            raise AuditError(f"{option}: {token!r} matches no rule (see 'tpm rules')")
    return tokens


def rules_to_run(
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    config_ignore: Sequence[str] = (),
    with_scores: bool = True,
) -> list[str]:
    """Codes of the rules that run, guards included (they always do), in code order."""
    from tpm.rules.checks import NEEDS_SCORES

    def matches(code: str, prefixes: Iterable[str]) -> bool:
        return any(code.startswith(p) for p in prefixes)

    run = []
    for code in RULES:
        if code in GUARD_CODES:
            run.append(code)
            continue
        if select and not matches(code, select):
            continue
        if matches(code, ignore) or matches(code, config_ignore):
            continue
        if code in NEEDS_SCORES and not with_scores:
            continue
        run.append(code)
    return run


def check_selection(
    select: str | Sequence[str] | None, ignore: str | Sequence[str] | None
) -> tuple[list[str], list[str]]:
    """The parsed `--select` and `--ignore` codes; AuditError for a bad one."""
    selected = parse_codes(select, "--select")
    ignored = parse_codes(ignore, "--ignore")
    for token in ignored:
        if token in GUARD_CODES:
            raise AuditError(f"--ignore: {token} guards the input and cannot be switched off")
    return selected, ignored


# -- the baseline ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Baseline:
    """The findings of an earlier `tpm audit --format json`, as (code, subject, path)."""

    keys: frozenset[BaselineKey]

    @classmethod
    def load(cls, path: Path) -> Baseline:
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise AuditError(f"--baseline {path}: cannot read it ({exc.strerror or exc})") from None
        except UnicodeDecodeError:
            raise AuditError(f"--baseline {path}: not UTF-8 text") from None
        try:
            document = json.loads(text)
        except ValueError as exc:
            raise AuditError(
                f"--baseline {path}: not json (line {getattr(exc, 'lineno', '?')}); "
                "write it with 'tpm audit --format json --output FILE'"
            ) from None
        keys = _baseline_keys(document)
        if keys is None:
            raise AuditError(
                f"--baseline {path}: not the json of 'tpm audit --format json' "
                '(expected {"version": 1, "findings": [{"code", "subject", "path", ...}]})'
            )
        return cls(frozenset(keys))

    def __contains__(self, finding: object) -> bool:
        """Same code, subject and file. Printed paths depend on the directory tpm ran from
        (docs/ci.md), so a baseline written from the repository root (`org/journeys/a.yaml`)
        also matches a run inside the project (`journeys/a.yaml`), and the other way round."""
        if not isinstance(finding, Finding):
            return False
        if (finding.code, finding.subject, finding.path) in self.keys:
            return True
        here = finding.path
        return any(
            code == finding.code
            and subject == finding.subject
            and (path.endswith("/" + here) or here.endswith("/" + path))
            for code, subject, path in self._by_item.get((finding.code, finding.subject), ())
        )

    @cached_property
    def _by_item(self) -> dict[tuple[str, str | None], list[BaselineKey]]:
        table: dict[tuple[str, str | None], list[BaselineKey]] = {}
        for key in self.keys:
            table.setdefault((key[0], key[1]), []).append(key)
        return table


def _baseline_keys(document: Any) -> list[BaselineKey] | None:
    if not isinstance(document, dict) or document.get("version") != 1:
        return None
    findings = document.get("findings")
    if not isinstance(findings, list):
        return None
    keys = []
    for entry in findings:
        if not isinstance(entry, dict):
            return None
        code, subject, path = entry.get("code"), entry.get("subject"), entry.get("path")
        if not isinstance(code, str) or not isinstance(path, str):
            return None
        if subject is not None and not isinstance(subject, str):
            return None
        keys.append((code, subject, path))
    return keys


# -- the result --------------------------------------------------------------------------------


@dataclass
class AuditResult:
    findings: list[Finding]  # reported, sorted; baseline matches flagged `known`
    suppressed: list[Finding]  # suppressed by an item's audit.ignore, with the reason
    rules_run: list[str]  # codes, guards included
    fail_on: str  # error | warning | info | never
    exit_code: int  # 0, or 1 when a finding that is not known reaches fail_on
    files: int = 0  # files checked (YAML and responses)
    failing: list[Finding] = field(default_factory=list)  # the findings that set exit 1
    baseline: bool = False  # a baseline was given (formats then show new and known)
    # the level "passed"/"failed" is judged at: --fail-on, or audit.fail_on when that is never
    verdict_on: str = "error"

    def report(self, root_prefix: str = "") -> Report:
        from tpm.formats import Report

        return Report(
            findings=self.findings,
            suppressed=self.suppressed,
            files=self.files,
            root_prefix=root_prefix,
            rules_run=self.rules_run,
            exit_code=self.exit_code,
            fail_on=self.fail_on,
            baseline=self.baseline,
            verdict_on=self.verdict_on,
        )


# -- the engine --------------------------------------------------------------------------------


def run_audit(
    project: Project,
    graph: OrgGraph,
    scores: Scores | None,
    as_of: dt.date,
    select: str | Sequence[str] | None = None,
    ignore: str | Sequence[str] | None = None,
    baseline: Path | Baseline | None = None,
    fail_on: str | None = None,
) -> AuditResult:
    """Audit the project as of `as_of`. Raises AuditError for usage errors only (bad codes,
    an unreadable baseline, an unknown fail-on level); problems in the data are findings."""
    from tpm.rules.checks import CHECKS
    from tpm.rules.context import Context

    selected, ignored = check_selection(select, ignore)
    level = fail_on if fail_on is not None else project.audit.fail_on
    if level not in FAIL_LEVELS:
        raise AuditError(f"--fail-on {level!r}: use one of {', '.join(FAIL_LEVELS)}")
    if isinstance(baseline, Path | str):
        baseline = Baseline.load(Path(baseline))

    run = rules_to_run(selected, ignored, project.audit.ignore, with_scores=scores is not None)
    ctx = Context(project, graph, scores, as_of, project.audit)
    guarded = [*project.findings, *(scores.findings if scores is not None else [])]
    found: list[Finding] = []
    for code in run:
        check = CHECKS.get(code)
        if check is not None:
            found.extend(check(ctx))

    suppressions = _Suppressions(project, as_of)
    reported, suppressed = suppressions.apply(found)
    if UNUSED_SUPPRESSION.code in run:
        fired = {(f.code, f.subject) for f in found}
        stale = suppressions.unused(fired, set(run))
        stale_reported, stale_suppressed = suppressions.apply(stale)
        reported += stale_reported
        suppressed += stale_suppressed
        # a suppression of unused-suppression is used when it silenced one; otherwise it is
        # stale too
        # (and that finding is not suppressible by the suppression it is about)
        silenced = {f.subject for f in stale_suppressed}
        reported += suppressions.unused_meta(silenced)

    _override_severity(reported, project.audit.severity)
    _override_severity(suppressed, project.audit.severity)
    findings = sort_findings([*guarded, *reported])
    for f in findings:  # loading findings are the project's own objects: reset them too
        f.known = isinstance(baseline, Baseline) and f in baseline
    failing = _failing(findings, level)
    files = len(project.sources) + len(
        scores.response_files if scores is not None else project.response_files
    )
    return AuditResult(
        findings=findings,
        suppressed=sort_findings(suppressed),
        rules_run=run,
        fail_on=level,
        exit_code=1 if failing else 0,
        files=files,
        failing=failing,
        baseline=isinstance(baseline, Baseline),
        verdict_on=next((v for v in (level, project.audit.fail_on) if v != "never"), "error"),
    )


def _override_severity(findings: list[Finding], overrides: Mapping[str, str]) -> None:
    for f in findings:
        level = overrides.get(f.code)
        if level is not None and f.code not in GUARD_CODES:
            f.severity = Severity(level)


def _failing(findings: list[Finding], level: str) -> list[Finding]:
    return [f for f in findings if not f.known and reaches(f.severity, level)]


class _Suppressions:
    """The `audit.ignore` of every valid item, indexed once: item id -> code -> suppression."""

    def __init__(self, project: Project, as_of: dt.date) -> None:
        self.project = project
        self.as_of = as_of
        self.by_item: dict[str, dict[str, Suppression]] = {}
        for ident, item in project.items.items():
            audit: ItemAudit | None = getattr(item.model, "audit", None)
            if audit is not None and audit.ignore:
                # codes that are unknown or guards are schema findings (reported while loading)
                valid = {c: s for c, s in audit.ignore.items() if c in RULES}
                valid = {c: s for c, s in valid.items() if c not in GUARD_CODES}
                if valid:
                    self.by_item[ident] = valid

    def active(self, suppression: Suppression) -> bool:
        """A suppression applies up to and including its `until` day."""
        return suppression.until is None or self.as_of <= suppression.until

    def apply(self, findings: list[Finding]) -> tuple[list[Finding], list[Finding]]:
        """(reported, suppressed): a finding is suppressed by its subject's audit.ignore."""
        reported, suppressed = [], []
        for f in findings:
            entry = self.by_item.get(f.subject or "", {}).get(f.code)
            if entry is None:
                reported.append(f)
            elif self.active(entry):
                f.suppressed = entry.reason
                suppressed.append(f)
            else:
                assert entry.until is not None
                f.message += f" (its suppression expired on {entry.until.isoformat()})"
                reported.append(f)
        return reported, suppressed

    def unused(self, fired: set[tuple[str, str | None]], run: set[str]) -> list[Finding]:
        """unused-suppression for each suppression of a rule that ran and did not fire on its item.
        Suppressions of rules that did not run are left alone."""
        stale = []
        for ident, entries in self.by_item.items():
            for code in entries:
                if code == UNUSED_SUPPRESSION.code or code not in run or (code, ident) in fired:
                    continue
                stale.append(self._stale(ident, code))
        return stale

    def unused_meta(self, silenced: set[str | None]) -> list[Finding]:
        """unused-suppression for each suppression of that rule itself that silenced nothing."""
        return [
            self._stale(ident, UNUSED_SUPPRESSION.code)
            for ident, entries in self.by_item.items()
            if UNUSED_SUPPRESSION.code in entries and ident not in silenced
        ]

    def _stale(self, ident: str, code: str) -> Finding:
        item = self.project.items[ident]
        rule = RULES[code]
        return make_finding(
            UNUSED_SUPPRESSION,
            f"audit.ignore of {item.kind} {ident!r} suppresses {code} ({rule.name}), but "
            f"{code} does not fire on it: the suppression has gone stale, remove it",
            item.at("audit", "ignore", code, key=True),
            ident,
        )
