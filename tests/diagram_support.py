"""Shared by the diagram and report tests: projects with hostile text, and with a touchpoint
below the anonymity threshold."""

from __future__ import annotations

import re

LONG = "Extraordinarily long unit name " * 7  # over 200 characters
HOSTILE = {
    "tpm.yaml": f"""\
        organisation: "Böse \\"AG\\" <script>alert(1)</script> & Co: #1; \\\\ end"
        scoring: {{min_responses: 5}}
        units:
          - id: board
            name: "Board \\"of\\" <script>alert('x')</script>"
            level: 0
          - id: dept
            name: "Dépt: Ärger #1; [a] {{b}} |c| `d` \\\\ e %% f"
          - id: team
            name: "{LONG.strip()}"
            parent: dept
            customer_facing: true
        people:
          - id: boss
            name: "O'Brien \\"the\\" <b>boss</b>"
            unit: board
            role: "CX: #1; <i>lead</i>"
    """,
    "touchpoints/t.yaml": """\
        touchpoints:
          - id: tp1
            name: "Line one\\nline two <script>x</script> : # ; \\"q\\" \\\\ end"
            from: team
            to: dept
            channel: "a:b;c#d<e>"
            cadence: weekly
            ratings:
              - {date: 2026-11-01, n: 10, scores: {clarity: 4, appreciation: 4}}
          - id: tp2
            name: "Hub: to <many> & \\"all\\""
            from: dept
            to: [team, board]
            direction: two-way
          - id: tp3
            name: "Broadcast; #tag"
            from: board
            to: all
    """,
    "journeys/j.yaml": """\
        journeys:
          - id: j
            name: "Journey \\"x\\" <script>alert(2)</script>: #1; end"
            audience: "People <who> care"
            owner: boss
            steps:
              - {touchpoint: tp1, stage: "Stage: one; #a <i>b</i>"}
              - {touchpoint: tp2, critical: true}
              - {touchpoint: tp3}
    """,
}


PRIVATE = {
    **HOSTILE,
    "touchpoints/t.yaml": """\
        touchpoints:
          - id: secret
            name: Secret touchpoint
            from: team
            to: dept
            ratings:
              # 3 respondents: below min_responses (5); its score would be 96
              - {date: 2026-11-01, n: 3, scores: {clarity: 4.84, appreciation: 4.84}}
          - id: public
            name: Public touchpoint
            from: dept
            to: board
            ratings:
              - {date: 2026-11-01, n: 12, scores: {clarity: 2.0, appreciation: 2.0}}
    """,
    "journeys/j.yaml": """\
        journeys:
          - id: j
            name: Journey
            owner: boss
            steps:
              - {touchpoint: secret, critical: true}
              - {touchpoint: public}
    """,
}


def hidden_numbers_absent(text: str) -> None:
    if text.startswith("<?xml"):  # an SVG: what it says, not its coordinates
        text = "\n".join(re.findall(r"<(?:text|title)\b[^>]*>(.*?)</", text))
        text += "\n".join(re.findall(r'xlink:title="([^"]*)"', text))
    assert "n < 5" in text or "n #lt; 5" in text or "n &lt; 5" in text
    assert not re.search(r"(?<![#\d.])96\b", text)  # the hidden score (#96; is a backtick)
    assert not re.search(r"n\s*=\s*3\b", text)  # the hidden number of respondents
