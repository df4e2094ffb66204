"""`--format text`: one compiler-style line a finding, then a summary by severity and rule."""

from __future__ import annotations

from collections import Counter

from rich.text import Text

from tpm.console import SEVERITY_STYLES
from tpm.findings import Finding, summary
from tpm.formats import Report
from tpm.formats.context import not_shown, shown
from tpm.safetext import line_safe, visible
from tpm.words import plural


def finding_line(f: Finding) -> Text:
    line = Text()
    # the path and the message hold user text: shown escaped, never starting a workflow command
    line.append(f"{line_safe(visible(f.path))}:{f.line}:{f.column}:", style="bold")
    line.append(" ")
    line.append(f.severity.value, style=SEVERITY_STYLES[f.severity.value])
    line.append(f" {f.code} ", style="bold")
    line.append(visible(f.message))
    line.append(f" [{f.name}]", style="dim")
    if f.known:
        line.append(" (known: in the baseline)", style="dim")
    return line


def summary_lines(report: Report) -> list[Text]:
    counts = summary(report.findings)
    files = f" in {plural(report.files, 'file')}" if report.files else ""
    if not report.findings:
        return [Text(f"No problems found{files}.", style="green")]
    head = Text("Found ")
    parts = [(counts[s], s) for s in ("error", "warning", "info") if counts[s]]
    for i, (n, sev) in enumerate(parts):
        if i:
            head.append(", " if i < len(parts) - 1 else " and ")
        head.append(plural(n, sev, "info" if sev == "info" else None), style=SEVERITY_STYLES[sev])
    head.append(f"{files}.")
    known = sum(1 for f in report.findings if f.known)
    if known:
        head.append(f" {known} of them known from the baseline (they do not fail the run).")
    hidden = not_shown(report)
    if hidden:
        head.append(f" {hidden[0].upper()}{hidden[1:]}.", style="dim")
    lines = [head]
    by_rule = Counter((f.code, f.name) for f in report.findings)
    width = max(len(name) for _, name in by_rule)
    for (code, name), n in sorted(by_rule.items()):
        lines.append(Text(f"  {code} {name:<{width}} {n:>5}"))
    return lines


def render_rich(report: Report) -> list[Text]:
    listed = shown(report)
    lines = [finding_line(f) for f in listed]
    if listed:
        lines.append(Text())
    lines.extend(summary_lines(report))
    return lines


def print_lines(findings: list[Finding]) -> None:
    """One line a finding on stderr (the data problems that score, diagram and report show
    before going on)."""
    from tpm.console import err

    console = err()
    for f in findings:
        console.print(finding_line(f))


def print_at_terminal(report: Report) -> bool:
    """Print the report in colour when stdout is a colour terminal; False when it is not
    (the caller then writes the plain text)."""
    from tpm.console import out

    console = out()
    if not console.is_terminal or console.no_color:
        return False
    # one Text for all lines: rich renders a line at a time ten times slower
    console.print(Text("\n").join(render_rich(report)))
    return True


def render(report: Report) -> str:
    return "".join(line.plain + "\n" for line in render_rich(report))
