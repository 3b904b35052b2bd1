"""The ``sales-policy`` command: check logs, explain rules, publish schemas.

Exit status: 0 when the run completes; 1 with ``--fail-on`` when a finding at or above that
severity exists; 2 for unusable input (a missing file, an invalid policy or rule file, a date
outside the calendar, no row accepted, or any row rejected under ``--strict``).
"""

from __future__ import annotations

import argparse
import calendar as month_calendar
import codecs
import contextlib
import csv
import datetime as dt
import io
import json
import os
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from .errors import SalesPolicyError
from .findings import CheckResult
from .findingtexts import Utf8Output
from .handbook import CLAUSES
from .outputs import replacing
from .policy import Policy, load_policy
from .reports import FORMATS, write_rejects, write_report
from .rulesets import SEVERITIES, rule_file_json_schema

if TYPE_CHECKING:
    from .prefetch import Prefetch
    from .rawframes import RawInputs
    from .scoring import Breakdown, Scores

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
    _add_inputs(check, policy=True, period=True)
    check.add_argument("--format", choices=FORMATS, default="table")
    check.add_argument("-o", "--output", type=Path, help="write the report here, not stdout")
    _add_judging(check)
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
    scoring = commands.add_parser(
        "score", help="score each employee for a month, quarter or year (handbook 5, 9)"
    )
    _add_inputs(scoring, policy=True, period=False)
    scoring.add_argument(
        "--period", required=True, help="a month (2026-11), a quarter (2026-Q4) or a year (2026)"
    )
    scoring.add_argument("--format", choices=("table", "json", "csv"), default="table")
    scoring.add_argument("--explain", metavar="EMPLOYEE", help="what made one employee's numbers")
    scoring.add_argument("-o", "--output", type=Path, help="write the report here, not stdout")
    schema = commands.add_parser("schema", help="print a JSON Schema")
    schema.add_argument("which", choices=("rules", "records"))
    _add_report_parser(commands)
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


@contextlib.contextmanager
def _report_output(target: Path | None) -> Iterator[IO[str]]:
    """Where a report goes: the file, or standard output.  Where "\n" is the line end and
    the text is UTF-8 (the file's always; standard output's when its encoding says so), a
    ``Utf8Output`` over its bytes, which the findings' lines are written to as polars holds
    them."""
    if os.linesep != "\n":  # the text streams translate "\n"
        if target is None:
            yield sys.stdout
        else:
            with replacing(target, newline=None) as out:
                yield out
        return
    if target is not None:
        with replacing(target, binary=True) as file, Utf8Output(file) as out:
            yield out
        return
    raw = getattr(sys.stdout, "buffer", None)
    if raw is None or codecs.lookup(sys.stdout.encoding or "ascii").name != "utf-8":
        yield sys.stdout
        return
    sys.stdout.flush()
    out = Utf8Output(raw)
    try:
        yield out
    finally:
        out.flush()
        out.detach()  # standard output stays open


def _write(text: str, target: Path | None) -> None:
    if target is None:
        sys.stdout.write(text)
    else:
        with replacing(target, newline=None) as out:
            out.write(text)


def run_check(args: argparse.Namespace) -> int:
    start, end = _period(args)
    progress = _Progress(args.inputs, sys.stderr)
    progress.step("loading the policy")
    policy = _mapped(load_policy(args.policy), args)
    progress.step("reading, validating, judging")
    read: RawInputs | None = None
    if args.prefetch is not None:
        read = args.prefetch.raw_inputs(args.inputs, args.record_type, policy.columns)
    result: CheckResult = policy.check(
        args.inputs if read is None else read,
        start,
        end,
        record_type=args.record_type,
        rulesets=args.rulesets,
    )
    progress.step("writing the report")
    if args.rejects:
        with replacing(args.rejects) as out:
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
    with _report_output(args.output) as out:
        write_report(result, args.format, out, lang=args.lang)
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
    from_facts = compiled.derivation_params()
    names = sorted(compiled.condition_params() | from_facts)
    if names:
        lines += ["", "parameters"]
        for name in names:
            param = declared[name]
            value = policy.params[name]
            changed = "" if value == param.default else f" (default {param.default!r})"
            where = f"  (read while deriving the {rule.facts} facts)" if name in from_facts else ""
            lines.append(
                f"  {name} = {value!r}{changed}  range {param.range_text() or 'any'}{where}"
            )
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


def _mapped(policy: Policy, args: argparse.Namespace) -> Policy:
    """The policy with the ``--map`` file's column mapping over its own ``columns``."""
    if args.map is None:
        return policy
    from dataclasses import replace

    from .mapping import load_mapping

    return replace(policy, columns=policy.columns.merged(load_mapping(args.map)))


def run_diff(args: argparse.Namespace) -> int:
    from .whatif import diff

    if len(args.policy) != 2:
        raise UsageError("give --policy twice: the old policy, then the new one")
    start, end = _period(args)
    old, new = (_mapped(_policy_argument(p), args) for p in args.policy)
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


def run_score(args: argparse.Namespace) -> int:
    from .findingtexts import safe_cell
    from .scoring import score

    policy = _mapped(load_policy(args.policy), args)
    scores = score(policy, args.inputs, args.period, record_type=args.record_type)
    counts = scores.check.counts
    if counts.accepted == 0:
        _rejects_hint(scores.check)
        raise UsageError(f"no row accepted ({counts.read} read, {counts.rejected} rejected)")
    if args.explain:
        breakdown = scores.breakdown(args.explain)
        text = (
            json.dumps(breakdown.to_dict(), ensure_ascii=False, indent=2, default=str) + "\n"
            if args.format == "json"
            else _explain_score(breakdown)
        )
    elif args.format == "json":
        document = {
            "period": {"name": scores.period, "start": str(scores.start), "end": str(scores.end)},
            "currency": scores.values.currency,
            "employees": scores.to_dicts(),
            "notes": [str(note) for note in scores.check.notes],
        }
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    elif args.format == "csv":
        frame = scores.frame
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(frame.columns)
        writer.writerows(
            [safe_cell(v) if isinstance(v, str) else "" if v is None else v for v in row]
            for row in frame.iter_rows()
        )
        text = out.getvalue()
    else:
        text = _score_table(scores)
    _write(text, args.output)
    if counts.rejected:
        sys.stderr.write(f"sales-policy: {counts.rejected} of {counts.read} rows rejected\n")
    return 0


def _number(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def _score_table(scores: Scores) -> str:
    """One line per employee: the main figures; --explain gives the rest."""
    frame = scores.frame
    shown: list[tuple[str, str, str]] = [
        ("employee", "employee_id", "s"),
        ("team", "team", "s"),
        ("net sales", "sales_value", ",.2f"),
        ("sales", "sales_achievement", ".0%"),
        ("cust.", "customers_achievement", ".0%"),
        ("satisf.", "satisfaction_value", ".1f"),
        ("growth", "growth_value", ".1%"),
        ("KPI", "kpi_score", ".2f"),
        *(
            (c.removeprefix("conduct_")[:4], c, ".0f")
            for c in frame.columns
            if c.startswith("conduct_") and c != "conduct_mean"
        ),
        ("overall", "overall", ".2f"),
        ("grade", "grade", "s"),
        ("commission", "commission", ",.2f"),
        ("bonus", "bonus_eligible", "s"),
        ("trip", "trip_eligible", "s"),
        ("rank", "rank", "d"),
    ]
    table = [[header for header, _, _ in shown]]
    for row in frame.iter_rows(named=True):
        cells = []
        for _, column, spec in shown:
            value = row.get(column)
            if isinstance(value, bool):
                value = "yes" if value else "no"
            cells.append("-" if value is None else format(value, spec))
        table.append(cells)
    widths = [max(len(line[i]) for line in table) for i in range(len(shown))]
    aligned = [
        [
            c.ljust(w) if i < 2 else c.rjust(w)
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        ]
        for r in table
    ]
    return (
        "\n".join(
            [
                f"{scores.period} ({scores.start} to {scores.end}), "
                f"amounts in {scores.values.currency}",
                "",
                *("  ".join(cells).rstrip() for cells in aligned),
                "",
                "sales, cust.: achievement against target; growth: against the previous period; "
                "rank: within the team; --explain EMPLOYEE for the breakdown",
            ]
        )
        + "\n"
    )


def _explain_score(breakdown: Breakdown) -> str:
    row, values = breakdown.score, breakdown.values
    grades = ", ".join(f"{name} >= {lowest:g}" for name, lowest in values.grades)
    lines = [
        f"{row.employee_id}  team {row.team or '-'}  {row.period}  amounts in {row.currency}",
        "",
    ]
    if row.overall is not None:
        lines.append(
            f"overall {row.overall:.2f} = {values.kpi_weight:g} x KPI {row.kpi_score:.2f} + "
            f"{values.conduct_weight:g} x mean conduct {row.conduct_mean:.2f}"
        )
        lines.append(
            f"grade   {row.grade} ({grades}); rank {row.rank} of {row.team_size} in the team"
        )
    lines += ["", f"KPI {_number(row.kpi_score)}: achievement capped at {values.cap:g}"]
    lines.append("  indicator     value         target        achievement  weight  share   points")
    for i in row.indicators:
        if i.reason is not None:
            lines.append(f"  {i.name:<12}  not computed: {i.reason}; weight {i.weight:g}")
            continue
        lines.append(
            f"  {i.name:<12}  {_number(i.value):>12}  {_number(i.target):>12}  "
            f"{_number(i.achievement, 4):>11}  {i.weight:>6g}  {i.effective_weight:>6.3f}  "
            f"{i.points:>6.2f}"
        )
    lines += ["", "months"]
    for m in breakdown.months.iter_rows(named=True):
        lines.append(
            f"  {m['period']}: net {_number(m['net_sales'])} = booked {_number(m['gross_sales'])}"
            f" - reversed {_number(m['reversed_sales'])}; target {_number(m['target_sales'])}; "
            f"new customers {m['new_customers']} {m['new_customer_ids']} of "
            f"{m['target_new_customers'] if m['target_new_customers'] is not None else '-'}; "
            f"{m['surveys']} surveys, satisfaction {_number(m['satisfaction'])}; previous "
            f"{m['previous_period']}: net {_number(m['previous_net_sales'])}; training "
            f"{m['trainings_on_time']} of {m['trainings_due']} on time"
        )
    lines += ["", "orders booked in the period"]
    for o in breakdown.orders.iter_rows(named=True):
        lines.append(
            f"  {o['date']}  {o['order_id']}  {o['customer_id']}  {o['status']:<9} "
            f"{_number(o['amount']):>12} {o['order_currency']}  "
            f"{'counted' if o['counted'] else 'not counted'}"
            f"{', won the customer' if o['won_customer'] else ''}  {o['source']}"
        )
    for t in breakdown.training.iter_rows(named=True):
        state = "on time" if t["completed_on_time"] else "overdue"
        lines.append(f"training {t['course']} due {t['required_by']}: {state}  {t['source']}")
    points = ", ".join(f"{name} {p:g}" for name, p in values.points.items())
    lines += ["", f"conduct: 100 less points per finding ({points}), at least 0"]
    for ruleset, value in row.conduct.items():
        found = [f for f in breakdown.findings if f.ruleset == ruleset]
        by_rule: dict[tuple[str, str], list[str]] = {}
        for f in found:
            by_rule.setdefault((f.rule_id, f.severity), []).append(str(f.date or f.period))
        detail = "; ".join(
            f"{rule} {severity} x{len(when)} -{values.points[severity] * len(when):g} "
            f"({', '.join(when[:5])}{', ...' if len(when) > 5 else ''})"
            for (rule, severity), when in by_rule.items()
        )
        lines.append(f"  {ruleset:<16} {value:6.2f}  {detail or 'no finding'}")
    tier = next((t for t in values.tiers if t.name == row.commission_tier), None)
    lines.append("")
    if tier is not None and row.commission is not None:
        upper = "" if tier.upper is None else f"{tier.upper:g}"
        lines.append(
            f"commission {_number(row.commission)} = {tier.rate:g} x net sales "
            f"(tier {tier.name}: {values.commission_basis} achievement {tier.lower:g} to {upper})"
        )
    lines.append(f"bonus      {'eligible' if row.bonus_eligible else 'not eligible'}")
    lines.append(
        f"trip       {'eligible' if row.trip_eligible else 'not eligible'} (grade "
        f"{values.trip_min_grade} or better, in the top {values.trip_top_percent:g}% of the team)"
    )
    lines += ["", *(f"note: {note}" for note in row.notes)]
    return "\n".join(lines) + "\n"


def run_schema(args: argparse.Namespace) -> int:
    # The record models import pydantic, which no other command needs (~70 ms a run).
    from .records import records_json_schema

    schema: dict[str, Any] = (
        rule_file_json_schema() if args.which == "rules" else records_json_schema()
    )
    sys.stdout.write(json.dumps(schema, ensure_ascii=False, indent=2) + "\n")
    return 0


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
    if period:
        parser.add_argument("--from", dest="start", type=_date, help="first local date judged")
        parser.add_argument("--to", dest="end", type=_date, help="last local date judged")
        parser.add_argument("--period", type=_month, help="a calendar month, YYYY-MM")


def _add_judging(parser: argparse.ArgumentParser) -> None:
    """Options of the commands that judge and report: rejects, exit status, rule sets."""
    parser.add_argument("--rejects", type=Path, help="write every rejected row here (CSV)")
    parser.add_argument(
        "--fail-on",
        choices=SEVERITIES,
        help="exit 1 when a finding at or above this severity exists",
    )
    parser.add_argument("--strict", action="store_true", help="exit 2 if any row is rejected")
    parser.add_argument(
        "--ruleset", action="append", dest="rulesets", help="judge only this rule set (repeatable)"
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


def run_report(args: argparse.Namespace) -> int:
    from .htmlreport import render_html
    from .mdreport import render_markdown

    start, end = _period(args)
    policy = _mapped(load_policy(args.policy), args)
    result = policy.check(
        args.inputs, start, end, record_type=args.record_type, rulesets=args.rulesets
    )
    if args.rejects:
        with replacing(args.rejects) as out:
            write_rejects(result.rejects, out)
    counts = result.counts
    if counts.accepted == 0:
        _rejects_hint(result)
        raise UsageError(f"no row accepted ({counts.read} read, {counts.rejected} rejected)")
    if args.strict and counts.rejected:
        _rejects_hint(result)
        raise UsageError(f"{counts.rejected} of {counts.read} rows rejected (--strict)")
    scores = None
    assessed = result.facts.get("assessment_month")
    if assessed is not None and not assessed.is_empty() and args.period and not args.rulesets:
        from .scoring import score

        # Scores need the whole month; scoring checks the records again for it.
        scored = score(
            policy, args.inputs, args.period[0].strftime("%Y-%m"), record_type=args.record_type
        )
        result, scores = scored.check, (scored.frame if len(scored) else None)
    employees = result.employees
    render = render_html if args.format == "html" else render_markdown
    titles = {ruleset.name: ruleset.title for ruleset in policy.rulesets}
    text = render(result, lang=args.lang, employees=employees, scores=scores, ruleset_titles=titles)
    _write(text, args.output)
    if counts.rejected:
        sys.stderr.write(
            f"sales-policy: {counts.rejected} of {counts.read} rows rejected"
            f"{'' if args.rejects else ' (--rejects FILE lists them)'}\n"
        )
    worst = result.worst_severity()
    if args.fail_on and worst is not None:
        return int(SEVERITIES.index(worst) >= SEVERITIES.index(args.fail_on))
    return 0


def main(argv: Sequence[str] | None = None, *, prefetch: Prefetch | None = None) -> int:
    """The command; ``prefetch``: a check's inputs read ahead (``sales_policy.prefetch``),
    used when they are those of this command line."""
    args = _parser().parse_args(argv)
    args.prefetch = prefetch
    handlers = {
        "check": run_check,
        "rules": run_rules,
        "schema": run_schema,
        "diff": run_diff,
        "score": run_score,
        "report": run_report,
    }
    try:
        return handlers[args.command](args)
    except (SalesPolicyError, UsageError) as exc:
        sys.stderr.write(f"sales-policy: error: {exc}\n")
        return 2
    except BrokenPipeError:
        raise  # not the input's fault: the command's entry (``console``) ends quietly
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        sys.stderr.write(f"sales-policy: error: {where}{exc.strerror or exc}\n")
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
