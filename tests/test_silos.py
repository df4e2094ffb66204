"""The silo matrix and the org overview (docs/diagrams.md, "The silo matrix", "The org overview").

The example organisation's matrix is checked against a count made by hand from its YAML files:
every touchpoint of touchpoints/*.yaml placed in the cells of its (initiating silo, audience
silo) pairs, with the silos of tpm.yaml (board: top management; each department and its teams
one silo). The bands are worked out here from the touchpoint scores of `tpm score touchpoints
--format json` (a different output, tested on its own) with the cell's hand-listed touchpoints.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT, Result, generate_org, make_project
from diagram_support import HOSTILE, PRIVATE, hidden_numbers_absent

AS_OF = "2026-11-20"
NO_DOT = shutil.which("dot") is None and os.environ.get("CI") != "true"
needs_dot = pytest.mark.skipif(NO_DOT, reason="Graphviz 'dot' is not installed")

TOP = "top-management"
# (from silo, to silo): the touchpoints in that cell, two-way ones marked with "*"
BY_HAND: dict[tuple[str, str], list[str]] = {
    (TOP, "service"): [
        "leaders-on-the-line*",
        "customer-impact-check",
        "you-said-we-did",
        "strategy-offsite*",
        "welcome-day*",
        "customer-hero",
    ],
    (TOP, "claims"): [
        "customer-impact-check",
        "you-said-we-did",
        "strategy-offsite*",
        "welcome-day*",
        "customer-hero",
    ],
    (TOP, "sales"): [
        "customer-impact-check",
        "you-said-we-did",
        "strategy-offsite*",
        "welcome-day*",
        "customer-hero",
    ],
    (TOP, "it"): ["customer-impact-check", "strategy-offsite*"],
    (TOP, "people"): ["strategy-offsite*"],
    (TOP, "finance"): ["budget-letter"],
    ("service", TOP): ["best-practice-slot*", "escalation-path*"],
    ("service", "service"): ["hotline-huddle*", "day-30-review*"],
    ("service", "claims"): [
        "customer-mentor*",
        "peer-kudos*",
        "claims-handover",
        "complaint-conference*",
    ],
    ("service", "sales"): ["customer-mentor*", "complaint-conference*"],
    ("service", "it"): ["customer-mentor*"],
    ("service", "people"): ["feedback-platform*"],
    ("claims", TOP): ["best-practice-slot*", "escalation-path*"],
    ("claims", "claims"): ["field-debrief*"],
    ("claims", "people"): ["feedback-platform*"],
    ("claims", "finance"): ["payment-release"],
    ("sales", TOP): ["best-practice-slot*", "escalation-path*"],
    ("sales", "service"): ["policy-handover"],
    ("sales", "sales"): ["branch-call*"],
    ("sales", "people"): ["feedback-platform*"],
    ("it", "service"): ["it-service-sla*"],
    ("people", TOP): ["pulse-results-review*"],
    ("people", "service"): ["preboarding", "welcome-day*", "empathy-training*"],
    ("people", "claims"): ["preboarding", "welcome-day*", "empathy-training*"],
    ("people", "sales"): ["preboarding", "welcome-day*", "empathy-training*"],
}
# broadcasts (to: all) by initiating silo: pulse-survey; all-hands, customer-award;
# compliments-newsletter; release-notes
BROADCASTS_BY_HAND = {TOP: 2, "it": 1, "people": 1, "marketing": 1}


def example(run_cli: Callable[..., Result], *args: str) -> Result:
    return run_cli(["-C", ROOT, *args, "--as-of", AS_OF])


def band(score: float | None) -> str | None:  # tpm.yaml: good from 70, poor below 50
    if score is None:
        return None
    return "good" if score >= 70 else ("poor" if score < 50 else "fair")


def test_the_example_matrix_matches_the_hand_count(run_cli: Callable[..., Result]) -> None:
    result = example(run_cli, "diagram", "silos", "--format", "json")
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    assert doc["version"] == 1
    assert doc["silos"] == [
        TOP,
        "service",
        "claims",
        "sales",
        "it",
        "people",
        "marketing",
        "finance",
    ]
    scores = json.loads(example(run_cli, "score", "touchpoints", "--format", "json").out)
    by_id = {t["id"]: t for t in scores["touchpoints"]}
    cells = {(c["from"], c["to"]): c for c in doc["cells"]}
    assert set(cells) == set(BY_HAND)  # no other cell has touchpoints: marketing is silent
    for key, members in BY_HAND.items():
        cell = cells[key]
        ids = [m.rstrip("*") for m in members]
        assert cell["touchpoints"] == len(members), key
        assert cell["two_way"] == sum(m.endswith("*") for m in members), key
        shown = [by_id[t] for t in ids if by_id[t]["score"] is not None]
        weight = sum(t["n"] for t in shown)
        mean = sum(t["score"] * t["n"] for t in shown) / weight if weight else None
        assert cell["scored"] == len(shown), key
        assert cell["band"] == band(mean), key
        assert cell["score"] == pytest.approx(mean) if mean is not None else cell["score"] is None
    assert {b["from"]: b["touchpoints"] for b in doc["broadcasts"]} == BROADCASTS_BY_HAND


def test_the_terminal_matrix_names_the_silent_silos(run_cli: Callable[..., Result]) -> None:
    result = example(run_cli, "score", "silos")
    assert result.code == 0, result.err
    assert "No other silo talks to: Marketing & Brand" in result.out
    assert "Talks to no other silo: Marketing & Brand, Finance & Controlling" in result.out
    # the row of top management: 6 to customer service, 3 of them two-way, fair or good
    top_row = next(line for line in result.out.splitlines() if "1 Top management" in line)
    assert re.search(r"6 ⇄3", top_row)
    csv = example(run_cli, "score", "silos", "--format", "csv").out.splitlines()
    assert csv[0] == "from,to,touchpoints,two_way,scored,score,band"
    assert len(csv) == 1 + len(BY_HAND)
    assert csv[1].startswith("top-management,service,6,3,")


def test_the_matrix_svg_marks_the_silent_silo_and_escapes_names(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    result = example(run_cli, "diagram", "silos")
    assert result.code == 0, result.err
    svg = result.out
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert re.search(r'fill="#cf222e"[^>]*>⚠ Marketing &amp; Brand</text>', svg)
    assert len(re.findall(r'<g class="cell"', svg)) == len(BY_HAND)
    root = make_project(tmp_path, HOSTILE)
    hostile = run_cli(["-C", root, "diagram", "silos", "--as-of", AS_OF])
    assert hostile.code == 0, hostile.err
    assert "<script" not in hostile.out and "&lt;script&gt;" in hostile.out


def test_a_hidden_score_never_feeds_a_cell(run_cli: Callable[..., Result], tmp_path: Path) -> None:
    root = make_project(tmp_path, PRIVATE)
    for args in (
        ["diagram", "silos"],
        ["score", "silos"],
        ["diagram", "org", "--by", "silo", "-f", "mermaid"],
    ):
        result = run_cli(["-C", root, *args, "--as-of", AS_OF])
        assert result.code == 0, result.err
        hidden_numbers_absent(result.out)
    doc = json.loads(run_cli(["-C", root, "diagram", "silos", "-f", "json", "--as-of", AS_OF]).out)
    inner = next(c for c in doc["cells"] if c["from"] == c["to"] == "dept")
    assert inner["scored"] == 0 and inner["score"] is None and inner["band"] is None


def test_usage_errors(run_cli: Callable[..., Result]) -> None:
    result = example(run_cli, "diagram", "silos", "--output", "m.png")
    assert result.code == 2 and "cannot tell the format" in result.err
    result = example(run_cli, "diagram", "org", "--by", "silo", "--silo", "it")
    assert result.code == 2 and "--by silo draws every silo" in result.err


# the goldens (overview.dot, overview.mmd, silos.svg) are in test_diagram.py's GOLDENS


@needs_dot
def test_the_overview_of_a_generated_organisation_is_laid_out(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    root = generate_org(tmp_path / "org", 200, 1600, 4)
    result = run_cli(["-C", root, "diagram", "org", "--by", "silo", "--as-of", AS_OF])
    assert result.code == 0, result.err
    assert result.out.lstrip().startswith("<?xml")
    # 20 silos and top management: one box each, and the note on the links left out
    assert len(re.findall(r'<g id="node\d+" class="node">\s*<title>s_', result.out)) == 21
    assert "the silo matrix has every one" in result.out
