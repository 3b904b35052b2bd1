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
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import InvalidArgument, RuleFileError, kind_of, shown, suggest
from .facts.schema import FACT_TABLES
from .findings import Finding
from .policy import Policy
from .rulesets import RULE_ID, RULESET_NAME, RuleSet
from .yamlfile import unreadable, yaml_error

KINDS = ("violating", "compliant")
#: libyaml's safe loader where PyYAML has it (the wheels do), else the pure-Python one
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FILE_KEYS = ("ruleset", "samples")
_SAMPLE_KEYS = ("rule", "name", "kind", "period", "params", "records", "expect")
_REQUIRED = ("rule", "name", "kind", "period", "records")
_PERIOD_KEYS = ("start", "end")
#: a month as an expected finding of month grain names it
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
#: a date as ISO writes it, which YAML reads as a date when it is not in quotes
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_EXPECT_KEYS = ("employee_id", "date", "period", "evidence")


@dataclass(frozen=True)
class SampleLines:
    """Where the parts of a sample that only the policy can judge are in its file (1-based
    lines; 0: not read from a file)."""

    rule: int = 0
    #: each parameter's line
    params: Mapping[str, int] = field(default_factory=dict)
    #: each expected finding's line, and that of each name of its evidence
    expect: tuple[int, ...] = ()
    evidence: tuple[Mapping[str, int], ...] = ()


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
    lines: SampleLines = field(default_factory=SampleLines, compare=False, repr=False)

    def __str__(self) -> str:
        return f"{self.rule} ({self.kind}): {self.name}"


def sample_file_of(ruleset: RuleSet) -> Path:
    """Where a rule set's samples are: ``samples/<rule set>.yaml`` beside its rule file."""
    return Path(ruleset.path).parent / "samples" / f"{ruleset.name}.yaml"


@dataclass(frozen=True)
class SampleFile:
    """A sample file read: the rule set it declares (``ruleset:``, on ``line``) and its
    samples."""

    path: str
    ruleset: str
    line: int
    samples: list[Sample]


def load_samples(path: str | Path) -> list[Sample]:
    """The samples of one file, their shape checked: ``RuleFileError`` names the file, the
    line and the sample (by its position and name) and what is wrong.  The file is safe
    YAML; its anchors may share records between samples."""
    return read_sample_file(path).samples


def read_sample_file(path: str | Path) -> SampleFile:
    """A sample file, its shape checked (``load_samples``).  Whether its rule set and rules
    are the policy's is for ``unusable`` to say."""
    where = str(path)
    data, node = _read(where)
    top = _At(node, 1)
    if not isinstance(data, Mapping):
        raise RuleFileError(
            f"a sample file is a mapping with ruleset: and samples: [...], found {kind_of(data)}",
            path=where,
            line=1,
        )
    for key in data:
        if key not in _FILE_KEYS:
            raise RuleFileError(
                f"unknown key {shown(key)} in a sample file{suggest(str(key), _FILE_KEYS)}",
                path=where,
                line=top.key(key),
            )
    ruleset = data.get("ruleset")
    if not isinstance(ruleset, str) or not RULESET_NAME.fullmatch(ruleset):
        raise RuleFileError(
            "ruleset: must name the rule set the samples are of (a lower-case name like "
            f"attendance){'' if ruleset is None else f', found {shown(ruleset)}'}",
            path=where,
            line=top.key("ruleset"),
        )
    items = data.get("samples")
    if not isinstance(items, list):
        raise RuleFileError(
            "samples: must be a list of samples"
            f"{'' if items is None else f', found {kind_of(items)}'}",
            path=where,
            line=top.key("samples"),
        )
    listed = top.at("samples")
    samples = []
    seen: set[tuple[str, str]] = set()
    for number, item in enumerate(items, 1):
        at = listed.item(number - 1)
        sample = _sample(item, f"sample {number}", where, ruleset, at)
        if (sample.rule, sample.name) in seen:
            raise RuleFileError(
                f"sample {number}: {sample.name!r} is the name of another sample of {sample.rule}",
                path=where,
                line=at.key("name"),
            )
        seen.add((sample.rule, sample.name))
        samples.append(sample)
    return SampleFile(where, ruleset, top.key("ruleset"), samples)


class _At:
    """Where a part of a sample file is: the lines of a YAML node's keys and items.  Read
    after the document is built, which merges the pairs of a ``<<: *alias`` into the
    mapping's own, before them: a key's last pair is the one whose value was taken."""

    def __init__(self, node: yaml.Node | None, line: int) -> None:
        self.node = node
        self.line = node.start_mark.line + 1 if node is not None else line

    def _pair(self, key: object) -> tuple[yaml.Node, yaml.Node] | None:
        found = None
        if isinstance(self.node, yaml.MappingNode):
            for pair in self.node.value:
                if isinstance(pair[0], yaml.ScalarNode) and pair[0].value == str(key):
                    found = pair
        return found

    def key(self, key: object) -> int:
        """The line of ``key`` (that of the mapping where it is not given)."""
        pair = self._pair(key)
        return pair[0].start_mark.line + 1 if pair is not None else self.line

    def at(self, key: object) -> _At:
        """Where the value of ``key`` is."""
        pair = self._pair(key)
        return _At(pair[1] if pair is not None else None, self.key(key))

    def item(self, index: int) -> _At:
        """Where the item ``index`` of a list is."""
        if isinstance(self.node, yaml.SequenceNode) and index < len(self.node.value):
            return _At(self.node.value[index], self.line)
        return _At(None, self.line)


def _read(path: str) -> tuple[Any, yaml.Node | None]:
    """A sample file's data (safe YAML), and its node tree, for the lines of its parts."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise RuleFileError(f"cannot read the file: {exc.strerror}", path=path) from None
    except UnicodeDecodeError as exc:
        raise RuleFileError(f"not UTF-8 text: {exc.reason}", path=path) from None
    loader = _LOADER(text)
    node: yaml.Node | None = None
    try:
        node = loader.get_single_node()
        # before constructing, which merges a ``<<: *alias``'s keys into the mapping's own
        repeated = _repeated_key(node)
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:  # as rule files' errors read
        raise yaml_error(exc, path=path, error=RuleFileError) from None
    except (ValueError, TypeError, LookupError, OverflowError):
        # a value its tag's constructor cannot build, as rule files say it: 2026-02-30
        bad = _unbuildable(node) if node is not None else None
        if bad is None:
            raise RuleFileError("a value cannot be read", path=path) from None
        raise RuleFileError(
            unreadable(bad),
            path=path,
            line=bad.start_mark.line + 1,
            column=bad.start_mark.column + 1,
        ) from None
    finally:
        loader.dispose()
    if repeated is not None:  # as rule files: which of the two values is meant?
        key, mark = repeated
        raise RuleFileError(
            f"the key {key!r} is given twice in one mapping", path=path, line=mark.line + 1
        )
    return data, node


def _unbuildable(node: yaml.Node) -> yaml.ScalarNode | None:
    """The first scalar of the document that cannot be built as its tag says, if any."""
    seen: set[int] = set()
    todo = [node]
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, yaml.ScalarNode):
            try:
                yaml.constructor.SafeConstructor().construct_object(current)
            except (ValueError, TypeError, LookupError, OverflowError):
                return current
        elif isinstance(current, yaml.MappingNode):
            todo.extend(item for pair in reversed(current.value) for item in reversed(pair))
        elif isinstance(current, yaml.SequenceNode):
            todo.extend(reversed(current.value))
    return None


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


def _sample(item: Any, what: str, path: str, ruleset: str, at: _At) -> Sample:
    """One sample, its shape checked; each problem at the line of the key it is about (the
    sample's first line where that key is missing)."""

    def fail(message: str, line: int | None = None) -> RuleFileError:
        name = item.get("name") if isinstance(item, Mapping) else None
        text = f"{what}{f' ({name})' if isinstance(name, str) and name else ''}: {message}"
        return RuleFileError(text, path=path, line=line or at.line)

    if not isinstance(item, Mapping):
        raise fail(f"must be a mapping, found {kind_of(item)}")
    for key in item:
        if key not in _SAMPLE_KEYS:
            raise fail(f"unknown key {shown(key)}{suggest(str(key), _SAMPLE_KEYS)}", at.key(key))
    for key in _REQUIRED:
        if key not in item:
            raise fail(f"{key}: is missing")
    rule = item["rule"]
    if not isinstance(rule, str) or not RULE_ID.fullmatch(rule):
        raise fail(f"rule must be a rule id like ATT-LATE, found {_found(rule)}", at.key("rule"))
    title = item["name"]
    if not isinstance(title, str) or not title.strip():
        raise fail(f"name must be a text that is not empty, found {_found(title)}", at.key("name"))
    if item["kind"] not in KINDS:
        raise fail(f"kind must be violating or compliant, found {item['kind']!r}", at.key("kind"))
    period, within = item["period"], at.at("period")
    if not isinstance(period, Mapping):
        raise fail("period must be {start: YYYY-MM-DD, end: YYYY-MM-DD}", at.key("period"))
    for key in period:
        if key not in _PERIOD_KEYS:
            raise fail(
                f"period: unknown key {shown(key)}{suggest(str(key), _PERIOD_KEYS)}",
                within.key(key),
            )
    for key in _PERIOD_KEYS:
        if key not in period:
            raise fail("period must be {start: YYYY-MM-DD, end: YYYY-MM-DD}", within.line)
        problem = _not_a_date(period[key], f"period: {key}")
        if problem is not None:
            raise fail(problem, within.key(key))
    if period["end"] < period["start"]:
        raise fail(
            f"period: end {period['end']} is before start {period['start']}", within.key("end")
        )
    records, listed = item["records"], at.at("records")
    if not isinstance(records, list):
        raise fail(
            f"records must be a list of records, each with its type, found {kind_of(records)}",
            at.key("records"),
        )
    if not records:
        raise fail("records must list at least one record", at.key("records"))
    for number, record in enumerate(records, 1):
        place = listed.item(number - 1)
        if not isinstance(record, Mapping):
            raise fail(
                f"records: record {number} must be a mapping of its fields, found "
                f"{kind_of(record)}",
                place.line,
            )
        for key in record:
            if not isinstance(key, str):
                raise fail(
                    f"records: record {number}: a field's name is text, found {_found(key)}",
                    place.key(key),
                )
        if "type" not in record:
            raise fail(f"records: record {number} has no type", place.line)
        if not isinstance(record["type"], str):
            raise fail(
                f"records: record {number}: type must be a record type's name, found "
                f"{shown(record['type'])}",
                place.key("type"),
            )
    params = item.get("params", {})
    if not isinstance(params, Mapping):
        raise fail(
            "params must be a mapping of parameters to values"
            f"{'' if 'params' not in item else f', found {kind_of(params)}'}",
            at.key("params"),
        )
    for key in params:
        if not isinstance(key, str):
            raise fail(
                f"params: a parameter's name is text, found {_found(key)}", at.at("params").key(key)
            )
    expect = item.get("expect", [])
    if item["kind"] == "compliant" and expect:
        raise fail("a compliant sample expects no finding: leave expect out", at.key("expect"))
    if item["kind"] == "violating" and not expect:
        raise fail("a violating sample lists the findings it must make in expect", at.key("expect"))
    if not isinstance(expect, list):
        raise fail(f"expect must be a list of findings, found {kind_of(expect)}", at.key("expect"))
    for index, want in enumerate(expect):
        where = at.at("expect").item(index)
        if not isinstance(want, Mapping):
            raise fail(
                f"expect: finding {index + 1} must be a mapping, found {kind_of(want)}",
                where.line,
            )
        if "employee_id" not in want:
            raise fail("each finding expected names its employee_id", where.line)
        employee = want["employee_id"]
        if not isinstance(employee, str) or not employee.strip():
            raise fail(
                f"expect: employee_id must be a text that is not empty, found {_found(employee)}"
                f"{' (an id of digits is written in quotes)' if type(employee) is int else ''}",
                where.key("employee_id"),
            )
        unknown = [k for k in want if k not in _EXPECT_KEYS]
        if unknown:
            raise fail(
                f"expect: unknown key {unknown[0]!r} (expected {', '.join(_EXPECT_KEYS)})",
                where.key(unknown[0]),
            )
        if ("date" in want) == ("period" in want):
            raise fail(
                "each finding expected has a date (day grain) or a period (month grain)",
                where.line,
            )
        problem = _not_a_date(want["date"], "expect: date") if "date" in want else None
        if problem is not None:
            raise fail(problem, where.key("date"))
        month = want.get("period")
        if "period" in want and not (isinstance(month, str) and _MONTH.fullmatch(month)):
            raise fail(
                f"expect: period must be a month written YYYY-MM, found {_found(month)}",
                where.key("period"),
            )
        evidence = want.get("evidence", {})
        if not isinstance(evidence, Mapping):
            raise fail(
                f"expect: evidence must be a mapping of evidence names to values, found "
                f"{kind_of(evidence)}",
                where.key("evidence"),
            )
        for name, value in evidence.items():
            if not isinstance(name, str):
                raise fail(
                    f"expect: evidence: a name is text, found {_found(name)}",
                    where.at("evidence").key(name),
                )
            if _holds_a_date(value):
                raise fail(
                    f"expect: evidence {name}: {_iso(value)} is read as a date, and a "
                    "finding's evidence gives dates and date-times as text (as its JSON "
                    f'does): write it in quotes ({name}: "{_iso(value)}")',
                    where.at("evidence").key(name),
                )
    expected = at.at("expect")
    lines = SampleLines(
        rule=at.key("rule"),
        params={key: at.at("params").key(key) for key in params},
        expect=tuple(expected.item(i).line for i in range(len(expect))),
        evidence=tuple(
            {key: expected.item(i).at("evidence").key(key) for key in want.get("evidence", {})}
            for i, want in enumerate(expect)
        ),
    )
    return Sample(
        rule,
        title,
        str(item["kind"]),
        period["start"],
        period["end"],
        [dict(r) for r in records],
        dict(params),
        [dict(w) for w in expect],
        path,
        ruleset,
        at.line,
        lines,
    )


def _found(value: Any) -> str:
    """A value found where another was expected, for messages: null as YAML writes it."""
    return "null" if value is None else shown(value)


def _not_a_date(value: Any, what: str) -> str | None:
    """Why ``value`` is not a date as a sample file writes one (unquoted: YAML reads
    2026-11-02 as a date, "2026-11-02" as text), or None."""
    if type(value) is dt.date:
        return None
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return (
            f"{what} is written in quotes ({value!r}), which makes it text: a date is written "
            f"without them ({value})"
        )
    if isinstance(value, dt.datetime):
        return f"{what} must be a date (YYYY-MM-DD), found the date-time {value.isoformat()}"
    return f"{what} must be a date (YYYY-MM-DD), found {_found(value)}"


def _holds_a_date(value: Any) -> bool:
    """Whether YAML read ``value`` (or an item of it) as a date or a date-time."""
    if isinstance(value, list):
        return any(_holds_a_date(item) for item in value)
    return isinstance(value, dt.date)


def _iso(value: Any) -> str:
    """The date or date-time in ``value`` (or its first item that is one), as ISO text."""
    if isinstance(value, list):
        return next(_iso(item) for item in value if _holds_a_date(item))
    return str(value.isoformat())


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
            for name in want.get("evidence", {}):
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
