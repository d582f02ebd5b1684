"""The API's rate limit per token: each personal API token may send so many requests a minute.

Past the limit the API answers 429 as a problem document with ``Retry-After`` (seconds), and the
request is not run. Requests from the browser session are not counted: the pages' own requests are
bounded by a person clicking. The counts live in Django's cache: per process with the default
local-memory cache, shared between processes when a shared cache (Redis) is configured.
"""

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import SimpleRateThrottle

# Set on the request by ApiTokenAuth when a token authenticated it.
TOKEN_ATTRIBUTE = "api_token_id"


class ApiTokenThrottle(SimpleRateThrottle):
    scope = "api-token"

    def __init__(self) -> None:
        # The rate is read per request (settings are not read at import time); this one is a placeholder.
        super().__init__(rate="1/m")

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = f"{settings.SERVICEPACT_API_TOKEN_REQUESTS_PER_MINUTE}/m"
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str | None:
        token = getattr(request, TOKEN_ATTRIBUTE, None)
        if token is None:
            return None  # a session, not a token
        return self.cache_format % {"scope": self.scope, "ident": token}
