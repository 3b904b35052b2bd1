"""Property testing for policy owners: hypothesis strategies and one-line properties.

Every strategy is valid by construction and takes keyword-only arguments, checked when it is
called (``InvalidArgument`` names the argument and what it accepts).  Edge values come up
often on purpose: 09:00:00 and 09:00:01, the ends of breaks, 18:00 and just after, undirected
and lone punches, leaves decided exactly at their start, instants written in other offsets.
``logs(policy=...)`` draws times around the schedule of that policy (or of each of a list of
policies, for a property that compares them) instead of the handbook's 09:00–18:00.

    from hypothesis import given, settings, strategies as st
    from sales_policy import load_policy
    from sales_policy.testing import check_never_adds, logs

    @settings(deadline=None)  # a check over a generated log takes up to a few hundred ms
    @given(log=logs(), grace=st.integers(0, 60))
    def test_more_grace_never_adds_a_late_arrival(log, grace):
        policy = load_policy()
        check_never_adds(policy, policy.with_params(late_grace_minutes=grace), log.records,
                         rules=["ATT-LATE"], start=log.start, end=log.end)

A property names its rules as a rule id or a list of them; an id that is not a rule of its
policies, or a property that could never fail, raises ``InvalidArgument``.
``policy_overrides(policy=...)`` draws the parameters of a company's own rule files too.

Requires hypothesis: ``pip install 'sales_policy[hypothesis]'``.  ``st.from_type(Punch)`` (and
every other record model) works once this package is installed, through hypothesis' entry
point.  See docs/property-testing.md.
"""

from __future__ import annotations

try:
    import hypothesis  # noqa: F401
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        "sales_policy.testing needs hypothesis: pip install 'sales_policy[hypothesis]'"
    ) from exc

from .logs import Log
from .logs import logs
from .overrides import policy_overrides
from .properties import check_agree_except
from .properties import check_never_adds
from .properties import check_never_fires
from .records import models
from .records import records
from ..samples import Sample
from ..samples import check_samples
from ..samples import load_samples

__all__ = [
    "Log",
    "Sample",
    "check_agree_except",
    "check_never_adds",
    "check_never_fires",
    "check_samples",
    "load_samples",
    "logs",
    "models",
    "policy_overrides",
    "records",
]
