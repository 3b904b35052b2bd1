"""The batch engine's queries and the column-wise reports give exactly what the plain ways do.

* ``engine.evaluate`` collects every rule's findings as lazy queries; they must equal what
  ``engine.as_findings`` (the live engine's way in) makes of each rule's filtered rows.
* Sources are the sorted references without repeats or nulls, however they are built.
* Reports decode each rule's evidence with the type the engine writes it with
  (``engine.evidence_dtype``); whatever the evidence holds, the text must be the one written
  from the ``Finding`` objects, by that way or by the fallbacks.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import polars as pl
import pytest
from conftest import EXAMPLE_MONTH
from hard_text import HARD_TEXT, HARD_VALUES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sales_policy import engine, findingtexts, load_policy, ruletexts
from sales_policy.facts.schema import FACT_TABLES, FactTable, fact_table
from sales_policy.findings import FINDING_SCHEMA, CheckResult, Counts
from sales_policy.records import RECORD_MODELS
from sales_policy.rulesets import Rule, Text
from sales_policy.testing import logs

POLICY = load_policy()
NOVEMBER = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))

#: a fact table with a column of every type evidence and sources can name
PATHS: FactTable = fact_table(
    "evaluation_paths_test",
    "event",
    "Columns of every type, for tests of the engine's and the reports' column-wise paths.",
    ("text", "str", ""),
    ("count", "int", ""),
    ("flag", "bool", ""),
    ("names", "str_list", ""),
    ("day", "date", ""),
    ("instant", "datetime", ""),
    ("ratio", "float", ""),
    ("ref_a", "ref", ""),
    ("ref_b", "ref", ""),
    ("refs", "ref_list", ""),
)
TEMPLATE_RULE: Rule = POLICY.all_rules()[0]


@pytest.fixture(autouse=True, scope="module")
def _paths_table() -> Iterator[None]:
    """The test fact table is known while this module's tests run, and only then."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(FACT_TABLES, PATHS.name, PATHS)
        yield


def _rule(rule_id: str, **changes: Any) -> Rule:
    return dataclasses.replace(TEMPLATE_RULE, rule_id=rule_id, facts=PATHS.name, **changes)


# -- engine ----------------------------------------------------------------------------------


@settings(max_examples=12, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    log=logs(
        employees=4,
        max_days=20,
        record_types=list(RECORD_MODELS),
        timezones=("Asia/Shanghai", "Europe/Berlin", "America/New_York"),
    )
)
def test_evaluate_finds_what_each_rule_finds_alone(log: Any) -> None:
    """On logs of every record type in three timezones, the findings and pending counts of
    the batch queries are those of each rule's filtered rows through ``as_findings``."""
    captured: dict[str, Any] = {}

    def keep(*args: Any) -> engine.Evaluation:
        captured["args"] = args
        return engine.evaluate(*args)

    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr("sales_policy.checking.evaluate", keep)
        result = POLICY.check(log.records, log.start, log.end)
    rules, facts, zones, last = captured["args"]
    expected = []
    first = [c for c in rules if FACT_TABLES[c.rule.facts].stage == 1]
    exclusive = {c.rule.rule_id for c in first if c.rule.exclusive_group}
    for compiled in first:
        table = facts.get(compiled.rule.facts)
        if table is None or table.is_empty() or compiled.rule.rule_id in exclusive:
            continue
        hits = table.filter(compiled.condition.expr)
        if hits.height:
            expected.append(engine.as_findings(compiled, hits))
    found = result.table.filter(
        ~pl.col("rule_id").is_in(list(exclusive))
        & pl.col("rule_id").is_in([c.rule.rule_id for c in first])
    )
    key = ["employee_id", "date", "period", "rule_id", "evidence", "sources"]
    want = pl.concat(expected) if expected else pl.DataFrame(schema=FINDING_SCHEMA)
    assert found.sort(key, nulls_last=True).equals(want.sort(key, nulls_last=True))
    pending = {
        c.rule.rule_id: facts[c.rule.facts].filter(c.pending.expr).height
        for c in rules
        if c.pending is not None and c.rule.facts in facts
    }
    for c in rules:  # second stage: over the month counts of the findings found
        if c.pending is not None and FACT_TABLES[c.rule.facts].stage == 2:
            months = engine.finding_month(result.table, c.rule.counts, zones, last)
            pending[c.rule.rule_id] = months.filter(c.pending.expr).height
    assert result.pending == pending


references = st.one_of(st.none(), st.integers(0, 6))


@given(
    rows=st.lists(
        st.tuples(
            references,
            references,
            st.one_of(st.none(), st.lists(references, max_size=4)),
        ),
        max_size=12,
    )
)
def test_sources_are_the_sorted_references_without_repeats(
    rows: list[tuple[int | None, int | None, list[int | None] | None]],
) -> None:
    frame = pl.DataFrame(
        rows, schema={"ref_a": pl.Int64, "ref_b": pl.Int64, "refs": pl.List(pl.Int64)}, orient="row"
    )
    for sources in (
        ("ref_a",),
        ("ref_a", "ref_b"),
        ("ref_b", "ref_a"),
        ("refs",),
        ("ref_a", "refs"),
    ):
        built = frame.select(engine._sources(_rule("X", sources=sources))).to_series().to_list()
        expected = [
            sorted({r for name in sources for r in _listed(row[name]) if r is not None})
            for row in frame.iter_rows(named=True)
        ]
        assert built == expected, sources


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


# -- reports ---------------------------------------------------------------------------------

strings = HARD_TEXT
#: evidence as the engine writes it: dates and instants as text
EVIDENCE: dict[str, tuple[Any, st.SearchStrategy[Any]]] = {
    "text": HARD_VALUES["str"],
    "count": HARD_VALUES["int"],
    "flag": HARD_VALUES["bool"],
    "names": HARD_VALUES["list"],
    "day": HARD_VALUES["date"],
    "instant": (pl.String, st.sampled_from(["2026-11-03T09:27:58+08:00", 'x"y', ""])),
    "ratio": HARD_VALUES["float"],
}
#: evidence other than the engine writes: a type or a key the rule does not have
ODD_EVIDENCE = ['{"text":5}', '{"other":"x"}', '{"count":1,"text":"a"}', "{}", '{"text": "a"}']


@st.composite
def results(draw: st.DrawFn) -> CheckResult:
    """Findings of up to three rules over the test fact table, with evidence as the engine
    writes it for them (mostly) and message templates showing any of it."""
    rules, parts = {}, []
    for number in range(draw(st.integers(1, 3))):
        rule_id = f"X-PATH{number}"
        names = draw(st.lists(st.sampled_from(sorted(EVIDENCE)), max_size=4, unique=True))
        placeholders = [*names, "employee_id", "date", "period", "unknown"]
        pieces = draw(
            st.lists(
                st.one_of(
                    st.sampled_from(placeholders).map(lambda name: "{" + name + "}"),
                    st.sampled_from(["", " ", "迟到 ", '"', "\\n", "\n", "\x01"]),
                ),
                max_size=5,
            )
        )
        message = Text("".join(pieces), "en " + "".join(reversed(pieces)))
        rules[rule_id] = _rule(rule_id, evidence=tuple(names), message=message)
        height = draw(st.integers(1, 5))
        columns = {
            name: pl.Series(
                name,
                [draw(st.one_of(st.none(), EVIDENCE[name][1])) for _ in range(height)],
                dtype=EVIDENCE[name][0],
            )
            for name in names
        }
        evidence = (
            pl.DataFrame(columns).select(pl.struct(*names).struct.json_encode()).to_series()
            if names
            else pl.Series(["{}"] * height)
        )
        if draw(st.sampled_from([False, False, False, True])):  # not as the rule writes it
            evidence = pl.Series([draw(st.sampled_from(ODD_EVIDENCE)) for _ in range(height)])
        month = draw(st.booleans())
        parts.append(
            pl.DataFrame(
                {
                    "rule_id": [rule_id] * height,
                    "ruleset": ["attendance"] * height,
                    "severity": ["minor"] * height,
                    "clauses": [draw(st.lists(strings, max_size=2)) for _ in range(height)]
                    if draw(st.booleans())  # findings of one rule with unlike clauses
                    else [["4.3"]] * height,
                    "employee_id": [draw(st.one_of(strings, st.none())) for _ in range(height)],
                    "date": [None if month else draw(st.dates()) for _ in range(height)],
                    "period": [draw(strings) if month else None for _ in range(height)],
                    "evidence": evidence,
                    "sources": [
                        draw(st.lists(st.integers(0, 2**32 - 1), max_size=2)) for _ in range(height)
                    ],
                },
                schema=FINDING_SCHEMA,
            )
        )
    frame = pl.concat(parts).sample(fraction=1.0, shuffle=True, seed=draw(st.integers(0, 9)))
    return CheckResult(
        table=frame,
        rejects=pl.DataFrame(),
        counts=Counts(0, 0, 0),
        period=None,
        rules=rules,
        sources=['a "b".csv'],
    )


def _from_objects(result: CheckResult, style: ruletexts.Style) -> list[str]:
    return findingtexts._python_texts(result.findings_of(result.table), style)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(result=results())
def test_column_wise_texts_are_those_of_the_objects(result: CheckResult) -> None:
    for style in ("jsonl", "json", "csv"):
        texts = findingtexts.finding_texts(result, style, columnar=True)
        assert isinstance(texts, pl.Series)
        assert texts.to_list() == _from_objects(result, style), style


def test_values_a_message_shows_are_escaped_as_json_escapes_them() -> None:
    """Text, lists of text, the employee and the period, with every character JSON escapes,
    shown in messages of every kind of finding."""
    special = "".join(map(chr, range(0x20))) + '"\\\u2028\x7f'
    rule = _rule(
        "X-ESCAPE",
        evidence=("text", "names", "count", "flag"),
        message=Text(
            '"{text}" {names} {count} {flag} {employee_id} {period} {date}\\',
            "{names}\n{text}\t{unknown}",
        ),
    )
    evidence = json.dumps(
        {"text": special, "names": [special, None, "a"], "count": -3, "flag": True},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    frame = pl.DataFrame(
        {
            "rule_id": ["X-ESCAPE"] * 2,
            "ruleset": ["attendance"] * 2,
            "severity": ["minor"] * 2,
            "clauses": [["4.3"]] * 2,
            "employee_id": [special, None],
            "date": [dt.date(2026, 11, 3), None],
            "period": [None, special],
            "evidence": [evidence] * 2,
            "sources": [[0], [1, 2]],
        },
        schema=FINDING_SCHEMA,
    )
    result = CheckResult(
        table=frame,
        rejects=pl.DataFrame(),
        counts=Counts(0, 0, 0),
        period=None,
        rules={"X-ESCAPE": rule},
        sources=["a.csv"],
    )
    for style in ("jsonl", "json", "csv"):
        texts = findingtexts.finding_texts(result, style, columnar=True)
        assert isinstance(texts, pl.Series)
        assert texts.to_list() == _from_objects(result, style), style


def test_evidence_is_decoded_with_the_engines_type_not_read_from_its_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On a real check no rule needs its evidence's type read from the text: so the tests
    above check the way reports take for real findings."""
    result = POLICY.check(sorted(EXAMPLE_MONTH.glob("*.csv")), *NOVEMBER)
    expected = {style: _from_objects(result, style) for style in ("jsonl", "json", "csv")}

    def never(*args: Any) -> None:
        raise AssertionError("evidence type read from the text")

    monkeypatch.setattr(findingtexts, "_rule_columns", never)
    for style, texts in expected.items():
        lines = findingtexts.finding_texts(result, style, columnar=True)
        assert isinstance(lines, pl.Series)
        assert lines.to_list() == texts


def test_evidence_dtype_reads_back_what_the_engine_writes() -> None:
    rule = _rule("X", evidence=("text", "count", "flag", "names", "day", "instant", "ratio"))
    assert engine.evidence_dtype(rule) == pl.Struct(
        {
            "text": pl.String,
            "count": pl.Int64,
            "flag": pl.Boolean,
            "names": pl.List(pl.String),
            "day": pl.String,
            "instant": pl.String,
            "ratio": pl.Float64,
        }
    )
    assert engine.evidence_dtype(dataclasses.replace(rule, facts="no such table")) is None
    assert engine.evidence_dtype(dataclasses.replace(rule, evidence=("nothing",))) is None
