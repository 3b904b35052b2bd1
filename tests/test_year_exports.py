"""A year of exports as an HR analyst is given them: files named in Chinese for a month, a
quarter or a half year, staff lists with leavers, copies of files, checked in the formats
that carry no notes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sales_policy import load_policy
from sales_policy.cli import main
from sales_policy.recordfields import record_type_for_file


def test_a_chinese_name_dated_by_a_quarter_or_a_half_year_names_its_type() -> None:
    """docs/inputs.md: a date within a Chinese name or beside it is left out, a quarter and
    a half year too (2026年第四季度, 一季度, 2026年Q2, 上半年, 下半年, 2026年度), and the
    name left names its type whether or not a list's word (表, 记录) ends it."""
    named = {
        "员工花名册_2026年第四季度": "employee",
        "员工花名册_2026年Q2": "employee",
        "员工花名册2026Q2": "employee",
        "2026年第一季度员工花名册": "employee",
        "员工花名册（2026年一季度）": "employee",
        "请假申请表_2026年Q3": "leave_request",
        "加班申请_2026年下半年": "overtime_request",
        "加班申请_2026年上半年": "overtime_request",
        "加班申请_2026年1-6月": "overtime_request",
        "打卡记录_2026年度": "punch",
        # a date glued to a name that no list's word ends
        "2026年11月请假申请": "leave_request",
        "2026年11月员工花名册": "employee",
        "员工花名册202611": "employee",
        "202611打卡": "punch",
        "11月份加班": "overtime_request",
    }
    for stem, record_type in named.items():
        assert record_type_for_file(stem) == record_type, stem
    for stem in ("考勤_2026年第四季度", "2026年下半年", "打卡汇总_2026Q1", "第四季度"):
        assert record_type_for_file(stem) is None, stem


STAFF = (
    "employee_id,name,hired_on,left_on\n"
    "E1,王伟,2026-11-04,2026-11-20\n"  # hired on a Wednesday, left on a Friday
    "E2,李娜,,\n"
)


def _punch_rows(employee: str, *days: int) -> str:
    return "".join(
        f"{employee},2026-11-{day:02d}T{at}+08:00,{way}\n"
        for day in days
        for at, way in (("08:55:00", "in"), ("18:05:00", "out"))
    )


def test_punches_before_hiring_or_after_leaving_are_named_in_a_note(tmp_path: Path) -> None:
    """A leaver's punches after their left_on (or a hire's before hired_on) are judged as
    days not scheduled, their work as overtime; a note names the employee, how many such
    days and the first, so that the staff list's dates are looked at."""
    staff = tmp_path / "employees.csv"
    staff.write_text(STAFF, encoding="utf-8")
    punches = tmp_path / "punches.csv"
    # E1: Monday 2 November, before hiring; 23 and 24 November, after leaving; 5th, employed
    punches.write_text(
        "employee_id,at,direction\n" + _punch_rows("E1", 2, 5, 23, 24) + _punch_rows("E2", 2),
        encoding="utf-8",
    )
    november = dt.date(2026, 11, 1), dt.date(2026, 11, 30)
    result = load_policy().check([staff, punches], *november, rulesets=["attendance"])
    [note] = [n for n in result.notes if n.kind == "outside_employment"]
    assert note == (
        "1 employee has punches or customer visits on days before their hired_on or after "
        "their left_on: 'E1' (3 days from 2026-11-02); those days were judged as not "
        "scheduled (time worked on them is overtime): check the employee records' hiring and "
        "leaving dates"
    )
    assert "'E1'（自 2026-11-02 起 3 天）" in note.zh
    # within the period only: from the 21st, two days after leaving
    late = load_policy().check([staff, punches], dt.date(2026, 11, 21), november[1])
    [note] = [n for n in late.notes if n.kind == "outside_employment"]
    assert "'E1' (2 days from 2026-11-23)" in note
    employed = load_policy().check([staff, punches], dt.date(2026, 11, 5), dt.date(2026, 11, 20))
    assert not [n for n in employed.notes if n.kind == "outside_employment"]


def test_formats_without_notes_say_the_notes_on_inputs_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`check --format jsonl` or `csv`, and `score` as a table or CSV, hold no notes: a copy
    of a file read twice, or a leaver's punches after leaving, is said on stderr, as the
    table and json say it in their notes (docs/cli.md)."""
    staff = tmp_path / "employees.csv"
    staff.write_text(STAFF, encoding="utf-8")
    punches = tmp_path / "punches-2026-11.csv"
    punches.write_text(
        "employee_id,at,direction\n" + _punch_rows("E1", 5, 23) + _punch_rows("E2", 2),
        encoding="utf-8",
    )
    copy = tmp_path / "punches-2026-11 (1).csv"
    copy.write_bytes(punches.read_bytes())
    inputs = [str(staff), str(punches), str(copy)]
    expected = [
        f"sales-policy: 1 file holds the same bytes as a file given before: {copy} (as "
        f"{punches}); its rows were read twice, and counted and judged twice (an employee's "
        "merged into one, those with another id rejected as duplicates); give each export once",
        "sales-policy: 1 employee has punches or customer visits on days before their "
        "hired_on or after their left_on: 'E1' (1 day from 2026-11-23); those days were judged "
        "as not scheduled (time worked on them is overtime): check the employee records' "
        "hiring and leaving dates",
    ]
    out = str(tmp_path / "out")
    for command in (
        ["check", "--format", "jsonl"],
        ["check", "--format", "csv"],
        ["score"],
        ["score", "--format", "csv"],
    ):
        assert main([command[0], *inputs, "--period", "2026-11", *command[1:], "-o", out]) == 0
        said = capsys.readouterr().err.splitlines()
        assert [line for line in said if line in expected] == expected, command
    # the table and json hold the notes: not said again
    for command in (["check"], ["check", "--format", "json"], ["score", "--format", "json"]):
        assert main([command[0], *inputs, "--period", "2026-11", *command[1:], "-o", out]) == 0
        assert not set(capsys.readouterr().err.splitlines()) & set(expected), command


def test_work_past_midnight_ends_on_the_next_day_as_the_assumptions_say() -> None:
    """docs/assumptions.md: a punch counts on the local date of its `at`, past midnight too,
    at the default day start (`schedule.day_start`, "00:00").
    New Year's Eve worked to 00:30 (an approved overtime): 31 December has no departure, a
    missing punch, and no overtime in its day or its month; 1 January 2027 is outside the
    year checked. The same on 31 January into 1 February: neither month counts it.
    (tests/test_day_start.py: with a later day start, both evenings are counted.)"""
    punches = [
        {"type": "punch", "employee_id": "E1", "at": at, "direction": way}
        for at, way in (
            ("2026-12-31T08:55:00+08:00", "in"),
            ("2027-01-01T00:30:00+08:00", "out"),
            ("2026-01-30T08:55:00+08:00", "in"),
            ("2026-01-31T02:00:00+08:00", "out"),
        )
    ]
    year = load_policy().check(punches, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    found = {(f.rule_id, f.date) for f in year if f.rule_id != "ATT-ABSENT" and f.date}
    assert ("ATT-MISSING-PUNCH", dt.date(2026, 12, 31)) in found
    assert ("ATT-MISSING-PUNCH", dt.date(2026, 1, 30)) in found
    assert not [f for f in year if f.rule_id.startswith("ATT-OVERTIME")]
    root = Path(__file__).resolve().parents[1]
    said = (root / "docs" / "assumptions.md").read_text(encoding="utf-8")
    row = next(line for line in said.splitlines() if "past midnight too**" in line)
    assert row.startswith("| **A punch counts on the local date of its `at`, past midnight too**")
    assert '| `schedule.day_start` | `"00:00"` |' in row


def test_a_row_rejected_whole_has_its_line_as_its_value(tmp_path: Path) -> None:
    """docs/inputs.md, "Rejected rows": a CSV line of the wrong number of fields and a JSONL
    line that is not JSON have no field; their value is the line as read, so that the
    rejects file shows what to mend without opening the export."""
    punches = tmp_path / "punches-2026-08.csv"
    punches.write_text(
        "employee_id,at,direction\r\n"
        "E1,2026-08-03T09:00:00+08:00,in\r\n"
        "E1,2026-08-03T18:00:00+08:00,out,extra\r\n"
        "E1,2026-08-04T09:00:00+08:00\r\n",
        encoding="utf-8",
    )
    quoted = tmp_path / "punches-2026-09.csv"  # quotes: read line by line otherwise
    quoted.write_text(
        'employee_id,at,direction\n"E2",2026-09-01T09:00:00+08:00,in\nE2,x\n', encoding="utf-8"
    )
    broken = '{"type": "punch", "employee_id": "E3", "at": "2026-10-01T09:00:00+08:00"'
    jsonl = tmp_path / "punches-2026-10.jsonl"
    jsonl.write_text(broken + "\n", encoding="utf-8")
    result = load_policy().check([punches, quoted, jsonl])
    rows = result.rejects.select("line", "field", "value", "reason").rows()
    assert rows == [
        (3, None, "E1,2026-08-03T18:00:00+08:00,out,extra", "expected 3 fields, found 4"),
        (4, None, "E1,2026-08-04T09:00:00+08:00", "expected 3 fields, found 2"),
        (3, None, "E2,x", "expected 3 fields, found 2"),
        # the object is left open: a ',' or '}' is expected just after its last character
        (1, None, broken, f"malformed JSON: Expecting ',' delimiter (column {len(broken) + 1})"),
    ]


def test_a_month_exported_twice_without_ids_is_named_in_a_note(tmp_path: Path) -> None:
    """A clock that gives no record_id, its June exported as CSV and again as a workbook:
    every punch is read twice, which neither the copies note (other bytes) nor the
    record_id note (no id) tells; a note says how many rows repeat an earlier file's, the
    first and the row it repeats. Punches of one file alone, or that differ in time or
    direction, are no repeat; rows repeated by record_id are said by that note alone."""
    from test_excel_mapping import write_xlsx

    header = ["employee_id", "at", "direction"]
    rows = [
        ["E1", "2026-06-01T08:55:00+08:00", "in"],
        ["E1", "2026-06-01T18:05:00+08:00", "out"],
        ["E2", "2026-06-01T08:50:00+08:00", "in"],
    ]
    csv_file = tmp_path / "punches-2026-06.csv"
    csv_file.write_text(
        ",".join(header) + "\n" + "".join(",".join(r) + "\n" for r in rows), encoding="utf-8"
    )
    # the workbook: E1's two punches again, E2's with another direction (another event)
    again = [*rows[:2], ["E2", "2026-06-01T08:50:00+08:00", "out"]]
    workbook = write_xlsx(tmp_path / "打卡记录_2026年6月.xlsx", {"Sheet1": [header, *again]})
    june = dt.date(2026, 6, 1), dt.date(2026, 6, 30)
    result = load_policy().check([csv_file, workbook], *june, rulesets=["attendance"])
    assert result.counts.accepted == 6
    [note] = [n for n in result.notes if n.kind == "repeated_rows"]
    assert note == (
        f"2 punch rows repeat a row of an earlier file (the same employee, time and "
        f"direction; the first: {workbook}[Sheet1]:2 repeats {csv_file}:2): where the files "
        "overlap (a month exported twice), those records are read twice; give each once"
    )
    alone = load_policy().check([csv_file], *june, rulesets=["attendance"])
    assert not [n for n in alone.notes if n.kind == "repeated_rows"]
    # with ids that repeat, the record_id note says it, and this one does not
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    numbered = tmp_path / "a" / "punches.csv"
    numbered.write_text(
        "record_id,employee_id,at,direction\n"
        + "".join(f"P{i},{','.join(r)}\n" for i, r in enumerate(rows)),
        encoding="utf-8",
    )
    renumbered = tmp_path / "b" / "punches.csv"
    renumbered.write_text(numbered.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    both = load_policy().check([numbered, renumbered], *june, rulesets=["attendance"])
    assert [n.kind for n in both.notes if n.kind.startswith("repeated")] == ["repeated_record_ids"]


def test_a_month_of_visits_alone_checked_by_itself_is_named_when_the_input_has_punches() -> None:
    """A year's exports with May's clock export missing, May checked alone: its visits alone
    are read as presence, every other working day an absence, which the note on months
    without punches says as it does when the whole year is checked (docs/cli.md, Notes)."""
    punches = [
        {"type": "punch", "employee_id": "E1", "at": f"2026-04-01T{at}+08:00", "direction": way}
        for at, way in (("08:55:00", "in"), ("18:05:00", "out"))
    ]
    visit = {
        "type": "customer_visit",
        "employee_id": "E1",
        "customer_id": "C1",
        "start": "2026-05-06T09:00:00+08:00",
        "end": "2026-05-06T18:00:00+08:00",
    }
    may = dt.date(2026, 5, 1), dt.date(2026, 5, 31)
    for start, end in (may, (dt.date(2026, 4, 1), may[1])):
        result = load_policy().check([*punches, visit], start, end, rulesets=["attendance"])
        [note] = [n for n in result.notes if n.kind == "months_without_punch"]
        assert note.startswith("no punch in 2026-05, a month of the period with customer visits")
    alone = load_policy().check([visit], *may, rulesets=["attendance"])  # no punch at all
    assert not [n for n in alone.notes if n.kind == "months_without_punch"]


def test_a_copys_rows_are_said_by_the_copies_note_alone(tmp_path: Path) -> None:
    """A download saved twice (punches (1).csv) repeats every record_id of the first: the
    copies note says its rows were read twice, and the note on repeated record_ids does not
    say it again; an overlapping export that is no copy still has that note."""
    rows = "".join(f"P{day},E1,2026-06-{day:02d}T09:00:00+08:00,in\n" for day in (1, 2, 3))
    first = tmp_path / "punches.csv"
    first.write_text("record_id,employee_id,at,direction\n" + rows, encoding="utf-8")
    copy = tmp_path / "punches (1).csv"
    copy.write_bytes(first.read_bytes())
    june = dt.date(2026, 6, 1), dt.date(2026, 6, 30)
    kinds = [n.kind for n in load_policy().check([first, copy], *june).notes]
    assert "copies" in kinds and "repeated_record_ids" not in kinds
    overlap = tmp_path / "punches (2).csv"  # June's first two days again, and the 4th
    overlap.write_text(
        "record_id,employee_id,at,direction\n"
        + "".join(rows.splitlines(keepends=True)[:2])
        + "P4,E1,2026-06-04T09:00:00+08:00,in\n",
        encoding="utf-8",
    )
    notes = load_policy().check([first, copy, overlap], *june).notes
    [note] = [n for n in notes if n.kind == "repeated_record_ids"]
    assert note.startswith(
        f"2 punch rows repeat the record_id of a row of an earlier file (the first: "
        f"{overlap}:2 repeats {first}:2)"
    )


def test_an_employee_employed_on_no_day_of_the_period_is_not_scored(tmp_path: Path) -> None:
    """docs/assessment.md: a quarterly staff list names a leaver of February and a hire of
    October; the third quarter's scores have no row of theirs (each conduct score would be
    100 for a quarter not worked), but have the leaver of August, and a leaver whose punch
    after leaving is a finding of the quarter."""
    from sales_policy import score

    staff = tmp_path / "employees-2026-Q3.csv"
    staff.write_text(
        "employee_id,name,hired_on,left_on\n"
        "E1,王伟,2020-01-01,2026-02-23\n"  # left in February
        "E2,李娜,2026-10-08,\n"  # hired in October
        "E3,张敏,2020-01-01,2026-08-14\n"  # left in August
        "E4,刘洋,2020-01-01,2026-03-31\n"  # left in March, punched in July
        "E5,陈静,2020-01-01,\n",
        encoding="utf-8",
    )
    punches = tmp_path / "punches-2026-07.csv"
    punches.write_text(
        "employee_id,at,direction\n"
        + "".join(
            f"{employee},2026-07-01T{at}+08:00,{way}\n"
            for employee in ("E5", "E4")
            for at, way in (("08:55:00", "in"), ("18:05:00", "out"))
        ),
        encoding="utf-8",
    )
    scores = score(load_policy(), [staff, punches], "2026-Q3")
    assert scores.frame.get_column("employee_id").to_list() == ["E3", "E4", "E5"]
    december = score(load_policy(), [staff, punches], "2026-12")
    assert december.frame.get_column("employee_id").to_list() == ["E2", "E5"]


def test_the_generators_months_keep_the_one_staff_list_they_come_with() -> None:
    """benchmarks/README.md: `generate.py --months` writes employees.csv once (the first
    month's, no leaving dates), which every month's events keep: an employee hired before a
    month punches from its first working days, not only from a day drawn again each month
    (which made the same few employees absent for days every month)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import generate

    months = generate.generate_months(300, "2026-01", 3, seed=0)
    staff = months.pop("employees")["employees"]
    assert staff.get_column("left_on").null_count() == staff.height
    for month, tables in list(months.items())[1:]:
        first = dt.date.fromisoformat(f"{month}-01")
        before = set(staff.filter(staff["hired_on"] < first).get_column("employee_id"))
        # the first five working days of the month: punches or leave, for every one of them
        # (a day absent or on leave is 3.3%: five in a row, one in 30 million)
        days = sorted({at[:10] for at in tables["punches"].get_column("at").to_list()})
        weekdays = [d for d in days if dt.date.fromisoformat(d).weekday() < 5][:5]
        seen = set(
            tables["punches"]
            .filter(tables["punches"]["at"].str.slice(0, 10).is_in(weekdays))
            .get_column("employee_id")
        ) | set(tables["leave_requests"].get_column("employee_id"))
        assert before - seen == set(), month


def test_repeats_are_found_where_files_overlap_only_in_part(tmp_path: Path) -> None:
    """Files whose spans of time or of ids meet only in part, at one instant or one id: a
    punch at the instant one file ends and the next begins, another file's id repeated by a
    file that otherwise holds other ids, are still named; files that do not meet are not."""

    def write(name: str, rows: list[tuple[str, str, str]], ids: list[str] | None = None) -> Path:
        (tmp_path / name).mkdir()
        path = tmp_path / name / "punches.csv"
        header = "record_id,employee_id,at,direction\n" if ids else "employee_id,at,direction\n"
        lines = [
            (f"{ids[i]}," if ids else "") + f"{e},2026-06-{day}+08:00,{way}\n"
            for i, (e, day, way) in enumerate(rows)
        ]
        path.write_text(header + "".join(lines), encoding="utf-8")
        return path

    first = write("a", [("E1", "01T09:00:00", "in"), ("E1", "10T18:00:00", "out")])
    # begins at the instant the first ends, with the first's last punch again
    second = write("b", [("E1", "10T18:00:00", "out"), ("E1", "20T09:00:00", "in")])
    apart = write("c", [("E2", "21T09:00:00", "in"), ("E2", "22T09:00:00", "in")])
    june = dt.date(2026, 6, 1), dt.date(2026, 6, 30)
    notes = load_policy().check([first, second, apart], *june, rulesets=["attendance"]).notes
    [note] = [n for n in notes if n.kind == "repeated_rows"]
    assert note.startswith("1 punch row repeats a row of an earlier file (the same employee, ")
    assert note.en.split("the first: ")[1].startswith(f"{second}:2 repeats {first}:3)")
    # ids: P05 of the first file within the second's P01..P09, P10 outside the first's range
    numbered = write(
        "d", [("E3", "01T09:00:00", "in"), ("E3", "02T09:00:00", "in")], ["P05", "P10"]
    )
    others = write(
        "e",
        [("E4", "03T09:00:00", "in"), ("E4", "04T09:00:00", "in"), ("E4", "05T09:00:00", "in")],
        ["P01", "P05", "P09"],
    )
    notes = load_policy().check([numbered, others], *june, rulesets=["attendance"]).notes
    [note] = [n for n in notes if n.kind == "repeated_record_ids"]
    assert note.startswith(
        f"1 punch row repeats the record_id of a row of an earlier file (the first: "
        f"{others}:3 repeats {numbered}:2)"
    )
    kinds = [n.kind for n in load_policy().check([numbered, apart], *june).notes]
    assert "repeated_record_ids" not in kinds and "repeated_rows" not in kinds
