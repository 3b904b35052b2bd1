"""Confidentiality facts: one ``data_access`` row per data-access record (handbook 4.1, 8.2).

The record says what was accessed (``data_class``), how (``action``), how much, where it went
(``destination``, ``destination_kind``) and whether it was approved; the rules of
``rules/confidentiality.yaml`` read those values as they are.  Derived here: the local date,
``sent`` (the action moves the data somewhere) and ``customer_assigned`` (whether the employee
looked after that customer on that date; unknown for a customer none of whose assignments had
started by then), which needs the customer_assignment records.
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
        "a customer_assignment of the customer to the employee is in force on the access's local "
        "date (from its start to its end, both included); null without customer_id or when no "
        "customer_assignment of the customer, to anyone, starts on or before that date",
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
    assignments = context.table("customer_assignment").select(
        "customer_id", pl.col("employee_id").alias("_assignee"), "start", "end"
    )
    # 4.1: a customer becomes an account one can view "outside one's own" on the first day any
    # assignment of theirs starts; before it, a prospect, not judged.  An assignment is in
    # force on the local dates (of the viewer's timezone) from its start to its end, both
    # included.  Per access whose customer has an assignment started by its date: whether one
    # of the viewer's is in force on it (no row, so null, for a prospect)
    by_access = (
        accesses.select("_ref", "customer_id", "employee_id", "date")
        .join(assignments, on="customer_id")
        .filter(pl.col("start") <= pl.col("date"))
        .group_by("_ref")
        .agg(
            (
                (pl.col("_assignee") == pl.col("employee_id"))
                & (pl.col("end").is_null() | (pl.col("date") <= pl.col("end")))
            )
            .any()
            .alias("_covered")
        )
    )
    facts = accesses.join(by_access, on="_ref", how="left").with_columns(
        pl.col("action").is_in(list(SENDING_ACTIONS)).alias("sent"),
        pl.col("_covered").alias("customer_assigned"),
        pl.col("_ref").alias("access_ref"),
    )
    return {DATA_ACCESS.name: DATA_ACCESS.conform(facts)}
