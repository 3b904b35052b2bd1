"""Posted records, before they are validated: what the live engine reads of one cheaply
(``record_kind``: its type and employee, to keep records of an employee in order and to
route them), and the local date a record falls on (``first_date_field``, ``local_dates``;
a punch, a visit or an overtime request on its attendance day, ``ATTENDANCE_DAY``), which
decides whether its day is closed already."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl
from pydantic import BaseModel

from ..recordfields import FieldSpec, fields_of, record_type_for_name
from ..records import RECORD_MODELS
from ..zones import dates_in_zones

#: the blanks the validator strips around a value (polars' ``strip_chars``, Unicode
#: White_Space): Python's ``str.strip`` strips \x1c to \x1f too, which stay in an id
_BLANKS = "".join(c for c in map(chr, range(0x3001)) if c.isspace() and c not in "\x1c\x1d\x1e\x1f")


def record_kind(record: Any) -> tuple[str | None, str | None]:
    """(record type, employee id) of a posted record, as far as they can be read cheaply."""
    if isinstance(record, BaseModel):
        kind, employee = getattr(record, "record_type", None), getattr(record, "employee_id", None)
    elif isinstance(record, Mapping):
        given = record.get("type")
        kind = None
        if isinstance(given, str):
            kind = given if given in RECORD_MODELS else record_type_for_name(given)
        employee = record.get("employee_id")
    else:
        return None, None
    if isinstance(employee, int) and not isinstance(employee, bool):
        employee = str(employee)  # an id given as a whole number is the text of its digits
    return kind, employee.strip(_BLANKS) if isinstance(employee, str) else None


def first_date_field(record_type: str) -> FieldSpec | None:
    """The field that dates a record: its first required date or date-time."""
    return next(
        (s for s in fields_of(record_type) if s.required and s.kind in ("date", "datetime")),
        None,
    )


#: the records that are evidence of presence, and the field that dates each on its
#: attendance day (``Schedule.day_start``: before it, the day before)
PRESENCE: dict[str, str] = {"punch": "at", "customer_visit": "start"}
#: the records dated on the attendance day of their first date-time when deciding whether
#: their day has closed: those of ``PRESENCE``, and overtime requests, which the batch engine
#: matches to the overtime of a day by their instants, and a day's overtime runs to the next
#: day start (a request from 00:00 to 00:30 is the evening before's).  A leave request keeps
#: its local date: leave is matched to a day's required hours, which begin at the schedule's
#: start, never before the day start, and its ``leave`` row is dated by its start's local date.
ATTENDANCE_DAY: dict[str, str] = {**PRESENCE, "overtime_request": "start"}


def local_dates(
    frame: pl.DataFrame,
    column: str,
    kind: str,
    zones: Mapping[str, str],
    default: str,
    day_start_us: int = 0,
) -> pl.Series:
    """The local date of ``column`` for each row, in its employee's timezone; with
    ``day_start_us``, the attendance day (the date before, for a wall time before that time
    of day: ``zones.wall_date``)."""
    if kind == "date":
        return frame.get_column(column)

    ids = list(zones)
    zone_of = pl.col("employee_id").replace_strict(
        ids, [zones[i] for i in ids], default=default, return_dtype=pl.String
    )
    names = sorted({*zones.values(), default})
    return (
        frame.select(zone_of.alias("_tz"), pl.col(column))
        .select(dates_in_zones("_tz", names, pl.col(column), day_start_us))
        .to_series()
    )
