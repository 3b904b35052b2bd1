"""Scores (sales_policy.scoring, rules/assessment.yaml's scoring section): a worked example
checked by hand, rewards that follow sales performance, the scoring section's checks at load,
currencies, quarters, the command line, and properties: more net sales never lowers a score,
one more finding never raises one, scores stay in their bounds, an employee's result does not
depend on other teams' records, no reward without a sales target and trip places given in
rank order, and rank ties are broken deterministically."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import functools
import io
import json
import math
import random
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from conftest import half_the_examples
from hypothesis import given
from hypothesis import strategies as st
from sales_records import order, target

import sales_policy
from sales_policy import InvalidArgument, PolicyError, RuleFileError, load_policy, score
from sales_policy.cli import main
from sales_policy.policy import default_rule_dir
from sales_policy.policyparams import scoring_values
from sales_policy.rulefile import load_ruleset
from sales_policy.scores import EmployeeScore
from sales_policy.scoring import _ranked, parse_period

#: attendance needs punches every working day, and the market report rule fires for everyone
#: with an employee record: the worked example turns off what it does not exercise
QUIET = frozenset(
    {r.rule_id for r in load_policy().all_rules() if r.rule_id.startswith(("ATT-", "DIS-REP"))}
    | {"CRM-NO-MARKET-REPORT", "CRM-NO-FOLLOW-UP"}
)
POLICY = dataclasses.replace(load_policy(), disabled=QUIET)


def employee(employee_id: str, team: str) -> dict[str, Any]:
    return {"type": "employee", "employee_id": employee_id, "name": employee_id, "team": team}


def survey(record_id: str, employee_id: str, day: str, points: float) -> dict[str, Any]:
    return {
        "type": "satisfaction_survey",
        "record_id": record_id,
        "customer_id": "K1",
        "employee_id": employee_id,
        "at": f"{day}T10:00:00+08:00",
        "score": points,
    }


def training(record_id: str, employee_id: str, due: str, done: str | None) -> dict[str, Any]:
    return {
        "type": "training",
        "record_id": record_id,
        "employee_id": employee_id,
        "course": "product knowledge",
        "required_by": due,
        "completed_at": None if done is None else f"{done}T10:00:00+08:00",
    }


def gift(record_id: str, employee_id: str) -> dict[str, Any]:
    return {
        "type": "gift",
        "record_id": record_id,
        "employee_id": employee_id,
        "counterparty": "Acme",
        "direction": "received",
        "value": 500,
        "at": "2026-11-12T10:00:00+08:00",
        "approved": False,
    }


# Team N, November 2026 (A to E), and team S (F); amounts in CNY.  Every number below is
# worked out by hand in the comments of test_worked_example.
TEAM = [
    *(employee(e, "N") for e in "ABCDE"),
    employee("F", "S"),
    # A: 120,000 of 100,000 (1.2: the top tier's lower bound), 3 new customers of 2, 5/5,
    # October 100,000 (growth 0.2)
    target("A", 100000, 2),
    order("A0", "A", "K0", "2026-10-10", 100000),
    order("A1", "A", "K1", "2026-11-03", 50000),
    order("A2", "A", "K2", "2026-11-04", 40000),
    order("A3", "A", "K3", "2026-11-05", 30000),
    survey("SA", "A", "2026-11-06", 5),
    # B: 100,000 of 100,000 (1.0), K1 is A's customer already, K4 is new: 1 of 2; 4/5; no
    # October sales; a course completed a day late
    target("B", 100000, 2),
    order("B1", "B", "K1", "2026-11-10", 60000),
    order("B2", "B", "K4", "2026-11-11", 40000),
    survey("SB", "B", "2026-11-12", 4),
    training("TB", "B", "2026-11-15", "2026-11-16"),
    # C: 80,000 of 100,000 (0.8), a cancelled order wins no customer, target of 0 customers;
    # 2/5 and 3/5 (50); October 100,000 (growth -0.2); an unapproved gift of 500
    target("C", 100000, 0),
    order("C1", "C", "K5", "2026-11-03", 80000),
    order("C2", "C", "K6", "2026-11-04", 10000, "cancelled"),
    order("C0", "C", "K7", "2026-10-03", 100000),
    survey("SC1", "C", "2026-11-05", 2),
    survey("SC2", "C", "2026-11-06", 3),
    gift("G1", "C"),
    # D: 79,990 of 100,000 (just below 0.8), one new customer of 1 by a contract; no survey;
    # October 50,000; customer data e-mailed to a competitor
    target("D", 100000, 1),
    order("D1", "D", "K1", "2026-11-20", 79990),
    order("D0", "D", "K10", "2026-10-20", 50000),
    {
        "type": "contract",
        "contract_id": "CT1",
        "employee_id": "D",
        "customer_id": "K9",
        "signed_at": "2026-11-02T10:00:00+08:00",
        "amount": 1000,
    },
    {
        "type": "data_access",
        "record_id": "DA1",
        "employee_id": "D",
        "at": "2026-11-09T10:00:00+08:00",
        "data_class": "customer",
        "action": "email",
        "record_count": 3,
        "destination": "buyer@rival.example",
        "destination_kind": "competitor",
        "approved": False,
    },
    # E: no target, no survey, no October sales: no KPI; training on time (weight 0)
    order("E1", "E", "K8", "2026-11-03", 5000),
    training("TE", "E", "2026-11-15", "2026-11-14"),
    # F (team S): 70,000 of 50,000 (1.4, capped at 1.2 in the KPI), 5/5, no October sales
    target("F", 50000, 0),
    order("F1", "F", "K11", "2026-11-03", 70000),
    survey("SF", "F", "2026-11-04", 5),
]


@pytest.fixture(scope="module")
def worked() -> sales_policy.Scores:
    return score(POLICY, TEAM, "2026-11")


def test_worked_example_kpi(worked: sales_policy.Scores) -> None:
    """KPI = 100 x sum of weight x min(achievement, 1.2); weights .5 .2 .2 .1, shared out
    among the indicators that can be computed."""
    assert worked.check.counts.rejected == 0, worked.check.rejects.to_dicts()
    a, b, c, d, e, f = (worked.employee(x) for x in "ABCDEF")
    # A: .5 x 1.2 + .2 x 1.2 (3/2 capped) + .2 x 100/90 + .1 x 1.2 (0.2/0.1 capped) = 1.182222
    assert a.kpi_score == 118.22
    assert a.indicator("customers").value == 3 and a.indicator("growth").value == pytest.approx(0.2)
    # B: growth undefined; weights .5 .2 .2 over 0.9: (.5 x 1 + .2 x .5 + .2 x 80/90) / .9
    assert b.indicator("growth").achievement is None
    assert "no net sales in the previous period, 2026-10:" in (b.indicator("growth").reason or "")
    assert b.indicator("sales").effective_weight == pytest.approx(0.5 / 0.9)
    assert b.kpi_score == 86.42
    assert any(
        "growth not computed" in note and "shared among sales, customers, satisfaction" in note
        for note in b.notes
    )
    # C: customers target 0 (undefined); growth -0.2 counts 0: (.5 x .8 + .2 x 50/90) / .8
    assert c.indicator("customers").reason == "the new-customer target is 0"
    assert c.indicator("customers").value == 1  # K5; K6's order was cancelled
    assert c.indicator("growth").value == pytest.approx(-0.2) and c.indicator("growth").points == 0
    assert c.indicator("satisfaction").value == 50.0
    assert c.kpi_score == 63.89
    # D: no survey; (.5 x .7999 + .2 x 1 + .1 x 1.2) / .8 = 89.99375
    assert d.indicator("customers").value == 1  # K9, by contract; K1 was A's
    assert d.kpi_score == 89.99
    # E: nothing weighted can be computed (training has weight 0)
    assert e.kpi_score is None and e.indicator("training").value == 1.0
    # F: (.5 x 1.2 (1.4 capped) + .2 x 100/90) / .7
    assert f.indicator("sales").achievement == pytest.approx(1.4)
    assert f.kpi_score == 117.46


def test_worked_example_conduct_overall_grade(worked: sales_policy.Scores) -> None:
    """Conduct per rule set in force: 100 less 0/2/5/20 per info/minor/major/critical finding;
    overall = .7 KPI + .3 mean conduct (5 rule sets: attendance has no rule in force here);
    grades A >= 90, B >= 75, C >= 60."""
    a, b, c, d, e, f = (worked.employee(x) for x in "ABCDEF")
    assert list(a.conduct) == [
        "discipline",
        "integrity",
        "confidentiality",
        "customer_care",
        "assessment",
    ]
    assert a.conduct_mean == 100 and a.overall == 112.75 and a.grade == "A"  # .7 x 118.22 + 30
    assert b.conduct["assessment"] == 98 and b.conduct_mean == 99.6  # training overdue: minor
    assert b.overall == 90.37 and b.grade == "A"  # 60.494 + 29.88
    # C: INT-GIFT major -5, ASM-LOW-SATISFACTION minor -2, ASM-TARGET-MISSED info 0
    assert (c.conduct["integrity"], c.conduct["assessment"], c.conduct_mean) == (95, 98, 98.6)
    assert c.overall == 74.3 and c.grade == "C"  # 44.723 + 29.58
    assert d.conduct["confidentiality"] == 80 and d.overall == 91.79 and d.grade == "A"
    assert e.overall is None and e.grade is None and e.rank is None
    assert f.overall == 112.22 and f.grade == "A"


def test_worked_example_commission_and_eligibility(worked: sales_policy.Scores) -> None:
    """Tiers [0, .8) 0%, [.8, 1) 1%, [1, 1.2) 2%, [1.2, ...) 3% of all net sales; a bonus
    needs grade B and no critical and no major integrity/confidentiality finding; a trip needs
    grade A and the top 10% of the team (ceil(4 x 10%) = 1 place in team N)."""
    rows = {row.employee_id: row for row in worked}
    assert {e: (r.commission_tier, r.commission) for e, r in rows.items()} == {
        "A": ("exceeded", 3600.0),
        "B": ("met", 2000.0),
        "C": ("near", 800.0),
        "D": ("below", 0.0),
        "E": (None, None),
        "F": ("exceeded", 2100.0),
    }
    assert {e for e, r in rows.items() if r.bonus_eligible} == {"A", "B", "F"}
    assert any("grade C is below B" in n and "1 major integrity" in n for n in rows["C"].notes)
    assert any("1 critical confidentiality" in n for n in rows["D"].notes)
    assert {e: (r.rank, r.team_size) for e, r in rows.items()} == {
        "A": (1, 4),
        "D": (2, 4),
        "B": (3, 4),
        "C": (4, 4),
        "E": (None, 0),
        "F": (1, 1),
    }
    assert {e for e, r in rows.items() if r.trip_eligible} == {"A", "F"}


def test_worked_example_as_frame_and_breakdown(worked: sales_policy.Scores) -> None:
    """The same numbers as a DataFrame and as a breakdown: orders, findings, weights."""
    frame = worked.frame
    assert frame.height == 6 and frame.filter(frame["employee_id"] == "A")["overall"][0] == 112.75
    assert {"conduct_integrity", "sales_achievement", "grade", "rank"} <= set(frame.columns)
    breakdown = worked.breakdown("C")
    assert breakdown.orders.get_column("order_id").to_list() == ["C1", "C2"]
    assert breakdown.orders.get_column("counted").to_list() == [True, False]
    line = next(i for i, r in enumerate(TEAM, 1) if r.get("order_id") == "C1")
    assert breakdown.orders.get_column("source").to_list()[0] == f"<records>:{line}"
    assert {f.rule_id for f in breakdown.findings} == {
        "INT-GIFT",
        "ASM-LOW-SATISFACTION",
        "ASM-TARGET-MISSED",
    }
    data = breakdown.to_dict()
    assert data["values"]["weights"] == {
        "sales": 0.5,
        "customers": 0.2,
        "satisfaction": 0.2,
        "growth": 0.1,
        "training": 0.0,
    }
    text = json.dumps(data)  # JSON as it is: dates and instants as ISO 8601 text
    assert json.loads(text)["orders"][0]["date"] == breakdown.orders["date"][0].isoformat()
    with pytest.raises(InvalidArgument, match="no score for employee 'Z'"):
        worked.breakdown("Z")
    with pytest.raises(InvalidArgument, match=r"needs a Policy \(load_policy\(\)\), not NoneType"):
        score(None, TEAM, "2026-11")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgument, match=r"no indicator 'sale' \(did you mean 'sales'"):
        worked.employee("A").indicator("sale")
    # a fixed schema: the columns and types do not depend on the values
    assert frame.schema["team"] == pl.String and frame.schema["growth_value"] == pl.Float64
    nobody = sales_policy.score(POLICY, [], "2026-11")
    assert nobody.frame.is_empty() and nobody.frame.schema == frame.schema


def test_an_employee_without_assessment_records_is_scored_in_the_team_of_their_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """G has an employee record in 华东一组 and no sales record: no KPI score, but the team
    is the record's, in the scores, their JSON and the table (as the HTML report shows it);
    A, with a target, keeps hers."""
    records = [employee("A", "N"), target("A", 100000, 2), employee("G", "华东一组")]
    scores = score(POLICY, records, "2026-11")
    assert [(row.employee_id, row.team, row.kpi_score) for row in scores] == [
        ("A", "N", 0.0),
        ("G", "华东一组", None),
    ]
    path = tmp_path / "records.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    assert main(["score", str(path), "--period", "2026-11", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert [(e["employee_id"], e["team"]) for e in document["employees"]] == [
        ("A", "N"),
        ("G", "华东一组"),
    ]
    assert main(["score", str(path), "--period", "2026-11"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[4].startswith("G         华东一组  ")


def test_points_are_rounded_to_2_decimals_and_the_kpi_is_their_exact_sum_rounded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """55,000 of 100,000 (0.55) and 1 new customer of 1; no survey and no October sales, so
    satisfaction's and growth's weights are shared: sales 0.5 / 0.7 = 5/7, customers 2/7.
    Points: 100 x 5/7 x 0.55 = 275/7 = 39.2857... -> 39.29; 100 x 2/7 x 1 = 28.5714... ->
    28.57; KPI 475/7 = 67.857... -> 67.86.  Without rounding, 0.55 x 0.5 x 100 and the like
    read 27.500000000000004 in the JSON."""
    records = [target("E", 100000, 1), order("E1", "E", "K1", "2026-11-03", 55000)]
    row = score(POLICY, records, "2026-11").employee("E")
    assert [(i.name, i.points) for i in row.indicators if i.points] == [
        ("sales", 39.29),
        ("customers", 28.57),
    ]
    assert row.kpi_score == 67.86
    path = tmp_path / "records.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    assert main(["score", str(path), "--period", "2026-11", "--format", "json"]) == 0
    text = capsys.readouterr().out
    assert re.findall(r'"points": ([0-9.]+)', text) == ["39.29", "28.57", "0.0", "0.0", "0.0"]
    # every indicator computed, the weights as declared: 0.5 x 0.55 reads 27.500000000000004
    # as a float product; 0.2 x 1 (2 of 2 new customers); 0.2 x 60/90 = 13.333... -> 13.33;
    # 0.1 x 1 (55,000 on 50,000: growth 0.1 of 0.1).  KPI 70.8333... -> 70.83
    full = [target("F", 100000, 2), order("F0", "F", "K0", "2026-10-03", 50000)]
    full += [
        order("F1", "F", "K1", "2026-11-03", 30000),
        order("F2", "F", "K2", "2026-11-04", 25000),
    ]
    full += [survey("S1", "F", "2026-11-05", 3)]
    all_four = score(POLICY, full, "2026-11").employee("F")
    assert [(i.name, i.points) for i in all_four.indicators] == [
        ("sales", 27.5),
        ("customers", 20.0),
        ("satisfaction", 13.33),
        ("growth", 10.0),
        ("training", 0.0),
    ]
    assert all_four.kpi_score == 70.83


def test_the_csv_writes_lines_truths_and_amounts_as_the_check_and_the_docs_do(
    worked: sales_policy.Scores, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """As check --format csv and --rejects: each line ended by a line feed, not CR LF; truth
    values true and false, as the check's CSV writes them (in its evidence, JSON); amounts
    (net sales, target, commission) to 2 decimals: A's 3% of 120,000 is 3600.00, D's 0% of
    79,990 is 0.00; E, without a target, has no target and no commission (empty cells)."""
    records = tmp_path / "records.jsonl"
    records.write_text("".join(json.dumps(r) + "\n" for r in TEAM), encoding="utf-8")
    for command in (["score", "--period", "2026-11"], ["check", "--period", "2026-11"]):
        assert main([*command, str(records), "--format", "csv"]) == 0
        out = capsys.readouterr().out
        assert "\r" not in out and out.count("\n") == len(out.splitlines())
    from sales_policy.scoretext import money_text, score_csv

    text = score_csv(worked)
    assert "\r" not in text and text.endswith("\n")
    rows = {row["employee_id"]: row for row in csv.DictReader(io.StringIO(text))}
    columns = ("sales_value", "sales_target", "commission", "bonus_eligible", "trip_eligible")
    assert {e: tuple(row[c] for c in columns) for e, row in rows.items()} == {
        "A": ("120000.00", "100000.00", "3600.00", "true", "true"),
        "B": ("100000.00", "100000.00", "2000.00", "true", "false"),
        "C": ("80000.00", "100000.00", "800.00", "false", "false"),
        "D": ("79990.00", "100000.00", "0.00", "false", "false"),
        "E": ("5000.00", "", "", "false", "false"),
        "F": ("70000.00", "50000.00", "2100.00", "true", "true"),
    }
    assert rows["A"]["overall"] == "112.75" and rows["E"]["overall"] == ""
    assert [money_text(v) for v in (3960.0, 0.5, 1000.1234, 1e16)] == [
        "3960.00",
        "0.50",
        "1000.1234",
        "10000000000000000.00",
    ]


def test_assessment_messages_write_amounts_as_money_and_any_number_of_surveys() -> None:
    """E1: 93,500 against a target of 100,000.5: the amounts to 2 decimals, 93500.00 and
    100000.50, not the floats 93500.0 and 100000.5.  E2: 999.995 of 1,000: an amount of 3
    decimals keeps them (rounded, it would read 1000.00, as if the target were met).  E3's
    one survey, 2 of 5, is 40.0: "(surveys: 1)", where "(1 surveys)" was written; Chinese
    counts 份问卷 in either number.  The messages read the same in every format."""
    from sales_policy.reports import render

    records = [
        target("E1", "100000.5"),
        order("O1", "E1", "K1", "2026-11-03", 93500),
        target("E2", 1000),
        order("O2", "E2", "K2", "2026-11-03", "999.995"),
        survey("S3", "E3", "2026-11-04", 2),
    ]
    result = POLICY.check(records, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    said = {(f.employee_id, f.rule_id): (f.message.en, f.message.zh) for f in result.findings}
    assert said == {
        ("E1", "ASM-TARGET-MISSED"): (
            "net sales of 93500.00 CNY in 2026-11, below the target of 100000.50",
            "2026-11 净销售额 93500.00 CNY，低于目标 100000.50",
        ),
        ("E2", "ASM-TARGET-MISSED"): (
            "net sales of 999.995 CNY in 2026-11, below the target of 1000.00",
            "2026-11 净销售额 999.995 CNY，低于目标 1000.00",
        ),
        ("E3", "ASM-LOW-SATISFACTION"): (
            "customer satisfaction of 40.0 in 2026-11 is too low (surveys: 1)",
            "2026-11 客户满意度 40.0（1 份问卷）过低",
        ),
    }
    lines = [json.loads(line) for line in render(result, "jsonl").splitlines()]
    assert {(f["employee_id"], f["rule_id"]): tuple(f["message"].values()) for f in lines} == {
        key: (zh, en) for key, (en, zh) in said.items()
    }
    evidence = next(f["evidence"] for f in lines if f["employee_id"] == "E1")
    assert evidence["net_sales"] == 93500.0 and evidence["target_sales"] == 100000.5


def test_grades_and_tiers_at_their_boundaries() -> None:
    values = scoring_values(load_policy())
    grades = [(90, "A"), (89.99, "B"), (75, "B"), (74.99, "C"), (60, "C"), (59.99, "D"), (0, "D")]
    assert [values.grade_of(s) for s, _ in grades] == [g for _, g in grades]
    tiers = [
        (0, "below"),
        (0.7999, "below"),
        (0.8, "near"),
        (1.0, "met"),
        (1.2, "exceeded"),
        (9.0, "exceeded"),
    ]
    assert [values.tier_of(a).name for a, _ in tiers] == [t for _, t in tiers]


# ------------------------------------------------------------------ rewards follow sales (5.2)

# Team N, November 2026; QUIET leaves five rule sets with rules in force (no attendance).
REWARDED = [
    *(employee(e, "N") for e in "PQR"),
    # P met every target: 110,000 of 110,000 (1.0), customers K21 and K22 of 2 (1.0), 4.5/5 (90
    # of 90: 1.0), October 100,000 (growth 0.1 of 0.1: 1.0)
    target("P", 110000, 2),
    order("P0", "P", "K20", "2026-10-10", 100000),
    order("P1", "P", "K21", "2026-11-03", 60000),
    order("P2", "P", "K22", "2026-11-04", 50000),
    survey("SP", "P", "2026-11-05", 4.5),
    # Q: no target, no order, one 5/5 survey
    survey("SQ", "Q", "2026-11-05", 5),
    # R: 130,000 of 100,000 (1.3), K31 of 1 (1.0), 5/5, October 100,000 (growth 0.3); an
    # unapproved gift of 500 received (INT-GIFT, major)
    target("R", 100000, 1),
    order("R0", "R", "K30", "2026-10-10", 100000),
    order("R1", "R", "K31", "2026-11-03", 130000),
    survey("SR", "R", "2026-11-05", 5),
    gift("GR", "R"),
]


def test_no_sales_target_means_no_kpi_grade_rank_bonus_or_trip() -> None:
    """The audit's first case: Q had no sales target and one 5/5 survey.  Satisfaction took
    every weight (KPI 100 x 100/90 = 111.11, overall .7 x 111.11 + 30 = 107.78, grade A), so
    Q had a bonus and ranked above P, who met every target.  Handbook 9.1 assesses "mainly
    sales amount" and 5.2 has rewards follow sales performance: the KPI requires the sales
    indicator (``kpi: requires: [sales]``), and without it Q has no KPI score, so no overall
    score, grade, rank, bonus or trip, and the notes say which month lacked a target."""
    scores = score(POLICY, REWARDED, "2026-11")
    assert scores.check.counts.rejected == 0, scores.check.rejects.to_dicts()
    p, q, r = (scores.employee(x) for x in "PQR")
    assert q.indicator("sales").reason == "no sales target for 2026-11"
    assert q.indicator("satisfaction").value == 100.0  # computed, but not a KPI on its own
    assert (q.kpi_score, q.overall, q.grade, q.rank, q.team_size) == (None, None, None, None, 0)
    assert (q.bonus_eligible, q.trip_eligible, q.commission) == (False, False, None)
    assert all(i.effective_weight == 0 and i.points == 0 for i in q.indicators)
    assert any(
        n.startswith("no KPI score, so no overall score, grade, rank, bonus or trip: ")
        and "sales not computed (no sales target for 2026-11), and the KPI requires it" in n
        for n in q.notes
    )
    assert not any("shared among" in n for n in q.notes)  # no weight stands in for sales
    # P: 100 x (.5 x 1 + .2 x 1 + .2 x 1 + .1 x 1) = 100; overall .7 x 100 + .3 x 100 = 100
    assert (p.kpi_score, p.conduct_mean, p.overall, p.grade) == (100.0, 100.0, 100.0, "A")
    assert (p.commission_tier, p.commission) == ("met", 2200.0)  # 2% of 110,000
    # R: 100 x (.5 x 1.2 + .2 x 1 + .2 x 100/90 + .1 x 1.2) = 114.222; integrity 95, mean
    # (4 x 100 + 95) / 5 = 99; overall .7 x 114.22 + .3 x 99 = 79.954 + 29.7 = 109.654
    assert (r.kpi_score, r.conduct["integrity"], r.conduct_mean) == (114.22, 95.0, 99.0)
    assert (r.overall, r.grade, r.commission_tier, r.commission) == (
        109.65,
        "A",
        "exceeded",
        3900.0,
    )
    # the ranked are R and P: ceil(2 x 10%) = 1 trip place
    assert {e.employee_id: (e.rank, e.team_size) for e in (p, r)} == {"R": (1, 2), "P": (2, 2)}
    assert {e.employee_id for e in scores if e.bonus_eligible} == {"P"}


def test_a_finding_that_bars_the_bonus_bars_the_trip_and_the_place_passes_on() -> None:
    """The audit's second case: R's major integrity finding (INT-GIFT) barred the bonus but
    not the trip, and R, ranked first, had it.  The trip has the bonus's blockers (``trip:
    blocked_by``), so R has no trip, says why, and the team's one place goes to the next
    ranked employee the trip's conditions do not bar: P."""
    scores = score(POLICY, REWARDED, "2026-11")
    p, r = scores.employee("P"), scores.employee("R")
    assert (r.rank, r.bonus_eligible, r.trip_eligible) == (1, False, False)
    assert "no bonus: 1 major integrity finding(s)" in r.notes
    assert "no trip: 1 major integrity finding(s)" in r.notes
    assert (p.rank, p.bonus_eligible, p.trip_eligible) == (2, True, True)
    assert not any(n.startswith("no trip") for n in p.notes)


def test_a_quarter_needs_a_sales_target_for_every_month_for_a_kpi_and_rewards() -> None:
    """The audit's quarter: U had a target in October only (10,000 of 100,000) and one 5/5
    survey, and was graded A (satisfaction alone: 111.11, overall 107.78), ranked first and
    had the trip, ahead of V, who met all three monthly targets.  Now U has no KPI score for
    2026-Q4 (no sales target for 2026-11 and 2026-12).  V: 300,000 of 300,000, 3 customers
    of 3, 90 of 90, no Q3 sales (growth undefined: .1 shared): 100 x (.5 + .2 + .2) / .9 =
    100, overall 100, A, 2% of 300,000 = 6,000, first of one, bonus and the trip."""
    records = [
        employee("U", "N"),
        employee("V", "N"),
        target("U", 100000, 1, "2026-10"),
        order("U1", "U", "K40", "2026-10-05", 10000),
        survey("SU", "U", "2026-11-10", 5),
        *(target("V", 100000, 1, month) for month in ("2026-10", "2026-11", "2026-12")),
        order("V1", "V", "K41", "2026-10-05", 100000),
        order("V2", "V", "K42", "2026-11-05", 100000),
        order("V3", "V", "K43", "2026-12-05", 100000),
        survey("SV", "V", "2026-11-10", 4.5),
    ]
    scores = score(POLICY, records, "2026-Q4")
    u, v = scores.employee("U"), scores.employee("V")
    assert u.indicator("sales").reason == "no sales target for 2026-11, 2026-12"
    assert (u.kpi_score, u.grade, u.rank, u.bonus_eligible, u.trip_eligible) == (
        None,
        None,
        None,
        False,
        False,
    )
    assert any("sales not computed (no sales target for 2026-11, 2026-12)" in n for n in u.notes)
    assert (v.kpi_score, v.overall, v.grade, v.commission) == (100.0, 100.0, "A", 6000.0)
    assert (v.rank, v.team_size, v.bonus_eligible, v.trip_eligible) == (1, 1, True, True)


def company_policy(tmp_path: Path, *edits: tuple[str, str]) -> sales_policy.Policy:
    """POLICY with a company rule file listed under ``rule_files``: a rule set of no rules
    whose scoring section (the last loaded, so the one in force) is the shipped one with the
    parameters' defaults written in, and each (old, new) of ``edits`` made to it."""
    shipped = (default_rule_dir() / "assessment.yaml").read_text(encoding="utf-8")
    section = shipped[shipped.index("\nscoring:") + 1 :]
    defaults = load_policy().params
    section = re.sub(r"\b\w+\b", lambda m: str(defaults.get(m[0], m[0])), section)
    for old, new in edits:
        assert old in section, old
        section = section.replace(old, new)
    (tmp_path / "company_scoring.yaml").write_text(
        "ruleset: company_scoring\ntitle: {zh: 公司评分, en: Company scoring}\nrules: []\n"
        + section,
        encoding="utf-8",
    )
    (tmp_path / "policy.yaml").write_text("rule_files: [company_scoring.yaml]\n", encoding="utf-8")
    return dataclasses.replace(load_policy(tmp_path / "policy.yaml"), disabled=QUIET)


KPI_WITHOUT_SALES = ("    requires: [sales]\n    weights:", "    requires: []\n    weights:")
#: the trip's part of the shipped section, its parameters' defaults written in
TRIP = (
    "  trip:\n    min_grade: A\n    top_percent: 10\n    requires: [sales]\n    blocked_by:\n"
    "      - {min_severity: critical}\n"
    "      - {min_severity: major, rulesets: [integrity, confidentiality]}\n"
)


def test_a_company_may_have_a_kpi_without_sales_and_rewards_still_need_it(
    tmp_path: Path,
) -> None:
    """A company section with ``kpi: requires: []`` shares the sales weight out as before:
    Q's KPI is satisfaction alone, 100 x 100/90 = 111.11, overall .7 x 111.11 + .3 x 100 =
    107.78, grade A, ranked 2nd of 3 after R (109.65), before P (100).  The bonus and the trip
    still require sales (5.2), so Q has neither and the notes say why; R's finding bars the
    trip; the one place (ceil(3 x 10%)) passes two places down, to P."""
    scores = score(company_policy(tmp_path, KPI_WITHOUT_SALES), REWARDED, "2026-11")
    p, q, r = (scores.employee(x) for x in "PQR")
    assert q.indicator("satisfaction").effective_weight == 1.0
    assert (q.kpi_score, q.overall, q.grade, q.rank, q.team_size) == (111.11, 107.78, "A", 2, 3)
    assert (q.bonus_eligible, q.trip_eligible) == (False, False)
    assert "no bonus: sales not computed (no sales target for 2026-11)" in q.notes
    assert "no trip: sales not computed (no sales target for 2026-11)" in q.notes
    assert (r.rank, r.trip_eligible, p.rank, p.trip_eligible) == (1, False, 3, True)


def test_a_company_may_lift_the_rewards_conditions(tmp_path: Path) -> None:
    """Without ``requires`` for the KPI and the rewards, and without the trip's
    ``blocked_by``, the rewards are the grade's and the rank's alone: Q (A, no finding) has a
    bonus, R (first) the trip; P, third, has the bonus and no trip."""
    lifted = company_policy(
        tmp_path,
        KPI_WITHOUT_SALES,
        ("    min_grade: B\n    requires: [sales]\n", "    min_grade: B\n"),
        (TRIP, "  trip:\n    min_grade: A\n    top_percent: 10\n"),
    )
    assert scoring_values(lifted).trip_blockers == () == scoring_values(lifted).trip_requires
    scores = score(lifted, REWARDED, "2026-11")
    p, q, r = (scores.employee(x) for x in "PQR")
    assert (q.bonus_eligible, q.trip_eligible, r.bonus_eligible, r.trip_eligible) == (
        True,
        False,
        False,
        True,
    )
    assert (p.bonus_eligible, p.trip_eligible) == (True, False)
    assert not any(n.startswith("no trip") for n in p.notes)  # nothing bars P: the place went


def test_the_rewards_conditions_are_checked_at_load(tmp_path: Path) -> None:
    """An indicator the section does not know, or named twice, and a trip blocker naming a
    rule set the policy does not have, are errors at the section's line."""
    with pytest.raises(RuleFileError, match=r"trip requires: unknown indicator 'sale' \(did"):
        company_policy(tmp_path, (TRIP, TRIP.replace("[sales]", "[sale]")))
    with pytest.raises(RuleFileError, match=r"bonus requires names 'sales' twice"):
        company_policy(
            tmp_path,
            (
                "    min_grade: B\n    requires: [sales]",
                "    min_grade: B\n    requires: [sales, sales]",
            ),
        )
    with pytest.raises(RuleFileError, match=r"trip blocked_by names rule set 'integrty'") as caught:
        company_policy(tmp_path, (TRIP, TRIP.replace("[integrity, confidentiality]", "[integrty]")))
    assert caught.value.line == line_of(tmp_path / "company_scoring.yaml", "[integrty]")


# ------------------------------------------------------------------ the scoring section


def edited(tmp_path: Path, old: str, new: str) -> Path:
    source = (default_rule_dir() / "assessment.yaml").read_text(encoding="utf-8")
    assert old in source, old
    path = tmp_path / "assessment.yaml"
    path.write_text(source.replace(old, new), encoding="utf-8")
    return path


def line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line)


@pytest.mark.parametrize(
    ("old", "new", "at", "message"),
    [
        (
            "      sales: kpi_weight_sales",
            "      sales: 0.6",
            "    weights:",
            "kpi weights add up to 1.1 (sales 0.6 + customers 0.2 + satisfaction 0.2 + growth 0.1",
        ),
        (
            "      growth: kpi_weight_growth",
            "      grwoth: kpi_weight_growth",
            "grwoth:",
            "unknown indicator 'grwoth' (did you mean 'growth'?)",
        ),
        (
            "from: commission_tier_3_from, to: commission_tier_4_from",
            "from: 1.05, to: commission_tier_4_from",
            "tier: met",
            "a gap between tier 'near' (to 1) and tier 'met' (from 1.05)",
        ),
        (
            "from: commission_tier_3_from, to: commission_tier_4_from",
            "from: 0.9, to: commission_tier_4_from",
            "tier: met",
            "an overlap between tier 'near' (to 1) and tier 'met' (from 0.9)",
        ),
        (
            "{grade: B, min: grade_b_min}",
            "{grade: B, min: 95}",
            "grade: B",
            "grade B starts at 95, not below grade A (90)",
        ),
        (
            "    kpi: overall_weight_kpi",
            "    kpi: 0.8",
            "  overall:",
            "overall weights add up to 1.1",
        ),
        (
            "    cap: achievement_cap",
            "    cap: achievment_cap",
            "cap: achievment",
            "'achievment_cap' is neither a number nor a parameter of this file (did you mean "
            "'achievement_cap'?)",
        ),
        ("    min_grade: trip_min_grade", "    min_grade: Z", "min_grade: Z", "'Z' is not a grade"),
        ("      critical: conduct_points_critical\n", "", "    points:", "needs every severity"),
        (
            "  trip:\n",
            "  trips:\n",
            "trips:",
            "unknown key 'trips' in scoring (did you mean 'trip'?)",
        ),
    ],
)
def test_a_broken_scoring_section_fails_at_load_with_file_and_line(
    tmp_path: Path, old: str, new: str, at: str, message: str
) -> None:
    path = edited(tmp_path, old, new)
    with pytest.raises(RuleFileError) as caught:
        load_ruleset(path)
    assert caught.value.path == str(path) and caught.value.line == line_of(path, at)
    assert message in caught.value.message


def test_a_policy_that_breaks_the_scoring_numbers_fails_at_its_own_line(tmp_path: Path) -> None:
    """Weights that no longer add up, or tiers that now overlap, name the policy file's line."""
    path = tmp_path / "policy.yaml"
    path.write_text("params:\n  late_grace_minutes: 5\n  kpi_weight_sales: 0.6\n", encoding="utf-8")
    with pytest.raises(PolicyError, match=r"policy.yaml:3: params: kpi weights add up to 1.1"):
        score(load_policy(path), TEAM, "2026-11")
    path.write_text("params: {commission_tier_3_from: 1.3}\n", encoding="utf-8")
    with pytest.raises(PolicyError, match=r"policy.yaml:1: .*tier 'met' runs from 1.3 to 1.2"):
        score(load_policy(path), TEAM, "2026-11")
    with pytest.raises(
        InvalidArgument, match=r"params kpi_weight_growth: kpi weights add up to 0\.9"
    ):
        score(load_policy().with_params(kpi_weight_growth=0.0), TEAM, "2026-11")
    moved = score(
        POLICY.with_params(kpi_weight_growth=0.0, kpi_weight_training=0.1), TEAM, "2026-11"
    )
    # B: 100 x (.5 x 1 + .2 x .5 + .2 x 80/90 + .1 x 0 (training, 0 of 1 on time)) = 77.78
    assert moved.employee("B").kpi_score == 77.78
    # E's training is 1 of 1 on time, but E has no sales target, which the KPI requires
    assert moved.employee("E").kpi_score is None


def test_company_weights_and_tiers_change_the_scores() -> None:
    """A company's own numbers, through params: the worked example's C with a 0.75 tier start
    and satisfaction weighed more."""
    policy = POLICY.with_params(
        commission_tier_2_from=0.75, kpi_weight_sales=0.4, kpi_weight_satisfaction=0.3
    )
    c = score(policy, TEAM, "2026-11").employee("C")
    # (.4 x .8 + .3 x 50/90) / .8 = 60.8333
    assert c.kpi_score == 60.83 and c.commission_tier == "near"


# ------------------------------------------------------------------ currencies, periods


def test_currencies_without_a_rate_are_an_error_not_a_sum() -> None:
    records = [
        target("A", 100, 0),
        order("A1", "A", "K1", "2026-11-03", 50),
        order("A2", "A", "K2", "2026-11-04", 10, currency="USD"),
    ]
    with pytest.raises(PolicyError, match=r"A 2026-11: USD\): give rates in the currency_rates"):
        score(POLICY, records, "2026-11")
    rated = score(POLICY.with_params(currency_rates=["USD=7.5"]), records, "2026-11")
    assert rated.employee("A").indicator("sales").value == 125.0  # 50 + 10 x 7.5
    dollars = score(
        POLICY.with_params(sales_currency="USD", currency_rates=["CNY=0.125"]), records, "2026-11"
    )
    assert dollars.employee("A").indicator("sales").value == 16.25
    assert dollars.employee("A").currency == "USD"
    with pytest.raises(InvalidArgument, match="currency_rates entry 'USD:7' must look like"):
        score(POLICY.with_params(currency_rates=["USD:7"]), records, "2026-11")


def test_an_amount_beyond_20_digits_is_a_rejected_row_and_the_largest_are_scored() -> None:
    """Amounts hold at most 20 digits before the point (docs/inputs.md, Values), so that every
    sum and conversion of them fits the exact decimals they are computed in: an order of 31
    digits, or of 21, is rejected with its row and reason, not a polars or decimal error of
    the whole check or score, with or without rates; the largest amount, 20 nines and 4
    decimals, in dollars at a rate of 12 decimal places, is converted and scored.  Its net
    sales by hand: 99,999,999,999,999,999,999.9999 x 7.123456789012 is
    712,345,678,901,199,999,999.999287654..., rounded half away from zero to 4 places (a
    float of it, as the facts hold it)."""
    largest = "9" * 20 + ".9999"
    records = [
        target("A", 1, 0),
        order("A1", "A", "K1", "2026-11-03", 10**30),
        order("A2", "A", "K2", "2026-11-04", "1" + "0" * 20, currency="USD"),
        order("A3", "A", "K3", "2026-11-05", largest, currency="USD"),
    ]
    rated = POLICY.with_params(currency_rates=["USD=7.123456789012"])
    month = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    for policy in (POLICY, rated):
        result = policy.check(records, *month)
        assert result.rejects.select("line", "field").rows() == [(2, "amount"), (3, "amount")]
        assert result.rejects["reason"].to_list() == [
            f"'{value}' is not an amount (digits, at most 20 before the point and 4 after it,"
            " e.g. 1280.50)"
            for value in (10**30, "1" + "0" * 20)
        ]
        assert result.rejections[0].reason.zh.startswith(f"“{10**30}”不是金额")
    scores = score(rated, records, "2026-11")
    assert scores.employee("A").indicator("sales").value == 712345678901199999999.9993
    with pytest.raises(PolicyError, match="A 2026-11: USD"):  # no rate: an error, as before
        score(POLICY, records, "2026-11")


def test_the_largest_amount_converts_exactly_at_a_rate_of_many_digits() -> None:
    """A rate of 4 whole digits and 12 decimals (gold, XAU=4123.123456789012) times the
    largest amount: the product, widened whole to 16 places, had more digits than polars'
    Decimal(38) holds, and the check raised its ComputeError.  By hand: 10^20 - 0.0001 times
    the rate is 412,312,345,678,901,200,000,000 - 0.4123123456789012, which is
    412,312,345,678,901,199,999,999.5876876543210988, 412,312,345,678,901,199,999,999.5877 to 4
    places (half away from zero); and 0.0001 XAU is 0.41231234567890120, 0.4123."""
    from decimal import Decimal

    from sales_policy.facts.money import converted, rates_of

    rates = rates_of(["XAU=4123.123456789012"], "CNY")
    amounts = pl.DataFrame(
        {
            "amount": pl.Series(
                [Decimal("9" * 20 + ".9999"), Decimal("0.0001"), Decimal(2)],
                dtype=pl.Decimal(38, 4),
            ),
            "currency": ["XAU", "XAU", "CNY"],
        }
    )
    assert amounts.select(converted("amount", rates)).to_series().to_list() == [
        Decimal("412312345678901199999999.5877"),
        Decimal("0.4123"),
        Decimal("2.0000"),
    ]
    records = [target("A", 1, 0), order("A1", "A", "K1", "2026-11-03", "9" * 20, currency="XAU")]
    rated = POLICY.with_params(currency_rates=["XAU=4123.123456789012"])
    assert (
        score(rated, records, "2026-11").employee("A").indicator("sales").value
        == 4.123123456789012e23
    )


def test_a_commission_of_more_digits_than_the_default_decimal_context_is_computed() -> None:
    """Four orders of 20 nines at the largest rate, 9,999,999.9999, are net sales of about
    4 x 10^27, far beyond a target of 1: the top tier, 3%, a commission of about 1.2 x 10^26,
    29 digits to the cent, which the default decimal context (28) had refused with
    decimal.InvalidOperation.  (The facts hold amounts as floats, exact below about 500
    billion: docs/assessment.md.)"""
    records = [order(f"A{i}", "A", "K1", "2026-11-03", "9" * 20, currency="ABC") for i in range(4)]
    rated = POLICY.with_params(currency_rates=["ABC=9999999.9999"])
    a = score(rated, [target("A", 1, 0), *records], "2026-11").employee("A")
    assert (a.commission_tier, a.commission_rate) == ("exceeded", 0.03)
    assert a.commission == pytest.approx(0.03 * 4 * 99999999999999999999 * 9999999.9999, rel=1e-15)


def test_a_rate_of_ten_million_or_more_is_an_error_of_the_policy() -> None:
    """docs/assessment.md: a rate is below 10,000,000.  Two orders of 20 nines at a rate of
    14 digits are a total of 35 digits, more than the facts' Decimal(38, 4) holds: the check
    had raised polars' PanicException (a BaseException, past ``except Exception``); the
    policy is now refused where the rate is given."""
    for rate in ("ABC=99999999999999", "ABC=10000000"):
        with pytest.raises(InvalidArgument, match=f"'{rate}': a rate must be below 10,000,000"):
            POLICY.with_params(currency_rates=[rate])
    largest = POLICY.with_params(currency_rates=["ABC=9999999.9999"])
    records = [order(f"A{i}", "A", "K1", "2026-11-03", "9" * 20, currency="ABC") for i in (1, 2)]
    month = largest.check(
        [target("A", 1, 0), *records], dt.date(2026, 11, 1), dt.date(2026, 11, 30)
    )
    assert month.facts["assessment_month"].get_column("net_sales").to_list() == [
        pytest.approx(2 * 99999999999999999999 * 9999999.9999, rel=1e-15)
    ]


def test_check_says_which_months_a_missing_rate_leaves_unjudged() -> None:
    """In ``check``, a month with an amount in a currency without a rate has no net sales, so
    ASM-TARGET-MISSED cannot judge it: the result's notes say so, and a rate judges it."""
    records = [
        target("A", 200, 0),
        order("A1", "A", "K1", "2026-11-03", 50),
        order("A2", "A", "K2", "2026-11-04", 10, currency="USD"),
    ]
    month = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    unrated = POLICY.check(records, *month)
    assert "ASM-TARGET-MISSED" not in [f.rule_id for f in unrated]
    [note] = [n for n in unrated.notes if "without a rate" in n]
    assert "not judged by ASM-TARGET-MISSED for 1 employee-month(s)" in note
    assert "A 2026-11: USD" in note and "currency_rates" in note
    assert note.zh.startswith("ASM-TARGET-MISSED 未判断 1 个员工月")
    assert "A 2026-11: USD" in note.zh and "currency_rates" in note.zh
    rated = POLICY.with_params(currency_rates=["USD=7.5"]).check(records, *month)
    assert [f.rule_id for f in rated] == ["ASM-TARGET-MISSED"]  # 50 + 10 x 7.5 < 200
    assert not [n for n in rated.notes if "without a rate" in n]


def test_a_quarter_adds_up_its_months() -> None:
    """Q4: targets of the three months summed; growth against Q3 (July to September); a month
    without a target leaves the sales achievement undefined, and says which."""
    records = [
        target("A", 10, 1, "2026-10"),
        target("A", 20, 1, "2026-11"),
        target("A", 30, 1, "2026-12"),
        order("A1", "A", "K1", "2026-10-05", 15),
        order("A2", "A", "K2", "2026-12-05", 45),
        order("A0", "A", "K0", "2026-08-05", 50),
        survey("S1", "A", "2026-10-06", 5),
        survey("S2", "A", "2026-12-06", 3),
        survey("S3", "A", "2026-12-07", 4),
    ]
    a = score(POLICY, records, "2026-Q4").employee("A")
    assert a.period == "2026-Q4"
    assert [(i.name, i.value, i.target) for i in a.indicators[:3]] == [
        ("sales", 60.0, 60.0),
        ("customers", 2, 3),
        ("satisfaction", 80.0, 90.0),
    ]
    assert a.indicator("growth").value == pytest.approx(0.2)  # 60 against 50 in Q3
    missing = score(POLICY, records[1:], "2026-Q4").employee("A").indicator("sales")
    assert missing.achievement is None and missing.reason == "no sales target for 2026-10"
    year = score(POLICY, records, "2026").employee("A")
    assert (
        year.indicator("sales").reason == "no sales target for 2026-01, 2026-02, "
        "2026-03, 2026-04, 2026-05, 2026-06, 2026-07, 2026-08, 2026-09"
    )


def test_a_quarter_needs_a_target_above_0_for_every_month() -> None:
    """A month's target of 0 leaves its achievement undefined, and so it does the quarter's
    (docs/assessment.md: "a sales target above 0 for every month of it").  Z had targets of
    100,000 for October, 0 for November and December, and sold 100,000 each month: month by
    month, October is met (2% of 100,000 = 2,000) and November and December have no
    achievement; summed, 300,000 of 100,000 made the quarter 3.0, tier 'exceeded', 3% of
    300,000 = 9,000, a KPI of 120 and grade A.  Now Z's quarter has no sales achievement, so
    no KPI, commission or reward.  W, with a target for every month, is scored as before:
    300,000 of 300,000, 1.0, KPI 100 (sales alone: the customer target is 0 every month, no
    survey, no Q3 sales), 2% = 6,000."""
    months = ("2026-10", "2026-11", "2026-12")
    records = [
        *(target("Z", 100000 if m == "2026-10" else 0, 0, m) for m in months),
        *(order(f"Z{n}", "Z", f"KZ{n}", f"{m}-05", 100000) for n, m in enumerate(months)),
        *(target("W", 100000, 0, m) for m in months),
        *(order(f"W{n}", "W", f"KW{n}", f"{m}-05", 100000) for n, m in enumerate(months)),
    ]
    october = score(POLICY, records, "2026-10").employee("Z")
    assert (october.commission_tier, october.commission) == ("met", 2000.0)
    november = score(POLICY, records, "2026-11").employee("Z")
    assert (november.indicator("sales").reason, november.commission) == (
        "the sales target is 0",
        None,
    )
    scores = score(POLICY, records, "2026-Q4")
    z, w = scores.employee("Z"), scores.employee("W")
    assert z.indicator("sales").achievement is None
    assert z.indicator("sales").reason == "the sales target is 0 for 2026-11, 2026-12"
    assert (z.kpi_score, z.grade, z.commission, z.bonus_eligible, z.trip_eligible) == (
        None,
        None,
        None,
        False,
        False,
    )
    assert w.indicator("customers").reason == "the new-customer target is 0"
    assert (w.indicator("sales").achievement, w.kpi_score, w.commission) == (1.0, 100.0, 6000.0)


def test_periods() -> None:
    import datetime as dt

    assert parse_period("2026-11") == (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert parse_period("2026-Q1") == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert parse_period("2024") == (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    for bad in ("2026-13", "2026-Q5", "26-11", "2026/11"):
        with pytest.raises(InvalidArgument, match="must be a month"):
            parse_period(bad)
    # blanks around a period are read past, and not kept where the scores name it
    spaced = score(POLICY, TEAM, " 2026-11 ")
    assert spaced.period == "2026-11"
    assert {s.period for s in spaced} == {"2026-11"}
    assert len(spaced) > 0


# ------------------------------------------------------------------ the command line


def test_score_command_json_csv_table_and_explain(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    records = tmp_path / "records.jsonl"
    records.write_text(
        "\n".join(json.dumps(r) for r in TEAM if r["type"] != "employee"), encoding="utf-8"
    )
    assert main(["score", str(records), "--period", "2026-11", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    row = next(r for r in document["employees"] if r["employee_id"] == "B")
    assert {
        "employee_id",
        "overall",
        "grade",
        "kpi_score",
        "conduct",
        "commission",
        "bonus_eligible",
        "trip_eligible",
        "rank",
    } <= set(row)
    assert row["commission"] == 2000.0 and "integrity" in row["conduct"]
    # every row accounted for, as check's json does: all of TEAM but its employee records
    rows = sum(1 for r in TEAM if r["type"] != "employee")
    assert document["counts"]["by_source"] == [
        {"source": str(records), "read": rows, "accepted": rows, "rejected": 0}
    ]
    assert document["counts"]["read"] == document["counts"]["accepted"] == rows
    assert len(document["note_kinds"]) == len(document["notes"])
    assert main(["score", str(records), "--period", "2026-11", "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("employee_id,team,period,currency,kpi_score")
    assert main(["score", str(records), "--period", "2026-11"]) == 0
    assert "overall" in capsys.readouterr().out
    assert main(["score", str(records), "--period", "2026-11", "--explain", "C"]) == 0
    explained = capsys.readouterr().out
    assert "C1" in explained and "INT-GIFT major x1 -5" in explained and "tier near" in explained
    assert (
        "trip       not eligible (grade A or better, sales computed, no critical finding, no "
        "major or worse integrity or confidentiality finding, employed to the last day of the "
        "period; places for the top 10% of the team"
    ) in explained
    assert main(["score", str(records), "--period", "2026-13"]) == 2
    assert "must be a month" in capsys.readouterr().err


def test_explain_has_a_table_and_a_json_form_and_refuses_csv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The docs give --explain as a table or json; --format csv with it is a usage error
    (exit 2), nothing on standard output, said before any input is read (a missing file is
    not reached)."""
    records = tmp_path / "records.jsonl"
    records.write_text("".join(json.dumps(r) + "\n" for r in TEAM), encoding="utf-8")
    error = (
        "sales-policy: error: --explain gives one employee's breakdown as a table or as json, "
        "not as csv: give --format table or json (--format csv without --explain for every "
        "employee)\n"
    )
    for inputs in (records, tmp_path / "absent.csv"):
        argv = ["score", str(inputs), "--period", "2026-11", "--explain", "C", "--format", "csv"]
        assert main(argv) == 2
        assert capsys.readouterr() == ("", error)
    for fmt in ("table", "json"):
        assert (
            main(["score", str(records), "--period", "2026-11", "--explain", "C", "--format", fmt])
            == 0
        )
        assert "C1" in capsys.readouterr().out


# ------------------------------------------------------------------ properties


@st.composite
def teams(draw: st.DrawFn, team: str = "N", size: int = 3) -> list[dict[str, Any]]:
    """A team's month: targets, orders (some reversed, some in October), surveys, training,
    gifts; customers distinct per team."""
    records: list[dict[str, Any]] = []
    for index in range(size):
        who = f"{team}{index}"
        records.append(employee(who, team))
        if draw(st.integers(0, 3)):  # a target for three in four
            records.append(
                target(who, draw(st.sampled_from([0, 500, 1000, 2000])), draw(st.integers(0, 3)))
            )
        for n in range(draw(st.integers(0, 4))):
            day = f"2026-{draw(st.sampled_from(['10', '11']))}-{draw(st.integers(1, 20)):02d}"
            status = draw(st.sampled_from(["booked", "booked", "cancelled", "refunded"]))
            records.append(
                order(
                    f"{who}-O{n}",
                    who,
                    f"{team}-K{draw(st.integers(0, 5))}",
                    day,
                    draw(st.integers(1, 2000)),
                    status,
                )
            )
        for n in range(draw(st.integers(0, 2))):
            records.append(survey(f"{who}-S{n}", who, "2026-11-05", draw(st.integers(0, 5))))
        if draw(st.booleans()):
            done = draw(st.sampled_from([None, "2026-11-10", "2026-11-20"]))
            records.append(training(f"{who}-T", who, "2026-11-15", done))
        if draw(st.booleans()):
            records.append(gift(f"{who}-G", who))
    return records


def assert_not_above(after: EmployeeScore, before: EmployeeScore) -> None:
    """No score of ``after`` is above its value in ``before``; no bonus or trip is gained."""
    for name in ("kpi_score", "overall", "commission"):
        old, new = getattr(before, name), getattr(after, name)
        assert (old is None) == (new is None) and (new is None or new <= old), name
    assert after.conduct_mean <= before.conduct_mean
    assert all(after.conduct[rs] <= before.conduct[rs] for rs in before.conduct)
    assert not after.bonus_eligible or before.bonus_eligible
    assert not after.trip_eligible or before.trip_eligible


@half_the_examples
@given(records=teams(), extra=st.integers(1, 5000), pick=st.randoms(use_true_random=False))
def test_more_net_sales_never_lowers_a_score(
    records: list[dict[str, Any]], extra: int, pick: random.Random
) -> None:
    """A larger booked November order, or one more, raises no score of its employee less."""
    who = pick.choice([r["employee_id"] for r in records if r["type"] == "employee"])
    mine = [
        i
        for i, r in enumerate(records)
        if r["type"] == "order"
        and r["employee_id"] == who
        and r["status"] == "booked"
        and r["booked_at"].startswith("2026-11")
    ]
    more = list(records)
    if mine and pick.random() < 0.5:
        index = pick.choice(mine)
        more[index] = {**more[index], "amount": more[index]["amount"] + extra}
    else:
        more.append(order(f"{who}-NEW", who, f"{who}-NEWK", "2026-11-25", extra))
    before, after = score(POLICY, records, "2026-11"), score(POLICY, more, "2026-11")
    assert_not_above(before.employee(who), after.employee(who))
    for row in before:
        if row.employee_id != who:
            assert (
                dataclasses.replace(
                    after.employee(row.employee_id),
                    rank=row.rank,
                    team_size=row.team_size,
                    trip_eligible=row.trip_eligible,
                )
                == row
            )


FINDING_RECORDS = [
    lambda who: gift(f"{who}-G2", who),
    lambda who: training(f"{who}-T2", who, "2026-11-16", None),
    lambda who: {
        "type": "conduct_incident",
        "record_id": f"{who}-I",
        "employee_id": who,
        "at": "2026-11-03T10:00:00+08:00",
        "category": "dress",
        "description": "x",
        "reported_by": "M1",
        "substantiated": True,
    },
]


@half_the_examples
@given(
    records=teams(), kind=st.sampled_from(FINDING_RECORDS), pick=st.randoms(use_true_random=False)
)
def test_one_more_finding_never_raises_a_score(
    records: list[dict[str, Any]], kind: Any, pick: random.Random
) -> None:
    who = pick.choice([r["employee_id"] for r in records if r["type"] == "employee"])
    before, after = (
        score(POLICY, records, "2026-11"),
        score(POLICY, [*records, kind(who)], "2026-11"),
    )
    assert len(after.check) == len(before.check) + 1
    assert_not_above(after.employee(who), before.employee(who))


@given(records=teams(size=4))
def test_scores_stay_in_their_bounds(records: list[dict[str, Any]]) -> None:
    """KPI within 0 and 100 x cap, conduct within 0 and 100, overall within 0 and its weighted
    maximum; shared weights add up to 1; ranks run 1 to the team's size."""
    scores = score(POLICY, records, "2026-11")
    assert scores.check.counts.rejected == 0, scores.check.rejects.to_dicts()
    values = scores.values
    for row in scores:
        assert all(0 <= v <= 100 for v in row.conduct.values())
        if row.kpi_score is not None:
            assert 0 <= row.kpi_score <= 100 * values.cap + 0.005
            assert math.fsum(i.effective_weight for i in row.indicators) == pytest.approx(1)
            assert row.overall is not None
            assert (
                0
                <= row.overall
                <= values.kpi_weight * 100 * values.cap + values.conduct_weight * 100 + 0.01
            )
            assert row.rank is not None and 1 <= row.rank <= row.team_size
        assert row.commission is None or row.commission >= 0


@half_the_examples
@given(first=teams("N"), second=teams("S"))
def test_a_result_does_not_depend_on_other_teams_records(
    first: list[dict[str, Any]], second: list[dict[str, Any]]
) -> None:
    """Scoring team N alone, or with team S (other employees and customers), gives team N the
    same rows, rank and trips included."""
    alone = score(POLICY, first, "2026-11")
    together = score(POLICY, second + first, "2026-11")
    assert [together.employee(row.employee_id) for row in alone] == list(alone)


#: the grades' lower bounds and the trip's share of a team, which the property below draws
REWARD_PARAMS = ("grade_a_min", "grade_b_min", "grade_c_min", "trip_top_percent")
RewardValues = tuple[int, int, int, int]


@pytest.fixture(scope="module")
def kpi_without_sales(
    tmp_path_factory: pytest.TempPathFactory,
) -> Callable[[RewardValues], sales_policy.Policy]:
    """The company section without sales in its KPI, with given values of REWARD_PARAMS
    written in (a company file's section names only its own parameters), one policy each."""
    defaults = load_policy().params

    @functools.cache
    def policy(values: RewardValues) -> sales_policy.Policy:
        written = [
            (f"{{grade: {grade}, min: {defaults[name]}}}", f"{{grade: {grade}, min: {value}}}")
            for grade, name, value in zip("ABC", REWARD_PARAMS[:3], values[:3], strict=True)
        ]
        written.append(
            (f"top_percent: {defaults['trip_top_percent']}\n", f"top_percent: {values[3]}\n")
        )
        folder = tmp_path_factory.mktemp("company")
        return company_policy(folder, KPI_WITHOUT_SALES, *written)

    return policy


@half_the_examples
@given(
    records=teams(size=4),
    grades=st.sampled_from([(90, 75, 60), (50, 40, 30), (35, 33, 31)]),
    top_percent=st.sampled_from([10, 50]),
)
def test_rewards_need_sales_and_trips_go_to_the_best_ranked_unbarred(
    kpi_without_sales: Callable[[RewardValues], sales_policy.Policy],
    records: list[dict[str, Any]],
    grades: tuple[int, int, int],
    top_percent: int,
) -> None:
    """Under the shipped section, and under a company's that computes a KPI without sales:
    an employee without a sales target above 0 has neither a bonus nor a trip (5.2), nor,
    with the shipped section, a KPI score.  A team's ceil(ranked x trip_top_percent%) trip
    places go, in rank order, to those whom nothing bars: grade A, a sales achievement, no
    critical finding and no major integrity or confidentiality finding.

    The grades' bounds and the share of places are drawn too: at the defaults, generated
    teams hardly ever score 90 overall (one employee of 160 in 40 teams of four, counted, and
    no trip), and without a grade A the trips' order goes unchecked."""
    targeted = {r["employee_id"] for r in records if r["type"] == "sales_target"}
    targeted &= {r["employee_id"] for r in records if r.get("sales_amount", 0) > 0}
    values = (*grades, top_percent)
    shipped = POLICY.with_params(**dict(zip(REWARD_PARAMS, values, strict=True)))
    for policy, kpi_needs_sales in ((shipped, True), (kpi_without_sales(values), False)):
        scores = score(policy, records, "2026-11")
        barring = {
            f.employee_id
            for f in scores.check.findings
            if f.severity == "critical"
            or (f.severity == "major" and f.ruleset in ("integrity", "confidentiality"))
        }
        for row in scores:
            if row.employee_id not in targeted:
                assert not row.bonus_eligible and not row.trip_eligible
                assert not kpi_needs_sales or row.kpi_score is None
        for team in {row.team for row in scores}:
            ranked = sorted(
                (row for row in scores if row.team == team and row.rank is not None),
                key=lambda r: r.rank or 0,
            )
            open_to = [
                row.employee_id
                for row in ranked
                if row.grade == "A"
                and row.indicator("sales").achievement is not None
                and row.employee_id not in barring
            ]
            places = math.ceil(len(ranked) * top_percent / 100)
            trips = {row.employee_id for row in ranked if row.trip_eligible}
            assert trips == set(open_to[:places])


def test_rank_ties_are_broken_deterministically() -> None:
    """Equal overall scores: the higher KPI first, then the higher mean conduct, then the
    employee id; the order of the input does not matter."""
    twins = [
        r
        for e in ("B2", "B1", "B3")
        for r in (
            employee(e, "T"),
            target(e, 100, 0),
            order(f"{e}-O", e, f"{e}-K", "2026-11-03", 100),
            survey(f"{e}-S", e, "2026-11-04", 5),
        )
    ]
    for seed in range(3):
        shuffled = random.Random(seed).sample(twins, len(twins))
        rows = {r.employee_id: r.rank for r in score(POLICY, shuffled, "2026-11")}
        assert rows == {"B1": 1, "B2": 2, "B3": 3}
    base = score(POLICY, twins, "2026-11").employee("B1")
    same = [
        dataclasses.replace(base, employee_id=e, kpi_score=k, conduct_mean=c)
        for e, k, c in [("X", 100.0, 90.0), ("Y", 110.0, 80.0), ("W", 100.0, 95.0)]
    ]
    assert [(r.employee_id, r.rank) for r in _ranked(same, scoring_values(POLICY))] == [
        ("X", 3),
        ("Y", 1),
        ("W", 2),
    ]


def test_a_survey_on_no_finite_scale_is_rejected_not_scored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``nan`` or ``inf`` as a survey's score or scale: the row is rejected with its reason
    (it made the satisfaction NaN, and the grade lookup fail with a traceback)."""
    path = tmp_path / "surveys.csv"
    path.write_text(
        "record_id,customer_id,employee_id,at,score,scale_max\n"
        "S1,K1,A,2026-11-03T10:00:00+08:00,4,nan\n"
        "S2,K1,A,2026-11-04T10:00:00+08:00,inf,5\n"
        "S3,K1,A,2026-11-05T10:00:00+08:00,4.5,5\n",
        encoding="utf-8",
    )
    assert main(["score", str(path), "--period", "2026-11", "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert "2 of 3 rows rejected" in captured.err
    [row] = json.loads(captured.out)["employees"]
    assert row["indicators"]["satisfaction"]["value"] == 90.0  # 4.5 / 5 alone
    assert main(["score", str(path), "--period", "2026-11", "--strict"]) == 2
    err = capsys.readouterr().err
    shown = [line.split()[2:6] for line in err.splitlines() if str(path) in line]
    assert shown == [
        ["satisfaction_survey", "scale_max", "line", "2:"],
        ["satisfaction_survey", "score", "line", "3:"],
    ]
    assert "line 2: 'nan' is not a number" in err and "line 3: 'inf' is not a number" in err


def test_a_report_that_cannot_have_scores_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Scores are a whole month's and count every rule set's findings: a report of a span of
    dates, or of some rule sets, has none, and standard error says so (the page before said
    nothing of it); a report of a month has them and says nothing."""
    path = tmp_path / "sales.jsonl"
    records = [target("A", 200, 0), order("A1", "A", "K1", "2026-11-03", 50)]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    report = tmp_path / "report.md"
    dates = ["--from", "2026-11-01", "--to", "2026-11-30"]
    assert main(["report", str(path), *dates, "--format", "md", "-o", str(report)]) == 0
    assert capsys.readouterr().err == (
        "sales-policy: the report has no scores: they are a whole month's; give the month as "
        "--period YYYY-MM\n"
    )
    month = ["--period", "2026-11", "--format", "md", "-o", str(report)]
    assert main(["report", str(path), *month, "--ruleset", "assessment"]) == 0
    assert capsys.readouterr().err == (
        "sales-policy: the report has no scores: they count the findings of every rule set, "
        "and --ruleset checks some only\n"
    )
    assert main(["report", str(path), *month]) == 0
    assert capsys.readouterr().err == ""


def test_a_report_without_a_rate_for_a_currency_is_written_without_scores(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``score`` refuses to add amounts it has no rate for; ``report`` leaves the scores
    out, says why, and writes the findings with the check's note, exiting as ``check``."""
    path = tmp_path / "sales.jsonl"
    records = [
        target("A", 200, 0),
        order("A1", "A", "K1", "2026-11-03", 50),
        order("A2", "A", "K2", "2026-11-04", 900, currency="USD"),
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    report = tmp_path / "report.md"
    args = [str(path), "--period", "2026-11"]
    assert main(["check", *args]) == 0
    capsys.readouterr()
    assert main(["report", *args, "--format", "md", "-o", str(report)]) == 0
    err = capsys.readouterr().err
    assert err.startswith("sales-policy: the report has no scores: ")
    assert "A 2026-11: USD" in err
    text = report.read_text(encoding="utf-8")
    assert "ASM-TARGET-MISSED 未判断 1 个员工月" in text and "（A 2026-11: USD）" in text
    rated = tmp_path / "policy.yaml"
    rated.write_text("params: {currency_rates: ['USD=7.5']}\n", encoding="utf-8")
    assert main(["report", *args, "--policy", str(rated), "--format", "md", "-o", str(report)]) == 0
    assert capsys.readouterr().err == ""


def test_the_explanation_of_the_top_tier_says_it_has_no_upper_bound(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "sales.jsonl"
    records = [target("A", 100, 0), order("A1", "A", "K1", "2026-11-03", 200)]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    assert main(["score", str(path), "--period", "2026-11", "--explain", "A"]) == 0
    [line] = [x for x in capsys.readouterr().out.splitlines() if x.startswith("commission")]
    top = max(scoring_values(POLICY).tiers, key=lambda tier: tier.lower)
    assert top.upper is None
    assert line.endswith(f"(tier {top.name}: sales achievement {top.lower:g} and above)")
