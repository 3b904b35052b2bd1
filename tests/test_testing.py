"""The public property-testing toolkit: strategies valid by construction, checked arguments,
and properties that fail with readable findings."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sales_policy import InvalidArgument, Punch, load_policy
from sales_policy.records import RECORD_MODELS
from sales_policy.tables import build_tables
from sales_policy.testing import (
    check_agree_except,
    check_never_adds,
    check_never_fires,
    logs,
    policy_overrides,
    records,
)

POLICY = load_policy()
LATE = [
    {"type": "punch", "employee_id": "E1", "at": "2026-11-02T09:07:00+08:00", "direction": "in"},
    {"type": "punch", "employee_id": "E1", "at": "2026-11-02T18:00:00+08:00", "direction": "out"},
]
DAY = dt.date(2026, 11, 2)


@pytest.mark.parametrize("record_type", sorted(RECORD_MODELS))
def test_every_record_type_has_a_strategy_whose_records_are_all_accepted(record_type: str) -> None:
    """Valid by construction: the validator accepts every generated record, and so does the
    pydantic model through st.from_type."""

    @settings(max_examples=60)
    @given(
        rows=st.lists(records(record_type), max_size=5, unique_by=_record_key(record_type)),
        model=st.from_type(RECORD_MODELS[record_type]),
    )
    def check(rows: list[dict[str, Any]], model: Any) -> None:
        tables = build_tables(rows, policy_timezone="Asia/Shanghai")
        assert tables.rejects.is_empty(), tables.rejects.to_dicts()
        assert tables.accepted == len(rows)
        assert isinstance(model, RECORD_MODELS[record_type])

    check()


def _record_key(record_type: str) -> Any:
    ids = (
        ("employee_id",)
        if record_type == "employee"
        else ("request_id", "order_id", "contract_id", "record_id")
    )
    return lambda row: next((row[k] for k in ids if row.get(k) is not None), id(row))


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: logs(employees=0), "employees must be a whole number from 1 to 50"),
        (lambda: logs(max_days="7"), "max_days must be a whole number"),
        (lambda: logs(edge_probability=1.5), "edge_probability must be a number from 0 to 1"),
        (lambda: logs(timezones=["Mars/Base"]), "unknown timezone 'Mars/Base'"),
        (lambda: logs(start=dt.date(2026, 2, 1), end=dt.date(2026, 1, 1)), "must not be before"),
        (lambda: records("punchh"), "record_type must be one of"),
        (lambda: records("punch", statuses=["x"]), "statuses: punch records have no status"),
        (lambda: records("leave_request", statuses=["approvd"]), "'approved'"),
        (lambda: records("punch", employees=[]), "employees must be a count or a non-empty list"),
        (lambda: policy_overrides(rulesets=["atendance"]), "rulesets: unknown"),
    ],
)
def test_invalid_arguments_name_the_argument_and_what_it_accepts(make: Any, message: str) -> None:
    with pytest.raises(InvalidArgument, match=message):
        make()


@given(overrides=policy_overrides())
def test_policy_overrides_are_always_accepted(overrides: dict[str, Any]) -> None:
    policy = POLICY.with_params(**overrides)
    assert all(policy.params[k] == v for k, v in overrides.items())


@given(punch=st.from_type(Punch))
def test_from_type_draws_valid_models(punch: Punch) -> None:
    assert punch.employee_id.startswith("E")


def test_check_never_adds_fails_with_the_added_findings() -> None:
    lenient = POLICY.with_params(late_grace_minutes=10)
    check_never_adds(POLICY, lenient, LATE, rules=["ATT-LATE"])
    with pytest.raises(AssertionError, match=r"adds 1 finding\(s\):\n  ATT-LATE E1 2026-11-02"):
        check_never_adds(lenient, POLICY, LATE, rules=["ATT-LATE"])


def test_check_never_fires_and_agree_except() -> None:
    check_never_fires(POLICY, LATE, ["ATT-EARLY"], start=DAY, end=DAY)
    with pytest.raises(AssertionError, match="1 finding"):
        check_never_fires(POLICY, LATE, ["ATT-LATE"], start=DAY, end=DAY)
    lenient = POLICY.with_params(late_grace_minutes=10)
    check_agree_except(POLICY, lenient, LATE, rules=["ATT-LATE"], start=DAY, end=DAY)
    with pytest.raises(AssertionError, match="disagree on 1 finding"):
        check_agree_except(POLICY, lenient, LATE, start=DAY, end=DAY)


@given(log=logs(), grace=st.integers(0, 240))
def test_more_late_grace_never_adds_a_late_arrival(log: Any, grace: int) -> None:
    check_never_adds(
        POLICY,
        POLICY.with_params(late_grace_minutes=grace),
        log.records,
        rules=["ATT-LATE"],
        start=log.start,
        end=log.end,
    )


@given(log=logs(), threshold=st.integers(30, 480))
def test_a_higher_serious_threshold_never_adds_serious_lateness(log: Any, threshold: int) -> None:
    check_never_adds(
        POLICY,
        POLICY.with_params(serious_late_minutes=threshold),
        log.records,
        rules=["ATT-LATE-SERIOUS"],
        start=log.start,
        end=log.end,
    )


@given(log=logs(), limit=st.integers(0, 480))
def test_disabling_a_rule_changes_only_that_rule(log: Any, limit: int) -> None:
    changed = POLICY.with_params(left_post_minutes=limit)
    check_agree_except(
        POLICY, changed, log.records, rules=["ATT-LEFT-POST"], start=log.start, end=log.end
    )


CONDUCT_TYPES = [
    t
    for t in sorted(RECORD_MODELS)
    if t not in ("employee", "punch", "leave_request", "overtime_request", "customer_visit")
]


@settings(max_examples=25)
@given(log=logs(record_types=CONDUCT_TYPES))
def test_logs_with_every_record_type_are_accepted_whole(log: Any) -> None:
    """Logs can carry conduct and assessment records for the same employees and customers;
    every record is valid and ids never repeat."""
    result = POLICY.check(log.records, log.start, log.end)
    assert result.counts.rejected == 0, result.rejects.to_dicts()[:3]
    staff = {r["employee_id"] for r in log.records if r["type"] not in CONDUCT_TYPES}
    others = {r["employee_id"] for r in log.records if r["type"] in CONDUCT_TYPES}
    assert others <= (staff or {"E1"})


def test_logs_rejects_unknown_record_types() -> None:
    with pytest.raises(InvalidArgument, match="record_types must be a list of record types"):
        logs(record_types=["punches"])
