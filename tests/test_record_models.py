"""Record models take exactly the values the text path takes, and give the same rows.

A record object is validated by its model when made, then dumped as JSON and read as a dict
is (``sales_policy.inputs``).  The model's date-time, date and id fields read what a file's
text is read as (``sales_policy.timetext``): the same data, as a model or as a dict, is
accepted or refused alike, and an accepted one is the same row."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from pydantic import ValidationError
from test_excel_mapping import write_xlsx
from test_tables import build

from sales_policy import Employee, Punch

DATETIME_REASON = (
    " is not a date-time (expected ISO 8601 like 2026-11-03T09:00:00+08:00, year first"
    " like 2026/11/3 9:05, or epoch milliseconds)"
)
DATE_REASON = " is not a date (expected YYYY-MM-DD, or year first like 2026/11/3)"
AMOUNT_REASON = (
    " is not an amount (digits, at most 20 before the point and 4 after it, e.g. 1280.50)"
)


def _same_outcome(model_type: type[Any], record_type: str, values: dict[str, Any]) -> None:
    """The values as a model are refused exactly when as a dict they are rejected; made, the
    model is checked as the dict is: the same rows accepted, the same rejects."""
    as_dict = build([{"type": record_type, **values}])
    try:
        model = model_type(**values)
    except ValidationError as error:
        assert as_dict.accepted == 0, (values, error)
        reject = as_dict.rejects.row(0, named=True)
        fields = [e["loc"][0] for e in error.errors() if e["loc"]]
        if fields:  # the first wrong field, in the order of the fields, is the dict's
            assert fields[0] == reject["field"], (values, error, reject)
        if reject["reason"].endswith((DATETIME_REASON, DATE_REASON, AMOUNT_REASON)):
            assert reject["reason"] in str(error), (reject, str(error))
        return
    as_model = build([model])
    assert as_model.accepted == as_dict.accepted, (values, model, as_dict.rejects)
    assert as_model.rejects.equals(as_dict.rejects), (as_model.rejects, as_dict.rejects)
    if as_dict.accepted:
        assert as_model.table(record_type).equals(as_dict.table(record_type)), values


def _two(low: int, high: int) -> st.SearchStrategy[str]:
    """A number as a clock writes it, two digits; now and then as a spreadsheet, one."""
    return st.integers(low, high).flatmap(
        lambda n: st.sampled_from([f"{n:02d}", f"{n:02d}", f"{n:02d}", str(n)])
    )


years = st.sampled_from(["2026", "1999", "0001", "0000", "9999", "0202"])
days = st.one_of(
    st.dates().map(lambda d: (f"{d.year:04d}", f"{d.month:02d}", f"{d.day:02d}")),
    st.dates().map(lambda d: (f"{d.year:04d}", str(d.month), str(d.day))),
    st.tuples(years, _two(0, 13), _two(0, 32)),
)
iso_days = days.map(lambda d: "-".join(d))
sheet_days = days.map(lambda d: "/".join(d))
fractions = st.text("0123456789", min_size=0, max_size=11).map(lambda f: f and "." + f)
blanks = st.sampled_from(["", "", " ", "  ", "\t", "\u3000", "\xa0", "\x1c"])
offsets = st.one_of(
    st.sampled_from(["", "", "Z", "z"]),
    st.tuples(
        st.sampled_from("+-"), _two(0, 19), st.sampled_from(["", ":", "::"]), _two(0, 61)
    ).map(lambda o: o[0] + o[1] + (o[2] + o[3] if o[2] != "::" else "")),
)
iso_texts = st.builds(
    lambda day, sep, hour, minute, second, fraction, blank, offset: (
        f"{day}{sep}{hour}:{minute}{second and ':' + second + fraction}{blank}{offset}"
    ),
    iso_days,
    st.sampled_from(["T", "T", " ", "t", "  "]),
    _two(0, 25),
    _two(0, 61),
    st.one_of(st.just(""), _two(0, 61)),
    fractions.map(lambda f: f.replace(".", ",") if len(f) % 2 else f),
    blanks,
    offsets,
)
fixed_offsets = st.integers(-18 * 60, 18 * 60).map(
    lambda minutes: dt.timezone(dt.timedelta(minutes=minutes))
)
python_texts = st.builds(  # as Python writes them: always read
    lambda moment, sep, timespec: moment.isoformat(sep, timespec),
    st.datetimes(timezones=st.none() | fixed_offsets),
    st.sampled_from("T "),
    st.sampled_from(["minutes", "seconds", "milliseconds", "microseconds", "auto"]),
)
sheet_texts = st.builds(
    lambda day, hour, minute, second: f"{day} {hour}:{minute}{second and ':' + second}",
    sheet_days,
    _two(0, 25),
    _two(0, 61),
    st.one_of(st.just(""), _two(0, 61)),
)
epochs = st.one_of(
    st.integers(-(10**14), 10**14),
    st.integers(10**9, 10**14 - 1),  # seconds, milliseconds, microseconds
    st.sampled_from([1793667600, 1793667600000, 179366760000, 0]),
)
junk = st.one_of(
    st.text(max_size=25),
    st.text("0123456789-/:T .,+Z", max_size=25),
    st.sampled_from(["", " ", "now", "2026-11-03T09:00:00\n", "\u0662\u0660\u0662\u0666-11-03"]),
)


def _around(texts: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Texts with blanks about them, as a cell may hold."""
    return st.tuples(blanks, texts, blanks).map("".join)


datetime_objects = st.datetimes(
    min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30), timezones=st.none()
) | st.datetimes(timezones=st.timezones())
date_values = st.one_of(
    _around(st.one_of(iso_days, sheet_days)),
    _around(st.one_of(iso_days, sheet_days, iso_texts, sheet_texts, junk)),
    st.sampled_from(["2026-1-4", "+2026-11-04", "-2026-11-04", "1-11-04", "2026-11- 4"]),
    st.dates(),
    st.one_of(
        datetime_objects,
        st.datetimes().map(lambda moment: dt.datetime.combine(moment.date(), dt.time())),
    ),
    st.one_of(epochs, st.booleans()),
)
datetime_values = st.one_of(
    _around(st.one_of(iso_texts, python_texts, sheet_texts)),
    _around(st.one_of(iso_texts, python_texts, sheet_texts, iso_days, sheet_days, junk)),
    st.one_of(epochs, epochs.map(str), epochs.map(float), epochs.map(Decimal)),
    datetime_objects,
    st.one_of(st.dates(), st.booleans()),
)
ids = st.one_of(
    st.just("E1"),
    st.integers(),
    st.text(max_size=8),
    st.sampled_from([" E1 ", "", "  ", "\x1cE1", "E1\x85", "x" * 201]),
)


@given(at=datetime_values, employee_id=ids)
@example(at="2026-11-03", employee_id="E1")
@example(at=1793667600, employee_id="E1")
@example(at="2026/11/3 9:10", employee_id=1)
def test_a_punch_model_takes_what_a_dict_takes_and_gives_its_row(at: Any, employee_id: Any) -> None:
    _same_outcome(Punch, "punch", {"employee_id": employee_id, "at": at})


@given(hired_on=date_values, left_on=st.none() | date_values, employee_id=ids)
@example(hired_on=dt.datetime(2026, 11, 4), left_on=None, employee_id="E1")
@example(hired_on="2026/11/3", left_on=" ", employee_id=7)
def test_an_employee_model_takes_what_a_dict_takes_and_gives_its_row(
    hired_on: Any, left_on: Any, employee_id: Any
) -> None:
    values = {"employee_id": employee_id, "name": "A", "hired_on": hired_on, "left_on": left_on}
    _same_outcome(Employee, "employee", values)


def _punch_at(item: Any) -> Any:
    tables = build([item])
    assert tables.rejects.is_empty(), tables.rejects
    return tables.table("punch").get_column("at").item()


def test_a_date_alone_is_no_date_time_in_a_model_as_in_a_dict() -> None:
    """A punch at a date alone is not one at midnight (which then missed its other punch)."""
    with pytest.raises(ValidationError, match=re.escape("'2026-11-03'" + DATETIME_REASON)):
        Punch(employee_id="E1", at="2026-11-03")
    with pytest.raises(ValidationError, match="is not a date-time"):
        Punch(employee_id="E1", at=dt.date(2026, 11, 3))
    reject = build([{"type": "punch", "employee_id": "E1", "at": "2026-11-03"}]).rejects
    assert reject.get_column("reason").to_list() == ["'2026-11-03'" + DATETIME_REASON]


@pytest.mark.parametrize("seconds", [1793667600, "1793667600", 1793667600.0])
def test_epoch_seconds_are_no_date_time_but_epoch_milliseconds_are(seconds: Any) -> None:
    """Ten digits are refused, as in a file; twelve or thirteen are milliseconds (UTC)."""
    with pytest.raises(ValidationError, match="is not a date-time"):
        Punch(employee_id="E1", at=seconds)
    for millis in (1793667600000, "1793667600000"):
        punch = Punch(employee_id="E1", at=millis)
        assert punch.at == dt.datetime(2026, 11, 3, 1, tzinfo=dt.UTC)
        dict_punch = {"type": "punch", "employee_id": "E1", "at": millis}
        assert _punch_at(punch) == _punch_at(dict_punch) == punch.at


def test_year_first_spreadsheet_forms_are_local_times_and_dates_in_models() -> None:
    punch = Punch(employee_id="E1", at="2026/11/3 9:10")
    assert punch.at == dt.datetime(2026, 11, 3, 9, 10)  # naive: the employee's local time
    dict_punch = {"type": "punch", "employee_id": "E1", "at": "2026/11/3 9:10"}
    utc = dt.datetime(2026, 11, 3, 1, 10, tzinfo=dt.UTC)
    assert _punch_at(punch) == _punch_at(dict_punch) == utc
    employee = Employee(employee_id="E1", name="A", hired_on="2026/11/3", left_on="2027/1/31")
    assert (employee.hired_on, employee.left_on) == (dt.date(2026, 11, 3), dt.date(2027, 1, 31))
    with pytest.raises(ValidationError, match=re.escape("'2026/2/30'" + DATE_REASON)):
        Employee(employee_id="E1", name="A", hired_on="2026/2/30")


def test_fractions_beyond_microseconds_and_offsets_read_as_the_text_path_reads_them() -> None:
    punch = Punch(employee_id="E1", at="2026-11-03 09:00:00,1234567 -0545")
    offset = dt.timezone(-dt.timedelta(hours=5, minutes=45))
    assert punch.at == dt.datetime(2026, 11, 3, 9, 0, 0, 123456, tzinfo=offset)
    for text in ("2026-11-03T09:00:00+18:01", "2026-11-03T23:59:60Z", "0000-01-01T00:00:00Z"):
        with pytest.raises(ValidationError, match="is not a date-time"):
            Punch(employee_id="E1", at=text)
        assert build([{"type": "punch", "employee_id": "E1", "at": text}]).accepted == 0
    shanghai_1900 = dt.datetime(1900, 1, 1, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
    with pytest.raises(ValidationError, match=r"'1900-01-01T00:00:00\+08:05:43' is not a date"):
        Punch(employee_id="E1", at=shanghai_1900)  # local mean time: an offset to the second


@pytest.mark.parametrize(
    "text", ["2026-1-4", "+2026-11-04", "-2026-11-04", "1-11-04", "2026-11- 4", "0000-01-01"]
)
def test_a_date_is_read_only_in_the_forms_the_docs_name(text: str) -> None:
    """``YYYY-MM-DD`` or ``YYYY/M/D``, in a model and in a file alike: not the other texts a
    lenient date parser reads (a signed year, a short month, year 0, which no date holds)."""
    with pytest.raises(ValidationError, match=re.escape(f"'{text}'{DATE_REASON}")):
        Employee(employee_id="E1", name="A", hired_on=text)
    reject = build([{"type": "employee", "employee_id": "E1", "name": "A", "hired_on": text}])
    assert reject.rejects.get_column("reason").to_list() == [f"'{text}'{DATE_REASON}"]


def _employee_forms(hired_on: dt.datetime, tmp_path: Path) -> dict[str, Any]:
    """An employee hired on a date-time, in every form that holds date-times as values."""
    row = {"employee_id": "E1", "name": "A", "hired_on": hired_on}
    frame = pl.DataFrame([row])
    frame.write_parquet(tmp_path / "employees.parquet")
    forms: dict[str, Any] = {
        "dict": {"type": "employee", **row},
        "dataframe": frame,
        "dataframe with a type column": frame.with_columns(type=pl.lit("employees")),
        "parquet": tmp_path / "employees.parquet",
    }
    if hired_on.tzinfo is None:  # a workbook holds no offsets
        header, cells = ["employee_id", "name", "hired_on"], ["E1", "A", hired_on]
        forms["workbook"] = write_xlsx(tmp_path / "staff.xlsx", {"employees": [header, cells]})
        typed = {"Sheet1": [["type", *header], ["employee", *cells]]}
        forms["workbook with a type column"] = write_xlsx(tmp_path / "hr.xlsx", typed)
    try:
        forms["model"] = Employee(**row)
    except ValidationError as error:
        forms["model"] = error
    return forms


def test_a_date_time_at_midnight_in_a_date_field_is_that_date_in_every_form(
    tmp_path: Path,
) -> None:
    """As a workbook's date cell (a date-time at midnight) is a date, so is a naive
    date-time at midnight given for a date as a Python object, in a DataFrame or Parquet
    date-time column, or in a workbook whose rows say their type; one with a time of day,
    or an offset, is no date in any of them."""
    forms = _employee_forms(dt.datetime(2026, 11, 4), tmp_path)
    assert len(forms) == 7
    for form, item in forms.items():
        tables = build([item], type_hint="employee" if form == "dataframe" else None)
        assert tables.rejects.is_empty(), (form, tables.rejects)
        assert tables.table("employee").get_column("hired_on").to_list() == [dt.date(2026, 11, 4)]
    for moment in (dt.datetime(2026, 11, 4, 9, 30), dt.datetime(2026, 11, 4, tzinfo=dt.UTC)):
        for form, item in _employee_forms(moment, tmp_path).items():
            if form == "model":
                assert isinstance(item, ValidationError), item
                assert "is not a date" in str(item)
                continue
            tables = build([item], type_hint="employee" if form == "dataframe" else None)
            assert tables.accepted == 0, form
            assert tables.rejects.get_column("reason").item().endswith(DATE_REASON), form


def test_a_whole_number_is_an_id_as_in_a_spreadsheet_but_true_and_floats_are_not() -> None:
    employee = Employee(employee_id=1017, name="A", supervisor_id=-3)
    assert (employee.employee_id, employee.supervisor_id) == ("1017", "-3")
    as_dict = build([{"type": "employee", "employee_id": 1017, "name": "A", "supervisor_id": -3}])
    assert build([employee]).table("employee").equals(as_dict.table("employee"))
    for wrong in (True, 1017.0):
        with pytest.raises(ValidationError, match="valid string"):
            Employee(employee_id=wrong, name="A")


def test_a_blank_value_is_an_absent_one_in_a_model_as_in_a_file() -> None:
    """An empty or blank optional value is absent (None); a blank required one is missing."""
    employee = Employee(employee_id=" E1 ", name="A", hired_on=" ", team="", supervisor_id="\u3000")
    assert (employee.employee_id, employee.hired_on) == ("E1", None)
    assert (employee.team, employee.supervisor_id) == (None, None)
    punch = Punch(employee_id="E1", at=" 2026-11-03T09:00:00+08:00\t", record_id="", direction="")
    assert (punch.record_id, punch.direction) == (None, None)
    for blank in ("", "  ", None):
        with pytest.raises(ValidationError, match="Field required"):
            Punch(employee_id="E1", at=blank)
        with pytest.raises(ValidationError, match="Field required"):
            Employee(employee_id=blank, name="A")


flag_values = st.one_of(
    st.booleans(),
    st.sampled_from(["true", "FALSE", "Yes", "n", "1", "0", "on", "off", "t", "f", "2", ""]),
    st.sampled_from([1, 0, 2]),
)
whole_values = st.one_of(
    st.integers(-5, 10**6),
    st.sampled_from(["12", "+12", "012", "-3", "12.0", "1e3", "1_000", "１２", " 7 ", ""]),
    st.sampled_from([12.0, 12.5, True, 2**63, Decimal("4")]),
)


@given(approved=flag_values, record_count=whole_values)
@example(approved="on", record_count=12)  # pydantic took "on" for true
@example(approved=True, record_count=12.0)  # and 12.0 for 12
def test_true_or_false_and_whole_numbers_are_read_in_a_model_as_in_a_dict(
    approved: Any, record_count: Any
) -> None:
    from sales_policy.conductrecords import DataAccess

    values = {
        "record_id": "A1",
        "employee_id": "E1",
        "at": "2026-11-03T10:00:00+08:00",
        "data_class": "customer",
        "action": "export",
        "record_count": record_count,
        "approved": approved,
    }
    _same_outcome(DataAccess, "data_access", values)


amounts = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False, places=4).map(abs),
    st.decimals(),
    st.integers(0, 10**25),
    st.floats(),
    st.integers(0, 10**25).map(str),
    _around(st.text("0123456789.-+eE,", max_size=26)),
    st.booleans(),
)


@given(amount=amounts)
@example(amount=Decimal("1E+3"))  # the model took these, a dict not
@example(amount=Decimal("-0"))
@example(amount="1e3")
@example(amount=Decimal("1280.5000000"))
@example(amount=10**20)  # a dict took 21 digits, the model not
@example(amount="0" * 5 + "9" * 20 + ".9999")  # leading zeros aside, 20 digits
@example(amount=1280.5)
def test_an_amount_is_read_in_a_model_as_in_a_dict(amount: Any) -> None:
    """An order's amount: what a dict is rejected for, the model refuses, with the same reason
    (docs/inputs.md: a record model takes exactly the values a dict takes)."""
    from sales_policy.conductrecords import Order

    values = {
        "order_id": "O1",
        "employee_id": "E1",
        "customer_id": "K1",
        "booked_at": "2026-11-03T10:00:00+08:00",
        "amount": amount,
        "status": "booked",
    }
    _same_outcome(Order, "order", values)
