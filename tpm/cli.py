"""The typer app: parse options, call the library, render. No domain logic lives here.

Heavy modules (pydantic, graphviz, jinja2) are imported inside the commands, so that
`tpm --help` stays quick; `tpm --version` never reaches this module at all.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tpm import __version__, guards
from tpm.catalogue import FAIL_LEVELS, mentioned
from tpm.errors import UsageError

if TYPE_CHECKING:
    from tpm.findings import Finding
    from tpm.formats import Report
    from tpm.session import Session


def _plain_help_types() -> None:
    """`--help` shows what to write, not Python types: typer 0.29 labels every option with its
    annotation (`<bool>` on a flag, `<list[Path]>`, `<str>`). A flag gets no label, a value a
    word (FILE, TEXT, N) or its choices."""
    from typer import core

    option = getattr(core, "TyperOption", None)
    original = getattr(option, "display_type_rich", None)
    if option is None or original is None:  # another typer: its own labels stay
        return
    words = {"path": "FILE", "str": "TEXT", "int": "N", "float": "NUMBER"}

    def display_type_rich(self: typer.core.TyperOption, ctx: typer.Context) -> str | None:
        if self.is_flag or self.count:
            return None
        shown = self.metavar if self.metavar is not None else original(self, ctx)
        if shown is None:
            return None
        bare = shown.strip("<>")
        if bare.startswith("list[") and bare.endswith("]"):
            return words.get(bare[5:-1].lower(), bare[5:-1].upper()) + "..."
        return words.get(bare.lower(), bare)

    option.display_type_rich = display_type_rich  # type: ignore[method-assign]
    argument = getattr(core, "TyperArgument", None)
    plain_argument = getattr(argument, "display_type_rich", None)
    if argument is not None and plain_argument is not None:

        def argument_type(self: typer.core.TyperArgument, ctx: typer.Context) -> str | None:
            shown = plain_argument(self, ctx)  # the name says it; choices are worth showing
            return shown.strip("<>") if shown and "|" in shown else None

        argument.display_type_rich = argument_type  # type: ignore[method-assign]


_plain_help_types()

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
def open_session(
    ctx: typer.Context, as_of: str | None = None, responses: list[Path] | None = None
) -> Session:
    """The pipeline of one command: the project of `-C`, the day of `--as-of`, the files of
    `--responses`; response files are read with a progress bar on a terminal."""
    from tpm.console import ByteProgress
    from tpm.dates import as_of_day
    from tpm.session import Session

    return Session(
        (ctx.find_root().obj or {}).get("project"),
        as_of_day(as_of),
        responses or (),
        progress=lambda: ByteProgress("reading responses", passes=2),
    )


def emit(data: str | bytes, output: Path | None = None) -> None:
    """Machine output: to `output` atomically (`-`: stdout), else plain to stdout (a
    fsutil.OutputError is a usage error, see tpm.__main__.run)."""
    if output is not None:
        from tpm.fsutil import write_output

        write_output(output, data)
        return
    sys.stdout.write(data if isinstance(data, str) else data.decode("utf-8"))
    sys.stdout.flush()


def print_findings_to_stderr(findings: list[Finding]) -> None:
    """For score, diagram and report: problems in the data are shown, and the command goes on."""
    if findings:
        from tpm.formats.text import print_lines

        print_lines(findings)


class FindingFormat(str, Enum):
    text = "text"
    json = "json"


class TableFormat(str, Enum):
    table = "table"
    json = "json"


class RulesFormat(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"


# -- validate ------------------------------------------------------------------------------


@app.command(
    help=f"Check loading, schema and references ({guards.SPAN}) of every file in the project."
    "\n\nExit 1 when an error is found. Example: tpm validate --format json"
)
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
    result = open_session(ctx, responses=responses).validate()
    _render_findings(result.report(), format.value, output)
    raise typer.Exit(result.exit_code)


def _render_findings(report: Report, format: str, output: Path | None) -> None:
    from tpm.formats import renderer

    if format == "text" and output is None:
        from tpm.formats.text import print_at_terminal

        if print_at_terminal(report):  # in colour; else the plain text below
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
    from tpm.listing import print_table, rows, to_json

    session = open_session(ctx)
    columns, table = rows(session.project, session.graph, kind.value, owner=owner, silo=silo)
    print_findings_to_stderr([f for f in session.project.findings if f.severity.value == "error"])
    if format is TableFormat.json:
        emit(to_json(table))
        return
    print_table(kind.value, columns, table, session.project.organisation)


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
    from tpm.listing import describe, render_item, to_json

    info = describe(open_session(ctx, as_of), ident)
    if format is FindingFormat.json:
        emit(to_json(info))
        return
    render_item(info)


# -- schema --------------------------------------------------------------------------------
@app.command()
def schema(
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the schemas as files into this directory."),
    ] = None,
) -> None:
    """JSON Schemas (draft-07) of tpm.yaml, touchpoint, journey and survey files, for editors and
    check-jsonschema. Example: tpm schema --output schemas/"""
    from tpm.jsonschema import dumps, schemas, write_schemas

    if output is None:
        emit(dumps(schemas()))
        return
    from tpm.console import err

    for path in write_schemas(output):
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
    from tpm.starter import init

    for line in init(directory):
        err().print(line)


# -- score ---------------------------------------------------------------------------------
AsOf = Annotated[
    str | None,
    typer.Option("--as-of", metavar="DATE", help="Judge dates as of this day (default: today)."),
]
Responses = Annotated[
    list[Path] | None,
    typer.Option("--responses", metavar="FILE", help="Further response files (repeatable)."),
]


class View(str, Enum):
    touchpoints = "touchpoints"
    journeys = "journeys"
    units = "units"
    org = "org"
    silos = "silos"


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

    session = open_session(ctx, as_of, responses)
    project, scores = session.project, session.scores
    print_findings_to_stderr(session.data_findings)
    view_name = view.value if view else None
    if view is View.silos and explain is None:  # the silo matrix (docs/diagrams.md)
        from tpm.diagram.matrix_term import silos_view

        silos_view(project, scores, format.value, lambda text: emit(text, output))
        return
    if explain is not None:
        try:
            lines = scoreview.explain(scores, explain, project)
        except KeyError:
            from tpm.words import did_you_mean

            item = project.items.get(explain)
            if item is not None:  # a unit or a person: right id, wrong kind
                raise UsageError(
                    f"--explain {explain!r} is a {item.kind}: it explains a touchpoint or a journey"
                ) from None
            near = did_you_mean(explain, [*project.touchpoints, *project.journeys])
            raise UsageError(
                f"--explain {explain!r} names no touchpoint or journey{near}"
            ) from None
        from tpm.safetext import line_safe, visible

        emit("".join(line_safe(visible(line)) + "\n" for line in lines), output)
        return
    if format is not ScoreFormat.table:
        render = scoreview.render_json if format is ScoreFormat.json else scoreview.render_csv
        emit(render(scores, view_name), output)
        return
    from rich.text import Text

    from tpm.console import out

    console = out()
    console.print(
        Text.assemble((project.organisation, "bold"), f": scores as of {scores.as_of.isoformat()}")
    )
    for table in scoreview.tables(scores, view_name, project.organisation, console.width):
        console.print(table)


# -- ingest --------------------------------------------------------------------------------


@app.command()
def ingest(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(help="The survey tool's export(s), .csv.")],
    survey: Annotated[
        str, typer.Option("--survey", metavar="ID", help="The survey (surveys/*.yaml).")
    ],
    wave: Annotated[
        str | None,
        typer.Option("--wave", metavar="ID", help="Put every answer in this wave."),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", metavar="DIR", help="Write the wave files here (default: waves/)."
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check and summarise; write nothing.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Replace wave files that exist already.")
    ] = False,
) -> None:
    """Turn a survey export into wave files: aggregates only, safe to commit.

    Example: tpm ingest pulse-export.csv --survey pulse
    """
    from tpm.ingest import ingest as run_ingest
    from tpm.ingest import summary_lines
    from tpm.safetext import line_safe, visible

    project = open_session(ctx).project
    result = run_ingest(
        project, survey, files, wave=wave, output=output, dry_run=dry_run, force=force
    )
    print_findings_to_stderr(result.findings)
    for line in summary_lines(result, lambda p: project.display(Path(p))):
        typer.echo(line_safe(visible(line)))
    raise typer.Exit(result.exit_code)


# -- audit ---------------------------------------------------------------------------------


# --fail-on: the levels of tpm.catalogue (one list for the option, audit.fail_on and the engine)
FailOn = Enum("FailOn", [(level, level) for level in FAIL_LEVELS], type=str)  # type: ignore[misc]


class ShowLevel(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


def _finding_formats() -> list[tuple[str, str]]:
    from tpm.formats import FORMATS

    return [(name, name) for name in FORMATS]


# every format registered in tpm.formats (text, json, sarif, github, ...): a newly registered
# format becomes a choice of --format without touching this command.
AuditFormat = Enum("AuditFormat", _finding_formats(), type=str)  # type: ignore[misc]


_CODES_HELP = (
    "comma-separated rule codes or prefixes such as "
    f"{mentioned('unowned-journey')},TPM02 (repeatable)"
)


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
    show: Annotated[
        ShowLevel | None,
        typer.Option(
            "--show",
            help="List only the findings at or above this severity in text, github and markdown "
            "output (the others are counted); exit codes are not affected "
            "(default: audit.show in tpm.yaml, else info).",
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
    session = open_session(ctx, as_of, responses)
    level = fail_on.value if fail_on is not None else None
    result = session.audit(select, ignore, baseline, level)
    report = result.report(session.project.paths.prefix)
    report.show = show.value if show is not None else session.project.audit.show
    _render_findings(report, format.value, output)
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
            metavar="BASE",
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
    ] = FailOn("never"),
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
    from tpm import diffview
    from tpm.diff import run_diff

    session = open_session(ctx, as_of)
    result = run_diff(session.root, base, head, session.as_of, allow_new=allow_new)

    failing = result.failing(fail_on_new.value)
    if format is DiffFormat.json:
        emit(diffview.to_json(result), output)
    elif format is DiffFormat.markdown:
        emit(diffview.markdown(result, failing), output)
    elif output is not None or not diffview.print_text(result):
        emit(diffview.text(result), output)
    raise typer.Exit(1 if failing else 0)


# -- rules ---------------------------------------------------------------------------------


@app.command(
    help="List the audit rules, or show one in full (what it checks, why it matters, how to "
    f"fix,\nan example). Example: tpm rules {mentioned('silo-owned-journey')}"
)
def rules(
    code: Annotated[
        str | None,
        typer.Argument(metavar="CODE", help="One rule, by code or name: show it in full."),
    ] = None,
    format: Annotated[RulesFormat, typer.Option("--format", "-f")] = RulesFormat.table,
) -> None:
    from tpm.rules.docs import rule_page, rules_json, rules_markdown, rules_table
    from tpm.rules.registry import find_rule

    rule = None
    if code is not None:
        try:
            rule = find_rule(code)
        except KeyError as exc:
            raise UsageError(str(exc.args[0])) from None
    if format is RulesFormat.json:
        emit(rules_json(rule))
        return
    if format is RulesFormat.markdown:  # the README's table
        emit(rules_markdown(rule))
        return
    from tpm.console import out

    console = out()
    shown = rule_page(rule, console.width) if rule is not None else [rules_table(console.width)]
    for renderable in shown:
        console.print(renderable)


# -- diagram -------------------------------------------------------------------------------

diagram_app = typer.Typer(
    help="Draw the org map or journey maps: Graphviz (svg, png, pdf, dot) or Mermaid.",
    no_args_is_help=True,
)
app.add_typer(diagram_app, name="diagram")


def _diagram_formats() -> list[tuple[str, str]]:
    from tpm.diagram.render import FORMATS

    return [(name, name) for name in FORMATS]


DiagramFormat = Enum("DiagramFormat", _diagram_formats(), type=str)  # type: ignore[misc]


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


def _write_diagram(data: str | bytes, output: Path | None) -> None:
    """Print the diagram, or write it to `output` and say so ("wrote FILE" on stderr, like
    report and schema). A binary format has an --output (tpm.diagram.render.choose_format)."""
    emit(data, output)
    if output is not None and str(output) != "-":
        from tpm.console import err

        err().print(f"wrote {output.as_posix()}", markup=False)


class OrgBy(str, Enum):
    unit = "unit"
    silo = "silo"


@diagram_app.command("org")
def diagram_org(
    ctx: typer.Context,
    by: Annotated[
        OrgBy,
        typer.Option(
            "--by", help="unit: every unit and touchpoint; silo: the overview, one box per silo."
        ),
    ] = OrgBy.unit,
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
    from tpm.diagram.render import choose_format, org, silo_overview

    fmt = choose_format(format.value if format else None, output)
    if by is OrgBy.silo and (silo is not None or level is not None):
        raise UsageError("--by silo draws every silo: --silo and --level focus the unit map")
    session = open_session(ctx, as_of)
    findings = session.audit().findings
    print_findings_to_stderr(session.data_findings)
    project, graph, scores = session.project, session.graph, session.scores
    if by is OrgBy.silo:
        data = silo_overview(project, scores, findings, fmt)
    else:
        data = org(project, graph, scores, findings, fmt, silo=silo, level=level)
    _write_diagram(data, output)


MatrixFormat = Enum("MatrixFormat", [(f, f) for f in ("svg", "json", "csv")], type=str)  # type: ignore[misc]


@diagram_app.command("silos")
def diagram_silos(
    ctx: typer.Context,
    format: Annotated[
        MatrixFormat | None,
        typer.Option("--format", "-f", help="svg (default; no Graphviz needed), json or csv."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file.")
    ] = None,
    as_of: AsOf = None,
) -> None:
    """The silo matrix: touchpoints from each silo (rows) to each silo (columns), by band.

    Example: tpm diagram silos --output silos.svg
    """
    from tpm.diagram.render import MATRIX_FORMATS, MATRIX_SUFFIXES, choose_format, silos

    fmt = choose_format(format.value if format else None, output, MATRIX_FORMATS, MATRIX_SUFFIXES)
    session = open_session(ctx, as_of)
    findings = session.audit().findings
    print_findings_to_stderr(session.data_findings)
    _write_diagram(silos(session.project, session.scores, findings, fmt), output)


@diagram_app.command("heatmap")
def diagram_heatmap(
    ctx: typer.Context,
    by: Annotated[
        str,
        typer.Option(
            "--by", help="touchpoint or dimension: the columns.", metavar="touchpoint|dimension"
        ),
    ] = "touchpoint",
    format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="table (terminal), svg, json or csv.",
            metavar="table|svg|json|csv",
        ),
    ] = "table",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file.")
    ] = None,
    as_of: AsOf = None,
) -> None:
    """Units (by silo) × touchpoints or dimensions: each unit's own score; hidden cells say so.

    Example: tpm diagram heatmap --by dimension --format svg -o heat.svg
    """
    from tpm.diagram.heatmap import heatmap_view

    if by not in ("touchpoint", "dimension") or format not in ("table", "svg", "json", "csv"):
        raise UsageError("--by touchpoint|dimension, --format table|svg|json|csv")
    session = open_session(ctx, as_of)
    print_findings_to_stderr(session.data_findings)
    heatmap_view(session.project, session.scores, by, format, lambda text: emit(text, output))


@diagram_app.command("journey")
def diagram_journey(
    ctx: typer.Context,
    ident: Annotated[
        str | None, typer.Argument(metavar="ID", help="The journey to draw.", show_default=False)
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
    from tpm.diagram.render import find_journey, journey, journey_format, write_journeys

    kind = mermaid_kind.value
    fmt = journey_format(format.value if format else None, output, ident, all_, kind)
    session = open_session(ctx, as_of)
    project, graph, scores = session.project, session.graph, session.scores
    print_findings_to_stderr(session.data_findings)
    if ident is not None:
        chosen = find_journey(project, ident)
        _write_diagram(journey(project, graph, scores, chosen, fmt, kind), output)
        return
    assert output is not None
    from tpm.console import err

    err().print(write_journeys(project, graph, scores, fmt, kind, output))


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
    from tpm.report import session_report

    session = open_session(ctx, as_of, responses)
    print_findings_to_stderr(session.data_findings)
    warnings: list[str] = []
    emit(session_report(session, warnings), output)
    from tpm.console import err

    for line in warnings:  # e.g. no Graphviz: the report has no maps (exit 0)
        err().print(line, markup=False)
    if str(output) != "-":
        err().print(f"wrote {output.as_posix()}")
