"""Record tables: one typed, columnar table per record type, and the rows rejected.

Raw text frames (``sales_policy.inputs``) are validated column-wise
(``sales_policy.validation``): each row gets the first field that is wrong and why, and ends
in exactly one place, a table or the rejects.  Then duplicate ids are rejected (the rows of
one employee are merged instead), and
timestamps (read by ``sales_policy.timestamps``) are resolved to UTC instants
(``sales_policy.instants``): a timestamp with an offset is that instant; a naive one is read
in the employee's timezone (the employee record's, else the policy's); 12 or 13 digits and
nothing else are milliseconds since the Unix epoch, an instant (UTC).  Intervals that end
before they start and fields that disagree are rejected last.

Every table keeps ``_ref``, a reference to the input row (source index and line), so findings
can cite the rows that made them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from . import employees
from .background import InThread
from .inputs import read_inputs
from .instants import naive_by_source, resolve_times
from .mapping import ColumnMapping
from .overlaps import repeated_ids, repeated_rows, unique_key
from .rawframes import RawFrame, RawInputs, counted_by_source
from .recordfields import REVERSED_ORDER_STATUSES, fields_of
from .validation import (
    REF,
    SOURCE,
    ref_text_of,
    reject_frame,
    rejects_where,
    validate_frame,
)


@dataclass
class RecordTables:
    """The accepted rows per record type, the rejected rows, and the counts."""

    tables: dict[str, pl.DataFrame]
    rejects: pl.DataFrame
    sources: list[str]
    read: int
    #: naive timestamps of the rows accepted (read in the employee's or the policy's
    #: timezone), by source
    naive_by_source: dict[str, int] = field(default_factory=dict)
    #: rows read per source, in the order given (``read_by_source``)
    read_by_source: dict[str, int] = field(default_factory=dict)
    #: the files read in another encoding than UTF-8 that are UTF-8 text too
    utf8_too: list[str] = field(default_factory=list)
    #: the files of rows holding the same bytes as a file given before, each with it
    copies: list[tuple[str, str]] = field(default_factory=list)
    #: of the record types whose ``record_id`` is optional (punches, visits), which no
    #: duplicate id rejects: the rows repeating the id of a row of an earlier file, and the
    #: first such row and that earlier row (``file:line``), per type (``repeated_ids``)
    repeated: dict[str, tuple[int, str, str]] = field(default_factory=dict)
    #: punches and visits that are the same event as a row of an earlier file, as
    #: ``repeated`` (``repeated_rows``)
    repeated_rows: dict[str, tuple[int, str, str]] = field(default_factory=dict)
    #: the rows of each table released (``release``), counted still
    released: dict[str, int] = field(default_factory=dict)
    #: the rows accepted and merged into an earlier row of their type (an employee's rows,
    #: ``employees.merge_employees``), which are no row of the table
    merged: dict[str, int] = field(default_factory=dict)

    @property
    def naive_timestamps(self) -> int:
        return sum(self.naive_by_source.values())

    @property
    def accepted(self) -> int:
        return sum(self.heights().values())

    def heights(self) -> dict[str, int]:
        """The accepted rows per record type, released tables' and merged rows included."""
        heights = {name: table.height for name, table in self.tables.items()} | self.released
        return {name: n + self.merged.get(name, 0) for name, n in heights.items()}

    def release(self, record_type: str) -> None:
        """Let go of a table whose rows have been read for good, so that its memory can be
        used again; its rows still count, and reading it afterwards is an error."""
        table = self.tables.pop(record_type, None)
        if table is not None:
            self.released[record_type] = table.height

    def table(self, record_type: str) -> pl.DataFrame:
        """The table of one type; an empty one with the right columns when there was none."""
        if record_type in self.tables:
            return self.tables[record_type]
        if record_type in self.released:
            raise RuntimeError(f"the {record_type} table was released after its rows were read")
        return pl.DataFrame(schema=table_schema(record_type))

    def ref_text(self, ref: int) -> str:
        return ref_text_of(ref, self.sources)


_DTYPES: dict[str, Any] = {
    "str": pl.String,
    "enum": pl.String,
    "timezone": pl.String,
    "date": pl.Date,
    "datetime": pl.Datetime("us", "UTC"),
    "bool": pl.Boolean,
    "int": pl.Int64,
    "float": pl.Float64,
    "decimal": pl.Decimal(38, 4),
}


def table_schema(record_type: str) -> dict[str, Any]:
    schema = {f.name: _DTYPES[f.kind] for f in fields_of(record_type)}
    schema[REF] = pl.Int64
    return schema


#: relations between fields that one field alone cannot check: (type, wrong when, field, why)
_RELATIONS = (
    ("employee", pl.col("left_on") < pl.col("hired_on"), "left_on", "left_on is before hired_on"),
    (
        "satisfaction_survey",
        pl.col("score") > pl.col("scale_max"),
        "score",
        "score is above scale_max",
    ),
    (
        "order",
        pl.col("status").is_in(REVERSED_ORDER_STATUSES) & pl.col("reversed_at").is_null(),
        "reversed_at",
        "a cancelled or refunded order needs reversed_at",
    ),
    (
        "order",
        (pl.col("status") == "booked") & pl.col("reversed_at").is_not_null(),
        "reversed_at",
        "a booked order has no reversed_at",
    ),
    (
        "order",
        pl.col("reversed_at") < pl.col("booked_at"),
        "reversed_at",
        "reversed_at is before booked_at",
    ),
)


def _check_rows(
    tables: dict[str, pl.DataFrame], sources: list[str]
) -> tuple[list[pl.DataFrame], list[pl.DataFrame]]:
    """Reject records whose end is not after their start (dates: before their start), then
    those whose fields disagree (``_RELATIONS``, in order); the interval and relation rejects.

    Each check is of one row, so a table's checks are found in one step, and only a table
    with rows to reject is taken apart: a row goes for its first failed check, as it would
    were the checks made one after another, each on the rows the others left."""
    interval_rejects: list[pl.DataFrame] = []
    relation_rejects: list[tuple[int, pl.DataFrame]] = []
    for record_type, table in tables.items():
        checks: list[tuple[int | None, pl.Expr, str, str]] = []
        if {"start", "end"} <= set(table.columns):
            dated = table.schema["start"] == pl.Date
            wrong = pl.col("end") < pl.col("start") if dated else pl.col("end") <= pl.col("start")
            reason = "end is before start" if dated else "end is not after start"
            checks.append((None, wrong, "end", reason))
        for index, (relation_type, wrong, name, reason) in enumerate(_RELATIONS):
            if relation_type == record_type:
                checks.append((index, wrong, name, reason))
        if not checks:
            continue
        failed = table.select(
            wrong.fill_null(False).alias(f"_check_{i}") for i, (_, wrong, _, _) in enumerate(checks)
        )
        if not any(column.any() for column in failed.iter_columns()):
            continue
        gone = pl.repeat(False, table.height, eager=True)
        for column, (relation, _, name, reason) in zip(failed.iter_columns(), checks, strict=True):
            wrong_here = column & ~gone
            value = pl.col(name)
            if isinstance(table.schema[name], pl.Datetime):  # ISO 8601, the instant in UTC
                value = value.dt.strftime("%Y-%m-%dT%H:%M:%S%.f%:z")
            part = rejects_where(table, wrong_here, record_type, name, reason, sources, value)
            if relation is None:
                interval_rejects.append(part)
            else:
                relation_rejects.append((relation, part))
            gone = gone | wrong_here
        tables[record_type] = table.filter(~gone)
    relation_rejects.sort(key=lambda indexed: indexed[0])
    return interval_rejects, [part for _, part in relation_rejects]


def _drop_duplicates(
    tables: dict[str, pl.DataFrame], sources: list[str], merged: dict[str, int] | None
) -> list[pl.DataFrame]:
    """Reject every row after the first with the same id (request, order...); the rows of
    one employee are merged (``employees.merge_employees``) unless ``merged`` is None, those merged
    counted in ``merged``."""
    rejects = []
    for record_type, table in tables.items():
        key = unique_key(record_type)
        if key is None:
            continue
        if record_type == "employee" and merged is not None:
            if table.get_column(key).is_duplicated().any():
                tables[record_type], conflicts, merged[record_type] = employees.merge_employees(
                    table, sources
                )
                rejects.extend(conflicts)
            continue
        # Not the first reference of its id; in reference order already (the usual case), not
        # the first row of its id, found by hashing instead of ranking in groups.
        later = (
            ~pl.col(key).is_first_distinct()
            if table.get_column(REF).is_sorted()
            else pl.col(REF).rank("ordinal").over(key) > 1
        )
        repeated = table.select(later & pl.col(key).is_not_null()).to_series()
        if not repeated.any():
            continue
        reason = pl.lit(f"duplicate {key} '") + pl.col(key) + "'"
        rejects.append(
            rejects_where(table, repeated, record_type, key, reason, sources, pl.col(key))
        )
        tables[record_type] = table.filter(~repeated)
    return rejects


def _joined(frames: list[RawFrame], sources: list[str]) -> RawFrame:
    """Raw frames of one record type as one, in one piece, each row with its source's
    position in ``sources`` (``SOURCE``) when they come from several.  A column some frames
    lack is null in their rows, as validation reads an absent column; values are stripped
    unless every frame was read stripped."""
    first = frames[0]
    if len(frames) == 1:
        return dataclasses.replace(first, frame=first.frame.rechunk())
    parts = [
        frame.frame.with_columns(pl.lit(sources.index(frame.source), pl.UInt32).alias(SOURCE))
        for frame in frames
    ]
    return RawFrame(
        first.source,
        first.record_type,
        pl.concat(parts, how="diagonal_relaxed", rechunk=True),
        stripped=all(frame.stripped for frame in frames),
    )


def _validated(raw: RawInputs, sources: list[str]) -> list[tuple[pl.DataFrame, pl.DataFrame, str]]:
    """The raw frames of ``raw`` validated (``validate_frame``) by record type, joined
    (``_joined``) where several files hold one type: accepted rows, rejected rows, record
    type, the types in the order their first frames come.

    A month exported file by file (per office, or a year month by month) is many frames of
    one type; validating them as one frees the check of most of the fixed cost of each step,
    a few milliseconds per frame (a year of 2,000 employees' monthly exports, 49 files and
    1.1 million rows: ~300-375 ms to validate frame by frame on two cores, ~155-250 ms by
    type).  The largest type is validated in a thread of its own while the others are, one
    after another, beside it: polars keeps the two cores busy only part of the time
    validating one frame (on a million punches and their month's other records, ~25-30 ms
    sooner).  Each type's raw frames are let go once joined (``raw.frames`` is emptied), and
    its text is held in one piece only: while a file is validated its text is not also held
    as read, in pieces (on a million punches, ~110 MB less at the step that needs the
    most)."""
    frames, raw.frames, raw.taken = raw.frames, [], True
    by_type: dict[str, list[RawFrame]] = {}
    for frame in frames:
        by_type.setdefault(frame.record_type, []).append(frame)
    del frames
    groups = list(by_type.values())
    by_type.clear()
    order = sorted(
        range(len(groups)), key=lambda i: sum(f.frame.height for f in groups[i]), reverse=True
    )
    results: dict[int, tuple[pl.DataFrame, pl.DataFrame, str]] = {}

    def validate(position: int) -> tuple[pl.DataFrame, pl.DataFrame, str]:
        joined = _joined(groups[position], sources)
        groups[position] = []  # let go as read
        accepted, rejected = validate_frame(joined, sources)
        return accepted, rejected, joined.record_type

    largest = InThread(lambda: validate(order[0]), name="sales-policy-validate") if order else None
    for position in order[1:]:
        results[position] = validate(position)
    if largest is not None:
        results[order[0]] = largest.result()
    return [results[position] for position in range(len(groups))]


def build_tables(
    inputs: Iterable[Any] | RawInputs,
    *,
    policy_timezone: str,
    type_hint: str | None = None,
    columns: ColumnMapping | None = None,
    merge_employees: bool = True,
) -> RecordTables:
    """Read, validate and resolve every input; see the module docstring.  ``columns`` maps
    foreign exports' columns and values to ours (``sales_policy.mapping``).  ``inputs``
    already read (``RawInputs``) are taken as they are.  The rows of one employee are merged
    (``employees.merge_employees``), or, with ``merge_employees=False``, all but the first
    rejected as duplicates."""
    raw = inputs if isinstance(inputs, RawInputs) else read_inputs(inputs, type_hint, columns)
    sources = list(dict.fromkeys(frame.source for frame in raw.frames))
    read_by_source = _read_by_source(raw)
    parts: dict[str, list[pl.DataFrame]] = {}
    reject_parts = [reject_frame(raw.rejects)]
    for accepted, rejected, record_type in _validated(raw, sources):
        parts.setdefault(record_type, []).append(accepted)
        if rejected.height:
            reject_parts.append(rejected)
    for source in dict.fromkeys(r["source"] for r in raw.rejects):  # first seen, first
        if source not in sources:
            sources.append(source)
    tables = {name: pl.concat(frames, how="vertical") for name, frames in parts.items()}
    merged: dict[str, int] | None = {} if merge_employees else None
    reject_parts.extend(_drop_duplicates(tables, sources, merged))
    reject_parts.extend(resolve_times(tables, policy_timezone, sources))
    interval_rejects, relation_rejects = _check_rows(tables, sources)
    reject_parts.extend(interval_rejects)
    reject_parts.extend(relation_rejects)
    naive = naive_by_source(tables, sources)  # those of the rows accepted
    rejects = pl.concat(reject_parts, how="vertical").sort("source", "line", nulls_last=True)
    return RecordTables(
        tables=tables,
        rejects=rejects,
        sources=sources,
        read=raw.read,
        naive_by_source=naive,
        read_by_source=read_by_source,
        utf8_too=raw.utf8_too,
        copies=raw.copies,
        repeated=repeated_ids(tables, sources, [copy for copy, _ in raw.copies]),
        repeated_rows=repeated_rows(tables, sources, [copy for copy, _ in raw.copies]),
        merged=merged or {},
    )


def _read_by_source(raw: RawInputs) -> dict[str, int]:
    """The rows read of each source: the files' and the DataFrames' as they were read
    (``RawInputs.read_by_source``, in the order given), then the records'."""
    others = counted_by_source(raw)
    return raw.read_by_source | {
        source: n for source, n in others.items() if source not in raw.read_by_source
    }


def empty_tables(record_types: Sequence[str] = ()) -> dict[str, pl.DataFrame]:
    return {name: pl.DataFrame(schema=table_schema(name)) for name in record_types}
