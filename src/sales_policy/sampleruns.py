"""``sales-policy test``: every worked example (sample) of a policy's rules run against it, and
which rules in force lack one.

A policy owner who tunes a threshold or adds a rule file sees, before the change goes live,
each sample it breaks and why (docs/rule-files.md, "Samples"), as ``opa test`` shows a
policy's failing tests.  With no sample file named, the samples of every rule set of the
policy are run: ``samples/<rule set>.yaml`` beside each rule file (``sample_file_of``), the
handbook's and the company's alike.  Coverage is counted over the rules in force of the rule
sets whose samples ran (a rule set whose sample file is absent or empty counts all its rules
uncovered), or with ``--rule`` over the rules named: a rule is covered by at least one
``violating`` and one ``compliant`` sample.

Exit status: 0 when every sample run holds; 1 when one does not (or, with
``--require-samples``, when a rule in force is not covered); 2 for unusable input (a missing
or malformed sample file, a sample of a rule the policy does not have).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .calendar import WEEKDAY_NAMES, Schedule
from .errors import InvalidArgument, RuleFileError, SalesPolicyError, suggest
from .outputs import write_text
from .policy import Policy, default_rule_dir, load_policy
from .samples import (
    KINDS,
    Sample,
    read_sample_file,
    sample_file_of,
    sample_problem,
    unusable,
)
from .termtext import terminal_text

PASSED, FAILED, SKIPPED, CHANGED = "passed", "failed", "skipped", "changed"
STATUSES = (PASSED, FAILED, CHANGED, SKIPPED)


@dataclass(frozen=True)
class Outcome:
    """What became of one sample: passed; failed (``problem`` says why); changed (one of
    the handbook's samples that holds under the handbook's policy, not under this one: the
    policy's own change, not a fault); or skipped (the policy disables its rule)."""

    sample: Sample
    status: str
    problem: str | None = None


@dataclass(frozen=True)
class SampleRun:
    """The outcome of every sample of ``files``, in file order; ``uncovered``: each rule in
    force of the rule sets tested that lacks a kind of sample, with the kinds it lacks;
    ``missing``: sample files looked for (no file named) and not found."""

    files: list[str]
    outcomes: list[Outcome]
    uncovered: list[tuple[str, list[str]]]
    missing: list[str]
    covered: int
    #: the parameters the policy sets apart from their rule files' defaults: (name, default,
    #: value); a sample written for the defaults may not hold with them
    changed: list[tuple[str, Any, Any]]
    #: the rest the policy sets otherwise than the handbook (timezone, schedule, calendar,
    #: rules disabled), as texts
    departures: list[str] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(outcome.status == status for outcome in self.outcomes)


def sample_files(policy: Policy, given: Sequence[Path]) -> tuple[list[Path], list[Path]]:
    """The sample files to run, and those looked for but absent: the files ``given`` (a
    folder gives its ``*.yaml``, sorted), else each rule set's (``sample_file_of``)."""
    if given:
        files: list[Path] = []
        for path in given:
            if path.is_dir():
                found = sorted(p for p in path.glob("*.yaml") if p.is_file())
                if not found:
                    raise RuleFileError("the folder holds no sample file (*.yaml)", path=path)
                files.extend(found)
            else:
                files.append(path)
        return list(dict.fromkeys(files)), []
    expected = [sample_file_of(ruleset) for ruleset in policy.rulesets]
    return [p for p in expected if p.is_file()], [p for p in expected if not p.is_file()]


def run_samples(
    policy: Policy,
    files: Sequence[Path],
    missing: Sequence[Path] = (),
    *,
    rules: Sequence[str] = (),
) -> SampleRun:
    """Run every sample of ``files`` against ``policy`` (of ``rules`` only, when given:
    coverage is then theirs, and the files listed those that have a sample of one).  A
    sample file of a rule set the policy does not have, or at the place of another rule
    set's, or a sample of a rule the policy does not have (``unusable``), is a
    ``RuleFileError`` at its file and line, and a rule of ``rules`` it does not have an
    ``InvalidArgument``: they could never be checked."""
    read = [read_sample_file(path) for path in files]
    # the rule set each sample file is the place of (``sample_file_of``), found or not: an
    # empty one tests its rule set as much as an absent one
    places = {sample_file_of(rs).resolve(): rs.name for rs in policy.rulesets}
    for path, sample_file in zip(files, read, strict=True):
        # a rule set of the policy other than its place's: the fault of its ruleset:, not of
        # each sample of its place's rules (which would be told to go where they are)
        place = places.get(path.resolve())
        ours = sample_file.ruleset in places.values()
        if place is not None and place != sample_file.ruleset and ours:
            raise RuleFileError(
                f"ruleset {sample_file.ruleset!r}: this is the sample file of rule set {place} "
                "(samples/<rule set>.yaml beside its rule file)",
                path=path,
                line=sample_file.line,
            )
        problem = unusable(policy, sample_file)
        if problem is not None:
            raise problem
    samples = [sample for sample_file in read for sample in sample_file.samples]
    known = {rule.rule_id: rule for rule in policy.all_rules()}
    for rule_id in rules:
        if rule_id not in known:
            raise InvalidArgument(f"unknown rule {rule_id!r}{suggest(rule_id, sorted(known))}")
    looked_at = {places[p.resolve()] for p in (*files, *missing) if p.resolve() in places}
    if rules:
        samples = [sample for sample in samples if sample.rule in rules]
        files = [path for path in files if any(s.path == str(path) for s in samples)]
        wanted = {known[rule_id].ruleset for rule_id in rules}
        missing = [path for path in missing if places.get(path.resolve()) in wanted]
    declared = policy.declared_params()
    changed = [
        (name, param.default, policy.params[name])
        for name, param in declared.items()
        if policy.params[name] != param.default
    ]
    handbook = load_policy()
    departures = _departures(policy, handbook)
    differs = bool(changed or departures)
    outcomes = [_outcome(policy, handbook if differs else None, sample) for sample in samples]
    tested = {known[s.rule].ruleset for s in samples} | looked_at
    kinds = {(s.rule, s.kind) for s in samples}
    in_force = [
        rule
        for rule in policy.rules
        if (rule.rule_id in rules if rules else rule.ruleset in tested)
    ]
    uncovered = [
        (rule.rule_id, lacking)
        for rule in in_force
        if (lacking := [kind for kind in KINDS if (rule.rule_id, kind) not in kinds])
    ]
    return SampleRun(
        [str(path) for path in files],
        outcomes,
        uncovered,
        [str(path) for path in missing],
        len(in_force) - len(uncovered),
        changed,
        departures,
    )


def _departures(policy: Policy, handbook: Policy) -> list[str]:
    """What the policy sets otherwise than the handbook's, parameters aside."""
    found = []
    if policy.timezone != handbook.timezone:
        found.append(f"timezone {handbook.timezone} -> {policy.timezone}")
    mine, theirs = policy.schedule, handbook.schedule
    if (mine.start, mine.end) != (theirs.start, theirs.end):
        found.append(
            f"working hours {_hours(theirs.start, theirs.end)} -> {_hours(mine.start, mine.end)}"
        )
    if mine.breaks != theirs.breaks:
        found.append(f"breaks {_breaks(theirs)} -> {_breaks(mine)}")
    if mine.workdays != theirs.workdays:
        found.append(f"workdays {_weekdays(theirs.workdays)} -> {_weekdays(mine.workdays)}")
    if mine.day_start != theirs.day_start:
        found.append(f"day start {theirs.day_start:%H:%M} -> {mine.day_start:%H:%M}")
    # the workdays it keeps (``weekdays``) come from the schedule's, said above
    if replace(policy.calendar, weekdays=handbook.calendar.weekdays) != handbook.calendar:
        found.append("the calendar (its country, holidays, working days or years supplied)")
    if policy.disabled:
        found.append(f"disables {', '.join(sorted(policy.disabled))}")
    return found


def _hours(start: dt.time, end: dt.time) -> str:
    return f"{start:%H:%M}-{end:%H:%M}"


def _breaks(schedule: Schedule) -> str:
    return ", ".join(_hours(begin, end) for begin, end in schedule.breaks) or "none"


def _weekdays(days: frozenset[int]) -> str:
    return ", ".join(WEEKDAY_NAMES[day] for day in sorted(days)) or "none"


def _outcome(policy: Policy, handbook: Policy | None, sample: Sample) -> Outcome:
    """One sample judged under ``policy``; a handbook's sample that fails is judged again
    under the handbook's policy (``handbook``; None when ``policy`` sets nothing otherwise)."""
    if sample.rule in policy.disabled:
        return Outcome(sample, SKIPPED, f"the policy disables {sample.rule}")
    problem = _problem(policy, sample)
    if problem is None:
        return Outcome(sample, PASSED)
    if handbook is not None and _is_handbooks(sample) and _problem(handbook, sample) is None:
        because = f"holds under the handbook's policy, not under this one ({problem})"
        return Outcome(sample, CHANGED, because)
    return Outcome(sample, FAILED, problem)


def _problem(policy: Policy, sample: Sample) -> str | None:
    try:
        return sample_problem(policy, sample)
    except SalesPolicyError as exc:  # a date beyond the calendar, say: it cannot hold
        return str(exc)


def _is_handbooks(sample: Sample) -> bool:
    """Whether the sample is one of the handbook's own (``rules/samples/``)."""
    shipped = (default_rule_dir() / "samples").resolve()
    return Path(sample.path).resolve().parent == shipped


def run_table(run: SampleRun, *, verbose: bool = False) -> str:
    """Per file, its counts and each sample that failed or was skipped (``verbose``: each
    one); then the totals and the rules not covered."""
    lines: list[str] = []
    changes = _change_texts(run)
    if changes:
        lines.append(f"where the policy departs from the defaults: {'; '.join(changes)}")
        if run.files or run.missing:  # else the totals' blank line parts them
            lines.append("")
    for path in run.files:
        outcomes = [o for o in run.outcomes if o.sample.path == path]
        counts = ", ".join(
            f"{n} {status}"
            for status in STATUSES
            if (n := sum(o.status == status for o in outcomes))
        )
        lines.append(f"{path}: {len(outcomes)} sample(s){': ' + counts if counts else ''}")
        for outcome in outcomes:
            if outcome.status == PASSED and not verbose:
                continue
            mark = {PASSED: "ok  ", FAILED: "FAIL", CHANGED: "diff", SKIPPED: "skip"}[
                outcome.status
            ]
            lines.append(f"  {mark}  {outcome.sample} (line {outcome.sample.line})")
            if outcome.problem:
                lines.append(f"        {outcome.problem}")
    for path in run.missing:
        lines.append(f"{path}: no such file (this rule set's samples go there)")
    total = len(run.outcomes)
    lines.append("")
    lines.append(
        f"samples: {total} in {len(run.files)} file(s): "
        + ", ".join(f"{run.count(status)} {status}" for status in STATUSES)
    )
    rules = run.covered + len(run.uncovered)
    lines.append(
        f"coverage: {run.covered} of {rules} rule(s) in force have a violating and a "
        "compliant sample"
    )
    for rule_id, lacking in run.uncovered:
        lines.append(f"  {rule_id}: no {' and no '.join(lacking)} sample")
    return terminal_text("\n".join(lines)) + "\n"


def _change_texts(run: SampleRun) -> list[str]:
    params = [f"{name} {old} -> {new}" for name, old, new in run.changed]
    return [*params, *run.departures]


def run_json(run: SampleRun) -> dict[str, Any]:
    """The run as a JSON document: each sample's outcome, the counts and the coverage."""
    return {
        "files": run.files,
        "missing_files": run.missing,
        "params_changed": [
            {"name": name, "default": old, "value": new} for name, old, new in run.changed
        ],
        "changes": _change_texts(run),
        "counts": {
            "samples": len(run.outcomes),
            **{status: run.count(status) for status in STATUSES},
        },
        "samples": [
            {
                "file": o.sample.path,
                "rule_id": o.sample.rule,
                "kind": o.sample.kind,
                "name": o.sample.name,
                "line": o.sample.line,
                "status": o.status,
                "problem": o.problem,
            }
            for o in run.outcomes
        ],
        "coverage": {
            "rules": run.covered + len(run.uncovered),
            "covered": run.covered,
            "uncovered": [{"rule_id": r, "lacking": lacking} for r, lacking in run.uncovered],
        },
    }


def run_samples_command(args: argparse.Namespace) -> int:
    """The ``test`` command (see the module docstring for its exit status)."""
    policy = load_policy(args.policy)
    files, missing = sample_files(policy, args.samples)
    run = run_samples(policy, files, missing, rules=args.rules or ())
    if args.format == "json":
        document = json.dumps(run_json(run), ensure_ascii=False, indent=2, default=str)
        write_text(document + "\n", None)
    else:
        write_text(run_table(run, verbose=args.verbose), None)
    failed = run.count(FAILED) > 0 or (args.require_samples and bool(run.uncovered))
    return 1 if failed else 0
