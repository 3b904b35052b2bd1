"""The suite's shared settings (tests/conftest.py)."""

from __future__ import annotations

from conftest import half_the_examples
from hypothesis import given, settings
from hypothesis import strategies as st


def test_half_the_examples_are_half_of_the_profile_in_force() -> None:
    """A profile named on the command line (``--hypothesis-profile``) is loaded after
    conftest.py is imported and before the test modules are: the properties that run half
    the examples run half of that profile's, as the others run all of them."""
    before = settings._current_profile  # the profile conftest.py or pytest loaded
    settings.register_profile("half-probe", max_examples=30)
    settings.load_profile("half-probe")
    try:

        @half_the_examples
        @given(st.integers())
        def probe(value: int) -> None:
            pass

    finally:
        settings.load_profile(before)
    assert probe._hypothesis_internal_use_settings.max_examples == 15
