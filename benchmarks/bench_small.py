"""Benchmark ``policy.check`` on small inputs: what an HR system pays per call.

    python benchmarks/bench_small.py              # 200 calls of each kind
    python benchmarks/bench_small.py --calls 50

An HR system that checks one employee at a time calls ``policy.check`` with a few records
(a day's punches, or an employee's month), where the time goes to each step's fixed cost,
not to the rows.  In one process, after warm-up calls, this prints the median and the best
time per call (it asserts nothing) for:

(a) three records as dicts: an employee record and a day's two punches;
(b) each employee's month of the bundled example (``examples/november-2026``) as dicts, one
    call per employee: their punches, requests and visits;
(c) the whole example month, its five CSV files by path.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sales_policy

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "november-2026"
TYPES = {
    "employees.csv": "employee",
    "punches.csv": "punch",
    "leave_requests.csv": "leave_request",
    "overtime_requests.csv": "overtime_request",
    "customer_visits.csv": "customer_visit",
}
NOVEMBER = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))


def example_records() -> list[dict[str, Any]]:
    """The example month's rows as the dicts of the JSONL format (empty cell = absent)."""
    records = []
    for name, record_type in TYPES.items():
        with (EXAMPLE / name).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                fields = {key: value for key, value in row.items() if value != ""}
                records.append({"type": record_type, **fields})
    return records


def timed(calls: int, function: Callable[[], object]) -> tuple[float, float]:
    """Median and best seconds per call of ``function`` over ``calls`` calls (after 5)."""
    for _ in range(5):
        function()
    seconds = []
    for _ in range(calls):
        started = time.perf_counter()
        function()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), min(seconds)


def show(label: str, median: float, best: float) -> None:
    print(f"{label:<44} median {median * 1000:6.1f} ms   best {best * 1000:6.1f} ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=200, help="timed calls of each kind")
    args = parser.parse_args(argv)
    policy = sales_policy.load_policy()
    day = [
        {"type": "employee", "employee_id": "E1", "name": "A", "supervisor_id": "M1"},
        {
            "type": "punch",
            "employee_id": "E1",
            "at": "2026-11-02T09:05:00+08:00",
            "direction": "in",
        },
        {
            "type": "punch",
            "employee_id": "E1",
            "at": "2026-11-02T18:01:00+08:00",
            "direction": "out",
        },
    ]
    show("(a) three records", *timed(args.calls, lambda: policy.check(day)))

    records = example_records()
    employees = sorted({r["employee_id"] for r in records})
    by_employee = {e: [r for r in records if r["employee_id"] == e] for e in employees}
    medians, bests = [], []
    for employee in employees:
        rows = by_employee[employee]
        median, best = timed(
            max(args.calls // len(employees), 3), lambda rows=rows: policy.check(rows, *NOVEMBER)
        )
        medians.append(median)
        bests.append(best)
    sizes = [len(rows) for rows in by_employee.values()]
    show(
        f"(b) one employee's month ({min(sizes)}-{max(sizes)} records)",
        statistics.median(medians),
        min(bests),
    )

    paths = [EXAMPLE / name for name in TYPES]
    show(
        f"(c) the example month ({len(records)} records)",
        *timed(args.calls // 4 or 1, lambda: policy.check(paths, *NOVEMBER)),
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
