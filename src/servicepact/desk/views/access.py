"""Who may open a page, declared beside each view: a decorator that names the permission predicate.

Tickets are found through ``Ticket.objects.visible_to(user)`` only; a ticket the person may not see is
a 404 (its existence is not revealed), one they see but may not act on is a 403.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_http_methods

from servicepact.desk.models import Ticket
from servicepact.permissions import principal_of

TicketPredicate = Callable[..., bool]
PERMISSION_ATTRIBUTE = "view_permission"


def visible_ticket(request: HttpRequest, number: str) -> Ticket:
    tickets = Ticket.objects.visible_to(request.user).select_related(
        "contract", "contract_version", "service", "team", "assignee", "requester", "customer",
    )
    return get_object_or_404(tickets, number=number)


def ticket_view(permission: TicketPredicate, methods: tuple[str, ...] = ("POST",)):
    """The view receives the visible ticket once ``permission(user, ticket)`` holds."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @require_http_methods(list(methods))
        @wraps(view)
        def guarded(request: HttpRequest, number: str, *args, **kwargs) -> HttpResponse:
            ticket = visible_ticket(request, number)
            if not permission(request.user, ticket):
                raise PermissionDenied(permission.__name__)
            return view(request, ticket, *args, **kwargs)

        setattr(guarded, PERMISSION_ATTRIBUTE, permission.__name__)
        return guarded

    return decorate


def works_tickets(user) -> bool:
    return principal_of(user).is_staff_member


def signed_in(user) -> bool:
    return user.is_authenticated


def person_view(permission: Callable[..., bool], methods: tuple[str, ...] = ("GET", "HEAD")):
    """A page about no single ticket, open to people for whom ``permission(user)`` holds."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @require_http_methods(list(methods))
        @wraps(view)
        def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not permission(request.user):
                raise PermissionDenied(permission.__name__)
            return view(request, *args, **kwargs)

        setattr(guarded, PERMISSION_ATTRIBUTE, permission.__name__)
        return guarded

    return decorate
