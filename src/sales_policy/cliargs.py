"""The command line's grammar: the ``sales-policy`` commands, their arguments and options.

``sales_policy.cli`` runs what this parses; ``sales_policy.prefetch`` scans a ``check``
command line ahead of it, for the options listed here (a test holds the two together)."""

from __future__ import annotations

import argparse
import calendar as month_calendar
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .reports import FORMATS
from .rulesets import SEVERITIES


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (expected YYYY-MM-DD)") from None


def _encoding(text: str) -> str:
    """An encoding's name as ``mapping.text_encoding`` gives it; "" for UTF-8."""
    from .mapping import text_encoding

    try:
        return text_encoding(text) or ""
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _month(text: str) -> tuple[dt.date, dt.date]:
    try:
        first = dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a month (expected YYYY-MM)") from None
    return month_of(first)


def month_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last date of the calendar month of ``day``."""
    last = day.replace(day=month_calendar.monthrange(day.year, day.month)[1])
    return day.replace(day=1), last


class _CommandParser(argparse.ArgumentParser):
    """A command's parser whose arguments (the inputs) may come before, between and after its
    options, as in ``check a.csv --period 2026-11 b.csv``.

    As argparse's intermixed parsing: the options first, the arguments set aside, then the
    arguments.  Every token after ``--`` is an argument, however it looks (a file named
    ``--strict``): it is kept out of the first pass, which Python 3.11's own intermixed
    parsing does not do (it reads ``--format json`` after ``--`` as an option)."""

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        tokens = list(sys.argv[1:] if args is None else args)
        cut = tokens.index("--") if "--" in tokens else len(tokens)
        for token in tokens[:cut]:
            # Python 3.11's argparse reads the value of ``--type=--`` as [], not "--"
            name, equals, value = token.partition("=")
            if token.startswith("-") and equals and value == "--":
                self.error(f"argument {name}: expected one argument")
        actions = list(self._actions)
        saved = [(action, action.nargs, action.default, action.required) for action in actions]
        usage = self.usage
        try:
            # the usage of an error in the first pass names the arguments too
            self.usage = usage or self.format_usage().removeprefix("usage: ")
            for action in actions:
                if not action.option_strings:  # no argument read, none defaulted
                    action.nargs = action.default = argparse.SUPPRESS
            namespace, rest = super().parse_known_args(tokens[:cut], namespace)
            for action, nargs, default, _ in saved:
                action.nargs, action.default = nargs, default
                action.required = action.required and not action.option_strings
            return super().parse_known_args(rest + tokens[cut:], namespace)
        finally:
            for action, nargs, default, required in saved:
                action.nargs, action.default, action.required = nargs, default, required
            self.usage = usage


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sales-policy",
        description="Judge salespeople's records against the handbook's policy.",
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_CommandParser)
    check = commands.add_parser("check", help="check records and report findings")
    _add_inputs(check, policy=True, period=True)
    check.add_argument("--format", choices=FORMATS, default="table")
    check.add_argument("-o", "--output", type=Path, help="write the report here, not stdout")
    _add_judging(check)
    check.add_argument(
        "--lang",
        choices=("en", "zh"),
        default="en",
        help="language of the table's titles and messages, and of the notes and rejected rows "
        "said on standard error (json, jsonl and csv keep English data)",
    )
    rules = commands.add_parser("rules", help="list the rules, or explain one")
    rules.add_argument("rule_id", nargs="?", help="a rule id such as ATT-LATE")
    rules.add_argument("--policy", type=Path, help="a company policy file (YAML)")
    what_if = commands.add_parser(
        "diff", help="what a policy change would do: findings added, removed and changed"
    )
    what_if.add_argument(
        "--policy",
        action="append",
        required=True,
        metavar="FILE",
        help="give twice: the old policy, then the new one ('default' for the handbook's)",
    )
    _add_inputs(what_if, policy=False, period=True)
    what_if.add_argument("--format", choices=("table", "json"), default="table")
    what_if.add_argument("-o", "--output", type=Path, help="write the report here, not stdout")
    _add_accounting(what_if)
    scoring = commands.add_parser(
        "score", help="score each employee for a month, quarter or year (handbook 5, 9)"
    )
    _add_inputs(scoring, policy=True, period=False)
    scoring.add_argument(
        "--period", required=True, help="a month (2026-11), a quarter (2026-Q4) or a year (2026)"
    )
    scoring.add_argument("--format", choices=("table", "json", "csv"), default="table")
    scoring.add_argument("--explain", metavar="EMPLOYEE", help="what made one employee's numbers")
    scoring.add_argument(
        "--lang",
        choices=("en", "zh"),
        default="en",
        help="language of the score table, of the --explain breakdown with its notes, and of "
        "the notes said on standard error (json and csv keep English data)",
    )
    scoring.add_argument("-o", "--output", type=Path, help="write the report here, not stdout")
    _add_accounting(scoring)
    schema = commands.add_parser("schema", help="print a JSON Schema")
    schema.add_argument("which", choices=("rules", "records"))
    _add_report_parser(commands)
    _add_test_parser(commands)
    why = commands.add_parser(
        "why", help="why one employee's day was judged as it was: its facts, rules and findings"
    )
    _add_inputs(why, policy=True, period=True)
    why.add_argument("--employee", required=True, metavar="ID", help="the employee's id")
    why.add_argument("--date", required=True, type=_date, help="the local date, YYYY-MM-DD")
    why.add_argument("--lang", choices=("en", "zh"), default="en", help="language of the text")
    _add_accounting(why)
    return parser


def _add_inputs(parser: argparse.ArgumentParser, *, policy: bool, period: bool) -> None:
    """The options of every command that reads records: inputs, policy, mapping, period."""
    parser.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="JSONL, CSV, Parquet or Excel files (one record type a file or sheet)",
    )
    if policy:
        parser.add_argument("--policy", type=Path, help="a company policy file (YAML)")
    parser.add_argument(
        "--map",
        type=Path,
        metavar="FILE",
        help="a column mapping (YAML) for exports in another system's layout",
    )
    parser.add_argument(
        "--type", dest="record_type", help="the record type of inputs not named after one"
    )
    parser.add_argument(
        "--encoding",
        type=_encoding,
        metavar="NAME",
        help="the text encoding of CSV and JSONL inputs, e.g. gb18030 (default: UTF-8)",
    )
    if period:
        parser.add_argument("--from", dest="start", type=_date, help="first local date judged")
        parser.add_argument("--to", dest="end", type=_date, help="last local date judged")
        parser.add_argument("--period", type=_month, help="a calendar month, YYYY-MM")


def _add_accounting(parser: argparse.ArgumentParser) -> None:
    """Options of the commands that account for every row: where the rejected rows go, and
    whether any is an error."""
    parser.add_argument("--rejects", type=Path, help="write every rejected row here (CSV)")
    parser.add_argument("--strict", action="store_true", help="exit 2 if any row is rejected")


def _add_judging(parser: argparse.ArgumentParser) -> None:
    """Options of the commands that judge and report: rejects, exit status, rule sets."""
    _add_accounting(parser)
    parser.add_argument(
        "--fail-on",
        choices=SEVERITIES,
        help="exit 1 when a finding at or above this severity exists",
    )
    parser.add_argument(
        "--ruleset",
        action="append",
        dest="rulesets",
        metavar="NAME",
        help="report only this rule set's findings, those a whole check has of it: a rule "
        "counting another rule set's findings still counts them (repeatable)",
    )


def _add_report_parser(commands: Any) -> None:
    report = commands.add_parser(
        "report", help="write the report people read: one HTML page (or Markdown)"
    )
    _add_inputs(report, policy=True, period=True)
    report.add_argument("--format", choices=("html", "md"), default="html")
    report.add_argument("-o", "--output", type=Path, help="write the report here, not stdout")
    _add_judging(report)
    report.add_argument(
        "--lang", choices=("zh", "en"), default="zh", help="the language the report opens in"
    )


def _add_test_parser(commands: Any) -> None:
    test = commands.add_parser(
        "test", help="run the rules' worked examples (samples) against a policy, with coverage"
    )
    test.add_argument(
        "samples",
        nargs="*",
        type=Path,
        metavar="SAMPLES",
        help="sample files or folders of them (default: samples/<rule set>.yaml beside each "
        "rule file of the policy)",
    )
    test.add_argument("--policy", type=Path, help="a company policy file (YAML)")
    test.add_argument(
        "--rule",
        action="append",
        dest="rules",
        metavar="RULE_ID",
        help="run only the samples of this rule (repeatable)",
    )
    test.add_argument("--format", choices=("table", "json"), default="table")
    test.add_argument("-v", "--verbose", action="store_true", help="list the samples that hold too")
    test.add_argument(
        "--require-samples",
        action="store_true",
        help="exit 1 when a rule in force lacks a violating or a compliant sample",
    )
