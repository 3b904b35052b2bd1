"""The monitor's clock: when a local day has ended (``last_ended``), when the next day of
some employee ends (``earliest_close``), and the instant of a posted punch, which moves the
clock when the monitor has a ``lateness`` (``punch_instant``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from ..timetext import BLANKS, read_datetime
from .posted import record_kind

_ONE_DAY = dt.timedelta(days=1)


def last_ended(to: dt.datetime, zone: str) -> dt.date | None:
    """The last local date in ``zone`` that has ended by the instant ``to`` (None: none)."""
    try:
        day = to.astimezone(ZoneInfo(zone)).date()
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
) -> dt.datetime | None:
    """The instant the next day of some employee ends: the end of the first day still open
    in each timezone (``by_zone``: the employees of each), none past ``end``."""
    soonest: dt.datetime | None = None
    for zone, employees in by_zone.items():
        days = [closed.get(e, start - _ONE_DAY) for e in employees]
        open_day = min(days) + _ONE_DAY
        if end is not None and open_day > end:
            continue
        ends = dt.datetime.combine(open_day + _ONE_DAY, dt.time(), tzinfo=ZoneInfo(zone))
        soonest = ends if soonest is None else min(soonest, ends)
    return soonest
