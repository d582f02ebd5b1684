"""What a ticket is about: priority, title, description; and who follows it (corrections of its service
and category are in ``classification``)."""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from servicepact.accounts.models import User
from servicepact.contracts.actions import kernel_contract
from servicepact.desk.actions.creating import TITLE_MAX
from servicepact.desk.actions.recording import append, refuse, required_text, ticket_write
from servicepact.desk.models import EventType, Impact, Status, Ticket, Urgency
from servicepact.desk.transitions import refuse_if_finished
from servicepact.permissions import can_change_watchers, can_see_ticket, can_triage, can_work_ticket


def change_priority(
    ticket: Ticket,
    *,
    actor: User,
    reason: str,
    impact: str | None = None,
    urgency: str | None = None,
    priority: str | None = None,
    at: datetime | None = None,
) -> Ticket:
    """New impact/urgency (priority from the contract's matrix) or a priority set by hand, with a reason."""
    if not can_triage(actor, ticket):
        raise PermissionDenied(_("You may not change the priority of this ticket."))
    text = required_text(reason, "reason")
    if impact is not None and impact not in Impact.values:
        refuse(
            _("Impact %(value)r is not one of: %(allowed)s.") % {"value": impact, "allowed": ", ".join(Impact.values)},
            "impact",
        )
    if urgency is not None and urgency not in Urgency.values:
        refuse(
            _("Urgency %(value)r is not one of: %(allowed)s.")
            % {"value": urgency, "allowed": ", ".join(Urgency.values)},
            "urgency",
        )
    with ticket_write(ticket, at) as (locked, at):
        refuse_if_finished(locked.status, _("change its priority"))
        terms = kernel_contract(locked.contract_version)
        new_impact = impact or locked.impact
        new_urgency = urgency or locked.urgency
        matrix_priority = terms.priority_for(new_impact, new_urgency)
        if priority is not None and priority not in terms.priorities:
            refuse(
                _("Priority %(value)r is not one of the contract's: %(allowed)s.")
                % {"value": priority, "allowed": ", ".join(terms.priorities)},
                "priority",
            )
        new_priority = priority or matrix_priority
        if (new_impact, new_urgency, new_priority) == (locked.impact, locked.urgency, locked.priority):
            refuse(_("Impact, urgency and priority are already these."), "priority", 409)
        append(
            locked,
            EventType.PRIORITY,
            at=at,
            actor=actor,
            data={
                "priority": new_priority,
                "impact": new_impact,
                "urgency": new_urgency,
                "reason": text,
            },
        )
        locked.impact, locked.urgency, locked.priority = new_impact, new_urgency, new_priority
        locked.priority_overridden = new_priority != matrix_priority
    return ticket


def update_fields(
    ticket: Ticket,
    *,
    actor: User,
    title: str | None = None,
    description: str | None = None,
    at: datetime | None = None,
) -> Ticket:
    """Edit the ticket's title and description; one ``field`` event per changed field, unchanged ones ignored.

    The service and category are not edited here: changing them is a correction with a reason
    (``correct_classification``), which the SLA log carries as its own event.
    """
    if not can_work_ticket(actor, ticket):
        raise PermissionDenied(_("You may not edit this ticket."))
    if title is not None:
        title = required_text(title, "title", TITLE_MAX)
    with ticket_write(ticket, at) as (locked, at):
        if locked.status == Status.CLOSED:
            refuse(_("The ticket is closed; a closed ticket never changes."), "status", 409)
        changes: list[tuple[str, str, str]] = []
        if title is not None and title != locked.title:
            changes.append(("title", locked.title, title))
        if description is not None and description != locked.description:
            changes.append(("description", locked.description, description))
        if not changes:
            refuse(_("Nothing to change: the values given are the ticket's already."), "__all__", 409)
        for field, old, new in changes:
            append(locked, EventType.FIELD, at=at, actor=actor, data={"field": field, "old": old, "new": new})
            setattr(locked, field, new)
    return ticket


def add_watcher(ticket: Ticket, *, actor: User, user: User, at: datetime | None = None) -> Ticket:
    """``user`` follows the ticket (is told of its changes); they must be able to see it."""
    return _change_watcher(ticket, actor=actor, user=user, at=at, adding=True)


def remove_watcher(ticket: Ticket, *, actor: User, user: User, at: datetime | None = None) -> Ticket:
    return _change_watcher(ticket, actor=actor, user=user, at=at, adding=False)


def _change_watcher(ticket: Ticket, *, actor: User, user: User, at: datetime | None, adding: bool) -> Ticket:
    if not can_change_watchers(actor, ticket, user):
        raise PermissionDenied(_("You may not change who follows this ticket."))
    if adding and not can_see_ticket(user, ticket):
        refuse(_("%(email)s may not see this ticket, so cannot follow it.") % {"email": user.email}, "user")
    with ticket_write(ticket, at) as (locked, at):
        watching = locked.watchers.filter(pk=user.pk).exists()
        if adding and watching:
            refuse(_("%(email)s already follows this ticket.") % {"email": user.email}, "user", 409)
        if not adding and not watching:
            refuse(_("%(email)s does not follow this ticket.") % {"email": user.email}, "user", 409)
        append(
            locked,
            EventType.WATCHER,
            at=at,
            actor=actor,
            public=False,
            data={"watcher": user.email, "change": "added" if adding else "removed"},
        )
        if adding:
            locked.watchers.add(user)
        else:
            locked.watchers.remove(user)
    return ticket
