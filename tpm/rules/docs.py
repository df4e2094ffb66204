"""`tpm rules`: the rule records as a table, as json, or one rule in full.

Everything shown comes from the one record per rule in `registry`, like ruff's `ruff rule`.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from tpm.console import SEVERITY_STYLES
from tpm.rules.registry import RULES, Rule

if TYPE_CHECKING:
    from rich.console import RenderableType

SECTIONS = (
    ("What it checks", "what"),
    ("Why it matters", "why"),
    ("How to fix", "fix"),
)


def rules_json(rule: Rule | None = None) -> str:
    """One rule's record, or every rule's, as json."""
    data = rule.to_json() if rule is not None else [r.to_json() for r in RULES.values()]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def rules_markdown(rule: Rule | None = None) -> str:
    """The rule table in Markdown (the README holds it between <!-- rules:start --> and
    <!-- rules:end -->), of every rule or of one."""
    return RULES.table_markdown([rule] if rule is not None else None)


# the narrowest "fires when" column the table gets; narrower terminals get a list instead
MIN_SUMMARY = 30


def rules_table(width: int = 160) -> RenderableType:
    """Every rule: a table when `width` leaves room for the summaries without breaking a word,
    else a list (code, name and default severity on one line, the summary wrapped below)."""
    import textwrap

    from rich.table import Table
    from rich.text import Text

    rows = [
        (
            rule.code,
            rule.name,
            rule.severity.value,
            rule.summary + (" (input check)" if rule.guard else ""),
        )
        for rule in RULES.values()
    ]
    fixed = sum(max(len(r[i]) for r in rows) for i in range(3))  # code, name, default
    if fixed + MIN_SUMMARY + 13 > width:
        text = Text("tpm rules\n", style="bold")
        for code, name, severity, summary in rows:
            text.append(f"{code} {name} ")
            text.append(severity, style=SEVERITY_STYLES[severity])
            text.append("\n")
            for line in textwrap.wrap(summary, max(width - 4, 20)):
                text.append(f"    {line}\n")
        text.rstrip()
        return text
    table = Table(title="tpm rules")
    table.add_column("code", no_wrap=True)
    table.add_column("name", no_wrap=True)
    table.add_column("default", no_wrap=True)
    table.add_column("fires when")
    for code, name, severity, summary in rows:
        table.add_row(code, name, Text(severity, style=SEVERITY_STYLES[severity]), summary)
    return table


def rule_page(rule: Rule, width: int = 100) -> list[RenderableType]:
    """One rule in full, under the headings What it checks / Why it matters / How to fix /
    Example; paragraphs wrapped to `width` (at most 100 columns, for reading)."""
    import textwrap

    from rich.text import Text

    fill = min(width, 100)
    severity = rule.severity.value
    head = Text()
    head.append(f"{rule.code} {rule.name}", style="bold")
    head.append(" (default: ")
    head.append(severity, style=SEVERITY_STYLES[severity])
    head.append(")")
    page: list[RenderableType] = [head, Text(textwrap.fill(f"Fires when {rule.summary}.", fill))]
    for title, attr in SECTIONS:
        page.append(Text())
        page.append(Text(title, style="bold underline"))
        body = textwrap.fill(getattr(rule, attr), fill, initial_indent="  ", subsequent_indent="  ")
        page.append(Text(body))
    page.append(Text())
    page.append(Text("Example", style="bold underline"))
    page.append(Text(textwrap.indent(rule.example.rstrip("\n"), "  ")))
    return page
