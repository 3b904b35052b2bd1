"""The attendance derivation's fast steps give what their plain formulations give."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl
from conftest import EXAMPLE_MONTH
from hypothesis import assume, given
from hypothesis import strategies as st

from sales_policy import load_policy
from sales_policy.facts import attendance, daygrid
from sales_policy.facts.daygrid import DAY
from sales_policy.facts.schema import FACT_TABLES
from sales_policy.tables import build_tables
from sales_policy.testing import Log, logs, policy_overrides

POLICY = load_policy()

PERIOD = daygrid.Period(dt.date(2026, 3, 27), dt.date(2026, 4, 2))
HOUR_US = 3_600_000_000
MIDNIGHT = int(dt.datetime(2026, 3, 27, tzinfo=dt.UTC).timestamp()) * 1_000_000

punch_rows = st.lists(
    st.tuples(
        st.integers(0, 2),  # employee
        st.integers(-1, 7),  # day of the period (-1 and 7 are outside it)
        st.sampled_from([-9, -1, 0, 9, 16, 23, 24, 33]),  # hour from UTC midnight of the date
        st.sampled_from([0, 1, 59 * 60_000_000, 3_599_999_999]),  # few: many equal instants
        st.integers(0, 2),  # in, out, undirected
    ),
    max_size=60,
)


def _punches(rows: list[tuple[int, int, int, int, int]]) -> pl.DataFrame:
    """Punches in input order (``_ref`` ascending, not consecutive)."""
    first = (PERIOD.start - dt.date(1970, 1, 1)).days
    return pl.DataFrame(
        {
            "_emp": [emp for emp, *_ in rows],
            "date": [first + day for _, day, *_ in rows],
            "at": [MIDNIGHT + (day * 24 + hour) * HOUR_US + us for _, day, hour, us, _ in rows],
            "_dir": [direction for *_, direction in rows],
            attendance._REF: [(1 << 32) + 3 * i for i in range(len(rows))],
        },
        schema={
            "_emp": pl.UInt32,
            "date": pl.Date,
            "at": pl.Int64,
            "_dir": pl.Int8,
            attendance._REF: pl.Int64,
        },
    )


def _plainly_by_day(punches: pl.DataFrame) -> pl.DataFrame:
    return (
        punches.filter(PERIOD.contains())
        .with_columns(PERIOD.day_key())
        .sort(DAY, "at", "_dir", attendance._REF)
        .select(DAY, "at", "_dir", attendance._REF)
    )


@given(rows=punch_rows, seed=st.randoms(use_true_random=False))
def test_punches_by_day_in_input_order_or_not(rows: list[Any], seed: Any) -> None:
    """Sorted by one packed key when the rows are in input order, by four columns when they
    are not: both as the plain sort by (day, instant, direction, input row)."""
    punches = _punches(rows)
    expected = _plainly_by_day(punches)
    in_order = daygrid.by_day(punches, PERIOD, "at", "at", "_dir", attendance._REF)
    shuffled = punches.sample(fraction=1.0, shuffle=True, seed=seed.randrange(2**32))
    out_of_order = daygrid.by_day(shuffled, PERIOD, "at", "at", "_dir", attendance._REF)
    assert in_order.equals(expected)
    assert out_of_order.equals(expected)
    assert in_order.get_column(DAY).flags["SORTED_ASC"]


@given(rows=punch_rows)
def test_arrival_and_departure_punches_of_each_day(rows: list[Any]) -> None:
    """The day's first punch that can arrive (in, undirected) and last that can leave (out,
    undirected), found by filling positions, are those a filtered first and last find."""
    punches = _plainly_by_day(_punches(rows))
    visits = pl.DataFrame(
        schema={DAY: pl.Int64, "start": pl.Int64, "end": pl.Int64, attendance._REF: pl.Int64}
    )
    got = attendance._day_evidence(punches, visits)[0]
    arrive, leave = pl.col("_dir") != 1, pl.col("_dir") != 0
    expected = punches.group_by(DAY, maintain_order=True).agg(
        pl.len().alias("_punches"),
        pl.col(attendance._REF).alias("_punch_refs"),
        pl.col("at").filter(arrive).first().alias("_punch_in"),
        pl.col(attendance._REF).filter(arrive).first().alias("_punch_in_ref"),
        pl.col("at").filter(leave).last().alias("_punch_out"),
        pl.col(attendance._REF).filter(leave).last().alias("_punch_out_ref"),
        pl.col("_dir").first().alias("_first_dir"),
        pl.col("at").first().alias("_first_at"),
        pl.col(attendance._REF).first().alias("_first_ref"),
    )
    assert got.equals(expected.drop("_first_dir", "_first_at", "_first_ref"))
    # _workday's reading of a day with one punch: undirected just when it is both the
    # arrival and the departure punch, which are then that punch
    one = expected.filter(pl.col("_punches") == 1)
    both = pl.col("_punch_in").is_not_null() & pl.col("_punch_out").is_not_null()
    assert one.select((pl.col("_first_dir") == 2) == both).to_series().all()
    lone = one.filter(both)
    assert lone.get_column("_punch_in").equals(lone.get_column("_first_at"), check_names=False)
    assert lone.get_column("_punch_in_ref").equals(lone.get_column("_first_ref"), check_names=False)


@given(log=logs(employees=3, max_days=62), overrides=policy_overrides(rulesets=["attendance"]))
def test_months_are_the_sums_of_their_days(log: Log, overrides: dict[str, Any]) -> None:
    """``employee_month``, from running sums over the days in ``_day`` order, is the grouping
    of ``workday`` by employee and month; one row per employee and month, in that order."""
    policy = POLICY.with_params(**overrides)
    result = policy.check(log.records, log.start, log.end, rulesets=["attendance"])
    facts = result.facts
    assume("workday" in facts)  # some records
    assert result.period is not None
    counted = pl.col("overtime_minutes") > policy.params["overtime_min_minutes"]
    # a month is closed when its last day is in the period
    month_end = pl.col("period").str.to_date("%Y-%m").dt.month_end()
    expected = (
        facts["workday"]
        .group_by("employee_id", pl.col("date").dt.strftime("%Y-%m").alias("period"))
        .agg(
            pl.col("timezone").first(),
            pl.col("overtime_minutes").filter(counted).sum(),
            counted.sum().cast(pl.Int64).alias("overtime_days"),
        )
        .sort("employee_id", "period")
        .select(
            "employee_id",
            "timezone",
            "period",
            "overtime_minutes",
            "overtime_days",
            (month_end <= result.period[1]).alias("month_closed"),
        )
    )
    assert facts["employee_month"].equals(expected)


def test_a_judged_day_without_an_arrival_has_no_minutes_late() -> None:
    """docs/attendance.md: on a judged day with only a departure, ``minutes_late`` is null
    (the missing arrival is ATT-MISSING-PUNCH's), and ``minutes_early`` is still measured;
    with only an arrival, the other way round."""
    records = [
        {
            "type": "punch",
            "employee_id": "E1",
            "at": "2026-11-04T17:30:00+08:00",
            "direction": "out",
        },
        {
            "type": "punch",
            "employee_id": "E1",
            "at": "2026-11-05T09:10:00+08:00",
            "direction": "in",
        },
    ]
    facts = POLICY.check(records, dt.date(2026, 11, 4), dt.date(2026, 11, 5)).facts
    days = (
        facts["workday"]
        .sort("date")
        .select("date", "scheduled", "minutes_late", "minutes_early", "missing_side")
    )
    assert days.rows() == [
        (dt.date(2026, 11, 4), True, None, 30, "arrival"),
        (dt.date(2026, 11, 5), True, 10, None, "departure"),
    ]


def test_derive_takes_the_prepared_punches() -> None:
    """``derive`` lets go of the prepared punches once it has their copy sorted by day (the
    check's largest step in memory need not hold both), leaving an empty table of their
    columns; handed the punches again, it derives the same facts from them."""
    month = sorted(
        (Path(__file__).resolve().parents[1] / "examples" / "november-2026").glob("*.csv")
    )
    built = build_tables(month, policy_timezone=POLICY.timezone)
    prepared = attendance.prepare(attendance.Inputs.of(built), POLICY.timezone)
    punches = prepared.punches
    assert punches.height > 0
    options: dict[str, Any] = {
        "calendar": POLICY.calendar,
        "schedule": POLICY.schedule,
        "start": dt.date(2026, 11, 1),
        "end": dt.date(2026, 11, 30),
        "params": POLICY.params,
    }
    facts = attendance.derive(prepared, **options)
    assert prepared.punches.is_empty()
    assert prepared.punches.schema == punches.schema
    again = attendance.derive(dataclasses.replace(prepared, punches=punches), **options)
    assert facts.keys() == again.keys()
    assert all(facts[name].equals(again[name]) for name in facts)
    assert facts["workday"].get_column("arrival").drop_nulls().len() > 0  # punches were read


ATTENDANCE_TABLES = ("workday", "leave", "post_gap", "employee_month")
NOVEMBER = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))


def test_attendance_facts_have_their_declared_types_with_every_step_taken_or_skipped() -> None:
    """The steps that cut leave, match leave not approved and overtime requests, and measure
    gaps are skipped when there is nothing to cut, match or measure: the tables keep their
    declared columns and types both ways.  The example month takes every step: its rows in
    the tables show it."""
    full = POLICY.check(sorted(EXAMPLE_MONTH.glob("*.csv")), *NOVEMBER)
    workday = full.facts["workday"]
    assert workday.filter(pl.col("unapproved_leave_count") > 0).height > 0
    assert workday.get_column("overtime_approved").any()
    assert (workday.get_column("required_minutes").filter(workday["scheduled"]) < 480).any()
    assert full.facts["post_gap"].height > 0
    day = [
        {"type": "punch", "employee_id": "E1", "at": "2026-11-02T09:05:00+08:00"},
        {"type": "punch", "employee_id": "E1", "at": "2026-11-02T18:05:00+08:00"},
    ]
    bare = POLICY.check(day, *NOVEMBER)
    assert bare.facts["workday"].height == 30
    for name in ATTENDANCE_TABLES:
        declared = FACT_TABLES[name].dtypes()
        assert dict(full.facts[name].schema) == declared, name
        assert dict(bare.facts[name].schema) == declared, name


def test_evidence_shows_the_fraction_of_a_second_that_makes_a_minute_late() -> None:
    """09:00:00.5 is a minute late (minutes are counted up); the evidence shows the half
    second, not an arrival of 09:00:00 beside a required start of 09:00:00."""
    punches = [
        {"type": "punch", "employee_id": "E1", "at": at, "direction": way}
        for at, way in (
            ("2026-11-04T09:00:00.5+08:00", "in"),
            ("2026-11-04T18:00:00+08:00", "out"),
        )
    ]
    [late] = POLICY.check(punches)
    assert (late.rule_id, late.evidence["minutes_late"]) == ("ATT-LATE", 1)
    assert late.evidence["arrival"] == "2026-11-04T09:00:00.500+08:00"
    assert late.evidence["required_start"] == "2026-11-04T09:00:00+08:00"


def test_messages_say_what_is_known_of_absence_and_of_late_approval() -> None:
    """Leave approved for 09:00-17:30 leaves 30 required minutes: an absence from them is
    said to be of those minutes, not of a day without a leave request; a leave approved with
    no decision time recorded is not said to have been approved after it started."""
    leave = {
        "type": "leave_request",
        "request_id": "L1",
        "employee_id": "E1",
        "leave_type": "annual",
        "start": "2026-11-04T09:00:00+08:00",
        "end": "2026-11-04T17:30:00+08:00",
        "submitted_at": "2026-11-01T09:00:00+08:00",
        "status": "approved",
        "decided_at": "2026-11-02T09:00:00+08:00",
    }
    day = dt.date(2026, 11, 4)
    [absent] = POLICY.check([leave], day, day)
    assert (absent.rule_id, absent.evidence["required_minutes"]) == ("ATT-ABSENT", 30)
    assert absent.message.en == (
        "no punch or visit in the 30 min required on a working day, and no leave request over them"
    )
    assert absent.message.zh == (
        "工作日应出勤的 30 分钟内无任何打卡或拜访记录，也无覆盖这段时间的请假申请"
    )
    undecided = {**leave, "end": "2026-11-04T18:00:00+08:00", "decided_at": None}
    [late] = POLICY.check([undecided], day, day)
    assert late.rule_id == "ATT-LEAVE-NOT-IN-ADVANCE"
    assert late.message.en == (
        "leave L1 was not approved before it started (decided at a time not recorded)"
    )
    assert late.message.zh == "请假 L1 未在开始前获批准（批准时间：未记录）"
    decided = {**undecided, "decided_at": "2026-11-04T10:00:00+08:00"}
    [after] = POLICY.check([decided], day, day)
    assert after.message.en == (
        "leave L1 was not approved before it started (decided 2026-11-04T10:00:00+08:00)"
    )
