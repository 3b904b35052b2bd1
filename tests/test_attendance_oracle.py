"""Hand-worked cases for the attendance oracle (tests/attendance_oracle.py).

Unless a test says otherwise: employee E1 in the policy timezone Asia/Shanghai (UTC+8),
schedule 09:00-18:00 with a 12:00-13:00 break, Monday-Friday working days, period = the one
day Monday 2024-03-04. Timestamps without an offset are read in the employee's timezone.
"""

from __future__ import annotations

from datetime import date, time

import pytest

# tests/ has no __init__.py: pytest puts this directory on sys.path (rootdir/prepend mode).
from attendance_oracle import oracle_findings

MON = date(2024, 3, 4)  # Monday
TUE = date(2024, 3, 5)
THU = date(2024, 3, 7)
SAT = date(2024, 3, 9)


def monday_to_friday(d: date) -> bool:
    return d.weekday() < 5


def employee(eid: str = "E1", **fields: object) -> dict[str, object]:
    return {"type": "employee", "employee_id": eid, "name": eid, "team": "T", **fields}


def punch(at: str, direction: str | None = None, eid: str = "E1") -> dict[str, object]:
    return {
        "type": "punch",
        "employee_id": eid,
        "at": at,
        "direction": direction,
        "source": "device",
        "record_id": f"P-{eid}-{at}-{direction}",
    }


def day(
    date_iso: str = "2024-03-04", arrive: str = "09:00:00", leave: str = "18:00:00", eid: str = "E1"
) -> list[dict[str, object]]:
    """An "in" and an "out" punch on one day."""
    return [punch(f"{date_iso}T{arrive}", "in", eid), punch(f"{date_iso}T{leave}", "out", eid)]


def leave_request(
    rid: str,
    start: str,
    end: str,
    status: str = "approved",
    decided_at: str | None = "2024-03-01T10:00:00",
    leave_type: str = "annual",
    eid: str = "E1",
) -> dict[str, object]:
    return {
        "type": "leave_request",
        "request_id": rid,
        "employee_id": eid,
        "leave_type": leave_type,
        "start": start,
        "end": end,
        "submitted_at": "2024-03-01T09:00:00",
        "status": status,
        "decided_at": decided_at,
    }


def overtime_request(
    rid: str,
    start: str,
    end: str,
    status: str = "approved",
    decided_at: str | None = "2024-03-01T10:00:00",
    eid: str = "E1",
) -> dict[str, object]:
    return {
        "type": "overtime_request",
        "request_id": rid,
        "employee_id": eid,
        "start": start,
        "end": end,
        "submitted_at": "2024-03-01T09:00:00",
        "status": status,
        "decided_at": decided_at,
    }


def visit(start: str, end: str, eid: str = "E1") -> dict[str, object]:
    return {
        "type": "customer_visit",
        "employee_id": eid,
        "customer_id": "C1",
        "start": start,
        "end": end,
        "record_id": f"V-{eid}-{start}",
    }


def flatten(records: object) -> list[dict[str, object]]:
    """Records given as dicts or (nested) lists of dicts, as one flat list."""
    if isinstance(records, dict):
        return [records]
    return [r for item in records for r in flatten(item)]  # type: ignore[attr-defined]


def run(
    *records: object, start: date | None = MON, end: date | None = MON, **kwargs: object
) -> set[tuple[object, ...]]:
    flat = flatten(records)
    return oracle_findings(flat, is_workday=monday_to_friday, start=start, end=end, **kwargs)  # type: ignore[arg-type]


# ------------------------------------------------------------------------ late / early


def test_on_time_at_nine_sharp():
    # in 09:00:00 = req_start -> minutes_late 0; out 18:00:00 = req_end -> minutes_early 0.
    assert run(employee(), day(arrive="09:00:00")) == set()


def test_one_second_late_is_one_minute():
    # 09:00:01 - 09:00:00 = 1 s -> ceil(1/60) = 1 > grace 0 -> ATT-LATE 1.
    assert run(employee(), day(arrive="09:00:01")) == {("ATT-LATE", "E1", "2024-03-04", None, 1)}


def test_late_grace_parameter():
    # Same second of lateness, but a grace of 1 minute: 1 is not > 1.
    assert run(employee(), day(arrive="09:00:01"), params={"late_grace_minutes": 1}) == set()


def test_thirty_minutes_late_is_still_plain_late():
    # 30 <= serious_late_minutes 30 -> ATT-LATE.
    assert run(employee(), day(arrive="09:30:00")) == {("ATT-LATE", "E1", "2024-03-04", None, 30)}


def test_serious_late():
    # 09:30:01 -> 30 min 1 s -> ceil = 31 > 30 -> ATT-LATE-SERIOUS (and no plain ATT-LATE).
    assert run(employee(), day(arrive="09:30:01")) == {
        ("ATT-LATE-SERIOUS", "E1", "2024-03-04", None, 31)
    }


def test_early_leave():
    # out 17:45 -> 18:00 - 17:45 = 15 min -> ATT-EARLY 15.
    assert run(employee(), day(leave="17:45:00")) == {("ATT-EARLY", "E1", "2024-03-04", None, 15)}


def test_serious_early_leave():
    # out 17:29:59 -> 30 min 1 s -> 31 > 30 -> ATT-EARLY-SERIOUS 31.
    assert run(employee(), day(leave="17:29:59")) == {
        ("ATT-EARLY-SERIOUS", "E1", "2024-03-04", None, 31)
    }


def test_explicit_offset_is_an_instant():
    # 01:05Z = 09:05 in Shanghai -> 5 minutes late.
    records = [punch("2024-03-04T01:05:00Z", "in"), punch("2024-03-04T18:00:00+08:00", "out")]
    assert run(employee(), records) == {("ATT-LATE", "E1", "2024-03-04", None, 5)}


# ------------------------------------------------------------------ lone undirected punch


def test_lone_undirected_punch_before_midpoint_is_arrival():
    # Pieces [09:00,12:00] and [13:00,18:00]: req_start 09:00, req_end 18:00,
    # midpoint 13:30. 13:29:59 < 13:30 -> arrival: 269 min 59 s late -> 270, serious.
    # No departure -> missing punch "departure". No departure -> no overtime.
    assert run(employee(), punch("2024-03-04T13:29:59")) == {
        ("ATT-LATE-SERIOUS", "E1", "2024-03-04", None, 270),
        ("ATT-MISSING-PUNCH", "E1", "2024-03-04", None, "departure"),
    }


def test_lone_undirected_punch_at_midpoint_is_departure():
    # 13:30 is not < midpoint 13:30 -> departure: 18:00 - 13:30 = 270 min early.
    # Overtime interval [18:00, 13:30] is negative -> 0 minutes.
    assert run(employee(), punch("2024-03-04T13:30:00")) == {
        ("ATT-EARLY-SERIOUS", "E1", "2024-03-04", None, 270),
        ("ATT-MISSING-PUNCH", "E1", "2024-03-04", None, "arrival"),
    }


def test_two_undirected_punches_are_arrival_and_departure():
    # With two undirected punches the exception does not apply: each counts both ways,
    # arrival = 09:00 (earliest), departure = 18:00 (latest).
    records = [punch("2024-03-04T09:00:00"), punch("2024-03-04T18:00:00")]
    assert run(employee(), records) == set()


def test_only_out_punch_is_missing_arrival():
    assert run(employee(), punch("2024-03-04T18:00:00", "out")) == {
        ("ATT-MISSING-PUNCH", "E1", "2024-03-04", None, "arrival")
    }


# ------------------------------------------------------------------------------- leave


def test_morning_leave_moves_required_start_to_one_pm():
    # Approved leave 09:00-12:00 (decided 03-01, before it starts): pieces are only
    # [13:00,18:00], so req_start = 13:00 and arriving at 13:05 is 5 minutes late.
    records = [
        leave_request("L1", "2024-03-04T09:00:00", "2024-03-04T12:00:00"),
        day(arrive="13:05:00"),
    ]
    assert run(employee(), records) == {("ATT-LATE", "E1", "2024-03-04", None, 5)}


def test_absent():
    # Scheduled, required nonempty, no punch or visit, no leave request at all.
    assert run(employee()) == {("ATT-ABSENT", "E1", "2024-03-04", None, None)}


def test_pending_leave_is_unapproved_leave_not_absence():
    records = [
        leave_request(
            "L2", "2024-03-04T09:00:00", "2024-03-04T18:00:00", status="pending", decided_at=None
        ),
        leave_request("L1", "2024-03-04T14:00:00", "2024-03-04T15:00:00", status="rejected"),
    ]
    # Both overlap a required piece; detail is the sorted request ids.
    assert run(employee(), records) == {
        ("ATT-UNAPPROVED-LEAVE", "E1", "2024-03-04", None, ("L1", "L2"))
    }


def test_pending_leave_inside_the_break_does_not_count():
    # 12:00-13:00 only touches the pieces [09:00,12:00] and [13:00,18:00] at their ends:
    # no open overlap -> plain absence.
    records = [
        leave_request(
            "L1", "2024-03-04T12:00:00", "2024-03-04T13:00:00", status="pending", decided_at=None
        )
    ]
    assert run(employee(), records) == {("ATT-ABSENT", "E1", "2024-03-04", None, None)}


def test_full_day_approved_leave_means_nothing_required():
    # Leave covers the whole window -> required is empty: no absence, no late/early.
    records = [leave_request("L1", "2024-03-04T09:00:00", "2024-03-04T18:00:00")]
    assert run(employee(), records) == set()


def test_leave_approved_after_its_start():
    # Tuesday's full-day leave decided at 10:00 on Tuesday, after its 09:00 start.
    # Tuesday requires nothing (leave covers it); Monday is an ordinary worked day.
    records = [
        leave_request(
            "L1", "2024-03-05T09:00:00", "2024-03-05T18:00:00", decided_at="2024-03-05T10:00:00"
        ),
        day("2024-03-04"),
    ]
    expected = {("ATT-LEAVE-NOT-IN-ADVANCE", "E1", "2024-03-05", None, "L1")}
    assert run(employee(), records, end=TUE) == expected
    # decided_at missing counts as not in advance too.
    records[0]["decided_at"] = None
    assert run(employee(), records, end=TUE) == expected
    # A retroactive leave type is exempt.
    assert (
        run(employee(), records, end=TUE, params={"retroactive_leave_types": ["annual"]}) == set()
    )
    # The rule only reports requests starting inside the period (Tuesday is outside here);
    # Monday is still scheduled and worked.
    assert run(employee(), records, end=MON) == set()


def test_leave_decided_exactly_at_its_start_is_in_advance():
    records = [
        leave_request(
            "L1", "2024-03-04T09:00:00", "2024-03-04T18:00:00", decided_at="2024-03-04T09:00:00"
        ),
    ]
    assert run(employee(), records) == set()


# ---------------------------------------------------------------------------- overtime


def test_overtime_not_approved():
    # out 19:00 -> [18:00, 19:00] = 60 min > 30 -> exists; no request -> unapproved.
    assert run(employee(), day(leave="19:00:00")) == {
        ("ATT-OVERTIME-UNAPPROVED", "E1", "2024-03-04", None, 60)
    }


def test_overtime_at_the_minimum_does_not_exist():
    # out 18:30 -> 30 min, not > 30.
    assert run(employee(), day(leave="18:30:00")) == set()


def test_overtime_approved_in_advance():
    # Request 18:00-19:00 approved on 03-01 (before its start) overlaps [18:00, 19:00].
    records = [
        overtime_request("O1", "2024-03-04T18:00:00", "2024-03-04T19:00:00"),
        day(leave="19:00:00"),
    ]
    assert run(employee(), records) == set()


def test_overtime_approved_after_it_started_does_not_count():
    # Same request, but decided at 18:30, after its 18:00 start.
    records = [
        overtime_request(
            "O1", "2024-03-04T18:00:00", "2024-03-04T19:00:00", decided_at="2024-03-04T18:30:00"
        ),
        day(leave="19:00:00"),
    ]
    assert run(employee(), records) == {("ATT-OVERTIME-UNAPPROVED", "E1", "2024-03-04", None, 60)}


def test_overtime_approval_without_decision_time_does_not_count():
    records = [
        overtime_request("O1", "2024-03-04T18:00:00", "2024-03-04T19:00:00", decided_at=None),
        day(leave="19:00:00"),
    ]
    assert run(employee(), records) == {("ATT-OVERTIME-UNAPPROVED", "E1", "2024-03-04", None, 60)}


def test_overtime_day_limit():
    # out 21:00:01 -> 180 min 1 s -> 181 > 180: day limit, approved or not.
    assert run(employee(), day(leave="21:00:01")) == {
        ("ATT-OVERTIME-UNAPPROVED", "E1", "2024-03-04", None, 181),
        ("ATT-OVERTIME-DAY-LIMIT", "E1", "2024-03-04", None, 181),
    }
    approved = overtime_request("O1", "2024-03-04T18:00:00", "2024-03-04T21:00:00")
    assert run(employee(), approved, day(leave="21:00:01")) == {
        ("ATT-OVERTIME-DAY-LIMIT", "E1", "2024-03-04", None, 181),
    }
    # Exactly 180 is within the limit.
    assert run(employee(), approved, day(leave="21:00:00")) == set()


def test_overtime_month_limit_over_several_days():
    # Month limit lowered to 100 for readability.
    #   Mon out 18:40 -> 40 (approved in advance, still counts towards the month)
    #   Tue out 18:40 -> 40 (unapproved)
    #   Wed out 18:20 -> 20 (not > 30: no overtime, does not count)
    #   Thu out 18:40 -> 40 (unapproved)
    # Mon..Wed: 80, not > 100. Mon..Thu: 120 > 100 -> one finding for 2024-03.
    records = [
        overtime_request("O1", "2024-03-04T18:00:00", "2024-03-04T18:40:00"),
        day("2024-03-04", leave="18:40:00"),
        day("2024-03-05", leave="18:40:00"),
        day("2024-03-06", leave="18:20:00"),
        day("2024-03-07", leave="18:40:00"),
    ]
    params = {"overtime_month_limit_minutes": 100}
    tuesday = ("ATT-OVERTIME-UNAPPROVED", "E1", "2024-03-05", None, 40)
    thursday = ("ATT-OVERTIME-UNAPPROVED", "E1", "2024-03-07", None, 40)
    assert run(employee(), records, end=date(2024, 3, 6), params=params) == {tuesday}
    assert run(employee(), records, end=THU, params=params) == {
        tuesday,
        thursday,
        ("ATT-OVERTIME-MONTH-LIMIT", "E1", None, "2024-03", 120),
    }


def test_overtime_month_limit_default_boundary():
    # Working days of March 2024 from the 4th, each 18:00-21:00 = 180 min (not over the day
    # limit). 12 days -> 2160, not > 2160; 13 days -> 2340 > 2160.
    workdays = [date(2024, 3, n) for n in range(4, 32) if monday_to_friday(date(2024, 3, n))]
    records = [day(d.isoformat(), leave="21:00:00") for d in workdays[:13]]
    month = [f for f in run(employee(), *records, end=workdays[11]) if f[3] is not None]
    assert month == []
    month = [f for f in run(employee(), *records, end=workdays[12]) if f[3] is not None]
    assert month == [("ATT-OVERTIME-MONTH-LIMIT", "E1", None, "2024-03", 2340)]


def test_overtime_month_limit_is_per_calendar_month():
    # Fri 03-29 and Mon 04-01, 40 min each: 80 in total but 40 per month, limit 50.
    records = [day("2024-03-29", leave="18:40:00"), day("2024-04-01", leave="18:40:00")]
    assert run(
        employee(),
        *records,
        start=date(2024, 3, 29),
        end=date(2024, 4, 1),
        params={"overtime_month_limit_minutes": 50},
    ) == {
        ("ATT-OVERTIME-UNAPPROVED", "E1", "2024-03-29", None, 40),
        ("ATT-OVERTIME-UNAPPROVED", "E1", "2024-04-01", None, 40),
    }


# ---------------------------------------------------------------------------- left post


def test_left_post_gap_partly_in_a_visit_and_partly_in_lunch():
    # in 09:00, out 11:00, in 13:40, out 18:00; visit 11:10-11:50.
    # Gap [11:00, 13:40] within the required pieces: [11:00,12:00] + [13:00,13:40] = 100 min
    # (the lunch hour 12:00-13:00 is not required). Minus the visit's 40 min -> 60 > 30.
    # The visit start/end are also arrival/departure candidates, but 09:00 / 18:00 win.
    # Detail instants in UTC: 11:00+08 = 03:00Z, 13:40+08 = 05:40Z.
    records = [
        punch("2024-03-04T09:00:00", "in"),
        punch("2024-03-04T11:00:00", "out"),
        punch("2024-03-04T13:40:00", "in"),
        punch("2024-03-04T18:00:00", "out"),
        visit("2024-03-04T11:10:00", "2024-03-04T11:50:00"),
    ]
    assert run(employee(), records) == {
        (
            "ATT-LEFT-POST",
            "E1",
            "2024-03-04",
            None,
            ("2024-03-04T03:00:00+00:00", "2024-03-04T05:40:00+00:00", 60),
        )
    }


def test_short_gap_over_lunch_is_not_left_post():
    # out 11:45, in 13:10: 15 + 10 = 25 required minutes away, not > 30.
    records = [
        punch("2024-03-04T09:00:00", "in"),
        punch("2024-03-04T11:45:00", "out"),
        punch("2024-03-04T13:10:00", "in"),
        punch("2024-03-04T18:00:00", "out"),
    ]
    assert run(employee(), records) == set()


def test_undirected_punches_do_not_form_left_post_pairs():
    # The undirected 11:00 punch is ignored for pairs: sequence in, in, out -> no out->in.
    records = [
        punch("2024-03-04T09:00:00", "in"),
        punch("2024-03-04T11:00:00"),
        punch("2024-03-04T13:40:00", "in"),
        punch("2024-03-04T18:00:00", "out"),
    ]
    assert run(employee(), records) == set()


# ---------------------------------------------------------------------------- timezones


def test_naive_timestamp_in_europe_london():
    # Monday 2024-07-01, London on BST (UTC+1). Naive "09:10" is 09:10 London -> 10 late.
    # "17:00:00Z" is 18:00 London -> not early. (Read in Shanghai, 09:10 would be 01:10Z,
    # i.e. 02:10 London, and on time.)
    records = [
        employee(timezone="Europe/London"),
        punch("2024-07-01T09:10:00", "in"),
        punch("2024-07-01T17:00:00Z", "out"),
    ]
    july_1 = date(2024, 7, 1)
    assert run(records, start=july_1, end=july_1) == {("ATT-LATE", "E1", "2024-07-01", None, 10)}


def test_local_date_of_a_punch_is_in_the_employee_timezone():
    # 2024-03-03T23:30Z is Monday 07:30 in Shanghai (arrival, on time) and the out punch is
    # 10:00Z = 18:00 Shanghai: a normal Monday.
    records = [punch("2024-03-03T23:30:00Z", "in"), punch("2024-03-04T10:00:00Z", "out")]
    assert run(employee(), records) == set()


# ------------------------------------------------------------------- unscheduled days


def test_weekend_overtime_is_the_whole_stay():
    # Saturday: not scheduled; overtime interval [arrival, departure] = 10:00-11:00 = 60.
    # No late/early/absence/missing-punch on a day that is not scheduled.
    records = day("2024-03-09", arrive="10:00:00", leave="11:00:00")
    assert run(employee(), records, start=SAT, end=SAT) == {
        ("ATT-OVERTIME-UNAPPROVED", "E1", "2024-03-09", None, 60)
    }


def test_weekend_lone_undirected_punch_is_an_arrival_only():
    # Arrival but no departure on an unscheduled day: nothing to report.
    assert run(employee(), punch("2024-03-09T15:00:00"), start=SAT, end=SAT) == set()


def test_hired_on_after_the_day():
    # Hired Tuesday: Monday is not scheduled (no absence), Tuesday is (absent).
    assert run(employee(hired_on="2024-03-05"), start=MON, end=TUE) == {
        ("ATT-ABSENT", "E1", "2024-03-05", None, None)
    }
    # Working Monday 09:00-19:00 before being hired counts as unscheduled: the whole
    # 600 minutes are overtime, over the day limit too.
    records = day("2024-03-04", leave="19:00:00")
    assert run(employee(hired_on="2024-03-05"), records) == {
        ("ATT-OVERTIME-UNAPPROVED", "E1", "2024-03-04", None, 600),
        ("ATT-OVERTIME-DAY-LIMIT", "E1", "2024-03-04", None, 600),
    }


def test_left_on_is_the_last_scheduled_day():
    assert run(employee(left_on="2024-03-04"), start=MON, end=TUE) == {
        ("ATT-ABSENT", "E1", "2024-03-04", None, None)
    }


# ------------------------------------------------------------------------ period, params


def test_period_defaults_to_the_punch_dates():
    # E1 punches on Mon and Wed, E2 (no employee record, policy timezone) has nothing:
    # the period is Mon..Wed for everybody, so Tuesday is an absence for E1 and Mon..Wed
    # are absences for E2.
    records = [employee(), employee("E2"), day("2024-03-04"), day("2024-03-06")]
    assert run(*records, start=None, end=None) == {
        ("ATT-ABSENT", "E1", "2024-03-05", None, None),
        ("ATT-ABSENT", "E2", "2024-03-04", None, None),
        ("ATT-ABSENT", "E2", "2024-03-05", None, None),
        ("ATT-ABSENT", "E2", "2024-03-06", None, None),
    }


def test_no_punches_and_no_period_means_no_findings():
    assert run(employee(), start=None, end=None) == set()


def test_employee_without_employee_record_is_judged():
    assert run(day(arrive="09:02:00", eid="E9")) == {("ATT-LATE", "E9", "2024-03-04", None, 2)}


def test_unknown_parameter_is_a_key_error():
    with pytest.raises(KeyError):
        run(employee(), params={"late_grace": 5})


# ------------------------------------------------------------------------ day start (跨天)


def test_day_start_makes_work_past_midnight_the_evenings():
    # Monday 09:00 to Tuesday 00:30, day start 04:00: the out punch is Monday's departure;
    # overtime 18:00 -> 00:30 = 390 > 30 (not approved) and > 180 (the day's limit).
    records = [employee(), punch("2024-03-04T09:00:00", "in"), punch("2024-03-05T00:30:00", "out")]
    assert run(records, day_start=time(4)) == {
        ("ATT-OVERTIME-UNAPPROVED", "E1", "2024-03-04", None, 390),
        ("ATT-OVERTIME-DAY-LIMIT", "E1", "2024-03-04", None, 390),
    }
    # at midnight (the default) the out punch is Tuesday's: Monday has no departure
    assert run(records) == {("ATT-MISSING-PUNCH", "E1", "2024-03-04", None, "departure")}


def test_day_start_is_exclusive_at_its_own_time():
    # 03:59:59 is before 04:00: Monday's (18:00 -> 03:59:59 = 599 min 59 s -> 600);
    # 04:00:00 is Tuesday's, a Tuesday judged too: out at 04:00 and nothing else that day,
    # so its arrival is missing, and the departure 840 minutes before 18:00 is early leave.
    before = [employee(), punch("2024-03-04T09:00:00", "in"), punch("2024-03-05T03:59:59", "out")]
    assert run(before, end=TUE, day_start=time(4)) == {
        ("ATT-OVERTIME-UNAPPROVED", "E1", "2024-03-04", None, 600),
        ("ATT-OVERTIME-DAY-LIMIT", "E1", "2024-03-04", None, 600),
        ("ATT-ABSENT", "E1", "2024-03-05", None, None),
    }
    at = [employee(), punch("2024-03-04T09:00:00", "in"), punch("2024-03-05T04:00:00", "out")]
    assert run(at, end=TUE, day_start=time(4)) == {
        ("ATT-MISSING-PUNCH", "E1", "2024-03-04", None, "departure"),
        ("ATT-MISSING-PUNCH", "E1", "2024-03-05", None, "arrival"),
        ("ATT-EARLY-SERIOUS", "E1", "2024-03-05", None, 840),
    }


def test_day_start_moves_the_overtime_into_the_evenings_month():
    # Friday 29 March 2024 worked to 01:00 on Saturday 30 March: 420 minutes in March; a
    # Sunday 31 March worked 20:00 to 01:00 on 1 April (a rest day: arrival to departure,
    # 300 minutes) is March's too: 720 > a limit of 700.
    records = [
        employee(),
        punch("2024-03-29T09:00:00", "in"),
        punch("2024-03-30T01:00:00", "out"),
        punch("2024-03-31T20:00:00", "in"),
        punch("2024-04-01T01:00:00", "out"),
    ]
    found = run(
        records,
        start=date(2024, 3, 29),
        end=date(2024, 3, 31),
        day_start=time(4),
        params={"overtime_month_limit_minutes": 700},
    )
    assert ("ATT-OVERTIME-MONTH-LIMIT", "E1", None, "2024-03", 720) in found
