"""The bundled example month gives exactly the findings its README lists by hand."""

from __future__ import annotations

import datetime as dt
import json

from conftest import EXAMPLE_MONTH

from sales_policy import load_policy


def test_example_month_matches_the_hand_written_expectations() -> None:
    expected = json.loads((EXAMPLE_MONTH / "expected.json").read_text(encoding="utf-8"))
    result = load_policy().check(
        sorted(EXAMPLE_MONTH.glob("*.csv")), dt.date(2026, 11, 1), dt.date(2026, 11, 30)
    )
    got = sorted(
        (f.rule_id, f.employee_id, f.date.isoformat() if f.date else None, f.period) for f in result
    )
    assert got == sorted((e["rule_id"], e["employee_id"], e["date"], e["period"]) for e in expected)
    assert result.counts.read == result.counts.accepted


def test_example_non_violations_stay_clean() -> None:
    cases = json.loads((EXAMPLE_MONTH / "non_violations.json").read_text(encoding="utf-8"))
    result = load_policy().check(
        sorted(EXAMPLE_MONTH.glob("*.csv")), dt.date(2026, 11, 1), dt.date(2026, 11, 30)
    )
    flagged = {(f.employee_id, f.date.isoformat()) for f in result if f.date}
    for case in cases:
        for day in case["dates"]:
            assert (case["employee_id"], day) not in flagged, case["case"]
