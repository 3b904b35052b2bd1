"""Posted records, before they are validated: what the live engine reads of one cheaply
(``record_kind``: its type and employee, to keep records of an employee in order and to
route them), and the local date a record falls on (``first_date_field``, ``local_dates``),
which decides whether its day is closed already."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl
from pydantic import BaseModel

from ..recordfields import FieldSpec, fields_of, record_type_for_name
from ..records import RECORD_MODELS
from ..zones import in_zones

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


def local_dates(
    frame: pl.DataFrame, column: str, kind: str, zones: Mapping[str, str], default: str
) -> pl.Series:
    """The local date of ``column`` for each row, in its employee's timezone."""
    if kind == "date":
        return frame.get_column(column)
    ids = list(zones)
    zone_of = pl.col("employee_id").replace_strict(
        ids, [zones[i] for i in ids], default=default, return_dtype=pl.String
    )
    names = sorted({*zones.values(), default})
    return (
        frame.select(zone_of.alias("_tz"), pl.col(column))
        .select(
            in_zones(
                "_tz",
                names,
                lambda zone: pl.col(column).dt.convert_time_zone(zone).dt.date(),
                pl.Date(),
            )
        )
        .to_series()
    )
