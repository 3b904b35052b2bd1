"""Conduct records (handbook chapters 1, 3, 4, 6.3, 7, 8): outside work, conduct incidents,
promises to customers, complaints, orders, gifts, data accesses, customer assignments,
contracts, contacts, inquiries, visit plans, customer files and market reports.

All ids are text; money is a decimal amount (at most 4 decimal places) with a currency, CNY
unless given.  ``sales_policy.records`` names them among all record types (``RECORD_MODELS``).
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field, model_validator

from .recordbase import (
    Count,
    Currency,
    Flag,
    Identifier,
    Instant,
    LocalDate,
    Money,
    Number,
    Record,
    Text,
    check_interval,
)


class OutsideWork(Record):
    """Work outside the company; undeclared or unapproved is a private side job (1.2)."""

    record_type: ClassVar[str] = "outside_work"
    record_id: Identifier
    employee_id: Identifier
    organisation: Text
    role: Text
    start: LocalDate
    end: LocalDate | None = None
    declared_at: Instant | None = None
    status: Literal["approved", "pending", "rejected", "undeclared"]

    @model_validator(mode="after")
    def _end_after_start(self) -> OutsideWork:
        check_interval(self.start, self.end)
        return self


class ConductIncident(Record):
    """A reported lapse of professional image: dress, speech, manner (8.4)."""

    record_type: ClassVar[str] = "conduct_incident"
    file_names: ClassVar[tuple[str, ...]] = ("conduct_incidents", "incidents")
    record_id: Identifier
    employee_id: Identifier
    at: Instant
    category: Literal["dress", "speech", "manner", "other"]
    description: Text
    reported_by: Text
    substantiated: Flag


class Quote(Record):
    """A promise made to a customer, with the limits it had to respect (4.2, 8.3)."""

    record_type: ClassVar[str] = "quote"
    file_names: ClassVar[tuple[str, ...]] = ("quotes",)
    record_id: Identifier
    employee_id: Identifier
    customer_id: Identifier
    at: Instant
    discount_pct: Number | None = Field(default=None, ge=0)
    max_discount_pct: Number | None = Field(default=None, ge=0)
    delivery_days: Count | None = Field(default=None, ge=0)
    standard_delivery_days: Count | None = Field(default=None, ge=0)
    warranty_months: Count | None = Field(default=None, ge=0)
    standard_warranty_months: Count | None = Field(default=None, ge=0)


class Complaint(Record):
    """A customer complaint about an employee."""

    record_type: ClassVar[str] = "complaint"
    file_names: ClassVar[tuple[str, ...]] = ("complaints",)
    record_id: Identifier
    customer_id: Identifier
    employee_id: Identifier
    at: Instant
    category: Literal["misleading", "false_advertising", "service", "quality", "other"]
    substantiated: Flag


class Order(Record):
    """A sales order; cancelled or refunded orders carry when they were reversed."""

    record_type: ClassVar[str] = "order"
    file_names: ClassVar[tuple[str, ...]] = ("orders",)
    order_id: Identifier
    employee_id: Identifier
    customer_id: Identifier
    booked_at: Instant
    amount: Money
    currency: Currency = "CNY"
    status: Literal["booked", "cancelled", "refunded"]
    reversed_at: Instant | None = None


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
    at: Instant
    approved: Flag


class DataAccess(Record):
    """An access to customer, trade-secret or internal data (4.1, 8.2)."""

    record_type: ClassVar[str] = "data_access"
    file_names: ClassVar[tuple[str, ...]] = ("data_accesses", "data_access_log")
    record_id: Identifier
    employee_id: Identifier
    at: Instant
    customer_id: Identifier | None = None
    data_class: Literal["customer", "trade_secret", "internal"]
    action: Literal["view", "export", "print", "share", "email", "upload"]
    record_count: Count = Field(ge=0)
    destination: Text | None = None
    destination_kind: (
        Literal["internal", "customer", "personal", "external", "competitor"] | None
    ) = None
    approved: Flag


class CustomerAssignment(Record):
    """Which employee looks after a customer, from a date (to a date)."""

    record_type: ClassVar[str] = "customer_assignment"
    file_names: ClassVar[tuple[str, ...]] = ("customer_assignments", "assignments")
    customer_id: Identifier
    employee_id: Identifier
    start: LocalDate
    end: LocalDate | None = None

    @model_validator(mode="after")
    def _end_after_start(self) -> CustomerAssignment:
        check_interval(self.start, self.end)
        return self


class Contract(Record):
    """A signed contract (3.4)."""

    record_type: ClassVar[str] = "contract"
    file_names: ClassVar[tuple[str, ...]] = ("contracts",)
    contract_id: Identifier
    employee_id: Identifier
    customer_id: Identifier
    signed_at: Instant
    amount: Money
    currency: Currency = "CNY"


class CustomerContact(Record):
    """A contact with a customer: phone, e-mail, social media, visit (7.2–7.4)."""

    record_type: ClassVar[str] = "customer_contact"
    file_names: ClassVar[tuple[str, ...]] = ("customer_contacts", "contacts")
    record_id: Identifier
    employee_id: Identifier
    customer_id: Identifier
    at: Instant
    channel: Literal["phone", "email", "social", "visit", "other"]
    purpose: Literal["after_sales", "return_visit", "maintenance", "prospecting", "other"]


class CustomerInquiry(Record):
    """A customer's question or request, and when it was answered (1.1)."""

    record_type: ClassVar[str] = "customer_inquiry"
    file_names: ClassVar[tuple[str, ...]] = ("customer_inquiries", "inquiries")
    record_id: Identifier
    customer_id: Identifier
    employee_id: Identifier
    received_at: Instant
    responded_at: Instant | None = None


class VisitPlan(Record):
    """A planned customer visit (3.2)."""

    record_type: ClassVar[str] = "visit_plan"
    file_names: ClassVar[tuple[str, ...]] = ("visit_plans",)
    record_id: Identifier
    employee_id: Identifier
    customer_id: Identifier
    planned_date: LocalDate


class CustomerProfile(Record):
    """The customer file an employee keeps (7.1)."""

    record_type: ClassVar[str] = "customer_profile"
    file_names: ClassVar[tuple[str, ...]] = ("customer_profiles", "profiles")
    customer_id: Identifier
    employee_id: Identifier
    updated_at: Instant
    name: Text | None = None
    contact: Text | None = None
    needs: Text | None = None


class MarketReport(Record):
    """A report on the market or competitors (1.1, 6.3)."""

    record_type: ClassVar[str] = "market_report"
    file_names: ClassVar[tuple[str, ...]] = ("market_reports",)
    record_id: Identifier
    employee_id: Identifier
    submitted_at: Instant
    topic: Text
