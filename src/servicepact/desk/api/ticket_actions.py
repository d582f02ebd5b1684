"""Writing tickets: each operation validates its input, names what it refers to, and calls one action.

The actions (``desk/actions``) check the rules again and change nothing when they refuse; the rule
declared here beside each operation is the same predicate, so that a refusal is a 403 before any work.
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import File, Form, Status
from ninja.files import UploadedFile

from servicepact.accounts.models import Team, User
from servicepact.contracts.lookups import seen_contract, seen_service
from servicepact.contracts.models import Contract, Service
from servicepact.desk import actions
from servicepact.desk.api.access import TICKET_RELATIONS, on_ticket
from servicepact.desk.api.router import router
from servicepact.desk.api.schemas import (
    AssigneeIn,
    AssignIn,
    BodyIn,
    CorrectionIn,
    EventOut,
    FieldsIn,
    PriorityIn,
    ReopenIn,
    ResolveIn,
    TicketCreateIn,
    TicketDetail,
    TransitionIn,
    WatcherIn,
)
from servicepact.desk.api.tickets import ticket_out
from servicepact.desk.models import Ticket
from servicepact.idempotency.keys import idempotent
from servicepact.permissions import (
    can_close,
    can_create_ticket,
    can_reopen,
    can_reply,
    can_see_internal,
    can_triage,
    can_work_ticket,
)
from servicepact.permissions.declared import allow, holds_a_role
from servicepact.refusals import ActionRefused

TicketAnswer = TicketDetail


def answer(request: HttpRequest, ticket: Ticket) -> TicketAnswer:
    """The ticket as it is after the action, with the relations the answer shows (as the action left it,
    when the action took it out of the person's sight: someone who stopped watching it)."""
    fresh = Ticket.objects.visible_to(request.auth).select_related(*TICKET_RELATIONS).filter(pk=ticket.pk).first()
    return ticket_out(request, fresh or ticket)


def _value(choice: str | None) -> str | None:
    """The plain string of a choice, as the actions record it in events."""
    return None if choice is None else str(choice)


def _unknown(field: str, what: str, value: str) -> ActionRefused:
    return ActionRefused(f"Unknown {what}.", errors={field: [f"No {what} '{value}'."]})


def _service(user, contract: Contract, key: str) -> Service:
    service = Service.objects.visible_to(user).filter(contract=contract, key=key).first()
    if service is None:
        raise _unknown("service", "service", key)
    return service


def _team(user, slug: str) -> Team:
    team = Team.objects.visible_to(user).filter(slug=slug).first()
    if team is None:
        raise _unknown("team", "team", slug)
    return team


def _person(user, field: str, email: str) -> User:
    person = User.objects.visible_to(user).filter(email=email.strip().lower()).first()
    if person is None:
        raise _unknown(field, "person", email)
    return person


@router.post("/tickets", response={201: TicketAnswer}, summary="Report a ticket", operation_id="create_ticket")
@allow(
    holds_a_role,
    "The contract's customer people with a role, and the provider's agents, team leads and "
    "administrators; checked against the contract as create_ticket does.",
)
@idempotent
def create_ticket(request: HttpRequest, payload: TicketCreateIn):
    """The ticket lands in the provider's service desk queue, pinned to the contract version in force."""
    # The contract and service as the person sees them, kept per process under the generation read with the
    # token (a session's request reads them).
    generation = getattr(request.auth, "cache_generation", None)
    contract = seen_contract(request.auth, payload.contract, generation)
    if contract is None:
        raise _unknown("contract", "contract", payload.contract)
    if not can_create_ticket(request.auth, contract):
        raise PermissionDenied("can_create_ticket")
    service = seen_service(request.auth, contract, payload.service, generation)
    if service is None:
        raise _unknown("service", "service", payload.service)
    ticket = actions.create_ticket(
        actor=request.auth,
        contract=contract,
        service=service,
        title=payload.title,
        impact=_value(payload.impact),
        urgency=_value(payload.urgency),
        description=payload.description,
        kind=_value(payload.kind),
        category=payload.category,
        requester=_person(request.auth, "requester", payload.requester) if payload.requester else None,
        priority=payload.priority,
        priority_reason=payload.priority_reason,
    )
    return Status(201, ticket_out(request, actions.as_written(ticket)))


@router.post(
    "/tickets/{number}/transition",
    response=TicketAnswer,
    summary="Change a ticket's status",
    operation_id="transition_ticket",
)
@on_ticket(can_work_ticket, "The ticket's handlers: the provider's staff, or the staff of the team holding it.")
def transition_ticket(request: HttpRequest, ticket: Ticket, payload: TransitionIn):
    ticket = actions.change_status(ticket, actor=request.auth, status=_value(payload.status), reason=payload.reason)
    return answer(request, ticket)


@router.post(
    "/tickets/{number}/reply",
    response={201: EventOut},
    summary="Reply to the requester",
    operation_id="reply_to_ticket",
)
@on_ticket(can_reply, "The ticket's handlers, its requester and the customer's managers.")
@idempotent
def reply_to_ticket(request: HttpRequest, ticket: Ticket, payload: BodyIn):
    """A public message; the first reply of a handler stops the response clock."""
    return Status(201, actions.reply(ticket, actor=request.auth, body=payload.body))


@router.post(
    "/tickets/{number}/note", response={201: EventOut}, summary="Add an internal note", operation_id="add_ticket_note"
)
@on_ticket(can_see_internal, "Those who see internal notes: the provider's staff and staff of teams that held it.")
@idempotent
def add_ticket_note(request: HttpRequest, ticket: Ticket, payload: BodyIn):
    return Status(201, actions.add_note(ticket, actor=request.auth, body=payload.body))


@router.post(
    "/tickets/{number}/assign",
    response=TicketAnswer,
    summary="Assign to a team and person",
    operation_id="assign_ticket",
)
@on_ticket(can_work_ticket, "The ticket's handlers: the provider's staff, or the staff of the team holding it.")
def assign_ticket(request: HttpRequest, ticket: Ticket, payload: AssignIn):
    """Moves the ticket to a team's queue, optionally to a member; taking it from another team needs a reason."""
    team = _team(request.auth, payload.team)
    assignee = _person(request.auth, "assignee", payload.assignee) if payload.assignee else None
    ticket = actions.assign_ticket(ticket, actor=request.auth, team=team, assignee=assignee, reason=payload.reason)
    return answer(request, ticket)


@router.post(
    "/tickets/{number}/route",
    response=TicketAnswer,
    summary="Route by the responsibility matrix",
    operation_id="route_ticket",
)
@on_ticket(can_triage, "The handlers' agents, team leads and administrators.")
def route_ticket(request: HttpRequest, ticket: Ticket):
    return answer(request, actions.route_ticket(ticket, actor=request.auth))


@router.post(
    "/tickets/{number}/priority",
    response=TicketAnswer,
    summary="Change a ticket's priority",
    operation_id="change_ticket_priority",
)
@on_ticket(can_triage, "The handlers' agents, team leads and administrators.")
def change_ticket_priority(request: HttpRequest, ticket: Ticket, payload: PriorityIn):
    """New impact and urgency (priority from the contract's matrix), or a priority given outright; with a reason."""
    ticket = actions.change_priority(
        ticket,
        actor=request.auth,
        reason=payload.reason,
        impact=_value(payload.impact),
        urgency=_value(payload.urgency),
        priority=payload.priority,
    )
    return answer(request, ticket)


@router.post(
    "/tickets/{number}/resolve", response=TicketAnswer, summary="Resolve a ticket", operation_id="resolve_ticket"
)
@on_ticket(can_work_ticket, "The ticket's handlers.")
def resolve_ticket(request: HttpRequest, ticket: Ticket, payload: ResolveIn):
    """The resolution is sent to the requester as a public reply."""
    return answer(request, actions.resolve_ticket(ticket, actor=request.auth, resolution=payload.resolution))


@router.post(
    "/tickets/{number}/reopen", response=TicketAnswer, summary="Reopen a resolved ticket", operation_id="reopen_ticket"
)
@on_ticket(can_reopen, "The ticket's handlers, its requester and the customer's managers, within the reopen window.")
def reopen_ticket(request: HttpRequest, ticket: Ticket, payload: ReopenIn):
    return answer(request, actions.reopen_ticket(ticket, actor=request.auth, reason=payload.reason))


@router.post(
    "/tickets/{number}/close", response=TicketAnswer, summary="Close a resolved ticket", operation_id="close_ticket"
)
@on_ticket(can_close, "The ticket's handlers, or its requester confirming the resolution.")
def close_ticket(request: HttpRequest, ticket: Ticket):
    return answer(request, actions.close_ticket(ticket, actor=request.auth))


@router.post(
    "/tickets/{number}/attachments",
    response={201: EventOut},
    summary="Attach a file",
    operation_id="add_ticket_attachment",
)
@on_ticket(can_reply, "Those who may reply; a private attachment only those who may see internal notes.")
@idempotent
def add_ticket_attachment(request: HttpRequest, ticket: Ticket, upload: File[UploadedFile], public: Form[bool] = True):
    """multipart/form-data with `upload` and `public`; size and content type are limited by the settings."""
    return Status(201, actions.add_attachment(ticket, actor=request.auth, upload=upload, public=public))


@router.patch(
    "/tickets/{number}",
    response=TicketAnswer,
    summary="Edit a ticket's title or description",
    operation_id="update_ticket",
)
@on_ticket(can_work_ticket, "The ticket's handlers.")
def update_ticket(request: HttpRequest, ticket: Ticket, payload: FieldsIn):
    """Only the fields sent change; each change is recorded as an event. The service and category are
    corrected with a reason through POST /tickets/{number}/correction; sent here, they are refused."""
    corrections = [field for field in ("service", "category") if field in payload.model_fields_set]
    if corrections:
        message = "Correct the service or category with POST /tickets/{number}/correction, which records a reason."
        raise ActionRefused(message, errors={field: [message] for field in corrections})
    ticket = actions.update_fields(ticket, actor=request.auth, title=payload.title, description=payload.description)
    return answer(request, ticket)


@router.post(
    "/tickets/{number}/correction",
    response=TicketAnswer,
    summary="Correct a ticket's service or category",
    operation_id="correct_ticket_classification",
)
@on_ticket(can_triage, "The handlers' agents, team leads and administrators: those who may triage the ticket.")
def correct_ticket_classification(request: HttpRequest, ticket: Ticket, payload: CorrectionIn):
    """What the ticket was about all along, with a reason: a `corrected` event with the old and new values.
    The SLA clocks follow the corrected service and category for the ticket's whole life; the event log
    export carries the correction, and the `created` event stays as it was recorded."""
    service = _service(request.auth, ticket.contract, payload.service) if payload.service is not None else None
    category = (payload.category or "") if "category" in payload.model_fields_set else None
    ticket = actions.correct_classification(
        ticket, actor=request.auth, service=service, category=category, reason=payload.reason
    )
    return answer(request, ticket)


@router.post(
    "/tickets/{number}/assignee",
    response=TicketAnswer,
    summary="Set who in the team works the ticket",
    operation_id="set_ticket_assignee",
)
@on_ticket(can_work_ticket, "The ticket's handlers.")
def set_ticket_assignee(request: HttpRequest, ticket: Ticket, payload: AssigneeIn):
    assignee = _person(request.auth, "assignee", payload.assignee) if payload.assignee else None
    return answer(request, actions.set_assignee(ticket, actor=request.auth, assignee=assignee))


@router.post(
    "/tickets/{number}/watchers", response=TicketAnswer, summary="Follow a ticket", operation_id="add_ticket_watcher"
)
@on_ticket(None, "Anyone who sees the ticket, for themselves; the handlers for others (checked by the action).")
def add_ticket_watcher(request: HttpRequest, ticket: Ticket, payload: WatcherIn):
    watcher = _person(request.auth, "user", payload.user)
    return answer(request, actions.add_watcher(ticket, actor=request.auth, user=watcher))


@router.delete(
    "/tickets/{number}/watchers/{user_id}",
    response=TicketAnswer,
    summary="Stop following a ticket",
    operation_id="remove_ticket_watcher",
)
@on_ticket(None, "Anyone who sees the ticket, for themselves; the handlers for others (checked by the action).")
def remove_ticket_watcher(request: HttpRequest, ticket: Ticket, user_id: int):
    watcher = User.objects.visible_to(request.auth).filter(pk=user_id).first()
    if watcher is None:
        raise _unknown("user", "person", str(user_id))
    return answer(request, actions.remove_watcher(ticket, actor=request.auth, user=watcher))
