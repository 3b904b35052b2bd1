"""Time-zone helpers: which names are time zones, and columnar code across zones.

``is_known_timezone`` says whether this machine's tz database knows a name, as
``zoneinfo.available_timezones()`` does, without walking the database in the common case.

polars converts time zones by a constant zone name only, while each employee may have their
own.  ``in_zones`` builds one branch per zone present in the data (a run has few: one per
office) and picks each row's branch by its zone column.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable, Sequence
from functools import cache
from importlib import resources

import polars as pl


@cache
def known_timezones() -> frozenset[str]:
    """The IANA timezone names this machine's tz database knows."""
    return frozenset(zoneinfo.available_timezones())


@cache
def _tzdata_zones() -> frozenset[str]:
    """The zone list of the ``tzdata`` package, one small file; empty without the package."""
    try:
        with resources.files("tzdata").joinpath("zones").open("r", encoding="utf-8") as lines:
            return frozenset(zone for line in lines if (zone := line.strip()))
    except (ImportError, FileNotFoundError):
        return frozenset()


@cache
def is_known_timezone(name: str) -> bool:
    """Whether ``name`` is in ``known_timezones()``.

    ``available_timezones()`` lists the ``tzdata`` package's zones and then walks the system's
    tz database for more (~5 ms of a run that has imported this package, ~25 ms of a bare
    interpreter, measured).  A name in tzdata's list (under 1 ms to read) is in that set, so
    only a name outside it (a system-only zone, or no zone at all) pays for the walk.
    ``posixrules`` is the one name that set leaves out even where tzdata lists it."""
    if name != "posixrules" and name in _tzdata_zones():
        return True
    return name in known_timezones()


def in_zones(
    zone_column: str, zones: Sequence[str], build: Callable[[str], pl.Expr], dtype: pl.DataType
) -> pl.Expr:
    """``build(zone)`` evaluated for the rows whose ``zone_column`` is that zone.

    polars converts time zones by a constant name only; the zones in one run are few (one per
    office), so one pass per zone is cheap.
    """
    branches = [pl.when(pl.col(zone_column) == zone).then(build(zone)) for zone in zones]
    return pl.coalesce(branches).cast(dtype) if branches else pl.lit(None, dtype)
