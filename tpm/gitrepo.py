"""The git repository around a project, read with git as a program and never changed.

`tpm diff` compares the project at two revisions. git is run with argument lists (never a
shell) and only with commands that read: `rev-parse`, `merge-base`, `ls-tree` and
`cat-file`. Nothing checks out, stashes or touches the index: a revision's files are copied
out of the object database into a temporary directory, where the project is loaded like any
other (docs/ci.md, "tpm diff").
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

# Where the default branch is looked for, in this order; the base is the merge base of HEAD
# with the first that exists.
DEFAULT_BRANCHES = ("origin/HEAD", "origin/main", "origin/master", "main", "master")
CONFIG_FILE = "tpm.yaml"

_BLOB_MODES = {b"100644", b"100755", b"120000"}


class GitError(Exception):
    """A one-line usage error: not a repository, an unknown revision, a shallow clone..."""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["GIT_OPTIONAL_LOCKS"] = "0"  # no index refresh, no lock file: nothing is written
    env["GIT_TERMINAL_PROMPT"] = "0"
    env["LC_ALL"] = "C"
    return env


def _git(cwd: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            # --literal-pathspecs: a project folder named `*` is that folder
            ["git", "--literal-pathspecs", *args],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            env=_env(),
            check=False,
        )
    except FileNotFoundError:
        raise GitError("git is not installed (tpm diff runs it to read the revisions)") from None
    except OSError as exc:
        raise GitError(f"cannot run git: {exc.strerror or exc}") from None


def _text(data: bytes) -> str:
    return os.fsdecode(data.rstrip(b"\n"))


@dataclass(frozen=True)
class Revision:
    """A commit, and how to call it (what the user named, or how it was found)."""

    commit: str
    name: str


@dataclass(frozen=True)
class Repository:
    top: Path  # the top of the work tree
    prefix: str  # the project's folder inside it: "" or "org/" (posix, with a trailing /)

    @classmethod
    def of(cls, root: Path) -> Repository:
        """The repository whose work tree holds the project directory `root`."""
        done = _git(root, "rev-parse", "--is-inside-work-tree", "--show-toplevel", "--show-prefix")
        lines = done.stdout.split(b"\n")
        if done.returncode != 0 or not lines or lines[0] != b"true" or len(lines) < 3:
            raise GitError(
                f"{root} is not inside a git work tree (tpm diff compares git revisions)"
            )
        return cls(Path(_text(lines[1])), _text(lines[2]))

    def git(self, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
        return _git(self.top, *args, stdin=stdin)

    @property
    def shallow(self) -> bool:
        done = self.git("rev-parse", "--is-shallow-repository")
        return done.returncode == 0 and done.stdout.strip() == b"true"

    def commit(self, rev: str) -> str | None:
        """The commit `rev` names, or None."""
        if not rev or rev.startswith("-") or "\0" in rev:
            return None  # never an option of git's
        done = self.git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
        return _text(done.stdout) if done.returncode == 0 else None

    def revision(self, rev: str, option: str) -> Revision:
        """The commit of a revision the user named; GitError when there is none."""
        commit = self.commit(rev)
        if commit is None:
            hint = ""
            if self.shallow:
                hint = " (this clone is shallow: fetch the history, e.g. fetch-depth: 0)"
            raise GitError(f"{option} {rev!r}: unknown revision{hint}")
        return Revision(commit, rev)

    def default_base(self) -> Revision:
        """The merge base of HEAD with the default branch (the first of DEFAULT_BRANCHES)."""
        head = self.commit("HEAD")
        if head is None:
            raise GitError("the repository has no commit yet: there is no revision to compare")
        shallow = self.shallow
        for branch in DEFAULT_BRANCHES:
            if self.commit(branch) is None:
                continue
            done = self.git("merge-base", "HEAD", branch)
            if done.returncode == 0:
                return Revision(_text(done.stdout), f"merge base of HEAD and {branch}")
            if shallow:
                break
            raise GitError(f"HEAD and {branch} have no commit in common: name BASE")
        if shallow:
            raise GitError(
                "this clone is shallow: the merge base with the default branch is not in it; "
                "fetch the history (actions/checkout with fetch-depth: 0) or name BASE"
            )
        raise GitError(f"no default branch ({', '.join(DEFAULT_BRANCHES)}): name BASE")

    def entries(self, commit: str) -> list[tuple[bytes, bytes, bytes]]:
        """(mode, object id, path inside the project) of every file of the project at
        `commit`; submodules are left out."""
        args = ["ls-tree", "-r", "-z", "--full-tree", commit]
        if self.prefix:
            args += ["--", self.prefix]
        done = self.git(*args)
        if done.returncode != 0:
            raise GitError(f"cannot list the files of {commit[:12]}: {_text(done.stderr)}")
        strip = os.fsencode(self.prefix)
        found = []
        for record in done.stdout.split(b"\0"):
            if not record:
                continue
            meta, _, path = record.partition(b"\t")
            mode, kind, oid = meta.split(b" ")
            if kind != b"blob" or mode not in _BLOB_MODES or not path.startswith(strip):
                continue
            found.append((mode, oid, path[len(strip) :]))
        return found

    def has_project(self, entries: list[tuple[bytes, bytes, bytes]]) -> bool:
        return any(path == CONFIG_FILE.encode() and mode != b"120000" for mode, _, path in entries)

    def extract(self, entries: list[tuple[bytes, bytes, bytes]], dest: Path) -> None:
        """Write the files of `entries` below `dest` (which must be a new, empty directory),
        their contents read with one `git cat-file --batch`. Symbolic links are made last,
        so that no file is ever written through one."""
        safe: list[tuple[bytes, bytes, PurePosixPath]] = []
        for mode, oid, name in entries:
            relative = _safe_path(name)
            if relative is not None:
                safe.append((mode, oid, relative))
        if not safe:
            return
        with tempfile.TemporaryFile() as ids, tempfile.TemporaryFile() as errors:
            ids.write(b"".join(oid + b"\n" for _, oid, _ in safe))
            ids.seek(0)
            try:  # streamed: a revision may hold files far larger than memory should
                process = subprocess.Popen(
                    ["git", "cat-file", "--batch"],
                    cwd=self.top,
                    stdin=ids,
                    stdout=subprocess.PIPE,
                    stderr=errors,
                    env=_env(),
                )
            except OSError as exc:
                raise GitError(f"cannot run git: {exc.strerror or exc}") from None
            assert process.stdout is not None
            with process:
                try:
                    links = _write(process.stdout, safe, dest)
                except BaseException:
                    process.kill()  # never wait for a git that still has output to give
                    raise
        for target, pointee in links:
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                target.symlink_to(pointee)
            except OSError:  # a system without symbolic links: the file is missing
                pass


def _write(
    stream: IO[bytes], files: list[tuple[bytes, bytes, PurePosixPath]], dest: Path
) -> list[tuple[Path, str]]:
    """Write the files whose contents `git cat-file --batch` streams, in order; returns the
    symbolic links to make, (where, pointing to)."""
    links = []
    for mode, _, path in files:
        header = stream.readline().split()
        if len(header) != 3 or not header[2].isdigit():
            raise GitError(f"cannot read {path.as_posix()} of the revision from git")
        size = int(header[2])
        target = dest.joinpath(*path.parts)
        if mode == b"120000":
            links.append((target, os.fsdecode(stream.read(size))))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("wb") as f:
                _copy(stream, f, size)
        stream.read(1)  # the line feed after the content
    return links


def _copy(source: IO[bytes], target: IO[bytes], size: int) -> None:
    while size > 0:
        chunk = source.read(min(size, 1 << 20))
        if not chunk:
            raise GitError("git ended before the file did")
        target.write(chunk)
        size -= len(chunk)


def _safe_path(path: bytes) -> PurePosixPath | None:
    """The path as a relative path of plain names; None for anything that could leave the
    directory (git refuses such trees, but a crafted repository need not)."""
    parts = path.split(b"/")
    if not parts or any(p in (b"", b".", b"..") for p in parts):
        return None
    return PurePosixPath(*(os.fsdecode(p) for p in parts))
