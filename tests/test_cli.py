"""The sales-policy command: outputs, exit codes, rejects, and rule explanations."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest

import sales_policy.console
from sales_policy import load_policy
from sales_policy.cli import main
from sales_policy.console import ALLOCATOR_SETTINGS, ALLOCATOR_VARIABLE, tune_allocator
from sales_policy.prefetch import start
from sales_policy.reports import render

MONTH = sorted((Path(__file__).resolve().parents[1] / "examples" / "november-2026").glob("*.csv"))
INPUTS = [str(p) for p in MONTH]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """The command as its process runs it, a check's inputs read ahead, but in this one:
    the exit status, stdout and stderr.  (tests/test_prefetch.py runs the process itself,
    and holds its output, errors and exit statuses to these.)"""
    capsys.readouterr()
    try:
        code = main(args, prefetch=start(args))
    except SystemExit as exit_:  # argparse's usage errors
        code = exit_.code if isinstance(exit_.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def test_table_output_summarises_counts_rules_and_employees(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["check", *INPUTS, "--period", "2026-11"]) == 0
    out = capsys.readouterr().out
    assert "period   2026-11-01 to 2026-11-30" in out
    assert "385 read = 385 accepted + 0 rejected" in out
    assert "ATT-OVERTIME-MONTH-LIMIT" in out and "S006" in out


@pytest.mark.parametrize("fmt", ["table", "json", "jsonl", "csv"])
def test_the_report_written_to_a_file_or_stdout_is_the_rendered_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    """The command writes the report part by part; what it writes is ``render``'s text."""
    expected = render(load_policy().check(INPUTS), fmt)
    out = tmp_path / f"report.{fmt}"
    assert main(["check", *INPUTS, "--format", fmt, "-o", str(out)]) == 0
    assert out.read_text("utf-8") == expected
    assert main(["check", *INPUTS, "--format", fmt]) == 0
    assert capsys.readouterr().out == expected


def test_standard_output_in_another_encoding_gets_the_report_as_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Only UTF-8 standard output is written polars' bytes; other encodings get text, which
    they encode (here escaping what ASCII lacks) as ever."""
    raw = io.BytesIO()
    stdout = io.TextIOWrapper(raw, encoding="ascii", errors="backslashreplace")
    monkeypatch.setattr(sys, "stdout", stdout)
    assert main(["check", *INPUTS, "--format", "jsonl"]) == 0
    stdout.flush()
    expected = render(load_policy().check(INPUTS), "jsonl")
    assert raw.getvalue() == expected.encode("ascii", errors="backslashreplace")
    assert "\\u" in raw.getvalue().decode("ascii")  # the Chinese messages, escaped


def test_jsonl_has_the_documented_fields(tmp_path: Path) -> None:
    out = tmp_path / "findings.jsonl"
    assert main(["check", *INPUTS, "--period", "2026-11", "--format", "jsonl", "-o", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert len(rows) == 34
    fields = {
        "rule_id",
        "ruleset",
        "severity",
        "clauses",
        "employee_id",
        "date",
        "period",
        "evidence",
        "sources",
        "message",
    }
    assert all(fields <= set(row) for row in rows)
    month = [r for r in rows if r["rule_id"] == "ATT-OVERTIME-MONTH-LIMIT"]
    assert month[0]["date"] is None and month[0]["period"] == "2026-11"
    late = [r for r in rows if r["rule_id"] == "ATT-LATE" and r["employee_id"] == "S002"]
    assert late[0]["evidence"]["minutes_late"] == 1
    assert late[0]["sources"][0].endswith("punches.csv:" + late[0]["sources"][0].split(":")[-1])
    assert set(late[0]["message"]) == {"zh", "en"}


def test_json_and_csv_formats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", *INPUTS, "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["counts"]["read"] == document["counts"]["accepted"] == 385
    assert len(document["findings"]) == 34
    assert main(["check", *INPUTS, "--format", "csv"]) == 0
    rows = list(csv.reader(capsys.readouterr().out.splitlines()))
    assert rows[0][:3] == ["rule_id", "ruleset", "severity"] and len(rows) == 35


def test_csv_cells_cannot_become_formulas(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "punches.csv"
    path.write_text(
        'employee_id,at,direction\n=HYPERLINK("x"),2026-11-02T09:05:00+08:00,in\n'
        '=HYPERLINK("x"),2026-11-02T18:00:00+08:00,out\n',
        encoding="utf-8",
    )
    assert main(["check", str(path), "--format", "csv"]) == 0
    rows = list(csv.reader(capsys.readouterr().out.splitlines()))
    assert rows[1][4] == '\'=HYPERLINK("x")'


def test_csv_report_and_rejects_split_off_no_formula(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A formula after a ``;`` or a line break of a value, where Excel may start a cell or a
    row whatever the quotes, shows as text in the report and in the rejected rows; a value
    with a carriage return is quoted, so a spreadsheet reads it as one cell."""
    path = tmp_path / "punches.csv"
    path.write_text(
        "employee_id,at,direction\n\"x;=cmd|' /C calc'!A0;\",2026-11-02T09:05:00+08:00,in\n"
        '"y\r@SUM(A1)",2026-11-02T09:05:00+08:00,in\n'
        "E1,2026-11-02T09:05:00+08:00,in;-1+2\n",
        encoding="utf-8",
    )
    rejects = tmp_path / "rejects.csv"
    assert main(["check", str(path), "--format", "csv", "--rejects", str(rejects)]) == 0
    report = capsys.readouterr().out
    assert "\nATT-LATE,attendance,minor,4.3;8.1,x;'=cmd|' /C calc'!A0;,2026-11-02," in report
    assert '\nATT-LATE,attendance,minor,4.3;8.1,"y\r\'@SUM(A1)",2026-11-02,' in report
    rejected = rejects.read_text(encoding="utf-8").splitlines()
    # the line after the one holding a CR in quotes: a CR alone ends a line (docs/inputs.md)
    assert rejected[1].startswith(f"{path},5,punch,direction,in;'-1+2,")


def test_fail_on_sets_exit_one_only_at_or_above(tmp_path: Path) -> None:
    """The month's worst finding is critical (S003's repeated absence, a discipline finding);
    of its attendance findings, the worst are major."""

    def check(*options: str) -> int:
        return main(["check", *INPUTS, "--format", "jsonl", "-o", str(tmp_path / "o"), *options])

    assert check("--fail-on", "major") == 1
    assert check("--fail-on", "critical") == 1
    assert check("--ruleset", "attendance", "--fail-on", "major") == 1
    assert check("--ruleset", "attendance", "--fail-on", "critical") == 0


def test_rejects_file_and_strict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "punches.csv"
    path.write_text(
        "employee_id,at,direction\nE1,2026-11-02T09:05:00+08:00,in\nE1,not-a-time,out\n",
        encoding="utf-8",
    )
    rejects = tmp_path / "rejects.csv"
    assert main(["check", str(path), "--rejects", str(rejects), "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert "1 of 2 rows rejected" in captured.err
    rows = list(csv.DictReader(rejects.read_text(encoding="utf-8").splitlines()))
    assert rows == [
        {
            "source": str(path),
            "line": "3",
            "record_type": "punch",
            "field": "at",
            "value": "not-a-time",
            "reason": rows[0]["reason"],
        }
    ]
    assert "is not a date-time" in rows[0]["reason"]
    assert main(["check", str(path), "--strict"]) == 2
    assert "rejected (--strict)" in capsys.readouterr().err


def test_a_dash_names_standard_output_for_the_report_or_the_rejects(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``-o -`` writes the report to standard output, as without ``-o``; ``--rejects -`` the
    rejected rows, when the report goes to a file.  Both to standard output would be one
    stream of two formats: refused (exit 2) before anything is read.  No file named ``-``
    is made."""
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "punches.csv"
    path.write_text(
        "employee_id,at,direction\nE1,2026-11-02T09:05:00+08:00,in\nE1,not-a-time,out\n",
        encoding="utf-8",
    )
    base = ["check", str(path), "--from", "2026-11-02", "--to", "2026-11-02", "--format", "jsonl"]
    code, out, _ = run(capsys, *base, "-o", "-")
    assert code == 0
    assert [json.loads(line)["rule_id"] for line in out.splitlines()] == [
        "ATT-LATE",
        "ATT-MISSING-PUNCH",
    ]
    report = tmp_path / "report.jsonl"
    code, out, _ = run(capsys, *base, "-o", str(report), "--rejects", "-")
    assert code == 0
    assert list(csv.reader(out.splitlines()))[1][:5] == [
        str(path),
        "3",
        "punch",
        "at",
        "not-a-time",
    ]
    assert len(report.read_text(encoding="utf-8").splitlines()) == 2
    for extra in (["--rejects", "-"], ["-o", "-", "--rejects", "-"]):
        code, out, err = run(capsys, *base, *extra)
        assert (code, out) == (2, "")
        assert "--rejects - and the report would both go to standard output" in err
    code, _, err = run(
        capsys, "why", str(path), "--employee", "E1", "--date", "2026-11-02", "--rejects", "-"
    )
    assert code == 2
    assert "both go to standard output" in err
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize("command", ["check", "score", "report"])
def test_every_command_that_reads_records_lists_its_rejects_and_is_strict(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What an analyst relies on in a month's batch, whatever the command: the rejected rows
    in ``--rejects``, and ``--strict`` refusing to report on a log with any (exit 2, the
    first shown, nothing written to ``-o``)."""
    path = tmp_path / "punches.csv"
    path.write_text(
        "employee_id,at,direction\nE1,2026-11-02T09:05:00+08:00,in\n"
        "E1,2026-11-02T18:30:00+08:00,out\nE2,2026-11-31T09:00:00+08:00,in\n",
        encoding="utf-8",
    )
    extra = {"check": ["--format", "json"], "score": [], "report": ["--format", "md"]}[command]
    base = [command, str(path), "--period", "2026-11", *extra]
    rejects, report = tmp_path / "rejects.csv", tmp_path / "report.out"
    assert main([*base, "-o", str(report), "--rejects", str(rejects)]) == 0
    assert "1 of 3 rows rejected" in capsys.readouterr().err
    with rejects.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert [(r["source"], r["line"], r["field"], r["value"]) for r in rows] == [
        (str(path), "4", "at", "2026-11-31T09:00:00+08:00")
    ]
    assert report.stat().st_size > 0
    report.unlink()
    assert main([*base, "-o", str(report), "--strict"]) == 2
    err = capsys.readouterr().err
    assert "1 of 3 rows rejected (--strict)" in err
    shown = next(line for line in err.splitlines() if str(path) in line)
    assert shown.split()[:6] == ["1", str(path), "punch", "at", "line", "4:"]
    assert not report.exists()


def test_rejected_rows_are_counted_by_file_and_field_with_the_first_of_each(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two exports of one month: the first has three timestamps and two directions wrong,
    the second one timestamp.  The table gives one row per file and field, in the order
    the rejected rows come (by file, then line), with the first row's line; the JSON
    summary the same counts, which add up to the rows rejected."""
    first, second = tmp_path / "1" / "punches.csv", tmp_path / "2" / "punches.csv"
    first.parent.mkdir()
    second.parent.mkdir()
    first.write_text(
        "employee_id,at,direction\nE1,2026-11-02T09:00:00+08:00,sideways\n"
        "E1,9am,in\nE1,2026-11-02T18:00:00+08:00,in\nE2,noon,in\nE3,,in\n"
        "E4,2026-11-02T09:00:00+08:00,up\n",
        encoding="utf-8",
    )
    second.write_text("employee_id,at,direction\nE5,soon,in\n", encoding="utf-8")
    args = ["check", str(first), str(second), "--period", "2026-11"]
    assert main(args) == 0
    lines = capsys.readouterr().out.splitlines()
    heading = lines.index("rejected rows, by file and field (--rejects FILE writes them all):")
    rows = [line.split()[:6] for line in lines[heading + 3 : heading + 6]]
    assert rows == [
        ["2", str(first), "punch", "direction", "line", "2:"],
        ["3", str(first), "punch", "at", "line", "3:"],
        ["1", str(second), "punch", "at", "line", "2:"],
    ]
    assert lines[heading + 6] == ""
    assert main([*args, "--format", "json"]) == 0
    counts = json.loads(capsys.readouterr().out)["counts"]
    assert counts["rejected_by_field"] == [
        {"source": str(first), "record_type": "punch", "field": "direction", "rows": 2},
        {"source": str(first), "record_type": "punch", "field": "at", "rows": 3},
        {"source": str(second), "record_type": "punch", "field": "at", "rows": 1},
    ]
    assert counts["rejected"] == 6 and counts["read"] == counts["accepted"] + 6


def test_the_table_of_rejected_rows_shows_ten_groups_and_counts_the_rest() -> None:
    import polars as pl

    from sales_policy.rawframes import REJECT_SCHEMA
    from sales_policy.reports import reject_table

    rejects = pl.DataFrame(
        [
            {"source": f"m{month:02}.csv", "line": line, "record_type": "punch"}
            | {"field": "at", "value": "x", "reason": "'x' is not a date-time"}
            for month in range(1, 13)
            for line in range(2, 2 + month)
        ],
        schema=REJECT_SCHEMA,
    )
    lines = reject_table(rejects).splitlines()
    assert len(lines) == 2 + 10 + 1
    first = ["1", "m01.csv", "punch", "at", "line", "2:", "'x'", "is", "not", "a", "date-time"]
    assert lines[2].split() == first
    assert lines[-1] == "and 2 more (23 rows)"  # months 11 and 12: 11 + 12 rows


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "missing.csv"], "missing.csv: no such file"),
        (["check", str(MONTH[0].parent)], f"{MONTH[0].parent}: a folder, not a file (give its"),
        (["check", "/dev/null"], "/dev/null: not a regular file (a pipe or a device)"),
        (["check", *INPUTS, "--from", "2026-12-01"], "the period starts on 2026-12-01, after"),
        (["check", *INPUTS, "--period", "2026-13"], "is not a month"),
        (["check", *INPUTS, "--period", "2026-11", "--from", "2026-11-01"], "either --period"),
        (["check", *INPUTS, "--period", "2027-01"], "2027 is outside the working calendar"),
        (["check", *INPUTS, "--period", "0001-01"], "reaches beyond the dates a check can"),
        (["check", *INPUTS, "--policy", "nope.yaml"], "nope.yaml: cannot read the file"),
        (["rules", "ATT-LAT"], "unknown rule 'ATT-LAT' (did you mean 'ATT-LATE'?)"),
        (["rules", "att-late"], "unknown rule 'att-late' (did you mean 'ATT-LATE'?)"),
    ],
)
def test_unusable_input_exits_two_with_a_message_not_a_traceback(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, *args)
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_no_row_accepted_exits_two(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "punches.csv"
    path.write_text("employee_id,at\nE1,never\n", encoding="utf-8")
    code, _, err = run(capsys, "check", str(path))
    assert code == 2 and "no row accepted" in err and "is not a date-time" in err
    # a file of a header alone: no row read, none rejected, and no empty table of rejects;
    # the inputs of no row named (an export of the wrong month, or a failed one)
    path.write_text("employee_id,at\n", encoding="utf-8")
    empty = tmp_path / "employees.csv"
    empty.write_bytes(b"")
    code, _, err = run(capsys, "check", str(path), str(empty))
    assert (code, err) == (
        2,
        "sales-policy: error: no row accepted (0 read, 0 rejected): every input holds no row "
        f"(a header alone, or an empty file): {path}, {empty}\n",
    )
    rejected = tmp_path / "visits.csv"
    rejected.write_text("employee_id,customer_id,start,end\nE1,C1,x,y\n", encoding="utf-8")
    code, _, err = run(capsys, "check", str(path), str(rejected))
    assert code == 2 and err.endswith(
        "sales-policy: error: no row accepted (1 read, 1 rejected); 1 input holds no row (a "
        f"header alone, or an empty file): {path}\n"
    )


def test_rules_lists_and_explains(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    assert "ATT-LATE" in out and "ATT-OVERTIME-MONTH-LIMIT" in out
    assert main(["rules", "ATT-LATE"]) == 0
    out = capsys.readouterr().out
    assert "late_grace_minutes = 0" in out and "serious_late_minutes = 30" in out
    assert "4.3 工作纪律" in out and "8.1 出勤纪律" in out


def test_rules_explain_heads_what_a_rule_cites_as_what_it_is(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The Labour Law is not the handbook: a rule citing only other references has them
    under "references"; one citing the handbook's clauses, under "handbook"."""
    assert main(["rules", "ATT-OVERTIME-DAY-LIMIT"]) == 0
    lines = capsys.readouterr().out.splitlines()
    at = lines.index("references")
    assert lines[at + 2] == "      Labour Law of the PRC, art. 41 (not the handbook)"
    assert "handbook" not in lines
    assert main(["rules", "ATT-LATE"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "handbook" in lines and "references" not in lines


def test_rules_explain_shows_the_parameters_its_facts_are_derived_with(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """ATT-OVERTIME-MONTH-LIMIT's condition names only the monthly limit, but the monthly
    overtime it sums counts days over overtime_min_minutes; ATT-LATE reads no column that
    parameter shapes."""
    assert main(["rules", "ATT-OVERTIME-MONTH-LIMIT"]) == 0
    out = capsys.readouterr().out
    assert "overtime_min_minutes = 30" in out
    assert "(read while deriving the employee_month facts)" in out
    assert main(["rules", "ATT-LATE"]) == 0
    assert "overtime_min_minutes" not in capsys.readouterr().out


def test_rules_explain_shows_company_values(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text("params: {late_grace_minutes: 5}\ndisable: [ATT-LATE]\n", encoding="utf-8")
    assert main(["rules", "ATT-LATE", "--policy", str(policy)]) == 0
    out = capsys.readouterr().out
    assert "late_grace_minutes = 5 (default 0)" in out and "disabled" in out
    assert out.endswith("docs       docs/rules/ATT-LATE.md\n")


def test_rules_explain_shows_a_company_rule_over_lines_without_a_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A condition folded over lines keeps them, indented; there is no page in docs/rules/
    for a company's rule, and the explanation does not name one."""
    (tmp_path / "ours.yaml").write_text(
        "ruleset: company\ntitle: {zh: 公司, en: Company}\nfacts: workday\nrules:\n"
        "  - id: CO-LATE-AND-EARLY\n    title: {zh: 迟早, en: Late and early}\n"
        "    clauses: ['4.3']\n    severity: minor\n    when: >-\n"
        "      (minutes_late > 0\n       and minutes_early > 0)\n"
        "    evidence: [minutes_late]\n    message: {zh: '{minutes_late}', en: '{minutes_late}'}\n",
        encoding="utf-8",
    )
    policy = tmp_path / "policy.yaml"
    policy.write_text("rule_files: [ours.yaml]\n", encoding="utf-8")
    assert main(["rules", "CO-LATE-AND-EARLY", "--policy", str(policy)]) == 0
    out = capsys.readouterr().out
    assert "\nwhen\n  (minutes_late > 0\n   and minutes_early > 0)\n" in out
    assert f"defined at {tmp_path / 'ours.yaml'}:5" in out
    assert "docs/rules" not in out


def test_the_example_policy_changes_the_findings(capsys: pytest.CaptureFixture[str]) -> None:
    example = Path(__file__).resolve().parents[1] / "examples" / "policy.yaml"
    assert main(["check", *INPUTS, "--policy", str(example), "--format", "json"]) == 0
    rules = [f["rule_id"] for f in json.loads(capsys.readouterr().out)["findings"]]
    assert "ATT-LEFT-POST" not in rules and len(rules) == 34 - 3


def test_the_command_tunes_the_allocator_then_freezes_what_its_imports_made() -> None:
    """The console entry point (and ``python -m sales_policy``) sets polars' allocator up
    before polars is loaded, and runs ``main`` after ``gc.freeze()``: a one-shot process need
    not have the collector walk its modules again."""
    script = (
        "import gc, os, sys\n"
        "from sales_policy.console import ALLOCATOR_VARIABLE, console\n"
        "sys.argv = ['sales-policy', 'rules']\n"
        "before = gc.get_freeze_count()\n"
        "code = console()\n"
        "print(before, gc.get_freeze_count(), code, gc.isenabled(), file=sys.stderr)\n"
        "print(os.environ.get(ALLOCATOR_VARIABLE), file=sys.stderr)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != ALLOCATOR_VARIABLE}
    process = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env
    )
    assert "<jemalloc>" not in process.stderr  # it says so of a setting it does not take
    counts, setting = process.stderr.splitlines()
    before, after, code, collecting = counts.split()
    assert (before, code, collecting) == ("0", "0", "True")  # the collector is back on
    assert int(after) > 1000
    # polars puts its own defaults first, so that the settings given after them win
    assert setting.endswith("," + ALLOCATOR_SETTINGS)
    scripts = (Path(__file__).resolve().parents[1] / "pyproject.toml").read_text()
    assert 'sales-policy = "sales_policy.console:run"' in scripts
    main_module = Path(sales_policy.console.__file__).with_name("__main__.py").read_text()
    assert "from .console import run" in main_module


def test_the_command_ends_its_process_with_the_status_and_the_whole_report(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``run``, the command's entry, ends the process at once (``os._exit``) once the
    command is done: with its exit status, every line of its report flushed (the example's
    JSONL is larger than a pipe's buffer), and nothing after it run."""
    args = ["check", *INPUTS, "--format", "jsonl", "--fail-on", "minor"]
    script = (
        "import sys\n"
        "from sales_policy.console import run\n"
        f"sys.argv = ['sales-policy', *{args!r}]\n"
        "run()\n"
        "print('after the command')\n"
    )
    process = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert main(args) == 1
    expected = capsys.readouterr().out
    assert len(expected.encode()) > 8192
    assert (process.returncode, process.stdout) == (1, expected)
    assert "after the command" not in process.stdout


def test_the_allocator_is_tuned_before_polars_and_the_users_settings_win() -> None:
    environ: dict[str, str] = {}
    with mock.patch.dict(sys.modules):
        sys.modules.pop("polars")
        assert tune_allocator(environ)
        assert environ == {ALLOCATOR_VARIABLE: ALLOCATOR_SETTINGS}
        # jemalloc reads the options in order, a later one winning: the user's come last
        theirs = {ALLOCATOR_VARIABLE: "narenas:4"}
        assert tune_allocator(theirs)
        assert theirs == {ALLOCATOR_VARIABLE: f"{ALLOCATOR_SETTINGS},narenas:4"}
    assert "polars" in sys.modules  # too late now: polars read its settings when loaded
    environ = {}
    assert not tune_allocator(environ)
    assert environ == {}


def test_a_report_that_fails_part_way_leaves_the_last_one_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A full disk while the report is written: exit 2 with the file and the reason, and the
    file from the last run as it was, with nothing left beside it."""
    out = tmp_path / "report.jsonl"
    out.write_text("the last whole report\n", encoding="utf-8")

    def half_then_full(result: object, fmt: str, stream: io.TextIOBase, **options: object) -> None:
        stream.write('{"rule_id": "ATT-LATE"\n')
        raise OSError(28, "No space left on device")

    with mock.patch("sales_policy.cli.write_report", half_then_full):
        code = main(["check", *INPUTS, "--format", "jsonl", "-o", str(out)])
    assert code == 2
    assert capsys.readouterr().err == f"sales-policy: error: {out}: No space left on device\n"
    assert out.read_text(encoding="utf-8") == "the last whole report\n"
    assert sorted(tmp_path.iterdir()) == [out]
    assert main(["check", *INPUTS, "--format", "jsonl", "-o", os.devnull]) == 0


def test_a_reader_that_goes_away_ends_the_command_quietly() -> None:
    """Output into a pipe nobody reads any more (``| head``): the command stops with the
    shell's status for it (141), no error message and no traceback."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        process = subprocess.run(
            [sys.executable, "-m", "sales_policy", "check", *INPUTS, "--format", "jsonl"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
        )
    finally:
        os.close(write_end)
    assert process.returncode == 141
    assert process.stderr == ""


def test_an_interrupted_command_says_so_and_exits_130() -> None:
    code = (
        "import sales_policy.cli\n"
        "def interrupted(**_): raise KeyboardInterrupt\n"
        "sales_policy.cli.main = interrupted\n"
        "from sales_policy.console import console\n"
        "raise SystemExit(console())\n"
    )
    process = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert process.returncode == 130
    assert process.stderr == "\nsales-policy: interrupted\n"


def test_rows_not_judged_yet_are_said_in_every_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A period that ends before a window closes (here the month of two late arrivals, which
    may yet become repeated lateness, and whose overtime may yet go over the monthly limit)
    leaves rows not judged yet: the reports say so in a note, in their language, and JSON
    counts them per rule under "pending": E1's November, once for each rule."""
    punches = tmp_path / "punches.csv"
    punches.write_text(
        "employee_id,at,direction\n"
        "E1,2026-11-02T09:10:00+08:00,in\nE1,2026-11-02T18:00:00+08:00,out\n"
        "E1,2026-11-03T09:10:00+08:00,in\nE1,2026-11-03T18:00:00+08:00,out\n",
        encoding="utf-8",
    )
    out = tmp_path / "report.json"
    args = ["check", str(punches), "--from", "2026-11-02", "--to", "2026-11-03"]
    assert main([*args, "--format", "json", "-o", str(out)]) == 0
    document = json.loads(out.read_text("utf-8"))
    assert document["pending"] == {"ATT-OVERTIME-MONTH-LIMIT": 1, "DIS-REPEATED-LATE": 1}
    note = "not judged yet, their window still open at the end of the period: "
    rules = "1 for ATT-OVERTIME-MONTH-LIMIT, 1 for DIS-REPEATED-LATE"
    assert f"{note}{rules}" in document["notes"]
    table = tmp_path / "report.txt"
    assert main([*args, "--lang", "zh", "-o", str(table)]) == 0
    # a list of items, as the other notes list them: with 、, not the comma between clauses
    said = "期末时期限未到，以下规则暂未判断：ATT-OVERTIME-MONTH-LIMIT 1 项、DIS-REPEATED-LATE 1 项"
    assert f"说明     {said}\n" in table.read_text("utf-8")

    for fmt in ("jsonl", "csv"):  # findings alone: standard error says it
        assert main([*args, "--format", fmt, "-o", str(tmp_path / f"report.{fmt}")]) == 0
        assert capsys.readouterr().err == (
            "sales-policy: 2 rows not judged yet, their window still open at the end of the "
            "period (ATT-OVERTIME-MONTH-LIMIT 1, DIS-REPEATED-LATE 1)\n"
        )

    whole_month = ["check", str(punches), "--period", "2026-11", "--format", "json"]
    assert main([*whole_month, "-o", str(out)]) == 0
    document = json.loads(out.read_text("utf-8"))
    assert document["pending"] == {}
    assert not [n for n in document["notes"] if n.startswith(note)]


def test_a_report_is_never_written_over_a_file_the_command_reads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``-o`` or ``--rejects`` naming an input (by another path or a link too), the policy or
    the mapping, or both naming one file, is a usage error: nothing is read or written."""
    punches = tmp_path / "punches.csv"
    content = "employee_id,at,direction\nE1,2026-11-02T09:05:00+08:00,in\n"
    punches.write_text(content, encoding="utf-8")
    policy = tmp_path / "policy.yaml"
    policy.write_text("params: {late_grace_minutes: 10}\n", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(punches)
    check = ["check", str(punches), "--policy", str(policy)]
    cases = [
        (["-o", str(punches)], f"-o {punches} is a file this command reads: "),
        (["--rejects", str(tmp_path / "." / "punches.csv")], "is a file this command reads"),
        (["-o", str(link)], f"-o {link} is a file this command reads ({punches})"),
        (["-o", str(policy)], "is a file this command reads"),
        (["-o", "r.csv", "--rejects", "r.csv"], "-o and --rejects both name r.csv"),
    ]
    for extra, message in cases:
        assert main([*check, *extra]) == 2
        assert message in capsys.readouterr().err
    assert punches.read_text("utf-8") == content
    assert policy.read_text("utf-8") == "params: {late_grace_minutes: 10}\n"
    assert not (Path.cwd() / "r.csv").exists()
    # a company rule file the policy lists, too: found once the policy is loaded
    rules = tmp_path / "ours.yaml"
    ours = (
        "ruleset: company\ntitle: {zh: 公司规则, en: Company rules}\nfacts: workday\n"
        "rules:\n  - id: CO-LATE\n    title: {zh: 晚, en: Late}\n    clauses: ['4.3']\n"
        "    severity: info\n    when: minutes_late >= 5\n    evidence: [minutes_late]\n"
        "    message: {zh: '晚', en: 'late'}\n"
    )
    rules.write_text(ours, encoding="utf-8")
    listing = tmp_path / "listing.yaml"
    listing.write_text("rule_files: [ours.yaml]\n", encoding="utf-8")
    for command in ("check", "report", "score"):
        extra = ["--period", "2026-11"] if command == "score" else []
        for option in ("-o", "--rejects"):
            args = [command, str(punches), "--policy", str(listing), *extra, option, str(rules)]
            assert main(args) == 2
            assert f"{option} {rules} is a file this command reads" in capsys.readouterr().err
    assert rules.read_text("utf-8") == ours
    report = tmp_path / "report.md"
    assert main(["report", str(punches), "--format", "md", "-o", str(punches)]) == 2
    assert "is a file this command reads" in capsys.readouterr().err
    assert main(["report", str(punches), "--format", "md", "-o", str(report)]) == 0
    assert report.exists()


def test_an_unknown_rule_set_lists_the_known_ones_in_order(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["check", *INPUTS, "--ruleset", "nope"]) == 2
    assert capsys.readouterr().err == (
        "sales-policy: error: unknown rule set 'nope' (expected one of: assessment, attendance, "
        "confidentiality, customer_care, discipline, integrity)\n"
    )


def test_a_huge_value_is_cut_short_on_the_terminal_and_whole_in_the_rejects_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A cell holding a pasted document: the table and --strict show 300 characters of the
    reason, the rejects file the value whole."""
    path = tmp_path / "punches.csv"
    huge = "x" * 100_000
    path.write_text(f"employee_id,at\nE1,{huge}\nE1,2026-11-02T09:00:00+08:00\n", "utf-8")
    rejects = tmp_path / "rejects.csv"
    assert main(["check", str(path), "--rejects", str(rejects)]) == 0
    out = capsys.readouterr().out
    reason = (
        f"'{huge}' is not a date-time (expected ISO 8601 like 2026-11-03T09:00:00+08:00, "
        "year first like 2026/11/3 9:05, or epoch milliseconds)"
    )
    assert f"  at     line 2: {reason[:300]}... ({len(reason):,} characters)" in out
    assert len(max(out.splitlines(), key=len)) < 600  # the "not judged" note is ~500
    assert main(["check", str(path), "--strict"]) == 2
    assert len(max(capsys.readouterr().err.splitlines(), key=len)) < len(str(path)) + 400
    with rejects.open(encoding="utf-8", newline="") as stream:
        assert next(csv.DictReader(stream))["value"] == huge


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_on_a_terminal_ends_its_line_before_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Inputs large enough to wait for, standard error a terminal: the stages go there, each
    over the last, and the line is ended before the error, which starts a line of its own."""
    path = tmp_path / "punches.csv"
    path.write_text("employee_id,at,direction\nE1,late,in\n", encoding="utf-8")
    terminal = _Terminal()
    monkeypatch.setattr("sales_policy.outputs.PROGRESS_BYTES", 0)
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["check", str(path)]) == 2
    lines = terminal.getvalue().split("\n")
    assert "loading the policy" in lines[0] and "reading, validating, judging" in lines[0]
    assert lines[1].split() == ["rows", "file", "type", "field", "first"]
    assert lines[3].split()[:6] == ["1", str(path), "punch", "at", "line", "2:"]
    assert lines[4].startswith("sales-policy: error: no row accepted")


def test_a_rule_citing_the_law_reads_law_in_the_table_as_in_rules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "punches.csv"
    path.write_text(
        "employee_id,at,direction\nE1,2026-11-02T09:00:00+08:00,in\n"
        "E1,2026-11-02T22:30:00+08:00,out\n",
        encoding="utf-8",
    )
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "  E1  2026-11-02  ATT-OVERTIME-DAY-LIMIT [major; law]  " in out
    assert "  E1  2026-11-02  ATT-OVERTIME-UNAPPROVED [minor; 1.2]  " in out
    assert main(["rules"]) == 0
    [line] = [x for x in capsys.readouterr().out.splitlines() if "ATT-OVERTIME-DAY-LIMIT" in x]
    assert line.split()[1:3] == ["major", "law"]


def test_an_input_without_its_attendance_log_is_said_to_make_everyone_absent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An employee file beside sales records, no punch: the handbook's reading is an absence
    every working day, which every command says, on stderr where its report has no notes."""
    employees = tmp_path / "employees.csv"
    employees.write_text("employee_id,name,team\nE1,Wang,T1\n", encoding="utf-8")
    warning = (
        "sales-policy: attendance was judged with no punch or customer visit in the input: "
        "every scheduled working day without leave is an absence (ATT-ABSENT); give the "
        "attendance log, or leave attendance out (--ruleset)\n"
    )
    assert main(["check", str(employees), "--period", "2026-11"]) == 0
    captured = capsys.readouterr()
    assert "note     attendance was judged with no punch or customer visit" in captured.out
    assert captured.err == ""
    assert main(["check", str(employees), "--period", "2026-11", "--format", "jsonl"]) == 0
    assert capsys.readouterr().err == warning
    assert main(["score", str(employees), "--period", "2026-11"]) == 0  # no --ruleset to give
    assert capsys.readouterr().err == warning.replace(", or leave attendance out (--ruleset)", "")
    punches = tmp_path / "punches.csv"
    punches.write_text("employee_id,at\nE2,2026-11-02T09:00:00+08:00\n", encoding="utf-8")
    assert main(["score", str(employees), str(punches), "--period", "2026-11"]) == 0
    # no attendance warning; E2, whom the staff list lacks, is said (a note on the inputs)
    [said] = capsys.readouterr().err.splitlines()
    assert said.startswith("sales-policy: 1 employee id in the records has no employee record")


def _options(command: str) -> dict[str, str | None]:
    """The long options of a command (``-o`` for ``--output``), with their help."""
    import argparse

    from sales_policy.cliargs import build_parser

    commands = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return {
        "-o" if "-o" in action.option_strings else action.option_strings[-1]: action.help
        for action in commands.choices[command]._actions
        if action.option_strings and action.dest != "help"
    }


def _synopsis(doc: str, command: str) -> set[str]:
    """The options of ``sales-policy COMMAND`` in the first code block of a page that names
    it, its lines up to the next command's or the block's end."""
    import re

    text = (Path(__file__).resolve().parents[1] / "docs" / doc).read_text(encoding="utf-8")
    start = text.index(f"sales-policy {command} INPUT...")
    block = text[start : text.index("```", start)]
    ends = [m.start() for m in re.finditer(r"\nsales-policy ", block)]
    return set(re.findall(r"(?<![\w-])(--[a-z-]+|-o)\b", block[: ends[0] if ends else None]))


def test_the_score_synopsis_of_the_docs_names_every_option_of_its_help() -> None:
    """``score --help`` has --map and --type: docs/cli.md and docs/assessment.md name them,
    and every other option, in the command's synopsis."""
    options = set(_options("score"))
    assert {"--map", "--type", "--explain", "--rejects", "-o"} <= options
    assert _synopsis("cli.md", "score") == options
    assert _synopsis("assessment.md", "score") == options


@pytest.mark.parametrize("command", ["check", "report"])
def test_the_help_of_ruleset_says_it_reports_what_a_whole_check_finds(command: str) -> None:
    """docs/cli.md: --ruleset reports only that set's findings, those a whole check has of
    it; the help said it judged only that set."""
    text = _options(command)["--ruleset"] or ""
    assert "judge only" not in text
    assert text.startswith("report only this rule set's findings, those a whole check has of it")


@pytest.mark.parametrize("command", ["rules", "test"])
def test_the_synopsis_of_a_command_without_inputs_names_every_option_of_its_help(
    command: str,
) -> None:
    """docs/cli.md's synopsis of ``rules`` and ``test`` names every option of their help
    (``test --rule`` was missing)."""
    import re

    text = (Path(__file__).resolve().parents[1] / "docs" / "cli.md").read_text(encoding="utf-8")
    opening = text.index("```\n") + 4
    block = text[opening : text.index("```", opening)]
    start = block.index(f"\nsales-policy {command} ")
    end = block.find("\nsales-policy ", start + 1)
    synopsis = block[start : end if end > 0 else None]
    assert set(re.findall(r"(?<![\w-])(--[a-z-]+|-v)\b", synopsis)) == {
        "-v" if name == "--verbose" else name for name in _options(command)
    }
