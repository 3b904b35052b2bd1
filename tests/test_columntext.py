"""Values written as JSON and CSV text by polars expressions are exactly what json.dumps and
csv.writer write for the same values; lines are written whole however they are cut."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import polars as pl
import pytest
from hard_text import HARD_TEXT, HARD_VALUES
from hypothesis import given
from hypothesis import strategies as st

from sales_policy import columntext


def _one(expr: pl.Expr, value: Any, dtype: Any) -> str:
    frame = pl.DataFrame({"v": pl.Series([value], dtype=dtype)})
    return frame.select(expr.alias("out")).item()


@given(value=st.one_of(HARD_TEXT, st.none()))
def test_quoted_text_is_json_dumps(value: str | None) -> None:
    """A text (or null) as JSON is what json.dumps writes, ensure_ascii=False."""
    assert _one(columntext.quoted(pl.col("v")), value, pl.String) == json.dumps(
        value, ensure_ascii=False
    )


@given(data=st.data(), kind=st.sampled_from(["str", "int", "bool", "list", "ints"]))
def test_json_values_are_json_dumps_of_each_type(data: st.DataObject, kind: str) -> None:
    """Each type json_value writes (text, whole numbers, truth values, lists of them) is
    written as json.dumps writes the Python value, on one line and indented."""
    dtype, values = HARD_VALUES[kind]
    value = data.draw(st.one_of(values, st.none()))
    for depth in (None, 2):
        expr = columntext.json_value(pl.col("v"), dtype, depth)
        assert expr is not None
        indent = None if depth is None else columntext.INDENT
        expected = json.dumps(value, ensure_ascii=False, indent=indent)
        if depth is not None:  # the list's own lines are indented to its depth
            expected = expected.replace("\n", "\n" + " " * columntext.INDENT * depth)
        assert _one(expr, value, dtype) == expected


def test_types_written_otherwise_are_refused() -> None:
    """Fractions and nested lists are not written this way (the caller writes them the
    Python way): json_value says so with None."""
    assert columntext.json_value(pl.col("v"), pl.Float64, None) is None
    assert columntext.json_value(pl.col("v"), pl.List(pl.List(pl.Int64)), None) is None


#: text made of what a spreadsheet may split a cell at and what starts a formula
SPLIT_TEXT = st.text(";\t\r\n=+-@'\"a,", max_size=8)


@given(value=st.one_of(HARD_TEXT, SPLIT_TEXT, st.none()))
def test_csv_cells_are_csv_lines_of_safe_cells(value: str | None) -> None:
    """A CSV cell is what csv_line writes for safe_cell of the value, which csv.reader reads
    back; that is what csv.writer writes, but that a carriage return is quoted too."""
    cell = columntext.safe_cell(value)
    expected = columntext.csv_line([cell])
    assert _one(columntext.csv_cell(pl.col("v")), value, pl.String) == expected
    assert next(csv.reader(io.StringIO(expected + ",x\n", newline=""))) == [cell, "x"]
    if "\r" not in cell:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow([cell, "x"])
        assert buffer.getvalue() == expected + ",x\n"
    else:
        assert expected.startswith('"')


@given(value=st.one_of(HARD_TEXT, SPLIT_TEXT))
def test_no_cell_a_spreadsheet_may_split_off_is_a_formula(value: str) -> None:
    """Cut where Excel may start a cell or a row (``;`` where it separates lists, a tab in
    an import, a line break, whatever the quotes), no piece starts a formula."""
    pieces = re.split("[;\t\r\n]", columntext.safe_cell(value))
    assert not pieces[0].startswith(columntext.FORMULA_START)
    assert not any(piece.startswith(("=", "+", "-", "@")) for piece in pieces[1:])


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('x;=HYPERLINK("http://evil.example")', '"x;\'=HYPERLINK(""http://evil.example"")"'),
        ("x;-2+3;@SUM(A1)", "x;'-2+3;'@SUM(A1)"),
        ("a\t\t+1", "a\t\t'+1"),
        ("x\r=1+1\n@A1", "\"x\r'=1+1\n'@A1\""),
        ("4.3;8.1", "4.3;8.1"),
    ],
)
def test_a_formula_a_spreadsheet_may_split_off_is_shown_as_text(value: str, cell: str) -> None:
    assert columntext.csv_line([columntext.safe_cell(value)]) == cell


@pytest.mark.parametrize("start", columntext.FORMULA_START)
def test_formula_starts_are_shown_as_text(start: str) -> None:
    assert columntext.safe_cell(start + "SUM(A1)") == "'" + start + "SUM(A1)"


@pytest.mark.parametrize("count", [0, 1, 1023, 1024, 1025, 2500])
def test_reports_are_written_whole_in_any_number_of_pieces(count: int) -> None:
    """Lines are joined and written a thousand or so at a time; the text is the same."""
    lines = pl.Series([f"line {i} 行" for i in range(count)])
    for separator in ("\n", ",\n    "):
        buffer = io.StringIO()
        columntext.write_joined(buffer, lines, separator)
        assert buffer.getvalue() == separator.join(lines.to_list())
