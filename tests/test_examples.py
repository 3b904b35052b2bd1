"""The bundled example month gives exactly the findings its README lists by hand (its
attendance findings, and the discipline rule set's month counts of them); with the same
team's conduct and assessment records (examples/november-2026-sales/) it gives those and the
findings and the scores that folder's README derives."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import EXAMPLE_MONTH, EXAMPLE_SALES

import sales_policy
from sales_policy import load_policy
from sales_policy.findings import CheckResult
from sales_policy.scores import Scores

Key = tuple[str, str, str | None, str | None]


def expected_findings(folder: Path) -> list[Key]:
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    return sorted((e["rule_id"], e["employee_id"], e["date"], e["period"]) for e in expected)


def found(result: CheckResult) -> list[Key]:
    return sorted(
        (f.rule_id, f.employee_id, f.date.isoformat() if f.date else None, f.period) for f in result
    )


def test_example_month_matches_the_hand_written_expectations() -> None:
    result = load_policy().check(
        sorted(EXAMPLE_MONTH.glob("*.csv")), dt.date(2026, 11, 1), dt.date(2026, 11, 30)
    )
    assert found(result) == expected_findings(EXAMPLE_MONTH)
    assert result.counts.read == result.counts.accepted


def test_example_non_violations_stay_clean() -> None:
    cases = json.loads((EXAMPLE_MONTH / "non_violations.json").read_text(encoding="utf-8"))
    result = load_policy().check(
        sorted(EXAMPLE_MONTH.glob("*.csv")), dt.date(2026, 11, 1), dt.date(2026, 11, 30)
    )
    flagged = {(f.employee_id, f.date.isoformat()) for f in result if f.date}
    for case in cases:
        for day in case["dates"]:
            assert (case["employee_id"], day) not in flagged, case["case"]


# ------------------------------------------------------------------ both folders together


@pytest.fixture(scope="module")
def whole_example() -> Scores:
    """One score, so one check, of both folders for 2026-11, shared by the tests below."""
    files = sorted(EXAMPLE_MONTH.glob("*.csv")) + sorted(EXAMPLE_SALES.glob("*.csv"))
    return sales_policy.score(load_policy(), files, "2026-11")


def test_sales_records_give_exactly_their_expected_findings(whole_example: Scores) -> None:
    """Checked with the attendance month, the findings are the attendance month's and exactly
    those examples/november-2026-sales/README.md lists, and every row is accepted."""
    result = whole_example.check
    both = expected_findings(EXAMPLE_MONTH) + expected_findings(EXAMPLE_SALES)
    assert found(result) == sorted(both)
    assert result.counts.read == result.counts.accepted
    assert result.counts.by_type["order"] == 80  # October's orders are read, not judged
    # the look-alikes whose window is still open are pending, not findings: the order of
    # the 30th, the contract of the 24th, the inquiry of the 30th, the plan of the 30th
    assert {rule: n for rule, n in result.pending.items() if n} == {
        "INT-SALES-REVERSAL": 1,
        "CRM-NO-FOLLOW-UP": 1,
        "CRM-SLOW-RESPONSE": 1,
        "CRM-PLAN-MISSED": 1,
    }


def test_month_counts_of_discipline_count_the_attendance_month(whole_example: Scores) -> None:
    """The conduct records add no attendance finding, and the discipline rule set's month
    counts count the attendance month's findings: S006 is late on the 12th, 18th and 24th
    (DIS-REPEATED-LATE), S003 absent on the 13th and 17th and on leave not approved on the 20th
    (DIS-REPEATED-ABSENCE).  S004, late on the 11th and 16th, and S001, absent on the 13th
    only (his leave of the 27th was approved late, which excuses the day), are short of 3."""
    result = whole_example.check
    month_rules = {rule for rule, *_ in expected_findings(EXAMPLE_MONTH)}
    assert [key for key in found(result) if key[0] in month_rules] == expected_findings(
        EXAMPLE_MONTH
    )
    counts = {
        (f.rule_id, f.employee_id): (
            f.evidence.get("finding_count"),
            f.evidence.get("finding_days"),
            f.evidence["finding_dates"],
        )
        for f in result
        if f.rule_id.startswith("DIS-REPEATED-")
    }
    late = ["2026-11-12", "2026-11-18", "2026-11-24"]
    absent = ["2026-11-13", "2026-11-17", "2026-11-20"]
    assert counts == {
        ("DIS-REPEATED-LATE", "S006"): (3, None, late),
        ("DIS-REPEATED-ABSENCE", "S003"): (None, 3, absent),
    }


def test_sales_records_alone_miss_the_plans_the_attendance_visits_keep() -> None:
    """The sales folder checked without the attendance month: the two visit plans its README
    says the attendance month's visits keep (S001's for C-1004 on the 9th, V0009; S004's for
    C-1045 on the 19th, V0021) are missed, besides the folder's own CRM-PLAN-MISSED."""
    result = load_policy().check(
        sorted(EXAMPLE_SALES.glob("*.csv")),
        dt.date(2026, 11, 1),
        dt.date(2026, 11, 30),
        rulesets=["customer_care"],
    )
    own = [key for key in expected_findings(EXAMPLE_SALES) if key[0] == "CRM-PLAN-MISSED"]
    kept_by_visits = [
        ("CRM-PLAN-MISSED", "S001", "2026-11-09", None),
        ("CRM-PLAN-MISSED", "S004", "2026-11-19", None),
    ]
    missed = [key for key in found(result) if key[0] == "CRM-PLAN-MISSED"]
    assert missed == sorted(own + kept_by_visits)


def test_whole_example_breaks_every_rule() -> None:
    """Each rule of every rule set fires at least once in the example's expected findings:
    the two month counts of discipline by the attendance month's records, the other rules of
    the conduct and assessment rule sets by the sales folder's."""
    rules = {r.rule_id for r in load_policy().all_rules()}
    month = {rule for rule, *_ in expected_findings(EXAMPLE_MONTH)}
    sales = {rule for rule, *_ in expected_findings(EXAMPLE_SALES)}
    assert month | sales == rules
    assert month - {r for r in rules if r.startswith("ATT-")} == {
        "DIS-REPEATED-LATE",
        "DIS-REPEATED-ABSENCE",
    }


# The scores derived by hand from docs/assessment.md's defaults.
#
# KPI = 100 x sum(weight x min(achievement, 1.2)), weights sales 0.5, customers 0.2,
# satisfaction 0.2 (satisfaction / 90), growth 0.1 (growth rate / 0.10); an achievement below
# 0 counts 0.  Conduct per rule set = 100 - 2 per minor - 5 per major - 20 per critical
# finding; the six rule sets are attendance, discipline, integrity, confidentiality,
# customer_care, assessment (the attendance points from the month's README: e.g. S001 has
# ATT-LATE, ATT-EARLY, ATT-LEAVE-NOT-IN-ADVANCE (minor) and ATT-ABSENT (major): 100 - 6 - 5).
# overall = 0.7 x KPI + 0.3 x mean conduct (each rounded to 2 places first); grades A >= 90,
# B >= 75, C >= 60, else D.  Commission: rate of the tier of the uncapped sales achievement
# (< 0.8: 0, from 0.8: 1%, from 1.0: 2%, from 1.2: 3%) x net sales.  Bonus: grade B or better,
# no critical finding, no major integrity or confidentiality finding; trip: the same with
# grade A, one place per team of four, in rank order.
#
# S001: sales 372,000/300,000 = 1.24 -> 1.2; customers 3/2 -> 1.2; satisfaction 90/90 = 1;
#   growth (372-300)/300 = 24% -> 2.4 -> 1.2.  KPI = 60 + 24 + 20 + 12 = 116.
#   conduct 89 (attendance), 100, 100, 100, 98 (CRM-NO-REVISIT), 100: mean 587/6 = 97.83.
#   overall 81.2 + 29.349 = 110.549 -> 110.55, A.  Commission 3% x 372,000 = 11,160.
# S002: 230,000/250,000 = 0.92 -> 46; 2/2 -> 20; 88/90 -> 19.5556; (230-200)/200 = 15% -> 1.2
#   -> 12.  KPI 97.5556 -> 97.56.  Conduct 86, 95 (DIS-MOONLIGHT), 90 (INT-EXAGGERATED-PROMISE,
#   INT-SALES-REVERSAL), 100, 98 (CRM-SLOW-RESPONSE), 100 (ASM-TARGET-MISSED is info): 94.83.
#   overall 68.292 + 28.449 = 96.741 -> 96.74, A, but majors in integrity: no bonus, no trip.
#   Commission 1% x 230,000 = 2,300.
# S003: 252/280 = 0.9 -> 45; 1/2 -> 10; 90/90 -> 20; (252-280)/280 = -10% -> 0.  KPI 75.
#   Conduct 78 (ATT-EARLY minor; ATT-UNAPPROVED-LEAVE, ATT-LEFT-POST, 2 x ATT-ABSENT major),
#   80 (DIS-REPEATED-ABSENCE critical), 95 (INT-MISLEADING), 70 (CONF-COMPETITOR critical,
#   CONF-PERSONAL, CONF-BULK-EXPORT), 96 (CRM-NO-REVISIT, CRM-NO-MARKET-REPORT), 100:
#   519/6 = 86.5.  overall 52.5 + 25.95 = 78.45, B, barred.  Commission 1% x 252,000 = 2,520.
# S004: 110/200 = 0.55 -> 27.5; 0/2 -> 0; 50/90 -> 11.1111; (110-110)/110 = 0 -> 0.
#   KPI 38.6111 -> 38.61.  Conduct 82 (2 x ATT-LATE, ATT-LEAVE-NOT-IN-ADVANCE,
#   ATT-OVERTIME-UNAPPROVED minor; ATT-EARLY-SERIOUS, ATT-ABSENT major), 93 (DIS-MOONLIGHT,
#   DIS-IMAGE), 85 (three integrity majors), 86 (CONF-PERSONAL, CONF-BULK-EXPORT, 2 x
#   CONF-UNASSIGNED), 94 (CRM-NO-FOLLOW-UP, CRM-PLAN-MISSED, CRM-NO-MARKET-REPORT;
#   CRM-PROFILE-INCOMPLETE is info), 98 (ASM-LOW-SATISFACTION): 538/6 = 89.667 -> 89.67.
#   overall 27.027 + 26.901 = 53.928 -> 53.93, D; 0.55 is below 0.8: commission 0.
# S005: 336/320 = 1.05 -> 52.5; 3/3 -> 20; 96/90 -> 21.3333; (336-280)/280 = 20% -> 1.2 -> 12.
#   KPI 105.8333 -> 105.83.  Conduct 86, 100, 95 (INT-GIFT), 95 (CONF-EXTERNAL-SHARE), 100, 98
#   (ASM-TRAINING-OVERDUE): 574/6 = 95.67.  overall 74.081 + 28.701 = 102.782 -> 102.78, A,
#   barred.  Commission 2% x 336,000 = 6,720.
# S006: 208/260 = 0.8 -> 40; 1/2 -> 10; 60/90 -> 13.3333; (208-260)/260 = -20% -> 0.
#   KPI 63.3333 -> 63.33.  Conduct 89 (3 x ATT-LATE minor, ATT-OVERTIME-MONTH-LIMIT major),
#   95 (DIS-REPEATED-LATE major), 95 (INT-GIFT), 80 (CONF-SECRET-LEAK critical), 96
#   (CRM-NO-FOLLOW-UP, CRM-PLAN-MISSED), 100: 555/6 = 92.5.  overall 44.331 + 27.75 =
#   72.081 -> 72.08, C.  0.8 exactly is in the tier from 0.8: commission 1% x 208,000 = 2,080.
# S007: 264/240 = 1.1 -> 55; 2/2 -> 20; 90/90 -> 20; (264-240)/240 = 10% -> 10.  KPI 105.
#   Conduct 88, 98 (DIS-IMAGE), 100, 100, 98 (CRM-SLOW-RESPONSE), 100: 584/6 = 97.33.
#   overall 73.5 + 29.199 = 102.699 -> 102.70, A.  Commission 2% x 264,000 = 5,280.
# S008: no October sales: growth undefined, its 0.1 shared.  36/60 = 0.6; 1/1 = 1; 80/90.
#   KPI = 100 x (0.3 + 0.2 + 0.17778) / 0.9 = 75.3086 -> 75.31.  Conduct 90, 100, 100, 95
#   (CONF-EXTERNAL-SHARE), 100 (CRM-PROFILE-INCOMPLETE is info), 98 (ASM-TRAINING-OVERDUE):
#   583/6 = 97.17.  overall 52.717 + 29.151 = 81.868 -> 81.87, B, barred.  Commission 0.
# Ranks: 华东一组 S001 > S002 > S003 > S004; 华东二组 S005 > S007 > S008 > S006.  Each team
# has ceil(4 x 10%) = 1 trip place: S001's in 华东一组; in 华东二组 S005 is barred, so the
# place passes to S007.
SCORES = {  # employee: (KPI, overall, grade, commission, bonus, trip, rank in the team)
    "S001": (116.0, 110.55, "A", 11160.0, True, True, 1),
    "S002": (97.56, 96.74, "A", 2300.0, False, False, 2),
    "S003": (75.0, 78.45, "B", 2520.0, False, False, 3),
    "S004": (38.61, 53.93, "D", 0.0, False, False, 4),
    "S005": (105.83, 102.78, "A", 6720.0, False, False, 1),
    "S006": (63.33, 72.08, "C", 2080.0, False, False, 4),
    "S007": (105.0, 102.7, "A", 5280.0, True, True, 2),
    "S008": (75.31, 81.87, "B", 0.0, False, False, 3),
}
CONDUCT = {  # attendance, discipline, integrity, confidentiality, customer_care, assessment
    "S001": (89, 100, 100, 100, 98, 100),
    "S002": (86, 95, 90, 100, 98, 100),
    "S003": (78, 80, 95, 70, 96, 100),
    "S004": (82, 93, 85, 86, 94, 98),
    "S005": (86, 100, 95, 95, 100, 98),
    "S006": (89, 95, 95, 80, 96, 100),
    "S007": (88, 98, 100, 100, 98, 100),
    "S008": (90, 100, 100, 95, 100, 98),
}
RULESETS = (
    "attendance",
    "discipline",
    "integrity",
    "confidentiality",
    "customer_care",
    "assessment",
)


def test_whole_example_scores_as_derived_by_hand(whole_example: Scores) -> None:
    """`score` over both folders for 2026-11 gives the grades, commissions and rewards the
    sales folder's README works out from docs/assessment.md's defaults."""
    got = {
        row.employee_id: (
            row.kpi_score,
            row.overall,
            row.grade,
            row.commission,
            row.bonus_eligible,
            row.trip_eligible,
            row.rank,
        )
        for row in whole_example
    }
    assert got == SCORES
    for row in whole_example:
        assert tuple(row.conduct[name] for name in RULESETS) == CONDUCT[row.employee_id]
        assert row.conduct_mean == round(sum(CONDUCT[row.employee_id]) / 6, 2)
    growth = whole_example.employee("S008").indicator("growth")
    assert growth.achievement is None and growth.effective_weight == 0


def test_the_readmes_satisfaction_achievements_are_those_explain_shows(
    whole_example: Scores,
) -> None:
    """The sales folder's README writes each satisfaction achievement as ``--explain`` does:
    satisfaction / 90 to 4 places, rounded down (docs/assessment.md: never shown above what
    was reached), so 88 is 0.9777, not 0.9778."""
    import re
    from decimal import ROUND_DOWN, Decimal

    from sales_policy.scoreexplain import explain_score

    readme = (EXAMPLE_SALES / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (S\d{3}) \S+ \|(?:[^|]*\|){3} (\d+) → ([\d.]+) \|", readme, re.M)
    assert len(rows) == 8
    for employee, satisfaction, shown in rows:
        exact = (Decimal(satisfaction) / 90).quantize(Decimal("0.0001"), rounding=ROUND_DOWN)
        assert Decimal(shown) == exact, employee
        line = next(
            line
            for line in explain_score(whole_example.breakdown(employee)).splitlines()
            if line.strip().startswith("satisfaction ")
        )
        assert f"{exact:.4f}" in line.split(), (employee, line)
