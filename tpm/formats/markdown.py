"""`--format markdown`: a summary for a pull-request comment or `$GITHUB_STEP_SUMMARY` (docs/ci.md).

A heading with the verdict, a count table by severity (new and known findings apart once a
baseline is in play), and a table of the findings, new ones first, then by severity, at most
MAX_ROWS rows followed by an "… and N more" line. Suppressed findings are only counted.

The verdict says what was found: "failed" with the findings at or above the verdict level
(`audit.fail_on` of tpm.yaml, or `--fail-on` when that is a level: `--fail-on never` only keeps
the exit code at 0), "passed" only when there is none (see tpm.formats.context). With a
baseline in play the count table
has New and Known columns.

User text (messages, paths, ids) is escaped: `&`, `<` and `>` become entities (no HTML gets
through), Markdown's inline punctuation and `|` are backslash-escaped (no link, emphasis, code
span, math or broken table), line breaks become `<br>` so each finding stays one table row, and
other control characters are shown as escapes (tpm.safetext.visible).
"""

from __future__ import annotations

import re

from tpm.findings import Finding, Severity
from tpm.formats import Report
from tpm.formats.context import baseline_used, failed, not_shown, shown, verdict_level
from tpm.safetext import visible

MAX_ROWS = 100

ICONS = {Severity.ERROR: "🔴", Severity.WARNING: "🟡", Severity.INFO: "🔵"}
_SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)

_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_MARKUP = re.compile(r"([\\`*_\[\]{}|~$!#])")
_BREAK = re.compile(r"\r\n|\r|\n")


def escape(text: str) -> str:
    """`text` safe inside a Markdown table cell, shown literally."""
    for char, entity in _ENTITIES.items():
        text = text.replace(char, entity)
    text = _MARKUP.sub(r"\\\1", text)
    return visible(_BREAK.sub("<br>", text))


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 or word == "info" else f"{n} {word}s"


def _summary(report: Report) -> str:
    total = len(report.findings)
    files = f" in {_count(report.files, 'file')}" if report.files else ""
    if not total:
        line = f"No problems found{files}."
    else:
        counts = [(sum(1 for f in report.findings if f.severity is s), s) for s in _SEVERITIES]
        parts = [_count(n, s.value) for n, s in counts if n]
        line = f"{_count(total, 'finding')}{files}: {', '.join(parts)}."
    known = sum(1 for f in report.findings if f.known)
    if known:
        line += f" {known} known from the baseline."
    if report.suppressed:
        line += f" {len(report.suppressed)} suppressed."
    return line


def _counts_table(report: Report, with_known: bool) -> list[str]:
    if with_known:
        lines = ["| Severity | New | Known |", "|:--|--:|--:|"]
    else:
        lines = ["| Severity | Findings |", "|:--|--:|"]
    for s in _SEVERITIES:
        of = [f for f in report.findings if f.severity is s]
        if with_known:
            known = sum(1 for f in of if f.known)
            lines.append(f"| {ICONS[s]} {s.value} | {len(of) - known} | {known} |")
        else:
            lines.append(f"| {ICONS[s]} {s.value} | {len(of)} |")
    return lines


def _row(f: Finding) -> str:
    severity = f"{ICONS[f.severity]} {f.severity.value}" + (" (known)" if f.known else "")
    where = escape(f"{f.path}:{f.line}:{f.column}")
    return f"| {severity} | {f.code} {escape(f.name)} | {where} | {escape(f.message)} |"


def _verdict(report: Report) -> str:
    level = Severity(verdict_level(report))
    new = [f for f in report.findings if not f.known]
    if failed(report):
        counts = [(sum(1 for f in new if f.severity is s), s) for s in _SEVERITIES]
        at = [_count(n, s.value) for n, s in counts if n and s.rank >= level.rank]
        tail = "" if level is Severity.ERROR else f" (the fail-on level is {level.value})"
        return f"❌ tpm audit: failed, {_and(at)}{tail}"
    if not new:
        return "✅ tpm audit: passed"
    if level is Severity.ERROR:
        return "✅ tpm audit: passed, no error"
    return f"✅ tpm audit: passed, nothing at or above {level.value}"


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def render(report: Report) -> str:
    lines = [f"## {_verdict(report)}", "", _summary(report)]
    if report.findings:
        lines += ["", *_counts_table(report, baseline_used(report)), ""]
        listed = shown(report)  # the display threshold: --show, audit.show
        order = sorted(enumerate(listed), key=lambda p: (p[1].known, -p[1].severity.rank, p[0]))
        rows = [f for _, f in order[:MAX_ROWS]]
        if rows:
            lines += ["| Severity | Rule | Location | Message |", "|:--|:--|:--|:--|"]
        lines += [_row(f) for f in rows]
        rest = len(listed) - len(rows)
        if rest:
            lines += ["", f"… and {rest} more (run `tpm audit` for the full list)."]
        hidden = not_shown(report)
        if hidden:
            lines += (
                ["", f"{hidden[0].upper()}{hidden[1:]}."]
                if rows
                else [f"{hidden[0].upper()}{hidden[1:]}."]
            )
    return "\n".join(lines) + "\n"
