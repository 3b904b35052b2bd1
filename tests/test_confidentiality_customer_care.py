"""Confidentiality and customer care: bad input, fact schemas, precedence and open windows.

The oracles below are plain Python written from the rule tables (docs/rulesets/*.md), one
record at a time, with the standard library only; they do not look at the fact tables.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

import sales_policy
from sales_policy.facts import FactContext, confidentiality, customer_care
from sales_policy.facts.schema import FACT_TABLES
from sales_policy.tables import build_tables

POLICY = sales_policy.load_policy()
NOV = dt.date(2026, 11, 1)
#: E1 has no employee record (the policy's zone); E2 is in New York, whose clocks go back on
#: 2026-11-01, so local dates there differ from Shanghai's by 12 or 13 hours
ZONES = {"E1": "Asia/Shanghai", "E2": "America/New_York"}
EMPLOYEES = [{"type": "employee", "employee_id": "E2", "name": "Bo", "timezone": ZONES["E2"]}]

# --------------------------------------------------------------------------- bad input

VALID: dict[str, dict[str, Any]] = {
    "data_access": {
        "record_id": "A1",
        "employee_id": "E1",
        "at": "2026-11-02T10:00:00+08:00",
        "customer_id": "C1",
        "data_class": "customer",
        "action": "email",
        "record_count": 3,
        "destination": "x@partner.example",
        "destination_kind": "external",
        "approved": False,
    },
    "customer_assignment": {"customer_id": "C1", "employee_id": "E1", "start": "2026-11-01"},
    "contract": {
        "contract_id": "K1",
        "employee_id": "E1",
        "customer_id": "C1",
        "signed_at": "2026-11-02T10:00:00+08:00",
        "amount": "1200.50",
    },
    "customer_contact": {
        "record_id": "T1",
        "employee_id": "E1",
        "customer_id": "C1",
        "at": "2026-11-03T10:00:00+08:00",
        "channel": "phone",
        "purpose": "after_sales",
    },
    "customer_inquiry": {
        "record_id": "Q1",
        "customer_id": "C1",
        "employee_id": "E1",
        "received_at": "2026-11-03T10:00:00+08:00",
        "responded_at": "2026-11-03T12:00:00+08:00",
    },
    "visit_plan": {
        "record_id": "P1",
        "employee_id": "E1",
        "customer_id": "C1",
        "planned_date": "2026-11-10",
    },
    "customer_profile": {
        "customer_id": "C1",
        "employee_id": "E1",
        "updated_at": "2026-11-03T10:00:00+08:00",
        "name": "Acme",
    },
    "market_report": {
        "record_id": "M1",
        "employee_id": "E1",
        "submitted_at": "2026-11-20T10:00:00+08:00",
        "topic": "prices",
    },
    "order": {
        "order_id": "O1",
        "employee_id": "E1",
        "customer_id": "C1",
        "booked_at": "2026-11-02T10:00:00+08:00",
        "amount": "99",
        "status": "booked",
    },
    "customer_visit": {
        "employee_id": "E1",
        "customer_id": "C1",
        "start": "2026-11-02T10:00:00+08:00",
        "end": "2026-11-02T11:00:00+08:00",
    },
}

BAD_VALUES = [
    ("data_access", {"data_class": "secret"}, "data_class", "is not one of: customer, trade_"),
    ("data_access", {"action": "fax"}, "action", "is not one of: view, export"),
    ("data_access", {"record_count": -1}, "record_count", "is below 0"),
    ("data_access", {"record_count": "many"}, "record_count", "is not a whole number"),
    (
        "data_access",
        {"record_count": "99999999999999999999"},
        "record_count",
        "is not a whole number (or is beyond 64 bits)",
    ),
    ("data_access", {"destination_kind": "friend"}, "destination_kind", "is not one of"),
    ("data_access", {"approved": "maybe"}, "approved", "is not true or false"),
    ("data_access", {"at": "2026-11-31T10:00:00"}, "at", "is not a date-time"),
    ("customer_assignment", {"start": "01/11/2026"}, "start", "is not a date"),
    ("customer_assignment", {"end": "2026-10-31"}, "end", "end is before start"),
    ("contract", {"amount": "12.34567"}, "amount", "is not an amount"),
    ("contract", {"currency": "rmb"}, "currency", "'rmb' is not"),
    ("contract", {"signed_at": None}, "signed_at", "missing value"),
    ("customer_contact", {"channel": "pigeon"}, "channel", "is not one of: phone, email"),
    ("customer_contact", {"purpose": "chat"}, "purpose", "is not one of: after_sales"),
    ("customer_inquiry", {"responded_at": "soon"}, "responded_at", "is not a date-time"),
    ("customer_inquiry", {"customer_id": None}, "customer_id", "missing value"),
    ("visit_plan", {"planned_date": "2026-02-30"}, "planned_date", "is not a date"),
    ("customer_profile", {"updated_at": "yesterday"}, "updated_at", "is not a date-time"),
    ("customer_profile", {"nmae": "Acme"}, "nmae", "did you mean 'name'"),
    ("market_report", {"topic": None}, "topic", "missing value"),
    ("order", {"status": "paid"}, "status", "is not one of: booked, cancelled, refunded"),
    ("order", {"amount": "-5"}, "amount", "is not an amount"),
    ("customer_visit", {"end": "2026-11-02T09:00:00+08:00"}, "end", "end is not after start"),
]


@pytest.mark.parametrize("record_type", sorted(VALID))
def test_valid_records_of_each_type_are_accepted(record_type: str) -> None:
    """The base record of each type used by these rule sets is accepted as it is, so each
    bad-value case below differs from an accepted record in one field only."""
    result = POLICY.check([{"type": record_type, **VALID[record_type]}], NOV, NOV)
    assert result.counts.rejected == 0, result.rejects.to_dicts()
    assert result.counts.accepted == 1


@pytest.mark.parametrize(
    ("record_type", "change", "field", "reason"),
    BAD_VALUES,
    ids=[f"{t}.{f}" for t, _, f, _ in BAD_VALUES],
)
def test_a_malformed_value_is_rejected_with_field_and_reason(
    record_type: str, change: dict[str, Any], field: str, reason: str
) -> None:
    """A record with one bad field is rejected, naming the field and why; nothing of it
    reaches the facts or the findings."""
    record = {"type": record_type, **VALID[record_type], **change}
    result = POLICY.check([record], NOV, NOV)
    assert result.counts.rejected == 1 and result.counts.accepted == 0
    reject = result.rejects.row(0, named=True)
    assert reject["record_type"] == record_type
    assert reject["field"] == field
    assert reason in reject["reason"], reject["reason"]
    assert all(table.is_empty() for table in result.facts.values())
    assert result.frame.is_empty()


# --------------------------------------------------------------------------- fact schemas

NEW_TABLES = (
    "data_access",
    "contract_follow_up",
    "inquiry_response",
    "planned_visit",
    "customer_revisit",
    "customer_file",
    "market_report_month",
)
POLARS_TYPES: dict[str, pl.DataType] = {
    "str": pl.String(),
    "bool": pl.Boolean(),
    "int": pl.Int64(),
    "float": pl.Float64(),
    "date": pl.Date(),
    "datetime": pl.Datetime("us", "UTC"),
    "str_list": pl.List(pl.String()),
    "ref": pl.Int64(),
    "ref_list": pl.List(pl.Int64()),
}


def _declared(name: str) -> dict[str, pl.DataType]:
    return {c.name: POLARS_TYPES[c.type] for c in FACT_TABLES[name].columns}


def _context(records: list[dict[str, Any]]) -> FactContext:
    tables = build_tables(records, policy_timezone=POLICY.timezone)
    employees = pl.DataFrame(
        {"employee_id": ["E1"], "timezone": [POLICY.timezone]},
        schema={"employee_id": pl.String, "timezone": pl.String},
    ).with_columns(pl.lit(None, pl.Date).alias("hired_on"), pl.lit(None, pl.Date).alias("left_on"))
    return FactContext(
        tables,
        NOV,
        dt.date(2026, 11, 30),
        POLICY.params,
        POLICY.timezone,
        POLICY.calendar,
        POLICY.schedule,
        employees,
    )


@pytest.mark.parametrize(
    "present", [(), *((t,) for t in sorted(VALID)), tuple(sorted(VALID))], ids=lambda p: "+".join(p)
)
def test_fact_tables_have_exactly_the_declared_columns_and_types(present: tuple[str, ...]) -> None:
    """Every fact table the two derivations return has the declared columns, in order, with
    their polars types: with no records at all, with one record of a single type, and with
    one of every type."""
    context = _context([{"type": t, **VALID[t]} for t in present])
    facts = {**confidentiality.derive(context), **customer_care.derive(context)}
    assert set(NEW_TABLES) - set(facts) <= {"market_report_month"}
    for name, table in facts.items():
        assert dict(table.schema) == _declared(name), name
    if len(present) == len(VALID):
        assert all(facts[name].height >= 1 for name in NEW_TABLES)


def test_months_are_judged_only_when_market_reports_are_present() -> None:
    """Without any market_report record the input does not say whether reports exist: the
    month table is not derived, and the result notes CRM-NO-MARKET-REPORT as not judged.  One
    report by anyone makes every active employee's months judged."""
    alice = {"type": "employee", "employee_id": "E1", "name": "Alice"}
    contract = {"type": "contract", **VALID["contract"]}
    without = POLICY.check([alice, contract], NOV, dt.date(2026, 11, 30))
    assert "market_report_month" not in without.facts
    assert any("CRM-NO-MARKET-REPORT" in note for note in without.notes), without.notes
    report = {"type": "market_report", **VALID["market_report"], "employee_id": "E2"}
    with_one = POLICY.check([alice, contract, report], NOV, dt.date(2026, 11, 30))
    assert [(f.employee_id, f.period) for f in with_one if f.rule_id == "CRM-NO-MARKET-REPORT"] == [
        ("E1", "2026-11")
    ]


# --------------------------------------------------------------------------- shared helpers


def _local_date(instant: dt.datetime, employee: str) -> dt.date:
    return instant.astimezone(ZoneInfo(ZONES[employee])).date()


def _text(instant: dt.datetime) -> str:
    return instant.isoformat()


def _found(result: Any, rule_ids: Iterable[str], key: str) -> Counter[tuple[str, str, Any, Any]]:
    wanted = set(rule_ids)
    return Counter(
        (f.rule_id, f.employee_id, f.date, f.evidence[key]) for f in result if f.rule_id in wanted
    )


instants = st.integers(0, 40 * 24 * 60).map(
    lambda minutes: dt.datetime(2026, 10, 28, tzinfo=dt.UTC) + dt.timedelta(minutes=minutes)
)

# --------------------------------------------------------------------------- confidentiality

CONF_ORDER = (
    ("CONF-COMPETITOR", 3),
    ("CONF-SECRET-LEAK", 3),
    ("CONF-EXTERNAL-SHARE", 2),
    ("CONF-PERSONAL", 2),
    ("CONF-BULK-EXPORT", 2),
    ("CONF-UNASSIGNED", 1),
)
#: destination text and its host, written out by hand (the oracle parses nothing)
DESTINATIONS = (
    ("buyer@rival.example", "rival.example"),
    ("Sales@Rival.Example", "rival.example"),
    ("https://files.rival.example/in?x=1", "files.rival.example"),
    ("rival.example:8080", "rival.example"),
    ("ann@notrival.example", "notrival.example"),
    ("x@competitor.cn", "competitor.cn"),
    ("ftp://a.b.competitor.cn/", "a.b.competitor.cn"),
    ("me@gmail.com", "gmail.com"),
    ("drive.google.com", "drive.google.com"),
    ("colleague@company.example", "company.example"),
    ("intranet", "intranet"),
)
SENDS = ("share", "email", "upload", "export")


def _conf_applicable(
    access: dict[str, Any], assignments: list[dict[str, Any]], params: dict[str, Any]
) -> list[tuple[str, int]]:
    """The confidentiality rules that apply to one access, in the rule table's order."""
    kind, data_class = access.get("destination_kind"), access["data_class"]
    sent = access["action"] in SENDS
    host = access.get("_host")
    to_competitor = kind == "competitor" or (
        host is not None
        and any(host == d or host.endswith("." + d) for d in params["competitor_domains"])
    )
    customer = access.get("customer_id")
    day = _local_date(access["_at"], access["employee_id"])
    # the customer's assignments started by the access's local date: a customer without one
    # is a prospect, not judged; the viewer's own counts while in force (both ends included)
    of_customer = [
        a
        for a in assignments
        if a["customer_id"] == customer and dt.date.fromisoformat(a["start"]) <= day
    ]
    assigned = any(
        a["employee_id"] == access["employee_id"]
        and (a.get("end") is None or day <= dt.date.fromisoformat(a["end"]))
        for a in of_customer
    )
    applies = {
        "CONF-COMPETITOR": sent and data_class in ("customer", "trade_secret") and to_competitor,
        "CONF-SECRET-LEAK": sent
        and data_class == "trade_secret"
        and kind is not None
        and kind != "internal",
        "CONF-EXTERNAL-SHARE": sent
        and data_class == "customer"
        and kind == "external"
        and not access["approved"],
        "CONF-PERSONAL": sent and kind == "personal",
        "CONF-BULK-EXPORT": access["action"] == "export"
        and access["record_count"] > params["bulk_export_limit"]
        and not access["approved"],
        "CONF-UNASSIGNED": access["action"] == "view"
        and data_class == "customer"
        and customer is not None
        and bool(of_customer)
        and not assigned,
    }
    return [(rule, rank) for rule, rank in CONF_ORDER if applies[rule]]


def conf_oracle(
    accesses: list[dict[str, Any]],
    assignments: list[dict[str, Any]],
    start: dt.date,
    end: dt.date,
    params: dict[str, Any],
) -> Counter[tuple[str, str, Any, Any]]:
    """Per access dated in the period: the most severe rule that applies, the first in the
    table among equals; none when no rule applies."""
    found: Counter[tuple[str, str, Any, Any]] = Counter()
    for access in accesses:
        day = _local_date(access["_at"], access["employee_id"])
        rules = _conf_applicable(access, assignments, params)
        if start <= day <= end and rules:
            best = max(rules, key=lambda pair: pair[1])  # max keeps the first of equals
            found[(best[0], access["employee_id"], day, access["record_id"])] += 1
    return found


@st.composite
def data_accesses(draw: st.DrawFn, index: int) -> dict[str, Any]:
    destination = draw(st.none() | st.sampled_from(DESTINATIONS))
    return {
        "type": "data_access",
        "record_id": f"A{index}",
        "employee_id": draw(st.sampled_from(sorted(ZONES))),
        "_at": draw(instants),
        "customer_id": draw(st.none() | st.sampled_from(["C1", "C2", "C3"])),
        "data_class": draw(st.sampled_from(["customer", "trade_secret", "internal"])),
        "action": draw(st.sampled_from(["view", "export", "print", "share", "email", "upload"])),
        "record_count": draw(st.sampled_from([0, 1, 499, 500, 501, 1000]) | st.integers(0, 3000)),
        "destination": destination[0] if destination else None,
        "_host": destination[1] if destination else None,
        "destination_kind": draw(
            st.sampled_from([None, "internal", "customer", "personal", "external", "competitor"])
        ),
        "approved": draw(st.booleans()),
    }


assignment_records = st.builds(
    lambda customer, employee, first, days: {
        "type": "customer_assignment",
        "customer_id": customer,
        "employee_id": employee,
        "start": (dt.date(2026, 10, 25) + dt.timedelta(days=first)).isoformat(),
        **(
            {}
            if days is None
            else {"end": (dt.date(2026, 10, 25) + dt.timedelta(days=first + days)).isoformat()}
        ),
    },
    st.sampled_from(["C1", "C2"]),
    st.sampled_from(sorted(ZONES)),
    st.integers(0, 30),
    st.none() | st.integers(0, 20),
)


def _as_input(record: dict[str, Any]) -> dict[str, Any]:
    """A generated record as the API takes it: private keys dropped, instants as text."""
    out = {k: v for k, v in record.items() if not k.startswith("_") and v is not None}
    for key, value in record.items():
        if key.startswith("_") and isinstance(value, dt.datetime):
            out[key[1:]] = _text(value)
    return out


@given(
    accesses=st.integers(1, 12).flatmap(lambda n: st.tuples(*(data_accesses(i) for i in range(n)))),
    assignments=st.lists(assignment_records, max_size=4),
    days=st.tuples(st.integers(0, 6), st.integers(8, 30)),
    competitor_domains=st.sampled_from([[], ["rival.example"], ["competitor.cn", "rival.example"]]),
    bulk_export_limit=st.sampled_from([0, 500, 1000]),
)
def test_each_access_yields_at_most_its_most_severe_finding(
    accesses: tuple[dict[str, Any], ...],
    assignments: list[dict[str, Any]],
    days: tuple[int, int],
    competitor_domains: list[str],
    bulk_export_limit: int,
) -> None:
    """On random accesses (every action, class, destination and kind, with and without
    approval, customers with and without assignments, two timezones) the engine reports each
    access at most once, with the most severe rule that applies (ties: file order), exactly as
    the oracle does."""
    params = {"competitor_domains": competitor_domains, "bulk_export_limit": bulk_export_limit}
    start = NOV + dt.timedelta(days=days[0])
    end = start + dt.timedelta(days=days[1])
    records = [*EMPLOYEES, *assignments, *(_as_input(a) for a in accesses)]
    result = POLICY.with_params(**params).check(records, start, end)
    assert result.counts.rejected == 0, result.rejects.to_dicts()
    found = _found(result, (rule for rule, _ in CONF_ORDER), "record_id")
    assert all(count == 1 for count in Counter(key[3] for key in found.elements()).values())
    assert found == conf_oracle(list(accesses), assignments, start, end, params)


def test_a_bulk_export_cites_the_clause_of_the_data_it_exports() -> None:
    """CONF-BULK-EXPORT is of every class of data: an unapproved export of 600 records of
    internal company data or of trade secrets (with no destination, a download) is no
    customer information (4.1) only; it cites 8.2, the company's secrets and interests, too."""
    access = {"type": "data_access", **VALID["data_access"], "action": "export"}
    del access["destination"], access["destination_kind"], access["customer_id"]
    records = [
        {**access, "record_id": f"A{n}", "data_class": data_class, "record_count": 600}
        for n, data_class in enumerate(("customer", "internal", "trade_secret"))
    ]
    result = POLICY.check(records, NOV, dt.date(2026, 11, 30))
    assert [(f.rule_id, f.clauses) for f in result] == [("CONF-BULK-EXPORT", ("4.1", "8.2"))] * 3


def test_every_combination_of_access_fields_gets_the_oracles_finding() -> None:
    """Every combination of class, action, destination kind, approval, size (at and above the
    limit), destination (none, the competitor's domain, a subdomain, a look-alike) and
    customer (assigned, someone else's, nobody's) yields the oracle's finding: the most
    severe rule that applies, or none."""
    params = {"competitor_domains": ["rival.example"], "bulk_export_limit": 500}
    destinations = [None, *(d for d in DESTINATIONS if "rival" in d[1])]
    combinations = itertools.product(
        ["customer", "trade_secret", "internal"],
        ["view", "export", "print", "share", "email", "upload"],
        [None, "internal", "customer", "personal", "external", "competitor"],
        [False, True],
        [500, 501],
        destinations,
        ["C1", "C2", "C3"],
    )
    at = dt.datetime(2026, 11, 2, 2, tzinfo=dt.UTC)
    accesses = [
        {
            "type": "data_access",
            "record_id": f"A{index}",
            "employee_id": "E1",
            "_at": at,
            "customer_id": customer,
            "data_class": data_class,
            "action": action,
            "record_count": count,
            "destination": destination[0] if destination else None,
            "_host": destination[1] if destination else None,
            "destination_kind": kind,
            "approved": approved,
        }
        for index, (data_class, action, kind, approved, count, destination, customer) in (
            enumerate(combinations)
        )
    ]
    assignments = [
        {"type": "customer_assignment", "customer_id": "C1", "employee_id": "E1",
         "start": "2026-11-01"},
        {"type": "customer_assignment", "customer_id": "C2", "employee_id": "E2",
         "start": "2026-11-01"},
    ]  # fmt: skip
    records = [*assignments, *(_as_input(a) for a in accesses)]
    result = POLICY.with_params(**params).check(records, NOV, dt.date(2026, 11, 30))
    assert result.counts.rejected == 0
    found = _found(result, (rule for rule, _ in CONF_ORDER), "record_id")
    expected = conf_oracle(accesses, assignments, NOV, dt.date(2026, 11, 30), params)
    assert found == expected
    assert {key[0] for key in expected} == {rule for rule, _ in CONF_ORDER}


# --------------------------------------------------------------------------- windows

#: The days off and adjusted working days (调休) of the State Council's 2026 notice in the
#: months the tests below use, written out here: Mid-Autumn (Friday Sep 25) and the National
#: Day week (Oct 1-7), with Sunday Sep 20 and Saturday Oct 10 worked.  November and December
#: 2026 have none.
DAYS_OFF_2026 = {dt.date(2026, 9, 25), *(dt.date(2026, 10, day) for day in range(1, 8))}
DAYS_WORKED_2026 = {dt.date(2026, 9, 20), dt.date(2026, 10, 10)}


def _is_workday(day: dt.date) -> bool:
    """Handbook 1.2: Monday to Friday, less the statutory days off, plus the days worked."""
    if day in DAYS_WORKED_2026:
        return True
    return day.weekday() < 5 and day not in DAYS_OFF_2026


def _nth_workday(day: dt.date, n: int) -> dt.date:
    """The n-th working day after ``day`` (n > 0) or before it (n < 0); ``day`` for 0."""
    step = dt.timedelta(days=1 if n > 0 else -1)
    for _ in range(abs(n)):
        day += step
        while not _is_workday(day):
            day += step
    return day


def _window_days(day: dt.date, n: int, working: bool) -> dt.date:
    return _nth_workday(day, n) if working else day + dt.timedelta(days=n)


def _day_start(day: dt.date, employee: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=ZoneInfo(ZONES[employee])).astimezone(dt.UTC)


def _working_due(received: dt.datetime, hours: int, employee: str) -> dt.datetime:
    """``hours`` of working days from ``received``, walked a local day at a time: the time of
    a working day counts round the clock, a day off not at all; the earliest instant."""
    left, at = dt.timedelta(hours=hours), received
    while True:
        day = _local_date(at, employee)
        next_day = _day_start(day + dt.timedelta(days=1), employee)
        if _is_workday(day):
            if left <= next_day - at:
                return at + left
            left -= next_day - at
        at = next_day


def window_oracle(
    records: dict[str, list[dict[str, Any]]],
    start: dt.date,
    end: dt.date,
    params: dict[str, Any],
    left_on: dict[str, dt.date],
) -> tuple[Counter[tuple[str, str, Any, Any]], dict[str, int]]:
    """Findings and pending counts of CRM-NO-FOLLOW-UP, CRM-SLOW-RESPONSE and CRM-PLAN-MISSED.

    A contract signed (local date) in the period needs a contact from its employee with its
    customer, or a visit of theirs to it, at or after signing, dated no later than the
    follow_up_days-th working day after the signing date; an inquiry received in the period
    needs an answer within response_hours of working days; a visit planned in the period needs
    a visit (or a contact by visit) from plan_tolerance_days working days before the planned
    date to as many after it.  Without working_days_only every day and hour counts.  Only what
    happened by the end of the period counts.  Met: nothing.  Not met and the window closed by
    the end of the period: a finding.  Not met and still open: pending.  With
    duties_end_at_leaving, a duty due (the follow-up's last date, the answer's local date, the
    planned date) after its employee's ``left_on`` is neither."""
    working = params["working_days_only"]

    def owed(employee: str, due: dt.date) -> bool:
        left = left_on.get(employee)
        return not params["duties_end_at_leaving"] or left is None or due <= left

    found: Counter[tuple[str, str, Any, Any]] = Counter()
    pending = {"CRM-NO-FOLLOW-UP": 0, "CRM-SLOW-RESPONSE": 0, "CRM-PLAN-MISSED": 0}
    touches = [(c["employee_id"], c["customer_id"], c["_at"]) for c in records["contacts"]] + [
        (v["employee_id"], v["customer_id"], v["_start"]) for v in records["visits"]
    ]
    for contract in records["contracts"]:
        employee, signed = contract["employee_id"], contract["_signed_at"]
        day = _local_date(signed, employee)
        if not start <= day <= end:
            continue
        due = _window_days(day, params["follow_up_days"], working)
        if not owed(employee, due):
            continue
        met = any(
            (e, c) == (employee, contract["customer_id"])
            and at >= signed
            and _local_date(at, employee) <= min(due, end)
            for e, c, at in touches
        )
        if met:
            continue
        if due <= end:
            found[("CRM-NO-FOLLOW-UP", employee, day, contract["contract_id"])] += 1
        else:
            pending["CRM-NO-FOLLOW-UP"] += 1
    for inquiry in records["inquiries"]:
        employee, received = inquiry["employee_id"], inquiry["_received_at"]
        day = _local_date(received, employee)
        if not start <= day <= end:
            continue
        hours = params["response_hours"]
        due_at = (
            _working_due(received, hours, employee)
            if working
            else received + dt.timedelta(hours=hours)
        )
        if not owed(employee, _local_date(due_at, employee)):
            continue
        answered = inquiry.get("_responded_at")
        if answered is not None and answered <= due_at and _local_date(answered, employee) <= end:
            continue
        if _local_date(due_at, employee) <= end:
            found[("CRM-SLOW-RESPONSE", employee, day, inquiry["record_id"])] += 1
        else:
            pending["CRM-SLOW-RESPONSE"] += 1
    visits = [(v["employee_id"], v["customer_id"], v["_start"]) for v in records["visits"]] + [
        (c["employee_id"], c["customer_id"], c["_at"])
        for c in records["contacts"]
        if c["channel"] == "visit"
    ]
    for plan in records["plans"]:
        employee, day = plan["employee_id"], plan["planned_date"]
        if not start <= day <= end or not owed(employee, day):
            continue
        tolerance = params["plan_tolerance_days"]
        opens = _window_days(day, -tolerance, working)
        closes = _window_days(day, tolerance, working)
        met = any(
            (e, c) == (employee, plan["customer_id"])
            and opens <= _local_date(at, employee) <= min(closes, end)
            for e, c, at in visits
        )
        if met:
            continue
        if closes <= end:
            found[("CRM-PLAN-MISSED", employee, day, plan["record_id"])] += 1
        else:
            pending["CRM-PLAN-MISSED"] += 1
    return found, pending


HALF_HOURS = st.integers(0, 47).map(lambda n: n * 30)


@st.composite
def window_logs(draw: st.DrawFn) -> dict[str, Any]:
    """Contracts, contacts, visits, inquiries and plans crowded around the end of the period,
    so that many windows are still open when it ends and many close just before it; periods
    end in November, or around the National Day week, its days off and the Saturday worked."""
    hours = draw(st.sampled_from([1, 24, 48]))
    follow_up_days = draw(st.sampled_from([0, 1, 5, 7]))
    tolerance = draw(st.sampled_from([0, 1, 2]))
    first_end = draw(st.sampled_from([dt.date(2026, 9, 28), dt.date(2026, 11, 20)]))
    end = first_end + dt.timedelta(days=draw(st.integers(0, 20)))
    start = end - dt.timedelta(days=draw(st.integers(0, 25)))
    boundary = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    near_end = st.integers(-10 * 24 * 60, 3 * 24 * 60).map(
        lambda minutes: boundary + dt.timedelta(minutes=minutes)
    )
    customers = st.sampled_from(["C1", "C2"])
    employees = st.sampled_from(sorted(ZONES))
    contracts = [
        {
            "type": "contract",
            "contract_id": f"K{i}",
            "employee_id": draw(employees),
            "customer_id": draw(customers),
            "_signed_at": draw(near_end),
            "amount": "100",
        }
        for i in range(draw(st.integers(1, 5)))
    ]
    plans = [
        {
            "type": "visit_plan",
            "record_id": f"P{i}",
            "employee_id": draw(employees),
            "customer_id": draw(customers),
            "planned_date": end + dt.timedelta(days=draw(st.integers(-9, 2))),
        }
        for i in range(draw(st.integers(0, 4)))
    ]

    def near_an_event() -> tuple[str, str, dt.datetime]:
        """An employee, customer and instant: often close to a signing or a planned date,
        to hit the windows' edges."""
        choice = draw(st.sampled_from(["any", "contract", "plan"]))
        if choice == "contract":
            near = draw(st.sampled_from(contracts))
            at = near["_signed_at"] + dt.timedelta(minutes=draw(st.integers(-60, 12 * 24 * 60)))
            return near["employee_id"], near["customer_id"], at
        if choice == "plan" and plans:
            plan = draw(st.sampled_from(plans))
            day = plan["planned_date"] + dt.timedelta(days=draw(st.integers(-5, 5)))
            at = _day_start(day, plan["employee_id"]) + dt.timedelta(minutes=draw(HALF_HOURS))
            return plan["employee_id"], plan["customer_id"], at
        return draw(employees), draw(customers), draw(near_end)

    contacts = []
    for i in range(draw(st.integers(0, 8))):
        employee, customer, at = near_an_event()
        contacts.append(
            {
                "type": "customer_contact",
                "record_id": f"T{i}",
                "employee_id": employee,
                "customer_id": customer,
                "_at": at,
                "channel": draw(st.sampled_from(["phone", "visit"])),
                "purpose": "after_sales",
            }
        )
    visits = []
    for _ in range(draw(st.integers(0, 5))):
        employee, customer, at = near_an_event()
        visits.append(
            {
                "type": "customer_visit",
                "employee_id": employee,
                "customer_id": customer,
                "_start": at,
                "_end": at + dt.timedelta(hours=1),
            }
        )
    inquiries = []
    for i in range(draw(st.integers(1, 6))):
        received = draw(near_end)
        due = hours * 3600
        edges = st.sampled_from([due - 1, due, due + 1])  # seconds: just in time, or just late
        delay = draw(st.none() | edges | edges | st.integers(-300, 6 * 24 * 3600))
        inquiries.append(
            {
                "type": "customer_inquiry",
                "record_id": f"Q{i}",
                "customer_id": draw(customers),
                "employee_id": draw(employees),
                "_received_at": received,
                "_responded_at": None if delay is None else received + dt.timedelta(seconds=delay),
            }
        )
    # E2 (with an employee record) may leave around the end of the period
    leaving = st.integers(-12, 3).map(lambda days: end + dt.timedelta(days=days))
    left_on = draw(st.none() | leaving)
    return {
        "params": {
            "response_hours": hours,
            "follow_up_days": follow_up_days,
            "plan_tolerance_days": tolerance,
            "working_days_only": draw(st.booleans()),
            "duties_end_at_leaving": draw(st.booleans()),
        },
        "left_on": {} if left_on is None else {"E2": left_on},
        "records": {
            "contracts": contracts,
            "contacts": contacts,
            "visits": visits,
            "inquiries": inquiries,
            "plans": plans,
        },
        "start": start,
        "end": end,
    }


WINDOW_RULES = {
    "CRM-NO-FOLLOW-UP": "contract_id",
    "CRM-SLOW-RESPONSE": "record_id",
    "CRM-PLAN-MISSED": "record_id",
}


@given(log=window_logs())
def test_open_windows_are_pending_and_closed_ones_judged(log: dict[str, Any]) -> None:
    """With periods ending inside follow-up, response and plan windows, counted over working
    days or every day, the engine's findings and ``result.pending`` counts of
    CRM-NO-FOLLOW-UP, CRM-SLOW-RESPONSE and CRM-PLAN-MISSED equal the oracle's: a window met
    is nothing, closed and not met is a finding, open and not met is pending; of an employee
    who left, with duties_end_at_leaving, a duty due after leaving is neither."""
    generated = [record for kind in log["records"].values() for record in kind]
    plans = [{**p, "planned_date": p["planned_date"].isoformat()} for p in log["records"]["plans"]]
    others = [r for r in generated if r["type"] != "visit_plan"]
    left_on = {who: day.isoformat() for who, day in log["left_on"].items()}
    staff = [
        {**e, "left_on": left_on[e["employee_id"]]} if e["employee_id"] in left_on else e
        for e in EMPLOYEES
    ]
    records = [*staff, *(_as_input(r) for r in others), *plans]
    result = POLICY.with_params(**log["params"]).check(records, log["start"], log["end"])
    assert result.counts.rejected == 0, result.rejects.to_dicts()
    found: Counter[tuple[str, str, Any, Any]] = Counter()
    for rule, key in WINDOW_RULES.items():
        found += _found(result, [rule], key)
    expected, pending = window_oracle(
        log["records"], log["start"], log["end"], log["params"], log["left_on"]
    )
    assert found == expected
    assert {rule: result.pending[rule] for rule in pending} == pending


# --------------------------------------------------------------------------- examples

CONTRACT = {
    "type": "contract",
    "contract_id": "K1",
    "employee_id": "E1",
    "customer_id": "C1",
    "signed_at": "2026-11-28T10:00:00+08:00",
    "amount": "10",
}


def test_a_later_run_decides_what_an_earlier_one_left_pending() -> None:
    """A contract signed Nov 28 is pending in November; judged over Nov 28 to Dec 5 it is a
    finding, and a contact on Dec 3 makes it compliant in that run."""
    contact = {**VALID["customer_contact"], "at": "2026-12-03T10:00:00+08:00"}
    november = POLICY.check([CONTRACT], NOV, dt.date(2026, 11, 30))
    assert november.pending["CRM-NO-FOLLOW-UP"] == 1
    assert not [f for f in november if f.rule_id == "CRM-NO-FOLLOW-UP"]
    later = POLICY.check([CONTRACT], dt.date(2026, 11, 28), dt.date(2026, 12, 5))
    assert later.pending["CRM-NO-FOLLOW-UP"] == 0
    assert [f.evidence["contract_id"] for f in later if f.rule_id == "CRM-NO-FOLLOW-UP"] == ["K1"]
    met = POLICY.check(
        [CONTRACT, {"type": "customer_contact", **contact}],
        dt.date(2026, 11, 28),
        dt.date(2026, 12, 5),
    )
    assert not [f for f in met if f.rule_id == "CRM-NO-FOLLOW-UP"]


def test_records_after_the_period_do_not_change_it() -> None:
    """A period is judged as of its end: a follow-up contact dated after it leaves the
    contract pending, and an answer after it does not close an open inquiry."""
    contact = {"type": "customer_contact", **VALID["customer_contact"]}
    contact["at"] = "2026-12-01T09:00:00+08:00"
    inquiry = {
        "type": "customer_inquiry",
        **VALID["customer_inquiry"],
        "received_at": "2026-11-30T20:00:00+08:00",
        "responded_at": "2026-12-01T08:00:00+08:00",
    }
    before = POLICY.check([CONTRACT, inquiry], NOV, dt.date(2026, 11, 30))
    after = POLICY.check([CONTRACT, inquiry, contact], NOV, dt.date(2026, 11, 30))
    for result in (before, after):
        assert result.pending["CRM-NO-FOLLOW-UP"] == 1
        assert result.pending["CRM-SLOW-RESPONSE"] == 1
    assert before.frame.equals(after.frame)


def test_plans_and_months_left_open_are_counted_as_pending() -> None:
    """A planned visit whose tolerance runs past the period, and a month not over with no
    report yet, are pending; a month with a report is not pending."""
    plan = {"type": "visit_plan", **VALID["visit_plan"], "planned_date": "2026-11-15"}
    alice = {"type": "employee", "employee_id": "E1", "name": "Alice"}
    bob = {"type": "employee", "employee_id": "E3", "name": "Bob"}
    report = {"type": "market_report", **VALID["market_report"], "employee_id": "E3"}
    report["submitted_at"] = "2026-11-03T10:00:00+08:00"
    result = POLICY.check([plan, alice, bob, report], NOV, dt.date(2026, 11, 15))
    assert result.pending["CRM-PLAN-MISSED"] == 1
    assert result.pending["CRM-NO-MARKET-REPORT"] == 1
    assert not [f for f in result if f.rule_id in ("CRM-PLAN-MISSED", "CRM-NO-MARKET-REPORT")]


def test_merged_assignments_count_from_the_first() -> None:
    """Assignments that meet (one ends Jun 30, the next starts Jul 1) are one run: a buying
    customer not contacted since the first began is not revisited for all of it."""
    records = [
        {"type": "customer_assignment", "customer_id": "C1", "employee_id": "E1",
         "start": "2026-05-01", "end": "2026-06-30"},
        {"type": "customer_assignment", "customer_id": "C1", "employee_id": "E1",
         "start": "2026-07-01"},
        {**VALID["order"], "type": "order", "booked_at": "2026-05-02T10:00:00+08:00"},
    ]  # fmt: skip
    result = POLICY.check(records, NOV, dt.date(2026, 11, 30))
    (finding,) = [f for f in result if f.rule_id == "CRM-NO-REVISIT"]
    assert finding.evidence["assigned_since"] == "2026-05-01"
    assert finding.evidence["days_without_contact"] == 213


def test_the_state_rules_judge_only_employees_employed_at_the_periods_end() -> None:
    """CRM-NO-REVISIT and CRM-PROFILE-INCOMPLETE look at the period's end: an employee who
    left before it (E1, on September 30; E3, on November 29) holds no customer and keeps no
    file then, though the assignment was left open; one on the payroll to the last day (E4,
    left November 30) is judged.  A hire's days without contact count from the hire date
    (E2, hired August 1 on an assignment recorded from January 1: 121 days, not 333).  And
    E1, employed on no day of November, has no score for it (no finding brings them back)."""

    def staff(employee: str, customer: str, **dates: str) -> list[dict[str, Any]]:
        return [
            {"type": "employee", "employee_id": employee, "name": employee, **dates},
            {"type": "customer_assignment", "customer_id": customer, "employee_id": employee,
             "start": "2026-01-01"},
            {"type": "customer_profile", "customer_id": customer, "employee_id": employee,
             "updated_at": "2026-03-02T10:00:00+08:00", "name": "Acme Ltd"},
            {**VALID["order"], "type": "order", "order_id": f"O{customer}",
             "employee_id": employee, "customer_id": customer,
             "booked_at": "2026-03-02T10:00:00+08:00"},
        ]  # fmt: skip

    records = [
        *staff("E1", "C1", left_on="2026-09-30"),
        *staff("E2", "C2", hired_on="2026-08-01"),
        *staff("E3", "C3", left_on="2026-11-29"),
        *staff("E4", "C4", left_on="2026-11-30"),
    ]
    result = POLICY.check(records, NOV, dt.date(2026, 11, 30))
    revisits = {
        f.employee_id: f.evidence["days_without_contact"]
        for f in result
        if f.rule_id == "CRM-NO-REVISIT"
    }
    assert revisits == {"E2": 121, "E4": 333}
    files = sorted(f.employee_id for f in result if f.rule_id == "CRM-PROFILE-INCOMPLETE")
    assert files == ["E2", "E4"]
    scored = sales_policy.score(POLICY, records, "2026-11")
    assert "E1" not in scored.frame.get_column("employee_id").to_list()


def test_duties_due_after_leaving_are_neither_findings_nor_pending() -> None:
    """duties_end_at_leaving (docs/assumptions.md): E1 left on Friday Nov 6.  Due after it:
    the answer to Q1 (received Nov 10 09:00, due Nov 11 09:00), the visit planned for Nov 10
    and the follow-up of K1 (signed Nov 5, due Nov 12); due on it, the answer to Q0 (received
    Nov 5 10:00, due Nov 6 10:00).  A run to Nov 10, while the windows of the three are open,
    counts none of them pending; the month's run reports Q0 alone.  With the parameter false,
    the month's run judges all four, as a run to Nov 10 counts the three pending."""
    records = [
        {"type": "employee", "employee_id": "E1", "name": "E1", "left_on": "2026-11-06"},
        {**VALID["customer_inquiry"], "type": "customer_inquiry", "record_id": "Q0",
         "received_at": "2026-11-05T10:00:00+08:00", "responded_at": None},
        {**VALID["customer_inquiry"], "type": "customer_inquiry", "record_id": "Q1",
         "received_at": "2026-11-10T09:00:00+08:00", "responded_at": None},
        {**VALID["visit_plan"], "type": "visit_plan", "record_id": "P1",
         "planned_date": "2026-11-10"},
        {**CONTRACT, "signed_at": "2026-11-05T10:00:00+08:00"},
    ]  # fmt: skip
    rules = ("CRM-SLOW-RESPONSE", "CRM-PLAN-MISSED", "CRM-NO-FOLLOW-UP")

    def judged(policy: Any, end: dt.date) -> tuple[list[tuple[str, Any]], list[int]]:
        result = policy.check(records, NOV, end)
        found = sorted(
            (f.rule_id, f.evidence.get("record_id") or f.evidence.get("contract_id"))
            for f in result
            if f.rule_id in rules
        )
        return found, [result.pending[rule] for rule in rules]

    assert judged(POLICY, dt.date(2026, 11, 10)) == ([("CRM-SLOW-RESPONSE", "Q0")], [0, 0, 0])
    assert judged(POLICY, dt.date(2026, 11, 30)) == ([("CRM-SLOW-RESPONSE", "Q0")], [0, 0, 0])
    before = POLICY.with_params(duties_end_at_leaving=False)
    assert judged(before, dt.date(2026, 11, 10)) == ([("CRM-SLOW-RESPONSE", "Q0")], [1, 1, 1])
    assert judged(before, dt.date(2026, 11, 30)) == (
        [
            ("CRM-NO-FOLLOW-UP", "K1"),
            ("CRM-PLAN-MISSED", "P1"),
            ("CRM-SLOW-RESPONSE", "Q0"),
            ("CRM-SLOW-RESPONSE", "Q1"),
        ],
        [0, 0, 0],
    )


def test_a_value_not_given_reads_as_such_in_the_messages() -> None:
    """``{name|text}``: a trade secret shared with no destination given, and an inquiry never
    answered, say so in both languages rather than leave a blank."""
    access = {
        "type": "data_access",
        **VALID["data_access"],
        "data_class": "trade_secret",
        "action": "share",
        "destination": None,
    }
    [leak] = [
        f
        for f in POLICY.check([access], NOV, dt.date(2026, 11, 30))
        if f.rule_id == "CONF-SECRET-LEAK"
    ]
    assert leak.message.en == (
        "trade secret sent outside the company by share (external: no destination given)"
    )
    assert leak.message.zh == "商业秘密发往公司外部（方式：共享；去向类别：外部；去向：未注明）"
    given = {**access, "destination": "x@partner.example"}
    [leak] = [
        f
        for f in POLICY.check([given], NOV, dt.date(2026, 11, 30))
        if f.rule_id == "CONF-SECRET-LEAK"
    ]
    assert leak.message.en.endswith("(external: x@partner.example)")


def test_a_customer_never_contacted_reads_so_in_the_messages() -> None:
    """CRM-NO-REVISIT: a customer never contacted is "last contact: never", not "last never";
    one contacted shows the date.  Assigned Jun 1 and never contacted, Nov 30 is 182 days on;
    contacted Aug 1, 121 days."""
    assignment = {"type": "customer_assignment", "customer_id": "C1", "employee_id": "E1",
                  "start": "2026-06-01"}  # fmt: skip
    order = {**VALID["order"], "type": "order", "booked_at": "2026-05-02T10:00:00+08:00"}
    [never] = [
        f
        for f in POLICY.check([assignment, order], NOV, dt.date(2026, 11, 30))
        if f.rule_id == "CRM-NO-REVISIT"
    ]
    assert never.message.en == (
        "no contact with assigned customer C1 (days without contact: 182; last contact: never)"
    )
    assert never.message.zh == "负责的客户 C1 已 182 天未联系（上次联系：从未联系）"
    contact = {**VALID["customer_contact"], "type": "customer_contact",
               "at": "2026-08-01T10:00:00+08:00"}  # fmt: skip
    [once] = [
        f
        for f in POLICY.check([assignment, order, contact], NOV, dt.date(2026, 11, 30))
        if f.rule_id == "CRM-NO-REVISIT"
    ]
    assert once.message.en == (
        "no contact with assigned customer C1 (days without contact: 121; last contact: 2026-08-01)"
    )


# --------------------------------------------------------------------------- working days

SEP_OCT = (dt.date(2026, 9, 1), dt.date(2026, 10, 31))


def _inquiry(received: str, responded: str | None = None, record_id: str = "Q1") -> dict[str, Any]:
    inquiry = {**VALID["customer_inquiry"], "type": "customer_inquiry", "record_id": record_id}
    inquiry["received_at"] = received
    if responded is None:
        del inquiry["responded_at"]
    else:
        inquiry["responded_at"] = responded
    return inquiry


def _rows(result: Any, table: str, key: str) -> dict[str, dict[str, Any]]:
    return {row[key]: row for row in result.facts[table].to_dicts()}


def _local(row: dict[str, Any], column: str) -> str | None:
    value = row[column]
    return None if value is None else value.astimezone(ZoneInfo(ZONES["E1"])).isoformat()


#: the policy counting the windows in working days (working_days_only), five for a follow-up
WORKING = POLICY.with_params(working_days_only=True, follow_up_days=5)


def test_answer_hours_count_the_time_of_working_days() -> None:
    """response_hours counts the hours of working days, round the clock, with
    working_days_only: rest days and statutory holidays are skipped, adjusted working days
    count.

    - Friday Nov 6 17:30: 6.5 h on Friday, then Monday from 00:00: due Monday 17:30.  The
      answer on Monday at 09:00 took 6.5 + 9 = 15.5 h of working time, 930 minutes.
    - Wednesday Sep 30 17:30, before the National Day week (Oct 1-7 off): due Thursday Oct 8
      at 17:30; answered Oct 8 at 09:00, also 930 minutes.
    - Saturday Nov 7: the clock starts on Monday at 00:00 and runs out at its end; an answer
      on Monday at 23:59 took 23 h 59 min of working time.
    - Friday Oct 9 18:00: Saturday Oct 10 is a working day (调休), so 6 h on Friday and 18 on
      Saturday: due Saturday 18:00, and Monday Oct 12 09:00 is late, 6 + 24 + 9 = 39 h of
      working time, 2340 minutes."""
    records = [
        _inquiry("2026-11-06T17:30:00+08:00", "2026-11-09T09:00:00+08:00", "Q1"),
        _inquiry("2026-09-30T17:30:00+08:00", "2026-10-08T09:00:00+08:00", "Q2"),
        _inquiry("2026-11-07T10:00:00+08:00", "2026-11-09T23:59:00+08:00", "Q3"),
        _inquiry("2026-10-09T18:00:00+08:00", "2026-10-12T09:00:00+08:00", "Q4"),
    ]
    result = WORKING.check(records, SEP_OCT[0], dt.date(2026, 11, 30))
    rows = _rows(result, "inquiry_response", "record_id")
    assert {q: (_local(r, "due_at"), r["response_minutes"]) for q, r in rows.items()} == {
        "Q1": ("2026-11-09T17:30:00+08:00", 930),
        "Q2": ("2026-10-08T17:30:00+08:00", 930),
        "Q3": ("2026-11-10T00:00:00+08:00", 23 * 60 + 59),  # all of it on Monday
        "Q4": ("2026-10-10T18:00:00+08:00", 2340),
    }
    [late] = [f for f in result if f.rule_id == "CRM-SLOW-RESPONSE"]
    assert (late.date, late.evidence["record_id"]) == (dt.date(2026, 10, 9), "Q4")
    assert late.evidence["due_at"] == "2026-10-10T18:00:00+08:00"


def test_answer_hours_count_every_hour_by_default() -> None:
    """By default (working_days_only false) every hour counts: Friday 17:30 is due Saturday
    17:30, and Monday 09:00 is 63.5 h later (3810 minutes), late."""
    records = [_inquiry("2026-11-06T17:30:00+08:00", "2026-11-09T09:00:00+08:00")]
    result = POLICY.check(records, NOV, dt.date(2026, 11, 30))
    [late] = [f for f in result if f.rule_id == "CRM-SLOW-RESPONSE"]
    assert late.evidence["due_at"] == "2026-11-07T17:30:00+08:00"
    assert late.evidence["response_minutes"] == 3810


def test_follow_up_days_count_working_days() -> None:
    """With working_days_only, follow_up_days (5) counts working days after the signing
    date: signed Wednesday Sep 30, the five are Oct 8 and 9, Saturday Oct 10 (worked, 调休),
    Oct 12 and 13; Oct 1-7 are the National Day holiday.  A contact on Oct 8, the first
    working day after it, follows up in time; one on Oct 14 is late.  Counting every day (the
    default: working_days_only false, 7 days), the window ends Oct 7 and the contact on Oct 8
    is late."""
    contract = {**CONTRACT, "signed_at": "2026-09-30T17:00:00+08:00"}

    def contact(at: str) -> dict[str, Any]:
        return {**VALID["customer_contact"], "type": "customer_contact", "at": at}

    def follow_ups(policy: Any, *records: dict[str, Any]) -> list[tuple[Any, ...]]:
        result = policy.check([contract, *records], *SEP_OCT)
        return [
            (f.date, f.evidence["contract_id"], f.evidence["due_on"])
            for f in result
            if f.rule_id == "CRM-NO-FOLLOW-UP"
        ]

    due = (dt.date(2026, 9, 30), "K1", "2026-10-13")
    assert follow_ups(WORKING) == [due]
    assert follow_ups(WORKING, contact("2026-10-08T09:30:00+08:00")) == []
    assert follow_ups(WORKING, contact("2026-10-13T23:00:00+08:00")) == []
    assert follow_ups(WORKING, contact("2026-10-14T09:00:00+08:00")) == [due]
    assert follow_ups(POLICY, contact("2026-10-08T09:30:00+08:00")) == [
        (dt.date(2026, 9, 30), "K1", "2026-10-07")
    ]


def test_windows_past_the_calendars_data_stay_open() -> None:
    """The calendar data end with 2026.  Counting working days, in a December run, a
    follow-up, an answer and a planned visit whose working days run into 2027 cannot end yet:
    they are pending, with no due date, and the run is not an error."""
    records = [
        {**CONTRACT, "signed_at": "2026-12-28T10:00:00+08:00"},
        _inquiry("2026-12-31T17:30:00+08:00"),
        {**VALID["visit_plan"], "type": "visit_plan", "planned_date": "2026-12-31"},
    ]
    result = WORKING.check(records, dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    assert not [f for f in result if f.rule_id.startswith("CRM-")]
    assert {rule: result.pending[rule] for rule in WINDOW_RULES} == dict.fromkeys(WINDOW_RULES, 1)
    assert result.facts["contract_follow_up"]["due_on"].to_list() == [None]
    assert result.facts["inquiry_response"]["due_at"].to_list() == [None]
    assert result.facts["planned_visit"]["window_end"].to_list() == [None]


def test_a_visit_after_signing_is_a_follow_up() -> None:
    """A visit by the employee to the customer after signing follows up (3.5, 7.2), as it is a
    contact for CRM-NO-REVISIT (7.3, 7.4); the fact names the visit.  A visit that began before
    the signing (the meeting the contract was signed at) or a colleague's is no follow-up."""
    contract = {**CONTRACT, "signed_at": "2026-11-02T17:00:00+08:00"}

    def visit(start: str, end: str, employee: str = "E1") -> dict[str, Any]:
        return {**VALID["customer_visit"], "type": "customer_visit", "employee_id": employee,
                "start": start, "end": end}  # fmt: skip

    after = visit("2026-11-03T10:00:00+08:00", "2026-11-03T11:00:00+08:00")
    result = POLICY.check([contract, after], NOV, dt.date(2026, 11, 30))
    assert not [f for f in result if f.rule_id == "CRM-NO-FOLLOW-UP"]
    [row] = result.facts["contract_follow_up"].to_dicts()
    assert _local(row, "followed_up_at") == "2026-11-03T10:00:00+08:00"
    assert row["contact_ref"] == 2  # the visit, the second record
    during = visit("2026-11-02T16:00:00+08:00", "2026-11-02T18:00:00+08:00")
    colleague = visit("2026-11-03T10:00:00+08:00", "2026-11-03T11:00:00+08:00", "E2")
    result = POLICY.check([contract, during, colleague], NOV, dt.date(2026, 11, 30))
    [finding] = [f for f in result if f.rule_id == "CRM-NO-FOLLOW-UP"]
    assert finding.message.en == "no contact with customer C1 after contract K1 until 2026-11-09"


def test_a_plan_is_kept_on_the_next_working_day() -> None:
    """With working_days_only, plan_tolerance_days (1) counts working days: a visit planned
    for Friday Nov 13 and made on Monday Nov 16 keeps the plan (window_end Nov 16), though it
    is three days later; counting every day (the default) it ends Saturday Nov 14 and the plan
    is missed."""
    plan = {**VALID["visit_plan"], "type": "visit_plan", "planned_date": "2026-11-13"}
    monday = {**VALID["customer_visit"], "type": "customer_visit",
              "start": "2026-11-16T10:00:00+08:00", "end": "2026-11-16T11:00:00+08:00"}  # fmt: skip
    result = WORKING.check([plan, monday], NOV, dt.date(2026, 11, 30))
    assert not [f for f in result if f.rule_id == "CRM-PLAN-MISSED"]
    [row] = result.facts["planned_visit"].to_dicts()
    assert (row["window_end"], row["visited_on"]) == (dt.date(2026, 11, 16), dt.date(2026, 11, 16))
    [missed] = [
        f
        for f in POLICY.check([plan, monday], NOV, dt.date(2026, 11, 30))
        if f.rule_id == "CRM-PLAN-MISSED"
    ]
    assert missed.evidence["window_end"] == "2026-11-14"


def test_a_contact_in_person_keeps_a_planned_visit() -> None:
    """A customer_contact by visit keeps a plan as a customer_visit does, and the fact names
    it; one by phone does not."""
    plan = {**VALID["visit_plan"], "type": "visit_plan", "planned_date": "2026-11-13"}

    def contact(channel: str) -> dict[str, Any]:
        return {**VALID["customer_contact"], "type": "customer_contact", "channel": channel,
                "at": "2026-11-13T15:00:00+08:00"}  # fmt: skip

    in_person = POLICY.check([plan, contact("visit")], NOV, dt.date(2026, 11, 30))
    assert not [f for f in in_person if f.rule_id == "CRM-PLAN-MISSED"]
    assert in_person.facts["planned_visit"]["visit_ref"].to_list() == [2]
    by_phone = POLICY.check([plan, contact("phone")], NOV, dt.date(2026, 11, 30))
    assert [f.evidence["record_id"] for f in by_phone if f.rule_id == "CRM-PLAN-MISSED"] == ["P1"]
