"""Records read as of the right moment: the assignments in force when customer data was viewed
(CONF-UNASSIGNED), and the orders that make a customer one who has bought (CRM-NO-REVISIT,
CRM-PROFILE-INCOMPLETE).  Expected values are worked out by hand from
docs/rulesets/confidentiality.md and docs/rulesets/customer_care.md."""

from __future__ import annotations

import datetime as dt
from typing import Any, get_args

import sales_policy
from sales_policy.conductrecords import Order
from sales_policy.recordfields import REVERSED_ORDER_STATUSES

POLICY = sales_policy.load_policy()
NOV_1, NOV_30 = dt.date(2026, 11, 1), dt.date(2026, 11, 30)


def _assignment(employee: str, start: str, end: str | None = None) -> dict[str, Any]:
    record = {"type": "customer_assignment", "customer_id": "C1", "employee_id": employee}
    return {**record, "start": start, **({"end": end} if end else {})}


def _view(record_id: str, employee: str, at: str) -> dict[str, Any]:
    return {
        "type": "data_access",
        "record_id": record_id,
        "employee_id": employee,
        "at": at,
        "customer_id": "C1",
        "data_class": "customer",
        "action": "view",
        "record_count": 1,
        "approved": False,
    }


def _unassigned(records: list[dict[str, Any]], end: dt.date = NOV_30) -> list[str]:
    result = POLICY.check(records, NOV_1, end)
    assert result.counts.rejected == 0
    return sorted(f.evidence["record_id"] for f in result if f.rule_id == "CONF-UNASSIGNED")


def test_an_assignment_dated_after_the_view_does_not_make_it_someone_elses_customer() -> None:
    """C1 is assigned to E2 from December 1 and to nobody before.  Views in November, by E1
    and by E2 alike, are of a prospect nobody looked after then: not judged, whether the
    input holds the December assignment or not.  A view by E1 on December 1 is of E2's
    customer; one by E2 that day is of their own."""
    views = [
        _view("A1", "E1", "2026-11-09T10:00:00+08:00"),
        _view("A2", "E2", "2026-11-30T23:59:00+08:00"),
        _view("A3", "E1", "2026-12-01T00:00:00+08:00"),
        _view("A4", "E2", "2026-12-01T09:00:00+08:00"),
    ]
    december = _assignment("E2", "2026-12-01")
    assert _unassigned([*views, december]) == []
    assert _unassigned(views) == []
    assert _unassigned([*views, december], dt.date(2026, 12, 31)) == ["A3"]


def test_a_customer_stays_an_account_after_its_assignment_ends() -> None:
    """C1 was E2's up to and including November 8 (an assignment's end is its last day) and
    nobody's after.  Having been assigned, C1 is no prospect: a view by E1 on November 8 is of
    E2's customer, and from November 9 C1 is nobody's account, E2's included (A2, A4).  E2's
    own view on the last day is in order (A3)."""
    records = [
        _assignment("E2", "2026-01-01", "2026-11-08"),
        _view("A1", "E1", "2026-11-08T23:59:59+08:00"),
        _view("A2", "E1", "2026-11-09T00:00:00+08:00"),
        _view("A3", "E2", "2026-11-08T23:59:59+08:00"),
        _view("A4", "E2", "2026-11-09T00:00:00+08:00"),
    ]
    assert _unassigned(records) == ["A1", "A2", "A4"]


def test_the_view_is_dated_in_the_viewers_timezone() -> None:
    """E3 works in New York.  C1 is E2's from November 10.  E3's view at 2026-11-10 03:00
    Shanghai time is on November 9 in New York, before the assignment: not judged; one at
    2026-11-10 14:00 Shanghai time is November 10 there too: E2's customer."""
    records = [
        {"type": "employee", "employee_id": "E3", "name": "E3", "timezone": "America/New_York"},
        _assignment("E2", "2026-11-10"),
        _view("A1", "E3", "2026-11-10T03:00:00+08:00"),
        _view("A2", "E3", "2026-11-10T14:00:00+08:00"),
    ]
    assert _unassigned(records) == ["A2"]


def _order(order_id: str, status: str, booked_at: str, reversed_at: str | None) -> dict[str, Any]:
    record = {
        "type": "order",
        "order_id": order_id,
        "employee_id": "E1",
        "customer_id": "C1",
        "booked_at": booked_at,
        "amount": "800",
        "status": status,
    }
    return {**record, **({"reversed_at": reversed_at} if reversed_at else {})}


#: E1 looks after C1 from January 1 and never contacted them; their file lacks the needs
CARE = [
    _assignment("E1", "2026-01-01"),
    {
        "type": "customer_profile",
        "customer_id": "C1",
        "employee_id": "E1",
        "updated_at": "2026-03-02T10:00:00+08:00",
        "name": "Acme Ltd",
        "contact": "Li Lei",
    },
]
CANCELLED = _order("O1", "cancelled", "2026-03-02T10:00:00+08:00", "2026-03-05T10:00:00+08:00")
REFUNDED = _order("O2", "refunded", "2026-04-02T10:00:00+08:00", "2026-04-20T10:00:00+08:00")
BOOKED = _order("O3", "booked", "2026-10-02T10:00:00+08:00", None)


def _care(records: list[dict[str, Any]], policy: Any = POLICY) -> list[str]:
    result = policy.check([*CARE, *records], NOV_1, NOV_30)
    assert result.counts.rejected == 0
    rules = ("CRM-NO-REVISIT", "CRM-PROFILE-INCOMPLETE")
    return sorted(f.rule_id for f in result if f.rule_id in rules)


def test_a_customer_whose_orders_were_all_reversed_has_not_bought() -> None:
    """As the assessment has it (a cancelled or refunded order wins no customer), a customer
    whose only orders were cancelled or refunded is not a buying customer: neither not
    revisited nor owed a complete file.  An order still booked makes them one, whatever
    reversed orders came before it, as does the default changed by the policy."""
    both = ["CRM-NO-REVISIT", "CRM-PROFILE-INCOMPLETE"]
    assert _care([CANCELLED]) == []
    assert _care([REFUNDED]) == []
    assert _care([CANCELLED, REFUNDED]) == []
    assert _care([CANCELLED, REFUNDED, BOOKED]) == both
    every_order = POLICY.with_params(reversed_order_is_purchase=True)
    assert _care([CANCELLED], every_order) == both


def test_an_order_reversed_after_the_period_is_read_by_its_status() -> None:
    """The status of an order is the exported one in every rule set: one booked on October 2
    and cancelled on December 3 made no purchase in the November check either (so the
    assessment does not count it, and INT-SALES-REVERSAL reads the same reversal)."""
    late = _order("O4", "cancelled", "2026-10-02T10:00:00+08:00", "2026-12-03T10:00:00+08:00")
    assert _care([late]) == []


def test_the_reversed_statuses_are_the_order_statuses_other_than_booked() -> None:
    """The one list of reversed statuses every rule set reads is the order model's statuses
    less ``booked``."""
    statuses = set(get_args(Order.model_fields["status"].annotation))
    assert set(REVERSED_ORDER_STATUSES) == statuses - {"booked"} == {"cancelled", "refunded"}
