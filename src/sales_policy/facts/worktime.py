"""Windows counted over the working calendar: the customer-care windows (a follow-up due so
many days after signing, an answer so many hours after receipt, a visit within so many days
of its planned date) when the ``working_days_only`` parameter is set (by default they
count every day and hour, and this module is not used).

Only the working days of the policy's calendar count, the calendar attendance uses: rest days
and statutory holidays are skipped whole, adjusted working days (调休) count.

- Days: the n-th working day after, or before, a local date; for n = 0 the date itself.
- Hours: the time of working days, round the clock.  An instant on a rest day or a holiday
  stands at the start of the next working day: 24 hours from a Friday at 17:30 end on the
  Monday at 17:30, and 24 hours from a Saturday at the end of the Monday.  The time is real
  time, so a working day on which a zone's clocks change is 23 or 25 hours long.

The days are laid out once per derivation, from before the period's first date to after its
last as far as the windows need (``lay_out``), and rows find their dates by index
(``gather``) and the end of a stretch of working time by binary search (``search_sorted``):
column-wise, with no Python per row.  The days reach no further than the calendar has data
for: a window that would end in a year without calendar data has no end yet (null), so it
is still open at the period's end, whose year the calendar covers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import polars as pl

from ..calendar import WorkingCalendar
from ..zones import dates_in_zones, in_zones

#: the days laid out reach at most this far beyond the period's last date (an answer recorded
#: years after its inquiry has its working minutes counted only within this reach)
MAX_REACH = dt.timedelta(days=3660)
_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class WorkingDays:
    """The calendar's days from ``first``, one after another: whether each is a working day,
    and, per timezone, where each begins and how much working time lies before it."""

    first: dt.date
    #: per date from ``first``: is it a working day
    workday: pl.Series
    #: per date from ``first``: how many working days fall on or before it (from ``first``)
    count: pl.Series
    #: the working days, in order
    dates: pl.Series
    #: per zone: the instant (epoch microseconds) each date begins, and the day after the
    #: last; and the working time (microseconds) before each of them
    zones: Mapping[str, tuple[pl.Series, pl.Series]]

    @property
    def last(self) -> dt.date:
        return self.first + (self.workday.len() - 1) * _DAY

    def _index(self, date: pl.Expr) -> pl.Expr:
        index = (date - pl.lit(self.first, pl.Date)).dt.total_days().cast(pl.Int64)
        return pl.when((index >= 0) & (index < self.workday.len())).then(index)

    def shifted(self, date: pl.Expr, days: int) -> pl.Expr:
        """The ``days``-th working day after ``date`` (``days`` > 0) or before it (< 0);
        ``date`` itself for 0; null where that day lies beyond the days laid out."""
        if days == 0:
            return date
        index = self._index(date)
        on_or_before = pl.lit(self.count).gather(index)
        if days > 0:
            nth = on_or_before + days
        else:  # the working days before the date, less |days| - 1
            before = on_or_before - pl.lit(self.workday).gather(index).cast(pl.Int64)
            nth = before + days + 1
        valid = (nth >= 1) & (nth <= self.dates.len())
        return pl.lit(self.dates).gather(pl.when(valid).then(nth - 1))

    def with_position(
        self, frame: pl.DataFrame, instant: str, name: str, zones: Sequence[str]
    ) -> pl.DataFrame:
        """``frame`` with ``name``: the working time (microseconds) from the start of
        ``first`` to each row's ``instant`` (a UTC datetime column; the rows in their
        ``timezone``).  An instant on a day that is not worked stands at the start of the next
        working day; null beyond the days laid out."""

        dated = frame.with_columns(
            self._index(dates_in_zones("timezone", zones, pl.col(instant))).alias("_wt_index")
        )
        index = pl.col("_wt_index")

        def build(zone: str) -> pl.Expr:
            starts, before = self.zones[zone]
            since = pl.col(instant).dt.epoch("us") - pl.lit(starts).gather(index)
            worked = pl.lit(self.workday).gather(index)
            return pl.lit(before).gather(index) + pl.when(worked).then(since).otherwise(0)

        position = in_zones("timezone", zones, build, pl.Int64())
        return dated.with_columns(position.alias(name)).drop("_wt_index")

    def with_instant(
        self, frame: pl.DataFrame, position: str, name: str, zones: Sequence[str]
    ) -> pl.DataFrame:
        """``frame`` with ``name``: the earliest instant (UTC datetime) at each row's
        ``position`` (see ``with_position``) in its ``timezone``, so the end of a working day
        rather than the start of the next one after a weekend; null beyond the days laid out."""

        # the first date with at least ``position`` of working time before it: the day before
        # it is worked (the time before grew), and the position lies in it or at its end
        def first_after(zone: str) -> pl.Expr:
            before = self.zones[zone][1]
            return pl.lit(before).search_sorted(pl.col(position), side="left").cast(pl.Int64)

        after = in_zones("timezone", zones, first_after, pl.Int64())
        inside = pl.col(position).is_not_null() & (after >= 1) & (after <= self.workday.len())
        found = frame.with_columns(pl.when(inside).then(after - 1).alias("_wt_day"))
        day = pl.col("_wt_day")

        def build(zone: str) -> pl.Expr:
            starts, before = self.zones[zone]
            return pl.lit(starts).gather(day) + pl.col(position) - pl.lit(before).gather(day)

        micros = in_zones("timezone", zones, build, pl.Int64())
        instant = pl.from_epoch(micros, time_unit="us").dt.replace_time_zone("UTC")
        return found.with_columns(instant.alias(name)).drop("_wt_day")


def _day_starts(dates: pl.Series, zone: str) -> pl.Series:
    """The instant (epoch microseconds) each local date begins in ``zone``: its midnight, or
    where a clock change skips midnight, the first local time after it."""
    naive = dates.cast(pl.Datetime("us"))
    tries = [
        (naive + dt.timedelta(hours=hours))
        .dt.replace_time_zone(zone, ambiguous="earliest", non_existent="null")
        .dt.epoch("us")
        for hours in (0, 1, 2)
    ]
    return pl.select(pl.coalesce(tries)).to_series()


def _within_coverage(
    calendar: WorkingCalendar, low: dt.date, high: dt.date, start: dt.date, end: dt.date
) -> tuple[dt.date, dt.date]:
    """``low`` and ``high`` pulled in to the years around start..end the calendar covers."""
    for year in range(start.year - 1, low.year - 1, -1):
        if not calendar.covers(year):
            low = dt.date(year + 1, 1, 1)
            break
    for year in range(end.year + 1, high.year + 1):
        if not calendar.covers(year):
            high = dt.date(year - 1, 12, 31)
            break
    return low, high


def lay_out(
    calendar: WorkingCalendar,
    start: dt.date,
    end: dt.date,
    zones: Sequence[str],
    *,
    before: int,
    after: int,
    through: dt.date | None = None,
) -> WorkingDays:
    """The days from ``before`` working days before ``start`` to ``after`` working days after
    ``end`` and through ``through`` (at most ``MAX_REACH`` past ``end``), as far as the
    calendar has data.  Every year from ``start`` to ``end`` must be covered
    (``CalendarError`` otherwise, as for attendance)."""
    reach = min(max(through or end, end), end + MAX_REACH)
    low_margin, high_margin = 2 * before + 7, 2 * after + 7
    while True:
        wanted_low = start - low_margin * _DAY
        wanted_high = max(end + min(high_margin * _DAY, MAX_REACH), reach)
        low, high = _within_coverage(calendar, wanted_low, wanted_high, start, end)
        kinds = calendar.day_kinds(low, high)
        workday = kinds.get_column("is_workday")
        dates = kinds.get_column("date")
        worked_before = int(workday.filter(dates < start).sum())
        worked_after = int(workday.filter(dates > end).sum())
        low_done = low > wanted_low or worked_before >= before or low_margin * _DAY > MAX_REACH
        high_done = high < wanted_high or worked_after >= after or high_margin * _DAY >= MAX_REACH
        if low_done and high_done:
            break
        low_margin *= 1 if low_done else 2
        high_margin *= 1 if high_done else 2
    count = workday.cast(pl.Int64).cum_sum()
    bounds = pl.concat([dates, pl.Series([high + _DAY], dtype=pl.Date)])
    per_zone: dict[str, tuple[pl.Series, pl.Series]] = {}
    for zone in zones:
        starts = _day_starts(bounds, zone)
        lengths = starts.diff().slice(1)
        worked = pl.select(pl.when(workday).then(lengths).otherwise(0)).to_series()
        time_before = pl.concat([pl.Series([0], dtype=pl.Int64), worked.cum_sum()])
        per_zone[zone] = (starts, time_before)
    return WorkingDays(low, workday, count, dates.filter(workday), per_zone)
