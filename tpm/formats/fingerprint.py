"""Stable fingerprints of findings, shared by the SARIF and GitLab Code Quality formats.

A fingerprint identifies "the same problem" across runs and commits, so that code scanning and
GitLab can tell a new finding from one they have seen before. It hashes

    the rule code, the subject (the item's id), the path relative to the project root, the message

and deliberately *not* the line or column: adding a unit at the top of tpm.yaml moves every
finding below it, and those findings must keep their fingerprints. The path is taken relative to
the project root (the report's `root_prefix` is removed) so that running tpm from the repository
root or from the project directory gives the same fingerprints.

Two findings with the same code, subject, path and message (for example two malformed response
rows of one file) would collide; the second and later ones get their occurrence number mixed in,
counted in the order of the findings (which is sorted by position), so each fingerprint in a
report is unique and the first occurrence keeps the plain hash.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable

from tpm.findings import Finding

# Bump when the hashed fields change: fingerprints of different versions never compare equal.
VERSION = "v1"


def project_path(path: str, root_prefix: str) -> str:
    """`path` as printed, made relative to the project root (the cwd-dependent prefix removed)."""
    prefix = root_prefix.strip("/")
    if prefix and path.startswith(prefix + "/"):
        return path[len(prefix) + 1 :]
    return path


def fingerprint(finding: Finding, root_prefix: str = "", occurrence: int = 0) -> str:
    """A 32-hex-digit hash of code, subject, project path and message (never the position)."""
    parts = [
        VERSION,
        finding.code,
        finding.subject or "",
        project_path(finding.path, root_prefix),
        finding.message,
    ]
    if occurrence:
        parts.append(str(occurrence))
    # JSON keeps the parts apart whatever characters the message holds.
    text = json.dumps(parts, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def fingerprints(findings: Iterable[Finding], root_prefix: str = "") -> list[str]:
    """The fingerprint of each finding, in order, unique within the list."""
    seen: Counter[tuple[str, str, str, str]] = Counter()
    result = []
    for f in findings:
        key = (f.code, f.subject or "", project_path(f.path, root_prefix), f.message)
        result.append(fingerprint(f, root_prefix, seen[key]))
        seen[key] += 1
    return result
