"""The ``score`` command's text: a table of the scores, and one employee's breakdown
(``--explain``), for a terminal."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import ROUND_FLOOR, Decimal
from typing import TYPE_CHECKING, Any

from .columntext import csv_line, safe_cell
from .scorecard import SEVERITY_NAMES
from .termtext import display_width, ljust, one_line, rjust

if TYPE_CHECKING:
    from .scores import Breakdown, Scores
    from .scoringvalues import Blocker


def _number(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def _count(value: float | None) -> str:
    """A count (new customers and their target) as the whole number it is: 3, not 3.00."""
    return "-" if value is None else f"{value:,.0f}"


def _down(value: float | None, places: int, *, percent: bool = False) -> str:
    """A figure rounded down to ``places`` (as a percentage with ``percent``): never shown above
    the value, so a figure shown at a bound has reached it.  An achievement of 0.7999999 is
    79% and 0.7999, not 80% and 0.8000, beside a commission of the tier that ends at 0.8;
    satisfaction 59.96 is 59.9, not 60.0, beside the finding that it is below 60."""
    if value is None:
        return "-"
    exact = Decimal(repr(value)) * (100 if percent else 1)
    shown = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_FLOOR)
    return f"{shown:,.{places}f}{'%' if percent else ''}"


def _money(amount: float | None) -> str:
    """An amount with a thousands separator, to 2 decimals at least, or to as many as it has
    (amounts have up to 4), never rounded: 79,999.995 below a target of 80,000.00 does not
    read as equal to it."""
    if amount is None:
        return "-"
    exact = Decimal(repr(amount))
    places = max(2, -int(exact.as_tuple().exponent))
    return f"{exact:,.{places}f}"


#: the table's words in Chinese (``--lang zh``): headers, then the other texts
_ZH = {
    "employee": "员工",
    "team": "团队",
    "net sales": "净销售额",
    "sales": "销售完成",
    "cust.": "新客户完成",
    "satisf.": "满意度",
    "growth": "增长率",
    "overall": "总分",
    "grade": "等级",
    "commission": "提成",
    "bonus": "奖金",
    "trip": "旅游",
    "rank": "排名",
    "yes": "是",
    "no": "否",
    "{} ({} to {}), amounts in {}": "{}（{} 至 {}），金额单位 {}",
    "sales, cust.: achievement against target; growth: against the previous period; "
    "rank: within the team; --explain EMPLOYEE for the breakdown": (
        "销售完成、新客户完成：对目标的完成率；增长率：对上一期；排名：团队内；"
        "各项明细见 --explain EMPLOYEE"
    ),
}
#: the handbook's rule sets' conduct columns, in Chinese (a company's keep their names)
_ZH_CONDUCT = {
    "attendance": "出勤",
    "discipline": "纪律",
    "integrity": "诚信",
    "confidentiality": "保密",
    "customer_care": "客户",
    "assessment": "考核",
}


def score_table(scores: Scores, *, lang: str = "en") -> str:
    """One line per employee: the main figures; --explain gives the rest."""

    def word(text: str) -> str:
        return _ZH.get(text, text) if lang == "zh" else text

    def conduct(column: str) -> str:
        name = column.removeprefix("conduct_")
        return _ZH_CONDUCT.get(name, name[:4]) if lang == "zh" else name[:4]

    def spec(text: str) -> Callable[[Any], str]:
        return lambda value: format(value, text)

    frame = scores.frame
    # achievements, satisfaction and growth rounded down: a figure shown at a tier's or a
    # rule's bound (80%, 60.0) has reached it
    shown: list[tuple[str, str, Callable[[Any], str]]] = [
        ("employee", "employee_id", spec("s")),
        ("team", "team", spec("s")),
        ("net sales", "sales_value", _money),
        ("sales", "sales_achievement", lambda v: _down(v, 0, percent=True)),
        ("cust.", "customers_achievement", lambda v: _down(v, 0, percent=True)),
        ("satisf.", "satisfaction_value", lambda v: _down(v, 1)),
        ("growth", "growth_value", lambda v: _down(v, 1, percent=True)),
        ("KPI", "kpi_score", spec(".2f")),
        *(
            (conduct(c), c, spec(".0f"))
            for c in frame.columns
            if c.startswith("conduct_") and c != "conduct_mean"
        ),
        ("overall", "overall", spec(".2f")),
        ("grade", "grade", spec("s")),
        ("commission", "commission", spec(",.2f")),
        ("bonus", "bonus_eligible", spec("s")),
        ("trip", "trip_eligible", spec("s")),
        ("rank", "rank", spec("d")),
    ]
    table = [[word(header) for header, _, _ in shown]]
    for row in frame.iter_rows(named=True):
        cells = []
        for _, column, text in shown:
            value = row.get(column)
            if isinstance(value, bool):
                value = word("yes" if value else "no")
            cells.append("-" if value is None else one_line(text(value)))
        table.append(cells)
    # as a terminal shows them: a Chinese name or team is twice as wide as its characters
    widths = [max(display_width(line[i]) for line in table) for i in range(len(shown))]
    aligned = [
        [
            ljust(c, w) if i < 2 else rjust(c, w)
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        ]
        for r in table
    ]
    return (
        "\n".join(
            [
                word("{} ({} to {}), amounts in {}").format(
                    scores.period, scores.start, scores.end, scores.values.currency
                ),
                "",
                *("  ".join(cells).rstrip() for cells in aligned),
                "",
                word(
                    "sales, cust.: achievement against target; growth: against the previous "
                    "period; rank: within the team; --explain EMPLOYEE for the breakdown"
                ),
            ]
        )
        + "\n"
    )


def _conditions(
    min_grade: str,
    requires: tuple[str, ...],
    blockers: tuple[Blocker, ...],
    employed_to_end: bool = False,
) -> str:
    """A reward's conditions in words: ``grade B or better, sales computed, no critical
    finding, no major or worse integrity or confidentiality finding`` (and, for a trip that
    needs it, ``employed to the last day of the period``)."""
    parts = [f"grade {min_grade} or better", *(f"{name} computed" for name in requires)]
    for blocker in blockers:
        worse = "" if blocker.min_severity == SEVERITY_NAMES[-1] else " or worse"
        where = f" {' or '.join(blocker.rulesets)}" if blocker.rulesets else ""
        parts.append(f"no {blocker.min_severity}{worse}{where} finding")
    if employed_to_end:
        parts.append("employed to the last day of the period")
    return ", ".join(parts)


#: the columns of ``Scores.frame`` that are amounts of money, in the sales currency
MONEY_COLUMNS = ("sales_value", "sales_target", "commission")


def money_text(amount: float) -> str:
    """An amount as the CSV writes it: to 2 decimals at least, or to as many as it has (the
    exact amounts have up to 4): 3960.00, 132000.00, 1000.1234."""
    whole, _, fraction = f"{Decimal(repr(amount)):f}".partition(".")
    return f"{whole}.{fraction.ljust(2, '0')}"


def score_csv(scores: Scores) -> str:
    """``score --format csv``: ``Scores.frame``, a line an employee, as ``check --format csv``
    writes its lines: each ended by a line feed, truth values as ``true``/``false`` (as
    JSON), none as an empty cell, text safe from spreadsheets' formulas (``safe_cell``),
    amounts to 2 decimals at least (``money_text``), other numbers as JSON writes them."""
    frame = scores.frame
    money = [column in MONEY_COLUMNS for column in frame.columns]

    def cell(value: Any, is_money: bool) -> Any:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, str):
            return safe_cell(value)
        if is_money and isinstance(value, float):
            return money_text(value)
        return value

    rows = ([cell(v, m) for v, m in zip(row, money, strict=True)] for row in frame.iter_rows())
    return "".join(csv_line(cells) + "\n" for cells in [frame.columns, *rows])


def _listed(items: Sequence[str] | None) -> str:
    """Items after a count, as the breakdown writes a list: `` (C-1, C-2)``; none, nothing."""
    return f" ({', '.join(items)})" if items else ""


def explain_score(breakdown: Breakdown) -> str:
    row, values = breakdown.score, breakdown.values
    grades = ", ".join(f"{name} >= {lowest:g}" for name, lowest in values.grades)
    lines = [
        f"{row.employee_id}  team {row.team or '-'}  {row.period}  amounts in {row.currency}",
        "",
    ]
    if row.overall is not None:
        lines.append(
            f"overall {row.overall:.2f} = {values.kpi_weight:g} x KPI {row.kpi_score:.2f} + "
            f"{values.conduct_weight:g} x mean conduct {row.conduct_mean:.2f}"
        )
        lines.append(
            f"grade   {row.grade} ({grades}); rank {row.rank} of {row.team_size} in the team"
        )
    needs = f"; needs {', '.join(values.kpi_requires)} computed" if values.kpi_requires else ""
    lines += ["", f"KPI {_number(row.kpi_score)}: achievement capped at {values.cap:g}{needs}"]
    lines.append("  indicator     value         target        achievement  weight  share   points")
    for i in row.indicators:
        if i.reason is not None:
            lines.append(f"  {i.name:<12}  not computed: {i.reason}; weight {i.weight:g}")
            continue
        amount = {"sales": _money, "customers": _count}.get(i.name, _number)
        lines.append(
            f"  {i.name:<12}  {amount(i.value):>12}  {amount(i.target):>12}  "
            f"{_down(i.achievement, 4):>11}  {i.weight:>6g}  {i.effective_weight:>6.3f}  "
            f"{i.points:>6.2f}"
        )
    lines += ["", "months"]
    for m in breakdown.months.iter_rows(named=True):
        lines.append(
            f"  {m['period']}: net {_money(m['net_sales'])} = booked {_money(m['gross_sales'])}"
            f" - reversed {_money(m['reversed_sales'])}; target {_money(m['target_sales'])}; "
            f"new customers {m['new_customers']}{_listed(m['new_customer_ids'])}, target "
            f"{m['target_new_customers'] if m['target_new_customers'] is not None else '-'}; "
            f"{m['surveys']} surveys, satisfaction {_number(m['satisfaction'])}; previous "
            f"{m['previous_period']}: net {_money(m['previous_net_sales'])}; training "
            f"{m['trainings_on_time']} of {m['trainings_due']} on time"
        )
    lines += ["", "orders booked in the period"]
    for o in breakdown.orders.iter_rows(named=True):
        lines.append(
            f"  {o['date']}  {o['order_id']}  {o['customer_id']}  {o['status']:<9} "
            f"{_money(o['amount']):>12} {o['order_currency']}  "
            f"{'counted' if o['counted'] else 'not counted'}"
            f"{', won the customer' if o['won_customer'] else ''}  {o['source']}"
        )
    for t in breakdown.training.iter_rows(named=True):
        state = "on time" if t["completed_on_time"] else "overdue"
        lines.append(f"training {t['course']} due {t['required_by']}: {state}  {t['source']}")
    points = ", ".join(f"{name} {p:g}" for name, p in values.points.items())
    lines += ["", f"conduct: 100 less points per finding ({points}), at least 0"]
    for ruleset, value in row.conduct.items():
        found = [f for f in breakdown.findings if f.ruleset == ruleset]
        by_rule: dict[tuple[str, str], list[str]] = {}
        for f in found:
            by_rule.setdefault((f.rule_id, f.severity), []).append(str(f.date or f.period))
        detail = "; ".join(
            f"{rule} {severity} x{len(when)} -{values.points[severity] * len(when):g} "
            f"({', '.join(when[:5])}{', ...' if len(when) > 5 else ''})"
            for (rule, severity), when in by_rule.items()
        )
        lines.append(f"  {ruleset:<16} {value:6.2f}  {detail or 'no finding'}")
    tier = next((t for t in values.tiers if t.name == row.commission_tier), None)
    lines.append("")
    if tier is not None and row.commission is not None:
        span = (
            f"{tier.lower:g} and above"
            if tier.upper is None
            else f"{tier.lower:g} to {tier.upper:g}"
        )
        lines.append(
            f"commission {_number(row.commission)} = {tier.rate:g} x net sales "
            f"(tier {tier.name}: {values.commission_basis} achievement {span})"
        )
    bonus = _conditions(values.bonus_min_grade, values.bonus_requires, values.blockers)
    lines.append(f"bonus      {'eligible' if row.bonus_eligible else 'not eligible'} ({bonus})")
    trip = _conditions(
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
        and not any(note.startswith("no trip") for note in row.notes)
    )
    places = values.trip_places(row.team_size or 0)
    lines.append(
        f"trip       {'eligible' if row.trip_eligible else 'not eligible'} ({trip}; places for the "
        f"top {values.trip_top_percent:g}% of the team, in rank order to those who meet these)"
        + (
            f": meets these, but the team's {places} place{'s' if places != 1 else ''} went to "
            "those ranked above"
            if crowded
            else ""
        )
    )
    lines += ["", *(f"note: {note}" for note in row.notes)]
    return "\n".join(lines) + "\n"
