"""The status of a ticket: moves along the life cycle, resolving, reopening, closing."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from servicepact.accounts.models import User
from servicepact.desk.actions.notices import queue_address, tell, watchers
from servicepact.desk.actions.recording import append, refuse, required_text, ticket_write
from servicepact.desk.models import EventType, Status, Ticket
from servicepact.desk.transitions import check_transition
from servicepact.permissions import can_close, can_reopen, can_work_ticket, speaks_for_customer
from servicepact.surveys.actions import invite


def change_status(ticket: Ticket, *, actor: User, status: str, reason: str = "", at: datetime | None = None) -> Ticket:
    """Move the ticket along the life cycle; ``resolved`` takes the reason as the resolution, and a move
    out of ``resolved`` is a reopen (window and reason apply)."""
    if not can_work_ticket(actor, ticket):
        raise PermissionDenied(_("You may not change the status of this ticket."))
    with ticket_write(ticket, at) as (locked, at):
        if status == Status.RESOLVED:
            _resolve(locked, actor=actor, at=at, resolution=reason)
        elif locked.status == Status.RESOLVED and status in (Status.IN_PROGRESS, Status.ASSIGNED):
            _reopen(locked, actor=actor, at=at, reason=reason, status=status)
        elif status == Status.CLOSED:
            _close(locked, actor=actor, at=at)
        else:
            check_transition(locked.status, status)
            data = {"status": status}
            if (reason or "").strip():
                data["reason"] = reason.strip()
            append(locked, EventType.STATUS, at=at, actor=actor, data=data)
            locked.status = status
    return ticket


def resolve_ticket(ticket: Ticket, *, actor: User, resolution: str, at: datetime | None = None) -> Ticket:
    """Tell the requester the resolution (a public reply) and set the status to ``resolved``."""
    if not can_work_ticket(actor, ticket):
        raise PermissionDenied(_("You may not resolve this ticket."))
    with ticket_write(ticket, at) as (locked, at):
        _resolve(locked, actor=actor, at=at, resolution=resolution)
    return ticket


def reopen_ticket(ticket: Ticket, *, actor: User, reason: str, at: datetime | None = None) -> Ticket:
    """Reopen a resolved ticket within the reopen window; it goes back to whoever worked it."""
    if not can_reopen(actor, ticket):
        raise PermissionDenied(_("You may not reopen this ticket."))
    with ticket_write(ticket, at) as (locked, at):
        _reopen(locked, actor=actor, at=at, reason=reason, status=None)
    return ticket


def close_ticket(ticket: Ticket, *, actor: User, at: datetime | None = None) -> Ticket:
    """Close a resolved ticket for good."""
    if not can_close(actor, ticket):
        raise PermissionDenied(_("You may not close this ticket."))
    with ticket_write(ticket, at) as (locked, at):
        _close(locked, actor=actor, at=at)
    return ticket


def open_fulfilment_tasks(ticket: Ticket) -> list[str]:
    """The titles of a service request's fulfilment tasks not yet done: none for an incident."""
    request = getattr(ticket, "service_request", None)  # the request catalogue's record of the ticket, if any
    if request is None:
        return []
    return list(request.tasks.filter(done_at__isnull=True).order_by("position").values_list("title", flat=True))


def _resolve(ticket: Ticket, *, actor: User, at: datetime, resolution: str) -> None:
    text = required_text(resolution, "resolution")
    check_transition(ticket.status, Status.RESOLVED)
    # A service request is resolved once its fulfilment tasks are done, whichever form resolves it.
    if remaining := open_fulfilment_tasks(ticket):
        refuse(_("Tasks still open: %(tasks)s.") % {"tasks": ", ".join(remaining)}, "tasks", 409)
    # Resolved by one of the customer's own teams, the resolution is the customer's message, not a response.
    from_customer = speaks_for_customer(actor, ticket)
    append(
        ticket,
        EventType.REPLIED,
        at=at,
        actor=actor,
        data={"body": text, "from_customer": from_customer, "resolution": True},
    )
    if ticket.responded_at is None and not from_customer:
        ticket.responded_at = at
    append(ticket, EventType.STATUS, at=at, actor=actor, data={"status": Status.RESOLVED})
    ticket.status = Status.RESOLVED
    ticket.resolved_at = at
    tell(
        ticket,
        recipients=[ticket.requester, *watchers(ticket)],
        actor=actor,
        at=at,
        what=pgettext_lazy("ticket notice", "resolved"),
        body=text,
    )
    invite(ticket, at=at)


def _reopen(ticket: Ticket, *, actor: User, at: datetime, reason: str, status: str | None) -> None:
    text = required_text(reason, "reason")
    if ticket.status != Status.RESOLVED:
        refuse(
            _("Only a resolved ticket can be reopened; this one is %(status)s.") % {"status": ticket.status},
            "status",
            409,
        )
    hours = settings.SERVICEPACT_REOPEN_WINDOW_HOURS
    if ticket.resolved_at is not None and at > ticket.resolved_at + timedelta(hours=hours):
        refuse(
            _("The reopen window of %(hours)d hours after resolution (%(resolved)s) has passed; open a new ticket.")
            % {"hours": hours, "resolved": ticket.resolved_at.isoformat()},
            "status",
            409,
        )
    # Back to the person who worked it, else to the queue that held it.
    target = status or (Status.IN_PROGRESS if ticket.assignee_id else Status.ASSIGNED)
    check_transition(ticket.status, target)
    append(ticket, EventType.STATUS, at=at, actor=actor, data={"status": target, "reason": text, "reopen": True})
    ticket.status = target
    ticket.resolved_at = None
    ticket.reopen_count += 1
    tell(
        ticket,
        recipients=[ticket.assignee, queue_address(ticket)],
        actor=actor,
        at=at,
        what=pgettext_lazy("ticket notice", "reopened"),
        body=text,
    )


def _close(ticket: Ticket, *, actor: User, at: datetime) -> None:
    check_transition(ticket.status, Status.CLOSED)
    append(ticket, EventType.STATUS, at=at, actor=actor, data={"status": Status.CLOSED})
    ticket.status = Status.CLOSED
    ticket.closed_at = at
