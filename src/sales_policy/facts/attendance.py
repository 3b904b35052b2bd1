"""Attendance facts: ``workday``, ``leave``, ``post_gap`` and ``employee_month``.

The semantics are those of docs/attendance.md (handbook 1.2, 4.3, 8.1), derived column-wise:
no per-row Python.  While deriving, employees are integer codes (``_emp``) and instants are
epoch microseconds (UTC), so joins, sorts and arithmetic run on integers; the finished tables
carry ``employee_id`` and UTC datetimes.  Schedule instants are computed once per (timezone,
date), not per employee.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from ..calendar import Schedule, WorkingCalendar
from .intervals import ceil_minutes, local_date, subtract, wall_time_instant

KEY = ["_emp", "date"]
_REF = "_ref"
_NO_REFS = pl.lit([], pl.List(pl.Int64))


@dataclass(frozen=True)
class Inputs:
    """The record tables attendance reads (typed, instants resolved to UTC)."""

    employees: pl.DataFrame
    punches: pl.DataFrame
    leaves: pl.DataFrame
    overtime: pl.DataFrame
    visits: pl.DataFrame


def _us(column: str) -> pl.Expr:
    return pl.col(column).dt.epoch("us")


def _as_utc(column: str) -> pl.Expr:
    return pl.from_epoch(pl.col(column), time_unit="us").dt.replace_time_zone("UTC")


def employee_zones(inputs: Inputs, policy_timezone: str) -> pl.DataFrame:
    """Every employee judged (with an employee record or seen in any attendance record),
    with an integer code, timezone, and hire and leaving dates."""
    seen = pl.concat(
        [
            t.select("employee_id")
            for t in (
                inputs.employees,
                inputs.punches,
                inputs.leaves,
                inputs.overtime,
                inputs.visits,
            )
        ]
    ).unique()
    return (
        seen.join(
            inputs.employees.select("employee_id", "timezone", "hired_on", "left_on"),
            on="employee_id",
            how="left",
        )
        .with_columns(pl.col("timezone").fill_null(policy_timezone))
        .sort("employee_id")
        .with_row_index("_emp")
    )


@dataclass(frozen=True)
class _Prepared:
    """Records with employee codes, local dates and integer instants, computed once."""

    zones: pl.DataFrame
    names: list[str]
    punches: pl.DataFrame  # _emp, date, at, direction, _ref; sorted by _emp, at
    visits: pl.DataFrame  # _emp, date, start, end, _ref
    leaves: pl.DataFrame  # leave requests with _emp, timezone, integer start/end
    overtime: pl.DataFrame  # overtime requests with _emp, integer start/end


def _coded(table: pl.DataFrame, zones: pl.DataFrame) -> pl.DataFrame:
    return table.join(zones.select("employee_id", "_emp", "timezone"), on="employee_id")


def _prepare(inputs: Inputs, policy_timezone: str) -> _Prepared:
    zones = employee_zones(inputs, policy_timezone)
    names = sorted(zones.get_column("timezone").unique().to_list())
    punches = (
        _coded(inputs.punches, zones)
        .select(
            "_emp",
            local_date("at", "timezone", names).alias("date"),
            _us("at").alias("at"),
            "direction",
            _REF,
        )
        # in before out at the same instant; integer keys sort much faster than text
        .sort(
            "_emp",
            "at",
            pl.col("direction").replace_strict(
                {"in": 0, "out": 1}, default=2, return_dtype=pl.Int8
            ),
            _REF,  # ties cite the earlier input row, whatever else the input holds
        )
    )
    visits = (
        _coded(inputs.visits, zones)
        .select(
            "_emp",
            local_date("start", "timezone", names).alias("date"),
            _us("start").alias("start"),
            _us("end").alias("end"),
            _REF,
        )
        .sort("_emp", "start", _REF)  # arg_min/arg_max then cite the earlier row on ties
    )
    leaves = _coded(inputs.leaves, zones).with_columns(
        _us("start").alias("_start"), _us("end").alias("_end")
    )
    overtime = _coded(inputs.overtime, zones).with_columns(
        _us("start").alias("_start"), _us("end").alias("_end")
    )
    return _Prepared(zones, names, punches, visits, leaves, overtime)


def default_period(inputs: Inputs, policy_timezone: str) -> tuple[dt.date, dt.date] | None:
    """First to last local date with a punch or a visit; None when there are none."""
    return _period_of(_prepare(inputs, policy_timezone))


def _period_of(prepared: _Prepared) -> tuple[dt.date, dt.date] | None:
    dates = pl.concat(
        [prepared.punches.get_column("date"), prepared.visits.get_column("date")]
    ).drop_nulls()
    if dates.is_empty():
        return None
    return dates.min(), dates.max()  # type: ignore[return-value]


def derive(
    inputs: Inputs,
    *,
    calendar: WorkingCalendar,
    schedule: Schedule,
    policy_timezone: str,
    start: dt.date | None,
    end: dt.date | None,
    params: Mapping[str, Any],
) -> tuple[dict[str, pl.DataFrame], tuple[dt.date, dt.date] | None]:
    """The attendance fact tables and the evaluation period actually used."""
    prepared = _prepare(inputs, policy_timezone)
    if start is None or end is None:
        found = _period_of(prepared)
        if found is None:
            return {}, None
        start, end = start or found[0], end or found[1]
    days = calendar.day_kinds(start, end)
    clock = _zone_clock(prepared.names, days, schedule)
    grid = _grid(prepared.zones, days, clock)
    required = _required_pieces(grid, prepared, clock, schedule, start, end)
    workday = _workday(grid, required, prepared, start, end, params)
    ids = prepared.zones.select("_emp", "employee_id")
    tables = {
        "workday": workday,
        "leave": _leave(prepared, start, end),
        "post_gap": _post_gaps(prepared, required, start, end),
        "employee_month": _employee_month(workday, params),
    }
    return {
        name: table.join(ids, on="_emp").select("employee_id", pl.exclude("employee_id", "_emp"))
        for name, table in tables.items()
    }, (start, end)


def _zone_clock(names: list[str], days: pl.DataFrame, schedule: Schedule) -> pl.DataFrame:
    """Per timezone and date: the instants of the schedule's start, end and segments."""
    clock = pl.DataFrame({"timezone": names}, schema={"timezone": pl.String}).join(
        days.select("date"), how="cross"
    )
    boundaries = {"_window_start": schedule.start, "_window_end": schedule.end}
    for index, (begin, finish) in enumerate(schedule.working_segments):
        boundaries[f"_seg{index}_start"] = begin
        boundaries[f"_seg{index}_end"] = finish
    return clock.with_columns(
        wall_time_instant("date", wall, "timezone", names).alias(name)
        for name, wall in boundaries.items()
    )


def _grid(zones: pl.DataFrame, days: pl.DataFrame, clock: pl.DataFrame) -> pl.DataFrame:
    """One row per employee and date of the period, with the day's kind and schedule."""
    scheduled = (
        pl.col("is_workday")
        & (pl.col("hired_on").is_null() | (pl.col("hired_on") <= pl.col("date")))
        & (pl.col("left_on").is_null() | (pl.col("date") <= pl.col("left_on")))
    )
    return (
        zones.select("_emp", "timezone", "hired_on", "left_on")
        .join(days, how="cross")
        .join(
            clock.select("timezone", "date", "_window_start", "_window_end"),
            on=["timezone", "date"],
        )
        .with_columns(scheduled.alias("scheduled"))
        .drop("hired_on", "left_on", "is_workday")
    )


def _explode_days(
    table: pl.DataFrame, names: list[str], start: dt.date, end: dt.date
) -> pl.DataFrame:
    """One row per local date an interval [start, end] touches, within the period."""
    first = pl.max_horizontal(local_date("start", "timezone", names), pl.lit(start))
    last = pl.min_horizontal(local_date("end", "timezone", names), pl.lit(end))
    return (
        table.with_columns(first.alias("_first"), last.alias("_last"))
        .filter(pl.col("_first") <= pl.col("_last"))
        .with_columns(pl.date_ranges("_first", "_last").alias("date"))
        .explode("date")
        .drop("_first", "_last")
    )


def _required_pieces(
    grid: pl.DataFrame,
    prepared: _Prepared,
    clock: pl.DataFrame,
    schedule: Schedule,
    start: dt.date,
    end: dt.date,
) -> pl.DataFrame:
    """Working hours less breaks less approved leave: (_emp, date, start, end) pieces."""
    scheduled = grid.filter(pl.col("scheduled")).select(*KEY, "timezone")
    scheduled = scheduled.join(clock, on=["timezone", "date"])
    segments = pl.concat(
        [
            scheduled.select(
                *KEY,
                pl.col(f"_seg{i}_start").alias("start"),
                pl.col(f"_seg{i}_end").alias("end"),
            )
            for i in range(len(schedule.working_segments))
        ]
    ).with_row_index("_piece")
    approved = prepared.leaves.filter(pl.col("status") == "approved")
    approved = _explode_days(approved, prepared.names, start, end)
    cuts = segments.select("_piece", *KEY).join(
        approved.select(*KEY, pl.col("_start").alias("start"), pl.col("_end").alias("end")),
        on=KEY,
    )
    pieces = subtract(segments.select("_piece", "start", "end"), cuts.drop(KEY), "_piece")
    return pieces.join(segments.select("_piece", *KEY), on="_piece").drop("_piece")


def _day_evidence(prepared: _Prepared) -> pl.DataFrame:
    """Per employee-day: punches and visits, earliest arrival and latest departure of each.

    Punches arrive sorted by instant, so the first (last) of a filtered group is the
    earliest (latest)."""
    can_arrive = pl.col("direction").is_null() | (pl.col("direction") == "in")
    can_leave = pl.col("direction").is_null() | (pl.col("direction") == "out")
    punch_days = prepared.punches.group_by(KEY).agg(
        pl.len().alias("_punches"),
        pl.col("direction").is_null().sum().alias("_undirected"),
        pl.col("at").filter(can_arrive).first().alias("_punch_in"),
        pl.col(_REF).filter(can_arrive).first().alias("_punch_in_ref"),
        pl.col("at").filter(can_leave).last().alias("_punch_out"),
        pl.col(_REF).filter(can_leave).last().alias("_punch_out_ref"),
        pl.col("at").first().alias("_only_at"),
        pl.col(_REF).first().alias("_only_ref"),
        pl.col(_REF).alias("_punch_refs"),
    )
    visit_days = prepared.visits.group_by(KEY).agg(
        pl.len().alias("_visits"),
        pl.col("start").min().alias("_visit_in"),
        pl.col(_REF).get(pl.col("start").arg_min()).alias("_visit_in_ref"),
        pl.col("end").max().alias("_visit_out"),
        pl.col(_REF).get(pl.col("end").arg_max()).alias("_visit_out_ref"),
        pl.col(_REF).alias("_visit_refs"),
    )
    return punch_days.join(visit_days, on=KEY, how="full", coalesce=True)


def _pick(a: str, a_ref: str, b: str, b_ref: str, earliest: bool) -> tuple[pl.Expr, pl.Expr]:
    """The earlier (or later) of two nullable instants, with the reference of the one taken."""
    value = pl.min_horizontal(a, b) if earliest else pl.max_horizontal(a, b)
    better = pl.col(a) <= pl.col(b) if earliest else pl.col(a) >= pl.col(b)
    take_a = pl.col(a).is_not_null() & (pl.col(b).is_null() | better)
    return value, pl.when(take_a).then(pl.col(a_ref)).otherwise(pl.col(b_ref))


def _workday(
    grid: pl.DataFrame,
    required: pl.DataFrame,
    prepared: _Prepared,
    start: dt.date,
    end: dt.date,
    params: Mapping[str, Any],
) -> pl.DataFrame:
    spans = required.group_by(KEY).agg(
        (pl.col("end") - pl.col("start")).sum().alias("_required_us"),
        pl.col("start").min().alias("_rs"),
        pl.col("end").max().alias("_re"),
    )
    day = (
        grid.join(spans, on=KEY, how="left")
        .join(_day_evidence(prepared), on=KEY, how="left")
        .join(_unapproved_leave(prepared, required, start, end), on=KEY, how="left")
        .with_columns(
            pl.col("_required_us").fill_null(0),
            pl.col("_punches").fill_null(0),
            pl.col("_visits").fill_null(0),
        )
    )
    judged = pl.col("scheduled") & (pl.col("_required_us") > 0)
    lone = (pl.col("_punches") == 1) & (pl.col("_undirected") == 1) & (pl.col("_visits") == 0)
    # A lone undirected punch is the arrival before the midpoint of the required interval (of
    # the working hours when that is empty), the departure after it; always the arrival on a
    # day that is not scheduled.  2*at < start+end is the midpoint test without rounding.
    some_required = pl.col("_required_us") > 0
    mid_start = pl.when(some_required).then("_rs").otherwise("_window_start")
    mid_end = pl.when(some_required).then("_re").otherwise("_window_end")
    lone_arrives = ~pl.col("scheduled") | (2 * pl.col("_only_at") < mid_start + mid_end)
    arrival, arrival_ref = _pick("_punch_in", "_punch_in_ref", "_visit_in", "_visit_in_ref", True)
    departure, departure_ref = _pick(
        "_punch_out", "_punch_out_ref", "_visit_out", "_visit_out_ref", False
    )
    day = day.with_columns(
        pl.when(lone)
        .then(pl.when(lone_arrives).then("_only_at"))
        .otherwise(arrival)
        .alias("_arrival"),
        pl.when(lone)
        .then(pl.when(lone_arrives).then("_only_ref"))
        .otherwise(arrival_ref)
        .alias("arrival_ref"),
        pl.when(lone)
        .then(pl.when(~lone_arrives).then("_only_at"))
        .otherwise(departure)
        .alias("_departure"),
        pl.when(lone)
        .then(pl.when(~lone_arrives).then("_only_ref"))
        .otherwise(departure_ref)
        .alias("departure_ref"),
        ((pl.col("_punches") + pl.col("_visits")) > 0).alias("has_presence"),
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
    day = day.join(_overtime_approval(day, prepared, params), on=KEY, how="left")
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
        pl.col("unapproved_leave_ids").fill_null([]),
        pl.col("unapproved_leave_ids").list.len().fill_null(0).alias("unapproved_leave_count"),
        _as_utc("_ot_start").alias("overtime_start"),
        "overtime_minutes",
        pl.col("overtime_approved").fill_null(False),
        pl.col("overtime_request_ids").fill_null([]),
        "arrival_ref",
        "departure_ref",
        pl.col("_punch_refs").alias("punch_refs"),
        pl.col("_visit_refs").alias("visit_refs"),
        pl.col("leave_refs").fill_null([]),
        pl.when(pl.col("_ot_start").is_not_null() & ~pl.col("scheduled"))
        .then("arrival_ref")
        .alias("overtime_start_ref"),
    )


def _overtime_approval(
    day: pl.DataFrame, prepared: _Prepared, params: Mapping[str, Any]
) -> pl.DataFrame:
    """Days with overtime joined to overtime requests approved in advance that overlap it."""
    threshold = int(params["overtime_min_minutes"])
    overtime = day.filter(pl.col("overtime_minutes") > threshold).select(
        *KEY, "_ot_start", "_departure"
    )
    in_advance = prepared.overtime.filter(
        (pl.col("status") == "approved") & (pl.col("decided_at") <= pl.col("start"))
    ).select("_emp", "request_id", "_start", "_end")
    matched = overtime.join(in_advance, on="_emp").filter(
        (pl.col("_start") < pl.col("_departure")) & (pl.col("_end") > pl.col("_ot_start"))
    )
    return matched.group_by(KEY).agg(
        pl.lit(True).alias("overtime_approved"),
        pl.col("request_id").unique().sort().alias("overtime_request_ids"),
    )


def _unapproved_leave(
    prepared: _Prepared, required: pl.DataFrame, start: dt.date, end: dt.date
) -> pl.DataFrame:
    """Leave requests not approved that overlap a day's required pieces."""
    pending = prepared.leaves.filter(pl.col("status") != "approved")
    pending = _explode_days(pending, prepared.names, start, end)
    overlapping = (
        pending.select(*KEY, "request_id", "_start", "_end", _REF)
        .join(required, on=KEY)
        .filter((pl.col("_start") < pl.col("end")) & (pl.col("_end") > pl.col("start")))
    )
    return overlapping.group_by(KEY).agg(
        pl.col("request_id").unique().sort().alias("unapproved_leave_ids"),
        pl.col(_REF).unique().sort().alias("leave_refs"),
    )


def _leave(prepared: _Prepared, start: dt.date, end: dt.date) -> pl.DataFrame:
    leaves = prepared.leaves.with_columns(
        local_date("start", "timezone", prepared.names).alias("date")
    )
    in_advance = (pl.col("status") == "approved") & (pl.col("decided_at") <= pl.col("start"))
    return leaves.filter(pl.col("date").is_between(start, end)).select(
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
    prepared: _Prepared, required: pl.DataFrame, start: dt.date, end: dt.date
) -> pl.DataFrame:
    """Out punches followed by an in punch the same day, measured inside required pieces.

    Directed punches are in (employee, instant, direction) order, "in" before "out" at the
    same instant, so the pair is the next row when it has the same employee and date."""
    directed = prepared.punches.filter(
        pl.col("direction").is_not_null() & pl.col("date").is_between(start, end)
    )
    same_day = (pl.col("_emp").shift(-1) == pl.col("_emp")) & (
        pl.col("date").shift(-1) == pl.col("date")
    )
    gaps = directed.with_columns(
        pl.col("at").shift(-1).alias("_back"),
        pl.col(_REF).shift(-1).alias("returned_ref"),
        ((pl.col("direction") == "out") & (pl.col("direction").shift(-1) == "in") & same_day).alias(
            "_pair"
        ),
    ).filter(pl.col("_pair"))
    gaps = gaps.select(
        *KEY,
        pl.col("at").alias("_left"),
        "_back",
        pl.col(_REF).alias("left_ref"),
        "returned_ref",
    ).with_row_index("_gap")
    inside = (
        gaps.select("_gap", *KEY, "_left", "_back")
        .join(required, on=KEY)
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
    zones = prepared.zones.select("_emp", "timezone")
    return (
        gaps.join(per_gap, on="_gap", how="left")
        .join(zones, on="_emp")
        .select(
            *KEY,
            "timezone",
            _as_utc("_left").alias("left_at"),
            _as_utc("_back").alias("returned_at"),
            ceil_minutes(pl.col("_away").fill_null(0)).alias("minutes_away"),
            "left_ref",
            "returned_ref",
        )
    )


def _employee_month(workday: pl.DataFrame, params: Mapping[str, Any]) -> pl.DataFrame:
    threshold = int(params["overtime_min_minutes"])
    counted = pl.col("overtime_minutes") > threshold
    months = workday.with_columns(pl.col("date").dt.strftime("%Y-%m").alias("period"))
    return months.group_by("_emp", "timezone", "period").agg(
        pl.col("overtime_minutes").filter(counted).sum().alias("overtime_minutes"),
        counted.sum().cast(pl.Int64).alias("overtime_days"),
    )
