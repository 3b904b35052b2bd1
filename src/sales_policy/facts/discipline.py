"""Discipline facts: ``outside_work`` and ``conduct_incident`` (event grain).

Handbook 1.2 forbids a private side job; 8.4 asks for a professional image.  Each table has
one row per record judged in the evaluation period, dated by a local date: outside work by the
first date of the period on which it is active while the employee is employed (its dates are
already calendar dates; a job before ``hired_on`` or after ``left_on`` is no side job), an
incident by the local date of ``at`` in the employee's timezone.  The repeated-lateness and
repeated-absence rules need no code here: they read ``finding_month``, which the engine builds
from the attendance findings (a second stage).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from ..validation import REF as _REF
from .schema import FactTable, fact_table

if TYPE_CHECKING:
    from . import FactContext


OUTSIDE_WORK = fact_table(
    "outside_work",
    "event",
    "One row per outside-work record active on at least one date of the evaluation period "
    "on which the employee is employed (from start to end, or on if no end; employed from "
    "hired_on to left_on); date is the first such date.",
    ("record_id", "str", "the outside-work record"),
    ("organisation", "str", "where the work is done"),
    ("role", "str", "what the employee does there"),
    ("status", "str", "approved, pending, rejected or undeclared"),
    ("start", "date", "first date of the work"),
    ("end", "date", "last date of the work (null: still going on)"),
    ("declared_at", "datetime", "when it was declared to the company (null if never)"),
    ("work_ref", "ref", "the input row of the record"),
)

CONDUCT_INCIDENT = fact_table(
    "conduct_incident",
    "event",
    "One row per conduct incident whose local date (of at) falls in the evaluation period.",
    ("record_id", "str", "the incident"),
    ("at", "datetime", "when it happened"),
    ("category", "str", "dress, speech, manner or other"),
    ("description", "str", "what was reported"),
    ("reported_by", "str", "who reported it"),
    ("substantiated", "bool", "the report was looked into and found true"),
    ("incident_ref", "ref", "the input row of the incident"),
)

TABLES: tuple[FactTable, ...] = (OUTSIDE_WORK, CONDUCT_INCIDENT)


def derive(context: FactContext) -> dict[str, pl.DataFrame]:
    """The discipline fact tables."""
    return {
        "outside_work": _outside_work(context),
        "conduct_incident": _conduct_incident(context),
    }


def _outside_work(context: FactContext) -> pl.DataFrame:
    """Outside work that overlaps the period while the employee is employed (1.2 is of a
    salesperson's work: a job before ``hired_on`` or after ``left_on`` is no side job), dated
    its first active date in the period and the employment."""
    first = pl.max_horizontal(pl.col("start"), pl.lit(context.start, pl.Date), pl.col("hired_on"))
    last = pl.min_horizontal(pl.col("end"), pl.lit(context.end, pl.Date), pl.col("left_on"))
    employment = context.employees.select("employee_id", "hired_on", "left_on")
    return (
        context.table("outside_work")
        .join(employment, on="employee_id", how="left")
        .filter(first <= last)
        .with_columns(first.alias("_first"))
        .select(
            "employee_id",
            "timezone",
            pl.col("_first").alias("date"),
            "record_id",
            "organisation",
            "role",
            "status",
            "start",
            "end",
            "declared_at",
            pl.col(_REF).alias("work_ref"),
        )
    )


def _conduct_incident(context: FactContext) -> pl.DataFrame:
    """Incidents on a local date of the period."""
    return (
        context.table("conduct_incident")
        .with_columns(context.local_date("at").alias("date"))
        .filter(pl.col("date").is_between(context.start, context.end))
        .select(
            "employee_id",
            "timezone",
            "date",
            "record_id",
            "at",
            "category",
            "description",
            "reported_by",
            "substantiated",
            pl.col(_REF).alias("incident_ref"),
        )
    )
