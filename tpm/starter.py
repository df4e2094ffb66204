"""`tpm init`: copy the starter project (shipped as package data), never overwriting a file."""

from __future__ import annotations

import errno
import os
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from tpm.errors import UsageError
from tpm.fsutil import OutputError, write_atomic

_SKIP = {"__init__.py", "__pycache__"}


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
        written, kept = create(directory)
    except OSError as exc:
        raise UsageError(
            f"cannot create the project in {directory}: {exc.strerror or exc}"
        ) from None
    lines = [f"created {path}" for path in written]
    lines += [f"kept    {path} (it exists already)" for path in kept]
    where = "" if directory == Path(".") else f" -C {directory}"
    return [*lines, f"\nNext: tpm{where} validate, then tpm{where} audit"]


def create(directory: Path) -> tuple[list[str], list[str]]:
    """Write the starter project into `directory`; returns (written, kept) display paths.

    Raises OSError when a file cannot be written (the files written before it stay).
    """
    if directory.exists() and not directory.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(directory))
    written: list[str] = []
    kept: list[str] = []
    for parts, content in starter_files():
        target = directory.joinpath(*parts)
        shown = target.as_posix()
        if target.exists():
            kept.append(shown)
            continue
        try:
            write_atomic(target, content)
        except OutputError as exc:
            raise OSError(str(exc)) from None
        written.append(shown)
    return written, kept
