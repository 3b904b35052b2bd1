"""The ``score`` command's text: a table of the scores for a terminal, the CSV, and how both
and the breakdown (``scoreexplain``) write figures."""

from __future__ import annotations

import json
import math
import re
import uuid
from collections.abc import Callable
from decimal import ROUND_FLOOR, Context, Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from .columntext import csv_line, safe_cell
from .scores import MONEY_COLUMNS
from .termtext import display_width, ljust, one_line, rjust

if TYPE_CHECKING:
    from .scores import Scores


def number_text(value: float | Decimal | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def count_text(value: float | Decimal | None) -> str:
    """A count (new customers and their target) as the whole number it is: 3, not 3.00."""
    return "-" if value is None else f"{value:,.0f}"


def down_text(value: float | Fraction | None, places: int, *, percent: bool = False) -> str:
    """A figure rounded down to ``places`` (as a percentage with ``percent``): never shown above
    the value, so a figure shown at a bound has reached it.  An achievement of 0.7999999 is
    79% and 0.7999, not 80% and 0.8000, beside a commission of the tier that ends at 0.8;
    satisfaction 59.96 is 59.9, not 60.0, beside the finding that it is below 60.  An exact
    ``Fraction`` (an achievement, ``IndicatorScore.exact_achievement``) is written to every
    digit: 10^24 - 1, not 10^24 as the nearest float."""
    if value is None:
        return "-"
    if isinstance(value, Fraction):
        scaled = math.floor(value * (100 if percent else 1) * 10**places)
        return f"{Decimal(scaled).scaleb(-places):,.{places}f}{'%' if percent else ''}"
    exact = Decimal(repr(value)) * (100 if percent else 1)
    # in as many digits as the figure shown has: the default context's 28 refused a figure
    # of 10^24 to 4 places
    digits = Context(prec=max(28, exact.adjusted() + 1 + places))
    shown = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_FLOOR, context=digits)
    return f"{shown:,.{places}f}{'%' if percent else ''}"


def exact_amount(amount: float | Decimal | str) -> Decimal:
    """An amount as the decimal it is: a ``Decimal`` (``EmployeeScore.exact_commission``) as it
    is, a text (``net_sales_text`` of the facts) as it writes it, a float as the shortest
    decimal that gives it back."""
    if isinstance(amount, Decimal):
        return amount
    return Decimal(amount if isinstance(amount, str) else repr(amount))


def _places(amount: Decimal) -> int:
    """The decimal places an amount is written to: 2 at least, or as many as it has (a sum
    of Decimal(38, 4) amounts, 3002.1000, has 1)."""
    return max(2, len(f"{amount:f}".partition(".")[2].rstrip("0")))


def amount_text(amount: float | Decimal | str | None) -> str:
    """An amount with a thousands separator, to 2 decimals at least, or to as many as it has
    (amounts have up to 4), never rounded: 79,999.995 below a target of 80,000.00 does not
    read as equal to it.  A ``Decimal`` or a text is written to every digit: net sales of
    98,765,432,109,876,543,211.1235, not the float's 98,765,432,109,876,540,000.00."""
    if amount is None:
        return "-"
    exact = exact_amount(amount)
    return f"{exact:,.{_places(exact)}f}"


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
        ("net sales", "sales_value", amount_text),
        ("sales", "sales_achievement", lambda v: down_text(v, 0, percent=True)),
        ("cust.", "customers_achievement", lambda v: down_text(v, 0, percent=True)),
        ("satisf.", "satisfaction_value", lambda v: down_text(v, 1)),
        ("growth", "growth_value", lambda v: down_text(v, 1, percent=True)),
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
    for row, employee in zip(frame.iter_rows(named=True), scores.rows, strict=True):
        # the achievements exactly (the frame's floats are only never above them), and the
        # amounts (the frame's floats are only the nearest)
        exact: dict[str, Any] = {
            f"{i.name}_achievement": i.exact_achievement
            for i in employee.indicators
            if i.exact_achievement is not None
        }
        exact |= employee.exact_amounts()
        cells = []
        for _, column, text in shown:
            value = exact.get(column, row.get(column))
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


def money_text(amount: float | Decimal | str) -> str:
    """An amount as the CSV and ``score --format json`` write it: to 2 decimals at least, or
    to as many as it has (the exact amounts have up to 4): 3960.00, 132000.00, 1000.1234."""
    exact = exact_amount(amount)
    return f"{exact:.{_places(exact)}f}"


def exact_json(data: Any) -> str:
    """``data`` as JSON (indented by 2, text as it is), each ``Decimal`` written as a number of
    every digit, as ``money_text`` writes it (``98765432109876543211.1235``, ``3002.10``), not
    the nearest float (``9.876543210987654e+19``); anything else JSON has no form for (a
    date) as its text.  The json module writes no decimal as a number: each is written as a
    text marked with a random token first, and the marked texts then lose their quotes."""
    mark = f"exact-number-{uuid.uuid4().hex}:"

    def number(value: Any) -> str:
        return mark + money_text(value) if isinstance(value, Decimal) else str(value)

    text = json.dumps(data, ensure_ascii=False, indent=2, default=number)
    return re.sub(f'"{mark}([^"]*)"', r"\1", text) + "\n"


def score_csv(scores: Scores) -> str:
    """``score --format csv``: ``Scores.frame``, a line an employee, as ``check --format csv``
    writes its lines: each ended by a line feed, truth values as ``true``/``false`` (as
    JSON), none as an empty cell, text safe from spreadsheets' formulas (``safe_cell``),
    amounts to 2 decimals at least (``money_text``), other numbers as JSON writes them."""
    frame = scores.frame

    def cell(value: Any, column: str, exact: dict[str, Decimal]) -> Any:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, str):
            return safe_cell(value)
        if column in MONEY_COLUMNS and isinstance(value, float):
            return money_text(exact.get(column, value))
        return value

    lines = [csv_line(frame.columns)]
    for row, employee in zip(frame.iter_rows(named=True), scores.rows, strict=True):
        exact = employee.exact_amounts()  # the amounts to every digit: the frame's floats are not
        lines.append(csv_line([cell(row[c], c, exact) for c in frame.columns]))
    return "".join(line + "\n" for line in lines)
