"""The suppression rule (TPM009): an item's `audit.ignore` that no longer silences anything.

The audit engine (`tpm.audit`) finds it from the other rules' results, so it has no check of
its own here.
"""

from __future__ import annotations

from tpm.catalogue import Rule, Severity
from tpm.rules.ownership import UNOWNED_TOUCHPOINT

_EXAMPLE = UNOWNED_TOUCHPOINT.code  # the suppression in the example

UNUSED_SUPPRESSION = Rule(
    "TPM009",
    "unused-suppression",
    Severity.INFO,
    "an item's audit.ignore names a rule that ran and did not fire on it "
    "(the suppression has gone stale)",
    what="Each suppression in an item's audit.ignore still silences something: the rule "
    "it names ran in this audit and found something on that item. Suppressions of rules "
    "that did not run (switched off, or not selected) are left alone. The finding points "
    "at the suppression's key.",
    why="A suppression is a promise to look again. Once the problem is fixed, a "
    "forgotten suppression would silently hide the next, real occurrence of it.",
    fix="Delete the suppression. If it is meant to last only for a while, give it an "
    "until date next time.",
    example="touchpoints:\n  - id: all-hands\n    name: Monthly all-hands\n"
    "    from: board\n    to: all\n"
    f"    owner: anna          # {_EXAMPLE} cannot fire\n"
    f"    audit:\n      ignore:\n        {_EXAMPLE}: owner named in Q1\n",
    family="suppression",
)
