"""The signed link in a page's mail: it stands for the paged person, for a week, on one page only."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from servicepact.accounts.models import User
from servicepact.oncall.models import Page

SALT = "servicepact.oncall.page-link"
MAX_AGE_S = 7 * 24 * 3600


def token_for(page_id: int, person_id: int) -> str:
    return signing.dumps({"page": page_id, "person": person_id}, salt=SALT, compress=True)


def read_token(token: str) -> tuple[int, int] | None:
    """(page id, person id) of a valid, unexpired token; None otherwise."""
    try:
        value = signing.loads(token, salt=SALT, max_age=MAX_AGE_S)
        return int(value["page"]), int(value["person"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def absolute_link(page_id: int, person_id: int) -> str:
    return settings.SERVICEPACT_BASE_URL.rstrip("/") + reverse("oncall:link", args=[token_for(page_id, person_id)])


def linked_page(token: str):
    """(page, person) of a valid token whose person is still active; (None, None) otherwise."""
    found = read_token(token)
    if found is None:
        return None, None
    page = Page.objects.filter(pk=found[0]).select_related("team", "ticket").first()
    person = User.objects.filter(pk=found[1], is_active=True).first()
    if page is None or person is None:
        return None, None
    return page, person
