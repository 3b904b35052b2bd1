"""One-line properties a policy owner asserts in a test: each raises AssertionError with the
findings that break it, readable in a shrunk hypothesis counter-example."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from ..findings import Finding
from ..policy import Policy
from ..whatif import diff


def _show(findings: Iterable[Finding]) -> str:
    return "\n".join(
        f"  {f.rule_id} {f.employee_id} {f.date or f.period}: {f.message.en} {f.evidence}"
        for f in findings
    )


def _selected(findings: Iterable[Finding], rules: Iterable[str] | None) -> list[Finding]:
    wanted = None if rules is None else set(rules)
    return [f for f in findings if wanted is None or f.rule_id in wanted]


def check_never_adds(
    base: Policy,
    changed: Policy,
    records: Any,
    *,
    rules: Iterable[str] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> None:
    """``changed`` finds nothing (of ``rules``) that ``base`` does not: e.g. more grace never
    adds a late arrival."""
    rules = None if rules is None else list(rules)
    added = _selected(diff(base, changed, records, start, end).added, rules)
    if added:
        raise AssertionError(f"the changed policy adds {len(added)} finding(s):\n{_show(added)}")


def check_never_fires(
    policy: Policy,
    records: Any,
    rules: Iterable[str],
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> None:
    """None of ``rules`` fires on these records (e.g. on any day fully covered by leave)."""
    fired = _selected(policy.check(records, start, end).findings, list(rules))
    if fired:
        raise AssertionError(f"{len(fired)} finding(s) where none was expected:\n{_show(fired)}")


def check_agree_except(
    first: Policy,
    second: Policy,
    records: Any,
    *,
    rules: Iterable[str] = (),
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> None:
    """The two policies make the same findings, except perhaps for ``rules``."""
    allowed = set(rules)
    change = diff(first, second, records, start, end)
    differing = [f for f in change.added + change.removed if f.rule_id not in allowed]
    differing += [c.after for c in change.changed if c.after.rule_id not in allowed]
    if differing:
        raise AssertionError(
            f"the policies disagree on {len(differing)} finding(s) outside "
            f"{sorted(allowed) or 'no rule'}:\n{_show(differing)}"
        )
