"""Permissions declared beside each page and each API operation, as decorators, with one vocabulary.

A page or operation about one object (a ticket, a report, a contract) names how to find it among the
objects the person may see (``visible_to``) and the predicate that must hold for it: an object one may not
see is not found (404), exactly like one that does not exist, so that another tenant's numbers cannot be
probed; one that is seen but may not be acted on is refused (403). A page about no single object names a
predicate of the person. Either way the checks run before the view's body, and the view carries the
permission's name (``view_permission``) or, for an API operation, its description (``api_permission``),
so that the generic authorization test can tell a view or operation that declared nothing.
"""

import inspect
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from servicepact.permissions.principal import Principal, principal_of

PAGE_ATTRIBUTE = "view_permission"
API_ATTRIBUTE = "api_permission"

Find = Callable[[HttpRequest, Any], Any]
ObjectPredicate = Callable[[Any, Any], bool]
PersonPredicate = Callable[[Any], bool]
PrincipalRule = Callable[[Principal], bool]


def sees_it(user, found) -> bool:
    """Seeing the object is enough: ``find`` already looked for it among those the person may see."""
    return True


# -- pages ---------------------------------------------------------------------------------------------------


def declared_page_permission(view: Callable) -> str | None:
    return getattr(view, PAGE_ATTRIBUTE, None)


def object_view(find: Find, key: str) -> Callable:
    """Page decorators for one kind of object: ``find(request, value)`` looks up the URL's ``key`` among the
    objects the person may see (raising Http404 otherwise); the view receives the object in its place.

    ``ticket_view = object_view(visible_ticket, "number")``, then ``@ticket_view(can_reply)`` on a view
    ``reply(request, ticket)``.
    """

    def declare_view(permission: ObjectPredicate = sees_it, methods: tuple[str, ...] = ("POST",)) -> Callable:
        def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
            @login_required
            @require_http_methods(list(methods))
            @wraps(view)
            def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
                found = find(request, kwargs.pop(key))
                if not permission(request.user, found):
                    raise PermissionDenied(permission.__name__)
                return view(request, found, *args, **kwargs)

            setattr(guarded, PAGE_ATTRIBUTE, permission.__name__)
            return guarded

        return decorate

    return declare_view


def person_view(permission: PersonPredicate, methods: tuple[str, ...] = ("GET", "HEAD")) -> Callable:
    """A page about no single object, open to people for whom ``permission(user)`` holds."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @require_http_methods(list(methods))
        @wraps(view)
        def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not permission(request.user):
                raise PermissionDenied(permission.__name__)
            return view(request, *args, **kwargs)

        setattr(guarded, PAGE_ATTRIBUTE, permission.__name__)
        return guarded

    return decorate


def open_view(reason: str) -> Callable:
    """A page anyone may open, signed in or not (the login page, the health check): said, with why."""

    def decorate(view: Callable) -> Callable:
        setattr(view, PAGE_ATTRIBUTE, f"anyone: {reason}")
        return view

    return decorate


def signed_in(user) -> bool:
    """Anyone signed in, with or without a role."""
    return user.is_authenticated


def works_tickets(user) -> bool:
    """Staff who work tickets: agents, resolvers, team leads, administrators."""
    return principal_of(user).is_staff_member


# -- API operations ------------------------------------------------------------------------------------------


def declare(view: Callable, description: str) -> None:
    setattr(view, API_ATTRIBUTE, description)


def declared_permission(view: Callable) -> str | None:
    return getattr(view, API_ATTRIBUTE, None)


def allow(rule: PrincipalRule, description: str) -> Callable[[Callable], Callable]:
    """Let the operation run only for people whose standing satisfies ``rule``."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def guarded(request: HttpRequest, *args, **kwargs):
            if not rule(principal_of(request.auth)):
                raise PermissionDenied(description)
            return view(request, *args, **kwargs)

        declare(guarded, description)
        return guarded

    return decorate


def anyone_signed_in(who: Principal) -> bool:
    """Anyone signed in, with or without a role: for one's own profile and tokens."""
    return not who.is_anonymous


def holds_a_role(who: Principal) -> bool:
    """A person with at least one role in their organization."""
    return who.is_superuser or bool(who.roles)


def on_object(
    path_parameter: str,
    argument: str,
    lookup: Find,
    rule: ObjectPredicate | None,
    description: str,
) -> Callable[[Callable], Callable]:
    """Run the handler with the object named by the path in place of its key, if the person may act on it.

    ``lookup(request, key)`` finds the object among those the person may see and raises Http404 otherwise;
    ``rule(user, obj)`` then decides (403 when it fails); None means seeing the object is enough. The
    handler declares ``argument`` (e.g. ``ticket``); the route's path names ``path_parameter`` (``number``).
    """

    def decorate(view: Callable) -> Callable:
        signature = inspect.signature(view)
        key = inspect.Parameter(path_parameter, inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=str)
        parameters = [key if p.name == argument else p for p in signature.parameters.values()]

        @wraps(view)
        def guarded(request: HttpRequest, **kwargs):
            found = lookup(request, kwargs.pop(path_parameter))
            if rule is not None and not rule(request.auth, found):
                raise PermissionDenied(description)
            return view(request, **{argument: found}, **kwargs)

        # Ninja reads the parameters from the signature: it must see the path's key, not the object.
        guarded.__signature__ = signature.replace(parameters=parameters)
        declare(guarded, description)
        return guarded

    return decorate
