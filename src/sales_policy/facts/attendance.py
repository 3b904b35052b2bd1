"""Attendance facts: ``workday``, ``leave``, ``post_gap`` and ``employee_month``.

The semantics are those of docs/attendance.md (handbook 1.2, 4.3, 8.1), derived column-wise:
no per-row Python.  The records are prepared once: employees become integer codes (``_emp``),
instants epoch microseconds (UTC), each row gets its local date.  The facts are then derived
on the grid of employee-days of :mod:`.daygrid`, which explains the integer employee-day key
``_day`` and the per-day tables set beside the grid in its order.  The finished tables carry
``employee_id`` and UTC datetimes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import polars as pl

from ..background import InThread
from ..calendar import Schedule, WorkingCalendar
from ..zones import local_dates
from .daygrid import (
    DAY,
    Period,
    attach,
    by_day,
    coded,
    cut_leave,
    day_grid,
    employee_codes,
    employee_zones,
    explode_days,
    grouped,
    month_sums,
    required_pieces,
    zone_clock,
)
from .intervals import ceil_minutes, subtract

if TYPE_CHECKING:
    from ..tables import RecordTables

KEY = ["_emp", "date"]
_REF = "_ref"


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


def _as_utc(column: str) -> pl.Expr:
    return pl.from_epoch(pl.col(column), time_unit="us").dt.replace_time_zone("UTC")


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


def prepare(inputs: Inputs, policy_timezone: str) -> Prepared:
    """Employee codes, local dates and integer instants of the attendance records."""
    others = (inputs.employees, inputs.leaves, inputs.overtime, inputs.visits)
    ids, punch_codes = employee_codes(inputs.punches, others)
    zones = employee_zones(inputs.employees, ids, policy_timezone)
    names = sorted(zones.get_column("timezone").unique().to_list())
    codes = zones.get_column("timezone").cast(pl.Enum(names)).to_physical().cast(pl.UInt32)
    out = (pl.col("direction") == "out").cast(pl.Int8)  # "in", "out" or null (validated)
    direction = out.fill_null(2).alias("_dir")  # in 0, out 1, undirected 2
    punches = coded(inputs.punches, zones, codes, punch_codes).select(
        "_emp", "_zone", _us("at").alias("at"), direction, _REF
    )

    def dated(table: pl.DataFrame, instant: str) -> pl.Series:
        return local_dates(table.get_column(instant), table.get_column("_zone"), names)

    punches = punches.with_columns(dated(punches, "at").alias("date"))
    visits = coded(inputs.visits, zones, codes).select(
        "_emp", "_zone", _us("start").alias("start"), _us("end").alias("end"), _REF
    )
    visits = visits.with_columns(dated(visits, "start").alias("date"))
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
    return Prepared(zones, names, punches, visits, leaves, overtime)


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
    post_gap = _post_gaps(grid, cut_pieces, punches, prepared, clock)
    # The punches go before the workday facts are made, the step with the most memory; and
    # the per-day tables as soon as they are set beside the grid (``_workday`` empties them).
    del punches
    workday = _workday(grid, cut_pieces, per_day, prepared, period, clock, params)
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


def _pick(a: str, a_ref: str, b: str, b_ref: str, earliest: bool) -> tuple[pl.Expr, pl.Expr]:
    """The earlier (or later) of two nullable instants, with the reference of the one taken."""
    value = pl.min_horizontal(a, b) if earliest else pl.max_horizontal(a, b)
    better = pl.col(a) <= pl.col(b) if earliest else pl.col(a) >= pl.col(b)
    take_a = pl.col(a).is_not_null() & (pl.col(b).is_null() | better)
    return value, pl.when(take_a).then(pl.col(a_ref)).otherwise(pl.col(b_ref))


#: what a day without a row in a per-day table has, where that is not null
_NONE = {
    "_punches": 0,
    "_visits": 0,
    "unapproved_leave_ids": [],
    "leave_refs": [],
    "overtime_approved": False,
    "overtime_request_ids": [],
}


def _workday(
    grid: pl.DataFrame,
    cut_pieces: pl.DataFrame,
    per_day: list[pl.DataFrame],
    prepared: Prepared,
    period: Period,
    clock: pl.DataFrame,
    params: Mapping[str, Any],
) -> pl.DataFrame:
    """The workday facts from the grid and the per-day tables of ``_day_evidence``
    (``per_day``, emptied once they are set beside the grid, so that they can go)."""
    day = attach(
        grid,
        *per_day,
        _unapproved_leave(grid, clock, cut_pieces, prepared, period),
        defaults=_NONE,
    )
    per_day.clear()
    judged = pl.col("scheduled") & (pl.col("_required_us") > 0)
    # A day's only punch is undirected just when it is both its arrival and its departure
    # punch (an in punch is not a departure, an out punch not an arrival).
    only_at, only_ref = pl.col("_punch_in"), pl.col("_punch_in_ref")
    lone = (
        (pl.col("_punches") == 1)
        & only_at.is_not_null()
        & pl.col("_punch_out").is_not_null()
        & (pl.col("_visits") == 0)
    )
    # A lone undirected punch is the arrival before the midpoint of the required interval (of
    # the working hours when that is empty), the departure after it; always the arrival on a
    # day that is not scheduled.  2*at < start+end is the midpoint test without rounding.
    some_required = pl.col("_required_us") > 0
    mid_start = pl.when(some_required).then("_rs").otherwise("_window_start")
    mid_end = pl.when(some_required).then("_re").otherwise("_window_end")
    lone_arrives = ~pl.col("scheduled") | (2 * only_at < mid_start + mid_end)
    arrival, arrival_ref = _pick("_punch_in", "_punch_in_ref", "_visit_in", "_visit_in_ref", True)
    departure, departure_ref = _pick(
        "_punch_out", "_punch_out_ref", "_visit_out", "_visit_out_ref", False
    )
    day = day.with_columns(
        pl.when(lone)
        .then(pl.when(lone_arrives).then(only_at))
        .otherwise(arrival)
        .alias("_arrival"),
        pl.when(lone)
        .then(pl.when(lone_arrives).then(only_ref))
        .otherwise(arrival_ref)
        .alias("arrival_ref"),
        pl.when(lone)
        .then(pl.when(~lone_arrives).then(only_at))
        .otherwise(departure)
        .alias("_departure"),
        pl.when(lone)
        .then(pl.when(~lone_arrives).then(only_ref))
        .otherwise(departure_ref)
        .alias("departure_ref"),
        ((pl.col("_punches") + pl.col("_visits")) > 0).alias("has_presence"),
    ).drop(  # read for the last time: let go of ~45 MB for a million punches
        *(
            f"_{kind}_{side}{ref}"
            for kind in ("punch", "visit")
            for side in ("in", "out")
            for ref in ("", "_ref")
        )
    )
    # max_horizontal skips nulls: keep "no arrival" null rather than 0 minutes late.
    late = pl.when(pl.col("_arrival").is_not_null()).then(
        pl.max_horizontal(pl.col("_arrival") - pl.col("_rs"), pl.lit(0))
    )
    early = pl.when(pl.col("_departure").is_not_null()).then(
        pl.max_horizontal(pl.col("_re") - pl.col("_departure"), pl.lit(0))
    )
    ot_start = pl.when(pl.col("scheduled")).then("_window_end").otherwise("_arrival")
    ot_micros = pl.col("_departure") - ot_start
    day = day.with_columns(
        pl.when(judged).then(ceil_minutes(late)).alias("minutes_late"),
        pl.when(judged).then(ceil_minutes(early)).alias("minutes_early"),
        pl.when(pl.col("has_presence") & pl.col("_arrival").is_null())
        .then(pl.lit("arrival"))
        .when(pl.col("has_presence") & pl.col("_departure").is_null())
        .then(pl.lit("departure"))
        .alias("missing_side"),
        pl.when(pl.col("has_presence") & pl.col("_arrival").is_null())
        .then(pl.lit("上班"))
        .when(pl.col("has_presence") & pl.col("_departure").is_null())
        .then(pl.lit("下班"))
        .alias("missing_side_zh"),
        pl.when(ot_micros > 0).then(ot_start).alias("_ot_start"),
        pl.when(ot_micros > 0).then(ceil_minutes(ot_micros)).otherwise(0).alias("overtime_minutes"),
    )
    day = attach(day, _overtime_approval(day, prepared, params), defaults=_NONE)
    return day.select(
        *KEY,
        "timezone",
        "day_kind",
        "scheduled",
        ceil_minutes(pl.col("_required_us")).alias("required_minutes"),
        _as_utc("_rs").alias("required_start"),
        _as_utc("_re").alias("required_end"),
        "has_presence",
        _as_utc("_arrival").alias("arrival"),
        _as_utc("_departure").alias("departure"),
        "minutes_late",
        "minutes_early",
        "missing_side",
        "missing_side_zh",
        "unapproved_leave_ids",
        pl.col("unapproved_leave_ids").list.len().cast(pl.Int64).alias("unapproved_leave_count"),
        _as_utc("_ot_start").alias("overtime_start"),
        "overtime_minutes",
        "overtime_approved",
        "overtime_request_ids",
        "arrival_ref",
        "departure_ref",
        pl.col("_punch_refs").alias("punch_refs"),
        pl.col("_visit_refs").alias("visit_refs"),
        "leave_refs",
        pl.when(pl.col("_ot_start").is_not_null() & ~pl.col("scheduled"))
        .then("arrival_ref")
        .alias("overtime_start_ref"),
    )


def _overtime_approval(
    day: pl.DataFrame, prepared: Prepared, params: Mapping[str, Any]
) -> pl.DataFrame:
    """Days with overtime joined to overtime requests approved in advance that overlap it.

    The few columns needed are taken before filtering: filtering all the day's columns cost
    more than the rest; the request ids are sorted before grouping, not in each group."""
    threshold = int(params["overtime_min_minutes"])
    in_advance = prepared.overtime.filter(
        (pl.col("status") == "approved") & (pl.col("decided_at") <= pl.col("start"))
    ).select("_emp", "request_id", "_start", "_end")
    if in_advance.is_empty():  # no request to match: a handful of steps less
        return pl.DataFrame(
            schema={
                DAY: pl.Int64,
                "overtime_approved": pl.Boolean,
                "overtime_request_ids": pl.List(in_advance.schema["request_id"]),
            }
        )
    overtime = day.select(DAY, "_emp", "_ot_start", "_departure", "overtime_minutes").filter(
        pl.col("overtime_minutes") > threshold
    )
    matched = overtime.join(in_advance, on="_emp").filter(
        (pl.col("_start") < pl.col("_departure")) & (pl.col("_end") > pl.col("_ot_start"))
    )
    ids = matched.select(DAY, "request_id").unique().sort(DAY, "request_id")
    return ids.group_by(DAY, maintain_order=True).agg(
        pl.lit(True).alias("overtime_approved"),
        pl.col("request_id").alias("overtime_request_ids"),
    )


def _unapproved_leave(
    grid: pl.DataFrame,
    clock: pl.DataFrame,
    cut_pieces: pl.DataFrame,
    prepared: Prepared,
    period: Period,
) -> pl.DataFrame:
    """Leave requests not approved that overlap a day's required pieces."""
    not_approved = prepared.leaves.filter(pl.col("status") != "approved")
    if not_approved.is_empty():  # the usual case: a dozen steps less
        return pl.DataFrame(
            schema={
                DAY: pl.Int64,
                "unapproved_leave_ids": pl.List(not_approved.schema["request_id"]),
                "leave_refs": pl.List(not_approved.schema[_REF]),
            }
        )
    pending = explode_days(not_approved, period)
    required = required_pieces(grid, clock, cut_pieces, pending.get_column(DAY).unique())
    overlapping = (
        pending.select(DAY, "request_id", "_start", "_end", _REF)
        .join(required, on=DAY)
        .filter((pl.col("_start") < pl.col("end")) & (pl.col("_end") > pl.col("start")))
    )
    return overlapping.group_by(DAY).agg(
        pl.col("request_id").unique().sort().alias("unapproved_leave_ids"),
        pl.col(_REF).unique().sort().alias("leave_refs"),
    )


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


def _post_gaps(
    grid: pl.DataFrame,
    cut_pieces: pl.DataFrame,
    punches: pl.DataFrame,
    prepared: Prepared,
    clock: pl.DataFrame,
) -> pl.DataFrame:
    """Out punches followed by an in punch the same day, measured inside required pieces.

    Directed punches are in (day, instant, direction) order, "in" before "out" at the same
    instant, so the pair is the next row when it has the same ``_day``."""
    directed = punches.filter(pl.col("_dir") != 2)
    gaps = directed.with_columns(
        pl.col("at").shift(-1).alias("_back"),
        pl.col(_REF).shift(-1).alias("returned_ref"),
        (
            (pl.col("_dir") == 1)
            & (pl.col("_dir").shift(-1) == 0)
            & (pl.col(DAY).shift(-1) == pl.col(DAY))
        ).alias("_pair"),
    ).filter(pl.col("_pair"))
    on_day = grid.select(pl.col(*KEY, "timezone").gather(gaps.get_column(DAY)))  # row _day
    gaps = (
        gaps.with_columns(on_day.get_columns())
        .select(
            DAY,
            *KEY,
            "timezone",
            pl.col("at").alias("_left"),
            "_back",
            pl.col(_REF).alias("left_ref"),
            "returned_ref",
        )
        .with_row_index("_gap")
    )
    if gaps.is_empty():  # no out-and-back: no minutes to measure
        return gaps.select(_post_gap_columns(pl.lit(None, pl.Int64)))
    required = required_pieces(grid, clock, cut_pieces, gaps.get_column(DAY).unique())
    inside = (
        gaps.select("_gap", DAY, "_emp", "_left", "_back")
        .join(required, on=DAY)
        .select(
            "_gap",
            "_emp",
            pl.max_horizontal("_left", "start").alias("start"),
            pl.min_horizontal("_back", "end").alias("end"),
        )
        .filter(pl.col("start") < pl.col("end"))
        .with_row_index("_inside")
    )
    cuts = (
        inside.select("_inside", "_emp")
        .join(prepared.visits.select("_emp", "start", "end"), on="_emp")
        .drop("_emp")
    )
    away = subtract(inside.select("_inside", "start", "end"), cuts, "_inside")
    per_gap = (
        away.join(inside.select("_inside", "_gap"), on="_inside")
        .group_by("_gap")
        .agg((pl.col("end") - pl.col("start")).sum().alias("_away"))
    )
    return gaps.join(per_gap, on="_gap", how="left", maintain_order="left").select(
        _post_gap_columns(pl.col("_away"))
    )


def _post_gap_columns(away: pl.Expr) -> list[pl.Expr]:
    """The post_gap facts of gaps with microseconds ``away`` (null: none)."""
    return [
        *(pl.col(c) for c in (*KEY, "timezone")),
        _as_utc("_left").alias("left_at"),
        _as_utc("_back").alias("returned_at"),
        ceil_minutes(away.fill_null(0)).alias("minutes_away"),
        pl.col("left_ref"),
        pl.col("returned_ref"),
    ]


def _employee_month(
    workday: pl.DataFrame, period: Period, params: Mapping[str, Any]
) -> pl.DataFrame:
    """Counted overtime per employee and calendar month of the period (``workday`` is laid
    out as the grid)."""
    threshold = int(params["overtime_min_minutes"])
    minutes = workday.get_column("overtime_minutes")
    counted = minutes > threshold
    return month_sums(
        workday,
        period,
        overtime_minutes=minutes.zip_with(counted, pl.Series([0])),
        overtime_days=counted.cast(pl.Int64),
    )
