"""An employee's indicators over a scoring period (handbook 9.1; docs/assessment.md): the
months of the ``assessment_month`` facts added up exactly, and each indicator's value, target
and exact achievement, or why it cannot be computed.  ``scoring.score`` weighs them.

Amounts are read from the facts' texts of them, which write every digit, and summed as
decimals; achievements are exact fractions of those sums."""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

import polars as pl

from . import scorenotes
from .errors import PolicyError
from .facts.money import MONEY, float_at_most
from .findings import Note
from .scorecard import INDICATORS
from .scoringvalues import ScoringValues, exact

#: the amounts of ``assessment_month`` summed over the months, read from their texts, which
#: write every digit (read back from the floats, they lost some from about 500 billion up:
#: growth rates of 1e-16 for unchanged net sales of 987654321987.6543); the target as
#: ASM-TARGET-MISSED compares it: prorated where ``target_prorated`` cuts it
_EXACT = {
    "net_sales": "net_sales_text",
    "target_sales": "prorated_target_sales_text",
    "gross_sales": "gross_sales_text",
    "reversed_sales": "reversed_sales_text",
    "previous_net_sales": "previous_net_sales_text",
}
_COUNTS = ["orders", "new_customers", "surveys", "trainings_due", "trainings_on_time"]


def period_totals(
    months: pl.DataFrame, values: ScoringValues, policy_path: str | None
) -> dict[str, dict[str, Any]]:
    """Per employee, the months of the period added up; amounts without a rate stop here."""
    broken = months.filter(pl.col("unconverted_currencies").list.len() > 0)
    if not broken.is_empty():
        listed = [
            f"{r[0]} {r[1]}: {', '.join(r[2])}"
            for r in broken.select("employee_id", "period", "unconverted_currencies")
            .head(5)
            .iter_rows()
        ]
        raise PolicyError(
            f"amounts in a currency with no rate into {values.currency} ({'; '.join(listed)}"
            f"{'; ...' if broken.height > 5 else ''}): give rates in the currency_rates parameter"
            ', e.g. params: {currency_rates: ["USD=7.10"]}, or change sales_currency',
            path=policy_path,
        )
    totals = (
        months.sort("period")
        .group_by("employee_id")
        .agg(
            pl.col("team").drop_nulls().first(),
            *(pl.col(text).cast(MONEY).sum().alias(name) for name, text in _EXACT.items()),
            pl.col(*_COUNTS, "satisfaction_total", "target_new_customers").sum(),
            _months_without("target_sales").alias("_no_sales_target"),
            _months_without("target_new_customers").alias("_no_customer_target"),
            _months_at_zero("target_sales").alias("_zero_sales_target"),
            _months_at_zero("target_new_customers").alias("_zero_customer_target"),
            pl.col("period").count().alias("_months"),
            pl.col("previous_period").min().alias("_previous_first"),
            pl.col("previous_period").max().alias("_previous_last"),
        )
    )
    return {row["employee_id"]: row for row in totals.iter_rows(named=True)}


def _months_without(column: str) -> pl.Expr:
    return pl.col("period").filter(pl.col(column).is_null())


def _months_at_zero(column: str) -> pl.Expr:
    """Months whose target is 0: as in a month alone, there is nothing to achieve in them, and
    the period's sum of the others must not stand in (a target for October alone would make
    the quarter's sales, all three months', an achievement of three times October's)."""
    return pl.col("period").filter(pl.col(column) <= 0)


#: a figure's value or target: an amount as its exact decimal sum, a count, or a float (a
#: satisfaction, a rate, a share)
Number = Decimal | float | int
#: (indicator, value, target, exact achievement, why it cannot be computed or None); value
#: and target as computed (amounts as exact decimals: ``scoring`` shows them), the
#: achievement an exact fraction (None when it cannot be computed), the reason in English and
#: Chinese (``scorenotes``)
Figure = tuple[str, Number | None, Number | None, Fraction | None, Note | None]


def figures(total: Mapping[str, Any] | None, values: ScoringValues) -> list[Figure]:
    """Every indicator's figure: its value, target and exact achievement, or why it cannot be
    computed.  Amounts are the exact decimal sums of ``period_totals``."""
    if total is None:
        return [(name, None, None, None, scorenotes.no_records()) for name in INDICATORS]
    first, last = total["_previous_first"], total["_previous_last"]
    net, before = total["net_sales"], total["previous_net_sales"]
    surveys, due = total["surveys"], total["trainings_due"]

    def against(
        name: str,
        value: Decimal | int,
        target: Decimal | int,
        missing: list[str],
        zero: list[str],
    ) -> Figure:
        """value / target, when every month of the period has a target above 0."""
        if missing:
            return name, value, None, None, scorenotes.no_target(name, missing)
        if zero:
            every = len(zero) == total["_months"]
            why = scorenotes.zero_target(name, zero, every)
            return name, value, target, None, why
        return name, value, target, Fraction(value) / Fraction(target), None

    def reaching(value: Fraction | None, target: float | None) -> Fraction | None:
        """value / target, exactly; the target read as the decimal it is written as."""
        return None if value is None or not target else value / exact(target)

    # rounded down to 2 decimals, as the month's fact (facts.assessment._hundredths_down)
    satisfaction = (
        Fraction(math.floor(round(total["satisfaction_total"] / surveys * 100, 6)), 100)
        if surveys
        else None
    )
    # (net - before) / before of exact amounts: exactly 0 when net sales did not change
    growth = Fraction(net - before) / Fraction(before) if before > 0 else None
    training = Fraction(total["trainings_on_time"], due) if due else None
    satisfaction_target = values.targets.get("satisfaction")
    growth_target = values.targets.get("growth")
    return [
        against(
            "sales",
            net,
            total["target_sales"],
            total["_no_sales_target"],
            total["_zero_sales_target"],
        ),
        against(
            "customers",
            total["new_customers"],
            total["target_new_customers"],
            total["_no_customer_target"],
            total["_zero_customer_target"],
        ),
        (
            "satisfaction",
            None if satisfaction is None else float(satisfaction),
            satisfaction_target,
            reaching(satisfaction, satisfaction_target),
            None if surveys else scorenotes.no_survey(),
        ),
        (
            "growth",
            None if growth is None else float_at_most(growth),
            growth_target,
            reaching(growth, growth_target),
            None if before > 0 else scorenotes.no_previous_sales(first, last),
        ),
        (
            "training",
            None if training is None else float_at_most(training),
            1.0,
            training,
            None if due else scorenotes.no_training_due(),
        ),
    ]
