"""Attendance facts: ``workday``, ``leave``, ``post_gap`` and ``employee_month``.

The semantics are those of docs/attendance.md (handbook 1.2, 4.3, 8.1), derived column-wise:
no per-row Python.  Instants are epoch microseconds (UTC) while deriving and UTC datetimes in
the finished tables.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from ..calendar import Schedule, WorkingCalendar
from .intervals import ceil_minutes, local_date, subtract, wall_time_instant

KEY = ["employee_id", "date"]
_REF = "_ref"


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
    return pl.from_epoch(pl.col(column), time_unit="us").dt.replace_time_zone("UTC").alias(column)


def employee_zones(inputs: Inputs, policy_timezone: str) -> pl.DataFrame:
    """Every employee judged: with an employee record or seen in any attendance record."""
    seen = pl.concat(
        [
            t.select("employee_id")
            for t in (
                inputs.punches,
                inputs.leaves,
                inputs.overtime,
                inputs.visits,
                inputs.employees,
            )
        ]
    ).unique()
    return seen.join(
        inputs.employees.select("employee_id", "timezone", "hired_on", "left_on"),
        on="employee_id",
        how="left",
    ).with_columns(pl.col("timezone").fill_null(policy_timezone))


def _with_zone(table: pl.DataFrame, zones: pl.DataFrame) -> pl.DataFrame:
    return table.join(zones.select("employee_id", "timezone"), on="employee_id", how="left")


def default_period(inputs: Inputs, zones: pl.DataFrame) -> tuple[dt.date, dt.date] | None:
    """First to last local date with a punch or a visit; None when there are none."""
    names = zones.get_column("timezone").unique().to_list()
    dates = (
        pl.concat(
            [
                _with_zone(inputs.punches, zones).select(
                    local_date("at", "timezone", names).alias("d")
                ),
                _with_zone(inputs.visits, zones).select(
                    local_date("start", "timezone", names).alias("d")
                ),
            ]
        )
        .get_column("d")
        .drop_nulls()
    )
    if dates.is_empty():
        return None
    return dates.min(), dates.max()  # type: ignore[return-value]


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
    zones = employee_zones(inputs, policy_timezone)
    if start is None or end is None:
        found = default_period(inputs, zones)
        if found is None:
            return {}, None
        start, end = start or found[0], end or found[1]
    names = sorted(zones.get_column("timezone").unique().to_list())
    days = calendar.day_kinds(start, end)
    grid = _grid(zones, days, schedule, names)
    required = _required_pieces(grid, inputs, schedule, names, start, end)
    workday = _workday(grid, required, inputs, zones, names, start, end, params)
    tables = {
        "workday": workday,
        "leave": _leave(inputs, zones, names, start, end),
        "post_gap": _post_gaps(inputs, zones, names, required, start, end),
        "employee_month": _employee_month(workday, zones, days, params),
    }
    return tables, (start, end)


def _grid(
    zones: pl.DataFrame, days: pl.DataFrame, schedule: Schedule, names: list[str]
) -> pl.DataFrame:
    grid = zones.join(days, how="cross")
    scheduled = (
        pl.col("is_workday")
        & (pl.col("hired_on").is_null() | (pl.col("hired_on") <= pl.col("date")))
        & (pl.col("left_on").is_null() | (pl.col("date") <= pl.col("left_on")))
    )
    return grid.with_columns(
        scheduled.alias("scheduled"),
        wall_time_instant("date", schedule.start, "timezone", names).alias("_window_start"),
        wall_time_instant("date", schedule.end, "timezone", names).alias("_window_end"),
    )


def _required_pieces(
    grid: pl.DataFrame,
    inputs: Inputs,
    schedule: Schedule,
    names: list[str],
    start: dt.date,
    end: dt.date,
) -> pl.DataFrame:
    """Working hours less breaks less approved leave: (employee_id, date, start, end) pieces."""
    scheduled = grid.filter(pl.col("scheduled")).select(*KEY, "timezone")
    segments = pl.concat(
        [
            scheduled.select(
                *KEY,
                wall_time_instant("date", begin, "timezone", names).alias("start"),
                wall_time_instant("date", finish, "timezone", names).alias("end"),
            )
            for begin, finish in schedule.working_segments
        ]
    ).with_row_index("_piece")
    approved = inputs.leaves.filter(pl.col("status") == "approved").select(
        "employee_id", "start", "end"
    )
    approved = _explode_days(
        _with_zone(approved, grid.select("employee_id", "timezone").unique()), names, start, end
    )
    cuts = segments.select("_piece", *KEY).join(
        approved.select(*KEY, _us("start").alias("start"), _us("end").alias("end")), on=KEY
    )
    pieces = subtract(segments.select("_piece", "start", "end"), cuts.drop(KEY), "_piece")
    return pieces.join(segments.select("_piece", *KEY), on="_piece").drop("_piece")


def _day_evidence(inputs: Inputs, zones: pl.DataFrame, names: list[str]) -> pl.DataFrame:
    punches = _with_zone(inputs.punches, zones).select(
        "employee_id",
        local_date("at", "timezone", names).alias("date"),
        _us("at").alias("at"),
        "direction",
        _REF,
    )
    can_arrive = pl.col("direction").is_null() | (pl.col("direction") == "in")
    can_leave = pl.col("direction").is_null() | (pl.col("direction") == "out")
    by_day = punches.group_by(KEY).agg(
        pl.len().alias("_punches"),
        pl.col("direction").is_null().sum().alias("_undirected"),
        pl.col("at").filter(can_arrive).min().alias("_punch_in"),
        pl.col(_REF)
        .filter(can_arrive)
        .sort_by(pl.col("at").filter(can_arrive))
        .first()
        .alias("_punch_in_ref"),
        pl.col("at").filter(can_leave).max().alias("_punch_out"),
        pl.col(_REF)
        .filter(can_leave)
        .sort_by(pl.col("at").filter(can_leave))
        .last()
        .alias("_punch_out_ref"),
        pl.col("at").first().alias("_only_at"),
        pl.col(_REF).first().alias("_only_ref"),
        pl.col(_REF).alias("_punch_refs"),
    )
    visits = _with_zone(inputs.visits, zones).select(
        "employee_id",
        local_date("start", "timezone", names).alias("date"),
        _us("start").alias("start"),
        _us("end").alias("end"),
        _REF,
    )
    visit_days = visits.group_by(KEY).agg(
        pl.len().alias("_visits"),
        pl.col("start").min().alias("_visit_in"),
        pl.col(_REF).sort_by("start").first().alias("_visit_in_ref"),
        pl.col("end").max().alias("_visit_out"),
        pl.col(_REF).sort_by("end").last().alias("_visit_out_ref"),
        pl.col(_REF).alias("_visit_refs"),
    )
    return by_day.join(visit_days, on=KEY, how="full", coalesce=True)


def _earliest(a: str, a_ref: str, b: str, b_ref: str, pick_min: bool) -> tuple[pl.Expr, pl.Expr]:
    """The earlier (or later) of two nullable instants, with the reference of the one taken."""
    value = pl.min_horizontal(a, b) if pick_min else pl.max_horizontal(a, b)
    take_a = pl.col(a).is_not_null() & (
        pl.col(b).is_null() | (pl.col(a) <= pl.col(b) if pick_min else pl.col(a) >= pl.col(b))
    )
    ref = pl.when(take_a).then(pl.col(a_ref)).otherwise(pl.col(b_ref))
    return value, ref


def _as_list(column: str) -> pl.Expr:
    """A nullable reference as a list of zero or one references."""
    return pl.concat_list(pl.col(column)).list.drop_nulls()


def _workday(
    grid: pl.DataFrame,
    required: pl.DataFrame,
    inputs: Inputs,
    zones: pl.DataFrame,
    names: list[str],
    start: dt.date,
    end: dt.date,
    params: Mapping[str, Any],
) -> pl.DataFrame:
    spans = required.group_by(KEY).agg(
        (pl.col("end") - pl.col("start")).sum().alias("_required_us"),
        pl.col("start").min().alias("_rs"),
        pl.col("end").max().alias("_re"),
    )
    unapproved = _unapproved_leave(inputs, zones, names, required, start, end)
    day = (
        grid.join(spans, on=KEY, how="left")
        .join(_day_evidence(inputs, zones, names), on=KEY, how="left")
        .join(unapproved, on=KEY, how="left")
        .with_columns(
            pl.col("_required_us").fill_null(0),
            pl.col("_punches").fill_null(0),
            pl.col("_visits").fill_null(0),
            pl.col("unapproved_leave_ids").fill_null([]),
            pl.col("leave_refs").fill_null([]),
        )
    )
    judged = pl.col("scheduled") & (pl.col("_required_us") > 0)
    lone = (pl.col("_punches") == 1) & (pl.col("_undirected") == 1) & (pl.col("_visits") == 0)
    # A lone undirected punch is the arrival before the midpoint of the required interval (of
    # the working hours when that is empty), the departure after it; always the arrival on a
    # day that is not scheduled.  2*at < start+end is the midpoint test without rounding.
    mid_start = pl.when(pl.col("_required_us") > 0).then("_rs").otherwise("_window_start")
    mid_end = pl.when(pl.col("_required_us") > 0).then("_re").otherwise("_window_end")
    lone_arrives = ~pl.col("scheduled") | (2 * pl.col("_only_at") < mid_start + mid_end)
    arrival, arrival_ref = _earliest(
        "_punch_in", "_punch_in_ref", "_visit_in", "_visit_in_ref", pick_min=True
    )
    departure, departure_ref = _earliest(
        "_punch_out", "_punch_out_ref", "_visit_out", "_visit_out_ref", pick_min=False
    )
    day = day.with_columns(
        pl.when(lone)
        .then(pl.when(lone_arrives).then("_only_at"))
        .otherwise(arrival)
        .alias("_arrival"),
        pl.when(lone)
        .then(pl.when(lone_arrives).then("_only_ref"))
        .otherwise(arrival_ref)
        .alias("_arrival_ref"),
        pl.when(lone)
        .then(pl.when(~lone_arrives).then("_only_at"))
        .otherwise(departure)
        .alias("_departure"),
        pl.when(lone)
        .then(pl.when(~lone_arrives).then("_only_ref"))
        .otherwise(departure_ref)
        .alias("_departure_ref"),
        ((pl.col("_punches") + pl.col("_visits")) > 0).alias("has_presence"),
    )
    late = pl.max_horizontal(pl.col("_arrival") - pl.col("_rs"), pl.lit(0))
    early = pl.max_horizontal(pl.col("_re") - pl.col("_departure"), pl.lit(0))
    ot_start = pl.when(pl.col("scheduled")).then("_window_end").otherwise("_arrival")
    ot_micros = pl.col("_departure") - pl.col("_ot_start")
    day = day.with_columns(
        pl.when(judged).then(ceil_minutes(late)).alias("minutes_late"),
        pl.when(judged).then(ceil_minutes(early)).alias("minutes_early"),
        pl.when(pl.col("has_presence") & pl.col("_arrival").is_null())
        .then(pl.lit("arrival"))
        .when(pl.col("has_presence") & pl.col("_departure").is_null())
        .then(pl.lit("departure"))
        .alias("missing_side"),
        ot_start.alias("_ot_start"),
    ).with_columns(
        pl.when(ot_micros > 0).then(ceil_minutes(ot_micros)).otherwise(0).alias("overtime_minutes"),
    )
    day = day.join(_overtime_approval(day, inputs, params), on=KEY, how="left")
    refs = pl.concat_list(pl.col("_punch_refs").fill_null([]), pl.col("_visit_refs").fill_null([]))
    has_overtime = pl.col("overtime_minutes") > 0
    return (
        day.select(
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
            "unapproved_leave_ids",
            pl.col("unapproved_leave_ids").list.len().alias("unapproved_leave_count"),
            pl.when(has_overtime).then(pl.col("_ot_start")).alias("_ot"),
            "overtime_minutes",
            pl.col("overtime_approved").fill_null(False),
            pl.col("overtime_request_ids").fill_null([]),
            _as_list("_arrival_ref").alias("arrival_refs"),
            _as_list("_departure_ref").alias("departure_refs"),
            refs.alias("presence_refs"),
            "leave_refs",
            pl.when(has_overtime)
            .then(
                pl.concat_list(
                    pl.when(~pl.col("scheduled")).then(pl.col("_arrival_ref")),
                    pl.col("_departure_ref"),
                ).list.drop_nulls()
            )
            .otherwise(pl.lit([], pl.List(pl.Int64)))
            .alias("overtime_refs"),
        )
        .with_columns(_as_utc("_ot").alias("overtime_start"))
        .drop("_ot")
        .sort(KEY)
    )


def _overtime_approval(
    day: pl.DataFrame, inputs: Inputs, params: Mapping[str, Any]
) -> pl.DataFrame:
    """Days with overtime joined to overtime requests approved in advance that overlap it."""
    threshold = int(params.get("overtime_min_minutes", 0))
    overtime = day.filter(pl.col("overtime_minutes") > threshold).select(
        *KEY, "_ot_start", "_departure"
    )
    in_advance = inputs.overtime.filter(
        (pl.col("status") == "approved") & (pl.col("decided_at") <= pl.col("start"))
    ).select(
        "employee_id", "request_id", _us("start").alias("_r_start"), _us("end").alias("_r_end")
    )
    matched = overtime.join(in_advance, on="employee_id").filter(
        (pl.col("_r_start") < pl.col("_departure")) & (pl.col("_r_end") > pl.col("_ot_start"))
    )
    return matched.group_by(KEY).agg(
        pl.lit(True).alias("overtime_approved"),
        pl.col("request_id").unique().sort().alias("overtime_request_ids"),
    )


def _unapproved_leave(
    inputs: Inputs,
    zones: pl.DataFrame,
    names: list[str],
    required: pl.DataFrame,
    start: dt.date,
    end: dt.date,
) -> pl.DataFrame:
    """Leave requests not approved that overlap a day's required pieces."""
    pending = inputs.leaves.filter(pl.col("status") != "approved")
    pending = _explode_days(_with_zone(pending, zones), names, start, end).select(
        *KEY, "request_id", _us("start").alias("_l_start"), _us("end").alias("_l_end"), _REF
    )
    overlapping = pending.join(required, on=KEY).filter(
        (pl.col("_l_start") < pl.col("end")) & (pl.col("_l_end") > pl.col("start"))
    )
    return overlapping.group_by(KEY).agg(
        pl.col("request_id").unique().sort().alias("unapproved_leave_ids"),
        pl.col(_REF).unique().sort().alias("leave_refs"),
    )


def _leave(
    inputs: Inputs, zones: pl.DataFrame, names: list[str], start: dt.date, end: dt.date
) -> pl.DataFrame:
    leaves = _with_zone(inputs.leaves, zones).with_columns(
        local_date("start", "timezone", names).alias("date")
    )
    return (
        leaves.filter(pl.col("date").is_between(start, end))
        .select(
            *KEY,
            "timezone",
            "request_id",
            "leave_type",
            "status",
            "start",
            "end",
            "decided_at",
            ((pl.col("status") == "approved") & (pl.col("decided_at") <= pl.col("start")))
            .fill_null(False)
            .alias("approved_in_advance"),
            pl.concat_list(pl.col(_REF)).alias("request_refs"),
        )
        .sort([*KEY, "request_id"])
    )


def _post_gaps(
    inputs: Inputs,
    zones: pl.DataFrame,
    names: list[str],
    required: pl.DataFrame,
    start: dt.date,
    end: dt.date,
) -> pl.DataFrame:
    """Out punches followed by an in punch the same day, measured inside required pieces."""
    directed = (
        _with_zone(inputs.punches.filter(pl.col("direction").is_not_null()), zones)
        .select(
            "employee_id",
            "timezone",
            local_date("at", "timezone", names).alias("date"),
            _us("at").alias("at"),
            "direction",
            _REF,
        )
        .filter(pl.col("date").is_between(start, end))
        .sort(*KEY, "at", "direction")
    )
    following = [
        pl.col(c).shift(-1).over(KEY).alias(f"_next_{c}") for c in ("at", "direction", _REF)
    ]
    gaps = (
        directed.with_columns(following)
        .filter((pl.col("direction") == "out") & (pl.col("_next_direction") == "in"))
        .select(
            *KEY,
            "timezone",
            pl.col("at").alias("_left"),
            pl.col("_next_at").alias("_back"),
            pl.concat_list(_REF, f"_next_{_REF}").alias("gap_refs"),
        )
        .with_row_index("_gap")
    )
    inside = (
        gaps.select("_gap", *KEY, "_left", "_back")
        .join(required, on=KEY)
        .select(
            "_gap",
            pl.max_horizontal("_left", "start").alias("start"),
            pl.min_horizontal("_back", "end").alias("end"),
            "employee_id",
        )
        .filter(pl.col("start") < pl.col("end"))
        .with_row_index("_inside")
    )
    visits = inputs.visits.select(
        "employee_id", _us("start").alias("start"), _us("end").alias("end")
    )
    cuts = (
        inside.select("_inside", "employee_id").join(visits, on="employee_id").drop("employee_id")
    )
    away = subtract(inside.select("_inside", "start", "end"), cuts, "_inside")
    per_gap = (
        away.join(inside.select("_inside", "_gap"), on="_inside")
        .group_by("_gap")
        .agg((pl.col("end") - pl.col("start")).sum().alias("_away"))
    )
    return (
        gaps.join(per_gap, on="_gap", how="left")
        .select(
            *KEY,
            "timezone",
            _as_utc("_left").alias("left_at"),
            _as_utc("_back").alias("returned_at"),
            ceil_minutes(pl.col("_away").fill_null(0)).alias("minutes_away"),
            "gap_refs",
        )
        .sort([*KEY, "left_at"])
    )


def _employee_month(
    workday: pl.DataFrame, zones: pl.DataFrame, days: pl.DataFrame, params: Mapping[str, Any]
) -> pl.DataFrame:
    threshold = int(params.get("overtime_min_minutes", 0))
    counted = pl.col("overtime_minutes") > threshold
    months = workday.with_columns(pl.col("date").dt.strftime("%Y-%m").alias("period"))
    return (
        months.group_by("employee_id", "timezone", "period")
        .agg(
            pl.col("overtime_minutes").filter(counted).sum().alias("overtime_minutes"),
            counted.sum().cast(pl.Int64).alias("overtime_days"),
        )
        .sort("employee_id", "period")
    )
