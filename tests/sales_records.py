"""Sales records written the way the scoring tests need them: targets, orders and surveys as
dicts in the JSONL form, amounts and scores as given (a float, a Decimal or a text)."""

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


def survey(score: Amount, record_id: str = "S1", employee_id: str = "E1") -> dict[str, Any]:
    """A customer's satisfaction survey of ``score`` out of 100, on 10 November 2026."""
    return {
        "type": "satisfaction_survey",
        "record_id": record_id,
        "employee_id": employee_id,
        "customer_id": "K1",
        "at": "2026-11-10T10:00:00+08:00",
        "score": score,
        "scale_max": 100,
    }
