"""Reading a check's inputs ahead (``sales_policy.prefetch``): the scan of the command line
agrees with argparse, what was read ahead is used only when it is what the check reads, and
the command gives the same output, errors and exit statuses with it."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLE_MONTH
from hypothesis import given
from hypothesis import strategies as st

from sales_policy import InputError, InvalidArgument, load_policy
from sales_policy.background import InThread
from sales_policy.cli import main
from sales_policy.cliargs import build_parser
from sales_policy.inputs import read_inputs
from sales_policy.mapping import ColumnMapping, TypeMapping
from sales_policy.prefetch import FLAG_OPTIONS, VALUED_OPTIONS, Prefetch, scan, start
from sales_policy.rawframes import RawInputs

INPUTS = [str(p) for p in sorted(EXAMPLE_MONTH.glob("*.csv"))]


def _check_parser() -> argparse.ArgumentParser:
    commands = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    parser: argparse.ArgumentParser = commands.choices["check"]
    return parser


def test_the_scan_knows_every_option_of_check_and_whether_it_takes_a_value() -> None:
    """Held to the parser: an option added to ``check`` and not here would make the scan give
    up on every command line using it (slower, never wrong); this test says so first."""
    valued, flags = set(), set()
    for action in _check_parser()._actions:
        if not action.option_strings or isinstance(action, argparse._HelpAction):
            continue
        (flags if action.nargs == 0 else valued).update(action.option_strings)
    assert valued == VALUED_OPTIONS
    assert flags == FLAG_OPTIONS


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["check", "a.csv", "b.csv"], (["a.csv", "b.csv"], None)),
        (["check", "a.csv", "--period", "2026-11", "-o", "x.jsonl"], (["a.csv"], None)),
        (["check", "--type=punch", "--strict", "a.csv"], (["a.csv"], "punch")),
        (["check", "a.csv", "--type", "punch", "--ruleset", "attendance"], (["a.csv"], "punch")),
        (["check", "a.csv", "--period", "2026-11", "b.csv"], (["a.csv", "b.csv"], None)),
        (["check", "--strict", "a.csv", "--type=punch", "b.csv"], (["a.csv", "b.csv"], "punch")),
        (["check", "-", "a.csv"], (["-", "a.csv"], None)),
        (["check", "a.csv", "--map", "m.yaml"], None),  # the mapping changes the reading
        (["check", "a.csv", "--encoding=gbk"], None),  # so does the encoding
        (["check", "a.csv", "--map=m.yaml"], None),
        (["check", "a.csv", "--per", "2026-11"], None),  # an abbreviation: argparse's
        (["check", "a.csv", "-h"], None),
        (["check", "--", "a.csv"], None),
        (["check", "a.csv", "--period"], None),  # no value
        (["check", "--strict"], None),  # no input
        (["score", "a.csv", "--period", "2026-11"], None),
        ([], None),
    ],
)
def test_the_scan_of_a_command_line(argv: list[str], expected: Any) -> None:
    """What the scan finds, argparse finds too: the inputs wherever they are, and ``--type``."""
    assert scan(argv) == expected
    if expected is not None:
        args = build_parser().parse_args(argv)
        assert (args.inputs, args.record_type) == expected


FILES = st.sampled_from(["a.csv", "b.jsonl", "c d.csv", "-", "2026-11", "x=y", "punch"])
#: a value of each option that argparse accepts (else the line ends before reading)
VALUES: dict[str, st.SearchStrategy[str]] = {
    "--policy": FILES,
    "--map": FILES,
    "-o": FILES,
    "--output": FILES,
    "--rejects": FILES,
    "--type": st.sampled_from(["punch", "leave_request", "x=y"]),
    "--from": st.just("2026-11-01"),
    "--to": st.just("2026-11-30"),
    "--period": st.just("2026-11"),
    "--format": st.sampled_from(["table", "json", "jsonl", "csv"]),
    "--fail-on": st.sampled_from(["minor", "major", "critical"]),
    "--ruleset": st.sampled_from(["attendance", "discipline"]),
    "--lang": st.sampled_from(["en", "zh"]),
    "--encoding": st.sampled_from(["gb18030", "utf-8"]),
}


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    """``check``, options with values (``--opt value`` or ``--opt=value``), flags, now and
    then a token argparse reads and the scan does not, and the inputs anywhere: before,
    between and after the options (argparse reads them so)."""
    options: list[list[str]] = []
    for _ in range(draw(st.integers(0, 6))):
        name = draw(st.sampled_from(sorted(VALUED_OPTIONS | FLAG_OPTIONS)))
        if name in FLAG_OPTIONS:
            options.append([name])
            continue
        value = draw(VALUES[name])
        options.append(draw(st.sampled_from([[name, value], [f"{name}={value}"]])))
    if draw(st.integers(0, 9)) == 0:
        options.append([draw(st.sampled_from(["--per", "--", "-h", "--lang", "--type=--"]))])
    for file in draw(st.lists(FILES, max_size=3)):
        options.insert(draw(st.integers(0, len(options))), [file])
    return ["check", *(token for group in options for token in group)]


@given(argv=command_lines())
def test_what_the_scan_finds_is_what_argparse_finds(argv: list[str]) -> None:
    """On command lines of ``check``'s options and inputs: where the scan finds inputs and
    argparse accepts the line, they agree on the inputs and ``--type`` (a line argparse
    rejects ends the command before the inputs are used)."""
    found = scan(argv)
    if found is None:
        return
    try:
        args = build_parser().parse_args(argv)
    except SystemExit:
        return
    assert found == (args.inputs, args.record_type)


def _prefetch(inputs: list[str], record_type: str | None = None) -> Prefetch:
    reading = InThread(lambda: read_inputs(inputs, record_type))
    return Prefetch(inputs, record_type, reading)


def test_what_was_read_ahead_is_used_only_when_it_is_what_the_check_reads() -> None:
    raw = _prefetch(INPUTS).raw_inputs(INPUTS, None, ColumnMapping())
    assert isinstance(raw, RawInputs) and raw.read == 385
    assert _prefetch(INPUTS).raw_inputs(INPUTS[:-1], None, ColumnMapping()) is None
    assert _prefetch(INPUTS).raw_inputs(INPUTS, "punch", ColumnMapping()) is None
    mapped = ColumnMapping({"punch": TypeMapping("punch", fields={"time": "at"})})
    assert _prefetch(INPUTS).raw_inputs(INPUTS, None, mapped) is None
    # read as UTF-8 ahead, but to be read in another encoding
    assert _prefetch(INPUTS).raw_inputs(INPUTS, None, ColumnMapping(encoding="gbk")) is None
    missing = _prefetch([*INPUTS, "no-such.csv"])
    with pytest.raises(InputError, match=r"no-such\.csv: no such file"):
        missing.raw_inputs([*INPUTS, "no-such.csv"], None, ColumnMapping())
    dropped = _prefetch(["no-such.csv"])
    assert dropped.raw_inputs(["other.csv"], None, ColumnMapping()) is None  # error dropped too


def test_a_check_of_inputs_read_ahead_is_the_check_of_the_files() -> None:
    policy = load_policy()
    raw = read_inputs(INPUTS)
    assert policy.check(raw).frame.equals(policy.check(INPUTS).frame)
    with pytest.raises(InvalidArgument, match="checked once"):  # its frames were let go
        policy.check(raw)
    mapped = ColumnMapping({"punch": TypeMapping("punch", fields={"time": "at"})})
    with pytest.raises(InvalidArgument, match="another column mapping"):
        policy.check(read_inputs(INPUTS, columns=mapped))


def _command(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sales_policy", *args], capture_output=True, text=True
    )


def test_the_command_with_its_inputs_read_ahead_writes_what_main_writes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``python -m sales_policy`` reads a check's inputs ahead; ``main``, called here, does
    not: the reports are the same, and so are the errors and exit statuses."""
    assert start(["check", *INPUTS]) is not None
    for fmt in ("jsonl", "table"):
        process = _command("check", *INPUTS, "--period", "2026-11", "--format", fmt)
        assert main(["check", *INPUTS, "--period", "2026-11", "--format", fmt]) == 0
        assert (process.returncode, process.stdout) == (0, capsys.readouterr().out)
    process = _command("check", *INPUTS, "no-such.csv")
    assert process.returncode == 2
    assert process.stderr == "sales-policy: error: no-such.csv: no such file\n"
    process = _command("check", *INPUTS, "--period", "2026-13")  # argparse's error
    assert process.returncode == 2 and "is not a month" in process.stderr
    assert "Traceback" not in process.stderr
    policy = tmp_path / "policy.yaml"
    policy.write_text("columns:\n  punch:\n    fields: {time: at}\n", encoding="utf-8")
    punches = tmp_path / "punches.csv"
    punches.write_text("employee_id,time\nE1,2026-11-02T09:05:00+08:00\n", encoding="utf-8")
    process = _command("check", str(punches), "--policy", str(policy), "--format", "jsonl")
    assert process.returncode == 0, process.stderr  # read again, with the policy's mapping
    assert '"rule_id": "ATT-LATE"' in process.stdout
