"""Entry point of the `tpm` command and `python -m tpm`.

`tpm --version` is answered here, before typer, rich or anything heavy is imported.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    """Run tpm with `argv` (default: the command line) and return the exit code."""
    args = sys.argv[1:] if argv is None else list(argv)
    if args in (["--version"], ["-V"]):
        from tpm import __version__

        sys.stdout.write(f"tpm {__version__}\n")
        return 0
    from tpm.cli import run

    return run(args)


def entry() -> None:
    """The console script: exit with main()'s code (a closed pipe is not an error).

    Everything tpm writes is flushed (files it writes are closed and renamed before this),
    so it leaves with os._exit: tearing down a large project's millions of objects one by
    one at interpreter exit would only cost time.
    """
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):
            pass
    os._exit(code)


if __name__ == "__main__":
    entry()
