"""The ``scoring:`` section of a rule file: how indicators and findings become scores.

The section names the indicators and their KPI weights, the indicators without which there
is no KPI score, the achievement cap, the points a finding costs by severity, the weights of
the overall score, the grades, the commission tiers and who is eligible for a bonus or a trip:
the lowest grade, the indicators that must be computed and the findings that bar it (see
docs/assessment.md).  Every number in it is a number or the name of a parameter of the same
rule file, so a company changes it in its policy file (``params:``) like any other parameter.

``Scorecard.resolve(params, fail)`` reads the section with those parameter values and checks
everything: its shape, and what only the numbers can tell (weights that add up to 1, tiers
without gaps or overlaps, grades in order).  ``read_scorecard`` resolves it with the defaults
when the rule file is loaded, so a broken file fails at load with its file and line; scoring
resolves it again with the policy's own values, into the ``ScoringValues`` of
:mod:`sales_policy.scoringvalues`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import RuleFileError, suggest
from .facts.money import parse_rate
from .scoringvalues import Blocker, ScoringValues, Tier
from .yamlfile import LocatedDict, LocatedList

#: the indicators a KPI can weigh (handbook 5.1, 9.1, 9.3)
INDICATORS = ("sales", "customers", "satisfaction", "growth", "training")
#: indicators whose full achievement is a number of the section; sales and customers are
#: measured against sales_target records, training against what was due
TARGETED = ("satisfaction", "growth")
SEVERITY_NAMES = ("info", "minor", "major", "critical")
_TOLERANCE = 1e-9
#: the keys of each part of the section, and of the items of its lists
KEYS = {
    "scoring": ("kpi", "conduct", "overall", "grades", "commission", "bonus", "trip"),
    "kpi": ("cap", "requires", "weights", "targets"),
    "conduct": ("points",),
    "overall": ("kpi", "conduct"),
    "grade": ("grade", "min"),
    "commission": ("basis", "tiers"),
    "tier": ("tier", "from", "to", "rate"),
    "bonus": ("min_grade", "requires", "blocked_by"),
    "blocked_by": ("min_severity", "rulesets"),
    "trip": ("min_grade", "top_percent", "requires", "blocked_by", "employed_to_end"),
}
#: the keys a part may leave out (a list left out is empty: no indicator required, no finding
#: that bars; ``employed_to_end`` left out is false: a leaver may have a trip)
OPTIONAL = {"targets", "basis", "to", "requires", "blocked_by", "rulesets", "employed_to_end"}
#: the parameter types a value of each kind may name (a text names a ``str`` parameter)
_DECLARED = {"number": ("int", "float"), "bool": ("bool",)}
#: a failure: message, line, and the parameters whose values made it
Fail = Callable[[str, int, tuple[str, ...]], Exception]


@dataclass(frozen=True)
class Scorecard:
    """The scoring section as written; ``resolve`` gives its numbers under a policy."""

    path: str
    line: int
    section: LocatedDict = field(compare=False, repr=False)
    #: the types of the rule file's parameters, which the section may name
    param_types: Mapping[str, str] = field(compare=False, repr=False)

    def resolve(self, params: Mapping[str, Any], fail: Fail) -> ScoringValues:
        """The section with ``params`` put in, checked; a problem raises ``fail(...)``."""
        return _Resolver(self, params, fail).values()

    def parameters(self) -> frozenset[str]:
        """The parameters the section names (constrained together: weights, tiers...)."""
        found: set[str] = {"currency_rates", "sales_currency"} & set(self.param_types)
        stack: list[Any] = [self.section]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, str) and item in self.param_types:
                found.add(item)
        return frozenset(found)


def read_scorecard(
    section: Any, *, path: str, line: int, params: Mapping[str, tuple[str, Any]]
) -> Scorecard:
    """The ``scoring:`` section of the rule file at ``path``, checked with the parameters'
    defaults (``params``: name -> (type, default)); errors are RuleFileError at file:line."""

    def fail(message: str, at: int, _params: tuple[str, ...] = ()) -> RuleFileError:
        return RuleFileError(f"scoring: {message}", path=path, line=at)

    if not isinstance(section, LocatedDict):
        raise fail("the section must be a mapping", line)
    card = Scorecard(path, line, section, {name: kind for name, (kind, _) in params.items()})
    card.resolve({name: default for name, (_, default) in params.items()}, fail)
    return card


class _Resolver:
    """Reads the section with parameter values; every problem is ``fail`` at its line."""

    def __init__(self, card: Scorecard, params: Mapping[str, Any], fail: Fail) -> None:
        self.card, self.params, self.fail = card, params, fail

    def error(self, message: str, line: int, *involved: str) -> Exception:
        return self.fail(message, line, involved)

    def keys(self, value: Any, shape: str, what: str, line: int) -> LocatedDict:
        if not isinstance(value, LocatedDict):
            raise self.error(f"{what} must be a mapping", line)
        for key in value:
            if key not in KEYS[shape]:
                raise self.error(
                    f"unknown key {key!r} in {what}{suggest(key, KEYS[shape])}",
                    value.line_of(key),
                )
        for key in KEYS[shape]:
            if key not in value and key not in OPTIONAL:
                raise self.error(f"{what} needs the key {key!r}", value.line)
        return value

    def part(self, parent: LocatedDict, key: str) -> LocatedDict:
        return self.keys(parent[key], key, key, parent.line_of(key))

    def param(self, mapping: LocatedDict, key: str) -> tuple[str, ...]:
        """The parameter a value names, if it names one."""
        raw = mapping.get(key)
        return (raw,) if isinstance(raw, str) and raw in self.card.param_types else ()

    def raw(self, mapping: LocatedDict, key: str, kind: str) -> Any:
        """A literal, or the value of the parameter it names (which must be of ``kind``:
        ``number``, ``text`` or ``bool``)."""
        raw, line = mapping[key], mapping.line_of(key)
        if self.param(mapping, key):
            declared = self.card.param_types[raw]
            if declared not in _DECLARED.get(kind, ("str",)):
                raise self.error(f"{key}: parameter {raw!r} is a {declared}, not a {kind}", line)
            return self.params[raw]
        if isinstance(raw, str) and kind in _DECLARED:
            what = "is neither a number nor" if kind == "number" else "is not true, false or"
            raise self.error(
                f"{key}: {raw!r} {what} a parameter of this file"
                f"{suggest(raw, tuple(self.card.param_types))}",
                line,
            )
        return raw

    def truth(self, mapping: LocatedDict, key: str, what: str) -> bool:
        """true or false, or a bool parameter; left out, false."""
        if key not in mapping:
            return False
        value = self.raw(mapping, key, "bool")
        if not isinstance(value, bool):
            raise self.error(
                f"{what} must be true or false, found {value!r}",
                mapping.line_of(key),
                *self.param(mapping, key),
            )
        return value

    def number(self, mapping: LocatedDict, key: str, what: str, low: float = 0.0) -> float:
        value = self.raw(mapping, key, "number")
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise self.error(f"{what} must be a number, found {value!r}", mapping.line_of(key))
        if not math.isfinite(value) or value < low:
            raise self.error(
                f"{what} must be at least {low:g}, found {value!r}",
                mapping.line_of(key),
                *self.param(mapping, key),
            )
        return float(value)

    def named(
        self, parent: LocatedDict, key: str, choices: tuple[str, ...], kind: str
    ) -> dict[str, float]:
        """A mapping of names from ``choices`` (indicators, severities) to numbers."""
        value = parent.get(key, LocatedDict())
        if not isinstance(value, LocatedDict):
            raise self.error(f"{key} must map {kind} names to numbers", parent.line_of(key))
        for name in value:
            if name not in choices:
                raise self.error(
                    f"{key}: unknown {kind} {name!r}{suggest(name, choices)}", value.line_of(name)
                )
        return {name: self.number(value, name, f"{key} {name}") for name in value}

    def listed(self, parent: LocatedDict, key: str, shape: str) -> list[tuple[str, LocatedDict]]:
        """A non-empty list of mappings of ``shape``, each named by its ``shape`` key, once."""
        items = parent[key]
        if not isinstance(items, LocatedList) or not items:
            raise self.error(f"{key} must be a non-empty list", parent.line_of(key))
        named: list[tuple[str, LocatedDict]] = []
        for index, item in enumerate(items):
            entry = self.keys(item, shape, f"a {shape}", items.line_of(index))
            name = entry[shape]
            if not isinstance(name, str) or not name.strip() or name in dict(named):
                raise self.error(f"{shape} {name!r} must be a text, used once", entry.line)
            named.append((name, entry))
        return named

    def adds_up(
        self, weights: dict[str, float], what: str, mapping: LocatedDict, line: int
    ) -> None:
        total = math.fsum(weights.values())
        if abs(total - 1) > _TOLERANCE:
            terms = " + ".join(f"{name} {weight:g}" for name, weight in weights.items())
            involved = [p for name in weights for p in self.param(mapping, name)]
            raise self.error(
                f"{what} add up to {total:g} ({terms}); they must add up to 1",
                line,
                *involved,
            )

    def values(self) -> ScoringValues:
        top = self.keys(self.card.section, "scoring", "scoring", self.card.line)
        kpi, conduct, overall = (self.part(top, key) for key in ("kpi", "conduct", "overall"))
        commission, bonus, trip = (self.part(top, key) for key in ("commission", "bonus", "trip"))
        weights = self.named(kpi, "weights", INDICATORS, "indicator")
        if not weights:
            raise self.error("kpi weights must name an indicator", kpi.line_of("weights"))
        self.adds_up(weights, "kpi weights", kpi["weights"], kpi.line_of("weights"))
        targets = self.named(kpi, "targets", TARGETED, "indicator")
        for name in TARGETED:
            if name in weights and name not in targets:
                raise self.error(
                    f"kpi targets needs {name!r}: the value that is full achievement", kpi.line
                )
        points = self.named(conduct, "points", SEVERITY_NAMES, "severity")
        if len(points) != len(SEVERITY_NAMES):
            raise self.error(
                f"conduct points needs every severity: {', '.join(SEVERITY_NAMES)}",
                conduct.line_of("points"),
            )
        shares = {key: self.number(overall, key, f"overall {key}") for key in ("kpi", "conduct")}
        self.adds_up(shares, "overall weights", overall, top.line_of("overall"))
        basis = commission.get("basis", "sales")
        if basis not in INDICATORS:
            raise self.error(
                f"commission basis: unknown indicator {basis!r}{suggest(str(basis), INDICATORS)}",
                commission.line_of("basis"),
            )
        grades = self.grades(top)
        currency = str(self.params.get("sales_currency", "CNY"))
        rates = {currency: 1.0}
        for entry in self.params.get("currency_rates", []):
            try:
                code, rate = parse_rate(entry, currency)
            except ValueError as exc:
                raise self.error(str(exc), self.card.line, "currency_rates") from None
            rates[code] = float(rate)
        top_percent = self.number(trip, "top_percent", "trip top_percent")
        if top_percent > 100:
            raise self.error(
                f"trip top_percent must be at most 100, found {top_percent:g}",
                trip.line_of("top_percent"),
                *self.param(trip, "top_percent"),
            )
        return ScoringValues(
            weights=weights,
            cap=self.number(kpi, "cap", "kpi cap", 1.0),
            kpi_requires=self.requires(kpi, "kpi"),
            targets={n: self.number(kpi["targets"], n, f"target {n}", _TOLERANCE) for n in targets},
            points=points,
            kpi_weight=shares["kpi"],
            conduct_weight=shares["conduct"],
            grades=grades,
            commission_basis=str(basis),
            tiers=self.tiers(commission),
            bonus_min_grade=self.grade(bonus, grades),
            blockers=self.blockers(bonus, "bonus"),
            trip_min_grade=self.grade(trip, grades),
            trip_top_percent=top_percent,
            bonus_requires=self.requires(bonus, "bonus"),
            trip_requires=self.requires(trip, "trip"),
            trip_blockers=self.blockers(trip, "trip"),
            trip_employed_to_end=self.truth(trip, "employed_to_end", "trip employed_to_end"),
            currency=currency,
            rates=rates,
        )

    def grades(self, top: LocatedDict) -> tuple[tuple[str, float], ...]:
        grades: list[tuple[str, float]] = []
        for name, entry in self.listed(top, "grades", "grade"):
            lowest = self.number(entry, "min", f"grade {name} min")
            if grades and lowest >= grades[-1][1]:
                raise self.error(
                    f"grade {name} starts at {lowest:g}, not below grade {grades[-1][0]} "
                    f"({grades[-1][1]:g}): list the grades from best to worst",
                    entry.line,
                    *self.param(entry, "min"),
                )
            grades.append((name, lowest))
        if grades[-1][1] != 0:
            raise self.error(
                f"the last grade, {grades[-1][0]}, must start at 0 so every score has a grade",
                top.line_of("grades"),
            )
        return tuple(grades)

    def grade(self, part: LocatedDict, grades: tuple[tuple[str, float], ...]) -> str:
        grade = self.raw(part, "min_grade", "text")
        names = [name for name, _ in grades]
        if grade not in names:
            raise self.error(
                f"min_grade {grade!r} is not a grade{suggest(str(grade), names)}",
                part.line_of("min_grade"),
                *self.param(part, "min_grade"),
            )
        return str(grade)

    def tiers(self, commission: LocatedDict) -> tuple[Tier, ...]:
        entries = self.listed(commission, "tiers", "tier")
        tiers: list[Tier] = []
        for index, (name, entry) in enumerate(entries):
            lower = self.number(entry, "from", f"tier {name!r} from")
            upper = self.number(entry, "to", f"tier {name!r} to") if "to" in entry else None
            tier = Tier(name, lower, upper, self.number(entry, "rate", f"tier {name!r} rate"))
            involved = (*self.param(entry, "from"), *self.param(entry, "to"))
            before = tiers[-1] if tiers else None
            if before is None and lower != 0:
                raise self.error(f"the first tier, {name!r}, must start at 0", entry.line)
            if before is not None and before.upper is not None and lower != before.upper:
                raise self.error(
                    f"{'a gap' if lower > before.upper else 'an overlap'} between tier "
                    f"{before.name!r} (to {before.upper:g}) and tier {name!r} (from {lower:g}): "
                    "a tier starts where the one before it ends",
                    entry.line,
                    *self.param(entries[index - 1][1], "to"),
                    *involved,
                )
            if before is not None and tier.rate < before.rate:
                raise self.error(
                    f"tier {name!r} pays {tier.rate:g}, less than tier {before.name!r} "
                    f"({before.rate:g}): rates must not fall as achievement rises",
                    entry.line,
                    *self.param(entry, "rate"),
                )
            if upper is not None and upper <= lower:
                raise self.error(
                    f"tier {name!r} runs from {lower:g} to {upper:g}: 'to' must be above 'from'",
                    entry.line,
                    *involved,
                )
            if (upper is None) != (index == len(entries) - 1):
                raise self.error(
                    f"tier {name!r}: the last tier, and only the last, has no 'to' (it is "
                    "open-ended)",
                    entry.line,
                )
            tiers.append(tier)
        return tuple(tiers)

    def requires(self, part: LocatedDict, what: str) -> tuple[str, ...]:
        """The indicators ``part`` (the KPI, the bonus, the trip) needs computed: a list of
        indicator names, each once; left out, none."""
        items = part.get("requires", LocatedList())
        if not isinstance(items, LocatedList):
            raise self.error(
                f"{what} requires must be a list of indicators", part.line_of("requires")
            )
        names: list[str] = []
        for index, name in enumerate(items):
            if name not in INDICATORS:
                raise self.error(
                    f"{what} requires: unknown indicator {name!r}{suggest(str(name), INDICATORS)}",
                    items.line_of(index),
                )
            if name in names:
                raise self.error(f"{what} requires names {name!r} twice", items.line_of(index))
            names.append(name)
        return tuple(names)

    def blockers(self, part: LocatedDict, what: str) -> tuple[Blocker, ...]:
        items = part.get("blocked_by", LocatedList())
        if not isinstance(items, LocatedList):
            raise self.error(f"{what} blocked_by must be a list", part.line_of("blocked_by"))
        blockers = []
        for index, item in enumerate(items):
            entry = self.keys(item, "blocked_by", f"a {what} blocker", items.line_of(index))
            severity, rulesets = entry["min_severity"], entry.get("rulesets", [])
            if severity not in SEVERITY_NAMES:
                raise self.error(
                    f"unknown severity {severity!r}{suggest(str(severity), SEVERITY_NAMES)}",
                    entry.line_of("min_severity"),
                )
            if not isinstance(rulesets, list) or not all(isinstance(r, str) for r in rulesets):
                raise self.error("rulesets must be a list of rule set names", entry.line)
            blockers.append(Blocker(severity, tuple(rulesets), entry.line))
        return tuple(blockers)
