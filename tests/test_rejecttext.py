"""Rejected rows' reasons in Chinese (``rejecttext``): every reason a row can be rejected for
has a form, whose Chinese rendering keeps the parts that vary (value, field, id, file:line) as
they are and leaves no English word behind; the reasons docs/inputs.md tables have a form;
the data (``--rejects``, ``result.rejects``) keeps the English reasons.

The Chinese texts expected here were written by hand from the English reasons."""

from __future__ import annotations

import csv
import io
import pickle
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from test_htmlreport import page_data

from sales_policy import Reason, Rejection, load_policy
from sales_policy.cli import main
from sales_policy.htmlreport import render_html
from sales_policy.mdreport import render_markdown
from sales_policy.rejecttext import FORMS, form_of, reason_in, reason_zh
from sales_policy.reports import reject_table
from sales_policy.tables import build_tables

DOCS = Path(__file__).resolve().parents[1] / "docs"
AT = "2026-11-02T09:00:00+08:00"
#: words the Chinese texts keep as they are: names of formats and standards, and the values a
#: file is to hold (true, false, null), as a Chinese reader writes them
KEPT_WORDS = {"ISO", "IANA", "Asia", "Shanghai", "YYYY", "CNY", "JSON", "true", "false", "null"}
#: an ASCII word of three letters or more; an escape such as \ud800 or \uXXXX is none
_WORD = re.compile(r"(?<![\\\w])[A-Za-z]{3,}")


def _order(**fields: Any) -> dict[str, Any]:
    return {
        "type": "order",
        "order_id": "O1",
        "employee_id": "E1",
        "customer_id": "C1",
        "booked_at": AT,
        "amount": "100",
        "status": "booked",
        **fields,
    }


def _leave(request_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "type": "leave_request",
        "request_id": request_id,
        "employee_id": "E1",
        "start": AT,
        "end": "2026-11-02T18:00:00+08:00",
        "submitted_at": AT,
        "status": "approved",
        "leave_type": "annual",
        **fields,
    }


def _survey(record_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "type": "satisfaction_survey",
        "record_id": record_id,
        "customer_id": "C1",
        "employee_id": "E1",
        "at": AT,
        "score": "4",
        **fields,
    }


def _quote(record_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "type": "quote",
        "record_id": record_id,
        "employee_id": "E1",
        "customer_id": "C1",
        "at": AT,
        **fields,
    }


#: dicts as the API takes them, each rejected for one reason
RECORDS: list[Any] = [
    {"type": "employee", "employee_id": "E1", "name": "王伟", "team": "east"},
    {"type": "employee", "employee_id": "E1", "name": "王伟", "team": "west"},  # differs
    {"type": "employee", "employee_id": "E2", "name": "李娜", "hired_on": "2026-05-01"},
    {"type": "employee", "employee_id": "E2", "left_on": "2026-04-01", "name": "李娜"},
    {"type": "employee", "employee_id": "E3", "name": "张敏", "hired_on": "2026-02-30"},
    {"type": "employee", "employee_id": "E4", "name": "赵磊", "timezone": "Mars/Olympus"},
    {
        "type": "employee",
        "employee_id": "E5",
        "name": "x",
        "hired_on": "2026-05-01",
        "left_on": "2026-04-01",
    },
    {"type": "employee", "employee_id": "E6", "name": "周" * 10_001},
    {"type": "employee", "employee_id": "E" * 201, "name": "孙"},
    {"type": "employee", "employee_id": "E7", "name": "吴", "timezone": "America/New_York"},
    {"type": "punch", "employee_id": "E7", "at": "2026-03-08 02:30:00"},  # in the DST gap
    {"type": "punch", "employee_id": "E1", "at": "2026-11-02 25:00"},
    {"type": "punch", "employee_id": "E1", "at": "0001-01-01T09:00:00"},
    {"type": "punch", "employee_id": "E1", "at": AT, "direction": "sideways"},
    {"type": "punch", "at": AT},
    _leave("L0001"),
    _leave("L0001"),
    _leave("L0002", end=AT),
    {
        "type": "customer_assignment",
        "customer_id": "C1",
        "employee_id": "E1",
        "start": "2026-11-05",
        "end": "2026-11-01",
    },
    _order(),
    _order(),  # the same order_id
    _order(order_id="O2", amount="-1"),
    _order(order_id="O3", currency="cny"),
    _order(order_id="O4", status="cancelled"),
    _order(order_id="O5", reversed_at=AT),
    _order(order_id="O6", status="refunded", reversed_at="2026-11-01T09:00:00+08:00"),
    _survey("S1", score="6", scale_max="5"),
    _survey("S2", scale_max="0"),
    _quote("Q1", discount_pct="-1"),
    _quote("Q2", discount_pct="a lot"),
    _quote("Q3", delivery_days="1.5"),
    {
        "type": "gift",
        "record_id": "G1",
        "employee_id": "E1",
        "counterparty": "Supplier Ltd",
        "direction": "received",
        "value": "500",
        "at": AT,
        "approved": "maybe",
    },
    {
        "type": "sales_target",
        "employee_id": "E1",
        "period": "2026-13",
        "sales_amount": "100",
        "new_customers": "1",
    },
    {"type": "punch", "employee_id": 1.5, "at": AT},
    {"type": "punch", "employee_id": True, "at": AT},
    {"type": "punch", "employee_id": "E1", "at": [AT]},
    {"type": "punch", "employee_id": "E1", "at": {AT}},
    {"type": "punch", "employee_id": "E1", "at": 10**5000},
    {"type": "punch", "employee_id": "E1\ud800", "at": AT},
    [AT],
    {"at"},
]

#: a CSV export: an error value where an id goes, rows of the wrong width (one a quoted field
#: carried over two lines), and the last row's quote left open to the end of the file
PUNCHES_CSV = (
    "employee_id,at,direction\n"
    f"#N/A,{AT},in\n"
    f"E1,{AT},in,extra\n"
    f'E1,"{AT}\n'
    'late",in,extra\n'
    f"E1,{AT},in\n"
    f'E1,"{AT},in\n'
    f"E1,{AT},in\n"
)
#: a quoted field that runs to the last line, closed there: the row ends with the file
VISITS_CSV = f'employee_id,customer_id,start,end\nE1,C1,"{AT}\n",{AT},x\n'
#: JSONL lines, each rejected as it is read
JSONL = [
    "{",
    '{"type": "punch" "employee_id": "E1"}',
    '{"type" "punch"}',
    "{'type': 'punch'}",
    '{"type": "punch",}',
    '{"type": "punch"} x',
    '{"type": "pu',
    '{"type": "pu\x01nch"}',
    '{"type": "pu\\qnch"}',
    '{"type": "pu\\u12nch"}',
    "[" * 100_000 + "]" * 100_000,
    '{"type": "punch", "direction": "in", "direction": "out"}',
    '{"type": "punch", "employee_id": NaN}',
    '{"type": "punch", "employee_id": -Infinity}',
    '{"type": "punch", "employee_id": ' + "9" * 5000 + "}",
    '{"type": "punch", "employee_id": "E1\\ud800"}',
    "[1, 2]",
    "null",
    '"punch"',
    "42",
    "true",
    "{}",
    '{"type": "punches_and_more"}',
    '{"type": 5}',
    '{"type": "punch", "employe_id": "E1"}',
    '{"type": "punch", "zzzzzzzz": "E1"}',
    '{"type": "punch", "employee_id": {"id": "E1"}}',
]


@pytest.fixture(scope="module")
def rejects(tmp_path_factory: pytest.TempPathFactory) -> pl.DataFrame:
    """The rejected rows of every input above, read and validated as a check reads them."""
    folder = tmp_path_factory.mktemp("rejects")
    punches = folder / "punches.csv"
    punches.write_text(PUNCHES_CSV, "utf-8")
    visits = folder / "customer_visits.csv"
    visits.write_text(VISITS_CSV, "utf-8")
    lines = folder / "lines.jsonl"
    lines.write_text("\n".join(JSONL) + "\n", "utf-8")
    inputs = [str(punches), str(visits), str(lines), *RECORDS]
    return build_tables(inputs, policy_timezone="Asia/Shanghai").rejects


def test_every_reason_a_row_can_be_rejected_for_reads_in_chinese(rejects: pl.DataFrame) -> None:
    """Each reason matches a form, whose Chinese rendering keeps the parts that vary as they
    are (the words among them, as what kind of value was found, said in Chinese), holds
    Chinese, and no English word but the names of formats and the values a file holds; every
    form is met by some row."""
    reasons = rejects.get_column("reason").to_list()
    # every line and record above is rejected, but the first employee rows of E1, E2 and E7,
    # leave L0001 and order O1; and one row of each CSV line of PUNCHES_CSV but the fifth and
    # the two the open quote took, and VISITS_CSV's one row
    assert len(reasons) == len(RECORDS) - 5 + len(JSONL) + 4 + 1
    met = set()
    for reason in reasons:
        found = form_of(reason)
        assert found is not None, f"no form for {reason!r}"
        form, match = found
        met.add(FORMS.index(form))
        chinese = reason_zh(reason)
        assert re.search("[\u4e00-\u9fff]", chinese), chinese
        left = chinese
        for name, part in match.groupdict().items():
            if name not in form.translated:
                assert part in chinese, (name, part, chinese)
                left = left.replace(part, " ")
            else:  # a Python type's name, which no Chinese word says, is kept in quotes
                left = left.replace(f"“{part}”", " ")
        assert set(_WORD.findall(left)) <= KEPT_WORDS, (reason, chinese)
    assert met == set(range(len(FORMS))), [FORMS[i].pattern for i in set(range(len(FORMS))) - met]


@pytest.mark.parametrize(
    ("reason", "chinese"),
    [
        ("missing value", "缺少值（必填字段为空或未给出）"),
        ("duplicate request_id 'L0001'", "request_id 重复：“L0001”已在前面的行中出现"),
        ("'sideways' is not one of: in, out", "“sideways”不是可取的值之一：in, out"),
        (
            "'2026-11-02 25:00' is not a date-time (expected ISO 8601 like "
            "2026-11-03T09:00:00+08:00, year first like 2026/11/3 9:05, or epoch milliseconds)",
            "“2026-11-02 25:00”不是日期时间（应为 ISO 8601 格式，如 2026-11-03T09:00:00+08:00；"
            "或年份在前，如 2026/11/3 9:05；或自 1970-01-01 起的毫秒数）",
        ),
        ("'-1' is below 0", "“-1”小于最小值 0"),
        ("end is not after start", "end（结束）不晚于 start（开始）"),
        ("left_on is before hired_on", "left_on（离职日期）早于 hired_on（入职日期）"),
        (
            "E1's row at employees.csv:2 gives team 'east': rows of one employee may repeat "
            "and add to each other, not differ",
            "员工 E1 在 employees.csv:2 的行中 team 为“east”，与本行不同：同一员工的多行可以"
            "重复、互相补充，但不能不一致",
        ),
        ("expected 3 fields, found 4", "应有 3 个字段，实有 4 个"),
        (
            "expected 3 fields, found 4: a quoted field runs from line 4 to line 5, and every "
            "line between is part of this row (a quote left open?)",
            "应有 3 个字段，实有 4 个：一个带引号的字段从第 4 行延续到第 5 行，其间各行都算作"
            "这一行（是否有引号没有闭合？）",
        ),
        ("malformed JSON: Expecting value (column 1)", "JSON 格式错误：此处应有一个值（第 1 列）"),
        ("malformed JSON: duplicate key 'direction'", "JSON 格式错误：键 'direction' 出现了两次"),
        ("expected an object, found a list", "应为对象，实为列表"),
        ("expected an object, found set", "应为对象，实为“set”类型的值"),
        (
            "local time does not exist in America/New_York (clocks moved forward)",
            "这一当地时间在 America/New_York 不存在（时钟在此拨快，跳过了这段时间）",
        ),
        # a reason of no known form, and a form's message of no known words, as they are
        ("the row is wrong", "the row is wrong"),
        ("malformed JSON: Something new (column 3)", "JSON 格式错误：Something new（第 3 列）"),
    ],
)
def test_reasons_in_chinese(reason: str, chinese: str) -> None:
    assert reason_zh(reason) == chinese
    assert reason_in(reason, "zh") == chinese and reason_in(reason, "en") == reason


def test_a_value_that_reads_like_a_reason_is_taken_whole() -> None:
    """A value quoting the words around it, or on several lines, is one part: the form is
    anchored, and ``.`` takes a line break."""
    reason = "'a' is not one of: in' is not one of: in, out"
    assert reason_zh(reason) == "“a' is not one of: in”不是可取的值之一：in, out"
    assert reason_zh("'line one\nline two' is below 0") == "“line one\nline two”小于最小值 0"
    assert reason_zh(None) == "" and reason_zh("") == ""


def _reasons_tabled(text: str) -> list[str]:
    """The reasons of the table of docs/inputs.md's "Rejected rows": the code spans of the
    table's first column."""
    start = text.index("| reason | when |")
    table = text[start : text.index("\n\n", start)].splitlines()[2:]
    return [span for row in table for span in re.findall(r"`([^`]+)`", row.split(" | ")[0])]


def test_the_forms_cover_the_reasons_docs_table() -> None:
    tabled = _reasons_tabled((DOCS / "inputs.md").read_text("utf-8"))
    assert len(tabled) > 30
    assert [reason for reason in tabled if form_of(reason) is None] == []


def test_check_in_chinese_shows_reasons_in_chinese_and_rejects_keep_english(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``check --lang zh``: the table's first-row column in Chinese; ``--rejects`` and the
    JSON report keep the English reason."""
    punches = tmp_path / "punches.csv"
    punches.write_text(f"employee_id,at,direction\nE1,{AT},in\nE1,{AT},sideways\n", "utf-8")
    out = tmp_path / "rejects.csv"
    assert main(["check", str(punches), "--lang", "zh", "--rejects", str(out)]) == 0
    table = capsys.readouterr().out.splitlines()
    heading = table.index("被拒绝的行，按文件和字段（--rejects FILE 写出全部）：")
    assert table[heading + 3].split() == [
        "1",
        str(punches),
        "打卡（punch）",
        "direction",
        "第",
        "3",
        "行：“sideways”不是可取的值之一：in,",
        "out",
    ]
    written = list(csv.DictReader(io.StringIO(out.read_text("utf-8"))))
    assert [r["reason"] for r in written] == ["'sideways' is not one of: in, out"]
    assert main(["check", str(punches), "--lang", "zh", "--format", "json"]) == 0
    assert "不是可取的值" not in capsys.readouterr().out


def test_the_reports_in_chinese_show_reasons_in_chinese(tmp_path: Path) -> None:
    """The Markdown report in Chinese shows the Chinese reason, in English the English one;
    the HTML page, which switches languages, holds both."""
    rows = [
        {"type": "punch", "employee_id": "E1", "at": AT},
        {"type": "punch", "employee_id": "E1", "at": AT, "direction": "sideways"},
    ]
    result = load_policy().check(rows)
    chinese, english = "“sideways”不是可取的值之一：in, out", "'sideways' is not one of: in, out"
    assert result.rejects.get_column("reason").to_list() == [english]
    zh, en = render_markdown(result, lang="zh"), render_markdown(result, lang="en")
    assert f"| {chinese} |" in zh and "is not one of" not in zh
    assert f"| {english} |" in en and chinese not in en
    data = page_data(render_html(result))
    assert [row[4] for row in data["rejects"]] == [[chinese, english]]


def test_a_long_reason_is_cut_in_chinese_words() -> None:
    """The table cuts a reason at 300 characters, and says how long it was in the table's
    language: the Chinese reason's length (a quote mark each side of the 1,000 x's, and 16
    characters after them)."""
    rows = [{"type": "punch", "employee_id": "E1", "at": AT, "direction": "x" * 1000}]
    rejects = build_tables(rows, policy_timezone="Asia/Shanghai").rejects
    line = reject_table(rejects, lang="zh").splitlines()[2]
    assert line.endswith(f"第 1 行：“{'x' * 299}……（共 1,018 个字符）")


def test_a_results_rejections_give_each_rejected_row_its_reason_in_both_languages() -> None:
    """For a program showing rejected rows to people: ``result.rejections`` has the rows of
    ``rejects`` in order, each reason the English text with its Chinese as ``zh``."""
    records = [
        {"type": "punch", "employee_id": "E1", "at": AT, "direction": "sideways"},
        {"type": "punch", "employee_id": "E1", "at": AT},
        _leave("L1", start="2026-11-03T09:00:00+08:00"),  # ends the day before it starts
        {"type": "punch", "employee_id": "E2", "at": AT, "direction": "sideways"},
    ]
    result = load_policy().check(records)
    rejections = result.rejections
    assert [(r.source, r.line, r.record_type, r.field, r.value) for r in rejections] == [
        ("<records>", 1, "punch", "direction", "sideways"),
        # an instant that disagrees with another field: as read, in UTC (docs/inputs.md)
        ("<records>", 3, "leave_request", "end", "2026-11-02T10:00:00+00:00"),
        ("<records>", 4, "punch", "direction", "sideways"),
    ]
    first, second, third = (r.reason for r in rejections)
    assert isinstance(first, Reason) and isinstance(rejections[0], Rejection)
    assert first == "'sideways' is not one of: in, out" == rejections[0].reason.en
    assert first.zh == "“sideways”不是可取的值之一：in, out"
    assert second == "end is not after start"
    assert second.zh == "end（结束）不晚于 start（开始）"
    assert third is first  # a reason said once for the rows it is the reason of
    assert result.rejects.get_column("reason").to_list() == [first, second, third]
    restored = pickle.loads(pickle.dumps(rejections[1]))
    assert restored == rejections[1] and restored.reason.zh == second.zh


def test_the_forms_are_compiled_when_a_reason_is_first_said_in_chinese() -> None:
    """A check that rejects no row compiles none of the forms' expressions (they cost the
    command's start); the first reason said in Chinese compiles those tried up to its own."""
    example = Path(__file__).resolve().parents[1] / "examples/november-2026"
    month = sorted(str(path) for path in example.glob("*.csv"))
    script = (
        "import sys\n"
        "from sales_policy import load_policy\n"
        "from sales_policy.rejecttext import FORMS, reason_zh\n"
        "compiled = lambda: sum('pattern' in vars(form) for form in FORMS)\n"
        f"result = load_policy().check({month!r})\n"
        "print(result.counts.rejected, compiled())\n"
        "print(reason_zh(\"'x' is not true or false\"), compiled() < len(FORMS))\n"
    )
    process = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert process.stderr == ""
    assert process.stdout.splitlines() == ["0 0", "“x”不是真假值（true 或 false） True"]
