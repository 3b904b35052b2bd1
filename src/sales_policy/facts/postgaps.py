"""The ``post_gap`` facts: an out punch followed by an in punch the same day, and the minutes
of that gap inside the required interval not covered by a customer visit (handbook 4.3;
docs/attendance.md, ATT-LEFT-POST)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from ..validation import REF as _REF
from .daygrid import DAY, KEY, required_pieces
from .intervals import as_utc, ceil_minutes, subtract

if TYPE_CHECKING:
    from .attendance import Prepared


def post_gaps(
    grid: pl.DataFrame,
    cut_pieces: pl.DataFrame,
    punches: pl.DataFrame,
    prepared: Prepared,
    clock: pl.DataFrame,
) -> pl.DataFrame:
    """Out punches followed by an in punch the same day, measured inside required pieces.

    Directed punches are in (day, instant, direction) order, "in" before "out" at the same
    instant, so the pair is the next row when it has the same ``_day``."""
    directed = punches.filter(pl.col("_dir") != 2)
    gaps = directed.with_columns(
        pl.col("at").shift(-1).alias("_back"),
        pl.col(_REF).shift(-1).alias("returned_ref"),
        (
            (pl.col("_dir") == 1)
            & (pl.col("_dir").shift(-1) == 0)
            & (pl.col(DAY).shift(-1) == pl.col(DAY))
        ).alias("_pair"),
    ).filter(pl.col("_pair"))
    on_day = grid.select(pl.col(*KEY, "timezone").gather(gaps.get_column(DAY)))  # row _day
    gaps = (
        gaps.with_columns(on_day.get_columns())
        .select(
            DAY,
            *KEY,
            "timezone",
            pl.col("at").alias("_left"),
            "_back",
            pl.col(_REF).alias("left_ref"),
            "returned_ref",
        )
        .with_row_index("_gap")
    )
    if gaps.is_empty():  # no out-and-back: no minutes to measure
        return gaps.select(_post_gap_columns(pl.lit(None, pl.Int64)))
    required = required_pieces(grid, clock, cut_pieces, gaps.get_column(DAY).unique())
    inside = (
        gaps.select("_gap", DAY, "_emp", "_left", "_back")
        .join(required, on=DAY)
        .select(
            "_gap",
            "_emp",
            pl.max_horizontal("_left", "start").alias("start"),
            pl.min_horizontal("_back", "end").alias("end"),
        )
        .filter(pl.col("start") < pl.col("end"))
        .with_row_index("_inside")
    )
    cuts = (
        inside.select("_inside", "_emp")
        .join(prepared.visits.select("_emp", "start", "end"), on="_emp")
        .drop("_emp")
    )
    away = subtract(inside.select("_inside", "start", "end"), cuts, "_inside")
    per_gap = (
        away.join(inside.select("_inside", "_gap"), on="_inside")
        .group_by("_gap")
        .agg((pl.col("end") - pl.col("start")).sum().alias("_away"))
    )
    return gaps.join(per_gap, on="_gap", how="left", maintain_order="left").select(
        _post_gap_columns(pl.col("_away"))
    )


def _post_gap_columns(away: pl.Expr) -> list[pl.Expr]:
    """The post_gap facts of gaps with microseconds ``away`` (null: none)."""
    return [
        *(pl.col(c) for c in (*KEY, "timezone")),
        as_utc("_left").alias("left_at"),
        as_utc("_back").alias("returned_at"),
        ceil_minutes(away.fill_null(0)).alias("minutes_away"),
        pl.col("left_ref"),
        pl.col("returned_ref"),
    ]
