"""Messages on a ticket: public replies (the requester sees them) and internal notes (staff only)."""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicepact.accounts.models import User
from servicepact.desk.actions.notices import queue_address, tell, watchers
from servicepact.desk.actions.recording import append, refuse, required_text, ticket_write
from servicepact.desk.models import EventType, Status, Ticket, TicketEvent
from servicepact.desk.transitions import check_transition
from servicepact.permissions import can_reply, can_see_internal, speaks_for_customer

BODY_MAX = 100_000


def reply(ticket: Ticket, *, actor: User, body: str, at: datetime | None = None) -> TicketEvent:
    """A public message. From the provider's side (its staff, other vendors' staff working the ticket) it
    is a response to the requester (the SLA's ``responded``). From any of the customer's people (the
    requester, its managers, and its own resolver teams and administrators too, even when they work the
    ticket) it is the customer's message, which never stops the provider's response clock; a ticket
    waiting on the customer goes back to work."""
    if not can_reply(actor, ticket):
        raise PermissionDenied(_("You may not reply on this ticket."))
    text = required_text(body, "body", BODY_MAX)
    from_customer = speaks_for_customer(actor, ticket)
    with ticket_write(ticket, at) as (locked, at):
        _refuse_if_closed(locked)
        event = append(
            locked, EventType.REPLIED, at=at, actor=actor, data={"body": text, "from_customer": from_customer}
        )
        if not from_customer and locked.responded_at is None:
            locked.responded_at = at
        if from_customer and locked.status == Status.PENDING_CUSTOMER:
            check_transition(locked.status, Status.IN_PROGRESS)
            append(
                locked,
                EventType.STATUS,
                at=at,
                actor=actor,
                data={"status": Status.IN_PROGRESS, "reason": _("The customer answered.")},
            )
            locked.status = Status.IN_PROGRESS
        handlers = [locked.assignee, queue_address(locked)] if from_customer else [locked.requester]
        tell(
            locked,
            recipients=[*handlers, *watchers(locked)],
            actor=actor,
            at=at,
            what=gettext_lazy("new reply"),
            body=text,
        )
    return event


def add_note(ticket: Ticket, *, actor: User, body: str, at: datetime | None = None) -> TicketEvent:
    """An internal note: never shown to the requester or to teams that never held the ticket."""
    if not can_see_internal(actor, ticket):
        raise PermissionDenied(_("You may not add internal notes to this ticket."))
    text = required_text(body, "body", BODY_MAX)
    with ticket_write(ticket, at) as (locked, at):
        _refuse_if_closed(locked)
        event = append(locked, EventType.NOTE, at=at, actor=actor, public=False, data={"body": text})
    return event


def _refuse_if_closed(ticket: Ticket) -> None:
    if ticket.status == Status.CLOSED:
        refuse(_("The ticket is closed; a closed ticket never changes."), "status", 409)
