"""Permissions declared beside each API operation, as a decorator under the route decorator.

Every operation carries its rule's description in ``api_permission`` so that the generic authorization
test can tell an operation that declared nothing. Checks run before the handler body; a refusal raises
PermissionDenied, which the API answers with 403 problem details.
"""

import inspect
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from servicepact.permissions import Principal, principal_of

PERMISSION_ATTRIBUTE = "api_permission"

PrincipalRule = Callable[[Principal], bool]


def declare(view: Callable, description: str) -> None:
    setattr(view, PERMISSION_ATTRIBUTE, description)


def declared_permission(view: Callable) -> str | None:
    return getattr(view, PERMISSION_ATTRIBUTE, None)


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


def signed_in(who: Principal) -> bool:
    """Anyone signed in, with or without a role: for one's own profile and tokens."""
    return not who.is_anonymous


def holds_a_role(who: Principal) -> bool:
    """A person with at least one role in their organization."""
    return who.is_superuser or bool(who.roles)


def works_tickets(who: Principal) -> bool:
    """Staff who work tickets: agents, resolvers, team leads, administrators."""
    return who.is_staff_member


def on_object(
    path_parameter: str, argument: str, lookup: Callable[[HttpRequest, Any], Any],
    rule: Callable[[Any, Any], bool] | None, description: str,
) -> Callable[[Callable], Callable]:
    """Run the handler with the object named by the path in place of its key, if the person may act on it.

    ``lookup(request, key)`` finds the object among those the person may see and raises Http404 otherwise
    (an object one may not see is indistinguishable from one that does not exist); ``rule(user, obj)``
    then decides (403 when it fails); None means seeing the object is enough. The handler declares
    ``argument`` (e.g. ``ticket``); the route's path names ``path_parameter`` (e.g. ``number``).
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
