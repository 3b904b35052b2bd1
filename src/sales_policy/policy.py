"""A policy: the rule sets in force, their parameters, the schedule, calendar and timezone.

``load_policy()`` gives the handbook's policy (the rule files shipped with the package);
``load_policy("company.yaml")`` applies a company's policy file on top of it::

    timezone: Asia/Shanghai
    schedule: {start: "09:00", end: "18:00", breaks: [["12:00", "13:00"]],
               workdays: [mon, tue, wed, thu, fri], day_start: "00:00"}
    calendar: {country: CN, holidays: [2026-12-31], working_days: [], supplied_years: []}
    params: {late_grace_minutes: 10}
    disable: [ATT-LEFT-POST]
    rule_files: [our_rules.yaml]      # relative to this file, and inside its folder
    columns: {punch: {fields: {工号: employee_id, 打卡时间: at}}}   # foreign exports

A policy is immutable and holds no global state: two policies can be used side by side.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .calendar import Schedule, WorkingCalendar
from .checking import check_records
from .errors import InvalidArgument, PolicyError, RuleFileError, kind_of, suggest
from .expr import ValueType
from .findings import CheckResult
from .mapping import ColumnMapping, parse_mapping
from .policyfile import (
    SCHEDULE_KEYS,
    check_across_files,
    declared_later,
    read_calendar,
    read_disable,
    read_rule_files,
    read_schedule,
    read_section,
)
from .policyparams import check_together
from .rulefile import load_ruleset
from .rulesets import CompiledRule, Param, Rule, RuleSet, base_60
from .rulesnapshot import default_rule_dir as default_rule_dir  # the package's rules/
from .yamlfile import LocatedDict, read_yaml_file
from .zones import is_known_timezone

DEFAULT_TIMEZONE = "Asia/Shanghai"
#: the handbook's rule sets, in the order they are loaded
DEFAULT_RULESETS = (
    "attendance",
    "discipline",
    "integrity",
    "confidentiality",
    "customer_care",
    "assessment",
)
_POLICY_KEYS = (
    "timezone",
    "schedule",
    "calendar",
    "params",
    "disable",
    "rule_files",
    "columns",
)


@dataclass(frozen=True, repr=False)
class Policy:
    """Rule sets with parameter values, schedule, calendar and timezone; see the module doc."""

    rulesets: tuple[RuleSet, ...]
    params: Mapping[str, Any]
    timezone: str = DEFAULT_TIMEZONE
    schedule: Schedule = field(default_factory=Schedule)
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar)
    disabled: frozenset[str] = frozenset()
    path: str | None = None
    compiled: tuple[CompiledRule, ...] = field(default=(), repr=False)
    #: how foreign exports' columns and values are read (the ``columns`` key; ``--map``)
    columns: ColumnMapping = field(default_factory=ColumnMapping)

    def __post_init__(self) -> None:
        # read-only, as the policy is: a value set in it would reach the facts but not the
        # conditions compiled with the old one (``with_params`` makes a changed policy)
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))
        # checked here too, as a policy file's are, for a policy made or changed in Python
        # (``dataclasses.replace(policy, timezone=...)``): an unknown zone had reached polars
        if not isinstance(self.timezone, str) or not is_known_timezone(self.timezone):
            raise InvalidArgument(
                f"unknown timezone {self.timezone!r} (expected an IANA name like Asia/Shanghai)"
            )
        for name, kind in (("schedule", Schedule), ("calendar", WorkingCalendar)):
            if not isinstance(getattr(self, name), kind):
                raise InvalidArgument(
                    f"a policy's {name} is a sales_policy.{kind.__name__}, "
                    f"not {type(getattr(self, name)).__name__}"
                )
        if self.calendar.weekdays != self.schedule.workdays:
            # the calendar judges each date by its weekdays, which a policy file sets from
            # schedule.workdays: a schedule changed alone would change nothing
            raise InvalidArgument(
                f"the calendar's weekdays ({sorted(self.calendar.weekdays)}) are not the "
                f"schedule's workdays ({sorted(self.schedule.workdays)}): give both, "
                f"{_BOTH_WORKDAYS}"
            )
        check_across_files(self.rulesets)
        if not self.compiled:
            compiled = [c for rs in self.rulesets for c in rs.compile(self.typed_params(rs.name))]
            object.__setattr__(self, "compiled", tuple(compiled))

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled without its compiled conditions (closures), compiled again when loaded:
        a policy can be sent to worker processes."""
        fields = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        return (_unpickled, (fields | {"compiled": (), "params": dict(self.params)},))

    def __repr__(self) -> str:
        """One line: the rule sets, the rules in force, where the policy comes from and what
        it changes (every rule and parameter would make a page: ``rules``, ``params``)."""
        declared = self.declared_params()
        changed = [
            f"{name}={value!r}"
            for name, value in self.params.items()
            if name in declared and value != declared[name].default
        ]
        in_force = len(self.rules)
        return (
            f"<Policy: {len(self.rulesets)} rule sets "
            f"({', '.join(rs.name for rs in self.rulesets)}), {in_force} rules in force"
            + (f" ({len(self.compiled) - in_force} disabled)" if self.disabled else "")
            + f", timezone {self.timezone}"
            + (f", from {self.path}" if self.path else "")
            + (f", params changed: {', '.join(changed)}" if changed else "")
            + ">"
        )

    def declared_params(self) -> dict[str, Param]:
        return {name: p for rs in self.rulesets for name, p in rs.params.items()}

    def typed_params(self, ruleset: str | None = None) -> dict[str, tuple[ValueType, object]]:
        """Each parameter's type and value, as conditions are compiled with them; with
        ``ruleset``, those its conditions see: its own and those of the rule sets loaded
        before it (a company's parameter may have the name of a column that an earlier rule
        set's condition reads)."""
        types: dict[str, ValueType] = {}
        for rs in self.rulesets:
            types |= {p.name: p.type for p in rs.params.values()}
            if rs.name == ruleset:
                break
        return {name: (types[name], value) for name, value in self.params.items() if name in types}

    @property
    def rules(self) -> list[Rule]:
        """Every rule in force (disabled ones left out), in file order."""
        return [c.rule for c in self.compiled if c.rule.rule_id not in self.disabled]

    def all_rules(self) -> list[Rule]:
        return [c.rule for c in self.compiled]

    def rule(self, rule_id: str) -> Rule:
        if not isinstance(rule_id, str):
            raise InvalidArgument(f"a rule id is text, not {type(rule_id).__name__}")
        for rule in self.all_rules():
            if rule.rule_id == rule_id:
                return rule
        known = tuple(r.rule_id for r in self.all_rules())
        raise InvalidArgument(f"unknown rule {rule_id!r}{suggest(rule_id, known)}")

    def with_params(self, **values: Any) -> Policy:
        """The same policy with some parameters changed (checked like a policy file's)."""
        declared = self.declared_params()
        merged = dict(self.params)
        for name, value in values.items():
            if name == "workdays" and name not in declared:
                raise InvalidArgument(
                    f"'workdays' is a setting of the schedule and the calendar, not a rule "
                    f"parameter: give it under schedule: in the policy file, or {_BOTH_WORKDAYS}"
                )
            if name not in declared and name in SCHEDULE_KEYS:
                raise InvalidArgument(
                    f"{name!r} is a setting of the schedule, not a rule parameter: give it under "
                    "schedule: in the policy file, or dataclasses.replace(policy, "
                    f"schedule=dataclasses.replace(policy.schedule, {name}=...))"
                )
            if name not in declared:
                raise InvalidArgument(f"unknown parameter {name!r}{suggest(name, tuple(declared))}")
            try:
                merged[name] = declared[name].check(value)
            except ValueError as exc:
                raise InvalidArgument(f"{exc}{_range(declared[name])}") from None
        changed = replace(self, params=merged, compiled=())
        # checked as given here, InvalidArgument: the policy file loaded, and its lines are
        # not where these values were set
        check_together(replace(changed, path=None))
        return changed

    def check(
        self,
        records: Any,
        start: dt.date | None = None,
        end: dt.date | None = None,
        *,
        record_type: str | None = None,
        rulesets: Iterable[str] | None = None,
    ) -> CheckResult:
        """Judge records (objects, dicts, file paths or a DataFrame) over a period.

        Without ``start``/``end`` the period runs from the first to the last local date with
        a punch or a visit.  Rejected rows are in ``result.rejects``; nothing is dropped.
        (The command passes inputs it read ahead, as ``RawInputs`` read with this policy's
        column mapping: ``sales_policy.prefetch``.)
        """
        return check_records(self, records, start, end, record_type=record_type, rulesets=rulesets)


#: how a policy made in Python changes its working weekdays (0 = Monday)
_BOTH_WORKDAYS = (
    "dataclasses.replace(policy, schedule=dataclasses.replace(policy.schedule, workdays=days), "
    "calendar=dataclasses.replace(policy.calendar, weekdays=days))"
)


def _unpickled(fields: dict[str, Any]) -> Policy:
    return Policy(**fields)


def _range(param: Param) -> str:
    text = param.range_text()
    return f" (range {text})" if text else ""


def load_policy(path: str | Path | None = None) -> Policy:
    """The handbook's policy, with a company's policy file applied when ``path`` is given."""
    rule_dir = default_rule_dir()
    rulesets: list[RuleSet] = []
    declared: dict[str, Param] = {}
    for name in DEFAULT_RULESETS:
        shipped = rule_dir / f"{name}.yaml"
        if not shipped.is_file():  # the handbook's policy is never judged in part
            raise PolicyError(
                "the handbook's rule file is missing: sales_policy is not completely "
                "installed (install it again)",
                path=shipped,
            )
        ruleset = load_ruleset(shipped, outer_params=declared)
        rulesets.append(ruleset)
        declared.update(ruleset.params)
    if path is not None and not isinstance(path, str | Path):
        raise InvalidArgument(f"a policy file is a path (str or Path), not {type(path).__name__}")
    if path is None:
        default = Policy(tuple(rulesets), {n: p.default for n, p in declared.items()})
        check_together(default)
        return default
    path = Path(path)
    text = str(path)
    data = read_yaml_file(path, error=PolicyError)
    if not isinstance(data, LocatedDict):
        raise PolicyError(
            f"a policy file must be a mapping of settings, found {kind_of(data)}",
            path=path,
            line=1,
        )
    for key in data:
        if key not in _POLICY_KEYS:
            raise PolicyError(
                f"unknown key {key!r}{suggest(key, _POLICY_KEYS)}",
                path=path,
                line=data.line_of(key),
            )
    files = read_rule_files(data, path) if "rule_files" in data else []
    for index, file in enumerate(files):
        try:
            ruleset = load_ruleset(file, outer_params=declared)
        except RuleFileError as exc:
            raise declared_later(exc, file, files[index + 1 :]) from None
        first = next((rs for rs in rulesets if rs.name == ruleset.name), None)
        if first is not None:
            raise PolicyError(
                f"rule file {file}: rule set {ruleset.name!r} is already loaded from {first.path}",
                path=path,
                line=data["rule_files"].line_of(index),
            )
        rulesets.append(ruleset)
        declared.update(ruleset.params)
    params = {n: p.default for n, p in declared.items()}
    if "params" in data:
        given = read_section(data, "params", tuple(declared), text)
        for name, value in given.items():
            try:
                misread = base_60(given.plain(name), value)
                if misread is not None:
                    raise ValueError(f"{name}: {misread}")
                params[name] = declared[name].check(value)
            except ValueError as exc:
                raise PolicyError(
                    f"params: {exc}{_range(declared[name])}",
                    path=path,
                    line=given.line_of(name),
                ) from None
    timezone = data.get("timezone", DEFAULT_TIMEZONE)
    if not isinstance(timezone, str) or not is_known_timezone(timezone):
        raise PolicyError(
            f"unknown timezone {timezone!r} (expected an IANA name like Asia/Shanghai)",
            path=path,
            line=data.line_of("timezone"),
        )
    schedule = read_schedule(data, text) if "schedule" in data else Schedule()
    calendar = (
        read_calendar(data, text, schedule.workdays)
        if "calendar" in data
        else WorkingCalendar(weekdays=schedule.workdays)
    )
    disabled = read_disable(data, path, [r.rule_id for rs in rulesets for r in rs.rules])
    columns = (
        parse_mapping(data["columns"], path=path, line=data.line_of("columns"), prefix="columns.")
        if "columns" in data
        else ColumnMapping()
    )
    policy = Policy(
        tuple(rulesets),
        params,
        timezone,
        schedule,
        calendar,
        disabled,
        text,
        columns=columns,
    )
    check_together(policy)
    return policy
