"""API authentication: personal API tokens (stored hashed) and the browser session."""

from datetime import timedelta

from django.db.models.expressions import RawSQL
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from servicepact.accounts.models import ApiToken
from servicepact.accounts.models.token import hash_token
from servicepact.accounts.throttling import TOKEN_ATTRIBUTE
from servicepact.accounts.two_factor import session_is_verified
from servicepact.runtime.generation import GENERATION_SQL

# How fresh a token's last use is kept: one write a minute per token, not one per request (a write on
# every GET took SQLite's single writer lock from the requests that change something).
LAST_USED_PRECISION = timedelta(minutes=1)


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        # The person's organization with them: every operation's permission check reads it; and the caches'
        # generation, under which the person's standing and what the operation looks up may be kept.
        tokens = ApiToken.objects.usable().select_related("user__organization")
        tokens = tokens.annotate(generation=RawSQL(GENERATION_SQL, ()))
        found = tokens.filter(key_hash=hash_token(token)).first()
        if found is None:
            return None
        found.user.cache_generation = found.generation
        now = timezone.now()
        if found.last_used_at is None or found.last_used_at <= now - LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        setattr(request, TOKEN_ATTRIBUTE, found.pk)
        return found.user


class SessionAuth(APIKeyCookie):
    """The logged-in browser session; unsafe methods also need the CSRF token. A session still waiting
    for its second factor is not signed in for the API."""

    param_name = "sessionid"

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def authenticate(self, request: HttpRequest, key: str | None):
        if request.user.is_authenticated and session_is_verified(request):
            return request.user
        return None
