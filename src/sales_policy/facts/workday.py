"""The ``workday`` facts: each employee-day's arrival and departure, minutes late and early,
missing side, overtime, and the requests behind them (docs/attendance.md).

Derived on the grid of employee-days (:mod:`.daygrid`) from the per-day tables of punches
and visits that :mod:`.attendance` sets beside it; leave not approved and overtime requests
approved in advance are matched here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import polars as pl

from ..validation import REF as _REF
from .daygrid import DAY, KEY, Period, attach, explode_days, required_pieces
from .intervals import as_utc, ceil_minutes

if TYPE_CHECKING:
    from .attendance import Prepared


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


def workday_facts(
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
        as_utc("_rs").alias("required_start"),
        as_utc("_re").alias("required_end"),
        "has_presence",
        as_utc("_arrival").alias("arrival"),
        as_utc("_departure").alias("departure"),
        "minutes_late",
        "minutes_early",
        "missing_side",
        "missing_side_zh",
        "unapproved_leave_ids",
        pl.col("unapproved_leave_ids").list.len().cast(pl.Int64).alias("unapproved_leave_count"),
        as_utc("_ot_start").alias("overtime_start"),
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
