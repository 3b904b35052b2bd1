"""Fact rows through durable_rules: one private Host per monitor, one ruleset per fact table.

Each rule in force becomes a durable rule whose condition is its translated ``when`` (see
``translate``).  A fact row is posted as an event, one ``post`` per event.  durable_rules hands
an event to the first rule that matches and consumes it, so a row is posted again, marked
``_done_<i>`` for the rules that have fired, until no rule matches: ``matches + 1`` posts per
row, and every rule that holds is found.

Guards against the faults of durable_rules 2.0.28 measured for this project:

- ``assert_fact`` took 3 of 100,000 distinct facts for duplicates (its store compares 32-bit
  hashes): rows go as events, never facts, each with a unique ``id``.
- ``post_batch`` of 20,000 events fired 417 of ~12,660 actions: one ``post`` per event.
- an event no rule matches raises ``MessageNotHandledException``: caught, counted as
  unmatched; the row is kept.
- an exception inside an action comes back as state (``exception``) instead of being raised,
  and stays there: actions never raise; the state is checked after every post and cleared,
  the error recorded, and the rules not yet decided for that row fall back to
  ``Condition.evaluate``.
- a rule whose only tests are absence tests (``$nex``) loops forever once it matches: every
  condition starts with the positive test ``_table == <key>``.
- the module-level host runs background threads that dispatch actions on their own: each
  monitor has its own Host with that dispatch switched off, so actions run inside ``post``.
- its JSON parser rejects a number with an exponent and no decimal point (``1e-05``): such
  a value sends its row to ``Condition.evaluate`` (``counts.in_python``).

Every row ends matched or unmatched: ``posted == matched + unmatched`` is kept in ``counts``.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from durable import engine as durable_engine
from durable.engine import Host, MessageNotHandledException, MessageObservedException

from ..expr import ValueType
from ..facts.schema import FACT_TABLES
from ..rulesets import SEVERITIES, CompiledRule
from .translate import GUARD, SCALAR_TYPES, Translation, durable_number, field_name, translate

_UNSAFE = object()


class _PrivateHost(Host):  # type: ignore[misc]
    """A durable Host without the background threads that dispatch actions and timers.

    The module's own Host polls every ruleset from timer threads that never stop and may run
    an action on another thread; here actions run inside ``post``, in order."""

    def _run(self) -> None:
        return None


@dataclass
class RouterCounts:
    """How the fact rows posted to durable_rules ended."""

    posted: int = 0
    matched: int = 0
    unmatched: int = 0
    #: rows with a value durable_rules cannot carry (e.g. 1e-05), decided by Condition.evaluate
    in_python: int = 0
    events: int = 0


@dataclass
class _RuleSlot:
    index: int
    compiled: CompiledRule
    translation: Translation
    rank: int  # within an exclusive group: most severe first, then file order


@dataclass
class TableRules:
    """The rules in force over one fact table (or one second-stage rule), as one ruleset."""

    key: str
    table: str
    name: str
    slots: list[_RuleSlot]
    fields: list[tuple[str, Callable[[Any], Any]]]
    groups: dict[str, list[_RuleSlot]] = field(default_factory=dict)


def _converter(vtype: ValueType | str) -> Callable[[Any], Any]:
    """A fact value as an event value (None: leave the field out)."""
    if vtype == "float":

        def number(value: Any) -> Any:
            if value != value:  # NaN is null in the condition language
                return None
            safe = durable_number(value)
            return _UNSAFE if safe is None else safe

        return number
    if vtype in SCALAR_TYPES:
        return lambda value: value
    return lambda value: 1  # presence only, for is_set / is_null


class Router:
    """A private durable Host and its rulesets; see the module docstring."""

    def __init__(self, suffix: str) -> None:
        self.host = _PrivateHost()
        self.suffix = suffix
        self.tables: dict[str, TableRules] = {}
        self.counts = RouterCounts()
        self.errors: list[str] = []
        self._ids = itertools.count(1)
        self._fired: list[tuple[int, bool | None]] = []
        self._row: Callable[[], dict[str, Any]] = dict
        self.closed = False

    # ------------------------------------------------------------------ rulesets

    def add(
        self,
        key: str,
        table: str,
        rules: Sequence[CompiledRule],
        params: Mapping[str, tuple[ValueType, object]] | None = None,
        *,
        by_ruleset: Mapping[str, Mapping[str, tuple[ValueType, object]]] | None = None,
    ) -> TableRules:
        """One durable ruleset (named ``<key>-<suffix>``) for these rules over ``table``;
        their conditions read ``params``, or those of their rule set in ``by_ruleset``."""
        columns = FACT_TABLES[table].condition_types()
        slots = [
            _RuleSlot(
                i,
                c,
                translate(
                    c.rule.when,
                    columns,
                    by_ruleset[c.rule.ruleset] if by_ruleset is not None else params or {},
                ),
                0,
            )
            for i, c in enumerate(rules)
        ]
        groups: dict[str, list[_RuleSlot]] = {}
        for slot in slots:
            if slot.compiled.rule.exclusive_group:
                groups.setdefault(slot.compiled.rule.exclusive_group, []).append(slot)
        for members in groups.values():
            ranked = sorted(
                members, key=lambda s: (-SEVERITIES.index(s.compiled.rule.severity), s.index)
            )
            for rank, slot in enumerate(ranked):
                slot.rank = rank
        carried = sorted({c for s in slots for c in s.translation.fields | s.translation.presence})
        types = FACT_TABLES[table].condition_types()
        value_fields = {c for s in slots for c in s.translation.fields}
        fields = [(c, _converter(types[c] if c in value_fields else "presence")) for c in carried]
        name = f"{key}-{self.suffix}"
        definition = {
            f"r{slot.index}": {
                "all": [{"m": self._condition(key, slot)}],
                "run": self._action(slot),
            }
            for slot in slots
        }
        self.host.register_rulesets({name: definition})
        rules_of_table = TableRules(key, table, name, slots, fields, groups)
        self.tables[key] = rules_of_table
        return rules_of_table

    @staticmethod
    def _condition(key: str, slot: _RuleSlot) -> dict[str, Any]:
        tests: list[dict[str, Any]] = [{GUARD: key}]  # positive first: see the module doc
        condition = slot.translation.condition
        if condition is None:
            tests.append({GUARD: f"{key} (never)"})
        elif condition:
            tests.append(condition)
        tests.append({"$nex": {f"_done_{slot.index}": 1}})
        return {"$and": tests}

    def _action(self, slot: _RuleSlot) -> Callable[[Any], None]:
        exact = slot.translation.exact
        condition = slot.compiled.condition
        index = slot.index

        def action(closure: Any) -> None:
            # Never raise: durable_rules would turn the exception into state (module doc).
            try:
                self._fired.append((index, exact or condition.evaluate(self._row())))
            except Exception as exc:
                self._error(f"rule {slot.compiled.rule.rule_id}: action failed: {exc!r}")
                self._fired.append((index, None))  # undecided: the router falls back

        return action

    def close(self) -> None:
        """Delete the rulesets from durable_rules' engine (they live outside Python)."""
        if self.closed:
            return
        self.closed = True
        for rules in self.tables.values():
            durable_engine.durable_rules_engine.delete_ruleset(
                self.host.get_ruleset(rules.name)._handle
            )

    # ------------------------------------------------------------------ deciding

    def _error(self, message: str) -> None:
        self.errors.append(message)

    def decide(self, rules: TableRules, frame: pl.DataFrame) -> list[list[int]]:
        """For each rule (by slot index), the rows of ``frame`` it matched, after applying
        exclusive groups (a row keeps its most severe rule of a group)."""
        matched: list[list[int]] = [[] for _ in rules.slots]
        if frame.is_empty():
            return matched
        carried = [name for name, _ in rules.fields]
        values = frame.select(carried).rows() if carried else [()] * frame.height
        converters = [convert for _, convert in rules.fields]
        names = [field_name(c) for c in carried]
        for row_index, row in enumerate(values):
            event: dict[str, Any] = {GUARD: rules.key}
            unsafe = False
            for name, convert, value in zip(names, converters, row, strict=True):
                if value is None:
                    continue
                converted = convert(value)
                if converted is _UNSAFE:
                    unsafe = True
                    break
                if converted is not None:
                    event[name] = converted
            self._row = _row_reader(frame, row_index)
            self.counts.posted += 1
            if unsafe:
                self.counts.in_python += 1
                hits = self._fallback(rules, ())
            else:
                hits = self._post(rules, event)
            hits = _exclusive(rules, hits)
            if hits:
                self.counts.matched += 1
            else:
                self.counts.unmatched += 1
            for index in hits:
                matched[index].append(row_index)
        return matched

    def _post(self, rules: TableRules, event: dict[str, Any]) -> list[int]:
        """Post one row until no rule matches; the slots whose condition held."""
        done: list[int] = []
        hits: list[int] = []
        for _ in range(len(rules.slots) + 1):
            message = dict(event, id=next(self._ids))
            for index in done:
                message[f"_done_{index}"] = 1
            self._fired.clear()
            self.counts.events += 1
            try:
                state = self.host.post(rules.name, message)
            except MessageNotHandledException:
                return hits
            except (MessageObservedException, durable_engine.durable_rules_engine.error) as exc:
                self._error(f"{rules.key}: durable_rules refused an event: {exc!r}")
                return hits + self._fallback(rules, done)
            except Exception as exc:  # anything else: recorded, and the row still decided
                self._error(f"{rules.key}: posting an event failed: {exc!r}")
                return hits + self._fallback(rules, done)
            if isinstance(state, dict) and state.get("exception"):
                self._error(
                    f"{rules.key}: an action failed inside durable_rules: "
                    f"{str(state['exception'])[:300]}"
                )
                self.host.delete_state(rules.name, state.get("sid", "0"))
                if not self._fired:
                    return hits + self._fallback(rules, done)
            if not self._fired:
                self._error(f"{rules.key}: an event was handled but no action ran")
                return hits + self._fallback(rules, done)
            for index, verdict in self._fired:
                done.append(index)
                if verdict is None:
                    verdict = self._evaluate(rules.slots[index])
                if verdict:
                    hits.append(index)
        self._error(f"{rules.key}: an event kept matching after every rule had fired")
        return hits

    def _fallback(self, rules: TableRules, decided: Iterable[int]) -> list[int]:
        """Rules not yet decided for the current row, decided by Condition.evaluate."""
        seen = set(decided)
        return [s.index for s in rules.slots if s.index not in seen and self._evaluate(s)]

    def _evaluate(self, slot: _RuleSlot) -> bool:
        """The rule's condition on the current row, by the reference one-row evaluator."""
        try:
            return slot.compiled.condition.evaluate(self._row())
        except Exception as exc:  # recorded; the row stays counted, the rule unmatched
            self._error(f"rule {slot.compiled.rule.rule_id}: evaluate failed: {exc!r}")
            return False


def _row_reader(frame: pl.DataFrame, index: int) -> Callable[[], dict[str, Any]]:
    """The row as Condition.evaluate reads it, built only when asked for."""

    def read() -> dict[str, Any]:
        return frame.row(index, named=True)

    return read


def _exclusive(rules: TableRules, hits: list[int]) -> list[int]:
    """Per exclusive group, keep the most severe rule that matched (ties: file order)."""
    if not rules.groups or len(hits) < 2:
        return sorted(hits)
    kept = []
    best: dict[str, _RuleSlot] = {}
    for index in hits:
        slot = rules.slots[index]
        group = slot.compiled.rule.exclusive_group
        if group is None:
            kept.append(index)
        elif group not in best or slot.rank < best[group].rank:
            best[group] = slot
    return sorted(kept + [s.index for s in best.values()])


def describe(rules: TableRules) -> list[dict[str, Any]]:
    """The durable form of each rule (for docs and diagnostics)."""
    return [
        {
            "rule": s.compiled.rule.rule_id,
            "durable": json.dumps(Router._condition(rules.key, s), ensure_ascii=False),
            "exact": s.translation.exact,
            "in_action": list(s.translation.untranslated),
        }
        for s in rules.slots
    ]
