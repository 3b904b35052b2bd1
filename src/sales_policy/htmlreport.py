"""The report people read: one self-contained HTML page (and, in ``mdreport``, Markdown).

``build_report`` gathers what both formats show from a check's result: totals, findings by
severity, rule set and rule, one row per employee (names from the employee records, scores
when assessment data is present), each employee's days as letter codes for the heat map, and
the findings themselves, capped (``Limits``) so that a month of 10,000 employees stays a page
a browser opens at once.

The page needs no network: CSS, script and data are inline, and its Content-Security-Policy
allows nothing else, not even other inline scripts (its own are allowed by hash).  Input text
never becomes markup: the report's data sits in one JSON block whose ``<``, ``>`` and ``&``
are ``\\u`` escapes, and the page's script puts it on the page as text only; a character
that would not be seen as itself, as the escape the terminal shows (``termtext.escapes``),
set apart in a span of its own.  Every label and message is in Chinese and English; one
button switches them all (CSS hides the other language).
"""

from __future__ import annotations

import base64
import hashlib
import html
import importlib.resources
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import polars as pl

from .findings import CheckResult, Finding, evidence_texts, note_text
from .handbook import CLAUSES
from .recordfields import record_type_zh
from .rulesets import SEVERITIES, Text
from .termtext import escapes

#: severities from the worst down: the order of every count in the report
WORST_FIRST = tuple(reversed(SEVERITIES))
#: attendance rules whose findings decide a day's class, in order of precedence
DAY_RULES = (
    ("A", ("ATT-ABSENT", "ATT-UNAPPROVED-LEAVE")),
    ("L", ("ATT-LATE", "ATT-LATE-SERIOUS")),
    ("E", ("ATT-EARLY", "ATT-EARLY-SERIOUS")),
    ("M", ("ATT-MISSING-PUNCH",)),
)
#: day letter -> class; lower case marks an adjusted working day (调休)
DAY_CODES = {"O": "ok", "L": "late", "E": "early", "A": "absent", "M": "missing", "V": "leave"}
DAY_CODES |= {"R": "rest", "H": "holiday", "-": "none"}
#: the columns of ``sales_policy.scoring``'s table a report shows, when they are there
SCORE_COLUMNS = ("overall", "grade", "kpi_score", "conduct_mean", "commission", "rank")


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
    references: list[str]
    #: findings not shown because of the limits
    omitted: int
    limits: Limits


@cache
def template(name: str) -> str:
    """A file of ``sales_policy/templates``."""
    return (importlib.resources.files("sales_policy") / "templates" / name).read_text("utf-8")


@cache
def labels() -> dict[str, tuple[str, str]]:
    """Every label of the reports, ``key -> (zh, en)``."""
    data: dict[str, list[str]] = json.loads(template("labels.json"))
    return {key: (pair[0], pair[1]) for key, pair in data.items()}


def label(key: str) -> tuple[str, str]:
    """A label's (zh, en); a score column without a label keeps its own name."""
    return labels().get(key, (key, key))


def day_codes(result: CheckResult) -> dict[str, str]:
    """Per employee, one letter a day of the period (DAY_CODES), from the ``workday`` facts
    and the attendance findings; employees without workday facts are left out."""
    workday = result.facts.get("workday")
    if workday is None or workday.is_empty() or result.period is None:
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
    dates = pl.date_range(*result.period, eager=True).alias("date").to_frame()
    grid = days.select("employee_id").unique().join(dates, how="cross")
    codes = (
        grid.join(days, on=["employee_id", "date"], how="left")
        .sort("employee_id", "date")
        .group_by("employee_id", maintain_order=True)
        .agg(pl.col("code").fill_null("-").str.join(""))
    )
    return dict(codes.iter_rows())


def build_report(
    result: CheckResult,
    *,
    employees: pl.DataFrame | None = None,
    scores: pl.DataFrame | None = None,
    ruleset_titles: Mapping[str, Text] | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Report:
    """Gather a report.  ``employees``: employee records (employee_id, name, team; see
    ``CheckResult.employees``).  ``scores``: one row per employee_id, every other column shown, but
    only when the check had assessment data."""
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
            score_values[employee_id] = tuple(
                round(v, 2) if isinstance(v, float) else v for v in values
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
        references=sorted({ref for rule in cited for ref in rule.references}),
        omitted=omitted,
        limits=limits,
    )


def _capped_findings(
    result: CheckResult, order: list[str], limits: Limits
) -> tuple[dict[str, list[RuleGroup]], int]:
    """Per employee, the findings shown by rule (worst rule first), and how many are not."""
    frame = result.table
    rank = {e: i for i, e in enumerate(order)}
    capped = (
        frame.filter(
            pl.int_range(pl.len()).over("employee_id", "rule_id") < limits.findings_per_rule
        )
        .with_columns(pl.col("employee_id").replace_strict(rank, return_dtype=pl.Int64).alias("_r"))
        .sort("_r", maintain_order=True)
        .head(limits.findings)
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


# ---- HTML: the page's script draws everything from one JSON block -----------------------


def _data(report: Report) -> dict[str, Any]:
    result, limits = report.result, report.limits
    counts = result.counts
    rule_index = {rule_id: i for i, rule_id in enumerate(result.rules)}
    files = list(result.sources)
    file_index = {name: i for i, name in enumerate(files)}

    def source(text: str) -> list[Any]:
        name, _, line = text.rpartition(":")
        if name not in file_index:
            file_index[name] = len(files)
            files.append(name)
        return [file_index[name], int(line) if line.isdigit() else line]

    def finding(f: Finding) -> list[Any]:
        when = f.date.isoformat() if f.date else f.period
        # each evidence field as [[name in Chinese, name], [value in Chinese, value]]
        fields = [
            [[zh_name, name], [zh_value, value]]
            for (zh_name, zh_value), (name, value) in zip(
                evidence_texts(f.evidence, "zh"), evidence_texts(f.evidence, "en"), strict=True
            )
        ]
        return [when, f.message.zh, f.message.en, fields, [source(s) for s in f.sources]]

    rejects = result.rejects.head(limits.rejects)
    return {
        "labels": labels(),
        "escapes": {str(code): text for code, text in escapes().items()},
        "period": [d.isoformat() for d in result.period] if result.period else None,
        "calendar": any(e.days for e in report.employees),
        "files": files,
        "fileCount": len(result.sources),
        "counts": [counts.read, counts.accepted, counts.rejected, len(result)],
        "employeesWithFindings": sum(1 for e in report.employees if e.total),
        "byType": [[[record_type_zh(k), k], n] for k, n in sorted(counts.by_type.items())],
        "notes": [[note_text(n, "zh"), note_text(n, "en")] for n in result.notes],
        "rejects": [
            [f"{r['source']}:{r['line']}", r["record_type"], r["field"], r["value"], r["reason"]]
            for r in rejects.iter_rows(named=True)
        ],
        "rejectsMore": counts.rejected - rejects.height,
        "severities": list(WORST_FIRST),
        "severityCounts": list(report.severity_counts),
        "rulesets": [[t.zh, t.en, n] for _, t, n in report.rulesets],
        "ruleCounts": [[rule_index[r], n, e] for r, n, e in report.rules],
        "rules": [
            [r.rule_id, r.title.zh, r.title.en, r.severity, list(r.clauses), list(r.references)]
            for r in result.rules.values()
        ],
        "clauses": {
            c: [k.title_zh, k.title_en, k.text_zh if k.text_zh != k.title_zh else "", k.text_en]
            for c, k in CLAUSES.items()
        },
        "cited": report.clause_ids,
        "references": report.references,
        "limits": [limits.findings_per_rule, limits.findings, report.omitted, limits.files],
        "scoreColumns": [label(c) for c in report.score_columns],
        "employees": [
            [
                e.employee_id,
                e.name,
                e.team,
                e.days,
                list(e.severity_counts),
                e.total,
                list(e.scores),
                [
                    [rule_index[g.rule_id], g.omitted, list(map(finding, g.findings))]
                    for g in e.groups
                ],
            ]
            for e in report.employees
        ],
    }


def script_json(value: Any) -> str:
    """JSON that cannot end the <script> element it sits in, whatever its strings hold."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(raw, escaped)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def html_page(report: Report, *, lang: str = "zh") -> str:
    """The page of a gathered report, first shown in ``lang`` (zh or en)."""
    if lang not in ("zh", "en"):
        raise ValueError(f"unknown language {lang!r} (expected 'zh' or 'en')")
    css, script = template("report.css"), template("report.js")
    # Only this page's own style and script run: no other inline code, no fetch of anything.
    csp = (
        f"default-src 'none'; style-src {_sha256(css)}; script-src {_sha256(script)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    parts = {
        "HTML_LANG": "zh-CN" if lang == "zh" else "en",
        "LANG": lang,
        "CSP": csp,
        "TITLE": html.escape(label("title")[0 if lang == "zh" else 1]),
        "CSS": css,
        "DATA": script_json(_data(report)),
        "SCRIPT": script,
    }
    return re.sub(r"@@([A-Z_]+)@@", lambda m: parts[m.group(1)], template("report.html"))


def render_html(
    result: CheckResult,
    *,
    lang: str = "zh",
    employees: pl.DataFrame | None = None,
    scores: pl.DataFrame | None = None,
    ruleset_titles: Mapping[str, Text] | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> str:
    """The HTML report of a check's result (see ``build_report`` for the arguments)."""
    report = build_report(
        result, employees=employees, scores=scores, ruleset_titles=ruleset_titles, limits=limits
    )
    return html_page(report, lang=lang)
