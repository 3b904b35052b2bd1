"""The customer-care fact tables (handbook 1.1, 3.2, 3.5, 6.3, 7.1–7.4), column by column;
:mod:`.customer_care` derives them from the records.  See docs/rulesets/customer_care.md.

Three tables hold a window that opens with an event: a follow-up due after a contract, an
answer due after an inquiry, a visit due around a planned date.  Each row says whether the
obligation was met and whether its window had closed by the end of the period; a window still
open and not yet met is pending, not a violation.  With ``working_days_only`` (the default)
the windows count the working days of the policy's calendar (:mod:`.worktime`).  Two tables
are a state as of the period's end (customers assigned and not contacted, customer files
kept), one is per month (market reports).
"""

from __future__ import annotations

from .monthshare import SHARE, SHARE_PLACES, share_columns
from .schema import fact_table

CONTRACT_FOLLOW_UP = fact_table(
    "contract_follow_up",
    "event",
    "One row per contract whose local signing date is in the evaluation period; date is that "
    "date.  With duties_end_at_leaving, none whose due_on is after the employee's left_on.",
    ("contract_id", "str", "the contract"),
    ("customer_id", "str", "the customer who signed"),
    ("signed_at", "datetime", "when it was signed"),
    (
        "due_on",
        "date",
        "the last local date a follow-up counts: the follow_up_days-th working day after the "
        "signing date (with working_days_only; else the signing date + follow_up_days; the "
        "signing date itself for 0); null when it lies beyond the calendar's data",
    ),
    (
        "followed_up_at",
        "datetime",
        "the first customer_contact of the employee with the customer, or customer_visit of "
        "theirs to the customer (its start), at or after signing, dated on or before due_on "
        "and the period's end; null if none",
    ),
    ("followed_up", "bool", "followed_up_at is set"),
    (
        "window_closed",
        "bool",
        "due_on is on or before the last date of the period (false while due_on is null)",
    ),
    ("contract_ref", "ref", "the input row of the contract"),
    ("contact_ref", "ref", "the input row of the follow-up contact or visit"),
    params={
        **{
            name: ("due_on", "followed_up_at", "followed_up", "window_closed", "contact_ref")
            for name in ("follow_up_days", "working_days_only")
        },
        "duties_end_at_leaving": ("contract_ref",),  # the rows themselves
    },
)

INQUIRY_RESPONSE = fact_table(
    "inquiry_response",
    "event",
    "One row per customer inquiry whose local date of receipt is in the evaluation period; "
    "date is that date.  With duties_end_at_leaving, none whose due_at's local date is after "
    "the employee's left_on.",
    ("record_id", "str", "the inquiry"),
    ("customer_id", "str", "the customer who asked"),
    ("received_at", "datetime", "when it was received"),
    ("responded_at", "datetime", "when it was answered, as recorded; null if not (yet)"),
    (
        "due_at",
        "datetime",
        "received_at + response_hours; with working_days_only, hours of working days only (an "
        "inquiry received on a day off is timed from the start of the next working day), and "
        "null when the time runs beyond the calendar's data",
    ),
    (
        "response_minutes",
        "int",
        "whole minutes (rounded up) from receipt to the answer, counted as response_hours is "
        "(with working_days_only, minutes of working days only); 0 for an answer recorded "
        "before receipt; null without an answer, or one beyond the calendar's data",
    ),
    (
        "answered_in_time",
        "bool",
        "answered at or before due_at, and on or before the last date of the period",
    ),
    (
        "window_closed",
        "bool",
        "the local date of due_at is on or before the period's last date (false while due_at "
        "is null)",
    ),
    ("inquiry_ref", "ref", "the input row of the inquiry"),
    params={
        "response_hours": ("due_at", "answered_in_time", "window_closed"),
        "working_days_only": ("due_at", "response_minutes", "answered_in_time", "window_closed"),
        "duties_end_at_leaving": ("inquiry_ref",),  # the rows themselves
    },
)

PLANNED_VISIT = fact_table(
    "planned_visit",
    "event",
    "One row per visit_plan record whose planned date is in the evaluation period; date is "
    "the planned date.  With duties_end_at_leaving, none planned after the employee's "
    "left_on.",
    ("record_id", "str", "the plan"),
    ("customer_id", "str", "the customer to be visited"),
    (
        "window_end",
        "date",
        "the plan_tolerance_days-th working day after the planned date (with "
        "working_days_only; else the planned date + plan_tolerance_days); null when it lies "
        "beyond the calendar's data",
    ),
    (
        "visited_on",
        "date",
        "local date of the first visit by the employee to the customer (a customer_visit, or "
        "a customer_contact with channel visit) from plan_tolerance_days (working days with "
        "working_days_only) before the planned date through window_end, on or before the "
        "period's end; null if none",
    ),
    ("visited", "bool", "visited_on is set"),
    (
        "window_closed",
        "bool",
        "window_end is on or before the last date of the period (false while window_end is null)",
    ),
    ("plan_ref", "ref", "the input row of the plan"),
    ("visit_ref", "ref", "the input row of the visit (customer_visit or customer_contact)"),
    params={
        **{
            name: ("window_end", "visited_on", "visited", "window_closed", "visit_ref")
            for name in ("plan_tolerance_days", "working_days_only")
        },
        "duties_end_at_leaving": ("plan_ref",),  # the rows themselves
    },
)

CUSTOMER_REVISIT = fact_table(
    "customer_revisit",
    "event",
    "One row per employee employed at the period's end (hired_on to left_on) and customer "
    "assigned to them then (an assignment covers its last date); date is the period's last "
    "date.",
    ("customer_id", "str", "the customer"),
    (
        "assigned_since",
        "date",
        "first date of the unbroken run of assignments that covers the period's end, or the "
        "employee's hired_on when that is later",
    ),
    (
        "has_purchase",
        "bool",
        "the customer has an order not cancelled or refunded (any order with "
        "reversed_order_is_purchase) or a contract, with any employee, dated on or before the "
        "period's end",
    ),
    (
        "last_contact_on",
        "date",
        "local date of the employee's last customer_contact or customer_visit with the "
        "customer on or before the period's end; null if none",
    ),
    (
        "days_without_contact",
        "int",
        "days from the later of assigned_since and last_contact_on to the period's last date",
    ),
    ("assignment_ref", "ref", "the input row of the assignment covering the period's end"),
    ("contact_ref", "ref", "the input row of the last contact or visit"),
    params={"reversed_order_is_purchase": ("has_purchase",)},
    as_of_end=True,
)

CUSTOMER_FILE = fact_table(
    "customer_file",
    "event",
    "One row per customer profile kept by an employee employed at the period's end (customer "
    "and employee): its latest version updated on or before the period's end; date is the "
    "period's last date.",
    ("customer_id", "str", "the customer"),
    ("updated_at", "datetime", "when this version was written"),
    (
        "has_purchase",
        "bool",
        "the customer has an order not cancelled or refunded (any order with "
        "reversed_order_is_purchase) or a contract, with any employee, dated on or before the "
        "period's end",
    ),
    ("missing_fields", "str_list", "which of name, contact and needs are empty, in that order"),
    ("missing_count", "int", "how many of them"),
    ("profile_ref", "ref", "the input row of this version"),
    params={"reversed_order_is_purchase": ("has_purchase",)},
    as_of_end=True,
)

MARKET_REPORT_MONTH = fact_table(
    "market_report_month",
    "month",
    "One row per employee and calendar month with days in the evaluation period in which the "
    "employee was active: employed on a day of it per their employee record, or, without an "
    "employee record, with a record of any type dated in it.  Derived only when there is at "
    "least one market_report record.",
    ("active_by", "str", "'employment' (employee record) or 'records' (no employee record)"),
    *share_columns("market_report_min_share 0", active=True),
    (
        "market_reports",
        "int",
        "market reports submitted in the month (local date), on or before the period's end",
    ),
    ("month_closed", "bool", "the month's last day is on or before the period's last date"),
    ("report_refs", "ref_list", "the input rows of those reports"),
    # with market_report_min_share 0 the calendar is not read: the share is not counted
    params={
        "market_report_min_share": (
            "employed_working_days",
            "month_working_days",
            "employed_share",
        )
    },
    places={SHARE: SHARE_PLACES},
)
