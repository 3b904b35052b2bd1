"""Metamorphic properties: changes to the input that must not change the findings."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import Counter
from typing import Any

import polars as pl
from conftest import half_the_examples
from hypothesis import given
from hypothesis import strategies as st

from sales_policy import load_policy
from sales_policy.testing import Log, logs

POLICY = load_policy()
TIMESTAMPS = ("at", "start", "end", "submitted_at", "decided_at")


def findings_without_sources(log_records: list[dict[str, Any]], log: Log) -> pl.DataFrame:
    result = POLICY.check(log_records, log.start, log.end)
    assert result.counts.rejected == 0
    return result.frame.drop("sources")


@given(log=logs(), order=st.randoms(use_true_random=False))
def test_input_order_does_not_matter(log: Log, order: Any) -> None:
    shuffled = list(log.records)
    order.shuffle(shuffled)
    findings = findings_without_sources(log.records, log)
    # a shuffle that left every record in place (a log of one record, say) is the same
    # input: checking it again would compare the check with itself
    if [id(r) for r in shuffled] != [id(r) for r in log.records]:
        assert findings_without_sources(shuffled, log).equals(findings)


@half_the_examples
@given(log=logs(employees=4))
def test_each_employee_alone_equals_all_together(log: Log) -> None:
    together = findings_without_sources(log.records, log)
    employees = sorted({r["employee_id"] for r in log.records})
    if len(employees) < 2:
        return  # one employee alone is the whole log: checking it again changes nothing
    parts = [
        findings_without_sources([r for r in log.records if r["employee_id"] == e], log)
        for e in employees
    ]
    alone = pl.concat(parts)
    assert alone.sort(alone.columns).equals(together.sort(together.columns))


@given(log=logs(naive_probability=0.0), offset=st.sampled_from([0, -8 * 60, 5 * 60 + 45, 14 * 60]))
def test_the_same_instants_in_another_offset_give_the_same_findings(log: Log, offset: int) -> None:
    zone = dt.timezone(dt.timedelta(minutes=offset))
    rewritten = [
        {
            k: dt.datetime.fromisoformat(v.replace("Z", "+00:00")).astimezone(zone).isoformat()
            if k in TIMESTAMPS and isinstance(v, str)
            else v
            for k, v in record.items()
        }
        for record in log.records
    ]
    assert findings_without_sources(rewritten, log).equals(
        findings_without_sources(log.records, log)
    )


@given(log=logs(), data=st.data())
def test_a_whole_day_of_leave_approved_in_advance_never_adds_a_finding_that_day(
    log: Log, data: st.DataObject
) -> None:
    employee = data.draw(st.sampled_from(sorted({r["employee_id"] for r in log.records} or {"E1"})))
    day = data.draw(st.dates(log.start, log.end))
    records = [r for r in log.records if r["employee_id"] == employee and r["type"] == "employee"]
    zone = zoneinfo.ZoneInfo((records[0].get("timezone") if records else None) or log.timezone)
    start = dt.datetime.combine(day, dt.time(0), tzinfo=zone)
    leave = {
        "type": "leave_request",
        "request_id": "ADDED",
        "employee_id": employee,
        "leave_type": "annual",
        "start": start.isoformat(),
        "end": dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=zone).isoformat(),
        "submitted_at": (start - dt.timedelta(days=3)).isoformat(),
        "status": "approved",
        "decided_at": (start - dt.timedelta(days=1)).isoformat(),
    }

    def that_day(frame: pl.DataFrame) -> Counter[str]:
        rows = frame.filter((pl.col("employee_id") == employee) & (pl.col("date") == day))
        return Counter(rows.get_column("rule_id").to_list())

    before = that_day(findings_without_sources(log.records, log))
    after = that_day(findings_without_sources([*log.records, leave], log))
    assert after <= before
