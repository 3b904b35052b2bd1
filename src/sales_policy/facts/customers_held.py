"""The customer-care facts of the customers an employee holds at the end of the period, and
of the months: return visits and contact (handbook 7.3, 7.4), customer files (7.1), and the
monthly market reports (1.1, 6.3); with the records they read, dated in the employee's
timezone up to the period's end (``dated``, ``customer_touches``), which the windowed facts of
:mod:`.customer_care` read too."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import polars as pl

from ..employees import employed_between
from ..recordfields import REVERSED_ORDER_STATUSES, FieldSpec, fields_of
from .monthshare import EMPLOYED_DAYS, MONTH_DAYS, SHARE, with_employed_share

if TYPE_CHECKING:
    from . import FactContext

PROFILE_FIELDS = ("name", "contact", "needs")
PAIR = ["employee_id", "customer_id"]


def dated(context: FactContext, record_type: str, instant: str) -> pl.DataFrame:
    """A record table with ``_on``, the local date of ``instant``, up to the period's end."""
    table = context.table(record_type)
    return table.with_columns(context.local_date(instant).alias("_on")).filter(
        pl.col("_on") <= context.end
    )


def customer_touches(context: FactContext) -> pl.DataFrame:
    """Every contact of an employee with a customer and visit to one, dated on or before the
    period's end: PAIR, ``at`` (a visit's start), ``_on`` (its local date), ``_ref``."""
    return pl.concat(
        [
            dated(context, "customer_contact", "at").select(*PAIR, "at", "_on", "_ref"),
            dated(context, "customer_visit", "start").select(
                *PAIR, pl.col("start").alias("at"), "_on", "_ref"
            ),
        ]
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
    before the period's last date, in the row's employee's timezone.  A cancelled or
    refunded order is no purchase, unless ``reversed_order_is_purchase``; its status is read
    as exported, as the assessment and the integrity rules read it."""
    orders = context.tables.table("order")
    if not context.params["reversed_order_is_purchase"]:
        orders = orders.filter(~pl.col("status").is_in(REVERSED_ORDER_STATUSES))
    instants = [
        orders.select("customer_id", pl.col("booked_at").alias("_at")),
        context.tables.table("contract").select("customer_id", pl.col("signed_at").alias("_at")),
    ]
    first = pl.concat(instants).group_by("customer_id").agg(pl.col("_at").min())
    joined = rows.join(first, on="customer_id", how="left")
    return joined.with_columns(
        (context.local_date("_at") <= context.end).fill_null(False).alias("has_purchase")
    ).drop("_at")


def _employed_at_end(context: FactContext) -> pl.DataFrame:
    """``employee_id`` and ``hired_on`` of the employees employed on the period's last date
    (no employee record, or no dates: employed throughout).  The state rules judge only
    them: one who left before it holds no customer and keeps no file at its end."""
    end = context.end
    return context.employees.filter(employed_between(end, end)).select("employee_id", "hired_on")


def revisits(context: FactContext) -> pl.DataFrame:
    """7.3, 7.4: regular return visits and contact with the customers one looks after, from
    the later of the assignment's start and the hire date."""
    assigned = (
        _assigned_at_end(context)
        .join(_employed_at_end(context), on="employee_id")
        .with_columns(pl.max_horizontal("assigned_since", "hired_on").alias("assigned_since"))
        .drop("hired_on")
    )
    assigned = _with_purchase(assigned, context)
    last = (
        customer_touches(context)
        .sort("at", "_ref")
        .group_by(PAIR)
        .agg(pl.col("_on", "_ref").last())
    )
    since = pl.max_horizontal("assigned_since", "last_contact_on")
    return (
        assigned.join(last, on=PAIR, how="left")
        .rename({"_on": "last_contact_on", "_ref": "contact_ref"})
        .with_columns(
            pl.lit(context.end).alias("date"),
            (pl.lit(context.end) - since).dt.total_days().alias("days_without_contact"),
        )
    )


def customer_files(context: FactContext) -> pl.DataFrame:
    """7.1: a customer file with basic information and needs, for every customer who buys."""
    profiles = (
        dated(context, "customer_profile", "updated_at")
        .join(_employed_at_end(context), on="employee_id", how="semi")
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


def month_field(record_type: str) -> FieldSpec | None:
    """The field dating a record type's rows for ``market_months``: its first required date
    or date-time field (None: the type has none, and makes no month one of activity)."""
    return next(
        (s for s in fields_of(record_type) if s.required and s.kind in ("date", "datetime")),
        None,
    )


def _record_dates(context: FactContext, employees: pl.DataFrame) -> pl.DataFrame:
    """employee_id and local date of every record of these employees (each record type
    dated by its ``month_field``)."""
    dates = [pl.DataFrame(schema={"employee_id": pl.String, "_on": pl.Date})]
    for record_type in context.tables.tables:
        spec = month_field(record_type)
        if spec is None:
            continue
        table = context.table(record_type).join(employees, on="employee_id", how="semi")
        on = pl.col(spec.name) if spec.kind == "date" else context.local_date(spec.name)
        dates.append(table.select("employee_id", on.alias("_on")))
    return pl.concat(dates)


def market_months(context: FactContext) -> pl.DataFrame:
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
    employed = with_employed_share(
        context,
        employees.join(with_record, on="employee_id", how="semi")
        .join(months, how="cross")
        .filter(employed_between(pl.col("_first"), pl.col("_last"))),
        needed=float(context.params["market_report_min_share"]) > 0,
    ).select(
        "employee_id",
        "period",
        pl.lit("employment").alias("active_by"),
        EMPLOYED_DAYS,
        MONTH_DAYS,
        SHARE,
    )
    others = employees.join(with_record, on="employee_id", how="anti").select("employee_id")
    by_records = (
        _record_dates(context, others)
        .select("employee_id", pl.col("_on").dt.strftime("%Y-%m").alias("period"))
        .unique()
        .join(months.select("period"), on="period", how="semi")
        .with_columns(
            pl.lit("records").alias("active_by"),
            pl.lit(None, pl.Int64).alias(EMPLOYED_DAYS),
            pl.lit(None, pl.Int64).alias(MONTH_DAYS),
            pl.lit(1.0).alias(SHARE),
        )
    )
    reports = (
        dated(context, "market_report", "submitted_at")
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
