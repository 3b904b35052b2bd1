"""How ``sales-policy why`` says what the check made of a day (``dayexplain``), in English
or Chinese: its lines, the values of fact rows as rules read them (instants in local time,
input rows as ``file:line``), and each rule's condition part by part."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl

from .facts.schema import FactTable
from .rulesets import CompiledRule
from .termtext import display_width, ljust, one_line
from .validation import ref_text_of

#: how many references of a list a value shows
_REFS_SHOWN = 5
#: the text in Chinese (``lang="zh"``): each English template's Chinese
_ZH = {
    "{who}, {day} ({weekday}): {day_count} of the day, {month_count} of the month {month} as a "
    "whole": "{who}，{day}（{weekday}）：当天发现 {day_n} 条，{month} 整月发现 {month_count} 条",
    "{title}, {where}: {rows}": "{title}，{where}：{n} 行",
    "{table} of {rule} (counting {counted})": "{table}（{rule} 计数：{counted}）",
    "  (derived with {name} = {value}: {columns})": "  （派生时使用 {name} = {value}：{columns}）",
    "  row {number}": "  第 {number} 行",
    "  no row: its rows are dated the period's last day, {last} ({ids})": (
        "  无此行：其行的日期为期末最后一天 {last}（{ids}）"
    ),
    "  no row: its rules judge nothing here ({ids})": "  无此行：其规则在此不作判断（{ids}）",
    "  {rule} [{severity}]  condition {holds}: {found}": (
        "  {rule} [{severity}]  条件{holds}：发现 {n} 条"
    ),
    "    (of its group {group}, a row has the finding of only the first rule that holds there, "
    "most severe first, then in file order: {order})": (
        "    （同组 {group} 中，一行只有最先成立的规则才记为发现，"
        "先按严重程度，再按文件顺序：{order}）"
    ),
    "    (pending on {rows}: its window was still open at the end of the period, so it is not "
    "judged yet)": "    （{rows}待定：期末时期限尚未结束，暂不判断）",
    "    (pending: its window was still open at the end of the period, so it is not judged "
    "yet)": "    （待定：期末时期限尚未结束，暂不判断）",
    "disabled by the policy: {ids}": "策略停用的规则：{ids}",
    "notes of the check:": "检查说明：",
}
WEEKDAYS_ZH = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
_TRUTH = {
    "en": {True: "true", False: "false", None: "null (a value it reads is missing)"},
    "zh": {True: "成立", False: "不成立", None: "为空（所读的值缺失）"},
}


def say(lang: str, template: str, **values: Any) -> str:
    """A line of the text in ``lang``, from its English template and its values."""
    return (_ZH[template] if lang == "zh" else template).format(**values)


def joined(lang: str, items: Sequence[str]) -> str:
    return ("、" if lang == "zh" else ", ").join(items)


@dataclass(frozen=True)
class Judged:
    """One rule over the rows of its fact table for the day (or month): each part of its
    condition and the part's value per row, the whole condition's, and its findings."""

    compiled: CompiledRule
    parts: list[tuple[str, list[bool | None]]]
    holds: list[bool | None]
    found: int
    #: per row, whether its window was still open at the period's end (no ``pending``: none)
    pending: list[bool | None]


def judged_lines(judged: Judged, group: Sequence[str], lang: str) -> list[str]:
    """One rule's lines; ``group``: the rules of its exclusive group, in the engine's order."""
    rule = judged.compiled.rule
    lines = [
        say(
            lang,
            "  {rule} [{severity}]  condition {holds}: {found}",
            rule=rule.rule_id,
            severity=severity(rule.severity, lang),
            holds=truths(judged.holds, lang),
            found=count(judged.found, "finding"),
            n=judged.found,
        )
    ]
    if rule.exclusive_group and judged.found < sum(v is True for v in judged.holds):
        template = (
            "    (of its group {group}, a row has the finding of only the first rule that holds "
            "there, most severe first, then in file order: {order})"
        )
        lines.append(
            say(lang, template, group=repr(rule.exclusive_group), order=joined(lang, group))
        )
    if any(judged.pending):
        numbers = [str(i) for i, open_ in enumerate(judged.pending, 1) if open_]
        if len(judged.pending) > 1:
            rows = (
                f"第 {'、'.join(numbers)} 行"
                if lang == "zh"
                else f"{'row' if len(numbers) == 1 else 'rows'} {', '.join(numbers)}"
            )
            template = (
                "    (pending on {rows}: its window was still open at the end of the period, so "
                "it is not judged yet)"
            )
            lines.append(say(lang, template, rows=rows))
        else:
            template = (
                "    (pending: its window was still open at the end of the period, so it is not "
                "judged yet)"
            )
            lines.append(say(lang, template))
    width = max(display_width(text) for text, _ in judged.parts)
    for text, values in judged.parts:
        lines.append(f"    {ljust(text, width)}  {truths(values, lang)}")
    return lines


def severity(severity: str, lang: str) -> str:
    """A severity as every report names it (提示, 轻微, 较重, 严重 in Chinese)."""
    if lang != "zh":
        return severity
    from .htmlreport import label

    return label(severity)[0]


def truths(values: Sequence[bool | None], lang: str) -> str:
    return joined(lang, [_TRUTH[lang][v] for v in values])


def count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def row_lines(schema: FactTable, rows: pl.DataFrame, sources: list[str], lang: str) -> list[str]:
    lines = []
    types = schema.types()
    shown = [c.name for c in schema.columns if c.name not in ("employee_id", "timezone")]
    width = max((len(name) for name in shown), default=0)
    for number, row in enumerate(rows.iter_rows(named=True), 1):
        if rows.height > 1:
            lines.append(say(lang, "  row {number}", number=number))
        zone = row.get("timezone")
        for name in shown:
            text = one_line(value_text(row.get(name), types[name], zone, sources, lang))
            lines.append(f"  {name:<{width}}  {text}")
    return lines


def value_text(value: Any, kind: str, zone: str | None, sources: list[str], lang: str) -> str:
    none = "无" if lang == "zh" else "none"
    if value is None:
        return "—"
    if kind == "ref":
        return ref_text_of(value, sources)
    if kind == "ref_list":
        refs = joined(lang, [ref_text_of(ref, sources) for ref in value[:_REFS_SHOWN]])
        if len(value) > _REFS_SHOWN:
            refs += (
                f"等 {len(value)} 个" if lang == "zh" else f" and {len(value) - _REFS_SHOWN} more"
            )
        return refs or none
    if isinstance(value, dt.datetime):
        local = value.astimezone(ZoneInfo(zone)) if zone else value
        return local.isoformat()
    if isinstance(value, bool):
        return ("是" if value else "否") if lang == "zh" else ("true" if value else "false")
    if isinstance(value, list):
        return joined(lang, [str(item) for item in value]) or none
    return str(value)
