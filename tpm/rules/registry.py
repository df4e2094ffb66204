"""The one record of every rule.

Each record feeds `tpm rules`, the README's rule table, SARIF `tool.driver.rules` and the
JUnit test suites, so the text of a rule is written exactly once, here.
"""

from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass
from typing import Any

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

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data


E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO  # noqa: E741 (short, like the table)

_GUARD_NOTE = (
    " Like every input check (TPM001 to TPM006), it can be neither switched off nor suppressed."
)

_RULES = [
    Rule(
        "TPM001",
        "yaml-syntax",
        E,
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
    ),
    Rule(
        "TPM002",
        "schema",
        E,
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
    ),
    Rule(
        "TPM003",
        "duplicate-key",
        E,
        "a mapping holds the same key twice",
        what="No mapping holds the same key twice. Both places are reported." + _GUARD_NOTE,
        why="YAML parsers silently keep the last of two equal keys, so the first value (often "
        "the owner someone just added) is lost without a trace.",
        fix="Delete one of the two keys, keeping the value you mean.",
        example="journeys:\n  - id: onboarding\n    name: New-hire onboarding\n"
        "    owner: anna\n    owner: head-of-service\n    steps:\n"
        "      - touchpoint: welcome-day\n",
        guard=True,
    ),
    Rule(
        "TPM004",
        "duplicate-id",
        E,
        "two items share an id",
        what="Every id is unique across the whole project: units, people, touchpoints and "
        "journeys share one namespace. Both places are reported." + _GUARD_NOTE,
        why="References (owner, from, to, steps) and tpm show ID must never be ambiguous: "
        "with two items of one id, a journey could silently point at the wrong touchpoint.",
        fix="Rename one of the two items and update the references to it.",
        example="units:\n  - id: service\n    name: Customer service\npeople:\n"
        "  - id: service\n    name: Service desk role\n    unit: service\n",
        guard=True,
    ),
    Rule(
        "TPM005",
        "unknown-reference",
        E,
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
    ),
    Rule(
        "TPM006",
        "unit-cycle",
        E,
        "a unit is its own ancestor",
        what="The parent relation of units has no cycle. One finding per cycle, on its first "
        "unit in file order, naming the whole cycle." + _GUARD_NOTE,
        why="Levels and silos come from the parent chain; in a cycle a unit has no top, so "
        "its silo, its level and everything judged from them would be arbitrary.",
        fix="Break the cycle: one of its units needs another parent, or none.",
        example="units:\n  - id: claims\n    name: Claims\n    parent: claims-field\n"
        "  - id: claims-field\n    name: Field adjusters\n    parent: claims\n",
        guard=True,
    ),
    Rule(
        "TPM009",
        "unused-suppression",
        I,
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
        "    from: board\n    to: all\n    owner: anna          # TPM013 cannot fire\n"
        "    audit:\n      ignore:\n        TPM013: owner named in Q1\n",
    ),
    Rule(
        "TPM010",
        "unowned-journey",
        E,
        "a journey has no owner",
        what="Every journey names an owner (a person id). A journey whose owner is absent or "
        "null is reported at its id; the message says how many silos it crosses.",
        why="Departments are silos with their own goals, metrics and rewards. A journey that "
        "crosses two or more of them is where the experience breaks, at the handoffs, and "
        "without one accountable owner each department optimises its own step and nobody "
        "the whole. The CX manager is the role created to own such journeys.",
        fix="Name one accountable person as owner: (for a cross-silo journey, someone who "
        "covers every silo it crosses, such as the CX manager on the board) and add "
        "co_owners: from the departments involved.",
        example="journeys:\n  - id: complaint-escalation\n    name: A complaint across "
        "four departments\n    steps:\n      - touchpoint: policy-handover\n"
        "      - touchpoint: claims-handover\n",
    ),
    Rule(
        "TPM011",
        "inactive-owner",
        E,
        "an owner or co-owner of a journey or touchpoint has active: false",
        what="No journey or touchpoint is owned or co-owned by a person marked active: false "
        "(someone who left, or a vacant role). Each such owner or co-owner is reported at the "
        "value that names them.",
        why="Ownership ends silently when people leave: the map still shows a name, but "
        "nobody improves the touchpoint or answers for the journey, and nobody notices "
        "until the experience has broken.",
        fix="Hand the journey or touchpoint to an active person (owner:), or remove the "
        "inactive co-owner.",
        example="people:\n  - id: thomas\n    name: Thomas Becker\n    unit: it\n"
        "    active: false\n# touchpoints/service-standards.yaml\ntouchpoints:\n"
        "  - id: it-service-sla\n    name: IT service standard\n    from: it\n"
        "    to: service\n    owner: thomas\n",
    ),
    Rule(
        "TPM012",
        "silo-owned-journey",
        W,
        "a journey crosses two or more silos and its active owner and co-owners cover only "
        "some of them",
        what="A journey that crosses two or more silos is owned across all of them. A person "
        "covers the silo of their unit; a person whose unit is at level 0 covers every silo; "
        "inactive people cover nothing. Only journeys with an active owner are judged "
        "(TPM010 and TPM011 cover the rest). The finding is at the journey's owner key and "
        "names the uncovered silos and the steps that reach them.",
        why="An owner from one department sees the journey through that department's goals. "
        "The handoff into a silo nobody covers is exactly where the experience breaks and "
        "where nobody has the standing to fix it.",
        fix="Add a co-owner from each uncovered silo (co_owners:), or give the journey an "
        "owner at level 0, such as the CX manager.",
        example="journeys:\n  - id: it-incident\n    name: A front-line tool is fixed\n"
        "    owner: head-of-service      # covers the service silo only\n    steps:\n"
        "      - touchpoint: hotline-huddle   # service\n"
        "      - touchpoint: it-service-sla   # it -> service\n",
    ),
    Rule(
        "TPM013",
        "unowned-touchpoint",
        W,
        "a touchpoint has no owner",
        what="Every touchpoint names an owner (a person id).",
        why="A touchpoint without an owner is nobody's job: it drifts, its quality is never "
        "measured or improved, and it quietly stops happening.",
        fix="Name the person who keeps the touchpoint running and improves it (owner:).",
        example="touchpoints:\n  - id: peer-kudos\n    name: Peer kudos\n"
        "    from: service-hotline\n    to: claims-field\n",
    ),
    Rule(
        "TPM020",
        "unused-touchpoint",
        I,
        "a touchpoint is in no journey",
        what="Every touchpoint is a step of at least one journey (of any journey file, even "
        "one with schema errors).",
        why="Journeys are how people live through the organisation. A touchpoint outside "
        "every journey is either missing from a journey map, so its handoffs are never "
        "judged, or it serves nobody any more and costs time for nothing.",
        fix="Add it as a step of the journey it serves, retire it, or suppress the rule on "
        "it with a reason when it is deliberately outside every journey.",
        example="touchpoints:\n  - id: budget-letter\n    name: Quarterly budget guidelines\n"
        "    from: board\n    to: finance\n# ...and no journey has a step 'budget-letter'\n",
    ),
    Rule(
        "TPM021",
        "island-unit",
        W,
        "a unit has no path at all (ignoring direction) to a level-0 unit: a CX island",
        what="Every unit below level 0 is linked to top management by some chain of "
        "touchpoints, in either direction. Broadcasts (to: all) connect no one, so a unit "
        "whose only link is the all-hands is still an island. When no unit is at level 0 at "
        "all, one finding on tpm.yaml says that top management is missing and replaces "
        "TPM021, TPM022, TPM023, TPM025 and TPM026.",
        why="A unit with no touchpoint towards the rest of the organisation is a CX island: "
        "it never hears the customer story from the top, and what it learns from customers "
        "never leaves it.",
        fix="Add a touchpoint between the unit and a unit that is connected to level 0, for "
        "example a regular meeting with its department or a slot in a board meeting.",
        example="units:\n  - id: board\n    name: Executive board\n    level: 0\n"
        "  - id: marketing\n    name: Marketing\n# touchpoints: marketing only sends a "
        "newsletter to: all\n",
    ),
    Rule(
        "TPM022",
        "no-feedback-path",
        W,
        "there is no directed path from the unit to any level-0 unit: its voice cannot reach "
        "top management",
        what="Every unit below level 0 that is not an island (TPM021) has a directed path of "
        "touchpoints to a level-0 unit: from the unit, along the direction of each "
        "touchpoint (both ways for two-way touchpoints), to top management.",
        why="Two-way dialogue means employees are involved, not only informed. A unit whose "
        "touchpoints all point towards it can receive every decision but has no way to send "
        "a customer problem or a good idea back up.",
        fix="Make one of its touchpoints two-way (direction: two-way), or add one that starts "
        "at the unit and leads towards level 0.",
        example="touchpoints:\n  - id: budget-letter\n    name: Budget guidelines\n"
        "    from: board\n    to: finance          # finance starts nothing, and nothing "
        "is two-way\n",
    ),
    Rule(
        "TPM023",
        "long-feedback-path",
        W,
        "the shortest directed path from the unit to a level-0 unit has more than "
        "max_feedback_hops edges (default 3)",
        what="The shortest directed path from each unit below level 0 to top management has "
        "at most audit.max_feedback_hops touchpoints (default 3). The message shows one "
        "shortest path. Islands and units without any path are TPM021 and TPM022.",
        why="Good practice from the front line should reach top management over no more than "
        "two or three hierarchy levels. Every extra level filters and delays the voice of "
        "the people closest to the customer until nothing of it arrives.",
        fix="Add a touchpoint that skips levels: a best-practice slot in a board meeting, "
        "leaders visiting the team, or an escalation path straight to the CX manager.",
        example="# team -> group -> department -> division -> board: 4 hops\n"
        "touchpoints:\n  - {id: t1, name: Team meeting, from: team, to: group}\n"
        "  - {id: t2, name: Group meeting, from: group, to: department}\n"
        "  - {id: t3, name: Department meeting, from: department, to: division}\n"
        "  - {id: t4, name: Division report, from: division, to: board}\n",
    ),
    Rule(
        "TPM024",
        "one-way-unit",
        W,
        "a unit receives touchpoints but starts none and takes part in no two-way touchpoint: "
        "it is informed, never involved",
        what="Every unit below level 0 that receives touchpoints (broadcasts count as "
        "received) also starts one or takes part in a two-way touchpoint. A two-way "
        "broadcast counts as received only. This rule also runs without a level-0 unit.",
        why="Involving employees, not only informing them, is what turns communication into "
        "dialogue. A department that is only ever told things stops listening and never "
        "contributes what it knows about customers.",
        fix="Make one of the touchpoints it receives two-way, or add a touchpoint that the "
        "unit starts (a slot in a meeting, a feedback channel).",
        example="touchpoints:\n  - id: budget-letter\n    name: Budget guidelines\n"
        "    from: board\n    to: finance\n  - id: payment-release\n"
        "    name: Payment release request\n    from: claims\n    to: finance\n",
    ),
    Rule(
        "TPM025",
        "bottleneck-unit",
        I,
        "removing the unit would leave at least bottleneck_min_cut other units (default 2) "
        "without any path to level 0: the middle-management bottleneck",
        what="No unit below level 0 is the only link (ignoring direction) between "
        "audit.bottleneck_min_cut or more other units (default 2) and top management. "
        "Islands are not counted as cut off. The message names up to ten of the units cut "
        "off and how many more there are.",
        why="When every path from a group of teams to the top runs through one middle-"
        "management unit, that unit filters everything: the middle-management bottleneck. "
        "If it is overloaded, reorganised or simply disagrees, the teams behind it fall "
        "silent.",
        fix="Give the teams behind the bottleneck a touchpoint of their own towards level 0 "
        "or towards another unit on a different path (a skip-level meeting, an escalation "
        "path, a feedback platform).",
        example="# team-a and team-b reach the board only through the department\n"
        "touchpoints:\n  - {id: a, name: Team A weekly, from: team-a, to: department}\n"
        "  - {id: b, name: Team B weekly, from: team-b, to: department}\n"
        "  - {id: c, name: Department report, from: department, to: board}\n",
    ),
    Rule(
        "TPM026",
        "leadership-far-from-customers",
        W,
        "no level-0 unit has a touchpoint (either direction) with a customer-facing unit at a "
        "cadence of monthly or more often",
        what="At least one level-0 unit has a touchpoint, in either direction, with a unit "
        "marked customer_facing: true, at a cadence of daily, weekly, biweekly, monthly or a "
        "duration of at most 31 days. Broadcasts do not count. The finding is reported once, "
        "on the first level-0 unit in tpm.yaml; it also fires when no unit is customer-facing.",
        why="Customer-connected leadership: leaders who regularly meet the front line hear "
        "what customers live through first-hand, and show by example that the customer is "
        "the point of the job. A yearly visit or a town hall to all does neither.",
        fix="Add a regular touchpoint between top management and a customer-facing unit, such "
        "as board members shadowing the hotline once a month; mark the units that serve "
        "customers with customer_facing: true.",
        example="touchpoints:\n  - id: frontline-visit\n    name: Board visits the branches\n"
        "    from: board\n    to: sales-branches   # customer_facing: true\n"
        "    cadence: quarterly          # less often than monthly\n",
    ),
    Rule(
        "TPM030",
        "poor-quality",
        W,
        "a touchpoint's score is below thresholds.poor",
        what="Every scored touchpoint scores at least scoring.thresholds.poor (default 50 on "
        "the 0-100 score of tpm score). A touchpoint without a score is unrated (TPM032), "
        "never poor. The message names the source and the weakest dimensions.",
        why="What gets measured gets managed: a poor score is the employees' verdict on an "
        "interaction, and each poor internal touchpoint sooner or later reaches the customer.",
        fix="Look at the weakest dimensions with tpm score --explain ID, agree an improvement "
        "with the owner and the units it serves, and measure again.",
        example="touchpoints:\n  - id: claims-handover\n    name: Claims handover\n"
        "    from: service-hotline\n    to: claims\n    ratings:\n      - date: 2026-10-28\n"
        "        n: 14\n        scores: {clarity: 2.1, appreciation: 1.8, dialogue: 1.9}\n",
    ),
    Rule(
        "TPM031",
        "stale-rating",
        W,
        "a touchpoint's newest rating or response is older than its freshness limit",
        what="Every touchpoint with a rating or survey response was measured recently: its "
        "newest one is at most its freshness limit old, the longer of scoring.max_age_days "
        "(default 56) and its cadence (a yearly kick-off rated ten months ago is fresh).",
        why="A pulse survey every eight weeks keeps the measurement alive; a score from half "
        "a year ago describes an organisation that no longer exists, and decisions made on "
        "it miss what has changed since.",
        fix="Ask the people the touchpoint serves again: add it to the next pulse survey, or "
        "add a new rating.",
        example="touchpoints:\n  - id: customer-hero\n    name: Customer hero of the month\n"
        "    from: board\n    to: service-hotline\n    cadence: monthly\n    ratings:\n"
        "      - date: 2026-04-28     # audited in November\n        n: 38\n"
        "        scores: {clarity: 4.0, appreciation: 4.4}\n",
    ),
    Rule(
        "TPM032",
        "unrated",
        I,
        "a touchpoint has no score",
        what="Every touchpoint has a score (docs/scoring.md): from an inline rating or survey "
        "responses with at least scoring.min_responses respondents. The message says why "
        "there is none: no data yet, or too few respondents to show one.",
        why="What gets measured gets managed. A touchpoint that nobody rates cannot be "
        "improved on purpose, and its problems show up only when customers feel them.",
        fix="Add the touchpoint to the next pulse survey (responses/*.csv) or record a "
        "rating; when it has too few respondents, pool several waves or a larger audience.",
        example="touchpoints:\n  - id: preboarding\n    name: Pre-boarding pack\n"
        "    from: people\n    to: service-hotline\n    # no ratings, and no responses "
        "name it\n",
    ),
    Rule(
        "TPM033",
        "weak-critical-step",
        W,
        "a critical journey step's touchpoint scores below thresholds.poor "
        "(reported on the journey)",
        what="The touchpoint of every critical step (critical: true, a moment of truth) "
        "scores at least scoring.thresholds.poor. The finding is about the journey, at the "
        "step.",
        why="A moment of truth decides how the whole journey is remembered; a poor one breaks "
        "the experience however good the other steps are, which is why critical steps weigh "
        "double in the journey's score.",
        fix="Improve the touchpoint (see TPM030 on it), or redesign the step, for example "
        "with a different touchpoint or an extra handoff check.",
        example="journeys:\n  - id: complaint-escalation\n    name: A complaint across "
        "departments\n    owner: anna\n    steps:\n      - touchpoint: claims-handover   "
        "# scores 23\n        critical: true\n",
    ),
    Rule(
        "TPM034",
        "stale-review",
        I,
        "a journey or touchpoint has no last_reviewed, or it is older than "
        "max_review_age_days (default 365)",
        what="Every journey and touchpoint records when it was last reviewed "
        "(last_reviewed:), and that day is at most audit.max_review_age_days ago (default "
        "365), judged against --as-of.",
        why="Maps go stale because nobody keeps them: teams are reorganised, people leave, "
        "meetings stop, and a map that no longer matches the organisation leads every "
        "decision made with it astray.",
        fix="Walk through the item with its owner, correct what has changed, and set "
        "last_reviewed to the day of the review.",
        example="touchpoints:\n  - id: strategy-offsite\n    name: Yearly strategy off-site\n"
        "    from: board\n    to: service\n    last_reviewed: 2025-03-10   # audited in "
        "November 2026\n",
    ),
]

RULES: dict[str, Rule] = {r.code: r for r in _RULES}
GUARD_CODES = frozenset(r.code for r in _RULES if r.guard)


def find_rule(text: str) -> Rule:
    """The rule named by a code (any case) or a name; KeyError with a hint otherwise."""
    wanted = text.strip()
    rule = RULES.get(wanted.upper())
    if rule is not None:
        return rule
    for rule in _RULES:
        if rule.name == wanted.lower():
            return rule
    choices = [*RULES, *(r.name for r in _RULES)]
    close = difflib.get_close_matches(wanted, choices, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else " (see 'tpm rules')"
    raise KeyError(f"{text!r} is no tpm rule{hint}")


def _cell(text: str) -> str:
    """Text safe in a Markdown table cell."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def rule_table_markdown() -> str:
    """The README's rule table (pasted between <!-- rules:start --> and <!-- rules:end -->)."""
    lines = ["| code | name | default | fires when |", "|---|---|---|---|"]
    for rule in _RULES:
        lines.append(
            f"| {rule.code} | {rule.name} | {rule.severity.value} | {_cell(rule.summary)} |"
        )
    return "\n".join(lines) + "\n"
