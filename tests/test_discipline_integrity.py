"""The discipline and integrity rule sets: their inputs, facts, month counting and windows.

The worked examples of every rule are in rules/samples/{discipline,integrity}.yaml (run by
tests/test_samples.py).  Here: malformed records of the types these rule sets read are
rejected with field and reason; the fact tables have their declared columns and types, with
and without records; DIS-REPEATED-LATE counts per calendar month; INT-GIFT's handling of other
currencies; and INT-SALES-REVERSAL's windows against a plain-Python oracle written from the
rule's definition, with hypothesis-generated orders and periods.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import sales_policy
from sales_policy.facts import FACT_TABLES, FactContext, FactTable
from sales_policy.facts import discipline as discipline_facts
from sales_policy.facts import integrity as integrity_facts
from sales_policy.tables import build_tables

POLICY = sales_policy.load_policy()
NOVEMBER = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))

VALID: dict[str, dict[str, Any]] = {
    "outside_work": {
        "record_id": "W1",
        "employee_id": "E1",
        "organisation": "Acme Trading",
        "role": "sales agent",
        "start": "2026-10-01",
        "status": "undeclared",
    },
    "conduct_incident": {
        "record_id": "C1",
        "employee_id": "E1",
        "at": "2026-11-03T15:00:00+08:00",
        "category": "speech",
        "description": "rude to a customer",
        "reported_by": "M1",
        "substantiated": True,
    },
    "quote": {
        "record_id": "Q1",
        "employee_id": "E1",
        "customer_id": "K1",
        "at": "2026-11-10T11:00:00+08:00",
        "discount_pct": 20,
        "max_discount_pct": 15,
        "delivery_days": 3,
        "standard_delivery_days": 7,
    },
    "complaint": {
        "record_id": "K1",
        "customer_id": "C1",
        "employee_id": "E1",
        "at": "2026-11-12T16:00:00+08:00",
        "category": "misleading",
        "substantiated": True,
    },
    "order": {
        "order_id": "O1",
        "employee_id": "E1",
        "customer_id": "C1",
        "booked_at": "2026-11-28T10:00:00+08:00",
        "amount": "8000.50",
        "status": "cancelled",
        "reversed_at": "2026-11-29T10:00:00+08:00",
    },
    "gift": {
        "record_id": "G1",
        "employee_id": "E1",
        "counterparty": "Supplier Ltd",
        "direction": "received",
        "value": "500",
        "at": "2026-11-20T12:00:00+08:00",
        "approved": False,
    },
}

BAD_VALUES = [
    ("outside_work", "start", "2026-13-01", "is not a date"),
    ("outside_work", "status", "secret", "is not one of: approved, pending, rejected, undeclared"),
    ("outside_work", "end", "2026-09-30", "end is before start"),
    ("outside_work", "organisation", None, "missing value"),
    ("conduct_incident", "at", "yesterday", "is not a date-time"),
    ("conduct_incident", "category", "hat", "is not one of: dress, speech, manner, other"),
    ("conduct_incident", "substantiated", "perhaps", "is not true or false"),
    ("quote", "discount_pct", "ten", "is not a number"),
    ("quote", "discount_pct", "nan", "'nan' is not a number (a finite decimal"),
    ("quote", "max_discount_pct", "inf", "'inf' is not a number"),
    ("quote", "discount_pct", float("nan"), "'nan' is not a number"),
    ("quote", "discount_pct", "-1", "'-1' is below 0"),
    ("quote", "delivery_days", "3.5", "is not a whole number"),
    ("quote", "delivery_days", "-3", "'-3' is below 0"),
    ("quote", "standard_warranty_months", -1, "'-1' is below 0"),
    ("quote", "customer_id", None, "missing value"),
    ("complaint", "category", "rude", "is not one of"),
    ("complaint", "substantiated", "2", "is not true or false"),
    ("order", "amount", "-5", "is not an amount"),
    ("order", "amount", "1.23456", "is not an amount"),
    ("order", "currency", "usd", "'usd'"),
    ("order", "status", "void", "is not one of: booked, cancelled, refunded"),
    ("order", "reversed_at", "2026-11-31T10:00:00", "is not a date-time"),
    ("gift", "direction", "lent", "is not one of: given, received"),
    ("gift", "value", "abc", "is not an amount"),
    ("gift", "approved", "perhaps", "is not true or false"),
]


@pytest.mark.parametrize(
    ("record_type", "field", "value", "reason"),
    BAD_VALUES,
    ids=[f"{t}.{f}={v}" for t, f, v, _ in BAD_VALUES],
)
def test_malformed_record_is_rejected_with_field_and_reason(
    record_type: str, field: str, value: Any, reason: str
) -> None:
    """A record of a type these rule sets read with one malformed value is rejected, naming
    its type, the field and why; a valid record beside it is accepted."""
    good = {"type": record_type, **VALID[record_type]}
    key = "order_id" if record_type == "order" else "record_id"
    bad = {**good, key: "BAD", field: value}
    result = POLICY.check([good, bad], *NOVEMBER)
    assert result.counts.read == 2 and result.counts.accepted == 1
    assert result.counts.rejected == 1, result.rejects.to_dicts()
    reject = result.rejects.row(0, named=True)
    assert reject["record_type"] == record_type
    assert reject["field"] == field
    assert reason in reject["reason"], reject["reason"]
    assert reject["line"] == 2


MODULES = {"discipline": discipline_facts, "integrity": integrity_facts}
RULESET_OF = {
    "outside_work": "discipline",
    "conduct_incident": "discipline",
    "quote": "integrity",
    "complaint": "integrity",
    "order": "integrity",
    "gift": "integrity",
}


def _assert_declared(frame: pl.DataFrame, table: FactTable) -> None:
    expected = table.dtypes()
    assert dict(frame.schema) == expected, table.name


@pytest.mark.parametrize("record_type", sorted(VALID))
def test_fact_tables_have_their_declared_columns_and_types(record_type: str) -> None:
    """With one record of one type, every fact table of its rule set has exactly its declared
    columns, in order, with the polars type of each column type: one row in the table the
    record feeds, none in the others (their record tables are empty)."""
    result = POLICY.check([{"type": record_type, **VALID[record_type]}], *NOVEMBER)
    for table in MODULES[RULESET_OF[record_type]].TABLES:
        assert FACT_TABLES[table.name] is table
        _assert_declared(result.facts[table.name], table)
    heights = {t.name: result.facts[t.name].height for t in MODULES[RULESET_OF[record_type]].TABLES}
    assert sorted(heights.values()) == [0] * (len(heights) - 1) + [1], heights


def test_fact_tables_of_no_records_are_empty_with_their_declared_types() -> None:
    """Derived from no records at all, each table is empty with its declared schema."""
    tables = build_tables([], policy_timezone="Asia/Shanghai")
    employees = pl.DataFrame(
        schema={
            "employee_id": pl.String,
            "timezone": pl.String,
            "hired_on": pl.Date,
            "left_on": pl.Date,
        }
    )
    context = FactContext(
        tables,
        *NOVEMBER,
        POLICY.params,
        "Asia/Shanghai",
        POLICY.calendar,
        POLICY.schedule,
        employees,
    )
    for module in MODULES.values():
        derived = module.derive(context)
        assert set(derived) == {t.name for t in module.TABLES}
        for table in module.TABLES:
            assert derived[table.name].is_empty()
            _assert_declared(derived[table.name], table)


def _punches(*days: str, arrive: str = "09:10:00") -> list[dict[str, Any]]:
    """An in and an out punch, 10 minutes late (ATT-LATE) unless told, on each day."""
    return [
        {"type": "punch", "employee_id": "E1", "at": f"{day}T{at}+08:00", "direction": side}
        for day in days
        for at, side in ((arrive, "in"), ("18:00:00", "out"))
    ]


def test_repeated_lateness_is_counted_per_calendar_month() -> None:
    """DIS-REPEATED-LATE counts ATT-LATE and ATT-LATE-SERIOUS findings per calendar month:
    two late days at the end of November and two at the start of December give no finding
    (four in the period, but two per month); a third late day in December gives one finding,
    for period 2026-12, counting December's three only."""
    period = (dt.date(2026, 11, 27), dt.date(2026, 12, 3))
    split = _punches("2026-11-27", "2026-11-30", "2026-12-01", "2026-12-02")
    result = POLICY.check(split, *period)
    assert [f.rule_id for f in result].count("ATT-LATE") == 4
    assert [f for f in result if f.rule_id == "DIS-REPEATED-LATE"] == []

    third = split + _punches("2026-12-03", arrive="09:40:00")  # ATT-LATE-SERIOUS
    result = POLICY.check(third, *period)
    repeated = [f for f in result if f.rule_id == "DIS-REPEATED-LATE"]
    assert len(repeated) == 1
    (finding,) = repeated
    assert finding.period == "2026-12" and finding.date is None
    assert finding.evidence == {
        "finding_count": 3,
        "finding_dates": ["2026-12-01", "2026-12-02", "2026-12-03"],
    }
    assert len(finding.sources) == 3  # the three arrival punches


def test_a_month_not_over_at_the_end_of_the_period_is_pending_for_repeated_rules() -> None:
    """Two late days and two absent days in a period that ends before its month does may
    still become three: the employee-month is pending for DIS-REPEATED-LATE and
    DIS-REPEATED-ABSENCE (counted in ``pending``, no finding).  Judged once the month is
    over in the period, or once the count is reached."""
    employee = {"type": "employee", "employee_id": "E1", "name": "Alice"}
    late_twice = [employee, *_punches("2026-11-02", "2026-11-03")]  # Mon, Tue
    partial = POLICY.check(late_twice, dt.date(2026, 11, 2), dt.date(2026, 11, 5))
    assert [f.rule_id for f in partial].count("ATT-LATE") == 2
    assert [f.rule_id for f in partial].count("ATT-ABSENT") == 2  # Wed, Thu
    assert partial.pending["DIS-REPEATED-LATE"] == 1
    assert partial.pending["DIS-REPEATED-ABSENCE"] == 1
    assert not {"DIS-REPEATED-LATE", "DIS-REPEATED-ABSENCE"} & {f.rule_id for f in partial}

    over = POLICY.check(late_twice, dt.date(2026, 10, 26), dt.date(2026, 11, 3))
    assert over.pending["DIS-REPEATED-LATE"] == 1  # November's two
    october = [f for f in over if f.rule_id == "DIS-REPEATED-ABSENCE"]
    assert [f.period for f in october] == ["2026-10"]  # Oct 26-30, a closed month: judged
    assert over.pending["DIS-REPEATED-ABSENCE"] == 0

    reached = POLICY.check(
        [*late_twice, *_punches("2026-11-04")], dt.date(2026, 11, 2), dt.date(2026, 11, 4)
    )
    assert [f.period for f in reached if f.rule_id == "DIS-REPEATED-LATE"] == ["2026-11"]
    assert reached.pending["DIS-REPEATED-LATE"] == 0


def test_outside_work_is_a_side_job_only_while_employed() -> None:
    """1.2 forbids a salesperson a private side job: a job held only before hired_on or
    only after left_on is none.  E1 left on October 31 and started elsewhere on November 1;
    E2, hired on November 16, gave up the old job on November 13; E3, hired on November 16,
    kept it, and is reported from the hire date; E4 took the job on November 5 and left on
    November 10, reported from November 5."""
    work = VALID["outside_work"]

    def staff(employee: str, **dates: str) -> dict[str, Any]:
        return {"type": "employee", "employee_id": employee, "name": employee, **dates}

    def job(employee: str, start: str, end: str | None = None) -> dict[str, Any]:
        record = {**work, "record_id": f"W{employee}", "employee_id": employee, "start": start}
        return {"type": "outside_work", **record, **({"end": end} if end else {})}

    records = [
        staff("E1", left_on="2026-10-31"),
        job("E1", "2026-11-01"),
        staff("E2", hired_on="2026-11-16"),
        job("E2", "2026-01-01", "2026-11-13"),
        staff("E3", hired_on="2026-11-16"),
        job("E3", "2026-01-01"),
        staff("E4", left_on="2026-11-10"),
        job("E4", "2026-11-05"),
    ]
    result = POLICY.check(records, *NOVEMBER)
    found = sorted((f.employee_id, f.date) for f in result if f.rule_id == "DIS-MOONLIGHT")
    assert found == [("E3", dt.date(2026, 11, 16)), ("E4", dt.date(2026, 11, 5))]


def test_gift_in_another_currency_counts_as_over_the_limit_unless_approved() -> None:
    """gift_limit is in CNY and no exchange rate is known: a gift in another currency has
    value_cny null, and unapproved it is an INT-GIFT finding whatever its value (even 1 USD);
    approved it is not.  A CNY gift is compared with the limit."""
    gift = VALID["gift"]
    records = [
        {"type": "gift", **gift, "record_id": "G1", "value": "1", "currency": "USD"},
        {"type": "gift", **gift, "record_id": "G2", "value": "9000", "currency": "EUR",
         "approved": True},
        {"type": "gift", **gift, "record_id": "G3", "value": "150"},
    ]  # fmt: skip
    result = POLICY.check(records, *NOVEMBER)
    facts = result.facts["gift"].sort("record_id")
    assert facts.get_column("value_cny").to_list() == [None, None, 150.0]
    found = [f for f in result if f.rule_id == "INT-GIFT"]
    assert [f.evidence["record_id"] for f in found] == ["G1"]
    assert found[0].evidence["currency"] == "USD" and found[0].evidence["value_cny"] is None


def test_a_gift_in_a_currency_the_policy_has_a_rate_of_is_compared_in_cny() -> None:
    """With currency_rates (into sales_currency, CNY by default), a gift in USD is converted
    and compared with the limit: 1 USD at 7.10 is 7.10 CNY, no finding; 30 USD is 213 CNY,
    over 200.  With USD the sales currency and CNY=0.125, 25 USD is 200 CNY (not over) and
    26 USD 208 CNY; a currency with no rate still counts as over the limit."""
    gift = VALID["gift"]

    def gifts(*values: tuple[str, str]) -> list[dict[str, Any]]:
        return [
            {"type": "gift", **gift, "record_id": f"{c}{v}", "value": v, "currency": c}
            for c, v in values
        ]

    rated = POLICY.with_params(currency_rates=["USD=7.10"])
    result = rated.check(gifts(("USD", "1"), ("USD", "30"), ("EUR", "1")), *NOVEMBER)
    facts = result.facts["gift"].sort("record_id")
    assert facts.get_column("value_cny").to_list() == [None, 7.1, 213.0]  # EUR1, USD1, USD30
    assert {f.evidence["record_id"] for f in result} == {"USD30", "EUR1"}
    in_usd = POLICY.with_params(sales_currency="USD", currency_rates=["CNY=0.125"])
    found = in_usd.check(gifts(("USD", "25"), ("USD", "26"), ("CNY", "201")), *NOVEMBER)
    assert {(f.evidence["record_id"], f.evidence["value_cny"]) for f in found} == {
        ("USD26", 208.0),
        ("CNY201", 201.0),
    }


def test_a_gift_converted_to_exactly_the_limit_is_not_over_it() -> None:
    """A gift worth exactly gift_limit once converted is not over it, as a CNY gift of the
    limit is not: 100 USD at 1.1 is 110 CNY (a float product is 110.00000000000001), 5000
    JPY at 0.07 is 350 CNY (350.00000000000006); with USD the sales currency, CNY=0.125 and
    HKD=0.1375, one HKD is 1.1 CNY, and 100 HKD is 110 CNY.  Rates whose quotient is huge
    still give a value (over the limit), not an overflow."""
    gift = VALID["gift"]

    def gifts(*values: tuple[str, str]) -> list[dict[str, Any]]:
        return [
            {"type": "gift", **gift, "record_id": f"{c}{v}", "value": v, "currency": c}
            for c, v in values
        ]

    usd = POLICY.with_params(gift_limit=110, currency_rates=["USD=1.1"])
    result = usd.check(gifts(("USD", "100"), ("USD", "100.01")), *NOVEMBER)
    assert result.facts["gift"].sort("record_id").get_column("value_cny").to_list() == [
        110.0,
        110.011,
    ]
    assert [f.evidence["record_id"] for f in result] == ["USD100.01"]
    jpy = POLICY.with_params(gift_limit=350, currency_rates=["JPY=0.07"])
    assert list(jpy.check(gifts(("JPY", "5000")), *NOVEMBER)) == []
    in_usd = POLICY.with_params(
        gift_limit=110, sales_currency="USD", currency_rates=["CNY=0.125", "HKD=0.1375"]
    )
    result = in_usd.check(gifts(("HKD", "100")), *NOVEMBER)
    assert result.facts["gift"].get_column("value_cny").to_list() == [110.0]
    assert list(result) == []
    huge = POLICY.with_params(
        sales_currency="USD", currency_rates=["CNY=0.0000000001", "EUR=9999999"]
    )
    (found,) = huge.check(gifts(("EUR", "99999999999999999999")), *NOVEMBER)
    assert found.evidence["value_cny"] == pytest.approx(1e20 * 9999999 / 1e-10)


# ----------------------------------------------------------------- INT-SALES-REVERSAL oracle

ZONES = ("Asia/Shanghai", "America/New_York", "Pacific/Auckland")
YEAR = 2026  # the calendar data covers it; a period must lie inside covered years
REVERSED = ("cancelled", "refunded")
# Hours 1 and 2 are skipped: daylight-saving gaps and repeats of these zones lie there.
HOURS = st.sampled_from([0, *range(3, 24)])


def _month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def oracle_sales_reversal(
    orders: list[dict[str, Any]],
    start: dt.date,
    end: dt.date,
    period_end_days: int,
    reversal_days: int,
) -> tuple[list[tuple[str, dt.date, str]], int]:
    """INT-SALES-REVERSAL from its definition, on local wall times: (employee, booking date,
    order) of each violation, and how many orders are pending.

    An order is judged when its local booking date d is in the period and in the last
    ``period_end_days`` days of its month.  Cancelled or refunded (the status says so) with
    a reversal date r, 0 <= r - d <= reversal_days: a violation, wherever r lies relative to
    the period; a reversal without a date is not judged.  Not reversed: pending while the
    window's last day d + reversal_days is after the period's end, else compliant."""
    violations = []
    pending = 0
    for order in orders:
        booked = order["booked_local"].date()
        if not start <= booked <= end:
            continue
        if (_month_end(booked) - booked).days >= period_end_days:
            continue
        if order["status"] in REVERSED:
            if order["reversed_local"] is None:
                continue
            days = (order["reversed_local"].date() - booked).days
            if 0 <= days <= reversal_days:
                violations.append((order["employee_id"], booked, order["order_id"]))
        elif booked + dt.timedelta(days=reversal_days) > end:
            pending += 1
    return sorted(violations), pending


@st.composite
def reversal_cases(draw: st.DrawFn) -> dict[str, Any]:
    """Parameters; orders booked in a month's last days or just before, reversed at, around
    or far from the window's last day, or not at all, in three timezones, with or without a
    UTC offset; and a period ending before, on or after one order's window's last day."""
    period_end_days = draw(st.integers(1, 7))
    reversal_days = draw(st.integers(1, 35))
    edge = st.sampled_from([reversal_days - 1, reversal_days, reversal_days + 1])
    anchor = draw(st.integers(1, 12))
    orders = []
    for index in range(draw(st.integers(1, 6))):
        month = min(max(anchor + draw(st.integers(-1, 1)), 1), 12)
        last = _month_end(dt.date(YEAR, month, 1))
        before_end = draw(st.one_of(st.integers(0, period_end_days - 1), st.just(period_end_days)))
        booked_day = last - dt.timedelta(days=before_end)
        booked = dt.datetime.combine(booked_day, dt.time(draw(HOURS), draw(st.integers(0, 59))))
        status = draw(st.sampled_from(["booked", "cancelled", "refunded"]))
        # the window's last day and its neighbours twice as often as any other day
        offset = draw(st.one_of(edge, edge, st.integers(0, 45)))
        reversal_day = booked_day + dt.timedelta(days=offset)
        reversed_local = dt.datetime.combine(
            reversal_day, dt.time(draw(HOURS), draw(st.integers(0, 59)))
        )
        # A reversal has a time, not before its booking; a booked order has none (the input
        # validator rejects anything else).
        reversed_local = max(reversed_local, booked) if status in REVERSED else None
        orders.append(
            {
                "order_id": f"O{index}",
                "employee_id": f"E{draw(st.integers(0, len(ZONES) - 1))}",
                "status": status,
                "booked_local": booked,
                "reversed_local": reversed_local,
                "with_offset": draw(st.booleans()),
            }
        )
    pivot = draw(st.sampled_from(orders))["booked_local"].date()
    end = pivot + dt.timedelta(days=draw(st.one_of(edge, edge, st.integers(-3, 45))))
    end = min(max(end, dt.date(YEAR, 1, 1)), dt.date(YEAR, 12, 31))
    start = max(min(end, pivot) - dt.timedelta(days=draw(st.integers(0, 40))), dt.date(YEAR, 1, 1))
    return {
        "period_end_days": period_end_days,
        "reversal_days": reversal_days,
        "start": start,
        "end": end,
        "orders": orders,
    }


def _timestamp(local: dt.datetime, zone: str, with_offset: bool) -> str:
    """Local wall time as text: naive (read in the employee's timezone) or with its offset."""
    return local.replace(tzinfo=ZoneInfo(zone)).isoformat() if with_offset else local.isoformat()


def _order_records(orders: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # E0 has no employee record (the policy's timezone, Asia/Shanghai); the others have one.
    records: list[dict[str, Any]] = [
        {"type": "employee", "employee_id": f"E{i}", "name": f"E{i}", "timezone": zone}
        for i, zone in enumerate(ZONES)
        if i > 0
    ]
    for order in orders:
        zone = ZONES[int(order["employee_id"][1:])]
        reversed_local = order["reversed_local"]
        records.append(
            {
                "type": "order",
                "order_id": order["order_id"],
                "employee_id": order["employee_id"],
                "customer_id": "C1",
                "booked_at": _timestamp(order["booked_local"], zone, order["with_offset"]),
                "amount": "1000",
                "status": order["status"],
                "reversed_at": None
                if reversed_local is None
                else _timestamp(reversed_local, zone, order["with_offset"]),
            }
        )
    return records


def _case(
    orders: list[tuple[str, str, str | None]], end: str, period_end_days: int = 5
) -> dict[str, Any]:
    """A fixed case for @example: (booked, status, reversed) local times of E0's orders; the
    period runs from 2026-11-01 to ``end``; reversal_days is 30."""
    return {
        "period_end_days": period_end_days,
        "reversal_days": 30,
        "start": dt.date(2026, 11, 1),
        "end": dt.date.fromisoformat(end),
        "orders": [
            {
                "order_id": f"O{index}",
                "employee_id": "E0",
                "status": status,
                "booked_local": dt.datetime.fromisoformat(booked),
                "reversed_local": dt.datetime.fromisoformat(reversed_) if reversed_ else None,
                "with_offset": False,
            }
            for index, (booked, status, reversed_) in enumerate(orders)
        ],
    }


@given(reversal_cases())
# no order at all: the rule is not judged
@example(_case([], "2026-11-30"))
# reversed on the window's last day (Dec 26, 30 days after Nov 26) and the day after
@example(
    _case(
        [
            ("2026-11-26T10:00", "refunded", "2026-12-26T23:59"),
            ("2026-11-26T10:00", "cancelled", "2026-12-27T00:00"),
        ],
        "2026-12-31",
    )
)
# not reversed: the window to Dec 28 is open on Dec 27 and closed at the end of Dec 28
@example(_case([("2026-11-28T23:00", "booked", None)], "2026-12-27"))
@example(_case([("2026-11-28T23:00", "booked", None)], "2026-12-28"))
# booked period_end_days (5) before the month's end, and one day later
@example(
    _case(
        [
            ("2026-11-25T23:59", "cancelled", "2026-11-26T00:00"),
            ("2026-11-26T00:00", "cancelled", "2026-11-26T00:00"),
        ],
        "2026-11-30",
    )
)
def test_sales_reversal_matches_the_oracle(case: dict[str, Any]) -> None:
    """INT-SALES-REVERSAL's findings (employee, booking date, order) and its pending count
    equal the oracle's, for any period_end_days and reversal_days, bookings in and just
    before a month's last days, reversals at, around and beyond the window's last day, and
    periods ending before, inside and after the windows."""
    policy = POLICY.with_params(
        period_end_days=case["period_end_days"], reversal_days=case["reversal_days"]
    )
    result = policy.check(
        _order_records(case["orders"]), case["start"], case["end"], rulesets=["integrity"]
    )
    assert result.counts.rejected == 0, result.rejects.to_dicts()
    found = sorted(
        (f.employee_id, f.date, f.evidence["order_id"])
        for f in result
        if f.rule_id == "INT-SALES-REVERSAL"
    )
    expected, pending = oracle_sales_reversal(
        case["orders"],
        case["start"],
        case["end"],
        case["period_end_days"],
        case["reversal_days"],
    )
    assert found == expected
    # Without any order the rule is not judged at all, so it has no pending count.
    assert ("INT-SALES-REVERSAL" in result.pending) == bool(case["orders"])
    assert result.pending.get("INT-SALES-REVERSAL", 0) == pending


def test_sales_reversal_pending_until_the_window_closes() -> None:
    """An unreversed order booked on 2026-11-28 has a 30-day window to 2026-12-28: pending
    for periods ending before that day, judged (compliant) from it on; a cancellation inside
    the window is a finding even while the window is open, and is not pending."""
    order = {"type": "order", **VALID["order"], "status": "booked", "reversed_at": None}
    start = dt.date(2026, 11, 1)
    for end, pending in ((dt.date(2026, 11, 30), 1), (dt.date(2026, 12, 27), 1),
                         (dt.date(2026, 12, 28), 0), (dt.date(2026, 12, 31), 0)):  # fmt: skip
        result = POLICY.check([order], start, end)
        assert result.pending["INT-SALES-REVERSAL"] == pending, end
        assert [f for f in result if f.rule_id == "INT-SALES-REVERSAL"] == []
    cancelled = {"type": "order", **VALID["order"]}
    result = POLICY.check([cancelled], *NOVEMBER)
    assert result.pending["INT-SALES-REVERSAL"] == 0
    assert [f.date for f in result if f.rule_id == "INT-SALES-REVERSAL"] == [dt.date(2026, 11, 28)]


@pytest.mark.parametrize(
    ("reversed_at", "status", "days", "english"),
    [
        ("2026-11-28T16:00:00+08:00", "cancelled", 0, "cancelled on the day of booking"),
        ("2026-11-29T10:00:00+08:00", "cancelled", 1, "cancelled 1 day after booking"),
        ("2026-12-10T10:00:00+08:00", "refunded", 12, "refunded 12 days after booking"),
    ],
)
def test_sales_reversal_message_counts_days_in_words(
    reversed_at: str, status: str, days: int, english: str
) -> None:
    """An order booked on Nov 28 and reversed the same day, a day later or twelve days later
    reads "on the day of booking", "1 day", "12 days" in English, never "1 days"; the Chinese
    gives the days between booking and reversal (相隔 N 天), which reads as well at 0 as
    above it ("下单后 0 天即被撤销" would not)."""
    order = {"type": "order", **VALID["order"], "status": status, "reversed_at": reversed_at}
    [finding] = [f for f in POLICY.check([order], *NOVEMBER) if f.rule_id == "INT-SALES-REVERSAL"]
    assert finding.evidence["days_to_reversal"] == days
    assert finding.message.en == f"month-end order O1 {english}"
    named = {"cancelled": "已取消", "refunded": "已退款"}[status]
    assert finding.message.zh == f"月末订单 O1 下单后被撤销（{named}，相隔 {days} 天）"
