"""JSON Schemas (draft-07) of tpm.yaml, touchpoint files and journey files (file-formats.md).

The schemas are generated from the pydantic models, converted from pydantic's 2020-12 output to
draft-07, and then told what the YAML means where the models cannot say it in a schema: ids are
slugs, `from` and `to` take one id or a list (and `to` also `all`), cadences and dates have a
shape, a suppression is a reason or `{reason, until}`, and every mapping with fixed keys allows
the user's own `x-` keys. They check structure only; tpm checks meaning (references, the
calendar, dimension names against the configuration).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from tpm.model import SLUG_PATTERN

DRAFT_07 = "http://json-schema.org/draft-07/schema#"
BASE_ID = "https://tpm-toolkit.dev/schema/v1/"

CONFIG_SCHEMA = "tpm.schema.json"
TOUCHPOINTS_SCHEMA = "touchpoints.schema.json"
JOURNEYS_SCHEMA = "journeys.schema.json"
FILE_NAMES = (CONFIG_SCHEMA, TOUCHPOINTS_SCHEMA, JOURNEYS_SCHEMA)

# The model accepts n with at most six digits (tpm.model._DURATION_RE); so does the schema.
DURATION_PATTERN = r"^P[1-9][0-9]{0,5}[DWMY]$"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
CODE_PATTERN = r"^TPM[0-9]{3}$"
CODE_OR_PREFIX_PATTERN = r"^TPM[0-9]{0,3}$"
X_KEYS: dict[str, dict[str, Any]] = {"^x-": {}}

CHANNEL_EXAMPLES = [
    "town-hall",
    "meeting",
    "one-to-one",
    "survey",
    "platform",
    "email",
    "chat",
    "workshop",
    "training",
    "ritual",
    "report",
]

# Keywords of draft-07 (validation, annotation and core). Anything else pydantic emits is dropped.
_DRAFT_07_KEYWORDS = frozenset(
    {
        "$schema",
        "$id",
        "$ref",
        "$comment",
        "definitions",
        "title",
        "description",
        "default",
        "readOnly",
        "writeOnly",
        "examples",
        "multipleOf",
        "maximum",
        "exclusiveMaximum",
        "minimum",
        "exclusiveMinimum",
        "maxLength",
        "minLength",
        "pattern",
        "additionalItems",
        "items",
        "maxItems",
        "minItems",
        "uniqueItems",
        "contains",
        "maxProperties",
        "minProperties",
        "required",
        "additionalProperties",
        "properties",
        "patternProperties",
        "dependencies",
        "propertyNames",
        "const",
        "enum",
        "type",
        "format",
        "contentMediaType",
        "contentEncoding",
        "if",
        "then",
        "else",
        "allOf",
        "anyOf",
        "oneOf",
        "not",
    }
)
_SCHEMA_VALUED = (
    "additionalItems",
    "additionalProperties",
    "contains",
    "propertyNames",
    "not",
    "if",
    "then",
    "else",
)
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf")
_SCHEMA_MAPS = ("properties", "patternProperties", "definitions")


# -- the pydantic output, in draft-07 ----------------------------------------------------------


def to_draft7(schema: Any) -> Any:
    """Convert one schema from pydantic's 2020-12 dialect to draft-07 (a new object).

    `$defs` becomes `definitions` and every `$ref` follows it; `prefixItems` becomes an `items`
    array (with `additionalItems: false` unless further items are allowed);
    `dependentRequired`/`dependentSchemas` become `dependencies`; other keywords draft-07 does
    not know are dropped; a `$ref` with sibling keywords (which draft-07 ignores) is wrapped in
    `allOf`; the titles pydantic derives from field names are dropped (descriptions are kept).
    """
    return _convert(schema, in_properties=False)


def _convert(schema: Any, in_properties: bool) -> Any:
    if isinstance(schema, bool) or not isinstance(schema, dict):
        return schema
    source = dict(schema)
    if "$defs" in source:
        defs = source.pop("$defs")
        source["definitions"] = {**source.get("definitions", {}), **defs}
    if "prefixItems" in source:
        prefix = source.pop("prefixItems")
        rest = source.pop("items", False)
        source["items"] = prefix
        if rest is not True and rest != {}:
            if rest is False:
                source["additionalItems"] = False
            else:
                source["additionalItems"] = rest
    for key in ("dependentRequired", "dependentSchemas"):
        if key in source:
            source["dependencies"] = {**source.get("dependencies", {}), **source.pop(key)}
    out: dict[str, Any] = {}
    for key, value in source.items():
        if key not in _DRAFT_07_KEYWORDS:
            continue
        if key == "$ref":
            out[key] = _ref(value)
        elif key in _SCHEMA_MAPS:
            out[key] = {
                name: _convert(sub, in_properties=key != "definitions")
                for name, sub in value.items()
            }
        elif key in _SCHEMA_VALUED:
            out[key] = _convert(value, in_properties=False)
        elif key in _SCHEMA_LISTS:
            out[key] = [_convert(sub, in_properties=False) for sub in value]
        elif key == "items":
            out[key] = (
                [_convert(sub, in_properties=False) for sub in value]
                if isinstance(value, list)
                else _convert(value, in_properties=False)
            )
        elif key == "dependencies":
            out[key] = {
                name: sub if isinstance(sub, list) else _convert(sub, in_properties=False)
                for name, sub in value.items()
            }
        else:
            out[key] = copy.deepcopy(value)
    if in_properties:
        out.pop("title", None)
    if "$ref" in out and len(out) > 1:
        ref = out.pop("$ref")
        out = {"allOf": [{"$ref": ref}], **out}
    return out


def _ref(ref: str) -> str:
    for prefix in ("#/$defs/", "#/definitions/"):
        if ref.startswith(prefix):
            return "#/definitions/" + ref[len(prefix) :]
    return ref


def _pydantic_definitions() -> dict[str, dict[str, Any]]:
    """Every model's schema, by model name, in draft-07 with refs into `#/definitions/`."""
    from pydantic.json_schema import models_json_schema

    from tpm.model import Journey, Person, Settings, Touchpoint, Unit

    _, combined = models_json_schema(
        [(model, "validation") for model in (Settings, Unit, Person, Touchpoint, Journey)],
        by_alias=True,
    )
    converted = to_draft7(combined)
    definitions: dict[str, dict[str, Any]] = converted["definitions"]
    return definitions


# -- what the YAML means -------------------------------------------------------------------------


def _slug(description: str) -> dict[str, Any]:
    return {"description": description, "type": "string", "pattern": SLUG_PATTERN}


def _item_id(what: str) -> dict[str, Any]:
    return {
        "description": f"Unique id of the {what}: a slug of 1 to 64 lowercase letters, digits, "
        "'.', '_' or '-', starting with a letter or digit. Units, people, touchpoints and "
        "journeys share one namespace; 'all' is reserved.",
        "type": "string",
        "pattern": SLUG_PATTERN,
        "not": {"const": "all"},
    }


def _unit_ref() -> dict[str, Any]:
    return {"type": "string", "pattern": SLUG_PATTERN, "not": {"const": "all"}}


def _text(description: str) -> dict[str, Any]:
    return {"description": description, "type": "string", "pattern": r"\S"}


def _date(description: str) -> dict[str, Any]:
    return {"description": description, "type": "string", "pattern": DATE_PATTERN}


def _cadence() -> dict[str, Any]:
    from tpm.model import NAMED_CADENCES

    return {
        "description": "How often it happens: once, daily, weekly, biweekly, monthly, quarterly, "
        "yearly, on-demand, or a single-unit ISO-8601 duration PnD, PnW, PnM or PnY with n >= 1 "
        "(a month counts as 30 days, a year as 365).",
        "anyOf": [
            {"type": "string", "enum": list(NAMED_CADENCES)},
            {"type": "string", "pattern": DURATION_PATTERN},
        ],
    }


_REVIEWED = "Date of the last review, YYYY-MM-DD (tpm audit flags stale reviews, TPM034)."
_AUDIT = "Suppressions of audit rules for the findings about this {what}."

# Per model: a description of the model, and for each field either a description (str) or a
# schema that replaces pydantic's (nullability and defaults are taken over from pydantic's).
_MEANING: dict[str, tuple[str, dict[str, str | dict[str, Any]]]] = {
    "Unit": (
        "A unit of the organisation: the board, a department, a team.",
        {
            "id": _item_id("unit"),
            "name": _text("Display name of the unit."),
            "parent": _slug("Id of the parent unit. Structure only: it adds no edge to the graph."),
            "level": "Hierarchy level, 0 = top management. Default: 1 for a unit without "
            "parent, the parent's level + 1 otherwise; an explicit level always wins.",
            "customer_facing": "The unit works with customers (default false, not inherited).",
            "description": "Free text.",
            "audit": _AUDIT.format(what="unit"),
        },
    ),
    "Person": (
        "Someone who can own touchpoints and journeys: a named person or a role.",
        {
            "id": _item_id("person"),
            "name": _text("Name of the person, or of the role."),
            "unit": _slug("Id of the unit the person belongs to."),
            "role": "Role or job title.",
            "email": "E-mail address.",
            "active": "false for someone who left or a vacant role: they own nothing any more "
            "(default true).",
            "audit": _AUDIT.format(what="person"),
        },
    ),
    "Touchpoint": (
        "A regular point of contact from some units to others.",
        {
            "id": _item_id("touchpoint"),
            "name": _text("Display name of the touchpoint."),
            "description": "Free text.",
            "from": {
                "description": "Initiating unit(s): a unit id or a list of unit ids.",
                "anyOf": [
                    _unit_ref(),
                    {"type": "array", "items": _unit_ref(), "minItems": 1},
                ],
            },
            "to": {
                "description": "Audience unit(s): a unit id, a list of unit ids, or all (a "
                "broadcast: every unit except the from units; it adds no edge to the graph).",
                "anyOf": [
                    {"type": "string", "const": "all"},
                    _unit_ref(),
                    {"type": "array", "items": _unit_ref(), "minItems": 1},
                ],
            },
            "direction": "one-way (default) or two-way.",
            "channel": {
                "description": "How it happens: free text; the examples are suggested values.",
                "type": "string",
                "examples": CHANNEL_EXAMPLES,
            },
            "cadence": _cadence(),
            "owner": _slug("Id of the person who owns the touchpoint."),
            "tags": "Free tags, e.g. symbolic-action.",
            "last_reviewed": _date(_REVIEWED),
            "ratings": "Pre-aggregated survey results, in any order.",
            "audit": _AUDIT.format(what="touchpoint"),
        },
    ),
    "Rating": (
        "Pre-aggregated survey results of a touchpoint.",
        {
            "date": _date("Date of the survey, YYYY-MM-DD."),
            "n": "Number of respondents.",
            "scores": "Mean answer per scoring dimension, on the scoring scale "
            "(e.g. {clarity: 4.1, dialogue: 2.9}).",
        },
    ),
    "Journey": (
        "An ordered walk over touchpoints, as an employee lives through it.",
        {
            "id": _item_id("journey"),
            "name": _text("Display name of the journey."),
            "audience": "The persona who lives through it.",
            "goal": "What the journey should achieve.",
            "owner": _slug("Id of the person who owns the journey; absent or null = nobody."),
            "co_owners": {
                "description": "Ids of further people who own the journey.",
                "type": "array",
                "items": {"type": "string", "pattern": SLUG_PATTERN},
            },
            "last_reviewed": _date(_REVIEWED),
            "steps": "The touchpoints of the journey, in order (at least one).",
            "audit": _AUDIT.format(what="journey"),
        },
    ),
    "Step": (
        "One step of a journey.",
        {
            "touchpoint": _slug("Id of the touchpoint."),
            "stage": "Optional phase name, used by diagrams.",
            "critical": "A moment of truth: weighs double in scores (default false).",
        },
    ),
    "ItemAudit": (
        "Suppressions of audit rules for the findings whose subject is this item.",
        {
            "ignore": {
                "description": "Rule code: reason, or code: {reason, until}. The reason is "
                "required; after `until` the suppression no longer applies.",
                "type": "object",
                "propertyNames": {"pattern": CODE_PATTERN},
                "additionalProperties": {
                    "anyOf": [
                        _text("Why the rule does not apply here."),
                        {"$ref": "#/definitions/Suppression"},
                    ]
                },
            },
        },
    ),
    "Suppression": (
        "A suppression with a reason and an optional end date.",
        {
            "reason": _text("Why the rule does not apply here (required, not empty)."),
            "until": _date("After this date (YYYY-MM-DD) the suppression no longer applies."),
        },
    ),
    "Scoring": (
        "Settings of tpm score.",
        {
            "scale": "[low, high]: the answer scale of the dimensions (default [1, 5]).",
            "min_responses": "Anonymity: no score from fewer respondents is ever shown "
            "(default 5).",
            "max_age_days": "Responses used: those within this many days of a touchpoint's "
            "newest response (default 56).",
            "dimensions": "Scoring dimensions by name; a user's list replaces the five defaults.",
            "thresholds": "Bands: good >= good, poor < poor, fair between (scores 0-100).",
            "index_weights": "Weights of the five components of the TPM index.",
        },
    ),
    "Dimension": (
        "A scoring dimension.",
        {
            "weight": "Weight in the touchpoint score (default 1).",
            "label": "Display name.",
        },
    ),
    "Thresholds": (
        "Score bands (0-100).",
        {
            "good": "A score at or above this is good (default 70).",
            "poor": "A score below this is poor (default 50); not above good.",
        },
    ),
    "IndexWeights": (
        "Weights of the components of the TPM index.",
        {
            "quality": "n-weighted mean touchpoint score (default weight 1).",
            "ownership": "% of journeys with an active owner (default weight 1).",
            "dialogue": "% of units with a feedback path to top management (default weight 1).",
            "freshness": "% of touchpoints whose score is fresh (default weight 1).",
            "connectedness": "% of units that are not CX islands (default weight 1).",
        },
    ),
    "AuditConfig": (
        "Settings of tpm audit.",
        {
            "fail_on": "Lowest severity that makes tpm audit exit 1 (default error).",
            "ignore": {
                "description": "Rules switched off project-wide: codes such as TPM020, or "
                "prefixes such as TPM02.",
                "type": "array",
                "items": {"type": "string", "pattern": CODE_OR_PREFIX_PATTERN},
            },
            "severity": {
                "description": "Changed severities by rule code, e.g. {TPM034: warning}.",
                "type": "object",
                "propertyNames": {"pattern": CODE_PATTERN},
                "additionalProperties": {"type": "string", "enum": ["error", "warning", "info"]},
            },
            "max_feedback_hops": "Longest acceptable feedback path to top management, in edges "
            "(TPM023, default 3).",
            "max_review_age_days": "Reviews older than this are stale (TPM034, default 365).",
            "bottleneck_min_cut": "A unit is a bottleneck when removing it cuts off at least this "
            "many other units (TPM025, default 2).",
        },
    ),
    "Settings": (
        "The settings of tpm.yaml.",
        {
            "organisation": _text("Name of the organisation."),
            "scoring": "Settings of tpm score (optional).",
            "audit": "Settings of tpm audit (optional).",
        },
    ),
}


def _is_null(schema: Any) -> bool:
    return isinstance(schema, dict) and schema.get("type") == "null" and len(schema) == 1


def _replace(original: dict[str, Any], meaning: dict[str, Any]) -> dict[str, Any]:
    """`meaning` in place of pydantic's field schema, keeping its nullability and default."""
    new = copy.deepcopy(meaning)
    options = original.get("anyOf")
    if isinstance(options, list) and any(_is_null(option) for option in options):
        # Annotations stay at the top, where editors look for them.
        hoisted: dict[str, Any] = {
            key: new.pop(key) for key in ("description", "examples") if key in new
        }
        options = new["anyOf"] if list(new) == ["anyOf"] else [new]
        new = {**hoisted, "anyOf": [*options, {"type": "null"}]}
    if "default" in original:
        new["default"] = copy.deepcopy(original["default"])
    return new


def _merge_null(schema: dict[str, Any]) -> dict[str, Any]:
    """`anyOf: [{type: T, ...}, {type: null}]` as `{type: [T, null], ...}` where that means the
    same (the other keywords only apply to a T): simpler to read, and validators then report the
    real problem instead of "not valid under any of the given schemas"."""
    options = schema.get("anyOf")
    if not (isinstance(options, list) and len(options) == 2 and _is_null(options[1])):
        return schema
    value = options[0]
    if not isinstance(value.get("type"), str) or set(value) & {"enum", "const", "$ref"}:
        return schema
    if set(value) & set(schema):  # an annotation on both levels: leave it alone
        return schema
    out: dict[str, Any] = {}
    for key, sub in schema.items():
        if key == "anyOf":
            out.update(value)
            out["type"] = [value["type"], "null"]
        else:
            out[key] = sub
    return out


def _closed(schema: dict[str, Any]) -> dict[str, Any]:
    """A mapping with fixed keys: unknown keys are errors, the user's `x-` keys are allowed."""
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in ("additionalProperties", "patternProperties"):
            continue
        out[key] = value
        if key == "properties":
            out["patternProperties"] = copy.deepcopy(X_KEYS)
            out["additionalProperties"] = False
    return out


def _definitions() -> dict[str, dict[str, Any]]:
    from tpm.model import Scoring

    definitions = _pydantic_definitions()
    for name, (description, fields) in _MEANING.items():
        definition = definitions[name]
        definition["description"] = description
        properties = definition["properties"]
        missing = set(properties) ^ set(fields)
        if missing:  # a model changed: keep the schema honest rather than silently partial
            raise RuntimeError(f"jsonschema: fields of {name} not described: {sorted(missing)}")
        for field, meaning in fields.items():
            if isinstance(meaning, str):
                properties[field] = {"description": meaning, **properties[field]}
            else:
                properties[field] = _replace(properties[field], meaning)
            properties[field] = _merge_null(properties[field])
        head = {key: definition.pop(key) for key in ("title", "description", "type")}
        definitions[name] = _closed({**head, **definition})
    dimensions = definitions["Scoring"]["properties"]["dimensions"]
    dimensions["default"] = {
        key: dimension.model_dump(mode="json") for key, dimension in Scoring().dimensions.items()
    }
    return definitions


# -- the three files -----------------------------------------------------------------------------


def _nullable_list(description: str, item: str) -> dict[str, Any]:
    """A list of items, or null (an empty key: no items)."""
    return {
        "description": description,
        "type": ["array", "null"],
        "items": {"$ref": f"#/definitions/{item}"},
    }


def _nullable_ref(field: dict[str, Any], item: str) -> dict[str, Any]:
    """A settings section: the model, or null (an empty section keeps the defaults)."""
    out = {key: copy.deepcopy(value) for key, value in field.items() if key != "allOf"}
    out["anyOf"] = [{"$ref": f"#/definitions/{item}"}, {"type": "null"}]
    return out


def _refs(schema: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key == "$ref" and isinstance(value, str):
                found.add(value.rsplit("/", 1)[-1])
            elif key not in ("default", "examples", "const", "enum"):
                found |= _refs(value)
    elif isinstance(schema, list):
        for value in schema:
            found |= _refs(value)
    return found


def _document(
    name: str,
    title: str,
    description: str,
    body: dict[str, Any],
    definitions: dict[str, dict[str, Any]],
) -> dict[str, Any]:
    """A whole schema: the header, the body, and the definitions it reaches (sorted by name)."""
    needed: set[str] = set()
    todo = _refs(body)
    while todo:
        ref = todo.pop()
        if ref not in needed:
            needed.add(ref)
            todo |= _refs(definitions[ref])
    return {
        "$schema": DRAFT_07,
        "$id": BASE_ID + name,
        "title": title,
        "description": description,
        **body,
        "definitions": {ref: copy.deepcopy(definitions[ref]) for ref in sorted(needed)},
    }


def schemas() -> dict[str, dict[str, Any]]:
    """The three draft-07 schemas, keyed by file name."""
    definitions = _definitions()
    settings = definitions["Settings"]["properties"]
    config_body = _closed(
        {
            "type": "object",
            "properties": {
                "organisation": settings["organisation"],
                "units": _nullable_list(
                    "The units of the organisation: the board, departments, teams.", "Unit"
                ),
                "people": _nullable_list("Who can own things: named people or roles.", "Person"),
                "scoring": _nullable_ref(settings["scoring"], "Scoring"),
                "audit": _nullable_ref(settings["audit"], "AuditConfig"),
            },
            "required": ["organisation", "units"],
        }
    )
    touchpoints_body = _closed(
        {
            "type": ["object", "null"],
            "properties": {
                "touchpoints": _nullable_list("The touchpoints of this file.", "Touchpoint")
            },
        }
    )
    journeys_body = _closed(
        {
            "type": ["object", "null"],
            "properties": {"journeys": _nullable_list("The journeys of this file.", "Journey")},
        }
    )
    return {
        CONFIG_SCHEMA: _document(
            CONFIG_SCHEMA,
            "tpm.yaml",
            "The organisation of a tpm project: units, people, and the settings of tpm score "
            "and tpm audit. Generated by `tpm schema`.",
            config_body,
            definitions,
        ),
        TOUCHPOINTS_SCHEMA: _document(
            TOUCHPOINTS_SCHEMA,
            "tpm touchpoints file",
            "A file below touchpoints/ of a tpm project: a list of touchpoints under "
            "`touchpoints:`. Generated by `tpm schema`.",
            touchpoints_body,
            definitions,
        ),
        JOURNEYS_SCHEMA: _document(
            JOURNEYS_SCHEMA,
            "tpm journeys file",
            "A file below journeys/ of a tpm project: a list of journeys under `journeys:`. "
            "Generated by `tpm schema`.",
            journeys_body,
            definitions,
        ),
    }


def dumps(schema: dict[str, Any]) -> str:
    """A schema as written to a file: indented JSON with a trailing newline."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def write_schemas(directory: Path) -> list[Path]:
    """Write the three schemas into `directory` (created if missing), each atomically.

    Raises `tpm.fsutil.OutputError` when a file cannot be written.
    """
    from tpm.fsutil import write_atomic

    directory = Path(directory)
    written = []
    for name, schema in schemas().items():
        path = directory / name
        write_atomic(path, dumps(schema))
        written.append(path)
    return written
