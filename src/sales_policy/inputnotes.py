"""Notes on the inputs of a check (``CheckResult.notes``), in English and Chinese: inputs that
may not be what they seem, which the findings alone do not show: timestamps without an offset,
employee ids without an employee record, holding hidden characters or written with other
leading zeros, punches and visits outside an employee's employment, rows accepted and judged
by no rule as they lie outside the period, files that are copies of others, punches and visits
read twice (by their record_id, or by what they hold); and values a parameter lists that no
row has, though one close to it (a typo).
``checknotes.check_notes`` puts them among the check's other notes."""

from __future__ import annotations

import ast
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import polars as pl

from .errors import shown
from .facts.outside_period import Unjudged
from .findings import Note
from .recordfields import record_type_zh
from .rulesets import CompiledRule, Param
from .termtext import HIDDEN_PATTERN

#: how many of the ids without an employee record a note names
UNLISTED_SHOWN = 5


def naive_note(by_source: Mapping[str, int], timezone: str) -> Note:
    """Timestamps read without an offset, in the employee's or the policy's timezone: how
    many, and in which inputs (most first), so that an export of local times can be told
    from one that lost its offsets."""
    count = sum(by_source.values())
    most = sorted(by_source, key=lambda source: -by_source[source])
    named, more, more_zh = some(most, lambda source: f"{source} ({by_source[source]})")
    return Note(
        f"{count} {'timestamp' if count == 1 else 'timestamps'} had no UTC offset "
        f"and {'was' if count == 1 else 'were'} read in the employee's timezone "
        f"(else the policy's, {timezone}): {named}{more}",
        f"{count} 个时间未注明时区偏移，已按员工所在时区读取（未登记时区的员工按策略"
        f"时区 {timezone}）：{named}{more_zh}",
        kind="naive_timestamps",
    )


def unlisted_ids(seen: pl.DataFrame, listed: pl.DataFrame) -> list[str]:
    """The employee ids ``seen`` in the records that no employee record (``listed``) names,
    in the order seen; none when no employee record was given (every id would be)."""
    if listed.is_empty():
        return []
    ids = seen.get_column("employee_id")
    return ids.filter(~ids.is_in(listed.get_column("employee_id").implode())).to_list()


def outside_employment(
    workday: pl.DataFrame | None, employees: pl.DataFrame
) -> list[tuple[str, int, dt.date]]:
    """The employees with a punch or a customer visit on a day of the period before their
    ``hired_on`` or after their ``left_on``: each id, how many such days and the first, in
    the order of ``employees``; a leaver's badge still in use, or a staff list whose dates
    are wrong."""
    if workday is None or workday.is_empty():
        return []
    dates = (
        employees.select("employee_id", "hired_on", "left_on")
        .with_row_index("_order")
        .filter(pl.col("hired_on").is_not_null() | pl.col("left_on").is_not_null())
    )
    if dates.is_empty():
        return []
    outside = (
        workday.lazy()
        .filter(pl.col("has_presence") & ~pl.col("scheduled"))  # a few rows of a month
        .select("employee_id", "date")
        .join(dates.lazy(), on="employee_id")
        .filter((pl.col("date") < pl.col("hired_on")) | (pl.col("date") > pl.col("left_on")))
        .group_by("employee_id")
        .agg(pl.col("_order").first(), pl.len().alias("days"), pl.col("date").min())
        .sort("_order")
        .collect()
    )
    return outside.select("employee_id", "days", "date").rows()


def outside_employment_note(employees: Sequence[tuple[str, int, dt.date]]) -> Note:
    """Punches or visits on days outside an employee's employment (``outside_employment``):
    judged as days not scheduled, on which work is overtime (docs/attendance.md), which the
    findings show as overtime, not as the dates of the employee records to look at."""
    named, more, more_zh = some(
        [
            f"{shown(i)} ({n} {'day' if n == 1 else 'days'} from {first})"
            for i, n, first in employees
        ]
    )
    named_zh = "、".join(
        f"{shown(i)}（自 {first} 起 {n} 天）" for i, n, first in employees[:UNLISTED_SHOWN]
    )
    return Note(
        f"{len(employees)} {'employee has' if len(employees) == 1 else 'employees have'} "
        "punches or customer visits on days before their hired_on or after their left_on: "
        f"{named}{more}; those days were judged as not scheduled (time worked on them is "
        "overtime): check the employee records' hiring and leaving dates",
        f"{len(employees)} 名员工在入职日（hired_on）之前或离职日（left_on）之后有打卡或客户"
        f"拜访：{named_zh}{more_zh}；这些日子按非应出勤日判断（其间的工作时间算作加班）："
        "请核对员工记录的入职和离职日期",
        kind="outside_employment",
    )


def outside_period_note(unjudged: Mapping[str, Unjudged], period: tuple[dt.date, dt.date]) -> Note:
    """Accepted rows lying wholly outside the period, which no rule read
    (``facts.outside_period.unjudged``): a punch of the evening before the first day, leave
    of the month after.  Counted as accepted, they are not looked at, which the counts alone
    do not tell.  The way to judge them, a wider period, names no option: each command takes
    its period its own way (``check``: ``--period`` or ``--from``/``--to``; ``score``:
    ``--period``, a quarter or a year; ``Policy.check``: ``start`` and ``end``)."""
    start, end = period
    total = sum(rows.rows for rows in unjudged.values())
    en = ", ".join(
        f"{rows.rows} {record_type} {'row' if rows.rows == 1 else 'rows'} ({rows.span()})"
        for record_type, rows in unjudged.items()
    )
    zh = "、".join(
        f"{record_type_zh(record_type)}{rows.rows} 行（{rows.span('至')}）"
        for record_type, rows in unjudged.items()
    )
    one = total == 1
    return Note(
        f"{total} accepted {'row lies' if one else 'rows lie'} wholly outside the period "
        f"({start} to {end}) and {'was' if one else 'were'} read but not judged: {en}; to "
        f"judge {'it' if one else 'them'}, widen the period checked",
        f"有 {total} 行已接受的记录完全落在检查期间（{start} 至 {end}）之外，已读取但未判断："
        f"{zh}；如需判断，请扩大检查期间",
        kind="outside_period",
    )


def some(items: Sequence[str], show: Callable[[str], str] = str) -> tuple[str, str, str]:
    """The first ``UNLISTED_SHOWN`` items as a note names them (``show``), and how it says
    there are more, in English and in Chinese ("" when there are none)."""
    named = ", ".join(show(i) for i in items[:UNLISTED_SHOWN])
    more = f" and {len(items) - UNLISTED_SHOWN} more" if len(items) > UNLISTED_SHOWN else ""
    more_zh = f"等 {len(items)} 个" if len(items) > UNLISTED_SHOWN else ""
    return named, more, more_zh


def some_ids(ids: Sequence[str]) -> tuple[str, str, str]:
    """The first ids as a note names them (``errors.shown``: in quotes, escaped)."""
    return some(ids, shown)


def unlisted_note(ids: Sequence[str]) -> Note:
    """Employee ids in the records that no employee record names, where employee records
    were given: each is judged as employed throughout the period (docs/attendance.md), and
    most often is an id a spreadsheet changed on its way out (a leading ``'``, ``="..."``,
    leading zeros dropped, ``1017.0`` for ``1017``), an employee judged twice under two ids."""
    named, more, more_zh = some_ids(ids)
    return Note(
        f"{len(ids)} employee {'id' if len(ids) == 1 else 'ids'} in the records "
        f"{'has' if len(ids) == 1 else 'have'} no employee record, and "
        f"{'was' if len(ids) == 1 else 'were'} judged as employed throughout the period: "
        f"{named}{more}; where the employee records are complete, such an id was most likely "
        'changed by a spreadsheet (a leading \', ="...", leading zeros dropped, a number '
        "written as 1017.0), or its employee row was rejected",
        f"记录中有 {len(ids)} 个员工编号没有员工记录，已按整个期间在职判断：{named}{more_zh}；"
        '如员工记录完整，这类编号多半被表格软件改动过（开头的 \'、="..."、被去掉的前导零、'
        "写成 1017.0 的数字），"
        "或其员工记录被拒",
        kind="unlisted_ids",
    )


def hidden_ids(seen: pl.DataFrame) -> list[str]:
    """The employee ids ``seen`` that hold a character not seen as itself (``termtext.
    HIDDEN``: a zero-width space, a control character), in the order seen."""
    ids = seen.get_column("employee_id")
    return ids.filter(ids.str.contains(HIDDEN_PATTERN)).to_list()


def hidden_note(ids: Sequence[str]) -> Note:
    """Employee ids holding characters not seen as themselves: ``S001`` followed by a
    zero-width space looks like ``S001`` in a spreadsheet, and is another employee, judged
    apart, absent the days the other worked."""
    named, more, more_zh = some_ids(ids)
    return Note(
        f"{len(ids)} employee {'id holds' if len(ids) == 1 else 'ids hold'} a character not "
        f"seen as itself (a zero-width space, a control character): {named}{more}; each is "
        "an employee of its own, judged apart from the id without it",
        f"{len(ids)} 个员工编号含有看不见的字符（零宽空格、控制字符等）：{named}{more_zh}；"
        "每个都作为单独的员工判断，与不含该字符的编号不是同一人",
        kind="hidden_characters",
    )


def zero_padded_ids(seen: pl.DataFrame) -> list[list[str]]:
    """The employee ids ``seen`` of digits alone that are one number written with more or
    fewer leading zeros (``007``, ``7``), each such group in the order of ``seen``: a spreadsheet
    holding an id as a number drops its zeros, and each spelling is an employee apart."""
    ids = seen.get_column("employee_id").unique(maintain_order=True)
    digits = ids.filter(ids.str.contains(r"^[0-9]+$"))
    if digits.len() < 2:
        return []
    number = digits.str.strip_chars_start("0")
    groups = (
        pl.DataFrame({"id": digits, "number": number})
        .group_by("number", maintain_order=True)
        .agg("id")
    )
    return [group for group in groups.get_column("id").to_list() if len(group) > 1]


def zeros_note(groups: Sequence[Sequence[str]]) -> Note:
    """Employee ids of one number with more or fewer leading zeros (``zero_padded_ids``):
    most likely one employee whose id a spreadsheet changed, judged as several, each absent
    the days the others worked."""
    named, more, more_zh = some([" = ".join(shown(i) for i in group) for group in groups])
    n = len(groups)
    return Note(
        f"{n} employee {'id is' if n == 1 else 'ids are'} written with different numbers of "
        f"leading zeros, and each spelling was judged as an employee apart: "
        f"{named}{more}; a spreadsheet drops the leading zeros of an id it holds as a number: "
        "keep ids as text in every export",
        f"{n} 个员工编号在部分记录中前导零的个数不同，每种写法都作为单独的员工判断："
        f"{named}{more_zh}；表格软件会去掉按数字保存的编号的前导零：请在每份导出中把编号保存为文本",
        kind="leading_zeros",
    )


def copies_note(copies: Sequence[tuple[str, str]]) -> Note:
    """Files holding the same bytes as a file given before them: most likely a download
    saved twice (``punches (1).csv``), whose rows were then read, counted and judged twice;
    an employee's merged into the same employee, a request's or an order's rejected as
    duplicates.  DataFrames holding the same rows as one given before (``df.clone()``) are
    named alike."""
    n = len(copies)
    files = not any(copy.startswith("<dataframe ") for copy, _ in copies)
    what, what_zh = ("file", "文件") if files else ("input", "输入")
    same, same_zh = ("bytes", "内容完全相同") if files else ("rows", "的行完全相同")
    named, more, more_zh = some([f"{copy} (as {earlier})" for copy, earlier in copies])
    named_zh = "、".join(f"{copy}（同 {earlier}）" for copy, earlier in copies[:UNLISTED_SHOWN])
    return Note(
        f"{n} {what}{' holds' if n == 1 else 's hold'} the same {same} as "
        f"{'a file' if files else 'an input'} given before: {named}{more}; "
        f"{'its' if n == 1 else 'their'} rows were read twice, and counted and judged twice "
        "(an employee's merged into one, those with another id rejected as duplicates); "
        f"give each {'export' if files else 'input'} once",
        f"{n} 个{what_zh}与之前给出的{what_zh}{same_zh}：{named_zh}{more_zh}；"
        "其中的行被读取了两次，也被计数和判断了两次（员工的行合并为一条，其他有编号的行作为重复被拒）；"
        f"每份{'导出' if files else '输入'}请只提供一次",
        kind="copies",
    )


def repeated_note(repeated: Mapping[str, tuple[int, str, str]]) -> Note:
    """Punches or visits repeating the ``record_id`` of a row of an earlier file
    (``overlaps.repeated_ids``): exports that overlap, most likely, whose shared rows are read
    twice (kept, not rejected: a clock may number its punches per device)."""
    en = "; ".join(
        f"{count} {record_type} {'row repeats' if count == 1 else 'rows repeat'} the record_id "
        f"of a row of an earlier file (the first: {later} repeats {earlier})"
        for record_type, (count, later, earlier) in repeated.items()
    )
    zh = "；".join(
        f"{record_type_zh(record_type)} {count} 行的 record_id 与前面文件中的行相同"
        f"（首个：{later} 与 {earlier} 相同）"
        for record_type, (count, later, earlier) in repeated.items()
    )
    return Note(
        f"{en}: where the files overlap, those records are read twice; give each once",
        f"{zh}：如文件内容重叠，这些记录被读了两次；请每条只提供一次",
        kind="repeated_record_ids",
    )


#: what a repeated row holds the same of the earlier one, by type (``overlaps.SAME_EVENT``)
_SAME = {
    "punch": ("employee, time and direction", "员工、时间和方向"),
    "customer_visit": ("employee, customer, start and end", "员工、客户、开始和结束时间"),
}


def repeated_rows_note(repeated: Mapping[str, tuple[int, str, str]]) -> Note:
    """Punches or visits that are the same event as a row of an earlier file, no record_id
    saying so (``overlaps.repeated_rows``): a month exported twice by a clock that gives no
    ids (as CSV, then as a workbook), whose rows are read twice."""
    en = "; ".join(
        f"{count} {record_type} {'row repeats' if count == 1 else 'rows repeat'} a row of an "
        f"earlier file (the same {_SAME[record_type][0]}; the first: {later} repeats {earlier})"
        for record_type, (count, later, earlier) in repeated.items()
    )
    zh = "；".join(
        f"{record_type_zh(record_type)} {count} 行与前面文件中的行相同（{_SAME[record_type][1]}"
        f"相同；首个：{later} 与 {earlier} 相同）"
        for record_type, (count, later, earlier) in repeated.items()
    )
    return Note(
        f"{en}: where the files overlap (a month exported twice), those records are read "
        "twice; give each once",
        f"{zh}：如文件内容重叠（同一个月导出了两次），这些记录被读了两次；请每条只提供一次",
        kind="repeated_rows",
    )


#: the most distinct values a column may hold for a parameter's values to be compared with
#: them (``unmatched_values_note``): kinds of a thing (leave types, statuses), not free text
UNMATCHED_KINDS = 1000


def unmatched_values_note(
    rules: Sequence[CompiledRule],
    facts: Mapping[str, pl.DataFrame],
    params: Mapping[str, Any],
    declared: Mapping[str, Param],
) -> Note | None:
    """Values of a text-list parameter that a condition matches a column against
    (``leave_type not in retroactive_leave_types``) which no row of the fact table has, where
    a value close to it is there: ``sik`` beside ``sick`` is a typo that exempts nothing.
    A value with none close to it is a value the period does not hold (a leave not taken).
    Ids (a column ``..._id``) differ from each other by a character by design (E1001, E1009):
    one the period does not hold is no typo, and is not compared; nor are the values of a
    column of more than ``UNMATCHED_KINDS`` distinct ones, which are no kinds of a thing."""
    said: list[tuple[str, str, str, str, str]] = []
    for compiled in rules:
        table = facts.get(compiled.rule.facts)
        if table is None or table.is_empty():
            continue
        for column, name in _matched_lists(compiled.condition.text):
            param = declared.get(name)
            if param is None or param.type != "str_list" or column not in table.columns:
                continue
            if column.endswith("_id"):
                continue
            distinct = table.get_column(column).drop_nulls().unique()
            if distinct.len() > UNMATCHED_KINDS:
                continue
            present = [v for v in distinct.sort() if v]
            known = set(present)
            for value in params.get(name, ()):
                if value in known:
                    continue
                import difflib  # a value not found is rare: not at every command's start

                close = difflib.get_close_matches(value, present, n=1)
                entry = (name, value, compiled.rule.facts, column, close[0] if close else "")
                if close and entry not in said:
                    said.append(entry)
    if not said:
        return None
    return Note(
        "a parameter lists a value that no fact row has, though one close to it: "
        + "; ".join(
            f"{name} lists {value!r}, which no {table} row has as its {column} "
            f"(did you mean {close!r}?)"
            for name, value, table, column, close in said
        ),
        "参数所列的值没有任何事实行取到，但有相近的值："
        + "；".join(
            f"{name} 列出 {value!r}，没有 {table} 行的 {column} 是它（是否应为 {close!r}？）"
            for name, value, table, column, close in said
        ),
        kind="unmatched_values",
    )


def _matched_lists(condition: str) -> list[tuple[str, str]]:
    """The (column, parameter) pairs of a condition's ``column in parameter`` and
    ``column not in parameter``."""
    pairs = []
    for node in ast.walk(ast.parse(condition.strip(), mode="eval")):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            for op, left, right in zip(node.ops, sides, sides[1:], strict=False):
                named = isinstance(left, ast.Name) and isinstance(right, ast.Name)
                if named and isinstance(op, ast.In | ast.NotIn):
                    pairs.append((left.id, right.id))  # type: ignore[attr-defined]
    return pairs
