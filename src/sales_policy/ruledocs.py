"""Rule reference pages: ``python -m sales_policy.ruledocs docs/rules`` writes
``docs/rules/<ID>.md`` per rule (clauses with their text, facts, condition, parameters,
evidence, messages, and the examples of ``rules/samples/<ruleset>.yaml``) and ``index.md``.
The output depends only on the policy and the sample files (no timestamps), so
``tests/test_ruledocs.py`` can tell when the pages are stale.  Nothing imports this module.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from .facts.chinese import VALUE_NAMES_ZH
from .facts.schema import FACT_TABLES, FactColumn
from .handbook import CLAUSES
from .policy import Policy, default_rule_dir, load_policy
from .rulesets import RULE_ID, Rule, Text
from .samples import sample_file_of

Sample = Mapping[str, Any]
REGENERATE = "python -m sales_policy.ruledocs docs/rules"
_KINDS = ("violating", "compliant")
_NOTICE = f"<!-- Generated from the rule files by `{REGENERATE}`; do not edit by hand. -->"
_PENDING = (
    "Rows where this holds are not judged yet (their window had not closed by the end of the "
    "period); a check counts them in `result.pending`."
)
_EXCLUSIVE = (
    "Of the rules in group `{}`, a fact row yields only the finding of the most severe rule "
    "whose condition holds."
)
#: the documentation page of the fact tables that are not documented with their rule set
_FACT_PAGES = {
    **dict.fromkeys(("workday", "leave", "post_gap", "employee_month"), "attendance.md"),
    "finding_month": "rule-files.md",
    **dict.fromkeys(("assessment_month", "assessment_order", "training_due"), "assessment.md"),
}


def _meaning(column: FactColumn) -> str:
    """A fact column's doc, with the Chinese names its coded values show by in messages."""
    names = VALUE_NAMES_ZH.get(column.name)
    if names is None:
        return column.doc
    return f"{column.doc}<br>in Chinese messages: " + ", ".join(
        f"{value} {name}" for value, name in names.items()
    )


def _cell(value: Any) -> str:
    """A value as the text of one Markdown table cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, dt.date):  # datetimes too
        text = value.isoformat()
    elif isinstance(value, Mapping):
        text = "; ".join(f"{key} = {_cell(item)}" for key, item in value.items())
    elif isinstance(value, list | tuple):
        text = json.dumps(list(value), ensure_ascii=False, default=str)
    else:
        text = str(value)
    return text.replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def _rows_table(rows: Sequence[Mapping[str, Any]], first: Sequence[str]) -> list[str]:
    """Mappings as one table: the ``first`` keys present, then the others as they appear."""
    columns = [key for key in first if any(key in row for row in rows)]
    for row in rows:
        columns += [str(key) for key in row if str(key) not in columns]
    return _table(columns, [[_cell(row.get(c)) for c in columns] for row in rows])


def _sample_lines(sample: Sample) -> list[str]:
    lines = [f"### {_cell(sample.get('kind'))}: {_cell(sample.get('name'))}", ""]
    period = sample.get("period")
    if isinstance(period, Mapping):
        lines.append(f"Period: {_cell(period.get('start'))} to {_cell(period.get('end'))}.")
    params = sample.get("params")
    if isinstance(params, Mapping) and params:
        shown = ", ".join(f"`{name} = {_cell(params[name])}`" for name in sorted(params))
        lines.append(f"Parameters: {shown}.")
    records = [r for r in sample.get("records") or [] if isinstance(r, Mapping)]
    by_type: dict[str, list[Mapping[str, Any]]] = {}
    for record in records:
        rest = {key: value for key, value in record.items() if key != "type"}
        by_type.setdefault(str(record.get("type")), []).append(rest)
    for kind, rows in by_type.items():
        lines += ["", f"`{kind}` records:", "", *_rows_table(rows, ("employee_id",))]
    expect = [e for e in sample.get("expect") or [] if isinstance(e, Mapping)]
    if expect:
        lines += ["", f"Expected findings of {sample.get('rule')}:", ""]
        lines += _rows_table(expect, ("employee_id", "date", "period"))
    else:
        lines += ["", f"Expected findings of {sample.get('rule')}: none."]
    return [*lines, ""]


def _both(text: Text) -> str:
    """A bilingual text as the pages show titles, ``zh / en``; once where the two are one."""
    return text.zh if text.zh == text.en else f"{text.zh} / {text.en}"


def _header(policy: Policy, rule: Rule) -> list[str]:
    """Title, the facts about the rule as a table, and the handbook text it enforces."""
    table = FACT_TABLES[rule.facts]
    ruleset = next(rs for rs in policy.rulesets if rs.name == rule.ruleset)
    path = Path(rule.path)
    shipped = path.parent.resolve() == default_rule_dir().resolve()
    # a rule set's own fact tables are documented on its page (the first rule set using them)
    home = next(r.ruleset for r in policy.all_rules() if r.facts == rule.facts)
    page = _FACT_PAGES.get(rule.facts, f"rulesets/{home}.md")
    facts = f"[`{rule.facts}`](../{page}#{rule.facts})"
    about = [
        ["Rule set", f"`{rule.ruleset}` — {ruleset.title.zh} / {ruleset.title.en}"],
        ["Severity", f"`{rule.severity}`"],
        ["Handbook clauses", ", ".join(rule.clauses)],
        ["References", "; ".join(map(_both, rule.references))],
        ["Fact table", f"{facts} ({table.grain} grain)"],
        ["Exclusive group", f"`{rule.exclusive_group}`" if rule.exclusive_group else ""],
        ["Counts findings of", ", ".join(f"[{c}]({c}.md)" for c in rule.counts)],
        ["Defined in", f"`{'rules/' if shipped else ''}{path.name}`"],
    ]
    lines = [_NOTICE, "", f"# {rule.rule_id} — {rule.title.zh} / {rule.title.en}", ""]
    lines += [*_table(["", ""], [row for row in about if row[1]]), ""]
    if rule.rule_id in policy.disabled:
        lines += ["This rule is disabled by the policy these pages were generated with.", ""]
    lines += ["## Handbook" if rule.clauses else "## References", ""]
    for clause_id in rule.clauses:
        clause = CLAUSES[clause_id]
        lines += [f"**{clause_id} {clause.title_zh} — {clause.title_en}**", ""]
        if clause.text_zh != clause.title_zh:
            lines += [f"> {clause.text_zh}", ">"]
        lines += [f"> {clause.text_en}", ""]
    if rule.references:
        lines += [*(f"- {_both(reference)}" for reference in rule.references), ""]
    return [*lines, "See also [handbook coverage](../handbook-coverage.md).", ""]


def render_rule_page(policy: Policy, rule: Rule, samples: Sequence[Sample]) -> str:
    """The Markdown reference page of one rule, with ``samples`` as its examples."""
    compiled = next(c for c in policy.compiled if c.rule.rule_id == rule.rule_id)
    conditions = compiled.conditions()
    table = FACT_TABLES[rule.facts]
    columns = {c.name: c for c in table.columns}
    lines = [*_header(policy, rule), "## Condition", "", "```text", rule.when, "```", ""]
    lines += [
        f"`{rule.facts}`: {table.doc} The rule gives one finding for each row where the "
        "condition is true; a condition that is null counts as false (see "
        "[the condition language](../rule-files.md#the-condition-language)).",
        "",
    ]
    if rule.pending:
        lines += ["Pending while:", "", "```text", rule.pending, "```", ""]
        lines += [_PENDING, ""]
    if rule.exclusive_group:
        lines += [_EXCLUSIVE.format(rule.exclusive_group), ""]
    used = {name for c in conditions for name in c.columns}
    read = [[f"`{c.name}`", c.type, _meaning(c)] for c in table.columns if c.name in used]
    lines += ["Fact columns it reads:", "", *_table(["column", "type", "meaning"], read)]
    lines += ["", "## Parameters", ""]
    declared = policy.declared_params()
    from_facts = compiled.derivation_params()
    names = sorted(compiled.condition_params() | from_facts)
    if names:
        rows = []
        for name in names:
            param = declared[name]
            default = f"`{_cell(param.default)}`"
            if policy.params[name] != param.default:
                default += f" (this policy: `{_cell(policy.params[name])}`)"
            doc = f"{param.doc.en}<br>{param.doc.zh}"
            if name in from_facts:
                doc += f"<br>(read while deriving the `{rule.facts}` facts)"
            rows.append([f"`{name}`", param.type, default, param.range_text() or "any", doc])
        lines += _table(["parameter", "type", "default", "range", "meaning"], rows)
        lines += ["", "A company sets them in its [policy file](../policy.md) under `params:`."]
    else:
        lines.append("Neither the condition nor its facts read a parameter.")
    lines += ["", "## Evidence", ""]
    evidence = [[f"`{n}`", columns[n].type, _meaning(columns[n])] for n in rule.evidence]
    lines += _table(["evidence", "type", "meaning"], evidence) if evidence else ["None."]
    if rule.sources:
        shown = "; ".join(f"`{name}` ({columns[name].doc})" for name in rule.sources)
        lines += ["", f"Sources (the input rows cited as `file:line`): {shown}."]
    lines += ["", "## Message", ""]
    lines += _table(["language", "template"], [["zh", rule.message.zh], ["en", rule.message.en]])
    lines += ["", "## Examples", ""]
    if not samples:
        return "\n".join([*lines, "No examples yet.", ""])
    order = sorted(samples, key=lambda s: _KINDS.index(s["kind"]) if s.get("kind") in _KINDS else 2)
    lines += [f"From `rules/samples/{rule.ruleset}.yaml`.", ""]
    for sample in order:
        lines += _sample_lines(sample)
    return "\n".join(lines)


def _samples(policy: Policy) -> dict[str, list[Sample]]:
    """Each rule's samples from ``samples/<ruleset>.yaml`` beside its rule file, if any.

    Sample files are the project's own test data, read as ``tests/test_samples.py`` reads
    them (plain safe YAML, where anchors may share records between samples)."""
    found: dict[str, list[Sample]] = {}
    for ruleset in policy.rulesets:
        path = sample_file_of(ruleset)
        if not path.is_file():
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
        items = data.get("samples") if isinstance(data, Mapping) else None
        for item in items if isinstance(items, list) else []:
            if isinstance(item, Mapping) and isinstance(item.get("rule"), str):
                found.setdefault(item["rule"], []).append(item)
    return found


def _index(policy: Policy) -> str:
    rules = sorted(policy.all_rules(), key=lambda r: (r.ruleset, r.rule_id))
    header = ["rule", "title", "rule set", "severity", "clauses or references", "facts"]
    rows = []
    for r in rules:
        cited = ", ".join(r.clauses) or "; ".join(map(_both, r.references))
        link, title = f"[{r.rule_id}]({r.rule_id}.md)", f"{r.title.zh} / {r.title.en}"
        rows.append([link, title, f"`{r.ruleset}`", r.severity, cited, f"`{r.facts}`"])
    lines = [_NOTICE, "", "# Rules", "", f"{len(rules)} rules, by rule set and id.", ""]
    lines += [*_table(header, rows), "", "Back to [the documentation](../index.md).", ""]
    return "\n".join(lines)


def rule_pages(policy: Policy | None = None) -> dict[str, str]:
    """Every page, by file name: ``<ID>.md`` for each rule, and ``index.md``."""
    policy = policy or load_policy()
    samples = _samples(policy)
    pages = {
        f"{rule.rule_id}.md": render_rule_page(policy, rule, samples.get(rule.rule_id, []))
        for rule in policy.all_rules()
    }
    return {"index.md": _index(policy), **dict(sorted(pages.items()))}


def write_rule_pages(out_dir: str | Path, policy: Policy | None = None) -> list[Path]:
    """Write every page into ``out_dir``, remove pages of rules that are gone; the paths."""
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    pages = rule_pages(policy)
    for stale in folder.glob("*.md"):
        if RULE_ID.match(stale.stem) and stale.name not in pages:
            stale.unlink()
    for name, text in pages.items():
        (folder / name).write_text(text, encoding="utf-8", newline="\n")
    return sorted(folder / name for name in pages)


if __name__ == "__main__":
    paths = write_rule_pages(sys.argv[1] if len(sys.argv) > 1 else "docs/rules")
    print(f"wrote {len(paths)} pages to {paths[0].parent}")
