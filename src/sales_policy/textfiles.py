"""A text file's text: its bytes (``read_bytes``), decoded (``decode``: UTF-8, or an encoding
given for every input, a byte-order mark dropped), and its lines (``text_lines``).  Text that
is not in the encoding is an error naming its line, the byte and its column, and what the
text seems to be (UTF-16 by its mark, GBK as Excel on Chinese Windows saves a CSV file, UTF-8
among exports in another encoding), with what to do; the text is never guessed at."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from .callerwords import said
from .errors import InputError

if TYPE_CHECKING:
    from .rawframes import RawInputs


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file: {exc.strerror}") from None


#: byte-order marks of UTF-16, which Excel saves its "Unicode text" in
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_UTF8_BOM = "\ufeff".encode()
RESAVE = "re-save the export as UTF-8 (in Excel: Save As, CSV UTF-8)"


#: the first bytes of files that are not text, saved or downloaded under a text file's name:
#: the format each seems to be, and how it is read
_NOT_TEXT = (
    (
        b"PK\x03\x04",
        "an Excel workbook (a ZIP archive, as an .xlsx file is)",
        "name it {stem}.xlsx, and it is read as one",
    ),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "an Excel 97-2003 workbook (.xls), which is not read",
        "save it as an Excel workbook (.xlsx) or as CSV UTF-8",
    ),
    (b"PAR1", "a Parquet file", "name it {stem}.parquet, and it is read as one"),
)


def _refuse_not_text(path: Path, data: bytes) -> None:
    """An ``InputError`` for a file of text's suffix whose bytes begin as a workbook's or a
    Parquet file's do (``_NOT_TEXT``): said so, rather than as text in some encoding.  Called
    once the bytes are found not to be text."""
    for mark, kind, remedy in _NOT_TEXT:
        if data.startswith(mark):
            what = "CSV" if path.suffix.lower() == ".csv" else "JSON Lines"
            raise InputError(
                f"{path}: not {what} text: it seems to be {kind}; {remedy.format(stem=path.stem)}"
            )


def _decode_bytes(path: Path, data: bytes) -> str:
    body = data.removeprefix(_UTF8_BOM)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        _refuse_not_text(path, data)
        line, where = _where(body[: exc.start].decode("utf-8"), body[exc.start])
        raise InputError(
            f"{path}:{line}: not UTF-8 text ({where}); "
            f"{_encoding_hint(body, exc.start, _resave(path))}"
        ) from None


def _where(before: str, byte: int) -> tuple[int, str]:
    """The line of a byte that is not text of a file's encoding, and the byte and its column
    as an error names them, from the text ``before`` it."""
    lines = _LINE_END.split(before)
    return len(lines), f"byte 0x{byte:02X} at column {len(lines[-1]) + 1}"


def _resave(path: Path) -> str:
    """How to save a file as UTF-8: Excel's way for a CSV file, which Excel wrote most often."""
    return RESAVE if path.suffix.lower() == ".csv" else "re-save the file as UTF-8"


def utf16_hint(order: str, resave: str) -> str:
    """What to do with UTF-16 text of byte ``order`` ("le", "be") without a byte-order mark,
    which has a NUL byte beside each ASCII character (as a database's export may be)."""
    name = f"utf-16-{order}"
    given = said(
        f"--encoding {name}, or encoding: {name} in the column mapping",
        f'ColumnMapping(encoding="{name}") in the policy\'s columns, or encoding: {name} in '
        "the column mapping",
    )
    return (
        "it seems to be UTF-16 without a byte-order mark (a NUL byte beside each English "
        f"letter and digit): read it so ({given}), or {resave}"
    )


def utf16_order(data: bytes) -> str | None:
    """The byte order, "le" or "be", where the first bytes of ``data`` are UTF-16 text
    without a byte-order mark: a NUL in every other byte of a quarter of them at least (its
    ASCII characters), and few in the others (a character such as 销, U+9500); else None.
    Also of a CSV file's first column name read as UTF-8 (its bytes again): such a file's
    ASCII header reads as UTF-8, a NUL after each letter, and is found only as an unknown
    column."""
    head = data[:4096]
    pairs = len(head) // 2
    if pairs < 2:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd * 4 >= pairs and even * 10 <= odd:
        return "le"
    if even * 4 >= pairs and odd * 10 <= even:
        return "be"
    return None


def _encoding_hint(data: bytes, bad: int, resave: str) -> str:
    """What to do with text (after UTF-8's byte-order mark, if any) that is not UTF-8 from byte
    ``bad`` on (``resave``: how to save it as UTF-8), and what it seems to be:
    UTF-16 by its byte-order mark; GBK (GB18030), as Excel on Chinese Windows saves a CSV
    file, when it reads so and its first byte beyond ASCII is the bad one (in UTF-8 text
    with a stray byte, characters beyond ASCII come before it): then read in that encoding
    first of all, which needs no change to the exports."""
    if data.startswith(_UTF16_BOMS):
        return f"it is UTF-16: {resave}"
    order = utf16_order(data)
    if order is not None:
        return utf16_hint(order, resave)
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        return resave
    if not data[:bad].isascii():
        return resave
    return (
        "it seems to be GBK (GB18030), as Excel on Chinese Windows saves CSV files: read it "
        f"so ({_gb18030_given()}), {resave}, or convert it (iconv -f GB18030 -t UTF-8)"
    )


def decode(path: Path, encoding: str | None = None, out: RawInputs | None = None) -> str:
    """A file's text: UTF-8 (``encoding`` None, or the file begins with UTF-8's byte-order
    mark), else in ``encoding`` (``mapping.text_encoding``), a byte-order mark dropped; an
    ``InputError`` naming the line of the first byte that is not such text.  A file read in
    ``encoding`` that is UTF-8 text too, beyond ASCII, is listed in ``out.utf8_too``: most
    likely UTF-8 without the mark among exports in ``encoding``, read garbled (王伟 in UTF-8
    reads 鐜嬩紵 in GB18030), which the check's notes say; it is not guessed at."""
    data = read_bytes(path)
    if encoding is None or data.startswith(_UTF8_BOM):
        # UTF-8's byte-order mark says the file is UTF-8 (Excel's "CSV UTF-8" begins with
        # one), whatever the encoding given for the inputs: read in GBK, it would be "锘" at
        # the start of the first column's name, and the file's Chinese mojibake
        return _decode_bytes(path, data)
    try:
        text = data.decode(encoding).removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        _refuse_not_text(path, data)
        before = data[: exc.start].decode(encoding, errors="replace").removeprefix("\ufeff")
        line, where = _where(before, data[exc.start])
        raise InputError(
            f"{path}:{line}: not {encoding} text ({where}): {_other_encoding_hint(data, encoding)}"
        ) from None
    if out is not None and not data.isascii() and _is_utf8(data):
        out.utf8_too.append(str(path))
    return text


def _encoding_given() -> str:
    """Where the encoding given was given: the command line's option or the mapping."""
    return said("--encoding, or the mapping's", "the column mapping's")


def _gb18030_given() -> str:
    """How GB18030 is given, in the caller's words."""
    return said(
        "--encoding gb18030, or encoding: gb18030 in the column mapping",
        'ColumnMapping(encoding="gb18030") in the policy\'s columns, or encoding: gb18030 in '
        "the column mapping",
    )


def utf8_read_as(encoding: str) -> str:
    """Said of a file read in ``encoding`` that is UTF-8 text too (``decode``), where what
    was read of it is wrong: most likely UTF-8 saved without the mark, read garbled."""
    return (
        f"the file is UTF-8 text too, read as {encoding} (the encoding given: "
        f"{_encoding_given()}), so its text beyond ASCII reads garbled (王伟 as 鐜嬩紵): to "
        f"read it beside exports in {encoding}, save it as UTF-8 with a byte-order mark (a CSV "
        "file in Excel: Save As, CSV UTF-8), which is read as UTF-8 whatever the encoding "
        f"given, or convert it (iconv -f UTF-8 -t {encoding.upper()})"
    )


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _other_encoding_hint(data: bytes, encoding: str) -> str:
    """What to do with a file that is not text in the ``encoding`` given for every input:
    one that is UTF-8, among exports saved in that encoding, can be read beside them."""
    if not _is_utf8(data):
        encoding_given = said("--encoding", "the column mapping's encoding")
        return f"give the encoding the file was saved in ({encoding_given}), or re-save it as UTF-8"
    return (
        f"it seems to be UTF-8, but {encoding}, the encoding given ({_encoding_given()}), is "
        f"that of every CSV and JSONL input: to read it beside exports in {encoding}, save it "
        "as UTF-8 with a byte-order mark (a CSV file in Excel: Save As, CSV UTF-8), which is "
        "read as UTF-8 whatever the encoding given, or convert it (iconv -f UTF-8 -t "
        f"{encoding.upper()})"
    )


#: the line ends of a text file: LF, CRLF or CR
_LINE_END = re.compile(r"\r\n|\r|\n")


def text_lines(text: str) -> list[str]:
    """A text file's lines, ended by LF, CRLF or CR only.  (``str.splitlines`` ends lines at
    characters that belong inside values too, such as U+2028 in a name that ``json.dumps``
    wrote as it is: a JSONL line or a CSV row would be cut in two.)"""
    lines = _LINE_END.split(text)
    if lines and not lines[-1]:
        lines.pop()  # after the last line end, nothing
    return lines
