"""A strategy for policy overrides: ``params`` for ``policy.with_params``, drawn from the
ranges that a policy's rule files declare."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from hypothesis import strategies as st

from ..errors import InvalidArgument, suggest
from ..exprnodes import INT_MAX, INT_MIN

if TYPE_CHECKING:
    from ..policy import Policy
    from ..rulesets import Param

#: values a list parameter takes in generated overrides (others stay empty)
_LIST_VALUES = {
    "retroactive_leave_types": ("annual", "sick", "personal"),
    "competitor_domains": ("rival.example", "competitor.example", "example"),
}


def policy_overrides(
    *, policy: Policy | None = None, rulesets: str | Sequence[str] | None = None
) -> st.SearchStrategy[dict[str, Any]]:
    """Valid ``params`` overrides for ``policy.with_params``, drawn from the ranges that the
    rule files of ``policy`` declare (default: the handbook's policy, ``load_policy()``).

    A company's policy brings the parameters of its own rule files, and its rule sets may be
    named in ``rulesets`` (a rule set's name or a list of them; None: every rule set).  A
    parameter that may not exceed another (``at_most``) is kept at most that one's value, in
    ``policy`` with the overrides applied.  Text
    parameters (``type: str``) are left out, and so are the parameters a ``scoring:`` section
    names (KPI weights that must add up, commission tiers that must not overlap, currency
    rates): they are constrained together, not by their ranges alone; vary them by hand in a
    property that keeps them consistent."""
    from ..policy import Policy, load_policy

    if policy is None:
        policy = load_policy()
    elif not isinstance(policy, Policy):
        raise InvalidArgument(
            f"policy must be a Policy (from load_policy), got {type(policy).__name__}"
        )
    if isinstance(rulesets, str):  # one rule set's name, not its letters
        rulesets = [rulesets]
    joint = {p for rs in policy.rulesets if rs.scoring is not None for p in rs.scoring.parameters()}
    declared = {n: p for n, p in policy.declared_params().items() if n not in joint}
    if rulesets is not None:
        if not isinstance(rulesets, Sequence) or not all(isinstance(n, str) for n in rulesets):
            raise InvalidArgument(
                f"rulesets is a rule set's name or a list of them, got {rulesets!r}"
            )
        known = [rs.name for rs in policy.rulesets]
        for name in rulesets:
            if name not in known:
                raise InvalidArgument(
                    f"rulesets: unknown rule set {name!r} in this policy{suggest(name, known)}"
                )
    strategies: dict[str, st.SearchStrategy[Any]] = {}
    for name, param in declared.items():
        if rulesets is not None and param.ruleset not in rulesets:
            continue
        if param.type == "int":
            # an open end: -1000 or 1000, or 1000 beyond the other end, or the default,
            # whichever is further out (a range of 2000 to no maximum, default 5000)
            low, high = param.minimum, param.maximum
            # (within 64 bits, as a value must be)
            low = int(low) if low is not None else min(-1000, int(high or 0) - 1000, param.default)
            low = max(low, INT_MIN)
            high = int(high) if high is not None else max(1000, low + 1000, param.default)
            high = min(high, INT_MAX)
            strategies[name] = st.integers(low, high) | st.sampled_from(
                [v for v in (low, high, param.default) if low <= v <= high]
            )
        elif param.type == "float":
            floats = st.floats(param.minimum, param.maximum, allow_nan=False, allow_infinity=False)
            # to the places the parameter may have (its bounds have no more): still in range
            strategies[name] = (
                floats if param.places is None else floats.map(_rounding(param.places))
            )
        elif param.type == "bool":
            strategies[name] = st.booleans()
        elif param.type == "str_list":
            strategies[name] = st.lists(
                st.sampled_from(_LIST_VALUES.get(name, ("",))),
                unique=True,
                max_size=0 if name not in _LIST_VALUES else 3,
            )
    every = policy.declared_params()
    bounded = [(n, p.at_most) for n, p in every.items() if p.at_most is not None]
    drawn = st.fixed_dictionaries({}, optional=strategies)
    if not bounded:
        return drawn
    values = dict(policy.params)
    return drawn.map(lambda overrides: _within_bounds(overrides, values, every, bounded))


def _rounding(places: int) -> Callable[[float], float]:
    return lambda value: round(value, places)


def _within_bounds(
    overrides: dict[str, Any],
    values: Mapping[str, Any],
    declared: Mapping[str, Param],
    bounded: list[tuple[str, str]],
) -> dict[str, Any]:
    """The overrides with every parameter at most the one it may not exceed (``at_most``, a
    grace and its serious threshold, say): one drawn above its bound is lowered to the bound's
    value, or, where its range does not reach that low, the bound is raised to it."""
    merged = {**values, **overrides}
    for _ in range(len(bounded)):  # a chain of bounds settles in as many rounds
        settled = True
        for name, bound in bounded:
            if merged[name] <= merged[bound]:
                continue
            settled = False
            low = declared[name].minimum
            if low is None or merged[bound] >= low:
                value = merged[bound]
                merged[name] = math.floor(value) if declared[name].type == "int" else value
                overrides[name] = merged[name]
            else:
                value = merged[name]
                merged[bound] = math.ceil(value) if declared[bound].type == "int" else value
                overrides[bound] = merged[bound]
        if settled:
            break
    return overrides
