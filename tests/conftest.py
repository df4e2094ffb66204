"""Shared helpers: small projects built in tmp_path, and the CLI run in-process."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import strategies as st

from tpm.findings import Finding
from tpm.project import Project, load
from tpm.rules.registry import RULES

ROOT = Path(__file__).resolve().parents[1]  # the repository: holds the example organisation
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# A small, clean project: validates with no finding. Drawn as a graph in test_graph.py.
GOOD_CONFIG = """\
organisation: Test AG
units:
  - id: board
    name: Board
    level: 0
  - id: service
    name: Service
  - id: service-agents
    name: Service agents
    parent: service
    customer_facing: true
  - id: sales
    name: Sales
  - id: it
    name: IT
people:
  - id: anna
    name: Anna Schmidt
    unit: board
    role: CX manager
  - id: sam
    name: Sam Patel
    unit: service
  - id: kim
    name: Kim Weber
    unit: sales
    active: false
"""

GOOD_TOUCHPOINTS = """\
touchpoints:
  - id: all-hands
    name: All-hands
    from: board
    to: all
    cadence: monthly
    owner: anna
  - id: huddle
    name: Daily huddle
    from: service-agents
    to: service
    direction: two-way
    cadence: daily
    owner: sam
  - id: board-slot
    name: Best-practice slot
    from: [service, sales]
    to: board
    cadence: monthly
    owner: anna
  - id: it-standard
    name: IT service standard
    from: it
    to: service
    cadence: P2W
    owner: sam
"""

GOOD_JOURNEYS = """\
journeys:
  - id: idea
    name: Idea to board
    owner: anna
    steps:
      - touchpoint: huddle
      - touchpoint: board-slot
  - id: outage
    name: Tool outage
    owner: sam
    co_owners: [kim]
    steps:
      - touchpoint: it-standard
      - touchpoint: all-hands
"""

GOOD = {
    "tpm.yaml": GOOD_CONFIG,
    "touchpoints/main.yaml": GOOD_TOUCHPOINTS,
    "journeys/main.yaml": GOOD_JOURNEYS,
}


def write_files(base: Path, files: Mapping[str, str | bytes], *, dedent: bool = True) -> Path:
    """Write `files` (relative path -> text or bytes) below `base`, folders made as needed:
    the one helper that writes fixture projects. Text is written as UTF-8 as it is (no newline
    translation), dedented unless `dedent=False` (for text that must stay byte for byte, such
    as a fuzzer's)."""
    for name, content in files.items():
        target = base / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            content = (textwrap.dedent(content) if dedent else content).encode("utf-8")
        target.write_bytes(content)
    return base


def generate_org(root: Path, units: int, touchpoints: int, journeys: int, *extra: str) -> Path:
    """A synthetic organisation written by benchmarks/generate.py into `root`."""
    import subprocess
    import sys

    sizes = ["--units", str(units), "--touchpoints", str(touchpoints), "--journeys", str(journeys)]
    generate = [sys.executable, str(ROOT / "benchmarks" / "generate.py"), "org"]
    subprocess.run(
        [*generate, *sizes, *extra, "--out", str(root)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return root


def make_project(
    tmp_path: Path, files: Mapping[str, str | bytes], name: str = "proj", *, dedent: bool = True
) -> Path:
    """A project directory `tmp_path/name` holding `files`; returns its root."""
    root = tmp_path / name
    root.mkdir(parents=True, exist_ok=True)
    return write_files(root, files, dedent=dedent)


def load_files(tmp_path: Path, files: dict[str, str | bytes]) -> Project:
    """Write a project and load it like the CLI does: display paths relative to the project
    root, audit codes judged against the rule catalogue."""
    root = make_project(tmp_path, files)
    return load(root, cwd=root, rules=RULES)


def codes(findings: Iterable[Finding]) -> list[str]:
    return [f.code for f in findings]


def where(findings: Iterable[Finding]) -> list[tuple[str, str, int, int]]:
    """(code, path, line, column) of each finding: what a user sees first."""
    return [(f.code, f.path, f.line, f.column) for f in findings]


def only(findings: Iterable[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code]


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def run_cli(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path_factory: pytest.TempPathFactory,
) -> Callable[..., Result]:
    """Run `tpm ARGS` in-process through tpm.__main__.main, in `cwd` (default: an empty
    directory, never the repository, whose own tpm.yaml would be found)."""
    from tpm.__main__ import main

    def run(args: Iterable[str], cwd: Path | None = None) -> Result:
        monkeypatch.chdir(cwd if cwd is not None else tmp_path_factory.mktemp("cwd"))
        monkeypatch.delenv("TPM_DEBUG", raising=False)
        capsys.readouterr()
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def pos(text: str, needle: str, nth: int = 1) -> tuple[int, int]:
    """The 1-based (line, column) where the `nth` occurrence of `needle` starts in `text`."""
    index = -1
    for _ in range(nth):
        index = text.index(needle, index + 1)
    before = text[:index]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1


# -- mutations of valid files, for property tests -----------------------------------------


def mutate(text: str, ops: list[tuple[str, int, int, str]]) -> str:
    """`text` after deleting, duplicating, swapping or inserting characters and lines."""
    for op, i, j, char in ops:
        if op in ("del_line", "dup_line", "swap_lines"):
            lines = text.split("\n")
            a, b = i % len(lines), j % len(lines)
            if op == "del_line":
                del lines[a]
            elif op == "dup_line":
                lines.insert(a, lines[a])
            else:
                lines[a], lines[b] = lines[b], lines[a]
            text = "\n".join(lines)
        elif text:
            a, b = i % len(text), j % len(text)
            if op == "del":
                text = text[:a] + text[a + 1 :]
            elif op == "dup":
                text = text[:a] + text[a] + text[a:]
            elif op == "swap":
                chars = list(text)
                chars[a], chars[b] = chars[b], chars[a]
                text = "".join(chars)
            else:  # insert
                text = text[:a] + char + text[a:]
    return text


MUTATIONS = st.lists(
    st.tuples(
        st.sampled_from(["del", "dup", "swap", "insert", "del_line", "dup_line", "swap_lines"]),
        st.integers(0, 10_000),
        st.integers(0, 10_000),
        st.sampled_from(list(":-[]{},&*!'\"#\t \n|>?%é0")),
    ),
    min_size=1,
    max_size=6,
)
