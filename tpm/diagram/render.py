"""From a project to diagram bytes: pick the renderer by format, run `dot` where needed.

Only svg, png and pdf need the Graphviz `dot` program; dot and mermaid text never do. When
`dot` is missing, `DiagramError` carries the one line the CLI prints (exit 2).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from tpm.errors import UsageError

if TYPE_CHECKING:
    import graphviz

    from tpm.findings import Finding
    from tpm.graph import OrgGraph
    from tpm.model import Journey
    from tpm.project import Project
    from tpm.scoring import Scores

FORMATS = ("svg", "png", "pdf", "dot", "mermaid")
BINARY = frozenset({"png", "pdf"})
NEEDS_DOT = frozenset({"svg", "png", "pdf"})
EXTENSIONS = {"svg": "svg", "png": "png", "pdf": "pdf", "dot": "dot", "mermaid": "mmd"}
SUFFIX_FORMATS = {
    ".svg": "svg",
    ".png": "png",
    ".pdf": "pdf",
    ".dot": "dot",
    ".gv": "dot",
    ".mmd": "mermaid",
    ".mermaid": "mermaid",
}

DOT_MISSING = (
    "Graphviz 'dot' is not installed: install it with 'sudo apt-get install graphviz' "
    "(Debian/Ubuntu) or see https://graphviz.org/download/"
)


class DiagramError(UsageError):
    """A diagram that cannot be made as asked (a usage error: exit 2)."""


def choose_format(
    fmt: str | None,
    output: Path | None,
    formats: tuple[str, ...] = FORMATS,
    suffixes: dict[str, str] = SUFFIX_FORMATS,
) -> str:
    """The format of one picture: `--format`, else the suffix of `--output`, else svg (to
    stdout). A suffix that names no format, or another format than `--format`, is a usage
    error: a file called o.png must hold a PNG. A suffix tpm does not know is fine with an
    explicit `--format` (`--format mermaid -o map.md`). PNG and PDF need a file: without
    `--output` they are a usage error, said before anything looks for Graphviz."""
    if output is None and fmt in BINARY:
        raise DiagramError(f"--format {fmt} is binary: write it to a file with --output FILE.{fmt}")
    implied = suffixes.get(output.suffix.lower()) if output is not None else None
    if fmt is None:
        if output is None:
            return "svg"
        if implied is None:
            raise DiagramError(
                f"cannot tell the format from '{output.as_posix()}': "
                f"use --format {'|'.join(formats)}"
            )
        return implied
    if output is not None and implied is not None and implied != fmt:
        raise DiagramError(
            f"--format {fmt} does not match '{output.as_posix()}' (a {output.suffix} file is "
            f"{implied}): change the suffix or --format"
        )
    return fmt


def dot_available() -> bool:
    return shutil.which("dot") is not None


def pipe(graph: graphviz.Digraph, fmt: str) -> bytes:
    """Lay out and render with `dot`; its warnings (labels it could not place) stay quiet."""
    import graphviz as gv

    if not dot_available():
        raise DiagramError(DOT_MISSING)
    try:
        return graph.pipe(format=fmt, quiet=True)
    except gv.ExecutableNotFound:
        raise DiagramError(DOT_MISSING) from None
    except gv.CalledProcessError as exc:
        stderr = exc.stderr.decode("utf-8", "replace") if isinstance(exc.stderr, bytes) else ""
        first = stderr.strip().splitlines()[0] if stderr.strip() else f"exit {exc.returncode}"
        raise DiagramError(f"Graphviz 'dot' failed: {first}") from None


BATCH = 240  # journey maps laid out per round of `dot` processes


def pipe_many(sources: list[str], fmt: str = "svg", engine: str = "dot") -> list[bytes | None]:
    """Lay out many graphs with few `dot` processes: graphs are given to one `dot` in chunks
    (it writes one svg document per graph), two chunks at a time. A chunk that fails is
    drawn graph by graph, so one bad graph costs only its own picture (None)."""
    import os
    import subprocess
    from concurrent.futures import ThreadPoolExecutor

    if not dot_available():
        raise DiagramError(DOT_MISSING)
    if fmt != "svg":
        raise ValueError("only svg output can be split into its graphs")
    chunk = 40
    chunks = [sources[i : i + chunk] for i in range(0, len(sources), chunk)]

    def run(part: list[str]) -> list[bytes | None]:
        done = subprocess.run(
            [engine, "-Tsvg"], input="\n".join(part).encode("utf-8"), capture_output=True
        )
        pictures = _split_svg(done.stdout)
        if done.returncode == 0 and len(pictures) == len(part):
            return list(pictures)
        if len(part) == 1:
            return [None]
        return [p for one in part for p in run([one])]

    workers = max(1, min(4, os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return [picture for part in pool.map(run, chunks) for picture in part]


_SVG_START = re.compile(rb"(?=<\?xml )")


def _split_svg(data: bytes) -> list[bytes]:
    return [part for part in _SVG_START.split(data) if part.strip()]


def _emit(graph: graphviz.Digraph, fmt: str) -> str | bytes:
    if fmt == "dot":
        return str(graph.source)
    data = pipe(graph, fmt)
    return data if fmt in BINARY else data.decode("utf-8")


def journey_format(
    fmt: str | None, output: Path | None, ident: str | None, every: bool, mermaid_kind: str
) -> str:
    """The format of `tpm diagram journey [ID | --all]`, once its options are known to go
    together: with --all, --output is a directory and the format is --format's, else svg."""
    if every == (ident is not None):
        raise DiagramError("name one journey ID, or give --all (with --output DIR)")
    if every and output is None:
        raise DiagramError("--all writes one file per journey: give a directory with --output DIR")
    if every and output is not None and output.exists() and not output.is_dir():
        raise DiagramError(f"--all writes into a directory: {output} is a file")
    chosen = (fmt or "svg") if every else choose_format(fmt, output)
    if mermaid_kind == "journey" and chosen != "mermaid":
        raise DiagramError("--mermaid-kind journey needs --format mermaid")
    return chosen


def write_journeys(
    project: Project, graph: OrgGraph, scores: Scores | None, fmt: str, kind: str, directory: Path
) -> str:
    """Every journey's map into `directory` as `<id>.<ext>`, each file written atomically,
    with a progress bar on a terminal; returns the line that says what was written."""
    from tpm.fsutil import write_atomic
    from tpm.words import plural

    ids = list(project.journeys)
    with progress(len(ids), "drawing journeys") as advance:
        if fmt == "svg":  # a few dot processes for all of them, a batch at a time
            from tpm.diagram.graphviz_render import journey_graph
            from tpm.diagram.model import journey_map

            for start in range(0, len(ids), BATCH):
                batch = ids[start : start + BATCH]
                sources = [
                    journey_graph(journey_map(project, graph, scores, project.journeys[j])).source
                    for j in batch
                ]
                for jid, svg in zip(batch, pipe_many(sources), strict=True):
                    if svg is None:
                        raise DiagramError(f"Graphviz 'dot' failed on journey '{jid}'")
                    write_atomic(directory / f"{jid}.svg", svg)
                    advance()
        else:
            for jid in ids:
                data = journey(project, graph, scores, project.journeys[jid], fmt, kind)
                write_atomic(directory / f"{jid}.{EXTENSIONS[fmt]}", data)
                advance()
    return f"wrote {plural(len(ids), 'journey map')} to {directory.as_posix()}/"


def journey(
    project: Project,
    graph: OrgGraph,
    scores: Scores | None,
    journey: Journey,
    fmt: str,
    mermaid_kind: str = "flowchart",
) -> str | bytes:
    from tpm.diagram.model import journey_map

    jm = journey_map(project, graph, scores, journey)
    if fmt == "mermaid":
        from tpm.diagram import mermaid

        if mermaid_kind == "journey":
            names = {uid: unit.name for uid, unit in project.units.items()}
            return mermaid.journey_diagram(jm, names)
        return mermaid.journey_flowchart(jm)
    from tpm.diagram.graphviz_render import journey_graph

    return _emit(journey_graph(jm), fmt)


def org(
    project: Project,
    graph: OrgGraph,
    scores: Scores | None,
    findings: list[Finding],
    fmt: str,
    *,
    silo: str | None = None,
    level: int | None = None,
) -> str | bytes:
    """The org map in `fmt`; a `silo` that names no silo is a DiagramError."""
    from tpm.diagram.model import org_map

    if silo is not None:
        check_silo(project, silo)
    om = org_map(project, graph, scores, findings, silo=silo, level=level)
    if fmt == "mermaid":
        from tpm.diagram.mermaid import org_flowchart

        return org_flowchart(om)
    from tpm.diagram.graphviz_render import org_graph

    return _emit(org_graph(om), fmt)


def silo_overview(
    project: Project, scores: Scores | None, findings: list[Finding], fmt: str
) -> str | bytes:
    """The org overview (`tpm diagram org --by silo`): one node per silo."""
    from tpm.diagram.silos import overview, silo_matrix

    ov = overview(silo_matrix(project, scores, findings))
    if fmt == "mermaid":
        from tpm.diagram.mermaid import overview_flowchart

        return overview_flowchart(ov)
    from tpm.diagram.graphviz_render import overview_graph

    return _emit(overview_graph(ov), fmt)


MATRIX_FORMATS = ("svg", "json", "csv")
MATRIX_SUFFIXES = {".svg": "svg", ".json": "json", ".csv": "csv"}


def silos(project: Project, scores: Scores | None, findings: list[Finding], fmt: str) -> str:
    """The silo matrix (`tpm diagram silos`) as svg (drawn directly: no Graphviz), json or csv."""
    from tpm.diagram.silos import matrix_csv, matrix_json, silo_matrix

    matrix = silo_matrix(project, scores, findings)
    if fmt == "json":
        import json

        return json.dumps(matrix_json(matrix), indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        return matrix_csv(matrix)
    from tpm.diagram.matrix_svg import matrix_svg

    return matrix_svg(matrix)


def check_silo(project: Project, silo: str) -> None:
    """`--silo ID` names a silo: a unit below top management that is its own silo."""
    from tpm.words import did_you_mean

    silos = project.silos()
    if silo in silos:
        return
    if silo in project.units:
        owner = project.silo.get(silo)
        where = f"it belongs to silo '{owner}'" if owner else "it is top management"
        raise DiagramError(f"--silo {silo!r} is a unit, not a silo: {where}")
    hint = did_you_mean(silo, silos, f"; silos: {', '.join(silos) or 'none'}")
    raise DiagramError(f"--silo {silo!r} is not a silo{hint}")


def find_journey(project: Project, ident: str) -> Journey:
    from tpm.words import did_you_mean

    found = project.journeys.get(ident)
    if found is not None:
        return found
    listed = f"; journeys: {', '.join(sorted(project.journeys))}"
    hint = did_you_mean(
        ident, project.journeys, listed if project.journeys else "; the project has no journeys"
    )
    item = project.items.get(ident)
    what = f"is a {item.kind}, not a journey" if item is not None else "is not a journey"
    raise DiagramError(f"{ident!r} {what}{hint}")


# -- SVG for inlining in HTML ----------------------------------------------------------------

_PROLOGUE = re.compile(r"\A\s*(<\?xml[^>]*\?>\s*)?(<!DOCTYPE[^>]*>\s*)?", re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?-->\s*", re.DOTALL)
_ID = re.compile(r'\b(id|href|xlink:href)="(#?)([^"]*)"')
_URL = re.compile(r"url\(#([^)]*)\)")


def inline_svg(svg: str, prefix: str) -> str:
    """An SVG from `dot` made fit to sit inside an HTML page beside others: no XML prologue,
    DOCTYPE or comments (which carry node names), and every id prefixed so that the ids of
    several pictures never clash."""
    svg = _PROLOGUE.sub("", svg)
    svg = _COMMENT.sub("", svg)

    def ident(m: re.Match[str]) -> str:
        attr, hash_, value = m.group(1), m.group(2), m.group(3)
        if attr != "id" and (not hash_ or value.startswith("item-")):
            return m.group(0)  # a link out of the picture (to a row of the report): kept
        return f'{attr}="{hash_}{prefix}-{value}"'

    svg = _ID.sub(ident, svg)
    return _URL.sub(lambda m: f"url(#{prefix}-{m.group(1)})", svg).strip()


# -- progress --------------------------------------------------------------------------------


@contextmanager
def progress(total: int, description: str) -> Iterator[Callable[[], None]]:
    """A progress bar on stderr while journeys render, only on an interactive terminal;
    yields the function that advances it by one."""
    import sys

    if not sys.stderr.isatty() or total < 2:
        yield lambda: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from tpm.console import err

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err(),
        transient=True,
    ) as bar:
        task = bar.add_task(description, total=total)
        yield lambda: bar.advance(task)
