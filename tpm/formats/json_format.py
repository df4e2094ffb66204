"""`--format json`: {"version": 1, "findings": [...], "summary": {...}} (docs/ci.md).

One finding a line: readable, diff-friendly, and written by json's C encoder (an indented
document goes through its much slower pure-Python encoder, which shows on 60,000 findings).
"""

from __future__ import annotations

import json

from tpm.findings import summary
from tpm.formats import Report


def render(report: Report) -> str:
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    findings = ",\n    ".join(dumps(f.to_json()) for f in report.findings)
    body = f"[\n    {findings}\n  ]" if findings else "[]"
    return (
        '{\n  "version": 1,\n'
        f'  "findings": {body},\n'
        f'  "summary": {dumps(summary(report.findings))}\n'
        "}\n"
    )
