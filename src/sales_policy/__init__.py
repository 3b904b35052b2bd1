"""sales_policy: the salesperson handbook as executable, testable policy.

import sales_policy
policy = sales_policy.load_policy()                 # the handbook's policy
result = policy.check(["punches.csv", "leave_requests.csv"], start, end)
for finding in result:                              # rule, clauses, evidence, sources
    print(finding.rule_id, finding.employee_id, finding.date, finding.message.en)
"""

from __future__ import annotations

from .calendar import Schedule, WorkingCalendar
from .errors import (
    CalendarError,
    ConditionError,
    InputError,
    InvalidArgument,
    PolicyError,
    RuleFileError,
    SalesPolicyError,
)
from .findings import CheckResult, Counts, Finding
from .policy import Policy, load_policy
from .records import CustomerVisit, Employee, LeaveRequest, OvertimeRequest, Punch, Record

__all__ = [
    "CalendarError",
    "CheckResult",
    "ConditionError",
    "Counts",
    "CustomerVisit",
    "Employee",
    "Finding",
    "InputError",
    "InvalidArgument",
    "LeaveRequest",
    "OvertimeRequest",
    "Policy",
    "PolicyError",
    "Punch",
    "Record",
    "RuleFileError",
    "SalesPolicyError",
    "Schedule",
    "WorkingCalendar",
    "load_policy",
]
