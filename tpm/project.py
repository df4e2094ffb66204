"""Load a tpm project: every file read once, items validated, references checked.

`load(root)` never raises for anything in the user's files: every problem becomes a finding
with a location, and one bad file or item never stops the others from being checked.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from tpm import guards
from tpm.catalogue import Catalogue, Rule
from tpm.errors import UsageError
from tpm.findings import Finding, Location, make_finding, sort_findings
from tpm.model import (
    CONFIG_KEYS,
    KIND_OF_LIST,
    KINDS,
    SLUG_RE,
    AuditConfig,
    Journey,
    OpenAuditConfig,
    Person,
    Scoring,
    Touchpoint,
    Unit,
)
from tpm.schema_errors import MERGE_KEY, schema_findings, short
from tpm.words import did_you_mean
from tpm.yamlsource import Path_, Source, load_yaml

CONFIG_FILE = "tpm.yaml"
# schema findings reported for one list of one file; a summary finding counts the rest
MAX_SCHEMA_FINDINGS = 200
# min_responses when tpm.yaml's cannot be read: more respondents than any survey has
WITHHOLD_ALL = 1_000_000_000
YAML_SUFFIXES = (".yaml", ".yml")


class ProjectError(UsageError):
    """No project where one was expected (a usage error: exit 2)."""


def find_root(explicit: Path | None = None, start: Path | None = None) -> Path:
    """The project root: `explicit` (-C), else the nearest directory holding tpm.yaml."""
    if explicit is not None:
        if explicit.is_file() and explicit.name == CONFIG_FILE:
            return explicit.parent.resolve()
        if explicit.exists() and not explicit.is_dir():
            raise ProjectError(f"{explicit} is not a directory (-C names the project directory)")
        if not explicit.is_dir():
            raise ProjectError(f"{explicit}: no such directory")
        if not (explicit / CONFIG_FILE).is_file():
            # inside a project (-C proj/touchpoints): name the project, never suggest an init
            # that would put a second project into the first
            for above in explicit.resolve().parents:
                if (above / CONFIG_FILE).is_file():
                    suggest = os.path.relpath(above, Path.cwd())
                    raise ProjectError(
                        f"no {CONFIG_FILE} in {explicit}: it is inside the project {suggest} "
                        f"(use -C {suggest})"
                    )
            raise ProjectError(f"no {CONFIG_FILE} in {explicit} (run 'tpm init {explicit}')")
        return explicit.resolve()
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        if (directory / CONFIG_FILE).is_file():
            return directory
    raise ProjectError(
        f"no {CONFIG_FILE} in {here} or any parent directory "
        "(use -C DIR, or 'tpm init' to start a project)"
    )


def link_outside(root: Path, path: Path) -> Path | None:
    """Where `path` leads when it is a symbolic link resolving outside the project `root`
    (docs/file-formats.md, safety limits: such a file or folder is not read), else None."""
    if not os.path.islink(path):
        return None
    target = resolve(path)
    try:
        target.relative_to(root)
    except ValueError:
        return target
    return None


def _walk_files(
    root: Path, folder: str, suffixes: tuple[str, ...], outside: list[Path] | None = None
) -> list[Path]:
    """The files of `folder` with one of `suffixes`, in order. Folders that are links leading
    outside the project are not walked: they are added to `outside`."""
    base = root / folder
    if link_outside(root, base) is not None:
        if outside is not None:
            outside.append(base)
        return []
    if not base.is_dir():
        return []
    found: list[Path] = []
    for directory, dirnames, filenames in os.walk(base):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        if outside is not None:  # os.walk does not follow links to folders: say so for these
            outside.extend(
                Path(directory, d) for d in dirnames if link_outside(root, Path(directory, d))
            )
        found.extend(
            Path(directory, name)
            for name in filenames
            if name.endswith(suffixes) and not name.startswith(".")
        )
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


class Paths:
    """Paths as tpm prints them (docs/ci.md): relative to the current directory when the project
    lies inside it, otherwise relative to the project root; always with forward slashes."""

    def __init__(self, root: Path, cwd: Path | None = None) -> None:
        self.root = root
        here = (cwd or Path.cwd()).resolve()
        try:
            self.prefix = root.relative_to(here).as_posix()
        except ValueError:
            self.prefix = ""
        if self.prefix == ".":
            self.prefix = ""

    def display(self, path: Path) -> str:
        # A file is shown where it lies in the project, even when it is a symlink to a file
        # elsewhere (or to nothing); a path through a symlink to the project is resolved.
        for candidate in (Path(os.path.abspath(path)), resolve(path)):
            try:
                rel = candidate.relative_to(self.root).as_posix()
            except ValueError:
                continue
            return _printable(f"{self.prefix}/{rel}" if self.prefix else rel)
        return _printable(path.as_posix())  # outside the project (--responses elsewhere)


def _printable(name: str) -> str:
    """A file name that is not UTF-8 (Python keeps its bytes as lone surrogates, which no
    output can encode) with each such byte shown as U+FFFD."""
    if name.isascii():
        return name
    return os.fsencode(name).decode("utf-8", "replace")


def resolve(path: Path) -> Path:
    """`path` made absolute with its symlinks followed; a symlink loop (which `resolve` cannot
    follow) is made absolute as it is, so that it is reported as an unreadable file."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: Python before 3.13 on a loop
        return Path(os.path.abspath(path))


@dataclass
class Item:
    """One unit, person, touchpoint or journey as defined in a file."""

    kind: str
    id: str
    source: Source
    path: Path_
    raw: dict[str, Any]  # the mapping as written
    # the validated item; with schema errors, the item without the fields that failed, or
    # None when it cannot do without them (see _salvage)
    model: Any = None
    clean: bool = True  # no schema errors

    def at(self, *sub: Any, key: bool = False) -> Location:
        return self.source.at((*self.path, *sub), key=key)

    @property
    def location(self) -> Location:
        """Where the item is defined: its `id` value."""
        return self.at("id")


@dataclass
class Project:
    root: Path
    paths: Paths
    organisation: str = ""
    scoring: Scoring = field(default_factory=Scoring)
    audit: AuditConfig = field(default_factory=AuditConfig)
    units: dict[str, Unit] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    touchpoints: dict[str, Touchpoint] = field(default_factory=dict)
    journeys: dict[str, Journey] = field(default_factory=dict)
    items: dict[str, Item] = field(default_factory=dict)  # every id, valid or not
    sources: list[Source] = field(default_factory=list)
    response_files: list[Path] = field(default_factory=list)
    surveys: dict[str, Any] = field(default_factory=dict)  # id -> tpm.surveys.Survey
    waves: list[Any] = field(default_factory=list)  # (display path, tpm.surveys.WaveFile)
    findings: list[Finding] = field(default_factory=list)
    level: dict[str, int] = field(default_factory=dict)
    silo: dict[str, str | None] = field(default_factory=dict)
    effective_parent: dict[str, str | None] = field(default_factory=dict)
    # "unit" and "person" when tpm.yaml (or its units or people list) cannot be read: every
    # reference to them would be reported, burying the one finding that matters, so references
    # to unknown units or people are not judged then (response rows included). Touchpoints come
    # from many files: a broken one hides only its own, and the other references still count.
    unreadable: set[str] = field(default_factory=set)

    @property
    def config_source(self) -> Source:
        return self.sources[0]

    def config_location(self, *path: Any, key: bool = False) -> Location:
        return self.config_source.at(path, key=key)

    def item(self, ident: str) -> Item | None:
        return self.items.get(ident)

    def ids_of(self, kind: str) -> list[str]:
        return [i for i, item in self.items.items() if item.kind == kind]

    @property
    def top_units(self) -> list[str]:
        return [u for u in self.units if self.level[u] == 0]

    def silos(self) -> list[str]:
        """Every silo, in file order."""
        return list(self._silos)

    @cached_property
    def _silos(self) -> list[str]:
        """Computed once, when first asked: the hierarchy is fixed after loading."""
        return list(dict.fromkeys(s for s in self.silo.values() if s is not None))

    def display(self, path: Path) -> str:
        return self.paths.display(path)


# -- loading -----------------------------------------------------------------------------


# what a value of each type is called in a message
_KIND_NAMES = {list: "a list", str: "text", int: "a number", float: "a number", bool: "a boolean"}


class _Loader:
    def __init__(self, project: Project, rules: Catalogue | None = None) -> None:
        self.p = project
        self.rules = rules  # the codes that audit settings may name (None: not judged)
        # audit: with the settings the rules declare (without a catalogue, kept unjudged)
        self.audit_model = (
            rules.settings_model(AuditConfig) if rules is not None else OpenAuditConfig
        )
        self.findings = project.findings
        self.unreadable = project.unreadable
        self.unread: dict[str, list[str]] = {}  # kind -> display paths of unreadable files

    def add(self, rule: Rule, message: str, where: Location, subject: str | None = None) -> None:
        self.findings.append(make_finding(rule, message, where, subject))

    # files -------------------------------------------------------------------------------

    def read(self, path: Path) -> Source:
        target = link_outside(self.p.root, path)
        if target is not None:  # never read: it could be any file on the machine
            source = Source(path=path, display=self.p.display(path))
            source.findings.append(self.outside(path, target))
        else:
            source = load_yaml(path, self.p.display(path))
        self.p.sources.append(source)
        self.findings.extend(source.findings)
        return source

    def outside(self, path: Path, target: Path | None = None) -> Finding:
        what = "folder" if os.path.isdir(path) else "file"
        target = target or resolve(path)
        return make_finding(
            guards.YAML_SYNTAX,
            f"the {what} links outside the project (to {target.as_posix()}): tpm does not read it",
            Location(self.p.display(path)),
        )

    def top_mapping(self, source: Source, allowed: tuple[str, ...], what: str) -> dict[str, Any]:
        data = source.data
        if not source.ok:
            return {}
        if data is None:
            return {}
        if not isinstance(data, dict):
            kind = _KIND_NAMES.get(type(data), f"a {type(data).__name__}")
            self.add(
                guards.SCHEMA, f"the file must be a mapping with {what}, not {kind}", source.at(())
            )
            return {}
        for key in data:
            if key not in allowed and not key.startswith("x-"):
                hint = did_you_mean(key, allowed, f"; expected {what}")
                if key == "<<":
                    hint = f": {MERGE_KEY}"
                self.add(guards.SCHEMA, f"unknown key {key!r}{hint}", source.at((key,), key=True))
        return data

    def items(self, source: Source, data: dict[str, Any], list_key: str) -> Iterator[Item]:
        if list_key not in data or data[list_key] is None:
            return
        entries = data[list_key]
        kind, _, model = KIND_OF_LIST[list_key]
        if not isinstance(entries, list):
            self.add(
                guards.SCHEMA,
                f"{list_key} should be a list of {list_key}, not {short(entries)}",
                source.at((list_key,)),
            )
            if kind in ("unit", "person"):
                self.unreadable.add(kind)
            return
        reported = 0  # schema findings of this list, capped like bad response rows
        further: list[Finding] = []

        def report(found: list[Finding]) -> None:
            nonlocal reported
            room = max(0, MAX_SCHEMA_FINDINGS - reported)
            self.findings.extend(found[:room])
            further.extend(found[room:][:1])  # the first one left out marks the place
            reported += len(found)

        for index, entry in enumerate(entries):
            path = (list_key, index)
            if not isinstance(entry, dict):
                report(
                    [
                        make_finding(
                            guards.SCHEMA,
                            f"each entry of {list_key} should be a mapping with at least id and "
                            f"name, not {short(entry)}",
                            source.at(path),
                        )
                    ]
                )
                continue
            raw_id = entry.get("id")
            ident = raw_id if isinstance(raw_id, str) and SLUG_RE.fullmatch(raw_id) else None
            clean = True
            try:
                parsed = model.model_validate(entry)
            except ValidationError as exc:
                report(schema_findings(exc, model, source, path, ident))
                parsed = _salvage(model, entry, exc, ident)
                clean = False
            if ident is not None:
                yield Item(kind, ident, source, path, entry, parsed, clean)
        if reported > MAX_SCHEMA_FINDINGS:
            left = reported - MAX_SCHEMA_FINDINGS
            where = Location(further[0].path, further[0].line, further[0].column)
            self.add(
                guards.SCHEMA,
                f"... and {left:,} further schema problem{'' if left == 1 else 's'} in the "
                f"{list_key} of this file (only the first {MAX_SCHEMA_FINDINGS} are reported)",
                where,
            )

    def register(self, item: Item) -> None:
        first = self.p.items.get(item.id)
        if first is None:
            self.p.items[item.id] = item
            if item.model is not None:
                getattr(self.p, KINDS[item.kind].list_key)[item.id] = item.model
            return
        for here, other in ((item, first), (first, item)):
            where = other.location
            self.add(
                guards.DUPLICATE_ID,
                f"id {item.id!r} is defined twice: this {here.kind} and the {other.kind} at "
                f"{where.path}:{where.line}:{where.column}",
                here.location,
                item.id,
            )

    # tpm.yaml ------------------------------------------------------------------------------

    def config(self, source: Source) -> list[Item]:
        data = self.top_mapping(source, CONFIG_KEYS, "organisation, units and people")
        if source.ok and isinstance(source.data, dict | None):
            if not isinstance(data.get("organisation"), str) or not data["organisation"].strip():
                where = source.at(("organisation",)) if "organisation" in data else source.at(())
                what = "missing" if "organisation" not in data else "not a name"
                self.add(
                    guards.SCHEMA,
                    f"organisation is {what}: name the organisation (organisation: Example AG)",
                    where,
                )
            else:
                self.p.organisation = data["organisation"].strip()
            if "units" not in data:
                self.add(guards.SCHEMA, "required key 'units' is missing", source.at(()))
        if not source.ok or not isinstance(source.data, dict | None):
            self.withhold_scores()  # the anonymity threshold cannot be read
        for key, model in (("scoring", Scoring), ("audit", self.audit_model)):
            section = data.get(key)
            if section is None:
                continue
            try:
                setattr(self.p, key, model.model_validate(section))
            except ValidationError as exc:
                self.findings.extend(schema_findings(exc, model, source, (key,), None))
                # keep what is valid (a typo in thresholds must not undo the rest)
                salvaged = _salvage(model, section, exc) if isinstance(section, dict) else None
                if salvaged is not None:
                    setattr(self.p, key, salvaged)
                if key == "scoring" and (
                    salvaged is None
                    or (
                        isinstance(section, dict)
                        and "min_responses" in section
                        and section["min_responses"] != salvaged.min_responses
                    )
                ):
                    self.withhold_scores()
        return [*self.items(source, data, "units"), *self.items(source, data, "people")]

    def withhold_scores(self) -> None:
        """Privacy fails closed: when the user's anonymity threshold cannot be read, no score
        is shown at all rather than one from fewer respondents than they asked for."""
        self.p.scoring = self.p.scoring.model_copy(update={"min_responses": WITHHOLD_ALL})

    # surveys and wave files (tpm/surveys.py) ------------------------------------------

    def surveys(self, paths: list[Path]) -> None:
        """surveys/*.yaml: each survey checked with positions; its touchpoints, dimensions and
        units must exist. Surveys have ids of their own (`tpm ingest --survey ID`), apart from
        the namespace of units, people, touchpoints and journeys."""
        from tpm.surveys import Survey

        defined: dict[str, Location] = {}
        for path in paths:
            source = self.read(path)
            data = self.top_mapping(source, ("surveys",), "a list of surveys under 'surveys:'")
            entries = data.get("surveys")
            if entries is None:
                continue
            if not isinstance(entries, list):
                self.add(
                    guards.SCHEMA, "surveys should be a list of surveys", source.at(("surveys",))
                )
                continue
            for index, entry in enumerate(entries):
                where: Path_ = ("surveys", index)
                if not isinstance(entry, dict):
                    self.add(
                        guards.SCHEMA,
                        f"each entry of surveys should be a mapping, not {short(entry)}",
                        source.at(where),
                    )
                    continue
                raw_id = entry.get("id")
                ident = raw_id if isinstance(raw_id, str) and SLUG_RE.fullmatch(raw_id) else None
                try:
                    survey = Survey.model_validate(entry)
                except ValidationError as exc:
                    self.findings.extend(schema_findings(exc, Survey, source, where, ident))
                    continue
                item = Item("survey", survey.id, source, where, entry, survey)
                first = defined.get(survey.id)
                if first is not None:
                    self.add(
                        guards.DUPLICATE_ID,
                        f"survey {survey.id!r} is defined twice (first at "
                        f"{first.path}:{first.line}:{first.column})",
                        item.location,
                        survey.id,
                    )
                    continue
                defined[survey.id] = item.location
                self.survey_references(item, survey)
                self.p.surveys[survey.id] = survey

    def survey_references(self, item: Item, survey: Any) -> None:
        import codecs

        dimensions = [*self.p.scoring.dimensions]
        if survey.encoding is not None:
            try:
                codecs.lookup(survey.encoding)
            except LookupError:
                self.add(
                    guards.SCHEMA,
                    "encoding is not an encoding Python knows (e.g. utf-8, cp1252, utf-16)",
                    item.at("encoding"),
                    item.id,
                )
        if survey.touchpoint is not None:
            self.reference(item, ("touchpoint",), survey.touchpoint, "touchpoint", "touchpoint")
        for name, unit in survey.units.items():
            self.reference(item, ("units", name), unit, "unit", "unit")
        for q, question in enumerate(survey.questions):
            at = ("questions", q)
            if question.ignore:
                continue
            if question.enps:
                if question.touchpoint is not None or question.dimension is not None:
                    self.add(
                        guards.SCHEMA,
                        "an enps question has no touchpoint or dimension",
                        item.at(*at, "enps"),
                        item.id,
                    )
                continue
            if question.touchpoint is None or question.dimension is None:
                self.add(
                    guards.SCHEMA,
                    "a question needs a touchpoint and a dimension (or enps: true, or ignore: "
                    "true)",
                    item.at(*at),
                    item.id,
                )
                continue
            self.reference(
                item, (*at, "touchpoint"), question.touchpoint, "touchpoint", "touchpoint"
            )
            if question.dimension not in dimensions:
                listed = "; dimensions: " + ", ".join(dimensions)
                self.add(
                    guards.UNKNOWN_REFERENCE,
                    f"dimension {question.dimension!r} is not a scoring dimension"
                    f"{did_you_mean(question.dimension, dimensions, listed)}",
                    item.at(*at, "dimension"),
                    item.id,
                )

    def waves(self, paths: list[Path]) -> None:
        """waves/SURVEY/WAVE.yaml, written by tpm ingest: checked like every file."""
        from tpm.surveys import WaveFile

        for path in paths:
            source = self.read(path)
            if not source.ok or source.data is None:
                continue
            if not isinstance(source.data, dict):
                self.add(guards.SCHEMA, "a wave file must be a mapping", source.at(()))
                continue
            try:
                wave = WaveFile.model_validate(source.data)
            except ValidationError as exc:
                self.findings.extend(schema_findings(exc, WaveFile, source, (), None))
                continue
            self.p.waves.append((source.display, wave))

    # checks --------------------------------------------------------------------------------

    def reference(self, item: Item, sub: Path_, value: str, kind: str, field_name: str) -> None:
        target = self.p.items.get(value)
        if target is not None and target.kind == kind:
            return
        if target is None and kind in self.unreadable:
            return
        if target is not None:
            message = f"{field_name} {value!r} is a {target.kind}, not a {kind}"
        else:
            message = (
                f"{field_name} {value!r} names no {kind}{did_you_mean(value, self._ids(kind))}"
            )
            unread = self.unread.get(kind)
            if unread:  # the file that defines it may be the one that cannot be read
                message += f" ({', '.join(unread)} could not be read and may define it)"
        self.add(guards.UNKNOWN_REFERENCE, message, item.at(*sub), item.id)

    def _ids(self, kind: str) -> list[str]:
        if kind not in self._id_cache:
            self._id_cache[kind] = self.p.ids_of(kind)
        return self._id_cache[kind]

    @cached_property
    def _id_cache(self) -> dict[str, list[str]]:
        return {}

    def references(self) -> None:
        """Unknown references, checked on the data as written, so that a schema error elsewhere
        in an item does not hide a wrong reference in it."""
        for item in self.p.items.values():
            for field_name, kind in _REFERENCES[item.kind]:
                for sub, value in _values_at(item.raw, field_name):
                    if isinstance(value, str) and SLUG_RE.fullmatch(value):
                        if value == "all" and field_name in ("from", "to"):
                            continue  # to: all is the audience; from: all is a schema finding
                        self.reference(item, sub, value, kind, field_name.split(".")[-1])

    def known(self, code: str) -> bool:
        return self.rules is None or code in self.rules

    def suppressions(self) -> None:
        for item in self.p.items.values():
            audit = item.raw.get("audit")
            ignore = audit.get("ignore") if isinstance(audit, dict) else None
            if not isinstance(ignore, dict):
                continue
            for code in ignore:
                where = item.at("audit", "ignore", code, key=True)
                if not self.known(code):
                    self.add(
                        guards.SCHEMA,
                        f"audit.ignore names {code!r}, which is no tpm rule (see 'tpm rules')",
                        where,
                        item.id,
                    )
                elif code in guards.CODES:
                    self.add(
                        guards.SCHEMA,
                        f"{code} guards the input and cannot be suppressed",
                        where,
                        item.id,
                    )
        self.config_codes()

    def config_codes(self) -> None:
        audit = self.p.audit
        rules = self.rules
        for i, code in enumerate(audit.ignore):
            if rules is not None and not any(c.startswith(code) for c in rules):
                self.add(
                    guards.SCHEMA,
                    f"audit.ignore names {code!r}, which matches no tpm rule",
                    self.p.config_location("audit", "ignore", i),
                )
            elif code in guards.CODES:
                self.add(
                    guards.SCHEMA,
                    f"{code} guards the input and cannot be switched off",
                    self.p.config_location("audit", "ignore", i),
                )
        for code in audit.severity:
            if not self.known(code):
                self.add(
                    guards.SCHEMA,
                    f"audit.severity names {code!r}, which is no tpm rule",
                    self.p.config_location("audit", "severity", code, key=True),
                )
            elif code in guards.CODES:
                self.add(
                    guards.SCHEMA,
                    f"the severity of {code} cannot be changed: it guards the input",
                    self.p.config_location("audit", "severity", code, key=True),
                )

    def ratings(self) -> None:
        scoring = self.p.scoring
        low, high = scoring.scale
        for tid, tp in self.p.touchpoints.items():
            item = self.p.items[tid]
            for r, rating in enumerate(tp.ratings):
                for dim, value in rating.scores.items():
                    path = ("ratings", r, "scores", dim)
                    if dim not in scoring.dimensions:
                        hint = did_you_mean(
                            dim,
                            scoring.dimensions,
                            f"; dimensions: {', '.join(scoring.dimensions)}",
                        )
                        self.add(
                            guards.SCHEMA,
                            f"scores names {dim!r}, which is not a scoring dimension{hint}",
                            item.at(*path, key=True),
                            tid,
                        )
                    elif not low <= value <= high:
                        self.add(
                            guards.SCHEMA,
                            # never the value itself (docs/privacy.md, rule 6)
                            f"score for {dim} is off the scale [{low:g}, {high:g}]",
                            item.at(*path),
                            tid,
                        )

    def hierarchy(self) -> None:
        """Effective parents (cycles and unknown parents cut), levels, silos; unit cycles."""
        p = self.p
        units = p.units
        parent = {u: (m.parent if m.parent in units else None) for u, m in units.items()}
        state: dict[str, int] = {}  # 1 = on the current chain, 2 = done
        cut: set[str] = set()
        for start in units:
            chain: list[str] = []
            node: str | None = start
            while node is not None and state.get(node) is None:
                state[node] = 1
                chain.append(node)
                node = parent[node]
            if node is not None and state.get(node) == 1:
                cycle = chain[chain.index(node) :]
                cut.update(cycle)
                first = min(cycle, key=list(units).index)
                ring = cycle[cycle.index(first) :] + cycle[: cycle.index(first)] + [first]
                item = p.items[first]
                self.add(
                    guards.UNIT_CYCLE,
                    f"unit {first!r} is its own ancestor: {' → '.join(ring)}",
                    item.at("parent"),
                    first,
                )
            for n in chain:
                state[n] = 2
        for u in cut:
            parent[u] = None
        p.effective_parent = parent
        level: dict[str, int] = {}

        def level_of(u: str) -> int:
            path = []
            node: str | None = u
            while node is not None and node not in level:
                path.append(node)
                node = parent[node]
            base = level[node] if node is not None else None
            for n in reversed(path):
                explicit = units[n].level
                if explicit is not None:
                    level[n] = explicit
                else:
                    level[n] = 1 if base is None else base + 1
                base = level[n]
            return level[u]

        for u in units:
            level_of(u)
        p.level = level
        silo: dict[str, str | None] = {}
        for u in units:
            if level[u] == 0:
                silo[u] = None
                continue
            highest = None
            node = u
            while node is not None:
                if level[node] != 0:
                    highest = node
                node = parent[node]
            silo[u] = highest
        p.silo = silo


# Fields an item cannot do without: when one of them fails, the item is left out (a unit
# whose level cannot be read would silently change who is top management and the silos).
_ESSENTIAL = frozenset(("id", "from", "to", "steps", "unit", "level"))


def _salvage(
    model: type[BaseModel],
    entry: dict[str, Any],
    exc: ValidationError,
    ident: str | None = "",
) -> Any:
    """The item without the fields that failed (already reported as schema findings), so that
    one bad cadence or date does not take a touchpoint out of the graph, the rules and the maps.

    A failing field is left out whole (a failing list entry takes its list with it, so the
    positions of the other entries stay true); one failing suppression is left out alone.
    A missing name becomes the id. Without an id or an essential field, there is no item.
    Settings sections (ident "") keep their valid keys; a failing key takes its default.
    """
    if ident is None:
        return None
    cut = copy.deepcopy(entry)
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        if not loc:
            return None
        head = loc[0]
        if head in _ESSENTIAL:
            return None
        if head == "name" and ident:
            cut["name"] = ident
        elif head == "audit" and len(loc) >= 3 and loc[1] == "ignore":
            ignore = cut.get("audit", {}).get("ignore")
            if isinstance(ignore, dict):
                ignore.pop(str(loc[2]), None)
        elif error["type"] == "extra_forbidden" and not any(isinstance(p, int) for p in loc):
            _drop(cut, loc)
        else:
            cut.pop(str(head), None)
    try:
        return model.model_validate(cut)
    except ValidationError:
        return None


def _drop(data: dict[str, Any], loc: tuple[Any, ...]) -> None:
    """Remove the key at `loc` (a path of mapping keys) from nested mappings."""
    for part in loc[:-1]:
        data = data.get(part) if isinstance(data, dict) else None  # type: ignore[assignment]
        if not isinstance(data, dict):
            return
    data.pop(loc[-1], None)


# The fields of each kind that name another item, and the kind they must name.
_REFERENCES: dict[str, tuple[tuple[str, str], ...]] = {
    "unit": (("parent", "unit"),),
    "person": (("unit", "unit"),),
    "touchpoint": (("from", "unit"), ("to", "unit"), ("owner", "person")),
    "journey": (("owner", "person"), ("co_owners", "person"), ("steps.touchpoint", "touchpoint")),
}


def _values_at(raw: dict[str, Any], field_name: str) -> Iterator[tuple[Path_, Any]]:
    """(path, value) of a reference field: a value, a list of values, or `steps.touchpoint`."""
    if "." in field_name:
        outer, inner = field_name.split(".")
        entries = raw.get(outer)
        if isinstance(entries, list):
            for i, entry in enumerate(entries):
                if isinstance(entry, dict) and inner in entry:
                    yield (outer, i, inner), entry[inner]
        return
    value = raw.get(field_name)
    if isinstance(value, list):
        for i, v in enumerate(value):
            yield (field_name, i), v
    elif value is not None:
        yield (field_name,), value


def load(root: Path, cwd: Path | None = None, rules: Catalogue | None = None) -> Project:
    """Load the project at `root` (a directory holding tpm.yaml).

    `rules` is the catalogue that the codes in audit settings and suppressions are checked
    against (`tpm.rules.registry.RULES`); without it, only the input guards are judged there.
    The loader never imports the rules itself: they sit above it."""
    root = root.resolve()
    project = Project(root=root, paths=Paths(root, cwd))
    loader = _Loader(project, rules)
    config = loader.read(root / CONFIG_FILE)
    if not config.ok or not isinstance(config.data, dict | None):
        loader.unreadable.update(("unit", "person"))
    pending = loader.config(config)
    outside: list[Path] = []
    for folder, key in (("touchpoints", "touchpoints"), ("journeys", "journeys")):
        before = len(outside)
        for path in _walk_files(root, folder, YAML_SUFFIXES, outside):
            source = loader.read(path)
            if not source.ok:
                loader.unread.setdefault(key[:-1], []).append(source.display)
            data = loader.top_mapping(source, (key,), f"a list of {key} under '{key}:'")
            pending.extend(loader.items(source, data, key))
        for path in outside[before:]:  # they may define what is referred to
            loader.unread.setdefault(key[:-1], []).append(project.display(path))
    for item in pending:
        loader.register(item)
    loader.hierarchy()
    loader.references()
    loader.suppressions()
    loader.ratings()
    loader.surveys(_walk_files(root, "surveys", YAML_SUFFIXES, outside))
    loader.waves(_walk_files(root, "waves", YAML_SUFFIXES, outside))
    responses = _walk_files(root, "responses", (".csv",), outside)
    outside.extend(p for p in responses if link_outside(root, p) is not None)
    project.response_files = [p for p in responses if p not in outside]
    project.findings.extend(loader.outside(path) for path in outside)
    project.findings[:] = sort_findings(project.findings)
    return project
