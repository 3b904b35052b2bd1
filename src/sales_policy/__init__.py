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

import importlib
from typing import TYPE_CHECKING

from .errors import CalendarError
from .errors import ConditionError
from .errors import InputError
from .errors import InvalidArgument
from .errors import PolicyError
from .errors import RuleFileError
from .errors import SalesPolicyError

# Everything but the errors is imported on first use: ``import sales_policy`` then costs next
# to nothing, the record models' pydantic is not imported by a check of files (~70 ms), and
# the command (``sales_policy.console``) can set up the process before polars is loaded.
#: the public names ``__getattr__`` imports on first use, and the module of each
_LAZY_NAMES = {
    "Breakdown": "scores",
    "CheckResult": "findings",
    "Counts": "findings",
    "CustomerVisit": "records",
    "Employee": "records",
    "EmployeeScore": "scores",
    "Finding": "findings",
    "IndicatorScore": "scores",
    "LeaveRequest": "records",
    "Note": "findings",
    "OvertimeRequest": "records",
    "Policy": "policy",
    "Punch": "records",
    "Reason": "rejecttext",
    "Record": "records",
    "Rejection": "rejecttext",
    "Schedule": "calendar",
    "Scores": "scores",
    "WorkingCalendar": "calendar",
    "load_policy": "policy",
    "score": "scoring",
}

if TYPE_CHECKING:
    from .calendar import Schedule
    from .calendar import WorkingCalendar
    from .findings import CheckResult
    from .findings import Counts
    from .findings import Finding
    from .findings import Note
    from .policy import Policy
    from .policy import load_policy
    from .records import CustomerVisit
    from .records import Employee
    from .records import LeaveRequest
    from .records import OvertimeRequest
    from .records import Punch
    from .records import Record
    from .rejecttext import Reason
    from .rejecttext import Rejection
    from .scores import Breakdown
    from .scores import EmployeeScore
    from .scores import IndicatorScore
    from .scores import Scores
    from .scoring import score
else:
    # Out of type checkers' sight: a module ``__getattr__`` would make every misspelt
    # attribute of the package pass as ``object``.
    def __getattr__(name: str) -> object:
        if name not in _LAZY_NAMES:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        module = importlib.import_module(f".{_LAZY_NAMES[name]}", __name__)
        value = getattr(module, name)
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
    "Note",
    "OvertimeRequest",
    "Policy",
    "PolicyError",
    "Punch",
    "Reason",
    "Record",
    "Rejection",
    "RuleFileError",
    "SalesPolicyError",
    "Schedule",
    "Scores",
    "WorkingCalendar",
    "load_policy",
    "score",
]
