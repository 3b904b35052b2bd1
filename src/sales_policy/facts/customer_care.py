"""Customer-care facts (handbook 1.1, 3.2, 3.5, 6.3, 7.1–7.4) derived from the records:
follow-ups after contracts, answers to inquiries, planned visits, return visits, customer files
and market reports; :mod:`.customer_care_tables` declares the tables, column by column.  See
docs/rulesets/customer_care.md.

Everything is judged as of the end of the period: records whose local date is after
``context.end`` are not looked at, so a later record never changes a period's answer.  Dates
are local dates in the employee's timezone.  The follow-up, answer and planned-visit windows
count the working days of the policy's calendar (``working_days_only``, :mod:`.worktime`), or
every day and hour without it.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import TYPE_CHECKING

import polars as pl

from ..errors import CalendarError
from ..recordfields import fields_of
from .customer_care_tables import (
    CONTRACT_FOLLOW_UP,
    CUSTOMER_FILE,
    CUSTOMER_REVISIT,
    INQUIRY_RESPONSE,
    MARKET_REPORT_MONTH,
    PLANNED_VISIT,
)
from .intervals import ceil_minutes
from .schema import FactTable
from .worktime import WorkingDays, lay_out

if TYPE_CHECKING:
    from . import FactContext

TABLES: tuple[FactTable, ...] = (
    CONTRACT_FOLLOW_UP,
    INQUIRY_RESPONSE,
    PLANNED_VISIT,
    CUSTOMER_REVISIT,
    CUSTOMER_FILE,
    MARKET_REPORT_MONTH,
)
PROFILE_FIELDS = ("name", "contact", "needs")
PAIR = ["employee_id", "customer_id"]


def derive(context: FactContext) -> dict[str, pl.DataFrame]:
    """The customer care fact tables."""
    windows = _Windows(context)
    facts = {
        CONTRACT_FOLLOW_UP.name: CONTRACT_FOLLOW_UP.conform(_follow_ups(context, windows)),
        INQUIRY_RESPONSE.name: INQUIRY_RESPONSE.conform(_inquiries(context, windows)),
        PLANNED_VISIT.name: PLANNED_VISIT.conform(_planned_visits(context, windows)),
        CUSTOMER_REVISIT.name: CUSTOMER_REVISIT.conform(_revisits(context)),
        CUSTOMER_FILE.name: CUSTOMER_FILE.conform(_customer_files(context)),
    }
    # Only this table has rows for what is absent (a month without a report).  Without any
    # market_report record the input does not say whether reports exist, so the months are
    # not judged (the result's notes say so), as a rule set without its records is not.
    if context.tables.table("market_report").height:
        facts[MARKET_REPORT_MONTH.name] = MARKET_REPORT_MONTH.conform(_market_months(context))
    return facts


class _Windows:
    """How the windows count: over the working days of the policy's calendar
    (``working_days_only``), laid out once, on first use, so that a run with no contract,
    inquiry or plan in its period reads no calendar; or every day and hour."""

    def __init__(self, context: FactContext) -> None:
        self.context = context
        self.working = bool(context.params["working_days_only"])

    def over(self, rows: pl.DataFrame) -> WorkingDays | None:
        """The working days to count windows of ``rows`` over; None to count every day."""
        return self.days if self.working and rows.height else None

    @cached_property
    def days(self) -> WorkingDays:
        context = self.context
        tolerance = int(context.params["plan_tolerance_days"])
        hours = int(context.params["response_hours"])
        # a window ends at most this many working days after the period's last date; the
        # next one holds an answer's end (hours run to the end of a working day)
        ahead = max(int(context.params["follow_up_days"]), tolerance, -(-hours // 24)) + 1
        answered = context.table("customer_inquiry").select(context.local_date("responded_at"))
        try:
            return lay_out(
                context.calendar,
                context.start,
                context.end,
                context.zone_names,
                before=tolerance,
                after=ahead,
                through=answered.to_series().max(),  # type: ignore[arg-type]
            )
        except CalendarError as exc:
            raise CalendarError(
                f"{exc}.  Customer care counts its follow-up, answer and planned-visit "
                "windows in working days (working_days_only); to count every day instead, "
                "set params: {working_days_only: false}"
            ) from None


def _dated(context: FactContext, record_type: str, instant: str) -> pl.DataFrame:
    """A record table with ``_on``, the local date of ``instant``, up to the period's end."""
    table = context.table(record_type)
    return table.with_columns(context.local_date(instant).alias("_on")).filter(
        pl.col("_on") <= context.end
    )


def _in_period(column: str, context: FactContext) -> pl.Expr:
    return pl.col(column).is_between(context.start, context.end)


def _first_match(candidates: pl.DataFrame, key: str, order: str, keep: list[str]) -> pl.DataFrame:
    """Per ``key``, the ``keep`` columns of the candidate that comes first by ``order``."""
    return candidates.sort(order, "_match_ref").group_by(key).agg(pl.col(keep).first())


def _touches(context: FactContext) -> pl.DataFrame:
    """Every contact of an employee with a customer and visit to one, dated on or before the
    period's end: PAIR, ``at`` (a visit's start), ``_on`` (its local date), ``_ref``."""
    return pl.concat(
        [
            _dated(context, "customer_contact", "at").select(*PAIR, "at", "_on", "_ref"),
            _dated(context, "customer_visit", "start").select(
                *PAIR, pl.col("start").alias("at"), "_on", "_ref"
            ),
        ]
    )


def _follow_ups(context: FactContext, windows: _Windows) -> pl.DataFrame:
    """3.5, 7.2: a contact from the employee with the customer, or a visit to them, soon after
    signing."""
    days = int(context.params["follow_up_days"])
    contracts = (
        context.table("contract")
        .with_columns(context.local_date("signed_at").alias("date"))
        .filter(_in_period("date", context))
    )
    working = windows.over(contracts)
    due = (
        pl.col("date").dt.offset_by(f"{days}d")
        if working is None
        else working.shifted(pl.col("date"), days)
    )
    contracts = contracts.with_columns(due.alias("due_on"))
    touches = _touches(context).rename({"_ref": "_match_ref"})
    # a window ending beyond the calendar's data (due_on null) has no end in the period
    matched = (
        contracts.select("_ref", *PAIR, "signed_at", "due_on")
        .join(touches, on=PAIR)
        .filter(
            (pl.col("at") >= pl.col("signed_at"))
            & (pl.col("_on") <= pl.col("due_on")).fill_null(True)
        )
    )
    first = _first_match(matched, "_ref", "at", ["at", "_match_ref"])
    return contracts.join(first, on="_ref", how="left").select(
        "employee_id",
        "timezone",
        "date",
        "contract_id",
        "customer_id",
        "signed_at",
        "due_on",
        pl.col("at").alias("followed_up_at"),
        pl.col("at").is_not_null().alias("followed_up"),
        (pl.col("due_on") <= context.end).fill_null(False).alias("window_closed"),
        pl.col("_ref").alias("contract_ref"),
        pl.col("_match_ref").alias("contact_ref"),
    )


def _inquiries(context: FactContext, windows: _Windows) -> pl.DataFrame:
    """1.1: respond to customers' needs and problems promptly."""
    hours = int(context.params["response_hours"])
    inquiries = (
        context.table("customer_inquiry")
        .with_columns(context.local_date("received_at").alias("date"))
        .filter(_in_period("date", context))
    )
    working = windows.over(inquiries)
    if working is None:
        inquiries = inquiries.with_columns(
            (pl.col("received_at") + pl.duration(hours=hours)).alias("due_at")
        )
        taken = (pl.col("responded_at") - pl.col("received_at")).dt.total_microseconds()
    else:  # the time of working days only
        zones = context.zone_names
        inquiries = working.with_position(inquiries, "received_at", "_received", zones)
        inquiries = working.with_position(inquiries, "responded_at", "_responded", zones)
        inquiries = inquiries.with_columns(
            (pl.col("_received") + hours * 3_600_000_000).alias("_due")
        )
        inquiries = working.with_instant(inquiries, "_due", "due_at", zones)
        taken = pl.col("_responded") - pl.col("_received")
    inquiries = inquiries.with_columns(
        context.local_date("due_at").alias("_due_on"),
        context.local_date("responded_at").alias("_responded_on"),
    )
    # due_at is null only beyond the calendar's data, after the period's end
    in_time = (
        pl.col("responded_at").is_not_null()
        & (pl.col("responded_at") <= pl.col("due_at")).fill_null(True)
        & (pl.col("_responded_on") <= context.end)
    )
    early = pl.col("responded_at") <= pl.col("received_at")
    return inquiries.select(
        "employee_id",
        "timezone",
        "date",
        "record_id",
        "customer_id",
        "received_at",
        "responded_at",
        "due_at",
        ceil_minutes(pl.when(early).then(0).otherwise(taken)).alias("response_minutes"),
        in_time.alias("answered_in_time"),
        (pl.col("_due_on") <= context.end).fill_null(False).alias("window_closed"),
        pl.col("_ref").alias("inquiry_ref"),
    )


def _planned_visits(context: FactContext, windows: _Windows) -> pl.DataFrame:
    """3.2: visit customers according to plan: a customer_visit, or a customer_contact made
    by visit (channel ``visit``)."""
    tolerance = int(context.params["plan_tolerance_days"])
    plans = (
        context.table("visit_plan")
        .with_columns(pl.col("planned_date").alias("date"))
        .filter(_in_period("date", context))
    )
    working = windows.over(plans)
    date = pl.col("date")
    if working is None:
        opens, closes = date.dt.offset_by(f"-{tolerance}d"), date.dt.offset_by(f"{tolerance}d")
    else:
        opens, closes = working.shifted(date, -tolerance), working.shifted(date, tolerance)
    plans = plans.with_columns(opens.alias("_window_start"), closes.alias("window_end"))
    visits = pl.concat(
        [
            _dated(context, "customer_visit", "start").select(
                *PAIR, pl.col("start").alias("at"), "_on", "_ref"
            ),
            _dated(context, "customer_contact", "at")
            .filter(pl.col("channel") == "visit")
            .select(*PAIR, "at", "_on", "_ref"),
        ]
    ).rename({"_ref": "_match_ref"})
    # a window reaching beyond the calendar's data (null) is not bounded on that side
    matched = (
        plans.select("_ref", *PAIR, "_window_start", "window_end")
        .join(visits, on=PAIR)
        .filter(
            (pl.col("_on") >= pl.col("_window_start")).fill_null(True)
            & (pl.col("_on") <= pl.col("window_end")).fill_null(True)
        )
    )
    first = _first_match(matched, "_ref", "at", ["_on", "_match_ref"])
    return plans.join(first, on="_ref", how="left").select(
        "employee_id",
        "timezone",
        "date",
        "record_id",
        "customer_id",
        "window_end",
        pl.col("_on").alias("visited_on"),
        pl.col("_on").is_not_null().alias("visited"),
        (pl.col("window_end") <= context.end).fill_null(False).alias("window_closed"),
        pl.col("_ref").alias("plan_ref"),
        pl.col("_match_ref").alias("visit_ref"),
    )


def _assigned_at_end(context: FactContext) -> pl.DataFrame:
    """Employee and customer pairs whose assignments, merged where they meet or overlap,
    cover the period's last date: the merged run's first date and the covering record."""
    end = context.end
    open_end = pl.col("end").fill_null(dt.date.max)
    runs = (
        context.table("customer_assignment")
        .sort(*PAIR, "start", "_ref")
        .with_columns(open_end.cum_max().over(PAIR).alias("_reach"))
        .with_columns(pl.col("_reach").shift(1).over(PAIR).alias("_before"))
        # a new run starts where the assignments before it end more than a day earlier
        .with_columns(
            (pl.col("start").dt.offset_by("-1d") > pl.col("_before"))
            .fill_null(True)
            .cast(pl.Int64)
            .alias("_new")
        )
        .with_columns(pl.col("_new").cum_sum().over(PAIR).alias("_run"))
    )
    covering = runs.group_by(*PAIR, "_run").agg(
        pl.col("timezone").first(),
        pl.col("start").min().alias("assigned_since"),
        pl.col("_reach").max().alias("_run_end"),
        pl.col("_ref")
        .filter((pl.col("start") <= end) & (open_end >= end))
        .last()
        .alias("assignment_ref"),
    )
    return covering.filter((pl.col("assigned_since") <= end) & (pl.col("_run_end") >= end)).drop(
        "_run", "_run_end"
    )


def _with_purchase(rows: pl.DataFrame, context: FactContext) -> pl.DataFrame:
    """``has_purchase``: the customer's first order or contract (any employee) falls on or
    before the period's last date, in the row's employee's timezone."""
    instants = [
        context.tables.table("order").select("customer_id", pl.col("booked_at").alias("_at")),
        context.tables.table("contract").select("customer_id", pl.col("signed_at").alias("_at")),
    ]
    first = pl.concat(instants).group_by("customer_id").agg(pl.col("_at").min())
    joined = rows.join(first, on="customer_id", how="left")
    return joined.with_columns(
        (context.local_date("_at") <= context.end).fill_null(False).alias("has_purchase")
    ).drop("_at")


def _revisits(context: FactContext) -> pl.DataFrame:
    """7.3, 7.4: regular return visits and contact with the customers one looks after."""
    assigned = _with_purchase(_assigned_at_end(context), context)
    last = _touches(context).sort("at", "_ref").group_by(PAIR).agg(pl.col("_on", "_ref").last())
    since = pl.max_horizontal("assigned_since", "last_contact_on")
    return (
        assigned.join(last, on=PAIR, how="left")
        .rename({"_on": "last_contact_on", "_ref": "contact_ref"})
        .with_columns(
            pl.lit(context.end).alias("date"),
            (pl.lit(context.end) - since).dt.total_days().alias("days_without_contact"),
        )
    )


def _customer_files(context: FactContext) -> pl.DataFrame:
    """7.1: a customer file with basic information and needs, for every customer who buys."""
    profiles = (
        _dated(context, "customer_profile", "updated_at")
        .sort("updated_at", "_ref")
        .group_by(PAIR)
        .agg(pl.all().last())
    )
    missing = [
        pl.when(pl.col(name).str.strip_chars().replace("", None).is_null()).then(pl.lit(name))
        for name in PROFILE_FIELDS
    ]
    return (
        _with_purchase(profiles, context)
        .with_columns(pl.concat_list(missing).list.drop_nulls().alias("missing_fields"))
        .with_columns(
            pl.lit(context.end).alias("date"),
            pl.col("missing_fields").list.len().alias("missing_count"),
            pl.col("_ref").alias("profile_ref"),
        )
    )


def _record_dates(context: FactContext, employees: pl.DataFrame) -> pl.DataFrame:
    """employee_id and local date of every record of these employees (each record type
    dated by its first required date or date-time field)."""
    dates = [pl.DataFrame(schema={"employee_id": pl.String, "_on": pl.Date})]
    for record_type in context.tables.tables:
        spec = next(
            (s for s in fields_of(record_type) if s.required and s.kind in ("date", "datetime")),
            None,
        )
        if spec is None:
            continue
        table = context.table(record_type).join(employees, on="employee_id", how="semi")
        on = pl.col(spec.name) if spec.kind == "date" else context.local_date(spec.name)
        dates.append(table.select("employee_id", on.alias("_on")))
    return pl.concat(dates)


def _market_months(context: FactContext) -> pl.DataFrame:
    """1.1, 6.3: collect market and competitor information, a report every month."""
    first_month = context.start.replace(day=1)
    months = pl.DataFrame(
        {"_first": pl.date_range(first_month, context.end, "1mo", eager=True)}
    ).with_columns(
        pl.col("_first").dt.month_end().alias("_last"),
        pl.col("_first").dt.strftime("%Y-%m").alias("period"),
    )
    employees = context.employees.select("employee_id", "timezone", "hired_on", "left_on")
    with_record = context.tables.table("employee").select("employee_id")
    employed = (
        employees.join(with_record, on="employee_id", how="semi")
        .join(months, how="cross")
        .filter(
            (pl.col("hired_on").is_null() | (pl.col("hired_on") <= pl.col("_last")))
            & (pl.col("left_on").is_null() | (pl.col("left_on") >= pl.col("_first")))
        )
        .select("employee_id", "period", pl.lit("employment").alias("active_by"))
    )
    others = employees.join(with_record, on="employee_id", how="anti").select("employee_id")
    by_records = (
        _record_dates(context, others)
        .select("employee_id", pl.col("_on").dt.strftime("%Y-%m").alias("period"))
        .unique()
        .join(months.select("period"), on="period", how="semi")
        .with_columns(pl.lit("records").alias("active_by"))
    )
    reports = (
        _dated(context, "market_report", "submitted_at")
        .with_columns(pl.col("_on").dt.strftime("%Y-%m").alias("period"))
        .group_by("employee_id", "period")
        .agg(pl.len().alias("market_reports"), pl.col("_ref").sort().alias("report_refs"))
    )
    return (
        pl.concat([employed, by_records])
        .join(employees.select("employee_id", "timezone"), on="employee_id")
        .join(months, on="period")
        .join(reports, on=["employee_id", "period"], how="left")
        .with_columns(
            pl.col("market_reports").fill_null(0),
            pl.col("report_refs").fill_null(pl.lit([], pl.List(pl.Int64))),
            (pl.col("_last") <= context.end).alias("month_closed"),
        )
    )
