"""Fact derivation: record tables in, one table per fact grain out (see ``schema``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import polars as pl

from ..calendar import Schedule, WorkingCalendar
from ..tables import RecordTables
from . import attendance
from .schema import FACT_TABLES, FactColumn, FactTable

__all__ = ["FACT_TABLES", "FactColumn", "FactTable", "derive_facts"]


def derive_facts(
    tables: RecordTables,
    *,
    calendar: WorkingCalendar,
    schedule: Schedule,
    policy_timezone: str,
    start: dt.date | None,
    end: dt.date | None,
    params: Mapping[str, Any],
) -> tuple[dict[str, pl.DataFrame], tuple[dt.date, dt.date] | None]:
    """Every fact table, and the evaluation period used (None when nothing is to be judged)."""
    inputs = attendance.Inputs(
        employees=tables.table("employee"),
        punches=tables.table("punch"),
        leaves=tables.table("leave_request"),
        overtime=tables.table("overtime_request"),
        visits=tables.table("customer_visit"),
    )
    return attendance.derive(
        inputs,
        calendar=calendar,
        schedule=schedule,
        policy_timezone=policy_timezone,
        start=start,
        end=end,
        params=params,
    )
