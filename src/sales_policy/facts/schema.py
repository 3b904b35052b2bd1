"""Fact tables: what rules are written against.

Each fact table has a grain (one row per employee and day, per employee and month, or per
event), and a documented schema of typed columns.  Rule conditions are checked against these
schemas when a rule file is loaded.  Column types are those of the condition language
(``sales_policy.expr``) plus ``ref`` and ``ref_list``: references to the input rows behind a
fact, which rules name as their ``sources`` and which conditions cannot read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal, cast

import polars as pl

from ..expr import ValueType

Grain = Literal["day", "month", "event"]
ColumnType = ValueType | Literal["ref", "ref_list"]
REFERENCE_TYPES = ("ref", "ref_list")
#: the polars type that holds each column type
COLUMN_DTYPES: dict[ColumnType, pl.DataType] = {
    "str": pl.String(),
    "bool": pl.Boolean(),
    "int": pl.Int64(),
    "float": pl.Float64(),
    "date": pl.Date(),
    "datetime": pl.Datetime("us", "UTC"),
    "str_list": pl.List(pl.String()),
    "ref": pl.Int64(),
    "ref_list": pl.List(pl.Int64()),
}


@dataclass(frozen=True)
class FactColumn:
    name: str
    type: ColumnType
    doc: str
    #: of a ``float`` column, the decimal places it is kept to (satisfaction 2, an amount 4):
    #: a condition compares it with no number of more (``sales_policy.exprplaces``)
    places: int | None = None


@dataclass(frozen=True)
class FactTable:
    """The schema of one fact table.  Every table has ``employee_id`` and ``timezone``;
    day and event grains have ``date`` (local), month grain has ``period`` (YYYY-MM)."""

    name: str
    grain: Grain
    doc: str
    columns: tuple[FactColumn, ...]
    #: 1: derived from records; 2: derived from the findings of stage-1 rules
    stage: int = 1
    #: parameters its derivation reads, each with the columns it shapes
    params: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: its rows are stated as of the period's end (date: the period's last date), so they are
    #: final only when the whole period is (the live engine waits for it)
    as_of_end: bool = False

    def types(self) -> dict[str, ColumnType]:
        return {c.name: c.type for c in self.columns}

    def condition_types(self) -> dict[str, ValueType]:
        """The columns a condition may read (references are not values)."""
        return {
            c.name: cast(ValueType, c.type) for c in self.columns if c.type not in REFERENCE_TYPES
        }

    def condition_places(self) -> dict[str, int]:
        """The decimal places of the ``float`` columns kept to some."""
        return {c.name: c.places for c in self.columns if c.places is not None}

    def dtypes(self) -> dict[str, pl.DataType]:
        """The polars type of every column."""
        return {c.name: COLUMN_DTYPES[c.type] for c in self.columns}

    def conform(self, frame: pl.DataFrame) -> pl.DataFrame:
        """``frame`` with exactly this table's columns, in order, cast to their types."""
        return frame.select(pl.col(name).cast(dtype) for name, dtype in self.dtypes().items())

    def params_shaping(self, columns: Iterable[str]) -> set[str]:
        """The derivation parameters that shape any of ``columns``."""
        wanted = set(columns)
        return {name for name, shaped in self.params if wanted & set(shaped)}

    def references(self) -> tuple[str, ...]:
        """The columns that hold references to input rows."""
        return tuple(c.name for c in self.columns if c.type in REFERENCE_TYPES)


def fact_table(
    name: str,
    grain: Grain,
    doc: str,
    *columns: tuple[str, ColumnType, str],
    stage: int = 1,
    params: Mapping[str, tuple[str, ...]] | None = None,
    as_of_end: bool = False,
    places: Mapping[str, int] | None = None,
) -> FactTable:
    """A fact table with the standard key columns (employee_id, timezone, date or period);
    ``places``: the decimal places each ``float`` column so kept is kept to."""
    key: list[tuple[str, ColumnType, str]] = [
        ("employee_id", "str", "the employee"),
        ("timezone", "str", "the employee's IANA timezone; local times are in it"),
    ]
    key.append(
        ("period", "str", "the calendar month, YYYY-MM")
        if grain == "month"
        else ("date", "date", "the local date")
    )
    kept = dict(places or {})
    declared = tuple(FactColumn(*c, places=kept.pop(c[0], None)) for c in (*key, *columns))
    if kept or any(c.places is not None and c.type != "float" for c in declared):
        raise ValueError(f"{name}: places are for float columns: {places}")
    names = {c.name for c in declared}
    for param, shaped in (params or {}).items():
        if not shaped or set(shaped) - names:
            raise ValueError(f"{name}: parameter {param} shapes unknown columns {shaped}")
    shaping = tuple((param, tuple(shaped)) for param, shaped in (params or {}).items())
    return FactTable(name, grain, doc, declared, stage, shaping, as_of_end)


WORKDAY = fact_table(
    "workday",
    "day",
    "One row per employee and local date of the evaluation period.",
    ("day_kind", "str", "workday, rest_day, holiday or adjusted_workday (调休), per the calendar"),
    ("scheduled", "bool", "a working day, on or after hired_on and on or before left_on"),
    ("required_minutes", "int", "minutes of the working hours, less breaks and approved leave"),
    ("required_start", "datetime", "start of the required interval (null when it is empty)"),
    ("required_end", "datetime", "end of the required interval (null when it is empty)"),
    ("has_presence", "bool", "a punch or a customer visit on this local date"),
    ("arrival", "datetime", "earliest in/undirected punch or visit start (see docs/attendance.md)"),
    ("departure", "datetime", "latest out/undirected punch or visit end"),
    (
        "minutes_late",
        "int",
        "whole minutes (rounded up) from required_start to arrival; null without one or not judged",
    ),
    (
        "minutes_early",
        "int",
        "whole minutes (rounded up) from departure to required_end; null without one or not judged",
    ),
    ("missing_side", "str", "'arrival' or 'departure' when presence has only the other; else null"),
    (
        "missing_side_zh",
        "str",
        "the same in Chinese for messages: 上班 (arrival) or 下班 (departure)",
    ),
    (
        "unapproved_leave_ids",
        "str_list",
        "leave requests not approved that overlap the required interval",
    ),
    ("unapproved_leave_count", "int", "how many such requests"),
    ("overtime_start", "datetime", "start of the overtime interval (null without overtime)"),
    (
        "overtime_minutes",
        "int",
        "whole minutes (rounded up) worked after the scheduled end, or "
        "on a day that is not scheduled; 0 if none",
    ),
    ("overtime_approved", "bool", "an overtime request approved in advance overlaps the overtime"),
    ("overtime_request_ids", "str_list", "the approved-in-advance requests that overlap it"),
    ("arrival_ref", "ref", "the input row of the arrival"),
    ("departure_ref", "ref", "the input row of the departure"),
    ("punch_refs", "ref_list", "the input rows of the day's punches (null without any)"),
    ("visit_refs", "ref_list", "the input rows of the day's customer visits (null without any)"),
    ("leave_refs", "ref_list", "the input rows of the unapproved leave requests"),
    (
        "overtime_start_ref",
        "ref",
        "on a day that is not scheduled, the arrival that starts the overtime",
    ),
    params={"overtime_min_minutes": ("overtime_approved", "overtime_request_ids")},
)

LEAVE = fact_table(
    "leave",
    "event",
    "One row per leave request whose start falls in the evaluation period; date is the local "
    "date of its start.",
    ("request_id", "str", "the request"),
    ("leave_type", "str", "the kind of leave, as the HR system names it"),
    ("status", "str", "approved, pending, rejected or cancelled"),
    ("start", "datetime", "start of the leave"),
    ("end", "datetime", "end of the leave"),
    ("decided_at", "datetime", "when it was decided (null if never)"),
    ("approved_in_advance", "bool", "status approved and decided_at <= start"),
    ("request_ref", "ref", "the input row of the request"),
)

POST_GAP = fact_table(
    "post_gap",
    "event",
    "One row per out punch followed by an in punch on the same local date (directed punches "
    "in time order); date is that date.",
    ("left_at", "datetime", "the out punch"),
    ("returned_at", "datetime", "the next in punch"),
    (
        "minutes_away",
        "int",
        "whole minutes (rounded up) of the gap inside the required interval "
        "and not covered by a customer visit",
    ),
    ("left_ref", "ref", "the out punch"),
    ("returned_ref", "ref", "the in punch"),
)

EMPLOYEE_MONTH = fact_table(
    "employee_month",
    "month",
    "One row per employee and calendar month that has days in the evaluation period.",
    (
        "overtime_minutes",
        "int",
        "sum of overtime_minutes over the month's days in the period "
        "where overtime is over overtime_min_minutes",
    ),
    ("overtime_days", "int", "how many such days"),
    ("month_closed", "bool", "the month's last day is on or before the period's last date"),
    params={"overtime_min_minutes": ("overtime_minutes", "overtime_days")},
)

FINDING_MONTH = fact_table(
    "finding_month",
    "month",
    "Built from earlier findings (a second stage): one row per employee and calendar month "
    "with findings of the rules a rule names in its 'counts'.",
    ("finding_count", "int", "how many such findings"),
    ("finding_days", "int", "on how many distinct dates"),
    ("finding_dates", "str_list", "those dates, YYYY-MM-DD"),
    ("finding_refs", "ref_list", "the input rows behind those findings"),
    ("month_closed", "bool", "the month's last day is on or before the period's last date"),
    stage=2,
)

FACT_TABLES: dict[str, FactTable] = {
    t.name: t for t in (WORKDAY, LEAVE, POST_GAP, EMPLOYEE_MONTH, FINDING_MONTH)
}


def register(*tables: FactTable) -> None:
    """Add the fact tables of a rule set's derivation (called by its facts module)."""
    for table in tables:
        if table.name in FACT_TABLES and FACT_TABLES[table.name] != table:
            raise ValueError(f"fact table {table.name!r} is registered twice")
        FACT_TABLES[table.name] = table
