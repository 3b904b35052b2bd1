"""Notes on the period a check judged: one starting inside a month, whose monthly counts are
of part of it (``first_month``), and one taken from the records whose first or last date
few employees were present on (``period_edge``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence

import polars as pl

from .callerwords import said
from .findings import Note
from .rulesets import CompiledRule
from .timetext import month_text

#: the fact tables of month grain counted from the period's days only: a month begun before
#: the period has the days of the period counted (the other month tables read whole months)
COUNTED_IN_PERIOD = ("employee_month", "finding_month")
#: the fact tables of month grain that read the whole months of the period, the records of a
#: month begun before the period too: a month's target, satisfaction and market report are
#: the whole month's (facts.outside_period, ``MONTHS``)
WHOLE_MONTHS = ("assessment_month", "market_report_month")


def first_month_note(
    start: dt.date,
    end: dt.date | None,
    rules: Sequence[CompiledRule],
    derived: Collection[str] = WHOLE_MONTHS,
) -> Note | None:
    """A period given to start after the first of its month: the rules of ``rules`` that
    count a month's days or findings count that month's from ``start`` only (ATT-OVERTIME-
    MONTH-LIMIT, DIS-REPEATED-LATE...), which no finding shows; those of the month tables
    ``derived`` that read whole months (ASM-TARGET-MISSED, CRM-NO-MARKET-REPORT...) judge it
    whole, its records before ``start`` too.  None when none is judged or the period starts
    on a first."""
    counting = [c.rule.rule_id for c in rules if c.rule.facts in COUNTED_IN_PERIOD]
    whole = [
        c.rule.rule_id for c in rules if c.rule.facts in WHOLE_MONTHS and c.rule.facts in derived
    ]
    if start.day == 1 or not (counting or whole):
        return None
    month, first = month_text(start), start.replace(day=1)
    last = (first + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)
    last = min(last, end) if end is not None else last  # the period may end in the month
    en, zh = [], []
    if counting:
        en.append(
            f"the monthly counts of {month} ({', '.join(counting)}) are of {start} to {last} "
            f"only; start the period on {first} to count the whole month"
        )
        zh.append(
            f"{month} 的月度累计（{'、'.join(counting)}）只计 {start} 至 {last}；如需整月累计，"
            f"请从 {first} 开始"
        )
    if whole:
        en.append(
            f"{', '.join(whole)} judge {month} as a whole month: its records from {first} "
            f"count, those before {start} too"
        )
        zh.append(
            f"{'、'.join(whole)} 按整月判定 {month}：自 {first} 起的记录均计入，含 {start} 之前的"
        )
    return Note(
        f"the period starts on {start}, after the first of its month: {'; '.join(en)}",
        f"期间从 {start} 开始，不是当月 1 日：{'；'.join(zh)}",
        kind="first_month",
    )


def period_edge_note(
    workday: pl.DataFrame | None, period: tuple[dt.date, dt.date], given: tuple[bool, bool]
) -> Note | None:
    """A period taken from the records (its start, its end or both not ``given``) whose
    first or last date has a punch or a visit of fewer than half the employees scheduled
    there, and of fewer than half as many as on the period's other days (the median day): a
    stray row of the evening before a month's export (a night shift's punch after midnight,
    a clock's export in UTC) set the period, and everyone else was judged absent on that
    date.  None when no such edge is found."""
    if workday is None or workday.is_empty():
        return None
    days = (
        workday.filter(pl.col("scheduled") & (pl.col("required_minutes") > 0))
        .group_by("date")
        .agg(pl.len().alias("scheduled"), pl.col("has_presence").sum().alias("present"))
        .with_columns((pl.col("present") / pl.col("scheduled")).alias("share"))
    )
    edges = {date for date, known in zip(period, given, strict=True) if not known}
    inside = days.filter(~pl.col("date").is_in(edges)).get_column("share")
    usual = inside.median() if inside.len() else 1.0
    found = (
        days.filter(
            pl.col("date").is_in(edges)
            & (pl.col("share") < 0.5)
            & (pl.col("share") < 0.5 * pl.lit(usual, pl.Float64))
        )
        .sort("date")
        .select("date", "present", "scheduled")
        .rows()
    )
    if not found:
        return None
    en, zh = [], []
    for date, present, scheduled in found:
        which, which_zh = ("first", "首日") if date == period[0] else ("last", "末日")
        verb = "have" if present > 1 else "has"
        had = f"{present or 'none'} of the {scheduled} employees scheduled {verb}"
        had_zh = f"排班的 {scheduled} 名员工" + (f"中只有 {present} 名有" if present else "无人有")
        en.append(f"on {date}, its {which} date, {had} a punch or a visit")
        zh.append(f"{which_zh} {date} {had_zh}打卡或拜访")
    taken = {
        (False, False): ("the period was", "检查期间"),
        (True, False): ("the period's end was", "检查期间的结束日"),
        (False, True): ("the period's start was", "检查期间的开始日"),
    }[given]
    dates, dates_zh = ("that date", "该日") if len(found) == 1 else ("those dates", "这两天")
    return Note(
        f"{taken[0]} taken from the records' dates ({period[0]} to {period[1]}): "
        f"{'; '.join(en)}; those without one were judged absent there unless on leave. If "
        f"{dates} {'was' if len(found) == 1 else 'were'} not meant to be checked, give the "
        f"period ({said('--period YYYY-MM, or --from/--to', 'start and end')})",
        f"{taken[1]}取自记录的日期（{period[0]} 至 {period[1]}）：{'；'.join(zh)}；"
        f"没有打卡或拜访的员工在{dates_zh}除请假外均被判为缺勤。如{dates_zh}不应检查，请指定期间"
        f"（{said('--period YYYY-MM 或 --from/--to', 'start 和 end')}）",
        kind="period_edge",
    )
