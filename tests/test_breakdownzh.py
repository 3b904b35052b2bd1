"""The Chinese of an employee's breakdown (sales_policy.breakdownzh): each line's Chinese
template fills the same parts as its English one, and says what the rule files and the
score table say (a finding is a 发现, a threshold reached or passed 及以上)."""

from __future__ import annotations

import string

import pytest

from sales_policy.breakdownzh import MONTH, TEMPLATES_ZH, WORDS_ZH


def _parts(template: str) -> list[str]:
    return sorted(name for _, name, _, _ in string.Formatter().parse(template) if name)


@pytest.mark.parametrize("english", sorted(TEMPLATES_ZH))
def test_each_chinese_template_fills_the_parts_of_its_english_one(english: str) -> None:
    """The same parts, but an English plural's ``s``, which Chinese has no use for."""
    assert _parts(TEMPLATES_ZH[english]) == [p for p in _parts(english) if p != "s"]


def test_the_month_line_has_its_chinese() -> None:
    assert _parts(TEMPLATES_ZH[MONTH]) == _parts(MONTH) and "previous_net" in _parts(MONTH)


def test_the_chinese_calls_a_finding_a_finding_and_a_threshold_reached_or_passed() -> None:
    """An info finding (提示) is no violation: no template or word says 违规; a grade or a
    severity "or better/worse" is 及以上 throughout, never 或以上."""
    said = [*TEMPLATES_ZH.values(), *WORDS_ZH.values()]
    assert not [text for text in said if "违规" in text or "或以上" in text]
    assert TEMPLATES_ZH["grade {grade} or better"] == "等级 {grade} 及以上"
    assert TEMPLATES_ZH[" or worse"] == "及以上"
    assert WORDS_ZH["no finding"] == "无发现"
