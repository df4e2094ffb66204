"""The plain registry of rule checks: code -> function(ctx) yielding findings.

TPM001 to TPM006 are found while loading (`tpm.project`, `tpm.responses`) and TPM009 by the
engine (`tpm.audit`), which alone knows which suppressions were used; every other rule has one
check here. The engine, not the check, applies selection, severity and suppressions.
"""

from __future__ import annotations

from tpm.rules import ownership, paths, quality, usage
from tpm.rules.context import Check

CHECKS: dict[str, Check] = {
    "TPM010": ownership.unowned_journey,
    "TPM011": ownership.inactive_owner,
    "TPM012": ownership.silo_owned_journey,
    "TPM013": ownership.unowned_touchpoint,
    "TPM020": usage.unused_touchpoint,
    "TPM021": paths.island_unit,
    "TPM022": paths.no_feedback_path,
    "TPM023": paths.long_feedback_path,
    "TPM024": paths.one_way_unit,
    "TPM025": paths.bottleneck_unit,
    "TPM026": paths.leadership_far_from_customers,
    "TPM030": quality.poor_quality,
    "TPM031": quality.stale_rating,
    "TPM032": quality.unrated,
    "TPM033": quality.weak_critical_step,
    "TPM034": quality.stale_review,
}

# Rules that read the scores: they run only when scores were computed.
NEEDS_SCORES = frozenset({"TPM030", "TPM031", "TPM032", "TPM033"})

# Found by the engine from the other rules' results.
ENGINE_RULES = frozenset({"TPM009"})
