"""The times a log is drawn around: the boundaries of policies' schedules (the start and end
of a day's work, its breaks, the ends of the grace for lateness and early leave, where
overtime starts to count, where the attendance day starts), where a change of policy changes
a finding; and the policies'
argument of ``logs``, checked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..errors import InvalidArgument

if TYPE_CHECKING:
    from ..policy import Policy

#: wall-clock times that sit on the boundaries of the default schedule (the handbook's
#: policy: ``edge_times([load_policy()])`` gives these)
EDGE_TIMES = (
    dt.time(8, 59, 59),
    dt.time(9, 0, 0),
    dt.time(9, 0, 1),
    dt.time(9, 30, 0),
    dt.time(9, 30, 1),
    dt.time(11, 59, 59),
    dt.time(12, 0),
    dt.time(12, 30),
    dt.time(13, 0),
    dt.time(13, 0, 1),
    dt.time(17, 29, 59),
    dt.time(17, 30),
    dt.time(17, 59, 59),
    dt.time(18, 0),
    dt.time(18, 0, 1),
    dt.time(18, 30),
    dt.time(18, 30, 1),
    dt.time(21, 0, 1),
)
#: local times leave and overtime requests start at, half of the time (the others are drawn
#: as punches are): midnight, the default schedule's start, end of its break and end, mid-morning
REQUEST_STARTS = (dt.time(0), dt.time(9), dt.time(13), dt.time(18), dt.time(10, 30))
#: the range of the wall times drawn away from the edges, in seconds after midnight
WALL_RANGE = (6 * 3600, 23 * 3600)
_SECOND = dt.timedelta(seconds=1)
#: the handbook's parameters in minutes that ``edge_times`` places by what they mean; a
#: company's (``*_minutes`` of its own rule files) are placed from the start and the end
_PLACED = (
    "late_grace_minutes",
    "serious_late_minutes",
    "early_grace_minutes",
    "serious_early_minutes",
    "overtime_min_minutes",
    "overtime_day_limit_minutes",
)


def check_policies(policy: Any) -> tuple[Policy, ...]:
    """``policy`` as a tuple of policies: one Policy, or a non-empty list of them."""
    from ..policy import Policy

    if isinstance(policy, Policy):
        return (policy,)
    expected = "a Policy (from load_policy) or a non-empty list of them"
    if isinstance(policy, str) or not isinstance(policy, Sequence) or not policy:
        raise InvalidArgument(f"policy must be {expected}, got {type(policy).__name__} {policy!r}")
    for index, item in enumerate(policy):
        if not isinstance(item, Policy):
            raise InvalidArgument(
                f"policy must be {expected}; item {index} is {type(item).__name__} {item!r}"
            )
    return tuple(policy)


def minutes_of(policy: Policy, name: str) -> dt.timedelta | None:
    """A parameter of ``policy`` counted in minutes, to the second; None where the policy has
    no such number (a policy without the attendance rule set)."""
    value = policy.params.get(name)
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    return dt.timedelta(seconds=round(value * 60))


def _since_midnight(wall: dt.time) -> dt.timedelta:
    return dt.timedelta(hours=wall.hour, minutes=wall.minute, seconds=wall.second)


def edge_times(policies: Sequence[Policy]) -> tuple[dt.time, ...]:
    """The wall-clock times on the boundaries of the policies' schedules, in order: a second
    before, at and a second after the start and the end of a day's work (and the ends of the
    grace for lateness and early leave), the start of serious lateness and of serious early
    leave, the start, middle and end of each break, the start of overtime that counts and of
    more overtime than a day allows; for each number of minutes a company's own rule files
    declare (a parameter named ``*_minutes``, ``_company_minutes``), a second before, at and
    a second after that many minutes after the start, before the end and after the end; of
    a schedule whose day starts after midnight
    (``day_start``), midnight, and a second before, at and after the day start (the times
    drawn away from the edges then reach back to midnight: ``wall_range``).  For the
    handbook's policy these are ``EDGE_TIMES``.
    An instant before midnight or from the next midnight on is left out (it is on another
    day)."""
    times: set[dt.timedelta] = set()
    for policy in policies:
        start = _since_midnight(policy.schedule.start)
        end = _since_midnight(policy.schedule.end)
        late_grace = minutes_of(policy, "late_grace_minutes")
        for arrival in {start, start + (late_grace or dt.timedelta(0))}:
            times.update((arrival - _SECOND, arrival, arrival + _SECOND))
        serious_late = minutes_of(policy, "serious_late_minutes")
        if serious_late is not None:
            times.update((start + serious_late, start + serious_late + _SECOND))
        for begin, finish in policy.schedule.breaks:
            first, last = _since_midnight(begin), _since_midnight(finish)
            middle = first + dt.timedelta(seconds=(last - first).seconds // 2)
            times.update((first - _SECOND, first, middle, last, last + _SECOND))
        serious_early = minutes_of(policy, "serious_early_minutes")
        if serious_early is not None:
            times.update((end - serious_early - _SECOND, end - serious_early))
        early_grace = minutes_of(policy, "early_grace_minutes")
        for departure in {end, end - (early_grace or dt.timedelta(0))}:
            times.update((departure - _SECOND, departure, departure + _SECOND))
        overtime = minutes_of(policy, "overtime_min_minutes")
        if overtime is not None:
            times.update((end + overtime, end + overtime + _SECOND))
        day_limit = minutes_of(policy, "overtime_day_limit_minutes")
        if day_limit is not None:
            times.add(end + day_limit + _SECOND)
        day_start = _since_midnight(policy.schedule.day_start)
        if day_start:  # work past midnight, and the start of the next attendance day
            times.update((dt.timedelta(0), day_start - _SECOND, day_start, day_start + _SECOND))
    return _walls(times | _parameter_seconds(policies))


def parameter_times(policies: Sequence[Policy]) -> tuple[dt.time, ...]:
    """The wall-clock times, among ``edge_times``, that a company's own parameters in minutes
    place (``_company_minutes``): a second before, at and a second after that many minutes
    after the start of each policy's day, before its end and after its end.  ``logs`` draws
    half of its edges from these, where there are any: a property about a company rule's
    grace turns on the arrival at the start plus the grace, one edge among some thirty."""
    return _walls(_parameter_seconds(policies))


def _parameter_seconds(policies: Sequence[Policy]) -> set[dt.timedelta]:
    times: set[dt.timedelta] = set()
    for policy in policies:
        start = _since_midnight(policy.schedule.start)
        end = _since_midnight(policy.schedule.end)
        for minutes in _company_minutes(policy):
            for edge in (start + minutes, end - minutes, end + minutes):
                times.update((edge - _SECOND, edge, edge + _SECOND))
    return times


def _walls(times: set[dt.timedelta]) -> tuple[dt.time, ...]:
    """Times after midnight as wall-clock times, in order, leaving out any on another day."""
    midnight = dt.datetime(2000, 1, 1)
    return tuple(
        (midnight + t).time() for t in sorted(times) if dt.timedelta(0) <= t < dt.timedelta(days=1)
    )


def _company_minutes(policy: Policy) -> list[dt.timedelta]:
    """The values, to the second, of the parameters in minutes (named ``*_minutes``, int or
    float) of the policy's rule sets other than the handbook's: a company rule's grace or
    threshold, which it compares with minutes late, early or of overtime."""
    from ..policy import DEFAULT_RULESETS

    values = []
    for name, param in policy.declared_params().items():
        if param.ruleset in DEFAULT_RULESETS or name in _PLACED or not name.endswith("_minutes"):
            continue
        minutes = minutes_of(policy, name)
        if minutes is not None:
            values.append(minutes)
    return values


#: an amount's step: amounts have up to 4 decimal places (``money.MONEY_PLACES``)
_STEP = Decimal("0.0001")


def amount_edges(policies: Sequence[Policy], *, company_only: bool = False) -> tuple[str, ...]:
    """Amounts at and a step (0.0001) either side of the value of each number the policies'
    rule files declare (``gift_limit``: 199.9999, 200, 200.0001; a company's order limit),
    as the records write amounts; those a scoring section names (weights, tiers), the
    minutes (``edge_times`` places those) and any below 0 or of more than 4 decimal places
    left out.  ``company_only``: those of rule sets other than the handbook's."""
    from ..policy import DEFAULT_RULESETS

    values: set[Decimal] = set()
    for policy in policies:
        joint = {
            name
            for ruleset in policy.rulesets
            if ruleset.scoring is not None
            for name in ruleset.scoring.parameters()
        }
        for name, param in policy.declared_params().items():
            value = policy.params.get(name)
            if (
                param.type not in ("int", "float")
                or name in joint
                or name.endswith("_minutes")
                or (company_only and param.ruleset in DEFAULT_RULESETS)
                or isinstance(value, bool)
                or not isinstance(value, int | float)
            ):
                continue
            exact = Decimal(repr(value))
            if not exact.is_finite() or not 0 <= exact < 10**19 or exact != round(exact, 4):
                continue
            values.update(v for v in (exact - _STEP, exact, exact + _STEP) if 0 <= v < 10**19)
    return tuple(format(v.normalize(), "f") for v in sorted(values))


@dataclass(frozen=True)
class Around:
    """What the strategies draw around, of one or more policies: the wall-clock times at
    their edges (``edge_times``), those of them a company's parameters place
    (``parameter_times``), drawn half of the time, and amounts (``amount_edges``), those of
    a company's parameters drawn half of the time too."""

    edges: tuple[dt.time, ...] = EDGE_TIMES
    favoured: tuple[dt.time, ...] = ()
    amounts: tuple[str, ...] = ()
    favoured_amounts: tuple[str, ...] = ()


def around(policies: Sequence[Policy]) -> Around:
    """What to draw around for ``policies``; none: the handbook's schedule, no amounts."""
    if not policies:
        return Around()
    return Around(
        edge_times(policies),
        parameter_times(policies),
        amount_edges(policies),
        amount_edges(policies, company_only=True),
    )


def request_starts(policies: Sequence[Policy]) -> tuple[dt.time, ...]:
    """The local times leave and overtime requests start at, half of the time: midnight, the
    start, the end of each break and the end of each policy's schedule, and mid-morning.  For
    the handbook's policy these are ``REQUEST_STARTS``."""
    boundaries = sorted(
        {p.schedule.start for p in policies}
        | {finish for p in policies for _, finish in p.schedule.breaks}
        | {p.schedule.end for p in policies}
    )
    return tuple(dict.fromkeys((dt.time(0), *boundaries, dt.time(10, 30))))


def wall_range(edges: tuple[dt.time, ...]) -> tuple[int, int]:
    """``WALL_RANGE``, widened to take in every edge (a schedule starting at 05:00, say)."""
    seconds = [_since_midnight(t).seconds for t in edges]
    return min(WALL_RANGE[0], *seconds), max(WALL_RANGE[1], *seconds)
