"""`tpm init`: copy the starter project (shipped as package data), never overwriting a file.

Into a directory that already holds a `tpm.yaml` (a project), only the files that are not sample
data are added (the CI workflow, the pre-commit configuration): the sample touchpoints and
journeys name the sample units and people, and would break the project.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from tpm.errors import UsageError
from tpm.fsutil import OutputError, write_atomic

_SKIP = {"__init__.py", "__pycache__"}
# the sample organisation: written only into a directory that is not a project yet
_SAMPLE_DATA = ("tpm.yaml", "touchpoints", "journeys", "responses")


def _files(base: Traversable, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], bytes]]:
    found = []
    for entry in sorted(base.iterdir(), key=lambda e: e.name):
        if entry.name in _SKIP or entry.name.endswith(".pyc"):
            continue
        if entry.is_dir():
            found.extend(_files(entry, (*prefix, entry.name)))
        else:
            found.append(((*prefix, entry.name), entry.read_bytes()))
    return found


def starter_files() -> list[tuple[tuple[str, ...], bytes]]:
    """(relative path parts, content) of every file of the starter project."""
    return _files(resources.files("tpm.templates") / "starter")


def init(directory: Path) -> list[str]:
    """`tpm init DIRECTORY`: create the starter project; returns the lines to tell the user
    (what was created, what was kept, what to run next). A file that cannot be written is a
    usage error (the files written before it stay)."""
    try:
        done = create(directory)
    except OSError as exc:
        raise UsageError(
            f"cannot create the project in {directory}: {exc.strerror or exc}"
        ) from None
    lines = []
    if done.existing_project:
        lines.append(
            f"{(directory / 'tpm.yaml').as_posix()} exists: a project already, so only what is "
            "missing is added, never the sample touchpoints and journeys"
        )
    lines += [f"created {path}" for path in done.written]
    lines += [f"kept    {path} (it exists already)" for path in done.kept]
    if done.existing_project and not done.written:
        lines.append("nothing to add: the project has every file tpm init writes")
    where = "" if directory == Path(".") else f" -C {directory}"
    return [*lines, f"\nNext: tpm{where} validate, then tpm{where} audit"]


@dataclass
class Created:
    """What `create` did, as display paths."""

    written: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # existed already: left as they are
    existing_project: bool = False  # the directory held a tpm.yaml: no sample data was added


def create(directory: Path) -> Created:
    """Write the starter project into `directory`, never overwriting a file; into an existing
    project (a `tpm.yaml` there) only the files that are not sample data.

    Raises OSError when a file cannot be written (the files written before it stay).
    """
    if directory.exists() and not directory.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(directory))
    done = Created(existing_project=(directory / "tpm.yaml").is_file())
    for parts, content in starter_files():
        target = directory.joinpath(*parts)
        shown = target.as_posix()
        if target.exists():
            done.kept.append(shown)
            continue
        if done.existing_project and parts[0] in _SAMPLE_DATA:
            continue
        try:
            write_atomic(target, content)
        except OutputError as exc:
            raise OSError(str(exc)) from None
        done.written.append(shown)
    return done
