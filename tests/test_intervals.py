"""Interval arithmetic of fact derivation against plain Python."""

from __future__ import annotations

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from sales_policy.facts.intervals import subtract


def _uncovered(start: int, end: int, cuts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """[start, end) less the cuts, by walking the cuts in order."""
    pieces, at = [], start
    for cut_start, cut_end in sorted(cuts):
        if cut_start > at and at < end:
            pieces.append((at, min(cut_start, end)))
        at = max(at, cut_end)
    if at < end:
        pieces.append((at, end))
    return [(s, e) for s, e in pieces if s < e]


intervals = st.tuples(st.integers(0, 40), st.integers(1, 20)).map(lambda p: (p[0], p[0] + p[1]))


@given(
    bases=st.lists(intervals, max_size=8),
    cuts=st.lists(st.tuples(st.integers(0, 9), intervals), max_size=25),
    scale=st.sampled_from([1, 60_000_000, 2**56]),
)
def test_subtract_equals_walking_the_cuts(
    bases: list[tuple[int, int]], cuts: list[tuple[int, tuple[int, int]]], scale: int
) -> None:
    """Any number of cuts per key, overlapping, touching, outside, equal; at ``scale`` 2**56
    the keys' running ends are kept by a window per key instead of one running maximum."""
    base = pl.DataFrame(
        {
            "key": list(range(len(bases))),
            "start": [s * scale for s, _ in bases],
            "end": [e * scale for _, e in bases],
        },
        schema={"key": pl.Int64, "start": pl.Int64, "end": pl.Int64},
    )
    cut = pl.DataFrame(
        {
            "key": [k for k, _ in cuts],
            "start": [s * scale for _, (s, _) in cuts],
            "end": [e * scale for _, (_, e) in cuts],
        },
        schema={"key": pl.Int64, "start": pl.Int64, "end": pl.Int64},
    )
    got = sorted(subtract(base, cut, "key").iter_rows())
    expected = sorted(
        (key, s * scale, e * scale)
        for key, (start, end) in enumerate(bases)
        for s, e in _uncovered(start, end, [c for k, c in cuts if k == key])
    )
    assert got == expected
