"""Excel workbooks (.xlsx) read into raw text frames, one record type a sheet."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import IO
from xml.etree import ElementTree

import polars as pl

from .errors import InputError
from .rawframes import LINE, RawInputs, as_text_frame, split_by_type
from .recordfields import fields_of, record_type_for_name, record_types

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
    """``--type`` for a sheet whose name and file's name name no type; else per row by a
    ``type`` column, else the sheet's name, else the file's (``table_type``: a sheet named
    after a type is read as without ``--type``)."""
    record_type = record_type_for_name(sheet) or record_type_for_name(path.stem)
    if type_hint is not None and record_type is None:
        return type_hint
    if "type" in columns:
        return None
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
        # its message ends in the reader's context, file name and all: the first line says it
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(f"{path}: not a readable Excel workbook ({reason})") from None
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
            for cell in as_text_frame(head, source, excel=True).row(0)
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
        text = as_text_frame(frame, source, _column_kinds(record_type, header, out), excel=True)
        text = text.with_columns(
            pl.int_range(first + 1, first + 1 + text.height, dtype=pl.Int64).alias(LINE)
        )
        text = text.filter(~pl.all_horizontal(pl.exclude(LINE).is_null()))
        split_by_type(text, source, record_type, out, stripped=True)  # by ``as_text_frame``
