"""Tests for sales_policy.ruledocs: the generated rule pages in docs/rules/."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

import pytest

from sales_policy import load_policy
from sales_policy.handbook import CLAUSES
from sales_policy.ruledocs import REGENERATE, render_rule_page, rule_pages, write_rule_pages

DOCS_RULES = Path(__file__).resolve().parents[1] / "docs" / "rules"
POLICY = load_policy()
#: every page as the rule files and samples generate it now: generated once (the pages
#: render every rule's samples), read by each page's test
PAGES: Mapping[str, str] = MappingProxyType(rule_pages(POLICY))


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_is_current(name: str) -> None:
    """Each page in docs/rules/ is exactly what the rule files and samples generate now."""
    path = DOCS_RULES / name
    assert path.is_file(), f"{path} is missing; run {REGENERATE}"
    expected = PAGES[name]
    assert path.read_text(encoding="utf-8") == expected, f"{path} is stale; run {REGENERATE}"


def test_every_rule_has_a_page_and_every_page_a_rule() -> None:
    """docs/rules/ holds index.md and one page per rule id, nothing more and nothing less."""
    rule_ids = {rule.rule_id for rule in POLICY.all_rules()}
    pages = {path.stem for path in DOCS_RULES.glob("*.md")} - {"index"}
    assert pages - rule_ids == set(), f"pages without a rule; run {REGENERATE}"
    assert rule_ids - pages == set(), f"rules without a page; run {REGENERATE}"
    index = (DOCS_RULES / "index.md").read_text(encoding="utf-8")
    assert all(f"]({rule_id}.md)" in index for rule_id in rule_ids)


def test_page_shows_the_samples() -> None:
    """A sample's name, kind, records (one table per record type) and expected findings are
    rendered; without samples the page says there are no examples."""
    rule = POLICY.rule("ATT-LATE")
    sample = {
        "rule": "ATT-LATE",
        "name": "a pipe | in a name",
        "kind": "violating",
        "period": {"start": "2026-11-02", "end": "2026-11-02"},
        "params": {"late_grace_minutes": 5},
        "records": [
            {"type": "punch", "employee_id": "E1", "at": "2026-11-02T09:06:00+08:00"},
            {"type": "employee", "employee_id": "E1", "name": "王伟"},
        ],
        "expect": [{"employee_id": "E1", "date": "2026-11-02", "evidence": {"minutes_late": 6}}],
    }
    page = render_rule_page(POLICY, rule, [sample])
    assert "### violating: a pipe \\| in a name" in page
    assert "`punch` records:" in page and "`employee` records:" in page
    assert "| E1 | 2026-11-02T09:06:00+08:00 |" in page
    assert "| E1 | 2026-11-02 | minutes_late = 6 |" in page
    assert "`late_grace_minutes = 5`" in page
    assert "No examples yet." in render_rule_page(POLICY, rule, [])


def test_pages_follow_the_policy(tmp_path: Path) -> None:
    """Writing is deterministic, shows a policy's own parameter values and disabled rules,
    and removes the page of a rule that no longer exists."""
    (tmp_path / "ATT-GONE.md").write_text("old", encoding="utf-8")
    (tmp_path / "notes.md").write_text("kept", encoding="utf-8")
    first = write_rule_pages(tmp_path)
    assert not (tmp_path / "ATT-GONE.md").exists() and (tmp_path / "notes.md").exists()
    assert [p.read_text(encoding="utf-8") for p in first] == [
        p.read_text(encoding="utf-8") for p in write_rule_pages(tmp_path)
    ]
    policy = replace(POLICY.with_params(late_grace_minutes=5), disabled=frozenset({"ATT-LATE"}))
    page = rule_pages(policy)["ATT-LATE.md"]
    assert "`0` (this policy: `5`)" in page
    assert "disabled by the policy" in page


def test_handbook_coverage_lists_every_rule() -> None:
    """docs/handbook-coverage.md has a row for every clause, and each row names every rule
    that cites the clause."""
    text = (DOCS_RULES.parent / "handbook-coverage.md").read_text(encoding="utf-8")
    rows = {
        line.split("|")[1].strip(): line
        for line in text.splitlines()
        if re.match(r"^\| \d\.\d \|", line)
    }
    assert sorted(rows) == sorted(CLAUSES)
    for clause in CLAUSES:
        citing = {r.rule_id for r in POLICY.all_rules() if clause in r.clauses}
        listed = set(re.findall(r"[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+", rows[clause]))
        missing = citing - listed
        assert not missing, f"handbook-coverage.md: clause {clause} does not list {missing}"


def test_every_derivation_parameter_is_declared_and_shown() -> None:
    """Parameters read while deriving facts are declared by the shipped rule files, and the
    page of a rule reading a column they shape lists them."""
    from sales_policy.facts.schema import FACT_TABLES

    declared = POLICY.declared_params()
    shaped = {t.name: t.params for t in FACT_TABLES.values() if t.params}
    assert {"workday", "employee_month", "contract_follow_up"} <= set(shaped)
    for params in shaped.values():
        for name, _ in params:
            assert name in declared
    page = (DOCS_RULES / "CRM-NO-FOLLOW-UP.md").read_text(encoding="utf-8")
    assert "`follow_up_days`" in page
    assert "(read while deriving the `contract_follow_up` facts)" in page
    absent = (DOCS_RULES / "ATT-ABSENT.md").read_text(encoding="utf-8")
    assert "Neither the condition nor its facts read a parameter." in absent
