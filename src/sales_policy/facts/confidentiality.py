"""Confidentiality facts: one ``data_access`` row per data-access record (handbook 4.1, 8.2).

The record says what was accessed (``data_class``), how (``action``), how much, where it went
(``destination``, ``destination_kind``) and whether it was approved; the rules of
``rules/confidentiality.yaml`` read those values as they are.  Derived here: the local date,
``sent`` (the action moves the data somewhere) and ``customer_assigned`` (whether the employee
looked after that customer on that date), which needs the customer_assignment records.
See docs/rulesets/confidentiality.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from .schema import FactTable, fact_table

if TYPE_CHECKING:
    from . import FactContext

#: actions that move data to a destination (a view or a print does not)
SENDING_ACTIONS = ("share", "email", "upload", "export")

DATA_ACCESS = fact_table(
    "data_access",
    "event",
    "One row per data_access record whose local date (of `at`) is in the evaluation period.",
    ("record_id", "str", "the access record"),
    ("at", "datetime", "when the data was accessed"),
    ("customer_id", "str", "the customer whose data it is (null when the record names none)"),
    ("data_class", "str", "customer, trade_secret or internal"),
    ("action", "str", "view, export, print, share, email or upload"),
    ("sent", "bool", "the action sends the data somewhere: share, email, upload or export"),
    ("record_count", "int", "how many records were accessed"),
    ("destination", "str", "where the data went: an e-mail address, URL or host (null if none)"),
    (
        "destination_kind",
        "str",
        "internal, customer, personal, external or competitor; null when not recorded",
    ),
    ("approved", "bool", "the access was approved"),
    (
        "customer_assigned",
        "bool",
        "a customer_assignment of the customer to the employee covers the access's local date; "
        "null without customer_id or when the customer has no customer_assignment at all",
    ),
    ("access_ref", "ref", "the input row of the access"),
)

TABLES: tuple[FactTable, ...] = (DATA_ACCESS,)


def derive(context: FactContext) -> dict[str, pl.DataFrame]:
    """The confidentiality fact tables."""
    accesses = (
        context.table("data_access")
        .with_columns(context.local_date("at").alias("date"))
        .filter(pl.col("date").is_between(context.start, context.end))
    )
    assignments = context.table("customer_assignment")
    # 4.1: only customers someone is assigned to can be viewed "outside one's own accounts"
    known = assignments.select("customer_id").unique().with_columns(pl.lit(True).alias("_known"))
    covered = (
        accesses.select("_ref", "customer_id", "employee_id", "date")
        .join(
            assignments.select("customer_id", "employee_id", "start", "end"),
            on=["customer_id", "employee_id"],
        )
        .filter(
            (pl.col("start") <= pl.col("date"))
            & (pl.col("end").is_null() | (pl.col("date") <= pl.col("end")))
        )
        .select("_ref")
        .unique()
        .with_columns(pl.lit(True).alias("_covered"))
    )
    facts = (
        accesses.join(known, on="customer_id", how="left")
        .join(covered, on="_ref", how="left")
        .with_columns(
            pl.col("action").is_in(list(SENDING_ACTIONS)).alias("sent"),
            pl.when(pl.col("_known"))
            .then(pl.col("_covered").fill_null(False))
            .alias("customer_assigned"),
            pl.col("_ref").alias("access_ref"),
        )
    )
    return {DATA_ACCESS.name: DATA_ACCESS.conform(facts)}
