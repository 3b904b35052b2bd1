"""Time-zone helpers for columnar code.

polars converts time zones by a constant zone name only, while each employee may have their
own.  ``in_zones`` builds one branch per zone present in the data (a run has few: one per
office) and picks each row's branch by its zone column.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import polars as pl


def in_zones(
    zone_column: str, zones: Sequence[str], build: Callable[[str], pl.Expr], dtype: pl.DataType
) -> pl.Expr:
    """``build(zone)`` evaluated for the rows whose ``zone_column`` is that zone.

    polars converts time zones by a constant name only; the zones in one run are few (one per
    office), so one pass per zone is cheap.
    """
    branches = [pl.when(pl.col(zone_column) == zone).then(build(zone)) for zone in zones]
    return pl.coalesce(branches).cast(dtype) if branches else pl.lit(None, dtype)
