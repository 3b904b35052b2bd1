"""One-line properties a policy owner asserts in a test: each raises AssertionError with the
findings that break it, readable in a shrunk hypothesis counter-example.

Every rule id a property names must be a rule of its policies, and a property must be able to
fail: an unknown id, a rule that cannot fire, or an empty list of rules raises
``InvalidArgument`` when the property is called, instead of letting it pass on every log; so
does a record the check rejects, which no rule judged."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from ..errors import InvalidArgument, suggest
from ..findings import CheckResult, Finding
from ..policy import Policy
from ..whatif import diff


def _show(findings: Iterable[Finding]) -> str:
    return "\n".join(
        f"  {f.rule_id} {f.employee_id} {f.date or f.period}: {f.message.en} {f.evidence}"
        for f in findings
    )


def _rule_ids(rules: str | Iterable[str] | None, *, allow_empty: bool) -> list[str] | None:
    """The rule ids as a list: a bare string is one rule id (not its letters), None stays None
    (every rule).  An empty list is refused unless ``allow_empty``."""
    if rules is None:
        return None
    if isinstance(rules, str):
        return [rules]
    if not isinstance(rules, Iterable):
        raise InvalidArgument(
            f"rules is a rule id or a list of them, not {type(rules).__name__} {rules!r}"
        )
    ids = list(rules)  # read once: it may be a generator
    wrong = [r for r in ids if not isinstance(r, str)]
    if wrong:
        raise InvalidArgument(f"rules is a rule id or a list of them; {wrong[0]!r} is not text")
    if not ids and not allow_empty:
        raise InvalidArgument(
            "rules is empty, so the property could never fail: name the rules it is about "
            "(or pass None for every rule)"
        )
    return ids


def _policies(**given: Any) -> None:
    """Raise InvalidArgument unless each argument named is a Policy."""
    for name, value in given.items():
        if not isinstance(value, Policy):
            raise InvalidArgument(
                f"{name} must be a Policy (from load_policy), got {type(value).__name__} "
                f"{value!r:.60}"
            )


def _known(rule_id: str, *policies: Policy) -> None:
    """Raise InvalidArgument unless ``rule_id`` is a rule of one of ``policies``."""
    known = sorted({r.rule_id for p in policies for r in p.all_rules()})
    if rule_id not in known:
        raise InvalidArgument(f"unknown rule {rule_id!r}{suggest(rule_id, known)}")


def _all_judged(*results: CheckResult) -> None:
    """Raise InvalidArgument where a check rejected rows: a property over records some of
    which were not judged holds of fewer records than it was given (of none, when every
    row is rejected), and would pass however the rules judge them."""
    for result in results:
        rejected = result.rejects
        if rejected.height:
            row = rejected.row(0, named=True)
            field = f" {row['field']}" if row["field"] else ""
            raise InvalidArgument(
                f"{rejected.height} of {result.counts.read} record(s) rejected, so the "
                f"property would hold of records it never judged: {row['source']}:"
                f"{row['line']}{field}: {row['reason']}"
            )


def _selected(findings: Iterable[Finding], rules: list[str] | None) -> list[Finding]:
    wanted = None if rules is None else set(rules)
    return [f for f in findings if wanted is None or f.rule_id in wanted]


def check_never_adds(
    base: Policy,
    changed: Policy,
    records: Any,
    *,
    rules: str | Iterable[str] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> None:
    """``changed`` finds nothing (of ``rules``; None: of any rule) that ``base`` does not:
    e.g. more grace never adds a late arrival.

    Each rule id must be a rule in force in ``changed`` (a rule of ``base`` alone, or one
    ``changed`` disables, can add nothing); a bare string is one rule id."""
    _policies(base=base, changed=changed)
    ids = _rule_ids(rules, allow_empty=False)
    for rule_id in ids or ():
        _known(rule_id, base, changed)
        if rule_id not in {r.rule_id for r in changed.rules}:
            why = "disabled in" if rule_id in changed.disabled else "not a rule of"
            raise InvalidArgument(
                f"rule {rule_id!r} is {why} the changed policy: it can add no finding"
            )
    change = diff(base, changed, records, start, end)
    _all_judged(change.old, change.new)
    added = _selected(change.added, ids)
    if added:
        raise AssertionError(f"the changed policy adds {len(added)} finding(s):\n{_show(added)}")


def check_never_fires(
    policy: Policy,
    records: Any,
    rules: str | Iterable[str] | None,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> None:
    """None of ``rules`` (None: no rule at all) fires on these records (e.g. on any day fully
    covered by leave).

    Each rule id must be a rule in force in ``policy`` (a disabled rule never fires); a bare
    string is one rule id."""
    _policies(policy=policy)
    ids = _rule_ids(rules, allow_empty=False)
    for rule_id in ids or ():
        _known(rule_id, policy)
        if rule_id in policy.disabled:
            raise InvalidArgument(
                f"rule {rule_id!r} is disabled in this policy: it never fires on any records"
            )
    result = policy.check(records, start, end)
    _all_judged(result)
    fired = _selected(result.findings, ids)
    if fired:
        raise AssertionError(f"{len(fired)} finding(s) where none was expected:\n{_show(fired)}")


def check_agree_except(
    first: Policy,
    second: Policy,
    records: Any,
    *,
    rules: str | Iterable[str] = (),
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> None:
    """The two policies make the same findings, except perhaps for ``rules`` (none by
    default: they agree on every finding).

    Each rule id must be a rule of one of the two policies (a company's own rule, say, that
    only one of them has); a bare string is one rule id."""
    _policies(first=first, second=second)
    if rules is None:
        raise InvalidArgument("rules is a rule id or a list of them (an empty list: no rule)")
    allowed = set(_rule_ids(rules, allow_empty=True) or ())
    for rule_id in sorted(allowed):
        _known(rule_id, first, second)
    change = diff(first, second, records, start, end)
    _all_judged(change.old, change.new)
    differing = [f for f in change.added + change.removed if f.rule_id not in allowed]
    differing += [c.after for c in change.changed if c.after.rule_id not in allowed]
    if differing:
        raise AssertionError(
            f"the policies disagree on {len(differing)} finding(s) outside "
            f"{sorted(allowed) or 'no rule'}:\n{_show(differing)}"
        )
