"""The records the live engine keeps: the accepted records as record tables (the columns
``build_tables`` gives), read by the batch derivation for the employees whose days close
(``record_tables``), and dropped once no open day, month or window can read them (``prune``).
``intake`` fills them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import polars as pl

from ..calendar import since_midnight_us
from ..rawframes import REJECT_SCHEMA
from ..recordfields import FieldSpec
from ..tables import RecordTables
from ..validation import REF
from .posted import ATTENDANCE_DAY, first_date_field, local_dates
from .staff import Staff

#: record types read only for the local dates they fall on: dropped once the month of that
#: date has closed for the employee (field: the instant or date after which it is not read)
PRUNABLE: dict[str, str] = {
    "punch": "at",
    "leave_request": "end",
    "overtime_request": "end",
    "conduct_incident": "at",
    "quote": "at",
    "complaint": "at",
    "gift": "at",
    "data_access": "at",
}
#: record types other employees' facts read (a customer's purchases and assignments)
SHARED: tuple[str, ...] = ("customer_assignment", "order", "contract")


class KeptRecords:
    """The accepted record tables, by record type, with each employee's timezone and the
    employees with an employee record (``Staff``)."""

    def __init__(
        self, policy_timezone: str, sources: list[str], day_start: dt.time = dt.time(0)
    ) -> None:
        self.policy_timezone = policy_timezone
        self.sources = sources
        #: the schedule's day start in microseconds: punches, visits and overtime requests
        #: before it are dated on the day before (``record_dates``)
        self.day_start_us = since_midnight_us(day_start)
        self.tables: dict[str, pl.DataFrame] = {}
        self.zones: dict[str, str] = {}
        self.staff = Staff(policy_timezone, day_start)

    def zone(self, employee_id: str) -> str:
        return self.zones.get(employee_id, self.policy_timezone)

    def record_dates(
        self, record_type: str, frame: pl.DataFrame, spec: FieldSpec, *, attendance: bool = True
    ) -> pl.Series:
        """The local date that dates each record of ``frame`` (by ``spec``, its
        ``first_date_field``), in its employee's timezone: the first day whose facts it can
        change, so a record for a closed day is found.  That is the attendance day for a
        punch, a visit or an overtime request (``ATTENDANCE_DAY``; with ``attendance``
        False, its local date, as the batch engine's fallback period reads it)."""
        dated = attendance and ATTENDANCE_DAY.get(record_type) == spec.name
        shift = self.day_start_us if dated else 0
        return local_dates(frame, spec.name, spec.kind, self.zones, self.policy_timezone, shift)

    def record_tables(self, employees: set[str] | None) -> RecordTables:
        """The kept records of these employees (all when None), as ``derive_facts`` reads
        them: with every employee's records of the SHARED types, and, for a type these
        employees have no record of, one record of it (the batch derivation judges a rule set
        only when its record types are present in the input; a record of another employee,
        or one from before the period, changes no fact of these employees' period)."""
        tables = {}
        for record_type, frame in self.tables.items():
            if employees is not None and record_type not in SHARED:
                mine = frame.filter(pl.col("employee_id").is_in(list(employees)))
                frame = mine if mine.height or frame.is_empty() else frame.tail(1)
            tables[record_type] = frame
        return RecordTables(
            tables=tables,
            rejects=pl.DataFrame(schema=REJECT_SCHEMA),
            sources=self.sources,
            read=0,
        )

    def prune(self, keep_from: Mapping[str, dt.date], *, monthly: bool = False) -> None:
        """Drop records of the PRUNABLE types that fall before their employee's keep_from,
        except each employee's latest of each type (it keeps the employee, and the type,
        present for the batch derivation, as in a batch run over everything).

        ``monthly``: also keep, of an employee without an employee record, the latest of each
        type dated in each month (by its first required date or date-time): such an employee
        is active in a month by a record dated in it, which a month judged later reads (the
        market report months, judged once the first market report arrives)."""
        if not keep_from:
            return
        ids = list(keep_from)
        for record_type, column in PRUNABLE.items():
            frame = self.tables.get(record_type)
            if frame is None or frame.is_empty():
                continue
            kind = "date" if frame.schema[column] == pl.Date else "datetime"
            dates = local_dates(frame, column, kind, self.zones, self.policy_timezone)
            keep = frame.get_column("employee_id").replace_strict(
                ids, [keep_from[i] for i in ids], default=None, return_dtype=pl.Date
            )
            order = pl.struct(column, REF).rank("ordinal", descending=True)
            latest = frame.select(order.over("employee_id") == 1).to_series()
            spec = first_date_field(record_type)
            if monthly and spec is not None:
                dated = local_dates(frame, spec.name, spec.kind, self.zones, self.policy_timezone)
                month = dated.dt.strftime("%Y-%m").alias("_month")
                of_month = frame.with_columns(month).select(
                    (order.over("employee_id", "_month") == 1)
                    & ~pl.col("employee_id").is_in(list(self.staff.rows))
                )
                latest = latest | of_month.to_series()
            stale = (dates < keep).fill_null(False) & ~latest
            if stale.any():
                self.tables[record_type] = frame.filter(~stale).rechunk()

    def running_visits(
        self, to: dt.datetime, since: dt.date
    ) -> dict[str, tuple[dt.date, dt.datetime]]:
        """Per employee with a customer visit not ended by the instant ``to`` on a day from
        ``since`` (the days before it are not judged): the earliest attendance day of such a
        visit, and the earliest end of one.  A day's overtime runs
        to its departure, a visit's end past the day's end too, and an overtime request
        starting before it may approve it (docs/attendance.md): posted in time order, such a
        request comes after the day has ended, so the day must not close before the visits
        begun on it have ended (``Monitor.advance``)."""
        frame = self.tables.get("customer_visit")
        if frame is None or frame.is_empty():
            return {}
        try:
            instant = to.astimezone(dt.UTC)
        except OverflowError:  # beyond the instants Python has: after every visit, or before
            if to.year > 1:
                return {}
            instant = dt.datetime.min.replace(tzinfo=dt.UTC)
        running = frame.filter(pl.col("end") > instant)
        spec = first_date_field("customer_visit")
        if running.is_empty() or spec is None:
            return {}
        days = self.record_dates("customer_visit", running, spec).alias("_day")
        first = (
            running.select("employee_id", days, "end")
            .filter(pl.col("_day") >= since)
            .group_by("employee_id")
            .agg(pl.col("_day").min(), pl.col("end").min())
        )
        return {employee: (day, end) for employee, day, end in first.iter_rows()}

    def punch_at(self, ref: int) -> dt.datetime | None:
        """The instant of the accepted punch posted as ``ref`` (None: not an accepted punch)."""
        frame = self.tables.get("punch")
        if frame is None:
            return None
        found = frame.filter(pl.col(REF) == ref).get_column("at")
        at = found[0] if len(found) else None
        return at if isinstance(at, dt.datetime) else None

    def size(self) -> int:
        return sum(frame.height for frame in self.tables.values())
