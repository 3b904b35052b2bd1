"""The batch engine: compiled rule conditions over fact tables, giving findings as rows.

Each rule's condition was compiled once to a polars expression when the policy was built; here
it filters its fact table, and the rows that pass become findings.  Evaluation has two stages:
rules over facts derived from records first, then rules over facts derived from those findings
(``finding_month``: repeated lateness, repeated absence).  Rules of one ``exclusive_group``
judge the same fact rows, and each row yields only its most severe finding (ties: file order).
A rule's ``pending`` condition counts fact rows whose window has not closed by the end of the
period: they are reported as pending, never as findings.

Evidence is encoded as JSON (instants in the employee's local time with its offset); sources
stay integer references until a report renders them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import polars as pl

from .facts.schema import FACT_TABLES
from .findings import FINDING_SCHEMA
from .rulesets import SEVERITIES, CompiledRule
from .zones import in_zones

_ROW = "_fact_row"


@dataclass(frozen=True)
class Evaluation:
    """Findings (rows of FINDING_SCHEMA) and, per rule, how many windows are still open."""

    findings: pl.DataFrame
    pending: dict[str, int]


def _evidence_value(table: str, name: str, zones: list[str]) -> pl.Expr:
    """An evidence column; instants as local ISO 8601 text with the employee's offset."""
    if FACT_TABLES[table].types()[name] != "datetime":
        return pl.col(name)

    def local_text(zone: str) -> pl.Expr:
        return pl.col(name).dt.convert_time_zone(zone).dt.strftime("%Y-%m-%dT%H:%M:%S%:z")

    return in_zones("timezone", zones, local_text, pl.String()).alias(name)


def _as_findings(compiled: CompiledRule, hits: pl.DataFrame) -> pl.DataFrame:
    rule = compiled.rule
    zones = hits.get_column("timezone").unique().to_list()
    grain = FACT_TABLES[rule.facts].grain
    evidence = (
        pl.struct(
            *[_evidence_value(rule.facts, n, zones) for n in rule.evidence]
        ).struct.json_encode()
        if rule.evidence
        else pl.lit("{}")
    )
    # A null reference list is no references; concat_list would make the whole list null.
    types = FACT_TABLES[rule.facts].types()
    columns = [
        pl.col(name).fill_null(pl.lit([], pl.List(pl.Int64)))
        if types[name] == "ref_list"
        else pl.col(name)
        for name in rule.sources
    ]
    sources = (
        pl.concat_list(columns).list.drop_nulls().list.unique().list.sort()
        if columns
        else pl.lit([], pl.List(pl.Int64))
    )
    return hits.select(
        pl.lit(rule.rule_id).alias("rule_id"),
        pl.lit(rule.ruleset).alias("ruleset"),
        pl.lit(rule.severity).alias("severity"),
        pl.lit(list(rule.clauses), pl.List(pl.String)).alias("clauses"),
        "employee_id",
        (pl.lit(None, pl.Date) if grain == "month" else pl.col("date")).alias("date"),
        (pl.col("period") if grain == "month" else pl.lit(None, pl.String)).alias("period"),
        evidence.alias("evidence"),
        sources.cast(pl.List(pl.Int64)).alias("sources"),
    )


def _first_hits(group: Sequence[CompiledRule], table: pl.DataFrame) -> list[pl.DataFrame]:
    """Findings of an exclusive group: per fact row, the most severe rule that matches."""
    numbered = table.with_row_index(_ROW)
    ranked = sorted(range(len(group)), key=lambda i: (-SEVERITIES.index(group[i].rule.severity), i))
    taken = pl.Series(_ROW, [], dtype=pl.UInt32)
    parts = []
    for index in ranked:
        compiled = group[index]
        hits = numbered.filter(compiled.condition.expr & ~pl.col(_ROW).is_in(taken.implode()))
        if hits.is_empty():
            continue
        taken = pl.concat([taken, hits.get_column(_ROW)])
        parts.append(_as_findings(compiled, hits))
    return parts


def _evaluate(
    rules: Sequence[CompiledRule], facts: Mapping[str, pl.DataFrame]
) -> list[pl.DataFrame]:
    parts: list[pl.DataFrame] = []
    groups: dict[tuple[str, str], list[CompiledRule]] = {}
    for compiled in rules:
        rule = compiled.rule
        table = facts.get(rule.facts)
        if table is None or table.is_empty():
            continue
        if rule.exclusive_group:
            groups.setdefault((rule.exclusive_group, rule.facts), []).append(compiled)
            continue
        hits = table.filter(compiled.condition.expr)
        if not hits.is_empty():
            parts.append(_as_findings(compiled, hits))
    for (_, fact_name), group in groups.items():
        parts.extend(_first_hits(group, facts[fact_name]))
    return parts


def finding_month(
    findings: pl.DataFrame, rule_ids: Sequence[str], zones: pl.DataFrame
) -> pl.DataFrame:
    """The ``finding_month`` facts of one rule: its counted findings by employee and month."""
    counted = findings.filter(
        pl.col("rule_id").is_in(list(rule_ids)) & pl.col("date").is_not_null()
    )
    return (
        counted.group_by("employee_id", pl.col("date").dt.strftime("%Y-%m").alias("period"))
        .agg(
            pl.len().cast(pl.Int64).alias("finding_count"),
            pl.col("date").n_unique().cast(pl.Int64).alias("finding_days"),
            pl.col("date").unique().sort().dt.strftime("%Y-%m-%d").alias("finding_dates"),
            pl.col("sources").explode().drop_nulls().unique().sort().alias("finding_refs"),
        )
        .join(zones, on="employee_id", how="left")
    )


def evaluate(
    rules: Sequence[CompiledRule],
    facts: Mapping[str, pl.DataFrame],
    zones: pl.DataFrame | None = None,
) -> Evaluation:
    """Findings of every rule, both stages, sorted by employee, date/period, rule.

    ``zones`` (employee_id, timezone) places second-stage facts in the employee's timezone."""
    first = [c for c in rules if FACT_TABLES[c.rule.facts].stage == 1]
    second = [c for c in rules if FACT_TABLES[c.rule.facts].stage == 2]
    parts = _evaluate(first, facts)
    if second:
        earlier = pl.concat(parts) if parts else pl.DataFrame(schema=FINDING_SCHEMA)
        known = (
            zones
            if zones is not None
            else pl.DataFrame(schema={"employee_id": pl.String, "timezone": pl.String})
        )
        for compiled in second:
            table = finding_month(earlier, compiled.rule.counts, known)
            parts.extend(_evaluate([compiled], {compiled.rule.facts: table}))
    pending = {}
    for compiled in rules:
        pending_table = facts.get(compiled.rule.facts)
        if compiled.pending is not None and pending_table is not None:
            pending[compiled.rule.rule_id] = pending_table.filter(compiled.pending.expr).height
    if not parts:
        return Evaluation(pl.DataFrame(schema=FINDING_SCHEMA), pending)
    findings = pl.concat(parts, how="vertical").sort(
        "employee_id", "date", "period", "rule_id", "evidence", nulls_last=True
    )
    return Evaluation(findings, pending)
