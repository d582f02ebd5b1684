"""The desk's pages about one ticket: the ticket is found among those the person may see.

``@ticket_view(predicate)`` is the access layer's ``object_view`` for tickets (``permissions.declared``):
a ticket the person may not see is a 404 (its existence is not revealed), one they see but may not act on
is a 403.
"""

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from servicepact.desk.models import Ticket
from servicepact.permissions.declared import object_view

# What the ticket's pages show of it, fetched with it in one query.
TICKET_RELATIONS = ("contract", "contract_version", "service", "team", "assignee", "requester", "customer")


def visible_ticket(request: HttpRequest, number: str) -> Ticket:
    if "\x00" in number:  # no ticket's number holds NUL, and PostgreSQL refuses even to look for one
        raise Http404("No such ticket.")
    return get_object_or_404(Ticket.objects.visible_to(request.user).select_related(*TICKET_RELATIONS), number=number)


ticket_view = object_view(visible_ticket, "number")
