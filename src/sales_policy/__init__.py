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

from typing import TYPE_CHECKING

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
from .scoring import Breakdown
from .scoring import EmployeeScore
from .scoring import IndicatorScore
from .scoring import Scores
from .scoring import score

# The record models are imported on first use: they import pydantic, which checking files
# does not need (~70 ms of every run; ``recordfields`` has what checking reads of them).
#: the public names ``__getattr__`` imports from ``records`` on first use
_LAZY_NAMES = ("CustomerVisit", "Employee", "LeaveRequest", "OvertimeRequest", "Punch", "Record")

if TYPE_CHECKING:
    from .records import CustomerVisit
    from .records import Employee
    from .records import LeaveRequest
    from .records import OvertimeRequest
    from .records import Punch
    from .records import Record
else:
    # Out of type checkers' sight: a module ``__getattr__`` would make every misspelt
    # attribute of the package pass as ``object``.
    def __getattr__(name: str) -> object:
        if name not in _LAZY_NAMES:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        from . import records

        value = getattr(records, name)
        globals()[name] = value  # later lookups find it without calling this again
        return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY_NAMES})


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
