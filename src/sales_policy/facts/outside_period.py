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

``outside_dates.dated_outside`` finds the rows dated outside the period while the facts are
derived; ``unjudged`` keeps those that no fact table of the check read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass

import polars as pl

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
        # isoformat, not strftime: %Y writes the year 12 as "12", not "0012"
        width = 7 if self.monthly else 10
        first, last = self.first.isoformat()[:width], self.last.isoformat()[:width]
        return first if first == last else f"{first} {to} {last}"


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
