"""Generate synthetic tpm projects and survey responses for the benchmark (docs/performance.md).

Two commands::

    python benchmarks/generate.py org --size L --seed 1 --out DIR
    python benchmarks/generate.py responses --project DIR --rows 1000000 --seed 1 --out FILE

``org`` writes a project (tpm.yaml, touchpoints/**, journeys/**) of size S (30 units,
300 touchpoints, 30 journeys), M (300, 3 000, 300) or L (1 000, 30 000, 3 000);
``--units/--touchpoints/--journeys`` override the numbers of a size. ``responses`` writes a
long-format CSV (docs/file-formats.md) of pulse-survey answers for an existing project,
streamed to disk.

Everything is deterministic: one ``random.Random(seed)`` per command, no global random state,
no clock. Dates (ratings, reviews, survey waves) are computed back from ``--as-of`` (default
2026-11-20), so the same arguments give byte-identical files on every machine and every day.
Standard library and PyYAML only (PyYAML reads the project for ``responses``); the YAML is
written as text in the style of a hand-kept repository, with comments and blank lines.

What an organisation holds, so that the audit has realistic work to do:

- a level-0 board; departments (~10 % of the units) are the silos, roots beside the board;
  teams (level 2), sub-teams (3) and groups (4) below them; front-line teams are
  customer-facing; a few units are islands (no touchpoint at all) or only ever informed;
- people (~1 per 2 units): board members, heads of department, team leads; ~7 % inactive
  (left, or vacant roles);
- touchpoints of the domain: team meetings, 1:1s, huddles, town halls, skip-levels, pulse
  surveys (P8W), escalation paths, recognition rituals, internal service standards and
  handovers between departments, best-practice slots, leaders on the line, decision papers,
  trainings, feedback platforms and company-wide broadcasts (~2 %); ~30 % two-way; named and
  ISO cadences; ~10 % without owner; stale and missing reviews; inline ratings on ~40 % (some
  stale, some below the anonymity threshold); a few suppressions and ``x-`` keys;
- journeys of 3 to 12 steps across 1 to 4 silos in ~10 files by theme; ~15 % without owner,
  some owned by one silo only, some with co-owners;
- one touchpoint file per silo (``touchpoints/<kind>/<department>.yaml``) and one for the
  board.

The data are valid: ``tpm validate`` finds nothing (no TPM001 to TPM006); the defects are the
audit's to find.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import math
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from random import Random
from statistics import NormalDist
from typing import Any

GENERATOR_VERSION = 1
DEFAULT_AS_OF = dt.date(2026, 11, 20)
DEFAULT_SEED = 1
SIZES: dict[str, tuple[int, int, int]] = {
    "S": (30, 300, 30),
    "M": (300, 3_000, 300),
    "L": (1_000, 30_000, 3_000),
}
STAMP_FILE = ".generator.json"  # hidden: tpm skips it; records what made the project
DIMENSIONS = ("clarity", "appreciation", "dialogue", "customer_focus", "empowerment")
ENPS = "enps"
MIN_RESPONSES = 5

# -- vocabulary ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeptKind:
    slug: str
    name: str
    teams: tuple[tuple[str, str, bool], ...]  # (slug, name, front line)
    sub: str  # what a sub-team is called here


# slug, name, what a sub-team is called there, teams as "slug: Name" ("*": the front line)
_DEPARTMENT_TABLE = (
    ("service", "Customer service", "shift",
     "hotline: Service hotline*; chat: Chat and e-mail service*; complaints: Complaint desk*; "
     "back-office: Service back office; quality: Service quality management"),
    ("people", "People & Culture", "team",
     "recruiting: Recruiting; onboarding: Onboarding; learning: Learning & development; "
     "payroll: Payroll; business-partners: HR business partners"),
    ("claims", "Claims", "team",
     "motor: Motor claims; property: Property claims; field: Field claims adjusters*; "
     "fraud: Fraud investigation; recovery: Recovery"),
    ("sales", "Sales", "region",
     "branches: Branch advisers*; key-accounts: Key account management*; "
     "inside-sales: Inside sales*; partners: Partner sales; support: Sales support"),
    ("it", "IT", "squad",
     "service-desk: IT service desk; platform: Core platform; workplace: Digital workplace; "
     "security: Information security; data-engineering: Data engineering"),
    ("marketing", "Marketing & Brand", "team",
     "brand: Brand; campaigns: Campaigns; digital: Digital marketing; insights: Customer insights"),
    ("finance", "Finance & Controlling", "team",
     "accounting: Accounting; controlling: Controlling; payments: Claims payments; "
     "treasury: Treasury"),
    ("field-service", "Field service", "crew",
     "technicians: Field technicians*; dispatch: Dispatch*; spare-parts: Spare parts"),
    ("underwriting", "Underwriting", "team",
     "private: Private lines; commercial: Commercial lines; pricing: Pricing"),
    ("customer-success", "Customer success", "pod",
     "onboarding: Customer onboarding*; account-care: Account care*; renewals: Renewals*"),
    ("legal", "Legal & Compliance", "team",
     "counsel: Legal counsel; compliance: Compliance; data-protection: Data protection"),
    ("logistics", "Logistics", "shift",
     "warehouse: Warehouse; transport: Transport; returns: Returns handling*"),
    ("product", "Product management", "squad",
     "motor: Motor products; home: Home products; digital: Digital products"),
    ("collections", "Collections", "team", "dunning: Dunning; debt-advice: Debt advice*"),
    ("procurement", "Procurement", "team", "sourcing: Strategic sourcing; purchasing: Purchasing"),
    ("risk", "Risk management", "team", "enterprise-risk: Enterprise risk; actuarial: Actuarial"),
    ("communications", "Internal communications", "team",
     "editorial: Intranet editorial; events: Events"),
    ("data", "Data & Analytics", "squad", "bi: Business intelligence; data-science: Data science"),
    ("strategy", "Strategy & Transformation", "team",
     "pmo: Transformation office; innovation: Innovation lab"),
    ("facilities", "Facilities", "team", "buildings: Buildings; reception: Reception and mail"),
    ("internal-audit", "Internal audit", "team", "operations: Audit operations"),
)  # fmt: skip


def _team(text: str) -> tuple[str, str, bool]:
    team_slug, name = text.split(": ")
    return team_slug, name.rstrip("*"), name.endswith("*")


DEPARTMENTS: tuple[DeptKind, ...] = tuple(
    DeptKind(kind, name, tuple(_team(t) for t in teams.split("; ")), sub)
    for kind, name, sub, teams in _DEPARTMENT_TABLE
)
REGIONS = (
    ("north", "North"),
    ("south", "South"),
    ("east", "East"),
    ("west", "West"),
    ("central", "Central"),
    ("hamburg", "Hamburg"),
    ("berlin", "Berlin"),
    ("munich", "Munich"),
    ("cologne", "Cologne"),
    ("frankfurt", "Frankfurt"),
    ("leipzig", "Leipzig"),
    ("stuttgart", "Stuttgart"),
)

FIRST_NAMES = (
    "Anna", "Ben", "Claudia", "David", "Elif", "Felix", "Greta", "Hannah", "Ibrahim", "Jana",
    "Jürgen", "Katrin", "Lena", "Lukas", "Maria", "Mehmet", "Nina", "Niklas", "Oliver", "Özlem",
    "Paul", "Petra", "Rafael", "Sabine", "Sven", "Tobias", "Ute", "Valentina", "Wiebke", "Yusuf",
    "Zoë", "Björn", "Chiara", "Dmitri", "Fatma", "Henrik", "Ingrid", "Joanna", "Kerstin", "Malte",
)  # fmt: skip
LAST_NAMES = (
    "Schmidt", "Müller", "Schneider", "Fischer", "Weber", "Wagner", "Becker", "Hoffmann",
    "Schulz", "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Braun", "Krüger",
    "Hartmann", "Lange", "Werner", "Yılmaz", "Demir", "Kaya", "Nowak", "Kowalski", "Rossi",
    "Weiß", "Jäger", "Vogel", "Özdemir", "Peters", "Lehmann", "Köhler", "Brandt", "Haas",
)  # fmt: skip
_TRANSLIT = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ı": "i", "ë": "e", "é": "e", "ç": "c"}
)

BOARD_ROLES = (
    ("Chief executive officer", "ceo"),
    ("CX manager, owns the cross-silo journeys", "cx"),
    ("Chief operating officer", "coo"),
    ("Chief financial officer", "cfo"),
    ("Chief people officer", "cpo"),
)

CADENCES: dict[str, tuple[str, ...]] = {
    "daily": ("daily", "daily", "P1D"),
    "weekly": ("weekly", "weekly", "weekly", "P1W"),
    "biweekly": ("biweekly", "biweekly", "P2W"),
    "monthly": ("monthly", "monthly", "monthly", "P1M", "P4W"),
    "quarterly": ("quarterly", "quarterly", "P3M", "P13W"),
    "yearly": ("yearly", "P1Y"),
    "on-demand": ("on-demand",),
    "once": ("once",),
    "pulse": ("P8W",),
}

STAGES: dict[str, tuple[str, ...]] = {
    "onboarding": ("Before day one", "Day one", "Week one", "Month one", "Day 90"),
    "complaints": ("Complaint received", "Investigation", "Resolution", "Follow-up"),
    "ideas": ("In the team", "In the department", "In the board", "Back to the team"),
    "recognition": ("Every day", "Every month", "Every year"),
    "escalation": ("Noticed", "Escalated", "Decided", "Told"),
    "service-requests": ("Request", "Fulfilment", "Confirmation"),
    "change": ("Decided", "Explained", "Trained", "Live"),
    "offboarding": ("Notice", "Handover", "Last day", "Exit interview"),
    "customer-cases": ("Received", "Assessed", "Settled", "Closed"),
    "measurement": ("Listen", "Decide", "Act", "Tell"),
}
THEMES: dict[str, tuple[str, str, str]] = {  # name, audience, goal
    "onboarding": (
        "New-hire onboarding in {silos}",
        "New hires in {first}",
        "New hires can serve customers on their own within 30 days",
    ),
    "complaints": (
        "A customer complaint handled across {silos}",
        "Colleagues handling a complaint",
        "A complaint is settled within ten working days without the customer calling again",
    ),
    "ideas": (
        "An idea from {first} reaches the board",
        "A front-line colleague with an idea",
        "A good idea reaches the board within one month, over at most three levels",
    ),
    "recognition": (
        "From a customer compliment to recognition in {silos}",
        "Front-line colleagues",
        "Every compliment reaches the colleague it is about",
    ),
    "escalation": (
        "A customer-harming policy is escalated from {first}",
        "A colleague who sees a policy hurt customers",
        "A harmful policy is changed within one quarter",
    ),
    "service-requests": (
        "An internal service request: {silos}",
        "Teams that depend on another department",
        "Internal requests are answered within the agreed service standard",
    ),
    "change": (
        "A policy change reaches the front line in {silos}",
        "Everyone affected by the change",
        "The front line can explain a change to customers on the day it goes live",
    ),
    "offboarding": (
        "Leaving {first} well",
        "Colleagues who leave",
        "Knowledge and customer relationships are handed over before the last day",
    ),
    "customer-cases": (
        "A customer case across {silos}",
        "Case handlers",
        "The customer tells the story once and gets one answer",
    ),
    "measurement": (
        "Pulse survey in {first}: listen, decide, tell",
        "Every employee",
        "Every pulse wave leads to one visible action within eight weeks",
    ),
}

DESCRIPTIONS: dict[str, tuple[str, ...]] = {
    "team-meeting": (
        "Priorities of the week, open cases and one customer story.",
        "The lead shares decisions from above; the team raises blockers.",
        "Starts with a customer story told by a team member, then the week's numbers.",
    ),
    "one-on-one": (
        "Thirty minutes on goals, workload and development; the report owns the agenda.",
        "Regular 1:1s between the team leads and their manager.",
    ),
    "huddle": (
        "Ten minutes before the lines open; one colleague shares a case that went well.",
        "Stand-up at the board: yesterday's escalations, today's staffing.",
    ),
    "town-hall": (
        "The head of the department shares results and answers questions.",
        "Quarterly results, the next quarter's goals and twenty minutes of open questions.",
    ),
    "skip-level": (
        "The head of the department meets colleagues two levels down without their leads.",
    ),
    "pulse-survey": (
        "Ten questions on the five scoring dimensions plus the eNPS question.",
        "People & Culture runs the wave; results go back to every team within two weeks.",
    ),
    "escalation": (
        "A customer-harming policy or case goes up the line with a written summary.",
        "Any colleague can escalate; an answer is due within five working days.",
    ),
    "recognition": (
        "The board names a customer hero of the month from customer compliments.",
        "Colleagues thank each other in public for help with a customer case.",
    ),
    "service-standard": (
        "Agreed response times and a named contact for requests between the departments.",
        "Requests go through one queue; the standard is reviewed every quarter.",
    ),
    "handover": (
        "Cases are handed over with the full history, so the customer never repeats a story.",
        "A checklist travels with each case; missing information goes back the same day.",
    ),
    "best-practice": (
        "The department presents one practice from the front line in the board meeting.",
    ),
    "leaders-on-the-line": (
        "Board members spend half a day beside the front line and take one problem back.",
    ),
    "decision-paper": (
        "Every board decision paper states its customer impact: who is affected, what changes.",
    ),
    "training": (
        "Hands-on sessions with real customer cases; new colleagues first.",
        "Learning & development trains the team on a new process or tool.",
    ),
    "feedback-platform": (
        "Front-line colleagues post ideas and problems at any time; every post gets an answer.",
    ),
    "broadcast": (
        "Company-wide information for every unit.",
        "Sent to everyone; questions go to the sender.",
    ),
}

# -- small helpers -----------------------------------------------------------------------------

_PLAIN = re.compile(r"[A-Za-z0-9\u00c0-\u024f][A-Za-z0-9\u00c0-\u024f .,;!?()/&+'’-]*")
_KEYWORDS = frozenset(
    {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"}
)  # plain scalars that a YAML 1.1 or 1.2 reader would not keep as strings


def q(text: str) -> str:
    """A YAML scalar for `text`: plain when that is safe, otherwise double-quoted."""
    if (
        _PLAIN.fullmatch(text)
        and not text.endswith(" ")
        and text.lower() not in _KEYWORDS
        and not _looks_numeric(text)
    ):
        return text
    return json.dumps(text, ensure_ascii=False)


def _looks_numeric(text: str) -> bool:
    try:
        float(text.replace("_", ""))
    except ValueError:
        return bool(re.fullmatch(r"\d{4}-\d\d-\d\d.*", text))
    return True


def slug(text: str) -> str:
    text = text.lower().translate(_TRANSLIT)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def flow(items: Iterable[str]) -> str:
    return "[" + ", ".join(items) + "]"


def iso(day: dt.date) -> str:
    return day.isoformat()


def fit_id(base: str, used: set[str]) -> str:
    """A unique id from `base`: at most 64 characters, `-2`, `-3`... on a clash."""
    base = base[:58].rstrip("-._")
    ident, n = base, 1
    while ident in used:
        n += 1
        ident = f"{base}-{n}"
    used.add(ident)
    return ident


# -- the organisation --------------------------------------------------------------------------


@dataclass
class Unit:
    id: str
    name: str
    parent: str | None
    level: int
    silo: str | None  # the department; None for the board
    front_line: bool = False
    description: str | None = None
    # normal | island (no touchpoint) | passive (only ever informed) | remote (see build_units)
    profile: str = "normal"
    children: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)  # further YAML lines (audit, x- keys)


@dataclass
class Person:
    id: str
    name: str
    unit: str
    role: str
    email: str | None
    active: bool = True


@dataclass
class Touchpoint:
    id: str
    kind: str
    name: str
    from_: list[str]
    to: list[str]  # ["all"] for a broadcast
    two_way: bool
    channel: str
    cadence: str | None
    tags: list[str]
    silo: str | None  # acting silo: the silo of the first `from` unit
    lines: list[str] = field(default_factory=list)  # rendered later


@dataclass
class Org:
    rng: Random
    as_of: dt.date
    units: dict[str, Unit] = field(default_factory=dict)
    departments: list[str] = field(default_factory=list)
    dept_kind: dict[str, DeptKind] = field(default_factory=dict)
    people: list[Person] = field(default_factory=list)
    lead_of: dict[str, str] = field(default_factory=dict)  # unit -> person
    silo_people: dict[str | None, list[str]] = field(default_factory=dict)
    board_people: list[str] = field(default_factory=list)
    touchpoints: list[Touchpoint] = field(default_factory=list)
    used: set[str] = field(default_factory=set)

    # unit pools for the touchpoint kinds, filled by `index()`
    teams: list[str] = field(default_factory=list)  # level >= 2
    with_children: list[str] = field(default_factory=list)
    front: list[str] = field(default_factory=list)
    people_depts: list[str] = field(default_factory=list)

    def index(self) -> None:
        self.teams = [u.id for u in self.units.values() if u.level >= 2]
        self.with_children = [u.id for u in self.units.values() if u.children]
        self.front = [u.id for u in self.units.values() if u.front_line]
        self.people_depts = [d for d in self.departments if self.dept_kind[d].slug == "people"]


def build_units(org: Org, n_units: int) -> None:
    rng = org.rng
    n_units = max(n_units, 3)
    board = Unit("board", "Executive board", None, 0, None)
    board.description = "The management board. The CX manager reports here."
    org.units["board"] = board
    org.used.add("board")
    n_dept = min(max(2, round(n_units * 0.10)), n_units - 1)
    for i in range(n_dept):
        kind = DEPARTMENTS[i % len(DEPARTMENTS)]
        round_no = i // len(DEPARTMENTS)
        if round_no == 0:
            ident, name = kind.slug, kind.name
        else:
            region_slug, region_name = REGIONS[(round_no - 1) % len(REGIONS)]
            extra = "" if round_no <= len(REGIONS) else f"-{round_no}"
            ident, name = f"{kind.slug}-{region_slug}{extra}", f"{kind.name} {region_name}"
        ident = fit_id(ident, org.used)
        unit = Unit(ident, name, None, 1, ident)
        unit.description = f"Department. {name} is a silo with its own goals and metrics."
        org.units[ident] = unit
        org.departments.append(ident)
        org.dept_kind[ident] = kind

    # Teams: departments differ a lot in size (log-normal weights).
    weights = [rng.lognormvariate(0, 0.7) for _ in org.departments]
    rest = n_units - 1 - n_dept
    per_dept = {d: 0 for d in org.departments}
    for d in rng.choices(org.departments, weights=weights, k=rest):
        per_dept[d] += 1
    for dept in org.departments:
        kind = org.dept_kind[dept]
        top = org.units[dept]
        team_no = 0
        for _ in range(per_dept[dept]):
            teams = top.children
            r = rng.random()
            if not teams or r < 0.45:
                slug_, tname, front = kind.teams[team_no % len(kind.teams)]
                again = team_no // len(kind.teams)
                team_no += 1
                ident = fit_id(f"{dept}-{slug_}" + (f"-{again + 1}" if again else ""), org.used)
                region = top.name[len(kind.name) :]
                name = tname + region + (f" {again + 1}" if again else "")
                unit = Unit(ident, name, dept, 2, dept, front)
                top.children.append(ident)
            else:
                parent = org.units[rng.choice(teams)]
                if r > 0.85 and parent.children:
                    parent = org.units[rng.choice(parent.children)]
                k = len(parent.children) + 1
                label = kind.sub if parent.level == 2 else "group"
                letter = "s" if parent.level == 2 else "g"
                ident = fit_id(f"{parent.id}-{letter}{k}", org.used)
                name = f"{parent.name}, {label} {k}"
                unit = Unit(ident, name, parent.id, parent.level + 1, dept, parent.front_line)
                parent.children.append(ident)
            org.units[ident] = unit
    # A few units nobody connects (CX islands) and a few that are only ever informed.
    candidates = [u for u in org.units.values() if u.level >= 2]
    for unit in candidates:
        r = rng.random()
        if r < 0.02:
            unit.profile = "island"
        elif r < 0.05:
            unit.profile = "passive"
    # A few remote sub-teams (a far-away site) talk only to their own team and their groups
    # only to them: their good practice needs four hops to the board (TPM023), and the
    # sub-team is the only link of its groups (TPM025).
    for unit in candidates:
        remote = unit.level == 3 and bool(unit.children) and unit.profile == "normal"
        if remote and rng.random() < 0.08:
            stack = [unit.id]
            while stack:
                member = org.units[stack.pop()]
                member.profile = "remote"
                stack.extend(member.children)
    org.index()


def _remote_ok(units: dict[str, Unit], ends: Sequence[str]) -> bool:
    """A remote unit is connected only with its parent and its children."""
    for x in ends:
        if x != "all" and units[x].profile == "remote":
            for y in ends:
                if y != x and y != units[x].parent and (y == "all" or units[y].parent != x):
                    return False
    return True


def build_people(org: Org, n_people: int) -> None:
    rng = org.rng
    n_people = max(n_people, 2)
    names: set[str] = set()

    def person(unit: str, role: str, vacant_ok: bool = True) -> Person:
        while True:
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            if name not in names or len(names) > 1000:
                break
        names.add(name)
        ident = fit_id(slug(name), org.used)
        active = not (vacant_ok and rng.random() < 0.07)
        if not active and rng.random() < 0.4:
            name = f"{role} (vacant)"
        email: str | None = f"{ident.replace('-', '.')}@example-group.example"
        if name.endswith("(vacant)") or rng.random() >= 0.7:
            email = None
        p = Person(ident, name, unit, role, email, active)
        org.people.append(p)
        org.silo_people.setdefault(org.units[unit].silo, []).append(ident)
        org.lead_of.setdefault(unit, ident)
        return p

    board_roles = BOARD_ROLES[: max(2, min(len(BOARD_ROLES), n_people // 8))]
    for role, _ in board_roles:
        org.board_people.append(person("board", role, vacant_ok=False).id)
    for dept in org.departments:
        if len(org.people) >= n_people:
            break
        person(dept, f"Head of {org.units[dept].name}")
    leaders = [u for u in org.units.values() if u.level >= 2 and u.profile != "island"]
    rng.shuffle(leaders)
    for unit in leaders:
        if len(org.people) >= n_people:
            break
        person(unit.id, f"Team lead, {unit.name}")
    while len(org.people) < n_people:  # specialists who own a touchpoint or two
        unit = org.units[rng.choice(list(org.units))]
        person(unit.id, rng.choice(("HR business partner", "Quality coach", "Process owner")))


# -- touchpoints -------------------------------------------------------------------------------

# kind -> (weight, share that is two-way)
KINDS: dict[str, tuple[float, float]] = {
    "team-meeting": (16, 0.2),
    "one-on-one": (12, 0.7),
    "huddle": (8, 0.5),
    "town-hall": (5, 0.15),
    "skip-level": (4, 0.6),
    "pulse-survey": (4, 0.4),
    "escalation": (6, 0.15),
    "recognition": (5, 0.1),
    "service-standard": (14, 0.1),
    "handover": (8, 0.1),
    "best-practice": (4, 0.5),
    "leaders-on-the-line": (2, 0.9),
    "decision-paper": (2, 0.05),
    "training": (4, 0.3),
    "feedback-platform": (2, 0.8),
    "broadcast": (2, 0.3),
}
_KIND_NAMES = list(KINDS)
_KIND_WEIGHTS = [w for w, _ in KINDS.values()]


def _endpoints(org: Org, kind: str) -> tuple[list[str], list[str], str, str, list[str]] | None:
    """(from, to, cadence class, channel, tags) for one touchpoint of `kind`, or None when the
    organisation has nothing to connect for it."""
    rng, u = org.rng, org.units
    depts = org.departments
    if kind == "team-meeting":
        if not org.with_children:
            return None
        parent = rng.choice(org.with_children)
        child = rng.choice(u[parent].children)
        return [parent], [child], "weekly", "meeting", ["information"]
    if kind == "one-on-one":
        if not org.teams:
            return None
        child = rng.choice(org.teams)
        return (
            [child],
            [u[child].parent or "board"],
            rng.choice(("weekly", "biweekly")),
            (rng.choice(("in-person", "video-call"))),
            ["dialogue"],
        )
    if kind == "huddle":
        pool = [t for t in org.front if u[t].parent] or org.teams
        if not pool:
            return None
        team = rng.choice(pool)
        return [team], [u[team].parent or "board"], "daily", "huddle", ["best-practice"]
    if kind == "town-hall":
        dept = rng.choice(depts)
        kids = u[dept].children
        if not kids:
            return None
        audience = rng.sample(kids, min(len(kids), rng.randint(1, 6)))
        return [dept], audience, "quarterly", "town-hall", ["information", "symbolic-action"]
    if kind == "skip-level":
        deep = [t for t in org.teams if u[t].level >= 3]
        if not deep:
            return None
        team = rng.choice(deep)
        return [team], [u[team].silo or "board"], "quarterly", "in-person", ["dialogue"]
    if kind == "pulse-survey":
        source = rng.choice(org.people_depts or depts)
        target = rng.choice([*depts, "board"])
        if target == source:
            target = "board"
        return [source], [target], "pulse", "survey", ["measurement"]
    if kind == "escalation":
        if rng.random() < 0.6 and org.teams:
            team = rng.choice(org.front or org.teams)
            return (
                [team],
                [u[team].silo or "board"],
                "on-demand",
                "escalation",
                [
                    "escalation",
                    "customer-harm",
                ],
            )
        return [rng.choice(depts)], ["board"], "on-demand", "escalation", ["escalation"]
    if kind == "recognition":
        if rng.random() < 0.5 and org.front:
            return (
                ["board"],
                [rng.choice(org.front)],
                "monthly",
                "ceremony",
                [
                    "recognition",
                    "symbolic-action",
                ],
            )
        if len(org.teams) < 2:
            return None
        a, b = rng.sample(org.teams, 2)
        return [a], [b], "on-demand", "intranet", ["recognition", "peer"]
    if kind in ("service-standard", "handover"):
        if len(depts) < 2:
            return None
        a, b = rng.sample(depts, 2)
        if kind == "handover":
            a = rng.choice(u[a].children or [a])
            b = rng.choice(u[b].children or [b])
            channel = rng.choice(("crm", "ticket", "workflow", "email"))
            return [a], [b], "on-demand", channel, ["handoff"]
        channel = rng.choice(("service-level-agreement", "ticket", "workflow"))
        return (
            [a],
            [b],
            rng.choice(("on-demand", "quarterly", "biweekly")),
            channel,
            [
                "service-standard",
                "handoff",
            ],
        )
    if kind == "best-practice":
        return [rng.choice(depts)], ["board"], "monthly", "meeting", ["best-practice", "dialogue"]
    if kind == "leaders-on-the-line":
        if not org.front:
            return None
        return (
            ["board"],
            [rng.choice(org.front)],
            "monthly",
            "in-person",
            ["customer-connected-leadership"],
        )
    if kind == "decision-paper":
        audience = rng.sample(depts, min(len(depts), rng.randint(1, 5)))
        return ["board"], audience, "on-demand", "decision-paper", ["decision-framework"]
    if kind == "training":
        if not org.teams:
            return None
        return (
            [rng.choice(org.people_depts or depts)],
            [rng.choice(org.teams)],
            rng.choice(("quarterly", "yearly", "once")),
            "workshop",
            ["training"],
        )
    if kind == "feedback-platform":
        if not org.front:
            return None
        senders = rng.sample(org.front, min(len(org.front), rng.randint(1, 4)))
        return (
            senders,
            [rng.choice(org.people_depts or depts)],
            "on-demand",
            ("intranet-platform"),
            ["dialogue", "measurement"],
        )
    # broadcast
    source = rng.choice(["board", "board", *(org.people_depts or depts), *depts[:3]])
    channel = "town-hall" if source == "board" else rng.choice(("newsletter", "intranet", "email"))
    cadence = "monthly" if source == "board" else rng.choice(("monthly", "weekly", "pulse"))
    return [source], ["all"], cadence, channel, ["information"]


_NAMES: dict[str, tuple[str, ...]] = {
    "team-meeting": ("Weekly team meeting: {to}", "Team meeting of {to} with {from}"),
    "one-on-one": ("1:1s: {from} leads with the head of {to}", "1:1s between {from} and {to}"),
    "huddle": ("Daily huddle of {from}: what went well", "Morning stand-up of {from}"),
    "town-hall": ("{from} town hall", "Quarterly town hall of {from}"),
    "skip-level": ("Skip-level round: {from} meets the head of {to}",),
    "pulse-survey": ("Pulse survey every eight weeks: {to}", "Pulse results review with {to}"),
    "escalation": ("Escalation path: {from} to {to}", "Customer-harm escalation from {from}"),
    "recognition": ("Customer hero of the month in {to}", "Peer kudos from {from} to {to}"),
    "service-standard": ("Service standard: {from} for {to}", "Internal SLA {from} / {to}"),
    "handover": ("Case handover from {from} to {to}", "Handover checklist {from} → {to}"),
    "best-practice": ("Best-practice slot of {from} in the board meeting",),
    "leaders-on-the-line": ("Leaders on the line: the board shadows {to}",),
    "decision-paper": ("Customer impact check in board decision papers for {to}",),
    "training": ("Training for {to}", "Customer empathy training: {to}"),
    "feedback-platform": ("Feedback platform: {from} to {to}",),
    "broadcast": (
        "Monthly all-hands of {from}: opens with a customer story",
        "Newsletter from {from}",
        "Company-wide update from {from}",
    ),
}


def build_touchpoints(org: Org, n_touchpoints: int) -> None:
    rng, u = org.rng, org.units
    for _ in range(n_touchpoints):
        for _attempt in range(60):
            kind = rng.choices(_KIND_NAMES, weights=_KIND_WEIGHTS)[0]
            found = _endpoints(org, kind)
            if found is None:
                continue
            from_, to, cadence_class, channel, tags = found
            if any(u[x].profile == "island" for x in from_ + to if x != "all"):
                continue
            if any(u[x].profile == "passive" for x in from_) or not _remote_ok(u, from_ + to):
                continue
            two_way = rng.random() < KINDS[kind][1]
            if two_way and any(u[x].profile == "passive" for x in to if x != "all"):
                two_way = False
            break
        else:  # pragma: no cover - only an organisation without departments gets here
            kind, from_, to, cadence_class = "best-practice", [org.departments[0]], ["board"], ""
            channel, tags, two_way = "meeting", ["best-practice"], False
        cadence = rng.choice(CADENCES[cadence_class]) if cadence_class else None
        if rng.random() < 0.04:
            cadence = None  # nobody wrote it down
        first, target = u[from_[0]], (u[to[0]].name if to != ["all"] else "everyone")
        if len(to) > 1:
            target = f"{target} and {len(to) - 1} more"
        name = rng.choice(_NAMES[kind]).format(**{"from": first.name, "to": target})
        ident = fit_id(f"{kind}-{first.id}" if kind != "broadcast" else slug(name), org.used)
        extra_tags = ["customer-story"] if rng.random() < 0.05 else []
        org.touchpoints.append(
            Touchpoint(
                ident,
                kind,
                name,
                from_,
                to,
                two_way,
                channel,
                cadence,
                tags + extra_tags,
                first.silo,
            )
        )


def _owner(org: Org, unit_id: str) -> str | None:
    rng = org.rng
    if rng.random() < 0.10:
        return None  # ~10 % of the touchpoints have nobody who owns them
    lead = org.lead_of.get(unit_id)
    if lead and rng.random() < 0.7:
        return lead
    pool = org.silo_people.get(org.units[unit_id].silo) or org.board_people
    return rng.choice(pool)


def _review(rng: Random, as_of: dt.date, missing: float) -> str | None:
    if rng.random() < missing:
        return None
    # most reviews within the year, a tail up to two years back (stale)
    days = int(rng.triangular(5, 720, 120))
    return iso(as_of - dt.timedelta(days=days))


def _ratings(org: Org, tp: Touchpoint) -> list[str]:
    rng, as_of = org.rng, org.as_of
    quality = min(4.7, max(1.6, rng.gauss(3.6, 0.55)))
    dims = list(DIMENSIONS) if rng.random() < 0.85 else rng.sample(DIMENSIONS, 3)
    entries = rng.choices((1, 2, 3), weights=(5, 3, 2))[0]
    stale = rng.random() < 0.25
    newest = as_of - dt.timedelta(days=rng.randint(60, 420) if stale else rng.randint(3, 50))
    lines = ["    ratings:"]
    for i in range(entries):
        day = newest - dt.timedelta(days=(entries - 1 - i) * rng.choice((56, 63, 91)))
        n = rng.randint(1, 4) if rng.random() < 0.1 else rng.randint(5, 80)
        scores = ", ".join(
            f"{d}: {min(5.0, max(1.0, round(rng.gauss(quality, 0.35), 1)))}" for d in dims
        )
        lines += [f"      - date: {iso(day)}", f"        n: {n}", f"        scores: {{{scores}}}"]
    return lines


_SUPPRESSIONS = (
    ("TPM020", "kept as a reference for new teams"),
    ("TPM013", "the owner is named in the next planning round"),
    ("TPM034", "reviewed with the works council every two years"),
    ("TPM031", "the next survey wave is scheduled"),
)


def render_touchpoint(org: Org, tp: Touchpoint) -> list[str]:
    rng = org.rng
    lines = [f"  - id: {tp.id}", f"    name: {q(tp.name)}"]
    r = rng.random()
    if r < 0.15:
        first, second = rng.sample(DESCRIPTIONS[tp.kind] + DESCRIPTIONS["broadcast"], 2)
        lines += ["    description: >-", f"      {first}", f"      {second}"]
    elif r < 0.6:
        lines.append(f"    description: {q(rng.choice(DESCRIPTIONS[tp.kind]))}")
    lines.append(f"    from: {tp.from_[0] if len(tp.from_) == 1 else flow(tp.from_)}")
    lines.append(f"    to: {tp.to[0] if len(tp.to) == 1 else flow(tp.to)}")
    if tp.two_way:
        lines.append("    direction: two-way")
    elif rng.random() < 0.1:
        lines.append("    direction: one-way")
    lines.append(f"    channel: {tp.channel}")
    if tp.cadence:
        lines.append(f"    cadence: {tp.cadence}")
    owner = _owner(org, tp.from_[0])
    if owner:
        lines.append(f"    owner: {owner}")
    if tp.tags:
        lines.append(f"    tags: {flow(tp.tags)}")
    review = _review(rng, org.as_of, 0.12)
    if review:
        lines.append(f"    last_reviewed: {review}")
    if rng.random() < 0.40:
        lines += _ratings(org, tp)
    if rng.random() < 0.006:
        code, reason = rng.choice(_SUPPRESSIONS)
        lines += ["    audit:", "      ignore:"]
        if rng.random() < 0.5:
            until = iso(org.as_of + dt.timedelta(days=rng.randint(-60, 200)))
            lines.append(f"        {code}: {{reason: {q(reason)}, until: {until}}}")
        else:
            lines.append(f"        {code}: {q(reason)}")
    if rng.random() < 0.01:
        lines.append(f"    x-ticket: TPM-{rng.randint(100, 9999)}")
    return lines


# -- journeys ----------------------------------------------------------------------------------


def build_journeys(org: Org, n_journeys: int) -> dict[str, list[list[str]]]:
    """Journeys rendered as YAML lines, grouped by theme (one file each)."""
    rng, u = org.rng, org.units
    by_silo: dict[str | None, list[Touchpoint]] = {}
    for tp in org.touchpoints:
        if tp.to != ["all"]:
            by_silo.setdefault(tp.silo, []).append(tp)
    silos = [d for d in org.departments if d in by_silo]
    board_tps = by_silo.get(None, [])
    every = [tp for tps in by_silo.values() for tp in tps] or org.touchpoints
    themes = list(STAGES)
    out: dict[str, list[list[str]]] = {}
    for j in range(n_journeys):
        theme = themes[j % len(themes)] if j < len(themes) else rng.choice(themes)
        k = min(len(silos), rng.choices((1, 2, 3, 4), weights=(30, 35, 20, 15))[0])
        chosen = rng.sample(silos, k) if k else []
        n_steps = max(k, rng.choices(range(3, 13), weights=(8, 12, 12, 10, 8, 6, 4, 3, 2, 1))[0])
        per = {s: 1 for s in chosen}
        for s in rng.choices(chosen, k=n_steps - k) if chosen else ():
            per[s] += 1
        steps: list[Touchpoint] = []
        for s in chosen:
            pool = by_silo[s]
            steps += rng.sample(pool, min(per[s], len(pool)))
        if board_tps and rng.random() < 0.3:
            steps.insert(rng.randint(0, len(steps)), rng.choice(board_tps))
        while len(steps) < 3:
            steps.append(rng.choice(every))
        if len(steps) > 3 and rng.random() < 0.2:  # one step out of silo order
            i = rng.randrange(len(steps) - 1)
            steps[i], steps[i + 1] = steps[i + 1], steps[i]
        steps = steps[:12]

        names = [u[s].name for s in chosen] or ["the board"]
        silo_text = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        name_t, audience_t, goal = THEMES[theme]
        name = name_t.format(silos=silo_text, first=names[0])
        audience = audience_t.format(first=names[0])
        ident = fit_id(f"{theme}-{chosen[0] if chosen else 'board'}", org.used)
        lines = [f"  - id: {ident}", f"    name: {q(name)}"]
        if rng.random() < 0.8:
            lines.append(f"    audience: {q(audience)}")
        if rng.random() < 0.7:
            lines.append(f"    goal: {q(goal)}")
        owner, co_owners = _journey_owners(org, chosen)
        if owner:
            lines.append(f"    owner: {owner}")
        if co_owners:
            lines.append(f"    co_owners: {flow(co_owners)}")
        review = _review(rng, org.as_of, 0.2)
        if review:
            lines.append(f"    last_reviewed: {review}")
        lines.append("    steps:")
        stages = STAGES[theme]
        for i, tp in enumerate(steps):
            lines.append(f"      - touchpoint: {tp.id}")
            if rng.random() < 0.85:
                stage = stages[min(len(stages) - 1, i * len(stages) // len(steps))]
                lines.append(f"        stage: {q(stage)}")
            if rng.random() < 0.2:
                lines.append("        critical: true")
        if len(chosen) > 1 and rng.random() < 0.01:
            lines += [
                "    audit:",
                "      ignore:",
                "        TPM012: the departments agreed to co-own it from next year",
            ]
        out.setdefault(theme, []).append(lines)
    return out


def _journey_owners(org: Org, chosen: Sequence[str]) -> tuple[str | None, list[str]]:
    rng = org.rng
    r = rng.random()
    if r < 0.15:
        return None, []  # nobody owns it: the audit's headline finding
    heads = [org.lead_of[s] for s in chosen if s in org.lead_of]
    if r < 0.40 and org.board_people:  # the CX manager (on the board) or a board member
        owner = org.board_people[1] if rng.random() < 0.6 else rng.choice(org.board_people)
        return owner, []
    if not heads:
        return rng.choice(org.board_people or [p.id for p in org.people]), []
    owner = heads[0]
    co_owners: list[str] = []
    if len(heads) > 1 and rng.random() < 0.5:
        co_owners = heads[1 : 1 + rng.randint(1, len(heads) - 1)]
    elif rng.random() < 0.15:
        co_owners = [rng.choice(org.board_people or heads)]
    return owner, [c for c in co_owners if c != owner]


# -- rendering the files -----------------------------------------------------------------------


def render_config(org: Org) -> str:
    rng = org.rng
    lines = [
        "# Synthetic organisation for the tpm benchmark (benchmarks/generate.py).",
        "# Departments are silos; teams, sub-teams and groups belong to the silo of their",
        "# department. Not perfect on purpose: the audit has defects to find.",
        "",
        "organisation: Beispielgruppe AG",
        "",
        "units:",
    ]

    def unit_lines(unit: Unit) -> None:
        lines.append(f"  - id: {unit.id}")
        lines.append(f"    name: {q(unit.name)}")
        if unit.parent:
            lines.append(f"    parent: {unit.parent}")
        if unit.level == 0:
            lines.append("    level: 0")
        elif unit.level == 2 and rng.random() < 0.05:
            lines.append("    level: 2")  # explicit, as some teams write it
        if unit.front_line:
            lines.append("    customer_facing: true")
        if unit.description:
            lines.append(f"    description: {q(unit.description)}")
        if unit.profile == "island" and rng.random() < 0.2:
            lines.extend(
                (
                    "    audit:",
                    "      ignore:",
                    "        TPM021: a project team, dissolved at the end of the year",
                )
            )

    unit_lines(org.units["board"])
    for dept in org.departments:
        lines += ["", f"  # {org.units[dept].name}"]
        stack = [dept]
        while stack:  # depth first, children in creation order: a department reads top-down
            unit = org.units[stack.pop()]
            unit_lines(unit)
            stack.extend(reversed(unit.children))
    lines += ["", "people:"]
    for p in org.people:
        lines += [f"  - id: {p.id}", f"    name: {q(p.name)}", f"    unit: {p.unit}"]
        lines.append(f"    role: {q(p.role)}")
        if p.email:
            lines.append(f"    email: {p.email}")
        if not p.active:
            lines.append("    active: false")
    lines += [
        "",
        "scoring:",
        "  scale: [1, 5]",
        "  min_responses: 5",
        "  max_age_days: 56",
        "  dimensions:",
        "    clarity: {weight: 1, label: Clarity}",
        "    appreciation: {weight: 1, label: Appreciation}",
        "    dialogue: {weight: 1, label: Two-way dialogue}",
        "    customer_focus: {weight: 1, label: Customer focus}",
        "    empowerment: {weight: 1, label: Empowerment}",
        "  thresholds: {good: 70, poor: 50}",
        "",
        "audit:",
        "  fail_on: error",
        "  max_feedback_hops: 3",
        "  max_review_age_days: 365",
        "  bottleneck_min_cut: 2",
        "",
    ]
    return "\n".join(lines)


def _items_file(header: Sequence[str], key: str, items: Iterable[list[str]]) -> str:
    lines = [f"# {h}" if h else "#" for h in header]
    lines.append(f"{key}:")
    first = True
    for item in items:
        if not first:
            lines.append("")
        first = False
        lines += item
    lines.append("")
    return "\n".join(lines)


def stamp(units: int, touchpoints: int, journeys: int, seed: int, as_of: dt.date) -> dict[str, Any]:
    """What made a project: compared by the benchmark to decide whether to regenerate."""
    source = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
    return {
        "generator": GENERATOR_VERSION,
        "source": source,
        "seed": seed,
        "units": units,
        "touchpoints": touchpoints,
        "journeys": journeys,
        "as_of": iso(as_of),
    }


def generate_org(
    out: Path,
    units: int,
    touchpoints: int,
    journeys: int,
    seed: int = DEFAULT_SEED,
    as_of: dt.date = DEFAULT_AS_OF,
) -> dict[str, Any]:
    """Write a project to `out` (replacing a project generated there before); return its stamp
    with the numbers of files and bytes."""
    if journeys and not touchpoints:
        raise ValueError("journeys need touchpoints: give --touchpoints 1 or more")
    rng = Random(seed)
    org = Org(rng, as_of)
    build_units(org, units)
    build_people(org, max(2, round(units / 2)))
    build_touchpoints(org, touchpoints)

    files: dict[str, str] = {"tpm.yaml": render_config(org)}
    by_file: dict[str, list[list[str]]] = {}
    for tp in org.touchpoints:
        if tp.silo is None:
            name = "touchpoints/board.yaml"
        else:
            name = f"touchpoints/{org.dept_kind[tp.silo].slug}/{tp.silo}.yaml"
        by_file.setdefault(name, []).append(render_touchpoint(org, tp))
    for name in sorted(by_file):
        silo = Path(name).stem
        if silo == "board":
            title = "the board, and company-wide broadcasts"
        else:
            title = f"{org.units[silo].name} ({silo}) and its teams"
        header = [
            "yaml-language-server: $schema=https://tpm.example/schema/touchpoints.json",
            f"Touchpoints started by {title}.",
        ]
        files[name] = _items_file(header, "touchpoints", by_file[name])
    for theme, items in sorted(build_journeys(org, journeys).items()):
        header = [f"Journeys: {theme.replace('-', ' ')}."]
        files[f"journeys/{theme}.yaml"] = _items_file(header, "journeys", items)

    info = stamp(units, touchpoints, journeys, seed, as_of)
    _write_tree(out, files, info)
    info = dict(info)
    info["files"] = len(files)
    info["bytes"] = sum(len(text.encode()) for text in files.values())
    return info


def _write_tree(out: Path, files: dict[str, str], info: dict[str, Any]) -> None:
    """Write into a fresh directory beside `out`, then swap it in: never a half project."""
    out = out.resolve()
    if out.exists() and any(out.iterdir()) and not (out / STAMP_FILE).exists():
        raise SystemExit(f"{out} exists and was not made by this generator: refusing to replace it")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        for name, text in files.items():
            target = tmp / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
        (tmp / STAMP_FILE).write_text(json.dumps(info, indent=2, sort_keys=True) + "\n")
        if out.exists():
            old = out.with_name(f".{out.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            os.replace(out, old)
            os.replace(tmp, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


# -- responses ---------------------------------------------------------------------------------


def _load_yaml(path: Path) -> Any:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(path, "rb") as f:
        return yaml.load(f, Loader=loader)


def _yaml_files(root: Path, folder: str) -> list[Path]:
    base = root / folder
    found = [
        p
        for p in base.rglob("*")
        if p.suffix in (".yaml", ".yml")
        and p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
    ]
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


_NORMAL_64 = [NormalDist().inv_cdf((i + 0.5) / 64) for i in range(64)]


def read_audiences(
    project: Path,
) -> tuple[list[tuple[str, bool]], dict[str, list[str]], list[tuple[str, frozenset[str]]]]:
    """The units below level 0 (id, customer-facing); per unit, the touchpoints it takes part
    in directly (those it receives and the two-way ones it starts); and the broadcasts with
    the units that send them (they reach every other unit)."""
    config = _load_yaml(project / "tpm.yaml") or {}
    units: list[tuple[str, bool]] = []
    top: list[str] = []
    for unit in config.get("units") or []:
        if unit.get("level") == 0:
            top.append(str(unit["id"]))
        else:
            units.append((str(unit["id"]), bool(unit.get("customer_facing"))))
    if not units:  # an organisation of top management only: they answer themselves
        units = [(u, False) for u in top]
    direct: dict[str, list[str]] = {u: [] for u, _ in units}
    broadcasts: list[tuple[str, frozenset[str]]] = []
    for path in _yaml_files(project, "touchpoints"):
        for tp in (_load_yaml(path) or {}).get("touchpoints") or []:
            ident = str(tp["id"])
            from_ = tp["from"] if isinstance(tp["from"], list) else [tp["from"]]
            to = tp["to"] if isinstance(tp["to"], list) else [tp["to"]]
            if to == ["all"]:
                broadcasts.append((ident, frozenset(map(str, from_))))
                continue
            members = list(to)
            if tp.get("direction") == "two-way":
                members += from_
            for unit in dict.fromkeys(map(str, members)):
                if unit in direct:
                    direct[unit].append(ident)
    return units, direct, broadcasts


RESPONDENTS_PER_UNIT = 250
PARTICIPATION = 0.7
ROWS_PER_ANSWER = 9.7  # five rows per touchpoint, ~1.75 touchpoints, one eNPS row


def generate_responses(
    project: Path,
    out: Path,
    rows: int,
    seed: int = DEFAULT_SEED,
    as_of: dt.date = DEFAULT_AS_OF,
    waves: int | None = None,
    respondents: int | None = None,
) -> int:
    """Write `rows` answer rows (plus the header) to `out`, streamed; return the row count.

    A stable pool of respondents (``r-000123``; by default 250 per unit below level 0) belongs
    to the units below level 0 (front-line units are bigger). Pulse waves come every eight
    weeks, the newest ending a few days before `as_of`; more rows mean more waves (a longer
    history of the same people), unless `waves` is given. In each wave ~70 % of the pool
    answer the five dimensions for one to three touchpoints (mostly ones their unit takes part
    in, sometimes a broadcast), and the eNPS question (0..10, empty touchpoint): ~10 % of the
    rows are eNPS rows. When a wave's share of rows is used up, the last respondent answers
    only the eNPS question, so every answered touchpoint has all five dimensions. New hires
    join the pool when a wave needs more people than it has.
    """
    rng = Random(seed)
    units, direct, broadcasts = read_audiences(project)
    every_tp = sorted({t for tps in direct.values() for t in tps} | {b for b, _ in broadcasts})
    weights = [3.0 if front else 1.0 for _, front in units]
    pool_size = max(1, respondents or RESPONDENTS_PER_UNIT * len(units))
    if not waves:
        waves = math.ceil(rows / (pool_size * PARTICIPATION * ROWS_PER_ANSWER))
    waves = max(1, waves)
    pool: list[tuple[str, str]] = []

    def hire(n: int) -> None:
        start = len(pool)
        for i, unit in enumerate(rng.choices([u for u, _ in units], weights=weights, k=n)):
            pool.append((f"r-{start + i + 1:06d}", unit))

    hire(pool_size)
    heard = {  # the broadcasts each unit receives (all but its own)
        u: [b for b, senders in broadcasts if u not in senders] for u, _ in units
    }

    # Per touchpoint: a quality level, drifting a little from wave to wave. Answers are drawn
    # from 64-entry tables (one per touchpoint, dimension and wave: the 64 quantiles of a
    # normal distribution around the mean, rounded to the scale), so a row costs one
    # getrandbits call, and a million rows take a few seconds.
    quality = {t: min(4.6, max(1.8, rng.gauss(3.5, 0.6))) for t in every_tp}
    offsets = [rng.gauss(0, 0.25) for _ in DIMENSIONS]
    enps_weights = (1, 1, 1, 2, 3, 5, 8, 12, 14, 10, 6)
    prefix = {t: [f"{t},{d}," for d in DIMENSIONS] for t in every_tp}

    tables_by_mean: dict[float, list[str]] = {}

    def table(mean: float) -> list[str]:
        key = round(mean, 2)
        found = tables_by_mean.get(key)
        if found is None:
            found = [str(max(1, min(5, round(key + 0.8 * z)))) for z in _NORMAL_64]
            tables_by_mean[key] = found
        return found

    def pick(unit: str) -> list[str]:
        mine, theirs = direct[unit], heard[unit]
        chosen: list[str] = []
        for _ in range(rng.choices((1, 2, 3), weights=(4, 4, 2))[0]):
            source = theirs if not mine or (theirs and rng.random() < 0.2) else mine
            if not source:
                source = every_tp
            if source:
                t = source[rng.randrange(len(source))]
                if t not in chosen:
                    chosen.append(t)
        return chosen

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    written = 0
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            f.write("touchpoint,dimension,score,date,unit,respondent\n")
            buf: list[str] = []
            for w in range(waves):
                quota = rows * (w + 1) // waves - rows * w // waves
                start = as_of - dt.timedelta(days=10 + 56 * (waves - 1 - w))
                days = [iso(start + dt.timedelta(days=i)) for i in range(7)]
                drift = rng.gauss(0, 0.15)
                answers: dict[str, list[list[str]]] = {}
                enps = [str(x) for x in rng.choices(range(11), weights=enps_weights, k=256)]
                i = 0
                while quota > 0:
                    if i == len(pool):
                        hire(max(1, len(pool) // 10))
                    rid, unit = pool[i]
                    i += 1
                    if rng.random() >= PARTICIPATION:
                        continue
                    tail = f",{days[rng.randrange(7)]},{unit},{rid}\n"
                    chosen = pick(unit)[: (quota - 1) // 5]
                    for t in chosen:
                        tables = answers.get(t)
                        if tables is None:
                            mean = quality[t] + drift
                            tables = [table(mean + offset) for offset in offsets]
                            answers[t] = tables
                        heads = prefix[t]
                        for d in range(5):
                            buf.append(heads[d] + tables[d][rng.getrandbits(6)] + tail)
                    buf.append(",enps," + enps[rng.getrandbits(8)] + tail)
                    quota -= 5 * len(chosen) + 1
                    written += 5 * len(chosen) + 1
                    if len(buf) > 8192:
                        f.write("".join(buf))
                        buf.clear()
            f.write("".join(buf))
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return written


# -- command line ------------------------------------------------------------------------------


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: write YYYY-MM-DD") from exc


def _count(text: str) -> int:
    value = int(text.replace("_", "").replace(",", ""))
    if value < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return value


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="generate.py",
        description="Generate synthetic tpm projects and survey responses (deterministic).",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    org = sub.add_parser("org", help="write a synthetic organisation (a tpm project)")
    org.add_argument("--size", choices=sorted(SIZES), default="S")
    org.add_argument("--units", type=_count, help="override the number of units")
    org.add_argument("--touchpoints", type=_count, help="override the number of touchpoints")
    org.add_argument("--journeys", type=_count, help="override the number of journeys")
    org.add_argument("--seed", type=int, default=DEFAULT_SEED)
    org.add_argument("--as-of", type=_date, default=DEFAULT_AS_OF, metavar="DATE")
    org.add_argument("--out", type=Path, required=True, metavar="DIR")

    resp = sub.add_parser("responses", help="write a long-format response CSV for a project")
    resp.add_argument("--project", type=Path, required=True, metavar="DIR")
    resp.add_argument("--rows", type=_count, default=1_000_000)
    resp.add_argument("--seed", type=int, default=DEFAULT_SEED)
    resp.add_argument("--as-of", type=_date, default=DEFAULT_AS_OF, metavar="DATE")
    resp.add_argument(
        "--waves", type=_count, help="pulse waves, eight weeks apart (default: as the rows need)"
    )
    resp.add_argument(
        "--respondents", type=_count, help="people in the pool (default: 250 per unit)"
    )
    resp.add_argument(
        "--out", type=Path, metavar="FILE", help="default: PROJECT/responses/pulse.csv"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.command == "org":
        units, touchpoints, journeys = SIZES[args.size]
        units = args.units if args.units is not None else units
        touchpoints = args.touchpoints if args.touchpoints is not None else touchpoints
        journeys = args.journeys if args.journeys is not None else journeys
        try:
            info = generate_org(args.out, units, touchpoints, journeys, args.seed, args.as_of)
        except ValueError as exc:
            print(f"generate.py: {exc}", file=sys.stderr)
            return 2
        files = f"{info['files']} file{'' if info['files'] == 1 else 's'}"
        print(
            f"wrote {units} units, {touchpoints} touchpoints, {journeys} journeys "
            f"({files}, {info['bytes'] / 1000:,.0f} kB) to {args.out}"
        )
        return 0
    if not (args.project / "tpm.yaml").is_file():
        print(f"generate.py: no tpm.yaml in {args.project}", file=sys.stderr)
        return 2
    out = args.out or args.project / "responses" / "pulse.csv"
    rows = generate_responses(
        args.project, out, args.rows, args.seed, args.as_of, args.waves, args.respondents
    )
    print(f"wrote {rows} rows to {out}")
    return 0


def iter_sizes(text: str) -> Iterator[str]:
    """`S,M,L` -> the size names, checked."""
    for part in text.split(","):
        name = part.strip().upper()
        if name:
            if name not in SIZES:
                raise ValueError(f"unknown size {part!r}: use {', '.join(SIZES)}")
            yield name


if __name__ == "__main__":
    sys.exit(main())
