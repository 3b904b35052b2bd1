"""Rule files: one YAML file per handbook area, loaded safely and checked at load.

A rule file declares its parameters (type, default, range, bilingual doc) and its rules (id,
title, handbook clauses, severity, fact table, condition, evidence, sources, messages), read
into the model of :mod:`sales_policy.rulesets`.  Every problem is a ``RuleFileError`` with
the file and line.

The JSON Schema of a rule file is published by :mod:`sales_policy.ruleschema`.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .errors import ConditionError, RuleFileError, kind_of, suggest
from .expr import compile_condition
from .exprplaces import Places
from .facts.schema import FACT_TABLES, FactTable
from .handbook import CLAUSES
from .ruleparams import Implied, implied_places, read_params
from .rulereader import RuleFileReader
from .rulesets import (
    GROUP_NAME,
    RULE_ID,
    RULESET_NAME,
    SEVERITIES,
    Param,
    Rule,
    RuleSet,
    Text,
)
from .scorecard import read_scorecard
from .yamlfile import LocatedDict, LocatedList, read_yaml_file

_FILE_KEYS = ("ruleset", "title", "facts", "params", "rules", "scoring")
_RULE_KEYS = (
    "id",
    "title",
    "clauses",
    "references",
    "severity",
    "facts",
    "when",
    "evidence",
    "sources",
    "message",
    "pending",
    "exclusive_group",
    "counts",
)


def _check_template(
    reader: RuleFileReader, text: Text, allowed: set[str], line: int, rule_id: str
) -> None:
    for template in (text.zh, text.en):
        try:
            parsed = list(string.Formatter().parse(template))
        except ValueError as exc:
            raise reader.fail(f"rule {rule_id}: message {template!r}: {exc}", line) from None
        for _, field, spec, conversion in parsed:
            if field is None:
                continue
            name, bar, fallback = field.partition("|")
            if spec or conversion:
                raise reader.fail(
                    f"rule {rule_id}: message placeholder {{{field}{'!' if conversion else ''}"
                    f"{conversion or ''}{':' if spec else ''}{spec or ''}}}: no format spec or "
                    f"conversion (':', '!'), only {{name}} or {{name|text shown when null}}",
                    line,
                )
            if name not in allowed or (bar and not fallback):
                raise reader.fail(
                    f"rule {rule_id}: message placeholder {{{field}}} must be a name from "
                    f"evidence or employee_id/date/period, or name|text shown when it is null"
                    f"{suggest(name, sorted(allowed)) if name not in allowed else ''}",
                    line,
                )


def _read_rule(
    reader: RuleFileReader,
    item: Any,
    line: int,
    ruleset: str,
    default_facts: str | None,
    params: dict[str, Param],
    implied: Implied,
) -> Rule:
    spec = reader.mapping(item, "a rule", line)
    reader.keys(spec, _RULE_KEYS, ("id", "title", "severity", "when", "message"), "a rule")
    rule_id = spec["id"]
    if not isinstance(rule_id, str) or not RULE_ID.fullmatch(rule_id):
        raise reader.fail(
            f"rule id {rule_id!r} must look like ATT-LATE (capitals, digits, dashes)",
            spec.line_of("id"),
        )
    facts = spec.get("facts", default_facts)
    if facts is None and "facts" not in spec:
        raise reader.fail(
            f"rule {rule_id} needs the key 'facts', the fact table it judges: the file gives "
            "no default (facts: at its top)",
            spec.line,
        )
    if facts not in FACT_TABLES:
        raise reader.fail(
            f"rule {rule_id}: unknown fact table {facts!r}"
            f"{suggest(str(facts), tuple(FACT_TABLES))}",
            spec.line_of("facts"),
        )
    table: FactTable = FACT_TABLES[facts]
    clauses = reader.names(spec, "clauses", f"rule {rule_id}")
    for clause in clauses:
        if clause not in CLAUSES:
            raise reader.fail(
                f"rule {rule_id}: unknown handbook clause {clause!r} (clauses are 1.1 to 9.3)",
                spec.line_of("clauses"),
            )
    # shown with the rule, as its title is: in the report's language where both are given
    references = reader.texts(spec, "references", f"rule {rule_id}")
    if not clauses and not references:
        raise reader.fail(
            f"rule {rule_id} must cite handbook clauses or other references", spec.line
        )
    severity = spec["severity"]
    if severity not in SEVERITIES:
        raise reader.fail(
            f"rule {rule_id}: severity {severity!r}{suggest(str(severity), SEVERITIES)}",
            spec.line_of("severity"),
        )
    columns = table.types()
    evidence = reader.names(spec, "evidence", f"rule {rule_id}")
    for name in evidence:
        if name not in table.condition_types():
            raise reader.fail(
                f"rule {rule_id}: evidence {name!r} is not a value of fact table "
                f"{facts}{suggest(name, tuple(table.condition_types()))}",
                spec.line_of("evidence"),
            )
    sources = reader.names(spec, "sources", f"rule {rule_id}")
    for name in sources:
        if name not in table.references():
            refs = table.references()
            raise reader.fail(
                f"rule {rule_id}: sources {name!r} is not a reference column of "
                f"{facts}{suggest(name, refs)}",
                spec.line_of("sources"),
            )
    clash = set(params) & set(columns)
    if clash:
        name = sorted(clash)[0]
        owner = params[name].ruleset
        where = "" if owner == ruleset else f" (of rule set {owner}, loaded before this file)"
        raise reader.fail(
            f"parameter {name!r}{where} has the name of a fact column of {facts}, which rule "
            f"{rule_id} judges; rename the parameter",
            spec.line,
        )
    when = _condition(reader, spec, "when", rule_id, table, params, implied)
    pending = (
        _condition(reader, spec, "pending", rule_id, table, params, implied)
        if "pending" in spec
        else None
    )
    group = spec.get("exclusive_group")
    if group is not None and (not isinstance(group, str) or not GROUP_NAME.fullmatch(group)):
        raise reader.fail(
            f"rule {rule_id}: exclusive_group must be a lower-case name",
            spec.line_of("exclusive_group"),
        )
    counts = reader.names(spec, "counts", f"rule {rule_id}")
    if (table.stage == 2) != bool(counts):
        second = ", ".join(t.name for t in FACT_TABLES.values() if t.stage == 2)
        raise reader.fail(
            f"rule {rule_id}: 'counts' (the rule ids whose findings are counted) goes with "
            f"facts built from findings ({second}), and only there",
            spec.line_of("counts") if counts else spec.line,
        )
    for counted in counts:
        if not RULE_ID.fullmatch(counted):
            raise reader.fail(
                f"rule {rule_id}: counts {counted!r} is not a rule id", spec.line_of("counts")
            )
    message = reader.text(spec, "message", f"rule {rule_id}")
    key = {"employee_id", "period" if table.grain == "month" else "date"}
    _check_template(reader, message, set(evidence) | key, spec.line_of("message"), rule_id)
    return Rule(
        rule_id,
        ruleset,
        reader.text(spec, "title", f"rule {rule_id}"),
        clauses,
        references,
        severity,
        facts,
        when,
        evidence,
        sources,
        message,
        reader.path,
        spec.line,
        pending,
        group,
        counts,
    )


def _condition(
    reader: RuleFileReader,
    spec: LocatedDict,
    key: str,
    rule_id: str,
    table: FactTable,
    params: dict[str, Param],
    implied: Implied,
) -> str:
    """A condition text of a rule, compiled once here to check it; errors at file:line:col.
    The decimal places its ``float`` parameters without ``places:`` take from the facts it
    compares them with are added to ``implied`` (``exprplaces``)."""
    text = spec[key]
    if not isinstance(text, str):
        hint = ""
        if isinstance(text, bool | int | float):  # when: true, when: 1
            hint = f" (YAML reads {text!r} as a value, not a condition: write it in quotes)"
        raise reader.fail(
            f"rule {rule_id}: {key} must be a condition text, found {kind_of(text)}{hint}",
            spec.line_of(key),
        )
    try:
        compile_condition(
            text,
            table.condition_types(),
            {p.name: (p.type, p.default) for p in params.values()},
            places=Places(
                {**table.condition_types(), **{p.name: p.type for p in params.values()}},
                frozenset(table.condition_types()),
                {
                    **table.condition_places(),
                    **{p.name: p.places for p in params.values() if p.places is not None},
                },
                implied.open,
                implied.found,
            ),
        )
    except ConditionError as exc:
        # the file's line and column of the offset in the condition's text, past the escapes
        # and folded lines of the YAML scalar; where that cannot be told, the line the value
        # starts at and the column in the condition's text
        place = spec.place(key, exc.offset) if exc.offset is not None else None
        where = "" if place or exc.offset is None else f" (condition column {exc.offset + 1})"
        raise RuleFileError(
            f"rule {rule_id}: {key}: {exc.message}{where}"
            if key != "when"
            else f"rule {rule_id}: {exc.message}{where}",
            path=reader.path,
            line=place[0] if place else spec.value_line(key),
            column=place[1] if place else None,
        ) from None
    return text


def load_ruleset(path: Path, *, outer_params: Mapping[str, Param] | None = None) -> RuleSet:
    """Load and check one rule file.  ``outer_params`` are parameters of rule sets loaded
    before it, which its conditions may also read."""
    reader = RuleFileReader(str(path))
    data = reader.mapping(read_yaml_file(path, error=RuleFileError), "a rule file", 1)
    reader.keys(data, _FILE_KEYS, ("ruleset", "title", "rules"), "a rule file")
    name = data["ruleset"]
    if not isinstance(name, str) or not RULESET_NAME.fullmatch(name):
        raise reader.fail(
            f"ruleset {name!r} must be a lower-case name like attendance", data.line_of("ruleset")
        )
    params = read_params(reader, data, name, outer_params)
    visible = {**(outer_params or {}), **params}
    default_facts = data.get("facts")
    if default_facts is not None and default_facts not in FACT_TABLES:
        raise reader.fail(
            f"unknown fact table {default_facts!r}"
            f"{suggest(str(default_facts), tuple(FACT_TABLES))}",
            data.line_of("facts"),
        )
    rules_data = data["rules"]
    if not isinstance(rules_data, LocatedList):
        raise reader.fail("rules must be a list", data.line_of("rules"))
    implied = Implied(
        frozenset(n for n, p in params.items() if p.type == "float" and p.places is None)
    )
    rules = [
        _read_rule(reader, item, rules_data.line_of(i), name, default_facts, visible, implied)
        for i, item in enumerate(rules_data)
    ]
    params = implied_places(reader, data, params, implied)
    seen: dict[str, int] = {}
    for rule in rules:
        if rule.rule_id in seen:
            raise reader.fail(
                f"rule id {rule.rule_id} is used twice (first at line {seen[rule.rule_id]})",
                rule.line,
            )
        seen[rule.rule_id] = rule.line
    scoring = (
        read_scorecard(
            data["scoring"],
            path=str(path),
            line=data.line_of("scoring"),
            params={p.name: (p.type, p.default) for p in params.values()},
        )
        if "scoring" in data
        else None
    )
    return RuleSet(
        name, reader.text(data, "title", "the rule file"), params, tuple(rules), str(path), scoring
    )
