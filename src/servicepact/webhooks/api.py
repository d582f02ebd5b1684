"""Outgoing webhooks in the API: an organization's endpoints and their delivery log, for its administrators."""

from datetime import datetime

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from servicepact.idempotency.keys import idempotent
from servicepact.permissions.administration import is_administrator
from servicepact.permissions.declared import allow, on_object
from servicepact.permissions.webhooks import can_manage_endpoint
from servicepact.request_bodies import InputSchema
from servicepact.webhooks import actions
from servicepact.webhooks.models import Delivery, Endpoint

router = Router(tags=["webhooks"])


class EndpointOut(Schema):
    id: int
    name: str
    url: str
    events: list[str]
    active: bool
    secret: str = Field(..., description="Signs each payload (docs/webhooks.md).")
    created_at: datetime


class EndpointIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=100)
    url: str = Field(..., min_length=1, max_length=500)
    events: list[str] = Field(..., min_length=1, max_length=20)


class DeliveryOut(Schema):
    id: int
    event: str
    status: str
    tries: int
    response_status: int | None
    last_error: str
    created_at: datetime
    next_attempt_at: datetime
    delivered_at: datetime | None
    payload: dict


def visible_endpoint(request: HttpRequest, endpoint_id: str) -> Endpoint:
    if not str(endpoint_id).isascii() or not str(endpoint_id).isdigit() or len(str(endpoint_id)) > 18:
        raise Http404("No such webhook.")
    return get_object_or_404(Endpoint.objects.visible_to(request.auth), pk=int(endpoint_id))


@router.get(
    "/webhooks", response=list[EndpointOut], summary="Your organization's webhooks", operation_id="list_webhooks"
)
@allow(is_administrator, "Your organization's administrators.")
def list_webhooks(request: HttpRequest):
    return Endpoint.objects.visible_to(request.auth)


@router.post("/webhooks", response={201: EndpointOut}, summary="Add a webhook", operation_id="create_webhook")
@allow(is_administrator, "Your organization's administrators.")
@idempotent
def create_webhook(request: HttpRequest, body: EndpointIn):
    return Status(201, actions.create_endpoint(actor=request.auth, name=body.name, url=body.url, events=body.events))


@router.get(
    "/webhooks/{endpoint_id}/deliveries",
    response=list[DeliveryOut],
    summary="A webhook's delivery log",
    operation_id="list_webhook_deliveries",
)
@on_object("endpoint_id", "endpoint", visible_endpoint, can_manage_endpoint, "The organization's administrators.")
def list_webhook_deliveries(request: HttpRequest, endpoint: Endpoint):
    return Delivery.objects.visible_to(request.auth).filter(endpoint=endpoint)[:200]
