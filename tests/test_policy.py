"""A company's policy file: overrides, and clear errors with file and line."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import pickle
import re
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from sales_policy import InputError, InvalidArgument, PolicyError, RuleFileError, load_policy
from sales_policy.reports import summary

DAY = dt.date(2026, 11, 2)  # a Monday
LATE_7 = [
    {"type": "punch", "employee_id": "E1", "at": "2026-11-02T09:07:00+08:00", "direction": "in"},
    {"type": "punch", "employee_id": "E1", "at": "2026-11-02T18:00:00+08:00", "direction": "out"},
]


def write(tmp_path: Path, text: str, name: str = "policy.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def rules_of(result: object) -> list[str]:
    return [f.rule_id for f in result]  # type: ignore[attr-defined]


def test_default_policy_is_the_handbooks() -> None:
    policy = load_policy()
    assert policy.timezone == "Asia/Shanghai"
    assert policy.params["late_grace_minutes"] == 0
    assert rules_of(policy.check(LATE_7, DAY, DAY)) == ["ATT-LATE"]


def test_params_and_disable_apply(tmp_path: Path) -> None:
    graced = load_policy(write(tmp_path, "params: {late_grace_minutes: 10}\n"))
    assert rules_of(graced.check(LATE_7, DAY, DAY)) == []
    disabled = load_policy(write(tmp_path, "disable: [ATT-LATE]\n", "p2.yaml"))
    assert rules_of(disabled.check(LATE_7, DAY, DAY)) == []
    assert "ATT-LATE" not in [r.rule_id for r in disabled.rules]


def test_schedule_override_moves_the_start(tmp_path: Path) -> None:
    """With a 09:30 start, 09:07 is on time; the lunch break stays the default."""
    policy = load_policy(write(tmp_path, 'schedule: {start: "09:30", end: "18:00"}\n'))
    assert rules_of(policy.check(LATE_7, DAY, DAY)) == []


def test_a_day_start_is_read_from_the_schedule(tmp_path: Path) -> None:
    """``schedule.day_start`` sets when an attendance day begins; the rest of the schedule
    keeps its defaults, and without it the day begins at midnight."""
    policy = load_policy(write(tmp_path, 'schedule: {day_start: "04:00"}\n'))
    assert policy.schedule.day_start == dt.time(4)
    assert (policy.schedule.start, policy.schedule.end) == (dt.time(9), dt.time(18))
    assert load_policy().schedule.day_start == dt.time(0)
    edge = load_policy(write(tmp_path, 'schedule: {day_start: "06:00"}\n', "p2.yaml"))
    assert edge.schedule.day_start == dt.time(6)


def test_timezone_override_reads_naive_times_there(tmp_path: Path) -> None:
    """Naive 09:07 in Tokyo is 08:07 in Shanghai: compared with 09:00 Tokyo it is 7 min late."""
    policy = load_policy(write(tmp_path, "timezone: Asia/Tokyo\n"))
    naive = [{**r, "at": r["at"][:19]} for r in LATE_7]
    result = policy.check(naive, DAY, DAY)
    assert [(f.rule_id, f.evidence["minutes_late"]) for f in result] == [("ATT-LATE", 7)]


def test_calendar_extra_holiday_and_working_day(tmp_path: Path) -> None:
    policy = load_policy(
        write(tmp_path, "calendar: {holidays: [2026-11-02], working_days: [2026-11-07]}\n")
    )
    result = policy.check([LATE_7[0]], dt.date(2026, 11, 2), dt.date(2026, 11, 7))
    by_day = {(f.rule_id, f.date) for f in result}
    assert ("ATT-ABSENT", dt.date(2026, 11, 7)) in by_day  # the Saturday is worked
    assert not any(d == DAY for _, d in by_day if _ != "ATT-OVERTIME-UNAPPROVED")


def test_breaks_covering_the_working_hours_leave_nothing_required(tmp_path: Path) -> None:
    """A day whose breaks cover all its working hours has an empty required interval: it is
    not judged for lateness, early leave or absence, while overtime still counts from the
    scheduled end."""
    policy = load_policy(write(tmp_path, 'schedule:\n  breaks: [["09:00", "18:00"]]\n'))
    late_and_long = [
        {"type": "punch", "employee_id": "E1", "at": "2026-11-02T11:00:00+08:00"},
        {"type": "punch", "employee_id": "E1", "at": "2026-11-02T19:00:00+08:00"},
        {"type": "employee", "employee_id": "E2", "name": "Absent", "supervisor_id": "M1"},
    ]
    result = policy.check(late_and_long, DAY, DAY)
    assert sorted(rules_of(result)) == ["ATT-OVERTIME-UNAPPROVED"]
    workday = result.facts["workday"].filter(employee_id="E1").row(0, named=True)
    assert workday["required_minutes"] == 0
    assert workday["overtime_minutes"] == 60


def test_workdays_override(tmp_path: Path) -> None:
    policy = load_policy(write(tmp_path, "schedule: {workdays: [tue, wed, thu, fri, sat]}\n"))
    result = policy.check([LATE_7[0]], dt.date(2026, 11, 7), dt.date(2026, 11, 9))
    assert {(f.rule_id, f.date) for f in result} == {("ATT-ABSENT", dt.date(2026, 11, 7))}


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("timezone: Asia/Shanghai\nparms: {}\n", 2, "unknown key 'parms' (did you mean 'params'?)"),
        (
            "params:\n  late_grace_minute: 5\n",
            2,
            "unknown key 'late_grace_minute' in params (did you mean 'late_grace_minutes'?)",
        ),
        ("params:\n  late_grace_minutes: -1\n", 2, "late_grace_minutes must be at least 0"),
        ("params:\n  late_grace_minutes: 5.5\n", 2, "must be a whole number"),
        ("params:\n  late_grace_minutes: 241\n", 2, "must be at most 240"),
        (
            "params:\n  gift_limit: 1e3\n",
            2,
            "gift_limit must be a number, found '1e3' (YAML reads 1e3 as text: write 1000,",
        ),
        (
            'params:\n  late_grace_minutes: "5"\n',
            2,
            "found '5' (a number in quotes is text: write it without them)",
        ),
        # YAML 1.1 reads a leading zero as octal (010 is 8), or as no number at all (08), and
        # digits around a colon in base 60 (1:30 is 90): never the number the file shows
        (
            "params:\n  late_grace_minutes: 010\n",
            2,
            "2:23: YAML reads 010 as the octal number 8: write 10 without the leading zero",
        ),
        (
            "params:\n  late_grace_minutes: 08\n",
            2,
            "found '08' (YAML reads a whole number with a leading zero as text: write it without",
        ),
        (
            "params:\n  serious_late_minutes: 120\n  late_grace_minutes: 1:30\n",
            3,
            "params: late_grace_minutes: YAML reads 1:30 as 90, in base 60 (as it reads a time): "
            "write the number itself, 90 if that is meant",
        ),
        ("params:\n  gift_limit: 1:30.5\n", 2, "YAML reads 1:30.5 as 90.5, in base 60"),
        ("disable:\n  - ATT-LAT\n", 2, "unknown rule 'ATT-LAT' (did you mean 'ATT-LATE'?)"),
        (
            "disable:\n  - ATT-LATE\n  - ATT-EARLY\n  - ATT-LATE\n",
            4,
            "disable: ATT-LATE is listed twice (first at line 2)",
        ),
        ("schedule:\n  workdays: [mon, tue,\n    mon]\n", 3, "workdays lists mon twice"),
        ('schedule: {start: "09:00:00.5"}\n', 1, 'start must be a time in quotes like "09:00"'),
        ('schedule: {end: "18:00+08:00"}\n', 1, 'end must be a time in quotes like "09:00"'),
        (
            "calendar:\n  supplied_years: [2027, 27]\n",
            2,
            "supplied_years must be a list of years like 2027 (1900 to 2200), found [2027, 27]",
        ),
        ("calendar:\n  supplied_years: [true]\n", 2, "found [True]"),
        ("timezone: Asia/Shang\n", 1, "unknown timezone 'Asia/Shang'"),
        ("timezone: [Asia/Shanghai]\n", 1, "unknown timezone ['Asia/Shanghai']"),
        ("timezone: 8\n", 1, "unknown timezone 8 (expected an IANA name"),
        ("schedule:\n  start: 9:00\n", 2, 'must be a time in quotes like "09:00"'),
        ('schedule: {start: "19:00"}\n', 1, "must be before its end"),
        ('schedule:\n  breaks: [["11:00", "19:00"]]\n', 2, "must lie inside the working hours"),
        ("calendar:\n  holidays: [tomorrow]\n", 2, "list of dates"),
        (
            "calendar: {holidays: [2026-11-02], working_days: [2026-11-02]}\n",
            1,
            "both as a holiday and as a working day",
        ),
        ("calendar: {country: XX}\n", 1, "unknown calendar country 'XX'"),
        ("- just a list\n", 1, "must be a mapping"),
        ("params: {a: !!python/object/apply:os.system [ls]}\n", 1, "tags are not allowed"),
        (
            "params: &x {late_grace_minutes: 1}\nschedule: *x\n",
            1,
            "policy.yaml:1:9: anchors and aliases are not allowed",
        ),
        ("params: &x {late_grace_minutes: 1}\n", 1, "1:9: anchors and aliases are not allowed"),
    ],
)
def test_policy_errors_name_file_and_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    assert caught.value.path == str(path)
    assert caught.value.line == line
    assert message in str(caught.value)
    assert str(caught.value).startswith(f"{path}:{line}")


BRK = """\
# company policy
timezone: Asia/Shanghai
schedule:
  start: "09:00"
  end: "18:00"
  workdays: [mon, tue, wed, thu, fri]
  breaks:
    - ["12:00", "13:00"]
    - ["18:30", "19:00"]
"""


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        # a break outside the working hours, at the break's own line
        (
            BRK,
            9,
            "break 18:30–19:00 must lie inside the working hours 09:00–18:00",
        ),
        (BRK.replace('"18:30", "19:00"', '"14:00", "13:30"'), 9, "and end after it starts"),
        # overlapping breaks, at the one listed second, naming the other's line
        (
            'schedule:\n  breaks:\n    - ["12:00", "13:00"]\n    - ["12:30", "14:00"]\n',
            4,
            "breaks must not overlap: 12:30–14:00 overlaps 12:00–13:00 (line 3)",
        ),
        (
            'schedule:\n  breaks:\n    - ["15:00", "16:00"]\n    - ["10:00", "10:15"]\n'
            '    - ["15:30", "15:45"]\n',
            5,
            "breaks must not overlap: 15:30–15:45 overlaps 15:00–16:00 (line 3)",
        ),
        # a bad item of a break, at its line, not at the line of breaks:
        (
            'schedule:\n  start: "09:00"\n  end: "18:00"\n  breaks:\n'
            '    - ["10:00", "10:15"]\n    - ["12:00", "13:00"]\n    - ["17:00", 1900]\n',
            7,
            'must be a time in quotes like "09:00", found 1900',
        ),
        (
            'schedule:\n  breaks:\n    - - "12:00"\n      - 13:00\n',
            4,
            'must be a time in quotes like "09:00", found 780',
        ),
        (
            'schedule:\n  breaks:\n    - ["12:00", "13:00"]\n    - "15:00-15:30"\n',
            4,
            'breaks must be a list of ["start", "end"] pairs',
        ),
        # an end before the start, at the end's line; the default break, at the line of the
        # working hours it falls outside
        ('schedule:\n  start: "10:00"\n  end: "09:30"\n', 3, "must be before its end"),
        (
            'schedule:\n  workdays: [mon]\n  start: "12:30"\n',
            3,
            "break 12:00–13:00 must lie inside the working hours 12:30–18:00",
        ),
        # a day start later than 06:00, or after the start of work, at its own line; one that
        # is no time in quotes too (an unquoted 4:00 is 240 in YAML's base 60)
        (
            'schedule:\n  start: "09:00"\n  day_start: "06:30"\n',
            3,
            "day_start 06:30 must be from 00:00 to 06:00 (a punch before it counts on the day "
            "before)",
        ),
        (
            'schedule:\n  day_start: "05:00"\n  start: "04:30"\n  end: "13:00"\n  breaks: []\n',
            2,
            "day_start 05:00 must not be after the schedule start 04:30: an arrival at the "
            "start would count on the day before",
        ),
        ("schedule:\n  day_start: 4:00\n", 2, 'must be a time in quotes like "09:00", found 240'),
        # a workday or a date of the calendar that is wrong, at its own line
        ("schedule:\n  workdays:\n    - mon\n    - Tue\n", 4, "workdays must be a list of"),
        (
            "calendar:\n  holidays:\n    - 2026-12-31\n    - tomorrow\n",
            4,
            "calendar.holidays must be a list of dates",
        ),
        (
            "calendar:\n  supplied_years:\n    - 2027\n    - 3000\n",
            4,
            "calendar.supplied_years must be a list of years like 2027",
        ),
        ("calendar:\n  supplied_years: [2027]\n  country: XX\n", 3, "unknown calendar country"),
        # a date both a holiday and a working day, at its second listing, naming the first
        (
            "calendar:\n  country: CN\n  supplied_years: [2027]\n  holidays:\n"
            "    - 2027-01-01\n    - 2027-02-10\n  working_days:\n    - 2027-01-09\n"
            "    - 2027-02-10\n",
            9,
            "2027-02-10 is listed both as a holiday and as a working day (holidays, line 6)",
        ),
        (
            "calendar:\n  working_days: [2026-12-26,\n    2026-12-31]\n"
            "  holidays:\n    - 2026-12-31\n",
            5,
            "2026-12-31 is listed both as a holiday and as a working day (working_days, line 3)",
        ),
    ],
)
def test_schedule_and_calendar_errors_name_the_line_of_the_item(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    assert str(caught.value).startswith(f"{path}:{line}: ")
    assert message in caught.value.message


def test_company_rule_files_load_and_cannot_escape(tmp_path: Path) -> None:
    (tmp_path / "company.yaml").write_text(
        "ruleset: company\ntitle: {zh: 公司规则, en: Company rules}\nfacts: workday\n"
        "params:\n  early_bird_minutes:\n"
        "    {type: int, default: 20, min: 0, doc: {zh: 早到, en: early}}\n"
        "rules:\n  - id: CO-VERY-LATE\n    title: {zh: 很晚, en: Very late}\n"
        "    clauses: ['4.3']\n    severity: info\n    when: minutes_late >= 5\n"
        "    evidence: [minutes_late]\n"
        "    message: {zh: '晚 {minutes_late}', en: 'late {minutes_late}'}\n",
        encoding="utf-8",
    )
    policy = load_policy(write(tmp_path, "rule_files: [company.yaml]\n"))
    assert sorted(rules_of(policy.check(LATE_7, DAY, DAY))) == ["ATT-LATE", "CO-VERY-LATE"]
    assert policy.params["early_bird_minutes"] == 20
    outside = tmp_path / "inner"
    outside.mkdir()
    with pytest.raises(PolicyError, match="outside the policy's folder"):
        load_policy(write(outside, "rule_files: [../company.yaml]\n"))
    listing = write(tmp_path, "timezone: Asia/Shanghai\nrule_files: [missing.yaml]\n", "p3.yaml")
    with pytest.raises(PolicyError) as caught:
        load_policy(listing)
    assert (caught.value.path, caught.value.line) == (str(listing), 2)
    assert caught.value.message == (
        f"rule file 'missing.yaml' does not exist ({tmp_path.resolve() / 'missing.yaml'})"
    )
    with pytest.raises(PolicyError, match="rule file 'inner' is a folder"):
        load_policy(write(tmp_path, "rule_files: [inner]\n", "p4.yaml"))


def test_with_params_checks_names_and_ranges() -> None:
    policy = load_policy()
    assert policy.with_params(late_grace_minutes=10).params["late_grace_minutes"] == 10
    assert policy.params["late_grace_minutes"] == 0  # the original is unchanged
    with pytest.raises(InvalidArgument, match="did you mean 'late_grace_minutes'"):
        policy.with_params(late_grace=10)
    with pytest.raises(InvalidArgument, match="at most 240"):
        policy.with_params(late_grace_minutes=1000)


def test_with_params_says_where_a_schedule_setting_is_given() -> None:
    """A day start is a setting of the schedule: with_params names where to give it, and
    the way it says works."""
    policy = load_policy()
    with pytest.raises(InvalidArgument) as caught:
        policy.with_params(day_start="04:00")
    message = str(caught.value)
    assert message.startswith("'day_start' is a setting of the schedule, not a rule parameter")
    assert "dataclasses.replace(policy.schedule, day_start=...)" in message
    night = dataclasses.replace(
        policy, schedule=dataclasses.replace(policy.schedule, day_start=dt.time(4))
    )
    assert night.schedule.day_start == dt.time(4)
    assert night.params == policy.params
    # Monday 2 November, in at 09:00 and out at 00:30 the next night: a departure of Monday's
    # with the day start, a punch of Tuesday's (Monday without one) at midnight
    punches = [
        {"type": "punch", "employee_id": "E1", "at": at, "direction": way}
        for at, way in (("2026-11-02T09:00:00+08:00", "in"), ("2026-11-03T00:30:00+08:00", "out"))
    ]
    monday = dt.date(2026, 11, 2)

    def missing(p: Any) -> list[dt.date | None]:
        found = p.check(punches, start=monday, end=monday).findings
        return [f.date for f in found if f.rule_id == "ATT-MISSING-PUNCH"]

    assert missing(policy) == [monday]
    assert missing(night) == []


def test_with_params_of_a_policy_file_blames_the_call_not_the_file(tmp_path: Path) -> None:
    """Values given to with_params that break together are the call's error (InvalidArgument,
    no line): the policy file loaded, and its lines did not set them."""
    path = tmp_path / "policy.yaml"
    path.write_text("timezone: Asia/Shanghai\nparams:\n  early_grace_minutes: 15\n", "utf-8")
    policy = load_policy(path)
    with pytest.raises(InvalidArgument) as caught:
        policy.with_params(late_grace_minutes=45)
    assert str(caught.value).startswith("late_grace_minutes (45) is above serious_late_minutes")
    assert str(path) not in str(caught.value)
    with pytest.raises(InvalidArgument, match=r"^params kpi_weight_sales: .*weights"):
        policy.with_params(kpi_weight_sales=0.9)


def test_a_policys_params_are_read_only() -> None:
    """A value set in place would reach the facts but not the conditions compiled with the
    old one: the mapping refuses it, and with_params makes the changed policy."""
    policy = load_policy()
    with pytest.raises(TypeError):
        policy.params["late_grace_minutes"] = 30  # type: ignore[index]
    assert policy.params["late_grace_minutes"] == 0


def test_two_policies_side_by_side() -> None:
    strict, lenient = load_policy(), load_policy().with_params(late_grace_minutes=10)
    assert rules_of(strict.check(LATE_7, DAY, DAY)) == ["ATT-LATE"]
    assert rules_of(lenient.check(LATE_7, DAY, DAY)) == []
    assert rules_of(strict.check(LATE_7, DAY, DAY)) == ["ATT-LATE"]


def test_bad_check_arguments() -> None:
    policy = load_policy()
    with pytest.raises(InvalidArgument, match="before start"):
        policy.check(LATE_7, dt.date(2026, 11, 3), dt.date(2026, 11, 2))
    with pytest.raises(InvalidArgument, match="unknown rule set 'atendance'"):
        policy.check(LATE_7, rulesets=["atendance"])
    assert policy.check(LATE_7, rulesets="attendance").frame.equals(policy.check(LATE_7).frame)
    only = policy.check(LATE_7, DAY, DAY, rulesets=(name for name in ["attendance"]))
    assert rules_of(only) == ["ATT-LATE"]  # a generator of names, read once
    with pytest.raises(InvalidArgument, match=r"a policy file is a path .* not int"):
        load_policy(42)  # type: ignore[arg-type]
    for records, kind in ((None, "NoneType"), (42, "int"), (b"E1,2026-11-02", "bytes")):
        with pytest.raises(InvalidArgument, match=rf"records must be .* got {kind}$"):
            policy.check(records)
    with pytest.raises(InvalidArgument, match=r"start must be a local date .* str '2026-11-01'"):
        policy.check(LATE_7, "2026-11-01")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgument, match=r"end must be a local date .* not datetime"):
        policy.check(LATE_7, dt.date(2026, 11, 1), dt.datetime(2026, 11, 2, 9))
    with pytest.raises(InvalidArgument, match="record_type is a record type's name, not int"):
        policy.check(LATE_7, record_type=5)  # type: ignore[arg-type]
    for rulesets in (5, [5], ["attendance", None]):
        with pytest.raises(InvalidArgument, match="rulesets is a rule set's name or a list"):
            policy.check(LATE_7, rulesets=rulesets)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgument, match="a rule id is text, not int"):
        policy.rule(5)  # type: ignore[arg-type]


def test_a_policy_changed_in_python_refuses_what_a_policy_file_refuses_as_its_own_errors() -> None:
    """``dataclasses.replace(policy, schedule=dataclasses.replace(policy.schedule, start=...))``
    (what ``with_params`` tells to do for a schedule setting), or a timezone or calendar
    replaced so, fails when made, with the policy file's reason, as a SalesPolicyError
    (InvalidArgument; a schedule's and a calendar's also a ValueError, as they were): an
    unknown timezone had raised polars' ComputeError from the check, a start given as text
    a bare TypeError, a start after the end a ValueError of no sales_policy class."""
    from sales_policy import SalesPolicyError

    policy = load_policy()
    schedule, calendar = policy.schedule, policy.calendar
    cases: list[tuple[Any, str]] = [  # a policy's own, then the schedule's and calendar's
        (lambda: dataclasses.replace(policy, timezone="Asia/Shanghia"), "unknown timezone"),
        (lambda: dataclasses.replace(policy, schedule="09:00-18:00"), "is a sales_policy.Schedule"),
        (
            lambda: dataclasses.replace(schedule, start=dt.time(19)),
            "schedule start 19:00 must be before its end 18:00",
        ),
        (
            lambda: dataclasses.replace(schedule, start="08:30"),
            "schedule start must be a local time (datetime.time without a timezone), not '08:30'",
        ),
        (
            lambda: dataclasses.replace(schedule, breaks=((dt.time(12),),)),
            "break 1 must be a (start, end) pair of times",
        ),
        (lambda: dataclasses.replace(schedule, breaks=None), "schedule breaks must be (start,"),
        (
            lambda: dataclasses.replace(schedule, workdays={"sat"}),
            "schedule workdays must be a set of weekdays (0 = Monday to 6), not {'sat'}",
        ),
        (lambda: dataclasses.replace(schedule, workdays=None), "schedule workdays must be a set"),
        (lambda: dataclasses.replace(calendar, country="XX"), "unknown calendar country 'XX'"),
        (lambda: dataclasses.replace(calendar, country=["CN"]), "calendar country must be a code"),
    ]
    for index, (make, says) in enumerate(cases):
        with pytest.raises(InvalidArgument, match=re.escape(says)) as caught:
            make()
        assert isinstance(caught.value, SalesPolicyError)
        assert isinstance(caught.value, ValueError) == (index >= 2)
    later = dataclasses.replace(policy, schedule=dataclasses.replace(schedule, start=dt.time(10)))
    assert [f.rule_id for f in later.check(LATE_7, DAY, DAY)] == []  # 09:07 is before 10:00


def test_working_weekdays_changed_in_python_are_the_schedules_and_the_calendars() -> None:
    """A policy file's ``schedule.workdays`` are its calendar's weekdays too (docs/policy.md:
    a date is a workday on a weekday of schedule.workdays).  In Python, a schedule changed
    alone had changed nothing: Saturday 7 November stayed a rest day.  Now a policy whose two
    differ is an InvalidArgument that says to give both, and with both Saturday is a working
    day (E1, an employee of no punch, absent); so is a policy file's.  A calendar's dates
    given as text (no date equals them: a holiday so was none) are an error too."""
    policy = load_policy()
    six = frozenset(range(6))
    with pytest.raises(InvalidArgument, match=r"weekdays \(\[0, 1, 2, 3, 4\]\) are not the sche"):
        dataclasses.replace(policy, schedule=dataclasses.replace(policy.schedule, workdays=six))
    with pytest.raises(InvalidArgument, match="'workdays' is a setting of the schedule and the"):
        policy.with_params(workdays=six)
    both = dataclasses.replace(
        policy,
        schedule=dataclasses.replace(policy.schedule, workdays=six),
        calendar=dataclasses.replace(policy.calendar, weekdays=six),
    )
    saturday = dt.date(2026, 11, 7)
    employee = [{"type": "employee", "employee_id": "E1", "name": "Wang"}]
    assert [(f.rule_id, f.date) for f in both.check(employee, saturday, saturday)] == [
        ("ATT-ABSENT", saturday)
    ]
    assert policy.check(employee, saturday, saturday).findings == []
    for name, value in (("extra_holidays", {"2026-11-03"}), ("weekdays", {7})):
        with pytest.raises(InvalidArgument, match=f"calendar {name} must be a set of"):
            dataclasses.replace(policy.calendar, **{name: value})
    listed = dataclasses.replace(policy.calendar, extra_holidays=[dt.date(2026, 11, 3)])
    assert listed.extra_holidays == frozenset({dt.date(2026, 11, 3)})
    # the advice followed with a list, as a reader may give the days: a list is a set
    days = [0, 1, 2, 3, 4, 5]
    as_lists = dataclasses.replace(
        policy,
        schedule=dataclasses.replace(policy.schedule, workdays=days),
        calendar=dataclasses.replace(policy.calendar, weekdays=days),
    )
    assert as_lists.schedule.workdays == six == as_lists.calendar.weekdays


def test_the_findings_frame_names_the_rows_behind_each_finding(tmp_path: Path) -> None:
    """``result.frame`` gives each finding's sources as the objects do, ``file:line``, not
    as the packed integers the check keeps (which look like line numbers with one file)."""
    files = [write(tmp_path, "employee_id,name\nE1,Wang\n", "employees.csv")]
    files.append(
        write(
            tmp_path,
            "employee_id,at,direction\n"
            "E1,2026-11-02T09:07:00+08:00,in\nE1,2026-11-02T18:00:00+08:00,out\n",
            "punches.csv",
        )
    )
    result = load_policy().check(files, DAY, DAY)
    assert result.frame.get_column("sources").to_list() == [[f"{files[1]}:2"]]
    assert result.frame.get_column("sources").to_list() == [list(f.sources) for f in result]
    assert result.frame.columns == [
        "rule_id", "ruleset", "severity", "clauses", "employee_id", "date", "period",
        "evidence", "sources",
    ]  # fmt: skip
    by_rule = result.counts_by("rule_id")
    assert by_rule.to_dicts() == [{"rule_id": "ATT-LATE", "findings": 1}]
    with pytest.raises(InvalidArgument, match="counts_by needs one column or more"):
        result.counts_by()
    for rows in (None, {"rule_id": "ATT-LATE"}):
        with pytest.raises(InvalidArgument, match="findings_of takes rows of the result's frame"):
            result.findings_of(rows)  # type: ignore[arg-type]
    with pytest.raises(
        InvalidArgument, match=r"not counted by 'rule_idd' \(did you mean 'rule_id'"
    ):
        result.counts_by("rule_idd")


def test_findings_of_rows_of_the_frame_or_the_table_are_the_findings_of_those_rows(
    tmp_path: Path,
) -> None:
    """``findings_of`` makes objects of some findings: a filter of ``frame`` (its sources
    ``file:line`` already) had raised a bare TypeError (a text shifted as a packed
    reference); rows of neither form are an InvalidArgument that says what they lack."""
    files = [
        write(
            tmp_path,
            "employee_id,at,direction\n"
            "E1,2026-11-02T09:07:00+08:00,in\nE2,2026-11-02T09:30:00+08:00,in\n",
            "punches.csv",
        )
    ]
    result = load_policy().check(files, DAY, DAY)
    e2 = [f for f in result if f.employee_id == "E2"]
    assert {f.rule_id for f in e2} == {"ATT-LATE", "ATT-MISSING-PUNCH"}  # 30 min: not above 30
    assert {f.sources for f in e2} == {(f"{files[0]}:3",)}
    assert result.findings_of(result.frame.filter(pl.col("employee_id") == "E2")) == e2
    assert result.findings_of(result.table.filter(pl.col("employee_id") == "E2")) == e2
    with pytest.raises(InvalidArgument, match="these have no column rule_id, ruleset, "):
        result.findings_of(pl.DataFrame({"employee_id": ["E2"]}))
    with pytest.raises(InvalidArgument, match=r"these have rules \['ATT-LAT'\]$"):
        result.findings_of(result.frame.with_columns(rule_id=pl.lit("ATT-LAT")))


@pytest.mark.parametrize(
    ("naive", "note"),
    [
        (0, None),
        (1, "1 timestamp had no UTC offset and was read in the employee's timezone"),
        (2, "2 timestamps had no UTC offset and were read in the employee's timezone"),
    ],
)
def test_the_note_counts_the_timestamps_read_without_an_offset(
    naive: int, note: str | None
) -> None:
    punches = [
        {"type": "punch", "employee_id": "E1", "at": at}
        for at in ["2026-11-02T09:00:00", "2026-11-02T18:00:00"][:naive]
        + ["2026-11-03T09:00:00+08:00", "2026-11-03T18:00:00+08:00"][naive:]
    ]
    notes = load_policy().check(punches).notes
    said = [n for n in notes if "UTC offset" in n]
    assert said == (
        [] if note is None else [f"{note} (else the policy's, Asia/Shanghai): <records> ({naive})"]
    )


def test_the_note_on_timestamps_without_an_offset_names_the_files_most_first(
    tmp_path: Path,
) -> None:
    """An export of local times is told from one that lost its offsets by where they are."""
    punches = tmp_path / "punches.csv"
    punches.write_text(
        "employee_id,at\nE1,2026-11-02T09:00:00\nE1,2026-11-02T18:00:00+08:00\n"
        "E1,2026-11-03T18:00:00\n"
    )
    visits = tmp_path / "customer_visits.csv"
    visits.write_text(
        "employee_id,customer_id,start,end\nE1,C1,2026-11-03T09:00:00,2026-11-03T10:00:00+08:00\n"
    )
    notes = load_policy().check([visits, punches]).notes
    said = [n for n in notes if "UTC offset" in n]
    assert said == [
        "3 timestamps had no UTC offset and were read in the employee's timezone (else the "
        f"policy's, Asia/Shanghai): {punches} (2), {visits} (1)"
    ]
    said_zh = [n.zh for n in notes if "时区偏移" in n.zh]
    assert said_zh[0].endswith(f"：{punches} (2), {visits} (1)")


def test_the_notes_name_employee_ids_that_no_employee_record_names() -> None:
    """With employee records given, the ids of other records they lack are named, in id
    order for the attendance records' (the first five, then how many), and the Chinese note
    says the same; with no employee record at all, no id is named (all would be)."""
    punch = {"type": "punch", "at": "2026-11-02T09:00:00+08:00", "direction": "in"}
    people = [{"type": "employee", "employee_id": "S001", "name": "A"}]
    ids = ["S001", "'S001", '="000123"', "7", "6", "5", "4"]
    punches = [{**punch, "employee_id": i} for i in ids]
    said = [n for n in load_policy().check([*people, *punches[:3]]).notes if "no employee" in n]
    assert said == [
        "2 employee ids in the records have no employee record, and were judged as employed "
        'throughout the period: "\'S001", \'="000123"\'; where the employee records are '
        "complete, such an id was most likely changed by a spreadsheet (a leading ', "
        '="...", leading zeros dropped, a number written as 1017.0), or its employee row was '
        "rejected"
    ]
    assert said[0].zh.startswith("记录中有 2 个员工编号没有员工记录，已按整个期间在职判断：")
    notes = load_policy().check([*people, *punches]).notes
    [note] = [n for n in notes if "no employee" in n]
    # by code point: ' (0x27) before the digits (0x34-0x37) before = (0x3d)
    assert "period: \"'S001\", '4', '5', '6', '7' and 1 more;" in note
    assert "等 6 个" in note.zh
    assert not [n for n in load_policy().check(punches).notes if "no employee" in n]


def test_punches_of_one_file_repeated_in_another_are_named_in_a_note(tmp_path: Path) -> None:
    """Overlapping exports: the punches of the 2nd and 3rd lines of the first file are in
    the second file too, at its lines 3 and 4.  They are kept (a clock may number punches
    per device, so ids are not unique within one file), and a note says how many rows repeat
    an id of an earlier file, with the first of them and the row it repeats."""
    header = "record_id,employee_id,at\n"
    rows = [f"P{n},E1,2026-11-0{n}T09:00:00+08:00\n" for n in range(2, 6)]
    first, second = tmp_path / "punches-1.csv", tmp_path / "punches-2.csv"
    first.write_text(header + "".join(rows[:3]), encoding="utf-8")
    second.write_text(header + rows[3] + "".join(rows[1:3]), encoding="utf-8")
    result = load_policy().check([first, second])
    assert result.counts.accepted == 6  # kept, not rejected
    [note] = [n for n in result.notes if "record_id" in n]
    assert note.startswith(
        f"2 punch rows repeat the record_id of a row of an earlier file (the first: "
        f"{second}:3 repeats {first}:3): where the files overlap,"
    )
    zh = f"打卡（punch） 2 行的 record_id 与前面文件中的行相同（首个：{second}:3 与 {first}:3"
    assert note.zh.startswith(zh)
    # one file with an id twice (two clocks' numbering), or the files in turn: no note
    (tmp_path / "punches-3.csv").write_text(header + rows[0] + rows[0], encoding="utf-8")
    alone = load_policy().check([tmp_path / "punches-3.csv", second])
    assert not [n for n in alone.notes if "record_id" in n]


def test_every_input_accounts_for_its_own_rows(tmp_path: Path) -> None:
    """Each file given (an empty one too), then the records passed as objects: read ==
    accepted + rejected for each, the rows rejected where they are, and the sums the whole
    check's counts.  A file of no row is named in a note."""
    punches = tmp_path / "punches.csv"  # 3 rows, the 2nd rejected
    punches.write_text(
        "employee_id,at\nE1,2026-11-02T09:00:00+08:00\nE1,soon\n\nE1,2026-11-02T18:00:00+08:00\n",
        encoding="utf-8",
    )
    empty = tmp_path / "leave_requests.csv"  # its header alone
    empty.write_text("request_id,employee_id,leave_type,start,end,submitted_at,status\n", "utf-8")
    log = tmp_path / "visits.jsonl"  # 2 lines, the 1st no JSON (rejected as it is read)
    log.write_text(
        '{"type": "customer_visit", "employee_id": "E1", \n'
        '{"type": "customer_visit", "employee_id": "E1", "customer_id": "C1", '
        '"start": "2026-11-02T10:00:00+08:00", "end": "2026-11-02T11:00:00+08:00"}\n',
        encoding="utf-8",
    )
    records = [{"type": "employee", "employee_id": "E1", "name": "A"}]
    result = load_policy().check([log, punches, empty, *records])
    by_source = result.counts_by_source()
    assert by_source.rows() == [
        (str(log), 2, 1, 1),
        (str(punches), 3, 2, 1),
        (str(empty), 0, 0, 0),
        ("<records>", 1, 1, 0),
    ]
    assert by_source.get_column("read").sum() == result.counts.read == 6
    assert by_source.get_column("rejected").sum() == result.counts.rejected == 2
    assert [n for n in result.notes if "no row" in n] == [f"1 input holds no row: {empty}"]
    document = summary(result)
    assert document["counts"]["by_source"][1] == {
        "source": str(punches),
        "read": 3,
        "accepted": 2,
        "rejected": 1,
    }


def test_each_dataframe_accounts_for_its_own_rows() -> None:
    """DataFrames given one after another, the first of a row of an unknown type (rejected
    as read), the second of no row: each is named by its own place and counted apart, the
    empty one too, as files are; none takes another's name."""
    columns = ["type", "employee_id", "at"]
    unknown = pl.DataFrame([["punchh", "E1", "2026-11-02T09:00:00+08:00"]], columns, orient="row")
    empty = pl.DataFrame(schema=dict.fromkeys(columns, pl.String))
    punches = pl.DataFrame(
        [["punch", "E1", "2026-11-02T09:00:00+08:00"], ["punch", "E1", "soon"]],
        columns,
        orient="row",
    )
    result = load_policy().check(
        [unknown, empty, punches], start=dt.date(2026, 11, 2), end=dt.date(2026, 11, 2)
    )
    assert result.counts_by_source().rows() == [
        ("<dataframe 0>", 1, 0, 1),
        ("<dataframe 1>", 0, 0, 0),
        ("<dataframe 2>", 2, 1, 1),
    ]
    assert [n for n in result.notes if "no row" in n] == ["1 input holds no row: <dataframe 1>"]
    # the same DataFrame again, as a file given twice, would count every row twice
    with pytest.raises(InputError, match=r"^<dataframe 3>: the DataFrame given as <dataframe 2> "):
        load_policy().check([unknown, empty, punches, punches])


def test_a_lazy_frame_is_read_as_the_data_frame_it_collects_to() -> None:
    """A LazyFrame (a scan, a query) is read as its rows, alone or in a list, and given twice
    is refused as a DataFrame given twice; not taken for one record and rejected whole."""
    frame = pl.DataFrame({"employee_id": ["E1", "E1"], "at": ["2026-11-02T09:07:00+08:00", "soon"]})
    policy = load_policy()
    eager = policy.check(frame, DAY, DAY, record_type="punch")
    for records in (frame.lazy(), [frame.lazy()]):
        result = policy.check(records, DAY, DAY, record_type="punch")
        assert result.counts_by_source().rows() == [("<dataframe 0>", 2, 1, 1)]
        assert result.frame.equals(eager.frame)
        assert result.rejects.equals(eager.rejects)
    lazy = frame.lazy()
    with pytest.raises(InputError, match=r"^<dataframe 1>: the DataFrame given as <dataframe 0> "):
        policy.check([lazy, lazy], record_type="punch")
    broken = frame.lazy().select(pl.col("employe_id"))
    with pytest.raises(InputError, match=r"^input 1: the LazyFrame could not be collected: .*"):
        policy.check([frame, broken], record_type="punch")


class DataFrame:
    """What a pandas DataFrame is to a check (pandas is not installed for the tests): an
    object of a ``pandas.`` module that iterates over its column names."""

    __module__ = "pandas.core.frame"

    def __iter__(self) -> Any:
        return iter(["employee_id", "at"])


def test_a_table_that_is_no_input_is_refused_saying_what_to_give() -> None:
    """A pandas DataFrame (which iterates over its column names) or a Series (over its
    values) is refused, alone or in a list: not read as file names, nor rejected as a row."""
    series = pl.Series("at", ["2026-11-02T09:07:00+08:00"])
    policy = load_policy()
    for records in (DataFrame(), [LATE_7[0], DataFrame()]):
        with pytest.raises(
            InvalidArgument, match=r"^input \d is a pandas DataFrame: .* polars.from_pandas"
        ):
            policy.check(records, DAY, DAY, record_type="punch")
    for records in (series, [series]):
        with pytest.raises(
            InvalidArgument, match=r"^input 0 is a polars Series: .*give a DataFrame"
        ):
            policy.check(records, DAY, DAY, record_type="punch")


def test_a_file_is_counted_under_the_name_its_rows_carry(tmp_path: Path) -> None:
    """A file given as ``dir//name`` is named ``dir/name`` in rejects and findings: an empty
    one is listed so too."""
    (tmp_path / "visits.jsonl").write_text("", encoding="utf-8")
    punches = tmp_path / "punches.csv"
    punches.write_text("employee_id,at\nE1,soon\n", encoding="utf-8")
    result = load_policy().check(
        [f"{tmp_path}//punches.csv", f"{tmp_path}//visits.jsonl"],
        start=dt.date(2026, 11, 2),
        end=dt.date(2026, 11, 2),
    )
    assert result.rejects.get_column("source").to_list() == [str(punches)]
    assert result.counts_by_source().get_column("source").to_list() == [
        str(punches),
        str(tmp_path / "visits.jsonl"),
    ]


def test_a_missing_handbook_rule_file_is_an_error_not_a_smaller_policy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An installation that lost one of the handbook's rule files must not judge with the
    others alone: loading the policy says which file is missing."""
    from sales_policy import policy as policy_module

    shipped = policy_module.default_rule_dir()
    for kept in ("attendance.yaml", "discipline.yaml"):
        (tmp_path / kept).write_text((shipped / kept).read_text(encoding="utf-8"), "utf-8")
    monkeypatch.setattr(policy_module, "default_rule_dir", lambda: tmp_path)
    with pytest.raises(PolicyError, match="rule file is missing") as caught:
        load_policy()
    assert caught.value.path == str(tmp_path / "integrity.yaml")


def test_a_check_prints_nothing_of_its_own(capfd: pytest.CaptureFixture[str]) -> None:
    """A library keeps the caller's standard error clean: no warning from polars when
    employees' timezones are looked up (once, an ambiguous ``is_in`` printed a deprecation)."""
    records = [
        {"type": "employee", "employee_id": "E1", "name": "Wang", "timezone": "Asia/Singapore"},
        {"type": "employee", "employee_id": "E2", "name": "Li", "timezone": "Mars/Base"},
        {"type": "employee", "employee_id": "E3", "name": "Zhao", "timezone": "localtime"},
        *LATE_7,
    ]
    result = load_policy().check(records, DAY, DAY)
    assert result.rejects.get_column("value").to_list() == ["Mars/Base", "localtime"]
    assert capfd.readouterr().err == ""


def test_a_start_alone_after_the_records_or_an_end_alone_before_them_is_an_error() -> None:
    """The other end of the period comes from the records (first or last date with a punch
    or a visit); one that would fall on the wrong side is said, not an empty calendar."""
    policy = load_policy()
    with pytest.raises(InvalidArgument, match=r"starts on 2026-12-01, after 2026-11-02, the last"):
        policy.check(LATE_7, dt.date(2026, 12, 1))
    with pytest.raises(InvalidArgument, match=r"ends on 2026-10-31, before 2026-11-02, the first"):
        policy.check(LATE_7, end=dt.date(2026, 10, 31))
    assert rules_of(policy.check(LATE_7, DAY)) == ["ATT-LATE"]
    assert rules_of(policy.check(LATE_7, end=DAY)) == ["ATT-LATE"]


def test_a_record_type_whose_every_row_was_rejected_is_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every punch with its date in another format: the check goes on (an absence a day),
    which the result and the command say first, beside the rows rejected."""
    from sales_policy.cli import main

    employees = write(tmp_path, "employee_id,name\nE1,Wang\n", "employees.csv")
    punches = write(
        tmp_path,
        "employee_id,at,direction\nE1,02/11/2026 09:00:00+08:00,in\nE1,02/11/2026 18:00,out\n",
        "punches.csv",
    )
    result = load_policy().check([employees, punches], DAY, DAY)
    assert rules_of(result) == ["ATT-ABSENT"]
    assert result.all_rejected() == {"punch": 2}
    assert result.notes[0] == (
        "every row was rejected of: punch (2); the check went on without them "
        "(the rejected rows say why)"
    )
    assert result.notes[0].zh.startswith("以下记录全部被拒：打卡（punch） 2 行")
    assert result.notes[1] == (
        "attendance was judged with no punch or customer visit in the input: every scheduled "
        "working day without leave is an absence (ATT-ABSENT); give the attendance log, or "
        "leave attendance out (rulesets=)"  # Python's argument: the command says --ruleset
    )
    kept = load_policy().check([employees, punches, *[LATE_7[0]]], DAY, DAY)
    assert kept.all_rejected() == {} and not any("every row" in n for n in kept.notes)
    assert not any("no punch or customer visit" in n for n in kept.notes)
    assert main(["check", str(employees), str(punches), "--period", "2026-11"]) == 0
    assert "note     every row was rejected of: punch (2)" in capsys.readouterr().out
    main(["check", str(employees), str(punches), "--period", "2026-11", "--format", "jsonl"])
    err = capsys.readouterr().err
    assert "every row was rejected of: punch (2); the check went on without them" in err


def test_no_attendance_log_is_said_only_where_attendance_is_judged() -> None:
    """An employee record and no punch: the note that attendance was judged without its log
    holds when the days are judged (every rule set), and not when attendance is left out, as
    the note itself advises (docs/attendance.md): then the discipline rules that count its
    findings have nothing to count, and are not judged, not judged from nothing."""
    records = [{"type": "employee", "employee_id": "E1", "name": "Wang"}]
    policy = load_policy()

    def said(rulesets: list[str] | None) -> bool:
        notes = policy.check(records, DAY, DAY, rulesets=rulesets).notes
        return any("no punch or customer visit" in note for note in notes)

    assert said(None) and not said(["discipline"])
    assert not said(["customer_care"]) and not said(["integrity", "assessment"])
    month = dt.date(2026, 11, 1), dt.date(2026, 11, 30)
    whole = policy.check(records, *month)
    assert {f.rule_id for f in whole} == {"ATT-ABSENT", "DIS-REPEATED-ABSENCE"}
    alone = policy.check(records, *month, rulesets=["discipline"])
    assert list(alone) == []
    assert (
        "not judged, no records they read: discipline (DIS-MOONLIGHT, DIS-IMAGE, "
        "DIS-REPEATED-LATE, DIS-REPEATED-ABSENCE)"
    ) in alone.notes
    punched = policy.check([*records, *LATE_7], *month, rulesets=["discipline"])
    assert {f.rule_id for f in punched} == {"DIS-REPEATED-ABSENCE"}  # the other days absent


def test_months_of_the_period_without_any_punch_or_visit_are_named(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The example month's log checked for December, or from 20 October to 2 December:
    every working day of the months without a punch or visit of anyone is an absence, which
    a note says, naming those months (on stderr for a report without notes); the month the
    log covers gets no such note."""
    from conftest import EXAMPLE_MONTH

    from sales_policy.cli import main

    inputs = sorted(EXAMPLE_MONTH.glob("*.csv"))
    policy = load_policy()
    december = policy.check(inputs, dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    assert december.notes[0] == (
        "no punch or customer visit in 2026-12, a month of the period: every scheduled "
        "working day of it without leave is an absence (ATT-ABSENT); give the attendance log "
        "of that month, or check a period the log covers"
    )
    assert december.notes[0].zh.startswith("期间内 2026-12 没有任何打卡或客户拜访记录")
    around = policy.check(inputs, dt.date(2026, 10, 20), dt.date(2026, 12, 2))
    assert around.notes[0].startswith("no punch or customer visit in 2026-10, 2026-12, months ")
    november = policy.check(inputs, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert not any("no punch or customer visit in" in note for note in november.notes)
    assert main(["check", *map(str, inputs), "--period", "2026-12", "--format", "jsonl"]) == 0
    # and the November log, read and judged by no rule (tests/test_outside_period.py)
    (outside,) = [note for note in december.notes if note.kind == "outside_period"]
    assert (
        capsys.readouterr().err == f"sales-policy: {december.notes[0]}\nsales-policy: {outside}\n"
    )


def test_months_of_visits_without_any_punch_are_named_where_other_months_have_punches(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A year's clock export with one month's missing (or empty) beside that month's
    customer visits: the visits alone are read as presence, so every working day without
    one is an absence; a note names the month, as it does a month with neither (on stderr
    for a report without notes). An input of visits alone, or with punches in every month,
    gets no such note."""
    from sales_policy.cli import main

    punches = [
        {"type": "punch", "employee_id": "E1", "at": f"2026-11-02T{at}+08:00", "direction": way}
        for at, way in (("09:00:00", "in"), ("18:00:00", "out"))
    ]
    visit = {
        "type": "customer_visit",
        "employee_id": "E1",
        "customer_id": "C1",
        "start": "2026-12-01T09:00:00+08:00",
        "end": "2026-12-01T18:00:00+08:00",
    }
    policy = load_policy()
    november, december = (dt.date(2026, 11, 1), dt.date(2026, 12, 31))
    year = policy.check([*punches, visit], november, december)
    [note] = [note for note in year.notes if note.startswith("no punch in ")]
    assert note == (
        "no punch in 2026-12, a month of the period with customer visits, where the input has "
        "punches of other months: only the visits were read as presence, so every scheduled "
        "working day of it without a visit or leave is an absence (ATT-ABSENT); give the "
        "punches of that month, or check a period they cover"
    )
    assert note.zh.startswith("期间内 2026-12 没有任何打卡记录（其他月份有）")
    absent = {f.date for f in year if f.rule_id == "ATT-ABSENT" and f.date is not None}
    assert dt.date(2026, 12, 2) in absent  # the reading the note explains
    visits_alone = policy.check([visit], november, december)
    assert not any(note.startswith("no punch in ") for note in visits_alone.notes)
    december_punch = {**punches[0], "at": "2026-12-02T09:00:00+08:00"}
    both = policy.check([*punches, december_punch, visit], november, december)
    assert not any(note.startswith("no punch in ") for note in both.notes)
    around = policy.check([*punches, visit], dt.date(2026, 10, 1), december)
    assert [note[:34] for note in around.notes if note.startswith("no punch")] == [
        "no punch or customer visit in 2026",  # October, which has neither: its own note
        "no punch in 2026-12, a month of th",
    ]
    jsonl = tmp_path / "records.jsonl"
    jsonl.write_text("".join(json.dumps(row) + "\n" for row in [*punches, visit]))
    args = ["check", str(jsonl), "--from", "2026-11-01", "--to", "2026-12-31", "--format", "csv"]
    assert main(args) == 0
    assert capsys.readouterr().err == f"sales-policy: {note}\n"


def test_a_period_taken_from_the_records_says_an_edge_date_few_were_present_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Four employees punch in and out on Monday 2 to Friday 6 November; one punch of E1 on
    the Friday before, 23:50, and one of E2 on the Monday after set the period taken from
    the records, and the three others were judged absent on both days: a note names the
    dates and what to do.  No note for a period given, for an edge most were present on, for
    half of them present, for an edge as full as the period's usual day (customer visits
    alone, a few a day), or where attendance is not judged."""
    week = [
        {"type": "punch", "employee_id": e, "at": f"2026-11-0{d}T{t}+08:00", "direction": way}
        for e in ("E1", "E2", "E3", "E4")
        for d in range(2, 7)
        for t, way in (("08:55:00", "in"), ("18:05:00", "out"))
    ]
    before = {"type": "punch", "employee_id": "E1", "at": "2026-10-30T23:50:00+08:00"}
    after = {"type": "punch", "employee_id": "E2", "at": "2026-11-09T08:50:00+08:00"}
    policy = load_policy()
    result = policy.check([*week, before, after])
    absent = {(f.employee_id, f.date) for f in result if f.rule_id == "ATT-ABSENT"}
    assert absent == {
        *((e, dt.date(2026, 10, 30)) for e in ("E2", "E3", "E4")),
        *((e, dt.date(2026, 11, 9)) for e in ("E1", "E3", "E4")),
    }
    [edge] = [note for note in result.notes if note.kind == "period_edge"]
    assert edge == (
        "the period was taken from the records' dates (2026-10-30 to 2026-11-09): on "
        "2026-10-30, its first date, 1 of the 4 employees scheduled has a punch or a visit; "
        "on 2026-11-09, its last date, 1 of the 4 employees scheduled has a punch or a visit; "
        "those without one were judged absent there unless on leave. If those dates were not "
        "meant to be checked, give the period (start and end)"  # the command's: --period...
    )
    assert edge.zh == (
        "检查期间取自记录的日期（2026-10-30 至 2026-11-09）：首日 2026-10-30 排班的 4 名员工中"
        "只有 1 名有打卡或拜访；末日 2026-11-09 排班的 4 名员工中只有 1 名有打卡或拜访；"
        "没有打卡或拜访的员工在这两天除请假外均被判为缺勤。如这两天不应检查，请指定期间（start 和 "
        "end）"
    )
    # the start given: its end, taken from the records, alone is looked at
    [edge] = [
        n
        for n in policy.check([*week, before, after], dt.date(2026, 10, 30)).notes
        if n.kind == "period_edge"
    ]
    assert edge.startswith(
        "the period's end was taken from the records' dates (2026-10-30 to 2026-11-09): on "
        "2026-11-09, its last date, 1 of the 4 employees scheduled has a punch or a visit; "
    )
    assert "If that date was not meant to be checked" in edge
    assert edge.zh.startswith("检查期间的结束日取自记录的日期")
    # an edge no one scheduled was present on: E9, hired on the 2nd, punched the day before
    hired = [{"type": "employee", "employee_id": e, "name": e} for e in ("E1", "E2", "E3", "E4")]
    late_hire = {"type": "employee", "employee_id": "E9", "name": "E9", "hired_on": "2026-11-02"}
    early = {**before, "employee_id": "E9"}
    [edge] = [
        n for n in policy.check([*hired, late_hire, *week, early]).notes if n.kind == "period_edge"
    ]
    assert "on 2026-10-30, its first date, none of the 4 employees scheduled has a" in edge
    assert "首日 2026-10-30 排班的 4 名员工无人有打卡或拜访" in edge.zh
    two = {**after, "employee_id": "E3"}
    visits = [
        {
            "type": "customer_visit",
            "employee_id": e,
            "customer_id": "C1",
            "start": f"2026-11-0{d}T10:00:00+08:00",
            "end": f"2026-11-0{d}T11:00:00+08:00",
        }
        for d in range(2, 7)
        for e in ("E1", "E2", "E3", "E4")
        if (d + int(e[1])) % 3 == 0  # one or two of the four a day
    ]
    for quiet in (
        policy.check([*week, before, after], dt.date(2026, 10, 30), dt.date(2026, 11, 9)),
        policy.check(week),  # every edge date a day all four were present
        policy.check([*week, after, two], dt.date(2026, 11, 2)),  # 2 of 4: half
        policy.check([*hired, *visits]),  # as few at the edges as on the days between
        policy.check([*week, before, after], rulesets=["integrity"]),  # no absence judged
    ):
        assert not [note for note in quiet.notes if note.kind == "period_edge"]
    # said on standard error by the formats of findings alone
    from sales_policy.cli import main

    path = tmp_path / "records.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in [*week, before]))
    assert main(["check", str(path), "--format", "jsonl", "-o", str(tmp_path / "out")]) == 0
    assert capsys.readouterr().err.startswith(
        "sales-policy: the period was taken from the records' dates (2026-10-30 to "
        "2026-11-06): on 2026-10-30, its first date, 1 of the 4 employees scheduled has a "
    )


def test_months_of_years_before_1000_are_written_with_four_digits(tmp_path: Path) -> None:
    """Under a calendar of every year (``country: null``), a period of the year 12: its
    month is 0012-03 in the notes and the month-grain facts, as polars writes it, not 12-03
    (``strftime("%Y")`` does not pad the year on Linux)."""
    path = tmp_path / "policy.yaml"
    path.write_text("calendar: {country: null}\n", encoding="utf-8")
    punch = {"type": "punch", "employee_id": "E1", "at": "0012-03-05T09:10:00+08:00"}
    result = load_policy(path).check([punch], dt.date(12, 3, 5), dt.date(12, 3, 31))
    [partial] = [note for note in result.notes if note.kind == "first_month"]
    assert "the monthly counts of 0012-03 (" in partial
    assert result.facts["employee_month"].get_column("period").to_list() == ["0012-03"]


def test_a_period_given_to_start_inside_a_month_says_its_counts_are_partial() -> None:
    """Five late arrivals on 26 to 30 October, checked from the 29th: October's count is of
    its last three days (two lates, under DIS-REPEATED-LATE's three), which no finding can
    show, so a note says it; from the first of the month, or unsaid, no such note."""
    lates = [
        {
            "type": "punch",
            "employee_id": "E1",
            "at": f"2026-10-{d}T09:10:00+08:00",
            "direction": "in",
        }
        for d in (26, 27, 28, 29, 30)
    ]
    policy = load_policy()
    cut = policy.check(lates, dt.date(2026, 10, 29), dt.date(2026, 11, 6))
    assert "DIS-REPEATED-LATE" not in {f.rule_id for f in cut}
    [partial] = [note for note in cut.notes if "after the first of its month" in note]
    assert cut.notes[0].startswith("no punch or customer visit in 2026-11")  # none in November
    assert partial == (
        "the period starts on 2026-10-29, after the first of its month: the monthly counts of "
        "2026-10 (ATT-OVERTIME-MONTH-LIMIT, DIS-REPEATED-LATE, DIS-REPEATED-ABSENCE) are of "
        "2026-10-29 to 2026-10-31 only; start the period on 2026-10-01 to count the whole month"
    )
    assert partial.zh.startswith("期间从 2026-10-29 开始，不是当月 1 日")
    inside = policy.check(lates, dt.date(2026, 10, 27), dt.date(2026, 10, 29))
    [partial] = [note for note in inside.notes if "after the first of its month" in note]
    assert "are of 2026-10-27 to 2026-10-29 only" in partial  # the period's end
    assert "只计 2026-10-27 至 2026-10-29" in partial.zh
    whole = policy.check(lates, dt.date(2026, 10, 1), dt.date(2026, 11, 6))
    assert "DIS-REPEATED-LATE" in {f.rule_id for f in whole}
    unsaid = policy.check(lates)  # from the first punch, the 26th: the data's own start
    for result in (
        whole,
        unsaid,
        policy.check(lates, dt.date(2026, 10, 29), rulesets=["integrity"]),
    ):
        assert not any("after the first of its month" in note for note in result.notes)


def test_a_rule_file_of_a_rule_set_already_loaded_is_named_at_its_line(tmp_path: Path) -> None:
    write(
        tmp_path,
        "ruleset: attendance\ntitle: {zh: 出勤, en: Attendance}\nfacts: workday\n"
        "rules:\n  - id: CO-LATE\n    title: {zh: 晚, en: Late}\n    clauses: ['4.3']\n"
        "    severity: info\n    when: minutes_late >= 5\n    evidence: [minutes_late]\n"
        "    message: {zh: '晚', en: 'late'}\n",
        "ours.yaml",
    )
    policy = write(tmp_path, "params: {late_grace_minutes: 5}\nrule_files:\n  - ours.yaml\n")
    with pytest.raises(PolicyError, match=r"policy\.yaml:3: rule file .*ours\.yaml: rule set "):
        load_policy(policy)
    with pytest.raises(
        PolicyError, match=r"'attendance' is already loaded from .*attendance\.yaml"
    ):
        load_policy(policy)


def test_a_year_typed_wrong_is_traced_to_its_row(tmp_path: Path) -> None:
    """2062 for 2026 stretches the period the records set past the calendar's years: the
    error names the row whose date set the period's end, not the first year beyond."""
    from sales_policy import CalendarError

    punches = write(
        tmp_path,
        "employee_id,at,direction\n"
        "E1,2026-11-02T09:00:00+08:00,in\nE1,2062-11-02T18:00:00+08:00,out\n",
        "punches.csv",
    )
    with pytest.raises(CalendarError) as caught:
        load_policy().check([punches])
    assert str(caught.value).endswith(
        "neither start nor end was given: its first date, 2026-11-02, is that of "
        f"{punches}:2; its last date, 2062-11-02, is that of {punches}:3"
    )
    with pytest.raises(CalendarError, match=r"no end was given: its last date, 2062-11-02, is"):
        load_policy().check([punches], DAY)


def test_a_policy_pickles_for_worker_processes(tmp_path: Path) -> None:
    """Sent to another process (multiprocessing pickles it), a policy judges as it did: its
    parameters, disabled rules and company rules travel, its conditions are compiled again."""
    import pickle

    policy = load_policy(
        write(tmp_path, "params: {late_grace_minutes: 3}\ndisable: [ATT-MISSING-PUNCH]\n")
    )
    copy = pickle.loads(pickle.dumps(policy))
    assert copy.params == policy.params and copy.disabled == policy.disabled
    late = [{**LATE_7[0], "at": "2026-11-02T09:02:00+08:00"}, *LATE_7]
    assert [f.to_dict() for f in copy.check(late, DAY, DAY)] == [
        f.to_dict() for f in policy.check(late, DAY, DAY)
    ]
    assert rules_of(copy.check(LATE_7[:1], DAY, DAY)) == ["ATT-LATE"]


def test_nothing_read_is_said_not_passed_over_as_all_clear(tmp_path: Path) -> None:
    for records in ([], write(tmp_path, "employee_id,at\n", "punches.csv")):
        result = load_policy().check(records)
        assert (result.counts.read, result.period, len(result)) == (0, None, 0)
        assert result.notes == ["no rows were read: nothing was judged"]
    assert not any("no rows were read" in note for note in load_policy().check(LATE_7).notes)


def test_a_rule_set_asked_for_alone_finds_what_it_finds_among_all(tmp_path: Path) -> None:
    """``rulesets=[...]`` (``--ruleset``) reports the rule sets asked for, as a whole check
    would: rules counting another rule set's findings (DIS-REPEATED-ABSENCE counts
    ATT-ABSENT) still count them, and the note names only rules that had no records."""
    month = sorted((Path(__file__).resolve().parents[1] / "examples/november-2026").glob("*.csv"))
    company = tmp_path / "company.yaml"  # two more working days: Saturdays nobody came in
    company.write_text("calendar: {working_days: [2026-11-21, 2026-11-28]}\n", encoding="utf-8")
    policy = load_policy(company)
    start, end = dt.date(2026, 11, 1), dt.date(2026, 11, 30)
    whole = policy.check(month, start, end)
    assert "DIS-REPEATED-ABSENCE" in rules_of(whole)
    for ruleset in ("attendance", "discipline"):
        alone = policy.check(month, start, end, rulesets=[ruleset])
        assert alone.frame.equals(whole.frame.filter(ruleset=ruleset))
        ids = {rule.rule_id for rule in policy.rules if rule.ruleset == ruleset}
        assert alone.pending == {r: n for r, n in whole.pending.items() if r in ids}
    notes = [n for n in alone.notes if n.startswith("not judged, no records")]
    assert notes == ["not judged, no records they read: discipline (DIS-MOONLIGHT, DIS-IMAGE)"]


def _company_file(name: str, when: str, declares: str = "") -> str:
    return (
        f"ruleset: {name}\ntitle: {{zh: 公司, en: Company}}\nfacts: workday\n{declares}"
        f"rules:\n  - id: CO-{name.upper()}\n    title: {{zh: 晚, en: Late}}\n"
        f"    clauses: ['4.3']\n    severity: info\n    when: {when}\n"
        "    evidence: [minutes_late]\n    message: {zh: '晚', en: 'late'}\n"
    )


def test_a_parameter_of_a_rule_file_listed_later_is_pointed_at(tmp_path: Path) -> None:
    """A rule file sees the parameters of the files before it: one that uses a parameter a
    later file declares is told which file, and to list that one first."""
    declares = (
        "params:\n  our_grace: {type: int, default: 5, min: 0, max: 60,"
        " doc: {zh: 宽限, en: grace}}\n"
    )
    write(tmp_path, _company_file("uses", "minutes_late > our_grace"), "uses.yaml")
    write(tmp_path, _company_file("declares", "minutes_late > 0", declares), "declares.yaml")
    wrong = write(tmp_path, "rule_files: [uses.yaml, declares.yaml]\n")
    with pytest.raises(RuleFileError) as raised:
        load_policy(wrong)
    assert raised.value.path == str(tmp_path / "uses.yaml") and raised.value.line == 9
    assert raised.value.message.endswith(
        f"unknown name 'our_grace' (our_grace is a parameter of {tmp_path / 'declares.yaml'}, "
        f"which rule_files lists after {tmp_path / 'uses.yaml'}: list declares.yaml first)"
    )
    right = write(tmp_path, "rule_files: [declares.yaml, uses.yaml]\n")
    assert load_policy(right).params["our_grace"] == 5
    alone = write(tmp_path, "rule_files: [uses.yaml]\n")
    with pytest.raises(RuleFileError) as raised:
        load_policy(alone)
    assert raised.value.message.endswith("unknown name 'our_grace'")


def test_a_file_holding_the_same_bytes_as_one_given_before_is_named(tmp_path: Path) -> None:
    """A download saved twice, ``punches (1).csv`` beside ``punches.csv``: its rows are read
    twice, so a note names it and the file it repeats; a file of the same size but other
    bytes, and two files of no row alike, are not named."""
    rows = "employee_id,at\nE1,2026-11-02T09:00:00+08:00\nE1,2026-11-02T18:00:00+08:00\n"
    first, copy = tmp_path / "punches.csv", tmp_path / "punches (1).csv"
    first.write_text(rows)
    copy.write_text(rows)
    other = tmp_path / "punches-2026-11.csv"
    other.write_text(rows.replace("E1", "E2"))
    assert other.stat().st_size == first.stat().st_size
    empty = "request_id,employee_id,start,end,submitted_at,status\n"
    empties = [tmp_path / folder / "overtime_requests.csv" for folder in ("a", "b")]
    for path in empties:
        path.parent.mkdir()
        path.write_text(empty)
    notes = load_policy().check([first, other, copy, *empties]).notes
    said = [n for n in notes if "same bytes" in n]
    assert said == [
        f"1 file holds the same bytes as a file given before: {copy} (as {first}); its rows "
        "were read twice, and counted and judged twice (an employee's merged into one, those "
        "with another id rejected as duplicates); give each export once"
    ]
    assert [n for n in load_policy().check([first, other]).notes if "same bytes" in n] == []
    # a staff list's copy: its employees merged into themselves, not rejected, as said
    staff = tmp_path / "employees.csv"
    staff.write_text("employee_id,name\nE1,A\n")
    again = tmp_path / "employees (1).csv"
    again.write_text(staff.read_text())
    result = load_policy().check([first, staff, again])
    assert result.rejects.is_empty() and result.counts.by_type["employee"] == 2
    (note,) = [n for n in result.notes if n.kind == "copies"]
    assert "an employee's merged into one" in note and "员工的行合并为一条" in note.zh


def test_each_note_names_its_kind_and_the_docs_table_every_kind() -> None:
    """A program acts on a note by its kind, not its text; docs/cli.md ("Notes") tables
    every kind the source gives a note, and no other."""
    root = Path(__file__).resolve().parents[1]
    made = set()
    for module in ("checknotes.py", "periodnotes.py", "inputnotes.py", "reportcontent.py"):
        source = (root / "src" / "sales_policy" / module).read_text(encoding="utf-8")
        assert source.count("Note(") == source.count("kind=")  # each note made has one
        made |= set(re.findall(r'kind="(\w+)"', source))
    page = (root / "docs" / "cli.md").read_text(encoding="utf-8")
    section = page.split("### Notes", 1)[1].split("\n### ", 1)[0]
    tabled = re.findall(r"^\| `(\w+)` \|", section, flags=re.MULTILINE)
    assert len(tabled) == len(set(tabled))
    assert set(tabled) == made


def test_a_checks_notes_have_kinds_in_python_and_in_json() -> None:
    punches = [
        {"type": "punch", "employee_id": "E1", "at": "2026-11-02T09:00:00"},
        {"type": "punch", "employee_id": "E1", "at": "2026-11-02T18:00:00+08:00"},
    ]
    november = dt.date(2026, 11, 1), dt.date(2026, 11, 30)  # whole: no month left open
    result = load_policy().check(punches, *november, rulesets=["attendance"])
    kinds = [note.kind for note in result.notes]
    assert kinds == ["naive_timestamps"]
    opened = load_policy().check(punches, november[0], dt.date(2026, 11, 2))
    assert [note.kind for note in opened.notes] == [
        "naive_timestamps",
        "not_judged",
        "not_judged_yet",
    ]
    document = summary(result)
    assert document["note_kinds"] == kinds
    assert document["notes"] == [str(result.notes[0])]
    restored = pickle.loads(pickle.dumps(result.notes[0]))
    assert (restored, restored.zh, restored.kind) == (
        result.notes[0],
        result.notes[0].zh,
        "naive_timestamps",
    )


def test_ids_of_one_number_with_other_leading_zeros_are_named() -> None:
    """A staff list saved from a spreadsheet that held ids as numbers (7) beside the clock's
    export (007): two employees, the one absent the days the other worked, which no other
    note tells, both having an employee record."""
    records = [
        {"type": "employee", "employee_id": "007", "name": "王伟"},
        {"type": "employee", "employee_id": 7, "name": "王伟"},
        {"type": "employee", "employee_id": "0070", "name": "李娜"},
        {"type": "employee", "employee_id": "S007", "name": "张敏"},
        {"type": "punch", "employee_id": "S7", "at": "2026-11-02T09:00:00+08:00"},
        {"type": "punch", "employee_id": "007", "at": "2026-11-02T09:00:00+08:00"},
        {"type": "punch", "employee_id": "00007", "at": "2026-11-02T18:00:00+08:00"},
    ]
    day = dt.date(2026, 11, 2)
    notes = load_policy().check(records, day, day, rulesets=["attendance"]).notes
    said = [note for note in notes if note.kind == "leading_zeros"]
    assert said == [
        "1 employee id is written with different numbers of leading zeros, and each spelling "
        "was judged as an employee apart: '00007' = '007' = '7'; a spreadsheet drops the "
        "leading zeros of an id it holds as a number: keep ids as text in every export"
    ]
    alone = [r for r in records if r["employee_id"] in ("007", "0070")]
    assert not any(n.kind == "leading_zeros" for n in load_policy().check(alone, day, day).notes)


def test_a_rule_set_does_not_see_the_parameters_of_those_loaded_after_it(
    tmp_path: Path,
) -> None:
    """A company parameter may share its name with a column of a fact table its own rules do
    not read: the rule sets loaded before it do not see it, and their conditions still read
    the column (``record_count``, CONF-BULK-EXPORT's)."""
    declares = (
        "params:\n  record_count: {type: int, default: 5, min: 0, max: 60,"
        " doc: {zh: 次数, en: times}}\n"
    )
    write(tmp_path, _company_file("first", "minutes_late > 0"), "first.yaml")
    later = _company_file("later", "minutes_early > record_count", declares)
    write(tmp_path, later.replace("minutes_late]", "minutes_early]"), "later.yaml")
    policy = load_policy(write(tmp_path, "rule_files: [first.yaml, later.yaml]\n"))
    assert policy.params["record_count"] == 5
    export = {
        "type": "data_access",
        "record_id": "A1",
        "employee_id": "E1",
        "at": "2026-11-06T16:00:00+08:00",
        "data_class": "customer",
        "action": "export",
        "record_count": 501,  # above bulk_export_limit, 500; the parameter's 5 is not read
        "approved": False,
    }
    day = dt.date(2026, 11, 6)
    found = policy.check([export], day, day, rulesets=["confidentiality"])
    assert rules_of(found) == ["CONF-BULK-EXPORT"]
    assert rules_of(policy.with_params(record_count=7).check([export], day, day)) == [
        "CONF-BULK-EXPORT"
    ]


def test_a_parameter_named_like_a_column_a_later_file_judges_is_named_with_its_rule_set(
    tmp_path: Path,
) -> None:
    """A later file's conditions see the parameter and the column alike: the error, at its
    rule, says which rule set declared the parameter."""
    declares = (
        "params:\n  minutes_late: {type: int, default: 600, min: 0, doc: {zh: 值, en: value}}\n"
    )
    gifts = _company_file("gifts", "value_cny > minutes_late", declares)
    write(
        tmp_path, gifts.replace("workday", "gift").replace("minutes_late]", "value_cny]"), "g.yaml"
    )
    write(tmp_path, _company_file("late", "minutes_late > 5"), "late.yaml")
    with pytest.raises(RuleFileError) as raised:
        load_policy(write(tmp_path, "rule_files: [g.yaml, late.yaml]\n"))
    assert (raised.value.path, raised.value.line) == (str(tmp_path / "late.yaml"), 5)
    assert raised.value.message == (
        "parameter 'minutes_late' (of rule set gifts, loaded before this file) has the name of "
        "a fact column of workday, which rule CO-LATE judges; rename the parameter"
    )


def _leave(request_id: str, leave_type: str) -> dict[str, str]:
    """A leave of a day approved a second after it began: ATT-LEAVE-NOT-IN-ADVANCE, unless
    its type may be approved after the fact."""
    return {
        "type": "leave_request",
        "request_id": request_id,
        "employee_id": "E1",
        "leave_type": leave_type,
        "start": "2026-11-02T09:00:00+08:00",
        "end": "2026-11-02T18:00:00+08:00",
        "submitted_at": "2026-11-01T20:00:00+08:00",
        "status": "approved",
        "decided_at": "2026-11-02T09:00:01+08:00",
    }


def test_a_listed_value_no_row_has_but_one_close_to_it_is_said_in_a_note(tmp_path: Path) -> None:
    """``retroactive_leave_types: [sik]`` exempts nothing: the sick leave is still found.  A
    value that no leave row has while one close to it is there is most likely mistyped."""
    day = dt.date(2026, 11, 2)
    records = [_leave("L1", "sick")]
    typo = load_policy(write(tmp_path, "params: {retroactive_leave_types: [sik, bereavement]}\n"))
    result = typo.check(records, day, day, rulesets=["attendance"])
    assert rules_of(result) == ["ATT-LEAVE-NOT-IN-ADVANCE"]
    notes = [n for n in result.notes if n.kind == "unmatched_values"]
    assert notes == [
        "a parameter lists a value that no fact row has, though one close to it: "
        "retroactive_leave_types lists 'sik', which no leave row has as its leave_type "
        "(did you mean 'sick'?)"
    ]
    assert notes[0].zh == (
        "参数所列的值没有任何事实行取到，但有相近的值：retroactive_leave_types 列出 'sik'，"
        "没有 leave 行的 leave_type 是它（是否应为 'sick'？）"
    )
    # bereavement is in no row either, but no value is close to it: a leave not taken
    right = typo.with_params(retroactive_leave_types=["sick", "bereavement"])
    result = right.check(records, day, day, rulesets=["attendance"])
    assert rules_of(result) == [] and not [n for n in result.notes if n.kind == "unmatched_values"]


def test_an_id_a_parameter_lists_that_no_row_has_is_no_typo(tmp_path: Path) -> None:
    """An exemption list of employees names one with no working day of the period (E1009, of
    another office): ids differ from each other by a character by design (E1001, E1009), so one
    close to it is no sign of a typo, and no note says 'did you mean E1001'."""
    exempt = (
        "ruleset: exempt\ntitle: {zh: 公司, en: Company}\nfacts: workday\n"
        "params:\n  exempt_employees: {type: str_list, default: [], doc: {zh: 免, en: exempt}}\n"
        "rules:\n  - id: CO-LATE\n    title: {zh: 晚, en: Late}\n    clauses: ['4.3']\n"
        "    severity: info\n    when: minutes_late > 0 and employee_id not in exempt_employees\n"
        "    message: {zh: '晚', en: 'late'}\n"
    )
    write(tmp_path, exempt, "exempt.yaml")
    policy = load_policy(
        write(tmp_path, "rule_files: [exempt.yaml]\nparams: {exempt_employees: [E1002, E1009]}\n")
    )
    day = dt.date(2026, 11, 2)
    records = [
        {"type": "punch", "employee_id": e, "at": f"2026-11-02T{at}+08:00"}
        for e in ("E1001", "E1002")
        for at in ("09:10:00", "18:00:00")
    ]
    result = policy.check(records, day, day, rulesets=["exempt"])
    assert [(f.rule_id, f.employee_id) for f in result] == [("CO-LATE", "E1001")]  # E1002 exempt
    assert not [n for n in result.notes if n.kind == "unmatched_values"]
