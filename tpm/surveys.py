"""Survey definitions (`surveys/*.yaml`) and ingested wave files (`waves/SURVEY/WAVE.yaml`).

A survey definition says how an export of a survey tool reads (docs/file-formats.md): its
layout (wide: a row per respondent and a column per question; long: a row per answer), which
columns hold the date, unit, respondent and wave, the text answers and what they score, and
which touchpoint and dimension each question measures. `tpm ingest` (tpm/ingest.py) reads an
export with it and writes one wave file per wave: aggregates only, after the privacy engine
(docs/privacy.md). The wave files are a source of measurement (`tpm.sources.WavesSource`).

The models are pydantic models like those of tpm/model.py, so that the files are checked with
positions and their JSON Schemas come from the field descriptions.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from tpm.model import Date, ItemId, Number, Slug, Text, _Model

WAVE_FORMAT = 1
WAVE_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
WaveId = Annotated[str, Field(pattern=WAVE_ID_PATTERN)]


class SurveyColumns(_Model):
    """The columns of the export that are not questions (names as the export's header has
    them; matched exactly, then ignoring case and surrounding white space)."""

    date: Text = Field(default="date", description="The column of the answer's date or date-time.")
    unit: Text | None = Field(default=None, description="The column of the respondent's unit.")
    respondent: Text | None = Field(
        default=None, description="The column of a pseudonymous respondent id (never stored)."
    )
    wave: Text | None = Field(default=None, description="The column naming the survey round.")
    touchpoint: Text = Field(
        default="touchpoint", description="Long layout: the column of the touchpoint id."
    )
    dimension: Text = Field(
        default="dimension", description="Long layout: the column of the dimension (or enps)."
    )
    score: Text = Field(default="score", description="Long layout: the column of the answer.")


class SurveyQuestion(_Model):
    """One question (a column of a wide export): what it measures, or that it is ignored."""

    column: Text = Field(description="The column's name in the export's header.")
    touchpoint: Slug | None = Field(default=None, description="Id of the touchpoint it measures.")
    dimension: Text | None = Field(default=None, description="The scoring dimension it measures.")
    reverse: bool = Field(
        default=False,
        description="A negatively worded item: scored low + high - answer.",
    )
    enps: bool = Field(
        default=False,
        description="The eNPS question (0-10: how likely are you to recommend us as a place to "
        "work?).",
    )
    ignore: bool = Field(
        default=False, description="Not read at all (free text is never read into an output)."
    )


class Survey(_Model):
    """A survey: how its exports read and what each question measures."""

    id: ItemId = Field(description="Unique id of the survey (a slug); `tpm ingest --survey ID`.")
    name: Text = Field(description="Display name of the survey.")
    touchpoint: Slug | None = Field(
        default=None, description="The touchpoint this survey is (optional)."
    )
    layout: Literal["wide", "long"] = Field(
        default="wide",
        description="wide: a row per respondent, a column per question; long: a row per answer "
        "(the columns of a response file).",
    )
    columns: SurveyColumns = Field(
        default_factory=SurveyColumns, description="The columns that are not questions."
    )
    date_format: Text | None = Field(
        default=None,
        description='strftime format of the dates, e.g. "%d.%m.%Y %H:%M" (default: ISO 8601 '
        "dates and date-times).",
    )
    encoding: Text | None = Field(
        default=None,
        description="The export's encoding, e.g. cp1252 (default: UTF-8 with or without a BOM, "
        "UTF-16 by its BOM; a file that is not UTF-8 is read as Windows-1252).",
    )
    units: dict[str, Slug] = Field(
        default={}, description="Unit names as the export writes them -> unit ids."
    )
    answers: dict[str, Number] = Field(
        default={}, description="Text answers -> the value they score, e.g. {Agree: 4}."
    )
    questions: list[SurveyQuestion] = Field(
        default=[], description="Wide layout: the question columns."
    )


# -- wave files (written by tpm ingest; read as a source) -----------------------------------


class WaveQuestion(_Model):
    """One question in one group: how many people gave each answer value."""

    n: Annotated[int, Field(ge=0)] = Field(description="People who answered.")
    counts: dict[str, Annotated[int, Field(ge=0)]] = Field(
        default={}, description="Answer value -> people who gave it."
    )


class WaveGroup(_Model):
    """Everyone (no unit) or the people of one unit: shown with numbers, or hidden."""

    unit: Slug | None = Field(default=None, description="The unit; none: everyone.")
    silo: Slug | None = Field(
        default=None, description="eNPS: the people of this silo's units (then no unit)."
    )
    n: Annotated[int, Field(ge=0)] | None = Field(default=None, description="Distinct people.")
    hidden: str | None = Field(
        default=None, description="Why the group is hidden (then it has no numbers)."
    )
    questions: dict[str, WaveQuestion] = Field(
        default={}, description="Dimension (or enps) -> answers."
    )


class WaveTopic(_Model):
    """What the wave says about one touchpoint, or about eNPS (touchpoint: none)."""

    touchpoint: Slug | None = Field(default=None, description="The touchpoint; none: eNPS.")
    groups: list[WaveGroup] = Field(default=[], description="Everyone first, then the units.")


class WaveFile(_Model):
    """An ingested wave: aggregates of one round of a survey (never a single answer)."""

    format: Literal[1] = Field(description="The format of the wave file (1).")
    survey: Slug = Field(description="The survey's id.")
    wave: WaveId = Field(description="The wave's id.")
    first: Date = Field(description="The first answer's date.")
    last: Date = Field(description="The last answer's date (the wave's date).")
    k: Annotated[int, Field(ge=1)] = Field(description="The anonymity threshold applied.")
    export_sha256: str = Field(description="A hash of the export file(s) ingested.")
    topics: list[WaveTopic] = Field(default=[], description="Per touchpoint, and eNPS.")
