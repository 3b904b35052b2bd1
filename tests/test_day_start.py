"""The day start (跨天, ``schedule.day_start``): punches and visits before it count for the
attendance day before, so an evening's work past midnight ends that evening (arrival and
departure, overtime, its month), in the batch engine and the live one; at the default,
midnight, a punch counts on its local date as before.

Expected values are worked out by hand from docs/attendance.md: the schedule is 09:00–18:00
(Asia/Shanghai unless an employee's record says otherwise); overtime on a working day runs
from the scheduled end, 18:00, to the departure; on a rest day from arrival to departure.
31 March and 1 April 2026 are a Tuesday and a Wednesday, working days."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from sales_policy import load_policy
from sales_policy.calendar import Schedule
from sales_policy.findings import CheckResult

POLICY = load_policy()
#: the handbook's policy with attendance days starting at 04:00
NIGHT = dataclasses.replace(POLICY, schedule=Schedule(day_start=dt.time(4)))
TUE, WED = dt.date(2026, 3, 31), dt.date(2026, 4, 1)
CN = dt.timezone(dt.timedelta(hours=8))


def punch(at: str, direction: str | None, employee: str = "E1") -> dict[str, Any]:
    return {"type": "punch", "employee_id": employee, "at": at, "direction": direction}


def employee_record(employee: str, zone: str) -> dict[str, Any]:
    return {"type": "employee", "employee_id": employee, "name": employee, "timezone": zone}


def found(result: CheckResult) -> set[tuple[str, str, dt.date | None, str | None, Any]]:
    """rule, employee, date, period and the minutes (or the side missing) of each finding;
    of a check that rejected no record."""
    assert result.counts.rejected == 0, result.rejects.to_dicts()
    detail = ("overtime_minutes", "missing_side", "minutes_away", "minutes_late")
    return {
        (
            f.rule_id,
            f.employee_id,
            f.date,
            f.period,
            next((f.evidence[k] for k in detail if k in f.evidence), None),
        )
        for f in result
    }


#: Tuesday 09:00 to 00:30 on Wednesday, then Wednesday 09:00 to 18:00
PAST_MIDNIGHT = [
    punch("2026-03-31T09:00:00+08:00", "in"),
    punch("2026-04-01T00:30:00+08:00", "out"),
    punch("2026-04-01T09:00:00+08:00", "in"),
    punch("2026-04-01T18:00:00+08:00", "out"),
]


def test_an_evening_past_midnight_is_that_evenings_overtime_and_month() -> None:
    """With the day starting at 04:00, the out punch at 00:30 is Tuesday's departure: no
    missing punch; 18:00 to 00:30 is 390 minutes of overtime on Tuesday (over the 180 a day
    allows), in March's sum, where a limit of 389 a month is passed.  At the default,
    midnight, the old reading: Tuesday has no departure and no overtime."""
    night = NIGHT.with_params(overtime_month_limit_minutes=389)
    result = night.check(PAST_MIDNIGHT, TUE, WED, rulesets=["attendance"])
    assert found(result) == {
        ("ATT-OVERTIME-UNAPPROVED", "E1", TUE, None, 390),
        ("ATT-OVERTIME-DAY-LIMIT", "E1", TUE, None, 390),
        ("ATT-OVERTIME-MONTH-LIMIT", "E1", None, "2026-03", 390),
    }
    tuesday = result.facts["workday"].row(0, named=True)
    assert tuesday["date"] == TUE
    assert tuesday["departure"] == dt.datetime(2026, 3, 31, 16, 30, tzinfo=dt.UTC)  # 00:30+08
    assert tuesday["missing_side"] is None
    months = result.facts["employee_month"].select("period", "overtime_minutes", "overtime_days")
    assert months.rows() == [("2026-03", 390, 1), ("2026-04", 0, 0)]
    # Wednesday holds its own two punches only
    assert len(result.facts["workday"].row(1, named=True)["punch_refs"]) == 2

    midnight = POLICY.with_params(overtime_month_limit_minutes=389)
    before = midnight.check(PAST_MIDNIGHT, TUE, WED, rulesets=["attendance"])
    assert found(before) == {("ATT-MISSING-PUNCH", "E1", TUE, None, "departure")}
    assert before.facts["employee_month"].get_column("overtime_minutes").to_list() == [0, 0]


@pytest.mark.parametrize(
    ("out", "expected"),
    [
        # 18:00 to 03:59 the next morning: 9 h 59 min
        (
            "2026-04-01T03:59:00+08:00",
            {
                ("ATT-OVERTIME-UNAPPROVED", "E1", TUE, None, 599),
                ("ATT-OVERTIME-DAY-LIMIT", "E1", TUE, None, 599),
            },
        ),
        # at 04:00 Wednesday has begun: Tuesday has no departure; Wednesday's out at 04:00
        # and in at 09:00 are a gap before its working hours, no time away
        ("2026-04-01T04:00:00+08:00", {("ATT-MISSING-PUNCH", "E1", TUE, None, "departure")}),
    ],
)
def test_a_punch_at_0359_is_the_evening_before_and_at_0400_the_new_day(
    out: str, expected: set[Any]
) -> None:
    records = [PAST_MIDNIGHT[0], punch(out, "out"), *PAST_MIDNIGHT[2:]]
    assert found(NIGHT.check(records, TUE, WED, rulesets=["attendance"])) == expected


def test_a_visit_starting_before_the_day_start_is_the_evening_before() -> None:
    """A customer visit from 01:00 to 02:00 on Wednesday belongs to Tuesday: its end is
    Tuesday's departure, 480 minutes after 18:00.  At midnight it is Wednesday's, outside a
    check of Tuesday, and Tuesday has no departure."""
    records = [
        PAST_MIDNIGHT[0],
        {
            "type": "customer_visit",
            "employee_id": "E1",
            "customer_id": "C1",
            "start": "2026-04-01T01:00:00+08:00",
            "end": "2026-04-01T02:00:00+08:00",
        },
    ]
    assert found(NIGHT.check(records, TUE, TUE, rulesets=["attendance"])) == {
        ("ATT-OVERTIME-UNAPPROVED", "E1", TUE, None, 480),
        ("ATT-OVERTIME-DAY-LIMIT", "E1", TUE, None, 480),
    }
    assert found(POLICY.check(records, TUE, TUE, rulesets=["attendance"])) == {
        ("ATT-MISSING-PUNCH", "E1", TUE, None, "departure")
    }


def test_a_months_check_takes_its_last_evening_past_midnight_and_not_the_next_months() -> None:
    """Checked alone, March takes its 31st's work to 00:30 on 1 April (390 minutes in March);
    April does not take that punch (its 1st holds two punches, not three); a year's check
    takes New Year's Eve worked to 00:30 on 1 January 2027, a date the calendar of 2026
    does not cover."""
    march = NIGHT.check(PAST_MIDNIGHT, dt.date(2026, 3, 1), TUE, rulesets=["attendance"])
    assert march.facts["employee_month"].select("period", "overtime_minutes").rows() == [
        ("2026-03", 390)
    ]
    april = NIGHT.check(PAST_MIDNIGHT, WED, WED, rulesets=["attendance"])
    assert len(april.facts["workday"].row(0, named=True)["punch_refs"]) == 2
    assert len(POLICY.check(PAST_MIDNIGHT, WED, WED).facts["workday"]["punch_refs"][0]) == 3
    eve = [punch("2026-12-31T09:00:00+08:00", "in"), punch("2027-01-01T00:30:00+08:00", "out")]
    year = NIGHT.check(eve, dt.date(2026, 12, 1), dt.date(2026, 12, 31), rulesets=["attendance"])
    december = dt.date(2026, 12, 31)
    assert {f for f in found(year) if f[2] == december} == {
        ("ATT-OVERTIME-UNAPPROVED", "E1", december, None, 390),
        ("ATT-OVERTIME-DAY-LIMIT", "E1", december, None, 390),
    }


def test_each_employee_s_day_starts_in_their_own_timezone() -> None:
    """04:00 is each employee's local time: 00:30 in London (23:30 UTC, 07:30 in Shanghai)
    and in New York (04:30 UTC, 12:30 in Shanghai) is before it, so each one's Tuesday ends
    at 00:30 local, 390 minutes after their 18:00."""
    records: list[dict[str, Any]] = []
    for employee, zone, offset in (
        ("E1", "Asia/Shanghai", "+08:00"),
        ("E2", "Europe/London", "+01:00"),
        ("E3", "America/New_York", "-04:00"),
    ):
        records.append(employee_record(employee, zone))
        records.append(punch(f"2026-03-31T09:00:00{offset}", "in", employee))
        records.append(punch(f"2026-04-01T00:30:00{offset}", "out", employee))
    result = NIGHT.check(records, TUE, TUE, rulesets=["attendance"])
    assert found(result) == {
        (rule, employee, TUE, None, 390)
        for rule in ("ATT-OVERTIME-UNAPPROVED", "ATT-OVERTIME-DAY-LIMIT")
        for employee in ("E1", "E2", "E3")
    }


def test_the_day_start_is_a_wall_time_across_a_change_of_the_clocks() -> None:
    """London's clocks go from 01:00 GMT to 02:00 BST on Sunday 29 March 2026.  A Saturday
    (a rest day) worked from 20:00 GMT to 03:30 BST on Sunday: 03:30 is before 04:00 on the
    wall clock, so it is Saturday's departure; the overtime of a rest day is arrival to
    departure, 20:00 to 02:30 GMT, 390 minutes of real time.  At midnight the Saturday has
    no departure, and the Sunday no arrival: no overtime, and neither day is a working day."""
    records = [
        employee_record("E1", "Europe/London"),
        punch("2026-03-28T20:00:00+00:00", "in"),
        punch("2026-03-29T03:30:00+01:00", "out"),
    ]
    saturday, sunday = dt.date(2026, 3, 28), dt.date(2026, 3, 29)
    assert found(NIGHT.check(records, saturday, sunday, rulesets=["attendance"])) == {
        ("ATT-OVERTIME-UNAPPROVED", "E1", saturday, None, 390),
        ("ATT-OVERTIME-DAY-LIMIT", "E1", saturday, None, 390),
    }
    assert found(POLICY.check(records, saturday, sunday, rulesets=["attendance"])) == set()


def test_the_default_period_runs_over_attendance_days() -> None:
    """Without a period, the first and last dates are those of the punches' attendance days:
    a log from Tuesday 09:00 to 00:30 on Wednesday is Tuesday alone."""
    assert NIGHT.check(PAST_MIDNIGHT[:2]).period == (TUE, TUE)
    assert POLICY.check(PAST_MIDNIGHT[:2]).period == (TUE, WED)


# ----------------------------------------------------------------------------- live engine


def test_the_monitor_closes_a_day_at_the_next_day_start() -> None:
    """A monitor with the day starting at 04:00 keeps Tuesday open until 04:00 on Wednesday:
    the out punch at 00:30, posted after midnight, is Tuesday's; an advance to 03:59:59
    closes nothing, one to 04:00 closes Tuesday with its overtime.  A punch at 03:00 posted
    after that is for a closed day, and rejected; one at 09:00 is Wednesday's."""
    from sales_policy.live import Monitor

    with Monitor(NIGHT, start=TUE) as monitor:
        monitor.post(PAST_MIDNIGHT[0])
        assert monitor.advance(dt.datetime(2026, 4, 1, 0, 10, tzinfo=CN)) == []
        monitor.post(PAST_MIDNIGHT[1])
        assert monitor.advance(dt.datetime(2026, 4, 1, 3, 59, 59, tzinfo=CN)) == []
        assert monitor.closed_through("E1") is None
        closing = monitor.advance(dt.datetime(2026, 4, 1, 4, tzinfo=CN))
        assert found_live(closing) == {
            ("ATT-OVERTIME-UNAPPROVED", TUE, 390),
            ("ATT-OVERTIME-DAY-LIMIT", TUE, 390),
        }
        assert monitor.closed_through("E1") == TUE
        monitor.post(punch("2026-04-01T03:00:00+08:00", "out"))
        monitor.post(PAST_MIDNIGHT[2])
        monitor.flush()
        assert monitor.rejects.get_column("reason").to_list() == [
            "dated 2026-03-31, but the days of E1 through 2026-03-31 are already closed; "
            "a record must be posted before its day closes"
        ]
        assert monitor.counts.accepted == 3
    with Monitor(POLICY, start=TUE) as monitor:  # midnight: the day closes without its out
        monitor.post(PAST_MIDNIGHT[0])
        closing = monitor.advance(dt.datetime(2026, 4, 1, 0, 0, tzinfo=CN))
        assert found_live(closing) == {("ATT-MISSING-PUNCH", TUE, "departure")}


def test_with_lateness_a_punch_at_the_day_start_closes_the_day_before() -> None:
    """With ``lateness`` 0, a punch moves the clock to its instant: the out punch at 00:30
    closes nothing when the day starts at 04:00 (at midnight it closes Tuesday, without its
    departure); the next punch, at 04:00, closes Tuesday with its overtime."""
    from sales_policy.live import Monitor

    with Monitor(NIGHT, start=TUE, lateness=dt.timedelta(0)) as monitor:
        assert monitor.post(PAST_MIDNIGHT[0]) == []
        assert monitor.post(PAST_MIDNIGHT[1]) == []
        assert monitor.post(punch("2026-04-01T03:59:59+08:00", "in", "E2")) == []
        closing = monitor.post(punch("2026-04-01T04:00:00+08:00", "in"))
        assert {f for f in found_live(closing) if f[0].startswith("ATT-OVERTIME")} == {
            ("ATT-OVERTIME-UNAPPROVED", TUE, 390),
            ("ATT-OVERTIME-DAY-LIMIT", TUE, 390),
        }
    with Monitor(POLICY, start=TUE, lateness=dt.timedelta(0)) as monitor:
        assert monitor.post(PAST_MIDNIGHT[0]) == []
        closing = monitor.post(PAST_MIDNIGHT[1])
        assert found_live(closing) == {("ATT-MISSING-PUNCH", TUE, "departure")}


#: an overtime request from midnight to 00:30 on Wednesday, approved on Tuesday morning
FROM_MIDNIGHT = {
    "type": "overtime_request",
    "request_id": "O1",
    "employee_id": "E1",
    "start": "2026-04-01T00:00:00+08:00",
    "end": "2026-04-01T00:30:00+08:00",
    "submitted_at": "2026-03-31T10:00:00+08:00",
    "status": "approved",
    "decided_at": "2026-03-31T11:00:00+08:00",
}
CLOSED_TUESDAY = (
    "dated 2026-03-31, but the days of E1 through 2026-03-31 are already closed; "
    "a record must be posted before its day closes"
)


def test_an_overtime_request_from_midnight_is_for_the_evening_before_in_both_engines() -> None:
    """With the day starting at 04:00, Tuesday's overtime runs from 18:00 to the out punch
    at 00:30 on Wednesday, and the request from 00:00 to 00:30, approved before it began,
    overlaps it: the overtime is approved, only over the day's limit of 180 minutes.  The
    monitor, given the request before Tuesday closes (at 04:00 on Wednesday), finds the
    same; given it after, it rejects it as a record for Tuesday, a day already closed, as
    it rejects a punch at 03:00, and Tuesday's overtime was judged unapproved without it,
    as the batch engine judges the records accepted."""
    from sales_policy.live import Monitor

    evening = PAST_MIDNIGHT[:2]
    batch = NIGHT.check([*evening, FROM_MIDNIGHT], TUE, TUE, rulesets=["attendance"])
    assert found(batch) == {("ATT-OVERTIME-DAY-LIMIT", "E1", TUE, None, 390)}
    unapproved = {("ATT-OVERTIME-UNAPPROVED", TUE, 390), ("ATT-OVERTIME-DAY-LIMIT", TUE, 390)}
    closing = dt.datetime(2026, 4, 1, 4, tzinfo=CN)
    with Monitor(NIGHT, start=TUE) as monitor:
        for record in [*evening, FROM_MIDNIGHT]:
            monitor.post(record)
        assert found_live(monitor.advance(closing)) == {("ATT-OVERTIME-DAY-LIMIT", TUE, 390)}
        assert monitor.counts.rejected == 0
    with Monitor(NIGHT, start=TUE) as monitor:
        for record in evening:
            monitor.post(record)
        assert found_live(monitor.advance(closing)) == unapproved
        monitor.post(FROM_MIDNIGHT)
        monitor.flush()
        assert monitor.rejects.get_column("reason").to_list() == [CLOSED_TUESDAY]
        assert monitor.counts.accepted == 2
    accepted = NIGHT.check(evening, TUE, TUE, rulesets=["attendance"])
    assert {(f.rule_id, f.date, f.evidence["overtime_minutes"]) for f in accepted} == unapproved
    # at midnight the request is Wednesday's, which is still open: accepted (Tuesday closed
    # at midnight without its departure, and Wednesday has no overtime for it to approve)
    with Monitor(POLICY, start=TUE) as monitor:
        monitor.post(evening[0])
        monitor.advance(dt.datetime(2026, 4, 1, tzinfo=CN))
        monitor.post(FROM_MIDNIGHT)
        monitor.flush()
        assert monitor.counts.rejected == 0


def test_a_leave_request_before_the_day_start_is_for_its_own_date_in_both_engines() -> None:
    """Leave keeps its local date with a day start: leave from 02:00 on Wednesday counts
    against Wednesday's working hours (09:00 to 18:00), never Tuesday's.  The monitor takes
    it after Tuesday has closed (at 04:00 on Wednesday), while Wednesday is open, and
    Wednesday, covered by leave approved before it began, is no absence, as in the batch
    engine; posted after Wednesday has closed, it is rejected as a record for Wednesday."""
    from sales_policy.live import Monitor

    tuesday = [punch("2026-03-31T09:00:00+08:00", "in"), punch("2026-03-31T18:00:00+08:00", "out")]
    leave = {
        "type": "leave_request",
        "request_id": "L1",
        "employee_id": "E1",
        "leave_type": "annual",
        "start": "2026-04-01T02:00:00+08:00",
        "end": "2026-04-01T18:00:00+08:00",
        "submitted_at": "2026-03-30T10:00:00+08:00",
        "status": "approved",
        "decided_at": "2026-03-30T11:00:00+08:00",
    }
    # Tuesday worked 09:00 to 18:00, Wednesday on leave: nothing to find
    assert found(NIGHT.check([*tuesday, leave], TUE, WED, rulesets=["attendance"])) == set()
    with Monitor(NIGHT, start=TUE, end=WED) as monitor:
        for record in tuesday:
            monitor.post(record)
        assert monitor.advance(dt.datetime(2026, 4, 1, 4, tzinfo=CN)) == []
        assert monitor.closed_through("E1") == TUE
        monitor.post(leave)
        assert monitor.advance(dt.datetime(2026, 4, 2, 4, tzinfo=CN)) == []
        assert monitor.counts.accepted == 3 and monitor.counts.rejected == 0
    with Monitor(NIGHT, start=TUE, end=WED) as monitor:
        for record in tuesday:
            monitor.post(record)
        absent = monitor.advance(dt.datetime(2026, 4, 2, 4, tzinfo=CN))
        assert {(f.rule_id, f.date) for f in absent} == {("ATT-ABSENT", WED)}
        monitor.post(leave)
        monitor.flush()
        assert monitor.rejects.get_column("reason").to_list() == [
            "dated 2026-04-01, but the days of E1 through 2026-04-01 are already closed; "
            "a record must be posted before its day closes"
        ]


def found_live(findings: list[Any]) -> set[tuple[str, dt.date | None, Any]]:
    """E1's findings: rule, date and the minutes (or the side missing)."""
    detail = ("overtime_minutes", "missing_side")
    return {
        (f.rule_id, f.date, next((f.evidence[k] for k in detail if k in f.evidence), None))
        for f in findings
        if f.employee_id == "E1"
    }
