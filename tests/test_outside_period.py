"""Accepted rows lying outside the period, which no rule judged (``facts.outside_period``):
named in a note per record type, with their first and last date, in the result, the
command's reports and on standard error where the report has no notes."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from sales_policy import Policy, load_policy
from sales_policy.calendar import Schedule
from sales_policy.cli import main
from sales_policy.findings import CheckResult, Note

JANUARY = dt.date(2026, 1, 1), dt.date(2026, 1, 31)
#: a request's fields beside its id, employee, start and end
DECIDED = {
    "submitted_at": "2025-12-01T09:00:00+08:00",
    "status": "approved",
    "decided_at": "2025-12-02T09:00:00+08:00",
}


def punch(at: str, employee: str = "E1") -> dict[str, Any]:
    return {"type": "punch", "employee_id": employee, "at": at}


def visit(start: str, end: str, customer: str = "C1") -> dict[str, Any]:
    return {
        "type": "customer_visit",
        "employee_id": "E1",
        "customer_id": customer,
        "start": start,
        "end": end,
    }


def request(kind: str, request_id: str, start: str, end: str) -> dict[str, Any]:
    leave = {"leave_type": "annual"} if kind == "leave_request" else {}
    return {
        "type": kind,
        "request_id": request_id,
        "employee_id": "E1",
        "start": start,
        "end": end,
        **DECIDED,
        **leave,
    }


#: E1 works Monday 5 January 2026; E2 (in Shanghai, UTC+8) punches at 00:30 local time on
#: 1 January, 31 December in UTC: a date of the period, as attendance dates it
INSIDE = [
    punch("2026-01-05T09:00:00+08:00"),
    punch("2026-01-05T18:00:00+08:00"),
    punch("2025-12-31T16:30:00Z", "E2"),
    # leave from 30 December to 2 January overlaps the period's first two days
    request("leave_request", "L0", "2025-12-30T09:00:00+08:00", "2026-01-02T18:00:00+08:00"),
    # overtime from 31 December 22:00 to 1 January 01:00 overlaps 1 January
    request("overtime_request", "O0", "2025-12-31T22:00:00+08:00", "2026-01-01T01:00:00+08:00"),
]
#: a punch the evening before the period, a visit the day after it, leave and overtime
#: requested wholly after and before it
OUTSIDE = [
    punch("2025-12-31T23:50:00+08:00"),
    visit("2026-02-01T10:00:00+08:00", "2026-02-01T11:00:00+08:00"),
    request("leave_request", "L1", "2026-02-02T09:00:00+08:00", "2026-02-03T18:00:00+08:00"),
    request("leave_request", "L2", "2026-02-16T09:00:00+08:00", "2026-02-16T18:00:00+08:00"),
    request("overtime_request", "O1", "2025-12-20T19:00:00+08:00", "2025-12-20T21:00:00+08:00"),
]


def outside_note(result: CheckResult) -> Note | None:
    found = [note for note in result.notes if note.kind == "outside_period"]
    assert len(found) <= 1
    return found[0] if found else None


def test_rows_outside_the_period_are_named_by_type_with_their_dates() -> None:
    """Five rows outside January, counted by hand: one punch of 31 December (local date),
    one visit of 1 February, two leave requests of 2-3 and 16 February, one overtime
    request of 20 December; the rows overlapping the period, or dated in it by the local
    clock, are not named."""
    result = load_policy().check(INSIDE + OUTSIDE, *JANUARY)
    assert result.counts.accepted == 10 and result.counts.rejected == 0
    note = outside_note(result)
    assert note == (
        "5 accepted rows lie wholly outside the period (2026-01-01 to 2026-01-31) and were "
        "read but not judged: 1 punch row (2025-12-31), 1 customer_visit row (2026-02-01), "
        "2 leave_request rows (2026-02-02 to 2026-02-16), 1 overtime_request row "
        "(2025-12-20); to judge them, widen the period checked"
    )
    assert note is not None and note.zh == (
        "有 5 行已接受的记录完全落在检查期间（2026-01-01 至 2026-01-31）之外，已读取但未判断："
        "打卡（punch）1 行（2025-12-31）、客户拜访（customer_visit）1 行（2026-02-01）、"
        "请假申请（leave_request）2 行（2026-02-02 至 2026-02-16）、"
        "加班申请（overtime_request）1 行（2025-12-20）；如需判断，请扩大检查期间"
    )
    # as the note says: widened, they are judged, and no note is left
    widened = load_policy().check(INSIDE + OUTSIDE, dt.date(2025, 12, 20), dt.date(2026, 2, 16))
    assert outside_note(widened) is None


def test_dates_of_early_years_are_written_with_four_digits() -> None:
    """A year typed wrong (0012 for 2012) is written as typed, not as the year 12."""
    typed = [punch("0012-03-05T09:00:00+08:00"), punch("0999-12-31T09:00:00+08:00")]
    result = load_policy().check([*INSIDE, *typed], *JANUARY)
    assert outside_note(result) == (
        "2 accepted rows lie wholly outside the period (2026-01-01 to 2026-01-31) and were "
        "read but not judged: 2 punch rows (0012-03-05 to 0999-12-31); to judge them, widen "
        "the period checked"
    )


def test_rows_inside_the_period_give_no_note() -> None:
    assert outside_note(load_policy().check(INSIDE, *JANUARY)) is None


def test_one_row_is_said_in_the_singular() -> None:
    result = load_policy().check([*INSIDE, OUTSIDE[0]], *JANUARY)
    assert outside_note(result) == (
        "1 accepted row lies wholly outside the period (2026-01-01 to 2026-01-31) and was read "
        "but not judged: 1 punch row (2025-12-31); to judge it, widen the period checked"
    )


def test_without_a_period_the_presence_is_inside_and_other_rows_are_named() -> None:
    """The default period runs from the first to the last date with a punch or a visit
    (31 December to 1 February here): those lie in it; leave of February after the visit,
    and overtime of 20 December before the punch, do not."""
    result = load_policy().check(INSIDE + OUTSIDE)
    assert result.period == (dt.date(2025, 12, 31), dt.date(2026, 2, 1))
    note = outside_note(result)
    assert note is not None and note.startswith(
        "3 accepted rows lie wholly outside the period (2025-12-31 to 2026-02-01) and were "
        "read but not judged: 2 leave_request rows (2026-02-02 to 2026-02-16), "
        "1 overtime_request row (2025-12-20);"
    )
    assert outside_note(load_policy().check(INSIDE)) is None


def test_a_type_no_rule_of_the_check_judges_is_not_named() -> None:
    """A check of the integrity rules judges no punch on any date: the punches outside
    January are not named, the gifts outside it are, each by its local date in Shanghai:
    31 December 23:00 and 1 March are outside, 1 January 01:00 (31 December in UTC) inside."""

    def gift(record_id: str, at: str) -> dict[str, Any]:
        return {
            "type": "gift",
            "record_id": record_id,
            "employee_id": "E1",
            "counterparty": "X",
            "direction": "given",
            "value": "100",
            "at": at,
            "approved": True,
        }

    gifts = [
        gift("G1", "2026-03-01T10:00:00+08:00"),
        gift("G2", "2025-12-31T15:00:00Z"),
        gift("G3", "2025-12-31T17:00:00Z"),
    ]
    result = load_policy().check([*INSIDE, *OUTSIDE, *gifts], *JANUARY, rulesets=["integrity"])
    assert result.facts["gift"].get_column("record_id").to_list() == ["G3"]
    note = outside_note(result)
    assert note is not None and note.startswith(
        "2 accepted rows lie wholly outside the period (2026-01-01 to 2026-01-31) and were "
        "read but not judged: 2 gift rows (2025-12-31 to 2026-03-01);"
    )


def test_outside_work_is_outside_when_it_overlaps_no_day_of_the_period() -> None:
    """Outside work of 2025 and outside work from 10 February lie outside January; work
    going on since June 2025 (no end) overlaps it, and is judged (DIS-MOONLIGHT)."""

    def work(record_id: str, start: str, end: str | None) -> dict[str, Any]:
        return {
            "type": "outside_work",
            "record_id": record_id,
            "employee_id": "E1",
            "organisation": "X",
            "role": "sales",
            "start": start,
            "end": end,
            "status": "undeclared",
        }

    records = [
        *INSIDE,
        work("W1", "2025-01-01", "2025-12-31"),
        work("W2", "2026-02-10", None),
        work("W3", "2025-06-01", None),
    ]
    result = load_policy().check(records, *JANUARY, rulesets=["discipline"])
    assert result.rejects.is_empty()
    assert result.facts["outside_work"].get_column("record_id").to_list() == ["W3"]
    note = outside_note(result)
    assert note is not None and ": 2 outside_work rows (2025-01-01 to 2026-02-10);" in note


def test_customer_care_reads_visits_before_the_period_and_nothing_after_it() -> None:
    """A visit of December is a customer's last contact, read where a customer assignment
    covers the period's end (CRM-NO-REVISIT counts the days since it); a contact after the
    period (the follow-up of a contract signed on 30 January) is not read: the contract is
    pending, and the contact named."""
    december = visit("2025-12-15T10:00:00+08:00", "2025-12-15T11:00:00+08:00")
    contract = {
        "type": "contract",
        "contract_id": "K1",
        "employee_id": "E1",
        "customer_id": "C1",
        "signed_at": "2026-01-30T10:00:00+08:00",
        "amount": "1000",
    }
    contact = {
        "type": "customer_contact",
        "record_id": "T1",
        "employee_id": "E1",
        "customer_id": "C1",
        "at": "2026-02-02T10:00:00+08:00",
        "channel": "phone",
        "purpose": "after_sales",
    }
    assignment = {
        "type": "customer_assignment",
        "employee_id": "E1",
        "customer_id": "C1",
        "start": "2025-06-01",
    }
    alone = outside_note(load_policy().check([*INSIDE, december], *JANUARY))
    assert alone is not None and ": 1 customer_visit row (2025-12-15);" in alone
    records = [*INSIDE, december, contract, contact, assignment]
    result = load_policy().check(records, *JANUARY)
    assert result.rejects.is_empty()
    revisit = result.facts["customer_revisit"]
    assert revisit.get_column("last_contact_on").to_list() == [dt.date(2025, 12, 15)]
    assert result.pending["CRM-NO-FOLLOW-UP"] == 1
    note = outside_note(result)
    assert note is not None and ": 1 customer_contact row (2026-02-02);" in note
    assert "customer_visit" not in note


def test_month_records_are_named_by_the_months_outside() -> None:
    """A sales target of March is compared with nothing in January; January's is judged,
    and so is a survey of 10 January for a period from the 15th: the month's surveys are
    counted whole.  A survey of February is after the period's end."""

    def target(month: str) -> dict[str, Any]:
        return {
            "type": "sales_target",
            "employee_id": "E1",
            "period": month,
            "sales_amount": "1000",
            "new_customers": 1,
        }

    def survey(record_id: str, at: str) -> dict[str, Any]:
        return {
            "type": "satisfaction_survey",
            "record_id": record_id,
            "customer_id": "C1",
            "employee_id": "E1",
            "at": at,
            "score": 4,
        }

    records = [
        punch("2026-01-19T09:00:00+08:00"),
        punch("2026-01-19T18:00:00+08:00"),
        target("2026-01"),
        target("2026-03"),
        survey("S1", "2026-01-10T10:00:00+08:00"),
        survey("S2", "2026-02-10T10:00:00+08:00"),
    ]
    result = load_policy().check(records, dt.date(2026, 1, 15), JANUARY[1])
    assert result.rejects.is_empty()
    note = outside_note(result)
    assert note is not None and note.startswith(
        "2 accepted rows lie wholly outside the period (2026-01-15 to 2026-01-31) and were "
        "read but not judged: 1 satisfaction_survey row (2026-02-10), 1 sales_target row "
        "(2026-03);"
    )
    assert "销售目标（sales_target）1 行（2026-03）" in note.zh
    assert result.facts["assessment_month"].get_column("surveys").to_list() == [1]


def write(path: Path, rows: list[dict[str, Any]]) -> str:
    fields = [key for key in rows[0] if key != "type"]
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fields)
        writer.writeheader()
        writer.writerows({key: row[key] for key in fields} for row in rows)
    return str(path)


def test_the_command_shows_the_note_in_the_table_and_on_stderr_for_findings_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    punches = [row for row in INSIDE + OUTSIDE if row["type"] == "punch"]
    leaves = [row for row in INSIDE + OUTSIDE if row["type"] == "leave_request"]
    inputs = [write(tmp_path / "punches.csv", punches), write(tmp_path / "leaves.csv", leaves)]
    said = (
        "3 accepted rows lie wholly outside the period (2026-01-01 to 2026-01-31) and were "
        "read but not judged: 1 punch row (2025-12-31), 2 leave_request rows (2026-02-02 to "
        "2026-02-16); to judge them, widen the period checked"
    )
    capsys.readouterr()
    assert main(["check", *inputs, "--period", "2026-01"]) == 0
    out = capsys.readouterr().out
    assert said in " ".join(out.split())  # the table wraps its notes
    assert main(["check", *inputs, "--period", "2026-01", "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert "已读取但未判断" in out and "打卡（punch）1 行（2025-12-31）" in "".join(out.split("\n"))
    for fmt in ("jsonl", "csv"):
        assert main(["check", *inputs, "--period", "2026-01", "--format", fmt]) == 0
        assert f"sales-policy: {said}\n" in capsys.readouterr().err
    assert main(["check", *inputs, "--period", "2026-01", "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert "outside_period" in captured.out and said not in captured.err
    page = tmp_path / "report.md"
    assert main(["report", *inputs, "--period", "2026-01", "--format", "md", "-o", str(page)]) == 0
    # in the page's language, Chinese, its Markdown escaped
    assert "请假申请（leave\\_request）2 行（2026-02-02 至 2026-02-16）" in page.read_text("utf-8")


def test_a_row_of_the_first_month_is_read_where_market_reports_are_due_by_month() -> None:
    """An employee without an employee record is due a market report in a month in which a
    record of theirs is dated: a punch of 10 January, before a period from the 15th, makes
    January one, where market reports are judged; else it is judged by no rule."""
    month = [punch("2026-01-10T09:00:00+08:00"), punch("2026-01-19T09:00:00+08:00")]
    report = {
        "type": "market_report",
        "record_id": "M1",
        "employee_id": "E2",
        "submitted_at": "2026-01-20T10:00:00+08:00",
        "topic": "prices",
    }
    period = dt.date(2026, 1, 15), JANUARY[1]
    alone = outside_note(load_policy().check(month, *period))
    assert alone is not None and ": 1 punch row (2026-01-10);" in alone
    result = load_policy().check([*month, report], *period)
    assert result.rejects.is_empty()
    due = result.facts["market_report_month"].filter(employee_id="E1")
    assert due.get_column("active_by").to_list() == ["records"]
    assert outside_note(result) is None


def test_the_tables_said_to_read_each_type_are_fact_tables() -> None:
    """Every record type with a date is held to the tables reading it, save the two the
    docs leave out (inputs.md, "Rows outside the period")."""
    from sales_policy.facts import FACT_TABLES
    from sales_policy.facts.outside_period import DATED_BY, READS
    from sales_policy.recordfields import RECORD_TYPE_NAMES_ZH

    assert {table for reads in READS.values() for table in reads} <= set(FACT_TABLES)
    assert set(READS) == set(RECORD_TYPE_NAMES_ZH) - {"employee", "customer_assignment"}
    attendance = {"punch", "customer_visit", "leave_request", "overtime_request"}
    assert set(DATED_BY) == set(READS) - attendance


def with_day_start(hour: int) -> Policy:
    """The handbook's policy with attendance days starting at ``hour`` (schedule.day_start)."""
    return dataclasses.replace(load_policy(), schedule=Schedule(day_start=dt.time(hour)))


def overtime(request_id: str, start: str, end: str) -> dict[str, Any]:
    """An overtime request approved on 2 November 2026, before any of those below."""
    decided = {
        "submitted_at": "2026-11-01T09:00:00+08:00",
        "decided_at": "2026-11-02T09:00:00+08:00",
    }
    return {**request("overtime_request", request_id, start, end), **decided}


NOVEMBER = dt.date(2026, 11, 1), dt.date(2026, 11, 30)
DECEMBER = dt.date(2026, 12, 1), dt.date(2026, 12, 31)
#: Monday 30 November 09:00 to 00:30 on Tuesday 1 December, overtime approved for 00:00 to
#: 00:30 (O1), and a request for 03:30 to 04:30 (O2) that no departure reaches
PAST_MIDNIGHT = [
    {**punch("2026-11-30T09:00:00+08:00"), "direction": "in"},
    {**punch("2026-12-01T00:30:00+08:00"), "direction": "out"},
    overtime("O1", "2026-12-01T00:00:00+08:00", "2026-12-01T00:30:00+08:00"),
    overtime("O2", "2026-12-01T03:30:00+08:00", "2026-12-01T04:30:00+08:00"),
]


def test_an_overtime_request_past_midnight_is_dated_by_its_attendance_day() -> None:
    """With days starting at 06:00, 00:00 to 04:30 on 1 December is 30 November's: the
    punches are its arrival and departure, O1 approves its overtime (18:00 to 00:30), and O2
    lies in it too.  So November's check names nothing, and December's names the punches and
    both requests, of 30 November (O2 ends 4.5 hours after midnight, beyond the hours a
    timezone's clock can jump: it is found by the attendance day's start, 06:00)."""
    policy = with_day_start(6)
    november = policy.check(PAST_MIDNIGHT, *NOVEMBER, rulesets=["attendance"])
    assert november.rejects.is_empty()
    evening = november.facts["workday"].filter(date=NOVEMBER[1]).row(0, named=True)
    assert (evening["overtime_approved"], evening["overtime_request_ids"]) == (True, ["O1"])
    assert outside_note(november) is None
    december = policy.check(PAST_MIDNIGHT, *DECEMBER, rulesets=["attendance"])
    note = outside_note(december)
    assert note is not None and note.startswith(
        "4 accepted rows lie wholly outside the period (2026-12-01 to 2026-12-31) and were "
        "read but not judged: 2 punch rows (2026-11-30), 2 overtime_request rows (2026-11-30);"
    )
    # at midnight, the requests are of 1 December: in December, out of November
    assert outside_note(load_policy().check(PAST_MIDNIGHT[2:], *DECEMBER)) is None
    at_midnight = outside_note(load_policy().check(PAST_MIDNIGHT, *NOVEMBER))
    assert at_midnight is not None and ": 1 punch row (2026-12-01), 2 overtime_request rows" in (
        at_midnight
    )


def test_a_visit_before_the_day_start_is_read_by_customer_care_on_its_calendar_date() -> None:
    """With days starting at 04:00, a visit at 01:00 on 1 November is 31 October's for
    attendance, and 1 November's for customer care: the follow-up of a contract signed at
    00:10 that day.  Judged by every rule set it is read; by attendance alone it is not."""
    contract = {
        "type": "contract",
        "contract_id": "K1",
        "employee_id": "E1",
        "customer_id": "C1",
        "signed_at": "2026-11-01T00:10:00+08:00",
        "amount": "1000",
    }
    records = [
        punch("2026-11-02T09:00:00+08:00"),
        contract,
        visit("2026-11-01T01:00:00+08:00", "2026-11-01T02:00:00+08:00"),
    ]
    policy = with_day_start(4)
    result = policy.check(records, *NOVEMBER)
    assert result.rejects.is_empty()
    assert result.facts["contract_follow_up"].get_column("followed_up").to_list() == [True]
    assert outside_note(result) is None
    alone = outside_note(policy.check(records, *NOVEMBER, rulesets=["attendance"]))
    assert alone is not None and ": 1 customer_visit row (2026-10-31);" in alone


def test_a_row_of_the_first_month_is_not_read_for_an_employee_with_a_record() -> None:
    """An employee with an employee record is due a market report every month employed, by
    that record: a punch of 10 January, before a period from the 15th, makes no month one;
    no rule reads it, whether market reports are judged or not."""
    employee = {"type": "employee", "employee_id": "E1", "name": "E1", "hired_on": "2025-01-01"}
    report = {
        "type": "market_report",
        "record_id": "M1",
        "employee_id": "E1",
        "submitted_at": "2026-01-20T10:00:00+08:00",
        "topic": "prices",
    }
    month = [punch("2026-01-10T09:00:00+08:00"), punch("2026-01-19T09:00:00+08:00"), employee]
    period = dt.date(2026, 1, 15), JANUARY[1]
    result = load_policy().check([*month, report], *period)
    assert result.rejects.is_empty()
    due = result.facts["market_report_month"]
    assert due.select("employee_id", "active_by").rows() == [("E1", "employment")]
    note = outside_note(result)
    assert note is not None and ": 1 punch row (2026-01-10);" in note


def test_a_table_of_rules_not_judged_reads_no_row() -> None:
    """Customer care reads a visit of December as a customer's last contact; a check of the
    attendance rules alone does not judge customer care, and names the visit."""
    december = visit("2025-12-15T10:00:00+08:00", "2025-12-15T11:00:00+08:00")
    assignment = {
        "type": "customer_assignment",
        "employee_id": "E1",
        "customer_id": "C1",
        "start": "2025-06-01",
    }
    records = [*INSIDE, december, assignment]
    assert outside_note(load_policy().check(records, *JANUARY)) is None
    result = load_policy().check(records, *JANUARY, rulesets=["attendance"])
    assert result.facts["customer_revisit"].height == 1
    note = outside_note(result)
    assert note is not None and ": 1 customer_visit row (2025-12-15);" in note


def test_score_names_the_rows_outside_its_period_without_options_it_lacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``score`` has no --from/--to: the note asks for a wider period, of whatever command."""
    punches = [row for row in INSIDE + OUTSIDE if row["type"] == "punch"]
    capsys.readouterr()
    assert main(["score", write(tmp_path / "punches.csv", punches), "--period", "2026-01"]) == 0
    said = "\n".join(capsys.readouterr())
    assert (
        "1 accepted row lies wholly outside the period (2026-01-01 to 2026-01-31) and was read "
        "but not judged: 1 punch row (2025-12-31); to judge it, widen the period checked\n"
    ) in said
    assert "--from" not in said


def test_the_notes_on_standard_error_speak_the_commands_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--lang zh`` gives the notes said on standard error in Chinese, as it gives the
    first rejects: ``score``'s table and ``check``'s jsonl alike; English by default."""
    punches = write(tmp_path / "punches.csv", [r for r in INSIDE + OUTSIDE if r["type"] == "punch"])
    chinese = "有 1 行已接受的记录完全落在检查期间（2026-01-01 至 2026-01-31）之外"
    for argv in (
        ["score", punches, "--period", "2026-01"],
        ["check", punches, "--period", "2026-01", "--format", "jsonl"],
    ):
        capsys.readouterr()
        assert main([*argv, "--lang", "zh"]) == 0
        err = capsys.readouterr().err
        assert chinese in err and "accepted row" not in err
        assert main(argv) == 0
        err = capsys.readouterr().err
        assert "1 accepted row lies wholly outside the period" in err and chinese not in err
