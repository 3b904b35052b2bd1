"""The accepted rows a check reads and does not judge, as they lie outside its period: a punch
of the evening before the first day, leave requested for the month after.  Every row is
accepted or rejected; one accepted and then left out by every fact table is named in a note
(``outside_period``, docs/cli.md), so that "accepted" does not hide "not looked at".

A row lies outside where the fact tables read it (``READS``): a punch or a customer visit by
the local date attendance gives it, a leave or overtime request by the local dates of its
start and end (outside when it overlaps no day of the period), an event by the local date of
the instant its table is dated by, a sales target by its month.  A table reading a type's
rows of the period's months up to its end (the monthly market report, the assessment's
surveys, trainings and targets), or any row up to its end (a customer's last contact, their
first purchase), reads the rows before the period too, where it has rows.  Rows after the
period's end are read by none: the period is judged as of its end.

``dated_outside`` finds, while the facts are derived, the rows dated outside the period, from
the dates their derivation computes (the punches' and visits' local dates, a min and a max
where every row is inside); ``unjudged`` keeps those that no fact table of the check read.
Customer assignments (which merge into runs of any date and say whose a customer is) are
left out, as are records of no date (employees, trainings without ``required_by``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import polars as pl

from ..zones import in_zones, local_dates

if TYPE_CHECKING:
    from ..tables import RecordTables
    from .attendance import Prepared

#: how a fact table reads a record type's rows: those of the period, those of the period's
#: calendar months up to its end, or every row up to its end
PERIOD, MONTHS, EARLIER = "period", "months", "earlier"

#: per record type, the fact tables reading its rows and how (``PERIOD``, ``MONTHS``,
#: ``EARLIER``), as the derivations of this package read them
READS: dict[str, dict[str, str]] = {
    "punch": {"workday": PERIOD, "post_gap": PERIOD, "employee_month": PERIOD},
    "customer_visit": {
        "workday": PERIOD,
        "post_gap": PERIOD,
        "employee_month": PERIOD,
        "contract_follow_up": PERIOD,  # a visit at or after a signing of the period
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
#: the table reading every record type's rows of the period's months: a row makes an
#: employee without an employee record due a report that month (``customers_held``)
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
) -> dict[str, pl.DataFrame]:
    """Per record type with rows whose dates overlap no date of ``start``..``end``: those
    dates (``first``, ``last``: an interval's, else one date twice), each pair once with how
    many rows have it.  The attendance records from ``prepared``, before the punches are
    taken from it; the others from ``tables`` (``employees``: each one's ``timezone``)."""
    found: dict[str, pl.DataFrame | None] = {}
    for record_type, table in (("punch", prepared.punches), ("customer_visit", prepared.visits)):
        found[record_type] = _outside(table.get_column("date"), None, start, end)
    leaves = prepared.leaves
    found["leave_request"] = _outside(
        leaves.get_column("date"), leaves.get_column("_last_date"), start, end
    )
    # Overtime requests have no local dates yet.  The first instant of the period's first day
    # and of the day after its last, in each timezone, tell the few that may lie outside
    # (those within hours of them or beyond), whose local dates are then looked up: the
    # requests of the period's last evening are many, and each looked up costs.
    overtime, zone = prepared.overtime, pl.col("_zone")
    if overtime.height:
        opens, closes = _day_starts(prepared.names, start, end)
        overtime = overtime.filter(
            (pl.col("_end") < opens.gather(zone) + _SLACK_US)
            | (pl.col("_start") >= closes.gather(zone) - _SLACK_US)
        )
    zones = overtime.get_column("_zone")
    found["overtime_request"] = _outside(
        local_dates(overtime.get_column("_start"), zones, prepared.names),
        local_dates(overtime.get_column("_end"), zones, prepared.names),
        start,
        end,
    )
    for record_type, table in tables.tables.items():
        if record_type in DATED_BY and table.height:
            found[record_type] = _records_outside(record_type, table, employees, start, end)
    return {record_type: rows for record_type, rows in found.items() if rows is not None}


def _day_starts(zones: list[str], start: dt.date, end: dt.date) -> tuple[pl.Expr, pl.Expr]:
    """Where the local ``start`` and the day after ``end`` start (epoch microseconds) in each
    timezone, in the order of ``zones``: by the offset at the start of ``start`` and at the
    end of ``end``, within ``_SLACK_US`` of the instant where a clock changes at midnight."""
    first_us = (start - _EPOCH).days * _DAY_US
    after_us = ((end - _EPOCH).days + 1) * _DAY_US
    opens: list[int] = []
    closes: list[int] = []
    for name in zones:
        zone = ZoneInfo(name)
        for edge, midnight, wall in (
            (opens, first_us, dt.datetime.combine(start, dt.time())),
            (closes, after_us, dt.datetime.combine(end, dt.time.max)),
        ):
            offset = zone.utcoffset(wall) or dt.timedelta()
            edge.append(midnight - offset // dt.timedelta(microseconds=1))
    return pl.lit(pl.Series(opens, dtype=pl.Int64)), pl.lit(pl.Series(closes, dtype=pl.Int64))


def _records_outside(
    record_type: str, table: pl.DataFrame, employees: pl.DataFrame, start: dt.date, end: dt.date
) -> pl.DataFrame | None:
    """``dated_outside`` of a record type the attendance derivation does not read."""
    field = DATED_BY[record_type]
    if record_type == "sales_target":  # a month: its first day
        month = (pl.col(field) + "-01").str.to_date("%Y-%m-%d")
        return _outside(table.select(month).to_series(), None, start, end)
    if record_type == "outside_work":  # an interval of dates (no end: going on)
        return _outside(table.get_column(field), table.get_column("end"), start, end)
    if table.schema[field] == pl.Date:
        return _outside(table.get_column(field), None, start, end)
    # the local date of the instant, in the employee's timezone, of the rows near the
    # period's edges or beyond: the others' is a date of the period in every timezone
    instant = pl.col(field)
    micros = instant.dt.epoch("us")
    opens = ((start - _EPOCH).days + 1) * _DAY_US  # a day: more than any UTC offset
    closes = (end - _EPOCH).days * _DAY_US
    near = (
        table.filter((micros < opens) | (micros >= closes))
        .select("employee_id", field)
        .join(employees.select("employee_id", "timezone"), on="employee_id", how="left")
    )
    names = sorted(near.get_column("timezone").drop_nulls().unique().to_list())

    def local(zone: str) -> pl.Expr:
        return instant.dt.convert_time_zone(zone).dt.date()

    dates = near.select(in_zones("timezone", names, local, pl.Date())).to_series()
    return _outside(dates, None, start, end)


def _outside(
    first: pl.Series, last: pl.Series | None, start: dt.date, end: dt.date
) -> pl.DataFrame | None:
    """The rows dated ``first`` to ``last`` (``first`` alone: one date; a null ``last``: no
    end) that overlap no date of ``start``..``end``: their dates, each pair once with how
    many rows have it; None when there are none.  Where every row is inside, a max and a
    min say so, no row filtered."""
    frame = pl.DataFrame({"first": first, "last": first if last is None else last})
    latest_first, earliest_last = frame.select(pl.col("first").max(), pl.col("last").min()).row(0)
    if (latest_first is None or latest_first <= end) and (
        earliest_last is None or earliest_last >= start
    ):
        return None
    outside = frame.filter(
        pl.col("first").is_not_null() & ((pl.col("last") < start) | (pl.col("first") > end))
    )
    return outside.group_by("first", "last").agg(pl.len().cast(pl.UInt32).alias("rows"))


def unjudged(
    outside: Mapping[str, pl.DataFrame],
    facts: Mapping[str, pl.DataFrame],
    judged: Collection[str],
    start: dt.date,
    end: dt.date,
) -> dict[str, Unjudged]:
    """Of the rows ``dated_outside`` found, per record type, those no fact table read
    (``READS``): rows before ``start`` that a table of ``facts`` with rows reads from earlier
    dates are read.  Only the record types some table of the rules judged (``judged``) reads:
    a type no rule judged is judged on no date."""
    months_start = start.replace(day=1)
    read = {name for name, table in facts.items() if table.height}
    found: dict[str, Unjudged] = {}
    for record_type, reads in READS.items():
        rows = outside.get(record_type)
        if rows is None or not any(table in judged for table in reads):
            continue
        lower: dt.date | None = start
        for table, how in reads.items():
            if table in read and how != PERIOD:
                lower = None if how == EARLIER or lower is None else min(lower, months_start)
        if EVERY_TYPE_BY_MONTH in read and lower is not None:
            lower = min(lower, months_start)
        before = pl.col("last") < lower if lower is not None else pl.lit(False)
        rows = rows.filter(before | (pl.col("first") > end))
        if rows.height:
            count, first, last = rows.select(
                pl.col("rows").sum(),
                pl.col("first").min(),
                pl.max_horizontal("first", "last").max().alias("_last"),
            ).row(0)
            found[record_type] = Unjudged(int(count), first, last, record_type in MONTHLY)
    return found
