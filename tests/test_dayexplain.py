"""``sales-policy why``: one employee's day as the check judged it, its facts, each rule's
condition part by part, and the findings.

The expected values follow from the attendance semantics (docs/attendance.md) and the rules'
conditions (rules/attendance.yaml, rules/discipline.yaml) on the records written here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sales_policy.cli import main
from sales_policy.dayexplain import conjuncts


def _punches(tmp_path: Path, days: list[tuple[str, str, str]]) -> Path:
    """E1's punches: (date, in, out) local times in Asia/Shanghai."""
    path = tmp_path / "records.jsonl"
    rows = [
        {"type": "punch", "employee_id": "E1", "at": f"{day}T{at}+08:00", "direction": side}
        for day, arrive, leave in days
        for at, side in ((arrive, "in"), (leave, "out"))
    ]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


#: Monday to Wednesday, each arrival late: 1 second, 31 minutes, 10 minutes
LATE_DAYS = [
    ("2026-11-02", "09:00:01", "18:00:00"),
    ("2026-11-03", "09:31:00", "18:00:00"),
    ("2026-11-04", "09:10:00", "18:00:00"),
]


def _why(tmp_path: Path, capsys: pytest.CaptureFixture[str], *args: str) -> list[str]:
    records = _punches(tmp_path, LATE_DAYS)
    argv = ["why", str(records), "--from", "2026-11-02", "--to", "2026-11-04", *args]
    assert main(argv) == 0
    return capsys.readouterr().out.splitlines()


def test_a_late_day_shows_its_facts_and_each_rule_part_by_part(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One second after nine is one minute late: ATT-LATE holds in each part and found it;
    ATT-LATE-SERIOUS stops at its threshold; ATT-ABSENT at the presence the punches give."""
    lines = _why(tmp_path, capsys, "--employee", "E1", "--date", "2026-11-02")
    assert lines[:3] == [  # and the month's repeated lateness, three late days
        "E1 (Asia/Shanghai), 2026-11-02 (Monday): 1 finding of the day, 1 of the month 2026-11 "
        "as a whole",
        "  ATT-LATE [minor]  1 min late (arrived 2026-11-02T09:00:01+08:00)",
        "  DIS-REPEATED-LATE [major]  late arrivals in 2026-11: 3 "
        "(2026-11-02, 2026-11-03, 2026-11-04)",
    ]
    at = lines.index("workday, 2026-11-02: 1 row")
    # overtime counts from 30 minutes (the default), and decides which request approves it
    expected = "  (derived with overtime_min_minutes = 30: overtime_approved, overtime_request_ids)"
    assert lines[at + 1] == expected
    facts = {
        line.split()[0]: line.split()[1]
        for line in lines
        if line.startswith("  ") and len(line.split()) == 2
    }
    assert facts["arrival"] == "2026-11-02T09:00:01+08:00"
    assert facts["minutes_late"] == "1"
    assert facts["arrival_ref"] == f"{tmp_path / 'records.jsonl'}:1"
    late = lines.index("  ATT-LATE [minor]  condition true: 1 finding")
    assert [line.split()[-1] for line in lines[late + 1 : late + 4]] == ["true"] * 3
    serious = lines.index("  ATT-LATE-SERIOUS [major]  condition false: 0 findings")
    assert lines[serious + 2].split() == [
        "minutes_late",
        ">",
        "serious_late_minutes",
        "[serious_late_minutes",
        "=",
        "30]",
        "false",
    ]
    absent = lines.index("  ATT-ABSENT [major]  condition false: 0 findings")
    assert lines[absent + 3].split() == ["not", "has_presence", "false"]


def test_a_policy_change_shows_where_the_rule_now_stops(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A grace of 5 minutes: one minute late is no longer late, at the grace's part."""
    policy = tmp_path / "policy.yaml"
    policy.write_text("params: {late_grace_minutes: 5}\n", encoding="utf-8")
    args = ["--employee", "E1", "--date", "2026-11-02", "--policy", str(policy)]
    lines = _why(tmp_path, capsys, *args)
    # two late days are left (31 and 10 minutes): too few for repeated lateness
    assert lines[0] == (
        "E1 (Asia/Shanghai), 2026-11-02 (Monday): 0 findings of the day, 0 of the month 2026-11 "
        "as a whole"
    )
    late = lines.index("  ATT-LATE [minor]  condition false: 0 findings")
    assert lines[late + 2].split()[-1] == "false"
    assert "[late_grace_minutes = 5]" in lines[late + 2]


def test_a_rule_counting_findings_is_shown_over_those_it_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Three late arrivals in November (31 minutes is ATT-LATE-SERIOUS, counted too): the
    month's DIS-REPEATED-LATE holds and is found; no absence to count for its neighbour."""
    lines = _why(tmp_path, capsys, "--employee", "E1", "--date", "2026-11-03")
    assert lines[:3] == [
        "E1 (Asia/Shanghai), 2026-11-03 (Tuesday): 1 finding of the day, 1 of the month 2026-11 "
        "as a whole",
        "  ATT-LATE-SERIOUS [major]  31 min late, seriously (arrived 2026-11-03T09:31:00+08:00)",
        "  DIS-REPEATED-LATE [major]  late arrivals in 2026-11: 3 "
        "(2026-11-02, 2026-11-03, 2026-11-04)",
    ]
    title = (
        "finding_month of DIS-REPEATED-LATE (counting ATT-LATE, ATT-LATE-SERIOUS), 2026-11: 1 row"
    )
    at = lines.index(title)
    assert lines[at + 2].split() == ["finding_count", "3"]
    assert lines[at + 4].split() == ["finding_dates", "2026-11-02,", "2026-11-03,", "2026-11-04"]
    assert "  DIS-REPEATED-LATE [major]  condition true: 1 finding" in lines
    absence = lines.index(
        "finding_month of DIS-REPEATED-ABSENCE (counting ATT-ABSENT, ATT-UNAPPROVED-LEAVE), "
        "2026-11: 0 rows"
    )
    assert lines[absence + 1] == "  no row: its rules judge nothing here (DIS-REPEATED-ABSENCE)"


def test_a_part_reading_a_missing_value_is_null_not_false(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Saturday 2026-11-07 is a rest day with no punch: no arrival, so minutes_late is null
    (docs/attendance.md), and a part comparing it is null, which the rule counts as false;
    shown as false it would say the arrival was within the grace."""
    records = _punches(tmp_path, LATE_DAYS)
    argv = ["why", str(records), "--employee", "E1", "--date", "2026-11-07"]
    assert main(argv) == 0
    lines = capsys.readouterr().out.splitlines()
    late = lines.index("  ATT-LATE [minor]  condition false: 0 findings")
    assert lines[late + 1].split() == ["scheduled", "false"]
    assert lines[late + 2].endswith("null (a value it reads is missing)")
    assert "minutes_late > late_grace_minutes" in lines[late + 2]


def _leave(tmp_path: Path) -> Path:
    """E1's two leave requests starting on Tuesday 2026-11-03: an approved one, a pending one."""
    path = tmp_path / "leave.jsonl"
    common = {"type": "leave_request", "employee_id": "E1", "submitted_at": "2026-11-01T09:00:00"}
    rows = [
        common
        | {"request_id": "L1", "leave_type": "annual", "status": "approved"}
        | {"start": "2026-11-03T09:00:00", "end": "2026-11-03T12:00:00"}
        | {"decided_at": "2026-11-02T09:00:00"},
        common
        | {"request_id": "L2", "leave_type": "sick", "status": "pending"}
        | {"start": "2026-11-03T13:00:00", "end": "2026-11-03T18:00:00"},
    ]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def test_a_rule_of_an_exclusive_group_names_the_rules_before_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two rules of one group, equally severe: the first in file order takes the row both
    hold on (the pending request), so the second makes one finding of the two rows it
    holds on, and the note names the order, not 'the most severe'."""
    rules = tmp_path / "company.yaml"
    rule = (
        "  - id: CO-{id}\n    title: {{zh: x, en: x}}\n    clauses: ['8.1']\n"
        "    severity: minor\n    exclusive_group: lv\n    when: {when}\n"
        "    message: {{zh: x, en: x}}\n"
    )
    rules.write_text(
        "ruleset: company\ntitle: {zh: x, en: x}\nfacts: leave\nrules:\n"
        + rule.format(id="PENDING", when="status == 'pending'")
        + rule.format(id="ANY", when="request_id != ''"),
        encoding="utf-8",
    )
    policy = tmp_path / "policy.yaml"
    policy.write_text("rule_files: [company.yaml]\n", encoding="utf-8")
    argv = ["why", str(_leave(tmp_path)), "--employee", "E1", "--date", "2026-11-03"]
    assert main([*argv, "--policy", str(policy)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "  CO-PENDING [minor]  condition false, true: 1 finding" in lines
    any_ = lines.index("  CO-ANY [minor]  condition true, true: 1 finding")
    assert lines[any_ + 1] == (
        "    (of its group 'lv', a row has the finding of only the first rule that holds "
        "there, most severe first, then in file order: CO-PENDING, CO-ANY)"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--employee", "E2", "--date", "2026-11-02"], "no record names employee 'E2'"),
        (["--employee", "E1", "--date", "2026-11-05"], "2026-11-05 is outside the period"),
    ],
)
def test_an_unknown_employee_or_a_date_outside_the_period_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    records = _punches(tmp_path, LATE_DAYS)
    argv = ["why", str(records), "--from", "2026-11-02", "--to", "2026-11-04", *args]
    assert main(argv) == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("a and (b or c) and not d", ["a", "(b or c)", "not d"]),
        ("(x > 1\n and y < 2)", ["x > 1", "y < 2"]),
        ("a or b and c", ["a or b and c"]),
        ("  scheduled  ", ["scheduled"]),
        # blanks inside a string are the string's: the part must read as the rule does
        ('(status != "a  b"\n and scheduled)', ['status != "a  b"', "scheduled"]),
        ('(scheduled or\n  status == "a  b")', ['(scheduled or status == "a  b")']),
    ],
)
def test_a_condition_is_taken_apart_at_its_top_level_and(text: str, parts: list[str]) -> None:
    assert conjuncts(text) == parts


def test_a_table_stated_as_of_the_periods_end_says_so_on_another_day(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A customer's file is judged as of the period's end (CRM-PROFILE-INCOMPLETE's sample):
    asked about the 10th, its table has no row and says which day holds it (after the
    parameter its purchases are derived with); on the 30th, the file without contact and
    needs is there, and found."""
    path = tmp_path / "records.jsonl"
    rows = [
        {"type": "order", "order_id": "O1", "employee_id": "E1", "customer_id": "C1"}
        | {"booked_at": "2026-11-05T10:00:00+08:00", "amount": "800", "status": "booked"},
        {"type": "customer_profile", "customer_id": "C1", "employee_id": "E1"}
        | {"updated_at": "2026-10-20T10:00:00+08:00", "name": "Acme Ltd"},
    ]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    argv = ["why", str(path), "--period", "2026-11", "--employee", "E1"]
    assert main([*argv, "--date", "2026-11-10"]) == 0
    lines = capsys.readouterr().out.splitlines()
    at = lines.index("customer_file, 2026-11-10: 0 rows")
    assert lines[at + 1 : at + 3] == [
        "  (derived with reversed_order_is_purchase = False: has_purchase)",
        "  no row: its rows are dated the period's last day, 2026-11-30 (CRM-PROFILE-INCOMPLETE)",
    ]
    assert main([*argv, "--date", "2026-11-30"]) == 0
    lines = capsys.readouterr().out.splitlines()
    at = lines.index("customer_file, 2026-11-30: 1 row")
    assert "  missing_fields  contact, needs" in lines[at : at + 10]
    assert "  CRM-PROFILE-INCOMPLETE [info]  condition true: 1 finding" in lines[at:]


def test_the_day_in_chinese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--lang zh: the same day in Chinese, severities named as every report names them (轻微
    for minor), truth values 成立/不成立; fact and rule names stay as written."""
    lines = _why(tmp_path, capsys, "--employee", "E1", "--date", "2026-11-02", "--lang", "zh")
    assert lines[:2] == [
        "E1（Asia/Shanghai），2026-11-02（星期一）：当天发现 1 条，2026-11 整月发现 1 条",
        "  ATT-LATE [轻微]  迟到 1 分钟（到岗 2026-11-02T09:00:01+08:00）",
    ]
    assert "workday，2026-11-02：1 行" in lines
    assert "  scheduled               是" in lines
    late = lines.index("  ATT-LATE [轻微]  条件成立：发现 1 条")
    assert [line.split()[-1] for line in lines[late + 1 : late + 4]] == ["成立"] * 3
    serious = lines.index("  ATT-LATE-SERIOUS [较重]  条件不成立：发现 0 条")
    assert lines[serious + 2].split()[-1] == "不成立"


def test_an_id_holding_a_line_feed_or_esc_is_shown_as_escapes_in_the_header(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The first line names the employee as the terminal's tables do: ``E1`` line feed ``2``
    as ``E1\\x0a2`` on the one line, ESC as ``\\x1b``; its finding's line follows."""
    path = tmp_path / "records.jsonl"
    rows = [
        {"type": "punch", "employee_id": who, "at": f"2026-11-02T{at}+08:00", "direction": side}
        for who in ("E1\n2", "E\x1b[2J1")
        for at, side in (("09:10:00", "in"), ("18:00:00", "out"))
    ]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    argv = ["why", str(path), "--from", "2026-11-02", "--to", "2026-11-02", "--date", "2026-11-02"]
    for who, shown in (("E1\n2", "E1\\x0a2"), ("E\x1b[2J1", "E\\x1b[2J1")):
        assert main([*argv, "--employee", who]) == 0
        lines = capsys.readouterr().out.splitlines()
        assert lines[:2] == [
            f"{shown} (Asia/Shanghai), 2026-11-02 (Monday): 1 finding of the day, 0 of the month "
            "2026-11 as a whole",
            "  ATT-LATE [minor]  10 min late (arrived 2026-11-02T09:10:00+08:00)",
        ]


def test_a_company_parameter_named_like_a_column_of_an_earlier_rule_set_is_not_read_there(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A company rule set over gifts may call a parameter ``minutes_late``: the attendance
    rules, loaded before it, still read the column, part by part too."""
    (tmp_path / "gifts.yaml").write_text(
        "ruleset: gifts\ntitle: {zh: 礼品, en: Gifts}\nfacts: gift\n"
        "params:\n  minutes_late: {type: int, default: 600, min: 0, doc: {zh: 值, en: value}}\n"
        "rules:\n  - id: CO-GIFT\n    title: {zh: 礼品, en: Gift}\n    clauses: ['8.3']\n"
        "    severity: info\n    when: value_cny > minutes_late\n"
        "    message: {zh: '礼品', en: 'gift'}\n",
        encoding="utf-8",
    )
    policy = tmp_path / "policy.yaml"
    policy.write_text("rule_files: [gifts.yaml]\n", encoding="utf-8")
    args = ["--employee", "E1", "--date", "2026-11-02", "--policy", str(policy)]
    lines = _why(tmp_path, capsys, *args)
    late = lines.index("  ATT-LATE [minor]  condition true: 1 finding")
    assert lines[late + 2].split() == [
        "minutes_late",
        ">",
        "late_grace_minutes",
        "[late_grace_minutes",
        "=",
        "0]",
        "true",
    ]
