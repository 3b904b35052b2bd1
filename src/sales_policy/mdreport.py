"""The Markdown report: the HTML report's content as tables and lists, in one language.

The heat map becomes one letter a day (``O`` on time, ``L`` late ... lower case on an adjusted
working day; see ``reportcontent.DAY_CODES``).  Text from the input is escaped so that it
renders as text: HTML is entity-escaped and Markdown's own punctuation is backslash-escaped.
A character that would not be seen as itself (a control, a zero-width space, a mark that
turns the direction of text) is shown as its escape, as the terminal shows it, in a code
span: S001 and a zero-width space are written S001`\\u200b`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import polars as pl

from .errors import InvalidArgument
from .findings import ZH_SEPARATOR, CheckResult, Finding, evidence_texts, note_text
from .handbook import CLAUSES
from .htmlreport import label
from .recordfields import record_type_zh
from .rejecttext import cut_short, reason_in
from .reportcontent import (
    DAY_CODES,
    DEFAULT_LIMITS,
    WORST_FIRST,
    EmployeeRow,
    Limits,
    Report,
    build_report,
    check_lang,
    score_text,
)
from .rulesets import Text
from .termtext import escapes

if TYPE_CHECKING:
    from .scores import Scores

_MARKDOWN_PUNCTUATION = "\\`*_[]|~"
_BAR_WIDTH = 30
_ESCAPES = escapes()
#: a run of the characters shown as escapes: one code span for the run, as two spans side by
#: side would read as one opened with a double backtick
_HIDDEN = re.compile("[" + "".join(re.escape(chr(code)) for code in _ESCAPES) + "]+")


def md(value: Any) -> str:
    """Input text as Markdown that renders as that text, on one line."""
    text = html.escape("" if value is None else str(value), quote=False)
    for char in _MARKDOWN_PUNCTUATION:
        text = text.replace(char, "\\" + char)
    text = _HIDDEN.sub(lambda run: f"`{''.join(_ESCAPES[ord(c)] for c in run[0])}`", text)
    return " ".join(text.splitlines())


class _Writer:
    def __init__(self, lang: str) -> None:
        self.index = 0 if lang == "zh" else 1
        self.lang = lang
        self.lines: list[str] = []
        # the punctuation of the report's language: a label's colon, a list's separators
        zh = self.index == 0
        self.colon = label("colon")[self.index]  # as the HTML page writes it
        self.semicolon, self.comma = ("；", ZH_SEPARATOR) if zh else ("; ", ", ")

    def t(self, key: str, **values: Any) -> str:
        return md(label(key)[self.index].format(**values))

    def text(self, value: Text) -> str:
        return md(value.zh if self.index == 0 else value.en)

    def note(self, note: str) -> str:
        return md(note_text(note, "zh" if self.index == 0 else "en"))

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def table(self, headers: list[str], rows: list[list[Any]], numeric_from: int = 1) -> None:
        align = ["---:" if i >= numeric_from else "---" for i in range(len(headers))]
        self.add("| " + " | ".join(headers) + " |", "|" + "|".join(align) + "|")
        self.add(*("| " + " | ".join(str(c) for c in row) + " |" for row in rows), "")


def _totals(w: _Writer, report: Report) -> None:
    result, counts = report.result, report.result.counts
    employees_with = sum(1 for e in report.employees if e.total)
    w.add(f"## {w.t('totals')}", "")
    if not len(result):  # said once, plainly, not by zeros and an empty table
        w.add(w.t("none_found"), "")
    w.table(
        [w.t("totals"), ""],
        [
            [w.t("rows_read"), counts.read],
            [w.t("accepted"), counts.accepted],
            [w.t("rejected"), counts.rejected],
            [w.t("findings"), len(result)],
            [w.t("employees_count"), employees_with],
        ],
    )
    if len(result):
        w.add(f"### {w.t('by_severity')}", "")
        w.table(
            [w.t("severity"), w.t("findings")],
            [[w.t(s), n] for s, n in zip(WORST_FIRST, report.severity_counts, strict=True)],
        )
        w.add(f"### {w.t('by_ruleset')}", "")
        w.table([w.t("ruleset"), w.t("findings")], [[w.text(t), n] for _, t, n in report.rulesets])
    type_name = record_type_zh if w.index == 0 else str  # 打卡（punch）, punch
    if counts.by_type:
        w.add(f"### {w.t('accepted_by_type')}", "")
        w.table(
            [w.t("record_type"), w.t("rows")],
            [[md(type_name(k)), v] for k, v in sorted(counts.by_type.items())],
        )
    if report.notes:
        w.add(f"### {w.t('notes')}", "", *(f"- {w.note(n)}" for n in report.notes), "")
    if counts.rejected:
        shown = result.rejects.head(min(report.limits.rejects, result.rejects.height))
        w.add(f"### {w.t('rejects')}", "")
        w.table(
            [w.t(k) for k in ("where", "record_type", "field", "value", "reason")],
            [
                [
                    md(f"{r['source']}:{r['line']}"),
                    md(type_name(r["record_type"]) if r["record_type"] else None),
                    md(r["field"]),
                    md(None if r["value"] is None else cut_short(r["value"], w.lang)),
                    md(cut_short(reason_in(r["reason"], w.lang), w.lang)),
                ]
                for r in shown.iter_rows(named=True)
            ],
            numeric_from=9,
        )
        if counts.rejected > shown.height:
            w.add(w.t("and_more", n=counts.rejected - shown.height), "")


def _rules(w: _Writer, report: Report) -> None:
    w.add(f"## {w.t('by_rule')}", "")
    if not report.rules:
        w.add(w.t("none_found"), "")
        return
    top = max(n for _, n, _ in report.rules)
    rows = []
    for rule_id, count, employees in report.rules:
        rule = report.result.rules[rule_id]
        bar = "█" * max(1, round(_BAR_WIDTH * count / top))
        rows.append([md(rule_id), w.t(rule.severity), w.text(rule.title), count, employees, bar])
    headers = [w.t(h) for h in ("rule", "severity", "rule_title", "findings", "employees")]
    w.table([*headers, ""], rows, numeric_from=3)


def _finding(w: _Writer, finding: Finding) -> list[str]:
    when = finding.date.isoformat() if finding.date else finding.period or ""
    message = finding.message.zh if w.index == 0 else finding.message.en
    # a month's message that says its month already (``{period} ...``) is not preceded by it
    shown = message if when and message.startswith(when) else f"{when} {message}".lstrip()
    lines = [f"  - {md(shown)}"]
    if finding.evidence:
        fields = evidence_texts(finding.evidence, "zh" if w.index == 0 else "en")
        evidence = w.semicolon.join(f"{md(k)}{w.colon}{md(v)}" for k, v in fields)
        lines.append(f"    - {w.t('evidence')}{w.colon}{evidence}")
    if finding.sources:
        sources = w.comma.join(md(s) for s in finding.sources)
        lines.append(f"    - {w.t('sources')}{w.colon}{sources}")
    return lines


def _employee(w: _Writer, report: Report, employee: EmployeeRow) -> None:
    name = f" {md(employee.name)}" if employee.name else ""
    w.add(f"### {md(employee.employee_id)}{name}", "")
    if employee.days:
        w.add(f"{w.t('day_code')}{w.colon}`{employee.days}`", "")
    for group in employee.groups:
        rule = report.result.rules[group.rule_id]
        clauses = w.comma.join(
            f"{c} {CLAUSES[c].title_zh if w.index == 0 else CLAUSES[c].title_en}"
            for c in rule.clauses
        )
        if clauses:
            where = f"{w.t(rule.severity)}{w.semicolon}{w.t('clauses')}{w.colon}{md(clauses)}"
        else:  # a rule citing the law, not the handbook
            basis = w.semicolon.join(map(w.text, rule.references)) or "-"
            where = f"{w.t(rule.severity)}{w.semicolon}{w.t('references')}{w.colon}{basis}"
        opening, closing = ("（", "）") if w.index == 0 else (" (", ")")
        w.add(f"- **{md(rule.rule_id)}** {w.text(rule.title)}{opening}{where}{closing}")
        for finding in group.findings:
            w.add(*_finding(w, finding))
        if group.omitted:
            w.add(f"  - {w.t('and_more', n=group.omitted)}")
    w.add("")


def _employees(w: _Writer, report: Report) -> None:
    w.add(f"## {w.t('employees')}", "")
    limits = report.limits
    if len(report.result):  # what the caps leave out, of findings there are
        caps = {"per_rule": f"{limits.findings_per_rule:,}", "total": f"{limits.findings:,}"}
        w.add(w.t("findings_cap", **caps), "")
    if report.omitted:
        w.add(w.t("findings_left_out", n=report.omitted), "")
    calendar = any(e.days for e in report.employees)
    if calendar and report.result.period:
        legend = w.comma.join(f"`{c}` {w.t('day_' + cls)}" for c, cls in DAY_CODES.items())
        first = report.result.period[0].isoformat()
        about = (
            f"（{w.t('day_code')}，{first} 起）"
            if w.index == 0
            else (f" ({w.t('day_code')}, {first} …)")
        )
        w.add(
            f"{w.t('legend')}{about}{w.colon}{legend}{w.semicolon}{w.t('day_adjusted')}"
            f"{w.colon}`o` `l` `e` `a` `m` `v`",
            "",
        )
    days = [w.t("day_code")] if calendar else []
    headers = [w.t(k) for k in ("employee", "name", "team")] + days
    headers += [w.t(s) for s in WORST_FIRST] + [w.t("total")]
    headers += [md(label(c)[w.index]) for c in report.score_columns]
    rows = []
    for e in report.employees:
        row: list[Any] = [md(e.employee_id), md(e.name), md(e.team)]
        row += [f"`{e.days}`" if e.days else ""] if calendar else []
        row += [*e.severity_counts, e.total]
        row += [
            w.t("yes" if v else "no") if isinstance(v, bool) else md(score_text(c, v))
            for c, v in zip(report.score_columns, e.scores, strict=True)
        ]
        rows.append(row)
    w.table(headers, rows, numeric_from=len(days) + 3)
    for employee in report.employees:
        if employee.groups:
            _employee(w, report, employee)


def _clauses(w: _Writer, report: Report) -> None:
    w.add(f"## {w.t('clauses')}", "")
    if not report.clause_ids and not report.references:  # every rule cites one or the other
        w.add(w.t("none_cited"), "")
    for clause_id in report.clause_ids:
        clause = CLAUSES[clause_id]
        w.add(f"### {clause_id} {clause.title_zh} / {clause.title_en}", "")
        if clause.text_zh != clause.title_zh:
            w.add(clause.text_zh, "")
        w.add(clause.text_en, "")
    if report.references:
        w.add(f"### {w.t('references')}", "", *(f"- {w.text(r)}" for r in report.references), "")


def markdown_page(report: Report, *, lang: str = "zh") -> str:
    """The Markdown of a gathered report, in ``lang`` (zh or en)."""
    if not isinstance(report, Report):
        raise InvalidArgument(
            f"report must be a Report (build_report(result)), not {type(report).__name__}"
        )
    check_lang(lang)
    w = _Writer(lang)
    result = report.result
    dash = label("to")[w.index]
    period = (
        f"{result.period[0].isoformat()}{dash}{result.period[1].isoformat()}"
        if result.period
        else w.t("no_period")
    )
    files = result.sources[: report.limits.files]
    more = len(result.sources) - len(files)
    w.add(f"# {w.t('title')}", "", f"- {w.t('period')}{w.colon}{period}")
    listed = w.comma.join(md(f) for f in files) + (f" (+{more})" if more else "")
    w.add(f"- {w.t('inputs')}{w.colon}{listed}", "")
    _totals(w, report)
    _rules(w, report)
    _employees(w, report)
    _clauses(w, report)
    return "\n".join(w.lines).rstrip("\n") + "\n"


def render_markdown(
    result: CheckResult,
    *,
    lang: str = "zh",
    employees: pl.DataFrame | None = None,
    scores: Scores | pl.DataFrame | None = None,
    ruleset_titles: Mapping[str, Text] | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> str:
    """The Markdown report of a check's result (see ``reportcontent.build_report``)."""
    check_lang(lang)  # before the report is gathered, which takes a while
    report = build_report(
        result, employees=employees, scores=scores, ruleset_titles=ruleset_titles, limits=limits
    )
    return markdown_page(report, lang=lang)
