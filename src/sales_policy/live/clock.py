"""The monitor's clock: when a local day has ended (``last_ended``; at the next day's
``Schedule.day_start``, midnight by default), when the next day of some employee ends
(``earliest_close``), and the instant of a posted punch, which moves the clock when the
monitor has a ``lateness`` (``punch_instant``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from ..calendar import since_midnight_us
from ..timetext import BLANKS, read_datetime
from .posted import record_kind

_ONE_DAY = dt.timedelta(days=1)


def last_ended(to: dt.datetime, zone: str, day_start: dt.time = dt.time(0)) -> dt.date | None:
    """The last attendance day in ``zone`` that has ended by the instant ``to`` (None: none):
    a day ends at the next day's ``day_start`` (the schedule's; midnight by default)."""
    try:
        local = to.astimezone(ZoneInfo(zone))
        if day_start != dt.time(0):  # the wall time, less the day start
            since = dt.timedelta(microseconds=since_midnight_us(day_start))
            day = (local.replace(tzinfo=None) - since).date()
        else:
            day = local.date()
    except OverflowError:  # beyond the dates Python has, either way
        day = dt.date.max if to.year > 1 else dt.date.min
    return None if day == dt.date.min else day - _ONE_DAY


def punch_instant(record: Any, zone_of: Callable[[str], str]) -> dt.datetime | None:
    """The instant of a posted punch as far as it can be told cheaply (the clock ``lateness``
    reads; the validated one decides): a naive one in its employee's timezone as known (an
    employee record still queued aside), epoch milliseconds in UTC, text as the validator
    reads it (``timetext.read_datetime``); None if not a punch or not readable."""
    if isinstance(record, BaseModel):
        if getattr(record, "record_type", None) != "punch":
            return None
        at: Any = getattr(record, "at", None)
    elif isinstance(record, Mapping) and record_kind(record)[0] == "punch":
        # a type by any name the validator reads: "punches", "Punches", "打卡"
        at = record.get("at")
    else:
        return None
    try:
        if isinstance(at, str):
            # as the validator reads it: year first and epoch milliseconds as text too
            at = read_datetime(at.strip(BLANKS))
        elif isinstance(at, int | float) and not isinstance(at, bool):
            at = dt.datetime.fromtimestamp(at / 1000, dt.UTC)
    except (ValueError, OverflowError, OSError):
        return None
    if not isinstance(at, dt.datetime):
        return None
    if at.utcoffset() is not None:
        instant: dt.datetime = at
        return instant
    employee = record_kind(record)[1]
    if employee is None:
        return None
    try:
        return at.replace(tzinfo=ZoneInfo(zone_of(employee)))
    except (ValueError, KeyError):
        return None


def earliest_close(
    start: dt.date,
    end: dt.date | None,
    closed: Mapping[str, dt.date],
    by_zone: Mapping[str, list[str]],
    day_start: dt.time = dt.time(0),
    held: Mapping[str, dt.datetime] | None = None,
) -> dt.datetime | None:
    """The instant the next day of some employee may close: the end of the first day still
    open in each timezone (``by_zone``: the employees of each), none past ``end``; a day
    ends at the next day's ``day_start``.  ``held``: employees whose next day closes no
    earlier than an instant (the end of a customer visit still on), whichever is later."""
    held = held or {}
    soonest: dt.datetime | None = None
    for zone, employees in by_zone.items():
        first: dict[dt.datetime | None, dt.date] = {}
        for employee in employees:
            day = closed.get(employee, start - _ONE_DAY)
            until = held.get(employee)
            first[until] = min(first.get(until, day), day)
        for until, day in first.items():
            open_day = day + _ONE_DAY
            if end is not None and open_day > end:
                continue
            ends = dt.datetime.combine(open_day + _ONE_DAY, day_start, tzinfo=ZoneInfo(zone))
            ends = ends if until is None else max(ends, until)
            soonest = ends if soonest is None else min(soonest, ends)
    return soonest
