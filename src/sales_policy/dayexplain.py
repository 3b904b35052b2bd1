"""Why a day of one employee was judged as it was: ``sales-policy why``.

An analyst asked why a day was found a violation, or why it was not, gets what the check
made of it: the findings of the day (and of its month), every fact row of the day and of its
month, each with its values as the rules read them, and each rule in force over those rows
with its condition taken apart at its top-level ``and``: every part's value on every row.
A part that is false is where the rule stopped; a null one read a value the row lacks.

Values are shown as reports show them: instants in the employee's local time, references to
input rows as ``file:line``.  A rule that counts other rules' findings (``finding_month``) is
shown over its month's count of them.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

import polars as pl

from .daytext import (
    WEEKDAYS_ZH,
    Judged,
    count,
    joined,
    judged_lines,
    row_lines,
    say,
    severity,
)
from .engine import finding_month, ranked_group
from .errors import InvalidArgument, suggest
from .expr import Condition, compile_condition
from .facts.schema import FACT_TABLES, FactTable
from .findings import CheckResult
from .policy import Policy
from .rulesets import CompiledRule
from .termtext import one_line, terminal_text
from .timetext import month_text


def explain_day(
    policy: Policy, result: CheckResult, employee_id: str, day: dt.date, *, lang: str = "en"
) -> str:
    """What the check of ``result`` (made with ``policy``) made of ``employee_id``'s
    ``day``, as lines of text in ``lang`` (``en`` or ``zh``; the names of facts, rules and
    parameters stay as written); see the module docstring."""
    if not isinstance(policy, Policy) or not isinstance(result, CheckResult):
        raise InvalidArgument("explain_day takes a policy and the result of its check")
    if not isinstance(employee_id, str):
        raise InvalidArgument(f"an employee id is text, not {type(employee_id).__name__}")
    if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
        raise InvalidArgument(f"the day is a local date (datetime.date), not {day!r}")
    if lang not in ("zh", "en"):
        raise InvalidArgument(f"lang must be 'zh' or 'en', not {lang!r}")
    if result.period is None or not result.period[0] <= day <= result.period[1]:
        span = "no period" if result.period is None else "{} to {}".format(*result.period)
        raise InvalidArgument(f"{day} is outside the period judged ({span})")
    known = _employees(result)
    if employee_id not in known:
        raise InvalidArgument(
            f"no record names employee {employee_id!r}{suggest(employee_id, sorted(known))}"
        )
    month = month_text(day)
    findings = result.table.filter(
        (pl.col("employee_id") == employee_id)
        & ((pl.col("date") == day) | (pl.col("date").is_null() & (pl.col("period") == month)))
    )
    of_month = findings.get_column("date").null_count()
    zone = _zone(result, employee_id)
    # the id as the terminal's tables show it: a line feed in it does not end the line
    where = (f"（{zone}）" if lang == "zh" else f" ({zone})") if zone else ""
    who = f"{one_line(employee_id)}{where}"
    lines = [
        say(
            lang,
            "{who}, {day} ({weekday}): {day_count} of the day, {month_count} of the month "
            "{month} as a whole",
            who=who,
            day=day,
            weekday=WEEKDAYS_ZH[day.weekday()] if lang == "zh" else f"{day:%A}",
            day_count=count(findings.height - of_month, "finding"),
            day_n=findings.height - of_month,
            month_count=of_month,
            month=month,
        )
    ]
    for finding in result.findings_of(findings):
        message = finding.message.zh if lang == "zh" else finding.message.en
        lines.append(
            f"  {finding.rule_id} [{severity(finding.severity, lang)}]  {one_line(message)}"
        )
    for title, schema, rows, rules in _sections(policy, result, employee_id, day, month, lang):
        where = month if schema.grain == "month" else str(day)
        rows_said = count(rows.height, "row")
        lines += [
            "",
            say(
                lang,
                "{title}, {where}: {rows}",
                title=title,
                where=where,
                rows=rows_said,
                n=rows.height,
            ),
        ]
        for name, shaped in schema.params:  # what the rules' parameters do before them
            if name in policy.params:
                lines.append(
                    say(
                        lang,
                        "  (derived with {name} = {value}: {columns})",
                        name=name,
                        value=repr(policy.params[name]),
                        columns=joined(lang, shaped),
                    )
                )
        lines += row_lines(schema, rows, result.sources, lang)
        if rows.is_empty():
            ids = joined(lang, [c.rule.rule_id for c in rules])
            if schema.as_of_end and result.period and day != result.period[1]:
                template = "  no row: its rows are dated the period's last day, {last} ({ids})"
                lines.append(say(lang, template, last=result.period[1], ids=ids))
            else:
                lines.append(say(lang, "  no row: its rules judge nothing here ({ids})", ids=ids))
            continue
        for compiled in rules:
            params = policy.typed_params(compiled.rule.ruleset)
            judged = _judge(compiled, rows, params, findings)
            lines += judged_lines(judged, _ranked_group(rules, compiled), lang)
    disabled = sorted(r for r in policy.disabled if r in result.rules)
    if disabled:
        lines += ["", say(lang, "disabled by the policy: {ids}", ids=joined(lang, disabled))]
    if result.notes:  # what the check could not judge, and why
        said = [note.zh if lang == "zh" else str(note) for note in result.notes]
        lines += ["", say(lang, "notes of the check:"), *(f"  {one_line(note)}" for note in said)]
    return terminal_text("\n".join(lines)) + "\n"


def _zone(result: CheckResult, employee_id: str) -> str | None:
    """The employee's timezone, as the facts hold it (None: in no fact table)."""
    for table in result.facts.values():
        zones = table.filter(pl.col("employee_id") == employee_id).get_column("timezone")
        if zones.len():
            return str(zones[0])
    return None


def _employees(result: CheckResult) -> set[str]:
    ids: set[str] = set(result.employees.get_column("employee_id").to_list())
    for table in result.facts.values():
        ids.update(table.get_column("employee_id").unique().to_list())
    return ids


def _sections(
    policy: Policy, result: CheckResult, employee_id: str, day: dt.date, month: str, lang: str
) -> list[tuple[str, FactTable, pl.DataFrame, list[CompiledRule]]]:
    """Each fact table derived that a rule in force reads (in schema order): its title, its
    schema, the rows of the employee's day (day and event grain) or month, and its rules.
    A table of findings counted (``finding_month``) is made for each rule counting them,
    of the findings that rule counts."""
    in_force = [c for c in policy.compiled if c.rule.rule_id not in policy.disabled]
    zones = pl.concat(
        [t.select("employee_id", "timezone") for t in result.facts.values() if t.height]
        or [pl.DataFrame(schema={"employee_id": pl.String, "timezone": pl.String})]
    ).unique("employee_id")
    last = result.period[1] if result.period else None

    def mine(table: pl.DataFrame, schema: FactTable) -> pl.DataFrame:
        table = table.filter(pl.col("employee_id") == employee_id)
        if schema.grain == "month":
            return table.filter(pl.col("period") == month)
        return table.filter(pl.col("date") == day)

    sections = []
    for name, schema in FACT_TABLES.items():
        rules = [c for c in in_force if c.rule.facts == name]
        if not rules:
            continue
        if schema.stage == 2:
            for compiled in rules:
                counts = compiled.rule.counts
                table = finding_month(result.table, counts, zones, last)
                title = say(
                    lang,
                    "{table} of {rule} (counting {counted})",
                    table=name,
                    rule=compiled.rule.rule_id,
                    counted=joined(lang, counts),
                )
                sections.append((title, schema, mine(table, schema), [compiled]))
        elif name in result.facts:
            sections.append((name, schema, mine(result.facts[name], schema), rules))
    return sections


def conjuncts(text: str) -> list[str]:
    """A condition's parts at its top-level ``and`` (the whole, when it has none)."""
    try:
        body = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:  # compiled already: cannot happen, but the whole is a part
        return [text]
    if isinstance(body, ast.BoolOp) and isinstance(body.op, ast.And):
        parts = [ast.get_source_segment(text.strip(), value) for value in body.values]
        if all(parts):
            return [
                # an ``or`` inside an ``and`` was in parentheses, which its segment lacks
                f"({_one_line(str(part))})"
                if isinstance(value, ast.BoolOp | ast.IfExp)
                else _one_line(str(part))
                for part, value in zip(parts, body.values, strict=True)
            ]
    return [_one_line(text)]


def _one_line(text: str) -> str:
    """A condition's text on one line: its lines stripped and joined by a space.  Blanks
    inside a line are kept, as a string literal holds them (``"a  b"`` is not ``"a b"``)."""
    return " ".join(line.strip() for line in re.split(r"\r\n|\r|\n", text.strip()))


def _judge(
    compiled: CompiledRule,
    rows: pl.DataFrame,
    params: dict[str, tuple[Any, object]],
    findings: pl.DataFrame,
) -> Judged:
    columns = FACT_TABLES[compiled.rule.facts].condition_types()
    conditions: list[tuple[str, Condition]] = [
        (part, compile_condition(part, columns, params))
        for part in conjuncts(compiled.condition.text)
    ]
    pending = compiled.pending.expr if compiled.pending else pl.lit(None, pl.Boolean)
    values = rows.select(
        compiled.condition.expr.alias("_whole"),
        pending.alias("_pending"),
        *(
            # null, not false, where a part reads a value the row lacks
            condition.three_valued.alias(f"_part{i}")
            for i, (_, condition) in enumerate(conditions)
        ),
    )
    parts = [
        (_with_params(part, condition, params), values.get_column(f"_part{i}").to_list())
        for i, (part, condition) in enumerate(conditions)
    ]
    found = findings.filter(pl.col("rule_id") == compiled.rule.rule_id).height
    return Judged(
        compiled,
        parts,
        values.get_column("_whole").to_list(),
        found,
        values.get_column("_pending").to_list(),
    )


def _with_params(part: str, condition: Condition, params: dict[str, tuple[Any, object]]) -> str:
    if not condition.params:
        return part
    given = ", ".join(f"{name} = {params[name][1]!r}" for name in sorted(condition.params))
    return f"{part}  [{given}]"


def _ranked_group(rules: Sequence[CompiledRule], compiled: CompiledRule) -> list[str]:
    """The rules of ``compiled``'s exclusive group (of ``rules``, those of its fact table) in
    the order the engine offers them a row."""
    group = compiled.rule.exclusive_group
    return [
        c.rule.rule_id
        for c in ranked_group([c for c in rules if group and c.rule.exclusive_group == group])
    ]
