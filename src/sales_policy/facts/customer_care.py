"""Facts of the customer care rule set (derivation in progress)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from .schema import FactTable

if TYPE_CHECKING:
    from . import FactContext

TABLES: tuple[FactTable, ...] = ()


def derive(context: FactContext) -> dict[str, pl.DataFrame]:
    """The customer care fact tables."""
    return {}
