"""Text for a terminal, from values a check reads: ids, names, messages, a company's rule
titles, rejected cells.

The command prints what it read in its table, its rejected rows, its scores and its errors.
A value holding a control character would be taken by the terminal as an order, not shown:
ESC starts a sequence that can clear the screen or rewrite what is on it, a bare carriage
return writes over the line, BEL rings, NUL shows nothing (``E\\x001`` and ``E1`` would look
the same). Such characters, and those that turn the direction of text (U+202E...), are shown
as escapes instead: ``\\x1b``, ``\\u202e``.  The data is not changed: the JSON, JSONL and CSV
reports and ``--rejects`` keep each value as it was read.
"""

from __future__ import annotations

import unicodedata

#: C0 controls but the line feed, DEL, and C1 controls
_CONTROLS = [*range(0x0A), *range(0x0B, 0x20), *range(0x7F, 0xA0)]
#: the marks and embeddings that turn the direction of the text after them
_DIRECTIONS = [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]

_SHOWN: dict[int, str] = {
    **{code: f"\\x{code:02x}" for code in _CONTROLS},
    **{code: f"\\u{code:04x}" for code in _DIRECTIONS},
}
_ONE_LINE: dict[int, str] = {**_SHOWN, 0x0A: "\\x0a"}


def terminal_text(text: str) -> str:
    """``text`` with what a terminal would act on shown as escapes; its line feeds kept."""
    return text.translate(_SHOWN)


def one_line(value: object) -> str:
    """A value for one line of a terminal's table: as ``terminal_text``, line feeds too."""
    return str(value).translate(_ONE_LINE)


def display_width(text: str) -> int:
    """The columns a terminal gives the text: two for a wide character (CJK, in the basic
    plane or beyond it, such as 𠮷), none for a combining mark."""
    return sum(
        0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        for ch in text
    )
