"""Record types: what happened, as the HR systems export it.

One pydantic model per record type.  The models are the single source of truth for field
names and types: the columnar schema used for files (``fields_of``), the JSON Schema the CLI
exports and the hypothesis strategies in ``sales_policy.testing`` are all derived from them.

Timestamps may be naive: a naive timestamp is read in the employee's timezone (the employee
record's ``timezone``, else the policy's) when the records are turned into tables.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
import zoneinfo
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints, field_validator, model_validator

Identifier = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=10_000)]

Direction = Literal["in", "out"]
PunchSource = Literal["office", "mobile", "field"]
RequestStatus = Literal["approved", "pending", "rejected", "cancelled"]


@cache
def known_timezones() -> frozenset[str]:
    """The IANA timezone names this machine's tz database knows."""
    return frozenset(zoneinfo.available_timezones())


class Record(BaseModel):
    """Base of every record model: strict field names, immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
    record_type: ClassVar[str]
    #: file stems that name this type (``punches.csv``), besides ``record_type`` itself
    file_names: ClassVar[tuple[str, ...]] = ()


def _check_interval(start: dt.datetime | dt.date, end: dt.datetime | dt.date | None) -> None:
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


class Employee(Record):
    """A salesperson.  Without ``hired_on``/``left_on`` they count as employed throughout."""

    record_type: ClassVar[str] = "employee"
    file_names: ClassVar[tuple[str, ...]] = ("employees",)
    employee_id: Identifier
    name: Text
    hired_on: dt.date | None = None
    left_on: dt.date | None = None
    timezone: Identifier | None = None
    supervisor_id: Identifier | None = None
    team: Text | None = None

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str | None) -> str | None:
        if value is not None and value not in known_timezones():
            raise ValueError(
                f"unknown timezone {value!r} (expected an IANA name like Asia/Shanghai)"
            )
        return value

    @model_validator(mode="after")
    def _dates_in_order(self) -> Employee:
        if self.hired_on and self.left_on and self.left_on < self.hired_on:
            raise ValueError(f"left_on {self.left_on} is before hired_on {self.hired_on}")
        return self


class Punch(Record):
    """A clock punch.  ``direction`` absent means the clock does not say in or out."""

    record_type: ClassVar[str] = "punch"
    file_names: ClassVar[tuple[str, ...]] = ("punches",)
    employee_id: Identifier
    at: dt.datetime
    direction: Direction | None = None
    source: PunchSource | None = None
    record_id: Identifier | None = None


class _Request(Record):
    request_id: Identifier
    employee_id: Identifier
    start: dt.datetime
    end: dt.datetime
    submitted_at: dt.datetime
    status: RequestStatus
    decided_at: dt.datetime | None = None

    @model_validator(mode="after")
    def _end_after_start(self) -> _Request:
        _check_interval(self.start, self.end)
        return self


class LeaveRequest(_Request):
    """A request for leave; only ``approved`` ones excuse absence (handbook 8.1)."""

    record_type: ClassVar[str] = "leave_request"
    file_names: ClassVar[tuple[str, ...]] = ("leave_requests", "leaves")
    leave_type: Identifier


class OvertimeRequest(_Request):
    """A request to work overtime; handbook 1.2 wants it approved in advance."""

    record_type: ClassVar[str] = "overtime_request"
    file_names: ClassVar[tuple[str, ...]] = ("overtime_requests", "overtime")


class CustomerVisit(Record):
    """A customer visit: presence evidence away from the office."""

    record_type: ClassVar[str] = "customer_visit"
    file_names: ClassVar[tuple[str, ...]] = ("customer_visits", "visits")
    employee_id: Identifier
    customer_id: Identifier
    start: dt.datetime
    end: dt.datetime
    record_id: Identifier | None = None

    @model_validator(mode="after")
    def _end_after_start(self) -> CustomerVisit:
        _check_interval(self.start, self.end)
        return self


RECORD_MODELS: dict[str, type[Record]] = {
    model.record_type: model
    for model in (Employee, Punch, LeaveRequest, OvertimeRequest, CustomerVisit)
}

FieldKind = Literal["str", "enum", "datetime", "date", "bool", "int", "float", "timezone"]


@dataclass(frozen=True)
class FieldSpec:
    """How one field of a record type is read from a column of text."""

    name: str
    kind: FieldKind
    required: bool
    choices: tuple[str, ...] = ()


def _kind_of(annotation: Any) -> tuple[FieldKind, tuple[str, ...]]:
    if typing.get_origin(annotation) is Literal:
        return "enum", tuple(str(a) for a in typing.get_args(annotation))
    if typing.get_origin(annotation) is Annotated:
        return _kind_of(typing.get_args(annotation)[0])
    kinds: dict[Any, FieldKind] = {
        str: "str",
        dt.datetime: "datetime",
        dt.date: "date",
        bool: "bool",
        int: "int",
        float: "float",
    }
    return kinds[annotation], ()


@cache
def fields_of(record_type: str) -> tuple[FieldSpec, ...]:
    """The columnar schema of a record type, derived from its model."""
    model = RECORD_MODELS[record_type]
    specs = []
    for name, info in model.model_fields.items():
        annotation = info.annotation
        required = info.is_required()
        if typing.get_origin(annotation) in (typing.Union, types.UnionType):
            (annotation,) = [a for a in typing.get_args(annotation) if a is not type(None)]
        kind, choices = _kind_of(annotation)
        if name == "timezone":
            kind = "timezone"
        specs.append(FieldSpec(name, kind, required, choices))
    return tuple(specs)


def record_type_for_name(stem: str) -> str | None:
    """The record type a file stem names (``punches`` → ``punch``), or None."""
    stem = stem.lower().replace("-", "_")
    for record_type, model in RECORD_MODELS.items():
        if stem == record_type or stem in model.file_names:
            return record_type
    return None


def records_json_schema() -> dict[str, Any]:
    """JSON Schema of every record type (one definition each, keyed by ``type``)."""
    defs = {}
    for record_type, model in RECORD_MODELS.items():
        schema = model.model_json_schema()
        schema["properties"] = {"type": {"const": record_type}, **schema["properties"]}
        defs[record_type] = schema
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "sales_policy records",
        "description": "One object per input record; in JSONL each line carries its 'type'.",
        "oneOf": [{"$ref": f"#/$defs/{name}"} for name in defs],
        "$defs": defs,
    }
