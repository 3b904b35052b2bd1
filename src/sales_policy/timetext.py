"""Dates and date-times as text: the forms read, and what they mean.

Files and dicts are read column-wise by polars (``sales_policy.timestamps`` reads date-times,
``sales_policy.validation`` dates); a record model's fields one value at a time, in Python
(``read_datetime``, ``read_date``: ``sales_policy.recordbase``).  Both match the patterns
here, written so that polars' regex and Python's ``re`` match the same texts: digits are
``[0-9]`` (``\\d`` takes any script's digits, which neither reads as a number) and blanks are
named (``BLANKS``: Python's ``\\s`` takes U+001C to U+001F too); a year is 0001 to 9999 (no
date holds year 0).  What they read is the same: a date-time's fraction beyond microseconds
is cut, a leap second (``:60``) and an offset over 18 hours are refused.

A value is the text of its cell with the ``BLANKS`` about it removed (what polars strips),
and a cell of blanks is an absent value.  Here too is the one rule for a date-time given for
a date (``day_of``), and the reasons a value is refused, which name every form that is read.
"""

from __future__ import annotations

import datetime as dt
import re

#: what polars strips from a value (Rust's ``char::is_whitespace``, Unicode's White_Space)
BLANKS = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
#: a year, 0001 to 9999: four digits, not all 0
_YEAR = r"(?:[0-9]{3}[1-9]|[0-9]{2}[1-9][0-9]|[0-9][1-9][0-9]{2}|[1-9][0-9]{3})"
#: ISO 8601 text (groups 1 to 4: date, hours and minutes, seconds, offset); the digits of
#: milliseconds since the Unix epoch (group 5), as exports of clock systems often hold; or the
#: local time a spreadsheet saves, year first (groups 6 to 8: ``2026/11/3``, ``9:05``,
#: ``:00``), as Excel in Chinese re-saves a CSV file's date-times
ISO = (
    rf"^(?:({_YEAR}-[0-9]{{2}}-[0-9]{{2}})[T ]([0-9]{{2}}:[0-9]{{2}})"
    rf"(:[0-9]{{2}}(?:[.,][0-9]{{1,9}})?)?[{BLANKS}]*"
    rf"(Z|z|[+-][0-9]{{2}}(?::?[0-9]{{2}})?)?|([0-9]{{12,13}})"
    rf"|({_YEAR}/[0-9]{{1,2}}/[0-9]{{1,2}}) ([0-9]{{1,2}}:[0-9]{{2}})(:[0-9]{{2}})?)$"
)
#: The start of the canonical form, which ``timestamps`` reads by position: date, ``T`` or a
#: space, time to the second, in range (polars' regex, in bytes: ``(?-u)``).
CANONICAL = (
    rf"(?-u)^{_YEAR}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])[T ]"
    r"(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
)
#: a date: ISO 8601 (group 1), or year first as a spreadsheet saves it (group 2: 2026/3/1)
DATE = rf"^(?:({_YEAR}-[0-9]{{2}}-[0-9]{{2}})|({_YEAR}/[0-9]{{1,2}}/[0-9]{{1,2}}))$"
#: why a value is no date-time, or no date, after the value in quotes: every form read
NOT_A_DATETIME = (
    " is not a date-time (expected ISO 8601 like 2026-11-03T09:00:00+08:00, year first"
    " like 2026/11/3 9:05, or epoch milliseconds)"
)
NOT_A_DATE = " is not a date (expected YYYY-MM-DD, or year first like 2026/11/3)"
#: The date-times a check can judge, as wall times: one in the first or last two days of the
#: dates (0001-01-01, 9999-12-31) may fall outside them in the employee's timezone, as its
#: offset (up to 18 hours) and the zone's (up to 14) move its local date by up to 32 hours
FIRST_DATETIME = dt.datetime(1, 1, 3)
LAST_DATETIME = dt.datetime(9999, 12, 29, 23, 59, 59, 999999)
#: why a date-time is refused that is one, but beyond those
OUT_OF_RANGE = " is not a date-time a check can judge (0001-01-03 to 9999-12-29)"

#: the texts of true and of false, any case (a cell of a bool field)
TRUE_TEXTS = ("true", "1", "yes", "y")
FALSE_TEXTS = ("false", "0", "no", "n")
NOT_A_FLAG = " is not true or false"
#: a whole number's text, as polars reads one (``str.to_integer``): ASCII digits, a sign
WHOLE = r"^[+-]?[0-9]+$"
NOT_WHOLE = " is not a whole number (or is beyond 64 bits)"
#: an amount of money's text: ASCII digits, at most 20 before the point (leading zeros aside)
#: and 4 after it, as a record model's amount holds (``recordbase.Money``); every amount then
#: fits the exact decimals that sums and conversions with a rate are computed in
AMOUNT = r"^0*[0-9]{1,20}(?:\.[0-9]{1,4})?$"
NOT_AN_AMOUNT = (
    " is not an amount (digits, at most 20 before the point and 4 after it, e.g. 1280.50)"
)
#: the error values of spreadsheets (Excel's, which WPS and LibreOffice write too), which an
#: export holds where a formula failed: in an id's place they are no id (a lookup of the
#: employee that found nothing is no employee "#N/A")
SHEET_ERRORS = (
    "#N/A",
    "#NULL!",
    "#DIV/0!",
    "#VALUE!",
    "#REF!",
    "#NAME?",
    "#NUM!",
    "#GETTING_DATA",
    "#SPILL!",
    "#CALC!",
    "#FIELD!",
    "#BLOCKED!",
    "#CONNECT!",
    "#BUSY!",
    "#UNKNOWN!",
    "#PYTHON!",
)
NOT_AN_ID = (
    " is a spreadsheet's error value (a formula that failed, such as a lookup that found"
    " nothing), not an id"
)

_ISO = re.compile(ISO)
_DATE = re.compile(DATE)
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
#: the greatest offset read: 18 hours, as ISO 8601 and polars allow
_MOST_OFFSET = 18 * 60


def read_datetime(text: str) -> dt.datetime | None:
    """The date-time a value's text is, as ``sales_policy.timestamps`` reads it (None: it
    is none): naive with no offset given (local time), with a fixed offset where one is
    given, in UTC for epoch milliseconds."""
    match = _ISO.fullmatch(text)
    if match is None:
        return None
    day, minute, second, zone, millis, sheet_day, sheet_minute, sheet_second = match.groups()
    if millis is not None:
        return _EPOCH + dt.timedelta(milliseconds=int(millis))
    if sheet_day is not None:
        day, minute, second = sheet_day.replace("/", "-"), sheet_minute, sheet_second
    year, month, date = (int(part) for part in day.split("-"))
    hour, minutes = (int(part) for part in minute.split(":"))
    seconds = int(second[1:3]) if second else 0
    micros = int(second[4:10].ljust(6, "0")) if second and len(second) > 3 else 0
    try:  # a day, hour or minute out of range; a leap second (60), which no instant of ours is
        naive = dt.datetime(year, month, date, hour, minutes, seconds, micros)
    except ValueError:
        return None
    if zone is None:
        return naive
    if zone in ("Z", "z"):
        return naive.replace(tzinfo=dt.UTC)
    digits = zone[1:].replace(":", "")
    offset = int(digits[:2]) * 60 + int(digits[2:] or 0)
    if int(digits[2:] or 0) >= 60 or offset > _MOST_OFFSET:
        return None
    sign = -1 if zone.startswith("-") else 1
    return naive.replace(tzinfo=dt.timezone(dt.timedelta(minutes=sign * offset)))


def read_date(text: str) -> dt.date | None:
    """The date a value's text is, as ``sales_policy.validation`` reads it (None: none)."""
    match = _DATE.fullmatch(text)
    if match is None:
        return None
    year, month, day = (int(part) for part in re.split("[-/]", match.group(1) or match.group(2)))
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def day_of(moment: dt.datetime) -> dt.date | None:
    """The date a date-time given for a date is: its day, when it is naive and at midnight,
    as a spreadsheet's date cell holds a date; else None (a time of day, or an instant, is no
    date)."""
    if moment.tzinfo is None and moment.time() == dt.time(0):
        return moment.date()
    return None


def month_text(day: dt.date) -> str:
    """The month of a date as ``YYYY-MM``, the year in four digits (``strftime("%Y")`` writes
    the year 12 as ``12`` on some systems), as polars writes it."""
    return day.isoformat()[:7]
