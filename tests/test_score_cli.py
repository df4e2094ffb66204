"""`tpm score` through the command line (docs/scoring.md): views, formats, --explain, errors.

The project below is scored as of AS_OF; its numbers are worked out here once:

- huddle (responses, 6 respondents r1..r6 on 2026-11-10):
  clarity (4+4+4+4+3+3)/6 = 22/6 = 3.6667 -> (22/6-1)/4*100 = 66.667 (weight 2)
  dialogue (5+4+4+4+4+4)/6 = 25/6 = 4.1667 -> 79.167 (weight 1)
  appreciation: 3 answers < 5, left out
  score (2*66.667 + 79.167)/3 = 212.5/3 = 70.833 -> good
- review (inline rating of 2026-11-01, n 9): clarity 3.5 -> 62.5, dialogue 2.5 -> 37.5;
  (2*62.5 + 37.5)/3 = 162.5/3 = 54.167 -> fair
- tiny (responses, 4 respondents): hidden, n < 5
- news (a broadcast from the board): unrated
- journey j: huddle, review (critical), tiny: (70.833 + 2*54.167)/3 = 537.5/9 = 59.722;
  coverage 2/3; weakest review
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import Result, make_project

AS_OF = "2026-11-20"

CONFIG = """\
organisation: CLI AG
units:
  - {id: board, name: Board, level: 0}
  - {id: sales, name: Sales}
  - {id: service, name: Service}
  - {id: it, name: IT}
people:
  - {id: anna, name: Anna, unit: board}
scoring:
  dimensions:
    clarity: {weight: 2, label: Clarity}
    dialogue: {weight: 1, label: Two-way dialogue}
    appreciation: {weight: 1}
"""

TOUCHPOINTS = """\
touchpoints:
  - {id: huddle, name: Huddle, from: sales, to: service, direction: two-way, cadence: weekly}
  - id: review
    name: Review
    from: service
    to: board
    ratings:
      - {date: 2026-11-01, n: 9, scores: {clarity: 3.5, dialogue: 2.5}}
  - {id: tiny, name: Tiny, from: it, to: service}
  - {id: news, name: News, from: board, to: all}
"""

JOURNEYS = """\
journeys:
  - id: j
    name: Journey J
    owner: anna
    steps:
      - touchpoint: huddle
      - touchpoint: review
        critical: true
      - touchpoint: tiny
"""


def _rows(tp: str, dim: str, values: list[int], prefix: str, unit: str = "service") -> str:
    return "".join(
        f"{tp},{dim},{v},2026-11-10,{unit},{prefix}{i}\n" for i, v in enumerate(values, 1)
    )


RESPONSES = (
    "touchpoint,dimension,score,date,unit,respondent\n"
    + _rows("huddle", "clarity", [4, 4, 4, 4, 3, 3], "r")
    + _rows("huddle", "dialogue", [5, 4, 4, 4, 4, 4], "r")
    + _rows("huddle", "appreciation", [1, 1, 1], "r")
    + _rows("tiny", "clarity", [2, 2, 2, 2], "t")
    + _rows("", "enps", [10, 9, 9, 7, 0, 6], "r")
)

HUDDLE = 212.5 / 3
REVIEW = 162.5 / 3
JOURNEY = (HUDDLE + 2 * REVIEW) / 3

Run = Callable[..., Result]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(
        tmp_path,
        {
            "tpm.yaml": CONFIG,
            "touchpoints/t.yaml": TOUCHPOINTS,
            "journeys/j.yaml": JOURNEYS,
            "responses/pulse.csv": RESPONSES,
        },
    )


def score(run_cli: Run, project: Path, *args: str) -> Result:
    """`tpm -C PROJECT score ARGS --as-of AS_OF` from an unrelated directory."""
    return run_cli(["-C", project, "score", *args, "--as-of", AS_OF])


def json_of(run_cli: Run, project: Path, *args: str) -> Any:
    result = score(run_cli, project, *args, "--format", "json")
    assert (result.code, result.err) == (0, "")
    return json.loads(result.out)


# -- views and formats ---------------------------------------------------------------------

VIEWS = [None, "touchpoints", "journeys", "units", "org"]
SECTIONS = {
    "touchpoints": ["touchpoints"],
    "journeys": ["journeys"],
    "units": ["units", "silos"],  # silos' own scores joined the units view (docs/privacy.md)
    "org": ["enps", "index"],
}
TITLES = {
    "touchpoints": ["Touchpoints"],
    "journeys": ["Journeys"],
    "units": ["Units"],
    "org": ["TPM index", "eNPS"],
}
CSV_HEADERS = {
    "touchpoints": [
        "id",
        "name",
        "score",
        "band",
        "n",
        "newest",
        "source",
        "clarity",
        "dialogue",
        "appreciation",
    ],
    "journeys": ["id", "name", "score", "band", "coverage", "weakest"],
    "units": ["id", "name", "score", "band", "n", "own_score", "own_n"],
    "org": ["metric", "scope", "value", "n"],
}


@pytest.mark.parametrize("view", VIEWS)
def test_every_view_as_a_table(run_cli: Run, project: Path, view: str | None) -> None:
    result = score(run_cli, project, *([view] if view else []))
    assert (result.code, result.err) == (0, "")
    assert "CLI AG: scores as of 2026-11-20" in result.out
    for name, titles in TITLES.items():
        for title in titles:
            assert (title in result.out) == (view in (None, name)), (view, title)


@pytest.mark.parametrize("view", VIEWS)
def test_every_view_as_json(run_cli: Run, project: Path, view: str | None) -> None:
    doc = json_of(run_cli, project, *([view] if view else []))
    expected = ["version", "as_of"]
    for name, sections in SECTIONS.items():
        if view in (None, name):
            expected += sections
    assert sorted(doc) == sorted(expected)
    assert (doc["version"], doc["as_of"]) == (1, AS_OF)


@pytest.mark.parametrize("view", VIEWS)
def test_every_view_as_csv(run_cli: Run, project: Path, view: str | None) -> None:
    result = score(run_cli, project, *([view] if view else []), "--format", "csv")
    assert (result.code, result.err) == (0, "")
    table = list(csv.reader(io.StringIO(result.out)))
    assert table[0] == CSV_HEADERS[view or "touchpoints"]  # csv without a view: touchpoints
    assert all(len(row) == len(table[0]) for row in table)
    if view in (None, "touchpoints"):
        assert [row[0] for row in table[1:]] == ["huddle", "review", "tiny", "news"]


def test_the_json_has_exactly_the_keys_of_spec_6(run_cli: Run, project: Path) -> None:
    doc = json_of(run_cli, project)
    # the wave, the silos and the reasons a value is hidden joined the json (docs/scoring.md,
    # docs/privacy.md: rules 2 and 3)
    assert list(doc) == [
        "version",
        "as_of",
        "touchpoints",
        "journeys",
        "units",
        "silos",
        "enps",
        "index",
    ]
    for t in doc["touchpoints"]:
        assert set(t) == {
            "id",
            "name",
            "score",
            "band",
            "n",
            "dimensions",
            "newest",
            "source",
            "wave",
            "hidden",
        }
        assert set(t["dimensions"]) == {"clarity", "dialogue", "appreciation"}
        assert t["source"] in ("responses", "waves", "ratings", "none")
    for j in doc["journeys"]:
        assert set(j) == {"id", "name", "score", "band", "coverage", "weakest"}
    for u in doc["units"]:
        assert set(u) == {"id", "name", "score", "band", "n", "own_score", "own_n", "own_hidden"}
    for s in doc["silos"]:
        assert set(s) == {"id", "name", "own_score", "band", "own_n", "own_hidden"}
    assert set(doc["enps"]) == {"organisation", "silos", "units", "wave"}
    enps = {"value", "n", "promoters", "detractors", "hidden"}
    assert set(doc["enps"]["organisation"]) == enps
    for e in [*doc["enps"]["units"].values(), *doc["enps"]["silos"].values()]:
        assert set(e) == enps
    assert set(doc["index"]) == {"value", "components", "partial", "missing"}
    assert set(doc["index"]["components"]) == {
        "quality",
        "ownership",
        "dialogue",
        "freshness",
        "connectedness",
    }


def test_the_json_values(run_cli: Run, project: Path) -> None:
    doc = json_of(run_cli, project)
    tps = {t["id"]: t for t in doc["touchpoints"]}
    huddle = tps["huddle"]
    assert huddle["score"] == pytest.approx(HUDDLE, abs=1e-9)
    assert (huddle["band"], huddle["n"], huddle["newest"], huddle["source"]) == (
        "good",
        6,
        "2026-11-10",
        "responses",
    )
    assert huddle["dimensions"] == {
        "clarity": pytest.approx((22 / 6 - 1) / 4 * 100, abs=1e-9),
        "dialogue": pytest.approx((25 / 6 - 1) / 4 * 100, abs=1e-9),
        "appreciation": None,
    }
    review = tps["review"]
    assert review["score"] == pytest.approx(REVIEW, abs=1e-9)
    assert (review["band"], review["n"], review["newest"], review["source"]) == (
        "fair",
        9,
        "2026-11-01",
        "ratings",
    )
    # hidden: null, and so is its n, with the reason (docs/privacy.md, rule 2)
    assert tps["tiny"] == {
        "id": "tiny",
        "name": "Tiny",
        "score": None,
        "band": None,
        "n": None,
        "dimensions": {"clarity": None, "dialogue": None, "appreciation": None},
        "newest": "2026-11-10",
        "source": "responses",
        "wave": {"id": "2026-11-10", "first": "2026-11-10", "last": "2026-11-10"},
        "hidden": "fewer than 5 people",
    }
    assert (tps["news"]["score"], tps["news"]["n"], tps["news"]["source"]) == (None, 0, "none")
    journey = doc["journeys"][0]
    assert journey["score"] == pytest.approx(JOURNEY, abs=1e-9)
    assert (journey["band"], journey["weakest"]) == ("fair", "review")
    assert journey["coverage"] == pytest.approx(2 / 3, abs=1e-12)
    units = {u["id"]: u for u in doc["units"]}
    # service receives huddle (70.833, n 6), tiny (hidden) and news (unrated): 70.833, n 6;
    # its own respondents (r1..r6 and t1..t4) answered huddle and tiny; tiny's 4 are a cell
    # hidden on its own, which feeds no pooled number (docs/privacy.md, rule 4): own n 6
    assert units["service"]["score"] == pytest.approx(HUDDLE, abs=1e-9)
    assert units["service"]["n"] == 6
    assert units["service"]["own_n"] == 6
    # eNPS: 10, 9, 9 promoters (3/6 = 50 %), 0, 6 detractors (2/6 = 33.3 %): +16.67
    organisation = doc["enps"]["organisation"]
    assert organisation["n"] == 6
    assert organisation["value"] == pytest.approx(100 / 6, abs=1e-9)
    assert organisation["detractors"] == pytest.approx(200 / 6, abs=1e-9)


def test_json_numbers_are_not_rounded(run_cli: Run, project: Path) -> None:
    result = score(run_cli, project, "--format", "json")
    # 212.5/3 written in full, not 70.8 or 70.83
    assert f'"score": {json.dumps(HUDDLE)}' in result.out
    assert len(json.dumps(HUDDLE)) > 10


def test_csv_values(run_cli: Run, project: Path) -> None:
    """Reading: csv goes to spreadsheets, so 0-100 values have two decimals (212.5/3 is
    70.83, not 70.83333333333333) and fractions four; only the json keeps every digit
    (docs/scoring.md); a hidden value is an empty cell, and so is its n (docs/privacy.md,
    rule 2)."""
    result = score(run_cli, project, "--format", "csv")
    table = {row["id"]: row for row in csv.DictReader(io.StringIO(result.out))}
    assert table["huddle"]["score"] == "70.83"
    assert table["huddle"]["clarity"] == "66.67"  # (22/6 - 1) / 4 * 100 = 66.666…
    assert table["huddle"]["appreciation"] == ""
    assert (table["tiny"]["score"], table["tiny"]["band"], table["tiny"]["n"]) == ("", "", "")
    journeys = score(run_cli, project, "journeys", "--format", "csv")
    row = next(csv.DictReader(io.StringIO(journeys.out)))
    assert row["score"] == "59.72"  # 537.5/9 = 59.7222…
    assert row["coverage"] == "0.6667"  # 2/3


def test_the_table_shows_n_beside_each_score(run_cli: Run, project: Path) -> None:
    out = score(run_cli, project, "touchpoints").out
    huddle = next(line for line in out.splitlines() if " huddle " in line)
    assert re.search(r"\b70\.8\b.*\b6\b.*good", huddle)
    tiny = next(line for line in out.splitlines() if " tiny " in line)
    assert re.search(r"n < 5\s*│\s*│", tiny)  # and no n below k (docs/privacy.md, rule 2)


def test_the_enps_table_shows_whole_signed_numbers(
    run_cli: Run, project: Path, tmp_path: Path
) -> None:
    # 10, 9, 9 promoters (50 %), 0, 6 detractors (33.3 %): +16.67 shows as +17
    out = score(run_cli, project, "org").out
    assert re.search(r"organisation\s*│\s*\+17\s*│\s*6\s*│\s*50%\s*│\s*33%", out), out
    # promoters and detractors balance: 0, not +0 or -0
    answers = "".join(f",enps,{v},2026-11-10,\n" for v in (9, 10, 6, 0, 7, 8))
    (project / "responses" / "pulse.csv").write_text(
        "touchpoint,dimension,score,date,unit\n" + answers, encoding="utf-8"
    )
    out = score(run_cli, project, "org").out
    assert re.search(r"organisation\s*│\s*0\s*│\s*6\s*│\s*33%\s*│\s*33%", out), out


def test_output_option_writes_the_file(run_cli: Run, project: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "scores.json"
    target.parent.mkdir()
    result = score(run_cli, project, "--format", "json", "--output", target)
    assert (result.code, result.out) == (0, "")
    assert json.loads(target.read_text(encoding="utf-8"))["as_of"] == AS_OF


# -- --explain -----------------------------------------------------------------------------

DIMENSION_LINE = re.compile(
    r"^\s+(?P<dim>[a-z_]+)\s+(?P<n>\d+)\s+(?P<mean>\d+\.\d+)\s+(?P<score>\d+\.\d+)\s+"
    r"(?P<weight>\d+(?:\.\d+)?)\s*$"
)


def recompute(out: str) -> float:
    """Redo a touchpoint's score from what --explain printed, as a reader would by hand."""
    scale = re.search(r"\(mean − (\S+)\) / \((\S+) − \S+\) × 100", out)
    assert scale, out
    low, high = float(scale.group(1)), float(scale.group(2))
    total = weights = 0.0
    used = 0
    for line in out.splitlines():
        m = DIMENSION_LINE.match(line)
        if m:
            mean, weight = float(m["mean"]), float(m["weight"])
            total += (mean - low) / (high - low) * 100 * weight
            weights += weight
            used += 1
    assert used, out
    return total / weights


@pytest.mark.parametrize(("ident", "expected"), [("huddle", HUDDLE), ("review", REVIEW)])
def test_explain_lets_a_reader_recompute_the_score(
    run_cli: Run, project: Path, ident: str, expected: float
) -> None:
    result = score(run_cli, project, "--explain", ident)
    assert (result.code, result.err) == (0, "")
    out = result.out
    # the means are printed to 3 decimals: 0.0005 on a mean is 0.0125 on a score
    assert recompute(out) == pytest.approx(expected, abs=0.02)
    printed = re.search(r"^score = .* = (\d+\.\d)", out, re.MULTILINE)
    assert printed and float(printed.group(1)) == round(expected, 1)


def test_explain_names_the_source_and_leaves_out_thin_dimensions(
    run_cli: Run, project: Path
) -> None:
    out = score(run_cli, project, "--explain", "huddle").out
    assert "responses/pulse.csv" in out
    # the wave and its dates (docs/scoring.md); no n below k (docs/privacy.md, rule 2)
    assert "wave 2026-11-10 (answers dated 2026-11-10)" in out
    assert re.search(r"appreciation\s+n < 5.*left out", out)
    assert "a dimension needs at least 5 respondents" in out
    assert "r1" not in out  # never respondent ids
    assert (
        "the inline rating of 2026-11-01 (n = 9)"
        in score(run_cli, project, "--explain", "review").out
    )


def test_explain_a_journey(run_cli: Run, project: Path) -> None:
    result = score(run_cli, project, "--explain", "j")
    assert (result.code, result.err) == (0, "")
    steps = re.findall(r"step \d: (\S+)\s+(\d+\.\d) × (\d)", result.out)
    assert [s[0] for s in steps] == ["huddle", "review"]
    total = sum(float(s) * int(w) for _, s, w in steps)
    weight = sum(int(w) for _, _, w in steps)
    assert total / weight == pytest.approx(JOURNEY, abs=0.05)
    assert re.search(r"tiny\s+not scored: hidden: n < 5$", result.out, re.M)
    assert "coverage = 67%" in result.out


def test_explain_an_unknown_id_is_a_usage_error(run_cli: Run, project: Path) -> None:
    result = score(run_cli, project, "--explain", "nosuch")
    assert result.code == 2
    assert result.out == ""
    assert result.err.count("\n") == 1
    assert result.err.startswith("tpm: error: ") and "nosuch" in result.err
    near = score(run_cli, project, "--explain", "hudle")  # the touchpoint 'huddle'
    assert near.err == (
        "tpm: error: --explain 'hudle' names no touchpoint or journey (did you mean 'huddle'?)\n"
    )
    unit = score(run_cli, project, "--explain", "sales")
    assert (
        unit.err
        == "tpm: error: --explain 'sales' is a unit: it explains a touchpoint or a journey\n"
    )


@pytest.mark.parametrize(
    # 20261120 and 2026-W47-1 are ISO 8601 that Python 3.11's fromisoformat accepts; tpm reads
    # YYYY-MM-DD only, in every file and option (tpm.dates)
    "day",
    ["2026-13-01", "yesterday", "2026-02-30", "", "20261120", "2026-W47-1", "2026-11-20T10:00"],
)
def test_a_bad_as_of_is_a_usage_error(run_cli: Run, project: Path, day: str) -> None:
    result = run_cli(["-C", project, "score", "--as-of", day])
    assert result.code == 2
    assert result.out == ""
    assert result.err.count("\n") == 1
    assert result.err.startswith("tpm: error: ") and "--as-of" in result.err
    assert "Traceback" not in result.err
    # a well-formed day that does not exist is no such day, not a format problem
    real_shape = re.fullmatch(r"\d{4}-\d{2}-\d{2}", day) is not None
    assert ("no such day" in result.err) == real_shape
    assert ("write YYYY-MM-DD" in result.err) == (not real_shape)


# -- response files ------------------------------------------------------------------------


def test_a_bad_response_row_is_a_finding_and_the_command_goes_on(
    run_cli: Run, project: Path
) -> None:
    with (project / "responses" / "pulse.csv").open("a", encoding="utf-8") as f:
        f.write("hudle,clarity,4,2026-11-10,service,r9\n")  # line 27
        f.write("huddle,clarity,9,2026-11-10,service,r9\n")  # line 28: off the scale
    result = score(run_cli, project, "--format", "json")
    assert result.code == 0
    lines = result.err.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("responses/pulse.csv:27:1: error TPM005")
    assert "'hudle'" in lines[0] and "did you mean 'huddle'" in lines[0]
    assert lines[1].startswith("responses/pulse.csv:28:1: error TPM002")
    # the other rows still count: huddle is unchanged
    doc = json.loads(result.out)
    assert doc["touchpoints"][0]["score"] == pytest.approx(HUDDLE, abs=1e-9)


def test_responses_option_adds_a_file_outside_the_project(
    run_cli: Run, project: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere" / "wave.csv"
    outside.parent.mkdir()
    outside.write_text(
        "touchpoint,dimension,score,date\n"
        + "".join("news,clarity,5,2026-11-12\n" for _ in range(5)),
        encoding="utf-8",
    )
    before = {t["id"]: t for t in json_of(run_cli, project)["touchpoints"]}
    assert before["news"]["source"] == "none"
    doc = json_of(run_cli, project, "--responses", outside)
    news = {t["id"]: t for t in doc["touchpoints"]}["news"]
    # five anonymous answers of 5: n 5, clarity 100.0
    assert (news["score"], news["n"], news["source"]) == (100.0, 5, "responses")
    # the project's own files still count
    assert {t["id"]: t for t in doc["touchpoints"]}["huddle"]["n"] == 6
    explain = score(run_cli, project, "--responses", outside, "--explain", "news").out
    assert "wave.csv" in explain


def test_responses_takes_several_files_after_one_option(
    run_cli: Run, project: Path, tmp_path: Path
) -> None:
    """`--responses FILE…`: the .csv files after the option are all read (as if the
    option were repeated), and a view may still follow them."""
    waves = []
    for name, count in (("a.csv", 3), ("b.csv", 2)):
        wave = tmp_path / name
        wave.write_text(
            "touchpoint,dimension,score,date\n"
            + "".join("news,clarity,5,2026-11-12\n" for _ in range(count)),
            encoding="utf-8",
        )
        waves.append(str(wave))
    doc = json_of(run_cli, project, "touchpoints", "--responses", *waves)
    news = {t["id"]: t for t in doc["touchpoints"]}["news"]
    # 3 + 2 anonymous answers of 5: n 5, clarity 100.0
    assert (news["score"], news["n"]) == (100.0, 5)
    doc = json_of(run_cli, project, "--responses", *waves, "touchpoints")
    assert {t["id"]: t for t in doc["touchpoints"]}["news"]["n"] == 5


def test_a_missing_responses_file_is_a_usage_error(
    run_cli: Run, project: Path, tmp_path: Path
) -> None:
    """A file named on the command line that does not exist is the user's typo: exit 2 with
    one line naming it, before any work is done."""
    result = score(run_cli, project, "--responses", tmp_path / "nosuch.csv", "--format", "json")
    assert result.code == 2
    assert result.out == ""
    assert result.err.strip().splitlines() == [
        f"tpm: error: --responses {tmp_path / 'nosuch.csv'}: the file does not exist"
    ]


def test_without_a_project_is_a_usage_error(run_cli: Run, tmp_path: Path) -> None:
    result = run_cli(["-C", tmp_path / "nothing", "score", "--as-of", AS_OF])
    assert result.code == 2
    assert result.err.count("\n") == 1


# -- an unmeasured organisation: the index is partial ----------------------------------------


def test_an_unmeasured_index_is_partial_in_every_output(run_cli: Run, tmp_path: Path) -> None:
    """No ratings and no responses: quality and freshness have no data, so the index is the
    mean of ownership, dialogue and connectedness only. Those are 100 in the starter project
    (both journeys owned, every unit below the board reaches it in 3 hops, no island), which
    must not show as a plain, green 100."""
    root = tmp_path / "new-org"
    assert run_cli(["init", root]).code == 0
    args = ["-C", root, "score", "org", "--as-of", AS_OF]
    table = run_cli(args)
    assert table.code == 0, table.err
    row = next(line for line in table.out.splitlines() if "│ TPM index" in line)
    assert "100.0 partial" in row
    assert "partial: 3 of 5 components; no measurement yet" in table.out
    doc = json.loads(run_cli([*args, "--format", "json"]).out)["index"]
    assert doc["partial"] is True
    assert doc["missing"] == ["quality", "freshness"]
    assert doc["components"]["quality"] is None and doc["components"]["freshness"] is None
    rows = list(csv.reader(io.StringIO(run_cli([*args, "--format", "csv"]).out)))
    assert ["tpm_index_missing", "organisation", "quality freshness", ""] in rows
    report = tmp_path / "report.html"
    assert run_cli(["-C", root, "report", "-o", report, "--as-of", AS_OF]).code == 0
    html = report.read_text(encoding="utf-8")
    total = html[html.index('<div class="total">') :][:600]
    assert '<div class="value muted">100</div>' in total  # greyed, not "value good"
    assert "partial: 3 of 5 components; no measurement yet" in total


def test_a_measured_index_is_not_partial(run_cli: Run, project: Path) -> None:
    doc = json_of(run_cli, project)["index"]
    assert (doc["partial"], doc["missing"]) == (False, [])
    table = run_cli(["-C", project, "score", "org", "--as-of", AS_OF]).out
    assert "partial" not in table


# -- tables at the width of the terminal -----------------------------------------------------


def _tpm_at(width: int, *args: str, cwd: Path) -> str:
    """`tpm ARGS` in a real process on a terminal `width` columns wide (COLUMNS)."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "TPM_DEBUG"}
    env["COLUMNS"] = str(width)
    done = subprocess.run(
        [sys.executable, "-m", "tpm", *args], cwd=cwd, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("width", [80, 60])
def test_tables_never_cut_a_score_n_band_or_id(width: int) -> None:
    """The example organisation at 80 and 60 columns: no line is wider than the terminal,
    nothing is cut with '…', and each touchpoint's row holds its whole id, score, n and band
    (taken from the json, rounded here to one decimal); at 80 its newest date too."""
    from conftest import ROOT

    text = _tpm_at(width, "score", "--as-of", AS_OF, cwd=ROOT)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= width
    assert "…" not in text
    doc = json.loads(_tpm_at(200, "score", "--as-of", AS_OF, "--format", "json", cwd=ROOT))
    section = text[: text.index("\nJourneys")]
    for t in doc["touchpoints"]:
        row = next(line for line in lines if line.startswith(f"│ {t['id']} "))
        assert row in section
        cells = [cell.strip() for cell in row.strip("│").split("│")]
        if t["score"] is not None:
            assert f"{t['score']:.1f}" in cells, (row, t["score"])
        if t["n"] is not None and t["source"] != "none":  # a hidden n shows as nothing
            assert str(t["n"]) in cells
        assert (t["band"] or "—") in cells or t["score"] is None
        if width == 80 and t["newest"]:
            assert t["newest"] in cells
    for u in doc["units"]:
        row = next(line for line in lines if line.startswith(f"│ {u['id']} "))
        if u["score"] is not None:
            assert f"{u['score']:.1f}" in row
    if width == 60:  # what did not fit is named, not silently dropped
        assert "not shown at this width: name, newest, source" in " ".join(lines)
