"""One rule explained, as ``sales-policy rules RULE_ID`` prints it."""

from __future__ import annotations

from pathlib import Path

from .handbook import CLAUSES
from .policy import Policy, default_rule_dir


def explain_rule(policy: Policy, rule_id: str) -> str:
    """The text ``sales-policy rules RULE_ID`` prints: where the rule is defined, its
    condition as written, the parameters it reads with their values, the handbook clauses it
    enforces, its evidence and messages."""
    rule = policy.rule(rule_id)
    compiled = next(c for c in policy.compiled if c.rule.rule_id == rule_id)
    declared = policy.declared_params()
    lines = [
        f"{rule.rule_id}  {rule.title.en} / {rule.title.zh}",
        f"rule set   {rule.ruleset}    severity {rule.severity}    facts {rule.facts}"
        + ("    (disabled by the policy)" if rule_id in policy.disabled else ""),
        f"defined at {rule.path}:{rule.line}",
        "",
        "when",
        *(f"  {line}" for line in rule.when.splitlines()),
    ]
    from_facts = compiled.derivation_params()
    names = sorted(compiled.condition_params() | from_facts)
    if names:
        lines += ["", "parameters"]
        for name in names:
            param = declared[name]
            value = policy.params[name]
            changed = "" if value == param.default else f" (default {param.default!r})"
            where = f"  (read while deriving the {rule.facts} facts)" if name in from_facts else ""
            lines.append(
                f"  {name} = {value!r}{changed}  range {param.range_text() or 'any'}{where}"
            )
            lines.append(f"      {param.doc.en}")
    cited = ["handbook"] * bool(rule.clauses) + ["references"] * bool(rule.references)
    lines += ["", " and ".join(cited)]
    for clause_id in rule.clauses:
        clause = CLAUSES[clause_id]
        lines.append(f"  {clause_id} {clause.title_zh} — {clause.title_en}")
        if clause.text_zh != clause.title_zh:
            lines.append(f"      {clause.text_zh}")
        lines.append(f"      {clause.text_en}")
    for ref in rule.references:
        lines += [f"  {ref.zh}"] + ([f"      {ref.en}"] if ref.en != ref.zh else [])
    lines += [
        "",
        f"evidence   {', '.join(rule.evidence) or '-'}",
        f"message    {rule.message.en}",
        f"           {rule.message.zh}",
    ]
    if Path(rule.path).resolve().parent == default_rule_dir().resolve():  # the handbook's
        lines.append(f"docs       docs/rules/{rule.rule_id}.md")
    return "\n".join(lines) + "\n"
