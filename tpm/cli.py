"""The typer app: parse options, call the library, render. No domain logic lives here.

Heavy modules (networkx, pydantic, graphviz, jinja2) are imported inside the commands, so that
`tpm --help` stays quick; `tpm --version` never reaches this module at all.
"""

from __future__ import annotations

import datetime
import os
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tpm import __version__

if TYPE_CHECKING:
    from tpm.findings import Finding
    from tpm.graph import OrgGraph
    from tpm.project import Project


class UsageError(Exception):
    """A one-line error for the user: exit 2."""


app = typer.Typer(
    name="tpm",
    help="Internal touchpoint management as code: audit, score and map the interactions "
    "between leadership, employees and departments.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tpm {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    ctx: typer.Context,
    project: Annotated[
        Path | None,
        typer.Option(
            "-C",
            "--project",
            help="The project directory (holding tpm.yaml). Default: the current directory "
            "or its nearest parent holding tpm.yaml.",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", help="Show the version and exit.", is_eager=True, callback=_version
        ),
    ] = False,
) -> None:
    ctx.obj = {"project": project}


# -- shared helpers ------------------------------------------------------------------------


def _project_dir(ctx: typer.Context) -> Path | None:
    obj = ctx.find_root().obj or {}
    return obj.get("project")  # type: ignore[no-any-return]


def load_project(ctx: typer.Context) -> Project:
    from tpm.project import ProjectError, find_root, load

    try:
        root = find_root(_project_dir(ctx))
    except ProjectError as exc:
        raise UsageError(str(exc)) from None
    from tpm.rules.registry import RULES

    return load(root, rules=RULES)


def load_graph(project: Project) -> OrgGraph:
    from tpm.graph import OrgGraph

    return OrgGraph(project)


def check_inputs(paths: list[Path] | None) -> None:
    """Files named on the command line must exist: a missing one is a usage error."""
    for path in paths or ():
        if not path.is_file():
            if path.is_dir():
                what = "is a directory"
            elif path.exists():  # a pipe or a device: reading it could block or never end
                what = "is not a regular file"
            else:
                what = "does not exist"
            raise UsageError(f"--responses {path}: the file {what}")


def emit(text: str, output: Path | None = None) -> None:
    """Machine output: to `output` atomically (`-`: stdout), else plain to stdout."""
    if output is not None:
        from tpm.fsutil import OutputError, write_output

        try:
            write_output(output, text)
        except OutputError as exc:
            raise UsageError(str(exc)) from None
        return
    sys.stdout.write(text)
    sys.stdout.flush()


def print_findings_to_stderr(findings: list[Finding]) -> None:
    """For score, diagram and report: problems in the data are shown, and the command goes on."""
    if not findings:
        return
    from tpm.console import err
    from tpm.formats.text import finding_line

    console = err()
    for f in findings:
        console.print(finding_line(f))


class FindingFormat(str, Enum):
    text = "text"
    json = "json"


class TableFormat(str, Enum):
    table = "table"
    json = "json"


# -- validate ------------------------------------------------------------------------------


@app.command()
def validate(
    ctx: typer.Context,
    format: Annotated[
        FindingFormat, typer.Option("--format", "-f", help="Output format.")
    ] = FindingFormat.text,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the output to this file.")
    ] = None,
    responses: Annotated[
        list[Path] | None,
        typer.Option("--responses", help="Further response files to check (repeatable)."),
    ] = None,
) -> None:
    """Check loading, schema and references (TPM001 to TPM006) of every file in the project.

    Exit 1 when an error is found. Example: tpm validate --format json
    """
    from tpm.findings import Severity, sort_findings
    from tpm.formats import Report
    from tpm.responses import response_files, validate_responses

    check_inputs(responses)
    project = load_project(ctx)
    findings = sort_findings(project.findings + validate_responses(project, responses or ()))
    files = len(project.sources) + len(response_files(project, responses or ()))
    report = Report(findings=findings, files=files)
    _render_findings(report, format.value, output)
    if any(f.severity is Severity.ERROR for f in findings):
        raise typer.Exit(1)


def _render_findings(report: Any, format: str, output: Path | None) -> None:
    from tpm.formats import renderer

    if format == "text" and output is None:
        from tpm.console import out

        console = out()
        if console.is_terminal and not console.no_color:
            from rich.text import Text

            from tpm.formats.text import render_rich

            # one Text for all lines: rich renders a line at a time ten times slower
            console.print(Text("\n").join(render_rich(report)))
            return
    emit(renderer(format)(report), output)


# -- list ----------------------------------------------------------------------------------


class Kind(str, Enum):
    units = "units"
    people = "people"
    touchpoints = "touchpoints"
    journeys = "journeys"


@app.command("list")
def list_(
    ctx: typer.Context,
    kind: Annotated[Kind, typer.Argument(help="What to list.")],
    format: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
    owner: Annotated[
        str | None,
        typer.Option("--owner", help="Only touchpoints or journeys this person owns or co-owns."),
    ] = None,
    silo: Annotated[
        str | None, typer.Option("--silo", help="Only items in or touching this silo.")
    ] = None,
) -> None:
    """List units, people, touchpoints or journeys. Example: tpm list journeys --silo service"""
    from tpm.listing import rows

    project = load_project(ctx)
    graph = load_graph(project)
    try:
        columns, table = rows(project, graph, kind.value, owner=owner, silo=silo)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    print_findings_to_stderr([f for f in project.findings if f.severity.value == "error"])
    if format is TableFormat.json:
        import json

        emit(json.dumps(table, indent=2, ensure_ascii=False, default=str) + "\n")
        return
    from rich.table import Table

    from tpm.console import out

    t = Table(title=f"{kind.value.capitalize()} of {project.organisation or 'the project'}")
    for column in columns:
        t.add_column(column, overflow="fold", no_wrap=column == "id")
    for row in table:
        t.add_row(*(_cell(row[c]) for c in columns))
    out().print(t)
    out().print(f"{len(table)} {kind.value}")


def _cell(value: Any) -> str:
    from tpm.listing import as_text

    return as_text(value)


# -- show ----------------------------------------------------------------------------------


@app.command()
def show(
    ctx: typer.Context,
    ident: Annotated[
        str, typer.Argument(metavar="ID", help="A unit, person, touchpoint or journey id.")
    ],
    format: Annotated[FindingFormat, typer.Option("--format", "-f")] = FindingFormat.text,
    as_of: AsOf = None,
) -> None:
    """Show one item in full: where it is defined, its fields, neighbours, journeys and its
    audit findings.

    Example: tpm show onboarding
    """
    from tpm.listing import describe_item

    day = parse_as_of(as_of)
    project = load_project(ctx)
    graph = load_graph(project)
    try:
        describe_item(project, graph, ident)  # an unknown id is a usage error, before the audit
    except KeyError as exc:
        raise UsageError(str(exc.args[0])) from None
    scores = compute_scores(project, graph, day, None)
    result = run_project_audit(project, graph, day, scores=scores)
    info = describe_item(project, graph, ident, result.findings, scores)
    if format is FindingFormat.json:
        import json

        emit(json.dumps(info, indent=2, ensure_ascii=False, default=str) + "\n")
        return
    from tpm.listing import render_item

    render_item(info)


# -- schema --------------------------------------------------------------------------------


@app.command()
def schema(
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the schemas as files into this directory."),
    ] = None,
) -> None:
    """JSON Schemas (draft-07) of tpm.yaml, touchpoint and journey files, for editors and
    check-jsonschema. Example: tpm schema --output schemas/"""
    import json

    from tpm.jsonschema import schemas, write_schemas

    if output is None:
        emit(json.dumps(schemas(), indent=2, ensure_ascii=False) + "\n")
        return
    from tpm.fsutil import OutputError

    try:
        written = write_schemas(output)
    except OutputError as exc:
        raise UsageError(str(exc)) from None
    from tpm.console import err

    for path in written:
        err().print(f"wrote {path.as_posix()}")


# -- init ----------------------------------------------------------------------------------


@app.command()
def init(
    directory: Annotated[
        Path, typer.Argument(help="Where to create the project (default: here).")
    ] = Path("."),
) -> None:
    """Create a small working project to start from. Never overwrites an existing file.

    Example: tpm init my-org
    """
    from tpm.console import err
    from tpm.starter import create

    try:
        written, kept = create(directory)
    except OSError as exc:
        raise UsageError(
            f"cannot create the project in {directory}: {exc.strerror or exc}"
        ) from None
    console = err()
    for path in written:
        console.print(f"created {path}")
    for path in kept:
        console.print(f"kept    {path} (it exists already)")
    where = "" if directory == Path(".") else f" -C {directory}"
    console.print(f"\nNext: tpm{where} validate, then tpm{where} audit")


# -- score ---------------------------------------------------------------------------------


def parse_as_of(value: str | None) -> datetime.date:
    """`--as-of DATE` (default: today); a bad date is a usage error."""
    from tpm.dates import NOT_A_DATE, parse_date

    if value is None:
        return datetime.date.today()
    day = parse_date(value)
    if day is None:
        raise UsageError(f"--as-of {value!r} {NOT_A_DATE}")
    return day


AsOf = Annotated[
    str | None,
    typer.Option("--as-of", metavar="DATE", help="Judge dates as of this day (default: today)."),
]
Responses = Annotated[
    list[Path] | None,
    typer.Option("--responses", metavar="FILE", help="Further response files (repeatable)."),
]


def compute_scores(
    project: Project, graph: OrgGraph, as_of: datetime.date, responses: list[Path] | None
) -> Any:
    """Scores from ratings and every response file, with a progress bar for large files."""
    from tpm.console import ByteProgress
    from tpm.scoring import compute

    check_inputs(responses)
    with ByteProgress("reading responses", passes=2) as progress:
        return compute(project, graph, as_of, responses or (), progress=progress)


class View(str, Enum):
    touchpoints = "touchpoints"
    journeys = "journeys"
    units = "units"
    org = "org"


class ScoreFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


@app.command()
def score(
    ctx: typer.Context,
    view: Annotated[
        View | None, typer.Argument(help="One view (default: all; csv: touchpoints).")
    ] = None,
    responses: Responses = None,
    format: Annotated[ScoreFormat, typer.Option("--format", "-f")] = ScoreFormat.table,
    explain: Annotated[
        str | None,
        typer.Option(
            "--explain",
            metavar="ID",
            help="Show how a touchpoint's or journey's score is computed.",
        ),
    ] = None,
    as_of: AsOf = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write json or csv to this file.")
    ] = None,
) -> None:
    """Score interaction quality from ratings and survey responses (pulse surveys, eNPS).

    Nothing computed from fewer than scoring.min_responses respondents is ever shown.
    Example: tpm score journeys --as-of 2026-11-20
    """
    from tpm import scoreview

    day = parse_as_of(as_of)
    project = load_project(ctx)
    graph = load_graph(project)
    scores = compute_scores(project, graph, day, responses)
    print_findings_to_stderr([*project.findings, *scores.findings])
    view_name = view.value if view else None
    if explain is not None:
        try:
            lines = scoreview.explain(scores, explain, project)
        except KeyError:
            raise UsageError(f"--explain {explain!r} names no touchpoint or journey") from None
        from tpm.safetext import line_safe, visible

        emit("".join(line_safe(visible(line)) + "\n" for line in lines), output)
        return
    if format is ScoreFormat.json:
        emit(scoreview.render_json(scores, view_name), output)
        return
    if format is ScoreFormat.csv:
        emit(scoreview.render_csv(scores, view_name), output)
        return
    from rich.text import Text

    from tpm.console import out

    console = out()
    console.print(
        Text.assemble((project.organisation, "bold"), f": scores as of {day.isoformat()}")
    )
    for table in scoreview.tables(scores, view_name, project.organisation):
        console.print(table)


# -- audit ---------------------------------------------------------------------------------


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


def _finding_formats() -> list[str]:
    from tpm.formats import FORMATS

    return list(dict.fromkeys(["text", "json", *FORMATS]))


# text, json and every format registered in tpm.formats (sarif, github, ...): a newly
# registered format becomes a choice of --format without touching this command.
AuditFormat = Enum(  # type: ignore[misc]
    "AuditFormat", [(name, name) for name in _finding_formats()], type=str
)


_CODES_HELP = "comma-separated rule codes or prefixes such as TPM010,TPM02 (repeatable)"


def run_project_audit(
    project: Project,
    graph: OrgGraph,
    as_of: datetime.date,
    responses: list[Path] | None = None,
    **options: Any,
) -> Any:
    """The audit of `tpm audit`, `tpm show` and the report: scores from every response file,
    then every rule. Usage errors (bad codes, an unreadable baseline) exit 2."""
    from tpm.audit import AuditError, Baseline, check_selection, run_audit

    try:
        check_selection(options.get("select"), options.get("ignore"))
        baseline = options.pop("baseline", None)
        if baseline is not None:
            options["baseline"] = Baseline.load(baseline)
        scores = options.pop("scores", None) or compute_scores(project, graph, as_of, responses)
        return run_audit(project, graph, scores, as_of, **options)
    except AuditError as exc:
        raise UsageError(str(exc)) from None


@app.command()
def audit(
    ctx: typer.Context,
    format: Annotated[
        AuditFormat, typer.Option("--format", "-f", help="Output format.")
    ] = AuditFormat("text"),
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write the output to this file."),
    ] = None,
    fail_on: Annotated[
        FailOn | None,
        typer.Option(
            "--fail-on",
            help="Exit 1 when a finding at or above this severity exists "
            "(default: audit.fail_on in tpm.yaml, else error).",
            show_default=False,
        ),
    ] = None,
    select: Annotated[
        list[str] | None,
        typer.Option("--select", metavar="CODES", help=f"Run only these rules: {_CODES_HELP}."),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option(
            "--ignore",
            metavar="CODES",
            help=f"Also switch off these rules (adds to audit.ignore): {_CODES_HELP}.",
        ),
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option(
            "--baseline",
            metavar="FILE",
            help="The json output of an earlier run: findings already in it are shown as known "
            "and do not fail the run.",
        ),
    ] = None,
    responses: Responses = None,
    as_of: AsOf = None,
) -> None:
    """Check the organisation against every rule (see 'tpm rules'): ownership, silos,
    feedback paths, quality and freshness.

    --select replaces the rules that run; --ignore adds to audit.ignore in tpm.yaml.
    Exit 1 when a finding at or above the fail-on level exists.
    Example: tpm audit --format sarif --output tpm.sarif
    """
    day = parse_as_of(as_of)
    project = load_project(ctx)
    graph = load_graph(project)
    result = run_project_audit(
        project,
        graph,
        day,
        responses,
        select=select,
        ignore=ignore,
        baseline=baseline,
        fail_on=fail_on.value if fail_on is not None else None,
    )
    _render_findings(result.report(project.paths.prefix), format.value, output)
    raise typer.Exit(result.exit_code)


# -- diff ----------------------------------------------------------------------------------


class DiffFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    json = "json"


@app.command()
def diff(
    ctx: typer.Context,
    base: Annotated[
        str | None,
        typer.Argument(
            metavar="[BASE]",
            help="The revision to compare with (default: the merge base of HEAD with the "
            "default branch: origin/HEAD, origin/main, origin/master, main or master).",
            show_default=False,
        ),
    ] = None,
    head: Annotated[
        str | None,
        typer.Option("--head", metavar="REV", help="Compare this revision, not the working tree."),
    ] = None,
    format: Annotated[DiffFormat, typer.Option("--format", "-f")] = DiffFormat.text,
    fail_on_new: Annotated[
        FailOn, typer.Option("--fail-on-new", help="Exit 1 on a new finding at or above this.")
    ] = FailOn.never,
    allow_new: Annotated[
        bool, typer.Option("--allow-new", help="A project missing at BASE: everything is added.")
    ] = False,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", metavar="FILE", help="Write to this file.")
    ] = None,
    as_of: AsOf = None,
) -> None:
    """What a change does to the organisation: items, findings new and fixed, the TPM index,
    owner coverage, feedback paths and scores, between BASE and the working tree (or --head).

    git is only read: nothing is checked out, stashed or staged.
    Example: tpm diff main --format markdown --output comment.md
    """
    from tpm.diff import DiffError, run_diff
    from tpm.project import ProjectError, find_root

    day = parse_as_of(as_of)
    try:
        result = run_diff(find_root(_project_dir(ctx)), base, head, day, allow_new=allow_new)
    except (DiffError, ProjectError) as exc:
        raise UsageError(str(exc)) from None
    from tpm import diffview

    failing = result.failing(fail_on_new.value)
    if format is DiffFormat.json:
        emit(diffview.to_json(result), output)
    elif format is DiffFormat.markdown:
        emit(diffview.markdown(result, failing), output)
    elif output is not None or not diffview.print_text(result):
        emit(diffview.text(result), output)
    raise typer.Exit(1 if failing else 0)


# -- rules ---------------------------------------------------------------------------------


@app.command()
def rules(
    code: Annotated[
        str | None,
        typer.Argument(metavar="[CODE]", help="One rule, by code or name: show it in full."),
    ] = None,
    format: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
) -> None:
    """List the audit rules, or show one in full (what it checks, why it matters, how to fix,
    an example). Example: tpm rules TPM012"""
    from tpm.rules.docs import rule_page, rules_json, rules_table
    from tpm.rules.registry import find_rule

    rule = None
    if code is not None:
        try:
            rule = find_rule(code)
        except KeyError as exc:
            raise UsageError(str(exc.args[0])) from None
    if format is TableFormat.json:
        emit(rules_json(rule))
        return
    from tpm.console import out

    console = out()
    for renderable in rule_page(rule, console.width) if rule is not None else [rules_table()]:
        console.print(renderable)


# -- diagram -------------------------------------------------------------------------------

diagram_app = typer.Typer(
    help="Draw the org map or journey maps: Graphviz (svg, png, pdf, dot) or Mermaid.",
    no_args_is_help=True,
)
app.add_typer(diagram_app, name="diagram")


class DiagramFormat(str, Enum):
    svg = "svg"
    png = "png"
    pdf = "pdf"
    dot = "dot"
    mermaid = "mermaid"


class MermaidKind(str, Enum):
    flowchart = "flowchart"
    journey = "journey"


DiagramFormatOption = Annotated[
    DiagramFormat | None,
    typer.Option(
        "--format",
        "-f",
        help="Output format (default: from the --output suffix, else svg). svg, png and pdf "
        "need Graphviz 'dot'; dot and mermaid are text.",
        show_default=False,
    ),
]


def _diagram_format(format: DiagramFormat | None, output: Path | None) -> str:
    from tpm.diagram.render import DiagramError, choose_format

    try:
        return choose_format(format.value if format is not None else None, output)
    except DiagramError as exc:
        raise UsageError(str(exc)) from None


def _diagram_inputs(
    ctx: typer.Context, as_of: str | None, audit: bool
) -> tuple[Project, OrgGraph, Any, list[Finding], datetime.date]:
    """Project, graph, scores and (for the org map) audit findings; data problems go to
    stderr and the command carries on (README.md, "Commands": exit codes)."""
    day = parse_as_of(as_of)
    project = load_project(ctx)
    graph = load_graph(project)
    scores = compute_scores(project, graph, day, None)
    findings: list[Finding] = []
    if audit:
        from tpm.audit import run_audit

        findings = run_audit(project, graph, scores, day).findings
    print_findings_to_stderr([*project.findings, *scores.findings])
    return project, graph, scores, findings, day


def _write_diagram(data: str | bytes, fmt: str, output: Path | None) -> None:
    from tpm.diagram.render import BINARY

    if output is None:
        if fmt in BINARY:
            raise UsageError(
                f"--format {fmt} is binary: write it to a file with --output FILE.{fmt}"
            )
        emit(data if isinstance(data, str) else data.decode("utf-8"))
        return
    from tpm.fsutil import OutputError, write_output

    try:
        write_output(output, data)
    except OutputError as exc:
        raise UsageError(str(exc)) from None


@diagram_app.command("org")
def diagram_org(
    ctx: typer.Context,
    silo: Annotated[
        str | None,
        typer.Option(
            "--silo",
            metavar="ID",
            help="Only this silo, top management and the touchpoints between them.",
        ),
    ] = None,
    level: Annotated[
        int | None,
        typer.Option("--level", metavar="N", min=0, help="Only units down to hierarchy level N."),
    ] = None,
    format: DiagramFormatOption = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file.")
    ] = None,
    as_of: AsOf = None,
) -> None:
    """The org map: units by silo, touchpoints coloured by score, findings marked.

    Example: tpm diagram org --silo service --output service.svg
    """
    from tpm.diagram.render import DiagramError, check_silo, org

    fmt = _diagram_format(format, output)
    project, graph, scores, findings, _ = _diagram_inputs(ctx, as_of, audit=True)
    try:
        if silo is not None:
            check_silo(project, silo)
        data = org(project, graph, scores, findings, fmt, silo=silo, level=level)
    except DiagramError as exc:
        raise UsageError(str(exc)) from None
    _write_diagram(data, fmt, output)


@diagram_app.command("journey")
def diagram_journey(
    ctx: typer.Context,
    ident: Annotated[
        str | None, typer.Argument(metavar="[ID]", help="The journey to draw.", show_default=False)
    ] = None,
    all_: Annotated[
        bool,
        typer.Option(
            "--all", help="Every journey, one file each (<id>.<ext>) into the --output directory."
        ),
    ] = False,
    format: DiagramFormatOption = None,
    mermaid_kind: Annotated[
        MermaidKind,
        typer.Option(
            "--mermaid-kind",
            help="With --format mermaid: a flowchart with swimlanes (like the Graphviz map), "
            "or Mermaid's journey diagram (sections = stages, scores on 1-5, actors = units).",
        ),
    ] = MermaidKind.flowchart,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file (with --all: a directory)."),
    ] = None,
    as_of: AsOf = None,
) -> None:
    """A journey map: swimlanes per unit, steps in order, handoffs between silos.

    Example: tpm diagram journey onboarding --format png --output onboarding.png
    """
    from tpm.diagram.render import EXTENSIONS, DiagramError, find_journey, journey, progress

    if all_ == (ident is not None):
        raise UsageError("name one journey ID, or give --all (with --output DIR)")
    if all_ and output is None:
        raise UsageError("--all writes one file per journey: give a directory with --output DIR")
    if all_ and output is not None and output.exists() and not output.is_dir():
        raise UsageError(f"--all writes into a directory: {output} is a file")
    if all_:  # --output is a directory: the format is --format's, else svg
        fmt = format.value if format is not None else "svg"
    else:
        fmt = _diagram_format(format, output)
    if mermaid_kind is MermaidKind.journey and fmt != "mermaid":
        raise UsageError("--mermaid-kind journey needs --format mermaid")
    project, graph, scores, _, _ = _diagram_inputs(ctx, as_of, audit=False)
    try:
        if not all_:
            assert ident is not None
            chosen = find_journey(project, ident)
            data = journey(project, graph, scores, chosen, fmt, mermaid_kind.value)
            _write_diagram(data, fmt, output)
            return
        assert output is not None
        ids = list(project.journeys)
        with progress(len(ids), "drawing journeys") as advance:
            for jid in ids:
                chosen = project.journeys[jid]
                data = journey(project, graph, scores, chosen, fmt, mermaid_kind.value)
                _write_diagram(data, fmt, output / f"{jid}.{EXTENSIONS[fmt]}")
                advance()
    except DiagramError as exc:
        raise UsageError(str(exc)) from None
    from tpm.console import err
    from tpm.words import plural

    err().print(f"wrote {plural(len(ids), 'journey map')} to {output.as_posix()}/")


# -- report --------------------------------------------------------------------------------


REPORT_FILE = Path("report.html")


@app.command()
def report(
    ctx: typer.Context,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The HTML file to write (default: report.html).")
    ] = REPORT_FILE,
    responses: Responses = None,
    as_of: AsOf = None,
) -> None:
    """One self-contained HTML report: index, findings, scores and every map.

    Example: tpm report --output workshop.html --as-of 2026-11-20
    """
    from tpm.audit import run_audit
    from tpm.report import build_report

    day = parse_as_of(as_of)
    project = load_project(ctx)
    graph = load_graph(project)
    scores = compute_scores(project, graph, day, responses)
    findings = run_audit(project, graph, scores, day).findings
    print_findings_to_stderr([*project.findings, *scores.findings])
    warnings: list[str] = []
    html = build_report(project, graph, scores, findings, day, warnings=warnings)
    emit(html, output)
    from tpm.console import err

    for line in warnings:  # e.g. no Graphviz: the report has no maps (exit 0)
        err().print(line, markup=False)
    if str(output) != "-":
        err().print(f"wrote {output.as_posix()}")


# -- running -------------------------------------------------------------------------------


def run(args: list[str]) -> int:
    """Run the app and return its exit code; errors become one line on stderr (README.md)."""
    debug = bool(os.environ.get("TPM_DEBUG"))
    args = spread_responses(hoist_project_option(args))
    try:
        result = app(args=args, prog_name="tpm", standalone_mode=False)
    except UsageError as exc:
        return _error(str(exc))
    except typer.Exit as exc:
        return exc.exit_code
    except KeyboardInterrupt:
        return _error("interrupted", code=130)
    except BrokenPipeError:
        return 0
    except Exception as exc:
        # click-style usage errors (typer's own or click's, depending on the typer version)
        if type(exc).__name__ == "NoArgsIsHelpError" and getattr(exc, "ctx", None):
            sys.stdout.write(exc.ctx.get_help() + "\n")  # type: ignore[attr-defined]
            return 2
        if hasattr(exc, "format_message") and hasattr(exc, "exit_code"):
            ctx = getattr(exc, "ctx", None)
            hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
            message = " ".join(exc.format_message().replace("Value error, ", "").split())
            if hint:  # not "No such command 'x'. (see 'tpm --help')"
                message = message.rstrip(".")
            return _error(f"{message}{hint}", code=exc.exit_code or 2)
        if type(exc).__name__ == "Abort":
            return _error("aborted", code=130)
        if debug:  # a bug: one line, unless TPM_DEBUG asks for the traceback
            raise
        return _error(
            f"internal error: {type(exc).__name__}: {exc} (set TPM_DEBUG=1 for a traceback)"
        )
    return result if isinstance(result, int) else 0


def spread_responses(args: list[str]) -> list[str]:
    """`--responses a.csv b.csv` (docs/diagrams.md: `--responses FILE…`) as typer reads it,
    `--responses a.csv --responses b.csv`: the .csv files that follow the option are its."""
    result: list[str] = []
    state = 0  # 1: the option's own value comes next; 2: further .csv files may follow
    for arg in args:
        if state == 2 and not arg.startswith("-") and arg.lower().endswith(".csv"):
            result.extend(("--responses", arg))
            continue
        if state == 1:
            result.append(arg)
            state = 2
            continue
        state = 1 if arg == "--responses" else 0
        result.append(arg)
    return result


def hoist_project_option(args: list[str]) -> list[str]:
    """Let `-C DIR` / `--project DIR` stand anywhere (`tpm audit -C org` as well as
    `tpm -C org audit`): typer only knows it before the command, so move it there."""
    rest: list[str] = []
    hoisted: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest.extend(args[i:])
            break
        if arg in ("-C", "--project") and i + 1 < len(args):
            hoisted.extend(args[i : i + 2])
            i += 2
            continue
        if arg.startswith("--project=") or (arg.startswith("-C") and len(arg) > 2):
            hoisted.append(arg)
        else:
            rest.append(arg)
        i += 1
    return hoisted + rest


def _error(message: str, code: int = 2) -> int:
    sys.stdout.flush()
    sys.stderr.write(f"tpm: error: {message}\n")
    return code
