"""Notes on the period a check judged: one starting inside a month, whose monthly counts are
of part of it (``first_month``), and one taken from the records whose first or last date
few employees were present on (``period_edge``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import polars as pl

from .findings import Note
from .rulesets import CompiledRule

#: the fact tables of month grain counted from the period's days only: a month begun before
#: the period has the days of the period counted (the other month tables read whole months)
COUNTED_IN_PERIOD = ("employee_month", "finding_month")


def first_month_note(
    start: dt.date, end: dt.date | None, rules: Sequence[CompiledRule]
) -> Note | None:
    """A period given to start after the first of its month: the rules of ``rules`` that
    count a month's days or findings count that month's from ``start`` only (ATT-OVERTIME-
    MONTH-LIMIT, DIS-REPEATED-LATE...), which no finding shows; None when none is judged or
    the period starts on a first."""
    counting = [c.rule.rule_id for c in rules if c.rule.facts in COUNTED_IN_PERIOD]
    if start.day == 1 or not counting:
        return None
    month, first = start.strftime("%Y-%m"), start.replace(day=1)
    last = (first + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)
    last = min(last, end) if end is not None else last  # the period may end in the month
    return Note(
        f"the period starts on {start}, after the first of its month: the monthly counts of "
        f"{month} ({', '.join(counting)}) are of {start} to {last} only; start the period "
        f"on {first} to count the whole month",
        f"期间从 {start} 开始，不是当月 1 日：{month} 的月度累计（{'、'.join(counting)}）只计 "
        f"{start} 至 {last}；如需整月累计，请从 {first} 开始",
        kind="first_month",
    )


def period_edge_note(
    workday: pl.DataFrame | None, period: tuple[dt.date, dt.date], given: tuple[bool, bool]
) -> Note | None:
    """A period taken from the records (its start, its end or both not ``given``) whose
    first or last date has a punch or a visit of fewer than half the employees scheduled
    there: a stray row of the evening before a month's export (a night shift's punch after
    midnight, a clock's export in UTC) set the period, and everyone else was judged absent
    on that date.  None when no such edge is found."""
    if workday is None or workday.is_empty():
        return None
    edges = [date for date, known in zip(period, given, strict=True) if not known]
    counts = (
        workday.filter(
            pl.col("date").is_in(edges) & pl.col("scheduled") & (pl.col("required_minutes") > 0)
        )
        .group_by("date")
        .agg(pl.len().alias("scheduled"), pl.col("has_presence").sum().alias("present"))
        .filter(pl.col("present") * 2 < pl.col("scheduled"))
        .sort("date")
    )
    if counts.is_empty():
        return None
    shown = [
        (("first" if date == period[0] else "last"), date, present, scheduled)
        for date, scheduled, present in counts.iter_rows()
    ]
    en = "; ".join(
        f"on {date}, its {which} date, {present} of the {scheduled} employees scheduled "
        f"{'has' if present == 1 else 'have'} a punch or a visit"
        for which, date, present, scheduled in shown
    )
    zh = "；".join(
        f"{'首日' if which == 'first' else '末日'} {date} 排班的 {scheduled} 名员工中只有 "
        f"{present} 名有打卡或拜访"
        for which, date, present, scheduled in shown
    )
    one = len(shown) == 1
    dates, dates_zh = ("that date", "该日") if one else ("those dates", "这两天")
    return Note(
        f"the period was taken from the records' dates, {period[0]} to {period[1]}: {en}; "
        f"the rest were judged absent there unless on leave: if {dates} "
        f"{'was' if one else 'were'} not meant to be checked, give the period (--period "
        "YYYY-MM, or --from/--to)",
        f"检查期间取自记录的日期（{period[0]} 至 {period[1]}）：{zh}；其余员工除请假外均被判为"
        f"缺勤：如{dates_zh}不应检查，请指定期间（--period YYYY-MM 或 --from/--to）",
        kind="period_edge",
    )
