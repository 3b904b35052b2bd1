"""Strategies for single records of every type, valid by construction.

``records("punch", employees=["E1", "E2"], start=..., end=...)`` draws dicts in the JSONL form
(with ``type``); ``models("punch", ...)`` draws the pydantic model instead, and is what
``st.from_type(Punch)`` uses.  Values lean on edges: boundary times of the schedule, month ends,
decisions exactly at a request's start, empty optional fields, text that looks like markup or
a spreadsheet formula, timestamps in other offsets or without one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from ..errors import InvalidArgument
from ..recordbase import Record
from ..recordfields import FieldSpec, fields_of, record_types
from ..records import RECORD_MODELS
from ..timetext import month_text
from .logs import (
    _check_date,
    _check_fraction,
    _check_zones,
    _local,
    _wall_times,
    record_type_named,
)
from .logs import _write as write_instant
from .schedules import Around, wall_range

TEXTS = ("王小明", "Acme Ltd", "<script>alert(1)</script>", '=HYPERLINK("x")', "a, b; c", "ü")
DESTINATIONS = (
    "colleague@company.example",
    "me@gmail.com",
    "buyer@customer.example",
    "sales@rival.example",
    "files.rival.example",
    "drive.google.com",
    "intranet",
)
#: per field name: a strategy for its value as text, overriding the generic one for its kind
_FIELD_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "record_count": st.integers(0, 2000),
    "discount_pct": st.sampled_from([0, 5, 10, 15, 20, 25.5, 40]),
    "max_discount_pct": st.sampled_from([5, 10, 15, 20, 30]),
    "delivery_days": st.integers(1, 60),
    "standard_delivery_days": st.sampled_from([7, 14, 30]),
    "warranty_months": st.integers(1, 60),
    "standard_warranty_months": st.sampled_from([12, 24, 36]),
    "currency": st.sampled_from(["CNY"] * 8 + ["USD", "EUR"]),
    "destination": st.sampled_from(DESTINATIONS),
    "leave_type": st.sampled_from(["annual", "sick", "personal"]),
    "score": st.sampled_from([0, 1, 2.5, 3, 4, 5]),
    "scale_max": st.sampled_from([5, 10]),
    "new_customers": st.integers(0, 20),
}


def _ids(prefix: str, given: int | Sequence[str], name: str) -> list[str]:
    if isinstance(given, int) and not isinstance(given, bool):
        if not 1 <= given <= 1000:
            raise InvalidArgument(f"{name} must be from 1 to 1000 (or a list of ids), got {given}")
        return [f"{prefix}{i}" for i in range(1, given + 1)]
    if isinstance(given, str) or not isinstance(given, Sequence) or not given:
        raise InvalidArgument(f"{name} must be a count or a non-empty list of ids, got {given!r}")
    return [str(g) for g in given]


def records(
    record_type: str,
    *,
    employees: int | Sequence[str] = 3,
    customers: int | Sequence[str] = 3,
    start: dt.date = dt.date(2026, 11, 1),
    end: dt.date = dt.date(2026, 11, 30),
    timezone: str = "Asia/Shanghai",
    statuses: Sequence[str] | None = None,
    edge_probability: float = 0.5,
    naive_probability: float = 0.1,
    optional_probability: float = 0.3,
) -> st.SearchStrategy[dict[str, Any]]:
    """Records of one type as dicts in the JSONL form, valid by construction.

    ``record_type`` is a record type's name (``punch``) or a file name of it (``punches``),
    as the command's ``--type`` takes it; the records carry the type's name.

    Local times are in ``timezone``, which must be the zone the records will be read in (the
    employee's, else the policy's): a naive timestamp is written in it."""
    return records_around(
        record_type,
        Around(),
        employees=employees,
        customers=customers,
        start=start,
        end=end,
        timezone=timezone,
        statuses=statuses,
        edge_probability=edge_probability,
        naive_probability=naive_probability,
        optional_probability=optional_probability,
    )


def records_around(
    record_type: str,
    around: Around,
    *,
    employees: int | Sequence[str] = 3,
    customers: int | Sequence[str] = 3,
    start: dt.date = dt.date(2026, 11, 1),
    end: dt.date = dt.date(2026, 11, 30),
    timezone: str = "Asia/Shanghai",
    statuses: Sequence[str] | None = None,
    edge_probability: float = 0.5,
    naive_probability: float = 0.1,
    optional_probability: float = 0.3,
) -> st.SearchStrategy[dict[str, Any]]:
    """``records``, drawing times at the edges of ``around`` (a policy's schedule, a
    company's parameters in minutes) and amounts at its amounts, each with probability
    ``edge_probability``: what ``logs(policy=..., record_types=...)`` draws."""
    record_type = record_type_named(record_type, "record_type")
    staff = _ids("E", employees, "employees")
    clients = _ids("C", customers, "customers")
    _check_date("start", start)
    _check_date("end", end)
    if end < start:
        raise InvalidArgument(f"end {end} must not be before start {start}")
    zones = _check_zones("timezone", [timezone]) if isinstance(timezone, str) else ()
    if not zones:
        raise InvalidArgument(f"timezone must be an IANA name, got {timezone!r}")
    for name, value in (
        ("edge_probability", edge_probability),
        ("naive_probability", naive_probability),
        ("optional_probability", optional_probability),
    ):
        _check_fraction(name, value)
    specs = fields_of(record_type)
    if statuses is not None:
        choices = next((s.choices for s in specs if s.name == "status"), ())
        if not choices:
            with_status = [
                t for t in record_types() if any(f.name == "status" for f in fields_of(t))
            ]
            raise InvalidArgument(
                f"statuses: {record_type} records have no status (those of "
                f"{', '.join(with_status)} do)"
            )
        wrong = [s for s in statuses if s not in choices]
        if wrong or not statuses:
            raise InvalidArgument(
                f"statuses must be a non-empty subset of {list(choices)} for {record_type}, "
                f"got {list(statuses)!r}"
            )
    return _records(
        record_type,
        specs,
        staff,
        clients,
        start,
        end,
        zones,
        statuses,
        edge_probability,
        naive_probability,
        optional_probability,
        around,
    )


@st.composite
def _records(
    draw: st.DrawFn,
    record_type: str,
    specs: tuple[FieldSpec, ...],
    staff: list[str],
    clients: list[str],
    first: dt.date,
    last: dt.date,
    zones: tuple[str, ...],
    statuses: Sequence[str] | None,
    edge: float,
    naive: float,
    optional: float,
    around: Around,
) -> dict[str, Any]:
    zone = draw(st.sampled_from(zones))
    days = st.dates(first, last)
    wall_times = _wall_times(edge, around.edges, wall_range(around.edges), around.favoured)

    def instant(day: dt.date | None = None) -> dt.datetime:
        return _local(day or draw(days), draw(wall_times), zone)

    def text(moment: dt.datetime) -> str:
        style = (
            "naive"
            if draw(st.floats(0, 1)) < naive
            else draw(st.sampled_from(("local", "local", "utc", "other")))
        )
        return write_instant(moment, zone, style)

    record: dict[str, Any] = {"type": record_type}
    moments: dict[str, dt.datetime] = {}
    for spec in specs:
        if not spec.required and spec.name != "end" and draw(st.floats(0, 1)) < optional:
            if spec.default is None:  # a field with a default is left out instead
                record[spec.name] = None
            continue
        name, kind = spec.name, spec.kind
        if name == "employee_id":
            value: Any = draw(st.sampled_from(staff))
        elif name == "customer_id":
            value = draw(st.sampled_from(clients))
        elif name == "period":
            value = month_text(draw(days))
        elif name == "timezone":
            value = draw(st.sampled_from([zone, None]))
        elif name == "status" and statuses is not None:
            value = draw(st.sampled_from(list(statuses)))
        elif name in _FIELD_VALUES:
            value = draw(_FIELD_VALUES[name])
        elif kind == "enum":
            value = draw(st.sampled_from(spec.choices))
        elif kind == "str":
            value = (
                f"{name[:1].upper()}{draw(st.integers(1, 10**9))}"
                if name.endswith("_id")
                else draw(st.sampled_from(TEXTS))
            )
        elif kind == "bool":
            value = draw(st.booleans())
        elif kind == "int":
            value = draw(st.integers(0, 1000))
        elif kind == "float":
            value = draw(st.integers(0, 1000)) / 10
        elif kind == "decimal" and around.amounts and draw(st.floats(0, 1)) < edge:
            half: bool = draw(st.booleans()) if around.favoured_amounts else False
            value = draw(st.sampled_from(around.favoured_amounts if half else around.amounts))
        elif kind == "decimal":
            value = str(Decimal(draw(st.integers(0, 10**8))) / 100)
        elif kind == "date":
            value = draw(days).isoformat()
        else:
            moments[name] = instant()
            value = moments[name]
        record[name] = value
    _make_consistent(draw, record, moments, specs, days)
    for name, moment in moments.items():
        if record.get(name) is not None:
            record[name] = text(moment)
    return record


def _make_consistent(
    draw: st.DrawFn,
    record: dict[str, Any],
    moments: dict[str, dt.datetime],
    specs: tuple[FieldSpec, ...],
    days: st.SearchStrategy[dt.date],
) -> None:
    """Relations between fields: ends after starts, decisions near starts, reversals after
    bookings, answers after questions."""
    kinds = {s.name: s.kind for s in specs}
    if kinds.get("start") == "datetime":
        moments["end"] = moments["start"] + dt.timedelta(
            minutes=draw(st.sampled_from([1, 30, 60, 180, 240, 540, 1440, 2880]))
        )
        record["end"] = moments["end"]
    elif kinds.get("start") == "date" and record.get("end") is not None:
        begin = dt.date.fromisoformat(record["start"])
        record["end"] = (begin + dt.timedelta(days=draw(st.integers(0, 40)))).isoformat()
    if "decided_at" in moments and record.get("decided_at") is not None:
        offset = draw(st.sampled_from([-1440, -60, 0, 0, 1, 30]))
        moments["decided_at"] = moments["start"] + dt.timedelta(minutes=offset)
    if record.get("hired_on") and record.get("left_on") and record["left_on"] < record["hired_on"]:
        record["hired_on"], record["left_on"] = record["left_on"], record["hired_on"]
    if "submitted_at" in moments and "start" in moments:
        moments["submitted_at"] = moments["start"] - dt.timedelta(days=draw(st.integers(0, 7)))
    if "reversed_at" in moments or "reversed_at" in record:
        if record.get("status") == "booked":
            record["reversed_at"] = None
            moments.pop("reversed_at", None)
        else:
            moments["reversed_at"] = moments["booked_at"] + dt.timedelta(
                days=draw(st.integers(0, 45)), minutes=draw(st.integers(1, 600))
            )
            record["reversed_at"] = moments["reversed_at"]
    if "responded_at" in moments and record.get("responded_at") is not None:
        moments["responded_at"] = moments["received_at"] + dt.timedelta(
            minutes=draw(st.sampled_from([1, 60, 1439, 1440, 1441, 4000]))
        )


def models(record_type: str, **kwargs: Any) -> st.SearchStrategy[Record]:
    """Record model instances of one type (``records`` validated by its pydantic model);
    ``record_type`` is taken as ``records`` takes it."""
    record_type = record_type_named(record_type, "record_type")
    model = RECORD_MODELS[record_type]
    return records(record_type, **kwargs).map(
        lambda row: model.model_validate({k: v for k, v in row.items() if k != "type"})
    )
