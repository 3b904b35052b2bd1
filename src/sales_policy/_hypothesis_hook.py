"""Hypothesis' entry point: ``st.from_type(<record model>)`` draws valid records.

Hypothesis calls ``setup`` while it is being imported, possibly from inside the import of
``sales_policy.testing``; so nothing here imports the testing package until a strategy is
first drawn (``st.deferred``).
"""

from __future__ import annotations

from hypothesis import strategies as st


def _later(record_type: str) -> st.SearchStrategy[object]:
    def build() -> st.SearchStrategy[object]:
        from .testing.records import models

        return models(record_type)

    return st.deferred(build)


def setup() -> None:
    from .records import RECORD_MODELS

    for record_type, model in RECORD_MODELS.items():
        st.register_type_strategy(model, _later(record_type))
