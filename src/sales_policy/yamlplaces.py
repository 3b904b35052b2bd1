"""Where each character of a YAML text value is written in its file: the line and column an
editor shows (1-based, counted in characters, a tab one), for a rule's condition faulted at
a character of its text.

YAML does not keep a text as written: it takes a quoted scalar's escapes (``\\"``, ``\\t``,
``\\u00e9``; ``''`` for ``'``), folds the line breaks of a quoted, plain or folded (``>``)
scalar into spaces, and drops the indentation of a block scalar's lines.  ``ScalarSpan``
reads the scalar's text in the file again, as YAML's scanner does, and keeps for each
character of the value where it was written.  The value read so must be the value YAML read:
where it is not (a line break YAML knows and editors may not, U+0085, U+2028, U+2029), no
place is given rather than a wrong one.
"""

from __future__ import annotations

import re
from typing import NamedTuple

#: a line break as an editor counts lines (and YAML does, but for the three below)
_BREAK = re.compile(r"\r\n|\r|\n")
#: the line breaks of YAML 1.1 that editors may not count as one: refused
_OTHER_BREAKS = frozenset("\x85\u2028\u2029")
#: a double-quoted scalar's one-character escapes
_ESCAPES = {
    "0": "\0",
    "a": "\x07",
    "b": "\x08",
    "t": "\t",
    "\t": "\t",
    "n": "\n",
    "v": "\x0b",
    "f": "\x0c",
    "r": "\r",
    "e": "\x1b",
    " ": " ",
    '"': '"',
    "\\": "\\",
    "/": "/",
    "N": "\x85",
    "_": "\xa0",
    "L": "\u2028",
    "P": "\u2029",
}
#: a double-quoted scalar's escapes by code point, with their number of hexadecimal digits
_CODES = {"x": 2, "u": 4, "U": 8}

#: a character of a value, and where it was written: from and past which index of the scalar
_Char = tuple[str, int, int]


class ScalarSpan(NamedTuple):
    """Where a scalar is written in ``source``, the document's text: from index ``start`` (its
    first character, an opening quote or a block scalar's ``|`` or ``>``) to ``end``; at
    ``line`` and ``column`` (1-based); in ``style`` (None for plain); ``indent``, the column
    (from 0) of its mapping's keys, which a block scalar's indentation is counted from."""

    source: str
    start: int
    end: int
    line: int
    column: int
    style: str | None
    indent: int

    def place(self, value: str, offset: int) -> tuple[int, int] | None:
        """The line and column of ``value[offset]`` in the file (``offset == len(value)``:
        where the value ends), ``value`` being what YAML read of this scalar; None where
        the scalar cannot be read again to that value."""
        raw = self.source[self.start : self.end]
        if not 0 <= offset <= len(value) or _OTHER_BREAKS.intersection(raw):
            return None
        chars = _read(raw, self.style, self.indent)
        if chars is None or "".join(char for char, _, _ in chars) != value:
            return None
        if offset < len(value):
            index = chars[offset][1]
        elif chars:  # past the last character; before it, if that is a line break
            _, begin, end = chars[-1]
            index = begin if raw[begin] in "\r\n" else end
        else:
            index = 1 if self.style in ("'", '"') else 0
        return self._line_and_column(index)

    def _line_and_column(self, index: int) -> tuple[int, int]:
        written = self.source[self.start : self.start + index]
        breaks = list(_BREAK.finditer(written))
        if not breaks:
            return self.line, self.column + len(written)
        return self.line + len(breaks), len(written) - breaks[-1].end() + 1


def _break(raw: str, i: int) -> int:
    """The length of the line break at ``raw[i]``, 0 if there is none."""
    if raw.startswith("\r\n", i):
        return 2
    return 1 if i < len(raw) and raw[i] in "\r\n" else 0


def _read(raw: str, style: str | None, indent: int) -> list[_Char] | None:
    if style in ("|", ">"):
        return _block(raw, style == ">", indent)
    if style in ("'", '"'):
        if len(raw) < 2 or raw[0] != style or raw[-1] != style:
            return None
        return _flow(raw, 1, len(raw) - 1, style)
    return _flow(raw, 0, len(raw), None)


def _flow(raw: str, i: int, end: int, quote: str | None) -> list[_Char] | None:
    """A quoted (``quote``) or plain scalar's characters, ``raw[i:end]`` without its quotes:
    escapes taken, line breaks folded (one into a space, each further one into a line
    feed), blanks around them dropped."""
    chars: list[_Char] = []
    while i < end:
        ch = raw[i]
        if ch in " \t" or _break(raw, i):
            i = _fold(raw, i, end, chars)
        elif quote == "'" and ch == "'":
            if raw[i + 1 : i + 2] != "'":
                return None
            chars.append(("'", i, i + 2))
            i += 2
        elif quote == '"' and ch == "\\":
            i = _escape(raw, i, end, chars)
            if i < 0:
                return None
        else:
            chars.append((ch, i, i + 1))
            i += 1
    return chars


def _fold(raw: str, i: int, end: int, chars: list[_Char]) -> int:
    """Blanks at ``raw[i]``: kept within a line; before a line break, dropped, and the break
    folded: into a space, or, followed by empty lines, into their line feeds."""
    blanks = i
    while i < end and raw[i] in " \t":
        i += 1
    width = _break(raw, i)
    if not width:
        chars.extend((raw[k], k, k + 1) for k in range(blanks, i))
        return i
    empty, after = _empty_lines(raw, i + width, end)
    if empty:
        chars.extend(empty)
    else:
        chars.append((" ", i, i + width))
    return after


def _empty_lines(raw: str, i: int, end: int) -> tuple[list[_Char], int]:
    """From the start of a line, the line feeds of the empty lines there (blank but for
    spaces and tabs), and the index of the first character after them and the blanks that
    begin the next line."""
    feeds: list[_Char] = []
    while True:
        while i < end and raw[i] in " \t":
            i += 1
        width = _break(raw, i)
        if not width or i >= end:
            return feeds, i
        feeds.append(("\n", i, i + width))
        i += width


def _escape(raw: str, i: int, end: int, chars: list[_Char]) -> int:
    """The escape at ``raw[i]`` (a backslash) of a double-quoted scalar; -1 if it is none."""
    code = raw[i + 1 : i + 2]
    width = _break(raw, i + 1)
    if width:  # an escaped line break: the lines are joined, without a space
        empty, after = _empty_lines(raw, i + 1 + width, end)
        chars.extend(empty)
        return after
    if code in _ESCAPES:
        chars.append((_ESCAPES[code], i, i + 2))
        return i + 2
    digits = _CODES.get(code)
    text = raw[i + 2 : i + 2 + digits] if digits else ""
    if not digits or len(text) != digits or not all(c in "0123456789abcdefABCDEF" for c in text):
        return -1
    try:
        chars.append((chr(int(text, 16)), i, i + 2 + digits))
    except (ValueError, OverflowError):
        return -1
    return i + 2 + digits


def _block(raw: str, folded: bool, parent: int) -> list[_Char] | None:
    """A literal (``|``) or folded (``>``) block scalar's characters: its lines without their
    indentation; a folded one's lines joined by a space but where a line is more indented or
    empty; its last line break kept, dropped (``-``) or kept with the empty lines after it
    (``+``)."""
    header = _BREAK.search(raw)
    indicators = raw[1 : header.start() if header else len(raw)].split("#", 1)[0].strip()
    chomping = next((c for c in indicators if c in "+-"), "")
    digits = [c for c in indicators if c.isdigit()]
    if len(indicators) != len(chomping) + len(digits) or len(digits) > 1:
        return None
    if header is None:  # the document ends on the header's line: no text
        return []
    least = parent + 1  # a block scalar is indented more than its key
    i, column = header.end(), 0
    feeds: list[_Char] = []
    if digits:
        indent = least + int(digits[0]) - 1
        feeds, i, column = _block_breaks(raw, i, indent)
    else:  # the indentation of the first line with text, if more than the least
        most = 0
        while i < len(raw) and (raw[i] == " " or _break(raw, i)):
            width = _break(raw, i)
            if width:
                feeds.append(("\n", i, i + width))
                i, column = i + width, 0
            else:
                i, column = i + 1, column + 1
                most = max(most, column)
        indent = max(least, most)
    chars: list[_Char] = []
    line_break: _Char | None = None
    while column == indent and i < len(raw):
        chars.extend(feeds)
        leading_text = raw[i] not in " \t"
        start = i
        while i < len(raw) and not _break(raw, i):
            i += 1
        chars.extend((raw[k], k, k + 1) for k in range(start, i))
        width = _break(raw, i)
        line_break = ("\n", i, i + width) if width else None
        feeds, i, column = _block_breaks(raw, i + width, indent)
        if not (column == indent and i < len(raw)):
            break
        if folded and line_break and leading_text and raw[i] not in " \t":
            if not feeds:
                chars.append((" ", line_break[1], line_break[2]))
        elif line_break:
            chars.append(line_break)
    if chomping != "-" and line_break:
        chars.append(line_break)
    if chomping == "+":
        chars.extend(feeds)
    return chars


def _block_breaks(raw: str, i: int, indent: int) -> tuple[list[_Char], int, int]:
    """The line feeds of the empty lines from ``raw[i]``, the start of a line, on; the index
    past them and past the indentation of the next line, and its column there."""
    feeds: list[_Char] = []
    column = 0
    while column < indent and raw[i : i + 1] == " ":
        i, column = i + 1, column + 1
    while width := _break(raw, i):
        feeds.append(("\n", i, i + width))
        i, column = i + width, 0
        while column < indent and raw[i : i + 1] == " ":
            i, column = i + 1, column + 1
    return feeds, i, column
