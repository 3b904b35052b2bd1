"""Benchmark the live engine (``sales_policy.live.Monitor``) against the batch engine.

    python benchmarks/bench_live.py                          # ~1,000,000 records (24,000 employees)
    python benchmarks/bench_live.py --employees 2100         # ~100,000 records
    python benchmarks/bench_live.py --time-limit 120         # stop posting after two minutes

Generates a month with ``benchmarks/generate.py`` (employees, punches, leave and overtime
requests, customer visits), puts the records in time order (employee records first, then by
the instant that dates each record) and writes them to one ``records.jsonl``.  Then, each in
its own child process (so neither's memory inflates the other's):

(a) live: one ``Monitor`` with the default policy; every record ``post``-ed in file order, and
    ``advance`` called at each local midnight (+08:00) as the records reach the next day, then
    once past the month.  Prints records per second (posting and advancing), latency per
    ``post`` (median, 99th percentile, max) and per ``advance``, resident memory before the
    first record and after the last (and the peak), the records the monitor still keeps,
    and its counts.  With ``--time-limit`` it stops posting when the limit is reached and says
    how many records it took;
(b) batch: ``load_policy().check(["records.jsonl"], start, end)`` on the same records (the
    ones (a) took), its time and peak memory;
and whether the two found the same findings (rule, employee, date, period, evidence, sources:
the monitor names its source after the file, so sources are comparable as they are).

It asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (the generator beside this file)

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def rss_mib() -> float:
    """Resident memory of this process now, in MiB (Linux /proc; else the peak)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return peak_mib()


def peak_mib() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def write_log(employees: int, month: str, seed: int, path: Path) -> int:
    """The month's records in time order, one JSON object a line; returns how many."""
    import polars as pl

    parts = []
    for name, frame in generate.generate(employees, month, seed).items():
        record_type = generate.TYPE_OF_FILE[name]
        if record_type == "employee":
            when = pl.lit("0000")
        else:
            when = pl.coalesce(*(pl.col(c) for c in ("at", "start") if c in frame.columns))
        parts.append(
            frame.with_columns(pl.col(pl.Date).dt.to_string()).select(
                pl.lit(record_type).alias("type"), pl.all(), when.str.slice(0, 19).alias("_when")
            )
        )
    log = pl.concat(parts, how="diagonal").sort("_when", maintain_order=True).drop("_when")
    with path.open("w", encoding="utf-8") as out:
        for row in log.iter_rows(named=True):
            out.write(json.dumps({k: v for k, v in row.items() if v is not None}) + "\n")
    return log.height


def run_live(path: Path, start: dt.date, end: dt.date, limit: float, taken: Path) -> dict[str, Any]:
    from sales_policy import load_policy
    from sales_policy.live import Monitor

    policy = load_policy()
    before = rss_mib()
    monitor = Monitor(policy, start=start, end=end, source=str(taken))  # what (b) reads
    post_ns: list[int] = []
    advance_s: list[float] = []
    findings = []
    day = start
    posted = 0
    stopped = False
    began = time.perf_counter()
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            stamp = str(record.get("at") or record.get("start") or "")[:10]
            while record["type"] == "punch" and stamp > day.isoformat():
                tick = time.perf_counter()
                findings += monitor.advance(dt.datetime.combine(day, dt.time(), tzinfo=SHANGHAI))
                advance_s.append(time.perf_counter() - tick)
                day += dt.timedelta(days=1)
            tick_ns = time.perf_counter_ns()
            findings += monitor.post(record)
            post_ns.append(time.perf_counter_ns() - tick_ns)
            posted += 1
            if limit and time.perf_counter() - began > limit:
                stopped = True
                break
    tick = time.perf_counter()
    findings += monitor.advance(
        dt.datetime.combine(end, dt.time(), tzinfo=SHANGHAI) + dt.timedelta(days=2)
    )
    advance_s.append(time.perf_counter() - tick)
    elapsed = time.perf_counter() - began
    after = rss_mib()
    counts = monitor.counts
    taken.write_text(
        "".join(line for _, line in zip(range(posted), path.open(encoding="utf-8"), strict=False)),
        encoding="utf-8",
    )
    post_ns.sort()
    keys = sorted(
        json.dumps(
            [f.rule_id, f.employee_id, str(f.date), f.period, f.evidence, list(f.sources)],
            sort_keys=True,
        )
        for f in findings
    )
    return {
        "posted": posted,
        "stopped": stopped,
        "seconds": elapsed,
        "post_median_us": statistics.median(post_ns) / 1000,
        "post_p99_us": post_ns[int(len(post_ns) * 0.99)] / 1000,
        "post_max_ms": post_ns[-1] / 1e6,
        "advances": len(advance_s),
        "advance_median_s": statistics.median(advance_s),
        "advance_max_s": max(advance_s),
        "rss_before_mib": before,
        "rss_after_mib": after,
        "peak_mib": peak_mib(),
        "kept_records": monitor._intake.size(),
        "counts": counts.__dict__,
        "errors": len(monitor.errors),
        "findings": len(findings),
        "keys": keys,
    }


def run_batch(path: Path, start: dt.date, end: dt.date) -> dict[str, Any]:
    from sales_policy import load_policy

    policy = load_policy()
    began = time.perf_counter()
    result = policy.check([path], start, end)
    findings = result.findings
    elapsed = time.perf_counter() - began
    keys = sorted(
        json.dumps(
            [f.rule_id, f.employee_id, str(f.date), f.period, f.evidence, list(f.sources)],
            sort_keys=True,
        )
        for f in findings
    )
    return {
        "seconds": elapsed,
        "read": result.counts.read,
        "rejected": result.counts.rejected,
        "findings": len(findings),
        "peak_mib": peak_mib(),
        "keys": keys,
    }


def child(part: str, args: argparse.Namespace, path: Path, out: Path) -> dict[str, Any]:
    command = [
        sys.executable,
        __file__,
        "--part",
        part,
        "--month",
        args.month,
        "--workdir",
        str(args.workdir),
        "--time-limit",
        str(args.time_limit),
        "--out",
        str(out),
    ]
    done = subprocess.run(command, check=False, capture_output=True, text=True)
    if done.returncode != 0:
        print(done.stderr, file=sys.stderr)
        raise SystemExit(f"the {part} run failed")
    return json.loads(out.read_text(encoding="utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--employees", type=int, default=24_000, help="default 24000 (~1M records)")
    parser.add_argument("--month", default="2026-11")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument(
        "--time-limit", type=float, default=0, help="stop posting after this many seconds"
    )
    parser.add_argument("--part", choices=("live", "batch"), help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    days = generate.month_days(args.month)
    start, end = days[0], days[-1]
    if args.part:
        path = args.workdir / "records.jsonl"
        taken = args.workdir / "taken.jsonl"
        if args.part == "live":
            result = run_live(path, start, end, args.time_limit, taken)
        else:
            result = run_batch(taken, start, end)
        args.out.write_text(json.dumps(result), encoding="utf-8")
        return 0

    args.workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-live-"))
    args.workdir.mkdir(parents=True, exist_ok=True)
    path = args.workdir / "records.jsonl"
    began = time.perf_counter()
    total = write_log(args.employees, args.month, args.seed, path)
    print(
        f"{args.employees:,} employees, {args.month}: {total:,} records in time order "
        f"({time.perf_counter() - began:.1f} s to generate and write {path})"
    )

    live = child("live", args, path, args.workdir / "live.json")
    batch = child("batch", args, path, args.workdir / "batch.json")
    rate = live["posted"] / live["seconds"]
    print()
    print(
        f"(a) live: {live['posted']:,} records in {live['seconds']:.1f} s = {rate:,.0f} records/s"
        + (f"  (stopped at the time limit, {args.time_limit:g} s)" if live["stopped"] else "")
    )
    print(
        f"    post latency: median {live['post_median_us']:.1f} us, "
        f"p99 {live['post_p99_us']:.1f} us, max {live['post_max_ms']:.1f} ms "
        "(the max is a post that validated a queued chunk)"
    )
    print(
        f"    advance: {live['advances']} calls, median {live['advance_median_s']:.2f} s, "
        f"max {live['advance_max_s']:.2f} s"
    )
    print(
        f"    memory: {live['rss_before_mib']:.0f} MiB before the first record, "
        f"{live['rss_after_mib']:.0f} MiB after the last (peak {live['peak_mib']:.0f} MiB); "
        f"records still kept: {live['kept_records']:,}"
    )
    print(f"    counts: {live['counts']}, errors: {live['errors']}")
    print(
        f"(b) batch: {batch['read']:,} records in {batch['seconds']:.1f} s = "
        f"{batch['read'] / batch['seconds']:,.0f} records/s, peak {batch['peak_mib']:.0f} MiB"
    )
    same = live["keys"] == batch["keys"]
    print(
        f"findings: live {live['findings']:,}, batch {batch['findings']:,}; "
        f"identical: {'yes' if same else 'NO'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
