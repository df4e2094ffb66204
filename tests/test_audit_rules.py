"""The rules of README.md, TPM010 to TPM034: each fires on its planted case and stays silent on
its near miss. Fixture projects live in tests/fixtures/audit/<family>/ and say in comments
which item plants which finding. Every audit runs as of 2026-11-25."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from audit_support import AS_OF, audit, by, line_of, load_fixture, seen
from conftest import make_project

from tpm.audit import run_audit
from tpm.graph import OrgGraph
from tpm.rules.checks import CHECKS, ENGINE_RULES
from tpm.rules.registry import GUARD_CODES, RULES
from tpm.scoring import Enps, Index, Scores, TouchpointScore

J = "journeys/journeys.yaml"
T = "touchpoints/touchpoints.yaml"
C = "tpm.yaml"


def test_every_rule_has_one_home() -> None:
    """Every rule is a guard (found while loading), the engine's TPM009, or has one check."""
    assert set(RULES) == GUARD_CODES | ENGINE_RULES | set(CHECKS)
    assert not (set(CHECKS) & (GUARD_CODES | ENGINE_RULES))


# -- ownership: TPM010 to TPM013 ---------------------------------------------------------------


def test_ownership_rules() -> None:
    result = audit("ownership", select="TPM01")
    line = lambda needle, nth=1, path=J: line_of("ownership", path, needle, nth)  # noqa: E731
    assert seen(result.findings) == {
        ("TPM010", "nobody", line("id: nobody")),
        # at the journey's owner key, not at its id
        ("TPM012", "half-owned", line("owner: sam", 1)),
        ("TPM012", "inactive-co-owner", line("owner: sam", 3)),
        ("TPM011", "inactive-co-owner", line("co_owners: [olga]")),
        ("TPM011", "inactive-owner", line("owner: olga")),
        ("TPM011", "left-behind", line("owner: olga", path=T)),
        ("TPM013", "ownerless", line("id: ownerless", path=T)),
    }


def test_ownership_messages_name_values_and_remedy() -> None:
    findings = audit("ownership", select="TPM01").findings
    unowned = by(findings, "TPM010", "nobody")
    assert unowned.message.startswith("journey 'nobody' has no owner: it crosses 2 silos")
    assert (unowned.path, unowned.column) == (J, 9)
    half = by(findings, "TPM012", "half-owned")
    assert "crosses 3 silos (service, claims and sales)" in half.message
    assert "cover only service" in half.message
    assert (
        "nobody covers claims (steps 1 'service-to-claims' and 2 'claims-to-sales') "
        "or sales (step 2 'claims-to-sales')" in half.message
    )
    assert half.column == 5  # the `owner` key
    inactive = by(findings, "TPM011", "inactive-co-owner")
    assert "co-owner 'olga' (Olga Lenz) of journey 'inactive-co-owner'" in inactive.message
    assert inactive.column == len("    co_owners: [") + 1  # at the person, inside the list
    assert by(findings, "TPM011", "left-behind").message.startswith(
        "owner 'olga' (Olga Lenz) of touchpoint 'left-behind' is inactive"
    )


def test_single_silo_journey_without_owner_says_so(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "tpm.yaml": """\
                organisation: T
                units:
                  - {id: board, name: Board, level: 0}
                  - {id: service, name: Service}
                """,
            "touchpoints/t.yaml": """\
                touchpoints:
                  - {id: t, name: T, from: service, to: board}
                """,
            "journeys/j.yaml": """\
                journeys:
                  - id: j
                    name: J
                    owner: null
                    steps: [{touchpoint: t}]
                """,
        },
    )
    (finding,) = audit(root, select="TPM010").findings
    assert finding.message == (
        "journey 'j' has no owner: name the person accountable for it from end to end "
        "(owner: PERSON-ID)"
    )


# -- usage: TPM020 -----------------------------------------------------------------------------


def test_unused_touchpoint() -> None:
    result = audit("usage", select="TPM020")
    # a journey with a schema error still uses its touchpoints (no cascade of TPM020)
    assert seen(result.findings, "TPM020") == {
        ("TPM020", "unused", line_of("usage", T, "id: unused")),
    }
    # the schema error itself passes through: loading findings always do
    assert [f.code for f in result.findings if f.code != "TPM020"] == ["TPM002"]


# -- paths: TPM021 to TPM026 -------------------------------------------------------------------


def test_path_rules() -> None:
    result = audit("paths", select="TPM021,TPM022,TPM023,TPM024,TPM025,TPM026")
    line = lambda unit: line_of("paths", C, f"id: {unit}")  # noqa: E731
    assert seen(result.findings) == {
        # the all-hands reaches isle, but a broadcast connects no one
        ("TPM021", "isle", line("isle")),
        ("TPM024", "isle", line("isle")),
        # islands never get TPM022 or TPM023
        ("TPM022", "sink", line("sink")),
        ("TPM022", "deadend", line("deadend")),
        ("TPM024", "sink", line("sink")),
        # d4 is 4 hops away; d3 exactly max_feedback_hops (3): silent
        ("TPM023", "d4", line("d4")),
        # hub cuts off two units; mid only one (one less than bottleneck_min_cut): silent
        ("TPM025", "hub", line("hub")),
        # board <-> frontline every 31 days is "monthly or more often": no TPM026
    }


def test_path_messages() -> None:
    findings = audit("paths", select="TPM02").findings
    assert "(d4 → d3 → d2 → d1 → board)" in by(findings, "TPM023", "d4").message
    assert "has 4 hops" in by(findings, "TPM023", "d4").message
    assert "the broadcast it receives connects no one" in by(findings, "TPM021", "isle").message
    assert "its touchpoints lead only to 'sink'" in by(findings, "TPM022", "deadend").message
    assert "no touchpoint leads from it to another unit" in by(findings, "TPM022", "sink").message
    one_way = by(findings, "TPM024", "sink").message
    assert one_way.startswith("unit 'sink' receives 2 touchpoints ('down' and 'dead') and 1 ")
    assert by(findings, "TPM024", "isle").message.startswith("unit 'isle' receives 1 broadcast ")
    assert "cut 2 other units off from top management: 'team-x' and 'team-y'" in (
        by(findings, "TPM025", "hub").message
    )


def test_path_settings_are_read(tmp_path: Path) -> None:
    """max_feedback_hops and bottleneck_min_cut from tpm.yaml move the thresholds."""
    config = (load_fixture("paths").root / "tpm.yaml").read_text(encoding="utf-8")
    tps = (load_fixture("paths").root / T).read_text(encoding="utf-8")
    root = make_project(
        tmp_path,
        {
            "tpm.yaml": config + "audit:\n  max_feedback_hops: 2\n  bottleneck_min_cut: 1\n",
            T: tps,
        },
    )
    findings = audit(root, select="TPM023,TPM025").findings
    assert {(f.code, f.subject) for f in findings} == {
        ("TPM023", "d4"),
        ("TPM023", "d3"),
        ("TPM025", "hub"),
        ("TPM025", "mid"),
        ("TPM025", "sink"),  # deadend hangs on sink alone
    }


def test_bottleneck_names_ten_units_and_how_many_more(tmp_path: Path) -> None:
    teams = [f"team-{i:02d}" for i in range(13)]
    units = "".join(f"  - {{id: {t}, name: {t}}}\n" for t in teams)
    tps = "".join(f"  - {{id: r{t}, name: r, from: {t}, to: hub}}\n" for t in teams)
    root = make_project(
        tmp_path,
        {
            "tpm.yaml": "organisation: T\nunits:\n  - {id: board, name: B, level: 0}\n"
            "  - {id: hub, name: Hub}\n" + units,
            "touchpoints/t.yaml": "touchpoints:\n  - {id: up, name: Up, from: hub, to: board}\n"
            + tps,
        },
    )
    (finding,) = audit(root, select="TPM025").findings
    named = ", ".join(repr(t) for t in teams[:10])
    assert f"would cut 13 other units off from top management: {named} and 3 more;" in (
        finding.message
    )


def test_leadership_far_from_customers() -> None:
    findings = audit("leadership", select="TPM026").findings
    # once, on the first level-0 unit in tpm.yaml (exec, not the first unit, back-office)
    assert seen(findings) == {("TPM026", "exec", line_of("leadership", C, "id: exec"))}
    message = findings[0].message
    assert "no level-0 unit ('exec' and 'board') has a touchpoint with a customer-facing " in (
        message
    )
    # the broadcast does not count, however often; the slower ones are named
    assert "'report' (P5W) and 'visit' (quarterly) meet the front line less often" in message
    assert "all-hands" not in message


def test_leadership_fires_when_no_unit_is_customer_facing() -> None:
    findings = audit("usage", select="TPM026").findings
    assert seen(findings, "TPM026") == {("TPM026", "board", line_of("usage", C, "id: board"))}
    assert by(findings, "TPM026", "board").message.startswith("no unit is customer-facing")


def test_no_top_management_replaces_the_path_rules() -> None:
    findings = audit("no-top", select="TPM02", ignore="TPM020").findings
    top = by(findings, "TPM021", None)
    assert (top.path, top.line, top.column) == (C, line_of("no-top", C, "units:"), 1)
    assert "top management is missing" in top.message
    # TPM024 still applies; nothing else of TPM021 to TPM026
    assert seen(findings) == {
        ("TPM021", None, top.line),
        ("TPM024", "finance", line_of("no-top", C, "id: finance")),
    }


# -- quality: TPM030 to TPM034 -----------------------------------------------------------------


def test_quality_rules_end_to_end() -> None:
    """With the scores of tpm.scoring, from the fixture's inline ratings."""
    result = audit("quality", select="TPM03")
    line = lambda needle, path=T: line_of("quality", path, needle)  # noqa: E731
    assert seen(result.findings) == {
        ("TPM030", "poor", line("id: poor")),  # borderline scores exactly 50: silent
        ("TPM031", "stale", line("id: stale")),  # yearly, rated ten months ago: silent
        ("TPM032", "unrated", line("id: unrated")),
        ("TPM032", "hidden", line("id: hidden")),
        # the critical step on 'poor'; not the same touchpoint as a normal step, not the
        # critical step at exactly 50, not the critical unrated one
        ("TPM033", "handover", line("touchpoint: poor", J)),
        ("TPM034", "never-reviewed", line("id: never-reviewed")),
        ("TPM034", "old-review", line("last_reviewed: 2025-11-24")),  # 366 days; 365: silent
    }


def test_quality_messages() -> None:
    findings = audit("quality", select="TPM03").findings
    assert by(findings, "TPM030", "poor").message.startswith(
        "touchpoint 'poor' scores 25.0 (the rating of 2026-11-01, n=10), below "
        "scoring.thresholds.poor (50)"
    )
    assert by(findings, "TPM031", "stale").message.startswith(
        "touchpoint 'stale' was last measured on 2026-04-28 (its newest rating), 211 days ago, "
        "more than its freshness limit of 56 days (scoring.max_age_days)"
    )
    assert "no ratings and no survey responses yet" in by(findings, "TPM032", "unrated").message
    hidden = by(findings, "TPM032", "hidden").message
    # the engine's reason, and no n for a hidden group (docs/privacy.md)
    assert "(the rating of 2026-11-01) is fewer than 5 people (scoring.min_responses: 5)" in hidden
    assert "n=" not in hidden
    assert "critical step 1 of journey 'handover', touchpoint 'poor', scores 25.0" in (
        by(findings, "TPM033", "handover").message
    )
    old = by(findings, "TPM034", "old-review")
    assert "last reviewed on 2025-11-24, 366 days ago" in old.message
    assert old.column == 20  # the date, not the key
    assert "(last_reviewed: 2026-11-25)" in by(findings, "TPM034", "never-reviewed").message


def test_stale_review_is_judged_against_as_of() -> None:
    """A day earlier, old-review is exactly 365 days old: silent."""
    findings = audit("quality", as_of=AS_OF - dt.timedelta(days=1), select="TPM034").findings
    assert {f.subject for f in findings} == {"never-reviewed"}


def _score(tid: str, score: float | None, **fields: object) -> TouchpointScore:
    base = TouchpointScore(
        id=tid,
        name=tid,
        score=score,
        band=None,
        n=10,
        dimensions={"clarity": score},
        newest=dt.date(2026, 11, 1),
        source="ratings",
        fresh=True,
        freshness_days=56,
    )
    return dataclasses.replace(base, **fields)  # type: ignore[arg-type]


def _scores(*touchpoints: TouchpointScore) -> Scores:
    return Scores(
        as_of=AS_OF,
        min_responses=5,
        touchpoints={t.id: t for t in touchpoints},
        journeys={},
        units={},
        enps=Enps(None, 0, None, None),
        enps_units={},
        index=Index(None, {}),
        findings=[],
    )


def _quality(scores: Scores) -> set[tuple[str, str | None]]:
    project = load_fixture("quality")
    result = run_audit(project, OrgGraph(project), scores, AS_OF, select="TPM030,TPM031,TPM033")
    return {(f.code, f.subject) for f in result.findings}


def test_quality_rules_read_the_scores() -> None:
    """TPM030, TPM031 and TPM033 read only the scores (here made by hand)."""
    assert _quality(_scores(_score("poor", 49.99), _score("borderline", 50.0))) == {
        ("TPM030", "poor"),
        ("TPM033", "handover"),
    }
    # unrated is never poor; staleness comes from the scores' freshness
    assert _quality(
        _scores(_score("poor", None), _score("stale", 80.0, fresh=False, freshness_days=60))
    ) == {("TPM031", "stale")}


def test_score_on_the_threshold_is_shown_precisely() -> None:
    project = load_fixture("quality")
    result = run_audit(
        project, OrgGraph(project), _scores(_score("poor", 49.996)), AS_OF, select="TPM030"
    )
    assert "scores 49.996 (" in result.findings[0].message  # never "50.0 ... below 50"


def test_score_rules_do_not_run_without_scores() -> None:
    result = audit("quality", scores=False)
    assert not {"TPM030", "TPM031", "TPM032", "TPM033"} & set(result.rules_run)
    assert "TPM034" in result.rules_run


def test_no_top_management_is_not_claimed_when_the_units_cannot_be_read(tmp_path: Path) -> None:
    """A broken tpm.yaml, or a board with a schema error, is the one finding that matters."""
    broken = make_project(tmp_path, {"tpm.yaml": "organisation: T\nunits: [\n"}, "broken")
    assert [f.code for f in audit(broken).findings] == ["TPM001"]
    typo = make_project(
        tmp_path,
        {
            "tpm.yaml": """\
                organisation: T
                units:
                  - {id: board, name: Board, level: top}
                  - {id: service, name: Service}
                """
        },
        "typo",
    )
    assert [f.code for f in audit(typo, select="TPM02").findings] == ["TPM002"]
