"""Record types: what happened, as the HR systems export it.

One pydantic model per record type.  The models are the single source of truth for field
names and types: the columnar schema used for files (``sales_policy.recordschema``, shipped
as the snapshot ``sales_policy.recordfields`` reads, so that checking files need not import
pydantic), the JSON Schema the CLI exports and the hypothesis strategies in
``sales_policy.testing`` are all derived from them.

Timestamps may be naive: a naive timestamp is read in the employee's timezone (the employee
record's ``timezone``, else the policy's) when the records are turned into tables.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from .zones import is_known_timezone

Identifier = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=10_000)]

Direction = Literal["in", "out"]
PunchSource = Literal["office", "mobile", "field"]
RequestStatus = Literal["approved", "pending", "rejected", "cancelled"]


class Record(BaseModel):
    """Base of every record model: strict field names, immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
    record_type: ClassVar[str]
    #: file stems that name this type (``punches.csv``), besides ``record_type`` itself
    file_names: ClassVar[tuple[str, ...]] = ()


def _check_interval(start: dt.datetime | dt.date, end: dt.datetime | dt.date | None) -> None:
    if end is None:
        return
    naive_and_aware = (
        isinstance(start, dt.datetime)
        and isinstance(end, dt.datetime)
        and (start.tzinfo is None) != (end.tzinfo is None)
    )
    if naive_and_aware:
        return  # compared once both are resolved to instants, in the tables
    if end <= start if isinstance(start, dt.datetime) else end < start:
        raise ValueError(f"end {end.isoformat()} is not after start {start.isoformat()}")


class Employee(Record):
    """A salesperson.  Without ``hired_on``/``left_on`` they count as employed throughout."""

    record_type: ClassVar[str] = "employee"
    file_names: ClassVar[tuple[str, ...]] = ("employees",)
    employee_id: Identifier
    name: Text
    hired_on: dt.date | None = None
    left_on: dt.date | None = None
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
    at: dt.datetime
    direction: Direction | None = None
    source: PunchSource | None = None
    record_id: Identifier | None = None


class _Request(Record):
    request_id: Identifier
    employee_id: Identifier
    start: dt.datetime
    end: dt.datetime
    submitted_at: dt.datetime
    status: RequestStatus
    decided_at: dt.datetime | None = None

    @model_validator(mode="after")
    def _end_after_start(self) -> _Request:
        _check_interval(self.start, self.end)
        return self


class LeaveRequest(_Request):
    """A request for leave; only ``approved`` ones excuse absence (handbook 8.1)."""

    record_type: ClassVar[str] = "leave_request"
    file_names: ClassVar[tuple[str, ...]] = ("leave_requests", "leaves")
    leave_type: Identifier


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
    start: dt.datetime
    end: dt.datetime
    record_id: Identifier | None = None

    @model_validator(mode="after")
    def _end_after_start(self) -> CustomerVisit:
        _check_interval(self.start, self.end)
        return self


# Conduct records (handbook chapters 1, 3, 4, 6.3, 7, 8).  All ids are text; money is a
# decimal amount (at most 4 decimal places) with a currency, CNY unless given.
Money = Annotated[Decimal, Field(ge=0, max_digits=24, decimal_places=4)]
#: a measure: finite (``nan`` and ``inf`` measure nothing, and compare as no limit would)
Number = Annotated[float, Field(allow_inf_nan=False)]
Currency = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Z]{3}$")]


class OutsideWork(Record):
    """Work outside the company; undeclared or unapproved is a private side job (1.2)."""

    record_type: ClassVar[str] = "outside_work"
    record_id: Identifier
    employee_id: Identifier
    organisation: Text
    role: Text
    start: dt.date
    end: dt.date | None = None
    declared_at: dt.datetime | None = None
    status: Literal["approved", "pending", "rejected", "undeclared"]

    @model_validator(mode="after")
    def _end_after_start(self) -> OutsideWork:
        _check_interval(self.start, self.end)
        return self


class ConductIncident(Record):
    """A reported lapse of professional image: dress, speech, manner (8.4)."""

    record_type: ClassVar[str] = "conduct_incident"
    file_names: ClassVar[tuple[str, ...]] = ("conduct_incidents", "incidents")
    record_id: Identifier
    employee_id: Identifier
    at: dt.datetime
    category: Literal["dress", "speech", "manner", "other"]
    description: Text
    reported_by: Identifier
    substantiated: bool


class Quote(Record):
    """A promise made to a customer, with the limits it had to respect (4.2, 8.3)."""

    record_type: ClassVar[str] = "quote"
    file_names: ClassVar[tuple[str, ...]] = ("quotes",)
    record_id: Identifier
    employee_id: Identifier
    customer_id: Identifier
    at: dt.datetime
    discount_pct: Number | None = Field(default=None, ge=0)
    max_discount_pct: Number | None = Field(default=None, ge=0)
    delivery_days: int | None = Field(default=None, ge=0)
    standard_delivery_days: int | None = Field(default=None, ge=0)
    warranty_months: int | None = Field(default=None, ge=0)
    standard_warranty_months: int | None = Field(default=None, ge=0)


class Complaint(Record):
    """A customer complaint about an employee."""

    record_type: ClassVar[str] = "complaint"
    file_names: ClassVar[tuple[str, ...]] = ("complaints",)
    record_id: Identifier
    customer_id: Identifier
    employee_id: Identifier
    at: dt.datetime
    category: Literal["misleading", "false_advertising", "service", "quality", "other"]
    substantiated: bool


class Order(Record):
    """A sales order; cancelled or refunded orders carry when they were reversed."""

    record_type: ClassVar[str] = "order"
    file_names: ClassVar[tuple[str, ...]] = ("orders",)
    order_id: Identifier
    employee_id: Identifier
    customer_id: Identifier
    booked_at: dt.datetime
    amount: Money
    currency: Currency = "CNY"
    status: Literal["booked", "cancelled", "refunded"]
    reversed_at: dt.datetime | None = None


class Gift(Record):
    """A gift given to or received from a counterparty (4.2, 8.3)."""

    record_type: ClassVar[str] = "gift"
    file_names: ClassVar[tuple[str, ...]] = ("gifts",)
    record_id: Identifier
    employee_id: Identifier
    counterparty: Text
    direction: Literal["given", "received"]
    value: Money
    currency: Currency = "CNY"
    at: dt.datetime
    approved: bool


class DataAccess(Record):
    """An access to customer, trade-secret or internal data (4.1, 8.2)."""

    record_type: ClassVar[str] = "data_access"
    file_names: ClassVar[tuple[str, ...]] = ("data_accesses", "data_access_log")
    record_id: Identifier
    employee_id: Identifier
    at: dt.datetime
    customer_id: Identifier | None = None
    data_class: Literal["customer", "trade_secret", "internal"]
    action: Literal["view", "export", "print", "share", "email", "upload"]
    record_count: int = Field(ge=0)
    destination: Text | None = None
    destination_kind: (
        Literal["internal", "customer", "personal", "external", "competitor"] | None
    ) = None
    approved: bool


class CustomerAssignment(Record):
    """Which employee looks after a customer, from a date (to a date)."""

    record_type: ClassVar[str] = "customer_assignment"
    file_names: ClassVar[tuple[str, ...]] = ("customer_assignments", "assignments")
    customer_id: Identifier
    employee_id: Identifier
    start: dt.date
    end: dt.date | None = None

    @model_validator(mode="after")
    def _end_after_start(self) -> CustomerAssignment:
        _check_interval(self.start, self.end)
        return self


class Contract(Record):
    """A signed contract (3.4)."""

    record_type: ClassVar[str] = "contract"
    file_names: ClassVar[tuple[str, ...]] = ("contracts",)
    contract_id: Identifier
    employee_id: Identifier
    customer_id: Identifier
    signed_at: dt.datetime
    amount: Money
    currency: Currency = "CNY"


class CustomerContact(Record):
    """A contact with a customer: phone, e-mail, social media, visit (7.2–7.4)."""

    record_type: ClassVar[str] = "customer_contact"
    file_names: ClassVar[tuple[str, ...]] = ("customer_contacts", "contacts")
    record_id: Identifier
    employee_id: Identifier
    customer_id: Identifier
    at: dt.datetime
    channel: Literal["phone", "email", "social", "visit", "other"]
    purpose: Literal["after_sales", "return_visit", "maintenance", "prospecting", "other"]


class CustomerInquiry(Record):
    """A customer's question or request, and when it was answered (1.1)."""

    record_type: ClassVar[str] = "customer_inquiry"
    file_names: ClassVar[tuple[str, ...]] = ("customer_inquiries", "inquiries")
    record_id: Identifier
    customer_id: Identifier
    employee_id: Identifier
    received_at: dt.datetime
    responded_at: dt.datetime | None = None


class VisitPlan(Record):
    """A planned customer visit (3.2)."""

    record_type: ClassVar[str] = "visit_plan"
    file_names: ClassVar[tuple[str, ...]] = ("visit_plans",)
    record_id: Identifier
    employee_id: Identifier
    customer_id: Identifier
    planned_date: dt.date


class CustomerProfile(Record):
    """The customer file an employee keeps (7.1)."""

    record_type: ClassVar[str] = "customer_profile"
    file_names: ClassVar[tuple[str, ...]] = ("customer_profiles", "profiles")
    customer_id: Identifier
    employee_id: Identifier
    updated_at: dt.datetime
    name: Text | None = None
    contact: Text | None = None
    needs: Text | None = None


class MarketReport(Record):
    """A report on the market or competitors (1.1, 6.3)."""

    record_type: ClassVar[str] = "market_report"
    file_names: ClassVar[tuple[str, ...]] = ("market_reports",)
    record_id: Identifier
    employee_id: Identifier
    submitted_at: dt.datetime
    topic: Text


# Assessment records (handbook 5.1, 5.2, 9.1–9.3).
class SalesTarget(Record):
    """An employee's targets for a month."""

    record_type: ClassVar[str] = "sales_target"
    file_names: ClassVar[tuple[str, ...]] = ("sales_targets", "targets")
    employee_id: Identifier
    period: Annotated[str, StringConstraints(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
    sales_amount: Money
    new_customers: int = Field(ge=0)
    currency: Currency = "CNY"


class SatisfactionSurvey(Record):
    """A customer's satisfaction score for an employee."""

    record_type: ClassVar[str] = "satisfaction_survey"
    file_names: ClassVar[tuple[str, ...]] = ("satisfaction_surveys", "surveys")
    record_id: Identifier
    customer_id: Identifier
    employee_id: Identifier
    at: dt.datetime
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
    required_by: dt.date | None = None
    completed_at: dt.datetime | None = None


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
