"""Independent reference ("oracle") for the attendance rules.

Written straight from the plain-text semantics, one employee-day at a time, with the
standard library only. It deliberately does NOT import ``sales_policy``: a differential
test compares the engine's findings with :func:`oracle_findings`.

All instants are normalised to UTC as soon as they are parsed or built. This matters:
Python compares and subtracts two aware datetimes that share a ``tzinfo`` object by wall
clock, which is wrong across a DST change.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

Finding = tuple[str, str, str | None, str | None, object]
Interval = tuple[datetime, datetime]

DEFAULT_PARAMS: dict[str, Any] = {
    "late_grace_minutes": 0,
    "serious_late_minutes": 30,
    "early_grace_minutes": 0,
    "serious_early_minutes": 30,
    "overtime_min_minutes": 30,
    "left_post_minutes": 30,
    "overtime_day_limit_minutes": 180,
    "overtime_month_limit_minutes": 2160,
    "retroactive_leave_types": [],
}


# --------------------------------------------------------------------------- helpers


def _blank(value: object) -> bool:
    return value is None or value == ""


def _to_instant(value: object, tz: ZoneInfo) -> datetime:
    """An ISO 8601 timestamp as a UTC instant; a naive one is read in ``tz`` (fold=0)."""
    if isinstance(value, datetime):
        dt = value
    else:
        text = str(value).strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        dt = datetime.fromisoformat(text)
    if dt.tzinfo is None or dt.utcoffset() is None:
        dt = dt.replace(tzinfo=tz, fold=0)
    return dt.astimezone(UTC)


def _to_date(value: object) -> date | None:
    if _blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value).strip())


def _local_instant(d: date, t: time, tz: ZoneInfo) -> datetime:
    """Local wall time ``t`` on ``d`` in ``tz`` (fold=0) as a UTC instant."""
    return datetime.combine(d, t).replace(tzinfo=tz, fold=0).astimezone(UTC)


def _local_date(instant: datetime, tz: ZoneInfo) -> date:
    return instant.astimezone(tz).date()


def _attendance_date(instant: datetime, tz: ZoneInfo, day_start: time) -> date:
    """The attendance day of a punch or a visit: its local date, or the date before when its
    local wall time is before ``day_start`` (work past midnight ends the evening before)."""
    local = instant.astimezone(tz)
    if local.time().replace(tzinfo=None) < day_start:
        return local.date() - timedelta(days=1)
    return local.date()


def _ceil_minutes(duration: timedelta) -> int:
    return math.ceil(duration.total_seconds() / 60)


def _subtract(pieces: list[Interval], cut_start: datetime, cut_end: datetime) -> list[Interval]:
    """``pieces`` minus ``[cut_start, cut_end]``; only pieces of positive length are kept."""
    out: list[Interval] = []
    for start, end in pieces:
        if cut_end <= start or cut_start >= end:  # no overlap
            out.append((start, end))
            continue
        if start < cut_start:
            out.append((start, cut_start))
        if cut_end < end:
            out.append((cut_end, end))
    return [(s, e) for s, e in out if e > s]


def _total(pieces: Iterable[Interval]) -> timedelta:
    return sum((end - start for start, end in pieces), timedelta(0))


def _overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """Open overlap: the two intervals share a stretch of positive length."""
    return a_start < b_end and a_end > b_start


# --------------------------------------------------------------------------- records


@dataclass
class _Employee:
    employee_id: str
    tz: ZoneInfo
    hired_on: date | None = None
    left_on: date | None = None


@dataclass
class _Punch:
    at: datetime
    direction: str | None


@dataclass
class _Request:  # leave or overtime request
    request_id: str
    start: datetime
    end: datetime
    status: str
    decided_at: datetime | None
    leave_type: str | None = None


@dataclass
class _Visit:
    start: datetime
    end: datetime


# --------------------------------------------------------------------------- oracle


def oracle_findings(
    records: Iterable[Mapping[str, object]],
    *,
    is_workday: Callable[[date], bool],
    start: date | None = None,
    end: date | None = None,
    params: Mapping[str, object] | None = None,
    timezone: str = "Asia/Shanghai",
    schedule_start: time = time(9),
    schedule_end: time = time(18),
    breaks: Sequence[tuple[time, time]] = ((time(12), time(13)),),
    day_start: time = time(0),
) -> set[Finding]:
    p = dict(DEFAULT_PARAMS)
    for key, value in (params or {}).items():
        if key not in DEFAULT_PARAMS:
            raise KeyError(key)
        p[key] = value
    late_grace = p["late_grace_minutes"]
    serious_late = p["serious_late_minutes"]
    early_grace = p["early_grace_minutes"]
    serious_early = p["serious_early_minutes"]
    overtime_min = p["overtime_min_minutes"]
    left_post = p["left_post_minutes"]
    day_limit = p["overtime_day_limit_minutes"]
    month_limit = p["overtime_month_limit_minutes"]
    retroactive = {str(t) for t in p["retroactive_leave_types"]}

    policy_tz = ZoneInfo(timezone)
    records = list(records)

    # 1. Employees judged: employee records first (they decide the timezone), then every
    #    employee_id seen in any other record.
    employees: dict[str, _Employee] = {}
    for rec in records:
        if rec.get("type") == "employee":
            eid = str(rec["employee_id"])
            tz_name = rec.get("timezone")
            employees[eid] = _Employee(
                employee_id=eid,
                tz=policy_tz if _blank(tz_name) else ZoneInfo(str(tz_name)),
                hired_on=_to_date(rec.get("hired_on")),
                left_on=_to_date(rec.get("left_on")),
            )
    for rec in records:
        if rec.get("type") != "employee" and not _blank(rec.get("employee_id")):
            eid = str(rec["employee_id"])
            employees.setdefault(eid, _Employee(employee_id=eid, tz=policy_tz))

    punches: dict[str, list[_Punch]] = {eid: [] for eid in employees}
    visits: dict[str, list[_Visit]] = {eid: [] for eid in employees}
    leaves: dict[str, list[_Request]] = {eid: [] for eid in employees}
    overtimes: dict[str, list[_Request]] = {eid: [] for eid in employees}
    for rec in records:
        kind = rec.get("type")
        if kind == "employee" or _blank(rec.get("employee_id")):
            continue
        eid = str(rec["employee_id"])
        tz = employees[eid].tz
        if kind == "punch":
            direction = rec.get("direction")
            punches[eid].append(
                _Punch(_to_instant(rec["at"], tz), None if _blank(direction) else str(direction))
            )
        elif kind == "customer_visit":
            visits[eid].append(_Visit(_to_instant(rec["start"], tz), _to_instant(rec["end"], tz)))
        elif kind in ("leave_request", "overtime_request"):
            decided = rec.get("decided_at")
            request = _Request(
                request_id=str(rec["request_id"]),
                start=_to_instant(rec["start"], tz),
                end=_to_instant(rec["end"], tz),
                status=str(rec["status"]),
                decided_at=None if _blank(decided) else _to_instant(decided, tz),
                leave_type=None if _blank(rec.get("leave_type")) else str(rec["leave_type"]),
            )
            (leaves if kind == "leave_request" else overtimes)[eid].append(request)

    # 2. Period, defaulting to the first / last attendance day of any punch or visit start.
    def attendance_day(instant: datetime, eid: str) -> date:
        return _attendance_date(instant, employees[eid].tz, day_start)

    seen_dates = [attendance_day(x.at, eid) for eid in punches for x in punches[eid]]
    seen_dates += [attendance_day(v.start, eid) for eid in visits for v in visits[eid]]
    if start is None or end is None:
        if not seen_dates:
            return set()
        start = min(seen_dates) if start is None else start
        end = max(seen_dates) if end is None else end
    days: list[date] = []
    d = start
    while d <= end:
        days.append(d)
        d += timedelta(days=1)

    findings: set[Finding] = set()

    for eid, emp in employees.items():
        tz = emp.tz
        month_totals: dict[str, int] = {}

        # Leave requests approved after they began (per request, not per day).
        for leave in leaves[eid]:
            if leave.status != "approved":
                continue
            if leave.decided_at is not None and leave.decided_at <= leave.start:
                continue
            if leave.leave_type in retroactive:
                continue
            leave_day = _local_date(leave.start, tz)
            if start <= leave_day <= end:
                findings.add(
                    ("ATT-LEAVE-NOT-IN-ADVANCE", eid, leave_day.isoformat(), None, leave.request_id)
                )

        for d in days:
            day = d.isoformat()

            # 3. Scheduled?
            scheduled = (
                is_workday(d)
                and (emp.hired_on is None or emp.hired_on <= d)
                and (emp.left_on is None or d <= emp.left_on)
            )

            # 4. Required pieces.
            window_start = _local_instant(d, schedule_start, tz)
            window_end = _local_instant(d, schedule_end, tz)
            pieces: list[Interval] = []
            if scheduled:
                pieces = [(window_start, window_end)] if window_end > window_start else []
                for b_start, b_end in breaks:
                    pieces = _subtract(
                        pieces, _local_instant(d, b_start, tz), _local_instant(d, b_end, tz)
                    )
                for leave in leaves[eid]:
                    if leave.status == "approved":
                        pieces = _subtract(pieces, leave.start, leave.end)
            required = _total(pieces) > timedelta(0)
            req_start = min(s for s, _ in pieces) if required else None
            req_end = max(e for _, e in pieces) if required else None

            # 5. The day's evidence.
            day_punches = [x for x in punches[eid] if attendance_day(x.at, eid) == d]
            day_visits = [v for v in visits[eid] if attendance_day(v.start, eid) == d]
            present = bool(day_punches or day_visits)

            # 6. Arrival and departure.
            arrival: datetime | None
            departure: datetime | None
            lone = day_punches[0] if len(day_punches) == 1 else None
            if lone is not None and lone.direction is None and not day_visits:
                if not scheduled:
                    is_arrival = True
                else:
                    if required:
                        assert req_start is not None and req_end is not None
                        midpoint = req_start + (req_end - req_start) / 2
                    else:
                        midpoint = window_start + (window_end - window_start) / 2
                    is_arrival = lone.at < midpoint
                arrival = lone.at if is_arrival else None
                departure = None if is_arrival else lone.at
            else:
                arrivals = [x.at for x in day_punches if x.direction in ("in", None)]
                arrivals += [v.start for v in day_visits]
                departures = [x.at for x in day_punches if x.direction in ("out", None)]
                departures += [v.end for v in day_visits]
                arrival = min(arrivals) if arrivals else None
                departure = max(departures) if departures else None

            # 7-8. Late / early.
            if scheduled and required:
                assert req_start is not None and req_end is not None
                if arrival is not None:
                    late = _ceil_minutes(arrival - req_start) if arrival > req_start else 0
                    if late > serious_late:
                        findings.add(("ATT-LATE-SERIOUS", eid, day, None, late))
                    elif late > late_grace:
                        findings.add(("ATT-LATE", eid, day, None, late))
                if departure is not None:
                    early = _ceil_minutes(req_end - departure) if departure < req_end else 0
                    if early > serious_early:
                        findings.add(("ATT-EARLY-SERIOUS", eid, day, None, early))
                    elif early > early_grace:
                        findings.add(("ATT-EARLY", eid, day, None, early))

            # Missing punch.
            if scheduled and present and (arrival is None or departure is None):
                missing = "arrival" if arrival is None else "departure"
                findings.add(("ATT-MISSING-PUNCH", eid, day, None, missing))

            # Absence, with or without a leave request that was not approved.
            if scheduled and required and not present:
                unapproved = sorted(
                    leave.request_id
                    for leave in leaves[eid]
                    if leave.status != "approved"
                    and any(_overlaps(leave.start, leave.end, s, e) for s, e in pieces)
                )
                if unapproved:
                    findings.add(("ATT-UNAPPROVED-LEAVE", eid, day, None, tuple(unapproved)))
                else:
                    findings.add(("ATT-ABSENT", eid, day, None, None))

            # Overtime.
            interval: Interval | None = None
            if scheduled and departure is not None:
                interval = (window_end, departure)
            elif not scheduled and arrival is not None and departure is not None:
                interval = (arrival, departure)
            if interval is not None:
                iv_start, iv_end = interval
                duration = iv_end - iv_start
                minutes = _ceil_minutes(duration) if duration > timedelta(0) else 0
                if minutes > overtime_min:
                    approved = any(
                        r.status == "approved"
                        and r.decided_at is not None
                        and r.decided_at <= r.start
                        and _overlaps(r.start, r.end, iv_start, iv_end)
                        for r in overtimes[eid]
                    )
                    if not approved:
                        findings.add(("ATT-OVERTIME-UNAPPROVED", eid, day, None, minutes))
                    if minutes > day_limit:
                        findings.add(("ATT-OVERTIME-DAY-LIMIT", eid, day, None, minutes))
                    month = f"{d.year:04d}-{d.month:02d}"
                    month_totals[month] = month_totals.get(month, 0) + minutes

            # Left post: "out" followed by "in", away time inside the required pieces and
            # not covered by any customer visit of the employee.
            if scheduled and required:
                directed = [x for x in day_punches if x.direction in ("in", "out")]
                directed.sort(key=lambda x: (x.at, 0 if x.direction == "in" else 1))
                for before, after in pairwise(directed):
                    if before.direction != "out" or after.direction != "in":
                        continue
                    away_pieces: list[Interval] = []
                    for s, e in pieces:
                        lo, hi = max(s, before.at), min(e, after.at)
                        if hi > lo:
                            away_pieces.append((lo, hi))
                    for v in visits[eid]:
                        away_pieces = _subtract(away_pieces, v.start, v.end)
                    away = _total(away_pieces)
                    minutes_away = _ceil_minutes(away)
                    if minutes_away > left_post:
                        findings.add(
                            (
                                "ATT-LEFT-POST",
                                eid,
                                day,
                                None,
                                (
                                    before.at.astimezone(UTC).isoformat(),
                                    after.at.astimezone(UTC).isoformat(),
                                    minutes_away,
                                ),
                            )
                        )

        for month, total in month_totals.items():
            if total > month_limit:
                findings.add(("ATT-OVERTIME-MONTH-LIMIT", eid, None, month, total))

    return findings
