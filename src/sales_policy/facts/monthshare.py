"""How much of a calendar month an employee was employed, for the month rules that judge a
month an employee joined or left in (docs/assumptions.md): ASM-TARGET-MISSED prorates the
month's target by it (``target_prorated``), CRM-NO-MARKET-REPORT owes the month's report from
a share of it (``market_report_min_share``).

The share is of working days, as attendance schedules them: the days of the policy's calendar
that are working days (weekends and statutory holidays off, adjusted working days worked),
those from ``hired_on`` to ``left_on`` over all the month's.  A month employed whole (hired on
or before its first day, not left before its last, or no employee record) has the share 1 and
no day counts: its calendar is not read, so a run judging whole months reads no calendar, as
before, nor does one whose parameters judge every month whole (``target_prorated`` false,
``market_report_min_share`` 0), where a month employed in part has no share (null).  A month
without a working day has the share 1: there is nothing to prorate by.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import polars as pl

from ..errors import CalendarError

if TYPE_CHECKING:
    from . import FactContext
    from .schema import ColumnType

#: the columns ``with_employed_share`` adds
EMPLOYED_DAYS = "employed_working_days"
MONTH_DAYS = "month_working_days"
SHARE = "employed_share"
#: the decimal places the share is kept to (rounded down: ``with_employed_share``)
SHARE_PLACES = 4


def share_columns(
    not_counted: str, active: bool = False
) -> tuple[tuple[str, ColumnType, str], ...]:
    """The fact-table columns ``with_employed_share`` adds, described for a table whose days
    are not counted under ``not_counted`` (the parameter's value that judges months whole),
    and whose months ``active`` by records (no employee record) are judged whole too."""
    by_records = " or active by records" if active else ""
    return (
        (
            EMPLOYED_DAYS,
            "int",
            "in a month the employee joined or left in (hired_on after its first day, left_on "
            "before its last): its working days by the policy's calendar from hired_on to "
            f"left_on; null for a month employed whole{by_records}, and with {not_counted} (not "
            "counted)",
        ),
        (
            MONTH_DAYS,
            "int",
            "in such a month, its working days by the policy's calendar; null when "
            "employed_working_days is",
        ),
        (
            SHARE,
            "float",
            "employed_working_days / month_working_days, rounded down to 4 decimal places; 1 "
            "for a month employed whole (or without a working day)"
            f"{' and for one active by records' if active else ''}; null when the days are not "
            "counted",
        ),
    )


def partly_employed(first: str = "_first", last: str = "_last") -> pl.Expr:
    """Whether a row's employee joined after the month's ``first`` day or left before its
    ``last`` (by the ``hired_on`` and ``left_on`` columns)."""
    hired, left = pl.col("hired_on"), pl.col("left_on")
    return ((hired > pl.col(first)) | (left < pl.col(last))).fill_null(False)


def with_employed_share(context: FactContext, rows: pl.DataFrame, needed: bool) -> pl.DataFrame:
    """``rows`` (one per employee and month: ``_first`` and ``_last``, the month's first and
    last days, ``hired_on``, ``left_on``) with ``employed_working_days`` and
    ``month_working_days`` (null for a month employed whole) and ``employed_share``, their
    quotient rounded down to 4 decimal places (the rules compare it as shown).  Not ``needed`` (the
    parameters judge every month whole), the calendar is not read: a month employed in part
    has null counts and share."""
    counts = pl.DataFrame(
        schema={
            "employee_id": pl.String,
            "_first": pl.Date,
            "_employed": pl.Int64,
            "_days": pl.Int64,
        }
    )
    shown = rows.filter(partly_employed())
    if shown.height and needed:
        cumulative = _cumulative(context, shown)
        lo = pl.max_horizontal("_first", pl.col("hired_on").fill_null(pl.col("_first")))
        hi = pl.min_horizontal("_last", pl.col("left_on").fill_null(pl.col("_last")))
        spans = shown.select("employee_id", "_first", "_last", lo.alias("_lo"), hi.alias("_hi"))
        counts = (
            spans.with_columns(
                _between(cumulative, "_lo", "_hi").alias("_employed"),
                _between(cumulative, "_first", "_last").alias("_days"),
            )
            .select("employee_id", "_first", "_employed", "_days")
            .unique(["employee_id", "_first"])
        )
    days = pl.col("_days")
    return (
        rows.join(counts, on=["employee_id", "_first"], how="left")
        .with_columns(
            pl.col("_employed").alias(EMPLOYED_DAYS),
            days.alias(MONTH_DAYS),
            pl.when(days > 0)
            # rounded down, in whole numbers: never above the share employed, so that it is
            # at least a minimum of 4 places exactly when the share is (0.476190... of 10 of
            # 21 days rounded to 0.4762 had met a minimum of 0.4762); the quotient by 10^4
            # rounded to 4 places is the float of that figure (polars divides by a constant
            # as by its reciprocal: 4285 / 10^4 was 0.42850000000000005)
            .then(((pl.col("_employed") * 10**4 // days) / 10**4).round(4))
            .when(days.is_not_null() | ~partly_employed())
            .then(1.0)
            .cast(pl.Float64)
            .alias(SHARE),
        )
        .drop("_employed", "_days")
    )


def _cumulative(context: FactContext, rows: pl.DataFrame) -> dict[dt.date, int]:
    """Per date of the months of ``rows``: how many working days fall from the first of
    those months up to and including it (and the day before the first, 0)."""
    first = rows.get_column("_first").min()
    last = rows.get_column("_last").max()
    assert isinstance(first, dt.date) and isinstance(last, dt.date)
    try:
        kinds = context.calendar.day_kinds(first, last)
    except CalendarError as exc:
        raise CalendarError(
            f"{exc}.  The month rules count the working days an employee was employed in a "
            "month they joined or left in (ASM-TARGET-MISSED's prorated target, "
            "CRM-NO-MARKET-REPORT's share employed); to judge such months whole instead, "
            "without the calendar, set params: {target_prorated: false, "
            "market_report_min_share: 0}"
        ) from None
    counted = kinds.get_column("is_workday").cast(pl.Int64).cum_sum()
    cumulative = dict(zip(kinds.get_column("date").to_list(), counted.to_list(), strict=True))
    cumulative[first - dt.timedelta(days=1)] = 0
    return cumulative


def _between(cumulative: dict[dt.date, int], low: str, high: str) -> pl.Expr:
    """The working days from ``low`` to ``high`` (0 when ``high`` is before ``low``)."""
    dates, counts = list(cumulative), list(cumulative.values())

    def through(column: pl.Expr) -> pl.Expr:
        return column.replace_strict(dates, counts, return_dtype=pl.Int64)

    before_low = through(pl.col(low).dt.offset_by("-1d"))
    return (
        pl.when(pl.col(high) >= pl.col(low))
        .then(through(pl.col(high)) - before_low)
        .otherwise(0)
        .cast(pl.Int64)
    )
