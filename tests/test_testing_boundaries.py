"""The strategies draw at a company's own parameter boundaries: a property about a company
rule's grace finds a rule that compares the wrong way at the default number of examples."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from sales_policy import Policy, load_policy
from sales_policy.testing import logs
from sales_policy.testing.schedules import EDGE_TIMES, amount_edges, edge_times

#: a company rule: late beyond the company's own grace of 10 minutes; ``{op}`` is ``>`` (right)
#: or ``>=`` (inverted at the boundary: an arrival exactly 10 minutes late is reported)
RULES = """\
ruleset: company
title: {{zh: 公司补充规定, en: Company rules}}
facts: workday
params:
  company_grace_minutes:
    type: int
    default: 10
    min: 0
    max: 60
    doc: {{zh: 公司的迟到宽限分钟数, en: Minutes of lateness the company tolerates}}
rules:
  - id: CO-LATE
    title: {{zh: 超过公司宽限的迟到, en: Late beyond the company's grace}}
    clauses: ["4.3"]
    severity: info
    when: scheduled and minutes_late {op} company_grace_minutes
    evidence: [arrival, minutes_late]
    sources: [arrival_ref]
    message: {{zh: "迟到 {{minutes_late}} 分钟", en: "{{minutes_late}} min late"}}
"""


def _company(folder: Path, op: str, rules: str = RULES) -> Policy:
    """The handbook's policy with the company rule file ``rules``, its comparison ``op``."""
    (folder / "company.yaml").write_text(rules.format(op=op), encoding="utf-8")
    (folder / "policy.yaml").write_text("rule_files: [company.yaml]\n", encoding="utf-8")
    return load_policy(folder / "policy.yaml")


def _generated_only(examples: int) -> Any:
    """``examples`` examples, derandomized, generated only: whether one fails is the
    question, not its smallest form."""
    return settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=[HealthCheck.too_slow],
    )


def _grace_is_kept(policy: Policy, examples: int) -> None:
    """The property a policy owner states: an arrival no more than the grace (10 minutes)
    late is never reported by CO-LATE, over ``examples`` examples (``_generated_only``)."""

    @_generated_only(examples)
    @given(log=logs(policy=policy))
    def check(log: Any) -> None:
        result = policy.check(log.records, log.start, log.end, rulesets=["company"])
        reported = [f.evidence["minutes_late"] for f in result.findings]
        assert all(minutes > 10 for minutes in reported), reported

    check()


def test_a_company_minutes_parameter_is_a_boundary_of_the_logs(tmp_path: Path) -> None:
    """09:00 + 10 minutes, a second before, at and after it (the arrival 10 minutes late, by
    the whole minutes begun, and the first 11 minutes late), and 18:00 less and plus 10
    minutes, each with a second either side; the handbook's edges stay as they were."""
    company = _company(tmp_path, ">")
    added = {
        dt.time(9, 9, 59),
        dt.time(9, 10),
        dt.time(9, 10, 1),
        dt.time(17, 49, 59),
        dt.time(17, 50),
        dt.time(17, 50, 1),
        dt.time(18, 9, 59),
        dt.time(18, 10),
        dt.time(18, 10, 1),
    }
    assert edge_times([company]) == tuple(sorted({*EDGE_TIMES, *added}))
    assert edge_times([load_policy()]) == EDGE_TIMES


def test_a_rule_inverted_at_the_company_grace_is_found_and_the_right_one_passes(
    tmp_path: Path,
) -> None:
    """With ``>=`` for ``>``, an arrival 10 minutes late (09:09:01 to 09:10:00) is reported:
    found within 50 examples, as the logs draw arrivals at 09:09:59 and 09:10 (before, such an
    arrival came only from the wall times drawn between 06:00 and 23:00, and 100 examples
    did not find it); the rule as meant holds over the same 50."""
    (tmp_path / "right").mkdir()
    (tmp_path / "inverted").mkdir()
    _grace_is_kept(_company(tmp_path / "right", ">"), 50)
    with pytest.raises(AssertionError):
        _grace_is_kept(_company(tmp_path / "inverted", ">="), 50)


#: a company rule over orders: an order above the company's limit; ``{op}`` as in ``RULES``
ORDER_RULES = """\
ruleset: company
title: {{zh: 公司补充规定, en: Company rules}}
facts: sales_order
params:
  big_order_limit:
    type: float
    default: 10000
    min: 0
    doc: {{zh: 大额订单下限, en: Orders above this are big}}
rules:
  - id: CO-BIG-ORDER
    title: {{zh: 大额订单, en: Big order}}
    clauses: ["4.2"]
    severity: info
    when: amount {op} big_order_limit
    evidence: [order_id, amount]
    sources: [order_ref]
    message: {{zh: "大额订单 {{order_id}}", en: "big order {{order_id}}"}}
"""


def _order_company(folder: Path, op: str) -> Policy:
    return _company(folder, op, ORDER_RULES)


def _limit_is_kept(policy: Policy, examples: int) -> None:
    """An order of the limit (10,000) or less is never a big order; as ``_grace_is_kept``."""

    @_generated_only(examples)
    @given(log=logs(policy=policy, record_types=["order"]))
    def check(log: Any) -> None:
        result = policy.check(log.records, log.start, log.end, rulesets=["company"])
        reported = [f.evidence["amount"] for f in result.findings]
        assert all(amount > 10000 for amount in reported), reported

    check()


def test_a_company_amount_parameter_is_an_amount_of_the_logs(tmp_path: Path) -> None:
    """The limit, and 0.0001 either side of it, among the amounts drawn; the handbook's gift
    limit (200) among them too."""
    amounts = amount_edges([_order_company(tmp_path, ">")])
    assert {"9999.9999", "10000", "10000.0001", "199.9999", "200", "200.0001"} <= set(amounts)


def test_a_rule_inverted_at_the_company_amount_is_found_and_the_right_one_passes(
    tmp_path: Path,
) -> None:
    """With ``>=`` for ``>``, an order of exactly 10,000 is big: found within 50 examples, as
    the orders' amounts come at 10000 (before, from 0 to 1,000,000 by the cent: one in a
    hundred million); the rule as meant holds over the same 50."""
    (tmp_path / "right").mkdir()
    (tmp_path / "inverted").mkdir()
    _limit_is_kept(_order_company(tmp_path / "right", ">"), 50)
    with pytest.raises(AssertionError):
        _limit_is_kept(_order_company(tmp_path / "inverted", ">="), 50)
