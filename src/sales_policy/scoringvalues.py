"""The numbers of a rule file's ``scoring:`` section in force under a policy, as scoring
uses them: weights, cap, targets, the indicators a KPI score needs, points, grades, commission
tiers and who may have a bonus or a trip (``ScoringValues``, which ``Scorecard.resolve`` of
:mod:`sales_policy.scorecard` gives), and the exact reading of the section's numbers
(``decimal_of``, ``exact``)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction


def decimal_of(number: float | int | Decimal) -> Decimal:
    """A number of the section as the decimal it is written as: a float is read as the
    shortest decimal that gives it back (0.8, not the binary fraction nearest to 0.8)."""
    if isinstance(number, float):
        return Decimal(repr(number))
    return Decimal(number)


def exact(number: float | int | Decimal | Fraction) -> Fraction:
    """``number`` as an exact fraction; a float is read as ``decimal_of`` reads it."""
    if isinstance(number, Fraction):
        return number
    return Fraction(decimal_of(number))


@dataclass(frozen=True)
class Tier:
    """A commission tier: achievements from ``lower`` (inclusive) to ``upper`` (exclusive;
    None: no upper end) earn ``rate`` of all net sales."""

    name: str
    lower: float
    upper: float | None
    rate: float


@dataclass(frozen=True)
class Blocker:
    """Findings that bar a bonus or a trip: this severity or worse, of these rule sets (empty:
    any)."""

    min_severity: str
    rulesets: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class ScoringValues:
    """The scoring section with the numbers in force."""

    weights: Mapping[str, float]
    cap: float
    #: indicators without which there is no KPI score (``kpi: requires``)
    kpi_requires: tuple[str, ...]
    targets: Mapping[str, float]
    points: Mapping[str, float]
    kpi_weight: float
    conduct_weight: float
    #: (grade, lowest overall score), best first; the last starts at 0
    grades: tuple[tuple[str, float], ...]
    commission_basis: str
    tiers: tuple[Tier, ...]
    bonus_min_grade: str
    #: the bonus's findings that bar it (``bonus: blocked_by``)
    blockers: tuple[Blocker, ...]
    trip_min_grade: str
    trip_top_percent: float
    #: indicators that must be computed for a bonus, and for a trip (``requires``)
    bonus_requires: tuple[str, ...]
    trip_requires: tuple[str, ...]
    #: the trip's findings that bar it (``trip: blocked_by``)
    trip_blockers: tuple[Blocker, ...]
    #: an employee whose ``left_on`` is before the period's last day has no trip
    #: (``trip: employed_to_end``); the place passes to the next in rank
    trip_employed_to_end: bool
    #: the sales currency and the rates into it (it has 1)
    currency: str
    rates: Mapping[str, float]

    def grade_of(self, overall: float) -> str:
        return next(name for name, lowest in self.grades if overall >= lowest)

    def trip_places(self, ranked: int) -> int:
        """A team's trip places: ceil(ranked members x ``trip_top_percent`` / 100)."""
        return math.ceil(round(ranked * self.trip_top_percent / 100, 9))

    def at_least(self, grade: str, floor: str) -> bool:
        """``grade`` is ``floor`` or better."""
        names = [name for name, _ in self.grades]
        return grade in names and names.index(grade) <= names.index(floor)

    def tier_of(self, achievement: float | Fraction) -> Tier:
        """The tier whose bounds hold ``achievement``.  The comparison is exact: a float
        achievement and the bounds are read as the decimals they are written as, so an
        achievement of exactly 0.8 (a Fraction, or the float 0.8) is in the tier from 0.8."""
        value = exact(achievement)
        return next(
            t for t in self.tiers if t.upper is None or exact(t.lower) <= value < exact(t.upper)
        )
