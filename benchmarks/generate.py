"""Generate a month of synthetic attendance records for benchmarking ``sales-policy check``.

    python benchmarks/generate.py --employees 10000 --month 2026-11 --out /tmp/bench-10k
    python benchmarks/generate.py --punches 1000000 --month 2026-11 --out /tmp/bench-1m
    python benchmarks/generate.py --employees 10000 --out /tmp/bench-10k-jsonl --jsonl
    python benchmarks/generate.py --employees 2000 --month 2026-01 --months 12 --out /tmp/year

Writes the five record files of the public input format (``employees.csv``, ``punches.csv``,
``leave_requests.csv``, ``overtime_requests.csv``, ``customer_visits.csv``), or with
``--jsonl`` one ``records.jsonl`` whose lines each carry a ``"type"`` (``employee``,
``punch``, ``leave_request``, ``overtime_request``, ``customer_visit``).  With ``--months``,
a span exported month by month, as a year is often kept: ``employees.csv`` once (the first
month's, without leaving dates), which every month's events keep, and each month's four
other files in a folder of its own, their ids prefixed with the month (``generate_months``).

The month is realistic rather than clean: per employee and working day about 2 punches;
~3% of days on leave (mostly approved in advance, a few approved late, pending or rejected,
a fifth of them half days), ~0.3% absent, ~3% late and ~0.4% seriously late, ~2% early and
~0.4% seriously early, ~6% overtime (most of it approved in advance), ~0.5% missing an
out-punch, ~0.4% away from the desk for more than 30 minutes, about one customer visit per
employee and week (with a ``field`` punch), a little weekend work, ~1% of employees on
``Asia/Singapore``, ~1% hired and ~0.5% leaving during the month, ~0.5% working late every evening
(approved, but over the monthly overtime limit), and one in a thousand
in-punches written as naive local time. The rates are in ``RATES``.

Everything is vectorised with polars (no per-row Python): 10,000 employees take a few
seconds. The output is a pure function of the arguments, the seed and the polars version
(random numbers come from ``Expr.hash`` of a row number, whose values polars does not
promise to keep across releases).
"""

from __future__ import annotations

import argparse
import calendar
import hashlib
import io
import math
import sys
import time
from datetime import date
from pathlib import Path

import polars as pl

OFFSET = "+08:00"  # Asia/Shanghai and Asia/Singapore: UTC+8, no DST

RATES = {
    # per working day of an employee, exclusive outcomes
    "leave": 0.030,
    "absent": 0.003,
    # per present working day
    "late": 0.030,
    "serious_late": 0.004,
    "early": 0.020,
    "serious_early": 0.004,
    "overtime": 0.060,
    "missing_out": 0.005,
    "left_post": 0.004,  # out and back in > 30 min later, no visit
    "covered_gap": 0.004,  # the same kind of gap, covered by a customer visit
    "visit": 0.20,  # about one visit per employee and week
    "naive_timestamp": 0.001,  # in-punch written without offset
    # per weekend day of an employee
    "weekend_work": 0.01,
    # per employee
    "singapore": 0.01,
    "hired_in_month": 0.01,
    "left_in_month": 0.005,
    "crunch": 0.005,  # overtime every evening: over the month limit
}
# Of leave days: half day (morning) share, and status shares (the rest: approved in advance).
LEAVE_HALF_DAY = 0.2
LEAVE_APPROVED_LATE, LEAVE_PENDING, LEAVE_REJECTED = 0.05, 0.07, 0.03
# Of overtime days: approved in advance; approved late; pending (the rest: no request).
OVERTIME_APPROVED, OVERTIME_APPROVED_LATE, OVERTIME_PENDING = 0.80, 0.05, 0.03
# Present days with both punches, per working day: about 1 - leave - absent - missing_out/2.
PUNCHES_PER_WORKDAY = 2 * (1 - RATES["leave"] - RATES["absent"]) + 0.02

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉斌宇浩凯"
LEAVE_TYPES = ["annual", "annual", "annual", "sick", "personal"]

H = 3600
M = 60


# ----------------------------------------------------------------------------- calendar


def month_days(month: str) -> list[date]:
    year, mon = (int(x) for x in month.split("-"))
    return [date(year, mon, day) for day in range(1, calendar.monthrange(year, mon)[1] + 1)]


def working_day_test(year: int):  # type: ignore[no-untyped-def]
    """Monday-Friday, minus China's statutory holidays, plus 调休 Saturdays/Sundays, when the
    ``holidays`` package is installed; plain Monday-Friday otherwise."""
    try:
        import holidays
    except ImportError:
        return lambda day: day.weekday() < 5
    china = holidays.China(years=year)
    return china.is_working_day


def employees_for_punches(punches: int, month: str) -> int:
    """How many employees give about ``punches`` punches in ``month``."""
    days = month_days(month)
    is_working = working_day_test(days[0].year)
    workdays = sum(1 for day in days if is_working(day))
    return max(1, math.ceil(punches / (workdays * PUNCHES_PER_WORKDAY)))


# ----------------------------------------------------------------------------- randomness


class Random:
    """Independent uniform [0, 1) columns, reproducible from a seed.

    Each call draws a new stream: the hash of a row-number column under a fresh seed."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.stream = 0

    def uniform(self, row: str = "row") -> pl.Expr:
        self.stream += 1
        digest = hashlib.blake2b(f"{self.seed}/{self.stream}".encode(), digest_size=8).digest()
        hashed = pl.col(row).hash(seed=int.from_bytes(digest, "little") >> 1)
        return (hashed // 2048).cast(pl.Float64) / float(2**53)

    def seconds(self, low: int, high: int, row: str = "row") -> pl.Expr:
        """Whole seconds uniformly in [low, high]."""
        return (pl.lit(low) + (self.uniform(row) * (high - low + 1)).floor()).cast(pl.Int64)


def clock(h: int, m: int = 0, s: int = 0) -> int:
    return h * H + m * M + s


def seconds_lit(value: int) -> pl.Expr:
    return pl.lit(value, dtype=pl.Int64)


def stamp(seconds: pl.Expr, day: str = "date", naive: pl.Expr | None = None) -> pl.Expr:
    """ISO 8601 local time with offset from a date column and seconds since its midnight."""
    local = pl.col(day).cast(pl.Datetime("ms")) + pl.duration(seconds=seconds)
    with_offset = local.dt.strftime("%Y-%m-%dT%H:%M:%S") + pl.lit(OFFSET)
    if naive is None:
        return with_offset
    return pl.when(naive).then(local.dt.strftime("%Y-%m-%d %H:%M:%S")).otherwise(with_offset)


# ----------------------------------------------------------------------------- tables


def employees_table(n: int, days: list[date], rnd: Random) -> pl.DataFrame:
    first, last = days[0], days[-1]
    base = pl.DataFrame({"row": pl.int_range(0, n, eager=True, dtype=pl.Int64)})
    u_hire, u_hire_day, u_left, u_left_day, u_tz = (rnd.uniform() for _ in range(5))
    u_s, u_g1, u_g2, u_two = (rnd.uniform() for _ in range(4))
    long_ago = date(2015, 1, 1)
    span = (first - long_ago).days - 1
    table = base.with_columns(
        employee_id=pl.format("E{}", pl.col("row").add(1).cast(pl.String).str.zfill(6)),
        name=pl.concat_str(
            pl.lit(list(SURNAMES)).list.get((u_s * len(SURNAMES)).cast(pl.Int64)),
            pl.lit(list(GIVEN)).list.get((u_g1 * len(GIVEN)).cast(pl.Int64)),
            pl.when(u_two < 0.6)
            .then(pl.lit(list(GIVEN)).list.get((u_g2 * len(GIVEN)).cast(pl.Int64)))
            .otherwise(pl.lit("")),
        ),
        hired_on=pl.when(u_hire < RATES["hired_in_month"])
        .then(pl.lit(first) + pl.duration(days=(u_hire_day * len(days)).floor().cast(pl.Int64)))
        .otherwise(pl.lit(long_ago) + pl.duration(days=(u_hire_day * span).floor().cast(pl.Int64)))
        .cast(pl.Date),
        left_on=pl.when(u_left < RATES["left_in_month"])
        .then(pl.lit(first) + pl.duration(days=(u_left_day * len(days)).floor().cast(pl.Int64)))
        .otherwise(None)
        .cast(pl.Date),
        timezone=pl.when(u_tz < RATES["singapore"])
        .then(pl.lit("Asia/Singapore"))
        .otherwise(pl.lit("Asia/Shanghai")),
        supervisor_id=pl.format("M{}", (pl.col("row") // 10 + 1).cast(pl.String).str.zfill(5)),
        team=pl.format("销售{}组", (pl.col("row") // 10 + 1).cast(pl.String)),
    )
    # Nobody leaves before joining.
    table = table.with_columns(
        left_on=pl.when(pl.col("left_on") < pl.col("hired_on"))
        .then(pl.lit(last))
        .otherwise(pl.col("left_on"))
    )
    return table.select(
        "employee_id", "name", "hired_on", "left_on", "timezone", "supervisor_id", "team"
    )


def day_grid(employees: pl.DataFrame, days: list[date]) -> pl.DataFrame:
    is_working = working_day_test(days[0].year)
    calendar_frame = pl.DataFrame(
        {"date": days, "workday": [is_working(day) for day in days]},
        schema={"date": pl.Date, "workday": pl.Boolean},
    )
    grid = employees.select("employee_id", "hired_on", "left_on").join(calendar_frame, how="cross")
    grid = grid.filter(
        (pl.col("hired_on") <= pl.col("date"))
        & (pl.col("left_on").is_null() | (pl.col("date") <= pl.col("left_on")))
    )
    return grid.with_row_index("row").with_columns(pl.col("row").cast(pl.Int64))


def plan_workdays(grid: pl.DataFrame, rnd: Random) -> pl.DataFrame:
    """One row per employee and working day: what happens, as columns of seconds."""
    r = RATES
    work = grid.filter(pl.col("workday"))
    u_status, u_arr, u_dep, u_gap, u_vis = (rnd.uniform() for _ in range(5))
    u_half, u_leave_status, u_ot, u_naive, u_vpat = (rnd.uniform() for _ in range(5))
    work = work.with_columns(
        status=pl.when(u_status < r["leave"])
        .then(pl.lit("leave"))
        .when(u_status < r["leave"] + r["absent"])
        .then(pl.lit("absent"))
        .otherwise(pl.lit("present")),
        arrival_kind=pl.when(u_arr < r["late"])
        .then(pl.lit("late"))
        .when(u_arr < r["late"] + r["serious_late"])
        .then(pl.lit("serious_late"))
        .otherwise(pl.lit("on_time")),
        departure_kind=pl.when(u_dep < r["early"])
        .then(pl.lit("early"))
        .when(u_dep < r["early"] + r["serious_early"])
        .then(pl.lit("serious_early"))
        .when(u_dep < r["early"] + r["serious_early"] + r["overtime"])
        .then(pl.lit("overtime"))
        .when(u_dep < r["early"] + r["serious_early"] + r["overtime"] + r["missing_out"])
        .then(pl.lit("missing"))
        .otherwise(pl.lit("normal")),
        gap_kind=pl.when(u_gap < r["left_post"])
        .then(pl.lit("left_post"))
        .when(u_gap < r["left_post"] + r["covered_gap"])
        .then(pl.lit("covered"))
        .otherwise(None),
        visit_kind=pl.when(u_vis < r["visit"] * 0.5)
        .then(pl.lit("morning"))
        .when(u_vis < r["visit"])
        .then(pl.lit("afternoon"))
        .otherwise(None),
        half_day=u_half < LEAVE_HALF_DAY,
        leave_status=pl.when(u_leave_status < LEAVE_APPROVED_LATE)
        .then(pl.lit("approved_late"))
        .when(u_leave_status < LEAVE_APPROVED_LATE + LEAVE_PENDING)
        .then(pl.lit("pending"))
        .when(u_leave_status < LEAVE_APPROVED_LATE + LEAVE_PENDING + LEAVE_REJECTED)
        .then(pl.lit("rejected"))
        .otherwise(pl.lit("approved")),
        overtime_request=pl.when(u_ot < OVERTIME_APPROVED)
        .then(pl.lit("approved"))
        .when(u_ot < OVERTIME_APPROVED + OVERTIME_APPROVED_LATE)
        .then(pl.lit("approved_late"))
        .when(u_ot < OVERTIME_APPROVED + OVERTIME_APPROVED_LATE + OVERTIME_PENDING)
        .then(pl.lit("pending"))
        .otherwise(None),
        naive=u_naive < r["naive_timestamp"],
        u_visit_pattern=u_vpat,
    )
    # A few people work every evening of the month (a big tender), all of it approved.
    crunch = rnd.uniform(row="employee_id") < r["crunch"]
    work = work.with_columns(
        departure_kind=pl.when(crunch & (pl.col("departure_kind") == "normal"))
        .then(pl.lit("overtime"))
        .otherwise(pl.col("departure_kind")),
        overtime_request=pl.when(crunch)
        .then(pl.lit("approved"))
        .otherwise(pl.col("overtime_request")),
    )
    # A half-day leave is a morning off, approved in advance, and the person comes in after.
    half = (pl.col("status") == "leave") & pl.col("half_day")
    work = work.with_columns(
        half_day=half,
        visit_kind=pl.when(half).then(None).otherwise(pl.col("visit_kind")),
        leave_status=pl.when(half).then(pl.lit("approved")).otherwise(pl.col("leave_status")),
        status=pl.when(half).then(pl.lit("present")).otherwise(pl.col("status")),
    )
    a = pl.col("arrival_kind")
    dk = pl.col("departure_kind")
    work = work.with_columns(
        arrive=pl.when(pl.col("half_day"))
        .then(rnd.seconds(clock(12, 35), clock(12, 58)))
        .when(pl.col("visit_kind") == "morning")
        .then(rnd.seconds(clock(8, 35), clock(8, 55)))
        .when(a == "late")
        .then(rnd.seconds(clock(9, 0, 1), clock(9, 30)))
        .when(a == "serious_late")
        .then(rnd.seconds(clock(9, 30, 1), clock(11, 0)))
        .otherwise(rnd.seconds(clock(8, 35), clock(8, 59, 59))),
        depart=pl.when(pl.col("visit_kind") == "afternoon")
        .then(rnd.seconds(clock(18, 0, 30), clock(18, 20)))
        .when(dk == "early")
        .then(rnd.seconds(clock(17, 30), clock(17, 59, 59)))
        .when(dk == "serious_early")
        .then(rnd.seconds(clock(15, 0), clock(17, 29, 59)))
        .when(dk == "overtime")
        .then(rnd.seconds(clock(18, 45), clock(21, 30)))
        .otherwise(rnd.seconds(clock(18, 0), clock(18, 28))),
        gap_out=rnd.seconds(clock(14, 0), clock(15, 30)),
        gap_minutes=rnd.seconds(35, 95),
        # CRM systems log visits in whole minutes.
        visit_start=pl.when(pl.col("visit_kind") == "morning")
        .then(rnd.seconds(clock(9, 0), clock(9, 20)) // M * M)
        .otherwise(rnd.seconds(clock(15, 0), clock(16, 10)) // M * M),
        visit_minutes=rnd.seconds(60, 140),
        customer_id=pl.format("C{}", rnd.seconds(1, 50_000).cast(pl.String).str.zfill(6)),
    )
    return work


def punches_table(work: pl.DataFrame, weekend: pl.DataFrame) -> pl.DataFrame:
    present = work.filter(pl.col("status") == "present")
    cols = ["employee_id", "date", "seconds", "direction", "source", "naive"]
    arrivals = present.select(
        "employee_id",
        "date",
        seconds=pl.col("arrive"),
        direction=pl.lit("in"),
        source=pl.when(pl.col("visit_kind") == "morning")
        .then(pl.lit("field"))
        .when(pl.col("row") % 17 == 0)
        .then(pl.lit("mobile"))
        .otherwise(pl.lit("office")),
        naive=pl.col("naive"),
    )
    departures = present.filter(pl.col("departure_kind") != "missing").select(
        "employee_id",
        "date",
        seconds=pl.col("depart"),
        direction=pl.lit("out"),
        source=pl.when(pl.col("visit_kind") == "afternoon")
        .then(pl.lit("field"))
        .when(pl.col("row") % 19 == 0)
        .then(pl.lit("mobile"))
        .otherwise(pl.lit("office")),
        naive=pl.lit(False),
    )
    # Gaps only on days that are present all afternoon (no half day, no early departure).
    gap_days = present.filter(
        pl.col("gap_kind").is_not_null()
        & ~pl.col("half_day")
        & pl.col("departure_kind").is_in(["normal", "overtime", "missing"])
        & (pl.col("visit_kind") != "afternoon").fill_null(True)
    )
    gap_out = gap_days.select(
        "employee_id",
        "date",
        seconds=pl.col("gap_out"),
        direction=pl.lit("out"),
        source=pl.lit("office"),
        naive=pl.lit(False),
    )
    gap_in = gap_days.select(
        "employee_id",
        "date",
        seconds=pl.col("gap_out") + pl.col("gap_minutes") * M,
        direction=pl.lit("in"),
        source=pl.lit("office"),
        naive=pl.lit(False),
    )
    weekend_punches = [
        weekend.select(
            "employee_id",
            "date",
            seconds=pl.col("arrive"),
            direction=pl.lit("in"),
            source=pl.lit("mobile"),
            naive=pl.lit(False),
        ),
        weekend.select(
            "employee_id",
            "date",
            seconds=pl.col("depart"),
            direction=pl.lit("out"),
            source=pl.lit("mobile"),
            naive=pl.lit(False),
        ),
    ]
    punches = pl.concat([arrivals, departures, gap_out, gap_in, *weekend_punches]).select(cols)
    punches = punches.sort("date", "seconds", "employee_id")
    return punches.select(
        record_id=pl.format("P{}", pl.int_range(1, pl.len() + 1).cast(pl.String).str.zfill(9)),
        employee_id=pl.col("employee_id"),
        at=stamp(pl.col("seconds"), naive=pl.col("naive")),
        direction=pl.col("direction"),
        source=pl.col("source"),
    )


def visits_table(work: pl.DataFrame) -> pl.DataFrame:
    present = work.filter(pl.col("status") == "present")
    routine = present.filter(pl.col("visit_kind").is_not_null()).select(
        "employee_id",
        "customer_id",
        "date",
        start=pl.col("visit_start"),
        end=pl.when(pl.col("visit_kind") == "morning")
        .then(pl.col("visit_start") + pl.col("visit_minutes") * M)
        .otherwise(
            pl.min_horizontal(
                pl.col("visit_start") + pl.col("visit_minutes") * M, pl.lit(clock(17, 55))
            )
        ),
    )
    # A visit that covers the whole of a gap, from the out-punch to the return (rounded out to
    # whole minutes, as CRM systems log them).
    covered = present.filter(
        (pl.col("gap_kind") == "covered")
        & ~pl.col("half_day")
        & pl.col("departure_kind").is_in(["normal", "overtime", "missing"])
        & (pl.col("visit_kind") != "afternoon").fill_null(True)
    ).select(
        "employee_id",
        "customer_id",
        "date",
        start=(pl.col("gap_out") // M) * M,
        end=((pl.col("gap_out") + pl.col("gap_minutes") * M) // M + 1) * M,
    )
    visits = pl.concat([routine, covered]).sort("date", "start", "employee_id")
    return visits.select(
        record_id=pl.format("V{}", pl.int_range(1, pl.len() + 1).cast(pl.String).str.zfill(8)),
        employee_id=pl.col("employee_id"),
        customer_id=pl.col("customer_id"),
        start=stamp(pl.col("start")),
        end=stamp(pl.col("end")),
    )


def leave_table(work: pl.DataFrame, rnd: Random) -> pl.DataFrame:
    leave = work.filter((pl.col("status") == "leave") | pl.col("half_day"))
    status = pl.col("leave_status")
    leave = leave.with_columns(
        leave_type=pl.lit(LEAVE_TYPES).list.get((rnd.uniform() * len(LEAVE_TYPES)).cast(pl.Int64)),
        start=pl.lit(clock(9)),
        end=pl.when(pl.col("half_day")).then(pl.lit(clock(12))).otherwise(pl.lit(clock(18))),
        days_ahead=rnd.seconds(1, 10),
        submit_clock=rnd.seconds(clock(9), clock(17, 30)),
        decide_delay=rnd.seconds(10 * M, 20 * H),
        late_decision=rnd.seconds(clock(9, 30), clock(16)),
    )
    submitted_date = pl.col("date") - pl.duration(days=pl.col("days_ahead"))
    leave = leave.with_columns(
        submitted_day=pl.when(status == "approved_late")
        .then(pl.col("date"))
        .otherwise(submitted_date),
        submitted_s=pl.when(status == "approved_late")
        .then(rnd.seconds(clock(7, 30), clock(8, 50)))
        .otherwise(pl.col("submit_clock")),
    )
    # Decisions in advance land before the leave starts: at most the evening before.
    leave = leave.with_columns(
        decided_day=pl.when(status == "approved_late")
        .then(pl.col("date"))
        .otherwise(
            pl.min_horizontal(
                pl.col("submitted_day")
                + pl.duration(days=(pl.col("submitted_s") + pl.col("decide_delay")) // (24 * H)),
                pl.col("date") - pl.duration(days=1),
            )
        ),
        decided_s=pl.when(status == "approved_late")
        .then(pl.col("late_decision"))
        .otherwise((pl.col("submitted_s") + pl.col("decide_delay")) % (24 * H)),
    )
    leave = leave.with_columns(
        decided_s=pl.when(
            (status != "approved_late")
            & (pl.col("decided_day") == pl.col("submitted_day"))
            & (pl.col("decided_s") < pl.col("submitted_s"))
        )
        .then(pl.lit(clock(23, 30)))
        .otherwise(pl.col("decided_s")),
    )
    return leave.sort("submitted_day", "submitted_s", "employee_id").select(
        request_id=pl.format("L{}", pl.int_range(1, pl.len() + 1).cast(pl.String).str.zfill(8)),
        employee_id=pl.col("employee_id"),
        leave_type=pl.col("leave_type"),
        start=stamp(pl.col("start")),
        end=stamp(pl.col("end")),
        submitted_at=stamp(pl.col("submitted_s"), day="submitted_day"),
        status=pl.when(status == "approved_late").then(pl.lit("approved")).otherwise(status),
        decided_at=pl.when(status == "pending")
        .then(None)
        .otherwise(stamp(pl.col("decided_s"), day="decided_day")),
    )


def weekend_table(grid: pl.DataFrame, rnd: Random) -> pl.DataFrame:
    weekend = grid.filter(~pl.col("workday"))
    weekend = weekend.filter(rnd.uniform() < RATES["weekend_work"])
    return weekend.with_columns(
        arrive=rnd.seconds(clock(9), clock(10, 30)),
        work_minutes=rnd.seconds(90, 300),
        overtime_request=pl.when(rnd.uniform() < 0.7).then(pl.lit("approved")).otherwise(None),
    ).with_columns(depart=pl.col("arrive") + pl.col("work_minutes") * M)


def overtime_table(work: pl.DataFrame, weekend: pl.DataFrame, rnd: Random) -> pl.DataFrame:
    weekday = work.filter(
        (pl.col("status") == "present")
        & (pl.col("departure_kind") == "overtime")
        & pl.col("overtime_request").is_not_null()
    ).select(
        "row",
        "employee_id",
        "date",
        "overtime_request",
        start=seconds_lit(clock(18)),
        end=seconds_lit(clock(21, 30)),
        min_ahead=seconds_lit(0),
    )
    # Weekend work starts in the morning: its approval comes on an earlier day.
    weekend_requests = weekend.filter(pl.col("overtime_request").is_not_null()).select(
        "row",
        "employee_id",
        "date",
        "overtime_request",
        start=seconds_lit(clock(9)),
        end=pl.col("depart") + 30 * M,
        min_ahead=seconds_lit(1),
    )
    requests = pl.concat([weekday, weekend_requests]).with_columns(
        days_ahead=pl.max_horizontal(rnd.seconds(0, 2), pl.col("min_ahead")),
        submit_clock=rnd.seconds(clock(8, 30), clock(11, 30)),
        decide_clock=rnd.seconds(clock(12), clock(17, 30)),
        late_clock=rnd.seconds(clock(18, 20), clock(20)),
    )
    kind = pl.col("overtime_request")
    return (
        requests.with_columns(
            submitted_day=pl.col("date") - pl.duration(days=pl.col("days_ahead")),
        )
        .with_columns(
            decided_at=pl.when(kind == "approved")
            .then(stamp(pl.col("decide_clock"), day="submitted_day"))
            .when(kind == "approved_late")
            .then(stamp(pl.col("late_clock")))
            .otherwise(None),
        )
        .sort("submitted_day", "submit_clock", "employee_id")
        .select(
            request_id=pl.format(
                "OT{}", pl.int_range(1, pl.len() + 1).cast(pl.String).str.zfill(8)
            ),
            employee_id=pl.col("employee_id"),
            start=stamp(pl.col("start")),
            end=stamp(pl.col("end")),
            submitted_at=stamp(pl.col("submit_clock"), day="submitted_day"),
            status=pl.when(kind == "pending").then(pl.lit("pending")).otherwise(pl.lit("approved")),
            decided_at=pl.col("decided_at"),
        )
    )


# ----------------------------------------------------------------------------- driver


TYPE_OF_FILE = {
    "employees": "employee",
    "punches": "punch",
    "leave_requests": "leave_request",
    "overtime_requests": "overtime_request",
    "customer_visits": "customer_visit",
}


def generate(
    employees: int, month: str, seed: int = 0, *, staff: pl.DataFrame | None = None
) -> dict[str, pl.DataFrame]:
    """The five record tables, as frames of strings and dates (null = absent); ``staff``:
    the employee records to use instead of drawing them (``employees_table``), whose hiring
    and leaving dates the month's days then keep."""
    days = month_days(month)
    rnd = Random(seed)
    drawn = employees_table(employees, days, rnd)
    staff = drawn if staff is None else staff
    grid = day_grid(staff, days)
    work = plan_workdays(grid, rnd)
    weekend = weekend_table(grid, rnd)
    return {
        "employees": staff,
        "punches": punches_table(work, weekend),
        "leave_requests": leave_table(work, rnd),
        "overtime_requests": overtime_table(work, weekend, rnd),
        "customer_visits": visits_table(work),
    }


def following_months(first: str, count: int) -> list[str]:
    """``count`` consecutive months from ``first`` (YYYY-MM)."""
    year, month = (int(x) for x in first.split("-"))
    index = year * 12 + month - 1
    return [f"{(index + k) // 12:04d}-{(index + k) % 12 + 1:02d}" for k in range(count)]


#: the id columns that name one record; made unique across the months of ``generate_months``
ID_COLUMNS = ("record_id", "request_id")


def generate_months(
    employees: int, first: str, count: int, seed: int = 0
) -> dict[str, dict[str, pl.DataFrame]]:
    """Several months, exported month by month: per month (YYYY-MM), its four tables of
    events, under ``"employees"`` the first month's employee records without their leaving
    dates (one file for the whole span).  Each month is ``generate``'s for that month, of
    those employees (their hires start in the first month; no one leaves); its ids
    (``ID_COLUMNS``) start with the month, so that they stay unique across months."""
    months: dict[str, dict[str, pl.DataFrame]] = {}
    # one staff for the span, as employees.csv says: the first month's hires, no one leaving
    # (each month drawing its own would have the same few join mid-month and leave again,
    # every month, absent the days between, as the file does not say)
    staff = employees_table(employees, month_days(first), Random(seed)).with_columns(
        pl.lit(None, pl.Date).alias("left_on")
    )
    for month in following_months(first, count):
        tables = generate(employees, month, seed, staff=staff)
        if not months:
            months["employees"] = {"employees": staff}
        tag = month.replace("-", "") + "-"
        months[month] = {
            name: frame.with_columns(
                pl.concat_str(pl.lit(tag), pl.col(c)).alias(c)
                for c in ID_COLUMNS
                if c in frame.columns
            )
            for name, frame in tables.items()
            if name != "employees"
        }
    return months


def write(tables: dict[str, pl.DataFrame], out: Path, *, jsonl: bool = False) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    if not jsonl:
        paths = []
        for name, frame in tables.items():
            path = out / f"{name}.csv"
            frame.write_csv(path)
            paths.append(path)
        return paths
    path = out / "records.jsonl"
    with path.open("wb") as fh:
        for name, frame in tables.items():
            buffer = io.BytesIO()
            frame.select(pl.lit(TYPE_OF_FILE[name]).alias("type"), pl.all()).write_ndjson(buffer)
            fh.write(buffer.getvalue())
    return [path]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Generate synthetic attendance records for benchmarks."
    )
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--employees", type=int, help="number of employees (default 10000)")
    size.add_argument(
        "--punches", type=int, help="size the data for about this many punches instead"
    )
    parser.add_argument("--month", default="2026-11", help="YYYY-MM (default 2026-11)")
    parser.add_argument("--out", type=Path, required=True, help="output directory")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--months",
        type=int,
        default=1,
        help="this many months from --month, exported month by month: OUT/employees.csv and "
        "OUT/YYYY-MM/ with the month's other files (default 1: one month's five files in OUT)",
    )
    parser.add_argument(
        "--jsonl",
        action="store_true",
        help='write one records.jsonl (each line has a "type") instead of CSVs',
    )
    args = parser.parse_args(argv)
    try:
        month_days(args.month)
    except ValueError:
        parser.error(f"--month must be YYYY-MM, e.g. 2026-11 (got {args.month!r})")
    if args.punches is not None:
        employees = employees_for_punches(args.punches, args.month)
    else:
        employees = args.employees if args.employees is not None else 10_000
    if employees < 1:
        parser.error(f"--employees must be at least 1 (got {employees})")

    if args.months < 1:
        parser.error(f"--months must be at least 1 (got {args.months})")
    if args.months > 1:
        if args.jsonl:
            parser.error("--months writes CSV files; leave out --jsonl")
        started = time.perf_counter()
        months = generate_months(employees, args.month, args.months, args.seed)
        paths = write(months.pop("employees"), args.out)
        for month, tables in months.items():
            paths += write(tables, args.out / month)
        rows = sum(sum(t.height for t in tables.values()) for tables in months.values())
        print(
            f"{employees:,} employees, {args.months} months from {args.month}: {rows:,} rows "
            f"of events in {len(paths)} files under {args.out}, in "
            f"{time.perf_counter() - started:.2f} s",
            file=sys.stderr,
        )
        return 0
    started = time.perf_counter()
    tables = generate(employees, args.month, args.seed)
    generated = time.perf_counter()
    paths = write(tables, args.out, jsonl=args.jsonl)
    finished = time.perf_counter()
    counts = ", ".join(f"{name} {frame.height:,}" for name, frame in tables.items())
    print(f"{employees:,} employees, {args.month}: {counts}", file=sys.stderr)
    print(
        f"generated in {generated - started:.2f} s, written in {finished - generated:.2f} s: "
        + ", ".join(str(p) for p in paths),
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
