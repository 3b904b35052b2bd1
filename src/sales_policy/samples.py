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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import InvalidArgument, RuleFileError, suggest
from .findings import Finding
from .policy import Policy
from .rulesets import RuleSet
from .yamlfile import yaml_error

KINDS = ("violating", "compliant")
#: libyaml's safe loader where PyYAML has it (the wheels do), else the pure-Python one
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SAMPLE_KEYS = ("rule", "name", "kind", "period", "params", "records", "expect")
_REQUIRED = ("rule", "name", "kind", "period", "records")
_EXPECT_KEYS = ("employee_id", "date", "period", "evidence")


@dataclass(frozen=True)
class Sample:
    """One worked example of a rule."""

    rule: str
    name: str
    kind: str
    start: dt.date
    end: dt.date
    records: list[dict[str, Any]]
    params: dict[str, Any] = field(default_factory=dict)
    expect: list[dict[str, Any]] = field(default_factory=list)
    #: the file it was read from, its rule set, and the line it starts on (0: not read)
    path: str = ""
    ruleset: str = ""
    line: int = 0

    def __str__(self) -> str:
        return f"{self.rule} ({self.kind}): {self.name}"


def sample_file_of(ruleset: RuleSet) -> Path:
    """Where a rule set's samples are: ``samples/<rule set>.yaml`` beside its rule file."""
    return Path(ruleset.path).parent / "samples" / f"{ruleset.name}.yaml"


def load_samples(path: str | Path) -> list[Sample]:
    """The samples of one file, their shape checked: ``RuleFileError`` names the file, the
    line and the sample (by its position and name) and what is wrong.  The file is safe
    YAML; its anchors may share records between samples."""
    where = str(path)
    data, lines = _read(where)
    if not isinstance(data, Mapping) or not isinstance(data.get("samples"), list):
        raise RuleFileError(
            "a sample file is a mapping with ruleset: and samples: [...]", path=where, line=1
        )
    ruleset = data.get("ruleset")
    if not isinstance(ruleset, str):
        raise RuleFileError(
            "ruleset: must name the rule set the samples are of", path=where, line=1
        )
    samples = []
    seen: set[tuple[str, str]] = set()
    for number, item in enumerate(data["samples"], 1):
        line = lines[number - 1] if number <= len(lines) else None
        sample = _sample(item, f"sample {number}", where, ruleset, line)
        if (sample.rule, sample.name) in seen:
            raise RuleFileError(
                f"sample {number}: {sample.name!r} is the name of another sample of {sample.rule}",
                path=where,
                line=line,
            )
        seen.add((sample.rule, sample.name))
        samples.append(sample)
    return samples


def _read(path: str) -> tuple[Any, list[int]]:
    """A sample file's data (safe YAML), and the line each item of its ``samples:`` starts
    on."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise RuleFileError(f"cannot read the file: {exc.strerror}", path=path) from None
    except UnicodeDecodeError as exc:
        raise RuleFileError(f"not UTF-8 text: {exc.reason}", path=path) from None
    loader = _LOADER(text)
    try:
        node = loader.get_single_node()
        # before constructing, which merges a ``<<: *alias``'s keys into the mapping's own
        repeated = _repeated_key(node)
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:  # as rule files' errors read
        raise yaml_error(exc, path=path, error=RuleFileError) from None
    finally:
        loader.dispose()
    if repeated is not None:  # as rule files: which of the two values is meant?
        key, mark = repeated
        raise RuleFileError(
            f"the key {key!r} is given twice in one mapping", path=path, line=mark.line + 1
        )
    lines: list[int] = []
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == "samples" and isinstance(value, yaml.SequenceNode):
                lines = [item.start_mark.line + 1 for item in value.value]
    return data, lines


def _repeated_key(node: yaml.Node | None) -> tuple[str, yaml.Mark] | None:
    """The first key given twice in a mapping of the document (its second place), if any;
    an alias's nodes, shared, are looked at once."""
    seen: set[int] = set()
    todo = [node] if node is not None else []
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, yaml.MappingNode):
            keys: set[object] = set()
            for key, value in current.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in keys:
                        return str(key.value), key.start_mark
                    keys.add(key.value)
                todo.append(value)
        elif isinstance(current, yaml.SequenceNode):
            todo.extend(current.value)
    return None


def _sample(item: Any, what: str, path: str, ruleset: str, line: int | None) -> Sample:
    def fail(message: str) -> RuleFileError:
        name = item.get("name") if isinstance(item, Mapping) else None
        text = f"{what}{f' ({name})' if name else ''}: {message}"
        return RuleFileError(text, path=path, line=line)

    if not isinstance(item, Mapping):
        raise fail("must be a mapping")
    for key in item:
        if key not in _SAMPLE_KEYS:
            raise fail(f"unknown key {key!r}{suggest(str(key), _SAMPLE_KEYS)}")
    for key in _REQUIRED:
        if key not in item:
            raise fail(f"{key}: is missing")
    if item["kind"] not in KINDS:
        raise fail(f"kind must be violating or compliant, found {item['kind']!r}")
    period = item["period"]
    if not (
        isinstance(period, Mapping)
        and all(type(period.get(k)) is dt.date for k in ("start", "end"))
    ):
        raise fail("period must be {start: YYYY-MM-DD, end: YYYY-MM-DD}")
    records = item["records"]
    if not isinstance(records, list) or not all(
        isinstance(r, Mapping) and "type" in r for r in records
    ):
        raise fail("records must be a list of records, each with its type")
    params = item.get("params", {})
    if not isinstance(params, Mapping):
        raise fail("params must be a mapping of parameters to values")
    expect = item.get("expect", [])
    if item["kind"] == "compliant" and expect:
        raise fail("a compliant sample expects no finding: leave expect out")
    if item["kind"] == "violating" and not expect:
        raise fail("a violating sample lists the findings it must make in expect")
    if not isinstance(expect, list):
        raise fail("expect must be a list of findings")
    for want in expect:
        if not isinstance(want, Mapping) or "employee_id" not in want:
            raise fail("each finding expected names its employee_id")
        unknown = [k for k in want if k not in _EXPECT_KEYS]
        if unknown:
            raise fail(f"expect: unknown key {unknown[0]!r} (expected {', '.join(_EXPECT_KEYS)})")
        if ("date" in want) == ("period" in want):
            raise fail("each finding expected has a date (day grain) or a period (month grain)")
    return Sample(
        str(item["rule"]),
        str(item["name"]),
        str(item["kind"]),
        period["start"],
        period["end"],
        [dict(r) for r in records],
        dict(params),
        [dict(w) for w in expect],
        path,
        ruleset,
        line or 0,
    )


def _matches(finding: Finding, want: Mapping[str, Any]) -> bool:
    """The finding is for the expected employee and its date (day and event grain) or its
    period (month grain)."""
    return (
        finding.employee_id == want["employee_id"]
        and ("date" not in want or finding.date == want["date"])
        and ("period" not in want or finding.period == want["period"])
    )


def _described(findings: Sequence[Finding]) -> list[tuple[Any, ...]]:
    return [(f.employee_id, f.date, f.period, f.evidence) for f in findings]


def sample_problem(policy: Policy, sample: Sample) -> str | None:
    """Why ``sample`` does not hold under ``policy``, or None when it does."""
    try:
        judged = policy.with_params(**sample.params) if sample.params else policy
    except InvalidArgument as exc:
        return f"params: {exc}"
    result = judged.check(sample.records, sample.start, sample.end)
    if result.counts.rejected:
        return f"rows rejected: {result.rejects.to_dicts()}"
    found = [f for f in result.findings if f.rule_id == sample.rule]
    if sample.kind == "compliant":
        return f"expected no {sample.rule}, got {_described(found)}" if found else None
    if len(found) != len(sample.expect):
        return f"expected {len(sample.expect)} {sample.rule} finding(s), got {_described(found)}"
    unmatched = list(found)
    for want in sample.expect:
        key = {k: v for k, v in want.items() if k != "evidence"}
        matches = [f for f in unmatched if _matches(f, want)]
        if not matches:
            return f"no {sample.rule} finding for {key}; got {_described(found)}"
        finding = matches[0]
        unmatched.remove(finding)
        evidence = want.get("evidence", {})
        actual = {name: finding.evidence.get(name, "<absent>") for name in evidence}
        if actual != evidence:
            return f"{key}: evidence {actual}, expected {evidence}"
    return None


def check_samples(policy: Policy, samples: str | Path | Sequence[Sample]) -> None:
    """Every sample (of a file, or given) holds under ``policy``; AssertionError listing the
    samples that do not, and why.  A sample of a rule the policy does not have, or of one it
    disables, is an ``InvalidArgument``: it could never be checked."""
    if not isinstance(policy, Policy):
        raise InvalidArgument(f"policy must be a Policy (load_policy()), not {type(policy)}")
    items = load_samples(samples) if isinstance(samples, str | Path) else list(samples)
    known = {rule.rule_id for rule in policy.all_rules()}
    for sample in items:
        if sample.rule not in known:
            raise InvalidArgument(
                f"{sample}: unknown rule {sample.rule!r}{suggest(sample.rule, sorted(known))}"
            )
        if sample.rule in policy.disabled:
            raise InvalidArgument(f"{sample}: the policy disables {sample.rule}")
    problems = [(s, p) for s in items if (p := sample_problem(policy, s)) is not None]
    if problems:
        raise AssertionError(
            f"{len(problems)} of {len(items)} sample(s) do not hold:\n"
            + "\n".join(f"  {sample}: {problem}" for sample, problem in problems)
        )
