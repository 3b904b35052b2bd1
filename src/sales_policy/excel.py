"""Excel workbooks (.xlsx) read into raw text frames, one record type a sheet."""

from __future__ import annotations

import logging
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING
from xml.etree import ElementTree

import polars as pl

from .background import InThread
from .callerwords import said
from .errors import InputError
from .rawframes import (
    LINE,
    RawInputs,
    as_text_frame,
    column_kinds,
    excel_datetime_text,
    split_by_type,
    title_hint,
)
from .recordfields import record_type_for_file, record_types

if TYPE_CHECKING:
    from fastexcel import DType, ExcelReader

_SHEET_XML = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_SHEET_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


@dataclass
class _SheetXml:
    """What the reader does not tell of a sheet, read from the workbook's XML: the row number
    of its first row holding a value (the header row), and its cells holding an error value
    (``#N/A``, ``#DIV/0!``: a formula's), by row number and column number counted from the
    sheet's first column holding a value (the reader's first column), as their text."""

    header_row: int = 1
    errors: dict[tuple[int, int], str] = field(default_factory=dict)


def _sheets_xml(path: Path) -> dict[str, _SheetXml]:
    """``_SheetXml`` of each sheet of a workbook; a sheet this cannot be told of starts at
    row 1 and holds no error value.

    The Excel reader starts a sheet at its first row with a value and gives no value for an
    error cell.  The first is read up to that row; error cells only where the sheet's XML
    holds one (``t="e"``), found by a search of its bytes before the XML is parsed whole."""
    sheets: dict[str, _SheetXml] = {}
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
                    read = _SheetXml(_first_valued_row(stream))
                with archive.open(member) as stream:
                    if _holds(stream, b' t="e"'):
                        with archive.open(member) as again:
                            read.errors = _error_cells(again)
                sheets[name] = read
    except (KeyError, OSError, zipfile.BadZipFile, ElementTree.ParseError):
        return sheets
    return sheets


def _first_valued_row(stream: IO[bytes]) -> int:
    row = 1
    for event, element in ElementTree.iterparse(stream, events=("start", "end")):
        if event == "start" and element.tag == f"{_SHEET_XML}row":
            row = int(element.get("r") or row)
        elif event == "end" and element.tag == f"{_SHEET_XML}c":
            if _valued(element):
                place = re.search(r"[0-9]+$", element.get("r") or "")
                return int(place.group()) if place else row
            element.clear()
    return row


def _valued(cell: ElementTree.Element) -> bool:
    """Whether a cell holds a value (an empty ``<v/>`` is none)."""
    return (cell.findtext(f"{_SHEET_XML}v") or "") != "" or cell.find(f"{_SHEET_XML}is") is not None


def _holds(stream: IO[bytes], needle: bytes) -> bool:
    """Whether a stream's bytes hold ``needle``, read a megabyte at a time."""
    tail = b""
    while chunk := stream.read(1 << 20):
        if needle in tail + chunk:
            return True
        tail = chunk[-len(needle) :]
    return False


def _error_cells(stream: IO[bytes]) -> dict[tuple[int, int], str]:
    """The error cells of a sheet's XML, by row number and column number counted from the
    first column holding a value, as their text (``#N/A``)."""
    errors: dict[tuple[int, int], str] = {}
    first_column = None
    for _, element in ElementTree.iterparse(stream):
        if element.tag != f"{_SHEET_XML}c":
            continue
        place = re.fullmatch(r"([A-Z]+)([0-9]+)", element.get("r") or "")
        if place is not None and _valued(element):
            column = 0
            for letter in place.group(1):
                column = column * 26 + ord(letter) - ord("A") + 1
            first_column = column if first_column is None else min(first_column, column)
            if element.get("t") == "e":
                errors[(int(place.group(2)), column)] = element.findtext(f"{_SHEET_XML}v") or ""
        element.clear()
    if first_column is None:
        return {}
    return {(row, column - first_column): text for (row, column), text in errors.items()}


def _sheet_type(path: Path, sheet: str, columns: list[str], type_hint: str | None) -> str | None:
    """``--type`` for a sheet whose name and file's name name no type; else per row by a
    ``type`` column, else the sheet's name, else the file's (``table_type``: a sheet named
    after a type is read as without ``--type``)."""
    record_type = record_type_for_file(sheet) or record_type_for_file(path.stem)
    if type_hint is not None and record_type is None:
        return type_hint
    if "type" in columns:
        return None
    if record_type is None:
        raise InputError(
            f"{path}[{sheet}]: cannot tell which record type this sheet holds; name the sheet "
            f"or the file after the type (e.g. punches), add a 'type' column, or pass "
            f"{said('--type', 'record_type=')} ({', '.join(record_types())})"
        )
    return record_type


#: how the reader writes a date cell in a column it reads as text
_DATE_CELL = r"^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?$"


def _read_again(
    reader: ExcelReader, index: int, frame: pl.DataFrame, columns: list[int], kinds: list[str]
) -> dict[str, pl.Expr]:
    """The cells that reading a sheet by the type of each column loses, read again.

    ``frame`` holds the sheet's columns ``columns`` (their numbers, from 0) under their field
    names, of the field kinds ``kinds`` ("" for none).  The reader types a column by its
    cells: numbers, true/false or dates, or text when they are of several kinds.  A typed
    column holds null for a text cell that it takes for empty (``NA``, ``N/A``, ``n/a``):
    such columns are read again as text, to fill those cells, which then read as in CSV.  A
    text column writes a date cell as ``YYYY-MM-DD HH:MM:SS`` and a time alone as a
    date-time of 1899-12-31: such a column of a date or date-time field is read again as
    date-times (text cells null), so that a date cell reads as among dates
    (``excel_datetime_text``).  The columns to replace in the text frame, by name."""
    texts: dict[int, str] = {}
    dates: dict[int, tuple[str, str]] = {}
    for number, kind, column in zip(columns, kinds, frame.iter_columns(), strict=True):
        if column.dtype not in (pl.String, pl.Null) and column.has_nulls():
            texts[number] = column.name
        elif (
            kind in ("date", "datetime")
            and column.dtype == pl.String
            and column.str.contains(_DATE_CELL).any()
        ):
            dates[number] = (column.name, kind)
    wanted: dict[int | str, DType] = {n: "string" for n in texts}
    wanted |= {n: "datetime" for n in dates}
    if not wanted:
        return {}
    order = sorted(texts.keys() | dates.keys())
    again = reader.load_sheet(index, schema_sample_rows=None, use_columns=order, dtypes=wanted)
    cells = dict(zip(order, again.to_polars().iter_columns(), strict=True))
    if any(len(column) != frame.height for column in cells.values()):  # never seen
        raise InputError("read again, the sheet held another number of rows")
    replaced = {}
    for number, name in texts.items():
        read = pl.lit(cells[number].str.strip_chars().replace("", None))
        replaced[name] = pl.coalesce(pl.col(name), read)
    for number, (name, kind) in dates.items():
        date = pl.lit(cells[number])
        replaced[name] = (
            pl.when(date.is_not_null() & pl.col(name).str.contains(_DATE_CELL))
            .then(excel_datetime_text(date, kind))
            .otherwise(pl.col(name))
        )
    return replaced


def _error_texts(
    errors: dict[tuple[int, int], str], columns: list[int], header: list[str]
) -> list[pl.Expr]:
    """The text of the error cells (``_SheetXml.errors``) of the sheet's columns ``columns``
    (their numbers, from 0), named ``header``, by row number (``LINE``): as a CSV export
    writes them (``#N/A``), where the reader gives no value; each field then reads that text
    as in CSV (rejected but in a text field)."""
    by_column: dict[int, dict[int, str]] = {}
    for (row, column), text in errors.items():
        by_column.setdefault(column, {})[row] = text
    replaced = []
    for number, name in zip(columns, header, strict=True):
        cells = by_column.get(number)
        if cells:
            rows, texts = list(cells), list(cells.values())
            replaced.append(
                pl.col(LINE)
                .replace_strict(rows, texts, default=None, return_dtype=pl.String)
                .fill_null(pl.col(name))
                .alias(name)
            )
    return replaced


def _load_with_errors_as_text(
    reader: ExcelReader,
    index: int,
    errors: dict[tuple[int, int], str],
    source: str,
    failure: Exception,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """A sheet's header row and rows, its columns holding error cells read as text, once
    reading it by the type of its cells failed (``failure``, the ``InputError`` raised when
    that was not for an error cell, or this fails too)."""
    as_text: dict[int | str, DType] = {column: "string" for _, column in errors}
    if as_text:
        try:
            head = reader.load_sheet(index, header_row=None, n_rows=1, dtypes="string")
            sheet = reader.load_sheet(index, schema_sample_rows=None, dtypes=as_text)
            return head.to_polars(), sheet.to_polars()
        except Exception:
            pass  # the first failure is the one to say
    raise InputError(f"{source}: cannot read the sheet ({failure})") from None


def _first_held(sheet: pl.DataFrame, column: int, xml: _SheetXml) -> int:
    """The row number of the first cell of ``column`` holding a value, a value the reader
    gives or an error value it does not (``_SheetXml.errors``); the sheet's rows follow its
    header row."""
    rows = [row for row, erring in xml.errors if erring == column]
    if column < sheet.width:
        held = sheet.to_series(column).is_not_null().arg_true()
        rows += [xml.header_row + 1 + held[0]] if len(held) else []
    return min(rows)


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
    # fastexcel logs, as warnings, each column of a sheet whose cells are of several kinds
    # (which are read here as text): with no handler of the application's, Python would
    # print them on standard error, among the command's own messages
    logger = logging.getLogger("fastexcel")
    if not any(isinstance(handler, logging.NullHandler) for handler in logger.handlers):
        logger.addHandler(logging.NullHandler())  # once, not a handler more every workbook
    try:
        reader = fastexcel.read_excel(str(path))
    except Exception as exc:  # fastexcel raises its own kinds for a damaged file
        # its message ends in the reader's context, file name and all: the first line says it
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(f"{path}: not a readable Excel workbook ({reason})") from None
    # read beside the reader's loading of the sheets (a search of every sheet's XML: ~50 ms
    # of a 100,000-row sheet, which the reader loads in ~200 ms); waited for before this
    # returns or raises, so that no thread is left running
    scan = InThread(lambda: _sheets_xml(path), name="sales-policy-sheet-xml")
    sheets_xml: dict[str, _SheetXml] | None = None
    try:
        for index, sheet_name in enumerate(reader.sheet_names):
            source = f"{path}[{sheet_name}]"
            try:
                head = reader.load_sheet(index, header_row=None, n_rows=1).to_polars()
                sheet = reader.load_sheet(index, schema_sample_rows=None).to_polars()
            except Exception as exc:
                # the reader cannot type a column whose first value is an error (#NAME?):
                # such columns are read as text (the error cells' own text filled in below)
                if sheets_xml is None:
                    sheets_xml = scan.result()
                errors = sheets_xml.get(sheet_name, _SheetXml()).errors
                head, sheet = _load_with_errors_as_text(reader, index, errors, source, exc)
            if head.width == 0:
                continue  # an empty sheet
            header = [
                "" if cell is None else str(cell).strip()
                for cell in as_text_frame(head, source, excel=True).row(0)
            ]
            if sheets_xml is None:
                sheets_xml = scan.result()
            xml = sheets_xml.get(sheet_name, _SheetXml())
            # a column holding an error cell holds a value, which the reader reads as none
            erring = {column for _, column in xml.errors}
            width = len(header)
            header += [""] * (max(erring, default=-1) + 1 - width)  # beyond the reader's columns
            keep = [
                i
                for i, name in enumerate(header)
                if name
                or i in erring
                or (i < width and sheet.to_series(i).null_count() < sheet.height)
            ]
            for i in keep:
                if not header[i]:
                    titled = sum(1 for name in header if name) == 1
                    raise InputError(
                        f"{source}:{_first_held(sheet, i, xml)}: column {i + 1} holds values "
                        "but has no header" + (f"; {title_hint('row')}" if titled else "")
                    )
            header = [header[i] for i in keep]
            if len(set(header)) != len(header) or LINE in header:
                raise InputError(f"{source}: the header repeats a column name: {', '.join(header)}")
            frame = sheet.select(sheet.columns[i] for i in keep)
            frame.columns = header
            record_type = _sheet_type(path, sheet_name, header, type_hint)
            first = xml.header_row
            kinds = column_kinds(record_type, header, out)
            try:
                again = _read_again(reader, index, frame, keep, [kinds.get(h, "") for h in header])
            except Exception as exc:
                raise InputError(f"{source}: cannot read the sheet ({exc})") from None
            text = as_text_frame(frame, source, kinds, excel=True)
            text = text.with_columns(cells.alias(name) for name, cells in again.items())
            text = text.with_columns(
                pl.int_range(first + 1, first + 1 + text.height, dtype=pl.Int64).alias(LINE)
            )
            text = text.with_columns(_error_texts(xml.errors, keep, header))
            text = text.filter(~pl.all_horizontal(pl.exclude(LINE).is_null()))
            split_by_type(text, source, record_type, out, stripped=True)  # by ``as_text_frame``
    finally:
        if sheets_xml is None:
            scan.discard()
