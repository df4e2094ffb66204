"""JSON Schemas of `tpm schema`: draft-07, faithful to what tpm accepts (docs/file-formats.md)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator
from pydantic import ValidationError

from tpm.jsonschema import (
    BASE_ID,
    CONFIG_SCHEMA,
    DRAFT_07,
    FILE_NAMES,
    JOURNEYS_SCHEMA,
    SURVEYS_SCHEMA,
    TOUCHPOINTS_SCHEMA,
    schemas,
    write_schemas,
)
from tpm.model import Touchpoint, Unit
from tpm.project import load
from tpm.yamlsource import load_string

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SCHEMAS = schemas()


def yaml(text: str) -> Any:
    source = load_string(textwrap.dedent(text))
    assert source.ok, source.findings
    return source.data


def errors(name: str, document: Any) -> list[str]:
    validator = Draft7Validator(SCHEMAS[name])
    return [error.message for error in validator.iter_errors(document)]


def valid(name: str, document: Any) -> bool:
    return not errors(name, document)


def walk(schema: Any, path: tuple[Any, ...] = ()) -> Any:
    """Every (path, mapping) in a schema document, data keywords (default, examples) excluded."""
    if isinstance(schema, dict):
        yield path, schema
        for key, value in schema.items():
            if key not in ("default", "examples", "const", "enum"):
                yield from walk(value, (*path, key))
    elif isinstance(schema, list):
        for index, value in enumerate(schema):
            yield from walk(value, (*path, index))


CONFIG = """\
    organisation: Beispiel AG
    x-owner: cx-team
    units:
      - id: board
        name: Executive board
        level: 0
      - id: service
        name: Customer service
      - id: service-agents
        name: Service agents
        parent: service
        customer_facing: true
        x-cost-centre: 4711
    people:
      - id: anna
        name: Anna Schmidt
        unit: board
        role: CX manager
      - id: head-of-service
        name: Head of customer service (vacant)
        unit: service
        active: false
        audit:
          ignore: {TPM011: vacancy posted}
    scoring:
      scale: [1, 5]
      min_responses: 5
      dimensions:
        clarity: {weight: 1, label: Clarity}
        trust: {weight: 2}
      thresholds: {good: 70, poor: 50}
    audit:
      fail_on: warning
      ignore: [TPM020, TPM03]
      severity: {TPM034: warning}
      max_feedback_hops: 3
"""

TOUCHPOINTS = """\
    touchpoints:
      - id: all-hands
        name: "Monthly all-hands: opens with a customer story"
        description: The board shares results.
        from: board
        to: all
        direction: two-way
        channel: town-hall
        cadence: monthly
        owner: anna
        tags: [symbolic-action]
        last_reviewed: 2026-09-01
        ratings:
          - date: 2026-10-01
            n: 42
            scores: {clarity: 4.1, appreciation: 3.6, dialogue: 2.9, anything: 3}
        audit:
          ignore:
            TPM020: kept as a reference for new teams
            TPM013: {reason: owner named in Q1, until: 2027-03-31}
      - id: huddle
        name: Team huddle
        from: [service-agents]
        to: [service, board]
        cadence: P2W
        channel: a channel nobody suggested
"""

JOURNEYS = """\
    journeys:
      - id: onboarding
        name: New-hire onboarding
        audience: New hires
        goal: New hires can serve customers on their own within 30 days
        owner: anna
        co_owners: [head-of-service]
        last_reviewed: 2026-06-30
        steps:
          - touchpoint: offer-call
            stage: Before day one
          - touchpoint: welcome-day
            stage: Day one
            critical: true
        audit:
          ignore: {TPM012: service co-owns from 2027}
      - id: unowned
        name: Nobody owns this
        owner: null
        steps:
          - touchpoint: huddle
"""


def touchpoint(**fields: Any) -> dict[str, Any]:
    return {"touchpoints": [{"id": "tp", "name": "Touchpoint", "from": "a", "to": "b", **fields}]}


def unit(**fields: Any) -> dict[str, Any]:
    return {"organisation": "Org", "units": [{"id": "u", "name": "Unit", **fields}]}


# -- the schemas themselves ----------------------------------------------------------------------


def test_four_schemas_by_file_name() -> None:
    assert list(SCHEMAS) == [CONFIG_SCHEMA, TOUCHPOINTS_SCHEMA, JOURNEYS_SCHEMA, SURVEYS_SCHEMA]
    assert FILE_NAMES == (
        "tpm.schema.json",
        "touchpoints.schema.json",
        "journeys.schema.json",
        "surveys.schema.json",
    )


@pytest.mark.parametrize("name", FILE_NAMES)
def test_each_schema_is_valid_draft_07(name: str) -> None:
    schema = SCHEMAS[name]
    Draft7Validator.check_schema(schema)
    assert schema["$schema"] == DRAFT_07 == "http://json-schema.org/draft-07/schema#"
    assert schema["$id"] == f"https://tpm-toolkit.dev/schema/v1/{name}" == BASE_ID + name
    assert schema["title"] and schema["description"]


@pytest.mark.parametrize("name", FILE_NAMES)
def test_no_2020_12_leftovers_and_every_ref_resolves(name: str) -> None:
    schema = SCHEMAS[name]
    text = json.dumps(schema)
    assert "$defs" not in text
    assert "prefixItems" not in text
    for _, node in walk(schema):
        assert "$defs" not in node and "prefixItems" not in node
        if "$ref" in node:
            ref = node["$ref"]
            assert ref.startswith("#/definitions/"), ref
            assert ref.rsplit("/", 1)[1] in schema["definitions"], ref
            assert list(node) == ["$ref"], "draft-07 ignores keywords beside $ref"


@pytest.mark.parametrize("name", FILE_NAMES)
def test_every_closed_mapping_allows_x_keys(name: str) -> None:
    closed = 0
    for path, node in walk(SCHEMAS[name]):
        if "properties" in node and path[-1:] != ("properties",):
            assert node["additionalProperties"] is False, path
            assert node["patternProperties"] == {"^x-": {}}, path
            closed += 1
    assert closed >= 3


@pytest.mark.parametrize("name", FILE_NAMES)
def test_fields_carry_descriptions(name: str) -> None:
    for definition, schema in SCHEMAS[name]["definitions"].items():
        assert schema.get("description"), definition
        for field, sub in schema["properties"].items():
            assert sub.get("description"), f"{definition}.{field}"
            assert "title" not in sub, f"{definition}.{field}"


def test_channel_suggests_values() -> None:
    channel = SCHEMAS[TOUCHPOINTS_SCHEMA]["definitions"]["Touchpoint"]["properties"]["channel"]
    assert channel["examples"][:3] == ["town-hall", "meeting", "one-to-one"]
    assert len(channel["examples"]) == 11


# The keywords of draft-07, from its meta-schema: nothing else may appear, since a validator
# ignores a keyword it does not know (2020-12's `$defs`, `prefixItems`, ... included).
DRAFT_07_KEYWORDS = set(Draft7Validator.META_SCHEMA["properties"])


@pytest.mark.parametrize("name", FILE_NAMES)
def test_only_draft_07_keywords(name: str) -> None:
    maps = ("properties", "patternProperties", "definitions")
    for path, node in walk(SCHEMAS[name]):
        if path and path[-1] in maps:
            continue  # a mapping of names, not a schema
        assert set(node) <= DRAFT_07_KEYWORDS, (path, set(node) - DRAFT_07_KEYWORDS)


def test_keys_of_a_shape_close_the_mapping() -> None:
    """A mapping whose keys have a shape (rule codes) rejects other keys: `propertyNames`, as
    `patternProperties` alone would let any other key through."""
    ignore = SCHEMAS[TOUCHPOINTS_SCHEMA]["definitions"]["ItemAudit"]["properties"]["ignore"]
    assert ignore["propertyNames"] == {"pattern": "^TPM[0-9]{3}$"}
    assert "patternProperties" not in ignore


# -- documents -----------------------------------------------------------------------------------


def test_sample_documents_validate() -> None:
    assert errors(CONFIG_SCHEMA, yaml(CONFIG)) == []
    assert errors(TOUCHPOINTS_SCHEMA, yaml(TOUCHPOINTS)) == []
    assert errors(JOURNEYS_SCHEMA, yaml(JOURNEYS)) == []


def test_documents_of_the_wrong_kind_are_rejected() -> None:
    assert not valid(CONFIG_SCHEMA, yaml(TOUCHPOINTS))
    assert not valid(TOUCHPOINTS_SCHEMA, yaml(JOURNEYS))
    assert not valid(JOURNEYS_SCHEMA, yaml(CONFIG))
    assert not valid(TOUCHPOINTS_SCHEMA, [{"id": "tp", "name": "x", "from": "a", "to": "b"}])


def test_what_tpm_leaves_alone_is_accepted() -> None:
    # An empty touchpoint or journey file, and empty lists, are fine for tpm.
    assert valid(TOUCHPOINTS_SCHEMA, None)
    assert valid(TOUCHPOINTS_SCHEMA, yaml("touchpoints:\n"))
    assert valid(JOURNEYS_SCHEMA, {"journeys": []})
    assert valid(CONFIG_SCHEMA, yaml("organisation: Org\nunits:\nscoring:\naudit:\n"))


def test_tpm_yaml_needs_organisation_and_units() -> None:
    assert not valid(CONFIG_SCHEMA, {"units": []})
    assert not valid(CONFIG_SCHEMA, {"organisation": "Org"})
    assert not valid(CONFIG_SCHEMA, {"organisation": "  ", "units": []})
    assert not valid(CONFIG_SCHEMA, {"organisation": "Org", "units": [], "unit": []})


def test_unknown_keys_are_rejected_and_x_keys_accepted() -> None:
    assert not valid(TOUCHPOINTS_SCHEMA, touchpoint(chanel="email"))
    assert valid(TOUCHPOINTS_SCHEMA, touchpoint(**{"x-note": {"anything": [1, 2]}}))
    assert valid(TOUCHPOINTS_SCHEMA, {"touchpoints": [], "x-generated-by": "a script"})
    assert not valid(TOUCHPOINTS_SCHEMA, {"touchpoints": [], "journeys": []})
    rating = {"date": "2026-10-01", "n": 5, "scores": {"clarity": 4}}
    assert valid(TOUCHPOINTS_SCHEMA, touchpoint(ratings=[{**rating, "x-source": "pulse"}]))
    assert not valid(TOUCHPOINTS_SCHEMA, touchpoint(ratings=[{**rating, "mean": 4}]))
    assert valid(
        JOURNEYS_SCHEMA, yaml("journeys:\n- {id: j, name: J, steps: [{touchpoint: t, x-n: 1}]}")
    )
    assert not valid(
        JOURNEYS_SCHEMA, yaml("journeys:\n- {id: j, name: J, steps: [{touchpoint: t, when: 1}]}")
    )
    config = yaml(CONFIG)
    config["scoring"]["x-comment"] = "ours"
    config["audit"]["x-comment"] = "ours"
    config["people"][0]["x-slack"] = "@anna"
    assert valid(CONFIG_SCHEMA, config)
    config["audit"]["fail-on"] = "error"
    assert not valid(CONFIG_SCHEMA, config)


def test_from_and_to_take_one_id_a_list_or_all() -> None:
    assert valid(TOUCHPOINTS_SCHEMA, yaml("touchpoints:\n- {id: t, name: T, from: board, to: all}"))
    assert valid(TOUCHPOINTS_SCHEMA, touchpoint(**{"from": ["a", "b"], "to": ["c"]}))
    assert not valid(TOUCHPOINTS_SCHEMA, touchpoint(to=["all"]))
    assert not valid(TOUCHPOINTS_SCHEMA, touchpoint(to=["a", "all"]))
    assert not valid(TOUCHPOINTS_SCHEMA, touchpoint(**{"from": "all"}))
    assert not valid(TOUCHPOINTS_SCHEMA, touchpoint(**{"from": []}))
    assert not valid(TOUCHPOINTS_SCHEMA, touchpoint(to=[]))
    assert not valid(TOUCHPOINTS_SCHEMA, touchpoint(to="Board"))
    assert not valid(TOUCHPOINTS_SCHEMA, touchpoint(to=None))
    missing = touchpoint()
    del missing["touchpoints"][0]["from"]
    assert not valid(TOUCHPOINTS_SCHEMA, missing)


def test_booleans_are_booleans() -> None:
    assert valid(CONFIG_SCHEMA, unit(customer_facing=True))
    # YAML 1.2: `yes` is a string, for tpm and for the schema alike.
    document = yaml("organisation: Org\nunits:\n- {id: u, name: U, customer_facing: yes}\n")
    assert document["units"][0]["customer_facing"] == "yes"
    assert not valid(CONFIG_SCHEMA, document)
    assert not valid(CONFIG_SCHEMA, unit(customer_facing="yes"))
    assert not valid(CONFIG_SCHEMA, unit(customer_facing=1))
    assert not valid(CONFIG_SCHEMA, unit(level=True))
    assert not valid(
        JOURNEYS_SCHEMA,
        yaml("journeys:\n- {id: j, name: J, steps: [{touchpoint: t, critical: on}]}"),
    )


@pytest.mark.parametrize("cadence", ["once", "monthly", "on-demand", "P1D", "P2W", "P6M", "P1Y"])
def test_good_cadences(cadence: str) -> None:
    assert valid(TOUCHPOINTS_SCHEMA, touchpoint(cadence=cadence))


@pytest.mark.parametrize(
    "cadence", ["fortnightly", "Monthly", "P0D", "P2X", "2W", "P1W2D", "PT1H", "P01D", 7]
)
def test_bad_cadences(cadence: Any) -> None:
    assert not valid(TOUCHPOINTS_SCHEMA, touchpoint(cadence=cadence))


def test_ids_are_slugs_and_all_is_reserved() -> None:
    assert valid(CONFIG_SCHEMA, unit(id="a.b_c-9"))
    for bad in ("all", "Board", "-x", "", "a" * 65, "a b", 12):
        assert not valid(CONFIG_SCHEMA, unit(id=bad)), bad
    assert not valid(CONFIG_SCHEMA, unit(parent="Service"))
    assert not valid(
        JOURNEYS_SCHEMA, {"journeys": [{"id": "all", "name": "J", "steps": [{"touchpoint": "t"}]}]}
    )


def test_dates_are_strings_of_the_right_shape() -> None:
    document = yaml("touchpoints:\n- {id: t, name: T, from: a, to: b, last_reviewed: 2026-09-01}")
    assert document["touchpoints"][0]["last_reviewed"] == "2026-09-01"
    assert valid(TOUCHPOINTS_SCHEMA, document)
    # The calendar is tpm's to check (a finding, never a crash); the shape is the schema's.
    assert valid(TOUCHPOINTS_SCHEMA, touchpoint(last_reviewed="2026-02-30"))
    for bad in ("2026-9-1", "01.09.2026", "2026-09-01T10:00", 20260901):
        assert not valid(TOUCHPOINTS_SCHEMA, touchpoint(last_reviewed=bad)), bad


def test_suppressions_are_a_reason_or_reason_and_until() -> None:
    def with_ignore(ignore: Any) -> dict[str, Any]:
        return touchpoint(audit={"ignore": ignore})

    assert valid(TOUCHPOINTS_SCHEMA, with_ignore({"TPM020": "a reason"}))
    assert valid(
        TOUCHPOINTS_SCHEMA, with_ignore({"TPM013": {"reason": "r", "until": "2027-03-31"}})
    )
    assert valid(TOUCHPOINTS_SCHEMA, with_ignore({"TPM013": {"reason": "r"}}))
    assert not valid(TOUCHPOINTS_SCHEMA, with_ignore({"TPM020": ""}))
    assert not valid(TOUCHPOINTS_SCHEMA, with_ignore({"TPM020": "   "}))
    assert not valid(TOUCHPOINTS_SCHEMA, with_ignore({"TPM020": {"until": "2027-03-31"}}))
    assert not valid(TOUCHPOINTS_SCHEMA, with_ignore({"TPM020": {"reason": "r", "why": "w"}}))
    assert not valid(TOUCHPOINTS_SCHEMA, with_ignore({"TPM20": "a reason"}))
    assert not valid(TOUCHPOINTS_SCHEMA, with_ignore(["TPM020"]))


def test_dimension_names_are_any_key() -> None:
    rating = {"date": "2026-10-01", "n": 5, "scores": {"made-up dimension": 4, "x-y": 1.5}}
    assert valid(TOUCHPOINTS_SCHEMA, touchpoint(ratings=[rating]))
    assert not valid(TOUCHPOINTS_SCHEMA, touchpoint(ratings=[{**rating, "scores": {"a": "4"}}]))
    config: dict[str, Any] = {
        "organisation": "O",
        "units": [],
        "scoring": {"dimensions": {"Any Name": {}}},
    }
    assert valid(CONFIG_SCHEMA, config)
    config["scoring"]["dimensions"] = {}
    assert not valid(CONFIG_SCHEMA, config)


def test_audit_settings() -> None:
    def audit(**fields: Any) -> dict[str, Any]:
        return {"organisation": "O", "units": [], "audit": fields}

    assert valid(CONFIG_SCHEMA, audit(fail_on="never", ignore=["TPM", "TPM02", "TPM020"]))
    assert not valid(CONFIG_SCHEMA, audit(fail_on="fatal"))
    assert not valid(CONFIG_SCHEMA, audit(ignore=["unused-touchpoint"]))
    assert not valid(CONFIG_SCHEMA, audit(severity={"TPM034": "never"}))
    assert not valid(CONFIG_SCHEMA, audit(severity={"stale": "info"}))
    assert not valid(CONFIG_SCHEMA, audit(max_feedback_hops=0))


# The schema and the models agree on single touchpoints and units (structure only).
TOUCHPOINT_CASES: list[dict[str, Any]] = [
    {},
    {"to": "all"},
    {"to": ["all"]},
    {"from": "all"},
    {"from": ["a", "b"], "to": ["c", "d"]},
    {"from": []},
    {"to": "B"},
    {"direction": "both"},
    {"direction": "two-way"},
    {"channel": "anything at all"},
    {"channel": 3},
    {"cadence": "P3M"},
    {"cadence": "P1234567D"},
    {"cadence": "sometimes"},
    {"cadence": None},
    {"owner": "Anna"},
    {"owner": None},
    {"tags": ["a", "b"]},
    {"tags": "a"},
    {"tags": None},
    {"last_reviewed": "2026-01-31"},
    {"last_reviewed": "31.01.2026"},
    {"ratings": [{"date": "2026-01-31", "n": 0, "scores": {}}]},
    {"ratings": [{"date": "2026-01-31", "n": -1, "scores": {}}]},
    {"ratings": [{"date": "2026-01-31", "n": 1.5, "scores": {}}]},
    {"ratings": [{"date": "2026-01-31", "scores": {}}]},
    {"audit": None},
    {"audit": {}},
    {"audit": {"ignore": {"TPM001": "why"}}},
    {"audit": {"ignore": {"TPM001": ""}}},
    {"audit": {"ignore": {"TPM001": {"reason": "r", "until": None}}}},
    {"audit": {"ignore": {"tpm001": "why"}}},
    {"audit": {"fail_on": "error"}},
    {"x-anything": None},
    {"name": ""},
    {"name": 7},
    {"id": "all"},
    {"id": "a" * 64},
    {"id": "a" * 65},
    {"colour": "red"},
]


@pytest.mark.parametrize("fields", TOUCHPOINT_CASES, ids=lambda f: json.dumps(f)[:60])
def test_schema_agrees_with_the_touchpoint_model(fields: dict[str, Any]) -> None:
    item = {"id": "tp", "name": "Touchpoint", "from": "a", "to": "b", **fields}
    try:
        Touchpoint.model_validate(item)
        model_ok = True
    except ValidationError:
        model_ok = False
    assert valid(TOUCHPOINTS_SCHEMA, {"touchpoints": [item]}) == model_ok


UNIT_CASES: list[dict[str, Any]] = [
    {},
    {"level": 0},
    {"level": -1},
    {"level": None},
    {"level": "1"},
    {"level": 1.5},
    # Not {"level": 1.0}: JSON has one kind of number, so draft-07 counts 1.0 as an integer
    # while tpm (strict) wants the YAML integer 1.
    {"customer_facing": False},
    {"customer_facing": "no"},
    {"customer_facing": None},
    {"parent": "service"},
    {"parent": None},
    {"description": None},
    {"x-": 1},
]


@pytest.mark.parametrize("fields", UNIT_CASES, ids=lambda f: json.dumps(f)[:60])
def test_schema_agrees_with_the_unit_model(fields: dict[str, Any]) -> None:
    item = {"id": "u", "name": "Unit", **fields}
    try:
        Unit.model_validate(item)
        model_ok = True
    except ValidationError:
        model_ok = False
    assert valid(CONFIG_SCHEMA, {"organisation": "O", "units": [item]}) == model_ok


# -- real projects -------------------------------------------------------------------------------


def _project_files(root: Path) -> list[tuple[str, Path]]:
    files = [(CONFIG_SCHEMA, root / "tpm.yaml")] if (root / "tpm.yaml").is_file() else []
    folders = (
        ("touchpoints", TOUCHPOINTS_SCHEMA),
        ("journeys", JOURNEYS_SCHEMA),
        ("surveys", SURVEYS_SCHEMA),
    )
    for folder, name in folders:
        for suffix in ("*.yaml", "*.yml"):
            files += [(name, path) for path in sorted((root / folder).rglob(suffix))]
    return files


@pytest.mark.parametrize(
    "root", [ROOT, ROOT / "tpm" / "templates" / "starter"], ids=["example", "starter"]
)
def test_shipped_projects_validate(root: Path) -> None:
    files = _project_files(root)
    if not files:
        pytest.skip(f"no project at {root}")
    for name, path in files:
        source = load_string(path.read_text(encoding="utf-8-sig"), str(path))
        assert source.ok, source.findings
        assert errors(name, source.data) == [], path


# -- files -------------------------------------------------------------------------------------


def test_write_schemas_writes_four_files_deterministically(tmp_path: Path) -> None:
    out = tmp_path / "schemas" / "v1"
    written = write_schemas(out)
    assert written == [out / name for name in FILE_NAMES]
    first = {path.name: path.read_bytes() for path in written}
    for path in written:
        text = path.read_text(encoding="utf-8")
        assert text.endswith("}\n") and not text.endswith("\n\n")
        assert json.loads(text) == SCHEMAS[path.name]
    assert write_schemas(out) == written
    assert {path.name: path.read_bytes() for path in written} == first
    assert sorted(p.name for p in out.iterdir()) == sorted(FILE_NAMES)  # no temporary files


def test_write_schemas_into_a_file_is_an_output_error(tmp_path: Path) -> None:
    from tpm.fsutil import OutputError

    blocker = tmp_path / "taken"
    blocker.write_text("not a directory")
    with pytest.raises(OutputError):
        write_schemas(blocker)


def test_schemas_are_the_same_every_time() -> None:
    assert json.dumps(schemas()) == json.dumps(SCHEMAS)


# -- check-jsonschema on every fixture project ----------------------------------------------------

PROJECTS = [ROOT, ROOT / "tpm" / "templates" / "starter", *sorted(FIXTURES.glob("**/tpm.yaml"))]


@pytest.mark.slow
def test_check_jsonschema_accepts_every_sound_file_of_every_fixture_project(
    tmp_path: Path,
) -> None:
    """The real `check-jsonschema` CLI, as a user runs it on the schemas `tpm schema` writes:
    every file of every fixture project that tpm reads without a syntax, schema or duplicate
    key finding (TPM001-TPM003) passes, and every file with an unknown key fails."""
    checker = Path(sys.executable).with_name("check-jsonschema")
    if not checker.exists():
        pytest.skip("check-jsonschema is not installed (pip install -e '.[dev]')")
    written = write_schemas(tmp_path)
    sound: set[str] = set()
    unknown_key: set[str] = set()
    files: dict[str, list[str]] = {name: [] for name in FILE_NAMES}
    for root in PROJECTS:
        root = root if root.is_dir() else root.parent
        findings = load(root, cwd=ROOT).findings
        broken = {f.path for f in findings if f.code in ("TPM001", "TPM002", "TPM003")}
        unknown_key |= {f.path for f in findings if "unknown key" in f.message}
        for name, path in _project_files(root):
            shown = str(path.relative_to(ROOT))
            if shown not in broken:
                sound.add(shown)
            if shown in sound or shown in unknown_key:  # the others may not even be YAML
                files[name].append(shown)
    assert len(sound) > 30 and unknown_key, (len(sound), unknown_key)
    rejected: set[str] = set()
    for schema in written:
        if not files[schema.name]:
            continue  # no fixture project has such files (surveys: see test_ingest.py)
        result = subprocess.run(
            [str(checker), "-o", "json", "--schemafile", str(schema), *files[schema.name]],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        report = json.loads(result.stdout)
        assert report["status"] in ("ok", "fail") and not report.get("parse_errors"), report
        rejected |= {error["filename"] for error in report["errors"]}
    assert rejected & sound == set()
    assert unknown_key <= rejected
