"""Exact amounts in scoring (sales_policy.scoring, facts/assessment.py, facts/money.py): net
sales and targets are summed as decimals, so net sales equal to the target are an achievement
of exactly 1.0 and earn the tier that starts at 1.0, whatever floats would have made of the
sum.  Commissions are worked out by hand with Decimal: the tier's rate times the net sales,
rounded half up to 2 decimals."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
import math
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sales_records import order, target

from sales_policy import load_policy, score
from sales_policy.cli import main
from sales_policy.facts.money import exact_ratios
from sales_policy.policyparams import scoring_values

#: attendance needs punches every working day, and the market report rule fires for everyone
#: with an employee record: these tests look at the assessment only
QUIET = frozenset(
    {r.rule_id for r in load_policy().all_rules() if r.rule_id.startswith(("ATT-", "DIS-REP"))}
    | {"CRM-NO-MARKET-REPORT", "CRM-NO-FOLLOW-UP"}
)
POLICY = dataclasses.replace(load_policy(), disabled=QUIET)
Q4 = ("2026-10", "2026-11", "2026-12")


def orders(employee_id: str, amounts: list[Decimal], days: list[str]) -> list[dict[str, Any]]:
    """One booked order per amount, each to a customer of its own, on the given days in turn."""
    return [
        order(f"{employee_id}-O{n}", employee_id, f"{employee_id}-K{n}", days[n % len(days)], a)
        for n, a in enumerate(amounts)
    ]


def commission(net: Decimal, rate: float) -> float:
    """By hand: the rate times the net sales, rounded half up to 2 decimals."""
    return float((net * Decimal(str(rate))).quantize(Decimal("0.01"), ROUND_HALF_UP))


def float_sum(amounts: list[Decimal]) -> float:
    """The amounts added up as floats, one after the other: what exact sums replace."""
    total = 0.0
    for amount in amounts:
        total += float(amount)
    return total


# ------------------------------------------------------------------ the audit's reproduction


def test_a_quarter_whose_target_is_met_exactly_earns_the_met_tier(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """1000.7 a month for three months, and one order of 3002.10 in November: as floats the
    targets add up to 3002.1000000000004 and the achievement to 0.9999999999999999 (tier
    'near', 1%); exactly, the target is met (tier 'met', 2%: 3002.10 x 0.02 = 60.04)."""
    assert float_sum([Decimal("1000.7")] * 3) != 3002.1  # what floats made of it
    targets = tmp_path / "sales_targets.csv"
    targets.write_text(
        "employee_id,period,sales_amount,new_customers\n"
        + "".join(f"E1,{month},1000.7,0\n" for month in Q4),
        encoding="utf-8",
    )
    booked = tmp_path / "orders.csv"
    booked.write_text(
        "order_id,employee_id,customer_id,booked_at,amount,currency,status\n"
        "O1,E1,C1,2026-11-10T10:00:00+08:00,3002.10,CNY,booked\n",
        encoding="utf-8",
    )
    args = ["score", str(booked), str(targets), "--period", "2026-Q4", "--format", "json"]
    assert main(args) == 0
    out, err = capsys.readouterr()
    assert "rejected" not in err
    [row] = json.loads(out)["employees"]
    sales = row["indicators"]["sales"]
    assert (sales["value"], sales["target"], sales["achievement"]) == (3002.1, 3002.1, 1.0)
    assert row["commission_tier"] == "met" and row["commission_rate"] == 0.02
    assert row["commission"] == commission(Decimal("3002.10"), 0.02) == 60.04
    # the same from Python, and the numbers stay numbers of the same types
    e1 = score(load_policy(), [str(booked), str(targets)], "2026-Q4").employee("E1")
    assert e1.indicator("sales").achievement == 1.0 and e1.commission == 60.04
    assert all(type(v) is float for v in (sales["value"], sales["target"], sales["achievement"]))
    assert type(row["commission"]) is float


# ------------------------------------------------------------------ one month, several orders


def test_a_month_met_by_orders_whose_float_sum_falls_short() -> None:
    """0.7 + 0.1 is 0.7999999999999999 as floats: against a target of 0.8 it is met exactly,
    and the check does not call the target missed.  So is 1000.7 three times against 3002.1."""
    assert float_sum([Decimal("0.7"), Decimal("0.1")]) < 0.8
    records = [
        target("A", "0.8"),
        *orders("A", [Decimal("0.7"), Decimal("0.1")], ["2026-11-03", "2026-11-04"]),
        target("B", "3002.1"),
        *orders("B", [Decimal("1000.7")] * 3, ["2026-11-03", "2026-11-04", "2026-11-05"]),
    ]
    scores = score(POLICY, records, "2026-11")
    for who, net in (("A", Decimal("0.8")), ("B", Decimal("3002.1"))):
        row = scores.employee(who)
        assert row.indicator("sales").achievement == 1.0
        assert row.indicator("sales").value == row.indicator("sales").target == float(net)
        assert (row.commission_tier, row.commission) == ("met", commission(net, 0.02))
    month = scores.check.facts["assessment_month"]
    assert month.get_column("sales_achievement").to_list() == [1.0, 1.0]
    assert "ASM-TARGET-MISSED" not in {f.rule_id for f in scores.check.findings}


def test_a_half_cent_of_commission_is_rounded_up() -> None:
    """1000.25 x 0.02 = 20.005, which as a float is 20.00499...: exactly, it rounds to 20.01."""
    records = [target("A", "1000.25"), *orders("A", [Decimal("1000.25")], ["2026-11-03"])]
    row = score(POLICY, records, "2026-11").employee("A")
    assert row.commission_tier == "met"
    assert row.commission == commission(Decimal("1000.25"), 0.02) == 20.01


# ------------------------------------------------------------------ every tier bound

#: net sales of exactly bound x 1000.7, split into orders whose float sum falls below it
SPLITS = {
    "0.8": ["197.73", "226.73", "376.1"],
    "1.0": ["49.15", "232.26", "719.29"],
    "1.2": ["8.86", "1035.87", "156.11"],
}
TARGET = Decimal("1000.7")


def test_the_default_tiers_are_the_documented_ones() -> None:
    tiers = [(t.name, t.lower, t.upper, t.rate) for t in scoring_values(POLICY).tiers]
    assert tiers == [
        ("below", 0.0, 0.8, 0.0),
        ("near", 0.8, 1.0, 0.01),
        ("met", 1.0, 1.2, 0.02),
        ("exceeded", 1.2, None, 0.03),
    ]


def boundary_cases() -> list[Any]:
    """(order amounts, expected tier) at every tier's lower bound (as orders whose float sum
    is just below it), and a cent below it."""
    tiers = scoring_values(POLICY).tiers
    cases = [pytest.param([], tiers[0].name, id="nothing sold")]
    for before, tier in itertools.pairwise(tiers):
        bound = Decimal(str(tier.lower))
        amounts = [Decimal(a) for a in SPLITS[str(bound)]]
        assert sum(amounts) == bound * TARGET
        assert float_sum(amounts) / float(TARGET) < tier.lower  # floats say: below the bound
        cent_less = [*amounts[:-1], amounts[-1] - Decimal("0.01")]
        cases.append(pytest.param(amounts, tier.name, id=f"at {bound}"))
        cases.append(pytest.param(cent_less, before.name, id=f"a cent below {bound}"))
    return cases


@pytest.mark.parametrize(("amounts", "tier"), boundary_cases())
def test_every_tier_bound_is_inclusive(amounts: list[Decimal], tier: str) -> None:
    days = ["2026-11-03", "2026-11-10", "2026-11-20"]
    records = [target("A", TARGET), *orders("A", amounts, days)]
    row = score(POLICY, records, "2026-11").employee("A")
    net = sum(amounts, Decimal(0))
    rate = next(t.rate for t in scoring_values(POLICY).tiers if t.name == tier)
    # the float of the exact achievement that never reads above it: the nearest, or the one
    # just below it where the nearest reads above (1.1999900069951035 is above 120083/100070)
    exact = Fraction(net) / Fraction(TARGET)
    shown = row.indicator("sales").achievement
    assert shown is not None and Fraction(Decimal(repr(shown))) <= exact
    assert float(exact) in (shown, math.nextafter(shown, math.inf))
    assert (row.commission_tier, row.commission) == (tier, commission(net, rate))


def test_tier_of_compares_exact_achievements_with_the_bounds_as_written() -> None:
    values = scoring_values(POLICY)
    below = Fraction(4, 5) - Fraction(1, 10**30)  # no float tells it from 0.8
    assert float(below) == 0.8
    assert values.tier_of(below).name == "below"
    assert [values.tier_of(Fraction(n, 10)).name for n in (8, 10, 12)] == [
        "near",
        "met",
        "exceeded",
    ]


# ------------------------------------------------------------------ currencies and growth


def test_converted_amounts_are_exact_to_four_places() -> None:
    """At USD=7.5, 752.28 + 326.81 + 17.19 USD is 8222.1 CNY exactly (as floats,
    8222.099999999999): it meets a target of 8222.10 CNY, and one of 1096.28 USD."""
    usd = ["752.28", "326.81", "17.19"]
    as_floats = 0.0
    for amount in usd:
        as_floats += float(amount) * 7.5
    assert as_floats < 8222.1
    days = ["2026-11-03", "2026-11-04", "2026-11-05"]
    records = [
        target("A", "8222.10"),
        *[order(f"A{n}", "A", f"KA{n}", days[n], a, currency="USD") for n, a in enumerate(usd)],
        {**target("B", "1096.28"), "currency": "USD"},
        *orders("B", [Decimal("8222.1")], days),
    ]
    policy = POLICY.with_params(currency_rates=["USD=7.5"])
    scores = score(policy, records, "2026-11")
    for who in "AB":
        row = scores.employee(who)
        assert row.indicator("sales").achievement == 1.0, who
        assert (row.commission_tier, row.commission) == (
            "met",
            commission(Decimal("8222.1"), 0.02),
        )
    assert "ASM-TARGET-MISSED" not in {f.rule_id for f in scores.check.findings}


def test_a_converted_amount_is_rounded_half_away_from_zero_to_four_places() -> None:
    """0.0001 USD at 7.5 is 0.00075: 0.0008 CNY; 1.2345 EUR at 7.123456 is 8.793906432:
    8.7939 CNY.  Net sales are the sum of the rounded amounts."""
    records = [
        target("A", "1"),
        order("A1", "A", "K1", "2026-11-03", "0.0001", currency="USD"),
        order("A2", "A", "K2", "2026-11-04", "1.2345", currency="EUR"),
    ]
    policy = POLICY.with_params(currency_rates=["USD=7.5", "EUR=7.123456"])
    scores = score(policy, records, "2026-11")
    converted = scores.check.facts["assessment_order"].sort("order_id")
    assert converted.get_column("sales_amount").to_list() == [0.0008, 8.7939]
    assert scores.employee("A").indicator("sales").value == float(Decimal("8.7947"))


def test_growth_of_exactly_the_target_is_an_achievement_of_exactly_one() -> None:
    """Q3 net sales 1000.7 and Q4 1100.77, each split over the months of its quarter: growth
    is exactly 0.1, the growth target, so its achievement is exactly 1.0; with sales met too,
    the KPI is 100.  Unchanged net sales grow by exactly 0."""
    q3 = [Decimal(a) for a in ("311.91", "464.88", "223.91")]
    q4 = [Decimal(a) for a in ("0.7", "0.1", "1099.97")]
    assert sum(q3) == TARGET and sum(q4) == TARGET * Decimal("1.1")
    assert (float_sum(q4) - float_sum(q3)) / float_sum(q3) != 0.1  # floats miss it

    def quarter(amounts: list[Decimal]) -> list[dict[str, Any]]:
        """Q4 orders and targets of these amounts, month by month, after Q3's orders."""
        return [
            *orders("A", q3, ["2026-07-10", "2026-08-10", "2026-09-10"]),
            *(target("A", a, 0, month) for month, a in zip(Q4, amounts, strict=True)),
            *(
                order(f"A-Q4-{n}", "A", f"KQ4-{n}", f"{month}-10", a)
                for n, (month, a) in enumerate(zip(Q4, amounts, strict=True))
            ),
        ]

    row = score(POLICY, quarter(q4), "2026-Q4").employee("A")
    growth = row.indicator("growth")
    assert (growth.value, growth.achievement) == (0.1, 1.0)
    assert row.indicator("sales").achievement == 1.0 and row.kpi_score == 100.0
    unchanged = score(POLICY, quarter(q3), "2026-Q4").employee("A").indicator("growth")
    assert (unchanged.value, unchanged.achievement, unchanged.points) == (0.0, 0.0, 0.0)


# ------------------------------------------------------------------ property

CENTS = st.integers(1, 10**7)  # 0.01 to 100,000.00


@st.composite
def quarters(draw: st.DrawFn) -> tuple[list[dict[str, Any]], Decimal]:
    """An employee's Q4: a target of up to 2 decimal places for each month, and net sales
    equal to their sum, split into 1 to 8 orders booked on random days of the quarter (and
    some cancelled or refunded orders besides, which do not count)."""
    monthly = [draw(CENTS) for _ in Q4]
    total = sum(monthly)
    count = draw(st.integers(1, min(8, total)))
    cuts = sorted(draw(st.sets(st.integers(1, total - 1), min_size=count - 1, max_size=count - 1)))
    parts = [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]
    quarter_days = (dt.date(2026, 12, 31) - dt.date(2026, 10, 1)).days
    records = [
        target("A", Decimal(cents) / 100, 0, month)
        for month, cents in zip(Q4, monthly, strict=True)
    ]
    for n, cents in enumerate(parts):
        day = dt.date(2026, 10, 1) + dt.timedelta(draw(st.integers(0, quarter_days)))
        records.append(order(f"O{n}", "A", f"K{n}", day.isoformat(), Decimal(cents) / 100))
    for n in range(draw(st.integers(0, 2))):
        day = dt.date(2026, 10, 1) + dt.timedelta(draw(st.integers(0, quarter_days)))
        status = draw(st.sampled_from(["cancelled", "refunded"]))
        amount = Decimal(draw(CENTS)) / 100
        records.append(order(f"R{n}", "A", f"R{n}", day.isoformat(), amount, status))
    return draw(st.permutations(records)), Decimal(total) / 100


@given(quarter=quarters())
def test_net_sales_equal_to_the_target_are_always_exactly_met(
    quarter: tuple[list[dict[str, Any]], Decimal],
) -> None:
    records, net = quarter
    row = score(POLICY, records, "2026-Q4").employee("A")
    sales = row.indicator("sales")
    assert sales.achievement == 1.0
    assert sales.value == sales.target == float(net)
    assert (row.commission_tier, row.commission) == ("met", commission(net, 0.02))


def test_satisfaction_is_rounded_down_never_up_to_a_bound() -> None:
    """Satisfaction is kept to 2 decimals rounded down, in the month's fact and in the KPI:
    surveys of 60, 60 and 59.99 of 100 are a mean of 59.9967, below the minimum of 60, so
    59.99 and an ASM-LOW-SATISFACTION finding (rounded to nearest it was 60.0 and none).
    Float noise does not round a value down: 2.01 of 3.35 is 60% (the float 59.999999999999986,
    no finding), 64.07 of 100 is 64.07 (6406.999999999999 hundredths)."""

    def surveys(employee_id: str, *scores: tuple[str, str]) -> list[dict[str, Any]]:
        return [
            {"type": "satisfaction_survey", "record_id": f"{employee_id}-S{n}",
             "customer_id": "K1", "employee_id": employee_id, "score": points,
             "scale_max": scale, "at": f"2026-11-{n + 2:02}T10:00:00+08:00"}
            for n, (points, scale) in enumerate(scores)
        ]  # fmt: skip

    records = [
        *surveys("A", ("60", "100"), ("60", "100"), ("59.99", "100")),
        *surveys("B", ("2.01", "3.35")),
        *surveys("C", ("64.07", "100")),
        *surveys("D", ("59.99", "100")),
    ]
    start, end = dt.date(2026, 11, 1), dt.date(2026, 11, 30)
    result = POLICY.check(records, start, end)
    month = dict(result.facts["assessment_month"].select("employee_id", "satisfaction").rows())
    assert month == {"A": 59.99, "B": 60.0, "C": 64.07, "D": 59.99}
    low = sorted(f.employee_id for f in result if f.rule_id == "ASM-LOW-SATISFACTION")
    assert low == ["A", "D"]
    scores = score(POLICY, records, "2026-11")
    shown = {e: scores.employee(e).indicator("satisfaction").value for e in "ABCD"}
    assert shown == {"A": 59.99, "B": 60.0, "C": 64.07, "D": 59.99}


def test_the_facts_ratios_never_read_above_the_exact_quotient() -> None:
    """The fact tables' ratios (sales_achievement...): 4/5 stays 0.8 and 7999999/10^7
    0.7999999 (they read as the quotient exactly); 5/6, whose float reads 0.8333333333333334,
    above it, is the float below, 0.8333333333333333; 10^24 - 1 over 1 is not 1e+24 and
    999999999999999.9999 over 10^15 not 1.0."""
    numerators = ["4", "7999999", "5", str(10**24 - 1), "999999999999999.9999"]
    denominators = ["5", str(10**7), "6", "1", str(10**15)]
    pairs = pl.DataFrame(
        {
            "numerator": [Decimal(n) for n in numerators],
            "denominator": [Decimal(d) for d in denominators],
        }
    ).select(pl.struct("numerator", "denominator"))
    shown = exact_ratios(pairs.to_series()).to_list()
    assert shown[:2] == [0.8, 0.7999999]
    assert repr(shown[2]) == "0.8333333333333333"
    assert shown[3] == math.nextafter(1e24, 0) and shown[4] == math.nextafter(1.0, 0)


def _at_most(numerator: Decimal, denominator: Decimal, quotient: float) -> float:
    """The oracle of ``exact_ratios``, from the text: from the quotient of the two floats,
    step down to the next float while its text (``repr``) times the denominator is above the
    numerator, compared as fractions (for a denominator above 0; a negative one turns the
    comparison around)."""
    sign = 1 if denominator > 0 else -1
    while sign * Fraction(Decimal(repr(quotient))) * Fraction(denominator) > sign * Fraction(
        numerator
    ):
        quotient = math.nextafter(quotient, -math.inf)
    return quotient


_AMOUNT = st.decimals(
    min_value=Decimal(-(10**29)), max_value=Decimal(10**29), places=4, allow_nan=False
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_AMOUNT, _AMOUNT), min_size=1, max_size=40))
def test_the_ratios_checked_in_columns_are_those_of_the_decimal_reading(
    pairs: list[tuple[Decimal, Decimal]],
) -> None:
    """Whatever the amounts (negative too, up to 10^29, where the columns' 128-bit integers
    no longer hold the products and rows are checked one by one): each ratio is the float
    the oracle steps down to, and a zero denominator gives null."""
    frame = pl.DataFrame(
        {"numerator": [n for n, _ in pairs], "denominator": [d for _, d in pairs]},
        schema={"numerator": pl.Decimal(38, 4), "denominator": pl.Decimal(38, 4)},
    )
    floats = (frame["numerator"].cast(pl.Float64) / frame["denominator"].cast(pl.Float64)).to_list()
    shown = exact_ratios(frame.select(pl.struct("numerator", "denominator")).to_series())
    expected = [
        None if d == 0 else _at_most(n, d, q) for (n, d), q in zip(pairs, floats, strict=True)
    ]
    assert shown.to_list() == expected
