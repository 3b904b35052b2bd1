"""A year of exports as an HR analyst is given them: files named in Chinese for a month, a
quarter or a half year, staff lists with leavers, copies of files, checked in the formats
that carry no notes."""

from __future__ import annotations

from sales_policy.recordfields import record_type_for_file


def test_a_chinese_name_dated_by_a_quarter_or_a_half_year_names_its_type() -> None:
    """docs/inputs.md: a date within a Chinese name or beside it is left out, a quarter and
    a half year too (2026年第四季度, 一季度, 2026年Q2, 上半年, 下半年, 2026年度), and the
    name left names its type whether or not a list's word (表, 记录) ends it."""
    named = {
        "员工花名册_2026年第四季度": "employee",
        "员工花名册_2026年Q2": "employee",
        "员工花名册2026Q2": "employee",
        "2026年第一季度员工花名册": "employee",
        "员工花名册（2026年一季度）": "employee",
        "请假申请表_2026年Q3": "leave_request",
        "加班申请_2026年下半年": "overtime_request",
        "加班申请_2026年上半年": "overtime_request",
        "加班申请_2026年1-6月": "overtime_request",
        "打卡记录_2026年度": "punch",
        # a date glued to a name that no list's word ends
        "2026年11月请假申请": "leave_request",
        "2026年11月员工花名册": "employee",
        "员工花名册202611": "employee",
        "202611打卡": "punch",
        "11月份加班": "overtime_request",
    }
    for stem, record_type in named.items():
        assert record_type_for_file(stem) == record_type, stem
    for stem in ("考勤_2026年第四季度", "2026年下半年", "打卡汇总_2026Q1", "第四季度"):
        assert record_type_for_file(stem) is None, stem
