"""What every record model is made of: the base model ``Record`` (strict field names,
immutable) and the kinds of value fields of many record types hold: identifiers, text, money
with its currency, measures, date-times and dates; and the check of a record's interval, an
end after its start.  The record types themselves are in ``sales_policy.records`` and
``sales_policy.conductrecords``.

A record object is checked as the dict of its fields is, so a model takes what a file's text
is read as, no more: its values are cleaned as a cell is (``Record``), and a date-time, a
date and an id are read from their text as the columns of a file are
(``sales_policy.timetext``), not by pydantic's own reading (which takes a date for midnight,
and ten digits for seconds since the epoch, and refuses ``2026/11/3 9:05``).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any, ClassVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

from .timetext import (
    AMOUNT,
    BLANKS,
    DATE,
    FALSE_TEXTS,
    FIRST_DATETIME,
    ISO,
    LAST_DATETIME,
    NOT_A_DATE,
    NOT_A_DATETIME,
    NOT_A_FLAG,
    NOT_AN_AMOUNT,
    NOT_AN_ID,
    NOT_WHOLE,
    OUT_OF_RANGE,
    SHEET_ERRORS,
    TRUE_TEXTS,
    WHOLE,
    day_of,
    read_date,
    read_datetime,
)


def _cell_text(value: object) -> str | None:
    """A value as a file's cell holds it, as ``sales_policy.inputs`` writes a dict's; None for
    a value no cell holds (pydantic says what it is)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value.strip(BLANKS)
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return None


def _instant(value: object) -> object:
    """A date-time field's value: a ``datetime`` as it is, anything else as its text reads
    (``timetext.read_datetime``); refused when that text is no date-time, as in a file (a
    ``datetime`` whose offset is not whole minutes, or over 18 hours, too)."""
    text = _cell_text(value)
    if text is None:
        return value
    moment = read_datetime(text)
    if moment is None:
        raise ValueError(f"'{text}'{NOT_A_DATETIME}")
    wall = moment.replace(tzinfo=None)  # the time as written, as a file's is judged
    if not FIRST_DATETIME <= wall <= LAST_DATETIME:
        raise ValueError(f"'{text}'{OUT_OF_RANGE}")
    return value if isinstance(value, dt.datetime) else moment


def _day(value: object) -> object:
    """A date field's value: a ``date`` as it is, a naive ``datetime`` at midnight its day
    (``timetext.day_of``), anything else as its text reads (``timetext.read_date``);
    refused when that is no date, as in a file."""
    if isinstance(value, dt.datetime):
        day = day_of(value)
        if day is None:
            raise ValueError(f"'{value.isoformat()}'{NOT_A_DATE}")
        return day
    if isinstance(value, dt.date):
        return value
    text = _cell_text(value)
    if text is None:
        return value
    read = read_date(text)
    if read is None:
        raise ValueError(f"'{text}'{NOT_A_DATE}")
    return read


def _flag(value: object) -> object:
    """A true-or-false field's value: ``True``/``False`` as they are, anything else as its
    text reads (``timetext.TRUE_TEXTS``, ``FALSE_TEXTS``, any case), as in a file; pydantic's
    own reading also took "on", "off", "t" and "f", which a file's cell is refused for."""
    if isinstance(value, bool):
        return value
    text = _cell_text(value)
    if text is None:
        return value
    if text.lower() in TRUE_TEXTS:
        return True
    if text.lower() in FALSE_TEXTS:
        return False
    raise ValueError(f"'{text}'{NOT_A_FLAG}")


def _whole(value: object) -> object:
    """A whole number field's value: an ``int`` within 64 bits, or a text of digits (a sign
    first, perhaps) its number, as in a file; a number with a point (12.0), which pydantic's own
    reading took, and true or false are refused, as a file's cell is."""
    text = _cell_text(value)
    if text is None:
        return value
    if re.fullmatch(WHOLE, text) is None or not -(2**63) <= int(text) < 2**63:
        raise ValueError(f"'{text}'{NOT_WHOLE}")
    return int(text)


def _amount(value: object) -> object:
    """An amount of money: its text (``_cell_text``: a ``Decimal``, an ``int`` or a ``float``
    as ``str`` writes it) read as a file's cell is (``timetext.AMOUNT``), so that a model
    refuses what a dict is rejected for (``1E+3``, ``-0``, 21 digits before the point), with
    the same reason."""
    text = _cell_text(value)
    if text is None:
        return value
    if re.fullmatch(AMOUNT, text) is None:
        raise ValueError(f"'{text}'{NOT_AN_AMOUNT}")
    return Decimal(text)


def _text(value: object) -> object:
    """Text; a whole number is its digits, as a spreadsheet holds an id (``1017``), as in a
    file.  ``True`` and ``1017.0`` are no text: pydantic refuses them."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _id_text(value: object) -> object:
    """An id: text (``_text``), but not a spreadsheet's error value (``#N/A``:
    ``timetext.SHEET_ERRORS``), refused as in a file."""
    if isinstance(value, str) and value.strip(BLANKS) in SHEET_ERRORS:
        raise ValueError(f"'{value.strip(BLANKS)}'{NOT_AN_ID}")
    return _text(value)


def _padded(pattern: str) -> str:
    """A pattern of ``timetext`` (``^(?:...)$``) with the ``BLANKS`` a value is stripped of
    allowed about it, for a JSON Schema, whose ``pattern`` sees the value as it is."""
    return f"^[{BLANKS}]*{pattern[1:-1]}[{BLANKS}]*$"


def _either(text: dict[str, Any], other: dict[str, Any], description: str) -> WithJsonSchema:
    """The JSON Schema of a kind of value: its text (``text``, a string's schema) or a JSON
    value of another type (``other``), and what the two are, in words."""
    return WithJsonSchema(
        {"anyOf": [{"type": "string", **text}, other], "description": description}
    )


def _any_case(words: tuple[str, ...]) -> str:
    """A pattern of these words in any case (a JSON Schema's patterns have no flags)."""
    spelled = ("".join(f"[{c.upper()}{c}]" if c.isalpha() else c for c in w) for w in words)
    return _padded(f"^(?:{'|'.join(spelled)})$")


#: a spreadsheet's error value (``timetext.SHEET_ERRORS``: only ``?`` needs an escape)
_SHEET_ERROR = "^(?:" + "|".join(e.replace("?", "\\?") for e in SHEET_ERRORS) + ")$"
#: A value's JSON Schema says what checking reads (``timetext``), so that a record a check
#: accepts is valid by it; a pattern can't say all (a date's day in its month, a date-time's
#: range), and a check still refuses, with its reason, what the schema lets through.
_ID_JSON = _either(
    {"minLength": 1, "maxLength": 200, "not": {"pattern": _padded(_SHEET_ERROR)}},
    {"type": "integer"},
    "Text, or a whole number as a spreadsheet holds an id (1017).",
)
_TEXT_JSON = _either({"maxLength": 10_000}, {"type": "integer"}, "Text, or a whole number.")
_FLAG_JSON = _either(
    {"pattern": _any_case(TRUE_TEXTS + FALSE_TEXTS)},
    {"type": "boolean"},
    f"true or false; as text, any case: {', '.join(TRUE_TEXTS + FALSE_TEXTS)}.",
)
_COUNT_JSON = _either(
    {"pattern": _padded(WHOLE)},
    {"type": "integer"},
    "A whole number, or its digits as text.",
)
_NUMBER_JSON = _either(
    {"pattern": _padded(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$")},
    {"type": "number"},
    "A finite number, or its decimal text.",
)
#: epoch milliseconds as a number: the 12 or 13 digits ``timetext.ISO`` reads as text
_EPOCH_MILLIS = {"type": "integer", "minimum": 10**11, "maximum": 10**13 - 1}
_INSTANT_JSON = _either(
    {"pattern": _padded(ISO)},
    _EPOCH_MILLIS,
    "ISO 8601 with an offset (an instant) or without one (the employee's local time),"
    " year first as a spreadsheet saves it (2026/11/3 9:05), or epoch milliseconds;"
    " 0001-01-03 to 9999-12-29.",
)
_DATE_JSON = WithJsonSchema(
    {
        "type": "string",
        "pattern": _padded(DATE),
        "description": "YYYY-MM-DD, or year first as a spreadsheet saves it (2026/11/3).",
    }
)

Identifier = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    BeforeValidator(_id_text),
    _ID_JSON,
]
Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=10_000),
    BeforeValidator(_text),
    _TEXT_JSON,
]
#: true or false (``timetext.TRUE_TEXTS``, ``FALSE_TEXTS``)
Flag = Annotated[bool, BeforeValidator(_flag), _FLAG_JSON]
#: a whole number (``timetext.WHOLE``)
Count = Annotated[int, BeforeValidator(_whole), _COUNT_JSON]
#: money: a decimal amount (``timetext.AMOUNT``: at most 20 digits before the point and 4
#: after it), with a currency (CNY unless given)
Money = Annotated[Decimal, Field(ge=0, max_digits=24, decimal_places=4), BeforeValidator(_amount)]
#: a measure: finite (``nan`` and ``inf`` measure nothing, and compare as no limit would)
Number = Annotated[float, Field(allow_inf_nan=False), _NUMBER_JSON]
Currency = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Z]{3}$")]
#: a date-time: with an offset an instant, naive a local time (``timetext.read_datetime``)
Instant = Annotated[dt.datetime, BeforeValidator(_instant), _INSTANT_JSON]
#: a date (``timetext.read_date``)
LocalDate = Annotated[dt.date, BeforeValidator(_day), _DATE_JSON]


class Record(BaseModel):
    """Base of every record model: strict field names, immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
    record_type: ClassVar[str]
    #: file stems that name this type (``punches.csv``), besides ``record_type`` itself
    file_names: ClassVar[tuple[str, ...]] = ()

    @model_validator(mode="before")
    @classmethod
    def _as_cells(cls, data: Any) -> Any:
        """The values as a file's cells are read: text without the ``BLANKS`` about it, and
        an empty value absent: the field's default where it has one, None where the field
        may be absent, else missing (pydantic's ``Field required``)."""
        if not isinstance(data, dict):
            return data
        cells = {}
        for name, value in data.items():
            cell = value.strip(BLANKS) if isinstance(value, str) else value
            field = cls.model_fields.get(name) if cell is None or cell == "" else None
            if field is not None and (field.is_required() or field.default is not None):
                continue  # missing, or its default
            cells[name] = None if cell == "" and field is not None else cell
        return cells


def check_interval(start: dt.datetime | dt.date, end: dt.datetime | dt.date | None) -> None:
    if end is None:
        return
    naive_and_aware = (
        isinstance(start, dt.datetime)
        and isinstance(end, dt.datetime)
        and (start.tzinfo is None) != (end.tzinfo is None)
    )
    if naive_and_aware:
        return  # compared once both are resolved to instants, in the tables
    if end <= start if isinstance(start, dt.datetime) else end < start:
        raise ValueError(f"end {end.isoformat()} is not after start {start.isoformat()}")
