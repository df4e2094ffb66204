"""The catalogue of every rule, collected from the declarations next to the checks.

Each rule declares itself once (`tpm.catalogue.Rule`): the input guards in `tpm.guards`, the
others in their family module here. This catalogue feeds `tpm rules`, the README's rule table,
SARIF `tool.driver.rules`, the JUnit test suites and the audit engine.
"""

from __future__ import annotations

from tpm import guards
from tpm.catalogue import Catalogue, Rule
from tpm.rules import ownership, paths, quality, suppression, usage

__all__ = ["GUARD_CODES", "RULES", "Rule", "find_rule"]

RULES = Catalogue.collect(guards, suppression, ownership, usage, paths, quality)
GUARD_CODES = RULES.guard_codes
find_rule = RULES.find
