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

from functools import cached_property
from typing import TYPE_CHECKING

import polars as pl

from ..errors import CalendarError
from .customer_care_tables import (
    CONTRACT_FOLLOW_UP,
    CUSTOMER_FILE,
    CUSTOMER_REVISIT,
    INQUIRY_RESPONSE,
    MARKET_REPORT_MONTH,
    PLANNED_VISIT,
)
from .customers_held import (
    PAIR,
    customer_files,
    customer_touches,
    dated,
    market_months,
    revisits,
)
from .intervals import ceil_minutes
from .schema import FactTable
from .worktime import WorkingDays, lay_out

if TYPE_CHECKING:
    from . import FactContext

#: the parameter leaving out the duties that fall due after the employee's left_on
LEAVING = "duties_end_at_leaving"

TABLES: tuple[FactTable, ...] = (
    CONTRACT_FOLLOW_UP,
    INQUIRY_RESPONSE,
    PLANNED_VISIT,
    CUSTOMER_REVISIT,
    CUSTOMER_FILE,
    MARKET_REPORT_MONTH,
)


def derive(context: FactContext) -> dict[str, pl.DataFrame]:
    """The customer care fact tables."""
    windows = _Windows(context)
    facts = {
        CONTRACT_FOLLOW_UP.name: CONTRACT_FOLLOW_UP.conform(_follow_ups(context, windows)),
        INQUIRY_RESPONSE.name: INQUIRY_RESPONSE.conform(_inquiries(context, windows)),
        PLANNED_VISIT.name: PLANNED_VISIT.conform(_planned_visits(context, windows)),
        CUSTOMER_REVISIT.name: CUSTOMER_REVISIT.conform(revisits(context)),
        CUSTOMER_FILE.name: CUSTOMER_FILE.conform(customer_files(context)),
    }
    # Only this table has rows for what is absent (a month without a report).  Without any
    # market_report record the input does not say whether reports exist, so the months are
    # not judged (the result's notes say so), as a rule set without its records is not.
    if context.tables.table("market_report").height:
        facts[MARKET_REPORT_MONTH.name] = MARKET_REPORT_MONTH.conform(market_months(context))
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


def _in_period(column: str, context: FactContext) -> pl.Expr:
    return pl.col(column).is_between(context.start, context.end)


def _first_match(candidates: pl.DataFrame, key: str, order: str, keep: list[str]) -> pl.DataFrame:
    """Per ``key``, the ``keep`` columns of the candidate that comes first by ``order``."""
    return candidates.sort(order, "_match_ref").group_by(key).agg(pl.col(keep).first())


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
    contracts = context.owed(contracts.with_columns(due.alias("due_on")), pl.col("due_on"), LEAVING)
    touches = customer_touches(context).rename({"_ref": "_match_ref"})
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
    inquiries = context.owed(
        inquiries.with_columns(
            context.local_date("due_at").alias("_due_on"),
            context.local_date("responded_at").alias("_responded_on"),
        ),
        pl.col("_due_on"),
        LEAVING,
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
    # the plan's own date is its due date; the tolerance around it is leeway
    plans = context.owed(plans, pl.col("date"), LEAVING)
    visits = pl.concat(
        [
            dated(context, "customer_visit", "start").select(
                *PAIR, pl.col("start").alias("at"), "_on", "_ref"
            ),
            dated(context, "customer_contact", "at")
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
