"""Privacy (docs/privacy.md): nothing computed from fewer than min_responses people, anywhere.

One project, every output: `tpm score` in every view and format, `--explain`, `tpm show`,
and — as other commands land — `tpm audit` in every format, `tpm diagram` (dot, mermaid) and
`tpm report`. The commands are discovered from the app, so this test extends itself.

The touchpoint `secret` has 4 respondents (s1..s4, all of unit sales). Its numbers, had they
been computed, are chosen to be recognisable, and poor, so that the audit's quality rules
(TPM030, and TPM033 for the critical step) would print them if they saw them (dimensions:
clarity weight 3, dialogue weight 1, appreciation weight 1):

    clarity  (2+2+2+1)/4 = 1.75 -> (1.75-1)/4*100 = 18.75
    dialogue (4+4+5+4)/4 = 4.25 -> (4.25-1)/4*100 = 81.25
    score    (3*18.75 + 81.25)/4 = 137.5/4 = 34.375 -> poor   (on a 1-5 journey map: 2.375)

The touchpoint `open` has 6 respondents o1..o6: clarity (5+5+5+5+4+3)/6 = 4.5 -> 87.5,
dialogue 5 -> 100, score (3*87.5 + 100)/4 = 90.625: shown with min_responses 5, hidden with 7.
Only 4 of them answered appreciation: (3+3+3+2)/4 = 2.75 -> 43.75 must stay hidden inside the
shown score.

What secret would leak into others: the journey j (open, then secret as a critical step)
would be (90.625 + 2*34.375)/3 = 53.125; the unit service and the quality index
(90.625*6 + 34.375*4)/10 = 68.125. The 4 sales respondents' eNPS (10, 10, 10, 8) would be +75
with 75 % promoters. None of these, nor their rounded forms, may appear anywhere.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result, make_project

AS_OF = "2026-11-20"

CONFIG = """\
organisation: Privacy AG
units:
  - {id: board, name: Board, level: 0}
  - {id: sales, name: Sales}
  - {id: service, name: Service}
  - {id: it, name: IT}
people:
  - {id: anna, name: Anna, unit: board}
scoring:
  min_responses: MIN
  dimensions:
    clarity: {weight: 3}
    dialogue: {weight: 1}
    appreciation: {weight: 1}
"""

TOUCHPOINTS = """\
touchpoints:
  - {id: secret, name: Secret huddle, from: sales, to: service, owner: anna, cadence: weekly}
  - {id: open, name: Open forum, from: it, to: service, owner: anna, cadence: weekly}
  - {id: up, name: Upward report, from: service, to: board, direction: two-way, owner: anna}
"""

JOURNEYS = """\
journeys:
  - id: j
    name: Journey J
    owner: anna
    steps:
      - touchpoint: open
      - touchpoint: secret
        critical: true
"""


def _rows(tp: str, dim: str, values: list[int], prefix: str, unit: str) -> str:
    return "".join(
        f"{tp},{dim},{v},2026-11-10,{unit},{prefix}{i}\n" for i, v in enumerate(values, 1)
    )


RESPONSES = (
    "touchpoint,dimension,score,date,unit,respondent\n"
    + _rows("secret", "clarity", [2, 2, 2, 1], "s", "sales")
    + _rows("secret", "dialogue", [4, 4, 5, 4], "s", "sales")
    + _rows("open", "clarity", [5, 5, 5, 5, 4, 3], "o", "service")
    + _rows("open", "dialogue", [5, 5, 5, 5, 5, 5], "o", "service")
    + _rows("open", "appreciation", [3, 3, 3, 2], "o", "service")
    + _rows("", "enps", [10, 10, 10, 8], "s", "sales")
    + _rows("", "enps", [9, 7, 6, 3, 8, 9], "o", "")
)


def forms(value: float, whole: bool = True) -> list[str]:
    """How a number may be printed: in full, to 3, 2, 1 and (if `whole`) 0 decimals,
    rounded either way at a tie."""
    texts = {repr(value), f"{value:.3f}", f"{value:.2f}", f"{value:.1f}"}
    for places in (2, 1):
        step = 10**places
        texts.add(f"{int(value * step + 0.5) / step:.{places}f}")  # half up (56.25 -> 56.3)
    if whole:
        texts |= {f"{value:.0f}", str(int(value + 0.5))}
    return sorted(texts)


HIDDEN = [
    *forms(34.375),  # secret's score
    *forms(18.75),  # its clarity
    "1.75",  # its clarity mean ("1.8" is in the text of a rule; 3 decimals are enough)
    "1.750",
    *forms(81.25),  # its dialogue
    *forms(4.25, whole=False),  # its dialogue mean
    *forms(2.375, whole=False),  # its score on a 1-5 journey map
    *forms(43.75),  # open's appreciation (4 respondents)
    *forms(2.75, whole=False),  # its mean
    *forms(53.125, whole=False),  # the journey with secret counted
    *forms(68.125, whole=False),  # service and quality with secret counted
    "+75",  # sales' eNPS and promoters
    "75%",
    "75 %",
]


def _pattern(text: str) -> re.Pattern[str]:
    # a number on its own: not part of a longer number or word (53 in 153, in a hex hash)
    return re.compile(r"(?<![\w.])" + re.escape(text) + r"(?!\w)")


BANNED = [(text, _pattern(text)) for text in dict.fromkeys(HIDDEN)]
SVG_GEOMETRY = re.compile(
    r"\s(?:x|y|cx|cy|rx|ry|r|x1|x2|y1|y2|dx|dy|width|height|points|d|transform|viewBox|"
    r'font-size|stroke-width|stroke-dasharray|stroke-miterlimit)="[^"]*"'
)

Run = Callable[..., Result]


def commands() -> dict[str, object]:
    """The commands tpm has today (the test grows as audit, diagram and report land)."""
    from typer.main import get_command

    from tpm.cli import app

    return dict(get_command(app).commands)  # type: ignore[attr-defined]


def audit_formats() -> list[str]:
    """Every format `tpm audit --format` offers (text and the six of docs/ci.md)."""
    import tpm.cli

    choices = getattr(tpm.cli, "AuditFormat", None)
    if choices is None:
        return ["text", "json", "sarif", "github", "gitlab", "junit", "markdown"]
    return [c.value for c in choices]


def make(tmp_path: Path, m: int) -> Path:
    return make_project(
        tmp_path,
        {
            "tpm.yaml": CONFIG.replace("MIN", str(m)),
            "touchpoints/t.yaml": TOUCHPOINTS,
            "journeys/j.yaml": JOURNEYS,
            "responses/pulse.csv": RESPONSES,
        },
        name=f"privacy-{m}",
    )


def every_output(run_cli: Run, project: Path, out_dir: Path) -> dict[str, str]:
    """label -> everything the command printed or wrote (stdout, stderr, output file)."""
    runs: list[tuple[str, list[str], Path | None]] = []
    for view in ("", "touchpoints", "journeys", "units", "org"):
        for fmt in ("table", "json", "csv"):
            args = ["score", *([view] if view else []), "--format", fmt, "--as-of", AS_OF]
            runs.append((f"score {view or 'all'} {fmt}", args, None))
    for ident in ("secret", "j", "open"):
        runs.append((f"explain {ident}", ["score", "--explain", ident, "--as-of", AS_OF], None))
    for ident in ("secret", "j", "sales", "service"):
        runs.append((f"show {ident}", ["show", ident], None))
        runs.append((f"show {ident} json", ["show", ident, "--format", "json"], None))
    available = commands()
    if "audit" in available:
        for fmt in audit_formats():
            target = out_dir / f"audit.{fmt}"
            args = ["audit", "--format", fmt, "--as-of", AS_OF, "--fail-on", "never"]
            runs.append((f"audit {fmt}", [*args, "--output", str(target)], target))
            runs.append((f"audit {fmt} stdout", args, None))
    if "diagram" in available:
        for kind in (["journey", "j"], ["org"]):
            for fmt in ("dot", "mermaid"):
                target = out_dir / f"diagram-{kind[0]}.{fmt}"
                args = ["diagram", *kind, "--format", fmt, "--as-of", AS_OF, "--output"]
                runs.append((f"diagram {kind[0]} {fmt}", [*args, str(target)], target))
    if "report" in available:
        target = out_dir / "report.html"
        runs.append(("report", ["report", "--output", str(target), "--as-of", AS_OF], target))
    texts: dict[str, str] = {}
    for label, args, target in runs:
        result = run_cli(["-C", project, *args])
        assert result.code in (0, 1), (label, result.err)
        assert "Traceback" not in result.err, label
        text = result.out + "\n" + result.err
        if target is not None:
            assert target.is_file(), label
            text += "\n" + target.read_text(encoding="utf-8")
            target.unlink()
        if label == "report" or "<svg" in text:
            text = html.unescape(SVG_GEOMETRY.sub("", text))
        texts[label] = text
    return texts


def leaks(texts: dict[str, str]) -> list[str]:
    found = []
    for label, text in texts.items():
        for hidden, pattern in BANNED:
            for m in pattern.finditer(text):
                line = text[text.rfind("\n", 0, m.start()) + 1 : text.find("\n", m.end())]
                found.append(f"{label}: {hidden!r} in {line.strip()[:160]!r}")
    return found


def row(text: str, ident: str) -> str:
    """The table row (one line) of an id."""
    lines = [line for line in text.splitlines() if re.search(rf"[│|]\s*{re.escape(ident)}\s", line)]
    assert lines, (ident, text)
    return lines[0]


@pytest.mark.parametrize("m", [5, 7])
def test_no_output_shows_what_fewer_than_min_responses_gave(
    run_cli: Run, tmp_path: Path, m: int
) -> None:
    project = make(tmp_path, m)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    texts = every_output(run_cli, project, out_dir)
    hidden = f"n < {m}"

    # 1. none of the hidden numbers, in any rounding, in any output
    assert leaks(texts) == []
    # the configured number, never the default one
    if m != 5:
        assert [label for label, text in texts.items() if "n < 5" in text] == []

    # 2. tables: "n < m" where the score would be, and no n beside it (docs/privacy.md,
    # rule 2: no exact n below k; before, the n of 4 was given)
    secret = row(texts["score touchpoints table"], "secret")
    assert re.search(rf"{hidden}\s*│\s*│", secret), secret
    assert not re.search(r"good|fair|poor", secret)
    sales = row(texts["score units table"], "sales")
    assert re.search(rf"{hidden}\s*│\s*│?\s*$", sales), sales  # own score, own n
    enps = row(texts["score org table"], "sales")
    assert re.search(rf"{hidden}\s*│\s*│", enps), enps
    assert "%" not in enps
    if m == 7:  # open (6 respondents) is hidden too
        assert re.search(rf"{hidden}\s*│\s*│", row(texts["score touchpoints table"], "open"))

    # 3. json: null, n null too, and the reason
    doc = json.loads(texts["score all json"].split("\n\n")[0])
    tp = {t["id"]: t for t in doc["touchpoints"]}["secret"]
    assert (tp["score"], tp["band"], tp["n"]) == (None, None, None)
    assert tp["hidden"] == f"fewer than {m} people"
    assert tp["dimensions"] == {"clarity": None, "dialogue": None, "appreciation": None}
    assert {t["id"]: t for t in doc["touchpoints"]}["open"]["dimensions"]["appreciation"] is None
    unit = {u["id"]: u for u in doc["units"]}["sales"]
    assert (unit["own_score"], unit["own_n"]) == (None, None)
    assert doc["enps"]["units"]["sales"] == {
        "value": None,
        "n": None,
        "promoters": None,
        "detractors": None,
        "hidden": f"fewer than {m} people",
    }
    journey = doc["journeys"][0]
    assert journey["coverage"] == (0.5 if m == 5 else 0.0)

    # 4. csv: an empty cell, and an empty n (docs/privacy.md, rule 2)
    assert "secret,Secret huddle,,,," in texts["score touchpoints csv"]
    assert "sales,Sales,,,0,," in texts["score units csv"]
    assert "enps,sales,," in texts["score org csv"]

    # 5. --explain: the touchpoint and the journey containing it say n < m
    assert hidden in texts["explain secret"]
    assert not re.search(r"n = 4\b", texts["explain secret"])  # no n below k (rule 2)
    assert re.search(rf"secret\s+not scored: hidden: {hidden}$", texts["explain j"], re.M)
    # a dimension below the threshold inside a shown touchpoint
    assert re.search(rf"appreciation\s+{hidden}", texts["explain open"]) or m == 7

    # 6. diagrams and the report show the hidden step as n < m (when they exist)
    for label, text in texts.items():
        if label.startswith("diagram journey") or label == "report":
            assert hidden in text, label


def test_show_hides_the_means_of_a_rating_below_min_responses(run_cli: Run, tmp_path: Path) -> None:
    project = make(tmp_path, 5)
    with (project / "touchpoints" / "t.yaml").open("a", encoding="utf-8") as f:
        f.write(
            "  - id: memo\n    name: Memo\n    from: it\n    to: sales\n    ratings:\n"
            "      - {date: 2026-11-01, n: 4, scores: {clarity: 2.75, dialogue: 4.25}}\n"
        )
    texts = {}
    for fmt in ("text", "json"):
        result = run_cli(["-C", project, "show", "memo", "--format", fmt])
        assert result.code == 0
        texts[f"show memo {fmt}"] = result.out
    assert leaks(texts) == []
    assert "n < 5" in texts["show memo text"]


def test_show_json_gives_null_for_the_hidden_scores_of_a_rating(
    run_cli: Run, tmp_path: Path
) -> None:
    project = make(tmp_path, 5)
    with (project / "touchpoints" / "t.yaml").open("a", encoding="utf-8") as f:
        f.write(
            "  - id: memo\n    name: Memo\n    from: it\n    to: sales\n    ratings:\n"
            "      - {date: 2026-11-01, n: 4, scores: {clarity: 2.75, dialogue: 4.25}}\n"
        )
    result = run_cli(["-C", project, "show", "memo", "--format", "json"])
    rating = json.loads(result.out)["fields"]["ratings"][0]
    assert rating["n"] == 4
    assert rating["scores"] in (None, {"clarity": None, "dialogue": None})


def test_the_threshold_is_decided_in_one_place() -> None:
    from tpm.scoring import enough, hidden, hidden_label, shown

    assert [enough(n, 5) for n in (0, 4, 5, 6)] == [False, False, True, True]
    assert [hidden(n, 5) for n in (0, 1, 4, 5, 6)] == [False, True, True, False, False]
    assert (shown(42.0, 4, 5), shown(42.0, 5, 5), shown(None, 9, 5)) == (None, 42.0, None)
    assert hidden_label(7) == "n < 7"


def test_every_output_tells_hidden_from_no_data_alike(run_cli: Run, tmp_path: Path) -> None:
    """`hidden` means some answered, fewer than min_responses. A rating of n: 0 has nothing to
    hide (the score table said "n < 5" for it, the report "no data", the diagrams "unrated"),
    and 5 respondents of unit it whose answers leave every dimension below 5 give no own score,
    not a hidden one (`tpm show it` said "own n < 5")."""
    project = make(tmp_path, 5)
    with (project / "touchpoints" / "t.yaml").open("a", encoding="utf-8") as f:
        f.write(
            "  - id: nobody\n    name: Nobody asked\n    from: it\n    to: sales\n    ratings:\n"
            "      - {date: 2026-11-01, n: 0, scores: {clarity: 3}}\n"
        )
    with (project / "responses" / "pulse.csv").open("a", encoding="utf-8") as f:
        for who, dim in (("1", "clarity"), ("2", "clarity"), ("3", "clarity"), ("3", "dialogue")):
            f.write(f"up,{dim},4,2026-11-10,it,i{who}\n")
        for who in ("4", "5"):
            f.write(f"up,dialogue,4,2026-11-10,it,i{who}\n")
    score = run_cli(["-C", project, "score", "--as-of", AS_OF])
    assert score.code == 0, score.err
    assert re.search(r"│\s*—\s*│\s*0\s*│", row(score.out, "nobody")), row(score.out, "nobody")
    assert re.search(r"│\s*—\s*│\s*5\s*│?\s*$", row(score.out, "it")), row(score.out, "it")
    shown_it = run_cli(["-C", project, "show", "it", "--as-of", AS_OF]).out
    assert "no own score" in shown_it and "n < 5" not in shown_it
    mermaid = run_cli(["-C", project, "diagram", "org", "-f", "mermaid", "--as-of", AS_OF]).out
    assert '|"Nobody asked"|' in mermaid  # drawn as unrated: no badge on the edge
    report = tmp_path / "report.html"
    assert run_cli(["-C", project, "report", "-o", report, "--as-of", AS_OF]).code in (0, 1)
    page = html.unescape(report.read_text(encoding="utf-8"))
    nobody = page[page.index('id="item-nobody"') :].split("</tr>")[0]  # its row of the table
    assert "no data" in nobody and "n < 5" not in nobody
