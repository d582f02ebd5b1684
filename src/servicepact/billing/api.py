"""Hours and invoices in the API: log time, approve a person's week, issue and read a month's invoice."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from servicepact.billing.actions import approve_week, delete_time, issue_invoice, log_time
from servicepact.billing.models import Invoice, TimeEntry
from servicepact.billing.queries import work_item
from servicepact.contracts.lookups import visible_contract
from servicepact.contracts.models import Contract
from servicepact.idempotency.keys import idempotent
from servicepact.permissions.billing import (
    can_approve_time,
    can_issue_invoice,
    can_log_time,
    can_read_invoices,
    owns_entry,
)
from servicepact.permissions.declared import allow, holds_a_role, on_object
from servicepact.refusals import ActionRefused
from servicepact.request_bodies import InputSchema

router = Router(tags=["billing"])


class TimeEntryIn(InputSchema):
    day: date
    hours: Decimal = Field(..., gt=0, le=24, max_digits=4, decimal_places=2)
    role: str = Field(..., min_length=1, max_length=64)
    ticket: str | None = Field(
        None,
        max_length=64,
        description="The number of the ticket, problem or change (INC…, PRB…, CHG…); or give `activity`.",
    )
    activity: str = Field("", max_length=200)
    note: str = Field("", max_length=500)


class TimeEntryOut(Schema):
    id: int
    contract: str = Field(..., alias="contract.slug")
    person: str = Field(..., alias="person.email")
    role: str
    day: date
    week: str
    hours: Decimal
    reference: str
    note: str
    created_at: datetime


class WeekIn(InputSchema):
    person: str = Field(..., max_length=254, description="The e-mail of the person whose week is approved.")
    week: str = Field(..., pattern=r"^[0-9]{4}-W[0-9]{2}$")


class WeekOut(Schema):
    person: str = Field(..., alias="person.email")
    week: str
    hours: Decimal
    approved_by: str = Field(..., alias="approved_by.email")
    approved_at: datetime


class MonthIn(InputSchema):
    month: str = Field(..., pattern=r"^[0-9]{4}-[0-9]{2}$")


class InvoiceOut(Schema):
    contract: str = Field(..., alias="contract.slug")
    month: str
    currency: str
    total: Decimal
    report: int = Field(..., alias="report_id")
    issued_by: str = Field(..., alias="issued_by.email")
    issued_at: datetime
    body: dict[str, Any] = Field(..., description="The invoice as the kernel computes it (docs/billing.md).")


def readable_contract(request: HttpRequest, slug: str) -> Contract:
    contract = visible_contract(request, slug)
    if not can_read_invoices(request.auth, contract):
        raise Http404("No such contract.")
    return contract


@router.get(
    "/time-entries", response=list[TimeEntryOut], summary="Time entries you may read", operation_id="list_time_entries"
)
@allow(holds_a_role, "Anyone with a role: one's own entries and those of the contracts whose reports one reads.")
def list_time_entries(request: HttpRequest, week: str | None = None):
    entries = TimeEntry.objects.visible_to(request.auth).select_related(
        "contract", "person", "ticket", "problem", "change"
    )
    if week:
        entries = entries.filter(week=week[:8])
    return entries.order_by("-day", "pk")[:500]


@router.post(
    "/contracts/{slug}/time-entries",
    response={201: TimeEntryOut},
    summary="Log one's hours of a day",
    operation_id="create_time_entry",
)
@on_object("slug", "contract", visible_contract, can_log_time, "The provider's staff of the contract (can_log_time).")
@idempotent
def create_time_entry(request: HttpRequest, contract: Contract, entry: TimeEntryIn):
    item = {}
    if entry.ticket:
        item = work_item(request.auth, entry.ticket)
        if item is None:
            message = "No such ticket, problem or change."
            raise ActionRefused(message, errors={"ticket": [message]})
    logged = log_time(
        actor=request.auth,
        contract=contract,
        day=entry.day,
        hours=entry.hours,
        role=entry.role,
        activity=entry.activity,
        note=entry.note,
        **item,
    )
    return Status(201, logged)


def visible_entry(request: HttpRequest, entry_id: str) -> TimeEntry:
    if not str(entry_id).isascii() or not str(entry_id).isdigit() or len(str(entry_id)) > 18:
        raise Http404("No such time entry.")
    return get_object_or_404(TimeEntry.objects.visible_to(request.auth).select_related("contract"), pk=int(entry_id))


@router.delete(
    "/time-entries/{entry_id}", response={204: None}, summary="Delete one's own hours", operation_id="delete_time_entry"
)
@on_object("entry_id", "entry", visible_entry, owns_entry, "The person who logged them, until their week is approved.")
def delete_time_entry(request: HttpRequest, entry: TimeEntry):
    delete_time(actor=request.auth, entry=entry)
    return Status(204, None)


@router.post(
    "/contracts/{slug}/time-weeks",
    response={201: WeekOut},
    summary="Approve a person's hours of a week",
    operation_id="approve_time_week",
)
@on_object(
    "slug",
    "contract",
    visible_contract,
    can_approve_time,
    "The customer's managers and administrators (can_approve_time).",
)
@idempotent
def approve_time_week(request: HttpRequest, contract: Contract, week: WeekIn):
    entry = (
        TimeEntry.objects.visible_to(request.auth)
        .filter(contract=contract, person__email=week.person)
        .select_related("person")
        .first()
    )
    if entry is None:
        message = f"{week.person} logged no hours on this contract."
        raise ActionRefused(message, errors={"person": [message]})
    return Status(201, approve_week(actor=request.auth, contract=contract, person=entry.person, week=week.week))


@router.get(
    "/contracts/{slug}/invoices",
    response=list[InvoiceOut],
    summary="A contract's invoices",
    operation_id="list_invoices",
)
@on_object("slug", "contract", readable_contract, None, "Those who read the contract's reports.")
def list_invoices(request: HttpRequest, contract: Contract):
    return Invoice.objects.visible_to(request.auth).filter(contract=contract).select_related("contract", "issued_by")


@router.post(
    "/contracts/{slug}/invoices",
    response={201: InvoiceOut},
    summary="Issue the invoice of a month",
    operation_id="issue_invoice",
)
@on_object(
    "slug",
    "contract",
    visible_contract,
    can_issue_invoice,
    "The provider's administrators and analysts (can_issue_invoice).",
)
@idempotent
def issue_month_invoice(request: HttpRequest, contract: Contract, month: MonthIn):
    return Status(201, issue_invoice(actor=request.auth, contract=contract, month=month.month))


@router.get(
    "/contracts/{slug}/invoices/{month}",
    response=InvoiceOut,
    summary="A month's invoice",
    operation_id="get_invoice",
)
@on_object("slug", "contract", readable_contract, None, "Those who read the contract's reports.")
def get_invoice(request: HttpRequest, contract: Contract, month: str):
    return get_object_or_404(
        Invoice.objects.visible_to(request.auth).select_related("contract", "issued_by"),
        contract=contract,
        month=month[:7],
    )
