"""The live engine (``sales_policy.live``) against the batch engine, and its guards against
the known faults of durable_rules 2.0.28."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
import textwrap
import threading
import zoneinfo
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from conftest import ROOT
from durable.engine import Host, MessageObservedException
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
)

from sales_policy import InvalidArgument, Policy, Schedule, load_policy
from sales_policy.facts.schema import COLUMN_DTYPES, FACT_TABLES
from sales_policy.findings import Finding
from sales_policy.live import Monitor, translate
from sales_policy.live.posted import first_date_field
from sales_policy.live.router import Router
from sales_policy.live.translate import GUARD
from sales_policy.testing import logs, policy_overrides

POLICY = load_policy()
FAR_FUTURE = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
Key = tuple[str, str, str | None, str | None, str, tuple[str, ...]]


# ----------------------------------------------------------------------------- helpers


def time_key(record: dict[str, Any], zones: dict[str, str], policy_zone: str) -> dt.datetime:
    """When a record happened: employee records (and records no date dates) first, then by
    the instant that dates it (its first required date or date-time, as the monitor dates
    it; a date at its local midnight)."""
    spec = first_date_field(record["type"])
    if spec is None or record.get(spec.name) is None:
        return dt.datetime.min.replace(tzinfo=dt.UTC)
    instant = dt.datetime.fromisoformat(str(record[spec.name]).replace("Z", "+00:00"))
    if instant.tzinfo is None:
        zone = zones.get(record["employee_id"], policy_zone)
        instant = instant.replace(tzinfo=zoneinfo.ZoneInfo(zone))
    return instant.astimezone(dt.UTC)


def in_time_order(records: Sequence[dict[str, Any]], policy_zone: str) -> list[dict[str, Any]]:
    zones = {
        r["employee_id"]: r.get("timezone") or policy_zone
        for r in records
        if r["type"] == "employee"
    }
    return sorted(records, key=lambda r: time_key(r, zones, policy_zone))


def citations(records: Sequence[dict[str, Any]], policy_zone: str) -> list[str]:
    """What each record is as a source, as far as the rules can tell records apart: type,
    employee, instants (UTC), direction.  Two punches of one employee at the same instant in
    the same direction are the same evidence, and the batch engine cites either (it sorts
    tied punches unstably, so which one depends even on other employees' records)."""
    zones = {
        r["employee_id"]: r.get("timezone") or policy_zone
        for r in records
        if r.get("type") == "employee" and isinstance(r.get("employee_id"), str)
    }
    cited = []
    for record in records:
        instants: list[Any] = []
        for name in ("at", "start", "end"):
            if record.get(name):
                try:
                    value = dt.datetime.fromisoformat(str(record[name]).replace("Z", "+00:00"))
                except ValueError:
                    instants.append(record[name])
                    continue
                if value.tzinfo is None:
                    zone = zones.get(str(record.get("employee_id")), policy_zone)
                    value = value.replace(tzinfo=zoneinfo.ZoneInfo(zone))
                instants.append(value.astimezone(dt.UTC).isoformat())
        kind = (record.get("type"), record.get("employee_id"), instants, record.get("direction"))
        cited.append(json.dumps(kind))
    return cited


def key(finding: Finding, cited: Sequence[str], lines: dict[int, int] | None = None) -> Key:
    """What the differential compares.  Sources are ``<records>:N`` (N: the post's number,
    renumbered by ``lines`` for a batch run over some of the records) and compared by what
    they cite (``citations``)."""
    sources = []
    for source in finding.sources:
        name, number = source.rsplit(":", 1)
        assert name == "<records>", source
        sources.append(cited[(int(number) if lines is None else lines[int(number)]) - 1])
    return (
        finding.rule_id,
        finding.employee_id,
        finding.date.isoformat() if finding.date else None,
        finding.period,
        json.dumps(finding.evidence, sort_keys=True),
        tuple(sorted(sources)),
    )


def same_findings(
    found: Iterable[Finding], expected: Iterable[Finding], records: Sequence[dict[str, Any]]
) -> bool:
    cited = citations(records, POLICY.timezone)
    return sorted(key(f, cited) for f in found) == sorted(key(f, cited) for f in expected)


def midnight_utc(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def assert_accounted(monitor: Monitor) -> None:
    counts = monitor.counts
    assert counts.balanced, counts
    assert counts.queued == 0, counts
    assert counts.posted == counts.accepted + counts.rejected, counts
    assert counts.facts_posted == counts.facts_matched + counts.facts_unmatched, counts
    assert monitor.errors == [], monitor.errors[:5]


# ----------------------------------------------------------------------------- the extra


def test_import_without_durable_rules_gives_the_install_hint() -> None:
    """Without durable_rules, importing sales_policy.live says how to install it."""
    code = "import sys; sys.modules['durable'] = None; import sales_policy.live"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode != 0
    assert "ImportError" in done.stderr
    assert "pip install 'sales_policy[live]'" in done.stderr


def test_import_with_durable_rules_that_does_not_load_says_so(tmp_path: Path) -> None:
    """durable_rules installed but its extension failing to load (as 2.0.28 built on Python
    3.13: "undefined symbol: PyEval_CallObject") is not said to be missing: the message
    gives the loader's error, not the install hint the user has followed."""
    (tmp_path / "durable_rules_engine.py").write_text(
        "raise ImportError('durable_rules_engine.so: undefined symbol: PyEval_CallObject')\n"
    )
    path = os.pathsep.join([str(tmp_path), *sys.path])
    done = subprocess.run(
        [sys.executable, "-c", "import sales_policy.live"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "PYTHONPATH": path},
    )
    assert done.returncode != 0
    [last] = done.stderr.strip().splitlines()[-1:]
    assert last.startswith(
        "ImportError: sales_policy.live needs durable_rules, which is installed but does not "
        "load (durable_rules_engine.so: undefined symbol: PyEval_CallObject)"
    ), last
    assert "pip install" not in last


# ----------------------------------------------------------------------------- differential


#: the handbook's policy with attendance days starting at 04:00 (跨天): logs drawn around its
#: schedule too have punches in the night
NIGHT = dataclasses.replace(POLICY, schedule=Schedule(day_start=dt.time(4)))
#: day starts drawn: midnight (the default) half of the time, else a later one
DAY_STARTS = st.sampled_from([dt.time(0)] * 2 + [dt.time(4), dt.time(1, 30)])


def with_day_start(policy: Policy, day_start: dt.time) -> Policy:
    return dataclasses.replace(policy, schedule=Schedule(day_start=day_start))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    log=logs(employees=3, max_days=9, policy=[POLICY, NIGHT]),
    overrides=policy_overrides(),
    daily=st.booleans(),
    chunk=st.sampled_from([3, 20_000]),
    day_start=DAY_STARTS,
)
def test_monitor_finds_what_the_batch_engine_finds(
    log: Any, overrides: dict[str, Any], daily: bool, chunk: int, day_start: dt.time
) -> None:
    """Generated logs (several employees, timezones, days, every kind of request, random
    parameters, punches in the night), posted in time order and advanced past the end (once,
    or day by day after everything is posted), give exactly the batch engine's findings:
    rule, employee, date, period, evidence and sources (``<records>:N``, N the post's number,
    which is the batch engine's numbering of the same list).  Validating the queue in chunks
    of 3 records or in one changes nothing; nor does a day start after midnight (跨天), with
    which both engines judge a punch before it on the day before."""
    policy = with_day_start(POLICY.with_params(**overrides), day_start)
    records = in_time_order(log.records, log.timezone)
    expected = policy.check(records, log.start, log.end)
    with Monitor(policy, start=log.start, end=log.end, chunk_size=chunk) as monitor:
        found: list[Finding] = []
        for record in records:
            found += monitor.post(record)
        if daily:
            for offset in range((log.end - log.start).days + 3):
                found += monitor.advance(midnight_utc(log.start + dt.timedelta(days=offset)))
        found += monitor.advance(FAR_FUTURE)
        assert same_findings(found, expected.findings, records)
        assert monitor.counts.rejected == expected.counts.rejected
        assert monitor.pending == {r: n for r, n in expected.pending.items() if n}
        assert_accounted(monitor)


def late_evening(log: Any, day: dt.date, day_start: dt.time) -> list[dict[str, Any]]:
    """E9 (no employee record: the policy's timezone) works ``day`` from 09:00 to half an
    hour before the next day start (to 00:30 with the day starting at midnight): 18:00 to
    03:30 is 570 minutes of overtime with a day start of 04:00, past any threshold the rule
    file allows.  An overtime request approved that morning covers it from midnight to the
    day start (to 01:00 at midnight): by the instants, it approves that evening's overtime."""
    zone = zoneinfo.ZoneInfo(log.timezone)
    morning = dt.datetime.combine(day, dt.time(9), tzinfo=zone)
    midnight = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    since = dt.timedelta(hours=day_start.hour, minutes=day_start.minute)
    out = midnight + (since - dt.timedelta(minutes=30) if since else dt.timedelta(minutes=30))
    punches = [(morning, "in"), (out, "out")]
    return [
        *(
            {"type": "punch", "employee_id": "E9", "at": at.isoformat(), "direction": d}
            for at, d in punches
        ),
        {
            "type": "overtime_request",
            "request_id": "R-E9",
            "employee_id": "E9",
            "start": midnight.isoformat(),
            "end": (out + dt.timedelta(minutes=30)).isoformat(),
            "submitted_at": morning.isoformat(),
            "status": "approved",
            "decided_at": (morning + dt.timedelta(hours=3)).isoformat(),
        },
    ]


#: hours a record is posted after its time when the clock advances between posts: most on
#: time, some after their day has closed
DELAYS = st.sampled_from([0, 0, 0, 2, 5, 30])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    log=logs(employees=3, max_days=6, policy=[POLICY, NIGHT]),
    overrides=policy_overrides(),
    chunk=st.sampled_from([3, 20_000]),
    day_start=st.sampled_from([dt.time(4), dt.time(1, 30), dt.time(0)]),
    data=st.data(),
)
def test_monitor_advanced_between_posts_finds_what_the_batch_engine_finds_over_what_it_accepted(
    log: Any, overrides: dict[str, Any], chunk: int, day_start: dt.time, data: st.DataObject
) -> None:
    """The differential above with the clock advanced between posts, so that days close
    while records of them are still to come: the log's records and E9's evening past
    midnight (``late_evening``) on a day of the log, each posted at its time (``time_key``)
    plus a drawn delay (E9's punches on time, their overtime request five hours late: after
    that evening's day has closed, with a day start of 01:30 or 04:00), in that order, the
    clock advanced to each post's time first, then past the end.  The monitor rejects as late
    only records the batch engine would accept (the others for its reasons), and finds
    exactly its findings over the records it accepted: a record that changes a day already
    closed (a punch, or E9's request, which approves the evening before's overtime) is
    rejected, not accepted and left unjudged."""
    policy = with_day_start(POLICY.with_params(**overrides), day_start)
    days = [log.start + dt.timedelta(days=n) for n in range((log.end - log.start).days + 1)]
    evening = late_evening(log, data.draw(st.sampled_from(days), label="E9's evening"), day_start)
    records = [*in_time_order(log.records, log.timezone), *evening]
    zones = {
        r["employee_id"]: r.get("timezone") or log.timezone
        for r in records
        if r["type"] == "employee"
    }
    delays = [data.draw(DELAYS, label="delay") for _ in log.records] + [0, 0, 5]
    due = [
        time_key(r, zones, log.timezone) + dt.timedelta(hours=hours)
        for r, hours in zip(records, delays, strict=True)
    ]
    # in order of posting: a post's number is the record's position in ``posted``
    order = sorted(range(len(records)), key=lambda n: due[n])
    posted = [records[n] for n in order]
    cited = citations(posted, log.timezone)
    floor = midnight_utc(log.start) - dt.timedelta(days=2)  # employee records come first
    with Monitor(policy, start=log.start, end=log.end, chunk_size=chunk) as monitor:
        found: list[Finding] = []
        for n in order:
            found += monitor.advance(max(due[n], floor))
            found += monitor.post(records[n])
        found += monitor.advance(FAR_FUTURE)
        assert_accounted(monitor)
        rejects = monitor.rejects
        rejected = set(rejects.get_column("line"))
        late = set(rejects.filter(pl.col("reason").str.starts_with("dated ")).get_column("line"))
        batch = policy.check(posted, log.start, log.end)
        assert rejected - late == set(batch.rejects.get_column("line"))
        kept = [n for n in range(1, len(posted) + 1) if n not in rejected]
        over_kept = policy.check([posted[n - 1] for n in kept], log.start, log.end)
        lines = {position: n for position, n in enumerate(kept, start=1)}
        expected = sorted(key(f, cited, lines) for f in over_kept.findings)
        assert sorted(key(f, cited) for f in found) == expected
        assert monitor.pending == {r: n for r, n in over_kept.pending.items() if n}


def starting_late(log: Any, days: int) -> list[dict[str, Any]]:
    """The log's records without E1's employee record (E1 is known by their records only),
    without E1's punches and visits in the first ``days`` days (at least through the first
    working day, all but the last at most), with a quote of E1 on the first day and a punch at
    09:00 on the day after those: E1's other records (the quote, requests) come before their
    first punch, and the only presence of the days before is someone else's, or no one's."""
    zones = {
        r["employee_id"]: r.get("timezone") or log.timezone
        for r in log.of_type("employee")
        if r["employee_id"] != "E1"
    }
    zone = zoneinfo.ZoneInfo(log.timezone)  # E1's, without an employee record
    # at least through the first working day, so that E1 is absent on one at least
    working = POLICY.calendar.day_kinds(log.start, log.end).get_column("is_workday").to_list()
    days = min(max(days, working.index(True) + 1 if True in working else 0), len(working) - 1)
    begins = dt.datetime.combine(log.start + dt.timedelta(days=days), dt.time(), tzinfo=zone)
    records = [
        r
        for r in log.records
        if r["employee_id"] != "E1"
        or not (
            r["type"] == "employee"
            or (
                r["type"] in ("punch", "customer_visit")
                and time_key(r, zones, log.timezone) < begins
            )
        )
    ]
    quoted = dt.datetime.combine(log.start, dt.time(10), tzinfo=zone).isoformat()
    quote = {"type": "quote", "record_id": "QL", "employee_id": "E1", "customer_id": "C1"}
    punch = {"type": "punch", "employee_id": "E1", "at": begins.replace(hour=9).isoformat()}
    return [*records, {**quote, "at": quoted}, punch]


class MonitorMachine(RuleBasedStateMachine):
    """Posts in time order interleaved with advances of the clock (by hours, or to the next
    night after posting the day's records).  Besides attendance, the log has quotes, and
    E1's punches and visits begin only some days in (``starting_late``), so that E1's days
    already closed become judged later, when E1's first punch arrives."""

    @initialize(
        log=logs(employees=2, max_days=6, record_types=["quote"], policy=[POLICY, NIGHT]).filter(
            lambda log: log.end > log.start
        ),
        overrides=policy_overrides(rulesets=["attendance", "discipline"]),
        lateness=st.sampled_from([None, dt.timedelta(hours=3)]),
        late=st.integers(1, 5),
        day_start=DAY_STARTS,
    )
    def start(
        self,
        log: Any,
        overrides: dict[str, Any],
        lateness: dt.timedelta | None,
        late: int,
        day_start: dt.time,
    ) -> None:
        self.log = log
        self.policy = with_day_start(POLICY.with_params(**overrides), day_start)
        self.records = in_time_order(starting_late(log, late), log.timezone)
        self.zones = {
            r["employee_id"]: r.get("timezone") or log.timezone
            for r in self.records
            if r["type"] == "employee"
        }
        self.cited = citations(self.records, log.timezone)
        self.next = 0
        self.clock = midnight_utc(log.start) - dt.timedelta(hours=12)
        self.monitor = Monitor(self.policy, start=log.start, end=log.end, lateness=lateness)
        self.emitted: list[Key] = []

    def take(self, findings: Iterable[Finding]) -> None:
        self.emitted += [key(f, self.cited) for f in findings]

    @rule(count=st.integers(1, 12))
    def post(self, count: int) -> None:
        for record in self.records[self.next : self.next + count]:
            self.take(self.monitor.post(record))
        self.next = min(len(self.records), self.next + count)

    @rule(hours=st.integers(1, 60))
    def advance(self, hours: int) -> None:
        self.clock += dt.timedelta(hours=hours)
        self.take(self.monitor.advance(self.clock))

    @rule()
    def night(self) -> None:
        """As a nightly job runs: post what happened until midnight (in the policy's
        timezone), then advance to half past midnight."""
        zone = zoneinfo.ZoneInfo(self.log.timezone)
        day = self.clock.astimezone(zone).date() + dt.timedelta(days=1)
        midnight = dt.datetime.combine(day, dt.time(), tzinfo=zone)
        while self.next < len(self.records) and (
            time_key(self.records[self.next], self.zones, self.log.timezone) < midnight
        ):
            self.take(self.monitor.post(self.records[self.next]))
            self.next += 1
        self.clock = max(self.clock, midnight + dt.timedelta(minutes=30))
        self.take(self.monitor.advance(self.clock))

    @invariant()
    def every_record_and_finding_once(self) -> None:
        assert self.monitor.counts.balanced, self.monitor.counts
        assert len(set(self.emitted)) == len(self.emitted), "a finding was emitted twice"

    def teardown(self) -> None:
        if not hasattr(self, "monitor"):
            return
        with self.monitor:
            for record in self.records[self.next :]:
                self.take(self.monitor.post(record))
            self.take(self.monitor.advance(FAR_FUTURE))
            assert_accounted(self.monitor)
            rejected = set(self.monitor.rejects.get_column("line").to_list())
            kept = [n for n in range(1, len(self.records) + 1) if n not in rejected]
            expected = self.policy.check(
                [self.records[n - 1] for n in kept], self.log.start, self.log.end
            )
            lines = {position: n for position, n in enumerate(kept, start=1)}
            batch = sorted(key(f, self.cited, lines) for f in expected.findings)
            assert len(set(self.emitted)) == len(self.emitted), "a finding was emitted twice"
            assert set(self.emitted) <= set(batch), "a finding the batch engine does not make"
            assert sorted(self.emitted) == batch, "a finding of the batch engine is missing"


TestMonitorMachine = MonitorMachine.TestCase
TestMonitorMachine.settings = settings(
    max_examples=20,
    stateful_step_count=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def test_a_record_for_a_closed_day_is_rejected_with_a_reason() -> None:
    """A punch dated on a day already closed is rejected (not re-opened), and says why."""
    with Monitor(POLICY, start=dt.date(2026, 3, 2)) as monitor:
        monitor.post({"type": "punch", "employee_id": "E1", "at": "2026-03-02T08:55:00+08:00"})
        monitor.advance(dt.datetime(2026, 3, 4, tzinfo=dt.UTC))
        monitor.post({"type": "punch", "employee_id": "E1", "at": "2026-03-03T18:05:00+08:00"})
        monitor.post({"type": "punch", "employee_id": "E1", "at": "2026-03-04T08:50:00+08:00"})
        monitor.post({"type": "punch", "employee_id": "E1", "at": "not a time"})
        monitor.post({"type": "punch", "employee_id": "E1", "at": "2026-02-27T18:05:00+08:00"})
        monitor.flush()
        rejects = monitor.rejects
        assert rejects.get_column("line").to_list() == [2, 4, 5]
        reasons = rejects.get_column("reason").to_list()
        assert reasons[0].startswith("dated 2026-03-03, but the days of E1 through 2026-03-03")
        assert "not a date-time" in reasons[1]
        # before start: closed with the first day, and dated by its own date
        assert reasons[2].startswith("dated 2026-02-27, but the days of E1 through 2026-03-03")
        assert monitor.counts.accepted == 2
        assert_accounted(monitor)


# ----------------------------------------------------------------------------- late scopes

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def posted_nightly(
    records: Sequence[dict[str, Any]], start: dt.date, end: dt.date
) -> tuple[list[Finding], Monitor]:
    """The findings of a monitor fed ``records`` as they happen, in that order (time order),
    with an ``advance`` at 00:30 in Shanghai every night from ``start`` to two days past
    ``end``, then past everything; and the monitor (closed)."""
    zones = {
        r["employee_id"]: r.get("timezone") or POLICY.timezone
        for r in records
        if r["type"] == "employee"
    }
    found: list[Finding] = []
    with Monitor(POLICY, start=start, end=end) as monitor:
        waiting = list(records)
        day = start
        while day <= end + dt.timedelta(days=2):
            night = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 30), SHANGHAI)
            while waiting and time_key(waiting[0], zones, POLICY.timezone) < night:
                found += monitor.post(waiting.pop(0))
            found += monitor.advance(night)
            day += dt.timedelta(days=1)
        for record in waiting:
            found += monitor.post(record)
        found += monitor.advance(FAR_FUTURE)
        assert_accounted(monitor)
    return found, monitor


def _punches(employee: str, day: dt.date) -> list[dict[str, Any]]:
    """A working day on time: in at 08:55, out at 18:05 (Shanghai)."""
    return [
        {"type": "punch", "employee_id": employee, "at": f"{day}T{time}+08:00", "direction": way}
        for time, way in (("08:55:00", "in"), ("18:05:00", "out"))
    ]


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


_NOVEMBER = _days(dt.date(2026, 11, 2), dt.date(2026, 11, 13))
_FROM_12TH = [r for d in _NOVEMBER if d.day >= 12 for r in _punches("E1", d)]
_QUOTE = {
    "type": "quote",
    "record_id": "Q1",
    "employee_id": "E1",
    "customer_id": "C1",
    "at": "2026-11-02T10:00:00+08:00",
}
FIRST_PUNCH_LATE = {
    "a quote, then punches from the 12th": [_QUOTE, *_FROM_12TH],
    "the same, another employee punching every day": [
        _QUOTE,
        *[r for d in _NOVEMBER if d.weekday() < 5 for r in _punches("E2", d)],
        *_FROM_12TH,
    ],
    "a contract, then the first customer visit on the 11th": [
        {
            "type": "contract",
            "contract_id": "K1",
            "employee_id": "E1",
            "customer_id": "C1",
            "signed_at": "2026-11-02T17:00:00+08:00",
            "amount": "10000",
        },
        {
            "type": "customer_visit",
            "employee_id": "E1",
            "customer_id": "C1",
            "start": "2026-11-11T10:00:00+08:00",
            "end": "2026-11-11T11:00:00+08:00",
        },
    ],
}


@pytest.mark.parametrize("records", FIRST_PUNCH_LATE.values(), ids=list(FIRST_PUNCH_LATE))
def test_days_closed_before_a_first_punch_are_judged_when_it_arrives(
    records: list[dict[str, Any]],
) -> None:
    """E1 is known from the 2nd (by a quote or a contract) but E1's first punch or visit
    comes on the 11th or 12th, after the days before have closed.  The batch engine judges
    the attendance of every employee with an attendance record over the whole period, so E1
    is absent from the 2nd; so is the monitor, fed the records as they happen and advanced
    every night: the closed days are judged when the first punch or visit arrives, and the
    absences are counted in the month (DIS-REPEATED-ABSENCE)."""
    start, end = _NOVEMBER[0], _NOVEMBER[-1]
    records = in_time_order(records, POLICY.timezone)
    expected = POLICY.check(records, start, end)
    absent = {(f.employee_id, str(f.date)) for f in expected.findings if f.rule_id == "ATT-ABSENT"}
    assert ("E1", "2026-11-02") in absent
    found, monitor = posted_nightly(records, start, end)
    assert monitor.counts.rejected == expected.counts.rejected == 0
    assert same_findings(found, expected.findings, records)


def test_months_closed_before_the_first_market_report_are_judged_when_it_arrives() -> None:
    """One market report, by anyone, makes every active employee's months judged
    (CRM-NO-MARKET-REPORT).  The first comes on November 2nd, after September and October
    have closed: the monitor judges them then, as the batch engine does over the period.  E1,
    without an employee record, is active in September by punches only, which the monitor
    would have dropped from memory once October closed (a closed month's punches are): it
    keeps one record of each month of such an employee until the first market report."""
    records = in_time_order(
        [
            {"type": "employee", "employee_id": "E2", "name": "乙", "timezone": "Asia/Shanghai"},
            *_punches("E1", dt.date(2026, 9, 28)),
            *_punches("E1", dt.date(2026, 10, 9)),
            *_punches("E2", dt.date(2026, 10, 9)),
            {
                "type": "market_report",
                "record_id": "M1",
                "employee_id": "E2",
                "submitted_at": "2026-11-02T10:00:00+08:00",
                "topic": "rivals",
            },
        ],
        POLICY.timezone,
    )
    start, end = dt.date(2026, 9, 28), dt.date(2026, 11, 3)
    expected = POLICY.check(records, start, end)
    missing = {
        (f.employee_id, f.period) for f in expected.findings if f.rule_id == "CRM-NO-MARKET-REPORT"
    }
    assert missing == {("E1", "2026-09"), ("E2", "2026-09"), ("E1", "2026-10"), ("E2", "2026-10")}
    found, _ = posted_nightly(records, start, end)
    assert same_findings(found, expected.findings, records)


def test_an_order_is_one_record_a_later_cancellation_is_rejected_as_a_duplicate() -> None:
    """An order is one record, as in the batch engine: the same order_id posted again with
    status cancelled (the status update of an order booked on November 28, cancelled on
    December 3) is rejected as a duplicate, and the monitor judges the order as booked, as
    the batch engine does over the same records (no INT-SALES-REVERSAL).  The order posted
    only once, with its final status, after its booking day has closed is rejected for that
    (docs/engines.md, "What is not exact")."""
    booked = {
        "type": "order",
        "order_id": "O1",
        "employee_id": "E1",
        "customer_id": "C1",
        "booked_at": "2026-11-28T10:00:00+08:00",
        "amount": "5000",
        "status": "booked",
    }
    final = dict(booked, status="cancelled", reversed_at="2026-12-03T10:00:00+08:00")
    punch = _punches("E1", dt.date(2026, 11, 27))[0]
    start, end = dt.date(2026, 11, 1), dt.date(2026, 12, 31)
    reversal = POLICY.check([punch, final], start, end).findings
    assert "INT-SALES-REVERSAL" in {f.rule_id for f in reversal}
    records = [punch, booked, final]
    expected = POLICY.check(records, start, end)
    assert expected.rejects.get_column("reason").to_list() == ["duplicate order_id 'O1'"]
    assert "INT-SALES-REVERSAL" not in {f.rule_id for f in expected.findings}
    for first in (booked, None):
        with Monitor(POLICY, start=start, end=end) as monitor:
            found = monitor.post(punch)
            if first is not None:
                found += monitor.post(first)
            found += monitor.advance(dt.datetime(2026, 12, 1, 0, 30, tzinfo=SHANGHAI))
            found += monitor.post(final)  # on December 3
            found += monitor.advance(FAR_FUTURE)
            reasons = monitor.rejects.get_column("reason").to_list()
            assert_accounted(monitor)
        assert "INT-SALES-REVERSAL" not in {f.rule_id for f in found}
        if first is not None:
            assert same_findings(found, expected.findings, records)
            assert reasons == ["duplicate order_id 'O1'"]
        else:
            assert reasons == [
                "dated 2026-11-28, but the days of E1 through 2026-11-30 are already closed; "
                "a record must be posted before its day closes"
            ]


_E1 = {"type": "employee", "employee_id": "E1", "name": "甲", "timezone": "Asia/Shanghai"}
_WEEK = (dt.date(2026, 11, 2), dt.date(2026, 11, 6))  # Monday to Friday, all working days


def posted_in_steps(
    steps: Sequence[dict[str, Any] | dt.date], chunk_size: int = 20_000
) -> tuple[list[Finding], Monitor, list[dict[str, Any]]]:
    """A monitor judging ``_WEEK`` fed ``steps`` in order: a record is posted, a date is
    closed (an advance at 00:30 the next day in Shanghai); then advanced past everything.
    The findings, the monitor (closed) and the records posted, in the order posted."""
    found: list[Finding] = []
    records = [step for step in steps if isinstance(step, dict)]
    with Monitor(POLICY, start=_WEEK[0], end=_WEEK[1], chunk_size=chunk_size) as monitor:
        for step in steps:
            if isinstance(step, dict):
                found += monitor.post(step)
            else:
                night = dt.datetime.combine(step + dt.timedelta(days=1), dt.time(0, 30), SHANGHAI)
                found += monitor.advance(night)
        found += monitor.advance(FAR_FUTURE)
        assert_accounted(monitor)
    return found, monitor, records


def _absent(findings: Iterable[Finding]) -> list[str]:
    return sorted(str(f.date) for f in findings if f.rule_id == "ATT-ABSENT")


def _judged_as_batch(
    found: list[Finding],
    monitor: Monitor,
    records: list[dict[str, Any]],
    *,
    taken: bool,
    absent: list[str] | None = None,
    refused: str | None = None,
) -> None:
    """The monitor's findings are the batch engine's over the records posted, the last of
    them (an employee record posted again) included when ``taken``, else without it; E1 is
    absent on the days ``absent``; the last record is rejected for ``refused``."""
    judged = records if taken else records[:-1]
    expected = POLICY.check(judged, *_WEEK)
    assert expected.rejects.is_empty()
    assert same_findings(found, expected.findings, records)
    assert monitor.counts.accepted == expected.counts.accepted
    if absent is not None:
        assert _absent(found) == absent
    reasons = monitor.rejects.get_column("reason").to_list()
    if taken:
        assert reasons == []
    elif refused is not None:
        assert reasons == [refused]


def test_an_employee_record_again_with_left_on_is_merged_as_the_batch_engine_merges() -> None:
    """The employee record of E1 again, with ``left_on`` (E1 leaves on the 4th), after E1's
    punches of the 3rd, posted before the 3rd closes (the days after the 4th are open): it
    is merged, as a batch run merges the two rows, so E1 is scheduled through the 4th, absent
    that day, and on no day after."""
    employee = {"type": "employee", "employee_id": "E1", "name": "甲", "timezone": "Asia/Shanghai"}
    records = [
        employee,
        *_punches("E1", dt.date(2026, 11, 2)),
        *_punches("E1", dt.date(2026, 11, 3)),
        {**employee, "left_on": "2026-11-04"},
    ]
    start, end = dt.date(2026, 11, 2), dt.date(2026, 11, 6)
    merged = POLICY.check(records, start, end)
    assert merged.rejects.is_empty()
    assert merged.counts.accepted == len(records)
    found, monitor = posted_nightly(records, start, end)
    assert monitor.rejects.is_empty()
    assert monitor.counts.accepted == len(records)
    # scheduled through left_on: absent on the 4th, the day E1 leaves, and on no day after
    assert _absent(found) == ["2026-11-04"]
    assert same_findings(found, merged.findings, records)


_LEAVING = {
    # left_on, the last day closed when it is posted, taken?, E1's absences
    "on the last day closed: every day after it open": ("2026-11-03", 3, True, []),
    "after the last day closed": ("2026-11-04", 3, True, ["2026-11-04"]),
    "before the last day closed": (
        "2026-11-03",
        4,
        False,
        ["2026-11-04", "2026-11-05", "2026-11-06"],
    ),
}


@pytest.mark.parametrize(
    ("left_on", "closed", "taken", "absent"), _LEAVING.values(), ids=list(_LEAVING)
)
def test_an_employee_record_again_with_left_on_is_merged_while_the_days_after_are_open(
    left_on: str, closed: int, taken: bool, absent: list[str]
) -> None:
    """E1 works on the 2nd and 3rd, then leaves.  E1's employee record posted again with
    ``left_on`` is merged, as a batch run merges an employee's rows, when every day after
    ``left_on`` is still open for E1: E1 is scheduled through ``left_on`` (absent that day
    if E1 does not come) and on no day after.  Posted once a day after ``left_on`` has
    closed (judged as a working day: E1 absent), it is rejected, saying which days are
    closed, and E1 is judged by the first record, as a batch run without it judges."""
    steps: list[dict[str, Any] | dt.date] = [_E1]
    for day in _days(_WEEK[0], dt.date(2026, 11, closed)):
        steps += _punches("E1", day) if day.day <= 3 else []
        steps.append(day)
    found, monitor, records = posted_in_steps([*steps, {**_E1, "left_on": left_on}])
    _judged_as_batch(
        found,
        monitor,
        records,
        taken=taken,
        absent=absent,
        refused=f"gives left_on {left_on}, but the days of E1 through 2026-11-0{closed} are "
        "already closed, judged as working days; a left_on must be posted before the day "
        "after it closes",
    )


_HIRING = {
    # hired_on, the last day closed when it is posted (None: none), taken?, E1's absences
    "before any day closes": ("2026-11-04", None, True, ["2026-11-04", "2026-11-05", "2026-11-06"]),
    "before the first day judged": ("2026-10-01", 3, True, [f"2026-11-0{d}" for d in range(2, 7)]),
    "after a day judged as employed": (
        "2026-11-04",
        2,
        False,
        [f"2026-11-0{d}" for d in range(2, 7)],
    ),
}


@pytest.mark.parametrize(
    ("hired_on", "closed", "taken", "absent"), _HIRING.values(), ids=list(_HIRING)
)
def test_an_employee_record_again_with_hired_on_is_merged_while_no_day_before_is_judged(
    hired_on: str, closed: int | None, taken: bool, absent: list[str]
) -> None:
    """E1, who never punches, is scheduled from ``hired_on``.  E1's employee record posted
    again with ``hired_on`` is merged when no day from the monitor's start before it has
    closed: before any day closes, or a ``hired_on`` before the first day judged.  Posted
    after a day before it was judged (E1 absent that day), it is rejected, saying which
    days are closed, and E1 is judged by the first record (absent every day)."""
    steps: list[dict[str, Any] | dt.date] = [_E1]
    if closed is not None:
        steps += _days(_WEEK[0], dt.date(2026, 11, closed))
    found, monitor, records = posted_in_steps([*steps, {**_E1, "hired_on": hired_on}])
    _judged_as_batch(
        found,
        monitor,
        records,
        taken=taken,
        absent=absent,
        refused="gives hired_on 2026-11-04, but the days of E1 through 2026-11-02 are already "
        "closed, judged as days employed from 2026-11-02; a hired_on must be posted before "
        "the first day judged closes",
    )


def test_an_employee_record_again_with_a_timezone_is_merged_only_before_other_records() -> None:
    """E1's first record has no timezone (the policy's, Asia/Shanghai).  E1's record posted
    again with Europe/London, before any other record of E1, is merged, as a batch run merges
    it: E1's punches at 08:55 and 18:05 UTC are on time in London (UTC+0 in November), and
    their days end at midnight in London.  Posted after a punch of E1 (read in Shanghai,
    16:55: late), or after a day of E1 has closed (at midnight in Shanghai), it is rejected,
    saying so, and E1 stays in Shanghai."""
    first = {"type": "employee", "employee_id": "E1", "name": "甲"}
    again = {**first, "timezone": "Europe/London"}
    punches = [
        {"type": "punch", "employee_id": "E1", "at": f"{day}T{time}Z", "direction": way}
        for day in _days(*_WEEK)
        for time, way in (("08:55:00", "in"), ("18:05:00", "out"))
    ]
    found, monitor, records = posted_in_steps([first, again, *punches], chunk_size=3)
    _judged_as_batch(found, monitor, records, taken=True)
    assert monitor.rejects.is_empty()
    assert found == []  # on time every day, in London
    for before, reason in (
        (
            punches[:1],
            "gives timezone Europe/London, but records of E1 were posted before it, read in "
            "Asia/Shanghai; a timezone must come before the employee's other records",
        ),
        (
            [_WEEK[0]],
            "gives timezone Europe/London, but the days of E1 through 2026-11-02 are already "
            "closed, ending at midnight in Asia/Shanghai; a timezone must come before the "
            "employee's days close",
        ),
    ):
        found, monitor, records = posted_in_steps([first, *before, again])
        _judged_as_batch(found, monitor, records, taken=False)
        assert monitor.rejects.get_column("reason").to_list() == [reason]


@pytest.mark.parametrize("again", [False, True])
def test_an_employee_record_after_records_of_the_employee_that_were_rejected_is_taken(
    again: bool,
) -> None:
    """Records of E1 that were rejected (a punch whose time is no time) set nothing: E1's
    employee record posted after them, with Europe/London, is taken (first, or posted again
    over one without a timezone), and E1's punches at 08:55 and 18:05 (naive) are read in
    London, on time, as a batch run over the records accepted reads them."""
    first = {"type": "employee", "employee_id": "E1", "name": "甲"}
    london = {**first, "timezone": "Europe/London"}
    bad = {"type": "punch", "employee_id": "E1", "at": "at nine"}
    punches = [
        {"type": "punch", "employee_id": "E1", "at": f"{day}T{time}", "direction": way}
        for day in _days(*_WEEK)
        for time, way in (("08:55:00", "in"), ("18:05:00", "out"))
    ]
    for flushed in (False, True):
        before = [first] if again else []
        with Monitor(POLICY, start=_WEEK[0], end=_WEEK[1]) as monitor:
            for record in [*before, bad]:
                monitor.post(record)
            if flushed:
                monitor.flush()
            for record in [london, *punches]:
                monitor.post(record)
            found = monitor.advance(FAR_FUTURE)
            assert monitor.rejects.get_column("line").to_list() == [len(before) + 1]
            assert found == []  # on time every day, in London
            assert_accounted(monitor)
    assert POLICY.check([london, *punches], *_WEEK).findings == []


_CONFLICTS = {
    "another team": (
        {"team": "east"},
        {"team": "west"},
        "E1's row at <records>:1 gives team 'east': rows of one employee may repeat and add "
        "to each other, not differ",
    ),
    "a left_on before the hired_on given": (
        {"hired_on": "2026-11-04"},
        {"left_on": "2026-11-03"},
        "E1's row at <records>:1 gives hired_on '2026-11-04': left_on would be before hired_on",
    ),
}


@pytest.mark.parametrize(("given", "other", "reason"), _CONFLICTS.values(), ids=list(_CONFLICTS))
def test_an_employee_record_again_that_differs_is_rejected_as_the_batch_engine_rejects_it(
    given: dict[str, str], other: dict[str, str], reason: str
) -> None:
    """E1's record posted again giving another value for a field the first gives, or a
    ``left_on`` before the first's ``hired_on``, is rejected with the batch engine's reason
    (docs/inputs.md), naming the first record by its reference, before or after days close;
    E1 is judged by the first record, as by a batch run over both."""
    for closed in ([], [_WEEK[0]]):
        steps = [{**_E1, **given}, *_punches("E1", _WEEK[0]), *closed, {**_E1, **other}]
        found, monitor, records = posted_in_steps(steps)
        assert monitor.rejects.get_column("reason").to_list() == [reason]
        expected = POLICY.check(records, *_WEEK)
        assert expected.rejects.get_column("reason").to_list() == [reason]
        assert same_findings(found, expected.findings, records)


@pytest.mark.parametrize("closed", [False, True], ids=["queued together", "after a day closes"])
def test_an_employee_record_again_that_repeats_or_adds_names_is_merged(closed: bool) -> None:
    """E1's record posted again, the same, or adding a team and a supervisor, is accepted and
    merged (a staff list exported again), whether the first is still queued with it or days
    have closed since; E1 is judged as a batch run over the records judges E1 (on time on the
    2nd, absent after), and every record is accepted."""
    added = {**_E1, "team": "east", "supervisor_id": "S1"}
    steps: list[dict[str, Any] | dt.date] = [_E1, *_punches("E1", _WEEK[0])]
    steps += [_WEEK[0]] if closed else []
    found, monitor, records = posted_in_steps([*steps, dict(_E1), added, dict(added)])
    _judged_as_batch(found, monitor, records, taken=True)
    assert monitor.counts.accepted == monitor.counts.posted == 6
    assert _absent(found) == [f"2026-11-0{d}" for d in range(3, 7)]


# ----------------------------------------------------------------------------- at scale


def _generated_month(employees: int) -> list[dict[str, Any]]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import generate

    records = []
    for name, frame in generate.generate(employees, "2026-11", seed=7).items():
        record_type = generate.TYPE_OF_FILE[name]
        text = frame.with_columns(pl.col(pl.Date).dt.to_string())
        for row in text.iter_rows(named=True):
            records.append({"type": record_type, **{k: v for k, v in row.items() if v is not None}})
    return records


def test_a_hundred_thousand_records_are_all_accounted_for() -> None:
    """100,000 records (a generated month of 2,100 employees, with 1% broken records mixed
    in) through one monitor, advanced day by day: every record ends accepted or rejected,
    every fact row posted to durable_rules (about 70,000 distinct events: the size at which
    assert_fact lost some) ends matched or unmatched, nothing is lost to an exception, and the
    findings are the batch engine's."""
    records = in_time_order(_generated_month(2_100), "Asia/Shanghai")
    for index in range(0, len(records), 100):  # 1% broken, each in its own way
        broken = dict(records[index])
        kind = index // 100 % 4
        if kind == 0:
            del broken["employee_id"]
        elif kind == 1:
            broken["type"] = "punchcard"
        elif kind == 2:
            broken["unknown_field"] = 1
        else:
            broken = {**broken, "type": "punch", "at": "2026-11-31T25:00:00"}  # not a time
        records[index] = broken
    records = records[:100_000]
    start, end = dt.date(2026, 11, 1), dt.date(2026, 11, 30)
    shanghai = dt.timezone(dt.timedelta(hours=8))
    found: list[Finding] = []
    with Monitor(POLICY, start=start, end=end) as monitor:
        day = start
        for index, record in enumerate(records):
            stamp = str(record.get("at") or record.get("start") or "")[:10]
            while index % 100 and record["type"] == "punch" and stamp > day.isoformat():
                found += monitor.advance(dt.datetime.combine(day, dt.time(), tzinfo=shanghai))
                day += dt.timedelta(days=1)
            found += monitor.post(record)
        found += monitor.advance(FAR_FUTURE)
        counts = monitor.counts
        assert counts.posted == 100_000
        assert counts.rejected >= 1_000
        assert counts.facts_posted > 60_000
        assert_accounted(monitor)
        expected = POLICY.check(records, start, end)
        assert counts.rejected == expected.counts.rejected
        assert same_findings(found, expected.findings, records)


# ----------------------------------------------------------------------------- guards


def _colliding_ids() -> tuple[str, str]:
    """Two ids whose 32-bit FNV-1a hashes are equal: durable_rules' fact store takes the
    second fact for the first (upstream issue 376)."""
    seen: dict[int, str] = {}
    number = 0
    while True:
        text = f"f{number}"
        value = 2166136261
        for byte in text.encode():
            value = ((value ^ byte) * 16777619) & 0xFFFFFFFF
        if value in seen:
            return seen[value], text
        seen[value] = text
        number += 1


def test_rows_go_as_events_so_a_hash_collision_loses_nothing() -> None:
    """The input that trips assert_fact (two distinct messages whose ids collide in its 32-bit
    hash) loses nothing when the rows go as events, as the monitor sends them."""

    class Quiet(Host):  # type: ignore[misc]
        def _run(self) -> None:
            return None

    first, second = _colliding_ids()
    host = Quiet({"probe": {"r": {"all": [{"m": {"x": 1}}], "run": lambda c: None}}})
    host.assert_fact("probe", {"id": first, "x": 1})
    with pytest.raises(MessageObservedException):
        host.assert_fact("probe", {"id": second, "x": 1})  # the fault itself

    router = Router("collide")
    compiled = next(c for c in POLICY.compiled if c.rule.rule_id == "ATT-ABSENT")
    rules = router.add("workday", "workday", [compiled], {})
    router._ids = iter([first, second, "a", "b"])  # type: ignore[assignment]
    rows = pl.DataFrame(
        {
            "scheduled": [True, True],
            "required_minutes": [480, 240],
            "has_presence": [False, False],
            "unapproved_leave_count": [0, 0],
        }
    )
    assert router.decide(rules, rows) == [[0, 1]]
    router.close()


def test_one_post_per_event_where_post_batch_drops_actions(monkeypatch: Any) -> None:
    """post_batch of rows of which some match nothing fires (almost) no action; the monitor
    posts one event at a time, never post_batch or assert_fact, and decides every row."""

    class Quiet(Host):  # type: ignore[misc]
        def _run(self) -> None:
            return None

    fired: list[int] = []
    host = Quiet(
        {"probe": {"r": {"all": [{"m": {"$gt": {"x": 5}}}], "run": lambda c: fired.append(1)}}}
    )
    events = [{"id": i, "x": i % 11} for i in range(2_000)]
    with contextlib.suppress(Exception):  # it raises for the unmatched events of the batch
        host.post_batch("probe", events)
    assert len(fired) < sum(1 for e in events if e["x"] > 5)  # the fault itself

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the monitor must post one event at a time, as events")

    for name in ("post_batch", "assert_fact", "assert_facts"):
        monkeypatch.setattr(Host, name, refuse)
    router = Router("batch")
    compiled = next(c for c in POLICY.compiled if c.rule.rule_id == "ATT-OVERTIME-UNAPPROVED")
    rules = router.add("workday", "workday", [compiled], dict(_params()))
    rows = pl.DataFrame(
        {
            "overtime_minutes": [i % 120 for i in range(2_000)],
            "overtime_approved": [i % 7 == 0 for i in range(2_000)],
        }
    )
    expected = rows.with_row_index().filter(compiled.condition.expr).get_column("index").to_list()
    assert router.decide(rules, rows) == [expected]
    assert router.counts.posted == 2_000
    assert router.counts.matched == len(expected)
    assert router.counts.unmatched == 2_000 - len(expected)
    router.close()


def _params() -> dict[str, tuple[Any, Any]]:
    return {n: (p.type, POLICY.params[n]) for n, p in POLICY.declared_params().items()}


class _Failing(list):  # type: ignore[type-arg]
    """A list whose first ``failures`` appends raise: an action failing inside durable_rules
    (the first is caught by the action itself; the second, in its handler, escapes to
    durable_rules, which returns it as state)."""

    def __init__(self, failures: int) -> None:
        super().__init__()
        self.failures = failures

    def append(self, item: Any) -> None:
        if self.failures:
            self.failures -= 1
            raise RuntimeError("injected failure")
        super().append(item)


DAY_RECORDS = [
    {"type": "employee", "employee_id": "E1", "name": "甲", "timezone": "Asia/Shanghai"},
    {"type": "punch", "employee_id": "E2", "at": "2026-03-02T09:20:00+08:00"},
    {"type": "punch", "employee_id": "E2", "at": "2026-03-02T17:45:00+08:00"},
    {"type": "punch", "employee_id": "E3", "at": "2026-03-02T08:55:00+08:00"},
]


@pytest.mark.parametrize("failures", [1, 2, 3])
def test_an_exception_inside_an_action_is_caught_recorded_and_recovered(failures: int) -> None:
    """An action that raises, caught in the action or (raised again from its handler)
    returned by durable_rules as state: recorded as an error, the state cleared, the rules
    left undecided decided by Condition.evaluate; the findings are still the batch engine's
    (E1 absent, E2 late and early)."""
    day = dt.date(2026, 3, 2)
    with Monitor(POLICY, start=day, end=day) as monitor:
        monitor._router._fired = _Failing(failures)
        for record in DAY_RECORDS:
            monitor.post(record)
        found = monitor.advance(FAR_FUTURE)
        assert monitor._router._fired.failures == 0
        assert monitor.errors and all("failed" in e for e in monitor.errors)
        if failures >= 2:  # the second escaped the action: durable_rules returned it as state
            assert any("inside durable_rules" in e for e in monitor.errors)
        assert monitor.counts.errors == len(monitor.errors)
        counts = monitor.counts
        assert counts.facts_posted == counts.facts_matched + counts.facts_unmatched
        expected = POLICY.check(DAY_RECORDS, day, day)
        assert {f.rule_id for f in expected.findings} >= {"ATT-ABSENT", "ATT-LATE", "ATT-EARLY"}
        assert same_findings(found, expected.findings, DAY_RECORDS)
        monitor.post({"type": "punch", "employee_id": "E3", "at": "2026-03-03T09:05:00+08:00"})
        assert monitor.advance(FAR_FUTURE) == []  # after end: still working, nothing to judge


def test_rows_no_rule_matches_are_counted_unmatched() -> None:
    """A row no rule matches raises MessageNotHandledException inside durable_rules: caught,
    counted as unmatched, and the rows after it are still decided."""
    with Monitor(POLICY, start=dt.date(2026, 3, 2), end=dt.date(2026, 3, 2)) as monitor:
        for employee in ("E1", "E2"):
            monitor.post(
                {"type": "punch", "employee_id": employee, "at": "2026-03-02T08:55:00+08:00"}
            )
            monitor.post(
                {"type": "punch", "employee_id": employee, "at": "2026-03-02T18:05:00+08:00"}
            )
        monitor.post({"type": "punch", "employee_id": "E3", "at": "2026-03-02T09:20:00+08:00"})
        found = monitor.advance(FAR_FUTURE)
        counts = monitor.counts
        assert counts.facts_unmatched >= 2
        assert {(f.rule_id, f.employee_id) for f in found} >= {("ATT-LATE", "E3")}
        assert_accounted(monitor)


def test_every_condition_starts_with_a_positive_test() -> None:
    """durable_rules loops forever on a rule whose only test is an absence ($nex): every
    durable condition of the default policy starts with the positive table test."""
    with Monitor(POLICY) as monitor:
        for rules in monitor.durable_rulesets().values():
            for slot in rules.slots:
                condition = Router._condition(rules.key, slot)
                assert condition["$and"][0] == {GUARD: rules.key}


def test_a_rule_of_absence_only_terminates(tmp_path: Path) -> None:
    """The input that trips the absence-only loop: a rule ``when: is_null(missing_side)``,
    whose durable form without the guard is a single $nex.  With the guard it finishes (run
    in a subprocess, so a regression fails by timeout instead of hanging the tests)."""
    (tmp_path / "probe.yaml").write_text(
        textwrap.dedent(
            """\
            ruleset: live_probe
            title: {zh: 探针, en: Probe}
            facts: workday
            rules:
              - id: LIVE-NO-MISSING-SIDE
                title: {zh: 无缺卡, en: No missing side}
                references: ["the live engine's tests"]
                severity: info
                when: is_null(missing_side)
                message: {zh: 无, en: none}
            """
        ),
        encoding="utf-8",
    )
    (tmp_path / "policy.yaml").write_text("rule_files: [probe.yaml]\n", encoding="utf-8")
    code = textwrap.dedent(
        f"""\
        import datetime as dt
        from sales_policy import InvalidArgument, load_policy
        from sales_policy.live import Monitor
        policy = load_policy({str(tmp_path / "policy.yaml")!r})
        with Monitor(policy, start=dt.date(2026, 3, 2), end=dt.date(2026, 3, 3)) as monitor:
            monitor.post({{"type": "punch", "employee_id": "E1",
                           "at": "2026-03-02T09:00:00+08:00"}})
            found = monitor.advance(dt.datetime(2100, 1, 1, tzinfo=dt.UTC))
            print(sorted(f.rule_id for f in found if f.rule_id.startswith("LIVE")))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['LIVE-NO-MISSING-SIDE']"


@settings(max_examples=3, deadline=None)
@given(log=logs(employees=2, max_days=5, edge_probability=0.9))
def test_two_monitors_with_different_policies_side_by_side(log: Any) -> None:
    """Each monitor has its own durable Host (without the module host's timer threads) and
    uniquely named rulesets: two policies on the same records in one process each give their
    own batch engine's findings."""
    records = in_time_order(log.records, log.timezone)
    lenient = POLICY.with_params(
        late_grace_minutes=60, serious_late_minutes=60, overtime_min_minutes=480
    )
    strict = POLICY
    threads = threading.active_count()
    with (
        Monitor(strict, start=log.start, end=log.end) as one,
        Monitor(lenient, start=log.start, end=log.end) as two,
    ):
        names = {r.name for r in one.durable_rulesets().values()}
        assert names.isdisjoint(r.name for r in two.durable_rulesets().values())
        assert threading.active_count() == threads
        found: dict[int, list[Finding]] = {1: [], 2: []}
        for record in records:
            found[1] += one.post(record)
            found[2] += two.post(record)
        found[1] += one.advance(FAR_FUTURE)
        found[2] += two.advance(FAR_FUTURE)
    for policy, mine in ((strict, found[1]), (lenient, found[2])):
        expected = policy.check(records, log.start, log.end)
        assert same_findings(mine, expected.findings, records)


# ----------------------------------------------------------------------------- translation


_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "bool": st.booleans(),
    "int": st.integers(-5, 700) | st.sampled_from([0, 1, 30, 31, 180, 181, 500, 501, 2160]),
    "float": st.floats(-10, 3000)
    | st.sampled_from([0.0, 500.0, 500.5, 1e-5, 1e16, float("nan"), float("inf")]),
    "str": st.sampled_from(
        [
            "approved",
            "pending",
            "export",
            "view",
            "share",
            "customer",
            "trade_secret",
            "internal",
            "external",
            "personal",
            "competitor",
            "misleading",
            "sick",
            "annual",
            "arrival",
            "departure",
            "",
            "x",
        ]
    ),
    "date": st.dates(dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
    "datetime": st.datetimes(
        dt.datetime(2026, 1, 1), dt.datetime(2026, 12, 31), timezones=st.just(dt.UTC)
    ),
    "str_list": st.lists(st.sampled_from(["sick", "annual", "R1"]), max_size=2),
}
_TABLES = sorted({c.rule.facts for c in POLICY.compiled})


@st.composite
def fact_rows(draw: st.DrawFn, table: str) -> pl.DataFrame:
    types = FACT_TABLES[table].condition_types()
    rows = draw(
        st.lists(
            st.fixed_dictionaries(
                {name: st.none() | _VALUES[vtype] for name, vtype in types.items()}
            ),
            min_size=1,
            max_size=25,
        )
    )
    return pl.DataFrame(rows, schema={n: COLUMN_DTYPES[t] for n, t in types.items()})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), table=st.sampled_from(_TABLES), overrides=policy_overrides())
def test_durable_rules_decide_each_condition_as_polars_does(
    data: st.DataObject, table: str, overrides: dict[str, Any]
) -> None:
    """Each rule's translated condition, run by durable_rules on fact rows with nulls, NaN,
    boundary values and odd floats, matches exactly the rows its polars expression keeps."""
    policy = POLICY.with_params(**overrides)
    params = {n: (p.type, policy.params[n]) for n, p in policy.declared_params().items()}
    frame = data.draw(fact_rows(table))
    router = Router("translation")
    try:
        for compiled in (c for c in policy.compiled if c.rule.facts == table):
            rules = router.add(f"{table}.{compiled.rule.rule_id}", table, [compiled], params)
            expected = frame.with_row_index().filter(compiled.condition.expr).get_column("index")
            assert router.decide(rules, frame) == [expected.to_list()], compiled.rule.when
    finally:
        router.close()
    assert router.errors == []


def test_translation_of_the_condition_language() -> None:
    """What has a durable form is translated (negations pushed to the comparisons); what has
    not is replaced by true and left to Condition.evaluate in the action."""
    columns: dict[str, Any] = {"a": "int", "b": "bool", "s": "str", "d": "date", "e": "date"}
    params: dict[str, Any] = {"limit": ("int", 30), "kinds": ("str_list", ["x", "y"])}
    negated = translate("not (a > limit and b)", columns, params)
    assert negated.condition == {"$or": [{"$lte": {"f_a": 30}}, {"f_b": False}]}
    assert negated.exact
    member = translate("s not in kinds or is_null(a)", columns, params)
    assert member.condition == {
        "$or": [{"$and": [{"$neq": {"f_s": "x"}}, {"$neq": {"f_s": "y"}}]}, {"$nex": {"f_a": 1}}]
    }
    mixed = translate("b and d < e and abs(a) > 3", columns, params)
    assert mixed.condition == {"f_b": True}
    assert not mixed.exact
    assert mixed.untranslated == ("d < e", "abs(a) > 3")
    never = translate("s in [] and b", columns, params)
    assert never.condition is None
    assert translate("1e-05 < a", columns, params).exact is False


@pytest.mark.parametrize("share", [0.5, 0.0])
def test_a_comparison_of_parameters_and_literals_is_folded(share: float) -> None:
    """``market_report_min_share == 0`` (CRM-NO-MARKET-REPORT) compares no column: its value
    is known when the rule is translated, so it is folded, and the rule is decided by
    durable_rules alone (it had been left to the action, as if untranslatable).  Negated, it
    folds to its negation; a parameter without a value is null, so false either way."""
    columns: dict[str, Any] = {"a": "float", "b": "bool"}
    params: dict[str, Any] = {"m": ("float", share), "none": ("int", None), "t": ("str", "x")}
    owed = translate("b and (m == 0 or a >= m)", columns, params)
    assert owed.exact and owed.untranslated == ()
    assert owed.condition == ({"f_b": True} if share == 0 else
                              {"$and": [{"f_b": True}, {"$gte": {"f_a": share}}]})  # fmt: skip
    negated = translate("b and not (m == 0)", columns, params)
    assert negated.exact
    assert negated.condition == (None if share == 0 else {"f_b": True})
    for text in ("b and none == 1", "b and not (none == 1)", "b and 1 >= none"):
        assert translate(text, columns, params).condition is None, text
    assert translate("b and t != 'x'", columns, params).condition is None
    assert translate("b and 'x' <= t", columns, params).condition == {"f_b": True}


def test_every_shipped_rule_but_one_is_decided_by_durable_rules_alone() -> None:
    """As docs/engines.md says: of the shipped rule files' rules only CONF-COMPETITOR
    (``domain_matches``) is left in part to ``Condition.evaluate``, whatever the parameters
    that shape a condition (a minimum share of 0 or not)."""
    for policy in (POLICY, POLICY.with_params(market_report_min_share=0)):
        params = {n: (p.type, policy.params[n]) for n, p in policy.declared_params().items()}
        inexact = {
            compiled.rule.rule_id
            for compiled in policy.compiled
            if not translate(
                compiled.rule.when,
                FACT_TABLES[compiled.rule.facts].condition_types(),
                params,
            ).exact
        }
        assert inexact == {"CONF-COMPETITOR"}


def test_an_employee_whose_old_records_are_dropped_is_still_judged() -> None:
    """Records of a closed month are dropped from memory, but an employee known only from
    them is still judged afterwards (absent on the next working days), as in one batch run
    over everything."""
    records = [
        {"type": "punch", "employee_id": "E1", "at": "2026-03-30T08:58:00+08:00"},
        {"type": "punch", "employee_id": "E1", "at": "2026-03-30T18:03:00+08:00"},
        {"type": "punch", "employee_id": "E2", "at": "2026-03-31T08:50:00+08:00"},
        {"type": "punch", "employee_id": "E2", "at": "2026-04-01T08:50:00+08:00"},
    ]
    start, end = dt.date(2026, 3, 30), dt.date(2026, 4, 3)
    with Monitor(POLICY, start=start, end=end) as monitor:
        found: list[Finding] = []
        for record in records:
            found += monitor.post(record)
            found += monitor.advance(time_key(record, {}, "Asia/Shanghai"))
        for offset in range(6):
            found += monitor.advance(midnight_utc(start + dt.timedelta(days=offset)))
        assert monitor._intake.tables["punch"].height < len(records)  # March was dropped
        found += monitor.advance(FAR_FUTURE)
        expected = POLICY.check(records, start, end)
        assert ("ATT-ABSENT", "E1", "2026-04-02") in {
            (f.rule_id, f.employee_id, str(f.date)) for f in expected.findings
        }
        assert same_findings(found, expected.findings, records)
        assert_accounted(monitor)


def test_the_example_of_docs_engines_runs() -> None:
    """The example at the top of docs/engines.md runs and finds the late arrival it shows."""
    text = (ROOT / "docs" / "engines.md").read_text(encoding="utf-8")
    block = re.findall(r"```python\n(.*?)```", text, re.S)[0]
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(block, "docs/engines.md", "exec"), {"__name__": "docs_example"})
    assert "ATT-LATE 2026-11-02 12 min late" in printed.getvalue()


def test_models_dicts_and_other_objects_each_end_accepted_or_rejected() -> None:
    """A record model and a dict are taken; a text (which the batch engine would read as a
    file name), a list or None is rejected with a reason; a bad argument is an error and
    counts as no post."""
    from sales_policy import Punch

    day = dt.date(2026, 3, 2)
    with Monitor(POLICY, start=day, end=day) as monitor:
        monitor.post(Punch(employee_id="E1", at=dt.datetime(2026, 3, 2, 1, 5, tzinfo=dt.UTC)))
        monitor.post({"type": "punch", "employee_id": "E1", "at": "2026-03-02T10:30:00Z"})
        for odd in ("punches.csv", ["a"], None):
            monitor.post(odd)
        with pytest.raises(InvalidArgument):
            monitor.post({"type": "punch"}, line=0)
        with pytest.raises(InvalidArgument):
            monitor.advance(dt.datetime(2026, 3, 3))  # naive
        found = monitor.advance(FAR_FUTURE)
        assert monitor.counts.posted == 5
        assert monitor.counts.accepted == 2
        reasons = monitor.rejects.get_column("reason").to_list()
        assert all(r.startswith("expected an object") for r in reasons) and len(reasons) == 3
        assert [f.sources for f in found if f.rule_id == "ATT-LATE"] == [("<records>:1",)]
        assert_accounted(monitor)


def test_a_dict_is_taken_as_it_is_when_posted() -> None:
    """A dict changed after its post (a caller filling one dict for each record) is judged
    as it was posted: the in-punch at 09:30 is 30 minutes late (ATT-LATE), not an 18:30
    arrival, and the batch engine over the two records as posted finds the same."""
    posted = []
    with Monitor(POLICY, start=dt.date(2026, 11, 2)) as monitor:
        record: dict[str, Any] = {"type": "punch", "employee_id": "E1"}
        for at in ("2026-11-02T09:30:00+08:00", "2026-11-02T18:30:00+08:00"):
            record["at"] = at
            monitor.post(record)
            posted.append(dict(record))
        record["at"] = "2026-11-02T23:00:00+08:00"
        found = monitor.advance(dt.datetime(2026, 11, 3, 1, tzinfo=dt.UTC))
        assert [(f.rule_id, f.evidence["minutes_late"]) for f in found] == [("ATT-LATE", 30)]
        assert same_findings(found, POLICY.check(posted).findings, posted)
        assert_accounted(monitor)


def test_bad_arguments_are_errors_and_extreme_instants_are_instants() -> None:
    """A monitor's arguments are checked when it is made (not at its first post), and
    ``advance`` takes any aware instant Python has: the last one closes every day through
    ``end``, the first one closes none."""
    for bad in ({"source": 5}, {"chunk_size": True}, {"chunk_size": 0}):
        with pytest.raises(InvalidArgument):
            Monitor(POLICY, **bad)
    day = dt.date(2026, 11, 2)
    punch = {"type": "punch", "employee_id": "E1", "at": "2026-11-02T09:12:00+08:00"}
    with Monitor(POLICY, start=day, end=day) as monitor:
        monitor.post(punch)
        assert monitor.advance(dt.datetime.min.replace(tzinfo=dt.UTC)) == []
        assert monitor.closed_through("E1") is None
        found = monitor.advance(dt.datetime.max.replace(tzinfo=dt.UTC))
        assert monitor.closed_through("E1") == day
        assert "ATT-LATE" in {f.rule_id for f in found}  # 09:12, no grace by default
        assert_accounted(monitor)


def test_a_restart_replays_the_accepted_records_with_their_lines_and_finds_the_same() -> None:
    """docs/engines.md's restart: a new monitor, given again the records the old one
    accepted, each with the line it was posted with, and advanced to now, finds the old
    monitor's findings, those delivered before the restart among them (equal, so they can be
    dropped), and those after it.  Posted without their lines they are numbered again,
    skipping the rejected ones, and a finding after a rejected record cites another line.
    E1 is 5, 6 and 7 minutes late on 2-4 November (09:00 to 18:00, no grace: ATT-LATE); line
    3 is no date-time, line 6 comes for the 2nd after it closed: both rejected; at the end,
    three late days in the month are DIS-REPEATED-LATE."""

    def punch(at: str, direction: str) -> dict[str, Any]:
        return {"type": "punch", "employee_id": "E1", "at": f"{at}+08:00", "direction": direction}

    posts = [
        (punch("2026-11-02T09:05:00", "in"), None),
        (punch("2026-11-02T18:00:00", "out"), None),
        ({"type": "punch", "employee_id": "E1", "at": "lunchtime"}, None),
        (punch("2026-11-03T09:06:00", "in"), None),
        (punch("2026-11-03T18:00:00", "out"), dt.datetime(2026, 11, 3, tzinfo=SHANGHAI)),
        (punch("2026-11-02T12:00:00", "out"), None),  # day 2 closed by the advance before
        (punch("2026-11-04T09:07:00", "in"), None),
        (punch("2026-11-04T18:00:00", "out"), None),
    ]
    period = {"start": dt.date(2026, 11, 2), "end": dt.date(2026, 11, 4)}
    restart = dt.datetime(2026, 11, 4, tzinfo=SHANGHAI)  # days 2 and 3 closed, 4 open
    with Monitor(POLICY, **period) as old:
        delivered: list[Finding] = []
        for record, advance_to in posts:
            delivered += old.post(record)
            if advance_to is not None:
                delivered += old.advance(advance_to)
        delivered += old.advance(restart)
        after = old.advance(FAR_FUTURE)
        rejected = set(old.rejects.get_column("line"))
    assert rejected == {3, 6}
    assert [(f.rule_id, f.date, f.sources) for f in delivered + after] == [
        ("ATT-LATE", dt.date(2026, 11, 2), ("<records>:1",)),
        ("ATT-LATE", dt.date(2026, 11, 3), ("<records>:4",)),
        ("ATT-LATE", dt.date(2026, 11, 4), ("<records>:7",)),
        # three late days in the month: DIS-REPEATED-LATE's default threshold, at the end
        ("DIS-REPEATED-LATE", None, ("<records>:1", "<records>:4", "<records>:7")),
    ]
    accepted = [(line, r) for line, (r, _) in enumerate(posts, 1) if line not in rejected]
    with Monitor(POLICY, **period) as new:
        for line, record in accepted:
            new.post(record, line=line)
        replayed = new.advance(restart)
        assert replayed == delivered  # so each can be dropped as one delivered
        assert new.advance(FAR_FUTURE) == after
    with Monitor(POLICY, **period) as renumbered:
        for _, record in accepted:
            renumbered.post(record)
        found = renumbered.advance(FAR_FUTURE)
    assert [f.sources for f in found][1:3] == [("<records>:3",), ("<records>:5",)]


def test_a_findings_sources_from_several_sources_are_in_the_order_each_was_first_posted(
    tmp_path: Path,
) -> None:
    """docs/engines.md, Sources: ASM-TARGET-MISSED cites the order and the target.  Posted
    with their files' names and lines, the target first, the live finding cites the target
    first; the batch engine, given the orders' file first, cites it last; the same sources
    otherwise (E1's order of 50 below the target of 100 in November)."""
    from sales_records import order, target

    orders, targets = tmp_path / "orders.csv", tmp_path / "sales_targets.csv"
    rows = {orders: order("O1", "E1", "K1", "2026-11-03", 50), targets: target("E1", 100)}
    for path, row in rows.items():
        fields = [k for k in row if k != "type"]
        path.write_text(
            ",".join(fields)
            + "\n"
            + ",".join("" if row[k] is None else str(row[k]) for k in fields)
            + "\n",
            encoding="utf-8",
        )
    month = {"start": dt.date(2026, 11, 1), "end": dt.date(2026, 11, 30)}
    [batch] = [
        f for f in POLICY.check([orders, targets], **month) if f.rule_id == "ASM-TARGET-MISSED"
    ]
    assert batch.sources == (f"{orders}:2", f"{targets}:2")
    with Monitor(POLICY, **month) as monitor:
        monitor.post(rows[targets], source=str(targets), line=2)
        monitor.post(rows[orders], source=str(orders), line=2)
        found = [f for f in monitor.advance(FAR_FUTURE) if f.rule_id == "ASM-TARGET-MISSED"]
    assert [f.sources for f in found] == [(f"{targets}:2", f"{orders}:2")]
    assert dataclasses.replace(found[0], sources=batch.sources) == batch


def test_with_lateness_a_punch_closes_the_days_before_it() -> None:
    """With ``lateness``, a punch moves the clock to its instant less the lateness: a punch the
    next morning closes the day before, and its post returns that day's findings."""
    shanghai = "+08:00"
    with Monitor(POLICY, start=dt.date(2026, 3, 2), lateness=dt.timedelta(hours=2)) as monitor:
        first = monitor.post(
            {"type": "punch", "employee_id": "E1", "at": f"2026-03-02T09:20:00{shanghai}"}
        )
        assert first == []
        assert (
            monitor.post(
                {"type": "punch", "employee_id": "E1", "at": f"2026-03-03T01:30:00{shanghai}"}
            )
            == []
        )
        found = monitor.post(
            {"type": "punch", "employee_id": "E1", "at": f"2026-03-03T08:55:00{shanghai}"}
        )
        assert {f.rule_id for f in found} == {"ATT-LATE", "ATT-MISSING-PUNCH"}
        assert monitor.closed_through("E1") == dt.date(2026, 3, 2)
        assert_accounted(monitor)


def test_with_lateness_only_an_accepted_punch_moves_the_clock() -> None:
    """The clock moves to a punch's instant as validated: a punch the validator rejects (no
    employee) closes nothing, whatever its instant; a naive punch is read in its employee's
    timezone (New York: 06:30 less two hours is after midnight there, not in Shanghai)."""
    new_york = {
        "type": "employee",
        "employee_id": "E1",
        "name": "甲",
        "timezone": "America/New_York",
    }
    with Monitor(POLICY, start=dt.date(2026, 3, 2), lateness=dt.timedelta(hours=2)) as monitor:
        monitor.post(new_york)
        assert (
            monitor.post({"type": "punch", "employee_id": "E1", "at": "2026-03-02T09:20:00"}) == []
        )
        assert monitor.post({"type": "punch", "at": "2026-03-06T09:00:00-05:00"}) == []
        assert monitor.closed_through("E1") is None
        found = monitor.post({"type": "punch", "employee_id": "E1", "at": "2026-03-03T06:30:00"})
        assert monitor.closed_through("E1") == dt.date(2026, 3, 2)
        assert {f.rule_id for f in found} == {"ATT-LATE", "ATT-MISSING-PUNCH"}
        assert monitor.rejects.get_column("line").to_list() == [3]
        assert_accounted(monitor)


@pytest.mark.parametrize(
    "at",
    [
        "2026/3/3 8:55",  # year first, as a spreadsheet saves it (local time)
        "2026/03/03 08:55:00",
        "1772499300000",  # epoch milliseconds as text: 2026-03-03T00:55:00Z
        " 2026-03-03T08:55:00+08:00 ",
    ],
)
def test_with_lateness_a_punch_in_any_form_the_validator_reads_moves_the_clock(at: str) -> None:
    """A punch's instant is read as the validator reads it (docs/inputs.md): year first and
    epoch milliseconds as text move the clock as ISO 8601 does (08:55 in Shanghai less two
    hours is after midnight: the 2nd closes)."""
    with Monitor(POLICY, start=dt.date(2026, 3, 2), lateness=dt.timedelta(hours=2)) as monitor:
        monitor.post({"type": "punch", "employee_id": "E1", "at": "2026-03-02T09:20:00+08:00"})
        found = monitor.post({"type": "punch", "employee_id": "E1", "at": at})
        assert monitor.closed_through("E1") == dt.date(2026, 3, 2)
        assert {f.rule_id for f in found} == {"ATT-LATE", "ATT-MISSING-PUNCH"}
        assert_accounted(monitor)


@pytest.mark.parametrize("record_type", ["punch", "punches", "Punches", "打卡", "考勤打卡"])
def test_with_lateness_a_punch_by_any_name_the_validator_reads_moves_the_clock(
    record_type: str,
) -> None:
    """A record whose ``type`` the validator reads as a punch (docs/inputs.md: a type's file
    names, in any case, and its Chinese names) moves the clock as ``"punch"`` does."""
    with Monitor(POLICY, start=dt.date(2026, 3, 2), lateness=dt.timedelta(hours=2)) as monitor:
        monitor.post({"type": record_type, "employee_id": "E1", "at": "2026-03-02T09:20:00+08:00"})
        found = monitor.post(
            {"type": record_type, "employee_id": "E1", "at": "2026-03-03T08:55:00+08:00"}
        )
        assert monitor.closed_through("E1") == dt.date(2026, 3, 2)
        assert {f.rule_id for f in found} == {"ATT-LATE", "ATT-MISSING-PUNCH"}
        assert_accounted(monitor)


@pytest.mark.parametrize("failing_call", [1, 2])
def test_an_advance_that_raises_loses_nothing_and_counts_nothing_twice(
    failing_call: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A close that raises part way (here the second stage, counting late days) changes
    nothing, and what the closes before it found is returned by the next advance: the
    monitor advanced again to the same instant finds exactly what one that did not fail
    finds.  E1 (Shanghai) and E2 (London) close in two groups; the first or the second
    group's close fails."""
    import sales_policy.live.judge as judge

    policy = POLICY.with_params(repeated_late_count=2)
    late = [
        {"type": "punch", "employee_id": who, "at": f"2026-11-0{day}T09:30:00", "direction": "in"}
        for who in ("E1", "E2")
        for day in (2, 3)
    ]
    records = [
        {"type": "employee", "employee_id": "E1", "name": "甲", "timezone": "Asia/Shanghai"},
        {"type": "employee", "employee_id": "E2", "name": "乙", "timezone": "Europe/London"},
        *late,
    ]
    start, end = dt.date(2026, 11, 2), dt.date(2026, 11, 30)
    after = dt.datetime(2026, 12, 2, tzinfo=dt.UTC)
    with Monitor(policy, start=start, end=end) as clean:
        for record in records:
            clean.post(record)
        expected = clean.advance(after)
    rules = {f.rule_id for f in expected}
    assert {"ATT-LATE", "DIS-REPEATED-LATE"} <= rules
    assert sum(f.rule_id == "DIS-REPEATED-LATE" for f in expected) == 2

    counting = judge.finding_month
    calls = []

    def fails_once(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == failing_call:
            raise MemoryError("injected")
        return counting(*args, **kwargs)

    monkeypatch.setattr(judge, "finding_month", fails_once)
    with Monitor(policy, start=start, end=end) as monitor:
        for record in records:
            monitor.post(record)
        with pytest.raises(MemoryError):
            monitor.advance(after)
        found = monitor.advance(after)
        assert monitor.advance(after) == []
        assert_accounted(monitor)
    assert same_findings(found, expected, records)


def test_a_later_rule_sets_parameter_named_like_a_column_is_not_read_by_earlier_rules(
    tmp_path: Path,
) -> None:
    """As in the batch engine, a rule set's conditions see the parameters of the rule sets
    loaded up to it only: a company parameter ``minutes_early`` of a rule set over gifts,
    loaded after one comparing the columns minutes_late and minutes_early, leaves that
    comparison reading the column (10 > 0), not the parameter (10 > 600)."""
    (tmp_path / "first.yaml").write_text(
        "ruleset: first\ntitle: {zh: 公司, en: Company}\nfacts: workday\nrules:\n"
        "  - id: CO-FIRST\n    title: {zh: 晚, en: Late}\n    clauses: ['4.3']\n"
        "    severity: info\n    when: minutes_late > minutes_early\n"
        "    message: {zh: '晚', en: 'late'}\n",
        encoding="utf-8",
    )
    (tmp_path / "gifts.yaml").write_text(
        "ruleset: gifts\ntitle: {zh: 礼品, en: Gifts}\nfacts: gift\n"
        "params:\n  minutes_early: {type: int, default: 600, min: 0, doc: {zh: 值, en: value}}\n"
        "rules:\n  - id: CO-GIFT\n    title: {zh: 礼品, en: Gift}\n    clauses: ['8.3']\n"
        "    severity: info\n    when: value_cny > minutes_early\n"
        "    message: {zh: '礼品', en: 'gift'}\n",
        encoding="utf-8",
    )
    path = tmp_path / "policy.yaml"
    path.write_text("rule_files: [first.yaml, gifts.yaml]\n", encoding="utf-8")
    policy = load_policy(path)
    records = [
        {"type": "employee", "employee_id": "E1", "name": "A"},
        {
            "type": "punch",
            "employee_id": "E1",
            "at": "2026-11-02T09:10:00+08:00",
            "direction": "in",
        },
        {
            "type": "punch",
            "employee_id": "E1",
            "at": "2026-11-02T18:00:00+08:00",
            "direction": "out",
        },
    ]
    day = dt.date(2026, 11, 2)
    batch = sorted(f.rule_id for f in policy.check(records, day, day))
    assert batch == ["ATT-LATE", "CO-FIRST"]  # 10 minutes late, 0 early
    with Monitor(policy, start=day, end=day) as monitor:
        for record in records:
            monitor.post(record)
        live = sorted(f.rule_id for f in monitor.advance(FAR_FUTURE))
    assert live == batch
