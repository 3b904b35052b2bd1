"""Values hard to write out as JSON, CSV or a message: text with quotes, backslashes, control
and separator characters, a character beyond the BMP, formula starts, commas and braces; the
extreme integers; any finite float; dates far from today.  One strategy per evidence type."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
from hypothesis import strategies as st

HARD_TEXT = st.one_of(
    st.text(max_size=8),
    st.sampled_from(
        ['"', "\\", "\n", "\x00", "\x1f", "\u2028", "\x7f", "😀", "=1+1", "-3", "a,b", "{x}"]
    ),
)

#: evidence types with a strategy of hard values for each
HARD_VALUES: dict[str, tuple[Any, st.SearchStrategy[Any]]] = {
    "str": (pl.String, HARD_TEXT),
    "int": (pl.Int64, st.integers(-(2**63), 2**63 - 1)),
    "bool": (pl.Boolean, st.booleans()),
    "list": (pl.List(pl.String), st.lists(st.one_of(HARD_TEXT, st.none()), max_size=3)),
    "ints": (pl.List(pl.Int64), st.lists(st.integers(-5, 5), max_size=3)),
    "float": (pl.Float64, st.floats(allow_nan=False, allow_infinity=False)),
    "date": (pl.Date, st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1))),
}
