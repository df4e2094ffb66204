"""The heatmap (docs/diagrams.md, "The heatmap"): each unit's own score per touchpoint, with a
cell hidden for privacy drawn differently from a cell without data, and saying which.

The fixture, counted by hand: touchpoint t1 is answered by 6 people of team-a, 5 of team-b and
2 of dept (13 people). dept's 2 are too few (n < 5). Showing team-a and team-b would leave
exactly those 2 people as the rest of t1's 13, so the engine also hides the smaller shown part,
team-b (protected). team-a's cell is shown: all six answered 4 on a 1-5 scale, 75. t2 is
answered by 6 people of team-a only (all 2: 25), so team-b's and dept's t2 cells have no data.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result, make_project

AS_OF = "2026-11-20"


def _rows() -> str:
    lines = ["touchpoint,dimension,score,date,unit,respondent"]
    people = [("team-a", 6, "a"), ("team-b", 5, "b"), ("dept", 2, "d")]
    for unit, count, tag in people:
        lines += [f"t1,clarity,4,2026-11-10,{unit},{tag}{i}" for i in range(count)]
    lines += [f"t2,clarity,2,2026-11-10,team-a,a{i}" for i in range(6)]
    return "\n".join(lines) + "\n"


FILES = {
    "tpm.yaml": """\
        organisation: Heat AG
        scoring:
          min_responses: 5
          dimensions: {clarity: {weight: 1, label: Clarity}}
        units:
          - {id: board, name: Board, level: 0}
          - {id: dept, name: Department}
          - {id: team-a, name: Team A, parent: dept}
          - {id: team-b, name: Team B, parent: dept}
    """,
    "touchpoints/t.yaml": """\
        touchpoints:
          - {id: t1, name: Town hall, from: board, to: [dept, team-a, team-b]}
          - {id: t2, name: Team retro, from: team-a, to: dept}
    """,
    "responses/r.csv": _rows(),
}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return make_project(tmp_path, FILES)


def test_json_says_which_cell_is_hidden_and_why(root: Path, run_cli: Callable[..., Result]) -> None:
    result = run_cli(["-C", root, "diagram", "heatmap", "-f", "json", "--as-of", AS_OF])
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    cells = {(c["unit"], c["column"]): c for c in doc["cells"]}
    assert cells[("team-a", "t1")]["score"] == pytest.approx(75.0)
    assert cells[("team-a", "t2")]["score"] == pytest.approx(25.0)
    assert cells[("dept", "t1")] == {
        "unit": "dept",
        "column": "t1",
        "score": None,
        "band": None,
        "hidden": "fewer than 5 people",
    }
    assert cells[("team-b", "t1")]["hidden"] == "hidden to protect a smaller group"
    assert ("team-b", "t2") not in cells and ("dept", "t2") not in cells  # no data
    assert [u["id"] for u in doc["units"]] == ["dept", "team-a", "team-b"]


def _cell(svg: str, unit: str, column: str) -> str:
    match = re.search(
        rf'<g class="heat (\w+)" data-unit="{unit}" data-column="{column}">(.*?)</g>', svg, re.S
    )
    assert match, (unit, column)
    return match.group(1) + " " + match.group(2)


def test_svg_and_html_draw_hidden_and_empty_apart(
    root: Path, run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    svg = run_cli(["-C", root, "diagram", "heatmap", "-f", "svg", "--as-of", AS_OF]).out
    report = tmp_path / "r.html"
    assert run_cli(["-C", root, "report", "-o", report, "--as-of", AS_OF]).code == 0
    html = report.read_text(encoding="utf-8")
    html = html[html.index('id="heatmap"') :]
    for picture in (svg, html):
        hidden = _cell(picture, "dept", "t1")
        protected = _cell(picture, "team-b", "t1")
        empty = _cell(picture, "team-b", "t2")
        shown = _cell(picture, "team-a", "t1")
        assert hidden.startswith("hidden ") and 'fill="url(#hm-hatch)"' in hidden
        assert ">n &lt; 5</text>" in hidden and "hidden: fewer than 5 people" in hidden
        assert protected.startswith("hidden ") and ">protected</text>" in protected
        assert "hidden to protect a smaller group" in protected
        assert empty.startswith("empty ") and "hm-hatch" not in empty and "no data" in empty
        assert shown.startswith("good ") and ">75</text>" in shown
    # the hidden people's answers (all 4: 75) appear nowhere but in the shown cell
    assert svg.count(">75</text>") == 1


def test_terminal_marks_hidden_and_empty_apart(root: Path, run_cli: Callable[..., Result]) -> None:
    result = run_cli(["-C", root, "diagram", "heatmap", "--as-of", AS_OF])
    assert result.code == 0, result.err
    rows = {line.split("│")[1].strip(): line for line in result.out.splitlines() if "│" in line}
    cells = {name: [c.strip() for c in line.split("│")[3:-1]] for name, line in rows.items()}
    assert cells["Department"] == ["n < 5", "·"]
    assert cells["Team A"] == ["75", "25"]
    assert cells["Team B"] == ["protected", "·"]
    assert "· no data" in result.out and "protected: hidden so that a smaller group" in result.out
