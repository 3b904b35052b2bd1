"""What every record model is made of: the base model ``Record`` (strict field names,
immutable) and the kinds of value fields of many record types hold: identifiers, text, money
with its currency, measures; and the check of a record's interval, an end after its start.
The record types themselves are in ``sales_policy.records`` and
``sales_policy.conductrecords``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Identifier = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=10_000)]
#: money: a decimal amount (at most 4 decimal places), with a currency (CNY unless given)
Money = Annotated[Decimal, Field(ge=0, max_digits=24, decimal_places=4)]
#: a measure: finite (``nan`` and ``inf`` measure nothing, and compare as no limit would)
Number = Annotated[float, Field(allow_inf_nan=False)]
Currency = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Z]{3}$")]


class Record(BaseModel):
    """Base of every record model: strict field names, immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
    record_type: ClassVar[str]
    #: file stems that name this type (``punches.csv``), besides ``record_type`` itself
    file_names: ClassVar[tuple[str, ...]] = ()


def check_interval(start: dt.datetime | dt.date, end: dt.datetime | dt.date | None) -> None:
    if end is None:
        return
    naive_and_aware = (
        isinstance(start, dt.datetime)
        and isinstance(end, dt.datetime)
        and (start.tzinfo is None) != (end.tzinfo is None)
    )
    if naive_and_aware:
        return  # compared once both are resolved to instants, in the tables
    if end <= start if isinstance(start, dt.datetime) else end < start:
        raise ValueError(f"end {end.isoformat()} is not after start {start.isoformat()}")
