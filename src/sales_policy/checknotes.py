"""What a check tells its reader beside the findings (``CheckResult.notes``), in English and
Chinese: what was not read or not judged, and why, so that no report reads as "all clear"
where nothing could be judged."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence

import polars as pl

from .callerwords import offered
from .findings import CheckResult, Note
from .inputnotes import (
    copies_note,
    hidden_note,
    naive_note,
    outside_employment_note,
    repeated_note,
    repeated_rows_note,
    some,
    unlisted_note,
    zeros_note,
)
from .recordfields import record_type_zh
from .rulesets import CompiledRule
from .timetext import month_text


def no_attendance_log_note() -> Note:
    """Said first when ``no_attendance_log``; the command says it on stderr where a report
    has no notes.  Leaving attendance out is said where the caller can choose rule sets."""
    rulesets = offered("rulesets", "--ruleset", "rulesets=")
    return Note(
        "attendance was judged with no punch or customer visit in the input: every scheduled "
        "working day without leave is an absence (ATT-ABSENT); give the attendance log"
        + (f", or leave attendance out ({rulesets})" if rulesets else ""),
        "输入中没有打卡或客户拜访记录，仍判断了出勤：每个没有请假的应出勤日都是旷工（ATT-ABSENT）；"
        "请提供考勤记录" + (f"，或不判断出勤（{rulesets}）" if rulesets else ""),
        kind="no_attendance_log",
    )


def no_attendance_log(result: CheckResult, judged_tables: Collection[str] | None = None) -> bool:
    """Whether the days were judged with no punch and no customer visit accepted: every
    employee absent every working day, which is the handbook's reading of such an input, and
    most likely an export given without its attendance log.  ``judged_tables``: the fact
    tables of the rules judged (None: every table derived); the days are not judged when no
    rule over ``workday`` is (attendance left out with ``--ruleset``)."""
    tables = result.facts if judged_tables is None else judged_tables
    return "workday" in tables and not has_attendance_log(result.counts.by_type)


def has_attendance_log(by_type: Mapping[str, int]) -> bool:
    """Whether any punch or customer visit was accepted (``by_type``: rows accepted by record
    type): the presence evidence days are judged by."""
    return bool(by_type.get("punch") or by_type.get("customer_visit"))


def months_without_log(workday: pl.DataFrame | None) -> list[str]:
    """The months (YYYY-MM) of the days judged in which no employee has a punch or a
    customer visit: every working day of them is an absence, read from no attendance log."""
    if workday is None or workday.is_empty():
        return []
    return _months_without(workday, workday.get_column("has_presence"))


def months_without_punch(workday: pl.DataFrame | None, punches: bool) -> list[str]:
    """The months (YYYY-MM) of the days judged in which no employee has a punch, where
    the input has punches (``punches``: of any month, in the period or not): a month's
    clock export missing from a year's, whose customer visits alone are then read as
    presence, checked with the year or alone.  None where the input has no punch (visits
    alone, or no attendance log)."""
    if workday is None or workday.is_empty() or not punches:
        return []
    punched = workday.get_column("punch_refs").is_not_null()  # null without a punch
    return _months_without(workday, punched)


def _months_without(workday: pl.DataFrame, present: pl.Series) -> list[str]:
    """The months of the days judged without a row of ``workday`` where ``present``."""
    # the dates with presence (a few dozen at most) and the days' range, not a month of
    # every row: a grouping of a month's 300,000 days costs ~30 ms, these ~1 ms
    logged = {month_text(day) for day in workday.get_column("date").filter(present).unique()}
    first, last = workday.select(pl.col("date").min(), pl.col("date").max().alias("last")).row(0)
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return [m for m in months if m not in logged]


def months_without_log_note(months: Sequence[str]) -> Note:
    """Months of the period with no punch and no customer visit of anyone, where the input
    has some: each working day of them is an absence (ATT-ABSENT), for everyone."""
    named, one = ", ".join(months), len(months) == 1
    return Note(
        f"no punch or customer visit in {named}, {'a month' if one else 'months'} of the "
        f"period: every scheduled working day of {'it' if one else 'them'} without leave is an "
        "absence (ATT-ABSENT); give the attendance log of "
        f"{'that month' if one else 'those months'}, or check a period the log covers",
        f"期间内 {'、'.join(months)} 没有任何打卡或客户拜访记录：其中每个没有请假的应出勤日都按"
        "旷工（ATT-ABSENT）判断；请提供这段时间的考勤记录，或只检查考勤记录覆盖的期间",
        kind="months_without_log",
    )


def months_without_punch_note(months: Sequence[str]) -> Note:
    """Months of the period with customer visits but no punch of anyone, where other months
    have punches: their customer visits alone were read as presence."""
    named, one = ", ".join(months), len(months) == 1
    return Note(
        f"no punch in {named}, {'a month' if one else 'months'} of the period "
        "with customer visits, where the input has punches of other months: only the visits "
        f"were read as presence, so every scheduled working day of {'it' if one else 'them'} "
        "without a visit or leave is an absence (ATT-ABSENT); give the punches of "
        f"{'that month' if one else 'those months'}, or check a period they cover",
        f"期间内 {'、'.join(months)} 没有任何打卡记录（其他月份有），只有客户拜访：其中每个没有"
        "拜访或请假的应出勤日都按旷工（ATT-ABSENT）判断；请提供这段时间的打卡记录，或只检查打卡"
        "记录覆盖的期间",
        kind="months_without_punch",
    )


def check_notes(
    result: CheckResult,
    *,
    disabled: Iterable[str],
    policy_path: str | None,
    timezone: str,
    naive_by_source: Mapping[str, int],
    unconverted: Note | None,
    not_judged: list[CompiledRule],
    titles: Mapping[str, str],
    judged_tables: Collection[str] | None = None,
    unlisted: Sequence[str] = (),
    outside: Sequence[tuple[str, int, dt.date]] = (),
    outside_period: Note | None = None,
    first_month: Note | None = None,
    period_edge: Note | None = None,
    hidden: Sequence[str] = (),
    zeros: Sequence[Sequence[str]] = (),
    repeated: Mapping[str, tuple[int, str, str]] | None = None,
    repeated_rows: Mapping[str, tuple[int, str, str]] | None = None,
    copies: Sequence[tuple[str, str]] = (),
    utf8_too: Sequence[str] = (),
    encoding: str | None = None,
    unmatched: Note | None = None,
) -> list[Note]:
    """The notes of a check, most pressing first, each with its kind (docs/cli.md, "Notes"):
    nothing read, inputs of no row, record types of which every row was rejected, attendance
    judged without an attendance log (or months of it without one, or without punches),
    files read garbled, copies of files, punches and visits read twice, employee ids holding
    hidden characters, written with other leading zeros, or without an employee record, punches
    and visits outside an employee's employment, rows judged by no rule as they lie outside the
    period (``outside_period``), rules the policy disabled, values a
    parameter lists that look mistyped (``unmatched``), timestamps read without an offset,
    months without a currency rate, a period starting inside a month, a period taken from
    the records whose edge date few were present on, rules without the
    records they read, rows not judged yet.
    ``titles``: the rule sets' Chinese titles; ``judged_tables``: the fact tables of the
    rules judged (None: every table derived); ``unlisted``: the employee ids of the records
    that no employee record names, where employee records were given (``unlisted_ids``);
    ``outside``: the employees with punches or visits outside their employment
    (``outside_employment``);
    ``first_month``: the note of a period starting inside a month (``first_month_note``);
    ``period_edge``: the note of a period taken from the records whose first or last date
    few employees were present on (``period_edge_note``);
    ``hidden``: the employee ids holding characters not seen as themselves (``hidden_ids``);
    ``zeros``: the employee ids that differ by leading zeros only (``zero_padded_ids``);
    ``repeated``: punches or visits repeating an id of an earlier file (``repeated_note``);
    ``repeated_rows``: those that are the same event as a row of an earlier file, no id
    saying so (``repeated_rows_note``);
    ``copies``: files holding the same bytes as a file given before (``copies_note``);
    ``utf8_too``: the files read in the encoding given (``encoding``) that are UTF-8 text
    too (``textfiles.decode``)."""
    notes = []
    if not result.counts.read:  # an empty list, an empty file: not "all clear"
        notes.append(
            Note(
                "no rows were read: nothing was judged",
                "没有读到任何行：未作判断",
                kind="nothing_read",
            )
        )
    else:
        empty = [source for source, n in result.counts.by_source.items() if not n]
        if empty:  # an export of the wrong month or a failed export, most likely
            named, more, more_zh = some(empty)
            notes.append(
                Note(
                    f"{len(empty)} {'input holds' if len(empty) == 1 else 'inputs hold'} "
                    f"no row: {named}{more}",
                    f"{len(empty)} 个输入没有任何数据行：{named}{more_zh}",
                    kind="empty_inputs",
                )
            )
    emptied = result.all_rejected()
    if emptied:  # judged without them, which the findings alone do not show
        en = ", ".join(f"{name} ({n})" for name, n in emptied.items())
        zh = "、".join(f"{record_type_zh(name)} {n} 行" for name, n in emptied.items())
        notes.append(
            Note(
                f"every row was rejected of: {en}; the check went on without them (the "
                "rejected rows say why)",
                f"以下记录全部被拒：{zh}；检查在没有这些记录的情况下进行（被拒的行说明原因）",
                kind="all_rejected",
            )
        )
    if no_attendance_log(result, judged_tables):
        # Judged as the handbook reads it, but most likely an input without its attendance log.
        notes.append(no_attendance_log_note())
    elif "workday" in (result.facts if judged_tables is None else judged_tables):
        workday = result.facts.get("workday")
        months = months_without_log(workday)
        if months:  # a period beyond the log: most likely the wrong period, or a month's export
            notes.append(months_without_log_note(months))
        punches = bool(result.counts.by_type.get("punch"))
        unpunched = [m for m in months_without_punch(workday, punches) if m not in months]
        if unpunched:  # a month's clock export missing (empty, or left out) from a year's
            notes.append(months_without_punch_note(unpunched))
    files = utf8_too
    if files:  # read garbled, most likely: UTF-8 without the mark among exports in GBK
        named, more, more_zh = some(files)
        notes.append(
            Note(
                f"{len(files)} {'file' if len(files) == 1 else 'files'} read as {encoding} "
                f"(the encoding given) {'is' if len(files) == 1 else 'are'} UTF-8 text too: "
                f"{named}{more}; if saved as UTF-8, "
                "the text beyond ASCII was read garbled (王伟 as 鐜嬩紵): save such files as "
                "UTF-8 with a byte-order mark (in Excel: CSV UTF-8), read as UTF-8 whatever "
                "the encoding given",
                f"{len(files)} 个文件按指定编码 {encoding} 读取，但它们也是 UTF-8 文本："
                f"{named}{more_zh}；如它们实为 UTF-8，其中的中文等字符已被读成"
                "乱码（王伟 读成 鐜嬩紵）：请将这类文件另存为带 BOM 的 UTF-8（Excel 中为"
                "“CSV UTF-8”），带 BOM 的文件无论指定何种编码都按 UTF-8 读取",
                kind="utf8_too",
            )
        )
    if copies:
        notes.append(copies_note(copies))
    if repeated:
        notes.append(repeated_note(repeated))
    if repeated_rows:
        notes.append(repeated_rows_note(repeated_rows))
    if hidden:
        notes.append(hidden_note(hidden))
    if zeros:
        notes.append(zeros_note(zeros))
    if unlisted:
        notes.append(unlisted_note(unlisted))
    if outside:
        notes.append(outside_employment_note(outside))
    if outside_period:
        notes.append(outside_period)
    if disabled:
        listed = ", ".join(sorted(disabled))
        notes.append(
            Note(
                f"rules disabled by {policy_path or 'the policy'}: {listed}",
                f"{f'{policy_path} ' if policy_path else '策略'}停用的规则：{listed}",
                kind="rules_disabled",
            )
        )
    if unmatched:
        notes.append(unmatched)
    if naive_by_source:
        notes.append(naive_note(naive_by_source, timezone))
    if unconverted:
        notes.append(unconverted)
    if first_month:
        notes.append(first_month)
    if period_edge:
        notes.append(period_edge)
    if not_judged and result.counts.read:  # with nothing read, one note says it all
        by_set: dict[str, list[str]] = {}
        for compiled in not_judged:
            by_set.setdefault(compiled.rule.ruleset, []).append(compiled.rule.rule_id)
        notes.append(
            Note(
                "not judged, no records they read: "
                + "; ".join(f"{name} ({', '.join(ids)})" for name, ids in by_set.items()),
                "因缺少所需记录，以下规则未判断："
                + "；".join(
                    f"{titles.get(name, name)}（{'、'.join(ids)}）" for name, ids in by_set.items()
                ),
                kind="not_judged",
            )
        )
    waiting = result.waiting
    if waiting:  # a report must not read as "all clear" where nothing could be judged yet
        notes.append(
            Note(
                "not judged yet, their window still open at the end of the period: "
                + ", ".join(f"{n} for {rule}" for rule, n in waiting.items()),
                "期末时期限未到，以下规则暂未判断："
                + "、".join(f"{rule} {n} 项" for rule, n in waiting.items()),
                kind="not_judged_yet",
            )
        )
    return notes


def unconverted_note(
    facts: dict[str, pl.DataFrame], rules: list[CompiledRule], currency: str
) -> Note | None:
    """Months whose sales include an amount in a currency without a rate have no net
    sales: rules comparing them judge nothing there, which the result must say."""
    months = facts.get("assessment_month")
    if months is None or "unconverted_currencies" not in months.columns:
        return None
    broken = months.filter(pl.col("unconverted_currencies").list.len() > 0)
    readers = sorted(
        c.rule.rule_id
        for c in rules
        if c.rule.facts == "assessment_month"
        and {"net_sales", "sales_achievement"} & set(c.condition.columns)
    )
    if broken.is_empty() or not readers:
        return None
    listed = [
        f"{employee} {period}: {', '.join(currencies)}"
        for employee, period, currencies in broken.sort("employee_id", "period")
        .select("employee_id", "period", "unconverted_currencies")
        .head(3)
        .iter_rows()
    ]
    more = f"; {broken.height - 3} more" if broken.height > 3 else ""
    more_zh = f"；另有 {broken.height - 3} 个" if broken.height > 3 else ""
    return Note(
        f"not judged by {', '.join(readers)} for {broken.height} employee-month(s) with "
        f"amounts in a currency without a rate into {currency} ({'; '.join(listed)}{more}): "
        "give rates in the currency_rates parameter",
        f"{'、'.join(readers)} 未判断 {broken.height} 个员工月：其金额所用币种没有换算为 "
        f"{currency} 的汇率（{'；'.join(listed)}{more_zh}）：请在 currency_rates 参数中给出汇率",
        kind="unconverted_currency",
    )
