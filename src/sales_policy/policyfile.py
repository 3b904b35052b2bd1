"""The sections of a company's policy file (``schedule``, ``calendar``, ``rule_files``,
``disable``, and any mapping such as ``params``: ``read_section``), read with the file and
line of every error; what the rule files of a policy cannot check one by one
(``check_across_files``); and the hint for a parameter of a rule file listed too late
(``declared_later``).  ``sales_policy.policy`` puts a policy together from them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .calendar import WEEKDAY_NAMES, ListedTwice, Schedule, ScheduleError, WorkingCalendar
from .errors import PolicyError, RuleFileError, kind_of, suggest
from .rulesets import Rule, RuleSet, boolean_text_hint
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
            if FACT_TABLES[target.facts].grain == "month":  # it could never fire
                raise RuleFileError(
                    f"rule {rule.rule_id} counts {counted!r}, a rule of months, whose findings "
                    "have no date: finding_month counts the findings of days and events",
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


def _time(value: Any, key: str, path: str, line: int) -> dt.time:
    if isinstance(value, str) and _CLOCK.match(value):
        try:
            return dt.time.fromisoformat(value)
        except ValueError:
            pass
    raise PolicyError(
        f'{key} must be a time in quotes like "09:00", found {value!r}', path=path, line=line
    )


def _item_line(values: Any, index: int, otherwise: int) -> int:
    """The line of item ``index`` of a list read from the file, else ``otherwise``."""
    return values.line_of(index) if isinstance(values, LocatedList) else otherwise


def _wrong_line(values: Any, ok: Callable[[Any], bool], otherwise: int) -> int | None:
    """The line of the first item of the list ``values`` that is not ``ok``; ``otherwise``
    (the line of its key) when ``values`` is no list; None when every item is ``ok``."""
    if not isinstance(values, list):
        return otherwise
    wrong = next((i for i, value in enumerate(values) if not ok(value)), None)
    return None if wrong is None else _item_line(values, wrong, otherwise)


def _is_date(value: Any) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _is_year(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value in SUPPLIED_YEARS


#: a time of the schedule: hours and minutes, perhaps seconds; no fraction, no offset
_CLOCK = re.compile(r"\d\d:\d\d(:\d\d)?\Z")
#: the years a policy may supply a calendar for
SUPPLIED_YEARS = range(1900, 2201)


def _dates(section: LocatedDict, key: str, path: str) -> dict[dt.date, int]:
    """A list of dates of the calendar, each with its line (the first, if listed twice)."""
    values = section.get(key, [])
    wrong = _wrong_line(values, _is_date, section.line_of(key))
    if wrong is not None:
        raise PolicyError(
            f"calendar.{key} must be a list of dates like 2026-12-31", path=path, line=wrong
        )
    lines: dict[dt.date, int] = {}
    for index, day in enumerate(values):
        lines.setdefault(day, _item_line(values, index, section.line_of(key)))
    return lines


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


#: the keys of a policy file's ``schedule:``, the fields of ``calendar.Schedule``
SCHEDULE_KEYS = ("start", "end", "breaks", "workdays", "day_start")


def read_schedule(data: LocatedDict, path: str) -> Schedule:
    section = read_section(data, "schedule", SCHEDULE_KEYS, path)
    default = Schedule()
    start, end, day_start = (
        _time(section[key], key, path, section.line_of(key)) if key in section else fallback
        for key, fallback in (
            ("start", default.start),
            ("end", default.end),
            ("day_start", default.day_start),
        )
    )
    breaks = default.breaks
    raw: Any = section.get("breaks")
    if "breaks" in section:
        if not isinstance(raw, LocatedList):
            raise PolicyError(_PAIRS, path=path, line=section.line_of("breaks"))
        pairs = []
        for index, pair in enumerate(raw):
            if not isinstance(pair, LocatedList) or len(pair) != 2:
                raise PolicyError(_PAIRS, path=path, line=raw.line_of(index))
            begin, finish = (_time(pair[i], "breaks", path, pair.line_of(i)) for i in (0, 1))
            pairs.append((begin, finish))
        breaks = tuple(pairs)
    workdays = default.workdays
    if "workdays" in section:
        names = section["workdays"]
        wrong = _wrong_line(names, WEEKDAY_NAMES.__contains__, section.line_of("workdays"))
        if wrong is not None:
            raise PolicyError(
                f"workdays must be a list of {', '.join(WEEKDAY_NAMES)}", path=path, line=wrong
            )
        for index, name in enumerate(names):
            if name in names[:index]:
                raise PolicyError(
                    f"workdays lists {name} twice",
                    path=path,
                    line=_item_line(names, index, section.line_of("workdays")),
                )
        workdays = frozenset(WEEKDAY_NAMES.index(n) for n in names)
    try:
        return Schedule(start, end, breaks, workdays, day_start)
    except ScheduleError as exc:
        # the line of the value at fault: a break the file lists, else the start or the end
        # (of the default break, when the working hours leave it outside)
        key = next(k for k in (*exc.keys, "start") if k in section or k == "start")
        line = section.line_of(key)
        message = exc.message
        if key == "breaks" and exc.index is not None:
            line = raw.line_of(exc.index)
            if exc.other is not None and raw.line_of(exc.other) != line:
                message += f" (line {raw.line_of(exc.other)})"
        elif exc.index is not None:
            message += " (the default break; schedule.breaks sets others)"
        raise PolicyError(message, path=path, line=line) from None


#: what ``schedule.breaks`` must be
_PAIRS = 'breaks must be a list of ["start", "end"] pairs'


def read_calendar(data: LocatedDict, path: str, workdays: frozenset[int]) -> WorkingCalendar:
    section = read_section(
        data, "calendar", ("country", "holidays", "working_days", "supplied_years"), path
    )
    years = section.get("supplied_years", [])
    wrong = _wrong_line(years, _is_year, section.line_of("supplied_years"))
    if wrong is not None:
        raise PolicyError(
            "calendar.supplied_years must be a list of years like 2027 "
            f"({SUPPLIED_YEARS.start} to {SUPPLIED_YEARS.stop - 1}), found {years!r}",
            path=path,
            line=wrong,
        )
    country = section.get("country", "CN")
    if country is not None and not isinstance(country, str):
        raise PolicyError(
            "calendar.country must be a country code like CN, or null, found "
            f"{kind_of(country)}{boolean_text_hint(country)}",
            path=path,
            line=section.line_of("country"),
        )
    holidays = _dates(section, "holidays", path)
    working_days = _dates(section, "working_days", path)
    try:
        return WorkingCalendar(
            country=country,
            extra_holidays=frozenset(holidays),
            extra_working_days=frozenset(working_days),
            supplied_years=frozenset(years),
            weekdays=workdays,
        )
    except ListedTwice as exc:  # at the later of its two listings, naming the other
        places = sorted([(holidays[exc.day], "holidays"), (working_days[exc.day], "working_days")])
        (first, first_key), (line, _) = places
        earlier = f" ({first_key}, line {first})" if first != line else ""
        raise PolicyError(f"{exc}{earlier}", path=path, line=line) from None
    except ValueError as exc:  # the country: the rest is checked above
        raise PolicyError(str(exc), path=path, line=section.line_of("country")) from None


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
