"""Reading inputs into raw text frames, one per (source, record type).

Inputs are files (JSONL with a ``type`` per line; CSV and Parquet with one record type per
file; Excel workbooks with one record type per sheet), record models, dicts as in the JSONL
format, or polars DataFrames.  Every value is turned into text here, so that one columnar
validator (``sales_policy.tables``) judges every input the same way.  Rows that cannot even be
read (malformed JSON, a CSV line with the wrong number of fields, an unknown type) are
rejected here, with their line.  A column mapping (``sales_policy.mapping``) turns a foreign
export's columns and values into ours, once the record type of its rows is known.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import mmap
import re
import sys
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, NamedTuple
from xml.etree import ElementTree

import polars as pl

from .background import InThread
from .errors import InputError
from .mapping import ColumnMapping
from .recordfields import fields_of, record_type_for_name, record_types

LINE = "_line"
#: columns of a reject report: where, which field, the raw value, and why
REJECT_SCHEMA: dict[str, Any] = {
    "source": pl.String,
    "line": pl.Int64,
    "record_type": pl.String,
    "field": pl.String,
    "value": pl.String,
    "reason": pl.String,
}
FILE_SUFFIXES = (".csv", ".jsonl", ".ndjson", ".parquet", ".xlsx")


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

    def reject(self, source: str, line: int, reason: str, **extra: Any) -> None:
        self.rejects.append({"source": source, "line": line, "reason": reason, **extra})


def _text(value: Any) -> str | None:
    """One value as the text a file would hold; nested values are not single values."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    raise TypeError(f"expected a single value, found {type(value).__name__}")


def _known_type(name: str) -> str | None:
    return name if name in record_types() else record_type_for_name(name)


def _type_error(name: object) -> str:
    return f"unknown record type {name!r} (expected one of: {', '.join(record_types())})"


def _is_model(row: Any) -> bool:
    """Whether ``row`` is a pydantic model (a record object).  Without pydantic imported no
    model can exist, so a run that reads files and dicts never imports it (~70 ms)."""
    if "pydantic" not in sys.modules:
        return False
    from pydantic import BaseModel

    return isinstance(row, BaseModel)


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
            out.reject(source, line, f"expected an object, found {type(row).__name__}")
            continue
        given = row.get("type", type_hint)
        record_type = _known_type(given) if isinstance(given, str) else None
        if record_type is None:
            reason = "missing 'type'" if given is None else _type_error(given)
            out.reject(source, line, reason, field="type", value=_text_or_repr(given))
            continue
        names = [f.name for f in fields_of(record_type)]
        unknown = [k for k in row if k != "type" and k not in names]
        if unknown:
            out.reject(
                source,
                line,
                _unknown_field(unknown[0], names),
                record_type=record_type,
                field=str(unknown[0]),
                value=_text_or_repr(row[unknown[0]]),
            )
            continue
        try:
            values = {name: _text(row.get(name)) for name in names}
        except TypeError as exc:
            bad = next(n for n in names if not _is_scalar(row.get(n)))
            out.reject(
                source,
                line,
                str(exc),
                record_type=record_type,
                field=bad,
                value=_text_or_repr(row.get(bad)),
            )
            continue
        columns = grouped.setdefault(record_type, {name: [] for name in names})
        for name in names:
            columns[name].append(values[name])
        lines.setdefault(record_type, []).append(line)
    for record_type, columns in grouped.items():
        frame = pl.DataFrame(columns, schema={name: pl.String for name in columns})
        frame = frame.with_columns(pl.Series(LINE, lines[record_type], dtype=pl.Int64))
        out.frames.append(RawFrame(source, record_type, frame))


def _is_scalar(value: Any) -> bool:
    try:
        _text(value)
    except TypeError:
        return False
    return True


def _text_or_repr(value: Any) -> str | None:
    return value if isinstance(value, str) or value is None else repr(value)


def _unknown_field(name: str, names: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(str(name), names, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else f" (expected: {', '.join(names)})"
    return f"unknown field {name!r}{hint}"


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file: {exc.strerror}") from None


def _decode_bytes(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: not UTF-8 text (byte {exc.start}); re-save the export as UTF-8"
        ) from None


def _decode(path: Path) -> str:
    return _decode_bytes(path, _read_bytes(path))


def read_jsonl(path: Path, out: RawInputs, type_hint: str | None) -> None:
    text = _decode(path)
    source = str(path)
    rows: list[tuple[int, Any]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append((number, json.loads(line)))
        except json.JSONDecodeError as exc:
            out.read += 1
            out.reject(source, number, f"malformed JSON: {exc.msg} at column {exc.colno}")
    read_mappings(rows, source, out, type_hint)


def _table_type(path: Path, columns: list[str], type_hint: str | None) -> str | None:
    if type_hint is not None:
        return type_hint
    if "type" in columns:
        return None  # decided per row
    record_type = record_type_for_name(path.stem)
    if record_type is None:
        raise InputError(
            f"{path}: cannot tell which record type this file holds; name it after the type "
            f"(e.g. punches.csv), add a 'type' column, or pass --type "
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
            raise InputError(f"{path}: column {column!r}: {_unknown_field(column, names)}{hint}")
    missing = [f.name for f in fields_of(record_type) if f.required and f.name not in columns]
    if missing:
        raise InputError(
            f"{path}: no column {missing[0]!r}, which {record_type} records need "
            f"(columns found: {', '.join(columns)})"
        )


def _mapped(
    frame: pl.DataFrame, record_type: str, path: str | Path, out: RawInputs
) -> pl.DataFrame:
    """The frame's columns and values as ours, by the mapping of its type, checked."""
    mapping = out.columns.get(record_type)
    if mapping is not None:
        frame = mapping.apply(frame, str(path))
    _check_columns(path, record_type, frame.columns, mapping.origin if mapping else None)
    return frame


def _split_by_type(
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
        frame = _mapped(frame, record_type, path, out)
        out.frames.append(RawFrame(source, record_type, frame, stripped))
        return
    types = frame.get_column("type").str.strip_chars()
    for given in types.unique(maintain_order=True).to_list():
        part = frame.filter(types == given) if given is not None else frame.filter(types.is_null())
        known = _known_type(given) if given else None
        if known is None:
            for line in part.get_column(LINE).to_list():
                out.reject(
                    source,
                    line,
                    _type_error(given) if given else "missing 'type'",
                    field="type",
                    value=given,
                )
            continue
        mapped = _mapped(part.drop("type"), known, path, out)
        out.frames.append(RawFrame(source, known, mapped, stripped))


#: a file's content as ``_plain_csv`` reads it: bytes, or the file mapped into memory
Buffer = bytes | mmap.mmap

#: What ``str.splitlines`` ends a line at, besides ``\n``: files holding one (or a ``\r``
#: that does not start ``\r\n``) are read line by line in Python, never by polars.
_ODD_BREAKS = (b"\x0b", b"\x0c", b"\x1c", b"\x1d", b"\x1e")
_ODD_BREAKS_BEYOND_ASCII = tuple(mark.encode() for mark in ("\x85", "\u2028", "\u2029"))
_BOM = "\ufeff".encode()
#: What stripping removes (Unicode white space) and may be in a field of a file polars reads:
#: not the line breaks above.  In ASCII text that is a space or a tab.
_BLANKS = (
    " ",
    "\t",
    "\xa0",
    "\u1680",
    *map(chr, range(0x2000, 0x200B)),
    "\u202f",
    "\u205f",
    "\u3000",
)
#: ``_BLANKS`` as ``_blank_at_edge`` looks for them, in UTF-8
_BLANK_BYTES = tuple(blank.encode() for blank in _BLANKS)
#: the first bytes of the UTF-8 sequences of ``_ODD_BREAKS_BEYOND_ASCII`` and ``_BLANK_BYTES``
_LEADS = frozenset(mark[0] for mark in (*_ODD_BREAKS_BEYOND_ASCII, *_BLANK_BYTES) if mark[0] > 127)
#: the bytes next to a value's edge, in the data ``_plain_csv`` reads
_FIELD_EDGES = b",\r\n"
#: how many blanks inside values ``_blank_at_edge`` looks at before it answers yes
_BLANKS_LOOKED_AT = 1000


class PlainCsv(NamedTuple):
    """A CSV file read by polars: its record type (None: its ``type`` column says, row by
    row), its text frame, and whether no value begins or ends with a blank."""

    record_type: str | None
    frame: pl.DataFrame
    stripped: bool


def _holds(data: Buffer, mark: bytes) -> bool:
    """Whether ``mark`` is in ``data`` (``in`` on a mapped file finds single bytes only)."""
    return data.find(mark) != -1


def _blank_at_edge(data: Buffer, start: int, blanks: Sequence[bytes]) -> bool:
    """Whether a field of CSV bytes from ``start`` on may begin or end with a blank.

    A blank (``blanks``: of ``_BLANK_BYTES``) is at a field's edge when a comma, a line end or
    the end of the data is next to it (a ``\r`` is only before ``\n`` in the data
    ``_plain_csv`` reads).  Each blank is found by ``find`` (memchr for one byte), so the usual
    file, with no blanks or a few inside values, is answered in well under a millisecond; past
    ``_BLANKS_LOOKED_AT`` blanks the answer is yes, and validation strips as always."""
    end = len(data)
    looked_at = 0
    for blank in blanks:
        at = data.find(blank, start)
        while at != -1:
            looked_at += 1
            after = at + len(blank)
            if (
                looked_at > _BLANKS_LOOKED_AT
                or at == start
                or after == end
                or data[at - 1] in _FIELD_EDGES
                or data[after] in _FIELD_EDGES
            ):
                return True
            at = data.find(blank, after)
    return False


def _plain_bytes(data: Buffer) -> tuple[set[int], bytes | None] | None:
    """What ``_plain_csv`` needs to know of a file's bytes before it trusts polars' reading:
    None when they need the line-by-line reading (quotes, line breaks other than LF and
    CRLF); else the lead bytes beyond ASCII in the data, and the data as bytes when it holds
    CRLF line ends, to count them (a mapped file has no ``count``)."""
    if _holds(data, b'"') or any(_holds(data, mark) for mark in _ODD_BREAKS):
        return None
    # The sequences beyond ASCII looked for are those whose first byte is in the data: for a
    # file in ASCII, a few passes of memchr.
    leads = {lead for lead in _LEADS if _holds(data, bytes((lead,)))}
    if any(mark[0] in leads and _holds(data, mark) for mark in _ODD_BREAKS_BEYOND_ASCII):
        return None
    crlf = (data if isinstance(data, bytes) else data[:]) if _holds(data, b"\r") else None
    if crlf is not None and crlf.count(b"\r") != crlf.count(b"\r\n"):
        return None
    return leads, crlf


def _plain_csv(path: Path, data: Buffer, type_hint: str | None) -> PlainCsv | None:
    """The record type and text frame of a CSV file without quotes, read by polars (many
    threads) when every line is a row of exactly the header's fields; None when the file needs
    the line-by-line reading (quotes, blank lines, rows with the wrong number of fields, line
    breaks other than LF and CRLF, a single column, text that is not UTF-8), which then finds
    the same header problems and rejects those rows with their lines.  Also whether no value
    has blanks around it.

    ``data`` is the file's content: bytes, or the file mapped into memory
    (``_file_content``), in which case polars reads the file itself.  Every check is made on
    the bytes, the text's characters beyond ASCII as their UTF-8 sequences: decoding is left
    to polars, which fails on text that is not UTF-8 (and the line-by-line reading then says
    so).  The checks of the whole file's bytes (``_plain_bytes``, one pass of memchr per byte
    looked for) are made while polars reads it, which they may then prove was in vain."""
    start = len(_BOM) if data[: len(_BOM)] == _BOM else 0
    end = data.find(b"\n", start)
    first = (data[start:] if end == -1 else data[start:end]).removesuffix(b"\r")
    try:
        header = [h.strip() for h in next(csv.reader([first.decode()]))]
    except UnicodeDecodeError:
        return None
    if len(header) < 2 or len(set(header)) != len(header) or LINE in header:
        return None
    try:
        record_type = _table_type(path, header, type_hint)
    except InputError:
        if _plain_bytes(data) is None:
            return None  # the line-by-line reading says what is wrong, as for any such file
        raise
    body = 0 if end == -1 else len(data) - end - 1  # the bytes after the header line
    schema = dict.fromkeys(header, pl.String)
    if data[-1:] == b"," and body:  # polars ignores a last, empty field there, even one too many
        return None
    reading = (
        InThread(
            lambda: pl.read_csv(
                data if isinstance(data, bytes) else path,
                skip_lines=1,  # the header line, so that the body is not copied to be read
                has_header=False,
                schema=schema,
                infer_schema=False,
                quote_char=None,
                empty_string_is_null=False,
                raise_if_empty=False,
                # Numbered as read, the line column is in as many pieces as the text
                # columns: one added afterwards, in one piece, would have every later step
                # copy them all to match.
                row_index_name=LINE,
                row_index_offset=2,
            )
        )
        if body
        else None
    )
    plain = _plain_bytes(data)
    if plain is None:
        if reading is not None:
            reading.discard()  # whatever polars made of bytes it is not to read
        return None
    leads, crlf = plain
    blank = _blank_at_edge(data, end + 1, [b for b in _BLANK_BYTES if b.isascii() or b[0] in leads])
    try:
        frame = reading.result() if reading is not None else None
    except pl.exceptions.PolarsError:  # a row with more fields than the header; not UTF-8
        return None
    if frame is None:
        return PlainCsv(record_type, pl.DataFrame(schema={**schema, LINE: pl.Int64}), True)
    returns = crlf.count(b"\r", end + 1) if crlf is not None else 0
    # polars makes a row of each line, a blank or short one too (padded with empty fields), so
    # the rows' fields, the commas between them and the line ends add up to the bytes read
    # just when each line holds a full row.  (Counting the lines in Python as well would cost
    # a pass over the bytes.)
    rows = frame.height
    line_ends = rows if data[-1:] == b"\n" else rows - 1
    size = frame.select(pl.sum_horizontal(pl.col(header).str.len_bytes().sum())).item()
    if not rows or size + (len(header) - 1) * rows + line_ends + returns != body:
        return None
    return PlainCsv(record_type, frame.select(*header, pl.col(LINE).cast(pl.Int64)), not blank)


@contextlib.contextmanager
def _file_content(path: Path) -> Iterator[Buffer]:
    """A file's content, mapped into memory: read from the page cache where it is, not copied
    into fresh memory (on a million punches, 55 MB and ~13,500 page faults fewer).  What
    cannot be mapped (an empty file, a pipe) is read as bytes."""
    try:
        file = path.open("rb")
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file: {exc.strerror}") from None
    with file:
        try:
            mapped = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):
            yield _read_bytes(path)
            return
        with mapped:
            yield mapped


def read_csv(path: Path, out: RawInputs, type_hint: str | None) -> None:
    with _file_content(path) as data:
        plain = _plain_csv(path, data, type_hint)
    if plain is not None:
        _split_by_type(plain.frame, path, plain.record_type, out, stripped=plain.stripped)
        return
    read_csv_lines(path, _decode(path), out, type_hint)


def read_csv_lines(path: Path, text: str, out: RawInputs, type_hint: str | None) -> None:
    """A CSV file's text read line by line: any file, and exactly what ``_plain_csv`` reads
    of the files it takes."""
    lines = text.splitlines()
    if not lines:
        return
    header = [h.strip() for h in next(csv.reader([lines[0]]))]
    if len(set(header)) != len(header):
        raise InputError(f"{path}: the header repeats a column name: {', '.join(header)}")
    record_type = _table_type(path, header, type_hint)
    if '"' not in text:
        # Fast path: without quotes every line is one row, so fields split on commas.
        body = pl.Series("raw", lines[1:], dtype=pl.String).to_frame()
        body = body.with_columns(pl.int_range(2, len(lines) + 1, dtype=pl.Int64).alias(LINE))
        body = body.filter(pl.col("raw").str.strip_chars() != "")
        parts = pl.col("raw").str.strip_chars_end("\r").str.split(",")
        body = body.with_columns(parts.alias("parts"))
        width = body.get_column("parts").list.len()
        bad = body.filter(width != len(header))
        for line, count in zip(
            bad.get_column(LINE), bad.get_column("parts").list.len(), strict=True
        ):
            out.read += 1
            out.reject(str(path), line, f"expected {len(header)} fields, found {count}")
        good = body.filter(width == len(header))
        frame = good.select(
            *(pl.col("parts").list.get(i).alias(name) for i, name in enumerate(header)),
            pl.col(LINE),
        )
    else:
        reader = csv.reader(io.StringIO(text))
        next(reader)
        rows: list[list[str]] = []
        numbers: list[int] = []
        line = reader.line_num
        for row in reader:
            start, line = line + 1, reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                out.read += 1
                out.reject(str(path), start, f"expected {len(header)} fields, found {len(row)}")
                continue
            rows.append(row)
            numbers.append(start)
        frame = pl.DataFrame(rows, schema=dict.fromkeys(header, pl.String), orient="row")
        frame = frame.with_columns(pl.Series(LINE, numbers, dtype=pl.Int64))
    _split_by_type(frame, path, record_type, out)


def _as_text_frame(
    frame: pl.DataFrame, kinds: Mapping[str, str] | None = None, *, whole_floats: bool = False
) -> pl.DataFrame:
    """Typed columns (Parquet, DataFrames, Excel) as the text a CSV would hold.

    Excel's: ``kinds`` gives the field kind of a column, where known, so that a datetime cell
    at midnight in a date field is that date; with ``whole_floats`` a whole number (Excel
    stores every number as a float) is written without a fraction, as it is shown."""
    kinds = kinds or {}
    columns = []
    for name, dtype in frame.schema.items():
        column = pl.col(name)
        if isinstance(dtype, pl.Datetime) and dtype.time_zone is None and kinds.get(name) == "date":
            midnight = column.dt.time() == dt.time(0)
            column = (
                pl.when(midnight)
                .then(column.dt.to_string("%Y-%m-%d"))
                .otherwise(column.dt.to_string("%Y-%m-%dT%H:%M:%S%.6f"))
            )
        elif isinstance(dtype, pl.Datetime):
            if dtype.time_zone is not None:
                column = column.dt.convert_time_zone("UTC").dt.to_string(
                    "%Y-%m-%dT%H:%M:%S%.6f+00:00"
                )
            else:
                column = column.dt.to_string("%Y-%m-%dT%H:%M:%S%.6f")
        elif dtype == pl.Boolean:
            column = pl.when(column).then(pl.lit("true")).when(~column).then(pl.lit("false"))
        elif dtype == pl.Date:
            column = column.dt.to_string("%Y-%m-%d")
        elif whole_floats and dtype.is_float():
            whole = (column == column.round(0)) & (column.abs() < 2.0**53)
            column = pl.when(whole).then(column.cast(pl.Int64).cast(pl.String)).otherwise(column)
        elif isinstance(dtype, pl.List | pl.Struct | pl.Array):
            raise InputError(f"column {name!r} holds nested values; expected one value a cell")
        columns.append(column.cast(pl.String).str.strip_chars().replace("", None).alias(name))
    return frame.select(columns)


def read_frame(
    frame: pl.DataFrame, source: str, out: RawInputs, type_hint: str | None, path: Path | None
) -> None:
    text = _as_text_frame(frame).with_row_index(LINE, offset=1).cast({LINE: pl.Int64})
    where = path or Path(source)
    record_type = _table_type(where, text.columns, type_hint) if path else type_hint
    if record_type is None and "type" not in text.columns:
        raise InputError(f"{source}: say which record type the DataFrame holds (record_type=...)")
    _split_by_type(text, where, record_type, out, stripped=True)  # by ``_as_text_frame``


def read_parquet(path: Path, out: RawInputs, type_hint: str | None) -> None:
    try:
        frame = pl.read_parquet(path)
    except Exception as exc:  # polars raises several kinds for a damaged file
        raise InputError(f"{path}: not a readable Parquet file ({exc})") from None
    read_frame(frame, str(path), out, type_hint, path)


_SHEET_XML = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_SHEET_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _header_rows(path: Path) -> dict[str, int]:
    """The sheet row number of each sheet's first row holding a value (the header row).

    The Excel reader starts a sheet at its first row with a value; the row numbers of the
    sheet are read here from the workbook's XML, up to that first value.  A sheet this cannot
    be told of starts at row 1."""
    rows: dict[str, int] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
            rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
            targets = {r.get("Id"): r.get("Target") or "" for r in rels}
            for sheet in book.iter(f"{_SHEET_XML}sheet"):
                target = targets.get(sheet.get(_SHEET_REL))
                name = sheet.get("name")
                if not target or name is None:
                    continue
                member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                with archive.open(member) as stream:
                    rows[name] = _first_valued_row(stream)
    except (KeyError, OSError, zipfile.BadZipFile, ElementTree.ParseError):
        return rows
    return rows


def _first_valued_row(stream: IO[bytes]) -> int:
    row = 1
    for event, element in ElementTree.iterparse(stream, events=("start", "end")):
        if event == "start" and element.tag == f"{_SHEET_XML}row":
            row = int(element.get("r") or row)
        elif event == "end" and element.tag == f"{_SHEET_XML}c":
            if (element.findtext(f"{_SHEET_XML}v") or "") != "" or (
                element.find(f"{_SHEET_XML}is") is not None
            ):
                place = re.search(r"[0-9]+$", element.get("r") or "")
                return int(place.group()) if place else row
            element.clear()
    return row


def _sheet_type(path: Path, sheet: str, columns: list[str], type_hint: str | None) -> str | None:
    """``--type``, else per row by a ``type`` column, else the sheet's name, else the file's."""
    if type_hint is not None:
        return type_hint
    if "type" in columns:
        return None
    record_type = record_type_for_name(sheet) or record_type_for_name(path.stem)
    if record_type is None:
        raise InputError(
            f"{path}[{sheet}]: cannot tell which record type this sheet holds; name the sheet "
            f"or the file after the type (e.g. punches), add a 'type' column, or pass --type "
            f"({', '.join(record_types())})"
        )
    return record_type


def _column_kinds(record_type: str | None, columns: list[str], out: RawInputs) -> dict[str, str]:
    """The field kind of each column, through the type's mapping; none when types vary."""
    if record_type is None:
        return {}
    kinds = {f.name: f.kind for f in fields_of(record_type)}
    mapping = out.columns.get(record_type)
    renames = mapping.fields if mapping is not None else {}
    return {c: kinds[renames.get(c, c)] for c in columns if renames.get(c, c) in kinds}


def read_excel(path: Path, out: RawInputs, type_hint: str | None) -> None:
    """Each sheet of an Excel workbook (``.xlsx``) holding anything, as the rows of one
    record type (or of the types its ``type`` column names); the source of a sheet is
    ``file[sheet]`` and a row's line is its sheet row number.  Empty rows are skipped."""
    try:
        import fastexcel
    except ImportError:
        raise InputError(
            f"{path}: reading Excel files needs the fastexcel package "
            f"(pip install 'sales_policy[excel]')"
        ) from None
    try:
        reader = fastexcel.read_excel(str(path))
    except Exception as exc:  # fastexcel raises its own kinds for a damaged file
        raise InputError(f"{path}: not a readable Excel workbook ({exc})") from None
    header_rows = _header_rows(path)
    for index, sheet_name in enumerate(reader.sheet_names):
        source = f"{path}[{sheet_name}]"
        try:
            head = reader.load_sheet(index, header_row=None, n_rows=1).to_polars()
            sheet = reader.load_sheet(index, schema_sample_rows=None).to_polars()
        except Exception as exc:
            raise InputError(f"{source}: cannot read the sheet ({exc})") from None
        if head.width == 0:
            continue  # an empty sheet
        header = [
            "" if cell is None else str(cell).strip()
            for cell in _as_text_frame(head, whole_floats=True).row(0)
        ]
        keep = [
            i
            for i, name in enumerate(header)
            if name or sheet.to_series(i).null_count() < sheet.height
        ]
        for i in keep:
            if not header[i]:
                raise InputError(f"{source}: column {i + 1} holds values but has no header")
        header = [header[i] for i in keep]
        if len(set(header)) != len(header) or LINE in header:
            raise InputError(f"{source}: the header repeats a column name: {', '.join(header)}")
        frame = sheet.select(sheet.columns[i] for i in keep)
        frame.columns = header
        record_type = _sheet_type(path, sheet_name, header, type_hint)
        first = header_rows.get(sheet_name, 1)
        text = _as_text_frame(frame, _column_kinds(record_type, header, out), whole_floats=True)
        text = text.with_columns(
            pl.int_range(first + 1, first + 1 + text.height, dtype=pl.Int64).alias(LINE)
        )
        text = text.filter(~pl.all_horizontal(pl.exclude(LINE).is_null()))
        _split_by_type(text, source, record_type, out, stripped=True)  # by ``_as_text_frame``


def read_inputs(
    inputs: Iterable[Any], type_hint: str | None = None, columns: ColumnMapping | None = None
) -> RawInputs:
    """Read every input into raw text frames; see the module docstring for what is taken.
    ``columns`` maps foreign exports' columns and values to ours (tabular inputs only)."""
    if type_hint is not None and _known_type(type_hint) is None:
        raise InputError(_type_error(type_hint))
    type_hint = _known_type(type_hint) if type_hint else None
    out = RawInputs(columns=columns or ColumnMapping())
    loose: list[tuple[int, Any]] = []
    for item in inputs:
        if isinstance(item, str | Path):
            path = Path(item)
            if not path.is_file():
                raise InputError(f"{path}: no such file")
            suffix = path.suffix.lower()
            if suffix in (".jsonl", ".ndjson"):
                read_jsonl(path, out, type_hint)
            elif suffix == ".csv":
                read_csv(path, out, type_hint)
            elif suffix == ".parquet":
                read_parquet(path, out, type_hint)
            elif suffix == ".xlsx":
                read_excel(path, out, type_hint)
            else:
                raise InputError(
                    f"{path}: unknown file format {suffix or '(none)'!r}; expected one of "
                    f"{', '.join(FILE_SUFFIXES)}"
                )
        elif isinstance(item, pl.DataFrame):
            read_frame(item, f"<dataframe {len(out.frames)}>", out, type_hint, None)
        else:
            loose.append((len(loose) + 1, item))
    if loose:
        read_mappings(loose, "<records>", out, type_hint)
    return out
