"""Inputs become record tables; every row ends accepted or rejected with a reason."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import zoneinfo
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest import mock

import polars as pl
import pytest
from conftest import EXAMPLE_MONTH
from hypothesis import given
from hypothesis import strategies as st

from sales_policy import InputError, Punch, load_policy
from sales_policy.tables import RecordTables, build_tables

POLICY = load_policy()
PUNCH = {"type": "punch", "employee_id": "E1", "at": "2026-11-02T09:05:00+08:00", "direction": "in"}


def build(items: list[Any], **kwargs: Any) -> Any:
    return build_tables(items, policy_timezone="Asia/Shanghai", **kwargs)


def one_reject(items: list[Any]) -> dict[str, Any]:
    tables = build(items)
    assert tables.rejects.height == 1, tables.rejects
    assert tables.read == tables.accepted + tables.rejects.height
    return tables.rejects.row(0, named=True)


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        ({"at": "2026-13-01T09:00:00+08:00"}, "at", "is not a date-time"),
        ({"at": "yesterday"}, "at", "is not a date-time"),
        ({"at": "2026-11-02T09:00:00+25:00"}, "at", "is not a date-time"),
        # a leap second, which polars would read as the next minute's (or day's) first
        ({"at": "2026-11-02T23:59:60+08:00"}, "at", "is not a date-time"),
        ({"at": "2026-11-02 09:00:60.5Z"}, "at", "is not a date-time"),
        ({"at": "2026-11-02T09:00:00+18:01"}, "at", "is not a date-time"),  # over 18 hours
        ({"at": "2026-11-02T09:00:00-1830"}, "at", "is not a date-time"),
        ({"at": None}, "at", "missing value"),
        # a local date in the year 10000 or 0, in some timezone, is no date a check can hold
        ({"at": "9999-12-31T23:10:00Z"}, "at", "is not a date-time a check can judge"),
        ({"at": "9999-12-30T00:00:00-18:00"}, "at", "(0001-01-03 to 9999-12-29)"),
        ({"at": "0001-01-02T23:00:00+08:00"}, "at", "is not a date-time a check can judge"),
        ({"at": "0000-06-01T09:00:00Z"}, "at", "is not a date-time (expected ISO 8601"),
        ({"employee_id": "  "}, "employee_id", "missing value"),
        ({"direction": "sideways"}, "direction", "is not one of: in, out"),
        ({"source": "home"}, "source", "is not one of: office, mobile, field"),
        ({"extra": 1}, "extra", "unknown field 'extra'"),
        ({"direcion": "in"}, "direcion", "did you mean 'direction'"),
        ({"at": ["2026-11-02T09:00:00"]}, "at", "expected a single value"),
        ({"type": "punchh"}, "type", "unknown record type 'punchh'"),
        # an id is text or a whole number (a spreadsheet's); true, or 1.5e3 read as 1500.0,
        # would be an employee "true" or "1500.0"
        ({"employee_id": True}, "employee_id", "expected text or a whole number, found true"),
        ({"employee_id": 1.5e3}, "employee_id", "found the number 1500.0"),
        ({"record_id": Decimal("7.0")}, "record_id", "found the number 7.0"),
    ],
)
def test_each_bad_field_is_rejected_with_field_and_reason(
    change: dict[str, Any], field: str, reason: str
) -> None:
    """A row with one bad field is rejected, naming the field and why."""
    reject = one_reject([{**PUNCH, **change}])
    assert reject["field"] == field
    assert reason in reject["reason"]
    assert reject["source"] == "<records>" and reject["line"] == 1


def test_a_reject_shows_the_value_of_the_field_it_names() -> None:
    """The first bad field is named with its own value: none for a missing one, never the
    value of a later bad field."""
    punch = {"type": "punch", "at": "2026-11-02T09:00:00+08:00", "direction": "sideways"}
    reject = one_reject([punch])
    assert (reject["field"], reject["value"], reject["reason"]) == (
        "employee_id",
        None,
        "missing value",
    )


def test_a_whole_number_is_an_id_as_a_spreadsheet_holds_it() -> None:
    tables = build([{**PUNCH, "employee_id": 1001}, {**PUNCH, "employee_id": "1002"}])
    assert tables.table("punch").get_column("employee_id").to_list() == ["1001", "1002"]


def test_a_value_nested_in_itself_many_times_is_rejected_shown_short() -> None:
    """A list of ten copies of a list of ten copies..., nine levels deep: a billion leaves
    in a few objects, as YAML's aliases make in a sample file.  Written out whole it would
    be gigabytes; the rejected row shows two levels of it (700 characters), and the check
    goes on."""
    nested: Any = ["x"] * 10
    for _ in range(8):
        nested = [nested] * 10
    for change, field in (({"direction": nested}, "direction"), ({"type": nested}, "type")):
        reject = one_reject([{**PUNCH, **change}])
        assert reject["field"] == field
        shown = "[[...], [...], [...], [...], [...], [...], [...], [...], [...], [...]]"
        text = reject["value"] if field == "direction" else reject["reason"]
        assert shown in text and len(text) < 2_000, text[:300]  # with the types listed


@pytest.mark.parametrize(
    ("change", "field", "value", "reason"),
    [
        (
            {"employee_id": 10**5000},
            "employee_id",
            "<a number of over 4,300 digits>",
            "expected a single value, found a number of too many digits",
        ),
        (
            {"employee_id": "E\ud800"},
            "employee_id",
            "'E\\ud800'",
            "expected text, found half of a surrogate pair (no character)",
        ),
        ({"x\udc80": 1}, "'x\\udc80'", "1", "unknown field 'x\\udc80' (expected: "),
        (
            {10**5000: 1},
            "<a number of over 4,300 digits>",
            "1",
            "unknown field '<a number of over 4,300 digits>' (expected: ",
        ),
        ({"type": "p\ud800"}, "type", "'p\\ud800'", "unknown record type 'p\\ud800' ("),
    ],
)
def test_a_dict_holding_what_no_file_can_is_rejected_not_raised(
    change: dict[str, Any], field: str, value: str, reason: str
) -> None:
    """A Python dict can hold a number Python will not write out (over 4,300 digits) or half
    a surrogate pair, which no text file, report or polars column can: the row is rejected,
    its value shown with escapes, and the check goes on."""
    reject = one_reject([{**PUNCH, **change}])
    assert (reject["field"], reject["value"]) == (field, value)
    assert reject["reason"].startswith(reason)
    assert reject["reason"].encode()  # a report can hold it


def test_a_number_in_an_unknown_field_is_shown_whole_in_the_rejected_row() -> None:
    reject = one_reject([{**PUNCH, "extra": 10**99}])
    assert (reject["field"], reject["value"]) == ("extra", "1" + "0" * 99)


def test_the_first_and_last_days_a_check_can_hold_are_read() -> None:
    """The edges of the range: the year 0000 is no year of a date (no form reads it);
    0001-01-01 and 9999-12-31 are dates, and date-times two days inside them are read."""
    tables = build(
        [
            {"type": "employee", "employee_id": "E1", "name": "a", "hired_on": "0001-01-01"},
            {"type": "employee", "employee_id": "E2", "name": "b", "left_on": "9999-12-31"},
            {"type": "employee", "employee_id": "E3", "name": "c", "hired_on": "0000-12-31"},
            {**PUNCH, "at": "0001-01-03T00:00:00+18:00"},
            {**PUNCH, "at": "9999-12-29T23:59:59-18:00"},
        ]
    )
    assert tables.rejects.select("line", "reason").rows() == [
        (3, "'0000-12-31' is not a date (expected YYYY-MM-DD, or year first like 2026/11/3)")
    ]
    assert tables.table("punch").get_column("at").to_list() == [
        dt.datetime(1, 1, 2, 6, tzinfo=dt.UTC),
        dt.datetime(9999, 12, 30, 17, 59, 59, tzinfo=dt.UTC),
    ]


def test_unknown_timezone_and_bad_dates_in_employee_records() -> None:
    rows = [
        {"type": "employee", "employee_id": "E1", "name": "A", "timezone": "Mars/Base"},
        {"type": "employee", "employee_id": "E2", "name": "B", "hired_on": "2026-02-30"},
    ]
    tables = build(rows)
    reasons = tables.rejects.select("field", "reason").rows()
    assert reasons[0][0] == "timezone" and "unknown timezone 'Mars/Base'" in reasons[0][1]
    assert reasons[1][0] == "hired_on" and "is not a date" in reasons[1][1]


def test_a_timezone_is_rejected_exactly_when_the_tz_database_lacks_it() -> None:
    """Each distinct name in the column is looked up once; blanks around it do not count."""
    names = [
        "Asia/Shanghai",
        "Mars/Base",
        " Asia/Tokyo ",
        None,
        "../etc/passwd",
        "posixrules",
        "asia/shanghai",
        "Mars/Base",
        "UTC",
    ]
    rows = [
        {"type": "employee", "employee_id": f"E{i}", "name": "A", "timezone": name}
        for i, name in enumerate(names)
    ]
    tables = build(rows)
    known = zoneinfo.available_timezones()
    unknown = [
        (line, name.strip())
        for line, name in enumerate(names, start=1)
        if name is not None and name.strip() not in known
    ]
    assert [line for line, _ in unknown] == [2, 5, 6, 7, 8]
    assert tables.rejects.select("line", "field", "value", "reason").rows() == [
        (
            line,
            "timezone",
            name,
            f"unknown timezone {name!r} (expected an IANA name like Asia/Shanghai)",
        )
        for line, name in unknown
    ]
    assert tables.tables["employee"].get_column("timezone").to_list() == [
        "Asia/Shanghai",
        "Asia/Tokyo",
        None,
        "UTC",
    ]


def test_end_not_after_start_is_rejected_after_offsets_are_resolved() -> None:
    """08:00+08:00 is 00:00Z: a visit from 01:00Z to 08:00+08:00 ends before it starts."""
    visit = {
        "type": "customer_visit",
        "employee_id": "E1",
        "customer_id": "C1",
        "start": "2026-11-02T01:00:00Z",
        "end": "2026-11-02T08:00:00+08:00",
    }
    reject = one_reject([visit])
    assert reject["field"] == "end" and reject["reason"] == "end is not after start"
    assert reject["value"] == "2026-11-02T00:00:00+00:00"  # the end, as an instant in UTC


def test_local_time_in_a_daylight_saving_gap_is_rejected() -> None:
    """02:30 on 2026-03-08 does not exist in New York: the clocks jump from 02:00 to 03:00."""
    rows = [
        {"type": "employee", "employee_id": "E1", "name": "A", "timezone": "America/New_York"},
        {**PUNCH, "at": "2026-03-08 02:30:00.5"},
    ]
    reject = one_reject(rows)
    assert reject["field"] == "at" and "does not exist in America/New_York" in reject["reason"]
    assert reject["value"] == "2026-03-08T02:30:00.500"  # the wall time read
    # the naive times counted are those of the rows accepted: one, not the rejected one too
    naive = {**PUNCH, "at": "2026-03-09 09:00:00"}
    assert build(rows).naive_timestamps == 0
    assert build([*rows, naive, {**naive, "direction": "sideways"}]).naive_timestamps == 1


def test_naive_and_offset_times_of_one_table_are_resolved_row_by_row() -> None:
    """Naive times are read in the zone, the others by their offset, each row in its place; a
    row whose start and end both fall in the gap goes for its start."""
    leave = {
        "type": "leave_request",
        "employee_id": "E1",
        "leave_type": "annual",
        "status": "approved",
        "submitted_at": "2026-03-01T09:00:00Z",
    }
    rows = [
        {"type": "employee", "employee_id": "E1", "name": "A", "timezone": "America/New_York"},
        {
            **leave,
            "request_id": "L1",
            "start": "2026-03-08T01:00:00-05:00",
            "end": "2026-03-08T04:00:00",
        },
        {**leave, "request_id": "L2", "start": "2026-03-08T02:30:00", "end": "2026-03-08T02:45:00"},
        {**leave, "request_id": "L3", "start": "2026-03-08T01:00:00", "end": "2026-03-08T02:15:00"},
        {
            **leave,
            "request_id": "L4",
            "start": "2026-03-09T09:00:00-04:00",
            "end": "2026-03-09T17:00",
        },
    ]
    tables = build(rows)
    assert tables.rejects.select("line", "field").rows() == [(3, "start"), (4, "end")]
    utc = dt.UTC
    assert tables.table("leave_request").select("request_id", "start", "end").rows() == [
        ("L1", dt.datetime(2026, 3, 8, 6, tzinfo=utc), dt.datetime(2026, 3, 8, 8, tzinfo=utc)),
        ("L4", dt.datetime(2026, 3, 9, 13, tzinfo=utc), dt.datetime(2026, 3, 9, 21, tzinfo=utc)),
    ]
    assert tables.naive_timestamps == 2  # those of L1 and L4; the rejected rows' are not read


def test_the_naive_times_counted_are_those_of_rows_no_check_rejects(tmp_path: Path) -> None:
    """A leave request whose end, read in the employee's timezone, is before its start is
    rejected after its times are read: its naive times are no more counted, nor named by
    file, than those of a row rejected for a local time that does not exist."""
    leaves = tmp_path / "leave_requests.csv"
    leaves.write_text(
        "request_id,employee_id,start,end,submitted_at,status,leave_type\n"
        "L1,E1,2026-11-03 09:00,2026-11-03 18:00,2026-11-01T09:00+08:00,approved,annual\n"
        "L2,E1,2026-11-05 09:00,2026-11-04 18:00,2026-11-01T09:00+08:00,approved,annual\n",
        encoding="utf-8",
    )
    order = {
        "type": "order",
        "order_id": "O1",
        "employee_id": "E1",
        "customer_id": "C1",
        "amount": "100",
        "status": "refunded",
        "booked_at": "2026-11-05 10:00",
        "reversed_at": "2026-11-04 10:00",  # before it was booked
    }
    tables = build([leaves, {**PUNCH, "at": "2026-11-03 09:00"}, order])
    assert set(tables.rejects.select("source", "line", "field").rows()) == {
        (str(leaves), 3, "end"),
        ("<records>", 2, "reversed_at"),
    }
    # L1's start and end, and the punch's time: 3 of the 7 naive times read
    assert tables.naive_by_source == {str(leaves): 2, "<records>": 1}
    assert all("_naive" not in table.columns for table in tables.tables.values())


def test_naive_timestamps_are_read_in_the_employees_timezone() -> None:
    rows = [
        {"type": "employee", "employee_id": "E1", "name": "A", "timezone": "Europe/London"},
        {**PUNCH, "at": "2026-11-02T09:00:00"},
        {**PUNCH, "employee_id": "E2", "at": "2026-11-02T09:00:00"},
    ]
    tables = build(rows)
    instants = dict(tables.table("punch").select("employee_id", "at").rows())
    assert instants["E1"] == dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)  # London is UTC+0
    assert instants["E2"] == dt.datetime(2026, 11, 2, 1, 0, tzinfo=dt.UTC)  # Shanghai, +08:00
    assert tables.naive_timestamps == 2


def test_offsets_z_and_fractions_are_read_exactly() -> None:
    rows = [
        {**PUNCH, "at": text}
        for text in (
            "2026-11-02T01:05:00Z",
            "2026-11-02 09:05:00.250+08:00",
            "2026-11-02T06:35:00+0530",
            "2026-11-02T09:05+08",
        )
    ]
    got = build(rows).table("punch").get_column("at").to_list()
    assert got == [
        dt.datetime(2026, 11, 2, 1, 5, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 2, 1, 5, 0, 250_000, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 2, 1, 5, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 2, 1, 5, tzinfo=dt.UTC),
    ]


def test_duplicate_ids_after_the_first_are_rejected() -> None:
    leave = {
        "type": "leave_request",
        "request_id": "L1",
        "employee_id": "E1",
        "leave_type": "annual",
        "start": "2026-11-03T09:00:00+08:00",
        "end": "2026-11-03T18:00:00+08:00",
        "submitted_at": "2026-11-01T09:00:00+08:00",
        "status": "approved",
        "decided_at": "2026-11-01T10:00:00+08:00",
    }
    tables = build(
        [
            leave,
            {**leave, "status": "pending"},
            {"type": "employee", "employee_id": "E1", "name": "A"},
            {"type": "employee", "employee_id": "E1", "name": "B"},
        ]
    )
    assert sorted(tables.rejects.get_column("line").to_list()) == [2, 4]
    assert tables.table("leave_request").get_column("status").to_list() == ["approved"]


def test_an_employees_snapshots_are_merged_and_a_later_left_on_is_taken(tmp_path: Path) -> None:
    """A staff list exported each quarter: the same rows again, and in the later quarter
    ``left_on`` for E1, who left on Wednesday the 4th.  Every row is accepted, in each file
    (a row repeating another is no error), and E1 is judged through the 4th only: absent on
    the 4th (``left_on`` is a working day of theirs), not on the 5th or 6th."""
    header = "employee_id,name,hired_on,left_on,timezone,team\n"
    first = tmp_path / "employees-2026-Q3.csv"
    first.write_text(header + "E1,甲,2024-03-01,,Asia/Shanghai,\nE2,乙,2025-01-06,,,east\n")
    later = tmp_path / "employees-2026-Q4.csv"
    later.write_text(header + "E2,乙,2025-01-06,,,east\nE1,甲,,2026-11-04,Asia/Shanghai,east\n")
    punches = tmp_path / "punches.csv"
    punches.write_text(
        "employee_id,at,direction\n"
        + "".join(
            f"{e},2026-11-0{day}T{clock}+08:00,{way}\n"
            for e in ("E1", "E2")
            for day in (2, 3)
            for clock, way in (("08:55:00", "in"), ("18:05:00", "out"))
        )
    )
    result = POLICY.check([first, later, punches], dt.date(2026, 11, 2), dt.date(2026, 11, 6))
    assert result.rejects.is_empty()
    assert result.counts.by_type["employee"] == 4
    by_source = result.counts_by_source().select("source", "accepted", "rejected").rows()
    assert by_source == [(str(first), 2, 0), (str(later), 2, 0), (str(punches), 8, 0)]
    absent = sorted((f.employee_id, str(f.date)) for f in result if f.rule_id == "ATT-ABSENT")
    assert absent == [("E1", "2026-11-04")] + [("E2", f"2026-11-0{d}") for d in (4, 5, 6)]
    tables = build_tables([first, later], policy_timezone="Asia/Shanghai")
    merged = tables.table("employee").sort("employee_id")
    assert merged.select("employee_id", "hired_on", "left_on", "team").rows() == [
        ("E1", dt.date(2024, 3, 1), dt.date(2026, 11, 4), "east"),
        ("E2", dt.date(2025, 1, 6), None, "east"),
    ]


def test_an_employee_row_that_differs_from_an_earlier_one_is_rejected_naming_it() -> None:
    """Rows of one employee merge in input order; a row giving another value for a field an
    earlier row gave, or dates that would have the employee leave before being hired, is
    rejected, naming the field, its value and the row that gave the other; the rows before
    it stay merged, and the rows after it merge on."""
    e1 = {"type": "employee", "employee_id": "E1", "name": "甲"}
    e2 = {"type": "employee", "employee_id": "E2", "name": "乙"}
    differ = "rows of one employee may repeat and add to each other, not differ"
    tables = build(
        [
            e1,
            {**e1, "team": "east"},  # adds a team
            {**e1, "team": "west", "left_on": "2026-11-20"},  # another team: none of it taken
            {**e1, "left_on": "2026-11-20"},  # adds left_on
            {**e1, "hired_on": "2026-11-25"},  # hired after leaving
            {**e1, "left_on": "2026-11-21"},  # another left_on
            {**e1, "hired_on": "2024-03-01"},  # adds hired_on
            {**e2, "hired_on": "2026-11-10", "left_on": "2026-11-04"},  # wrong in itself
            e2,
        ]
    )
    assert tables.read == tables.accepted + tables.rejects.height == 9
    assert tables.heights()["employee"] == 5
    rejects = tables.rejects.select("line", "field", "value", "reason").rows()
    assert rejects == [
        (3, "team", "west", f"E1's row at <records>:2 gives team 'east': {differ}"),
        (
            5,
            "hired_on",
            "2026-11-25",
            "E1's row at <records>:4 gives left_on '2026-11-20': left_on would be before hired_on",
        ),
        (
            6,
            "left_on",
            "2026-11-21",
            f"E1's row at <records>:4 gives left_on '2026-11-20': {differ}",
        ),
        (8, "left_on", "2026-11-04", "left_on is before hired_on"),
    ]
    employees = tables.table("employee").sort("employee_id")
    assert employees.select("employee_id", "hired_on", "left_on", "team").rows() == [
        ("E1", dt.date(2024, 3, 1), dt.date(2026, 11, 20), "east"),
        ("E2", None, None, None),
    ]
    # a finding citing an employee's record cites its first row kept
    assert [ref & 0xFFFFFFFF for ref in employees.get_column("_ref")] == [1, 9]


def test_a_date_or_number_that_disagrees_with_another_is_shown_as_read() -> None:
    """A rejected row's value is the raw text, but for a date or a number that disagrees with
    another field or an earlier row of its employee, which is compared as read: the date as
    YYYY-MM-DD, the number as a decimal (docs/inputs.md, Rejected rows)."""
    e1 = {"type": "employee", "employee_id": "E1", "name": "甲"}
    survey = {"type": "satisfaction_survey", "record_id": "V1", "customer_id": "C1"}
    survey |= {"employee_id": "E1", "at": "2026-11-02T09:00:00+08:00", "scale_max": "5"}
    tables = build(
        [
            {**e1, "hired_on": "2026/5/1", "left_on": "2026/3/1"},
            {**e1, "hired_on": "2026-04-01"},
            {**e1, "hired_on": "2026/5/2"},
            {**survey, "score": "+6"},
        ]
    )
    rejects = tables.rejects.select("line", "field", "value").rows()
    assert rejects == [
        (1, "left_on", "2026-03-01"),
        (3, "hired_on", "2026-05-02"),
        (4, "score", "6.0"),
    ]


def test_jsonl_malformed_lines_unknown_types_and_counts(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    path.write_text(
        json.dumps(PUNCH)
        + "\n\n{not json\n"
        + json.dumps({"type": "robot"})
        + "\n[1, 2]\n"
        + json.dumps({"employee_id": "E1"})
        + "\nnull\n"
        + json.dumps(PUNCH | {"record_id": {"a": 1}})
        + "\n",
        encoding="utf-8",
    )
    tables = build([path])
    assert tables.read == 7 and tables.accepted == 1
    rejects = {r["line"]: r["reason"] for r in tables.rejects.iter_rows(named=True)}
    assert rejects[3].startswith("malformed JSON")
    assert "unknown record type 'robot'" in rejects[4]
    assert rejects[5] == "expected an object, found a list"
    assert rejects[6] == "missing 'type'"
    assert rejects[7] == "expected an object, found null"
    assert rejects[8] == "expected a single value, found an object (a mapping)"


def test_a_jsonl_line_rejected_whole_keeps_the_line_as_its_value(tmp_path: Path) -> None:
    """A line that is no object, or holds half a surrogate pair, is rejected before any field
    is read, as a line that is not JSON is: its value is the line as read
    (docs/inputs.md#rejected-rows), so the rejects file shows what the export held there."""
    path = tmp_path / "log.jsonl"
    lines = ["[1, 2]", '"E1,2026-11-02 09:00"', "null", "{not json", '{"type": "a\\udc00"}']
    path.write_text("\n".join([json.dumps(PUNCH), *lines]) + "\n", encoding="utf-8")
    tables = build([path])
    assert (tables.read, tables.accepted) == (6, 1)
    assert tables.rejects.select("line", "field", "value").rows() == [
        (2, None, "[1, 2]"),
        (3, None, '"E1,2026-11-02 09:00"'),
        (4, None, "null"),
        (5, None, "{not json"),
        (6, None, '{"type": "a\\udc00"}'),
    ]


def test_jsonl_lines_end_at_line_ends_only_and_a_deep_line_is_one_reject(tmp_path: Path) -> None:
    """A name holding U+2028 (which ``json.dumps`` writes as it is, and ``str.splitlines``
    ends a line at) stays in its line; a line nested beyond the parser's depth is rejected
    with its line, and the lines after it are read."""
    path = tmp_path / "log.jsonl"
    employee = {"type": "employee", "employee_id": "E1", "name": "Wang\u2028Wei"}
    deep = '{"type": "punch", "employee_id": ' + "[" * 100_000 + "]" * 100_000 + "}"
    lines = [json.dumps(employee, ensure_ascii=False), deep, json.dumps(PUNCH | {"at": "bad"})]
    path.write_text("\n".join([*lines, json.dumps(PUNCH)]) + "\n", encoding="utf-8")
    tables = build([path])
    assert (tables.read, tables.accepted) == (4, 2)
    assert tables.table("employee").get_column("name").to_list() == ["Wang\u2028Wei"]
    rejects = {r["line"]: r["reason"] for r in tables.rejects.iter_rows(named=True)}
    assert rejects[2] == "malformed JSON: nested too deeply"
    assert list(rejects) == [2, 3] and "is not a date-time" in rejects[3]


def test_jsonl_lines_json_does_not_allow_are_rejected_with_their_line(tmp_path: Path) -> None:
    """What Python's json reads but JSON is not, each a reject of its line, the lines after
    it read: a key given twice (which value is meant?), NaN, a number beyond Python's 4,300
    digits, half a surrogate pair (no character: no report could hold it)."""
    path = tmp_path / "log.jsonl"
    punch = json.dumps(PUNCH)[1:-1]
    lines = [
        "{" + punch + ', "direction": "out"}',
        "{" + punch + ', "record_id": NaN}',
        "{" + punch + ', "record_id": ' + "9" * 5000 + "}",
        "{" + punch + ', "record_id": "a\\ud800"}',
        "{" + punch + ', "record_id": "a\\\\ud800 \\ud83d\\ude00"}',  # a backslash; a pair
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tables = build([path])
    assert (tables.read, tables.accepted) == (5, 1)
    assert tables.table("punch").get_column("record_id").to_list() == ["a\\ud800 \U0001f600"]
    rejects = {r["line"]: r["reason"] for r in tables.rejects.iter_rows(named=True)}
    assert rejects == {
        1: "malformed JSON: duplicate key 'direction'",
        2: "malformed JSON: NaN is not a JSON value (write null, or a number)",
        3: "malformed JSON: a number has too many digits",
        4: "malformed JSON: a \\uXXXX escape between \\ud800 and \\udfff is half of a "
        "surrogate pair, not a character",
    }


@pytest.mark.parametrize("quoted", [False, True])
def test_csv_rows_end_at_line_ends_only_and_empty_fields_are_a_row(
    tmp_path: Path, quoted: bool
) -> None:
    """Both readers: a value holding U+2028 or a form feed is one value of its row, and a
    row of empty fields is read and rejected (a blank line is no row)."""
    note = '"E1"' if quoted else "E1"
    path = tmp_path / "employees.csv"
    path.write_text(
        f"employee_id,name\n{note},Wang\u2028Wei\nE2,Li\x0cNa\n\n,\nE3,Zhao\n",
        encoding="utf-8",
    )
    tables = build([path])
    assert (tables.read, tables.accepted) == (4, 3)
    names = tables.table("employee").get_column("name").to_list()
    assert names == ["Wang\u2028Wei", "Li\x0cNa", "Zhao"]
    assert tables.rejects.select("line", "field").rows() == [(5, "employee_id")]


@pytest.mark.parametrize(
    ("values", "shown"),
    [
        (pl.Series([dt.timedelta(hours=1)]), "Duration(time_unit='us')"),
        (pl.Series([object()], dtype=pl.Object), "Object"),
        (pl.Series([b"E1"]), "Binary"),
    ],
)
def test_a_column_of_values_no_cell_holds_is_an_input_error(values: pl.Series, shown: str) -> None:
    frame = pl.DataFrame({"employee_id": ["E1"], "at": [PUNCH["at"]]})
    frame = frame.with_columns(values.alias("record_id"))
    with pytest.raises(
        InputError, match=rf"^<dataframe 0>: column 'record_id' holds {re.escape(shown)} values"
    ):
        build([frame], type_hint="punch")


def test_a_time_column_is_text_a_date_time_field_rejects() -> None:
    frame = pl.DataFrame({"employee_id": ["E1"], "at": [dt.time(9, 5)], "direction": ["in"]})
    tables = build([frame], type_hint="punch")
    assert tables.rejects.select("field", "value").rows() == [("at", "09:05:00")]


@pytest.mark.parametrize("form", ["parquet", "frame", "frame with a type column"])
def test_whole_floats_are_whole_numbers_in_whole_number_fields(tmp_path: Path, form: str) -> None:
    """pandas writes an integer column that holds a null as floats (600.0): in a
    whole-number field a whole float is that number, as in a workbook; a fraction is not."""
    frame = pl.DataFrame(
        {
            "record_id": ["D1", "D2", "D3", "D4"],
            "employee_id": ["E1"] * 4,
            "at": ["2026-11-03T10:00:00+08:00"] * 4,
            "data_class": ["customer"] * 4,
            "action": ["export"] * 4,
            "record_count": [600.0, 600.5, None, -0.0],
            "approved": [True] * 4,
        }
    )
    item: Any = frame
    if form == "parquet":
        item = tmp_path / "data_access_log.parquet"
        frame.write_parquet(item)
    elif form == "frame with a type column":
        item = frame.with_columns(type=pl.lit("data_access"))
    tables = build([item], type_hint="data_access" if form == "frame" else None)
    rejects = tables.rejects.select("line", "field", "value", "reason").rows()
    assert rejects == [
        (2, "record_count", "600.5", "'600.5' is not a whole number (or is beyond 64 bits)"),
        (3, "record_count", None, "missing value"),
    ]
    counts = tables.table("data_access").get_column("record_count").to_list()
    assert counts == [600, 0]


@pytest.mark.parametrize("form", ["parquet", "frame", "decimal frame"])
def test_whole_numbers_of_number_columns_are_digits_in_ids(tmp_path: Path, form: str) -> None:
    """pandas writes an id column that holds a null as floats (1017.0, and NaN for the null):
    an id is its digits, as in a workbook ("1017", not the employee "1017.0"), a fraction is
    kept as written, and NaN is no value (a required id missing), not the employee "NaN"."""
    ids = pl.Series([1017.0, 1017.0, float("nan")])
    record_ids = pl.Series([5.0, 5.5, 6.0])
    if form == "decimal frame":
        ids = pl.Series(["1017", "1017", None]).cast(pl.Decimal(12, 2))
        record_ids = pl.Series(["5", "5.5", "6"]).cast(pl.Decimal(12, 2))
    frame = pl.DataFrame(
        {
            "employee_id": ids,
            "at": ["2026-11-02T09:00:00+08:00", "2026-11-02T18:00:00+08:00", PUNCH["at"]],
            "record_id": record_ids,
        }
    )
    item: Any = frame
    if form == "parquet":
        item = tmp_path / "punches.parquet"
        frame.write_parquet(item)
    tables = build([item], type_hint="punch")
    rejects = tables.rejects.select("line", "field", "value", "reason").rows()
    assert rejects == [(3, "employee_id", None, "missing value")]
    punches = tables.table("punch").select("employee_id", "record_id").rows()
    fraction = "5.50" if form == "decimal frame" else "5.5"
    assert punches == [("1017", "5"), ("1017", fraction)]


@pytest.mark.parametrize("form", ["csv", "quoted csv", "frame"])
def test_a_column_named_like_the_readers_line_column_is_an_input_error(
    tmp_path: Path, form: str
) -> None:
    """``_line`` is the readers' own column (each row's line): an input's is refused, not
    mistaken for it (a JSONL line's ``_line`` is an unknown field, as any other)."""
    item: Any = pl.DataFrame({"employee_id": ["E1"], "at": [PUNCH["at"]], "_line": [7]})
    if form != "frame":
        item = tmp_path / "punches.csv"
        first = '"E1"' if form == "quoted csv" else "E1"
        item.write_text(f"employee_id,at,_line\n{first},{PUNCH['at']},7\n", encoding="utf-8")
    with pytest.raises(InputError, match="column '_line': the name is the reader's own"):
        build([item], type_hint="punch")


@pytest.mark.parametrize("quoted", [False, True])
def test_csv_rows_with_the_wrong_number_of_fields(tmp_path: Path, quoted: bool) -> None:
    """Both the fast reader (no quotes) and the quoting reader reject short and long rows."""
    note = '"E1"' if quoted else "E1"
    path = tmp_path / "punches.csv"
    path.write_text(
        "employee_id,at,direction\n"
        f"{note},2026-11-02T09:00:00+08:00,in\n"
        "E1,2026-11-02T18:00:00+08:00\n"
        "E1,2026-11-02T18:00:00+08:00,out,extra\n"
        "\n"
        "E2,2026-11-02T09:00:00+08:00,\n",
        encoding="utf-8",
    )
    tables = build([path])
    assert (tables.read, tables.accepted) == (4, 2)
    assert tables.rejects.select("line", "record_type", "reason").rows() == [
        (3, "punch", "expected 3 fields, found 2"),
        (4, "punch", "expected 3 fields, found 4"),
    ]


@pytest.mark.parametrize(
    ("closing", "where"),
    [
        ("in\n", "the end of the file"),  # never closed: the rest of the file is one row
        ('out",x,y\n', "line 3"),
    ],
)
def test_a_csv_row_over_several_lines_of_the_wrong_width_says_a_quote_may_be_open(
    tmp_path: Path, closing: str, where: str
) -> None:
    """A quote left open in line 2 makes the lines after it part of that row, as CSV reads
    it: the rejected row says which lines it took, so that none of them seems lost."""
    path = tmp_path / "punches.csv"
    path.write_text(
        'employee_id,at,direction\nE1,"2026-11-02T09:00:00+08:00,in\n'
        f"E1,2026-11-02T18:00:00+08:00,{closing}"
        + ("E2,2026-11-02T09:00:00+08:00,in\n" if where == "line 3" else ""),
        encoding="utf-8",
    )
    tables = build([path])
    [reject] = tables.rejects.select("line", "record_type", "reason").rows()
    if where == "the end of the file":  # certainly open: no quote closes it
        assert reject == (
            2,
            "punch",
            "a quote opened in line 2 is never closed: the lines from there to the end of "
            "the file (2 to 3) were read as this one row",
        )
    else:
        assert reject == (
            2,
            "punch",
            f"expected 3 fields, found 4: a quoted field runs from line 2 to {where}, and "
            "every line between is part of this row (a quote left open?)",
        )
    assert tables.read == tables.accepted + 1 == (1 if where == "the end of the file" else 2)


@pytest.mark.parametrize("last", ["name", "team"])
def test_a_quote_never_closed_is_one_rejected_row_that_names_the_lines_it_took(
    tmp_path: Path, last: str
) -> None:
    """A quote left open in the last column takes every line after it into one field of
    the right width: that row is rejected, saying which lines it took, none accepted as a
    name with line breaks in it, none lost."""
    path = tmp_path / "employees.csv"
    rows = [
        ("S001", "A", "Wang"),
        ("S002", "A", '"Li'),
        ("S003", "A", "Zhang"),
        ("S004", "A", "Liu"),
    ]
    order = [0, 2, 1] if last == "name" else [0, 1, 2]
    header = ",".join(["employee_id", "team", "name"][i] for i in order)
    path.write_text(
        header + "\n" + "".join(",".join(r[i] for i in order) + "\n" for r in rows),
        encoding="utf-8",
    )
    tables = build([path])
    reason = (
        "a quote opened in line 3 is never closed: the lines from there to the end of the "
        "file (3 to 5) were read as this one row"
    )
    assert tables.rejects.select("line", "reason").rows() == [(3, reason)]
    assert (tables.read, tables.accepted) == (2, 1)
    assert tables.table("employee").get_column("employee_id").to_list() == ["S001"]


def test_a_quote_left_open_early_in_a_large_export_is_still_one_rejected_row(
    tmp_path: Path,
) -> None:
    """The lines after a stray quote, a field of more than the csv module's 128 KiB in a
    large export, are the one row the quote took, rejected as such, not the file refused
    (`field larger than field limit`); the module's limit, the process's, is put back."""
    path = tmp_path / "punches.csv"
    rows = ["E0,2026-11-02T09:00:00+08:00,in", 'E1,2026-11-02T09:00:00+08:00,"in']
    rows += [f"E{i},2026-11-02T09:00:00+08:00,in" for i in range(2, 5002)]
    path.write_text("employee_id,at,direction\n" + "\n".join(rows) + "\n", encoding="utf-8")
    assert path.stat().st_size > 131_072 == csv.field_size_limit()
    tables = build([path])
    reason = (
        "a quote opened in line 3 is never closed: the lines from there to the end of the "
        "file (3 to 5003) were read as this one row"
    )
    assert tables.rejects.select("line", "reason").rows() == [(3, reason)]
    assert (tables.read, tables.accepted) == (2, 1)
    assert csv.field_size_limit() == 131_072


def test_a_quoted_text_beyond_the_csv_modules_limit_is_rejected_as_too_long(
    tmp_path: Path,
) -> None:
    """A text of 200,000 characters is a row rejected as longer than a text may be, quoted
    or not, and the rows after it read: not the whole file refused."""
    head = "request_id,employee_id,leave_type,start,end,submitted_at,status\n"
    times = "2026-11-03T09:00:00+08:00,2026-11-03T18:00:00+08:00,2026-11-01T09:00:00+08:00"
    for quote in ("", '"'):
        path = tmp_path / f"leave_requests-{len(quote)}.csv"
        path.write_text(
            f"{head}L1,E1,{quote}{'x' * 200_000}{quote},{times},approved\n"
            f'L2,E1,"annual",{times},approved\n',
            encoding="utf-8",
        )
        tables = build([path])
        assert tables.rejects.select("line", "field", "reason").rows() == [
            (2, "leave_type", "longer than 10000 characters")
        ]
        assert tables.table("leave_request").get_column("request_id").to_list() == ["L2"]


def test_csv_lines_ended_by_cr_alone_are_read_with_quotes_too(tmp_path: Path) -> None:
    """Lines ended by CR only (classic Mac OS) are lines, quoted fields or not; a CR inside
    an unquoted field ends its line there, and each part is a row of the wrong width."""
    path = tmp_path / "punches.csv"
    path.write_bytes(
        b'employee_id,at,direction\r"E1",2026-11-02T09:00:00+08:00,in\r'
        b"E2,2026-11-02T09:00:00+08:00,in\rE3,2026-11\r-02T09:00:00+08:00,in\r"
    )
    tables = build([path])
    assert tables.table("punch").get_column("employee_id").to_list() == ["E1", "E2"]
    assert tables.rejects.select("line", "reason").rows() == [
        (4, "expected 3 fields, found 2"),
        (5, "expected 3 fields, found 2"),
    ]
    assert tables.read == tables.accepted + 2 == 4


def test_a_csv_field_over_the_readers_limit_is_a_row_rejected_at_its_line(
    tmp_path: Path,
) -> None:
    """An id of 200,000 characters, quoted, beyond the csv module's own limit: rejected as
    too long, as it is unquoted, the other rows read."""
    path = tmp_path / "punches.csv"
    path.write_text(
        'employee_id,at,direction\nE1,2026-11-02T09:00:00+08:00,in\n"'
        + "x" * 200_000
        + '",2026-11-02T09:00:00+08:00,in\n',
        encoding="utf-8",
    )
    tables = build([path])
    assert tables.rejects.select("line", "field", "reason").rows() == [
        (3, "employee_id", "longer than 200 characters")
    ]
    assert tables.table("punch").get_column("employee_id").to_list() == ["E1"]


def test_csv_with_bom_crlf_and_quoted_commas(tmp_path: Path) -> None:
    path = tmp_path / "customer_visits.csv"
    path.write_bytes(
        "\ufeffemployee_id,customer_id,start,end\r\n"
        'E1,"Acme, Ltd",2026-11-02T10:00:00+08:00,2026-11-02T11:00:00+08:00\r\n'.encode()
    )
    tables = build([path])
    assert tables.rejects.is_empty()
    assert tables.table("customer_visit").get_column("customer_id").to_list() == ["Acme, Ltd"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "punches.csv",
            "employee_id,at,dirction\n",
            "column 'dirction': unknown field 'dirction' (did you mean 'direction'?)",
        ),
        ("punches.csv", "employee_id,direction\n", "no column 'at'"),
        ("punches.csv", "at\n", "which punch records need (columns found: at)"),
        ("punches.csv", "\nemployee_id,at\n", ":1: the first line is blank, where the header"),
        ("punches.csv", "\remployee_id,at\nE1,2026-11-02T09:00:00+08:00\n", ":1: the first line"),
        ("punches.csv", "\ufeff\remployee_id,at", ":1: the first line is blank"),
        ("stuff.csv", "employee_id,at\n", "cannot tell which record type"),
        ("punches.txt", "x", "unknown file format '.txt'"),
        ("punches.csv", "employee_id,at,at\n", "repeats a column name"),
    ],
)
def test_file_level_problems_name_the_file(
    tmp_path: Path, name: str, content: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        build([path])
    assert str(path) in str(caught.value) and message in str(caught.value)


@pytest.mark.parametrize("content", ["\n", "\r\n", "\ufeff\r\n", "\n  \n\t\n"])
def test_a_csv_file_of_blank_lines_alone_holds_no_row(tmp_path: Path, content: str) -> None:
    """A file of blank lines and nothing else (an export of no row, written as a line end)
    holds no row, as an empty file and a JSONL file of blank lines do: listed with 0 and
    named in a note, not the error of a blank line where the header goes, which stopped a
    year's check."""
    blank = tmp_path / "punches-2026-02.csv"
    blank.write_text(content, encoding="utf-8", newline="")
    lines = tmp_path / "records.jsonl"
    lines.write_text(content, encoding="utf-8", newline="")
    punches = tmp_path / "punches.csv"
    punches.write_text("employee_id,at\nE1,2026-11-02T09:00:00+08:00\n", encoding="utf-8")
    result = load_policy().check(
        [punches, blank, lines], dt.date(2026, 11, 2), dt.date(2026, 11, 2)
    )
    assert result.counts_by_source().rows() == [
        (str(punches), 1, 1, 0),
        (str(blank), 0, 0, 0),
        (str(lines), 0, 0, 0),
    ]
    assert [n for n in result.notes if "no row" in n] == [f"2 inputs hold no row: {blank}, {lines}"]


def test_exports_named_for_their_month_are_read_as_the_type_they_name(tmp_path: Path) -> None:
    """A year's exports, ``punches-2026-11.csv`` and the like, need no ``--type``: every row
    of the example month's files, renamed so, is accepted as the type its file names."""
    types = {
        "customer_visits": "customer_visit",
        "employees": "employee",
        "leave_requests": "leave_request",
        "overtime_requests": "overtime_request",
        "punches": "punch",
    }
    rows = {}
    for stem, record_type in types.items():
        file = EXAMPLE_MONTH / f"{stem}.csv"
        renamed = tmp_path / ("2026-11 " + stem if stem == "employees" else stem + "-2026-11")
        renamed = renamed.with_suffix(".csv")
        renamed.write_bytes(file.read_bytes())
        with file.open(encoding="utf-8", newline="") as opened:
            rows[record_type] = sum(1 for _ in csv.reader(opened)) - 1  # less the header
    tables = build(sorted(tmp_path.glob("*.csv")))
    assert tables.rejects.is_empty()
    assert {name: tables.table(name).height for name in types.values()} == rows
    # and named in Chinese, as a Chinese HR system exports them
    chinese = {
        "customer_visits": "客户拜访记录",
        "employees": "员工花名册",
        "leave_requests": "2026年11月请假申请表",
        "overtime_requests": "加班明细",
        "punches": "打卡记录_2026年11月",
    }
    folder = tmp_path / "zh"
    folder.mkdir()
    for stem, name in chinese.items():
        (folder / f"{name}.csv").write_bytes((EXAMPLE_MONTH / f"{stem}.csv").read_bytes())
    tables = build(sorted(folder.glob("*.csv")))
    assert tables.rejects.is_empty()
    assert {name: tables.table(name).height for name in types.values()} == rows


def test_a_file_read_as_one_long_column_name_is_named_cut_short(tmp_path: Path) -> None:
    """A file that is no CSV (or read in the wrong encoding) is one "column name" of all its
    text: the error names it cut short, not the whole file twice."""
    path = tmp_path / "punches.csv"
    path.write_text("x" * 5_000 + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        build([path])
    message = str(caught.value)
    assert f"{path}: column 'xxx" in message and "unknown field" in message
    assert "x" * 300 not in message and len(message) < 1_000  # of a 5,000-character line


@pytest.mark.parametrize("quoted", [False, True])
def test_csv_columns_without_a_name_are_dropped_when_empty_as_in_a_workbook(
    tmp_path: Path, quoted: bool
) -> None:
    """Excel saves a comma after the last column when the sheet's used range is wider."""
    q = '"' if quoted else ""
    rows = [["employee_id", "at", ""], ["E1", "2026-11-02T09:00:00+08:00", ""], ["E1", "bad", " "]]
    path = tmp_path / "punches.csv"
    lines = [",".join(f"{q}{cell}{q}" for cell in [*row, ""]) for row in rows]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    tables = build([path])
    assert tables.table("punch").height == 1
    rejects = tables.rejects.select("source", "line", "field", "value").rows()
    assert rejects == [(str(path), 3, "at", "bad")]
    path.write_text(
        f"employee_id,at,,direction\nE1,2026-11-02T09:00:00+08:00,,in\n"
        f"E1,2026-11-02T18:00:00+08:00,{q} x {q},out\n",
        "utf-8",
    )
    with pytest.raises(InputError) as caught:
        build([path])
    # the line of its first value: a stray cell in a year's export is found by it
    assert str(caught.value) == (
        f"{path}:3: column 3 holds values but has no header (the first: 'x')"
    )


def test_missing_and_undecodable_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        build([tmp_path / "absent.csv"])
    gbk = tmp_path / "punches.csv"
    gbk.write_bytes("工号,打卡时间\n".encode("gbk"))
    with pytest.raises(InputError, match="not UTF-8"):
        build([gbk])
    # Excel's way to save as UTF-8 is said for CSV files only
    lines = tmp_path / "punches.jsonl"
    lines.write_bytes('{"type": "punch", "employee_id": "王"}\n'.encode("gbk"))
    with pytest.raises(InputError, match="not UTF-8") as caught:
        build([lines])
    assert "re-save the file as UTF-8," in str(caught.value)
    assert "Excel: Save As" not in str(caught.value)


@pytest.mark.parametrize(
    ("content", "where", "says", "not_said"),
    [
        # Excel on Chinese Windows saves CSV in GBK: in the header, or in a value only
        # (工 is B9 A4 in GBK, 王 CD F5)
        (
            "工号,打卡时间\n".encode("gbk"),
            ":1: not UTF-8 text (byte 0xB9 at column 1)",
            "GBK",
            None,
        ),
        (
            "employee_id,at\nE1,x\n王,x\n".encode("gbk"),
            ":3: not UTF-8 text (byte 0xCD at column 1)",
            "GBK",
            None,
        ),
        # UTF-8 with a stray byte after text beyond ASCII (all of it reads as GBK too): not GBK;
        # the column counts characters, and not the byte-order mark
        (
            "\ufeffemployee_id,at\r\nE1,王王\r\n".encode() + b"E2,\xb9\xa4\n",
            ":3: not UTF-8 text (byte 0xB9 at column 4)",
            "",
            "GBK",
        ),
        ("employee_id,at\r\n".encode("utf-16"), ":1:", "it is UTF-16", "GBK"),
    ],
)
def test_text_that_is_not_utf8_is_said_where_and_what_it_seems(
    tmp_path: Path, content: bytes, where: str, says: str, not_said: str | None
) -> None:
    path = tmp_path / "punches.csv"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        build([path])
    message = str(caught.value)
    assert f"{path}{where}" in message and says in message and "re-save" in message
    assert not_said is None or not_said not in message


@pytest.mark.parametrize("order", ["le", "be"])
def test_utf16_without_a_byte_order_mark_is_said_to_be_it(tmp_path: Path, order: str) -> None:
    """UTF-16 text without its byte-order mark (as a database's export writes it) has a NUL
    byte beside each ASCII character: the error says so, and which encoding reads it, whether
    the text is not UTF-8 (its Chinese) or is (ASCII alone, read as column names holding
    NULs); so given, the file reads."""
    from sales_policy.mapping import ColumnMapping

    name = f"utf-16-{order}"
    says = (
        "it seems to be UTF-16 without a byte-order mark (a NUL byte beside each English letter "
        f'and digit): read it so (ColumnMapping(encoding="{name}") in the policy\'s columns, '
        f"or encoding: {name} in the column mapping), or re-save the export as UTF-8"
    )
    employees = tmp_path / "employees.csv"
    employees.write_bytes("employee_id,name,team\nE1,王伟,销售1组\nE2,李娜,销售2组\n".encode(name))
    punches = tmp_path / "punches.csv"
    punches.write_bytes("employee_id,at\nE1,2026-11-02T09:00:00+08:00\n".encode(name))
    for path, first in (
        (employees, f"{employees}:2: not UTF-8 text"),
        (punches, f"{punches}: column"),
    ):
        with pytest.raises(InputError) as caught:
            build([path])
        assert str(caught.value).startswith(first) and says in str(caught.value)
    read = build([employees, punches], columns=ColumnMapping(encoding=name))
    assert read.table("employee").get_column("team").to_list() == ["销售1组", "销售2组"]
    assert read.table("punch").height == 1
    # UTF-8 holding a NUL or two is not taken for it
    punches.write_bytes(b"employee_id,at,x\x00\nE1,2026-11-02T09:00:00+08:00,\n")
    with pytest.raises(InputError) as caught:
        build([punches])
    assert "UTF-16" not in str(caught.value)


def test_a_gbk_export_is_told_the_encoding_that_reads_it(tmp_path: Path) -> None:
    """The error for an export that seems to be GBK names the encoding to give, which reads
    it as it is: no export need be saved again."""
    from sales_policy.mapping import ColumnMapping

    path = tmp_path / "employees.csv"
    path.write_bytes("employee_id,name\nE1,王伟\n".encode("gbk"))
    with pytest.raises(InputError) as caught:
        build([path])
    # as Python gives it (the command says --encoding gb18030: tests/test_callerwords.py)
    assert 'ColumnMapping(encoding="gb18030")' in str(caught.value)
    read = build([path], columns=ColumnMapping({}, "gb18030"))
    assert read.table("employee").get_column("name").to_list() == ["王伟"]


def test_a_policy_given_an_encoding_in_python_reads_gbk_and_a_bad_name_fails_when_made(
    tmp_path: Path,
) -> None:
    """In Python the encoding is a ColumnMapping's (docs/inputs.md, Encoding), merged into a
    policy's mapping: GBK read so; GBK by any name Python knows (``GBK``).  A name that is no
    encoding, or none of text, is an InvalidArgument when the mapping is made, as a mapping
    file's is a PolicyError when loaded, not a bare LookupError from the check that reads the
    first file."""
    import dataclasses

    from sales_policy import InvalidArgument
    from sales_policy.mapping import ColumnMapping

    path = tmp_path / "employees.csv"
    path.write_bytes("employee_id,name\nE1,王伟\n".encode("gbk"))
    policy = load_policy()
    gbk = dataclasses.replace(policy, columns=policy.columns.merged(ColumnMapping(encoding="GBK")))
    result = gbk.check([path], dt.date(2026, 11, 2), dt.date(2026, 11, 2))
    assert result.employees.get_column("name").to_list() == ["王伟"]
    for name, says in (
        ("gbk2312", "unknown encoding 'gbk2312' (e.g. gb18030"),
        ("base64", "'base64' is no text encoding"),
        (936, "encoding is an encoding's name, not 936"),
    ):
        with pytest.raises(InvalidArgument, match=re.escape(says)):
            ColumnMapping(encoding=name)  # type: ignore[arg-type]


def test_type_hint_names_the_type_of_an_unnamed_file(tmp_path: Path) -> None:
    path = tmp_path / "export-2026-11.csv"
    path.write_text("employee_id,at\nE1,2026-11-02T09:00:00+08:00\n", encoding="utf-8")
    assert build([path], type_hint="punches").accepted == 1
    with pytest.raises(InputError, match="unknown record type 'punchs'"):
        build([path], type_hint="punchs")


def test_type_hint_leaves_files_named_after_a_type_their_type(tmp_path: Path) -> None:
    """A month's exports, named otherwise, with the employee records they are judged with."""
    employees = tmp_path / "employees.csv"
    employees.write_text("employee_id,name\nE1,王伟\n", encoding="utf-8")
    export = tmp_path / "考勤-2026-11.csv"
    export.write_text("employee_id,at\nE1,2026-11-02T09:00:00+08:00\n", encoding="utf-8")
    tables = build([employees, export], type_hint="punch")
    assert tables.table("employee").height == 1 and tables.table("punch").height == 1
    assert tables.rejects.is_empty()
    # such a file is read as without --type: by its type column, where it has one
    punches = tmp_path / "punches.csv"
    punches.write_text(
        "type,employee_id,at\npunch,E1,2026-11-02T09:00:00+08:00\npunchh,E1,2026-11-03\n",
        encoding="utf-8",
    )
    for hint in (None, "employee"):
        tables = build([punches], type_hint=hint)
        assert tables.table("punch").height == 1, hint
        assert [(r["line"], r["field"]) for r in tables.rejects.to_dicts()] == [(3, "type")]


def _all_formats(tmp_path: Path, records: list[dict[str, Any]]) -> dict[str, list[Any]]:
    by_type: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        by_type.setdefault(record["type"], []).append(
            {k: v for k, v in record.items() if k != "type"}
        )
    jsonl = tmp_path / "all.jsonl"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    csvs, parquets, frames = [], [], []
    for name, rows in by_type.items():
        frame = pl.DataFrame(rows, infer_schema_length=None)
        csv_path = tmp_path / f"{name}.csv"
        frame.write_csv(csv_path)
        csvs.append(csv_path)
        parquet_path = tmp_path / f"{name}.parquet"
        frame.write_parquet(parquet_path)
        parquets.append(parquet_path)
        frames.append(frame.with_columns(pl.lit(name).alias("type")))
    return {
        "dicts": records,
        "jsonl": [jsonl],
        "csv": csvs,
        "parquet": parquets,
        "dataframe": frames,
    }


def test_every_input_form_gives_the_same_findings(tmp_path: Path) -> None:
    """Dicts, JSONL, CSV, Parquet and DataFrames are judged identically."""

    base = POLICY.check(sorted(EXAMPLE_MONTH.glob("*.csv")))
    records = [
        {"type": t, **row}
        for t, path in (
            ("employee", "employees"),
            ("punch", "punches"),
            ("leave_request", "leave_requests"),
            ("overtime_request", "overtime_requests"),
            ("customer_visit", "customer_visits"),
        )
        for row in pl.read_csv(EXAMPLE_MONTH / f"{path}.csv", infer_schema=False).to_dicts()
    ]
    expected = base.frame.drop("sources")
    for form, items in _all_formats(tmp_path, records).items():
        result = POLICY.check(items)
        assert result.counts.rejected == 0, form
        assert result.frame.drop("sources").equals(expected), form


def test_record_objects_are_accepted() -> None:
    punch = Punch(employee_id="E1", at=dt.datetime(2026, 11, 2, 9, 3, tzinfo=dt.UTC))
    tables = build([punch])
    assert tables.accepted == 1
    assert tables.table("punch").get_column("at").item() == punch.at


def test_one_record_object_is_one_record_as_one_dict_is() -> None:
    """A record object iterates over its fields, as a dict over its keys: given alone, each
    is one record, checked and compared as a list of it is, never taken field by field."""
    from sales_policy.whatif import diff

    punch = Punch(employee_id="E1", at=dt.datetime(2026, 11, 2, 9, 10), direction="in")
    alone, listed = POLICY.check(punch), POLICY.check([punch])
    assert alone.counts == listed.counts
    assert (alone.counts.read, alone.counts.accepted) == (1, 1)
    assert alone.frame.equals(listed.frame)
    assert {f.rule_id for f in alone} == {"ATT-LATE", "ATT-MISSING-PUNCH"}
    graced = diff(POLICY, POLICY.with_params(late_grace_minutes=15), punch)
    assert [f.rule_id for f in graced.removed] == ["ATT-LATE"]


row_values = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.integers(),
    st.booleans(),
    st.sampled_from(["2026-11-02T09:00:00", "in", "out", "E1", ""]),
)


@given(
    rows=st.lists(
        st.dictionaries(
            st.sampled_from(
                [
                    "type",
                    "employee_id",
                    "at",
                    "direction",
                    "source",
                    "name",
                    "start",
                    "end",
                    "status",
                    "bogus",
                ]
            ),
            row_values,
        ),
        max_size=30,
    )
)
def test_read_always_equals_accepted_plus_rejected(rows: list[dict[str, Any]]) -> None:
    """Whatever rows arrive, every one is either accepted or rejected, never lost."""
    tables = build(rows)
    assert tables.read == len(rows)
    assert tables.accepted + tables.rejects.height == tables.read


def test_order_reversal_fields_must_agree_with_the_status() -> None:
    """A reversal needs a time, a booking has none, and a reversal cannot precede its booking."""
    order = {
        "type": "order",
        "order_id": "O1",
        "employee_id": "E1",
        "customer_id": "C1",
        "booked_at": "2026-11-02T10:00:00+08:00",
        "amount": "10",
        "status": "refunded",
    }
    tables = build(
        [
            order,
            {
                **order,
                "order_id": "O2",
                "status": "booked",
                "reversed_at": "2026-11-03T10:00:00+08:00",
            },
            {**order, "order_id": "O3", "reversed_at": "2026-11-01T10:00:00+08:00"},
            {**order, "order_id": "O4", "reversed_at": "2026-11-04T10:00:00+08:00"},
        ]
    )
    assert tables.rejects.select("line", "field", "reason").rows() == [
        (1, "reversed_at", "a cancelled or refunded order needs reversed_at"),
        (2, "reversed_at", "a booked order has no reversed_at"),
        (3, "reversed_at", "reversed_at is before booked_at"),
    ]
    assert tables.table("order").get_column("order_id").to_list() == ["O4"]


def test_a_released_table_still_counts_and_cannot_be_read() -> None:
    """``release`` lets a table's memory go once its rows are read for good (the check does so
    with the punches once the attendance records are prepared); the counts stay."""
    month = sorted(
        (Path(__file__).resolve().parents[1] / "examples" / "november-2026").glob("*.csv")
    )
    built = build_tables(month, policy_timezone="Asia/Shanghai")
    heights = {name: table.height for name, table in built.tables.items()}
    accepted = built.accepted
    assert heights["punch"] > 0
    built.release("punch")
    built.release("punch")  # once gone, nothing more to let go of
    assert "punch" not in built.tables
    assert built.heights() == heights and built.accepted == accepted
    with pytest.raises(RuntimeError, match="punch table was released"):
        built.table("punch")
    assert built.table("order").is_empty()  # a type never read is empty, as ever
    release = mock.patch.object(RecordTables, "release", autospec=True, wraps=RecordTables.release)
    with release as spy:
        result = load_policy().check(month)
    assert [call.args[1] for call in spy.call_args_list] == ["punch"]
    assert result.counts.by_type == heights and result.counts.accepted == accepted
    # With another rule set's records, whose facts may date every record, nothing is let go.
    gift = {
        "type": "gift",
        "record_id": "G1",
        "employee_id": "S001",
        "counterparty": "a supplier",
        "direction": "received",
        "value": "50",
        "at": "2026-11-03T12:00:00+08:00",
        "approved": "true",
    }
    with release as spy:
        result = load_policy().check([*month, gift])
    assert spy.call_count == 0 and result.counts.by_type["gift"] == 1


_PUNCH_VALUES = {
    "employee_id": st.sampled_from(["E1", "E2", " E3 ", "", "E" + "9" * 201]),
    "at": st.sampled_from(
        [
            "2026-11-02T09:00:00+08:00",
            "2026-11-02 18:30:05Z",
            "2026-11-03T08:59:59",
            "2026-11-03T25:00:00+08:00",
            "1762045200000",
            "",
            "yesterday",
        ]
    ),
    "direction": st.sampled_from(["in", "out", "", "sideways", " out"]),
    "source": st.sampled_from(["office", "mobile", "", "desk"]),
}


@given(
    files=st.lists(
        st.tuples(
            st.sets(st.sampled_from(["direction", "source"])),  # optional columns present
            st.lists(st.fixed_dictionaries(_PUNCH_VALUES), max_size=6),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_files_of_one_type_are_validated_as_each_alone(
    tmp_path_factory: pytest.TempPathFactory,
    files: list[tuple[set[str], list[dict[str, str]]]],
) -> None:
    """Files of one record type are validated together; each row still ends as it would
    with its file checked alone (accepted with the same values, or rejected for the same
    field and reason), located by its own file and line, whatever columns and blanks each
    file has."""
    directory = tmp_path_factory.mktemp("punches")
    paths = []
    for number, (optional, rows) in enumerate(files):
        columns = ["employee_id", "at", *sorted(optional)]
        path = directory / str(number) / "punches.csv"
        path.parent.mkdir()
        lines = [",".join(columns), *(",".join(row[c] for c in columns) for row in rows)]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    together = build([str(p) for p in paths])
    expected_accepted, expected_rejects = [], []
    for number, path in enumerate(paths):
        alone = build([str(path)])
        punches = alone.table("punch").with_columns(pl.col("_ref") + (number << 32))
        expected_accepted.append(punches)
        expected_rejects.append(alone.rejects)
    accepted = together.table("punch")
    assert accepted.sort("_ref").equals(pl.concat(expected_accepted).sort("_ref"))
    rejects = pl.concat(expected_rejects).sort("source", "line")
    assert together.rejects.sort("source", "line").equals(rejects)
    assert together.read == sum(len(rows) for _, rows in files)
    assert together.accepted + together.rejects.height == together.read


def test_files_are_handed_on_in_the_order_given_and_the_first_error_wins(
    tmp_path: Path,
) -> None:
    """Files are read two at a time, yet handed on as if read one after another: their
    frames in the order given, and of several broken files the first given is named."""
    good = []
    for name in ("a", "b", "c"):
        (tmp_path / name).mkdir()
        path = tmp_path / name / "punches.csv"
        path.write_text("employee_id,at\nE1,2026-11-02T09:00:00+08:00\n", encoding="utf-8")
        good.append(str(path))
    broken = tmp_path / "punches.csv"
    broken.write_text("employee_id,at,mood\nE1,2026-11-02T09:00:00+08:00,fine\n")
    missing = str(tmp_path / "none" / "punches.csv")
    tables = build([good[2], good[0], good[1]])
    assert tables.sources == [good[2], good[0], good[1]]
    assert tables.read == tables.accepted == 3
    with pytest.raises(InputError, match="column 'mood'"):
        build([good[0], str(broken), missing, good[1]])
    with pytest.raises(InputError, match="no such file"):
        build([good[0], missing, str(broken), good[1]])


@pytest.mark.parametrize(
    ("text", "utc"),
    [
        ("2026-11-02T18:00:00+18:00", dt.datetime(2026, 11, 2, 0, 0)),
        ("2026-11-02 09:00:00-1800", dt.datetime(2026, 11, 3, 3, 0)),
        ("2026-11-02T09:00:59.5+05:45", dt.datetime(2026, 11, 2, 3, 15, 59, 500_000)),
    ],
)
def test_offsets_of_up_to_18_hours_and_59_seconds_are_read(text: str, utc: dt.datetime) -> None:
    tables = build([PUNCH | {"at": text}])
    assert tables.table("punch").get_column("at").to_list() == [utc.replace(tzinfo=dt.UTC)]


@pytest.mark.parametrize(
    ("text", "utc"),
    [  # local times in Asia/Shanghai (+08:00), year first as a spreadsheet saves them
        ("2026/11/2 9:05", dt.datetime(2026, 11, 2, 1, 5)),
        ("2026/11/02 18:05:07", dt.datetime(2026, 11, 2, 10, 5, 7)),
        ("2026/1/3 0:00", dt.datetime(2026, 1, 2, 16, 0)),
        ("2026/11/2 9:05:60", None),  # a leap second, as in ISO text
        ("2026/11/2 24:00", None),
        ("2026/2/30 9:05", None),
        ("2026/11/2 9:5", None),
        ("2026/11/2 9:05 +08:00", None),  # a spreadsheet writes no offset
        ("2/11/2026 9:05", None),  # day or month first: which, no one can tell
    ],
)
def test_a_date_time_as_a_spreadsheet_saves_it_is_local_time(
    text: str, utc: dt.datetime | None
) -> None:
    """Excel in Chinese re-saves a CSV file's date-times as ``2026/11/3 9:05``: year, month
    and day, no offset, seconds if shown.  Read as a naive timestamp, in the employee's
    timezone; anything else of that shape is rejected as no date-time."""
    tables = build([PUNCH | {"at": text}])
    if utc is None:
        assert tables.rejects.row(0, named=True)["reason"].endswith(
            "is not a date-time (expected ISO 8601 like 2026-11-03T09:00:00+08:00,"
            " year first like 2026/11/3 9:05, or epoch milliseconds)"
        )
        return
    assert tables.table("punch").get_column("at").to_list() == [utc.replace(tzinfo=dt.UTC)]
    assert tables.naive_timestamps == 1


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("2026/3/1", dt.date(2026, 3, 1)),
        ("2026/03/01", dt.date(2026, 3, 1)),
        ("2026/2/30", None),
        ("2026/3/1 9:00", None),
        ("1/3/2026", None),
    ],
)
def test_a_date_as_a_spreadsheet_saves_it_is_read(text: str, date: dt.date | None) -> None:
    tables = build([{"type": "employee", "employee_id": "E1", "name": "A", "hired_on": text}])
    if date is None:
        assert tables.rejects.row(0, named=True)["reason"] == (
            f"'{text}' is not a date (expected YYYY-MM-DD, or year first like 2026/11/3)"
        )
        return
    assert tables.table("employee").get_column("hired_on").to_list() == [date]


@pytest.mark.parametrize(
    ("record", "field"),
    [(PUNCH, "at"), ({"type": "employee", "employee_id": "E1", "name": "A"}, "hired_on")],
)
def test_the_reason_a_date_is_rejected_for_names_forms_that_are_read(
    record: dict[str, Any], field: str
) -> None:
    """A rejected date or date-time says what is accepted, the year-first form a spreadsheet
    saves among it: each example the reason gives ("like 2026/11/3"), put in the field
    instead, is read."""
    reason = one_reject([record | {field: "soon"}])["reason"]
    examples = re.findall(r"like ([^,)]+)", reason)
    assert any(example.startswith("2026/") for example in examples), reason
    for example in examples:
        tables = build([record | {field: example}])
        assert tables.rejects.is_empty() and tables.accepted == 1, example


def test_a_file_given_twice_is_an_input_error(tmp_path: Path) -> None:
    """Overlapping patterns (``nov/*.csv nov/punches.csv``) would read every row twice."""
    path = tmp_path / "punches.csv"
    path.write_text(f"employee_id,at\nE1,{PUNCH['at']}\n", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(path)
    with pytest.raises(InputError, match=r"punches\.csv: given twice; give each file once"):
        build([path, path])
    with pytest.raises(
        InputError, match=rf"link\.csv: given twice \(also as {re.escape(str(path))}"
    ):
        build([path, tmp_path / "other.csv", link])


@pytest.mark.parametrize(("separator", "word"), [(";", "semicolons"), ("\t", "tabs")])
def test_a_file_separated_otherwise_than_by_commas_is_said_so(
    tmp_path: Path, separator: str, word: str
) -> None:
    path = tmp_path / "punches.csv"
    path.write_text(separator.join(["employee_id", "at"]) + "\nE1" + separator + "x\n")
    with pytest.raises(InputError, match=f"the file seems separated by {word}: save it with"):
        build([path])


_SNAPSHOT_VALUES = {
    "name": st.sampled_from(["甲", "乙"]),
    "hired_on": st.sampled_from(["2025-01-06", "2026-11-10"]),
    "left_on": st.sampled_from(["2026-11-04", "2026-11-30"]),
    "team": st.sampled_from(["east", "west"]),
}


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["E1", "E2", "E3"]),
            st.fixed_dictionaries({}, optional=_SNAPSHOT_VALUES),
        ),
        max_size=12,
    )
)
def test_an_employees_rows_merge_as_one_row_after_another(
    drawn: list[tuple[str, dict[str, str]]],
) -> None:
    """Merged as read row after row, in order (docs/inputs.md, "An employee's rows are
    merged"): a row is taken when each field it gives is the one taken so far or none, and
    its dates do not make the employee leave before being hired; else it is rejected."""
    records = [{"type": "employee", "employee_id": e, "name": "甲", **v} for e, v in drawn]
    taken: dict[str, dict[str, str]] = {}
    rejected = []
    for line, record in enumerate(records, start=1):
        held = taken.get(record["employee_id"], {})
        fields = {k: v for k, v in record.items() if k != "type"}
        together = held | fields
        differs = any(held.get(k, v) != v for k, v in fields.items())
        dates = together.get("left_on", "9999") < together.get("hired_on", "0000")
        if differs or dates:
            rejected.append(line)
        else:
            taken[record["employee_id"]] = together
    tables = build(records)
    assert sorted(tables.rejects.get_column("line").to_list()) == rejected
    assert tables.read == tables.accepted + tables.rejects.height == len(records)
    employees = tables.table("employee").sort("employee_id")
    expected = [
        (e, *(taken[e].get(k) for k in ("name", "hired_on", "left_on", "team")))
        for e in sorted(taken)
    ]
    text = employees.select(
        "employee_id", "name", pl.col("hired_on", "left_on").cast(pl.String), "team"
    )
    assert text.rows() == expected
