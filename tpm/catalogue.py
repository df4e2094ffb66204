"""The rule catalogue: `Severity`, the `Rule` declaration and the `Catalogue` of rules.

This module sits at the bottom of tpm: it imports nothing of tpm, so the loader, the findings
and the rules can all use it. A rule declares itself once, next to its check (a family module
under `tpm.rules`, or `tpm.guards` for the input checks the loader performs); the catalogue of
all rules (`tpm.rules.registry.RULES`) is collected from those declarations, and everything
that lists rules derives from it: `tpm rules`, the README's rule table, SARIF
`tool.driver.rules`, JUnit suites and the JSON Schema of the rule options in `audit:`.

Also here, once each: the rule-code patterns and the fail-on levels.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from types import ModuleType
from typing import TYPE_CHECKING, Any, Literal, TypeVar, get_args

if TYPE_CHECKING:
    from pydantic import BaseModel

_M = TypeVar("_M", bound="BaseModel")


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _RANK[self.value]


_RANK = {"info": 0, "warning": 1, "error": 2}

# The levels of `audit.fail_on` and `tpm audit --fail-on`: a severity, or never.
FailLevel = Literal["error", "warning", "info", "never"]
FAIL_LEVELS: tuple[str, ...] = get_args(FailLevel)


def reaches(severity: Severity, level: str) -> bool:
    """A finding of `severity` reaches the fail-on `level` (never: nothing does)."""
    return level != "never" and severity.rank >= Severity(level).rank


# Rule codes and code prefixes (such as TPM02, TPM0, TPM): the JSON Schemas use the patterns;
# in Python, match with the compiled forms (`$` alone would let a trailing newline through).
CODE_PATTERN = r"^TPM[0-9]{3}$"
CODE_OR_PREFIX_PATTERN = r"^TPM[0-9]{0,3}$"
CODE_RE = re.compile(r"^TPM[0-9]{3}\Z")
CODE_OR_PREFIX_RE = re.compile(r"^TPM[0-9]{0,3}\Z")


# Rules that texts below the rule modules name as examples (the models' messages and field
# descriptions, the command line's help: none of them may import the rules), by name. These are
# the only codes written outside the module that declares the rule; tests/test_structure.py
# holds each to the rule of that name.
MENTIONED = {
    "unowned-journey": "TPM010",
    "silo-owned-journey": "TPM012",
    "unused-touchpoint": "TPM020",
    "stale-review": "TPM034",
}


def mentioned(name: str) -> str:
    """The code of the rule `name`, for a text below the rules."""
    return MENTIONED[name]


def is_code(text: str) -> bool:
    return CODE_RE.match(text) is not None


def is_code_or_prefix(text: str) -> bool:
    return CODE_OR_PREFIX_RE.match(text) is not None


@dataclass(frozen=True)
class Rule:
    """One rule, declared once next to its check.

    The four texts are what `tpm rules CODE` shows under What it checks / Why it matters /
    How to fix / Example; `summary` is the one line of the rule table ("fires when ...").
    """

    code: str
    name: str
    severity: Severity
    summary: str  # one line: when it fires
    what: str = ""  # What it checks
    why: str = ""  # Why it matters (the domain reason)
    fix: str = ""  # How to fix
    example: str = ""  # a YAML example that fires
    guard: bool = False  # input guards (found while loading) cannot be switched off or suppressed
    family: str = "audit"  # SARIF tag and grouping: input, suppression, ownership, structure...
    needs_scores: bool = False  # runs only when scores were computed
    # The rule's settings under `audit:` in tpm.yaml (a pydantic model of optional fields).
    options: type[BaseModel] | None = field(default=None, compare=False)
    # The check: function(ctx) -> findings. None for the input guards (the loader finds them)
    # and for rules the audit engine finds from the other rules' results.
    check: Callable[[Any], Iterable[Any]] | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not is_code(self.code):
            raise ValueError(f"{self.code!r} is not a rule code (TPM and three digits)")

    def checks(self, function: Callable[[Any], Iterable[Any]]) -> Any:
        """Decorator: `function` is this rule's check."""
        object.__setattr__(self, "check", function)
        return function

    def to_json(self) -> dict[str, Any]:
        """The record `tpm rules --format json` shows."""
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "summary": self.summary,
            "what": self.what,
            "why": self.why,
            "fix": self.fix,
            "example": self.example,
            "guard": self.guard,
        }


class Catalogue(Mapping[str, Rule]):
    """Every rule, by code, in code order."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        ordered = sorted(rules, key=lambda r: r.code)
        self._rules: dict[str, Rule] = {}
        names: set[str] = set()
        for rule in ordered:
            if rule.code in self._rules or rule.name in names:
                raise ValueError(f"{rule.code} {rule.name}: declared twice")
            self._rules[rule.code] = rule
            names.add(rule.name)
        self.guard_codes = frozenset(r.code for r in ordered if r.guard)

    @classmethod
    def collect(cls, *modules: ModuleType) -> Catalogue:
        """The rules declared (as module-level `Rule` values) in `modules`."""
        found = {
            id(value): value
            for module in modules
            for value in vars(module).values()
            if isinstance(value, Rule)
        }
        return cls(found.values())

    def __getitem__(self, code: str) -> Rule:
        return self._rules[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._rules)

    def __len__(self) -> int:
        return len(self._rules)

    def settings_model(self, base: type[_M]) -> type[_M]:
        """`base` (the model of `audit:`) with the fields of every rule's options (by their
        `position`, then in code order): the model the loader validates `audit:` with, and
        the JSON Schema shows."""
        cached: dict[type[Any], type[Any]] = self.__dict__.setdefault("_settings", {})
        if base not in cached:
            from pydantic import create_model

            fields: dict[str, Any] = {}
            declared = [r.options for r in self._rules.values() if r.options is not None]
            declared.sort(key=lambda options: getattr(options, "position", 100))
            for options in declared:
                for name, info in options.model_fields.items():
                    if name in fields or name in base.model_fields:
                        raise ValueError(f"the setting {name!r} of audit: is declared twice")
                    fields[name] = (info.annotation, info)
            cached[base] = create_model(  # type: ignore[call-overload]
                base.__name__,
                __base__=base,
                __module__=base.__module__,
                __doc__=base.__doc__,
                **fields,
            )
        return cached[base]  # type: ignore[return-value]

    def matching(self, prefix: str) -> bool:
        """Some rule's code starts with `prefix` (a code or a prefix such as TPM02)."""
        return any(code.startswith(prefix) for code in self._rules)

    def find(self, text: str) -> Rule:
        """The rule named by a code (any case) or a name; KeyError with a hint otherwise."""
        import difflib

        wanted = text.strip()
        rule = self._rules.get(wanted.upper())
        if rule is not None:
            return rule
        for rule in self._rules.values():
            if rule.name == wanted.lower():
                return rule
        choices = [*self._rules, *(r.name for r in self._rules.values())]
        close = difflib.get_close_matches(wanted, choices, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else " (see 'tpm rules')"
        raise KeyError(f"{text!r} is no tpm rule{hint}")

    def table_markdown(self, rules: Iterable[Rule] | None = None) -> str:
        """The rule table of `tpm rules --format markdown`: every rule, or `rules`."""
        lines = ["| code | name | default | fires when |", "|---|---|---|---|"]
        for rule in self._rules.values() if rules is None else rules:
            lines.append(
                f"| {rule.code} | {rule.name} | {rule.severity.value} | {_cell(rule.summary)} |"
            )
        return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    """Text safe in a Markdown table cell."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
