"""Generate ``examples/november-2026/``: one realistic month of a small sales team.

Eight salespeople in two teams (华东一组 / 华东二组), November 2026 (21 working days,
Monday 2 to Monday 30, no Chinese statutory holiday). Most days are ordinary: an in-punch
between 08:40 and 08:59 and an out-punch between 18:00 and 18:25, about one customer visit
per person and week. On specific, documented days something happens on purpose: every
attendance rule is broken at least twice (the month limit once), one salesperson is late
three times and another away three days (the discipline rule set's month counts of those
findings), and a set of look-alike cases that must *not* be reported sits beside them.

Everything the month contains is declared once, in ``VIOLATIONS`` / ``NON_VIOLATIONS`` and
the day plans below, and the generator writes from that single declaration:

- the five record files (``employees.csv``, ``punches.csv``, ``leave_requests.csv``,
  ``overtime_requests.csv``, ``customer_visits.csv``),
- ``expected.json``: every intended finding as ``{rule_id, employee_id, date, period}``
  under the default policy,
- ``non_violations.json``: the deliberate look-alikes (employee, dates, case),
- ``README.md``: both tables, for people.

Standard library only, seeded, deterministic: running it twice writes identical files.

    python examples/make_november_2026.py            # writes examples/november-2026/
    python examples/make_november_2026.py --out DIR  # somewhere else
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

SEED = 20261101
YEAR, MONTH = 2026, 11
FIRST_DAY, LAST_DAY = date(2026, 11, 1), date(2026, 11, 30)
OFFSET = "+08:00"  # Asia/Shanghai and Asia/Singapore are both UTC+8 all year
PERIOD = "2026-11"


# ----------------------------------------------------------------------------- people


@dataclass(frozen=True)
class Employee:
    employee_id: str
    name: str
    hired_on: str
    team: str
    supervisor_id: str
    timezone: str = "Asia/Shanghai"
    left_on: str = ""


TEAM_1, TEAM_2 = "华东一组", "华东二组"
EMPLOYEES = [
    Employee("S001", "王伟", "2019-03-04", TEAM_1, "M001"),
    Employee("S002", "李娜", "2020-07-13", TEAM_1, "M001"),
    Employee("S003", "张敏", "2021-02-22", TEAM_1, "M001"),
    Employee("S004", "刘洋", "2022-05-09", TEAM_1, "M001"),
    Employee("S005", "陈静", "2018-09-03", TEAM_2, "M002"),
    Employee("S006", "杨磊", "2020-11-16", TEAM_2, "M002"),
    # Covers the company's Singapore accounts and is based there; same UTC+8 offset.
    Employee("S007", "赵丽", "2023-04-03", TEAM_2, "M002", timezone="Asia/Singapore"),
    # Joins in the middle of the month: nothing is expected of her before the 16th.
    Employee("S008", "黄婷", "2026-11-16", TEAM_2, "M002"),
]
NAMES = {e.employee_id: e.name for e in EMPLOYEES}


def d(day: int) -> date:
    return date(YEAR, MONTH, day)


def is_workday(day: date) -> bool:
    # Monday-Friday (handbook 1.2); November 2026 has no statutory holiday or 调休 day.
    return day.weekday() < 5


def stamp(day: date, clock: str) -> str:
    """``2026-11-03T08:57:12+08:00`` from a date and ``HH:MM[:SS]``."""
    if clock.count(":") == 1:
        clock += ":00"
    return f"{day.isoformat()}T{clock}{OFFSET}"


# ----------------------------------------------------------------------------- day plans


@dataclass
class Day:
    """What one employee does on one day. ``None`` times are filled in at random."""

    arrive: str | None = None  # first in-punch, HH:MM:SS
    leave: str | None = None  # last out-punch, HH:MM:SS
    arrive_source: str = "office"
    leave_source: str = "office"
    no_out_punch: bool = False
    absent: bool = False  # no punch, no visit at all
    naive_arrival: bool = False  # write the in-punch without an offset
    gaps: list[tuple[str, str]] = field(default_factory=list)  # (out, back in) in between
    visits: list[tuple[str, str]] = field(default_factory=list)  # (start, end) HH:MM


# Intended findings under the default policy, with the day that produces each.
# (rule_id, employee_id, day or None, what happens)
VIOLATIONS: list[tuple[str, str, int | None, str]] = [
    ("ATT-LATE", "S001", 4, "in 09:07:42 → 8 min late"),
    ("ATT-LATE", "S004", 11, "in 09:12:05 → 13 min late"),
    ("ATT-LATE", "S002", 18, "in 09:00:01 → 1 min late (one second counts as a minute)"),
    ("ATT-LATE", "S004", 16, "in 09:09:27 → 10 min late (his second late day)"),
    ("ATT-LATE", "S006", 12, "in 09:06:15 → 7 min late, after three evenings on the tender"),
    ("ATT-LATE", "S006", 18, "in 09:05:40 → 6 min late"),
    ("ATT-LATE", "S006", 24, "in 09:11:52 → 12 min late"),
    ("ATT-LATE-SERIOUS", "S005", 3, "in 09:47:20 → 48 min late"),
    ("ATT-LATE-SERIOUS", "S007", 24, "in 10:12:33 → 73 min late"),
    ("ATT-EARLY", "S003", 6, "out 17:48:30 → 12 min early"),
    ("ATT-EARLY", "S001", 19, "out 17:35:10 → 25 min early"),
    ("ATT-EARLY-SERIOUS", "S004", 5, "out 16:20:00 → 100 min early"),
    ("ATT-EARLY-SERIOUS", "S008", 23, "out 17:05:45 → 55 min early"),
    ("ATT-MISSING-PUNCH", "S002", 10, "in 08:47:33, no out-punch, no visit"),
    ("ATT-MISSING-PUNCH", "S005", 16, "in 08:44:02, no out-punch, no visit"),
    ("ATT-ABSENT", "S001", 13, "no punch, no visit, no leave request"),
    ("ATT-ABSENT", "S004", 26, "no punch, no visit, no leave request"),
    ("ATT-ABSENT", "S003", 13, "no punch, no visit, no leave request"),
    ("ATT-ABSENT", "S003", 17, "no punch, no visit, no leave request"),
    ("ATT-UNAPPROVED-LEAVE", "S005", 6, "stays away; personal leave request still pending"),
    ("ATT-UNAPPROVED-LEAVE", "S003", 20, "stays away; personal leave request still pending"),
    ("ATT-UNAPPROVED-LEAVE", "S002", 30, "stays away; annual leave request was rejected"),
    (
        "ATT-LEAVE-NOT-IN-ADVANCE",
        "S004",
        17,
        "sick leave, submitted 08:12, approved 10:31 the same day (after its 09:00 start)",
    ),
    (
        "ATT-LEAVE-NOT-IN-ADVANCE",
        "S001",
        27,
        "personal leave, submitted the evening before, approved 09:42 (after its 09:00 start)",
    ),
    ("ATT-OVERTIME-UNAPPROVED", "S004", 3, "out 19:52:18 → 113 min overtime, no request"),
    (
        "ATT-OVERTIME-UNAPPROVED",
        "S007",
        12,
        "out 19:35:40 → 96 min; request 18:00–20:00 approved only at 19:05 (after its start)",
    ),
    (
        "ATT-OVERTIME-UNAPPROVED",
        "S005",
        14,
        "Saturday, in 09:28:14 out 11:52:40 (145 min of weekend work), no request",
    ),
    (
        "ATT-OVERTIME-DAY-LIMIT",
        "S002",
        19,
        "out 21:47:06 → 228 min > 180; request 18:00–22:00 approved in advance",
    ),
    (
        "ATT-OVERTIME-DAY-LIMIT",
        "S007",
        26,
        "out 22:05:12 → 246 min > 180; request 18:00–22:30 approved in advance",
    ),
    (
        "ATT-OVERTIME-MONTH-LIMIT",
        "S006",
        None,
        "17 evenings to about 20:45, each approved in advance and under 180 min; "
        "month total ≈ 2,800 min > 2,160",
    ),
    ("ATT-LEFT-POST", "S003", 10, "out 14:00:27, back in 15:10:05 → 70 min away, no visit"),
    ("ATT-LEFT-POST", "S008", 24, "out 15:20:10, back in 16:05:48 → 46 min away, no visit"),
    # the discipline rule set's month counts of the findings above
    (
        "DIS-REPEATED-LATE",
        "S006",
        None,
        "late on the 12th, 18th and 24th: 3 late arrivals in the month (3 make repeated lateness)",
    ),
    (
        "DIS-REPEATED-ABSENCE",
        "S003",
        None,
        "absent on the 13th and 17th, on leave not approved on the 20th: 3 days in the month "
        "(3 make repeated absence)",
    ),
]

# Deliberate look-alikes that must produce no finding. (employee_id, days, case)
NON_VIOLATIONS: list[tuple[str, list[int], str]] = [
    ("S003", [5], "in at exactly 09:00:00 → on time"),
    ("S002", [5], "in-punch written without offset (`2026-11-05 08:52:17`, local time) → on time"),
    ("S002", [12], "full-day annual leave, approved a week before → nothing required"),
    ("S005", [25, 26], "two-day annual leave, approved in advance"),
    (
        "S007",
        [9],
        "full-day annual leave, approved in advance (also Singapore's Deepavali "
        "holiday-in-lieu; the company calendar is China's, so the leave is what excuses the day)",
    ),
    (
        "S001",
        [18],
        "half-day leave 09:00–12:00 approved in advance; arrives 12:46:05, after "
        "lunch → not late (the requirement starts at 13:00)",
    ),
    (
        "S008",
        [20],
        "half-day leave 13:00–18:00 approved in advance; leaves 12:03:50 at lunch "
        "→ not early (the requirement ends at 12:00)",
    ),
    ("S001", [10], "out 20:38:12 (159 min) with overtime 18:00–21:00 approved at 11:05"),
    ("S005", [19], "out 20:12:31 (133 min) with overtime 18:00–20:30 approved the day before"),
    ("S003", [22], "Sunday work 09:41–12:07 with weekend overtime approved on Friday"),
    (
        "S006",
        [2, 3, 4, 5, 9, 10, 11, 16, 17, 19, 23, 25, 26, 30],
        "each long evening (out 20:40–20:52, ≤ 172 min) is approved in advance and under the "
        "day limit: only the month limit fires (the days he is late, the 12th, 18th and 24th, "
        "are left out here)",
    ),
    ("S004", [19], "out 14:00:41, back 15:09:12, customer visit 14:00–15:10 covers the gap"),
    ("S007", [4], "out 10:30:15, back 11:43:50, customer visit 10:30–11:45 covers the gap"),
    ("S001", [6], "out 12:04:10, back 12:56:30: the gap lies inside the lunch break"),
    ("S002", [25], "out 15:02:11, back 15:24:40: 23 min away, not more than 30"),
    ("S004", [24], "overtime request rejected; leaves 18:06 as told → no overtime at all"),
    (
        "S004",
        [],
        "late on two days (the 11th and 16th): one short of the 3 that make repeated lateness "
        "→ no DIS-REPEATED-LATE",
    ),
    (
        "S001",
        [],
        "not at work on the 13th (absent), the morning of the 18th (half-day leave) and the "
        "27th (leave approved late): leave approved, even late, is no absence, so one day "
        "counts → no DIS-REPEATED-ABSENCE",
    ),
    ("S008", [27], "leave request cancelled; works a normal day"),
    (
        "S008",
        [2, 3, 4, 5, 6, 9, 10, 11, 12, 13],
        "before the hire date 2026-11-16: no records, no absence",
    ),
    ("*", [], "ordinary days: out-punches 18:00–18:25 are not overtime (not more than 30 min)"),
    ("*", [], "customer visits with `field` punches at the start or the end of a day"),
]

# The day plans that make the two lists true.
PLANS: dict[tuple[str, int], Day] = {
    # late / seriously late
    ("S001", 4): Day(arrive="09:07:42"),
    ("S004", 11): Day(arrive="09:12:05"),
    ("S002", 18): Day(arrive="09:00:01"),
    ("S005", 3): Day(arrive="09:47:20"),
    ("S007", 24): Day(arrive="10:12:33"),
    ("S003", 5): Day(arrive="09:00:00"),
    ("S002", 5): Day(arrive="08:52:17", naive_arrival=True),
    # early / seriously early
    ("S003", 6): Day(leave="17:48:30"),
    ("S001", 19): Day(leave="17:35:10"),
    ("S004", 5): Day(leave="16:20:00"),
    ("S008", 23): Day(leave="17:05:45"),
    # missing out-punch, absence, stays away on leave of some kind
    ("S002", 10): Day(arrive="08:47:33", no_out_punch=True),
    ("S005", 16): Day(arrive="08:44:02", no_out_punch=True),
    ("S001", 13): Day(absent=True),
    ("S004", 26): Day(absent=True),
    ("S005", 6): Day(absent=True),
    ("S003", 20): Day(absent=True),
    ("S002", 30): Day(absent=True),
    ("S004", 17): Day(absent=True),
    ("S001", 27): Day(absent=True),
    ("S002", 12): Day(absent=True),
    ("S005", 25): Day(absent=True),
    ("S005", 26): Day(absent=True),
    ("S007", 9): Day(absent=True),
    # half days
    ("S001", 18): Day(arrive="12:46:05", leave="18:04:21"),
    ("S008", 20): Day(arrive="08:51:14", leave="12:03:50"),
    # overtime
    ("S001", 10): Day(leave="20:38:12"),
    ("S005", 19): Day(leave="20:12:31"),
    ("S004", 3): Day(leave="19:52:18"),
    ("S007", 12): Day(leave="19:35:40"),
    ("S002", 19): Day(leave="21:47:06"),
    ("S007", 26): Day(leave="22:05:12"),
    ("S004", 24): Day(leave="18:06:02"),
    # weekend work (both ≤ 180 min so the day limit stays out of it)
    ("S005", 14): Day(
        arrive="09:28:14", leave="11:52:40", arrive_source="mobile", leave_source="mobile"
    ),
    ("S003", 22): Day(
        arrive="09:41:03", leave="12:07:55", arrive_source="mobile", leave_source="mobile"
    ),
    # away from the desk during the day
    ("S003", 10): Day(gaps=[("14:00:27", "15:10:05")]),
    ("S008", 24): Day(gaps=[("15:20:10", "16:05:48")]),
    ("S004", 19): Day(gaps=[("14:00:41", "15:09:12")], visits=[("14:00", "15:10")]),
    ("S007", 4): Day(gaps=[("10:30:15", "11:43:50")], visits=[("10:30", "11:45")]),
    ("S001", 6): Day(gaps=[("12:04:10", "12:56:30")]),
    ("S002", 25): Day(gaps=[("15:02:11", "15:24:40")]),
}

# Ordinary days changed after they are drawn. Each is first drawn as the day it would
# otherwise be (its times and punch sources), then changed: its in-punch moved, or its punches
# dropped. So the month's random draws, and with them every other day's records and the
# customer visits (whose ids the sales folder refers to), are the same as without these days.
# Only `arrive` and `absent` are applied, and a changed day may not have a visit (checked).
AFTER_DRAW: dict[tuple[str, int], Day] = {
    # S006's late mornings in the tender month (see below)
    ("S006", 12): Day(arrive="09:06:15"),
    ("S006", 18): Day(arrive="09:05:40"),
    ("S006", 24): Day(arrive="09:11:52"),
    ("S004", 16): Day(arrive="09:09:27"),
    # S003 stays away without a word; on the 20th her leave request is still pending
    ("S003", 13): Day(absent=True),
    ("S003", 17): Day(absent=True),
}

# S006 (杨磊): year-end tender for a key account (华东区某大客户年终集中采购招标 — bid
# documents and price calculations due 12-01). Evening overtime approved day by day.
MONTH_LIMIT_EMPLOYEE = "S006"
MONTH_LIMIT_DAYS = [2, 3, 4, 5, 9, 10, 11, 12, 16, 17, 18, 19, 23, 24, 25, 26, 30]


# Leave requests: (employee, leave_type, start, end, submitted_at, status, decided_at)
def leave_requests() -> list[tuple[str, str, str, str, str, str, str]]:
    return [
        (
            "S007",
            "annual",
            stamp(d(9), "09:00"),
            stamp(d(9), "18:00"),
            stamp(d(2), "10:15:32"),
            "approved",
            stamp(d(3), "09:41:07"),
        ),
        (
            "S002",
            "annual",
            stamp(d(12), "09:00"),
            stamp(d(12), "18:00"),
            stamp(d(5), "10:12:44"),
            "approved",
            stamp(d(5), "14:30:19"),
        ),
        (
            "S005",
            "annual",
            stamp(d(25), "09:00"),
            stamp(d(26), "18:00"),
            stamp(d(16), "11:03:25"),
            "approved",
            stamp(d(17), "09:20:48"),
        ),
        (
            "S001",
            "personal",
            stamp(d(18), "09:00"),
            stamp(d(18), "12:00"),
            stamp(d(16), "16:40:02"),
            "approved",
            stamp(d(16), "17:55:30"),
        ),
        (
            "S008",
            "personal",
            stamp(d(20), "13:00"),
            stamp(d(20), "18:00"),
            stamp(d(18), "10:05:51"),
            "approved",
            stamp(d(19), "11:22:16"),
        ),
        (
            "S004",
            "sick",
            stamp(d(17), "09:00"),
            stamp(d(17), "18:00"),
            stamp(d(17), "08:12:09"),
            "approved",
            stamp(d(17), "10:31:40"),
        ),
        (
            "S001",
            "personal",
            stamp(d(27), "09:00"),
            stamp(d(27), "18:00"),
            stamp(d(26), "21:04:33"),
            "approved",
            stamp(d(27), "09:42:05"),
        ),
        (
            "S005",
            "personal",
            stamp(d(6), "09:00"),
            stamp(d(6), "18:00"),
            stamp(d(5), "22:15:27"),
            "pending",
            "",
        ),
        (
            "S003",
            "personal",
            stamp(d(20), "09:00"),
            stamp(d(20), "18:00"),
            stamp(d(19), "17:40:12"),
            "pending",
            "",
        ),
        (
            "S002",
            "annual",
            stamp(d(30), "09:00"),
            stamp(d(30), "18:00"),
            stamp(d(26), "15:26:58"),
            "rejected",
            stamp(d(27), "11:20:03"),
        ),
        (
            "S008",
            "personal",
            stamp(d(27), "09:00"),
            stamp(d(27), "18:00"),
            stamp(d(23), "09:48:36"),
            "cancelled",
            "",
        ),
    ]


# Overtime requests: (employee, start, end, submitted_at, status, decided_at)
def overtime_requests(rng: random.Random) -> list[tuple[str, str, str, str, str, str]]:
    rows = [
        (
            "S001",
            stamp(d(10), "18:00"),
            stamp(d(10), "21:00"),
            stamp(d(10), "09:20:41"),
            "approved",
            stamp(d(10), "11:05:13"),
        ),
        (
            "S005",
            stamp(d(19), "18:00"),
            stamp(d(19), "20:30"),
            stamp(d(18), "16:00:27"),
            "approved",
            stamp(d(18), "17:30:55"),
        ),
        (
            "S003",
            stamp(d(22), "09:30"),
            stamp(d(22), "12:30"),
            stamp(d(20), "15:00:08"),
            "approved",
            stamp(d(20), "17:10:44"),
        ),
        (
            "S002",
            stamp(d(19), "18:00"),
            stamp(d(19), "22:00"),
            stamp(d(19), "10:00:36"),
            "approved",
            stamp(d(19), "13:20:21"),
        ),
        (
            "S007",
            stamp(d(26), "18:00"),
            stamp(d(26), "22:30"),
            stamp(d(25), "16:45:10"),
            "approved",
            stamp(d(26), "09:30:02"),
        ),
        (
            "S007",
            stamp(d(12), "18:00"),
            stamp(d(12), "20:00"),
            stamp(d(12), "17:50:29"),
            "approved",
            stamp(d(12), "19:05:47"),
        ),
        (
            "S004",
            stamp(d(24), "18:00"),
            stamp(d(24), "20:00"),
            stamp(d(24), "09:00:15"),
            "rejected",
            stamp(d(24), "11:00:38"),
        ),
    ]
    for day in MONTH_LIMIT_DAYS:
        submitted = random_clock(rng, "09:05:00", "09:40:00")
        decided = random_clock(rng, "11:00:00", "16:30:00")
        rows.append(
            (
                MONTH_LIMIT_EMPLOYEE,
                stamp(d(day), "18:00"),
                stamp(d(day), "21:00"),
                stamp(d(day), submitted),
                "approved",
                stamp(d(day), decided),
            )
        )
    return rows


# ----------------------------------------------------------------------------- generation


def random_clock(rng: random.Random, low: str, high: str) -> str:
    """A uniformly random ``HH:MM:SS`` in [low, high]."""

    def seconds(clock: str) -> int:
        h, m, s = (int(x) for x in clock.split(":"))
        return h * 3600 + m * 60 + s

    value = rng.randint(seconds(low), seconds(high))
    return f"{value // 3600:02d}:{value % 3600 // 60:02d}:{value % 60:02d}"


def employed(emp: Employee, day: date) -> bool:
    return date.fromisoformat(emp.hired_on) <= day and (
        not emp.left_on or day <= date.fromisoformat(emp.left_on)
    )


def days_of_month() -> list[date]:
    return [FIRST_DAY + timedelta(days=i) for i in range((LAST_DAY - FIRST_DAY).days + 1)]


def ordinary_source(rng: random.Random) -> str:
    # Most people punch at the office terminal; now and then on the mobile app.
    return "mobile" if rng.random() < 0.06 else "office"


def build(rng: random.Random) -> dict[str, list[dict[str, str]]]:
    plans = dict(PLANS)
    for day in MONTH_LIMIT_DAYS:
        plans[(MONTH_LIMIT_EMPLOYEE, day)] = Day(
            arrive=random_clock(rng, "08:55:00", "08:59:59"),
            leave=random_clock(rng, "20:40:00", "20:52:00"),
        )

    # About one customer visit per employee and week, on ordinary working days, at the
    # start of the day (in-punch at the customer's) or at its end (out-punch there).
    for emp in EMPLOYEES:
        weeks: dict[int, list[int]] = {}
        for day in days_of_month():
            if is_workday(day) and employed(emp, day) and (emp.employee_id, day.day) not in plans:
                weeks.setdefault(day.isocalendar().week, []).append(day.day)
        for week in sorted(weeks):
            day = rng.choice(weeks[week])
            if rng.random() < 0.5:
                start = random_clock(rng, "09:00:00", "09:20:00")[:5]
                end = random_clock(rng, "10:15:00", "11:40:00")[:5]
                plans[(emp.employee_id, day)] = Day(
                    arrive=random_clock(rng, "08:40:00", "08:56:59"),
                    arrive_source="field",
                    visits=[(start, end)],
                )
            else:
                start = random_clock(rng, "15:00:00", "16:10:00")[:5]
                end = random_clock(rng, "17:20:00", "17:55:00")[:5]
                plans[(emp.employee_id, day)] = Day(
                    leave=random_clock(rng, "18:00:30", "18:20:00"),
                    leave_source="field",
                    visits=[(start, end)],
                )

    punches: list[tuple[str, str, str, str, str]] = []  # sort key, employee, at, dir, source
    visits: list[tuple[str, str, str, str, str]] = []  # sort key, employee, customer, s, e
    for emp in EMPLOYEES:
        eid = emp.employee_id
        for day in days_of_month():
            plan = plans.get((eid, day.day))
            if plan is None:
                if not (is_workday(day) and employed(emp, day)):
                    continue
                plan = Day()
            if plan.absent:
                continue
            arrive = plan.arrive or random_clock(rng, "08:40:00", "08:59:59")
            leave = plan.leave or random_clock(rng, "18:00:30", "18:25:00")
            arrive_source = plan.arrive_source
            leave_source = plan.leave_source
            if plan.arrive is None and arrive_source == "office":
                arrive_source = ordinary_source(rng)
            if plan.leave is None and leave_source == "office":
                leave_source = ordinary_source(rng)
            change = AFTER_DRAW.get((eid, day.day))
            if change is not None:
                if plan.visits or replace(change, arrive=None, absent=False) != Day():
                    raise ValueError(
                        f"{eid} {day}: a day changed after the draw has a visit or "
                        "a change other than its arrival or its absence"
                    )
                if change.absent:
                    continue
                arrive = change.arrive or arrive
            at = f"{day.isoformat()} {arrive}" if plan.naive_arrival else stamp(day, arrive)
            punches.append((f"{day} {arrive}", eid, at, "in", arrive_source))
            for out_clock, back_clock in plan.gaps:
                punches.append((f"{day} {out_clock}", eid, stamp(day, out_clock), "out", "office"))
                punches.append((f"{day} {back_clock}", eid, stamp(day, back_clock), "in", "office"))
            if not plan.no_out_punch:
                punches.append((f"{day} {leave}", eid, stamp(day, leave), "out", leave_source))
            for start, end in plan.visits:
                customer = f"C-{rng.randint(1001, 1060)}"
                visits.append((f"{day} {start}", eid, customer, stamp(day, start), stamp(day, end)))

    punches.sort()
    visits.sort()
    overtime = overtime_requests(rng)
    return {
        "employees": [
            {
                "employee_id": e.employee_id,
                "name": e.name,
                "hired_on": e.hired_on,
                "left_on": e.left_on,
                "timezone": e.timezone,
                "supervisor_id": e.supervisor_id,
                "team": e.team,
            }
            for e in EMPLOYEES
        ],
        "punches": [
            {
                "record_id": f"P{i:05d}",
                "employee_id": eid,
                "at": at,
                "direction": direction,
                "source": source,
            }
            for i, (_, eid, at, direction, source) in enumerate(punches, start=1)
        ],
        "leave_requests": [
            {
                "request_id": f"L{i:04d}",
                "employee_id": eid,
                "leave_type": kind,
                "start": start,
                "end": end,
                "submitted_at": submitted,
                "status": status,
                "decided_at": decided,
            }
            for i, (eid, kind, start, end, submitted, status, decided) in enumerate(
                sorted(leave_requests(), key=lambda r: r[4]), start=1
            )
        ],
        "overtime_requests": [
            {
                "request_id": f"OT{i:04d}",
                "employee_id": eid,
                "start": start,
                "end": end,
                "submitted_at": submitted,
                "status": status,
                "decided_at": decided,
            }
            for i, (eid, start, end, submitted, status, decided) in enumerate(
                sorted(overtime, key=lambda r: r[3]), start=1
            )
        ],
        "customer_visits": [
            {
                "record_id": f"V{i:04d}",
                "employee_id": eid,
                "customer_id": customer,
                "start": start,
                "end": end,
            }
            for i, (_, eid, customer, start, end) in enumerate(visits, start=1)
        ],
    }


COLUMNS = {
    "employees": [
        "employee_id",
        "name",
        "hired_on",
        "left_on",
        "timezone",
        "supervisor_id",
        "team",
    ],
    "punches": ["record_id", "employee_id", "at", "direction", "source"],
    "leave_requests": [
        "request_id",
        "employee_id",
        "leave_type",
        "start",
        "end",
        "submitted_at",
        "status",
        "decided_at",
    ],
    "overtime_requests": [
        "request_id",
        "employee_id",
        "start",
        "end",
        "submitted_at",
        "status",
        "decided_at",
    ],
    "customer_visits": ["record_id", "employee_id", "customer_id", "start", "end"],
}


def expected(
    violations: list[tuple[str, str, int | None, str]] | None = None,
) -> list[dict[str, str | None]]:
    """The expected findings (``expected.json``) of ``violations`` (rule, employee, day of
    November or None for the month, what happens): by default, this month's."""
    return [
        {
            "rule_id": rule,
            "employee_id": eid,
            "date": d(day).isoformat() if day is not None else None,
            "period": None if day is not None else PERIOD,
        }
        for rule, eid, day, _ in (VIOLATIONS if violations is None else violations)
    ]


def non_violations() -> list[dict[str, object]]:
    return [
        {
            "employee_id": None if eid == "*" else eid,
            "dates": [d(day).isoformat() for day in days],
            "case": case,
        }
        for eid, days, case in NON_VIOLATIONS
    ]


# ----------------------------------------------------------------------------- README


def violation_rows(violations: list[tuple[str, str, int | None, str]]) -> str:
    """The README's table rows of ``violations``: who, when, the rule, what happens."""

    def when(day: int | None) -> str:
        if day is None:
            return f"{PERIOD} (month)"
        return f"{d(day).isoformat()} ({d(day).strftime('%a')})"

    return "\n".join(
        f"| {eid} {NAMES[eid]} | {when(day)} | `{rule}` | {what} |"
        for rule, eid, day, what in violations
    )


def readme(tables: dict[str, list[dict[str, str]]]) -> str:
    rows = violation_rows(VIOLATIONS)
    clean_rows = "\n".join(
        f"| {'everyone' if eid == '*' else eid + ' ' + NAMES[eid]} | "
        f"{', '.join(str(x) for x in days) if days else '—'} | {case} |"
        for eid, days, case in NON_VIOLATIONS
    )
    counts = ", ".join(f"{name}.csv {len(rows)}" for name, rows in tables.items())
    return f"""# November 2026 — a month of a small sales team

Generated by [`../make_november_2026.py`](../make_november_2026.py) (standard library,
seeded, deterministic). Do not edit these files by hand: change the generator and run

    python examples/make_november_2026.py

Rows: {counts}.

Eight salespeople in two teams — 华东一组 (supervisor `M001`): S001–S004; 华东二组
(supervisor `M002`): S005–S008. November 2026 has 21 working days (Mon 2 – Mon 30) and no
Chinese statutory holiday. An ordinary day is an in-punch 08:40–08:59 and an out-punch
18:00–18:25 (`office`, sometimes `mobile`); about once a week each person visits a customer
first thing in the morning (in-punch `field` at the customer's) or at the end of the day
(out-punch `field`). All timestamps carry `+08:00`, except one row written as naive local time.

- **S006 杨磊** spends the month on a key account's year-end tender (华东区某大客户年终集中采购
  招标, bid documents and price calculations due 1 December): 17 evenings of overtime to about
  20:45, each approved in advance by M002 (request 18:00–21:00 submitted that morning). No day
  is over the 180-minute limit, but the month totals about 2,800 minutes, over 2,160. On three
  mornings, the 12th, 18th and 24th, he comes in 6 to 12 minutes late: three late arrivals in
  a month are repeated lateness (`DIS-REPEATED-LATE`). S004, late twice, is one short of it.
- **S003 张敏** stays away on three working days: Friday the 13th and Tuesday the 17th without a
  word (no punch, no visit, no leave request), Friday the 20th on a personal leave request her
  supervisor has not decided. Absences and leave taken without approval count together: three
  days in a month are repeated absence (`DIS-REPEATED-ABSENCE`).
- **S007 赵丽** looks after the Singapore accounts and has `timezone: Asia/Singapore` (also UTC+8).
  The working calendar is the company's (China's); her 9 November — Singapore's Deepavali
  holiday-in-lieu — is covered by approved annual leave, so it is quiet under either reading.
- **S008 黄婷** was hired on 2026-11-16: no records and no absences before that.

Run the checker over the month:

    sales-policy check examples/november-2026/*.csv --period 2026-11

## Intended violations (default policy)

The same list, machine-readable, is [`expected.json`](expected.json): one object per finding,
`{{rule_id, employee_id, date, period}}` (`date` null for the month rules, `period` null
for day rules). Exactly these {len(VIOLATIONS)} findings are expected — no more: a seriously late
day is `ATT-LATE-SERIOUS` only, not also `ATT-LATE`; a day with only a pending or rejected
request is `ATT-UNAPPROVED-LEAVE`, not also `ATT-ABSENT`; leave approved late still excuses the
day, so it is `ATT-LEAVE-NOT-IN-ADVANCE` only; every late or early day still has both punches.
The last two are the discipline rule set's month counts of the attendance findings above: a
check of this folder alone reports them too.

| employee | date | rule | what happens |
|---|---|---|---|
{rows}

## Deliberate non-violations

Look-alikes that must produce **no** finding (also in
[`non_violations.json`](non_violations.json)):

| employee | days of November | case |
|---|---|---|
{clean_rows}

## With the sample company policy

[`../policy.yaml`](../policy.yaml) sets a 5-minute late grace and disables `ATT-LEFT-POST`.
Under it, S002's 1-minute late arrival on 18 November and both `ATT-LEFT-POST` findings drop
out; the other late arrivals, of 6 to 13 minutes, remain, and with them S006's repeated
lateness.
"""


# ----------------------------------------------------------------------------- main


def write_files(
    out: Path,
    tables: dict[str, list[dict[str, str]]],
    columns: dict[str, list[str]],
    documents: dict[str, object],
    readme_text: str,
) -> None:
    """One CSV file per table (its columns as ``columns`` has them, else as its first row
    has them), the JSON ``documents`` and the README, in ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        with (out / f"{name}.csv").open("w", newline="", encoding="utf-8") as fh:
            fields = columns.get(name, list(rows[0]))
            writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    for file_name, document in documents.items():
        (out / file_name).write_text(
            json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    (out / "README.md").write_text(readme_text, encoding="utf-8")


def write(out: Path) -> dict[str, list[dict[str, str]]]:
    tables = build(random.Random(SEED))
    documents = {"expected.json": expected(), "non_violations.json": non_violations()}
    write_files(out, tables, COLUMNS, documents, readme(tables))
    return tables


def run(
    description: str,
    folder: str,
    write_to: Callable[[Path], dict[str, list[dict[str, str]]]],
    findings: int,
) -> None:
    """The command line of a generator: ``--out`` (default ``examples/FOLDER``), then a
    line saying what was written."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).parent / folder,
        help=f"output directory (default: examples/{folder})",
    )
    args = parser.parse_args()
    tables = write_to(args.out)
    summary = ", ".join(f"{name} {len(rows)}" for name, rows in tables.items())
    print(f"wrote {args.out}: {summary}; {findings} expected findings")


def main() -> None:
    run(__doc__.split("\n\n")[0], "november-2026", write, len(VIOLATIONS))


if __name__ == "__main__":
    main()
