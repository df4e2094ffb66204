"""The rule checks, from the declarations: code -> function(ctx) yielding findings.

The input guards are found while loading (`tpm.project`, `tpm.responses`) and the suppression
rule by the engine (`tpm.audit`), which alone knows which suppressions were used; every other
rule declares its check next to it. The engine, not the check, applies selection, severity and
suppressions.
"""

from __future__ import annotations

from tpm.rules.context import Check
from tpm.rules.registry import RULES

CHECKS: dict[str, Check] = {code: r.check for code, r in RULES.items() if r.check is not None}

# Rules that read the scores: they run only when scores were computed.
NEEDS_SCORES = frozenset(code for code, rule in RULES.items() if rule.needs_scores)

# Found by the engine from the other rules' results.
ENGINE_RULES = frozenset(
    code for code, rule in RULES.items() if rule.check is None and not rule.guard
)
