"""The assessment fact tables (handbook 5.1, 9.1, 9.3): ``assessment_month``,
``assessment_order`` and ``training_due``, column by column; :mod:`.assessment` derives them
from the records.  See docs/assessment.md.

``assessment_month`` holds the indicators of one employee and calendar month: net sales
against the sales target, customers developed against their target, satisfaction, the net
sales of the same month one period-length earlier (for the growth rate) and required training.
``sales_policy.scoring`` adds months up into quarters and years and turns them into scores.
"""

from __future__ import annotations

from .money import MONEY_PLACES
from .monthshare import SHARE, SHARE_PLACES, share_columns
from .schema import fact_table

#: the decimal places satisfaction is kept to (rounded down: ``assessment._hundredths_down``)
SATISFACTION_PLACES = 2
#: the columns of amounts, exact to ``MONEY_PLACES``
_AMOUNTS = (
    "gross_sales",
    "reversed_sales",
    "net_sales",
    "target_sales",
    "prorated_target_sales",
    "previous_net_sales",
)

#: the columns the sales currency and the exchange rates shape
_MONEY = (
    "currency",
    "gross_sales",
    "reversed_sales",
    "net_sales",
    "target_sales",
    "sales_achievement",
    "previous_net_sales",
    "net_sales_text",
    "target_sales_text",
    "gross_sales_text",
    "reversed_sales_text",
    "previous_net_sales_text",
    "prorated_target_sales",
    "prorated_target_sales_text",
    "employed_share_en",
    "employed_share_zh",
)
ASSESSMENT_MONTH = fact_table(
    "assessment_month",
    "month",
    "One row per employee and calendar month with days in the evaluation period, for employees "
    "with at least one sales_target, satisfaction_survey, training, order or contract record "
    "(and, with an employee record, employed on a day of the month).  Figures cover the whole "
    "month up to the period's end; amounts are in the sales currency.",
    ("team", "str", "the employee's team, from the employee record (null without one)"),
    ("month_closed", "bool", "the month's last day is on or before the period's last date"),
    ("currency", "str", "the currency of every amount of the row: the sales_currency parameter"),
    ("orders", "int", "orders booked in the month (local date), whatever their status"),
    ("gross_sales", "float", "the amount of those orders"),
    ("reversed_sales", "float", "the amount of those cancelled or refunded"),
    ("net_sales", "float", "gross_sales less reversed_sales; null if an amount has no rate"),
    ("target_sales", "float", "the month's sales_target amount; null without a target"),
    (
        "net_sales_text",
        "str",
        "net_sales as a message writes an amount: to 2 decimals, or as many as it has (93500.00, "
        "999.995)",
    ),
    ("target_sales_text", "str", "target_sales as a message writes an amount (100000.50)"),
    ("gross_sales_text", "str", "gross_sales as a message writes an amount"),
    ("reversed_sales_text", "str", "reversed_sales as a message writes an amount"),
    *share_columns("target_prorated false"),
    (
        "prorated_target_sales",
        "float",
        "the target ASM-TARGET-MISSED compares net sales with: with target_prorated, in a "
        "month employed in part, target_sales x employed_working_days / month_working_days, "
        "exactly, rounded half away from zero to 4 decimal places; else target_sales",
    ),
    ("prorated_target_sales_text", "str", "prorated_target_sales as a message writes an amount"),
    (
        "employed_share_en",
        "str",
        "for messages: where the target is prorated, ' (prorated from 100000.00: employed 1 of "
        "the month's 21 working days)'; else empty",
    ),
    ("employed_share_zh", "str", "the same in Chinese; else empty"),
    (
        "sales_achievement",
        "float",
        "net_sales / prorated_target_sales (target_sales unless target_prorated cuts it); "
        "null without a target above 0",
    ),
    (
        "new_customers",
        "int",
        "customers whose first order (not cancelled or refunded) or contract, by anyone, was "
        "this employee's and falls in the month",
    ),
    ("new_customer_ids", "str_list", "those customers, sorted"),
    ("target_new_customers", "int", "the month's sales_target new_customers; null without one"),
    (
        "customer_achievement",
        "float",
        "new_customers / target_new_customers; null without a target above 0",
    ),
    ("surveys", "int", "satisfaction surveys of the employee dated in the month"),
    (
        "satisfaction",
        "float",
        "mean of score / scale_max x 100 over them (0 to 100, rounded down to 2 decimals); null "
        "without any",
    ),
    ("satisfaction_total", "float", "the sum of score / scale_max x 100 over them (unrounded)"),
    (
        "previous_period",
        "str",
        "the same month one period-length earlier (YYYY-MM): the month before for a one-month "
        "period, three months before for a quarter, a year before for a year",
    ),
    ("previous_net_sales", "float", "net sales of previous_period (0 without orders in it)"),
    (
        "previous_net_sales_text",
        "str",
        "previous_net_sales as a message writes an amount; null if an amount has no rate",
    ),
    (
        "growth_rate",
        "float",
        "(net_sales - previous_net_sales) / previous_net_sales; null (undefined) when "
        "previous_net_sales is 0",
    ),
    (
        "trainings_due",
        "int",
        "training records whose required_by date is in the month (with "
        "training_ends_at_leaving, not after the employee's left_on)",
    ),
    ("trainings_on_time", "int", "of those, completed on or before required_by"),
    (
        "unconverted_currencies",
        "str_list",
        "currencies of the month's orders, target or previous_period orders that are not the "
        "sales currency and have no rate; the amounts they enter are null",
    ),
    ("order_refs", "ref_list", "the input rows of the month's orders"),
    ("target_ref", "ref", "the input row of the sales target"),
    ("survey_refs", "ref_list", "the input rows of the surveys"),
    ("previous_order_refs", "ref_list", "the input rows of previous_period's orders"),
    params={
        "sales_currency": _MONEY,
        "currency_rates": _MONEY,
        "training_ends_at_leaving": ("trainings_due", "trainings_on_time"),
        "target_prorated": (
            "employed_working_days",
            "month_working_days",
            "employed_share",
            "prorated_target_sales",
            "prorated_target_sales_text",
            "employed_share_en",
            "employed_share_zh",
        ),
    },
    places={
        **dict.fromkeys(_AMOUNTS, MONEY_PLACES),
        SHARE: SHARE_PLACES,
        "satisfaction": SATISFACTION_PLACES,
    },
)

ASSESSMENT_ORDER = fact_table(
    "assessment_order",
    "event",
    "One row per order whose booking local date is in the evaluation period; date is that date.",
    ("order_id", "str", "the order"),
    ("customer_id", "str", "the customer"),
    ("booked_at", "datetime", "when it was booked"),
    ("status", "str", "booked, cancelled or refunded"),
    ("amount", "float", "its amount, in its own currency"),
    ("amount_text", "str", "amount as a message writes an amount, every digit (1000.1234)"),
    ("order_currency", "str", "the currency of amount"),
    (
        "sales_amount",
        "float",
        "amount in the sales currency (amount x rate, rounded half away from zero to 4 decimal "
        "places); null without a rate",
    ),
    ("sales_amount_text", "str", "sales_amount as a message writes an amount; null without it"),
    ("counted", "bool", "it counts in net sales: neither cancelled nor refunded"),
    ("won_customer", "bool", "it is the customer's first purchase (order or contract)"),
    ("order_ref", "ref", "the input row of the order"),
    params={
        "sales_currency": ("sales_amount", "sales_amount_text"),
        "currency_rates": ("sales_amount", "sales_amount_text"),
    },
    places={"amount": MONEY_PLACES, "sales_amount": MONEY_PLACES},
)

TRAINING_DUE = fact_table(
    "training_due",
    "event",
    "One row per training record whose required_by date is in the evaluation period; date is "
    "required_by.  A course without required_by is not required by a date and has no row, "
    "nor, with training_ends_at_leaving, one required after the employee's left_on.",
    ("record_id", "str", "the training record"),
    ("course", "str", "the course"),
    ("required_by", "date", "the last date it may be completed"),
    ("completed_at", "datetime", "when it was completed (null if not)"),
    (
        "completed_on_time",
        "bool",
        "completed_at's local date is on or before required_by",
    ),
    ("training_ref", "ref", "the input row of the training record"),
    # the rows themselves: a course required after leaving has none
    params={"training_ends_at_leaving": ("training_ref",)},
)
