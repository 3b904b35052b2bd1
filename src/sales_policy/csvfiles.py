"""CSV files read into raw text frames (``sales_policy.rawframes``).

A file without quotes whose every line is a row of the header's fields is read by polars, on
all cores; any other is read line by line (``sales_policy.csvlines``), which rejects the rows
with the wrong number of fields with their line.  Both read the same (the tests compare them).
"""

from __future__ import annotations

import contextlib
import csv
import mmap
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

import polars as pl

from .background import InThread
from .csvlines import read_csv_lines
from .errors import InputError
from .rawframes import (
    LINE,
    RawInputs,
    split_by_type,
    table_type,
)
from .textfiles import decode, read_bytes, utf8_read_as

#: a file's content as ``_plain_csv`` reads it: bytes, or the file mapped into memory
Buffer = bytes | mmap.mmap

#: What ``str.splitlines`` ends a line at, besides ``\n``, and polars and ``text_lines`` keep
#: inside a value: files holding one (or a ``\r`` that does not start ``\r\n``, a line end
#: polars does not know) are read line by line, in Python, the reading tested on them.
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
    except (UnicodeDecodeError, csv.Error):  # a lone CR in the header line, say
        return None
    if len(header) < 2 or len(set(header)) != len(header) or LINE in header or "" in header:
        return None
    try:
        record_type = table_type(path, header, type_hint)
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
            yield read_bytes(path)
            return
        with mapped:
            yield mapped


def read_csv(path: Path, out: RawInputs, type_hint: str | None) -> None:
    """A CSV file's rows, in UTF-8 or in the encoding of ``out.columns`` (its text then made
    UTF-8 first, in memory, and read as a UTF-8 file is)."""
    encoding = out.columns.encoding
    if encoding is None:
        with _file_content(path) as data:
            plain = _plain_csv(path, data, type_hint)
        if plain is not None:
            split_by_type(plain.frame, path, plain.record_type, out, stripped=plain.stripped)
            return
        read_csv_lines(path, decode(path), out, type_hint)
        return
    utf8_too = len(out.utf8_too)
    text = decode(path, encoding, out)
    try:
        plain = _plain_csv(path, text.encode(), type_hint)
        if plain is not None:
            split_by_type(plain.frame, path, plain.record_type, out, stripped=plain.stripped)
            return
        read_csv_lines(path, text, out, type_hint)
    except InputError as exc:
        if len(out.utf8_too) == utf8_too:
            raise
        # a UTF-8 file among exports in another encoding, its header read garbled (工号 as
        # 宸ュ彿): the column error alone would not say why
        raise InputError(f"{exc}; {utf8_read_as(encoding)}") from None
