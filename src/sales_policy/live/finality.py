"""When a fact row is final, and which rows were judged already.

A fact row is final when nothing posted later may change it:

- a row of a day or event table, when its date has closed for its employee and no ``pending``
  condition of a rule over its table holds (a window still open waits);
- a row of a month table (and the second-stage ``finding_month``), when the month's last day
  has closed, or the monitor's ``end`` has;
- a row of a table stated "as of the period's end" (``AS_OF_END``), when ``end`` has closed.

Rows are derived again when a later derivation starts before them (a month closing reaches
back to its first day; a window still open holds the first day back); the ledger recognises
rows judged before by their identity (employee and date or period; for an event, the record
behind it) and passes each row on once.

Whether the batch derivation has a table's rows at all depends on the records present
(``scope_of``): a rule set is judged only when the input holds a record it reads, attendance
judges everyone with an employee record or an attendance record, and so on.  Rows of a day or
a month that no record of that day backs (an absence, a month without a market report) may
therefore appear only when such a record first arrives, after their days have closed; the
``Backlog`` keeps, per such table, the employees closed without its rows, and the monitor
judges them then (``Monitor._catch_up``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

import polars as pl

from ..facts import RECORD_TYPES, sources_of
from ..facts.schema import FACT_TABLES
from .router import TableRules

#: tables whose rows are stated as of the period's end (date = the period's last date)
AS_OF_END = frozenset(name for name, table in FACT_TABLES.items() if table.as_of_end)
#: the column of each employee's last closed date before this close, joined to fact rows
CLOSED_BEFORE = "_closed_before"
_ID = "_identity"
_ANCHOR = "_anchor"
_ONE_DAY = dt.timedelta(days=1)


def month_end(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - _ONE_DAY


@dataclass(frozen=True)
class Scope:
    """When the batch derivation has rows of a table for an employee: when the input holds
    a record of one of ``present`` (of any employee), and, for a rule set that judges only
    some employees, the employee has a record of one of ``own``."""

    present: frozenset[str]
    own: frozenset[str] | None

    def holds(self, present: set[str], own: set[str]) -> bool:
        """Whether it holds for an employee with records of the types ``own``, when records
        of the types ``present`` have been accepted."""
        return not self.present.isdisjoint(present) and (
            self.own is None or not self.own.isdisjoint(own)
        )


#: the rule sets that judge only the employees with a record of their own types: attendance
#: (everyone with an employee record, a punch, a request or a visit; docs/attendance.md) and
#: assessment (employees with an assessment record)
_OWN_TYPES = ("attendance", "assessment")


def scope_of(table: str) -> Scope | None:
    """When the batch derivation has rows of ``table`` that no record of the employee on the
    row's date backs: a day of the attendance grid, a month, a state as of the period's end.
    None for the other tables: each of their rows comes from a record of its own date, which
    is posted before that date closes (or rejected), so it is never judged late (trainings,
    which no required date dates, aside: docs/engines.md, "What is not exact")."""
    spec = FACT_TABLES[table]
    if spec.stage != 1 or (spec.grain == "event" and not spec.as_of_end):
        return None
    if table == "market_report_month":  # derived only with a market_report in the input
        return Scope(frozenset({"market_report"}), None)
    sources = frozenset(sources_of(table))
    # the rule set deriving the table: the one whose records include those that make it judged
    rule_set = next(name for name, types in RECORD_TYPES.items() if sources <= set(types))
    own = frozenset(RECORD_TYPES[rule_set]) if rule_set in _OWN_TYPES else None
    return Scope(sources, own)


class Backlog:
    """The tables of a ``Scope`` among ``tables``, and per table, the employees with days
    closed while it had no rows of theirs (its scope did not hold): judged when it holds
    (``Monitor._catch_up``)."""

    def __init__(self, tables: Iterable[str]) -> None:
        self.scopes: dict[str, Scope] = {
            t: scope for t in tables if (scope := scope_of(t)) is not None
        }
        #: per table of ``scopes``, the employees with days closed while it had no rows
        #: of theirs (its scope did not hold): judged when it holds (``Monitor._catch_up``)
        self.unscoped: dict[str, set[str]] = {t: set() for t in self.scopes}

    def note(self, employees: list[str], present: set[str], own: Mapping[str, set[str]]) -> None:
        """Note the employees just closed for whom a table of ``scopes`` had no rows, when
        records of the types ``present`` have been accepted, and ``own`` of each employee."""
        for table, unscoped in self.unscoped.items():
            scope = self.scopes[table]
            if scope.present.isdisjoint(present):
                unscoped.update(employees)
            elif scope.own is not None:
                unscoped.update(e for e in employees if scope.own.isdisjoint(own.get(e, ())))

    def due(
        self,
        present: set[str],
        own: Mapping[str, set[str]],
        closed: Mapping[str, dt.date],
        start: dt.date,
        end: dt.date | None,
    ) -> dict[tuple[dt.date, tuple[str, ...]], list[str]]:
        """The tables whose scope holds now but did not when days closed (``closed``: each
        employee's last closed date), taken out of the backlog: the employees to judge them
        for, grouped by their last closed date and the tables (those of whose rows some may
        be final; see ``may_be_final``)."""
        tables_of: dict[str, list[str]] = {}
        for table, unscoped in self.unscoped.items():
            scope = self.scopes[table]
            if not unscoped or scope.present.isdisjoint(present):
                continue
            now = {e for e in unscoped if scope.holds(present, own.get(e, set()))}
            unscoped -= now
            for employee in now:
                if may_be_final(table, closed[employee], start, end):
                    tables_of.setdefault(employee, []).append(table)
        groups: dict[tuple[dt.date, tuple[str, ...]], list[str]] = {}
        for employee, tables in tables_of.items():
            groups.setdefault((closed[employee], tuple(sorted(tables))), []).append(employee)
        return groups


def may_be_final(table: str, through: dt.date, start: dt.date, end: dt.date | None) -> bool:
    """Whether a row of ``table`` may be final with the days closed through ``through``, of a
    monitor judging from ``start`` through ``end`` (else its rows are all judged by later
    closes, which derive them again)."""
    ended = end is not None and through >= end
    spec = FACT_TABLES[table]
    if spec.as_of_end:
        return ended
    if spec.grain == "month":
        return ended or month_end(start) <= through
    return True


@dataclass(frozen=True)
class Waiting:
    """A row whose day has closed but whose window is open (pending), and the rules holding."""

    employee_id: str
    anchor: dt.date
    rules: tuple[str, ...]


class Ledger:
    """Rows waiting for their window, and identities of event rows judged; see the module."""

    def __init__(self) -> None:
        self.waiting: dict[tuple[str, str], Waiting] = {}
        self.judged: dict[str, set[str]] = {}
        self._added: list[tuple[str, set[str]]] | None = None  # in a transaction

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """What is changed inside is undone when it raises: a close that fails leaves its
        rows waiting and not judged, as before it, for the next close to judge."""
        waiting, self._added = dict(self.waiting), []
        try:
            yield
        except BaseException:
            self.waiting = waiting
            for key, identities in self._added:
                self.judged[key] -= identities
            raise
        finally:
            self._added = None

    def reopen(self, employees: set[str]) -> dict[tuple[str, str], Waiting]:
        """Take out the waiting rows of these employees: their close derives them again."""
        taken = {k: w for k, w in self.waiting.items() if w.employee_id in employees}
        for key in taken:
            del self.waiting[key]
        return taken

    def anchors(self) -> dict[str, dt.date]:
        """Per employee, the earliest date of a row still waiting."""
        first: dict[str, dt.date] = {}
        for waiting in self.waiting.values():
            held = first.get(waiting.employee_id, waiting.anchor)
            first[waiting.employee_id] = min(held, waiting.anchor)
        return first

    def pending(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for waiting in self.waiting.values():
            for rule_id in waiting.rules:
                counts[rule_id] = counts.get(rule_id, 0) + 1
        return counts

    def final_rows(
        self,
        rules: TableRules,
        frame: pl.DataFrame,
        closed_before: pl.DataFrame,
        target: dt.date,
        ended: bool,
        reopened: dict[tuple[str, str], Waiting],
    ) -> pl.DataFrame:
        """The rows of ``frame`` (of the employees in ``closed_before``, now closed through
        ``target``) that are final and not judged before; rows whose window is still open
        are kept waiting."""
        spec = FACT_TABLES[rules.table]
        frame = frame.join(closed_before, on="employee_id", how="inner")
        refs = spec.references()
        by_identity = spec.grain == "event" and bool(refs) and rules.table not in AS_OF_END
        if spec.grain == "month":
            last = pl.col("period").str.to_date("%Y-%m").dt.month_end()
            identity = pl.concat_str("employee_id", pl.lit("|"), "period")
            anchor = pl.col("period").str.to_date("%Y-%m")
            by_time = (last <= target) | pl.lit(ended)
            judged = last <= pl.col(CLOSED_BEFORE)
        elif by_identity:
            identity, anchor = pl.col(refs[0]).cast(pl.String), pl.col("date")
            by_time = pl.col("date") <= target
            judged = identity.is_in(list(self.judged.get(rules.key, ())))
        else:
            identity = pl.concat_str("employee_id", pl.lit("|"), pl.col("date").cast(pl.String))
            anchor = pl.col("date")
            by_time = pl.col("date") <= target
            judged = pl.col("date") <= pl.col(CLOSED_BEFORE)
        if rules.table in AS_OF_END:
            by_time, judged = pl.lit(ended), pl.lit(False)
        again = [identity for key, identity in reopened if key == rules.key]
        judged = judged & ~identity.is_in(again)
        frame = frame.with_columns(identity.alias(_ID), anchor.alias(_ANCHOR)).filter(
            by_time & ~judged.fill_null(False)
        )
        holding = [s.compiled for s in rules.slots if s.compiled.pending is not None]
        if holding and not frame.is_empty():
            names = [c.rule.rule_id for c in holding]
            flags = frame.select(
                c.pending.expr.alias(c.rule.rule_id) for c in holding if c.pending is not None
            )
            mask = flags.select(pl.any_horizontal(pl.all())).to_series()
            if mask.any():
                rows = frame.filter(mask).select("employee_id", _ID, _ANCHOR).iter_rows()
                for (employee, key, day), row_flags in zip(
                    rows, flags.filter(mask).iter_rows(), strict=True
                ):
                    held = tuple(n for n, flag in zip(names, row_flags, strict=True) if flag)
                    self.waiting[(rules.key, key)] = Waiting(employee, day, held)
                frame = frame.filter(~mask)
        if by_identity:
            known = self.judged.setdefault(rules.key, set())
            added = set(frame.get_column(_ID).to_list()) - known
            known.update(added)
            if self._added is not None:
                self._added.append((rules.key, added))
        return frame.drop(CLOSED_BEFORE, _ID, _ANCHOR)
