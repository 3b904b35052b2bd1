"""Time zones: which names the tz database knows (looked up without walking it when it can),
and local dates from zone offsets (``zones.local_dates``) equal to converting each row."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import polars as pl
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from sales_policy import zones
from sales_policy.zones import local_dates


@pytest.fixture
def fresh_lookups() -> Iterator[None]:
    """Lookups that start and end with empty caches and the default tz search path."""
    caches = (zones.is_known_timezone, zones.known_timezones, zones._tzdata_zones)
    for cached in caches:
        cached.cache_clear()
    yield
    zoneinfo.reset_tzpath()
    for cached in caches:
        cached.cache_clear()


@pytest.mark.parametrize(
    "name",
    [
        "Asia/Shanghai",
        "UTC",
        "Etc/GMT+5",
        "Mars/Base",
        "asia/shanghai",
        "../etc/passwd",
        "/usr/share/zoneinfo/UTC",
        "right/UTC",
        "posixrules",
        "zone.tab",
        "",
        "localtime",
        "Factory",
    ],
)
def test_a_name_is_known_exactly_when_available_timezones_lists_it_and_polars_too(
    name: str,
) -> None:
    """``localtime`` (the machine's setting) and ``Factory`` are listed, but no place's zone:
    polars refuses them, and a check with them would fail half way."""
    usable = name not in ("localtime", "Factory")
    assert zones.is_known_timezone(name) == (name in zoneinfo.available_timezones() and usable)


def test_tzdata_names_are_known_without_walking_the_tz_database(
    fresh_lookups: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A name in the tzdata package's zone list is answered from that one file."""
    monkeypatch.setattr(zones, "known_timezones", lambda: pytest.fail("walked the tz database"))
    assert zones.is_known_timezone("Asia/Shanghai")
    assert zones.is_known_timezone("America/Argentina/Buenos_Aires")


def test_unknown_and_path_like_names_are_not_known(fresh_lookups: None) -> None:
    assert not zones.is_known_timezone("Mars/Base")
    assert not zones.is_known_timezone("../etc/passwd")
    assert not zones.is_known_timezone("Asia/../Asia/Shanghai")


def test_a_zone_only_on_the_search_path_is_looked_for_and_polars_decides(
    fresh_lookups: None, tmp_path: Path
) -> None:
    """A zone file outside tzdata's list (a system's own) is found by the full walk; it is
    known only if polars, which converts the instants, knows the name too."""
    utc = resources.files("tzdata").joinpath("zoneinfo", "UTC").read_bytes()
    (tmp_path / "Mars").mkdir()
    (tmp_path / "Mars" / "Olympus_Mons").write_bytes(utc)
    zoneinfo.reset_tzpath([str(tmp_path)])
    assert "Mars/Olympus_Mons" not in zones._tzdata_zones()
    assert "Mars/Olympus_Mons" in zones.known_timezones()
    assert not zones.is_known_timezone("Mars/Olympus_Mons")
    assert zones.is_known_timezone("Asia/Shanghai")


#: zones with DST both ways round the year, a 30-minute DST (Lord Howe), offsets that are not
#: whole hours (Kathmandu +05:45, Chatham +12:45/+13:45), a DST change at midnight (Santiago)
#: and none at all (Shanghai since 1991)
ZONES = [
    "America/New_York",
    "Europe/Berlin",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
    "Asia/Shanghai",
    "Pacific/Chatham",
    "America/Santiago",
]
DAY_US = 86_400_000_000


def _offsets(zone: str, instants: pl.Series) -> pl.Series:
    wall = (
        pl.from_epoch(instants, time_unit="us")
        .dt.replace_time_zone("UTC")
        .dt.convert_time_zone(zone)
        .dt.replace_time_zone(None)
        .dt.epoch("us")
    )
    return wall - instants


def _transitions(zone: str) -> list[int]:
    """The instants (epoch microseconds) at which polars' offset of ``zone`` changes,
    1890–2040: found day by day, then to the microsecond by bisection."""
    first = int(dt.datetime(1890, 1, 1, tzinfo=dt.UTC).timestamp()) * 1_000_000
    days = pl.int_range(first, first + 55_000 * DAY_US, DAY_US, dtype=pl.Int64, eager=True)
    offsets = _offsets(zone, days)
    changed = (offsets != offsets.shift(1)).fill_null(False)
    low, high = days.shift(1).filter(changed), days.filter(changed)  # offset(low) != offset(high)
    before = _offsets(zone, low)
    for _ in range(37):  # 2**37 us > one day
        middle = low + (high - low) // 2
        same = _offsets(zone, middle) == before
        low, high = low.zip_with(~same, middle), high.zip_with(same, middle)
    return high.to_list()


TRANSITIONS = sorted({t for zone in ZONES for t in _transitions(zone)})


def _converted(instants: list[int | None], codes: list[int]) -> list[dt.date | None]:
    """What the fact derivation did before: ``convert_time_zone`` + ``date`` of each row."""
    frame = pl.DataFrame(
        {"at": instants, "zone": codes}, schema={"at": pl.Int64, "zone": pl.Int64}
    ).with_row_index()
    utc = pl.from_epoch("at", time_unit="us").dt.replace_time_zone("UTC")
    parts = [
        frame.filter(pl.col("zone") == code).select(
            "index", utc.dt.convert_time_zone(zone).dt.date().alias("date")
        )
        for code, zone in enumerate(ZONES)
    ]
    return pl.concat(parts).sort("index").get_column("date").to_list()


def test_the_zones_have_transitions_of_every_kind() -> None:
    """The transitions found include Lord Howe's at half past an hour (UTC) and Kathmandu's
    to +05:45."""
    assert len(TRANSITIONS) > 500
    assert any(t % 3_600_000_000 == 1_800_000_000 for t in _transitions("Australia/Lord_Howe"))
    kathmandu = pl.Series(_transitions("Asia/Kathmandu"), dtype=pl.Int64)
    assert (_offsets("Asia/Kathmandu", kathmandu) == (5 * 60 + 45) * 60_000_000).any()


near = st.one_of(
    st.sampled_from([-1, 0, 1, -3_600_000_000, 3_600_000_000 - 1]),
    st.integers(-3_600_000_000, 3_600_000_000),
    st.integers(-2 * DAY_US, 2 * DAY_US),
)


@given(
    transition=st.sampled_from(TRANSITIONS),
    rows=st.lists(
        st.tuples(st.one_of(near, st.none()), st.integers(0, len(ZONES) - 1)), max_size=40
    ),
    far=st.sampled_from([None, -70 * 365 * DAY_US, 20 * 365 * DAY_US]),
)
@example(transition=TRANSITIONS[0], rows=[(-1, 2), (0, 2), (1, 2)], far=None)
def test_local_dates_equal_converting_each_row(
    transition: int, rows: list[tuple[int | None, int]], far: int | None
) -> None:
    """Instants near a transition (some exactly at it, some a microsecond either side), in
    several zones, some null; with ``far``, one instant decades away makes the column too wide
    to look offsets up by the hour, and each row is converted."""
    if far is not None:
        rows = [*rows, (far, 0)]
    instants = [None if delta is None else transition + delta for delta, _ in rows]
    codes = [code for _, code in rows]
    column = pl.Series("at", instants, dtype=pl.Int64)
    expected = _converted(instants, codes)
    for many in (0, 1024):  # looked up by the hour; converted row by row, as few rows are
        got = local_dates(column, pl.Series(codes, dtype=pl.UInt32), ZONES, many=many)
        assert got.dtype == pl.Date
        assert got.name == "at"
        assert got.to_list() == expected


def test_local_dates_of_a_month_of_punches_in_two_zones() -> None:
    """A month of instants every 7 minutes, in two zones: looked up by the hour."""
    first = int(dt.datetime(2026, 3, 1, tzinfo=dt.UTC).timestamp()) * 1_000_000
    instants = list(range(first, first + 31 * DAY_US, 7 * 60_000_000 + 1))
    codes = [i % 2 for i in range(len(instants))]
    assert len(instants) > 6000  # over ``many``: not converted row by row
    got = local_dates(pl.Series(instants, dtype=pl.Int64), pl.Series(codes, dtype=pl.UInt32), ZONES)
    assert got.to_list() == _converted(instants, codes)


def test_local_dates_at_every_transition_in_every_zone() -> None:
    """Every transition of the zones 1890–2040 (their first offsets from local mean time at
    odd seconds among them), on it and around it, in every zone: one column per transition,
    each looked up by the hour (``many=0``: however few its rows)."""
    deltas = [-3_600_000_000, -60_000_000, -1, 0, 1, 60_000_000, 1_800_000_000, 3_599_999_999]
    codes = [code for _ in deltas for code in range(len(ZONES))]
    columns = [[t + delta for delta in deltas for _ in ZONES] for t in TRANSITIONS]
    expected = _converted([i for column in columns for i in column], codes * len(columns))
    got = []
    for column in columns:
        dates = local_dates(
            pl.Series(column, dtype=pl.Int64), pl.Series(codes, dtype=pl.UInt32), ZONES, many=0
        )
        got.extend(dates.to_list())
    assert got == expected
