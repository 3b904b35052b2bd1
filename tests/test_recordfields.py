"""Record types as files see them: a snapshot of what the models derive, read without pydantic."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import EXAMPLE_MONTH

from sales_policy import recordfields, records, recordschema

UPDATE = "python -c 'from sales_policy.recordschema import write_record_fields as w; w()'"


def test_the_snapshot_is_what_the_models_give() -> None:
    """Every record type, in the models' order, with its file names and every attribute of
    every field: a changed model fails here until write_record_fields() takes it in."""
    models = recordschema.record_types_from_models()
    shipped = json.loads(recordfields.RECORD_FIELDS.read_text(encoding="utf-8"))
    assert list(shipped) == list(records.RECORD_MODELS), f"record types differ: run {UPDATE}"
    assert shipped == recordfields.record_types_to_json(models), f"fields differ: run {UPDATE}"
    assert recordfields.record_types_from_json(shipped) == models
    assert recordfields.record_types() == tuple(records.RECORD_MODELS)
    for name, model in records.RECORD_MODELS.items():
        assert recordfields.fields_of(name) == models[name].fields
        for stem in (name, *model.file_names):
            assert recordfields.record_type_for_name(stem) == name


def test_file_stems_name_record_types() -> None:
    """Case and hyphens do not matter; a stem that names no type gives None."""
    assert recordfields.record_type_for_name("Leave-Requests") == "leave_request"
    assert recordfields.record_type_for_name("visits") == "customer_visit"
    assert recordfields.record_type_for_name("punch_log") is None


def test_a_month_or_a_year_in_a_file_name_leaves_the_type_it_names() -> None:
    """Exports are named for their month, quarter or year: the words among a stem's (split
    at ``-``, ``_``, ``.``, blanks, brackets) that date it (numbers, Q1, H2, 2026年11月) are
    left out, a quarter or a half year written after its year too (2026Q1); any other word
    still names no type."""
    named = {
        "punches-2026-11": "punch",
        "Punches_202611": "punch",
        "2026-11-leave_requests": "leave_request",
        "2026.11 visits": "customer_visit",
        "orders (1)": "order",
        "employees": "employee",
        "employees-2026-Q1": "employee",
        "punches_2026_H2": "punch",
        "visits 2026年11月": "customer_visit",
        "punches-２０２６": "punch",
        "employees-2026Q1": "employee",
        "punches 2026h2": "punch",
        "visits-11月份": "customer_visit",
    }
    for stem, record_type in named.items():
        assert recordfields.record_type_for_file(stem) == record_type, stem
    for stem in (
        "punches_v2",
        "2026-11",
        "punch_log-2026",
        "november-punches",
        "punches-Q5",
        "",
        "punches-2026Q5",
    ):
        assert recordfields.record_type_for_file(stem) is None, stem


def test_checking_files_does_not_import_pydantic() -> None:
    """The snapshot spares a check of files the import of pydantic and the building of the
    record models (~70 ms a run); record objects still work once a caller makes one."""
    code = (
        "import sys, glob, datetime as dt, sales_policy\n"
        "policy = sales_policy.load_policy()\n"
        f"files = sorted(glob.glob({str(EXAMPLE_MONTH)!r} + '/*.csv'))\n"
        "result = policy.check(files)\n"
        "print(result.counts.accepted > 0, 'pydantic' in sys.modules)\n"
        "punch = sales_policy.Punch(employee_id='E1', at=dt.datetime(2026, 11, 2, 9, 30))\n"
        "result = policy.check([punch], dt.date(2026, 11, 2), dt.date(2026, 11, 2))\n"
        "print(result.counts.accepted, sorted({f.rule_id for f in result.findings}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines() == ["True False", "1 ['ATT-LATE', 'ATT-MISSING-PUNCH']"]
