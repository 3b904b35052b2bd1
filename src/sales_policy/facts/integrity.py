"""Integrity facts: ``quote``, ``complaint``, ``sales_order`` and ``gift`` (event grain).

Handbook 4.2 and 8.3: be honest and keep promises; no exaggerated promises or false
advertising; no sales results or benefits obtained by improper means.  Every table has one
row per record whose local date (employee's timezone) falls in the evaluation period.

The facts hold no parameter values: thresholds (``period_end_days``, ``reversal_days``,
``gift_limit``) are compared in the rule conditions, so a policy's own values apply and the
rule pages list them.  ``sales_order`` carries day counts for that instead of yes/no answers:
days before the booking month's end, days from booking to reversal, and days from booking to
the end of the period (a reversal window longer than that has not closed yet).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, localcontext
from typing import TYPE_CHECKING, Any

import polars as pl

from ..recordfields import REVERSED_ORDER_STATUSES
from ..validation import REF as _REF
from .money import MONEY_PLACES, RATE_LIMIT, converted, money_text, rates_of
from .schema import FactTable, fact_table

if TYPE_CHECKING:
    from . import FactContext

#: the currency gift_limit is stated in; another is converted by the policy's currency_rates
LIMIT_CURRENCY = "CNY"
#: the places of a currency's unit in CNY that converts a gift's value exactly (money's)
_UNIT_PLACES = Decimal(1).scaleb(-12)

QUOTE = fact_table(
    "quote",
    "event",
    "One row per quote whose local date (of at) falls in the evaluation period.  A promise "
    "is compared with its limit only when both are given.",
    ("record_id", "str", "the quote"),
    ("customer_id", "str", "the customer it was made to"),
    ("at", "datetime", "when it was made"),
    ("discount_pct", "float", "discount promised, percent"),
    ("max_discount_pct", "float", "the largest discount the employee was authorised to give"),
    ("delivery_days", "int", "delivery time promised, days"),
    ("standard_delivery_days", "int", "the standard delivery time, days"),
    ("warranty_months", "int", "warranty promised, months"),
    ("standard_warranty_months", "int", "the standard warranty, months"),
    ("discount_above_max", "bool", "discount_pct > max_discount_pct (false if either is null)"),
    (
        "delivery_faster",
        "bool",
        "delivery_days < standard_delivery_days (false if either is null)",
    ),
    (
        "warranty_longer",
        "bool",
        "warranty_months > standard_warranty_months (false if either is null)",
    ),
    (
        "exceeded",
        "str_list",
        "which promises go beyond their limit: discount, delivery, warranty (in that order)",
    ),
    ("quote_ref", "ref", "the input row of the quote"),
)

COMPLAINT = fact_table(
    "complaint",
    "event",
    "One row per customer complaint whose local date (of at) falls in the evaluation period.",
    ("record_id", "str", "the complaint"),
    ("customer_id", "str", "the customer who complained"),
    ("at", "datetime", "when it was made"),
    ("category", "str", "misleading, false_advertising, service, quality or other"),
    ("substantiated", "bool", "the complaint was looked into and found true"),
    ("complaint_ref", "ref", "the input row of the complaint"),
)

SALES_ORDER = fact_table(
    "sales_order",
    "event",
    "One row per order whose booking local date falls in the evaluation period; date is that date.",
    ("order_id", "str", "the order"),
    ("customer_id", "str", "the customer"),
    ("status", "str", "booked, cancelled or refunded"),
    ("amount", "float", "the order's amount, in its currency"),
    (
        "amount_text",
        "str",
        "amount as a message writes an amount: to 2 decimals, or as many as it has, every digit "
        "(98765432109876543210.1234, whose float reads 9.876543210987654e+19)",
    ),
    ("currency", "str", "ISO 4217 code of the amount"),
    ("booked_at", "datetime", "when it was booked"),
    (
        "days_before_month_end",
        "int",
        "local days from the booking date to the last day of its month (0 on the last day)",
    ),
    ("reversed", "bool", "status is cancelled or refunded"),
    ("reversed_at", "datetime", "when it was cancelled or refunded (null if not reversed)"),
    ("reversal_date", "date", "the local date of reversed_at (null if not reversed)"),
    (
        "days_to_reversal",
        "int",
        "local days from the booking date to the reversal date (null if not reversed, or "
        "reversed_at is missing)",
    ),
    (
        "days_to_reversal_en",
        "str",
        "the same in English words for messages: 'on the day of booking', '1 day after "
        "booking', '2 days after booking'... (null when days_to_reversal is)",
    ),
    (
        "days_to_period_end",
        "int",
        "local days from the booking date to the last date of the evaluation period",
    ),
    ("order_ref", "ref", "the input row of the order"),
    places={"amount": MONEY_PLACES},
)

GIFT = fact_table(
    "gift",
    "event",
    "One row per gift given or received whose local date (of at) falls in the evaluation period.",
    ("record_id", "str", "the gift"),
    ("counterparty", "str", "who gave or received it"),
    ("direction", "str", "given or received"),
    ("value", "float", "its value, in its currency"),
    (
        "value_text",
        "str",
        "value as a message writes an amount: to 2 decimals, or as many as it has (500.00, 0.125)",
    ),
    ("currency", "str", "ISO 4217 code of the value"),
    (
        "value_cny",
        "float",
        "its value in CNY, the currency of gift_limit: converted by currency_rates for "
        "another currency, exactly to 4 decimal places (as the assessment converts amounts) "
        "where one unit is a decimal of at most 12 places in CNY; null for a currency they "
        "give no rate of, which cannot be compared",
    ),
    (
        "value_cny_text",
        "str",
        "value_cny as a message writes an amount, every digit where it is converted exactly "
        "(else the float's text); null where value_cny is",
    ),
    ("at", "datetime", "when it was given or received"),
    ("approved", "bool", "the company approved it"),
    ("gift_ref", "ref", "the input row of the gift"),
    params={
        "sales_currency": ("value_cny", "value_cny_text"),
        "currency_rates": ("value_cny", "value_cny_text"),
    },
    places={"value": MONEY_PLACES, "value_cny": MONEY_PLACES},
)

TABLES: tuple[FactTable, ...] = (QUOTE, COMPLAINT, SALES_ORDER, GIFT)


def derive(context: FactContext) -> dict[str, pl.DataFrame]:
    """The integrity fact tables."""
    return {
        "quote": _quote(context),
        "complaint": _complaint(context),
        "sales_order": _sales_order(context),
        "gift": _gift(context),
    }


def _in_period(context: FactContext, record_type: str, instant: str) -> pl.DataFrame:
    """A record table with the local ``date`` of ``instant``, only rows dated in the period."""
    return (
        context.table(record_type)
        .with_columns(context.local_date(instant).alias("date"))
        .filter(pl.col("date").is_between(context.start, context.end))
    )


def _quote(context: FactContext) -> pl.DataFrame:
    # A missing promise or a missing limit compares as null; a null is not an excess.
    checks = {
        "discount": (pl.col("discount_pct") > pl.col("max_discount_pct")).fill_null(False),
        "delivery": (pl.col("delivery_days") < pl.col("standard_delivery_days")).fill_null(False),
        "warranty": (pl.col("warranty_months") > pl.col("standard_warranty_months")).fill_null(
            False
        ),
    }
    exceeded = pl.concat_list(
        pl.when(check).then(pl.lit(name, pl.String)) for name, check in checks.items()
    ).list.drop_nulls()
    return _in_period(context, "quote", "at").select(
        "employee_id",
        "timezone",
        "date",
        "record_id",
        "customer_id",
        "at",
        "discount_pct",
        "max_discount_pct",
        "delivery_days",
        "standard_delivery_days",
        "warranty_months",
        "standard_warranty_months",
        checks["discount"].alias("discount_above_max"),
        checks["delivery"].alias("delivery_faster"),
        checks["warranty"].alias("warranty_longer"),
        exceeded.alias("exceeded"),
        pl.col(_REF).alias("quote_ref"),
    )


def _complaint(context: FactContext) -> pl.DataFrame:
    return _in_period(context, "complaint", "at").select(
        "employee_id",
        "timezone",
        "date",
        "record_id",
        "customer_id",
        "at",
        "category",
        "substantiated",
        pl.col(_REF).alias("complaint_ref"),
    )


def _days(later: pl.Expr, earlier: pl.Expr) -> pl.Expr:
    return (later - earlier).dt.total_days().cast(pl.Int64)


def _days_in_words(days: pl.Expr) -> pl.Expr:
    """A count of days from booking in English words: one day, not "1 days"."""
    size = days.abs()
    unit = pl.when(size == 1).then(pl.lit(" day ")).otherwise(pl.lit(" days "))
    side = pl.when(days < 0).then(pl.lit("before")).otherwise(pl.lit("after"))
    counted = pl.concat_str(size.cast(pl.String), unit, side, pl.lit(" booking"))
    return pl.when(days == 0).then(pl.lit("on the day of booking")).otherwise(counted)


def _sales_order(context: FactContext) -> pl.DataFrame:
    """Orders booked in the period, with the day counts the reversal rule compares.

    Days are counted between local dates (a reversal on the 30th day after booking is within
    30 days, whatever the hour).  A reversal is known from the status; reversed_at dates it,
    and a reversal after the period's end still counts: the record says it happened."""
    orders = _in_period(context, "order", "booked_at")
    reversed_ = pl.col("status").is_in(REVERSED_ORDER_STATUSES)
    orders = orders.with_columns(
        reversed_.alias("reversed"),
        pl.when(reversed_).then(pl.col("reversed_at")).alias("reversed_at"),
    ).with_columns(context.local_date("reversed_at").alias("reversal_date"))
    return orders.select(
        "employee_id",
        "timezone",
        "date",
        "order_id",
        "customer_id",
        "status",
        pl.col("amount").cast(pl.Float64),
        money_text(pl.col("amount")).alias("amount_text"),
        "currency",
        "booked_at",
        _days(pl.col("date").dt.month_end(), pl.col("date")).alias("days_before_month_end"),
        "reversed",
        "reversed_at",
        "reversal_date",
        _days(pl.col("reversal_date"), pl.col("date")).alias("days_to_reversal"),
        _days_in_words(_days(pl.col("reversal_date"), pl.col("date"))).alias("days_to_reversal_en"),
        _days(pl.lit(context.end, pl.Date), pl.col("date")).alias("days_to_period_end"),
        pl.col(_REF).alias("order_ref"),
    )


def _in_cny(params: Mapping[str, Any]) -> dict[str, Decimal]:
    """What one unit of each currency is in CNY, the currency of ``gift_limit``: 1 for CNY;
    for another, by the ``currency_rates`` of the policy (into ``sales_currency``), where
    they give its rate and CNY's: the quotient of the two, to 40 digits."""
    base = str(params.get("sales_currency", LIMIT_CURRENCY))
    rates = rates_of(params.get("currency_rates", ()), base)
    cny = rates.get(LIMIT_CURRENCY)
    with localcontext(prec=40):
        others = {code: rate / cny for code, rate in rates.items()} if cny is not None else {}
    return others | {LIMIT_CURRENCY: Decimal(1)}


def _value_cny(params: Mapping[str, Any]) -> tuple[pl.Expr, pl.Expr]:
    """A gift's value in CNY, and its text: converted exactly, as the assessment converts
    amounts (``money.converted``: to 4 decimal places), where the currency's unit in CNY is a
    decimal of at most 12 places below ``RATE_LIMIT`` (every rate, when CNY is the sales
    currency), the text writing every digit; else (a quotient of two rates that does not end,
    as 1/0.14) the float product, and its text.  A float product made 100 USD at 1.1 worth
    110.00000000000001 CNY, over a limit of 110."""
    units = _in_cny(params)
    exact = {
        code: unit
        for code, unit in units.items()
        if unit < RATE_LIMIT and unit == unit.quantize(_UNIT_PLACES)
    }
    rounded = {code: float(unit) for code, unit in units.items() if code not in exact}
    product = pl.col("value").cast(pl.Float64) * pl.col("currency").replace_strict(
        list(rounded), list(rounded.values()), default=None, return_dtype=pl.Float64
    )
    exactly = converted("value", exact)
    return (
        pl.coalesce(exactly.cast(pl.Float64), product),
        pl.coalesce(money_text(exactly), product.cast(pl.String)),
    )


def _gift(context: FactContext) -> pl.DataFrame:
    value_cny, value_cny_text = _value_cny(context.params)
    return _in_period(context, "gift", "at").select(
        "employee_id",
        "timezone",
        "date",
        "record_id",
        "counterparty",
        "direction",
        pl.col("value").cast(pl.Float64),
        money_text(pl.col("value")).alias("value_text"),
        "currency",
        value_cny.alias("value_cny"),
        value_cny_text.alias("value_cny_text"),
        "at",
        "approved",
        pl.col(_REF).alias("gift_ref"),
    )
