"""Operations on one ticket: the path's ``number`` is looked up among the tickets the person may see.

A ticket the person may not see answers 404, exactly like a ticket that does not exist, so that numbers
of other tenants cannot be probed; a ticket they see but may not act on answers 403.
"""

from collections.abc import Callable

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from servicepact.desk.models import Ticket
from servicepact.permissions.declared import on_object

# What every ticket operation shows or needs of the ticket, fetched with it in one query.
TICKET_RELATIONS = ("contract", "contract_version", "customer", "service", "team", "assignee", "requester")


def visible_ticket(request: HttpRequest, number: str) -> Ticket:
    if "\x00" in number:  # no ticket's number holds NUL, and PostgreSQL refuses even to look for one
        raise Http404("No such ticket.")
    tickets = Ticket.objects.visible_to(request.auth).select_related(*TICKET_RELATIONS)
    return get_object_or_404(tickets, number=number)


def on_ticket(rule: Callable[..., bool] | None, description: str) -> Callable[[Callable], Callable]:
    """The handler takes ``ticket``; the route's path has ``{number}``; ``rule(user, ticket)`` must hold."""
    return on_object("number", "ticket", visible_ticket, rule, description)
