"""Regenerate the pulse-survey answers of the example organisation.

Writes ``responses/pulse-2026.csv`` (relative to the repository root) in the long format of
docs/file-formats.md: one answer a row, header ``touchpoint,dimension,score,date,unit,respondent``.

The data are synthetic and deterministic (``random.Random(SEED)``, standard library only), so
running the script again gives a byte-identical file::

    python benchmarks/make_example_responses.py            # writes responses/pulse-2026.csv
    python benchmarks/make_example_responses.py OUT.csv    # writes elsewhere

What the file holds, so that tests and the audit can rely on it:

- Two pulse waves nine weeks apart: 2026-09-07..11 and 2026-11-09..13. The gap is far more
  than ``wave_gap_days: 14``, so tpm finds two waves (docs/scoring.md) and scores every
  touchpoint from the newest; the older wave shows the trend.
- A stable pool of 34 pseudonymous respondents (``r-0001`` ...) in ten units of tpm.yaml (the
  board does not answer). Every respondent answers the five default dimensions (1..5) for
  ``all-hands`` and one ``enps`` question (0..10, empty touchpoint); front-line colleagues also
  rate ``feedback-platform``, hotline agents ``hotline-huddle``, and department staff of service,
  claims and sales ``best-practice-slot``.
- Bands in the newest wave: ``hotline-huddle`` and ``best-practice-slot`` good, ``all-hands``
  fair (its dialogue is weak), ``feedback-platform`` poor (posts go unanswered).
- ``empathy-training`` is answered by exactly three respondents (newest wave only), so its
  score stays hidden behind the anonymity threshold (``min_responses: 5``).

The script checks these properties before writing and fails loudly if a change breaks them.
"""

from __future__ import annotations

import csv
import datetime as dt
import sys
from collections import defaultdict
from pathlib import Path
from random import Random

SEED = 20261110
DIMENSIONS = ("clarity", "appreciation", "dialogue", "customer_focus", "empowerment")
MIN_RESPONSES = 5

# The respondent pool: unit id -> number of respondents from it.
POOL = {
    "service-hotline": 10,
    "claims-field": 5,
    "sales-branches": 5,
    "service": 3,
    "claims": 3,
    "sales": 2,
    "it": 2,
    "people": 2,
    "marketing": 1,
    "finance": 1,
}
FRONT_LINE = ("service-hotline", "claims-field", "sales-branches")
DEPARTMENTS = ("service", "claims", "sales")

# Waves: first day, number of days, share of each unit's respondents who answer.
WAVES = (
    (dt.date(2026, 9, 7), 5, 0.7),
    (dt.date(2026, 11, 9), 5, 0.85),
)

# Mean answer per touchpoint and dimension, for (older wave, newest wave).
MEANS: dict[str, tuple[tuple[float, ...], tuple[float, ...]]] = {
    "all-hands": ((4.0, 3.7, 2.4, 4.2, 3.1), (4.2, 3.8, 2.6, 4.3, 3.3)),
    "hotline-huddle": ((4.2, 4.1, 4.0, 4.4, 3.8), (4.5, 4.3, 4.3, 4.6, 4.1)),
    "best-practice-slot": ((3.9, 4.0, 3.2, 4.1, 3.7), (4.2, 4.3, 3.4, 4.3, 4.0)),
    "feedback-platform": ((3.2, 2.8, 2.3, 3.3, 2.7), (2.9, 2.5, 1.9, 3.1, 2.4)),
    "empathy-training": ((4.5, 4.4, 4.3, 4.7, 4.2), (4.5, 4.4, 4.3, 4.7, 4.2)),
}

# eNPS answer weights over 0..10, by kind of unit.
ENPS_WEIGHTS = {
    "front": (1, 1, 1, 2, 3, 5, 8, 12, 14, 10, 6),
    "other": (0, 1, 1, 1, 2, 4, 6, 10, 14, 12, 8),
}

HEADER = ("touchpoint", "dimension", "score", "date", "unit", "respondent")


def likert(rng: Random, mean: float) -> int:
    """One answer on the 1..5 scale around ``mean``."""
    return max(1, min(5, round(rng.gauss(mean, 0.75))))


def make_rows(seed: int = SEED) -> list[tuple[str, str, str, str, str, str]]:
    rng = Random(seed)
    pool: list[tuple[str, str]] = []  # (respondent, unit)
    for unit, count in POOL.items():
        for _ in range(count):
            pool.append((f"r-{len(pool) + 1:04d}", unit))

    rows: list[tuple[str, str, str, str, str, str]] = []
    for wave_no, (first_day, days, share) in enumerate(WAVES):
        newest = wave_no == len(WAVES) - 1
        answering: list[tuple[str, str]] = []
        for unit in POOL:
            members = [p for p in pool if p[1] == unit]
            take = max(1, round(share * len(members)))
            answering.extend(sorted(rng.sample(members, take)))
        # exactly three front-line respondents rate the empathy training in the newest wave
        empathy: set[str] = set()
        if newest:
            front = [p for p in answering if p[1] in FRONT_LINE]
            empathy = {p[0] for p in rng.sample(front, 3)}

        for respondent, unit in answering:
            date = (first_day + dt.timedelta(days=rng.randrange(days))).isoformat()
            rated = ["all-hands"]
            if unit == "service-hotline":
                rated.append("hotline-huddle")
            if unit in FRONT_LINE and rng.random() < 0.75:
                rated.append("feedback-platform")
            if unit in DEPARTMENTS:
                rated.append("best-practice-slot")
            if respondent in empathy:
                rated.append("empathy-training")
            for touchpoint in rated:
                means = MEANS[touchpoint][1 if newest else 0]
                for dimension, mean in zip(DIMENSIONS, means, strict=True):
                    score = likert(rng, mean)
                    rows.append((touchpoint, dimension, str(score), date, unit, respondent))
            weights = ENPS_WEIGHTS["front" if unit in FRONT_LINE else "other"]
            enps = rng.choices(range(11), weights=weights)[0]
            rows.append(("", "enps", str(enps), date, unit, respondent))

    rows.sort(key=lambda r: (r[3], r[5]))  # by date, then respondent; stable within
    return rows


def check(rows: list[tuple[str, str, str, str, str, str]]) -> None:
    """Fail when the documented properties of the file no longer hold."""
    newest_first_day = WAVES[-1][0].isoformat()
    respondents: dict[str, set[str]] = defaultdict(set)
    for touchpoint, _dim, _score, date, _unit, respondent in rows:
        if touchpoint and date >= newest_first_day:
            respondents[touchpoint].add(respondent)
    for touchpoint in MEANS:
        n = len(respondents[touchpoint])
        if touchpoint == "empathy-training":
            assert n == 3, f"{touchpoint}: {n} respondents, expected 3"
        else:
            assert n >= MIN_RESPONSES, f"{touchpoint}: only {n} respondents in the newest wave"
    assert 300 <= len(rows) <= 600, f"{len(rows)} rows, expected 300..600"


def main(argv: list[str]) -> int:
    root = Path(__file__).resolve().parent.parent
    out = Path(argv[0]) if argv else root / "responses" / "pulse-2026.csv"
    rows = make_rows()
    check(rows)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
