"""Every rule's worked examples (``rules/samples/<ruleset>.yaml``) run against the engine.

A sample is a small set of input records judged over a period, with optional parameter
overrides.  A ``violating`` sample lists exactly the findings of its rule that the check must
produce (matched by employee and date or period; ``evidence`` is a subset of the finding's
evidence); a ``compliant`` sample must produce no finding of its rule.  Findings of other
rules are not looked at.  The expected values were worked out by hand from the semantics.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

import sales_policy
from sales_policy.findings import Finding
from sales_policy.policy import default_rule_dir

SAMPLE_DIR = default_rule_dir() / "samples"
KINDS = ("violating", "compliant")
SAMPLE_KEYS = {"rule", "name", "kind", "period", "params", "records", "expect"}
EXPECT_KEYS = {"employee_id", "date", "period", "evidence"}


def _load(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    assert data["ruleset"] == path.stem, f"{path}: ruleset {data['ruleset']!r} != file name"
    return [{**sample, "ruleset": data["ruleset"]} for sample in data["samples"]]


SAMPLES = [s for path in sorted(SAMPLE_DIR.glob("*.yaml")) for s in _load(path)]


def _id(sample: dict[str, Any]) -> str:
    return f"{sample['rule']}:{sample['kind']}:{sample['name']}"


def _matches(finding: Finding, want: dict[str, Any]) -> bool:
    """The finding is for the expected employee and for its date (day and event grain) or
    its period (month grain)."""
    return (
        finding.employee_id == want["employee_id"]
        and ("date" not in want or finding.date == want["date"])
        and ("period" not in want or finding.period == want["period"])
    )


def _describe(findings: list[Finding]) -> list[tuple[Any, ...]]:
    return [(f.employee_id, f.date, f.period, f.evidence) for f in findings]


@pytest.mark.parametrize("sample", SAMPLES, ids=_id)
def test_sample(sample: dict[str, Any]) -> None:
    """A violating sample yields exactly the listed findings of its rule (evidence checked
    key by key); a compliant sample yields none.  No input row is rejected."""
    policy = sales_policy.load_policy().with_params(**sample.get("params", {}))
    period = sample["period"]
    result = policy.check(sample["records"], period["start"], period["end"])
    assert result.counts.rejected == 0, result.rejects.to_dicts()
    found = [f for f in result.findings if f.rule_id == sample["rule"]]

    if sample["kind"] == "compliant":
        assert found == [], f"expected no {sample['rule']}, got {_describe(found)}"
        return

    expected = sample["expect"]
    assert len(found) == len(expected), (
        f"expected {len(expected)} {sample['rule']} finding(s), got {_describe(found)}"
    )
    unmatched = list(found)
    for want in expected:
        key = {k: v for k, v in want.items() if k != "evidence"}
        matches = [f for f in unmatched if _matches(f, want)]
        assert matches, f"no {sample['rule']} finding for {key}; got {_describe(found)}"
        finding = matches[0]
        unmatched.remove(finding)
        evidence = want.get("evidence", {})
        actual = {name: finding.evidence.get(name, "<absent>") for name in evidence}
        assert actual == evidence, f"{key}: evidence {finding.evidence}"


def test_sample_file_shape() -> None:
    """Samples use only the documented keys; kind is violating or compliant; only a violating
    sample has a non-empty ``expect``; each entry names an employee and a date or a period;
    names are unique per rule."""
    seen: set[tuple[str, str]] = set()
    for sample in SAMPLES:
        where = _id(sample)
        assert set(sample) - {"ruleset"} <= SAMPLE_KEYS, where
        assert {"rule", "name", "kind", "period", "records"} <= set(sample), where
        assert sample["kind"] in KINDS, where
        assert isinstance(sample["period"]["start"], dt.date), where
        assert isinstance(sample["period"]["end"], dt.date), where
        assert all("type" in record for record in sample["records"]), where
        if sample["kind"] == "violating":
            assert sample.get("expect"), f"{where}: a violating sample needs expect"
            for want in sample["expect"]:
                assert set(want) <= EXPECT_KEYS, where
                assert "employee_id" in want, where
                assert ("date" in want) != ("period" in want), f"{where}: date or period"
        else:
            assert "expect" not in sample, f"{where}: a compliant sample has no expect"
        assert (sample["rule"], sample["name"]) not in seen, f"duplicate name {where}"
        seen.add((sample["rule"], sample["name"]))


def test_every_rule_has_both_kinds_of_sample() -> None:
    """Every rule in force has at least one violating and one compliant sample, and every
    sample names a rule the policy knows, in the sample file's rule set."""
    policy = sales_policy.load_policy()
    known = {rule.rule_id: rule.ruleset for rule in policy.all_rules()}
    for sample in SAMPLES:
        assert sample["rule"] in known, f"{_id(sample)}: unknown rule"
        assert known[sample["rule"]] == sample["ruleset"], f"{_id(sample)}: wrong rule set file"
    kinds = {(s["rule"], s["kind"]) for s in SAMPLES}
    missing = [
        f"{rule.rule_id}:{kind}"
        for rule in policy.rules
        for kind in KINDS
        if (rule.rule_id, kind) not in kinds
    ]
    assert missing == [], f"rules without samples: {missing}"
