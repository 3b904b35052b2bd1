"""Attendance facts: ``workday``, ``leave``, ``post_gap`` and ``employee_month``.

The semantics are those of docs/attendance.md (handbook 1.2, 4.3, 8.1), derived column-wise:
no per-row Python.  While deriving, employees are integer codes (``_emp``, their position in
the sorted list of employees), instants are epoch microseconds (UTC), and an employee-day is
one integer, ``_day = _emp * days_in_period + day_of_period``.  The grid of employee-days is
laid out in ``_day`` order (row i is ``_day`` i) and every per-day table is grouped in that
order, so attaching one to the grid is a merge of two sorted integer columns or a scatter by
row number, not a hash join on (employee, date).  Schedule instants are computed once per
(timezone, date), not per employee.  The finished tables carry ``employee_id`` and UTC
datetimes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from ..calendar import Schedule, WorkingCalendar
from ..zones import local_dates
from .intervals import ceil_minutes, subtract, wall_time_instant

KEY = ["_emp", "date"]
DAY = "_day"
_DAY_US = 86_400_000_000
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
    return pl.from_epoch(pl.col(column), time_unit="us").dt.replace_time_zone("UTC")


def _employee_codes(inputs: Inputs) -> tuple[pl.Series, pl.Series]:
    """The employee ids of the attendance records, sorted, each once; and each punch's
    position among them.  Punches, most of the rows, seldom name an employee no other record
    names: they are coded against the others' ids and only the ids left over are collected,
    one pass over the punches' ids where collecting and then coding took two."""
    tables = (inputs.employees, inputs.leaves, inputs.overtime, inputs.visits)
    others = [table.get_column("employee_id").unique(maintain_order=True) for table in tables]
    ids = pl.concat(others).unique().sort()
    punch_ids = inputs.punches.get_column("employee_id")
    codes = punch_ids.cast(pl.Enum(ids), strict=False)
    more = punch_ids.filter(codes.is_null()).drop_nulls().unique()
    if more.len():
        ids = pl.concat([ids, more]).unique().sort()
        codes = punch_ids.cast(pl.Enum(ids))
    return ids, codes.to_physical()


def employee_zones(inputs: Inputs, ids: pl.Series, policy_timezone: str) -> pl.DataFrame:
    """Every employee judged (``ids``: with an employee record or seen in any attendance
    record), sorted by id, with an integer code (their position), timezone, hire and leaving
    dates."""
    seen = ids.to_frame("employee_id")
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
class Prepared:
    """Records with employee codes, local dates and integer instants, computed once.

    ``_zone`` is the position of the row's timezone in ``names``."""

    zones: pl.DataFrame  # _emp, employee_id, timezone, hired_on, left_on; row i has _emp i
    names: list[str]  # the timezones present, sorted
    punches: pl.DataFrame  # _emp, _zone, date, at, _dir (in 0, out 1, none 2), _ref
    visits: pl.DataFrame  # _emp, _zone, date, start, end, _ref (input order)
    leaves: pl.DataFrame  # leave requests with _emp, _zone, timezone, integer _start/_end,
    #                      local dates of the start (date) and end (_last_date)
    overtime: pl.DataFrame  # overtime requests with _emp, _zone, integer _start/_end

    def period(self) -> tuple[dt.date, dt.date] | None:
        """First to last local date with a punch or a visit; None when there are none."""
        dates = pl.concat(
            [self.punches.get_column("date"), self.visits.get_column("date")]
        ).drop_nulls()
        if dates.is_empty():
            return None
        return dates.min(), dates.max()  # type: ignore[return-value]


def _coded(
    table: pl.DataFrame, zones: pl.DataFrame, zone_codes: pl.Series, emp: pl.Series | None = None
) -> pl.DataFrame:
    """``table`` with each row's employee code (``emp`` when known) and timezone code
    (``_zone``).

    The codes are positions in ``zones`` (sorted, unique ids), which is what an Enum over
    those ids stores: casting looks each id up once, far cheaper than a join on text."""
    if emp is None:
        emp = table.get_column("employee_id").cast(pl.Enum(zones.get_column("employee_id")))
        emp = emp.to_physical()
    emp = emp.alias("_emp")
    return table.with_columns(emp, zone_codes.gather(emp).alias("_zone"))


def prepare(inputs: Inputs, policy_timezone: str) -> Prepared:
    """Employee codes, local dates and integer instants of the attendance records."""
    ids, punch_codes = _employee_codes(inputs)
    zones = employee_zones(inputs, ids, policy_timezone)
    names = sorted(zones.get_column("timezone").unique().to_list())
    codes = zones.get_column("timezone").cast(pl.Enum(names)).to_physical().cast(pl.UInt32)
    out = (pl.col("direction") == "out").cast(pl.Int8)  # "in", "out" or null (validated)
    direction = out.fill_null(2).alias("_dir")  # in 0, out 1, undirected 2
    punches = _coded(inputs.punches, zones, codes, punch_codes).select(
        "_emp", "_zone", _us("at").alias("at"), direction, _REF
    )

    def dated(table: pl.DataFrame, instant: str) -> pl.Series:
        return local_dates(table.get_column(instant), table.get_column("_zone"), names)

    punches = punches.with_columns(dated(punches, "at").alias("date"))
    visits = _coded(inputs.visits, zones, codes).select(
        "_emp", "_zone", _us("start").alias("start"), _us("end").alias("end"), _REF
    )
    visits = visits.with_columns(dated(visits, "start").alias("date"))
    leaves = _coded(inputs.leaves, zones, codes).with_columns(
        _us("start").alias("_start"), _us("end").alias("_end")
    )
    leaves = leaves.with_columns(
        zones.get_column("timezone").gather(leaves.get_column("_emp")),
        dated(leaves, "_start").alias("date"),
        dated(leaves, "_end").alias("_last_date"),
    )
    overtime = _coded(inputs.overtime, zones, codes).with_columns(
        _us("start").alias("_start"), _us("end").alias("_end")
    )
    return Prepared(zones, names, punches, visits, leaves, overtime)


@dataclass(frozen=True)
class _Period:
    """The evaluation period, and the integer employee-day key over it."""

    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, date: str = "date") -> pl.Expr:
        return pl.col(date).is_between(self.start, self.end)

    def day_key(self, date: str = "date") -> pl.Expr:
        """``_day`` of rows with ``_emp`` and a local date inside the period."""
        first = (self.start - dt.date(1970, 1, 1)).days
        offset = pl.col(date).cast(pl.Int64) - first
        return (pl.col("_emp").cast(pl.Int64) * self.days + offset).alias(DAY)


def _by_day(table: pl.DataFrame, period: _Period, instant: str, *columns: str) -> pl.DataFrame:
    """The rows dated inside the period, sorted by (``_day``, instant, ``_dir`` if among
    ``columns``, input row): ``_day`` and ``columns``.  One integer sorts in half the time of
    four columns: when the rows are in input order (``_ref`` ascending, as tables are read)
    and the key fits 63 bits, ``_day``, the instant's distance from the UTC midnight of its
    date and ``_dir`` are packed into one Int64 and sorted stably (ties keep input order)."""
    rows = table.filter(period.contains()).with_columns(period.day_key())
    ranks = 3 if "_dir" in columns else 1
    since_midnight = pl.col(instant) - pl.col("date").cast(pl.Int64) * _DAY_US
    low, high, last_day = rows.select(
        since_midnight.min().alias("low"), since_midnight.max().alias("high"), pl.col(DAY).max()
    ).row(0)
    if (
        low is not None
        and not rows.get_column(instant).has_nulls()
        and rows.get_column(_REF).is_sorted()
        and (last_day + 1) * (high - low + 1) * ranks < 2**63
    ):
        key = pl.col(DAY) * ((high - low + 1) * ranks) + (since_midnight - low) * ranks
        key = key + pl.col("_dir") if ranks > 1 else key
        rows = rows.select(DAY, *columns, key.alias("_key")).sort("_key", maintain_order=True)
    else:
        rows = rows.sort(DAY, instant, *(["_dir"] if ranks > 1 else []), _REF)
    return rows.select(pl.col(DAY).set_sorted(), *columns)


def _grouped(table: pl.DataFrame, *aggs: pl.Expr) -> pl.DataFrame:
    """Per ``_day`` aggregates of a table sorted by ``_day``: one row per day, in order, so
    the grid can take them by a merge join."""
    return (
        table.group_by(DAY, maintain_order=True).agg(*aggs).with_columns(pl.col(DAY).set_sorted())
    )


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
    period = _Period(start, end)
    days = calendar.day_kinds(start, end)
    if days.height != period.days:  # _day arithmetic needs every date of the period
        raise AssertionError(f"calendar gave {days.height} days for {start}..{end}")
    clock = _zone_clock(prepared.names, days, schedule)
    grid, cut_pieces = _required(_grid(prepared, days, clock, period), clock, prepared, period)
    # in before out at the same instant; ties cite the earlier input row
    punches = _by_day(prepared.punches, period, "at", "at", "_dir", _REF)
    visits = _by_day(prepared.visits, period, "start", "start", "end", _REF)
    workday = _workday(grid, cut_pieces, punches, visits, prepared, period, clock, params)
    tables = {
        "workday": workday,
        "leave": _leave(prepared, period),
        "post_gap": _post_gaps(grid, cut_pieces, punches, prepared, clock),
        "employee_month": _employee_month(workday, period, params),
    }
    ids = prepared.zones.get_column("employee_id")
    return {
        name: table.select(
            ids.gather(table.get_column("_emp")).alias("employee_id"), pl.exclude("_emp")
        )
        for name, table in tables.items()
    }


def _zone_clock(names: list[str], days: pl.DataFrame, schedule: Schedule) -> pl.DataFrame:
    """Per timezone and date (row ``zone * days + date``): the instants of the schedule's
    start, end and working segments, and of a day without leave: its required length
    (``_full_us``), first and last instant."""
    index = pl.int_range(len(names) * days.height, dtype=pl.Int64, eager=True)
    clock = pl.DataFrame(
        {
            "timezone": pl.Series(names, dtype=pl.String).gather(index // days.height),
            "date": days.get_column("date").gather(index % days.height),
        }
    )
    boundaries = {"_window_start": schedule.start, "_window_end": schedule.end}
    for i, (begin, finish) in enumerate(schedule.working_segments):
        boundaries[f"_seg{i}_start"] = begin
        boundaries[f"_seg{i}_end"] = finish
    clock = clock.select(
        wall_time_instant("date", wall, "timezone", names).alias(name)
        for name, wall in boundaries.items()
    )
    starts = [pl.col(f"_seg{i}_start") for i in range(len(schedule.working_segments))]
    ends = [pl.col(f"_seg{i}_end") for i in range(len(starts))]
    return clock.with_columns(
        pl.sum_horizontal(
            pl.lit(0, pl.Int64), *(e - s for s, e in zip(starts, ends, strict=True))
        ).alias("_full_us"),
        pl.min_horizontal(pl.lit(None, pl.Int64), *starts).alias("_full_rs"),
        pl.max_horizontal(pl.lit(None, pl.Int64), *ends).alias("_full_re"),
    )


def _grid(
    prepared: Prepared, days: pl.DataFrame, clock: pl.DataFrame, period: _Period
) -> pl.DataFrame:
    """One row per employee and date of the period, row ``_day``, with the day's kind,
    working hours and, leave aside, required interval (``_required_us``, ``_rs``, ``_re``);
    ``_clock`` is its row of ``clock``.  Laid out by arithmetic (gathers), no joins."""
    zones = prepared.zones
    index = pl.int_range(zones.height * period.days, dtype=pl.Int64, eager=True)
    emp = (index // period.days).cast(pl.UInt32)
    day = index % period.days
    zone = zones.get_column("timezone").cast(pl.Enum(prepared.names)).to_physical()
    clock_row = zone.gather(emp).cast(pl.Int64) * period.days + day
    people = zones.select(pl.col("timezone", "hired_on", "left_on").gather(emp))
    dated = days.select(pl.col("date", "day_kind", "is_workday").gather(day))
    hours = ["_window_start", "_window_end", "_full_us", "_full_rs", "_full_re"]
    grid = pl.concat(
        [
            pl.DataFrame({DAY: index.set_sorted(), "_emp": emp, "_clock": clock_row}),
            people,
            dated,
            clock.select(pl.col(hours).gather(clock_row)),
        ],
        how="horizontal",
    )
    scheduled = (
        pl.col("is_workday")
        & (pl.col("hired_on").is_null() | (pl.col("hired_on") <= pl.col("date")))
        & (pl.col("left_on").is_null() | (pl.col("date") <= pl.col("left_on")))
    )
    grid = grid.with_columns(scheduled.alias("scheduled"))
    return grid.select(
        pl.exclude("hired_on", "left_on", "is_workday", "_full_us", "_full_rs", "_full_re"),
        pl.when("scheduled").then("_full_us").otherwise(0).alias("_required_us"),
        pl.when("scheduled").then("_full_rs").alias("_rs"),
        pl.when("scheduled").then("_full_re").alias("_re"),
    )


def _explode_days(table: pl.DataFrame, period: _Period) -> pl.DataFrame:
    """One row per local date a leave request touches (``date`` to ``_last_date``), within
    the period."""
    first = pl.max_horizontal(pl.col("date"), pl.lit(period.start))
    last = pl.min_horizontal(pl.col("_last_date"), pl.lit(period.end))
    return (
        table.with_columns(first.alias("_first"), last.alias("_last"))
        .filter(pl.col("_first") <= pl.col("_last"))
        .with_columns(pl.date_ranges("_first", "_last").alias("date"))
        .explode("date")
        .drop("_first", "_last", "_last_date")
        .with_columns(period.day_key())
    )


def _segment_pieces(rows: pl.DataFrame, clock: pl.DataFrame) -> pl.DataFrame:
    """The working segments of some grid rows (``_day``, ``_clock``) as (``_day``, start,
    end) pieces."""
    hours = clock.select(pl.all().gather(rows.get_column("_clock")))
    count = sum(name.startswith("_seg") and name.endswith("_start") for name in clock.columns)
    pieces = [
        hours.select(rows.get_column(DAY), start=f"_seg{i}_start", end=f"_seg{i}_end")
        for i in range(count)
    ]
    return pl.concat(
        pieces or [pl.DataFrame(schema=dict.fromkeys((DAY, "start", "end"), pl.Int64))]
    )


def _required(
    grid: pl.DataFrame, clock: pl.DataFrame, prepared: Prepared, period: _Period
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The grid with each day's required interval: working hours less breaks less approved
    leave.  ``_required_us`` is its length, ``_rs``/``_re`` its first and last instant.

    The grid comes with each day's interval without leave (its working segments); only
    scheduled days with approved leave (``_cut``) are cut piece by piece, their length,
    first and last instant put in place by row number; their remaining pieces are returned
    beside the grid, as (_day, start, end)."""
    approved = _explode_days(prepared.leaves.filter(pl.col("status") == "approved"), period).select(
        DAY, pl.col("_start").alias("start"), pl.col("_end").alias("end")
    )
    days = approved.get_column(DAY).unique().sort()
    days = days.filter(grid.get_column("scheduled").gather(days))  # grid row i is _day i
    pieces = _segment_pieces(grid.select(pl.col(DAY, "_clock").gather(days)), clock)
    pieces = pieces.with_row_index("_piece")
    cuts = pieces.select("_piece", DAY).join(approved, on=DAY).drop(DAY)
    kept = subtract(pieces.select("_piece", "start", "end"), cuts, "_piece")
    kept = kept.select(
        pieces.get_column(DAY).gather(kept.get_column("_piece")).alias(DAY), "start", "end"
    )
    spans = kept.group_by(DAY).agg(
        (pl.col("end") - pl.col("start")).sum().alias("_required_us"),
        pl.col("start").min().alias("_rs"),
        pl.col("end").max().alias("_re"),
    )
    spans = days.to_frame(DAY).join(spans, on=DAY, how="left", maintain_order="left")
    spans = spans.with_columns(pl.col("_required_us").fill_null(0))  # all on leave
    cut = pl.repeat(False, grid.height, eager=True).scatter(days, True).alias("_cut")
    return grid.with_columns(
        cut, *(grid.get_column(c).scatter(days, spans.get_column(c)) for c in spans.columns[1:])
    ), kept


def _pieces_of(
    grid: pl.DataFrame, clock: pl.DataFrame, cut_pieces: pl.DataFrame, days: pl.Series
) -> pl.DataFrame:
    """The required pieces (_day, start, end) of some days (unique ``_day`` values): the
    working segments of a day without approved leave, else what the leave left of them."""
    rows = grid.select(pl.all().gather(days))
    uncut = _segment_pieces(rows.filter(pl.col("scheduled") & ~pl.col("_cut")), clock)
    cut = cut_pieces.filter(pl.col(DAY).is_in(days.implode()))
    return pl.concat([uncut, cut])


def _day_evidence(punches: pl.DataFrame, visits: pl.DataFrame) -> list[pl.DataFrame]:
    """Per day (in ``_day`` order): punches and visits, the earliest arrival and latest
    departure of each.

    Punches come sorted by instant within a day: the arrival is the day's first punch that
    can arrive (in, undirected), the departure its last that can leave (out, undirected).
    Each row is filled with the position of the next (previous) such punch, and the day's
    first (last) row gives it when it is in the same day: with two punches a day or so, a
    first or last per group is a gather, a filtered one or a sum is not.  Visits come
    sorted by start, then input row."""
    position = pl.int_range(pl.len(), dtype=pl.Int64)
    punch_days = _grouped(
        punches.with_columns(
            pl.when(pl.col("_dir") != 1).then(position).backward_fill().alias("_in"),
            pl.when(pl.col("_dir") != 0).then(position).forward_fill().alias("_out"),
        ),
        pl.len().alias("_punches"),
        pl.col("_dir").first().alias("_only_dir"),
        pl.col("at").first().alias("_only_at"),
        pl.col(_REF).first().alias("_only_ref"),
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
    visit_days = _grouped(
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


def _attach(grid: pl.DataFrame, *tables: pl.DataFrame) -> pl.DataFrame:
    """Per-day tables (one row per ``_day`` at most) set beside the grid, in its order; a
    day without a row gets ``_NONE`` (else null).  A table of many days is joined on the key
    column alone.  A table of few days (leave, approvals) is placed by row numbers, grid row
    i being ``_day`` i, every other day pointing at a row of ``_NONE`` appended to it: its
    lists need no filling after (filling a join's empty lists cost more than the join)."""
    columns: list[pl.Series] = []
    for table in tables:
        if 4 * table.height > grid.height:
            joined = grid.select(DAY).join(table, on=DAY, how="left", maintain_order="left")
            columns.extend(
                joined.get_column(name).fill_null(_NONE[name]) if name in _NONE else joined[name]
                for name in table.columns
                if name != DAY
            )
            continue
        rows = pl.repeat(table.height, grid.height, dtype=pl.UInt32, eager=True).scatter(
            table.get_column(DAY), pl.int_range(table.height, dtype=pl.UInt32, eager=True)
        )
        none = pl.DataFrame([pl.Series(c, [_NONE.get(c)], t) for c, t in table.schema.items()])
        padded = pl.concat([table, none], rechunk=True).drop(DAY)
        columns.extend(padded.select(pl.all().gather(rows)))
    return grid.with_columns(columns)


def _workday(
    grid: pl.DataFrame,
    cut_pieces: pl.DataFrame,
    punches: pl.DataFrame,
    visits: pl.DataFrame,
    prepared: Prepared,
    period: _Period,
    clock: pl.DataFrame,
    params: Mapping[str, Any],
) -> pl.DataFrame:
    day = _attach(
        grid,
        *_day_evidence(punches, visits),
        _unapproved_leave(grid, clock, cut_pieces, prepared, period),
    )
    judged = pl.col("scheduled") & (pl.col("_required_us") > 0)
    lone = (pl.col("_punches") == 1) & (pl.col("_only_dir") == 2) & (pl.col("_visits") == 0)
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
    day = _attach(day, _overtime_approval(day, prepared, params))
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
        pl.col("unapproved_leave_ids").list.len().alias("unapproved_leave_count"),
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
    overtime = day.select(DAY, "_emp", "_ot_start", "_departure", "overtime_minutes").filter(
        pl.col("overtime_minutes") > threshold
    )
    in_advance = prepared.overtime.filter(
        (pl.col("status") == "approved") & (pl.col("decided_at") <= pl.col("start"))
    ).select("_emp", "request_id", "_start", "_end")
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
    period: _Period,
) -> pl.DataFrame:
    """Leave requests not approved that overlap a day's required pieces."""
    pending = _explode_days(prepared.leaves.filter(pl.col("status") != "approved"), period)
    required = _pieces_of(grid, clock, cut_pieces, pending.get_column(DAY).unique())
    overlapping = (
        pending.select(DAY, "request_id", "_start", "_end", _REF)
        .join(required, on=DAY)
        .filter((pl.col("_start") < pl.col("end")) & (pl.col("_end") > pl.col("start")))
    )
    return overlapping.group_by(DAY).agg(
        pl.col("request_id").unique().sort().alias("unapproved_leave_ids"),
        pl.col(_REF).unique().sort().alias("leave_refs"),
    )


def _leave(prepared: Prepared, period: _Period) -> pl.DataFrame:
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
    required = _pieces_of(grid, clock, cut_pieces, gaps.get_column(DAY).unique())
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
        *KEY,
        "timezone",
        _as_utc("_left").alias("left_at"),
        _as_utc("_back").alias("returned_at"),
        ceil_minutes(pl.col("_away").fill_null(0)).alias("minutes_away"),
        "left_ref",
        "returned_ref",
    )


def _employee_month(
    workday: pl.DataFrame, period: _Period, params: Mapping[str, Any]
) -> pl.DataFrame:
    """Counted overtime per employee and calendar month of the period.

    ``workday`` is in ``_day`` order, so an employee's days of a month are a run of rows at a
    known place: the month's sums are differences of running sums, not a grouping."""
    threshold = int(params["overtime_min_minutes"])
    minutes = workday.get_column("overtime_minutes")
    counted = minutes > threshold
    labels, firsts, lasts = [], [], []  # each month of the period, its first and last day
    month_start = period.start
    while month_start <= period.end:
        following = (month_start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        labels.append(month_start.strftime("%Y-%m"))
        firsts.append((month_start - period.start).days)
        lasts.append((min(following - dt.timedelta(days=1), period.end) - period.start).days)
        month_start = following
    index = pl.int_range(workday.height // period.days * len(labels), dtype=pl.Int64, eager=True)
    emp, month = index // len(labels), index % len(labels)
    first = emp * period.days + pl.Series(firsts, dtype=pl.Int64).gather(month)
    last = emp * period.days + pl.Series(lasts, dtype=pl.Int64).gather(month)

    def month_sum(value: pl.Series, name: str) -> pl.Series:
        running = value.cum_sum()
        return (running.gather(last) - running.gather(first) + value.gather(first)).alias(name)

    return pl.DataFrame(
        [
            emp.cast(pl.UInt32).alias("_emp"),
            workday.get_column("timezone").gather(first),
            pl.Series("period", labels, dtype=pl.String).gather(month),
            month_sum(minutes.zip_with(counted, pl.Series([0])), "overtime_minutes"),
            month_sum(counted.cast(pl.Int64), "overtime_days"),
        ]
    )
