"""pydantic models of tpm.yaml, touchpoint files and journey files (docs/file-formats.md).

Models validate one item at a time, so one bad item never hides the others. Values come from
`yamlsource` with YAML 1.2 meanings (dates are strings, `no` is a string), and the models are
strict: `customer_facing: yes` is a string, not a boolean, and is reported as such.

The models are also the JSON Schemas of `tpm schema` (tpm/jsonschema.py generates them): a
model's docstring and its fields' descriptions are what editors show, and `WithJsonSchema` says
in a schema what a validator checks in Python (slugs, cadences, dates, one id or a list).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, NamedTuple, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from tpm.catalogue import (
    CODE_OR_PREFIX_PATTERN,
    CODE_PATTERN,
    FailLevel,
    is_code,
    is_code_or_prefix,
    mentioned,
)
from tpm.dates import NOT_A_DATE, date_problem, parse_date

if TYPE_CHECKING:
    from pydantic import GetJsonSchemaHandler
    from pydantic.json_schema import JsonSchemaValue
    from pydantic_core import CoreSchema

_EXAMPLE = mentioned("unused-touchpoint")  # a code in messages and descriptions
RESERVED_IDS = frozenset({"all"})
ALL = ["all"]

NAMED_CADENCES: dict[str, int | None] = {
    "once": None,
    "daily": 1,
    "weekly": 7,
    "biweekly": 14,
    "monthly": 30,
    "quarterly": 91,
    "yearly": 365,
    "on-demand": None,
}
_CADENCE_NAMES = ", ".join(NAMED_CADENCES)
_DURATION_RE = re.compile(r"^P([1-9][0-9]{0,5})([DWMY])\Z")
_UNIT_DAYS = {"D": 1, "W": 7, "M": 30, "Y": 365}
# Bounds that keep the scores' arithmetic finite (a float ends near 1.8e308: a sum of larger
# weights or counts is inf, and inf / inf is NaN, which JSON cannot hold).
MAX_RESPONDENTS = 1_000_000_000
MAX_WEIGHT = 1_000_000
MAX_SCALE = 1_000_000  # the ends of the answer scale: high - low stays finite


def _fail(kind: str, message: str) -> PydanticCustomError:
    """An error whose message is exactly `message` (no template, so braces are safe)."""
    return PydanticCustomError(kind, "{message}", {"message": message})


def cadence_days(cadence: str | None) -> int | None:
    """The period of a cadence in days; None for once, on-demand or no cadence."""
    if cadence is None:
        return None
    if cadence in NAMED_CADENCES:
        return NAMED_CADENCES[cadence]
    match = _DURATION_RE.match(cadence)
    if not match:
        return None
    return int(match.group(1)) * _UNIT_DAYS[match.group(2)]


def _item_id(value: str) -> str:
    if value in RESERVED_IDS:
        raise _fail("reserved", "'all' is reserved (it means every unit) and cannot be an id")
    return value


def _date(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        day = parse_date(value.strip())
        if day is not None:
            return day
        raise _fail("date", f"{value!r} {date_problem(value.strip())}")
    raise _fail("date", f"{value!r} {NOT_A_DATE}")


def _cadence(value: str) -> str:
    if value in NAMED_CADENCES or _DURATION_RE.match(value):
        return value
    raise _fail(
        "cadence",
        f"cadence {value!r} is not a cadence: use one of {_CADENCE_NAMES} "
        "or an ISO duration such as P2W",
    )


def _one_or_many(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


def _audience(value: Any) -> Any:
    if value == "all":
        return ["all"]
    if isinstance(value, list) and "all" in value:
        raise _fail("all_in_list", "'all' stands alone (to: all), never inside a list")
    return _one_or_many(value)


def _no_all(value: Any) -> Any:
    if value == "all" or (isinstance(value, list) and "all" in value):
        raise _fail(
            "all_in_from", "'all' is only for 'to' (to: all); from names the initiating units"
        )
    return _one_or_many(value)


def _code(value: str) -> str:
    if not is_code(value):
        raise _fail("code", f"{value!r} is not a rule code such as {_EXAMPLE}")
    return value


def _code_or_prefix(value: str) -> str:
    if not is_code_or_prefix(value):
        raise _fail("code", f"{value!r} is not a rule code or prefix such as {_EXAMPLE} or TPM02")
    return value


def _non_blank(value: str) -> str:
    if not value.strip():
        raise _fail("blank", "must not be empty")
    return value


# The schemas of what the validators above check in Python (structure only: tpm checks meaning).
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
# The model accepts n with at most six digits (_DURATION_RE); so does the schema.
DURATION_PATTERN = r"^P[1-9][0-9]{0,5}[DWMY]$"
TEXT_SCHEMA = {"type": "string", "pattern": r"\S"}
CADENCE_DESCRIPTION = (
    "How often it happens: once, daily, weekly, biweekly, monthly, quarterly, yearly, "
    "on-demand, or a single-unit ISO-8601 duration PnD, PnW, PnM or PnY with n >= 1 "
    "(a month counts as 30 days, a year as 365)."
)
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

# The slug pattern is checked by pydantic-core itself (no Python call for each of the
# hundreds of thousands of references in a large project); schema_errors words its message.
# The JSON Schemas use it too; in Python, match it with SLUG_RE.fullmatch (`$` alone would
# let a trailing newline through).
SLUG_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,63}$"
SLUG_RE = re.compile(SLUG_PATTERN)
# An id, or a reference to a unit: a slug other than `all`.
ID_SCHEMA = {"type": "string", "pattern": SLUG_PATTERN, "not": {"const": "all"}}
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
ItemId = Annotated[
    str,
    StringConstraints(pattern=SLUG_PATTERN),
    AfterValidator(_item_id),
    WithJsonSchema(ID_SCHEMA),
]
Date = Annotated[
    dt.date, BeforeValidator(_date), WithJsonSchema({"type": "string", "pattern": DATE_PATTERN})
]
Cadence = Annotated[
    str,
    AfterValidator(_cadence),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "enum": list(NAMED_CADENCES)},
                {"type": "string", "pattern": DURATION_PATTERN},
            ]
        }
    ),
]
Code = Annotated[
    str, AfterValidator(_code), WithJsonSchema({"type": "string", "pattern": CODE_PATTERN})
]
Text = Annotated[str, AfterValidator(_non_blank), WithJsonSchema(TEXT_SCHEMA)]
Number = Annotated[float, Field(allow_inf_nan=False)]


def _id(what: str) -> Any:
    return Field(
        description=f"Unique id of the {what}: a slug of 1 to 64 lowercase letters, digits, "
        "'.', '_' or '-', starting with a letter or digit. Units, people, touchpoints and "
        "journeys share one namespace; 'all' is reserved."
    )


_REVIEWED = (
    "Date of the last review, YYYY-MM-DD (tpm audit flags stale reviews, "
    f"{mentioned('stale-review')})."
)
_AUDIT = "Suppressions of audit rules for the findings about this {what}."


class _Model(BaseModel):
    # Strict, closed mappings; keys starting with `x-` are the user's own and are dropped.
    # (A comment, not a docstring: a model's docstring is its description in the schemas.)

    model_config = ConfigDict(extra="forbid", strict=True, frozen=False, populate_by_name=True)

    @model_validator(mode="before")
    @classmethod
    def _drop_x_keys(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for key in data:
                if isinstance(key, str) and key.startswith("x-"):
                    return {
                        k: v
                        for k, v in data.items()
                        if not (isinstance(k, str) and k.startswith("x-"))
                    }
        return data


class Suppression(_Model):
    """A suppression with a reason and an optional end date."""

    reason: Text = Field(description="Why the rule does not apply here (required, not empty).")
    until: Date | None = Field(
        default=None, description="After this date (YYYY-MM-DD) the suppression no longer applies."
    )


def _suppression(value: Any) -> Any:
    if value is None:
        raise _fail("reason", "needs a reason: write CODE: why it does not apply here")
    return {"reason": value} if isinstance(value, str) else value


class _ReasonOrSuppression:
    """The schema of a suppression as written: a reason, or {reason, until}."""

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        reason = {"description": "Why the rule does not apply here.", **TEXT_SCHEMA}
        return {"anyOf": [reason, handler(schema)]}


class ItemAudit(_Model):
    """Suppressions of audit rules for the findings whose subject is this item."""

    ignore: dict[
        Code, Annotated[Suppression, BeforeValidator(_suppression), _ReasonOrSuppression()]
    ] = Field(
        default={},
        description="Rule code: reason, or code: {reason, until}. The reason is required; "
        "after `until` the suppression no longer applies.",
    )


class Unit(_Model):
    """A unit of the organisation: the board, a department, a team."""

    id: ItemId = _id("unit")
    name: Text = Field(description="Display name of the unit.")
    parent: Slug | None = Field(
        default=None,
        description="Id of the parent unit. Structure only: it adds no edge to the graph.",
    )
    level: Annotated[int, Field(ge=0)] | None = Field(
        default=None,
        description="Hierarchy level, 0 = top management. Default: 1 for a unit without "
        "parent, the parent's level + 1 otherwise; an explicit level always wins.",
    )
    customer_facing: bool = Field(
        default=False, description="The unit works with customers (default false, not inherited)."
    )
    description: str | None = Field(default=None, description="Free text.")
    audit: ItemAudit | None = Field(default=None, description=_AUDIT.format(what="unit"))


class Person(_Model):
    """Someone who can own touchpoints and journeys: a named person or a role."""

    id: ItemId = _id("person")
    name: Text = Field(description="Name of the person, or of the role.")
    unit: Slug = Field(description="Id of the unit the person belongs to.")
    role: str | None = Field(default=None, description="Role or job title.")
    email: str | None = Field(default=None, description="E-mail address.")
    active: bool = Field(
        default=True,
        description="false for someone who left or a vacant role: they own nothing any more "
        "(default true).",
    )
    audit: ItemAudit | None = Field(default=None, description=_AUDIT.format(what="person"))


class Rating(_Model):
    """Pre-aggregated survey results of a touchpoint."""

    date: Date = Field(description="Date of the survey, YYYY-MM-DD.")
    n: Annotated[int, Field(ge=0, le=MAX_RESPONDENTS)] = Field(description="Number of respondents.")
    scores: dict[str, Number] = Field(
        description="Mean answer per scoring dimension, on the scoring scale "
        "(e.g. {clarity: 4.1, dialogue: 2.9})."
    )


_UNITS_SCHEMA = [ID_SCHEMA, {"type": "array", "items": ID_SCHEMA, "minItems": 1}]


class Touchpoint(_Model):
    """A regular point of contact from some units to others."""

    id: ItemId = _id("touchpoint")
    name: Text = Field(description="Display name of the touchpoint.")
    description: str | None = Field(default=None, description="Free text.")
    from_: Annotated[
        list[Slug],
        BeforeValidator(_no_all),
        Field(alias="from", min_length=1),
        WithJsonSchema({"anyOf": _UNITS_SCHEMA}),
    ] = Field(description="Initiating unit(s): a unit id or a list of unit ids.")
    # `to: all` is kept as ["all"]: one type, and "all" can never be an id.
    to: Annotated[
        list[Slug],
        BeforeValidator(_audience),
        Field(min_length=1),
        WithJsonSchema({"anyOf": [{"type": "string", "const": "all"}, *_UNITS_SCHEMA]}),
    ] = Field(
        description="Audience unit(s): a unit id, a list of unit ids, or all (a broadcast: "
        "every unit except the from units; it adds no edge to the graph)."
    )
    direction: Literal["one-way", "two-way"] = Field(
        default="one-way", description="one-way (default) or two-way."
    )
    channel: str | None = Field(
        default=None,
        description="How it happens: free text; the examples are suggested values.",
        examples=CHANNEL_EXAMPLES,
    )
    cadence: Cadence | None = Field(default=None, description=CADENCE_DESCRIPTION)
    owner: Slug | None = Field(
        default=None, description="Id of the person who owns the touchpoint."
    )
    tags: list[str] = Field(default=[], description="Free tags, e.g. symbolic-action.")
    last_reviewed: Date | None = Field(default=None, description=_REVIEWED)
    ratings: list[Rating] = Field(
        default=[], description="Pre-aggregated survey results, in any order."
    )
    audit: ItemAudit | None = Field(default=None, description=_AUDIT.format(what="touchpoint"))

    @property
    def broadcast(self) -> bool:
        return self.to == ALL

    @property
    def two_way(self) -> bool:
        return self.direction == "two-way"


class Step(_Model):
    """One step of a journey."""

    touchpoint: Slug = Field(description="Id of the touchpoint.")
    stage: str | None = Field(default=None, description="Optional phase name, used by diagrams.")
    critical: bool = Field(
        default=False, description="A moment of truth: weighs double in scores (default false)."
    )


class Journey(_Model):
    """An ordered walk over touchpoints, as an employee lives through it."""

    id: ItemId = _id("journey")
    name: Text = Field(description="Display name of the journey.")
    audience: str | None = Field(default=None, description="The persona who lives through it.")
    goal: str | None = Field(default=None, description="What the journey should achieve.")
    owner: Slug | None = Field(
        default=None, description="Id of the person who owns the journey; absent or null = nobody."
    )
    co_owners: list[Slug] = Field(
        default=[], description="Ids of further people who own the journey."
    )
    last_reviewed: Date | None = Field(default=None, description=_REVIEWED)
    steps: Annotated[list[Step], Field(min_length=1)] = Field(
        description="The touchpoints of the journey, in order (at least one)."
    )
    audit: ItemAudit | None = Field(default=None, description=_AUDIT.format(what="journey"))


class Dimension(_Model):
    """A scoring dimension."""

    weight: Annotated[Number, Field(ge=0, le=MAX_WEIGHT)] = Field(
        default=1.0, description="Weight in the touchpoint score (default 1)."
    )
    label: str | None = Field(default=None, description="Display name.")


DEFAULT_DIMENSIONS: dict[str, Dimension] = {
    "clarity": Dimension(weight=1.0, label="Clarity"),
    "appreciation": Dimension(weight=1.0, label="Appreciation"),
    "dialogue": Dimension(weight=1.0, label="Two-way dialogue"),
    "customer_focus": Dimension(weight=1.0, label="Customer focus"),
    "empowerment": Dimension(weight=1.0, label="Empowerment"),
}


class Thresholds(_Model):
    """Score bands (0-100)."""

    good: Annotated[Number, Field(ge=0, le=100)] = Field(
        default=70.0, description="A score at or above this is good (default 70)."
    )
    poor: Annotated[Number, Field(ge=0, le=100)] = Field(
        default=50.0, description="A score below this is poor (default 50); not above good."
    )

    @model_validator(mode="after")
    def _ordered(self) -> Thresholds:
        if self.poor > self.good:
            raise _fail(
                "thresholds",
                f"thresholds.poor ({self.poor:g}) must not be above good ({self.good:g})",
            )
        return self


Weight = Annotated[Number, Field(ge=0, le=MAX_WEIGHT)]


class IndexWeights(_Model):
    """Weights of the components of the TPM index."""

    quality: Weight = Field(
        default=1.0, description="n-weighted mean touchpoint score (default weight 1)."
    )
    ownership: Weight = Field(
        default=1.0, description="% of journeys with an active owner (default weight 1)."
    )
    dialogue: Weight = Field(
        default=1.0,
        description="% of units with a feedback path to top management (default weight 1).",
    )
    freshness: Weight = Field(
        default=1.0, description="% of touchpoints whose score is fresh (default weight 1)."
    )
    connectedness: Weight = Field(
        default=1.0, description="% of units that are not CX islands (default weight 1)."
    )

    @model_validator(mode="after")
    def _some_weight(self) -> IndexWeights:
        if not any(self.model_dump().values()):
            raise _fail("weights", "index_weights are all 0: the TPM index would weigh nothing")
        return self


def _default_dimensions(schema: dict[str, Any]) -> None:
    """The schema's default of `dimensions` (pydantic shows no default made by a factory)."""
    schema["default"] = {key: d.model_dump(mode="json") for key, d in DEFAULT_DIMENSIONS.items()}


class Scoring(_Model):
    """Settings of tpm score."""

    scale: Annotated[
        list[Annotated[Number, Field(ge=-MAX_SCALE, le=MAX_SCALE)]],
        Field(min_length=2, max_length=2),
    ] = Field(
        default=[1.0, 5.0],
        description="[low, high]: the answer scale of the dimensions (default [1, 5]).",
    )
    min_responses: Annotated[int, Field(ge=1)] = Field(
        default=5,
        description="Anonymity: no score from fewer respondents is ever shown (default 5).",
    )
    max_age_days: Annotated[int, Field(ge=1)] = Field(
        default=56,
        description="Freshness: a source older than this many days (or the touchpoint's "
        "cadence, if longer) is stale (default 56).",
    )
    wave_gap_days: Annotated[int, Field(ge=1)] = Field(
        default=14,
        description="Survey waves are found from the dates: a new wave starts after more than "
        "this many days without an answer (default 14; a `wave` column overrides).",
    )
    dimensions: Annotated[dict[Text, Dimension], Field(min_length=1)] = Field(
        default_factory=lambda: dict(DEFAULT_DIMENSIONS),
        description="Scoring dimensions by name; a user's list replaces the five defaults.",
        json_schema_extra=_default_dimensions,
    )
    thresholds: Thresholds = Field(
        default=Thresholds(),
        description="Bands: good >= good, poor < poor, fair between (scores 0-100).",
    )
    index_weights: IndexWeights = Field(
        default=IndexWeights(), description="Weights of the five components of the TPM index."
    )

    @model_validator(mode="after")
    def _some_dimension_weight(self) -> Scoring:
        if not any(d.weight for d in self.dimensions.values()):
            raise _fail("weights", "every dimension weighs 0: no touchpoint could be scored")
        return self

    @model_validator(mode="after")
    def _enps_is_no_dimension(self) -> Scoring:
        if "enps" in self.dimensions:
            raise _fail(
                "enps",
                "dimensions: 'enps' is the eNPS question of the response files (0-10), "
                "not a dimension: name the dimension otherwise",
            )
        return self

    @model_validator(mode="after")
    def _scale(self) -> Scoring:
        low, high = self.scale
        if not low < high:
            raise _fail("scale", f"scale [{low:g}, {high:g}] must go from low to high")
        return self

    @property
    def low(self) -> float:
        return self.scale[0]

    @property
    def high(self) -> float:
        return self.scale[1]


Level = Literal["error", "warning", "info"]


CodeOrPrefix = Annotated[
    str,
    AfterValidator(_code_or_prefix),
    WithJsonSchema({"type": "string", "pattern": CODE_OR_PREFIX_PATTERN}),
]


class AuditConfig(_Model):
    """Settings of tpm audit."""

    # The rules' own settings (such as max_feedback_hops) are declared with each rule
    # (`Rule.options`, a `RuleOptions` model) and join these fields in the model the loader is
    # given: `Catalogue.settings_model(AuditConfig)`.

    fail_on: FailLevel = Field(
        default="error", description="Lowest severity that makes tpm audit exit 1 (default error)."
    )
    show: Literal["error", "warning", "info"] = Field(
        default="info",
        description="Lowest severity that tpm audit lists in its text, github and markdown "
        "output (default info: every finding); the others are only counted in the summary. "
        "Exit codes and the json, sarif, gitlab and junit output are not affected; --show "
        "overrides it.",
    )
    ignore: list[CodeOrPrefix] = Field(
        default=[],
        description=f"Rules switched off project-wide: codes such as {_EXAMPLE}, or prefixes "
        f"such as TPM02.",
    )
    severity: dict[Code, Level] = Field(
        default={},
        description="Changed severities by rule code, e.g. "
        f"{{{mentioned('stale-review')}: warning}}.",
    )


class OpenAuditConfig(AuditConfig):
    """`audit:` when the loader is given no catalogue: other keys (the rules' settings) are
    neither judged nor used, so the rules run with their defaults."""

    model_config = ConfigDict(extra="ignore")


_Options = TypeVar("_Options", bound="RuleOptions")


class RuleOptions(_Model):
    """The settings of one rule under `audit:` in tpm.yaml (its `Rule.options`)."""

    # Where its keys stand among the settings of audit: (in messages that list the allowed
    # keys, and in the JSON Schema); equal positions go in code order.
    position: ClassVar[int] = 100

    @classmethod
    def of(cls: type[_Options], audit: AuditConfig) -> _Options:
        """These settings as loaded into `audit` (the defaults where it does not hold them,
        as when the project was loaded without a catalogue)."""
        given = {name: getattr(audit, name) for name in cls.model_fields if hasattr(audit, name)}
        return cls.model_validate(given)


class Settings(_Model):
    # The parts of tpm.yaml other than the item lists (validated on their own).

    organisation: Text = Field(description="Name of the organisation.")
    scoring: Scoring = Field(default=Scoring(), description="Settings of tpm score (optional).")
    audit: AuditConfig = Field(
        default=AuditConfig(), description="Settings of tpm audit (optional)."
    )


# The top-level keys of tpm.yaml.
CONFIG_KEYS = ("organisation", "units", "people", "scoring", "audit")


class ItemKind(NamedTuple):
    name: str  # "person": what an item is called (Item.kind, messages)
    list_key: str  # "people": the key of its list in the files, and its table on the Project
    model: type[_Model]


# The one table of the kinds of item.
KINDS: dict[str, ItemKind] = {
    k.name: k
    for k in (
        ItemKind("unit", "units", Unit),
        ItemKind("person", "people", Person),
        ItemKind("touchpoint", "touchpoints", Touchpoint),
        ItemKind("journey", "journeys", Journey),
    )
}
KIND_OF_LIST: dict[str, ItemKind] = {k.list_key: k for k in KINDS.values()}
