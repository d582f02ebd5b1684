"""Major incidents in the API: reading them, declaring one, updates to the customer, resolving, the review.

Reading is for the contract's readers; declaring and running one for the provider's team leads and
administrators. Another tenant's major incident is not found (404).
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from servicepact.contracts.models import Contract, Service
from servicepact.desk.models import Ticket
from servicepact.idempotency.keys import idempotent
from servicepact.major_incidents import actions
from servicepact.major_incidents.models import CommunicationUpdate, MajorIncident, PostIncidentReview
from servicepact.permissions.declared import allow, holds_a_role, on_object
from servicepact.permissions.major_incidents import can_declare_major_incident, can_run_major_incident
from servicepact.refusals import ActionRefused
from servicepact.request_bodies import InputSchema

router = Router(tags=["major incidents"])


class UpdateOut(Schema):
    at: datetime
    text: str
    next_update_at: datetime | None
    recipients: int

    @staticmethod
    def resolve_recipients(obj) -> int:
        return len(obj.recipients)


class ReviewOut(Schema):
    timeline: str
    cause: str
    actions: str
    written_at: datetime


class MajorOut(Schema):
    id: int
    number: str
    contract: str = Field(..., alias="contract.slug")
    title: str
    summary: str
    status: str
    started_at: datetime
    declared_at: datetime
    resolved_at: datetime | None
    resolution: str
    next_update_due: datetime | None
    outage_reference: str
    services: list[str]
    incidents: list[str]

    @staticmethod
    def resolve_services(obj, context) -> list[str]:
        services = Service.objects.visible_to(context["request"].auth).filter(major_incidents=obj)
        return list(services.values_list("key", flat=True))

    @staticmethod
    def resolve_incidents(obj, context) -> list[str]:
        tickets = Ticket.objects.visible_to(context["request"].auth).filter(major_incidents=obj)
        return list(tickets.values_list("number", flat=True))


class MajorDetailOut(MajorOut):
    updates: list[UpdateOut]
    review: ReviewOut | None

    @staticmethod
    def resolve_updates(obj, context) -> list:
        return list(CommunicationUpdate.objects.visible_to(context["request"].auth).filter(major_incident=obj))

    @staticmethod
    def resolve_review(obj, context):
        return PostIncidentReview.objects.visible_to(context["request"].auth).filter(major_incident=obj).first()


class DeclareIn(InputSchema):
    contract: str
    title: str
    services: list[str]
    started_at: datetime | None = None
    summary: str = ""
    incidents: list[str] = Field(default_factory=list)
    update_interval_minutes: int = 60


class UpdateIn(InputSchema):
    text: str
    next_update_minutes: int | None = None


class ServicesIn(InputSchema):
    services: list[str]


class MajorIncidentTicketsIn(InputSchema):
    incidents: list[str]


class MajorIncidentResolveIn(InputSchema):
    resolution: str
    ended_at: datetime | None = None


class ReviewIn(InputSchema):
    timeline: str
    cause: str
    actions: str


def visible_major(request: HttpRequest, major_id: str) -> MajorIncident:
    if not str(major_id).isascii() or not str(major_id).isdigit() or len(str(major_id)) > 18:
        raise Http404("No such major incident.")
    rows = MajorIncident.objects.visible_to(request.auth).select_related("contract")
    return get_object_or_404(rows, pk=int(major_id))


def _found(rows, key: str, values: list[str], field: str) -> list:
    found = {getattr(row, key): row for row in rows.filter(**{f"{key}__in": values})}
    missing = [value for value in values if value not in found]
    if missing:
        message = f"Not found: {', '.join(missing)}."
        raise ActionRefused(message, errors={field: [message]})
    return [found[value] for value in dict.fromkeys(values)]


@router.get(
    "/major-incidents",
    response=list[MajorOut],
    summary="Major incidents you may read",
    operation_id="list_major_incidents",
)
@allow(holds_a_role, "Anyone with a role; the list holds the major incidents of the contracts they read.")
def list_major_incidents(request: HttpRequest):
    rows = MajorIncident.objects.visible_to(request.auth).select_related("contract")
    return rows[:200]


@router.get(
    "/major-incidents/{major_id}",
    response=MajorDetailOut,
    summary="A major incident",
    operation_id="get_major_incident",
)
@on_object("major_id", "major", visible_major, None, "The contract's readers.")
def get_major_incident(request: HttpRequest, major: MajorIncident):
    return major


@router.post(
    "/major-incidents",
    response={201: MajorDetailOut},
    summary="Declare a major incident",
    operation_id="declare_major_incident",
)
@allow(holds_a_role, "The provider's team leads and administrators of the contract (can_declare_major_incident).")
@idempotent
def declare_major_incident(request: HttpRequest, body: DeclareIn):
    contract = Contract.objects.visible_to(request.auth).filter(slug=body.contract).first()
    if contract is None:
        raise ActionRefused(f"No such contract: {body.contract}.", errors={"contract": ["No such contract."]})
    if not can_declare_major_incident(request.auth, contract):
        raise PermissionDenied("You may not declare major incidents on this contract.")
    services = _found(
        Service.objects.visible_to(request.auth).filter(contract=contract), "key", body.services, "services"
    )
    tickets = _found(Ticket.objects.visible_to(request.auth), "number", body.incidents, "incidents")
    major = actions.declare(
        actor=request.auth,
        contract=contract,
        title=body.title,
        services=services,
        started_at=body.started_at,
        summary=body.summary,
        incidents=tickets,
        update_interval_minutes=body.update_interval_minutes,
    )
    return Status(201, major)


@router.post(
    "/major-incidents/{major_id}/updates",
    response={201: UpdateOut},
    summary="Send an update to the customer",
    operation_id="post_major_incident_update",
)
@on_object("major_id", "major", visible_major, can_run_major_incident, "The provider's team leads and administrators.")
@idempotent
def post_major_incident_update(request: HttpRequest, major: MajorIncident, body: UpdateIn):
    return Status(
        201,
        actions.post_update(major, actor=request.auth, text=body.text, next_update_minutes=body.next_update_minutes),
    )


@router.post(
    "/major-incidents/{major_id}/services",
    response=MajorDetailOut,
    summary="Add affected services to a major incident",
    operation_id="add_major_incident_services",
)
@on_object("major_id", "major", visible_major, can_run_major_incident, "The provider's team leads and administrators.")
def add_major_incident_services(request: HttpRequest, major: MajorIncident, body: ServicesIn):
    services = Service.objects.visible_to(request.auth).filter(contract_id=major.contract_id)
    actions.add_services(major, actor=request.auth, services=_found(services, "key", body.services, "services"))
    return major


@router.post(
    "/major-incidents/{major_id}/incidents",
    response=MajorDetailOut,
    summary="Link incidents to a major incident",
    operation_id="link_major_incident_incidents",
)
@on_object("major_id", "major", visible_major, can_run_major_incident, "The provider's team leads and administrators.")
def link_major_incident_incidents(request: HttpRequest, major: MajorIncident, body: MajorIncidentTicketsIn):
    tickets = _found(Ticket.objects.visible_to(request.auth), "number", body.incidents, "incidents")
    actions.link_incidents(major, actor=request.auth, tickets=tickets)
    return major


@router.post(
    "/major-incidents/{major_id}/resolve",
    response=MajorDetailOut,
    summary="Resolve a major incident",
    operation_id="resolve_major_incident",
)
@on_object("major_id", "major", visible_major, can_run_major_incident, "The provider's team leads and administrators.")
def resolve_major_incident(request: HttpRequest, major: MajorIncident, body: MajorIncidentResolveIn):
    return actions.resolve(major, actor=request.auth, resolution=body.resolution, ended_at=body.ended_at)


@router.post(
    "/major-incidents/{major_id}/review",
    response=ReviewOut,
    summary="Write the post-incident review",
    operation_id="review_major_incident",
)
@on_object("major_id", "major", visible_major, can_run_major_incident, "The provider's team leads and administrators.")
def review_major_incident(request: HttpRequest, major: MajorIncident, body: ReviewIn):
    return actions.write_review(major, actor=request.auth, **body.dict())
