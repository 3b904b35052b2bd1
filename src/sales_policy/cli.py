"""The ``sales-policy`` command: check logs, explain rules, publish schemas.

Exit status: 0 when the run completes; 1 with ``--fail-on`` when a finding at or above that
severity exists; 2 for unusable input (a missing file, an invalid policy or rule file, a date
outside the calendar, no row accepted, or any row rejected under ``--strict``).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .callerwords import on_command_line
from .cliaccounting import (
    UsageError,
    account,
    is_standard_output,
    say_notes,
    say_rejected,
    say_unjudged,
)
from .cliargs import build_parser, month_of
from .errors import PolicyError, SalesPolicyError
from .findings import CheckResult
from .outputs import STDOUT, Progress, naming, report_output, write_text
from .policy import Policy, load_policy
from .reports import summary, write_report
from .rulesets import SEVERITIES
from .termtext import display_width, ljust, one_line, terminal_text
from .timetext import month_text

if TYPE_CHECKING:
    from .prefetch import Prefetch
    from .rawframes import RawInputs


def _period(args: argparse.Namespace) -> tuple[dt.date | None, dt.date | None]:
    if args.period and (args.start or args.end):
        raise UsageError("give either --period or --from/--to, not both")
    if args.period:
        first, last = args.period
        return first, last
    return args.start, args.end


def run_check(args: argparse.Namespace) -> int:
    start, end = _period(args)
    progress = Progress(args.inputs, sys.stderr)
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
    progress.done()  # before anything else is written to the terminal
    account(result, args)
    with report_output(args.output) as out:
        write_report(result, args.format, out, lang=args.lang)
    if args.format != "table":
        say_rejected(result, args)
        say_notes(result, inputs=args.format in ("jsonl", "csv"), lang=args.lang)
        say_unjudged(result, findings_alone=args.format in ("jsonl", "csv"))
    if args.fail_on:
        threshold = SEVERITIES.index(args.fail_on)
        worst = result.worst_severity()
        if worst is not None and SEVERITIES.index(worst) >= threshold:
            return 1
    return 0


def run_rules(args: argparse.Namespace) -> int:
    policy = load_policy(args.policy)
    if args.rule_id:
        from .ruleexplain import explain_rule

        write_text(terminal_text(explain_rule(policy, args.rule_id)), None)
        return 0
    width = max(len(r.rule_id) for r in policy.all_rules())
    lines = []
    for rule in policy.all_rules():
        refs = rule.citation
        off = "  (disabled)" if rule.rule_id in policy.disabled else ""
        lines.append(
            f"{rule.rule_id:<{width}}  {rule.severity:<8}  {refs:<8}  "
            f"{rule.title.en} / {rule.title.zh}{off}\n"
        )
    write_text(terminal_text("".join(lines)), None)
    return 0


def _policy_argument(text: str) -> Policy:
    return load_policy(None if text == "default" else Path(text))


def _mapped(policy: Policy, args: argparse.Namespace) -> Policy:
    """The policy with the ``--map`` file's column mapping over its own ``columns``; a usage
    error when ``-o`` or ``--rejects`` names one of its rule files (``rule_files``)."""
    _check_outputs(args, [Path(ruleset.path) for ruleset in policy.rulesets])
    encoding = getattr(args, "encoding", None)
    if args.map is None and encoding is None:
        return policy
    from dataclasses import replace

    from .mapping import load_mapping

    columns = policy.columns if args.map is None else policy.columns.merged(load_mapping(args.map))
    if encoding is not None:  # over the policy's and the mapping's; UTF-8 is ""
        columns = replace(columns, encoding=encoding or None)
    return replace(policy, columns=columns)


def run_diff(args: argparse.Namespace) -> int:
    from .whatif import diff

    if len(args.policy) != 2:
        raise UsageError("give --policy twice: the old policy, then the new one")
    start, end = _period(args)
    old, new = (_mapped(_policy_argument(p), args) for p in args.policy)
    change = diff(old, new, args.inputs, start, end, record_type=args.record_type)
    account(change.old, args)  # the rows are the same under both policies
    say_rejected(change.old, args)
    if args.format == "json":
        write_text(json.dumps(change.to_dict(), ensure_ascii=False, indent=2) + "\n", args.output)
        return 0
    lines = [
        f"old      {one_line(args.policy[0])}: {len(change.old)} findings",
        f"new      {one_line(args.policy[1])}: {len(change.new)} findings",
        f"change   +{len(change.added)} added, -{len(change.removed)} removed, "
        f"~{len(change.changed)} changed",
    ]
    counts = change.counts()
    if not counts.is_empty():
        # as a terminal shows them: escapes for what it would act on, a wide character twice
        rows = [
            (one_line(rule_id), one_line(employee_id), added, removed, changed)
            for rule_id, employee_id, added, removed, changed in counts.select(
                "rule_id", "employee_id", "added", "removed", "changed"
            ).iter_rows()
        ]
        width = max(display_width(row[0]) for row in rows)
        who = max(display_width("employee"), *(display_width(row[1]) for row in rows))
        lines += ["", f"{ljust('rule', width)}  {ljust('employee', who)}  added  removed  changed"]
        for rule_id, employee_id, added, removed, changed in rows:
            lines.append(
                f"{ljust(rule_id, width)}  {ljust(employee_id, who)}  "
                f"{added:>5}  {removed:>7}  {changed:>7}"
            )
    for sign, findings in (("+", change.added), ("-", change.removed)):
        for f in findings[:20]:
            lines.append(
                f"{sign} {one_line(f.employee_id)}  {f.date or f.period}  {f.rule_id}  "
                f"{one_line(f.message.en)}"
            )
    for c in change.changed[:20]:
        lines.append(
            f"~ {one_line(c.after.employee_id)}  {c.after.date or c.after.period}  "
            f"{c.after.rule_id}  {one_line(c.before.message.en)} -> {one_line(c.after.message.en)}"
        )
    write_text(terminal_text("\n".join(lines) + "\n"), args.output)
    return 0


def run_score(args: argparse.Namespace) -> int:
    from .scoreexplain import explain_score
    from .scoretext import exact_json, score_csv, score_table
    from .scoring import score

    if args.explain is not None and args.format == "csv":  # before the inputs are read
        raise UsageError(
            "--explain gives one employee's breakdown as a table or as json, not as csv: "
            "give --format table or json (--format csv without --explain for every employee)"
        )
    policy = _mapped(load_policy(args.policy), args)
    scores = score(policy, args.inputs, args.period, record_type=args.record_type)
    account(scores.check, args)
    if args.explain:
        breakdown = scores.breakdown(args.explain)
        text = (
            exact_json(breakdown.to_dict(exact=True))
            if args.format == "json"
            else terminal_text(explain_score(breakdown, lang=args.lang))
        )
    elif args.format == "json":
        document = {
            "period": {"name": scores.period, "start": str(scores.start), "end": str(scores.end)},
            "currency": scores.values.currency,
            # the rows read, as a check accounts for them: read = accepted + rejected, by file
            "counts": summary(scores.check)["counts"],
            # amounts as numbers of every digit (exact_json), not the nearest floats
            "employees": scores.to_dicts(exact=True),
            "notes": [str(note) for note in scores.check.notes],
            "note_kinds": [getattr(note, "kind", "") for note in scores.check.notes],
        }
        text = exact_json(document)
    elif args.format == "csv":
        text = score_csv(scores)
    else:
        text = terminal_text(score_table(scores, lang=args.lang))
    write_text(text, args.output)
    say_rejected(scores.check, args)
    say_notes(scores.check, inputs=args.format != "json", lang=args.lang)
    return 0


def run_schema(args: argparse.Namespace) -> int:
    # The record models import pydantic, which no other command needs (~70 ms a run).
    from .recordschema import records_json_schema
    from .ruleschema import rule_file_json_schema

    schema: dict[str, Any] = (
        rule_file_json_schema() if args.which == "rules" else records_json_schema()
    )
    write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", None)
    return 0


def run_report(args: argparse.Namespace) -> int:
    from .htmlreport import render_html
    from .mdreport import render_markdown

    start, end = _period(args)
    policy = _mapped(load_policy(args.policy), args)
    result = policy.check(
        args.inputs, start, end, record_type=args.record_type, rulesets=args.rulesets
    )
    account(result, args)
    scores = None
    assessed = result.facts.get("assessment_month")
    has_assessment = assessed is not None and not assessed.is_empty()
    # Scores are a whole month's and count the findings of every rule set: where the page
    # can have none, standard error says why.
    if has_assessment and args.rulesets:
        sys.stderr.write(
            "sales-policy: the report has no scores: they count the findings of every rule "
            "set, and --ruleset checks some only\n"
        )
    elif has_assessment and not args.period:
        sys.stderr.write(
            "sales-policy: the report has no scores: they are a whole month's; give the month "
            "as --period YYYY-MM\n"
        )
    elif has_assessment:
        from .scoring import score

        # Scores need the whole month; scoring checks the records again for it.
        try:
            scored = score(
                policy, args.inputs, month_text(args.period[0]), record_type=args.record_type
            )
        except PolicyError as exc:  # amounts in a currency without a rate: no net sales
            sys.stderr.write(f"sales-policy: the report has no scores: {terminal_text(str(exc))}\n")
        else:
            result, scores = scored.check, scored
    employees = result.employees
    render = render_html if args.format == "html" else render_markdown
    titles = {ruleset.name: ruleset.title for ruleset in policy.rulesets}
    text = render(result, lang=args.lang, employees=employees, scores=scores, ruleset_titles=titles)
    write_text(text, args.output)
    say_rejected(result, args)
    worst = result.worst_severity()
    if args.fail_on and worst is not None:
        return int(SEVERITIES.index(worst) >= SEVERITIES.index(args.fail_on))
    return 0


def run_why(args: argparse.Namespace) -> int:
    from .dayexplain import explain_day

    start, end = _period(args)
    if start is None and end is None:  # the day's month: its month-grain facts whole
        start, end = month_of(args.date)
    policy = _mapped(load_policy(args.policy), args)
    result = policy.check(args.inputs, start, end, record_type=args.record_type)
    account(result, args)
    write_text(explain_day(policy, result, args.employee, args.date, lang=args.lang), None)
    say_rejected(result, args)
    return 0


def run_test(args: argparse.Namespace) -> int:
    from .sampleruns import run_samples_command

    return run_samples_command(args)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet)
        return a.resolve() == b.resolve()


def _check_outputs(args: argparse.Namespace, rule_files: Sequence[Path] = ()) -> None:
    """Refuse to write a report over a file the command reads, or both reports to one file:
    ``-o punches.csv`` for ``-o report.csv`` would replace the month's punches.  Checked
    before anything is read, and again with a policy's rule files once it is loaded.  ``-``
    is standard output (``-o -`` is taken as no ``-o`` by ``main``), which only one of them
    may have."""
    policies = getattr(args, "policy", None)
    if not isinstance(policies, list):
        policies = [policies]
    read = [
        *(Path(p) for p in getattr(args, "inputs", [])),
        *(Path(p) for p in policies if p is not None and str(p) != "default"),
        *([args.map] if getattr(args, "map", None) is not None else []),
        *rule_files,
    ]
    if is_standard_output(getattr(args, "rejects", None)) and getattr(args, "output", None) is None:
        raise UsageError(
            "--rejects - and the report would both go to standard output: "
            "give one of them a file (-o FILE or --rejects FILE)"
        )
    written = [
        (option, Path(target))
        for option, target in (
            ("-o", getattr(args, "output", None)),
            ("--rejects", getattr(args, "rejects", None)),
        )
        if target is not None and not is_standard_output(target)
    ]
    for option, target in written:
        for source in read:
            if _same_file(target, source):
                same = "" if str(target) == str(source) else f" ({source})"
                raise UsageError(
                    f"{option} {target} is a file this command reads{same}: "
                    "write the report to another file"
                )
    if len(written) == 2 and _same_file(written[0][1], written[1][1]):
        raise UsageError(f"-o and --rejects both name {written[0][1]}: give each its own file")


def main(argv: Sequence[str] | None = None, *, prefetch: Prefetch | None = None) -> int:
    """The command; ``prefetch``: a check's inputs read ahead (``sales_policy.prefetch``),
    used when they are those of this command line."""
    args = build_parser().parse_args(argv)
    args.prefetch = prefetch
    if is_standard_output(getattr(args, "output", None)):
        args.output = None  # ``-o -``: standard output, as without -o
    handlers = {
        "check": run_check,
        "rules": run_rules,
        "schema": run_schema,
        "diff": run_diff,
        "score": run_score,
        "report": run_report,
        "test": run_test,
        "why": run_why,
    }
    try:
        _check_outputs(args)
        # a command reading inputs checks them as its options say: messages name those
        # options, not Python's arguments (``sales-policy test`` checks samples' own)
        takes = vars(args)  # the command's options, by argparse's names for them
        words = on_command_line(takes) if "inputs" in takes else contextlib.nullcontext()
        with words:
            status = handlers[args.command](args)
        with naming(STDOUT):
            sys.stdout.flush()
        return status
    except (SalesPolicyError, UsageError) as exc:
        sys.stderr.write(f"sales-policy: error: {terminal_text(str(exc))}\n")
        return 2
    except BrokenPipeError:
        raise  # not the input's fault: the command's entry (``console``) ends quietly
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        text = terminal_text(f"{where}{exc.strerror or exc}")
        sys.stderr.write(f"sales-policy: error: {text}\n")
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
