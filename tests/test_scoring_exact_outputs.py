"""Exact amounts where they reach the user: the score table, csv, json and ``--explain``, the
Python objects, the reports' commission, the growth rate, and the integrity rules' evidence.
Amounts of 20 digits and 4 decimals (the most an amount holds, docs/inputs.md) lose digits as
floats: 98765432109876543211.1235 is the float 9.876543210987654e+19.  Every expected amount
is worked out here by hand, with Decimal, from the records' amounts."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from sales_records import order, target
from test_htmlreport import page_data

from sales_policy import load_policy, score
from sales_policy.cli import main
from sales_policy.facts.money import float_at_most
from sales_policy.htmlreport import render_html
from sales_policy.mdreport import render_markdown

#: attendance needs punches every working day, and the market report rule fires for everyone
#: with an employee record: these tests look at the amounts only
QUIET = frozenset(
    {r.rule_id for r in load_policy().all_rules() if r.rule_id.startswith(("ATT-", "DIS-REP"))}
    | {"CRM-NO-MARKET-REPORT", "CRM-NO-FOLLOW-UP"}
)
POLICY = dataclasses.replace(load_policy(), disabled=QUIET)

# E2's November: two orders booked and one refunded; its October; its target
BOOKED = (Decimal("98765432109876543210.1234"), Decimal("1.0001"))
REFUNDED = Decimal("11111111111111111111.1111")
OCTOBER = Decimal("12345678901234567890.9876")
TARGET = Decimal("99999999999999999999.9999")
NET = BOOKED[0] + BOOKED[1]  # 98765432109876543211.1235
GROSS = NET + REFUNDED  # 109876543220987654322.2346
#: 0.98765... of the target: the tier 'near' (0.8 to 1.0), 1% of the net sales, to the cent
COMMISSION = (NET * Decimal("0.01")).quantize(Decimal("0.01"), ROUND_HALF_UP)
#: E3 meets a target of 20 digits exactly: the tier 'met' (from 1.0), 2%, 19 digits
E3_NET = Decimal("61728394506172839450")
E3_COMMISSION = (E3_NET * Decimal("0.02")).quantize(Decimal("0.01"), ROUND_HALF_UP)


def grouped(amount: Decimal) -> str:
    """An amount with a thousands separator, as the table and the breakdown write it."""
    return f"{amount:,f}"


def e2_records() -> list[dict[str, Any]]:
    return [
        target("E2", str(TARGET), 1),
        order("P1", "E2", "D1", "2026-11-03", str(BOOKED[0])),
        order("P2", "E2", "D2", "2026-11-04", str(BOOKED[1])),
        order("P3", "E2", "D3", "2026-11-05", str(REFUNDED), "refunded"),
        order("P4", "E2", "D4", "2026-10-05", str(OCTOBER)),
    ]


def e3_records() -> list[dict[str, Any]]:
    return [target("E3", str(E3_NET)), order("Q1", "E3", "F1", "2026-11-03", str(E3_NET))]


def test_the_by_hand_figures() -> None:
    """What the tests compare with, and that floats would not give them."""
    assert (str(NET), str(GROSS), str(COMMISSION)) == (
        "98765432109876543211.1235",
        "109876543220987654322.2346",
        "987654321098765432.11",
    )
    assert str(E3_COMMISSION) == "1234567890123456789.00"
    assert Decimal(repr(float(NET))) != NET and Decimal(repr(float(COMMISSION))) != COMMISSION


# ------------------------------------------------------------------ growth


@pytest.mark.parametrize(
    ("before", "now"),
    [
        # unchanged net sales grow by exactly 0 (the previous net sales read back from their
        # float, 987654321987.654296875, made it 1.0124999989748438e-16)
        ("987654321987.6543", "987654321987.6543"),
        # 0.0001 more: 1/9876543219876543 (it was 2.0249999979496875e-16, twice as much)
        ("987654321987.6543", "987654321987.6544"),
        # it was 7.000000072900001, above the exact 7.00000007290000066...
        (str(OCTOBER), str(NET)),
    ],
)
def test_growth_reads_the_previous_net_sales_exactly(before: str, now: str) -> None:
    """The growth rate is (net - previous) / previous of the exact amounts, shown as a float
    never above it (docs/assessment.md), with the previous period's net sales read exactly."""
    records = [
        target("E", "1"),
        order("O1", "E", "C1", "2026-10-05", before),
        order("O2", "E", "C2", "2026-11-05", now),
    ]
    growth = score(POLICY, records, "2026-11").employee("E").indicator("growth")
    exact = (Fraction(Decimal(now)) - Fraction(Decimal(before))) / Fraction(Decimal(before))
    assert growth.value == float_at_most(exact)
    assert growth.exact_achievement == exact / Fraction(Decimal("0.1"))
    assert Fraction(Decimal(repr(growth.value))) <= exact


# ------------------------------------------------------------------ the Python objects


def test_the_scores_hold_the_amounts_exactly_beside_their_floats() -> None:
    """``exact_value``, ``exact_target`` and ``exact_commission`` are the decimals; ``value``,
    ``target`` and ``commission`` stay the floats nearest to them, and ``to_dict`` too (a
    program that reads floats reads the same), but with ``exact=True``."""
    row = score(POLICY, e2_records(), "2026-11").employee("E2")
    sales = row.indicator("sales")
    assert (sales.exact_value, sales.exact_target, row.exact_commission) == (
        NET,
        TARGET,
        COMMISSION,
    )
    assert (sales.value, sales.target, row.commission) == (
        float(NET),
        float(TARGET),
        float(COMMISSION),
    )
    assert row.exact_amounts() == {
        "sales_value": NET,
        "sales_target": TARGET,
        "commission": COMMISSION,
    }
    plain = row.to_dict()
    assert plain["commission"] == float(COMMISSION) and "exact_commission" not in plain
    assert "exact_value" not in plain["indicators"]["sales"]
    exact = row.to_dict(exact=True)
    assert exact["commission"] == COMMISSION
    assert (exact["indicators"]["sales"]["value"], exact["indicators"]["sales"]["target"]) == (
        NET,
        TARGET,
    )
    json.dumps(plain)  # JSON as it is, as before
    assert row.indicator("customers").exact_value is None  # a count is what it is


# ------------------------------------------------------------------ the command's outputs


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    folder = tmp_path_factory.mktemp("exact")
    path = folder / "records.jsonl"
    path.write_text(
        "".join(json.dumps(r) + "\n" for r in [*e2_records(), *e3_records()]), encoding="utf-8"
    )
    return [str(path), "--period", "2026-11"]


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(args) == 0
    out: str = capsys.readouterr().out
    return out


def test_the_table_writes_every_digit(
    inputs: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    out = run(["score", *inputs], capsys)
    line = next(line for line in out.splitlines() if line.startswith("E2 "))
    assert grouped(NET) in line.split() and grouped(COMMISSION) in line.split()
    line = next(line for line in out.splitlines() if line.startswith("E3 "))
    assert grouped(E3_COMMISSION) in line.split()


def test_the_csv_writes_every_digit(inputs: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    lines = run(["score", *inputs, "--format", "csv"], capsys).splitlines()
    header = lines[0].split(",")
    e2 = dict(zip(header, next(x for x in lines if x.startswith("E2,")).split(","), strict=False))
    assert (e2["sales_value"], e2["sales_target"], e2["commission"]) == (
        str(NET),
        str(TARGET),
        str(COMMISSION),
    )


def test_json_writes_every_digit_as_a_number(
    inputs: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """The numbers of every digit: a reader of decimals has the exact amounts, a reader of
    floats the same floats as before."""
    out = run(["score", *inputs, "--format", "json"], capsys)
    [e2] = [
        e for e in json.loads(out, parse_float=Decimal)["employees"] if e["employee_id"] == "E2"
    ]
    sales = e2["indicators"]["sales"]
    assert (sales["value"], sales["target"], e2["commission"]) == (NET, TARGET, COMMISSION)
    [e2] = [e for e in json.loads(out)["employees"] if e["employee_id"] == "E2"]
    assert (e2["indicators"]["sales"]["value"], e2["commission"]) == (float(NET), float(COMMISSION))
    # the other numbers as before: a float stays a float, a count a whole number
    assert e2["indicators"]["customers"]["value"] == 2 and e2["commission_rate"] == 0.01


def test_exact_json_writes_decimals_as_numbers_and_nothing_else() -> None:
    """A decimal as money is written (2 decimals at least), a text that looks like the mark
    stays a text."""
    from sales_policy.scoretext import exact_json  # here: the module's other tests run without

    data = {"a": Decimal("3002.1000"), "b": [Decimal("0")], "c": "exact-number-x:1", "d": 0.1}
    assert json.loads(exact_json(data), parse_float=str) == {
        "a": "3002.10",
        "b": ["0.00"],
        "c": "exact-number-x:1",
        "d": "0.1",
    }


def test_the_breakdown_writes_every_digit(
    inputs: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """The indicators' value and target, the month's net, booked, reversed and previous net
    sales, the orders' amounts and the commission."""
    out = run(["score", *inputs, "--explain", "E2"], capsys)
    [sales] = [line for line in out.splitlines() if line.startswith("  sales ")]
    assert sales.split()[1:3] == [grouped(NET), grouped(TARGET)]
    [month] = [line for line in out.splitlines() if line.startswith("  2026-11:")]
    for part in (
        f"net {grouped(NET)} = booked {grouped(GROSS)} - reversed {grouped(REFUNDED)}",
        f"target {grouped(TARGET)};",
        f"previous 2026-10: net {grouped(OCTOBER)};",
    ):
        assert part in month
    for amount in (*BOOKED, REFUNDED):
        assert any(f" {grouped(amount)} CNY " in line for line in out.splitlines())
    assert f"commission {grouped(COMMISSION)} = 0.01 x net sales" in out
    data = json.loads(
        run(["score", *inputs, "--explain", "E2", "--format", "json"], capsys),
        parse_float=Decimal,
    )
    assert data["score"]["commission"] == COMMISSION
    assert data["score"]["indicators"]["sales"]["value"] == NET
    [month] = data["months"]
    assert [
        Decimal(month[f"{name}_text"])
        for name in ("net_sales", "gross_sales", "reversed_sales", "previous_net_sales")
    ] == [NET, GROSS, REFUNDED, OCTOBER]
    assert sorted(Decimal(o["amount_text"]) for o in data["orders"]) == sorted([*BOOKED, REFUNDED])


def test_the_reports_write_the_commission_to_every_digit() -> None:
    """Markdown writes it as the table does; the page's data holds the text where the float
    would write other digits (and the number where it writes the same, to sort by)."""
    scores = score(POLICY, [*e2_records(), *e3_records()], "2026-11")
    text = render_markdown(scores.check, lang="en", scores=scores)
    assert f"| {grouped(COMMISSION)} |" in text and f"| {grouped(E3_COMMISSION)} |" in text
    data = page_data(render_html(scores.check, scores=scores))
    commission = data["scoreColumns"].index(["提成", "Commission"])
    cells = {e[0]: e[6][commission] for e in data["employees"]}
    assert cells == {"E2": str(COMMISSION), "E3": str(E3_COMMISSION)}


# ------------------------------------------------------------------ the check's evidence


def test_integrity_evidence_shows_amounts_to_every_digit(tmp_path: Path) -> None:
    """A month-end order refunded (INT-SALES-REVERSAL) and a gift over the limit (INT-GIFT),
    of 20 digits: the evidence has the amount's text, which the reports show as the amount.
    The gift in USD at 7.1 is 12345678901234567.1234 x 7.1 = 87654320198765426.57614 CNY,
    rounded half away from zero to 4 places."""
    amount = Decimal("98765432109876543210.1234")
    gift, usd = Decimal("12345678901234567890.1234"), Decimal("12345678901234567.1234")
    in_cny = (usd * Decimal("7.1")).quantize(Decimal("0.0001"), ROUND_HALF_UP)
    records: list[dict[str, Any]] = [
        order("R1", "E1", "C1", "2026-11-30", str(amount), "refunded"),
        *(
            {
                "type": "gift",
                "record_id": f"G{n}",
                "employee_id": "E1",
                "counterparty": "ACME",
                "direction": "given",
                "value": str(value),
                "currency": currency,
                "at": "2026-11-10T10:00:00+08:00",
                "approved": False,
            }
            for n, (value, currency) in enumerate(((gift, "CNY"), (usd, "USD")))
        ),
    ]
    policy = POLICY.with_params(currency_rates=["USD=7.1"])
    result = policy.check(records, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    found = {f.rule_id + f.evidence.get("record_id", ""): f.evidence for f in result.findings}
    assert Decimal(found["INT-SALES-REVERSAL"]["amount_text"]) == amount
    assert Decimal(found["INT-GIFTG0"]["value_cny_text"]) == gift
    assert Decimal(found["INT-GIFTG1"]["value_cny_text"]) == in_cny
    text = render_markdown(result, lang="en")
    assert f"amount: {amount};" in text
    assert f"value\\_cny: {gift}" in text and f"value\\_cny: {in_cny}" in text
