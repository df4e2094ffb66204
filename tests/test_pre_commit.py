"""pre-commit as docs/ci.md and the README describe it, run for real: the `.pre-commit-config.yaml`
that `tpm init` writes works from a clone (no release on PyPI), and so do the hooks of
`.pre-commit-hooks.yaml` taken from a clone of tpm's repository.

pre-commit is a dev dependency; outside CI these tests skip, with a reason, when it is missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

BIN = Path(sys.executable).parent  # where the tpm under test is installed


def pre_commit() -> str:
    found = shutil.which("pre-commit", path=str(BIN)) or shutil.which("pre-commit")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pre-commit is missing in CI (it is a dev dependency)")
        pytest.skip("pre-commit is not installed (pip install pre-commit)")
    return found


def git(*args: str, cwd: Path) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        timeout=60,
    )


def run(command: list[str], cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    """A commit-time environment: tpm on the PATH (installed from this clone), pre-commit's
    cache in the test's directory, no TPM_DEBUG."""
    env = {k: v for k, v in os.environ.items() if k != "TPM_DEBUG"}
    env["PATH"] = os.pathsep.join([str(BIN), env.get("PATH", "")])
    env["PRE_COMMIT_HOME"] = str(home)
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=540)


def new_project(tmp_path: Path) -> Path:
    project = tmp_path / "my-org"
    done = subprocess.run(
        [str(BIN / "tpm"), "init", str(project)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    git("init", "-q", cwd=project)
    git("add", "-A", cwd=project)
    return project


def break_an_owner(project: Path) -> None:
    """One error for the hook to find: an owner who is nobody (TPM005)."""
    touchpoints = project / "touchpoints" / "touchpoints.yaml"
    text = touchpoints.read_text(encoding="utf-8")
    owners = [line for line in text.splitlines() if line.strip().startswith("owner:")]
    touchpoints.write_text(
        text.replace(owners[0], owners[0].split(":")[0] + ": nobody-at-all", 1), encoding="utf-8"
    )
    git("add", "-A", cwd=project)


@pytest.mark.slow
def test_the_recipe_tpm_init_writes_runs_from_a_clone(tmp_path: Path) -> None:
    tool = pre_commit()
    project = new_project(tmp_path)
    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert config["repos"][0]["repo"] == "local"
    assert "additional_dependencies" not in config["repos"][0]["hooks"][0]  # nothing from PyPI

    passed = run([tool, "run", "--all-files"], project, tmp_path / "cache")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "tpm audit" in passed.stdout and "Passed" in passed.stdout

    break_an_owner(project)
    failed = run([tool, "run", "--all-files"], project, tmp_path / "cache")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "Failed" in failed.stdout
    assert "TPM005" in failed.stdout and "nobody-at-all" in failed.stdout


@pytest.mark.slow
def test_the_hooks_of_the_repository_install_from_a_clone(tmp_path: Path) -> None:
    """`.pre-commit-hooks.yaml` with `repo:` a clone of tpm and `rev:` a commit, as its comment
    says: pre-commit installs tpm from that commit (pip, so it needs the package index)."""
    tool = pre_commit()
    clone = tmp_path / "tpm-clone"
    shutil.copytree(
        ROOT,
        clone,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "build", "dist", "out", "*.egg-info", "__pycache__", ".*_cache"
        ),
    )
    git("init", "-q", cwd=clone)
    git("add", "-A", cwd=clone)
    git("commit", "-q", "-m", "tpm", cwd=clone)
    rev = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=clone, capture_output=True, text=True, check=True
    ).stdout.strip()
    project = new_project(tmp_path)
    (project / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {clone.as_posix()}\n    rev: {rev}\n    hooks:\n"
        "      - id: tpm-validate\n",
        encoding="utf-8",
    )
    break_an_owner(project)
    done = run([tool, "run", "--all-files"], project, tmp_path / "cache")
    failed_to_install = "error has occurred" in done.stdout + done.stderr
    if failed_to_install and os.environ.get("CI") != "true":
        pytest.skip(f"pre-commit could not install tpm here: {done.stdout[-300:]}")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "tpm validate" in done.stdout and "Failed" in done.stdout
    assert "TPM005" in done.stdout and "nobody-at-all" in done.stdout
