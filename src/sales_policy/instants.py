"""Timestamps resolved to UTC instants, after validation (``sales_policy.timestamps`` reads
their text into a wall time and an offset).

A timestamp with an offset is that instant.  A naive one is read in the employee's timezone
(the employee record's, else the policy's); a local time that does not exist there (clocks
moved forward) rejects its row.  Ambiguous local times (clocks moved back) take the earlier
instant (docs/inputs.md).
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from .recordfields import fields_of
from .timestamps import OFFSET, patch, rows_where
from .validation import REF, rejects_where
from .zones import in_zones

#: a column of the tables that hold naive times: how many each row holds, until the rows
#: accepted are counted (``naive_by_source``)
NAIVE = "_naive"


def resolve_times(
    tables: dict[str, pl.DataFrame], policy_timezone: str, sources: list[str]
) -> list[pl.DataFrame]:
    """Turn wall time + offset into UTC instants; reject local times that do not exist.
    Returns the rejects.  A table holding naive times keeps how many each row holds
    (``NAIVE``), for ``naive_by_source`` to count those of the rows that end accepted.

    Times with an offset are resolved in one step for the whole table; the rows holding naive
    ones, usually few or none, are taken out and resolved on their own (``_resolve_naive``),
    so that only they pay for the zone lookups and conversions."""
    employees = tables.get("employee")
    zones = (
        employees.select("employee_id", pl.col("timezone").alias("_tz"))
        if employees is not None
        else pl.DataFrame(schema={"employee_id": pl.String, "_tz": pl.String})
    )
    rejects: list[pl.DataFrame] = []
    for record_type, table in tables.items():
        names = [f.name for f in fields_of(record_type) if f.kind == "datetime"]
        if not names:
            continue
        naive = [pl.col(name).is_not_null() & pl.col(name + OFFSET).is_null() for name in names]
        counts = table.select(cells.sum() for cells in naive).row(0)
        counted = [pl.sum_horizontal(naive).cast(pl.UInt8).alias(NAIVE)] if any(counts) else []
        resolved = table.with_columns(*(_with_offset(name) for name in names), *counted)
        if any(counts):
            rows = rows_where(table, pl.any_horizontal(naive))
            local = _resolve_naive(table[rows], names, zones, policy_timezone)
            resolved = patch(resolved, rows, local.select(names))
            # Each row is rejected for its first field whose local time does not exist.
            gone = pl.repeat(False, local.height, eager=True)
            for name in names:
                gap = local.get_column(f"_gap_{name}") & ~gone
                if gap.any():
                    reason = (
                        pl.lit("local time does not exist in ")
                        + pl.col("_tz")
                        + " (clocks moved forward)"
                    )
                    wall = pl.col(f"_wall_{name}").dt.strftime("%Y-%m-%dT%H:%M:%S%.f")
                    rejects.append(
                        rejects_where(local, gap, record_type, name, reason, sources, wall)
                    )
                    gone = gone | gap
            if gone.any():
                dropped = pl.repeat(False, table.height, eager=True)
                dropped.scatter(rows.filter(gone), True)
                resolved = resolved.filter(~dropped)
        tables[record_type] = resolved.drop(name + OFFSET for name in names)
    return rejects


def naive_by_source(tables: dict[str, pl.DataFrame], sources: list[str]) -> dict[str, int]:
    """How many naive times the rows of ``tables`` hold, by source (of ``sources``, in their
    order), once every check that rejects rows has: a rejected row's times are not read.
    Takes the counts (``NAIVE``, of ``resolve_times``) out of the tables."""
    counts: dict[int, int] = {}
    for record_type, table in tables.items():
        if NAIVE not in table.columns:
            continue
        by_source = (
            table.filter(pl.col(NAIVE) > 0)
            .group_by((pl.col(REF) // (1 << 32)).alias("_source"))
            .agg(pl.col(NAIVE).sum())
        )
        for source, count in by_source.iter_rows():
            counts[source] = counts.get(source, 0) + count
        tables[record_type] = table.drop(NAIVE)
    return {sources[source]: counts[source] for source in sorted(counts)}


def _with_offset(name: str) -> pl.Expr:
    """The UTC instant of a wall time with an offset; null for a naive one."""
    shifted = pl.col(name) - pl.duration(seconds=pl.col(name + OFFSET))
    return shifted.dt.replace_time_zone("UTC").alias(name)


def _resolve_naive(
    part: pl.DataFrame, names: Sequence[str], zones: pl.DataFrame, policy_timezone: str
) -> pl.DataFrame:
    """Rows holding naive times, resolved: a naive time is read in the employee's zone
    (``_tz``: the employee record's, else the policy's), a time with an offset as ever;
    ``_gap_<field>`` marks the local times that do not exist (clocks moved forward)."""
    part = part.join(zones, on="employee_id", how="left", maintain_order="left")
    part = part.with_columns(pl.col("_tz").fill_null(policy_timezone))
    zone_names = part.get_column("_tz").unique().to_list()
    naive = {name: pl.col(name).is_not_null() & pl.col(name + OFFSET).is_null() for name in names}
    part = part.with_columns(cells.alias(f"_gap_{name}") for name, cells in naive.items())
    # the wall time read, for a reject's value when it does not exist
    part = part.with_columns(pl.col(name).alias(f"_wall_{name}") for name in names)
    resolved = []
    for name in names:

        def to_utc(zone: str, name: str = name) -> pl.Expr:
            return (
                pl.col(name)
                .dt.replace_time_zone(zone, ambiguous="earliest", non_existent="null")
                .dt.convert_time_zone("UTC")
            )

        local = in_zones("_tz", zone_names, to_utc, pl.Datetime("us", "UTC"))
        offset = pl.col(name + OFFSET)
        resolved.append(
            pl.when(offset.is_not_null()).then(_with_offset(name)).otherwise(local).alias(name)
        )
    part = part.with_columns(resolved)
    return part.with_columns(
        (pl.col(f"_gap_{name}") & pl.col(name).is_null()).alias(f"_gap_{name}") for name in names
    )
