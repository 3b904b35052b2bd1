"""One employee's breakdown (``sales-policy score --explain EMPLOYEE``), in English or in
Chinese (``--lang zh``): how each number was made, with the same figures in both.

Each line is written from its English template, or from that template's Chinese
(``breakdownzh``); the words a line puts in (an indicator, a severity, an order's status, a
rule set) are said in the line's language, the rule sets by their titles, and the notes by
their own Chinese (``scorenotes``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .breakdownzh import MONTH, TEMPLATES_ZH, WORDS_ZH
from .errors import InvalidArgument
from .findings import note_text
from .scorecard import SEVERITY_NAMES
from .scorenotes import indicator_zh, listed_zh, severity_zh
from .scores import Breakdown
from .scoretext import amount_text, count_text, down_text, number_text
from .termtext import display_width, ljust, rjust

if TYPE_CHECKING:
    from .scoringvalues import Blocker

#: the indicators' table: each column's heading, and its least width
_COLUMNS = (
    ("indicator", "指标", 12),
    ("value", "数值", 12),
    ("target", "目标", 12),
    ("achievement", "完成率", 11),
    ("weight", "权重", 6),
    ("share", "实际权重", 6),
    ("points", "得分", 6),
)


class _Text:
    """The breakdown's words in one language (``en`` or ``zh``)."""

    def __init__(self, lang: str, titles: Mapping[str, str]) -> None:
        self.zh = lang == "zh"
        self.titles = titles if self.zh else {}

    def say(self, template: str, **parts: Any) -> str:
        return (TEMPLATES_ZH[template] if self.zh else template).format(**parts)

    def word(self, text: str) -> str:
        return WORDS_ZH.get(text, text) if self.zh else text

    def joined(self, items: Sequence[str]) -> str:
        return listed_zh(items) if self.zh else ", ".join(items)

    def indicator(self, name: str) -> str:
        return indicator_zh(name) if self.zh else name

    def severity(self, name: str) -> str:
        return severity_zh(name) if self.zh else name

    def ruleset(self, name: str) -> str:
        return self.titles.get(name, name)


def _conditions(
    t: _Text,
    min_grade: str,
    requires: tuple[str, ...],
    blockers: tuple[Blocker, ...],
    employed_to_end: bool = False,
) -> str:
    """A reward's conditions in words: ``grade B or better, sales computed, no critical
    finding, no major or worse integrity or confidentiality finding`` (and, for a trip that
    needs it, ``employed to the last day of the period``)."""
    parts = [t.say("grade {grade} or better", grade=min_grade)]
    parts += [t.say("{name} computed", name=t.indicator(name)) for name in requires]
    for blocker in blockers:
        worse = "" if blocker.min_severity == SEVERITY_NAMES[-1] else t.say(" or worse")
        rulesets = ("或" if t.zh else " or ").join(map(t.ruleset, blocker.rulesets))
        where = t.say(" {rulesets}", rulesets=rulesets) if rulesets else ""
        severity = t.severity(blocker.min_severity)
        template = "no {severity}{worse}{where} finding"
        parts.append(t.say(template, severity=severity, worse=worse, where=where))
    if employed_to_end:
        parts.append(t.say("employed to the last day of the period"))
    return ("，" if t.zh else ", ").join(parts)


def _listed(t: _Text, items: Sequence[str] | None) -> str:
    """Items after a count, as the breakdown writes a list: `` (C-1, C-2)``; none, nothing."""
    if not items:
        return ""
    return f"（{listed_zh(items)}）" if t.zh else f" ({', '.join(items)})"


def _table(t: _Text, rows: list[list[str]]) -> list[str]:
    """The indicators' table: its heading, then ``rows`` (each a cell a column; a row of one
    cell is written as it is), the first column to the left, the others to the right."""
    widths = [max(least, display_width(zh if t.zh else en)) for en, zh, least in _COLUMNS]
    heading = "  ".join(
        ljust(zh if t.zh else en, width)
        for (en, zh, _), width in zip(_COLUMNS, widths, strict=True)
    )
    lines = [f"  {heading}".rstrip()]
    for cells in rows:
        if len(cells) == 1:
            lines.append(cells[0])
            continue
        aligned = [ljust(cells[0], widths[0])]
        aligned += [rjust(cell, width) for cell, width in zip(cells[1:], widths[1:], strict=True)]
        lines.append("  " + "  ".join(aligned))
    return lines


def explain_score(breakdown: Breakdown, *, lang: str = "en") -> str:
    """What made one employee's numbers, in ``lang`` ("en" or "zh"), for a terminal."""
    if not isinstance(breakdown, Breakdown):
        raise InvalidArgument(
            f"explain_score takes a breakdown (scores.breakdown(employee_id)), not "
            f"{type(breakdown).__name__}"
        )
    if lang not in ("zh", "en"):
        raise InvalidArgument(f"lang must be 'zh' or 'en', not {lang!r}")
    t = _Text(lang, breakdown.ruleset_titles)
    row, values = breakdown.score, breakdown.values
    grades = t.joined([f"{name} >= {lowest:g}" for name, lowest in values.grades])
    lines = [
        t.say(
            "{employee}  team {team}  {period}  amounts in {currency}",
            employee=row.employee_id,
            team=row.team or "-",
            period=row.period,
            currency=row.currency,
        )
    ]
    if row.overall is not None:
        lines += [
            "",
            t.say(
                "overall {overall} = {kpi_weight} x KPI {kpi} + {conduct_weight} x mean conduct "
                "{mean}",
                overall=f"{row.overall:.2f}",
                kpi_weight=f"{values.kpi_weight:g}",
                kpi=f"{row.kpi_score:.2f}",
                conduct_weight=f"{values.conduct_weight:g}",
                mean=f"{row.conduct_mean:.2f}",
            ),
            t.say(
                "grade   {grade} ({grades}); rank {rank} of {size} in the team",
                grade=row.grade,
                grades=grades,
                rank=row.rank,
                size=row.team_size,
            ),
        ]
    needed = t.joined([t.indicator(name) for name in values.kpi_requires])
    needs = t.say("; needs {names} computed", names=needed) if needed else ""
    kpi = number_text(row.kpi_score)
    kpi = t.say("KPI {kpi}: achievement capped at {cap}", kpi=kpi, cap=f"{values.cap:g}")
    cells: list[list[str]] = []
    for i in row.indicators:
        name = t.indicator(i.name)
        if i.reason is not None:
            cells.append(
                [
                    t.say(
                        "  {name}  not computed: {reason}; weight {weight}",
                        name=ljust(name, 12),
                        reason=note_text(i.reason, lang),
                        weight=f"{i.weight:g}",
                    )
                ]
            )
            continue
        amount = {"sales": amount_text, "customers": count_text}.get(i.name, number_text)
        cells.append(
            [
                name,
                # an amount to every digit (the value, the target: only the nearest floats)
                amount(i.value if i.exact_value is None else i.exact_value),
                amount(i.target if i.exact_target is None else i.exact_target),
                down_text(i.exact_achievement or i.achievement, 4),
                f"{i.weight:g}",
                f"{i.effective_weight:.3f}",
                f"{i.points:.2f}",
            ]
        )
    lines += ["", kpi + needs, *_table(t, cells)]
    lines += ["", t.say("months")]
    for m in breakdown.months.iter_rows(named=True):
        lines.append(
            t.say(
                MONTH,
                period=m["period"],
                # the amounts as the facts' texts write them, every digit
                net=amount_text(m["net_sales_text"]),
                gross=amount_text(m["gross_sales_text"]),
                reversed=amount_text(m["reversed_sales_text"]),
                target=amount_text(m["prorated_target_sales_text"]),
                customers=m["new_customers"],
                ids=_listed(t, m["new_customer_ids"]),
                customer_target="-"
                if m["target_new_customers"] is None
                else m["target_new_customers"],
                surveys=m["surveys"],
                satisfaction=number_text(m["satisfaction"]),
                previous=m["previous_period"],
                previous_net=amount_text(m["previous_net_sales_text"]),
                on_time=m["trainings_on_time"],
                due=m["trainings_due"],
            )
        )
    lines += ["", t.say("orders booked in the period")]
    for o in breakdown.orders.iter_rows(named=True):
        counted = t.word("counted" if o["counted"] else "not counted")
        won = t.word(", won the customer") if o["won_customer"] else ""
        lines.append(
            f"  {o['date']}  {o['order_id']}  {o['customer_id']}  {ljust(t.word(o['status']), 9)} "
            f"{rjust(amount_text(o['amount_text']), 12)} {o['order_currency']}  {counted}{won}  "
            f"{o['source']}"
        )
    for course in breakdown.training.iter_rows(named=True):
        lines.append(
            t.say(
                "training {course} due {due}: {state}  {source}",
                course=course["course"],
                due=course["required_by"],
                state=t.word("on time" if course["completed_on_time"] else "overdue"),
                source=course["source"],
            )
        )
    lines += ["", *_conduct(t, breakdown)]
    lines += ["", *_rewards(t, breakdown)]
    lines += ["", *(t.say("note: {note}", note=note_text(note, lang)) for note in row.notes)]
    return "\n".join(lines) + "\n"


def _conduct(t: _Text, breakdown: Breakdown) -> list[str]:
    """The conduct scores, each rule set's findings by rule with their points."""
    row, values = breakdown.score, breakdown.values
    points = t.joined([f"{t.severity(name)} {p:g}" for name, p in values.points.items()])
    lines = [t.say("conduct: 100 less points per finding ({points}), at least 0", points=points)]
    width = max([16, *(display_width(t.ruleset(name)) for name in row.conduct)])
    for ruleset, value in row.conduct.items():
        found = [f for f in breakdown.findings if f.ruleset == ruleset]
        by_rule: dict[tuple[str, str], list[str]] = {}
        for f in found:
            by_rule.setdefault((f.rule_id, f.severity), []).append(str(f.date or f.period))
        detail = ("；" if t.zh else "; ").join(
            t.say(
                "{rule} {severity} x{count} -{points} ({dates})",
                rule=rule,
                severity=t.severity(severity),
                count=len(when),
                points=f"{values.points[severity] * len(when):g}",
                dates=t.joined(when[:5])
                + (("、..." if t.zh else ", ...") if len(when) > 5 else ""),
            )
            for (rule, severity), when in by_rule.items()
        )
        lines.append(
            f"  {ljust(t.ruleset(ruleset), width)} {value:6.2f}  {detail or t.word('no finding')}"
        )
    return lines


def _rewards(t: _Text, breakdown: Breakdown) -> list[str]:
    """The commission and its tier, and the bonus's and the trip's conditions."""
    row, values = breakdown.score, breakdown.values
    lines = []
    tier = next((tier for tier in values.tiers if tier.name == row.commission_tier), None)
    if tier is not None and row.exact_commission is not None:
        span = (
            t.say("{lower} and above", lower=f"{tier.lower:g}")
            if tier.upper is None
            else t.say("{lower} to {upper}", lower=f"{tier.lower:g}", upper=f"{tier.upper:g}")
        )
        lines.append(
            t.say(
                "commission {commission} = {rate} x net sales (tier {tier}: {basis} achievement "
                "{span})",
                commission=number_text(row.exact_commission),
                rate=f"{tier.rate:g}",
                tier=t.word(tier.name),
                basis=t.indicator(values.commission_basis),
                span=span,
            )
        )
    bonus = _conditions(t, values.bonus_min_grade, values.bonus_requires, values.blockers)
    lines.append(
        t.say(
            "bonus      {state} ({conditions})",
            state=t.word("eligible" if row.bonus_eligible else "not eligible"),
            conditions=bonus,
        )
    )
    trip = _conditions(
        t,
        values.trip_min_grade,
        values.trip_requires,
        values.trip_blockers,
        values.trip_employed_to_end,
    )
    # nothing of the employee's own bars a ranked employee who has no trip: the team's places
    # went to those ranked above (the notes, which depend on their own records, do not say so)
    crowded = (
        row.rank is not None
        and not row.trip_eligible
        and not any(note.kind == "no_trip" for note in row.notes)
    )
    places = values.trip_places(row.team_size or 0)
    lines.append(
        t.say(
            "trip       {state} ({conditions}; places for the top {percent}% of the team, in "
            "rank order to those who meet these)",
            state=t.word("eligible" if row.trip_eligible else "not eligible"),
            conditions=trip,
            percent=f"{values.trip_top_percent:g}",
        )
        + (
            t.say(
                ": meets these, but the team's {places} place{s} went to those ranked above",
                places=places,
                s="s" if places != 1 else "",
            )
            if crowded
            else ""
        )
    )
    return lines
