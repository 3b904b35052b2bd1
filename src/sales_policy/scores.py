"""What scoring gives (``sales_policy.scoring``): each employee's scores for a period, and
what made them (``Scores.breakdown``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field, fields
from fractions import Fraction
from typing import Any

import polars as pl

from .errors import InvalidArgument, suggest
from .facts.schema import FACT_TABLES
from .findings import CheckResult, Finding, Note
from .scorecard import INDICATORS
from .scoringvalues import ScoringValues
from .validation import ref_text


@dataclass(frozen=True)
class IndicatorScore:
    """One indicator: its figure, what full achievement is, and what it adds to the KPI."""

    name: str
    #: net sales (sales currency), customers developed, satisfaction 0-100, growth rate,
    #: share of required training done on time; None when it cannot be computed
    value: float | None
    target: float | None
    #: value / target, uncapped, worked out from the exact amounts and shown as a float that
    #: never reads above it (``facts.money.float_at_most``: the nearest, but where that one
    #: is above; net sales equal to the target give exactly 1.0); None when the indicator
    #: cannot be computed
    achievement: float | None
    #: the declared weight, and the weight after undefined indicators' weight was shared
    weight: float
    effective_weight: float
    #: what it adds to the KPI score: 100 x effective_weight x achievement (floored at 0,
    #: capped), rounded to 2 decimals (the KPI score is the unrounded points' sum, rounded)
    points: float
    #: why it cannot be computed (None when it can): the English text, with the Chinese as
    #: ``zh`` (``scorenotes``)
    reason: Note | None
    #: the achievement exactly, as the breakdown and the table write it (to the places they
    #: show, rounded down); not in ``to_dict`` (JSON has the float)
    exact_achievement: Fraction | None = field(default=None, compare=False, repr=False)


#: the fields of ``IndicatorScore`` that its JSON form leaves out (the name is its key)
_UNLISTED = ("name", "exact_achievement")


@dataclass(frozen=True)
class EmployeeScore:
    """The scores of one employee for one period."""

    employee_id: str
    team: str | None
    period: str
    currency: str
    indicators: tuple[IndicatorScore, ...]
    kpi_score: float | None
    #: per rule set: 100 less the points of its findings, floored at 0 (compared, not
    #: hashed: a mapping has no hash)
    conduct: Mapping[str, float] = field(hash=False)
    conduct_mean: float
    overall: float | None
    grade: str | None
    commission_tier: str | None
    commission_rate: float | None
    #: commission_rate x the exact net sales, rounded half up to 2 decimals
    commission: float | None
    bonus_eligible: bool
    trip_eligible: bool
    #: place in the team by overall score (ties: see docs/assessment.md); None without a score
    rank: int | None
    team_size: int
    #: why a number is missing or a reward not given: each the English text, with the Chinese
    #: as ``zh`` and what it is about as ``kind`` (``scorenotes``)
    notes: tuple[Note, ...]

    def indicator(self, name: str) -> IndicatorScore:
        for indicator in self.indicators:
            if indicator.name == name:
                return indicator
        known = [i.name for i in self.indicators]
        raise InvalidArgument(f"no indicator {name!r}{suggest(name, known)}")

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (one row of ``sales-policy score --format json``)."""
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        indicators = {i.name: asdict(i) for i in self.indicators}
        return data | {
            "indicators": {
                name: {k: v for k, v in i.items() if k not in _UNLISTED}
                for name, i in indicators.items()
            },
            "conduct": dict(self.conduct),
            "notes": list(self.notes),
        }


@dataclass(frozen=True, repr=False)
class Scores:
    """Every employee's scores for a period, with the check they come from."""

    period: str
    start: dt.date
    end: dt.date
    rows: tuple[EmployeeScore, ...]
    values: ScoringValues
    check: CheckResult
    #: the rule sets scored for conduct (those with rules in force), in the policy's order
    conducted: tuple[str, ...] = ()
    #: each rule set's title in Chinese, for the breakdown in Chinese (``scoreexplain``)
    ruleset_titles: Mapping[str, str] = field(default_factory=dict, compare=False)

    def __repr__(self) -> str:
        """One line (each employee's scores: iterate, or ``frame``)."""
        graded = sum(row.grade is not None for row in self.rows)
        return (
            f"<Scores: {self.period} ({self.start} to {self.end}), {len(self.rows)} employees, "
            f"{graded} graded>"
        )

    def __iter__(self) -> Iterator[EmployeeScore]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def employee(self, employee_id: str) -> EmployeeScore:
        for row in self.rows:
            if row.employee_id == employee_id:
                return row
        raise InvalidArgument(f"no score for employee {employee_id!r} in {self.period}")

    def to_dicts(self) -> list[dict[str, Any]]:
        return [row.to_dict() for row in self.rows]

    @property
    def frame(self) -> pl.DataFrame:
        """One row per employee, flat: scores, eligibility, ``<indicator>_value`` / ``_target``
        / ``_achievement`` and ``conduct_<rule set>``."""
        schema = _score_columns()
        schema |= {f"{name}_{part}": pl.Float64() for name in INDICATORS for part in _FIGURES}
        schema |= {f"conduct_{name}": pl.Float64() for name in self.conducted}
        schema["notes"] = pl.String()
        rows = [_flat(row.to_dict()) for row in self.rows]
        return pl.DataFrame(rows, schema=schema)

    def breakdown(self, employee_id: str) -> Breakdown:
        """What made an employee's numbers (the ``--explain`` of the command line)."""
        facts, sources = self.check.facts, self.check.sources

        def rows(table: str, ref: str) -> pl.DataFrame:
            if table not in facts:
                return pl.DataFrame(schema={c.name: pl.String for c in FACT_TABLES[table].columns})
            found = facts[table].filter(pl.col("employee_id") == employee_id)
            return (
                found.with_columns(ref_text(pl.col(ref), sources).alias("source")) if ref else found
            )

        return Breakdown(
            self.employee(employee_id),
            rows("assessment_month", ""),
            rows("assessment_order", "order_ref"),
            rows("training_due", "training_ref"),
            tuple(f for f in self.check.findings if f.employee_id == employee_id),
            self.values,
            self.ruleset_titles,
        )


@dataclass(frozen=True, repr=False)
class Breakdown:
    """An employee's score with what made it: the month-by-month facts (targets, surveys,
    customers developed, the previous period), the orders, the training due, the findings and
    the scoring numbers in force (weights, points, grades, tiers)."""

    score: EmployeeScore
    months: pl.DataFrame
    orders: pl.DataFrame
    training: pl.DataFrame
    findings: tuple[Finding, ...]
    values: ScoringValues
    #: each rule set's title in Chinese (none: the breakdown in Chinese names rule sets as
    #: they are named)
    ruleset_titles: Mapping[str, str] = field(default_factory=dict, compare=False)

    def __repr__(self) -> str:
        """One line (what made the numbers: ``to_dict``, or the fields)."""
        score = self.score
        return (
            f"<Breakdown: {score.employee_id} in {score.period}, overall {score.overall}, "
            f"grade {score.grade}; months: {self.months.height}, orders: {self.orders.height}, "
            f"training due: {self.training.height}, findings: {len(self.findings)}>"
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (``sales-policy score --explain EMPLOYEE --format json``)."""

        def plain(frame: pl.DataFrame) -> list[dict[str, Any]]:
            hidden = [c for c in frame.columns if c.endswith(("_ref", "_refs")) or c == "timezone"]
            return (
                frame.drop(hidden)
                .with_columns(  # as JSON holds them: ISO 8601 text
                    pl.col(pl.Date).dt.to_string("%Y-%m-%d"),
                    pl.col(pl.Datetime).dt.to_string("%Y-%m-%dT%H:%M:%S%.f%:z"),
                )
                .to_dicts()
            )

        return {
            "score": self.score.to_dict(),
            "months": plain(self.months),
            "orders": plain(self.orders),
            "training": plain(self.training),
            "findings": [
                f.to_dict() | {"points": self.values.points[f.severity]} for f in self.findings
            ],
            "values": asdict(self.values),
        }


#: the polars type of each scalar field type of ``EmployeeScore`` (its annotations are text)
_FIELD_DTYPES: dict[str, pl.DataType] = {
    "str": pl.String(),
    "float": pl.Float64(),
    "int": pl.Int64(),
    "bool": pl.Boolean(),
}
#: the fields ``Scores.frame`` spreads into columns of their own (``_flat``), or joins
_SPREAD = ("indicators", "conduct", "notes")


def _score_columns() -> dict[str, pl.DataType]:
    """The columns of ``Scores.frame`` before the indicators': ``EmployeeScore``'s scalar
    fields, in order, typed by their annotations (a field added there is a column here)."""
    return {
        f.name: _FIELD_DTYPES[str(f.type).removesuffix(" | None")]
        for f in fields(EmployeeScore)
        if f.name not in _SPREAD
    }


#: each indicator's columns in ``Scores.frame``: ``<indicator>_value`` and so on
_FIGURES = ("value", "target", "achievement")


def _flat(data: dict[str, Any]) -> dict[str, Any]:
    indicators, conduct, notes = data.pop("indicators"), data.pop("conduct"), data.pop("notes")
    for name, figures in indicators.items():
        data |= {f"{name}_{key}": figures[key] for key in _FIGURES}
    return (
        data
        | {f"conduct_{name}": value for name, value in conduct.items()}
        | {"notes": "; ".join(notes)}
    )
