"""A sample file read (``rules/samples/<ruleset>.yaml``, or a company's beside its rule
files): its rule set and its samples, each checked as untrusted input at its line (keys,
types, dates written as the format reads them, a period in order); what running them means is
``sales_policy.samples``.  The format is in docs/rule-files.md."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import RuleFileError, kind_of, shown, suggest
from .rulesets import RULE_ID, RULESET_NAME, RuleSet, base_60
from .yamldoc import Places, read_document

KINDS = ("violating", "compliant")
#: libyaml's safe loader where PyYAML has it (the wheels do), else the pure-Python one
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
    data, node = read_document(where)
    top = Places(node, 1)
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


def _sample(item: Any, what: str, path: str, ruleset: str, at: Places) -> Sample:
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
        node = at.at("params").at(key).node
        plain = node.value if isinstance(node, yaml.ScalarNode) and not node.style else None
        misread = base_60(plain, params[key])
        if misread is not None:
            raise fail(f"params: {key}: {misread}", at.at("params").key(key))
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
