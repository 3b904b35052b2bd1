"""What-if: judge the same records under two policies and show what a change would do.

    old, new = load_policy(), load_policy("company.yaml")
    change = diff(old, new, ["punches.csv", "leave_requests.csv"])
    change.added, change.removed, change.changed        # findings
    change.counts()                                     # by rule and employee

A finding is the same finding under both policies when its rule, employee and date or period
agree and neither policy finds another of that rule there; where one does (several events
of a day), the source rows tell them apart.  It is *changed* when its severity, clauses,
evidence, sources or message differ: a month's finding that cites fewer late days is the
same finding, changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import polars as pl

from .callerwords import not_taken
from .errors import InvalidArgument
from .findings import CheckResult, Finding
from .inputs import is_one_input
from .policy import Policy

#: rule, employee, date, period: where a finding is
Place = tuple[str, str, dt.date | None, str | None]
Key = tuple[str, str, dt.date | None, str | None, tuple[str, ...]]


def place(finding: Finding) -> Place:
    """The rule, employee and date or period of a finding."""
    return (finding.rule_id, finding.employee_id, finding.date, finding.period)


def finding_key(finding: Finding) -> Key:
    """A finding's place and its source rows, which tell apart the findings of one rule in
    one place (events of one day)."""
    return (*place(finding), finding.sources)


def match(
    old: Iterable[Finding], new: Iterable[Finding]
) -> tuple[list[tuple[Finding, Finding]], list[Finding], list[Finding]]:
    """The findings of two results paired as the same finding, those only the new one has,
    and those only the old one has.

    A place (``place``) with one finding in each is a pair whatever their sources: a day's
    or a month's finding may cite other rows under another policy (fewer late days, another
    punch as the arrival).  Where either result has several, they pair by their sources."""
    before: dict[Place, list[Finding]] = {}
    after: dict[Place, list[Finding]] = {}
    for found, side in ((old, before), (new, after)):
        for finding in found:
            side.setdefault(place(finding), []).append(finding)
    pairs: list[tuple[Finding, Finding]] = []
    added: list[Finding] = []
    removed: list[Finding] = []
    for where in before.keys() | after.keys():
        was, now = before.get(where, []), after.get(where, [])
        if len(was) == 1 and len(now) == 1:
            pairs.append((was[0], now[0]))
            continue
        by_sources = {f.sources: f for f in was}
        for finding in now:
            earlier = by_sources.pop(finding.sources, None)
            if earlier is None:
                added.append(finding)
            else:
                pairs.append((earlier, finding))
        removed += by_sources.values()
    return pairs, added, removed


@dataclass(frozen=True)
class Change:
    """A finding both policies make, with different severity, clauses, evidence or message."""

    before: Finding
    after: Finding


@dataclass(frozen=True)
class PolicyDiff:
    """The findings a new policy adds, removes and changes, against an old one."""

    added: list[Finding]
    removed: list[Finding]
    changed: list[Change]
    old: CheckResult
    new: CheckResult

    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def counts(self) -> pl.DataFrame:
        """Added, removed and changed findings by rule and employee."""
        rows = [(f.rule_id, f.employee_id, "added") for f in self.added]
        rows += [(f.rule_id, f.employee_id, "removed") for f in self.removed]
        rows += [(c.after.rule_id, c.after.employee_id, "changed") for c in self.changed]
        frame = pl.DataFrame(rows, schema=["rule_id", "employee_id", "kind"], orient="row")
        counts = frame.group_by("rule_id", "employee_id").agg(
            *(
                (pl.col("kind") == kind).sum().cast(pl.Int64).alias(kind)
                for kind in ("added", "removed", "changed")
            )
        )
        return counts.sort("rule_id", "employee_id")

    def to_dict(self) -> dict[str, Any]:
        return {
            "added": [f.to_dict() for f in self.added],
            "removed": [f.to_dict() for f in self.removed],
            "changed": [
                {"before": c.before.to_dict(), "after": c.after.to_dict()} for c in self.changed
            ],
            "counts": self.counts().to_dicts(),
        }


def compare(old: CheckResult, new: CheckResult) -> PolicyDiff:
    """The difference between two results over the same records."""
    pairs, added, removed = match(old.findings, new.findings)
    changed = [Change(was, now) for was, now in pairs if was.to_dict() != now.to_dict()]

    def ordered(findings: list[Finding]) -> list[Finding]:
        return sorted(findings, key=lambda f: _order(finding_key(f)))

    return PolicyDiff(
        added=ordered(added),
        removed=ordered(removed),
        changed=sorted(changed, key=lambda c: _order(finding_key(c.after))),
        old=old,
        new=new,
    )


def _order(key: Key) -> tuple[Any, ...]:
    rule_id, employee_id, date, period, sources = key
    return (employee_id, date or dt.date.min, period or "", rule_id, sources)


def diff(
    old: Policy,
    new: Policy,
    records: Any,
    start: dt.date | None = None,
    end: dt.date | None = None,
    *,
    record_type: str | None = None,
) -> PolicyDiff:
    """Check ``records`` under both policies and compare the findings."""
    for name, policy in (("old", old), ("new", new)):
        if not isinstance(policy, Policy):
            raise InvalidArgument(
                f"diff compares two policies (load_policy()); {name} is {type(policy).__name__}"
            )
    if not is_one_input(records) and isinstance(records, Iterable):
        records = list(records)  # read twice
    with not_taken("rulesets"):  # every rule set's findings are compared
        return compare(
            old.check(records, start, end, record_type=record_type),
            new.check(records, start, end, record_type=record_type),
        )
