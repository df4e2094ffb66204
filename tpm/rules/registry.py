"""The one record of every rule.

Each record feeds `tpm rules`, the README's rule table, SARIF `tool.driver.rules` and the
JUnit test suites, so the text of a rule is written exactly once, here.
"""

from __future__ import annotations

from dataclasses import dataclass

from tpm.findings import Severity


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str  # one line: when it fires
    what: str = ""  # What it checks
    why: str = ""  # Why it matters (the domain reason)
    fix: str = ""  # How to fix
    example: str = ""  # a YAML example that fires
    guard: bool = False  # input guards (TPM001-TPM006) cannot be switched off or suppressed


E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO

_RULES = [
    Rule(
        "TPM001",
        "yaml-syntax",
        E,
        "a file is unreadable, not UTF-8, not valid YAML, or over the safety limits",
        guard=True,
    ),
    Rule(
        "TPM002",
        "schema",
        E,
        "a field is missing, has the wrong type or value, a key is unknown, "
        "or a response row is malformed",
        guard=True,
    ),
    Rule("TPM003", "duplicate-key", E, "a mapping holds the same key twice", guard=True),
    Rule("TPM004", "duplicate-id", E, "two items share an id", guard=True),
    Rule(
        "TPM005",
        "unknown-reference",
        E,
        "a reference names no unit, person or touchpoint",
        guard=True,
    ),
    Rule("TPM006", "unit-cycle", E, "a unit is its own ancestor", guard=True),
    Rule(
        "TPM009",
        "unused-suppression",
        I,
        "an item's audit.ignore names a rule that ran and did not fire on it",
    ),
    Rule("TPM010", "unowned-journey", E, "a journey has no owner"),
    Rule(
        "TPM011",
        "inactive-owner",
        E,
        "an owner or co-owner of a journey or touchpoint has active: false",
    ),
    Rule(
        "TPM012",
        "silo-owned-journey",
        W,
        "a journey crosses two or more silos and its owners cover only some of them",
    ),
    Rule("TPM013", "unowned-touchpoint", W, "a touchpoint has no owner"),
    Rule("TPM020", "unused-touchpoint", I, "a touchpoint is in no journey"),
    Rule("TPM021", "island-unit", W, "a unit has no path at all to a level-0 unit"),
    Rule(
        "TPM022",
        "no-feedback-path",
        W,
        "there is no directed path from the unit to any level-0 unit",
    ),
    Rule(
        "TPM023",
        "long-feedback-path",
        W,
        "the shortest directed path from the unit to level 0 is longer than max_feedback_hops",
    ),
    Rule(
        "TPM024",
        "one-way-unit",
        W,
        "a unit receives touchpoints but starts none and takes part in no two-way touchpoint",
    ),
    Rule(
        "TPM025",
        "bottleneck-unit",
        I,
        "removing the unit would cut at least bottleneck_min_cut other units off from level 0",
    ),
    Rule(
        "TPM026",
        "leadership-far-from-customers",
        W,
        "no level-0 unit meets a customer-facing unit monthly or more often",
    ),
    Rule("TPM030", "poor-quality", W, "a touchpoint's score is below thresholds.poor"),
    Rule(
        "TPM031",
        "stale-rating",
        W,
        "a touchpoint's newest rating or response is older than its freshness limit",
    ),
    Rule("TPM032", "unrated", I, "a touchpoint has no score"),
    Rule(
        "TPM033",
        "weak-critical-step",
        W,
        "a critical journey step's touchpoint scores below thresholds.poor",
    ),
    Rule(
        "TPM034",
        "stale-review",
        I,
        "a journey or touchpoint has no last_reviewed, or it is older than max_review_age_days",
    ),
]

RULES: dict[str, Rule] = {r.code: r for r in _RULES}
GUARD_CODES = frozenset(r.code for r in _RULES if r.guard)
