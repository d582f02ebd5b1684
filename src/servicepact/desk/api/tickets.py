"""Reading tickets: the list with filters and cursor pages, one ticket, its events and its clocks."""

from django.http import HttpRequest
from ninja import Query

from servicepact.contracts.models import attach_terms
from servicepact.desk import filters as ticket_filters
from servicepact.desk.api.access import TICKET_RELATIONS, on_ticket
from servicepact.desk.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, TicketOrder, page
from servicepact.desk.api.router import router
from servicepact.desk.api.schemas import (
    EventOut,
    TicketClocksOut,
    TicketDetail,
    TicketDetailOut,
    TicketOut,
    TicketPage,
    VendorTicketDetailOut,
    VendorTicketOut,
)
from servicepact.desk.models import Ticket, TicketEvent
from servicepact.permissions import clock_sight, principal_of
from servicepact.permissions.declared import allow, anyone_signed_in
from servicepact.refusals import ActionRefused
from servicepact.slm.explain import ticket_clocks
from servicepact.slm.models import ClockState


def sees_vendor_view(request: HttpRequest) -> bool:
    who = principal_of(request.auth)
    return who.is_vendor and not who.is_superuser


def ticket_out(request: HttpRequest, ticket: Ticket) -> dict:
    """The ticket in the shape the person may see, as a dict the answer's union recognises by ``view``."""
    schema = VendorTicketDetailOut if sees_vendor_view(request) else TicketDetailOut
    return schema.from_orm(ticket).model_dump()


@router.get("/tickets", response=TicketPage, summary="List tickets", operation_id="list_tickets")
@allow(anyone_signed_in, "Anyone signed in; the list holds only the tickets they may see.")
def list_tickets(
    request: HttpRequest,
    filters: Query[ticket_filters.TicketFilters],
    order: TicketOrder = TicketOrder.DUE,
    cursor: str | None = Query(None, max_length=200, description="The `next` cursor of the previous page."),
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
):
    """The tickets you may see, filtered, one page at a time; follow `next` for the following page."""
    tickets = Ticket.objects.visible_to(request.auth).select_related(*TICKET_RELATIONS)
    tickets = ticket_filters.apply(tickets, filters, request.auth)
    rows, next_cursor = page(tickets, order, cursor, limit)
    attach_terms(row.service for row in rows)
    schema = VendorTicketOut if sees_vendor_view(request) else TicketOut
    next_url = None
    if next_cursor:
        query = request.GET.copy()
        query["cursor"] = next_cursor
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    return {"items": [schema.from_orm(row).model_dump() for row in rows], "next": next_url}


@router.get("/tickets/{number}", response=TicketDetail, summary="Get a ticket", operation_id="get_ticket")
@on_ticket(None, "Anyone who may see the ticket.")
def get_ticket(request: HttpRequest, ticket: Ticket):
    return ticket_out(request, ticket)


@router.get(
    "/tickets/{number}/events",
    response=list[EventOut],
    summary="A ticket's event log",
    operation_id="list_ticket_events",
)
@on_ticket(
    None,
    "Anyone who may see the ticket; internal events only to those who may see internal notes, "
    "warnings about internal clocks only to those who see the clock.",
)
def list_ticket_events(
    request: HttpRequest,
    ticket: Ticket,
    after: int = Query(0, ge=0, description="Only events with a higher sequence number: what is new since then."),
):
    """The ticket's history, oldest first; each event's hash covers the previous one."""
    events = TicketEvent.objects.visible_to(request.auth).filter(ticket=ticket, seq__gt=after)
    return events.select_related("actor").order_by("seq")


@router.get(
    "/tickets/{number}/clocks",
    response=TicketClocksOut,
    summary="A ticket's SLA clocks, explained",
    operation_id="list_ticket_clocks",
)
@on_ticket(None, "Anyone who may see the ticket; internal (OLA, underpinning) clocks only to those who see them.")
def list_ticket_clocks(
    request: HttpRequest,
    ticket: Ticket,
    tz: str | None = Query(None, max_length=64, description="Time zone of the instants; default: yours."),
):
    """Each clock's state now and the stretches of its life (counting, paused, evenings, holidays).

    OLA and underpinning-contract clocks are the provider's and the resolver teams' business: the
    customer's people see them only when the contract discloses them (`disclose_internal_clocks`)."""
    try:
        explained = ticket_clocks(ticket, tz or request.auth.timezone)
    except ValueError as error:
        raise ActionRefused("Unknown time zone.", errors={"tz": [str(error)]}) from None
    sight = clock_sight(request.auth, ticket)
    explained = [clock for clock in explained if sight.shows(clock.clock)]
    stored = ClockState.objects.visible_to(request.auth).filter(ticket=ticket).select_related("team").order_by("id")
    return {"explained": explained, "stored": stored}
