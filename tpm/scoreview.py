"""What `tpm score` prints: rich tables, the documented json, csv, and `--explain`.

Every value here comes from `tpm.scoring`, where anything computed from fewer than
`min_responses` respondents is already None; this module only decides how to show it
(`n < 5` in tables, null in json, empty in csv).
"""

from __future__ import annotations

import io
import json
from typing import Any

from tpm.safetext import csv_writer
from tpm.scoring import Enps, Scores, TouchpointScore, enough, hidden, hidden_label

BAND_STYLE = {"good": "green", "fair": "yellow", "poor": "red", None: "dim"}


def _date(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _enps_json(e: Enps) -> dict[str, Any]:
    return {"value": e.value, "n": e.n, "promoters": e.promoters, "detractors": e.detractors}


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
            }
            for u in scores.units.values()
        ]
    if view in (None, "org"):
        doc["enps"] = {
            "organisation": _enps_json(scores.enps),
            "units": {u: _enps_json(e) for u, e in scores.enps_units.items()},
        }
        doc["index"] = {"value": scores.index.value, "components": dict(scores.index.components)}
    return doc


def render_json(scores: Scores, view: str | None) -> str:
    return json.dumps(to_json(scores, view), indent=2, ensure_ascii=False) + "\n"


def _num(value: float | None) -> str:
    # csv is a machine format like json: numbers are rounded only for display (docs/scoring.md)
    return "" if value is None else repr(float(value))


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
                    t.n,
                    _date(t.newest) or "",
                    t.source,
                    *(_num(t.dimensions[d]) for d in dims),
                ]
            )
    elif view == "journeys":
        writer.writerow(["id", "name", "score", "band", "coverage", "weakest"])
        for j in scores.journeys.values():
            writer.writerow(
                [j.id, j.name, _num(j.score), j.band or "", _num(j.coverage), j.weakest or ""]
            )
    elif view == "units":
        writer.writerow(["id", "name", "score", "band", "n", "own_score", "own_n"])
        for u in scores.units.values():
            writer.writerow(
                [u.id, u.name, _num(u.score), u.band or "", u.n, _num(u.own_score), u.own_n]
            )
    else:
        writer.writerow(["metric", "scope", "value", "n"])
        writer.writerow(["tpm_index", "organisation", _num(scores.index.value), ""])
        for name, value in scores.index.components.items():
            writer.writerow([name, "organisation", _num(value), ""])
        writer.writerow(["enps", "organisation", _num(scores.enps.value), scores.enps.n])
        for unit, e in scores.enps_units.items():
            writer.writerow(["enps", unit, _num(e.value), e.n])
    return buffer.getvalue()


# -- tables --------------------------------------------------------------------------------


def _score_cell(score: float | None, band: str | None, n: int, m: int) -> Any:
    from rich.text import Text

    if score is not None:
        return Text(f"{score:.1f}", style=BAND_STYLE[band])
    return Text(hidden_label(m) if hidden(n, m) else "—", style="dim")


def _band_cell(band: str | None) -> Any:
    from rich.text import Text

    return Text(band or "—", style=BAND_STYLE[band])


def tables(scores: Scores, view: str | None, organisation: str) -> list[Any]:
    """The rich renderables of one view, or of every view."""
    from rich.table import Table
    from rich.text import Text

    m = scores.min_responses
    out: list[Any] = []
    if view in (None, "touchpoints"):
        t = Table(title="Touchpoints", title_justify="left")
        t.add_column("id", no_wrap=True)
        t.add_column("name")
        t.add_column("score", justify="right")
        t.add_column("n", justify="right")
        t.add_column("band")
        t.add_column("newest")
        t.add_column("source")
        for ts in scores.touchpoints.values():
            stale = ts.fresh is False
            t.add_row(
                ts.id,
                ts.name,
                _score_cell(ts.score, ts.band, ts.n, m),
                str(ts.n) if ts.source != "none" else "",
                _band_cell(ts.band),
                Text(
                    (_date(ts.newest) or "—") + (" stale" if stale else ""),
                    style="red" if stale else "",
                ),
                ts.source,
            )
        out.append(t)
    if view in (None, "journeys"):
        t = Table(title="Journeys", title_justify="left")
        for col, justify in (
            ("id", "left"),
            ("name", "left"),
            ("score", "right"),
            ("band", "left"),
            ("coverage", "right"),
            ("weakest step", "left"),
        ):
            t.add_column(col, justify=justify, no_wrap=col == "id")  # type: ignore[arg-type]
        for j in scores.journeys.values():
            t.add_row(
                j.id,
                j.name,
                _score_cell(j.score, j.band, 0, m),  # no n: never hidden itself
                _band_cell(j.band),
                f"{j.coverage:.0%}",
                j.weakest or "—",
            )
        out.append(t)
    if view in (None, "units"):
        t = Table(
            title="Units (score of the touchpoints they receive; own: their respondents)",
            title_justify="left",
        )
        for col, justify in (
            ("id", "left"),
            ("name", "left"),
            ("score", "right"),
            ("n", "right"),
            ("band", "left"),
            ("own score", "right"),
            ("own n", "right"),
        ):
            t.add_column(col, justify=justify, no_wrap=col == "id")  # type: ignore[arg-type]
        for u in scores.units.values():
            t.add_row(
                u.id,
                u.name,
                _score_cell(u.score, u.band, u.n, m),
                str(u.n) if u.n else "",
                _band_cell(u.band),
                _score_cell(u.own_score, None, u.own_n, m),
                str(u.own_n) if u.own_n else "",
            )
        out.append(t)
    if view in (None, "org"):
        t = Table(title=f"{organisation}: TPM index", title_justify="left")
        t.add_column("measure")
        t.add_column("value", justify="right")
        index = scores.index
        t.add_row(Text("TPM index", style="bold"), _pct(index.value, bold=True))
        for name, value in index.components.items():
            t.add_row(f"  {name}", _pct(value))
        out.append(t)
        e = Table(title="eNPS (promoters 9–10 minus detractors 0–6)", title_justify="left")
        for col in ("scope", "eNPS", "n", "promoters", "detractors"):
            e.add_column(col, justify="left" if col == "scope" else "right")
        for scope, enps in (("organisation", scores.enps), *scores.enps_units.items()):
            e.add_row(scope, *_enps_cells(enps, m))
        out.append(e)
    return out


def _pct(value: float | None, bold: bool = False) -> Any:
    from rich.text import Text

    if value is None:
        return Text("no data", style="dim")
    return Text(f"{value:.1f}", style="bold" if bold else "")


def _enps_cells(e: Enps, m: int) -> list[str]:
    if e.value is None:
        return [hidden_label(m) if hidden(e.n, m) else "—", str(e.n), "", ""]
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
                elif not enough(ts.n, m):
                    why = f"hidden: {hidden_label(m)}"
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
    if ts.source == "ratings":
        lines.append(f"source: the inline rating of {_date(ts.newest)} (n = {ts.n})")
    else:
        assert ts.window is not None
        lines.append(
            f"source: responses from {', '.join(ts.files)} dated {ts.window[0]} to {ts.window[1]}"
            f" (both included); n = {ts.n} respondents"
        )
    lines.append(
        f"freshness limit: {ts.freshness_days} days; " + ("fresh" if ts.fresh else "stale")
    )
    if not enough(ts.n, m):
        lines.append(f"{hidden_label(m)}: below the anonymity threshold, so no score is shown")
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
            shown = hidden_label(m) if hidden(d.n, m) else "no answers"
            lines.append(f"  {d.dimension:<18} {d.n:>5} {shown:>15} {d.weight:>7g}  (left out)")
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
