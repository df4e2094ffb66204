"""Stable fingerprints of findings, shared by the SARIF and GitLab Code Quality formats.

A fingerprint identifies "the same problem" across runs and commits, so that code scanning and
GitLab can tell a new finding from one they have seen before. It hashes

    the rule code, the subject (the item's id), the path relative to the project root, and the
    message with every run of digits replaced by `#`

and deliberately *not* the line or column: adding a unit at the top of tpm.yaml moves every
finding below it, and those findings must keep their fingerprints. For the same reason the
numbers in a message do not count: "last reviewed 620 days ago" becomes "621 days ago"
tomorrow, a score or a count moves with the data, and a line number quoted in a message moves
with the edits above it; the finding is still the same one. The message's words still count, so
two different problems of one item (two schema errors, an owner and a co-owner) stay apart.
The path is taken relative to the project root (the report's `root_prefix` is removed) so that
running tpm from the repository root or from the project directory gives the same fingerprints.

Two findings with the same code, subject, path and message (for example two malformed response
rows of one file, or messages that differ only in a number) would collide; the second and later
ones get their occurrence number mixed in, counted in the order of the findings (which is sorted
by position), so each fingerprint in a report is unique and the first occurrence keeps the
plain hash.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable

from tpm.findings import Finding

# Bump when the hashed fields change: fingerprints of different versions never compare equal.
VERSION = "v1"

_DIGITS = re.compile(r"\d+")


def project_path(path: str, root_prefix: str) -> str:
    """`path` as printed, made relative to the project root (the cwd-dependent prefix removed)."""
    prefix = root_prefix.strip("/")
    if prefix and path.startswith(prefix + "/"):
        return path[len(prefix) + 1 :]
    return path


def _key(finding: Finding, root_prefix: str) -> tuple[str, str, str, str]:
    return (
        finding.code,
        finding.subject or "",
        project_path(finding.path, root_prefix),
        _DIGITS.sub("#", finding.message),
    )


def fingerprint(finding: Finding, root_prefix: str = "", occurrence: int = 0) -> str:
    """A 32-hex-digit hash of code, subject, project path and message without its numbers
    (never the position)."""
    parts = [VERSION, *_key(finding, root_prefix)]
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
        key = _key(f, root_prefix)
        result.append(fingerprint(f, root_prefix, seen[key]))
        seen[key] += 1
    return result
