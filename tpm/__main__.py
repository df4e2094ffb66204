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
    from tpm.fsutil import output_argument_problem

    problem = output_argument_problem(args)
    if problem is not None:
        sys.stderr.write(f"tpm: error: {problem}\n")
        return 2
    from tpm.cli import run

    return run(args)


def entry() -> None:
    """The console script: exit with main()'s code. Ctrl-C, a closed pipe and a full stdout
    end as tpm.exits describes (one line or none, never a traceback).

    Everything tpm writes is flushed (files it writes are closed and renamed before this),
    so it leaves with os._exit: tearing down a large project's millions of objects one by
    one at interpreter exit would only cost time.
    """
    from tpm import exits

    exits.install()
    code = exits.finish(main)
    try:
        sys.stderr.flush()
    except BaseException:  # a Ctrl-C at the very end changes nothing
        pass
    os._exit(code)


if __name__ == "__main__":
    entry()
