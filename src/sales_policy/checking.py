"""A check: records judged against a policy over a period (``Policy.check``).

The records become record tables (``tables``), the tables facts (``facts``), and the rules in
force whose facts exist are evaluated over them (``engine``), with the rules they count judged
for the counting only; the result carries the notes a reader needs (``checknotes``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import polars as pl

from .callerwords import said
from .checknotes import check_notes, has_attendance_log, unconverted_note
from .engine import Evaluation, evaluate
from .errors import InvalidArgument, suggest
from .facts import derive_facts
from .facts.outside_period import unjudged
from .findings import CheckResult, Counts
from .inputnotes import (
    hidden_ids,
    outside_employment,
    outside_period_note,
    unlisted_ids,
    unmatched_values_note,
    zero_padded_ids,
)
from .inputs import is_one_input
from .periodnotes import first_month_note, period_edge_note
from .rawframes import RawInputs
from .rulesets import CompiledRule
from .tables import build_tables

if TYPE_CHECKING:
    from .policy import Policy


def check_records(
    policy: Policy,
    records: Any,
    start: dt.date | None,
    end: dt.date | None,
    *,
    record_type: str | None,
    rulesets: Iterable[str] | None,
) -> CheckResult:
    """``Policy.check``: judge records over a period with ``policy``."""
    for name, day in (("start", start), ("end", end)):
        if day is not None and (not isinstance(day, dt.date) or isinstance(day, dt.datetime)):
            raise InvalidArgument(
                f"{name} must be a local date (datetime.date), not {type(day).__name__} {day!r}"
            )
    if start is not None and end is not None and end < start:
        raise InvalidArgument(  # in the words the period was given in
            said(f"--to {end} is before --from {start}", f"end {end} is before start {start}")
        )
    if isinstance(records, bytes | bytearray) or not isinstance(
        records, str | Path | pl.DataFrame | pl.LazyFrame | dict | RawInputs | Iterable
    ):
        raise InvalidArgument(
            "records must be record objects, dicts, file paths or a DataFrame, or a list "
            f"of them; got {type(records).__name__}"
        )
    if record_type is not None and not isinstance(record_type, str):
        raise InvalidArgument(
            f"record_type is a record type's name, not {type(record_type).__name__}"
        )
    if isinstance(rulesets, str):  # one rule set's name, not its letters
        rulesets = [rulesets]
    if rulesets is not None:
        if not isinstance(rulesets, Iterable):
            raise InvalidArgument("rulesets is a rule set's name or a list of them")
        rulesets = list(rulesets)  # read once: it may be a generator
        if not all(isinstance(name, str) for name in rulesets):
            raise InvalidArgument("rulesets is a rule set's name or a list of them")
    wanted = set(rulesets) if rulesets is not None else None
    if wanted is not None:
        known = {rs.name for rs in policy.rulesets}
        for name in sorted(wanted - known):
            raise InvalidArgument(f"unknown rule set {name!r}{suggest(name, tuple(sorted(known)))}")
    if isinstance(records, RawInputs):
        if records.taken:
            raise InvalidArgument("inputs read ahead are checked once: read them again")
        if records.columns != policy.columns:
            raise InvalidArgument("inputs read with another column mapping than the policy's")
    # one input of the kinds, else a list of them (checked above); a record object iterates
    # over its fields and a dict over its keys, so each is one
    items = [records] if is_one_input(records) else cast("Iterable[Any] | RawInputs", records)
    tables = build_tables(
        items, policy_timezone=policy.timezone, type_hint=record_type, columns=policy.columns
    )
    outside: dict[str, pl.DataFrame] = {}  # the rows dated outside the period, by type
    facts, period, employees = derive_facts(
        tables,
        calendar=policy.calendar,
        schedule=policy.schedule,
        policy_timezone=policy.timezone,
        start=start,
        end=end,
        params=policy.params,
        release_punches=True,
        outside=outside,
    )
    active = [
        c
        for c in policy.compiled
        if c.rule.rule_id not in policy.disabled and (wanted is None or c.rule.ruleset in wanted)
    ]
    by_type = tables.heights()
    counted = _counted_elsewhere(policy, active)
    if not has_attendance_log(by_type):
        # Without an attendance log every working day is an absence: the handbook's reading,
        # judged with a note where attendance is asked for, but no evidence to count when it
        # was left out (DIS-REPEATED-ABSENCE of --ruleset discipline is then not judged).
        counted = [c for c in counted if c.rule.facts != "workday"]
    judged, not_judged = _applicable([*active, *counted], facts)
    not_judged = [c for c in not_judged if c not in counted]
    active = [c for c in judged if c not in counted]
    zones = employees.select("employee_id", "timezone")
    unread = unjudged(outside, facts, {c.rule.facts for c in judged}, *period) if period else {}
    evaluation = evaluate(judged, facts, zones, period[1] if period else None)
    if counted:  # judged for what they count, not reported: not of the rule sets asked for
        shown = [c.rule.rule_id for c in active]
        evaluation = Evaluation(
            evaluation.findings.filter(pl.col("rule_id").is_in(shown)),
            {rule: n for rule, n in evaluation.pending.items() if rule in shown},
        )
    result = CheckResult(
        table=evaluation.findings,
        employees=tables.table("employee").select(
            "employee_id", "name", "team", "hired_on", "left_on"
        ),
        pending=evaluation.pending,
        rejects=tables.rejects,
        counts=Counts(
            tables.read,
            tables.accepted,
            tables.rejects.height,
            by_type,
            by_source=tables.read_by_source,
        ),
        period=period,
        rules={c.rule.rule_id: c.rule for c in policy.compiled},
        sources=tables.sources,
        facts=facts,
        rulesets=None
        if wanted is None
        else tuple(rs.name for rs in policy.rulesets if rs.name in wanted),
    )
    judged_tables = {c.rule.facts for c in judged}
    days_judged = "workday" in judged_tables  # the notes on days judged need them judged
    result.notes.extend(
        check_notes(
            result,
            disabled=policy.disabled,
            policy_path=policy.path,
            timezone=policy.timezone,
            naive_by_source=tables.naive_by_source,
            unconverted=unconverted_note(facts, active, str(policy.params.get("sales_currency"))),
            not_judged=not_judged,
            titles={ruleset.name: ruleset.title.zh for ruleset in policy.rulesets},
            judged_tables=judged_tables,
            unlisted=unlisted_ids(employees, tables.table("employee")),
            outside=(outside_employment(facts.get("workday"), employees) if days_judged else ()),
            outside_period=outside_period_note(unread, period) if unread and period else None,
            hidden=hidden_ids(employees),
            zeros=zero_padded_ids(employees),
            repeated=tables.repeated,
            repeated_rows=tables.repeated_rows,
            copies=tables.copies,
            utf8_too=tables.utf8_too,
            encoding=policy.columns.encoding,
            unmatched=unmatched_values_note(active, facts, policy.params, policy.declared_params()),
            first_month=(
                first_month_note(start, period[1] if period else None, active, facts)
                if start is not None
                else None
            ),
            period_edge=(
                period_edge_note(facts.get("workday"), period, (start is not None, end is not None))
                if period and (start is None or end is None) and days_judged
                else None
            ),
        )
    )
    return result


def _counted_elsewhere(policy: Policy, active: list[CompiledRule]) -> list[CompiledRule]:
    """The rules in force that rules in ``active`` count (DIS-REPEATED-ABSENCE counts
    ATT-ABSENT) and that are not in it themselves, as when a check is asked for some rule
    sets only: they are judged for the counting, their own findings not reported."""
    wanted = {c.rule.rule_id for c in active}
    counted: list[CompiledRule] = []
    names = {name for c in active for name in c.rule.counts} - wanted
    while names:
        more = [
            c
            for c in policy.compiled
            if c.rule.rule_id in names and c.rule.rule_id not in policy.disabled
        ]
        counted += more
        wanted |= names
        names = {name for c in more for name in c.rule.counts} - wanted
    return counted


def _applicable(
    rules: list[CompiledRule], facts: dict[str, pl.DataFrame]
) -> tuple[list[CompiledRule], list[CompiledRule]]:
    """Rules whose facts exist (their records are present), and the others.  A rule counting
    earlier findings is judged when one of the rules it counts is."""
    from .facts.schema import FACT_TABLES

    first = {c.rule.rule_id for c in rules if c.rule.facts in facts}
    judged: list[CompiledRule] = []
    not_judged: list[CompiledRule] = []
    for compiled in rules:
        rule = compiled.rule
        ok = (
            rule.facts in facts
            if FACT_TABLES[rule.facts].stage == 1
            else bool(first & set(rule.counts))
        )
        (judged if ok else not_judged).append(compiled)
    return judged, not_judged
