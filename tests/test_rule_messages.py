"""Every rule's messages read right in both languages at the edges of its parameters.

A count a message shows is at least the threshold a parameter sets, and a policy may set the
threshold as low as the parameter's ``min`` (``repeated_late_count: 1``): "late 1 times",
"1 customer records" or "for 1 days" would then be written.  Each message is rendered, the
way the reports write it from the objects and column-wise, with each number it shows at
0, 1 and 2 and at every edge of its rule set's parameters (min, max, default, and one
above each), and with each placeholder that has a text for a missing value missing.

English: no plural noun after 1, no singular one after another number; no Chinese.
Chinese: no Latin letter of the template's own (the values shown are Chinese here), so no
English word is left in a Chinese message, nor in the texts shown for missing values.
Amounts: a number followed by its currency is an amount as messages write one (500.00).
"""

from __future__ import annotations

import datetime as dt
import re
import string
from decimal import Decimal
from typing import Any

import polars as pl
import pytest

import sales_policy
from sales_policy.engine import evidence_dtype
from sales_policy.facts.chinese import VALUE_NAMES_ZH
from sales_policy.facts.money import money_text
from sales_policy.facts.schema import FACT_TABLES
from sales_policy.findings import ZH_SEPARATOR, named_zh, render
from sales_policy.rulesets import Rule
from sales_policy.ruletexts import rule_texts

POLICY = sales_policy.load_policy()
RULES = POLICY.all_rules()
KEYS = ("employee_id", "period", "date")
#: the nouns English messages count (and "min", which needs no plural)
NOUNS = ("time", "day", "record", "minute", "hour", "survey", "finding", "month", "order")
PLURAL_AFTER_ONE = re.compile(rf"(?<![\d.])1 (?:\S+ )?(?:{'|'.join(NOUNS)})s\b")
SINGULAR_AFTER_MANY = re.compile(rf"(?<![\d.])(?!1 )\d+ (?:\S+ )?(?:{'|'.join(NOUNS)})\b(?!s)")
CJK = re.compile(r"[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]")
LATIN = re.compile(r"[A-Za-z]")


def _placeholders(rule: Rule) -> dict[str, bool]:
    """The names a rule's messages show, each with whether one of them gives a text for a
    missing value (``{name|text}``)."""
    found: dict[str, bool] = {}
    for template in (rule.message.zh, rule.message.en):
        for _, field, _, _ in string.Formatter().parse(template):
            if field is not None:
                name, bar, _ = field.partition("|")
                found[name] = found.get(name, False) or bool(bar)
    return found


def _edges(rule: Rule) -> list[int]:
    """0, 1, 2 and each edge of the whole-number parameters of the rule's rule set."""
    params = next(rs for rs in POLICY.rulesets if rs.name == rule.ruleset).params.values()
    edges = {0, 1, 2}
    for param in params:
        if param.type == "int":
            for value in (param.minimum, param.maximum, param.default):
                if value is not None:
                    edges |= {int(value), int(value) + 1}
    return sorted(edges)


def _value(name: str, kind: str, chinese: bool) -> Any:
    """A value of a column that is not counted: a coded one where the column has codes, a
    date or an instant, else a text with no Latin letter (Chinese) or none but Latin."""
    if name in VALUE_NAMES_ZH:
        codes = list(VALUE_NAMES_ZH[name])
        return codes[:2] if kind == "str_list" else codes[0]
    if kind in ("date", "datetime"):
        # an instant's T is the value's, not the template's Latin
        return "2026-11-02" if kind == "date" else "2026-11-02 09:00:00+08:00"
    if kind == "bool":
        return True
    text = "甲" if chinese else "x"
    return [text, text] if kind == "str_list" else text


def _cases(rule: Rule, chinese: bool) -> list[dict[str, Any]]:
    """Evidence to render the rule's messages with: each number it shows at each edge, the
    others at 2; then each placeholder with a text for a missing value, missing."""
    types = FACT_TABLES[rule.facts].types()
    shown = _placeholders(rule)
    base = {
        name: 2 if types[name] in ("int", "float") else _value(name, types[name], chinese)
        for name in rule.evidence
    }
    base |= {"employee_id": "甲" if chinese else "E1", "period": "2026-11", "date": "2026-11-02"}
    cases = [base]
    for name in shown:
        if types.get(name) in ("int", "float"):
            cases += [base | {name: value} for value in _edges(rule)]
        if shown[name]:
            cases.append(base | {name: None})
    return cases


def _python(rule: Rule, values: dict[str, Any]) -> tuple[str, str]:
    """The messages as a finding object has them (``CheckResult.findings_of``)."""
    zh = render(rule.message.zh, named_zh(values), ZH_SEPARATOR)
    return zh, render(rule.message.en, values)


def _columnar(rule: Rule, cases: list[dict[str, Any]]) -> list[tuple[str, str]] | None:
    """The messages as reports write many findings (``ruletexts.rule_texts``); None for a
    rule whose findings are written from the objects only (evidence with a float)."""
    dtype = evidence_dtype(rule)
    assert dtype is not None
    fields = {f.name: f.dtype for f in dtype.fields}
    columns = {
        f"_evidence_{name}": pl.Series([case[name] for case in cases], dtype=kind)
        for name, kind in fields.items()
    }
    frame = pl.DataFrame(
        {
            **columns,
            "employee_id": [case["employee_id"] for case in cases],
            "period": [case["period"] for case in cases],
            "date": [dt.date.fromisoformat(case["date"]) for case in cases],
        }
    )
    texts = rule_texts(rule, fields, "csv")
    if texts is None:
        return None
    rows = (
        frame.with_columns(texts.escapes).select(texts.zh.alias("zh"), texts.en.alias("en")).rows()
    )
    return [(zh, en) for zh, en in rows]


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.rule_id)
def test_every_message_reads_right_at_the_edges_of_its_parameters(rule: Rule) -> None:
    for chinese in (True, False):
        cases = _cases(rule, chinese)
        python = [_python(rule, case) for case in cases]
        assert _columnar(rule, cases) in (python, None), rule.rule_id
        for case, (zh, en) in zip(cases, python, strict=True):
            if chinese:
                assert not LATIN.search(zh), (rule.rule_id, zh)
                continue
            assert not PLURAL_AFTER_ONE.search(en), (rule.rule_id, en)
            assert not SINGULAR_AFTER_MANY.search(en), (rule.rule_id, en)
            assert not CJK.search(en), (rule.rule_id, en)
            assert "None" not in en and "None" not in zh, (rule.rule_id, case)


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.rule_id)
def test_an_amount_shown_with_its_currency_is_written_as_money(rule: Rule) -> None:
    """``{value} {currency}`` would write a float (500.0): an amount beside its currency is
    a text column the facts write as money (``value_text``, ``net_sales_text``)."""
    types = FACT_TABLES[rule.facts].types()
    for template in (rule.message.zh, rule.message.en):
        for amount in re.findall(r"\{(\w+)\} \{currency\}", template):
            assert types[amount] == "str", (rule.rule_id, amount)


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        # two decimals at least, as the score table and the assessment messages write money
        ("500", "500.00"),
        ("0", "0.00"),
        ("0.5", "0.50"),
        ("1", "1.00"),
        ("200.01", "200.01"),
        # more decimals are kept, never rounded: 999.995 does not read as 1000.00
        ("999.995", "999.995"),
        ("0.0001", "0.0001"),
        ("12345678.9", "12345678.90"),
    ],
)
def test_money_is_written_to_two_decimals_at_least(amount: str, text: str) -> None:
    frame = pl.DataFrame({"x": [float(Decimal(amount))]})
    assert frame.select(money_text(pl.col("x"))).item() == text


def test_a_gift_over_the_limit_shows_its_value_as_money() -> None:
    """INT-GIFT: a gift of 500 (and one of 200.5 CNY over a limit of 200) reads
    "500.00 CNY" and "200.50 CNY" in both languages, not "500.0"."""
    gift = {
        "type": "gift",
        "employee_id": "E1",
        "counterparty": "Supplier",
        "direction": "received",
        "at": "2026-11-02T10:00:00+08:00",
        "approved": False,
    }
    gifts = [
        gift | {"record_id": "G1", "value": "500"},
        gift | {"record_id": "G2", "value": "200.5"},
    ]
    result = POLICY.check(gifts, start=dt.date(2026, 11, 2), end=dt.date(2026, 11, 2))
    messages = sorted((f.message.zh, f.message.en) for f in result if f.rule_id == "INT-GIFT")
    assert messages == [
        (
            "未经批准的礼品（收受，Supplier，200.50 CNY）",
            "gift received without approval (Supplier, 200.50 CNY)",
        ),
        (
            "未经批准的礼品（收受，Supplier，500.00 CNY）",
            "gift received without approval (Supplier, 500.00 CNY)",
        ),
    ]
