"""The records' JSON Schema (``sales-policy schema records``) against what a check reads.

A developer validates records with the published schema before sending them, so a record a
check accepts must be valid by it: naive and year-first date-times, epoch milliseconds, ids
as numbers, true or false as text.  And it is no "anything goes": values a check refuses for
their form are invalid by it too.  (Not all: JSON Schema takes 1793581200000.0 for an
integer, which a check refuses as no whole number, as it does 12.0 for a count.)
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from sales_policy import load_policy
from sales_policy.recordschema import records_json_schema

#: a data access but for its count of records and its approval
ACCESS = {
    "type": "data_access",
    "record_id": "A1",
    "employee_id": "E1",
    "at": "2026-11-02T10:00:00+08:00",
    "data_class": "customer",
    "action": "view",
}
#: one valid record of a type per kind of field, and the field of that kind
BASES: dict[str, tuple[dict[str, Any], str]] = {
    "datetime": ({"type": "punch", "employee_id": "E1"}, "at"),
    "date": ({"type": "employee", "employee_id": "E1", "name": "Wang Wei"}, "hired_on"),
    "id": ({"type": "punch", "at": "2026-11-02T09:00:00+08:00"}, "employee_id"),
    "text": ({"type": "employee", "employee_id": "E1"}, "name"),
    "flag": ({**ACCESS, "record_count": 3}, "approved"),
    "count": ({**ACCESS, "approved": True}, "record_count"),
    "number": (
        {
            "type": "satisfaction_survey",
            "record_id": "S1",
            "customer_id": "C1",
            "employee_id": "E1",
            "at": "2026-11-02T10:00:00+08:00",
        },
        "score",
    ),
}

#: values a check reads, by the forms docs/inputs.md names (each must be valid by the schema)
READ: dict[str, list[Any]] = {
    "datetime": [
        "2026-11-02T09:00:00+08:00",
        "2026-11-02T01:00:00Z",
        "2026-11-02T09:00:00",  # naive: the employee's local time
        "2026-11-02 09:00",
        "2026-11-02T09:00:00.250+0800",
        " 2026-11-02T09:00:00+08:00 ",
        "2026/11/2 9:05",
        "2026/11/2 9:05:30",
        "1793581200000",  # epoch milliseconds, as text and as a number
        1793581200000,
        179358120000,
    ],
    "date": ["2026-11-02", "2026/11/2", " 2026-03-01\u3000"],
    "id": ["E1", "销售-001", 1017],
    "text": ["王伟", " Wang Wei ", 42, "#N/A"],  # text as the cell shows it
    "flag": [True, False, "true", "FALSE", "Yes", "n", "1", "0"],
    "count": [0, 12, "12", " +7 "],
    "number": [4, 4.5, "4.5", "4", ".5", "1e0"],
}
#: values a check refuses for their form (each must be invalid by the schema)
REFUSED: dict[str, list[Any]] = {
    "datetime": ["tomorrow", "02/11/2026 09:00", "2026-11-02", 1793581200, True],
    "date": ["02/11/2026", "2026-11-02T09:00:00+08:00", "Nov 2", 20261102],
    "id": [True, 10.5, "#N/A", " #REF! "],  # a spreadsheet's error value is no id
    "text": [True],
    "flag": ["on", "t", "maybe", 2],
    "count": ["12.0", "twelve", 1.5, True],
    "number": ["4,5", "four", True],
}


def _valid(record: dict[str, Any]) -> bool:
    validator = jsonschema.Draft202012Validator(records_json_schema())
    return validator.is_valid(record)


def _cases(values: dict[str, list[Any]]) -> list[tuple[str, Any]]:
    return [(kind, value) for kind, listed in values.items() for value in listed]


def _record(kind: str, value: Any, number: int = 0) -> dict[str, Any]:
    """A record with ``value`` in the field of its kind, its ids its own (``number``): one
    employee record per id, one data access per record id."""
    base, field = BASES[kind]
    ids = {
        name: f"{name[0].upper()}{number}" for name in ("employee_id", "record_id") if name in base
    }
    return {**base, **ids, field: value}


def test_the_schema_is_a_valid_json_schema_and_every_base_record_is_valid_by_it() -> None:
    jsonschema.Draft202012Validator.check_schema(records_json_schema())
    assert all(_valid(_record(kind, READ[kind][0])) for kind in BASES)


@pytest.mark.parametrize("source", ["dicts", "jsonl"])
def test_what_a_check_reads_and_refuses_is_what_the_schema_says(
    source: str, tmp_path: Path
) -> None:
    read, refused = _cases(READ), _cases(REFUSED)
    records = [_record(kind, value, n) for n, (kind, value) in enumerate(read + refused)]
    if source == "jsonl":
        path = tmp_path / "records.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        inputs: Any = [path]
    else:
        inputs = records
    result = load_policy().check(inputs, start=dt.date(2026, 11, 2), end=dt.date(2026, 11, 2))
    refused_lines = set(result.rejects["line"].to_list())
    for line, (case, record) in enumerate(zip(read + refused, records, strict=True), start=1):
        accepted = line not in refused_lines
        assert accepted == (case in read), (case, result.rejects.filter(line=line).rows())
        assert _valid(record) == accepted, case
