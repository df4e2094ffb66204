"""What the diagrams share: colours by band, score badges, the legend, and text handling.

One home for every visual decision, so that the Graphviz and the Mermaid renderers (and the
HTML report) colour, label and escape things the same way.
"""

from __future__ import annotations

import html
import re
import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from tpm.scoring import band_of, hidden_label, reason_label

if TYPE_CHECKING:
    from tpm.scoring import TouchpointScore

# What a score badge can show: a band, no score at all, or a score hidden by the anonymity
# threshold (docs/scoring.md, "Privacy": it shows as "n < 5", never with its number).
Kind = Literal["good", "fair", "poor", "unrated", "hidden"]

# Stroke / text colour and a light fill for each kind. Colour-blind friendly enough: the band
# is also always written out in words.
INK: dict[str, str] = {
    "good": "#1a7f37",
    "fair": "#b35900",
    "poor": "#cf222e",
    "unrated": "#6e7781",
    "hidden": "#6e7781",
}
FILL: dict[str, str] = {
    "good": "#dafbe1",
    "fair": "#fff1d6",
    "poor": "#ffebe9",
    "unrated": "#eaeef2",
    "hidden": "#eaeef2",
}
# Worst first: a merged edge takes the colour of its worst touchpoint.
SEVERITY_ORDER: tuple[str, ...] = ("poor", "fair", "good", "hidden", "unrated")

TEXT = "#1f2328"
MUTED = "#57606a"
ALERT = "#cf222e"  # red: findings, handoffs nobody owns, NO OWNER
HANDOFF = "#0550ae"  # a handoff between silos that an owner covers
FLOW = "#57606a"
TOP_FILL = "#ddf4ff"  # top management
UNIT_FILL = "#ffffff"
LANE_FILLS = ("#eef2f6", "#f8f9fb")
STAGE_FILLS = ("#e7ecf3", "#d5deea")
FONT = "Helvetica,Arial,sans-serif"

STAR = "\u2605"  # ★
WARN = "\u26a0"  # ⚠


@dataclass(frozen=True)
class Badge:
    """A touchpoint's score as the diagrams show it."""

    kind: Kind
    text: str  # "72 · good", "n < 5", "unrated"
    detail: str  # "n=14" (only when the score is shown), else ""
    score5: int | None  # the score on Mermaid's journey scale 1-5; None when not shown

    @property
    def ink(self) -> str:
        return INK[self.kind]

    @property
    def fill(self) -> str:
        return FILL[self.kind]


def badge(
    score: TouchpointScore | None,
    min_responses: int,
    thresholds: tuple[float, float] | None = None,
) -> Badge:
    """The badge of one touchpoint. A score below the anonymity threshold never leaks: only
    the threshold is shown, neither the score nor the number of respondents."""
    if score is None or score.source == "none" or score.n == 0:
        return Badge("unrated", "unrated", "", None)
    label = reason_label(score.hidden, min_responses)
    if label is not None:
        return Badge("hidden", label, "", None)
    if score.score is None or score.band is None:
        return Badge("unrated", "no score", "", None)
    value = score.score
    shown = score_text(value, thresholds) if thresholds is not None else f"{value:.0f}"
    return Badge(score.band, f"{shown} · {score.band}", f"n={score.n}", to_five(value))


def score_text(value: float, thresholds: tuple[float, float]) -> str:
    """A 0-100 value as a whole number, unless rounding would carry it across a band
    threshold: 69.6 is fair, so it reads "69.6", never a fair "70" beside "good from 70"."""
    import math

    good, poor = thresholds
    whole = f"{value:.0f}"
    if band_of(float(whole), good, poor) == band_of(value, good, poor):
        return whole
    return f"{math.floor(value * 10) / 10:.1f}"  # down: rounding up is what crossed


def to_five(score: float) -> int:
    """0-100 onto Mermaid's journey scale: 0-19 → 1, 20-39 → 2, … 80-100 → 5."""
    return min(5, max(1, int(score // 20) + 1))


def worst(kinds: list[str]) -> str:
    for kind in SEVERITY_ORDER:
        if kind in kinds:
            return kind
    return "unrated"


@dataclass(frozen=True)
class LegendEntry:
    """One line of a legend: a swatch (how it is drawn) and what it means."""

    swatch: Literal["badge", "edge", "thick", "node", "text"]
    colour: str
    label: str
    sample: str = ""  # text shown in the swatch (badges, markers)


def band_legend(min_responses: int, thresholds: tuple[float, float]) -> list[LegendEntry]:
    good, poor = thresholds
    return [
        LegendEntry("badge", INK["good"], f"good (score ≥ {good:g})", "good"),
        LegendEntry("badge", INK["fair"], f"fair ({poor:g} to {good:g})", "fair"),
        LegendEntry("badge", INK["poor"], f"poor (score < {poor:g})", "poor"),
        LegendEntry("badge", INK["unrated"], "no score yet", "unrated"),
        LegendEntry(
            "badge",
            INK["hidden"],
            f"fewer than {min_responses} respondents: hidden for anonymity",
            hidden_label(min_responses),
        ),
    ]


# -- text ----------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029]")


def clean(text: str | None) -> str:
    """One line of plain text: whitespace (newlines included) collapsed, controls dropped."""
    if not text:
        return ""
    return " ".join(_CONTROL.sub(" ", text).split())


def wrap(text: str | None, width: int = 28, max_lines: int = 3) -> list[str]:
    """`text` cleaned and wrapped; cut with an ellipsis when it needs more than `max_lines`."""
    lines = textwrap.wrap(clean(text), width=width, break_long_words=True) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        lines[-1] = (last[: width - 1].rstrip() if len(last) >= width else last) + "…"
    return lines


def shorten(text: str | None, width: int) -> str:
    """One line of at most `width` characters (with an ellipsis when cut)."""
    text = clean(text)
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


_DURATION = re.compile(r"^P([0-9]+)([DWMY])\Z")
_PERIODS = {"D": "day", "W": "week", "M": "month", "Y": "year"}


def cadence_text(cadence: str | None) -> str:
    """A cadence as people say it: P2W is "every 2 weeks", on-demand "on demand"."""
    if not cadence:
        return ""
    match = _DURATION.match(cadence)
    if match:
        n, unit = int(match.group(1)), _PERIODS[match.group(2)]
        return f"every {unit}" if n == 1 else f"every {n} {unit}s"
    return clean(cadence).replace("-", " ")


def html_text(text: str) -> str:
    """Text for a Graphviz HTML-like label: every markup character escaped, and backslashes
    doubled, since dot expands `\\N`, `\\G`, `\\L`, … (the node's or graph's name) even there."""
    return html.escape(clean(text), quote=True).replace("\\", "\\\\")


# Characters Mermaid cannot hold in a label, as its entity codes (#58; and so on). `#` goes
# first so that the codes themselves are not escaped again.
_MERMAID_CODES: dict[str, str] = {
    "#": "#35;",
    "&": "#38;",
    '"': "#quot;",
    "'": "#39;",
    ":": "#58;",
    ";": "#59;",
    "<": "#lt;",
    ">": "#gt;",
    "[": "#91;",
    "]": "#93;",
    "{": "#123;",
    "}": "#125;",
    "|": "#124;",
    "`": "#96;",
    "\\": "#92;",
    "%": "#37;",
}
# `<` and `>` only where they could make a tag (`<b`, `</`, `<!`): "n < 5" stays readable.
_MERMAID_RE = re.compile(
    "|".join(re.escape(c) for c in _MERMAID_CODES if c not in "<>") + r"|<(?=[A-Za-z/!?])|>"
)


def mermaid_text(text: str, *, list_item: bool = False) -> str:
    """Text for a Mermaid label: one line, markup and syntax characters as entity codes
    (`list_item`: also commas, for the actors of a journey task)."""
    escaped = _MERMAID_RE.sub(lambda m: _MERMAID_CODES[m.group(0)], clean(text))
    return escaped.replace(",", "#44;") if list_item else escaped


def mermaid_title(text: str) -> str:
    """Text for a Mermaid title (quoted front matter, or a journey's `title` line): entity codes
    are not decoded there, so quotes and backslashes become ' and /, `#` and `;` (which end
    a title line) their full-width look-alikes ＃ and ；, and `<` `>` become ‹ ›."""
    swap = {'"': "'", "\\": "/", "#": "\uff03", ";": "\uff1b", "<": "\u2039", ">": "\u203a"}
    return "".join(swap.get(c, c) for c in clean(text))
