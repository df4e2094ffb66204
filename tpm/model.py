"""pydantic models of tpm.yaml, touchpoint files and journey files (docs/file-formats.md).

Models validate one item at a time, so one bad item never hides the others. Values come from
`yamlsource` with YAML 1.2 meanings (dates are strings, `no` is a string), and the models are
strict: `customer_facing: yes` is a string, not a boolean, and is reported as such.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)
from pydantic_core import PydanticCustomError

from tpm.dates import NOT_A_DATE, date_problem, parse_date

CODE_RE = re.compile(r"^TPM[0-9]{3}\Z")
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
    if not CODE_RE.match(value):
        raise _fail("code", f"{value!r} is not a rule code such as TPM020")
    return value


def _code_or_prefix(value: str) -> str:
    if not re.match(r"^TPM[0-9]{0,3}\Z", value):
        raise _fail("code", f"{value!r} is not a rule code or prefix such as TPM020 or TPM02")
    return value


def _non_blank(value: str) -> str:
    if not value.strip():
        raise _fail("blank", "must not be empty")
    return value


# The slug pattern is checked by pydantic-core itself (no Python call for each of the
# hundreds of thousands of references in a large project); schema_errors words its message.
# The JSON Schemas use it too; in Python, match it with SLUG_RE.fullmatch (`$` alone would
# let a trailing newline through).
SLUG_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,63}$"
SLUG_RE = re.compile(SLUG_PATTERN)
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
ItemId = Annotated[str, StringConstraints(pattern=SLUG_PATTERN), AfterValidator(_item_id)]
Date = Annotated[dt.date, BeforeValidator(_date)]
Cadence = Annotated[str, AfterValidator(_cadence)]
Code = Annotated[str, AfterValidator(_code)]
Text = Annotated[str, AfterValidator(_non_blank)]
Number = Annotated[float, Field(allow_inf_nan=False)]


class _Model(BaseModel):
    """Strict, closed mappings; keys starting with `x-` are the user's own and are dropped."""

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
    reason: Text
    until: Date | None = None


def _suppression(value: Any) -> Any:
    if value is None:
        raise _fail("reason", "needs a reason: write CODE: why it does not apply here")
    return {"reason": value} if isinstance(value, str) else value


class ItemAudit(_Model):
    ignore: dict[Code, Annotated[Suppression, BeforeValidator(_suppression)]] = {}


class Unit(_Model):
    id: ItemId
    name: Text
    parent: Slug | None = None
    level: Annotated[int, Field(ge=0)] | None = None
    customer_facing: bool = False
    description: str | None = None
    audit: ItemAudit | None = None


class Person(_Model):
    id: ItemId
    name: Text
    unit: Slug
    role: str | None = None
    email: str | None = None
    active: bool = True
    audit: ItemAudit | None = None


class Rating(_Model):
    date: Date
    n: Annotated[int, Field(ge=0, le=MAX_RESPONDENTS)]
    scores: dict[str, Number]


class Touchpoint(_Model):
    id: ItemId
    name: Text
    description: str | None = None
    from_: Annotated[list[Slug], BeforeValidator(_no_all), Field(alias="from", min_length=1)]
    # `to: all` is kept as ["all"]: one type, and "all" can never be an id.
    to: Annotated[list[Slug], BeforeValidator(_audience), Field(min_length=1)]
    direction: Literal["one-way", "two-way"] = "one-way"
    channel: str | None = None
    cadence: Cadence | None = None
    owner: Slug | None = None
    tags: list[str] = []
    last_reviewed: Date | None = None
    ratings: list[Rating] = []
    audit: ItemAudit | None = None

    @property
    def broadcast(self) -> bool:
        return self.to == ALL

    @property
    def two_way(self) -> bool:
        return self.direction == "two-way"


class Step(_Model):
    touchpoint: Slug
    stage: str | None = None
    critical: bool = False


class Journey(_Model):
    id: ItemId
    name: Text
    audience: str | None = None
    goal: str | None = None
    owner: Slug | None = None
    co_owners: list[Slug] = []
    last_reviewed: Date | None = None
    steps: Annotated[list[Step], Field(min_length=1)]
    audit: ItemAudit | None = None


class Dimension(_Model):
    weight: Annotated[Number, Field(ge=0, le=MAX_WEIGHT)] = 1.0
    label: str | None = None


DEFAULT_DIMENSIONS: dict[str, Dimension] = {
    "clarity": Dimension(weight=1.0, label="Clarity"),
    "appreciation": Dimension(weight=1.0, label="Appreciation"),
    "dialogue": Dimension(weight=1.0, label="Two-way dialogue"),
    "customer_focus": Dimension(weight=1.0, label="Customer focus"),
    "empowerment": Dimension(weight=1.0, label="Empowerment"),
}


class Thresholds(_Model):
    good: Annotated[Number, Field(ge=0, le=100)] = 70.0
    poor: Annotated[Number, Field(ge=0, le=100)] = 50.0

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
    quality: Weight = 1.0
    ownership: Weight = 1.0
    dialogue: Weight = 1.0
    freshness: Weight = 1.0
    connectedness: Weight = 1.0

    @model_validator(mode="after")
    def _some_weight(self) -> IndexWeights:
        if not any(self.model_dump().values()):
            raise _fail("weights", "index_weights are all 0: the TPM index would weigh nothing")
        return self


class Scoring(_Model):
    scale: Annotated[list[Number], Field(min_length=2, max_length=2)] = [1.0, 5.0]
    min_responses: Annotated[int, Field(ge=1)] = 5
    max_age_days: Annotated[int, Field(ge=1)] = 56
    dimensions: Annotated[dict[Text, Dimension], Field(min_length=1)] = Field(
        default_factory=lambda: dict(DEFAULT_DIMENSIONS)
    )
    thresholds: Thresholds = Thresholds()
    index_weights: IndexWeights = IndexWeights()

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


class AuditConfig(_Model):
    fail_on: Literal["error", "warning", "info", "never"] = "error"
    ignore: list[Annotated[str, AfterValidator(_code_or_prefix)]] = []
    severity: dict[Code, Level] = {}
    max_feedback_hops: Annotated[int, Field(ge=1)] = 3
    max_review_age_days: Annotated[int, Field(ge=1)] = 365
    bottleneck_min_cut: Annotated[int, Field(ge=1)] = 2


class Settings(_Model):
    """The parts of tpm.yaml other than the item lists (validated on their own)."""

    organisation: Text
    scoring: Scoring = Scoring()
    audit: AuditConfig = AuditConfig()


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
