"""What scoring says about an employee's numbers, in English and Chinese: why an indicator
cannot be computed (``IndicatorScore.reason``), what bars a reward, and the notes of
``EmployeeScore.notes`` (docs/assessment.md).

Each is a ``findings.Note``: the English text itself, which the scores' JSON and CSV keep as
data (as a rejected row's reason is kept), with the Chinese as ``zh`` for the texts people
read in Chinese (``score --explain EMPLOYEE --lang zh``) and what it is about as ``kind``.
Every text of a score is made here, its Chinese beside its English, so no form of note can
be added without one; a note that joins others (``no bonus: ...``) joins their Chinese too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from .findings import Note

#: the indicators (``scorecard.INDICATORS``) in Chinese, as the rule file's parameters name
#: them; an indicator of no other name keeps its own
INDICATORS_ZH = {
    "sales": "销售额",
    "customers": "新开发客户",
    "satisfaction": "客户满意度",
    "growth": "销售增长率",
    "training": "按期培训",
}
#: the severities as every report names them in Chinese (templates/labels.json)
SEVERITIES_ZH = {"info": "提示", "minor": "轻微", "major": "较重", "critical": "严重"}
#: what a target of an indicator measured against the targets' records is called
_TARGETS = {"sales": ("sales", "销售"), "customers": ("new-customer", "新开发客户")}


def indicator_zh(name: str) -> str:
    return INDICATORS_ZH.get(name, name)


def severity_zh(severity: str) -> str:
    return SEVERITIES_ZH.get(severity, severity)


def listed_zh(items: Sequence[str]) -> str:
    return "、".join(items)


def _span(first: str, last: str, to: str) -> str:
    return first if first == last else f"{first}{to}{last}"


# why an indicator cannot be computed (``indicators.figures``)


def no_records() -> Note:
    return Note(
        "no sales, target, survey or training record",
        "没有销售、目标、问卷或培训记录",
        kind="no_records",
    )


def no_target(indicator: str, months: Sequence[str]) -> Note:
    """Months of the period without a target: ``no sales target for 2026-11``."""
    what, what_zh = _TARGETS[indicator]
    return Note(
        f"no {what} target for {', '.join(months)}",
        f"{listed_zh(months)} 没有{what_zh}目标",
        kind="no_target",
    )


def zero_target(indicator: str, months: Sequence[str], every: bool) -> Note:
    """A target of 0, in ``months`` of the period (``every``: in all of them, not named)."""
    what, what_zh = _TARGETS[indicator]
    return Note(
        f"the {what} target is 0" + ("" if every else f" for {', '.join(months)}"),
        ("" if every else f"{listed_zh(months)} 的") + f"{what_zh}目标为 0",
        kind="zero_target",
    )


def no_survey() -> Note:
    return Note("no satisfaction survey", "没有满意度问卷", kind="no_survey")


def no_previous_sales(first: str, last: str) -> Note:
    """No net sales in the previous period (its months ``first`` to ``last``).  The Chinese
    names the months without brackets and leaves the growth rate unsaid: it is read inside
    ``销售增长率指标无法计算（…）`` or after ``销售增长率：``, which say it."""
    return Note(
        f"no net sales in the previous period, {_span(first, last, ' to ')}: the growth rate"
        " is undefined",
        f"上一期 {_span(first, last, ' 至 ')} 没有净销售额",
        kind="no_previous_sales",
    )


def no_training_due() -> Note:
    return Note("no required training due", "没有到期的必修培训", kind="no_training_due")


# what bars a KPI score or a reward: the parts of the notes below


def not_computed(indicator: str, reason: Note) -> Note:
    """``sales not computed (no sales target for 2026-11)``."""
    return Note(
        f"{indicator} not computed ({reason})",
        f"{indicator_zh(indicator)}指标无法计算（{reason.zh}）",
        kind="not_computed",
    )


def below_grade(grade: str, floor: str) -> Note:
    return Note(f"grade {grade} is below {floor}", f"等级 {grade} 低于 {floor}", kind="below_grade")


def findings_of(count: int, severity: str, ruleset: str, title: str) -> Note:
    """``1 major integrity finding(s)``; ``title``: the rule set's title in Chinese.  A
    finding is a 发现, as the rule files call it, not a 违规: an info finding is none."""
    return Note(
        f"{count} {severity} {ruleset} finding(s)",
        f"{title}的{severity_zh(severity)}级发现 {count} 条",
        kind="findings",
    )


def left_on(day: dt.date) -> Note:
    return Note(f"left on {day}", f"已于 {day} 离职", kind="left")


# the notes of a score


def weight_shared(indicator: str, reason: Note, weight: float, shared: Sequence[str]) -> Note:
    """An indicator's weight shared among those computed (``shared``); with one left, the
    weight goes to it whole (全部计入), as there is no proportion to keep."""
    names_zh = listed_zh([indicator_zh(name) for name in shared])
    whole = len(shared) == 1
    return Note(
        f"{indicator} not computed ({reason}); its weight {weight:g} "
        + (
            f"goes to {shared[0]} whole"
            if whole
            else f"is shared among {', '.join(shared)} in proportion to their weights"
        ),
        f"{indicator_zh(indicator)}指标无法计算（{reason.zh}）；其权重 {weight:g} "
        + (f"全部计入{names_zh}" if whole else f"按权重比例分给{names_zh}"),
        kind="weight_shared",
    )


_NO_KPI = Note(
    "no KPI score, so no overall score, grade, rank, bonus or trip",
    "没有 KPI 得分，因此没有总分、等级、排名、奖金或旅游奖励",
    kind="no_kpi",
)


def no_kpi_required(missing: Sequence[Note]) -> Note:
    """No KPI score: indicators it requires (``missing``: ``not_computed``) cannot be."""
    return Note(
        f"{_NO_KPI}: {'; '.join(missing)}, and the KPI requires "
        f"{'it' if len(missing) == 1 else 'them'}",
        f"{_NO_KPI.zh}：{'；'.join(m.zh for m in missing)}，而 KPI 需要"
        f"{'该指标' if len(missing) == 1 else '这些指标'}",
        kind="no_kpi",
    )


def no_kpi(reasons: Sequence[tuple[str, Note]]) -> Note:
    """No KPI score: no weighted indicator can be computed (``reasons``: each one's)."""
    return Note(
        f"{_NO_KPI} ({'; '.join(f'{name}: {why}' for name, why in reasons)})",
        f"{_NO_KPI.zh}（{'；'.join(f'{indicator_zh(name)}：{why.zh}' for name, why in reasons)}）",
        kind="no_kpi",
    )


def no_commission(basis: str) -> Note:
    return Note(
        f"no commission: no {basis} achievement",
        f"没有提成：没有{indicator_zh(basis)}完成率",
        kind="no_commission",
    )


def nothing_checked(rulesets: Sequence[str], titles: Mapping[str, str]) -> Note:
    """Rule sets judged without a record of the employee (``titles``: in Chinese)."""
    return Note(
        f"no records of {', '.join(rulesets)}: a conduct score of 100 there means nothing was "
        "found, not that anything was checked",
        f"没有{listed_zh([titles.get(name, name) for name in rulesets])}的记录："
        f"{'该方面' if len(rulesets) == 1 else '这些方面'}的行为分 100 只表示没有任何发现，"
        "并不表示做过检查",
        kind="nothing_checked",
    )


def no_bonus(bars: Sequence[Note]) -> Note:
    return Note(
        f"no bonus: {'; '.join(bars)}",
        f"没有奖金：{'；'.join(bar.zh for bar in bars)}",
        kind="no_bonus",
    )


def no_trip(bars: Sequence[Note]) -> Note:
    return Note(
        f"no trip: {'; '.join(bars)}",
        f"没有旅游奖励：{'；'.join(bar.zh for bar in bars)}",
        kind="no_trip",
    )
