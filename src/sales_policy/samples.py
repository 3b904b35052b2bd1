"""Worked examples of rules (samples), run against a policy: the handbook's own in
``rules/samples/<ruleset>.yaml``, and a company's beside its rule files in the same layout
(``sample_file_of``).  ``sales-policy test`` runs them (``sales_policy.sampleruns``), as
``sales_policy.testing.check_samples`` does in a test suite.

A sample is a few input records judged over a period, with optional parameter overrides.  A
``violating`` sample lists exactly the findings of its rule that the check must make (matched
by employee and date or period; ``evidence`` is a subset of the finding's evidence); a
``compliant`` sample must make no finding of its rule.  Findings of other rules are not
looked at, and no input row may be rejected.  The format is in docs/rule-files.md.

    from sales_policy import load_policy
    from sales_policy.testing import check_samples

    check_samples(load_policy("company.yaml"), "our_samples.yaml")  # AssertionError if not
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .errors import InvalidArgument, RuleFileError, kind_of, suggest
from .facts.schema import FACT_TABLES
from .findings import Finding
from .policy import Policy
from .rulesets import text_number_hint
from .samplefile import (
    KINDS,
    Sample,
    SampleFile,
    SampleLines,
    load_samples,
    read_sample_file,
    sample_file_of,
)

__all__ = [
    "KINDS",
    "Sample",
    "SampleFile",
    "SampleLines",
    "check_samples",
    "load_samples",
    "read_sample_file",
    "sample_file_of",
    "sample_problem",
    "unusable",
]


def unusable(policy: Policy, source: SampleFile | Sequence[Sample]) -> RuleFileError | None:
    """Why samples could never be checked under ``policy``, at their file and line, or None:
    a sample file's rule set is not the policy's; a sample's rule is not (or is a rule of
    another rule set than its file's), a parameter it sets is not or its value does not fit
    the parameter, or a finding it expects is not of the rule's grain (a date for a rule
    of days and events, a period for one of months) or names evidence the rule has not."""
    if isinstance(source, SampleFile):
        names = [ruleset.name for ruleset in policy.rulesets]
        if source.ruleset not in names:
            return RuleFileError(
                f"ruleset {source.ruleset!r} is not a rule set of the policy"
                f"{suggest(source.ruleset, names)}",
                path=source.path,
                line=source.line,
            )
    known = {rule.rule_id: rule for rule in policy.all_rules()}
    declared = policy.declared_params()
    for sample in source.samples if isinstance(source, SampleFile) else source:

        def fail(message: str, line: int, sample: Sample = sample) -> RuleFileError:
            return RuleFileError(
                f"{sample}: {message}", path=sample.path or None, line=line or sample.line or None
            )

        rule = known.get(sample.rule)
        if rule is None:
            return fail(
                f"unknown rule {sample.rule!r}{suggest(sample.rule, sorted(known))}",
                sample.lines.rule,
            )
        if sample.ruleset and rule.ruleset != sample.ruleset:
            return fail(
                f"{sample.rule} is a rule of rule set {rule.ruleset}, not of {sample.ruleset} "
                f"(the file's ruleset:): its samples go in a sample file of {rule.ruleset}",
                sample.lines.rule,
            )
        for name, value in sample.params.items():
            line = sample.lines.params.get(name, 0)
            param = declared.get(name)
            if param is None:
                return fail(
                    f"params: unknown parameter {name!r}{suggest(name, tuple(declared))}", line
                )
            try:
                param.check(value)
            except ValueError as exc:
                text = param.range_text()
                return fail(f"params: {exc}{f' (range {text})' if text else ''}", line)
        month = FACT_TABLES[rule.facts].grain == "month"
        for index, want in enumerate(sample.expect):
            lines = sample.lines
            line = lines.expect[index] if index < len(lines.expect) else 0
            if ("period" in want) != month:
                return fail(
                    f"expect: {sample.rule} finds per {'month' if month else 'day'}: a finding "
                    f"expected has a {'period' if month else 'date'}, not a "
                    f"{'date' if month else 'period'}",
                    line,
                )
            at_names = lines.evidence[index] if index < len(lines.evidence) else {}
            types = FACT_TABLES[rule.facts].types()
            for name, value in want.get("evidence", {}).items():
                if name in rule.evidence and (wrong := _wrong_kind(types[name], value)):
                    return fail(f"expect: evidence {name} is {wrong}", at_names.get(name, line))
                if name not in rule.evidence:
                    hint = (
                        suggest(name, rule.evidence)
                        if rule.evidence
                        else " (its findings have none)"
                    )
                    return fail(
                        f"expect: evidence {name!r} is not evidence of {sample.rule}{hint}",
                        at_names.get(name, line),
                    )
    return None


#: what a finding's evidence holds of a column of each type, as its JSON gives it
_EVIDENCE_KINDS = {
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "str": "text",
    "date": "a date, as text in quotes",
    "datetime": "a date-time, as text in quotes",
    "str_list": "a list of texts",
}


def _wrong_kind(kind: str, value: Any) -> str | None:
    """What an expected evidence value should be, and is, where it is of another type than
    the column's (``"11"`` for a number of minutes: it could never equal the finding's);
    None where it fits, or is null."""
    number = isinstance(value, int | float) and not isinstance(value, bool)
    fits = {
        "int": number,
        "float": number,
        "bool": isinstance(value, bool),
        "str_list": isinstance(value, list) and all(isinstance(v, str) for v in value),
    }.get(kind, isinstance(value, str))
    if value is None or fits or kind not in _EVIDENCE_KINDS:
        return None
    hint = text_number_hint(value) if kind in ("int", "float") else ""
    shown = repr(value) if isinstance(value, str) else _shown(value)
    return f"{_EVIDENCE_KINDS[kind]} ({kind}), found {kind_of(value)} {shown}{hint}"


def _matches(finding: Finding, want: Mapping[str, Any]) -> bool:
    """The finding is for the expected employee and its date (day and event grain) or its
    period (month grain)."""
    return (
        finding.employee_id == want["employee_id"]
        and ("date" not in want or finding.date == want["date"])
        and ("period" not in want or finding.period == want["period"])
    )


def _shown(value: Any) -> str:
    """A value as a sample file writes it (YAML): dates and times in ISO 8601, lists and
    mappings in flow style, text bare."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{key}: {_shown(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(map(_shown, value)) + "]"
    return str(value)


def _where(employee_id: Any, date: Any, period: Any) -> str:
    """An employee and the date or period of a finding, as ``E1 2026-11-02``."""
    return " ".join(_shown(part) for part in (employee_id, date, period) if part is not None)


def _described(findings: Sequence[Finding]) -> str:
    """The findings made, each with its employee, date or period and evidence: ``none``, or
    how many, then each (``1: E1 2026-11-02 {minutes_late: 7}``)."""
    if not findings:
        return "none"
    shown = [f"{_where(f.employee_id, f.date, f.period)} {_shown(f.evidence)}" for f in findings]
    return f"{len(findings)}: {'; '.join(shown)}"


def _rejected(rows: Sequence[Mapping[str, Any]]) -> str:
    """Each rejected row by its line, its record type and field where known, and why."""

    def one(row: Mapping[str, Any]) -> str:
        where = f"line {row['line']}"
        if row["record_type"]:
            where += f" ({row['record_type']})"
        if row["field"]:
            where += f" {row['field']}"
        return f"{where}: {row['reason']}"

    return "; ".join(map(one, rows))


def sample_problem(policy: Policy, sample: Sample) -> str | None:
    """Why ``sample`` does not hold under ``policy``, or None when it does."""
    try:
        judged = policy.with_params(**sample.params) if sample.params else policy
    except InvalidArgument as exc:
        return f"params: {exc}"
    result = judged.check(sample.records, sample.start, sample.end)
    if result.counts.rejected:
        return f"rows rejected: {_rejected(result.rejects.to_dicts())}"
    found = [f for f in result.findings if f.rule_id == sample.rule]
    if sample.kind == "compliant":
        return f"expected no {sample.rule}, got {_described(found)}" if found else None
    if len(found) != len(sample.expect):
        findings = "finding" if len(sample.expect) == 1 else "findings"
        return f"expected {len(sample.expect)} {sample.rule} {findings}, got {_described(found)}"
    pairs = _paired(sample.expect, found)
    for index, want in enumerate(sample.expect):
        if index in pairs:
            continue
        key = _where(want["employee_id"], want.get("date"), want.get("period"))
        candidates = [f for f in found if _matches(f, want)]
        if not candidates:
            return f"no {sample.rule} finding for {key}; got {_described(found)}"
        taken = set(pairs.values())
        free = [f for i, f in enumerate(found) if i not in taken and _matches(f, want)]
        if not free:  # each finding of the key is another expected finding's
            same = [w for w in sample.expect if _matches_expected(w, want)]
            if len(same) > len(candidates):
                return (
                    f"{len(same)} {sample.rule} findings expected for {key}, {len(candidates)} "
                    f"found; got {_described(found)}"
                )
            return f"no other {sample.rule} finding for {key}; got {_described(found)}"
        evidence = want["evidence"]
        actual = [
            {name: f.evidence.get(name, "<absent>") for name in evidence}
            for f in free or candidates
        ]
        shown = " or ".join(map(_shown, actual))
        return f"{key}: evidence {shown}, expected {_shown(evidence)}"
    return None


def _matches_expected(one: Mapping[str, Any], other: Mapping[str, Any]) -> bool:
    """Two expected findings of one employee and date or period."""
    keys = ("employee_id", "date", "period")
    return all(one.get(key) == other.get(key) for key in keys)


def _holds(finding: Finding, want: Mapping[str, Any]) -> bool:
    """The finding is the one expected: its employee, date or period, and evidence."""
    evidence = want.get("evidence", {})
    return _matches(finding, want) and all(
        finding.evidence.get(name, _ABSENT) == value for name, value in evidence.items()
    )


_ABSENT = object()


def _paired(expect: Sequence[Mapping[str, Any]], found: Sequence[Finding]) -> dict[int, int]:
    """As many expected findings as can be, each paired with a finding of its own that it
    describes (index of ``expect`` to index of ``found``), whatever order either lists them
    in: two findings of one day (away from the post twice) are told apart by their
    evidence, not by which the file lists first."""
    owner: dict[int, int] = {}  # a finding's index -> the expected finding it is paired with

    def pair(want: int, tried: set[int]) -> bool:
        for index, finding in enumerate(found):
            if index in tried or not _holds(finding, expect[want]):
                continue
            tried.add(index)
            if index not in owner or pair(owner[index], tried):
                owner[index] = want
                return True
        return False

    for want in range(len(expect)):
        pair(want, set())
    return {want: index for index, want in owner.items()}


def check_samples(policy: Policy, samples: str | Path | Sequence[Sample]) -> None:
    """Every sample (of a file, or given) holds under ``policy``; AssertionError listing the
    samples that do not, and why.  A sample of a rule the policy does not have, or of one it
    disables, or a sample file of a rule set the policy does not have, is an
    ``InvalidArgument`` (``unusable``): it could never be checked."""
    if not isinstance(policy, Policy):
        raise InvalidArgument(f"policy must be a Policy (load_policy()), not {type(policy)}")
    source = read_sample_file(samples) if isinstance(samples, str | Path) else list(samples)
    problem = unusable(policy, source)
    if problem is not None:
        raise InvalidArgument(str(problem))
    items = source.samples if isinstance(source, SampleFile) else source
    for sample in items:
        if sample.rule in policy.disabled:
            raise InvalidArgument(f"{sample}: the policy disables {sample.rule}")
    problems = [(s, p) for s in items if (p := sample_problem(policy, s)) is not None]
    if problems:
        raise AssertionError(
            f"{len(problems)} of {len(items)} sample(s) do not hold:\n"
            + "\n".join(f"  {sample}: {problem}" for sample, problem in problems)
        )
