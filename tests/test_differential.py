"""The batch engine against the plain-Python oracle of the attendance semantics."""

from __future__ import annotations

import dataclasses
import datetime as dt
from functools import cache
from typing import Any

import holidays
from attendance_oracle import oracle_findings
from hypothesis import given
from hypothesis import strategies as st

from sales_policy import Schedule, load_policy
from sales_policy.findings import CheckResult
from sales_policy.testing import logs, policy_overrides

POLICY = load_policy()


@cache
def _china(year: int) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    data = holidays.China(years=year)
    worked = frozenset(d for d in data.weekend_workdays if d.year == year)
    return frozenset(d for d in data if d.year == year), worked


def is_workday(day: dt.date) -> bool:
    """China's calendar straight from the holidays package, for the oracle."""
    off, worked = _china(day.year)
    return day in worked or (day.weekday() < 5 and day not in off)


def _utc(text: str) -> str:
    return dt.datetime.fromisoformat(text).astimezone(dt.UTC).isoformat()


def as_oracle_tuples(result: CheckResult) -> set[tuple[str, str, str | None, str | None, Any]]:
    """The engine's findings in the oracle's shape: rule, employee, date, period, detail."""
    details = {
        "ATT-LATE": lambda e: e["minutes_late"],
        "ATT-LATE-SERIOUS": lambda e: e["minutes_late"],
        "ATT-EARLY": lambda e: e["minutes_early"],
        "ATT-EARLY-SERIOUS": lambda e: e["minutes_early"],
        "ATT-MISSING-PUNCH": lambda e: e["missing_side"],
        "ATT-ABSENT": lambda e: None,
        "ATT-UNAPPROVED-LEAVE": lambda e: tuple(e["unapproved_leave_ids"]),
        "ATT-LEAVE-NOT-IN-ADVANCE": lambda e: e["request_id"],
        "ATT-OVERTIME-UNAPPROVED": lambda e: e["overtime_minutes"],
        "ATT-OVERTIME-DAY-LIMIT": lambda e: e["overtime_minutes"],
        "ATT-OVERTIME-MONTH-LIMIT": lambda e: e["overtime_minutes"],
        "ATT-LEFT-POST": lambda e: (_utc(e["left_at"]), _utc(e["returned_at"]), e["minutes_away"]),
    }
    return {
        (
            f.rule_id,
            f.employee_id,
            f.date.isoformat() if f.date else None,
            f.period,
            details[f.rule_id](f.evidence),
        )
        for f in result
    }


#: the handbook's policy with attendance days starting at 04:00 (跨天): logs drawn around its
#: schedule too have punches in the night, before and after the day start
NIGHT = dataclasses.replace(POLICY, schedule=Schedule(day_start=dt.time(4)))
#: day starts drawn: midnight (the default) half of the time, else a later one
DAY_STARTS = st.sampled_from([dt.time(0)] * 3 + [dt.time(4), dt.time(0, 30), dt.time(6)])


@given(
    log=logs(employees=3, max_days=9, policy=[POLICY, NIGHT]),
    overrides=policy_overrides(rulesets=["attendance"]),
    use_period=st.booleans(),
    day_start=DAY_STARTS,
)
def test_engine_equals_oracle(
    log: Any, overrides: dict[str, Any], use_period: bool, day_start: dt.time
) -> None:
    """On generated logs (weekends, holidays, 调休, undirected punches, punches in the night,
    visits, requests of every status, other offsets, random parameters, a day start at
    midnight or later) the engine finds what the oracle finds."""
    policy = dataclasses.replace(
        POLICY.with_params(**overrides), schedule=Schedule(day_start=day_start)
    )
    start, end = (log.start, log.end) if use_period else (None, None)
    result = policy.check(log.records, start, end, rulesets=["attendance"])
    assert result.counts.rejected == 0, result.rejects.to_dicts()
    expected = oracle_findings(
        log.records,
        is_workday=is_workday,
        start=start,
        end=end,
        params=overrides,
        timezone=log.timezone,
        day_start=day_start,
    )
    assert as_oracle_tuples(result) == expected


def test_differential_sees_every_rule() -> None:
    """The comparison would notice a rule that never fires: the example month fires all of
    the attendance rule set (and the discipline rule set's month counts of them)."""
    from conftest import EXAMPLE_MONTH

    result = POLICY.check(sorted(EXAMPLE_MONTH.glob("*.csv")))
    fired = {f.rule_id for f in result if f.ruleset == "attendance"}
    assert fired == {r.rule_id for r in POLICY.rules if r.ruleset == "attendance"}
