"""Employee records in the live engine: an employee's record posted again is merged into the
one accepted, as a batch run merges an employee's rows, as far as the days closed allow.

A batch run reads the rows of one ``employee_id`` as snapshots of one employee
(``sales_policy.employees``, docs/inputs.md): a later row may repeat the earlier ones and give
fields they left empty (a later staff export's ``left_on``); a row giving another value for a
field, or a ``left_on`` before the merged ``hired_on``, is rejected, naming the row that gave
the other value.  The live engine judges a record posted again the same way, with the batch
engine's reasons (the row named is the earlier record's reference in the monitor), and then
rejects a record whose fields added would change days already judged:

- ``left_on``, when a day after it has closed for the employee (judged as a working day);
- ``hired_on``, when a day from the monitor's ``start`` before it has closed (judged as a
  day employed);
- ``timezone``, when other records of the employee were accepted before it (their naive
  timestamps were read in the timezone the employee had) or a day of theirs has closed (it
  ended at midnight there, or at the schedule's ``day_start``), as a first employee record
  must come before those.

``name``, ``team`` and ``supervisor_id`` added are taken: no day's facts read them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..employees import employee_conflict  # the batch engine's reasons
from ..validation import REF


class Staff:
    """The employees with an accepted employee record: each one's record merged so far (the
    columns ``build_tables`` gives, with the first record's reference) and, per field, the
    reference of the record that gave it."""

    def __init__(self, policy_timezone: str, day_start: dt.time = dt.time(0)) -> None:
        self.policy_timezone = policy_timezone
        #: when a day ends, as a reason says it: at the schedule's day start
        self.day_ends = (
            "midnight"
            if day_start == dt.time(0)
            else day_start.isoformat("minutes" if day_start.second == 0 else "seconds")
        )
        self.rows: dict[str, dict[str, Any]] = {}
        self.given_by: dict[str, dict[str, int]] = {}

    def __contains__(self, employee_id: object) -> bool:
        return employee_id in self.rows

    def take(self, row: dict[str, Any]) -> None:
        """An employee's first record, accepted."""
        employee_id = row["employee_id"]
        self.rows[employee_id] = dict(row)
        named = (name for name, value in row.items() if value is not None and name != REF)
        self.given_by[employee_id] = dict.fromkeys(named, row[REF])

    def merge(
        self,
        row: dict[str, Any],
        sources: list[str],
        *,
        after_others: bool,
        start: dt.date | None,
        through: dt.date | None,
    ) -> tuple[str, str] | None:
        """Merge an employee's record posted again (validated, ``row[REF]`` its reference);
        or, when it cannot be, the field it is rejected for and why (see the module
        docstring).  ``after_others``: records of the employee were accepted before it;
        ``through``: the employee's last day closed (None: none)."""
        employee_id = row["employee_id"]
        held, given = self.rows[employee_id], self.given_by[employee_id]
        conflict = employee_conflict(row, held, given, sources)
        if conflict is not None:
            return conflict
        added = {
            name: value
            for name, value in row.items()
            if name != REF and value is not None and held.get(name) is None
        }
        reason = self._changes_closed_days(employee_id, added, after_others, start, through)
        if reason is not None:
            return reason
        held.update(added)
        given.update(dict.fromkeys(added, row[REF]))
        return None

    def _changes_closed_days(
        self,
        employee_id: str,
        added: dict[str, Any],
        after_others: bool,
        start: dt.date | None,
        through: dt.date | None,
    ) -> tuple[str, str] | None:
        """Why the fields ``added`` would change what was read or judged already, if so."""
        left_on, hired_on, zone = added.get("left_on"), added.get("hired_on"), added.get("timezone")
        if left_on is not None and through is not None and left_on < through:
            return "left_on", (
                f"gives left_on {left_on}, but the days of {employee_id} through {through} are "
                "already closed, judged as working days; a left_on must be posted before the "
                "day after it closes"
            )
        if hired_on is not None and through is not None and start is not None and start < hired_on:
            return "hired_on", (
                f"gives hired_on {hired_on}, but the days of {employee_id} through {through} are "
                f"already closed, judged as days employed from {start}; a hired_on must be "
                "posted before the first day judged closes"
            )
        # a timezone added: the employee had the policy's
        if zone is not None and after_others:
            return "timezone", (
                f"gives timezone {zone}, but records of {employee_id} were posted before it, "
                f"read in {self.policy_timezone}; a timezone must come before the employee's "
                "other records"
            )
        if zone is not None and through is not None:
            return "timezone", (
                f"gives timezone {zone}, but the days of {employee_id} through {through} are "
                f"already closed, ending at {self.day_ends} in {self.policy_timezone}; a "
                "timezone must "
                "come before the employee's days close"
            )
        return None
