"""Records into the live engine: validated by the batch validator, kept while they matter.

``post`` only queues a record (with its reference, ``source:line``); the queue is validated
in chunks by ``sales_policy.tables.build_tables``, the batch engine's own validator, so a record
is accepted or rejected for exactly the batch engine's reasons.  A chunk is validated when it
is full, and always before days are closed.  The employees in a chunk with a timezone of their
own go in with it (first, as employee records), so naive timestamps are read in the
employee's timezone.

An employee's record posted again (a staff list exported again, with ``left_on`` for those
who left) is merged into the one accepted, as a batch run merges an employee's rows, as far
as the days already closed allow (``staff``).  Such a record opens a chunk of its own (the
queue before it is validated first: ``opens_chunk``), so it merges into every record of the
employee accepted before it, and the records after it are read with what it adds.

On top of the batch validator's reasons, the live engine rejects:

- a record whose id (request_id, record_id, order_id, contract_id) was accepted in an
  earlier chunk: "duplicate request_id 'R1'", as the batch engine;
- a record dated on or before a day of its employee that is already closed (its first required
  date or date-time, in the employee's local time; a punch, a visit or an overtime request on
  its attendance day, the date before for a time before the schedule's ``day_start``): facts
  of closed days are final;
- an employee record posted after other records of that employee were accepted (and no
  employee record of theirs accepted before it): it sets their timezone and working days, so
  it must come first (an employee record posted behind records of the employee still queued
  has them validated first: records rejected set nothing);
- an employee record posted again that differs from the one accepted (the batch engine's
  reasons), or adds what would change days already closed (``staff``).

Accepted records are kept as record tables (the columns ``build_tables`` gives) and dropped
once no open day, month or window can read them (``kept``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from pydantic import BaseModel

from ..errors import kind_of
from ..overlaps import unique_key
from ..tables import RecordTables, build_tables
from ..validation import REF
from .kept import KeptRecords
from .posted import PRESENCE, first_date_field, record_kind

_POSITION = "_position"


@dataclass
class Queued:
    ref: int
    record: Any
    employee_id: str | None
    #: a reason to reject it found when it was posted (wrong kind of object, order)
    reason: str | None = None
    #: an employee record of an employee with one accepted: merged into it (``Staff``)
    update: bool = False
    #: other records of its employee were accepted before it
    after_others: bool = False


@dataclass
class Chunk:
    """What one validation pass did."""

    accepted: int = 0
    rejected: int = 0
    new_employees: set[str] = field(default_factory=set)
    #: employees given a timezone of their own by a record posted again
    rezoned: set[str] = field(default_factory=set)


class Intake(KeptRecords):
    """The queue, the rejects, and the accepted records kept (``KeptRecords``); see the
    module docstring."""

    def __init__(
        self, policy_timezone: str, sources: list[str], day_start: dt.time = dt.time(0)
    ) -> None:
        super().__init__(policy_timezone, sources, day_start)
        self.queue: list[Queued] = []
        #: the employees with an employee record in the queue
        self.queued_employees: set[str] = set()
        #: whether the queue holds a record other than an employee record posted again
        self.others_queued = False
        #: the employees with a record other than an employee record in the queue
        self.queued_others: set[str] = set()
        self.keys: dict[str, set[str]] = {}
        self.rejects: list[dict[str, Any]] = []
        #: the employees with an accepted record other than an employee record
        self.with_records: set[str] = set()
        self.employees: set[str] = set()
        #: the record types with an accepted record, of anyone
        self.present: set[str] = set()
        #: per employee, the record types with an accepted record of theirs
        self.own_types: dict[str, set[str]] = {}
        self.accepted = 0
        #: earliest attendance day of an accepted punch or visit (the batch default period's
        #: start)
        self.first_presence: dt.date | None = None
        #: earliest local date of any accepted dated record (the start of the batch engine's
        #: period without punches or visits)
        self.first_date: dt.date | None = None

    # ------------------------------------------------------------------ posting

    def opens_chunk(self, kind: str | None, employee: str | None) -> bool:
        """Whether the queue must be validated before a record (of this ``record_kind``)
        joins it: an employee record of an employee with one queued, or with other records
        queued, or one posted again behind other records.  So an employee record posted
        again merges into the records accepted before it, and is merged before the records
        after it are read (a timezone it adds reads them); and an employee record is told
        from the employee's records accepted before it, not from those rejected."""
        if kind != "employee" or not employee:
            return False
        return (
            employee in self.queued_employees
            or employee in self.queued_others
            or (employee in self.staff and self.others_queued)
        )

    def add(self, ref: int, record: Any, kind: str | None, employee: str | None) -> None:
        """Queue a posted record, of this ``record_kind``; note what can be told now (see the
        module docstring).  Ask ``opens_chunk`` first."""
        reason = None
        update = False
        if not isinstance(record, Mapping | BaseModel):
            reason = (
                "expected an object (a record model or a dict as in the JSONL format), "
                f"found {kind_of(record)}"
            )
        elif kind == "employee" and employee in self.staff:
            update = True
        elif kind == "employee" and employee in self.with_records:
            reason = (
                f"the employee record of {employee} came after other records of {employee}; "
                "post employee records first (they set the timezone and the working days)"
            )
        elif kind is not None and kind != "employee" and employee:
            self.queued_others.add(employee)
        if kind == "employee" and employee and reason is None:
            self.queued_employees.add(employee)
        self.others_queued |= not update
        after_others = update and employee in self.with_records
        if isinstance(record, Mapping):
            # a copy: the queue is validated later, and a caller may fill one dict for each
            # record (a record model is frozen); every field's value is a scalar
            record = dict(record)
        self.queue.append(Queued(ref, record, employee, reason, update, after_others))

    def _reject(self, ref: int, reason: str, **extra: Any) -> None:
        self.rejects.append(
            {
                "source": self.sources[ref >> 32],
                "line": ref & 0xFFFFFFFF,
                "record_type": extra.get("record_type"),
                "field": extra.get("field"),
                "value": extra.get("value"),
                "reason": reason,
            }
        )

    # ------------------------------------------------------------------ validating

    def flush(self, start: dt.date | None, closed: Mapping[str, dt.date]) -> Chunk:
        """Validate the queue; accepted rows join the record tables."""
        chunk = Chunk()
        queued, self.queue = self.queue, []
        self.queued_employees, self.others_queued, self.queued_others = set(), False, set()
        items = []
        for entry in queued:
            if entry.reason is not None:
                record_type, _ = record_kind(entry.record)
                self._reject(entry.ref, entry.reason, record_type=record_type)
                chunk.rejected += 1
            else:
                items.append(entry)
        # employee records posted again come first in a chunk (``opens_chunk``)
        updates = [i for i in items if i.update]
        if updates:
            self._merge(updates, start, closed, chunk)
            items = items[len(updates) :]
        if not items:
            return chunk
        # Context for employees with a timezone of their own; for the others the validator's
        # default, the policy's timezone, is theirs.
        helpers = [
            {
                "type": "employee",
                "employee_id": e,
                "name": self.staff.rows[e]["name"],
                "timezone": self.zone(e),
            }
            for e in sorted({i.employee_id for i in items if i.employee_id})
            if e in self.staff and self.zone(e) != self.policy_timezone
        ]
        tables = self._validated(helpers, items, chunk)
        offset = len(helpers)
        refs = pl.Series(REF, [i.ref for i in items], dtype=pl.Int64)
        # employees first: their timezones date the other records
        for record_type in sorted(tables.tables, key=lambda t: t != "employee"):
            frame = tables.tables[record_type].filter(pl.col(REF) > offset)
            positions = (frame.get_column(REF) - offset - 1).alias(_POSITION)
            frame = frame.with_columns(refs.gather(positions), positions)
            accepted, rejected = self._checks(record_type, frame, start, closed)
            chunk.rejected += rejected
            if accepted.is_empty():
                continue
            chunk.accepted += accepted.height
            self.accepted += accepted.height
            accepted = accepted.drop(_POSITION)
            if record_type == "employee":
                for row in accepted.iter_rows(named=True):
                    self.staff.take(row)
            self._keep(record_type, accepted, chunk)
        return chunk

    def _validated(self, helpers: list[Any], items: list[Queued], chunk: Chunk) -> RecordTables:
        """``build_tables`` over the helpers (records accepted before, there to give context)
        and the items; the items it rejects are rejected."""
        tables = build_tables(
            [*helpers, *(i.record for i in items)],
            policy_timezone=self.policy_timezone,
            merge_employees=False,  # an employee's records are merged here (``_merge``)
        )
        for reject in tables.rejects.iter_rows(named=True):
            position = reject["line"] - len(helpers) - 1
            if position < 0:
                continue  # a helper: accepted before, and here only to give context
            self._reject(
                items[position].ref,
                reject["reason"],
                record_type=reject["record_type"],
                field=reject["field"],
                value=reject["value"],
            )
            chunk.rejected += 1
        return tables

    def _merge(
        self,
        updates: list[Queued],
        start: dt.date | None,
        closed: Mapping[str, dt.date],
        chunk: Chunk,
    ) -> None:
        """Employee records posted again (of distinct employees, each with an accepted
        record), validated on their own, then merged into the records accepted (``Staff``),
        or rejected for why they cannot be."""
        tables = self._validated([], updates, chunk)
        frame = tables.tables.get("employee")
        if frame is None or frame.is_empty():
            return
        merged = []
        for row in frame.iter_rows(named=True):
            entry = updates[row[REF] - 1]
            employee_id = row["employee_id"]
            row[REF] = entry.ref
            refused = self.staff.merge(
                row,
                self.sources,
                after_others=entry.after_others,
                start=start,
                through=closed.get(employee_id),
            )
            if refused is not None:
                name, reason = refused
                value = row[name]
                self._reject(
                    entry.ref,
                    reason,
                    record_type="employee",
                    field=name,
                    value=None if value is None else str(value),
                )
                chunk.rejected += 1
                continue
            chunk.accepted += 1
            self.accepted += 1
            merged.append(self.staff.rows[employee_id])
            zone = self.staff.rows[employee_id]["timezone"] or self.policy_timezone
            if zone != self.zone(employee_id):
                self.zones[employee_id] = zone
                chunk.rezoned.add(employee_id)
        if merged:
            table = self.tables["employee"]
            self.tables["employee"] = table.update(
                pl.DataFrame(merged, schema=table.schema, orient="row"), on="employee_id"
            )

    def _checks(
        self,
        record_type: str,
        frame: pl.DataFrame,
        start: dt.date | None,
        closed: Mapping[str, dt.date],
    ) -> tuple[pl.DataFrame, int]:
        """Duplicates of ids accepted earlier, and records for days already closed."""
        rejected = 0
        key = unique_key(record_type)
        if key is not None and key in frame.columns:
            seen = self.keys.setdefault(record_type, set())
            # a set lookup per row of the chunk: the ids seen grow with every record
            again = pl.Series(
                [v in seen for v in frame.get_column(key).to_list()], dtype=pl.Boolean
            )
            repeated = frame.filter(again)
            for ref, value in zip(repeated.get_column(REF), repeated.get_column(key), strict=True):
                self._reject(
                    ref,
                    f"duplicate {key} '{value}'",
                    record_type=record_type,
                    field=key,
                    value=value,
                )
                rejected += 1
            frame = frame.filter(~again)
        spec = first_date_field(record_type)
        if spec is not None and closed and not frame.is_empty():
            dates = self.record_dates(record_type, frame, spec)
            ids = list(closed)
            closed_through = frame.get_column("employee_id").replace_strict(
                ids, [closed[i] for i in ids], default=None, return_dtype=pl.Date
            )
            # a day before start is closed with the first day closed
            judged = dates if start is None else dates.clip(lower_bound=start)
            late = (judged <= closed_through).fill_null(False)
            for ref, employee_id, day, through in zip(
                frame.filter(late).get_column(REF),
                frame.filter(late).get_column("employee_id"),
                dates.filter(late),
                closed_through.filter(late),
                strict=True,
            ):
                self._reject(
                    ref,
                    f"dated {day}, but the days of {employee_id} through {through} are already "
                    "closed; a record must be posted before its day closes",
                    record_type=record_type,
                    field=spec.name,
                    value=str(day),
                )
                rejected += 1
            frame = frame.filter(~late)
        return frame, rejected

    def _keep(self, record_type: str, frame: pl.DataFrame, chunk: Chunk) -> None:
        key = unique_key(record_type)
        if key is not None and key in frame.columns:
            self.keys.setdefault(record_type, set()).update(
                v for v in frame.get_column(key).to_list() if v is not None
            )
        if record_type == "employee":
            for employee_id, zone in zip(
                frame.get_column("employee_id"), frame.get_column("timezone"), strict=True
            ):
                self.zones[employee_id] = zone or self.policy_timezone
        seen = frame.get_column("employee_id").unique().to_list()
        if record_type != "employee":
            self.with_records.update(seen)
        self.present.add(record_type)
        for employee_id in seen:
            self.own_types.setdefault(employee_id, set()).add(record_type)
        new = set(seen) - self.employees
        self.employees |= new
        chunk.new_employees |= new
        spec = first_date_field(record_type)
        if spec is not None:
            presence = record_type in PRESENCE
            dates = self.record_dates(record_type, frame, spec, attendance=presence)
            earliest = dates.min()
            if isinstance(earliest, dt.date):
                self.first_date = min(self.first_date or earliest, earliest)
                if presence:
                    self.first_presence = min(self.first_presence or earliest, earliest)
        old = self.tables.get(record_type)
        self.tables[record_type] = frame if old is None else pl.concat([old, frame])
