"""Rendering a check's result: terminal table, JSON, JSONL and CSV.

The findings' lines come from ``findingtexts`` (column-wise, exactly as the Python objects
would be written); CSV cells that a spreadsheet would run as a formula are prefixed with
``'`` so they show as text, rejects included.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import IO, Any

import polars as pl

from .columntext import csv_line, pad, safe_cell, write_joined
from .findings import CheckResult, note_text
from .findingtexts import CSV_COLUMNS, finding_texts
from .recordfields import record_type_zh
from .rejecttext import cut_short, reason_in
from .rulesets import SEVERITIES
from .ruletexts import FINDING_DEPTH
from .termtext import display_width, ljust, one_line, terminal_text

FORMATS = ("table", "json", "jsonl", "csv")


def reject_groups(rejects: pl.DataFrame) -> pl.DataFrame:
    """The rejected rows by file, record type and field, in the order the rows come (the
    rejects are sorted by file, then line): how many (``rows``), and the first one's
    ``line`` and ``reason``.  A year's export rejected row by row reads as a few causes,
    each with where to look first."""
    return rejects.group_by("source", "record_type", "field", maintain_order=True).agg(
        pl.len().alias("rows"), pl.col("line").first(), pl.col("reason").first()
    )


def summary(result: CheckResult) -> dict[str, Any]:
    period = result.period
    rejected = result.rejects
    groups = (
        reject_groups(rejected).select("source", "record_type", "field", "rows").to_dicts()
        if rejected.height
        else []
    )
    return {
        "period": {"start": period[0].isoformat(), "end": period[1].isoformat()}
        if period
        else None,
        "counts": {
            "read": result.counts.read,
            "accepted": result.counts.accepted,
            "rejected": result.counts.rejected,
            "accepted_by_type": result.counts.by_type,
            "rejected_by_field": groups,
            "by_source": result.counts_by_source().to_dicts(),
            "findings": len(result),
        },
        "notes": [str(note) for note in result.notes],  # English, as documented
        # what each note is about, by a name that stays as the texts change (Note.kind)
        "note_kinds": [getattr(note, "kind", "") for note in result.notes],
        "pending": result.waiting,
    }


def write_json(result: CheckResult, out: IO[str]) -> None:
    head = json.dumps(summary(result), ensure_ascii=False, indent=2)
    lines = finding_texts(result, "json")
    # The summary's closing brace gives way to the findings, the document's last key.
    out.write(head.removesuffix("\n}") + ',\n  "findings": ')
    if len(lines):
        out.write("[" + pad(FINDING_DEPTH))
        write_joined(out, lines, "," + pad(FINDING_DEPTH))
        out.write(pad(1) + "]\n}\n")
    else:
        out.write("[]\n}\n")


def write_jsonl(result: CheckResult, out: IO[str]) -> None:
    lines = finding_texts(result, "jsonl")
    if len(lines):
        write_joined(out, lines, "\n")
        out.write("\n")


def write_csv(result: CheckResult, out: IO[str]) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    lines = finding_texts(result, "csv")
    if len(lines):
        write_joined(out, lines, "\n")
        out.write("\n")


def write_rejects(rejects: pl.DataFrame, out: IO[str]) -> None:
    out.write(csv_line(rejects.columns) + "\n")
    out.writelines(csv_line(map(safe_cell, row)) + "\n" for row in rejects.iter_rows())


def _table(headers: Iterable[str], rows: list[list[str]]) -> str:
    headers = list(headers)
    rows = [[one_line(cell) for cell in row] for row in rows]
    widths = [
        max([display_width(h), *(display_width(r[i]) for r in rows)]) for i, h in enumerate(headers)
    ]

    def line(cells: list[str]) -> str:
        return "  ".join(ljust(c, w) for c, w in zip(cells, widths, strict=True))

    return "\n".join([line(headers), line(["-" * w for w in widths]), *map(line, rows)])


#: how many groups of rejected rows (``reject_groups``) a terminal shows
REJECT_GROUPS_SHOWN = 10


def reject_table(rejects: pl.DataFrame, *, lang: str = "en") -> str:
    """The rejected rows by file, record type and field (``reject_groups``), at most
    ``REJECT_GROUPS_SHOWN`` of them, each with its first row's line and reason (in Chinese
    with ``lang`` "zh": ``rejecttext``)."""
    groups = reject_groups(rejects)
    headers = (
        ["行数", "文件", "类型", "字段", "首行"]
        if lang == "zh"
        else ["rows", "file", "type", "field", "first"]
    )
    shown = [
        [
            f"{row['rows']:,}",
            row["source"],
            (record_type_zh if lang == "zh" else str)(row["record_type"] or "—"),
            row["field"] or "—",
            f"{'第 {} 行：' if lang == 'zh' else 'line {}: '}".format(row["line"])
            + cut_short(reason_in(row["reason"], lang), lang),
        ]
        for row in groups.head(REJECT_GROUPS_SHOWN).iter_rows(named=True)
    ]
    text = _table(headers, shown)
    if groups.height > REJECT_GROUPS_SHOWN:
        rest = groups.slice(REJECT_GROUPS_SHOWN)
        more, rows = rest.height, int(rest.get_column("rows").sum())
        text += "\n" + (
            f"另有 {more:,} 组（{rows:,} 行）"
            if lang == "zh"
            else f"and {more:,} more ({rows:,} rows)"
        )
    return text


#: the table report's words in Chinese (``--lang zh``); the reasons rows were rejected for
#: are said in Chinese by ``rejecttext``
_ZH_WORDS = {
    "period": "期间",
    "{} to {}": "{} 至 {}",
    "none (no record dated it, and not both --from and --to given)": (
        "无（没有带日期的记录，也没有同时给出 --from 和 --to）"
    ),
    "rows": "行数",
    "{} read = {} accepted + {} rejected": "读取 {} = 接受 {} + 拒绝 {}",
    "note": "说明",
    "rejected rows, by file and field (--rejects FILE writes them all):": (
        "被拒绝的行，按文件和字段（--rejects FILE 写出全部）："
    ),
    "findings": "发现数",
    "first {} of {} findings (--format jsonl for all):": (
        "前 {} 条，共 {} 条发现（--format jsonl 写出全部）："
    ),
    "employee": "员工",
    "total": "合计",
    "law": "法律",
}


def write_table(result: CheckResult, out: IO[str], *, lang: str = "en", limit: int = 30) -> None:
    def write(text: str) -> None:  # values read are shown, never acted on (``termtext``)
        out.write(terminal_text(text))

    from .htmlreport import label as report_label  # the severities, as every report names

    def word(text: str, *values: object) -> str:
        said = text
        if lang == "zh":
            said = report_label(text)[0] if text in SEVERITIES else _ZH_WORDS.get(text, text)
        return said.format(*values) if values else said

    def heading(text: str) -> str:  # the first column's, padded as wide as "findings "
        said = word(text)
        return said + " " * max(1, 9 - display_width(said))

    info = summary(result)
    counts = info["counts"]
    period = info["period"]
    write(
        heading("period")
        + (
            word("{} to {}", period["start"], period["end"])
            if period
            else word("none (no record dated it, and not both --from and --to given)")
        )
        + "\n"
    )
    read = word(
        "{} read = {} accepted + {} rejected",
        counts["read"],
        counts["accepted"],
        counts["rejected"],
    )
    write(f"{heading('rows')}{read}\n")
    for note in result.notes:
        write(f"{heading('note')}{one_line(note_text(note, lang))}\n")
    if result.counts.rejected:
        write(f"\n{word('rejected rows, by file and field (--rejects FILE writes them all):')}\n")
        write(reject_table(result.rejects, lang=lang) + "\n")
    write(f"\n{heading('findings')}{len(result)}\n")
    if not len(result):
        return
    by_rule = result.counts_by("rule_id").join(
        result.table.group_by("rule_id").agg(
            pl.col("severity").first(), pl.col("employee_id").n_unique().alias("employees")
        ),
        on="rule_id",
    )
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    rows = sorted(by_rule.iter_rows(named=True), key=lambda r: (-rank[r["severity"]], r["rule_id"]))

    def title(rule_id: str) -> str:
        text = result.rules[rule_id].title
        return text.zh if lang == "zh" else text.en

    write(
        "\n"
        + _table(
            ["规则", "严重程度", "发现数", "员工数", "名称"]
            if lang == "zh"
            else ["rule", "severity", "findings", "employees", "title"],
            [
                [
                    r["rule_id"],
                    word(r["severity"]),
                    str(r["findings"]),
                    str(r["employees"]),
                    title(r["rule_id"]),
                ]
                for r in rows
            ],
        )
        + "\n"
    )
    per_employee = (
        result.table.pivot(
            on="severity", index="employee_id", values="rule_id", aggregate_function="len"
        )
        .fill_null(0)
        .sort("employee_id")
    )
    present = [s for s in reversed(SEVERITIES) if s in per_employee.columns]
    write(
        "\n"
        + _table(
            [word("employee"), *map(word, present), word("total")],
            [
                [r["employee_id"], *(str(r[s]) for s in present), str(sum(r[s] for s in present))]
                for r in per_employee.iter_rows(named=True)
            ],
        )
        + "\n"
    )
    shown = result.findings_of(result.table.head(limit))  # not every finding's object
    write(
        f"\n{word('first {} of {} findings (--format jsonl for all):', len(shown), len(result))}\n"
        if len(result) > limit
        else "\n"
    )
    for finding in shown:
        when = finding.date.isoformat() if finding.date else finding.period
        message = finding.message.zh if lang == "zh" else finding.message.en
        rule = result.rules.get(finding.rule_id)
        clauses = ",".join(finding.clauses) or word(rule.citation if rule else "-")
        write(
            f"  {one_line(finding.employee_id)}  {when}  {finding.rule_id} "
            f"[{word(finding.severity)}; {clauses}]  {one_line(message)}\n"
        )


def write_report(result: CheckResult, fmt: str, out: IO[str], *, lang: str = "en") -> None:
    """Write the report in one of FORMATS to ``out``, a part at a time: a month's JSONL is
    tens of megabytes, never held whole."""
    if fmt == "table":
        write_table(result, out, lang=lang)
    elif fmt == "json":
        write_json(result, out)
    elif fmt == "jsonl":
        write_jsonl(result, out)
    elif fmt == "csv":
        write_csv(result, out)
    else:
        raise ValueError(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")


def render(result: CheckResult, fmt: str, *, lang: str = "en") -> str:
    """The whole report in one of FORMATS, as text."""
    buffer = io.StringIO()
    write_report(result, fmt, buffer, lang=lang)
    return buffer.getvalue()
