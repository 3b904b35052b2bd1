"""China's calendar data: its days off and adjusted working days (调休) for the years the
maintained ``holidays`` package fully knows, shipped with the project as a snapshot of it
(``CHINA_SNAPSHOT``), which ``sales_policy.calendar`` reads; regenerate it after upgrading the
package with ``python -c 'from sales_policy.chinacalendar import write_china_snapshot as w;
w()'``."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any


def china_schedule_years() -> range:
    """The years whose adjusted working days the installed holidays package knows."""
    # The package knows the statutory holidays of any year by rule, but the adjusted working
    # days are announced each year by the State Council; only years with that announcement in
    # the package's static table are fully known.
    from holidays.countries.china import ChinaStaticHolidays

    years = sorted(ChinaStaticHolidays.special_public_holidays)
    return range(years[0], years[-1] + 1)


#: China's days off and adjusted working days as the holidays package gave them, for the
#: years it fully knew (2001–2026, holidays 0.109).  Asking the package imports all its ~250
#: country modules (~75 ms, every run), so these years are read from this file; a later year
#: is asked of the installed package, which may know it.  A test compares the file with the
#: installed package, so a correction there fails the suite until ``write_china_snapshot()``
#: takes it in.
CHINA_SNAPSHOT = Path(__file__).with_name("calendar_cn.json")


@dataclass(frozen=True)
class Snapshot:
    """China's days off and adjusted working days over the years fully known."""

    years: range
    off: frozenset[dt.date]
    worked: frozenset[dt.date]


def china_snapshot_from_package() -> dict[str, Any]:
    """The snapshot's content, from the installed holidays package."""
    import holidays

    years = china_schedule_years()
    data = holidays.country_holidays("CN", years=list(years))
    return {
        "holidays_version": version("holidays"),
        "years": [years.start, years.stop - 1],
        "off": sorted(d.isoformat() for d in data if d.year in years),
        "worked": sorted(
            d.isoformat() for d in getattr(data, "weekend_workdays", ()) if d.year in years
        ),
    }


def write_china_snapshot() -> Path:
    """Write the snapshot from the installed holidays package (after upgrading it)."""
    data = china_snapshot_from_package()
    CHINA_SNAPSHOT.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    china_snapshot.cache_clear()
    return CHINA_SNAPSHOT


@cache
def china_snapshot() -> Snapshot:
    """The snapshot shipped with the project (``CHINA_SNAPSHOT``)."""
    data = json.loads(CHINA_SNAPSHOT.read_text(encoding="utf-8"))
    first, last = data["years"]
    return Snapshot(
        range(first, last + 1),
        frozenset(dt.date.fromisoformat(d) for d in data["off"]),
        frozenset(dt.date.fromisoformat(d) for d in data["worked"]),
    )
