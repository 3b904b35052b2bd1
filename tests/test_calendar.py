"""The working calendar: weekends, China's statutory holidays and adjusted working days."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sales_policy import CalendarError, Schedule, WorkingCalendar, load_policy


def kinds(start: dt.date, end: dt.date, calendar: WorkingCalendar | None = None) -> dict[str, str]:
    frame = (calendar or WorkingCalendar()).day_kinds(start, end)
    return {d.isoformat(): k for d, k in frame.select("date", "day_kind").rows()}


def test_spring_festival_2026_with_its_adjusted_working_days() -> None:
    """2026: 15–23 Feb off; Sat 14 Feb and Sat 28 Feb are worked (State Council notice)."""
    got = kinds(dt.date(2026, 2, 13), dt.date(2026, 3, 2))
    assert got["2026-02-13"] == "workday"
    assert got["2026-02-14"] == "adjusted_workday"
    assert got["2026-02-15"] == "rest_day"
    assert all(got[f"2026-02-{d}"] == "holiday" for d in (16, 17, 18, 19, 20, 23))
    assert got["2026-02-24"] == "workday"
    assert got["2026-02-28"] == "adjusted_workday"
    assert got["2026-03-01"] == "rest_day"


def test_national_day_2026() -> None:
    got = kinds(dt.date(2026, 9, 20), dt.date(2026, 10, 10))
    assert got["2026-09-20"] == "adjusted_workday"  # a Sunday worked
    assert all(got[f"2026-10-0{d}"] == "holiday" for d in (1, 2, 3, 5, 6, 7))
    assert got["2026-10-04"] == "rest_day"  # a Sunday inside the break is a rest day anyway
    assert got["2026-10-10"] == "adjusted_workday"  # a Saturday worked


def test_a_year_without_data_is_an_error_that_says_what_to_do() -> None:
    with pytest.raises(CalendarError) as caught:
        WorkingCalendar().day_kinds(dt.date(2026, 12, 28), dt.date(2027, 1, 5))
    message = str(caught.value)
    assert "2027 is outside the working calendar" in message
    assert "covers 2001–2026" in message
    assert "supplied_years: [2027]" in message


def test_a_supplied_year_is_used(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text("calendar: {supplied_years: [2027], holidays: [2027-01-01]}\n", "utf-8")
    policy = load_policy(path)
    got = kinds(dt.date(2027, 1, 1), dt.date(2027, 1, 4), policy.calendar)
    assert got == {
        "2027-01-01": "holiday",
        "2027-01-02": "rest_day",
        "2027-01-03": "rest_day",
        "2027-01-04": "workday",
    }


def test_checking_a_period_beyond_the_data_raises() -> None:
    punch = {"type": "punch", "employee_id": "E1", "at": "2027-01-04T09:00:00+08:00"}
    with pytest.raises(CalendarError):
        load_policy().check([punch])


def test_weekends_only_calendar_covers_any_year() -> None:
    got = kinds(dt.date(2031, 1, 1), dt.date(2031, 1, 4), WorkingCalendar(country=None))
    assert got == {
        "2031-01-01": "workday",
        "2031-01-02": "workday",
        "2031-01-03": "workday",
        "2031-01-04": "rest_day",
    }


def test_schedule_segments_and_validation() -> None:
    assert Schedule().working_segments == (
        (dt.time(9), dt.time(12)),
        (dt.time(13), dt.time(18)),
    )
    with pytest.raises(ValueError, match="must not overlap"):
        Schedule(breaks=((dt.time(12), dt.time(13)), (dt.time(12, 30), dt.time(14))))
