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

Every rule is a lazy query (filter, then the finding columns), and the queries of a run are
collected together (``pl.collect_all``): a query reads only the columns its rule names and
polars runs them side by side, where one eager filter per rule would copy every column of the
fact table and pay polars' fixed cost per step.  A rule with instants in its evidence needs
the timezones of its hits to build their local times, so its query keeps the evidence as
values, and a second round of queries encodes them once the hits, and so their zones, are
known.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import polars as pl

from .facts.schema import FACT_TABLES
from .findings import FINDING_SCHEMA
from .rulesets import SEVERITIES, CompiledRule, Rule
from .zones import in_zones

#: polars' default engine for lazy queries is the streaming one, slower for these small plans
_ENGINE: Final = "in-memory"
_ZONE = "timezone"


@dataclass(frozen=True)
class Evaluation:
    """Findings (rows of FINDING_SCHEMA) and, per rule, how many windows are still open."""

    findings: pl.DataFrame
    pending: dict[str, int]


def _local_text(value: pl.Expr, zones: list[str]) -> pl.Expr:
    """Instants as local ISO 8601 text with the offset of each row's zone (``timezone``),
    to the second, and with the fraction of a second where there is one: 09:00:00.5 is a
    minute late, and shown so, not as 09:00:00.

    With one zone, every row is in it (the zones are those of the rows), so that zone's
    conversion needs no per-row choice."""

    def in_zone(zone: str) -> pl.Expr:
        return value.dt.convert_time_zone(zone).dt.strftime("%Y-%m-%dT%H:%M:%S%.f%:z")

    if len(zones) == 1 and zones[0] is not None:
        return in_zone(zones[0]).cast(pl.String)
    return in_zones(_ZONE, zones, in_zone, pl.String())


def _is_instant(rule: Rule, name: str) -> bool:
    return FACT_TABLES[rule.facts].types()[name] == "datetime"


def _needs_zones(rule: Rule) -> bool:
    """Whether the rule's evidence holds instants, written in each employee's local time."""
    return any(_is_instant(rule, name) for name in rule.evidence)


def _evidence(rule: Rule, zones: list[str], values: pl.Expr | None = None) -> pl.Expr:
    """The evidence as JSON text, from the fact columns or, when ``values`` is given, from the
    fields of that struct of them."""
    if not rule.evidence:
        return pl.lit("{}")

    def value(name: str) -> pl.Expr:
        column = pl.col(name) if values is None else values.struct.field(name)
        if not _is_instant(rule, name):
            return column
        return _local_text(column, zones).alias(name)

    return pl.struct(*[value(n) for n in rule.evidence]).struct.json_encode()


def evidence_dtype(rule: Rule) -> pl.Struct | None:
    """The struct that the evidence JSON of the rule's findings reads back as
    (``str.json_decode``): dates and instants are text, other values keep their type.  None
    when the rule's fact table or one of its evidence columns is unknown.

    Reports decode evidence with it rather than inferring a type from the text."""
    table = FACT_TABLES.get(rule.facts)
    if table is None:
        return None
    types = table.types()
    dtypes = table.dtypes()
    if not all(name in types for name in rule.evidence):
        return None
    as_text = ("date", "datetime")
    return pl.Struct({n: pl.String() if types[n] in as_text else dtypes[n] for n in rule.evidence})


def _sources(rule: Rule) -> pl.Expr:
    """The references of the rule's ``sources`` columns as one sorted list without repeats
    or nulls.

    One or two single references make that list directly.  Otherwise the references are
    concatenated, then sorted and made unique inside ``list.eval``: polars' ``list.unique``
    and ``list.sort`` give the same lists many times slower."""
    types = FACT_TABLES[rule.facts].types()
    empty = pl.lit([], pl.List(pl.Int64))
    if not rule.sources:
        return empty
    if all(types[name] == "ref" for name in rule.sources) and len(rule.sources) <= 2:
        low, high = pl.min_horizontal(rule.sources), pl.max_horizontal(rule.sources)
        listed = (
            pl.when(low.is_null())
            .then(empty)
            .when(high == low)
            .then(pl.concat_list(low))
            .otherwise(pl.concat_list(low, high))
        )
        return listed.cast(pl.List(pl.Int64))
    # A null reference list is no references; concat_list would make the whole list null.
    columns = [
        pl.col(name).fill_null(empty) if types[name] == "ref_list" else pl.col(name)
        for name in rule.sources
    ]
    unique = pl.element().drop_nulls().unique().sort()
    return pl.concat_list(columns).list.eval(unique).cast(pl.List(pl.Int64))


def _finding_columns(rule: Rule, evidence: pl.Expr, sources: pl.Expr) -> list[pl.Expr]:
    """The columns of FINDING_SCHEMA, from a fact table's hits."""
    month = FACT_TABLES[rule.facts].grain == "month"
    return [
        pl.lit(rule.rule_id).alias("rule_id"),
        pl.lit(rule.ruleset).alias("ruleset"),
        pl.lit(rule.severity).alias("severity"),
        pl.lit(list(rule.clauses), pl.List(pl.String)).alias("clauses"),
        pl.col("employee_id"),
        (pl.lit(None, pl.Date) if month else pl.col("date")).alias("date"),
        (pl.col("period") if month else pl.lit(None, pl.String)).alias("period"),
        evidence.alias("evidence"),
        sources.alias("sources"),
    ]


def as_findings(compiled: CompiledRule, hits: pl.DataFrame) -> pl.DataFrame:
    """The findings of one rule from the fact rows it matched (the live engine's way in)."""
    rule = compiled.rule
    zones = hits.get_column(_ZONE).unique().to_list()
    return hits.select(_finding_columns(rule, _evidence(rule, zones), _sources(rule)))


@dataclass(frozen=True)
class _Query:
    """A rule's findings as a lazy query.  When ``encoded`` is false its evidence column is
    still a struct of the evidence values, with a ``timezone`` column beside the findings'."""

    compiled: CompiledRule
    frame: pl.LazyFrame
    encoded: bool


def _query(compiled: CompiledRule, table: pl.LazyFrame, hit: pl.Expr) -> _Query:
    rule = compiled.rule
    if not _needs_zones(rule):
        columns = _finding_columns(rule, _evidence(rule, []), _sources(rule))
        return _Query(compiled, table.filter(hit).select(columns), encoded=True)
    values = pl.struct(*rule.evidence)
    columns = [*_finding_columns(rule, values, _sources(rule)), pl.col(_ZONE)]
    return _Query(compiled, table.filter(hit).select(columns), encoded=False)


def _encoded(compiled: CompiledRule, found: pl.DataFrame) -> pl.LazyFrame:
    """The findings of a query that kept its evidence as values, with the evidence encoded
    in the zones of these very rows."""
    rule = compiled.rule
    zones = found.get_column(_ZONE).unique().to_list()
    evidence = _evidence(rule, zones, pl.col("evidence")).alias("evidence")
    return found.lazy().select(
        *[evidence if n == "evidence" else pl.col(n) for n in FINDING_SCHEMA]
    )


def ranked_group(group: Sequence[CompiledRule]) -> list[CompiledRule]:
    """The rules of an exclusive group in the order they are offered a row: the most severe
    first, then in file order."""
    ranked = sorted(range(len(group)), key=lambda i: (-SEVERITIES.index(group[i].rule.severity), i))
    return [group[i] for i in ranked]


def _queries(rules: Sequence[CompiledRule], tables: Mapping[str, pl.LazyFrame]) -> list[_Query]:
    """One query per rule whose table is given: the rules outside exclusive groups in order,
    then each group's rules from the most severe (ties: file order).

    In a group a rule takes the rows it matches that no more severe rule of the group
    matched (a null condition matches nothing)."""
    queries: list[_Query] = []
    groups: dict[tuple[str, str], list[CompiledRule]] = {}
    for compiled in rules:
        rule = compiled.rule
        table = tables.get(rule.facts)
        if table is None:
            continue
        if rule.exclusive_group:
            groups.setdefault((rule.exclusive_group, rule.facts), []).append(compiled)
            continue
        queries.append(_query(compiled, table, compiled.condition.expr))
    for (_, fact_name), group in groups.items():
        taken: list[pl.Expr] = []
        for compiled in ranked_group(group):
            matched = compiled.condition.expr
            hit = matched & ~pl.any_horizontal(taken) if taken else matched
            queries.append(_query(compiled, tables[fact_name], hit))
            taken.append(matched.fill_null(False))
    return queries


def _finding_month_query(
    findings: pl.LazyFrame, rule_ids: Sequence[str], zones: pl.LazyFrame, last: dt.date | None
) -> pl.LazyFrame:
    closed = pl.lit(True) if last is None else pl.col("date").first().dt.month_end() <= last
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
            closed.alias("month_closed"),
        )
        .join(zones, on="employee_id", how="left")
    )


def finding_month(
    findings: pl.DataFrame, rule_ids: Sequence[str], zones: pl.DataFrame, last: dt.date | None
) -> pl.DataFrame:
    """The ``finding_month`` facts of one rule: its counted findings by employee and month,
    each month closed when it ends on or before ``last`` (None: every month)."""
    query = _finding_month_query(findings.lazy(), rule_ids, zones.lazy(), last)
    return query.collect(engine=_ENGINE)


def _collected(
    queries: Sequence[_Query], others: Sequence[pl.LazyFrame] = ()
) -> tuple[list[tuple[_Query, pl.DataFrame]], list[pl.DataFrame]]:
    """Collect the queries and ``others`` together: the queries' non-empty results, in order,
    and the other frames."""
    frames = pl.collect_all([*(q.frame for q in queries), *others], engine=_ENGINE)
    found = [(q, f) for q, f in zip(queries, frames[: len(queries)], strict=True) if f.height]
    return found, frames[len(queries) :]


def _finished(
    found: Sequence[tuple[_Query, pl.DataFrame]], others: Sequence[pl.LazyFrame] = ()
) -> tuple[list[pl.DataFrame], list[pl.DataFrame]]:
    """The findings of collected queries with all evidence encoded (those that kept values
    are encoded now, together with ``others``), and the other frames."""
    unencoded = [(i, _encoded(q.compiled, f)) for i, (q, f) in enumerate(found) if not q.encoded]
    if not unencoded and not others:
        return [f for _, f in found], []
    frames = pl.collect_all([*(e for _, e in unencoded), *others], engine=_ENGINE)
    findings = [f for _, f in found]
    for (index, _), frame in zip(unencoded, frames, strict=False):
        findings[index] = frame
    return findings, frames[len(unencoded) :]


def evaluate(
    rules: Sequence[CompiledRule],
    facts: Mapping[str, pl.DataFrame],
    zones: pl.DataFrame | None = None,
    last: dt.date | None = None,
) -> Evaluation:
    """Findings of every rule, both stages, sorted by employee, date/period, rule.

    ``zones`` (employee_id, timezone) places second-stage facts in the employee's timezone;
    ``last``, the period's last date, says which of their months had closed (None: all)."""
    first = [c for c in rules if FACT_TABLES[c.rule.facts].stage == 1]
    second = [c for c in rules if FACT_TABLES[c.rule.facts].stage == 2]
    tables = {name: table.lazy() for name, table in facts.items() if not table.is_empty()}
    counting = [
        (compiled.rule.rule_id, facts[compiled.rule.facts].lazy().filter(compiled.pending.expr))
        for compiled in rules
        if compiled.pending is not None and compiled.rule.facts in facts
    ]
    found, counts = _collected(
        _queries(first, tables), [rows.select(pl.len()) for _, rows in counting]
    )
    pending = {
        rule_id: int(count.item()) for (rule_id, _), count in zip(counting, counts, strict=True)
    }
    later: list[_Query] = []
    later_counting: list[tuple[str, pl.LazyFrame]] = []
    if second:
        known = (
            zones
            if zones is not None
            else pl.DataFrame(schema={"employee_id": pl.String, _ZONE: pl.String})
        ).lazy()
        for compiled in second:
            # What a rule counts is in the findings of the rules it names, whose rule,
            # employee, date and references are known before their evidence is encoded.
            counted = [
                frame.lazy().select("rule_id", "employee_id", "date", "sources")
                for query, frame in found
                if query.compiled.rule.rule_id in compiled.rule.counts
            ]
            earlier = pl.concat(counted) if counted else pl.LazyFrame(schema=FINDING_SCHEMA)
            table = _finding_month_query(earlier, compiled.rule.counts, known, last)
            later.extend(_queries([compiled], {compiled.rule.facts: table}))
            if compiled.pending is not None:
                rows = table.filter(compiled.pending.expr).select(pl.len())
                later_counting.append((compiled.rule.rule_id, rows))
    parts, later_frames = _finished(
        found, [*(q.frame for q in later), *(rows for _, rows in later_counting)]
    )
    later_frames, later_counts = later_frames[: len(later)], later_frames[len(later) :]
    for (rule_id, _), count in zip(later_counting, later_counts, strict=True):
        pending[rule_id] = int(count.item())
    later_found = [(q, f) for q, f in zip(later, later_frames, strict=True) if f.height]
    parts.extend(_finished(later_found)[0])
    if not parts:
        return Evaluation(pl.DataFrame(schema=FINDING_SCHEMA), pending)
    findings = pl.concat(parts, how="vertical").sort(
        "employee_id", "date", "period", "rule_id", "evidence", nulls_last=True
    )
    return Evaluation(findings, pending)
