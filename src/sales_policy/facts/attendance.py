"""Attendance facts: ``workday``, ``leave``, ``post_gap`` and ``employee_month``.

The semantics are those of docs/attendance.md (handbook 1.2, 4.3, 8.1), derived column-wise:
no per-row Python.  The records are prepared once: employees become integer codes (``_emp``),
instants epoch microseconds (UTC), each row gets its local date.  The facts are then derived
on the grid of employee-days of :mod:`.daygrid`, which explains the integer employee-day key
``_day`` and the per-day tables set beside the grid in its order: here the per-day punches
and visits, in :mod:`.workday` the workday facts, in :mod:`.postgaps` the out-and-back gaps.
The finished tables carry ``employee_id`` and UTC datetimes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import polars as pl

from ..background import InThread
from ..calendar import Schedule, WorkingCalendar, since_midnight_us
from ..timetext import month_text
from ..validation import REF as _REF
from ..zones import local_dates
from .daygrid import (
    DAY,
    KEY,
    Period,
    by_day,
    coded,
    cut_leave,
    day_grid,
    employee_codes,
    employee_zones,
    grouped,
    month_sums,
    zone_clock,
)
from .postgaps import post_gaps
from .workday import workday_facts

if TYPE_CHECKING:
    from ..tables import RecordTables


@dataclass(frozen=True)
class Inputs:
    """The record tables attendance reads (typed, instants resolved to UTC)."""

    employees: pl.DataFrame
    punches: pl.DataFrame
    leaves: pl.DataFrame
    overtime: pl.DataFrame
    visits: pl.DataFrame

    @classmethod
    def of(cls, tables: RecordTables) -> Inputs:
        """The attendance records' tables of a check (empty ones for types not read)."""
        return cls(
            employees=tables.table("employee"),
            punches=tables.table("punch"),
            leaves=tables.table("leave_request"),
            overtime=tables.table("overtime_request"),
            visits=tables.table("customer_visit"),
        )


def _us(column: str) -> pl.Expr:
    return pl.col(column).dt.epoch("us")


@dataclass
class Prepared:
    """Records with employee codes, local dates and integer instants, computed once.

    ``_zone`` is the position of the row's timezone in ``names``.  ``derive`` takes the
    punches (``take_punches``): once sorted by day they are read in that order only."""

    zones: pl.DataFrame  # _emp, employee_id, timezone, hired_on, left_on; row i has _emp i
    names: list[str]  # the timezones present, sorted
    punches: pl.DataFrame  # _emp, _zone, date, at, _dir (in 0, out 1, none 2), _ref
    visits: pl.DataFrame  # _emp, _zone, date, start, end, _ref (input order)
    leaves: pl.DataFrame  # leave requests with _emp, _zone, timezone, integer _start/_end,
    #                      local dates of the start (date) and end (_last_date)
    overtime: pl.DataFrame  # overtime requests with _emp, _zone, integer _start/_end

    def take_punches(self) -> pl.DataFrame:
        """The punches, no longer held here (an empty table with their columns is left):
        a million punches hold ~30 MB that fact derivation, the check's largest step in
        memory, need not keep beside their sorted copy."""
        punches, self.punches = self.punches, self.punches.clear()
        return punches

    def period(self) -> tuple[dt.date, dt.date] | None:
        """First to last local date with a punch or a visit; None when there are none."""
        dates = pl.concat(
            [self.punches.get_column("date"), self.visits.get_column("date")]
        ).drop_nulls()
        if dates.is_empty():
            return None
        return dates.min(), dates.max()  # type: ignore[return-value]


def prepare(inputs: Inputs, policy_timezone: str, day_start: dt.time = dt.time(0)) -> Prepared:
    """Employee codes, local dates and integer instants of the attendance records.

    A punch is dated by its ``at``, a visit by its ``start``, on the attendance day: the
    local date, or the date before for a wall time before ``day_start`` (the schedule's
    跨天 setting; docs/attendance.md).  Requests keep the local dates of their start and end:
    they are matched to days by their instants."""
    shift = since_midnight_us(day_start)
    others = (inputs.employees, inputs.leaves, inputs.overtime, inputs.visits)
    ids, punch_codes = employee_codes(inputs.punches, others)
    zones = employee_zones(inputs.employees, ids, policy_timezone)
    names = sorted(zones.get_column("timezone").unique().to_list())
    codes = zones.get_column("timezone").cast(pl.Enum(names)).to_physical().cast(pl.UInt32)
    out = (pl.col("direction") == "out").cast(pl.Int8)  # "in", "out" or null (validated)
    direction = out.fill_null(2).alias("_dir")  # in 0, out 1, undirected 2

    def dated(table: pl.DataFrame, instant: str, day_start_us: int = 0) -> pl.Series:
        return local_dates(
            table.get_column(instant), table.get_column("_zone"), names, day_start_us=day_start_us
        )

    def punches_dated() -> pl.DataFrame:
        punches = coded(inputs.punches, zones, codes, punch_codes).select(
            "_emp", "_zone", _us("at").alias("at"), direction, _REF
        )
        return punches.with_columns(dated(punches, "at", shift).alias("date"))

    # The punches, most of the rows, are coded and dated in a thread of their own while the
    # other records are: each of these steps keeps one core busy (~10 ms sooner on a million
    # punches).
    punching = InThread(punches_dated, name="sales-policy-punches")
    visits = coded(inputs.visits, zones, codes).select(
        "_emp", "_zone", _us("start").alias("start"), _us("end").alias("end"), _REF
    )
    visits = visits.with_columns(dated(visits, "start", shift).alias("date"))
    leaves = coded(inputs.leaves, zones, codes).with_columns(
        _us("start").alias("_start"), _us("end").alias("_end")
    )
    leaves = leaves.with_columns(
        zones.get_column("timezone").gather(leaves.get_column("_emp")),
        dated(leaves, "_start").alias("date"),
        dated(leaves, "_end").alias("_last_date"),
    )
    overtime = coded(inputs.overtime, zones, codes).with_columns(
        _us("start").alias("_start"), _us("end").alias("_end")
    )
    return Prepared(zones, names, punching.result(), visits, leaves, overtime)


def derive(
    prepared: Prepared,
    *,
    calendar: WorkingCalendar,
    schedule: Schedule,
    start: dt.date,
    end: dt.date,
    params: Mapping[str, Any],
) -> dict[str, pl.DataFrame]:
    """The attendance fact tables over the period ``start``..``end``."""
    period = Period(start, end)
    days = calendar.day_kinds(start, end)
    if days.height != period.days:  # _day arithmetic needs every date of the period
        raise AssertionError(f"calendar gave {days.height} days for {start}..{end}")
    # The punches and visits of each day are found in a thread of their own while the grid
    # of employee-days is laid out: polars keeps the two cores busy only part of the time
    # doing either.
    evidence = InThread(lambda: _sorted_by_day(prepared, period), name="sales-policy-days")
    clock = zone_clock(prepared.names, days, schedule)
    grid = day_grid(prepared.zones, prepared.names, days, clock, period)
    # approved leave shapes the required interval; leave not approved changes nothing
    approved = prepared.leaves.filter(pl.col("status") == "approved")
    grid, cut_pieces = cut_leave(grid, clock, approved, period)
    punches, per_day = evidence.result()
    post_gap = post_gaps(grid, cut_pieces, punches, prepared, clock)
    # The punches go before the workday facts are made, the step with the most memory; and
    # the per-day tables as soon as they are set beside the grid (``workday_facts`` empties
    # them).
    del punches
    workday = workday_facts(grid, cut_pieces, per_day, prepared, period, clock, params)
    tables = {
        "workday": workday,
        "leave": _leave(prepared, period),
        "post_gap": post_gap,
        "employee_month": _employee_month(workday, period, params),
    }
    ids = prepared.zones.get_column("employee_id")
    return {
        name: table.select(
            ids.gather(table.get_column("_emp")).alias("employee_id"), pl.exclude("_emp")
        )
        for name, table in tables.items()
    }


def _sorted_by_day(prepared: Prepared, period: Period) -> tuple[pl.DataFrame, list[pl.DataFrame]]:
    """The punches taken from ``prepared`` sorted by day (``by_day``), and the per-day tables
    of punches and visits (``_day_evidence``)."""
    # in before out at the same instant; ties cite the earlier input row
    punches = by_day(prepared.take_punches(), period, "at", "at", "_dir", _REF)
    visits = by_day(prepared.visits, period, "start", "start", "end", _REF)
    return punches, _day_evidence(punches, visits)


def _day_evidence(punches: pl.DataFrame, visits: pl.DataFrame) -> list[pl.DataFrame]:
    """Per day (in ``_day`` order): punches and visits, the earliest arrival and latest
    departure of each.

    Punches come sorted by instant within a day: the arrival is the day's first punch that
    can arrive (in, undirected), the departure its last that can leave (out, undirected).
    Each row is filled with the position of the next (previous) such punch, and the day's
    first (last) row gives it when it is in the same day: with two punches a day or so, a
    first or last per group is a gather, a filtered one or a sum is not.  Visits come
    sorted by start, then input row."""
    position = pl.int_range(pl.len(), dtype=pl.get_index_type())  # gathered by, unconverted
    punch_days = grouped(
        punches.with_columns(
            pl.when(pl.col("_dir") != 1).then(position).backward_fill().alias("_in"),
            pl.when(pl.col("_dir") != 0).then(position).forward_fill().alias("_out"),
        ),
        pl.len().alias("_punches"),
        pl.col("_in").first(),
        pl.col("_out").last(),
        pl.col(_REF).alias("_punch_refs"),
    )
    day, at, ref = (pl.lit(punches.get_column(c)) for c in (DAY, "at", _REF))
    found = {"_in": day.gather(pl.col("_in")) == pl.col(DAY)}
    found["_out"] = day.gather(pl.col("_out")) == pl.col(DAY)
    punch_days = punch_days.with_columns(
        pl.when(found[side]).then(column.gather(pl.col(side))).alias(f"_punch{side}{suffix}")
        for side in ("_in", "_out")
        for column, suffix in ((at, ""), (ref, "_ref"))
    ).drop("_in", "_out")
    visit_days = grouped(
        visits,
        pl.len().alias("_visits"),
        pl.col("start").first().alias("_visit_in"),
        pl.col(_REF).first().alias("_visit_in_ref"),
        pl.col("end").max().alias("_visit_out"),
        pl.col(_REF).get(pl.col("end").arg_max()).alias("_visit_out_ref"),
        pl.col(_REF).alias("_visit_refs"),
    )
    return [punch_days, visit_days]


def _leave(prepared: Prepared, period: Period) -> pl.DataFrame:
    leaves = prepared.leaves
    in_advance = (pl.col("status") == "approved") & (pl.col("decided_at") <= pl.col("start"))
    return leaves.filter(period.contains()).select(
        *KEY,
        "timezone",
        "request_id",
        "leave_type",
        "status",
        "start",
        "end",
        "decided_at",
        in_advance.fill_null(False).alias("approved_in_advance"),
        pl.col(_REF).alias("request_ref"),
    )


def _employee_month(
    workday: pl.DataFrame, period: Period, params: Mapping[str, Any]
) -> pl.DataFrame:
    """Counted overtime per employee and calendar month of the period (``workday`` is laid
    out as the grid)."""
    threshold = int(params["overtime_min_minutes"])
    minutes = workday.get_column("overtime_minutes")
    counted = minutes > threshold
    sums = month_sums(
        workday,
        period,
        overtime_minutes=minutes.zip_with(counted, pl.Series([0])),
        overtime_days=counted.cast(pl.Int64),
    )
    # only the period's last month can be open: when the period ends before its last day
    closed = (
        pl.lit(True)
        if (period.end + dt.timedelta(days=1)).day == 1
        else pl.col("period") != month_text(period.end)
    )
    return sums.with_columns(closed.alias("month_closed"))
