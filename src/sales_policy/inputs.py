"""Reading inputs into raw text frames (``sales_policy.rawframes``), one per (source, record
type).

Inputs are files (JSONL with a ``type`` per line; CSV and Parquet with one record type per
file, CSV read by ``sales_policy.csvfiles``; Excel workbooks with one record type per sheet,
read by ``sales_policy.excel``), record models, dicts as in the JSONL format, or polars
DataFrames.  Every value is turned into text, so that one columnar validator
(``sales_policy.validation``) judges every input the same way.  Rows that cannot even be read
(malformed JSON, a CSV line with the wrong number of fields, an unknown type) are rejected by
the readers, with their line.  A column mapping (``sales_policy.mapping``) turns a foreign
export's columns and values into ours, once the record type of its rows is known.
"""

from __future__ import annotations

import datetime as dt
import itertools
import sys
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl

from .background import InThread
from .csvfiles import read_csv
from .errors import InputError, is_utf8, kind_of, shown
from .givenfiles import collected_frames, copies_of, is_table, refuse_repeats
from .jsonlfiles import json_rows
from .mapping import ColumnMapping
from .rawframes import (
    LINE,
    RawFrame,
    RawInputs,
    as_text_frame,
    column_kinds,
    counted_by_source,
    known_type,
    refuse_line_column,
    split_by_type,
    table_type,
    type_error,
    unknown_field,
)
from .recordfields import fields_of
from .textfiles import decode
from .timetext import day_of

FILE_SUFFIXES = (".csv", ".jsonl", ".ndjson", ".parquet", ".xlsx")


def _text(value: Any, kind: str | None = None) -> str | None:
    """One value as the text a file would hold; nested values are not single values.  In a
    field of text (``kind`` "str": an id, a name) a whole number is the text of its digits,
    as a spreadsheet holds ids, but true or false, or a number with a point, is no text
    anyone wrote: ``true`` or ``1500.0`` as an employee's id would be another employee."""
    if value is None:
        return None
    if kind == "str" and isinstance(value, bool | float | Decimal):
        found = kind_of(value) if isinstance(value, bool) else f"the number {value}"
        raise TypeError(f"expected text or a whole number, found {found}")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        if not is_utf8(value):
            raise TypeError("expected text, found half of a surrogate pair (no character)")
        return value
    if isinstance(value, int | float | Decimal):
        try:
            return str(value)
        except ValueError:  # more digits than Python writes out (4,300)
            raise TypeError("expected a single value, found a number of too many digits") from None
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    raise TypeError(f"expected a single value, found {kind_of(value)}")


def _is_model(row: Any) -> bool:
    """Whether ``row`` is a pydantic model (a record object).  Without pydantic imported no
    model can exist, so a run that reads files and dicts never imports it (~70 ms)."""
    if "pydantic" not in sys.modules:
        return False
    from pydantic import BaseModel

    return isinstance(row, BaseModel)


def is_one_input(item: Any) -> bool:
    """Whether ``item`` is one input, not a list of them: a file's path, a DataFrame, a dict
    or a record object (a pydantic model iterates over its fields, a dict over its keys), or
    a table of another kind (``givenfiles.is_table``), collected or refused as one."""
    return isinstance(item, str | Path | pl.DataFrame | dict) or _is_model(item) or is_table(item)


def read_mappings(
    rows: Iterable[tuple[int, Any]], source: str, out: RawInputs, type_hint: str | None
) -> None:
    """Group dicts (JSONL lines or API dicts) by type into raw frames; reject what is off."""
    grouped: dict[str, dict[str, list[str | None]]] = {}
    lines: dict[str, list[int]] = {}
    for line, row in rows:
        out.read += 1
        if _is_model(row):
            row = {"type": getattr(row, "record_type", None), **row.model_dump(mode="json")}
        if not isinstance(row, Mapping):
            out.reject(source, line, f"expected an object, found {kind_of(row)}")
            continue
        given = row.get("type", type_hint)
        record_type = known_type(given) if isinstance(given, str) else None
        if record_type is None:
            reason = "missing 'type'" if given is None else type_error(given)
            out.reject(source, line, reason, field="type", value=_text_or_repr(given))
            continue
        specs = fields_of(record_type)
        names = [f.name for f in specs]
        unknown = [k for k in row if k != "type" and k not in names]
        if unknown:
            # a key that is no text is shown as one: an integer of 5,000 digits has no str()
            key = unknown[0] if isinstance(unknown[0], str) else shown(unknown[0])
            out.reject(
                source,
                line,
                unknown_field(key, names),
                record_type=record_type,
                field=_text_or_repr(key),
                value=_text_or_repr(row[unknown[0]]),
            )
            continue
        try:
            values = {f.name: _text(row.get(f.name), f.kind) for f in specs}
        except TypeError as exc:
            bad = next(f.name for f in specs if not _is_scalar(row.get(f.name), f.kind))
            out.reject(
                source,
                line,
                str(exc),
                record_type=record_type,
                field=bad,
                value=_text_or_repr(row.get(bad)),
            )
            continue
        for spec in specs:  # a date-time at midnight, given for a date, is that date
            moment = row.get(spec.name)
            if spec.kind == "date" and isinstance(moment, dt.datetime) and (day := day_of(moment)):
                values[spec.name] = day.isoformat()
        columns = grouped.setdefault(record_type, {name: [] for name in names})
        for name in names:
            columns[name].append(values[name])
        lines.setdefault(record_type, []).append(line)
    for record_type, columns in grouped.items():
        frame = pl.DataFrame(columns, schema={name: pl.String for name in columns})
        frame = frame.with_columns(pl.Series(LINE, lines[record_type], dtype=pl.Int64))
        out.frames.append(RawFrame(source, record_type, frame))


def _is_scalar(value: Any, kind: str | None = None) -> bool:
    try:
        _text(value, kind)
    except TypeError:
        return False
    return True


def _text_or_repr(value: Any) -> str | None:
    """A value as a rejected row shows it: text as it is, where a file can hold it; else
    as ``shown``."""
    if value is None or (isinstance(value, str) and is_utf8(value)):
        return value
    return shown(value)


def read_jsonl(path: Path, out: RawInputs, type_hint: str | None) -> None:
    source = str(path)
    rows = json_rows(decode(path, out.columns.encoding, out), source, out)
    read_mappings(rows, source, out, type_hint)


def read_frame(
    frame: pl.DataFrame, source: str, out: RawInputs, type_hint: str | None, path: Path | None
) -> None:
    refuse_line_column(source, frame.columns)
    where = path or Path(source)
    record_type = table_type(where, frame.columns, type_hint) if path else type_hint
    if record_type is None and "type" not in frame.columns:
        raise InputError(f"{source}: say which record type the DataFrame holds (record_type=...)")
    kinds = column_kinds(record_type, frame.columns, out)
    text = as_text_frame(frame, source, kinds)
    text = text.with_row_index(LINE, offset=1).cast({LINE: pl.Int64})
    split_by_type(text, where, record_type, out, stripped=True)  # by ``as_text_frame``


def read_parquet(path: Path, out: RawInputs, type_hint: str | None) -> None:
    try:
        frame = pl.read_parquet(path)
    except Exception as exc:  # polars raises several kinds for a damaged file
        raise InputError(f"{path}: not a readable Parquet file ({exc})") from None
    read_frame(frame, str(path), out, type_hint, path)


def _read_file(path: Path, out: RawInputs, type_hint: str | None) -> None:
    if not path.is_file():
        if path.is_dir():
            raise InputError(f"{path}: a folder, not a file (give its files: {path / '*.csv'})")
        if path.exists():
            raise InputError(f"{path}: not a regular file (a pipe or a device); save it first")
        raise InputError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        read_jsonl(path, out, type_hint)
    elif suffix == ".csv":
        read_csv(path, out, type_hint)
    elif suffix == ".parquet":
        read_parquet(path, out, type_hint)
    elif suffix == ".xlsx":
        from .excel import read_excel  # zipfile and an XML parser: ~3 ms to import

        read_excel(path, out, type_hint)
    else:
        # Excel 97-2003's own format, which the Excel reader does not take
        old = "; save it as an Excel workbook (.xlsx) or as CSV UTF-8" if suffix == ".xls" else ""
        raise InputError(
            f"{path}: unknown file format {suffix or '(none)'!r}; expected one of "
            f"{', '.join(FILE_SUFFIXES)}{old}"
        )


def _read_files(
    paths: list[Path], type_hint: str | None, columns: ColumnMapping
) -> list[RawInputs | Exception]:
    """Each file read into a ``RawInputs`` of its own, two at a time; or what reading it
    raised, for the caller to raise in the order of the inputs.

    A file's reading keeps the two cores busy only part of the time (its own checks of the
    bytes, and polars' setting up, run on one), the more so the smaller the file: a year
    exported month by month is some fifty files."""
    results: dict[int, RawInputs | Exception] = {}
    claimed = itertools.count()  # next() on it is atomic: each file is read once

    def work() -> None:
        while (index := next(claimed)) < len(paths):
            part = RawInputs(columns=columns)
            try:
                _read_file(paths[index], part, type_hint)
            except Exception as exc:  # raised by the caller, in the order of the inputs
                results[index] = exc
            else:
                results[index] = part

    helper = InThread(work, name="sales-policy-read") if len(paths) > 1 else None
    try:
        work()
    finally:
        if helper is not None:
            helper.result()
    return [results[index] for index in range(len(paths))]


def _take(out: RawInputs, part: RawInputs, source: str) -> None:
    """One input's reading (``part``) taken into ``out``, and its rows counted under
    ``source``, the name its rows carry, where it has none."""
    out.frames.extend(part.frames)
    out.rejects.extend(part.rejects)
    out.read += part.read
    out.read_by_source |= counted_by_source(part) or {source: 0}
    out.utf8_too.extend(part.utf8_too)


def read_inputs(
    inputs: Iterable[Any], type_hint: str | None = None, columns: ColumnMapping | None = None
) -> RawInputs:
    """Read every input into raw text frames; see the module docstring for what is taken.
    ``columns`` maps foreign exports' columns and values to ours (tabular inputs only).
    Files are read two at a time (``_read_files``), and handed on in the order given, as if
    read one after another: the first error in that order is raised."""
    if type_hint is not None and known_type(type_hint) is None:
        raise InputError(type_error(type_hint))
    type_hint = known_type(type_hint) if type_hint else None
    out = RawInputs(columns=columns if columns is not None else ColumnMapping())
    items = collected_frames(list(inputs))
    paths = [Path(item) for item in items if isinstance(item, str | Path)]
    refuse_repeats(paths)
    files = iter(_read_files(paths, type_hint, out.columns))
    loose: list[tuple[int, Any]] = []
    frames_given: dict[int, str] = {}  # id of each DataFrame: its name
    frames: list[tuple[pl.DataFrame, str]] = []  # each DataFrame of rows, and its name
    frame_copies: list[tuple[str, str]] = []
    for item in items:
        if isinstance(item, str | Path):
            part = next(files)
            if isinstance(part, Exception):
                raise part
            _take(out, part, str(Path(item)))
        elif isinstance(item, pl.DataFrame):
            # named by its place among the DataFrames, whatever frames the others made (one
            # of no row, or of rows all rejected, makes none): each its own rows' count
            part = RawInputs(columns=out.columns)
            source = f"<dataframe {len(frames_given)}>"
            if id(item) in frames_given:  # as a file given twice: every row twice
                raise InputError(
                    f"{source}: the DataFrame given as {frames_given[id(item)]} again; "
                    "give each once"
                )
            frames_given[id(item)] = source
            read_frame(item, source, part, type_hint, None)
            _take(out, part, source)
            if item.height:  # a copy (df.clone()) of an earlier one: its rows read twice
                earlier = next((name for f, name in frames if f.equals(item)), None)
                if earlier is not None:
                    frame_copies.append((source, earlier))
                frames.append((item, source))
        else:
            loose.append((len(loose) + 1, item))
    if loose:
        read_mappings(loose, "<records>", out, type_hint)
    out.copies = [
        (copy, earlier)
        for copy, earlier in copies_of(paths)
        # of rows (a workbook's are its sheets'): two exports of no row are no rows twice
        if any(n for s, n in out.read_by_source.items() if s == copy or s.startswith(f"{copy}["))
    ]
    out.copies += frame_copies
    return out
