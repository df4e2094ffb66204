"""`tpm report` (docs/diagrams.md, "The report"): one self-contained HTML file that prints on A4.

The browser test opens the report in headless Chromium and checks that the screenshot is not
blank; it is skipped when Chromium is missing, except in CI (CI=true).
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
import os
import re
import shutil
import struct
import subprocess
import tempfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT, Result, generate_org, make_project
from diagram_support import HOSTILE, PRIVATE, hidden_numbers_absent

AS_OF = "2026-11-20"
NO_DOT = shutil.which("dot") is None and os.environ.get("CI") != "true"
CHROMIUM = next(
    (c for c in ("chromium", "chromium-browser", "google-chrome") if shutil.which(c)), None
)
NO_CHROMIUM = CHROMIUM is None and os.environ.get("CI") != "true"


def report(run_cli: Callable[..., Result], root: Path, out: Path, *args: str) -> str:
    result = run_cli(["-C", root, "report", "--output", out, "--as-of", AS_OF, *args])
    assert result.code == 0, result.err
    assert f"wrote {out.as_posix()}" in result.err
    return out.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def example_html(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The example's report, built once for the module (in-process, like run_cli)."""
    from tpm.__main__ import main

    out = tmp_path_factory.mktemp("report") / "report.html"
    assert main(["-C", str(ROOT), "report", "-o", str(out), "--as-of", AS_OF]) == 0
    return out.read_text(encoding="utf-8")


def test_the_report_holds_every_part(example_html: str) -> None:
    html = example_html
    assert html.startswith("<!DOCTYPE html>")
    assert "<h1>Nordwind Versicherung AG</h1>" in html
    assert "As of 2026-11-20" in html
    for part in ("Quality", "Ownership", "Dialogue", "Freshness", "Connectedness"):
        assert f'<div class="name">{part}</div>' in html
    # findings grouped by severity, with file:line
    assert html.index("Errors (") < html.index("Warnings (") < html.index("Information (")
    assert re.search(r'<td class="loc">journeys/customer\.yaml:\d+</td>', html)
    assert "TPM010" in html
    # the score tables
    for heading in ("Journeys", "Touchpoints", "Units", "Employee net promoter score"):
        assert f"<h3>{heading}" in html
    assert "n &lt; 5" in html  # hidden values say so


@pytest.mark.skipif(NO_DOT, reason="Graphviz 'dot' is not installed")
def test_every_map_is_inline_svg(example_html: str) -> None:
    from tpm.project import load

    journeys = load(ROOT).journeys
    # the overview, the silo matrix, the heatmap (the example's answers carry units), the unit
    # map (11 units: small enough) and every journey map
    assert example_html.count("<svg") == 4 + len(journeys)
    assert "<?xml" not in example_html and "<!DOCTYPE svg" not in example_html
    for jid in journeys:
        assert f'id="journey-{jid}"' in example_html
    # the ids of the pictures never clash
    ids = re.findall(r'\bid="([^"]+)"', example_html)
    assert len(ids) == len(set(ids))


def test_no_external_resources(example_html: str) -> None:
    html = example_html
    assert not re.search(r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html, re.I)
    assert not re.search(r"url\(\s*['\"]?\s*(?:https?:)?//", html, re.I)
    assert "@import" not in html
    # one inline script (the interactive parts), none loaded, and a policy that forbids loads
    assert html.lower().count("<script") == 1 and "<script>" in html
    assert "default-src 'none'" in html
    assert "<link" not in html.lower()


def test_prints_on_a4(example_html: str) -> None:
    assert "@page { size: A4;" in example_html
    assert "@media print" in example_html
    assert "section.journey, section.org { break-before: page; page: maps; }" in example_html
    assert "@page maps { size: A4 landscape;" in example_html
    assert "background: #ffffff" in example_html


def test_same_input_same_report(tmp_path: Path, run_cli: Callable[..., Result]) -> None:
    first = report(run_cli, ROOT, tmp_path / "a.html")
    second = report(run_cli, ROOT, tmp_path / "b.html")
    assert first == second


def test_default_output_is_report_html_here(tmp_path: Path, run_cli: Callable[..., Result]) -> None:
    root = make_project(tmp_path, PRIVATE)
    result = run_cli(["report", "--as-of", AS_OF], cwd=root)
    assert result.code == 0, result.err
    assert (root / "report.html").is_file()


def test_without_dot_the_report_still_renders(
    tmp_path: Path, run_cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    out = tmp_path / "r.html"
    result = run_cli(["-C", ROOT, "report", "--output", out, "--as-of", AS_OF])
    assert result.code == 0, result.err
    # said on stderr too, not only inside the HTML: one line, then the file written
    assert result.err.splitlines()[-2:] == [
        "Graphviz 'dot' is not installed: the report has no maps; "
        "install it with 'sudo apt-get install graphviz'",
        f"wrote {out.as_posix()}",
    ]
    html = out.read_text(encoding="utf-8")
    # the silo matrix and the heatmap are drawn by tpm itself: the only pictures left
    assert html.count("<svg") == 2 and html.count('<svg xmlns="http://www.w3.org/2000/svg" w') == 2
    assert 'class="silo-matrix"' in html and 'class="heatmap"' in html
    assert "The overview is not drawn here" in html
    assert "Graphviz &#39;dot&#39; is not installed" in html
    assert "The maps are left out of this report." in html
    assert 'id="journey-onboarding"' in html  # the sections stay, with their facts


def test_hostile_text_is_escaped(tmp_path: Path, run_cli: Callable[..., Result]) -> None:
    root = make_project(tmp_path, HOSTILE)
    html = report(run_cli, root, tmp_path / "r.html")
    assert html.lower().count("<script") == 1  # the report's own script, no user text's
    assert "<b>boss</b>" not in html and "<i>lead</i>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Böse" in html and "Ärger" in html


def test_a_score_below_the_threshold_never_shows(
    tmp_path: Path, run_cli: Callable[..., Result]
) -> None:
    """The maps and tables of the report. (Audit finding messages are the audit's own.)"""
    from tpm.report import build_report
    from tpm.session import Session

    session = Session(make_project(tmp_path, PRIVATE), dt.date(2026, 11, 20))
    html = build_report(session.project, session.graph, session.scores, [], session.as_of)
    svgs = re.findall(r"<svg.*?</svg>", html, re.S)
    body = re.sub(r"<svg.*?</svg>", "", html, flags=re.S)
    body = re.sub(r"<style>.*?</style>", "", body, flags=re.S)
    hidden_numbers_absent(body)
    for svg in svgs:
        hidden_numbers_absent('<?xml version="1.0"?>' + svg)


def _row(html: str, name: str) -> list[str]:
    """The cells' texts of the table row that starts with `name`."""
    row = re.search(
        rf"<tr[^>]*><td>(?:<details[^>]*><summary>)?{re.escape(name)}\b.*?</tr>", html, re.S
    )
    assert row, name
    cells = re.findall(r"<td.*?</td>", row[0])
    return [html_lib.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in cells]


def test_the_words_say_what_the_numbers_are(example_html: str) -> None:
    """Freshness is touchpoints with a fresh score of all touchpoints (docs/scoring.md), and a
    unit's n is a sum over the touchpoints it receives, not a number of people."""
    html = example_html
    assert "touchpoints with a fresh score, of all touchpoints" in html
    assert "scored touchpoints whose rating or responses are fresh" not in html
    units = html[html.index("<h3>Units</h3>") : html.index("<h3>Employee")]
    assert '<th class="num">n (sum over received touchpoints)</th>' in units
    assert '<th class="num">Respondents</th>' not in units
    # the lead counts in words a reader would use
    assert re.search(r"· \d+ units · \d+ people · \d+ touchpoints · \d+ journeys</p>", html)


def test_no_n_shows_beside_a_hidden_score(tmp_path: Path, run_cli: Callable[..., Result]) -> None:
    """A score from fewer than min_responses respondents shows as n < 5, and its exact n does
    not show either (docs/privacy.md, rule 2; before, n was given beside it), as `tpm score`
    gives it; the score itself never shows."""
    root = make_project(tmp_path, PRIVATE)
    html = report(run_cli, root, tmp_path / "r.html")
    secret = _row(html, "Secret touchpoint")
    assert secret[2:4] == ["n < 5", "—"]
    assert "96" not in " ".join(secret)
    score = run_cli(["-C", root, "score", "touchpoints", "--as-of", AS_OF]).out
    assert re.search(r"secret .*n < 5 ", score)
    assert not re.search(r"secret .*\b3\b", score)


NOTHING_SCORED = {
    "tpm.yaml": """\
        organisation: Fresh Start GmbH
        units:
          - {id: board, name: Board, level: 0}
          - {id: a, name: Department A}
          - {id: b, name: Department B}
        people:
          - {id: boss, name: Boss, unit: board}
    """,
    "touchpoints/t.yaml": """\
        touchpoints:
          - {id: t1, name: Weekly sync, from: a, to: board, direction: two-way, owner: boss}
          - {id: t2, name: Monthly letter, from: board, to: b, owner: boss}
          - {id: t3, name: Open door, from: b, to: board, direction: two-way, owner: boss}
    """,
    "journeys/j.yaml": """\
        journeys:
          - {id: j, name: Journey, owner: boss, steps: [{touchpoint: t1}]}
    """,
}


def _component(html: str, label: str) -> tuple[str, str, str]:
    """(colour class, number, explanation) of one component of the TPM index."""
    m = re.search(
        rf'<div class="name">{label}</div>.*?<div class="num ?([a-z]*)">([^<]*)</div>\s*'
        r'<div class="why">([^<]*)</div>',
        html,
        re.S,
    )
    assert m, label
    return m[1], m[2], m[3]


def test_nothing_scored_yet_is_explained(tmp_path: Path, run_cli: Callable[..., Result]) -> None:
    from tpm.scoring import band_of

    root = make_project(tmp_path, NOTHING_SCORED)
    html = report(run_cli, root, tmp_path / "r.html")
    band, text, why = _component(html, "Freshness")
    assert (band, text) == ("muted", "no data")
    assert why == (
        "touchpoints with a fresh score, of all touchpoints: no touchpoint is scored yet "
        "(left out of the index)"
    )
    band, text, why = _component(html, "Quality")
    assert (band, text) == ("muted", "no data")
    assert why.endswith("no touchpoint is scored yet (left out of the index)")
    # the index says what it is the mean of; with quality and freshness left out it is
    # partial: greyed, never a green 100 (docs/scoring.md)
    index = re.search(r'<div class="value ([a-z]*)">([^<]*)</div>', html)
    assert index and (index[1], index[2]) == ("muted", "100")
    assert "the mean of ownership, dialogue and connectedness" in html
    assert "partial: 3 of 5 components; no measurement yet" in html
    # dialogue counts touchpoint hops to the top (docs/scoring.md), not hierarchy steps
    _, _, why = _component(html, "Dialogue")
    assert "within 3 touchpoints (hops)" in why and "hierarchy" not in why
    for label in ("Ownership", "Dialogue", "Connectedness"):
        band, text, _ = _component(html, label)
        assert band == band_of(float(text), 70, 50), label
    assert "3 units · 1 person · 3 touchpoints · 1 journey</p>" in html


def test_a_score_is_never_rounded_into_another_band(
    tmp_path: Path, run_cli: Callable[..., Result]
) -> None:
    """69.6 is fair: it reads 69.6 in amber, never 70 beside "good from 70"."""
    files = dict(NOTHING_SCORED)
    files["touchpoints/t.yaml"] = """\
        touchpoints:
          - id: t1
            name: Almost good
            from: a
            to: board
            owner: boss
            ratings: [{date: 2026-11-01, n: 10, scores: {clarity: 3.784, appreciation: 3.784}}]
    """
    root = make_project(tmp_path, files)
    html = report(run_cli, root, tmp_path / "r.html")
    assert re.search(r'<span class="badge fair">69\.6</span>', html)
    assert _component(html, "Quality")[:2] == ("fair", "69.6")
    assert '<span class="badge fair">70</span>' not in html


# -- a real browser ----------------------------------------------------------------------------


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the unfiltered rows of an 8-bit RGB or RGBA PNG (no Pillow needed)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks, header = 8, [], b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks.append(body)
        pos += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and colour in (2, 6), (depth, colour)
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * bpp
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        if kind == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xFF
        elif kind == 2:
            for i in range(stride):
                line[i] = (line[i] + previous[i]) & 0xFF
        elif kind == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b, c = previous[i], previous[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xFF
        rows.append(bytes(line[i] for i in range(stride) if bpp == 3 or i % 4 != 3))
        previous = line
    return width, height, rows


@pytest.mark.slow
@pytest.mark.skipif(NO_CHROMIUM, reason="Chromium is not installed")
def test_a_browser_shows_the_report(tmp_path: Path, run_cli: Callable[..., Result]) -> None:
    page = tmp_path / "report.html"
    report(run_cli, ROOT, page)
    shot = tmp_path / "shot.png"
    profile = tempfile.mkdtemp(prefix="tpm-chromium-")
    try:
        subprocess.run(
            [
                CHROMIUM or "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={profile}",
                f"--screenshot={shot}",
                "--window-size=900,1300",
                page.as_uri(),
            ],
            capture_output=True,
            timeout=120,
            check=False,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    assert shot.is_file(), "Chromium wrote no screenshot"
    width, height, rows = png_pixels(shot.read_bytes())
    assert (width, height) == (900, 1300)
    colours: set[bytes] = set()
    ink = 0
    for row in rows[::4]:
        for x in range(0, len(row), 3 * 3):
            pixel = row[x : x + 3]
            colours.add(pixel)
            if pixel != b"\xff\xff\xff":
                ink += 1
    sampled = len(rows[::4]) * len(range(0, width * 3, 9))
    assert len(colours) > 50, "the page looks blank"
    assert ink > sampled * 0.03, "the page is nearly white"


def test_findings_are_grouped_by_rule_with_info_folded(
    tmp_path: Path, run_cli: Callable[..., Result]
) -> None:
    """Errors, then warnings, then info; within each, one foldable block a rule with its count
    (counted here from the audit's json); the info blocks start folded, so the first screen
    shows what to fix, not "has no last_reviewed" advice."""
    import json
    from collections import Counter

    html = report(run_cli, ROOT, tmp_path / "r.html")
    audit = run_cli(["-C", ROOT, "audit", "--as-of", AS_OF, "--format", "json"])
    expected = Counter((f["severity"], f["code"]) for f in json.loads(audit.out)["findings"])
    section = html[html.index('<section id="findings">') :]
    section = section[: section.index("</section>")]
    blocks = re.findall(
        r'<details class="rule"( open)?>\s*<summary><code>(TPM\d+)</code> [^<]* \((\d+)\)</summary>'
        r"(.*?)</details>",
        section,
        flags=re.S,
    )
    heading_at = {s: section.index(f'<h3 class="sev-{s}">') for s, _ in expected}
    found = Counter()
    for is_open, code, n, body in blocks:
        severity = next(s for s, c in expected if c == code)
        assert int(n) == expected[(severity, code)] == len(re.findall(r"<tr[ >][^>]*><td", body))
        assert bool(is_open) == (severity != "info"), code
        found[(severity, code)] = int(n)
    assert found == expected
    assert heading_at["error"] < heading_at["warning"] < heading_at["info"]


@pytest.mark.skipif(NO_DOT, reason="Graphviz 'dot' is not installed")
def test_the_report_leads_with_the_overview_and_the_matrix(example_html: str) -> None:
    first = [
        example_html.index(f'id="{anchor}"')
        for anchor in (
            "index",
            "who-talks",
            "silo-matrix",
            "findings",
            "scores",
            "org-map",
            "journeys",
        )
    ]
    assert first == sorted(first)
    matrix = example_html[example_html.index('id="silo-matrix"') :]
    matrix = matrix[: matrix.index("</section>")]
    assert "⚠ Marketing &amp; Brand" in matrix  # the silo nobody talks to, in red
    assert 'class="silo-matrix"' in matrix


@pytest.mark.skipif(NO_DOT, reason="Graphviz 'dot' is not installed")
def test_a_large_organisation_draws_the_journeys_that_need_it_and_lists_the_rest(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    root = generate_org(tmp_path / "org", 45, 200, 56)
    target = tmp_path / "r.html"
    result = run_cli(["-C", root, "report", "-o", target, "--as-of", "2026-11-20"])
    assert result.code == 0, result.err
    html = target.read_text(encoding="utf-8")
    # 45 units: no unit map, but a note that says how to draw one silo's
    assert "tpm diagram org --silo ID" in html and 'id="org-map"' in html
    drawn = re.findall(r'<section class="journey" id="journey-([^"]+)"', html)
    assert len(drawn) == 50 and len(set(drawn)) == 50
    listed = html[html.index('id="other-journeys"') :]
    assert "Other journeys (6)" in listed
    assert len(re.findall(r"<tr><td>", listed)) == 6
    # journeys without an owner are drawn before any owned one
    from tpm.project import load

    project = load(root)
    unowned = [
        j
        for j, journey in project.journeys.items()
        if journey.owner is None or not project.people[journey.owner].active
    ]
    assert unowned and set(unowned[:50]) <= set(drawn)
    assert html.count("<svg") == 2 + 50  # overview, matrix, the journey maps
