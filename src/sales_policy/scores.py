"""What scoring gives (``sales_policy.scoring``): each employee's scores for a period, and
what made them (``Scores.breakdown``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field, fields
from decimal import Decimal
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
    #: an amount's value and target (the sales indicator's net sales and target) exactly, the
    #: decimal sums that ``value`` and ``target`` are the nearest floats to, as the table, the
    #: CSV, the breakdown and ``score --format json`` write them; None for the other
    #: indicators, whose ``value`` and ``target`` are what they are
    exact_value: Decimal | None = field(default=None, compare=False, repr=False)
    exact_target: Decimal | None = field(default=None, compare=False, repr=False)


#: the fields of ``IndicatorScore`` that its JSON form leaves out (the name is its key)
_UNLISTED = ("name", "exact_achievement", "exact_value", "exact_target")


#: the columns of ``Scores.frame`` that are amounts of money, in the sales currency (their
#: exact decimals: ``EmployeeScore.exact_amounts``)
MONEY_COLUMNS = ("sales_value", "sales_target", "commission")


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
    #: commission_rate x the exact net sales, rounded half up to 2 decimals: the nearest float
    #: (``exact_commission`` is the decimal)
    commission: float | None
    bonus_eligible: bool
    trip_eligible: bool
    #: place in the team by overall score (ties: see docs/assessment.md); None without a score
    rank: int | None
    team_size: int
    #: why a number is missing or a reward not given: each the English text, with the Chinese
    #: as ``zh`` and what it is about as ``kind`` (``scorenotes``)
    notes: tuple[Note, ...]
    #: the commission exactly, to the cent, as the outputs write it; not in ``to_dict``
    exact_commission: Decimal | None = field(default=None, compare=False, repr=False)

    def indicator(self, name: str) -> IndicatorScore:
        for indicator in self.indicators:
            if indicator.name == name:
                return indicator
        known = [i.name for i in self.indicators]
        raise InvalidArgument(f"no indicator {name!r}{suggest(name, known)}")

    def exact_amounts(self) -> dict[str, Decimal]:
        """The amounts of ``Scores.frame``'s money columns (``MONEY_COLUMNS``) exactly, by
        column, those that are not None: the frame holds the nearest floats, which keep 15 to
        17 digits (net sales of 98765432109876543211.1235 are 9.876543210987654e+19)."""
        sales = next((i for i in self.indicators if i.name == "sales"), None)
        amounts = {
            "sales_value": None if sales is None else sales.exact_value,
            "sales_target": None if sales is None else sales.exact_target,
            "commission": self.exact_commission,
        }
        return {column: amount for column, amount in amounts.items() if amount is not None}

    def to_dict(self, *, exact: bool = False) -> dict[str, Any]:
        """The JSON form (one row of ``sales-policy score --format json``): amounts as floats,
        or, with ``exact``, as the ``Decimal`` they are (the sales indicator's ``value`` and
        ``target``, the ``commission``), which the command writes as JSON numbers of every
        digit."""
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in _EXACT}
        indicators = {i.name: _indicator_dict(i, exact) for i in self.indicators}
        if exact and self.exact_commission is not None:
            data["commission"] = self.exact_commission
        return data | {
            "indicators": indicators,
            "conduct": dict(self.conduct),
            "notes": list(self.notes),
        }


def _indicator_dict(indicator: IndicatorScore, exact: bool) -> dict[str, Any]:
    """An indicator's JSON form; with ``exact``, an amount's value and target as decimals."""
    data = {k: v for k, v in asdict(indicator).items() if k not in _UNLISTED}
    if exact and indicator.exact_value is not None:
        data["value"] = indicator.exact_value
    if exact and indicator.exact_target is not None:
        data["target"] = indicator.exact_target
    return data


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

    def to_dicts(self, *, exact: bool = False) -> list[dict[str, Any]]:
        """Each employee's ``EmployeeScore.to_dict``, amounts as decimals with ``exact``."""
        return [row.to_dict(exact=exact) for row in self.rows]

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

    def to_dict(self, *, exact: bool = False) -> dict[str, Any]:
        """The JSON form (``sales-policy score --explain EMPLOYEE --format json``); the score's
        amounts as decimals with ``exact`` (``EmployeeScore.to_dict``), the months' and the
        orders' as the facts hold them, floats with their exact texts beside them
        (``net_sales_text``, ``amount_text``)."""

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
            "score": self.score.to_dict(exact=exact),
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
#: the fields of ``EmployeeScore`` that its JSON form and ``Scores.frame`` leave out: the exact
#: decimals beside their floats
_EXACT = ("exact_commission",)


def _score_columns() -> dict[str, pl.DataType]:
    """The columns of ``Scores.frame`` before the indicators': ``EmployeeScore``'s scalar
    fields, in order, typed by their annotations (a field added there is a column here)."""
    return {
        f.name: _FIELD_DTYPES[str(f.type).removesuffix(" | None")]
        for f in fields(EmployeeScore)
        if f.name not in (*_SPREAD, *_EXACT)
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
