"""The live monitor: records in one at a time, findings out as soon as they are final.

``post`` queues a record for validation (``intake``); ``advance`` closes, for every employee
in their own timezone, the days that have ended, and has the judge (``judge``) derive facts
with the batch derivation (``derive_facts``) over the kept records of the employees whose days
close, from the earliest date not final yet to the day closing.  The rows that are final
(``finality``) go through durable_rules (``router``), and the rows that match become findings
with the batch engine's own code, so rule ids, evidence and sources are the batch engine's.
Second-stage rules (``finding_month``) count the findings emitted, per employee and month,
when the month closes.

The batch derivation has some tables' rows only when certain records are present
(``finality.scope_of``): absences only for employees with an attendance record, market report
months only once there is a market report.  When such a record first arrives after days of
an employee have closed, ``advance`` first judges those tables over the closed days
(``_catch_up``; ``finality.Backlog`` keeps who is owed them), as the batch engine judges them
over the whole period.
"""

from __future__ import annotations

import datetime as dt
import uuid
import weakref
from collections.abc import Iterable
from typing import Any

import polars as pl

from ..errors import InvalidArgument
from ..facts.schema import FACT_TABLES
from ..findings import CheckResult, Counts, Finding
from ..policy import Policy
from ..rawframes import REJECT_SCHEMA
from ..rejecttext import rejections_of
from .clock import earliest_close, last_ended, punch_instant
from .counts import LiveCounts
from .finality import Backlog, Ledger, month_end
from .intake import Intake
from .judge import Judge
from .posted import record_kind
from .rejections import Reason, Rejection
from .router import Router, TableRules

DEFAULT_SOURCE = "<records>"
_ONE_DAY = dt.timedelta(days=1)


class Monitor:
    """Judge records as they arrive; see the module docstring and docs/engines.md.

    ``start``: the first local date judged (default: the first date with a punch or visit
    posted before the first ``advance``, as the batch engine's default period).  ``end``: the
    last (default: none, the monitor runs on; month rows are final when their month closes and
    "as of the end" tables are never judged).  ``lateness``: when given, a posted punch moves
    the clock to its instant less ``lateness`` and may close days itself.  ``source`` names
    the records in findings' sources (``source:line``, line = the post's number, from 1)."""

    def __init__(
        self,
        policy: Policy,
        *,
        start: dt.date | None = None,
        end: dt.date | None = None,
        lateness: dt.timedelta | None = None,
        source: str = DEFAULT_SOURCE,
        chunk_size: int = 20_000,
    ) -> None:
        if not isinstance(policy, Policy):
            raise InvalidArgument(f"policy must be a Policy (load_policy()), got {policy!r}")
        for name, value in (("start", start), ("end", end)):
            if value is not None and (
                not isinstance(value, dt.date) or isinstance(value, dt.datetime)
            ):
                raise InvalidArgument(f"{name} must be a datetime.date, got {value!r}")
        if start is not None and end is not None and end < start:
            raise InvalidArgument(f"end {end} is before start {start}")
        if lateness is not None and (
            not isinstance(lateness, dt.timedelta) or lateness < dt.timedelta(0)
        ):
            raise InvalidArgument(f"lateness must be a timedelta of 0 or more, got {lateness!r}")
        if not isinstance(chunk_size, int) or isinstance(chunk_size, bool) or chunk_size < 1:
            raise InvalidArgument(f"chunk_size must be a whole number from 1, got {chunk_size!r}")
        if not isinstance(source, str):
            raise InvalidArgument(f"source must be a text like 'punches.jsonl', got {source!r}")
        self.policy = policy
        self.start, self.end, self.lateness = start, end, lateness
        self.chunk_size = chunk_size
        self._sources = [source]
        self._intake = Intake(policy.timezone, self._sources, policy.schedule.day_start)
        self._router = Router(uuid.uuid4().hex[:12])
        self._finalizer = weakref.finalize(self, self._router.close)
        self._ledger = Ledger()
        self._judge = Judge(policy, self._router, self._ledger)
        tables = [rules.table for rules in self._judge.stage1]
        self._month_tables = any(FACT_TABLES[t].grain == "month" for t in tables)
        self._backlog = Backlog(tables)
        self._closed: dict[str, dt.date] = {}
        self._clock: dt.datetime | None = None
        self._undelivered: list[pl.DataFrame] = []
        self._kept_from: dict[str, dt.date] = {}
        self._next_close: dt.datetime | None = None
        self._posted = 0
        self._findings = 0

    # ------------------------------------------------------------------ public

    def post(
        self, record: Any, *, source: str | None = None, line: int | None = None
    ) -> list[Finding]:
        """Take one record (a record model, or a dict as in the JSONL format with "type").

        Its reference is ``source:line`` (default: the monitor's source and the post's
        number).  Returns the findings it makes final: none, unless ``lateness`` is set and
        this punch moves the clock past the end of a day."""
        self._check_open()
        name = self._sources[0] if source is None else source
        number = self._posted + 1 if line is None else line
        if not isinstance(name, str):
            raise InvalidArgument(f"source must be a text like 'punches.jsonl', got {source!r}")
        if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number < 2**32:
            raise InvalidArgument(f"line must be a whole number from 1 to 2**32-1, got {line!r}")
        if name not in self._sources:
            self._sources.append(name)
        self._posted += 1
        ref = self._sources.index(name) << 32 | number
        kind, employee = record_kind(record)
        if self._intake.opens_chunk(kind, employee):
            self._flush()
        self._intake.add(ref, record, kind, employee)
        # With lateness, a punch may move the clock: only once it is accepted, at its instant
        # as validated (a naive one in its employee's timezone).
        lateness = self.lateness
        instant = None if lateness is None else punch_instant(record, self._intake.zone)
        moves = lateness is not None and instant is not None and self._passes(instant - lateness)
        if moves or len(self._intake.queue) >= self.chunk_size:
            self._flush()
        if moves and lateness is not None:
            at = self._intake.punch_at(ref)
            if at is not None and self._passes(at - lateness):
                return self.advance(at - lateness)
        return []

    def _passes(self, clock: dt.datetime) -> bool:
        """Whether the clock at ``clock`` closes a day (or there is no day to close yet)."""
        return self._next_close is None or clock >= self._next_close

    def flush(self) -> None:
        """Validate the records posted so far (``advance`` does this first)."""
        self._check_open()
        self._flush()

    def _flush(self) -> None:
        chunk = self._intake.flush(self.start, self._closed)
        if chunk.new_employees or chunk.rezoned:
            self._next_close = None

    def advance(self, to: dt.datetime) -> list[Finding]:
        """Close every day, month and window that has ended by the instant ``to``, for every
        employee in their own timezone (a day ends at the next day's ``day_start`` of the
        policy's schedule, midnight by default); return the findings that decides."""
        if not isinstance(to, dt.datetime) or to.tzinfo is None or to.utcoffset() is None:
            raise InvalidArgument(f"to must be a timezone-aware datetime, got {to!r}")
        self.flush()
        if self._clock is not None and to <= self._clock:
            return []
        if self.start is None:
            self.start = self._intake.first_presence or self._intake.first_date
            if self.start is None:
                self._clock = to
                return []
        # What each close finds is kept until returned: when a later close raises, what the
        # earlier ones found is returned by the next advance (the one that failed changed
        # nothing, and the next advance closes it again).
        self._catch_up()
        frames = self._undelivered
        anchors = self._ledger.anchors()
        groups: dict[tuple[dt.date, dt.date], list[str]] = {}
        # a day closes once it has ended and the customer visits begun on it have ended
        running = self._intake.running_visits(to, self.start)
        for zone, employees in self._by_zone().items():
            ended = last_ended(to, zone, self.policy.schedule.day_start)
            if ended is None:
                continue
            if self.end is not None:
                ended = min(ended, self.end)
            for employee in employees:
                target = ended
                if employee in running:
                    target = min(target, running[employee][0] - _ONE_DAY)
                if target > self._closed.get(employee, self.start - _ONE_DAY):
                    first = self._range_start(employee, target, anchors.get(employee))
                    groups.setdefault((target, first), []).append(employee)
        for (target, first), employees in sorted(groups.items()):
            frames.extend(self._close(sorted(employees), first, target))
            self._backlog.note(employees, self._intake.present, self._intake.own_types)
        if groups:
            self._prune()
        self._next_close = self._earliest_close(running)
        self._clock = to
        self._undelivered = []
        return self._as_objects(frames)

    @property
    def counts(self) -> LiveCounts:
        router = self._router.counts
        return LiveCounts(
            posted=self._posted,
            accepted=self._intake.accepted,
            rejected=len(self._intake.rejects),
            queued=len(self._intake.queue),
            findings=self._findings,
            facts_posted=router.posted,
            facts_matched=router.matched,
            facts_unmatched=router.unmatched,
            facts_in_python=router.in_python,
            events=router.events,
            errors=len(self._router.errors),
        )

    @property
    def rejects(self) -> pl.DataFrame:
        """The rejected records (source, line, record_type, field, value, reason), in order."""
        frame = pl.DataFrame(self._intake.rejects, schema=REJECT_SCHEMA)
        return frame.sort("source", "line", nulls_last=True)

    @property
    def rejections(self) -> list[Rejection]:
        """The rejected records, in the order of ``rejects``, each with its reason in English
        (``str(rejection.reason)``) and in Chinese (``rejection.reason.zh``)."""
        return rejections_of(self.rejects, Reason)

    @property
    def errors(self) -> list[str]:
        """Errors caught from durable_rules (each also recovered from; see ``router``)."""
        return list(self._router.errors)

    @property
    def pending(self) -> dict[str, int]:
        """Per rule, fact rows whose day has closed but whose window is still open."""
        return self._ledger.pending()

    def closed_through(self, employee_id: str) -> dt.date | None:
        """The last local date closed for this employee (None: none yet)."""
        return self._closed.get(employee_id)

    def durable_rulesets(self) -> dict[str, TableRules]:
        """The durable rulesets of this monitor, by fact table (or table.rule for stage 2)."""
        return dict(self._router.tables)

    def close(self) -> None:
        """Free durable_rules' rulesets; the monitor cannot be used afterwards."""
        self._finalizer()

    def __enter__(self) -> Monitor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        c = self.counts
        return (
            f"<Monitor start={self.start} end={self.end} posted={c.posted} "
            f"accepted={c.accepted} rejected={c.rejected} findings={c.findings}>"
        )

    # ------------------------------------------------------------------ closing

    def _check_open(self) -> None:
        if self._router.closed:
            raise InvalidArgument("this monitor is closed; make a new one")

    def _by_zone(self) -> dict[str, list[str]]:
        zones: dict[str, list[str]] = {}
        for employee in self._intake.employees:
            zones.setdefault(self._intake.zone(employee), []).append(employee)
        return zones

    def _range_start(self, employee: str, target: dt.date, anchor: dt.date | None) -> dt.date:
        """The first date to derive from so that every row of ``employee`` not yet final
        is derived: the day after the last closed, the first of a month that closes, the
        anchor of a window still open."""
        assert self.start is not None
        first = self._closed.get(employee, self.start - _ONE_DAY) + _ONE_DAY
        if self._month_tables and (
            month_end(first) <= target or (self.end is not None and target >= self.end)
        ):
            first = first.replace(day=1)
        if anchor is not None:
            first = min(first, anchor)
        return max(first, self.start)

    def _catch_up(self) -> None:
        """Judge, over the days already closed, the tables whose scope holds now but did not
        when those days closed: the records that make the batch derivation have their rows (a
        first punch, a first market report) arrived since.  The batch engine judges them over
        the whole period, so the closed days are derived again, from ``start`` through the
        last closed day, and these tables' final rows of them judged (the other tables' rows
        were judged already).  The findings join those not yet returned."""
        assert self.start is not None
        present, own = self._intake.present, self._intake.own_types
        groups = self._backlog.due(present, own, self._closed, self.start, self.end)
        waiting = sorted(groups.items())
        for index, ((through, names), employees) in enumerate(waiting):
            try:
                found = self._close(sorted(employees), self.start, through, set(names))
            except BaseException:  # this one and those after it are still due
                for (_, left), rest in waiting[index:]:
                    for table in left:
                        self._backlog.unscoped[table].update(rest)
                raise
            self._undelivered.extend(found)

    def _close(
        self,
        employees: list[str],
        first: dt.date,
        target: dt.date,
        only: set[str] | None = None,
    ) -> list[pl.DataFrame]:
        """Close the days of ``employees`` through ``target``: the findings (``Judge.close``,
        deriving from ``first``).

        ``only``: a catch-up (``_catch_up``) of these stage-1 tables over days already closed
        through ``target``: none of their rows of these employees was judged, nothing else is
        judged again, and nothing is closed."""
        assert self.start is not None
        group = set(employees)
        if only is None:
            before = {e: self._closed.get(e, self.start - _ONE_DAY) for e in employees}
        else:
            before = dict.fromkeys(employees, self.start - _ONE_DAY)
        ended = self.end is not None and target >= self.end
        tables = self._intake.record_tables(None if group == self._intake.employees else group)
        found = self._judge.close(employees, before, tables, first, target, ended, only)
        if only is None:
            self._closed.update(dict.fromkeys(employees, target))
        return found

    def _prune(self) -> None:
        """Forget records no open day, month or window reads any more."""
        keep: dict[str, dt.date] = {}
        for employee, closed in self._closed.items():
            if self.end is not None and closed >= self.end:
                keep[employee] = dt.date.max
            else:
                keep[employee] = (closed + _ONE_DAY).replace(day=1)
        for waiting in self._ledger.waiting.values():
            held = keep.get(waiting.employee_id)
            if held is not None and held != dt.date.max:
                keep[waiting.employee_id] = min(held, waiting.anchor)
        if keep != self._kept_from:  # it moves when a month or a window closes
            # until the first market report, the months it makes judged read who was active
            monthly = "market_report_month" in self._backlog.scopes and bool(
                self._backlog.unscoped["market_report_month"]
            )
            self._intake.prune(keep, monthly=monthly)
            self._kept_from = keep

    def _earliest_close(
        self, running: dict[str, tuple[dt.date, dt.datetime]]
    ) -> dt.datetime | None:
        """The instant the next day of some employee may close (for ``lateness``): it ends,
        and the visits begun on it still on at the last advance (``running``) end."""
        if self.start is None:
            return None
        closed, before = self._closed, self.start - _ONE_DAY
        held = {
            e: end for e, (day, end) in running.items() if day <= closed.get(e, before) + _ONE_DAY
        }
        zones, day_start = self._by_zone(), self.policy.schedule.day_start
        return earliest_close(self.start, self.end, closed, zones, day_start, held)

    def _as_objects(self, frames: Iterable[pl.DataFrame]) -> list[Finding]:
        parts = [f for f in frames if not f.is_empty()]
        if not parts:
            return []
        frame = pl.concat(parts).sort(
            "employee_id", "date", "period", "rule_id", "evidence", nulls_last=True
        )
        self._findings += frame.height
        result = CheckResult(
            table=frame,
            rejects=pl.DataFrame(schema=REJECT_SCHEMA),
            counts=Counts(0, 0, 0),
            period=None,
            rules=self._judge.rules,
            sources=self._sources,
        )
        return result.findings
