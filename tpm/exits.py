"""How a tpm process ends when its surroundings fail (docs/file-formats.md, safety limits).

- Ctrl-C: one line, `tpm: error: interrupted`, exit 130; a file being written is left as it
  was (the atomic write removes its temporary file).
- A closed pipe (`tpm list touchpoints | head -1`): tpm stops quietly, exit 0.
- A full disk or a failing standard output (`>/dev/full`): one line, exit 2.
- A failing standard error (`2>/dev/full`) is ignored: the command's result stands.

The failures are raised as BaseException subclasses so that no `except Exception` on the way
(the command's own, or typer's and click's) turns them into an internal error, and so that
click's handling of KeyboardInterrupt (a blank line, then "Aborted") never runs.
"""

from __future__ import annotations

import errno
import os
import signal
import sys
from typing import Any

INTERRUPTED = 130


class Interrupted(BaseException):
    """Ctrl-C (SIGINT)."""


class PipeClosed(BaseException):
    """Standard output is a pipe whose reader has gone."""


class OutputFailed(BaseException):
    """Standard output cannot be written (a full disk, an I/O error)."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error)
        self.error = error


def _stdout_failure(error: OSError) -> BaseException:
    if isinstance(error, BrokenPipeError) or error.errno == errno.EPIPE:
        return PipeClosed()
    return OutputFailed(error)


class _GuardedStdout:
    """Standard output, with its write errors raised as PipeClosed or OutputFailed."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, data: Any) -> int:
        try:
            return self._stream.write(data)  # type: ignore[no-any-return]
        except OSError as exc:
            raise _stdout_failure(exc) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as exc:
            raise _stdout_failure(exc) from None

    @property
    def buffer(self) -> Any:
        return _GuardedStdout(self._stream.buffer)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class _QuietStderr:
    """Standard error that cannot fail: a message that cannot be shown is dropped."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, data: Any) -> int:
        try:
            return self._stream.write(data)  # type: ignore[no-any-return]
        except (OSError, ValueError):
            return len(data)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except (OSError, ValueError):
            pass

    @property
    def buffer(self) -> Any:
        return _QuietStderr(self._stream.buffer)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _on_sigint(signum: int, frame: Any) -> None:
    raise Interrupted()


def install() -> None:
    """Guard the standard streams and take over Ctrl-C (for the `tpm` process only)."""
    sys.stdout = _GuardedStdout(sys.stdout)  # type: ignore[assignment]
    sys.stderr = _QuietStderr(sys.stderr)  # type: ignore[assignment]
    # only where Python itself would raise KeyboardInterrupt: an ignored SIGINT stays ignored
    if hasattr(signal, "SIGINT") and signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _on_sigint)


def say(message: str) -> None:
    """One line on standard error, if it can be written at all."""
    sys.stderr.write(f"tpm: error: {message}\n")
    sys.stderr.flush()


def _silence_stdout() -> None:
    """Point the standard output at /dev/null, so that nothing buffered for a closed pipe or a
    full disk is written again on the way out."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.__stdout__.fileno())  # type: ignore[union-attr]
    except (OSError, AttributeError, ValueError):
        pass


def finish(run: Any) -> int:
    """Call `run()` (returning an exit code), then flush; the endings above become codes."""
    try:
        code = int(run())
        sys.stdout.flush()
        return code
    except (Interrupted, KeyboardInterrupt):
        _silence_stdout()
        say("interrupted")
        return INTERRUPTED
    except PipeClosed:
        _silence_stdout()
        return 0
    except OutputFailed as exc:
        _silence_stdout()
        say(f"cannot write to standard output: {exc.error.strerror or exc.error}")
        return 2
