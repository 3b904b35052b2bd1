"""The working calendar: weekends, China's statutory holidays and adjusted working days."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from sales_policy import (
    CalendarError,
    InvalidArgument,
    Schedule,
    WorkingCalendar,
    chinacalendar,
    load_policy,
)
from sales_policy import calendar as calendar_module

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "november-2026"


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


def test_every_year_without_data_is_named_so_that_one_policy_supplies_them_all(
    tmp_path: Path,
) -> None:
    """A period over two years without data names both: following the error for the first
    alone would only meet the second."""
    with pytest.raises(CalendarError) as caught:
        WorkingCalendar().day_kinds(dt.date(2026, 12, 28), dt.date(2028, 1, 5))
    message = str(caught.value)
    assert message.startswith("2027, 2028 are outside the working calendar")
    assert "To judge 2027, 2028, give their calendar" in message
    assert "supplied_years: [2027, 2028]" in message
    path = tmp_path / "policy.yaml"
    path.write_text("calendar: {supplied_years: [2027, 2028]}\n", "utf-8")
    got = kinds(dt.date(2026, 12, 28), dt.date(2028, 1, 5), load_policy(path).calendar)
    assert got["2028-01-05"] == "workday"
    # many: a year typed wrong; the years of a run said as one, the list begun
    with pytest.raises(CalendarError) as caught:
        WorkingCalendar().check_covered([dt.date(2026, 1, 1), dt.date(2062, 1, 1)])
    assert str(caught.value).startswith("2062 is outside")  # the years of dates, not between
    with pytest.raises(CalendarError) as caught:
        WorkingCalendar().day_kinds(dt.date(2026, 12, 31), dt.date(2032, 1, 1))
    message = str(caught.value)
    assert message.startswith("2027 to 2032 (6 years) are outside the working calendar")
    assert "supplied_years: [2027, 2028, 2029, 2030, 2031, ...]" in message


def test_china_by_its_three_letter_code_is_the_calendar_of_cn(tmp_path: Path) -> None:
    """CHN, ISO 3166's alpha-3 code, which the holidays package knows for China too, took the
    package's own years for China (to 2050 and more): 2027, whose adjusted working days the
    State Council has not announced, was judged from its statutory holidays alone."""
    path = tmp_path / "policy.yaml"
    path.write_text("calendar: {country: CHN}\n", "utf-8")
    calendar = load_policy(path).calendar
    assert calendar.country == "CN"
    with pytest.raises(CalendarError, match="2027 is outside the working calendar"):
        calendar.day_kinds(dt.date(2027, 1, 1), dt.date(2027, 1, 31))
    assert kinds(dt.date(2026, 10, 10), dt.date(2026, 10, 10), calendar) == {
        "2026-10-10": "adjusted_workday"
    }


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


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (dt.date(1, 1, 1), dt.date(1, 1, 31)),  # the month before is before any date
        (dt.date(1, 12, 1), dt.date(2, 1, 31)),
        (dt.date(9999, 12, 1), dt.date(9999, 12, 31)),  # the month after, after any date
        (dt.date(9998, 12, 31), dt.date(9999, 1, 1)),
    ],
)
def test_a_period_at_the_ends_of_the_dates_is_an_error_not_a_crash(
    start: dt.date, end: dt.date
) -> None:
    """A calendar of every year (``country: null``) lets a year typed wrong through to the
    check, which reads the months around its period: the years 2 to 9998 can be judged."""
    policy = load_policy()
    every_year = dataclasses.replace(policy, calendar=WorkingCalendar(country=None))
    punch = {"type": "punch", "employee_id": "E1", "at": "2026-11-02T09:00:00+08:00"}
    with pytest.raises(InvalidArgument, match="reaches beyond the dates a check can judge"):
        every_year.check([punch], start, end)
    with pytest.raises(InvalidArgument, match="reaches beyond the dates a check can judge"):
        policy.check([punch], start, end)  # before the calendar is asked of its years


def test_a_period_the_records_set_beyond_the_dates_names_the_row() -> None:
    every_year = dataclasses.replace(load_policy(), calendar=WorkingCalendar(country=None))
    punches = [
        {"type": "punch", "employee_id": "E1", "at": "2026-11-02T09:00:00+08:00"},
        {"type": "punch", "employee_id": "E1", "at": "9999-12-28T09:00:00+08:00"},
    ]
    with pytest.raises(InvalidArgument) as caught:
        every_year.check(punches, dt.date(2026, 11, 1))
    assert "the period 2026-11-01 to 9999-12-28 reaches beyond" in str(caught.value)
    assert "its last date, 9999-12-28, is that of <records>:2" in str(caught.value)
    # the years 2 and 9998 are judged
    for year in (2, 9998):
        result = every_year.check(punches[:1], dt.date(year, 1, 1), dt.date(year, 12, 31))
        assert result.counts.accepted == 1


def test_schedule_segments_and_validation() -> None:
    assert Schedule().working_segments == (
        (dt.time(9), dt.time(12)),
        (dt.time(13), dt.time(18)),
    )
    with pytest.raises(ValueError, match="must not overlap"):
        Schedule(breaks=((dt.time(12), dt.time(13)), (dt.time(12, 30), dt.time(14))))
    # breaks given as lists, as a program reading JSON has them: pairs, the schedule hashable
    listed = Schedule(breaks=[[dt.time(12), dt.time(13)]], workdays=[0, 1, 2, 3, 4])
    assert listed == Schedule() and hash(listed) == hash(Schedule())


def test_schedule_errors_show_times_as_a_policy_file_writes_them() -> None:
    """Hours and minutes, as in a policy file; the seconds only where a time has some."""
    with pytest.raises(ValueError) as raised:
        Schedule(start=dt.time(9), end=dt.time(18), day_start=dt.time(6, 30))
    assert str(raised.value).startswith("day_start 06:30 must be from 00:00 to 06:00 ")
    with pytest.raises(ValueError) as raised:
        Schedule(start=dt.time(9, 0, 30), end=dt.time(9))
    assert str(raised.value) == "schedule start 09:00:30 must be before its end 09:00"


def test_the_china_snapshot_is_what_the_installed_holidays_package_says() -> None:
    """2001–2026 are read from a snapshot of the holidays package; a package that corrects
    a date there fails here until write_china_snapshot() takes the correction in."""
    shipped = json.loads(chinacalendar.CHINA_SNAPSHOT.read_text(encoding="utf-8"))
    package = chinacalendar.china_snapshot_from_package()
    assert shipped["years"] == [2001, 2026]
    for key in ("years", "off", "worked"):
        assert shipped[key] == package[key], (
            f"the holidays package ({package['holidays_version']}) differs from the snapshot "
            f"({shipped['holidays_version']}) in {key!r}: run "
            "python -c 'from sales_policy.chinacalendar import write_china_snapshot as w; w()'"
        )


def test_years_beyond_the_snapshot_are_asked_of_the_package(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With a snapshot ending in 2025, 2026 still has its holidays and adjusted working days:
    from the installed package, as a year the snapshot does not hold always is."""
    whole = chinacalendar.china_snapshot()
    cut = chinacalendar.Snapshot(
        range(2001, 2026),
        frozenset(d for d in whole.off if d.year < 2026),
        frozenset(d for d in whole.worked if d.year < 2026),
    )
    monkeypatch.setattr(calendar_module, "china_snapshot", lambda: cut)
    got = kinds(dt.date(2025, 12, 31), dt.date(2026, 2, 14), WorkingCalendar())
    assert got["2025-12-31"] == "workday"
    assert got["2026-01-01"] == "holiday"
    assert got["2026-02-14"] == "adjusted_workday"


def test_checking_does_not_import_every_country_of_the_holidays_package() -> None:
    """The snapshot spares a check the import of ~250 country modules (~75 ms a run)."""
    code = (
        "import sys, glob, sales_policy\n"
        f"sales_policy.load_policy().check(sorted(glob.glob({str(EXAMPLE)!r} + '/*.csv')))\n"
        "print(sorted(m for m in sys.modules if m.startswith('holidays.countries')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
