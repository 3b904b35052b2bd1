"""The report people read: one self-contained HTML page (and, in ``mdreport``, Markdown),
drawn from what ``reportcontent.build_report`` gathers.

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
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any

import polars as pl

from .errors import InvalidArgument
from .findings import CheckResult, Finding, evidence_texts, note_text
from .handbook import CLAUSES
from .recordfields import record_type_zh
from .rejecttext import SHOWN, cut_short, reason_zh
from .reportcontent import (
    DEFAULT_LIMITS,
    SCORE_PLACES,
    WORST_FIRST,
    Limits,
    Report,
    build_report,
    check_lang,
)
from .rulesets import Text
from .termtext import escapes

if TYPE_CHECKING:
    from .scores import Scores

__all__ = [
    "Limits",
    "Report",
    "build_report",
    "html_page",
    "label",
    "labels",
    "render_html",
    "script_json",
    "template",
]


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

    rejects = result.rejects.head(min(limits.rejects, result.rejects.height))
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
        "notes": [[note_text(n, "zh"), note_text(n, "en")] for n in report.notes],
        "rejects": [
            [
                f"{r['source']}:{r['line']}",
                # named as the accepted rows by type are (打卡（punch）); none before the
                # type was known
                None
                if r["record_type"] is None
                else [record_type_zh(r["record_type"]), r["record_type"]],
                r["field"],
                # as it is; cut short in each language where long (a document pasted into a
                # cell)
                r["value"]
                if r["value"] is None or len(r["value"]) <= SHOWN
                else [cut_short(r["value"], "zh"), cut_short(r["value"], "en")],
                [cut_short(reason_zh(r["reason"]), "zh"), cut_short(r["reason"], "en")],
            ]
            for r in rejects.iter_rows(named=True)
        ],
        "rejectsMore": counts.rejected - rejects.height,
        "severities": list(WORST_FIRST),
        "severityCounts": list(report.severity_counts),
        "rulesets": [[t.zh, t.en, n] for _, t, n in report.rulesets],
        "ruleCounts": [[rule_index[r], n, e] for r, n, e in report.rules],
        "rules": [
            [
                r.rule_id,
                r.title.zh,
                r.title.en,
                r.severity,
                list(r.clauses),
                [[ref.zh, ref.en] for ref in r.references],
            ]
            for r in result.rules.values()
        ],
        "clauses": {
            c: [k.title_zh, k.title_en, k.text_zh if k.text_zh != k.title_zh else "", k.text_en]
            for c, k in CLAUSES.items()
        },
        "cited": report.clause_ids,
        "references": [[ref.zh, ref.en] for ref in report.references],
        "limits": [limits.findings_per_rule, limits.findings, report.omitted, limits.files],
        "scoreColumns": [label(c) for c in report.score_columns],
        "scorePlaces": [SCORE_PLACES.get(c) for c in report.score_columns],
        "employees": [
            [
                e.employee_id,
                e.name,
                e.team,
                e.days,
                list(e.severity_counts),
                e.total,
                [
                    _score_cell(value, SCORE_PLACES.get(column))
                    for column, value in zip(report.score_columns, e.scores, strict=True)
                ],
                [
                    [rule_index[g.rule_id], g.omitted, list(map(finding, g.findings))]
                    for g in e.groups
                ],
            ]
            for e in report.employees
        ],
    }


def _score_cell(value: Any, places: int | None) -> Any:
    """A score as the page's data holds it: as it is, a number the script sorts by and writes
    to ``places``; an exact amount (a ``Decimal``: the commission) as its float, where that
    writes the same digits, else as its text, every digit (987654321098765432.11, whose
    float writes 987654321098765440.00), which the script sorts by its number too."""
    if not isinstance(value, Decimal):
        return value
    near = float(value)
    if places is not None and f"{near:.{places}f}" == f"{value:.{places}f}":
        return near
    return f"{value:f}"


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
    if not isinstance(report, Report):
        raise InvalidArgument(
            f"report must be a Report (build_report(result)), not {type(report).__name__}"
        )
    check_lang(lang)
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
    scores: Scores | pl.DataFrame | None = None,
    ruleset_titles: Mapping[str, Text] | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> str:
    """The HTML report of a check's result (see ``build_report`` for the arguments)."""
    check_lang(lang)  # before the report is gathered, which takes a while
    report = build_report(
        result, employees=employees, scores=scores, ruleset_titles=ruleset_titles, limits=limits
    )
    return html_page(report, lang=lang)
