"""Text that is hard to write out as JSON, CSV or a message: quotes, backslashes, control and
separator characters, a character beyond the BMP, formula starts, commas, braces."""

from __future__ import annotations

from hypothesis import strategies as st

HARD_TEXT = st.one_of(
    st.text(max_size=8),
    st.sampled_from(
        ['"', "\\", "\n", "\x00", "\x1f", "\u2028", "\x7f", "😀", "=1+1", "-3", "a,b", "{x}"]
    ),
)
