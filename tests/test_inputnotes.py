"""Notes on the inputs (``inputnotes``): punches and visits outside an employee's employment."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from sales_policy import load_policy

NOVEMBER = dt.date(2026, 11, 1), dt.date(2026, 11, 30)


def _day(employee: str, day: int) -> list[dict[str, Any]]:
    return [
        {"type": "punch", "employee_id": employee, "at": f"2026-11-{day:02d}T{at}+08:00"}
        for at in ("09:00:00", "18:00:00")
    ]


def test_work_before_hired_on_or_after_left_on_is_named_with_its_days() -> None:
    """A leaver's punches after ``left_on``, a new hire's before ``hired_on``: days not
    scheduled, so judged as overtime on a day not scheduled, which the findings alone do not
    tell from a wrong date in the staff list."""
    records: list[dict[str, Any]] = [
        {"type": "employee", "employee_id": "E2", "name": "B", "hired_on": "2026-11-04"},
        {"type": "employee", "employee_id": "E1", "name": "A", "left_on": "2026-11-10"},
        {"type": "employee", "employee_id": "E3", "name": "C"},
        # a leaver within the employment: no note
        {"type": "employee", "employee_id": "E4", "name": "D", "left_on": "2026-11-30"},
    ]
    for day in (2, 3, 4, 11, 12):  # Monday 2 to Thursday 12 November
        for employee in ("E1", "E2", "E3", "E4"):
            records += _day(employee, day)
    # a customer visit is presence too: E1 on Saturday 14, after leaving on the 10th
    records.append(
        {
            "type": "customer_visit",
            "employee_id": "E1",
            "customer_id": "C1",
            "start": "2026-11-14T10:00:00+08:00",
            "end": "2026-11-14T11:00:00+08:00",
        }
    )
    result = load_policy().check(records, *NOVEMBER, rulesets=["attendance"])
    (note,) = [n for n in result.notes if n.kind == "outside_employment"]
    # E2: the 2nd and 3rd, before hired_on; E1: the 11th, 12th and 14th, after left_on
    assert note.startswith(
        "2 employees have punches or customer visits on days before their hired_on or after "
        "their left_on: 'E1' (3 days from 2026-11-11), 'E2' (2 days from 2026-11-02);"
    )  # in the order of the punches
    assert "'E1'（自 2026-11-11 起 3 天）、'E2'（自 2026-11-02 起 2 天）；" in note.zh
    # judged as the docs say: overtime on days not scheduled (the visit's hour is over the
    # 30 minutes of overtime_min_minutes), E3's and E4's days not so
    overtime = result.table.filter(rule_id="ATT-OVERTIME-UNAPPROVED")
    assert sorted(overtime.select("employee_id", "date").iter_rows()) == [
        ("E1", dt.date(2026, 11, day)) for day in (11, 12, 14)
    ] + [("E2", dt.date(2026, 11, day)) for day in (2, 3)]
    # the days not judged: no note (no rule reads the working days)
    assert not any(
        n.kind == "outside_employment"
        for n in load_policy().check(records, *NOVEMBER, rulesets=["integrity"]).notes
    )
    within = [r for r in records if r["employee_id"] in ("E3", "E4")]
    assert not any(
        n.kind == "outside_employment" for n in load_policy().check(within, *NOVEMBER).notes
    )


def test_a_dataframe_holding_the_rows_of_an_earlier_one_is_named() -> None:
    """``df.clone()`` is another object, so not refused as the same DataFrame given twice,
    but its rows are read twice all the same: counted and judged twice."""
    frame = pl.DataFrame(
        {
            "type": ["punch", "punch"],
            "employee_id": ["E1", "E1"],
            "at": ["2026-11-02T09:00:00+08:00", "2026-11-02T18:00:00+08:00"],
        }
    )
    other = frame.with_columns(pl.lit("E2").alias("employee_id"))
    empty = frame.clear()
    inputs = [frame, other, frame.clone(), empty, empty.clone(), pl.DataFrame(other.to_dict())]
    result = load_policy().check(inputs, *NOVEMBER, rulesets=["attendance"])
    assert result.counts.read == 8  # read, each copy's rows too
    (note,) = [n for n in result.notes if n.kind == "copies"]
    assert note.startswith(
        "2 inputs hold the same rows as an input given before: "
        "<dataframe 2> (as <dataframe 0>), <dataframe 5> (as <dataframe 1>); their rows"
    )
    assert "<dataframe 2>（同 <dataframe 0>）、<dataframe 5>（同 <dataframe 1>）" in note.zh
    distinct = load_policy().check([frame, other], *NOVEMBER, rulesets=["attendance"])
    assert not any(n.kind == "copies" for n in distinct.notes)
