"""The exceptions ``sales_policy`` raises, as one tree.

::

    SalesPolicyError                      root: catch this to catch everything below
    ├── InputError (ValueError)           an input file cannot be used at all
    ├── SourceError (ValueError)          a problem at a place in a file: path, line, column
    │   ├── RuleFileError                 a broken rule file (rules/*.yaml or a company's own)
    │   └── PolicyError                   a broken policy file or override
    ├── ConditionError (ValueError)       a rule condition that does not parse or type-check;
    │                                     the rule-file loader re-raises it as RuleFileError
    ├── CalendarError (ValueError)        a date the working calendar has no data for
    └── InvalidArgument (TypeError)       a bad argument to a public function; a
                                          Schedule or WorkingCalendar whose values cannot
                                          be is one (``calendar.SettingError``), and a
                                          ValueError too

Each subclass also inherits the matching built-in exception, so callers that catch
``ValueError`` or ``TypeError`` keep working.  Every message says what was expected, what was
found, where, and what to do about it; ``suggest`` gives the hint for a name not among the
choices.

Rows of input data that are wrong are *not* exceptions: they end up in the rejects of a
result, with the file, line and reason (see ``sales_policy.tables``).
"""

from __future__ import annotations

import reprlib
from collections.abc import Sequence
from pathlib import Path


class SalesPolicyError(Exception):
    """Root of every exception raised by sales_policy."""


class InputError(SalesPolicyError, ValueError):
    """An input cannot be used at all: missing file, unknown format, bad header, no encoding."""


class SourceError(SalesPolicyError, ValueError):
    """A problem at a known place in a file, rendered ``path:line: message``."""

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.column = column
        super().__init__(self._render())

    def _render(self) -> str:
        place = self.path or "<policy>"
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        return f"{place}: {self.message}"


class RuleFileError(SourceError):
    """A rule file that cannot be loaded: bad YAML, unknown key, bad condition, bad value."""


class PolicyError(SourceError):
    """A policy file or override that cannot be applied: unknown key, parameter or value."""


class ConditionError(SalesPolicyError, ValueError):
    """A condition that does not parse or type-check.

    ``offset`` is the 0-based character offset of the problem in the condition text; the
    rule-file loader turns it into a file:line:column.
    """

    def __init__(self, message: str, *, offset: int | None = None) -> None:
        self.message = message
        self.offset = offset
        super().__init__(message if offset is None else f"{message} (at column {offset + 1})")


class CalendarError(SalesPolicyError, ValueError):
    """A date outside the years the working calendar has data for."""


class InvalidArgument(SalesPolicyError, TypeError):
    """A public function was called with an argument it cannot take."""


def did_you_mean(name: str, choices: Sequence[str]) -> str:
    """What to append to a message about a name not among ``choices``: the closest choice, or
    nothing when none is close."""
    import difflib  # only once a name is not found: not at every command's start

    close = difflib.get_close_matches(name, list(choices), n=1)
    if not close:  # att-late for ATT-LATE: the case alone differs
        folded = {choice.casefold(): choice for choice in choices}
        close = [folded[m] for m in difflib.get_close_matches(name.casefold(), list(folded), n=1)]
    return f" (did you mean {close[0]!r}?)" if close else ""


def suggest(name: str, choices: Sequence[str]) -> str:
    """What to append to a message about a name not among ``choices``: the closest choice,
    else all of them."""
    return did_you_mean(name, choices) or f" (expected one of: {', '.join(choices)})"


#: how much of a value a message or a rejected row shows of it: a list or mapping is shown
#: to a few levels and items, so that one nested in itself many times over (YAML's aliases
#: make such a thing in a few lines) costs no more than a short text
_SHOWN = reprlib.Repr()
_SHOWN.maxlevel, _SHOWN.maxlist, _SHOWN.maxdict, _SHOWN.maxstring = 2, 10, 10, 200
_SHOWN.maxlong = _SHOWN.maxother = 1_000  # a number is shown whole, up to a thousand digits


def shown(value: object) -> str:
    """A value as a message or a rejected row shows it (``repr``, cut short, and in
    characters a file can hold)."""
    try:
        text = _SHOWN.repr(value)
    except ValueError:  # an integer of more digits than Python writes out (4,300)
        return "<a number of over 4,300 digits>"
    return text.encode(errors="backslashreplace").decode()


def kind_of(value: object) -> str:
    """What a value read from JSON or YAML is, in the words of those formats (``null``, not
    ``NoneType``), for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "an object (a mapping)"
    return type(value).__name__


def is_utf8(text: str) -> bool:
    """Whether the text can be written as UTF-8: not when it holds half a surrogate pair,
    which a Python text (or JSON's \\ud800 escapes) can, and no file or report.  ASCII text,
    most of it, is answered without encoding it."""
    if text.isascii():
        return True
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True
