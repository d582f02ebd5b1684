"""Correcting what a ticket is about, its service and category, after it was opened.

The service and the category decide which targets and calendars its clocks follow and whether the
contract's measures count it (a category can be excluded from a measure), so changing them is never a
quiet edit: it is a ``corrected`` event with the actor, the reason, and the old and new values, and the
``created`` event stays as it was recorded. The SLA kernel reads a correction as retroactive (the ticket
was about the corrected service all along), whenever it was made, also after the ticket was closed.

Who may: the ticket's handlers who may triage it (``can_triage``): the people who also decide its
priority, the other retroactive fact of a ticket, and who answer for the desk's classification to the
customer. Resolvers, the requester's side and reporting analysts may not: a correction moves a ticket
into or out of the numbers the provider is paid on, so it is made by those accountable for triage, with
a reason both parties read on the ticket (the event is public) and in the exported log.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicepact.accounts.models import User
from servicepact.contracts.actions import kernel_contract
from servicepact.contracts.models import Service
from servicepact.desk.actions.creating import category_problem
from servicepact.desk.actions.notices import Phrase, tell, watchers
from servicepact.desk.actions.recording import append, refuse, required_text, ticket_write
from servicepact.desk.models import EventType, Ticket
from servicepact.permissions import can_triage
from servicepact.refusals import ActionRefused

REASON_MAX = 1000


def correct_classification(
    ticket: Ticket,
    *,
    actor: User,
    reason: str,
    service: Service | None = None,
    category: str | None = None,
    at: datetime | None = None,
) -> Ticket:
    """Correct the ticket's service and/or category (``None``: unchanged; ``category=""`` clears it).

    One ``corrected`` event carries the reason and, per corrected field, ``{"old": ..., "new": ...}``
    (service keys, category keys, "" for no category). Values equal to the ticket's are left out; when
    nothing is left to correct the action is refused (409).
    """
    if not can_triage(actor, ticket):
        raise PermissionDenied(_("You may not correct the service or category of this ticket."))
    text = required_text(reason, "reason", REASON_MAX)
    if service is None and category is None:
        refuse(_("Give the corrected service or category."), "service")
    with ticket_write(ticket, at) as (locked, at):
        data: dict = {}
        if service is not None and service.pk != locked.service_id:
            check_service(locked, service)
            data["service"] = {"old": locked.service.key, "new": service.key}
        if category is not None and category != locked.category:
            problem = category_problem(locked.contract, category)
            if problem:
                refuse(problem, "category")
            data["category"] = {"old": locked.category, "new": category}
        if not data:
            message = _("The ticket already has this service and category; there is nothing to correct.")
            given = [field for field, value in (("service", service), ("category", category)) if value is not None]
            raise ActionRefused(message, errors={field: [message] for field in given}, status=409)
        data["reason"] = text
        append(locked, EventType.CORRECTED, at=at, actor=actor, data=data)
        if service is not None and "service" in data:
            locked.service = service
        if "category" in data:
            locked.category = category
        tell(
            locked,
            recipients=watchers(locked),
            actor=actor,
            at=at,
            what=gettext_lazy("service or category corrected"),
            body=Phrase(gettext_lazy("The service or category of this ticket was corrected: %(reason)s"), reason=text),
        )
    return ticket


def check_service(ticket: Ticket, service: Service) -> None:
    """Refuse a service that is not of the ticket's contract and of the version the ticket is pinned to."""
    if service.contract_id != ticket.contract_id:
        refuse(_("Service %(service)s is not part of this ticket's contract.") % {"service": service.key}, "service")
    if service.key not in kernel_contract(ticket.contract_version).services:
        refuse(
            _("Service %(service)s is not in the contract version this ticket follows.") % {"service": service.key},
            "service",
        )
