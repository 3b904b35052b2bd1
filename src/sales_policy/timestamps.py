"""ISO 8601 text read column-wise into wall times and UTC offsets.

Canonical text (a date, ``T`` or a space, the time to the second, then nothing, ``Z`` or
``±HH:MM``) is read by position, several times faster than by a regex; the rest, and only the
rest, by the regex ``ISO``, which also reads milliseconds since the Unix epoch (12 or 13
digits, as exports of clock systems often hold) and the local time a spreadsheet saves, year
first (``2026/11/3 9:05``).  Both read canonical text the same.  The patterns are
``sales_policy.timetext``'s, whose Python reading of them record models take.  The
wall time goes to ``value_column(name)``, the offset in seconds (null: none given) to
``name + OFFSET``; ``sales_policy.instants`` resolves them to instants.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from .timetext import CANONICAL, ISO

OFFSET = "__offset"
#: The rest of the canonical text (after ``CANONICAL``: nothing, ``Z`` or ``±HH:MM``) is
#: looked up in ``_ZONES``.
_ZONES: dict[str, int] = {
    "Z": 0,
    "z": 0,
    **{
        f"{sign}{hours:02d}:{minutes:02d}": factor * (hours * 3600 + minutes * 60)
        for sign, factor in (("+", 1), ("-", -1))
        for hours in range(19)
        for minutes in range(60 if hours < 18 else 1)  # at most 18 hours
    },
}
#: ``_ZONES`` as a lookup by position: the text after the seconds as an enumeration (null when
#: it is none of them), whose index picks the offset; several times faster than a mapping
_ZONE_TEXTS = pl.Enum(list(_ZONES)).to_dtype_expr()  # converted once, not per cast
_ZONE_SECONDS = pl.Series(list(_ZONES.values()), dtype=pl.Int32)


def groups_column(name: str) -> str:
    return f"_groups_{name}"


def parse_iso(name: str) -> tuple[pl.Expr, pl.Expr]:
    """Naive wall time and offset in seconds (null when the text has none), from the regex
    groups of the field's text, extracted once beforehand (``groups_column``); epoch milliseconds
    are that UTC wall time with offset 0.

    This is the general reading of ISO 8601 text; ``parse_datetimes`` reads the canonical
    form the same way by position, and this only on the rows it could not read so."""
    part = pl.col(groups_column(name)).struct.field
    seconds = part("3").fill_null(":00").str.replace(",", ".", literal=True)
    text = part("1") + " " + part("2") + seconds
    # polars reads a leap second (:60) as the next minute's first: no instant of ours
    leap = seconds.str.slice(1, 2).cast(pl.Int32, strict=False) >= 60
    naive = (
        pl.when(leap)
        .then(None)
        .otherwise(text.str.to_datetime("%Y-%m-%d %H:%M:%S%.f", strict=False, time_unit="us"))
    )
    zone = part("4")
    digits = zone.str.replace_all(":", "", literal=True)
    hours = digits.str.slice(1, 2).cast(pl.Int32, strict=False)
    minutes = digits.str.slice(3, 2).replace("", None).cast(pl.Int32, strict=False).fill_null(0)
    sign = pl.when(digits.str.starts_with("-")).then(-1).otherwise(1)
    offset = (
        pl.when(zone.str.to_uppercase() == "Z")
        .then(pl.lit(0, pl.Int32))
        .when(zone.is_not_null() & ((hours < 18) | (hours == 18) & (minutes == 0)) & (minutes < 60))
        .then(sign * (hours * 3600 + minutes * 60))
    )
    bad_zone = zone.is_not_null() & offset.is_null()
    millis = part("5").cast(pl.Int64, strict=False)
    epoch = pl.from_epoch(millis, time_unit="ms").cast(pl.Datetime("us"))
    sheet_seconds = part("8").fill_null(":00")
    sheet = (part("6") + " " + part("7") + sheet_seconds).str.to_datetime(
        "%Y/%m/%d %H:%M:%S", strict=False, time_unit="us"
    )
    sheet_leap = sheet_seconds.str.slice(1, 2).cast(pl.Int32, strict=False) >= 60
    return (
        pl.when(millis.is_not_null())
        .then(epoch)
        .when(part("6").is_not_null())
        .then(pl.when(sheet_leap).then(None).otherwise(sheet))
        .when(bad_zone)
        .then(None)
        .otherwise(naive),
        pl.when(millis.is_not_null()).then(pl.lit(0, pl.Int32)).otherwise(offset),
    )


def _fast_column(name: str) -> str:
    return f"_fast_{name}"


def read_by_position(name: str) -> list[pl.Expr]:
    """Whether a datetime field's text starts in the canonical form (``_fast_column``), its
    wall time read by position with a ``T`` (``value_column``), and its offset (the text after
    the seconds, looked up in ``_ZONES``): the first step of ``parse_datetimes``."""
    text = pl.col(name)
    zone = text.str.slice(19).cast(_ZONE_TEXTS, strict=False).to_physical()
    return [
        text.str.contains(CANONICAL).fill_null(False).alias(_fast_column(name)),
        text.str.head(19)
        .str.to_datetime("%Y-%m-%dT%H:%M:%S", strict=False, time_unit="us")
        .alias(value_column(name)),
        pl.lit(_ZONE_SECONDS).gather(zone).alias(name + OFFSET),
    ]


def unread(name: str) -> pl.Expr:
    """The rows whose text ``read_by_position`` did not read: those with a space for the
    ``T`` and those that are not canonical, which ``read_the_rest`` reads."""
    fast, value, offset = (
        pl.col(_fast_column(name)),
        pl.col(value_column(name)),
        pl.col(name + OFFSET),
    )
    canonical = (pl.col(name).str.len_bytes() == 19) | offset.is_not_null()
    return pl.col(name).is_not_null() & ~(fast & value.is_not_null() & canonical)


def read_the_rest(frame: pl.DataFrame, names: Sequence[str]) -> pl.DataFrame:
    """The second step of ``parse_datetimes``: on the rows ``read_by_position`` did not
    read, canonical text with a space by position, and everything else by the regex."""
    for name in names:
        fast, value, offset = (
            pl.col(_fast_column(name)),
            pl.col(value_column(name)),
            pl.col(name + OFFSET),
        )
        # A space instead of the T: by position too, on those rows only.
        spaced = rows_where(frame, fast & value.is_null())
        if spaced.len():
            heads = frame.get_column(name).gather(spaced).str.head(19)
            frame = patch(
                frame,
                spaced,
                heads.str.to_datetime("%Y-%m-%d %H:%M:%S", strict=False, time_unit="us")
                .alias(value_column(name))
                .to_frame(),
            )
        # Everything else by the regex, on those rows only.
        canonical = (pl.col(name).str.len_bytes() == 19) | offset.is_not_null()
        rest = rows_where(
            frame, pl.col(name).is_not_null() & ~(fast & value.is_not_null() & canonical)
        )
        if rest.len():
            texts = frame.get_column(name).gather(rest).to_frame()
            groups = texts.select(pl.col(name).str.extract_groups(ISO).alias(groups_column(name)))
            naive, zone = parse_iso(name)
            frame = patch(
                frame,
                rest,
                groups.select(naive.alias(value_column(name)), zone.alias(name + OFFSET)),
            )
    return frame


def parse_datetimes(frame: pl.DataFrame, names: Sequence[str]) -> pl.DataFrame:
    """Add the wall time (``value_column``) and the offset of each datetime field.

    Canonical text (``CANONICAL``, then nothing, ``Z`` or ``±HH:MM`` from ``_ZONES``) is read
    by position, several times faster than by the regex; the rest, and only the rest, by the
    regex (``parse_iso``).  Both read canonical text the same.
    ``validation.validate_frame`` takes the same two steps, the first within its one plan."""
    if not names:
        return frame
    frame = frame.with_columns(expr for name in names for expr in read_by_position(name))
    return read_the_rest(frame, names).drop(_fast_column(name) for name in names)


def rows_where(frame: pl.DataFrame, condition: pl.Expr) -> pl.Series:
    """The indices of the rows where the condition holds."""
    return frame.select(condition.arg_true()).to_series()


def patch(frame: pl.DataFrame, rows: pl.Series, values: pl.DataFrame) -> pl.DataFrame:
    """The frame with its columns named in ``values`` replaced at those rows by those values."""
    patched = []
    for column in values.iter_columns():
        series = frame.get_column(column.name).clone()
        series.scatter(rows, column)
        patched.append(series)
    return frame.with_columns(patched)


def value_column(name: str) -> str:
    return f"_value_{name}"
