"""What `tpm score` prints: rich tables, the documented json, csv, and `--explain`.

Every value here comes from `tpm.scoring`'s published result, where anything the privacy
rules hide (docs/privacy.md) is already None, with its n; this module only decides how to show
it (`n < 5` or `protected` in tables, null in json with the reason, empty in csv).
"""

from __future__ import annotations

import io
import json
from typing import Any

from tpm.privacy import PROTECT
from tpm.safetext import csv_writer
from tpm.scoring import (
    PROTECTED_LABEL,
    Enps,
    Scores,
    TouchpointScore,
    Wave,
    hidden_label,
    reason_label,
)

BAND_STYLE = {"good": "green", "fair": "yellow", "poor": "red", None: "dim"}


def _date(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _enps_json(e: Enps) -> dict[str, Any]:
    return {
        "value": e.value,
        "n": e.n,
        "promoters": e.promoters,
        "detractors": e.detractors,
        "hidden": e.hidden,
    }


def _wave_json(w: Wave | None) -> dict[str, Any] | None:
    if w is None:
        return None
    return {"id": w.id, "first": w.first.isoformat(), "last": w.last.isoformat()}


def to_json(scores: Scores, view: str | None = None) -> dict[str, Any]:
    """The json of docs/scoring.md (all sections, or one view's: org = enps and index)."""
    doc: dict[str, Any] = {"version": 1, "as_of": scores.as_of.isoformat()}
    if view in (None, "touchpoints"):
        doc["touchpoints"] = [
            {
                "id": t.id,
                "name": t.name,
                "score": t.score,
                "band": t.band,
                "n": t.n,
                "dimensions": dict(t.dimensions),
                "newest": _date(t.newest),
                "source": t.source,
                "wave": _wave_json(t.wave),
                "hidden": t.hidden,
            }
            for t in scores.touchpoints.values()
        ]
    if view in (None, "journeys"):
        doc["journeys"] = [
            {
                "id": j.id,
                "name": j.name,
                "score": j.score,
                "band": j.band,
                "coverage": j.coverage,
                "weakest": j.weakest,
            }
            for j in scores.journeys.values()
        ]
    if view in (None, "units"):
        doc["units"] = [
            {
                "id": u.id,
                "name": u.name,
                "score": u.score,
                "band": u.band,
                "n": u.n,
                "own_score": u.own_score,
                "own_n": u.own_n,
                "own_hidden": u.own_hidden,
            }
            for u in scores.units.values()
        ]
        doc["silos"] = [
            {
                "id": s.id,
                "name": s.name,
                "own_score": s.own_score,
                "band": s.band,
                "own_n": s.own_n,
                "own_hidden": s.own_hidden,
            }
            for s in scores.silos.values()
        ]
    if view in (None, "org"):
        doc["enps"] = {
            "organisation": _enps_json(scores.enps),
            "silos": {s: _enps_json(e) for s, e in scores.enps_silos.items()},
            "units": {u: _enps_json(e) for u, e in scores.enps_units.items()},
            "wave": _wave_json(scores.enps_wave),
        }
        doc["index"] = {
            "value": scores.index.value,
            "components": dict(scores.index.components),
            "partial": scores.index.partial,
            "missing": scores.index.missing,
        }
    return doc


def render_json(scores: Scores, view: str | None) -> str:
    return json.dumps(to_json(scores, view), indent=2, ensure_ascii=False) + "\n"


def _n(n: int | None) -> str:
    return "" if n is None else str(n)


def _num(value: float | None, places: int = 2) -> str:
    # csv goes to spreadsheets: 0-100 values to two decimals, fractions to four; the json keeps
    # every digit (docs/scoring.md)
    return "" if value is None else repr(round(float(value), places))


def render_csv(scores: Scores, view: str | None) -> str:
    """One view as csv (default: touchpoints); hidden values are empty cells, numbers in full."""
    view = view or "touchpoints"
    buffer = io.StringIO()
    writer = csv_writer(buffer)  # text that starts like a formula is quoted
    if view == "touchpoints":
        dims = (
            list(next(iter(scores.touchpoints.values())).dimensions) if scores.touchpoints else []
        )
        writer.writerow(["id", "name", "score", "band", "n", "newest", "source", *dims])
        for t in scores.touchpoints.values():
            writer.writerow(
                [
                    t.id,
                    t.name,
                    _num(t.score),
                    t.band or "",
                    _n(t.n),
                    _date(t.newest) or "",
                    t.source,
                    *(_num(t.dimensions[d]) for d in dims),
                ]
            )
    elif view == "journeys":
        writer.writerow(["id", "name", "score", "band", "coverage", "weakest"])
        for j in scores.journeys.values():
            writer.writerow(
                [j.id, j.name, _num(j.score), j.band or "", _num(j.coverage, 4), j.weakest or ""]
            )
    elif view == "units":
        writer.writerow(["id", "name", "score", "band", "n", "own_score", "own_n"])
        for u in scores.units.values():
            writer.writerow(
                [u.id, u.name, _num(u.score), u.band or "", u.n, _num(u.own_score), _n(u.own_n)]
            )
    else:
        writer.writerow(["metric", "scope", "value", "n"])
        writer.writerow(["tpm_index", "organisation", _num(scores.index.value), ""])
        if scores.index.partial:  # the components it lacks, by name
            missing = " ".join(scores.index.missing)
            writer.writerow(["tpm_index_missing", "organisation", missing, ""])
        for name, value in scores.index.components.items():
            writer.writerow([name, "organisation", _num(value), ""])
        writer.writerow(["enps", "organisation", _num(scores.enps.value), _n(scores.enps.n)])
        for silo, e in scores.enps_silos.items():
            writer.writerow(["enps", f"silo:{silo}", _num(e.value), _n(e.n)])
        for unit, e in scores.enps_units.items():
            writer.writerow(["enps", unit, _num(e.value), _n(e.n)])
    return buffer.getvalue()


# -- tables --------------------------------------------------------------------------------


def _score_cell(score: float | None, band: str | None, reason: str | None, m: int) -> Any:
    from rich.text import Text

    if score is not None:
        return Text(f"{score:.1f}", style=BAND_STYLE[band])
    return Text(reason_label(reason, m) or "—", style="dim")


PROTECTED_NOTE = f"{PROTECTED_LABEL}: {PROTECT} (docs/privacy.md)"


def _caption(protected: bool) -> str | None:
    return PROTECTED_NOTE if protected else None


def _band_cell(band: str | None) -> Any:
    from rich.text import Text

    return Text(band or "—", style=BAND_STYLE[band])


def tables(scores: Scores, view: str | None, organisation: str, width: int = 160) -> list[Any]:
    """The rich renderables of one view, or of every view, no wider than `width`: scores, n,
    bands and ids are never cut, names wrap, dates and sources are left out (and the table
    says so) only when they do not fit (tpm.tables)."""
    from rich.table import Table
    from rich.text import Text

    from tpm.tables import Column, fit, wrap

    m = scores.min_responses
    out: list[Any] = []
    lead = [Column("id", "key"), Column("name", "text"), Column("score", justify="right")]
    if view in (None, "touchpoints"):
        rows = []
        for ts in scores.touchpoints.values():
            stale = ts.fresh is False
            rows.append(
                [
                    ts.id,
                    ts.name,
                    _score_cell(ts.score, ts.band, ts.hidden, m),
                    _n(ts.n) if ts.source != "none" else "",
                    _band_cell(ts.band),
                    Text(  # "stale" under the date: the column stays 10 wide
                        (_date(ts.newest) or "—") + ("\nstale" if stale else ""),
                        style="red" if stale else "",
                    ),
                    ts.source,
                ]
            )
        columns = [
            *lead,
            Column("n", justify="right"),
            Column("band"),
            Column("newest", "optional"),
            Column("source", "optional"),
        ]
        out.append(fit("Touchpoints", columns, rows, width))
    if view in (None, "journeys"):
        rows = [
            [
                j.id,
                j.name,
                _score_cell(j.score, j.band, None, m),  # pooled from shown steps only
                _band_cell(j.band),
                f"{j.coverage:.0%}",
                j.weakest or "—",
            ]
            for j in scores.journeys.values()
        ]
        columns = [
            *lead,
            Column("band"),
            Column("coverage", justify="right"),
            Column("weakest step", "optional"),
        ]
        out.append(fit("Journeys", columns, rows, width))
    if view in (None, "units"):
        rows = [
            [
                u.id,
                u.name,
                _score_cell(u.score, u.band, None, m),
                str(u.n) if u.n else "",
                _band_cell(u.band),
                _score_cell(u.own_score, None, u.own_hidden, m),
                str(u.own_n) if u.own_n else "",
            ]
            for u in scores.units.values()
        ]
        protected = any(u.own_hidden == PROTECT for u in scores.units.values())
        for s in scores.silos.values():
            rows.append(
                [
                    s.id,
                    f"{s.name} (silo)",
                    "",
                    "",
                    "",
                    _score_cell(s.own_score, None, s.own_hidden, m),
                    str(s.own_n) if s.own_n else "",
                ]
            )
            protected = protected or s.own_hidden == PROTECT
        columns = [
            *lead,
            Column("n", justify="right"),
            Column("band"),
            Column("own score", "optional", justify="right"),
            Column("own n", "optional", justify="right"),
        ]
        title = "Units (score of the touchpoints they receive; own: their respondents)"
        out.append(fit(title, columns, rows, width, caption=_caption(protected)))
    if view in (None, "org"):
        t = Table(title=f"{organisation}: TPM index", title_justify="left")
        t.add_column("measure")
        t.add_column("value", justify="right")
        index = scores.index
        if index.partial and index.value is not None:  # never a plain score (docs/scoring.md)
            shown = Text(f"{index.value:.1f} partial", style="dim")
            t.caption = wrap(index.partial_note(), width)
            t.caption_justify = "left"
        else:
            shown = _pct(index.value, bold=True)
        t.add_row(Text("TPM index", style="bold"), shown)
        for name, value in index.components.items():
            t.add_row(f"  {name}", _pct(value))
        out.append(t)
        scopes = [
            ("organisation", scores.enps),
            *((f"{s} (silo)", x) for s, x in scores.enps_silos.items()),
            *scores.enps_units.items(),
        ]
        columns = [
            Column("scope", "key"),
            Column("eNPS", justify="right"),
            Column("n", justify="right"),
            Column("promoters", "optional", justify="right"),
            Column("detractors", "optional", justify="right"),
        ]
        rows = [[scope, *_enps_cells(enps, m)] for scope, enps in scopes]
        caption = _caption(any(x.hidden == PROTECT for _, x in scopes))
        title = "eNPS (promoters 9–10 minus detractors 0–6)"
        out.append(fit(title, columns, rows, width, caption=caption))
    return out


def _pct(value: float | None, bold: bool = False) -> Any:
    from rich.text import Text

    if value is None:
        return Text("no data", style="dim")
    return Text(f"{value:.1f}", style="bold" if bold else "")


def _enps_cells(e: Enps, m: int) -> list[str]:
    if e.value is None:
        return [reason_label(e.hidden, m) or "—", _n(e.n), "", ""]
    whole = round(e.value)  # signed, except a plain 0 (never "+0" or "-0")
    value = f"{whole:+d}" if whole else "0"
    return [value, str(e.n), f"{e.promoters:.0f}%", f"{e.detractors:.0f}%"]


# -- explain -------------------------------------------------------------------------------


def explain(scores: Scores, ident: str, project: Any) -> list[str]:
    """How a touchpoint's or journey's score is computed, so a reader can redo it by hand.

    Shows per dimension n, mean, rescaled score and weight, and the source (the rating's date,
    or the response files and the window); never single rows or respondent ids, and nothing
    computed from fewer than min_responses respondents.
    """
    m = scores.min_responses
    low, high = project.scoring.scale
    if ident in scores.touchpoints:
        return _explain_touchpoint(scores.touchpoints[ident], m, low, high)
    if ident in scores.journeys:
        j = scores.journeys[ident]
        journey = project.journeys[ident]
        lines = [
            f"journey {j.id}: {j.name}",
            "score = mean of the scored steps' scores, critical steps weighted 2",
            "",
        ]
        total = weight = 0.0
        for i, step in enumerate(journey.steps, 1):
            ts = scores.touchpoints.get(step.touchpoint)
            w = 2 if step.critical else 1
            if ts is None or ts.score is None:
                if ts is None:
                    why = "unknown touchpoint"
                elif ts.source == "none":
                    why = "unrated"
                elif ts.hidden is not None:
                    why = f"hidden: {reason_label(ts.hidden, m)}"
                else:
                    why = f"no dimension has {m} respondents"
                lines.append(f"  step {i}: {step.touchpoint:<28} not scored: {why}")
                continue
            total += ts.score * w
            weight += w
            lines.append(
                f"  step {i}: {step.touchpoint:<28} {ts.score:6.1f} × {w}"
                + ("  (critical)" if step.critical else "")
            )
        lines.append("")
        if weight:
            lines.append(f"score = {total:.2f} / {weight:g} = {total / weight:.1f}")
        else:
            lines.append("score: none (no step is scored)")
        lines.append(f"coverage = {j.coverage:.0%} of the steps are scored")
        return lines
    raise KeyError(ident)


def _explain_touchpoint(ts: TouchpointScore, m: int, low: float, high: float) -> list[str]:
    lines = [f"touchpoint {ts.id}: {ts.name}"]
    if ts.source == "none":
        return [*lines, "no rating and no responses on or before the as-of date: unrated"]
    hidden_n = f"n < {m}" if ts.hidden != PROTECT else "n not shown"
    n = f"n = {ts.n}" if ts.n is not None else hidden_n
    assert ts.wave is not None
    if ts.source == "ratings":
        lines.append(f"source: the inline rating of {_date(ts.newest)} ({n})")
    else:
        people = " respondents" if ts.n is not None else ""
        lines.append(
            f"source: {ts.wave.describe()}, the newest complete wave, from "
            f"{', '.join(ts.files)}; {n}{people}"
        )
    lines.append(
        f"freshness limit: {ts.freshness_days} days; " + ("fresh" if ts.fresh else "stale")
    )
    if ts.hidden is not None:
        lines.append(f"{reason_label(ts.hidden, m)}: {ts.hidden}, so no score is shown")
        return lines
    if ts.n is not None and ts.n < m:  # nobody (a rating of n: 0)
        lines.append("nobody answered, so there is no score")
        return lines
    lines.append(
        f"dimension score = (mean − {low:g}) / ({high:g} − {low:g}) × 100; "
        f"a dimension needs at least {m} respondents"
    )
    lines.append("")
    lines.append(f"  {'dimension':<18} {'n':>5} {'mean':>7} {'score':>7} {'weight':>7}")
    used = 0.0
    total = 0.0
    for d in ts.details:
        if d.score is None or d.mean is None:
            shown = hidden_label(m) if d.n is None else "no answers"
            count = "" if d.n is None else str(d.n)
            lines.append(f"  {d.dimension:<18} {count:>5} {shown:>15} {d.weight:>7g}  (left out)")
            continue
        lines.append(f"  {d.dimension:<18} {d.n:>5} {d.mean:>7.3f} {d.score:>7.2f} {d.weight:>7g}")
        used += d.weight
        total += d.score * d.weight
    lines.append("")
    if used and ts.score is not None:
        lines.append(f"score = {total:.2f} / {used:g} = {ts.score:.1f} ({ts.band})")
    else:
        lines.append("score: none (no dimension has enough answers)")
    return lines
