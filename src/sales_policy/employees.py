"""An employee's rows merged: the rows of one ``employee_id`` read as snapshots of one employee.

A staff list is exported again and again (each quarter, each month), and a later export adds
``left_on`` for those who left; so a batch run merges the rows of one ``employee_id`` in input
order (docs/inputs.md, "An employee's rows are merged"): a row may repeat the earlier ones and
give fields they left empty; a row giving another value for a field an earlier row gave, or a
``left_on`` before the merged ``hired_on``, is rejected, naming the row that gave the other
value.  ``employee_conflict`` says why a row cannot be merged; the live engine merges an
employee's records posted again by it too (``sales_policy.live.staff``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from .validation import REF, ref_text_of, reject_frame


def employed_between(first: pl.Expr | dt.date, last: pl.Expr | dt.date) -> pl.Expr:
    """Whether a row's employee is employed on some day from ``first`` to ``last`` (by its
    ``hired_on`` and ``left_on`` columns; one that is null sets no bound): hired on or
    before ``last``, and not gone before ``first``.  With ``first`` and ``last`` one date:
    employed that day (handbook days are judged from ``hired_on`` to ``left_on``)."""
    hired, left = pl.col("hired_on"), pl.col("left_on")
    return (hired.is_null() | (hired <= last)) & (left.is_null() | (left >= first))


def merge_employees(
    table: pl.DataFrame, sources: list[str]
) -> tuple[pl.DataFrame, list[pl.DataFrame], int]:
    """The rows of one ``employee_id`` as one employee: snapshots of a staff list (a
    quarter's export, then the next, with ``left_on`` set for those who left) repeat each
    other and add what the earlier ones left empty.  In reference order, a row is merged into
    the first row of its id when each field it gives is the same as the one the rows merged so
    far give, or is one they leave empty; else it is rejected, naming the first field that
    differs and the row that gave it.  The merged row keeps the first row's reference.
    Returns the table, the rejects and how many rows were merged into an earlier one."""
    key = "employee_id"
    repeated = table.get_column(key).is_duplicated()
    rows = table.filter(repeated).sort(REF)
    fields = [name for name in table.columns if name not in (key, REF)]
    # The usual case, snapshots that agree, at once: an employee whose rows give at most one
    # value of each field, and no left_on before hired_on, is those values, every row merged.
    merged = rows.group_by(key, maintain_order=True).agg(
        pl.col(REF).first(),
        *(pl.col(name).drop_nulls().first() for name in fields),
        pl.any_horizontal(pl.col(name).drop_nulls().n_unique() > 1 for name in fields).alias(
            "_differ"
        ),
    )
    left_before_hired = (pl.col("left_on") < pl.col("hired_on")).fill_null(False)
    agreed = merged.filter(~pl.col("_differ") & ~left_before_hired)
    rows = rows.filter(~pl.col(key).is_in(agreed.get_column(key).implode()))
    kept: dict[str, dict[str, Any]] = {}  # employee_id: the merged row
    given_by: dict[str, dict[str, int]] = {}  # employee_id: field: the reference giving it
    conflicts: list[tuple[int, str, Any, str]] = []
    for row in rows.iter_rows(named=True):  # the others, row by row
        employee_id, ref = row[key], row[REF]
        held, given = kept.get(employee_id, {}), given_by.get(employee_id, {})
        conflict = employee_conflict(row, held, given, sources)
        if conflict is not None:
            conflicts.append((ref, conflict[0], row[conflict[0]], conflict[1]))
            continue
        named = [name for name, value in row.items() if value is not None and name != REF]
        kept[employee_id] = row | {n: v for n, v in held.items() if v is not None}
        given_by[employee_id] = dict.fromkeys(named, ref) | given
    merged_rows = int(repeated.sum()) - agreed.height - len(kept) - len(conflicts)
    table = pl.concat(
        [
            table.filter(~repeated),
            agreed.select(table.columns),
            pl.DataFrame(list(kept.values()), schema=table.schema, orient="row"),
        ]
    ).sort(REF)
    rejects = reject_frame(
        {
            "source": sources[ref >> 32],
            "line": ref & 0xFFFFFFFF,
            "record_type": "employee",
            "field": name,
            "value": str(value),
            "reason": reason,
        }
        for ref, name, value, reason in conflicts
    )
    return table, [rejects] if conflicts else [], merged_rows


def employee_conflict(
    row: dict[str, Any], merged: dict[str, Any], given: dict[str, int], sources: list[str]
) -> tuple[str, str] | None:
    """Why an employee's row cannot be merged into their rows merged so far (``merged``, each
    field given by the row ``given`` names), and the field it is for; None when it can."""
    for name, value in row.items():
        if name != REF and value is not None and merged.get(name) not in (None, value):
            return name, (
                f"{row['employee_id']}'s row at {ref_text_of(given[name], sources)} gives "
                f"{name} '{merged[name]}': rows of one employee may repeat and add to each "
                "other, not differ"
            )
    if row["hired_on"] is not None and row["left_on"] is not None:
        # wrong in itself, as the relation check (_RELATIONS) would reject it
        return (
            ("left_on", "left_on is before hired_on") if row["left_on"] < row["hired_on"] else None
        )
    name, other = ("left_on", "hired_on") if row["left_on"] is not None else ("hired_on", "left_on")
    if row[name] is None or merged.get(other) is None:
        return None
    if (row[name] < merged[other]) if name == "left_on" else (merged[other] < row[name]):
        return name, (
            f"{row['employee_id']}'s row at {ref_text_of(given[other], sources)} gives "
            f"{other} '{merged[other]}': left_on would be before hired_on"
        )
    return None
