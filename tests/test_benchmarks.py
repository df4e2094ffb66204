"""Smoke tests of the benchmarks (docs/performance.md): the generator makes valid, reproducible
projects and response files, and `benchmarks/run.py --quick` keeps working.

Speed itself is never asserted here (ARCHITECTURE: measured in benchmarks/, recorded in
BENCHMARKS.md); these tests only check that the tools run and that their output is right.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT, Result

from tpm.project import load
from tpm.responses import ResponseReader

GENERATE = ROOT / "benchmarks" / "generate.py"
RUN = ROOT / "benchmarks" / "run.py"
TINY = ["--units", "12", "--touchpoints", "40", "--journeys", "5"]
HEADER = ["touchpoint", "dimension", "score", "date", "unit", "respondent"]


def generate(*args: str | Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, str(GENERATE), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done


def tiny_org(target: Path, seed: int = 3) -> Path:
    generate("org", *TINY, "--seed", str(seed), "--out", target)
    return target


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_generated_project_is_valid(tmp_path: Path, run_cli: Callable[..., Result]) -> None:
    root = tiny_org(tmp_path / "org")
    files = tree(root)
    assert "tpm.yaml" in files
    assert any(name.startswith("touchpoints/") for name in files)
    assert any(name.startswith("journeys/") for name in files)

    result = run_cli(["-C", root, "validate"])
    assert result.code == 0, result.out + result.err  # no TPM001 to TPM006

    project = load(root, cwd=root)
    assert project.findings == []
    kinds = [item.kind for item in project.items.values()]
    assert kinds.count("unit") == 12
    assert kinds.count("touchpoint") == 40
    assert kinds.count("journey") == 5


def test_same_seed_gives_identical_files(tmp_path: Path) -> None:
    first = tree(tiny_org(tmp_path / "a", seed=11))
    second = tree(tiny_org(tmp_path / "b", seed=11))
    assert first == second
    other = tree(tiny_org(tmp_path / "c", seed=12))
    assert other != first


def test_generating_again_replaces_the_project(tmp_path: Path) -> None:
    root = tiny_org(tmp_path / "org", seed=1)
    generate("org", "--units", "5", "--touchpoints", "6", "--journeys", "1", "--out", root)
    assert load(root, cwd=root).findings == []
    assert len(load(root, cwd=root).touchpoints) == 6


def test_responses_have_the_rows_and_a_header_the_reader_accepts(tmp_path: Path) -> None:
    root = tiny_org(tmp_path / "org")
    out = root / "responses" / "pulse.csv"
    generate("responses", "--project", root, "--rows", "1234", "--seed", "5", "--out", out)

    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == HEADER
    assert len(rows) == 1 + 1234
    enps = [r for r in rows[1:] if r[1] == "enps"]
    assert all(r[0] == "" and 0 <= int(r[2]) <= 10 for r in enps)
    assert 0.05 < len(enps) / 1234 < 0.2
    assert all(r[5].startswith("r-") for r in rows[1:])

    project = load(root, cwd=root)
    assert project.response_files == [out]
    reader = ResponseReader(project, [out])
    assert sum(1 for _ in reader.rows()) == 1234
    assert reader.findings == []


def test_responses_are_reproducible(tmp_path: Path) -> None:
    root = tiny_org(tmp_path / "org")
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    for out in (a, b):
        generate("responses", "--project", root, "--rows", "500", "--seed", "9", "--out", out)
    assert a.read_bytes() == b.read_bytes()


@pytest.mark.slow
def test_quick_benchmark_runs_and_leaves_benchmarks_md_alone(tmp_path: Path) -> None:
    """`run.py --quick` is the CI smoke test of the benchmark: S only, one run each."""
    record = ROOT / "BENCHMARKS.md"
    before = record.read_bytes() if record.exists() else None
    done = subprocess.run(
        [sys.executable, str(RUN), "--quick", "--rows", "2000", "--out-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "figure" in done.stdout and "measured" in done.stdout
    for figure in ("naive parse S", "tpm --version", "example project", "tpm score, 2,000 rows"):
        assert figure in done.stdout
    assert "FAILED" not in done.stdout
    after = record.read_bytes() if record.exists() else None
    assert after == before


@pytest.mark.parametrize("size", ["S", "M", "L"])
def test_sizes_match_the_spec(size: str) -> None:
    sys.path.insert(0, str(GENERATE.parent))
    try:
        import generate as generator
    finally:
        sys.path.remove(str(GENERATE.parent))
    expected = {"S": (30, 300, 30), "M": (300, 3_000, 300), "L": (1_000, 30_000, 3_000)}
    assert generator.SIZES[size] == expected[size]
