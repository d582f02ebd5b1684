"""Outages in the API: a contract's outages, one outage with its history, recording one and ending it.

Both parties of the contract read its outages; the provider's staff record and end them. A contract or an
outage one may not see is not found (404); one seen but not to be changed is refused (403).
"""

from datetime import datetime

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from servicepact.availability import actions
from servicepact.availability.models import Outage
from servicepact.contracts.lookups import visible_contract
from servicepact.contracts.models import Contract, Service
from servicepact.history.queries import history_of
from servicepact.history.schemas import HistoryEntryOut
from servicepact.idempotency.keys import idempotent
from servicepact.permissions.availability import can_change_outage, can_record_outage, reads_outages
from servicepact.permissions.declared import on_object
from servicepact.refusals import ActionRefused
from servicepact.request_bodies import InputSchema

router = Router(tags=["availability"])
LIST_LIMIT = 500


class OutageOut(Schema):
    id: int
    contract: str = Field(..., alias="contract.slug")
    service: str = Field(..., alias="service.key")
    start: datetime
    end: datetime | None = Field(..., description="Null while the service is down.")
    planned: bool
    reference: str
    description: str
    recorded_by: str = Field(..., alias="recorded_by.email")
    recorded_at: datetime


class OutageDetailOut(OutageOut):
    history: list[HistoryEntryOut]


class RecordIn(InputSchema):
    service: str = Field(..., description="The service's id in the contract, e.g. sap-erp.")
    start: datetime
    end: datetime | None = Field(None, description="Leave out while the service is down.")
    planned: bool = False
    reference: str = Field("", description="The ticket, change or record the outage comes from.")
    description: str = ""


class EndIn(InputSchema):
    end: datetime


class CorrectIn(InputSchema):
    reason: str = Field(..., description="Why the outage is corrected; kept in its history.")
    start: datetime
    end: datetime | None = None
    planned: bool = False
    reference: str = ""
    description: str = ""


def visible_outage(request: HttpRequest, outage_id: str) -> Outage:
    if not str(outage_id).isascii() or not str(outage_id).isdigit() or len(str(outage_id)) > 18:
        raise Http404("No such outage.")
    rows = Outage.objects.visible_to(request.auth).select_related("contract", "service", "recorded_by")
    return get_object_or_404(rows, pk=int(outage_id))


def _detail(request: HttpRequest, outage: Outage) -> Outage:
    outage.history = list(history_of(outage, request.auth))
    return outage


@router.get(
    "/contracts/{slug}/outages",
    response=list[OutageOut],
    summary="A contract's outages, latest first",
    operation_id="list_outages",
)
@on_object("slug", "contract", visible_contract, reads_outages, "Both parties of the contract (reads_outages).")
def list_outages(request: HttpRequest, contract: Contract):
    rows = Outage.objects.visible_to(request.auth).filter(contract=contract)
    return rows.select_related("contract", "service", "recorded_by").order_by("-start", "-pk")[:LIST_LIMIT]


@router.post(
    "/contracts/{slug}/outages",
    response={201: OutageDetailOut},
    summary="Record an outage of a service of the contract",
    operation_id="record_outage",
)
@on_object("slug", "contract", visible_contract, can_record_outage, "The provider's staff (can_record_outage).")
@idempotent
def record_outage(request: HttpRequest, contract: Contract, body: RecordIn):
    service = Service.objects.visible_to(request.auth).filter(contract=contract, key=body.service).first()
    if service is None:
        message = f"No service {body.service!r} in contract {contract.slug}."
        raise ActionRefused(message, errors={"service": [message]})
    outage = actions.record_outage(
        actor=request.auth,
        contract=contract,
        service=service,
        start=body.start,
        end=body.end,
        planned=body.planned,
        reference=body.reference,
        description=body.description,
    )
    return 201, _detail(request, outage)


@router.get(
    "/outages/{outage_id}", response=OutageDetailOut, summary="An outage with its history", operation_id="get_outage"
)
@on_object("outage_id", "outage", visible_outage, None, "Both parties of the outage's contract.")
def get_outage(request: HttpRequest, outage: Outage):
    return _detail(request, outage)


@router.post("/outages/{outage_id}/end", response=OutageDetailOut, summary="End an outage", operation_id="end_outage")
@on_object("outage_id", "outage", visible_outage, can_change_outage, "The provider's staff (can_change_outage).")
def end_outage(request: HttpRequest, outage: Outage, body: EndIn):
    return _detail(request, actions.end_outage(outage, actor=request.auth, end=body.end))


@router.post(
    "/outages/{outage_id}/correct",
    response=OutageDetailOut,
    summary="Correct an outage's times, planned flag, reference or description",
    operation_id="correct_outage",
)
@on_object("outage_id", "outage", visible_outage, can_change_outage, "The provider's staff (can_change_outage).")
def correct_outage(request: HttpRequest, outage: Outage, body: CorrectIn):
    corrected = actions.correct_outage(
        outage,
        actor=request.auth,
        reason=body.reason,
        start=body.start,
        end=body.end,
        planned=body.planned,
        reference=body.reference,
        description=body.description,
    )
    return _detail(request, corrected)
