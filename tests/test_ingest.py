"""tpm ingest: survey exports as the tools write them, in; wave files of aggregates, out.

Every test builds its export here, runs the real CLI, and checks what a user sees: the scores
of `tpm score --format json` read from the wave files equal those of the same answers given as
raw long responses, and equal figures worked out here from the answers themselves.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import GOOD_CONFIG, GOOD_TOUCHPOINTS, Result, make_project

Run = Callable[..., Result]
AS_OF = "2026-12-01"
K = 5

AGREE = {
    "Stimme überhaupt nicht zu": 1,
    "Stimme nicht zu": 2,
    "Neutral": 3,
    "Stimme zu": 4,
    "Stimme voll zu": 5,
}
Q1 = "Q1 Die Betriebsversammlung sagt mir klar, was zählt"
Q2 = "Q2 Niemand hört zu, was wir sagen"
Q3 = "Q3 Im Huddle ist klar, was zu tun ist"
QE = "Wie wahrscheinlich empfehlen Sie uns als Arbeitgeber?"
FREE = "Sonst noch etwas?"
TEAMS = {"Kundenservice Außendienst": "service-agents", "Vertrieb": "sales", "IT": "it"}

WIDE_SURVEY = f"""\
surveys:
  - id: pulse
    name: Pulse survey
    layout: wide
    columns:
      date: Übermittelt am
      unit: Team
      respondent: Antwort-ID
    date_format: "%d.%m.%Y %H:%M"
    encoding: cp1252
    units: {{"Kundenservice Außendienst": service-agents, "Vertrieb": sales}}
    answers: {json.dumps(AGREE, ensure_ascii=False)}
    questions:
      - column: "{Q1}"
        touchpoint: all-hands
        dimension: clarity
      - column: "{Q2}"
        touchpoint: all-hands
        dimension: dialogue
        reverse: true
      - column: "{Q3}"
        touchpoint: huddle
        dimension: clarity
      - column: "{QE}"
        enps: true
      - column: "{FREE}"
        ignore: true
"""


def people(seed: int) -> list[dict[str, Any]]:
    """Respondents: 9 in service-agents, 8 in sales, 3 in IT (too few: hidden), 3 without."""
    rng = random.Random(seed)
    teams = ["Kundenservice Außendienst"] * 9 + ["Vertrieb"] * 8 + ["IT"] * 3 + [""] * 3
    rows = []
    for i, team in enumerate(teams):
        rows.append(
            {
                "id": f"R-{i:04d}",
                "team": team,
                "day": 18 + i % 3,
                "q1": rng.choice(list(AGREE)),
                "q2": rng.choice(list(AGREE)) if i % 7 else "",  # some leave it empty
                "q3": str(rng.randint(1, 5)),
                "enps": str(rng.randint(0, 10)),
                "free": f'SECRET-FREE-TEXT-{i}; with a "quote"',
            }
        )
    return rows


def wide_export(rows: list[dict[str, Any]]) -> bytes:
    """As Microsoft Forms exports to Excel and Excel saves as csv on a German Windows."""

    def quoted(text: str) -> str:
        return '"' + text.replace('"', '""') + '"'

    header = ["Antwort-ID", "Übermittelt am", "Team", Q1, Q2, Q3, QE, FREE]
    lines = [";".join(quoted(h) for h in header)]
    for r in rows:
        date = f"{r['day']:02d}.11.2026 09:15"
        cells = [r["id"], date, r["team"], r["q1"], r["q2"], r["q3"], r["enps"], quoted(r["free"])]
        lines.append(";".join(cells))
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def raw_long(rows: list[dict[str, Any]]) -> str:
    """The same answers as a raw long response file (reversed items turned here)."""
    out = ["touchpoint,dimension,score,date,unit,respondent"]
    for r in rows:
        date = f"2026-11-{r['day']:02d}"
        unit = TEAMS.get(r["team"], "")
        answers = [("all-hands", "clarity", AGREE[r["q1"]])]
        if r["q2"]:
            answers.append(("all-hands", "dialogue", 6 - AGREE[r["q2"]]))
        answers += [("huddle", "clarity", int(r["q3"])), ("", "enps", int(r["enps"]))]
        out += [f"{t},{d},{v},{date},{unit},{r['id']}" for t, d, v in answers]
    return "\n".join(out) + "\n"


def base_files() -> dict[str, str | bytes]:
    return {"tpm.yaml": GOOD_CONFIG, "touchpoints/main.yaml": GOOD_TOUCHPOINTS}


def score_json(run_cli: Run, root: Path) -> Any:
    result = run_cli(["-C", root, "score", "--format", "json", "--as-of", AS_OF])
    assert result.code == 0, result.err
    return json.loads(result.out)


def comparable(data: Any) -> Any:
    """What ingest promises to keep: touchpoint scores, eNPS of the organisation and units."""
    return {
        "touchpoints": {
            t["id"]: (t["score"], t["n"], t["dimensions"], t["newest"]) for t in data["touchpoints"]
        },
        "enps": data["enps"]["organisation"],
        "enps_units": data["enps"]["units"],
        "enps_silos": data["enps"]["silos"],
    }


@pytest.fixture
def wide(tmp_path: Path, run_cli: Run) -> tuple[Path, Path, list[dict[str, Any]]]:
    rows = people(7)
    root = make_project(tmp_path, {**base_files(), "surveys/pulse.yaml": WIDE_SURVEY}, "ingested")
    export = tmp_path / "export.csv"
    export.write_bytes(wide_export(rows))
    result = run_cli(["-C", root, "ingest", export, "--survey", "pulse"])
    assert result.code == 0, result.out + result.err
    raw = make_project(tmp_path, {**base_files(), "responses/raw.csv": raw_long(rows)}, "raw")
    return root, raw, rows


def test_wide_cp1252_semicolon_export_scores_like_the_raw_responses(
    wide: tuple[Path, Path, list[dict[str, Any]]], run_cli: Run
) -> None:
    root, raw, rows = wide
    got, want = score_json(run_cli, root), score_json(run_cli, raw)
    assert comparable(got) == comparable(want)
    # and the figures themselves, worked out from the answers
    tps = {t["id"]: t for t in got["touchpoints"]}
    clarity = [AGREE[r["q1"]] for r in rows]
    dialogue = [6 - AGREE[r["q2"]] for r in rows if r["q2"]]
    c = (sum(clarity) / len(clarity) - 1) / 4 * 100
    d = (sum(dialogue) / len(dialogue) - 1) / 4 * 100
    assert tps["all-hands"]["dimensions"]["clarity"] == pytest.approx(c)
    assert tps["all-hands"]["dimensions"]["dialogue"] == pytest.approx(d)
    assert tps["all-hands"]["score"] == pytest.approx((c + d) / 2)
    assert tps["all-hands"]["n"] == len(rows)
    assert tps["all-hands"]["source"] == "waves"
    assert tps["all-hands"]["newest"] == "2026-11-20"
    scores = [int(r["enps"]) for r in rows]
    promoters = sum(s >= 9 for s in scores) / len(scores) * 100
    detractors = sum(s <= 6 for s in scores) / len(scores) * 100
    assert got["enps"]["organisation"]["value"] == pytest.approx(promoters - detractors)
    agents = [int(r["enps"]) for r in rows if r["team"] == "Kundenservice Außendienst"]
    value = (sum(s >= 9 for s in agents) - sum(s <= 6 for s in agents)) / len(agents) * 100
    assert got["enps"]["units"]["service-agents"]["value"] == pytest.approx(value)
    it = got["enps"]["units"]["it"]  # 3 people: hidden, and its n too
    assert (it["value"], it["n"], it["hidden"]) == (None, None, "fewer than 5 people")


def test_the_wave_file_holds_no_respondent_no_answer_text_no_small_group(
    wide: tuple[Path, Path, list[dict[str, Any]]],
) -> None:
    root, _, rows = wide
    files = sorted((root / "waves").rglob("*.yaml"))
    assert [f.relative_to(root).as_posix() for f in files] == ["waves/pulse/2026-11-20.yaml"]
    text = files[0].read_text(encoding="utf-8")
    assert "R-0" not in text and not any(r["id"] in text for r in rows)  # no respondent id
    assert "SECRET" not in text and "quote" not in text  # no free text
    for team in TEAMS:
        assert team not in text  # not even the export's own names
    data = yaml.safe_load(text)
    assert data["k"] == K and data["survey"] == "pulse"
    units_seen = set()
    for topic in data["topics"]:
        for group in topic["groups"]:
            units_seen.add(group["unit"])
            if "hidden" in group:
                assert set(group) - {"silo"} == {"unit", "hidden"}  # hidden: no numbers
                continue
            assert group["n"] >= K
            for q in group["questions"].values():
                assert q["n"] >= K and sum(q["counts"].values()) == q["n"]
    it_groups = [g for t in data["topics"] for g in t["groups"] if g["unit"] == "it"]
    assert it_groups and all(
        g == {"unit": "it", "hidden": "fewer than 5 people"} for g in it_groups
    )
    assert {None, "service-agents", "sales", "it"} == units_seen
    silos = {g["silo"]: g for t in data["topics"] for g in t["groups"] if g.get("silo")}
    assert silos["it"] == {"unit": None, "silo": "it", "hidden": "fewer than 5 people"}
    assert silos["sales"]["n"] == 8


def test_dry_run_writes_nothing_and_an_existing_wave_is_kept_unless_force(
    wide: tuple[Path, Path, list[dict[str, Any]]], run_cli: Run, tmp_path: Path
) -> None:
    root, _, _ = wide
    wave = root / "waves" / "pulse" / "2026-11-20.yaml"
    wave.write_text("# mine\n" + wave.read_text(encoding="utf-8"), encoding="utf-8")
    export = tmp_path / "export.csv"
    kept = run_cli(["-C", root, "ingest", export, "--survey", "pulse"])
    assert kept.code == 0 and "left alone" in kept.out
    assert wave.read_text(encoding="utf-8").startswith("# mine")
    out = tmp_path / "elsewhere"
    dry = run_cli(["-C", root, "ingest", export, "--survey", "pulse", "--dry-run", "--output", out])
    assert dry.code == 0 and "dry run" in dry.out and not out.exists()
    assert "23 rows read from 1 file, 23 respondents, 1 wave" in dry.out
    assert "unit it: hidden (fewer than 5 people)" in dry.out
    forced = run_cli(["-C", root, "ingest", export, "--survey", "pulse", "--force"])
    assert forced.code == 0 and "written" in forced.out
    assert not wave.read_text(encoding="utf-8").startswith("# mine")


LONG_SURVEY = """\
surveys:
  - id: long
    name: Long export
    layout: long
    columns: {date: Datum, unit: Einheit, respondent: Person, wave: Runde, score: Antwort}
    answers: {"Agree": 4, "Disagree": 2, "Strongly agree": 5}
"""


def test_a_long_csv_with_bom_crlf_quotes_and_text_answers(tmp_path: Path, run_cli: Run) -> None:
    rng = random.Random(3)
    text_of = {4: "Agree", 2: "Disagree", 5: "Strongly agree"}
    export = ['"touchpoint","dimension","Antwort","Datum","Einheit","Person","Runde"']
    raw = ["touchpoint,dimension,score,date,unit,respondent,wave"]
    for i in range(12):
        unit = "sales" if i < 6 else "service"
        for tp, dim in (("all-hands", "clarity"), ("it-standard", "dialogue"), ("", "enps")):
            value = rng.randint(0, 10) if dim == "enps" else rng.choice([2, 4, 5])
            answer = str(value) if dim == "enps" else text_of[value]
            export.append(f'"{tp}","{dim}","{answer}","2026-11-0{1 + i % 3}","{unit}","p{i}","w1"')
            raw.append(f"{tp},{dim},{value},2026-11-0{1 + i % 3},{unit},p{i},w1")
    root = make_project(tmp_path, {**base_files(), "surveys/long.yaml": LONG_SURVEY}, "ingested")
    path = tmp_path / "long.csv"
    path.write_bytes(b"\xef\xbb\xbf" + ("\r\n".join(export) + "\r\n").encode("utf-8"))
    result = run_cli(["-C", root, "ingest", path, "--survey", "long"])
    assert result.code == 0, result.out + result.err
    assert (root / "waves" / "long" / "w1.yaml").is_file()
    raw_root = make_project(
        tmp_path, {**base_files(), "responses/raw.csv": "\n".join(raw) + "\n"}, "raw"
    )
    got, want = score_json(run_cli, root), score_json(run_cli, raw_root)
    assert comparable(got) == comparable(want)
    assert {t["id"]: t["n"] for t in got["touchpoints"]}["all-hands"] == 12


def test_bad_rows_are_findings_at_their_line_without_the_answer(
    tmp_path: Path, run_cli: Run
) -> None:
    rows = people(11)
    export = wide_export(rows).decode("cp1252").split("\r\n")
    header, good = export[0], [line for line in export[1:] if line]
    bad_kinds = [
        "R-9{0:03d};18.11.2026 09:15;Einkauf;Neutral;;3;5;x",  # unknown team
        "R-9{0:03d};18.11.2026 09:15;Vertrieb;Maybe;;3;5;x",  # not an answer
        "R-9{0:03d};31.02.2026 09:15;Vertrieb;Neutral;;3;5;x",  # no such day
    ]
    bad = [bad_kinds[i % 3].format(i) for i in range(51)]
    lines = [header, *good, *bad]
    root = make_project(tmp_path, {**base_files(), "surveys/pulse.yaml": WIDE_SURVEY}, "p")
    path = root / "export.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    result = run_cli(["-C", root, "ingest", path, "--survey", "pulse"])
    assert result.code == 1
    findings = [line for line in result.err.splitlines() if "export.csv:" in line]
    assert len(findings) == 51
    first_bad = len(good) + 2
    assert findings[0].startswith(f"export.csv:{first_bad}:1")
    assert "unit names no unit" in findings[0]
    assert f"export.csv:{first_bad + 1}:1" in findings[1] and "Q1" in findings[1]
    assert "date is not a real date" in findings[2]
    assert "1 further bad row" in findings[-1] and f"export.csv:{first_bad + 50}:1" in findings[-1]
    assert "Maybe" not in result.err + result.out and "Einkauf" not in result.err
    assert "51 bad rows left out" in result.out
    # the good rows still count
    data = score_json(run_cli, root)
    assert {t["id"]: t["n"] for t in data["touchpoints"]}["all-hands"] == len(good)


def test_an_unknown_survey_is_a_usage_error(tmp_path: Path, run_cli: Run) -> None:
    root = make_project(tmp_path, {**base_files(), "surveys/pulse.yaml": WIDE_SURVEY})
    export = tmp_path / "e.csv"
    export.write_text("a\n", encoding="utf-8")
    result = run_cli(["-C", root, "ingest", export, "--survey", "pulsee"])
    assert result.code == 2
    assert "names no survey" in result.err and "did you mean 'pulse'" in result.err
    assert "Traceback" not in result.err


def test_a_survey_definition_is_checked_with_positions(tmp_path: Path, run_cli: Run) -> None:
    survey = WIDE_SURVEY.replace("dimension: dialogue", "dimension: dialog").replace(
        "touchpoint: huddle", "touchpoint: hudle"
    )
    root = make_project(tmp_path, {**base_files(), "surveys/pulse.yaml": survey})
    result = run_cli(["-C", root, "validate"])
    assert result.code == 1
    lines = survey.splitlines()
    dim_line = next(i for i, line in enumerate(lines, 1) if "dimension: dialog" in line)
    tp_line = next(i for i, line in enumerate(lines, 1) if "touchpoint: hudle" in line)
    assert f"surveys/pulse.yaml:{dim_line}:20" in result.out and "'dialogue'" in result.out
    assert f"surveys/pulse.yaml:{tp_line}:21" in result.out and "'huddle'" in result.out


def test_the_survey_schema_accepts_the_definition_and_rejects_a_typo() -> None:
    from jsonschema import Draft7Validator

    from tpm.jsonschema import SURVEYS_SCHEMA, schemas

    validator = Draft7Validator(schemas()[SURVEYS_SCHEMA])
    good = yaml.safe_load(WIDE_SURVEY)
    assert list(validator.iter_errors(good)) == []
    bad = yaml.safe_load(WIDE_SURVEY.replace("layout: wide", "layot: wide"))
    assert [e.message for e in validator.iter_errors(bad)] == [
        "'layot' does not match any of the regexes: '^x-'"
    ]


def test_a_cp1252_export_without_a_declared_encoding_is_read_and_said_so(
    tmp_path: Path, run_cli: Run
) -> None:
    rows = people(5)
    survey = WIDE_SURVEY.replace("    encoding: cp1252\n", "")
    root = make_project(tmp_path, {**base_files(), "surveys/pulse.yaml": survey})
    export = tmp_path / "export.csv"
    export.write_bytes(wide_export(rows))
    result = run_cli(["-C", root, "ingest", export, "--survey", "pulse", "--dry-run"])
    assert result.code == 0, result.err
    assert "not UTF-8: read as Windows-1252" in result.out
    assert "23 rows read" in result.out


def test_hostile_encodings_and_missing_columns_give_findings_not_tracebacks(
    tmp_path: Path, run_cli: Run
) -> None:
    survey = WIDE_SURVEY.replace("encoding: cp1252", "encoding: klingon")
    root = make_project(tmp_path, {**base_files(), "surveys/pulse.yaml": survey})
    line = next(i for i, t in enumerate(survey.splitlines(), 1) if "klingon" in t)
    validated = run_cli(["-C", root, "validate"])
    assert f"surveys/pulse.yaml:{line}:15" in validated.out and "encoding" in validated.out
    export = tmp_path / "export.csv"
    export.write_bytes(wide_export(people(5)))
    bad = run_cli(["-C", root, "ingest", export, "--survey", "pulse"])
    assert bad.code == 2 and "is not an encoding" in bad.err and "Traceback" not in bad.err
    # declared UTF-8, but the bytes are not
    survey = WIDE_SURVEY.replace("encoding: cp1252", "encoding: utf-8")
    root = make_project(tmp_path, {**base_files(), "surveys/pulse.yaml": survey}, "other")
    result = run_cli(["-C", root, "ingest", export, "--survey", "pulse"])
    assert result.code == 1 and "Traceback" not in result.err
    assert "export.csv:1:1: error TPM002 the export is not utf-8" in result.err
    # a question column the export lacks: said, and the other questions still count
    survey = WIDE_SURVEY.replace(Q3, "Q9 Gone")
    root = make_project(tmp_path, {**base_files(), "surveys/pulse.yaml": survey}, "third")
    result = run_cli(["-C", root, "ingest", export, "--survey", "pulse"])
    assert result.code == 1 and "no question column 'Q9 Gone'" in result.err
    assert "all-hands: n = 23" in result.out and "huddle" not in result.out
