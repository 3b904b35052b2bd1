"""Benchmark ``sales-policy check`` on a generated month, against a plain polars read.

    python benchmarks/bench_check.py                       # 10,000 employees, ~410,000 punches
    python benchmarks/bench_check.py --punches 1000000     # sized for a million punches
    python benchmarks/bench_check.py --employees 2000 --workdir /tmp/bench-2k --repeat 5
    python benchmarks/bench_check.py --employees 2000 --month 2026-01 --months 12  # a year

Generates the data with ``benchmarks/generate.py`` when the work directory does not hold it
yet (with ``--months``, a span exported month by month: a folder of files per month, checked
together with ``--from``/``--to``), then measures and prints (it asserts nothing):

(a) wall time of ``sales-policy check DIR/*.csv --format jsonl -o /dev/null --period MONTH``
    as a subprocess (best of ``--repeat``, after one warm-up run; bytecode caching on even
    where PYTHONDONTWRITEBYTECODE is set, as for an installed package), and punch rows per
    second;
(b) wall time of a subprocess that only imports polars and ``pl.read_csv``s the same files
    (best of ``--repeat``), and the ratio a / b: what the checker costs beyond reading; also
    the median ratio of ``--repeat`` alternated pairs (a check, then a read), which a shared
    machine's drift in speed between (a)'s runs and (b)'s does not skew;
(c) in-process: ``sales_policy.load_policy().check([paths], start=..., end=...)`` against
    ``pl.read_csv`` of the same files, both best of ``--repeat`` in this process, and the
    check's punch rows per second;
(d) peak resident memory of the check subprocess (and of the read-only baseline), taken
    from ``os.wait4`` on exactly that child.
(e) each target of docs/performance.md (punch rows per second, the ratio to the bare read,
    the peak memory for a million punches) against those figures, met or not, and what the
    rate target asks of this data as a ratio to the bare read.

A part whose command or API is missing is reported as SKIPPED with what to do, and the other
parts still run; the exit status is then 1.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: polars' allocator settings as this process was given them: importing polars (here, by the
#: generator) writes its own defaults into the environment, which the children must not get
ALLOCATOR_VARIABLE = "_RJEM_MALLOC_CONF"
GIVEN_ALLOCATOR_SETTINGS = os.environ.get(ALLOCATOR_VARIABLE)
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (the generator beside this file)

FILES = ["employees", "punches", "leave_requests", "overtime_requests", "customer_visits"]
#: the targets docs/performance.md measures against: punch rows per second end to end, the
#: ratio to the bare read, and the peak memory for a million punches
TARGET_RATE = 1_000_000
TARGET_RATIO = 3.0
TARGET_PEAK_BYTES = 1.5e9
TARGET_MEMORY_PUNCHES = 1_000_000
READ_ONLY = "import sys\nimport polars as pl\nfor path in sys.argv[1:]:\n    pl.read_csv(path)\n"


@dataclass
class Run:
    seconds: float
    max_rss_kib: int
    returncode: int
    stderr: str


def child_env() -> dict[str, str]:
    """The environment of the timed children: this one, with bytecode caching on.

    Some sandboxes and CI images set PYTHONDONTWRITEBYTECODE, which makes every run compile
    the package's modules from source again (~0.1 s); an installed package has its bytecode
    (pip compiles it), so the figures are taken the way users run the command.  Polars'
    allocator settings are those this script was given, not those importing polars wrote."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop(ALLOCATOR_VARIABLE, None)
    if GIVEN_ALLOCATOR_SETTINGS is not None:
        env[ALLOCATOR_VARIABLE] = GIVEN_ALLOCATOR_SETTINGS
    return env


def run_child(command: list[str]) -> Run:
    """Run ``command``, timing it and reading the peak RSS of exactly this child."""
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
            env=child_env(),
        )
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8", errors="replace")
    # ru_maxrss is in KiB on Linux (bytes on macOS).
    rss = usage.ru_maxrss // 1024 if sys.platform == "darwin" else usage.ru_maxrss
    return Run(elapsed, rss, proc.returncode, stderr)


def best_of(repeat: int, command: list[str]) -> tuple[Run, list[Run]]:
    """Best of ``repeat`` timed runs, after one untimed warm-up run (file cache, bytecode)."""
    run_child(command)
    runs = [run_child(command) for _ in range(repeat)]
    return min(runs, key=lambda r: r.seconds), runs


def timed(repeat: int, function):  # type: ignore[no-untyped-def]
    """Best wall time of ``function()`` over ``repeat`` calls, and its last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - started)
    return best, result


def mib(kib: int) -> str:
    return f"{kib / 1024:,.0f} MiB"


def tail(text: str, lines: int = 15) -> str:
    kept = text.strip().splitlines()[-lines:]
    return "\n".join("      | " + line for line in kept)


def span_bounds(months: list[str]) -> tuple[date, date]:
    """The first and last day of consecutive ``months``."""
    return generate.month_days(months[0])[0], generate.month_days(months[-1])[-1]


# ----------------------------------------------------------------------------- data


def ensure_data(workdir: Path, employees: int, months: list[str], seed: int) -> list[Path]:
    """The five CSVs in ``workdir`` (for several months: ``employees.csv``, and each month's
    four others in a folder of its own), generated unless the same data is already there."""
    if len(months) == 1:
        paths = [workdir / f"{name}.csv" for name in FILES]
    else:
        paths = [workdir / "employees.csv"] + [
            workdir / month / f"{name}.csv" for month in months for name in FILES[1:]
        ]
    marker = workdir / ".generated.json"
    wanted: dict[str, object] = {"employees": employees, "month": months[0], "seed": seed}
    if len(months) > 1:
        wanted["months"] = len(months)
    have_files = all(path.exists() for path in paths)
    if have_files and marker.exists() and json.loads(marker.read_text()) == wanted:
        print(f"data: reusing {workdir}")
        return paths
    if have_files and not marker.exists():
        print(f"data: using the CSVs already in {workdir} (not made by this script)")
        return paths
    span = months[0] if len(months) == 1 else f"{months[0]} to {months[-1]}"
    print(f"data: generating {employees:,} employees for {span} into {workdir} ...")
    command = [
        sys.executable,
        str(HERE / "generate.py"),
        "--employees",
        str(employees),
        "--month",
        months[0],
        "--months",
        str(len(months)),
        "--out",
        str(workdir),
        "--seed",
        str(seed),
    ]
    started = time.perf_counter()
    subprocess.run(command, check=True)
    print(f"data: generated in {time.perf_counter() - started:.1f} s")
    marker.write_text(json.dumps(wanted) + "\n")
    return paths


def count_rows(path: Path) -> int:
    with path.open("rb") as fh:
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))
    return max(0, lines - 1)


def find_cli(explicit: str | None) -> str | None:
    if explicit:
        return explicit if (shutil.which(explicit) or Path(explicit).exists()) else None
    found = shutil.which("sales-policy")
    if found:
        return found
    beside = Path(sys.executable).parent / "sales-policy"
    return str(beside) if beside.exists() else None


# ----------------------------------------------------------------------------- parts


def part_cli(
    cli: str | None, paths: list[Path], months: list[str], repeat: int, punch_rows: int
) -> Run | None:
    print("\n(a) sales-policy check, subprocess")
    if cli is None:
        print(
            "    SKIPPED: the `sales-policy` command is not on PATH, nor next to "
            f"{sys.executable}.\n"
            "    Install the package into this environment, e.g.\n"
            f"        {sys.executable} -m pip install -e {HERE.parent}\n"
            "    or name the command with --cli /path/to/sales-policy."
        )
        return None
    command = check_command(cli, paths, months)
    shown = (
        f"{paths[0].parent}/*.csv" if len(months) == 1 else f"{paths[0]} {paths[0].parent}/*/*.csv"
    )
    options = command[len(paths) + 2 :]
    print(f"    $ {' '.join(command[:2])} {shown} {' '.join(options)}")
    best, runs = best_of(repeat, command)
    best.max_rss_kib = max(r.max_rss_kib for r in runs)
    # Exit status 1 may mean "violations found" (linters do that); a traceback or a usage
    # message never does.
    failed = [
        r
        for r in runs
        if r.returncode not in (0, 1)
        or "Traceback (most recent call last)" in r.stderr
        or "usage:" in r.stderr
    ]
    if failed:
        print(
            f"    FAILED: exit status {failed[0].returncode}; its stderr ends with:\n"
            f"{tail(failed[0].stderr)}"
        )
        return None
    print(
        f"    wall time, best of {repeat}: {best.seconds:.2f} s "
        f"(all: {', '.join(f'{r.seconds:.2f}' for r in runs)})"
    )
    print(f"    punch rows per second: {punch_rows / max(best.seconds, 1e-9):,.0f}")
    if best.returncode == 1:
        print(
            "    note: exit status 1, read as 'violations found'; if the CLI means "
            "failure by it, these numbers are meaningless"
        )
    if best.stderr.strip():
        print(f"    stderr of the best run ends with:\n{tail(best.stderr, 5)}")
    return best


def read_command(paths: list[Path]) -> list[str]:
    return [sys.executable, "-c", READ_ONLY, *map(str, paths)]


def check_command(cli: str, paths: list[Path], months: list[str]) -> list[str]:
    first, last = span_bounds(months)
    period = (
        ["--period", months[0]] if len(months) == 1 else ["--from", str(first), "--to", str(last)]
    )
    return [
        cli,
        "check",
        *map(str, paths),
        "--format",
        "jsonl",
        "-o",
        os.devnull,
        *period,
    ]


def part_paired(cli: str, paths: list[Path], months: list[str], repeat: int) -> float:
    """The ratio of a check to a read run just after it, ``repeat`` times: a shared machine's
    speed drifts between (a)'s runs and (b)'s, and each pair sees about the same machine."""
    check, read = check_command(cli, paths, months), read_command(paths)
    ratios = sorted(run_child(check).seconds / run_child(read).seconds for _ in range(repeat))
    middle = statistics.median(ratios)
    print(
        f"    ratio of alternated runs (a check, then a read, {repeat} times): "
        f"median {middle:.1f}x (from {ratios[0]:.1f}x to {ratios[-1]:.1f}x)"
    )
    return middle


def part_read_baseline(paths: list[Path], repeat: int) -> Run:
    print("\n(b) import polars + pl.read_csv of the same files, subprocess")
    best, runs = best_of(repeat, read_command(paths))
    best.max_rss_kib = max(r.max_rss_kib for r in runs)
    if best.returncode != 0:
        print(f"    FAILED: exit status {best.returncode}:\n{tail(best.stderr)}")
    print(
        f"    wall time, best of {repeat}: {best.seconds:.2f} s "
        f"(all: {', '.join(f'{r.seconds:.2f}' for r in runs)})"
    )
    return best


def part_in_process(paths: list[Path], months: list[str], repeat: int, punch_rows: int) -> bool:
    print("\n(c) in process: load_policy().check(...) vs pl.read_csv")
    import polars as pl

    read_best, _ = timed(repeat, lambda: [pl.read_csv(path) for path in paths])
    print(f"    pl.read_csv of the {len(paths)} files, best of {repeat}: {read_best:.2f} s")
    started = time.perf_counter()
    try:
        import sales_policy
    except ImportError as error:
        print(
            f"    check SKIPPED: `import sales_policy` failed ({error}).\n"
            "    Install the package into this environment, e.g.\n"
            f"        {sys.executable} -m pip install -e {HERE.parent}"
        )
        return False
    imported = time.perf_counter() - started
    if not hasattr(sales_policy, "load_policy"):
        print("    check SKIPPED: sales_policy has no `load_policy` yet.")
        return False
    start, end = span_bounds(months)
    started = time.perf_counter()
    policy = sales_policy.load_policy()
    loaded = time.perf_counter() - started
    try:
        check_best, result = timed(
            repeat, lambda: policy.check([str(p) for p in paths], start=start, end=end)
        )
    except Exception as error:  # report whatever the library raises, do not hide it
        print(f"    check FAILED: {type(error).__name__}: {error}")
        return False
    print(f"    import sales_policy: {imported:.2f} s; load_policy(): {loaded:.2f} s")
    print(
        f"    policy.check(..., start={start}, end={end}), best of {repeat}: "
        f"{check_best:.2f} s  ({check_best / read_best:.1f}x the read)"
    )
    print(f"    punch rows per second: {punch_rows / max(check_best, 1e-9):,.0f}")
    findings = getattr(result, "findings", None)
    if findings is not None and hasattr(findings, "__len__"):
        print(f"    findings: {len(findings):,}")
    return True


def part_targets(punch_rows: int, check: Run, baseline: Run, paired: float) -> None:
    """Each speed and memory target of docs/performance.md against the figures above."""
    print("\n(e) the targets")

    def verdict(met: bool) -> str:
        return "met" if met else "NOT met"

    rate = punch_rows / max(check.seconds, 1e-9)
    print(
        f"    at least {TARGET_RATE:,} punch rows/s end to end: {rate:,.0f} (best run), "
        f"{verdict(rate >= TARGET_RATE)}"
    )
    # What the target asks of this data: a check that takes no longer than this.
    allowed = punch_rows / TARGET_RATE
    print(
        f"      the bare read alone gives {punch_rows / max(baseline.seconds, 1e-9):,.0f} "
        f"punch rows/s; {TARGET_RATE:,}/s here means a check of at most {allowed:.2f} s, "
        f"{allowed / max(baseline.seconds, 1e-9):.1f}x the bare read"
    )
    print(
        f"    within {TARGET_RATIO:g}x of the bare read: {paired:.2f}x (median of alternated "
        f"runs), {verdict(paired <= TARGET_RATIO)}"
    )
    peak = check.max_rss_kib * 1024
    if abs(punch_rows - TARGET_MEMORY_PUNCHES) <= TARGET_MEMORY_PUNCHES // 20:  # --punches 1000000
        print(
            f"    peak memory under {TARGET_PEAK_BYTES / 1e9:g} GB for "
            f"{TARGET_MEMORY_PUNCHES:,} punches: {mib(check.max_rss_kib)}, "
            f"{verdict(peak < TARGET_PEAK_BYTES)}"
        )
    else:
        print(
            f"    peak memory: the target is for {TARGET_MEMORY_PUNCHES:,} punches, this data "
            f"has {punch_rows:,}; measure it with --punches 1000000"
        )


# ----------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Benchmark `sales-policy check` on generated data (prints, asserts nothing)."
    )
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--employees", type=int, help="employees to generate (default 10000)")
    size.add_argument(
        "--punches", type=int, help="size the data for about this many punches, e.g. 1000000"
    )
    parser.add_argument("--month", default="2026-11", help="YYYY-MM (default 2026-11)")
    parser.add_argument(
        "--months",
        type=int,
        default=1,
        help="this many months from --month, exported month by month (a folder each), "
        "checked together (default 1)",
    )
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    parser.add_argument(
        "--workdir",
        type=Path,
        help="where the data lives (default: a directory under the system "
        "temp dir named after the size)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (default 3)")
    parser.add_argument("--cli", help="the sales-policy command (default: found on PATH)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.months < 1:
        parser.error("--months must be at least 1")
    months = generate.following_months(args.month, args.months)

    if args.punches is not None:  # over the whole span: a month's share of them per month
        employees = generate.employees_for_punches(-(-args.punches // args.months), args.month)
    else:
        employees = args.employees if args.employees is not None else 10_000
    span = "" if args.months == 1 else f"-{args.months}m"
    workdir = args.workdir or Path(tempfile.gettempdir()) / (
        f"sales-policy-bench-{args.month}{span}-{employees}e-s{args.seed}"
    )

    paths = ensure_data(workdir, employees, months, args.seed)
    punch_rows = sum(count_rows(path) for path in paths if path.name == "punches.csv")
    total_rows = sum(count_rows(path) for path in paths)
    size_mib = sum(path.stat().st_size for path in paths) / 2**20
    print(f"data: {punch_rows:,} punches, {total_rows:,} rows in all, {size_mib:,.1f} MiB")

    cli = find_cli(args.cli)
    check = part_cli(cli, paths, months, args.repeat, punch_rows)
    baseline = part_read_baseline(paths, args.repeat)
    if check is not None:
        print(f"    ratio check / read: {check.seconds / baseline.seconds:.1f}x (best / best)")
        assert cli is not None
        paired = part_paired(cli, paths, months, args.repeat)
        if check.seconds < baseline.seconds:
            print(
                "    warning: the check took less time than just reading its input: "
                "did it really read the files?"
            )
    in_process = part_in_process(paths, months, args.repeat, punch_rows)

    print("\n(d) peak resident memory (os.wait4 on the child, highest of the runs)")
    if check is not None:
        print(f"    sales-policy check: {mib(check.max_rss_kib)}")
    else:
        print("    sales-policy check: SKIPPED (see (a))")
    print(f"    read-only baseline: {mib(baseline.max_rss_kib)}")
    if check is not None:
        part_targets(punch_rows, check, baseline, paired)
    return 0 if check is not None and in_process else 1


if __name__ == "__main__":
    sys.exit(main())
