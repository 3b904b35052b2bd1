"""The accepted rows a check reads and does not judge, as they lie outside its period: a punch
of the evening before the first day, leave requested for the month after.  Every row is
accepted or rejected; one accepted and then left out by every fact table is named in a note
(``outside_period``, docs/cli.md), so that "accepted" does not hide "not looked at".

A row lies outside where the fact tables read it (``READS``): a punch or a customer visit by
its attendance day (its local date, or the date before for a wall time before the schedule's
day start), an overtime request by the attendance days of its start and end (a day's overtime
runs to the next day start), a leave request by the local dates of its start and end (outside
when it overlaps no day of the period), an event by the local date of the instant its table
is dated by, a sales target by its month.  A table reading a type's rows of the period's
months up to its end (the monthly market report, the assessment's surveys, trainings and
targets), or any row up to its end (a customer's last contact, their first purchase), reads
the rows before the period too, where it has rows; customer care reads a visit by its local
date (``CALENDAR``), which a day start may put in the period when its attendance day is not.
Rows after the period's end are read by none: the period is judged as of its end.  Only the
tables of the rules the check judged count as reading.

``dated_outside`` finds, while the facts are derived, the rows dated outside the period, from
the dates their derivation computes (the punches' and visits' attendance days, a min and a
max where every row is inside), with the local date the monthly market report dates each by
and whether its employee has an employee record; ``unjudged`` keeps those that no fact table
of the check read.  Customer assignments (which merge into runs of any date and say whose a
customer is) are left out, as are records of no date (employees, trainings without
``required_by``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import polars as pl

from ..calendar import since_midnight_us
from ..zones import dates_in_zones, local_dates
from .customers_held import month_field

if TYPE_CHECKING:
    from ..tables import RecordTables
    from .attendance import Prepared

#: how a fact table reads a record type's rows: those of the period, those of the period by
#: their local date (a visit's, which attendance dates by its attendance day), those of the
#: period's calendar months up to its end, or every row up to its end
PERIOD, CALENDAR, MONTHS, EARLIER = "period", "calendar", "months", "earlier"

#: per record type, the fact tables reading its rows and how (``PERIOD``, ``CALENDAR``,
#: ``MONTHS``, ``EARLIER``), as the derivations of this package read them
READS: dict[str, dict[str, str]] = {
    "punch": {"workday": PERIOD, "post_gap": PERIOD, "employee_month": PERIOD},
    "customer_visit": {
        "workday": PERIOD,
        "post_gap": PERIOD,
        "employee_month": PERIOD,
        "contract_follow_up": CALENDAR,  # a visit at or after a signing of the period
        "planned_visit": EARLIER,  # a plan's window opens before its date
        "customer_revisit": EARLIER,  # the last contact, however long ago
    },
    "leave_request": {
        "workday": PERIOD,
        "leave": PERIOD,
        "post_gap": PERIOD,
        "employee_month": PERIOD,
    },
    "overtime_request": {"workday": PERIOD},
    "outside_work": {"outside_work": PERIOD},
    "conduct_incident": {"conduct_incident": PERIOD},
    "quote": {"quote": PERIOD},
    "complaint": {"complaint": PERIOD},
    "gift": {"gift": PERIOD},
    # a customer's first purchase (a new customer, a customer who buys) may be of any date
    "order": {
        "sales_order": PERIOD,
        "assessment_month": EARLIER,
        "assessment_order": EARLIER,
        "customer_revisit": EARLIER,
        "customer_file": EARLIER,
    },
    "data_access": {"data_access": PERIOD},
    "contract": {
        "contract_follow_up": PERIOD,
        "assessment_month": EARLIER,
        "assessment_order": EARLIER,
        "customer_revisit": EARLIER,
        "customer_file": EARLIER,
    },
    "customer_contact": {
        "contract_follow_up": PERIOD,
        "planned_visit": EARLIER,
        "customer_revisit": EARLIER,
    },
    "customer_inquiry": {"inquiry_response": PERIOD},
    "visit_plan": {"planned_visit": PERIOD},
    "customer_profile": {"customer_file": EARLIER},  # the file as last updated
    "market_report": {"market_report_month": MONTHS},
    "satisfaction_survey": {"assessment_month": MONTHS},
    "training": {"assessment_month": MONTHS, "training_due": PERIOD},
    "sales_target": {"assessment_month": MONTHS},
}
#: the table reading the rows of the period's months, by the local date of their
#: ``customers_held.month_field``, of the employees without an employee record: such a row
#: makes its employee due a report that month (``customers_held.market_months``)
EVERY_TYPE_BY_MONTH = "market_report_month"
#: the field dating the rows of each record type the attendance derivation does not read,
#: as its fact tables date them: a date, a date-time (its local date), the first date of an
#: interval (outside work, to ``end``), a month (a sales target)
DATED_BY = {
    "outside_work": "start",
    "conduct_incident": "at",
    "quote": "at",
    "complaint": "at",
    "gift": "at",
    "order": "booked_at",
    "data_access": "at",
    "contract": "signed_at",
    "customer_contact": "at",
    "customer_inquiry": "received_at",
    "visit_plan": "planned_date",
    "customer_profile": "updated_at",
    "market_report": "submitted_at",
    "satisfaction_survey": "at",
    "training": "required_by",
    "sales_target": "period",
}
#: the types dated by a month, not a day
MONTHLY = frozenset({"sales_target"})
_DAY_US = 86_400_000_000
_EPOCH = dt.date(1970, 1, 1)
_EPOCH_WALL = dt.datetime(1970, 1, 1)
#: more than a timezone's clock ever jumps at once: an instant further than this from where
#: its timezone's offset says a local day starts has its local date on the same side of it
_SLACK_US = 3 * 3_600_000_000


@dataclass(frozen=True)
class Unjudged:
    """The accepted rows of a record type that no fact table read: how many, and the first
    and last of their dates (a sales target's: its month)."""

    rows: int
    first: dt.date
    last: dt.date
    monthly: bool = False

    def span(self, to: str = "to") -> str:
        """The dates as a note gives them: ``2026-02-02 to 2026-02-13``, or one date."""
        shape = "%Y-%m" if self.monthly else "%Y-%m-%d"
        first, last = self.first.strftime(shape), self.last.strftime(shape)
        return first if first == last else f"{first} {to} {last}"


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
    (an attendance day is the local date or the day before), which ``unjudged`` reads."""
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


def unjudged(
    outside: Mapping[str, pl.DataFrame],
    facts: Mapping[str, pl.DataFrame],
    judged: Collection[str],
    start: dt.date,
    end: dt.date,
) -> dict[str, Unjudged]:
    """Of the rows ``dated_outside`` found, per record type, those no fact table of a rule of
    the check (``judged``) read (``READS``): rows before ``start`` that such a table with rows
    reads from earlier dates, or reads by a local date in the period (``CALENDAR``), are read.
    Only the record types some table judged reads: a type no rule judged is judged on no
    date."""
    months_start = start.replace(day=1)
    read = {name for name, table in facts.items() if table.height and name in judged}
    before, on = pl.col("last") < start, pl.col("on")
    found: dict[str, Unjudged] = {}
    for record_type, reads in READS.items():
        rows = outside.get(record_type)
        if rows is None or not any(table in judged for table in reads):
            continue
        taken = pl.lit(False)
        for table, how in reads.items():
            if table not in read or how == PERIOD:
                continue
            if how == CALENDAR:
                taken = taken | ((on >= start) & (on <= end))
            elif how == MONTHS:
                taken = taken | (before & (pl.col("last") >= months_start))
            else:  # EARLIER
                taken = taken | before
        if EVERY_TYPE_BY_MONTH in read:  # the rows of an employee without a record
            taken = taken | (~pl.col("listed") & (on >= months_start) & (on <= end))
        rows = rows.filter(~taken.fill_null(False))
        if rows.height:
            count, first, last = rows.select(
                pl.col("rows").sum(),
                pl.col("first").min(),
                pl.max_horizontal("first", "last").max().alias("_last"),
            ).row(0)
            found[record_type] = Unjudged(int(count), first, last, record_type in MONTHLY)
    return found
