"""The public property-testing toolkit: strategies valid by construction, checked arguments,
and properties that fail with readable findings."""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
import re
import zoneinfo
from pathlib import Path
from typing import Any

import pytest
from conftest import half_the_examples
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample

from sales_policy import InvalidArgument, Policy, Punch, Schedule, load_policy
from sales_policy.records import RECORD_MODELS
from sales_policy.tables import build_tables
from sales_policy.testing import (
    check_agree_except,
    check_never_adds,
    check_never_fires,
    logs,
    models,
    policy_overrides,
    records,
)
from sales_policy.testing.schedules import EDGE_TIMES, edge_times
from sales_policy.whatif import diff

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
        (lambda: records("punchh"), r"unknown record type 'punchh' \(did you mean 'punch'\?\)"),
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


@settings(max_examples=20)
@given(punch=st.from_type(Punch))
def test_from_type_draws_valid_models(punch: Punch) -> None:
    """A punch drawn by its registered strategy is one a check accepts whole."""
    assert punch.employee_id.startswith("E")
    counts = POLICY.check([punch]).counts
    assert (counts.read, counts.accepted, counts.rejected) == (1, 1, 0)


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


@half_the_examples
@given(log=logs(), grace=st.integers(0, POLICY.params["serious_late_minutes"]))
def test_more_late_grace_never_adds_a_late_arrival(log: Any, grace: int) -> None:
    """Any grace up to the serious-lateness threshold (which a grace may not exceed)."""
    check_never_adds(
        POLICY,
        POLICY.with_params(late_grace_minutes=grace),
        log.records,
        rules=["ATT-LATE"],
        start=log.start,
        end=log.end,
    )


@half_the_examples
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


@half_the_examples
@given(log=logs(), limit=st.integers(0, 480))
def test_changing_one_rules_parameter_changes_only_that_rule(log: Any, limit: int) -> None:
    changed = POLICY.with_params(left_post_minutes=limit)
    check_agree_except(
        POLICY, changed, log.records, rules=["ATT-LEFT-POST"], start=log.start, end=log.end
    )


CORE_TYPES = ("employee", "punch", "leave_request", "overtime_request", "customer_visit")
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


# Logs around the schedule of the policy under test

AT_0830 = dataclasses.replace(POLICY, schedule=Schedule(start=dt.time(8, 30)))
AT_0831 = dataclasses.replace(POLICY, schedule=Schedule(start=dt.time(8, 31)))
#: one run of a strategy, the same on every run: no shrinking (each step would run a check)
ONE_RUN = settings(
    max_examples=150, derandomize=True, database=None, phases=[Phase.generate], deadline=None
)


def _first_punches(log: Any) -> list[dt.datetime]:
    """The first punch of each employee on each weekday, in local time (the employee's
    timezone, else the log's)."""
    zones = {r["employee_id"]: r["timezone"] for r in log.of_type("employee")}
    first: dict[tuple[str, dt.date], dt.datetime] = {}
    for punch in log.of_type("punch"):
        zone = zoneinfo.ZoneInfo(zones.get(punch["employee_id"]) or log.timezone)
        at = dt.datetime.fromisoformat(punch["at"])
        local = at.replace(tzinfo=zone) if at.tzinfo is None else at.astimezone(zone)
        key = (punch["employee_id"], local.date())
        if local.weekday() < 5 and (key not in first or local < first[key]):
            first[key] = local
    return list(first.values())


def _late_at_0830_only(log: Any) -> list[Any]:
    """The ATT-LATE findings of the 08:30 policy that the 08:31 one does not make.  Only an
    arrival from 08:30:01 to 08:31:00 can make one: a log without a first punch of the day
    then is not checked (a check takes tens of milliseconds)."""
    if not any(dt.time(8, 30) < at.time() <= dt.time(8, 31) for at in _first_punches(log)):
        return []
    added = diff(AT_0831, AT_0830, log.records, log.start, log.end).added
    return [f for f in added if f.rule_id == "ATT-LATE"]


@pytest.mark.parametrize("policy", [[AT_0830, AT_0831], AT_0830], ids=["both", "08:30"])
def test_logs_draw_arrivals_around_the_schedule_of_the_policy_given(policy: Any) -> None:
    """That the 08:31 policy never adds an ATT-LATE the 08:30 one does not is false for any
    arrival from 08:30:01 to 08:31:00.  logs() drew punches around 09:00 only, whatever the
    policy under test, and the property passed hundreds of logs; around the schedule of the
    policy given (or of both) it draws such an arrival, late under 08:30 only."""
    log = find(logs(policy=policy), lambda log: bool(_late_at_0830_only(log)), settings=ONE_RUN)
    findings = _late_at_0830_only(log)
    arrivals = {dt.datetime.fromisoformat(f.evidence["arrival"]).time() for f in findings}
    assert arrivals and all(dt.time(8, 30) < t <= dt.time(8, 31) for t in arrivals), arrivals
    assert {f.evidence["minutes_late"] for f in findings} == {1}
    with pytest.raises(AssertionError, match=r"adds \d+ finding\(s\):\n  ATT-LATE"):
        check_never_adds(
            AT_0831, AT_0830, log.records, rules="ATT-LATE", start=log.start, end=log.end
        )


def test_serious_lateness_at_nine_is_not_at_half_past_eight_for_a_lone_undirected_punch() -> None:
    """docs/property-testing.md: the property that the 08:30 start finds every serious late
    arrival the 09:00 one does holds for directed punches, not for a day's one punch without
    a direction between the two midpoints of the day (13:15 at 08:30, 13:30 at 09:00): an
    arrival at 09:00, a departure at 08:30."""
    day = dt.date(2026, 11, 2)  # a Monday
    lone = {"type": "punch", "employee_id": "E1", "at": "2026-11-02T13:20:00+08:00"}
    with pytest.raises(AssertionError, match=r"adds 1 finding\(s\):\n  ATT-LATE-SERIOUS E1"):
        check_never_adds(AT_0830, POLICY, [lone], rules="ATT-LATE-SERIOUS", start=day, end=day)
    assert [f.rule_id for f in AT_0830.check([lone], day, day) if "SERIOUS" in f.rule_id] == [
        "ATT-EARLY-SERIOUS"
    ]
    directed = {**lone, "direction": "in"}
    check_never_adds(AT_0830, POLICY, [directed], rules="ATT-LATE-SERIOUS", start=day, end=day)
    assert "ATT-LATE-SERIOUS" in {f.rule_id for f in AT_0830.check([directed], day, day)}


def _drawn(strategy: st.SearchStrategy[Any], count: int) -> list[Any]:
    """The first ``count`` examples of a strategy, the same on every run."""
    drawn: list[Any] = []

    @settings(ONE_RUN, max_examples=count)
    @given(example=strategy)
    def collect(example: Any) -> None:
        drawn.append(example)

    collect()
    return drawn


def test_logs_of_the_handbook_policy_are_those_drawn_without_a_policy() -> None:
    """Without a policy, logs() draws around the handbook's schedule, as it always did; given
    the handbook's policy, it draws the very same logs."""
    without = _drawn(logs(), 15)
    assert len(without) == 15
    assert _drawn(logs(policy=POLICY), 15) == without
    assert _drawn(logs(policy=[POLICY, POLICY]), 15) == without
    assert _drawn(logs(policy=AT_0830), 15) != without


def test_logs_draw_the_night_around_a_day_start() -> None:
    """A schedule whose attendance day starts at 04:00 adds midnight, 03:59:59, 04:00 and
    04:00:01 to the handbook's edges, and logs around it hold punches in the night (wall
    times before 06:00, where the handbook's logs draw none)."""
    night = dataclasses.replace(POLICY, schedule=Schedule(day_start=dt.time(4)))
    added = (dt.time(0), dt.time(3, 59, 59), dt.time(4), dt.time(4, 0, 1))
    assert edge_times([night]) == tuple(sorted((*EDGE_TIMES, *added)))
    assert edge_times([POLICY]) == EDGE_TIMES

    def night_punches(log: Any) -> list[dt.time]:
        zones = {r["employee_id"]: r["timezone"] for r in log.of_type("employee")}
        walls = []
        for punch in log.of_type("punch"):
            zone = zoneinfo.ZoneInfo(zones.get(punch["employee_id"]) or log.timezone)
            at = dt.datetime.fromisoformat(punch["at"].replace("Z", "+00:00"))
            local = at.replace(tzinfo=zone) if at.tzinfo is None else at.astimezone(zone)
            walls.append(local.time())
        return [t for t in walls if t < dt.time(6)]

    assert any(night_punches(log) for log in _drawn(logs(policy=night), 15))
    assert not any(night_punches(log) for log in _drawn(logs(), 15))


def test_logs_are_in_the_timezone_of_the_policy_given() -> None:
    """Employees without an employee record work in the policy's timezone: with a policy and
    no timezones, in that policy's, so that its schedule's boundaries are their wall clock."""
    london = dataclasses.replace(AT_0830, timezone="Europe/London")
    for policy, timezones, expected in (
        (london, None, "Europe/London"),
        ([AT_0830, london], None, "Asia/Shanghai"),
        (london, ["Asia/Tokyo"], "Asia/Tokyo"),
    ):
        drawn = _drawn(logs(policy=policy, timezones=timezones), 3)
        assert {log.timezone for log in drawn} == {expected}


@pytest.mark.parametrize(
    ("policy", "message"),
    [
        (
            "policy.yaml",
            r"policy must be a Policy \(from load_policy\) or a non-empty list of them, got str",
        ),
        ([], "policy must be a Policy .* got list"),
        ((POLICY, "x"), "policy must be a Policy .*; item 1 is str 'x'"),
        (POLICY.schedule, "policy must be a Policy .* got Schedule"),
    ],
)
def test_logs_refuse_a_policy_that_is_not_one(policy: Any, message: str) -> None:
    with pytest.raises(InvalidArgument, match=message):
        logs(policy=policy)


def test_logs_rejects_unknown_record_types() -> None:
    with pytest.raises(InvalidArgument, match="record_types must be a list of record types"):
        logs(record_types="order")
    with pytest.raises(InvalidArgument, match=r"unknown record type 'ordres' \(did you mean"):
        logs(record_types=["ordres"])


# Record types by the names the command's --type takes

TYPE_NAMES = [("punches", "punch"), ("leaves", "leave_request"), ("data_access_log", "data_access")]


@pytest.mark.parametrize(("name", "record_type"), TYPE_NAMES)
def test_record_types_are_resolved_as_the_command_resolves_type(
    name: str, record_type: str
) -> None:
    """records(), models() and logs(record_types=...) take a type's file name, as --type does,
    and draw records of that type, carrying the type's own name."""

    @settings(max_examples=10)
    @given(
        row=records(name),
        model=models(name),
        log=logs(record_types=[name], employees=1, max_days=1),
    )
    def check(row: dict[str, Any], model: Any, log: Any) -> None:
        assert row["type"] == record_type
        assert isinstance(model, RECORD_MODELS[record_type])
        assert {r["type"] for r in log.records} - set(CORE_TYPES) <= {record_type}

    check()


def test_an_unknown_record_type_suggests_the_closest_name() -> None:
    with pytest.raises(InvalidArgument, match=r"unknown record type 'punchs' \(did you mean"):
        records("punchs")
    with pytest.raises(
        InvalidArgument, match=r"unknown record type 'leav_request'.*'leave_request'"
    ):
        models("leav_request")
    with pytest.raises(InvalidArgument, match="expected one of: employee, punch"):
        records("zzz")


# Properties that could never fail are refused


def test_a_bare_rule_id_is_one_rule_not_its_letters() -> None:
    """A bare string names one rule: the property fails where that rule fires (it used to
    match the string's letters, that is no rule, and pass on every log)."""
    lenient = POLICY.with_params(late_grace_minutes=10)
    with pytest.raises(
        AssertionError, match=r"1 finding\(s\) where none was expected:\n  ATT-LATE"
    ):
        check_never_fires(POLICY, LATE, "ATT-LATE", start=DAY, end=DAY)
    with pytest.raises(AssertionError, match=r"adds 1 finding\(s\):\n  ATT-LATE"):
        check_never_adds(lenient, POLICY, LATE, rules="ATT-LATE", start=DAY, end=DAY)
    check_agree_except(POLICY, lenient, LATE, rules="ATT-LATE", start=DAY, end=DAY)
    with pytest.raises(AssertionError, match="disagree on 1 finding"):
        check_agree_except(POLICY, lenient, LATE, rules="ATT-EARLY", start=DAY, end=DAY)


@pytest.mark.parametrize(
    "call",
    [
        lambda rules: check_never_fires(POLICY, LATE, rules, start=DAY, end=DAY),
        lambda rules: check_never_adds(POLICY, POLICY, LATE, rules=rules, start=DAY, end=DAY),
        lambda rules: check_agree_except(POLICY, POLICY, LATE, rules=rules, start=DAY, end=DAY),
    ],
    ids=["check_never_fires", "check_never_adds", "check_agree_except"],
)
def test_an_unknown_rule_id_is_refused_with_the_closest_one(call: Any) -> None:
    for rules in (["ATT-LAET"], "ATT-LAET", ("ATT-EARLY", "ATT-LAET")):
        with pytest.raises(
            InvalidArgument, match=r"unknown rule 'ATT-LAET' \(did you mean 'ATT-LATE'\?\)"
        ):
            call(rules)
    with pytest.raises(InvalidArgument, match="rules is a rule id or a list of them"):
        call([1])


def test_an_empty_list_of_rules_is_refused_where_it_could_never_fail() -> None:
    with pytest.raises(InvalidArgument, match="rules is empty"):
        check_never_fires(POLICY, LATE, [], start=DAY, end=DAY)
    with pytest.raises(InvalidArgument, match="rules is empty"):
        check_never_adds(POLICY.with_params(late_grace_minutes=10), POLICY, LATE, rules=[])
    # None is every rule; for check_agree_except no rule excepted is the strongest claim
    with pytest.raises(AssertionError, match="ATT-LATE"):
        check_never_fires(POLICY, LATE, None, start=DAY, end=DAY)
    with pytest.raises(AssertionError, match="ATT-LATE"):
        check_never_adds(POLICY.with_params(late_grace_minutes=10), POLICY, LATE, rules=None)
    with pytest.raises(AssertionError, match="disagree"):
        check_agree_except(POLICY, POLICY.with_params(late_grace_minutes=10), LATE, rules=[])


def test_a_rule_that_cannot_fire_is_refused() -> None:
    without_late = dataclasses.replace(POLICY, disabled=frozenset({"ATT-LATE"}))
    with pytest.raises(InvalidArgument, match="'ATT-LATE' is disabled in this policy"):
        check_never_fires(without_late, LATE, ["ATT-LATE"], start=DAY, end=DAY)
    with pytest.raises(InvalidArgument, match="'ATT-LATE' is disabled in the changed policy"):
        check_never_adds(POLICY, without_late, LATE, rules=["ATT-LATE"], start=DAY, end=DAY)
    # disabling a rule changes that rule only
    check_agree_except(POLICY, without_late, LATE, rules=["ATT-LATE"], start=DAY, end=DAY)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: check_never_adds("our-policy.yaml", POLICY, LATE), "base must be a Policy"),
        (lambda: check_never_adds(POLICY, None, LATE), "changed must be a Policy"),
        (lambda: check_never_fires("our-policy.yaml", LATE, None), "policy must be a Policy"),
        (lambda: check_agree_except(POLICY, {"late_grace_minutes": 5}, LATE), "second must be"),
    ],
)
def test_a_property_given_no_policy_says_which_argument(call: Any, message: str) -> None:
    """A policy file's name where its policy belongs raised AttributeError from inside."""
    with pytest.raises(InvalidArgument, match=message):
        call()


def test_a_property_over_records_the_check_rejects_is_refused() -> None:
    """A punch of direction IN (not in) is rejected: no rule judges it, and ATT-LATE 'never
    fired' on the seven minutes late it holds, however the rule were written."""
    shouted = [dict(LATE[0], direction="IN"), LATE[1]]
    lenient = POLICY.with_params(late_grace_minutes=10)
    message = (
        r"1 of 2 record\(s\) rejected, so the property would hold of records it never judged: "
        r"<records>:1 direction: 'IN' is not one of: in, out"
    )
    with pytest.raises(InvalidArgument, match=message):
        check_never_fires(POLICY, shouted, ["ATT-LATE"], start=DAY, end=DAY)
    with pytest.raises(InvalidArgument, match=message):
        check_never_adds(lenient, POLICY, shouted, rules=["ATT-LATE"], start=DAY, end=DAY)
    with pytest.raises(InvalidArgument, match=message):
        check_agree_except(lenient, POLICY, shouted, start=DAY, end=DAY)


# A company's own rule file

COMPANY_RULES = """\
ruleset: company
title: {zh: 公司补充规定, en: Company rules}
facts: workday

params:
  late_and_early_grace_minutes:
    type: int
    default: 10
    min: 0
    max: 60
    doc:
      zh: 同日早退时迟到的宽限分钟数
      en: Minutes of lateness tolerated on a day that is also left early

rules:
  - id: CO-LATE-AND-EARLY
    title: {zh: 同日迟到早退, en: Late and early on the same day}
    clauses: ["4.3", "8.1"]
    severity: info
    when: >-
      (scheduled and minutes_late > late_and_early_grace_minutes
       and minutes_early > 0)
    evidence: [arrival, departure, minutes_late, minutes_early]
    sources: [arrival_ref, departure_ref]
    message:
      zh: "迟到 {minutes_late} 分钟且早退 {minutes_early} 分钟"
      en: "{minutes_late} min late and {minutes_early} min early"
"""
LATE_AND_EARLY = [
    {"type": "punch", "employee_id": "E1", "at": "2026-11-02T09:30:00+08:00", "direction": "in"},
    {"type": "punch", "employee_id": "E1", "at": "2026-11-02T17:00:00+08:00", "direction": "out"},
]


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory) -> Policy:
    """The handbook's policy with the company rule file of docs/rule-files.md."""
    folder = tmp_path_factory.mktemp("company")
    (folder / "company.yaml").write_text(COMPANY_RULES, encoding="utf-8")
    (folder / "policy.yaml").write_text("rule_files: [company.yaml]\n", encoding="utf-8")
    return load_policy(folder / "policy.yaml")


def test_policy_overrides_draw_the_parameters_of_a_company_rule_file(company: Policy) -> None:
    with pytest.raises(InvalidArgument, match="unknown rule set 'company'"):
        policy_overrides(rulesets=["company"])  # the handbook's policy has no such rule set
    drawn = find(policy_overrides(policy=company, rulesets="company"), bool)
    assert drawn == {"late_and_early_grace_minutes": 0}  # shrunk to the bottom of 0..60
    # among every parameter of the policy: drawn within its range (how far the other keys
    # shrink away depends on the search, so only this one is looked at)
    every = find(policy_overrides(policy=company), lambda o: "late_and_early_grace_minutes" in o)
    assert 0 <= every["late_and_early_grace_minutes"] <= 60
    with pytest.raises(InvalidArgument, match=r"'compny' in this policy \(did you mean 'company'"):
        policy_overrides(policy=company, rulesets=["compny"])
    with pytest.raises(InvalidArgument, match="policy must be a Policy"):
        policy_overrides(policy="policy.yaml")  # type: ignore[arg-type]


def test_overrides_of_a_company_policy_are_always_accepted(company: Policy) -> None:
    @settings(max_examples=30)
    @given(overrides=policy_overrides(policy=company))
    def check(overrides: dict[str, Any]) -> None:
        policy = company.with_params(**overrides)
        assert all(policy.params[k] == v for k, v in overrides.items())

    check()


def test_properties_take_a_company_rule_that_only_one_policy_has(company: Policy) -> None:
    """Adding the company's rule file changes only its own rule; a rule of the base policy
    alone can add nothing, so naming it is refused."""
    check_agree_except(
        POLICY, company, LATE_AND_EARLY, rules=["CO-LATE-AND-EARLY"], start=DAY, end=DAY
    )
    with pytest.raises(AssertionError, match="CO-LATE-AND-EARLY"):
        check_never_adds(POLICY, company, LATE_AND_EARLY, rules="CO-LATE-AND-EARLY")
    with pytest.raises(InvalidArgument, match="not a rule of the changed policy"):
        check_never_adds(company, POLICY, LATE_AND_EARLY, rules="CO-LATE-AND-EARLY")
    with pytest.raises(InvalidArgument, match="unknown rule 'CO-LATE-AND-EARLY'"):
        check_never_fires(POLICY, LATE_AND_EARLY, "CO-LATE-AND-EARLY")


# The page that documents the toolkit


PAGE = (Path(__file__).resolve().parents[1] / "docs" / "property-testing.md").read_text(
    encoding="utf-8"
)


def test_every_example_on_the_page_sets_no_deadline() -> None:
    """A check over a generated log can take a few hundred ms: an example with hypothesis'
    default deadline fails with DeadlineExceeded on a busy machine."""
    uses = re.findall(r"@settings\((.*?)\)\n", PAGE)
    assert len(uses) >= 4
    assert all("deadline=None" in use for use in uses), uses


@pytest.mark.parametrize("strategy", [logs, policy_overrides], ids=lambda f: f.__name__)
def test_the_page_documents_every_argument_of_the_strategies(strategy: Any) -> None:
    row = next(line for line in PAGE.splitlines() if line.startswith(f"| `{strategy.__name__}("))
    for name, parameter in inspect.signature(strategy).parameters.items():
        if parameter.kind is parameter.KEYWORD_ONLY:
            assert f"{name}=" in row, f"{strategy.__name__}: {name}= is not in {row!r}"


def test_the_page_records_example_checks_what_its_prose_promises() -> None:
    """The single-record example claims substantiated misleading complaints are always found:
    its code asserts INT-MISLEADING, over generated complaints."""
    start = PAGE.index("A property over single records")
    example = PAGE[start : PAGE.index("## Reading a counter-example")]
    assert "substantiated complaint" in example
    assert 'records("complaint")' in example
    assert '"INT-MISLEADING"' in example


@pytest.mark.parametrize(
    ("declared", "low", "high"),
    [
        ("{type: int, default: 5000, min: 2000}", 2000, 5000),  # no max: up to the default
        ("{type: int, default: -5000, max: -2000}", -5000, -2000),
        ("{type: int, default: 7}", -1000, 1000),
        # near the ends of 64 bits: 1000 further out would be a value with_params refuses
        (f"{{type: int, default: {2**63 - 10}, min: {2**63 - 10}}}", 2**63 - 10, 2**63 - 1),
        (f"{{type: int, default: {-(2**63) + 10}, max: {-(2**63) + 10}}}", -(2**63), -(2**63) + 10),
    ],
)
def test_an_integer_parameter_open_at_one_end_is_drawn_from_its_own_range(
    tmp_path: Path, declared: str, low: int, high: int
) -> None:
    """A declared range entirely above 1000 (or below -1000), open at its other end, is
    drawn from, not refused by hypothesis for an empty range."""
    (tmp_path / "big.yaml").write_text(
        COMPANY_RULES.replace("ruleset: company", "ruleset: big")
        .replace(
            "params:\n", f"params:\n  big_threshold: {declared[:-1]}, doc: {{zh: 阈, en: t}}}}\n"
        )
        .replace("CO-LATE-AND-EARLY", "CO-BIG"),
        encoding="utf-8",
    )
    (tmp_path / "policy.yaml").write_text("rule_files: [big.yaml]\n", encoding="utf-8")
    policy = load_policy(tmp_path / "policy.yaml")
    drawn = policy_overrides(policy=policy, rulesets="big")
    assert find(drawn, lambda o: o.get("big_threshold", high) <= low)["big_threshold"] == low
    assert find(drawn, lambda o: o.get("big_threshold", low) >= high)["big_threshold"] == high
    with pytest.raises(NoSuchExample):
        find(
            drawn,
            lambda o: not low <= o.get("big_threshold", low) <= high,
            settings=settings(max_examples=200, database=None),
        )
