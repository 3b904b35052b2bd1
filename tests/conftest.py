"""Shared test settings: hypothesis profiles, the order tests are handed out in, and the
example month's location."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, is_hypothesis_test, settings

PropertyTest = TypeVar("PropertyTest", bound=Callable[..., Any])

settings.register_profile(
    "ci",
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile(
    "dev", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


def half_the_examples(test: PropertyTest) -> PropertyTest:
    """For a property each of whose examples runs the engine on a generated log and again on
    a variant of it (another parameter value, more sales, one more finding, another team,
    each employee alone): half the profile's examples.  A check has a fixed cost (~50 ms
    however small the log), which made these the suite's longest tests.  Measured with
    branch coverage of the package over two or three seeds, half the examples reach the
    lines and branches the whole profile reaches, but for a branch now and then that has
    nothing to do with the property (a part of a log without punches), which other tests
    reach.

    Half of the profile in force when the test is defined: a profile named on the command
    line (``--hypothesis-profile``) is loaded after this module is imported, before the test
    modules are, so settings made here, at import, would halve the other one."""
    return settings(max_examples=max(1, settings.default.max_examples // 2))(test)


ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_MONTH = ROOT / "examples" / "november-2026"
#: the same team's conduct and assessment records of the month, checked together with it
EXAMPLE_SALES = ROOT / "examples" / "november-2026-sales"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Property tests first, the rest after them in file order.  Each property test runs its
    examples (seconds each, most of the suite's time); the workers take one test at a time
    (``--maxschedchunk=1``), so started first they are shared out between the two, and the
    short tests at the end even out when each worker finishes.  (In file order, the last
    tests handed out included property tests: one worker went on alone for seconds.)"""
    items.sort(key=lambda item: not is_hypothesis_test(getattr(item, "obj", None)))
