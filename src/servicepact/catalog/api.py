"""The request catalogue in the API: a contract's items with their forms, submitting a request, the
approvals waiting for one, the manager's decision, ticking tasks off and resolving a fulfilled request.
Who may do what is declared beside each operation (servicepact/permissions/catalog.py)."""

from datetime import datetime

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from servicepact.catalog import actions, queries
from servicepact.catalog.models import CatalogItem, ItemField, ItemTask, RequestTask, ServiceRequest
from servicepact.contracts.lookups import visible_contract
from servicepact.contracts.models import Contract
from servicepact.idempotency.keys import idempotent
from servicepact.permissions.catalog import (
    can_ask,
    can_decide_request,
    can_fulfil_request,
    can_tick_task,
    reads_catalog,
)
from servicepact.permissions.declared import allow, anyone_signed_in, on_object
from servicepact.request_bodies import InputSchema

router = Router(tags=["catalog"])


class CatalogFieldOut(Schema):
    key: str
    label: str
    label_zh: str
    kind: str = Field(..., description="text, choice, date (YYYY-MM-DD), person (an e-mail address) or yes_no.")
    required: bool
    options: list[str]
    help_text: str


class CatalogItemTaskOut(Schema):
    position: int
    title: str
    title_zh: str
    team: str | None = Field(None, alias="team.slug")


class CatalogItemOut(Schema):
    id: int
    key: str
    contract: str = Field(..., alias="contract.slug")
    name: str
    name_zh: str
    description: str
    description_zh: str
    service: str = Field(..., alias="service.key")
    category: str
    team: str | None = Field(None, alias="team.slug")
    priority: str = Field(..., description="The fixed priority of the contract's matrix a request of it gets.")
    needs_approval: bool
    task_order: str
    active: bool


class CatalogItemDetailOut(CatalogItemOut):
    fields: list[CatalogFieldOut]
    tasks: list[CatalogItemTaskOut]

    @staticmethod
    def resolve_fields(item, context):
        return list(ItemField.objects.visible_to(context["request"].auth).filter(item=item))

    @staticmethod
    def resolve_tasks(item, context):
        return list(ItemTask.objects.visible_to(context["request"].auth).filter(item=item).select_related("team"))


class RequestAnswerOut(Schema):
    key: str
    label: str
    kind: str
    value: str


class ServiceRequestTaskOut(Schema):
    id: int
    position: int
    title: str
    team: str | None = Field(None, alias="team.slug")
    done_at: datetime | None
    done_by: str | None = Field(None, alias="done_by.email")


class ServiceRequestOut(Schema):
    ticket: str = Field(..., alias="ticket.number")
    status: str = Field(..., alias="ticket.status")
    item: str = Field(..., alias="item.key")
    contract: str = Field(..., alias="item.contract.slug")
    answers: list[RequestAnswerOut]
    approval: str = Field(..., description="not_needed, pending, approved or rejected.")
    approver: str | None = Field(None, alias="approver.email")
    decided_at: datetime | None
    decision_reason: str
    task_order: str
    submitted_at: datetime
    tasks: list[ServiceRequestTaskOut]

    @staticmethod
    def resolve_tasks(found, context):
        rows = RequestTask.objects.visible_to(context["request"].auth).filter(request=found)
        return list(rows.select_related("team", "done_by"))


class ServiceRequestIn(InputSchema):
    answers: dict[str, str | bool | None] = Field(
        default_factory=dict, description="Each field's id to its answer; yes/no as true, false, 'yes' or 'no'."
    )


class RequestDecisionIn(InputSchema):
    approve: bool
    reason: str = Field("", description="Required to reject; the requester reads it.")


class RequestResolutionIn(InputSchema):
    resolution: str


def _id(value: str, what: str) -> int:
    if not str(value).isascii() or not str(value).isdigit() or len(str(value)) > 18:
        raise Http404(f"No such {what}.")
    return int(value)


def visible_item(request: HttpRequest, catalog_item_id: str) -> CatalogItem:
    items = CatalogItem.objects.visible_to(request.auth).select_related("contract", "service", "team")
    return get_object_or_404(items, pk=_id(catalog_item_id, "catalogue item"))


def visible_request(request: HttpRequest, request_number: str) -> ServiceRequest:
    if "\x00" in request_number:
        raise Http404("No such request.")
    found = ServiceRequest.objects.visible_to(request.auth).select_related(
        "ticket", "item__contract", "item__team", "approver"
    )
    return get_object_or_404(found, ticket__number=request_number)


def visible_task(request: HttpRequest, request_task_id: str) -> RequestTask:
    tasks = RequestTask.objects.visible_to(request.auth).select_related("request__ticket__contract", "team")
    return get_object_or_404(tasks, pk=_id(request_task_id, "task"))


def _fresh(request: HttpRequest, found: ServiceRequest) -> ServiceRequest:
    """The request as it is now, read again through the access layer after a write."""
    rows = ServiceRequest.objects.visible_to(request.auth).select_related("ticket", "item__contract", "approver")
    return rows.get(pk=found.pk)


@router.get(
    "/contracts/{slug}/catalog",
    response=list[CatalogItemOut],
    summary="A contract's request catalogue",
    operation_id="list_catalog_items",
)
@on_object("slug", "contract", visible_contract, reads_catalog, "People with a role in the customer or the provider.")
def list_catalog_items(request: HttpRequest, contract: Contract, q: str = ""):
    items = CatalogItem.objects.visible_to(request.auth).filter(contract=contract, active=True)
    items = items.select_related("contract", "service", "team")
    return list(queries.search_items(items, q[:200]) if q.strip() else items)


@router.get(
    "/catalog/items/{catalog_item_id}",
    response=CatalogItemDetailOut,
    summary="A catalogue item with its form and tasks",
    operation_id="get_catalog_item",
)
@on_object("catalog_item_id", "item", visible_item, None, "Those who see the contract's catalogue.")
def get_catalog_item(request: HttpRequest, item: CatalogItem):
    return item


@router.post(
    "/catalog/items/{catalog_item_id}/requests",
    response={201: ServiceRequestOut},
    summary="Ask for an item: answers its form; opens a ticket of kind request",
    operation_id="submit_service_request",
)
@on_object("catalog_item_id", "item", visible_item, can_ask, "The people of the contract's customer.")
@idempotent
def submit_service_request(request: HttpRequest, item: CatalogItem, body: ServiceRequestIn):
    submitted = actions.submit_request(item, actor=request.auth, answers=dict(body.answers))
    return Status(201, _fresh(request, submitted))


@router.get(
    "/catalog/approvals",
    response=list[ServiceRequestOut],
    summary="The requests waiting for your approval",
    operation_id="list_request_approvals",
)
@allow(anyone_signed_in, "Anyone signed in; the list holds the requests waiting for them.")
def list_request_approvals(request: HttpRequest):
    return list(queries.waiting_for(request.auth).select_related("item__contract", "approver"))


@router.get(
    "/catalog/requests/{request_number}",
    response=ServiceRequestOut,
    summary="A ticket's service request: answers, approval, tasks",
    operation_id="get_service_request",
)
@on_object("request_number", "found", visible_request, None, "Those who see the ticket, and its approver.")
def get_service_request(request: HttpRequest, found: ServiceRequest):
    return found


@router.post(
    "/catalog/requests/{request_number}/decision",
    response=ServiceRequestOut,
    summary="Approve or reject a request (a rejection needs a reason and closes it)",
    operation_id="decide_service_request",
)
@on_object("request_number", "found", visible_request, can_decide_request, "The requester's manager, while it waits.")
def decide_service_request(request: HttpRequest, found: ServiceRequest, body: RequestDecisionIn):
    actions.decide(found, actor=request.auth, approve=body.approve, reason=body.reason)
    return _fresh(request, found)


@router.post(
    "/catalog/tasks/{request_task_id}/done",
    response=ServiceRequestOut,
    summary="Tick a fulfilment task off",
    operation_id="complete_request_task",
)
@on_object(
    "request_task_id", "task", visible_task, can_tick_task, "Those who work the ticket, or the task's team's staff."
)
def complete_request_task(request: HttpRequest, task: RequestTask):
    actions.complete_task(task, actor=request.auth)
    return _fresh(request, task.request)


@router.post(
    "/catalog/requests/{request_number}/resolve",
    response=ServiceRequestOut,
    summary="Resolve a request whose tasks are all done",
    operation_id="resolve_service_request",
)
@on_object("request_number", "found", visible_request, can_fulfil_request, "Those who work the ticket.")
def resolve_service_request(request: HttpRequest, found: ServiceRequest, body: RequestResolutionIn):
    actions.resolve_request(found, actor=request.auth, resolution=body.resolution)
    return _fresh(request, found)
