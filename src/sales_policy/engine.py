"""The batch engine: compiled rule conditions over fact tables, giving findings as rows.

Each rule's condition was compiled once to a polars expression when the policy was built; here
it filters its fact table, and the rows that pass become findings.  Evidence is encoded as JSON
(instants in the employee's local time with its offset), sources stay integer references until
a report renders them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import polars as pl

from .facts.schema import FACT_TABLES
from .findings import FINDING_SCHEMA
from .rulesets import CompiledRule
from .zones import in_zones


def _evidence_value(table: str, name: str, zones: list[str]) -> pl.Expr:
    """An evidence column; instants as local ISO 8601 text with the employee's offset."""
    if FACT_TABLES[table].types()[name] != "datetime":
        return pl.col(name)

    def local_text(zone: str) -> pl.Expr:
        return pl.col(name).dt.convert_time_zone(zone).dt.strftime("%Y-%m-%dT%H:%M:%S%:z")

    return in_zones("timezone", zones, local_text, pl.String()).alias(name)


def evaluate(rules: Iterable[CompiledRule], facts: Mapping[str, pl.DataFrame]) -> pl.DataFrame:
    """Findings of every rule over the fact tables, sorted by employee, date/period, rule."""
    parts = []
    for compiled in rules:
        rule = compiled.rule
        table = facts.get(rule.facts)
        if table is None or table.is_empty():
            continue
        hits = table.filter(compiled.condition.expr)
        if hits.is_empty():
            continue
        zones = hits.get_column("timezone").unique().to_list()
        grain = FACT_TABLES[rule.facts].grain
        evidence = (
            pl.struct(
                *[_evidence_value(rule.facts, n, zones) for n in rule.evidence]
            ).struct.json_encode()
            if rule.evidence
            else pl.lit("{}")
        )
        sources = (
            pl.concat_list(*rule.sources).list.drop_nulls().list.unique().list.sort()
            if rule.sources
            else pl.lit([], pl.List(pl.Int64))
        )
        parts.append(
            hits.select(
                pl.lit(rule.rule_id).alias("rule_id"),
                pl.lit(rule.ruleset).alias("ruleset"),
                pl.lit(rule.severity).alias("severity"),
                pl.lit(list(rule.clauses), pl.List(pl.String)).alias("clauses"),
                "employee_id",
                (pl.lit(None, pl.Date) if grain == "month" else pl.col("date")).alias("date"),
                (pl.col("period") if grain == "month" else pl.lit(None, pl.String)).alias("period"),
                evidence.alias("evidence"),
                sources.alias("sources"),
            )
        )
    if not parts:
        return pl.DataFrame(schema=FINDING_SCHEMA)
    return pl.concat(parts, how="vertical").sort(
        "employee_id", "date", "period", "rule_id", "evidence", nulls_last=True
    )
