"""Text for a terminal, from values a check reads: ids, names, messages, a company's rule
titles, rejected cells.

The command prints what it read in its table, its rejected rows, its scores and its errors.
A value holding a control character would be taken by the terminal as an order, not shown:
ESC starts a sequence that can clear the screen or rewrite what is on it, a bare carriage
return writes over the line, BEL rings, NUL shows nothing (``E\\x001`` and ``E1`` would look
the same). Such characters, those that turn the direction of text (U+202E...), and those a
terminal shows as nothing (U+200B, a zero-width space: ``S001\\u200b`` would look like
``S001``, another employee) are shown as escapes instead: ``\\x1b``, ``\\u202e``.  The HTML
and Markdown reports show the same escapes, set apart from the text around them
(``escapes``).  The data is not changed: the JSON, JSONL and CSV reports and ``--rejects``
keep each value as it was read.
"""

from __future__ import annotations

import unicodedata

#: C0 controls but the line feed, DEL, and C1 controls
_CONTROLS = [*range(0x0A), *range(0x0B, 0x20), *range(0x7F, 0xA0)]
#: the marks and embeddings that turn the direction of the text after them
_DIRECTIONS = [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
#: the format characters shown as nothing: soft hyphen, Mongolian vowel separator, zero-width
#: space, non-joiner and joiner, word joiner and invisible operators, deprecated format
#: characters, zero-width no-break space (a byte-order mark), interlinear annotation, the
#: format controls of Egyptian hieroglyphs, shorthand and musical notation, tags.  With the
#: controls and the marks of direction, these are every control (Cc) and format (Cf)
#: character of Unicode but the prepended concatenation marks, which are drawn (U+0600, the
#: Arabic number sign...): one definition of a hidden character, for what a terminal or a
#: report shows (here) and for what a rule file cannot hold (``exprsource.first_hidden``)
_INVISIBLE = [
    0x00AD,
    0x180E,
    *range(0x200B, 0x200E),
    *range(0x2060, 0x2065),
    *range(0x206A, 0x2070),
    0xFEFF,
    *range(0xFFF9, 0xFFFC),
    *range(0x13430, 0x13440),
    *range(0x1BCA0, 0x1BCA4),
    *range(0x1D173, 0x1D17B),
    0xE0001,
    *range(0xE0020, 0xE0080),
]

_SHOWN: dict[int, str] = {
    **{code: f"\\x{code:02x}" for code in _CONTROLS},
    **{code: f"\\u{code:04x}" for code in _DIRECTIONS},
    **{code: f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}" for code in _INVISIBLE},
}
_ONE_LINE: dict[int, str] = {**_SHOWN, 0x0A: "\\x0a"}
#: the code points of the characters not shown as they are: controls, line feed included,
#: marks of direction, invisible format characters
HIDDEN: frozenset[int] = frozenset(_ONE_LINE)
#: a regular expression (polars', Rust's) matching any of them
HIDDEN_PATTERN = "[" + "".join(f"\\x{{{code:x}}}" for code in sorted(HIDDEN)) + "]"


def terminal_text(text: str) -> str:
    """``text`` with what a terminal would act on shown as escapes; its line feeds kept."""
    return text.translate(_SHOWN)


def one_line(value: object) -> str:
    """A value for one line of a terminal's table: as ``terminal_text``, line feeds too."""
    return str(value).translate(_ONE_LINE)


def escapes() -> dict[int, str]:
    """The escape ``one_line`` shows for each character it does not show as it is, by code
    point: for the reports that set the escapes apart (the HTML page, Markdown)."""
    return dict(_ONE_LINE)


def ljust(text: str, columns: int) -> str:
    """``text`` padded with spaces to ``columns`` as a terminal shows it (``display_width``)."""
    return text + " " * (columns - display_width(text))


def rjust(text: str, columns: int) -> str:
    """``text`` right-aligned in ``columns`` as a terminal shows it."""
    return " " * (columns - display_width(text)) + text


def display_width(text: str) -> int:
    """The columns a terminal gives the text: two for a wide character (CJK, in the basic
    plane or beyond it, such as 𠮷), none for a combining mark."""
    return sum(
        0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        for ch in text
    )
