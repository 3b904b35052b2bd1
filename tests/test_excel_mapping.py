"""Excel workbooks, column mappings for foreign exports, and epoch-millisecond timestamps.

Excel files are written here with openpyxl; they are read (by fastexcel) into the same
raw text frames as CSV files, so a record reads the same from a sheet as from a CSV line.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import openpyxl
import polars as pl
import pydantic
import pytest
from conftest import EXAMPLE_MONTH
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sales_policy import InputError, PolicyError, Punch, load_policy
from sales_policy.cli import main
from sales_policy.inputs import _text
from sales_policy.mapping import ColumnMapping, load_mapping
from sales_policy.recordfields import fields_of, record_types
from sales_policy.tables import build_tables
from sales_policy.testing import records

ROOT = Path(__file__).resolve().parents[1]
MAPPINGS = ROOT / "examples" / "mappings"
POLICY = load_policy()
NOVEMBER = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))


def write_xlsx(path: Path, sheets: dict[str, list[list[Any]]], start_row: int = 1) -> Path:
    """A workbook with one sheet per entry; rows written from ``start_row`` on."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for offset, row in enumerate(rows):
            for column, value in enumerate(row, start=1):
                if value is not None:
                    cell = sheet.cell(row=start_row + offset, column=column, value=value)
                    if isinstance(value, str) and value.startswith("="):
                        cell.data_type = "s"  # text, as typed into the cell: not a formula
    book.save(path)
    return path


def write_csv(path: Path, rows: list[list[Any]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out, lineterminator="\n").writerows(
            ["" if v is None else _text(v) for v in row] for row in rows
        )
    return path


def build(items: list[Any], **kwargs: Any) -> Any:
    return build_tables(items, policy_timezone="Asia/Shanghai", **kwargs)


def rejects_of(tables: Any) -> list[tuple[Any, ...]]:
    return tables.rejects.select("source", "line", "field", "value", "reason").rows()


# -- every record type reads from Excel as from CSV ------------------------------------------


@pytest.mark.parametrize("record_type", record_types())
@settings(max_examples=5, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_every_record_type_reads_from_excel_as_from_csv(
    tmp_path: Path, record_type: str, data: st.DataObject
) -> None:
    rows = data.draw(st.lists(records(record_type), min_size=1, max_size=6))
    names = [f.name for f in fields_of(record_type)]
    table = [names, *([row.get(name) for name in names] for row in rows)]
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    from_csv = build([write_csv(folder / "rows.csv", table)], type_hint=record_type)
    # Cells as Excel holds them: numbers and booleans typed, everything else text.
    from_xlsx = build([write_xlsx(folder / "rows.xlsx", {record_type: table})])
    assert from_xlsx.read == from_csv.read == len(rows)
    # Generated ids may repeat: the same duplicates, on the same lines (a reason naming an
    # employee's earlier row names it in its own file).
    sheet_rejects = [
        (*r[1:-1], r[-1].replace(from_xlsx.sources[0], "FILE")) for r in rejects_of(from_xlsx)
    ]
    assert sheet_rejects == [
        (*r[1:-1], r[-1].replace(from_csv.sources[0], "FILE")) for r in rejects_of(from_csv)
    ]
    assert from_xlsx.sources == [f"{folder / 'rows.xlsx'}[{record_type}]"]
    assert from_xlsx.tables.keys() == from_csv.tables.keys()
    for name, frame in from_csv.tables.items():
        assert from_xlsx.tables[name].equals(frame), name  # lines (in _ref) too


def _typed(value: str) -> Any:
    """A CSV cell of the example month as a typed Excel cell: dates and date-times (local
    wall time: every employee of the example is at UTC+8) as such, the rest as text."""
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    if len(value) == 10:
        return moment.date()
    return moment.replace(tzinfo=None)


def test_the_example_month_from_a_workbook_gives_the_same_findings(tmp_path: Path) -> None:
    files = sorted(EXAMPLE_MONTH.glob("*.csv"))
    sheets = {}
    for file in files:
        with file.open(encoding="utf-8") as stream:
            header, *body = csv.reader(stream)
        sheets[file.stem] = [header, *([_typed(v) for v in row] for row in body)]
    workbook = write_xlsx(tmp_path / "november.xlsx", sheets)
    expected = POLICY.check(files, *NOVEMBER)
    found = POLICY.check(workbook, *NOVEMBER)
    assert found.counts == expected.counts
    assert found.frame.drop("sources").equals(expected.frame.drop("sources"))
    assert found.sources == [f"{workbook}[{file.stem}]" for file in files]
    # The same rows are cited: same sheet order as the files, same line numbers.
    assert found.table.get_column("sources").equals(expected.table.get_column("sources"))
    assert found.findings and {f.rule_id for f in found.findings} == {
        f.rule_id for f in expected.findings
    }


# -- sheets, rows, types -----------------------------------------------------------------------

PUNCH_HEADER = ["employee_id", "at", "direction"]


def test_rejects_carry_the_sheet_and_the_row(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "clock.xlsx",
        {
            "punches": [
                PUNCH_HEADER,
                ["E1", dt.datetime(2026, 11, 2, 9, 0), "in"],
                [None, None, None],  # row 3: empty, skipped
                ["E1", dt.datetime(2026, 11, 2, 18, 0), "sideways"],
                ["E2", "yesterday", "in"],
                ["  ", "   ", None],  # row 6: blanks only, skipped
            ]
        },
    )
    tables = build([path])
    source = f"{path}[punches]"
    assert tables.read == 3 and tables.accepted == 1
    assert rejects_of(tables) == [
        (source, 4, "direction", "sideways", "'sideways' is not one of: in, out"),
        (
            source,
            5,
            "at",
            "yesterday",
            "'yesterday' is not a date-time (expected ISO 8601 like 2026-11-03T09:00:00+08:00,"
            " year first like 2026/11/3 9:05, or epoch milliseconds)",
        ),
    ]
    assert tables.ref_text(tables.table("punch").get_column("_ref")[0]) == f"{source}:2"


def test_error_cells_read_as_the_text_a_csv_export_writes(tmp_path: Path) -> None:
    """A formula's error value (``#N/A`` of a failed lookup, ``#DIV/0!``) is no empty cell:
    it reads as the text Excel writes for it into a CSV file, so the rows read as from that
    CSV file, in a sheet that starts at B3 as at A1, whether the error is among numbers,
    date-times or text."""
    header = ["record_id", "employee_id", "at", "data_class", "action", "record_count"]
    header += ["destination", "approved"]
    at = "2026-11-02T10:00:00+08:00"
    rows = [
        header,
        ["A1", "E1", at, "customer", "export", 120, "#N/A", True],
        ["A2", "E1", at, "customer", "export", "#DIV/0!", None, True],
        ["A3", "E1", "#VALUE!", "customer", "view", 3, None, False],
        ["A4", "E1", at, "customer", "view", 4, "crm", "#REF!"],
    ]
    expected = build([write_csv(tmp_path / "data_access.csv", rows)])
    for row, column in ((1, 1), (3, 2)):
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "data_access"
        for offset, values in enumerate(rows):
            for number, value in enumerate(values):
                if value is not None:
                    sheet.cell(row=row + offset, column=column + number, value=value)
        book.save(tmp_path / "log.xlsx")
        tables = build([tmp_path / "log.xlsx"])
        # A2, A3 and A4 rejected, for the field of their error cell; at the sheet's rows
        assert [r[2:4] for r in rejects_of(tables)] == [
            ("record_count", "#DIV/0!"),
            ("at", "#VALUE!"),
            ("approved", "#REF!"),
        ]
        assert [r[2:] for r in rejects_of(tables)] == [r[2:] for r in rejects_of(expected)]
        assert tables.rejects.get_column("line").to_list() == [row + 2, row + 3, row + 4]
        read = tables.table("data_access").select("record_id", "destination")
        assert read.rows() == [("A1", "#N/A")]  # a text field keeps it, as from the CSV file
        assert read.equals(expected.table("data_access").select("record_id", "destination"))


def test_error_cells_of_every_sheet_are_read(tmp_path: Path) -> None:
    """Each sheet's error cells at its own rows: the employees' in row 3, the punches' in
    row 2 (read beside the reader, once for the workbook)."""
    path = write_xlsx(
        tmp_path / "hr.xlsx",
        {
            "employees": [
                ["employee_id", "name", "hired_on"],
                ["E1", "A", None],
                ["E2", "B", "#N/A"],
            ],
            "punches": [
                PUNCH_HEADER,
                ["E1", "2026-11-02T09:00:00+08:00", "#NAME?"],
                ["E1", "2026-11-02T18:00:00+08:00", "out"],
            ],
        },
    )
    tables = build([path])
    assert [r[:4] for r in rejects_of(tables)] == [
        (f"{path}[employees]", 3, "hired_on", "#N/A"),
        (f"{path}[punches]", 2, "direction", "#NAME?"),
    ]


def test_an_error_value_in_an_id_is_no_employee(tmp_path: Path) -> None:
    """A lookup of the employee that found nothing (#N/A) is rejected where an id belongs,
    in a sheet as in CSV and in a record object, not judged as employee "#N/A"; in a text
    field (a leave's type) it is that text, as the cell shows it."""
    at = "2026-11-02T09:00:00+08:00"
    leave = ["request_id", "employee_id", "leave_type", "start", "end", "submitted_at", "status"]
    path = write_xlsx(
        tmp_path / "clock.xlsx",
        {
            "punches": [PUNCH_HEADER, ["#N/A", at, "in"], ["E1", at, "in"]],
            "leave_requests": [
                leave,
                ["L1", "E1", "#N/A", at, "2026-11-02T18:00:00+08:00", at, "pending"],
            ],
        },
    )
    tables = build([path])
    reason = (
        "'#N/A' is a spreadsheet's error value (a formula that failed, such as a lookup that "
        "found nothing), not an id"
    )
    assert [r[1:] for r in rejects_of(tables)] == [(2, "employee_id", "#N/A", reason)]
    assert tables.table("leave_request").get_column("leave_type").to_list() == ["#N/A"]
    with pytest.raises(pydantic.ValidationError, match="not an id"):
        Punch(employee_id="#N/A", at=at)


def test_a_sheet_that_starts_lower_down_keeps_its_row_numbers(tmp_path: Path) -> None:
    rows = [PUNCH_HEADER, ["E1", "2026-11-02T09:00:00+08:00", "in"], ["E1", "soon", "out"]]
    path = write_xlsx(tmp_path / "punches.xlsx", {"Sheet1": rows}, start_row=4)
    tables = build([path])
    assert rejects_of(tables)[0][:3] == (f"{path}[Sheet1]", 6, "at")


def test_naive_datetime_cells_are_local_time_and_date_cells_dates(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "hr.xlsx",
        {
            "employees": [
                ["employee_id", "name", "hired_on", "timezone"],
                ["E1", "王伟", dt.date(2026, 1, 5), "Asia/Singapore"],
                ["E2", "李娜", dt.datetime(2026, 1, 5, 0, 0), None],  # midnight: the date
                ["E3", "张敏", dt.datetime(2026, 1, 5, 9, 30), None],  # a time: not a date
            ],
            "punches": [
                PUNCH_HEADER,
                ["E1", dt.datetime(2026, 11, 2, 9, 0, 5), "in"],
                ["E2", dt.datetime(2026, 11, 2, 9, 0, 5, 250_000), "in"],
            ],
        },
    )
    tables = build([path])
    employees = tables.table("employee")
    assert employees.get_column("hired_on").to_list() == [dt.date(2026, 1, 5)] * 2
    assert rejects_of(tables) == [
        (
            f"{path}[employees]",
            4,
            "hired_on",
            "2026-01-05T09:30:00.000000",
            "'2026-01-05T09:30:00.000000' is not a date"
            " (expected YYYY-MM-DD, or year first like 2026/11/3)",
        )
    ]
    utc = dt.UTC
    assert tables.table("punch").get_column("at").to_list() == [
        dt.datetime(2026, 11, 2, 1, 0, 5, tzinfo=utc),  # Singapore and Shanghai: UTC+8
        dt.datetime(2026, 11, 2, 1, 0, 5, 250_000, tzinfo=utc),
    ]
    assert tables.naive_timestamps == 2


def test_a_cell_holding_a_time_alone_is_no_instant(tmp_path: Path) -> None:
    """Excel keeps a time typed alone (18:00) as a date-time on its day 0; read as that date
    it was a punch of 1899.  It is the time, which a date-time field rejects."""
    path = write_xlsx(
        tmp_path / "clock.xlsx",
        {"punches": [PUNCH_HEADER, ["E1", dt.time(18, 0), "out"], ["E1", dt.time(9, 5), "in"]]},
    )
    tables = build([path])
    assert tables.accepted == 0
    assert [(r[1], r[2], r[3]) for r in rejects_of(tables)] == [
        (2, "at", "18:00:00"),
        (3, "at", "09:05:00"),
    ]


def test_a_time_alone_among_text_date_times_is_no_instant(tmp_path: Path) -> None:
    """Among text date-times, the reader writes a time alone as a date-time of 1899-12-31:
    it is rejected as the time it is, as among date cells, not taken for a punch of 1899."""
    path = write_xlsx(
        tmp_path / "clock.xlsx",
        {
            "punches": [
                PUNCH_HEADER,
                ["E1", "2026-11-03 09:01", "in"],
                ["E1", dt.time(18, 0), "out"],
            ]
        },
    )
    tables = build([path])
    assert tables.table("punch").get_column("at").to_list() == [
        dt.datetime(2026, 11, 3, 1, 1, tzinfo=dt.UTC)
    ]
    not_a = (
        " is not a date-time (expected ISO 8601 like 2026-11-03T09:00:00+08:00, year first"
        " like 2026/11/3 9:05, or epoch milliseconds)"
    )
    source = f"{path}[punches]"
    assert rejects_of(tables) == [(source, 3, "at", "18:00:00", "'18:00:00'" + not_a)]


def test_date_cells_among_text_read_as_among_dates(tmp_path: Path) -> None:
    """A column of text and date cells: the reader writes a date cell as text
    (``2020-07-13 00:00:00``); in a date or date-time field it reads as among date cells."""
    path = write_xlsx(
        tmp_path / "hr.xlsx",
        {
            "employees": [
                ["employee_id", "name", "hired_on"],
                ["E1", "王伟", "2019-03-04"],
                ["E2", "李娜", dt.datetime(2020, 7, 13, 0, 0)],  # midnight: the date
                ["E3", "张敏", dt.date(2021, 5, 6)],
                ["E4", "刘洋", dt.datetime(2020, 7, 13, 9, 30)],  # a time: not a date
            ],
            "punches": [
                PUNCH_HEADER,
                ["E1", "2026-11-03T09:01:00+08:00", "in"],
                ["E1", dt.datetime(2026, 11, 3, 18, 2, 5, 250_000), "out"],
            ],
        },
    )
    tables = build([path])
    assert tables.table("employee").get_column("hired_on").to_list() == [
        dt.date(2019, 3, 4),
        dt.date(2020, 7, 13),
        dt.date(2021, 5, 6),
    ]
    assert rejects_of(tables) == [
        (
            f"{path}[employees]",
            5,
            "hired_on",
            "2020-07-13T09:30:00.000000",
            "'2020-07-13T09:30:00.000000' is not a date"
            " (expected YYYY-MM-DD, or year first like 2026/11/3)",
        )
    ]
    assert tables.table("punch").get_column("at").to_list() == [
        dt.datetime(2026, 11, 3, 1, 1, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 3, 10, 2, 5, 250_000, tzinfo=dt.UTC),  # local time, UTC+8
    ]


def test_a_midnight_date_cell_is_a_date_in_a_sheet_whose_rows_name_their_type(
    tmp_path: Path,
) -> None:
    path = write_xlsx(
        tmp_path / "hr.xlsx",
        {
            "Sheet1": [
                ["type", "employee_id", "name", "hired_on"],
                ["employee", "E1", "王伟", dt.datetime(2020, 7, 13, 0, 0)],
                ["employee", "E2", "李娜", dt.datetime(2020, 7, 14, 0, 0)],
            ]
        },
    )
    tables = build([path])
    assert rejects_of(tables) == []
    assert tables.table("employee").get_column("hired_on").to_list() == [
        dt.date(2020, 7, 13),
        dt.date(2020, 7, 14),
    ]


SURVEY_HEADER = ["record_id", "customer_id", "employee_id", "at", "score", "scale_max"]


def test_text_the_reader_takes_for_empty_reads_as_in_csv(tmp_path: Path) -> None:
    """The reader takes ``NA``, ``N/A``, ``n/a`` among numbers, true/false or dates for empty
    cells: they are the text they hold, rejected as in CSV with it, not a missing value (a
    required field) or no value (an optional one, which took its default)."""
    at = "2026-11-03T10:00:00+08:00"
    rows = [
        SURVEY_HEADER,
        ["R1", "C1", "E1", at, 4, 5],
        ["R2", "C1", "E1", at, "N/A", 5],
        ["R3", "C1", "E1", at, 3, "N/A"],
        ["R4", "C1", "E1", at, 3, "NA"],
        ["R5", "C1", "E1", at, 3, "n/a"],
        ["R6", "C1", "E1", at, 4.5, None],  # empty: 5
        ["R7", "C1", "E1", at, 7, 10],
    ]
    workbook = write_xlsx(tmp_path / "book.xlsx", {"satisfaction_survey": rows})
    from_xlsx = build([workbook])
    from_csv = build([write_csv(tmp_path / "surveys.csv", rows)])
    source = f"{workbook}[satisfaction_survey]"
    not_a = " is not a number (a finite decimal, e.g. 4.5)"
    assert rejects_of(from_xlsx) == [
        (source, 3, "score", "N/A", "'N/A'" + not_a),
        (source, 4, "scale_max", "N/A", "'N/A'" + not_a),
        (source, 5, "scale_max", "NA", "'NA'" + not_a),
        (source, 6, "scale_max", "n/a", "'n/a'" + not_a),
    ]
    assert [r[1:] for r in rejects_of(from_xlsx)] == [r[1:] for r in rejects_of(from_csv)]
    surveys = from_xlsx.table("satisfaction_survey")
    assert surveys.select("record_id", "score", "scale_max").rows() == [
        ("R1", 4.0, 5.0),
        ("R6", 4.5, 5.0),
        ("R7", 7.0, 10.0),
    ]
    assert surveys.drop("_ref").equals(from_csv.table("satisfaction_survey").drop("_ref"))
    # Among true/false and date cells too.
    others = write_xlsx(
        tmp_path / "more.xlsx",
        {
            "conduct_incidents": [
                [
                    "record_id",
                    "employee_id",
                    "at",
                    "category",
                    "description",
                    "reported_by",
                    "substantiated",
                ],
                ["I1", "E1", dt.datetime(2026, 11, 3, 9), "dress", "d", "M1", True],
                ["I2", "E1", "N/A", "dress", "d", "M1", False],
                ["I3", "E1", dt.datetime(2026, 11, 3, 9), "dress", "d", "M1", "n/a"],
            ],
            "satisfaction_surveys": [
                SURVEY_HEADER,
                ["R1", "C1", "E1", at, 4, 5],
                [None, None, None, None, "NA", None],
            ],
        },
    )
    tables = build([others])
    assert tables.read == 5
    rejects = rejects_of(tables)
    assert [r[1:4] for r in rejects[:2]] == [(3, "at", "N/A"), (4, "substantiated", "n/a")]
    # a row holding nothing else is no empty row, to be skipped
    assert (rejects[2][1], rejects[2][2], rejects[2][4]) == (3, "record_id", "missing value")
    assert len(rejects) == 3


def test_the_record_type_of_a_sheet(tmp_path: Path) -> None:
    row = ["E1", "2026-11-02T09:00:00+08:00", "in"]
    by_file = write_xlsx(tmp_path / "punches.xlsx", {"Sheet1": [PUNCH_HEADER, row]})
    by_column = write_xlsx(
        tmp_path / "mixed.xlsx", {"Sheet1": [["type", *PUNCH_HEADER], ["punch", *row]]}
    )
    unnamed = write_xlsx(tmp_path / "export.xlsx", {"Sheet1": [PUNCH_HEADER, row]})
    for path, hint in ((by_file, None), (by_column, None), (unnamed, "punches")):
        assert build([path], type_hint=hint).table("punch").height == 1
    # --type names the type of sheets named after none; a sheet or file named after one keeps it
    employee = [["employee_id", "name"], ["E1", "王伟"]]
    hr = write_xlsx(tmp_path / "hr.xlsx", {"employees": employee, "Sheet1": [PUNCH_HEADER, row]})
    roster = write_xlsx(
        tmp_path / "employees.xlsx", {"Sheet1": [["employee_id", "name"], ["E2", "李娜"]]}
    )
    tables = build([hr, roster], type_hint="punch")
    assert tables.table("employee").height == 2 and tables.table("punch").height == 1
    # and is read as without --type: by its type column, where it has one
    typed = [["type", *PUNCH_HEADER], ["punch", *row], ["punchh", *row]]
    for hint in (None, "employee"):
        tables = build([write_xlsx(tmp_path / "punches.xlsx", {"Sheet1": typed})], type_hint=hint)
        assert tables.table("punch").height == 1, hint
        assert [(r["line"], r["field"]) for r in tables.rejects.to_dicts()] == [(3, "type")]
    with pytest.raises(InputError, match=r"export\.xlsx\[Sheet1\]: cannot tell which record"):
        build([unnamed])
    # Empty sheets are no inputs; each other sheet is one.
    two = write_xlsx(
        tmp_path / "book.xlsx",
        {"Notes": [], "punches": [PUNCH_HEADER, row], "visits": [["employee_id"]]},
    )
    with pytest.raises(InputError, match=r"book\.xlsx\[visits\]: no column 'customer_id'"):
        build([two])


def test_an_unknown_column_is_the_same_error_as_in_csv(tmp_path: Path) -> None:
    rows = [[*PUNCH_HEADER, "badge"], ["E1", "2026-11-02T09:00:00+08:00", "in", "7"]]
    messages = []
    for path in (write_csv(tmp_path / "punches.csv", rows), tmp_path / "punches.xlsx"):
        if path.suffix == ".xlsx":
            write_xlsx(path, {"punches": rows})
        with pytest.raises(InputError) as caught:
            build([path])
        messages.append(str(caught.value).split(": ", 1)[1])
    assert messages[0] == messages[1]
    assert "column 'badge': unknown field 'badge'" in messages[0]


def test_a_header_without_a_name_or_repeated_is_a_file_error(tmp_path: Path) -> None:
    blank = write_xlsx(
        tmp_path / "a.xlsx", {"punches": [[*PUNCH_HEADER, None], ["E1", "x", "in", "7"]]}
    )
    with pytest.raises(InputError) as caught:
        build([blank])
    # the row of its first value: a stray cell in a year's export is found by it
    assert str(caught.value) == f"{blank}[punches]:2: column 4 holds values but has no header"
    # an error value is a value too, which the reader reads as none: not dropped unseen
    for stray in (["E1", "x", "in", "#N/A"], [None, None, None, None, "#REF!"]):
        erring = write_xlsx(
            tmp_path / "e.xlsx", {"punches": [PUNCH_HEADER, ["E1", "x", "in"], ["E1"], stray]}
        )
        with pytest.raises(InputError, match=rf"\]:4: column {len(stray)} holds values but has"):
            build([erring])
    twice = write_xlsx(
        tmp_path / "b.xlsx", {"punches": [[*PUNCH_HEADER, "at"], ["E1", "x", "in", "y"]]}
    )
    with pytest.raises(InputError, match="repeats a column name"):
        build([twice])
    broken = tmp_path / "punches.xlsx"
    broken.write_bytes(b"not a workbook")
    with pytest.raises(InputError, match="not a readable Excel workbook") as caught:
        build([broken])
    assert "\n" not in str(caught.value)  # the reader's reason, not its context lines


# -- epoch milliseconds --------------------------------------------------------------------

ISO = ["2026-11-02T09:00:05+08:00", "2026-11-02T18:00:00.250Z", "1999-12-31T23:59:59-05:00"]


def _millis(text: str) -> int:
    return int(dt.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000)


def test_epoch_milliseconds_are_the_same_instants_as_iso_text(tmp_path: Path) -> None:
    millis = [_millis(t) for t in ISO]
    assert [len(str(m)) for m in millis] == [13, 13, 12]
    header = ["employee_id", "at"]
    iso = build([write_csv(tmp_path / "punches.csv", [header, *(["E1", t] for t in ISO)])])
    expected = iso.table("punch").get_column("at").to_list()
    assert expected == [dt.datetime.fromisoformat(t.replace("Z", "+00:00")) for t in ISO]
    text = write_csv(tmp_path / "a.csv", [header, *(["E1", str(m)] for m in millis)])
    parquet = tmp_path / "b.parquet"
    pl.DataFrame({"employee_id": ["E1"] * 3, "at": millis}).write_parquet(parquet)
    frame = pl.DataFrame(
        {"employee_id": ["E1"] * 3, "at": millis}, schema_overrides={"at": pl.Int64}
    )
    workbook = write_xlsx(tmp_path / "c.xlsx", {"punches": [header, *(["E1", m] for m in millis)]})
    for item in (text, parquet, frame, workbook):
        tables = build([item], type_hint="punch")
        assert rejects_of(tables) == []
        assert tables.table("punch").get_column("at").to_list() == expected, item
        assert tables.naive_timestamps == 0


@pytest.mark.parametrize(
    "text", ["12345678901", "12345678901234", "-1762045205000", "1762045205000.0"]
)
def test_other_digits_are_no_timestamp(text: str) -> None:
    tables = build([{"type": "punch", "employee_id": "E1", "at": text}])
    assert rejects_of(tables)[0][2:4] == ("at", text)


# -- column mappings -----------------------------------------------------------------------

EXAMPLE_MAP = MAPPINGS / "clock-zh.yaml"
EXAMPLE_EXPORT = MAPPINGS / "clock-zh.csv"


def test_the_example_mapping_checks_its_export_cleanly(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["check", "--map", str(EXAMPLE_MAP), "--type", "punch", str(EXAMPLE_EXPORT)]
    assert main([*argv, "--strict", "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert '"rejected": 0' in out and '"findings": []' in out
    for command in (
        ["score", "--map", str(EXAMPLE_MAP), "--type", "punch", "--period", "2026-11"],
        ["report", "--map", str(EXAMPLE_MAP), "--type", "punch", "--format", "md"],
        ["diff", "--map", str(EXAMPLE_MAP), "--type", "punch"],
    ):
        policies = ["--policy", "default", "--policy", "default"] if command[0] == "diff" else []
        assert main([*command, *policies, str(EXAMPLE_EXPORT)]) == 0, command
    assert main(["check", "--type", "punch", str(EXAMPLE_EXPORT)]) == 2
    err = capsys.readouterr().err
    assert "column '工号': unknown field" in err
    # without a mapping, the error says what reads such an export
    assert err.endswith(
        "; an export in another system's layout is read with a column mapping, which maps "
        "its columns to punch's fields or ignores them (--map FILE, or the policy's columns; "
        "docs/inputs.md)\n"
    )


def test_a_mapped_export_reads_as_our_own_layout(tmp_path: Path) -> None:
    mapping = load_mapping(EXAMPLE_MAP)
    with EXAMPLE_EXPORT.open(encoding="utf-8") as stream:
        header, *body = csv.reader(stream)
    assert header == ["工号", "姓名", "部门", "打卡时间", "打卡类型", "打卡方式", "设备号"]
    values = {"上班": "in", "下班": "out", "指纹": "office", "人脸": "office", "手机": "mobile"}
    ours = [
        ["employee_id", "at", "direction", "source", "record_id"],
        *([r[0], r[3], values[r[4]], values[r[5]], r[6]] for r in body),
    ]
    expected = build([write_csv(tmp_path / "punches.csv", ours)])
    mapped = build([EXAMPLE_EXPORT], type_hint="punch", columns=mapping)
    assert mapped.table("punch").drop("_ref").equals(expected.table("punch").drop("_ref"))
    # An Excel export maps the same, with the sheet named after the type.
    workbook = write_xlsx(tmp_path / "clock.xlsx", {"punches": [header, *body]})
    from_excel = build([workbook], columns=mapping)
    assert from_excel.table("punch").equals(mapped.table("punch"))


def test_values_the_mapping_does_not_know_are_rejected_as_they_were(tmp_path: Path) -> None:
    export = write_csv(
        tmp_path / "export.csv",
        [["工号", "打卡时间", "打卡类型"], ["S001", "2026-11-02 08:50:00", "外出"]],
    )
    tables = build([export], type_hint="punch", columns=load_mapping(EXAMPLE_MAP))
    assert rejects_of(tables) == [
        (str(export), 2, "direction", "外出", "'外出' is not one of: in, out")
    ]


def test_a_column_neither_mapped_nor_ignored_is_a_file_error(tmp_path: Path) -> None:
    mapping = load_mapping(EXAMPLE_MAP)
    export = write_csv(
        tmp_path / "export.csv",
        [["工号", "打卡时间", "地点"], ["S001", "2026-11-02 08:50:00", "A"]],
    )
    with pytest.raises(InputError, match=r"column '地点'.*list it under ignore.*clock-zh\.yaml:"):
        build([export], type_hint="punch", columns=mapping)
    both = write_csv(
        tmp_path / "both.csv",
        [["工号", "employee_id", "打卡时间"], ["S001", "S001", "2026-11-02 08:50:00"]],
    )
    with pytest.raises(
        InputError, match="columns '工号' and 'employee_id' both give field 'employee_id'"
    ):
        build([both], type_hint="punch", columns=mapping)


def test_a_policy_file_carries_a_mapping_under_columns(tmp_path: Path) -> None:
    policy_file = tmp_path / "company.yaml"
    policy_file.write_text(
        "timezone: Asia/Shanghai\n"
        "columns:\n"
        "  punches:\n"
        "    fields: {工号: employee_id, 打卡时间: at, 打卡类型: direction}\n"
        "    values: {direction: {上班: in, 下班: out}}\n"
        "    ignore: [姓名, 部门, 打卡方式, 设备号]\n",
        encoding="utf-8",
    )
    policy = load_policy(policy_file)
    result = policy.check(EXAMPLE_EXPORT, record_type="punch")
    assert result.counts.rejected == 0 and result.counts.accepted == 30
    assert not result.findings


def test_an_export_saved_in_gbk_reads_in_the_encoding_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Excel on Chinese Windows saves CSV in GBK (GB18030): with the encoding given, in the
    mapping file or with ``--encoding``, the export reads as its UTF-8 copy does; without
    it, it is the error saying what the text seems to be."""
    export = tmp_path / "clock-zh.csv"
    export.write_bytes(EXAMPLE_EXPORT.read_text(encoding="utf-8").encode("gb18030"))
    mapping = tmp_path / "clock-zh.yaml"
    mapping.write_text(
        "encoding: GB18030\n" + EXAMPLE_MAP.read_text(encoding="utf-8"), encoding="utf-8"
    )
    assert load_mapping(mapping).encoding == "gb18030"
    expected = build([EXAMPLE_EXPORT], type_hint="punch", columns=load_mapping(EXAMPLE_MAP))
    read = build([export], type_hint="punch", columns=load_mapping(mapping))
    assert read.table("punch").drop("_ref").equals(expected.table("punch").drop("_ref"))
    assert read.accepted == expected.accepted == 30 and read.rejects.is_empty()
    argv = ["check", "--type", "punch", "--strict", str(export)]
    assert main([*argv, "--map", str(mapping)]) == 0
    assert main([*argv, "--map", str(EXAMPLE_MAP), "--encoding", "gbk"]) == 0
    capsys.readouterr()
    # --encoding wins over the mapping's, so utf-8 reads the file as UTF-8: not such text
    assert main([*argv, "--map", str(mapping), "--encoding", "utf-8"]) == 2
    said = capsys.readouterr().err  # 工, B9 A4 in GBK, begins the header
    assert f"{export}:1: not UTF-8 text (byte 0xB9 at column 1); it seems to be GBK" in said
    with pytest.raises(SystemExit) as usage:  # argparse's usage error
        main([*argv, "--map", str(EXAMPLE_MAP), "--encoding", "klingon"])
    assert usage.value.code == 2
    assert "unknown encoding 'klingon'" in capsys.readouterr().err


def test_utf8_exports_read_beside_gbk_ones_by_their_byte_order_mark(tmp_path: Path) -> None:
    """A year's exports, some saved by Excel as "CSV" (GBK), some as "CSV UTF-8" (which
    begins with UTF-8's byte-order mark), checked in one run with the encoding given as
    GB18030: the mark says the file is UTF-8, so its header and names read as written. A
    UTF-8 file without the mark, not GB18030 text, is an error that says it seems to be
    UTF-8 and how to read it beside the others."""
    gbk = tmp_path / "employees-2026-06-30.csv"
    gbk.write_bytes("employee_id,name\nE1,王伟\n".encode("gb18030"))
    marked = tmp_path / "employees-2026-03-31.csv"
    marked.write_bytes("\ufeffemployee_id,name\nE2,张三\n".encode())
    columns = ColumnMapping({}, "gb18030")
    tables = build([gbk, marked], columns=columns)
    assert tables.table("employee").get_column("name").to_list() == ["王伟", "张三"]
    assert tables.rejects.is_empty()
    unmarked = tmp_path / "employees-2026-09-30.csv"
    unmarked.write_bytes("employee_id,name,team\nE3,李四,销售1组\n".encode())  # 组 no GB18030
    with pytest.raises(InputError) as caught:
        build([gbk, unmarked], columns=columns)
    message = str(caught.value)
    assert message.startswith(f"{unmarked}:2: not gb18030 text (byte ")
    assert "it seems to be UTF-8, but gb18030, the encoding given (the column mapping's)" in message
    assert "save it as UTF-8 with a byte-order mark" in message


def test_a_utf8_file_read_in_another_encoding_is_named_in_a_note(tmp_path: Path) -> None:
    """UTF-8 without a byte-order mark among exports in GB18030: 王伟's six bytes in UTF-8
    are three characters of GB18030 (鐜嬩紵), no error, the name garbled; a note names the
    file, which also reads as UTF-8.  A file in GB18030 is not named."""
    utf8 = tmp_path / "employees.csv"
    utf8.write_bytes("employee_id,name\nE1,王伟\n".encode())
    gbk = tmp_path / "punches.csv"
    gbk.write_bytes("employee_id,at\nE1,2026-11-02T09:00:00+08:00\n".encode("gb18030"))
    visits = tmp_path / "visits.csv"  # Chinese in GB18030, no UTF-8
    visits.write_bytes(
        "employee_id,customer_id,start,end\nE1,客户甲,2026-11-02T10:00:00+08:00,"
        "2026-11-02T11:00:00+08:00\n".encode("gb18030")
    )
    (tmp_path / "map.yaml").write_text("encoding: gb18030\n", encoding="utf-8")
    policy = dataclasses.replace(POLICY, columns=load_mapping(tmp_path / "map.yaml"))
    result = policy.check([utf8, gbk, visits])
    assert result.employees.get_column("name").to_list() == ["王伟".encode().decode("gb18030")]
    [note] = [n for n in result.notes if "UTF-8 text too" in n]
    assert note.startswith(
        f"1 file read as gb18030 (the encoding given) is UTF-8 text too: {utf8};"
    )
    assert str(visits) not in note and str(gbk) not in note


def test_a_utf8_export_whose_header_reads_garbled_is_said_to_be_utf8(tmp_path: Path) -> None:
    """A month's export saved as UTF-8 without the mark, among exports in GB18030: its
    Chinese header reads as GB18030 without an error, as other characters (工号 as 宸ュ彿),
    which no mapping names; the column error says the file is UTF-8 too, and what to do.
    An export in GB18030 with a column the mapping lacks is the column error alone."""
    header, row = "工号,打卡时间\n", "E1,2026-11-02T09:00:00+08:00\n"
    mapping = tmp_path / "map.yaml"
    mapping.write_text(
        "encoding: gb18030\npunch:\n  fields: {工号: employee_id, 打卡时间: at}\n", "utf-8"
    )
    columns = load_mapping(mapping)
    gbk = tmp_path / "考勤-2026-10.csv"
    gbk.write_bytes((header + row).encode("gb18030"))
    utf8 = tmp_path / "考勤-2026-11.csv"
    utf8.write_bytes((header + row).encode())
    assert build([gbk], type_hint="punch", columns=columns).accepted == 1
    with pytest.raises(InputError) as caught:
        build([gbk, utf8], type_hint="punch", columns=columns)
    message = str(caught.value)
    garbled = "工号".encode().decode("gb18030")
    assert message.startswith(f"{utf8}: column '{garbled}': unknown field")
    assert "the file is UTF-8 text too, read as gb18030" in message
    assert "save it as UTF-8 with a byte-order mark" in message
    other = tmp_path / "考勤-2026-12.csv"
    other.write_bytes(("部门," + header).encode("gb18030"))
    with pytest.raises(InputError) as caught:
        build([other], type_hint="punch", columns=columns)
    assert "column '部门'" in str(caught.value) and "UTF-8" not in str(caught.value)


def test_text_not_in_the_encoding_given_is_an_error_naming_its_line(tmp_path: Path) -> None:
    """A JSONL file read as ASCII, its 3rd line holding Chinese: the line of the first byte
    that is not such text, and what to do."""
    path = tmp_path / "records.jsonl"
    employee = '{"type": "employee", "employee_id": "E%d", "name": "%s"}'
    lines = [employee % (1, "A"), employee % (2, "B"), employee % (3, "王伟")]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "map.yaml").write_text("encoding: ascii\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        build([path], columns=load_mapping(tmp_path / "map.yaml"))
    message = str(caught.value)
    name_starts = len('{"type": "employee", "employee_id": "E3", "name": "') + 1
    # 王 is E7 8E 8B in UTF-8
    assert message.startswith(f"{path}:3: not ascii text (byte 0xE7 at column {name_starts})")
    assert "the encoding given (the column mapping's)" in message  # given in Python


BAD_MAPPINGS = [
    ("punchs:\n  fields: {工号: employee_id}\n", 1, "unknown record type (did you mean 'punch'?)"),
    (
        "punch:\n  fields:\n    工号: employe_id\n",
        3,
        "column '工号' maps to 'employe_id', which is not a field of punch "
        "(did you mean 'employee_id'?)",
    ),
    ("punch:\n  feilds: {工号: employee_id}\n", 2, "unknown key 'feilds' in punch"),
    (
        "punch:\n  values:\n    at: {上班: in}\n",
        3,
        "values: 'at' is not an enumerated field",
    ),
    (
        "punch:\n  values:\n    direction:\n      上班: in\n      下班: leave\n",
        5,
        "'下班' maps to 'leave', which is not one of: in, out",
    ),
    ("punch:\n  values:\n    directoin: {上班: in}\n", 3, "'directoin' is not a field of punch"),
    ("punch:\n  fields: {姓名: employee_id}\n  ignore:\n    - 姓名\n", 4, "also mapped"),
    ("punch:\n  fields:\n    工号: 12\n", 3, "'工号' must map to a text, found 12"),
    ("punch:\n  ignore: 姓名\n", 2, "ignore must be a list of column names"),
    ("punch: [工号]\n", 1, "punch must be a mapping with keys fields, values, ignore"),
    ("- punch\n", 1, "a mapping file must be a mapping of record types"),
    ("punch:\n  fields: {工号: employee_id\n", 3, "not valid YAML"),
    ("punch: {}\npunches: {}\n", 2, "record type 'punch' is mapped twice"),
    ("punch: {}\nencoding: klingon\n", 2, "encoding: unknown encoding 'klingon' (e.g. gb18030"),
    ("encoding: [gbk]\n", 1, "encoding must be an encoding's name, such as gb18030"),
    ("encoding: base64\n", 1, "encoding: 'base64' is no text encoding"),
]


@pytest.mark.parametrize(("text", "line", "message"), BAD_MAPPINGS)
def test_bad_mappings_fail_with_file_and_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    path = tmp_path / "map.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        load_mapping(path)
    assert caught.value.path == str(path)
    assert caught.value.line == line
    assert message in caught.value.message


def test_bad_mappings_fail_clearly_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "map.yaml"
    path.write_text("punch:\n  fields:\n    工号: employe_id\n", encoding="utf-8")
    assert main(["check", "--map", str(path), "--type", "punch", str(EXAMPLE_EXPORT)]) == 2
    assert f"{path}:3: punch.fields: column '工号'" in capsys.readouterr().err
    assert main(["check", "--map", str(tmp_path / "none.yaml"), str(EXAMPLE_EXPORT)]) == 2
    assert "none.yaml: cannot read the file" in capsys.readouterr().err


def test_a_bad_mapping_in_a_policy_file_names_the_policy_line(tmp_path: Path) -> None:
    policy_file = tmp_path / "company.yaml"
    policy_file.write_text(
        "timezone: Asia/Shanghai\ncolumns:\n  punch:\n    values:\n      at: {上班: in}\n",
        encoding="utf-8",
    )
    with pytest.raises(PolicyError) as caught:
        load_policy(policy_file)
    assert (caught.value.path, caught.value.line) == (str(policy_file), 5)
    assert caught.value.message.startswith("columns.punch.values: 'at' is not an enumerated")
    policy_file.write_text("columns: [punch]\n", encoding="utf-8")
    with pytest.raises(PolicyError, match=r"company\.yaml:1: columns must be a mapping"):
        load_policy(policy_file)


@pytest.mark.parametrize("form", ["xlsx", "csv", "csv saved by Excel"])
def test_a_title_above_the_column_names_is_said_to_be_one(
    tmp_path: Path, form: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """An export whose first row is its title (考勤报表 2026年11月) above the column names:
    the error says the row seems a title, to delete; the Excel reader's own warnings about
    the columns of mixed cells this makes are not printed among the command's messages.
    Excel saves such a sheet as CSV with the title's row as wide as the others
    (``考勤报表 2026年11月,,``): its columns after the first have no name, and hold the
    column names below; the error says that the line seems a title too."""
    rows: list[list[Any]] = [
        ["考勤报表 2026年11月"],
        ["employee_id", "at", "direction"],
        ["S001", "2026-11-03 09:01", "in"],
    ]
    if form == "xlsx":
        path = write_xlsx(tmp_path / "punches.xlsx", {"punches": rows})
        start = f"{path}[punches]:2: column 2 holds values but has no header; if the first row "
    elif form == "csv":
        path = write_csv(tmp_path / "punches.csv", rows)
        start = f"{path}: column '考勤报表 2026年11月': unknown field"
    else:
        path = write_csv(tmp_path / "punches.csv", [rows[0] + [None, None], *rows[1:]])
        start = f"{path}:2: column 2 holds values but has no header (the first: 'at'); if the "
        start += "first line "
    with pytest.raises(InputError) as caught:
        build([path])
    assert str(caught.value).startswith(start)
    assert str(caught.value).endswith(
        "holding values is a title above the column names (a report's name, its month), "
        "delete it, so that the column names come first"
    )
    assert main(["check", str(path)]) == 2
    assert capsys.readouterr().err == f"sales-policy: error: {caught.value}\n"


@pytest.mark.parametrize("encoding", [None, "gb18030"])
def test_a_workbook_or_parquet_file_under_a_text_files_name_is_said_to_be_one(
    tmp_path: Path, encoding: str | None
) -> None:
    """A workbook saved or downloaded as ``punches.csv`` (or ``.jsonl``) is said to be one,
    and how it is read (under ``.xlsx``, which reads it), rather than as text not in UTF-8 or
    in the encoding given, to re-save as UTF-8; so is Excel 97-2003's ``.xls`` (which is not
    read: saved as ``.xlsx``), whether under a text file's name or its own, and a Parquet
    file."""
    columns = ColumnMapping(encoding=encoding)
    rows: list[list[Any]] = [["employee_id", "at"], ["S001", "2026-11-03 09:01"]]
    book = write_xlsx(tmp_path / "book.xlsx", {"punches": rows})
    for name in ("punches.csv", "punches.jsonl"):
        path = tmp_path / name
        path.write_bytes(book.read_bytes())
        with pytest.raises(InputError) as caught:
            build([path], columns=columns)
        what = "CSV" if name.endswith(".csv") else "JSON Lines"
        assert str(caught.value) == (
            f"{path}: not {what} text: it seems to be an Excel workbook (a ZIP archive, as an "
            ".xlsx file is); name it punches.xlsx, and it is read as one"
        )
    renamed = (tmp_path / "punches.csv").rename(tmp_path / "punches.xlsx")
    assert build([renamed], columns=columns).table("punch").height == 1
    old = tmp_path / "punches.csv"  # the compound file every Excel 97-2003 workbook is
    old.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + bytes(range(256)) * 8)
    with pytest.raises(InputError) as caught:
        build([old], columns=columns)
    assert str(caught.value) == (
        f"{old}: not CSV text: it seems to be an Excel 97-2003 workbook (.xls), which is not "
        "read; save it as an Excel workbook (.xlsx) or as CSV UTF-8"
    )
    xls = old.rename(tmp_path / "punches.xls")
    with pytest.raises(InputError, match=r"unknown file format '\.xls'; .*; save it as an Excel "):
        build([xls], columns=columns)
    parquet = tmp_path / "visits.csv"
    frame = pl.DataFrame({"employee_id": ["S001"], "customer_id": ["C1"]})
    frame.with_columns(
        start=pl.lit("2026-11-03 09:00"), end=pl.lit("2026-11-03 10:00")
    ).write_parquet(parquet)
    with pytest.raises(InputError) as caught:
        build([parquet], columns=columns)
    assert str(caught.value) == (
        f"{parquet}: not CSV text: it seems to be a Parquet file; name it visits.parquet, and "
        "it is read as one"
    )
