"""What `tpm diff` prints: text for a terminal or a CI log, markdown for a pull-request comment,
and the documented json (docs/ci.md, "tpm diff").

User text (names, ids, paths, messages, revision names) is shown literally: in text, control
characters are made visible and no user text begins a line (every line starts with tpm's own
words or an indent), so nothing can act as a terminal escape or a CI workflow command; in
markdown, every user string goes through the markdown format's escaping (entities, Markdown
punctuation, line breaks) and never into an HTML tag's text.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from rich.text import Text

from tpm.console import SEVERITY_STYLES
from tpm.diff import UNIT_CHANGES, Diff
from tpm.findings import Finding
from tpm.formats.markdown import ICONS
from tpm.formats.markdown import escape as md  # user text in a table cell, shown literally
from tpm.safetext import line_safe, visible
from tpm.words import plural

MAX_ROWS = 100  # rows of one markdown table; the rest is counted
INDEX_COMPONENTS = ("quality", "ownership", "dialogue", "freshness", "connectedness")


# -- shared wording ----------------------------------------------------------------------------


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _change(before: float | None, after: float | None) -> str:
    if before is None or after is None:
        return ""
    delta = after - before
    if abs(delta) < 0.05:
        return "±0.0"
    return f"{delta:+.1f}"


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _value(value: Any) -> str:
    if value is None:
        return "(not set)"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _field_words(entry: dict[str, Any]) -> str:
    """`owner: anna → ben`, or only the field's name when its values are lists or mappings
    (or withheld)."""
    name = entry["field"]
    if "before" not in entry:
        return f"{name} (not shown)"
    before, after = entry["before"], entry["after"]
    if _scalar(before) and _scalar(after):
        return f"{name}: {_value(before)} → {_value(after)}"
    was, now = _scalars(before), _scalars(after)
    if was is not None and now is not None:  # a list of ids: what left it, what joined it
        gone = [f"-{_value(v)}" for v in was if v not in now]
        new = [f"+{_value(v)}" for v in now if v not in was]
        if gone or new:
            return f"{name}: {' '.join(gone + new)}"
    return name


def _scalars(value: Any) -> list[Any] | None:
    """A value or a list of scalar values as a list (`to: board` and `to: [board]` alike)."""
    if value is None:
        return []
    if _scalar(value):
        return [value]
    if isinstance(value, list) and all(_scalar(v) for v in value):
        return value
    return None


def _coverage_words(state: dict[str, Any]) -> str:
    status = state["status"]
    if status == "covered":
        return "covered"
    silos = ", ".join(state["uncovered"])
    if status == "partial":
        return f"partly covered (nobody covers {silos})"
    return "no active owner"


def _side_name(diff: Diff, which: str) -> str:
    side = diff.base if which == "base" else diff.head
    if side.commit is None:
        return side.name
    short = side.commit[:12]
    return short if side.name == side.commit else f"{side.name} ({short})"


def _index_label(diff: Diff) -> str:
    """ "TPM index", marked partial where a side lacks a component (docs/scoring.md)."""
    was = bool((diff.index_before or {}).get("partial"))
    now = bool((diff.index_after or {}).get("partial"))
    if was and now:
        return "TPM index (partial)"
    if was or now:
        return f"TPM index (partial {'before' if was else 'after'})"
    return "TPM index"


def _index_rows(diff: Diff) -> list[tuple[str, float | None, float | None]]:
    before = diff.index_before or {}
    after = diff.index_after or {}
    rows = [(_index_label(diff), before.get("value"), after.get("value"))]
    was, now = before.get("components", {}), after.get("components", {})
    for name in INDEX_COMPONENTS:
        rows.append((name, was.get(name), now.get(name)))
    return rows


def _counts_words(findings: list[Finding]) -> str:
    parts = []
    for severity in ("error", "warning", "info"):
        n = sum(1 for f in findings if f.severity.value == severity)
        if n:
            parts.append(plural(n, severity, "info" if severity == "info" else None))
    return ", ".join(parts)


def summary_line(diff: Diff) -> str:
    """One line: findings, items, the index, journeys, units and scores (only what changed)."""
    if diff.empty:
        return "No change to the organisation."
    parts = []
    if diff.new:
        parts.append(f"{plural(len(diff.new), 'new finding')} ({_counts_words(diff.new)})")
    else:
        parts.append("no new findings")
    if diff.fixed:
        parts.append(f"{len(diff.fixed)} fixed")
    items = [
        f"{len(entries)} {word}"
        for entries, word in ((diff.added, "added"), (diff.removed, "removed"))
        if entries
    ]
    if diff.changed:
        items.append(f"{len(diff.changed)} changed")
    if items:
        parts.append("items: " + ", ".join(items))
    before = (diff.index_before or {}).get("value")
    after = (diff.index_after or {}).get("value")
    if before != after:
        change = _change(before, after)
        parts.append(
            f"{_index_label(diff)} {_number(before)} → {_number(after)}"
            + (f" ({change})" if change else "")
        )
    if diff.journeys:
        parts.append(f"owner coverage changed in {plural(len(diff.journeys), 'journey')}")
    if diff.units:
        units = plural(len({u["id"] for u in diff.units}), "unit")
        parts.append(f"feedback paths, islands or bottlenecks changed for {units}")
    if diff.scores:
        parts.append(f"{plural(len(diff.scores), 'score')} moved")
    return "; ".join(parts) + "."


# -- text --------------------------------------------------------------------------------------


def _finding_line(f: Finding) -> Text:
    line = Text("  ")
    line.append(visible(f"{f.path}:{f.line}:{f.column}:"), style="bold")
    line.append(" ")
    line.append(f.severity.value, style=SEVERITY_STYLES[f.severity.value])
    line.append(f" {f.code} ", style="bold")
    line.append(visible(f.message))
    line.append(f" [{f.name}]", style="dim")
    return line


def _heading(words: str) -> Text:
    return Text(words, style="bold")


def _named(ident: str | None, name: str | None) -> str:
    if ident is None:
        return visible(name or "")
    if name and name != ident:
        return f"{visible(ident)} ({visible(name)})"
    return visible(ident)


def render_text(diff: Diff) -> list[Text]:
    lines = [
        Text(f"tpm diff: {visible(_side_name(diff, 'base'))} → {visible(_side_name(diff, 'head'))}")
    ]
    lines.append(Text(summary_line(diff)))
    if diff.new:
        lines += [Text(), _heading(f"New findings ({len(diff.new)})")]
        lines += [_finding_line(f) for f in diff.new]
    if diff.fixed:
        lines += [Text(), _heading(f"Fixed findings ({len(diff.fixed)})")]
        lines += [_finding_line(f) for f in diff.fixed]
    if diff.index_before != diff.index_after:
        lines += [Text(), _heading("TPM index and its components (before → after)")]
        rows = _index_rows(diff)
        width = max(len(name) for name, _, _ in rows)
        for name, before, after in rows:
            change = _change(before, after)
            text = f"  {name:<{width}}  {_number(before):>5} → {_number(after):>5}"
            lines.append(Text(text + (f"  {change}" if change else "")))
    if diff.journeys:
        lines += [Text(), _heading(f"Journeys whose owner coverage changed ({len(diff.journeys)})")]
        for j in diff.journeys:
            lines.append(
                Text(
                    f"  {_named(j['id'], j['name'])}: {visible(_coverage_words(j['before']))} → "
                    f"{visible(_coverage_words(j['after']))}"
                )
            )
    if diff.units:
        lines += [Text(), _heading("Units (feedback paths, islands, bottlenecks)")]
        for u in diff.units:
            lines.append(Text(f"  {_named(u['id'], u['name'])}: {UNIT_CHANGES[u['change']]}"))
    if diff.added or diff.removed or diff.changed:
        lines += [Text(), _heading("Items")]
        for word, entries in (("added", diff.added), ("removed", diff.removed)):
            for e in entries:
                lines.append(
                    Text(
                        f"  {word:<8} {e['kind']} {_named(e['id'], e['name'])} "
                        f"({visible(e['path'])})"
                    )
                )
        for e in diff.changed:
            fields = "; ".join(_field_words(f) for f in e["fields"])
            lines.append(
                Text(f"  changed  {e['kind']} {_named(e['id'], e['name'])}: {visible(fields)}")
            )
    if diff.scores:
        lines += [Text(), _heading(f"Scores that moved ({len(diff.scores)})")]
        for s in diff.scores:
            who = f"{s['kind']} {_named(s['id'], s['name'])}" if s["id"] else s["kind"]
            change = _change(s["before"], s["after"])
            lines.append(
                Text(
                    f"  {who}: {s['measure']} {_number(s['before'])} → {_number(s['after'])}"
                    + (f" ({change})" if change else "")
                )
            )
    return lines


def text(diff: Diff) -> str:
    """The plain text (a file, a pipe, a CI log): no line can be read as a workflow command."""
    return line_safe("".join(line.plain + "\n" for line in render_text(diff)))


def print_text(diff: Diff) -> bool:
    """Print the text with its styles when stdout is a terminal with colours; False (and
    nothing printed) otherwise, when the plain text is written instead."""
    from tpm.console import out

    console = out()
    if not console.is_terminal or console.no_color:
        return False
    console.print(Text("\n").join(render_text(diff)))  # one Text: far quicker than many
    return True


# -- markdown ----------------------------------------------------------------------------------


def _details(title: str, body: list[str], open_: bool = False) -> list[str]:
    """A foldable section; `title` is tpm's own words (no user text inside an HTML tag)."""
    tag = "<details open>" if open_ else "<details>"
    return [tag, f"<summary>{title}</summary>", "", *body, "", "</details>", ""]


def _table(header: list[str], rows: Iterable[list[str]], what: str) -> list[str]:
    rows = list(rows)
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(":--" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows[:MAX_ROWS]]
    if len(rows) > MAX_ROWS:
        lines += ["", f"… and {len(rows) - MAX_ROWS} more {what} (run `tpm diff` for all)."]
    return lines


def _finding_row(f: Finding) -> list[str]:
    return [
        f"{ICONS[f.severity]} {f.severity.value}",
        f"{f.code} {md(f.name)}",
        md(f"{f.path}:{f.line}:{f.column}"),
        md(f.message),
    ]


def _md_named(ident: str | None, name: str | None) -> str:
    if ident is None:
        return md(name or "")
    if name and name != ident:
        return f"{md(ident)} ({md(name)})"
    return md(ident)


def markdown(diff: Diff, failing: list[Finding] | None = None) -> str:
    verdict = "❌" if failing else "✅"
    base, head = md(_side_name(diff, "base")), md(_side_name(diff, "head"))
    lines = [f"## {verdict} tpm diff: {base} → {head}", "", md(summary_line(diff)), ""]
    header = ["Severity", "Rule", "Location", "Message"]
    if diff.new:
        body = _table(header, (_finding_row(f) for f in diff.new), "findings")
        lines += _details(f"New findings ({len(diff.new)})", body, open_=True)
    if diff.fixed:
        body = _table(header, (_finding_row(f) for f in diff.fixed), "findings")
        lines += _details(f"Fixed findings ({len(diff.fixed)})", body)
    if diff.index_before != diff.index_after:
        rows = [
            [name, _number(before), _number(after), _change(before, after)]
            for name, before, after in _index_rows(diff)
        ]
        body = _table(["", "Before", "After", "Change"], rows, "rows")
        lines += _details("TPM index and its components", body)
    if diff.journeys:
        rows = [
            [
                _md_named(j["id"], j["name"]),
                md(_coverage_words(j["before"])),
                md(_coverage_words(j["after"])),
            ]
            for j in diff.journeys
        ]
        body = _table(["Journey", "Before", "After"], rows, "journeys")
        lines += _details(f"Journeys whose owner coverage changed ({len(diff.journeys)})", body)
    if diff.units:
        rows = [[_md_named(u["id"], u["name"]), UNIT_CHANGES[u["change"]]] for u in diff.units]
        body = _table(["Unit", "Change"], rows, "units")
        lines += _details(f"Units: feedback paths, islands, bottlenecks ({len(diff.units)})", body)
    if diff.added or diff.removed or diff.changed:
        rows = []
        for word, entries in (("added", diff.added), ("removed", diff.removed)):
            rows += [
                [word, e["kind"], _md_named(e["id"], e["name"]), "", md(e["path"])] for e in entries
            ]
        rows += [
            [
                "changed",
                e["kind"],
                _md_named(e["id"], e["name"]),
                md("; ".join(_field_words(f) for f in e["fields"])),
                md(e["path"]),
            ]
            for e in diff.changed
        ]
        counts = ", ".join(
            f"{len(entries)} {word}"
            for entries, word in (
                (diff.added, "added"),
                (diff.removed, "removed"),
                (diff.changed, "changed"),
            )
            if entries
        )
        body = _table(["Change", "Kind", "Item", "Fields", "File"], rows, "items")
        lines += _details(f"Items: {counts}", body)
    if diff.scores:
        rows = [
            [
                f"{s['kind']} {_md_named(s['id'], s['name'])}" if s["id"] else s["kind"],
                s["measure"],
                _number(s["before"]),
                _number(s["after"]),
                _change(s["before"], s["after"]),
            ]
            for s in diff.scores
        ]
        body = _table(["Of", "Measure", "Before", "After", "Change"], rows, "scores")
        lines += _details(f"Scores that moved ({len(diff.scores)})", body)
    return "\n".join(lines).rstrip("\n") + "\n"


# -- json --------------------------------------------------------------------------------------


def to_json(diff: Diff) -> str:
    return json.dumps(diff.to_json(), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
