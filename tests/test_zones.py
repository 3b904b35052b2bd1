"""Time-zone names: what the tz database knows, looked up without walking it when it can."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest

from sales_policy import zones


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
    ],
)
def test_a_name_is_known_exactly_when_available_timezones_lists_it(name: str) -> None:
    assert zones.is_known_timezone(name) == (name in zoneinfo.available_timezones())


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


def test_a_zone_only_on_the_search_path_is_known(fresh_lookups: None, tmp_path: Path) -> None:
    """A zone file outside tzdata's list (a system's own) is found by the full walk."""
    utc = resources.files("tzdata").joinpath("zoneinfo", "UTC").read_bytes()
    (tmp_path / "Mars").mkdir()
    (tmp_path / "Mars" / "Olympus_Mons").write_bytes(utc)
    zoneinfo.reset_tzpath([str(tmp_path)])
    assert "Mars/Olympus_Mons" not in zones._tzdata_zones()
    assert zones.is_known_timezone("Mars/Olympus_Mons")
    assert zones.is_known_timezone("Asia/Shanghai")
