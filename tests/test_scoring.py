"""Scores (docs/scoring.md) on tiny projects, each expectation computed by hand in the test.

Every project here is a few units, touchpoints and response rows written into tmp_path. The
docs/scoring.md defaults apply unless a test says otherwise: scale [1, 5] (so a dimension score is
(mean - 1) / 4 * 100), min_responses 5, max_age_days 56, thresholds good 70 / poor 50, and the
five default dimensions with weight 1, wave_gap_days 14. Everything is judged as of AS_OF.

Readings of docs/scoring.md where it is not explicit (each test's docstring says which it uses):

- A dimension is used when at least min_responses *respondents* answered it: distinct
  respondent ids when every row of the window names one (as for n), else the number of answers.
  "At least min_responses answers" alone would show a mean computed from three people who each
  answered twice in the window, which the privacy rule forbids ("no ... mean ... computed from
  fewer than min_responses respondents").
- A unit receives the touchpoints that name it in `to` (a broadcast: every unit but its `from`
  units); the unit n shown is the sum of those touchpoints' n.
- A unit's own score uses its respondents' answers in each touchpoint's wave, pooled from the
  (touchpoint, unit) cells that may be shown on their own (docs/privacy.md, rule 4).
- Freshness: touchpoints with a score whose source is within its freshness limit, divided by
  all touchpoints (unrated and hidden ones count in the denominator only).
- Units and silos take the organisation's eNPS wave.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path
from typing import Any

import pytest
from conftest import make_project

from tpm.graph import OrgGraph
from tpm.project import load
from tpm.rules.registry import RULES
from tpm.scoring import Scores, compute

AS_OF = dt.date(2026, 11, 20)
NEWEST = "2026-11-10"
DIMENSIONS = ("clarity", "appreciation", "dialogue", "customer_focus", "empowerment")

UNITS = """\
organisation: Score AG
units:
  - id: board
    name: Board
    level: 0
  - id: sales
    name: Sales
  - id: service
    name: Service
  - id: it
    name: IT
people:
  - id: anna
    name: Anna
    unit: board
"""

HEADER = "touchpoint,dimension,score,date,unit,respondent\n"


def tp(
    ident: str,
    frm: str = "sales",
    to: str = "service",
    *,
    cadence: str | None = None,
    ratings: tuple[tuple[str, int, dict[str, float]], ...] = (),
    extra: str = "",
) -> str:
    """One touchpoint as a YAML list item; ratings are (date, n, scores)."""
    lines = [
        f"  - id: {ident}",
        f"    name: Touchpoint {ident}",
        f"    from: {frm}",
        f"    to: {to}",
    ]
    if cadence:
        lines.append(f"    cadence: {cadence}")
    if ratings:
        lines.append("    ratings:")
        for date, n, scores in ratings:
            inner = ", ".join(f"{d}: {v}" for d, v in scores.items())
            lines.append(f"      - {{date: {date}, n: {n}, scores: {{{inner}}}}}")
    if extra:
        lines.append(textwrap.indent(textwrap.dedent(extra).rstrip(), "    "))
    return "\n".join(lines) + "\n"


def rows(
    touchpoint: str,
    dimension: str,
    date: str,
    values: list[float] | tuple[float, ...],
    who: list[str] | str | None = None,
    unit: str = "",
) -> str:
    """CSV rows: one answer per value; `who` is a list of respondent ids, or a prefix
    ("r" -> r1, r2, ...), or None for rows without a respondent id."""
    if isinstance(who, str):
        who = [f"{who}{i}" for i in range(1, len(values) + 1)]
    ids = who if who is not None else [""] * len(values)
    return "".join(
        f"{touchpoint},{dimension},{v},{date},{unit},{r}\n"
        for v, r in zip(values, ids, strict=True)
    )


def score(
    tmp_path: Path,
    touchpoints: str,
    responses: str | None = None,
    *,
    as_of: dt.date = AS_OF,
    scoring: str = "",
    audit: str = "",
    journeys: str | None = None,
    config: str = UNITS,
) -> Scores:
    """Write the project, load it (no finding allowed: a broken fixture must not pass
    silently), compute the scores and check no response row was rejected."""
    text = config
    if scoring:
        text += "scoring:\n" + textwrap.indent(textwrap.dedent(scoring), "  ")
    if audit:
        text += "audit:\n" + textwrap.indent(textwrap.dedent(audit), "  ")
    files: dict[str, str | bytes] = {
        "tpm.yaml": text,
        "touchpoints/t.yaml": "touchpoints:\n" + touchpoints,
    }
    if journeys is not None:
        files["journeys/j.yaml"] = journeys
    if responses is not None:
        lines = responses.splitlines(keepends=True)
        if lines and all(line.rstrip("\n").endswith(",") for line in lines):
            # no row names a respondent: a file without the column (in a file with it, a row
            # without an id is a finding and does not count: docs/privacy.md, rule 1)
            files["responses/r.csv"] = HEADER.replace(",respondent", "") + "".join(
                line.rstrip("\n")[:-1] + "\n" for line in lines
            )
        else:
            files["responses/r.csv"] = HEADER + responses
    root = make_project(tmp_path, files)
    project = load(root, cwd=root, rules=RULES)
    assert [f.message for f in project.findings if f.code < "TPM007"] == []
    result = compute(project, OrgGraph(project), as_of)
    assert [f.message for f in result.findings] == []
    return result


def scored(result: Scores, ident: str) -> Any:
    return result.touchpoints[ident]


# -- touchpoint score: dimensions and weights ----------------------------------------------


def test_equal_weights_average_the_dimension_scores(tmp_path: Path) -> None:
    answers = rows("t", "clarity", NEWEST, [4, 5, 3, 4, 4], "r") + rows(
        "t", "appreciation", NEWEST, [3, 3, 2, 4, 3], "r"
    )
    t = scored(score(tmp_path, tp("t"), answers), "t")
    # clarity mean (4+5+3+4+4)/5 = 4.0 -> (4-1)/(5-1)*100 = 75.0
    assert t.dimensions["clarity"] == pytest.approx(75.0)
    # appreciation mean (3+3+2+4+3)/5 = 3.0 -> (3-1)/4*100 = 50.0
    assert t.dimensions["appreciation"] == pytest.approx(50.0)
    # the three dimensions nobody answered are left out, not counted as zero
    assert t.dimensions["dialogue"] is None
    assert t.dimensions["customer_focus"] is None
    assert t.dimensions["empowerment"] is None
    # (75 + 50) / 2 = 62.5 -> fair (50 <= 62.5 < 70)
    assert t.score == pytest.approx(62.5)
    assert t.band == "fair"
    assert (t.n, t.source, t.newest) == (5, "responses", dt.date(2026, 11, 10))


def test_unequal_weights_are_a_weighted_mean(tmp_path: Path) -> None:
    scoring = """\
    dimensions:
      clarity: {weight: 3}
      dialogue: {weight: 1, label: Two-way dialogue}
      unused: {weight: 5}
    """
    answers = rows("t", "clarity", NEWEST, [4, 4, 4, 4, 4], "r") + rows(
        "t", "dialogue", NEWEST, [3, 3, 3, 3, 3], "r"
    )
    t = scored(score(tmp_path, tp("t"), answers, scoring=scoring), "t")
    # the user's list replaces the five defaults
    assert list(t.dimensions) == ["clarity", "dialogue", "unused"]
    # clarity 4.0 -> 75.0 (weight 3); dialogue 3.0 -> 50.0 (weight 1); unused: no answers,
    # so its weight 5 is left out too: (3*75 + 1*50) / (3+1) = 275/4 = 68.75 -> fair
    assert t.score == pytest.approx(68.75)
    assert t.band == "fair"


def test_a_weight_of_zero_shows_the_dimension_but_does_not_count(tmp_path: Path) -> None:
    scoring = """\
    dimensions:
      clarity: {weight: 1}
      dialogue: {weight: 0}
    """
    answers = rows("t", "clarity", NEWEST, [5] * 5, "r") + rows(
        "t", "dialogue", NEWEST, [1] * 5, "r"
    )
    t = scored(score(tmp_path, tp("t"), answers, scoring=scoring), "t")
    # clarity 5 -> 100 (weight 1), dialogue 1 -> 0 (weight 0): (1*100 + 0*0) / 1 = 100
    assert t.dimensions == {"clarity": pytest.approx(100.0), "dialogue": pytest.approx(0.0)}
    assert t.score == pytest.approx(100.0)


def test_an_inline_rating_with_some_dimensions_uses_only_those(tmp_path: Path) -> None:
    ratings = (("2026-11-01", 12, {"clarity": 4.2, "dialogue": 2.6}),)
    t = scored(score(tmp_path, tp("t", ratings=ratings)), "t")
    # clarity (4.2-1)/4*100 = 80.0; dialogue (2.6-1)/4*100 = 40.0; (80+40)/2 = 60.0
    assert t.dimensions["clarity"] == pytest.approx(80.0)
    assert t.dimensions["dialogue"] == pytest.approx(40.0)
    assert t.dimensions["appreciation"] is None
    assert t.score == pytest.approx(60.0)
    assert (t.n, t.source, t.newest) == (12, "ratings", dt.date(2026, 11, 1))


def test_an_off_scale_rating_value_is_left_out(tmp_path: Path) -> None:
    """Reading: a rating value off the scale is a TPM002 finding, and like a bad response row
    it does not count; otherwise clarity 7 on [1, 5] would give (7-1)/4*100 = 150, outside
    the 0-100 of a touchpoint score."""
    ratings = (("2026-11-01", 10, {"clarity": 7, "dialogue": 4.0}),)
    files: dict[str, str | bytes] = {
        "tpm.yaml": UNITS,
        "touchpoints/t.yaml": "touchpoints:\n" + tp("t", ratings=ratings),
    }
    root = make_project(tmp_path, files)
    project = load(root, cwd=root, rules=RULES)
    assert [f.code for f in project.findings] == ["TPM002"]
    t = compute(project, OrgGraph(project), AS_OF).touchpoints["t"]
    # dialogue 4.0 -> 75.0 is the only dimension; clarity is left out
    assert t.dimensions["clarity"] is None
    assert t.score == pytest.approx(75.0)


def test_a_dimension_below_the_threshold_is_left_out_of_a_shown_touchpoint(
    tmp_path: Path,
) -> None:
    # six respondents answer clarity, only three of them answer dialogue
    answers = rows("t", "clarity", NEWEST, [5, 5, 4, 4, 3, 3], "r") + rows(
        "t", "dialogue", NEWEST, [1, 1, 1], ["r1", "r2", "r3"]
    )
    result = score(tmp_path, tp("t"), answers)
    t = scored(result, "t")
    # n = 6 distinct respondents >= 5: the touchpoint is shown
    assert t.n == 6
    # clarity (5+5+4+4+3+3)/6 = 4.0 -> 75.0; dialogue has 3 answers < 5: left out (not 0)
    assert t.dimensions["dialogue"] is None
    assert t.score == pytest.approx(75.0)
    detail = {d.dimension: d for d in t.details}
    # its n of 3 is not given either (docs/privacy.md, rule 2: no exact n below k)
    assert (detail["dialogue"].n, detail["dialogue"].mean, detail["dialogue"].score) == (
        None,
        None,
        None,
    )
    assert detail["clarity"].n == 6
    assert detail["clarity"].mean == pytest.approx(4.0)


def test_a_dimension_answered_by_few_respondents_in_two_waves_stays_hidden(
    tmp_path: Path,
) -> None:
    """Reading: with respondent ids on every row, a dimension needs min_responses distinct
    respondents, not min_responses answers (privacy: no mean computed from fewer than
    min_responses respondents is ever shown). Two pulse waves 30 days apart both lie in the
    56-day window, so three people answering twice give six answers."""
    answers = (
        rows("t", "appreciation", NEWEST, [4, 4, 4, 4, 4], "r")
        + rows("t", "clarity", "2026-10-11", [1, 2, 1], ["r1", "r2", "r3"])
        + rows("t", "clarity", NEWEST, [1, 1, 2], ["r1", "r2", "r3"])
    )
    t = scored(score(tmp_path, tp("t"), answers), "t")
    assert t.n == 5  # r1..r5
    # clarity: 6 answers but only 3 respondents (r1, r2, r3) < 5 -> hidden, left out
    assert t.dimensions["clarity"] is None
    clarity = next(d for d in t.details if d.dimension == "clarity")
    assert clarity.mean is None and clarity.score is None
    # appreciation 4.0 -> 75.0 is the only dimension used
    assert t.score == pytest.approx(75.0)


def test_each_person_counts_once_in_the_newest_wave(tmp_path: Path) -> None:
    """docs/scoring.md (waves) and docs/privacy.md (rule 1): a touchpoint is scored from its
    newest wave, and a person's repeated answers to one question in a wave count once (the
    newest). (Before waves, both answers of a respondent counted in the mean.)"""
    answers = rows("t", "clarity", "2026-10-11", [1, 1, 1, 1, 1], "r") + rows(
        "t", "clarity", NEWEST, [5, 5, 5, 5, 5], "r"
    )
    t = scored(score(tmp_path, tp("t"), answers), "t")
    # 2026-10-11 and 2026-11-10 are 30 days apart (> 14): two waves; the newest has the 5s
    assert (t.n, t.score) == (5, pytest.approx(100.0))
    # within one wave (2026-11-08 and 2026-11-10): each person's newest answer, the 5
    answers = rows("t", "clarity", "2026-11-08", [1, 1, 1, 1, 1], "r") + rows(
        "t", "clarity", NEWEST, [5, 5, 5, 5, 5], "r"
    )
    t = scored(score(tmp_path / "b", tp("t"), answers), "t")
    assert (t.n, t.score) == (5, pytest.approx(100.0))
    assert t.wave is not None and (t.wave.first, t.wave.last) == (
        dt.date(2026, 11, 8),
        dt.date(2026, 11, 10),
    )


def test_wave_edges(tmp_path: Path) -> None:
    """docs/scoring.md: a new wave starts after a gap of more than wave_gap_days (14) days
    without an answer. (This replaced the max_age_days window of answers.)"""
    answers = (
        rows("t", "clarity", NEWEST, [5, 5, 5, 5], ["r1", "r2", "r3", "r4"])
        + rows("t", "clarity", "2026-10-27", [1], ["r5"])  # 14 days before: the same wave
        + rows("t", "clarity", "2026-10-12", [1], ["r6"])  # 15 days before that: a wave before
    )
    t = scored(score(tmp_path, tp("t"), answers), "t")
    # r1..r5: mean (5+5+5+5+1)/5 = 21/5 = 4.2 -> (4.2-1)/4*100 = 80.0
    assert t.n == 5
    assert t.score == pytest.approx(80.0)
    assert t.wave is not None
    assert (t.wave.id, t.wave.first, t.wave.last) == (
        "2026-11-10",
        dt.date(2026, 10, 27),
        dt.date(2026, 11, 10),
    )


def test_waves_follow_wave_gap_days(tmp_path: Path) -> None:
    answers = rows("t", "clarity", NEWEST, [5] * 5, "a") + rows(
        "t", "clarity", "2026-11-03", [1] * 5, "b"
    )
    # wave_gap_days 7: a gap of 7 days keeps one wave: all ten, mean 3.0 -> 50.0
    assert scored(score(tmp_path, tp("t"), answers, scoring="wave_gap_days: 7\n"), "t").score == (
        pytest.approx(50.0)
    )
    # wave_gap_days 6: two waves; the newest holds the five 5s -> 100.0
    assert scored(
        score(tmp_path / "b", tp("t"), answers, scoring="wave_gap_days: 6\n"), "t"
    ).score == pytest.approx(100.0)


def test_a_wave_column_names_the_waves(tmp_path: Path) -> None:
    """docs/scoring.md: a `wave` column overrides the dates; the wave's date is its newest
    answer's."""
    text = UNITS + ""
    csv = "touchpoint,dimension,score,date,unit,respondent,wave\n" + "".join(
        f"t,clarity,{v},{d},,r{i},{w}\n"
        for i, (v, d, w) in enumerate(
            [(1, "2026-11-01", "autumn")] * 5 + [(5, "2026-11-02", "winter")] * 5
        )
    )
    root = make_project(
        tmp_path,
        {
            "tpm.yaml": text,
            "touchpoints/t.yaml": "touchpoints:\n" + tp("t"),
            "responses/r.csv": csv,
        },
    )
    project = load(root, cwd=root)
    t = compute(project, OrgGraph(project), AS_OF).touchpoints["t"]
    # one day apart, but two named waves: winter (2026-11-02) is the newest: 100.0
    assert t.wave is not None and (t.wave.id, t.wave.last) == ("winter", dt.date(2026, 11, 2))
    assert (t.n, t.score) == (5, pytest.approx(100.0))


def test_responses_and_ratings_after_as_of_are_ignored(tmp_path: Path) -> None:
    """docs/privacy.md, rule 5: a wave with an answer after the as-of day is still open and is
    not used at all. (Before waves, the rows up to the as-of day were used.)"""
    ratings = (("2026-11-21", 50, {"clarity": 1.0}),)  # the day after AS_OF
    answers = rows("t", "clarity", NEWEST, [5] * 5, "r") + rows(
        "t", "clarity", "2026-11-21", [1] * 5, "late"
    )
    t = scored(score(tmp_path, tp("t", ratings=ratings), answers), "t")
    # 2026-11-10 and 2026-11-21 are one wave, open on AS_OF: no source; the rating is later too
    assert (t.score, t.n, t.source, t.newest) == (None, 0, "none", None)
    # on the day itself the wave is complete: rating and responses tie -> responses; the wave
    # holds all ten people: mean 3.0 -> 50.0, n = 10
    later = scored(
        score(tmp_path / "b", tp("t", ratings=ratings), answers, as_of=dt.date(2026, 11, 21)),
        "t",
    )
    assert (later.score, later.n, later.source) == (pytest.approx(50.0), 10, "responses")
    # a later wave (15 days on) leaves the older one complete: it is used
    answers = rows("t", "clarity", NEWEST, [5] * 5, "r") + rows(
        "t", "clarity", "2026-11-25", [1] * 5, "late"
    )
    t = scored(score(tmp_path / "c", tp("t"), answers), "t")
    assert (t.score, t.n, t.newest) == (pytest.approx(100.0), 5, dt.date(2026, 11, 10))


def test_a_rating_after_as_of_leaves_the_older_one(tmp_path: Path) -> None:
    ratings = (
        ("2026-10-01", 8, {"clarity": 4.0}),
        ("2026-12-01", 8, {"clarity": 1.0}),  # after AS_OF: ignored
    )
    t = scored(score(tmp_path, tp("t", ratings=ratings)), "t")
    assert (t.score, t.newest) == (pytest.approx(75.0), dt.date(2026, 10, 1))


# -- the source ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rating_date", "source", "expected"),
    [
        ("2026-11-01", "responses", 100.0),  # older rating: the responses are newer
        ("2026-11-15", "ratings", 25.0),  # newer rating wins
        ("2026-11-10", "responses", 100.0),  # same day: responses win the tie
    ],
)
def test_inline_rating_against_responses(
    tmp_path: Path, rating_date: str, source: str, expected: float
) -> None:
    ratings = ((rating_date, 20, {"clarity": 2.0}),)  # (2-1)/4*100 = 25.0
    answers = rows("t", "clarity", NEWEST, [5] * 5, "r")  # 5 -> 100.0
    t = scored(score(tmp_path, tp("t", ratings=ratings), answers), "t")
    assert t.source == source
    assert t.score == pytest.approx(expected)
    assert t.n == (20 if source == "ratings" else 5)
    assert t.newest == dt.date.fromisoformat(rating_date if source == "ratings" else NEWEST)


def test_the_newest_of_several_inline_ratings_wins_in_any_order(tmp_path: Path) -> None:
    ratings = (
        ("2026-10-01", 9, {"clarity": 2.0}),
        ("2026-11-01", 7, {"clarity": 4.0}),  # the newest: (4-1)/4*100 = 75.0
        ("2026-09-01", 30, {"clarity": 5.0}),
    )
    t = scored(score(tmp_path, tp("t", ratings=ratings)), "t")
    assert (t.score, t.n, t.newest) == (pytest.approx(75.0), 7, dt.date(2026, 11, 1))


def test_of_two_ratings_on_the_same_day_the_later_entry_wins(tmp_path: Path) -> None:
    """Reading: docs/scoring.md takes "its newest inline rating"; two entries of one day are
    told apart by their order, and the later one (a correction appended below) wins."""
    ratings = (
        ("2026-11-01", 10, {"clarity": 2.0}),
        ("2026-11-01", 10, {"clarity": 4.0}),  # later in the file: (4-1)/4*100 = 75.0
    )
    t = scored(score(tmp_path, tp("t", ratings=ratings)), "t")
    assert t.score == pytest.approx(75.0)


def test_no_fallback_to_an_older_source_below_the_threshold(tmp_path: Path) -> None:
    # an older rating with plenty of respondents, newer responses from only 4
    ratings = (("2026-10-01", 40, {"clarity": 4.0}),)
    answers = rows("t", "clarity", NEWEST, [5, 5, 5, 5], "r")
    t = scored(score(tmp_path, tp("t", ratings=ratings), answers), "t")
    # n is not given below k (docs/privacy.md, rule 2)
    assert (t.source, t.n, t.score, t.band) == ("responses", None, None, None)
    assert t.hidden == "fewer than 5 people"
    assert set(t.dimensions.values()) == {None}
    # and the other way round: older responses with enough, a newer rating with n 3
    ratings = (("2026-11-15", 3, {"clarity": 4.0}),)
    answers = rows("t", "clarity", NEWEST, [5] * 8, "r")
    t = scored(score(tmp_path / "b", tp("t", ratings=ratings), answers), "t")
    assert (t.source, t.n, t.score, t.band) == ("ratings", None, None, None)
    assert set(t.dimensions.values()) == {None}


def test_an_unrated_touchpoint(tmp_path: Path) -> None:
    t = scored(score(tmp_path, tp("t", cadence="monthly")), "t")
    assert (t.score, t.band, t.n, t.newest, t.source, t.fresh) == (
        None,
        None,
        0,
        None,
        "none",
        None,
    )
    assert t.freshness_days == 56  # max(56, monthly = 30)


# -- n -------------------------------------------------------------------------------------


def test_n_counts_distinct_respondents_when_every_row_has_one(tmp_path: Path) -> None:
    # 5 respondents answer 3 dimensions each: 15 rows, n = 5
    answers = "".join(rows("t", d, NEWEST, [4] * 5, "r") for d in DIMENSIONS[:3])
    assert scored(score(tmp_path, tp("t"), answers), "t").n == 5


def test_n_without_respondent_ids_is_the_most_answers_to_one_dimension(tmp_path: Path) -> None:
    answers = rows("t", "clarity", NEWEST, [4] * 6) + rows("t", "dialogue", NEWEST, [2] * 4)
    t = scored(score(tmp_path, tp("t"), answers), "t")
    # max(6 clarity answers, 4 dialogue answers) = 6; dialogue (4 < 5) is left out
    assert t.n == 6
    assert t.dimensions["dialogue"] is None
    assert t.score == pytest.approx(75.0)  # clarity 4 -> 75


def test_a_row_without_an_id_does_not_count(tmp_path: Path) -> None:
    """docs/privacy.md, rule 1: in a file with a respondent column, a row without an id is a
    TPM002 finding and does not count. (Before, it made n the most answers to a dimension.)"""
    answers = (
        rows("t", "clarity", "2026-11-01", [4, 4, 4], ["r1", "r2", "r3"])
        + rows("t", "clarity", NEWEST, [4, 4, 4], ["r1", "r2", "r3"])
        + rows("t", "clarity", NEWEST, [4, 4])
    )
    root = make_project(
        tmp_path,
        {
            "tpm.yaml": UNITS,
            "touchpoints/t.yaml": "touchpoints:\n" + tp("t"),
            "responses/r.csv": HEADER + answers,
        },
    )
    project = load(root, cwd=root)
    result = compute(project, OrgGraph(project), AS_OF)
    assert [(f.code, f.line) for f in result.findings] == [("TPM002", 8), ("TPM002", 9)]
    assert all("respondent" in f.message for f in result.findings)
    # 3 people (each counted once), not 8 rows: hidden
    t = result.touchpoints["t"]
    assert (t.n, t.score, t.hidden) == (None, None, "fewer than 5 people")


@pytest.mark.parametrize(("respondents", "shown"), [(4, False), (5, True)])
def test_min_responses_boundary(tmp_path: Path, respondents: int, shown: bool) -> None:
    answers = rows("t", "clarity", NEWEST, [4] * respondents, "r", unit="service") + rows(
        "t", "dialogue", NEWEST, [2] * respondents, "r", unit="service"
    )
    journeys = """\
    journeys:
      - id: j
        name: J
        owner: anna
        steps:
          - touchpoint: t
    """
    result = score(tmp_path, tp("t"), answers, journeys=journeys)
    t = scored(result, "t")
    assert t.n == (respondents if shown else None)  # no exact n below k (docs/privacy.md, 2)
    journey = result.journeys["j"]
    service = result.units["service"]
    if shown:
        # clarity 4 -> 75, dialogue 2 -> 25: (75+25)/2 = 50.0 -> fair (exactly poor is fair)
        assert t.score == pytest.approx(50.0)
        assert t.band == "fair"
        assert journey.score == pytest.approx(50.0)
        assert journey.coverage == 1.0
        assert service.score == pytest.approx(50.0)
        assert service.own_score == pytest.approx(50.0)
        assert result.index.components["quality"] == pytest.approx(50.0)
    else:
        assert (t.score, t.band) == (None, None)
        assert set(t.dimensions.values()) == {None}
        assert all(d.mean is None and d.score is None for d in t.details)
        assert (journey.score, journey.band, journey.coverage, journey.weakest) == (
            None,
            None,
            0.0,
            None,
        )
        assert (service.score, service.own_score, service.own_n) == (None, None, None)
        assert result.index.components["quality"] is None
        # no touchpoint has a score: freshness has no data (not 0 of 1)
        assert result.index.components["freshness"] is None


def test_a_configured_min_responses(tmp_path: Path) -> None:
    answers = rows("t", "clarity", NEWEST, [4] * 6, "r")
    hidden = scored(score(tmp_path, tp("t"), answers, scoring="min_responses: 7\n"), "t")
    assert (hidden.n, hidden.score) == (None, None)  # docs/privacy.md, rule 2
    answers = rows("t", "clarity", NEWEST, [4] * 7, "r")
    shown = scored(score(tmp_path / "b", tp("t"), answers, scoring="min_responses: 7\n"), "t")
    assert (shown.n, shown.score) == (7, pytest.approx(75.0))
    # an inline rating: n 6 < 7 hides it, n 7 shows it
    ratings = (("2026-11-01", 6, {"clarity": 4.0}),)
    t = scored(score(tmp_path / "c", tp("t", ratings=ratings), scoring="min_responses: 7\n"), "t")
    assert (t.n, t.score, t.hidden) == (None, None, "fewer than 7 people")


# -- bands ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "expected", "band"),
    [
        ([4, 4, 4, 4, 3], 70.0, "good"),  # mean 19/5 = 3.8 -> (3.8-1)/4*100 = 70.0 = good
        ([4, 4, 4, 3, 3], 65.0, "fair"),  # 18/5 = 3.6 -> 65.0
        ([3, 3, 3, 3, 3], 50.0, "fair"),  # 3.0 -> 50.0 = poor threshold: fair, not poor
        ([3, 3, 3, 3, 2], 45.0, "poor"),  # 14/5 = 2.8 -> 45.0
        # decimal answers: twelve 3.8s average 3.8 -> 70.0, good (summed in floats they give
        # 45.599999999999994 / 12 = 3.7999999999999994: the band must not see that)
        ([3.8] * 12, 70.0, "good"),
    ],
)
def test_bands_at_the_exact_thresholds(
    tmp_path: Path, values: list[float], expected: float, band: str
) -> None:
    t = scored(score(tmp_path, tp("t"), rows("t", "clarity", NEWEST, values, "r")), "t")
    assert t.score == pytest.approx(expected)
    assert t.band == band


@pytest.mark.parametrize("n", [5, 6, 9, 12, 24, 41])
def test_an_inline_rating_at_the_good_threshold_is_good(tmp_path: Path, n: int) -> None:
    """A rating of 3.8 on every dimension is exactly (3.8-1)/4*100 = 70 = good. With some n
    (6, 9, 12, ...) computing the mean as 3.8*n/n gives 3.7999999999999994, i.e. 69.99999999999999:
    the band must not depend on such float noise."""
    ratings = (("2026-11-01", n, dict.fromkeys(DIMENSIONS, 3.8)),)
    t = scored(score(tmp_path, tp("t", ratings=ratings)), "t")
    assert t.score == 70.0
    assert t.band == "good"


def test_custom_thresholds(tmp_path: Path) -> None:
    scoring = "thresholds: {good: 75, poor: 25}\n"
    answers = rows("a", "clarity", NEWEST, [4] * 5, "r") + rows(
        "b", "clarity", NEWEST, [2] * 5, "r"
    )
    result = score(tmp_path, tp("a") + tp("b"), answers, scoring=scoring)
    # a: 4 -> 75.0 = good threshold -> good; b: 2 -> 25.0 = poor threshold -> fair
    assert (result.touchpoints["a"].band, result.touchpoints["b"].band) == ("good", "fair")


# -- eNPS ----------------------------------------------------------------------------------


def enps_rows(
    date: str, scores: list[int], who: list[str] | str | None = None, unit: str = ""
) -> str:
    return rows("", "enps", date, scores, who, unit)


def test_enps_edges_six_seven_eight_nine(tmp_path: Path) -> None:
    answers = enps_rows(NEWEST, [0, 6, 6, 7, 8, 8, 9, 9, 10, 10], "r")
    e = score(tmp_path, tp("t"), answers).enps
    # promoters (9-10): 9, 9, 10, 10 = 4 of 10 = 40 %; detractors (0-6): 0, 6, 6 = 30 %;
    # 7, 8, 8 are passives; eNPS = 40 - 30 = +10
    assert e.n == 10
    assert e.promoters == pytest.approx(40.0)
    assert e.detractors == pytest.approx(30.0)
    assert e.value == pytest.approx(10.0)


@pytest.mark.parametrize(
    ("scores", "value"),
    [([9, 9, 10, 9, 10], 100.0), ([6, 0, 5, 6, 3], -100.0), ([7, 8, 7, 8, 8], 0.0)],
)
def test_enps_extremes(tmp_path: Path, scores: list[int], value: float) -> None:
    e = score(tmp_path, tp("t"), enps_rows(NEWEST, scores, "r")).enps
    assert e.value == pytest.approx(value)


def test_enps_a_respondent_in_two_waves_counts_once_with_the_newest_answer(
    tmp_path: Path,
) -> None:
    answers = enps_rows("2026-10-01", [0, 0], ["r1", "r2"]) + enps_rows(
        NEWEST, [10, 9, 9, 7, 7], "r"
    )
    e = score(tmp_path, tp("t"), answers).enps
    # r1 and r2 answered 0 on 2026-10-01 and 10 / 9 on 2026-11-10: their newest counts.
    # 5 respondents: promoters 10, 9, 9 = 60 %, detractors 0 %: +60
    assert e.n == 5
    assert (e.value, e.promoters, e.detractors) == (
        pytest.approx(60.0),
        pytest.approx(60.0),
        pytest.approx(0.0),
    )


def test_enps_without_respondent_ids_counts_every_row(tmp_path: Path) -> None:
    e = score(tmp_path, tp("t"), enps_rows("2026-11-05", [0, 0]) + enps_rows(NEWEST, [10] * 3)).enps
    # one wave (5 days apart); 5 rows, 5 respondents: promoters 3/5 = 60 %, detractors 40 %: +20
    assert (e.n, e.value) == (5, pytest.approx(20.0))


def test_enps_wave_and_as_of(tmp_path: Path) -> None:
    """eNPS comes from the newest complete wave that has eNPS answers (docs/scoring.md).
    (Before waves, from a max_age_days window ending at the newest answer.)"""
    answers = (
        enps_rows(NEWEST, [10, 10, 10, 10, 10], "a")
        + enps_rows("2026-10-27", [0], ["b1"])  # 14 days before: the same wave
        + enps_rows("2026-10-12", [0], ["b2"])  # 15 days before that: an older wave
        + enps_rows("2026-12-05", [0] * 5, "c")  # a later wave, open on AS_OF: not used
    )
    e = score(tmp_path, tp("t"), answers).enps
    # 6 respondents: promoters 5/6, detractors 1/6: (5 - 1)/6*100 = 66.67
    assert e.n == 6
    assert e.value == pytest.approx(400 / 6)


def test_enps_below_min_responses_is_hidden(tmp_path: Path) -> None:
    e = score(tmp_path, tp("t"), enps_rows(NEWEST, [10, 10, 0, 0], "r")).enps
    assert (e.value, e.n, e.promoters, e.detractors) == (None, None, None, None)
    assert e.hidden == "fewer than 5 people"


def test_enps_per_unit(tmp_path: Path) -> None:
    """Units and silos take the organisation's eNPS wave (docs/scoring.md), and a unit is
    hidden to protect a smaller one (docs/privacy.md, rule 3). (Before, each unit had its own
    window, and sales was shown beside the organisation although the 4 of service were the
    difference.)"""
    answers = (
        enps_rows(NEWEST, [9, 9, 9, 6, 7], "s", unit="sales")
        + enps_rows(NEWEST, [10, 10, 0, 0], "v", unit="service")
        # IT answered in an earlier wave (2026-08-01): not in the newest one
        + enps_rows("2026-08-01", [0, 0, 0, 0, 10], "i", unit="it")
    )
    result = score(tmp_path, tp("t"), answers)
    sales, service = (result.enps_units[u] for u in ("sales", "service"))
    # service: 4 respondents < 5: hidden, and so is its n
    assert (service.n, service.value, service.hidden) == (None, None, "fewer than 5 people")
    # organisation: 9 respondents; promoters 9, 9, 9, 10, 10 = 5, detractors 6, 0, 0 = 3
    assert result.enps.n == 9
    assert result.enps.value == pytest.approx(200 / 9)
    # sales (5) beside the organisation (9) would give away service's 4: hidden too, in both
    # its silo and its unit row
    assert (sales.n, sales.value, sales.hidden) == (None, None, "hidden to protect a smaller group")
    assert result.enps_silos["sales"].hidden == "hidden to protect a smaller group"
    assert "it" not in result.enps_units  # no answers in the wave, no entry
    assert "board" not in result.enps_units


def test_enps_per_unit_shown_when_nothing_can_be_subtracted(tmp_path: Path) -> None:
    answers = enps_rows(NEWEST, [9, 9, 9, 6, 7], "s", unit="sales") + enps_rows(
        NEWEST, [10, 10, 0, 0, 8], "v", unit="service"
    )
    result = score(tmp_path, tp("t"), answers)
    sales = result.enps_units["sales"]
    # sales: promoters 3/5 = 60 %, detractors 1/5 = 20 %: +40
    assert (sales.n, sales.value, sales.promoters, sales.detractors) == (
        5,
        pytest.approx(40.0),
        pytest.approx(60.0),
        pytest.approx(20.0),
    )
    # service: promoters 2/5, detractors 2/5: 0; organisation: (5 - 3) / 10 = +20
    assert (result.enps_units["service"].value, result.enps.value) == (
        pytest.approx(0.0),
        pytest.approx(20.0),
    )


# -- journeys ------------------------------------------------------------------------------


JOURNEY = """\
journeys:
  - id: j
    name: Journey j
    owner: anna
    steps:
      - touchpoint: a
      - touchpoint: b
        critical: true
      - touchpoint: c
      - touchpoint: d
        critical: true
"""


def test_journey_score_weights_critical_steps_double(tmp_path: Path) -> None:
    touchpoints = (
        tp("a", ratings=(("2026-11-01", 10, {"clarity": 4.0}),))  # 75.0
        + tp("b", ratings=(("2026-11-01", 10, {"clarity": 3.0}),))  # 50.0, critical
        + tp("c")  # unrated
        + tp("d", ratings=(("2026-11-01", 4, {"clarity": 1.0}),))  # hidden (n 4), critical
    )
    j = score(tmp_path, touchpoints, journeys=JOURNEY).journeys["j"]
    # (75*1 + 50*2) / (1+2) = 175/3 = 58.33; c and d are not scored and weigh nothing
    assert j.score == pytest.approx(175 / 3)
    assert j.band == "fair"
    # coverage: 2 scored steps of 4
    assert j.coverage == pytest.approx(0.5)
    assert j.weakest == "b"


def test_journey_without_scored_steps(tmp_path: Path) -> None:
    touchpoints = tp("a") + tp("b") + tp("c") + tp("d")
    j = score(tmp_path, touchpoints, journeys=JOURNEY).journeys["j"]
    assert (j.score, j.band, j.coverage, j.weakest) == (None, None, 0.0, None)


def test_journey_critical_weight_changes_the_score(tmp_path: Path) -> None:
    touchpoints = (
        tp("a", ratings=(("2026-11-01", 10, {"clarity": 5.0}),))  # 100
        + tp("b", ratings=(("2026-11-01", 10, {"clarity": 2.0}),))  # 25, critical
        + tp("c", ratings=(("2026-11-01", 10, {"clarity": 4.0}),))  # 75
        + tp("d", ratings=(("2026-11-01", 10, {"clarity": 1.0}),))  # 0, critical
    )
    j = score(tmp_path, touchpoints, journeys=JOURNEY).journeys["j"]
    # (100 + 2*25 + 75 + 2*0) / (1+2+1+2) = 225/6 = 37.5 -> poor (unweighted: 50.0, fair)
    assert j.score == pytest.approx(37.5)
    assert j.band == "poor"
    assert j.coverage == 1.0
    assert j.weakest == "d"


# -- units ---------------------------------------------------------------------------------


def test_unit_score_is_the_n_weighted_mean_of_received_touchpoints(tmp_path: Path) -> None:
    touchpoints = (
        tp("s2v", "sales", "service", ratings=(("2026-11-01", 10, {"clarity": 4.0}),))  # 75, n 10
        + tp("i2v", "it", "[service, sales]", ratings=(("2026-11-01", 5, {"clarity": 3.0}),))  # 50
        + tp("news", "board", "all", ratings=(("2026-11-01", 5, {"clarity": 5.0}),))  # 100
        + tp("tiny", "it", "service", ratings=(("2026-11-01", 4, {"clarity": 1.0}),))  # hidden
        + tp("v2s", "service", "sales", ratings=(("2026-11-01", 20, {"clarity": 1.0}),))  # 0
    )
    units = score(tmp_path, touchpoints).units
    # service receives s2v (75, n 10), i2v (50, n 5), news (100, n 5; a broadcast reaches
    # everyone but its from units) and tiny (hidden: no score, no weight); it starts v2s, which
    # does not count: (75*10 + 50*5 + 100*5) / (10+5+5) = 1500/20 = 75.0, n = 20
    assert (units["service"].score, units["service"].n, units["service"].band) == (
        pytest.approx(75.0),
        20,
        "good",
    )
    # sales receives i2v (50, n 5), news (100, n 5), v2s (0, n 20):
    # (250 + 500 + 0) / 30 = 25.0
    assert (units["sales"].score, units["sales"].n) == (pytest.approx(25.0), 30)
    # the board sends the broadcast, so it does not receive it: no score
    assert (units["board"].score, units["board"].n, units["board"].band) == (None, 0, None)
    # it receives only the broadcast: 100.0
    assert (units["it"].score, units["it"].n) == (pytest.approx(100.0), 5)


def test_unit_own_score_from_its_respondents(tmp_path: Path) -> None:
    answers = (
        rows("a", "clarity", NEWEST, [5, 5, 5, 5, 5], "v", unit="service")
        + rows("b", "clarity", NEWEST, [1, 1, 1, 1, 1], "v", unit="service")
        + rows("a", "clarity", NEWEST, [3, 3, 3, 3, 3], "s", unit="sales")
        + rows("b", "clarity", NEWEST, [2, 2, 2, 2], ["s1", "s2", "s3", "s4"], unit="sales")
        + rows("b", "clarity", NEWEST, [3], ["x1"])  # no unit: belongs to no unit's own score
    )
    result = score(tmp_path, tp("a", "it", "board") + tp("b", "it", "board"), answers)
    service, sales, it = (result.units[u] for u in ("service", "sales", "it"))
    # service's respondents v1..v5 answered clarity 5 on a and 1 on b: 10 answers,
    # mean (25 + 5)/10 = 3.0 -> 50.0; own n = 5 distinct respondents
    assert (service.own_score, service.own_n) == (pytest.approx(50.0), 5)
    # sales: s1..s5 answered a (3 -> 50.0); only 4 of them answered b, a cell hidden on its
    # own, which never feeds a pooled number (docs/privacy.md, rule 4; before, it did: 38.89)
    assert sales.own_n == 5
    assert sales.own_score == pytest.approx(50.0)
    # it has no respondents
    assert (it.own_score, it.own_n) == (None, 0)
    # the received scores: neither unit receives a or b; the board does
    # a: (25 + 15) / 10 = 4.0 -> 75; b: (5 + 8 + 3)/10 = 1.6 -> 15; n 10 each -> 45.0
    assert service.score is None
    assert result.units["board"].score == pytest.approx(45.0)
    assert result.units["board"].n == 20


def test_unit_own_score_below_min_responses_is_hidden(tmp_path: Path) -> None:
    answers = rows("a", "clarity", NEWEST, [5] * 6, "x") + rows(
        "a", "clarity", NEWEST, [1, 1, 1, 1], "v", unit="service"
    )
    service = score(tmp_path, tp("a", "it", "board"), answers).units["service"]
    assert (service.own_score, service.own_n) == (None, None)  # docs/privacy.md, rule 2
    assert service.own_hidden == "fewer than 5 people"


# -- the TPM index -------------------------------------------------------------------------

INDEX_CONFIG = """\
organisation: Index AG
units:
  - id: board
    name: Board
    level: 0
  - id: sales
    name: Sales
  - id: sales-team
    name: Sales team
    parent: sales
  - id: service
    name: Service
  - id: it
    name: IT
people:
  - id: anna
    name: Anna
    unit: board
  - id: sam
    name: Sam
    unit: sales
  - id: pat
    name: Pat
    unit: service
  - id: kim
    name: Kim
    unit: service
    active: false
"""

# The graph:  sales-team -> sales -> board -> service;  it: an island (the broadcast adds no
# edge). Silos: sales (sales, sales-team), service, it.
INDEX_TOUCHPOINTS = (
    tp("up", "sales-team", "sales", ratings=(("2026-10-01", 10, {"clarity": 4.0}),))  # 75, fresh
    + tp(
        "report",
        "sales",
        "board",
        cadence="quarterly",
        ratings=(("2026-08-01", 5, {"clarity": 3.0}),),  # 50; 111 days old > 90: stale
    )
    + tp("inform", "board", "service")  # unrated
    + tp("news", "board", "all", ratings=(("2026-11-01", 30, {"clarity": 5.0}),))  # 100, fresh
)

INDEX_JOURNEYS = """\
journeys:
  - id: board-owned           # crosses sales and service; anna (level 0) covers every silo
    name: J1
    owner: anna
    steps: [{touchpoint: up}, {touchpoint: inform}]
  - id: half-covered          # crosses sales and service; sam covers only sales
    name: J2
    owner: sam
    steps: [{touchpoint: up}, {touchpoint: inform}]
  - id: co-owned              # sam + pat cover sales and service
    name: J3
    owner: sam
    co_owners: [pat]
    steps: [{touchpoint: up}, {touchpoint: inform}]
  - id: inactive-co-owner     # kim is inactive and covers nothing
    name: J4
    owner: sam
    co_owners: [kim]
    steps: [{touchpoint: up}, {touchpoint: inform}]
  - id: one-silo              # only sales (the board has no silo): sam suffices
    name: J5
    owner: sam
    steps: [{touchpoint: up}, {touchpoint: report}]
  - id: unowned
    name: J6
    steps: [{touchpoint: up}]
  - id: inactive-owner
    name: J7
    owner: kim
    steps: [{touchpoint: inform}]
"""


def index_scores(tmp_path: Path, **kwargs: Any) -> Scores:
    kwargs.setdefault("journeys", INDEX_JOURNEYS)
    return score(tmp_path, INDEX_TOUCHPOINTS, config=INDEX_CONFIG, **kwargs)


QUALITY = (75 * 10 + 50 * 5 + 100 * 30) / (10 + 5 + 30)  # n-weighted: 4000/45 = 88.89
OWNERSHIP = 3 / 7 * 100  # board-owned, co-owned, one-silo of 7 journeys
DIALOGUE = 2 / 4 * 100  # sales (1 hop), sales-team (2 hops) of sales, sales-team, service, it
FRESHNESS = 2 / 4 * 100  # up and news of 4 touchpoints (report is stale, inform unrated)
CONNECTEDNESS = 3 / 4 * 100  # all but the island it


def test_index_components_on_a_hand_drawn_project(tmp_path: Path) -> None:
    index = index_scores(tmp_path).index
    assert index.components == {
        "quality": pytest.approx(QUALITY),
        "ownership": pytest.approx(OWNERSHIP),
        "dialogue": pytest.approx(DIALOGUE),
        "freshness": pytest.approx(FRESHNESS),
        "connectedness": pytest.approx(CONNECTEDNESS),
    }
    # (88.89 + 42.86 + 50 + 50 + 75) / 5
    assert index.value == pytest.approx(
        (QUALITY + OWNERSHIP + DIALOGUE + FRESHNESS + CONNECTEDNESS) / 5
    )


def test_index_dialogue_follows_max_feedback_hops(tmp_path: Path) -> None:
    index = index_scores(tmp_path, audit="max_feedback_hops: 1\n").index
    # only sales reaches the board in 1 hop: 1 of 4
    assert index.components["dialogue"] == pytest.approx(25.0)


def test_index_without_journeys_leaves_ownership_out(tmp_path: Path) -> None:
    index = index_scores(tmp_path, journeys=None).index
    assert index.components["ownership"] is None
    # the mean of the other four
    assert index.value == pytest.approx((QUALITY + DIALOGUE + FRESHNESS + CONNECTEDNESS) / 4)


def test_index_weights(tmp_path: Path) -> None:
    weights = (
        "index_weights: {quality: 2, ownership: 0, dialogue: 1, freshness: 1, connectedness: 0.5}\n"
    )
    index = index_scores(tmp_path, scoring=weights).index
    # ownership weighs 0: left out; (2*88.89 + 50 + 50 + 0.5*75) / (2+1+1+0.5)
    expected = (2 * QUALITY + DIALOGUE + FRESHNESS + 0.5 * CONNECTEDNESS) / 4.5
    assert index.value == pytest.approx(expected)
    # every component is still given
    assert index.components["ownership"] == pytest.approx(OWNERSHIP)


def test_index_is_null_without_any_component(tmp_path: Path) -> None:
    config = "organisation: Empty AG\nunits:\n  - id: board\n    name: Board\n    level: 0\n"
    index = score(tmp_path, tp("t", "board", "board"), config=config).index
    # no scored touchpoint, no journey, no unit below level 0: no component has data
    assert index.components == {
        "quality": None,
        "ownership": None,
        "dialogue": None,
        "freshness": None,
        "connectedness": None,
    }
    assert index.value is None


def test_without_top_management_paths_have_no_data(tmp_path: Path) -> None:
    """No level-0 unit: the audit says feedback paths and islands cannot be judged (one
    TPM021), so dialogue and connectedness are null, not 0."""
    config = "organisation: Flat AG\nunits:\n  - {id: a, name: A}\n  - {id: b, name: B}\n"
    index = score(tmp_path, tp("t", "a", "b"), config=config).index
    assert index.components["dialogue"] is None
    assert index.components["connectedness"] is None


# -- freshness -----------------------------------------------------------------------------


def test_freshness_edges(tmp_path: Path) -> None:
    touchpoints = (
        # as of 2026-11-20: 56 days before is 2026-09-25
        tp("edge", ratings=(("2026-09-25", 5, {"clarity": 4.0}),))  # 56 days: fresh
        + tp("late", ratings=(("2026-09-24", 5, {"clarity": 4.0}),))  # 57 days: stale
        + tp("yearly", cadence="yearly", ratings=(("2026-01-24", 5, {"clarity": 4.0}),))  # 300 d
        + tp("monthly", cadence="monthly", ratings=(("2026-09-24", 5, {"clarity": 4.0}),))  # 57 d
        + tp("hidden", ratings=(("2026-11-19", 4, {"clarity": 4.0}),))  # fresh but no score
        + tp("unrated")
    )
    result = score(tmp_path, touchpoints)
    fresh = {t: result.touchpoints[t].fresh for t in result.touchpoints}
    assert fresh == {
        "edge": True,
        "late": False,
        "yearly": True,  # limit max(56, 365) = 365
        "monthly": False,  # limit max(56, 30) = 56
        "hidden": True,
        "unrated": None,
    }
    assert result.touchpoints["yearly"].freshness_days == 365
    # scored and fresh: edge and yearly, of 6 touchpoints (hidden has no score)
    assert result.index.components["freshness"] == pytest.approx(2 / 6 * 100)


def test_freshness_of_responses_counts_from_the_newest_answer(tmp_path: Path) -> None:
    answers = rows("t", "clarity", "2026-09-25", [4] * 5, "r")  # 56 days before AS_OF
    t = scored(score(tmp_path, tp("t"), answers), "t")
    assert t.fresh is True
    t = scored(score(tmp_path / "b", tp("t"), answers, as_of=dt.date(2026, 11, 21)), "t")
    assert t.fresh is False
