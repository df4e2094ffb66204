"""The input guards (TPM001 to TPM006): the checks the loader makes while reading the files.

They are declared here, below the loader (`tpm.project`, `tpm.yamlsource`, `tpm.responses`),
which finds them; like every rule they are part of the catalogue (`tpm.rules.registry`). They
can be neither switched off nor suppressed.
"""

from __future__ import annotations

from tpm.catalogue import Rule, Severity

_GUARD_NOTE = (
    " Like every input check (TPM001 to TPM006), it can be neither switched off nor suppressed."
)

YAML_SYNTAX = Rule(
    "TPM001",
    "yaml-syntax",
    Severity.ERROR,
    "a file is unreadable, not UTF-8, not valid YAML, or over the safety limits",
    what="Every file of the project can be read: tpm.yaml, touchpoints/**.yaml, "
    "journeys/**.yaml and responses/**.csv are UTF-8 (a byte-order mark is allowed), the "
    "YAML parses, and no file exceeds the safety limits: 10 MiB, 64 levels of nesting, "
    "aliases that expand to at most 100 000 nodes and never refer to themselves." + _GUARD_NOTE,
    why="A file that cannot be read hides everything in it: its touchpoints and journeys "
    "would silently drop out of every check, score and map. The limits keep a mistaken or "
    "hostile file (an alias bomb) from stalling CI.",
    fix="Fix the syntax error at the line given (often an indentation or an unclosed "
    "quote), save the file as UTF-8, or split a huge file into several.",
    example='touchpoints:\n  - id: all-hands\n    name: "Monthly all-hands\n    from: board\n',
    guard=True,
    family="input",
)

SCHEMA = Rule(
    "TPM002",
    "schema",
    Severity.ERROR,
    "a field is missing, has the wrong type or value, a key is unknown, "
    "or a response row is malformed",
    what="Every item has its required fields with the right types and values (ids are "
    "slugs, dates are real dates, cadences are known), no key is unknown (keys starting "
    "with x- are yours), audit settings name real rules, and every response row has a "
    "touchpoint, dimension, score on the scale and date." + _GUARD_NOTE,
    why="Unknown keys are usually typos (ower: instead of owner:), and a typo that is "
    "silently ignored leaves a journey without the owner you meant to give it. A bad "
    "survey row would distort a score that people act on.",
    fix="Correct the field as the message says; it names the value found and what is "
    "expected instead. Run tpm schema and point your editor at the schemas to catch "
    "these while typing.",
    example="touchpoints:\n  - id: all-hands\n    name: Monthly all-hands\n"
    "    from: board\n    to: all\n    cadence: every other week\n",
    guard=True,
    family="input",
)

DUPLICATE_KEY = Rule(
    "TPM003",
    "duplicate-key",
    Severity.ERROR,
    "a mapping holds the same key twice",
    what="No mapping holds the same key twice. Both places are reported." + _GUARD_NOTE,
    why="YAML parsers silently keep the last of two equal keys, so the first value (often "
    "the owner someone just added) is lost without a trace.",
    fix="Delete one of the two keys, keeping the value you mean.",
    example="journeys:\n  - id: onboarding\n    name: New-hire onboarding\n"
    "    owner: anna\n    owner: head-of-service\n    steps:\n"
    "      - touchpoint: welcome-day\n",
    guard=True,
    family="input",
)

DUPLICATE_ID = Rule(
    "TPM004",
    "duplicate-id",
    Severity.ERROR,
    "two items share an id",
    what="Every id is unique across the whole project: units, people, touchpoints and "
    "journeys share one namespace. Both places are reported." + _GUARD_NOTE,
    why="References (owner, from, to, steps) and tpm show ID must never be ambiguous: "
    "with two items of one id, a journey could silently point at the wrong touchpoint.",
    fix="Rename one of the two items and update the references to it.",
    example="units:\n  - id: service\n    name: Customer service\npeople:\n"
    "  - id: service\n    name: Service desk role\n    unit: service\n",
    guard=True,
    family="input",
)

UNKNOWN_REFERENCE = Rule(
    "TPM005",
    "unknown-reference",
    Severity.ERROR,
    "a reference names no unit, person or touchpoint",
    what="Every reference names an item of the right kind: a unit's parent and a "
    "person's unit are units, a touchpoint's from and to are units, owners and "
    "co-owners are people, journey steps are touchpoints, and survey rows name known "
    "touchpoints, dimensions and units. The message suggests the closest id." + _GUARD_NOTE,
    why="A misspelt reference silently disconnects the map: the touchpoint adds no edge, "
    "the journey loses a step, the owner owns nothing.",
    fix="Correct the id (see the did-you-mean hint), or add the missing item.",
    example="touchpoints:\n  - id: huddle\n    name: Daily huddle\n"
    "    from: servce-hotline   # did you mean 'service-hotline'?\n    to: service\n",
    guard=True,
    family="input",
)

UNIT_CYCLE = Rule(
    "TPM006",
    "unit-cycle",
    Severity.ERROR,
    "a unit is its own ancestor",
    what="The parent relation of units has no cycle. One finding per cycle, on its first "
    "unit in file order, naming the whole cycle." + _GUARD_NOTE,
    why="Levels and silos come from the parent chain; in a cycle a unit has no top, so "
    "its silo, its level and everything judged from them would be arbitrary.",
    fix="Break the cycle: one of its units needs another parent, or none.",
    example="units:\n  - id: claims\n    name: Claims\n    parent: claims-field\n"
    "  - id: claims-field\n    name: Field adjusters\n    parent: claims\n",
    guard=True,
    family="input",
)


# The codes of the input guards (the loader refuses them in suppressions and audit settings).
CODES = frozenset(
    r.code
    for r in (YAML_SYNTAX, SCHEMA, DUPLICATE_KEY, DUPLICATE_ID, UNKNOWN_REFERENCE, UNIT_CYCLE)
)
SPAN = f"{min(CODES)} to {max(CODES)}"  # how texts name them all
