"""Fact derivation: record tables in, one table per fact grain out (see ``schema``).

Each rule set's derivation is a module with ``TABLES`` (its fact schemas) and
``derive(context) -> {table name: DataFrame}``; attendance also decides the default period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from ..calendar import Schedule, WorkingCalendar
from ..callerwords import said
from ..errors import CalendarError, InvalidArgument
from ..recordfields import fields_of
from ..tables import RecordTables
from ..validation import REF, ref_text_of
from ..zones import dates_in_zones
from . import assessment, attendance, confidentiality, customer_care, discipline, integrity
from .outside_dates import dated_outside
from .schema import FACT_TABLES, FactColumn, FactTable, fact_table, register

__all__ = [
    "FACT_TABLES",
    "FactColumn",
    "FactContext",
    "FactTable",
    "derive_facts",
    "fact_table",
    "sources_of",
]

_MODULES = (discipline, integrity, confidentiality, customer_care, assessment)
for _module in _MODULES:
    register(*_module.TABLES)

#: the records that make a derivation applicable: a rule set whose records are all absent is
#: not judged (an attendance export alone says nothing about market reports), and the result
#: says so.  Employee records count for attendance: they say who is scheduled.
RECORD_TYPES: dict[str, tuple[str, ...]] = {
    "attendance": ("employee", "punch", "leave_request", "overtime_request", "customer_visit"),
    "discipline": ("outside_work", "conduct_incident"),
    "integrity": ("quote", "complaint", "order", "gift"),
    "confidentiality": ("data_access",),
    "customer_care": (
        "contract",
        "customer_contact",
        "customer_inquiry",
        "visit_plan",
        "customer_profile",
        "market_report",
        "customer_assignment",
    ),
    "assessment": assessment.ASSESSMENT_TYPES,
}
_TABLE_SOURCES = {
    **{t: "attendance" for t in ("workday", "leave", "post_gap", "employee_month")},
    **{t.name: m.__name__.rsplit(".", 1)[-1] for m in _MODULES for t in m.TABLES},
}


def sources_of(fact_table_name: str) -> tuple[str, ...]:
    """The record types whose presence makes a stage-1 fact table judged."""
    return RECORD_TYPES[_TABLE_SOURCES[fact_table_name]]


@dataclass(frozen=True)
class FactContext:
    """What a rule set's derivation gets: the records, the period, parameters, employees."""

    tables: RecordTables
    start: dt.date
    end: dt.date
    params: Mapping[str, Any]
    policy_timezone: str
    calendar: WorkingCalendar
    schedule: Schedule
    #: every employee seen in any record: employee_id, timezone, hired_on, left_on
    employees: pl.DataFrame

    @property
    def zone_names(self) -> list[str]:
        return sorted(self.employees.get_column("timezone").unique().to_list())

    def table(self, record_type: str) -> pl.DataFrame:
        """A record table with each row's employee ``timezone`` joined."""
        return self.tables.table(record_type).join(
            self.employees.select("employee_id", "timezone"), on="employee_id", how="left"
        )

    def local_date(self, column: str) -> pl.Expr:
        """The local date (employee's timezone) of a UTC datetime column of ``table()``."""
        return _local_date(column, self.zone_names)

    def owed(self, rows: pl.DataFrame, due_on: pl.Expr, param: str) -> pl.DataFrame:
        """``rows`` less the duties that fall due after their employee's ``left_on``, when the
        bool parameter ``param`` is true (docs/assumptions.md): ``due_on`` is the local date
        a row's duty is due, null for one beyond the calendar's data (after the period's
        end).  One due on ``left_on`` is owed, as is every duty of an employee without it."""
        if not self.params[param]:
            return rows
        after_end = self.end + dt.timedelta(days=1)
        left = self.employees.select("employee_id", pl.col("left_on").alias("_left_on"))
        return (
            rows.join(left, on="employee_id", how="left", maintain_order="left")
            .filter(
                pl.col("_left_on").is_null() | (due_on.fill_null(after_end) <= pl.col("_left_on"))
            )
            .drop("_left_on")
        )


def _local_date(column: str, zones: list[str]) -> pl.Expr:
    return dates_in_zones("timezone", zones, pl.col(column))


def _employees(tables: RecordTables, policy_timezone: str, seen: pl.Series) -> pl.DataFrame:
    people = tables.table("employee").select("employee_id", "timezone", "hired_on", "left_on")
    return (
        seen.to_frame("employee_id")
        .join(people, on="employee_id", how="left")
        .with_columns(pl.col("timezone").fill_null(policy_timezone))
    )


def _fallback_period(
    tables: RecordTables, employees: pl.DataFrame
) -> tuple[dt.date, dt.date] | None:
    """Without punches or visits: first to last local date of any dated record."""
    zones = sorted(employees.get_column("timezone").unique().to_list())
    dates = []
    for record_type, table in tables.tables.items():
        for spec in fields_of(record_type):
            if not spec.required or spec.kind not in ("datetime", "date"):
                continue
            column = table.join(employees.select("employee_id", "timezone"), on="employee_id")
            if spec.kind == "date":
                dates.append(column.get_column(spec.name))
            else:
                dates.append(column.select(_local_date(spec.name, zones)).to_series())
            break
    found = pl.concat(dates).drop_nulls() if dates else pl.Series([], dtype=pl.Date)
    if found.is_empty():
        return None
    return found.min(), found.max()  # type: ignore[return-value]


#: the dates a period may hold: a check reads the days, the months and, for an assessment, the
#: period before its own around them, which ``datetime.date`` holds from years 1 to 9999
FIRST_JUDGED, LAST_JUDGED = dt.date(2, 1, 1), dt.date(9998, 12, 31)


def _taken_from(
    start: dt.date,
    end: dt.date,
    given: tuple[bool, bool],
    prepared: attendance.Prepared,
    sources: list[str],
) -> str:
    """Which rows set a period the punches and visits dated, ``start`` and ``end`` where not
    ``given``: a year typed wrong, 2062 for 2026, is the usual cause of a period that cannot
    be judged."""
    evidence = pl.concat(
        [prepared.punches.select("date", REF), prepared.visits.select("date", REF)]
    )
    ends = []
    for day, was_given, word in ((start, given[0], "first"), (end, given[1], "last")):
        if not was_given:
            ref = evidence.filter(pl.col("date") == day).get_column(REF).min()
            row = ref_text_of(ref, sources) if isinstance(ref, int) else "?"
            ends.append(f"its {word} date, {day}, is that of {row}")
    return (
        "The period was taken from the punches and visits, as "
        f"{'no end was' if any(given) else 'neither start nor end was'} given: {'; '.join(ends)}"
    )


def _check_years(
    calendar: WorkingCalendar,
    start: dt.date,
    end: dt.date,
    given: tuple[bool, bool],
    prepared: attendance.Prepared,
    sources: list[str],
) -> None:
    """A period the records set reaching a year without calendar data: the ``CalendarError``
    says which rows set it (a year typed wrong, 2062 for 2026, is the usual cause)."""
    try:
        calendar.check_covered(dt.date(year, 1, 1) for year in range(start.year, end.year + 1))
    except CalendarError as exc:
        raise CalendarError(
            f"{exc}.  {_taken_from(start, end, given, prepared, sources)}"
        ) from None


def _beyond(start: dt.date, end: dt.date, taken_from: str) -> InvalidArgument:
    """A period beyond the dates a check can judge (``FIRST_JUDGED`` to ``LAST_JUDGED``): a
    year typed wrong, which a calendar of every year (``country: null``) does not stop;
    ``taken_from`` names the rows that set it where the records did."""
    return InvalidArgument(
        f"the period {start} to {end} reaches beyond the dates a check can judge, "
        f"{FIRST_JUDGED} to {LAST_JUDGED} (it reads the months around its period): "
        f"a year typed wrong?{'  ' + taken_from if taken_from else ''}"
    )


def derive_facts(
    tables: RecordTables,
    *,
    calendar: WorkingCalendar,
    schedule: Schedule,
    policy_timezone: str,
    start: dt.date | None,
    end: dt.date | None,
    params: Mapping[str, Any],
    release_punches: bool = False,
    outside: dict[str, pl.DataFrame] | None = None,
) -> tuple[dict[str, pl.DataFrame], tuple[dt.date, dt.date] | None, pl.DataFrame]:
    """Every fact table, the evaluation period used (None when nothing is to be judged), and
    the employees seen (employee_id, timezone, hired_on, left_on).

    With ``release_punches``, when only attendance records are present, the punch table is
    released from ``tables`` once they are prepared (``RecordTables.release``): a month's
    punches are the bulk of its records (~100 MB for a million), and deriving the facts, the
    check's largest step in memory, does without them.  (The other rule sets' derivations
    may read every record: customer care dates an employee's active months by them.)

    With ``outside``, the dates of the rows lying outside the period are put in it, per
    record type (``outside_dates.dated_outside``): of the punches, from their attendance
    days before the punches are released."""
    inputs = attendance.Inputs.of(tables)
    prepared = attendance.prepare(inputs, policy_timezone, schedule.day_start)
    # every employee seen: those of the attendance records (prepared), then the others
    seen = [prepared.zones.get_column("employee_id")] + [
        table.get_column("employee_id").unique(maintain_order=True)
        for name, table in tables.tables.items()
        if name not in RECORD_TYPES["attendance"]
    ]
    employees = _employees(tables, policy_timezone, pl.concat(seen).unique(maintain_order=True))
    # Attendance's default period is the dates of punches and visits (handbook days with
    # presence evidence); without them, other rule sets take the dates of their own records
    # and attendance is not judged unless the period is given.
    attendance_period = True
    given = (start is not None, end is not None)
    if start is None or end is None:
        found = prepared.period()
        if found is None:
            attendance_period = False
            found = _fallback_period(tables, employees)
        if found is None:
            return {}, None, employees
        evidence = "a punch or a visit" if attendance_period else "a record"
        if start is not None and start > found[1]:
            raise InvalidArgument(
                f"the period starts on {start}, after {found[1]}, the last date with "
                f"{evidence}, where it ends when no end is given: give its end as well "
                f"({said('--to', 'end')})"
            )
        if end is not None and end < found[0]:
            raise InvalidArgument(
                f"the period ends on {end}, before {found[0]}, the first date with "
                f"{evidence}, where it starts when no start is given: give its start as well "
                f"({said('--from', 'start')})"
            )
        start, end = start or found[0], end or found[1]
        if attendance_period:
            _check_years(calendar, start, end, given, prepared, tables.sources)
    if start < FIRST_JUDGED or end > LAST_JUDGED:
        if all(given):
            raise _beyond(start, end, "")
        if attendance_period:
            raise _beyond(start, end, _taken_from(start, end, given, prepared, tables.sources))
        raise _beyond(start, end, "The period was taken from the records' dates, not given")
    if outside is not None:
        outside.update(dated_outside(prepared, tables, employees, start, end, schedule.day_start))
    present = {name for name, table in tables.tables.items() if table.height}
    later = [m for m in _MODULES if present & set(RECORD_TYPES[m.__name__.rsplit(".", 1)[-1]])]
    if release_punches and not later:  # customer care, for one, dates the records of all types
        del inputs
        tables.release("punch")
    facts: dict[str, pl.DataFrame] = {}
    if attendance_period and present & set(RECORD_TYPES["attendance"]):
        facts = attendance.derive(
            prepared,
            calendar=calendar,
            schedule=schedule,
            start=start,
            end=end,
            params=params,
        )
    context = FactContext(
        tables, start, end, params, policy_timezone, calendar, schedule, employees
    )
    for module in later:
        facts.update(module.derive(context))
    return facts, (start, end), employees
