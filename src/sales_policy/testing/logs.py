"""Strategies for whole consistent logs."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from hypothesis import strategies as st

from ..errors import InvalidArgument, did_you_mean
from ..zones import known_timezones
from .schedules import (
    EDGE_TIMES,
    REQUEST_STARTS,
    WALL_RANGE,
    Around,
    around,
    check_policies,
    request_starts,
    wall_range,
)

if TYPE_CHECKING:
    from ..policy import Policy

DEFAULT_ZONES = ("Asia/Shanghai", "Asia/Singapore", "Europe/London", "America/New_York")
STATUSES = ("approved", "pending", "rejected", "cancelled")


@dataclass(frozen=True)
class Log:
    """A consistent log: records as dicts (the JSONL form) and the period it spans."""

    records: list[dict[str, Any]]
    start: dt.date
    end: dt.date
    timezone: str

    def of_type(self, record_type: str) -> list[dict[str, Any]]:
        return [r for r in self.records if r["type"] == record_type]


def record_type_named(name: Any, argument: str) -> str:
    """The record type ``name`` stands for, resolved as the command's ``--type`` resolves it:
    the type's own name (``punch``) or a file name of it (``punches``, ``leaves``).
    InvalidArgument for any other, naming ``argument`` and the closest name."""
    from ..rawframes import known_type
    from ..records import RECORD_MODELS

    resolved = known_type(name) if isinstance(name, str) else None
    if resolved is None:
        names = [n for t, model in RECORD_MODELS.items() for n in (t, *model.file_names)]
        hint = did_you_mean(name, names) if isinstance(name, str) else ""
        raise InvalidArgument(
            f"{argument}: unknown record type {name!r}"
            + (hint or f" (expected one of: {', '.join(RECORD_MODELS)}; or a file name of one)")
        )
    return resolved


def _check_int(name: str, value: Any, low: int, high: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise InvalidArgument(f"{name} must be a whole number from {low} to {high}, got {value!r}")


def _check_date(name: str, value: Any) -> None:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise InvalidArgument(f"{name} must be a datetime.date, got {value!r}")


def _check_zones(name: str, zones: Any) -> tuple[str, ...]:
    if isinstance(zones, str) or not isinstance(zones, Sequence) or not zones:
        raise InvalidArgument(f"{name} must be a non-empty sequence of IANA names, got {zones!r}")
    for zone in zones:
        if zone not in known_timezones():
            raise InvalidArgument(f"{name}: unknown timezone {zone!r}")
    return tuple(zones)


def _check_fraction(name: str, value: Any) -> None:
    if not isinstance(value, int | float) or isinstance(value, bool) or not 0 <= value <= 1:
        raise InvalidArgument(f"{name} must be a number from 0 to 1, got {value!r}")


def _write(instant: dt.datetime, zone: str, style: str) -> str:
    """An aware instant as text: in the local offset, UTC, another offset, or naive local."""
    local = instant.astimezone(zoneinfo.ZoneInfo(zone))
    if style == "naive":
        return local.replace(tzinfo=None).isoformat()
    if style == "utc":
        return instant.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    if style == "other":
        return instant.astimezone(dt.timezone(dt.timedelta(hours=-5, minutes=-30))).isoformat()
    return local.isoformat()


def _local(day: dt.date, wall: dt.time, zone: str) -> dt.datetime:
    aware = dt.datetime.combine(day, wall, tzinfo=zoneinfo.ZoneInfo(zone))
    return aware.astimezone(dt.UTC).astimezone(zoneinfo.ZoneInfo(zone))


@st.composite
def _wall_times(
    draw: st.DrawFn,
    edge_probability: float,
    edges: tuple[dt.time, ...] = EDGE_TIMES,
    wall_range: tuple[int, int] = WALL_RANGE,
    favoured: tuple[dt.time, ...] = (),
) -> dt.time:
    """A wall-clock time: on one of ``edges`` with probability ``edge_probability`` (half of
    those times on one of ``favoured``, where there are any), else any second of
    ``wall_range``, at :00, :01 or :59 seconds of its minute more often than not."""
    if draw(st.floats(0, 1)) < edge_probability:
        half: bool = draw(st.booleans()) if favoured else False
        return draw(st.sampled_from(favoured if half else edges))
    seconds = draw(st.integers(*wall_range))
    return dt.time(seconds // 3600, seconds % 3600 // 60, draw(st.sampled_from((0, 0, 1, 59))))


@cache
def _notable_days(first: dt.date, last: dt.date) -> list[dt.date]:
    """China's holidays and adjusted working days, and month ends, between two dates (as far
    as the calendar data covers them)."""
    from ..calendar import WorkingCalendar

    calendar = WorkingCalendar()
    covered = range(max(first.year, 2001), min(last.year, calendar.package_years.stop - 1) + 1)
    days: set[dt.date] = set()
    for year in covered:
        kinds = calendar.day_kinds(
            max(first, dt.date(year, 1, 1)), min(last, dt.date(year, 12, 31))
        )
        days.update(
            d
            for d, k in kinds.select("date", "day_kind").iter_rows()
            if k in ("holiday", "adjusted_workday")
        )
    day = first
    while day <= last:
        following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        if following - dt.timedelta(days=1) <= last:
            days.add(following - dt.timedelta(days=1))
        day = following
    return sorted(days)


def logs(
    *,
    employees: int = 3,
    start: dt.date = dt.date(2026, 1, 1),
    end: dt.date = dt.date(2026, 12, 20),
    max_days: int = 7,
    timezones: Sequence[str] | None = None,
    edge_probability: float = 0.5,
    naive_probability: float = 0.2,
    record_types: Sequence[str] = (),
    policy: Policy | Sequence[Policy] | None = None,
) -> st.SearchStrategy[Log]:
    """Whole logs: up to ``employees`` employees over up to ``max_days`` consecutive days
    between ``start`` and ``end``, with punches, visits, leave and overtime requests of every
    status.  Timestamps are written in the local offset, in UTC, in -05:30, or naive (with
    probability ``naive_probability``).  ``record_types`` adds records of other types (orders,
    data accesses, contracts...: any of ``sales_policy.records.RECORD_MODELS``, by name or by
    file name, as ``--type`` takes them) for the same employees and customers C1–C5, up to
    three of each type per employee.

    Punches (and visits, leave and overtime requests) come at the boundaries of the schedule
    of ``policy`` with probability ``edge_probability`` (``edge_times``): a Policy, or a list
    of them, for a property that compares them (around the boundaries of each; a schedule
    whose attendance day starts after midnight, ``day_start``, brings the night before it).
    None: the handbook's schedule, 09:00–18:00 with a break 12:00–13:00 (``EDGE_TIMES``).

    Employees without an employee record work in the first of ``timezones``, which is taken
    as the policy's timezone (``Log.timezone``).  None: the timezones of ``policy``, in order,
    then ``DEFAULT_ZONES`` (the handbook's Asia/Shanghai first)."""
    from ..recordfields import record_types as all_types

    if isinstance(record_types, str) or not isinstance(record_types, Sequence):
        raise InvalidArgument(
            f"record_types must be a list of record types ({', '.join(all_types())}), "
            f"got {record_types!r}"
        )
    types = [record_type_named(t, "record_types") for t in record_types]
    _check_int("employees", employees, 1, 50)
    _check_int("max_days", max_days, 1, 62)
    _check_date("start", start)
    _check_date("end", end)
    if end < start:
        raise InvalidArgument(f"end {end} must not be before start {start}")
    policies = () if policy is None else check_policies(policy)
    if timezones is None:
        zones = tuple(dict.fromkeys((*(p.timezone for p in policies), *DEFAULT_ZONES)))
    else:
        zones = _check_zones("timezones", timezones)
    _check_fraction("edge_probability", edge_probability)
    _check_fraction("naive_probability", naive_probability)
    drawn_around = around(policies)
    return _logs(
        employees,
        start,
        end,
        max_days,
        zones,
        edge_probability,
        naive_probability,
        tuple(types),
        drawn_around,
        request_starts(policies) if policies else REQUEST_STARTS,
    )


@st.composite
def _logs(
    draw: st.DrawFn,
    employees: int,
    first: dt.date,
    last: dt.date,
    max_days: int,
    zones: tuple[str, ...],
    edge: float,
    naive: float,
    record_types: tuple[str, ...],
    drawn_around: Around,
    request_times: tuple[dt.time, ...],
) -> Log:
    span = (last - first).days
    start = first + dt.timedelta(days=draw(st.integers(0, span)))
    notable = _notable_days(first, last)
    near_notable: bool = draw(st.booleans())
    if notable and near_notable:
        # Half the logs start a few days before a holiday, an adjusted working day (调休)
        # or a month end, so that they cover it.
        day: dt.date = draw(st.sampled_from(notable))
        start = max(first, day - dt.timedelta(days=draw(st.integers(0, 3))))
    days = [
        start + dt.timedelta(days=i)
        for i in range(draw(st.integers(1, min(max_days, (last - start).days + 1))))
    ]
    policy_zone = zones[0]
    styles = st.sampled_from(("local", "local", "utc", "other")) if naive < 1 else st.just("naive")

    def stamp(instant: dt.datetime, zone: str) -> str:
        style = "naive" if draw(st.floats(0, 1)) < naive else draw(styles)
        return _write(instant, zone, style)

    edges = drawn_around.edges
    wall_times = _wall_times(edge, edges, wall_range(edges), drawn_around.favoured)
    records: list[dict[str, Any]] = []
    counter = iter(range(1, 10_000))
    for index in range(1, draw(st.integers(1, employees)) + 1):
        employee_id = f"E{index}"
        zone = draw(st.sampled_from(zones))
        if draw(st.booleans()):
            hired = draw(st.sampled_from([None, *days]))
            left = draw(st.sampled_from([None, *[d for d in days if hired is None or d >= hired]]))
            records.append(
                {
                    "type": "employee",
                    "employee_id": employee_id,
                    "name": f"员工{index}",
                    "hired_on": hired.isoformat() if hired else None,
                    "left_on": left.isoformat() if left else None,
                    "timezone": None if zone == policy_zone and draw(st.booleans()) else zone,
                }
            )
        else:
            zone = policy_zone  # no employee record: the policy's timezone applies
        for day in days:
            for _ in range(draw(st.integers(0, 4))):
                at = _local(day, draw(wall_times), zone)
                records.append(
                    {
                        "type": "punch",
                        "employee_id": employee_id,
                        "at": stamp(at, zone),
                        "direction": draw(st.sampled_from(("in", "out", None))),
                        "source": draw(st.sampled_from(("office", "mobile", "field", None))),
                        "record_id": f"P{next(counter)}",
                    }
                )
        for _ in range(draw(st.integers(0, 2))):
            day = draw(st.sampled_from(days))
            begin = _local(day, draw(wall_times), zone)
            finish = begin + dt.timedelta(minutes=draw(st.integers(1, 240)))
            records.append(
                {
                    "type": "customer_visit",
                    "employee_id": employee_id,
                    "customer_id": f"C{draw(st.integers(1, 5))}",
                    "start": stamp(begin, zone),
                    "end": stamp(finish, zone),
                    "record_id": f"V{next(counter)}",
                }
            )
        for kind in ("leave_request", "overtime_request"):
            for _ in range(draw(st.integers(0, 2))):
                day = draw(st.sampled_from(days))
                begin = _local(
                    day,
                    draw(st.sampled_from(request_times) if draw(st.booleans()) else wall_times),
                    zone,
                )
                hours = draw(st.sampled_from((3, 4, 5, 9, 24, 48)))
                finish = begin + dt.timedelta(hours=hours)
                status = draw(st.sampled_from(STATUSES))
                decided = draw(st.sampled_from((None, -60, 0, 0, 30, -1440)))
                request = {
                    "type": kind,
                    "request_id": f"R{next(counter)}",
                    "employee_id": employee_id,
                    "start": stamp(begin, zone),
                    "end": stamp(finish, zone),
                    "submitted_at": stamp(begin - dt.timedelta(days=2), zone),
                    "status": status,
                    "decided_at": None
                    if decided is None
                    else stamp(begin + dt.timedelta(minutes=decided), zone),
                }
                if kind == "leave_request":
                    request["leave_type"] = draw(st.sampled_from(("annual", "sick", "personal")))
                records.append(request)
    records.extend(
        _other_records(draw, records, record_types, days, policy_zone, edge, naive, drawn_around)
    )
    return Log(draw(st.permutations(records)), days[0], days[-1], policy_zone)


def _other_records(
    draw: st.DrawFn,
    log: list[dict[str, Any]],
    record_types: tuple[str, ...],
    days: list[dt.date],
    policy_zone: str,
    edge: float,
    naive: float,
    drawn_around: Around,
) -> list[dict[str, Any]]:
    """Records of other types for the log's employees, in each employee's timezone, with
    ids renumbered so that none repeats; their times and amounts drawn around the policies
    (``drawn_around``), as the punches' are."""
    from ..recordfields import fields_of
    from .records import records_around

    zones = {
        r["employee_id"]: r.get("timezone") or policy_zone for r in log if r["type"] == "employee"
    }
    staff = sorted({r["employee_id"] for r in log}) or ["E1"]
    drawn: list[dict[str, Any]] = []
    for record_type in record_types:
        key = next(
            (
                s.name
                for s in fields_of(record_type)
                if s.required and s.name in ("record_id", "order_id", "contract_id", "request_id")
            ),
            None,
        )
        for employee in staff:
            strategy = records_around(
                record_type,
                drawn_around,
                employees=[employee],
                customers=5,
                start=days[0],
                end=days[-1],
                timezone=zones.get(employee, policy_zone),
                edge_probability=edge,
                naive_probability=naive,
            )
            for row in draw(st.lists(strategy, max_size=3)):
                if key is not None:
                    row[key] = f"{record_type[:2].upper()}{len(drawn) + 1}"
                drawn.append(row)
    if "employee" in record_types:  # one employee record per employee
        seen: set[str] = {r["employee_id"] for r in log if r["type"] == "employee"}
        kept = []
        for row in drawn:
            if row["type"] == "employee":
                if row["employee_id"] in seen:
                    continue
                seen.add(row["employee_id"])
            kept.append(row)
        drawn = kept
    return drawn
