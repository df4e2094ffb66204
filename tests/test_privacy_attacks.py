"""The six attacks of docs/privacy.md, each run against the real CLI.

A reader sees every output tpm can make from the same data: every view and format of
`tpm score`, `--explain` of every id, `tpm show` of every id, `tpm audit` in every format, the
diagrams and the report (and, for the as-of attack, all of them on several days). Each test
builds a small project whose hidden value an attacker would get by one subtraction, collects
every output, and proves that an operand of the subtraction appears nowhere (in any rounding),
so the hidden value cannot be computed. The expected numbers are worked out by hand below.

The organisation: board (level 0), `big` (a silo of one unit, five people r1..r5) and `solo`
(a silo of one unit, one person r6); k = min_responses = 5; one dimension, clarity (1-5).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
from conftest import Result, make_project

Run = Callable[..., Result]
K = 5

CONFIG = """\
organisation: Attack AG
units:
  - {id: board, name: Board, level: 0}
  - {id: big, name: Big team}
  - {id: solo, name: Solo team}
people:
  - {id: anna, name: Anna, unit: board}
scoring:
  min_responses: 5
  dimensions:
    clarity: {weight: 1}
"""

TOUCHPOINTS = """\
touchpoints:
  - {id: townhall, name: Townhall, from: board, to: [big, solo], owner: anna, cadence: monthly}
  - {id: skip-level, name: Skip level, from: board, to: big, owner: anna, cadence: monthly}
RATINGS
"""

JOURNEYS = """\
journeys:
  - id: onboarding
    name: Onboarding
    owner: anna
    steps:
      - touchpoint: townhall
      - touchpoint: skip-level
"""

HEADER = "touchpoint,dimension,score,date,unit,respondent\n"
SVG_GEOMETRY = re.compile(
    r"\s(?:x|y|cx|cy|rx|ry|r|x1|x2|y1|y2|dx|dy|width|height|points|d|transform|viewBox|"
    r'font-size|stroke-width|stroke-dasharray|stroke-miterlimit)="[^"]*"'
)
IDS = ("townhall", "skip-level", "onboarding", "big", "solo", "board")


def project(tmp_path: Path, responses: str, ratings: str = "") -> Path:
    return make_project(
        tmp_path,
        {
            "tpm.yaml": CONFIG,
            "touchpoints/t.yaml": TOUCHPOINTS.replace("RATINGS", ratings),
            "journeys/j.yaml": JOURNEYS,
            "responses/pulse.csv": HEADER + responses,
        },
    )


def rows(tp: str, scores: Iterable[float], who: Iterable[str], unit: str, day: str) -> str:
    dim = "enps" if tp == "" else "clarity"
    return "".join(f"{tp},{dim},{s:g},{day},{unit},{r}\n" for s, r in zip(scores, who, strict=True))


BIG = [f"r{i}" for i in range(1, 6)]


def every_output(run_cli: Run, root: Path, as_of: str) -> dict[str, str]:
    """label -> all a command printed or wrote, for every view, format and id."""
    out_dir = root.parent / "out"
    out_dir.mkdir(exist_ok=True)
    runs: list[tuple[str, list[str], Path | None]] = []
    for view in ("", "touchpoints", "journeys", "units", "org"):
        for fmt in ("table", "json", "csv"):
            args = ["score", *([view] if view else []), "--format", fmt, "--as-of", as_of]
            runs.append((f"score {view or 'all'} {fmt}", args, None))
    for ident in IDS:
        if ident in ("townhall", "skip-level", "onboarding"):
            args = ["score", "--explain", ident, "--as-of", as_of]
            runs.append((f"explain {ident}", args, None))
        for fmt in ("text", "json"):
            args = ["show", ident, "--format", fmt, "--as-of", as_of]
            runs.append((f"show {ident} {fmt}", args, None))
    for fmt in ("text", "json", "sarif", "github", "gitlab", "junit", "markdown"):
        args = ["audit", "--format", fmt, "--as-of", as_of, "--fail-on", "never"]
        runs.append((f"audit {fmt}", args, None))
    runs.append(("validate", ["validate"], None))
    for kind in (["journey", "onboarding"], ["org"]):
        for fmt in ("dot", "mermaid"):
            target = out_dir / f"diagram-{kind[0]}.{fmt}"
            args = ["diagram", *kind, "--format", fmt, "--as-of", as_of, "--output", str(target)]
            runs.append((f"diagram {kind[0]} {fmt}", args, target))
    target = out_dir / "report.html"
    runs.append(("report", ["report", "--output", str(target), "--as-of", as_of], target))
    texts: dict[str, str] = {}
    for label, args, target in runs:
        result = run_cli(["-C", root, *args])
        assert result.code in (0, 1), (label, result.out, result.err)
        assert "Traceback" not in result.err, label
        text = result.out + "\n" + result.err
        if target is not None:
            assert target.is_file(), label
            text += "\n" + target.read_text(encoding="utf-8")
            target.unlink()
        if label == "report":
            text = html.unescape(SVG_GEOMETRY.sub("", text))
        texts[f"{label} @{as_of}"] = text
    return texts


def forms(value: float) -> list[str]:
    """How a number may be printed: in full, to 3, 2, 1 and (from 10 on) 0 decimals, signed."""
    texts = {repr(value), f"{value:.3f}", f"{value:.2f}", f"{value:.1f}"}
    if abs(value) >= 10:  # a 0-100 score; a mean on the 1-5 scale is never printed whole
        texts.add(f"{value:.0f}")
    texts |= {f"+{t}" for t in texts if not t.startswith("-")}
    return sorted(texts)


def found(texts: dict[str, str], values: Iterable[float]) -> list[str]:
    """Where a printed form of `values` stands on its own (not inside a longer number) more
    often than in the same output of the control project: the same organisation without any
    answers, so that fixed text (a rule's example, a diagram's geometry) does not count."""
    hits = []
    for value in values:
        for text in forms(value):
            pattern = re.compile(r"(?<![\w.+-])" + re.escape(text) + r"(?![\w]|\.\d)")
            for label, body in texts.items():
                if label.startswith(CONTROL):
                    continue
                extra = len(pattern.findall(body)) - len(
                    pattern.findall(texts.get(CONTROL + label, ""))
                )
                if extra > 0:
                    m = next(pattern.finditer(body))
                    line = body[body.rfind("\n", 0, m.start()) + 1 : body.find("\n", m.end())]
                    hits.append(f"{label}: {text!r} ({extra}×) as in {line.strip()[:140]!r}")
    return hits


CONTROL = "control: "


def with_control(
    run_cli: Run, tmp_path: Path, root: Path, days: Iterable[str] = ("2026-11-20",)
) -> dict[str, str]:
    """Every output of `root` on each day, and of its control project (no answers)."""
    control = make_project(
        tmp_path,
        {
            name: (root / name).read_text(encoding="utf-8")
            for name in ("tpm.yaml", "touchpoints/t.yaml", "journeys/j.yaml")
        }
        | {"responses/pulse.csv": HEADER},
        name="control",
    )
    texts: dict[str, str] = {}
    for day in days:
        texts.update(every_output(run_cli, root, day))
        texts.update({CONTROL + k: v for k, v in every_output(run_cli, control, day).items()})
    return texts


def small_ns(texts: dict[str, str]) -> list[str]:
    """Every exact n below k in a json output (docs/privacy.md, rule 2)."""
    bad: list[str] = []

    def walk(label: str, node: Any, path: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("n", "own_n") and isinstance(value, int) and 0 < value < K:
                    bad.append(f"{label}: {path}.{key} = {value}")
                walk(label, value, f"{path}.{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(label, value, f"{path}[{i}]")

    for label, text in texts.items():
        if " json" in label or "sarif" in label:
            try:
                doc = json.loads(text.split("\n\n")[0])
            except ValueError:
                continue
            walk(label, doc, "")
    return bad


def json_of(run_cli: Run, root: Path, as_of: str) -> dict[str, Any]:
    result = run_cli(["-C", root, "score", "--format", "json", "--as-of", as_of])
    assert result.code == 0, result.err
    doc: dict[str, Any] = json.loads(result.out)
    return doc


AS_OF = "2026-11-20"
DAY = "2026-11-10"


@pytest.mark.slow  # every output of two projects: `make check` leaves it out
def test_enps_of_a_unit_cannot_be_subtracted_from_the_organisation(
    run_cli: Run, tmp_path: Path
) -> None:
    """Three promoters and two passives in big (+60), one detractor in solo: the organisation
    is (3 - 1) / 6 = +33.3 with 16.7 % detractors. Shown beside big's +60 (n = 5), it tells that
    solo's one person is a detractor. Big must be hidden to protect solo (rule 3), and solo's
    n = 1 appears nowhere (rule 2)."""
    root = project(
        tmp_path, rows("", [10, 10, 9, 8, 7], BIG, "big", DAY) + rows("", [0], ["r6"], "solo", DAY)
    )
    texts = with_control(run_cli, tmp_path, root)
    doc = json_of(run_cli, root, AS_OF)
    assert doc["enps"]["organisation"]["value"] == pytest.approx(
        (3 - 1) / 6 * 100
    )  # shown: 6 people
    assert found(texts, [60.0]) == []  # big's eNPS and promoters
    assert small_ns(texts) == []
    big = doc["enps"]["units"]["big"]
    assert big["value"] is None and big["n"] is None
    assert big["hidden"] == "hidden to protect a smaller group"
    assert doc["enps"]["units"]["solo"]["hidden"] == "fewer than 5 people"
    assert "hidden to protect a smaller group" in texts[f"score org table @{AS_OF}"]


@pytest.mark.slow  # every output of two projects: `make check` leaves it out
def test_a_unit_own_score_cannot_be_subtracted_from_the_touchpoint(
    run_cli: Run, tmp_path: Path
) -> None:
    """townhall: big answers 3, 4, 5, 5, 5 (mean 4.4, 85.0), solo 1: (22 + 1) / 6 = 3.833 ->
    70.83 (n = 6). Beside big's own score 85.0 (n = 5): 6 × 3.833 − 5 × 4.4 = 1, solo's answer.
    The (townhall, big) cell must not feed big's own score (rules 3 and 4)."""
    root = project(
        tmp_path,
        rows("townhall", [3, 4, 5, 5, 5], BIG, "big", DAY)
        + rows("townhall", [1], ["r6"], "solo", DAY),
    )
    texts = with_control(run_cli, tmp_path, root)
    doc = json_of(run_cli, root, AS_OF)
    townhall = {t["id"]: t for t in doc["touchpoints"]}["townhall"]
    assert townhall["score"] == pytest.approx((23 / 6 - 1) / 4 * 100) and townhall["n"] == 6
    assert found(texts, [85.0, 4.4]) == []
    assert small_ns(texts) == []
    big = {u["id"]: u for u in doc["units"]}["big"]
    assert big["own_score"] is None and big["own_n"] is None
    assert big["own_hidden"] == "hidden to protect a smaller group"


@pytest.mark.slow  # every output of two projects: `make check` leaves it out
def test_a_hidden_cell_never_feeds_a_pooled_own_score(run_cli: Run, tmp_path: Path) -> None:
    """skip-level is answered by r1 alone (a 1: hidden). townhall by r1..r5 of big (3, 4, 5, 5,
    5: 85.0). Pooled, big's own score would be (22 + 1) / 6 = 3.833 -> 70.83, and 6 × 3.833 −
    22 = 1 gives r1's skip-level answer. Pooled from shown cells only, it is 85.0 (rule 4)."""
    root = project(
        tmp_path,
        rows("townhall", [3, 4, 5, 5, 5], BIG, "big", DAY)
        + rows("skip-level", [1], ["r1"], "big", DAY),
    )
    texts = with_control(run_cli, tmp_path, root)
    doc = json_of(run_cli, root, AS_OF)
    assert found(texts, [(23 / 6 - 1) / 4 * 100, 23 / 6]) == []
    big = {u["id"]: u for u in doc["units"]}["big"]
    assert big["own_score"] == pytest.approx(85.0) and big["own_n"] == 5
    skip = {t["id"]: t for t in doc["touchpoints"]}["skip-level"]
    assert skip["score"] is None and skip["n"] is None and skip["hidden"] == "fewer than 5 people"
    assert small_ns(texts) == []


@pytest.mark.slow  # every output of two projects: `make check` leaves it out
def test_rows_of_one_person_and_an_anonymous_row_are_not_six_people(
    run_cli: Run, tmp_path: Path
) -> None:
    """Five rows from r1 (2, 2, 2, 2, 2) and one row without an id (5): six rows, two people at
    most. Counted as rows: n = 6, mean (10 + 5) / 6 = 2.5 -> 37.5. The anonymous row is a finding
    and does not count, r1 counts once: n = 1, hidden (rule 1)."""
    root = project(
        tmp_path,
        rows("townhall", [2, 2, 2, 2, 2], ["r1"] * 5, "big", DAY)
        + rows("townhall", [5], [""], "solo", DAY),
    )
    texts = with_control(run_cli, tmp_path, root)
    doc = json_of(run_cli, root, AS_OF)
    assert found(texts, [37.5, 2.5, 25.0]) == []  # the 6-row score, its mean, r1's own 25.0
    assert not [t for t, body in texts.items() if re.search(r"n = [1-6] respondents", body)]
    townhall = {t["id"]: t for t in doc["touchpoints"]}["townhall"]
    assert townhall["score"] is None and townhall["n"] is None
    audit = texts[f"audit text @{AS_OF}"]
    assert "TPM002" in audit and "respondent" in audit
    assert small_ns(texts) == []


@pytest.mark.slow  # every output of two projects: `make check` leaves it out
def test_no_two_as_of_days_can_be_subtracted(run_cli: Run, tmp_path: Path) -> None:
    """r1..r5 of big answer townhall on 2026-11-03 (3, 4, 5, 5, 5: 85.0), r6 of solo on
    2026-11-10 (1): one wave (7 days apart, less than the 14-day gap). Cut on 2026-11-05 it would
    give 85.0 (n = 5); on 2026-11-20 the whole wave gives 70.83 (n = 6), and 6 × 3.833 − 22 = 1.
    A wave still open on the as-of day is not used (rule 5)."""
    root = project(
        tmp_path,
        rows("townhall", [3, 4, 5, 5, 5], BIG, "big", "2026-11-03")
        + rows("townhall", [1], ["r6"], "solo", "2026-11-10"),
    )
    days = ("2026-11-03", "2026-11-05", "2026-11-09", "2026-11-10", "2026-11-20")
    texts = with_control(run_cli, tmp_path, root, days)
    assert found(texts, [85.0, 4.4]) == []
    assert small_ns(texts) == []
    late = json_of(run_cli, root, "2026-11-20")
    assert {t["id"]: t for t in late["touchpoints"]}["townhall"]["n"] == 6
    early = json_of(run_cli, root, "2026-11-05")
    assert {t["id"]: t for t in early["touchpoints"]}["townhall"]["source"] == "none"


@pytest.mark.slow  # every output of two projects: `make check` leaves it out
def test_findings_do_not_echo_hidden_answers(run_cli: Run, tmp_path: Path) -> None:
    """A rating of n = 2 with clarity 7.25 (off the scale) and a response row scoring 9.5: the
    findings name the field and what is expected, never the answer (rule 6), in every format
    of the audit, in the report and on stderr of every command."""
    ratings = "    ratings:\n      - {date: 2026-11-01, n: 2, scores: {clarity: 7.25}}\n"
    tps = TOUCHPOINTS.replace("RATINGS", "").rstrip("\n")
    tps = tps.replace(
        "cadence: monthly}\n  - {id: skip-level",
        "cadence: monthly}\n  - id: memo\n    name: Memo\n    from: board\n    to: big\n"
        + ratings
        + "  - {id: skip-level",
    )
    root = make_project(
        tmp_path,
        {
            "tpm.yaml": CONFIG,
            "touchpoints/t.yaml": tps + "\n",
            "journeys/j.yaml": JOURNEYS,
            "responses/pulse.csv": HEADER
            + rows("townhall", [9.5], ["r1"], "big", DAY)
            + rows("townhall", [3], ["r2"], "big", "11/10/2026"),
        },
    )
    texts = with_control(run_cli, tmp_path, root)
    assert found(texts, [7.25, 9.5]) == []
    audit = texts[f"audit text @{AS_OF}"]
    assert audit.count("TPM002") >= 2
    assert "off the scale" in audit


REPO = Path(__file__).resolve().parent.parent
PROJECTS = [REPO, *sorted(p.parent for p in (REPO / "tests" / "fixtures").rglob("tpm.yaml"))]


def _groups(doc: dict[str, Any]) -> list[tuple[str, dict[str, Any], str, str, str]]:
    """(where, entry, value key, n key, reason key) of every group the score json shows."""
    found = [(f"touchpoints.{t['id']}", t, "score", "n", "hidden") for t in doc["touchpoints"]]
    found += [(f"units.{u['id']}", u, "own_score", "own_n", "own_hidden") for u in doc["units"]]
    found += [(f"silos.{s['id']}", s, "own_score", "own_n", "own_hidden") for s in doc["silos"]]
    enps = doc["enps"]
    found.append(("enps.organisation", enps["organisation"], "value", "n", "hidden"))
    for part in ("silos", "units"):
        for ident, e in enps[part].items():
            found.append((f"enps.{part}.{ident}", e, "value", "n", "hidden"))
    return found


@pytest.mark.parametrize(
    "root", PROJECTS, ids=[p.relative_to(REPO).as_posix() or "example" for p in PROJECTS]
)
def test_no_json_of_a_shipped_project_shows_a_small_group(run_cli: Run, root: Path) -> None:
    """The example organisation and every fixture project: no n below k in the score json, a
    value only beside an n of at least k, and a reason wherever a group is hidden."""
    result = run_cli(["-C", root, "score", "--format", "json", "--as-of", "2026-11-20"])
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    k = yaml_k(root)
    hidden = 0
    for where, entry, value, n, reason in _groups(doc):
        count = entry[n]
        assert count is None or count == 0 or count >= k, (where, entry)
        if entry[value] is not None:
            assert count is not None and count >= k, (where, entry)
        if count is None:
            assert entry[reason] in (f"fewer than {k} people", "hidden to protect a smaller group")
            hidden += 1
    if root == REPO:
        assert hidden > 0  # the example hides some groups, and says why


def yaml_k(root: Path) -> int:
    import yaml

    config = yaml.safe_load((root / "tpm.yaml").read_text(encoding="utf-8")) or {}
    scoring = config.get("scoring") if isinstance(config, dict) else None
    value = scoring.get("min_responses", K) if isinstance(scoring, dict) else K
    return value if isinstance(value, int) else K


def test_the_example_is_scored_from_its_newest_wave(run_cli: Run) -> None:
    """responses/pulse-2026.csv holds two waves (September and November, more than 14 days
    apart). all-hands is scored from the newest: worked out here from the file itself."""
    import csv

    with (REPO / "responses" / "pulse-2026.csv").open(encoding="utf-8") as f:
        answers = [r for r in csv.DictReader(f) if r["touchpoint"] == "all-hands"]
    days = sorted({r["date"] for r in answers})
    assert days[0].startswith("2026-09") and days[-1].startswith("2026-11")  # two waves
    newest = [r for r in answers if r["date"] >= "2026-11-01"]
    first, last = min(r["date"] for r in newest), max(r["date"] for r in newest)
    clarity = [float(r["score"]) for r in newest if r["dimension"] == "clarity"]
    people = {r["respondent"] for r in newest}
    result = run_cli(["-C", REPO, "score", "--explain", "all-hands", "--as-of", "2026-11-20"])
    assert result.code == 0, result.err
    assert f"wave {last} (answers dated {first} to {last})" in result.out
    assert f"n = {len(people)} respondents" in result.out
    line = next(x for x in result.out.splitlines() if x.strip().startswith("clarity"))
    assert f"{sum(clarity) / len(clarity):.3f}" in line
