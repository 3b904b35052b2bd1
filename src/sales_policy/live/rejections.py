"""A record the live engine refused, with its reason in English and in Chinese.

``Monitor.rejects`` is data, as the batch engine's ``CheckResult.rejects``: the reasons in
English, for programs to read.  ``Monitor.rejections`` gives each rejected record as a
``Rejection`` whose ``reason`` is a ``Reason``: the English text itself (a ``str``, as a
``Note`` is), with the Chinese as ``zh``, for an HR system that shows it to people.

The Chinese is written as the batch engine's Chinese reports write a reason
(``sales_policy.rejecttext``): a reason the live engine shares with the batch engine (the
batch validator's, a duplicate id, an employee's records that differ) by the batch engine's
forms (``FORMS``); the reasons only the live engine has (a record for a day already closed,
an employee record after the employee's other records, ...) by ``LIVE_FORMS``.  Each form
keeps the parts that vary (ids, dates, field names, values) as they are.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .. import rejecttext
from ..rejecttext import FORMS, ReasonForm, Rejection, form_of, kind_zh

__all__ = ["ALL_FORMS", "LIVE_FORMS", "Reason", "Rejection", "live_form_of"]

#: a local date as the live engine's reasons write it (``datetime.date.isoformat``)
_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
#: the days of an employee already closed, as the live engine's reasons say them
_CLOSED = rf"the days of (?P<employee>.+) through (?P<through>{_DATE}) are already closed"
_CLOSED_ZH = "员工 {employee} 截至 {through} 的各天已经关闭（已判定）"


def _form(pattern: str, zh: str, **translated: Callable[[str], str]) -> ReasonForm:
    # compiled as ``rejecttext``'s: an id or a value may hold line breaks, "." takes them too
    return ReasonForm(pattern, zh, translated)


#: every form of reason only the live engine rejects a record for (``intake``, ``staff``)
LIVE_FORMS: tuple[ReasonForm, ...] = (
    # ``intake``: what is told when a record is posted
    _form(
        r"expected an object \(a record model or a dict as in the JSONL format\),"
        r" found (?P<kind>.+)",
        "应为对象（记录模型，或 JSONL 格式的字典），实为{kind}",
        kind=kind_zh,
    ),
    _form(
        r"the employee record of (?P<employee>.+) came after other records of (?P=employee);"
        r" post employee records first \(they set the timezone and the working days\)",
        "员工 {employee} 的员工记录在其其他记录之后提交："
        "请先提交员工记录（员工记录决定时区和工作日）",
    ),
    # ``intake``: a record for a day already closed
    _form(
        rf"dated (?P<day>{_DATE}), but {_CLOSED}; a record must be posted before its day closes",
        "记录的日期为 {day}，但" + _CLOSED_ZH + "：记录须在其日期关闭之前提交",
    ),
    # ``staff``: an employee record posted again that would change days already closed
    _form(
        rf"gives (?P<field>left_on) (?P<value>{_DATE}), but {_CLOSED}, judged as working days;"
        r" a left_on must be posted before the day after it closes",
        "给出 {field}（离职日期）{value}，但" + _CLOSED_ZH + "，已按工作日判定："
        "离职日期须在其后一天关闭之前提交",
    ),
    _form(
        rf"gives (?P<field>hired_on) (?P<value>{_DATE}), but {_CLOSED}, judged as days"
        rf" employed from (?P<start>{_DATE}); a hired_on must be posted before the first day"
        r" judged closes",
        "给出 {field}（入职日期）{value}，但" + _CLOSED_ZH + "，已自 {start} 起按在职判定："
        "入职日期须在判定的第一天关闭之前提交",
    ),
    _form(
        r"gives (?P<field>timezone) (?P<value>.+), but records of (?P<employee>.+) were posted"
        r" before it, read in (?P<zone>.+); a timezone must come before the employee's other"
        r" records",
        "给出 {field}（时区）{value}，但员工 {employee} 的记录已在此前提交，已按 {zone} 读取："
        "时区须在该员工的其他记录之前提交",
    ),
    _form(
        rf"gives (?P<field>timezone) (?P<value>.+), but {_CLOSED}, ending at midnight in"
        r" (?P<zone>.+); a timezone must come before the employee's days close",
        "给出 {field}（时区）{value}，但" + _CLOSED_ZH + "，各天按 {zone} 的午夜结束："
        "时区须在该员工的日子关闭之前提交",
    ),
    _form(  # a schedule whose attendance day starts after midnight (day_start)
        rf"gives (?P<field>timezone) (?P<value>.+), but {_CLOSED}, ending at"
        r" (?P<ends>\d\d:\d\d(:\d\d)?) in (?P<zone>.+); a timezone must come before the"
        r" employee's days close",
        "给出 {field}（时区）{value}，但" + _CLOSED_ZH + "，各天按 {zone} 的次日 {ends} 结束："
        "时区须在该员工的日子关闭之前提交",
    ),
)
#: the forms a live rejection's reason may take: the live engine's own first
ALL_FORMS: tuple[ReasonForm, ...] = (*LIVE_FORMS, *FORMS)


def live_form_of(reason: str) -> tuple[ReasonForm, re.Match[str]] | None:
    """The form a live rejection's reason takes, and its match; None for no known form."""
    return form_of(reason, ALL_FORMS)


class Reason(rejecttext.Reason):
    """Why a record was rejected: the English text, with the Chinese as ``zh``, written by
    the live engine's own forms first, then by the batch engine's (a reason of no known
    form has its English text there too)."""

    forms = ALL_FORMS
