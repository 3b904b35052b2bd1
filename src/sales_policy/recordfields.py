"""Record types as files see them: their names, the file names that name them, and how each
field is read from a column of text (``FieldSpec``).

The pydantic models in ``sales_policy.records`` are the single source of truth for all of
this; ``sales_policy.recordschema`` derives it from them (``record_types_from_models``).
Building them imports pydantic, ~70 ms of every run (measured), which checking files does not
otherwise need; so what they derive is shipped as a snapshot, ``RECORD_FIELDS``, and read
from it here.  A test compares the snapshot with the models, so a changed model fails the
suite until ``sales_policy.recordschema.write_record_fields()`` takes the change in.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

FieldKind = Literal[
    "str", "enum", "datetime", "date", "bool", "int", "float", "decimal", "timezone"
]

#: the statuses of an order that was reversed: every rule set reads them alike, as no sale
#: (net sales, a developed customer, a customer who has bought) and as a reversal
REVERSED_ORDER_STATUSES: tuple[str, ...] = ("cancelled", "refunded")


#: each record type's name in Chinese, for reports and notes in Chinese (the type itself is
#: what files and ``type`` columns say, and reports show it beside the name)
RECORD_TYPE_NAMES_ZH = {
    "employee": "员工",
    "punch": "打卡",
    "leave_request": "请假申请",
    "overtime_request": "加班申请",
    "customer_visit": "客户拜访",
    "outside_work": "兼职",
    "conduct_incident": "职业形象事件",
    "quote": "报价",
    "complaint": "投诉",
    "order": "订单",
    "gift": "礼品",
    "data_access": "数据访问",
    "customer_assignment": "客户分配",
    "contract": "合同",
    "customer_contact": "客户联系",
    "customer_inquiry": "客户询问",
    "visit_plan": "拜访计划",
    "customer_profile": "客户档案",
    "market_report": "市场报告",
    "sales_target": "销售目标",
    "satisfaction_survey": "满意度调查",
    "training": "培训",
}


#: other usual Chinese names of exports of a record type than its name in the reports
_MORE_NAMES_ZH = {
    "employee": ("花名册", "员工花名册", "员工名单", "人员"),
    "punch": ("考勤打卡", "原始打卡"),
    "leave_request": ("请假",),
    "overtime_request": ("加班",),
    "customer_visit": ("拜访",),
    "customer_inquiry": ("客户咨询",),
    "customer_profile": ("客户资料",),
    "data_access": ("访问日志",),
}
#: the Chinese names of a record type that a file, a sheet, a ``type`` value or ``--type`` may
#: give: its name in Chinese reports (``RECORD_TYPE_NAMES_ZH``), and other usual names of
#: such exports
FILE_NAMES_ZH = {
    record_type: (name, *_MORE_NAMES_ZH.get(record_type, ()))
    for record_type, name in RECORD_TYPE_NAMES_ZH.items()
}


def record_type_zh(record_type: str) -> str:
    """A record type as a Chinese report names it: 打卡（punch）."""
    name = RECORD_TYPE_NAMES_ZH.get(record_type)
    return f"{name}（{record_type}）" if name else record_type


@dataclass(frozen=True)
class FieldSpec:
    """How one field of a record type is read from a column of text."""

    name: str
    kind: FieldKind
    required: bool
    choices: tuple[str, ...] = ()
    #: the value an absent cell takes (a currency defaults to CNY); None for no default
    default: str | None = None
    #: the smallest value a number may take
    minimum: float | None = None
    #: a regular expression text must match
    pattern: str | None = None
    #: the minimum itself is not allowed (a scale's maximum must be above 0)
    exclusive_minimum: bool = False


@dataclass(frozen=True)
class RecordType:
    """One record type: its name, the file stems that name it besides that name
    (``punches.csv``), and its fields in order."""

    name: str
    file_names: tuple[str, ...]
    fields: tuple[FieldSpec, ...]


#: What the models derive, every record type in their order; see the module docstring.
RECORD_FIELDS = Path(__file__).with_name("record_fields.json")


def record_types_to_json(types: dict[str, RecordType]) -> dict[str, Any]:
    """The snapshot's content: per type, its file names and its fields, each field with the
    attributes that differ from ``FieldSpec``'s defaults."""
    defaults = {
        f.name: f.default
        for f in dataclasses.fields(FieldSpec)
        if f.default is not dataclasses.MISSING
    }
    return {
        name: {
            "file_names": list(record_type.file_names),
            "fields": [
                {
                    key: list(value) if isinstance(value, tuple) else value
                    for key, value in dataclasses.asdict(spec).items()
                    if key not in defaults or value != defaults[key]
                }
                for spec in record_type.fields
            ],
        }
        for name, record_type in types.items()
    }


def record_types_from_json(data: dict[str, Any]) -> dict[str, RecordType]:
    """The record types a snapshot's content holds, in its order."""
    return {
        name: RecordType(
            name,
            tuple(entry["file_names"]),
            tuple(
                FieldSpec(**{**spec, "choices": tuple(spec.get("choices", ()))})
                for spec in entry["fields"]
            ),
        )
        for name, entry in data.items()
    }


@cache
def _record_types() -> dict[str, RecordType]:
    return record_types_from_json(json.loads(RECORD_FIELDS.read_text(encoding="utf-8")))


def record_types() -> tuple[str, ...]:
    """Every record type's name, in the models' order (``employee``, ``punch``, ...)."""
    return tuple(_record_types())


def fields_of(record_type: str) -> tuple[FieldSpec, ...]:
    """The columnar schema of a record type (KeyError for a name that is not one)."""
    return _record_types()[record_type].fields


def record_type_for_name(stem: str) -> str | None:
    """The record type a file stem names (``punches`` → ``punch``), or None."""
    stem = stem.lower().replace("-", "_")
    for name, record_type in _record_types().items():
        if stem == name or stem in record_type.file_names or stem in FILE_NAMES_ZH[name]:
            return name
    return None


#: what separates the words of a file's stem: ``punches-2026-11``, ``punches_202611``,
#: ``2026.11 punches``, ``punches (1)`` (a browser's second download of a file), any blank
#: (an ideographic space too) and brackets, full-width too (``打卡记录【2026年11月】``)
_STEM_SEPARATORS = re.compile(r"[-_.\s()（）\[\]［］【】]+")


#: a word of a file's name that dates an export: a number (2026, 11, 202611, in any
#: script's digits), a quarter or a half year, of a year or not (Q1, H2, 2026Q1), a month's
#: English name or its abbreviation (November, Nov, Sept), a date in Chinese (2026年11月,
#: 11月, 11月份)
_DATING = re.compile(
    r"\d+|\d*[qQ][1-4]|\d*[hH][12]|(?:\d+年)?(?:\d+月份?)?(?:\d+日)?"
    r"|(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)


def record_type_for_file(stem: str) -> str | None:
    """The record type a file's (or a sheet's) name names: as ``record_type_for_name``, or
    once the words dating it are left out, as exports of a month, a quarter or a year are
    named (``punches-2026-11``, ``employees-2026-Q1`` → ``punch``, ``employee``); None when
    that leaves no type's name."""
    exact = record_type_for_name(stem)
    if exact is not None:
        return exact
    words = [
        word
        for word in _STEM_SEPARATORS.split(stem)
        if not _DATING.fullmatch(word) and word.lower() not in _COPY_WORDS
    ]
    found = record_type_for_name("_".join(words)) if words else None
    if found is None and _CJK.search(stem):
        # a name in Chinese: its words as one, dates within them left out, and the words
        # that say it is a list or a log (打卡记录, 请假申请表, 2026年11月客户拜访明细), one
        # after another from the end, as long as none names a type (订单明细: 订单)
        name = "".join(_ZH_DATING.sub("", word) for word in words)
        found = record_type_for_name(name) if name else None
        while found is None and (last := _ZH_LIST_WORD.search(name)) is not None:
            name = name[: last.start()]
            found = record_type_for_name(name) if name else None
    return found


#: the words a copy of a file is named with beside the original's: ``punches - Copy``,
#: ``打卡记录 - 副本`` (Windows), ``punches copy`` (macOS)
_COPY_WORDS = ("copy", "副本")


_CJK = re.compile(r"[\u4e00-\u9fff]")
#: a date within a word of a Chinese name: 2026年11月打卡记录, 打卡记录202611, and a year
#: (2026年度, 全年), a quarter or a half year, of a year or not: 2026年第四季度, 一季度, 2026年Q2,
#: 上半年
_ZH_DATING = re.compile(
    r"第?[一二三四1-4１-４]季度|[上下]半年|全年|年度|\d*[qQ][1-4]|\d*[hH][12]|\d+(?:年度?|月份?|日)?"
)
#: what a Chinese name of an export may end in that says it is a list or a log of records;
#: not 汇总 (a summary): 打卡汇总 or 加班汇总 holds totals per employee, not punches or requests
_ZH_LIST_WORD = re.compile(r"(?:记录|明细|清单|列表|导出|数据|登记|信息|日志|档案|表|单)$")
