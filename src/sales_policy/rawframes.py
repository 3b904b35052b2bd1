"""Raw text frames: what every reader of inputs makes and hands on.

A reader (``sales_policy.inputs`` for records, dicts, JSONL, DataFrames and Parquet;
``sales_policy.csvfiles``; ``sales_policy.excel``) turns every value into text and hands the
rows on as raw frames, one per (source, record type), with the line of each row; rows that
cannot even be read are rejected there with their line.  Here: those frames, the record type
a file holds, its columns checked against the type's fields (after a column mapping turns a
foreign export's columns and values into ours), and typed columns written as text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from .callerwords import said
from .errors import InputError, shown
from .mapping import ColumnMapping
from .recordfields import fields_of, record_type_for_file, record_type_for_name, record_types
from .textfiles import RESAVE, utf16_hint, utf16_order

LINE = "_line"
#: dtypes whose values are texts from a fixed set
_TEXTUAL = (pl.Categorical, pl.Enum)
#: columns of a reject report: where, which field, the raw value, and why
REJECT_SCHEMA: dict[str, Any] = {
    "source": pl.String,
    "line": pl.Int64,
    "record_type": pl.String,
    "field": pl.String,
    "value": pl.String,
    "reason": pl.String,
}


@dataclass
class RawFrame:
    """Text columns of one record type from one source; ``_line`` locates each row."""

    source: str
    record_type: str
    frame: pl.DataFrame
    #: True when the reader has seen that no value begins or ends with a blank, so that
    #: validation need not strip them (stripping every value costs about half as much as
    #: reading the file)
    stripped: bool = False


@dataclass
class RawInputs:
    frames: list[RawFrame] = field(default_factory=list)
    rejects: list[dict[str, Any]] = field(default_factory=list)
    read: int = 0
    #: how foreign exports' columns and values become ours, per record type
    columns: ColumnMapping = field(default_factory=ColumnMapping)
    #: the rows read of each file (or sheet) given, in the order given, a file of no row too
    #: (``tables.read_by_source`` adds the other sources)
    read_by_source: dict[str, int] = field(default_factory=dict)
    #: the files read in another encoding than UTF-8 that are UTF-8 text too (``textfiles.decode``)
    utf8_too: list[str] = field(default_factory=list)
    #: the files given holding rows and the same bytes as a file given before them, each
    #: with that earlier file (``givenfiles.copies_of``)
    copies: list[tuple[str, str]] = field(default_factory=list)
    #: whether the frames were taken to be validated (they are let go then: ``tables``)
    taken: bool = False

    def reject(self, source: str, line: int, reason: str, **extra: Any) -> None:
        self.rejects.append({"source": source, "line": line, "reason": reason, **extra})


def counted_by_source(raw: RawInputs) -> dict[str, int]:
    """The rows read of each source of ``raw``: its rows handed on to be validated, and
    those rejected as they were read (a line that is no JSON, a row of the wrong width),
    which together are every row it counted; in the order of the sources' first rows."""
    counted: dict[str, int] = {}
    for frame in raw.frames:
        counted[frame.source] = counted.get(frame.source, 0) + frame.frame.height
    for reject in raw.rejects:
        counted[reject["source"]] = counted.get(reject["source"], 0) + 1
    return counted


def known_type(name: str) -> str | None:
    return name if name in record_types() else record_type_for_name(name)


def type_error(name: object) -> str:
    return f"unknown record type {shown(name)} (expected one of: {', '.join(record_types())})"


def title_hint(place: str) -> str:
    """Said where the first ``place`` (a file's line, a sheet's row) holding values holds
    one name, no field's: most often an export's title above the column names."""
    return (
        f"if the first {place} holding values is a title above the column names (a report's "
        "name, its month), delete it, so that the column names come first"
    )


def unknown_field(name: str, names: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(str(name), names, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else f" (expected: {', '.join(names)})"
    return f"unknown field {shown(name)}{hint}"  # cut short: a file not CSV is one "name"


def table_type(path: Path, columns: list[str], type_hint: str | None) -> str | None:
    """The record type of a file's rows (None: its ``type`` column says, row by row):
    ``--type`` for a file its name names no type of; else per row, else the type its name
    names, else an ``InputError``.  (A file named after a type is read as without ``--type``,
    which names the type of exports named otherwise: ``employees.csv`` beside a month's
    ``考勤.csv`` exports.)"""
    record_type = record_type_for_file(path.stem)
    if type_hint is not None and record_type is None:
        return type_hint
    if "type" in columns:
        return None  # decided per row
    if record_type is None:
        raise InputError(
            f"{path}: cannot tell which record type this file holds; name it after the type "
            f"(e.g. punches.csv), add a 'type' column, or pass {said('--type', 'record_type=')} "
            f"({', '.join(record_types())})"
        )
    return record_type


def _check_columns(
    path: str | Path, record_type: str, columns: list[str], mapped: str | None = None
) -> None:
    names = [f.name for f in fields_of(record_type)]
    for column in columns:
        if column not in names and column not in ("type", LINE):
            hint = (
                f"; map it or list it under ignore in the mapping of {record_type} ({mapped})"
                if mapped
                else ""
            )
            separator = next((s for s in (";", "\t", "|") if s in column), None)
            reason = unknown_field(column, names)
            order = utf16_order(column.encode()) if str(path).lower().endswith(".csv") else None
            if order is not None:
                hint += f"; {utf16_hint(order, RESAVE)}"
            elif separator is not None and len(columns) <= 2:
                marks = {";": "semicolons", "\t": "tabs", "|": "bars"}[separator]
                hint += f"; the file seems separated by {marks}: save it with commas"
            elif len([c for c in columns if c != LINE]) == 1:
                hint += f"; {title_hint('line')}"
            elif not mapped and "did you mean" not in reason:
                # a column no field is like (工号, 打卡时间): another system's export
                hint += (
                    "; an export in another system's layout is read with a column mapping, "
                    f"which maps its columns to {record_type}'s fields or ignores them "
                    f"({said('--map FILE', 'a ColumnMapping')}, or the policy's columns; "
                    "docs/inputs.md)"
                )
            raise InputError(f"{path}: column {shown(column)}: {reason}{hint}")
    missing = [f.name for f in fields_of(record_type) if f.required and f.name not in columns]
    if missing:
        raise InputError(
            f"{path}: no column {missing[0]!r}, which {record_type} records need "
            f"(columns found: {', '.join(c for c in columns if c != LINE) or 'none'})"
        )


def _map_columns(
    frame: pl.DataFrame, record_type: str, path: str | Path, out: RawInputs
) -> pl.DataFrame:
    """The frame's columns and values as ours, by the mapping of its type, checked."""
    mapping = out.columns.get(record_type)
    if mapping is not None:
        frame = mapping.apply(frame, str(path))
    _check_columns(path, record_type, frame.columns, mapping.origin if mapping else None)
    return frame


def split_by_type(
    frame: pl.DataFrame,
    path: str | Path,
    record_type: str | None,
    out: RawInputs,
    *,
    stripped: bool = False,
) -> None:
    """Hand the frame on as raw frames by record type (``stripped``: see ``RawFrame``; a
    mapping keeps it true, as it strips the values it translates)."""
    source = str(path)
    out.read += frame.height
    if record_type is not None:
        if "type" in frame.columns:
            frame = frame.drop("type")
        frame = _map_columns(frame, record_type, path, out)
        out.frames.append(RawFrame(source, record_type, frame, stripped))
        return
    types = frame.get_column("type").str.strip_chars()
    for given in types.unique(maintain_order=True).to_list():
        part = frame.filter(types == given) if given is not None else frame.filter(types.is_null())
        known = known_type(given) if given else None
        if known is None:
            for line in part.get_column(LINE).to_list():
                out.reject(
                    source,
                    line,
                    type_error(given) if given else "missing 'type'",
                    field="type",
                    value=given,
                )
            continue
        mapped = _map_columns(part.drop("type"), known, path, out)
        out.frames.append(RawFrame(source, known, mapped, stripped))


def refuse_line_column(source: str | Path, columns: Sequence[str]) -> None:
    """An input's column named like the readers' own line column (``LINE``) is an error."""
    if LINE in columns:
        raise InputError(
            f"{source}: column {LINE!r}: the name is the reader's own (the line of each row); "
            "rename the column"
        )


def column_kinds(record_type: str | None, columns: Sequence[str], out: RawInputs) -> dict[str, str]:
    """The field kind of each column that is a field, through the type's mapping; when the
    rows name their types (``record_type`` None), the kind a column's name has in every type
    with a field of that name, where they agree."""
    if record_type is None:
        kinds: dict[str, set[str]] = {}
        for known in record_types():
            for spec in fields_of(known):
                kinds.setdefault(spec.name, set()).add(spec.kind)
        return {c: next(iter(kinds[c])) for c in columns if len(kinds.get(c, ())) == 1}
    of_type = {f.name: f.kind for f in fields_of(record_type)}
    mapping = out.columns.get(record_type)
    renames = mapping.fields if mapping is not None else {}
    return {c: of_type[renames.get(c, c)] for c in columns if renames.get(c, c) in of_type}


def excel_datetime_text(column: pl.Expr, kind: str | None) -> pl.Expr:
    """A workbook's date cell (a naive date-time) as the text a CSV would hold: a time alone
    (a date-time on Excel's day 0, 1899-12-31) is that time, which no date-time field takes;
    a date-time at midnight in a date field is that date; any other, the date-time."""
    time_alone = column.dt.date() < dt.date(1900, 1, 1)
    at_midnight = column.dt.time() == dt.time(0)
    return (
        pl.when(time_alone)
        .then(column.dt.to_string("%H:%M:%S"))
        .when(at_midnight & pl.lit(kind == "date"))
        .then(column.dt.to_string("%Y-%m-%d"))
        .otherwise(column.dt.to_string("%Y-%m-%dT%H:%M:%S%.6f"))
    )


#: floats written as whole numbers, when they are: beyond 2**53 a float is no exact count
_EXACT_WHOLE = 2.0**53


def as_text_frame(
    frame: pl.DataFrame,
    source: str,
    kinds: Mapping[str, str] | None = None,
    *,
    excel: bool = False,
) -> pl.DataFrame:
    """Typed columns (Parquet, DataFrames, Excel) as the text a CSV would hold.

    ``kinds`` gives the field kind of a column, where known (``column_kinds``).  A whole
    float or decimal in a whole-number field, an id or a text is written without a fraction
    (600.0 is 600: pandas writes an integer column that holds a null as floats); a fraction
    is kept (to be rejected where a whole number is due), and a NaN in an id or a text is
    no value, as pandas means it.
    A naive date-time at midnight in a date field is that date (``timetext.day_of``), as a
    workbook's date cell is.  Excel's (``excel``): a whole number (Excel stores every number
    as a float) is written without a fraction in every field, as it is shown; a date cell
    reads as ``excel_datetime_text`` says.  A column of values that are no cell's (nested,
    durations, objects, bytes) or named like the reader's own line column is an
    ``InputError``."""
    kinds = kinds or {}
    columns = []
    refuse_line_column(source, frame.columns)
    for name, dtype in frame.schema.items():
        column = pl.col(name)
        if isinstance(dtype, pl.Datetime) and dtype.time_zone is None and excel:
            column = excel_datetime_text(column, kinds.get(name))
        elif isinstance(dtype, pl.Datetime):
            if dtype.time_zone is not None:
                column = column.dt.convert_time_zone("UTC").dt.to_string(
                    "%Y-%m-%dT%H:%M:%S%.6f+00:00"
                )
            elif kinds.get(name) == "date":
                at_midnight = column.dt.time() == dt.time(0)
                column = (
                    pl.when(at_midnight)
                    .then(column.dt.to_string("%Y-%m-%d"))
                    .otherwise(column.dt.to_string("%Y-%m-%dT%H:%M:%S%.6f"))
                )
            else:
                column = column.dt.to_string("%Y-%m-%dT%H:%M:%S%.6f")
        elif dtype == pl.Boolean:
            column = pl.when(column).then(pl.lit("true")).when(~column).then(pl.lit("false"))
        elif dtype == pl.Date:
            column = column.dt.to_string("%Y-%m-%d")
        elif dtype == pl.Time:
            column = column.dt.to_string("%H:%M:%S")
        elif dtype.is_float() and (excel or kinds.get(name) in ("int", "str")):
            whole = (column == column.round(0)) & (column.abs() < _EXACT_WHOLE)
            column = pl.when(whole).then(column.cast(pl.Int64).cast(pl.String)).otherwise(column)
            if kinds.get(name) == "str":  # NaN, pandas' mark of a missing value, is none
                column = pl.when(pl.col(name).is_nan()).then(None).otherwise(column)
        elif isinstance(dtype, pl.Decimal) and kinds.get(name) in ("int", "str"):
            column = column.cast(pl.String).str.replace(r"\.0+$", "")
        elif isinstance(dtype, pl.List | pl.Struct | pl.Array):
            raise InputError(
                f"{source}: column {name!r} holds nested values; expected one value a cell"
            )
        elif not (
            dtype.is_numeric() or dtype in (pl.String, pl.Null) or isinstance(dtype, _TEXTUAL)
        ):
            raise InputError(
                f"{source}: column {name!r} holds {dtype} values; expected text, numbers, "
                "true/false, dates or date-times"
            )
        columns.append(column.cast(pl.String).str.strip_chars().replace("", None).alias(name))
    return frame.select(columns)
