"""The live engine: event-at-a-time monitoring on durable_rules (an optional extra).

    from sales_policy import load_policy
    from sales_policy.live import Monitor

    monitor = Monitor(load_policy(), start=date(2026, 11, 2))
    for record in feed:                     # records roughly in time order
        monitor.post(record)
    for finding in monitor.advance(now):    # closes the days that have ended by now
        notify(finding)

The same rule files as the batch engine, the same facts (the batch derivation), the same
findings; durable_rules decides which fact rows match which rules.  See docs/engines.md.
Requires durable_rules: ``pip install 'sales_policy[live]'``.
"""

from __future__ import annotations

import sys

try:
    import durable.engine  # noqa: F401  (durable_rules; it brings durable_rules_engine)
except ImportError as exc:  # pragma: no cover - depends on the environment
    if isinstance(exc, ModuleNotFoundError) and exc.name in (
        "durable",
        "durable.engine",
        "durable_rules_engine",
    ):  # not installed
        raise ImportError(
            "sales_policy.live needs durable_rules: pip install 'sales_policy[live]'"
        ) from exc
    # installed, but it does not load: durable_rules 2.0.28 builds on Python 3.13, and its
    # extension fails to load there, as it calls PyEval_CallObject, which 3.13 removed
    why = (
        ": durable_rules 2.0.28 does not load on Python 3.13 or later, whose C API no longer "
        "has PyEval_CallObject; run the live engine on Python 3.11, as tested"
        if sys.version_info >= (3, 13)
        else ""
    )
    raise ImportError(
        f"sales_policy.live needs durable_rules, which is installed but does not load ({exc})" + why
    ) from exc

from .counts import LiveCounts
from .finality import AS_OF_END
from .monitor import Monitor
from .rejections import Reason, Rejection
from .translate import Translation, translate

__all__ = [
    "AS_OF_END",
    "LiveCounts",
    "Monitor",
    "Reason",
    "Rejection",
    "Translation",
    "translate",
]
