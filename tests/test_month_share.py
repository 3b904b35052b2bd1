"""A month an employee joined or left in (docs/assessment.md, "A month employed in part";
docs/assumptions.md): with ``target_prorated`` (false by default: a target is the company's
for the month as recorded), ASM-TARGET-MISSED and the scores compare net sales with the
target prorated by the working days employed; CRM-NO-MARKET-REPORT owes the month's report
only from ``market_report_min_share`` of its working days employed; and a period starting
inside a month judges the month rules' month whole, which the ``first_month`` note says.

November 2026 has 21 working days by the default (Chinese) calendar, no holiday in it:
2-6, 9-13, 16-20, 23-27 and 30.  Under ``calendar: {country: null}`` the working days are
Monday to Friday, which the oracle counts by ``weekday()``."""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sales_policy import CalendarError, load_policy, score

POLICY = load_policy()
#: the handbook's policy with targets prorated in a month employed in part
PRORATING = POLICY.with_params(target_prorated=True)
NOVEMBER = dt.date(2026, 11, 1), dt.date(2026, 11, 30)


def employee(eid: str, hired_on: str | None = None, left_on: str | None = None) -> dict[str, Any]:
    return {"type": "employee", "employee_id": eid, "name": eid, "hired_on": hired_on,
            "left_on": left_on}  # fmt: skip


def target(eid: str, amount: str, period: str = "2026-11") -> dict[str, Any]:
    return {"type": "sales_target", "employee_id": eid, "period": period,
            "sales_amount": amount, "new_customers": 0}  # fmt: skip


def order(eid: str, day: str, amount: str) -> dict[str, Any]:
    return {"type": "order", "order_id": f"O-{eid}-{day}", "employee_id": eid,
            "customer_id": f"K-{eid}", "booked_at": f"{day}T10:00:00+08:00", "amount": amount,
            "status": "booked"}  # fmt: skip


def report(eid: str, day: str) -> dict[str, Any]:
    return {"type": "market_report", "record_id": f"M-{eid}-{day}", "employee_id": eid,
            "submitted_at": f"{day}T10:00:00+08:00", "topic": "competitors"}  # fmt: skip


def findings(result: Any, rule_id: str) -> dict[str, Any]:
    return {f.employee_id: f for f in result if f.rule_id == rule_id}


# the three of the task: hired on Saturday the 28th (1 working day, the 30th), left on Friday
# the 6th (5 working days, 2-6), employed the whole month; each with a target of 100,000
STAFF = [
    employee("NEW", hired_on="2026-11-28"),
    employee("GONE", hired_on="2020-01-01", left_on="2026-11-06"),
    employee("FULL", hired_on="2020-01-01"),
    *(target(e, "100000") for e in ("NEW", "GONE", "FULL")),
    order("GONE", "2026-11-03", "25000"),  # 25,000 >= 100,000 x 5 / 21 = 23,809.5238
    report("FULL", "2026-11-05"),
]


def test_a_joiner_and_a_leaver_are_judged_on_the_working_days_employed() -> None:
    """Hired on the 28th: 0 sold is below 100,000 x 1 / 21 = 4,761.9048 (the finding says
    so), not below 100,000; left on the 6th: 25,000 meets 100,000 x 5 / 21; neither owes
    November's market report (1 and 5 of 21 working days, under half).  Employed the whole
    month: judged against the whole target, as before, and the report of the 5th counts."""
    result = PRORATING.check(STAFF, *NOVEMBER, rulesets=["assessment", "customer_care"])
    missed = findings(result, "ASM-TARGET-MISSED")
    assert sorted(missed) == ["FULL", "NEW"]
    new = missed["NEW"].evidence
    assert (new["prorated_target_sales"], new["target_sales"]) == (4761.9048, 100000.0)
    assert (new["employed_working_days"], new["month_working_days"]) == (1, 21)
    assert new["employed_share"] == 0.0476
    assert missed["NEW"].message.en == (
        "net sales of 0.00 CNY in 2026-11, below the target of 4761.9048 (prorated from "
        "100000.00: employed 1 of the month's 21 working days)"
    )
    assert missed["NEW"].message.zh == (
        "2026-11 净销售额 0.00 CNY，低于目标 4761.9048（按当月 21 个工作日中在职 1 个折算自 "
        "100000.00）"
    )
    full = missed["FULL"]
    assert full.evidence["prorated_target_sales"] == 100000.0
    assert full.evidence["employed_share"] == 1.0
    assert full.evidence["employed_working_days"] is None
    assert full.message.en == "net sales of 0.00 CNY in 2026-11, below the target of 100000.00"
    assert not findings(result, "CRM-NO-MARKET-REPORT")


def test_the_whole_month_judgement_stays_reachable() -> None:
    """``target_prorated: false`` (the default) and ``market_report_min_share: 0`` judge
    every month employed on any day as a whole month, and count no days."""
    policy = POLICY.with_params(market_report_min_share=0)
    result = policy.check(STAFF, *NOVEMBER, rulesets=["assessment", "customer_care"])
    missed = findings(result, "ASM-TARGET-MISSED")
    assert sorted(missed) == ["FULL", "GONE", "NEW"]
    gone = missed["GONE"]
    assert gone.evidence["prorated_target_sales"] == 100000.0
    assert gone.evidence["employed_share"] is None  # not counted
    assert gone.message.en == "net sales of 25000.00 CNY in 2026-11, below the target of 100000.00"
    assert sorted(findings(result, "CRM-NO-MARKET-REPORT")) == ["GONE", "NEW"]
    # the default alone: the leaver's share is counted for the other rule
    result = POLICY.check(STAFF, *NOVEMBER, rulesets=["assessment", "customer_care"])
    assert sorted(findings(result, "ASM-TARGET-MISSED")) == ["FULL", "GONE", "NEW"]
    assert not findings(result, "CRM-NO-MARKET-REPORT")


def _weekdays_policy(tmp_path: Path, **params: Any) -> Any:
    path = tmp_path / "policy.yaml"
    lines = ["calendar: {country: null}"]
    if params:
        lines.append("params: {" + ", ".join(f"{k}: {v}" for k, v in params.items()) + "}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_policy(path)


def test_a_report_is_owed_from_exactly_the_minimum_share(tmp_path: Path) -> None:
    """September 2026 has 22 weekdays: leaving on Tuesday the 15th is 11 of them, exactly
    half, and owes the report; leaving on Monday the 14th, 10, does not."""
    policy = _weekdays_policy(tmp_path)
    records = [
        employee("HALF", hired_on="2020-01-01", left_on="2026-09-15"),
        employee("LESS", hired_on="2020-01-01", left_on="2026-09-14"),
        report("OTHER", "2026-09-10"),
    ]
    result = policy.check(records, dt.date(2026, 9, 1), dt.date(2026, 9, 30))
    owed = findings(result, "CRM-NO-MARKET-REPORT")
    assert sorted(owed) == ["HALF"]
    assert owed["HALF"].evidence["employed_share"] == 0.5
    evidence = owed["HALF"].evidence
    assert (evidence["employed_working_days"], evidence["month_working_days"]) == (11, 22)


def test_a_report_is_owed_only_from_the_share_itself_not_one_rounded_up() -> None:
    """Hired on Tuesday November 17th: employed 10 of November's 21 working days, a share of
    0.476190..., kept as 0.4761 (rounded down, never above it): below a minimum of 0.4762,
    which owes no report (rounded to 0.4762 it had been owed), at a minimum of 0.4761."""
    records = [employee("E1", hired_on="2026-11-17"), report("OTHER", "2026-11-05")]
    for minimum, owed in ((0.4762, False), (0.4761, True)):
        policy = POLICY.with_params(market_report_min_share=minimum)
        result = policy.check(records, *NOVEMBER, rulesets=["customer_care"])
        found = findings(result, "CRM-NO-MARKET-REPORT")
        assert ("E1" in found) == owed, minimum
    assert found["E1"].evidence["employed_share"] == 0.4761


def test_the_share_employed_is_a_figure_of_4_places() -> None:
    """Hired on each working day of November (the 2nd to the 30th: 21 to 1 of its 21 working
    days employed): the share is the days over 21 rounded down to 4 places (by hand, with
    whole numbers), and its float is that figure's, as the evidence writes it and as a
    minimum of 4 places may be set from it: hired on the 18th, 9 days, 0.4285 (it had been
    0.42850000000000005, which market_report_min_share refuses as having 17 places)."""
    first, last = NOVEMBER
    hires = [day for day in _days(first, last) if day.weekday() < 5]
    records = [
        *(employee(f"E{day.day:02}", hired_on=str(day)) for day in hires),
        report("OTHER", "2026-11-05"),
    ]
    result = POLICY.check(records, *NOVEMBER, rulesets=["customer_care"])
    shares = {
        row["employee_id"]: row["employed_share"]
        for row in result.facts["market_report_month"].to_dicts()
    }
    for day in hires[1:]:  # hired on the 2nd: employed the whole month, share 1.0
        days = len([d for d in hires if d >= day])
        figure = Decimal(days * 10**4 // 21) / 10**4
        assert Decimal(repr(shares[f"E{day.day:02}"])) == figure, day
    assert shares["E18"] == 0.4285
    policy = POLICY.with_params(market_report_min_share=shares["E18"])
    owed = findings(
        policy.check(records, *NOVEMBER, rulesets=["customer_care"]), "CRM-NO-MARKET-REPORT"
    )
    assert "E18" in owed and "E19" not in owed


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def _weekdays(first: dt.date, last: dt.date) -> int:
    days = (last - first).days + 1
    return sum((first + dt.timedelta(days=i)).weekday() < 5 for i in range(max(days, 0)))


@settings(max_examples=40, deadline=None)
@given(
    hired=st.one_of(st.none(), st.integers(-3, 30)),
    left=st.one_of(st.none(), st.integers(1, 34)),
    cents=st.integers(1, 10**9),
    sold=st.integers(0, 10**9),
)
def test_the_prorated_target_is_the_share_of_weekdays_employed(
    tmp_path_factory: pytest.TempPathFactory,
    hired: int | None,
    left: int | None,
    cents: int,
    sold: int,
) -> None:
    """Under a calendar of weekdays, for any hiring and leaving day around November 2026
    (or none): the prorated target is the target times the weekdays employed over
    November's 21, rounded half up to 4 places (amounts are positive); it is never above the
    whole target; a month employed whole is compared with the whole target, as before; and
    the finding is there exactly when net sales are below the prorated target."""
    first, last = NOVEMBER
    hired_on = first + dt.timedelta(days=hired - 1) if hired is not None else None
    left_on = first + dt.timedelta(days=left - 1) if left is not None else None
    if hired_on and left_on and left_on < hired_on:
        hired_on, left_on = left_on, hired_on
    policy = _weekdays_policy(tmp_path_factory.mktemp("policy"), target_prorated="true")
    amount, net = Decimal(cents) / 100, Decimal(sold) / 100
    records = [
        employee("E1", str(hired_on) if hired_on else None, str(left_on) if left_on else None),
        target("E1", str(amount)),
        order("E1", "2026-11-02", str(net)),
    ]
    result = policy.check(records, first, last, rulesets=["assessment"])
    months = result.facts["assessment_month"]
    employed_first = max(first, hired_on) if hired_on else first
    employed_last = min(last, left_on) if left_on else last
    if employed_last < first or employed_first > last:
        assert months.is_empty()
        return
    whole = employed_first == first and employed_last == last
    days = _weekdays(employed_first, employed_last)
    expected = (
        amount
        if whole
        else (amount * days / 21).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    )
    [row] = months.to_dicts()
    assert row["prorated_target_sales"] == float(expected)
    assert row["prorated_target_sales"] <= row["target_sales"]
    # rounded down to 4 places: never above the share employed
    assert row["employed_share"] == (1.0 if whole else days * 10**4 // 21 / 10**4)
    # the order of the 2nd is the employee's whatever their dates: the net sales are it
    assert bool(findings(result, "ASM-TARGET-MISSED")) == (net < expected)


def test_a_period_starting_inside_a_month_says_the_month_rules_judge_it_whole() -> None:
    """From the 10th: FULL's report of the 5th still counts for November (no
    CRM-NO-MARKET-REPORT), and the first_month note names the month rules that judge the
    whole month."""
    result = PRORATING.check(
        STAFF, dt.date(2026, 11, 10), NOVEMBER[1], rulesets=["assessment", "customer_care"]
    )
    assert not findings(result, "CRM-NO-MARKET-REPORT")
    assert sorted(findings(result, "ASM-TARGET-MISSED")) == ["FULL", "NEW"]
    [note] = [n for n in result.notes if n.kind == "first_month"]
    assert (
        "ASM-TARGET-MISSED, ASM-LOW-SATISFACTION judge 2026-11 as a whole month: its records "
        "from 2026-11-01 count, those before 2026-11-10 too" in note
    )
    assert "CRM-NO-MARKET-REPORT" in note and "monthly counts" not in note
    assert "按整月判定 2026-11" in note.zh


def test_a_partial_month_outside_the_calendar_stops_with_a_clear_error() -> None:
    """A month joined in, of a year the calendar has no data for, cannot have its working
    days counted: the error names the year and the parameters that judge it whole without
    the calendar.  (The period taken from an order's date, there are no punches: attendance
    reads no calendar.)  A month employed whole there needs no calendar, as before."""
    sale = order("E1", "2099-11-20", "5")
    records = [employee("E1", hired_on="2099-11-16"), target("E1", "100", "2099-11"), sale]
    with pytest.raises(CalendarError) as raised:
        PRORATING.check(records, rulesets=["assessment"])
    said = str(raised.value)
    assert said.startswith("2099 is outside the working calendar")
    assert "set params: {target_prorated: false, market_report_min_share: 0}" in said
    unprorated = POLICY.check(records, rulesets=["assessment"])  # the default: not prorated
    assert unprorated.pending["ASM-TARGET-MISSED"] == 1  # 5 < 100, the month still open
    whole = [employee("E1", hired_on="2099-01-01"), target("E1", "100", "2099-11"), sale]
    assert PRORATING.check(whole, rulesets=["assessment"]).pending["ASM-TARGET-MISSED"] == 1


def test_the_scores_divide_by_the_target_the_rule_compares_with() -> None:
    """The leaver who sold 25,000 of a 100,000 target, employed 5 of November's 21 working
    days: by default (the target as recorded) the month's achievement and the score's sales
    achievement are 25,000 / 100,000 = 1/4, and the target is missed; prorated, both are
    25,000 / 23,809.5238 (100,000 x 5 / 21 to 4 places), above 1, and it is met."""
    records = [r for r in STAFF if r.get("employee_id") == "GONE"]
    for policy, target_sales in ((POLICY, Decimal("100000")), (PRORATING, Decimal("23809.5238"))):
        scores = score(policy, records, "2026-11")
        [sales] = [i for i in scores.employee("GONE").indicators if i.name == "sales"]
        assert sales.exact_achievement == Fraction(Decimal("25000")) / Fraction(target_sales)
        [month] = scores.check.facts["assessment_month"].to_dicts()
        # a float never above the quotient (docs/assessment.md), so within a step of it
        exact = float(Decimal("25000") / target_sales)
        assert math.isclose(month["sales_achievement"], exact, rel_tol=1e-15)
        missed = "ASM-TARGET-MISSED" in {f.rule_id for f in scores.check.findings}
        assert missed == (target_sales > Decimal("25000"))
