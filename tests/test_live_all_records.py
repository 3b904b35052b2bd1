"""The live engine against the batch engine over records of every type (docs/engines.md: "A
live monitor's findings equal the batch engine's over the same records posted in time
order")."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from test_live import FAR_FUTURE, POLICY, assert_accounted, same_findings

from sales_policy.findings import Finding
from sales_policy.live import Monitor

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
#: E1 on Wednesday 4 November 2026: in at 09:00, then a customer visit from 17:00 to 02:00
#: the next morning, and overtime requested (approved in advance, on the 3rd) from 00:30
#: to 02:00, which the nightly job has not seen when it runs at 00:15
LATE_VISIT = [
    {"type": "employee", "employee_id": "E1", "name": "甲", "timezone": "Asia/Shanghai"},
    {"type": "punch", "employee_id": "E1", "at": "2026-11-04T09:00:00+08:00", "direction": "in"},
    {
        "type": "customer_visit",
        "employee_id": "E1",
        "customer_id": "C1",
        "start": "2026-11-04T17:00:00+08:00",
        "end": "2026-11-05T02:00:00+08:00",
    },
    {
        "type": "overtime_request",
        "request_id": "R1",
        "employee_id": "E1",
        "start": "2026-11-05T00:30:00+08:00",
        "end": "2026-11-05T02:00:00+08:00",
        "submitted_at": "2026-11-03T10:00:00+08:00",
        "status": "approved",
        "decided_at": "2026-11-03T12:00:00+08:00",
    },
]


def test_a_day_whose_visit_runs_past_midnight_closes_when_the_visit_ends() -> None:
    """A day's overtime runs to its departure, which a customer visit may put past midnight
    (docs/attendance.md: the 4th's from 18:00 to 02:00 on the 5th, 480 minutes), and an
    overtime request approved in advance that overlaps it by a positive length approves it,
    also one starting after midnight (00:30).  Posted at its start, after a nightly advance
    at 00:15, that request still finds the 4th open: the day closes once it has ended and the
    visits begun on it have ended.  (It closed at midnight, and was judged without the
    request: ATT-OVERTIME-UNAPPROVED, which the batch engine does not report.)  The findings
    are the batch engine's: ATT-OVERTIME-DAY-LIMIT (480 minutes, above 180), nothing else."""
    day = dt.date(2026, 11, 4)
    expected = POLICY.check(LATE_VISIT, day, day)
    assert [(f.rule_id, f.evidence) for f in expected.findings] == [
        ("ATT-OVERTIME-DAY-LIMIT", {"overtime_minutes": 480})
    ]
    *before, request = LATE_VISIT
    with Monitor(POLICY, start=day, end=day) as monitor:
        found: list[Finding] = []
        for record in before:
            found += monitor.post(record)
        found += monitor.advance(dt.datetime(2026, 11, 5, 0, 15, tzinfo=SHANGHAI))
        assert monitor.closed_through("E1") is None  # the visit is still on
        found += monitor.post(request)
        found += monitor.advance(dt.datetime(2026, 11, 5, 2, 0, tzinfo=SHANGHAI))
        assert monitor.closed_through("E1") == day
        found += monitor.advance(FAR_FUTURE)
        assert_accounted(monitor)
        assert monitor.counts.rejected == 0
    assert same_findings(found, expected.findings, LATE_VISIT)


def test_with_lateness_a_punch_closes_a_day_once_its_visit_has_ended() -> None:
    """With ``lateness``, E1's punches after midnight close the 4th only once its visit
    (to 02:00) has ended: not at 01:00, at 02:30.  The post that closes it returns the batch
    engine's findings of the day."""
    day = dt.date(2026, 11, 4)
    night = [
        {"type": "punch", "employee_id": "E1", "at": f"2026-11-05T{at}:00+08:00"}
        for at in ("01:00", "02:30")
    ]
    posted = [*LATE_VISIT[:3], night[0], LATE_VISIT[3], night[1]]
    expected = POLICY.check(posted, day, day)
    assert [f.rule_id for f in expected.findings] == ["ATT-OVERTIME-DAY-LIMIT"]
    with Monitor(POLICY, start=day, end=day, lateness=dt.timedelta(0)) as monitor:
        for record in posted[:4]:
            assert monitor.post(record) == []
        assert monitor.closed_through("E1") is None
        found = monitor.post(posted[4]) + monitor.post(posted[5])
        assert monitor.closed_through("E1") == day
        assert_accounted(monitor)
    assert same_findings(found, expected.findings, posted)


def test_a_visit_before_start_keeps_no_day_open() -> None:
    """A visit on a day before ``start`` is not judged, however long it runs: a monitor from
    the 4th closes the 4th at midnight though E1's visit begun on the 3rd is still on."""
    day = dt.date(2026, 11, 4)
    visit = {
        "type": "customer_visit",
        "employee_id": "E1",
        "customer_id": "C1",
        "start": "2026-11-03T17:00:00+08:00",
        "end": "2026-11-06T17:00:00+08:00",
    }
    with Monitor(POLICY, start=day) as monitor:
        monitor.post(LATE_VISIT[1])
        monitor.post(visit)
        monitor.advance(dt.datetime(2026, 11, 5, 0, 15, tzinfo=SHANGHAI))
        assert monitor.closed_through("E1") == day
