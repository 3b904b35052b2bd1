"""The dates of the accepted rows lying outside a check's period (``outside_period``, which
says which of them no fact table read, and how each record type is read and dated).

``dated_outside`` finds, while the facts are derived, the rows dated outside the period, from
the dates their derivation computes (the punches' and visits' attendance days, a min and a
max where every row is inside), with the local date the monthly market report dates each by
and whether its employee has an employee record.  Customer assignments (which merge into runs
of any date and say whose a customer is) are left out, as are records of no date (employees,
trainings without ``required_by``).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import polars as pl

from ..calendar import since_midnight_us
from ..zones import dates_in_zones, local_dates
from .customers_held import month_field
from .outside_period import DATED_BY

if TYPE_CHECKING:
    from ..tables import RecordTables
    from .attendance import Prepared

_DAY_US = 86_400_000_000
_EPOCH = dt.date(1970, 1, 1)
_EPOCH_WALL = dt.datetime(1970, 1, 1)
#: more than a timezone's clock ever jumps at once: an instant further than this from where
#: its timezone's offset says a local day starts has its local date on the same side of it
_SLACK_US = 3 * 3_600_000_000


def dated_outside(
    prepared: Prepared,
    tables: RecordTables,
    employees: pl.DataFrame,
    start: dt.date,
    end: dt.date,
    day_start: dt.time = dt.time(0),
) -> dict[str, pl.DataFrame]:
    """Per record type with rows whose dates overlap no date of ``start``..``end``: those
    dates (``first``, ``last``: an interval's, else one date twice) and, of the rows
    ``_near`` the period's start, the local date of the row's ``month_field`` (``on``; null
    where it has none) and whether its employee has an employee record (``listed``), each
    combination once with how many rows have it.  The
    attendance records from ``prepared``, dated by attendance days starting at ``day_start``,
    before the punches are taken from it; the others from ``tables`` (``employees``: each
    one's ``timezone``)."""
    records = tables.table("employee").get_column("employee_id")
    listed = prepared.zones.get_column("employee_id").is_in(records.implode())
    shift = since_midnight_us(day_start)

    def attendance(
        table: pl.DataFrame, first: pl.Series, last: pl.Series | None, at: str, local: bool
    ) -> pl.DataFrame | None:
        """The rows dated ``first`` to ``last`` outside the period; ``local``: ``first`` is
        the local date of ``at`` (a leave's; an attendance day where the day starts at
        midnight), else it is looked up, of the rows ``_near`` the period's start."""
        mask = _outside(first, last, start, end)
        if mask is None:
            return None
        near = mask & _near(first, start)
        rows = table.select(at, "_zone", "_emp").filter(near)
        return _counted(
            first.filter(mask),
            None if last is None else last.filter(mask),
            start,
            first.filter(near)
            if local
            else local_dates(rows.get_column(at), rows.get_column("_zone"), prepared.names),
            listed.gather(rows.get_column("_emp")),
        )

    found: dict[str, pl.DataFrame | None] = {}
    for record_type, table, at in (
        ("punch", prepared.punches, "at"),
        ("customer_visit", prepared.visits, "start"),
    ):
        found[record_type] = attendance(table, table.get_column("date"), None, at, shift == 0)
    leaves = prepared.leaves
    found["leave_request"] = attendance(
        leaves, leaves.get_column("date"), leaves.get_column("_last_date"), "_start", True
    )
    # Overtime requests have no attendance days yet.  The first instant of the period's first
    # attendance day and of the one after its last, in each timezone, tell the few that may
    # lie outside (those within hours of them or beyond), whose attendance days are then
    # looked up: the requests of the period's last evening are many, and each looked up costs.
    overtime, zone = prepared.overtime, pl.col("_zone")
    if overtime.height:
        opens, closes = _edges(prepared.names, start, end, day_start)
        overtime = overtime.filter(
            (pl.col("_end") < opens.gather(zone) + _SLACK_US)
            | (pl.col("_start") >= closes.gather(zone) - _SLACK_US)
        )
    zones = overtime.get_column("_zone")

    def days(instant: str) -> pl.Series:
        return local_dates(overtime.get_column(instant), zones, prepared.names, day_start_us=shift)

    found["overtime_request"] = attendance(
        overtime, days("_start"), days("_end"), "_start", shift == 0
    )
    for record_type, table in tables.tables.items():
        if record_type in DATED_BY and table.height:
            found[record_type] = _records_outside(
                record_type, table, employees, records, start, end
            )
    return {record_type: rows for record_type, rows in found.items() if rows is not None}


def _edges(
    zones: list[str], start: dt.date, end: dt.date, day_start: dt.time
) -> tuple[pl.Expr, pl.Expr]:
    """Where the attendance day ``start`` and the one after ``end`` start (epoch
    microseconds; at ``day_start``) in each timezone, in the order of ``zones``: by the
    offset at those wall times, within ``_SLACK_US`` of the instant where a clock changes."""
    shift = since_midnight_us(day_start)
    first_us = (start - _EPOCH).days * _DAY_US + shift
    after_us = ((end - _EPOCH).days + 1) * _DAY_US + shift
    opens: list[int] = []
    closes: list[int] = []
    for name in zones:
        zone = ZoneInfo(name)
        for edge, wall_us in ((opens, first_us), (closes, after_us)):
            wall = _EPOCH_WALL + dt.timedelta(microseconds=wall_us)
            offset = zone.utcoffset(wall) or dt.timedelta()
            edge.append(wall_us - offset // dt.timedelta(microseconds=1))
    return pl.lit(pl.Series(opens, dtype=pl.Int64)), pl.lit(pl.Series(closes, dtype=pl.Int64))


def _records_outside(
    record_type: str,
    table: pl.DataFrame,
    employees: pl.DataFrame,
    records: pl.Series,
    start: dt.date,
    end: dt.date,
) -> pl.DataFrame | None:
    """``dated_outside`` of a record type the attendance derivation does not read
    (``records``: the ids of the employees with an employee record)."""
    field = DATED_BY[record_type]
    last: pl.Series | None = None
    if record_type == "sales_target":  # a month: its first day
        month = (pl.col(field) + "-01").str.to_date("%Y-%m-%d")
        rows, first = table, table.select(month).to_series()
    elif table.schema[field] == pl.Date:  # outside work's, to ``end`` (none: going on)
        rows, first = table, table.get_column(field)
        last = table.get_column("end") if record_type == "outside_work" else None
    else:
        # the local date of the instant, in the employee's timezone, of the rows near the
        # period's edges or beyond: the others' is a date of the period in every timezone
        instant = pl.col(field)
        micros = instant.dt.epoch("us")
        opens = ((start - _EPOCH).days + 1) * _DAY_US  # a day: more than any UTC offset
        closes = (end - _EPOCH).days * _DAY_US
        rows = (
            table.filter((micros < opens) | (micros >= closes))
            .select("employee_id", field)
            .join(employees.select("employee_id", "timezone"), on="employee_id", how="left")
        )
        names = sorted(rows.get_column("timezone").drop_nulls().unique().to_list())
        first = rows.select(dates_in_zones("timezone", names, instant)).to_series()
    mask = _outside(first, last, start, end)
    if mask is None:
        return None
    near = mask & _near(first, start)
    # the market report's month dates a row by the same field, where it dates it at all
    dated = month_field(record_type) is not None
    return _counted(
        first.filter(mask),
        None if last is None else last.filter(mask),
        start,
        first.filter(near) if dated else None,
        rows.filter(near).get_column("employee_id").is_in(records.implode()),
    )


def _outside(
    first: pl.Series, last: pl.Series | None, start: dt.date, end: dt.date
) -> pl.Series | None:
    """Which rows dated ``first`` to ``last`` (``first`` alone: one date; a null ``last``: no
    end) overlap no date of ``start``..``end``; None when none do.  Where every row is
    inside, a max and a min say so, no row compared."""
    last = first if last is None else last
    latest_first, earliest_last = first.max(), last.min()
    if (latest_first is None or latest_first <= end) and (  # type: ignore[operator]
        earliest_last is None or earliest_last >= start  # type: ignore[operator]
    ):
        return None
    return (first.is_not_null() & ((last < start).fill_null(False) | (first > end))).fill_null(
        False
    )


def _near(first: pl.Series, start: dt.date) -> pl.Series:
    """The rows dated ``first`` from the day before the period's first month to the day
    before ``start``: those whose local date may be one of that month's before ``start``
    (an attendance day is the local date or the day before), which
    ``outside_period.unjudged`` reads."""
    after = start.replace(day=1) - dt.timedelta(days=1)
    return ((first >= after) & (first < start)).fill_null(False)


def _counted(
    first: pl.Series,
    last: pl.Series | None,
    start: dt.date,
    on: pl.Series | None,
    listed: pl.Series,
) -> pl.DataFrame:
    """The rows' dates (``first`` to ``last``), each combination once with how many rows
    have it; of the rows ``_near`` ``start``, with their ``on`` and ``listed``, given in
    their order (``dated_outside``; the others' are null: they cannot tell)."""
    last = first if last is None else last
    near = _near(first, start)
    far = pl.DataFrame({"first": first.filter(~near), "last": last.filter(~near)})
    counted = [
        far.group_by("first", "last")
        .agg(pl.len().cast(pl.UInt32).alias("rows"))
        .with_columns(pl.lit(None, pl.Date).alias("on"), pl.lit(None, pl.Boolean).alias("listed"))
    ]
    if near.any():
        close = pl.DataFrame(
            {
                "first": first.filter(near),
                "last": last.filter(near),
                "on": pl.Series("on", [None] * len(listed), pl.Date) if on is None else on,
                "listed": listed,
            }
        )
        counted.append(
            close.group_by("first", "last", "on", "listed").agg(
                pl.len().cast(pl.UInt32).alias("rows")
            )
        )
    return pl.concat(counted, how="diagonal")
