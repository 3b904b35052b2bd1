"""The command line's grammar (``sales_policy.cliargs``): a command's inputs may come before,
between and after its options, and a command line argparse refused before still is."""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLE_MONTH

from sales_policy.cli import main
from sales_policy.cliargs import build_parser
from sales_policy.prefetch import scan

INPUTS = [str(p) for p in sorted(EXAMPLE_MONTH.glob("*.csv"))]


def _parse(*argv: str) -> argparse.Namespace:
    return build_parser().parse_args(argv)


def _refused(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """argparse's error for ``argv``: exit 2 and its message."""
    capsys.readouterr()
    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args(argv)
    assert exit_.value.code == 2
    return capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "options"),
    [
        (["check", "a.csv", "--period", "2026-11", "b.csv", "--strict", "c.csv"], {"strict": True}),
        (["check", "--format", "json", "a.csv", "-o", "out.json", "b.csv", "c.csv"], {}),
        (["check", "a.csv", "--ruleset", "attendance", "b.csv", "c.csv"], {}),
        (["report", "a.csv", "--lang", "en", "b.csv", "c.csv"], {"lang": "en"}),
        (["score", "a.csv", "--period", "2026-Q4", "b.csv", "c.csv"], {"period": "2026-Q4"}),
        (["diff", "a.csv", "--policy", "x", "b.csv", "--policy", "y", "c.csv"], {}),
        (["why", "a.csv", "--employee", "E1", "b.csv", "--date", "2026-11-03", "c.csv"], {}),
    ],
)
def test_inputs_may_come_after_and_between_options(
    argv: list[str], options: dict[str, str]
) -> None:
    """As an analyst pastes them: each input in its place, each option's value its own."""
    args = _parse(*argv)
    assert args.inputs == ["a.csv", "b.csv", "c.csv"]
    for name, value in options.items():
        assert getattr(args, name) == value
    if argv[0] == "diff":
        assert args.policy == ["x", "y"]
    if argv[0] == "check" and "--ruleset" in argv:
        assert args.rulesets == ["attendance"]


def test_the_arguments_of_test_and_rules_may_come_after_options() -> None:
    args = _parse("test", "a.yaml", "--rule", "ATT-LATE", "b.yaml", "-v", "c.yaml")
    assert args.samples == [Path("a.yaml"), Path("b.yaml"), Path("c.yaml")]
    assert (args.rules, args.verbose) == (["ATT-LATE"], True)
    args = _parse("rules", "--policy", "p.yaml", "ATT-LATE")
    assert (args.rule_id, args.policy) == ("ATT-LATE", Path("p.yaml"))
    assert _parse("schema", "rules").which == "rules"


def test_after_a_double_dash_every_token_is_an_input() -> None:
    """A file named like an option is given after ``--``: it is read, not taken as one."""
    args = _parse("check", "a.csv", "--period", "2026-11", "--", "--format", "json", "-b.csv")
    assert args.inputs == ["a.csv", "--format", "json", "-b.csv"]
    assert args.format == "table"
    args = _parse("check", "--strict", "--", "--strict")
    assert (args.inputs, args.strict) == (["--strict"], True)
    assert _parse("check", "a.csv", "--", "b.csv", "--", "c.csv").inputs == [
        "a.csv",
        "b.csv",
        "--",
        "c.csv",
    ]


def test_an_abbreviated_option_between_inputs_is_the_option() -> None:
    args = _parse("check", "a.csv", "--per", "2026-11", "b.csv")
    assert args.inputs == ["a.csv", "b.csv"]
    assert args.period == (dt.date(2026, 11, 1), dt.date(2026, 11, 30))


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["check", "a.csv", "--bogus", "b.csv"], "unrecognized arguments: --bogus b.csv"),
        (["check", "--period", "2026-11"], "the following arguments are required: INPUT"),
        (["check", "a.csv", "--period", "2026-13", "b.csv"], "'2026-13' is not a month"),
        (["check", "a.csv", "--type"], "argument --type: expected one argument"),
        (["check", "a.csv", "--type", "--", "b.csv"], "argument --type: expected one argument"),
        (["check", "a.csv", "--type=--"], "argument --type: expected one argument"),
        (["diff", "a.csv", "--policy=--", "--policy", "b"], "argument --policy: expected one"),
        (["check", "a.csv", "--format", "xml", "b.csv"], "argument --format: invalid choice"),
        (["score", "a.csv", "b.csv"], "the following arguments are required: --period"),
        (["score", "--period", "2026-11"], "the following arguments are required: INPUT"),
        (["diff", "a.csv"], "the following arguments are required: --policy"),
        (["why", "a.csv", "--date", "2026-11-03"], "required: --employee"),
        (["rules", "ATT-LATE", "extra"], "unrecognized arguments: extra"),
        (["schema", "bogus"], "argument which: invalid choice: 'bogus'"),
    ],
)
def test_a_command_line_argparse_refuses_exits_two_saying_why(
    capsys: pytest.CaptureFixture[str], argv: list[str], says: str
) -> None:
    err = _refused(capsys, *argv)
    assert says in err
    assert "usage: sales-policy" in err


def test_the_usage_of_a_refused_command_line_names_its_inputs(
    capsys: pytest.CaptureFixture[str],
) -> None:
    err = _refused(capsys, "score", "a.csv")
    assert "INPUT [INPUT ...]" in err


def test_a_check_of_inputs_around_its_options_is_the_check_of_them_first(
    capsys: pytest.CaptureFixture[str],
) -> None:
    first, *rest = INPUTS
    assert main(["check", *INPUTS, "--period", "2026-11", "--format", "jsonl"]) == 0
    expected = capsys.readouterr().out
    assert main(["check", first, "--period", "2026-11", *rest, "--format", "jsonl"]) == 0
    assert capsys.readouterr().out == expected
    argv = ["check", "--format", "jsonl", first, "--period", "2026-11", *rest]
    process = subprocess.run(  # the command reads inputs ahead (sales_policy.prefetch)
        [sys.executable, "-m", "sales_policy", *argv],
        capture_output=True,
        text=True,
    )
    assert (process.returncode, process.stdout) == (0, expected), process.stderr
    assert scan(argv) == (INPUTS, None)  # read ahead indeed
