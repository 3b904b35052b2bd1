"""A parameter compared with a figure its rules keep to so many decimal places may not have
more (``places:`` in a rule file): satisfaction is kept to 2, a gift's value in CNY to 4.  A
minimum of 59.995 had found a mean of 59.996 (kept as 59.99) below it, and a gift limit of
499.99979 a gift of 499.99975 CNY (kept as 499.9998) over it."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from sales_records import survey

from sales_policy import InvalidArgument, PolicyError, RuleFileError, load_policy
from sales_policy.testing import policy_overrides

POLICY = load_policy()
NOVEMBER = dt.date(2026, 11, 1), dt.date(2026, 11, 30)


def _gift(value: str, currency: str) -> dict[str, Any]:
    return {
        "type": "gift",
        "record_id": "G1",
        "employee_id": "E1",
        "direction": "received",
        "counterparty": "K1",
        "value": value,
        "currency": currency,
        "at": "2026-11-10T10:00:00+08:00",
        "approved": False,
    }


def _rules(policy: Any, records: list[dict[str, Any]], rule: str) -> list[str]:
    result = policy.check(records, *NOVEMBER)
    return [f.rule_id for f in result.findings if f.rule_id == rule]


@pytest.mark.parametrize(
    ("setting", "line", "message"),
    [
        (
            "min_satisfaction: 59.995",
            3,
            "min_satisfaction has 3 decimal places (59.995), but what it is compared with is "
            "kept to 2",
        ),
        (
            "gift_limit: 499.99979",
            3,
            "gift_limit has 5 decimal places (499.99979), but what it is compared with is kept "
            "to 4",
        ),
    ],
)
def test_a_parameter_with_more_places_than_its_rule_keeps_is_refused_at_its_line(
    tmp_path: Path, setting: str, line: int, message: str
) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(f"# ours\nparams:\n  {setting}\n", encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    assert (caught.value.path, caught.value.line) == (str(path), line)
    assert message in str(caught.value)
    name, value = setting.split(": ")
    with pytest.raises(InvalidArgument, match=f"{name} has"):
        POLICY.with_params(**{name: float(value)})


def test_a_minimum_satisfaction_of_2_places_is_compared_exactly() -> None:
    """Minimum 59.99: a mean of 59.995 (kept as 59.99) is not below it, one of 59.985 (kept
    as 59.98) is; 59.99 and 60 are accepted as before."""
    policy = POLICY.with_params(min_satisfaction=59.99)
    assert POLICY.with_params(min_satisfaction=60).params["min_satisfaction"] == 60
    assert _rules(policy, [survey("59.995")], "ASM-LOW-SATISFACTION") == []
    assert _rules(policy, [survey("59.985")], "ASM-LOW-SATISFACTION") == ["ASM-LOW-SATISFACTION"]


def test_a_gift_limit_of_4_places_is_compared_exactly() -> None:
    """70.4225 USD at 7.10 is 499.99975 CNY exactly (by hand), kept as 499.9998: over a limit
    of 499.9997, not over one of 499.9998."""
    rates = {"currency_rates": ["USD=7.10"]}
    gift = [_gift("70.4225", "USD")]
    over = POLICY.with_params(gift_limit=499.9997, **rates)
    at = POLICY.with_params(gift_limit=499.9998, **rates)
    assert _rules(over, gift, "INT-GIFT") == ["INT-GIFT"]
    assert _rules(at, gift, "INT-GIFT") == []


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("type: int\n    default: 1\n    places: 2", "places is for a float parameter"),
        ("type: float\n    default: 1\n    places: -1", "a whole number from 0 to 12"),
        ("type: float\n    default: 1.5\n    places: 0", "limit has 1 decimal place (1.5)"),
        ("type: float\n    default: 1\n    min: 0.25\n    places: 1", "min 0.25 has more"),
    ],
)
def test_places_in_a_rule_file_is_checked_at_load(tmp_path: Path, spec: str, message: str) -> None:
    (tmp_path / "ours.yaml").write_text(
        "ruleset: ours\ntitle: {zh: 公司, en: Ours}\nfacts: workday\nparams:\n  limit:\n"
        f"    {spec}\n    doc: {{zh: 上限, en: A limit}}\nrules: []\n",
        encoding="utf-8",
    )
    (tmp_path / "policy.yaml").write_text("rule_files: [ours.yaml]\n", encoding="utf-8")
    with pytest.raises(RuleFileError, match=re.escape(message)):
        load_policy(tmp_path / "policy.yaml")


@settings(max_examples=30, deadline=None)
@given(overrides=policy_overrides(rulesets=["assessment", "integrity"]))
def test_overrides_keep_to_the_places(overrides: dict[str, Any]) -> None:
    """policy_overrides draws values with no more places than a parameter may have."""
    policy = POLICY.with_params(**overrides)
    assert policy.params["min_satisfaction"] == round(policy.params["min_satisfaction"], 2)


def test_a_whole_number_written_with_a_point_fits_places_0(tmp_path: Path) -> None:
    """``places: 0`` takes 2, 2.0 and 3e2 (no decimal place), refuses 2.5; a value drawn by
    ``policy_overrides`` (rounded to 0 places, a float) is accepted by ``with_params``."""
    (tmp_path / "ours.yaml").write_text(
        "ruleset: ours\ntitle: {zh: 公司, en: Ours}\nfacts: workday\nparams:\n  limit:\n"
        "    type: float\n    default: 2.0\n    min: 0.0\n    max: 1000\n    places: 0\n"
        "    doc: {zh: 上限, en: A limit}\nrules: []\n",
        encoding="utf-8",
    )
    (tmp_path / "policy.yaml").write_text("rule_files: [ours.yaml]\n", encoding="utf-8")
    policy = load_policy(tmp_path / "policy.yaml")
    assert policy.with_params(limit=2.0).params["limit"] == 2
    assert policy.with_params(limit=300.0).params["limit"] == 300
    with pytest.raises(InvalidArgument, match=re.escape("limit has 1 decimal place (2.5)")):
        policy.with_params(limit=2.5)
