"""Finding the contract a page's or an API operation's address names, among those the person sees."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from servicepact.contracts.models import Contract


def visible_contract(request: HttpRequest, slug: str) -> Contract:
    """The contract ``slug`` if the person sees it, else 404: the API's authenticated person
    (``request.auth``, a token or a session) or the page's (``request.user``)."""
    who = getattr(request, "auth", None) or request.user
    return get_object_or_404(Contract.objects.visible_to(who).select_related("customer", "provider"), slug=slug)
