"""What a policy's parameters must satisfy together, checked when the policy is made (loaded,
or changed by ``with_params``) rather than when a check or the scoring reads them: no
parameter above the one it may not exceed (``Param.at_most``), and scoring numbers that fit
(weights that add up, tiers without a gap).  An error names the policy file's line that set
the parameter, else the rule file's."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InvalidArgument, PolicyError, RuleFileError
from .scorecard import Scorecard
from .scoringvalues import ScoringValues
from .yamlfile import LocatedDict, read_yaml_file

if TYPE_CHECKING:
    from .policy import Policy


def check_together(policy: Policy) -> None:
    """What parameters break together is an error at load, not when a check or the scoring
    reads them: a parameter above the one it may not exceed, scoring numbers that do not fit."""
    _check_at_most(policy)
    if any(rs.scoring is not None for rs in policy.rulesets):
        scoring_values(policy)


def _check_at_most(policy: Policy) -> None:
    """A parameter above the one it may not exceed (``Param.at_most``): an error at the line
    of the policy file setting either (``InvalidArgument`` for ``with_params``)."""
    for name, param in policy.declared_params().items():
        bound = param.at_most
        if bound is None or policy.params[name] <= policy.params[bound]:
            continue
        message = (
            f"{name} ({policy.params[name]}) is above {bound} ({policy.params[bound]}), "
            f"which it may not exceed: raise {bound} too"
        )
        if policy.path is None:
            raise InvalidArgument(message)
        changed = name if policy.params[name] != param.default else bound
        raise PolicyError(
            f"params: {message}", path=policy.path, line=_param_line(Path(policy.path), changed)
        )


def scorecard_of(policy: Policy) -> Scorecard:
    """The scoring section in force: the last one among the policy's rule files."""
    cards = [rs.scoring for rs in policy.rulesets if rs.scoring is not None]
    if not cards:
        raise InvalidArgument("the policy has no scoring section (rules/assessment.yaml holds one)")
    return cards[-1]


def scoring_values(policy: Policy) -> ScoringValues:
    """The scoring numbers in force under ``policy``; a policy whose parameters break them
    (weights that do not add up, tiers with a gap) raises PolicyError at its file and line."""
    card = scorecard_of(policy)
    declared = policy.declared_params()

    def fail(message: str, line: int, params: tuple[str, ...]) -> Exception:
        changed = [p for p in params if policy.params.get(p) != declared[p].default]
        where = f" (scoring section at {card.path}:{line})"
        if not changed:
            return RuleFileError(f"scoring: {message}", path=card.path, line=line)
        if policy.path is None:
            return InvalidArgument(f"params {', '.join(changed)}: {message}{where}")
        return PolicyError(
            f"params: {message}{where}",
            path=policy.path,
            line=_param_line(Path(policy.path), changed[0]),
        )

    values = card.resolve(policy.params, fail)
    known = {rs.name for rs in policy.rulesets}
    for reward, blockers in (("bonus", values.blockers), ("trip", values.trip_blockers)):
        for blocker in blockers:
            for name in blocker.rulesets:
                if name not in known:
                    raise RuleFileError(
                        f"scoring: {reward} blocked_by names rule set {name!r}, which the "
                        f"policy does not have ({', '.join(sorted(known))})",
                        path=card.path,
                        line=blocker.line,
                    )
    return values


def _param_line(path: Path, name: str) -> int | None:
    data = read_yaml_file(path, error=PolicyError)
    params = data.get("params") if isinstance(data, LocatedDict) else None
    return params.line_of(name) if isinstance(params, LocatedDict) else None
