"""The grid of employee-days that attendance facts are derived on, and what each day requires.

While deriving, employees are integer codes (``_emp``, their position in the sorted list of
employees: ``employee_codes``, ``employee_zones``), instants are epoch microseconds (UTC),
and an employee-day is one integer, ``_day = _emp * days_in_period + day_of_period``
(``Period``).  The grid (``day_grid``) has one row per employee and date of the period, laid
out in ``_day`` order (row i is ``_day`` i), and every per-day table is grouped in that order
(``by_day``, ``grouped``), so attaching one to the grid is a merge of two sorted integer
columns or a scatter by row number, not a hash join on (employee, date) (``attach``); an
employee's days of a month are a run of rows (``month_sums``).  Schedule instants are computed
once per (timezone, date), not per employee (``zone_clock``).  Each day's required interval
is its working segments less the leave given (``cut_leave``; docs/attendance.md, "Required
interval").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from ..calendar import Schedule
from ..employees import employed_between
from ..timetext import month_text
from ..validation import REF as _REF
from .intervals import subtract, wall_time_instant

DAY = "_day"
#: an employee-day as columns: the employee's code and the local date
KEY = ["_emp", "date"]
_DAY_US = 86_400_000_000
#: the columns of a table of required pieces
_PIECES = dict.fromkeys((DAY, "start", "end"), pl.Int64)


@dataclass(frozen=True)
class Period:
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

    def months(self) -> tuple[list[str], list[int], list[int]]:
        """Each calendar month of the period ("YYYY-MM"), and its first and last day of the
        period (day 0 is ``start``)."""
        labels, firsts, lasts = [], [], []
        month_start = self.start
        while month_start <= self.end:
            following = (month_start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            labels.append(month_text(month_start))
            firsts.append((month_start - self.start).days)
            lasts.append((min(following - dt.timedelta(days=1), self.end) - self.start).days)
            month_start = following
        return labels, firsts, lasts


def employee_codes(
    punches: pl.DataFrame, tables: Sequence[pl.DataFrame]
) -> tuple[pl.Series, pl.Series]:
    """The employee ids of ``punches`` and the other ``tables``, sorted, each once; and each
    punch's position among them.  Punches, most of the rows, seldom name an employee no other
    record names: they are coded against the others' ids and only the ids left over are
    collected, one pass over the punches' ids where collecting and then coding took two."""
    others = [table.get_column("employee_id").unique(maintain_order=True) for table in tables]
    ids = pl.concat(others).unique().sort()
    punch_ids = punches.get_column("employee_id")
    codes = punch_ids.cast(pl.Enum(ids), strict=False)
    more = punch_ids.filter(codes.is_null()).drop_nulls().unique()
    if more.len():
        ids = pl.concat([ids, more]).unique().sort()
        codes = punch_ids.cast(pl.Enum(ids))
    return ids, codes.to_physical()


def employee_zones(employees: pl.DataFrame, ids: pl.Series, policy_timezone: str) -> pl.DataFrame:
    """Every employee judged (``ids``: with an employee record or seen in any attendance
    record), sorted by id, with an integer code (their position), timezone (from
    ``employees``, else ``policy_timezone``), hire and leaving dates."""
    seen = ids.to_frame("employee_id")
    return (
        seen.join(
            employees.select("employee_id", "timezone", "hired_on", "left_on"),
            on="employee_id",
            how="left",
        )
        .with_columns(pl.col("timezone").fill_null(policy_timezone))
        .sort("employee_id")
        .with_row_index("_emp")
    )


def coded(
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


def zone_clock(names: list[str], days: pl.DataFrame, schedule: Schedule) -> pl.DataFrame:
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


def day_grid(
    zones: pl.DataFrame, names: list[str], days: pl.DataFrame, clock: pl.DataFrame, period: Period
) -> pl.DataFrame:
    """One row per employee of ``zones`` (row i has ``_emp`` i; timezones among ``names``)
    and date of the period, row ``_day``, with the day's kind, working hours and, leave
    aside, required interval (``_required_us``, ``_rs``, ``_re``); ``_clock`` is its row of
    ``clock``.  Laid out by arithmetic (gathers), no joins."""
    # Row numbers and what is gathered by them in polars' index type: indices of another
    # type are converted, for each column gathered.
    rows = pl.int_range(zones.height * period.days, dtype=pl.get_index_type(), eager=True)
    emp, day = rows // period.days, rows % period.days
    zone = zones.get_column("timezone").cast(pl.Enum(names)).to_physical()
    clock_row = zone.gather(emp).cast(rows.dtype) * period.days + day
    index = rows.cast(pl.Int64)
    emp = emp.cast(pl.UInt32)
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
    scheduled = pl.col("is_workday") & employed_between(pl.col("date"), pl.col("date"))
    grid = grid.with_columns(scheduled.alias("scheduled"))
    return grid.select(
        pl.exclude("hired_on", "left_on", "is_workday", "_full_us", "_full_rs", "_full_re"),
        pl.when("scheduled").then("_full_us").otherwise(0).alias("_required_us"),
        pl.when("scheduled").then("_full_rs").alias("_rs"),
        pl.when("scheduled").then("_full_re").alias("_re"),
    )


def explode_days(table: pl.DataFrame, period: Period) -> pl.DataFrame:
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
    return pl.concat(pieces or [pl.DataFrame(schema=_PIECES)])


def cut_leave(
    grid: pl.DataFrame, clock: pl.DataFrame, leave: pl.DataFrame, period: Period
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The grid with each day's required interval: working hours less breaks less ``leave``
    (requests with ``_emp``, local dates ``date`` to ``_last_date``, integer ``_start`` and
    ``_end``).  ``_required_us`` is its length, ``_rs``/``_re`` its first and last instant.

    The grid comes with each day's interval without leave (its working segments); only
    scheduled days with leave (``_cut``) are cut piece by piece, their length, first and
    last instant put in place by row number; their remaining pieces are returned beside the
    grid, as (_day, start, end)."""
    if leave.is_empty():  # a small check often has none: skip a score of steps
        uncut = pl.repeat(False, grid.height, eager=True).alias("_cut")
        return grid.with_columns(uncut), pl.DataFrame(schema=_PIECES)
    on_leave = explode_days(leave, period).select(
        DAY, pl.col("_start").alias("start"), pl.col("_end").alias("end")
    )
    days = on_leave.get_column(DAY).unique().sort()
    days = days.filter(grid.get_column("scheduled").gather(days))  # grid row i is _day i
    pieces = _segment_pieces(grid.select(pl.col(DAY, "_clock").gather(days)), clock)
    pieces = pieces.with_row_index("_piece")
    cuts = pieces.select("_piece", DAY).join(on_leave, on=DAY).drop(DAY)
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


def required_pieces(
    grid: pl.DataFrame, clock: pl.DataFrame, cut_pieces: pl.DataFrame, days: pl.Series
) -> pl.DataFrame:
    """The required pieces (_day, start, end) of some days (unique ``_day`` values): the
    working segments of a day without leave, else what the leave left of them."""
    rows = grid.select(pl.all().gather(days))
    uncut = _segment_pieces(rows.filter(pl.col("scheduled") & ~pl.col("_cut")), clock)
    cut = cut_pieces.filter(pl.col(DAY).is_in(days.implode()))
    return pl.concat([uncut, cut])


def by_day(table: pl.DataFrame, period: Period, instant: str, *columns: str) -> pl.DataFrame:
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


def grouped(table: pl.DataFrame, *aggs: pl.Expr) -> pl.DataFrame:
    """Per ``_day`` aggregates of a table sorted by ``_day``: one row per day, in order, so
    the grid can take them by a merge join."""
    return (
        table.group_by(DAY, maintain_order=True).agg(*aggs).with_columns(pl.col(DAY).set_sorted())
    )


def attach(grid: pl.DataFrame, *tables: pl.DataFrame, defaults: Mapping[str, Any]) -> pl.DataFrame:
    """Per-day tables (one row per ``_day`` at most) set beside the grid, in its order; a
    day without a row gets ``defaults`` of the column (else null).  A table of many days is
    joined on the key column alone.  A table of few days (leave, approvals) is placed by row
    numbers, grid row i being ``_day`` i, every other day pointing at a row of ``defaults``
    appended to it: its lists need no filling after (filling a join's empty lists cost more
    than the join)."""
    columns: list[pl.Series] = []
    for table in tables:
        if 4 * table.height > grid.height:
            joined = grid.select(DAY).join(table, on=DAY, how="left", maintain_order="left")
            columns.extend(
                joined.get_column(name).fill_null(defaults[name])
                if name in defaults
                else joined[name]
                for name in table.columns
                if name != DAY
            )
            continue
        rows = pl.repeat(table.height, grid.height, dtype=pl.UInt32, eager=True).scatter(
            table.get_column(DAY), pl.int_range(table.height, dtype=pl.UInt32, eager=True)
        )
        none = pl.DataFrame([pl.Series(c, [defaults.get(c)], t) for c, t in table.schema.items()])
        padded = pl.concat([table, none], rechunk=True).drop(DAY)
        columns.extend(padded.select(pl.all().gather(rows)))
    return grid.with_columns(columns)


def month_sums(grid: pl.DataFrame, period: Period, **values: pl.Series) -> pl.DataFrame:
    """Per employee and calendar month of the period (``_emp``, ``timezone``, ``period``),
    the sums of ``values`` (one per grid row), of a table laid out as the grid.

    In ``_day`` order, an employee's days of a month are a run of rows at a known place: the
    month's sums are differences of running sums, not a grouping."""
    labels, firsts, lasts = period.months()
    index = pl.int_range(grid.height // period.days * len(labels), dtype=pl.Int64, eager=True)
    emp, month = index // len(labels), index % len(labels)
    first = emp * period.days + pl.Series(firsts, dtype=pl.Int64).gather(month)
    last = emp * period.days + pl.Series(lasts, dtype=pl.Int64).gather(month)

    def month_sum(value: pl.Series, name: str) -> pl.Series:
        running = value.cum_sum()
        return (running.gather(last) - running.gather(first) + value.gather(first)).alias(name)

    return pl.DataFrame(
        [
            emp.cast(pl.UInt32).alias("_emp"),
            grid.get_column("timezone").gather(first),
            pl.Series("period", labels, dtype=pl.String).gather(month),
            *(month_sum(value, name) for name, value in values.items()),
        ]
    )
