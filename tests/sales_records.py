"""Sales records written the way the scoring tests need them: targets and orders as dicts in
the JSONL form, amounts as given (a float, a Decimal or a text)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

Amount = float | Decimal | str


def target(
    employee_id: str, amount: Amount, customers: int = 0, period: str = "2026-11"
) -> dict[str, Any]:
    return {
        "type": "sales_target",
        "employee_id": employee_id,
        "period": period,
        "sales_amount": amount,
        "new_customers": customers,
    }


def order(
    order_id: str,
    employee_id: str,
    customer: str,
    day: str,
    amount: Amount,
    status: str = "booked",
    currency: str = "CNY",
) -> dict[str, Any]:
    """An order booked at 10:00 on ``day``; a cancelled or refunded one reversed at 18:00."""
    return {
        "type": "order",
        "order_id": order_id,
        "employee_id": employee_id,
        "customer_id": customer,
        "booked_at": f"{day}T10:00:00+08:00",
        "amount": amount,
        "currency": currency,
        "status": status,
        "reversed_at": None if status == "booked" else f"{day}T18:00:00+08:00",
    }
