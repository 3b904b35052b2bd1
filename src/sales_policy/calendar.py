"""The working calendar and the daily schedule.

Handbook 1.2: work is Monday to Friday, 09:00 to 18:00; Saturday and Sunday are rest days.
China's statutory holidays are days off and the adjusted working days (调休) are worked; both
come from the maintained ``holidays`` package (2001–2026 through a snapshot of it shipped
with the project, see ``sales_policy.chinacalendar``).  A company can add holidays and working days,
and supply whole years the package does not cover, in its policy file.

The lunch break 12:00–13:00 is the project's assumption: the handbook is silent, and
09:00–18:00 less one hour is the 8-hour day of Chinese labour law.  So is the day start
(``Schedule.day_start``, 跨天): the local time at which one attendance day ends and the next
begins, midnight by default; a punch or a visit before it counts for the day before.

A date in a year the calendar has no data for is an error (``CalendarError``), never a guess.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any, Literal

import polars as pl

from .chinacalendar import china_schedule_years, china_snapshot
from .errors import CalendarError, InvalidArgument

DayKind = Literal["workday", "rest_day", "holiday", "adjusted_workday"]
WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: the latest day start a schedule may have: work after 06:00 is a morning's start rather
#: than the end of the evening before, and a later start would take an early arrival for the
#: evening before's departure
LATEST_DAY_START = dt.time(6, 0)


class SettingError(InvalidArgument, ValueError):
    """A schedule or calendar whose values cannot be: a bad argument to ``Schedule`` or
    ``WorkingCalendar`` (made in Python, ``dataclasses.replace(policy.schedule, ...)``), so a
    ``SalesPolicyError``, and a ``ValueError`` as before; a policy file names its line."""


class ScheduleError(SettingError):
    """Why a schedule cannot be, and which of its values is at fault, so that a policy file
    can name that value's line: ``keys``, the fields it may be, first the one to name where
    the policy gives it (``("breaks", "start")``: a break, else the start that leaves the
    default break outside the working hours); ``index``, the break in ``breaks``; ``other``,
    the break it overlaps."""

    def __init__(
        self,
        message: str,
        keys: tuple[str, ...],
        index: int | None = None,
        other: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message, self.keys, self.index, self.other = message, keys, index, other


class ListedTwice(SettingError):
    """A date a calendar lists both as a holiday and as a working day (``day``, the first
    such), so that a policy file can name the lines of its two listings."""

    def __init__(self, day: dt.date) -> None:
        super().__init__(f"{day.isoformat()} is listed both as a holiday and as a working day")
        self.day = day


def clock_text(wall: dt.time) -> str:
    """A time of day as a policy file writes it: ``09:00``, with its seconds only when it has
    some (``09:00:30``)."""
    return wall.isoformat() if wall.second or wall.microsecond else f"{wall:%H:%M}"


def since_midnight_us(wall: dt.time) -> int:
    """A time of day in microseconds after midnight."""
    return ((wall.hour * 60 + wall.minute) * 60 + wall.second) * 1_000_000 + wall.microsecond


@dataclass(frozen=True)
class Schedule:
    """The working hours of a scheduled day, in the employee's local time."""

    start: dt.time = dt.time(9, 0)
    end: dt.time = dt.time(18, 0)
    breaks: tuple[tuple[dt.time, dt.time], ...] = ((dt.time(12, 0), dt.time(13, 0)),)
    #: weekdays that are working days, Monday = 0 (handbook 1.2: Monday to Friday)
    workdays: frozenset[int] = frozenset(range(5))
    #: the local time an attendance day begins (跨天): a punch or a visit before it counts on
    #: the date before, so work past midnight ends the evening it began; midnight by default
    day_start: dt.time = dt.time(0)

    def __post_init__(self) -> None:
        # made in Python: workdays a set of weekdays (a list taken as one), as the calendar's
        workdays = _set_of(self.workdays, _is_weekday)
        if workdays is None:
            raise ScheduleError(
                f"schedule workdays must be a set of {_WEEKDAYS}, not {self.workdays!r}",
                ("workdays",),
            )
        object.__setattr__(self, "workdays", workdays)
        if not isinstance(self.breaks, tuple | list):
            raise ScheduleError(
                f"schedule breaks must be (start, end) pairs of times, not {self.breaks!r}",
                ("breaks",),
            )
        times = [("start", self.start), ("end", self.end), ("day_start", self.day_start)]
        for index, pair in enumerate(self.breaks):
            if not isinstance(pair, tuple | list) or len(pair) != 2:
                raise ScheduleError(
                    f"break {index + 1} must be a (start, end) pair of times, not {pair!r}",
                    ("breaks",),
                    index,
                )
            times += [(f"break {index + 1}", pair[0]), (f"break {index + 1}", pair[1])]
        for name, value in times:
            if not isinstance(value, dt.time) or value.tzinfo is not None:
                raise ScheduleError(
                    f"schedule {name} must be a local time (datetime.time without a timezone), "
                    f"not {value!r}",
                    (name,) if name in ("start", "end", "day_start") else ("breaks",),
                )
        # a list of lists taken as pairs, as a policy file's are: the schedule stays hashable
        object.__setattr__(self, "breaks", tuple(tuple(pair) for pair in self.breaks))
        if not self.start < self.end:
            raise ScheduleError(
                f"schedule start {clock_text(self.start)} must be before its end "
                f"{clock_text(self.end)}",
                ("end", "start"),
            )
        if self.day_start > LATEST_DAY_START:
            raise ScheduleError(
                f"day_start {clock_text(self.day_start)} must be from 00:00 to "
                f"{clock_text(LATEST_DAY_START)} (a punch before it counts on the day before)",
                ("day_start",),
            )
        if self.day_start > self.start:
            raise ScheduleError(
                f"day_start {clock_text(self.day_start)} must not be after the schedule start "
                f"{clock_text(self.start)}: an arrival at the start would count on the day before",
                ("day_start", "start"),
            )
        for index, (begin, finish) in enumerate(self.breaks):
            if not (self.start <= begin < finish <= self.end):
                hours = "start" if begin < self.start else "end"
                raise ScheduleError(
                    f"break {clock_text(begin)}–{clock_text(finish)} must lie inside the "
                    f"working hours {clock_text(self.start)}–{clock_text(self.end)} "
                    "and end after it starts",
                    ("breaks", hours),
                    index,
                )
        ordered = sorted(range(len(self.breaks)), key=lambda i: self.breaks[i])
        for first, second in itertools.pairwise(ordered):
            if self.breaks[second][0] < self.breaks[first][1]:
                later, earlier = max(first, second), min(first, second)
                shown = [
                    f"{clock_text(begin)}–{clock_text(finish)}" for begin, finish in self.breaks
                ]
                raise ScheduleError(
                    f"breaks must not overlap: {shown[later]} overlaps {shown[earlier]}",
                    ("breaks",),
                    later,
                    earlier,
                )

    @property
    def working_segments(self) -> tuple[tuple[dt.time, dt.time], ...]:
        """The working hours less the breaks, as ordered (start, end) pairs."""
        segments = []
        cursor = self.start
        for begin, finish in sorted(self.breaks):
            if begin > cursor:
                segments.append((cursor, begin))
            cursor = max(cursor, finish)
        if cursor < self.end:
            segments.append((cursor, self.end))
        return tuple(segments)


def _is_date(value: object) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_weekday(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 7


_WEEKDAYS = "weekdays (0 = Monday to 6)"


def _set_of(values: object, valid: Callable[[object], bool]) -> frozenset[Any] | None:
    """``values`` as a set, where they are a collection (a list is taken as a set) of valid
    values; else None.  A schedule or calendar made in Python: never a date as text, which
    no day equals, so that a holiday given so would silently be none."""
    if isinstance(values, set | frozenset | list | tuple) and all(map(valid, values)):
        return frozenset(values)
    return None


@cache
def _country_codes() -> frozenset[str]:
    """Country codes (and aliases) the holidays package knows, read from its registry:
    ``holidays.list_supported_countries()`` imports every country's module to list
    subdivisions, a tenth of a second this does not need."""
    from holidays.registry import EntityLoader

    return frozenset(EntityLoader.get_country_codes(include_aliases=True))


def _known_country(code: str) -> bool:
    return code == "CN" or code in _country_codes()


@cache
def _country_code(code: str) -> str:
    """The code the holidays package files a country under, for a code it knows the country
    by: ``CN`` for ``CHN`` (ISO 3166's alpha-3), so that China by either is the calendar of
    the bundled data and its years, not the package's own guess at years not announced."""
    from holidays.registry import COUNTRIES

    for names in COUNTRIES.values():
        if code in names[1:]:
            return str(names[1])
    return code


@dataclass(frozen=True)
class WorkingCalendar:
    """Which local dates are working days.

    ``country`` is an ISO 3166 code the ``holidays`` package knows (default ``CN``) or None
    for weekends only.  ``extra_holidays`` and ``extra_working_days`` come from the policy;
    ``supplied_years`` are years the policy vouches for itself (its lists are complete there).
    """

    country: str | None = "CN"
    extra_holidays: frozenset[dt.date] = frozenset()
    extra_working_days: frozenset[dt.date] = frozenset()
    supplied_years: frozenset[int] = frozenset()
    weekdays: frozenset[int] = field(default=frozenset(range(5)))

    def __post_init__(self) -> None:
        for name, kind, valid in (  # each a set of its kind (``_set_of``)
            ("extra_holidays", "dates", _is_date),
            ("extra_working_days", "dates", _is_date),
            ("supplied_years", "years", _is_int),
            ("weekdays", _WEEKDAYS, _is_weekday),
        ):
            values = _set_of(getattr(self, name), valid)
            if values is None:
                raise SettingError(
                    f"calendar {name} must be a set of {kind}, not {getattr(self, name)!r}"
                )
            object.__setattr__(self, name, values)
        both = self.extra_holidays & self.extra_working_days
        if both:
            raise ListedTwice(min(both))
        if self.country is not None and not isinstance(self.country, str):
            raise SettingError(f"calendar country must be a code like 'CN', not {self.country!r}")
        if self.country is not None and not _known_country(self.country):
            raise SettingError(f"unknown calendar country {self.country!r} (expected e.g. 'CN')")
        if self.country is not None and self.country != "CN":
            object.__setattr__(self, "country", _country_code(self.country))

    @cached_property
    def package_years(self) -> range:
        """Years the calendar data covers for ``country`` (China: the shipped snapshot's and
        any later ones the installed holidays package knows)."""
        if self.country is None:
            return range(1, 10_000)
        if self.country == "CN":
            known, installed = china_snapshot().years, china_schedule_years()
            return range(min(known.start, installed.start), max(known.stop, installed.stop))
        import holidays

        country_class = holidays.country_holidays(self.country).__class__
        return range(country_class.start_year, country_class.end_year + 1)

    def _in_snapshot(self, year: int) -> bool:
        return self.country == "CN" and year in china_snapshot().years

    def covers(self, year: int) -> bool:
        return year in self.supplied_years or self._in_snapshot(year) or year in self.package_years

    def coverage_text(self) -> str:
        years = self.package_years
        text = f"{years.start}–{years.stop - 1}" if self.country else "any year"
        if self.supplied_years:
            text += " and " + ", ".join(str(y) for y in sorted(self.supplied_years))
        return text

    def check_covered(self, dates: Iterable[dt.date]) -> None:
        """Raise CalendarError naming the years of ``dates`` without calendar data: every
        one of them, so that a policy supplying them all is written at once."""
        missing = [year for year in sorted({d.year for d in dates}) if not self.covers(year)]
        if not missing:
            return
        listed = ", ".join(str(year) for year in missing[:5])
        shown = listed
        if len(missing) > 5:  # a year typed wrong, most likely (2062 for 2026)
            every = missing[-1] - missing[0] + 1 == len(missing)
            shown = (
                f"{missing[0]} to {missing[-1]}"
                if every
                else f"{listed} and {len(missing) - 5} more"
            ) + f" ({len(missing)} years)"
            listed += ", ..."
        one = len(missing) == 1
        raise CalendarError(
            f"{shown} {'is' if one else 'are'} outside the working calendar: the calendar "
            f"data for {self.country} covers {self.coverage_text()} (statutory holidays and "
            f"adjusted working days). To judge {shown}, give {'its' if one else 'their'} "
            f"calendar in the policy file: calendar: {{supplied_years: [{listed}], "
            "holidays: [...], working_days: [...]}"
        )

    def _package_days(self, years: Iterable[int]) -> tuple[set[dt.date], set[dt.date]]:
        """Days off and adjusted working days of ``years`` by the calendar data."""
        if self.country is None:
            return set(), set()
        years = list(years)
        known = [y for y in years if self._in_snapshot(y)]
        off = {d for d in china_snapshot().off if d.year in known} if known else set()
        worked = {d for d in china_snapshot().worked if d.year in known} if known else set()
        wanted = [y for y in years if y not in known and y in self.package_years]
        if wanted:
            import holidays

            data = holidays.country_holidays(self.country, years=wanted)
            off |= {d for d in data if d.year in wanted}
            worked |= {d for d in getattr(data, "weekend_workdays", ()) if d.year in wanted}
        return off, worked

    def day_kinds(self, start: dt.date, end: dt.date) -> pl.DataFrame:
        """One row per date from start to end: ``date``, ``day_kind``, ``is_workday``."""
        if end < start:
            return pl.DataFrame(
                schema={"date": pl.Date, "day_kind": pl.String, "is_workday": pl.Boolean}
            )
        days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
        self.check_covered(days)
        off, worked = self._package_days(range(start.year, end.year + 1))
        kinds = [self.kind(d, off, worked) for d in days]
        return pl.DataFrame(
            {
                "date": days,
                "day_kind": kinds,
                "is_workday": [k in ("workday", "adjusted_workday") for k in kinds],
            },
            schema={"date": pl.Date, "day_kind": pl.String, "is_workday": pl.Boolean},
        )

    def kind(
        self, day: dt.date, off: set[dt.date] | None = None, worked: set[dt.date] | None = None
    ) -> DayKind:
        """The kind of one day: workday, rest_day, holiday or adjusted_workday."""
        if off is None or worked is None:
            self.check_covered([day])
            off, worked = self._package_days([day.year])
        if day in self.extra_holidays:
            return "holiday"
        regular = day.weekday() in self.weekdays
        if day in self.extra_working_days or day in worked:
            return "workday" if regular else "adjusted_workday"
        if day in off:
            return "holiday"
        return "workday" if regular else "rest_day"
