"""What the HTML and Markdown reports show, gathered once from a check's result.

``build_report`` gathers totals, findings by severity, rule set and rule, one row per
employee (names from the employee records, scores when assessment data is present), each
employee's days as letter codes for the heat map, and the findings themselves, capped
(``Limits``) so that a month of 10,000 employees stays a page a browser opens at once.
``htmlreport`` draws it as a page, ``mdreport`` writes it as Markdown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import polars as pl

from .callerwords import said
from .errors import InvalidArgument, shown
from .findings import CheckResult, Finding, Note
from .rulesets import SEVERITIES, Text

if TYPE_CHECKING:
    from .scores import Scores

#: severities from the worst down: the order of every count in the report
WORST_FIRST = tuple(reversed(SEVERITIES))
#: attendance rules whose findings decide a day's class, in order of precedence
DAY_RULES = (
    ("A", ("ATT-ABSENT", "ATT-UNAPPROVED-LEAVE")),
    ("L", ("ATT-LATE", "ATT-LATE-SERIOUS")),
    ("E", ("ATT-EARLY", "ATT-EARLY-SERIOUS")),
    ("M", ("ATT-MISSING-PUNCH",)),
)


def days_not_judged_note() -> Note:
    """The note of a report whose days are not classed, attendance not reported
    (``days_judged``); the rule sets named as the caller gave them (``callerwords``)."""
    rulesets = said("--ruleset", "rulesets=")
    return Note(
        "no attendance calendar and no count of days late, early or absent: attendance is not "
        f"among the rule sets reported ({rulesets}), and a day's class comes from its findings",
        f"未列出勤日历及迟到、早退、旷工天数：所报告的规则集（{rulesets}）不含出勤，而每天的类别"
        "来自出勤规则的发现",
        kind="attendance_not_reported",
    )


#: day letter -> class; lower case marks an adjusted working day (调休)
DAY_CODES = {"O": "ok", "L": "late", "E": "early", "A": "absent", "M": "missing", "V": "leave"}
DAY_CODES |= {"R": "rest", "H": "holiday", "-": "none"}
#: the columns of ``sales_policy.scoring``'s table a report shows, when they are there: what a
#: manager decides commissions, bonuses and trips by (5.2, 9.2)
SCORE_COLUMNS = (
    "overall",
    "grade",
    "kpi_score",
    "conduct_mean",
    "commission",
    "bonus_eligible",
    "trip_eligible",
    "rank",
)
#: the decimal places a report shows of those that are figures, with a thousands separator
#: (3,960.00), as the score table does: scores and amounts of money to 2
SCORE_PLACES = {"overall": 2, "kpi_score": 2, "conduct_mean": 2, "commission": 2}
#: the languages a report is written in
LANGS = ("zh", "en")


def score_text(column: str, value: Any) -> str:
    """A score as the reports show it: a figure of ``SCORE_PLACES`` to its places with a
    thousands separator, anything else as text (none as —, a list's items joined)."""
    places = SCORE_PLACES.get(column)
    if (
        places is not None
        and isinstance(value, int | float | Decimal)
        and not isinstance(value, bool)
    ):
        return f"{value:,.{places}f}"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return "—" if value is None else str(value)


@dataclass(frozen=True)
class Limits:
    """How much a report shows; what is left out is counted ("and 3 more")."""

    #: findings of one rule shown for one employee
    findings_per_rule: int = 10
    #: findings shown in the whole report (employees with the worst findings first)
    findings: int = 20_000
    #: rejected rows listed
    rejects: int = 20
    #: input file names listed in the header
    files: int = 20

    def __post_init__(self) -> None:
        # 0 lists none (and counts them all); a limit beyond every count lists them all
        for field in fields(self):
            value = getattr(self, field.name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise InvalidArgument(
                    f"Limits {field.name} must be a whole number from 0, not {shown(value)}"
                )


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class RuleGroup:
    """One employee's findings of one rule: those shown, and how many are not."""

    rule_id: str
    findings: list[Finding]
    omitted: int


@dataclass(frozen=True)
class EmployeeRow:
    employee_id: str
    name: str
    team: str
    #: one letter a day of the period (see DAY_CODES); empty without attendance facts
    days: str
    #: finding counts in WORST_FIRST order
    severity_counts: tuple[int, ...]
    scores: tuple[Any, ...]
    groups: list[RuleGroup]

    @property
    def total(self) -> int:
        return sum(self.severity_counts)


@dataclass(frozen=True)
class Report:
    """What the HTML and Markdown reports show, gathered once."""

    result: CheckResult
    employees: list[EmployeeRow]
    #: rule id, findings, employees with one; worst severity first
    rules: list[tuple[str, int, int]]
    rulesets: list[tuple[str, Text, int]]
    severity_counts: tuple[int, ...]
    score_columns: tuple[str, ...]
    clause_ids: list[str]
    #: the other sources the rules shown cite (the Labour Law), in both languages
    references: list[Text]
    #: findings not shown because of the limits
    omitted: int
    limits: Limits
    #: the check's notes, and the report's own (``days_not_judged_note``)
    notes: tuple[str, ...] = ()


def days_judged(result: CheckResult) -> bool:
    """Whether the result reports the findings a day's class comes from (``DAY_RULES``'):
    not when it was asked for other rule sets only (``--ruleset discipline``).  Its result
    holds no attendance finding then, and each working day would read as on time."""
    if result.rulesets is None:
        return True
    return any(
        rule.ruleset in result.rulesets
        for _, ids in DAY_RULES
        for rule_id in ids
        if (rule := result.rules.get(rule_id)) is not None
    )


def _has_days(result: CheckResult) -> bool:
    """Whether the result has days to class: ``workday`` facts, over a period."""
    workday = result.facts.get("workday")
    return workday is not None and not workday.is_empty() and result.period is not None


def day_codes(result: CheckResult) -> dict[str, str]:
    """Per employee, one letter a day of the period (DAY_CODES), from the ``workday`` facts
    and the attendance findings; employees without workday facts are left out, and every
    employee when the result does not report the attendance findings (``days_judged``)."""
    workday, period = result.facts.get("workday"), result.period
    if workday is None or workday.is_empty() or period is None or not days_judged(result):
        return {}
    flags = (
        result.table.filter(pl.col("date").is_not_null())
        .group_by("employee_id", "date")
        .agg(*(pl.col("rule_id").is_in(list(ids)).any().alias(f"_{c}") for c, ids in DAY_RULES))
    )
    full = workday.filter(pl.col("scheduled")).get_column("required_minutes").max()
    scheduled = pl.col("scheduled")
    letter = pl.coalesce(
        pl.when(~scheduled).then(
            pl.col("day_kind").replace_strict({"holiday": "H", "rest_day": "R"}, default="-")
        ),
        *(pl.when(pl.col(f"_{c}")).then(pl.lit(c)) for c, _ in DAY_RULES),
        # approved leave shortens the required minutes: a day, or part of one, on leave
        pl.when(pl.col("required_minutes") < pl.lit(full, pl.Int64)).then(pl.lit("V")),
        pl.lit("O"),
    )
    adjusted = scheduled & (pl.col("day_kind") == "adjusted_workday")
    days = workday.join(flags, on=["employee_id", "date"], how="left").select(
        "employee_id",
        "date",
        pl.when(adjusted).then(letter.str.to_lowercase()).otherwise(letter).alias("code"),
    )
    # every day of the period for every employee: a day without a fact row has no data
    dates = pl.date_range(*period, eager=True).alias("date").to_frame()
    grid = days.select("employee_id").unique().join(dates, how="cross")
    codes = (
        grid.join(days, on=["employee_id", "date"], how="left")
        .sort("employee_id", "date")
        .group_by("employee_id", maintain_order=True)
        .agg(pl.col("code").fill_null("-").str.join(""))
    )
    return dict(codes.iter_rows())


def check_lang(lang: object) -> None:
    """Raise InvalidArgument unless ``lang`` is a language the reports are written in."""
    if not isinstance(lang, str) or lang not in LANGS:
        raise InvalidArgument(f"lang must be 'zh' or 'en', not {shown(lang)}")


def _table_of_ids(name: str, table: object, what: str) -> pl.DataFrame:
    """``table``, if a DataFrame with an employee_id column of text without nulls; else
    raise InvalidArgument, saying it must be ``what``."""
    expected = f"{name} must be {what}"
    if not isinstance(table, pl.DataFrame):
        raise InvalidArgument(f"{expected}; not {type(table).__name__}")
    dtype = table.schema.get("employee_id")
    if dtype is None:
        raise InvalidArgument(f"{expected}; no employee_id column in {table.columns}")
    if dtype not in (pl.String, pl.Categorical, pl.Enum, pl.Null):
        raise InvalidArgument(f"{expected}; employee_id is {dtype}, not text")
    nulls = table.get_column("employee_id").null_count()
    if nulls:
        rows = "1 row" if nulls == 1 else f"{nulls} rows"
        raise InvalidArgument(f"{expected}; employee_id is null in {rows}")
    return table


#: what ``ruleset_titles`` must be
_TITLES = (
    "ruleset_titles must be a mapping of rule set names to titles as the policy holds them "
    "({rs.name: rs.title for rs in policy.rulesets})"
)


def _checked_arguments(
    result: object, employees: object, scores: object, ruleset_titles: object, limits: object
) -> tuple[pl.DataFrame | None, dict[str, dict[str, Decimal]]]:
    """Raise InvalidArgument for an argument of ``build_report`` it cannot take; return the
    scores as a table (a ``Scores``' ``frame``, or none when it has no row), and a ``Scores``'
    amounts exactly, by employee and column (``EmployeeScore.exact_amounts``)."""
    if not isinstance(result, CheckResult):
        raise InvalidArgument(
            f"result must be a CheckResult (what Policy.check gives), not {type(result).__name__}"
        )
    if employees is not None:
        what = "a DataFrame of employee_id, name, team (as CheckResult.employees)"
        _table_of_ids("employees", employees, what)
    from .scores import Scores  # here: a check's table report loads this module, not scores

    exact: dict[str, dict[str, Decimal]] = {}
    if isinstance(scores, Scores):  # as the command passes them: no columns without a row
        exact = {row.employee_id: row.exact_amounts() for row in scores}
        scores = scores.frame if len(scores) else None
    table = None
    if scores is not None:
        what = "the Scores of sales_policy.score(...) or a DataFrame of one row per employee_id"
        table = _table_of_ids("scores", scores, what)
    if ruleset_titles is not None:
        if not isinstance(ruleset_titles, Mapping):
            raise InvalidArgument(f"{_TITLES}; not {type(ruleset_titles).__name__}")
        for name, title in ruleset_titles.items():
            if not isinstance(name, str):
                raise InvalidArgument(f"{_TITLES}; a name of {type(name).__name__}")
            if not isinstance(title, Text):
                raise InvalidArgument(f"{_TITLES}; {name!r} maps to {type(title).__name__}")
    if not isinstance(limits, Limits):
        raise InvalidArgument(f"limits must be a Limits(...), not {type(limits).__name__}")
    return table, exact


def build_report(
    result: CheckResult,
    *,
    employees: pl.DataFrame | None = None,
    scores: Scores | pl.DataFrame | None = None,
    ruleset_titles: Mapping[str, Text] | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Report:
    """Gather a report.  ``employees``: employee records (employee_id, name, team; see
    ``CheckResult.employees``).  ``scores``: the ``Scores`` of ``sales_policy.score``, or a
    table with one row per employee_id, every other column shown; shown only when the check
    had assessment data.  Raises InvalidArgument for an argument it cannot take."""
    scores, exact = _checked_arguments(result, employees, scores, ruleset_titles, limits)
    frame = result.table
    people: dict[str, tuple[str, str]] = {}
    if employees is not None:
        for row in employees.iter_rows(named=True):
            people[row["employee_id"]] = (row.get("name") or "", row.get("team") or "")
    codes = day_codes(result)
    assessed = (
        "assessment_month" in result.facts and not result.facts["assessment_month"].is_empty()
    )
    score_columns: tuple[str, ...] = ()
    score_values: dict[str, tuple[Any, ...]] = {}
    if assessed and scores is not None:
        known = [c for c in SCORE_COLUMNS if c in scores.columns]
        score_columns = tuple(known or (c for c in scores.columns if c != "employee_id"))
        for employee_id, *values in scores.select("employee_id", *score_columns).iter_rows():
            # an amount exactly (a commission: the frame's float is only the nearest)
            amounts = exact.get(employee_id, {})
            score_values[employee_id] = tuple(
                amounts.get(c, round(v, 2) if isinstance(v, float) else v)
                for c, v in zip(score_columns, values, strict=True)
            )
    by_severity = frame.group_by("employee_id").agg(
        *(pl.col("severity").eq(s).sum().alias(s) for s in WORST_FIRST)
    )
    counts = {row[0]: tuple(row[1:]) for row in by_severity.iter_rows()}
    zeros = (0,) * len(WORST_FIRST)
    order = sorted(
        set(people) | set(codes) | set(counts) | set(score_values),
        key=lambda e: (tuple(-c for c in counts.get(e, zeros)), e),
    )
    groups, omitted = _capped_findings(result, order, limits)
    rows = [
        EmployeeRow(
            employee_id=e,
            name=people.get(e, ("", ""))[0],
            team=people.get(e, ("", ""))[1],
            days=codes.get(e, ""),
            severity_counts=counts.get(e, zeros),
            scores=score_values.get(e, (None,) * len(score_columns)),
            groups=groups.get(e, []),
        )
        for e in order
    ]
    rank = {s: i for i, s in enumerate(WORST_FIRST)}
    by_rule = frame.group_by("rule_id").agg(pl.len(), pl.col("employee_id").n_unique())
    rules = sorted(
        by_rule.iter_rows(), key=lambda r: (rank[result.rules[r[0]].severity], -r[1], r[0])
    )
    titles = ruleset_titles or {}
    rulesets = [
        (name, titles.get(name, Text(name, name)), count)
        for name, count in frame.group_by("ruleset").len().sort("ruleset").iter_rows()
    ]
    cited = [result.rules[rule_id] for rule_id, _, _ in rules]
    clause_ids = sorted(
        {c for rule in cited for c in rule.clauses},
        key=lambda c: tuple(int(p) if p.isdigit() else 0 for p in c.split(".")),
    )
    return Report(
        result=result,
        employees=rows,
        rules=rules,
        rulesets=rulesets,
        severity_counts=tuple(int(frame.get_column("severity").eq(s).sum()) for s in WORST_FIRST),
        score_columns=score_columns,
        clause_ids=clause_ids,
        references=sorted(
            {ref for rule in cited for ref in rule.references}, key=lambda r: (r.en, r.zh)
        ),
        omitted=omitted,
        limits=limits,
        notes=(
            *result.notes,
            *([days_not_judged_note()] if _has_days(result) and not days_judged(result) else []),
        ),
    )


def _capped_findings(
    result: CheckResult, order: list[str], limits: Limits
) -> tuple[dict[str, list[RuleGroup]], int]:
    """Per employee, the findings shown by rule (worst rule first), and how many are not."""
    frame = result.table
    rank = {e: i for i, e in enumerate(order)}
    # a limit beyond every count is that count: polars takes no number beyond 64 bits
    per_rule, findings = (min(n, frame.height) for n in (limits.findings_per_rule, limits.findings))
    capped = (
        frame.filter(pl.int_range(pl.len()).over("employee_id", "rule_id") < per_rule)
        .with_columns(pl.col("employee_id").replace_strict(rank, return_dtype=pl.Int64).alias("_r"))
        .sort("_r", maintain_order=True)
        .head(findings)
        .drop("_r")
    )
    # Messages are rendered only for the findings shown.
    shown: dict[tuple[str, str], list[Finding]] = {}
    for finding in result.findings_of(capped):
        shown.setdefault((finding.employee_id, finding.rule_id), []).append(finding)
    severity_rank = {s: i for i, s in enumerate(WORST_FIRST)}
    groups: dict[str, list[RuleGroup]] = {}
    totals = frame.group_by("employee_id", "rule_id").len()
    for employee_id, rule_id, total in totals.iter_rows():
        listed = shown.get((employee_id, rule_id), [])
        groups.setdefault(employee_id, []).append(RuleGroup(rule_id, listed, total - len(listed)))
    for employee_groups in groups.values():
        employee_groups.sort(
            key=lambda g: (severity_rank[result.rules[g.rule_id].severity], g.rule_id)
        )
    return groups, frame.height - capped.height
