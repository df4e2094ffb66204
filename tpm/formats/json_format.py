"""`--format json`: {"version": 1, "findings": [...], "summary": {...}} (SPEC 5.2)."""

from __future__ import annotations

import json

from tpm.findings import summary
from tpm.formats import Report


def render(report: Report) -> str:
    document = {
        "version": 1,
        "findings": [f.to_json() for f in report.findings],
        "summary": summary(report.findings),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
