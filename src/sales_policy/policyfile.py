"""The sections of a company's policy file (``schedule``, ``calendar``, ``rule_files``,
``disable``, and any mapping such as ``params``: ``read_section``), read with the file and
line of every error; what the rule files of a policy cannot check one by one
(``check_across_files``); and the hint for a parameter of a rule file listed too late
(``declared_later``).  ``sales_policy.policy`` puts a policy together from them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .calendar import WEEKDAY_NAMES, Schedule, WorkingCalendar
from .errors import PolicyError, RuleFileError, suggest
from .rulesets import Rule, RuleSet
from .yamlfile import LocatedDict, LocatedList, read_yaml_file


def check_across_files(rulesets: tuple[RuleSet, ...]) -> None:
    """What one rule file cannot check alone: ids unique across files, counted rules that
    exist and are judged first, exclusive groups over one fact table, and the parameters
    a rule's facts are derived with declared by some file."""
    from .facts.schema import FACT_TABLES

    declared = {name for ruleset in rulesets for name in ruleset.params}

    rules: dict[str, Rule] = {}
    for ruleset in rulesets:
        for rule in ruleset.rules:
            if rule.rule_id in rules:
                first = rules[rule.rule_id]
                raise RuleFileError(
                    f"rule id {rule.rule_id} is also defined at {first.path}:{first.line}",
                    path=rule.path,
                    line=rule.line,
                )
            rules[rule.rule_id] = rule
    groups: dict[str, Rule] = {}
    for rule in rules.values():
        for counted in rule.counts:
            target = rules.get(counted)
            if target is None:
                raise RuleFileError(
                    f"rule {rule.rule_id} counts {counted!r}, which is no rule of the policy"
                    f"{suggest(counted, tuple(rules))}",
                    path=rule.path,
                    line=rule.line,
                )
            if FACT_TABLES[target.facts].stage != 1:
                raise RuleFileError(
                    f"rule {rule.rule_id} counts {counted!r}, which counts findings itself: "
                    "a rule counts rules judged from records",
                    path=rule.path,
                    line=rule.line,
                )
        for name, _ in FACT_TABLES[rule.facts].params:
            if name not in declared:
                raise RuleFileError(
                    f"rule {rule.rule_id} judges {rule.facts} facts, which are derived with "
                    f"parameter {name!r}; no rule file declares it",
                    path=rule.path,
                    line=rule.line,
                )
        if rule.exclusive_group:
            first = groups.setdefault(rule.exclusive_group, rule)
            if first.facts != rule.facts:
                raise RuleFileError(
                    f"rule {rule.rule_id} is in exclusive_group {rule.exclusive_group!r} with "
                    f"{first.rule_id}, but judges {rule.facts}, not {first.facts}",
                    path=rule.path,
                    line=rule.line,
                )


def _time(value: Any, where: LocatedDict, key: str, path: str) -> dt.time:
    if isinstance(value, str) and _CLOCK.match(value):
        try:
            return dt.time.fromisoformat(value)
        except ValueError:
            pass
    raise PolicyError(
        f'{key} must be a time in quotes like "09:00", found {value!r}',
        path=path,
        line=where.line_of(key),
    )


#: a time of the schedule: hours and minutes, perhaps seconds; no fraction, no offset
_CLOCK = re.compile(r"\d\d:\d\d(:\d\d)?\Z")
#: the years a policy may supply a calendar for
SUPPLIED_YEARS = range(1900, 2201)


def _dates(section: LocatedDict, key: str, path: str) -> frozenset[dt.date]:
    values = section.get(key, [])
    if not isinstance(values, list) or not all(
        isinstance(v, dt.date) and not isinstance(v, dt.datetime) for v in values
    ):
        raise PolicyError(
            f"calendar.{key} must be a list of dates like 2026-12-31",
            path=path,
            line=section.line_of(key),
        )
    return frozenset(values)


def read_section(data: LocatedDict, key: str, allowed: tuple[str, ...], path: str) -> LocatedDict:
    section = data[key]
    if not isinstance(section, LocatedDict):
        raise PolicyError(f"{key} must be a mapping", path=path, line=data.line_of(key))
    for name in section:
        if name not in allowed:
            raise PolicyError(
                f"unknown key {name!r} in {key}{suggest(name, allowed)}",
                path=path,
                line=section.line_of(name),
            )
    return section


def read_schedule(data: LocatedDict, path: str) -> Schedule:
    section = read_section(data, "schedule", ("start", "end", "breaks", "workdays"), path)
    default = Schedule()
    start = _time(section["start"], section, "start", path) if "start" in section else default.start
    end = _time(section["end"], section, "end", path) if "end" in section else default.end
    breaks = default.breaks
    if "breaks" in section:
        raw = section["breaks"]
        if not isinstance(raw, LocatedList) or not all(
            isinstance(b, list) and len(b) == 2 for b in raw
        ):
            raise PolicyError(
                'breaks must be a list of ["start", "end"] pairs',
                path=path,
                line=section.line_of("breaks"),
            )
        breaks = tuple(
            (_time(a, section, "breaks", path), _time(b, section, "breaks", path)) for a, b in raw
        )
    workdays = default.workdays
    if "workdays" in section:
        names = section["workdays"]
        if not isinstance(names, list) or any(n not in WEEKDAY_NAMES for n in names):
            raise PolicyError(
                f"workdays must be a list of {', '.join(WEEKDAY_NAMES)}",
                path=path,
                line=section.line_of("workdays"),
            )
        for index, name in enumerate(names):
            if name in names[:index]:
                raise PolicyError(
                    f"workdays lists {name} twice",
                    path=path,
                    line=names.line_of(index)
                    if isinstance(names, LocatedList)
                    else section.line_of("workdays"),
                )
        workdays = frozenset(WEEKDAY_NAMES.index(n) for n in names)
    try:
        return Schedule(start, end, breaks, workdays)
    except ValueError as exc:
        raise PolicyError(str(exc), path=path, line=section.line) from None


def read_calendar(data: LocatedDict, path: str, workdays: frozenset[int]) -> WorkingCalendar:
    section = read_section(
        data, "calendar", ("country", "holidays", "working_days", "supplied_years"), path
    )
    years = section.get("supplied_years", [])
    if not isinstance(years, list) or not all(
        isinstance(y, int) and not isinstance(y, bool) and y in SUPPLIED_YEARS for y in years
    ):
        raise PolicyError(
            "calendar.supplied_years must be a list of years like 2027 "
            f"({SUPPLIED_YEARS.start} to {SUPPLIED_YEARS.stop - 1}), found {years!r}",
            path=path,
            line=section.line_of("supplied_years"),
        )
    country = section.get("country", "CN")
    if country is not None and not isinstance(country, str):
        raise PolicyError(
            "calendar.country must be a country code like CN, or null",
            path=path,
            line=section.line_of("country"),
        )
    holidays = _dates(section, "holidays", path)
    working_days = _dates(section, "working_days", path)
    try:
        return WorkingCalendar(
            country=country,
            extra_holidays=holidays,
            extra_working_days=working_days,
            supplied_years=frozenset(years),
            weekdays=workdays,
        )
    except ValueError as exc:
        raise PolicyError(str(exc), path=path, line=section.line) from None


def read_rule_files(data: LocatedDict, path: Path) -> list[Path]:
    names = data["rule_files"]
    if not isinstance(names, LocatedList) or not all(isinstance(n, str) for n in names):
        raise PolicyError(
            "rule_files must be a list of file names", path=path, line=data.line_of("rule_files")
        )
    folder = path.parent.resolve()
    files: dict[Path, int] = {}
    for index, name in enumerate(names):
        line = names.line_of(index)
        if "\0" in name:
            raise PolicyError(
                f"rule file {name!r}: a file name cannot contain a null character",
                path=path,
                line=line,
            )
        try:
            target = (folder / name).resolve()
        except (OSError, RuntimeError) as exc:  # a symbolic link loop, on Python 3.11 too
            raise PolicyError(
                f"rule file {name!r} cannot be resolved: {exc}", path=path, line=line
            ) from None
        if not target.is_relative_to(folder):
            raise PolicyError(
                f"rule file {name!r} lies outside the policy's folder {folder}",
                path=path,
                line=line,
            )
        if target in files:
            raise PolicyError(
                f"rule file {name!r} is listed twice (first at line {files[target]})",
                path=path,
                line=line,
            )
        if not target.is_file():
            what = "is a folder" if target.is_dir() else "does not exist"
            raise PolicyError(f"rule file {name!r} {what} ({target})", path=path, line=line)
        files[target] = line
    return list(files)


def read_disable(data: LocatedDict, path: Path, known: list[str]) -> frozenset[str]:
    """The ``disable`` section: rule ids among ``known``, each once."""
    disabled = data.get("disable", LocatedList())
    if not isinstance(disabled, LocatedList) or not all(isinstance(d, str) for d in disabled):
        raise PolicyError(
            "disable must be a list of rule ids", path=path, line=data.line_of("disable")
        )
    for index, rule_id in enumerate(disabled):
        if rule_id not in known:
            raise PolicyError(
                f"disable: unknown rule {rule_id!r}{suggest(rule_id, known)}",
                path=path,
                line=disabled.line_of(index),
            )
        if rule_id in disabled[:index]:
            earlier = disabled.line_of(disabled.index(rule_id))
            raise PolicyError(
                f"disable: {rule_id} is listed twice (first at line {earlier})",
                path=path,
                line=disabled.line_of(index),
            )
    return frozenset(disabled)


def declared_later(error: RuleFileError, file: Path, later: Sequence[Path]) -> RuleFileError:
    """``error``, raised loading rule file ``file``, with a hint when the unknown name it
    reports is a parameter declared by a rule file the policy lists after ``file``: a file
    sees the parameters of the files loaded before it."""
    for other in later:
        try:
            data = read_yaml_file(other, error=RuleFileError)
        except RuleFileError:  # it says so itself when loaded
            continue
        params = data.get("params") if isinstance(data, LocatedDict) else None
        for name in params if isinstance(params, LocatedDict) else ():
            if f"unknown name {name!r}" in error.message:
                return RuleFileError(
                    f"{error.message} ({name} is a parameter of {other}, which rule_files "
                    f"lists after {file}: list {other.name} first)",
                    path=error.path,
                    line=error.line,
                    column=error.column,
                )
    return error
