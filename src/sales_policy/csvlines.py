"""CSV files read line by line, in Python: any file polars does not read whole
(``sales_policy.csvfiles``), with quotes, line breaks in values, rows of the wrong width,
which it rejects with their lines.  It reads exactly what polars reads of the files polars
takes (the tests compare them)."""

from __future__ import annotations

import contextlib
import csv
import io
import threading
from collections.abc import Iterator
from pathlib import Path

import polars as pl

from .errors import InputError, shown
from .rawframes import (
    LINE,
    RawInputs,
    refuse_line_column,
    split_by_type,
    table_type,
    title_hint,
)
from .textfiles import text_lines


def _width_reason(width: int, row: list[str], start: int, end: int, lines: list[str]) -> str:
    """Why a row of the wrong width was rejected; for one that runs over several lines, that
    a quote may have been left open there: every line up to ``end`` was read into it."""
    reason = f"expected {width} fields, found {len(row)}"
    if end == start:
        return reason
    where = "the end of the file" if end >= len(lines) else f"line {end}"
    return (
        f"{reason}: a quoted field runs from line {start} to {where}, and every line "
        "between is part of this row (a quote left open?)"
    )


def _left_open(lines: list[str]) -> bool:
    """Whether the rows of these lines, to the end of the file, end inside a quoted field:
    a quote left open, which CSV reads as taking every line after it."""
    try:
        for _ in csv.reader(io.StringIO("\n".join(lines), newline=""), strict=True):
            pass
    except csv.Error:
        return True
    return False


class _Unreadable(csv.Error):
    """A row the csv module cannot read, at its ``line``."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def _quoted_rows(
    text: str, lines: list[str], width: int
) -> tuple[list[list[str]], list[int], list[tuple[int, str, str]]]:
    """The rows of a CSV file's text after its header, read by the csv module (quoted
    fields, line breaks in them): the rows of ``width`` fields and the line each starts on,
    and the rows rejected whole, each as its line, the reason and the line as read.  Raises
    ``_Unreadable`` (a ``csv.Error``) for a field over the module's limit."""
    # Lines end at LF, CRLF or CR, as ``text_lines`` ends them: the reader is given the line
    # ends untranslated (newline=""), as csv wants, so that a file of CR line ends (classic
    # Mac OS) or a CR in a field is read, not refused as a whole.
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[list[str]] = []
    numbers: list[int] = []
    rejected: list[tuple[int, str, str]] = []
    line = 0
    try:
        next(reader)
        line = reader.line_num
        for row in reader:
            start, line = line + 1, reader.line_num
            if len(row) <= 1 and not "".join(row).strip():
                continue  # a blank line; a row of empty fields (",,") is a row
            if line >= len(lines) > start and _left_open(lines[start - 1 :]):
                reason = (
                    f"a quote opened in line {start} is never closed: the lines from "
                    f"there to the end of the file ({start} to {len(lines)}) were read "
                    "as this one row"
                )
                rejected.append((start, reason, lines[start - 1]))
                continue
            if len(row) != width:
                reason = _width_reason(width, row, start, line, lines)
                rejected.append((start, reason, lines[start - 1]))
                continue
            rows.append(row)
            numbers.append(start)
    except csv.Error as exc:
        raise _Unreadable(str(exc), line + 1) from None
    return rows, numbers, rejected


#: held while csv's field limit, which is the process's, is raised (``_fields_up_to``)
_FIELD_LIMIT = threading.Lock()


@contextlib.contextmanager
def _fields_up_to(size: int) -> Iterator[None]:
    """The csv module's limit of a field (128 KiB, the process's) raised to ``size`` while
    held: a quote left open early in a large export, or a text that long, is read as the
    rows it makes.  Of two files read at once, one may see the limit raised, never lowered."""
    with _FIELD_LIMIT:
        before = csv.field_size_limit()
        csv.field_size_limit(max(before, size))
        try:
            yield
        finally:
            csv.field_size_limit(before)


def read_csv_lines(path: Path, text: str, out: RawInputs, type_hint: str | None) -> None:
    """A CSV file's text read line by line: any file, and exactly what ``_plain_csv`` reads
    of the files it takes."""
    lines = text_lines(text)
    if not lines:
        return
    if not lines[0].strip():
        if not any(line.strip() for line in lines):
            return  # blank lines alone: no header and no row, as an empty file
        raise InputError(
            f"{path}:1: the first line is blank, where the header (the column names) goes"
        )
    header = [h.strip() for h in next(csv.reader([lines[0]]))]
    refuse_line_column(path, header)
    if len(set(filter(None, header))) != len(header) - header.count(""):
        raise InputError(f"{path}: the header repeats a column name: {', '.join(header)}")
    # Columns without a name (Excel writes a comma after the last one when the sheet's used
    # range is wider) are dropped when they hold nothing, as in a workbook; meanwhile they are
    # named by their position, which no column name holds.
    unnamed = {f"\0{i + 1}": i for i, name in enumerate(header) if not name}
    header = [name or f"\0{i + 1}" for i, name in enumerate(header)]
    record_type = table_type(path, [h for h in header if h not in unnamed], type_hint)
    if '"' not in text:
        # Fast path: without quotes every line is one row, so fields split on commas.
        body = pl.Series("raw", lines[1:], dtype=pl.String).to_frame()
        body = body.with_columns(pl.int_range(2, len(lines) + 1, dtype=pl.Int64).alias(LINE))
        body = body.filter(pl.col("raw").str.strip_chars() != "")
        parts = pl.col("raw").str.strip_chars_end("\r").str.split(",")
        body = body.with_columns(parts.alias("parts"))
        width = body.get_column("parts").list.len()
        bad = body.filter(width != len(header))
        for line, count, raw in zip(
            bad.get_column(LINE),
            bad.get_column("parts").list.len(),
            bad.get_column("raw").str.strip_chars_end("\r"),
            strict=True,
        ):
            out.read += 1
            reason = f"expected {len(header)} fields, found {count}"
            out.reject(str(path), line, reason, record_type=record_type, value=raw)
        good = body.filter(width == len(header))
        frame = good.select(
            *(pl.col("parts").list.get(i).alias(name) for i, name in enumerate(header)),
            pl.col(LINE),
        )
    else:
        try:
            rows, numbers, rejected = _quoted_rows(text, lines, len(header))
        except csv.Error:  # a field over the csv module's limit (128 KiB): read it whole
            with _fields_up_to(len(text) + 1):
                try:
                    rows, numbers, rejected = _quoted_rows(text, lines, len(header))
                except _Unreadable as exc:
                    raise InputError(f"{path}:{exc.line}: cannot read the row: {exc}") from None
        for line, reason, value in rejected:
            out.read += 1
            out.reject(str(path), line, reason, record_type=record_type, value=value)
        frame = pl.DataFrame(rows, schema=dict.fromkeys(header, pl.String), orient="row")
        frame = frame.with_columns(pl.Series(LINE, numbers, dtype=pl.Int64))
    for name, index in unnamed.items():
        held = frame.filter(pl.col(name).str.strip_chars().str.len_bytes() > 0)
        if held.height:  # the first row holding one: a stray cell in a year's export
            line, value = held.row(0, named=True)[LINE], held.get_column(name)[0]
            # one name, the rest blank: a title's line, as Excel saves a sheet's title above
            # the column names (考勤报表 2026年11月,,)
            titled = len(header) - len(unnamed) == 1
            raise InputError(
                f"{path}:{line}: column {index + 1} holds values but has no header "
                f"(the first: {shown(value.strip())})"
                + (f"; {title_hint('line')}" if titled else "")
            )
    split_by_type(frame.drop(unnamed), path, record_type, out)
