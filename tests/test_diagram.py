"""`tpm diagram` (docs/diagrams.md): journey maps and the org map, as Graphviz and Mermaid.

Golden files live in tests/golden/diagram/ and are drawn from the example organisation as of
2026-11-20 (so they also change when the example, its scores or its audit findings change);
regenerate them with `TPM_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_diagram.py` and read the
diff before committing.

`dot` must accept every dot source: those tests run `dot -Tsvg` and are skipped when Graphviz is
missing, except in CI (CI=true), where it must be installed.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT, Result, generate_org, make_project
from diagram_support import HOSTILE, PRIVATE, hidden_numbers_absent

from tpm.diagram import style
from tpm.diagram.model import journey_map, org_map, silo_title
from tpm.graph import OrgGraph
from tpm.project import load

GOLDEN = Path(__file__).parent / "golden" / "diagram"
AS_OF = "2026-11-20"
NO_DOT = shutil.which("dot") is None and os.environ.get("CI") != "true"
needs_dot = pytest.mark.skipif(NO_DOT, reason="Graphviz 'dot' is not installed")


def dot_accepts(source: str) -> None:
    """`dot -Tsvg` lays the source out without an error (warnings are fine)."""
    done = subprocess.run(
        ["dot", "-Tsvg"], input=source.encode("utf-8"), capture_output=True, timeout=120
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")[-2000:]
    assert done.stdout.lstrip().startswith(b"<?xml")


def example(run_cli: Callable[..., Result], *args: str) -> Result:
    return run_cli(["-C", ROOT, "diagram", *args, "--as-of", AS_OF])


# -- goldens and determinism ----------------------------------------------------------------

GOLDENS = {  # each drawn (dot -Tpng, or chromium for the svg) and looked at when written
    "overview.dot": ["org", "--by", "silo", "--format", "dot"],
    "overview.mmd": ["org", "--by", "silo", "--format", "mermaid"],
    "silos.svg": ["silos", "--format", "svg"],
    "org.dot": ["org", "--format", "dot"],
    "org.mmd": ["org", "--format", "mermaid"],
    "complaint-escalation.dot": ["journey", "complaint-escalation", "--format", "dot"],
    "complaint-escalation.mmd": ["journey", "complaint-escalation", "--format", "mermaid"],
    "complaint-escalation.journey.mmd": [
        "journey",
        "complaint-escalation",
        "--format",
        "mermaid",
        "--mermaid-kind",
        "journey",
    ],
}


@pytest.mark.parametrize("name", sorted(GOLDENS))
def test_golden(name: str, run_cli: Callable[..., Result]) -> None:
    result = example(run_cli, *GOLDENS[name])
    assert result.code == 0, result.err
    golden = GOLDEN / name
    if os.environ.get("TPM_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(result.out, encoding="utf-8", newline="\n")
    assert golden.exists(), f"{golden} is missing: run with TPM_UPDATE_GOLDEN=1"
    assert result.out == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(GOLDENS))
def test_same_input_same_bytes(name: str, run_cli: Callable[..., Result]) -> None:
    first = example(run_cli, *GOLDENS[name])
    second = example(run_cli, *GOLDENS[name])
    assert first.code == second.code == 0
    assert first.out == second.out


def test_text_is_written_to_a_file_identically(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    target = tmp_path / "out" / "org.mmd"
    result = example(run_cli, "org", "--output", target)  # format from the suffix
    assert result.code == 0, result.err
    assert target.read_text(encoding="utf-8") == example(run_cli, "org", "-f", "mermaid").out
    assert not [p for p in target.parent.iterdir() if p.name.startswith(".")]  # no temp files


# -- dot accepts what tpm writes ------------------------------------------------------------


@needs_dot
def test_dot_accepts_every_map_of_the_example(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    for args in (["org"], ["org", "--silo", "claims"], ["org", "--level", "1"]):
        result = example(run_cli, *args, "--format", "dot")
        assert result.code == 0, result.err
        dot_accepts(result.out)
    result = example(run_cli, "journey", "--all", "--format", "dot", "--output", tmp_path)
    assert result.code == 0, result.err
    written = sorted(p.name for p in tmp_path.iterdir())
    project = load(ROOT)
    assert written == sorted(f"{j}.dot" for j in project.journeys)
    for path in tmp_path.iterdir():
        dot_accepts(path.read_text(encoding="utf-8"))


@pytest.mark.slow
@needs_dot
@pytest.mark.parametrize("units", [12, 100])
def test_dot_accepts_generated_organisations(
    units: int, run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    """Synthetic organisations (benchmarks/generate.py): dot has crashed on layouts that
    small examples never reach (peer edges that do not constrain, in clusters)."""
    root = generate_org(tmp_path / "org", units, units * 8, 4, "--seed", "1")
    result = run_cli(["-C", root, "diagram", "org", "--format", "dot", "--as-of", AS_OF])
    assert result.code == 0, result.err
    dot_accepts(result.out)
    journeys = tmp_path / "journeys"
    args = ["journey", "--all", "-f", "dot", "-o", journeys, "--as-of", AS_OF]
    assert run_cli(["-C", root, "diagram", *args]).code == 0
    for path in sorted(journeys.iterdir()):
        dot_accepts(path.read_text(encoding="utf-8"))


@needs_dot
def test_binary_formats_are_real_files(run_cli: Callable[..., Result], tmp_path: Path) -> None:
    png, pdf, svg = tmp_path / "org.png", tmp_path / "j.pdf", tmp_path / "j.svg"
    assert example(run_cli, "org", "--output", png).code == 0
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert example(run_cli, "journey", "onboarding", "-f", "pdf", "-o", pdf).code == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    assert example(run_cli, "journey", "onboarding", "-o", svg).code == 0
    assert "<svg" in svg.read_text(encoding="utf-8")
    stdout_svg = example(run_cli, "journey", "onboarding")  # svg is the default, to stdout
    assert stdout_svg.code == 0 and "<svg" in stdout_svg.out


# -- what the maps say ----------------------------------------------------------------------


def test_journey_map_of_the_example() -> None:
    from tpm.scoring import compute

    project = load(ROOT)
    graph = OrgGraph(project)
    scores = compute(project, graph, dt.date(2026, 11, 20))
    jm = journey_map(project, graph, scores, project.journeys["complaint-escalation"])
    assert not jm.owned and jm.owner_line.startswith("NO OWNER")
    # top management first, then silo by silo, the department above its teams
    assert [lane.unit for lane in jm.lanes] == [
        "board",
        "sales",
        "sales-branches",
        "service",
        "service-hotline",
        "claims",
        "claims-field",
        "finance",
    ]
    assert [s.lane for s in jm.steps] == [
        "sales-branches",
        "service-hotline",
        "claims-field",
        "service-hotline",
        "service",
        "claims",
    ]
    assert [s.critical for s in jm.steps] == [False, True, False, False, True, False]
    # every change of acting silo is a handoff, and with no owner every one of them is red
    assert [(f.handoff, f.uncovered) for f in jm.flows] == [
        (True, True),
        (True, True),
        (True, True),
        (False, False),
        (True, True),
    ]
    assert [run.name for run in jm.stages] == [
        "Complaint received",
        "Investigation",
        "Resolution",
        "Settlement",
    ]

    owned = journey_map(project, graph, scores, project.journeys["onboarding"])
    assert owned.owned and owned.owner_line.startswith("Owner: Claudia Hartmann")
    # the CX manager (level 0) co-owns onboarding: she covers every silo, nothing is red
    assert any(f.handoff for f in owned.flows)
    assert not any(f.uncovered for f in owned.flows)


SKIPPED_STEPS = {
    "tpm.yaml": """\
        organisation: Skip AG
        units:
          - {id: board, name: Board, level: 0}
          - {id: sales, name: Sales}
          - {id: service, name: Service}
          - {id: claims, name: Claims}
        people:
          - {id: anna, name: Anna, unit: sales}
    """,
    "touchpoints/t.yaml": """\
        touchpoints:
          - {id: t-sales, name: Sales call, from: sales, to: service}
          - {id: t-service, name: Service desk, from: service, to: claims}
          - {id: t-ghost, name: Ghost memo, from: ghost, to: service}
          - {id: t-claims, name: Claims review, from: claims, to: sales}
    """,
    "journeys/j.yaml": """\
        journeys:
          - id: j
            name: Skipping journey
            owner: anna
            steps:
              - touchpoint: t-sales
              - touchpoint: no-such-touchpoint
              - touchpoint: t-service
              - touchpoint: t-ghost
              - touchpoint: t-claims
              - touchpoint: t-sales
    """,
}


def test_a_step_that_cannot_be_drawn_keeps_the_numbers_and_the_handoffs(
    tmp_path: Path, run_cli: Callable[..., Result]
) -> None:
    """Step 2 names an unknown touchpoint and step 4 one whose `from` unit is unknown: the map
    draws steps 1, 3, 5 and 6 under their journey numbers, and its handoffs are exactly the
    ones `tpm show` gives (docs/diagrams.md: step 4 has no acting silo, so 4 -> 5 is no handoff,
    even though the silo changes from step 3 to step 5)."""
    import json

    root = make_project(tmp_path, SKIPPED_STEPS)
    project = load(root)
    graph = OrgGraph(project)
    jm = journey_map(project, graph, None, project.journeys["j"])
    assert [s.number for s in jm.steps] == [1, 3, 5, 6]
    number = {s.key: s.number for s in jm.steps}
    assert [(number[f.tail], number[f.head]) for f in jm.flows] == [(1, 3), (3, 5), (5, 6)]
    handoffs = [f for f in jm.flows if f.handoff]
    drawn = [(number[f.head], f.to_silo) for f in handoffs]
    assert drawn == [(3, "Service"), (6, "Sales")]
    assert [f.uncovered for f in handoffs] == [True, False]  # Anna (sales) covers sales only

    shown = run_cli(["-C", root, "show", "j", "--format", "json", "--as-of", AS_OF])
    assert shown.code in (0, 1), shown.err
    listed = json.loads(shown.out)["related"]["handoffs"]
    assert [(h["step"], silo_title(project, h["to_silo"])) for h in listed] == drawn
    assert [h["touchpoint"] for h in listed] == ["t-service", "t-sales"]

    for fmt in ("dot", "mermaid"):
        text = _run(run_cli, root, "journey", "j", "-f", fmt).out
        heads = re.findall(r"STEP (\d+)", text)
        assert sorted(heads) == ["1", "3", "5", "6"], (fmt, heads)
        markers = set(re.findall(r"step (\d+)", text))  # "step 3: receives" in another lane
        assert markers == {"1", "3", "5", "6"}, (fmt, markers)


def test_org_map_focus_and_findings() -> None:
    from tpm.audit import run_audit
    from tpm.scoring import compute

    project = load(ROOT)
    graph = OrgGraph(project)
    day = dt.date(2026, 11, 20)
    scores = compute(project, graph, day)
    findings = run_audit(project, graph, scores, day).findings
    whole = org_map(project, graph, scores, findings)
    assert whole.clusters[0].title == "Top management"
    assert len(whole.clusters) == 1 + len(project.silos())
    marked = {u for u, node in whole.nodes.items() if node.findings}
    assert marked == {f.subject for f in findings if f.subject in project.units}
    assert whole.has_broadcasts

    claims = org_map(project, graph, scores, findings, silo="claims")
    assert set(claims.nodes) == {"board", "claims", "claims-field"}
    ends = {u for e in claims.edges for u in (e.tail, e.head)}
    ends |= {u for h in claims.hubs for u in (*h.tails, *h.heads)}
    assert ends <= {"board", "claims", "claims-field", "all"}

    shallow = org_map(project, graph, scores, findings, level=1)
    assert all(node.level <= 1 for node in shallow.nodes.values())
    assert "service-hotline" not in shallow.nodes


def test_parallel_touchpoints_merge_into_one_edge(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "tpm.yaml": """\
                organisation: Merge AG
                units:
                  - {id: board, name: Board, level: 0}
                  - {id: a, name: A}
                  - {id: b, name: B}
            """,
            "touchpoints/t.yaml": """\
                touchpoints:
                  - {id: t1, name: One, from: a, to: b}
                  - {id: t2, name: Two, from: a, to: b}
                  - {id: t3, name: Three, from: b, to: a, direction: two-way}
                  - {id: t4, name: Four, from: a, to: b, direction: two-way}
                  - {id: t5, name: Five, from: board, to: [a, b]}
            """,
        },
    )
    project = load(root)
    om = org_map(project, OrgGraph(project), None)
    pairs = {(e.tail, e.head, e.two_way): [i.touchpoint for i in e.items] for e in om.edges}
    assert pairs == {("a", "b", False): ["t1", "t2"], ("a", "b", True): ["t3", "t4"]}
    assert [(h.touchpoint, h.tails, h.heads) for h in om.hubs] == [("t5", ("board",), ("a", "b"))]


def _edge_is_true(project: object, om: object) -> None:
    """Every edge's colour and arrowheads hold for each touchpoint on it."""
    for e in om.edges:  # type: ignore[attr-defined]
        for item in e.items:
            tp = project.touchpoints[item.touchpoint]  # type: ignore[attr-defined]
            assert item.badge.kind == e.kind, (e, item)
            assert e.colour == item.badge.ink, (e, item)
            assert tp.two_way == e.two_way, (e, item)


BANDS = {
    "tpm.yaml": """\
        organisation: Bands AG
        units:
          - {id: board, name: Board, level: 0}
          - {id: a, name: A}
          - {id: b, name: B}
    """,
    "touchpoints/t.yaml": """\
        touchpoints:
          - id: good1
            name: Good one
            from: a
            to: b
            ratings: [{date: 2026-11-01, n: 10, scores: {clarity: 4, appreciation: 4}}]
          - {id: unrated1, name: Unrated one, from: a, to: b}
          - id: good2
            name: Good two
            from: a
            to: b
            ratings: [{date: 2026-11-01, n: 10, scores: {clarity: 5, appreciation: 5}}]
          - id: poor-dialogue
            name: Poor dialogue
            from: b
            to: a
            direction: two-way
            ratings: [{date: 2026-11-01, n: 10, scores: {clarity: 2, appreciation: 2}}]
          - {id: unrated-dialogue, name: Unrated dialogue, from: a, to: b, direction: two-way}
          - {id: award, name: Award, from: board, to: all}
          - id: all-hands
            name: All-hands
            from: board
            to: all
            direction: two-way
            ratings: [{date: 2026-11-01, n: 10, scores: {clarity: 3, appreciation: 3}}]
    """,
}


def test_an_edge_merges_only_one_direction_and_one_band(
    tmp_path: Path, run_cli: Callable[..., Result]
) -> None:
    """docs/diagrams.md: edges coloured by band; a two-way touchpoint has arrowheads at both ends.
    So an edge carries touchpoints of one pair, one direction and one band only."""
    from tpm.scoring import compute

    root = make_project(tmp_path, BANDS)
    project = load(root)
    graph = OrgGraph(project)
    scores = compute(project, graph, dt.date(2026, 11, 20))
    om = org_map(project, graph, scores)
    _edge_is_true(project, om)
    edges = {(e.tail, e.head, e.two_way, e.kind): [i.touchpoint for i in e.items] for e in om.edges}
    assert edges == {
        ("a", "b", False, "good"): ["good1", "good2"],
        ("a", "b", False, "unrated"): ["unrated1"],
        ("a", "b", True, "poor"): ["poor-dialogue"],
        ("a", "b", True, "unrated"): ["unrated-dialogue"],
        ("board", "all", False, "unrated"): ["award"],
        ("board", "all", True, "fair"): ["all-hands"],
    }
    # the dot source: the two-way broadcast has both arrowheads, the one-way one does not
    source = run_cli(["-C", root, "diagram", "org", "-f", "dot", "--as-of", AS_OF]).out
    award = next(line for line in source.splitlines() if 'tooltip="Award' in line)
    all_hands = next(line for line in source.splitlines() if 'tooltip="All-hands' in line)
    assert "dir=both" not in award and f'color="{style.INK["unrated"]}"' in award
    assert "dir=both" in all_hands and f'color="{style.INK["fair"]}"' in all_hands
    mermaid = run_cli(["-C", root, "diagram", "org", "-f", "mermaid", "--as-of", AS_OF]).out
    assert re.search(r"unit_board -\.->\|\"Award\"\| unit_all", mermaid)
    assert re.search(r"unit_board <-\.->\|\"All-hands \(50 · fair\)\"\| unit_all", mermaid)


def test_the_example_org_map_draws_every_touchpoint_truly() -> None:
    """The user's report: in the claims focus, the unrated two-way off-site sat on the green
    arrow of the best-practice slot, and the unrated one-way award on the orange two-way
    arrow of the all-hands."""
    from tpm.scoring import compute

    project = load(ROOT)
    graph = OrgGraph(project)
    scores = compute(project, graph, dt.date(2026, 11, 20))
    for focus in ({}, {"silo": "claims", "level": 1}, {"level": 1}, {"silo": "service"}):
        om = org_map(project, graph, scores, **focus)  # type: ignore[arg-type]
        _edge_is_true(project, om)
    om = org_map(project, graph, scores, silo="claims", level=1)
    on_edge = {i.touchpoint: e for e in om.edges for i in e.items}
    assert on_edge["strategy-offsite"] is not on_edge["best-practice-slot"]
    assert on_edge["strategy-offsite"].kind == "unrated"
    assert on_edge["best-practice-slot"].kind == "good"
    assert on_edge["customer-award"] is not on_edge["all-hands"]
    assert not on_edge["customer-award"].two_way


def test_a_shown_score_never_rounds_across_a_threshold() -> None:
    thresholds = (70.0, 50.0)
    texts = [style.score_text(v, thresholds) for v in (69.6, 69.4, 70.0, 49.97, 49.4, 85.5, 0)]
    assert texts == ["69.6", "69", "70", "49.9", "49", "86", "0"]


# -- hostile text ----------------------------------------------------------------------------


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    root = make_project(tmp_path, HOSTILE)
    assert not load(root).findings, [f.message for f in load(root).findings]
    return root


def _run(run_cli: Callable[..., Result], root: Path, *args: str) -> Result:
    result = run_cli(["-C", root, "diagram", *args, "--as-of", AS_OF])
    assert result.code == 0, result.err
    return result


@needs_dot
def test_hostile_names_stay_escaped_in_dot_and_svg(
    hostile: Path, run_cli: Callable[..., Result]
) -> None:
    for args in (["org"], ["journey", "j"]):
        source = _run(run_cli, hostile, *args, "-f", "dot").out
        dot_accepts(source)
        # labels are HTML-like: escaped; tooltips are quoted strings, which dot escapes itself
        labels = re.sub(r'tooltip="(?:[^"\\]|\\.)*"', "", source)
        assert "<script" not in labels and "&lt;script&gt;" in labels
        svg = _run(run_cli, hostile, *args, "-f", "svg").out
        assert "<script" not in svg
        assert "Ärger" in svg or "Dépt" in svg


def test_hostile_names_stay_escaped_in_mermaid(
    hostile: Path, run_cli: Callable[..., Result]
) -> None:
    outputs = [
        _run(run_cli, hostile, "org", "-f", "mermaid").out,
        _run(run_cli, hostile, "journey", "j", "-f", "mermaid").out,
    ]
    for text in outputs:
        assert "<script" not in text and "<b>boss" not in text
        # every quoted label holds no quote, bracket or bar of its own
        for groups in re.findall(r'\["(.*?)"\]|\|"(.*?)"\|', text):
            body = re.sub(r"#\w+;", "", "".join(groups))  # entity codes are fine
            assert not set(body) & set('"[]|;#'), body
        assert "Line one line two" in text  # the newline became a space
    diagram = _run(run_cli, hostile, "journey", "j", "-f", "mermaid", "--mermaid-kind", "journey")
    lines = diagram.out.splitlines()
    assert lines[0] == "journey"
    title = lines[1].removeprefix("    title ")
    assert "#" not in title and ";" not in title and '"' not in title
    tasks = [line.strip() for line in lines if line.startswith("      ")]
    assert len(tasks) == 3
    for task in tasks:
        text, score, actors = task.split(": ")  # exactly two separators: nothing leaked
        assert re.fullmatch(r"[1-5]", score)
        assert ":" not in text.replace("#58;", "").replace("#59;", "")
        assert not re.search(r"#(?![0-9]+;|lt;|gt;|quot;)", text)  # only entity codes
        assert actors.count(",") == len(actors.split(", ")) - 1


def test_mermaid_text_codes() -> None:
    escaped = "a#58; #quot;b#quot; #35;c#59; #lt;d#gt; #91;e#93;"
    assert style.mermaid_text('a: "b" #c; <d>\n[e]') == escaped
    assert style.mermaid_text("x, y", list_item=True) == "x#44; y"
    assert style.html_text("<a href='x'>&</a>") == "&lt;a href=&#x27;x&#x27;&gt;&amp;&lt;/a&gt;"
    assert style.mermaid_title('A "b" #1; <c>') == "A 'b' ＃1； ‹c›"
    assert style.wrap("word " * 40, 10, 2)[-1].endswith("…")
    assert style.clean("a\n\tb\x00c") == "a b c"
    assert [style.cadence_text(c) for c in ("P2W", "P1M", "on-demand", None)] == [
        "every 2 weeks",
        "every month",
        "on demand",
        "",
    ]


def test_scores_map_onto_mermaid_journey_scale() -> None:
    assert [style.to_five(s) for s in (0, 19.9, 20, 50, 79.9, 80, 100)] == [1, 1, 2, 3, 4, 5, 5]


# -- privacy ---------------------------------------------------------------------------------


def test_a_score_below_the_threshold_never_shows(
    tmp_path: Path, run_cli: Callable[..., Result]
) -> None:
    root = make_project(tmp_path, PRIVATE)
    texts = [
        _run(run_cli, root, "journey", "j", "-f", "mermaid").out,
        _run(run_cli, root, "journey", "j", "-f", "mermaid", "--mermaid-kind", "journey").out,
        _run(run_cli, root, "journey", "j", "-f", "dot").out,
        _run(run_cli, root, "org", "-f", "dot").out,
        _run(run_cli, root, "org", "-f", "mermaid").out,
    ]
    if not NO_DOT:
        texts.append(_run(run_cli, root, "journey", "j", "-f", "svg").out)
        texts.append(_run(run_cli, root, "org", "-f", "svg").out)
    for text in texts:
        hidden_numbers_absent(text)
    assert "25 · poor" in texts[2]  # the public touchpoint is shown: (2-1)/4*100 = 25


# -- the command line --------------------------------------------------------------------------


def test_dot_missing_is_one_line_for_pictures_only(
    run_cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    png = tmp_path / "o.png"
    for args in (
        ["org"],
        ["org", "-f", "png", "-o", png],
        ["journey", "onboarding", "-f", "pdf", "-o", tmp_path / "j.pdf"],
    ):
        result = example(run_cli, *args)
        assert result.code == 2
        assert result.err.strip().splitlines()[-1] == (
            "tpm: error: Graphviz 'dot' is not installed: install it with 'sudo apt-get install "
            "graphviz' (Debian/Ubuntu) or see https://graphviz.org/download/"
        )
    assert not png.exists()
    # text formats need no Graphviz at all
    assert example(run_cli, "org", "-f", "dot").code == 0
    assert example(run_cli, "journey", "onboarding", "-f", "mermaid").code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["journey", "onbording"], "'onbording' is not a journey (did you mean 'onboarding'?)"),
        (["journey", "board"], "'board' is a unit, not a journey"),
        (["journey"], "name one journey ID, or give --all"),
        (["journey", "onboarding", "--all", "-o", "x"], "name one journey ID, or give --all"),
        (["journey", "--all"], "--all writes one file per journey"),
        (["org", "-f", "png"], "--format png is binary: write it to a file with --output"),
        (["org", "--silo", "servise"], "--silo 'servise' is not a silo (did you mean 'service'?)"),
        (["org", "--silo", "service-hotline"], "is a unit, not a silo"),
        (["journey", "onboarding", "--mermaid-kind", "journey"], "needs --format mermaid"),
        (["org", "--as-of", "2026-02-30"], "--as-of '2026-02-30' is not a real date: no such day"),
        (
            ["org", "-o", "o.xyz"],
            "cannot tell the format from 'o.xyz': use --format svg|png|pdf|dot|mermaid",
        ),
        (["org", "--format", "svg", "-o", "o.png"], "--format svg does not match 'o.png'"),
        (["journey", "onboarding", "-f", "dot", "-o", "j.mmd"], "--format dot does not match"),
    ],
)
@pytest.mark.parametrize("dot", ["with dot", "without dot"])
def test_usage_errors(
    args: list[str],
    message: str,
    dot: str,
    run_cli: Callable[..., Result],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """The same usage error whether Graphviz is installed or not (a PATH without `dot`): a
    wrong option is said before any tool is looked for."""
    if dot == "without dot":
        monkeypatch.setenv("PATH", str(tmp_path))
    elif shutil.which("dot") is None:
        pytest.skip("Graphviz 'dot' is not installed")
    result = run_cli(["-C", ROOT, "diagram", *args])
    assert result.code == 2
    assert result.err.startswith("tpm: error: ")
    assert message in result.err
    assert result.err.count("\n") == 1


def test_the_format_and_the_suffix_agree(tmp_path: Path, run_cli: Callable[..., Result]) -> None:
    """An unknown suffix without --format, or one that contradicts --format, writes nothing."""
    for args in (
        ["-o", tmp_path / "o.xyz"],
        ["-o", tmp_path / "o"],
        ["-f", "svg", "-o", tmp_path / "o.png"],
    ):
        result = example(run_cli, "org", *args)
        assert result.code == 2 and result.err.count("\n") == 1, result.err
    assert not list(tmp_path.iterdir())
    # an explicit --format takes any suffix tpm does not know; .GV is dot whatever its case
    assert example(run_cli, "org", "-f", "mermaid", "-o", tmp_path / "map.md").code == 0
    assert (tmp_path / "map.md").read_text(encoding="utf-8").startswith("---")
    assert example(run_cli, "org", "-o", tmp_path / "map.GV").code == 0
    assert (tmp_path / "map.GV").read_text(encoding="utf-8").startswith("digraph org")
    assert example(run_cli, "org", "-f", "dot", "-o", tmp_path / "map.gv").code == 0


def test_data_problems_go_to_stderr_and_the_map_is_drawn(
    tmp_path: Path, run_cli: Callable[..., Result]
) -> None:
    files = dict(PRIVATE)
    files["journeys/j.yaml"] = """\
        journeys:
          - id: j
            name: Journey
            steps:
              - {touchpoint: secret}
              - {touchpoint: no-such-touchpoint}
    """
    root = make_project(tmp_path, files)
    result = run_cli(["-C", root, "diagram", "journey", "j", "-f", "dot", "--as-of", AS_OF])
    assert result.code == 0
    assert "TPM005" in result.err and "no-such-touchpoint" in result.err
    assert "NO OWNER" in result.out


def test_all_writes_one_file_per_journey(tmp_path: Path, run_cli: Callable[..., Result]) -> None:
    out = tmp_path / "maps"
    result = example(run_cli, "journey", "--all", "-f", "mermaid", "-o", out)
    assert result.code == 0, result.err
    project = load(ROOT)
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{j}.mmd" for j in project.journeys)
    assert "wrote 7 journey maps" in result.err
    assert "wrote " + out.as_posix() + "/" not in result.err  # one line for the seven files


@pytest.mark.parametrize("kind", [["org"], ["journey", "onboarding"]])
def test_a_map_written_to_a_file_says_so(
    kind: list[str], tmp_path: Path, run_cli: Callable[..., Result]
) -> None:
    """Like `tpm report -o` and `tpm schema -o`: "wrote FILE" on stderr, nothing on stdout."""
    target = tmp_path / "maps" / "map.mmd"
    result = example(run_cli, *kind, "-o", target)
    assert result.code == 0, result.err
    assert result.out == ""
    assert result.err.splitlines() == [f"wrote {target.as_posix()}"]
    assert target.is_file()


def test_silo_focus_keeps_the_silo_and_top_management(run_cli: Callable[..., Result]) -> None:
    text = example(run_cli, "org", "--silo", "claims", "-f", "mermaid").out
    assert "unit_claims_field" in text and "unit_board" in text
    assert "unit_service_hotline" not in text and "unit_sales" not in text
    assert "silo Claims (Schadenregulierung) and top management" in text


def test_no_progress_bar_off_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    from tpm.diagram.render import progress

    with progress(3, "drawing journeys") as advance:
        for _ in range(3):
            advance()
    assert capsys.readouterr().err == ""


def test_org_map_edges_carry_numbers_keyed_by_name(run_cli: Callable[..., Result]) -> None:
    """Edge labels are short numbers (they cannot float away from their edge), the key says
    which touchpoint each number is, and the edge's tooltip has the full names."""
    out = example(run_cli, "org", "--format", "dot").out
    labels = re.findall(r"-> \S+ \[[^\n]*?\blabel=<(.*?)> ", out)
    assert labels
    for label in labels:
        assert re.fullmatch(r"[0-9, +]+", re.sub(r"<[^>]*>", "", label)), label
    key = dict(
        re.findall(
            r'<TD ALIGN="RIGHT"><FONT[^>]*><B>(\d+)</B></FONT></TD><TD[^>]*><FONT[^>]*>'
            r"([^<]*)</FONT>",
            out,
        )
    )
    project = load(ROOT)
    names = [tp.name for tp in project.touchpoints.values()]  # every one links two units
    assert [html.unescape(key[str(n)]) for n in range(1, len(names) + 1)] == [
        style.shorten(name, 44) for name in names
    ]
    # the budget letter (board -> finance) is drawn with its number, and named in full on hover
    number = next(n for n, name in key.items() if name.startswith("Quarterly budget"))
    edge = next(line for line in out.splitlines() if "u_board -> u_finance [label" in line)
    assert f"<B>{number}<BR" in edge
    assert 'tooltip="Quarterly budget guidelines' in edge
