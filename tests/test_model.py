"""Models (docs/file-formats.md): ids, cadences, dates, audiences, strict booleans, x- keys,
unknown keys, suppressions, the scoring and audit sections, judged by their TPM002 messages."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from tpm.findings import Finding
from tpm.model import (
    AuditConfig,
    Journey,
    Person,
    Scoring,
    Settings,
    Touchpoint,
    Unit,
    cadence_days,
)
from tpm.rules.registry import RULES
from tpm.schema_errors import schema_findings
from tpm.yamlsource import load_string

TP = "id: t\nname: T\nfrom: a\nto: b\n"
UNIT = "id: u\nname: U\n"


def check(model: type[BaseModel], text: str) -> tuple[Any, list[Finding]]:
    """(the model, []) when `text` is valid, else (None, its TPM002 findings)."""
    source = load_string(textwrap.dedent(text), "f.yaml")
    assert source.ok and not source.findings, source.findings
    try:
        return model.model_validate(source.data), []
    except ValidationError as exc:
        findings = schema_findings(exc, model, source, (), "x")
        assert findings and all(f.code == "TPM002" for f in findings)
        return None, findings


def messages(model: type[BaseModel], text: str) -> list[str]:
    return [f.message for f in check(model, text)[1]]


def one(model: type[BaseModel], text: str) -> Finding:
    parsed, findings = check(model, text)
    assert parsed is None and len(findings) == 1, findings
    return findings[0]


def valid(model: type[BaseModel], text: str) -> Any:
    parsed, findings = check(model, text)
    assert not findings, [f.message for f in findings]
    return parsed


# -- ids ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ident", ["a", "0", "board", "service-agents", "team.north_2", "no", "a" * 64, "9-lives"]
)
def test_valid_slugs(ident: str) -> None:
    assert valid(Unit, f"id: '{ident}'\nname: U\n").id == ident


@pytest.mark.parametrize(
    "ident", ["Board", "-a", ".a", "_a", "a b", "a/b", "ä", "a" * 65, "service agents", ""]
)
def test_invalid_slugs(ident: str) -> None:
    f = one(Unit, f"id: '{ident}'\nname: U\n")
    assert f.message.startswith(f"id {ident!r} is not a valid id: use 1 to 64 lowercase letters")
    assert (f.line, f.column) == (1, 5)


def test_one_slug_pattern_for_the_models_the_loader_and_the_schemas() -> None:
    """pydantic-core, the loader (SLUG_RE) and the JSON Schemas share SLUG_PATTERN; in Python
    its `$` would let a trailing newline through, so the loader matches it whole."""
    from tpm.jsonschema import schemas
    from tpm.model import SLUG_PATTERN, SLUG_RE

    patterns = re.findall(r"'pattern': '([^']*)'", str(schemas()))
    assert SLUG_PATTERN in patterns
    assert SLUG_RE.fullmatch("board") and not SLUG_RE.fullmatch("board\n")
    f = one(Unit, 'id: "board\\n"\nname: U\n')
    assert f.message.startswith("id 'board\\n' is not a valid id")


def test_all_is_reserved() -> None:
    f = one(Unit, "id: all\nname: U\n")
    assert f.message == "id 'all' is reserved (it means every unit) and cannot be an id"
    for model, text in (
        (Person, "id: all\nname: P\nunit: u\n"),
        (Touchpoint, "id: all\nname: T\nfrom: a\nto: b\n"),
        (Journey, "id: all\nname: J\nsteps: [{touchpoint: t}]\n"),
    ):
        assert "reserved" in one(model, text).message


def test_an_id_must_be_text() -> None:
    f = one(Unit, "id: 12\nname: U\n")
    assert f.message == "id should be text, not 12"


def test_references_must_be_slugs() -> None:
    f = one(Unit, "id: u\nname: U\nparent: Service\n")
    assert f.message.startswith("parent 'Service' is not a valid id")
    assert (f.line, f.column) == (3, 9)


# -- cadences -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cadence", "days"),
    [
        ("once", None),
        ("daily", 1),
        ("weekly", 7),
        ("biweekly", 14),
        ("monthly", 30),
        ("quarterly", 91),
        ("yearly", 365),
        ("on-demand", None),
        ("P1D", 1),
        ("P8W", 56),
        ("P2M", 60),
        ("P1Y", 365),
    ],
)
def test_cadences(cadence: str, days: int | None) -> None:
    assert valid(Touchpoint, TP + f"cadence: {cadence}\n").cadence == cadence
    assert cadence_days(cadence) == days


def test_no_cadence() -> None:
    assert valid(Touchpoint, TP).cadence is None
    assert cadence_days(None) is None


@pytest.mark.parametrize(
    "cadence",
    [
        "every other week",
        "P0W",
        "P2X",
        "p2w",
        "P2",
        "PW",
        "P1W2D",
        "P-1W",
        "P1.5W",
        "Weekly",
        "PT1H",
    ],
)
def test_bad_cadences_have_the_spec_message(cadence: str) -> None:
    f = one(Touchpoint, TP + f"cadence: {cadence}\n")
    assert f.message == (
        f"cadence {cadence!r} is not a cadence: use one of once, daily, weekly, biweekly, "
        "monthly, quarterly, yearly, on-demand or an ISO duration such as P2W"
    )
    assert (f.line, f.column) == (5, 10)


def test_a_number_is_not_a_cadence() -> None:
    f = one(Touchpoint, TP + "cadence: 7\n")
    assert f.message == "cadence should be text, not 7"


# -- dates ----------------------------------------------------------------------------------


def test_a_date_is_read_from_text() -> None:
    tp = valid(Touchpoint, TP + "last_reviewed: 2026-09-01\n")
    assert tp.last_reviewed == dt.date(2026, 9, 1)


@pytest.mark.parametrize("text", ["2026-02-30", "2026-13-01", "2025-02-29", "2026-00-10"])
def test_an_impossible_date_is_a_finding(text: str) -> None:
    f = one(Touchpoint, TP + f"last_reviewed: {text}\n")
    assert f.message == f"last_reviewed {text!r} is not a real date: no such day in the calendar"
    assert (f.line, f.column) == (5, 16)


@pytest.mark.parametrize(
    "text",
    [
        "'26-02-03'",
        "2026-2-3",
        "tomorrow",
        "'2026-02-03 10:00'",
        "2026-W47-1",  # an ISO week date: fromisoformat reads it on Python 3.11
        "'20261120'",  # ISO basic format: so does it
        "２０２６-１１-２０",  # digits, but not 0-9
    ],
)
def test_a_malformed_date_asks_for_yyyy_mm_dd(text: str) -> None:
    f = one(Touchpoint, TP + f"last_reviewed: {text}\n")
    assert f.code == "TPM002"
    assert "is not a date: write YYYY-MM-DD" in f.message
    assert f.message.startswith("last_reviewed ")


def test_one_date_parser_for_files_responses_and_options() -> None:
    from tpm.dates import date_problem, parse_date

    assert parse_date("2026-11-20") == dt.date(2026, 11, 20)
    assert parse_date("2028-02-29") == dt.date(2028, 2, 29)
    for text in ("2026-W47-1", "20261120", "2026-11-20T10:00", " 2026-11-20", "0000-01-01"):
        assert parse_date(text) is None, text
    assert date_problem("2026-02-30").startswith("is not a real date")
    assert date_problem("2026-W47-1").startswith("is not a date")


def test_a_number_is_not_a_date() -> None:
    f = one(Touchpoint, TP + "last_reviewed: 20260203\n")
    assert "20260203 is not a date: write YYYY-MM-DD" in f.message


def test_dates_in_ratings_and_suppressions() -> None:
    text = TP + "ratings:\n  - date: 2026-02-30\n    n: 3\n    scores: {clarity: 4}\n"
    f = one(Touchpoint, text)
    assert "'2026-02-30' is not a real date" in f.message
    assert (f.line, f.column) == (6, 11)
    g = one(Unit, UNIT + "audit: {ignore: {TPM013: {reason: later, until: 2027-02-30}}}\n")
    assert g.message.startswith("until '2027-02-30' is not a real date")


# -- audiences: from and to -----------------------------------------------------------------


def test_to_all_alone_is_a_broadcast() -> None:
    tp = valid(Touchpoint, "id: t\nname: T\nfrom: a\nto: all\n")
    assert tp.to == ["all"] and tp.broadcast
    assert not valid(Touchpoint, TP).broadcast


def test_one_id_or_a_list() -> None:
    tp = valid(Touchpoint, "id: t\nname: T\nfrom: a\nto: [b, c]\n")
    assert tp.from_ == ["a"] and tp.to == ["b", "c"]


def test_all_inside_a_list_is_a_finding() -> None:
    f = one(Touchpoint, "id: t\nname: T\nfrom: a\nto: [b, all]\n")
    assert f.message == "to 'all' stands alone (to: all), never inside a list"
    assert (f.line, f.column) == (4, 5)
    assert "stands alone" in one(Touchpoint, "id: t\nname: T\nfrom: a\nto: [all]\n").message


@pytest.mark.parametrize("value", ["all", "[a, all]", "[all]"])
def test_all_in_from_is_a_finding(value: str) -> None:
    f = one(Touchpoint, f"id: t\nname: T\nfrom: {value}\nto: b\n")
    assert f.message == "from 'all' is only for 'to' (to: all); from names the initiating units"
    assert (f.line, f.column) == (3, 7)


def test_empty_audiences_are_findings() -> None:
    assert messages(Touchpoint, "id: t\nname: T\nfrom: []\nto: []\n") == [
        "from needs at least 1 item(s), not 0",
        "to needs at least 1 item(s), not 0",
    ]


def test_required_keys() -> None:
    assert messages(Touchpoint, "id: t\n") == [
        "required key 'name' is missing",
        "required key 'from' is missing",
        "required key 'to' is missing",
    ]
    assert messages(Journey, "id: j\nname: J\n") == ["required key 'steps' is missing"]
    assert messages(Person, "id: p\nname: P\n") == ["required key 'unit' is missing"]


def test_a_journey_needs_a_step() -> None:
    f = one(Journey, "id: j\nname: J\nsteps: []\n")
    assert f.message == "steps needs at least 1 item(s), not 0"


def test_direction() -> None:
    assert valid(Touchpoint, TP).direction == "one-way"
    assert valid(Touchpoint, TP + "direction: two-way\n").two_way
    f = one(Touchpoint, TP + "direction: both\n")
    assert f.message == "direction 'both' is not allowed: use 'one-way' or 'two-way'"


# -- strict booleans and numbers ------------------------------------------------------------


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "y", "n"])
def test_yaml_1_1_booleans_are_rejected_with_a_hint(word: str) -> None:
    f = one(Unit, UNIT + f"customer_facing: {word}\n")
    assert f.message == (
        f"customer_facing should be true or false, not {word!r} "
        "(YAML 1.2: yes, no, on and off are text; write true or false)"
    )
    assert (f.line, f.column) == (3, 18)


@pytest.mark.parametrize("value", ["1", "0", "'true'"])
def test_numbers_and_quoted_text_are_not_booleans(value: str) -> None:
    f = one(Unit, UNIT + f"customer_facing: {value}\n")
    assert f.message.startswith("customer_facing should be true or false, not ")
    assert "YAML 1.2" not in f.message or value == "'true'"


def test_booleans_everywhere_are_strict() -> None:
    assert "YAML 1.2" in one(Person, "id: p\nname: P\nunit: u\nactive: no\n").message
    step = "id: j\nname: J\nsteps:\n  - touchpoint: t\n    critical: on\n"
    assert "YAML 1.2" in one(Journey, step).message


def test_true_and_false() -> None:
    assert valid(Unit, UNIT + "customer_facing: true\n").customer_facing is True
    assert valid(Unit, UNIT).customer_facing is False
    assert valid(Person, "id: p\nname: P\nunit: u\nactive: false\n").active is False


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-1", "level -1 is out of range: it must be at least 0"),
        ("'1'", "level should be a whole number, not '1'"),
        ("1.0", "level should be a whole number, not 1.0"),
        ("true", "level should be a whole number, not True"),
    ],
)
def test_levels(value: str, message: str) -> None:
    assert one(Unit, UNIT + f"level: {value}\n").message == message


def test_an_empty_name_is_a_finding() -> None:
    assert one(Unit, "id: u\nname: ''\n").message == "name must not be empty"
    assert one(Unit, "id: u\nname: '   '\n").message == "name must not be empty"


# -- x- keys and unknown keys ---------------------------------------------------------------


def test_x_keys_are_accepted_everywhere_with_fixed_keys() -> None:
    valid(Unit, UNIT + "x-cost-centre: 4711\n")
    valid(Person, "id: p\nname: P\nunit: u\nx-slack: '@p'\n")
    valid(
        Touchpoint,
        TP
        + "x-jira: CX-1\nratings:\n  - date: 2026-01-01\n    n: 5\n    scores: {clarity: 4}\n"
        + "    x-source: survey\naudit:\n  x-note: hi\n  ignore: {TPM013: {reason: r, x-by: me}}\n",
    )
    valid(Journey, "id: j\nname: J\nx-miro: url\nsteps:\n  - touchpoint: t\n    x-note: n\n")
    valid(
        Settings,
        "organisation: A\nx-owner: cx\nscoring:\n  x-note: n\n  thresholds: {good: 80, x-a: 1}\n"
        "audit:\n  x-note: n\n",
    )


def test_x_keys_are_dropped_from_the_model() -> None:
    unit = valid(Unit, UNIT + "x-cost-centre: 4711\n")
    assert "x-cost-centre" not in unit.model_dump(by_alias=True)


def test_a_key_that_merely_contains_x_is_unknown() -> None:
    f = one(Unit, UNIT + "xcost: 1\n")
    assert f.message.startswith("unknown key 'xcost'")


@pytest.mark.parametrize(
    ("model", "text", "message", "position"),
    [
        (
            Touchpoint,
            TP + "ownr: anna\n",
            "unknown key 'ownr' (did you mean 'owner'?); keys starting with 'x-' are kept "
            "for your own tools",
            (5, 1),
        ),
        (Unit, UNIT + "parnet: x\n", "unknown key 'parnet' (did you mean 'parent'?)", (3, 1)),
        (
            Journey,
            "id: j\nname: J\nsteps:\n  - touchpoint: t\n    stag: x\n",
            "unknown key 'stag' (did you mean 'stage'?)",
            (5, 5),
        ),
        (
            Touchpoint,
            TP + "ratings:\n  - date: 2026-01-01\n    n: 5\n    scores: {}\n    score: 4\n",
            "unknown key 'score' (did you mean 'scores'?)",
            (9, 5),
        ),
        (
            Unit,
            UNIT + "audit: {ignor: {TPM013: r}}\n",
            "unknown key 'ignor' (did you mean 'ignore'?)",
            (3, 9),
        ),
        (
            Scoring,
            "index_weights: {qualty: 1}\n",
            "unknown key 'qualty' (did you mean 'quality'?)",
            (1, 17),
        ),
    ],
)
def test_unknown_keys_are_reported_at_the_key_with_did_you_mean(
    model: type[BaseModel], text: str, message: str, position: tuple[int, int]
) -> None:
    f = one(model, text)
    assert f.message.startswith(message)
    assert (f.line, f.column) == position


def test_an_unknown_key_unlike_any_lists_the_allowed_keys() -> None:
    f = one(Person, "id: p\nname: P\nunit: u\nzzz: 1\n")
    assert "allowed keys: id, name, unit, role, email, active, audit" in f.message


# -- suppressions ---------------------------------------------------------------------------


def test_a_suppression_is_a_reason_or_a_reason_and_until() -> None:
    unit = valid(
        Unit,
        UNIT
        + "audit:\n  ignore:\n    TPM020: kept\n    TPM013: {reason: later, until: 2027-03-31}\n",
    )
    assert unit.audit is not None
    ignore = unit.audit.ignore
    assert ignore["TPM020"].reason == "kept" and ignore["TPM020"].until is None
    assert ignore["TPM013"].until == dt.date(2027, 3, 31)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("''", "reason must not be empty"),
        ("'  '", "reason must not be empty"),
        ("{reason: ''}", "reason must not be empty"),
        ("{until: 2027-01-01}", "required key 'reason' is missing"),
        ("null", "TPM013 needs a reason: write CODE: why it does not apply here"),
        ("", "TPM013 needs a reason: write CODE: why it does not apply here"),
        ("42", "TPM013 should be a mapping, not 42"),
    ],
)
def test_a_suppression_needs_a_reason(value: str, message: str) -> None:
    f = one(Unit, UNIT + f"audit:\n  ignore:\n    TPM013: {value}\n")
    assert f.message == message
    assert f.line == 5


def test_a_suppression_code_must_look_like_a_code() -> None:
    f = one(Unit, UNIT + "audit:\n  ignore:\n    tpm13: reason\n")
    assert f.message == "key 'tpm13' is not a rule code such as TPM020"
    assert (f.line, f.column) == (5, 5)


def test_ignore_must_be_a_mapping() -> None:
    f = one(Unit, UNIT + "audit: {ignore: [TPM013]}\n")
    assert f.message == "ignore should be a mapping, not ['TPM013']"


# -- ratings --------------------------------------------------------------------------------


def test_ratings() -> None:
    tp = valid(
        Touchpoint,
        TP + "ratings:\n  - date: 2026-10-01\n    n: 42\n    scores: {clarity: 4.1, dialogue: 3}\n",
    )
    rating = tp.ratings[0]
    assert rating.date == dt.date(2026, 10, 1) and rating.n == 42
    assert rating.scores == {"clarity": 4.1, "dialogue": 3.0}


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        ("{clarity: .nan}", "clarity should be a finite number, not nan"),
        ("{clarity: .inf}", "clarity should be a finite number, not inf"),
        ("{clarity: good}", "clarity should be a number, not 'good'"),
    ],
)
def test_rating_scores_are_finite_numbers(scores: str, message: str) -> None:
    text = TP + f"ratings:\n  - date: 2026-10-01\n    n: 5\n    scores: {scores}\n"
    assert one(Touchpoint, text).message == message


def test_rating_n_is_not_negative() -> None:
    text = TP + "ratings:\n  - date: 2026-10-01\n    n: -1\n    scores: {clarity: 4}\n"
    assert one(Touchpoint, text).message == "n -1 is out of range: it must be at least 0"


# -- scoring and audit sections -------------------------------------------------------------


def test_scoring_defaults() -> None:
    scoring = Scoring()
    assert scoring.scale == [1.0, 5.0] and (scoring.low, scoring.high) == (1.0, 5.0)
    assert scoring.min_responses == 5
    assert scoring.max_age_days == 56
    assert list(scoring.dimensions) == [
        "clarity",
        "appreciation",
        "dialogue",
        "customer_focus",
        "empowerment",
    ]
    assert scoring.dimensions["dialogue"].label == "Two-way dialogue"
    assert (scoring.thresholds.good, scoring.thresholds.poor) == (70.0, 50.0)
    assert scoring.index_weights.model_dump() == dict.fromkeys(
        ("quality", "ownership", "dialogue", "freshness", "connectedness"), 1.0
    )
    assert valid(Settings, "organisation: A\n").scoring == scoring


def test_scoring_defaults_are_not_shared_between_projects() -> None:
    a, b = Scoring(), Scoring()
    a.dimensions["extra"] = a.dimensions["clarity"]
    assert "extra" not in b.dimensions


def test_own_dimensions_replace_the_defaults() -> None:
    scoring = valid(Scoring, "dimensions:\n  trust: {weight: 2}\n  speed: {}\n")
    assert list(scoring.dimensions) == ["trust", "speed"]
    assert scoring.dimensions["trust"].weight == 2.0
    assert scoring.dimensions["speed"].weight == 1.0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("scale: [5, 1]\n", "scale [5, 1] must go from low to high"),
        ("scale: [1, 5, 7]\n", "scale needs at most 2 item(s), not 3"),
        ("scale: [1]\n", "scale needs at least 2 item(s), not 1"),
        ("min_responses: 0\n", "min_responses 0 is out of range: it must be at least 1"),
        ("max_age_days: 1.5\n", "max_age_days should be a whole number, not 1.5"),
        ("dimensions: {}\n", "dimensions needs at least 1 item(s), not 0"),
        (
            "dimensions: {a: {weight: -1}}\n",
            "weight -1 is out of range: it must be at least 0.0",
        ),
        ("thresholds: {good: 40, poor: 50}\n", "thresholds.poor (50) must not be above good (40)"),
        ("thresholds: {good: 101}\n", "good 101 is out of range: it must be at most 100.0"),
        (
            "index_weights: {quality: 0, ownership: 0, dialogue: 0, freshness: 0, "
            "connectedness: 0}\n",
            "index_weights are all 0: the TPM index would weigh nothing",
        ),
        (
            "dimensions: {a: {weight: 0}}\n",
            "every dimension weighs 0: no touchpoint could be scored",
        ),
        (
            "dimensions: {enps: {weight: 1}}\n",
            "dimensions: 'enps' is the eNPS question of the response files (0-10), not a "
            "dimension: name the dimension otherwise",
        ),
    ],
)
def test_scoring_is_validated(text: str, message: str) -> None:
    assert one(Scoring, text).message == message


# audit: as the loader validates it, with the settings the rules declare
Audit = RULES.settings_model(AuditConfig)


def test_audit_defaults() -> None:
    audit = Audit()
    assert audit.fail_on == "error"
    assert audit.ignore == [] and audit.severity == {}
    assert (audit.max_feedback_hops, audit.max_review_age_days, audit.bottleneck_min_cut) == (
        3,
        365,
        2,
    )


def test_audit_section() -> None:
    audit = valid(
        Audit,
        "fail_on: warning\nignore: [TPM020, TPM02]\nseverity: {TPM034: warning}\n"
        "max_feedback_hops: 2\n",
    )
    assert audit.fail_on == "warning"
    assert audit.ignore == ["TPM020", "TPM02"]
    assert audit.severity == {"TPM034": "warning"}
    assert audit.max_feedback_hops == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "fail_on: warn\n",
            "fail_on 'warn' is not allowed: use 'error', 'warning', 'info' or 'never'",
        ),
        ("ignore: [TPMX]\n", "ignore 'TPMX' is not a rule code or prefix such as TPM020 or TPM02"),
        (
            "severity: {TPM034: high}\n",
            "TPM034 'high' is not allowed: use 'error', 'warning' or 'info'",
        ),
        ("max_feedback_hops: 0\n", "max_feedback_hops 0 is out of range: it must be at least 1"),
        ("bottleneck_min_cut: x\n", "bottleneck_min_cut should be a whole number, not 'x'"),
        ("fail_on: no\n", "fail_on 'no' is not allowed: use 'error', 'warning', 'info' or 'never'"),
    ],
)
def test_audit_is_validated(text: str, message: str) -> None:
    assert one(Audit, text).message == message


def test_organisation_must_not_be_empty() -> None:
    assert one(Settings, "organisation: ''\n").message == "organisation must not be empty"
