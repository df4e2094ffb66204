"""Interaction quality scores (SPEC 6): touchpoints, journeys, units, eNPS and the TPM index.

`compute(project, graph, as_of, extra_responses)` returns plain results; the command, the audit
rules (TPM030 to TPM033), the diagrams and the report only read them.

Privacy: a value computed from fewer than `min_responses` respondents is never stored in these
results (it is None, with n kept), so no output can show it by mistake.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Band = Literal["good", "fair", "poor"]
SourceKind = Literal["responses", "ratings", "none"]


@dataclass
class DimensionDetail:
    """What `--explain` shows for one dimension of one touchpoint."""

    dimension: str
    label: str
    weight: float
    n: int  # answers to this dimension in the source
    mean: float | None  # None when n < min_responses
    score: float | None  # the mean rescaled to 0-100; None when hidden or unanswered


@dataclass
class TouchpointScore:
    id: str
    name: str
    score: float | None  # 0-100; None: unrated or hidden by the anonymity threshold
    band: Band | None
    n: int  # respondents of the chosen source (0 without a source)
    dimensions: dict[str, float | None]  # every configured dimension -> 0-100 or None
    newest: dt.date | None  # date of the chosen source (the rating's date / newest response)
    source: SourceKind
    fresh: bool | None  # newest within the freshness limit; None without a source
    freshness_days: int  # the freshness limit: max(max_age_days, cadence in days)
    window: tuple[dt.date, dt.date] | None = None  # responses: [newest - max_age_days, newest]
    files: list[str] = field(default_factory=list)  # responses: display paths of the files used
    details: list[DimensionDetail] = field(default_factory=list)


@dataclass
class JourneyScore:
    id: str
    name: str
    score: float | None
    band: Band | None
    coverage: float  # scored steps / steps, 0-1
    weakest: str | None  # touchpoint id of the lowest-scored step


@dataclass
class UnitScore:
    id: str
    name: str
    score: float | None  # n-weighted mean of the scores of touchpoints the unit receives
    band: Band | None
    n: int
    own_score: float | None  # from responses whose `unit` is this unit
    own_n: int


@dataclass
class Enps:
    value: float | None  # -100..100; None when n < min_responses
    n: int
    promoters: float | None  # percentages
    detractors: float | None


@dataclass
class Index:
    value: float | None
    components: dict[str, float | None]  # quality, ownership, dialogue, freshness, connectedness


@dataclass
class Scores:
    as_of: dt.date
    min_responses: int
    touchpoints: dict[str, TouchpointScore]
    journeys: dict[str, JourneyScore]
    units: dict[str, UnitScore]
    enps: Enps
    enps_units: dict[str, Enps]
    index: Index
    findings: list  # type: ignore[type-arg]  # bad response rows (TPM001/TPM002/TPM005)
    response_files: list[Path] = field(default_factory=list)
