"""The ``score`` command's text (sales_policy.scoretext): the table and ``--explain`` never show
a figure the employee did not reach.  An achievement of 79.99999% read as "80%" beside a
commission of 0.00 (tier 'below', which ends at 0.8), and net sales of 79,999.995 read as
"80,000.00" against a target of 80,000.00, made a manager doubt the commission: achievements,
satisfaction and growth are rounded down, and amounts are shown with every decimal they have.
Expected cells are worked out by hand from the records."""

from __future__ import annotations

import dataclasses
import math
from decimal import Decimal
from typing import Any

from sales_records import order, target

from sales_policy import load_policy, score
from sales_policy.scoreexplain import explain_score
from sales_policy.scoretext import score_table

#: attendance needs punches every working day, and the market report rule fires for everyone
#: with an employee record: these tests look at the assessment only
QUIET = frozenset(
    {r.rule_id for r in load_policy().all_rules() if r.rule_id.startswith(("ATT-", "DIS-REP"))}
    | {"CRM-NO-MARKET-REPORT", "CRM-NO-FOLLOW-UP"}
)
POLICY = dataclasses.replace(load_policy(), disabled=QUIET)


def survey(record_id: str, employee_id: str, score_: float, scale: int = 5) -> dict[str, Any]:
    return {
        "type": "satisfaction_survey",
        "record_id": record_id,
        "customer_id": f"K-{record_id}",
        "employee_id": employee_id,
        "at": "2026-11-10T10:00:00+08:00",
        "score": score_,
        "scale_max": scale,
    }


def table_rows(text: str) -> dict[str, list[str]]:
    """The table's cells by employee id, with the header's names."""
    lines = text.splitlines()
    header = lines[2].replace("net sales", "net").split()
    rows = {}
    for line in lines[3:]:
        if not line.strip():
            break
        cells = line.split()
        rows[cells[0]] = dict(zip(header, cells, strict=True))
    return rows


RECORDS = [
    # A: 79,999.99 of 100,000 = 0.7999999: tier 'below' (0 to 0.8), no commission
    target("A", "100000"),
    order("A-1", "A", "KA", "2026-11-03", "79999.99"),
    # B: exactly 80,000 of 100,000 = 0.8: tier 'near' from 0.8, 1% = 800.00
    target("B", "100000"),
    order("B-1", "B", "KB", "2026-11-03", "80000"),
    # C: 79,999.995 of 80,000 = 0.99999994: tier 'near', not 'met'; 1% = 799.99995 -> 800.00
    target("C", "80000"),
    order("C-1", "C", "KC", "2026-11-03", "79999.995"),
    # D: 109,999.99 after 100,000 in October: growth 0.0999999, below the 10% target;
    # one survey of 2.998 of 5 = 59.96, below the minimum of 60 (ASM-LOW-SATISFACTION)
    target("D", "100000"),
    order("D-0", "D", "KD0", "2026-10-05", "100000"),
    order("D-1", "D", "KD", "2026-11-03", "109999.99"),
    survey("S-D", "D", 2.998),
]


def test_the_table_shows_no_achievement_above_the_one_reached() -> None:
    scores = score(POLICY, RECORDS, "2026-11")
    rows = table_rows(score_table(scores))
    # A's 79.99999% is shown as 79%, not 80%: its tier is 'below', its commission 0.00
    assert scores.employee("A").commission_tier == "below"
    assert (rows["A"]["sales"], rows["A"]["commission"]) == ("79%", "0.00")
    # B reaches 80% exactly: tier 'near', 1% of 80,000
    assert (rows["B"]["sales"], rows["B"]["commission"]) == ("80%", "800.00")
    # C's net sales keep their third decimal: 79,999.995 is below the 80,000 target
    assert (rows["C"]["net"], rows["C"]["sales"]) == ("79,999.995", "99%")
    assert scores.employee("C").commission_tier == "near"
    # D: growth 9.99999% is shown as 9.9%, satisfaction 59.96 as 59.9 (below 60: a finding)
    assert (rows["D"]["growth"], rows["D"]["satisf."]) == ("9.9%", "59.9")
    assert "ASM-LOW-SATISFACTION" in {f.rule_id for f in scores.check.findings}


def test_the_breakdown_shows_no_achievement_above_the_one_reached() -> None:
    scores = score(POLICY, RECORDS, "2026-11")
    a = explain_score(scores.breakdown("A"))
    # sales: 79,999.99 of 100,000.00, achievement 0.7999999 shown to 4 places rounded down
    [sales] = [line for line in a.splitlines() if line.startswith("  sales ")]
    assert sales.split()[1:4] == ["79,999.99", "100,000.00", "0.7999"]
    assert "commission 0.00 = 0 x net sales (tier below" in a
    c = explain_score(scores.breakdown("C"))
    [sales] = [line for line in c.splitlines() if line.startswith("  sales ")]
    assert sales.split()[1:4] == ["79,999.995", "80,000.00", "0.9999"]
    assert "net 79,999.995 = booked 79,999.995 - reversed 0.00; target 80,000.00" in c
    assert "79,999.995 CNY" in c  # the order


def test_the_largest_order_against_the_smallest_target_is_shown_not_an_error() -> None:
    """One order of the largest amount, 20 nines and 4 decimals, against a sales target of
    0.0001: an achievement of 10^24 - 1 (by hand: 99,999,999,999,999,999,999.9999 x 10,000 is
    24 nines), which the breakdown shows to 4 places and the table as a percentage; both had
    raised decimal.InvalidOperation (the figure has more than the default context's 28
    digits), then showed 10^24, the nearest float, above what was reached.  They show it
    exactly; the float of the JSON is the one below 10^24."""
    records = [target("A", "0.0001"), order("A1", "A", "K1", "2026-11-03", "9" * 20 + ".9999")]
    scores = score(POLICY, records, "2026-11")
    [sales] = [
        line
        for line in explain_score(scores.breakdown("A")).splitlines()
        if line.startswith("  sales ")
    ]
    shown = "999,999,999,999,999,999,999,999.0000"  # 24 nines
    assert sales.split()[2:4] == ["0.0001", shown]  # the target, then the achievement
    assert table_rows(score_table(scores))["A"]["sales"] == "99,999,999,999,999,999,999,999,900%"
    achievement = scores.employee("A").indicator("sales").achievement
    assert achievement is not None and achievement < 10**24
    assert Decimal(repr(achievement)) <= 10**24 - 1  # as the JSON writes it: not above either
    assert achievement == math.nextafter(1e24, 0)  # the float next below 10^24


def test_an_achievement_just_below_1_is_not_shown_as_1() -> None:
    """Net sales 0.0001 below a target of 10^15: an achievement of 1 - 10^-19 (by hand),
    whose nearest float is 1.0, as if the target were met.  The score's float is the one
    below 1 (0.9999999999999999), the breakdown shows 0.9999, and the month's
    sales_achievement (evidence of ASM-TARGET-MISSED) is that float too, not 1.0."""
    records = [
        target("A", "1000000000000000"),
        order("A1", "A", "K1", "2026-11-03", "999999999999999.9999"),
    ]
    scores = score(POLICY, records, "2026-11")
    assert scores.employee("A").indicator("sales").achievement == math.nextafter(1.0, 0)
    [sales] = [
        line
        for line in explain_score(scores.breakdown("A")).splitlines()
        if line.startswith("  sales ")
    ]
    assert sales.split()[3] == "0.9999"
    [month] = scores.check.facts["assessment_month"].to_dicts()
    assert month["sales_achievement"] == math.nextafter(1.0, 0)
    # and the target is missed: the floats of net sales and target are both 10^15
    assert float(month["net_sales_text"]) == float(month["target_sales_text"])
    [missed] = [f for f in scores.check.findings if f.rule_id == "ASM-TARGET-MISSED"]
    assert missed.evidence["sales_achievement"] == math.nextafter(1.0, 0)
    assert (month["net_sales_text"], month["target_sales_text"]) == (
        "999999999999999.9999",
        "1000000000000000.00",
    )


def test_the_breakdown_says_when_a_trip_place_went_to_those_ranked_above() -> None:
    """P and Q (no team: one group of two) both meet every target, have grade A and no
    finding; the group has ceil(2 x 10%) = 1 trip place, and it goes to P, ranked first (110
    against 100: P sold 110,000 of 100,000, Q 100,000 of 100,000).  Q's breakdown said only
    "trip not eligible (grade A or better, ...)", conditions Q meets: it says why not."""
    records = [
        target("P", "100000"),
        order("P-1", "P", "KP", "2026-11-03", "110000"),
        target("Q", "100000"),
        order("Q-1", "Q", "KQ", "2026-11-03", "100000"),
    ]
    scores = score(POLICY, records, "2026-11")
    p, q = scores.employee("P"), scores.employee("Q")
    assert (p.rank, p.trip_eligible, q.rank, q.trip_eligible) == (1, True, 2, False)
    [trip] = [
        line
        for line in explain_score(scores.breakdown("Q")).splitlines()
        if line.startswith("trip")
    ]
    assert trip.startswith("trip       not eligible (grade A or better")
    assert trip.endswith("): meets these, but the team's 1 place went to those ranked above")
    [trip] = [
        line
        for line in explain_score(scores.breakdown("P")).splitlines()
        if line.startswith("trip")
    ]
    assert trip.startswith("trip       eligible (") and trip.endswith("meet these)")


def test_the_breakdown_writes_the_new_customers_as_its_other_lists() -> None:
    """The month's new customers are listed as the breakdown lists dates, in parentheses
    and separated by commas; they read as a Python list (``['C-40']``).  N won KN2 and KN1
    (first purchases, sorted), M none; N's target is 3, M's 2."""
    records = [
        target("N", "100000", customers=3),
        order("N-1", "N", "KN2", "2026-11-03", "1000"),
        order("N-2", "N", "KN1", "2026-11-04", "1000"),
        target("M", "100000", customers=2),
    ]
    scores = score(POLICY, records, "2026-11")
    n = explain_score(scores.breakdown("N"))
    assert "; new customers 2 (KN1, KN2), target 3; " in n
    assert "[" not in n and "'" not in n
    assert "; new customers 0, target 2; " in explain_score(scores.breakdown("M"))
    # in the indicators' table too, counts as the whole numbers they are: 2 of 3, not 2.00
    (row,) = [line.split() for line in n.splitlines() if line.startswith("  customers ")]
    assert row[:4] == ["customers", "2", "3", "0.6666"]
