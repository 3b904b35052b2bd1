"""The ``sales-policy`` command: check logs, explain rules, publish schemas.

Exit status: 0 when the run completes; 1 with ``--fail-on`` when a finding at or above that
severity exists; 2 for unusable input (a missing file, an invalid policy or rule file, a date
outside the calendar, no row accepted, or any row rejected under ``--strict``).
"""

from __future__ import annotations

import argparse
import calendar as month_calendar
import datetime as dt
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from .errors import SalesPolicyError
from .findings import CheckResult
from .handbook import CLAUSES
from .policy import Policy, load_policy
from .records import records_json_schema
from .reports import FORMATS, render, write_rejects
from .rulesets import SEVERITIES, rule_file_json_schema

PROGRESS_BYTES = 20_000_000


class UsageError(Exception):
    """A command-line problem: printed, exit 2."""


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (expected YYYY-MM-DD)") from None


def _month(text: str) -> tuple[dt.date, dt.date]:
    try:
        first = dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a month (expected YYYY-MM)") from None
    last = first.replace(day=month_calendar.monthrange(first.year, first.month)[1])
    return first, last


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sales-policy",
        description="Judge salespeople's records against the handbook's policy.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="check records and report findings")
    check.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="JSONL, CSV or Parquet files (CSV/Parquet: one record type a file)",
    )
    check.add_argument("--policy", type=Path, help="a company policy file (YAML)")
    check.add_argument("--from", dest="start", type=_date, help="first local date judged")
    check.add_argument("--to", dest="end", type=_date, help="last local date judged")
    check.add_argument("--period", type=_month, help="a calendar month, YYYY-MM")
    check.add_argument("--format", choices=FORMATS, default="table")
    check.add_argument("-o", "--output", type=Path, help="write the report here, not stdout")
    check.add_argument("--rejects", type=Path, help="write every rejected row here (CSV)")
    check.add_argument(
        "--fail-on",
        choices=SEVERITIES,
        help="exit 1 when a finding at or above this severity exists",
    )
    check.add_argument("--strict", action="store_true", help="exit 2 if any row is rejected")
    check.add_argument(
        "--type",
        dest="record_type",
        help="the record type of CSV/Parquet inputs not named after one",
    )
    check.add_argument(
        "--ruleset", action="append", dest="rulesets", help="judge only this rule set (repeatable)"
    )
    check.add_argument(
        "--lang",
        choices=("en", "zh"),
        default="en",
        help="language of the table's titles and messages",
    )
    rules = commands.add_parser("rules", help="list the rules, or explain one")
    rules.add_argument("rule_id", nargs="?", help="a rule id such as ATT-LATE")
    rules.add_argument("--policy", type=Path, help="a company policy file (YAML)")
    what_if = commands.add_parser(
        "diff", help="what a policy change would do: findings added, removed and changed"
    )
    what_if.add_argument("inputs", nargs="+", metavar="INPUT")
    what_if.add_argument(
        "--policy",
        action="append",
        required=True,
        metavar="FILE",
        help="give twice: the old policy, then the new one ('default' for the handbook's)",
    )
    what_if.add_argument("--from", dest="start", type=_date, help="first local date judged")
    what_if.add_argument("--to", dest="end", type=_date, help="last local date judged")
    what_if.add_argument("--period", type=_month, help="a calendar month, YYYY-MM")
    what_if.add_argument("--format", choices=("table", "json"), default="table")
    what_if.add_argument("-o", "--output", type=Path, help="write the report here, not stdout")
    what_if.add_argument("--type", dest="record_type", help="the record type of unnamed inputs")
    schema = commands.add_parser("schema", help="print a JSON Schema")
    schema.add_argument("which", choices=("rules", "records"))
    return parser


class _Progress:
    """Stage-by-stage progress on stderr, for inputs large enough to wait for."""

    def __init__(self, inputs: Sequence[str], stream: IO[str]) -> None:
        size = sum(Path(p).stat().st_size for p in inputs if Path(p).is_file())
        self.stream = stream
        self.enabled = stream.isatty() and size >= PROGRESS_BYTES
        self.started = time.perf_counter()

    def step(self, text: str) -> None:
        if self.enabled:
            elapsed = time.perf_counter() - self.started
            self.stream.write(f"\r[{elapsed:6.1f}s] {text:<40}")
            self.stream.flush()

    def done(self) -> None:
        if self.enabled:
            self.stream.write("\n")


def _period(args: argparse.Namespace) -> tuple[dt.date | None, dt.date | None]:
    if args.period and (args.start or args.end):
        raise UsageError("give either --period or --from/--to, not both")
    if args.period:
        first, last = args.period
        return first, last
    return args.start, args.end


def _write(text: str, target: Path | None) -> None:
    if target is None:
        sys.stdout.write(text)
    else:
        target.write_text(text, encoding="utf-8")


def run_check(args: argparse.Namespace) -> int:
    start, end = _period(args)
    progress = _Progress(args.inputs, sys.stderr)
    progress.step("loading the policy")
    policy = load_policy(args.policy)
    progress.step("reading, validating, judging")
    result: CheckResult = policy.check(
        args.inputs, start, end, record_type=args.record_type, rulesets=args.rulesets
    )
    progress.step("writing the report")
    if args.rejects:
        with args.rejects.open("w", encoding="utf-8", newline="") as out:
            write_rejects(result.rejects, out)
    counts = result.counts
    if counts.accepted == 0:
        progress.done()
        _rejects_hint(result)
        raise UsageError(f"no row accepted ({counts.read} read, {counts.rejected} rejected)")
    if args.strict and counts.rejected:
        progress.done()
        _rejects_hint(result)
        raise UsageError(f"{counts.rejected} of {counts.read} rows rejected (--strict)")
    _write(render(result, args.format, lang=args.lang), args.output)
    progress.done()
    if args.format != "table" and counts.rejected:
        sys.stderr.write(
            f"sales-policy: {counts.rejected} of {counts.read} rows rejected"
            f"{'' if args.rejects else ' (--rejects FILE lists them)'}\n"
        )
    if args.fail_on:
        threshold = SEVERITIES.index(args.fail_on)
        worst = result.worst_severity()
        if worst is not None and SEVERITIES.index(worst) >= threshold:
            return 1
    return 0


def _rejects_hint(result: CheckResult) -> None:
    for row in result.rejects.head(5).iter_rows(named=True):
        field = f" {row['field']}:" if row["field"] else ""
        sys.stderr.write(f"  {row['source']}:{row['line']}{field} {row['reason']}\n")


def _explain(policy: Policy, rule_id: str) -> str:
    rule = policy.rule(rule_id)
    compiled = next(c for c in policy.compiled if c.rule.rule_id == rule_id)
    declared = policy.declared_params()
    lines = [
        f"{rule.rule_id}  {rule.title.en} / {rule.title.zh}",
        f"rule set   {rule.ruleset}    severity {rule.severity}    facts {rule.facts}"
        + ("    (disabled by the policy)" if rule_id in policy.disabled else ""),
        f"defined at {rule.path}:{rule.line}",
        "",
        "when",
        f"  {rule.when}",
    ]
    if compiled.condition.params:
        lines += ["", "parameters"]
        for name in sorted(compiled.condition.params):
            param = declared[name]
            value = policy.params[name]
            changed = "" if value == param.default else f" (default {param.default!r})"
            lines.append(f"  {name} = {value!r}{changed}  range {param.range_text() or 'any'}")
            lines.append(f"      {param.doc.en}")
    lines += ["", "handbook"]
    for clause_id in rule.clauses:
        clause = CLAUSES[clause_id]
        lines.append(f"  {clause_id} {clause.title_zh} — {clause.title_en}")
        if clause.text_zh != clause.title_zh:
            lines.append(f"      {clause.text_zh}")
        lines.append(f"      {clause.text_en}")
    lines += [f"  {ref}" for ref in rule.references]
    lines += [
        "",
        f"evidence   {', '.join(rule.evidence) or '-'}",
        f"message    {rule.message.en}",
        f"           {rule.message.zh}",
        f"docs       docs/rules/{rule.rule_id}.md",
    ]
    return "\n".join(lines) + "\n"


def run_rules(args: argparse.Namespace) -> int:
    policy = load_policy(args.policy)
    if args.rule_id:
        sys.stdout.write(_explain(policy, args.rule_id))
        return 0
    width = max(len(r.rule_id) for r in policy.all_rules())
    for rule in policy.all_rules():
        refs = ",".join(rule.clauses) or "law"
        off = "  (disabled)" if rule.rule_id in policy.disabled else ""
        sys.stdout.write(
            f"{rule.rule_id:<{width}}  {rule.severity:<8}  {refs:<8}  "
            f"{rule.title.en} / {rule.title.zh}{off}\n"
        )
    return 0


def _policy_argument(text: str) -> Policy:
    return load_policy(None if text == "default" else Path(text))


def run_diff(args: argparse.Namespace) -> int:
    from .whatif import diff

    if len(args.policy) != 2:
        raise UsageError("give --policy twice: the old policy, then the new one")
    start, end = _period(args)
    old, new = (_policy_argument(p) for p in args.policy)
    change = diff(old, new, args.inputs, start, end, record_type=args.record_type)
    if args.format == "json":
        _write(json.dumps(change.to_dict(), ensure_ascii=False, indent=2) + "\n", args.output)
        return 0
    lines = [
        f"old      {args.policy[0]}: {len(change.old)} findings",
        f"new      {args.policy[1]}: {len(change.new)} findings",
        f"change   +{len(change.added)} added, -{len(change.removed)} removed, "
        f"~{len(change.changed)} changed",
    ]
    counts = change.counts()
    if not counts.is_empty():
        width = max(len(r) for r in counts.get_column("rule_id").to_list())
        lines += ["", f"{'rule':<{width}}  employee  added  removed  changed"]
        for row in counts.iter_rows(named=True):
            lines.append(
                f"{row['rule_id']:<{width}}  {row['employee_id']:<8}  "
                f"{row['added']:>5}  {row['removed']:>7}  {row['changed']:>7}"
            )
    for sign, findings in (("+", change.added), ("-", change.removed)):
        for f in findings[:20]:
            lines.append(
                f"{sign} {f.employee_id}  {f.date or f.period}  {f.rule_id}  {f.message.en}"
            )
    for c in change.changed[:20]:
        lines.append(
            f"~ {c.after.employee_id}  {c.after.date or c.after.period}  "
            f"{c.after.rule_id}  {c.before.message.en} -> {c.after.message.en}"
        )
    _write("\n".join(lines) + "\n", args.output)
    return 0


def run_schema(args: argparse.Namespace) -> int:
    schema: dict[str, Any] = (
        rule_file_json_schema() if args.which == "rules" else records_json_schema()
    )
    sys.stdout.write(json.dumps(schema, ensure_ascii=False, indent=2) + "\n")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    handlers = {"check": run_check, "rules": run_rules, "schema": run_schema, "diff": run_diff}
    try:
        return handlers[args.command](args)
    except (SalesPolicyError, UsageError) as exc:
        sys.stderr.write(f"sales-policy: error: {exc}\n")
        return 2
    except OSError as exc:
        sys.stderr.write(f"sales-policy: error: {exc.filename or ''}: {exc.strerror}\n")
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
