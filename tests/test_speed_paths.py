"""The fast paths read and write exactly what the general paths do.

* CSV files without quotes are read by polars (``csvfiles._plain_csv``) when every line is a
  row of the header's fields, and line by line (``csvlines.read_csv_lines``) otherwise; their
  values are stripped only when the reader has not seen that none has blanks around it.
* Canonical ISO 8601 timestamps are read by position, the rest by the regex
  (``timestamps.parse_datetimes``).
* JSON, JSONL and CSV reports are built column-wise (``findingtexts.finding_texts``), not from one
  ``Finding`` object per finding.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import datetime as dt
import json
import mmap
from pathlib import Path
from typing import Any
from unittest import mock

import polars as pl
import pytest
from conftest import EXAMPLE_MONTH
from hard_text import HARD_TEXT, HARD_VALUES
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sales_policy import (
    InputError,
    columntext,
    csvfiles,
    findingtexts,
    load_policy,
    reports,
    tables,
    validation,
)
from sales_policy import timestamps as iso
from sales_policy.csvfiles import _file_content, _plain_csv, read_csv
from sales_policy.csvlines import read_csv_lines
from sales_policy.findings import FINDING_SCHEMA, CheckResult, Counts
from sales_policy.rawframes import REJECT_SCHEMA, RawInputs
from sales_policy.rulesets import Text
from sales_policy.testing import logs
from sales_policy.textfiles import decode

POLICY = load_policy()
NOVEMBER = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))

# -- timestamps ------------------------------------------------------------------------------


def _by_regex(texts: list[str | None]) -> list[tuple[Any, Any]]:
    """What the regex alone reads: wall time (in microseconds) and offset, as before."""
    frame = pl.DataFrame({"at": texts}, schema={"at": pl.String})
    frame = frame.with_columns(
        pl.col("at").str.extract_groups(iso.ISO).alias(iso.groups_column("at"))
    )
    naive, offset = iso.parse_iso("at")
    return list(frame.select(naive.cast(pl.Int64).alias("n"), offset.alias("o")).iter_rows())


def _by_fast_path(texts: list[str | None]) -> list[tuple[Any, Any]]:
    frame = pl.DataFrame({"at": texts}, schema={"at": pl.String})
    parsed = iso.parse_datetimes(frame, ["at"])
    assert parsed.columns == ["at", iso.value_column("at"), "at" + iso.OFFSET]
    assert parsed.schema[iso.value_column("at")] == pl.Datetime("us")
    assert parsed.schema["at" + iso.OFFSET] == pl.Int32
    values = pl.col(iso.value_column("at")).cast(pl.Int64)  # microseconds: year 0 is no datetime
    return list(parsed.select(values, "at" + iso.OFFSET).iter_rows())


digits = st.integers(0, 9).map(str)


@st.composite
def timestamps(draw: st.DrawFn) -> str:
    """Canonical text mostly, with edges (days past the month's end, 24:00, leap seconds,
    fractions, short and long offsets, offsets past 18 h, blanks) and garbage mixed in."""
    year = draw(st.sampled_from(["2026", "2024", "0000", "9999", "1900", "2000", "202"]))
    month = draw(st.sampled_from(["01", "02", "11", "12", "00", "13", "1", "٠٢"]))
    day = draw(st.sampled_from(["01", "28", "29", "30", "31", "32", "00", "5"]))
    sep = draw(st.sampled_from(["T", "T", " ", "t", "  ", "_"]))
    hour = draw(st.sampled_from(["00", "09", "23", "24", "9", "19"]))
    minute = draw(st.sampled_from(["00", "59", "60", "05"]))
    second = draw(st.sampled_from([":00", ":59", ":60", ":61", "", ":5", ":00.250", ":00,5"]))
    second += draw(st.sampled_from(["", "", "", ".1", ".123456789", ".1234567891"]))
    space = draw(st.sampled_from(["", "", "", " ", "\t"]))
    zone = draw(
        st.sampled_from(
            [
                *("", "", "Z", "z", "+08:00", "-05:30", "+18:59", "+19:00", "-00:00", "+08:60"),
                *("+0800", "+08", "+8:00", "08:00", "+08:00:00", "UTC", "+08:0", "Zz"),
            ]
        )
    )
    text = f"{year}-{month}-{day}{sep}{hour}:{minute}{second}{space}{zone}"
    if draw(st.integers(0, 9)) == 0:
        position = draw(st.integers(0, len(text)))
        text = text[:position] + draw(st.text(max_size=3)) + text[position:]
    return text


@example(
    texts=[
        "2026-11-02T09:05:00+08:00",
        "2026-11-02 09:05:00",
        "2026-02-30T10:00:00+08:00",
        "2026-06-30T23:59:60Z",
        "2026-11-02T24:00:00",
        "2026-11-02T09:05:00+19:00",
        "2026-11-02T09:05:00+0800",
        "2026-11-02T09:05+08",
        "2026-11-02T09:05:00.250z",
        "2026-1-02T09:05:00",
        "+026-11-02T09:05:00",
        "２０２６-11-02T09:05:00",
        "2024-02-29T00:00:00-00:00",
        "0000-01-01T00:00:00",
        None,
        "",
    ]
)
@given(texts=st.lists(st.one_of(timestamps(), st.text(max_size=30), st.none()), max_size=40))
def test_fast_timestamps_read_exactly_what_the_regex_reads(texts: list[str | None]) -> None:
    assert _by_fast_path(texts) == _by_regex(texts)


def test_timestamps_of_every_shape_in_one_column() -> None:
    """Rows read by position, by position with a space, and by the regex, side by side."""
    texts = [
        "2026-11-02T09:05:00+08:00",
        "2026-11-02 09:05:00",
        "2026-11-02 09:05:00.5+05:30",
        None,
        "2026-11-02T09:05:00Z",
        "yesterday",
        "2026-11-02T09:05:00 +08:00",
        "2026-11-31T09:05:00+08:00",
    ] * 50
    assert _by_fast_path(texts) == _by_regex(texts)


# -- CSV -------------------------------------------------------------------------------------


def _read(path: Path, exact: bool) -> tuple[Any, ...]:
    out = RawInputs()
    try:
        if exact:
            read_csv_lines(path, decode(path), out, None)
        else:
            read_csv(path, out, None)
    except (InputError, pl.exceptions.PolarsError, csv.Error) as exc:  # as both always did
        return ("error", type(exc).__name__, str(exc))
    frames = [(f.source, f.record_type, f.frame.columns, f.frame.rows()) for f in out.frames]
    schemas = [f.frame.schema for f in out.frames]
    return (out.read, out.rejects, frames, schemas)


common_cells = st.sampled_from(
    ["E1", "2026-11-02T09:00:00+08:00", "in", "out", "", " ", "office", "员工", "a\tb", "\x00"]
)
cells = st.one_of(
    common_cells,
    common_cells,
    common_cells,
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters=',"\n'),
        max_size=6,
    ),
)
breaks = st.sampled_from(["\n", "\n", "\n", "\r\n", "\r", "\x0b", "\x1c", "\u2028", "\x85"])


@st.composite
def csv_texts(draw: st.DrawFn) -> bytes:
    header = draw(
        st.sampled_from(
            [
                ["employee_id", "at", "direction"],
                ["record_id", "employee_id", "at", "direction", "source"],
                ["employee_id", " at ", "direction"],
                ["type", "employee_id", "at"],
                ["employee_id", "at", "at"],
                ["employee_id"],
                ["employee_id", "at", "dirction"],
                ["employee_id", "at", "_line"],
            ]
        )
    )
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    lines = [",".join(header)]
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.integers(0, 19))
        if kind == 0:
            lines.append(draw(st.sampled_from(["", "  ", "\t", ",,", " , , ", "\u3000"])))
        else:
            width = len(header) if kind > 1 else draw(st.integers(1, len(header) + 2))
            row = [draw(cells) for _ in range(width)]
            if "type" in header:
                row[0] = draw(st.sampled_from(["punch", "punches", "", " punch ", "bogus"]))
            lines.append(",".join(row))
    text = newline.join(lines)
    if draw(st.booleans()):
        text += newline
    if draw(st.integers(0, 5)) == 0:
        position = draw(st.integers(0, len(text)))
        odd = draw(st.one_of(breaks, st.just('"'), st.just("\n\n")))
        text = text[:position] + odd + text[position:]
    bom = "\ufeff" if draw(st.integers(0, 4)) == 0 else ""
    data = (bom + text).encode()
    if draw(st.integers(0, 19)) == 0:  # not UTF-8
        position = draw(st.integers(0, len(data)))
        data = data[:position] + b"\xff" + data[position:]
    return data


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=csv_texts())
def test_polars_csv_reading_equals_reading_line_by_line(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "punches.csv"
    path.write_bytes(content)
    assert _read(path, exact=False) == _read(path, exact=True)


@pytest.mark.parametrize(
    ("content", "fast"),
    [
        (b"employee_id,at,direction\nE1,2026-11-02T09:00:00+08:00,in\n", True),
        (b"\xef\xbb\xbfemployee_id,at\r\nE1,2026-11-02T09:00:00+08:00\r\nE2,x", True),
        ("employee_id,at\nE1,员工\n".encode(), True),
        (b"employee_id,at\n", True),
        (b"employee_id,at\nE1,x\n\nE2,y\n", False),  # a blank line
        (b"employee_id,at\nE1,x\nE2\n", False),  # a short row
        (b"employee_id,at\nE1,x,y\n", False),  # a long row
        (b"employee_id,at\nE1,x\rE2,y\n", False),  # a lone carriage return
        (b'employee_id,at\n"E1",x\n', False),  # quotes
        ("employee_id,at\nE1,x\u2028y\n".encode(), False),  # a line break to str.splitlines
        (b"employee_id,at,direction\nE1,x,in\nE1,\r,in", False),  # polars drops that \r
        (b"employee_id,at\nE1,x\n\nE2,y,", False),  # polars drops the last, extra field
        (b"employee_id,at\nE1,\xff\n", False),  # not UTF-8: the reading line by line says so
        (b"employee_id,\xffat\nE1,x\n", False),  # nor is the header
        ("employee_id,at\nE1,x\u2014y\n".encode(), True),  # a dash, not a line break
        (b"", False),  # empty: read as bytes, there being nothing to map
        (b'"employee_id",at\n', False),  # a header alone, quoted
        (b"employee_id,at\n\x0b", False),  # polars reads it before the bytes are looked at
    ],
)
def test_which_files_polars_reads(tmp_path: Path, content: bytes, fast: bool) -> None:
    path = tmp_path / "punches.csv"
    path.write_bytes(content)
    assert (_plain_csv(path, content, None) is not None) == fast
    with _file_content(path) as mapped:  # as read_csv has it: mapped, not copied
        assert isinstance(mapped, mmap.mmap) == bool(content)
        assert (_plain_csv(path, mapped, None) is not None) == fast
    assert _read(path, exact=False) == _read(path, exact=True)


def test_the_example_month_is_read_by_polars() -> None:
    for path in sorted(EXAMPLE_MONTH.glob("*.csv")):
        assert _plain_csv(path, path.read_bytes(), None) is not None, path
        assert _read(path, exact=False) == _read(path, exact=True)


def _built(path: Path, *, strip_all: bool = False) -> tuple[Any, ...]:
    """What ``build_tables`` makes of a file; with ``strip_all``, stripping every value, as
    if the reader had not seen that none has blanks around it."""
    strip = mock.patch.object(csvfiles, "_blank_at_edge", return_value=True)
    with strip if strip_all else contextlib.nullcontext():
        try:
            built = tables.build_tables([path], policy_timezone="Asia/Shanghai")
        except (InputError, pl.exceptions.PolarsError, csv.Error) as exc:
            return ("error", type(exc).__name__, str(exc))
    frames = {name: (frame.schema, frame.rows()) for name, frame in built.tables.items()}
    return (frames, built.rejects.rows(), built.read, built.naive_timestamps)


@pytest.mark.parametrize(
    ("content", "stripped"),
    [
        (b"employee_id,at\nE1,2026-11-02 09:00:00+08:00\n", True),  # a blank inside a value
        (b"employee_id,at\n E1,2026-11-02T09:00:00+08:00\n", False),  # first in the text
        (b"employee_id,at\nE1 ,2026-11-02T09:00:00+08:00\n", False),  # before a comma
        (b"employee_id,at\nE1,\t2026-11-02T09:00:00+08:00\n", False),  # after a comma
        (b"employee_id,at\r\nE1,2026-11-02T09:00:00+08:00 \r\n", False),  # before CRLF
        (b"employee_id,at\nE1,x\n E2,2026-11-02T09:00:00+08:00", False),  # after a line end
        (b"employee_id,at\nE1,2026-11-02T09:00:00+08:00 ", False),  # last in the text
        (b"employee_id,at\nE1, \n", False),  # nothing but a blank
        ("employee_id,at\nE1,2026-11-02T09:00:00+08:00\u3000\n".encode(), False),
        ("employee_id,at\n\xa0E1,员工\n".encode(), False),
        ("employee_id,at\n员 工,2026-11-02T09:00:00+08:00\n".encode(), True),
        ("\ufeffemployee_id,at\r\n员工,2026-11-02T09:00:00\u2003\r\n".encode(), False),
    ],
)
def test_values_polars_reads_are_stripped_only_where_they_need_it(
    tmp_path: Path, content: bytes, stripped: bool
) -> None:
    path = tmp_path / "punches.csv"
    path.write_bytes(content)
    plain = _plain_csv(path, content, None)
    assert plain is not None and plain.stripped == stripped
    with _file_content(path) as mapped:
        assert isinstance(mapped, mmap.mmap)
        mapped_plain = _plain_csv(path, mapped, None)
    assert mapped_plain is not None and mapped_plain.stripped == stripped
    assert _built(path) == _built(path, strip_all=True)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=csv_texts())
def test_skipping_the_stripping_changes_nothing(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "punches.csv"
    path.write_bytes(content)
    assert _built(path) == _built(path, strip_all=True)


# -- reports ---------------------------------------------------------------------------------


def _expected(result: CheckResult, fmt: str) -> str:
    """The report as written from the Finding objects (the way before the column-wise one)."""
    findings = result.findings_of(result.table)
    if fmt == "jsonl":
        return "".join(json.dumps(f.to_dict(), ensure_ascii=False) + "\n" for f in findings)
    if fmt == "json":
        document = {**reports.summary(result), "findings": [f.to_dict() for f in findings]}
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    rows = [findingtexts.CSV_COLUMNS, *map(findingtexts.csv_row, findings)]
    return "".join(columntext.csv_line(cells) + "\n" for cells in rows)


def _assert_reports_exact(result: CheckResult, monkeypatch: pytest.MonkeyPatch) -> None:
    for columnar_from in (0, 10**9):  # column-wise, and from the objects
        monkeypatch.setattr(findingtexts, "COLUMNAR_FROM", columnar_from)
        for fmt in ("jsonl", "json", "csv"):
            assert reports.render(result, fmt) == _expected(result, fmt), (fmt, columnar_from)


def test_reports_of_the_example_month_are_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    result = POLICY.check(sorted(EXAMPLE_MONTH.glob("*.csv")), *NOVEMBER)
    assert len(result) > 0
    _assert_reports_exact(result, monkeypatch)
    monkeypatch.setattr(findingtexts, "COLUMNAR_FROM", 0)
    assert reports.render(result, "table") == reports.render(result, "table", lang="en")


def test_reports_of_a_log_with_naive_and_other_offsets_and_unicode_are_exact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / '导出 "11月" \\ 2026'
    folder.mkdir()
    rows = {
        "employees": "employee_id,name,timezone\n"
        '张三,张三 "三",Asia/Shanghai\nE2,Zoë,Europe/London\nE3,O\'Brien,America/New_York\n',
        "punches": "employee_id,at,direction\n"
        "张三,2026-11-03 09:12:00,in\n张三,2026-11-03T10:30:00Z,out\n"
        "E2,2026-11-03T09:40:00+00:00,in\nE2,2026-11-03T16:05:00.5-05:30,out\n"
        "E3,2026-11-04T09:30:00,in\nE3,2026-11-04T17:00:00,out\n",
        "leave_requests": "request_id,employee_id,leave_type,start,end,submitted_at,status,"
        "decided_at\nL\\1,张三,事假,2026-11-05T09:00:00+08:00,2026-11-05T18:00:00+08:00,"
        "2026-11-04T09:00:00,approved,2026-11-05 10:00:00\n",
    }
    paths = []
    for name, text in rows.items():
        path = folder / f"{name}.csv"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    result = POLICY.check(paths, *NOVEMBER)
    assert len(result) > 0 and result.counts.rejected == 0
    _assert_reports_exact(result, monkeypatch)


@settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow])
@given(log=logs(employees=3, max_days=5, naive_probability=0.3))
def test_reports_of_generated_logs_are_exact(log: Any) -> None:
    result = POLICY.check(log.records, log.start, log.end)
    with pytest.MonkeyPatch.context() as monkeypatch:
        _assert_reports_exact(result, monkeypatch)


# Findings made up field by field: every kind of evidence value and message placeholder.

strings = HARD_TEXT
EVIDENCE_KINDS = HARD_VALUES


def _template_rule() -> Any:
    result = POLICY.check(sorted(EXAMPLE_MONTH.glob("*.csv")), *NOVEMBER)
    return next(iter(result.rules.values()))


TEMPLATE_RULE = _template_rule()
SOURCE_NAMES = ["a.csv", 'b "x".csv', "c\\d.csv", "员工.csv", "-e.csv"]


@st.composite
def made_up_results(draw: st.DrawFn) -> CheckResult:
    sources = draw(st.lists(st.sampled_from(SOURCE_NAMES), min_size=1, max_size=3))
    references = st.tuples(st.integers(0, len(sources) - 1), st.integers(0, 2**32 - 1)).map(
        lambda ref: (ref[0] << 32) + ref[1]
    )
    literals = st.text(alphabet=st.characters(blacklist_characters="{}"), max_size=4)
    rules, parts = {}, []
    for number in range(draw(st.integers(1, 3))):
        rule_id = f"X-RULE{number}"
        kinds = draw(st.lists(st.sampled_from(sorted(EVIDENCE_KINDS)), max_size=4, unique=True))
        fields = {(f"{kind}_名" if i % 2 else kind): kind for i, kind in enumerate(kinds)}
        names = [*fields, "employee_id", "date", "period", "unknown"]
        # {name}, or {name|text} showing text where the value is null
        placeholder = st.tuples(st.sampled_from(names), st.one_of(st.none(), literals)).map(
            lambda named: "{" + named[0] + ("" if named[1] is None else "|" + named[1]) + "}"
        )
        pieces = draw(st.lists(st.one_of(placeholder, literals), max_size=5))
        message = Text("".join(pieces), "en " + "".join(reversed(pieces)))
        rules[rule_id] = dataclasses.replace(TEMPLATE_RULE, rule_id=rule_id, message=message)
        height = draw(st.integers(1, 6))
        month = draw(st.booleans())
        columns = {
            name: pl.Series(
                name,
                [draw(st.one_of(st.none(), EVIDENCE_KINDS[kind][1])) for _ in range(height)],
                dtype=EVIDENCE_KINDS[kind][0],
            )
            for name, kind in fields.items()
        }
        evidence = (
            pl.DataFrame(columns).select(pl.struct(*fields).struct.json_encode()).to_series()
            if fields
            else pl.Series(["{}"] * height)
        )
        dates = st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31))
        parts.append(
            pl.DataFrame(
                {
                    "rule_id": [rule_id] * height,
                    "ruleset": [draw(st.sampled_from(["attendance", 'x"y']))] * height,
                    "severity": ["minor"] * height,
                    "clauses": [draw(st.lists(strings, max_size=2))] * height,
                    "employee_id": [draw(st.one_of(strings, st.none())) for _ in range(height)],
                    "date": [None if month else draw(dates) for _ in range(height)],
                    "period": [draw(strings) if month else None for _ in range(height)],
                    "evidence": evidence,
                    "sources": [draw(st.lists(references, max_size=3)) for _ in range(height)],
                },
                schema=FINDING_SCHEMA,
            )
        )
    frame = pl.concat(parts)
    frame = frame.sample(fraction=1.0, shuffle=True, seed=draw(st.integers(0, 99)))
    return CheckResult(
        table=frame,
        # no row rejected: the report's columns, as a check gives them
        rejects=pl.DataFrame(schema=REJECT_SCHEMA),
        counts=Counts(0, 0, 0),
        period=None,
        rules=rules,
        sources=sources,
    )


@given(result=made_up_results())
def test_reports_of_made_up_findings_are_exact(result: CheckResult) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        _assert_reports_exact(result, monkeypatch)


def test_reports_fall_back_to_the_objects_where_only_they_know(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Evidence with fractions is written from the objects, next to the rest column-wise; a
    reference to no known source fails as it always did."""
    result = POLICY.check(sorted(EXAMPLE_MONTH.glob("*.csv")), *NOVEMBER)
    first = result.table.get_column("rule_id")[0]
    frame = result.table.with_columns(
        pl.when(pl.col("rule_id") == first)
        .then(pl.lit('{"ratio":0.1,"big":1e300}'))
        .otherwise(pl.col("evidence"))
        .alias("evidence")
    )
    mixed = dataclasses.replace(result, table=frame)
    _assert_reports_exact(mixed, monkeypatch)
    broken = dataclasses.replace(
        result, table=result.table.with_columns(pl.lit([5 << 32]).alias("sources"))
    )
    monkeypatch.setattr(findingtexts, "COLUMNAR_FROM", 0)
    with pytest.raises(IndexError):
        reports.render(broken, "jsonl")


# -- duplicate ids ---------------------------------------------------------------------------


def test_duplicates_are_found_in_reference_order_or_not(tmp_path: Path) -> None:
    """The first row of an id by reference is kept, whether the rows of a type come in
    reference order (two files) or not (one file whose type column names it two ways)."""
    header = "type,request_id,employee_id,leave_type,start,end,submitted_at,status\n"

    def row(kind: str, request: str, employee: str) -> str:
        day = "2026-11-02T09:00:00+08:00,2026-11-02T18:00:00+08:00,2026-11-01T09:00:00+08:00"
        return f"{kind},{request},{employee},annual,{day},approved\n"

    mixed = tmp_path / "leave.csv"
    mixed.write_text(
        header
        + row("leave_requests", "R1", "a")
        + row("leave_request", "R1", "b")
        + row("leave_requests", "R2", "c")
        + row("leave_request", "R2", "d")
        + row("leave_request", "R3", "e")
        + row("leave_requests", "R3", "f"),
        encoding="utf-8",
    )
    more = tmp_path / "more.csv"
    more.write_text(header + row("leave_request", "R3", "g") + row("leave_request", "R4", "h"))
    built = tables.build_tables([mixed, more], policy_timezone="Asia/Shanghai")
    kept = built.table("leave_request").sort(validation.REF)
    assert kept.select("request_id", "employee_id").rows() == [
        ("R1", "a"),
        ("R2", "c"),
        ("R3", "e"),
        ("R4", "h"),
    ]
    assert built.rejects.select("source", "line").rows() == [  # sorted by file and line
        (str(mixed), 3),
        (str(mixed), 5),
        (str(mixed), 7),
        (str(more), 2),
    ]
    again = tmp_path / "again.csv"
    again.write_text(more.read_text())
    in_order = tables.build_tables([more, again], policy_timezone="Asia/Shanghai")
    assert in_order.rejects.select("source", "line").rows() == [(str(again), 2), (str(again), 3)]
    assert set(in_order.rejects.get_column("reason")) == {
        "duplicate request_id 'R3'",
        "duplicate request_id 'R4'",
    }


@pytest.mark.parametrize("cell", [b"E1", b'"E1"'])
def test_a_file_of_no_known_type_is_the_same_error_read_either_way(
    tmp_path: Path, cell: bytes
) -> None:
    """The header is read before the bytes are looked at; a file polars is not to read (here
    quoted) still gets its error from the line-by-line reading, which says the same."""
    path = tmp_path / "export.csv"
    path.write_bytes(b"employee_id,at\n" + cell + b",2026-11-02T09:00:00+08:00\n")
    with pytest.raises(InputError, match="cannot tell which record type this file holds"):
        read_csv(path, RawInputs(), None)
