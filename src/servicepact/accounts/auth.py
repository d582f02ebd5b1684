"""API authentication: personal API tokens (stored hashed) and the browser session."""

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from servicepact.accounts.models import ApiToken
from servicepact.accounts.models.token import hash_token


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        found = ApiToken.objects.usable().select_related("user").filter(key_hash=hash_token(token)).first()
        if found is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


class SessionAuth(APIKeyCookie):
    """The logged-in browser session; unsafe methods also need the CSRF token."""

    param_name = "sessionid"

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def authenticate(self, request: HttpRequest, key: str | None):
        if request.user.is_authenticated:
            return request.user
        return None
