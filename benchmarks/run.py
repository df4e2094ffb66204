"""The benchmark (docs/performance.md): measure every figure in one run, on the same files,
and record the results in BENCHMARKS.md.

    python benchmarks/run.py                  # S, M and L; 3 runs each; writes BENCHMARKS.md
    python benchmarks/run.py --quick          # S only, one run each, small response files:
                                              # a smoke test for CI, prints its table only

How each figure is measured:

- ``tpm audit`` is timed as a whole process (interpreter start-up and imports included): the
  venv's ``tpm -C PROJECT audit --fail-on never --format json --output FILE --as-of
  2026-11-20``, best of ``--runs`` runs. Every command is started from a small wrapper process
  that takes the time from spawn to exit and reads the child's peak resident set size with
  ``os.wait4`` (what ``getrusage(RUSAGE_CHILDREN)`` gives in a fresh wrapper); the kernel counts
  the image a child was spawned from into its peak, so the wrapper (a few MiB) is that image,
  never this script. Peak memory is the largest of the runs.
- The naive parse is ``yaml.load(f, Loader=yaml.CSafeLoader)`` of every YAML file tpm reads
  (tpm.yaml, touchpoints/**, journeys/**; opened in binary mode, so libyaml decodes them),
  timed inside a fresh Python process (the venv's, after ``import yaml``) with the default
  garbage collector, keeping the parsed data until the last file is read (as a tool that
  replaced tpm would); best of ``--runs``. Audit and naive runs alternate, so that both see
  the same machine when other processes come and go.
- ``tpm --version``: whole process, best of 10. ``tpm audit`` of the example organisation at
  the repository root: whole process, best of ``--runs``.
- ``tpm diff HEAD`` on the largest size: the project committed to a fresh git repository in a
  scratch directory, one touchpoint file then changed in the working tree (one touchpoint
  renamed); ``tpm -C REPO diff HEAD --format json --output FILE --as-of 2026-11-20`` and
  ``tpm audit`` of the same working tree alternate, best of ``--runs`` each, compared.
- ``tpm score --format json`` over a response file of ``--rows`` rows (1 000 000) and of a
  quarter of them, in the S project (generated with its responses below benchmarks/out/):
  whole process, best of ``--runs``; peak memory as above, to show that it does not grow
  with the rows.

Until ``tpm audit`` exists (``tpm audit --help`` fails), ``tpm validate`` is measured in its
place and the table says so. Generated projects are cached in benchmarks/out/ and made again
when the generator, the seed or the size changes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (benchmarks/ is no package: the generator sits beside us)

AS_OF = "2026-11-20"
TARGET_RATIO = 1.0
TARGET_GROWTH = 11.0
TARGET_VERSION = 0.150
TARGET_EXAMPLE = 0.5
TARGET_SCORE = 5.0
TARGET_FLAT = 1.25  # peak memory at all rows / at a quarter of them: "does not grow"
TARGET_MEMORY = 1024**3
TARGET_REPORT = {"M": 30.0, "L": 120.0}  # tpm report, whole process
TARGET_JOURNEYS = 40.0  # tpm diagram journey --all on L (svg)
TARGET_VIEW = 5.0  # tpm diagram org --by silo and tpm diagram silos on L
TARGET_DIFF = 2.5  # tpm diff HEAD with one file changed / one tpm audit of the same project
MIB = 1024 * 1024


# -- running a command ---------------------------------------------------------------------------


@dataclass
class Run:
    seconds: float  # wall clock
    max_rss: int  # bytes
    code: int
    stderr: str
    cpu: float = float("nan")  # user + system time of the process


@dataclass
class Measurement:
    label: str
    runs: list[Run] = field(default_factory=list)

    @property
    def best(self) -> float:
        return min(r.seconds for r in self.runs)

    @property
    def best_cpu(self) -> float:
        return min(r.cpu for r in self.runs)

    @property
    def median(self) -> float:
        times = sorted(r.seconds for r in self.runs)
        middle = len(times) // 2
        return times[middle] if len(times) % 2 else (times[middle - 1] + times[middle]) / 2

    @property
    def median_cpu(self) -> float:
        times = sorted(r.cpu for r in self.runs)
        middle = len(times) // 2
        return times[middle] if len(times) % 2 else (times[middle - 1] + times[middle]) / 2

    @property
    def peak(self) -> int:
        return max(r.max_rss for r in self.runs)

    @property
    def failed(self) -> Run | None:
        return next((r for r in self.runs if r.code != 0), None)

    def times(self) -> str:
        return ", ".join(f"{_secs(r.seconds)} (cpu {_secs(r.cpu)})" for r in self.runs)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("TPM_DEBUG", None)
    env["NO_COLOR"] = "1"
    return env


# A small process between us and each measured command. A child's peak RSS as the kernel
# reports it (wait4, getrusage(RUSAGE_CHILDREN)) includes the image of the process it was
# spawned from, so it is spawned from this small wrapper (a few MiB), never from run.py (which
# holds generated data). The wrapper also takes the time, from spawn to exit.
WRAPPER = """\
import os, sys, time
out, cmd = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
pid = os.posix_spawn(cmd[0], cmd, os.environ)
_, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - start
with open(out, "w") as f:
    cpu = usage.ru_utime + usage.ru_stime
    f.write(f"{seconds!r} {cpu!r} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}")
"""


def run_once(cmd: Sequence[str], python: Path) -> tuple[Run, str]:
    """Run `cmd` (an absolute program path first) to its end through the wrapper: its wall
    time, peak RSS and exit code, and its standard output."""
    with tempfile.TemporaryDirectory(prefix="tpm-bench-run-") as tmp:
        result, out, err = Path(tmp, "result"), Path(tmp, "out"), Path(tmp, "err")
        with out.open("wb") as stdout, err.open("wb") as stderr:
            done = subprocess.run(
                [str(python), "-S", "-c", WRAPPER, str(result), *cmd],
                stdout=stdout,
                stderr=stderr,
                env=_env(),
                cwd=ROOT,
                check=False,
            )
        error = err.read_bytes().decode("utf-8", "replace")
        if done.returncode != 0 or not result.exists():
            return Run(float("nan"), 0, done.returncode or 2, error), ""
        seconds, cpu, rss, code = result.read_text().split()
        text = out.read_bytes().decode("utf-8", "replace")
    # ru_maxrss is in KiB on Linux, in bytes on macOS
    scale = 1 if sys.platform == "darwin" else 1024
    return Run(float(seconds), int(rss) * scale, int(code), error, float(cpu)), text


def _report(m: Measurement, extra: str = "") -> None:
    status = f"best {_secs(m.best)}, peak {m.peak / MIB:.0f} MiB{extra}"
    if m.failed:
        status = f"FAILED (exit {m.failed.code}): {_last_line(m.failed.stderr)}"
    print(f"  {m.label}: {status}", file=sys.stderr, flush=True)


def measure(label: str, cmd: Sequence[str], runs: int, python: Path) -> Measurement:
    m = Measurement(label)
    for _ in range(max(1, runs)):
        run, _ = run_once(cmd, python)
        m.runs.append(run)
        if run.code != 0:
            break
    _report(m)
    return m


NAIVE = """\
import sys, time
import yaml
files = sys.argv[1:]
data = []
start, cpu = time.perf_counter(), time.process_time()
for name in files:
    with open(name, "rb") as f:
        data.append(yaml.load(f, Loader=yaml.CSafeLoader))
print(repr(time.perf_counter() - start), repr(time.process_time() - cpu))
"""


def naive_run(project: Path, python: Path) -> Run:
    """One bare CSafeLoader parse of every YAML file of `project`, timed inside a fresh Python
    process (after `import yaml`) with the default garbage collector, the data kept until the
    last file is read. Its peak memory includes the interpreter."""
    files = [str(p) for p in yaml_files(project)]
    run, out = run_once([str(python), "-c", NAIVE, *files], python)
    if run.code == 0:
        wall, cpu = out.split()
        run.seconds, run.cpu = float(wall), float(cpu)
    return run


def interleaved(
    audit: Measurement,
    naive: Measurement,
    cmd: Sequence[str],
    project: Path,
    runs: int,
    python: Path,
) -> None:
    """The audit and the naive parse, one run of each in turn, so that both see the same
    machine (other processes come and go) when the best of each is compared."""
    for _ in range(max(1, runs)):
        run, _ = run_once(cmd, python)
        audit.runs.append(run)
        naive.runs.append(naive_run(project, python))
        if audit.failed or naive.failed:
            break
    _report(audit)
    _report(naive, f" ({len(yaml_files(project))} files)")


def yaml_files(project: Path) -> list[Path]:
    """The YAML files tpm reads (docs/file-formats.md): tpm.yaml, touchpoints/** and journeys/**."""
    files = [project / "tpm.yaml"]
    for folder in ("touchpoints", "journeys"):
        files += generate._yaml_files(project, folder)
    return files


def diff_repository(project: Path, target: Path) -> Path:
    """A git repository holding `project` in one commit, with one touchpoint file changed in
    the working tree (the first touchpoint of the first file renamed)."""
    shutil.copytree(project, target)
    env = {
        **_env(),
        "GIT_AUTHOR_NAME": "bench",
        "GIT_AUTHOR_EMAIL": "bench@example.org",
        "GIT_COMMITTER_NAME": "bench",
        "GIT_COMMITTER_EMAIL": "bench@example.org",
    }
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "the organisation"]):
        subprocess.run(["git", *args], cwd=target, env=env, check=True, capture_output=True)
    first = generate._yaml_files(target, "touchpoints")[0]
    text = first.read_text(encoding="utf-8")
    at = text.index("name:")
    end = text.index("\n", at)
    first.write_text(text[:end] + " (renamed)" + text[end:], encoding="utf-8")
    return target


# -- the project cache ---------------------------------------------------------------------------


def org_project(out: Path, size: str, seed: int) -> Path:
    units, touchpoints, journeys = generate.SIZES[size]
    target = out / f"{size}-seed{seed}"
    want = generate.stamp(units, touchpoints, journeys, seed, dt.date.fromisoformat(AS_OF))
    if _stamp(target) != want:
        start = time.perf_counter()
        generate.generate_org(target, units, touchpoints, journeys, seed, want_date(want))
        print(f"  generated {size} in {_secs(time.perf_counter() - start)}", file=sys.stderr)
    return target


def score_project(out: Path, size: str, seed: int, rows: int) -> Path:
    """The `size` project with `rows` response rows in responses/pulse.csv."""
    units, touchpoints, journeys = generate.SIZES[size]
    target = out / f"score-{size}-seed{seed}-rows{rows}"
    want = generate.stamp(units, touchpoints, journeys, seed, dt.date.fromisoformat(AS_OF))
    want["rows"] = rows
    csv = target / "responses" / "pulse.csv"
    if _stamp(target) != want or not csv.is_file():
        start = time.perf_counter()
        generate.generate_org(target, units, touchpoints, journeys, seed, want_date(want))
        generate.generate_responses(target, csv, rows, seed, want_date(want))
        (target / generate.STAMP_FILE).write_text(json.dumps(want, indent=2, sort_keys=True))
        took = _secs(time.perf_counter() - start)
        print(f"  generated {size} with {rows:,} response rows in {took}", file=sys.stderr)
    return target


def want_date(stamp: dict[str, Any]) -> dt.date:
    return dt.date.fromisoformat(stamp["as_of"])


def _stamp(project: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((project / generate.STAMP_FILE).read_text())
    except (OSError, ValueError):
        return None
    for key in ("files", "bytes"):
        data.pop(key, None)
    return data  # type: ignore[no-any-return]


def project_size(project: Path) -> tuple[int, int]:
    files = yaml_files(project)
    return len(files), sum(p.stat().st_size for p in files)


# -- the machine ---------------------------------------------------------------------------------


def machine(python: Path) -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024**2:.1f} GiB"
                break
    except OSError:
        pass
    os_name = platform.platform()
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                os_name = f"{line.split('=', 1)[1].strip(chr(34))} (Linux {platform.release()})"
    except OSError:
        pass
    probe = (
        "import sys, yaml; "
        "print(sys.version.split()[0], yaml.__version__, "
        "'with libyaml' if getattr(yaml, '__with_libyaml__', False) else 'WITHOUT libyaml')"
    )
    info = (
        subprocess.run([str(python), "-c", probe], capture_output=True, text=True, check=False)
        .stdout.strip()
        .split(maxsplit=2)
    )
    python_version, pyyaml, libyaml = [*info, "?", "?", "?"][:3]
    return {
        "CPU": cpu,
        "cores": str(os.cpu_count()),
        "memory": memory,
        "OS": os_name,
        "Python": python_version,
        "PyYAML": f"{pyyaml} ({libyaml})",
    }


def commit(tree: Path = ROOT) -> str:
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=tree, capture_output=True, text=True, check=False
        ).stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return head + ("+dirty" if git("status", "--porcelain", "--untracked-files=no") else "")


# -- the figures ---------------------------------------------------------------------------------


@dataclass
class Figure:
    name: str
    measured: str
    target: str
    met: bool | None  # None: no target applies (or the measurement failed: see `error`)
    error: str | None = None
    cpu: str = ""  # the same figure from CPU times (less sensitive to a busy machine)

    @property
    def verdict(self) -> str:
        if self.error:
            return "FAILED"
        return "n/a" if self.met is None else ("yes" if self.met else "NO")


def _secs(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _ratio(a: float, b: float, digits: int = 3) -> str:
    return f"{a / b:.{digits}f} ({_secs(a)} / {_secs(b)})"


def _mib(size: int) -> str:
    return f"{size / MIB:.0f} MiB"


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:200] if lines else "(no message)"


def _error(*ms: Measurement) -> str | None:
    for m in ms:
        if m.failed:
            return f"{m.label}: exit {m.failed.code}: {_last_line(m.failed.stderr)}"
    return None


def _check(value: float, target: float, applies: bool = True) -> bool | None:
    return (value <= target) if applies else None


@dataclass
class Options:
    sizes: list[str]
    runs: int
    version_runs: int
    rows: int
    seed: int
    out: Path
    quick: bool
    baseline: Path | None = None  # a checkout of an earlier tpm to compare `tpm score` with
    pictures_only: bool = False  # only the pictures' figures (report, journey maps, views)


def audit_command(tpm: Path) -> tuple[str, list[str]]:
    """`audit` once `tpm audit --help` works; `validate` in its place until then."""
    probe = subprocess.run(
        [str(tpm), "audit", "--help"], capture_output=True, env=_env(), check=False
    )
    if probe.returncode == 0:
        return "audit", ["audit", "--fail-on", "never", "--format", "json", "--as-of", AS_OF]
    return "validate", ["validate", "--format", "json"]


def pictures(opts: Options, tpm: Path, python: Path, details: dict[str, Any]) -> list[Figure]:
    """`tpm report` on M and L, every journey map of L, the overview and the silo matrix of L:
    whole processes, the commands of one size alternating run by run."""
    figures: list[Figure] = []
    scratch = Path(tempfile.mkdtemp(prefix="tpm-bench-pictures-"))
    for size in [s for s in ("M", "L") if s in opts.sizes]:
        project = org_project(opts.out, size, opts.seed)
        base = [str(tpm), "-C", str(project)]
        commands = {"report": [*base, "report", "-o", str(scratch / "r.html")]}
        if size == "L":
            commands["journeys"] = [*base, "diagram", "journey", "--all", "-o", str(scratch / "j")]
            commands["overview"] = [
                *base,
                "diagram",
                "org",
                "--by",
                "silo",
                "-o",
                str(scratch / "o.svg"),
            ]
            commands["matrix"] = [*base, "diagram", "silos", "-o", str(scratch / "m.svg")]
        runs = {k: Measurement(f"tpm {k} {size}") for k in commands}
        print(f"pictures {size}:", file=sys.stderr, flush=True)
        for _ in range(max(1, opts.runs)):
            for key, cmd in commands.items():
                runs[key].runs.append(run_once([*cmd, "--as-of", AS_OF], python)[0])
        for m in runs.values():
            _report(m)
        details["measurements"] += list(runs.values())
        targets = {
            "report": (f"tpm report {size}", TARGET_REPORT[size]),
            "journeys": (f"tpm diagram journey --all {size} (svg)", TARGET_JOURNEYS),
            "overview": (f"tpm diagram org --by silo {size}", TARGET_VIEW),
            "matrix": (f"tpm diagram silos {size}", TARGET_VIEW),
        }
        for key, m in runs.items():
            name, target = targets[key]
            figures.append(
                Figure(
                    name,
                    _secs(m.best),
                    f"≤ {target:g} s",
                    _check(m.best, target),
                    _error(m),
                    _secs(m.best_cpu),
                )
            )
    shutil.rmtree(scratch, ignore_errors=True)
    return figures


def benchmark(opts: Options, tpm: Path, python: Path) -> tuple[list[Figure], dict[str, Any]]:
    command, args = audit_command(tpm)
    details: dict[str, Any] = {"command": command, "args": args, "sizes": {}, "measurements": []}
    figures: list[Figure] = []
    details["load_before"] = _load()
    true = shutil.which("true") or "/bin/true"
    details["floor"] = run_once([true], python)[0].max_rss
    scratch = Path(tempfile.mkdtemp(prefix="tpm-bench-"))
    result = scratch / "findings.json"

    def tpm_cmd(project: Path, *rest: str) -> list[str]:
        return [str(tpm), "-C", str(project), *rest]

    if opts.pictures_only:
        details["sizes"] = {}
        for size in opts.sizes:
            project = org_project(opts.out, size, opts.seed)
            files, size_bytes = project_size(project)
            details["sizes"][size] = (*generate.SIZES[size], files, size_bytes)
        figures = pictures(opts, tpm, python, details)
        details["load_after"] = _load()
        return figures, details
    audits: dict[str, Measurement] = {}
    naives: dict[str, Measurement] = {}
    for size in opts.sizes:
        print(f"{size}:", file=sys.stderr, flush=True)
        project = org_project(opts.out, size, opts.seed)
        files, size_bytes = project_size(project)
        units, touchpoints, journeys = generate.SIZES[size]
        details["sizes"][size] = (units, touchpoints, journeys, files, size_bytes)
        audits[size] = Measurement(f"tpm {command} {size}")
        naives[size] = Measurement(f"naive parse {size}")
        cmd = tpm_cmd(project, *args, "--output", str(result))
        interleaved(audits[size], naives[size], cmd, project, opts.runs, python)
        details["measurements"] += [audits[size], naives[size]]

    for size in opts.sizes:
        a, n = audits[size], naives[size]
        error = _error(a, n)
        ratio = a.best / n.best if not error else float("nan")
        figures.append(
            Figure(
                f"tpm {command} {size} / naive parse {size}",
                f"{ratio:.3f} ({_secs(a.best)} / {_secs(n.best)})" if not error else "-",
                f"≤ {TARGET_RATIO:.1f}" + ("" if size == "L" else " (on L)"),
                _check(ratio, TARGET_RATIO, size == "L"),
                error,
                _ratio(a.best_cpu, n.best_cpu) if not error else "",
            )
        )
    if "L" in audits and "M" in audits:
        a_l, a_m = audits["L"], audits["M"]
        error = _error(a_l, a_m)
        growth = a_l.best / a_m.best if not error else float("nan")
        figures.append(
            Figure(
                f"growth: tpm {command} L / M",
                f"{growth:.2f} ({_secs(a_l.best)} / {_secs(a_m.best)})" if not error else "-",
                f"≤ {TARGET_GROWTH:g}",
                _check(growth, TARGET_GROWTH),
                error,
                _ratio(a_l.best_cpu, a_m.best_cpu, 2) if not error else "",
            )
        )

    biggest = opts.sizes[-1]
    print(f"tpm diff HEAD on {biggest}, one file changed:", file=sys.stderr, flush=True)
    repo = diff_repository(org_project(opts.out, biggest, opts.seed), scratch / "diff-repo")
    diffs = Measurement(f"tpm diff HEAD {biggest}")
    audit_repo = Measurement(f"tpm {command} {biggest} (the diff's working tree)")
    diff_cmd = tpm_cmd(repo, "diff", "HEAD", "--format", "json", "--as-of", AS_OF)
    diff_cmd += ["--output", str(scratch / "diff.json")]
    audit_cmd = tpm_cmd(repo, *args, "--output", str(result))
    for _ in range(max(1, opts.runs)):  # alternate, so that both see the same machine
        diffs.runs.append(run_once(diff_cmd, python)[0])
        audit_repo.runs.append(run_once(audit_cmd, python)[0])
        if diffs.failed or audit_repo.failed:
            break
    _report(diffs)
    _report(audit_repo)
    details["measurements"] += [diffs, audit_repo]
    error = _error(diffs, audit_repo)
    times = diffs.best / audit_repo.best if not error else float("nan")
    figures.append(
        Figure(
            f"tpm diff HEAD {biggest} (one file changed) / tpm {command} {biggest}",
            _ratio(diffs.best, audit_repo.best, 2) if not error else "-",
            f"≤ {TARGET_DIFF:g}" + ("" if biggest == "L" else " (on L)"),
            _check(times, TARGET_DIFF, biggest == "L"),
            error,
            _ratio(diffs.best_cpu, audit_repo.best_cpu, 2) if not error else "",
        )
    )

    print("tpm --version, example project:", file=sys.stderr, flush=True)
    version = measure("tpm --version", [str(tpm), "--version"], opts.version_runs, python)
    figures.append(
        Figure(
            "tpm --version",
            _secs(version.best),
            f"≤ {_secs(TARGET_VERSION)}",
            _check(version.best, TARGET_VERSION),
            _error(version),
            _secs(version.best_cpu),
        )
    )
    example_args = [*args, "--output", str(result)]
    example = measure(f"tpm {command} (example)", tpm_cmd(ROOT, *example_args), opts.runs, python)
    figures.append(
        Figure(
            f"tpm {command} of the example project",
            _secs(example.best),
            f"≤ {_secs(TARGET_EXAMPLE)}",
            _check(example.best, TARGET_EXAMPLE),
            _error(example),
            _secs(example.best_cpu),
        )
    )
    details["measurements"] += [version, example]

    quarter = max(1, opts.rows // 4)
    print(f"tpm score ({opts.rows:,} and {quarter:,} rows):", file=sys.stderr, flush=True)
    scores: dict[int, Measurement] = {}
    for rows in (opts.rows, quarter):
        project = score_project(opts.out, "S", opts.seed, rows)
        cmd = tpm_cmd(project, "score", "--format", "json", "--as-of", AS_OF)
        scores[rows] = measure(f"tpm score, {rows:,} rows", cmd, opts.runs, python)
        details["measurements"].append(scores[rows])
    full, part = scores[opts.rows], scores[quarter]
    at_million = opts.rows >= 1_000_000
    figures.append(
        Figure(
            f"tpm score, {opts.rows:,} rows",
            _secs(full.best),
            f"≤ {TARGET_SCORE:g} s" + ("" if at_million else " (at 1,000,000 rows)"),
            _check(full.best, TARGET_SCORE, at_million),
            _error(full),
            _secs(full.best_cpu),
        )
    )
    growth = full.peak / part.peak
    figures.append(
        Figure(
            f"tpm score peak memory, {opts.rows:,} / {quarter:,} rows",
            f"{growth:.2f} ({_mib(full.peak)} / {_mib(part.peak)})",
            f"flat (≤ {TARGET_FLAT:g})",
            _check(growth, TARGET_FLAT),
            _error(full, part),
        )
    )
    if opts.baseline is not None:
        figures.append(compare_score(opts, python, details))
    a = audits[biggest]
    figures.append(
        Figure(
            f"tpm {command} {biggest} peak memory",
            _mib(a.peak),
            "≤ 1 GiB" + ("" if biggest == "L" else " (on L)"),
            _check(a.peak, TARGET_MEMORY, biggest == "L"),
            _error(a),
        )
    )
    figures += pictures(opts, tpm, python, details)
    shutil.rmtree(scratch, ignore_errors=True)
    details["load_after"] = _load()
    return figures, details


BASELINE_TARGET = 1.2  # a change may cost `tpm score` at most this factor

# tpm's console script, run from a given source tree (this one, or the baseline checkout)
FROM_TREE = (
    "import sys; sys.path.insert(0, sys.argv.pop(1)); from tpm.__main__ import entry; entry()"
)


def compare_score(opts: Options, python: Path, details: dict[str, Any]) -> Figure:
    """`tpm score` of the full response file from this tree and from the baseline checkout,
    one run of each in turn (the machine is shared: both see the same load), compared by the
    median of the runs."""
    assert opts.baseline is not None
    project = score_project(opts.out, "S", opts.seed, opts.rows)
    args = ["-C", str(project), "score", "--format", "json", "--as-of", AS_OF]
    base = commit(opts.baseline)
    now = Measurement(f"tpm score, {opts.rows:,} rows, this tree (alternating)")
    before = Measurement(f"tpm score, {opts.rows:,} rows, baseline {base} (alternating)")
    print(f"tpm score against the baseline {base}:", file=sys.stderr, flush=True)
    for _ in range(max(1, opts.runs)):
        for tree, m in ((ROOT, now), (opts.baseline, before)):
            run, _ = run_once([str(python), "-c", FROM_TREE, str(tree), *args], python)
            m.runs.append(run)
        if now.failed or before.failed:
            break
    _report(now)
    _report(before)
    details["measurements"] += [now, before]
    error = _error(now, before)
    ratio = now.median / before.median if not error else float("nan")
    return Figure(
        f"tpm score, {opts.rows:,} rows / baseline {base} (medians)",
        f"{ratio:.3f} ({_secs(now.median)} / {_secs(before.median)})" if not error else "-",
        f"≤ {BASELINE_TARGET:g}",
        _check(ratio, BASELINE_TARGET),
        error,
        _ratio(now.median_cpu, before.median_cpu) if not error else "",
    )


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


# -- output --------------------------------------------------------------------------------------


def table_text(figures: Sequence[Figure]) -> str:
    rows = [("figure", "measured", "target", "met?", "from cpu times")]
    rows += [(f.name, f.measured, f.target, f.verdict, f.cpu) for f in figures]
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    errors = [f"{f.name}: {f.error}" for f in figures if f.error]
    return "\n".join(lines + errors)


def table_markdown(figures: Sequence[Figure]) -> str:
    lines = [
        "| figure | measured | target | met? | from cpu times |",
        "|---|---|---|---|---|",
    ]
    for f in figures:
        verdict = f"**{f.verdict}**" if f.verdict in ("NO", "FAILED") else f.verdict
        lines.append(f"| {f.name} | {f.measured} | {f.target} | {verdict} | {f.cpu} |")
    errors = [f"- {f.name}: `{f.error}`" for f in figures if f.error]
    return "\n".join(lines + (["", *errors] if errors else []))


def markdown(
    figures: Sequence[Figure],
    details: dict[str, Any],
    opts: Options,
    tpm_version: str,
    box: dict[str, str],
) -> str:
    command = details["command"]
    parts = [
        "# Benchmarks",
        "",
        "The figures of docs/performance.md, measured by `benchmarks/run.py` in one run on the",
        "same files.",
        "Times are wall-clock, best of the runs, and the targets are judged on them; memory is",
        "the peak resident set size of the process. The last column gives the same figure from",
        "the CPU time (user + system) of the processes, which a busy machine disturbs less.",
        "Do not edit by hand: run `make bench`.",
        "",
        f"- Date: {dt.date.today().isoformat()}",
        f"- Commit: {commit()} ({tpm_version})",
        f"- Machine: {box['CPU']}, {box['cores']} cores, {box['memory']}",
        f"- OS: {box['OS']}",
        f"- Python {box['Python']}, PyYAML {box['PyYAML']}",
        f"- Runs: best of {opts.runs} (`tpm --version`: best of {opts.version_runs}); "
        f"dates judged as of {AS_OF}",
        f"- Load average (1, 5, 15 min) before: {details['load_before']}, after: "
        f"{details['load_after']} (other processes on the machine make the times noisier)",
    ]
    if command != "audit":
        parts += [
            "",
            f"> `tpm audit` did not exist when this was measured: `tpm {command}` stands in "
            "for it. Run the benchmark again once it does.",
        ]
    parts += ["", "## Results", "", table_markdown(figures), "", "## Data", ""]
    parts += [
        f"Generated by `benchmarks/generate.py` (generator version "
        f"{generate.GENERATOR_VERSION}, seed {opts.seed}); no response files in the S, M and L "
        "projects.",
        "",
        "| size | units | touchpoints | journeys | YAML files | YAML bytes |",
        "|---|---|---|---|---|---|",
    ]
    for size, (units, tps, journeys, files, size_bytes) in details["sizes"].items():
        parts.append(
            f"| {size} | {units:,} | {tps:,} | {journeys:,} | {files} | {size_bytes / 1e6:.1f} MB |"
        )
    quarter = max(1, opts.rows // 4)
    parts += [
        "",
        f"`tpm score` reads the S project with a response file of {opts.rows:,} rows "
        f"(and of {quarter:,} rows for the memory comparison): pulse waves every eight weeks, "
        "respondents in units, five dimensions per answered touchpoint, ~10 % eNPS rows.",
        "",
        "## Every run",
        "",
        "| measurement | runs | peak memory |",
        "|---|---|---|",
    ]
    for m in details["measurements"]:
        parts.append(f"| {m.label} | {m.times()} | {_mib(m.peak)} |")
    parts += [
        "",
        "The naive parse is `yaml.load(f, Loader=yaml.CSafeLoader)` of every YAML file of the "
        "project (tpm.yaml, touchpoints/\\*\\*, journeys/\\*\\*; opened in binary mode), timed "
        "inside one Python process with the default garbage collector, keeping the parsed "
        "data until the last file is read; its peak memory includes the interpreter. Audit "
        "and naive runs alternate. Every command is spawned from a small wrapper process that "
        "times it and reads its peak RSS with `wait4` (the kernel counts the spawning image "
        f"into a child's peak: the floor of these figures is {_mib(details['floor'])}, "
        "the peak of `/bin/true`).",
        f"`tpm {command}` runs as `tpm -C PROJECT {' '.join(details['args'])} --output FILE`, "
        "a fresh process each run.",
        "",
        "## How to reproduce",
        "",
        "```",
        "make bench          # all figures, rewrites BENCHMARKS.md (a few minutes)",
        "make bench-smoke    # S only, one run each: checks that the benchmark still works",
        "```",
        "",
        "or `.venv/bin/python benchmarks/run.py [--sizes S,M,L] [--runs 3] [--rows 1000000]`. "
        "Generated projects are cached in `benchmarks/out/` (git-ignored) and made again when "
        "the generator changes. Make a project yourself with "
        "`python benchmarks/generate.py org --size L --seed 1 --out DIR` and responses with "
        "`python benchmarks/generate.py responses --project DIR --rows 1000000 --seed 1 "
        "--out FILE`.",
        "",
    ]
    return "\n".join(parts)


def write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# -- command line --------------------------------------------------------------------------------


def _bin(name: str) -> Path:
    """The venv's `name`: beside this interpreter when tpm is installed there, else in the
    repository's .venv."""
    here = Path(sys.executable).parent
    return (here if (here / "tpm").exists() else ROOT / ".venv" / "bin") / name


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="run.py", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=None, help="comma-separated sizes (default S,M,L)")
    parser.add_argument("--runs", type=int, default=None, help="runs per figure (default 3)")
    parser.add_argument("--rows", type=int, default=None, help="response rows (default 1000000)")
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="S only, one run each, 20,000 response rows; prints the table, writes no file",
    )
    parser.add_argument(
        "--out-dir", type=Path, default=HERE / "out", help="cache of generated projects"
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument(
        "--baseline",
        type=Path,
        default=None,
        help="a checkout of an earlier tpm (git worktree add DIR REF): `tpm score` of the full "
        "response file is timed from both trees in turn and compared",
    )
    parser.add_argument(
        "--pictures",
        action="store_true",
        help="only the pictures' figures (report on M and L, journey maps, overview and matrix "
        "of L); prints the table and writes BENCHMARKS-pictures.md",
    )
    args = parser.parse_args(argv)

    try:
        sizes = list(generate.iter_sizes(args.sizes or ("S" if args.quick else "S,M,L")))
    except ValueError as exc:
        parser.error(str(exc))
    order = list(generate.SIZES)
    sizes = sorted(dict.fromkeys(sizes), key=order.index)
    opts = Options(
        sizes=sizes,
        runs=args.runs or (1 if args.quick else 3),
        version_runs=1 if args.quick else max(10, args.runs or 0),
        rows=args.rows or (20_000 if args.quick else 1_000_000),
        seed=args.seed,
        out=args.out_dir.resolve(),
        quick=args.quick,
        baseline=args.baseline.resolve() if args.baseline else None,
        pictures_only=args.pictures,
    )
    tpm, python = _bin("tpm"), _bin("python")
    if not tpm.exists():
        print(f"run.py: {tpm} not found: run 'make setup' first", file=sys.stderr)
        return 2
    opts.out.mkdir(parents=True, exist_ok=True)
    tpm_version = subprocess.run(
        [str(tpm), "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()

    busy = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    if busy > 0.5 * (os.cpu_count() or 1):
        print(
            f"note: the machine is busy (load average {busy:.1f} on {os.cpu_count()} cores): "
            "wall-clock times will be noisy; compare the cpu-time column",
            file=sys.stderr,
        )
    figures, details = benchmark(opts, tpm, python)
    print()
    print(table_text(figures))
    if not opts.quick:
        text = markdown(figures, details, opts, tpm_version, machine(python))
        name = "BENCHMARKS-pictures.md" if opts.pictures_only else "BENCHMARKS.md"
        write_atomic(ROOT / name, text)
        print(f"\nwrote {ROOT / name}")
    if any(f.error for f in figures):
        return 1
    if args.check and any(f.met is False for f in figures):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
