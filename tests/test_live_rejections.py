"""The live engine's rejected records with their reasons in Chinese (``live.rejections``):
every reason a posted record can be rejected for, the batch validator's and the live engine's
own, has a Chinese form that keeps the parts that vary (ids, dates, field names, values) and
leaves no other English word; ``Monitor.rejects`` keeps the English reasons.

The Chinese texts expected here were written by hand from the English reasons."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import pickle
import re
from typing import Any

import pytest
from test_rejecttext import _WORD, KEPT_WORDS, RECORDS

from sales_policy import Schedule, load_policy
from sales_policy.live import Monitor, Reason, Rejection
from sales_policy.live.rejections import LIVE_FORMS, live_form_of

CN = dt.timezone(dt.timedelta(hours=8))
AT = "2026-11-02T09:00:00+08:00"


def _employee(employee_id: str, **fields: Any) -> dict[str, Any]:
    return {"type": "employee", "employee_id": employee_id, "name": "员工", **fields}


def _punch(employee_id: str, at: str = AT) -> dict[str, Any]:
    return {"type": "punch", "employee_id": employee_id, "at": at}


#: records posted before the first advance: the batch reasons (test_rejecttext's records), an
#: employee record after the employee's other records, records that are no objects
BEFORE: list[Any] = [
    *RECORDS,
    _employee("L1"),
    _punch("L1"),
    _punch("L2"),
    _employee("L2"),  # after L2's punch
    _employee("L1", timezone="Europe/London"),  # after L1's punch, read in Asia/Shanghai
    _employee("L3"),
    None,
    "punches.csv",
    42,
]
#: records posted after the days through 2026-11-03 have closed
AFTER: list[Any] = [
    _punch("L1", "2026-11-03T09:00:00+08:00"),  # its day closed
    _employee("L1", left_on="2026-11-02"),  # 2026-11-03 was judged as a working day
    _employee("L1", hired_on="2026-11-03"),  # 2026-11-02 was judged as a day employed
    _employee("L3", timezone="Europe/London"),  # L3's days ended at midnight in Shanghai
    _punch("L1", "2026-11-04T09:00:00+08:00"),  # accepted
    _punch("L1", "2026-11-04T09:00:00+08:00") | {"direction": "sideways"},
]


@pytest.fixture(scope="module")
def monitor() -> Any:
    with Monitor(load_policy(), start=dt.date(2026, 11, 2)) as monitor:
        for record in BEFORE:
            monitor.post(record)
        monitor.advance(dt.datetime(2026, 11, 4, tzinfo=CN))
        for record in AFTER:
            monitor.post(record)
        monitor.flush()
        yield monitor


def test_every_reason_a_posted_record_can_be_rejected_for_reads_in_chinese(
    monitor: Monitor,
) -> None:
    """Each rejection's reason has a form (the batch engine's or the live engine's own), and
    its Chinese keeps the parts that vary as they are, holds Chinese, and no English word
    but the names of formats; every form of the live engine's own is met."""
    rejections = monitor.rejections
    assert len(rejections) == monitor.counts.rejected > len(RECORDS)
    met = set()
    for rejection in rejections:
        reason = rejection.reason
        found = live_form_of(reason)
        assert found is not None, f"no form for {reason!r}"
        form, match = found
        if form in LIVE_FORMS:
            met.add(LIVE_FORMS.index(form))
        assert re.search("[\u4e00-\u9fff]", reason.zh), reason.zh
        left = reason.zh
        for name, part in match.groupdict().items():
            if name not in form.translated:
                assert part in reason.zh, (name, part, reason.zh)
                left = left.replace(part, " ")
            else:
                left = left.replace(f"“{part}”", " ")
        assert set(_WORD.findall(left)) <= KEPT_WORDS | {"JSONL"}, (str(reason), reason.zh)
    assert met | {AT_DAY_START} == set(range(len(LIVE_FORMS)))


#: the form of a timezone given after days closed at a day start other than midnight, met by
#: test_a_timezone_after_days_closed_at_a_day_start_says_when_they_ended
AT_DAY_START = next(i for i, form in enumerate(LIVE_FORMS) if "ends>" in form.pattern.pattern)


def test_a_timezone_after_days_closed_at_a_day_start_says_when_they_ended() -> None:
    """With the schedule's day starting at 04:00, an employee's days end at 04:00 the next
    morning, and the reason for a timezone given after some closed says so, in both
    languages: the advance to 4 November 04:00 in Shanghai closes the 2nd and the 3rd."""
    policy = dataclasses.replace(load_policy(), schedule=Schedule(day_start=dt.time(4)))
    with Monitor(policy, start=dt.date(2026, 11, 2)) as monitor:
        monitor.post(_employee("L3"))
        monitor.advance(dt.datetime(2026, 11, 4, 4, tzinfo=CN))
        monitor.post(_employee("L3", timezone="Europe/London"))
        monitor.flush()
        [rejection] = monitor.rejections
    assert rejection.reason == (
        "gives timezone Europe/London, but the days of L3 through 2026-11-03 are already "
        "closed, ending at 04:00 in Asia/Shanghai; a timezone must come before the "
        "employee's days close"
    )
    assert rejection.reason.zh == (
        "给出 timezone（时区）Europe/London，但员工 L3 截至 2026-11-03 的各天已经关闭（已判定），"
        "各天按 Asia/Shanghai 的次日 04:00 结束：时区须在该员工的日子关闭之前提交"
    )


def test_rejections_are_the_rejects_with_their_reasons_in_both_languages(
    monitor: Monitor,
) -> None:
    """``rejections`` are the rows of ``rejects``, in order; a reason is its English text,
    which ``rejects`` keeps."""
    rows = list(monitor.rejects.iter_rows(named=True))
    rejections = monitor.rejections
    assert [r.__dict__ | {"reason": str(r.reason)} for r in rejections] == rows
    assert all(isinstance(r, Rejection) and isinstance(r.reason, Reason) for r in rejections)
    for rejection, row in zip(rejections, rows, strict=True):
        assert rejection.reason == rejection.reason.en == row["reason"]


def _reason(monitor: Monitor, line: int) -> Reason:
    (found,) = [r.reason for r in monitor.rejections if r.line == line]
    return found


def test_the_live_engines_own_reasons_in_chinese(monitor: Monitor) -> None:
    """The reasons of the live engine alone, and one it shares with the batch engine."""
    line = len(BEFORE) + 1
    assert _reason(monitor, line) == (
        "dated 2026-11-03, but the days of L1 through 2026-11-03 are already closed; "
        "a record must be posted before its day closes"
    )
    assert _reason(monitor, line).zh == (
        "记录的日期为 2026-11-03，但员工 L1 截至 2026-11-03 的各天已经关闭（已判定）："
        "记录须在其日期关闭之前提交"
    )
    assert _reason(monitor, line + 1).zh == (
        "给出 left_on（离职日期）2026-11-02，但员工 L1 截至 2026-11-03 的各天已经关闭"
        "（已判定），已按工作日判定：离职日期须在其后一天关闭之前提交"
    )
    assert _reason(monitor, len(RECORDS) + 4).zh == (
        "员工 L2 的员工记录在其其他记录之后提交：请先提交员工记录（员工记录决定时区和工作日）"
    )
    assert _reason(monitor, len(RECORDS) + 7).zh == (
        "应为对象（记录模型，或 JSONL 格式的字典），实为空值"
    )
    assert _reason(monitor, len(RECORDS) + 8) == (
        "expected an object (a record model or a dict as in the JSONL format), found text"
    )
    # the batch validator's reason, in the batch engine's Chinese
    assert _reason(monitor, line + 5).zh == "“sideways”不是可取的值之一：in, out"


def test_a_reason_copies_and_pickles_with_its_chinese() -> None:
    reason = Reason("duplicate order_id 'O1'")
    assert reason.zh == "order_id 重复：“O1”已在前面的行中出现"
    for again in (copy.copy(reason), copy.deepcopy(reason), pickle.loads(pickle.dumps(reason))):
        assert isinstance(again, Reason) and again == reason and again.zh == reason.zh
    assert Reason("a reason of no known form").zh == "a reason of no known form"
