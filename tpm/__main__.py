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


# -- running -------------------------------------------------------------------------------


def run(args: list[str]) -> int:
    """Run the app and return its exit code; errors become one line on stderr (README.md)."""
    import gc

    import typer

    from tpm.cli import app
    from tpm.errors import UsageError
    from tpm.fsutil import OutputError

    debug = bool(os.environ.get("TPM_DEBUG"))
    args = spread_responses(hoist_project_option(args))
    # The cyclic garbage collector is off while the command runs (and back on after it, for
    # callers in a longer-lived process such as the tests; the library leaves it alone). A
    # command loads the project, millions of objects of which almost none are freed, and the
    # collector would scan the growing heap again and again for nothing: `tpm audit` of the
    # L organisation takes 7 s of CPU without it and 19 s with it, at the same peak memory
    # (docs/performance.md).
    collecting = gc.isenabled()
    gc.disable()
    try:
        result = app(args=args, prog_name="tpm", standalone_mode=False)
    except (UsageError, OutputError) as exc:  # the library's usage errors: one line, exit 2
        return _error(str(exc))
    except typer.Exit as exc:
        return exc.exit_code
    except KeyboardInterrupt:
        return _error("interrupted", code=130)
    except BrokenPipeError:
        return 0
    except Exception as exc:
        # click-style usage errors (typer's own or click's, depending on the typer version)
        if type(exc).__name__ == "NoArgsIsHelpError" and getattr(exc, "ctx", None):
            sys.stdout.write(exc.ctx.get_help() + "\n")  # type: ignore[attr-defined]
            return 2
        if hasattr(exc, "format_message") and hasattr(exc, "exit_code"):
            ctx = getattr(exc, "ctx", None)
            hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
            message = " ".join(exc.format_message().replace("Value error, ", "").split())
            if hint:  # not "No such command 'x'. (see 'tpm --help')"
                message = message.rstrip(".")
            return _error(f"{message}{hint}", code=exc.exit_code or 2)
        if type(exc).__name__ == "Abort":
            return _error("aborted", code=130)
        if debug:  # a bug: one line, unless TPM_DEBUG asks for the traceback
            raise
        return _error(
            f"internal error: {type(exc).__name__}: {exc} (set TPM_DEBUG=1 for a traceback)"
        )
    finally:
        if collecting:
            gc.enable()
    return result if isinstance(result, int) else 0


def spread_responses(args: list[str]) -> list[str]:
    """`--responses a.csv b.csv` (docs/diagrams.md: `--responses FILE…`) as typer reads it,
    `--responses a.csv --responses b.csv`: the .csv files that follow the option are its."""
    result: list[str] = []
    state = 0  # 1: the option's own value comes next; 2: further .csv files may follow
    for arg in args:
        if state == 2 and not arg.startswith("-") and arg.lower().endswith(".csv"):
            result.extend(("--responses", arg))
            continue
        if state == 1:
            result.append(arg)
            state = 2
            continue
        state = 1 if arg == "--responses" else 0
        result.append(arg)
    return result


def hoist_project_option(args: list[str]) -> list[str]:
    """Let `-C DIR` / `--project DIR` stand anywhere (`tpm audit -C org` as well as
    `tpm -C org audit`): typer only knows it before the command, so move it there."""
    rest: list[str] = []
    hoisted: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest.extend(args[i:])
            break
        if arg in ("-C", "--project") and i + 1 < len(args):
            hoisted.extend(args[i : i + 2])
            i += 2
            continue
        if arg.startswith("--project=") or (arg.startswith("-C") and len(arg) > 2):
            hoisted.append(arg)
        else:
            rest.append(arg)
        i += 1
    return hoisted + rest


def _error(message: str, code: int = 2) -> int:
    sys.stdout.flush()
    sys.stderr.write(f"tpm: error: {message}\n")
    return code


if __name__ == "__main__":
    entry()
