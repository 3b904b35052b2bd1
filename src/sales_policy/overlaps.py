"""Rows of punches and visits that overlap an earlier file's: the same ``record_id``
(``repeated_ids``), or, without one, the same event (``repeated_rows``), as exports that
overlap are, read twice; and the id that names one record of a type (``unique_key``), by
which the other types' repeats are rejected (``tables``)."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from .recordfields import fields_of
from .validation import REF, ref_text_of

_ID_FIELDS = ("request_id", "order_id", "contract_id", "record_id")


def repeated_ids(
    tables: dict[str, pl.DataFrame], sources: list[str], copies: Sequence[str] = ()
) -> dict[str, tuple[int, str, str]]:
    """Rows of punches and visits (the types whose ``record_id`` is optional, which no
    duplicate id rejects: a clock may number its punches per device) that repeat the
    ``record_id`` of a row of an earlier file: most likely exports that overlap, read twice.
    By type: how many, and the first such row and the row it repeats (``file:line``).
    Looked for only where a type's rows come from more than one file (a min and max of the
    references, ~1 ms, on one file's punches). The rows of ``copies``, files holding the
    same bytes as an earlier file, which a note of their own names, are not counted."""
    return _repeated(tables, sources, copies, by_content=False)


#: what makes a punch or a visit the same event, where no ``record_id`` says so
SAME_EVENT = {
    "punch": ("employee_id", "at", "direction"),
    "customer_visit": ("employee_id", "customer_id", "start", "end"),
}


def repeated_rows(
    tables: dict[str, pl.DataFrame], sources: list[str], copies: Sequence[str] = ()
) -> dict[str, tuple[int, str, str]]:
    """Rows of punches and visits without a ``record_id`` repeated by id that are the same
    event (``SAME_EVENT``: employee, instant and direction) as a row of an earlier file: a
    month exported twice (as CSV, then as a workbook) by a clock that gives no ids, read
    twice. By type, as ``repeated_ids``."""
    return _repeated(tables, sources, copies, by_content=True)


def _repeated(
    tables: dict[str, pl.DataFrame], sources: list[str], copies: Sequence[str], *, by_content: bool
) -> dict[str, tuple[int, str, str]]:
    # a copy's sources: the file, or each sheet of a workbook (``file[sheet]``)
    skip = [
        i
        for i, name in enumerate(sources)
        if any(name == copy or name.startswith(f"{copy}[") for copy in copies)
    ]
    repeated = {}
    for record_type, table in tables.items():
        if unique_key(record_type) is not None or (by_content and record_type not in SAME_EVENT):
            continue
        refs = table.get_column(REF)
        if table.is_empty() or refs.min() >> 32 == refs.max() >> 32:  # type: ignore[operator]
            continue
        has_ids = "record_id" in table.columns
        if not by_content and not has_ids:
            continue
        source = pl.col(REF) // (1 << 32)
        named = pl.col("record_id").is_not_null() if has_ids else pl.lit(False)
        if by_content:  # the rows not repeated by id (said so), by what they hold
            shared = _in_shared_span(table, _WHEN[record_type])
            if shared is None:  # no two files' spans of time meet: no event in two
                continue
            # the same event's rows share their instant: all in the rows kept, or none
            earliest = pl.col(REF).min().over(list(SAME_EVENT[record_type]))
            rows = table.filter(shared).with_columns(earliest.alias("_earlier"))
            if has_ids:  # repeated by id: a later file than the first with the id
                ids = rows.get_column("record_id").drop_nulls().unique()
                first = (
                    table.filter(pl.col("record_id").is_in(ids.implode()))
                    .group_by("record_id")
                    .agg(source.min().alias("_first"))
                )
                rows = rows.join(first, on="record_id", how="left")
                by_id = (named & (source > pl.col("_first"))).fill_null(False)
                rows = rows.filter(~by_id)
        else:
            shared = _in_shared_span(table, "record_id")
            if shared is None:  # no two files' ranges of ids meet: no id in two
                continue
            earliest = pl.col(REF).min().over("record_id")
            rows = table.filter(named & shared).select(REF, earliest.alias("_earlier"))
        later = rows.filter((source > pl.col("_earlier") // (1 << 32)) & ~source.is_in(skip))
        if later.is_empty():
            continue
        first_later, earlier = later.sort(REF).select(REF, "_earlier").row(0)
        repeated[record_type] = (
            later.height,
            ref_text_of(first_later, sources),
            ref_text_of(earlier, sources),
        )
    return repeated


#: the instant of an event of ``SAME_EVENT``, which the same event's rows share
_WHEN = {"punch": "at", "customer_visit": "start"}


def _in_shared_span(table: pl.DataFrame, column: str) -> pl.Expr | None:
    """The rows whose ``column`` lies where the spans (lowest to highest value) of two
    sources of ``table`` meet: the only rows whose value (an instant, a record_id) a row of
    another source can hold too.  None where no two meet: a year's monthly exports, whose
    instants and ids (202601-P..., 202602-P...) each month has to itself, are compared
    by a few rows at most, not by a window over the year's."""
    at = pl.col(column).to_physical()
    spans = (
        table.group_by(pl.col(REF) // (1 << 32))
        .agg(at.min().alias("lo"), at.max().alias("hi"))
        .drop_nulls()  # a source of no value in the column
        .sort("lo")
        .select("lo", "hi")
        .rows()
    )
    meets = sorted(
        (max(lo, other_lo), min(hi, other_hi))
        for i, (lo, hi) in enumerate(spans)
        for other_lo, other_hi in spans[i + 1 :]
        if max(lo, other_lo) <= min(hi, other_hi)
    )
    merged: list[tuple[int, int]] = []
    for lo, hi in meets:
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    if not merged:
        return None
    return pl.any_horizontal(at.is_between(pl.lit(lo), pl.lit(hi)) for lo, hi in merged)


def unique_key(record_type: str) -> str | None:
    """The id that names one record of a type, when the type has a required one."""
    for spec in fields_of(record_type):
        if spec.required and spec.name in _ID_FIELDS:
            return spec.name
    return "employee_id" if record_type == "employee" else None
