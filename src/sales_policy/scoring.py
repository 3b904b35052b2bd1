"""Scores per employee and period (handbook 5.1, 5.2, 9.1-9.3); see docs/assessment.md.

``score(policy, records, period="2026-11")`` checks the records over the period (a month,
``2026-Q4`` or ``2026``), adds up the months of the ``assessment_month`` facts, and turns the
indicators and every rule set's findings into a KPI score, conduct scores, an overall score,
a grade, a commission and eligibility for a bonus and a trip, with the numbers of the policy's
``scoring:`` section (rules/assessment.yaml).  ``Scores.breakdown(employee)`` says which
orders, findings and weights made each number.

Amounts are added up exactly: each month's amounts are read from the facts' texts of them,
which write every digit, and summed as decimals.  Achievements are exact ratios (fractions) of
those sums, and the commission tier is chosen by comparing the exact ratio with the tier
bounds as they are written, so net sales equal to the target are exactly 1.0, in the tier that
starts at 1.0.  The scores hold amounts as floats, the nearest to them, and as the exact
decimals (``exact_value``, ``exact_target``, ``exact_commission``) the outputs write.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import replace
from decimal import ROUND_HALF_UP, Context, Decimal
from fractions import Fraction
from typing import Any

import polars as pl

from . import scorenotes
from .callerwords import not_taken
from .errors import InvalidArgument
from .facts.money import float_at_most
from .facts.schema import FACT_TABLES
from .findings import Note
from .indicators import Figure, Number, figures, period_totals
from .policy import Policy
from .policyparams import scoring_values
from .rulesets import SEVERITIES
from .scores import EmployeeScore, IndicatorScore, Scores
from .scoringvalues import Blocker, ScoringValues, decimal_of

_PERIOD = re.compile(r"^(\d{4})(?:-(0[1-9]|1[0-2])|-Q([1-4]))?$")
_CENT = Decimal("0.01")
_SEVERITY_RANK: dict[str, int] = {name: index for index, name in enumerate(SEVERITIES)}


def parse_period(text: str) -> tuple[dt.date, dt.date]:
    """First and last date of ``2026-11`` (a month), ``2026-Q4`` (a quarter) or ``2026``."""
    match = _PERIOD.match(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise InvalidArgument(
            f"period {text!r} must be a month (2026-11), a quarter (2026-Q4) or a year (2026)"
        )
    year, month, quarter = int(match[1]), match[2], match[3]
    first, last = (int(month), int(month)) if month else (1, 12)
    if quarter:
        first, last = 3 * int(quarter) - 2, 3 * int(quarter)
    return dt.date(year, first, 1), dt.date(year, last, month_calendar.monthrange(year, last)[1])


def score(policy: Policy, records: Any, period: str, *, record_type: str | None = None) -> Scores:
    """Score every employee of ``records`` for ``period`` (``2026-11``, ``2026-Q4``, ``2026``).

    Records are what ``Policy.check`` takes; records of the previous period of the same length
    should be included for the growth rate.  Raises PolicyError when an amount's currency has
    no rate (amounts in different currencies are never summed)."""
    if not isinstance(policy, Policy):
        raise InvalidArgument(f"score needs a Policy (load_policy()), not {type(policy).__name__}")
    values = scoring_values(policy)
    start, end = parse_period(period)
    period = period.strip()  # " 2026-11 " is read as 2026-11, and named so in the scores
    with not_taken("rulesets"):  # scores count the findings of every rule set
        result = policy.check(records, start, end, record_type=record_type)
    months = result.facts.get("assessment_month")
    totals = period_totals(months, values, policy.path) if months is not None else {}
    counts: dict[str, dict[str, dict[str, int]]] = {}
    for row in result.table.group_by("employee_id", "ruleset", "severity").len().iter_rows():
        counts.setdefault(row[0], {}).setdefault(row[1], {})[row[2]] = row[3]
    seen = {t: set(f.get_column("employee_id").unique().to_list()) for t, f in result.facts.items()}
    reads = _tables_read(policy)
    # the rule sets' titles in Chinese, for the notes' Chinese
    titles = {ruleset.name: ruleset.title.zh for ruleset in policy.rulesets}
    rows = []
    trip_bars: dict[str, list[Note]] = {}
    # every employee with an employee record is scored, judged by no rule set or not, in the
    # team the record gives (with assessment records or without); but not one whose record
    # says they were employed on no day of the period (a leaver before it, a later hire),
    # unless the period holds a finding of theirs: their conduct scores would be 100 for
    # nothing they did
    teams: dict[str, str | None] = dict(result.employees.select("employee_id", "team").iter_rows())
    listed = set(teams)
    gone = set(
        result.employees.filter((pl.col("left_on") < start) | (pl.col("hired_on") > end))
        .get_column("employee_id")
        .to_list()
    )
    # a leaver before the period's last day is not on a trip taken after it (``trip:
    # employed_to_end``); left_on is the last day employed, so leaving on it is no bar
    left: dict[str, dt.date] = (
        dict(
            result.employees.filter(pl.col("left_on") < end)
            .select("employee_id", "left_on")
            .iter_rows()
        )
        if values.trip_employed_to_end
        else {}
    )
    for employee in sorted(set().union(*seen.values(), counts, listed)):
        if employee in gone and employee not in counts and employee not in totals:
            continue
        mine = counts.get(employee, {})
        conduct = {rs: _conduct(mine.get(rs, {}), values) for rs in reads}
        unjudged = [
            rs for rs, read in reads.items() if not any(employee in seen.get(t, ()) for t in read)
        ]
        total = totals.get(employee)
        every = figures(total, values)
        scored, bars = _overall(
            _employee(employee, teams.get(employee), period, total, every, values),
            every,
            conduct,
            unjudged,
            mine,
            values,
            titles,
        )
        rows.append(scored)
        trip_bars[employee] = bars + (
            [scorenotes.left_on(left[employee])] if employee in left else []
        )
    ranked = tuple(_ranked(rows, values, trip_bars))
    return Scores(period, start, end, ranked, values, result, tuple(reads), titles)


def _tables_read(policy: Policy) -> dict[str, set[str]]:
    """Per rule set with rules in force, the fact tables its rules read (a rule over earlier
    findings reads the tables of the rules it counts)."""
    by_id = {rule.rule_id: rule for rule in policy.all_rules()}
    reads: dict[str, set[str]] = {}
    for rule in policy.rules:
        stage_one = FACT_TABLES[rule.facts].stage == 1
        tables = {rule.facts} if stage_one else {by_id[c].facts for c in rule.counts}
        reads.setdefault(rule.ruleset, set()).update(tables)
    return reads


def _employee(
    employee: str,
    team: str | None,
    period: str,
    total: Mapping[str, Any] | None,
    every: list[Figure],
    values: ScoringValues,
) -> EmployeeScore:
    """Indicators (``every``: the figures of ``_figures``), KPI score and commission; conduct
    and overall come after."""
    notes: list[Note] = []
    achieved = {
        name: achievement if reason is None else None for name, _, _, achievement, reason in every
    }
    figures = [f for f in every if f[0] in values.weights]
    # an indicator the KPI requires (sales, by default: 9.1 "mainly sales amount") that cannot
    # be computed leaves no KPI score: the other indicators' weights are not shared out to
    # stand in for it
    missing = _missing(values.kpi_requires, every)
    defined = (
        []
        if missing
        else [f[0] for f in figures if achieved[f[0]] is not None and values.weights[f[0]]]
    )
    share = math.fsum(values.weights[name] for name in defined)
    indicators = []
    points = []  # unrounded: the KPI score is their sum, rounded once
    for name, value, target, _, reason in figures:
        weight = values.weights[name]
        effective = weight / share if share and name in defined else 0.0
        achievement = achieved[name]
        shown = None if achievement is None else float_at_most(achievement)
        capped = min(max(shown or 0.0, 0.0), values.cap)
        points.append(100 * effective * capped)
        indicators.append(
            IndicatorScore(
                name,
                _shown(value),
                _shown(target),
                shown,
                weight,
                effective,
                round(points[-1], 2),
                reason,
                achievement,
                value if isinstance(value, Decimal) else None,
                target if isinstance(target, Decimal) else None,
            )
        )
        if reason is not None and weight > 0 and share:
            notes.append(scorenotes.weight_shared(name, reason, weight, defined))
    kpi = round(math.fsum(points), 2) if share else None
    if missing:
        notes.append(scorenotes.no_kpi_required(missing))
    elif kpi is None:
        notes.append(
            scorenotes.no_kpi(
                [(f[0], f[4]) for f in figures if values.weights[f[0]] > 0 and f[4] is not None]
            )
        )
    # the exact achievement against the bounds as written: exactly met is in the tier from 1.0
    basis = achieved.get(values.commission_basis)
    tier = values.tier_of(max(basis, Fraction(0))) if basis is not None else None
    if tier is None and kpi is not None:
        notes.append(scorenotes.no_commission(values.commission_basis))
    net = total["net_sales"] if total else Decimal(0)
    commission = _commission(net, tier.rate) if tier else None
    return EmployeeScore(
        employee_id=employee,
        team=team if team is not None or total is None else total["team"],
        period=period,
        currency=values.currency,
        indicators=tuple(indicators),
        kpi_score=kpi,
        conduct={},
        conduct_mean=100.0,
        overall=None,
        grade=None,
        commission_tier=tier.name if tier else None,
        commission_rate=tier.rate if tier else None,
        commission=None if commission is None else float(commission),
        bonus_eligible=False,
        trip_eligible=False,
        rank=None,
        team_size=0,
        notes=tuple(notes),
        exact_commission=commission,
    )


def _shown(number: Number | None) -> float | int | None:
    """A figure as ``IndicatorScore`` holds it: an exact amount as the nearest float (its
    ``exact_value``, ``exact_target`` keep the decimal); counts stay whole numbers."""
    return float(number) if isinstance(number, Decimal) else number


def _missing(required: tuple[str, ...], figures: list[Figure]) -> list[Note]:
    """The indicators of ``required`` that cannot be computed, each with why: ``sales not
    computed (no sales target for 2026-11)``."""
    why = {name: reason for name, _, _, _, reason in figures}
    return [
        scorenotes.not_computed(name, reason)
        for name in required
        if (reason := why[name]) is not None
    ]


def _blocked(
    blockers: tuple[Blocker, ...],
    counts: Mapping[str, Mapping[str, int]],
    titles: Mapping[str, str],
) -> list[Note]:
    """The employee's findings that ``blockers`` name: ``1 major integrity finding(s)``
    (``titles``: the rule sets' in Chinese)."""
    return sorted(
        {
            scorenotes.findings_of(n, severity, ruleset, titles.get(ruleset, ruleset))
            for blocker in blockers
            for ruleset, by_severity in counts.items()
            if not blocker.rulesets or ruleset in blocker.rulesets
            for severity, n in by_severity.items()
            if _SEVERITY_RANK[severity] >= _SEVERITY_RANK[blocker.min_severity]
        }
    )


def _commission(net: Decimal, rate: float) -> Decimal:
    """The rate times the exact net sales, rounded half up to 2 decimals (the rate read as the
    decimal it is written as); exactly, in as many digits as they take (the default context's
    28 rounded the product of a larger net, and refused a commission of more to the cent)."""
    factor = decimal_of(rate)
    digits = len(net.as_tuple().digits) + len(factor.as_tuple().digits) + 4  # 2 for the cents
    exact = Context(prec=max(28, digits))
    return exact.multiply(net, factor).quantize(_CENT, ROUND_HALF_UP, exact)


def _conduct(by_severity: Mapping[str, int], values: ScoringValues) -> float:
    """100 less the points of the findings, floored at 0."""
    points = math.fsum(values.points[severity] * n for severity, n in by_severity.items())
    return round(max(0.0, 100.0 - points), 2)


def _overall(
    row: EmployeeScore,
    every: list[Figure],
    conduct: dict[str, float],
    unjudged: list[str],
    counts: Mapping[str, Mapping[str, int]],
    values: ScoringValues,
    titles: Mapping[str, str],
) -> tuple[EmployeeScore, list[Note]]:
    """Conduct, overall score, grade and bonus eligibility; and what bars the employee's trip
    besides the grade, whatever the rest of the team did (``_ranked`` gives the trips).
    ``titles``: the rule sets' in Chinese."""
    notes = list(row.notes)
    if unjudged:
        notes.append(scorenotes.nothing_checked(unjudged, titles))
    mean = round(math.fsum(conduct.values()) / len(conduct), 2) if conduct else 100.0
    overall = grade = None
    bonus = False
    trip_bars: list[Note] = []
    if row.kpi_score is not None:
        overall = round(values.kpi_weight * row.kpi_score + values.conduct_weight * mean, 2)
        grade = values.grade_of(overall)
        low = not values.at_least(grade, values.bonus_min_grade)
        bonus_bars = [scorenotes.below_grade(grade, values.bonus_min_grade)] if low else []
        bonus_bars += _missing(values.bonus_requires, every)
        bonus_bars += _blocked(values.blockers, counts, titles)
        bonus = not bonus_bars
        if not bonus:
            notes.append(scorenotes.no_bonus(bonus_bars))
        # the grade is for ``_ranked`` to judge, with the places
        trip_bars = _missing(values.trip_requires, every)
        trip_bars += _blocked(values.trip_blockers, counts, titles)
    scored = replace(
        row,
        conduct=conduct,
        conduct_mean=mean,
        overall=overall,
        grade=grade,
        bonus_eligible=bonus,
        notes=tuple(notes),
    )
    return scored, trip_bars


def _ranked(
    rows: list[EmployeeScore],
    values: ScoringValues,
    trip_bars: Mapping[str, list[Note]] | None = None,
) -> list[EmployeeScore]:
    """Rank within each team (employees without a team form one group) by overall score;
    ties go to the higher KPI score, then the higher mean conduct, then the employee id in
    text order.  A team has ceil(ranked x ``trip_top_percent`` / 100) trip places, and they
    go in rank order to those whom nothing bars: a grade below ``trip_min_grade``, or what
    ``trip_bars`` gives for them (an indicator the trip requires, a finding that blocks it,
    leaving before the period's last day).  A place a better-ranked employee cannot take
    passes to the next; the places are counted from all the ranked, the barred included."""
    ranked = {row.employee_id: row for row in rows}
    teams: dict[str | None, list[EmployeeScore]] = {}
    for row in rows:
        if row.overall is not None:
            teams.setdefault(row.team, []).append(row)
    for members in teams.values():
        members.sort(
            key=lambda r: (-(r.overall or 0), -(r.kpi_score or 0), -r.conduct_mean, r.employee_id)
        )
        places = values.trip_places(len(members))
        taken = 0
        for place, row in enumerate(members, start=1):
            low = not values.at_least(row.grade or "", values.trip_min_grade)
            barred = [scorenotes.below_grade(str(row.grade), values.trip_min_grade)] if low else []
            barred += (trip_bars or {}).get(row.employee_id, [])
            trip = not barred and taken < places
            taken += trip
            # what bars the employee is noted; a place taken by colleagues is not (the rank
            # and team size say so), so the notes depend on the employee's own records only
            notes = (*row.notes, scorenotes.no_trip(barred)) if barred else row.notes
            ranked[row.employee_id] = replace(
                row, rank=place, team_size=len(members), trip_eligible=trip, notes=notes
            )
    return [ranked[row.employee_id] for row in rows]
