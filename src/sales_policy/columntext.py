"""Values as JSON and CSV text, built as polars expressions over whole columns.

Each expression gives exactly the text that ``json.dumps(..., ensure_ascii=False)`` (indented
as the json report is, or on one line) or ``csv.writer`` writes for the Python value
``json.loads`` reads of polars' JSON; a helper gives None for a type it does not write
exactly, and the caller then writes those values the Python way
(:mod:`sales_policy.findingtexts`).

CSV cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``,
tab or carriage return) are prefixed with ``'`` so they show as text, and so is such a start
after a ``;``, a tab or a line break inside a cell, where a spreadsheet may start a cell
of its own (``safe_cell``, ``csv_cell``).  A cell holding a line break is quoted, a carriage
return too (``CSV_QUOTED``, ``csv_line``).  Lines of such text are written out as polars
holds them (``write_joined``).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping
from typing import IO, Any, TypeAlias

import polars as pl
from polars.datatypes import DataTypeClass

DType: TypeAlias = pl.DataType | DataTypeClass
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: A formula start after a ``;``, a tab or a line break inside a cell.  Excel where ``;``
#: separates lists (much of Europe) starts a cell at each ``;`` of a line, whatever the quotes
#: (and then a row at a line break in a quoted cell), and an import splitting at tabs at each
#: tab: ``x;=HYPERLINK(...)`` would be two cells, a formula the second.  A ``'`` goes between
#: the two.
INNER_FORMULA = r"([;\t\r\n])([=+\-@])"
_INNER_FORMULA = re.compile(INNER_FORMULA)
INDENT = 2  # of the json format
#: json.dumps' escapes (ensure_ascii=False escapes nothing else)
ESCAPES = {c: json.dumps(c)[1:-1] for c in [*map(chr, range(0x20)), '"', "\\"]}
#: the same as the two list literals that ``str.replace_many`` makes of a mapping, made once
ESCAPED_CHARACTERS = pl.lit(list(ESCAPES))
ESCAPE_SEQUENCES = pl.lit(list(ESCAPES.values()))


def safe_cell(value: Any) -> str:
    """A CSV cell that spreadsheets show as text, never run as a formula."""
    text = "" if value is None else str(value)
    if any(separator in text for separator in ";\t\r\n"):
        text = _INNER_FORMULA.sub(r"\1'\2", text)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_specials() -> str:
    """A regex class of the characters that make ``csv.writer`` quote a cell (asked of it)."""
    found = []
    for code in range(128):
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow(["a" + chr(code) + "b", "c"])
        if buffer.getvalue().startswith('"'):
            found.append(f"\\x{code:02x}")
    return "[" + "".join(found) + "]"


CSV_SPECIALS = csv_specials()
#: What makes a CSV cell quoted: what makes ``csv.writer`` quote it (a comma, a quote, a line
#: feed), and a carriage return, which it may leave as it is where "\n" ends its lines but at
#: which Excel ends a row: unquoted, the text after it would start a row, and could be a
#: formula (``x\r=HYPERLINK(...)``).  Quoted, it stays in its cell.
CSV_QUOTED = CSV_SPECIALS[:-1] + "\\x0d]"
_CSV_QUOTED = re.compile(CSV_QUOTED)
FORMULA = "^[" + "".join(f"\\x{ord(c):02x}" for c in FORMULA_START) + "]"


def escaped(text: pl.Expr) -> pl.Expr:
    """A string as it is inside the quotes of its JSON text."""
    return text.str.replace_many(ESCAPED_CHARACTERS, ESCAPE_SEQUENCES)


def quoted(text: pl.Expr) -> pl.Expr:
    """A string as JSON text; null as ``null``."""
    return (pl.lit('"') + escaped(text) + pl.lit('"')).fill_null("null")


def pad(depth: int) -> str:
    return "\n" + " " * (INDENT * depth)


def json_list(items: pl.Expr, depth: int | None) -> pl.Expr:
    """A list of already encoded items (a null list as ``null``); ``depth`` is the list's
    when indented."""
    if depth is None:
        return pl.concat_str(pl.lit("["), items.list.join(", "), pl.lit("]")).fill_null("null")
    inside = pl.concat_str(
        pl.lit("[" + pad(depth + 1)),
        items.list.join("," + pad(depth + 1)),
        pl.lit(pad(depth) + "]"),
    )
    return pl.when(items.list.len() == 0).then(pl.lit("[]")).otherwise(inside).fill_null("null")


def json_value(value: pl.Expr, dtype: DType, depth: int | None) -> pl.Expr | None:
    """The JSON text of a value as json.dumps writes what json.loads reads of polars' JSON;
    None for a type this does not write exactly (fractions, nesting beyond lists)."""
    if dtype == pl.String:
        return quoted(value)
    if dtype.is_integer() or dtype == pl.Null:
        return value.cast(pl.String).fill_null("null")
    if dtype == pl.Boolean:
        return (
            pl.when(value)
            .then(pl.lit("true"))
            .when(~value)
            .then(pl.lit("false"))
            .otherwise(pl.lit("null"))
        )
    if isinstance(dtype, pl.List):
        inner = dtype.inner
        item = json_value(pl.element(), inner, None if depth is None else depth + 1)
        if item is None or isinstance(inner, pl.List):
            return None
        return json_list(value.list.eval(item), depth)
    return None


def shown(
    value: pl.Expr,
    dtype: DType,
    separator: str = ", ",
    names: Mapping[str, str] | None = None,
) -> pl.Expr | None:
    """A value as a message shows it (``findings.render``): lists joined with ``separator``
    (their texts by ``names`` where given), null as nothing; None for a type this does not
    show exactly."""
    if isinstance(dtype, pl.List):
        inner = python_str(pl.element(), dtype.inner)
        if inner is None:
            return None
        if names:
            inner = inner.replace(dict(names))
        return value.list.eval(inner).list.join(separator).fill_null("")
    text = python_str(value, dtype)
    return None if text is None else pl.when(value.is_null()).then(pl.lit("")).otherwise(text)


def python_str(value: pl.Expr, dtype: DType) -> pl.Expr | None:
    """``str()`` of the Python value json.loads gives (None as "None")."""
    if dtype == pl.String:
        return value.fill_null("None")
    if dtype.is_integer() or dtype == pl.Null:
        return value.cast(pl.String).fill_null("None")
    if dtype == pl.Boolean:
        return (
            pl.when(value)
            .then(pl.lit("True"))
            .when(~value)
            .then(pl.lit("False"))
            .otherwise(pl.lit("None"))
        )
    return None


def json_object(pairs: list[tuple[str, pl.Expr]], depth: int | None) -> pl.Expr:
    """An object of already encoded values; ``depth`` is the object's when indented."""
    if not pairs:
        return pl.lit("{}")
    return pl.concat_str(json_parts(pairs, depth))


def json_parts(pairs: list[tuple[str, pl.Expr]], depth: int | None) -> list[pl.Expr]:
    """The texts that make a non-empty object of already encoded values, in order: for each
    pair the text before its key, its key and its value; then the closing text."""
    if depth is None:
        first, between, last = "{", ", ", "}"
    else:
        first, between, last = "{" + pad(depth + 1), "," + pad(depth + 1), pad(depth) + "}"
    parts: list[pl.Expr] = []
    for key, value in pairs:
        parts += [
            pl.lit(between if parts else first),
            pl.lit(json.dumps(key, ensure_ascii=False) + ": "),
            value,
        ]
    return [*parts, pl.lit(last)]


def csv_cell(text: pl.Expr) -> pl.Expr:
    """``safe_cell``, then quoted where it holds one of ``CSV_QUOTED``, as ``csv.writer``
    quotes."""
    text = text.fill_null("").str.replace_all(INNER_FORMULA, "${1}'${2}")
    text = pl.when(text.str.contains(FORMULA)).then(pl.lit("'") + text).otherwise(text)
    quoted = pl.lit('"') + text.str.replace_all('"', '""', literal=True) + pl.lit('"')
    return pl.when(text.str.contains(CSV_QUOTED)).then(quoted).otherwise(text)


def csv_line(cells: Iterable[Any]) -> str:
    """One CSV line, without its line end, of cells made safe (``safe_cell``) or numbers:
    each as ``csv_cell`` writes it, a number as ``csv.writer`` does, None as nothing."""
    texts = ("" if cell is None else str(cell) for cell in cells)
    return ",".join(
        '"' + text.replace('"', '""') + '"' if _CSV_QUOTED.search(text) else text for text in texts
    )


#: how many lines are joined to one text and written at a time
_LINES_PER_WRITE = 1024


class Utf8Output(io.TextIOWrapper):
    """A text stream writing UTF-8, and ``\n`` as it is, to a binary one: ``write_joined``
    hands it the bytes polars holds, without making Python text of them to encode again
    (a million punches' JSONL: 47–92 ms → 14–32 ms)."""

    def __init__(self, raw: IO[bytes]) -> None:
        super().__init__(raw, encoding="utf-8", newline="")


def write_joined(out: IO[str], lines: pl.Series | list[str], separator: str) -> None:
    """Write the lines with the separator between them.

    Lines made by polars are joined and written a thousand or so at a time, never held twice
    in memory: as their UTF-8 bytes to a ``Utf8Output``, else as text (Python reads a polars
    text of that size and encodes it for a file several times faster than one text of all the
    lines)."""
    if isinstance(lines, list):
        out.write(separator.join(lines))
        return
    if isinstance(out, Utf8Output):
        out.flush()
        for start in range(0, lines.len(), _LINES_PER_WRITE):
            if start:
                out.buffer.write(separator.encode())
            joined = lines.slice(start, _LINES_PER_WRITE).str.join(separator)
            out.buffer.write(joined.cast(pl.Binary).item())
        return
    for start in range(0, lines.len(), _LINES_PER_WRITE):
        if start:
            out.write(separator)
        out.write(lines.slice(start, _LINES_PER_WRITE).str.join(separator).item())
