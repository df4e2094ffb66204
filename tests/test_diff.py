"""`tpm diff` on real git repositories built in temporary directories.

Every test that runs the command checks afterwards that the repository is exactly as it was:
`git status --porcelain`, HEAD, every ref, the stash and the index file's bytes.
"""

from __future__ import annotations

import json
import os
import subprocess
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import GOOD, Result, write_files

AS_OF = "2026-11-20"

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(repo: Path, *args: str, **env: str) -> str:
    done = subprocess.run(
        ["git", *args],
        cwd=repo,
        env={**os.environ, **GIT_ENV, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def commit_all(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def new_repo(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    return path


def state(repo: Path) -> tuple[str, str, str, str, bytes]:
    """Everything tpm diff must leave alone, read without changing it (`git status` would
    refresh the index file itself, but for GIT_OPTIONAL_LOCKS=0)."""
    index = repo / ".git" / "index"
    return (
        git(repo, "rev-parse", "--verify", "-q", "HEAD"),
        git(repo, "for-each-ref"),
        git(repo, "stash", "list"),
        git(repo, "status", "--porcelain", "--untracked-files=all", GIT_OPTIONAL_LOCKS="0"),
        index.read_bytes() if index.exists() else b"",
    )


Run = Callable[..., Result]


@pytest.fixture
def diff(run_cli: Run) -> Iterator[Callable[..., Result]]:
    """Run `tpm diff ARGS --as-of AS_OF` in `cwd` and check that the repository `repo` is
    unchanged afterwards."""

    def run(repo: Path, *args: str, cwd: Path | None = None) -> Result:
        before = state(repo)
        result = run_cli(["diff", *args, "--as-of", AS_OF], cwd=cwd or repo)
        assert state(repo) == before, "tpm diff changed the repository"
        assert "Traceback" not in result.err
        return result

    yield run


def as_json(result: Result) -> dict[str, Any]:
    assert result.code in (0, 1), result.err
    return json.loads(result.out)  # type: ignore[no-any-return]


def keys(findings: list[dict[str, Any]]) -> set[tuple[str, str | None, str]]:
    return {(f["code"], f["subject"], f["path"]) for f in findings}


@pytest.fixture
def good_repo(tmp_path: Path) -> Path:
    """The clean test project committed on main, and a branch `feature` checked out."""
    repo = new_repo(tmp_path / "repo")
    write_files(repo, GOOD)
    commit_all(repo, "the organisation")
    git(repo, "checkout", "-q", "-b", "feature")
    return repo


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


ANNA = "  - id: anna\n    name: Anna Schmidt\n    unit: board\n    role: CX manager\n"


# -- an owner leaves ------------------------------------------------------------------------------


def test_an_owner_made_inactive_loses_journey_coverage(diff: Any, good_repo: Path) -> None:
    """Anna (on the board: she covers every silo) owns journey 'idea' and two touchpoints;
    making her inactive in the working tree (not committed) takes the journey's coverage
    and adds TPM011 on each of the three."""
    edit(good_repo / "tpm.yaml", ANNA, ANNA + "    active: false\n")
    doc = as_json(diff(good_repo, "--format", "json"))
    assert doc["version"] == 1
    assert doc["base"]["name"] == "merge base of HEAD and main"
    assert doc["base"]["commit"] == git(good_repo, "rev-parse", "main").strip()
    assert doc["head"] == {"name": "working tree", "commit": None, "project": True}
    new = {(f["code"], f["subject"]) for f in doc["findings"]["new"]}
    assert new == {("TPM011", "idea"), ("TPM011", "board-slot"), ("TPM011", "all-hands")}
    assert doc["findings"]["fixed"] == []
    tpm011 = next(f for f in doc["findings"]["new"] if f["subject"] == "idea")
    assert tpm011["path"] == "journeys/main.yaml"
    assert (tpm011["line"], tpm011["column"]) == (4, 12)  # `owner: anna` of journey idea
    assert set(tpm011) == {"code", "name", "severity", "message", "path", "line", "column",
                           "subject"}  # fmt: skip
    # idea: covered by anna -> no active owner; outage (sam + inactive kim) was partial already
    assert doc["journeys"] == [
        {
            "id": "idea",
            "name": "Idea to board",
            "before": {"status": "covered", "owner": "anna", "uncovered": []},
            "after": {"status": "unowned", "owner": "anna", "uncovered": ["service", "sales"]},
        }
    ]
    # ownership: journeys counted (active owner, every silo covered): 1 of 2 before, 0 after
    assert doc["index"]["before"]["components"]["ownership"] == 50.0
    assert doc["index"]["after"]["components"]["ownership"] == 0.0
    assert doc["items"]["changed"] == [
        {
            "kind": "person",
            "id": "anna",
            "name": "Anna Schmidt",
            "path": "tpm.yaml",
            "fields": [{"field": "active", "before": None, "after": False}],
        }
    ]
    assert doc["items"]["added"] == doc["items"]["removed"] == []

    text = diff(good_repo)
    assert text.code == 0
    lines = text.out.splitlines()
    assert lines[0].startswith("tpm diff: merge base of HEAD and main (")
    assert lines[0].endswith(") → working tree")
    assert lines[1].startswith("3 new findings (3 errors); items: 1 changed; TPM index ")
    assert "owner coverage changed in 1 journey" in lines[1]
    assert "  idea (Idea to board): covered → no active owner" in lines
    assert "  changed  person anna (Anna Schmidt): active: (not set) → false" in lines
    assert any(
        line.startswith("  journeys/main.yaml:4:12: error TPM011 owner 'anna'") for line in lines
    )
    assert any(line.split() == ["ownership", "50.0", "→", "0.0", "-50.0"] for line in lines)


def test_fail_on_new(diff: Any, good_repo: Path) -> None:
    edit(good_repo / "tpm.yaml", ANNA, ANNA + "    active: false\n")
    assert diff(good_repo).code == 0  # default: never
    assert diff(good_repo, "--fail-on-new", "error").code == 1
    assert diff(good_repo, "--fail-on-new", "info").code == 1
    assert diff(good_repo, "--fail-on-new", "never").code == 0
    markdown = diff(good_repo, "--format", "markdown", "--fail-on-new", "error")
    assert markdown.code == 1 and markdown.out.startswith("## ❌ tpm diff:")
    assert diff(good_repo, "--format", "markdown").out.startswith("## ✅ tpm diff:")


def test_only_warnings_new_do_not_fail_on_error(diff: Any, good_repo: Path) -> None:
    """A touchpoint without owner: TPM013 is a warning."""
    edit(good_repo / "touchpoints/main.yaml", "    cadence: P2W\n    owner: sam\n", "")
    doc = as_json(diff(good_repo, "--format", "json", "--fail-on-new", "error"))
    assert ("TPM013", "it-standard") in {(f["code"], f["subject"]) for f in doc["findings"]["new"]}
    assert diff(good_repo, "--fail-on-new", "error").code == 0
    assert diff(good_repo, "--fail-on-new", "warning").code == 1


# -- feedback paths, islands, bottlenecks ---------------------------------------------------------


PATHS_CONFIG = """\
organisation: Paths AG
units:
  - {id: board, name: Board, level: 0}
  - {id: ops, name: Operations}
  - {id: ops-a, name: Ops team A, parent: ops}
  - {id: ops-b, name: Ops team B, parent: ops}
  - {id: hr, name: HR}
people:
  - {id: olga, name: Olga, unit: board}
"""

PATHS_TOUCHPOINTS = """\
touchpoints:
  - {id: ops-report, name: Ops report, from: ops, to: board, owner: olga}
  - {id: standup-a, name: Stand-up A, from: ops-a, to: ops, owner: olga}
  - {id: standup-b, name: Stand-up B, from: ops-b, to: ops, owner: olga}
  - {id: hr-letter, name: HR letter, from: board, to: hr, owner: olga}
  - {id: hr-survey, name: HR survey, from: hr, to: board, owner: olga}
"""


@pytest.fixture
def paths_repo(tmp_path: Path) -> Path:
    repo = new_repo(tmp_path / "paths")
    write_files(
        repo,
        {
            "tpm.yaml": PATHS_CONFIG,
            "touchpoints/all.yaml": PATHS_TOUCHPOINTS,
            "journeys/j.yaml": "journeys:\n  - {id: j, name: J, owner: olga, steps: "
            "[{touchpoint: ops-report}]}\n",
        },
    )
    commit_all(repo, "paths")
    return repo


def test_a_touchpoint_removed_loses_a_feedback_path(diff: Any, paths_repo: Path) -> None:
    """hr reaches the board only through hr-survey; without it hr still hears the board
    (hr-letter), so it is no island, but its voice no longer reaches the top (TPM022), and
    it now only receives (TPM024)."""
    tps = paths_repo / "touchpoints/all.yaml"
    edit(tps, "  - {id: hr-survey, name: HR survey, from: hr, to: board, owner: olga}\n", "")
    doc = as_json(diff(paths_repo, "HEAD", "--format", "json"))
    assert doc["base"]["name"] == "HEAD"
    assert doc["units"] == [{"id": "hr", "name": "HR", "change": "lost-feedback-path"}]
    new = {(f["code"], f["subject"]) for f in doc["findings"]["new"]}
    assert new == {("TPM022", "hr"), ("TPM024", "hr")}
    removed = {"kind": "touchpoint", "id": "hr-survey", "name": "HR survey"}
    assert doc["items"]["removed"] == [{**removed, "path": "touchpoints/all.yaml"}]
    # dialogue: units below level 0 with a feedback path: 4 of 4 before, 3 of 4 after
    assert doc["index"]["before"]["components"]["dialogue"] == 100.0
    assert doc["index"]["after"]["components"]["dialogue"] == 75.0
    text = diff(paths_repo, "HEAD").out.splitlines()
    assert "feedback paths, islands or bottlenecks changed for 1 unit" in text[1]
    assert "  hr (HR): lost its feedback path to top management" in text
    assert "  removed  touchpoint hr-survey (HR survey) (touchpoints/all.yaml)" in text


def test_bottleneck_and_island_changes(diff: Any, paths_repo: Path) -> None:
    """ops is a bottleneck (removing it cuts off ops-a and ops-b); a touchpoint from ops-a to
    the board leaves only ops-b behind it (one unit: below bottleneck_min_cut 2). The letter
    to hr removed as well makes hr an island (hr-survey was its only other link)."""
    tps = paths_repo / "touchpoints/all.yaml"
    edit(
        tps,
        "  - {id: hr-letter, name: HR letter, from: board, to: hr, owner: olga}\n"
        "  - {id: hr-survey, name: HR survey, from: hr, to: board, owner: olga}\n",
        "  - {id: a-direct, name: A direct, from: ops-a, to: board, owner: olga}\n",
    )
    doc = as_json(diff(paths_repo, "HEAD", "--format", "json"))
    assert doc["units"] == [
        {"id": "ops", "name": "Operations", "change": "no-longer-bottleneck"},
        {"id": "hr", "name": "HR", "change": "lost-feedback-path"},
        {"id": "hr", "name": "HR", "change": "became-island"},
    ]
    new = {(f["code"], f["subject"]) for f in doc["findings"]["new"]}
    # the new touchpoint is in no journey, unrated and never reviewed
    assert new == {
        ("TPM021", "hr"),
        ("TPM020", "a-direct"),
        ("TPM032", "a-direct"),
        ("TPM034", "a-direct"),
    }
    # findings of the removed touchpoints went with them
    fixed = {(f["code"], f["subject"]) for f in doc["findings"]["fixed"]}
    assert fixed == {("TPM025", "ops")} | {
        (code, tp) for code in ("TPM020", "TPM032", "TPM034") for tp in ("hr-letter", "hr-survey")
    }
    markdown = diff(paths_repo, "HEAD", "--format", "markdown").out
    assert "| ops (Operations) | is no longer a bottleneck |" in markdown
    assert "| hr (HR) | became a CX island (no path at all to top management) |" in markdown


# -- a fix, between two revisions -----------------------------------------------------------------


def test_a_fix_between_two_commits_is_fixed_findings(diff: Any, tmp_path: Path) -> None:
    """On main a touchpoint has no owner (TPM013) and a journey has none (TPM010); the
    branch gives both an owner. `--head feature` compares two commits; the working tree
    (on main, with an unrelated uncommitted edit) does not count."""
    repo = new_repo(tmp_path / "fix")
    files = dict(GOOD)
    files["touchpoints/main.yaml"] = GOOD["touchpoints/main.yaml"].replace(
        "    cadence: P2W\n    owner: sam\n", "    cadence: P2W\n"
    )
    files["journeys/main.yaml"] = GOOD["journeys/main.yaml"].replace(
        "    name: Idea to board\n    owner: anna\n", "    name: Idea to board\n"
    )
    write_files(repo, files)
    base = commit_all(repo, "unowned")
    git(repo, "checkout", "-q", "-b", "feature")
    write_files(repo, GOOD)
    head = commit_all(repo, "owners")
    git(repo, "checkout", "-q", "main")
    edit(repo / "tpm.yaml", ANNA, ANNA + "    active: false\n")  # not part of the comparison

    doc = as_json(diff(repo, "main", "--head", "feature", "--format", "json"))
    assert doc["base"] == {"name": "main", "commit": base, "project": True}
    assert doc["head"] == {"name": "feature", "commit": head, "project": True}
    assert doc["findings"]["new"] == []
    assert keys(doc["findings"]["fixed"]) == {
        ("TPM013", "it-standard", "touchpoints/main.yaml"),
        ("TPM010", "idea", "journeys/main.yaml"),
    }
    changed = {(c["id"], tuple(f["field"] for f in c["fields"])) for c in doc["items"]["changed"]}
    assert changed == {("it-standard", ("owner",)), ("idea", ("owner",))}
    assert doc["journeys"] == [
        {
            "id": "idea",
            "name": "Idea to board",
            "before": {"status": "unowned", "owner": None, "uncovered": ["service", "sales"]},
            "after": {"status": "covered", "owner": "anna", "uncovered": []},
        }
    ]
    text = diff(repo, "main", "--head", "feature").out
    assert "Fixed findings (2)" in text
    assert "no new findings; 2 fixed; items: 2 changed;" in text
    assert "  changed  touchpoint it-standard (IT service standard): owner: (not set) → sam" in (
        text.splitlines()
    )


# -- the default base: the merge base with the default branch -------------------------------------


def test_the_default_base_is_the_merge_base(diff: Any, good_repo: Path) -> None:
    """main moves on after the branch was made: its new touchpoint is not the branch's
    business (it would show as removed against main itself)."""
    git(good_repo, "checkout", "-q", "main")
    edit(
        good_repo / "touchpoints/main.yaml",
        "touchpoints:\n",
        "touchpoints:\n  - {id: main-only, name: Main only, from: sales, to: board, owner: anna}\n",
    )
    commit_all(good_repo, "main moves on")
    git(good_repo, "checkout", "-q", "feature")
    edit(good_repo / "journeys/main.yaml", "    name: Tool outage\n", "    name: Outage\n")
    commit_all(good_repo, "feature renames a journey")
    doc = as_json(diff(good_repo, "--format", "json"))
    assert doc["base"]["commit"] == git(good_repo, "merge-base", "HEAD", "main").strip()
    assert doc["items"] == {
        "added": [],
        "removed": [],
        "changed": [
            {
                "kind": "journey",
                "id": "outage",
                "name": "Outage",
                "path": "journeys/main.yaml",
                "fields": [{"field": "name", "before": "Tool outage", "after": "Outage"}],
            }
        ],
    }
    against_main = as_json(diff(good_repo, "main", "--format", "json"))
    assert [r["id"] for r in against_main["items"]["removed"]] == ["main-only"]


def test_origin_head_comes_first(diff: Any, good_repo: Path, tmp_path: Path) -> None:
    """In a clone, origin/HEAD names the default branch (here `trunk`, not main)."""
    git(good_repo, "checkout", "-q", "-b", "trunk", "main")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--branch", "trunk", str(good_repo), str(clone))
    git(clone, "checkout", "-q", "-b", "work")
    edit(clone / "journeys/main.yaml", "    name: Tool outage\n", "    name: Outage\n")
    doc = as_json(diff(clone, "--format", "json"))
    assert doc["base"]["name"] == "merge base of HEAD and origin/HEAD"
    assert [c["id"] for c in doc["items"]["changed"]] == ["outage"]


# -- the project in a subdirectory, renames, a new project ----------------------------------------


def test_a_project_in_a_subdirectory(diff: Any, tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "mono")
    write_files(repo, {"README.md": "other things\n"})
    write_files(repo / "org", GOOD)
    commit_all(repo, "org")
    edit(repo / "org/tpm.yaml", ANNA, ANNA + "    active: false\n")
    from_top = as_json(diff(repo, "-C", "org", "HEAD", "--format", "json", cwd=repo))
    assert ("TPM011", "idea", "org/journeys/main.yaml") in keys(from_top["findings"]["new"])
    assert len(from_top["findings"]["new"]) == 3 and from_top["findings"]["fixed"] == []
    assert from_top["items"]["changed"][0]["path"] == "org/tpm.yaml"
    inside = as_json(diff(repo, "HEAD", "--format", "json", cwd=repo / "org" / "journeys"))
    assert ("TPM011", "idea", "journeys/main.yaml") in keys(inside["findings"]["new"])
    assert len(inside["findings"]["new"]) == 3 and inside["findings"]["fixed"] == []


def test_a_renamed_file_keeps_its_findings(diff: Any, good_repo: Path) -> None:
    """TPM034 (no last_reviewed) fires on every touchpoint of the renamed file; after a
    rename that changes nothing else, no finding is new or fixed and no item changed."""
    git(good_repo, "mv", "touchpoints/main.yaml", "touchpoints/all.yaml")
    commit_all(good_repo, "rename")
    doc = as_json(diff(good_repo, "--format", "json"))
    assert doc["findings"] == {"new": [], "fixed": []}
    assert doc["items"] == {"added": [], "removed": [], "changed": []}
    assert diff(good_repo).out.splitlines()[1] == "No change to the organisation."
    # a plain file move in the working tree (git does not know about it yet) is the same
    (good_repo / "journeys/main.yaml").rename(good_repo / "journeys/moved.yaml")
    assert as_json(diff(good_repo, "--format", "json"))["findings"] == {"new": [], "fixed": []}


def test_a_project_that_did_not_exist_at_base(diff: Any, run_cli: Run, tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "late")
    write_files(repo, {"README.md": "nothing yet\n"})
    commit_all(repo, "start")
    write_files(repo / "org", GOOD)  # untracked, in the working tree only
    missing = diff(repo, "-C", "org", "main")
    assert missing.code == 2 and missing.out == ""
    assert missing.err.startswith("tpm: error: there is no project at main (")
    assert "org/tpm.yaml" in missing.err and "--allow-new" in missing.err
    assert missing.err.count("\n") == 1
    doc = as_json(diff(repo, "-C", "org", "main", "--allow-new", "--format", "json"))
    assert doc["base"]["project"] is False
    # everything added: 5 units, 3 people, 4 touchpoints, 2 journeys (counted in GOOD)
    kinds = [a["kind"] for a in doc["items"]["added"]]
    assert kinds == ["unit"] * 5 + ["person"] * 3 + ["touchpoint"] * 4 + ["journey"] * 2
    assert doc["items"]["removed"] == doc["items"]["changed"] == []
    assert doc["findings"]["fixed"] == []
    audit = run_cli(["-C", "org", "audit", "--format", "json", "--as-of", AS_OF], repo)
    assert doc["findings"]["new"] == json.loads(audit.out)["findings"]
    assert doc["index"]["before"] is None and doc["index"]["after"]["value"] is not None
    assert doc["journeys"] == doc["units"] == doc["scores"] == []


# -- errors: one line, exit 2 ---------------------------------------------------------------------


def one_line(result: Result) -> str:
    assert result.code == 2, result
    assert result.out == ""
    assert result.err.startswith("tpm: error: ") and result.err.count("\n") == 1
    assert "Traceback" not in result.err
    return result.err


def test_not_a_git_repository(run_cli: Run, tmp_path: Path) -> None:
    root = write_files(tmp_path / "plain", GOOD)
    err = one_line(run_cli(["diff", "main"], cwd=root))
    assert "is not inside a git work tree" in err


def test_an_unknown_revision(diff: Any, run_cli: Run, good_repo: Path) -> None:
    assert "BASE 'no-such-branch': unknown revision" in one_line(diff(good_repo, "no-such-branch"))
    assert "--head 'nope': unknown revision" in one_line(diff(good_repo, "main", "--head", "nope"))
    # a BASE that looks like an option is never passed to git as one
    err = one_line(run_cli(["diff", "--as-of", AS_OF, "--", "--output=x"], cwd=good_repo))
    assert "BASE '--output=x': unknown revision" in err


def test_no_default_branch(diff: Any, tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "odd")
    git(repo, "checkout", "-q", "-b", "trunk")
    write_files(repo, GOOD)
    commit_all(repo, "org")
    err = one_line(diff(repo))
    assert "no default branch (origin/HEAD, origin/main, origin/master, main, master)" in err
    assert "name BASE" in err
    assert as_json(diff(repo, "trunk", "--format", "json"))["findings"]["new"] == []


def test_a_shallow_clone_without_base(diff: Any, good_repo: Path, tmp_path: Path) -> None:
    """A pull request checked out with the default fetch depth of 1: only its commit, no
    default branch. Naming BASE (a commit in the clone) still works."""
    edit(good_repo / "journeys/main.yaml", "    name: Tool outage\n", "    name: Outage\n")
    commit_all(good_repo, "one")
    edit(good_repo / "journeys/main.yaml", "    name: Outage\n", "    name: Tool outage\n")
    commit_all(good_repo, "two")
    # what actions/checkout does for a pull request with its default fetch-depth of 1
    clone = new_repo(tmp_path / "shallow")
    git(clone, "remote", "add", "origin", f"file://{good_repo}")
    git(clone, "fetch", "-q", "--depth", "1", "origin", "+feature:refs/remotes/pull/1/merge")
    git(clone, "checkout", "-q", "--detach", "refs/remotes/pull/1/merge")
    err = one_line(diff(clone))
    assert "this clone is shallow" in err and "fetch-depth: 0" in err
    assert "unknown revision (this clone is shallow" in one_line(diff(clone, "main"))
    assert diff(clone, "HEAD").code == 0
    # both branches fetched one commit deep: main is there, the merge base is not
    git(good_repo, "checkout", "-q", "main")
    write_files(good_repo, {"README.md": "main moves on\n"})
    commit_all(good_repo, "main moves on")
    deep = tmp_path / "shallow2"
    git(
        tmp_path, "clone", "-q", "--depth", "1", "--no-single-branch", f"file://{good_repo}",
        str(deep),
    )  # fmt: skip
    git(deep, "checkout", "-q", "feature")
    assert "this clone is shallow" in one_line(diff(deep))


# -- what a reviewer sees: markdown, escaping, scores ---------------------------------------------


def test_markdown_is_a_pull_request_comment(diff: Any, good_repo: Path) -> None:
    edit(good_repo / "tpm.yaml", ANNA, ANNA + "    active: false\n")
    md = diff(good_repo, "--format", "markdown").out
    lines = md.splitlines()
    assert lines[0].startswith("## ✅ tpm diff: merge base of HEAD and main (")
    assert lines[2].startswith("3 new findings (3 errors); items: 1 changed; TPM index ")
    # new findings, the index, journeys, items: no fixed findings, units or scores
    assert md.count("<details") == md.count("</details>") == 4
    assert "<details open>\n<summary>New findings (3)</summary>\n\n| Severity |" in md
    assert "<summary>TPM index and its components</summary>" in md
    assert "| ownership | 50.0 | 0.0 | -50.0 |" in md
    assert "| idea (Idea to board) | covered | no active owner |" in md
    assert "| changed | person | anna (Anna Schmidt) | active: (not set) → false | tpm.yaml |" in md


HOSTILE = "Evil <script>alert(1)</script> | *bold* [link](http://x) \x1b[31mred\x1b[0m"


def test_user_text_is_escaped(diff: Any, good_repo: Path) -> None:
    edit(good_repo / "tpm.yaml", "    name: Sam Patel\n", f"    name: {json.dumps(HOSTILE)}\n")
    md = diff(good_repo, "--format", "markdown").out
    assert "<script>" not in md and "\x1b" not in md
    assert "&lt;script&gt;" in md and "\\*bold\\*" in md and "\\[link\\]" in md and "\\|" in md
    for line in md.splitlines():
        if line.startswith("|"):  # no extra table cells from the user's `|`
            assert line.replace("\\|", "").count("|") == 6, line
    text = diff(good_repo).out
    assert "\x1b" not in text and "\\x1b[31mred\\x1b[0m" in text
    for line in text.splitlines()[1:]:
        assert not line.startswith(("::", "Evil")), line
    assert json.loads(diff(good_repo, "--format", "json").out)["items"]["changed"][0]["fields"] == [
        {"field": "name", "before": "Sam Patel", "after": HOSTILE}
    ]


RATED = """\
touchpoints:
  - id: huddle
    name: Daily huddle
    from: service-agents
    to: service
    direction: two-way
    owner: sam
    ratings:
{ratings}"""


def rating(day: str, n: int, value: float) -> str:
    dims = ", ".join(
        f"{d}: {value}"
        for d in ("clarity", "appreciation", "dialogue", "customer_focus", "empowerment")
    )
    return f"      - {{date: {day}, n: {n}, scores: {{{dims}}}}}\n"


def test_scores_that_moved_show_only_published_numbers(diff: Any, tmp_path: Path) -> None:
    """A new wave (an inline rating of 12 people) moves the huddle's score from
    (4 - 1) / 4 = 75 to (3 - 1) / 4 = 50; a later rating of 2 people (below min_responses 5)
    hides the score again, and its answers never appear: the ratings field is named only."""
    repo = new_repo(tmp_path / "scores")
    files = dict(GOOD)
    files["touchpoints/rated.yaml"] = RATED.format(ratings=rating("2026-09-01", 10, 4.0))
    files["touchpoints/main.yaml"] = GOOD["touchpoints/main.yaml"].replace("huddle", "huddle2")
    files["journeys/main.yaml"] = GOOD["journeys/main.yaml"].replace("huddle", "huddle2")
    write_files(repo, files)
    commit_all(repo, "rated")
    write_files(
        repo,
        {"touchpoints/rated.yaml": RATED.format(
            ratings=rating("2026-09-01", 10, 4.0) + rating("2026-11-01", 12, 3.0)
        )},
    )  # fmt: skip
    doc = as_json(diff(repo, "HEAD", "--format", "json"))
    assert doc["scores"][0] == {
        "kind": "touchpoint",
        "id": "huddle",
        "name": "Daily huddle",
        "measure": "score",
        "before": 75.0,
        "after": 50.0,
    }
    assert doc["items"]["changed"][0]["fields"] == [{"field": "ratings"}]
    assert "  touchpoint huddle (Daily huddle): score 75.0 → 50.0 (-25.0)" in diff(repo, "HEAD").out
    commit_all(repo, "wave 2")
    write_files(
        repo,
        {"touchpoints/rated.yaml": RATED.format(
            ratings=rating("2026-09-01", 10, 4.0) + rating("2026-11-01", 12, 3.0)
            + rating("2026-11-10", 2, 1.7)
        )},
    )  # fmt: skip
    for fmt in ("json", "text", "markdown"):
        out = diff(repo, "HEAD", "--format", fmt).out
        assert "1.7" not in out and "17.5" not in out, fmt  # (1.7 - 1) / 4 = 17.5
    doc = as_json(diff(repo, "HEAD", "--format", "json"))
    moved = [s for s in doc["scores"] if s["kind"] == "touchpoint"]
    assert moved == [
        {
            "kind": "touchpoint",
            "id": "huddle",
            "name": "Daily huddle",
            "measure": "score",
            "before": 50.0,
            "after": None,
        }
    ]


def test_settings_changes_are_items_changed(diff: Any, good_repo: Path) -> None:
    edit(good_repo / "tpm.yaml", "organisation: Test AG\n", textwrap.dedent("""\
        organisation: Test AG
        audit:
          max_feedback_hops: 1
        """))  # fmt: skip
    doc = as_json(diff(good_repo, "--format", "json"))
    assert doc["items"]["changed"] == [
        {
            "kind": "settings",
            "id": "audit",
            "name": "audit",
            "path": "tpm.yaml",
            "fields": [{"field": "max_feedback_hops", "before": None, "after": 1}],
        }
    ]


def test_output_file_and_json_is_documented(diff: Any, good_repo: Path) -> None:
    from tests.conftest import ROOT

    edit(good_repo / "tpm.yaml", ANNA, ANNA + "    active: false\n")
    out = good_repo.parent / "diff.json"
    result = diff(good_repo, "--format", "json", "--output", str(out))
    assert result.code == 0 and result.out == ""
    doc = json.loads(out.read_text(encoding="utf-8"))
    documented = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    for key in doc:
        assert f'"{key}"' in documented, key
    for key in ("added", "removed", "changed", "new", "fixed", "before", "after", "change"):
        assert f'"{key}"' in documented, key
    for change in ("lost-feedback-path", "became-island", "no-longer-bottleneck", "unowned"):
        assert change in documented


def test_the_starter_workflow_diffs_pull_requests(tmp_path: Path) -> None:
    import yaml

    from tpm.starter import create

    create(tmp_path)
    workflow = yaml.safe_load((tmp_path / ".github/workflows/tpm.yml").read_text())
    steps = workflow["jobs"]["audit"]["steps"]
    checkout = next(s for s in steps if str(s.get("uses", "")).startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0
    step = next(s for s in steps if "tpm diff" in s.get("run", ""))
    assert step["if"] == "always() && github.event_name == 'pull_request'"
    assert step["env"]["BASE"] == "origin/${{ github.base_ref }}"
    assert step["run"] == 'tpm diff "$BASE" --format markdown >> "$GITHUB_STEP_SUMMARY"'


def test_a_suppression_in_the_branch_fixes_its_finding(diff: Any, good_repo: Path) -> None:
    """Both sides are audited with their own suppressions: the one added in the branch
    silences TPM012 there, so the finding is fixed."""
    edit(
        good_repo / "journeys/main.yaml",
        "    name: Tool outage\n",
        "    name: Tool outage\n    audit: {ignore: {TPM012: IT joins in 2027}}\n",
    )
    doc = as_json(diff(good_repo, "--format", "json"))
    assert keys(doc["findings"]["fixed"]) == {("TPM012", "outage", "journeys/main.yaml")}
    assert doc["findings"]["new"] == []


def test_the_readme_example_is_what_tpm_prints(diff: Any, tmp_path: Path) -> None:
    """The README's excerpt: the example organisation, its head of People & Culture made
    inactive in the working tree. Every line shown (but the commit) is in the real output."""
    import re
    import shutil

    from tests.conftest import ROOT

    repo = new_repo(tmp_path / "example")
    shutil.copy(ROOT / "tpm.yaml", repo / "tpm.yaml")
    for folder in ("touchpoints", "journeys", "responses"):
        shutil.copytree(ROOT / folder, repo / folder)
    commit_all(repo, "the example organisation")
    role = "    role: Head of People & Culture\n"
    edit(repo / "tpm.yaml", role, role + "    active: false\n")
    out = diff(repo, "main").out.splitlines()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("```\ntpm diff: main (")
    shown = readme[start + 4 : readme.index("```", start + 4)].splitlines()
    assert re.fullmatch(r"tpm diff: main \([0-9a-f]{12}\) → working tree", out[0])
    for line in shown[1:]:
        if line.strip() != "…":
            assert line in out, line


@pytest.mark.skipif(os.name == "nt", reason="symbolic links")
def test_symbolic_links_at_the_base_are_links_there_too(diff: Any, good_repo: Path) -> None:
    """touchpoints/extra.yaml links to a file elsewhere in the project: the base is copied
    with the link, so the touchpoint it defines exists on both sides."""
    write_files(
        good_repo,
        {"shared/extra.yaml": "touchpoints:\n  - {id: x, name: X, from: it, to: board}\n"},
    )
    (good_repo / "touchpoints/extra.yaml").symlink_to("../shared/extra.yaml")
    commit_all(good_repo, "a linked file")
    doc = as_json(diff(good_repo, "HEAD", "--format", "json"))
    assert doc["items"] == {"added": [], "removed": [], "changed": []}
    assert doc["findings"] == {"new": [], "fixed": []}
    edit(good_repo / "shared/extra.yaml", "name: X", "name: Y")
    doc = as_json(diff(good_repo, "HEAD", "--format", "json"))
    assert [(c["id"], c["fields"]) for c in doc["items"]["changed"]] == [
        ("x", [{"field": "name", "before": "X", "after": "Y"}])
    ]


def test_no_line_of_the_text_is_a_workflow_command(diff: Any, tmp_path: Path) -> None:
    """A project folder named like a GitHub workflow command: every path starts with it, and
    still no line of the text (piped, as in a CI log) begins with `::`."""
    repo = new_repo(tmp_path / "ci")
    write_files(repo / "::error::boom", GOOD)
    commit_all(repo, "org")
    edit(repo / "::error::boom/tpm.yaml", ANNA, ANNA + "    active: false\n")
    out = diff(repo, "-C", "::error::boom", "HEAD", cwd=repo).out
    assert "::error::boom/journeys/main.yaml:4:12: error TPM011" in out
    assert not [line for line in out.splitlines() if line.lstrip().startswith("::")]


def enps_rows(day: str, answers: list[int], first: int = 1) -> str:
    return "".join(
        f",enps,{score},{day},service-agents,r-{first + i}\n" for i, score in enumerate(answers)
    )


def test_a_new_wave_moves_enps(diff: Any, tmp_path: Path) -> None:
    """Six people of service-agents (silo service) answer the eNPS question: all promoters
    (eNPS 100); a new wave five weeks later has 3 promoters and 3 detractors (50 % - 50 % = 0).
    The organisation, the silo and the unit move from 100 to 0."""
    repo = new_repo(tmp_path / "enps")
    header = "touchpoint,dimension,score,date,unit,respondent\n"
    write_files(repo, {**GOOD, "responses/pulse.csv": header + enps_rows("2026-10-01", [10] * 6)})
    commit_all(repo, "wave 1")
    second = enps_rows("2026-11-05", [10, 9, 10, 0, 6, 3])
    write_files(repo, {"responses/pulse.csv": header + enps_rows("2026-10-01", [10] * 6) + second})
    doc = as_json(diff(repo, "HEAD", "--format", "json"))
    assert [s for s in doc["scores"] if s["measure"] == "enps"] == [
        {"kind": "organisation", "id": None, "name": None, "measure": "enps", "before": 100.0,
         "after": 0.0},
        {"kind": "silo", "id": "service", "name": "Service", "measure": "enps", "before": 100.0,
         "after": 0.0},
        {"kind": "unit", "id": "service-agents", "name": "Service agents", "measure": "enps",
         "before": 100.0, "after": 0.0},
    ]  # fmt: skip
    text = diff(repo, "HEAD").out.splitlines()
    assert "  organisation: enps 100.0 → 0.0 (-100.0)" in text
    assert "  silo service (Service): enps 100.0 → 0.0 (-100.0)" in text
