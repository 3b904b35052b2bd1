"""sales_policy: the salesperson handbook as executable, testable policy.

import sales_policy
policy = sales_policy.load_policy()                 # the handbook's policy
result = policy.check(["punches.csv", "leave_requests.csv"], start, end)
for finding in result:                              # rule, clauses, evidence, sources
    print(finding.rule_id, finding.employee_id, finding.date, finding.message.en)
scores = sales_policy.score(policy, ["orders.csv", "sales_targets.csv"], period="2026-11")
scores.frame                                        # one row per employee: KPI, grade, ...
"""

from __future__ import annotations

from .calendar import Schedule
from .calendar import WorkingCalendar
from .errors import CalendarError
from .errors import ConditionError
from .errors import InputError
from .errors import InvalidArgument
from .errors import PolicyError
from .errors import RuleFileError
from .errors import SalesPolicyError
from .findings import CheckResult
from .findings import Counts
from .findings import Finding
from .policy import Policy
from .policy import load_policy
from .records import CustomerVisit
from .records import Employee
from .records import LeaveRequest
from .records import OvertimeRequest
from .records import Punch
from .records import Record
from .scoring import Breakdown
from .scoring import EmployeeScore
from .scoring import IndicatorScore
from .scoring import Scores
from .scoring import score

__all__ = [
    "Breakdown",
    "CalendarError",
    "CheckResult",
    "ConditionError",
    "Counts",
    "CustomerVisit",
    "Employee",
    "EmployeeScore",
    "Finding",
    "IndicatorScore",
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
    "Scores",
    "WorkingCalendar",
    "load_policy",
    "score",
]
