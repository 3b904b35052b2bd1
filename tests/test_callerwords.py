"""A message that tells its caller what to give says it in the caller's words
(``sales_policy.callerwords``): the option on the command line, the argument in Python; the
reason is the same text either way."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import EXAMPLE_MONTH
from test_excel_mapping import write_xlsx

from sales_policy import InputError, InvalidArgument, Note, Policy, load_policy, score
from sales_policy.background import InThread
from sales_policy.callerwords import not_taken, offered, on_command_line, said
from sales_policy.cli import main
from sales_policy.mapping import ColumnMapping
from sales_policy.whatif import diff

EMPLOYEES = "employee_id,name\nE1,王伟\n"
MONTH = [str(p) for p in sorted(EXAMPLE_MONTH.glob("*.csv"))]
PUNCHES = "employee_id,at,direction\nE1,2026-11-02T09:00:00+08:00,in\n"


def _command_error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """The error the command says for ``argv``, exit 2, without its prefix."""
    capsys.readouterr()
    assert main(["check", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("sales-policy: error: ") and err.endswith("\n"), err
    return err.removeprefix("sales-policy: error: ").removesuffix("\n")


def _python_error(call: Callable[[], object]) -> str:
    with pytest.raises(InputError) as caught:
        call()
    return str(caught.value)


def _encoded(encoding: str) -> Policy:
    """The handbook's policy, its inputs read in ``encoding`` (as docs/inputs.md says)."""
    policy = load_policy()
    return replace(policy, columns=policy.columns.merged(ColumnMapping(encoding=encoding)))


def _gbk(path: Path, text: str = EMPLOYEES) -> Path:
    path.write_bytes(text.encode("gb18030"))
    return path


def test_said_is_pythons_word_but_within_the_command() -> None:
    assert said("--type", "record_type=") == "record_type="
    with on_command_line():
        assert said("--type", "record_type=") == "--type"
        assert InThread(lambda: said("--type", "record_type=")).result() == "--type"
    assert said("--type", "record_type=") == "record_type="
    assert InThread(lambda: said("--type", "record_type=")).result() == "record_type="


def test_what_the_caller_cannot_give_is_not_offered() -> None:
    assert offered("rulesets", "--ruleset", "rulesets=") == "rulesets="
    with not_taken("rulesets"):  # a Python function without the argument
        assert offered("rulesets", "--ruleset", "rulesets=") is None
        assert offered("start", "--from", "start") == "start"
    with on_command_line({"inputs", "rulesets"}):
        assert offered("rulesets", "--ruleset", "rulesets=") == "--ruleset"
    with on_command_line({"inputs", "period"}):  # a command without the option
        assert offered("rulesets", "--ruleset", "rulesets=") is None


def test_a_file_of_no_record_type_asks_for_the_type_as_the_caller_gives_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "export.csv"
    export.write_text(PUNCHES, encoding="utf-8")
    in_python = _python_error(lambda: load_policy().check([export]))
    assert "add a 'type' column, or pass record_type= (employee, punch," in in_python
    assert "--type" not in in_python
    on_the_command_line = _command_error(capsys, str(export))
    assert on_the_command_line == in_python.replace("record_type=", "--type")


def test_a_sheet_of_no_record_type_asks_for_the_type_as_the_caller_gives_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workbook = write_xlsx(tmp_path / "export.xlsx", {"Sheet1": [["employee_id"], ["E1"]]})
    in_python = _python_error(lambda: load_policy().check([workbook]))
    assert "add a 'type' column, or pass record_type= (employee, punch," in in_python
    on_the_command_line = _command_error(capsys, str(workbook))
    assert on_the_command_line == in_python.replace("record_type=", "--type")


def test_a_file_in_gbk_read_as_utf8_says_how_to_give_the_encoding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    employees = _gbk(tmp_path / "employees.csv")
    in_python = _python_error(lambda: load_policy().check([employees]))
    python_words = 'ColumnMapping(encoding="gb18030") in the policy\'s columns, or encoding: '
    assert f"read it so ({python_words}gb18030 in the column mapping)" in in_python
    on_the_command_line = _command_error(capsys, str(employees))
    assert on_the_command_line == in_python.replace(
        python_words, "--encoding gb18030, or encoding: "
    )


def test_a_file_not_in_the_encoding_given_says_where_it_was_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Not ASCII, and not UTF-8 either (GBK): give its encoding; UTF-8 among exports in
    GB18030 (a character GB18030 lacks): the encoding given is every input's."""
    employees = _gbk(tmp_path / "employees.csv")
    ascii_policy = _encoded("ascii")
    in_python = _python_error(lambda: ascii_policy.check([employees]))
    assert "give the encoding the file was saved in (the column mapping's encoding)" in in_python
    map_file = tmp_path / "map.yaml"
    map_file.write_text("encoding: ascii\n", encoding="utf-8")
    on_the_command_line = _command_error(capsys, str(employees), "--map", str(map_file))
    assert on_the_command_line == in_python.replace("the column mapping's encoding", "--encoding")
    assert _command_error(capsys, str(employees), "--encoding", "ascii") == on_the_command_line

    utf8 = tmp_path / "employees-2.csv"
    utf8.write_text("employee_id,name,team\nE3,李四,销售1组\n", encoding="utf-8")  # 组: no GB18030
    gbk_policy = _encoded("gb18030")
    in_python = _python_error(lambda: gbk_policy.check([employees, utf8]))
    assert "but gb18030, the encoding given (the column mapping's), is that of" in in_python
    on_the_command_line = _command_error(capsys, str(employees), str(utf8), "--encoding", "gb18030")
    assert on_the_command_line == in_python.replace(
        "(the column mapping's)", "(--encoding, or the mapping's)"
    )


def test_a_header_read_garbled_says_where_the_encoding_was_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A UTF-8 file among exports in GB18030 whose header reads garbled: the column error,
    and why."""
    punches = tmp_path / "punches.csv"
    punches.write_text("工号,at\nE1,2026-11-02T09:00:00+08:00\n", encoding="utf-8")
    gbk_policy = _encoded("gb18030")
    in_python = _python_error(lambda: gbk_policy.check([punches]))
    assert "read as gb18030 (the encoding given: the column mapping's), so its text" in in_python
    on_the_command_line = _command_error(capsys, str(punches), "--encoding", "gb18030")
    assert on_the_command_line == in_python.replace(
        "(the encoding given: the column mapping's)",
        "(the encoding given: --encoding, or the mapping's)",
    ).replace("(a ColumnMapping,", "(--map FILE,")


def test_an_export_in_another_layout_asks_for_a_mapping_as_the_caller_gives_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    punches = tmp_path / "punches.csv"
    punches.write_text("工号,打卡时间\nE1,2026-11-02 09:00\n", encoding="utf-8")
    in_python = _python_error(lambda: load_policy().check([punches]))
    assert "(a ColumnMapping, or the policy's columns; docs/inputs.md)" in in_python
    on_the_command_line = _command_error(capsys, str(punches))
    assert on_the_command_line == in_python.replace("(a ColumnMapping,", "(--map FILE,")


def test_the_notes_of_a_check_name_the_arguments_the_caller_gives(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No attendance log: leave attendance out (rule sets); the period taken from the
    records, whose edges look cut: give the period."""
    employees = tmp_path / "employees.csv"
    employees.write_text("employee_id,name\nE1,A\nE2,B\n", encoding="utf-8")
    day = dt.date(2026, 11, 2)
    result = load_policy().check([employees], day, day)
    [note] = [n for n in result.notes if n.kind == "no_attendance_log"]
    assert note.endswith("give the attendance log, or leave attendance out (rulesets=)")
    assert note.zh.endswith("请提供考勤记录，或不判断出勤（rulesets=）")
    assert main(["check", str(employees), "--from", str(day), "--to", str(day)]) == 0
    out = capsys.readouterr().out
    assert "give the attendance log, or leave attendance out (--ruleset)" in out

    # four employees at work all week; one punch of the Monday after sets the period's end
    employees.write_text("employee_id,name\n" + "".join(f"E{e},{e}\n" for e in range(1, 5)))
    punches = tmp_path / "punches.csv"
    rows = [
        f"E{e},2026-11-{d:02}T{time}+08:00,{way}\n"
        for e in range(1, 5)
        for d in range(2, 7)
        for time, way in (("08:55:00", "in"), ("18:05:00", "out"))
    ]
    rows.append("E1,2026-11-09T08:50:00+08:00,in\n")
    punches.write_text("employee_id,at,direction\n" + "".join(rows), encoding="utf-8")
    result = load_policy().check([employees, punches])
    [edge] = [n for n in result.notes if n.kind == "period_edge"]
    assert edge.endswith("not meant to be checked, give the period (start and end)")
    assert edge.zh.endswith("请指定期间（start 和 end）")
    assert main(["check", str(employees), str(punches), "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert "not meant to be checked, give the period (--period YYYY-MM, or --from/--to)" in out
    assert main(["check", str(employees), str(punches), "--lang", "zh"]) == 0
    assert "请指定期间（--period YYYY-MM 或 --from/--to）" in capsys.readouterr().out


def test_the_command_reading_its_inputs_ahead_names_the_option(tmp_path: Path) -> None:
    """The command's process reads a check's inputs in a thread before ``main`` runs
    (``sales_policy.prefetch``): what it raises names the option too."""
    export = tmp_path / "export.csv"
    export.write_text(PUNCHES, encoding="utf-8")
    process = subprocess.run(
        [sys.executable, "-m", "sales_policy", "check", str(export)],
        capture_output=True,
        text=True,
    )
    assert process.returncode == 2
    assert "add a 'type' column, or pass --type (employee, punch," in process.stderr


def test_a_period_the_records_cannot_have_names_its_ends_as_the_caller_gave_them(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The same reasons, in ``start``/``end`` from Python and ``--from``/``--to`` from the
    command; the records' dates run from 2026-11-02 to 2026-11-30."""
    policy = load_policy()
    with pytest.raises(InvalidArgument) as caught:
        policy.check(MONTH, dt.date(2026, 12, 1), dt.date(2026, 11, 1))
    assert str(caught.value) == "end 2026-11-01 is before start 2026-12-01"
    argv = [*MONTH, "--from", "2026-12-01", "--to", "2026-11-01"]
    assert _command_error(capsys, *argv) == "--to 2026-11-01 is before --from 2026-12-01"

    with pytest.raises(InvalidArgument) as caught:
        policy.check(MONTH, dt.date(2026, 12, 1))
    in_python = str(caught.value)
    assert in_python.endswith("where it ends when no end is given: give its end as well (end)")
    on_the_command_line = _command_error(capsys, *MONTH, "--from", "2026-12-01")
    assert on_the_command_line == in_python.replace("(end)", "(--to)")

    with pytest.raises(InvalidArgument) as caught:
        policy.check(MONTH, None, dt.date(2026, 10, 31))
    in_python = str(caught.value)
    assert in_python.endswith("no start is given: give its start as well (start)")
    on_the_command_line = _command_error(capsys, *MONTH, "--to", "2026-10-31")
    assert on_the_command_line == in_python.replace("(start)", "(--from)")


def test_leaving_attendance_out_is_offered_only_where_rule_sets_can_be_chosen(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A staff list alone: attendance judged without a log.  ``check`` and ``report`` choose
    rule sets (``--ruleset``, ``rulesets=``); ``score``, ``why`` and ``diff`` judge every one,
    and so ask for the attendance log only."""
    employees = tmp_path / "employees.csv"
    employees.write_text("employee_id,name\nE1,A\n", encoding="utf-8")
    log_only = (
        "every scheduled working day without leave is an absence (ATT-ABSENT); give the "
        "attendance log"
    )
    days = ["--from", "2026-11-02", "--to", "2026-11-03"]
    policy, first, last = load_policy(), dt.date(2026, 11, 2), dt.date(2026, 11, 3)

    def the_note(notes: tuple[Note, ...]) -> Note:
        [note] = [n for n in notes if n.kind == "no_attendance_log"]
        return note

    assert the_note(policy.check([employees], first, last).notes).endswith(
        f"{log_only}, or leave attendance out (rulesets=)"
    )
    scored = the_note(score(policy, [employees], "2026-11").check.notes)
    assert scored.endswith(log_only) and scored.zh.endswith("请提供考勤记录")
    assert the_note(diff(policy, policy, [employees], first, last).old.notes).endswith(log_only)

    capsys.readouterr()
    assert main(["check", str(employees), *days]) == 0
    assert f"{log_only}, or leave attendance out (--ruleset)\n" in capsys.readouterr().out
    assert main(["score", str(employees), "--period", "2026-11"]) == 0
    err = capsys.readouterr().err
    assert f"in the input: {log_only}\n" in err
    assert main(["why", str(employees), "--employee", "E1", "--date", "2026-11-03"]) == 0
    assert f"{log_only}\n" in capsys.readouterr().out
