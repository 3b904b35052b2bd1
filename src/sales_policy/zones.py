"""Time-zone helpers: which names are time zones, and columnar code across zones.

``is_known_timezone`` says whether this machine's tz database knows a name, as
``zoneinfo.available_timezones()`` does, without walking the database in the common case.

polars converts time zones by a constant zone name only, while each employee may have their
own.  ``in_zones`` builds one branch per zone present in the data (a run has few: one per
office) and picks each row's branch by its zone column.  ``local_dates`` gives the local
dates of many instants from each zone's UTC offsets, without converting row by row.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable, Sequence
from functools import cache, lru_cache
from importlib import resources

import polars as pl

_HOUR_US = 3_600_000_000
_DAY_US = 86_400_000_000
#: a column's offsets are looked up by the hour when its range has at most this many hours,
#: or at most as many hours as it has rows; else it is converted row by row
_FEW_HOURS = 4096
#: a column of fewer rows is converted row by row: looking offsets up costs a score of steps
_MANY_ROWS = 1024


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


@lru_cache(maxsize=1024)  # bounded: a long-running process may meet many wrong names
def is_known_timezone(name: str) -> bool:
    """Whether ``name`` is a time zone both this machine's tz database (``known_timezones``)
    and polars know.

    ``available_timezones()`` lists the ``tzdata`` package's zones and then walks the system's
    tz database for more (~5 ms of a run that has imported this package, ~25 ms of a bare
    interpreter, measured).  A name in tzdata's list (under 1 ms to read) is in that set, so
    only a name outside it (a system-only zone, or no zone at all) pays for the walk.
    ``posixrules`` is the one name that set leaves out even where tzdata lists it.  Of the
    names it holds, polars (its own copy of the database) refuses a few that are no place's
    zone: ``localtime`` (the machine's own setting) and ``Factory``."""
    if name == "posixrules" or (name not in _tzdata_zones() and name not in known_timezones()):
        return False
    try:
        pl.Series([0], dtype=pl.Datetime("us", "UTC")).dt.convert_time_zone(name)
    except pl.exceptions.PolarsError:
        return False
    return True


def in_zones(
    zone_column: str, zones: Sequence[str], build: Callable[[str], pl.Expr], dtype: pl.DataType
) -> pl.Expr:
    """``build(zone)`` evaluated for the rows whose ``zone_column`` is that zone.

    polars converts time zones by a constant name only; the zones in one run are few (one per
    office), so one pass per zone is cheap.
    """
    branches = [pl.when(pl.col(zone_column) == zone).then(build(zone)) for zone in zones]
    return pl.coalesce(branches).cast(dtype) if branches else pl.lit(None, dtype)


def dates_in_zones(
    zone_column: str, zones: Sequence[str], instant: pl.Expr, day_start_us: int = 0
) -> pl.Expr:
    """The local date of ``instant`` (a UTC datetime) in the zone each row's ``zone_column``
    names, of ``zones``; with ``day_start_us``, its attendance day (``wall_date``).  For a
    few rows, or a table of zone names; ``local_dates`` dates a column of many by offsets."""

    def date_in(zone: str) -> pl.Expr:
        local = instant.dt.convert_time_zone(zone)
        return wall_date(local, day_start_us) if day_start_us else local.dt.date()

    return in_zones(zone_column, zones, date_in, pl.Date())


def _offsets(zone: str, instants: pl.Series) -> pl.Series:
    """UTC offsets (microseconds) of ``zone`` at some instants (epoch microseconds)."""
    utc = pl.from_epoch(instants, time_unit="us").dt.replace_time_zone("UTC")
    wall = utc.dt.convert_time_zone(zone).dt.replace_time_zone(None).dt.epoch("us")
    return wall - instants


def local_dates(
    instants: pl.Series,
    codes: pl.Series,
    zones: Sequence[str],
    *,
    many: int = _MANY_ROWS,
    day_start_us: int = 0,
) -> pl.Series:
    """The local date of each instant (Int64 epoch microseconds, UTC) in the zone
    ``zones[code]`` of its row: exactly what ``convert_time_zone(zone).dt.date()`` gives.
    With ``day_start_us``, the date of the local wall time that many microseconds earlier:
    a wall time before that time of day (``Schedule.day_start``) is the date before's.

    A zone's UTC offset changes only at its transitions, and the tz database puts those days
    apart, never two within an hour.  So when a zone's offset at the first and the last
    microsecond of an hour are equal, it holds all that hour, and the hour's local dates are
    ``(instant + offset) // day``: the offsets are computed once per zone and hour of the
    column's range, then gathered.  Rows in an hour with a transition, columns spanning
    more hours than rows, and columns of fewer than ``many`` rows are converted row by row.
    """
    hours = instants // _HOUR_US
    if not zones or hours.null_count() == len(hours):
        return pl.Series(instants.name, [None] * len(instants), pl.Date)
    first, last = int(hours.min()), int(hours.max())  # type: ignore[arg-type]
    span = last - first + 1
    if len(instants) < many or span > max(len(instants), _FEW_HOURS):
        return _converted(instants, codes, zones, day_start_us)
    starts = pl.int_range(first, last + 1, dtype=pl.Int64, eager=True) * _HOUR_US
    ends = starts + (_HOUR_US - 1)
    unknown = pl.repeat(None, span, dtype=pl.Int64, eager=True)
    steady = []
    for zone in zones:
        at_start, at_end = _offsets(zone, starts), _offsets(zone, ends)
        steady.append(at_start.zip_with(at_start == at_end, unknown))
    offsets = pl.concat(steady).gather(codes.cast(pl.Int64) * span + (hours - first))
    walls = instants + offsets
    if day_start_us:
        walls = walls - day_start_us
    days = (walls // _DAY_US).cast(pl.Int32).cast(pl.Date).alias(instants.name)
    unsteady = (offsets.is_null() & instants.is_not_null()).arg_true()
    if unsteady.len():
        days = days.scatter(
            unsteady,
            _converted(instants.gather(unsteady), codes.gather(unsteady), zones, day_start_us),
        )
    return days


def _converted(
    instants: pl.Series, codes: pl.Series, zones: Sequence[str], day_start_us: int = 0
) -> pl.Series:
    """Local dates of instants (epoch microseconds) by converting each row (each wall time
    ``day_start_us`` earlier: ``local_dates``)."""
    frame = pl.DataFrame({"at": instants, "zone": codes})
    utc = pl.from_epoch("at", time_unit="us").dt.replace_time_zone("UTC")

    def date_in(zone: str) -> pl.Expr:
        local = utc.dt.convert_time_zone(zone)
        if day_start_us:
            return wall_date(local, day_start_us)
        return local.dt.date()

    branches = [
        pl.when(pl.col("zone") == code).then(date_in(zone)) for code, zone in enumerate(zones)
    ]
    dates = pl.coalesce(branches) if branches else pl.lit(None, pl.Date)
    return frame.select(dates.cast(pl.Date)).to_series().alias(instants.name)


def wall_date(local: pl.Expr, day_start_us: int) -> pl.Expr:
    """The date of each local datetime (of one zone) whose day begins ``day_start_us`` after
    midnight: the date of the wall time that much earlier (a wall time, not an instant, so a
    clock change in between moves nothing)."""
    wall = local.dt.replace_time_zone(None)
    return (wall - pl.duration(microseconds=day_start_us)).dt.date()
