"""Record types as files see them: a snapshot of what the models derive, read without pydantic."""

from __future__ import annotations

import json
import re
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
        # blanks and brackets as a Chinese system writes them: an ideographic space, 【】, ［］
        "员工花名册\u30002026年11月": "employee",
        "打卡记录【2026年11月】": "punch",
        "punches［2026-11］": "punch",
        "punches [2026-11]": "punch",
        # a month by its English name or its abbreviation, in any case
        "november-punches": "punch",
        "Leave Requests Nov 2026": "leave_request",
        "punches_Sept_2026": "punch",
        "overtime_requests_dec": "overtime_request",
    }
    for stem, record_type in named.items():
        assert recordfields.record_type_for_file(stem) == record_type, stem
    for stem in (
        "punches_v2",
        "2026-11",
        "punch_log-2026",
        "maybe-punches",  # a month's name is a whole word, not the start of one
        "punches-mayor",
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


def test_an_export_named_in_chinese_is_read_as_the_type_it_names() -> None:
    """A Chinese export's name: the type's Chinese name (as the reports give it) or a usual
    other one (花名册), a date within the name or beside it, and the words saying it is a
    list or a log (记录, 明细, 表...) left out; a name that could be several types (考勤,
    客户数据) names none."""
    named = {
        "打卡": "punch",
        "打卡记录": "punch",
        "考勤打卡记录": "punch",
        "打卡记录_2026年11月": "punch",
        "2026年11月打卡记录": "punch",
        "打卡记录202611 (1)": "punch",
        "员工花名册": "employee",
        "员工信息表": "employee",
        "请假申请表": "leave_request",
        "加班记录": "overtime_request",
        "客户拜访明细": "customer_visit",
        "礼品登记": "gift",
        "数据访问日志": "data_access",
        "销售目标表": "sales_target",
        "满意度调查": "satisfaction_survey",
        # a list's words taken off one by one from the end while none names a type
        # a date, a year's, a quarter or a half year within the name, before or after it
        "2026年11月员工": "employee",
        "打卡2026年11月": "punch",
        "2026年Q4员工": "employee",
        "员工花名册2026年第四季度": "employee",
        "2026年上半年请假记录": "leave_request",
        "2026年度培训记录": "training",
        "订单明细": "order",
        "报价单": "quote",
        "请假申请单": "leave_request",
        "员工档案": "employee",
        # a copy's name beside the original's
        "打卡记录 - 副本": "punch",
        "punches - Copy": "punch",
        "punches copy": "punch",
    }
    for stem, record_type in named.items():
        assert recordfields.record_type_for_file(stem) == record_type, stem
    # a summary (汇总) holds totals per employee, not the records: no type, not a wrong one
    for stem in (
        "考勤",
        "考勤记录",
        "客户数据",
        "记录",
        "2026年11月",
        "2026年第四季度",
        "打卡机",
        "打卡汇总",
        "加班汇总表",
    ):
        assert recordfields.record_type_for_file(stem) is None, stem
    # every type has its Chinese report name among them, which --type and `type` take too
    for record_type, name in recordfields.RECORD_TYPE_NAMES_ZH.items():
        assert recordfields.record_type_for_name(name) == record_type


def test_the_inputs_page_tables_the_chinese_names_of_each_type() -> None:
    page = (EXAMPLE_MONTH.parents[1] / "docs" / "inputs.md").read_text(encoding="utf-8")
    page = page.split("| record type | file names | in Chinese |", 1)[1].split("\n\n", 1)[0]
    tabled = {
        record_type: tuple(re.findall(r"`([^`]+)`", chinese))
        for record_type, chinese in re.findall(
            r"^\| `(\w+)` \| [^|]* \| ([^|]*) \| [^|]* \|$", page, flags=re.MULTILINE
        )
    }
    assert tabled == recordfields.FILE_NAMES_ZH
