"""Assessment facts (handbook 5.1, 9.1, 9.3): ``assessment_month``, ``assessment_order`` and
``training_due`` derived from the records; :mod:`.assessment_tables` declares them, column by
column.  See docs/assessment.md.

Money is compared in one currency, the ``sales_currency`` parameter (CNY by default).  An
amount in another currency is converted with the ``currency_rates`` parameter (``USD=7.10``:
one USD is 7.10 of the sales currency; :mod:`.money` converts amounts exactly); an amount
whose currency has no rate is never summed with others: the totals it would enter are null
and ``unconverted_currencies`` names the currency, which scoring reports as an error.

As in the other rule sets, a period is judged on what happened by its end: records dated after
the period's last date are not looked at.  Dates are local dates in the employee's timezone.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import polars as pl

from ..employees import employed_between
from ..recordfields import REVERSED_ORDER_STATUSES
from .assessment_tables import ASSESSMENT_MONTH, ASSESSMENT_ORDER, TRAINING_DUE
from .money import (
    MONEY,
    MONEY_PLACES,
    converted,
    currency_rate,
    exact_ratios,
    money_text,
    rates_of,
)
from .monthshare import with_employed_share
from .schema import FactTable

if TYPE_CHECKING:
    from . import FactContext

#: the record types that make an employee assessed
ASSESSMENT_TYPES = ("sales_target", "satisfaction_survey", "training", "order", "contract")
_KEY = ["employee_id", "period"]
_NO_REFS = pl.lit([], pl.List(pl.Int64))
_NO_TEXT = pl.lit([], pl.List(pl.String))

TABLES: tuple[FactTable, ...] = (ASSESSMENT_MONTH, ASSESSMENT_ORDER, TRAINING_DUE)


def derive(context: FactContext) -> dict[str, pl.DataFrame]:
    """The assessment fact tables."""
    base = str(context.params.get("sales_currency", "CNY"))
    rates = rates_of(context.params.get("currency_rates", []), base)
    orders = _orders(context, rates)
    return {
        ASSESSMENT_MONTH.name: ASSESSMENT_MONTH.conform(_months(context, orders, rates, base)),
        ASSESSMENT_ORDER.name: ASSESSMENT_ORDER.conform(_order_rows(context, orders)),
        TRAINING_DUE.name: TRAINING_DUE.conform(_training_due(context)),
    }


def _month_of(column: str) -> pl.Expr:
    return pl.col(column).dt.strftime("%Y-%m")


def _orders(context: FactContext, rates: dict[str, Decimal]) -> pl.DataFrame:
    """Every order dated on or before the period's end: local date, month, converted amount,
    whether it counts, and whether it won its customer."""
    orders = (
        context.table("order")
        .with_columns(
            context.local_date("booked_at").alias("_on"), currency_rate(rates).alias("_rate")
        )
        .with_columns(
            _month_of("_on").alias("_month"),
            converted("amount", rates).alias("_converted"),
            ~pl.col("status").is_in(REVERSED_ORDER_STATUSES).alias("_counted"),
        )
    )
    first = _first_purchases(context, orders)
    won = first.select(pl.col("_ref"), pl.lit(True).alias("_won"))
    return (
        orders.filter(pl.col("_on") <= context.end)
        .join(won, on="_ref", how="left")
        .with_columns(pl.col("_won").fill_null(False))
    )


def _first_purchases(context: FactContext, orders: pl.DataFrame) -> pl.DataFrame:
    """Per customer, the first purchase in the data: a counted order or a contract (ties at
    one instant go to the earlier input row); with the winner's local date and month."""
    purchases = pl.concat(
        [
            orders.filter(pl.col("_counted")).select(
                "employee_id", "timezone", "customer_id", pl.col("booked_at").alias("_at"), "_ref"
            ),
            context.table("contract").select(
                "employee_id", "timezone", "customer_id", pl.col("signed_at").alias("_at"), "_ref"
            ),
        ]
    )
    return (
        purchases.sort("_at", "_ref")
        .group_by("customer_id")
        .agg(pl.all().first())
        .with_columns(context.local_date("_at").alias("_on"))
        .with_columns(_month_of("_on").alias("_month"))
    )


def _months(
    context: FactContext, orders: pl.DataFrame, rates: dict[str, Decimal], base: str
) -> pl.DataFrame:
    months = pl.DataFrame(
        {"_first": pl.date_range(context.start.replace(day=1), context.end, "1mo", eager=True)}
    )
    length = months.height
    months = months.with_columns(
        pl.col("_first").dt.month_end().alias("_last"),
        _month_of("_first").alias("period"),
        # one period-length back: the previous month, quarter or year, month by month
        pl.col("_first").dt.offset_by(f"-{length}mo").dt.strftime("%Y-%m").alias("previous_period"),
    )
    rows = with_employed_share(
        context,
        _assessed(context)
        .join(months, how="cross")
        .filter(employed_between(pl.col("_first"), pl.col("_last"))),
        needed=bool(context.params["target_prorated"]),
    )
    sums = _order_sums(orders)
    previous = sums.select(
        "employee_id",
        pl.col("period").alias("previous_period"),
        pl.col("net_sales").alias("previous_net_sales"),
        pl.col("_unconverted").alias("_previous_unconverted"),
        pl.col("order_refs").alias("previous_order_refs"),
    )
    table = (
        rows.join(sums, on=_KEY, how="left")
        .join(previous, on=["employee_id", "previous_period"], how="left")
        .join(_targets(context, rates), on=_KEY, how="left")
        .join(_new_customers(context, orders), on=_KEY, how="left")
        .join(_surveys(context), on=_KEY, how="left")
        .join(_trainings(context), on=_KEY, how="left")
    )
    none = pl.col("orders").is_null()
    no_previous = pl.col("previous_order_refs").is_null()
    zero = pl.lit(0, MONEY)
    table = table.with_columns(
        pl.col("orders", "new_customers", "surveys", "trainings_due", "trainings_on_time")
        .fill_null(0)
        .cast(pl.Int64),
        *[
            pl.when(none).then(zero).otherwise(pl.col(name)).alias(name)
            for name in ("gross_sales", "reversed_sales", "net_sales")
        ],
        pl.when(no_previous)
        .then(zero)
        .otherwise(pl.col("previous_net_sales"))
        .alias("previous_net_sales"),
        pl.col("order_refs", "survey_refs", "previous_order_refs").fill_null(_NO_REFS),
        pl.col("new_customer_ids").fill_null(_NO_TEXT),
        pl.concat_list(
            pl.col("_unconverted").fill_null(_NO_TEXT),
            pl.col("_previous_unconverted").fill_null(_NO_TEXT),
            pl.col("_target_unconverted").fill_null(_NO_TEXT),
        )
        .list.unique()
        .list.sort()
        .alias("unconverted_currencies"),
        (pl.col("_last") <= context.end).alias("month_closed"),
        pl.lit(base).alias("currency"),
    )
    # the difference of exact amounts is exact: equal net sales grow by exactly 0
    growth = pl.col("net_sales") - pl.col("previous_net_sales")
    table = _prorated(table)
    return table.with_columns(
        money_text(pl.col("net_sales")).alias("net_sales_text"),
        money_text(pl.col("target_sales")).alias("target_sales_text"),
        money_text(pl.col("gross_sales")).alias("gross_sales_text"),
        money_text(pl.col("reversed_sales")).alias("reversed_sales_text"),
        money_text(pl.col("previous_net_sales")).alias("previous_net_sales_text"),
        money_text(pl.col("prorated_target_sales")).alias("prorated_target_sales_text"),
        _ratio(pl.col("net_sales"), "prorated_target_sales").alias("sales_achievement"),
        _ratio(pl.col("new_customers"), "target_new_customers").alias("customer_achievement"),
        _ratio(growth, "previous_net_sales").alias("growth_rate"),
    ).sort(_KEY)


def _prorated(table: pl.DataFrame) -> pl.DataFrame:
    """``prorated_target_sales``, the target ASM-TARGET-MISSED compares net sales with: in a
    month employed in part, with ``target_prorated``, the target times the working days
    employed over the month's, exactly, rounded half away from zero to 4 decimal places;
    else the target.  ``employed_share_en``/``_zh``, the messages' words for it (empty for
    the whole target)."""
    target = pl.col("target_sales")
    employed, days = pl.col("employed_working_days"), pl.col("month_working_days")
    # with target_prorated false the days are not counted (null)
    cut = (days > 0) & (employed < days) & target.is_not_null()
    # to 8 places first: the exact quotient (N / 10^4 of a cent over at most 31 days) is
    # never within 10^-8 of a half of the 4th place without being one, so rounding it to 4
    # places is as rounding the exact one
    exact = target.cast(pl.Decimal(38, 2 * MONEY_PLACES)) * employed.cast(pl.Decimal(38, 0))
    share = exact / days.cast(pl.Decimal(38, 0))
    cut_target = share.round(MONEY_PLACES, mode="half_away_from_zero").cast(MONEY)
    whole = money_text(target)
    return table.with_columns(
        pl.when(cut.fill_null(False))
        .then(cut_target)
        .otherwise(target)
        .alias("prorated_target_sales"),
        pl.when(cut.fill_null(False))
        .then(
            pl.format(
                " (prorated from {}: employed {} of the month's {} working days)",
                whole,
                employed,
                days,
            )
        )
        .otherwise(pl.lit(""))
        .alias("employed_share_en"),
        pl.when(cut.fill_null(False))
        .then(pl.format("（按当月 {} 个工作日中在职 {} 个折算自 {}）", days, employed, whole))
        .otherwise(pl.lit(""))
        .alias("employed_share_zh"),
    )


def _ratio(numerator: pl.Expr, denominator: str) -> pl.Expr:
    """numerator / denominator as a float, null unless the denominator is above 0: worked out
    from the exact amounts and never shown above them (``money.exact_ratios``).  Equal exact
    amounts give exactly 1; net sales of 999999999999999.9999 against a target of 10^15 give
    0.9999999999999999 (the quotient of their floats was 1.0, beside ASM-TARGET-MISSED)."""
    pairs = pl.struct(numerator.alias("numerator"), pl.col(denominator).alias("denominator"))
    return (
        pl.when(pl.col(denominator) > 0)
        .then(pairs.map_batches(exact_ratios, return_dtype=pl.Float64))
        .otherwise(None)
    )


def _assessed(context: FactContext) -> pl.DataFrame:
    """Employees with an assessment record: timezone, hire and leaving dates, team."""
    ids = pl.concat(
        [context.tables.table(t).select("employee_id") for t in ASSESSMENT_TYPES]
    ).unique()
    teams = context.tables.table("employee").select("employee_id", "team")
    return (
        context.employees.select("employee_id", "timezone", "hired_on", "left_on")
        .join(ids, on="employee_id", how="semi")
        .join(teams, on="employee_id", how="left")
    )


def _order_sums(orders: pl.DataFrame) -> pl.DataFrame:
    """Per employee and month: order count, gross, reversed and net amounts, currencies
    without a rate, and the orders' input rows."""
    convertible = pl.col("_rate").is_not_null().all()

    def total(amounts: pl.Expr) -> pl.Expr:
        return pl.when(convertible).then(amounts.sum()).otherwise(None)

    reversed_ = pl.col("_converted").filter(~pl.col("_counted"))
    return orders.group_by("employee_id", pl.col("_month").alias("period")).agg(
        pl.len().alias("orders"),
        total(pl.col("_converted")).alias("gross_sales"),
        total(reversed_).alias("reversed_sales"),
        total(pl.col("_converted").filter(pl.col("_counted"))).alias("net_sales"),
        pl.col("currency").filter(pl.col("_rate").is_null()).unique().sort().alias("_unconverted"),
        pl.col("_ref").sort().alias("order_refs"),
    )


def _targets(context: FactContext, rates: dict[str, Decimal]) -> pl.DataFrame:
    """The month's target; of several for one employee and month, the last input row."""
    return (
        context.table("sales_target")
        .sort("_ref")
        .group_by(_KEY)
        .agg(pl.all().last())
        .select(
            *_KEY,
            converted("sales_amount", rates).alias("target_sales"),
            pl.col("new_customers").alias("target_new_customers"),
            pl.when(currency_rate(rates).is_null())
            .then(pl.concat_list(pl.col("currency")))
            .otherwise(_NO_TEXT)
            .alias("_target_unconverted"),
            pl.col("_ref").alias("target_ref"),
        )
    )


def _new_customers(context: FactContext, orders: pl.DataFrame) -> pl.DataFrame:
    first = _first_purchases(context, orders).filter(pl.col("_on") <= context.end)
    return first.group_by("employee_id", pl.col("_month").alias("period")).agg(
        pl.len().alias("new_customers"), pl.col("customer_id").sort().alias("new_customer_ids")
    )


def _hundredths_down(value: pl.Expr) -> pl.Expr:
    """A satisfaction to 2 decimals, rounded down, never up to a bound: a mean of 59.9967 is
    59.99, below a minimum of 60 (rounded to nearest, 60.0 was not).  Float noise is taken
    off first, at 6 places of the hundredths, so 64.07 (6406.999999999999 hundredths) and
    2.01 of 3.35 (59.999999999999986) stay 64.07 and 60.0."""
    return ((value * 100).round(6).floor() / 100).round(2)


def _surveys(context: FactContext) -> pl.DataFrame:
    return (
        context.table("satisfaction_survey")
        .with_columns(context.local_date("at").alias("_on"))
        .filter(pl.col("_on") <= context.end)
        .group_by("employee_id", _month_of("_on").alias("period"))
        .agg(
            pl.len().alias("surveys"),
            _hundredths_down((pl.col("score") / pl.col("scale_max") * 100).mean()).alias(
                "satisfaction"
            ),
            (pl.col("score") / pl.col("scale_max") * 100).sum().alias("satisfaction_total"),
            pl.col("_ref").sort().alias("survey_refs"),
        )
    )


def _completed_on_time(context: FactContext) -> pl.Expr:
    return (context.local_date("completed_at") <= pl.col("required_by")).fill_null(False)


def _required(context: FactContext) -> pl.DataFrame:
    """The training records of courses owed: those required by a date after the employee's
    left_on are not, with ``training_ends_at_leaving``."""
    training = context.table("training")
    return context.owed(training, pl.col("required_by"), "training_ends_at_leaving")


def _trainings(context: FactContext) -> pl.DataFrame:
    return (
        _required(context)
        .filter(pl.col("required_by") <= context.end)
        .group_by("employee_id", _month_of("required_by").alias("period"))
        .agg(
            pl.len().alias("trainings_due"),
            _completed_on_time(context).sum().alias("trainings_on_time"),
        )
    )


def _order_rows(context: FactContext, orders: pl.DataFrame) -> pl.DataFrame:
    return orders.filter(pl.col("_on") >= context.start).select(
        "employee_id",
        "timezone",
        pl.col("_on").alias("date"),
        "order_id",
        "customer_id",
        "booked_at",
        "status",
        "amount",
        money_text(pl.col("amount")).alias("amount_text"),
        pl.col("currency").alias("order_currency"),
        pl.col("_converted").alias("sales_amount"),
        money_text(pl.col("_converted")).alias("sales_amount_text"),
        pl.col("_counted").alias("counted"),
        pl.col("_won").alias("won_customer"),
        pl.col("_ref").alias("order_ref"),
    )


def _training_due(context: FactContext) -> pl.DataFrame:
    return (
        _required(context)
        .filter(pl.col("required_by").is_between(context.start, context.end))
        .select(
            "employee_id",
            "timezone",
            pl.col("required_by").alias("date"),
            "record_id",
            "course",
            "required_by",
            "completed_at",
            _completed_on_time(context).alias("completed_on_time"),
            pl.col("_ref").alias("training_ref"),
        )
    )
