"""Record types: what happened, as the HR systems export it.

One pydantic model per record type.  The models are the single source of truth for field
names and types: the columnar schema used for files (``sales_policy.recordschema``, shipped
as the snapshot ``sales_policy.recordfields`` reads, so that checking files need not import
pydantic), the JSON Schema the CLI exports and the hypothesis strategies in
``sales_policy.testing`` are all derived from them.

The attendance records (employees, punches, leave and overtime requests, customer visits)
and the assessment records (targets, surveys, trainings) are here, the conduct records in
``sales_policy.conductrecords``, and what every record is made of (the base ``Record``, the
kinds of field values) in ``sales_policy.recordbase``; ``RECORD_MODELS`` names them all.

Timestamps may be naive: a naive timestamp is read in the employee's timezone (the employee
record's ``timezone``, else the policy's) when the records are turned into tables.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import Field, StringConstraints, field_validator, model_validator

from .conductrecords import (
    Complaint,
    ConductIncident,
    Contract,
    CustomerAssignment,
    CustomerContact,
    CustomerInquiry,
    CustomerProfile,
    DataAccess,
    Gift,
    MarketReport,
    Order,
    OutsideWork,
    Quote,
    VisitPlan,
)
from .recordbase import (
    Count,
    Currency,
    Identifier,
    Instant,
    LocalDate,
    Money,
    Number,
    Text,
    check_interval,
)
from .recordbase import Record as Record  # public here too: sales_policy.records.Record
from .zones import is_known_timezone

Direction = Literal["in", "out"]
PunchSource = Literal["office", "mobile", "field"]
RequestStatus = Literal["approved", "pending", "rejected", "cancelled"]


class Employee(Record):
    """A salesperson.  Without ``hired_on``/``left_on`` they count as employed throughout."""

    record_type: ClassVar[str] = "employee"
    file_names: ClassVar[tuple[str, ...]] = ("employees",)
    employee_id: Identifier
    name: Text
    hired_on: LocalDate | None = None
    left_on: LocalDate | None = None
    timezone: Identifier | None = None
    supervisor_id: Identifier | None = None
    team: Text | None = None

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str | None) -> str | None:
        if value is not None and not is_known_timezone(value):
            raise ValueError(
                f"unknown timezone {value!r} (expected an IANA name like Asia/Shanghai)"
            )
        return value

    @model_validator(mode="after")
    def _dates_in_order(self) -> Employee:
        if self.hired_on and self.left_on and self.left_on < self.hired_on:
            raise ValueError(f"left_on {self.left_on} is before hired_on {self.hired_on}")
        return self


class Punch(Record):
    """A clock punch.  ``direction`` absent means the clock does not say in or out."""

    record_type: ClassVar[str] = "punch"
    file_names: ClassVar[tuple[str, ...]] = ("punches",)
    employee_id: Identifier
    at: Instant
    direction: Direction | None = None
    source: PunchSource | None = None
    record_id: Identifier | None = None


class _Request(Record):
    request_id: Identifier
    employee_id: Identifier
    start: Instant
    end: Instant
    submitted_at: Instant
    status: RequestStatus
    decided_at: Instant | None = None

    @model_validator(mode="after")
    def _end_after_start(self) -> _Request:
        check_interval(self.start, self.end)
        return self


class LeaveRequest(_Request):
    """A request for leave; only ``approved`` ones excuse absence (handbook 8.1)."""

    record_type: ClassVar[str] = "leave_request"
    file_names: ClassVar[tuple[str, ...]] = ("leave_requests", "leaves")
    leave_type: Text


class OvertimeRequest(_Request):
    """A request to work overtime; handbook 1.2 wants it approved in advance."""

    record_type: ClassVar[str] = "overtime_request"
    file_names: ClassVar[tuple[str, ...]] = ("overtime_requests", "overtime")


class CustomerVisit(Record):
    """A customer visit: presence evidence away from the office."""

    record_type: ClassVar[str] = "customer_visit"
    file_names: ClassVar[tuple[str, ...]] = ("customer_visits", "visits")
    employee_id: Identifier
    customer_id: Identifier
    start: Instant
    end: Instant
    record_id: Identifier | None = None

    @model_validator(mode="after")
    def _end_after_start(self) -> CustomerVisit:
        check_interval(self.start, self.end)
        return self


# Assessment records (handbook 5.1, 5.2, 9.1–9.3).
class SalesTarget(Record):
    """An employee's targets for a month."""

    record_type: ClassVar[str] = "sales_target"
    file_names: ClassVar[tuple[str, ...]] = ("sales_targets", "targets")
    employee_id: Identifier
    period: Annotated[str, StringConstraints(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
    sales_amount: Money
    new_customers: Count = Field(ge=0)
    currency: Currency = "CNY"


class SatisfactionSurvey(Record):
    """A customer's satisfaction score for an employee."""

    record_type: ClassVar[str] = "satisfaction_survey"
    file_names: ClassVar[tuple[str, ...]] = ("satisfaction_surveys", "surveys")
    record_id: Identifier
    customer_id: Identifier
    employee_id: Identifier
    at: Instant
    score: Number = Field(ge=0)
    scale_max: Number = Field(default=5, gt=0)

    @model_validator(mode="after")
    def _score_on_scale(self) -> SatisfactionSurvey:
        if self.score > self.scale_max:
            raise ValueError(f"score {self.score} is above scale_max {self.scale_max}")
        return self


class Training(Record):
    """A training course an employee must take (9.3)."""

    record_type: ClassVar[str] = "training"
    file_names: ClassVar[tuple[str, ...]] = ("trainings",)
    record_id: Identifier
    employee_id: Identifier
    course: Text
    required_by: LocalDate | None = None
    completed_at: Instant | None = None


RECORD_MODELS: dict[str, type[Record]] = {
    model.record_type: model
    for model in (
        Employee,
        Punch,
        LeaveRequest,
        OvertimeRequest,
        CustomerVisit,
        OutsideWork,
        ConductIncident,
        Quote,
        Complaint,
        Order,
        Gift,
        DataAccess,
        CustomerAssignment,
        Contract,
        CustomerContact,
        CustomerInquiry,
        VisitPlan,
        CustomerProfile,
        MarketReport,
        SalesTarget,
        SatisfactionSurvey,
        Training,
    )
}
