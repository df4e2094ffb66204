"""Files tpm writes: always atomically (a temporary file beside the target, then a rename), and
only regular files: a device, a pipe, a socket or a symbolic link named as the output is refused
(renaming onto `/dev/null` would replace the device with a file).
Files tpm reads: only regular files (a pipe or a device could block or never end)."""

from __future__ import annotations

import contextlib
import errno
import io
import os
import stat
import tempfile
from pathlib import Path

NOT_REGULAR = "not a regular file (a pipe, a device or a socket)"


class OutputError(Exception):
    """An output path that cannot be written (a usage error: exit 2)."""


STDOUT = "-"  # `--output -`: standard output

_KINDS = (
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISFIFO, "a pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISDIR, "a directory"),
)


def check_target(path: Path | str) -> None:
    """Refuse an output path that exists and is not a regular file (OutputError)."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:  # missing (it will be created) or unreachable (the write will say why)
        return
    if stat.S_ISREG(mode):
        return
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    raise OutputError(f"cannot write {path}: it is {kind}; tpm writes only regular files")


def write_output(path: Path | str, data: str | bytes) -> None:
    """`data` to the file `path` atomically, or to standard output when `path` is `-`."""
    if str(path) == STDOUT:
        import sys

        if isinstance(data, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(data)
            sys.stdout.flush()
        return
    write_atomic(Path(path), data)


# commands whose --output may name a directory
_DIRECTORY_OUTPUTS = ("schema", "--all")


def output_argument_problem(args: list[str]) -> str | None:
    """A usage error for `--output DIR/` (a name ending in `/`) where a file is written: the
    file would otherwise be called DIR. `tpm schema` and `--all` write into a directory."""
    if any(arg in _DIRECTORY_OUTPUTS for arg in args):
        return None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg in ("-o", "--output") and i + 1 < len(args):
            value = args[i + 1]
        elif arg.startswith("--output="):
            value = arg[len("--output=") :]
        elif arg.startswith("-o") and len(arg) > 2 and not arg.startswith("--"):
            value = arg[2:]
        else:
            continue
        if value.endswith(("/", os.sep)) and value != STDOUT:
            return f"--output {value} names a directory: give a file name"
    return None


def open_regular(path: Path | str) -> io.FileIO:
    """Open a file for reading, unbuffered. Anything but a regular file raises OSError (its
    strerror says why): reading a pipe nobody writes to would block for ever, and reading
    /dev/zero would never end. The file is opened without blocking, so a pipe is refused at
    once instead of waiting for a writer."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if not stat.S_ISREG(mode):
            raise OSError(errno.EINVAL, NOT_REGULAR, str(path))
        return io.FileIO(fd, "rb", closefd=True)
    except BaseException:
        os.close(fd)
        raise


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write `data` to `path` so that an interrupted run never leaves a half-written file."""
    path = Path(path)
    check_target(path)
    directory = path.parent if str(path.parent) else Path(".")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        check_target(path)  # nothing else was put there meanwhile
        if path.exists():
            with contextlib.suppress(OSError):
                os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
        raise
