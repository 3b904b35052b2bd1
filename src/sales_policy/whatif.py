"""What-if: judge the same records under two policies and show what a change would do.

    old, new = load_policy(), load_policy("company.yaml")
    change = diff(old, new, ["punches.csv", "leave_requests.csv"])
    change.added, change.removed, change.changed        # findings
    change.counts()                                     # by rule and employee

A finding is the same finding under both policies when its rule, employee, date or period,
and source rows agree; it is *changed* when its severity, clauses, evidence or message differ.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from .findings import CheckResult, Finding
from .policy import Policy

Key = tuple[str, str, dt.date | None, str | None, tuple[str, ...]]


def finding_key(finding: Finding) -> Key:
    """What makes two findings the same finding under two policies."""
    return (finding.rule_id, finding.employee_id, finding.date, finding.period, finding.sources)


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
    before = {finding_key(f): f for f in old.findings}
    after = {finding_key(f): f for f in new.findings}
    changed = [
        Change(before[key], after[key])
        for key in before.keys() & after.keys()
        if before[key].to_dict() != after[key].to_dict()
    ]
    return PolicyDiff(
        added=[f for key, f in after.items() if key not in before],
        removed=[f for key, f in before.items() if key not in after],
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
    if not isinstance(records, str | Path | pl.DataFrame | dict) and isinstance(records, Iterable):
        records = list(records)  # read twice
    return compare(
        old.check(records, start, end, record_type=record_type),
        new.check(records, start, end, record_type=record_type),
    )
