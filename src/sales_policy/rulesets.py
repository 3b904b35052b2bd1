"""The rule model: rule sets, their parameters and rules, and rules compiled.

A rule set is one handbook area's rules (``RuleSet``): its parameters (``Param``: type,
default, range, bilingual doc) and rules (``Rule``: id, title, handbook clauses, severity,
fact table, condition, evidence, sources, messages).  ``RuleSet.compile`` compiles every
rule's condition once, against the fact table's schema and the parameter values in force.
Rule files are read into this model by :mod:`sales_policy.rulefile`.
"""

from __future__ import annotations

import keyword
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .expr import Condition, ValueType, compile_condition
from .exprfunctions import domain_problem
from .exprnodes import INT_MAX, INT_MIN
from .exprplaces import decimal_places
from .facts.schema import FACT_TABLES
from .scorecard import Scorecard

Severity = Literal["info", "minor", "major", "critical"]
SEVERITIES: tuple[Severity, ...] = ("info", "minor", "major", "critical")
PARAM_TYPES: tuple[ValueType, ...] = ("int", "float", "bool", "str", "str_list")
#: the forms a text parameter's texts may be declared to take (``form:``)
PARAM_FORMS = ("domain",)
# Names a reviewer reads in rule lists and reports, so ASCII only: no look-alike letters, no
# invisible or direction-turning characters.  Patterns JSON Schema can use too; in Python,
# ``fullmatch`` them (``$`` matches before a final line feed: "ATT-LATE\n").
RULE_ID = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")
RULESET_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
GROUP_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
#: a parameter's name is one a condition can read: not a word of Python's (``and``, ``if``)
PARAM_NAME = re.compile(rf"^(?!({'|'.join(keyword.kwlist)})$)[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Text:
    """A bilingual text."""

    zh: str
    en: str


@dataclass(frozen=True)
class Param:
    name: str
    type: ValueType
    default: Any
    minimum: float | None
    maximum: float | None
    doc: Text
    ruleset: str
    #: the parameter whose value this one may not exceed (a grace, its serious threshold)
    at_most: str | None = None
    #: what each text of a ``str`` or ``str_list`` parameter is (``domain``: for domain_matches)
    form: str | None = None
    #: the decimal places a ``float`` parameter's value may have: those its rules keep of
    #: what they compare it with (satisfaction to 2, an amount to 4); None: any
    places: int | None = None

    def check(self, value: Any) -> Any:
        """The value if it fits this parameter; ValueError saying what fits otherwise."""
        if not fits(self.type, value):
            hint = (
                text_number_hint(value)
                if self.type in ("int", "float")
                else boolean_text_hint(value)
                if self.type in ("str", "str_list")
                else ""
            )
            raise ValueError(f"{self.name} must be {_type_words(self.type)}, found {value!r}{hint}")
        if self.type == "int" and not INT_MIN <= value <= INT_MAX:
            raise ValueError(
                f"{self.name} must be a whole number that fits in 64 bits, found {_shown(value)}"
            )
        if self.type == "float" and not finite(value):
            raise ValueError(f"{self.name} must be a finite number, found {_shown(value)}")
        if self.minimum is not None and value < self.minimum:
            raise ValueError(f"{self.name} must be at least {self.minimum}, found {value!r}")
        if self.maximum is not None and value > self.maximum:
            raise ValueError(f"{self.name} must be at most {self.maximum}, found {value!r}")
        if self.places is not None and (places := decimal_places(value)) > self.places:
            raise ValueError(
                f"{self.name} has {places} decimal place{'' if places == 1 else 's'} "
                f"({value!r}), but what "
                f"it is compared with is kept to {self.places}: give at most {self.places} (a "
                f"value between two such figures is compared with one rounded past it)"
            )
        if self.form == "domain":
            for text in [value] if isinstance(value, str) else value:
                problem = domain_problem(text)
                if problem is not None:
                    raise ValueError(f"{self.name}: {text!r} {problem}")
        return list(value) if self.type == "str_list" else value

    def range_text(self) -> str:
        low = "" if self.minimum is None else _bound_text(self.minimum)
        high = "" if self.maximum is None else _bound_text(self.maximum)
        text = f"{low}..{high}" if (low or high) else ""
        if self.at_most:
            text = f"{text}, at most {self.at_most}".removeprefix(", ")
        if self.places is not None:
            text = f"{text}, {self.places} decimal places at most".removeprefix(", ")
        return text


def _bound_text(bound: float) -> str:
    """A bound as a range writes it: a whole number in its digits (100000000, not 1e+08)."""
    return str(bound) if isinstance(bound, int) else f"{bound:g}"


@dataclass(frozen=True)
class Rule:
    rule_id: str
    ruleset: str
    title: Text
    clauses: tuple[str, ...]
    #: other sources than the handbook (the Labour Law), each in both languages
    references: tuple[Text, ...]
    severity: Severity
    facts: str
    when: str
    evidence: tuple[str, ...]
    sources: tuple[str, ...]
    message: Text
    path: str
    line: int
    #: a condition marking fact rows whose window has not closed yet (counted, not judged)
    pending: str | None = None
    #: rules of one group judge the same fact rows; a row yields the most severe finding only
    exclusive_group: str | None = None
    #: for facts built from earlier findings: the rule ids whose findings are counted
    counts: tuple[str, ...] = ()

    @property
    def citation(self) -> str:
        """What the rule enforces, in a terminal's column: its clauses (``4.3,8.1``), else
        ``law`` for a rule citing other references (the Labour Law), else ``-``."""
        return ",".join(self.clauses) or ("law" if self.references else "-")


@dataclass(frozen=True)
class CompiledRule:
    rule: Rule
    condition: Condition
    pending: Condition | None = None

    def conditions(self) -> list[Condition]:
        return [c for c in (self.condition, self.pending) if c is not None]

    def condition_params(self) -> set[str]:
        """The parameters its conditions name."""
        return {name for c in self.conditions() for name in c.params}

    def derivation_params(self) -> set[str]:
        """The other parameters it depends on: those read while deriving a fact column it
        reads (in a condition, as evidence or as a source)."""
        columns = {name for c in self.conditions() for name in c.columns}
        reads = columns | {*self.rule.evidence, *self.rule.sources}
        return FACT_TABLES[self.rule.facts].params_shaping(reads) - self.condition_params()


@dataclass(frozen=True)
class RuleSet:
    name: str
    title: Text
    params: dict[str, Param]
    rules: tuple[Rule, ...]
    path: str
    #: the ``scoring:`` section (rules/assessment.yaml), checked with the defaults at load
    scoring: Scorecard | None = None

    def compile(self, params: Mapping[str, tuple[ValueType, object]]) -> list[CompiledRule]:
        """Compile every rule's condition with these (type, value) parameters."""
        compiled = []
        for rule in self.rules:
            columns = FACT_TABLES[rule.facts].condition_types()
            pending = compile_condition(rule.pending, columns, params) if rule.pending else None
            compiled.append(
                CompiledRule(rule, compile_condition(rule.when, columns, params), pending)
            )
        return compiled


def fits(kind: str, value: Any) -> bool:
    """Whether ``value`` is of the parameter type ``kind``."""
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "float":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "str":
        return isinstance(value, str)
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def text_number_hint(value: Any) -> str:
    """Why a number came as text, where it did: YAML 1.1 reads ``1e3`` as text, and a
    number in quotes is text; else nothing."""
    if not isinstance(value, str) or not _numeric(value):
        return ""
    if "e" in value.lower():
        return " (YAML reads 1e3 as text: write 1000, or 1.0e+3)"
    if re.fullmatch(r"[-+]?0[0-9_]+", value.strip()):  # 08, which YAML 1.1 takes for no number
        return " (YAML reads a whole number with a leading zero as text: write it without the zero)"
    return " (a number in quotes is text: write it without them)"


def boolean_text_hint(value: Any) -> str:
    """Why a text came as true or false, where it did: YAML 1.1 reads yes, no, on, off
    (and y, n) without quotes as booleans, Norway's country code NO too; else nothing."""
    values = value if isinstance(value, list) else [value]
    if not any(isinstance(v, bool) for v in values):
        return ""
    return (
        " (YAML reads yes, no, on, off, y and n without quotes as true or false, the "
        "country code NO too: write the text in quotes, 'NO')"
    )


def base_60(written: str | None, value: Any) -> str | None:
    """Why the number YAML read from a value written plain as ``written`` is not the number
    meant: YAML 1.1 reads ``1:30`` in base 60, as 90 (as it reads a time), and ``1:30.5`` as
    90.5; None for any other value."""
    if written is None or ":" not in written or not fits("float", value):
        return None
    return (
        f"YAML reads {written} as {value!r}, in base 60 (as it reads a time): write the number "
        f"itself, {value!r} if that is meant"
    )


def _numeric(text: str) -> bool:
    """Whether text reads as a number (what YAML 1.1 leaves as text: 1e3, 1_000.5e2)."""
    try:
        float(text)
    except ValueError:
        return False
    return True


def finite(value: float) -> bool:
    """Whether a number is finite and within a float's range (a huge int is not)."""
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def _shown(value: float) -> str:
    """A number for a message: an int too long to print in full by its size."""
    if isinstance(value, int) and value.bit_length() > 256:
        return f"a {value.bit_length()}-bit number"
    return repr(value)


def _type_words(kind: str) -> str:
    return {
        "int": "a whole number",
        "float": "a number",
        "bool": "true or false",
        "str": "a text",
        "str_list": "a list of texts",
    }[kind]
